"""`hexcheck init`: layer detection on real layouts, the proposed patterns, and writing
them into pyproject.toml without disturbing the rest of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hexcheck.adapters.cli import app
from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.core.layers import Layer, LayerMap, detect_layer
from hexcheck.core.mapping import merge, propose
from tests.conftest import write_project

runner = CliRunner()

D, A, INF, W, C = Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE, Layer.WEB, Layer.COMPOSITION


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("app.usecase.create_todo", A),
        ("app.logic.pricing", A),
        ("app.service_layer.handlers", A),
        ("app.adapters.outbound.smtp", INF),
        ("app.driven.postgres", INF),
        ("app.presentation.rest.api", W),
        ("app.adapters.inbound.http.routes", W),
        ("app.driving.cli", W),
        ("tool.cli", W),
        ("app.cli.__main__", C),
        ("app.__main__", C),
        ("config.api_config", C),  # a package named like a composition root
        ("app.infrastructure.di.injection", C),
        ("app.api.dependencies.auth", C),
        ("app.infrastructure.mappers", INF),  # ORM mappings, not web mappers
        ("app.infrastructure.web.mappers", W),
        ("app.mappers", W),
        ("seedwork.domain.entities", D),
        ("seedwork.aggregates", D),
        ("seedwork.infrastructure.database", INF),
        ("seedwork.application.commands", A),
        ("shared_kernel.presentation.response", W),
        ("app.modules.shared_kernel.entities.email_address", D),
        ("building_blocks.value_objects", D),
        ("seedwork.utils.functional", None),  # a kernel's generic helpers are no domain code
        ("shared_kernel.helpers", None),
        ("app.domain.utils", D),  # inside `domain`, everything is domain
        ("modules.catalog.domain.entities", D),
        ("contexts.billing.invoicing.domain.invoice", D),
        ("contexts.billing.invoicing.infrastructure.repository", INF),
        ("app.shared.str_utils", None),  # shared utilities stay unlayered
        ("app.domain.config", D),  # inner layers keep their own names
        ("app.application.containers", A),
    ],
)
def test_detection_knows_the_conventions_of_real_projects(module: str, layer: Layer | None) -> None:
    assert detect_layer(module) is layer


# Modules of real projects nobody here wrote, with the layer a reviewer gives them (None:
# unlayered). Each project's full list and the reviewer's verdict on every module are in
# the issue note; these are the shapes that matter, misses included.
REAL = {
    "cosmicpython/code": [
        ("allocation", None), ("allocation.adapters.orm", INF), ("allocation.adapters.repository", INF),
        ("allocation.adapters.redis_eventpublisher", INF), ("allocation.bootstrap", C),
        ("allocation.config", C), ("allocation.domain.model", D), ("allocation.domain.commands", D),
        ("allocation.entrypoints.flask_app", W), ("allocation.entrypoints.redis_eventconsumer", W),
        ("allocation.service_layer.handlers", A), ("allocation.service_layer.unit_of_work", A),
        ("allocation.views", A),  # the read side: a miss, nothing in the name says so
    ],
    "pgorecki/python-ddd": [
        ("api.main", C), ("api.__main__", C), ("api.dependencies", C), ("api.routers.catalog", W),
        ("api.models.bidding", W), ("cli.__main__", C), ("config.container", C),
        ("config.api_config", C), ("modules.catalog", None),
        ("modules.catalog.application.command.create_listing_draft", A),
        ("modules.catalog.domain.entities", D), ("modules.catalog.domain.repositories", D),
        ("modules.catalog.infrastructure.listing_repository", INF), ("modules.iam.domain.entities", D),
        ("seedwork.domain.aggregates", D), ("seedwork.application.command_handlers", A),
        ("seedwork.infrastructure.repository", INF),
        ("seedwork.utils.functional", None),
    ],
    "qu3vipon/python-ddd": [
        ("display", None), ("display.application.use_case.query", A), ("display.domain.entity.room", D),
        ("display.infra.repository", INF), ("display.infra.container", C),
        ("display.presentation.rest.api", W), ("display.presentation.grpc", W),
        ("shared_kernel.domain.value_object", D), ("shared_kernel.infra.database.orm", INF),
        ("shared_kernel.infra.fastapi.main", C), ("shared_kernel.presentation.response", W),
    ],
    "lucassus/python-ddd-sandbox": [
        ("app.config", C), ("app.infrastructure.tables", INF),
        ("app.modules.accounts.application.commands.register_user", A),
        ("app.modules.accounts.application.ports.abstract_user_repository", A),
        ("app.modules.accounts.bootstrap", C), ("app.modules.accounts.domain.user", D),
        ("app.modules.accounts.entrypoints.routes", W), ("app.modules.accounts.entrypoints.dependencies", C),
        ("app.modules.accounts.infrastructure.adapters.user_repository", INF),
        ("app.modules.accounts.infrastructure.mappers", INF),
        ("app.modules.accounts.infrastructure.containers", C),
        ("app.modules.shared_kernel.entities.user_id", D), ("app.shared.str_utils", None),
        ("app.modules.errors_handling", W),  # a miss: FastAPI exception handlers, a neutral name
    ],
    "iktakahiro/dddpy": [
        ("dddpy", None), ("dddpy.domain.todo.entities.todo", D),
        ("dddpy.usecase.todo.create_todo_usecase", A),
        ("dddpy.infrastructure.sqlite.todo.todo_repository", INF), ("dddpy.infrastructure.di.injection", C),
        ("dddpy.presentation.api.todo.handlers.todo_api_route_handler", W), ("main", C),
    ],
}  # fmt: skip


@pytest.mark.parametrize("project", sorted(REAL))
def test_real_layouts_are_placed_as_a_reviewer_would(project: str) -> None:
    modules = REAL[project]
    right = [module for module, layer in modules if detect_layer(module) is layer]
    assert len(right) / len(modules) >= 0.9, sorted({m for m, _ in modules} - set(right))


# ------------------------------------------------------------------------ proposals


def test_the_proposal_is_compact_and_shares_patterns_across_bounded_contexts() -> None:
    modules = [
        "modules", "modules.catalog", "modules.catalog.domain.entities", "modules.catalog.domain.events",
        "modules.catalog.application.commands", "modules.catalog.infrastructure.repository",
        "modules.bidding", "modules.bidding.domain.entities", "modules.bidding.application.queries",
        "modules.bidding.infrastructure.repository", "api", "api.routers.catalog", "api.main",
        "seedwork", "seedwork.domain.entities", "seedwork.infrastructure.database", "alembic.env",
    ]  # fmt: skip
    proposal = propose(modules)
    assert dict(proposal.patterns) == {
        D: ("modules.*.domain", "seedwork"),
        A: ("modules.*.application",),
        INF: ("modules.*.infrastructure", "seedwork.infrastructure"),
        W: ("api",),
        C: ("api.main",),
    }
    assert proposal.unplaced == ("alembic.env", "modules", "modules.bidding", "modules.catalog")
    assert proposal.count(D) == 5 and proposal.count(C) == 1


_NAMES = st.sampled_from(
    [
        "app",
        "domain",
        "application",
        "infra",
        "web",
        "api",
        "main",
        "config",
        "seedwork",
        "shared",
        "books",
        "x",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_NAMES, min_size=1, max_size=5).map(".".join), min_size=1, max_size=25))
def test_the_patterns_place_every_module_as_detected(modules: list[str]) -> None:
    proposal = propose(modules)
    mapping = LayerMap.from_mapping(dict(proposal.patterns), use_defaults=False)
    for module, layer in proposal.modules:
        assert mapping.layer_of(module) is layer, (module, proposal.patterns)


_LAYER_CHOICES = st.sampled_from([D, A, INF, W, C])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(_NAMES, min_size=1, max_size=4).map(".".join), min_size=1, max_size=20),
    st.dictionaries(
        _LAYER_CHOICES, st.lists(st.lists(_NAMES, min_size=1, max_size=3).map(".".join), max_size=3)
    ),
)
def test_a_merge_keeps_every_placement_check_makes_today(
    modules: list[str], written: dict[Layer, list[str]]
) -> None:
    proposal = propose(modules)
    merged = merge(written, proposal, use_defaults=True)
    combined = {layer: list(patterns) for layer, patterns in written.items()}
    for layer, patterns in merged.additions:
        combined.setdefault(layer, []).extend(patterns)
        assert not set(patterns) & {p for ps in written.values() for p in ps}  # never a duplicate
    today = LayerMap.from_mapping(written)
    after = LayerMap.from_mapping(combined)
    for module, _ in proposal.modules:
        assert after.layer_of(module) is today.layer_of(module), (module, written, merged.additions)


# ---------------------------------------------------------------------- the command

PROJECT = """\
# file: src/shop/__init__.py
# file: src/shop/domain/__init__.py
# file: src/shop/domain/book.py
# file: src/shop/usecase/__init__.py
# file: src/shop/usecase/buy.py
# file: src/shop/presentation/__init__.py
# file: src/shop/presentation/routes.py
# file: src/shop/infra/__init__.py
# file: src/shop/infra/db.py
# file: src/shop/main.py
# file: src/shop/helpers.py
# file: tests/test_buy.py
"""

PYPROJECT = """\
# The shop.
[project]
name = "shop"   # keep this comment

