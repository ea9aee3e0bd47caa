"""The ecosystem check's pure parts: manifest rules, finding diffs, lasting labels, precision."""

from __future__ import annotations

import ast
import textwrap
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.corpus.corpus import (
    Finding,
    ManifestError,
    Precision,
    diff_findings,
    format_diff,
    labelled_layer,
    layer_agreement,
    load_manifest,
    parse_labels,
    parse_manifest,
    precision,
    reserved_repos,
    sample_for_labelling,
    sample_groups_for_labelling,
    wilson_interval,
)
from tests.corpus.mutations import plant
from tests.corpus.primer import MANIFEST, RESERVED, namespace_folders, roots_of, shadowed_by_installed

COMMIT = "0123456789abcdef0123456789abcdef01234567"
# The held-out half's declared widenings: each round (its projects carry `widening = "CA"`)
# with the number of projects it brought.
WIDENINGS = Counter({"CA": 12, "CB": 12})


def _finding(path: str, code: str, symbol: str, line: int, project: str = "acme/shop") -> Finding:
    return Finding(project, path, code, symbol, line, f"{code} on {symbol}")


def _entry(repo: str, commit: str = COMMIT, split: str = "held-out", extra: str = "") -> str:
    return textwrap.dedent(
        f"""\
        [[project]]
        repo = "{repo}"
        commit = "{commit}"
        tags = ["src-layout"]
        split = "{split}"
        added = "2026-12-02"
        issue = 14
        {extra}
        """
    )


# --- the manifest ------------------------------------------------------------------------------


def test_the_corpus_manifest_meets_its_rules() -> None:
    projects = load_manifest(MANIFEST, RESERVED)
    assert len(projects) >= 30
    held_out = [p for p in projects if p.split == "held-out"]
    # Half (18 of 36) were held out at the start. A swap (README, "swap rule") moves a
    # project to tuning and adds a new held-out one when it can; at least twelve stay.
    assert len(held_out) >= 12
    tags = {tag for p in projects for tag in p.tags}
    for needed in (
        "src-layout",
        "backend-folder",
        "multi-distribution",
        "bounded-contexts",
        "mongo",
        "py312-syntax",
    ):
        assert needed in tags, needed
    # The corpus was first drawn on 2026-12-02; `added` is the ISO date a project came in.
    assert all(p.issue >= 14 and date.fromisoformat(p.added) >= date(2026, 12, 2) for p in projects)
    # Projects a later session brings are tuning ones unless they replace a project the swap
    # rule moved to tuning, or belong to a declared widening: the held-out half is refilled by
    # swaps and widened only by a whole round, decided before hexcheck ran on any of it and
    # kept whatever its figures (manifest, round CA). Never project by project.
    added_held_out = Counter(
        p.widening for p in projects if p.split == "held-out" and not p.replaces and p.added != "2026-12-02"
    )
    assert added_held_out == WIDENINGS, added_held_out
    assert all(p.layers for p in projects), "every project carries package-level layer labels"


def test_only_a_held_out_project_belongs_to_a_widening() -> None:
    text = _entry("acme/wide", extra='widening = "CB"') + _entry(
        "acme/tuned", split="tuning", extra='widening = "CB"'
    )
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text)
    assert str(raised.value) == (
        "the manifest is not valid:\n"
        "  project 2 (acme/tuned): only a held-out project belongs to a widening, not a tuning one"
    )
    assert [p.widening for p in parse_manifest(_entry("acme/wide", extra='widening = "CB"'))] == ["CB"]


def test_manifest_names_a_swap_that_replaces_no_tuning_project() -> None:
    text = (
        _entry("acme/old", split="held-out")
        + _entry("acme/new", split="held-out", extra='replaces = "acme/old"')
        + _entry("acme/twice", split="held-out", extra='replaces = "acme/old"')
        + _entry("acme/tuned", split="tuning", extra='replaces = "acme/nowhere"')
    )
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text)
    message = str(raised.value)
    assert "acme/new: replaces acme/old, which is no tuning project" in message
    assert "acme/twice: acme/old is replaced twice" in message
    assert "acme/tuned: only a held-out project replaces another" in message
    assert "acme/tuned: replaces acme/nowhere, which is no tuning project" in message


def test_manifest_names_every_broken_rule() -> None:
    text = _entry("acme/shop", commit="abc123") + _entry("acme/shop", split="training") + _entry("nobody")
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text)
    message = str(raised.value)
    assert "commit must be a full 40-hex commit, not 'abc123'" in message
    assert "listed twice" in message
    assert "split must be one of tuning, held-out, not 'training'" in message
    assert "repo must be 'owner/name'" in message


