"""hexcheck's import graph equals grimp's (the engine under import-linter), edge for edge.

grimp runs in a subprocess on a copy of each tree (see `tests/grimp_compare.py`). The only
differences allowed are the documented categories: dynamic imports (hexcheck counts them),
self-imports (grimp records them), and modules grimp's discovery does not see
(directories without `__init__.py` inside a regular package).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.corpus.primer import pinned_tree
from tests.grimp_compare import UNEXPLAINED, Comparison, compare, report, top_level_packages

pytest.importorskip("grimp")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def _fixture_trees() -> list[object]:
    trees: list[object] = [pytest.param(REPO, ("hexcheck",), id="hexcheck")]
    if FIXTURES.is_dir():
        for fixture in sorted(FIXTURES.iterdir()):
            if not fixture.is_dir():
                continue
            root = fixture / "src" if (fixture / "src").is_dir() else fixture
            if top_level_packages(root):
                trees.append(pytest.param(root, None, id=fixture.name))
    return trees


def _assert_parity(comparison: Comparison) -> None:
    assert comparison.unexplained() == (), report(comparison)


@pytest.mark.parametrize(("root", "packages"), _fixture_trees())
@pytest.mark.parametrize("grimp_discovery", [False, True], ids=["python-discovery", "grimp-discovery"])
def test_same_edges_as_grimp(root: Path, packages: tuple[str, ...] | None, grimp_discovery: bool) -> None:
    comparison = compare(root, packages, grimp_discovery)
    _assert_parity(comparison)
    assert comparison.hexcheck_modules, "no module found"
    if grimp_discovery:
        assert comparison.hexcheck_modules <= comparison.grimp_modules


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")


def test_every_resolution_case_matches_grimp(tmp_path: Path) -> None:
    """The cases where resolution could go wrong, checked against grimp itself."""
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from . import sub\nfrom . import not_a_module\n",
            "pkg/a.py": """\
                import pkg.sub.b.Thing
                import pkg.missing.x
                from pkg.missing import y
                from pkg.sub import b, c, Thing
                from pkg.sub.b import *
                from .sub import b as bee
                from . import a
                import pkg.sub as s, pkg.tc
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    import pkg.tc
                else:
                    import pkg.sub.c
                def f():
                    import pkg.late
                try:
                    import pkg.optional
                except ImportError:
                    pass
                import importlib
                importlib.import_module("pkg.dyn")
                __import__("pkg.sub")
            """,
            "pkg/sub/__init__.py": "from .. import a\nfrom ..a import *\nfrom ... import above\n",
            "pkg/sub/b.py": "from .c import X\nfrom ..sub import c\nfrom .. import a as top\n",
            "pkg/sub/c.py": "from ....way import too_far\n",
            "pkg/tc.py": "",
            "pkg/late.py": "",
            "pkg/optional.py": "",
            "pkg/dyn.py": "",
            "pkg/broken.py": "def (:\n",
            "pkg/uses_broken.py": "from pkg import broken\n",
            "pkg/orphan/o.py": "from pkg import a\n",
            "pkg/uses_orphan.py": "from pkg.orphan import o\n",
            "other/__init__.py": "import pkg.sub.b\n",
        },
    )
    comparison = compare(tmp_path)
    assert comparison.packages == ("other", "pkg")
    _assert_parity(comparison)
    categories = {
        category: sorted((d.importer, d.imported) for d in differences)
        for category, differences in comparison.by_category().items()
    }
    assert categories == {
        "dynamic-import": [("pkg.a", "pkg.dyn")],  # `__import__("pkg.sub")` duplicates a static edge
        "grimp-skips-module": [("pkg.orphan.o", "pkg.a"), ("pkg.uses_orphan", "pkg.orphan.o")],
        "self-import": [("pkg", "pkg"), ("pkg.a", "pkg.a")],
    }
    assert ("pkg.uses_broken", "pkg.broken") in comparison.common
    assert comparison.unparsable == (str(tmp_path / "pkg" / "broken.py"),)
    assert UNEXPLAINED not in categories


def test_namespace_packages_match_grimp(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "acme/billing/__init__.py": "from acme.shipping import api\n",
            "acme/billing/core.py": "from . import models\nfrom acme.loose import helper\n",
            "acme/billing/models.py": "",
            "acme/shipping/__init__.py": "",
            "acme/shipping/api.py": "import acme.billing.core\nimport acme\n",
            "acme/loose/helper.py": "from acme.billing import models\n",
        },
    )
    comparison = compare(tmp_path)
    assert comparison.packages == ("acme",)
    _assert_parity(comparison)
    assert comparison.differences == ()
    assert ("acme.billing.core", "acme.loose.helper") in comparison.common
    assert ("acme.shipping.api", "acme") in comparison.common  # the namespace package itself
    assert len(comparison.common) == 6


def test_import_in_class_inside_function(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "def f():\n    class Inner:\n        from pkg import deep\n",
            "pkg/deep.py": "",
        },
    )
    comparison = compare(tmp_path)
    assert ("pkg.a", "pkg.deep") in comparison.common


def test_large_real_project() -> None:
    """Netflix/dispatch at the corpus manifest's pinned commit (tests/corpus/manifest.toml)."""
    tree, why_not = pinned_tree("Netflix/dispatch")
    if tree is None:
        pytest.skip(why_not)
    comparison = compare(tree / "src", None, grimp_discovery=True)
    _assert_parity(comparison)
    assert comparison.agreement > 0.998
    assert {d.category for d in comparison.differences} <= {"self-import", "dynamic-import"}
