"""HEX105 misplaced-module: A package's content contradicts the layer its name gives it."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import NO_SPAN
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.placement import placement


class MisplacedModule(Rule):
    code = "HEX105"
    name = "misplaced-module"
    severity = Severity.WARNING
    concern = "dependencies"
    summary = "A package's content contradicts the layer its name gives it."
    subject = "layer-named packages hold their layer's code"
    why = (
        "A folder's name is the first thing a reader and hexcheck use to tell the layers "
        "apart. A package named `application` that holds FastAPI routers and their "
        "Pydantic models tells both the wrong story: the reader looks for use cases and "
        "finds HTTP handlers, and every `fastapi` import in it reads as the application "
        "depending on the web framework. hexcheck checks such a package as the layer its "
        "content shows (so one misnamed folder is this one finding, not one per import) "
        "and says so here. It moves a package only when most of its modules agree and "
        "at least two independent kinds of evidence contradict the name (see "
        "docs/layer-detection.md)."
    )
    how_to_fix = (
        "Move the package to the layer its content belongs to, or rename it; or, if the "
        "name is right, place it by hand in `[tool.hexcheck.layers]`, which comes before "
        "any evidence.\n\n"
        "Before: `app/application/api/books.py` holds `router = APIRouter()` and "
        "`@router.get(...)` handlers with their Pydantic models.\n\n"
        "After: the package is `app/web/api/`, and `app/application/` keeps the use cases "
        "the handlers call."
    )
    valid = (
        # The team files its views under each app's `infrastructure/`, beside the
        # repositories they build: one app's `infrastructure/` holding views alone follows
        # that convention, and is no misnomer (its views are still checked as web).
        """\
# file: apps/members/domain/ports.py
from abc import ABC, abstractmethod


class MemberRepository(ABC):
    @abstractmethod
    def names(self) -> list[str]: ...
# file: apps/members/infrastructure/models.py
from django.db import models


class Member(models.Model):
    name = models.CharField(max_length=80)
# file: apps/members/infrastructure/repository.py
from apps.members.domain.ports import MemberRepository
from apps.members.infrastructure.models import Member


class DjangoMemberRepository(MemberRepository):
    def names(self) -> list[str]:
        return list(Member.objects.values_list("name", flat=True))
# file: apps/members/infrastructure/views.py
from rest_framework.decorators import api_view
from rest_framework.response import Response

from apps.members.infrastructure.repository import DjangoMemberRepository


@api_view(["GET"])
def members(request):
    return Response(DjangoMemberRepository().names())
# file: apps/members/infrastructure/urls.py
from django.urls import path

from apps.members.infrastructure.views import members

urlpatterns = [path("", members)]
# file: apps/reports/infrastructure/views.py
from rest_framework.decorators import api_view
from rest_framework.response import Response


@api_view(["GET"])
def summary(request):
    return Response({"members": 0})
# file: apps/reports/infrastructure/urls.py
from django.urls import path

from apps.reports.infrastructure.views import summary

urlpatterns = [path("summary/", summary)]
""",
        # A Django app kept in `infrastructure/`: its ORM models beside its views,
        # serializers and URLconf. The package holds both sides of the edge and keeps its
        # name; the repository that imports its models is no web's client.
        """\
# file: orders/infrastructure/django_app/models.py
from django.db import models


class OrderModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
# file: orders/infrastructure/django_app/serializers.py
from rest_framework import serializers


class AddLineSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=32)
# file: orders/infrastructure/django_app/urls.py
from django.urls import path

from orders.infrastructure.django_app.views import AddLineView

urlpatterns = [path("orders/<int:order_id>/lines/", AddLineView.as_view())]
# file: orders/infrastructure/django_app/views.py
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.infrastructure.django_app.serializers import AddLineSerializer


class AddLineView(APIView):
    def post(self, request, order_id: int) -> Response:
        AddLineSerializer(data=request.data).is_valid(raise_exception=True)
        return Response(status=204)
