"""`hexcheck graph --format dot|mermaid|html`: golden texts, and the HTML page as a real
browser (Debian's headless Chromium) renders it."""

from __future__ import annotations

import html
import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from hexcheck.adapters.extraction import sequential
from hexcheck.adapters.filesystem import discover
from hexcheck.analysis.model import ProjectModel
from hexcheck.core.config import Config
from hexcheck.engine import Report, build_model, check
from hexcheck.report.graph import RENDERERS, render_dot, render_html, render_mermaid
from tests.conftest import write_project

CHROMIUM = "/usr/bin/chromium"
SMALL = """\
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/domain/book.py
from dataclasses import dataclass

from app.infrastructure.db import Database  # error: HEX101


@dataclass
class Book:
    title: str

    def __post_init__(self) -> None:
        if not self.title:
            raise BookError("a book needs a title")


class BookError(Exception):
    pass
# file: app/application/__init__.py
# file: app/application/create_book.py
from app.domain import book
from app.domain.book import Book


class CreateBook:
    def execute(self, title: str) -> Book:
        return book.Book(title)
# file: app/infrastructure/__init__.py
# file: app/infrastructure/db.py
class Database:
    pass
# file: app/infrastructure/repository.py
from app.application.create_book import CreateBook
"""


def _analyse(root: Path) -> tuple[ProjectModel, Report]:
    config = Config()
    found = discover([str(root)], config, cwd=str(root))
    facts = sequential(config)(found.files)
    model = build_model(found.files, config, lambda files: facts)
    return model, check(found.files, config, lambda files: facts, found.problems)


@pytest.fixture
def small(tmp_path: Path) -> tuple[ProjectModel, Report]:
    write_project(tmp_path / "small", SMALL)
    return _analyse(tmp_path / "small")


@pytest.fixture
def clean(tmp_path: Path) -> tuple[ProjectModel, Report]:
    fixed = SMALL.replace("from app.infrastructure.db import Database  # error: HEX101\n", "")
    write_project(tmp_path / "clean", fixed)
    return _analyse(tmp_path / "clean")


def test_renderers_are_registered() -> None:
    assert sorted(RENDERERS) == ["dot", "html", "json", "mermaid"]


DOT = """\
digraph hexcheck {
  graph [rankdir=LR, fontname="Helvetica", fontsize=12];
  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];
  edge [color="#6b7280", fontname="Helvetica", fontsize=9];
  subgraph cluster_domain {
    label="domain (2 modules)";
    style="rounded,filled";
    fillcolor="#fdf2c4";
    "app.domain";
    "app.domain.book";
  }
  subgraph cluster_application {
    label="application (2 modules)";
    style="rounded,filled";
    fillcolor="#dcedc8";
    "app.application";
    "app.application.create_book";
  }
  subgraph cluster_infrastructure {
    label="infrastructure (3 modules)";
    style="rounded,filled";
    fillcolor="#d6e4f0";
    "app.infrastructure";
    "app.infrastructure.db";
    "app.infrastructure.repository";
  }
  subgraph cluster_unlayered {
    label="unlayered (1 module)";
    style="dashed";
    fillcolor="#ffffff";
    "app";
  }
  "app.application.create_book" -> "app.domain.book" [label="2"];
  "app.domain.book" -> "app.infrastructure.db" [color=red, penwidth=2];
  "app.infrastructure.repository" -> "app.application.create_book";
}
"""

MERMAID = """\
graph LR
  domain["domain<br/>2 modules"]
  application["application<br/>2 modules"]
  infrastructure["infrastructure<br/>3 modules"]
  web["web<br/>0 modules"]
  composition["composition<br/>0 modules"]
  unlayered["unlayered<br/>1 module"]
  domain -->|"1 import"| infrastructure
  application -->|"2 imports"| domain
  infrastructure -->|"1 import"| application
  linkStyle 0 stroke:red,stroke-width:3px,color:red
"""


def test_dot_golden(small: tuple[ProjectModel, Report]) -> None:
    assert render_dot(*small) == DOT


