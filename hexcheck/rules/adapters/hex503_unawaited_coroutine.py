"""HEX503 unawaited-coroutine: A call that returns a coroutine is neither awaited nor
scheduled."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import NO_SPAN, CallContext, CallFact, FunctionFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.roles import roles
from hexcheck.semantics.types import Where, function_sites, type_index


class UnawaitedCoroutine(Rule):
    code = "HEX503"
    name = "unawaited-coroutine"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "A call that returns a coroutine is neither awaited nor scheduled."
    subject = "coroutine calls are awaited"
    why = (
        "Calling an `async def` function does not run it: it builds a coroutine object, "
        "and nothing happens until it is awaited or scheduled. `self._loans.add(loan)` "
        "without `await` stores nothing, raises nothing, and only leaves a `RuntimeWarning: "
        "coroutine was never awaited` in a log nobody reads; the HTTP response says 201. "
        "The same holds for the async drivers' methods, each with its own set: Motor's "
        "collection methods (`insert_one`, `update_one`, `delete_one`, a cursor's "
        "`to_list`...), and in PyMongo's async API also `aggregate()` and `watch()` (Motor "
        "returns cursors from those; `find()` returns a cursor in both), SQLAlchemy's "
        "`AsyncSession`, `redis.asyncio` and `httpx.AsyncClient` on objects typed as theirs. An `async def` "
        "that returns such a call without awaiting it hands its callers a coroutine "
        "instead of a result. Handing the coroutine to `asyncio.gather`, `create_task`, "
        "`ensure_future`, `wait_for` or any other call, or returning it from a plain "
        "`def`, is fine: someone else awaits it."
    )
    how_to_fix = (
        "Await the call, or schedule it explicitly and keep a reference to the task.\n\n"
        "Before:\n\n"
        "    async def execute(self, command: BorrowBook) -> Loan:\n"
        "        loan = self._policy.open_loan(...)\n"
        "        self._loans.add(loan)\n"
        "        return loan\n\n"
        "After:\n\n"
        "    async def execute(self, command: BorrowBook) -> Loan:\n"
        "        loan = self._policy.open_loan(...)\n"
        "        await self._loans.add(loan)\n"
        "        return loan"
    )
    valid = (
        """\
# file: app/application/ports/loans.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def add(self, loan) -> None: ...

    @abstractmethod
    def count_cached(self) -> int: ...
# file: app/application/use_cases/borrow.py
import asyncio
from contextlib import asynccontextmanager
from asgiref.sync import async_to_sync
from app.application.ports.loans import LoanRepository

class BorrowBook:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans
        self._tasks: set[asyncio.Task] = set()

    async def execute(self, loan) -> None:
        await self._loans.add(loan)
        await asyncio.gather(self._loans.add(loan), self._loans.add(loan))
        task = asyncio.create_task(self._loans.add(loan))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._loans.count_cached()

    def later(self, loan):
        return self._loans.add(loan)

    def sync_entry(self, loan) -> None:
        self._add_now(loan)

    @async_to_sync
    async def _add_now(self, loan) -> None:
        await self._loans.add(loan)

    @asynccontextmanager
    async def _transaction(self):
        yield

    async def in_transaction(self, loan) -> None:
        async with self._transaction():
            await self._loans.add(loan)
""",
        """\
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorCollection

class MongoBooks:
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def list(self, limit: int) -> list:
        cursor = self._collection.find({}).sort("title")
        pipeline = self._collection.aggregate([{"$match": {}}])
        return await cursor.to_list(length=limit)

    def insert(self, document):
        return self._collection.insert_one(document)

    async def stream(self):
        async for document in self._collection.find({}):
            yield document

    async def first(self):
        return self.stream()
""",
        """\
# file: app/infrastructure/persistence/reports.py
from motor.motor_asyncio import AsyncIOMotorDatabase


class MotorReports:
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._loans = database["loans"]

    async def overdue(self) -> list:
        cursor = self._loans.aggregate([{"$match": {"overdue": True}}])  # Motor: a cursor
        return await cursor.to_list(length=None)
# file: app/infrastructure/persistence/members.py
from pymongo import AsyncMongoClient

client = AsyncMongoClient("mongodb://localhost")


class MongoMembers:
    def __init__(self) -> None:
        self._members = client.library.members

    async def active(self) -> list:
        cursor = self._members.find({"active": True})  # a cursor in PyMongo async too
        return await cursor.to_list(None)
""",
        """\
# file: app/infrastructure/persistence/loans.py
import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession


