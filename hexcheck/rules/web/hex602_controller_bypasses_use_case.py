"""HEX602 controller-bypasses-use-case: A route handler reaches persistence directly
instead of going through a use case."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ExprKind, FunctionFact, Span
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.fastapi import WebIndex, web_index
from hexcheck.semantics.libraries import (
    DATABASE_CONSTRUCTORS,
    DATABASE_PACKAGES,
    DRIVER_METHODS,
    MOTOR_METHODS,
    REQUEST_CLASSES,
)
from hexcheck.semantics.placement import placement
from hexcheck.semantics.roles import ClassRef, roles
from hexcheck.semantics.routes import RouteHandler

# Classes in infrastructure that are persistence by their name.
_PERSISTENCE_NAME = re.compile(r"(Repository|Repo|Dao|DAO|Store|Storage|UnitOfWork|Uow|UoW)$")
# Adapters that hand a message on in the process, to the handler that runs it: a CQRS
# `CommandBus`, a mediator.
_DISPATCHER_NAME = re.compile(r"(Bus|Mediator|Dispatcher)$")


def _in_the_process(model: ProjectModel, ref: ClassRef) -> bool:
    """Whether a class, and each of its first-party bases, is kept in a module that imports
    nothing but the standard library and the project's own modules (`framework_free`)."""
    place = placement(model)
    return all(place.framework_free(owner.facts) for owner in (ref, *roles(model).first_party_ancestors(ref)))


# What a handler may call on a session it opens without using it: the bounds of the
# transaction the use case runs in (`async with session.begin():`).
_TRANSACTION_BOUNDS = frozenset({"begin", "begin_nested", "commit", "rollback", "close"})


def _made_by_factories(function: FunctionFact) -> set[str]:
    """The names a handler binds to what its injected factories make (`async with
    session_factory() as session`, `users = repository_factory(session)`)."""
    params = {param.name for param in function.params}
    return {name for name, callee in function.bound if callee in params}


def _uses_what_its_factories_make(function: FunctionFact) -> bool:
    """Whether a handler calls methods on what an injected factory made for it (`async with
    session_factory() as session: order = await session.get(...)`): it uses the session
    itself, not only hands it to the use case and bounds the transaction around it."""
    made = _made_by_factories(function)
    return any(
        head in made and rest and rest not in _TRANSACTION_BOUNDS
        for head, _, rest in (call.callee.partition(".") for call in function.calls)
    )


# What a handler is said to do when it calls an injected factory of driver objects.
_FACTORY_CALL = "calls the factory "


class ControllerBypassesUseCase(Rule):
    code = "HEX602"
    name = "controller-bypasses-use-case"
    severity = Severity.ERROR
    concern = "web"
    summary = "A route handler reaches persistence directly instead of going through a use case."
    subject = "route handlers go through use cases"
    why = (
        "When a controller builds a repository, opens a database client or queries a "
        "collection itself, the use case it skips is where the rules live: validation, "
        "authorization, invariants, events. The endpoint then behaves differently from every "
        "other way into the application, and the controller is welded to MongoDB or "
        "SQLAlchemy. hexcheck reports a handler that instantiates an adapter or a class from "
        "an infrastructure module, opens a driver connection, or calls methods on a driver "
        "object (a Motor database or collection, an SQLAlchemy session, "
        "`request.app.state.db`) or on an injected repository adapter. Passing a session on "
        "to other code is not reported; using it is. Nor is a handler that calls injected "
        "factories of sessions or repositories only to hand what they make to the use case it"
        " then runs (and to nothing else), at most bounding the transaction of such a session"
        " (`begin`, `commit`, `rollback`, `close`): the wiring was injected, scoped to the "
        "request. A handler that builds the adapter itself to hand it to the use case does go"
        " through the use case, but does the composition root's wiring: the message says "
        "that, not a bypass. Dispatching a command through an injected CQRS bus or mediator"
        " (`command_bus.dispatch(RegisterCommand(...))`) goes through the use case: the bus "
        "hands the command to its handler. Not a bus that reaches out itself (a "
        "`KafkaEventBus` publishing to its broker): that is an adapter like any other."
    )
    how_to_fix = (
        "Add (or reuse) a use case that does the work through a port, and inject the use "
        "case into the handler.\n\n"
        "Before:\n\n"
        '    @router.get("/books/{book_id}")\n'
        "    async def get_book(book_id: str, db: AsyncIOMotorDatabase = Depends(get_database)):\n"
        "        book = await MongoBookRepository(db).get(book_id)\n"
        "        return BookMapper.to_response(book)\n\n"
        "After:\n\n"
        '    @router.get("/books/{book_id}")\n'
        "    async def get_book(book_id: str, use_case: GetBook = Depends(provide_get_book)):\n"
        "        return BookMapper.to_response(await use_case.execute(book_id))"
    )
    valid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/mongo_books.py
