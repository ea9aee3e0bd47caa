"""HEX504 untranslated-driver-error: An adapter calls a database/HTTP driver but never
translates the driver's errors."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallContext, CallFact, ExprKind, FunctionFact, ModuleFacts
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.semantics.contracts import adapter_classes
from hexcheck.semantics.libraries import (
    CONNECTING_CONSTRUCTORS,
    DRIVER_CONSTRUCTORS,
    HTTP_FUNCTIONS,
    MONGO_SPECIFIC,
    NETWORK_ERRORS,
    imports_package,
    is_driver_name,
    registers_callback,
)
from hexcheck.semantics.roles import BROAD_EXCEPTIONS, ClassRef, roles
from hexcheck.semantics.symbols import last_name
from hexcheck.semantics.types import Where, type_index


def _specific_driver_errors(types: tuple[str, ...]) -> bool:
    return any(name in NETWORK_ERRORS or is_driver_name(name) for name in types)


def _broad(types: tuple[str, ...]) -> bool:
    return not types or any(name in BROAD_EXCEPTIONS for name in types)  # `()`: a bare `except:`


def translates(
    model: ProjectModel, function: FunctionFact, wraps_driver_calls: bool, owner: ClassRef | None = None
) -> bool:
    """Whether an `except` of `function` catches driver errors and either raises a
    first-party exception (or what a first-party function builds) or handles them
    without raising (a cache that answers a miss when Redis is down).

    A broad `except Exception` counts only where it can see driver errors:
    `wraps_driver_calls` says whether the function calls the driver (or wraps code
    that does, as a decorator or a context manager). `owner` is the class whose method
    `function` is, for the exceptions it raises through `self`."""
    for handler in function.handlers:
        specific = _specific_driver_errors(handler.types)
        if not specific and not (wraps_driver_calls and _broad(handler.types)):
            continue
        if not handler.raises or any(
            raised and _first_party_exception(model, function, owner, raised) for raised in handler.raises
        ):
            return True
    return False


def _first_party_exception(
    model: ProjectModel, function: FunctionFact, owner: ClassRef | None, raised: str
) -> bool:
    """Whether a `raise` names a first-party exception, directly or through what names it:
    a local name bound to the exception built first (`error = RequestFailed(url)` ...
    `raise error from err`), or an exception class nested in the adapter's class or in a
    first-party base of it, its port most often (`raise self.SecretsApiError() from err`
    where the port declares `class SecretsApiError(RuntimeError)`)."""
    if model.is_first_party(raised):
        return True
    built = [callee for name, callee in function.bound if name == raised]
    if built:
        return model.is_first_party(built[-1])
    attribute = raised.removeprefix("self.")
    if owner is None or attribute == raised or "." in attribute:
        return False
    r = roles(model)
    return any(
        r.ref(f"{cls.dotted}.{attribute}") is not None for cls in (owner, *r.first_party_ancestors(owner))
    )


class DriverUse:
    """Where the methods of an adapter call a driver, and whether they translate errors."""

    def __init__(self, model: ProjectModel, ref: ClassRef) -> None:
        self.model = model
        self.r = roles(model)
        self.index = type_index(model)
        self.ref = ref
        ancestors = self.r.first_party_ancestors(ref)
        self.owners = [ref, *(a for a in ancestors if self.r.layer(a) is not Layer.DOMAIN)]
        # Per method (by identity): whether it calls the driver itself; the methods known
        # not to reach it, directly or through the adapter's helpers.
        self._direct: dict[int, bool] = {}
        self._unreaching: set[int] = set()

    def _driver_calls(self, facts: ModuleFacts, function: FunctionFact, in_class: bool) -> Iterator[CallFact]:
        mongo_module = imports_package(facts, "motor") or imports_package(facts, "pymongo")
        where = Where(facts, self.ref if in_class else None, function)
        for call in function.calls:
            if self._is_driver_call(call, where, mongo_module):
                yield call

    def driver_call(self) -> tuple[FunctionFact, CallFact] | None:
        """The first driver call of the adapter's methods (its bases' included)."""
        for owner in self.owners:
            for method in owner.cls.methods:
                for call in self._driver_calls(owner.facts, method, True):
                    return method, call
        return None

    def _is_driver_call(self, call: CallFact, where: Where, mongo_module: bool) -> bool:
        """A call on a driver object, a driver's request function, a connection opened
        (`psycopg2.connect(...)`), a client built to be used on the spot (`async with
        httpx.AsyncClient() as client:`), or a MongoDB method on an object of unknown type
        in a module that imports the driver. Registering a callback is no request."""
        callee = call.callee
        if callee in HTTP_FUNCTIONS:
            return True
        if callee in DRIVER_CONSTRUCTORS:
            if where.function.name == "__init__" or not is_driver_name(callee):
                return False
            return callee in CONNECTING_CONSTRUCTORS or self._kept_or_used(call, where)
        if registers_callback(last_name(callee)):
            return False
        types, _ = self.index.receiver(call, where)
        if any(is_driver_name(t) for t in types):
            return True
        return (
            mongo_module
            and not types
            and last_name(callee) in MONGO_SPECIFIC | {"find", "aggregate"}
            and callee.startswith(("?.", f"{where.self_name}."))
        )

    def _kept_or_used(self, built: CallFact, where: Where) -> bool:
        """Whether the adapter keeps the lazy client it builds (`MongoClient(url)`,
        `boto3.client("s3")`, `httpx.AsyncClient()`, which connect on their first
        request) on `self` for its requests, or the function goes on to call methods on
        the local name it bound the client to (`client = boto3.client("s3")`, `async with
        httpx.AsyncClient() as client:`, then `client.get(...)`): a function that only
        builds and returns or hands on the client is a connection factory, and building
        one does no I/O. A method called on another local name (`url.split(":")`) says
        nothing about the client."""
        function = where.function
        if any(
            attribute.value is not None
            and attribute.value.kind is ExprKind.CALL
            and attribute.value.name == built.callee
            for attribute in function.self_attributes
        ):
            return True
        if built.context in (CallContext.RETURNED, CallContext.ARGUMENT):
            return False
        clients = {name for name, callee in function.bound if callee == built.callee}
        receivers = (call.callee.partition(".") for call in function.calls)
        return any(head in clients and dot for head, dot, _ in receivers)

    def _calls_driver(self, owner: ClassRef, method: FunctionFact) -> bool:
        """Whether `method` calls the driver itself (memoized: a method is asked once
        per helper that calls it)."""
        key = id(method)
        if key not in self._direct:
            self._direct[key] = next(self._driver_calls(owner.facts, method, True), None) is not None
        return self._direct[key]

    def _helpers_called(self, method: FunctionFact) -> Iterator[tuple[ClassRef, FunctionFact]]:
        """The methods of the adapter (its bases' included) that `method` calls on `self`,
        or through `super()`, or hands to a call that runs them (a circuit breaker's
        `call_with_breaker(func=self._send)`, `run_in_executor(None, self._fetch)`)."""
        through_super = any(call.callee == "super" for call in method.calls)
        names = [call.callee for call in method.calls]
        names += [
            value.name
            for call in method.calls
            for value in (*call.args, *(value for _, value in call.keywords))
            if value.kind is ExprKind.NAME and value.name.startswith("self.")
        ]
        for dotted in names:
            head, _, name = dotted.partition(".")
            if "." in name or not (head == "self" or (head == "?" and through_super)):
                continue
            for other in self.owners:
                helper = other.cls.method(name)
                if helper is not None:
                    yield other, helper

    def _reaches_driver(self, owner: ClassRef, method: FunctionFact) -> bool:
        """Whether `method` calls the driver, itself or through a method of the adapter
        it calls (`await super()._create(...)` in a base that calls `put_object`).

        A walk of the methods it reaches, not a recursion over call paths: mutually
        calling helpers would make that factorial (and deep chains would overflow the
        stack). When none of the reached methods calls the driver, none of them reaches
        it either, so the answer is kept for all of them."""
        if id(method) in self._unreaching:
            return False
        reached = {id(method)}
        pending = [(owner, method)]
        while pending:
            current_owner, current = pending.pop()
            if self._calls_driver(current_owner, current):
                return True
            for other, helper in self._helpers_called(current):
                if id(helper) not in reached and id(helper) not in self._unreaching:
                    reached.add(id(helper))
                    pending.append((other, helper))
        self._unreaching |= reached
        return False

    def translates(self) -> bool:
        for owner in self.owners:
            for method in owner.cls.methods:
                calls_driver = self._reaches_driver(owner, method)
                if translates(self.model, method, calls_driver, owner):
                    return True
                if self._helpers_translate(owner, method, calls_driver):
                    return True
        return False

    def _helpers_translate(self, owner: ClassRef, method: FunctionFact, calls_driver: bool) -> bool:
        """A decorator, a context manager or a helper function that does the translation:
        a decorator or a context manager wraps the method's driver calls; a helper
        function must call the driver itself."""
        decorators = {decorator.name for decorator in method.decorators}
        for name in sorted(decorators | {call.callee for call in method.calls}):
            if not self.model.is_first_party(name):
                continue
            located = self.index.function(name)
            if located is None:
                continue
            facts, helper = located
            wraps = (name in decorators or helper.is_generator) and calls_driver
            wraps = wraps or next(self._driver_calls(facts, helper, False), None) is not None
            if translates(self.model, helper, wraps):
                return True
        return False


class UntranslatedDriverError(Rule):
    code = "HEX504"
    name = "untranslated-driver-error"
    severity = Severity.WARNING
    concern = "adapters"
    summary = "An adapter calls a database/HTTP driver but never translates the driver's errors."
    subject = "adapters that call a driver translate its errors"
    why = (
        "The port is the contract the application codes against; the exceptions that can "
        "come out of it are part of that contract. When a Motor adapter lets "
        "`pymongo.errors.DuplicateKeyError` or `ServerSelectionTimeoutError` escape, "
        "every caller has to know it talks to MongoDB (and import `pymongo` to catch it), "
        "the web layer maps a driver error to HTTP by accident or not at all (500), and "
        "swapping the adapter changes the failure behaviour of the whole service. An "
        "adapter catches its driver's errors (or `Exception`) and raises the application's "
        "own exceptions: `DuplicateIsbnError`, `PersistenceError`, `CoverServiceUnavailable`, "
        "or handles them (a cache that answers a miss when Redis is down). The exception "
        "may be built first and raised by name (`failed = RequestFailed(url)` ... `raise "
        "failed from exc`) or be declared in the port and raised through `self` (`raise "
        "self.SecretsApiError() from exc`). Translation in "
        "a shared base class, a decorator or a helper function of the adapter counts; "
        "re-raising the driver error or a built-in one does not, and neither does an `except` "
        "around a call of the adapter's own helper that calls the driver (`await "
        "super()._insert(...)`). ORM sessions (SQLAlchemy) are not judged: their errors "
        "surface at commit, in the unit of work. Nor is what sends no request: registering "
        "a callback (`add_on_close_callback`), or building a client that connects on its "
        "first request (`MongoClient(url)`, `boto3.client(...)`) to return or hand on, as "
        "a connection factory does; a client the adapter keeps on `self` or uses on the "
        "spot, and a call that connects as it builds (`psycopg2.connect`), count."
    )
    how_to_fix = (
        "Wrap the driver calls and raise a first-party exception, chained with `from`.\n\n"
        "Before:\n\n"
        "    async def find_cover_url(self, isbn: Isbn) -> str | None:\n"
        "        response = await self._client.head(url)\n"
        "        response.raise_for_status()\n"
        "        return str(response.url)\n\n"
        "After:\n\n"
        "    async def find_cover_url(self, isbn: Isbn) -> str | None:\n"
        "        try:\n"
        "            response = await self._client.head(url)\n"
        "            response.raise_for_status()\n"
        "        except httpx.HTTPError as exc:\n"
        "            raise CoverServiceUnavailable(str(isbn)) from exc\n"
        "        return str(response.url)"
    )
    valid = (
        """\
# file: app/application/errors.py
class PersistenceError(Exception): ...
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/base.py
from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo.errors import PyMongoError
from app.application.errors import PersistenceError
from app.application.ports.books import BookRepository

class MongoBase(BookRepository):
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database["books"]

    async def get(self, book_id: str):
        try:
            return await self._collection.find_one({"_id": book_id})
        except PyMongoError as exc:
            raise PersistenceError(book_id) from exc
# file: app/infrastructure/persistence/books.py
from app.infrastructure.persistence.base import MongoBase

class MongoBookRepository(MongoBase):
    async def add(self, book) -> None:
        await self._collection.insert_one(book)
""",
        """\
# file: app/application/errors.py
class GatewayError(Exception): ...
# file: app/application/ports/covers.py
from typing import Protocol

class CoverGateway(Protocol):
    async def find(self, isbn: str) -> str | None: ...
# file: app/infrastructure/covers.py
import functools
import httpx
from app.application.errors import GatewayError
from app.application.ports.covers import CoverGateway

def translated(method):
    @functools.wraps(method)
    async def wrapper(*args, **kwargs):
        try:
            return await method(*args, **kwargs)
        except Exception as exc:
            raise GatewayError(str(exc)) from exc
    return wrapper

class HttpCoverGateway(CoverGateway):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    @translated
    async def find(self, isbn: str) -> str | None:
        response = await self._client.get(f"/covers/{isbn}")
        return response.text

class InMemoryCoverGateway(CoverGateway):
    async def find(self, isbn: str) -> str | None:
        return None
# file: app/application/ports/cache.py
from typing import Protocol

class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...
# file: app/infrastructure/cache.py
import logging
from redis.asyncio import Redis
from redis.exceptions import RedisError
from app.application.ports.cache import Cache

class RedisCache(Cache):
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, key: str) -> bytes | None:
        try:
            return await self._redis.get(key)
        except RedisError:
            logging.warning("cache unavailable, answering a miss")
            return None
