"""Use cases: single-purpose, with their dependencies injected and typed (HEX401-HEX403)."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallContext, CallFact, ExprKind, FunctionFact, ParamFact, ParamKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.adapters import DRIVER_CONSTRUCTORS, DRIVER_PACKAGES, top_package
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import quoted_list
from hexcheck.rules.roles import ClassRef, Roles, roles

# A use case's entry point: `execute`, or `__call__` for teams that make use cases callable.
_ENTRY_POINTS = ("execute", "__call__")
_PROPERTIES = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
_SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic.BaseSettings"})
# Concrete technology a use case must not be typed against (HEX403): drivers and ORMs.
_CONCRETE_PACKAGES = DRIVER_PACKAGES | {"sqlalchemy", "sqlmodel", "beanie", "odmantic", "mongoengine"}
_OUTER_LAYERS = (Layer.INFRASTRUCTURE, Layer.WEB, Layer.COMPOSITION)


def _public(name: str) -> bool:
    return not name.startswith("_")


# ---------------------------------------------------------------------- HEX401


def public_methods(r: Roles, ref: ClassRef) -> list[str]:
    """The public methods of a use case, inherited ones included, in definition order;
    properties are attributes, not operations."""
    found: list[str] = []
    for owner in (ref, *r.first_party_ancestors(ref)):
        for method in owner.cls.methods:
            if _public(method.name) and not method.decorated_with(*_PROPERTIES) and method.name not in found:
                found.append(method.name)
    return found


def _has_entry_point(r: Roles, ref: ClassRef, name: str) -> bool:
    return any(owner.cls.method(name) is not None for owner in (ref, *r.first_party_ancestors(ref)))


class UseCasePublicSurface(Rule):
    code = "HEX401"
    name = "use-case-public-surface"
    severity = Severity.WARNING
    concern = "use-cases"
    summary = "A use case does not expose exactly one public entry point (`execute`)."
    subject = "use cases expose a single entry point"
    why = (
        "A use case is one thing the application does for its users: borrow a book, "
        "register a member. One public `execute` makes that visible at every call site, "
        "keeps each use case small enough to test on its own, and lets controllers, CLI "
        "commands and message consumers drive it the same way. A use case with several "
        "public methods is a service class in disguise; it accretes unrelated "
        "operations and dependencies until every change touches it. Dunder methods, "
        "properties and `_private` helpers are fine, and so is `__call__` as the entry "
        "point. A single public method with another name (`handle`, `run`) is reported "
        "only where the project's other use cases expose `execute`: a team-wide "
        "convention is a convention, a lone exception to one is a surprise."
    )
    how_to_fix = (
        "Split each extra public operation into a use case of its own (sharing code "
        "through a domain service or a private helper), or make it private if only "
        "`execute` uses it. Rename a lone entry point to `execute`.\n\n"
        "Before:\n\n"
        "    class SendDueReminders:\n"
        "        async def execute(self, member_ids: list[str]) -> int: ...\n"
        "        async def preview(self, member_ids: list[str]) -> list[Loan]: ...\n\n"
        "After:\n\n"
        "    class SendDueReminders:\n"
        "        async def execute(self, member_ids: list[str]) -> int: ...\n\n"
        "    class PreviewDueReminders:\n"
        "        async def execute(self, member_ids: list[str]) -> list[Loan]: ..."
    )
    valid = (
        """\
# file: app/application/use_cases/create_book.py
from dataclasses import dataclass
from app.application.ports.books import BookRepository

@dataclass(frozen=True)
class CreateBookCommand:
    title: str

    def normalized(self) -> str:
        return self.title.strip()

class CreateBookUseCase:
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    def __repr__(self) -> str:
        return "CreateBookUseCase()"

    @property
    def books(self) -> BookRepository:
        return self._books

    async def execute(self, command: CreateBookCommand) -> None:
        await self._books.add(self._build(command))

    def _build(self, command: CreateBookCommand):
        return command.normalized()
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...

    @abstractmethod
    async def get(self, book_id: str): ...
""",
        """\
# file: app/service_layer/services.py
def allocate(orderid: str, sku: str, qty: int, uow) -> str:
    with uow:
        return uow.products.get(sku).allocate(orderid, qty)

def add_batch(ref: str, sku: str, qty: int, uow) -> None:
    with uow:
        uow.products.add(ref, sku, qty)
