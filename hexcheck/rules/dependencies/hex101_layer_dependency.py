"""HEX101 layer-dependency: A module imports a first-party module of a layer its own layer
may not depend on."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import and_list


def _allowed_text(model: ProjectModel, layer: Layer) -> str:
    return and_list([other.value for other in Layer if model.config.may_depend(layer, other)])


# The use cases, the web's factory port and the adapter a hand-written container builds
# on: the part the examples of such a container share.
_CONTAINER_COLLABORATORS = """\
# file: src/shop/presentation/interactor_factory.py
from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager

from shop.application.cancel_order import CancelOrder
from shop.application.place_order import PlaceOrder


class InteractorFactory(ABC):
    @abstractmethod
    def place_order(self) -> AbstractAsyncContextManager[PlaceOrder]: ...

    @abstractmethod
    def cancel_order(self) -> AbstractAsyncContextManager[CancelOrder]: ...
# file: src/shop/application/ports.py
from typing import Protocol


class Orders(Protocol):
    async def place(self, sku: str) -> None: ...

    async def cancel(self, order_id: str) -> None: ...
# file: src/shop/application/place_order.py
from shop.application.ports import Orders


class PlaceOrder:
    def __init__(self, orders: Orders) -> None:
        self._orders = orders

    async def __call__(self, sku: str) -> None:
        await self._orders.place(sku)
# file: src/shop/application/cancel_order.py
from shop.application.ports import Orders


class CancelOrder:
    def __init__(self, orders: Orders) -> None:
        self._orders = orders

    async def __call__(self, order_id: str) -> None:
        await self._orders.cancel(order_id)
# file: src/shop/adapters/db/order_gateway.py
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shop.application.ports import Orders


class OrderGateway(Orders):
    def __init__(self, session: AsyncSession, client: AsyncClient) -> None:
        self._session = session
        self._client = client

    async def place(self, sku: str) -> None:
        await self._session.execute(text("insert into orders (sku) values (:s)"), {"s": sku})

    async def cancel(self, order_id: str) -> None:
        await self._client.post(f"https://payments.example/refunds/{order_id}")
"""


class LayerDependency(Rule):
    code = "HEX101"
    name = "layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A module imports a first-party module of a layer its own layer may not depend on."
    subject = "imports between layers point inwards"
    why = (
        "The dependency rule is what makes a hexagon a hexagon: source code dependencies "
        "point inwards only. The domain knows nothing of use cases, the use cases know "
        "nothing of MongoDB or FastAPI. Once an inner layer imports an outer one, the "
        "business rules can no longer be tested, reused or reasoned about without the "
        "framework, the database driver and their configuration, and every change at the "
        "edge ripples into the core. Imports under `TYPE_CHECKING` and inside functions "
        "count too: they are the same coupling, only hidden. Those of the module's "
        '`if __name__ == "__main__":` block do not: that block runs only when the file is '
        "run as a script, never when the module is imported. Nor do those inside the "
        "functions only that block runs (a command-line script's `main()` and the builder "
        "it calls to wire its adapters), when nothing else in the module calls them or "
        "hands them on (as an argument, a decorator, an assigned or class attribute's "
        "value) and no other module imports them: the script's own composition. A package "
        "index is the one "
        "exception: an `__init__.py` that only gathers its descendants' names (imports, "
        "`__all__`, literal constants; no class, function or module-level call) takes on "
        "no dependency by importing them, as each descendant is checked on its own. Nor "
        "does a web module that the project keeps inside its own `infrastructure/` (or "
        "`infra/`) package take one on by importing, from a module also inside one, "
        "functions it only hands to FastAPI's `Depends`/`Security` and never calls itself "
        "(the session provider of `Depends(get_session)`): that is Clean Architecture's "
        "outer ring, frameworks and drivers, holding the web and the database alike, as "
        "the author drew it, and FastAPI wiring the session into the route is that ring's "
        "own business. So are the ring's tools the web takes from there: a logger, a token "
        "helper, request models, errors, from modules that, with every first-party module "
        "they import, implement no port, keep no ORM model and import no package but the "
        "standard library's, the web framework's, Pydantic's, token, password, logging and "
        "configuration helpers'. Calling a function of an adapter "
        "(`delete_user(session, id)`, `get_user_repository()`) or taking an adapter's class "
        "from there is the web using the infrastructure itself, and counts."
    )
    how_to_fix = (
        "Invert the dependency: let the inner layer declare what it needs as a port (an "
        "ABC or Protocol in `application/ports`) and let the outer layer implement it; "
        "the composition root wires the two together.\n\n"
        "Before, in `app/application/use_cases/create_book.py`:\n\n"
        "    from app.infrastructure.persistence.mongo_book_repository import MongoBookRepository\n\n"
        "    class CreateBook:\n"
        "        def __init__(self) -> None:\n"
        "            self._books = MongoBookRepository()\n\n"
        "After:\n\n"
        "    from app.application.ports.book_repository import BookRepository\n\n"
        "    class CreateBook:\n"
        "        def __init__(self, books: BookRepository) -> None:\n"
        "            self._books = books\n\n"
        "If an edge between two layers is a deliberate decision of your team, allow it with "
        '`allowed-edges = ["web -> infrastructure"]` in `[tool.hexcheck]`.'
    )
    valid = (
        # A hand-written container under the composition root's name (`main/ioc.py`)
        # implementing the web's `InteractorFactory`: it opens the sessions and HTTP clients
        # of the adapters it builds the use cases on, which is wiring, so it may import
        # the web's factory port.
        """\
# file: src/shop/main/ioc.py
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shop.adapters.db.order_gateway import OrderGateway
from shop.application.cancel_order import CancelOrder
from shop.application.place_order import PlaceOrder
from shop.presentation.interactor_factory import InteractorFactory


class IoC(InteractorFactory):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    @asynccontextmanager
    async def place_order(self) -> AsyncIterator[PlaceOrder]:
        async with self._session_factory() as session, AsyncClient() as client:
            yield PlaceOrder(OrderGateway(session, client))

    @asynccontextmanager
    async def cancel_order(self) -> AsyncIterator[CancelOrder]:
        async with self._session_factory() as session, AsyncClient() as client:
            yield CancelOrder(OrderGateway(session, client))
"""
        + _CONTAINER_COLLABORATORS,
        # A bus beside the ports its handlers implement, in a package no name places: its
        # classes hold state and it has an error of its own, as entities do, but among the
        # application's modules it is the application's, free to import their ports.
        """\
# file: app/bus/core.py
from typing import Any

from app.bus.interfaces.event import EventHandler
from app.bus.interfaces.handler import Handler


class UnregisteredHandlerError(Exception): ...


class QCBus:
    def __init__(self) -> None:
        self._handlers: dict[type, Handler] = {}

    def register(self, kind: type, handler: Handler) -> None:
        self._handlers[kind] = handler

    async def send(self, message: Any) -> Any:
        try:
            handler = self._handlers[type(message)]
        except KeyError as e:
            raise UnregisteredHandlerError(type(message).__name__) from e
        return await handler.handle(message)


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[EventHandler] = []

    def subscribe(self, handler: EventHandler) -> None:
        self._subscribers.append(handler)

    async def publish(self, event: object) -> None:
        for subscriber in self._subscribers:
            await subscriber.on_event(event)
# file: app/bus/interfaces/handler.py
from abc import ABC, abstractmethod
from typing import Any


class Handler(ABC):
    @abstractmethod
    async def handle(self, message: Any) -> Any: ...
# file: app/bus/interfaces/event.py
from abc import ABC, abstractmethod


class EventHandler(ABC):
    @abstractmethod
    async def on_event(self, event: object) -> None: ...
# file: app/bus/builder.py
from typing import Any, Protocol

from app.bus.interfaces.handler import Handler


class Users(Protocol):
    async def add(self, user: Any) -> Any: ...


class CreateUserHandler(Handler):
    def __init__(self, users: Users) -> None:
        self._users = users

    async def handle(self, message: Any) -> Any:
        return await self._users.add(message)
""",
        # Clean Architecture's presenter kept right below `adapters/`, beside the repository:
        # it shapes the entity for the response, so it is the web's, as its controller is.
        """\
# file: app/clients/adapters/presenter.py
from app.clients.domain.entity import ClientEntity
from app.clients.schemas import ClientRead


def to_response(entity: ClientEntity) -> ClientRead:
    return ClientRead(id=entity.id, name=entity.name)
# file: app/clients/schemas.py
from pydantic import BaseModel


class ClientRead(BaseModel):
    id: int
    name: str
# file: app/clients/domain/entity.py
from dataclasses import dataclass


@dataclass
class ClientEntity:
    id: int
    name: str

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name")
# file: app/clients/controller.py
from fastapi import APIRouter

from app.clients.adapters.presenter import to_response
from app.clients.domain.entity import ClientEntity
from app.clients.schemas import ClientRead

router = APIRouter()


@router.get("/clients/{client_id}", response_model=ClientRead)
def read_client(client_id: int) -> ClientRead:
    return to_response(ClientEntity(id=client_id, name="Ana"))
""",
        # The use case's output boundary filed with the presenters that implement it: the
        # core's port, which the use case may import.
        """\
# file: app/adapters/presenters/order_presenter.py
from abc import ABC, abstractmethod


class OrderPresenter(ABC):
    @abstractmethod
    def present(self, order_id: str) -> dict: ...
# file: app/adapters/presenters/json_order_presenter.py
from app.adapters.presenters.order_presenter import OrderPresenter


class JsonOrderPresenter(OrderPresenter):
    def present(self, order_id: str) -> dict:
        return {"id": order_id}
# file: app/application/place_order.py
from app.adapters.presenters.order_presenter import OrderPresenter


class PlaceOrder:
    def __init__(self, presenter: OrderPresenter) -> None:
        self._presenter = presenter

    def execute(self, order_id: str) -> dict:
        return self._presenter.present(order_id)
""",
        """\
# file: farmacia/infraestructura/modelos/base.py
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
# file: farmacia/infraestructura/modelos/presentacion.py
from sqlalchemy.orm import Mapped, mapped_column

from farmacia.infraestructura.modelos.base import Base


class PresentacionModelo(Base):  # a product's packaging: the noun, not a layer
    __tablename__ = "presentaciones"
    id: Mapped[int] = mapped_column(primary_key=True)
# file: farmacia/infraestructura/repositorios/presentaciones.py
from farmacia.infraestructura.modelos.presentacion import PresentacionModelo


class RepositorioPresentaciones:
    def __init__(self, session) -> None:
        self._session = session

    def obtener(self, id_: int) -> PresentacionModelo:
        return self._session.get(PresentacionModelo, id_)
""",
        """\
# file: app/application/use_cases.py
class CreateNoteUseCase:
    def __init__(self, notes) -> None:
        self._notes = notes

    def execute(self, text: str) -> None:
        self._notes.add(text)


class DeleteNoteUseCase:
    def __init__(self, notes) -> None:
        self._notes = notes

    def execute(self, note_id: int) -> None:
        self._notes.remove(note_id)
# file: app/infrastructure/database.py
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker(create_engine("sqlite://"))
# file: app/infrastructure/notes.py
class SqlNoteRepository:
    def __init__(self, session) -> None:
        self._session = session

    def add(self, text: str) -> None: ...

    def remove(self, note_id: int) -> None: ...
# file: app/infrastructure/dependency_container.py
from sqlalchemy.orm import Session

from app.application.use_cases import CreateNoteUseCase, DeleteNoteUseCase
from app.infrastructure.database import SessionLocal
from app.infrastructure.notes import SqlNoteRepository


class DependencyContainer:  # one provider method a use case: the composition root's
    def __init__(self) -> None:
        self._session: Session = SessionLocal()
        self._notes = SqlNoteRepository(self._session)

    def create_note(self) -> CreateNoteUseCase:
        return CreateNoteUseCase(self._notes)

    def delete_note(self) -> DeleteNoteUseCase:
        return DeleteNoteUseCase(self._notes)


container = DependencyContainer()
# file: app/web/notes.py
from fastapi import APIRouter

from app.infrastructure.dependency_container import container

router = APIRouter()


@router.post("/notes")
def create_note(text: str) -> None:
    container.create_note().execute(text)
""",
        """\
# file: src/shared_kernel/infra/fastapi/util.py
def make_response(data: object) -> dict:  # FastAPI's glue kept with the adapters: the web's
    return {"meta": {"code": 200, "message": "ok"}, "data": data}
# file: src/user/adapter/rest/response.py
from pydantic import BaseModel

from src.shared_kernel.infra.fastapi.util import make_response


class UserResponse(BaseModel):
    name: str


def user_response(name: str) -> dict:
    return make_response(UserResponse(name=name).model_dump())
""",
        """\
# file: med/adapters/api/app.py
import falcon

from med.adapters.api.controllers import Patients


def create_app(prefix: str) -> falcon.App:
    app = falcon.App()
    app.add_route(f"{prefix}/patients", Patients())
    return app
# file: med/adapters/api/controllers.py
import falcon


class Patients:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = []
# file: med/adapters/database.py
class Database:
    def __init__(self, url: str) -> None:
        self.url = url
# file: med/launchers/api.py
from med.adapters.api.app import create_app  # the launcher builds Falcon's app: composition
from med.adapters.database import Database