""",
        """\
# file: app/application/ports/connections.py
from abc import ABC, abstractmethod

class Connections(ABC):
    @abstractmethod
    def database(self, name: str) -> object: ...
# file: app/infrastructure/connections.py
import pymongo
from pika.channel import Channel
from app.application.ports.connections import Connections

class MongoConnections(Connections):  # builds a client that connects on first use
    def database(self, name: str) -> object:
        client = pymongo.MongoClient("mongodb://db:27017")
        return client[name]

class BrokerConnections(Connections):  # only registers a callback with the channel
    def on_open(self, channel: Channel) -> None:
        channel.add_on_close_callback(self.on_closed)

    def on_closed(self, channel: Channel, reason: Exception) -> None:
        return None

    def database(self, name: str) -> object:
        return None


class ReplicaConnections(Connections):  # `url.rstrip` is no call on the client
    def database(self, name: str) -> object:
        url = "mongodb://db:27017/" + name
        client = pymongo.MongoClient(url.rstrip("/"))
        return client
""",
        """\
# file: app/application/ports/secrets.py
from abc import ABC, abstractmethod


class SecretsPort(ABC):
    class SecretsApiError(RuntimeError):
        \"\"\"The secrets store could not be reached or refused the request.\"\"\"

    @abstractmethod
    async def deposit(self, secret: bytes) -> str: ...

    @abstractmethod
    async def envelope(self, secret_id: str) -> str: ...