class SqlLoanRepository:
    def __init__(self, session: AsyncSession, cache: Redis, http: httpx.AsyncClient) -> None:
        self._session = session
        self._cache = cache
        self._http = http

    async def add(self, loan) -> None:
        self._session.add(loan)  # stages the row: not a coroutine
        await self._session.flush()
        pipeline = self._cache.pipeline()  # a pipeline, built synchronously
        pipeline.delete(f"loans:{loan.member_id}")
        await pipeline.execute()
        request = self._http.build_request("POST", "/loans/events")
        await self._http.send(request)
""",
    )
    invalid = (
        """\
# file: app/application/ports/loans.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def add(self, loan) -> None: ...
# file: app/application/use_cases/borrow.py
from app.application.ports.loans import LoanRepository
from app.application.audit import record

class BorrowBook:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    async def execute(self, loan) -> None:
        self._loans.add(loan)  # error: HEX503
        record("borrowed")  # error: HEX503
        self._notify(loan)  # error: HEX503

    async def _notify(self, loan) -> None: ...
# file: app/application/audit.py
async def record(event: str) -> None: ...
""",
        """\
# file: app/infrastructure/persistence/books.py
import motor.motor_asyncio

class MongoBooks:
    def __init__(self, database: motor.motor_asyncio.AsyncIOMotorDatabase) -> None:
        self._collection = database["books"]

    async def delete(self, book_id: str) -> None:
        self._collection.delete_one({"_id": book_id})  # error: HEX503

    async def get(self, book_id: str):
        return self._collection.find_one({"_id": book_id})  # error: HEX503
# file: app/infrastructure/web/routes.py
from fastapi import APIRouter, Depends
from app.infrastructure.persistence.books import MongoBooks

router = APIRouter()

@router.delete("/books/{book_id}")
async def delete_book(book_id: str, books: MongoBooks = Depends()) -> None:
    books.delete(book_id)  # error: HEX503
""",
        """\
# file: app/infrastructure/persistence/members.py
from pymongo import AsyncMongoClient

client = AsyncMongoClient("mongodb://localhost")


class MongoMembers:
    def __init__(self) -> None:
        self._members = client.library.members

    async def add(self, member: dict) -> None:
        self._members.insert_one(member)  # error: HEX503

    async def by_city(self) -> list:
        self._members.aggregate([{"$group": {"_id": "$city"}}])  # error: HEX503
        return []
""",
        """\
# file: app/infrastructure/persistence/documents.py
from beanie import Document


class LoanDocument(Document):
    member_id: str
    book_id: str
# file: app/infrastructure/persistence/loans.py
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from app.infrastructure.persistence.documents import LoanDocument


class SqlLoanRepository:
    def __init__(self, session: AsyncSession, cache: Redis) -> None:
        self._session = session
        self._cache = cache

    async def add(self, loan) -> None:
        self._session.add(loan)
        self._session.commit()  # error: HEX503
        self._cache.delete(f"loans:{loan.member_id}")  # error: HEX503


class BeanieLoanArchive:
    async def archive(self, loan_id: str) -> None:
        LoanDocument.get(loan_id)  # error: HEX503
""",
    )

    def _coroutine_calls(self, model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
        # `examined` and `check` both need them; finding them is the costliest step of
        # any rule (every call of every function is typed), so once per model.
        return _coroutine_calls_of(model)

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._coroutine_calls(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for where, call, source in self._coroutine_calls(model):
            if call.context is CallContext.STATEMENT:
                message = f"'{call.callee}(...)' is never awaited: {source}, so the call does nothing"
            elif call.context is CallContext.RETURNED and where.function.is_async and not call.deferred:
                message = (
                    f"async function '{where.qualname}' returns '{call.callee}(...)' without "
                    f"awaiting it ({source}); its callers get an awaitable, not the result"
                )
            else:
                continue
            yield self.finding(where.facts, call.span, message, f"{where.dotted}:{call.callee}", model)


def _coroutine_calls_of(model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
    return model.index(_all_coroutine_calls)


def _all_coroutine_calls(model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
    return tuple(_find_coroutine_calls(model))


def _find_coroutine_calls(model: ProjectModel) -> Iterator[tuple[Where, CallFact, str]]:
    r = roles(model)
    index = type_index(model)
    # A set test per call, instead of a method call: this loop visits every call of the
    # project, and few may return a coroutine (`coroutine_source` would answer '').
    may_return_coroutines = index.may_return_coroutines
    for where in function_sites(r):
        for call in where.function.calls:
            if call.callee in may_return_coroutines:
                source = index.coroutine_source(call, where)
                if source:
                    yield where, call, source
    for _, facts in sorted(model.modules.items()):
        module_level = Where(facts, None, FunctionFact("<module>", "<module>", NO_SPAN))
        for call in facts.calls:
            if call.callee in may_return_coroutines:
                source = index.coroutine_source(call, module_level)
                if source:
                    yield module_level, call, source