# file: app/application/use_cases/base.py
from abc import ABC, abstractmethod

class UseCase(ABC):
    @abstractmethod
    def execute(self, command): ...
# file: app/application/use_cases/archive_project.py
from app.application.use_cases.base import UseCase

class ArchiveProjectUseCase(UseCase):
    def __init__(self, projects) -> None:
        self._projects = projects

    def execute(self, command) -> None:
        self._projects.archive(command)

class RenameProjectHandler:
    def __init__(self, projects) -> None:
        self._projects = projects

    def __call__(self, command) -> None:
        self._projects.rename(command)
# file: app/application/use_cases/test_archive_project.py
class TestArchiveProjectUseCase:
    def test_archives(self) -> None: ...

    def test_fails(self) -> None: ...
""",
        """\
# file: app/application/use_cases/commands/create_todo.py
from dataclasses import dataclass

@dataclass(frozen=True)
class CreateTodo:
    title: str

class CreateTodoHandler:
    def __init__(self, todos) -> None:
        self._todos = todos

    async def handle(self, command: CreateTodo) -> None:
        await self._todos.add(command.title)
# file: app/application/use_cases/queries/list_todos.py
class ListTodosHandler:
    def __init__(self, todos) -> None:
        self._todos = todos

    async def handle(self, user_id: str) -> list:
        return await self._todos.for_user(user_id)
""",
    )
    invalid = (
        """\
# file: app/application/use_cases/send_due_reminders.py
class SendDueRemindersUseCase:  # error: HEX401
    def __init__(self, loans) -> None:
        self._loans = loans

    async def execute(self, member_ids: list[str]) -> int:
        return len(await self.preview(member_ids))

    async def preview(self, member_ids: list[str]) -> list:
        return []
""",
        """\
# file: app/application/use_cases/reservations.py
class ReservationUseCase:  # error: HEX401
    def __init__(self, reservations) -> None:
        self._reservations = reservations

    def make_reservation(self, room: str) -> None: ...

    def cancel(self, reservation_id: str) -> None: ...

class DisplayRoomsInteractor:  # error: HEX401
    def __init__(self, rooms) -> None:
        self._rooms = rooms

    def get_rooms(self) -> list: ...

class CheckInUseCase:
    def __init__(self, reservations) -> None:
        self._reservations = reservations

    def execute(self, reservation_id: str) -> None: ...
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).use_cases)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        # A team that names every entry point `handle` or `run` has a convention too;
        # a single public method is judged by its name only where others use `execute`.
        execute_is_convention = any(_has_entry_point(r, ref, "execute") for ref in r.use_cases)
        for ref in r.use_cases:
            public = public_methods(r, ref)
            extra = [name for name in public if name not in _ENTRY_POINTS]
            entry = next((name for name in _ENTRY_POINTS if _has_entry_point(r, ref, name)), "")
            name = ref.cls.name
            if entry and not extra:
                continue
            if not entry and not extra:
                message = f"use case '{name}' has no public method to execute it"
            elif entry:
                message = (
                    f"use case '{name}' has public methods {quoted_list([entry, *extra])}; "
                    f"a use case exposes only '{entry}'"
                )
            elif len(extra) > 1:
                message = (
                    f"use case '{name}' has public methods {quoted_list(extra)}; a use case "
                    "exposes a single 'execute'"
                )
            elif execute_is_convention:
                message = (
                    f"use case '{name}' exposes '{extra[0]}' where the project's other use "
                    "cases expose 'execute'"
                )
            else:
                continue
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


# ---------------------------------------------------------------------- HEX402


def _is_settings(r: Roles, ref: ClassRef) -> bool:
    return bool(set(r.ancestors(ref)) & _SETTINGS_BASES)


def created_dependency(r: Roles, callee: str) -> tuple[str, str] | None:
    """`(kind, dotted)` when calling `callee` builds what a use case should receive: an
    adapter, an infrastructure/web/composition class (data holders aside, settings
    included), or a driver object; `None` otherwise."""
    if callee in DRIVER_CONSTRUCTORS:
        return "the driver object", callee
    ref = r.ref(callee)
    if ref is None:
        # `MongoBookRepository.from_settings(...)`: an alternative constructor.
        owner_name, _, method_name = callee.rpartition(".")
        owner = r.ref(owner_name) if owner_name else None
        method = owner.cls.method(method_name) if owner is not None else None
        if owner is None or method is None or not method.decorated_with("classmethod"):
            return None
        ref = owner
    layer = r.layer(ref)
    if r.is_adapter(ref.dotted):
        return "the adapter", ref.dotted
    if layer not in _OUTER_LAYERS:
        return None
    if r.is_data_holder(ref) and not _is_settings(r, ref):
        return None
    assert layer is not None
    return f"the {layer.value} class", ref.dotted


