"""The project model: import resolution (grimp's), edges, chains, cycles, layers, classes.

Every project here is source text turned into facts by `extract()`; nothing is imported.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from itertools import pairwise

import pytest

from hexcheck.analysis.model import Edge, LayerEdge, ProjectModel, strongly_connected_components
from hexcheck.core.config import Config
from hexcheck.core.facts import ImportFact, ImportKind, ModuleFacts
from hexcheck.core.layers import Layer
from hexcheck.extract.extractor import extract


def build(files: Mapping[str, str], config: Config | None = None) -> ProjectModel:
    """A model of files given as `{"app/domain/book.py": source}`."""
    facts = []
    for path, source in sorted(files.items()):
        parts = path.removesuffix(".py").split("/")
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        facts.append(extract(textwrap.dedent(source).encode(), ".".join(parts), path, is_package))
    return ProjectModel(facts, config or Config())


def pairs(edges: tuple[Edge, ...]) -> list[tuple[str, str]]:
    return [(edge.importer, edge.imported) for edge in edges]


def chain_names(chain: tuple[Edge, ...]) -> list[str]:
    return [chain[0].importer, *(edge.imported for edge in chain)]


def only_import(facts: ModuleFacts) -> ImportFact:
    assert len(facts.imports) == 1, facts.imports
    return facts.imports[0]


BASE = {
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/book.py": "class Book: ...\n",
    "app/domain/author.py": "",
    "app/shared/__init__.py": "",
    "app/shared/util.py": "",
}


# ---------------------------------------------------------------- import resolution


@pytest.mark.parametrize(
    ("module", "statement", "expected"),
    [
        ("app.shared.util", "import app.domain.book", ("app.domain.book",)),
        ("app.shared.util", "import app.domain.book as b", ("app.domain.book",)),
        # grimp: not a module, but its parent is
        ("app.shared.util", "import app.domain.book.Book", ("app.domain.book",)),
        ("app.shared.util", "from app.domain import book", ("app.domain.book",)),
        ("app.shared.util", "from app.domain import Book", ("app.domain",)),
        ("app.shared.util", "from app.domain import book as b, Book", ("app.domain", "app.domain.book")),
        ("app.shared.util", "from app.domain import book, author", ("app.domain.author", "app.domain.book")),
        ("app.shared.util", "from app.domain.book import Book", ("app.domain.book",)),
        ("app.shared.util", "from app.domain import *", ("app.domain",)),
        ("app.shared.util", "from app.domain.book import *", ("app.domain.book",)),
        ("app.shared.util", "from ..domain import book", ("app.domain.book",)),
        ("app.shared.util", "from ..domain.book import Book", ("app.domain.book",)),
        ("app.shared.util", "from .. import domain", ("app.domain",)),
        ("app.shared.util", "from . import nothing_here", ("app.shared",)),
        ("app.shared", "from . import util", ("app.shared.util",)),
        ("app.shared", "from .. import domain", ("app.domain",)),
        # first-party but missing: neither it nor its parent is a module
        ("app.shared.util", "import app.missing.thing", ()),
        ("app.shared.util", "from app.missing import thing", ()),
        ("app.shared.util", "import pydantic", ()),
        ("app.shared.util", "from pydantic.fields import Field", ()),
        ("app.shared.util", "from __future__ import annotations", ()),
        (
            "app.shared.util",
            "import importlib\nimportlib.import_module('app.domain.book')",
            ("app.domain.book",),
        ),
    ],
)
def test_targets_follow_grimp(module: str, statement: str, expected: tuple[str, ...]) -> None:
    path = module.replace(".", "/") + ("/__init__.py" if module == "app.shared" else ".py")
    model = build({**BASE, path: statement + "\n"})
    facts = model.modules[module]
    found = tuple(t for fact in facts.imports for t in model.targets(facts, fact))
    assert found == expected


def test_relative_import_above_the_top_package_gives_no_edge() -> None:
    model = build(
        {
            **BASE,
            "app/__init__.py": "from .. import elsewhere\nfrom ..other import x\n",
            "app/domain/book.py": "from .... import too_far\nfrom ...x import y\n",
            "top.py": "from . import sibling\n",
        }
    )
    for name in ("app", "app.domain.book", "top"):
        facts = model.modules[name]
        assert facts.problem is None
        assert all(model.targets(facts, fact) == () for fact in facts.imports)
        assert all(model.external_package(fact) is None for fact in facts.imports)
    assert [e for e in model.edges() if e.importer in ("app", "app.domain.book", "top")] == []


def test_namespace_packages_are_modules_without_facts() -> None:
    model = build(
        {
            "ns/inner/__init__.py": "",
            "ns/inner/a.py": "import ns\nfrom ns import inner, loose\nimport ns.loose.deep.x\n",
            "ns/loose/deep/b.py": "from ns import nothing\n",
        }
    )
    assert model.namespace_packages == ("ns", "ns.loose", "ns.loose.deep")
    assert "ns" not in model.modules
    assert pairs(model.edges()) == [
        ("ns.inner.a", "ns"),
        ("ns.inner.a", "ns.inner"),
        ("ns.inner.a", "ns.loose"),
        ("ns.inner.a", "ns.loose.deep"),
        ("ns.loose.deep.b", "ns"),
    ]
    assert model.is_first_party("ns.whatever")


def test_edges_sorted_with_flags_and_no_self_edges() -> None:
    model = build(
        {
            **BASE,
            "app/shared/util.py": """\
                from __future__ import annotations
                from typing import TYPE_CHECKING
                import app.domain.book
                if TYPE_CHECKING:
                    from app.domain import author
                from app.shared import util
                def late():
                    import app.domain
                    import importlib
                    return importlib.import_module("app.shared")
            """,
        }
    )
    edges = [e for e in model.edges() if e.importer == "app.shared.util"]
    assert [
        (e.imported, e.line, e.fact.type_checking, e.fact.function_level, e.fact.kind) for e in edges
    ] == [
        ("app.domain.book", 3, False, False, ImportKind.IMPORT),
        ("app.domain.author", 5, True, False, ImportKind.FROM),
        ("app.domain", 8, False, True, ImportKind.IMPORT),
        ("app.shared", 10, False, True, ImportKind.DYNAMIC),
    ]
    assert model.edges() == tuple(sorted(model.edges(), key=lambda e: (e.importer, e.line, e.imported)))
    assert pairs(model.runtime_edges()) == [("app.shared.util", "app.domain.book")]
    files = {**BASE, "app/shared/util.py": "if TYPE_CHECKING:\n    import app.domain\n"}
    assert len(build(files).dependency_edges()) == 1
    allowing = build(files, Config(type_checking_imports="allow"))
    assert allowing.dependency_edges() == ()
    assert len(allowing.edges()) == 1


def test_script_block_imports_are_in_the_graph_but_no_dependency() -> None:
    # grimp and import-linter count every import statement; the module graph does too. But
    # `if __name__ == "__main__":` runs only when the file is run as a script: no layer
    # rule, chain or import cycle takes it for the module's dependency.
    files = {
        **BASE,
        "app/shared/util.py": 'if __name__ == "__main__":\n    import app.domain\n',
        "app/domain/__init__.py": "import app.shared.util\n",
    }
    model = build(files)
    assert pairs(model.edges()) == [("app.domain", "app.shared.util"), ("app.shared.util", "app.domain")]
    assert pairs(model.dependency_edges()) == [("app.domain", "app.shared.util")]
    assert pairs(model.runtime_edges()) == [("app.domain", "app.shared.util")]
    assert model.cycles() == ()


_CLI = """\
    import asyncio


    def _build():
        from app.infrastructure.repo import Repo

        return Repo()


    async def main():
        _build().run()
    {extra}

    if __name__ == "__main__":
        {run}
    """


@pytest.mark.parametrize(
    ("extra", "elsewhere", "reported"),
    [
        # Only the script block runs `main`, and `main` the builder: the import is the script's.
        ("", {}, False),
        # Handed on, not called: `Thread(target=main)` runs it all the same.
        ("", {"run": "threading.Thread(target=main).start()"}, False),
        # Another module runs `main`: the builder runs there too, on import of nothing special.
        ("", {"app/cli/runner.py": "from app.cli.tool import main\n"}, True),
        # The whole module imported: any of its functions may run.
        ("", {"app/cli/runner.py": "from app.cli import tool\n"}, True),
        # A method, a provider handed to `Depends`, a module-level alias, a decorator: the
        # builder may run outside the script.
        ("\nclass Job:\n    def run(self):\n        _build()\n", {}, True),
        ("\ndef route(repo=Depends(_build)):\n    return repo\n", {}, True),
        ("\nFACTORIES = {'repo': _build}\n", {}, True),
        ("\n@_build\ndef task():\n    pass\n", {}, True),
    ],
)
def test_imports_of_the_functions_only_the_script_block_runs_are_no_dependency(
    extra: str, elsewhere: dict[str, str], reported: bool
) -> None:
    elsewhere = dict(elsewhere)
    run = elsewhere.pop("run", "asyncio.run(main())")
    files = {
        **BASE,
        **elsewhere,
        "app/cli/__init__.py": "",
        "app/cli/tool.py": _CLI.replace("{extra}", textwrap.indent(extra, "    ")).replace("{run}", run),
        "app/infrastructure/__init__.py": "",
        "app/infrastructure/repo.py": "class Repo: ...\n",
    }
    model = build(files)
    assert ("app.cli.tool", "app.infrastructure.repo") in pairs(model.edges())
    assert (("app.cli.tool", "app.infrastructure.repo") in pairs(model.dependency_edges())) is reported


def test_modules_sorted_and_include_unparsable_files() -> None:
    model = build({**BASE, "app/broken.py": "def (:\n", "app/uses_broken.py": "from app import broken\n"})
    assert list(model.modules) == sorted(model.modules)
    assert model.modules["app.broken"].problem is not None
    assert pairs(model.edges()) == [("app.uses_broken", "app.broken")]


def test_external_packages_and_stdlib() -> None:
    model = build(
        {
            **BASE,
            "app/shared/util.py": """\
                from __future__ import annotations
                import os.path
                from pydantic.fields import Field
                import motor.motor_asyncio as m
                from . import other
                from app.domain import book
                import importlib
                importlib.import_module("yaml")
            """,
        }
    )
    facts = model.modules["app.shared.util"]
    found = [model.external_package(fact) for fact in facts.imports]
    assert found == [None, "os", "pydantic", "motor", None, None, "importlib", "yaml"]
    assert model.is_stdlib("os") and model.is_stdlib("__future__") and model.is_stdlib("typing")
    assert not model.is_stdlib("pydantic") and not model.is_stdlib("typing_extensions")
    assert model.is_first_party("app") and model.is_first_party("app.nothing")
    assert not model.is_first_party("apps") and not model.is_first_party("")


# ---------------------------------------------------------------- layers


LAYERED = {
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/book.py": "from app.shared import text\n",
    "app/domain/loan.py": "from app.domain import book\nfrom app.shared import clock\n",
    "app/application/__init__.py": "",
    "app/application/borrow.py": "from app.domain import loan\nfrom app.infrastructure import db\n",
    "app/infrastructure/__init__.py": "",
    "app/infrastructure/db.py": "from app.domain import book\n",
    "app/shared/__init__.py": "",
    "app/shared/text.py": "",
    "app/shared/clock.py": "from app.shared import helpers\n",
    "app/shared/helpers.py": "from app.infrastructure import db\n",
    "app/main.py": "import app.application.borrow\nimport app.infrastructure.db\n",
}


def test_layer_and_violations() -> None:
    model = build(LAYERED)
    assert model.layer("app.domain.book") is Layer.DOMAIN
    assert model.layer("app.shared.text") is None
    assert model.layer("app.main") is Layer.COMPOSITION
    assert pairs(model.layer_violations()) == [("app.application.borrow", "app.infrastructure.db")]


def test_layer_graph_counts() -> None:
    graph = build(LAYERED).layer_graph()
    assert graph.modules == (
        (Layer.DOMAIN, 3),
        (Layer.APPLICATION, 2),
        (Layer.INFRASTRUCTURE, 2),
        (Layer.WEB, 0),
        (Layer.COMPOSITION, 1),
        (None, 5),
    )
    assert graph.module_count(None) == 5
    assert graph.edge(Layer.DOMAIN, Layer.DOMAIN) == LayerEdge(Layer.DOMAIN, Layer.DOMAIN, 1, 1, False)
    assert graph.edge(Layer.DOMAIN, None) == LayerEdge(Layer.DOMAIN, None, 2, 2, False)
    assert graph.edge(Layer.COMPOSITION, Layer.APPLICATION) == LayerEdge(
        Layer.COMPOSITION, Layer.APPLICATION, 1, 1, False
    )
    assert graph.violations == (LayerEdge(Layer.APPLICATION, Layer.INFRASTRUCTURE, 1, 1, True),)
    order = [(e.importer, e.imported) for e in graph.edges]
    assert order[0] == (Layer.DOMAIN, Layer.DOMAIN)
    assert order[-2:] == [(None, Layer.INFRASTRUCTURE), (None, None)]


# ---------------------------------------------------------------- HEX103


def test_indirect_chain_through_unlayered_modules() -> None:
    model = build(LAYERED)
    chains = model.indirect_chains()
    assert [chain_names(c) for c in chains] == [
        ["app.domain.loan", "app.shared.clock", "app.shared.helpers", "app.infrastructure.db"],
    ]
    first = chains[0][0]
    assert (first.importer, first.imported, first.line) == ("app.domain.loan", "app.shared.clock", 2)


def test_a_web_module_reaching_infrastructure_is_no_chain() -> None:
    # That the unlayered service keeps its cache in Redis is the service's design, not
    # the route's; the use case loading it, or the adapter loading the web, is reported.
    model = build(
        {
            "app/__init__.py": "",
            "app/web/__init__.py": "",
            "app/web/books.py": "from app.services import book_service\n",
            "app/application/__init__.py": "",
            "app/application/lend.py": "from app.services import book_service\n",
            "app/services/__init__.py": "",
            "app/services/book_service.py": "from app.infrastructure import redis_cache\n",
            "app/infrastructure/__init__.py": "",
            "app/infrastructure/redis_cache.py": "import app.services.helpers\n",
            "app/services/helpers.py": "from app.web import books\n",
        }
    )
    assert [chain_names(c) for c in model.indirect_chains()] == [
        ["app.application.lend", "app.services.book_service", "app.infrastructure.redis_cache"],
        ["app.infrastructure.redis_cache", "app.services.helpers", "app.web.books"],
    ]


def test_indirect_chain_is_shortest_with_ties_broken_by_names() -> None:
    model = build(
        {
            "app/__init__.py": "",
            "app/domain/__init__.py": "",
            "app/domain/model.py": "import app.util.start\n",
            "app/web/__init__.py": "",
            "app/web/a.py": "",
            "app/web/b.py": "",
            "app/util/__init__.py": "",
            # two paths of length 3 to web, one of length 4
            "app/util/start.py": "import app.util.zed\nimport app.util.long1\nimport app.util.mid\n",
            "app/util/zed.py": "import app.web.a\n",
            "app/util/mid.py": "import app.web.b\n",
            "app/util/long1.py": "import app.util.long2\n",
            "app/util/long2.py": "import app.web.a\n",
        }
    )
    assert [chain_names(c) for c in model.indirect_chains()] == [
        ["app.domain.model", "app.util.start", "app.util.mid", "app.web.b"],
    ]


def test_chain_stops_at_layered_modules_and_allowed_targets() -> None:
    model = build(
        {
            "app/__init__.py": "",
            "app/domain/__init__.py": "",
            "app/domain/a.py": "import app.util.x\n",
            "app/domain/b.py": "import app.util.y\n",
            "app/util/__init__.py": "",
            "app/util/x.py": "import app.domain.b\n",  # layered: its own imports are its own business
            "app/util/y.py": "import app.infrastructure.db\n",
            "app/infrastructure/__init__.py": "",
            "app/infrastructure/db.py": "import app.util.z\n",
            "app/util/z.py": "import app.domain.a\n",
        }
    )
    assert [chain_names(c) for c in model.indirect_chains()] == [
        ["app.domain.b", "app.util.y", "app.infrastructure.db"],
    ]


def test_chain_honours_allowed_edges_and_type_checking_policy() -> None:
    files = {
        "app/__init__.py": "",
        "app/domain/__init__.py": "",
        "app/domain/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.util.x\n",
        "app/util/__init__.py": "",
        "app/util/x.py": "import app.web.api\n",
        "app/web/__init__.py": "",
        "app/web/api.py": "",
    }
    assert len(build(files).indirect_chains()) == 1
    assert build(files, Config(type_checking_imports="allow")).indirect_chains() == ()
    allowed = Config(allowed_edges=frozenset({(Layer.DOMAIN, Layer.WEB)}))
    assert build(files, allowed).indirect_chains() == ()


# ---------------------------------------------------------------- HEX104


def test_one_cycle_per_component_rotated_to_its_smallest_module() -> None:
    model = build(
        {
            "m/__init__.py": "",
            "m/c.py": "import m.d\n",
            "m/d.py": "import m.b\n",
            "m/b.py": "import m.c\nimport m.f\nimport m.e\n",
            "m/e.py": "import m.b\n",
            "m/f.py": "import m.b\n",  # as short as via m.e: the names decide
            "n/__init__.py": "",
            "n/x.py": "import n.y\n",
            "n/y.py": "import n.z\n",
            "n/z.py": "import n.x\n",
        }
    )
    cycles = model.cycles()
    assert [chain_names(c) for c in cycles] == [
        ["m.b", "m.e", "m.b"],  # the shortest cycle through m.b, not m.b -> m.c -> m.d -> m.b
        ["n.x", "n.y", "n.z", "n.x"],
    ]
    assert all(c[-1].imported == c[0].importer for c in cycles)


def test_cycles_ignore_type_checking_function_level_and_dynamic_imports() -> None:
    model = build(
        {
            "p/__init__.py": "",
            "p/a.py": "import p.b\n",
            "p/b.py": """\
                from typing import TYPE_CHECKING
                import importlib
                if TYPE_CHECKING:
                    import p.a
                def f():
                    import p.a
                importlib.import_module("p.a")
            """,
            "p/c.py": "try:\n    import p.d\nexcept ImportError:\n    pass\n",
            "p/d.py": "from p import c\n",
        }
    )
    assert [chain_names(c) for c in model.cycles()] == [["p.c", "p.d", "p.c"]]


# ---------------------------------------------------------------- classes


CLASSES = {
    "app/__init__.py": "",
    "app/domain/__init__.py": "from .book import Book\nfrom .base import *\n",
    "app/domain/base.py": """\
        from abc import ABC
        class Entity(ABC):
            class Meta: ...
        class Cyclic(Loop): ...
        class Loop(Cyclic): ...
    """,
    "app/domain/book.py": """\
        from typing import Generic, TypeVar
        from app.domain.base import Entity
        T = TypeVar("T")
        class Book(Entity, Generic[T]): ...
        BookAlias = Book
    """,
    "app/application/__init__.py": "",
    "app/application/ports/__init__.py": "from app.application.ports.repo import BookRepository\n",
    "app/application/ports/repo.py": """\
        import abc
        import typing
        from app import domain
        class BookRepository(abc.ABC):
            def get(self) -> domain.Book: ...
        class ReadOnly(typing.Protocol): ...
    """,
    "app/infrastructure/__init__.py": "",
    "app/infrastructure/mongo.py": """\
        import pydantic
        from app.application.ports import BookRepository
        from app.domain.book import BookAlias
        class MongoBookRepository(BookRepository): ...
        class CachedMongoBookRepository(MongoBookRepository, pydantic.BaseModel): ...
        class SpecialBook(BookAlias): ...
    """,
}


def test_find_class_follows_re_exports() -> None:
    model = build(CLASSES)
    found = model.find_class("app.domain.Book")
    assert found is not None
    assert (found[0].module, found[1].qualname) == ("app.domain.book", "Book")
    assert model.resolve_symbol("app.domain.Book") == "app.domain.book.Book"
    assert model.resolve_symbol("app.domain.Entity") == "app.domain.base.Entity"  # star re-export
    assert model.resolve_symbol("app.domain.Entity.Meta") == "app.domain.base.Entity.Meta"
    assert model.resolve_symbol("app.domain.book.BookAlias") == "app.domain.book.Book"
    assert model.resolve_symbol("app.application.ports.BookRepository") == (
        "app.application.ports.repo.BookRepository"
    )
    assert model.resolve_symbol("app.domain.book.T") == "app.domain.book.T"
    assert model.resolve_symbol("pydantic.BaseModel") == "pydantic.BaseModel"
    assert model.resolve_symbol("app.domain.Nothing") == "app.domain.Nothing"
    assert model.find_class("app.domain.Nothing") is None
    assert model.find_class("app.domain.book") is None
    meta = model.find_class("app.domain.Entity.Meta")
    assert meta is not None and meta[1].qualname == "Entity.Meta"


def test_ancestors_across_modules() -> None:
    model = build(CLASSES)
    assert model.ancestors("app.infrastructure.mongo.CachedMongoBookRepository") == (
        "app.infrastructure.mongo.MongoBookRepository",
        "pydantic.BaseModel",
        "app.application.ports.repo.BookRepository",
        "abc.ABC",
    )
    assert model.ancestors("app.domain.Book") == ("app.domain.base.Entity", "typing.Generic", "abc.ABC")
    assert model.ancestors("app.infrastructure.mongo.SpecialBook")[0] == "app.domain.book.Book"
    assert model.ancestors("app.application.ports.repo.ReadOnly") == ("typing.Protocol",)
    assert model.ancestors("app.domain.base.Cyclic") == ("app.domain.base.Loop",)
    assert model.ancestors("nothing.Here") == ()


def test_subclasses_transitively() -> None:
    model = build(CLASSES)
    assert model.subclasses("app.application.ports.BookRepository") == (
        "app.infrastructure.mongo.CachedMongoBookRepository",
        "app.infrastructure.mongo.MongoBookRepository",
    )
    assert model.subclasses("app.domain.Entity") == (
        "app.domain.book.Book",
        "app.infrastructure.mongo.SpecialBook",
    )
    assert model.subclasses("abc.ABC") == (
        "app.application.ports.repo.BookRepository",
        "app.domain.base.Entity",
        "app.domain.book.Book",
        "app.infrastructure.mongo.CachedMongoBookRepository",
        "app.infrastructure.mongo.MongoBookRepository",
        "app.infrastructure.mongo.SpecialBook",
    )
    assert model.subclasses("app.domain.base.Loop") == ("app.domain.base.Cyclic",)


def test_outputs_do_not_depend_on_input_order() -> None:
    forward = build(LAYERED)
    facts = list(forward.modules.values())
    backward = ProjectModel(list(reversed(facts)), Config())
    assert forward.edges() == backward.edges()
    assert forward.indirect_chains() == backward.indirect_chains()
    assert forward.layer_graph() == backward.layer_graph()
    assert list(forward.modules) == list(backward.modules)


@pytest.mark.parametrize("seed", range(40))
def test_the_strongly_connected_components_are_networkx_s(seed: int) -> None:
    """hexcheck's own Tarjan (NetworkX's import cost a twentieth of a run) finds exactly
    the components NetworkX finds, on random import graphs sparse and dense."""
    import random

    import networkx as nx  # type: ignore[import-untyped]

    chance = random.Random(seed)
    nodes = [f"m{index}" for index in range(chance.randint(1, 60))]
    density = chance.choice([0.02, 0.05, 0.1, 0.3])
    edges = {(a, b) for a in nodes for b in nodes if a != b and chance.random() < density}
    adjacency = {node: tuple(sorted(b for a, b in edges if a == node)) for node in nodes}
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    expected = sorted(sorted(component) for component in nx.strongly_connected_components(graph))
    assert sorted(sorted(component) for component in strongly_connected_components(adjacency)) == expected


def test_a_long_import_chain_does_not_reach_the_recursion_limit() -> None:
    chain = [f"m{index:05}" for index in range(20_000)]
    adjacency = {a: (b,) for a, b in pairwise(chain)} | {chain[-1]: (chain[0],)}
    assert strongly_connected_components(adjacency) == [set(chain)]
