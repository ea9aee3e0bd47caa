"""`hexcheck graph`: the module import graph and the layer graph, in four formats.

- `json`: SPEC §3's document, modules with their layer and every first-party import.
- `dot` (Graphviz): one node per module, grouped in a `subgraph cluster_<layer>` per
  layer (`cluster_unlayered` for modules outside every layer); one edge per importing
  module pair, `color=red` when the pair breaks the dependency rule (HEX101), dashed
  when every import of the pair is under `TYPE_CHECKING`.
- `mermaid`: the layer graph, `graph LR`: the five layers (and the unlayered modules,
  when there are some) with their module counts, one edge per pair of different layers
  labelled with its import count, violating edges red through `linkStyle`. Imports
  inside a layer are counted in the layer's label instead of drawn as loops.
- `html`: one self-contained page (inline CSS and SVG, no script, no font, no image, no
  network reference): the hexagon drawn as rings (domain at the centre, application
  around it, web and infrastructure outside) with the layer graph over it, violating
  edges red with their import counts, labels placed so that no two overlap; then the
  summary and the findings per design decision with their source lines.

Every renderer takes `(model, report)` and is pure: the same project gives the same
bytes, with no timestamps and no absolute paths beyond what the report holds.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hexcheck.analysis.model import LayerEdge, LayerGraph, ProjectModel
from hexcheck.core.findings import Finding
from hexcheck.core.layers import LAYERS, Layer
from hexcheck.engine import Report

GraphRenderer = Callable[[ProjectModel, Report], str]

UNLAYERED = "unlayered"
VIOLATION_COLOR = "#d00000"  # the red of violating edges in the SVG
EDGE_COLOR = "#6b7280"


def graph_document(model: ProjectModel) -> dict[str, Any]:
    """SPEC §3's graph: modules with their layer, and every first-party import edge."""
    modules = []
    for name, facts in sorted(model.modules.items()):
        layer = model.layer(name)
        modules.append({"name": name, "path": facts.path, "layer": layer.value if layer else None})
    edges = [
        {
            "importer": edge.importer,
            "imported": edge.imported,
            "line": edge.fact.span.line,
            "type_checking": edge.fact.type_checking,
            "function_level": edge.fact.function_level,
        }
        for edge in model.edges()
    ]
    missing = model.missing_edges()
    if not missing:
        return {"modules": modules, "edges": edges}
    # Imports of first-party modules absent from the tree: dependencies all the same.
    for edge in missing:
        edges.append(
            {
                "importer": edge.importer,
                "imported": edge.imported,
                "line": edge.fact.span.line,
                "type_checking": edge.fact.type_checking,
                "function_level": edge.fact.function_level,
                "missing": True,
            }
        )
    names = sorted({edge.imported for edge in missing})
    layers = [model.layer(name) for name in names]
    document = {
        "modules": modules,
        "missing_modules": [
            {"name": name, "layer": layer.value if layer else None}
            for name, layer in zip(names, layers, strict=True)
        ],
        "edges": edges,
    }
    return document


def render_json(model: ProjectModel, report: Report | None = None) -> str:
    return json.dumps(graph_document(model), indent=2) + "\n"


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def _layer_name(layer: Layer | None) -> str:
    return layer.value if layer is not None else UNLAYERED


# ------------------------------------------------------------------------------ dot


