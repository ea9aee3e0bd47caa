"""HEX506 deprecated-driver: A module imports Motor, which MongoDB has deprecated in favour
of PyMongo's async API."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ImportFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.libraries import top_package

# MongoDB's notice, as static text: the rule reads no clock, so the same code gives the
# same finding on any day.
# The rule's texts carry MongoDB's whole notice; each finding, its gist.
NOTICE = "deprecated since 14 May 2025 (end of life 14 May 2026) in favour of PyMongo's AsyncMongoClient"


def _motor_import(imports: tuple[ImportFact, ...]) -> ImportFact | None:
    """The module's first import of Motor (absolute: a relative `.motor` is first-party)."""
    found = [fact for fact in imports if fact.level == 0 and top_package(fact.target) == "motor"]
    return min(found, key=lambda fact: (fact.span.line, fact.span.column)) if found else None


class DeprecatedDriver(Rule):
    code = "HEX506"
    name = "deprecated-driver"
    severity = Severity.WARNING
    concern = "adapters"
    summary = "A module imports Motor, which MongoDB has deprecated in favour of PyMongo's async API."
    subject = "modules use a supported MongoDB driver"
    why = (
        "MongoDB deprecated Motor on 14 May 2025 in favour of PyMongo's own async API "
        "(`pymongo.AsyncMongoClient`, `pymongo.asynchronous`), which talks to the server "
        "directly instead of running the synchronous driver in a thread pool. Motor reaches "
        "its end of life on 14 May 2026 and gets critical fixes only until 14 May 2027; "
        "after that, a security issue or a server feature it does not support has no "
        "fix. The dates are MongoDB's notice, written into the rule: hexcheck reads no "
        "clock, so the finding is the same on any day. One finding per module, at its "
        "first Motor import (function-level and `TYPE_CHECKING` imports included)."
    )
    how_to_fix = (
        "Move to PyMongo's async API (PyMongo 4.13 or newer). The client and the "
        "collections keep their methods, with four differences: `AsyncMongoClient` in "
        "place of `AsyncIOMotorClient`; `aggregate()` and `watch()` are coroutines, so "
        "they are awaited before their cursor is used; `to_list(None)` in place of "
        "`to_list(0)` for every document; and there is no `io_loop` argument (the client "
        "uses the running loop).\n\n"
        "Before:\n\n"
        "    from motor.motor_asyncio import AsyncIOMotorClient\n\n"
        "    client = AsyncIOMotorClient(settings.mongo_url, io_loop=loop)\n"
        "    books = client.library.books\n"
        "    cursor = books.aggregate(pipeline)\n"
        "    totals = await cursor.to_list(0)\n\n"
        "After:\n\n"
        "    from pymongo import AsyncMongoClient\n\n"
        "    client = AsyncMongoClient(settings.mongo_url)\n"
        "    books = client.library.books\n"
        "    cursor = await books.aggregate(pipeline)\n"
        "    totals = await cursor.to_list(None)"
    )
    valid = (
        """\
# file: app/infrastructure/mongo/books.py
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

client = AsyncMongoClient("mongodb://localhost")


class MongoBookRepository:
    def __init__(self, books: AsyncCollection) -> None:
        self._books = books

    async def totals(self) -> list[dict]:
        cursor = await self._books.aggregate([{"$count": "books"}])
        return await cursor.to_list(None)
""",
        """\
# file: app/infrastructure/mongo/motor.py
MOTOR_NOTE = "a first-party module named motor is not the driver"
# file: app/infrastructure/mongo/helpers.py
from . import motor
""",
    )
    invalid = (
        """\
# file: app/infrastructure/mongo/books.py
import logging

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorCollection  # error: HEX506
import motor


class MongoBookRepository:
    def __init__(self, books: AsyncIOMotorCollection) -> None:
        self._books = books
""",
        """\
# file: app/composition/container.py
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motor.core import AgnosticClient  # error: HEX506


def make_client(url: str):
    import motor.motor_asyncio

    return motor.motor_asyncio.AsyncIOMotorClient(url)
""",
    )

    def examined(self, model: ProjectModel) -> int:
        """Modules that import a MongoDB driver (Motor or PyMongo)."""
        return sum(
            1
            for facts in model.modules.values()
            if any(
                fact.level == 0 and top_package(fact.target) in ("motor", "pymongo") for fact in facts.imports
            )
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for module, facts in sorted(model.modules.items()):
            found = _motor_import(facts.imports)
            if found is None:
                continue
            message = f"module '{module}' imports Motor ('{found.target}'), {NOTICE}"
            yield self.finding(facts, found.span, message, f"{module}:motor", model)