class _CreatedBy:
    """`created_dependency`, each callee answered once: use cases call the same
    constructors and helpers over and over."""

    def __init__(self, r: Roles) -> None:
        self._roles = r
        self._answers: dict[str, tuple[str, str] | None] = {}

    def __call__(self, callee: str) -> tuple[str, str] | None:
        try:
            return self._answers[callee]
        except KeyError:
            answer = self._answers[callee] = created_dependency(self._roles, callee)
            return answer


class UseCaseCreatesDependency(Rule):
    code = "HEX402"
    name = "use-case-creates-dependency"
    severity = Severity.ERROR
    concern = "use-cases"
    summary = "A use case instantiates an adapter, an outer-layer class or a driver object itself."
    subject = "classes use cases instantiate are not adapters, outer-layer classes or drivers"
    why = (
        "A use case that builds its own `MongoBookRepository`, `SystemClock` or "
        "`httpx.AsyncClient` has chosen its infrastructure: it cannot be tested without "
        "a database or the network, cannot be reused with another adapter, and hides "
        "a dependency the composition root should own (and configure, pool and close). "
        "Dependency injection through `__init__` keeps the use case a pure orchestration "
        "of ports that any adapter can satisfy. Building domain entities, value objects, "
        "commands and exceptions is of course fine, and so is building a DTO (importing "
        "it is HEX101's concern)."
    )
    how_to_fix = (
        "Declare the collaborator as an `__init__` parameter typed with its port and let "
        "the composition root (a `@lru_cache` provider, a container) pass the adapter in.\n\n"
        "Before:\n\n"
        "    class ReturnBook:\n"
        "        async def execute(self, command: ReturnBookCommand) -> Loan:\n"
        "            loan.mark_returned(SystemClock().now())\n\n"
        "After:\n\n"
        "    class ReturnBook:\n"
        "        def __init__(self, loans: LoanRepository, clock: Clock) -> None:\n"
        "            self._loans = loans\n"
        "            self._clock = clock\n\n"
        "        async def execute(self, command: ReturnBookCommand) -> Loan:\n"
        "            loan.mark_returned(self._clock.now())"
    )
    valid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass

class InvalidBook(Exception): ...

@dataclass
class Book:
    title: str
# file: app/application/use_cases/create_book.py
from dataclasses import dataclass
from uuid import uuid4
from app.application.ports.books import BookRepository
from app.domain.book import Book, InvalidBook

@dataclass(frozen=True)
class CreateBookCommand:
    title: str

class CreateBookUseCase:
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def execute(self, command: CreateBookCommand) -> Book:
        if not command.title:
            raise InvalidBook("a book needs a title")
        book = Book(title=command.title)
        await self._books.add(book)
        return book
# file: app/application/ports/books.py
from typing import Protocol

class BookRepository(Protocol):
    async def add(self, book) -> None: ...
""",
        """\
# file: app/infrastructure/web/schemas.py
from pydantic import BaseModel

class AuthorResponse(BaseModel):
    id: str
# file: app/application/use_cases/register_author.py
from app.infrastructure.web.schemas import AuthorResponse

class RegisterAuthorUseCase:
    def __init__(self, authors) -> None:
        self._authors = authors

    async def execute(self, name: str) -> AuthorResponse:
        return AuthorResponse(id=await self._authors.add(name))
# file: app/infrastructure/persistence/books.py
class MongoBooks:
    def __init__(self) -> None:
        self._reader = BookReader()

class BookReader: ...
""",
    )
    invalid = (
        """\
# file: app/application/ports/clock.py
from typing import Protocol

class Clock(Protocol):
    def now(self) -> float: ...
# file: app/infrastructure/system_clock.py
class SystemClock:
    def now(self) -> float:
        return 0.0