_DOT_FILLS: dict[str, str] = {
    "domain": "#fdf2c4",
    "application": "#dcedc8",
    "infrastructure": "#d6e4f0",
    "web": "#e8dff5",
    "composition": "#eeeeee",
    UNLAYERED: "#ffffff",
}


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(model: ProjectModel, report: Report | None = None) -> str:
    """The module graph for Graphviz, modules clustered by layer, violations in red."""
    by_layer: dict[str, list[str]] = {}
    for name in sorted(model.modules):
        by_layer.setdefault(_layer_name(model.layer(name)), []).append(name)
    lines = [
        "digraph hexcheck {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=12];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        '  edge [color="#6b7280", fontname="Helvetica", fontsize=9];',
    ]
    for layer_name in [*(layer.value for layer in LAYERS), UNLAYERED]:
        names = by_layer.get(layer_name)
        if not names:
            continue
        style = "dashed" if layer_name == UNLAYERED else "rounded,filled"
        label = f"{layer_name} ({_plural(len(names), 'module')})"
        lines += [
            f"  subgraph cluster_{layer_name} {{",
            f"    label={_dot_id(label)};",
            f'    style="{style}";',
            f'    fillcolor="{_DOT_FILLS[layer_name]}";',
        ]
        lines += [f"    {_dot_id(name)};" for name in names]
        lines.append("  }")
    violating = {(edge.importer, edge.imported) for edge in model.layer_violations()}
    pairs: dict[tuple[str, str], list[bool]] = {}
    for edge in model.edges():
        pairs.setdefault((edge.importer, edge.imported), []).append(edge.fact.type_checking)
    for (importer, imported), type_checking in sorted(pairs.items()):
        attributes: list[str] = []
        if (importer, imported) in violating:
            attributes += ["color=red", "penwidth=2"]
        if all(type_checking):
            attributes.append("style=dashed")
        if len(type_checking) > 1:
            attributes.append(f'label="{len(type_checking)}"')
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {_dot_id(importer)} -> {_dot_id(imported)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------- mermaid


def _shown_layers(graph: LayerGraph) -> list[Layer | None]:
    """The five layers always (the architecture), the unlayered group when it has modules."""
    shown: list[Layer | None] = list(LAYERS)
    if graph.module_count(None) or any(None in (e.importer, e.imported) for e in graph.edges):
        shown.append(None)
    return shown


def _between_layers(graph: LayerGraph) -> list[LayerEdge]:
    return [edge for edge in graph.edges if edge.importer is not edge.imported]


def _internal_imports(graph: LayerGraph, layer: Layer | None) -> int:
    edge = graph.edge(layer, layer)
    return edge.imports if edge is not None else 0


def render_mermaid(model: ProjectModel, report: Report | None = None) -> str:
    """The layer graph as a Mermaid flowchart; violating edges red via `linkStyle`."""
    graph = model.layer_graph()
    lines = ["graph LR"]
    for layer in _shown_layers(graph):
        name = _layer_name(layer)
        label = f"{name}<br/>{_plural(graph.module_count(layer), 'module')}"
        internal = _internal_imports(graph, layer)
        if internal:
            label += f"<br/>{_plural(internal, 'internal import')}"
        lines.append(f'  {name}["{label}"]')
    violations: list[int] = []
    for index, edge in enumerate(_between_layers(graph)):
        imports = _plural(edge.imports, "import")
        lines.append(f'  {_layer_name(edge.importer)} -->|"{imports}"| {_layer_name(edge.imported)}')
        if edge.violation:
            violations.append(index)
    for index in violations:
        lines.append(f"  linkStyle {index} stroke:red,stroke-width:3px,color:red")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- html

# The hexagon as rings: the domain at the centre, the application around it, the two
# kinds of adapters (web on the left, infrastructure on the right) outside; the
# composition root and the unlayered modules sit in the corners, outside the hexagon.
_WIDTH, _HEIGHT = 900, 660
_CENTER = (450.0, 330.0)
_RADII = {"domain": 95.0, "application": 185.0, "adapters": 285.0}
_CORNERS = {"composition": (780.0, 60.0), UNLAYERED: (120.0, 610.0)}
_FILLS = _DOT_FILLS
_CHAR = 7.6  # px per character of the 12px sans-serif labels, rounded up
_LABEL_H = 40.0
_COUNT_H = 18.0


@dataclass(frozen=True, slots=True)
class _Point:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class _Box:
    """A label's box, the unit the layout keeps apart."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: _Box, gap: float = 3.0) -> bool:
        return not (
            self.x + self.w + gap <= other.x
            or other.x + other.w + gap <= self.x
            or self.y + self.h + gap <= other.y
            or other.y + other.h + gap <= self.y
        )

    def inside(self) -> bool:
        return (
            self.x >= 2 and self.y >= 2 and self.x + self.w <= _WIDTH - 2 and self.y + self.h <= _HEIGHT - 2
        )


def _anchor(name: str) -> _Point:
    """Where a layer's label sits: in the middle of its ring or corner."""
    cx, cy = _CENTER
    if name in _CORNERS:
        return _Point(*_CORNERS[name])
    if name == "domain":
        return _Point(cx, cy)
    if name == "application":
        return _Point(cx, cy - (_RADII["domain"] + _RADII["application"]) / 2 * 0.95)
    middle = (_RADII["application"] + _RADII["adapters"]) / 2 * math.cos(math.pi / 6)
    return _Point(cx - middle if name == "web" else cx + middle, cy)


def _hexagon(radius: float) -> list[_Point]:
    """A pointy-topped hexagon's corners, clockwise from the top."""
    cx, cy = _CENTER
    return [
        _Point(cx + radius * math.sin(math.radians(a)), cy - radius * math.cos(math.radians(a)))
        for a in (0, 60, 120, 180, 240, 300)
    ]


def _points(points: Iterable[_Point]) -> str:
    return " ".join(f"{_fmt(p.x)},{_fmt(p.y)}" for p in points)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ring_shapes(graph: LayerGraph) -> list[str]:
    """The rings: domain hexagon, application ring, web and infrastructure half rings."""
    outer, middle, inner = (_hexagon(_RADII[k]) for k in ("adapters", "application", "domain"))
    # Right half: top, the three right corners, bottom; left half mirrors it.
    right = [outer[0], outer[1], outer[2], outer[3], middle[3], middle[2], middle[1], middle[0]]
    left = [outer[0], outer[5], outer[4], outer[3], middle[3], middle[4], middle[5], middle[0]]
    shapes = [
        ("web", f'<polygon points="{_points(left)}"'),
        ("infrastructure", f'<polygon points="{_points(right)}"'),
        ("application", f'<path d="M {_points(middle)} Z M {_points(inner)} Z" fill-rule="evenodd"'),
        ("domain", f'<polygon points="{_points(inner)}"'),
    ]
    out = []
    for name, shape in shapes:
        empty = " empty" if graph.module_count(Layer(name)) == 0 else ""
        out.append(
            f'{shape} class="ring{empty}" data-ring="{name}" fill="{_FILLS[name]}" stroke="#374151" '
            'stroke-width="1.5"/>'
        )
    return out


def _layer_label(graph: LayerGraph, layer: Layer | None) -> tuple[_Box, list[str]]:
    name = _layer_name(layer)
    count = graph.module_count(layer)
    internal = _internal_imports(graph, layer)
    modules = _plural(count, "module")
    detail = modules + (f", {_plural(internal, 'internal import')}" if internal else "")
    width = max(len(name), len(modules)) * _CHAR + 20
    center = _anchor(name)
    box = _Box(center.x - width / 2, center.y - _LABEL_H / 2, width, _LABEL_H)
    corner = name in _CORNERS
    dash = ' stroke-dasharray="5 3"' if layer is None else ""
    fill = _FILLS[name] if corner else "#ffffff"
    empty = " empty" if count == 0 else ""
    return box, [
        f'<g class="layer label{empty}" id="layer-{name}" data-layer="{name}" data-modules="{count}">',
        f"<title>{html.escape(f'{name}: {detail}')}</title>",
        f'<rect x="{_fmt(box.x)}" y="{_fmt(box.y)}" width="{_fmt(box.w)}" height="{_fmt(box.h)}" rx="8" '
        f'fill="{fill}" fill-opacity="{1 if corner else 0.85}" stroke="#374151" stroke-width="1"{dash}/>',
        f'<text x="{_fmt(center.x)}" y="{_fmt(center.y - 4)}" text-anchor="middle" class="name">'
        f"{name}</text>",
        f'<text x="{_fmt(center.x)}" y="{_fmt(center.y + 13)}" text-anchor="middle" class="modules">'
        f"{modules}</text>",
        "</g>",
    ]


def _curve(source: _Point, target: _Point, bend: float) -> tuple[_Point, _Point, _Point]:
    """A quadratic curve from `source` to `target` bowed `bend` px to its left: the two
    directions of a pair bow apart, and no edge runs straight through the centre."""
    dx, dy = target.x - source.x, target.y - source.y
    length = math.hypot(dx, dy) or 1.0
    middle = _Point(
        (source.x + target.x) / 2 - dy / length * bend, (source.y + target.y) / 2 + dx / length * bend
    )
    return source, middle, target


def _on_curve(curve: tuple[_Point, _Point, _Point], t: float) -> _Point:
    a, b, c = curve
    u = 1 - t
    return _Point(u * u * a.x + 2 * u * t * b.x + t * t * c.x, u * u * a.y + 2 * u * t * b.y + t * t * c.y)


def _free_spot(curve: tuple[_Point, _Point, _Point], width: float, taken: list[_Box]) -> _Box:
    """A box for an edge's count on or near its curve, clear of every box placed so far:
    spots along the curve first, then farther from it, then a free cell of the margin."""
    for push in (0.0, 22.0, -22.0, 44.0, -44.0, 66.0, -66.0):
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
            spot = _on_curve(curve, t)
            a, c = curve[0], curve[2]
            dx, dy = c.x - a.x, c.y - a.y
            length = math.hypot(dx, dy) or 1.0
            spot = _Point(spot.x - dy / length * push, spot.y + dx / length * push)
            box = _Box(spot.x - width / 2, spot.y - _COUNT_H / 2, width, _COUNT_H)
            if box.inside() and not any(box.overlaps(other) for other in taken):
                return box
    y = 4.0
    while True:  # the left margin, top down: always ends, the page grows downwards
        box = _Box(4.0, y, width, _COUNT_H)
        if not any(box.overlaps(other) for other in taken):
            return box
        y += _COUNT_H + 4


def _clipped(curve: tuple[_Point, _Point, _Point], start: _Box, end: _Box) -> tuple[float, float]:
    """The part of the curve (t from, t to) outside the two labels it joins, so that the
    arrowhead shows at the target's edge."""

    def outside(point: _Point, box: _Box) -> bool:
        return not (box.x - 3 <= point.x <= box.x + box.w + 3 and box.y - 3 <= point.y <= box.y + box.h + 3)

    steps = [i / 100 for i in range(101)]
    first = next((t for t in steps if outside(_on_curve(curve, t), start)), 0.0)
    last = next((t for t in reversed(steps) if outside(_on_curve(curve, t), end)), 1.0)
    return first, max(last, first)


def _sub_curve(curve: tuple[_Point, _Point, _Point], t0: float, t1: float) -> tuple[_Point, _Point, _Point]:
    """The piece of a quadratic curve between t0 and t1, as a quadratic curve."""
    a, b, _ = curve
    start, end = _on_curve(curve, t0), _on_curve(curve, t1)
    # The control point of the piece: where the tangents at t0 and t1 meet (blossoming).
    u0, u1 = 1 - t0, 1 - t1
    c = curve[2]
    control = _Point(
        u0 * u1 * a.x + (u0 * t1 + t0 * u1) * b.x + t0 * t1 * c.x,
        u0 * u1 * a.y + (u0 * t1 + t0 * u1) * b.y + t0 * t1 * c.y,
    )
    return start, control, end


def _svg_edges(graph: LayerGraph, taken: list[_Box]) -> tuple[list[str], list[str]]:
    """(paths, count labels) of the edges between layers; violations red. `taken` holds
    the layers' label boxes first, in `_shown_layers` order."""
    boxes = {_layer_name(layer): box for layer, box in zip(_shown_layers(graph), taken, strict=False)}
    edges = _between_layers(graph)
    paths: list[str] = []
    labels: list[str] = []
    for edge in sorted(
        edges, key=lambda e: (not e.violation, _layer_name(e.importer), _layer_name(e.imported))
    ):
        source_name, target_name = _layer_name(edge.importer), _layer_name(edge.imported)
        curve = _curve(_anchor(source_name), _anchor(target_name), 38.0)
        imports = _plural(edge.imports, "import")
        box = _free_spot(curve, len(imports) * _CHAR * 0.9 + 10, taken)
        taken.append(box)
        color = VIOLATION_COLOR if edge.violation else EDGE_COLOR
        kind = "dependency violation" if edge.violation else "dependency"
        marker = "arrow-violation" if edge.violation else "arrow"
        title = (
            f"{source_name} -> {target_name}: {imports} between {_plural(edge.module_pairs, 'module pair')}"
            + (f"; {source_name} may not depend on {target_name}" if edge.violation else "")
        )
        a, b, c = _sub_curve(curve, *_clipped(curve, boxes[source_name], boxes[target_name]))
        data = f'data-importer="{source_name}" data-imported="{target_name}" data-imports="{edge.imports}"'
        paths += [
            f'<g class="{kind}" {data}>',
            f"<title>{html.escape(title)}</title>",
            f'<path d="M {_fmt(a.x)} {_fmt(a.y)} Q {_fmt(b.x)} {_fmt(b.y)} {_fmt(c.x)} {_fmt(c.y)}" '
            f'stroke="{color}" stroke-width="{2.5 if edge.violation else 1.3}" fill="none" '
            f'stroke-opacity="{1 if edge.violation else 0.7}" marker-end="url(#{marker})"/>',
            "</g>",
        ]
        labels += [
            f'<g class="count label" {data}>',
            f'<rect x="{_fmt(box.x)}" y="{_fmt(box.y)}" width="{_fmt(box.w)}" height="{_fmt(box.h)}" rx="3" '
            f'fill="#ffffff" stroke="{color}" stroke-width="0.8"/>',
            f'<text x="{_fmt(box.x + box.w / 2)}" y="{_fmt(box.y + 13)}" text-anchor="middle" class="count" '
            f'fill="{color}">{imports}</text>',
            "</g>",
        ]
    return paths, labels


def layer_svg(graph: LayerGraph) -> str:
    """The layer graph as an inline SVG element: the hexagon's rings, the layers' labels,
    the edges between layers with their import counts; no two labels overlap."""
    arrow = '<path d="M 0 0 L 10 5 L 0 10 z" fill="{}"/>'
    marker = (
        '<marker id="{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse">{}</marker>'
    )
    taken: list[_Box] = []
    layer_labels: list[str] = []
    for layer in _shown_layers(graph):
        box, lines = _layer_label(graph, layer)
        taken.append(box)
        layer_labels += lines
    paths, counts = _svg_edges(graph, taken)
    lines = [
        f'<svg id="layer-graph" role="img" aria-label="layer graph" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif">',
        "<defs>",
        marker.format("arrow", arrow.format(EDGE_COLOR)),
        marker.format("arrow-violation", arrow.format(VIOLATION_COLOR)),
        "</defs>",
        *_ring_shapes(graph),
        *paths,
        *layer_labels,
        *counts,
        "</svg>",
    ]
    return "\n".join(lines)


_STYLE = """\
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #111827;
  max-width: 1100px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 4px; }
h4.error { color: #b91c1c; }
h4.warning { color: #92400e; }
p.summary, p.brief { margin: 0 0 10px; color: #374151; }
figure { margin: 0; }
figcaption { font-size: 13px; color: #4b5563; margin-top: 4px; }
svg text.name { font-size: 13px; font-weight: 600; fill: #111827; }
svg text.modules { font-size: 11px; fill: #374151; }
svg text.count { font-size: 11px; }
svg .empty { opacity: 0.45; }
div.group { border-left: 3px solid #e5e7eb; padding: 2px 0 2px 10px; margin: 8px 0; }
div.group h5 { font-size: 13px; margin: 0 0 4px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
ul.places { margin: 0; padding-left: 18px; font-size: 13px; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
pre.source { background: #f9fafb; border: 1px solid #e5e7eb; padding: 4px 8px; margin: 2px 0 6px;
  overflow-x: auto; font-size: 12px; }
table.summary td { padding: 2px 12px 2px 0; vertical-align: top; font-size: 14px; }
"""


def _source_block(finding: Finding, sources: Mapping[str, Sequence[str]]) -> str:
    lines = sources.get(finding.location.path)
    line = finding.location.line
    if not lines or not 0 < line <= len(lines):
        return ""
    return f'<pre class="source">{line:>5} | {html.escape(lines[line - 1].rstrip())}</pre>'


def _place_item(finding: Finding, sources: Mapping[str, Sequence[str]]) -> str:
    from hexcheck.report.review import place

    return (
        f"<li><code>{html.escape(place(finding.location))}</code> {html.escape(finding.message)}"
        f"{_source_block(finding, sources)}</li>"
    )


def _findings_html(report: Report, sources: Mapping[str, Sequence[str]]) -> list[str]:
    """Findings by concern, rule and group: each group once, its places beneath with
    their source lines, the first few open and the rest folded."""
    from hexcheck.report.review import SHOWN, concerns, plural
    from hexcheck.rules.briefs import brief

    out = ['<section id="findings">', "<h2>Findings</h2>"]
    if not report.findings:
        out.append("<p>Nothing to flag.</p>")
    for concern in concerns(report):
        out.append(f"<h3>{html.escape(concern.title)}</h3>")
        for group in concern.groups:
            decisions = group.decisions
            counts = plural(len(group.findings), "finding")
            if len(decisions) != len(group.findings):
                counts += f" in {plural(len(decisions), 'group')}"
            out.append(
                f'<h4 class="{group.severity.value}">{group.code} {html.escape(group.name)} '
                f"({group.severity.value}, {counts})</h4>"
            )
            if group.rule is not None:
                why, fix = brief(group.rule)
                out.append(
                    f'<p class="brief"><b>Why:</b> {html.escape(why)} <b>Fix:</b> {html.escape(fix)}</p>'
                )
            for decision in decisions:
                places = len(decision.findings)
                suffix = f" ({places} places)" if places > 1 else ""
                out.append(f'<div class="group" data-group="{html.escape(decision.key)}">')
                out.append(f"<h5>{html.escape(decision.label)}{suffix}</h5>")
                out.append('<ul class="places">')
                out.extend(_place_item(finding, sources) for finding in decision.findings[:SHOWN])
                out.append("</ul>")
                rest = decision.findings[SHOWN:]
                if rest:
                    out.append(f"<details><summary>and {len(rest)} more</summary>")
                    out.append('<ul class="places">')
                    out.extend(_place_item(finding, sources) for finding in rest)
                    out.append("</ul></details>")
                out.append("</div>")
    out.append("</section>")
    return out


def _summary_html(report: Report) -> list[str]:
    from hexcheck.report import review

    errors, warnings = review.severity_counts(report)
    rows = [
        ("Files checked", review.files_text(report)),
        ("Modules", review.modules_text(report)),
        *((("Found", review.roles_text(report)),) if report.coverage.roles else ()),
        (
            "Findings",
            f"{review.plural(errors, 'error')}, {review.plural(warnings, 'warning')} in "
            f"{review.plural(review.group_count(report), 'group')}",
        ),
        ("Conformance", review.conformance_text(report)),
    ]
    out = ['<section id="summary">', "<h2>Summary</h2>", '<table class="summary">']
    out.extend(f"<tr><td>{label}</td><td>{html.escape(value)}</td></tr>" for label, value in rows)
    out.append("</table>")
    shown = review.strengths(report)
    if shown:
        out.append("<h3>Strengths</h3><ul>")
        out.extend(f"<li>{html.escape(review.strength(tally))}</li>" for tally in shown)
        out.append("</ul>")
    gaps = review.unchecked(report)
    if gaps:
        out.append("<h3>Not checked</h3><ul>")
        out.extend(f"<li>{html.escape(gap)}</li>" for gap in gaps)
        out.append("</ul>")
    out.append("</section>")
    return out


def render_html(
    model: ProjectModel, report: Report, sources: Mapping[str, Sequence[str]] | None = None
) -> str:
    """One self-contained page: the hexagon with the layer graph as inline SVG, the
    summary, then the grouped findings with their source lines (`sources`: path ->
    lines of the files with findings, read by the caller; without it, no source lines)."""
    from hexcheck.report import review

    graph = model.layer_graph()
    violations = len(graph.violations)
    summary = ", ".join(
        [
            _plural(len(model.modules), "module"),
            _plural(len(model.edges()), "first-party import"),
            _plural(violations, "forbidden layer dependency", "forbidden layer dependencies"),
            _plural(len(report.findings), "finding"),
        ]
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>hexcheck review</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>hexcheck review</h1>",
        f'<p class="summary">{html.escape(review.opening(report))} {html.escape(summary)}.</p>',
        '<section id="graph">',
        "<h2>Layer graph</h2>",
        "<figure>",
        layer_svg(graph),
        "<figcaption>The hexagon: the domain at the centre, the application around it, the "
        "adapters outside (web on the left, infrastructure on the right); the composition root and "
        "unlayered modules in the corners. Arrows point from the importing layer to the imported one, "
        "labelled with the number of import statements; red arrows break the dependency rule."
        "</figcaption>",
        "</figure>",
        "</section>",
        *_summary_html(report),
        *_findings_html(report, sources or {}),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# `hexcheck graph --format NAME` -> renderer.
RENDERERS: dict[str, GraphRenderer] = {
    "json": render_json,
    "dot": render_dot,
    "mermaid": render_mermaid,
    "html": render_html,
}