def test_dot_clusters_every_module_once_and_only_violations_are_red(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        """\
# file: svc/domain/order.py
from svc.shared import ids
from svc.web.api import router
# file: svc/shared/ids.py
# file: svc/web/api.py
from svc.domain.order import Order
# file: svc/main.py
from svc.web.api import router
""",
    )
    model, report = _analyse(tmp_path)
    text = render_dot(model, report)
    assert text.startswith("digraph hexcheck {\n") and text.endswith("}\n")
    for cluster in ("domain", "web", "composition", "unlayered"):
        assert f"subgraph cluster_{cluster} {{" in text
    for module in model.modules:
        assert text.count(f'    "{module}";') == 1
    red = [line for line in text.splitlines() if "color=red" in line]
    assert red == ['  "svc.domain.order" -> "svc.web.api" [color=red, penwidth=2];']
    assert text.count("{") == text.count("}")


def test_mermaid_golden(small: tuple[ProjectModel, Report]) -> None:
    assert render_mermaid(*small) == MERMAID


def test_mermaid_without_violations_has_no_link_style(clean: tuple[ProjectModel, Report]) -> None:
    text = render_mermaid(*clean)
    assert "linkStyle" not in text
    assert 'application -->|"2 imports"| domain' in text


def test_graph_command_writes_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from hexcheck.adapters.cli import app

    write_project(tmp_path, SMALL)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for name in sorted(RENDERERS):
        out = tmp_path / f"graph.{name}"
        result = runner.invoke(app, ["graph", "--format", name, "--output", str(out), "."])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        if name == "json":
            assert {m["name"] for m in json.loads(text)["modules"]} >= {"app.domain.book"}
        elif name == "html":  # with the source line of each finding
            model, report = _analyse(tmp_path)
            sources = {
                f.location.path: (tmp_path / f.location.path).read_text(encoding="utf-8").splitlines()
                for f in report.findings
            }
            assert text == render_html(model, report, sources)
            assert '<pre class="source">    3 | from app.infrastructure.db import Database' in text
        else:
            model, report = _analyse(tmp_path)
            assert text == RENDERERS[name](model, report)
    bad = runner.invoke(app, ["graph", "--format", "png", "."])
    assert bad.exit_code == 2 and "dot, mermaid, html" in bad.output


# ------------------------------------------------------------------------ html, static

_NETWORK_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster|data|srcset|background)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
    re.IGNORECASE,
)


def test_html_is_self_contained_and_deterministic(small: tuple[ProjectModel, Report]) -> None:
    page = render_html(*small)
    assert page == render_html(*small)
    assert page.startswith("<!DOCTYPE html>")
    assert not _NETWORK_REFERENCE.search(page)
    assert "http://" not in page and "https://" not in page
    for element in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@font-face"):
        assert element not in page.lower()
    # Only fragment references inside the page itself.
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {"#arrow", "#arrow-violation"}
    for layer in ("domain", "application", "infrastructure", "web", "composition", "unlayered"):
        assert f'data-layer="{layer}"' in page
    assert page.count('class="dependency violation"') == 1
    assert "HEX101" in page


def test_html_escapes_what_it_embeds(tmp_path: Path) -> None:
    write_project(tmp_path, SMALL)
    (tmp_path / "app" / "domain" / "<i>.py").symlink_to(tmp_path / "missing.py")
    page = render_html(*_analyse(tmp_path))
    assert "<i>" not in page
    assert "&lt;i&gt;.py" in page


# ---------------------------------------------------------------------- html, browser


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1000,1200",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


# A probe the test adds to a copy of the page: the browser measures what it laid out.
_PROBE = """
<script>
(function () {
  const result = {layers: {}, violations: [], edges: 0, labels: [], rings: {}};
  for (const ring of document.querySelectorAll("svg [data-ring]")) {
    result.rings[ring.dataset.ring] = getComputedStyle(ring).fill;
  }
  for (const g of document.querySelectorAll("svg g.label")) {
    const box = g.getBBox();
    result.labels.push({name: g.textContent.trim().replace(/\\s+/g, " "),
      x: box.x, y: box.y, width: box.width, height: box.height});
  }
  result.resources = performance.getEntriesByType("resource").map((entry) => entry.name);
  for (const g of document.querySelectorAll("svg g.layer")) {
    const box = g.querySelector("rect").getBBox();
    const rect = g.querySelector("rect").getBoundingClientRect();
    result.layers[g.dataset.layer] = {
      width: box.width, height: box.height, text: g.textContent.trim().replace(/\\s+/g, " "),
      left: rect.left, top: rect.top, fill: getComputedStyle(g.querySelector("rect")).fill,
    };
  }
  for (const g of document.querySelectorAll("svg g.dependency")) {
    result.edges += 1;
    if (g.classList.contains("violation")) {
      const path = g.querySelector("path");
      result.violations.push({
        from: g.dataset.importer, to: g.dataset.imported,
        stroke: getComputedStyle(path).stroke, length: path.getTotalLength(),
      });
    }
  }
  const svg = document.querySelector("svg#layer-graph").getBoundingClientRect();
  result.svg = {left: svg.left, top: svg.top, width: svg.width, height: svg.height};
  result.review = document.querySelector("section#findings").innerText;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>
"""