# file: app/infrastructure/secrets/errors.py
class RequestFailedError(RuntimeError):
    def __init__(self, *, url: str) -> None:
        super().__init__(f"the request to {url} failed")
# file: app/infrastructure/secrets/client.py
import httpx

from app.application.ports.secrets import SecretsPort
from app.infrastructure.secrets.errors import RequestFailedError


class SecretsClient(SecretsPort):
    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self._client = client
        self._base_url = base_url

    async def deposit(self, secret: bytes) -> str:
        try:
            response = await self._client.post(f"{self._base_url}/secrets", content=secret)
        except httpx.HTTPError as error:
            raise self.SecretsApiError() from error  # the port's own exception, through self
        return response.json()["secret_id"]

    async def envelope(self, secret_id: str) -> str:
        url = f"{self._base_url}/secrets/{secret_id}/envelope"
        try:
            response = await self._client.get(url)
        except httpx.RequestError as error:
            failed = RequestFailedError(url=url)  # built first, raised after
            raise failed from error
        return response.json()["content"]
""",
        """\
# file: src/external/interfaces.py
from abc import ABC, abstractmethod


class IEmailService(ABC):
    @abstractmethod
    async def send_email(self, to: str, body: str) -> bool:
        \"\"\"True when the provider took the mail, False otherwise.\"\"\"
