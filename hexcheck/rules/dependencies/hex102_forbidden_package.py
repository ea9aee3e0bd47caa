"""HEX102 forbidden-package: A module imports an external package its layer may not use."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import and_list


class ForbiddenPackage(Rule):
    code = "HEX102"
    name = "forbidden-package"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A module imports an external package its layer may not use."
    subject = "imports of external packages respect their layer's policy"
    why = (
        "The domain is plain Python: it may use the standard library and nothing else, so "
        "that the business rules outlive every framework the service will ever use. The "
        "application layer orchestrates the domain through ports; web frameworks, ORMs, "
        "database drivers, HTTP clients and settings libraries belong to the adapters "
        "around it. A `pydantic` model in the domain or a `motor` call in a use case "
        "welds the core to one technology and makes it slow and awkward to test."
    )
    how_to_fix = (
        "Keep the framework at the edge: a Pydantic DTO in `web`, mapped to and from a "
        "plain `@dataclass` entity; a Motor adapter in `infrastructure` behind a port.\n\n"
        "Before, in `app/domain/book.py`:\n\n"
        "    from pydantic import BaseModel\n\n"
        "    class Book(BaseModel):\n"
        "        title: str\n\n"
        "After:\n\n"
        "    from dataclasses import dataclass\n\n"
        "    @dataclass\n"
        "    class Book:\n"
        "        title: str\n\n"
        "        def __post_init__(self) -> None:\n"
        "            if not self.title:\n"
        '                raise InvalidBook("a book needs a title")\n\n'
        "The lists are configurable per layer: `[tool.hexcheck.packages.domain]` "
        '`extend-allow = ["attrs"]`, `[tool.hexcheck.packages.application]` '
        '`extend-forbid = ["kafka"]`.'
    )
    valid = (
        """\
# file: src/presentation/exceptions/handlers/domain.py
from fastapi import Request  # handlers of the domain's errors: the web's, whatever the file name
from fastapi.responses import JSONResponse

from src.domain.errors import DomainError


async def domain_error_handler(request: Request, error: DomainError) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=400)
# file: src/domain/errors.py
class DomainError(Exception):
    pass
""",
        """\
# file: internal/ports/http/routes.py
from aiohttp import web

from internal.ports.http.schemas import UserCreateBody

routes = web.RouteTableDef()  # the driving side, kept under `ports/`: aiohttp's own code


@routes.post("/users")
async def create_user(request: web.Request) -> web.Response:
    body = UserCreateBody(**await request.json())
    return web.json_response({"name": body.name}, status=201)
# file: internal/ports/http/schemas.py
from pydantic import BaseModel


class UserCreateBody(BaseModel):
    name: str
""",
        # `ports/driven/` holding the repositories over SQLAlchemy that fulfil the
        # application's protocols without deriving from them: two kinds of evidence
        # (a driver, ports implemented) say infrastructure, whatever `ports` says.
        """\
# file: src/notifications/app/interfaces/config_repo.py
from typing import Protocol


class IConfigRepo(Protocol):
    async def get(self) -> str: ...
    async def save(self, token: str) -> None: ...
# file: src/notifications/ports/driven/repos/sqlite_config_repo.py
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class SqliteConfigRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self) -> str:
        return (await self._session.execute(text("select token from config"))).scalar_one()

    async def save(self, token: str) -> None:
        await self._session.execute(text("update config set token = :t"), {"t": token})
# file: src/notifications/ports/driven/repos/sqlite_subscriber_repo.py
from sqlalchemy.ext.asyncio import AsyncSession


class SqliteSubscriberRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self) -> str:
        return ""

    async def save(self, token: str) -> None:
        await self._session.commit()
""",
        # The controllers' abstract base takes and gives the framework's request and
        # response: the web's contract, no port of the core, whatever its `ABC` says.
        """\
# file: src/apps/backoffice/controllers/backoffice_controller.py
from abc import ABC, abstractmethod

from fastapi import Request
from fastapi.responses import JSONResponse


class BackofficeController(ABC):
    @abstractmethod
    async def run(self, req: Request) -> JSONResponse:
        raise NotImplementedError()
