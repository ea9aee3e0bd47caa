"""HEX401 use-case-public-surface: A use case does not expose exactly one public entry
point (`execute`)."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import Expr
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import quoted_list
from hexcheck.semantics.roles import (
    USE_CASE_SUFFIXES,
    ClassRef,
    Roles,
    filed_as_use_case,
    is_abstract_method,
    roles,
)
from hexcheck.semantics.symbols import class_sites
from hexcheck.semantics.types import PROPERTIES

# A use case's entry point: `execute`, or `__call__` for teams that make use cases callable.
_ENTRY_POINTS = ("execute", "__call__")


# The suffixes of a use case's name, `LendBookUsecase` spelt so included.
_USE_CASE_NAMES = (*USE_CASE_SUFFIXES, "Usecase")


def _public(name: str) -> bool:
    return not name.startswith("_")


def public_methods(r: Roles, ref: ClassRef) -> list[str]:
    """The public methods of a use case, inherited ones included, in definition order;
    properties are attributes, not operations."""
    found: list[str] = []
    for owner in (ref, *r.first_party_ancestors(ref)):
        for name in _operations(owner):
            if name not in found:
                found.append(name)
    return found


def _operations(ref: ClassRef) -> list[str]:
    """The public methods a class defines itself; properties are attributes."""
    return [
        method.name
        for method in ref.cls.methods
        if _public(method.name) and not method.decorated_with(*PROPERTIES)
    ]


def _bases(r: Roles, ref: ClassRef) -> list[ClassRef]:
    """The first-party ancestors, and the direct bases an unresolved import still names:
    a class whose dotted name ends the base's (`src.shared.bus.CommandHandler` imported,
    `shared.bus.CommandHandler` checked), or that the base's name ends."""
    found = list(r.first_party_ancestors(ref))
    for base in ref.cls.bases:
        if not base.name or "?" in base.name or r.ref(base.name) is not None:
            continue
        found.extend(p for p in class_sites(r, base.name, by_suffix=True) if p is not ref)
        by_name = r.model.index(_classes_by_name)
        found.extend(
            other
            for other in by_name.get(base.name.rpartition(".")[2], ())
            if other is not ref and base.name.endswith("." + other.dotted)
        )
    return found


def _declares_entry_abstract(ref: ClassRef, entry_points: tuple[str, ...]) -> bool:
    """A base whose entry point is abstract: a contract for its subclasses to fulfil."""
    return any(
        (method := ref.cls.method(name)) is not None and is_abstract_method(method) for name in entry_points
    )


def _template_surface(ref: ClassRef) -> tuple[str, ...]:
    """The public concrete methods of a template base: a class that leaves steps abstract
    for its subclasses (`process`) and runs them from its own public methods (`handle`);
    empty for any other class. The abstract steps are the subclasses' part of the
    contract, not operations of their own."""
    methods = [m for m in ref.cls.methods if not m.decorated_with(*PROPERTIES)]
    if not any(is_abstract_method(m) for m in methods):
        return ()
    return tuple(m.name for m in methods if _public(m.name) and not is_abstract_method(m))


def _classes_by_name(model: ProjectModel) -> dict[str, list[ClassRef]]:
    found: dict[str, list[ClassRef]] = {}
    for ref in roles(model).classes:
        found.setdefault(ref.cls.name, []).append(ref)
    return found


def _fronts_use_cases(r: Roles, ref: ClassRef, use_cases: frozenset[str]) -> bool:
    """Whether a class neither named nor shaped as a use case (no `UseCase`/`Interactor`
    suffix, no `execute` of its own) takes only the project's use cases in `__init__`: a
    command handler that runs them and shapes their results, not one more use case.
    `use_cases`: the dotted names of the project's use cases."""
    if ref.cls.name.endswith(_USE_CASE_NAMES) or ref.cls.method("execute") is not None:
        return False
    init = ref.cls.method("__init__")
    collaborators = init.params[1:] if init is not None else ()
    if not collaborators:
        return False
    for param in collaborators:
        types = _annotated_classes(r, param.annotation)
        if not types or any(other is None or other.dotted not in use_cases for other in types):
            return False
    return True


def _annotated_classes(r: Roles, annotation: Expr | None) -> list[ClassRef | None]:
    """The first-party classes an annotation names, None for a name that is none; [] for
    no annotation."""
    if annotation is None:
        return []
    return [r.ref(name) for name in annotation.names() if name and "?" not in name]


def _collaborators_of_use_cases(r: Roles) -> frozenset[str]:
    """The classes other use cases receive in `__init__` (`reranker: ChunkReranker`): an
    application service a use case is built on, called as the use case needs it, is no
    entry point of its own, whatever its public methods."""
    found: set[str] = set()
    for ref in r.use_cases:
        init = ref.cls.method("__init__")
        for param in init.params[1:] if init is not None else ():
            found.update(
                other.dotted for other in _annotated_classes(r, param.annotation) if other not in (None, ref)
            )
    return frozenset(found)


def _declared_abstract_above(r: Roles, ref: ClassRef, name: str) -> bool:
    """Whether a first-party base declares `name` abstract (`EventHandler.handle`): the
    base's contract names the method, so the class cannot rename it to `execute`."""
    return any(
        method.name == name and is_abstract_method(method)
        for ancestor in r.first_party_ancestors(ref)
        for method in ancestor.cls.methods
    )


def _has_entry_point(r: Roles, ref: ClassRef, name: str) -> bool:
    return any(owner.cls.method(name) is not None for owner in (ref, *r.first_party_ancestors(ref)))


# Bases that give a class no operation: genericity, abstractness, structural typing.
_SURFACELESS_BASES = frozenset(
    {
        "object", "builtins.object", "abc.ABC", "typing.Generic", "typing_extensions.Generic",
        "typing.Protocol", "typing_extensions.Protocol",
    }
)  # fmt: skip


def _derives_from_an_unread_base(r: Roles, owners: tuple[ClassRef, ...]) -> bool:
    """Whether one of the classes derives from a base outside the project (or one that does
    not resolve): its operations, an `execute` among them, are out of sight."""
    return any(
        base.name and base.name not in _SURFACELESS_BASES and r.ref(base.name) is None
        for owner in owners
        for base in owner.cls.bases
    )


