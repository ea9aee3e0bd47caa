"""Adapter and async rules (HEX501-HEX505) beyond their examples: messages, symbols,
tallies, and the shapes of real adapters that must stay silent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.core.config import Config
from hexcheck.engine import Report
from tests.conftest import write_project


def _run(root: Path, project: str, *codes: str) -> Report:
    write_project(root, project)
    return hexcheck.check(["."], replace(Config(), select=codes))


PORTS = """\
# file: app/application/errors.py
class StorageError(Exception): ...
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    async def add(self, book) -> None: ...
"""


def test_hex501_hex502_messages_symbols_and_tallies(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        PORTS
        + """\
# file: app/infrastructure/books.py
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):
    def get(self, book_id: str, *, session):
        return None
""",
        "HEX501",
        "HEX502",
    )
    found = {(f.code, f.symbol): f.message for f in report.findings}
    assert found == {
        ("HEX501", "app.infrastructure.books.MongoBookRepository"): (
            "adapter 'MongoBookRepository' does not implement 'BookRepository.add'"
        ),
        ("HEX502", "app.infrastructure.books.MongoBookRepository.get"): (
            "adapter method 'MongoBookRepository.get' does not match port method "
            "'BookRepository.get': it is not async where the port is and requires the "
            "keyword-only 'session' the port does not pass"
        ),
    }
    tallies = {t.code: (t.checked, t.failing) for t in report.tallies}
    assert tallies == {"HEX501": (1, 1), "HEX502": (1, 1)}


def test_hex501_bases_with_subclasses_and_library_mixins_are_not_adapters(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        PORTS
        + """\
# file: app/infrastructure/base.py
from app.application.ports.books import BookRepository

class CachedRepository(BookRepository):
    async def get(self, book_id: str):
        return None
# file: app/infrastructure/books.py
from sqlalchemy_mixins import AsyncRepositoryMixin
from app.application.ports.books import BookRepository
from app.infrastructure.base import CachedRepository

class CachedBookRepository(CachedRepository):
    async def add(self, book) -> None: ...

class SqlBookRepository(AsyncRepositoryMixin, BookRepository):
    pass
""",
        "HEX501",
    )
    assert report.findings == ()


def test_hex503_receivers_typed_by_properties_parameters_and_other_attributes(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        PORTS
        + """\
# file: app/application/use_cases/add_book.py
from app.application.ports.books import BookRepository

class AddBook:
    def __init__(self, books: BookRepository) -> None:
        self._books = books
        self._primary = self._books

    @property
    def books(self) -> BookRepository:
        return self._books

    async def execute(self, book) -> None:
        self.books.add(book)
        self._primary.add(book)

        def later():
            return self._books.add(book)

        await later()


async def run(repository: BookRepository, book, uow: "UnitOfWork") -> None:
    repository.add(book)
    uow.books.add(book)
    uow.books.count()


class UnitOfWork:
    books: BookRepository


async def main() -> None: ...

main()
""",
        "HEX503",
    )
    assert [(f.location.line, f.symbol) for f in report.findings] == [
        (13, "app.application.use_cases.add_book.AddBook.execute:self.books.add"),
        (14, "app.application.use_cases.add_book.AddBook.execute:self._primary.add"),
        (23, "app.application.use_cases.add_book.run:repository.add"),
        (24, "app.application.use_cases.add_book.run:uow.books.add"),
        (34, "app.application.use_cases.add_book.<module>:app.application.use_cases.add_book.main"),
    ]
    assert report.findings[0].message == (
        "'self.books.add(...)' is never awaited: 'BookRepository.add' is a coroutine function, "
        "so the call does nothing"
    )


def test_hex503_motor_cursors_are_not_coroutines_but_to_list_is(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        """\
# file: app/infrastructure/books.py
from motor.motor_asyncio import AsyncIOMotorDatabase

class Books:
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database.get_collection("books")

    async def all(self) -> None:
        cursor = self._collection.find({})
        cursor.sort("title")
        self._collection.aggregate([])
        cursor.to_list(length=10)
        "title".find("t")
