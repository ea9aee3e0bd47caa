"""Use-case rules (HEX401-HEX403) beyond their examples: messages, symbols, tallies, and
the shapes real projects have that must stay silent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.core.config import Config
from hexcheck.engine import Report
from tests.conftest import write_project

PROJECT = """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/books.py
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, client) -> None:
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> "MongoBookRepository":
        return cls(url)

    async def add(self, book) -> None: ...
# file: app/config.py
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    mongo_url: str = "mongodb://localhost"
# file: app/application/use_cases/create_book.py
from motor.motor_asyncio import AsyncIOMotorClient
from app.config import Settings
from app.infrastructure.persistence.books import MongoBookRepository

class CreateBookUseCase:
    def __init__(self, books: MongoBookRepository, clock, retries=3, *, logger=None) -> None:
        self._books = books

    async def execute(self, title: str) -> None:
        settings = Settings()
        repository = MongoBookRepository(AsyncIOMotorClient(settings.mongo_url))
        other = MongoBookRepository.from_url(settings.mongo_url)
        await repository.add(title)
        await other.add(title)

    def describe(self) -> str:
        return "create"
"""


def _check(root: Path, *codes: str) -> Report:
    write_project(root, PROJECT)
    return hexcheck.check(["."], replace(Config(), select=codes))


def test_messages_and_symbols_name_the_use_case_and_what_it_does(in_tmp: Path) -> None:
    report = _check(in_tmp, "HEX401", "HEX402", "HEX403")
    found = {(f.code, f.location.line, f.symbol): f.message for f in report.findings}
    uc = "app.application.use_cases.create_book.CreateBookUseCase"
    repo = "app.infrastructure.persistence.books.MongoBookRepository"
    assert set(found) == {
        ("HEX401", 5, uc),
        ("HEX402", 10, f"{uc}:creates:app.config.Settings"),
        ("HEX402", 11, f"{uc}:creates:{repo}"),
        ("HEX402", 12, f"{uc}:creates:{repo}"),
        ("HEX403", 6, f"{uc}.__init__:param:books"),
        ("HEX403", 6, f"{uc}.__init__:param:clock"),
        ("HEX403", 6, f"{uc}.__init__:param:logger"),
    }
    assert found[("HEX401", 5, uc)] == (
        "use case 'CreateBookUseCase' has public methods 'execute' and 'describe'; "
        "a use case exposes only 'execute'"
    )
    # The client built as the repository's argument is the same finding as the repository.
    assert found[("HEX402", 11, f"{uc}:creates:{repo}")] == (
        "use case 'CreateBookUseCase' creates the adapter 'MongoBookRepository' in 'execute' "
        "instead of receiving it through __init__"
    )
    assert "the composition class 'Settings'" in found[("HEX402", 10, f"{uc}:creates:app.config.Settings")]
    assert found[("HEX403", 6, f"{uc}.__init__:param:books")] == (
        "parameter 'books' of 'CreateBookUseCase.__init__' is annotated with the adapter "
        "'MongoBookRepository' instead of its port 'BookRepository'"
    )


def test_tallies_count_use_cases_created_classes_and_parameters(in_tmp: Path) -> None:
    report = _check(in_tmp, "HEX401", "HEX402", "HEX403")
    tallies = {t.code: (t.checked, t.failing) for t in report.tallies}
    # 1 use case; 2 classes built (Settings, the repository) plus the Motor client;
    # 4 parameters, `retries=3` being a setting.
    assert tallies == {"HEX401": (1, 1), "HEX402": (3, 2), "HEX403": (4, 3)}


def test_a_lone_entry_point_is_judged_by_the_projects_convention(in_tmp: Path) -> None:
    handlers = """\
# file: app/application/use_cases/archive.py
class ArchiveProjectHandler:
    def __init__(self, projects) -> None:
        self._projects = projects

    def handle(self, project_id: str) -> None: ...
"""
    write_project(in_tmp, handlers)
    assert hexcheck.check(["."], replace(Config(), select=("HEX401",))).findings == ()
    write_project(
        in_tmp,
        handlers
        + """\
# file: app/application/use_cases/rename.py
class RenameProjectUseCase:
    def __init__(self, projects) -> None:
        self._projects = projects

    def execute(self, project_id: str) -> None: ...
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX401",)))
    assert [f.message for f in report.findings] == [
        "use case 'ArchiveProjectHandler' exposes 'handle' where the use cases filed like it "
        "expose 'execute' (as 'RenameProjectUseCase' does)"
    ]


def test_inherited_public_methods_count_and_test_classes_are_no_use_cases(in_tmp: Path) -> None:
    write_project(
        in_tmp,
        """\
# file: app/application/use_cases/base.py
class BaseUseCase:
    def __init__(self, books) -> None:
        self._books = books

    def execute(self, book_id: str) -> None: ...

    def preview(self, book_id: str) -> None: ...
# file: app/application/use_cases/delete_book.py
from app.application.use_cases.base import BaseUseCase

class DeleteBookUseCase(BaseUseCase):
    def execute(self, book_id: str) -> None: ...
# file: app/application/use_cases/delete_book_test.py
class TestDeleteBookUseCase:
    def test_deletes(self) -> None: ...

    def test_refuses(self) -> None: ...
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX401",)))
    assert [f.symbol for f in report.findings] == [
        "app.application.use_cases.base.BaseUseCase",
        "app.application.use_cases.delete_book.DeleteBookUseCase",
    ]
