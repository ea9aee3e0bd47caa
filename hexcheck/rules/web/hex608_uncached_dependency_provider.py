"""HEX608 uncached-dependency-provider: A provider passed to Depends builds a use case or
an adapter on every request."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.fastapi import web_index

# `functools.lru_cache`, `functools.cache`, `async_lru.alru_cache`, `cachetools.cached`, by
# their last name (`@lru_cache`, `@functools.lru_cache(maxsize=1)`).
CACHE_DECORATORS = frozenset({"lru_cache", "cache", "alru_cache", "cached"})


class UncachedDependencyProvider(Rule):
    code = "HEX608"
    name = "uncached-dependency-provider"
    severity = Severity.WARNING
    concern = "web"
    preset = "strict"
    summary = "A provider passed to Depends builds a use case or an adapter on every request."
    subject = "dependency providers are cached"
    why = (
        "FastAPI calls a provider for every request that depends on it. A provider that "
        "builds a use case or an adapter therefore rebuilds the object graph per request: "
        "new repositories, new HTTP clients with their connection pools, new clients "
        "that are never closed. Use cases and adapters over a shared client are "
        "stateless, so one instance per process is enough, and `@lru_cache` on a "
        "parameterless provider makes it one. Providers that take parameters, are async, "
        "or `yield` (per-request sessions) cannot be cached that way and are not reported."
    )
    how_to_fix = (
        "Decorate the provider with `@functools.lru_cache` (or `@functools.cache`).\n\n"
        "Before:\n\n"
        "    def provide_create_book() -> CreateBook:\n"
        "        return CreateBook(books=MongoBookRepository(get_database()))\n\n"
        "After:\n\n"
        "    @lru_cache\n"
        "    def provide_create_book() -> CreateBook:\n"
        "        return CreateBook(books=MongoBookRepository(get_database()))"
    )
    valid = (
        """\
# file: app/application/create_book.py
class CreateBookUseCase:
    def __init__(self, books) -> None:
        self._books = books

    def execute(self, command): ...
# file: app/web/dependencies.py
import functools
from collections.abc import Iterator
from functools import lru_cache

from fastapi import Depends

from app.application.create_book import CreateBookUseCase


@lru_cache
def provide_create_book() -> CreateBookUseCase:
    return CreateBookUseCase(books=None)


@functools.cache
def provide_other() -> CreateBookUseCase:
    return CreateBookUseCase(books=None)


def provide_per_request(session=Depends(lambda: None)) -> CreateBookUseCase:
    return CreateBookUseCase(books=session)  # takes a per-request session: cannot be cached


def get_use_case() -> Iterator[CreateBookUseCase]:
    yield CreateBookUseCase(books=None)  # a generator: cannot be cached


def get_settings() -> dict:
    return {}  # builds neither a use case nor an adapter
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.web.dependencies import (
    get_settings,
    get_use_case,
    provide_create_book,
    provide_other,
    provide_per_request,
)

router = APIRouter()


@router.post("/books")
async def create_book(
    a=Depends(provide_create_book),
    b=Depends(provide_other),
    c=Depends(provide_per_request),
    d=Depends(get_use_case),
    e=Depends(get_settings),
    f=Depends(),
):
    return None
""",
        """\
# file: app/application/create_book.py
class CreateBookUseCase:
    def execute(self, command): ...
# file: app/web/dependencies.py
from app.application.create_book import CreateBookUseCase


def provide_create_book() -> CreateBookUseCase:  # never passed to Depends
    return CreateBookUseCase()
""",
    )
    invalid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class CoverGateway(ABC):
    @abstractmethod
    async def fetch(self, isbn: str) -> bytes: ...
# file: app/application/refresh_cover.py
class RefreshCoverUseCase:
    def __init__(self, covers) -> None:
        self._covers = covers

    async def execute(self, isbn): ...
# file: app/infrastructure/covers.py
from app.application.ports import CoverGateway

class OpenLibraryCoverGateway(CoverGateway):
    async def fetch(self, isbn: str) -> bytes: ...
# file: app/web/dependencies.py
from app.application.refresh_cover import RefreshCoverUseCase
from app.infrastructure.covers import OpenLibraryCoverGateway


def provide_refresh_cover() -> RefreshCoverUseCase:  # error: HEX608
    return RefreshCoverUseCase(covers=OpenLibraryCoverGateway())


def provide_covers() -> OpenLibraryCoverGateway:  # error: HEX608
    return OpenLibraryCoverGateway()
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends

from app.web.dependencies import provide_covers, provide_refresh_cover

router = APIRouter()


@router.put("/books/{isbn}/cover")
async def refresh_cover(isbn: str, use_case=Depends(provide_refresh_cover)):
    return await use_case.execute(isbn)


@router.get("/covers/{isbn}")
async def cover(isbn: str, covers: Annotated[OpenLibraryCoverGateway, Depends(provide_covers)]):
    return await covers.fetch(isbn)
""",
        """\
# file: app/application/get_book.py
class GetBookUseCase:
    def execute(self, book_id): ...
# file: app/main.py
from fastapi import Depends, FastAPI

from app.application.get_book import GetBookUseCase

app = FastAPI()


def provide_get_book():  # error: HEX608
    use_case = GetBookUseCase()
    return use_case


@app.get("/books/{book_id}", dependencies=[Depends(provide_get_book)])
def get_book(book_id: str):
    return None
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(web_index(model).providers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        the_roles = index.roles
        use_cases = {ref.dotted for ref in the_roles.use_cases}
        for facts, function in index.providers:
            if function.params or function.is_async or function.is_generator:
                continue
            if any(d.name.rpartition(".")[2] in CACHE_DECORATORS for d in function.decorators):
                continue
            built: list[str] = []
            for call in function.calls:
                ref = index.cls(call.callee)
                if ref is None:
                    continue
                if ref.dotted in use_cases:
                    text = f"the use case '{ref.cls.name}'"
                elif the_roles.is_adapter(ref.dotted):
                    text = f"the adapter '{ref.cls.name}'"
                else:
                    continue
                if text not in built:
                    built.append(text)
            if not built:
                continue
            message = (
                f"dependency provider '{function.name}' builds {' and '.join(built)} on every "
                "request; it is not decorated with @lru_cache"
            )
            yield self.finding(facts, function.span, message, f"{facts.module}.{function.qualname}", model)