from app.application.ports import BookRepository

class MongoBookRepository(BookRepository):
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/codecs.py
from dataclasses import dataclass

@dataclass
class Page:
    offset: int
    limit: int
# file: app/web/dependencies.py
from functools import lru_cache
from app.infrastructure.persistence.mongo_books import MongoBookRepository

@lru_cache
def provide_get_book():
    return GetBook(MongoBookRepository(None))
# file: app/web/books.py
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.infrastructure.persistence.codecs import Page
from app.web.dependencies import provide_get_book, get_session
from app.web.services import book_service

router = APIRouter()


@router.get("/books/{book_id}")
async def get_book(book_id: str, use_case=Depends(provide_get_book)):
    return await use_case.execute(book_id)


@router.get("/books")
def list_books(offset: int = 0, db_session: Session = Depends(get_session)):
    page = Page(offset, 20)  # a data holder from infrastructure is no persistence
    return book_service.list(db_session=db_session, page=page)  # handing the session on
""",
        """\
# file: app/infrastructure/queries.py
class BookQueries:
    def __init__(self, session) -> None:
        self._session = session
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.infrastructure.queries import BookQueries
from app.web.dependencies import provide_queries

router = APIRouter()


@router.get("/books")
def list_books(queries: BookQueries = Depends(provide_queries)):
    return queries.all()  # an injected read-model query, not a repository
""",
        # A handler that opens a session and builds a repository with injected factories,
        # only to hand them to the use case it runs in a transaction it begins, goes through
        # the use case: the factories are the author's injection, scoped to the request.
        """\
# file: app/interfaces/controllers/token_auth.py
from collections.abc import Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.application.refresh_token import RefreshTokenUseCase
from app.infrastructure.users import UserRepository
from app.interfaces.providers import get_session_factory, get_user_repository_factory

router = APIRouter()


@router.post("/token/refresh")
async def refresh(
    token: str,
    session_factory: Callable[[], AsyncSession] = Depends(get_session_factory),
    user_repository_factory: Callable[[AsyncSession], UserRepository] = Depends(get_user_repository_factory),
) -> str:
    async with session_factory() as session:
        async with session.begin():
            users = user_repository_factory(session)
            return await RefreshTokenUseCase(users).execute(token)
# file: app/interfaces/providers.py
def get_session_factory():
    raise NotImplementedError


def get_user_repository_factory():
    raise NotImplementedError
# file: app/application/refresh_token.py
class RefreshTokenUseCase:
    def __init__(self, users) -> None:
        self.users = users

    async def execute(self, token: str) -> str:
        return token
# file: app/infrastructure/users.py
class UserRepository:
    def __init__(self, session) -> None:
        self.session = session
""",
        # A CQRS bus implements the application's port and hands the command to its
        # handler, the use case: dispatching through it skips nothing.
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class CommandBus(ABC):
    @abstractmethod
    async def dispatch(self, command) -> None: ...
# file: app/application/register.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Register:
    email: str


class RegisterHandler:
    def __init__(self, accounts) -> None:
        self.accounts = accounts

    async def handle(self, command: Register) -> None:
        await self.accounts.add(command.email)
# file: app/infrastructure/cqrs/buses.py
from app.application.ports import CommandBus


class InProcessCommandBus(CommandBus):
    def __init__(self, handlers: dict) -> None:
        self._handlers = handlers

    async def dispatch(self, command) -> None:
        await self._handlers[type(command)].handle(command)
# file: app/api/routes.py
from fastapi import APIRouter, Depends

from app.application.register import Register
from app.infrastructure.cqrs.buses import InProcessCommandBus
from app.api.dependencies import get_command_bus

router = APIRouter()


@router.post("/register")
async def register(email: str, bus: InProcessCommandBus = Depends(get_command_bus)) -> None:
    await bus.dispatch(Register(email=email))
# file: app/api/dependencies.py
def get_command_bus():
    raise NotImplementedError
""",
    )
    invalid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/mongo_books.py
from app.application.ports import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, database) -> None:
        self._books = database["books"]

    async def get(self, book_id: str): ...
