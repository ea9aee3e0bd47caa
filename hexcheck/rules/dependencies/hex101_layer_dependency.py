"""HEX101 layer-dependency: A module imports a first-party module of a layer its own layer
may not depend on."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import and_list


def _allowed_text(model: ProjectModel, layer: Layer) -> str:
    return and_list([other.value for other in Layer if model.config.may_depend(layer, other)])


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
            for edge in model.dependency_edges()
            if model.layer(edge.importer) is not None and model.layer(edge.imported) is not None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for edge in model.layer_violations():
            importer_layer = model.layer(edge.importer)
            imported_layer = model.layer(edge.imported)
            assert importer_layer is not None and imported_layer is not None  # both ends are layered
            facts = model.modules[edge.importer]
            how = " (under TYPE_CHECKING)" if edge.fact.type_checking else ""
            absent = ", not in the tree" if model.is_missing(edge.imported) else ""
            message = (
                f"{importer_layer.value} module '{edge.importer}' imports "
                f"'{edge.imported}' ({imported_layer.value}{absent}){how}; "
                f"{importer_layer.value} may depend only on {_allowed_text(model, importer_layer)}"
            )
            yield self.finding(facts, edge.fact.span, message, f"{edge.importer} -> {edge.imported}", model)
