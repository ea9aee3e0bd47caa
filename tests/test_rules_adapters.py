"""Adapter and async rules (HEX501-HEX505) beyond their examples: messages, symbols,
tallies, and the shapes of real adapters that must stay silent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

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


def _helpers(count: int, calls_driver_in: int | None) -> str:
    """`count` helper methods that all call one another (and `_helper_{calls_driver_in}`
    calls the driver); the first one catches `Exception` and raises `StorageError`."""
    methods = []
    for index in range(count):
        others = "".join(f"        self._helper_{other}()\n" for other in range(count) if other != index)
        driver = "        self._collection.delete_many({})\n" if index == calls_driver_in else ""
        body = others + driver
        if index == 0:
            indented = "".join(f"    {line}\n" for line in body.splitlines())
            handler = "        except Exception as exc:\n            raise StorageError(str(exc)) from exc\n"
            body = f"        try:\n{indented}{handler}"
        methods.append(f"    def _helper_{index}(self) -> None:\n{body}")
    return "\n".join(methods)


def test_hex504_many_mutually_calling_helpers_are_each_walked_once(in_tmp: Path) -> None:
    # Every helper calls all the others: following each call path (as a recursion over
    # paths did) is factorial in the number of helpers; 14 would not finish.
    adapter = """\
class {name}(BookRepository):
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def get(self, book_id: str):
        return await self._collection.find_one({{"_id": book_id}})

    async def add(self, book) -> None:
        self._helper_0()

{helpers}
"""
    project = (
        PORTS
        + """\
# file: app/infrastructure/books.py
from motor.motor_asyncio import AsyncIOMotorCollection
from app.application.ports.books import BookRepository
from app.application.errors import StorageError

"""
        + adapter.format(name="UnguardedBookRepository", helpers=_helpers(14, None))
        + "\n"
        + adapter.format(name="GuardedBookRepository", helpers=_helpers(14, 13))
    )
    report = _run(in_tmp, project, "HEX504")
    # The broad `except` of `_helper_0` counts only where its helpers reach the driver:
    # in `GuardedBookRepository`, through `_helper_13`.
    assert [(f.symbol, f.location.line) for f in report.findings] == [
        ("app.infrastructure.books.UnguardedBookRepository", 5)
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


# One adapter per async driver of `semantics.libraries`: each line marked `# HEX503` calls
# one of that driver's coroutine methods without awaiting it; every other call is either
# awaited or a method of the same object that returns no coroutine.
DRIVER_ADAPTERS = {
    "beanie": """\
# file: app/infrastructure/documents.py
from beanie import Document


class BookDocument(Document):
    title: str
    shelf: str

    class Settings:
        name = "books"
# file: app/infrastructure/beanie_books.py
from beanie.operators import Set

from app.infrastructure.documents import BookDocument


class BeanieBookRepository:
    async def add(self, document: BookDocument) -> None:
        document.insert()  # HEX503
        await document.save()

    async def withdraw(self, book_id: str) -> None:
        BookDocument.get(book_id)  # HEX503
        BookDocument.find(BookDocument.shelf == "withdrawn")

    async def move(self, book: BookDocument, shelf: str) -> None:
        book.set({BookDocument.shelf: shelf})  # HEX503
        book.model_dump()
        await book.update(Set({BookDocument.shelf: shelf}))
""",
    "odmantic": """\
# file: app/infrastructure/odmantic_books.py
from odmantic import AIOEngine, Model


class BookModel(Model):
    title: str


class OdmanticBookRepository:
    def __init__(self, engine: AIOEngine) -> None:
        self._engine = engine

    async def add(self, title: str) -> None:
        self._engine.save(BookModel(title=title))  # HEX503

    async def remove(self, book: BookModel) -> None:
        await self._engine.delete(book)
        self._engine.find(BookModel, BookModel.title == book.title)
""",
    "sqlalchemy": """\
# file: app/infrastructure/sql_books.py
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.infrastructure.tables import BookRow


class SqlBookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, row: BookRow) -> None:
        self._session.add(row)
        self._session.flush()  # HEX503

    async def by_title(self, title: str) -> BookRow | None:
        result = await self._session.execute(select(BookRow).where(BookRow.title == title))
        self._session.expunge_all()
        return result.scalar_one_or_none()

    async def save(self) -> None:
        self._session.commit()  # HEX503
# file: app/infrastructure/tables.py
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class BookRow(Base):
    __tablename__ = "books"
    title: Mapped[str] = mapped_column(primary_key=True)
""",
    "redis": """\
# file: app/infrastructure/redis_holds.py
from redis.asyncio import Redis


class RedisHoldCache:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def hold(self, book_id: str, member_id: str) -> None:
        self._redis.set(f"hold:{book_id}", member_id, ex=3600)  # HEX503

    async def release(self, book_id: str) -> None:
        await self._redis.delete(f"hold:{book_id}")
        self._redis.pipeline()
""",
    "httpx": """\
# file: app/infrastructure/covers.py
import httpx


class OpenLibraryCovers:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def refresh(self, isbn: str) -> None:
        self._client.post(f"/covers/{isbn}/refresh")  # HEX503

    async def url(self, isbn: str) -> str:
        response = await self._client.get(f"/covers/{isbn}")
        self._client.build_request("GET", f"/covers/{isbn}")
        return str(response.json()["url"])