database = Database("postgresql://db/med")
app = create_app("/api")
""",
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class AttackRepository(ABC):
    @abstractmethod
    async def find(self, attack_id: str) -> dict: ...
# file: app/application/use_cases.py
from app.application.ports import AttackRepository


class CreateAttackUseCase:
    def __init__(self, attacks: AttackRepository) -> None:
        self._attacks = attacks

    async def execute(self, attack_id: str) -> dict:
        return await self._attacks.find(attack_id)


class DeleteAttackUseCase:
    def __init__(self, attacks: AttackRepository) -> None:
        self._attacks = attacks

    async def execute(self, attack_id: str) -> dict:
        return await self._attacks.find(attack_id)
# file: app/infrastructure/persistence.py
from app.application.ports import AttackRepository


class MongoAttackRepository(AttackRepository):
    def __init__(self, database) -> None:
        self._collection = database["attacks"]

    async def find(self, attack_id: str) -> dict:
        return await self._collection.find_one({"_id": attack_id})
# file: app/infrastructure/dependency_container.py
from motor.motor_asyncio import AsyncIOMotorClient

from app.application.use_cases import CreateAttackUseCase, DeleteAttackUseCase
from app.infrastructure.persistence import MongoAttackRepository


class DependencyContainer:  # wires the application by hand: the composition root's
    def __init__(self) -> None:
        database = AsyncIOMotorClient("mongodb://db")["rmu"]
        attacks = MongoAttackRepository(database)
        self.create_attack = CreateAttackUseCase(attacks)
        self.delete_attack = DeleteAttackUseCase(attacks)


container = DependencyContainer()
# file: app/interfaces/http/attack_controller.py
from fastapi import APIRouter

from app.infrastructure.dependency_container import container

router = APIRouter()


@router.post("/attacks/{attack_id}")
async def create_attack(attack_id: str) -> dict:
    return await container.create_attack.execute(attack_id)
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass

@dataclass
class Book:
    title: str
# file: app/application/use_cases/create_book.py
from app.domain.book import Book
from app.application.ports.books import BookRepository
# file: app/application/ports/books.py
from abc import ABC
from app.domain.book import Book
# file: app/infrastructure/persistence/mongo.py
from app.application.ports.books import BookRepository
from app.domain.book import Book
""",
        """\
# file: app/application/use_cases/create_book.py
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.book import Book
# file: app/domain/book.py
class Book: ...
# file: app/main.py
from app.infrastructure.web import routers
from app.application.use_cases import create_book
# file: app/infrastructure/web/routers.py
from app.application.use_cases.create_book import Book
""",
        # Persistence mappers under `infrastructure/db/mappers` stay infrastructure, and a
        # package of ports under `contracts/repositories` (an infrastructure name) is
        # application by its content: ports, implemented elsewhere.
        """\
# file: app/contracts/repositories/books.py
from abc import ABC, abstractmethod

from app.domain.book import Book


class BookRepository(ABC):
    @abstractmethod
    def get(self, book_id: str) -> Book: ...
# file: app/contracts/repositories/authors.py
from abc import ABC, abstractmethod


class AuthorRepository(ABC):
    @abstractmethod
    def names(self) -> list[str]: ...
# file: app/domain/book.py
from dataclasses import dataclass


@dataclass
class Book:
    title: str
# file: app/infrastructure/db/mappers/book_mapper.py
from app.domain.book import Book
from app.infrastructure.db.models import BookRow


def to_book(row: BookRow) -> Book:
    return Book(row.title)
# file: app/infrastructure/db/models.py
from sqlalchemy.orm import DeclarativeBase


class BookRow(DeclarativeBase):
    __tablename__ = "books"
# file: app/infrastructure/db/books.py
from sqlalchemy.orm import Session

from app.contracts.repositories.authors import AuthorRepository
from app.contracts.repositories.books import BookRepository
from app.infrastructure.db.mappers.book_mapper import to_book
from app.infrastructure.db.models import BookRow


class SqlBookRepository(BookRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, book_id: str):
        return to_book(self.session.get(BookRow, book_id))


class SqlAuthorRepository(AuthorRepository):
    def names(self) -> list[str]:
        return []
# file: app/application/use_cases/get_book.py
from app.contracts.repositories.books import BookRepository


class GetBook:
    def __init__(self, books: BookRepository) -> None:
        self.books = books

    def execute(self, book_id: str):
        return self.books.get(book_id)
""",
        # A settings module that only declares configuration (a `BaseSettings` class, its
        # provider, a constant) is read by the use cases, directly or through an unplaced
        # helper: configuration, not the composition root.
        """\
# file: app/core/settings.py
from functools import lru_cache

from pydantic_settings import BaseSettings

TOKEN_ALGORITHM = "HS256"


class Settings(BaseSettings):
    token_ttl_minutes: int = 30


@lru_cache
def get_settings() -> Settings:
    return Settings()
# file: app/core/tokens.py
from app.core.settings import TOKEN_ALGORITHM, get_settings
# file: app/application/use_cases/issue_token.py
from app.core.settings import Settings
from app.core.tokens import TOKEN_ALGORITHM


class IssueToken:
    def __init__(self, settings: Settings) -> None:
        self.ttl = settings.token_ttl_minutes
""",
        # A configuration package whose index chooses the settings by an `Env` enum read
        # from the environment, importing them relatively, declares configuration too.
        """\
# file: core/config/base.py
from pydantic_settings import BaseSettings


class CommonSettings(BaseSettings):
    refresh_token_minutes: int = 10080
# file: core/config/prod.py
from .base import CommonSettings


class ProdSettings(CommonSettings):
    debug: bool = False
# file: core/config/__init__.py
import os
from enum import StrEnum
from functools import lru_cache

from .base import CommonSettings
from .prod import ProdSettings


class Env(StrEnum):
    prod = "prod"
    local = "local"


def get_env() -> Env:
    return Env(os.getenv("ENV") or Env.local.value)


@lru_cache
def get_settings() -> CommonSettings:
    if get_env() is Env.prod:
        return ProdSettings()
    return CommonSettings()


config = get_settings()
# file: app/auth/application/service/auth.py
from core.config import config


class AuthService:
    def refresh_minutes(self) -> int:
        return config.refresh_token_minutes
""",
        # Flask's configuration classes (class attributes read from the environment, a
        # subclass per environment), chosen through a mapping the module holds, and the
        # unplaced constants they import: configuration too.
        """\
# file: shop/constants.py
DEFAULT_PAGE_SIZE = 20
# file: shop/config.py
import os

from shop.constants import DEFAULT_PAGE_SIZE


class Config:
    ORDER_SERVICE_URL = os.getenv("ORDER_SERVICE_URL")
    PAGE_SIZE = int(os.getenv("PAGE_SIZE", DEFAULT_PAGE_SIZE))


class TestingConfig(Config):
    ORDER_SERVICE_URL = "http://orders.test"


CONFIGS = {"testing": TestingConfig, "default": Config}
config = CONFIGS.get(os.getenv("APP_ENV", "default"), Config)
# file: shop/application/services/order_service.py
from shop.config import config


class OrderService:
    def page_size(self) -> int:
        return config.PAGE_SIZE
""",
        # A module of errors named for what they concern (`exceptions/database.py`) is no
        # adapter: a use case may catch them.
        """\
# file: app/shared/exceptions/database.py
class DatabaseUnavailable(Exception):
    def __init__(self, store: str) -> None:
        super().__init__(f"{store} is unavailable")
        self.store = store
# file: app/application/use_cases/count_copies.py
from app.shared.exceptions.database import DatabaseUnavailable
""",
        # A package index that only re-exports its own subpackages is no code of its layer:
        # `domain/usecases/` is the application's, `api_v1/` under `infrastructure/` holds
        # the web's routes, and each of them is checked on its own.
        """\
# file: app/domain/__init__.py
from . import entities as entities
from . import usecases as usecases
# file: app/domain/entities/__init__.py
# file: app/domain/entities/book.py
class Book: ...
# file: app/domain/usecases/__init__.py
# file: app/domain/usecases/lend.py
from app.domain.entities.book import Book
# file: app/infrastructure/servers/api_v1/__init__.py
from .api import get_api_router as get_api_router
from .routers import EXCEPTION_HANDLERS as EXCEPTION_HANDLERS

__all__ = ["get_api_router", "EXCEPTION_HANDLERS"]
# file: app/infrastructure/servers/api_v1/api.py
def get_api_router() -> None: ...
# file: app/infrastructure/servers/api_v1/routers.py
EXCEPTION_HANDLERS: dict[type, object] = {}
""",
        # Wiring is the composition root's wherever it is kept: a factory under `api/`
        # that builds a use case on an adapter, and an app factory that includes the
        # routers and registers a health check on the probe app it builds.
        """\
# file: app/infrastructure/api/factory/book_api_factory.py
from app.application.use_cases.lend_book import LendBook
from app.infrastructure.persistence.database import database
from app.infrastructure.persistence.sql_books import SqlBooks


class BookApiFactory:
    @staticmethod
    def lend_book() -> LendBook:
        if database.is_closed():
            database.connect()
        return LendBook(SqlBooks(database))
# file: app/infrastructure/persistence/database.py
from peewee import SqliteDatabase

database = SqliteDatabase("books.db")
# file: app/infrastructure/persistence/sql_books.py
class SqlBooks:
    def __init__(self, database) -> None:
        self.database = database
# file: app/application/use_cases/lend_book.py
class LendBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> None:
        self.books.lend(book_id)
# file: app/server.py
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

from app.infrastructure.persistence.database import database
from app.web.books import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)

    @app.exception_handler(HTTPException)
    async def on_http_error(request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.on_event("startup")
    def connect() -> None:
        database.connect()

    return app


def create_probe_app() -> FastAPI:
    probe = FastAPI()

    @probe.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return probe
# file: app/web/books.py
from fastapi import APIRouter

router = APIRouter()
""",
        # dishka `Provider`s named for what they provide (`main/dependencies/application.py`)
        # fill the container, and the module that builds the container from them is the
        # composition root's too.
        """\
# file: app/main/dependencies/application.py
from dishka import Provider, Scope, provide

from app.application.use_cases.lend_book import LendBook
from app.infrastructure.persistence.sql_books import SqlBooks


class BooksProvider(Provider):
    scope = Scope.REQUEST

    books = provide(SqlBooks)
    lend_book = provide(LendBook)
# file: app/main/dependencies/container.py
from dishka import AsyncContainer, make_async_container

from app.main.dependencies.application import BooksProvider


def build_container() -> AsyncContainer:
    return make_async_container(BooksProvider())
# file: app/infrastructure/persistence/sql_books.py
class SqlBooks:
    def lend(self, book_id: str) -> None: ...
# file: app/application/use_cases/lend_book.py
class LendBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> None:
        self.books.lend(book_id)
""",
        # A FastAPI dependency class (`RoleChecker`, whose `__call__` FastAPI resolves with
        # `Depends`) is no use case: the providers' module stays the composition's.
        """\
# file: app/api/dependencies.py
from fastapi import Depends, HTTPException

from app.application.use_cases.lend_book import LendBook
from app.infrastructure.persistence.sql_books import SqlBooks, SqlRoles


def get_current_user() -> str:
    return "reader"


def get_lend_book() -> LendBook:
    return LendBook(SqlBooks())


class RoleChecker:
    def __init__(self, allowed_roles: list[str]) -> None:
        self.allowed_roles = allowed_roles

    def __call__(self, user: str = Depends(get_current_user)) -> str:
        if not SqlRoles().has_any(user, self.allowed_roles):
            raise HTTPException(status_code=403)
        return user
# file: app/infrastructure/persistence/sql_books.py
class SqlBooks:
    def lend(self, book_id: str) -> None: ...


class SqlRoles:
    def has_any(self, user: str, roles: list[str]) -> bool:
        return bool(roles)
# file: app/application/use_cases/lend_book.py
class LendBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> None:
        self.books.lend(book_id)
""",
        # The probes declared by a helper the factory hands its app to leave `main/api/`
        # the composition root's.
        """# file: app/main/api/app_factory.py
from fastapi import FastAPI

from app.infrastructure.persistence.database import database
from app.web.books import router


def _register_routes(app: FastAPI) -> None:
    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready")
    async def ready() -> dict[str, str]:
        database.ping()
        return {"status": "ready"}

    app.include_router(router)


def make_app() -> FastAPI:
    app = FastAPI()
    _register_routes(app)
    return app
# file: app/infrastructure/persistence/database.py
class Database:
    def ping(self) -> None: ...


database = Database()
# file: app/web/books.py
from fastapi import APIRouter

router = APIRouter()
""",
        # A feature folder: `mappers/` converting entities to ORM rows is persistence, its
        # `dtos/` beside `use_cases/` are the use cases', and `http/app.py`, which builds
        # the app, is the composition root.
        """\
# file: app/stock/infra/models.py
from sqlalchemy.orm import DeclarativeBase


class CopyRow(DeclarativeBase):
    __tablename__ = "copies"
# file: app/stock/mappers/copy_mapper.py
from app.stock.infra.models import CopyRow


def to_row(book_id: str) -> CopyRow:
    return CopyRow(book_id=book_id)
# file: app/stock/infra/copies.py
from app.stock.mappers.copy_mapper import to_row
# file: app/stock/dtos/restock.py
from dataclasses import dataclass


@dataclass(frozen=True)
class RestockRequest:
    book_id: str
# file: app/stock/use_cases/restock.py
from app.stock.dtos.restock import RestockRequest
# file: app/stock/http/app.py
from fastapi import FastAPI

from app.stock.infra import copies


def create_app() -> FastAPI:
    app = FastAPI()
    app.state.copies = copies
    return app
""",
        # An app module named `application.py` is no application service, and the module
        # that builds the app is the composition root under the web's strong name too
        # (`entrypoints/`): including the routers and starting the ORM mappers is wiring.
        """\
# file: app/entrypoints/application.py
from fastapi import FastAPI

from app.adapters.db.orm import start_mappers
from app.entrypoints.api.books import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    start_mappers()
    return app
# file: app/adapters/db/orm.py
from sqlalchemy.orm import registry

mapper_registry = registry()


def start_mappers() -> None:
    mapper_registry.configure()
# file: app/entrypoints/api/books.py
from fastapi import APIRouter

router = APIRouter()
""",
        # DRF serializers and a response wrapper filed under `infrastructure/` that only the
        # web imports are web code: the view importing them imports the web.
        """\
# file: app/infrastructure/serializers/__init__.py
from .book_serializer import BookSerializer
# file: app/infrastructure/serializers/book_serializer.py
from rest_framework import serializers


class BookSerializer(serializers.Serializer):
    title = serializers.CharField()
# file: app/infrastructure/responses.py
from rest_framework.response import Response


class CreatedResponse(Response):
    def __init__(self, data: object) -> None:
        super().__init__(data, status=201)
# file: app/api/books.py
from rest_framework.views import APIView

from app.infrastructure.responses import CreatedResponse
from app.infrastructure.serializers import BookSerializer


class BooksView(APIView):
    def post(self, request) -> CreatedResponse:
        body = BookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return CreatedResponse(body.validated_data)
""",
        # A use case tried by hand: its `if __name__ == "__main__":` block wires it to the
        # adapter, but importing the module never runs that block.
        """\
# file: app/application/use_cases/lend_book.py
class LendBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> None:
        self.books.lend(book_id)


if __name__ == "__main__":
    from app.infrastructure.persistence.sql_books import SqlBooks

    LendBook(SqlBooks()).execute("978-0132350884")
# file: app/infrastructure/persistence/sql_books.py
class SqlBooks:
    def lend(self, book_id: str) -> None: ...
""",
        # A port kept beside the adapters (`shared/infra/database/unit_of_work.py`: pure
        # abstract contracts, nothing but first-party imports) that the use cases import
        # by name is the application's contract, filed in the wrong folder.
        """\
# file: billing/shared/infra/database/unit_of_work.py
from abc import ABC, abstractmethod

from billing.invoices.repos.invoices import InvoiceRepository


class UnitOfWork(ABC):
    invoices: InvoiceRepository

    @abstractmethod
    async def __aenter__(self) -> "UnitOfWork": ...

    @abstractmethod
    async def commit(self) -> None: ...
# file: billing/invoices/repos/invoices.py
from abc import ABC, abstractmethod


class InvoiceRepository(ABC):
    @abstractmethod
    async def get(self, invoice_id: str) -> object: ...
# file: billing/shared/infra/database/mongo_unit_of_work.py
from motor.motor_asyncio import AsyncIOMotorClient

from billing.shared.infra.database.unit_of_work import UnitOfWork


class MongoUnitOfWork(UnitOfWork):
    def __init__(self, client: AsyncIOMotorClient) -> None:
        self.client = client

    async def __aenter__(self) -> "MongoUnitOfWork":
        return self

    async def commit(self) -> None: ...
# file: billing/invoices/use_cases/pay_invoice.py
from billing.invoices.repos.invoices import InvoiceRepository
from billing.shared.infra.database.unit_of_work import UnitOfWork


class PayInvoice:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.invoices: InvoiceRepository = uow.invoices

    async def execute(self, invoice_id: str) -> None:
        async with self.uow:
            await self.uow.commit()
""",
        # Request models filed under `infra/schemas/` that only the routes import are the
        # web's, as the routes beside them in `infra/routes/` are.
        """\
# file: app/infra/schemas/transfer.py
from pydantic import BaseModel


class TransferRequest(BaseModel):
    payer_id: int
    payee_id: int
    amount: float
# file: app/infra/routes/transfer.py
from fastapi import APIRouter

from app.infra.schemas.transfer import TransferRequest

router = APIRouter()


@router.post("/transfers")
async def create_transfer(body: TransferRequest) -> dict:
    return {"amount": body.amount}
""",
        # A DI container kept under `infrastructure/` wires the adapters into the use cases:
        # the composition root's, which the routes may take their providers from.
        """\
# file: app/infrastructure/ioc.py
from dependency_injector import containers, providers

from app.application.get_user import GetUserUseCase
from app.infrastructure.sql_users import SqlUserRepository


class Container(containers.DeclarativeContainer):
    users = providers.Factory(SqlUserRepository)
    get_user = providers.Factory(GetUserUseCase, users=users)
# file: app/infrastructure/sql_users.py
from sqlalchemy.orm import Session


class SqlUserRepository:
    def __init__(self, session: Session | None = None) -> None:
        self.session = session
# file: app/application/get_user.py
class GetUserUseCase:
    def __init__(self, users) -> None:
        self.users = users

    def execute(self, user_id: str) -> str:
        return user_id
# file: app/web/routes.py
from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends

from app.application.get_user import GetUserUseCase
from app.infrastructure.ioc import Container

router = APIRouter()


@router.get("/users/{user_id}")
@inject
def get_user(user_id: str, use_case: GetUserUseCase = Depends(Provide[Container.get_user])) -> str:
    return use_case.execute(user_id)
""",
        # `dependencies/repositories.py` provides the repositories to the routes: the
        # composition root's, as `dependencies/database.py` is.
        """\
# file: src/api/v1/dependencies/repositories.py
from fastapi import Depends

from src.infrastructure.repositories.user_repository import UserRepositoryImpl


def get_user_repository(db=Depends(lambda: None)) -> UserRepositoryImpl:
    return UserRepositoryImpl(db)
# file: src/api/v1/endpoints/users.py
from fastapi import APIRouter, Depends

from src.api.v1.dependencies.repositories import get_user_repository

router = APIRouter()


@router.get("/users")
async def list_users(users=Depends(get_user_repository)) -> list[str]:
    return users.all()
# file: src/infrastructure/repositories/user_repository.py
class UserRepositoryImpl:
    def __init__(self, db) -> None:
        self.db = db

    def all(self) -> list[str]:
        return []
""",
        # A web name below the side the core drives (`adapters/outbound/http/`) is an
        # HTTP client's: its errors are the adapter's own, no web module.
        """\
# file: app/adapters/outbound/http/exceptions.py
class SecretNotFound(RuntimeError):
    pass
# file: app/adapters/outbound/http/secrets.py
import httpx

from app.adapters.outbound.http.exceptions import SecretNotFound
from app.core.ports import SecretsPort


class VaultSecrets(SecretsPort):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, key: str) -> str:
        response = await self.client.get(f"/secrets/{key}")
        if response.status_code == 404:
            raise SecretNotFound(key)
        return response.text
# file: app/core/ports.py
from abc import ABC, abstractmethod


class SecretsPort(ABC):
    @abstractmethod
    async def get(self, key: str) -> str: ...
""",
        # A registry of providers under the web's name: functions that take nothing and
        # return a use case built on an adapter, for the views to call. The composition
        # root's wiring, which may import the adapters.
        """\
# file: app/application/users/ports.py
from abc import ABC, abstractmethod


class UserRepository(ABC):
    @abstractmethod
    def get(self, user_id: int) -> dict | None: ...

    @abstractmethod
    def delete(self, user_id: int) -> None: ...
# file: app/application/users/rules.py
from app.application.users.ports import UserRepository


class FetchUserRule:
    def __init__(self, user_repository: UserRepository) -> None:
        self.user_repository = user_repository

    def execute(self, user_id: int) -> dict | None:
        return self.user_repository.get(user_id)


class DeleteUserRule:
    def __init__(self, user_repository: UserRepository) -> None:
        self.user_repository = user_repository

    def execute(self, user_id: int) -> None:
        self.user_repository.delete(user_id)
# file: app/infrastructure/users/repositories.py
from app.application.users.ports import UserRepository


class DjangoUserRepository(UserRepository):
    def get(self, user_id: int) -> dict | None:
        return None

    def delete(self, user_id: int) -> None:
        return None
# file: app/presentation/rule_registry.py
from app.application.users.rules import DeleteUserRule, FetchUserRule
from app.infrastructure.users.repositories import DjangoUserRepository


def get_user_repository() -> DjangoUserRepository:
    return DjangoUserRepository()


def fetch_user_rule() -> FetchUserRule:
    return FetchUserRule(user_repository=get_user_repository())


def delete_user_rule() -> DeleteUserRule:
    return DeleteUserRule(user_repository=get_user_repository())
""",
        # A weak web name right below a strong infrastructure one (`infra/http/`), over a
        # package that serves no request and drives an HTTP client, is the outbound side:
        # its clients and their transport are infrastructure, whatever `http` says.
        """\
# file: shop/app_layer/ports.py
from abc import ABC, abstractmethod


class PricingClient(ABC):
    @abstractmethod
    async def price_of(self, sku: str) -> int: ...
# file: shop/infra/http/transports/base.py
from abc import ABC, abstractmethod

from pydantic import BaseModel


class Response(BaseModel):
    status: int
    body: dict


class Transport(ABC):
    @abstractmethod
    async def get(self, url: str) -> Response: ...
# file: shop/infra/http/transports/httpx_transport.py
import httpx

from shop.infra.http.transports.base import Response, Transport


class HttpxTransport(Transport):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, url: str) -> Response:
        answer = await self.client.get(url)
        return Response(status=answer.status_code, body=answer.json())
# file: shop/infra/http/retries/base.py
from abc import ABC, abstractmethod


class RetryPolicy(ABC):
    @abstractmethod
    def delay(self, attempt: int) -> float: ...
# file: shop/infra/http/retries/backoff.py
from shop.infra.http.retries.base import RetryPolicy
from shop.infra.http.transports.base import Response


class ExponentialBackoff(RetryPolicy):
    def delay(self, attempt: int) -> float:
        return 0.1 * 2**attempt

    def gives_up(self, response: Response) -> bool:
        return response.status < 500
# file: shop/infra/http/clients/pricing.py
from shop.app_layer.ports import PricingClient
from shop.infra.http.retries.base import RetryPolicy
from shop.infra.http.transports.base import Response, Transport


class HttpPricingClient(PricingClient):
    def __init__(self, transport: Transport, retry: RetryPolicy) -> None:
        self.transport = transport
        self.retry = retry

    async def price_of(self, sku: str) -> int:
        response: Response = await self.transport.get(f"/prices/{sku}")
        return int(response.body["amount"])
""",
        # The ports' own base goes with them: `Command` is the core's contract (its handlers
        # import it by name), and so is the `Request` it derives from, in the same folder.
        """\
# file: app/infrastructure/mediator/entities/request.py
import abc
from typing import Generic, TypeVar

R = TypeVar("R")


class Request(abc.ABC, Generic[R]):
    pass
# file: app/infrastructure/mediator/entities/command.py
import abc
from typing import Generic, TypeVar

from app.infrastructure.mediator.entities.request import Request

R = TypeVar("R")


class Command(Request[R], abc.ABC, Generic[R]):
    pass
# file: app/application/user/commands/create_user.py
from dataclasses import dataclass

from app.infrastructure.mediator.entities.command import Command


@dataclass(frozen=True)
class CreateUser(Command[str]):
    username: str
""",
        # Settings written without pydantic: a frozen dataclass that checks its values,
        # built from the environment by a cached provider, and accessors returning plain
        # values read from it (`auth_token() -> str | None`). Configuration still.
        """\
# file: backend/app/settings.py
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_DB_PATH = Path(__file__).resolve().parents[1] / "data" / "records.db"


def _getenv(name: str) -> str | None:
    return os.environ.get(name)


@dataclass(frozen=True)
class Settings:
    db_path: str
    auth_token: str | None

    def __post_init__(self) -> None:
        if not self.db_path.strip():
            raise ValueError("DB_PATH cannot be empty")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings(db_path=_getenv("DB_PATH") or str(DEFAULT_DB_PATH), auth_token=_getenv("AUTH_TOKEN"))
# file: backend/app/config.py
from backend.app.settings import get_settings


def auth_token() -> str | None:
    token = (get_settings().auth_token or "").strip()
    return token or None
# file: backend/app/application/review/unlock_record.py
from backend.app.config import auth_token
from backend.app.settings import Settings


class UnlockRecord:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def execute(self, token: str) -> bool:
        return token == auth_token()
""",
        # Ports written as `typing.Protocol`s in a folder named for what they persist, and
        # implemented without naming them (structurally) by the adapters: the
        # application's ports, whatever the folder's name says.
        """\
# file: src/app/persistence/event_repository.py
from typing import Protocol


class EventRepository(Protocol):
    async def save_all(self, events: list[str]) -> int: ...

    async def find_recent(self, user_id: str) -> list[str]: ...
# file: src/app/events/save_events.py
from app.persistence.event_repository import EventRepository


class SaveEventsUseCase:
    def __init__(self, events: EventRepository) -> None:
        self.events = events

    async def execute(self, events: list[str]) -> int:
        return await self.events.save_all(events)
# file: src/app/events/recent_events.py
from app.persistence.event_repository import EventRepository


class RecentEventsUseCase:
    def __init__(self, events: EventRepository) -> None:
        self.events = events

    async def execute(self, user_id: str) -> list[str]:
        return await self.events.find_recent(user_id)
# file: src/infrastructure/database/sqla_event_repository.py
from sqlalchemy.ext.asyncio import AsyncSession


class SQLAEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save_all(self, events: list[str]) -> int:
        return len(events)

    async def find_recent(self, user_id: str) -> list[str]:
        return []
""",
        # Configuration built on a shared settings package whose generic provider returns
        # a `TypeVar` bound to `BaseSettings`, beside a `-> None` that clears its cache:
        # still only configuration, which a service may read.
        """\
# file: shared/config/base.py
import threading
from typing import TypeVar

from pydantic_settings import BaseSettings

T = TypeVar("T", bound=BaseSettings)
_lock = threading.Lock()
_cache: dict[type, BaseSettings] = {}


class BaseServiceSettings(BaseSettings):
    app_name: str = "service"


def get_settings(settings_class: type[T]) -> T:
    with _lock:
        if settings_class not in _cache:
            _cache[settings_class] = settings_class()
        return _cache[settings_class]


def clear_settings_cache() -> None:
    with _lock:
        _cache.clear()
# file: shared/config/__init__.py
from shared.config.base import BaseServiceSettings, clear_settings_cache, get_settings

__all__ = ["BaseServiceSettings", "clear_settings_cache", "get_settings"]
# file: gateway/configs/settings.py
from functools import lru_cache

from shared.config import BaseServiceSettings


class GatewaySettings(BaseServiceSettings):
    token_ttl_seconds: int = 3600


@lru_cache
def get_gateway_settings() -> GatewaySettings:
    return GatewaySettings()
# file: gateway/application/services/token_service.py
from gateway.configs.settings import GatewaySettings


class TokenService:
    def __init__(self, settings: GatewaySettings) -> None:
        self.ttl = settings.token_ttl_seconds
""",
        # FastAPI dependencies filed under infrastructure that only the web uses are the
        # web's: a bearer check calling the application's identity service (which calls
        # the provider over HTTP), a header dependency decoding the caller's JWT.
        """\
# file: gateway/infrastructure/middleware/auth_middleware.py
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.application.services.oauth_service import OAuthService

bearer = HTTPBearer()


class AuthMiddleware:
    def __init__(self, oauth: OAuthService) -> None:
        self.oauth = oauth

    async def require_auth(self, credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
        claims = await self.oauth.introspect(credentials.credentials)
        if not claims:
            raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
        return claims
# file: gateway/infrastructure/security/auth.py
import jwt
from fastapi import Header


def current_user(authorization: str = Header(...)) -> str:
    return jwt.decode(authorization, "secret", algorithms=["HS256"])["sub"]
# file: gateway/application/services/oauth_service.py
import httpx


class OAuthService:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def introspect(self, token: str) -> dict:
        return (await self.client.post("/introspect", data={"token": token})).json()
# file: gateway/api/v1/auth_controller.py
from fastapi import APIRouter, Depends

from gateway.infrastructure.security.auth import current_user
from gateway.infrastructure.middleware.auth_middleware import AuthMiddleware

router = APIRouter()


@router.get("/me")
async def me(user: str = Depends(current_user)) -> dict[str, str]:
    return {"user": user}
""",
        """\
# file: app/infrastructure/db.py
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")
# file: app/infrastructure/queue.py
import aio_pika


async def consume(handle) -> None:
    connection = await aio_pika.connect_robust("amqp://localhost/")
    await connection.close()
# file: app/api/lifespan.py
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.infrastructure.db import engine


@asynccontextmanager
async def lifespan(app: FastAPI):  # opens and closes the app's engine: the composition root's
    app.state.db_engine = engine
    yield
    await engine.dispose()
# file: app/api/app.py
from fastapi import FastAPI

from app.api.lifespan import lifespan

app = FastAPI(lifespan=lifespan)
# file: app/interfaces/cli/consume.py
import asyncio

from app.infrastructure.queue import consume


async def main() -> None:
    await consume(print)


if __name__ == "__main__":  # `python -m app.interfaces.cli.consume`: an entry point
    asyncio.run(main())
""",
        """\
# file: app/infra/database.py
class DatabaseManager:
    def __init__(self, url: str) -> None:
        self.url = url

    def create_database(self) -> None: ...
# file: app/presentation/composers/database.py
from app.infra.database import DatabaseManager


def create_database() -> None:  # a composer: the composition root's, under the web's name
    DatabaseManager("sqlite:///app.db").create_database()
""",
        # `depends/` is the providers' package as `dependencies/` is: the provider that
        # builds a use case on its repository for FastAPI is the composition's wiring.
        """\
# file: src/presentation/http/users/depends/crud_case.py
from fastapi import Depends

from src.application.users import UserCrudCase
from src.infrastructure.persistence.user_repo import UserRepo
from src.presentation.http.depends.pool import get_pool


def get_crud_case(pool=Depends(get_pool)) -> UserCrudCase:
    return UserCrudCase(UserRepo(pool))
# file: src/presentation/http/depends/pool.py
from fastapi import Request


def get_pool(request: Request):
    return request.app.state.pool
# file: src/application/users.py
class UserCrudCase:
    def __init__(self, repo) -> None:
        self.repo = repo
# file: src/infrastructure/persistence/user_repo.py
class UserRepo:
    def __init__(self, pool) -> None:
        self.pool = pool

    async def get(self, user_id: int):
        async with self.pool.acquire() as connection:
            return await connection.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
""",
        # Settings on pydantic's v1 `BaseSettings` are configuration, which the application
        # may read.
        """\
# file: src/core/config.py
import os

from pydantic.v1 import BaseSettings


class Settings(BaseSettings):
    SECRET_KEY: str
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30


def get_settings():
    return Settings(_env_file=os.getenv("ENV_FILE", ".env"))
# file: src/board/application/auth/auth_service.py
from src.core.config import get_settings


class AuthService:
    def __init__(self, clock) -> None:
        self.clock = clock
        self.expiry = get_settings().ACCESS_TOKEN_EXPIRE_MINUTES

    def execute(self, user_id: int) -> dict:
        return {"sub": user_id, "exp": self.clock() + self.expiry * 60}
""",
        # An enterprise/application split inside each context (`domain/users/application/`):
        # the composer that builds its services on the adapters is the composition's, which
        # the routes may import.
        """\
# file: src/domain/users/enterprise/user.py
class User:
    def __init__(self, email: str) -> None:
        if "@" not in email:
            raise ValueError(email)
        self.email = email
# file: src/domain/users/application/services/create_user_service.py
from src.domain.users.enterprise.user import User


class CreateUserService:
    def __init__(self, repository) -> None:
        self.repository = repository

    def execute(self, email: str) -> User:
        user = User(email)
        self.repository.add(user)
        return user
# file: src/infra/database/users_repository.py
class UsersRepository:
    def __init__(self, connection) -> None:
        self.connection = connection

    def add(self, user) -> None:
        self.connection.execute("INSERT INTO users (email) VALUES (?)", (user.email,))
# file: src/infra/composer/create_user_composer.py
from src.domain.users.application.services.create_user_service import CreateUserService
from src.infra.database.users_repository import UsersRepository


def create_user_composer(connection) -> CreateUserService:
    return CreateUserService(UsersRepository(connection))
# file: src/infra/routes/user_routes.py
from flask import Blueprint, request

from src.infra.composer.create_user_composer import create_user_composer

users = Blueprint("users", __name__)


@users.route("/users", methods=["POST"])
def create_user():
    user = create_user_composer(request.environ["db"]).execute(request.json["email"])
    return {"email": user.email}, 201
""",
        # A `domain/` that holds the whole core: below it, the adapters' names place their
        # layers (`domain/adapters/controllers/` is the web's, `domain/configs/` the
        # composition's), so the controller may import the use case's port and the factory
        # may wire them.
        """\
# file: domain/usecases/ports/teams_port.py
from abc import ABC, abstractmethod


class ManageTeamsPort(ABC):
    @abstractmethod
    def create_team(self, name: str) -> int: ...
# file: domain/usecases/manage_teams_use_case.py
from domain.usecases.ports.teams_port import ManageTeamsPort


class ManageTeamsUseCase(ManageTeamsPort):
    def __init__(self, repository) -> None:
        self.repository = repository

    def create_team(self, name: str) -> int:
        return self.repository.add(name)
# file: domain/adapters/controllers/teams_controller.py
from domain.usecases.ports.teams_port import ManageTeamsPort


class TeamsController:
    def __init__(self, use_case: ManageTeamsPort) -> None:
        self.use_case = use_case

    def create(self, payload: dict) -> dict:
        return {"id": self.use_case.create_team(payload["name"])}
# file: domain/configs/controller_factory.py
from domain.adapters.controllers.teams_controller import TeamsController
from domain.usecases.manage_teams_use_case import ManageTeamsUseCase


def teams_controller(repository) -> TeamsController:
    return TeamsController(ManageTeamsUseCase(repository))
""",
        # A module's own name below `domain/` names what it holds, not a layer: the entity
        # module `application.py` (a server's installed applications) is the domain's.
        """\
# file: server/domain/entities/application.py
from dataclasses import dataclass


@dataclass
class Application:
    name: str
    version: str

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("an application has a name")
# file: server/domain/repositories/application_repository.py
from abc import ABC, abstractmethod

from server.domain.entities.application import Application


class ApplicationRepository(ABC):
    @abstractmethod
    def get(self, name: str) -> Application: ...
""",
        # Business words below `domain/`: a `Presentation` entity's module and a shipping
        # line's `container/` aggregate are the domain's, whatever layer the word names.
        """\
# file: slides/domain/presentation.py
from dataclasses import dataclass


@dataclass
class Presentation:
    title: str

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("a presentation has a title")
# file: slides/domain/deck.py
from slides.domain.presentation import Presentation


class Deck:
    def __init__(self, presentation: Presentation) -> None:
        self.presentation = presentation
# file: shipping/domain/container/entity.py
from dataclasses import dataclass


@dataclass
class Container:
    code: str

    def __post_init__(self) -> None:
        if len(self.code) != 11:
            raise ValueError("an ISO 6346 code has 11 characters")
# file: shipping/domain/vessel/entity.py
from shipping.domain.container.entity import Container


class Vessel:
    def __init__(self, containers: list[Container]) -> None:
        self.containers = containers
""",
        # Request/response models and the mappers between them and the application's DTOs,
        # filed under `infrastructure/`, serve only the web: they are the web's.
        """\
# file: src/api/routes/accounts.py
from fastapi import APIRouter

from src.application.services.accounts import AccountService
from src.infrastructure.mappers.account import AccountSchemaMapper
from src.infrastructure.schemas.account import AccountCreateRequest, AccountResponse

router = APIRouter()


@router.post("/accounts")
async def open_account(request: AccountCreateRequest, service: AccountService) -> AccountResponse:
    dto = await service.open(AccountSchemaMapper.from_create_request(request))
    return AccountSchemaMapper.to_response(dto)
# file: src/infrastructure/schemas/account.py
from decimal import Decimal

from pydantic import BaseModel


class AccountCreateRequest(BaseModel):
    bank_id: int


class AccountResponse(BaseModel):
    id: int
    balance: Decimal
# file: src/infrastructure/mappers/account.py
from src.application.dtos.account import AccountCreateDTO, AccountReadDTO
from src.infrastructure.schemas.account import AccountCreateRequest, AccountResponse


class AccountSchemaMapper:
    @staticmethod
    def to_response(dto: AccountReadDTO) -> AccountResponse:
        return AccountResponse(id=dto.id, balance=dto.balance)

    @staticmethod
    def from_create_request(request: AccountCreateRequest) -> AccountCreateDTO:
        return AccountCreateDTO(bank_id=request.bank_id)
# file: src/infrastructure/repositories/accounts.py
import asyncpg

from src.application.dtos.account import AccountCreateDTO, AccountReadDTO


class PostgresAccountRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def add(self, account: AccountCreateDTO) -> AccountReadDTO:
        row = await self.connection.fetchrow("INSERT INTO accounts (bank_id) VALUES ($1) RETURNING *", 1)
        return AccountReadDTO(id=row["id"], balance=row["balance"])
# file: src/application/dtos/account.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class AccountCreateDTO:
    bank_id: int


@dataclass(frozen=True)
class AccountReadDTO:
    id: int
    balance: Decimal
# file: src/application/services/accounts.py
from src.application.dtos.account import AccountCreateDTO, AccountReadDTO


class AccountService:
    def __init__(self, accounts) -> None:
        self.accounts = accounts

    async def open(self, account: AccountCreateDTO) -> AccountReadDTO:
        return await self.accounts.add(account)
""",
        # A DI container filled with the adapters, in a module of its own under an application
        # name (`logic/init.py`): the composition root, which may import them.
        """\
# file: app/logic/init.py
from functools import lru_cache

from punq import Container, Scope

from app.infrastructure.repositories.users.base import BaseUserRepository
from app.infrastructure.repositories.users.mongo import MongoUserRepository
from app.logic.commands.users import CreateUserCommandHandler


@lru_cache(1)
def init_container() -> Container:
    container = Container()
    container.register(BaseUserRepository, MongoUserRepository, scope=Scope.singleton)
    container.register(CreateUserCommandHandler)
    return container
# file: app/logic/commands/users.py
from dataclasses import dataclass

from app.infrastructure.repositories.users.base import BaseUserRepository


@dataclass(frozen=True)
class CreateUserCommand:
    username: str


@dataclass(frozen=True)
class CreateUserCommandHandler:
    users: BaseUserRepository

    async def handle(self, command: CreateUserCommand) -> None:
        await self.users.add(command.username)
# file: app/infrastructure/repositories/users/base.py
from abc import ABC, abstractmethod


class BaseUserRepository(ABC):
    @abstractmethod
    async def add(self, username: str) -> None: ...
# file: app/infrastructure/repositories/users/mongo.py
from motor.motor_asyncio import AsyncIOMotorCollection

from app.infrastructure.repositories.users.base import BaseUserRepository


class MongoUserRepository(BaseUserRepository):
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self.collection = collection

    async def add(self, username: str) -> None:
        await self.collection.insert_one({"username": username})
""",
        # Clean Architecture's interactors are the use cases: importing the gateway port they
        # are handed is inward (`core/interactors/`, whatever their response classes look like).
        """\
# file: src/payroll/core/records.py
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


class InvalidHours(Exception):
    pass


@dataclass
class RegisteredHours:
    worker: UUID
    company: UUID
    hours: Decimal

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise InvalidHours(self.hours)
# file: src/payroll/core/repositories.py
from typing import Protocol
from uuid import UUID

from src.payroll.core.records import RegisteredHours


class DatabaseGateway(Protocol):
    def add_registered_hours(self, hours: RegisteredHours) -> None: ...

    def is_member(self, worker: UUID, company: UUID) -> bool: ...
# file: src/payroll/core/interactors/register_hours_worked.py
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from enum import Enum, auto

from src.payroll.core.records import RegisteredHours
from src.payroll.core.repositories import DatabaseGateway


@dataclass
class RegisterHoursWorkedResponse:
    class RejectionReason(Exception, Enum):
        worker_not_at_company = auto()

    rejection_reason: RejectionReason | None

    @property
    def is_rejected(self) -> bool:
        return self.rejection_reason is not None


@dataclass
class RegisterHoursWorkedInteractor:
    database: DatabaseGateway

    def execute(self, worker: UUID, company: UUID, hours: Decimal) -> RegisterHoursWorkedResponse:
        if not self.database.is_member(worker, company):
            reason = RegisterHoursWorkedResponse.RejectionReason.worker_not_at_company
            return RegisterHoursWorkedResponse(rejection_reason=reason)
        self.database.add_registered_hours(RegisteredHours(worker, company, hours))
        return RegisterHoursWorkedResponse(rejection_reason=None)
# file: src/payroll/core/interactors/remove_worker.py
from dataclasses import dataclass
from uuid import UUID

from src.payroll.core.repositories import DatabaseGateway


@dataclass
class RemoveWorkerInteractor:
    database: DatabaseGateway

    def execute(self, worker: UUID, company: UUID) -> bool:
        return self.database.is_member(worker, company)
""",
        # A composition root's `main/usecases/` holds the factories that build each use
        # case on its adapters, not use cases: the composition's, whatever `usecases` says.
        """\
# file: src/main/usecases/make_db_add_account.py
from src.data.usecases.db_add_account import DbAddAccount
from src.infra.cryptography.bcrypt_adapter import BCryptAdapter
from src.infra.db.firebase.account_repository import AccountFirebaseRepository


def make_db_add_account() -> DbAddAccount:
    repository = AccountFirebaseRepository()
    return DbAddAccount(accounts=repository, hasher=BCryptAdapter())
# file: src/main/usecases/make_login_validation.py
from src.presentation.contracts import Validation
from src.utils.email_validator_adapter import EmailValidatorAdapter
from src.validation.validators import EmailValidation, RequiredFieldValidation, ValidationComposite

fields = ["email", "password"]


def make_login_validation() -> ValidationComposite:
    validations: list[Validation] = [RequiredFieldValidation(field_name=field) for field in fields]
    validations.append(EmailValidation("email", EmailValidatorAdapter()))
    return ValidationComposite(validations)
# file: src/validation/validators.py
from src.presentation.contracts import Validation


class RequiredFieldValidation(Validation):
    def __init__(self, field_name: str) -> None:
        self.field_name = field_name


class EmailValidation(Validation):
    def __init__(self, field_name: str, email_validator: object) -> None:
        self.field_name = field_name
        self.email_validator = email_validator


class ValidationComposite(Validation):
    def __init__(self, validations: list) -> None:
        self.validations = validations
# file: src/utils/email_validator_adapter.py
class EmailValidatorAdapter:
    def is_valid(self, email: str) -> bool:
        return "@" in email
# file: src/presentation/contracts.py
from abc import ABC, abstractmethod


class Validation(ABC):
    @abstractmethod
    def validate(self, data: dict) -> Exception | None: ...
# file: src/data/usecases/db_add_account.py
from src.data.contracts.db.account import AddAccountRepository


class DbAddAccount:  # imports its port through the package that re-exports it
    def __init__(self, accounts: AddAccountRepository, hasher: object) -> None:
        self.accounts = accounts
        self.hasher = hasher

    def add(self, email: str, password: str) -> None:
        self.accounts.add({"email": email, "password": password})
# file: src/data/contracts/db/account/__init__.py
from .add_account_repository import AddAccountRepository
# file: src/data/contracts/db/account/add_account_repository.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class AddAccountRepository(ABC):  # a contract about a database, not an adapter of one
    @abstractmethod
    def add(self, data: dict) -> None:
        raise NotImplementedError
# file: src/infra/cryptography/bcrypt_adapter.py
import bcrypt


class BCryptAdapter:
    def hash(self, value: str) -> bytes:
        return bcrypt.hashpw(value.encode(), bcrypt.gensalt())
# file: src/infra/db/firebase/account_repository.py
from firebase_admin import firestore

from src.data.contracts.db.account import AddAccountRepository


class AccountFirebaseRepository(AddAccountRepository):
    def add(self, data: dict) -> None:
        firestore.client().collection("accounts").add(data)
""",
        # The glue between Flask's request and the controllers, kept in the composition
        # root's `main/adapter/`: it imports only the web's contracts and only the routes
        # import it, so it is the web's, not an infrastructure adapter.
        """\
# file: src/main/adapter/__init__.py
from .flask_adapter import flask_adapter
# file: src/main/adapter/flask_adapter.py
from src.presentation.protocols.controller import Controller
from src.presentation.protocols.http import HttpRequest


def flask_adapter(request, api_controller: Controller) -> tuple[dict, int]:
    body = None if request.method == "GET" else request.json
    response = api_controller.handle(HttpRequest(headers=request.headers, body=body))
    return {"data": response["body"]}, response["status_code"]
# file: src/main/routes/login_route.py
from flask import Blueprint, request

from src.main.adapter import flask_adapter
from src.presentation.controllers.login_controller import LoginController

login_routes = Blueprint("login", __name__)


@login_routes.route("/login", methods=["POST"])
def login():
    return flask_adapter(request, LoginController())
# file: src/presentation/protocols/controller.py
from abc import ABC, abstractmethod


class Controller(ABC):
    @abstractmethod
    def handle(self, request): ...
# file: src/presentation/protocols/http.py
from dataclasses import dataclass


@dataclass
class HttpRequest:
    headers: dict
    body: dict | None = None
# file: src/presentation/controllers/login_controller.py
from src.presentation.protocols.controller import Controller


class LoginController(Controller):
    def handle(self, request):
        return {"body": {"token": "t"}, "status_code": 200}
""",
        # An app factory in `api/` that includes the routers, starts the adapters in its
        # lifespan and answers `/` with the API's name: the composition root, which may
        # import the infrastructure.
        """\
# file: backend/api/app_factory.py
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routers import health
from infrastructure.seed import seed_database


def create_fastapi_app() -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await seed_database()
        yield

    app = FastAPI(title="IntelliPost", lifespan=lifespan)
    app.include_router(health.router)

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"message": "IntelliPost API", "version": "1.0.0", "docs": "/docs"}

    return app
# file: backend/api/routers/health.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
# file: backend/infrastructure/seed.py
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine("postgresql+asyncpg://app@localhost/app")


async def seed_database() -> None:
    async with engine.begin() as connection:
        await connection.execute(text("insert into plans(name) values ('free')"))
""",
        # A mutable `ConcertEvent` entity is no bus's message: a domain service taking it
        # and a pricing strategy is the domain's, and the entity may use it.
        """\
# file: ticketing/booking.py
from dataclasses import dataclass

from ticketing.concert import ConcertEvent
from ticketing.pricing import PricingPolicy, ticket_price


@dataclass
class Booking:
    id: str
    concert: ConcertEvent
    seats: int
    total: int = 0

    def confirm(self, policy: PricingPolicy) -> None:
        if self.seats <= 0:
            raise ValueError("no seats")
        self.concert.sell(self.seats)
        self.total = self.seats * ticket_price(self.concert, policy)
# file: ticketing/concert.py
from dataclasses import dataclass
from datetime import datetime


@dataclass
class ConcertEvent:  # a concert the box office sells seats for

    id: str
    starts_at: datetime
    capacity: int
    sold: int = 0

    def sell(self, seats: int) -> None:
        if self.sold + seats > self.capacity:
            raise SoldOut(self.id)
        self.sold += seats

    def occupancy(self) -> float:
        return self.sold / self.capacity


class SoldOut(Exception):
    pass
# file: ticketing/pricing.py
import abc

from ticketing.concert import ConcertEvent


class PricingPolicy(abc.ABC):
    @abc.abstractmethod
    def base_price(self, event: ConcertEvent) -> int: ...

    @abc.abstractmethod
    def surge_factor(self, occupancy: float) -> float: ...


class FlatPricing(PricingPolicy):
    def __init__(self, price: int) -> None:
        self._price = price

    def base_price(self, event: ConcertEvent) -> int:
        return self._price

    def surge_factor(self, occupancy: float) -> float:
        return 1.0


def ticket_price(event: ConcertEvent, policy: PricingPolicy) -> int:
    # The price of one seat: the policy's base price, raised as the hall fills.
    return round(policy.base_price(event) * policy.surge_factor(event.occupancy()))
""",
        # Cockburn's primary (driving) adapters below `adapters/` are the web: a router may
        # use the decorators its package re-exports.
        """\
# file: packages/adapters/src/adapters/__init__.py
# file: packages/adapters/src/adapters/primary/__init__.py
from .decorators import exception_decorator
from .middlewares import auth_middleware
# file: packages/adapters/src/adapters/primary/decorators.py
import functools


def exception_decorator(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)

    return wrapper
# file: packages/adapters/src/adapters/primary/middlewares.py
async def auth_middleware(request, call_next):
    return await call_next(request)
# file: packages/adapters/src/adapters/primary/routers/__init__.py
# file: packages/adapters/src/adapters/primary/routers/accounts.py
from fastapi import APIRouter

from adapters.primary import exception_decorator

router = APIRouter()


@router.get("/accounts/me")
@exception_decorator
async def me() -> dict:
    return {}
""",
        # A module named `primary` is no side of the hexagon: `adapters/primary.py` beside
        # `replica.py` opens the primary database.
        """\
# file: app/adapters/primary.py
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

PrimarySession = sessionmaker(bind=create_engine("postgresql://primary/shop"))
# file: app/adapters/order_repository.py
from app.adapters.primary import PrimarySession


class SqlOrderRepository:
    def add(self, order: object) -> None:
        with PrimarySession() as session:
            session.add(order)
""",
        # Litestar's app factory hands the routes kept elsewhere to the app's constructor
        # (`route_handlers=[...]`) and wires the adapters: the composition root, though
        # filed under `presentation/`.
        """\
# file: src/infrastructure/auth.py
import jwt


class JwtAuthService:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    def user_id(self, token: str) -> int:
        return int(jwt.decode(token, self.secret, algorithms=["HS256"])["sub"])
# file: src/presentation/api/routes.py
from litestar import Router, get


@get("/me")
async def me(user_id: int) -> dict[str, int]:
    return {"id": user_id}


api = Router(path="/api", route_handlers=[me])
# file: src/presentation/api/app.py
from litestar import Litestar

from src.infrastructure.auth import JwtAuthService
from src.presentation.api.routes import api


def create_app() -> Litestar:
    auth = JwtAuthService("secret")
    app = Litestar(route_handlers=[api])
    app.state.auth = auth
    return app
""",
        # Framework-free records in `contracts/dtos.py` that the module's port returns are
        # what the application's port exchanges, not web models: the port and its adapter
        # may import them.
        """\
# file: src/modules/auth/contracts/dtos.py
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class AuthAccountDto:
    id: UUID
    email: str
# file: src/modules/auth/contracts/module_port.py
from abc import ABC, abstractmethod
from uuid import UUID

from auth.contracts.dtos import AuthAccountDto


class AuthModulePort(ABC):
    @abstractmethod
    async def get_account(self, account_id: UUID) -> AuthAccountDto: ...
# file: src/modules/auth/infrastructure/module_adapter.py
from uuid import UUID

from auth.contracts.dtos import AuthAccountDto
from auth.contracts.module_port import AuthModulePort


class AuthModuleAdapter(AuthModulePort):
    async def get_account(self, account_id: UUID) -> AuthAccountDto:
        return AuthAccountDto(id=account_id, email="")
""",
        # The routes kept inside the project's `infrastructure/` take the session
        # provider their `Depends` calls from beside them: the outer ring of Clean
        # Architecture holds the web and the database alike, as the author drew it.
        """\
# file: app/infrastructure/database/connection.py
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql://localhost/buses")
SessionLocal = sessionmaker(bind=engine)


def get_database_session() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()
# file: app/infrastructure/web/routers/health.py
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.infrastructure.database.connection import get_database_session

router = APIRouter(prefix="/health")


@router.get("/database")
def database_health(session: Session = Depends(get_database_session)) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"database": "up"}
""",
        # The routes kept inside the project's `infrastructure/` take a logger, a token
        # helper and their request models from beside them: none of those modules
        # implements a port or reaches a database or a client, so they are the outer
        # ring's own tools, not the web using the adapters.
        """\
# file: app/infrastructure/logging/logger.py
import logging


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    return logger
# file: app/infrastructure/security/jwt_handler.py
import jwt

SECRET = "change-me"


def issue_token(subject: str) -> str:
    return jwt.encode({"sub": subject}, SECRET, algorithm="HS256")
# file: app/infrastructure/database/schemas/user.py
from pydantic import BaseModel


class LoginRequest(BaseModel):
    email: str
    password: str


class TokenResponse(BaseModel):
    access_token: str
# file: app/infrastructure/api/auth.py
from fastapi import APIRouter

from app.infrastructure.database.schemas.user import LoginRequest, TokenResponse
from app.infrastructure.logging.logger import get_logger
from app.infrastructure.security.jwt_handler import issue_token

router = APIRouter(prefix="/auth")
logger = get_logger(__name__)


@router.post("/login")
def login(request: LoginRequest) -> TokenResponse:
    logger.info("login %s", request.email)
    return TokenResponse(access_token=issue_token(request.email))
""",
        # A Clean Architecture course's layout: the controllers and their HTTP helpers in
        # `presenters/`, and the composition root's `main/adapter/` turning Flask's request
        # into the controllers' own: both the web's, so its routes may use them.
        """\
# file: src/presenters/helpers/http_models.py
from dataclasses import dataclass, field


@dataclass
class HttpRequest:
    body: dict[str, object] = field(default_factory=dict)
    view_args: dict[str, object] = field(default_factory=dict)


@dataclass
class HttpResponse:
    status_code: int
    body: object
# file: src/presenters/controllers/register_pet_controller.py
from src.presenters.helpers.http_models import HttpRequest, HttpResponse


class RegisterPetController:
    def __init__(self, register_pet) -> None:
        self._register_pet = register_pet

    def route(self, http_request: HttpRequest) -> HttpResponse:
        pet = self._register_pet.register(**http_request.body)
        return HttpResponse(status_code=201, body=pet)
# file: src/main/adapter/api_adapter.py
from src.presenters.helpers.http_models import HttpRequest, HttpResponse


def flask_adapter(request, api_route) -> HttpResponse:
    http_request = HttpRequest(body=request.get_json(silent=True) or {}, view_args=request.view_args)
    return api_route.route(http_request)
# file: src/main/routes/api_route.py
from flask import Blueprint, jsonify, request

from src.main.adapter.api_adapter import flask_adapter
from src.main.composer.register_pet_composite import register_pet_composer

api_routes_bp = Blueprint("api_routes", __name__)


@api_routes_bp.route("/api/pets", methods=["POST"])
def register_pet():
    response = flask_adapter(request=request, api_route=register_pet_composer())
    return jsonify(response.body), response.status_code
# file: src/main/composer/register_pet_composite.py
from src.presenters.controllers.register_pet_controller import RegisterPetController


def register_pet_composer() -> RegisterPetController:
    return RegisterPetController(register_pet=None)
""",
        # The controllers' own contract over the team's framework-free HTTP request and
        # response, kept in the composition root's `main/interface/`: the web's contract,
        # not a port of the application, so it may name the presenters' types.
        """\
# file: src/presenters/helpers/http_models.py
from dataclasses import dataclass


@dataclass
class HttpRequest:
    body: dict[str, object]


@dataclass
class HttpResponse:
    status_code: int
    body: object
# file: src/main/interface/route.py
from abc import ABC, abstractmethod

from src.presenters.helpers.http_models import HttpRequest, HttpResponse


class RouteInterface(ABC):
    @abstractmethod
    def route(self, http_request: HttpRequest) -> HttpResponse:
        raise NotImplementedError
# file: src/presenters/controllers/find_user_controller.py
from src.main.interface.route import RouteInterface
from src.presenters.helpers.http_models import HttpRequest, HttpResponse


class FindUserController(RouteInterface):
    def __init__(self, find_user) -> None:
        self._find_user = find_user

    def route(self, http_request: HttpRequest) -> HttpResponse:
        return HttpResponse(status_code=200, body=self._find_user.by_id(http_request.body["id"]))
""",
        # A command-line script that wires its own adapters in the function its
        # `if __name__ == "__main__":` block runs: those imports are the script's, as the
        # block's own are, not a dependency of the module.
        """\
# file: app/adapters/inbound/cli/ingest.py
import argparse
import asyncio

from app.application.ingest_documents import IngestDocuments


class IngestCLI:
    def __init__(self, use_case: IngestDocuments) -> None:
        self._use_case = use_case

    async def run(self, folder: str) -> None:
        count = await self._use_case.execute(folder)
        print(f"{count} documents ingested from {folder}")


async def _build_cli() -> IngestCLI:
    from app.adapters.outbound.postgres.document_repo import PostgresDocumentRepository

    return IngestCLI(IngestDocuments(PostgresDocumentRepository("postgresql://localhost/docs")))


async def _run(folder: str) -> None:
    cli = await _build_cli()
    await cli.run(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    asyncio.run(_run(parser.parse_args().folder))


if __name__ == "__main__":
    main()
# file: app/application/ingest_documents.py
class IngestDocuments:
    def __init__(self, documents) -> None:
        self._documents = documents

    async def execute(self, folder: str) -> int:
        return await self._documents.add(folder)
# file: app/adapters/outbound/postgres/document_repo.py
class PostgresDocumentRepository:
    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    async def add(self, folder: str) -> int:
        return 0
""",
        # A module named `repository.py` is as often the contract as the adapter: beside
        # `interfaces/`, holding the abstract repository, it places nothing by its name.
        """\
# file: pca/interfaces/repository.py
from abc import ABC, abstractmethod


class IRepository(ABC):
    @abstractmethod
    def find(self, id_: str) -> dict: ...
# file: pca/domain/catalog.py
from pca.interfaces.repository import IRepository


class Catalog:
    def __init__(self, items: IRepository) -> None:
        self.items = items
""",
        # A notifier that sends through a chat bot takes no update from it: no handler of
        # the driving side, so `bot/notify.py` is placed by nothing and reported by nothing.
        """\
# file: bot/notify.py
from aiogram import Bot

from app.infrastructure.db import session_factory


async def notify_admins(bot: Bot, text: str) -> None:
    async with session_factory() as session:
        for admin_id in await session.scalars("select id from admins"):
            await bot.send_message(admin_id, text)
# file: app/infrastructure/db.py
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

session_factory = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
""",
        # Tables beside a use case in one module are not tables alone: the module shows the
        # application as much as persistence, places nothing, and importing it is not reported
        # (a module of tables alone is the infrastructure's: INVALID, the Django app's models).
        """\
# file: billing/ledger.py
from sqlalchemy import Column, Integer
from sqlalchemy.orm import DeclarativeBase

from application.ports import InvoiceRepository


class Base(DeclarativeBase):
    pass


class Invoice(Base):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)


class PayInvoice:
    def __init__(self, invoices: InvoiceRepository) -> None:
        self.invoices = invoices

    def execute(self, invoice_id: int) -> None:
        self.invoices.pay(invoice_id)
# file: application/ports.py
from abc import ABC, abstractmethod


class InvoiceRepository(ABC):
    @abstractmethod
    def pay(self, invoice_id: int) -> None: ...
# file: application/monthly_report.py
from billing.ledger import PayInvoice


class MonthlyReport:
    def __init__(self, pay: PayInvoice) -> None:
        self.pay = pay

    def execute(self, invoice_id: int) -> None:
        self.pay.execute(invoice_id)
""",
        # A logging module whose formatter sits beside a request-id middleware is logging's,
        # not the web's: it places nothing, and what it imports is not reported.
        """\
# file: app/core/logging.py
import logging

from starlette.middleware.base import BaseHTTPMiddleware

from app.infrastructure.tracing import current_trace_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f'{{"trace": "{current_trace_id()}", "msg": "{record.getMessage()}"}}'


class RequestIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        response.headers["x-trace-id"] = current_trace_id()
        return response
# file: app/infrastructure/tracing.py
from opentelemetry import trace


def current_trace_id() -> str:
    return format(trace.get_current_span().get_span_context().trace_id, "032x")
""",
        # One module of Pydantic models beside a use case's package places nothing: such
        # models are found in every layer, unlike ORM tables.
        """\
# file: catalog/records.py
from pydantic import BaseModel


class CourseRecord(BaseModel):
    title: str
# file: application/use_cases/list_courses.py
from catalog.records import CourseRecord


class ListCourses:
    def execute(self) -> list[CourseRecord]:
        return [CourseRecord(title="DDD")]
""",
        # A helper taking the request and the error but answering with a plain dict is no
        # exception handler: it places nothing, and what it imports is not reported.
        """\
# file: app/core/error_report.py
from fastapi import Request

from app.infrastructure.sentry import capture


def describe_failure(request: Request, exc: Exception) -> dict[str, str]:
    capture(exc)
    return {"path": request.url.path, "error": type(exc).__name__}
# file: app/infrastructure/sentry.py
import sentry_sdk


def capture(exc: Exception) -> None:
    sentry_sdk.capture_exception(exc)
""",
        # Nor is Django REST framework's `exception_handler(exc, context)`, which is handed
        # no request: a module of errors with one is not made the web's, and the
        # repositories raising its errors are not reported.
        """\
# file: apps/core/exceptions.py
from rest_framework.response import Response
from rest_framework.views import exception_handler


class NotFoundError(Exception):
    status_code = 404


def custom_exception_handler(exc, context) -> Response:
    if isinstance(exc, NotFoundError):
        return Response({"detail": str(exc)}, status=exc.status_code)
    return exception_handler(exc, context)
# file: apps/infrastructure/users/repositories.py
from apps.core.exceptions import NotFoundError


class UserRepository:
    def __init__(self, connection) -> None:
        self._connection = connection

    def get(self, user_id: int) -> dict:
        row = self._connection.execute("select * from users where id = %s", (user_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"user {user_id}")
        return row
""",
        # A handler beside the table it records failures in shows the infrastructure too:
        # the module is persistence's, and its session factory is no import past the core.
        """\
# file: app/core/failures.py
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

from app.infrastructure.db import session_factory

Base = declarative_base()


class FailureRow(Base):
    __tablename__ = "failures"

    id = Column(Integer, primary_key=True)
    path = Column(String)


async def record_and_answer(request: Request, exc: Exception) -> JSONResponse:
    async with session_factory() as session:
        session.add(FailureRow(path=request.url.path))
        await session.commit()
    return JSONResponse(status_code=500, content={"detail": "internal error"})
# file: app/infrastructure/db.py
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

session_factory = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
""",
        # A logging module with a function middleware beside `get_logger` is logging's: it
        # places nothing, and the use cases taking its logger are not reported.
        """\
# file: app/core/logging.py
import logging
import uuid

from fastapi import Request, Response


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


async def request_id_middleware(request: Request, call_next) -> Response:
    response = await call_next(request)
    response.headers["x-request-id"] = str(uuid.uuid4())
    return response
# file: app/application/use_cases/place_order.py
from app.core.logging import get_logger

logger = get_logger(__name__)


class PlaceOrder:
    def execute(self, order_id: str) -> None:
        logger.info("placing %s", order_id)
""",
        # Nor is one whose logger the use cases import, however many middleware it holds:
        # the core imports it for what is not the web's.
        """\
# file: app/core/observability.py
import logging
import time

from fastapi import Request, Response

logger = logging.getLogger("app")


async def log_requests(request: Request, call_next) -> Response:
    response = await call_next(request)
    logger.info("%s %s", request.method, response.status_code)
    return response


async def time_requests(request: Request, call_next) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    response.headers["x-elapsed"] = f"{time.perf_counter() - started:.3f}"
    return response
# file: app/application/use_cases/place_order.py
from app.core.observability import logger


class PlaceOrder:
    def execute(self, order_id: str) -> None:
        logger.info("placing %s", order_id)
""",
        # Errors beside their handler are imported for the errors: the module is not made
        # the web's, and the entity raising them is not reported (the handler is what
        # should move, which HEX101 does not say).
        """\
# file: app/core/exceptions.py
from fastapi import Request
from fastapi.responses import JSONResponse


class NotFoundError(Exception):
    pass


async def handle_not_found(request: Request, exc: NotFoundError) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": str(exc)})
# file: app/domain/order.py
from dataclasses import dataclass

from app.core.exceptions import NotFoundError


@dataclass
class Order:
    lines: list[str]

    def line(self, index: int) -> str:
        if index >= len(self.lines):
            raise NotFoundError(f"line {index}")
        return self.lines[index]
""",
        # An outbound client taking and giving `requests`' messages answers no request of
        # the app's: it places nothing, and its import of the infrastructure is not
        # reported.
        """\
# file: app/core/signing.py
import requests

from app.infrastructure.vault import signing_key


def send_signed(request: requests.Request, session: requests.Session) -> requests.Response:
    request.headers["x-signature"] = signing_key()
    return session.send(request.prepare())
# file: app/infrastructure/vault.py
import hvac


def signing_key() -> str:
    return hvac.Client().secrets.kv.read_secret("signing")["data"]["key"]
""",
        # Nor does a function handed a list of requests.
        """\
# file: app/core/batching.py
from fastapi import Request
from fastapi.responses import JSONResponse

from app.infrastructure.vault import signing_key


def batch_answer(pending: list[Request], status: int) -> JSONResponse:
    return JSONResponse(status_code=status, content={"count": len(pending), "key": signing_key()})
# file: app/infrastructure/vault.py
import hvac


def signing_key() -> str:
    return hvac.Client().secrets.kv.read_secret("signing")["data"]["key"]
""",
    )
    invalid = (
        # Django views that build their services on the adapter through private helpers:
        # the helpers look like providers, but the module serves requests, and its import
        # of the adapter is the web reaching into infrastructure.
        """\
# file: shop/application/ports.py
from abc import ABC, abstractmethod


class OrderRepository(ABC):
    @abstractmethod
    def get(self, order_id: int) -> dict | None: ...

    @abstractmethod
    def list(self) -> list[dict]: ...
# file: shop/application/services.py
from shop.application.ports import OrderRepository


class GetOrderService:
    def __init__(self, repository: OrderRepository) -> None:
        self.repository = repository

    def execute(self, order_id: int) -> dict | None:
        return self.repository.get(order_id)


class ListOrdersService:
    def __init__(self, repository: OrderRepository) -> None:
        self.repository = repository

    def execute(self) -> list[dict]:
        return self.repository.list()
# file: shop/infrastructure/repositories.py
from django.db import connection

from shop.application.ports import OrderRepository


class DjangoOrderRepository(OrderRepository):
    def get(self, order_id: int) -> dict | None:
        with connection.cursor() as cursor:
            cursor.execute("select id from orders where id = %s", [order_id])
            row = cursor.fetchone()
        return {"id": row[0]} if row else None

    def list(self) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute("select id from orders")
            return [{"id": r[0]} for r in cursor.fetchall()]
# file: shop/web/urls.py
from django.urls import path

from shop.web import views

urlpatterns = [
    path("orders/", views.order_list),
    path("orders/<int:order_id>/", views.order_detail),
]
# file: shop/web/views.py
from django.http import Http404, JsonResponse

from shop.application.services import GetOrderService, ListOrdersService
from shop.infrastructure.repositories import DjangoOrderRepository  # error: HEX101


def _get_order_service() -> GetOrderService:
    return GetOrderService(DjangoOrderRepository())


def _list_orders_service() -> ListOrdersService:
    return ListOrdersService(DjangoOrderRepository())


def order_detail(request, order_id: int):
    order = _get_order_service().execute(order_id)
    if order is None:
        raise Http404("no such order")
    return JsonResponse(order)


def order_list(request):
    return JsonResponse({"orders": _list_orders_service().execute()})
""",
        # An app factory's root route that renders the business's posts is a page of the
        # web, not a greeting: the factory serves it, and stays the web's.
        """\
# file: blog/infrastructure/models.py
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200))
    published = db.Column(db.Boolean, default=False)
    created_at = db.Column(db.DateTime)
# file: blog/web/app.py
from flask import Flask, render_template

from blog.infrastructure.models import Post, db  # error: HEX101
from blog.web.auth import auth_bp


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"
    db.init_app(app)
    app.register_blueprint(auth_bp)

    @app.route("/")
    def index():
        posts = Post.query.filter_by(published=True).order_by(Post.created_at.desc()).limit(20).all()
        return render_template("index.html", posts=posts)

    return app
# file: blog/web/auth.py
from flask import Blueprint, render_template

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")


@auth_bp.route("/login")
def login():
    return render_template("login.html")
""",
        # Command handlers written as functions (a command and the ports a bus hands them)
        # are use cases, though their folder names no layer: one that imports an adapter
        # is the application depending on the infrastructure.
        """\
# file: fastup/core/handlers/login_handler.py
from fastup.core.bus import register_command
from fastup.core.commands import LoginCommand
from fastup.core.unit_of_work import UnitOfWork
from fastup.infra.sms.kavenegar import KavenegarClient  # error: HEX101


@register_command(LoginCommand)
async def handle_login(cmd: LoginCommand, uow: UnitOfWork) -> None:
    async with uow:
        user = await uow.users.get_by_phone(cmd.phone)
        KavenegarClient().send(user.phone, "welcome back")
# file: fastup/core/handlers/signup_handler.py
from fastup.core.bus import register_command
from fastup.core.commands import SignupCommand
from fastup.core.unit_of_work import UnitOfWork


@register_command(SignupCommand)
async def handle_signup(cmd: SignupCommand, uow: UnitOfWork) -> None:
    async with uow:
        await uow.users.add(cmd.phone)
        await uow.commit()
# file: fastup/core/commands.py
from dataclasses import dataclass


@dataclass(frozen=True)
class LoginCommand:
    phone: str


@dataclass(frozen=True)
class SignupCommand:
    phone: str
# file: fastup/core/bus.py
def register_command(command_type):
    def register(handler):
        return handler

    return register
# file: fastup/core/unit_of_work.py
import abc


class UnitOfWork(abc.ABC):
    @abc.abstractmethod
    async def commit(self) -> None: ...
# file: fastup/infra/sms/kavenegar.py
import httpx


class KavenegarClient:
    def send(self, phone: str, text: str) -> None:
        httpx.post("https://api.kavenegar.com/v1/sms/send.json", data={"receptor": phone, "message": text})
""",
        # `main` is this project's root package, not a composition root below it: a factory
        # in its application layer that builds an adapter is the application's import.
        """\
# file: main/application/notifications.py
from main.infrastructure.smtp_mailer import SmtpMailer  # error: HEX101

RECIPIENTS = ["ops@example.com"]


def default_mailer() -> SmtpMailer:
    return SmtpMailer()
# file: main/infrastructure/smtp_mailer.py
import smtplib


class SmtpMailer:
    def send(self, to: str, body: str) -> None:
        with smtplib.SMTP("localhost") as server:
            server.sendmail("shop@example.com", to, body)
""",
        # An adapter over an SDK (`stripe`) that the routes call and that takes the web's
        # schemas is an adapter all the same, not glue of the web's.
        """\
# file: app/adapters/stripe_gateway.py
import stripe

from app.api.schemas import ChargeIn, ChargeOut  # error: HEX101


def charge(payload: ChargeIn) -> ChargeOut:
    result = stripe.Charge.create(customer=payload.customer_id, amount=payload.amount, currency="eur")
    return ChargeOut(charge_id=result["id"], status=result["status"])
# file: app/api/routes.py
from fastapi import APIRouter

from app.adapters.stripe_gateway import charge  # error: HEX101
from app.api.schemas import ChargeIn, ChargeOut

router = APIRouter()


@router.post("/charges", response_model=ChargeOut)
def create_charge(body: ChargeIn) -> ChargeOut:
    return charge(body)
# file: app/api/schemas.py
from pydantic import BaseModel


class ChargeIn(BaseModel):
    customer_id: str
    amount: int


class ChargeOut(BaseModel):
    charge_id: str
    status: str
""",
        # A package `__init__` that opens the engine beside the port it re-exports is the
        # infrastructure's, and so is importing the port through it.
        """\
# file: app/application/register_user.py
from app.db import UserRepositoryInterface  # error: HEX101


class RegisterUser:
    def __init__(self, users: UserRepositoryInterface) -> None:
        self.users = users

    def execute(self, email: str) -> None:
        self.users.add(email)
# file: app/db/__init__.py
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from .interfaces import UserRepositoryInterface

engine = create_engine("postgresql://shop:shop@localhost/shop")
SessionLocal = sessionmaker(bind=engine)
# file: app/db/interfaces.py
from abc import ABC, abstractmethod


class UserRepositoryInterface(ABC):
    @abstractmethod
    def add(self, email: str) -> None: ...
""",
        # A contract the team filed under `infra/` on purpose: the use case depends on the
        # infrastructure's package all the same (a port belongs to the core).
        """\
# file: app/application/use_cases/create_transfer.py
from app.infra.interfaces.unit_of_work import UnitOfWorkInterface  # error: HEX101


class CreateTransferUseCase:
    def __init__(self, uow: UnitOfWorkInterface) -> None:
        self.uow = uow

    def execute(self, amount: int) -> None:
        with self.uow:
            self.uow.commit()
# file: app/infra/interfaces/unit_of_work.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class UnitOfWorkInterface(ABC):
    @abstractmethod
    def __enter__(self) -> "UnitOfWorkInterface": ...

    @abstractmethod
    def commit(self) -> None: ...
""",
        # Below the composition root, a use case that builds its own adapter is a use case
        # all the same: it does more than wire.
        """\
# file: src/main/usecases/add_account.py
from src.infra.db.firebase.account_repository import AccountFirebaseRepository  # error: HEX101


class AddAccountUseCase:
    def execute(self, email: str) -> None:
        if not email:
            raise ValueError("email required")
        AccountFirebaseRepository().add({"email": email})
# file: src/infra/db/firebase/account_repository.py
from firebase_admin import firestore


class AccountFirebaseRepository:
    def add(self, data: dict) -> None:
        firestore.client().collection("accounts").add(data)
""",
        """\
# file: app/aplicacion/emitir_venta.py
from app.infraestructura.persistencia.modelos import Venta  # error: HEX101


class EmitirVenta:  # the layers named in Spanish: `aplicacion`, `infraestructura`
    def __init__(self, uow) -> None:
        self._uow = uow

    def ejecutar(self, total: int) -> None:
        self._uow.ventas.add(Venta(total=total))
# file: app/infraestructura/persistencia/modelos.py
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Venta(Base):
    __tablename__ = "ventas"
    id: Mapped[int] = mapped_column(primary_key=True)
    total: Mapped[int]
""",
        """\
# file: app/api/schemas.py
from pydantic import BaseModel


class OrderMessage(BaseModel):
    order_id: str
    cancelled: bool = False
# file: app/application/use_cases.py
class PlaceOrderUseCase:
    def __init__(self, orders) -> None:
        self._orders = orders

    async def execute(self, order_id: str) -> None:
        await self._orders.place(order_id)


class CancelOrderUseCase:
    def __init__(self, orders) -> None:
        self._orders = orders

    async def execute(self, order_id: str) -> None:
        await self._orders.cancel(order_id)
# file: app/infrastructure/repositories.py
class PostgresOrderRepository:
    def __init__(self, pool) -> None:
        self._pool = pool

    async def place(self, order_id: str) -> None:
        await self._pool.execute("insert into orders values ($1)", order_id)

    async def cancel(self, order_id: str) -> None:
        await self._pool.execute("delete from orders where id = $1", order_id)
# file: app/infrastructure/messaging/order_consumer.py
import aio_pika
import asyncpg

from app.api.schemas import OrderMessage  # error: HEX101
from app.application.use_cases import CancelOrderUseCase, PlaceOrderUseCase
from app.infrastructure.repositories import PostgresOrderRepository


async def consume(amqp_url: str, dsn: str) -> None:  # a consumer builds its use cases: no wiring
    orders = PostgresOrderRepository(await asyncpg.create_pool(dsn))
    place_order, cancel_order = PlaceOrderUseCase(orders), CancelOrderUseCase(orders)
    connection = await aio_pika.connect_robust(amqp_url)
    queue = await (await connection.channel()).declare_queue("orders")
    async with queue.iterator() as messages:
        async for message in messages:
            body = OrderMessage.model_validate_json(message.body)
            await (cancel_order if body.cancelled else place_order).execute(body.order_id)
""",
        # The module that builds the app but also serves a route of its own (`add_route`)
        # is the web's under the web's strong name: that route reads the database itself.
        """\
# file: app/web/app.py
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.infrastructure.repositories import SqlOrderRepository  # error: HEX101
from app.web.routers.orders import router

app = FastAPI()
app.include_router(router)


async def export_orders(request: Request) -> JSONResponse:
    return JSONResponse(SqlOrderRepository().all())


app.add_route("/orders/export", export_orders, methods=["GET"])
# file: app/web/routers/orders.py
from fastapi import APIRouter

router = APIRouter()
# file: app/infrastructure/repositories.py
from sqlalchemy.orm import Session


class SqlOrderRepository:
    def __init__(self, session: Session | None = None) -> None:
        self.session = session

    def all(self) -> list[str]:
        return []
""",
        # A Typer command run as a script is the CLI's, the driving side: no entry point.
        """\
# file: app/infrastructure/repo.py
import sqlite3


class SqliteBooks:
    def __init__(self) -> None:
        self._db = sqlite3.connect("books.db")
# file: app/cli/books.py
import typer

from app.infrastructure.repo import SqliteBooks  # error: HEX101

app = typer.Typer()


@app.command()
def count() -> None:
    typer.echo(str(SqliteBooks()))


if __name__ == "__main__":
    app()
""",
        """\
# file: app/domain/book.py
from app.infrastructure.persistence.mongo import MongoClient  # error: HEX101

class Book: ...
# file: app/infrastructure/persistence/mongo.py
class MongoClient: ...
""",
        """\
# file: app/application/use_cases/list_books.py
from typing import TYPE_CHECKING

from ...infrastructure.web import schemas  # error: HEX101

if TYPE_CHECKING:
    from app.infrastructure.persistence import mongo  # error: HEX101

def run() -> None:
    import app.main as main  # error: HEX101
# file: app/infrastructure/__init__.py
# file: app/infrastructure/web/schemas.py
# file: app/infrastructure/persistence/mongo.py
# file: app/main.py
""",
        # A web layer kept in `application/api` is web by its content (HEX105): the
        # use case importing it depends on the web layer.
        """\
# file: app/application/api/books.py
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter()


class BookOut(BaseModel):
    title: str


@router.get("/books/{book_id}")
async def get_book(book_id: str) -> BookOut:
    raise HTTPException(status_code=404)
# file: app/application/api/authors.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/authors")
async def list_authors() -> list[str]:
    return []
# file: app/application/use_cases/get_book.py
from app.application.api.books import BookOut  # error: HEX101


class GetBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> BookOut:
        return BookOut(title=self.books.get(book_id))
# file: app/application/use_cases/list_books.py
class ListBooks:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self) -> list[str]:
        return self.books.all()
""",
        # A module called `settings` that holds ORM models is infrastructure: the web
        # layer may not import it.
        """\
# file: app/settings.py
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class BookRow(Base):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
# file: app/web/books.py
from app.settings import BookRow  # error: HEX101
""",
        # A mapper that builds the web's response models is the web's, even beside ORM
        # rows; DTOs under `api/` are the web's, use cases beside them or not.
        """\
# file: app/stock/infra/models.py
from sqlalchemy.orm import DeclarativeBase


class CopyRow(DeclarativeBase):
    __tablename__ = "copies"
# file: app/stock/mappers/copy_out.py
from pydantic import BaseModel

from app.stock.infra.models import CopyRow  # error: HEX101


class CopyOut(BaseModel):
    book_id: str


def to_out(row: CopyRow) -> CopyOut:
    return CopyOut(book_id=row.book_id)
# file: app/stock/use_cases/list_copies.py
from app.stock.mappers.copy_out import CopyOut  # error: HEX101
from app.stock.api.dtos.restock import RestockIn  # error: HEX101
# file: app/stock/api/dtos/restock.py
from dataclasses import dataclass


@dataclass(frozen=True)
class RestockIn:
    book_id: str
""",
        # Configuration is for every layer but the domain; a settings module that also
        # builds a client wires adapters, the composition root's.
        """\
# file: app/core/settings.py
import httpx
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    rates_url: str = "https://rates.example"


settings = Settings()
rates = httpx.AsyncClient(base_url=settings.rates_url)
# file: app/core/config.py
from pydantic_settings import BaseSettings


class LoanSettings(BaseSettings):
    loan_days: int = 21
# file: app/application/use_cases/convert.py
from app.core.settings import rates  # error: HEX101
# file: app/domain/loan.py
from app.core.config import LoanSettings  # error: HEX101
""",
        # An accessor of a configuration module that calls a client library (HashiCorp
        # Vault's) fetches its value over the network: the module connects, the
        # composition root's.
        """\
# file: app/config.py
import os

import hvac

DATABASE_SECRET = "db"


def database_password() -> str:
    vault = hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"])
    return str(vault.secrets.kv.read_secret_version(path=DATABASE_SECRET)["data"]["data"]["password"])
# file: app/application/use_cases/rotate.py
from app.config import database_password  # error: HEX101
""",
        # So does one fetching it with the standard library's HTTP client.
        """\
# file: app/core/config.py
import json
import os
import urllib.request

ENVIRONMENT = os.getenv("ENVIRONMENT", "dev")


def api_token() -> str:
    with urllib.request.urlopen(os.environ["TOKEN_URL"]) as response:
        return str(json.loads(response.read())["token"])
# file: app/application/use_cases/login.py
from app.core.config import api_token  # error: HEX101
""",
        # The same folder whose Protocol only a test double implements: nothing shows the
        # ports are the application's, and the folder's name places them.
        """\
# file: src/app/persistence/event_repository.py
from typing import Protocol


class EventRepository(Protocol):
    async def save_all(self, events: list[str]) -> int: ...

    async def find_recent(self, user_id: str) -> list[str]: ...
# file: src/app/events/save_events.py
from app.persistence.event_repository import EventRepository  # error: HEX101


class SaveEventsUseCase:
    def __init__(self, events: EventRepository) -> None:
        self.events = events

    async def execute(self, events: list[str]) -> int:
        return await self.events.save_all(events)
# file: src/app/events/recent_events.py
from app.persistence.event_repository import EventRepository  # error: HEX101


class RecentEventsUseCase:
    def __init__(self, events: EventRepository) -> None:
        self.events = events

    async def execute(self, user_id: str) -> list[str]:
        return await self.events.find_recent(user_id)
# file: tests/fakes.py
class FakeEventRepository:
    async def save_all(self, events: list[str]) -> int:
        return len(events)

    async def find_recent(self, user_id: str) -> list[str]:
        return []
""",
        # Errors that wrap a driver's keep their module's name: infrastructure.
        """\
# file: app/shared/exceptions/database.py
from sqlalchemy.exc import OperationalError


class DatabaseUnavailable(OperationalError):
    pass
# file: app/application/use_cases/count_copies.py
from app.shared.exceptions.database import DatabaseUnavailable  # error: HEX101
""",
        # A package's `__init__` with code of its own that uses its child is that code's
        # dependency: the domain's function runs a use case.
        """\
# file: app/domain/__init__.py
from app.domain.usecases.lend import Lend  # error: HEX101


def lend_all(book_ids: list[str]) -> None:
    for book_id in book_ids:
        Lend().execute(book_id)
# file: app/domain/usecases/__init__.py
# file: app/domain/usecases/lend.py
class Lend:
    def execute(self, book_id: str) -> None: ...
""",
        # Nor does one whose module-level code runs what it imports.
        """\
# file: app/domain/__init__.py
from .usecases.lend import Lend  # error: HEX101

runner = Lend()
# file: app/domain/usecases/__init__.py
# file: app/domain/usecases/lend.py
class Lend:
    def execute(self, book_id: str) -> None: ...
""",
        # `core/` as often names the hexagon's core: its unnamed entity is the domain's.
        """\
# file: app/core/book.py
from dataclasses import dataclass

from app.infrastructure.persistence.mongo import MongoClient  # error: HEX101


class BookNotAvailable(Exception):
    pass


@dataclass
class Book:
    isbn: str
    available: bool = True

    def lend(self) -> None:
        if not self.available:
            raise BookNotAvailable(self.isbn)
        self.available = False

    def save(self, client: MongoClient) -> None:
        client.insert(self.isbn)
# file: app/infrastructure/persistence/mongo.py
class MongoClient:
    def insert(self, isbn: str) -> None: ...
""",
        # An app factory that declares business routes inline is the web's, though it
        # includes a router too: only probes beside the included routers leave it the
        # composition root's.
        """\
# file: app/http/server.py
from fastapi import FastAPI

from app.infrastructure.persistence.database import database  # error: HEX101
from app.web.books import router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)

    @app.get("/loans")
    def loans() -> list[str]:
        return database.loans()

    return app
# file: app/infrastructure/persistence/database.py
class Database:
    def loans(self) -> list[str]:
        return []


database = Database()
# file: app/web/books.py
from fastapi import APIRouter

router = APIRouter()
""",
        # The same providers filed in a package the application's own name places: the
        # application imports the adapters; the container built from them is no finding.
        """\
# file: app/application/di/providers.py
from dishka import Provider, Scope, provide

from app.application.use_cases.lend_book import LendBook
from app.infrastructure.persistence.sql_books import SqlBooks  # error: HEX101


class BooksProvider(Provider):
    scope = Scope.REQUEST

    books = provide(SqlBooks)
    lend_book = provide(LendBook)
# file: app/application/di/container.py
from dishka import AsyncContainer, make_async_container

from app.application.di.providers import BooksProvider


def build_container() -> AsyncContainer:
    return make_async_container(BooksProvider())
# file: app/infrastructure/persistence/sql_books.py
class SqlBooks:
    def lend(self, book_id: str) -> None: ...
# file: app/application/use_cases/lend_book.py
class LendBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str) -> None:
        self.books.lend(book_id)
""",
        # A helper handed the app that declares a business route is the web's, as the
        # factory declaring it inline would be: a book's `status` is no probe.
        """# file: app/main/api/app_factory.py
from fastapi import FastAPI

from app.infrastructure.persistence.database import database  # error: HEX101
from app.web.books import router


def _register_routes(app: FastAPI) -> None:
    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/books/{book_id}/status")
    def book_status(book_id: str) -> list[str]:
        return database.loans()

    app.include_router(router)


def make_app() -> FastAPI:
    app = FastAPI()
    _register_routes(app)
    return app
# file: app/infrastructure/persistence/database.py
class Database:
    def loans(self) -> list[str]:
        return []


database = Database()
# file: app/web/books.py
from fastapi import APIRouter

router = APIRouter()
""",
        # HTTP code under `infrastructure/` that a use case imports stays infrastructure,
        # for the web that imports it too: only what the web alone uses is the web's.
        """\
# file: app/infrastructure/responses/problem.py
from starlette.responses import JSONResponse


def problem(title: str, status: int) -> JSONResponse:
    return JSONResponse({"title": title}, status_code=status)
# file: app/application/use_cases/report_shortage.py
from app.infrastructure.responses.problem import problem  # error: HEX101
# file: app/web/stock.py
from app.infrastructure.responses.problem import problem  # error: HEX101
""",
        # A Flask app factory that registers blueprints but also declares a business route
        # inline is the web's, as a FastAPI `create_app()` declaring one is: its import of
        # the database is the web reaching infrastructure.
        """\
# file: shop/api/__init__.py
from flask import Blueprint, Flask

from shop.infra.database import engine  # error: HEX101

orders = Blueprint("orders", __name__)


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(orders)

    @app.route("/orders/<order_id>/cancel", methods=["POST"])
    def cancel(order_id: str) -> str:
        with engine.connect() as connection:
            connection.execute("UPDATE orders SET cancelled = 1 WHERE id = ?", order_id)
        return ""

    return app
# file: shop/infra/database.py
from sqlalchemy import create_engine

engine = create_engine("sqlite://")
""",
        # The module that builds the app and assembles the routers is the composition root
        # under an outer layer's strong name too (`web/__init__.py`, as `web/app.py` or
        # `entrypoints/application.py`): the application may import it no more than the web.
        """\
# file: app/web/__init__.py
from fastapi import FastAPI

from app.web.routes import router

app = FastAPI()
app.include_router(router)
# file: app/web/routes.py
from fastapi import APIRouter

router = APIRouter()
# file: app/application/place.py
from app.web import app  # error: HEX101
""",
        # An adapters' base that shares behaviour (a template method over an abstract step)
        # is infrastructure wherever the core imports it from.
        """\
# file: app/infra/log/model.py
import abc


class LogAdapter(abc.ABC):
    def info(self, message: str) -> None:
        self._write(message, "info")

    @abc.abstractmethod
    def _write(self, message: str, level: str) -> None: ...
# file: app/infra/log/console.py
from app.infra.log.model import LogAdapter


class ConsoleLog(LogAdapter):
    def _write(self, message: str, level: str) -> None:
        print(level, message)
# file: app/domain/orders.py
from app.infra.log.model import LogAdapter  # error: HEX101


class Orders:
    def __init__(self, log: LogAdapter) -> None:
        self.log = log
""",
        # A settings module with a `-> None` function that builds the engine wires the
        # database: the composition root's, which a use case may not import.
        """\
# file: app/core/config.py
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    db_url: str = "sqlite://"


settings = Settings()


def init_db() -> None:
    import sqlalchemy

    global engine
    engine = sqlalchemy.create_engine(settings.db_url)
# file: app/application/use_cases/place_order.py
from app.core.config import settings  # error: HEX101


class PlaceOrder:
    def __init__(self, orders) -> None:
        self.orders = orders
        self.url = settings.db_url
""",
        # A repository FastAPI builds (`session=Depends(get_session)`) of a port the core
        # uses is still the adapter the use cases must not import.
        """\
# file: app/api/users.py
from fastapi import APIRouter, Depends

from app.services.get_user import GetUserService
from app.services.rename_user import RenameUserService

router = APIRouter()


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: GetUserService = Depends()) -> dict:
    user = await service.execute(user_id)
    return {"id": user.id, "email": user.email} if user else {}


@router.put("/users/{user_id}/email")
async def rename_user(user_id: int, email: str, service: RenameUserService = Depends()) -> None:
    await service.execute(user_id, email)
# file: app/domain/users.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class User:
    id: int
    email: str

    def rename(self, email: str) -> None:
        self.email = email


class UserRepository(ABC):
    @abstractmethod
    async def get(self, user_id: int) -> User | None: ...

    @abstractmethod
    async def save(self, user: User) -> None: ...
# file: app/services/get_user.py
from fastapi import Depends

from app.domain.users import User, UserRepository
from app.storage.user_repository import SqlUserRepository  # error: HEX101


class GetUserService:
    def __init__(self, users: UserRepository = Depends(SqlUserRepository)) -> None:
        self.users = users

    async def execute(self, user_id: int) -> User | None:
        return await self.users.get(user_id)
# file: app/services/rename_user.py
from fastapi import Depends

from app.domain.users import UserRepository
from app.storage.user_repository import SqlUserRepository  # error: HEX101


class RenameUserService:
    def __init__(self, users: UserRepository = Depends(SqlUserRepository)) -> None:
        self.users = users

    async def execute(self, user_id: int, email: str) -> None:
        user = await self.users.get(user_id)
        if user is not None:
            user.rename(email)
            await self.users.save(user)
# file: app/storage/session.py
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("postgresql+asyncpg://localhost/app")
SessionFactory = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionFactory() as session:
        yield session
# file: app/storage/tables.py
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
# file: app/storage/user_repository.py
from fastapi import Depends

from app.domain.users import User, UserRepository
from app.storage.session import get_session
from app.storage.tables import UserRow


class SqlUserRepository(UserRepository):
    def __init__(self, session=Depends(get_session)) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        row = await self.session.get(UserRow, user_id)
        return None if row is None else User(id=row.id, email=row.email)

    async def save(self, user: User) -> None:
        await self.session.merge(UserRow(id=user.id, email=user.email))
        await self.session.commit()
""",
        # The same container in the package's `__init__`: every use case of `logic/` loads it,
        # and the Mongo adapter with it.
        """\
# file: app/logic/__init__.py
from punq import Container

from app.infrastructure.repositories.users.base import BaseUserRepository
from app.infrastructure.repositories.users.mongo import MongoUserRepository  # error: HEX101


def init_container() -> Container:
    container = Container()
    container.register(BaseUserRepository, MongoUserRepository)
    return container
# file: app/logic/commands/users.py
from app.infrastructure.repositories.users.base import BaseUserRepository


class CreateUserCommandHandler:
    def __init__(self, users: BaseUserRepository) -> None:
        self.users = users

    async def handle(self, username: str) -> None:
        await self.users.add(username)
# file: app/infrastructure/repositories/users/base.py
from abc import ABC, abstractmethod


class BaseUserRepository(ABC):
    @abstractmethod
    async def add(self, username: str) -> None: ...
# file: app/infrastructure/repositories/users/mongo.py
from app.infrastructure.repositories.users.base import BaseUserRepository


class MongoUserRepository(BaseUserRepository):
    def __init__(self, collection) -> None:
        self.collection = collection

    async def add(self, username: str) -> None:
        await self.collection.insert_one({"username": username})
""",
        # A use case with its own `injector` bindings beside it is still the use case, not
        # the composition root: its import of the SQL adapter is reported.
        """\
# file: shop/application/order_service.py
from injector import Injector, Module, provider, singleton
from sqlalchemy.orm import Session

from shop.domain.order import Order
from shop.infrastructure.sql_orders import SqlOrderRepository  # error: HEX101


class PlaceOrderService:
    def __init__(self, orders: SqlOrderRepository) -> None:
        self.orders = orders

    def execute(self, order_id: int, sku: str, quantity: int) -> Order:
        order = Order(order_id, sku, quantity)
        self.orders.add(order)
        return order


class OrderModule(Module):
    @singleton
    @provider
    def provide_orders(self, session: Session) -> SqlOrderRepository:
        return SqlOrderRepository(session)


def get_place_order_service() -> PlaceOrderService:
    return Injector([OrderModule()]).get(PlaceOrderService)
# file: shop/domain/order.py
from dataclasses import dataclass


class InvalidQuantity(Exception):
    pass


@dataclass
class Order:
    id: int
    sku: str
    quantity: int

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise InvalidQuantity(self.quantity)
# file: shop/infrastructure/sql_orders.py
from sqlalchemy.orm import Session

from shop.domain.order import Order


class SqlOrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, order: Order) -> None:
        self.session.add(order)
""",
        # Pydantic requests in `dtos/` are the web's, even when a port imports them.
        """\
# file: app/dtos/orders.py
from pydantic import BaseModel


class CreateOrderRequest(BaseModel):
    sku: str
    quantity: int
# file: app/application/ports.py
from abc import ABC, abstractmethod

from app.dtos.orders import CreateOrderRequest  # error: HEX101


class OrderService(ABC):
    @abstractmethod
    def place(self, request: CreateOrderRequest) -> str: ...
""",
        # A Litestar module that declares its own handlers beside the app it builds serves
        # requests: the web's, whatever it hands the constructor.
        """\
# file: app/infrastructure/db.py
import asyncpg


class PgTodoRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def count(self) -> int:
        return len(await self.pool.fetch("SELECT id FROM todos"))
# file: app/web/app.py
import asyncpg
from litestar import Litestar, get

from app.infrastructure.db import PgTodoRepository  # error: HEX101


@get("/todos/count")
async def count_todos() -> int:
    return await PgTodoRepository(await asyncpg.create_pool("postgres://")).count()


app = Litestar(route_handlers=[count_todos])
""",
        # Records in `dtos.py` that a route returns stay the web's when only an outbound
        # client's Protocol in infrastructure imports them beside it.
        """\
# file: app/dtos.py
from dataclasses import dataclass


@dataclass
class OrderResponse:
    id: str
    total: int
# file: app/api/routes.py
from fastapi import APIRouter

from app.dtos import OrderResponse

router = APIRouter()


@router.get("/orders/{order_id}")
async def get_order(order_id: str) -> OrderResponse:
    return OrderResponse(id=order_id, total=0)
# file: app/infrastructure/clients/protocols.py
from typing import Protocol

from app.dtos import OrderResponse  # error: HEX101


class PartnerClient(Protocol):
    async def push(self, order: OrderResponse) -> None: ...
""",
        # aiohttp serves the requests here (`from aiohttp import web`): its handlers are
        # web code, not an HTTP client's, so the package named `api` stays web though one
        # of its modules implements a core contract; and `impl/` holds the ports'
        # implementations, infrastructure by its name (a hasher over `hashlib` shows no
        # driver). A use case that builds on the concrete hasher, and an endpoint factory
        # that builds its use case on the Postgres repository, reach into infrastructure.
        """\
# file: conduit/core/ports.py
from abc import ABC, abstractmethod


class UserRepository(ABC):
    @abstractmethod
    async def find(self, username: str) -> dict | None: ...

    @abstractmethod
    async def add(self, username: str, password_hash: str) -> None: ...


class PasswordHasher(ABC):
    @abstractmethod
    def hash(self, password: str) -> str: ...


class ErrorVisitor(ABC):
    @abstractmethod
    def not_found(self, what: str) -> tuple[dict, int]: ...
# file: conduit/core/use_cases/get_profile.py
from conduit.core.ports import UserRepository


class GetProfileUseCase:
    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def execute(self, username: str) -> dict | None:
        return await self.users.find(username)
# file: conduit/core/use_cases/sign_up.py
from conduit.core.ports import UserRepository
from conduit.impl.password_hasher import Sha256PasswordHasher  # error: HEX101


class SignUpUseCase:
    def __init__(self, users: UserRepository) -> None:
        self.users = users
        self.hasher = Sha256PasswordHasher()

    async def execute(self, username: str, password: str) -> None:
        await self.users.add(username, self.hasher.hash(password))
# file: conduit/impl/password_hasher.py
import hashlib

from conduit.core.ports import PasswordHasher


class Sha256PasswordHasher(PasswordHasher):
    def hash(self, password: str) -> str:
        return hashlib.sha256(password.encode()).hexdigest()
# file: conduit/db/user_repository.py
import asyncpg

from conduit.core.ports import UserRepository


class PostgresUserRepository(UserRepository):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def find(self, username: str) -> dict | None:
        row = await self.pool.fetchrow("select username from users where username = $1", username)
        return dict(row) if row else None

    async def add(self, username: str, password_hash: str) -> None:
        await self.pool.execute("insert into users values ($1, $2)", username, password_hash)
# file: conduit/api/base.py
import typing as t

from aiohttp import web

Endpoint = t.Callable[[web.Request], t.Awaitable[web.Response]]
# file: conduit/api/errors.py
from aiohttp import web

from conduit.core.ports import ErrorVisitor


class HttpErrorVisitor(ErrorVisitor):
    def not_found(self, what: str) -> tuple[dict, int]:
        return {"errors": {what: ["not found"]}}, web.HTTPNotFound.status_code
# file: conduit/api/profiles.py
from aiohttp import web

from conduit.api.base import Endpoint
from conduit.api.errors import HttpErrorVisitor
from conduit.core.use_cases.get_profile import GetProfileUseCase
from conduit.db.user_repository import PostgresUserRepository  # error: HEX101


def get_profile_endpoint(use_case: GetProfileUseCase) -> Endpoint:
    async def handler(request: web.Request) -> web.Response:
        profile = await use_case.execute(request.match_info["username"])
        if profile is None:
            body, status = HttpErrorVisitor().not_found("profile")
            return web.json_response(body, status=status)
        return web.json_response(profile)

    return handler


def default_profile_endpoint(pool) -> Endpoint:
    return get_profile_endpoint(GetProfileUseCase(PostgresUserRepository(pool)))
""",
        # `import app.infrastructure` beside `import app.infrastructure.consumers`: the
        # package's `__init__` is empty, so the one dependency is on the consumers, reported
        # once, on their line.
        """\
# file: app/infrastructure/__init__.py
# file: app/infrastructure/consumers.py
import pulsar


def subscribe_to_events(url: str) -> None:
    client = pulsar.Client(url)
    consumer = client.subscribe("anonymisation-requests", "anonymiser")
    while True:
        consumer.acknowledge(consumer.receive())
# file: app/api/__init__.py
import threading

import app.infrastructure
import app.infrastructure.consumers  # error: HEX101

threading.Thread(target=app.infrastructure.consumers.subscribe_to_events, args=("pulsar://broker:6650",)).start()
""",
        # The import of the module inside runs only when the file is run as a script: it is
        # no dependency of the module, so the package's import is the one reported.
        """\
# file: app/infrastructure/__init__.py
# file: app/infrastructure/consumers.py
import pulsar


def subscribe_to_events(url: str) -> None:
    client = pulsar.Client(url)
    consumer = client.subscribe("anonymisation-requests", "anonymiser")
    while True:
        consumer.acknowledge(consumer.receive())
# file: app/domain/anonymisation.py
from dataclasses import dataclass

import app.infrastructure  # error: HEX101


@dataclass(frozen=True)
class AnonymisationRequested:
    record_id: str

    def __post_init__(self) -> None:
        if not self.record_id:
            raise ValueError("a record id is required")


if __name__ == "__main__":
    import app.infrastructure.consumers

    app.infrastructure.consumers.subscribe_to_events("pulsar://localhost:6650")
""",
        # The same routes taking the adapter's class build the adapter themselves, which
        # the composition root should do.
        """\
# file: app/infrastructure/database/connection.py
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql://localhost/buses")
SessionLocal = sessionmaker(bind=engine)


def get_database_session() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()
# file: app/domain/repositories/route_repository.py
from abc import ABC, abstractmethod


class RouteRepository(ABC):
    @abstractmethod
    def count(self) -> int: ...
# file: app/infrastructure/database/repos/route_repository_impl.py
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.repositories.route_repository import RouteRepository


class RouteRepositoryImpl(RouteRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self) -> int:
        return int(self.session.execute(text("SELECT count(*) FROM routes")).scalar_one())
# file: app/infrastructure/web/routers/routes.py
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.infrastructure.database.connection import get_database_session
from app.infrastructure.database.repos.route_repository_impl import RouteRepositoryImpl  # error: HEX101

router = APIRouter(prefix="/routes")


def get_routes(session: Session = Depends(get_database_session)) -> RouteRepositoryImpl:
    return RouteRepositoryImpl(session)


@router.get("/count")
def count_routes(routes: RouteRepositoryImpl = Depends(get_routes)) -> dict[str, int]:
    return {"routes": routes.count()}
""",
        # Routes that call what they take from the infrastructure beside them use it
        # themselves: the session goes in through `Depends`, the query runs in the route.
        """\
# file: app/infrastructure/database/connection.py
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql://localhost/buses")
SessionLocal = sessionmaker(bind=engine)


def get_database_session() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()
# file: app/infrastructure/database/crud.py
from sqlalchemy import text
from sqlalchemy.orm import Session


def delete_bus(session: Session, bus_id: int) -> None:
    session.execute(text("DELETE FROM buses WHERE id = :id"), {"id": bus_id})
    session.commit()
# file: app/infrastructure/web/routers/buses.py
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.infrastructure.database.connection import get_database_session
from app.infrastructure.database.crud import delete_bus  # error: HEX101

router = APIRouter(prefix="/buses")


@router.delete("/{bus_id}")
def remove_bus(bus_id: int, session: Session = Depends(get_database_session)) -> None:
    delete_bus(session, bus_id)
""",
        # An entity with an error of its own beside its use cases, in a package per
        # feature no name places: no bus, so its domain evidence stands, and it may not
        # import the use case's module.
        """\
# file: shop/orders/order.py
from shop.orders.ship_order import ShipmentRequested  # error: HEX101


class OrderAlreadyShipped(Exception):
    pass


class Order:
    def __init__(self, order_id: str) -> None:
        self.order_id = order_id
        self.shipped = False

    def ship(self) -> ShipmentRequested:
        if self.shipped:
            raise OrderAlreadyShipped(self.order_id)
        self.shipped = True
        return ShipmentRequested(self.order_id)
# file: shop/orders/ship_order.py
from dataclasses import dataclass

from shop.orders.order_store import OrderRepository


@dataclass(frozen=True)
class ShipmentRequested:
    order_id: str


class ShipOrder:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    def execute(self, order_id: str) -> None:
        order = self._orders.get(order_id)
        order.ship()
        self._orders.save(order)
# file: shop/orders/cancel_order.py
from shop.orders.order_store import OrderRepository


class CancelOrder:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    def execute(self, order_id: str) -> None:
        self._orders.delete(order_id)
# file: shop/orders/order_store.py
from abc import ABC, abstractmethod


class OrderRepository(ABC):
    @abstractmethod
    def get(self, order_id: str): ...

    @abstractmethod
    def save(self, order) -> None: ...

    @abstractmethod
    def delete(self, order_id: str) -> None: ...
# file: shop/storage/sql_orders.py
from sqlalchemy import text
from sqlalchemy.orm import Session

from shop.orders.order_store import OrderRepository


class SqlOrders(OrderRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, order_id: str):
        return self._session.execute(text("select * from orders where id = :i"), {"i": order_id}).one()

    def save(self, order) -> None:
        self._session.execute(text("update orders set shipped = true where id = :i"), {"i": order.order_id})

    def delete(self, order_id: str) -> None:
        self._session.execute(text("delete from orders where id = :i"), {"i": order_id})
""",
        # A bus of the business (seats on a coach) beside its use cases is an entity: it
        # books seats, it hands no message to a handler.
        """\
# file: transit/trips/bus.py
from transit.trips.book_seat import SeatBooked  # error: HEX101


class BusFull(Exception):
    pass


class Bus:
    def __init__(self, plate: str, seats: int) -> None:
        self.plate = plate
        self.free = seats

    def book(self) -> SeatBooked:
        if self.free == 0:
            raise BusFull(self.plate)
        self.free -= 1
        return SeatBooked(self.plate)
# file: transit/trips/book_seat.py
from dataclasses import dataclass

from transit.trips.bus_store import BusRepository


@dataclass(frozen=True)
class SeatBooked:
    plate: str


class BookSeat:
    def __init__(self, buses: BusRepository) -> None:
        self._buses = buses

    def execute(self, plate: str) -> None:
        bus = self._buses.get(plate)
        bus.book()
        self._buses.save(bus)
# file: transit/trips/cancel_seat.py
from transit.trips.bus_store import BusRepository


class CancelSeat:
    def __init__(self, buses: BusRepository) -> None:
        self._buses = buses

    def execute(self, plate: str) -> None:
        self._buses.release(plate)
# file: transit/trips/bus_store.py
from abc import ABC, abstractmethod


class BusRepository(ABC):
    @abstractmethod
    def get(self, plate: str): ...

    @abstractmethod
    def save(self, bus) -> None: ...

    @abstractmethod
    def release(self, plate: str) -> None: ...
# file: transit/storage/sql_buses.py
from sqlalchemy import text
from sqlalchemy.orm import Session

from transit.trips.bus_store import BusRepository


class SqlBuses(BusRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, plate: str):
        return self._session.execute(text("select * from buses where plate = :p"), {"p": plate}).one()

    def save(self, bus) -> None:
        values = {"f": bus.free, "p": bus.plate}
        self._session.execute(text("update buses set free = :f where plate = :p"), values)

    def release(self, plate: str) -> None:
        self._session.execute(text("update buses set free = free + 1 where plate = :p"), {"p": plate})
""",
        # A container written by hand that also keeps an ORM model: the model is the
        # infrastructure's, so the web may not import it from there.
        """\
# file: src/shop/main/ioc.py
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shop.adapters.db.order_gateway import OrderGateway
from shop.application.cancel_order import CancelOrder
from shop.application.place_order import PlaceOrder
from shop.presentation.interactor_factory import InteractorFactory  # error: HEX101


class Base(DeclarativeBase):
    pass


class OrderRow(Base):  # a table kept in the container: still the infrastructure's
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)


class IoC(InteractorFactory):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    @asynccontextmanager
    async def place_order(self) -> AsyncIterator[PlaceOrder]:
        async with self._session_factory() as session, AsyncClient() as client:
            yield PlaceOrder(OrderGateway(session, client))

    @asynccontextmanager
    async def cancel_order(self) -> AsyncIterator[CancelOrder]:
        async with self._session_factory() as session, AsyncClient() as client:
            yield CancelOrder(OrderGateway(session, client))
"""
        + _CONTAINER_COLLABORATORS
        + """\
# file: src/shop/presentation/orders_view.py
from shop.main.ioc import OrderRow  # error: HEX101


def order_ids(rows: list[OrderRow]) -> list[int]:
    return [row.id for row in rows]
""",
        # Routes kept inside the project's `infrastructure/` that take their data access
        # from beside them: the CRUD module imports no database package itself, but the
        # session and the ORM model it works on come from the modules it imports, so it
        # reaches the database, and the route uses the infrastructure through it.
        """\
# file: app/infrastructure/database/session.py
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("sqlite:///members.db")
SessionLocal = sessionmaker(bind=engine)
# file: app/infrastructure/database/models.py
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class MemberRow(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    email = Column(String)
# file: app/infrastructure/crud/members.py
from app.infrastructure.database.models import MemberRow
from app.infrastructure.database.session import SessionLocal


def delete_member(member_id: int) -> None:
    session = SessionLocal()
    session.delete(session.get(MemberRow, member_id))
    session.commit()
# file: app/infrastructure/api/members.py
from fastapi import APIRouter

from app.infrastructure.crud.members import delete_member  # error: HEX101

router = APIRouter(prefix="/members")


@router.delete("/{member_id}")
def remove_member(member_id: int) -> None:
    delete_member(member_id)
""",
        # The same routes calling a payment gateway that posts through the project's own
        # HTTP helper, and a receipt mailer built on a provider's SDK: each reaches a
        # service outside, whether its client is imported there or a module further on.
        """\
# file: app/infrastructure/http/client.py
import httpx


def post_json(url: str, body: dict[str, object]) -> dict[str, object]:
    return httpx.post(url, json=body, timeout=10).json()
# file: app/infrastructure/payments/gateway.py
from app.infrastructure.http.client import post_json


def charge(order_id: str, cents: int) -> str:
    return str(post_json("https://payments.example.com/charges", {"order": order_id, "amount": cents})["id"])
# file: app/infrastructure/mail/receipts.py
import sendgrid


def send_receipt(email: str, charge_id: str) -> None:
    sendgrid.SendGridAPIClient().send({"to": email, "text": charge_id})
# file: app/infrastructure/api/orders.py
from fastapi import APIRouter

from app.infrastructure.mail.receipts import send_receipt  # error: HEX101
from app.infrastructure.payments.gateway import charge  # error: HEX101

router = APIRouter(prefix="/orders")


@router.post("/{order_id}/pay")
def pay(order_id: str, cents: int, email: str) -> dict[str, str]:
    charge_id = charge(order_id, cents)
    send_receipt(email, charge_id)
    return {"charge": charge_id}
""",
        # A helper beside the routes that takes its rates from a module missing from the
        # tree (a vendored client left out of the repository): what it reaches cannot be
        # read, so it is taken for an adapter.
        """\
# file: app/__init__.py
# file: app/infrastructure/__init__.py
# file: app/infrastructure/tools/__init__.py
# file: app/infrastructure/tools/helper.py
from app.infrastructure.vendor.client import fetch_rates


def rates() -> dict[str, float]:
    return fetch_rates()
# file: app/infrastructure/api/__init__.py
# file: app/infrastructure/api/rates.py
from fastapi import APIRouter

from app.infrastructure.tools.helper import rates  # error: HEX101

router = APIRouter()


@router.get("/rates")
def list_rates() -> dict[str, float]:
    return rates()
""",
        # A repository that answers with the presenters' HTTP response: `presenters/`,
        # beside `data/` and `infra/`, is the web's, and the adapter reaches into it.
        """\
# file: src/presenters/helpers/http_models.py
from dataclasses import dataclass


@dataclass
class HttpResponse:
    status_code: int
    body: object
# file: src/infra/repo/pets_repository.py
from sqlalchemy.orm import Session

from src.presenters.helpers.http_models import HttpResponse  # error: HEX101


class PetsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def find(self, pet_id: int) -> HttpResponse:
        row = self._session.get(dict, pet_id)
        return HttpResponse(status_code=200 if row else 404, body=row)
""",
        # A route that imports an adapter in its body, in a module that can also be run as a
        # script (`uvicorn.run(app)`): the block never runs the route, so the import is the
        # module's own, the web reaching into infrastructure.
        """\
# file: app/api/orders.py
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/orders/{order_id}")
def get_order(order_id: str) -> dict[str, str]:
    from app.infrastructure.orders_repository import OrdersRepository  # error: HEX101

    return OrdersRepository().get(order_id)


if __name__ == "__main__":
    uvicorn.run(app)
# file: app/infrastructure/orders_repository.py
class OrdersRepository:
    def get(self, order_id: str) -> dict[str, str]:
        return {"id": order_id}
""",
        # A `models/` package of SQLAlchemy tables alone is persistence, whatever its name
        # leaves open: the use case that queries a table of it reaches into infrastructure.
        """\
# file: app/models/order.py
from sqlalchemy import Column, Integer, String

from app.models.base import Base


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    status = Column(String, nullable=False)
# file: app/models/customer.py
from sqlalchemy import Column, Integer, String

from app.models.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)
# file: app/models/base.py
from sqlalchemy.orm import declarative_base

Base = declarative_base()
# file: app/use_cases/cancel_order.py
from app.models.order import Order  # error: HEX101


class CancelOrder:
    def __init__(self, session) -> None:
        self.session = session

    def execute(self, order_id: int) -> None:
        order = self.session.get(Order, order_id)
        order.status = "cancelled"
""",
        # A `repository/` package (singular, as `repositories/`) holds the database's
        # repositories: a use case importing one depends on infrastructure.
        """\
# file: app/repository/user.py
from sqlalchemy.orm import Session


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
# file: app/use_cases/register_user.py
from app.repository.user import UserRepository  # error: HEX101


class RegisterUser:
    def __init__(self, users: UserRepository) -> None:
        self.users = users

    def execute(self, email: str) -> None:
        self.users.session.add(email)
""",
        # A chat bot is a driving side as the web is: `bot/handlers/` makes an aiogram
        # router and its handlers take Telegram's messages, so it is the web's, and its
        # reach into the database past the use cases is reported.
        """\
# file: bot/handlers/booking.py
from aiogram import F, Router
from aiogram.types import Message

from app.infrastructure.db import session_factory  # error: HEX101

router = Router()


@router.message(F.text == "/slots")
async def list_slots(message: Message) -> None:
    async with session_factory() as session:
        slots = await session.scalars("select day from slots")
        await message.answer(", ".join(slots))
# file: app/infrastructure/db.py
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

session_factory = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
""",
        # A Django app's `models.py` beside its views: ORM tables alone are persistence in
        # one module too, so a use case reaching for them past a repository is reported
        # (tables beside a use case in one module place nothing: VALID, the billing ledger).
        """\
# file: courses/models.py
from django.db import models


class Course(models.Model):
    title = models.CharField(max_length=200)
    published = models.BooleanField(default=False)
# file: courses/views.py
from django.http import JsonResponse

from courses.models import Course


def list_courses(request):
    return JsonResponse({"titles": [course.title for course in Course.objects.all()]})
# file: application/use_cases/publish_course.py
from courses.models import Course  # error: HEX101


class PublishCourse:
    def execute(self, course_id: int) -> None:
        course = Course.objects.get(pk=course_id)
        course.published = True
        course.save()
""",
        # HTTP middleware runs inside every request: in an unnamed `core/middlewares/` it is
        # the web's, and its write to the database past the use cases is reported.
        """\
# file: app/core/middlewares/audit.py
from sqlalchemy import text
from starlette.middleware.base import BaseHTTPMiddleware

from app.infrastructure.db import session_factory  # error: HEX101


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        async with session_factory() as session:
            await session.execute(text("insert into audit (path) values (:path)"), {"path": request.url.path})
            await session.commit()
        return response
# file: app/infrastructure/db.py
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

session_factory = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
""",
        # An exception handler answers a request that failed, in whatever unnamed module:
        # it is the web's, at the top level as inside the function registering it, beside
        # a private helper and a function that registers it, and its write to the
        # database past the use cases is reported.
        """\
# file: app/core/exception_handlers.py
from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from app.infrastructure.db import record_failure  # error: HEX101


async def handle_unexpected(request: Request, exc: Exception):
    await record_failure(request.url.path, repr(exc))
    return JSONResponse(status_code=500, content={"detail": "internal error"})


def install_compression(app: FastAPI) -> None:
    app.add_middleware(GZipMiddleware, minimum_size=500)
# file: app/core/errors/registration.py
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.infrastructure.db import record_failure  # error: HEX101


def _answer(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ValueError)
    async def handle_bad_value(request: Optional[Request], exc: ValueError) -> JSONResponse:
        await record_failure(request.url.path if request else "", str(exc))
        return _answer(422, str(exc))
# file: app/infrastructure/db.py
import asyncpg


async def record_failure(path: str, error: str) -> None:
    connection = await asyncpg.connect()
    await connection.execute("insert into failures values ($1, $2)", path, error)
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for edge in model.dependency_edges()
            if model.layer(edge.importer) is not None and model.layer(edge.imported) is not None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for edge in model.layer_violations():
            importer_layer = model.layer(edge.importer)
            imported_layer = model.layer(edge.imported)
            assert importer_layer is not None and imported_layer is not None  # both ends are layered
            facts = model.modules[edge.importer]
            how = " (under TYPE_CHECKING)" if edge.fact.type_checking else ""
            absent = ", not in the tree" if model.is_missing(edge.imported) else ""
            message = (
                f"{importer_layer.value} module '{edge.importer}' imports "
                f"'{edge.imported}' ({imported_layer.value}{absent}){how}; "
                f"{importer_layer.value} may depend only on {_allowed_text(model, importer_layer)}"
            )
            yield self.finding(facts, edge.fact.span, message, f"{edge.importer} -> {edge.imported}", model)