def test_manifest_refuses_a_reserved_repository(tmp_path: Path) -> None:
    reserved_file = tmp_path / "shared" / "reserved-repos.txt"
    reserved_file.parent.mkdir()
    reserved_file.write_text("# reserved\nAcme/Evaluation\n", encoding="utf-8")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(_entry("acme/evaluation") + _entry("acme/shop", split="tuning"), encoding="utf-8")
    reserved = reserved_repos([tmp_path / "missing.txt", reserved_file])
    assert reserved == frozenset({"acme/evaluation"})
    with pytest.raises(ManifestError, match="acme/evaluation is reserved for independent evaluation"):
        load_manifest(manifest, [reserved_file])
    manifest.write_text(_entry("acme/shop"), encoding="utf-8")
    assert [p.repo for p in load_manifest(manifest, [reserved_file])] == ["acme/shop"]


@pytest.mark.skipif(
    not any(path.is_file() for path in RESERVED), reason="no reserved-repos.txt on this machine"
)
def test_no_corpus_project_is_reserved() -> None:
    reserved = reserved_repos(RESERVED)
    assert reserved
    assert not {p.repo.lower() for p in load_manifest(MANIFEST)} & reserved


def test_manifest_layer_labels_must_name_a_layer() -> None:
    text = _entry("acme/shop", extra='[project.layers]\n"src/domain" = "domian"\n')
    with pytest.raises(ManifestError, match="'src/domain' = 'domian' is not one of domain"):
        parse_manifest(text)


# --- finding diffs -----------------------------------------------------------------------------


def test_diff_pairs_findings_by_key_not_by_line() -> None:
    before = [
        _finding("app/domain/user.py", "HEX102", "app.domain.user -> pydantic", 3),
        _finding("app/domain/user.py", "HEX201", "User", 10),
        _finding("app/api/routes.py", "HEX607", "delete_user", 40),
    ]
    after = [
        _finding("app/domain/user.py", "HEX102", "app.domain.user -> pydantic", 3),
        _finding("app/domain/user.py", "HEX201", "User", 14),  # four lines inserted above
        _finding("app/api/routes.py", "HEX604", "UserIn.extra", 12),
    ]
    diff = diff_findings(before, after)
    assert diff.unchanged == 1
    assert [(b.line, a.line) for b, a in diff.moved] == [(10, 14)]
    assert [f.code for f in diff.added] == ["HEX604"]
    assert [f.code for f in diff.removed] == ["HEX607"]
    assert format_diff("acme/shop", diff) == [
        "## acme/shop: +1 -1 ~1 (=1)",
        "  HEX201",
        "    ~ app/domain/user.py:10->14: HEX201 on User",
        "  HEX604",
        "    + app/api/routes.py:12: HEX604 on UserIn.extra",
        "  HEX607",
        "    - app/api/routes.py:40: HEX607 on delete_user",
    ]


def test_diff_of_findings_sharing_a_key_matches_exact_lines_first() -> None:
    symbol = "app.domain.a -> sqlalchemy"
    before = [_finding("app/domain/a.py", "HEX102", symbol, line) for line in (1, 5)]
    after = [_finding("app/domain/a.py", "HEX102", symbol, line) for line in (5, 9, 12)]
    diff = diff_findings(before, after)
    assert diff.unchanged == 1
    assert [(b.line, a.line) for b, a in diff.moved] == [(1, 9)]
    assert [f.line for f in diff.added] == [12]
    assert not diff.removed
    assert diff_findings(after, after).is_empty()
    assert format_diff("acme/shop", diff_findings(after, after)) == []


# --- labels and precision ----------------------------------------------------------------------


def test_a_label_survives_a_line_shift() -> None:
    labels = parse_labels(
        [
            '{"project": "acme/shop", "path": "app/domain/user.py", "code": "HEX201", "symbol": "User", '
            '"verdict": "true", "reason": "dataclass without __post_init__"}',
            "",
            '{"project": "acme/shop", "path": "app/domain/order.py", "code": "HEX203", '
            '"symbol": "Order.pay", "verdict": "false", "reason": "re-raise"}',
        ]
    )
    shifted = [
        _finding("app/domain/user.py", "HEX201", "User", 57),
        _finding("app/domain/order.py", "HEX203", "Order.pay", 3),
        _finding("app/domain/order.py", "HEX203", "Order.refund", 9),
    ]
    value, missing = precision(shifted, labels)
    assert (value.n, value.true, value.false) == (2, 1, 1)
    assert [f.symbol for f in missing] == ["Order.refund"]


def test_labels_reject_an_unknown_verdict() -> None:
    line = (
        '{"project": "a/b", "path": "x.py", "code": "HEX101", "symbol": "", "verdict": "maybe", "reason": ""}'
    )
    with pytest.raises(ValueError, match="verdict 'maybe' is not one of true, false, true-but-accepted"):
        parse_labels([line])


