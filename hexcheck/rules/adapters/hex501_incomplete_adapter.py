"""HEX501 incomplete-adapter: An adapter does not implement every abstract method of its
ports."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import BodyKind, ExprKind, FunctionFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.adapters._private import NOT_OVERRIDES
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import quoted_list
from hexcheck.semantics.contracts import adapter_classes, contracts, external_bases
from hexcheck.semantics.roles import ClassRef, Roles, is_abstract_method, roles
from hexcheck.semantics.symbols import is_type_variable


def still_generic(r: Roles, ref: ClassRef) -> bool:
    """A class that hands type variables on to its base (`AsyncCRUDRepository(
    AsyncRepository[T, ID])`): a generic base that its subclasses bind
    (`UserRepository(AsyncCRUDRepository[User, int])`) and complete, not yet an adapter."""
    return any(
        base.kind is ExprKind.SUBSCRIPT and any(is_type_variable(r.model, arg) for arg in base.args)
        for base in ref.cls.bases
    )


def _instance_attributes(r: Roles, ref: ClassRef) -> set[str]:
    names: set[str] = set()
    for owner in (ref, *r.first_party_ancestors(ref)):
        for method in owner.cls.methods:
            names.update(attribute.name for attribute in method.self_attributes)
    return names


def unimplemented(r: Roles, ref: ClassRef) -> list[tuple[ClassRef, FunctionFact]]:
    """The methods `ref` must implement and does not, in the order the MRO would mostly
    find them: abstract methods of any first-party ancestor; methods of a contract whose
    body is only `raise NotImplementedError`; the `...` members of a `Protocol` port.

    A class-level attribute with a value implements a method (an abstract property
    overridden by `name = "books"`); for Protocol members an instance attribute does too.
    """
    contract_names = {c.dotted for c in contracts(r, ref)}
    instance = _instance_attributes(r, ref)
    seen: set[str] = set()
    missing: list[tuple[ClassRef, FunctionFact]] = []
    for owner in (ref, *r.first_party_ancestors(ref)):
        for method in owner.cls.methods:
            if method.name in seen:
                continue
            seen.add(method.name)
            if owner is ref:
                continue
            protocol_member = (
                r.is_protocol(owner) and method.body is BodyKind.EMPTY and method.name not in NOT_OVERRIDES
            )
            placeholder = (
                owner.dotted in contract_names
                and method.name not in instance
                and (method.body is BodyKind.NOT_IMPLEMENTED or protocol_member)
            )
            if is_abstract_method(method) or placeholder:
                missing.append((owner, method))
        seen.update(attribute.name for attribute in owner.cls.attributes if attribute.value is not None)
    return missing


class IncompleteAdapter(Rule):
    code = "HEX501"
    name = "incomplete-adapter"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "An adapter does not implement every abstract method of its ports."
    subject = "adapters implement every method of their ports"
    why = (
        "A port is a promise the application relies on: every use case holding a "
        "`BookRepository` may call any of its methods. An adapter that leaves one of "
        "them abstract cannot even be instantiated (`TypeError: Can't instantiate "
        "abstract class`), and the failure shows up at startup or, with lazy providers, "
        "on the first request that needs it, far from the port that changed. Methods "
        "inherited through intermediate bases and from ports in other modules count; so "
        "do port methods whose body is only `raise NotImplementedError` and the `...` "
        "members of a `Protocol` the adapter subclasses, which fail at call time instead."
    )
    how_to_fix = (
        "Implement the missing methods in the adapter (or in the shared base it derives "
        "from). If the port grew a method only one consumer needs, split the port.\n\n"
        "Before:\n\n"
        "    class MongoBookRepository(BookRepository):\n"
        "        async def get(self, book_id: str) -> Book | None: ...\n"
        "        # BookRepository.add is never implemented\n\n"
        "After:\n\n"
        "    class MongoBookRepository(BookRepository):\n"
        "        async def get(self, book_id: str) -> Book | None: ...\n\n"
        "        async def add(self, book: Book) -> None:\n"
        "            await self._collection.insert_one(to_document(book))"
    )
    valid = (
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")

class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T | None: ...

    @abstractmethod
    async def add(self, entity: T) -> None: ...
# file: app/application/ports/book_repository.py
from abc import abstractmethod
from app.application.ports.repository import Repository
from app.domain.book import Book

class BookRepository(Repository[Book]):
    @abstractmethod
    async def get_by_isbn(self, isbn: str) -> Book | None: ...
# file: app/domain/book.py
class Book: ...
# file: app/infrastructure/persistence/mongo_base.py
from abc import abstractmethod
from typing import Any, TypeVar
from motor.motor_asyncio import AsyncIOMotorDatabase
from app.application.ports.repository import Repository

T = TypeVar("T")

class MongoRepository(Repository[T]):
    collection_name: str

    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database[self.collection_name]

    async def get(self, entity_id: str) -> T | None:
        document = await self._collection.find_one({"_id": entity_id})
        return None if document is None else self._from_document(document)

    async def add(self, entity: T) -> None:
        await self._collection.insert_one(self._to_document(entity))

    @abstractmethod
    def _to_document(self, entity: T) -> dict[str, Any]: ...

    @abstractmethod
    def _from_document(self, document: dict[str, Any]) -> T: ...
# file: app/infrastructure/persistence/mongo_book_repository.py
from app.application.ports.book_repository import BookRepository
from app.domain.book import Book
from app.infrastructure.persistence.mongo_base import MongoRepository

class MongoBookRepository(MongoRepository[Book], BookRepository):
    collection_name = "books"

    async def get_by_isbn(self, isbn: str) -> Book | None:
        document = await self._collection.find_one({"isbn": isbn})
        return None if document is None else self._from_document(document)

    def _to_document(self, entity: Book) -> dict:
        return {"_id": entity.id}

    def _from_document(self, document: dict) -> Book:
        return Book()
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod
from datetime import datetime
from typing import Protocol

class Clock(Protocol):
    def now(self) -> datetime: ...

class Named(ABC):
    @property
    @abstractmethod
    def name(self) -> str: ...
# file: app/infrastructure/clock.py
from datetime import datetime, timezone
from app.application.ports.clock import Clock, Named

class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

class UtcClock(Clock, Named):
    name = "utc"

    def now(self) -> datetime:
        return datetime.now(timezone.utc)
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...

    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/sql_books.py
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from app.application.ports.books import BookRepository

class SqlBookRepository(SQLAlchemyAsyncRepository, BookRepository):
    model_type = dict
""",
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> dict | None: ...

    @abstractmethod
    async def add(self, book: dict) -> None: ...
