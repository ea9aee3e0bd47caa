"""HEX301 concrete-port: A class that is a port by its location or name is not abstract."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.ports._private import declared_methods, parents
from hexcheck.semantics.roles import PORT_SUFFIXES, ClassRef, Roles, roles


class ConcretePort(Rule):
    code = "HEX301"
    name = "concrete-port"
    severity = Severity.WARNING
    concern = "ports"
    summary = "A class that is a port by its location or name is not abstract."
    subject = "ports are abstract (ABC or Protocol)"
    why = (
        "A port is the contract the application states in its own terms and the "
        "infrastructure fulfils: `BookRepository` says what the use cases need, "
        "`MongoBookRepository` says how MongoDB provides it. A concrete class in "
        "`application/ports` or a class called `...Repository` in the core is either an "
        "implementation living in the wrong layer (the core now carries a database or an "
        "HTTP client) or a contract nobody can substitute: tests cannot pass a fake "
        "without inheriting real behaviour, and an adapter that forgets a method is only "
        "found at run time. Not reported: a class that receives a port in `__init__` (a "
        "decorator such as `TrackingUserRepository(repository: UserRepository)`) or use "
        "cases (a driving facade in `ports/driving/`), classes "
        "of test modules, plain holders in a ports module that declare no public "
        "method (`Page`, `Query`), and a class beside a `Protocol` that defines every "
        "method the Protocol declares (a `NullEventPublisher` kept next to its port: it "
        "implements the Protocol by shape), and the shared base that abstract ports "
        "derive from when it keeps only its own state (a `BaseRepository` whose `__init__` "
        "takes nothing, keeping the events every repository collects: the ports deriving "
        "from it are the contracts; one handed a `session` it queries is reported)."
    )
    how_to_fix = (
        "Make the contract abstract: derive it from `ABC` and mark every method "
        "`@abstractmethod`, or declare it as a `typing.Protocol`. Move any implementation "
        "into an adapter in `infrastructure` that derives from the port.\n\n"
        "Before, in `app/application/ports/book_repository.py`:\n\n"
        "    class BookRepository:\n"
        "        async def get(self, book_id: str) -> Book:\n"
        '            return await db.books.find_one({"_id": book_id})\n\n'
        "After:\n\n"
        "    class BookRepository(ABC):\n"
        "        @abstractmethod\n"
        "        async def get(self, book_id: str) -> Book: ..."
    )
    valid = (
        # The ports' shared base, keeping the events every repository collects: the
        # abstract ports deriving from it are the contracts.
        """\
# file: core/ports/base_repository_interface.py
from core.domain.events import DomainEvent


class BaseRepository:
    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def register_event(self, event: DomainEvent) -> None:
        self.events.append(event)
# file: core/ports/order_repository_interface.py
from abc import abstractmethod

from core.ports.base_repository_interface import BaseRepository


class OrderRepositoryInterface(BaseRepository):
    @abstractmethod
    async def add_order(self, order_id: str) -> None: ...
# file: core/domain/events.py
from dataclasses import dataclass


@dataclass(frozen=True)
class DomainEvent:
    name: str
""",
        # A driving facade in `ports/driving/` receives the use cases it fronts: a
        # service built on them, not a contract.
        """\
# file: src/notifications/app/use_cases.py
class RegisterSubscriberUseCase:
    async def __call__(self, chat_id: int) -> None: ...
# file: src/notifications/ports/driving/telegram_facade.py
from notifications.app.use_cases import RegisterSubscriberUseCase


class NotificationsTelegramFacade:
    def __init__(self, register_uc: RegisterSubscriberUseCase) -> None:
        self._register_uc = register_uc

    async def register(self, chat_id: int) -> None:
        await self._register_uc(chat_id=chat_id)
""",
        """\
# file: app/application/ports/book_repository.py
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Protocol, TypeVar

from app.domain.book import Book

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T: ...


class BookRepository(Repository[Book]):
    @abstractmethod
    async def by_author(self, author_id: str) -> list[Book]: ...


class CoverGateway(Protocol):
    async def cover_url(self, isbn: str) -> str: ...


class SortOrder(Enum):
    TITLE = "title"


@dataclass(frozen=True)
class Page:
    items: list[Book]
    total: int


class RepositoryError(Exception):
    pass


class Page(Generic[T]):
    def __init__(self, items: list[T], total: int) -> None:
        self.items = items
        self.total = total
# file: app/domain/book.py
class Book: ...
""",
        """\
# file: app/application/ports/clock.py
from abc import ABCMeta, abstractmethod
from datetime import datetime


class Clock(metaclass=ABCMeta):
    @abstractmethod
    def now(self) -> datetime: ...
# file: app/application/ports/in_memory.py
from app.application.ports.clock import Clock


class FixedClock(Clock):
    def now(self):
        return None
# file: app/infrastructure/persistence/book_repository.py
class MongoBookRepository:
    async def get(self, book_id: str) -> None: ...
""",
        """\
# file: app/application/ports/user_repository.py
from abc import ABC, abstractmethod


class UserRepository(ABC):
    @abstractmethod
    def get(self, user_id: str) -> object: ...
# file: app/application/tracking_user_repository.py
from app.application.ports.user_repository import UserRepository


class TrackingUserRepository:
    def __init__(self, repository: UserRepository) -> None:
        self._repository = repository
        self.seen: set[object] = set()

    def get(self, user_id: str) -> object:
        user = self._repository.get(user_id)
        self.seen.add(user)
        return user