def _declares_a_collaborator(ref: ClassRef) -> bool:
    """Whether a class declares an attribute of its own (`orders: OrderRepository`,
    `timeout = 30`); a dunder (`__slots__ = ()`) is the class's machinery."""
    return any(not (a.name.startswith("__") and a.name.endswith("__")) for a in ref.cls.attributes)


def _lone_operation(r: Roles, ref: ClassRef) -> str:
    """A use case's one way to run it: `__call__` where it has no public method, else its
    only public method (its own, or a template base's where it defines none); '' for one
    with several, or with a public method beside `__call__`."""
    operations = _operations(ref) or public_methods(r, ref)
    if _has_entry_point(r, ref, "__call__"):
        return "" if operations else "__call__"
    return operations[0] if len(operations) == 1 else ""


def _shared_lone_operation(
    r: Roles, ordered: list[ClassRef], collaborators: frozenset[str]
) -> tuple[str, str]:
    """The lone method that at least two classes the team files as use cases keep alike
    (`executar`, `__call__`, `handle`), the one most keep, and its first keeper in
    `ordered` (the use cases by dotted name); ('', '') where there is none. Services and
    the use cases' collaborators are left out: two notifiers' `send` is no convention of
    the use cases."""
    keepers: dict[str, list[str]] = {}
    for ref in ordered:
        if filed_as_use_case(ref) and ref.dotted not in collaborators and (name := _lone_operation(r, ref)):
            keepers.setdefault(name, []).append(ref.cls.name)
    shared = sorted((-len(names), name, names[0]) for name, names in keepers.items() if len(names) >= 2)
    return (shared[0][1], shared[0][2]) if shared else ("", "")


