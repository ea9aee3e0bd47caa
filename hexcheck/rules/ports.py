"""Ports: abstract, minimal contracts that the infrastructure implements (HEX301-HEX304).

A port is SPEC §1's: a class in `domain`/`application` that is abstract, or that lives in
a `ports`/`repositories`/`gateways` module or package, or whose name ends in
`Repository`/`Port`/`Gateway` (data holders, exceptions and concrete implementations of
another port excluded; `roles.Roles.ports`). An abstract repository kept in an adapters
module (cosmicpython's `AbstractRepository` in `adapters/repository.py`) is outside the
inner layers and is no port by that definition.
"""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import BodyKind, ExprKind, FunctionFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.roles import PORT_SUFFIXES, ClassRef, Roles, is_abstract_method, roles

_OVERLOADS = frozenset({"typing.overload", "typing_extensions.overload"})


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def _declared(ref: ClassRef) -> tuple[str, ...]:
    """The public methods a port declares itself, by name (overloads once), sorted."""
    return tuple(sorted({m.name for m in ref.cls.methods if _is_public(m.name)}))


# ---------------------------------------------------------------------- HEX301


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
        "decorator such as `TrackingUserRepository(repository: UserRepository)`), classes "
        "of test modules, and plain holders in a ports module that declare no public "
        "method (`Page`, `Query`)."
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
    )
    invalid = (
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
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).ports)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for ref in roles_.ports:
            if roles_.is_abstract(ref):
                continue
            if any(roles_.is_abstract(parent) for parent in _parents(roles_, ref, _by_name(roles_))):
                continue  # it implements a port whose import did not resolve
            named = ref.cls.name.endswith(PORT_SUFFIXES)
            if not named and not _declared(ref):
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


# ---------------------------------------------------------------------- HEX302


