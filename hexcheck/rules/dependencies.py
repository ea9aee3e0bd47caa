"""Dependency direction: which module may import which (HEX101-HEX104)."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import Edge, ProjectModel
from hexcheck.core.findings import Finding, Hop, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule, location
from hexcheck.rules.messages import and_list


def _allowed_text(model: ProjectModel, layer: Layer) -> str:
    return and_list([other.value for other in Layer if model.config.may_depend(layer, other)])


def counts(model: ProjectModel, edge: Edge) -> bool:
    """Whether an import edge counts for the layer rules under this configuration."""
    return not (edge.fact.type_checking and model.config.type_checking_imports == "allow")


class LayerDependency(Rule):
    code = "HEX101"
    name = "layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A module imports a first-party module of a layer its own layer may not depend on."
    subject = "imports between layers point inwards"
    why = (
        "The dependency rule is what makes a hexagon a hexagon: source code dependencies "
        "point inwards only. The domain knows nothing of use cases, the use cases know "
        "nothing of MongoDB or FastAPI. Once an inner layer imports an outer one, the "
        "business rules can no longer be tested, reused or reasoned about without the "
        "framework, the database driver and their configuration, and every change at the "
        "edge ripples into the core. Imports under `TYPE_CHECKING` and inside functions "
        "count too: they are the same coupling, only hidden."
    )
    how_to_fix = (
        "Invert the dependency: let the inner layer declare what it needs as a port (an "
        "ABC or Protocol in `application/ports`) and let the outer layer implement it; "
        "the composition root wires the two together.\n\n"
        "Before, in `app/application/use_cases/create_book.py`:\n\n"
        "    from app.infrastructure.persistence.mongo_book_repository import MongoBookRepository\n\n"
        "    class CreateBook:\n"
        "        def __init__(self) -> None:\n"
        "            self._books = MongoBookRepository()\n\n"
        "After:\n\n"
        "    from app.application.ports.book_repository import BookRepository\n\n"
        "    class CreateBook:\n"
        "        def __init__(self, books: BookRepository) -> None:\n"
        "            self._books = books\n\n"
        "If an edge between two layers is a deliberate decision of your team, allow it with "
        '`allowed-edges = ["web -> infrastructure"]` in `[tool.hexcheck]`.'
    )
    valid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass

@dataclass
class Book:
    title: str
# file: app/application/use_cases/create_book.py
from app.domain.book import Book
from app.application.ports.books import BookRepository
# file: app/application/ports/books.py
from abc import ABC
from app.domain.book import Book
# file: app/infrastructure/persistence/mongo.py
from app.application.ports.books import BookRepository
from app.domain.book import Book
""",
        """\
# file: app/application/use_cases/create_book.py
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.book import Book
# file: app/domain/book.py
class Book: ...
# file: app/main.py
from app.infrastructure.web import routers
from app.application.use_cases import create_book
# file: app/infrastructure/web/routers.py
from app.application.use_cases.create_book import Book
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from app.infrastructure.persistence.mongo import MongoClient  # error: HEX101

class Book: ...
# file: app/infrastructure/persistence/mongo.py
class MongoClient: ...
""",
        """\
# file: app/application/use_cases/list_books.py
from typing import TYPE_CHECKING

from ...infrastructure.web import schemas  # error: HEX101

if TYPE_CHECKING:
    from app.infrastructure.persistence import mongo  # error: HEX101

def run() -> None:
    import app.main as main  # error: HEX101
# file: app/infrastructure/__init__.py
# file: app/infrastructure/web/schemas.py
# file: app/infrastructure/persistence/mongo.py
# file: app/main.py
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for edge in model.edges()
            if counts(model, edge)
            and model.layer(edge.importer) is not None
            and model.layer(edge.imported) is not None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for edge in model.edges():
            if not counts(model, edge):
                continue
            importer_layer = model.layer(edge.importer)
            imported_layer = model.layer(edge.imported)
            if importer_layer is None or imported_layer is None:
                continue
            if model.config.may_depend(importer_layer, imported_layer):
                continue
            facts = model.modules[edge.importer]
            how = " (under TYPE_CHECKING)" if edge.fact.type_checking else ""
            message = (
                f"{importer_layer.value} module '{edge.importer}' imports "
                f"'{edge.imported}' ({imported_layer.value}){how}; "
                f"{importer_layer.value} may depend only on {_allowed_text(model, importer_layer)}"
            )
            yield self.finding(facts, edge.fact.span, message, f"{edge.importer} -> {edge.imported}", model)


class ForbiddenPackage(Rule):
    code = "HEX102"
    name = "forbidden-package"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A module imports an external package its layer may not use."
    subject = "imports of external packages respect their layer's policy"
    why = (
        "The domain is plain Python: it may use the standard library and nothing else, so "
        "that the business rules outlive every framework the service will ever use. The "
        "application layer orchestrates the domain through ports; web frameworks, ORMs, "
        "database drivers, HTTP clients and settings libraries belong to the adapters "
        "around it. A `pydantic` model in the domain or a `motor` call in a use case "
        "welds the core to one technology and makes it slow and awkward to test."
    )
    how_to_fix = (
        "Keep the framework at the edge: a Pydantic DTO in `web`, mapped to and from a "
        "plain `@dataclass` entity; a Motor adapter in `infrastructure` behind a port.\n\n"
        "Before, in `app/domain/book.py`:\n\n"
        "    from pydantic import BaseModel\n\n"
        "    class Book(BaseModel):\n"
        "        title: str\n\n"
        "After:\n\n"
        "    from dataclasses import dataclass\n\n"
        "    @dataclass\n"
        "    class Book:\n"
        "        title: str\n\n"
        "        def __post_init__(self) -> None:\n"
        "            if not self.title:\n"
        '                raise InvalidBook("a book needs a title")\n\n'
        "The lists are configurable per layer: `[tool.hexcheck.packages.domain]` "
        '`extend-allow = ["attrs"]`, `[tool.hexcheck.packages.application]` '
        '`extend-forbid = ["kafka"]`.'
    )
    valid = (
        """\