# file: app/web/books.py
from fastapi import APIRouter, Depends
from motor.motor_asyncio import AsyncIOMotorDatabase

from app.infrastructure.persistence.mongo_books import MongoBookRepository
from app.web.dependencies import get_database

router = APIRouter()


@router.get("/books/{book_id}/availability")
async def availability(book_id: str, database: AsyncIOMotorDatabase = Depends(get_database)):
    book = await MongoBookRepository(database).get(book_id)  # error: HEX602
    return {"available": book.available_copies}


@router.get("/books/{book_id}")
async def get_book(book_id: str, books: MongoBookRepository = Depends()):
    return await books.get(book_id)  # error: HEX602
""",
        """\
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.web.dependencies import get_session

router = APIRouter()
DbSession = Annotated[Session, Depends(get_session)]


@router.delete("/books/{book_id}")
def delete_book(book_id: str, db_session: DbSession):
    db_session.query(Book).filter_by(id=book_id).delete()  # error: HEX602
    db_session.commit()


@router.get("/authors/{author_id}")
async def get_author(author_id: str, request: Request):
    return await request.app.state.db.authors.find_one({"_id": author_id})  # error: HEX602
""",
        # A handler that builds the adapter only to hand it to the use case it runs goes
        # through the use case, but wires it itself: the message says so.
        """\
# file: src/smtp/infrastructure/web.py
from fastapi import APIRouter

from src.smtp.application.update import UpdateSettings
from src.smtp.infrastructure.repository import OrmSmtpRepository

router = APIRouter()


@router.put("/smtp/{smtp_id}")
async def update_endpoint(smtp_id: int, host: str) -> None:
    repository = OrmSmtpRepository()  # error: HEX602
    await UpdateSettings(repository).execute(smtp_id, host)
# file: src/smtp/application/ports.py
from abc import ABC, abstractmethod


class SmtpRepository(ABC):
    @abstractmethod
    async def update(self, smtp_id: int, host: str) -> None: ...
# file: src/smtp/application/update.py
from src.smtp.application.ports import SmtpRepository


class UpdateSettings:
    def __init__(self, repository: SmtpRepository) -> None:
        self.repository = repository

    async def execute(self, smtp_id: int, host: str) -> None:
        await self.repository.update(smtp_id, host)
# file: src/smtp/infrastructure/repository.py
from src.smtp.application.ports import SmtpRepository


class OrmSmtpRepository(SmtpRepository):
    async def update(self, smtp_id: int, host: str) -> None: ...
""",
        # The same factories, but the handler reads through the session itself before it
        # runs the use case: that is a bypass, not wiring.
        """\
# file: app/interfaces/controllers/orders.py
from collections.abc import Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.application.cancel_order import CancelOrderUseCase
from app.infrastructure.orders import OrderRecord, OrderRepository
from app.interfaces.providers import get_order_repository_factory, get_session_factory

router = APIRouter()


@router.post("/orders/{order_id}/archive")
async def archive(
    order_id: int,
    session_factory: Callable[[], AsyncSession] = Depends(get_session_factory),
    repository_factory: Callable[[AsyncSession], OrderRepository] = Depends(get_order_repository_factory),
) -> dict:
    async with session_factory() as session:  # error: HEX602
        order = await session.get(OrderRecord, order_id)
        await CancelOrderUseCase(repository_factory(session)).execute(order.id)
    return {"archived": order_id}
# file: app/interfaces/providers.py
def get_session_factory():
    raise NotImplementedError


def get_order_repository_factory():
    raise NotImplementedError
# file: app/application/cancel_order.py
class CancelOrderUseCase:
    def __init__(self, orders) -> None:
        self.orders = orders

    async def execute(self, order_id: int) -> None:
        await self.orders.cancel(order_id)
# file: app/infrastructure/orders.py
class OrderRecord:
    id: int


class OrderRepository:
    def __init__(self, session) -> None:
        self.session = session

    async def cancel(self, order_id: int) -> None:
        await self.session.commit()
""",
        # The factories' session also goes to a query of the infrastructure before the
        # use case runs: the handler reaches past it, and the message says it wires.
        """\
# file: app/interfaces/orders.py
from collections.abc import Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.application.cancel_order import CancelOrderUseCase
from app.infrastructure import order_queries
from app.infrastructure.orders import OrderRepository
from app.interfaces.providers import get_order_repository_factory, get_session_factory

router = APIRouter()