# file: src/apps/backoffice/controllers/status/__init__.py
# file: src/apps/backoffice/controllers/status/status_get_controller.py
from fastapi import Request
from fastapi.responses import JSONResponse

from src.apps.backoffice.controllers.backoffice_controller import BackofficeController


class StatusGetController(BackofficeController):
    async def run(self, req: Request) -> JSONResponse:
        return JSONResponse(content={"status": "ok"})
""",
        # A backport of the standard library is the standard library it stands for: RFC
        # 9562's `uuid7` is `uuid.uuid7` from Python 3.14 on.
        """\
# file: app/domain/common/value_objects/id.py
from dataclasses import dataclass, field
from uuid import UUID

from uuid6 import uuid7


@dataclass(frozen=True)
class EntityId:
    value: UUID = field(default_factory=uuid7)
""",
        # FastAPI dependency classes (a security scheme, providers reading `request.state`)
        # in a providers' module: they resolve things for routes, they are no use cases.
        """\
# file: app/shared/infra/http/dependencies.py
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBearer

from app.shared.domain.auth import AuthService as AuthPort


class AuthService:
    def __call__(self, request: Request) -> AuthPort:
        return request.state.auth_service


class JWTBearer(HTTPBearer):
    def __init__(self, auto_error: bool = True) -> None:
        super().__init__(auto_error=auto_error)

    async def __call__(self, request: Request, auth: Annotated[AuthPort, Depends(AuthService())]) -> str:
        credentials = await super().__call__(request)
        if credentials is None or not await auth.knows(credentials.credentials):
            raise HTTPException(status_code=403, detail="Invalid token")
        return credentials.credentials
# file: app/shared/domain/auth.py
from typing import Protocol


class AuthService(Protocol):
    async def knows(self, token: str) -> bool: ...
""",
        """\
# file: app/domain/book.py
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing_extensions import Self
# file: app/infrastructure/persistence/mongo.py
from motor.motor_asyncio import AsyncIOMotorClient
import pymongo
""",
        """\
# file: app/application/use_cases/create_book.py
import asyncio
import logging
from app.domain import book
# file: app/domain/__init__.py
# file: app/domain/book.py
# file: app/web/schemas.py
from pydantic import BaseModel
""",
        # Django's `apps.py` registers its package with the framework: the composition
        # root's wiring, wherever it is filed.
        """\
# file: backend/application/apps.py
from django.apps import AppConfig


class ApplicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "application"

    def ready(self) -> None:
        from application import signals  # noqa: F401