# file: orders/infrastructure/repositories/order_repository.py
from orders.infrastructure.django_app.models import OrderModel


class DjangoOrderRepository:
    def get(self, order_id: int) -> OrderModel:
        return OrderModel.objects.get(pk=order_id)
""",
        """\
# file: app/web/books.py
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter()


class BookOut(BaseModel):
    title: str


@router.get("/books/{book_id}")
async def get_book(book_id: str) -> BookOut:
    raise HTTPException(status_code=404)
# file: app/application/use_cases.py
class GetBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str):
        return self.books.get(book_id)
""",
        # A weak name (an outbound HTTP client package called `api` in infrastructure)
        # is re-placed silently.
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class RatesGateway(ABC):
    @abstractmethod
    def rate(self, currency: str) -> float: ...
# file: app/api/rates_client.py
import httpx

from app.application.ports import RatesGateway


class HttpRatesGateway(RatesGateway):
    def rate(self, currency: str) -> float:
        return httpx.get(f"https://rates.example/{currency}").json()["rate"]
""",
        # One kind of evidence (Pydantic models alone) moves nothing.
        """\
# file: app/application/dtos.py
from pydantic import BaseModel


class BookData(BaseModel):
    title: str
""",
        # Use cases that import a SQLAlchemy `Session` are use cases (HEX102 says the rest):
        # what a module defines outweighs what it imports, so with a port's implementation
        # beside them the package is still the application's.
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
from sqlalchemy.orm import Session

from app.notifications.application.ports import Mailer