@router.post("/orders/{order_id}/cancel")
async def cancel_order(
    order_id: int,
    session_factory: Callable[[], AsyncSession] = Depends(get_session_factory),
    repository_factory: Callable[[AsyncSession], OrderRepository] = Depends(get_order_repository_factory),
) -> dict:
    async with session_factory() as session:  # error: HEX602
        if await order_queries.order_exists(session, order_id):
            await CancelOrderUseCase(repository_factory(session)).execute(order_id)
    return {"cancelled": order_id}
# file: app/interfaces/providers.py
def get_session_factory():
    raise NotImplementedError


def get_order_repository_factory():
    raise NotImplementedError
# file: app/application/cancel_order.py
class CancelOrderUseCase:
    def __init__(self, orders) -> None:
        self.orders = orders

    async def execute(self, order_id: int) -> None:
        await self.orders.cancel(order_id)
# file: app/infrastructure/order_queries.py
async def order_exists(session, order_id: int) -> bool:
    return bool(await session.scalar(order_id))
# file: app/infrastructure/orders.py
class OrderRepository:
    def __init__(self, session) -> None:
        self.session = session

    async def cancel(self, order_id: int) -> None:
        await self.session.commit()
""",
        # An adapter of a port that is no bus, whatever its name says: the handler calls
        # the payment provider itself.
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class Payments(ABC):
    @abstractmethod
    async def charge(self, order_id: str, cents: int) -> str: ...
# file: app/infrastructure/stripe_payments.py
import httpx

from app.application.ports import Payments


class StripePayments(Payments):
    async def charge(self, order_id: str, cents: int) -> str:
        async with httpx.AsyncClient() as client:
            response = await client.post("https://api.stripe.com/v1/charges", data={"amount": cents})
        return response.json()["id"]
# file: app/api/checkout.py
from fastapi import APIRouter, Depends

from app.infrastructure.stripe_payments import StripePayments
from app.api.dependencies import get_payments

router = APIRouter()


@router.post("/orders/{order_id}/pay")
async def pay(order_id: str, cents: int, payments: StripePayments = Depends(get_payments)) -> str:
    return await payments.charge(order_id, cents)  # error: HEX602
# file: app/api/dependencies.py
def get_payments():
    raise NotImplementedError
""",
        # A bus by name that publishes to its broker itself (its module imports the
        # library it reaches out through): the route writes the event past any use case.
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class EventBus(ABC):
    @abstractmethod
    async def publish(self, topic: str, payload: dict) -> None: ...
# file: app/infrastructure/kafka_bus.py
import json

from aiokafka import AIOKafkaProducer

from app.application.ports import EventBus


class KafkaEventBus(EventBus):
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self.producer = producer

    async def publish(self, topic: str, payload: dict) -> None:
        await self.producer.send_and_wait(topic, json.dumps(payload).encode())
# file: app/api/routes.py
from fastapi import APIRouter, Depends

from app.api.dependencies import get_event_bus
from app.infrastructure.kafka_bus import KafkaEventBus

router = APIRouter()


@router.post("/orders/{order_id}/shipped")
async def mark_shipped(order_id: str, bus: KafkaEventBus = Depends(get_event_bus)) -> None:
    await bus.publish("orders.shipped", {"order_id": order_id})  # error: HEX602