""",
        "HEX503",
    )
    assert [(f.location.line, f.message) for f in report.findings] == [
        (
            11,
            "'cursor.to_list(...)' is never awaited: Motor's 'to_list' returns an awaitable, "
            "so the call does nothing",
        )
    ]


def test_hex504_translation_must_be_where_the_driver_errors_are(in_tmp: Path) -> None:
    project = (
        PORTS
        + """\
# file: app/infrastructure/books.py
import logging
from motor.motor_asyncio import AsyncIOMotorCollection
from app.application.ports.books import BookRepository
from app.application.errors import StorageError
from app.infrastructure.guards import storage_errors

class MongoBookRepository(BookRepository):
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def get(self, book_id: str):
        return await self._collection.find_one({"_id": book_id})

    async def add(self, book) -> None:
        await self._collection.insert_one(book)

    def _publish(self, event) -> None:
        try:
            event.send()
        except Exception:
            logging.exception("event lost")

class GuardedBookRepository(BookRepository):
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def get(self, book_id: str):
        with storage_errors():
            return await self._collection.find_one({"_id": book_id})

    async def add(self, book) -> None:
        with storage_errors():
            await self._collection.insert_one(book)
# file: app/infrastructure/guards.py
from contextlib import contextmanager
from app.application.errors import StorageError

@contextmanager
def storage_errors():
    try:
        yield
    except Exception as exc:
        raise StorageError(str(exc)) from exc
"""
    )
    report = _run(in_tmp, project, "HEX504")
    # The broad `except` of `_publish` wraps no driver call: it translates nothing.
    assert [(f.symbol, f.message) for f in report.findings] == [
        (
            "app.infrastructure.books.MongoBookRepository",
            "adapter 'MongoBookRepository' calls its driver ('self._collection.find_one' in 'get') "
            "but never turns the driver's errors into a first-party exception",
        )
    ]
    assert {t.code: (t.checked, t.failing) for t in report.tallies} == {"HEX504": (2, 1)}


def test_hex505_sync_pymongo_guessed_from_imports_and_shadowed_names_left_alone(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        """\
# file: app/infrastructure/books.py
import requests
from pymongo import MongoClient
from pymongo.collection import Collection

class Books:
    def __init__(self, client: MongoClient) -> None:
        self._client = client

    def _collection(self) -> Collection:
        return self._client.library.books

    async def get(self, book_id: str):
        return self._collection().find_one({"_id": book_id})

    async def names(self, requests: list) -> list:
        requests.append("x")
        return [await self.get(name) for name in requests]
""",
        "HEX505",
    )
    assert [(f.location.line, f.symbol) for f in report.findings] == [
        (13, "app.infrastructure.books.Books.get:?.find_one")
    ]


def test_a_test_double_extending_an_adapter_leaves_it_an_adapter(in_tmp: Path) -> None:
    # A team that checks its tests too (`exclude = []`): a fake that extends the real
    # adapter, in any place pytest collects from, does not make that adapter a base class
    # exempt from HEX501; a subclass in production code does.
    write_project(
        in_tmp,
        PORTS
        + """\
# file: app/infrastructure/books.py
from app.application.ports.books import BookRepository

class MongoBooks(BookRepository):
    async def get(self, book_id: str): ...
# file: app/infrastructure/authors.py
from app.application.ports.books import BookRepository

class SharedBooks(BookRepository):
    async def get(self, book_id: str): ...
# file: app/infrastructure/cached.py
from app.infrastructure.authors import SharedBooks

class CachedBooks(SharedBooks):
    async def add(self, book) -> None: ...
"""
        + "".join(
            f"# file: {path}\nfrom app.infrastructure.books import MongoBooks\n\nclass Fake(MongoBooks): ...\n"  # noqa: E501
            for path in ("tests/fakes.py", "app/books_test.py", "conftest.py")
        ),
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX501",), exclude=()))
    assert [(f.location.path, f.symbol) for f in report.findings] == [
        ("app/infrastructure/books.py", "app.infrastructure.books.MongoBooks")
    ]
