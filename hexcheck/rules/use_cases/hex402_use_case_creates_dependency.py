"""HEX402 use-case-creates-dependency: A use case instantiates an adapter, an outer-layer
class or a driver object itself."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallContext, CallFact, FunctionFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.semantics.libraries import DRIVER_CONSTRUCTORS, SETTINGS_BASES
from hexcheck.semantics.roles import ClassRef, Roles, roles

_OUTER_LAYERS = (Layer.INFRASTRUCTURE, Layer.WEB, Layer.COMPOSITION)


def _is_settings(r: Roles, ref: ClassRef) -> bool:
    return bool(set(r.ancestors(ref)) & SETTINGS_BASES)


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
        if owner is None or method is None or not _alternative_constructor(owner, method):
            return None
        ref = owner
    layer = r.layer(ref)
    if r.is_adapter(ref.dotted):
        return "the adapter", ref.dotted
    if layer not in _OUTER_LAYERS:
        return None
    # Data holders (DTOs, records) are built freely; a `@dataclass` adapter is an adapter.
    if r.is_data_holder(ref) and not _is_settings(r, ref) and not (r.is_dataclass(ref) and r.ports_of(ref)):
        return None
    assert layer is not None
    return f"the {layer.value} class", ref.dotted


# What an ActiveRecord row is asked to do with itself: persist (`Hero(...).insert()`).
_PERSISTING_METHODS = frozenset(
    {"save", "insert", "delete", "update", "create", "replace", "upsert", "asave", "adelete", "save_async"}
)


def _hands_on_a_row(method: FunctionFact, call: CallFact) -> bool:
    """Whether an ORM row a use case builds is data it hands on (to its repository or its
    session, or returns), which no `__init__` could give it (the import that couples it to
    the ORM is a HEX101); not when it saves itself (`await Hero(...).insert()`, `row =
    User(...)` then `row.save()`): then the row is the persistence collaborator."""
    if call.context in (CallContext.ARGUMENT, CallContext.RETURNED):
        return True
    if call.context is CallContext.OTHER:
        # In a larger expression (a list of rows built in a comprehension), unless it is
        # the receiver of its own save (`Hero(...).insert()`: a chained call on it).
        start = (call.span.line, call.span.column)
        return not any(
            other.callee.startswith("?.")
            and other.callee.rpartition(".")[2] in _PERSISTING_METHODS
            and (other.span.line, other.span.column) == start
            for other in method.calls
        )
    if call.context is not CallContext.ASSIGNED:
        return False
    rows = {name for name, callee in method.bound if callee == call.callee}
    return not any(
        head in rows and name in _PERSISTING_METHODS
        for head, _, name in (other.callee.partition(".") for other in method.calls)
    )


def _alternative_constructor(owner: ClassRef, method: FunctionFact) -> bool:
    """A classmethod that builds its class (`-> Self`, `-> MongoBookRepository`, `return
    cls(...)`), not one that merely answers something (`create_access_token(...) -> str`)."""
    if not method.decorated_with("classmethod"):
        return False
    if method.returns is not None:
        return any(name.rpartition(".")[2] in (owner.cls.name, "Self") for name in method.returns.names())
    return "cls" in method.returned


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
        "commands and exceptions is of course fine, and so is building a DTO or an ORM row "
        "to hand to a repository (importing them is HEX101's concern)."
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
        """\
# file: app/web/errors.py
from fastapi import HTTPException


class BookUnavailable(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=409, detail="the book is out")
# file: app/infrastructure/tokens.py
class JwtTokens:
    @classmethod
    def issue_for(cls, member_id: str) -> str:  # answers a token: builds no JwtTokens
        return member_id
# file: app/application/use_cases/lend_book.py
from app.application.ports import LoanRepository
from app.infrastructure.tokens import JwtTokens
from app.web.errors import BookUnavailable


class LendBookUseCase:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    def execute(self, book_id: str, member_id: str) -> str:
        if self._loans.is_lent(book_id):
            raise BookUnavailable()  # an exception raised is no collaborator
        return JwtTokens.issue_for(member_id)
# file: app/application/ports.py
from abc import ABC, abstractmethod


class LoanRepository(ABC):
    @abstractmethod
    def is_lent(self, book_id: str) -> bool: ...
""",
        # An ORM row built to hand to the injected repository is data, not a collaborator
        # (the ORM the use case then knows is HEX101's to report).
        """\
# file: app/infrastructure/models.py
from sqlalchemy.orm import declarative_base, Mapped, mapped_column

Base = declarative_base()


class Syllabus(Base):
    __tablename__ = "syllabi"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
# file: app/application/services/syllabus_service.py
from app.infrastructure.models import Syllabus


class SyllabusService:
    def __init__(self, syllabi) -> None:
        self._syllabi = syllabi

    def create_syllabus(self, title: str) -> Syllabus:
        return self._syllabi.add(Syllabus(title=title))