def _shows_one_execute(r: Roles, ref: ClassRef) -> bool:
    """Whether a use case has `execute` and no other public method of its own: the
    convention of one `execute` (a base's helpers are the base's)."""
    return set(_operations(ref)) <= {"execute"} and _has_entry_point(r, ref, "execute")


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
        "only where the project's other use cases expose `execute` as their one public "
        "method (a tool executor's `execute` among other operations is no convention), and "
        "no first-party base declares it abstract (an `EventHandler`'s `handle`: the base's "
        "contract names it): a "
        "team-wide convention is a convention, a lone exception to one is a surprise. That "
        "name is held to the convention of the classes filed like it, as use cases (in "
        "`use_cases/`, or named `...UseCase` or `...Interactor`) or not: where only "
        "`use_cases/` keep `execute`, an orchestrator filed apart names its one operation as "
        "it likes, and the other way round (one with several operations is an application "
        "service, judged below). A project "
        "whose use cases are called through `__call__` or `handle` (`Handle` or `Execute` as "
        "teams from .NET spell them; at least two "
        "application classes with injected collaborators define it) has that entry point "
        "instead. An application service (several public methods, collaborators injected "
        "through `__init__`) is a use case for HEX402 and HEX403; this rule reports it "
        "only where the project's convention is one `execute`: at least two of its use "
        "cases keep `execute` alone (one service that does names its own work so, and makes "
        "no rule for the others). A class the team itself "
        "files as a use case (in a `use_cases`/`usecases` package, or named `...UseCase` or "
        "`...Interactor`) with several operations is reported where one operation per use "
        "case is the convention: one of the project's use cases keeps `execute` alone, or "
        "two classes filed as use cases keep the same lone method (`executar`, `__call__`, "
        "`handle`; the finding names it and one of them). There the filing is the team's "
        "word that the class is one thing the application does. Where none does, "
        "per-aggregate classes (a `CartUseCase` with `get_cart` and `add_to_cart`) are the "
        "team's convention, not a drift from one. A family of handlers on a "
        "template base (a `BaseHandler` whose public `handle` runs the abstract `process` "
        "each handler fills in) has the base's method as its entry point: a handler that "
        "adds nothing to it is not reported, one that adds operations is. The links of a "
        "chain of responsibility (a command bus's middlewares, each handed the next link in "
        "`__init__`) pass the work along: they are no use cases, nor is a factory (a "
        "`ModelFactory`'s `create_...` methods build what others run). Nor is a service other use "
        "cases receive in `__init__` (a `ChunkReranker` an `AnswerQueryUseCase` is built on), "
        "unless it is a use case composed into another: it has an entry point of its own, "
        "or its name says it is a use case."
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
        # A base the use cases derive from, holding only their logger: no entry point of
        # its own to miss.
        """\
# file: app/application/use_cases/base.py
import logging


class UseCase:
    logger = logging.getLogger(__name__)
# file: app/application/use_cases/create_order.py
from app.application.ports import OrderRepository
from app.application.use_cases.base import UseCase


class CreateOrder(UseCase):
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    def execute(self, sku: str) -> None:
        self._orders.add(sku)
# file: app/application/ports.py
from typing import Protocol


class OrderRepository(Protocol):
    def add(self, sku: str) -> None: ...
""",
        # A marker with `__slots__`, and a use case whose entry point comes from a
        # framework's base: neither shows a surface to judge.
        """\
# file: app/application/use_cases/base.py
from typing import Generic, TypeVar

I = TypeVar("I")
O = TypeVar("O")


class UseCase(Generic[I, O]):  # the marker every use case derives from
    __slots__ = ()
# file: app/application/use_cases/create_order.py
from app.application.ports import OrderRepository
from cqrs_kit import CommandHandler


class CreateOrderUseCase(CommandHandler):
    orders: OrderRepository
# file: app/application/ports.py
from typing import Protocol


class OrderRepository(Protocol):
    def add(self, sku: str) -> None: ...
""",
        # An empty marker base the use cases derive from, and a generic type their callers
        # name: neither is a use case missing its entry point.
        """\
# file: backend/modules/auth/application/usecase/auth.py
from dataclasses import dataclass
from typing import Generic, TypeVar

from modules.auth.domain.repository import AuthRepository

InputDTO = TypeVar("InputDTO")
OutputDTO = TypeVar("OutputDTO")


class UseCase: ...


class Interactor(Generic[InputDTO, OutputDTO]):
    pass


@dataclass
class RegisterUser(UseCase):
    users: AuthRepository

    async def __call__(self, email: str) -> None:
        await self.users.add(email)


@dataclass
class RemoveUser(UseCase):
    users: AuthRepository

    async def __call__(self, email: str) -> None:
        await self.users.remove(email)
# file: backend/modules/auth/domain/repository.py
from abc import ABC, abstractmethod


class AuthRepository(ABC):
    @abstractmethod
    async def add(self, email: str) -> None: ...

    @abstractmethod
    async def remove(self, email: str) -> None: ...
""",
        # A command kept beside its use case, which checks its own fields: the use case's
        # input (named as a message, handed no port), not a second use case.
        """\
# file: src/application/use_cases/categories/create_category_command.py
from src.application.commons.validators import CustomValidator
from src.application.use_cases.categories.create_category_dto import CreateCategoryDto


class CreateCategoryCommand(CustomValidator):
    def __init__(self, dto: CreateCategoryDto) -> None:
        self.name = dto.name

    def format_validation(self) -> None:
        if not self.name or len(self.name) > 75:
            raise ValueError("name")
# file: src/application/commons/validators.py
from abc import ABC, abstractmethod


class CustomValidator(ABC):
    @abstractmethod
    def format_validation(self) -> None: ...
# file: src/application/use_cases/categories/create_category_dto.py
from dataclasses import dataclass


@dataclass
class CreateCategoryDto:
    name: str
# file: src/application/use_cases/categories/create_category_use_case.py
from src.application.ports import CategoriesRepositoryPort
from src.application.use_cases.categories.create_category_command import CreateCategoryCommand


class CreateCategoryUseCase:
    def __init__(self, categories: CategoriesRepositoryPort) -> None:
        self.categories = categories

    def execute(self, command: CreateCategoryCommand) -> str:
        command.format_validation()
        return self.categories.create(command.name)
# file: src/application/ports.py
from abc import ABC, abstractmethod


class CategoriesRepositoryPort(ABC):
    @abstractmethod
    def create(self, name: str) -> str: ...
""",
        # An application service the use cases are built on (`reranker: ChunkReranker`) is
        # their collaborator, not an entry point: `rerank` breaks no `execute` convention.
        """\
# file: app/application/reranker.py
from app.application.ports import RelevanceScorer


class ChunkReranker:
    def __init__(self, scorer: RelevanceScorer) -> None:
        self.scorer = scorer

    def rerank(self, query: str, chunks: list[str]) -> list[str]:
        return sorted(chunks, key=lambda chunk: self.scorer.score(query, chunk), reverse=True)
# file: app/application/use_cases/answer_query.py
from app.application.ports import ChunkRepository
from app.application.reranker import ChunkReranker


class AnswerQueryUseCase:
    def __init__(self, chunks: ChunkRepository, reranker: ChunkReranker) -> None:
        self.chunks = chunks
        self.reranker = reranker

    def execute(self, query: str) -> list[str]:
        return self.reranker.rerank(query, self.chunks.search(query))
# file: app/application/ports.py
from abc import ABC, abstractmethod


class ChunkRepository(ABC):
    @abstractmethod
    def search(self, query: str) -> list[str]: ...


class RelevanceScorer(ABC):
    @abstractmethod
    def score(self, query: str, chunk: str) -> float: ...
# file: app/application/use_cases/list_sources.py
from app.application.ports import ChunkRepository


class ListSourcesUseCase:
    def __init__(self, chunks: ChunkRepository) -> None:
        self.chunks = chunks

    def execute(self) -> list[str]:
        return self.chunks.search("")
""",
        # A team from .NET names its handlers' one method as MediatR does, `Handle`: its
        # convention, though one older use case exposes `execute`.
        """\
# file: src/application/Message/commands/CreateMessageCommand.py
from application.ports import MessageRepository


class CreateMessageCommand:
    def __init__(self, repository: MessageRepository) -> None:
        self._repository = repository

    def Handle(self, text: str) -> str:
        return self._repository.insert(text)
# file: src/application/Message/queries/GetMessageByIdQuery.py
from application.ports import MessageRepository


class GetMessageByIdQuery:
    def __init__(self, repository: MessageRepository) -> None:
        self._repository = repository

    def Handle(self, message_id: str) -> str | None:
        return self._repository.get(message_id)
# file: src/application/Logs/queries/GetAllLogsQuery.py
from application.ports import LogRepository


class GetAllLogsQuery:
    def __init__(self, logs: LogRepository) -> None:
        self._logs = logs

    def execute(self) -> list[str]:
        return self._logs.all()
# file: src/application/ports.py
from abc import ABC, abstractmethod


class MessageRepository(ABC):
    @abstractmethod
    def insert(self, text: str) -> str: ...

    @abstractmethod
    def get(self, message_id: str) -> str | None: ...


class LogRepository(ABC):
    @abstractmethod
    def all(self) -> list[str]: ...
""",
        """\
# file: loans/application/approval/steps.py
from typing import Any, Callable


class CreditScoreStep:  # a step of a chain: it hands the loan on to the next one
    def __init__(self, bureau: Any, next_step: Any = None) -> None:
        self._bureau = bureau
        self._next_step = next_step or AcceptStep()

    def handle(self, loan: Any) -> bool:
        if self._bureau.score(loan) < 600:
            return False
        return self._next_step.handle(loan)

    def explain(self) -> str:
        return "rejects applicants scoring under 600"


class AcceptStep:
    def handle(self, loan: Any) -> bool:
        return True


class LoggingMiddleware:  # the next handler is a callable
    def __init__(self, logger: Any, next_handler: Callable[[Any], Any]) -> None:
        self._logger = logger
        self._next_handler = next_handler

    def execute(self, command: Any) -> Any:
        self._logger.info(command)
        return self._next_handler(command)

    def describe(self) -> str:
        return "logs every command"
""",
        """\
# file: med/application/services/patient.py
class Patients:
    def __init__(self, repo) -> None:
        self._repo = repo
        self._selector = _StrategySelector(repo)

    def find(self, filters: dict) -> list:
        return self._selector.get_method(filters)(filters)


class _StrategySelector:  # the module's private helper, no use case
    def __init__(self, repo) -> None:
        self._repo = repo

    def get_method(self, filters: dict):
        return self._repo.fetch_by_gender if "gender" in filters else self._repo.fetch_all

    def execute(self, filters: dict) -> list:
        return self.get_method(filters)(filters)
""",
        """\
# file: bench/application/command_bus/middlewares.py
class Middleware:  # links of a chain of responsibility, not use cases
    def __init__(self, next_middleware=None) -> None:
        self.next_middleware = next_middleware

    def execute(self, command: object) -> None:
        raise NotImplementedError()

    def next(self, command: object) -> None:
        if self.next_middleware:
            self.next_middleware.execute(command)


class CommandLoggingMiddleware(Middleware):
    def __init__(self, logger, next_middleware=None) -> None:
        super().__init__(next_middleware)
        self.logger = logger

    def execute(self, command: object) -> None:
        self.logger.info(command)
        self.next(command)


class TransactionDecorator(Middleware):
    def __init__(self, session, middleware: Middleware) -> None:
        super().__init__(middleware)
        self.session = session

    def execute(self, command: object) -> None:
        self.next(command)
        self.session.commit()
""",
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
        """\
# file: app/application/catalog.py
from app.application.ports import BookRepository


class CatalogService:  # an application service: no `execute` convention to break
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def add_title(self, title: str) -> None:
        await self._books.add(title)

    async def retire_title(self, title: str) -> None:
        await self._books.remove(title)
# file: app/application/lending.py
from app.application.ports import BookRepository


class LendBook:  # the project's entry point is `__call__`
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def __call__(self, title: str) -> None:
        await self._books.remove(title)


class ReturnBook:
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def __call__(self, title: str) -> None:
        await self._books.add(title)
# file: app/application/ports.py
from typing import Protocol


class BookRepository(Protocol):
    async def add(self, title: str) -> None: ...

    async def remove(self, title: str) -> None: ...
""",
        """\
# file: app/application/bus.py
from abc import ABC, abstractmethod


class CommandHandler(ABC):
    @abstractmethod
    def subscribed_to(self) -> str: ...

    @abstractmethod
    async def handle(self, command: object) -> None: ...
# file: app/application/create_user.py
from app.application.bus import CommandHandler
from app.application.ports import UserRepository


class CreateUserCommandHandler(CommandHandler):  # `subscribed_to` is the bus's contract
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def subscribed_to(self) -> str:
        return "create-user"

    async def handle(self, command: object) -> None:
        await self._users.add(command)


class DeleteUserCommandHandler(CommandHandler):
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def subscribed_to(self) -> str:
        return "delete-user"

    async def handle(self, command: object) -> None:
        await self._users.remove(command)
# file: app/application/ports.py
from typing import Protocol


class UserRepository(Protocol):
    async def add(self, user: object) -> None: ...

    async def remove(self, user: object) -> None: ...
""",
        """\
# file: app/application/use_cases/lend_book.py
from app.application.ports import LoanRepository


class LendBookUsecase:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    def execute(self, book_id: str, member_id: str) -> None: ...


class ReturnBookUsecase:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    def execute(self, loan_id: str) -> None: ...
# file: app/application/use_cases/builder.py
from app.application.ports import LoanRepository
from app.application.use_cases.lend_book import LendBookUsecase, ReturnBookUsecase


class LoanUsecasesBuilder:  # builds the use cases: it is none itself
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    def construct_lend_book_usecase(self) -> LendBookUsecase:
        return LendBookUsecase(self._loans)

    def construct_return_book_usecase(self) -> ReturnBookUsecase:
        return ReturnBookUsecase(self._loans)
# file: app/application/loans/handlers.py
from app.application.use_cases.lend_book import LendBookUsecase, ReturnBookUsecase


class LoanCommandHandler:  # runs the use cases it is given and shapes their results
    def __init__(self, lend: LendBookUsecase, give_back: ReturnBookUsecase) -> None:
        self._lend = lend
        self._give_back = give_back

    def handle_lend(self, book_id: str) -> dict[str, object]:
        return {"success": True, "data": self._lend.execute(book_id)}

    def handle_return(self, loan_id: str) -> dict[str, object]:
        self._give_back.execute(loan_id)
        return {"success": True}
# file: app/application/ports.py
from abc import ABC, abstractmethod


class LoanRepository(ABC):
    @abstractmethod
    def add(self, loan) -> None: ...
# file: app/application/management/commands/purge_loans.py
from django.core.management.base import BaseCommand


class Command(BaseCommand):  # Django calls it: a management command, not a use case
    help = "Purges returned loans."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def add_arguments(self, parser) -> None: ...

    def handle(self, *args, **options) -> None: ...

    def execute(self, *args, **options): ...
""",
        """\
# file: app/application/use_cases/return_book.py
from datetime import date

from app.application.ports import LoanRepository


class ReturnSlip:  # only stores what it receives, no port: the use case's record
    def __init__(self, loan_id: str, returned_on: date) -> None:
        self.loan_id = loan_id
        self.returned_on = returned_on


class ReturnBook:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    def execute(self, slip: ReturnSlip) -> None:
        self._loans.close(slip.loan_id, slip.returned_on)
# file: app/application/ports.py
from abc import ABC, abstractmethod


class LoanRepository(ABC):
    @abstractmethod
    def close(self, loan_id: str, returned_on: object) -> None: ...
""",
        """\
# file: app/application/steps.py
from abc import ABC, abstractmethod


class Step(ABC):
    def applies_to(self, request: object) -> bool:  # a hook with a default, for the pipeline
        return True

    @abstractmethod
    def execute(self, request: object) -> object: ...
# file: app/application/audit_step.py
from app.application.ports import AuditLog
from app.application.steps import Step


class AuditStep(Step):  # `applies_to` is the base's surface, inherited
    def __init__(self, log: AuditLog) -> None:
        self._log = log

    def execute(self, request: object) -> object:
        self._log.record(request)
        return request
# file: app/application/ports.py
from typing import Protocol


class AuditLog(Protocol):
    def record(self, entry: object) -> None: ...
""",
        # A family of handlers on a template base: the base's public `handle` runs the
        # `process` step each handler fills in. `handle` is the family's entry point and
        # `process` the base's contract, where the project's use cases expose `execute`.
        """\
# file: app/application/websocket/handlers/base.py
from abc import ABC, abstractmethod


class BaseHandler(ABC):
    async def handle(self, connection: object, message: dict) -> None:
        await self.process(connection, message["payload"])

    @abstractmethod
    async def process(self, connection: object, payload: object) -> None: ...
# file: app/application/websocket/handlers/canvas.py
from app.application.ports import Broadcaster
from app.application.websocket.handlers.base import BaseHandler


class ViewportChangedHandler(BaseHandler):
    def __init__(self, broadcaster: Broadcaster) -> None:
        self.broadcaster = broadcaster

    async def process(self, connection: object, payload: object) -> None:
        await self.broadcaster.send(payload)


class SelectionChangedHandler(BaseHandler):
    def __init__(self, broadcaster: Broadcaster) -> None:
        self.broadcaster = broadcaster

    async def process(self, connection: object, payload: object) -> None:
        await self.broadcaster.send(payload)
# file: app/application/use_cases/start_session.py
from app.application.ports import Broadcaster


class StartSession:
    def __init__(self, broadcaster: Broadcaster) -> None:
        self.broadcaster = broadcaster

    async def execute(self, user_id: str) -> None:
        await self.broadcaster.send(user_id)
# file: app/application/ports.py
from typing import Protocol


class Broadcaster(Protocol):
    async def send(self, payload: object) -> None: ...
""",
        # An event handler beside use cases that expose `execute`: its `handle` is what
        # the project's `EventHandler` base declares, the bus's contract, not its choice.
        """\
# file: src/building_blocks/application/event_bus.py
from abc import ABC, abstractmethod


class EventHandler(ABC):
    @abstractmethod
    async def handle(self, event: object) -> None: ...
# file: src/media/application/use_cases.py
from src.media.application.ports import MediaRepository


class CreateMedia:
    def __init__(self, media: MediaRepository) -> None:
        self._media = media

    async def execute(self, title: str) -> None:
        await self._media.add(title)


class DeleteMedia:
    def __init__(self, media: MediaRepository) -> None:
        self._media = media

    async def execute(self, title: str) -> None:
        await self._media.remove(title)
# file: src/media/application/on_media_created.py
from src.building_blocks.application.event_bus import EventHandler
from src.media.application.ports import MediaRepository


class OnMediaCreatedHandler(EventHandler):
    def __init__(self, media: MediaRepository) -> None:
        self._media = media

    async def handle(self, event: object) -> None:
        await self._media.add(str(event))
# file: src/media/application/ports.py
from abc import ABC, abstractmethod


class MediaRepository(ABC):
    @abstractmethod
    async def add(self, title: str) -> None: ...

    @abstractmethod
    async def remove(self, title: str) -> None: ...
""",
        # A factory builds the models the agents run on: several `create_...` methods are
        # what it is for, and it is no use case, beside use cases that `execute`.
        """\
# file: src/application/services/model_factory_service.py
from src.application.ports import ModelSettingsRepository


class ModelFactory:
    def __init__(self, settings: ModelSettingsRepository) -> None:
        self.settings = settings

    def create_model(self, name: str) -> dict:
        return {"name": name, **self.settings.for_model(name)}

    def create_embedder(self, name: str) -> dict:
        return {"embedder": name, **self.settings.for_model(name)}
# file: src/application/ports.py
from abc import ABC, abstractmethod


class ModelSettingsRepository(ABC):
    @abstractmethod
    def for_model(self, name: str) -> dict: ...
# file: src/application/use_cases/get_active_agents.py
from src.application.ports import ModelSettingsRepository


class GetActiveAgentsUseCase:
    def __init__(self, settings: ModelSettingsRepository) -> None:
        self.settings = settings

    def execute(self, names: list[str]) -> list[dict]:
        return [self.settings.for_model(name) for name in names]
""",
        # The use cases filed in `use_cases/` expose `execute`; an orchestrator the team
        # files apart, coordinating them, names its one operation as it likes.
        """\
# file: src/application/use_cases/send_outreach.py
class SendOutreachUseCase:
    def __init__(self, mailer) -> None:
        self.mailer = mailer

    def execute(self, candidate_id: str) -> None:
        self.mailer.send(candidate_id)
# file: src/application/orchestrators/outreach_orchestrator.py
from src.application.use_cases.send_outreach import SendOutreachUseCase


class OutreachOrchestrator:
    def __init__(self, send: SendOutreachUseCase, candidates) -> None:
        self.send = send
        self.candidates = candidates

    def run_campaign(self, campaign_id: str) -> None:
        for candidate_id in self.candidates.for_campaign(campaign_id):
            self.send.execute(candidate_id)
""",
        # The other way round: the services keep one `execute` each, and a use case filed
        # in `use_cases/`, where none does, names its one operation as it likes.
        """\
# file: app/application/services/archive_order.py
class ArchiveOrderService:
    def __init__(self, orders) -> None:
        self.orders = orders

    def execute(self, order_id: str) -> None:
        self.orders.archive(order_id)
# file: app/application/use_cases/restore_order.py
class RestoreOrder:
    def __init__(self, orders) -> None:
        self.orders = orders

    def restore(self, order_id: str) -> None:
        self.orders.restore(order_id)
""",
        # Every class in `use_cases/` serves one aggregate through several operations and
        # none keeps a single entry point: the team's convention is per-aggregate use cases,
        # not one each, and there is no convention for these to break.
        """\
# file: app/application/use_cases/cart_use_case.py
from app.application.ports import CartRepository


class CartUseCase:
    def __init__(self, carts: CartRepository) -> None:
        self.carts = carts

    def get_cart(self, user_id: str) -> dict:
        return self.carts.get(user_id)

    def add_to_cart(self, user_id: str, sku: str) -> None:
        self.carts.add(user_id, sku)
# file: app/application/use_cases/seller_use_case.py
from app.application.ports import SellerRepository


class SellerUseCase:
    def __init__(self, sellers: SellerRepository) -> None:
        self.sellers = sellers

    def register_seller(self, name: str) -> None:
        self.sellers.add(name)

    def get_seller(self, seller_id: str) -> dict:
        return self.sellers.get(seller_id)
# file: app/application/ports.py
from typing import Protocol


class CartRepository(Protocol):
    def get(self, user_id: str) -> dict: ...
    def add(self, user_id: str, sku: str) -> None: ...


class SellerRepository(Protocol):
    def add(self, name: str) -> None: ...
    def get(self, seller_id: str) -> dict: ...
""",
        # Two notifiers in `services/` keep one `send` each: services, not use cases, so no
        # convention of one entry point for the per-aggregate use cases to break.
        """\
# file: app/application/services/notifiers.py
class EmailNotifier:
    def __init__(self, smtp) -> None:
        self.smtp = smtp

    def send(self, to: str, body: str) -> None:
        self.smtp.deliver(to, body)


class SmsNotifier:
    def __init__(self, gateway) -> None:
        self.gateway = gateway

    def send(self, to: str, body: str) -> None:
        self.gateway.push(to, body)
# file: app/application/use_cases/cart_use_case.py
class CartUseCase:
    def __init__(self, carts) -> None:
        self.carts = carts

    def get_cart(self, user_id: str) -> dict:
        return self.carts.get(user_id)

    def add_to_cart(self, user_id: str, sku: str) -> None:
        self.carts.add(user_id, sku)
""",
        # One service among several keeps `execute` alone: its name for its one operation,
        # no convention the project's other services, with several operations or one of
        # another name, break.
        """\
# file: app/application/services/scheduled_runner.py
class ScheduledRunner:
    def __init__(self, scripts) -> None:
        self.scripts = scripts

    def execute(self, script_id: str) -> None:
        self.scripts.run(script_id)
# file: app/application/services/node_service.py
class NodeService:
    def __init__(self, nodes) -> None:
        self.nodes = nodes

    def register(self, host: str) -> None:
        self.nodes.add(host)

    def retire(self, host: str) -> None:
        self.nodes.remove(host)
# file: app/application/services/seed_service.py
class SeedService:
    def __init__(self, nodes) -> None:
        self.nodes = nodes

    def seed_from_file(self, path: str) -> None:
        self.nodes.load(path)
""",
        # A use case and a service keep `execute` alone: a service's one operation of
        # another name is held to the services' convention, which one service does not make.
        """\
# file: app/application/use_cases/place_order.py
class PlaceOrderUseCase:
    def __init__(self, orders) -> None:
        self.orders = orders

    def execute(self, sku: str) -> None:
        self.orders.add(sku)
# file: app/application/services/scheduled_runner.py
class ScheduledRunner:
    def __init__(self, scripts) -> None:
        self.scripts = scripts

    def execute(self, script_id: str) -> None:
        self.scripts.run(script_id)
# file: app/application/services/seed_service.py
class SeedService:
    def __init__(self, nodes) -> None:
        self.nodes = nodes

    def seed_from_file(self, path: str) -> None:
        self.nodes.load(path)
""",
    )
    invalid = (
        # A use case composed into another (`PlaceOrder` handed to `CheckoutCart`) is still
        # a use case: its own `execute` beside `validate` is reported.
        """\
# file: shop/use_cases/place_order.py
from shop.use_cases.ports import OrderRepository


class PlaceOrder:  # error: HEX401
    def __init__(self, orders: OrderRepository) -> None:
        self.orders = orders

    def execute(self, cart_id: str) -> str:
        self.validate(cart_id)
        return self.orders.create(cart_id)

    def validate(self, cart_id: str) -> None:
        self.orders.get(cart_id)
# file: shop/use_cases/checkout_cart.py
from shop.use_cases.place_order import PlaceOrder


class CheckoutCart:
    def __init__(self, place_order: PlaceOrder) -> None:
        self.place_order = place_order

    def execute(self, cart_id: str) -> str:
        return self.place_order.execute(cart_id)
# file: shop/use_cases/ports.py
from abc import ABC, abstractmethod


class OrderRepository(ABC):
    @abstractmethod
    def create(self, cart_id: str) -> str: ...

    @abstractmethod
    def get(self, cart_id: str) -> str: ...
""",
        """\
# file: shop/application/place_order.py
from shop.infrastructure.repositories import SqliteOrderRepository


def make_place_order():
    return _PlaceOrderUseCase()


class _PlaceOrderUseCase:  # error: HEX401
    def __init__(self) -> None:  # private, and named as the use case it is
        self._orders = SqliteOrderRepository()

    def execute(self, order_id: str) -> None:
        self._orders.add(order_id)

    def cancel(self, order_id: str) -> None:
        self._orders.remove(order_id)
# file: shop/infrastructure/repositories.py
class SqliteOrderRepository:
    def add(self, order_id: str) -> None: ...

    def remove(self, order_id: str) -> None: ...
""",
        """\
# file: billing/application/issue_invoice.py
class IssueInvoiceUseCase:  # error: HEX401
    # `next_number` is a collaborator, not the next link of a chain
    def __init__(self, invoices, next_number) -> None:
        self._invoices = invoices
        self._next_number = next_number

    def execute(self, order_id: str) -> str:
        number = self._next_number.next()
        self._invoices.add(order_id, number)
        return number

    def cancel(self, number: str) -> None:
        self._invoices.remove(number)
""",
        # The convention of one `execute` holds though the use cases' base lends them a
        # helper (`log`): the use case handled through `handle` breaks it.
        """\
# file: app/application/use_cases/base.py
import logging
from abc import ABC, abstractmethod


class UseCase(ABC):
    @abstractmethod
    async def execute(self, data: str) -> str: ...

    def log(self, message: str) -> None:
        logging.getLogger(type(self).__name__).info(message)
# file: app/application/use_cases/create_user.py
from app.application.use_cases.base import UseCase


class CreateUserUseCase(UseCase):
    def __init__(self, users) -> None:
        self.users = users

    async def execute(self, data: str) -> str:
        self.log("creating")
        return await self.users.add(data)
# file: app/application/use_cases/rename_user.py
class RenameUserUseCase:  # error: HEX401
    def __init__(self, users) -> None:
        self.users = users

    async def handle(self, user_id: str, name: str) -> None:
        await self.users.rename(user_id, name)
""",
        # A use case that runs other use cases is still one: a single entry point.
        """\
# file: app/application/use_cases/orders.py
class ReserveStockUseCase:
    def __init__(self, stock) -> None:
        self._stock = stock

    def execute(self, order_id: str) -> None: ...


class PlaceOrderUseCase:  # error: HEX401
    def __init__(self, reserve: ReserveStockUseCase) -> None:
        self._reserve = reserve

    def execute(self, order_id: str) -> None:
        self._reserve.execute(order_id)

    def cancel(self, order_id: str) -> None: ...
""",
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
        """\
# file: app/application/catalog.py
from app.application.ports import BookRepository


class CatalogService:  # error: HEX401
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def add_title(self, title: str) -> None:
        await self._books.add(title)

    async def retire_title(self, title: str) -> None:
        await self._books.remove(title)
# file: app/application/use_cases/lend_book.py
from app.application.ports import BookRepository


class LendBookUseCase:  # the project's convention is one `execute`
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def execute(self, title: str) -> None:
        await self._books.remove(title)
# file: app/application/use_cases/return_book.py
from app.application.ports import BookRepository


class ReturnBookUseCase:
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def execute(self, title: str) -> None:
        await self._books.add(title)
# file: app/application/ports.py
from typing import Protocol


class BookRepository(Protocol):
    async def add(self, title: str) -> None: ...

    async def remove(self, title: str) -> None: ...
""",
        # An `execute` among other operations is no convention of one `execute`: the
        # application service beside that executor breaks none.
        """\
# file: app/application/services/tool_executor.py
class ToolExecutor:  # error: HEX401
    def __init__(self, tools) -> None:
        self.tools = tools

    async def execute(self, name: str) -> None:
        await self.tools.run(name)

    def validate(self, name: str) -> bool:
        return name in self.tools
# file: app/application/orchestrator/content_generator.py
class ContentGenerator:
    def __init__(self, llm) -> None:
        self.llm = llm

    async def generate(self, prompt: str) -> str:
        return await self.llm.complete(prompt)

    async def summarise(self, text: str) -> str:
        return await self.llm.complete(text)
""",
        # A handler of a template family that adds operations of its own exposes them
        # beside the family's entry point.
        """\
# file: app/application/handlers/base.py
from abc import ABC, abstractmethod


class BaseHandler(ABC):
    async def handle(self, message: dict) -> None:
        await self.process(message["payload"])

    @abstractmethod
    async def process(self, payload: object) -> None: ...
# file: app/application/handlers/tool_result.py
from app.application.handlers.base import BaseHandler


class ToolResultHandler(BaseHandler):  # error: HEX401
    def __init__(self, calls) -> None:
        self.calls = calls

    async def process(self, payload: object) -> None:
        self.calls.complete(payload)

    def register_pending_call(self, call_id: str) -> None:
        self.calls.add(call_id)
# file: app/application/use_cases/run_tool.py
class RunTool:
    def __init__(self, calls) -> None:
        self.calls = calls

    def execute(self, call_id: str) -> None:
        self.calls.add(call_id)
# file: app/application/use_cases/cancel_tool.py
class CancelTool:
    def __init__(self, calls) -> None:
        self.calls = calls

    def execute(self, call_id: str) -> None:
        self.calls.cancel(call_id)
""",
        # A template base's public method beside the use case's own `execute` is one more
        # operation, not the family's entry point.
        """\
# file: app/application/use_cases/base.py
from abc import ABC, abstractmethod


class AuditedUseCase(ABC):
    def audit(self, event: str) -> None:
        self._sink().append(event)

    @abstractmethod
    def _sink(self) -> list[str]: ...
# file: app/application/use_cases/create_order.py
from app.application.use_cases.base import AuditedUseCase


class CreateOrder(AuditedUseCase):  # error: HEX401
    def __init__(self, orders) -> None:
        self.orders = orders

    def _sink(self) -> list[str]:
        return []

    def execute(self, order_id: str) -> None:
        self.orders.add(order_id)
""",
        # A use case that declares its collaborator and no way to run it is no marker.
        """\
# file: app/application/use_cases/cancel_order.py
from app.application.ports import OrderRepository


class CancelOrderUseCase:  # error: HEX401
    orders: OrderRepository
    timeout = 30
# file: app/application/ports.py
from abc import ABC, abstractmethod


class OrderRepository(ABC):
    @abstractmethod
    def cancel(self, order_id: str) -> None: ...
""",
        # Where the team's services keep one `execute` each, a service filed beside them
        # with another name for its one operation breaks their convention.
        """\
# file: app/application/services/archive_order.py
class ArchiveOrderService:
    def __init__(self, orders) -> None:
        self.orders = orders

    def execute(self, order_id: str) -> None:
        self.orders.archive(order_id)
# file: app/application/services/cancel_order.py
class CancelOrderService:
    def __init__(self, orders) -> None:
        self.orders = orders

    def execute(self, order_id: str) -> None:
        self.orders.cancel(order_id)
# file: app/application/services/restore_order.py
class RestoreOrderService:  # error: HEX401
    def __init__(self, orders) -> None:
        self.orders = orders

    def restore(self, order_id: str) -> None:
        self.orders.restore(order_id)
""",
        # One use case filed beside them keeps a single `execute`: that is the convention,
        # and a use case with several operations breaks it.
        """\
# file: app/application/use_cases/checkout.py
class CheckoutUseCase:
    def __init__(self, carts) -> None:
        self.carts = carts

    def execute(self, user_id: str) -> None:
        self.carts.checkout(user_id)
# file: app/application/use_cases/cart_use_case.py
class CartUseCase:  # error: HEX401
    def __init__(self, carts) -> None:
        self.carts = carts

    def get_cart(self, user_id: str) -> dict:
        return self.carts.get(user_id)

    def add_to_cart(self, user_id: str, sku: str) -> None:
        self.carts.add(user_id, sku)
""",
        # Two use cases keep one `executar` each: one entry point per use case is the
        # convention, whatever its name, and a third with two operations breaks it.
        """\
# file: src/estoque/aplicacao/use_cases.py
class CadastrarItem:
    def __init__(self, itens) -> None:
        self.itens = itens

    def executar(self, nome: str) -> None:
        self.itens.adicionar(nome)


class RemoverItem:
    def __init__(self, itens) -> None:
        self.itens = itens

    def executar(self, item_id: str) -> None:
        self.itens.remover(item_id)


class ListarItens:  # error: HEX401
    def __init__(self, itens) -> None:
        self.itens = itens

    def executar(self) -> list[str]:
        return self.itens.listar()

    def contar(self) -> int:
        return len(self.itens.listar())
""",
        # The use cases are called: two keep `__call__` alone, and one with two operations
        # breaks that convention.
        """\
# file: app/use_cases/place_order.py
class PlaceOrderUseCase:
    def __init__(self, orders) -> None:
        self.orders = orders

    def __call__(self, sku: str) -> None:
        self.orders.add(sku)
# file: app/use_cases/cancel_order.py
class CancelOrderUseCase:
    def __init__(self, orders) -> None:
        self.orders = orders

    def __call__(self, order_id: str) -> None:
        self.orders.cancel(order_id)
# file: app/use_cases/order_queries.py
class OrderQueriesUseCase:  # error: HEX401
    def __init__(self, orders) -> None:
        self.orders = orders

    def get_order(self, order_id: str) -> dict:
        return self.orders.get(order_id)

    def list_orders(self) -> list[dict]:
        return self.orders.all()
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).use_cases)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        # A team that names every entry point `handle` or `run` has a convention too;
        # a single public method is judged by its name only where others use `execute`
        # as the one public method of their own (`_shows_one_execute`): tool executors
        # whose `execute` sits among other operations are services that execute
        # something, no convention. And only where classes filed alike do
        # (`filed_as_use_case`): one `execute` in every `use_cases/` class says how a use
        # case is run there, not what an orchestrator or a seeding service in `services/`
        # must call its one operation, nor the other way round. A finding names the
        # keeper of its class's filing that comes first by dotted name.
        ordered = sorted(r.use_cases, key=lambda ref: ref.dotted)
        keeping: dict[bool, list[str]] = {}
        for ref in ordered:
            if _shows_one_execute(r, ref):
                keeping.setdefault(filed_as_use_case(ref), []).append(ref.cls.name)
        # A class filed as a use case (`use_cases/`, `...UseCase`) beside one that keeps
        # `execute` alone says how a use case is run there. Application services take two
        # keepers to be held to it, as any lone method does (`_shared_lone_operation`):
        # one `execute` among a project's services is one service's name for its work.
        keepers = {filing: names[0] for filing, names in keeping.items() if filing or len(names) >= 2}
        execute_is_convention = bool(keeping)
        services_keep_execute = sum(map(len, keeping.values())) >= 2
        use_cases = frozenset(ref.dotted for ref in r.use_cases)
        collaborators = _collaborators_of_use_cases(r)
        entry_points = (*_ENTRY_POINTS, r.entry_point) if r.entry_point else _ENTRY_POINTS
        # Where no use case keeps `execute` alone, one entry point per use case is still the
        # convention where two use cases keep the same lone method, whatever it is called.
        lone_name, lone_keeper = _shared_lone_operation(r, ordered, collaborators)
        for ref in r.use_cases:
            # A class other use cases are built on is their collaborator, unless it is a use
            # case composed into another: an entry point of its own (`execute`), or a name
            # that says so (`AWSAnalysisUseCase`, `OrderUseCases`).
            if _fronts_use_cases(r, ref, use_cases) or (
                ref.dotted in collaborators
                and "usecase" not in ref.cls.name.lower()
                and not any(_has_entry_point(r, ref, name) for name in entry_points)
            ):
                continue
            # An application service (several public methods, injected collaborators) is a
            # use case for HEX402/HEX403; it breaks a convention only where there is one.
            if ref.dotted in r.application_services and not services_keep_execute:
                continue
            # The abstract methods of a first-party handler contract, a base that declares
            # the entry point too (`CommandHandler`: `handle` and a bus's `subscribed_to`),
            # are how the class is registered, not extra operations; so are the hooks with
            # a default of a base that declares the entry point abstract (a pipeline
            # behaviour's `applies_to`): the base's surface, which the class inherits.
            bases = [(ancestor, _template_surface(ancestor)) for ancestor in _bases(r, ref)]
            contract = {
                method.name
                for ancestor, template in bases
                if any(ancestor.cls.method(name) is not None for name in entry_points) or template
                for method in ancestor.cls.methods
                if is_abstract_method(method) or _declares_entry_abstract(ancestor, entry_points)
            }
            public = [name for name in public_methods(r, ref) if name not in contract]
            extra = [name for name in public if name not in entry_points]
            # A template base's one public method (`BaseHandler.handle` running the `process`
            # each subclass fills in) is the entry point the family shares: its convention.
            inherited = {name for _, template in bases for name in template}
            entry = next((name for name in entry_points if _has_entry_point(r, ref, name)), "")
            # Beside an entry point of its own (`execute`), the base's method is one more.
            if not entry and len(extra) == 1 and extra[0] in inherited and ref.cls.method(extra[0]) is None:
                continue
            name = ref.cls.name
            if entry and not extra:
                continue
            if not entry and not extra:
                # No method of its own or of its first-party bases: a marker the use cases
                # derive from (`class UseCase: ...`, `__slots__ = ()`, `logger = ...`), a type their
                # signatures name (`class Interactor(Generic[I, O]): pass`), a stub, or a
                # class whose entry point a base hexcheck cannot read (a library's) gives.
                # One that declares collaborators (`orders: OrderRepository`) and derives
                # from no such base is a use case without a way to run it.
                owners = (ref, *r.first_party_ancestors(ref))
                if not any(owner.cls.methods for owner in owners) and (
                    _derives_from_an_unread_base(r, owners)
                    or not any(_declares_a_collaborator(owner) for owner in owners)
                    or any(ref in r.first_party_ancestors(other) for other in r.use_cases)
                ):
                    continue
                message = f"use case '{name}' has no public method to execute it"
            elif entry:
                message = (
                    f"use case '{name}' has public methods {quoted_list([entry, *extra])}; "
                    f"a use case exposes only '{entry}'"
                )
            elif len(extra) > 1:
                # Several operations and no entry point: a drift only from a convention of
                # one entry point that use cases of the project keep. (Not folded into the
                # `elif`: a class with several operations never reaches the lone name's.)
                if execute_is_convention:
                    convention = "'execute'"
                elif lone_name:
                    convention = f"'{lone_name}' (as '{lone_keeper}' does)"
                else:
                    continue
                message = (
                    f"use case '{name}' has public methods {quoted_list(extra)}; a use case "
                    f"exposes a single {convention}"
                )
            elif (keeper := keepers.get(filed_as_use_case(ref))) and not _declared_abstract_above(
                r, ref, extra[0]
            ):
                message = (
                    f"use case '{name}' exposes '{extra[0]}' where the use cases filed like it "
                    f"expose 'execute' (as '{keeper}' does)"
                )
            else:
                continue
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