# file: app/domain/book.py
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing_extensions import Self
# file: app/infrastructure/persistence/mongo.py
from motor.motor_asyncio import AsyncIOMotorClient
import pymongo
""",
        """\
# file: app/application/use_cases/create_book.py
import asyncio
import logging
from app.domain import book
# file: app/domain/__init__.py
# file: app/domain/book.py
# file: app/web/schemas.py
from pydantic import BaseModel
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from pydantic import BaseModel  # error: HEX102
import attr  # error: HEX102
""",
        """\
# file: app/application/use_cases/create_book.py
from motor.motor_asyncio import AsyncIOMotorCollection  # error: HEX102

def handler() -> None:
    from fastapi import HTTPException  # error: HEX102
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for module, facts in model.modules.items()
            if model.layer(module) is not None
            for fact in facts.imports
            if model.external_package(fact) is not None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for module, facts in model.modules.items():
            layer = model.layer(module)
            if layer is None:
                continue
            policy = model.config.package_policy(layer)
            for fact in facts.imports:
                if fact.type_checking and model.config.type_checking_imports == "allow":
                    continue
                package = model.external_package(fact)
                if package is None or not policy.forbids(package, model.is_stdlib(package)):
                    continue
                if policy.allow_only is not None and package not in policy.forbid:
                    allowed = and_list(("the standard library", *policy.allow_only))
                    reason = f"{layer.value} may import only {allowed}"
                else:
                    reason = f"'{package}' is forbidden in {layer.value}"
                message = (
                    f"{layer.value} module '{module}' imports the external package '{package}'; {reason}"
                )
                yield self.finding(facts, fact.span, message, f"{module} -> {package}", model)


def _chain_text(edges: tuple[Edge, ...]) -> str:
    parts = [edges[0].importer]
    for edge in edges:
        parts.append(f"{edge.imported} (l.{edge.fact.span.line})")
    return " -> ".join(parts)