[tool.ruff]
line-length = 100

[tool.hexcheck]
preset = "strict"

[tool.hexcheck.layers]
domain = ["old.pattern"]  # replaced

[tool.hexcheck.per-file-ignores]
"src/shop/main.py" = ["HEX1"]

[tool.other]
x = 1
"""


def test_init_prints_the_mapping_the_counts_and_what_it_could_not_place(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("hexcheck init: 11 modules in . (source roots: src)\nno config: defaults\n")
    assert "  domain                2  shop.domain\n" in out
    assert "  application           2  shop.usecase\n" in out
    assert "  composition           1  shop.main\n" in out
    assert "  unplaced              2\n" in out
    assert "\n  shop (package)\n  shop.helpers\n" in out
    assert "\n`hexcheck check` places every module so today.\n" in out
    assert (
        "Proposed changes to pyproject.toml:\n\n--- /dev/null\n+++ pyproject.toml\n@@ -0,0 +1,9 @@\n"
        '+[tool.hexcheck]\n+source-roots = ["src"]\n+\n+[tool.hexcheck.layers]\n+domain = ["shop.domain"]\n'
    ) in out
    assert "`hexcheck init --write`" in out
    assert not (in_tmp / "pyproject.toml").exists()


def test_init_write_keeps_the_rest_of_pyproject_as_it_was(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = runner.invoke(app, ["init", "--write"])
    assert result.exit_code == 0, result.output
    written = (in_tmp / "pyproject.toml").read_text(encoding="utf-8")
    assert written == PYPROJECT.replace(
        'preset = "strict"\n',
        'preset = "strict"\nsource-roots = ["src"]\n',
    ).replace(
        '[tool.hexcheck.layers]\ndomain = ["old.pattern"]  # replaced\n',
        '[tool.hexcheck.layers]\ndomain = ["old.pattern", "shop.domain"]  # replaced\n'
        'application = ["shop.usecase"]\ninfrastructure = ["shop.infra"]\nweb = ["shop.presentation"]\n'
        'composition = ["shop.main"]\n',
    )
    # The stale hand-written entry is kept, and said to match nothing.
    assert '  domain = "old.pattern" matches no module\n' in result.stdout
    config = load_config(find_config("."))
    assert config.preset == "strict" and config.source_roots == ("src",)
    assert config.layers.layer_of("shop.usecase.buy") is A
    again = runner.invoke(app, ["init", "--write"])
    assert again.exit_code == 0
    assert "pyproject.toml already holds this mapping; nothing to change." in again.stdout
    assert (in_tmp / "pyproject.toml").read_text(encoding="utf-8") == written  # idempotent


# The trip of issue 13: a team's mapping puts its shared kernel `app.shared` in the
# domain, with a comment saying why; detection leaves `app.shared` unplaced.
TEAM_PROJECT = """\
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/domain/book.py
from app.shared.money import Money
# file: app/shared/__init__.py
# file: app/shared/money.py
class Money:
    pass