""",
}


def _marked(project: str) -> list[tuple[str, int]]:
    """(path, line) of each line marked `# HEX503` (`write_project`'s `# error:` without
    the message it would check)."""
    marked: list[tuple[str, int]] = []
    path, line = "", 0
    for text in project.splitlines():
        if text.startswith("# file: "):
            path, line = text.removeprefix("# file: "), 0
            continue
        line += 1
        if text.endswith("# HEX503"):
            marked.append((path, line))
    return marked


DRIVER_NAMES = {
    "beanie": "Beanie's", "odmantic": "ODMantic's", "sqlalchemy": "SQLAlchemy's AsyncSession",
    "redis": "redis.asyncio's", "httpx": "httpx.AsyncClient's",
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(DRIVER_ADAPTERS))
def test_hex503_each_async_driver_has_its_own_coroutines(package: str, in_tmp: Path) -> None:
    """Beanie, ODMantic, SQLAlchemy's AsyncSession, redis.asyncio and httpx.AsyncClient:
    an un-awaited coroutine method is reported with the driver's name, a method of the
    same object that returns no coroutine (`add`, `find`, `pipeline`...) is not."""
    project = DRIVER_ADAPTERS[package]
    report = _run(in_tmp, project, "HEX503")
    assert [(f.location.path, f.location.line) for f in report.findings] == _marked(project)
    assert all(f"{DRIVER_NAMES[package]} '" in f.message for f in report.findings)


def test_hex504_building_a_lazy_client_or_registering_a_callback_is_no_request(in_tmp: Path) -> None:
    """A connection factory that builds and hands out a `MongoClient`, a broker adapter
    that registers a close callback, and an adapter whose method translates the errors
    of a base helper it reaches through `super()` stay silent; an adapter that keeps the
    lazy client it builds on `self`, and one that opens a connection, are judged."""
    report = _run(
        in_tmp,
        PORTS
        + """\
# file: app/infrastructure/connections.py
import boto3
import pymongo
import psycopg2
from app.application.ports.books import BookRepository

class MongoConnections(BookRepository):
    async def get(self, book_id: str):
        client = pymongo.MongoClient("mongodb://db")
        return client["library"]

    async def add(self, book) -> None:
        return None

class S3Books(BookRepository):
    def _client(self):
        if self._s3 is None:
            self._s3 = boto3.client("s3")
        return self._s3

    async def get(self, book_id: str):
        return None

    async def add(self, book) -> None:
        return None

class PostgresBooks(BookRepository):
    async def get(self, book_id: str):
        return psycopg2.connect("dbname=library")

    async def add(self, book) -> None:
        return None
# file: app/infrastructure/broker.py
from pika.channel import Channel
from app.application.ports.books import BookRepository

class BrokerBooks(BookRepository):
    def _on_open(self, channel: Channel) -> None:
        channel.add_on_close_callback(self._on_closed)

    def _on_closed(self, channel: Channel, reason: Exception) -> None:
        return None

    async def get(self, book_id: str):
        return None

    async def add(self, book) -> None:
        return None
# file: app/infrastructure/stored.py
from pymongo.collection import Collection
from app.application.errors import StorageError
from app.application.ports.books import BookRepository

class StoredBase:
    def __init__(self, collection: Collection) -> None:
        self._collection = collection

    async def _insert(self, document: dict) -> None:
        self._collection.insert_one(document)

class StoredBooks(StoredBase, BookRepository):
    async def get(self, book_id: str):
        return None

    async def add(self, book) -> None:
        try:
            await super()._insert(book)
        except Exception as exc:
            raise StorageError(str(exc)) from exc
""",
        "HEX504",
    )
    assert [(f.code, f.location.path, f.location.line, f.message) for f in report.findings] == [
        (
            "HEX504",
            "app/infrastructure/connections.py",
            14,
            "adapter 'S3Books' calls its driver ('boto3.client' in '_client') "
            "but never turns the driver's errors into a first-party exception",
        ),
        (
            "HEX504",
            "app/infrastructure/connections.py",
            26,
            "adapter 'PostgresBooks' calls its driver ('psycopg2.connect' in 'get') "
            "but never turns the driver's errors into a first-party exception",
        ),
    ]


SECRETS_CLIENT = """\
# file: app/application/ports/secrets.py
from abc import ABC, abstractmethod


class SecretsPort(ABC):
    class SecretsApiError(RuntimeError): ...

    @abstractmethod
    async def deposit(self, secret: bytes) -> str: ...
# file: app/infrastructure/errors.py
class RequestFailedError(RuntimeError): ...
# file: app/infrastructure/secrets.py
import httpx

from app.application.ports.secrets import SecretsPort
from app.infrastructure.errors import RequestFailedError


class SecretsClient(SecretsPort):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def deposit(self, secret: bytes) -> str:
        try:
            response = await self._client.post("/secrets", content=secret)
        except httpx.HTTPError as error:
            RAISE
        return response.json()["secret_id"]
"""


def test_a_raise_through_a_local_name_or_the_ports_nested_exception_translates(in_tmp: Path) -> None:
    """ghga-de/file-services-backend: `failed = RequestFailedError(); raise failed from error`
    (dcs) and `raise self.SecretsApiError() from error`, declared in the port (fis)."""
    for translation in (
        "failed = RequestFailedError()\n            raise failed from error",
        "raise self.SecretsApiError() from error",
    ):
        assert list(_run(in_tmp, SECRETS_CLIENT.replace("RAISE", translation), "HEX504").findings) == []


def test_a_local_name_or_self_attribute_that_is_no_first_party_exception_does_not(in_tmp: Path) -> None:
    for translation in (
        "failed = RuntimeError()\n            raise failed from error",  # a builtin, built first
        "raise self.error_type() from error",  # no class of that name in the class or its bases
    ):
        report = _run(in_tmp, SECRETS_CLIENT.replace("RAISE", translation), "HEX504")
        assert [(f.location.path, f.location.line, f.code) for f in report.findings] == [
            ("app/infrastructure/secrets.py", 7, "HEX504")
        ]