def _probe(tmp_path: Path, page: str) -> dict[str, object]:
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", probed.as_uri()).stdout
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert match, dom[-2000:]
    data: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return data


def _png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """A minimal PNG decoder (8-bit RGB/RGBA, not interlaced): width, height, rows of RGB."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        offset += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    channels = 4 if color == 6 else 3
    raw = zlib.decompress(chunks)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        row_filter = raw[position]
        line = bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if row_filter == 1:
                line[i] = (line[i] + left) & 0xFF
            elif row_filter == 2:
                line[i] = (line[i] + up) & 0xFF
            elif row_filter == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif row_filter == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        previous = line
        rgb = bytearray()
        for x in range(width):
            rgb += line[x * channels : x * channels + 3]
        rows.append(bytes(rgb))
    return width, height, rows


def _red_pixels(rows: list[bytes], box: dict[str, float]) -> int:
    count = 0
    left, top = int(box["left"]), int(box["top"])
    for y in range(top, min(top + int(box["height"]), len(rows))):
        row = rows[y]
        for x in range(left, min(left + int(box["width"]), len(row) // 3)):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            if r >= 170 and g <= 70 and b <= 70:
                count += 1
    return count


def test_html_renders_in_headless_chromium(tmp_path: Path, small: tuple[ProjectModel, Report]) -> None:
    page = render_html(*small)
    target = tmp_path / "graph.html"
    target.write_text(page, encoding="utf-8")

    # The page as the browser parsed it: SVG elements, not text.
    dom = _chromium(tmp_path, "--dump-dom", target.as_uri()).stdout
    assert '<svg id="layer-graph"' in dom
    for layer in ("domain", "application", "infrastructure", "web", "composition", "unlayered"):
        assert f'id="layer-{layer}"' in dom
    assert 'class="dependency violation" data-importer="domain" data-imported="infrastructure"' in dom
    assert "HEX101" in dom and "app/domain/book.py" in dom

    # What it laid out: boxes with their counts, the red edge, the review text.
    probe = _probe(tmp_path, page)
    layers = probe["layers"]
    assert isinstance(layers, dict)
    assert set(layers) == {"domain", "application", "infrastructure", "web", "composition", "unlayered"}
    for name, layer in layers.items():
        assert layer["width"] > 60 and layer["height"] > 30, name
        assert layer["text"].startswith(name), layer
    assert "2 modules" in layers["domain"]["text"] and "3 modules" in layers["infrastructure"]["text"]
    # The hexagon's rings: the domain at the centre, its fill the domain's colour.
    assert probe["rings"] == {
        "domain": "rgb(253, 242, 196)",
        "application": "rgb(220, 237, 200)",
        "infrastructure": "rgb(214, 228, 240)",
        "web": "rgb(232, 223, 245)",
    }
    assert probe["edges"] == 3
    violations = probe["violations"]
    assert isinstance(violations, list) and len(violations) == 1
    assert violations[0]["from"] == "domain" and violations[0]["to"] == "infrastructure"
    assert violations[0]["stroke"] == "rgb(208, 0, 0)"
    assert violations[0]["length"] > 50
    review = probe["review"]
    assert isinstance(review, str)
    assert "HEX101" in review and "app.infrastructure.db" in review
    assert "domain -> app.infrastructure.db" in review  # the group

    # What it painted: red pixels inside the graph, and the layer colours.
    shot = tmp_path / "graph.png"
    _chromium(tmp_path, f"--screenshot={shot}", target.as_uri())
    width, height, rows = _png_pixels(shot)
    assert (width, height) == (1000, 1200)
    svg = probe["svg"]
    assert isinstance(svg, dict)
    assert svg["top"] + svg["height"] <= height
    assert _red_pixels(rows, svg) > 80  # the one red edge, domain -> infrastructure
    # Below the domain's label, inside its hexagon: the domain's colour.
    x, y = int(svg["left"]) + 450, int(svg["top"]) + 330 + 62
    assert rows[y][3 * x : 3 * x + 3] == bytes((253, 242, 196))


def test_html_without_violations_paints_no_red(tmp_path: Path, clean: tuple[ProjectModel, Report]) -> None:
    page = render_html(*clean)
    assert 'class="dependency violation"' not in page
    target = tmp_path / "clean.html"
    target.write_text(page, encoding="utf-8")
    probe = _probe(tmp_path, page)
    assert probe["violations"] == []
    shot = tmp_path / "clean.png"
    _chromium(tmp_path, f"--screenshot={shot}", target.as_uri())
    _, _, rows = _png_pixels(shot)
    svg = probe["svg"]
    assert isinstance(svg, dict)
    assert _red_pixels(rows, svg) == 0


def _hundred_modules(root: Path) -> None:
    """100 modules over every layer and unlayered, importing across every pair of
    layers both ways: every edge of the layer graph, most of them violations."""
    packages = {
        "domain": "svc/domain",
        "application": "svc/application",
        "infrastructure": "svc/infrastructure",
        "web": "svc/web",
        "composition": "svc/di",
        "unlayered": "svc/common",
    }
    (root / "svc").mkdir(parents=True)
    (root / "svc" / "__init__.py").write_text("", encoding="utf-8")
    names = list(packages)
    for index in range(100):
        layer = names[index % len(names)]
        package = root / packages[layer]
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("", encoding="utf-8")
        targets = [names[(index + step) % len(names)] for step in range(1, len(names))]
        body = "".join(f"import {packages[target].replace('/', '.')}\n" for target in targets)
        (package / f"module_{index:03}.py").write_text(body, encoding="utf-8")


def test_html_of_100_modules_has_no_overlapping_labels_and_loads_nothing(tmp_path: Path) -> None:
    _hundred_modules(tmp_path / "big")
    model, report = _analyse(tmp_path / "big")
    assert len(model.modules) >= 100
    page = render_html(model, report)
    assert not _NETWORK_REFERENCE.search(page) and "http://" not in page and "https://" not in page
    probe = _probe(tmp_path, page)
    assert probe["resources"] == []  # nothing loaded from anywhere: the file is self-contained
    labels = probe["labels"]
    assert isinstance(labels, list)
    edges = probe["edges"]
    assert edges == 30  # dense: every ordered pair of the six boxes
    assert len(labels) == edges + 6  # a count per edge, a label per layer
    for index, first in enumerate(labels):
        for second in labels[index + 1 :]:
            apart = (
                first["x"] + first["width"] <= second["x"]
                or second["x"] + second["width"] <= first["x"]
                or first["y"] + first["height"] <= second["y"]
                or second["y"] + second["height"] <= first["y"]
            )
            assert apart, (first, second)
    svg = probe["svg"]
    assert isinstance(svg, dict)
    for label in labels:  # and every label inside the drawing
        assert label["x"] >= 0 and label["x"] + label["width"] <= svg["width"], label
        assert label["y"] >= 0 and label["y"] + label["height"] <= svg["height"], label


def test_graph_of_a_folder_draws_the_project_and_lists_the_findings_of_that_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from hexcheck.adapters.cli import app

    write_project(
        tmp_path,
        """\
# file: hexcheck.toml
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/domain/book.py
import pydantic
# file: app/web/__init__.py
# file: app/web/routes.py
import fastapi
from app.infrastructure.db import session
# file: app/infrastructure/__init__.py
# file: app/infrastructure/db.py
session = None
""",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", "--format", "html", "app/web"])
    assert result.exit_code == 0, result.output
    assert "app/web/routes.py" in result.stdout  # its HEX101
    assert "app/domain/book.py" not in result.stdout  # another folder's HEX102
    assert "domain: 2 modules" in result.stdout  # the graph is still the whole project's