# file: app/shared/clock.py
from app.infrastructure.db import Database
# file: app/application/__init__.py
# file: app/application/buy_book.py
from app.domain.book import Money
# file: app/api/__init__.py
# file: app/api/routes.py
from app.application.buy_book import Money
# file: app/infrastructure/__init__.py
# file: app/infrastructure/db.py
class Database:
    pass
# file: app/infrastructure/web/__init__.py
# file: app/infrastructure/web/health.py
"""

TEAM_PYPROJECT = """\
# Shop service: see docs/architecture.md.
[project]
name = "shop"  # the distribution name

[tool.hexcheck]
preset = "strict"

[tool.hexcheck.layers]
# app.shared holds the domain's building blocks (Money, Clock): domain code too.
domain = ["app.domain", "app.shared"]
web = [
    "app.api",  # the public routers
    "app.infrastructure.web",  # health checks
]

[tool.ruff]
line-length = 100
"""

TEAM_MERGED_DIFF = """\
--- pyproject.toml
+++ pyproject.toml
@@ -12,6 +12,8 @@
     "app.api",  # the public routers
     "app.infrastructure.web",  # health checks
 ]
+application = ["app.application"]
+infrastructure = ["app.infrastructure"]
\x20
 [tool.ruff]
 line-length = 100