class IndirectLayerDependency(Rule):
    code = "HEX103"
    name = "indirect-layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A layered module reaches a forbidden layer only through unlayered modules."
    subject = "imports of unlayered modules keep away from forbidden layers"
    why = (
        "Shared helper modules that belong to no layer are not checked for their own "
        "imports, which makes them a quiet way around the dependency rule: the domain "
        "imports `app.common.db_utils`, which imports the Mongo adapter, and the domain now "
        "loads the driver at import time as surely as if it imported it directly. Each hop "
        "looks harmless; the chain is the violation."
    )
    how_to_fix = (
        "Cut the chain at the hop that should not be there, usually the import inside the "
        "shared module: split the module so that the part the inner layer needs has no "
        "outward imports, or move the helper into the layer that uses it.\n\n"
        "Before: `app/domain/book.py` imports `app.common.ids`, and `app/common/ids.py` "
        "imports `app.infrastructure.persistence.mongo` for `ObjectId` handling.\n\n"
        "After: `app/common/ids.py` keeps only the pure id helpers; the `ObjectId` "
        "conversion moves to `app/infrastructure/persistence/mongo.py`."
    )
    valid = (
        """\
# file: app/domain/book.py
from app.common.text import slugify
# file: app/common/text.py
import re
# file: app/infrastructure/persistence/mongo.py
from app.common.text import slugify
""",
        """\
# file: app/infrastructure/web/routers.py
from app.common.clock import now
# file: app/common/clock.py
from app.domain.book import Book
from app.application.use_cases.create_book import CreateBook
# file: app/domain/book.py
# file: app/application/use_cases/create_book.py
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from app.common import ids  # error: HEX103
# file: app/common/__init__.py
# file: app/common/ids.py
from app.infrastructure.persistence.mongo import to_object_id
# file: app/infrastructure/persistence/mongo.py
def to_object_id(): ...
""",
        """\
# file: app/application/use_cases/list_books.py
import app.shared.paging  # error: HEX103
# file: app/shared/paging.py
from app.shared import links
# file: app/shared/links.py
from app.infrastructure.web import routers
# file: app/infrastructure/web/routers.py
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for edge in model.edges()
            if counts(model, edge)
            and model.layer(edge.importer) is not None
            and model.layer(edge.imported) is None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for chain in model.indirect_chains():
            first, last = chain[0], chain[-1]
            importer_layer = model.layer(first.importer)
            target_layer = model.layer(last.imported)
            if importer_layer is None or target_layer is None:
                continue
            facts = model.modules[first.importer]
            message = (
                f"{importer_layer.value} module '{first.importer}' reaches "
                f"'{last.imported}' ({target_layer.value}) through unlayered modules: "
                f"{_chain_text(chain)}"
            )
            symbol = " -> ".join([first.importer, *(edge.imported for edge in chain)])
            hops = tuple(
                Hop(edge.importer, edge.imported, location(model.modules[edge.importer], edge.fact.span))
                for edge in chain
            )
            yield self.finding(facts, first.fact.span, message, symbol, model, hops)


class ImportCycle(Rule):
    code = "HEX104"
    name = "import-cycle"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "First-party modules form a cycle of module-level runtime imports."
    subject = "modules stay out of import cycles"
    why = (
        "A cycle of imports means none of its modules can be understood, tested or "
        "loaded alone; which one runs first depends on who imports whom first, and a "
        "harmless reordering turns into an `ImportError` on a partially initialised "
        "module. In a hexagon, a cycle almost always hides a dependency pointing the "
        "wrong way. Imports under `TYPE_CHECKING` and inside functions do not run at "
        "import time and are not counted."
    )
    how_to_fix = (
        "Find the import in the cycle that points outwards or sideways and remove it: "
        "move the shared piece into a module both can import, depend on an abstraction, "
        "or, for type hints only, import under `if TYPE_CHECKING:`.\n\n"
        "Before: `app/domain/order.py` does `from app.domain.customer import Customer` "
        "and `app/domain/customer.py` does `from app.domain.order import Order`.\n\n"
        "After: `customer.py` keeps `from typing import TYPE_CHECKING` and "
        "`if TYPE_CHECKING: from app.domain.order import Order`, with the annotation "
        'written `"Order"`.'
    )
    valid = (
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.order import Order
""",
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
def orders():
    from app.domain.order import Order
""",
    )
    invalid = (
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
from app.domain.order import Order  # error: HEX104
""",
        """\
# file: app/services/a.py
import app.services.b  # error: HEX104
# file: app/services/b.py
from app.services import c
# file: app/services/c.py
from . import a
# file: app/services/__init__.py
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(model.modules)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        # The model rotates each cycle to start at its alphabetically first module, so the
        # finding lands in the same place whatever order the files were read in.
        for cycle in model.cycles():
            first = cycle[0]
            facts = model.modules[first.importer]
            path = " -> ".join([first.importer, *(edge.imported for edge in cycle)])
            hops = tuple(
                Hop(edge.importer, edge.imported, location(model.modules[edge.importer], edge.fact.span))
                for edge in cycle
            )
            yield self.finding(facts, first.fact.span, f"import cycle: {path}", path, model, hops)


__all__ = ["ForbiddenPackage", "ImportCycle", "IndirectLayerDependency", "LayerDependency"]