# file: app/infrastructure/testing/fakes.py
from app.application.ports.books import BookRepository


class FakeBookRepository(BookRepository):  # a test double: what one test needs
    async def get(self, book_id: str) -> dict | None:
        return None
# file: app/infrastructure/tests/test_books.py
from app.application.ports.books import BookRepository


class OnlyAdds(BookRepository):
    async def add(self, book: dict) -> None: ...
# file: app/infrastructure/mongo_books.py
from app.application.ports.books import BookRepository


class MongoBookRepository(BookRepository):
    async def get(self, book_id: str) -> dict | None:
        return None

    async def add(self, book: dict) -> None: ...
""",
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @property
    @abstractmethod
    def model_class(self) -> type[T]: ...

    @abstractmethod
    async def get(self, item_id: str) -> T | None: ...
# file: app/infrastructure/sql_repository.py
from app.application.ports.repository import Repository, T


class SqlRepository(Repository[T]):  # still generic: subclasses bind T and name the model
    async def get(self, item_id: str) -> T | None:
        return None
""",
    )
    invalid = (
        """\
# file: app/application/ports/book_repository.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    async def add(self, book) -> None: ...

    @abstractmethod
    async def set_cover_url(self, book_id: str, url: str) -> None: ...
# file: app/infrastructure/persistence/mongo_book_repository.py
from app.application.ports.book_repository import BookRepository

class MongoBookRepository(BookRepository):  # error: HEX501
    async def get(self, book_id: str):
        return None

    async def add(self, book) -> None:
        pass
""",
        """\
# file: app/application/notifications.py
from typing import Protocol

class NotificationGateway:
    async def send_due_reminder(self, member_id: str) -> None:
        raise NotImplementedError

    async def send_welcome(self, member_id: str) -> None:
        raise NotImplementedError

class Mailer(Protocol):
    def send(self, to: str, body: str) -> None: ...
# file: app/infrastructure/notifications.py
import logging
from app.application.notifications import Mailer, NotificationGateway

class LoggingNotificationGateway(NotificationGateway):  # error: HEX501
    async def send_welcome(self, member_id: str) -> None:
        logging.info("welcome %s", member_id)

class SmtpMailer(Mailer):  # error: HEX501
    def __init__(self, host: str) -> None:
        self._host = host
""",
        """\
# file: app/domain/book_repository.py
from abc import ABC, abstractmethod


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> dict | None: ...

    @abstractmethod
    async def add(self, book: dict) -> None: ...
# file: app/infrastructure/mongo_books.py
from dataclasses import dataclass

from app.domain.book_repository import BookRepository


@dataclass
class MongoBookRepository(BookRepository):  # error: HEX501
    collection_name: str

    async def get(self, book_id: str) -> dict | None:
        return None
""",
        # A Protocol member whose body only makes it a generator (`...` then `yield ""`) is
        # a stub like `...`: an explicit subclass owes it.
        """\
# file: app/application/ports/llm_client.py
from collections.abc import AsyncIterator
from typing import Protocol


class LlmClient(Protocol):
    async def complete(self, prompt: str) -> str: ...

    async def stream(self, prompt: str) -> AsyncIterator[str]:
        ...
        yield ""
# file: app/infrastructure/openai_client.py
from app.application.ports.llm_client import LlmClient


class OpenAiClient(LlmClient):  # error: HEX501
    async def complete(self, prompt: str) -> str:
        return prompt
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(adapter_classes(roles(model)))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        for ref in adapter_classes(r):
            missing = unimplemented(r, ref)
            # A base from a library (`SQLAlchemyRepositoryMixin`) may implement them; a
            # generic base leaves them to the subclasses that bind its type variables.
            if not missing or external_bases(r, ref) or still_generic(r, ref):
                continue
            names = [f"{owner.cls.name}.{method.name}" for owner, method in missing]
            message = f"adapter '{ref.cls.name}' does not implement {quoted_list(names)}"
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