""",
    )
    invalid = (
        # A command object run by `run()` that builds its repository and its mailer: a use
        # case, whatever `...Command` says.
        """\
# file: app/application/use_cases/deactivate_user.py
from app.infrastructure.mailer import SmtpMailer
from app.infrastructure.sql_repo import SqlUserRepository


class DeactivateUserCommand:
    def __init__(self, session: object, user_id: str) -> None:
        self.users = SqlUserRepository(session)  # error: HEX402
        self.mailer = SmtpMailer()  # error: HEX402
        self.user_id = user_id

    def run(self) -> None:
        self.mailer.send(self.users.email_of(self.user_id), "bye")
# file: app/infrastructure/mailer.py
import smtplib


class SmtpMailer:
    def send(self, to: str, body: str) -> None:
        smtplib.SMTP("localhost").sendmail("noreply@example.com", to, body)
# file: app/infrastructure/sql_repo.py
class SqlUserRepository:
    def __init__(self, session: object) -> None:
        self.session = session

    def email_of(self, user_id: str) -> str:
        return user_id
""",
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
        """\
# file: app/application/lending.py
from app.application.ports import BookRepository, Clock
from app.infrastructure.mongo_books import MongoBookRepository


class LendBook:  # `__call__` is the project's entry point, outside any use_cases package
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    async def __call__(self, title: str) -> None:
        await self._books.add(title)


class ReturnBook:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def __call__(self, title: str) -> None:
        books = MongoBookRepository("books")  # error: HEX402
        await books.add(title)
# file: app/application/ports.py
from abc import ABC, abstractmethod
from typing import Protocol


class BookRepository(ABC):
    @abstractmethod
    async def add(self, title: str) -> None: ...


class Clock(Protocol):
    def now(self) -> float: ...
# file: app/infrastructure/mongo_books.py
from dataclasses import dataclass

from app.application.ports import BookRepository


@dataclass
class MongoBookRepository(BookRepository):  # a dataclass adapter is an adapter
    collection_name: str

    async def add(self, title: str) -> None: ...
""",
        # A use case that does its work in `__init__` is no record of its input, untyped as
        # its parameters are.
        """\
# file: app/infrastructure/catalog_client.py
import requests


class CatalogClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def fetch_all(self) -> list[dict]:
        return requests.get(f"{self.base_url}/items", timeout=10).json()
# file: app/use_cases/sync_catalog.py
from app.infrastructure.catalog_client import CatalogClient


class SyncCatalog:
    def __init__(self, products, client=None):
        self.products = products
        self.client = client or CatalogClient("https://catalog.example.com")  # error: HEX402
        for item in self.client.fetch_all():
            self.products.upsert(item)
""",
        # An ActiveRecord document that saves itself is the use case's persistence, built
        # in place of a repository it should receive.
        """\
# file: app/infrastructure/models.py
from beanie import Document


class HeroDocument(Document):
    name: str
# file: app/application/create_hero.py
from app.infrastructure.models import HeroDocument


class CreateHero:
    def __init__(self, clock) -> None:
        self.clock = clock

    async def execute(self, name: str) -> None:
        await HeroDocument(name=name).insert()  # error: HEX402
""",
        # The port kept beside the use cases (`use_cases/ports.py`) is the one `QuoteSymbol`
        # is handed: the CSV feed implementing it is an adapter, even one over the
        # standard library in an unnamed folder, and building it is reported.
        """\
# file: app/application/use_cases/ports.py
from abc import ABC, abstractmethod


class PriceFeed(ABC):
    @abstractmethod
    def price(self, symbol: str) -> float: ...
# file: app/application/use_cases/quote.py
from app.application.use_cases.ports import PriceFeed


class QuoteSymbol:
    def __init__(self, feed: PriceFeed) -> None:
        self._feed = feed

    def execute(self, symbol: str) -> float:
        return self._feed.price(symbol)
# file: app/application/use_cases/quote_from_file.py
from pathlib import Path

from app.adapters.files.csv_price_feed import CsvPriceFeed


class QuoteFromFile:
    def __init__(self, path: Path) -> None:
        self._feed = CsvPriceFeed(path)  # error: HEX402

    def execute(self, symbol: str) -> float:
        return self._feed.price(symbol)
# file: app/adapters/files/csv_price_feed.py
import csv
from pathlib import Path

from app.application.use_cases.ports import PriceFeed


class CsvPriceFeed(PriceFeed):
    def __init__(self, path: Path) -> None:
        self._path = path

    def price(self, symbol: str) -> float:
        with self._path.open() as handle:
            for row in csv.DictReader(handle):
                if row["symbol"] == symbol:
                    return float(row["price"])
        raise KeyError(symbol)
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
                    target = r.ref(created[1])
                    if target is not None and r.is_orm_model(target) and _hands_on_a_row(method, call):
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