# file: backend/application/signals.py
# file: backend/application/use_cases/enroll.py
from domain.course import Course
# file: backend/domain/course.py
class Course: ...
""",
        # A FastAPI web layer kept in a folder named `application` is web by its content
        # (reported once, as HEX105): its framework imports are the web layer's.
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
""",
        # The SQL repositories' abstract base, with behaviour, beside SQLAlchemy in a package
        # named `adapter`: the adapters' own base, not a port, so it stays infrastructure.
        """\
# file: app/adapter/sql_base.py
from abc import ABC, abstractmethod
from typing import Any

from sqlalchemy import select


class SqlRepository(ABC):
    def __init__(self, session: Any) -> None:
        self.session = session

    @property
    @abstractmethod
    def table(self) -> Any: ...

    async def count(self) -> int:
        return len((await self.session.scalars(select(self.table))).all())
# file: app/infrastructure/db/loans.py
from typing import Any

from app.adapter.sql_base import SqlRepository


class SqlLoanRepository(SqlRepository):
    @property
    def table(self) -> Any:
        return "loans"
""",
        # The providers that build the use cases, under `api/dependencies/usecases/`, are
        # the composition root's: FastAPI's `Depends` and `HTTPException` belong there.
        """\
# file: app/api/dependencies/usecases/books.py
from fastapi import Depends, HTTPException

from app.application.use_cases.add_book import AddBook

add_book: AddBook | None = None


def get_add_book() -> AddBook:
    if add_book is None:
        raise HTTPException(status_code=503, detail="not wired yet")
    return add_book


AddBookDependency = Depends(get_add_book)
# file: app/application/use_cases/add_book.py
class AddBook:
    def execute(self, title: str) -> str:
        return title
""",
        # An unnamed package of a port and the service that implements it over an HTTP
        # client (`external/`): the service is the client's adapter, whatever its name, so
        # its `httpx` is no error. (A use case implements at most its own use case.)
        """\
# file: app/external/interfaces.py
from abc import ABC, abstractmethod


class IEmailService(ABC):
    @abstractmethod
    async def send(self, to: str, subject: str) -> bool: ...
# file: app/external/email_service.py
import httpx

from app.external.interfaces import IEmailService
from app.infrastructure.retry import CircuitBreaker


class EmailService(IEmailService):
    def __init__(self, breaker: CircuitBreaker, api_key: str = "") -> None:
        self.breaker = breaker
        self.api_key = api_key

    async def send(self, to: str, subject: str) -> bool:
        async with httpx.AsyncClient() as client:
            response = await self.breaker.call(client.post, "https://mail.example/send", json={"to": to})
        return response.status_code == 202
# file: app/infrastructure/retry.py
class CircuitBreaker:
    async def call(self, function, *args, **kwargs):
        return await function(*args, **kwargs)
""",
        # A FastAPI layer kept in `application/api/` beside use cases in `logic/`: the error
        # body its routes import (`schemas.py`) anchors it as the routes do, so the whole
        # folder is the web's (one HEX105) and its app factory the composition's: neither
        # `fastapi` nor `pydantic` is an error there.
        """\
# file: src/app/application/api/main.py
from fastapi import FastAPI

from app.application.api.users.handlers import router


def create_app() -> FastAPI:
    app = FastAPI(title="Tasks")
    app.include_router(router)
    return app
# file: src/app/application/api/schemas.py
from pydantic import BaseModel


class ErrorSchema(BaseModel):
    error: str
# file: src/app/application/api/users/schemas.py
from pydantic import BaseModel


class CreateUserIn(BaseModel):
    email: str


class UserOut(BaseModel):
    id: str
    email: str
# file: src/app/application/api/users/handlers.py
from fastapi import APIRouter, HTTPException, status

from app.application.api.schemas import ErrorSchema
from app.application.api.users.schemas import CreateUserIn, UserOut
from app.logic.users import CreateUser, EmailTaken

router = APIRouter(prefix="/users")


@router.post("", response_model=UserOut, responses={409: {"model": ErrorSchema}})
async def create_user(payload: CreateUserIn) -> UserOut:
    try:
        user = await CreateUser().execute(payload.email)
    except EmailTaken as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    return UserOut(id=user.id, email=user.email)
# file: src/app/logic/users.py
from dataclasses import dataclass


class EmailTaken(Exception):
    pass


@dataclass
class User:
    id: str
    email: str


class CreateUser:
    async def execute(self, email: str) -> User:
        return User(id="1", email=email)
""",
        # A Flask CLI's `commands.py` (click and `current_app`) is the driving side, not the
        # application's command handlers.
        """\
# file: src/shop/flask/commands.py
import click
from flask import current_app

from src.shop.core.interactors.invite_accountant import InviteAccountantInteractor


@click.argument("email_address")
def invite_accountant(email_address: str) -> None:
    interactor = current_app.extensions["injector"].get(InviteAccountantInteractor)
    if interactor.execute(email_address):
        click.echo(f"An invitation has been sent to {email_address}.")
# file: src/shop/flask/__init__.py
from flask import Flask

from src.shop.flask.commands import invite_accountant


def create_app() -> Flask:
    app = Flask(__name__)
    app.cli.command("invite-accountant")(invite_accountant)
    return app
# file: src/shop/core/interactors/invite_accountant.py
from dataclasses import dataclass
from typing import Protocol


class Invitations(Protocol):
    def send(self, email_address: str) -> bool: ...


@dataclass
class InviteAccountantInteractor:
    invitations: Invitations

    def execute(self, email_address: str) -> bool:
        return self.invitations.send(email_address)
""",
        # The IDDD layout's `port/adapter/resource/`: routes in a few modules, and their
        # request and response models one a file in `request/` and `response/` folders
        # beside them, imported through those folders' `__init__`. The models are the
        # routes' own, so the package is the web's, its base class with it.
        """\
# file: app/domain/__init__.py
# file: app/domain/model/__init__.py
# file: app/domain/model/user.py
import abc


class UserRepository(abc.ABC):
    @abc.abstractmethod
    def find(self, email: str) -> None: ...
# file: app/port/__init__.py
# file: app/port/adapter/__init__.py
# file: app/port/adapter/persistence/__init__.py
# file: app/port/adapter/persistence/user_repository.py
from sqlalchemy.orm import Session

from domain.model.user import UserRepository


class MySQLUserRepository(UserRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, email: str) -> None:
        self.session.execute("select 1")
# file: app/port/adapter/resource/__init__.py
from port.adapter.resource.api_resource import APIResource
# file: app/port/adapter/resource/api_resource.py
import abc

from fastapi import APIRouter


class APIResource(abc.ABC):
    router: APIRouter
# file: app/port/adapter/resource/auth/__init__.py
# file: app/port/adapter/resource/auth/auth_resource.py
from fastapi import APIRouter

from port.adapter.resource import APIResource
from port.adapter.resource.auth.request import LoginRequest, RegisterRequest
from port.adapter.resource.auth.response import TokenJson


class AuthResource(APIResource):
    router = APIRouter(prefix="/auth")

    def __init__(self) -> None:
        self.router.add_api_route("/register", self.register, methods=["POST"])
        self.router.add_api_route("/token", self.login, methods=["POST"], response_model=TokenJson)

    def register(self, request: RegisterRequest) -> None:
        return None

    def login(self, request: LoginRequest) -> TokenJson:
        return TokenJson(access_token="t")
# file: app/port/adapter/resource/auth/request/__init__.py
from .login_request import LoginRequest
from .register_request import RegisterRequest
# file: app/port/adapter/resource/auth/request/login_request.py
from pydantic import BaseModel


class LoginRequest(BaseModel):
    email: str
    password: str
# file: app/port/adapter/resource/auth/request/register_request.py
from pydantic import BaseModel


class RegisterRequest(BaseModel):
    email: str
    password: str
# file: app/port/adapter/resource/auth/response/__init__.py
from .token_json import TokenJson
# file: app/port/adapter/resource/auth/response/token_json.py
from pydantic import BaseModel


class TokenJson(BaseModel):
    access_token: str
# file: app/port/adapter/resource/dependency.py
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token")


def get_current_user(token: str = Depends(oauth2_scheme)) -> str:
    if not token:
        raise HTTPException(status_code=401)
    return token
# file: app/port/adapter/resource/user/__init__.py
# file: app/port/adapter/resource/user/user_resource.py
from fastapi import APIRouter, Depends

from port.adapter.resource import APIResource
from port.adapter.resource.dependency import get_current_user


class UserResource(APIResource):
    router = APIRouter(prefix="/users")

    def __init__(self) -> None:
        self.router.add_api_route("/me", self.me, methods=["GET"])

    def me(self, user: str = Depends(get_current_user)) -> dict:
        return {"user": user}
""",
    )
    invalid = (
        """\
# file: api/domain.py
from dataclasses import dataclass

from sqlalchemy import Column  # error: HEX102


@dataclass
class Order:  # a flat layout under a root package called `api`: `domain.py` is the domain
    total: int
# file: api/infrastructure.py
from api.domain import Order


class SqlOrders:
    def add(self, order: Order) -> None: ...
""",
        """\
# file: app/domain/book.py
from pydantic import BaseModel  # error: HEX102
import attr  # error: HEX102
""",
        # An application service over a session that implements the services' abstract
        # base: a use case that imports a driver, not that base's adapter.
        """\
# file: src/shared/application/services/base.py
from abc import ABC, abstractmethod


class BaseApplicationService(ABC):
    @abstractmethod
    async def describe(self) -> str: ...
# file: src/products/application/services/product_service.py
from sqlalchemy.ext.asyncio import AsyncSession  # error: HEX102

from src.shared.application.services.base import BaseApplicationService


class ProductApplicationService(BaseApplicationService):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def describe(self) -> str:
        return "products"

    async def count(self) -> int:
        return int(await self._session.scalar("select count(*) from products"))
""",
        """\
# file: app/application/use_cases/create_book.py
from motor.motor_asyncio import AsyncIOMotorCollection  # error: HEX102

def handler() -> None:
    from fastapi import HTTPException  # error: HEX102
""",
        # Use cases of an unnamed package that implement their own abstract use cases: the
        # one that imports an HTTP client is still a use case, and the client its error.
        """\
# file: app/orders/ports.py
from abc import ABC, abstractmethod


class PaymentGateway(ABC):
    @abstractmethod
    async def charge(self, order_id: str, cents: int) -> str: ...


class PlaceOrderUseCase(ABC):
    @abstractmethod
    async def execute(self, order_id: str) -> str: ...


class CancelOrderUseCase(ABC):
    @abstractmethod
    async def execute(self, order_id: str) -> None: ...
# file: app/orders/place_order.py
import httpx  # error: HEX102

from app.orders.ports import PaymentGateway, PlaceOrderUseCase


class PlaceOrder(PlaceOrderUseCase):
    def __init__(self, gateway: PaymentGateway) -> None:
        self.gateway = gateway

    async def execute(self, order_id: str) -> str:
        try:
            return await self.gateway.charge(order_id, 1200)
        except httpx.HTTPError:
            return "retry"
# file: app/orders/cancel_order.py
from app.orders.ports import CancelOrderUseCase, PaymentGateway


class CancelOrder(CancelOrderUseCase):
    def __init__(self, gateway: PaymentGateway) -> None:
        self.gateway = gateway

    async def execute(self, order_id: str) -> None:
        await self.gateway.charge(order_id, 0)
""",
        # Use cases that import a `Session`, beside their port and its implementation: what
        # they define (use cases) outweighs what they import, so they stay application.
        """\
# file: app/notifications/application/ports.py
from abc import ABC, abstractmethod


class Mailer(ABC):
    @abstractmethod
    async def send(self, to: str) -> None: ...
# file: app/notifications/application/mailer.py
from app.notifications.application.ports import Mailer


class LoggingMailer(Mailer):
    async def send(self, to: str) -> None:
        print(to)
# file: app/notifications/application/notify_overdue.py
from sqlalchemy.orm import Session  # error: HEX102

from app.notifications.application.ports import Mailer


class NotifyOverdue:
    def __init__(self, session: Session, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer

    async def execute(self, reader: str) -> None:
        await self.mailer.send(reader)
# file: app/notifications/application/notify_reserved.py
from sqlalchemy.orm import Session  # error: HEX102

from app.notifications.application.ports import Mailer


class NotifyReserved:
    def __init__(self, session: Session, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer

    async def execute(self, reader: str) -> None:
        await self.mailer.send(reader)
""",
        # A port beside an HTTP client's import is still a port when use cases placed by
        # what they are (`services/`, no layer's name) are handed it; so is a service that
        # implements its interface and calls `httpx` itself while it is handed a repository.
        """\
# file: weather/adapters/open_meteo.py
import httpx

from weather.clients.base import WeatherClient


class OpenMeteoClient(WeatherClient):
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(self, city: str) -> httpx.Response:
        return await self.http.get("https://api.open-meteo.com/v1/forecast", params={"city": city})

    async def temperature(self, city: str) -> float:
        return (await self.raw(city)).json()["current"]["temperature"]
# file: weather/api/weather.py
from fastapi import APIRouter

from weather.services.forecast import ForecastService

router = APIRouter()
service: ForecastService


@router.get("/forecast/{city}")
async def forecast(city: str) -> dict:
    return {"forecast": await service.execute(city)}
# file: weather/clients/base.py
from abc import ABC, abstractmethod

import httpx  # error: HEX102


class WeatherClient(ABC):
    # What the services need from a weather provider.

    @abstractmethod
    async def temperature(self, city: str) -> float: ...

    @abstractmethod
    async def raw(self, city: str) -> httpx.Response: ...
# file: weather/services/alerts.py
from weather.clients.base import WeatherClient


class FrostAlertService:
    def __init__(self, weather: WeatherClient) -> None:
        self.weather = weather

    async def execute(self, city: str) -> bool:
        return await self.weather.temperature(city) < 0
# file: weather/services/forecast.py
from weather.clients.base import WeatherClient


class ForecastService:
    def __init__(self, weather: WeatherClient) -> None:
        self.weather = weather

    async def execute(self, city: str) -> str:
        degrees = await self.weather.temperature(city)
        return "cold" if degrees < 10 else "warm"
# file: shop/api/orders.py
from fastapi import APIRouter

from shop.services.interfaces import IOrderService

router = APIRouter()
service: IOrderService


@router.post("/orders/{order_id}/pay")
async def pay(order_id: str) -> dict:
    return {"paid": await service.pay(order_id)}
# file: shop/domain/orders.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class Order:
    id: str
    total_cents: int
    paid: bool = False

    def mark_paid(self) -> None:
        self.paid = True


class OrderRepository(ABC):
    @abstractmethod
    async def get(self, order_id: str) -> Order: ...

    @abstractmethod
    async def save(self, order: Order) -> None: ...
# file: shop/infrastructure/memory.py
from shop.domain.orders import Order, OrderRepository


class InMemoryOrderRepository(OrderRepository):
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}

    async def get(self, order_id: str) -> Order:
        return self.orders[order_id]

    async def save(self, order: Order) -> None:
        self.orders[order.id] = order
# file: shop/services/interfaces.py
from abc import ABC, abstractmethod


class IOrderService(ABC):
    @abstractmethod
    async def pay(self, order_id: str) -> bool: ...


class IRefundService(ABC):
    @abstractmethod
    async def refund(self, order_id: str) -> None: ...
# file: shop/services/order_service.py
import httpx  # error: HEX102

from shop.domain.orders import OrderRepository
from shop.services.interfaces import IOrderService


class OrderService(IOrderService):
    def __init__(self, orders: OrderRepository, payments_url: str) -> None:
        self.orders = orders
        self.payments_url = payments_url

    async def pay(self, order_id: str) -> bool:
        order = await self.orders.get(order_id)
        async with httpx.AsyncClient() as client:
            response = await client.post(self.payments_url, json={"amount": order.total_cents})
        if response.status_code != 201:
            return False
        order.mark_paid()
        await self.orders.save(order)
        return True
# file: shop/services/refund_service.py
from shop.domain.orders import OrderRepository
from shop.services.interfaces import IRefundService


class RefundService(IRefundService):
    def __init__(self, orders: OrderRepository) -> None:
        self.orders = orders

    async def refund(self, order_id: str) -> None:
        order = await self.orders.get(order_id)
        order.paid = False
        await self.orders.save(order)
""",
        # An `apps.py` the domain's own code imports (for its `label`) is read as part of
        # the domain, and its Django import with it.
        """\
# file: app/domain/apps.py
from django.apps import AppConfig  # error: HEX102


class CatalogConfig(AppConfig):
    name = "app.domain"
    label = "catalog"
# file: app/domain/events.py
from app.domain.apps import CatalogConfig


class BookPublished:
    source = CatalogConfig.label
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for module, facts in model.modules.items()
            if model.layer(module) is not None
            for fact in facts.imports
            if model.external_package(fact) is not None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for module, facts in model.modules.items():
            layer = model.layer(module)
            if layer is None:
                continue
            policy = model.config.package_policy(layer)
            for fact, package in model.forbidden_imports(facts, layer):
                if fact.type_checking and model.config.type_checking_imports == "allow":
                    continue
                if policy.allow_only is not None and package not in policy.forbid:
                    allowed = and_list(("the standard library", *policy.allow_only))
                    reason = f"{layer.value} may import only {allowed}"
                else:
                    reason = f"'{package}' is forbidden in {layer.value}"
                message = (
                    f"{layer.value} module '{module}' imports the external package '{package}'; {reason}"
                )
                yield self.finding(facts, fact.span, message, f"{module} -> {package}", model)