# file: src/external/breaker.py
class CircuitBreaker:
    async def call(self, func, **kwargs):
        return await func(**kwargs)
# file: src/external/email_service.py
import httpx

from src.external.breaker import CircuitBreaker
from src.external.interfaces import IEmailService


class EmailService(IEmailService):
    def __init__(self, breaker: CircuitBreaker) -> None:
        self._breaker = breaker

    async def send_email(self, to: str, body: str) -> bool:
        try:  # the breaker runs `_post`: its httpx errors end here, as the port's False
            return bool(await self._breaker.call(func=self._post, to=to, body=body))
        except Exception:
            return False

    async def _post(self, to: str, body: str) -> bool:
        async with httpx.AsyncClient() as client:
            response = await client.post("https://mail.example/send", json={"to": to, "body": body})
        return response.status_code == 200
""",
        # `except A or B:` catches what `or` evaluates to, the first class: here the base of
        # aiormq's errors, which aio_pika raises.
        """\
# file: shared/domain/events.py
from abc import ABC, abstractmethod


class EventsNotPublished(Exception):
    pass


class DomainEventPublisher(ABC):
    @abstractmethod
    async def publish(self, events: list[object]) -> None: ...
# file: shared/infrastructure/rabbitmq_publisher.py
import aio_pika
import aiormq

