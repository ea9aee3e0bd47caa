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
  network reference): the layer graph drawn as SVG with fixed coordinates, then the
  review (`review.render(report, color=False)`) in a `<pre>`.

Every renderer takes `(model, report)` and is pure: the same project gives the same
bytes, with no timestamps and no absolute paths beyond what the report holds.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hexcheck.analysis.model import LayerEdge, LayerGraph, ProjectModel
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

# The layer boxes sit on an ellipse, so that no straight edge between two boxes crosses
# a third: composition on top, the inner layers at the bottom, web and infrastructure
# (the two kinds of adapters) on the sides.
_WIDTH, _HEIGHT = 820, 560
_CENTER_X, _CENTER_Y = 410, 280
_RADIUS_X, _RADIUS_Y = 290, 200
_BOX_W, _BOX_H = 170, 62
_ANGLES: dict[str, float] = {  # degrees clockwise from the top
    "composition": 0,
    "infrastructure": 60,
    "application": 120,
    "domain": 180,
    UNLAYERED: 240,
    "web": 300,
}
_FILLS = _DOT_FILLS


@dataclass(frozen=True, slots=True)
class _Point:
    x: float
    y: float


def _position(name: str) -> _Point:
    angle = math.radians(_ANGLES[name])
    return _Point(
        round(_CENTER_X + _RADIUS_X * math.sin(angle), 1), round(_CENTER_Y - _RADIUS_Y * math.cos(angle), 1)
    )


def _border(center: _Point, toward: _Point, margin: float = 4.0) -> _Point:
    """Where the segment from the box at `center` toward `toward` leaves the box."""
    dx, dy = toward.x - center.x, toward.y - center.y
    half_w, half_h = _BOX_W / 2 + margin, _BOX_H / 2 + margin
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return _Point(center.x + dx * scale, center.y + dy * scale)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_edges(graph: LayerGraph) -> list[str]:
    edges = _between_layers(graph)
    pairs = {(edge.importer, edge.imported) for edge in edges}
    placed: list[_Point] = []
    out: list[str] = []
    for edge in edges:
        source_name, target_name = _layer_name(edge.importer), _layer_name(edge.imported)
        source, target = _position(source_name), _position(target_name)
        length = math.hypot(target.x - source.x, target.y - source.y)
        # Two layers importing each other: the two edges run side by side.
        offset = 7.0 if (edge.imported, edge.importer) in pairs else 0.0
        nx_, ny_ = -(target.y - source.y) / length * offset, (target.x - source.x) / length * offset
        start = _border(source, target)
        end = _border(target, source, margin=6.0)
        start, end = _Point(start.x + nx_, start.y + ny_), _Point(end.x + nx_, end.y + ny_)
        label = _label_position(start, end, placed)
        placed.append(label)
        color = VIOLATION_COLOR if edge.violation else EDGE_COLOR
        kind = "dependency violation" if edge.violation else "dependency"
        marker = "arrow-violation" if edge.violation else "arrow"
        imports = _plural(edge.imports, "import")
        title = (
            f"{source_name} -> {target_name}: {imports} between {_plural(edge.module_pairs, 'module pair')}"
            + (f"; {source_name} may not depend on {target_name}" if edge.violation else "")
        )
        width = 2.5 if edge.violation else 1.5
        out += [
            f'<g class="{kind}" data-importer="{source_name}" data-imported="{target_name}" '
            f'data-imports="{edge.imports}">',
            f"<title>{html.escape(title)}</title>",
            f'<path d="M {_fmt(start.x)} {_fmt(start.y)} L {_fmt(end.x)} {_fmt(end.y)}" '
            f'stroke="{color}" stroke-width="{width}" fill="none" marker-end="url(#{marker})"/>',
            f'<rect x="{_fmt(label.x - 34)}" y="{_fmt(label.y - 9)}" width="68" height="17" rx="3" '
            f'fill="#ffffff" fill-opacity="0.9"/>',
            f'<text x="{_fmt(label.x)}" y="{_fmt(label.y + 4)}" text-anchor="middle" class="count" '
            f'fill="{color}">{imports}</text>',
            "</g>",
        ]
    return out


