"""HEX302 port-with-implementation: A port method is not abstract and has a body beyond a
docstring, `pass`, `...` or `raise NotImplementedError`."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import BodyKind, FunctionFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.roles import ClassRef, Roles, is_abstract_method, roles

_OVERLOADS = frozenset({"typing.overload", "typing_extensions.overload"})


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _implemented(method: FunctionFact) -> bool:
    """A method with a real body that is not declared abstract (overload stubs aside).
    Dunders are not a port's methods: `__init__`, `__repr__` are how Python builds and
    shows the object, not part of the contract."""
    if is_abstract_method(method) or method.decorated_with(*_OVERLOADS) or _is_dunder(method.name):
        return False
    return method.body is BodyKind.CODE


def _abstract_ports(roles_: Roles) -> tuple[ClassRef, ...]:
    """Ports that are abstract: a concrete one is HEX301's, whatever its methods hold."""
    return tuple(ref for ref in roles_.ports if roles_.is_abstract(ref))


class PortWithImplementation(Rule):
    code = "HEX302"
    name = "port-with-implementation"
    severity = Severity.WARNING
    concern = "ports"
    summary = (
        "A port method is not abstract and has a body beyond a docstring, `pass`, `...` "
        "or `raise NotImplementedError`."
    )
    subject = "port methods are declarations only"
    why = (
        "Behaviour in a port is behaviour every adapter inherits whether it fits or not: "
        "a helper that builds a Mongo filter in `BookRepository` is dead weight for the "
        "in-memory fake and a trap for the next adapter, and a default that an adapter "
        "forgets to override silently answers for it. A contract that only declares "
        "keeps the two sides independent: the use case relies on the signature, the "
        "adapter provides everything behind it. Abstract methods with a body (called "
        "through `super()`) and `@overload` stubs are not reported, nor is a partial "
        "implementation of a port: an abstract class that implements what a first-party "
        "ancestor declares abstract (an in-memory base giving `search` to the fakes "
        "deriving from it, adding only private hooks, which nothing receives) is the "
        "adapters' base, even in a module named for ports. Nor is a base that keeps what "
        "it is built with (an `__init__` storing a parameter) and offers more public "
        "methods with code than it leaves abstract, leaving out those that call its "
        "abstract methods (a plugin base with accessors and helpers around one abstract "
        "`run`), unless a use case takes it in `__init__`: shared behaviour, not a "
        "contract."
    )
    how_to_fix = (
        "Declare the method `@abstractmethod` with `...` as its body and move the code into "
        "the adapters (or a mixin in `infrastructure` they share). Logic that belongs to "
        "the domain (computing a next id, say) goes to a domain service or entity.\n\n"
        "Before:\n\n"
        "    class BookRepository(ABC):\n"
        "        async def exists(self, book_id: str) -> bool:\n"
        "            return await self.get(book_id) is not None\n\n"
        "After:\n\n"
        "    class BookRepository(ABC):\n"
        "        @abstractmethod\n"
        "        async def exists(self, book_id: str) -> bool: ..."
    )
    valid = (
        # An in-memory base kept in the module of ports it implements: it gives `search` to
        # the fakes deriving from it over its own `_apply_filter` hook. A partial
        # implementation of the port, not a port, whatever its module is named.
        """\
# file: catalog/core/domain/repositories.py
import abc
from typing import Generic, TypeVar

ET = TypeVar("ET")


class SearchableRepositoryInterface(Generic[ET], abc.ABC):
    @abc.abstractmethod
    def search(self, text: str) -> list[ET]: ...


class InMemorySearchableRepository(SearchableRepositoryInterface[ET], abc.ABC):
    def __init__(self) -> None:
        self.items: list[ET] = []

    def search(self, text: str) -> list[ET]:
        return self._apply_filter(self.items, text)

    @abc.abstractmethod
    def _apply_filter(self, items: list[ET], text: str) -> list[ET]: ...
""",
        # A stub that only makes the method an async generator for the type checkers: `...`
        # then a bare `yield` is no implementation.
        """\
# file: app/domain/ports/events.py
from collections.abc import AsyncIterator
from typing import Protocol


class EventStream(Protocol):
    async def subscribe(self, user_id: str) -> AsyncIterator[dict]:
        \"\"\"The user's events, as they arrive.\"\"\"
        ...
        yield  # type: ignore[misc]
""",
        """\
# file: app/application/ports/book_repository.py
from abc import ABC, abstractmethod
from typing import overload

from app.domain.book import Book


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> Book:
        \"\"\"The book with this id; raises BookNotFound.\"\"\"

    @abstractmethod
    async def add(self, book: Book) -> None:
        raise NotImplementedError

    @abstractmethod
    async def count(self) -> int:
        return 0

    async def remove(self, book_id: str) -> None:
        pass

    async def archive(self, book_id: str) -> None:
        ...

    @overload
    async def find(self, isbn: str) -> Book: ...
    @overload
    async def find(self, isbn: None) -> None: ...
    @abstractmethod
    async def find(self, isbn: str | None) -> Book | None: ...
# file: app/domain/book.py
class Book: ...
""",
        """\
# file: app/application/ports/cover_gateway.py
from typing import Protocol


class CoverGateway(Protocol):
    async def cover_url(self, isbn: str) -> str:
        \"\"\"A URL of the cover image.\"\"\"
        ...
# file: app/application/ports/notifier.py
class Notifier:
    def notify(self, member_id: str, text: str) -> None:
        print(member_id, text)
""",
        """\
# file: app/domain/model.py
from abc import ABC, abstractmethod
from uuid import UUID


class AggregateRoot(ABC):  # a base of the model, not a port
    def __init__(self, id: UUID) -> None:
        self.id = id
        self._events: list[object] = []

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id})"

    def pull_events(self) -> list[object]:
        events, self._events = self._events, []
        return events


class Specification(ABC):  # stateful domain classes derive from it: the model
    @abstractmethod
    def is_satisfied_by(self, candidate: object) -> bool: ...

    def and_(self, other: "Specification") -> "Specification":
        return other
# file: app/domain/book.py
from uuid import UUID

from app.domain.model import AggregateRoot, Specification


class Book(AggregateRoot):
    def __init__(self, id: UUID, title: str) -> None:
        super().__init__(id)
        if not title:
            raise ValueError("title")
        self.title = title


class Available(Specification):
    def __init__(self, minimum: int) -> None:
        self.minimum = minimum

    def is_satisfied_by(self, candidate: object) -> bool:
        return True
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    def __init__(self, zone: str) -> None:  # dunders are not the contract
        self.zone = zone

    def __repr__(self) -> str:
        return f"Clock({self.zone})"

    @abstractmethod
    def now(self) -> float: ...
""",
        """\
# file: app/domain/notices.py
from abc import ABC


class Notice(ABC):  # no abstract method: a template-method base, not a contract
    def render(self, member: str) -> str:
        return f"{self.headline()}: {member}"

    def headline(self) -> str:
        return "Library notice"


class OverdueNotice(Notice):
    def headline(self) -> str:
        return "Overdue"
# file: app/application/steps.py
from abc import ABC, abstractmethod


class DeskStep(ABC):  # neither injected nor implemented outside the core: a base
    def run(self) -> str:
        return f"{type(self).__name__}: {self.perform()}"

    @abstractmethod
    def perform(self) -> str: ...


class CountTill(DeskStep):
    def perform(self) -> str:
        return "till counted"
""",
        """\
# file: app/application/dao.py
from abc import abstractmethod

from app.interfaces.dao import IDao


class AbstractDao(IDao):  # gives `get` to every DAO, built on the hook each one resolves
    def get(self, id_: str) -> object:
        return self._resolve_get(id_)

    @abstractmethod
    def _resolve_get(self, id_: str) -> object: ...


class Reader:
    def __init__(self, dao: AbstractDao) -> None:
        self.dao = dao
# file: app/interfaces/dao.py
class IDao:
    def get(self, id_: str) -> object:
        raise NotImplementedError
""",
        # Received by the chat service, but every agent derives from it in the core: the
        # agents' shared base, not a contract something outside fulfils.
        """\
# file: app/application/agents/base_agent.py
from abc import ABC, abstractmethod


class Agent(ABC):
    def __init__(self, model: str) -> None:
        self._model = model

    @property
    def model(self) -> str:
        return self._model

    def _prompt(self, text: str) -> str:
        return f"[{self._model}] {text}"

    @abstractmethod
    async def answer(self, text: str) -> str: ...
# file: app/application/agents/react_agent.py
from app.application.agents.base_agent import Agent


class ReActAgent(Agent):
    async def answer(self, text: str) -> str:
        return self._prompt(text)
# file: app/application/chat.py
from app.application.agents.base_agent import Agent


class Chat:
    def __init__(self, agent: Agent) -> None:
        self._agent = agent

    async def execute(self, text: str) -> str:
        return await self._agent.answer(text)
""",
        # The template base of the application's message handlers, received by the
        # dispatcher and fulfilled only by handlers of the application: a Pydantic import
        # (the payloads they validate) is no adapter's.
        """\
# file: app/application/websocket/handlers/base.py
from abc import ABC, abstractmethod

from pydantic import BaseModel, ValidationError


class BaseHandler(ABC):
    payload_type: type[BaseModel]

    async def handle(self, message: dict) -> None:
        try:
            payload = self.payload_type.model_validate(message["payload"])
        except ValidationError:
            return
        await self.process(payload)

    @abstractmethod
    async def process(self, payload: BaseModel) -> None: ...


class NoOpHandler(BaseHandler):
    payload_type = BaseModel

    async def process(self, payload: BaseModel) -> None:
        return None
# file: app/application/websocket/dispatcher.py
from app.application.websocket.handlers.base import BaseHandler


class Dispatcher:
    def __init__(self, handlers: dict[str, BaseHandler]) -> None:
        self.handlers = handlers

    async def execute(self, kind: str, message: dict) -> None:
        await self.handlers[kind].handle(message)
""",
        # The controllers' base of a FastAPI kernel: every class deriving from it is built
        # by FastAPI for a route (`Depends(...)` in its `__init__`), so it is the web's own
        # template, no port; and the publishers' base beside the broker's driver that the
        # core never imports is the adapters' own. Neither is reported.
        """\
# file: src/kernel/toolkit/controller.py
from abc import ABC, abstractmethod

from pydantic import BaseModel


class IJsonController(ABC):
    @abstractmethod
    async def answer(self) -> BaseModel: ...

    async def run(self) -> BaseModel:
        answer = await self.answer()
        print(type(self).__name__, answer)
        return answer
# file: src/kernel/rmq/publisher.py
from abc import ABC, abstractmethod

from aio_pika import Message


class AbstractRMQPublisher(ABC):
    @abstractmethod
    async def publish(self, message: Message) -> None: ...

    def describe(self) -> str:
        return f"{type(self).__name__} publishing JSON"
# file: src/presentation/http/books/controllers.py
from fastapi import Depends

from src.application.books import BookCatalogue
from src.kernel.toolkit.controller import IJsonController
from src.presentation.http.books.depends import get_catalogue
from src.presentation.http.books.schemas import BookOut


class BookReaderController(IJsonController):
    def __init__(self, book_id: int, catalogue: BookCatalogue = Depends(get_catalogue)) -> None:
        self.book_id = book_id
        self.catalogue = catalogue

    async def answer(self) -> BookOut:
        return BookOut.model_validate(await self.catalogue.find(self.book_id))
# file: src/presentation/http/books/depends.py
from src.application.books import BookCatalogue


def get_catalogue() -> BookCatalogue:
    return BookCatalogue()
# file: src/presentation/http/books/schemas.py
from pydantic import BaseModel


class BookOut(BaseModel):
    title: str
# file: src/application/books.py
class BookCatalogue:
    async def find(self, book_id: int) -> dict:
        return {"title": str(book_id)}
# file: src/infrastructure/broker/books.py
from src.kernel.rmq.publisher import AbstractRMQPublisher


class NewBookPublisher(AbstractRMQPublisher):
    def __init__(self, channel) -> None:
        self.channel = channel

    async def publish(self, message) -> None:
        await self.channel.default_exchange.publish(message, routing_key="books")
""",
        # A plugin base that keeps what it is built with and gives its plugins accessors
        # and helpers around the one method each fills in: shared behaviour, not a
        # contract, even where a plugin lives in infrastructure.
        """\
# file: lab/application/plugins/base.py
from abc import ABC, abstractmethod


class AnalysisPlugin(ABC):
    def __init__(self, name: str, version: str) -> None:
        self._name = name
        self._version = version
        self._settings: dict = {}

    def name(self) -> str:
        return self._name

    def configure(self, settings: dict) -> None:
        self._settings = dict(settings)

    def describe(self) -> str:
        return f"{self._name} {self._version}"

    @abstractmethod
    def run(self, images: list) -> list: ...
# file: lab/infrastructure/plugins/imagej.py
import subprocess

from lab.application.plugins.base import AnalysisPlugin


class ImageJThreshold(AnalysisPlugin):
    def run(self, images: list) -> list:
        subprocess.run(["imagej", "--headless", *images], check=True)
        return images
""",
        # The generator marker may yield a literal of the declared type (`yield ""` for an
        # `AsyncIterator[str]`): a constant is no more behaviour than a bare `yield`.
        """\
# file: services/application/ports/llm_client.py
from collections.abc import AsyncIterator
from typing import Protocol


class LLMClientPort(Protocol):
    async def complete(self, prompt: str) -> str: ...

    async def stream(self, prompt: str) -> AsyncIterator[str]:
        \"\"\"The completion, token by token.\"\"\"
        ...
        yield ""  # Make this an async generator in the protocol

    async def stream_tagged(self, prompt: str) -> AsyncIterator[tuple[str, str]]:
        ...
        yield ("content", "")

    async def scores(self, prompt: str) -> AsyncIterator[float]:
        ...
        yield -1.0
""",
    )
    invalid = (
        # A refinement of a generic port that the use case takes: its default `get` is
        # behaviour every adapter inherits, though it implements the base's abstract method.
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    def get(self, entity_id: str) -> T | None: ...

    @abstractmethod
    def list_all(self) -> list[T]: ...
# file: app/application/ports/user_repository.py
from abc import abstractmethod

from app.application.ports.repository import Repository
from app.domain.user import User


class UserRepository(Repository[User]):
    def get(self, entity_id: str) -> User | None:  # error: HEX302
        for user in self.list_all():
            if user.id == entity_id:
                return user
        return None

    @abstractmethod
    def find_by_email(self, email: str) -> User | None: ...
# file: app/domain/user.py
from dataclasses import dataclass


@dataclass
class User:
    id: str
# file: app/application/use_cases/register.py
from app.application.ports.user_repository import UserRepository


class RegisterUser:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def execute(self, email: str) -> bool:
        return self._users.find_by_email(email) is None
""",
        # A body of nothing but `yield` under `@asynccontextmanager` is a working (empty)
        # context manager, not a stub: the port implements it.
        """\
# file: app/application/ports/unit_of_work.py
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol


class UnitOfWork(Protocol):
    @asynccontextmanager
    async def begin(self) -> AsyncIterator[None]:  # error: HEX302
        yield

    async def commit(self) -> None: ...
""",
        """\
# file: app/application/ports/book_repository.py
from abc import ABC, abstractmethod

from app.domain.book import Book


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> Book | None: ...

    async def exists(self, book_id: str) -> bool:  # error: HEX302
        return await self.get(book_id) is not None

    @staticmethod
    def next_id() -> str:  # error: HEX302
        import uuid

        return uuid.uuid4().hex
# file: app/domain/book.py
class Book: ...
""",
        """\
# file: app/domain/ports.py
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:  # error: HEX302
        import time

        return time.time()
""",
        """\
# file: app/domain/book_repository.py
from abc import ABC, abstractmethod
from dataclasses import dataclass

from app.domain.model import AggregateRoot


@dataclass
class BookRepository(ABC):  # a dataclass port is still a port
    collection_name: str

    @abstractmethod
    async def get(self, book_id: str) -> AggregateRoot: ...

    async def exists(self, book_id: str) -> bool:  # error: HEX302
        return await self.get(book_id) is not None
# file: app/domain/model.py
from abc import ABC


class AggregateRoot(ABC):
    def __init__(self, id: str) -> None:
        self.id = id
""",
        """\
# file: app/application/notifications.py
from abc import ABC, abstractmethod


class MemberNotifier(ABC):  # injected into a use case: a port, whatever its name
    @abstractmethod
    async def notify(self, email: str, text: str) -> None: ...

    async def notify_all(self, emails: list[str], text: str) -> None:  # error: HEX302
        for email in emails:
            await self.notify(email, text)
# file: app/application/close_desk.py
from app.application.notifications import MemberNotifier


class CloseDesk:
    def __init__(self, notifier: MemberNotifier) -> None:
        self._notifier = notifier

    async def execute(self, email: str) -> None:
        await self._notifier.notify_all([email], "closing")
""",
        # An in-memory store kept in the application stands in for the adapter: the
        # store it implements is still a contract, not a base of the core's own.
        """\
# file: app/domain/store.py
from abc import ABC, abstractmethod


class UserStore(ABC):
    @abstractmethod
    def get(self, email: str) -> str | None: ...

    @abstractmethod
    def add(self, email: str) -> None: ...

    def get_or_create(self, email: str) -> str:  # error: HEX302
        found = self.get(email)
        if found is None:
            self.add(email)
        return email
# file: app/application/in_memory.py
from app.domain.store import UserStore


class InMemoryUsers(UserStore):
    def __init__(self) -> None:
        self.users: set[str] = set()

    def get(self, email: str) -> str | None:
        return email if email in self.users else None

    def add(self, email: str) -> None:
        self.users.add(email)
# file: app/application/register_user.py
from app.domain.store import UserStore


class RegisterUser:
    def __init__(self, users: UserStore) -> None:
        self._users = users

    def execute(self, email: str) -> str:
        return self._users.get_or_create(email)
""",
        # An inbound port in `ports/` stays one though its abstract `__init__` takes the
        # unit of work: a class wrapping a port is a concrete one.
        """\
# file: app/domain/ports/use_cases/loans.py
import abc

from app.domain.ports.unit_of_work import UnitOfWork


class LoanServiceInterface(abc.ABC):
    @abc.abstractmethod
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def lend(self, book_id: str) -> None:  # error: HEX302
        self._lend(book_id)

    @abc.abstractmethod
    def _lend(self, book_id: str) -> None: ...
# file: app/domain/ports/unit_of_work.py
import abc


class UnitOfWork(abc.ABC):
    @abc.abstractmethod
    def commit(self) -> None: ...
# file: app/application/loans.py
from app.domain.ports.unit_of_work import UnitOfWork
from app.domain.ports.use_cases.loans import LoanServiceInterface


class LoanService(LoanServiceInterface):
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def _lend(self, book_id: str) -> None:
        self.uow.commit()
""",
        # The same publishers' base, once a use case depends on it (through the package
        # that re-exports it), is the core's port: its concrete helper is reported.
        """\
# file: src/kernel/rmq/__init__.py
from src.kernel.rmq.publisher import AbstractRMQPublisher

__all__ = ["AbstractRMQPublisher"]
# file: src/kernel/rmq/publisher.py
from abc import ABC, abstractmethod

from aio_pika import Message


class AbstractRMQPublisher(ABC):
    @abstractmethod
    async def publish(self, message: Message) -> None: ...

    def describe(self) -> str:  # error: HEX302
        return f"{type(self).__name__} publishing JSON"
# file: src/application/books.py
from src.kernel.rmq import AbstractRMQPublisher


class AnnounceBook:
    def __init__(self, publisher: AbstractRMQPublisher) -> None:
        self.publisher = publisher

    async def execute(self, title: str) -> None:
        await self.publisher.publish(title)
# file: src/infrastructure/broker/books.py
from src.kernel.rmq.publisher import AbstractRMQPublisher


class NewBookPublisher(AbstractRMQPublisher):
    def __init__(self, channel) -> None:
        self.channel = channel

    async def publish(self, message) -> None:
        await self.channel.default_exchange.publish(message, routing_key="books")
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(len(ref.cls.methods) for ref in _abstract_ports(roles(model)))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for ref in _abstract_ports(roles_):
            reported: set[str] = set()
            for method in ref.cls.methods:
                if not _implemented(method) or method.name in reported:
                    continue  # a property's setter shares its getter's finding
                reported.add(method.name)
                message = (
                    f"port '{ref.cls.qualname}' implements '{method.name}': the method is not "
                    "abstract and has a body"
                )
                yield self.finding(ref.facts, method.span, message, f"{ref.dotted}.{method.name}", model)