# file: app/application/use_cases/return_book.py
class ReturnBookUseCase:
    def __init__(self, loans) -> None:
        self._loans = loans

    async def execute(self, loan_id: str) -> None:
        from app.infrastructure.system_clock import SystemClock

        loan = await self._loans.get(loan_id)
        loan.mark_returned(SystemClock().now())  # error: HEX402
""",
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/mongo_books.py
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, client) -> None:
        self._client = client

    async def add(self, book) -> None: ...
# file: app/application/use_cases/create_book.py
import httpx
from motor.motor_asyncio import AsyncIOMotorClient
from app.infrastructure.persistence.mongo_books import MongoBookRepository

class CreateBookUseCase:
    def __init__(self, books=None) -> None:
        self._books = books or MongoBookRepository(AsyncIOMotorClient())  # error: HEX402
        self._http = httpx.AsyncClient()  # error: HEX402

    async def execute(self, title: str) -> None:
        await self._books.add(title)
""",
    )

    def _creations(self, model: ProjectModel) -> Iterator[tuple[ClassRef, FunctionFact, CallFact, str, str]]:
        r = roles(model)
        created_by = _CreatedBy(r)
        for ref in r.use_cases:
            for method in ref.cls.methods:
                for call in method.calls:
                    created = created_by(call.callee)
                    if created is None:
                        continue
                    # `MongoBookRepository(AsyncIOMotorClient())`: one finding, the outer one.
                    if call.context is CallContext.ARGUMENT and created_by(call.outer):
                        continue
                    yield ref, method, call, created[0], created[1]

    def examined(self, model: ProjectModel) -> int:
        """Distinct (use case, class) pairs where the use case calls a first-party class
        or a driver constructor: the same unit the findings' symbols count."""
        r = roles(model)
        created_by = _CreatedBy(r)
        pairs: set[tuple[str, str]] = set()
        for ref in r.use_cases:
            for method in ref.cls.methods:
                for call in method.calls:
                    created = created_by(call.callee)
                    target = r.ref(call.callee)
                    if created is not None:
                        pairs.add((ref.dotted, created[1]))
                    elif target is not None:
                        pairs.add((ref.dotted, target.dotted))
        return len(pairs)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for ref, method, call, kind, dotted in self._creations(model):
            message = (
                f"use case '{ref.cls.name}' creates {kind} '{dotted.rpartition('.')[2]}' in "
                f"'{method.name}' instead of receiving it through __init__"
            )
            symbol = f"{ref.dotted}:creates:{dotted}"
            yield self.finding(ref.facts, call.span, message, symbol, model)


# ---------------------------------------------------------------------- HEX403


def _literal_setting(param: ParamFact) -> bool:
    """`retries=3`, `name="books"`: a setting with a literal default, not a collaborator."""
    default = param.default
    return default is not None and default.kind is ExprKind.LITERAL and default.name != "None"


def concrete_annotation(r: Roles, param: ParamFact) -> tuple[str, str] | None:
    """`(what, port)` when the annotation names an adapter, another concrete
    infrastructure class, or a driver/ORM type; `port` is the port to use instead if known."""
    if param.annotation is None:
        return None
    for name in param.annotation.names():
        ref = r.ref(name)
        if ref is not None:
            if r.is_adapter(ref.dotted):
                ports = r.ports_of(ref)
                return f"the adapter '{ref.cls.name}'", ports[0].cls.name if ports else ""
            if r.layer(ref) is Layer.INFRASTRUCTURE and not r.is_data_holder(ref) and not r.is_abstract(ref):
                return f"the infrastructure class '{ref.cls.name}'", ""
        elif top_package(name) in _CONCRETE_PACKAGES:
            return f"the driver type '{name}'", ""
    return None


