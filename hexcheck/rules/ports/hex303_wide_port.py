"""HEX303 wide-port: A port declares more than `max-port-methods` (default 8) public
methods."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.ports._private import declared_methods
from hexcheck.semantics.roles import ClassRef, Roles, roles


class WidePort(Rule):
    code = "HEX303"
    name = "wide-port"
    severity = Severity.WARNING
    concern = "ports"
    summary = "A port declares more than `max-port-methods` (default 8) public methods."
    subject = "ports stay narrow"
    why = (
        "Every method of a port is a method every adapter and every test fake must "
        "implement, and a reason for a use case to depend on more than it uses. A wide "
        "port is usually several contracts in one (reads and writes, queries for three "
        "screens, an admin API) and grows with every feature: the interface segregation "
        "principle applied to hexagons. A port is measured by the public methods it "
        "declares itself: `_private` helpers, special methods and the methods inherited "
        "from a generic base port (`Repository[T]`'s CRUD, reviewed once, at the base) "
        "do not count, even when the port declares them again to narrow their types or "
        "document them, and `@overload` variants count once."
    )
    how_to_fix = (
        "Split the port along the way its callers use it: a `BookReader` for the queries, "
        "a `BookWriter` for the changes, a separate port for a reporting need. One adapter "
        "class may implement several ports. Raise `max-port-methods` in `[tool.hexcheck]` "
        "if your team settled on a wider limit.\n\n"
        "Before:\n\n"
        "    class BookRepository(ABC):\n"
        "        # get, add, update, remove, by_author, by_isbn, search, count,\n"
        "        # most_borrowed, export_csv\n\n"
        "After:\n\n"
        "    class BookReader(ABC):  # get, by_author, by_isbn, search, count\n"
        "    class BookWriter(ABC):  # add, update, remove\n"
        "    class CatalogueReports(ABC):  # most_borrowed, export_csv"
    )
    valid = (
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T: ...
    @abstractmethod
    async def add(self, entity: T) -> None: ...
    @abstractmethod
    async def update(self, entity: T) -> None: ...
    @abstractmethod
    async def remove(self, entity_id: str) -> None: ...
    @abstractmethod
    async def exists(self, entity_id: str) -> bool: ...
    @abstractmethod
    async def all(self) -> list[T]: ...
    @abstractmethod
    async def _collection(self) -> str: ...
    @abstractmethod
    def __len__(self) -> int: ...
# file: app/application/ports/book_repository.py
from abc import abstractmethod

from app.application.ports.repository import Repository


class BookRepository(Repository["Book"]):
    @abstractmethod
    async def by_author(self, author_id: str) -> list: ...
    @abstractmethod
    async def by_isbn(self, isbn: str) -> object: ...
    @abstractmethod
    async def search(self, text: str) -> list: ...
    @abstractmethod
    async def count(self) -> int: ...
    @abstractmethod
    async def most_borrowed(self, limit: int) -> list: ...
""",
        """\
# file: app/application/ports/reports.py
from abc import ABC, abstractmethod
from typing import overload


class CatalogueReports(ABC):
    @abstractmethod
    def most_borrowed(self, limit: int) -> list: ...
    @abstractmethod
    def never_borrowed(self) -> list: ...
    @abstractmethod
    def by_genre(self) -> dict: ...
    @abstractmethod
    def by_month(self, year: int) -> dict: ...
    @abstractmethod
    def overdue(self) -> list: ...
    @abstractmethod
    def lost(self) -> list: ...
    @abstractmethod
    def members_per_branch(self) -> dict: ...
    @overload
    def export(self, fmt: str) -> bytes: ...
    @overload
    def export(self, fmt: None) -> None: ...
    @abstractmethod
    def export(self, fmt: str | None) -> bytes | None: ...
    @abstractmethod
    def _query(self, pipeline: list) -> list: ...
    @abstractmethod
    def __len__(self) -> int: ...
""",
        """\
# file: app/domain/repositories/base.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class BaseRepository(ABC, Generic[T]):
    @abstractmethod
    def get(self, entity_id: str) -> T | None: ...
    @abstractmethod
    def save(self, entity: T) -> T: ...
    @abstractmethod
    def delete(self, entity_id: str) -> bool: ...
    @abstractmethod
    def exists(self, entity_id: str) -> bool: ...
# file: app/domain/repositories/cart_repository.py
from abc import abstractmethod

from app.domain.repositories.base import BaseRepository


class CartRepository(BaseRepository["Cart"]):
    # The base's CRUD, written again to narrow its types: still the base's methods.
    @abstractmethod
    def get(self, entity_id: str) -> "Cart | None": ...
    @abstractmethod
    def save(self, entity: "Cart") -> "Cart": ...
    @abstractmethod
    def delete(self, entity_id: str) -> bool: ...
    @abstractmethod
    def exists(self, entity_id: str) -> bool: ...
    @abstractmethod
    def active_for(self, user_id: str) -> "Cart | None": ...
    @abstractmethod
    def expired(self) -> list: ...
    @abstractmethod
    def abandoned_since(self, days: int) -> list: ...
    @abstractmethod
    def merge(self, source_id: str, target_id: str) -> "Cart": ...
    @abstractmethod
    def count_active(self) -> int: ...
""",
    )
    invalid = (
        """\
# file: app/application/ports/book_repository.py
from typing import Protocol

from app.domain.book import Book


class BookRepository(Protocol):  # error: HEX303
    async def get(self, book_id: str) -> Book: ...
    async def add(self, book: Book) -> None: ...
    async def update(self, book: Book) -> None: ...
    async def remove(self, book_id: str) -> None: ...
    async def by_author(self, author_id: str) -> list[Book]: ...
    async def by_isbn(self, isbn: str) -> Book: ...
    async def search(self, text: str) -> list[Book]: ...
    async def count(self) -> int: ...
    async def most_borrowed(self, limit: int) -> list[Book]: ...
# file: app/domain/book.py
class Book: ...
""",
        """\
# file: app/domain/repositories.py
import abc
from typing import Generic, TypeVar

T = TypeVar("T")


class GenericRepository(Generic[T], metaclass=abc.ABCMeta):  # error: HEX303
    @abc.abstractmethod
    def get(self, entity_id: str) -> T: ...
    @abc.abstractmethod
    def add(self, entity: T) -> None: ...
    @abc.abstractmethod
    def update(self, entity: T) -> None: ...
    @abc.abstractmethod
    def remove(self, entity_id: str) -> None: ...
    @abc.abstractmethod
    def count(self) -> int: ...
    @abc.abstractmethod
    def exists(self, entity_id: str) -> bool: ...
    @abc.abstractmethod
    def all(self) -> list[T]: ...
    @abc.abstractmethod
    def persist(self, entity: T) -> None: ...
    @abc.abstractmethod
    def persist_all(self) -> None: ...
    @abc.abstractmethod
    def collect_events(self) -> list: ...


class MemberRepository(GenericRepository["Member"]):
    @abc.abstractmethod
    def by_email(self, email: str) -> object: ...
""",
        # A concrete mixin's methods are reviewed nowhere else: the port's own count them.
        """\
# file: app/application/ports/notifier.py
from abc import ABC, abstractmethod


class RetryingMixin:
    def send(self, to: str, body: str) -> None:
        self._retry(lambda: None)

    def cancel(self, message_id: str) -> None:
        self._retry(lambda: None)

    def _retry(self, action: object) -> None: ...


class Notifier(RetryingMixin, ABC):  # error: HEX303
    @abstractmethod
    def send(self, to: str, body: str) -> None: ...
    @abstractmethod
    def cancel(self, message_id: str) -> None: ...
    @abstractmethod
    def send_bulk(self, to: list, body: str) -> None: ...
    @abstractmethod
    def schedule(self, to: str, body: str, at: str) -> None: ...
    @abstractmethod
    def status(self, message_id: str) -> str: ...
    @abstractmethod
    def retry(self, message_id: str) -> None: ...
    @abstractmethod
    def templates(self) -> list: ...
    @abstractmethod
    def render(self, template: str) -> str: ...
    @abstractmethod
    def quota(self) -> int: ...
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).ports)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        limit = model.config.max_port_methods
        roles_ = roles(model)
        for ref in roles_.ports:
            declared = _own_methods(roles_, ref)
            if len(declared) <= limit:
                continue
            message = (
                f"port '{ref.cls.qualname}' declares {len(declared)} public methods; "
                f"the limit is {limit} (max-port-methods)"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


def _own_methods(roles_: Roles, ref: ClassRef) -> tuple[str, ...]:
    """The public methods a port declares that no abstract port it derives from declares:
    `get(self, id) -> Cart` written again below `Repository[T]` to narrow its type is still
    the base's method, reviewed there. A concrete mixin's are reviewed nowhere else."""
    inherited = {
        method.name
        for ancestor in roles_.ports_of(ref)
        if roles_.is_abstract(ancestor)
        for method in ancestor.cls.methods
    }
    return tuple(name for name in declared_methods(ref) if name not in inherited)