class NotifyOverdue:
    def __init__(self, session: Session, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer

    async def execute(self, reader: str) -> None:
        await self.mailer.send(reader)
# file: app/notifications/application/notify_reserved.py
from sqlalchemy.orm import Session

from app.notifications.application.ports import Mailer


class NotifyReserved:
    def __init__(self, session: Session, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer

    async def execute(self, reader: str) -> None:
        await self.mailer.send(reader)
""",
    )
    invalid = (
        # `persistence/` may hold the application's ports without a finding (its name says
        # what they concern), but routes there are misfiled.
        """\
# file: app/persistence/__init__.py
# error: HEX105
# file: app/persistence/backups.py
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter()


class BackupOut(BaseModel):
    name: str


@router.get("/backups/{name}")
async def get_backup(name: str) -> BackupOut:
    raise HTTPException(status_code=404)
# file: app/persistence/restore.py
from fastapi import APIRouter

router = APIRouter()


@router.post("/restore")
async def restore() -> dict[str, str]:
    return {"status": "queued"}
""",
        """\
# file: app/application/api/__init__.py
__all__ = ["authors", "books"]  # error: HEX105
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
class GetBook:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self, book_id: str):
        return self.books.get(book_id)
# file: app/application/use_cases/list_books.py
class ListBooks:
    def __init__(self, books) -> None:
        self.books = books

    def execute(self) -> list[str]:
        return self.books.all()
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass


@dataclass
class Book:
    title: str
# file: app/domain/repositories.py
from abc import ABC, abstractmethod

from app.domain.book import Book


class BookRepository(ABC):
    @abstractmethod
    async def add(self, book: Book) -> None: ...
# file: app/domain/adapters/mongo_books.py
from motor.motor_asyncio import AsyncIOMotorDatabase  # error: HEX105

from app.domain.book import Book
from app.domain.repositories import BookRepository


class MongoBookRepository(BookRepository):
    def __init__(self, db: AsyncIOMotorDatabase) -> None:
        self.books = db["books"]

    async def add(self, book: Book) -> None:
        await self.books.insert_one({"title": book.title})
""",
        # Flask's web is evidence too: blueprints and the functions routed on them, kept
        # in `application/rest/` beside the app factory. The module that builds the app is
        # the composition root's; the blueprints' Flask imports are no HEX102.
        """\
# file: shop/application/app.py
from flask import Flask  # error: HEX105

from shop.application.rest import carts, orders


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(carts.blueprint)
    app.register_blueprint(orders.blueprint)
    return app
# file: shop/application/rest/carts.py
from flask import Blueprint, request

from shop.cart.use_cases.add_item import add_item

blueprint = Blueprint("carts", __name__, url_prefix="/carts")


@blueprint.route("/<cart_id>/items", methods=["POST"])
def add(cart_id: str):
    return add_item(cart_id, request.get_json())
# file: shop/application/rest/orders.py
from flask import Blueprint

from shop.application.rest.carts import blueprint as carts

blueprint = Blueprint("orders", __name__, url_prefix="/orders")


@blueprint.get("/<order_id>")
def show(order_id: str):
    return {"id": order_id}
# file: shop/cart/use_cases/add_item.py
def add_item(cart_id: str, item: object) -> dict[str, str]:
    return {"cart": cart_id}
""",
        # The web's package holds the app's assembly too (`api/main.py` builds the app and
        # includes the routers): it sides with the routes, so the whole `application`
        # package is the web's, reported once, and `main.py` is checked as the composition
        # root (no HEX102 for its `fastapi`, no HEX101 for importing the routers).
        """\
# file: app/application/__init__.py
__all__ = ["api"]  # error: HEX105
# file: app/application/api/main.py
from fastapi import FastAPI

from application.api.groups.routers import router as groups_router
from application.api.healthcheck import router as health_router
from application.api.users.routers import router as users_router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(health_router)
    app.include_router(users_router)
    app.include_router(groups_router)
    return app
# file: app/application/api/healthcheck.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
# file: app/application/api/users/routers.py
from fastapi import APIRouter, Depends, HTTPException

from application.api.users.filters import GetUsersFilters
from application.api.users.schemas import UserOut

router = APIRouter(prefix="/users")


@router.get("/")
async def list_users(filters: GetUsersFilters = Depends()) -> list[UserOut]:
    if filters.limit > 100:
        raise HTTPException(status_code=400)
    return []
# file: app/application/api/users/schemas.py
from pydantic import BaseModel


class UserOut(BaseModel):
    oid: str
    username: str
# file: app/application/api/users/filters.py
from dataclasses import dataclass


@dataclass
class GetUsersFilters:
    limit: int = 10
    offset: int = 0

    def window(self) -> tuple[int, int]:
        return self.offset, self.offset + self.limit
# file: app/application/api/groups/routers.py
from fastapi import APIRouter, Depends, HTTPException

from application.api.groups.filters import GetGroupsFilters
from application.api.groups.schemas import GroupOut

router = APIRouter(prefix="/groups")


@router.get("/")
async def list_groups(filters: GetGroupsFilters = Depends()) -> list[GroupOut]:
    if filters.limit > 100:
        raise HTTPException(status_code=400)
    return []
# file: app/application/api/groups/schemas.py
from pydantic import BaseModel


class GroupOut(BaseModel):
    oid: str
    title: str
# file: app/application/api/groups/filters.py
from dataclasses import dataclass


@dataclass
class GetGroupsFilters:
    limit: int = 10
    offset: int = 0

    def window(self) -> tuple[int, int]:
        return self.offset, self.offset + self.limit
# file: app/domain/entities/users.py
from dataclasses import dataclass


@dataclass
class User:
    oid: str
    username: str

    def __post_init__(self) -> None:
        if not self.username:
            raise ValueError("username")
""",
        # Where part of the package shows its name's layer (use cases and their port in
        # `application/use_cases/`), the package is mixed: only its `api/` is the web's,
        # the app's assembly siding with the routes there.
        """\
# file: app/application/__init__.py
__all__ = ["api", "use_cases"]
# file: app/application/api/__init__.py
__all__ = ["main"]  # error: HEX105
# file: app/application/api/main.py
from fastapi import FastAPI

from app.application.api.health import router as health_router
from app.application.api.orders import router as orders_router
from app.application.api.users import router as users_router


def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(health_router)
    app.include_router(users_router)
    app.include_router(orders_router)
    return app
# file: app/application/api/health.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
# file: app/application/api/orders.py
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter(prefix="/orders")


class OrderOut(BaseModel):
    id: int


@router.get("/{order_id}")
def get_order(order_id: int) -> OrderOut:
    if order_id < 0:
        raise HTTPException(status_code=404)
    return OrderOut(id=order_id)
# file: app/application/api/users.py
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from app.application.container import get_container
from app.application.use_cases.get_user import GetUserUseCase

router = APIRouter(prefix="/users")


class UserOut(BaseModel):
    id: int
    email: str


@router.get("/{user_id}")
def get(user_id: int) -> UserOut:
    user = get_container().resolve(GetUserUseCase).execute(user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return UserOut(id=user.id, email=user.email)
# file: app/application/container.py
from functools import lru_cache

import punq

from app.application.use_cases.get_user import GetUserUseCase
from app.application.use_cases.ports import UserRepository
from app.infrastructure.sql_users import SqlUserRepository


@lru_cache
def get_container() -> punq.Container:
    container = punq.Container()
    container.register(UserRepository, SqlUserRepository)
    container.register(GetUserUseCase)
    return container
# file: app/application/use_cases/ports.py
from typing import Protocol


class UserRepository(Protocol):
    def get(self, user_id: int) -> object | None: ...
# file: app/application/use_cases/get_user.py
from app.application.use_cases.ports import UserRepository


class GetUserUseCase:
    def __init__(self, users: UserRepository) -> None:
        self.users = users

    def execute(self, user_id: int) -> object | None:
        return self.users.get(user_id)
# file: app/infrastructure/sql_users.py
from sqlalchemy.orm import Session


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> object | None:
        return self.session.get(object, user_id)
""",
        # Django REST framework's delivery layer kept in `src/application/` (the use cases
        # live in `src/interactor/`): viewsets, serializers and the URLconf.
        """\
# file: src/application/__init__.py
# error: HEX105
# file: src/application/urls.py
from django.urls import include, path
from rest_framework import routers

from src.application.views.currency import CurrencyAPIView

router = routers.DefaultRouter()
router.register(r"currencies", CurrencyAPIView, basename="currency")

urlpatterns = [path("", include(router.urls))]
# file: src/application/views/currency.py
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from src.application.serializers.currency import CurrencySerializer
from src.interactor.use_cases.currency import ListCurrencies


class CurrencyAPIView(ViewSet):
    def list(self, request: Request) -> Response:
        currencies = ListCurrencies().execute()
        return Response(CurrencySerializer(currencies, many=True).data)
# file: src/application/views/account.py
from rest_framework.decorators import api_view
from rest_framework.response import Response


@api_view(["GET"])
def me(request) -> Response:
    return Response({"id": request.user.id})
# file: src/application/serializers/currency.py
from rest_framework import serializers


class CurrencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
# file: src/interactor/use_cases/currency.py
class ListCurrencies:
    def execute(self) -> list[dict[str, str]]:
        return []
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for verdict in placement(model).packages.values() if verdict.name.strong)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for verdict in placement(model).misplaced:
            facts = model.modules.get(verdict.package)
            if facts is None:  # a namespace package: its first module speaks for it
                first = min(name for name in model.modules if name.startswith(verdict.package + "."))
                facts = model.modules[first]
            assert verdict.content is not None and verdict.layer is not None and verdict.name.layer
            content = verdict.content
            assembly = f", with the app's assembly in {content.allied} more" if content.allied else ""
            message = (
                f"package `{verdict.package}` is named {verdict.name.layer.value} "
                f"(`{verdict.name.component}`) but holds {verdict.layer.value} code "
                f"({content.describe()} in {content.agreeing} of {content.evidenced} modules"
                f"{assembly}); its modules are checked as {verdict.layer.value}"
            )
            yield self.finding(facts, NO_SPAN, message, verdict.package, model)