class UntypedDependency(Rule):
    code = "HEX403"
    name = "untyped-dependency"
    severity = Severity.WARNING
    concern = "use-cases"
    summary = "A use-case `__init__` parameter has no annotation or is annotated with a concrete adapter."
    subject = "use-case dependencies are typed with ports"
    why = (
        "The `__init__` signature of a use case is its list of needs. Typed with ports, "
        "it tells the reader which contracts the use case relies on, lets the type "
        "checker verify every adapter the composition root passes, and keeps the "
        "application layer free of infrastructure. An untyped parameter hides the "
        "dependency (anything goes, nothing is checked); a parameter typed with "
        "`MongoMemberRepository`, a driver type or an ORM session welds the use case to "
        "one implementation even when the object is injected. Unannotated `*args` and "
        "`**kwargs` hide dependencies the same way; parameters with a literal default "
        "(`retries=3`) are settings and are not judged."
    )
    how_to_fix = (
        "Annotate every collaborator with the port it needs (an ABC or Protocol in "
        "`application/ports`), never with the adapter.\n\n"
        "Before:\n\n"
        "    class RegisterMember:\n"
        "        def __init__(self, members: MongoMemberRepository, clock) -> None: ...\n\n"
        "After:\n\n"
        "    class RegisterMember:\n"
        "        def __init__(self, members: MemberRepository, clock: Clock) -> None: ..."
    )
    valid = (
        """\
# file: app/application/ports/members.py
from abc import ABC, abstractmethod

class MemberRepository(ABC):
    @abstractmethod
    async def add(self, member) -> None: ...
# file: app/application/use_cases/register_member.py
from typing import TYPE_CHECKING, Optional
from app.application.ports.members import MemberRepository

if TYPE_CHECKING:
    from app.application.ports.clock import Clock

class RegisterMemberUseCase:
    def __init__(
        self,
        members: MemberRepository,
        clock: "Clock",
        audit: Optional[MemberRepository] = None,
        *,
        retries=3,
        prefix="member",
    ) -> None:
        self._members = members

    async def execute(self, member) -> None:
        await self._members.add(member)
# file: app/application/ports/clock.py
from typing import Protocol

class Clock(Protocol):
    def now(self) -> float: ...
""",
        """\
# file: app/application/use_cases/list_books.py
class ListBooksUseCase:
    def __init__(self: "ListBooksUseCase", books: "BookRepository | None") -> None:
        self._books = books

    async def execute(self) -> list:
        return await self._books.list()
""",
    )
    invalid = (
        """\
# file: app/application/use_cases/list_books.py
class ListBooksUseCase:
    def __init__(self, books, *args, **kwargs) -> None:  # error: HEX403
        self._books = books

    async def execute(self) -> list:
        return await self._books.list()
""",
        """\
# file: app/application/ports/members.py
from abc import ABC, abstractmethod

class MemberRepository(ABC):
    @abstractmethod
    async def get_by_email(self, email: str): ...
# file: app/infrastructure/persistence/mongo_members.py
from app.application.ports.members import MemberRepository

class MongoMemberRepository(MemberRepository):
    async def get_by_email(self, email: str):
        return None
# file: app/application/use_cases/register_member.py
from typing import TYPE_CHECKING
from motor.motor_asyncio import AsyncIOMotorDatabase

if TYPE_CHECKING:
    from app.infrastructure.persistence.mongo_members import MongoMemberRepository

class RegisterMemberUseCase:
    def __init__(
        self,
        members: "MongoMemberRepository",  # error: HEX403
        database: AsyncIOMotorDatabase,  # error: HEX403
    ) -> None:
        self._members = members

    async def execute(self, email: str) -> None:
        await self._members.get_by_email(email)
""",
    )

    def _params(self, model: ProjectModel) -> Iterator[tuple[ClassRef, ParamFact]]:
        for ref in roles(model).use_cases:
            init = ref.cls.method("__init__")
            if init is None:
                continue
            params = init.params
            if params and params[0].kind in (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY):
                params = params[1:]
            for param in params:
                yield ref, param

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._params(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        for ref, param in self._params(model):
            where = f"'{ref.cls.name}.__init__'"
            star = {ParamKind.VAR_POSITIONAL: "*", ParamKind.VAR_KEYWORD: "**"}.get(param.kind, "")
            if param.annotation is None:
                if _literal_setting(param):
                    continue
                message = f"parameter '{star}{param.name}' of {where} has no type annotation"
            else:
                concrete = concrete_annotation(r, param)
                if concrete is None:
                    continue
                what, port = concrete
                instead = f"its port '{port}'" if port else "a port"
                message = (
                    f"parameter '{star}{param.name}' of {where} is annotated with {what} instead of {instead}"
                )
            symbol = f"{ref.dotted}.__init__:param:{param.name}"
            yield self.finding(ref.facts, param.span, message, symbol, model)


__all__ = ["UntypedDependency", "UseCaseCreatesDependency", "UseCasePublicSurface"]