# file: app/api/dependencies.py
def get_event_bus():
    raise NotImplementedError
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).route_handlers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        use_cases = {ref.dotted: ref.cls.name for ref in index.roles.use_cases}
        for handler in roles(model).route_handlers:
            found = list(self._bypasses(index, handler))
            if not found:
                continue
            span = found[0][0]
            what = []
            for _, text in found:
                if text not in what:
                    what.append(text)
            wired = self._use_case_built(index, handler, use_cases)
            wires_only = wired and not _uses_what_its_factories_make(handler.function)
            if (
                wires_only
                and all(text.startswith(_FACTORY_CALL) for text in what)
                and not self._hands_made_elsewhere(index, handler.function, use_cases)
            ):
                continue  # the factories were injected: the author's wiring, scoped per request
            if wires_only and all(text.startswith(("instantiates ", _FACTORY_CALL)) for text in what):
                # It does go through a use case, but wires it itself: the message says so.
                message = (
                    f"route handler '{display_name(handler.function)}' {'; '.join(what)} to hand to "
                    f"the use case '{wired}' it builds; a DI provider (`Depends`) should wire it"
                )
            else:
                message = (
                    f"route handler '{display_name(handler.function)}' {'; '.join(what)} "
                    "instead of going through a use case"
                )
            yield self.finding(handler.facts, span, message, handler.dotted, model)

    @staticmethod
    def _hands_made_elsewhere(index: WebIndex, function: FunctionFact, use_cases: Mapping[str, str]) -> bool:
        """Whether what the injected factories made goes to anything but the use case and
        the factories (`order_exists(session, order_id)`, a query of the infrastructure):
        the handler then reaches past its use case."""
        params = {param.name for param in function.params}
        made = _made_by_factories(function)
        for call in function.calls:
            handed = {
                arg.name for arg in (*call.args, *(v for _, v in call.keywords)) if arg.kind is ExprKind.NAME
            }
            if not handed & made or call.callee in params:
                continue
            ref = index.cls(call.callee)
            if ref is None or ref.dotted not in use_cases:
                return True
        return False

    @staticmethod
    def _use_case_built(index: WebIndex, handler: RouteHandler, use_cases: Mapping[str, str]) -> str:
        """The name of the first use case (`use_cases`: dotted name to name) the handler
        builds, or ""."""
        for call in handler.function.calls:
            ref = index.cls(call.callee)
            if ref is not None and ref.dotted in use_cases:
                return use_cases[ref.dotted]
        return ""

    def _bypasses(self, index: WebIndex, handler: RouteHandler) -> Iterator[tuple[Span, str]]:
        model = index.model
        function = handler.function
        drivers: dict[str, str] = {}  # parameter -> what it is
        requests: set[str] = set()
        for param in function.params:
            for name in index.types(param.annotation):
                if name.partition(".")[0] in DATABASE_PACKAGES:
                    drivers[param.name] = f"driver object '{param.name}'"
                elif name in REQUEST_CLASSES:
                    requests.add(param.name)
                else:
                    ref = index.cls(name)
                    if ref is not None and self._persistence(index, ref):
                        drivers[param.name] = f"{self._kind(index, ref)} '{ref.cls.name}'"
        for call in function.calls:
            callee = call.callee
            head, _, rest = callee.partition(".")
            if head in drivers and rest:
                yield call.span, f"calls {drivers[head]}"
                continue
            if head in drivers and not rest:
                # `session_factory()`, `repository_factory(session)`: it makes a driver
                # object, which is wiring when what it makes goes to the use case it builds.
                yield call.span, f"{_FACTORY_CALL}'{head}'"
                continue
            method = callee.rpartition(".")[2]
            if head in requests and ".app.state." in f".{rest}." and method in DRIVER_METHODS:
                yield call.span, f"queries the database through '{head}.app.state'"
                continue
            if head == "?" and drivers and method in MOTOR_METHODS:
                yield call.span, f"queries the database through {next(iter(sorted(drivers.values())))}"
                continue
            canonical = model.resolve_symbol(callee) if "?" not in callee else callee
            if canonical in DATABASE_CONSTRUCTORS:
                yield call.span, f"opens a database connection with '{canonical.rpartition('.')[2]}'"
                continue
            ref = index.cls(callee)
            if ref is None or index.roles.is_data_holder(ref):
                continue
            if index.roles.is_adapter(ref.dotted):
                yield call.span, f"instantiates the adapter '{ref.cls.name}'"
            elif index.layer_of(ref) is Layer.INFRASTRUCTURE:
                yield call.span, f"instantiates the infrastructure class '{ref.cls.name}'"

    @staticmethod
    def _persistence(index: WebIndex, ref: ClassRef) -> bool:
        """An injected class whose methods are persistence: an adapter of a port, or an
        infrastructure class named like a repository or a unit of work. Not an adapter
        that dispatches the command to its handler (a CQRS `CommandBus` implementing the
        application's port, by its name or its port's, whose module imports no library):
        the handler is the use case, and dispatching through the bus leads to it."""
        if index.roles.is_adapter(ref.dotted):
            family = (ref, *index.roles.ports_of(ref))
            dispatcher = any(_DISPATCHER_NAME.search(each.cls.name) for each in family)
            # In the process only: a `KafkaEventBus` that publishes to its broker or a
            # `SqlDeliveryDispatcher` that updates rows is a bus by name, but its module
            # imports the library it reaches out through.
            return not dispatcher or not _in_the_process(index.model, ref)
        return index.layer_of(ref) is Layer.INFRASTRUCTURE and bool(_PERSISTENCE_NAME.search(ref.cls.name))

    @staticmethod
    def _kind(index: WebIndex, ref: ClassRef) -> str:
        return "the adapter" if index.roles.is_adapter(ref.dotted) else "the infrastructure class"