def _implemented(method: FunctionFact) -> bool:
    """A method with a real body that is not declared abstract (overload stubs aside)."""
    if is_abstract_method(method) or method.decorated_with(*_OVERLOADS):
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
        "through `super()`) and `@overload` stubs are not reported."
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
    )
    invalid = (
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


# ---------------------------------------------------------------------- HEX303


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
        "do not count, and `@overload` variants count once."
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
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).ports)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        limit = model.config.max_port_methods
        for ref in roles(model).ports:
            declared = _declared(ref)
            if len(declared) <= limit:
                continue
            message = (
                f"port '{ref.cls.qualname}' declares {len(declared)} public methods; "
                f"the limit is {limit} (max-port-methods)"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


# ---------------------------------------------------------------------- HEX304


def _declared_abstract(roles_: Roles, ref: ClassRef) -> bool:
    """Whether a class says it is abstract itself: ABC/Protocol in its own bases, or an
    `@abstractmethod` of its own. A subclass that merely misses an abstract method is
    an incomplete adapter (HEX501), not another abstraction."""
    return (
        roles_.is_protocol(ref)
        or roles_.declares_abc(ref)
        or any(is_abstract_method(m) for m in ref.cls.methods)
    )


def _registered(model: ProjectModel, roles_: Roles) -> frozenset[str]:
    """Ports named in `Port.register(Adapter)` calls or `@Port.register` decorators: they
    are implemented virtually."""
    found: set[str] = set()
    for _, facts in sorted(model.modules.items()):
        names = [call.callee for call in facts.calls]
        names.extend(d.name for cls in facts.classes for d in cls.decorators if d.kind is ExprKind.NAME)
        for name in names:
            owner, _, attr = name.rpartition(".")
            ref = roles_.ref(owner) if attr == "register" and owner else None
            if ref is not None:
                found.add(ref.dotted)
    return frozenset(found)


def _by_name(roles_: Roles) -> dict[str, list[ClassRef]]:
    """First-party classes by their own name: once per model, only when a rule needs it."""
    return roles_.model.index(_classes_by_name)


def _classes_by_name(model: ProjectModel) -> dict[str, list[ClassRef]]:
    roles_ = roles(model)
    found: dict[str, list[ClassRef]] = {}
    for ref in roles_.classes:
        found.setdefault(ref.dotted.rpartition(".")[2], []).append(ref)
    return found


def _ending(by_name: dict[str, list[ClassRef]], dotted: str) -> list[ClassRef]:
    """The first-party classes whose dotted name ends with `dotted`, a module and a name
    at least (`ports.cache.Cache`, `cache.Cache`)."""
    if "." not in dotted:
        return []
    tail = "." + dotted
    return [ref for ref in by_name.get(dotted.rpartition(".")[2], ()) if ref.dotted.endswith(tail)]


def _parents(roles_: Roles, ref: ClassRef, by_name: dict[str, list[ClassRef]]) -> list[ClassRef]:
    """The first-party classes `ref` derives from directly.

    A base that names no first-party class but whose dotted name ends a first-party
    class's name counts as that class: when the source roots are not the ones the code
    imports from (`from ports.cache import Cache` in `src/adapters/redis.py`, checked as
    `src.ports.cache`), the adapter's base does not resolve, and neither HEX301 nor HEX304
    should report on that guess."""
    found: list[ClassRef] = []
    for base in ref.cls.bases:
        if not base.name or "?" in base.name:
            continue
        parent = roles_.ref(base.name)
        found.extend(
            p for p in ([parent] if parent is not None else _ending(by_name, base.name)) if p is not ref
        )
    return found


def _children(roles_: Roles) -> dict[str, list[ClassRef]]:
    """Every first-party class by the dotted names of the classes it derives from directly."""
    by_name = _by_name(roles_)
    children: dict[str, list[ClassRef]] = {}
    for ref in roles_.classes:
        for parent in _parents(roles_, ref, by_name):
            children.setdefault(parent.dotted, []).append(ref)
    return children


def _has_implementation(
    roles_: Roles, port: ClassRef, children: dict[str, list[ClassRef]], registered: frozenset[str]
) -> bool:
    """Whether a concrete class (or a registered virtual subclass) derives from `port`,
    through any number of abstract intermediates."""
    seen = {port.dotted}
    stack = [port]
    while stack:
        current = stack.pop()
        if current.dotted in registered:
            return True
        for child in children.get(current.dotted, ()):
            if child.dotted in seen:
                continue
            if not _declared_abstract(roles_, child):
                return True
            seen.add(child.dotted)
            stack.append(child)
    return False


def _abc_ports(roles_: Roles) -> tuple[ClassRef, ...]:
    return tuple(ref for ref in roles_.ports if not roles_.is_protocol(ref) and roles_.is_abstract(ref))


def _has_infrastructure(model: ProjectModel) -> bool:
    return any(model.layer(module) is Layer.INFRASTRUCTURE for module in model.modules)


class PortWithoutAdapter(Rule):
    code = "HEX304"
    name = "port-without-adapter"
    severity = Severity.WARNING
    concern = "ports"
    summary = "An ABC port has no concrete subclass anywhere in the scanned code."
    subject = "ABC ports have an implementation"
    why = (
        "An ABC port nobody implements is either dead (a contract left over from a "
        "refactoring, still shaping use cases that can never run) or implemented "
        "somewhere hexcheck was not asked to look, and then the implementation is not "
        "checked against it. Either way the composition root cannot wire it. `Protocol` "
        "ports are exempt: they are satisfied structurally, without inheriting. The rule "
        "only runs when the project has an `infrastructure` layer at all, and counts "
        "`Port.register(Adapter)` as an implementation."
    )
    how_to_fix = (
        "Write the adapter in `infrastructure` (deriving from the port) and wire it in the "
        "composition root, or delete the port and the use cases that depend on it. If the "
        "implementation lives in another distribution, add its sources to the paths "
        "hexcheck checks.\n\n"
        "Before: `app/application/ports/payment_gateway.py` defines "
        "`class PaymentGateway(ABC)` and no class derives from it.\n\n"
        "After: `app/infrastructure/payments/stripe_gateway.py` defines "
        "`class StripePaymentGateway(PaymentGateway)` implementing every abstract method, "
        "and `app/main.py` provides it."
    )
    valid = (
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T: ...


class BookRepository(Repository["Book"]):
    @abstractmethod
    async def by_author(self, author_id: str) -> list: ...


class CoverGateway(Protocol):
    async def cover_url(self, isbn: str) -> str: ...
# file: app/infrastructure/persistence/mongo_base.py
from abc import ABC

from app.application.ports.repository import Repository


class MongoRepository(Repository, ABC):
    collection = ""
# file: app/infrastructure/persistence/mongo_books.py
from app.infrastructure.persistence.mongo_base import MongoRepository
from app.application.ports.repository import BookRepository


class MongoBookRepository(MongoRepository, BookRepository):
    async def get(self, entity_id: str) -> object: ...
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    @abstractmethod
    def now(self) -> float: ...


class Mailer(ABC):
    @abstractmethod
    def send(self, to: str) -> None: ...
# file: app/infrastructure/clock.py
from app.application.ports.clock import Clock, Mailer


class SystemClock:
    def now(self) -> float:
        return 0.0


Clock.register(SystemClock)


@Mailer.register
class SmtpMailer:
    def send(self, to: str) -> None: ...
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    @abstractmethod
    def now(self) -> float: ...
# file: app/application/use_cases/stamp.py
from app.application.ports.clock import Clock
""",
        """\
# file: src/__init__.py
# file: src/ports/__init__.py
# file: src/ports/cache.py
from abc import ABC, abstractmethod


class Cache(ABC):
    @abstractmethod
    async def get(self, key: str) -> dict | None: ...
# file: src/adapters/__init__.py
# file: src/adapters/redis_cache.py
from ports.cache import Cache


class RedisCache(Cache):
    async def get(self, key: str) -> dict | None:
        return None
""",
    )
    invalid = (
        """\
# file: app/application/ports/payment_gateway.py
from abc import ABC, abstractmethod


class PaymentGateway(ABC):  # error: HEX304
    @abstractmethod
    async def charge(self, member_id: str, cents: int) -> None: ...
# file: app/infrastructure/persistence/mongo.py
class MongoClientFactory: ...
""",
        """\
# file: app/domain/repositories.py
import abc


class LoanRepository(metaclass=abc.ABCMeta):  # error: HEX304
    @abc.abstractmethod
    def get(self, loan_id: str) -> object: ...


class MemberRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, member_id: str) -> object: ...
# file: app/infrastructure/repositories.py
from abc import abstractmethod

from app.domain.repositories import LoanRepository, MemberRepository


class CachedLoanRepository(LoanRepository):
    @abstractmethod
    def cache_key(self) -> str: ...


class SqlMemberRepository(MemberRepository):
    pass
""",
    )

    def examined(self, model: ProjectModel) -> int:
        if not _has_infrastructure(model):
            return 0
        return len(_abc_ports(roles(model)))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        if not _has_infrastructure(model):
            return
        roles_ = roles(model)
        registered = _registered(model, roles_)
        children = _children(roles_)
        for ref in _abc_ports(roles_):
            if _has_implementation(roles_, ref, children, registered):
                continue
            message = (
                f"ABC port '{ref.cls.qualname}' has no implementation: no concrete class in "
                "the scanned code derives from it"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


__all__ = ["ConcretePort", "PortWithImplementation", "PortWithoutAdapter", "WidePort"]