def test_accepted_findings_count_as_correct() -> None:
    value = Precision(n=10, true=6, accepted=2, false=2)
    assert value.correct == 8
    assert value.value == pytest.approx(0.8)
    assert value.interval == pytest.approx(wilson_interval(8, 10))


def test_wilson_interval() -> None:
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_sample_takes_all_of_a_small_project_and_twenty_of_a_large_one() -> None:
    small = [_finding("a.py", "HEX101", f"s{i}", i, project="acme/small") for i in range(12)]
    large = [_finding("b.py", "HEX101", f"i{i}", i, project="acme/large") for i in range(50)]
    large += [_finding("c.py", "HEX603", f"r{i}", i, project="acme/large") for i in range(3)]
    sample = sample_for_labelling(small + large)
    assert len([f for f in sample if f.project == "acme/small"]) == 12
    chosen = [f for f in sample if f.project == "acme/large"]
    assert len(chosen) == 20
    assert len([f for f in chosen if f.code == "HEX603"]) == 3  # round-robin keeps the rare rule
    assert sample == sample_for_labelling(list(reversed(small + large)))  # seeded, order-free


def test_a_design_decision_is_sampled_once_and_labelled_by_its_first_finding() -> None:
    # 30 imports of one adapter from the web are one decision; with 25 more, each its own,
    # a project holds 26 groups, of which 20 are drawn round-robin over the rules.
    one = [
        replace(
            _finding(f"web/r{i:02}.py", "HEX101", f"web.r{i:02} -> infra.db", 3),
            group="HEX101 web -> infra.db",
        )
        for i in range(30)
    ]
    own = [replace(_finding("d.py", "HEX201", f"E{i}", i), group=f"HEX201 d.E{i}") for i in range(25)]
    loose = _finding("x.py", "HEX900", "x", 1)  # no group: a group of its own key
    sample = sample_groups_for_labelling(one + own + [loose])
    assert len(sample) == 20
    decisions = [f for f in sample if f.code == "HEX101"]
    assert decisions == [one[0]]  # the group's first finding stands for it
    assert loose in sample
    assert sample == sample_groups_for_labelling(list(reversed(one + own + [loose])))
    small = sample_groups_for_labelling(one[:5] + own[:3])
    assert small == sorted([one[0], *own[:3]])


# --- layers ------------------------------------------------------------------------------------


def test_layer_agreement_uses_the_most_specific_label() -> None:
    labels = {"src/shop": "unlayered", "src/shop/domain": "domain", "src/shop/main.py": "composition"}
    assert labelled_layer("src/shop/domain/user.py", labels) == "domain"
    assert labelled_layer("src/shop/main.py", labels) == "composition"
    assert labelled_layer("src/shopping/x.py", labels) is None
    modules = [
        {"name": "shop.domain.user", "path": "src/shop/domain/user.py", "layer": "domain"},
        {"name": "shop.main", "path": "src/shop/main.py", "layer": "web"},
        {"name": "shop.tools", "path": "src/shop/tools.py", "layer": None},
        {"name": "other", "path": "other.py", "layer": "web"},
    ]
    agreement = layer_agreement(modules, labels)
    assert (agreement.covered, agreement.agreeing) == (3, 2)
    assert agreement.disagreements == (("src/shop/main.py", "composition", "web"),)


def test_roots_are_read_off_module_names_and_paths() -> None:
    modules = [
        {"name": "app", "path": "backend/app/__init__.py"},
        {"name": "app.core.db", "path": "backend/app/core/db.py"},
        {"name": "billing.api", "path": "services/billing/src/billing/api.py"},
        {"name": "manage", "path": "manage.py"},
    ]
    assert roots_of(modules) == {"backend": {"app"}, "services/billing/src": {"billing"}}