# file: app/application/tracking_user_repository_test.py
from app.application.tracking_user_repository import TrackingUserRepository


class TestTrackingUserRepository:
    def test_get_tracks_the_user(self) -> None:
        assert TrackingUserRepository
""",
        """\
# file: src/__init__.py
# file: src/domain/__init__.py
# file: src/domain/order/__init__.py
# file: src/domain/order/ports.py
from abc import ABC, abstractmethod


class OrderRepositoryInterface(ABC):
    @abstractmethod
    async def save(self, order: object) -> None: ...
# file: src/domain/order/repositories.py
from domain.order.ports import OrderRepositoryInterface


class OrderRepository(OrderRepositoryInterface):
    async def save(self, order: object) -> None:
        return None
""",
        """\
# file: app/domain/repository.py
from app.interfaces.repository import IRepository


class Repository(IRepository):  # implements an interface written without ABC
    def __init__(self, dao: object) -> None:
        self.dao = dao

    def find(self, id_: str) -> object:
        return self.dao
# file: app/interfaces/repository.py
class IRepository:
    def find(self, id_: str) -> object:
        raise NotImplementedError
""",
        # A null object kept beside the Protocol it implements by shape is an
        # implementation, not a port.
        """\
# file: app/application/ports/events.py
from typing import Protocol


class EventPublisher(Protocol):
    def publish(self, topic: str, payload: dict) -> None: ...


class NullEventPublisher:
    def publish(self, topic: str, payload: dict) -> None:
        return None
""",
    )
    invalid = (
        # A base of the ports handed the session it queries: the ports inherit a database.
        """\
# file: app/domain/ports/base_repository.py
class BaseRepository:  # error: HEX301
    def __init__(self, session: object) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)
# file: app/domain/ports/user_repository.py
from abc import abstractmethod

from app.domain.ports.base_repository import BaseRepository


class UserRepository(BaseRepository):
    @abstractmethod
    def find_by_email(self, email: str) -> object: ...
""",
        """\
# file: app/application/ports/book_repository.py
from app.domain.book import Book


class BookRepository:  # error: HEX301
    async def get(self, book_id: str) -> Book:
        raise NotImplementedError

    async def add(self, book: Book) -> None:
        raise NotImplementedError
# file: app/domain/book.py
class Book: ...
""",
        """\
# file: app/domain/payments.py
import httpx


class PaymentGateway:  # error: HEX301
    def __init__(self, base_url: str) -> None:
        self._client = httpx.Client(base_url=base_url)

    def charge(self, member_id: str, cents: int) -> None:
        self._client.post("/charges", json={"member": member_id, "cents": cents})
""",
        # A database wrapper's `execute` makes it no use case: the repository that
        # receives it is still a concrete port.
        """\
# file: app/application/ports/user_repository.py
from app.infrastructure.database import Database


class UserRepository:  # error: HEX301
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_email(self, user_id: int) -> str | None:
        rows = await self._db.execute("SELECT email FROM users WHERE id = $1", user_id)
        return rows[0]["email"] if rows else None
# file: app/infrastructure/database.py
import asyncpg


class Database:
    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    async def execute(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self._dsn)
        return await connection.fetch(query, *args)
""",
        # Beside a Protocol, a concrete class with operations of its own is no
        # implementation of it: a port left concrete.
        """\
# file: app/application/ports/events.py
from typing import Protocol


class EventPublisher(Protocol):
    def publish(self, topic: str, payload: dict) -> None: ...


class EventStore:  # error: HEX301
    def append(self, topic: str, payload: dict) -> None:
        return None
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).ports)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for ref in roles_.ports:
            if roles_.is_abstract(ref):
                continue
            if any(roles_.is_abstract(parent) for parent in parents(roles_, ref)):
                continue  # it implements a port whose import did not resolve
            if _a_base_of_ports(roles_, ref):
                continue
            named = ref.cls.name.endswith(PORT_SUFFIXES)
            if not named and not declared_methods(ref):
                # A plain holder in a ports module (`Page`, `Query`): it declares no
                # operation, so there is no contract to make abstract.
                continue
            layer = roles_.layer(ref)
            where = layer.value if layer is not None else "the core"
            why = "is named like a port" if named else f"lives in the ports module '{ref.facts.module}'"
            message = (
                f"'{ref.cls.qualname}' {why} but is a concrete class in {where}: it is "
                "neither an ABC with abstract methods nor a Protocol"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


def _a_base_of_ports(roles_: Roles, ref: ClassRef) -> bool:
    """Whether abstract ports derive from the class (`OrderRepositoryInterface(BaseRepository)`
    with its abstract methods, over a `BaseRepository` that keeps the events every
    repository collects), which keeps only its own state: its `__init__` is handed nothing
    and its module imports no library. The ports' shared base, whose contracts are theirs;
    a base handed a `session` that it queries is an implementation the ports inherit."""
    init = ref.cls.method("__init__")
    if init is not None and len(init.params) > 1:
        return False
    model = roles_.model
    if any(
        (package := model.external_package(fact)) is not None and not model.is_stdlib(package)
        for fact in ref.facts.imports
    ):
        return False
    return any(
        sub is not None and roles_.is_abstract(sub) and roles_.is_port(sub)
        for sub in (roles_.ref(name) for name in model.subclasses(ref.dotted))
    )
