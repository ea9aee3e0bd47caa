"""HEX502 adapter-signature-mismatch: An adapter method differs from the port method it
implements in async-ness or parameters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import FunctionFact, ParamFact, ParamKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.adapters._private import NOT_OVERRIDES
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import and_list, quoted_list
from hexcheck.semantics.contracts import contracts, implementations
from hexcheck.semantics.coroutines import converts_sync_async, non_neutral_decorators
from hexcheck.semantics.roles import ClassRef, roles
from hexcheck.semantics.symbols import last_name, names_in
from hexcheck.semantics.types import PROPERTIES, is_static

_AWAITABLE_RETURNS = frozenset(
    {
        "Awaitable", "Coroutine", "Future", "Task", "AsyncIterator", "AsyncIterable",
        "AsyncGenerator", "AsyncContextManager", "AbstractAsyncContextManager",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """The parameters a caller can rely on, `self`/`cls` left out."""

    required: tuple[str, ...]  # required positional parameters
    positional: tuple[str, ...]  # every positional parameter
    star_args: bool
    required_keywords: tuple[str, ...]
    keywords: tuple[str, ...]  # every keyword-only parameter
    star_kwargs: bool
    positional_only: tuple[str, ...] = ()  # the positional parameters no caller may name

    @classmethod
    def of(cls, function: FunctionFact) -> Shape:
        params: list[ParamFact] = list(function.params)
        positional_kinds = (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY)
        if params and not is_static(function) and params[0].kind in positional_kinds:
            params = params[1:]
        positional = [p for p in params if p.kind in positional_kinds]
        keyword = [p for p in params if p.kind is ParamKind.KEYWORD_ONLY]
        return cls(
            required=tuple(p.name for p in positional if p.default is None),
            positional=tuple(p.name for p in positional),
            star_args=any(p.kind is ParamKind.VAR_POSITIONAL for p in params),
            required_keywords=tuple(p.name for p in keyword if p.default is None),
            keywords=tuple(p.name for p in keyword),
            star_kwargs=any(p.kind is ParamKind.VAR_KEYWORD for p in params),
            positional_only=tuple(p.name for p in positional if p.kind is ParamKind.POSITIONAL_ONLY),
        )


def _effectively_async(function: FunctionFact) -> bool | None:
    """`True`/`False`, or `None` when it cannot be told (an async generator, a function
    returning an awaitable, an `@asynccontextmanager`)."""
    if converts_sync_async(function):
        return None
    if function.is_async and function.is_generator:
        return None
    if any(last_name(name) in _AWAITABLE_RETURNS for name in names_in(function.returns)):
        return None
    return function.is_async


def _params_text(names: tuple[str, ...]) -> str:
    return f" ({', '.join(names)})" if names else ""


def signature_problems(port: FunctionFact, adapter: FunctionFact) -> list[str]:
    """How `adapter` breaks the calls the port allows; empty when it does not."""
    problems: list[str] = []
    port_async, adapter_async = _effectively_async(port), _effectively_async(adapter)
    if port_async is not None and adapter_async is not None and port_async != adapter_async:
        if adapter_async:
            problems.append("is async where the port is not")
        else:
            problems.append("is not async where the port is")
    port_shape, adapter_shape = Shape.of(port), Shape.of(adapter)
    if port.decorated_with(*PROPERTIES) or adapter.decorated_with(*PROPERTIES):
        return problems
    if not port_shape.star_args:
        # A decorator may supply a leading parameter (`@with_session def get(self, session, id)`).
        injected = bool(non_neutral_decorators(adapter))
        # Those the port's callers always pass by keyword (`create_file(self, *, file)`
        # fulfilled by `create_file(self, file)`) are no extra parameters.
        beyond = adapter_shape.required[len(port_shape.required) :]
        by_keyword = all(
            name in port_shape.required_keywords and name not in adapter_shape.positional_only
            for name in beyond
        )
        if beyond and not injected and not by_keyword:
            problems.append(
                f"requires {len(adapter_shape.required)} positional parameters"
                f"{_params_text(adapter_shape.required)} where the port requires "
                f"{len(port_shape.required)}{_params_text(port_shape.required)}"
            )
        elif (
            not adapter_shape.star_args
            and len(adapter_shape.positional) < len(port_shape.positional)
            and not (adapter_shape.star_kwargs and len(adapter_shape.positional) >= len(port_shape.required))
        ):
            problems.append(
                f"accepts {len(adapter_shape.positional)} positional parameters"
                f"{_params_text(adapter_shape.positional)} where the port passes up to "
                f"{len(port_shape.positional)}{_params_text(port_shape.positional)}"
            )
    if not port_shape.star_kwargs:
        extra = [
            name
            for name in adapter_shape.required_keywords
            if name not in port_shape.keywords and name not in port_shape.positional
        ]
        if extra:
            problems.append(f"requires the keyword-only {quoted_list(extra)} the port does not pass")
    if not adapter_shape.star_kwargs:
        dropped = [
            name
            for name in port_shape.keywords
            if name not in adapter_shape.keywords and name not in adapter_shape.positional
        ]
        if dropped:
            problems.append(f"does not accept the keyword-only {quoted_list(dropped)} of the port")
    return problems


def _port_method(owners: tuple[ClassRef, ...], name: str) -> tuple[ClassRef, FunctionFact] | None:
    """The nearest contract (of `contracts(r, ref)`, nearest first) declaring method `name`."""
    for owner in owners:
        method = owner.cls.method(name)
        if method is not None:
            return owner, method
    return None


def _final_definitions(methods: Sequence[FunctionFact]) -> Iterator[FunctionFact]:
    """The methods a class ends up with: a later `def` of the same name replaces an
    earlier one, as the class body runs (a copy left above its rewrite is dead code, not
    the adapter's method); a property's `@name.setter` extends its getter instead."""
    replacing: set[str] = set()  # the names a later `def` takes over
    final: list[FunctionFact] = []
    for method in reversed(methods):
        if method.name not in replacing:
            final.append(method)
        name = method.name
        if not method.decorated_with(f"{name}.setter", f"{name}.deleter", f"{name}.getter"):
            replacing.add(name)
    yield from reversed(final)


class AdapterSignatureMismatch(Rule):
    code = "HEX502"
    name = "adapter-signature-mismatch"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "An adapter method differs from the port method it implements in async-ness or parameters."
    subject = "adapter methods match the signatures of their ports"
    why = (
        "Use cases call the port, not the adapter: `await self._books.get(book_id)`. "
        "An adapter whose `get` is synchronous returns a value where the caller awaits a "
        "coroutine (`TypeError: object Book can't be used in 'await' expression`); an "
        "`async` implementation of a synchronous port method returns a coroutine the "
        "caller never awaits, so the write silently never happens. An adapter that "
        "requires an extra positional parameter, or cannot take one the port passes, "
        "fails with a `TypeError` on the first call. Type checkers catch this only when "
        "the adapter is annotated and checked; hexcheck catches it from the code alone. "
        "Parameter names may differ; counts, keyword-only parameters and async-ness may not "
        "(an adapter may take the port's keyword-only `*, file_id` as an ordinary "
        "`file_id`, which its callers still pass by name). A method written twice is "
        "judged by its last `def`, the one the class ends up with."
    )
    how_to_fix = (
        "Make the adapter method take exactly what the port method takes, with the same "
        "`async`; an extra setting the adapter needs belongs in its `__init__`.\n\n"
        "Before:\n\n"
        "    class LoanRepository(ABC):\n"
        "        @abstractmethod\n"
        "        async def list_open_for_member(self, member_id: str) -> list[Loan]: ...\n\n"
        "    class MongoLoanRepository(LoanRepository):\n"
        "        async def list_open_for_member(self, member_id: str, limit: int) -> list[Loan]: ...\n\n"
        "After:\n\n"
        "    class MongoLoanRepository(LoanRepository):\n"
        "        def __init__(self, database: AsyncIOMotorDatabase, limit: int = 100) -> None:\n"
        "            self._limit = limit\n\n"
        "        async def list_open_for_member(self, member_id: str) -> list[Loan]: ..."
    )
    valid = (
        # A method written twice: the second `def` replaces the first as the class body
        # runs, and it matches the port; the first is dead code, not the adapter's method.
        """\
# file: api/application/repositories/booking_repository.py
from abc import ABC, abstractmethod


class BookingRepository(ABC):
    @abstractmethod
    def get_active_bookings(self, room_id: str, day: str) -> list: ...
# file: api/infrastructure/repositories/django_booking_repository.py
from api.application.repositories.booking_repository import BookingRepository
from api.models import Booking


class DjangoBookingRepository(BookingRepository):
    def get_active_bookings(self, room_id: str) -> list:
        return list(Booking.objects.filter(room_id=room_id))

    def get_active_bookings(self, room_id: str, day: str) -> list:  # noqa: F811
        return list(Booking.objects.filter(room_id=room_id, day=day))
""",
        # The port's callers pass `file_id` by keyword; the adapter takes it as an ordinary
        # parameter of the same name, which accepts it so.
        """\
# file: src/core/files/storages.py
from abc import ABC, abstractmethod


class FileStorage(ABC):
    @abstractmethod
    async def get_file(self, *, file_id: str) -> bytes: ...
# file: src/infra/postgresql/storages/files.py
from sqlalchemy.ext.asyncio import AsyncSession

from core.files.storages import FileStorage


class FilesDatabaseStorage(FileStorage):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_file(self, file_id: str) -> bytes:
        return await self.session.scalar(file_id)
""",
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    def stream(self, author_id: str) -> AsyncIterator[dict]: ...

    @abstractmethod
    def count(self) -> Awaitable[int]: ...

    @abstractmethod
    async def list_page(self, offset: int, limit: int = 20, *, session=None): ...
# file: app/infrastructure/mongo_books.py
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, collection, page_size: int = 20) -> None:
        self._collection = collection

    async def get(self, id_):
        return await self._collection.find_one({"_id": id_})

    async def stream(self, author_id: str):
        async for document in self._collection.find({"author_id": author_id}):
            yield document

    async def count(self) -> int:
        return await self._collection.count_documents({})

    async def list_page(self, offset, limit=50, *, session=None, hint=None):
        return await self._collection.find().skip(offset).to_list(limit)
""",
        """\
# file: app/application/ports/clock.py
from typing import Protocol

class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float, *args, **kwargs) -> None: ...
# file: app/infrastructure/clock.py
import time
from app.application.ports.clock import Clock

class SystemClock(Clock):
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float, *args, **kwargs) -> None:
        time.sleep(seconds)

    def extra(self, a, b, c) -> None:
        pass
# file: app/application/ports/users.py
from abc import ABC, abstractmethod

class UserRepository(ABC):
    @abstractmethod
    async def get(self, user_id: str): ...

    @abstractmethod
    async def count(self) -> int: ...
# file: app/infrastructure/users.py
from asgiref.sync import sync_to_async
from app.application.ports.users import UserRepository
from app.infrastructure.sessions import with_session

class DjangoUserRepository(UserRepository):
    @with_session
    async def get(self, session, user_id: str):
        return session.get(user_id)

    @sync_to_async
    def count(self) -> int:
        return 0
# file: app/infrastructure/sessions.py
def with_session(method):
    return method
""",
        """\
# file: app/application/ports/covers.py
from abc import ABC, abstractmethod

from returns.future import FutureResult


class CoverGateway(ABC):
    @abstractmethod
    def cover_url(self, isbn: str) -> FutureResult[str, Exception]: ...
# file: app/infrastructure/covers.py
from returns.future import future_safe

from app.application.ports.covers import CoverGateway


class StaticCoverGateway(CoverGateway):
    @future_safe  # the coroutine becomes a call returning a FutureResult, as the port says
    async def cover_url(self, isbn: str) -> str:
        return f"/covers/{isbn}.jpg"
""",
    )
    invalid = (
        # The port's callers pass `file_id` by name; a positional-only `file_id` refuses it.
        """\
# file: src/core/files/storages.py
from abc import ABC, abstractmethod


class FileStorage(ABC):
    @abstractmethod
    async def get_file(self, *, file_id: str) -> bytes: ...
# file: src/infra/disk/storages.py
from pathlib import Path

from core.files.storages import FileStorage


class DiskFileStorage(FileStorage):
    def __init__(self, root: Path) -> None:
        self.root = root

    async def get_file(self, file_id: str, /) -> bytes:  # error: HEX502
        return (self.root / file_id).read_bytes()
""",
        """\
# file: app/application/ports/loan_repository.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def list_open_for_member(self, member_id: str) -> list: ...

    @abstractmethod
    async def add(self, loan) -> None: ...
# file: app/infrastructure/persistence/mongo_loan_repository.py
from app.application.ports.loan_repository import LoanRepository

class MongoLoanRepository(LoanRepository):
    async def list_open_for_member(self, member_id: str, limit: int) -> list:  # error: HEX502
        return []

    def add(self, loan) -> None:  # error: HEX502
        pass
""",
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod

class Repository(ABC):
    @abstractmethod
    def save(self, entity, *, session=None) -> None: ...

    @abstractmethod
    def get(self, entity_id): ...
# file: app/infrastructure/persistence/base.py
from app.application.ports.repository import Repository

class SqlRepository(Repository):
    async def save(self, entity, *, session=None) -> None:  # error: HEX502
        pass
# file: app/infrastructure/persistence/books.py
from app.infrastructure.persistence.base import SqlRepository

class SqlBookRepository(SqlRepository):
    def get(self) -> None:  # error: HEX502
        return None
""",
        """\
# file: app/application/ports/order_repository.py
from abc import ABC, abstractmethod

class OrderRepository(ABC):
    @abstractmethod
    async def search(self, customer_id: str, *, limit: int = 20) -> list: ...

    @abstractmethod
    async def archive(self, order_id: str) -> None: ...
# file: app/infrastructure/persistence/mongo_order_repository.py
from app.application.ports.order_repository import OrderRepository

class MongoOrderRepository(OrderRepository):
    async def search(self, customer_id: str) -> list:  # error: HEX502
        return []

    async def archive(self, order_id: str, *, reason: str) -> None:  # error: HEX502
        return None
""",
    )

    def _pairs(self, model: ProjectModel) -> Iterator[tuple[ClassRef, FunctionFact, ClassRef, FunctionFact]]:
        r = roles(model)
        for ref in implementations(r):
            owners = contracts(r, ref)
            for method in _final_definitions(ref.cls.methods):
                if method.name in NOT_OVERRIDES:
                    continue
                found = _port_method(owners, method.name)
                if found is not None:
                    yield ref, method, found[0], found[1]

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._pairs(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for ref, method, owner, port in self._pairs(model):
            problems = signature_problems(port, method)
            if not problems:
                continue
            message = (
                f"adapter method '{ref.cls.name}.{method.name}' does not match port method "
                f"'{owner.cls.name}.{port.name}': it {and_list(problems)}"
            )
            yield self.finding(ref.facts, method.span, message, f"{ref.dotted}.{method.name}", model)