def test_an_import_a_namespace_folder_cannot_hold_is_the_installed_package(tmp_path: Path) -> None:
    for path in ("alembic/env.py", "alembic/versions/d031_init.py", "app/models/user.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    (tmp_path / "app/__init__.py").write_text("")
    modules = [
        {"name": "alembic.env", "path": "alembic/env.py"},
        {"name": "alembic.versions.d031_init", "path": "alembic/versions/d031_init.py"},
        {"name": "app", "path": "app/__init__.py"},
        {"name": "app.models.user", "path": "app/models/user.py"},
    ]
    folders = namespace_folders(tmp_path, modules)
    assert folders == {"alembic": [tmp_path / "alembic"]}
    assert shadowed_by_installed("alembic.context", folders)  # Alembic's own API
    assert shadowed_by_installed("alembic.runtime.migration", folders)
    assert not shadowed_by_installed("alembic.versions.d031_init", folders)  # the tree's
    assert not shadowed_by_installed("alembic.env.run_migrations", folders)
    assert not shadowed_by_installed("app.models.missing", folders)  # a regular package's


# --- seeded mutations --------------------------------------------------------------------------

_SHOP = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/order.py": """\
        from dataclasses import dataclass


        @dataclass
        class Order:
            id: int

            def __post_init__(self) -> None:
                if self.id < 0:
                    raise OrderError(self.id)


        class OrderError(Exception):
            pass
        """,
    "shop/domain/money.py": "CURRENCY = 'EUR'\n",
    "shop/domain/rules.py": "LIMIT = 10\n",
    "shop/application/__init__.py": "",
    "shop/application/ports.py": """\
        from abc import ABC, abstractmethod

        from shop.domain.order import Order


        class OrderRepository(ABC):
            @abstractmethod
            async def get(self, order_id: int) -> Order:
                raise NotImplementedError

            @abstractmethod
            async def add(self, order: Order) -> None:
                raise NotImplementedError
        """,
    "shop/application/place_order.py": """\
        from shop.application.ports import OrderRepository
        from shop.domain.order import Order


        class PlaceOrder:
            def __init__(self, orders: OrderRepository) -> None:
                self._orders = orders

            async def execute(self, order_id: int) -> Order:
                order = Order(order_id)
                await self._orders.add(order)
                return order
        """,
    "shop/application/cancel_order.py": """\
        from shop.application.ports import OrderRepository


        class CancelOrder:
            def __init__(self, orders: OrderRepository) -> None:
                self._orders = orders

            async def execute(self, order_id: int) -> None:
                return None
        """,
    "shop/application/errors.py": "class Rejected(Exception):\n    pass\n",
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/orders.py": """\
        from shop.application.ports import OrderRepository
        from shop.domain.order import Order


        class MongoOrderRepository(OrderRepository):
            async def get(self, order_id: int) -> Order:
                return Order(order_id)

            async def add(self, order: Order) -> None:
                return None
        """,
    "shop/infrastructure/clock.py": "import time\n",
    "shop/web/__init__.py": "",
    "shop/web/schemas.py": """\
        from fastapi import APIRouter
        from pydantic import BaseModel


        class OrderIn(BaseModel):
            order_id: int
        """,
    "shop/web/routes.py": """\
        from fastapi import APIRouter

        router = APIRouter()
        """,
}
_LABELS = {
    "shop/domain": "domain",
    "shop/application": "application",
    "shop/infrastructure": "infrastructure",
    "shop/web": "web",
}


def test_mutations_are_planted_deterministically_where_the_shape_fits(tmp_path: Path) -> None:
    def build(root: Path) -> dict[str, str]:
        for relative, source in _SHOP.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source), encoding="utf-8")
        names = {}
        for relative in _SHOP:
            parts = Path(relative).with_suffix("").parts
            names[relative] = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        return names

    first, second = tmp_path / "one", tmp_path / "two"
    mutations = plant(first, _LABELS, build(first), seed="14:acme/shop")
    again = plant(second, _LABELS, build(second), seed="14:acme/shop")
    assert mutations == again
    planted = {m.kind: (m.code, m.path) for m in mutations if m.path}
    assert planted["removed-adapter-method"] == ("HEX501", "shop/infrastructure/orders.py")
    assert planted["port-method-with-body"] == ("HEX302", "shop/application/ports.py")
    assert planted["dropped-await"] == ("HEX503", "shop/application/place_order.py")
    assert planted["use-case-builds-adapter"] == ("HEX402", "shop/application/cancel_order.py")
    assert planted["dto-field-dict"] == ("HEX604", "shop/web/schemas.py")
    assert planted["route-without-security"][0] == "HEX607"
    assert len(planted) >= 10
    assert len({path for _, path in planted.values()}) == len(planted), "one file takes one mutation"
    for relative in _SHOP:
        ast.parse((first / relative).read_text(encoding="utf-8"))  # every mutant still parses
        assert (first / relative).read_text(encoding="utf-8") == (second / relative).read_text(
            encoding="utf-8"
        )
    assert "await self._orders.add" not in (first / "shop/application/place_order.py").read_text(
        encoding="utf-8"
    )


def test_a_mutation_without_its_shape_is_not_applicable(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tool.py").write_text("X = 1\n", encoding="utf-8")
    mutations = plant(tmp_path, {"lib": "unlayered"}, {"lib/tool.py": "lib.tool"}, seed="14:acme/lib")
    assert mutations and all(not m.path and m.note.startswith("not applicable") for m in mutations)
    assert (tmp_path / "lib" / "tool.py").read_text(encoding="utf-8") == "X = 1\n"
