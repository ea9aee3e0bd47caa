"""HEX505 blocking-call-in-async: An `async def` in infrastructure or web makes a blocking
call."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallContext, CallFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.semantics.libraries import (
    HTTP_FUNCTIONS,
    HTTP_METHODS,
    MONGO_SPECIFIC,
    PYMONGO_IO_METHODS,
    SYNC_HTTP_CLIENTS,
    top_package,
)
from hexcheck.semantics.roles import roles
from hexcheck.semantics.symbols import last_name
from hexcheck.semantics.types import TypeIndex, Where, function_sites, type_index


def _blocking(call: CallFact, where: Where, index: TypeIndex) -> str:
    """Why `call` blocks the event loop, or ''."""
    callee = call.callee
    head = callee.partition(".")[0]
    if where.is_parameter(head):
        return ""
    if callee == "time.sleep":
        return "'time.sleep', which blocks the event loop"
    method = last_name(callee)
    if callee in HTTP_FUNCTIONS:
        return f"'{callee}', a synchronous HTTP request that blocks the event loop"
    if method in HTTP_METHODS and "." in callee:
        types, _ = index.receiver(call, where)
        if types and all(t in SYNC_HTTP_CLIENTS for t in types):
            return f"'{callee}', a synchronous HTTP request that blocks the event loop"
    if method in PYMONGO_IO_METHODS and "." in callee:
        types, _ = index.receiver(call, where)
        known = bool(types) and all(_sync_pymongo(t) for t in types)
        guessed = not types and method in MONGO_SPECIFIC and where.uses_sync_pymongo
        if known or guessed:
            return f"'{callee}', a synchronous PyMongo query that blocks the event loop"
    return ""


def _sync_pymongo(type_name: str) -> bool:
    return top_package(type_name) == "pymongo" and "async" not in type_name.lower()


class BlockingCallInAsync(Rule):
    code = "HEX505"
    name = "blocking-call-in-async"
    severity = Severity.WARNING
    concern = "adapters"
    summary = "An `async def` in infrastructure or web makes a blocking call."
    subject = "calls in async adapters and controllers do not block the event loop"
    why = (
        "An `async def` runs on the event loop that serves every request of the process. "
        "`time.sleep`, a `requests` call or a synchronous PyMongo query inside it does "
        "not yield: the whole service stops answering until it returns, so one slow "
        "remote call or one retry loop turns into a latency spike for every user. "
        "Calls inside a lambda or a nested function handed to `run_in_executor` or "
        "`asyncio.to_thread` run elsewhere and are not reported."
    )
    how_to_fix = (
        "Use the async counterpart (`asyncio.sleep`, `httpx.AsyncClient`, Motor or "
        "PyMongo's `AsyncMongoClient`), or move the blocking call to a thread with "
        "`await asyncio.to_thread(...)`.\n\n"
        "Before:\n\n"
        "    async def ensure_indexes(database) -> None:\n"
        "        while not await ping(database):\n"
        "            time.sleep(2)\n\n"
        "After:\n\n"
        "    async def ensure_indexes(database) -> None:\n"
        "        while not await ping(database):\n"
        "            await asyncio.sleep(2)"
    )
    valid = (
        """\
# file: app/infrastructure/covers.py
import asyncio
import time

import requests

async def fetch(url: str) -> bytes:
    loop = asyncio.get_running_loop()
    response = await loop.run_in_executor(None, lambda: requests.get(url, timeout=5))
    await asyncio.to_thread(time.sleep, 1)
    if not response.ok:
        raise requests.exceptions.HTTPError(response.reason)
    return response.content

def fetch_sync(url: str) -> bytes:
    time.sleep(1)
    return requests.get(url, timeout=5).content
# file: app/domain/clock.py
import time

async def tick() -> None:
    time.sleep(0)
""",
        """\
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import AsyncMongoClient

class Books:
    def __init__(self, collection: AsyncIOMotorCollection, client: AsyncMongoClient) -> None:
        self._collection = collection
        self._client = client

    async def get(self, book_id: str):
        await self._client.admin.command("ping")
        return await self._collection.find_one({"_id": book_id})

    async def all(self, requests: list) -> list:
        requests.append(1)
        return await self._collection.find({}).to_list(None)
""",
    )
    invalid = (
        """\
# file: app/infrastructure/persistence/indexes.py
import time
from time import sleep

async def ensure_indexes(database) -> None:
    for attempt in range(5):
        time.sleep(2 * attempt)  # error: HEX505
        sleep(1)  # error: HEX505
# file: app/infrastructure/web/routers/covers.py
import requests
from fastapi import APIRouter

router = APIRouter()

@router.get("/covers/{isbn}")
async def cover(isbn: str) -> str:
    response = requests.get(f"https://covers.example/{isbn}", timeout=5)  # error: HEX505
    return response.text
""",
        """\
# file: app/infrastructure/persistence/books.py
import requests
from pymongo import MongoClient
from pymongo.collection import Collection

client = MongoClient("mongodb://localhost")

class Books:
    def __init__(self, collection: Collection, http: requests.Session) -> None:
        self._collection = collection
        self._http = http

    async def cover(self, isbn: str) -> bytes:
        return self._http.get(f"https://covers.example/{isbn}").content  # error: HEX505

    async def get(self, book_id: str):
        return self._collection.find_one({"_id": book_id})  # error: HEX505

    async def count(self) -> int:
        return client.library.books.count_documents({})  # error: HEX505
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for where in self._async_functions(model)
            for call in where.function.calls
            if not call.deferred and call.context is not CallContext.AWAITED
        )

    def _async_functions(self, model: ProjectModel) -> Iterator[Where]:
        for where in function_sites(roles(model)):
            if not where.function.is_async:
                continue
            if model.layer(where.facts.module) in (Layer.INFRASTRUCTURE, Layer.WEB):
                yield where

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = type_index(model)
        for where in self._async_functions(model):
            for call in where.function.calls:
                if call.deferred or call.context is CallContext.AWAITED:
                    continue
                reason = _blocking(call, where, index)
                if reason:
                    message = f"async function '{where.qualname}' calls {reason}"
                    symbol = f"{where.dotted}:{call.callee}"
                    yield self.finding(where.facts, call.span, message, symbol, model)