"""


def test_init_merges_into_a_hand_written_mapping_and_shows_the_diff_first(in_tmp: Path) -> None:
    write_project(in_tmp, TEAM_PROJECT)
    (in_tmp / "pyproject.toml").write_text(TEAM_PYPROJECT, encoding="utf-8")
    before = runner.invoke(app, ["check", "--no-cache", "--format", "concise"])
    hex101 = (
        "app/shared/clock.py:1:1: HEX101 domain module 'app.shared.clock' imports 'app.infrastructure.db'"
    )
    assert hex101 in before.stdout

    shown = runner.invoke(app, ["init"])
    assert shown.exit_code == 0, shown.output
    assert "Proposed changes to pyproject.toml:\n\n" + TEAM_MERGED_DIFF in shown.stdout
    assert (in_tmp / "pyproject.toml").read_text(encoding="utf-8") == TEAM_PYPROJECT  # only shown
    # What check uses today differs from the detection (app.shared is domain by hand).
    assert "`hexcheck check` places them so today (pyproject.toml's [tool.hexcheck.layers]" in shown.stdout
    assert (
        "Elsewhere than detected:\n"
        "  app.shared, app.shared.clock, app.shared.money: domain (detected: unplaced)\n"
    ) in shown.stdout

    written = runner.invoke(app, ["init", "--write"])
    assert written.exit_code == 0, written.output
    assert "Changes to pyproject.toml:\n\n" + TEAM_MERGED_DIFF + "\nWrote pyproject.toml.\n" in written.stdout
    text = (in_tmp / "pyproject.toml").read_text(encoding="utf-8")
    assert text == TEAM_PYPROJECT.replace(
        "]\n\n[tool.ruff]",
        ']\napplication = ["app.application"]\ninfrastructure = ["app.infrastructure"]\n\n[tool.ruff]',
    )
    after = runner.invoke(app, ["check", "--no-cache", "--format", "concise"])
    assert after.stdout == before.stdout  # the HEX101 on app.shared is still found


def test_init_reports_a_hand_written_entry_it_disagrees_with_and_keeps_it(in_tmp: Path) -> None:
    write_project(in_tmp, TEAM_PROJECT)
    # By hand, the routers are application code (detection says web), and an entry is stale.
    hand = """\