def _label_position(start: _Point, end: _Point, placed: Iterable[_Point]) -> _Point:
    """The first spot along the edge at least 40px from every label placed so far, or the
    one farthest from them: edges crossing the middle would otherwise stack labels."""
    taken = list(placed)
    best, best_distance = _Point(0, 0), -1.0
    for t in (0.5, 0.38, 0.62, 0.28, 0.72):
        spot = _Point(start.x + (end.x - start.x) * t, start.y + (end.y - start.y) * t)
        distance = min((math.hypot(spot.x - p.x, spot.y - p.y) for p in taken), default=math.inf)
        if distance >= 40:
            return spot
        if distance > best_distance:
            best, best_distance = spot, distance
    return best


def _svg_layers(graph: LayerGraph) -> list[str]:
    out: list[str] = []
    for layer in _shown_layers(graph):
        name = _layer_name(layer)
        center = _position(name)
        count = graph.module_count(layer)
        internal = _internal_imports(graph, layer)
        x, y = center.x - _BOX_W / 2, center.y - _BOX_H / 2
        dash = ' stroke-dasharray="5 3"' if layer is None else ""
        empty = " empty" if count == 0 else ""
        detail = _plural(count, "module") + (f", {_plural(internal, 'internal import')}" if internal else "")
        out += [
            f'<g class="layer{empty}" id="layer-{name}" data-layer="{name}" data-modules="{count}">',
            f"<title>{html.escape(f'{name}: {detail}')}</title>",
            f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_BOX_W}" height="{_BOX_H}" rx="10" '
            f'fill="{_FILLS[name]}" stroke="#374151" stroke-width="1.5"{dash}/>',
            f'<text x="{_fmt(center.x)}" y="{_fmt(center.y - 6)}" text-anchor="middle" class="name">'
            f"{name}</text>",
            f'<text x="{_fmt(center.x)}" y="{_fmt(center.y + 14)}" text-anchor="middle" class="modules">'
            f"{_plural(count, 'module')}</text>",
            "</g>",
        ]
    return out


def layer_svg(graph: LayerGraph) -> str:
    """The layer graph as an inline SVG element, with fixed coordinates."""
    arrow = '<path d="M 0 0 L 10 5 L 0 10 z" fill="{}"/>'
    marker = (
        '<marker id="{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse">{}</marker>'
    )
    lines = [
        f'<svg id="layer-graph" role="img" aria-label="layer graph" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif">',
        "<defs>",
        marker.format("arrow", arrow.format(EDGE_COLOR)),
        marker.format("arrow-violation", arrow.format(VIOLATION_COLOR)),
        "</defs>",
        *_svg_edges(graph),
        *_svg_layers(graph),
        "</svg>",
    ]
    return "\n".join(lines)


_STYLE = """\
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #111827; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.summary { margin: 0 0 16px; color: #374151; }
figure { margin: 0; }
figcaption { font-size: 13px; color: #4b5563; margin-top: 4px; }
svg text.name { font-size: 15px; font-weight: 600; fill: #111827; }
svg text.modules { font-size: 12px; fill: #374151; }
svg text.count { font-size: 11px; }
svg g.layer.empty { opacity: 0.45; }
pre.review { background: #f9fafb; border: 1px solid #e5e7eb; padding: 12px; overflow-x: auto;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; line-height: 1.45; }
"""


def render_html(model: ProjectModel, report: Report) -> str:
    """One self-contained page: the layer graph as inline SVG, then the review."""
    from hexcheck.report import review

    graph = model.layer_graph()
    violations = len(graph.violations)
    findings = len(report.findings)
    summary = ", ".join(
        [
            _plural(len(model.modules), "module"),
            _plural(len(model.edges()), "first-party import"),
            _plural(violations, "forbidden layer dependency", "forbidden layer dependencies"),
            _plural(findings, "finding"),
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
        f'<p class="summary">{html.escape(summary)}.</p>',
        '<section id="graph">',
        "<h2>Layer graph</h2>",
        "<figure>",
        layer_svg(graph),
        "<figcaption>Boxes are layers with their module counts; arrows point from the importing "
        "layer to the imported one, labelled with the number of import statements. Red arrows "
        "break the dependency rule.</figcaption>",
        "</figure>",
        "</section>",
        '<section id="review">',
        "<h2>Review</h2>",
        f'<pre class="review">{html.escape(review.render(report, False))}</pre>',
        "</section>",
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