from shared.domain.events import DomainEventPublisher, EventsNotPublished


class RabbitMqEventPublisher(DomainEventPublisher):
    def __init__(self, exchange: str, client: aio_pika.Connection) -> None:
        self.client = client
        self._exchange = exchange

    async def publish(self, events: list[object]) -> None:
        try:
            async with self.client.channel() as channel:
                exchange = await channel.get_exchange(name=self._exchange, ensure=False)
                for event in events:
                    await exchange.publish(aio_pika.Message(body=repr(event).encode()), routing_key="events")
        except aiormq.AMQPException or aiormq.AMQPError as error:
            raise EventsNotPublished(self._exchange) from error
""",
    )
    invalid = (
        """\
# file: app/application/ports/covers.py
from abc import ABC, abstractmethod

class CoverImageGateway(ABC):
    @abstractmethod
    async def find_cover_url(self, isbn: str) -> str | None: ...
# file: app/infrastructure/covers.py
import httpx
from app.application.ports.covers import CoverImageGateway

class OpenLibraryCoverGateway(CoverImageGateway):  # error: HEX504
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def find_cover_url(self, isbn: str) -> str | None:
        try:
            response = await self._client.head(f"https://covers.example/{isbn}")
        except httpx.HTTPError as exc:
            raise RuntimeError("cover lookup failed") from exc
        return str(response.url)
""",
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorDatabase
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):  # error: HEX504
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._database = database

    async def add(self, book) -> None:
        await self._database["books"].insert_one(book)
# file: app/infrastructure/search.py
import requests
from app.application.ports.books import BookRepository

class SearchIndex(BookRepository):  # error: HEX504
    async def add(self, book) -> None:
        try:
            requests.post("http://search/books", json=book, timeout=2)
        except requests.RequestException:
            raise
""",
        """\
# file: app/domain/book_repository.py
from abc import ABC, abstractmethod


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> dict | None: ...
# file: app/infrastructure/mongo_books.py
from dataclasses import dataclass

from pymongo.asynchronous.collection import AsyncCollection

from app.domain.book_repository import BookRepository


@dataclass
class MongoBookRepository(BookRepository):  # error: HEX504
    collection: AsyncCollection

    async def get(self, book_id: str) -> dict | None:
        return await self.collection.find_one({"_id": book_id})
""",
        """\
# file: app/application/ports/events.py
from abc import ABC, abstractmethod


class EventPublisher(ABC):
    @abstractmethod
    def publisher(self) -> object: ...
# file: app/infrastructure/events.py
from kafka import KafkaProducer

from app.application.ports.events import EventPublisher


class KafkaEventPublisher(EventPublisher):  # error: HEX504 (KafkaProducer connects as it is built)
    def publisher(self) -> object:
        return KafkaProducer(bootstrap_servers="kafka:9092")
# file: app/application/ports/covers.py
from typing import Protocol


class CoverGateway(Protocol):
    async def find(self, isbn: str) -> str | None: ...
# file: app/infrastructure/covers.py
import httpx

from app.application.ports.covers import CoverGateway


class HttpCoverGateway(CoverGateway):  # error: HEX504 (the client it builds sends the request)
    async def find(self, isbn: str) -> str | None:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"https://covers.example/{isbn}")
        return response.text
""",
    )

    def _driver_adapters(
        self, model: ProjectModel
    ) -> Iterator[tuple[ClassRef, DriverUse, FunctionFact, CallFact]]:
        for ref in adapter_classes(roles(model)):
            use = DriverUse(model, ref)
            found = use.driver_call()
            if found is not None:
                yield ref, use, found[0], found[1]

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._driver_adapters(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for ref, use, method, call in self._driver_adapters(model):
            if use.translates():
                continue
            message = (
                f"adapter '{ref.cls.name}' calls its driver ('{call.callee}' in '{method.name}') "
                "but never turns the driver's errors into a first-party exception"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