[tool.hexcheck.layers]
domain = ["app.domain", "app.money"]  # app.money moved to app.shared
application = ["app.api"]
"""
    (in_tmp / "pyproject.toml").write_text(hand, encoding="utf-8")
    result = runner.invoke(app, ["init", "--write"])
    assert result.exit_code == 0, result.output
    assert (
        "Kept as written in pyproject.toml, though the detection disagrees (edit them if it is right):\n"
        '  application = "app.api" places app.api, app.api.routes (detected: web)\n'
        '  domain = "app.money" matches no module\n'
    ) in result.stdout
    assert (in_tmp / "pyproject.toml").read_text(encoding="utf-8") == (
        "[tool.hexcheck.layers]\n"
        'domain = ["app.domain", "app.money"]  # app.money moved to app.shared\n'
        'application = ["app.api", "app.application"]\n'
        'infrastructure = ["app.infrastructure"]\n'
        'web = ["app.infrastructure.web"]\n'
    )
    config = load_config(find_config("."))
    assert config.layers.layer_of("app.api.routes") is A  # the hand-written entry still wins
    assert config.layers.layer_of("app.infrastructure.web.health") is W


def test_init_write_appends_a_new_table_and_creates_a_missing_file(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    original = '[tool.black]\nline-length = 100\n\n[project]\nname = "shop"\n'
    (in_tmp / "pyproject.toml").write_text(original, encoding="utf-8")
    assert runner.invoke(app, ["init", "--write"]).exit_code == 0
    written = (in_tmp / "pyproject.toml").read_text(encoding="utf-8")
    assert written.startswith(
        original + '\n[tool.hexcheck]\nsource-roots = ["src"]\n\n[tool.hexcheck.layers]\n'
    )
    (in_tmp / "pyproject.toml").unlink()
    assert runner.invoke(app, ["init", "--write"]).exit_code == 0
    created = (in_tmp / "pyproject.toml").read_text(encoding="utf-8")
    assert created.startswith('[tool.hexcheck]\nsource-roots = ["src"]\n')


def test_init_write_prefers_a_standalone_hexcheck_toml(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "hexcheck.toml").write_text('preset = "strict"\n', encoding="utf-8")
    assert runner.invoke(app, ["init", "--write"]).exit_code == 0
    assert not (in_tmp / "pyproject.toml").exists()
    config = load_config(str(in_tmp / "hexcheck.toml"))
    assert config.preset == "strict" and config.layers.layer_of("shop.presentation.routes") is W


def test_init_write_leaves_a_broken_pyproject_untouched(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_text("[project\nname = 'shop'\n", encoding="utf-8")
    result = runner.invoke(app, ["init", "--write"])
    assert result.exit_code == 2
    assert "cannot update " in result.stderr and "invalid TOML" in result.stderr
    assert (in_tmp / "pyproject.toml").read_text(encoding="utf-8") == "[project\nname = 'shop'\n"


def test_init_says_so_when_nothing_can_be_placed(in_tmp: Path) -> None:
    write_project(in_tmp, "# file: shop/models.py\n# file: shop/views.py\n")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0
    assert "No module falls into a layer" in result.stdout


def test_init_needs_a_directory(in_tmp: Path) -> None:
    result = runner.invoke(app, ["init", "nowhere"])
    assert result.exit_code == 2 and "not a directory: nowhere" in result.stderr


def test_init_write_keeps_windows_line_ends(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_bytes(b'[project]\r\nname = "shop"\r\n')
    assert runner.invoke(app, ["init", "--write"]).exit_code == 0
    written = (in_tmp / "pyproject.toml").read_bytes()
    assert written.startswith(b'[project]\r\nname = "shop"\r\n\r\n[tool.hexcheck]\r\n')
    assert b"\n" not in written.replace(b"\r\n", b"")
