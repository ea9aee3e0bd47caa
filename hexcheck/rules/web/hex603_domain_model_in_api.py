"""HEX603 domain-model-in-api: A route handler takes or returns a domain class instead of a
DTO."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import Expr, Span
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.fastapi import WebIndex, keyword_arg, route_decorator, web_index
from hexcheck.semantics.roles import ClassRef, roles
from hexcheck.semantics.routes import RouteHandler
from hexcheck.semantics.walk import every_call

# Bases that make a domain class a scalar on the wire (an id, an amount, a date).
_SCALAR_BASES = frozenset(
    {"str", "int", "float", "bytes", "bool", "uuid.UUID", "decimal.Decimal",
     "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta"}
)  # fmt: skip
# Names of API schemas: `CreateBookRequest`, `BookOut`, `ArticleResponse`, `BookSchema`,
# `TaskCreateModel`, `TaskReadModel` (a Pydantic "model" of the request or the response).
_DTO_NAME = re.compile(
    r"(Request|Response|Schema|Dto|DTO|In|Out|Create|Update|Read|Payload|Body|Params)(Model)?$"
)
# Names of the messages a CQRS API takes as they are (`CreateCompanyCommand`, `...Query`),
# when they are bare: a `DeviceCommand` with an `id` and a `mark_sent()` is an entity.
_MESSAGE_NAME = re.compile(r"(Command|Query)(Model)?$")


# Who reads a domain model: the domain itself, its use cases and the adapters that persist it.
_READERS_OF_THE_MODEL = frozenset({Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE})


def _is_scalar_base(name: str) -> bool:
    return name.removeprefix("builtins.") in _SCALAR_BASES or name.startswith("enum.")


class DomainModelInApi(Rule):
    code = "HEX603"
    name = "domain-model-in-api"
    severity = Severity.WARNING
    concern = "web"
    summary = "A route handler takes or returns a domain class instead of a DTO."
    subject = "route parameters and responses use DTOs"
    why = (
        "A domain class in a handler's signature or `response_model=` becomes the public "
        "API: FastAPI derives the JSON schema from it, so renaming a field of an entity "
        "breaks every client, an internal attribute leaks into responses, and a request "
        "body is parsed straight into the domain without the DTO that validates the shape "
        "of the input. DTOs let the API and the model evolve at their own pace. Injected "
        "dependencies (`Depends(...)`, also a name a router factory binds to one and "
        "an `Annotated` names: `Annotated[User, current_user_dep]`) are not part of the "
        "API and are not reported; nor "
        "are domain enums and scalar value types, nor Pydantic schemas that merely sit in "
        "the domain package, named like DTOs (`BookResponse`) or, bare (no public method, "
        "no `id`), like messages (`CreateCompanyCommand`, `GetCatalogsQuery`: what a CQRS "
        "API takes as it is) or without behaviour in a "
        "module that no use case, entity or adapter imports (HEX102 reports the Pydantic "
        "import there)."
    )
    how_to_fix = (
        "Declare a Pydantic DTO in the web layer and map between it and the entity in a "
        "mapper.\n\n"
        "Before:\n\n"
        '    @router.get("/books/{book_id}")\n'
        "    async def get_book(book_id: str, use_case=Depends(provide_get_book)) -> Book:\n"
        "        return await use_case.execute(book_id)\n\n"
        "After:\n\n"
        '    @router.get("/books/{book_id}", response_model=BookResponse)\n'
        "    async def get_book(book_id: str, use_case=Depends(provide_get_book)) -> BookResponse:\n"
        "        return BookMapper.to_response(await use_case.execute(book_id))"
    )
    valid = (
        # A command kept with the domain's messages, taken by the route as it is: a CQRS
        # API speaks commands.
        """\
# file: services/shared/domain/company/commands/create_company.py
from pydantic import BaseModel


class CreateCompanyCommand(BaseModel):
    name: str
    country: str
# file: services/company/app/api/v1/endpoint/company.py
from fastapi import APIRouter, Depends

from app.application.handlers import CreateCompanyHandler, provide_handler
from shared.domain.company.commands.create_company import CreateCompanyCommand

router = APIRouter()


@router.post("/companies")
async def create(
    command: CreateCompanyCommand, handler: CreateCompanyHandler = Depends(provide_handler)
) -> dict[str, str]:
    return {"id": await handler.handle(command)}
# file: services/company/app/application/handlers.py
from shared.domain.company.commands.create_company import CreateCompanyCommand


class CreateCompanyHandler:
    async def handle(self, command: CreateCompanyCommand) -> str:
        return command.name


def provide_handler() -> CreateCompanyHandler:
    return CreateCompanyHandler()
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass
from enum import Enum

@dataclass
class Book:
    title: str

class Genre(Enum):
    NOVEL = "novel"
    ESSAY = "essay"
# file: app/domain/user.py
from dataclasses import dataclass

@dataclass
class User:
    name: str
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends

from app.domain.book import Book, Genre
from app.domain.user import User
from app.web.schemas import BookResponse
from app.web.security import get_current_user

router = APIRouter()


@router.get("/books", response_model=list[BookResponse])
async def list_books(
    genre: Genre | None = None,
    user: User = Depends(get_current_user),
) -> list[Book]:  # response_model decides what goes out
    return []


@router.get("/me")
async def me(user: Annotated[User, Depends(get_current_user)]) -> BookResponse:
    return BookResponse(title=user.name)
""",
        """\
# file: app/domain/ids.py
class BookId(str):
    pass
# file: app/domain/schemas.py
from pydantic import BaseModel


class BookResponse(BaseModel):  # an API schema in the wrong package: HEX102's finding
    title: str


class BookCreateModel(BaseModel):  # the request's schema, named for what it carries
    title: str
# file: app/web/books.py
from fastapi import APIRouter

from app.domain.ids import BookId
from app.domain.schemas import BookCreateModel, BookResponse

router = APIRouter()


@router.get("/books/{book_id}")
async def get_book(book_id: BookId) -> BookResponse:
    return BookResponse(title=book_id)


@router.post("/books")
async def add_book(book: BookCreateModel) -> BookResponse:
    return BookResponse(title=book.title)
""",
        # A Pydantic model of a domain module that only the web imports is an API schema,
        # whatever its name: no use case, entity or adapter reads it.
        """\
# file: domain/rest/auth_resp.py
from pydantic import BaseModel


class AuthLoginResp(BaseModel):
    access_token: str
    token_type: str = "bearer"
# file: router/auth.py
from fastapi import APIRouter

from domain.rest import auth_resp

router = APIRouter()


@router.post("/auth/login")
async def login() -> auth_resp.AuthLoginResp:
    return auth_resp.AuthLoginResp(access_token="...")
""",
        # A router factory binds the dependency to a name once and each route's `Annotated`
        # names it: the current user is injected, not read from the request.
        """\
# file: modules/products/api/routers/product_router.py
from typing import Annotated, Callable

from fastapi import APIRouter, Depends

from modules.products.api.schemas import ProductOut
from modules.users.domain.entities.user import User


def create_product_router(current_user_provider: Callable[[], User]) -> APIRouter:
    router = APIRouter(prefix="/products")
    current_user_dep = Depends(current_user_provider)

    @router.get("/", response_model=list[ProductOut])
    async def get_products(current_user: Annotated[User, current_user_dep]) -> list[ProductOut]:
        return [ProductOut(id="p1", owner=str(current_user.id))]

    return router
# file: modules/products/api/schemas.py
from pydantic import BaseModel


class ProductOut(BaseModel):
    id: str
    owner: str
# file: modules/users/domain/entities/user.py
from dataclasses import dataclass
from uuid import UUID


@dataclass
class User:
    id: UUID
    email: str

    def __post_init__(self) -> None:
        if "@" not in self.email:
            raise ValueError("invalid email")
""",
        # The same dependency bound at module level.
        """\
# file: app/api/me.py
from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.auth import get_current_user
from app.api.schemas import MeOut
from app.domain.user import User

router = APIRouter()
current_user_dep = Depends(get_current_user)


@router.get("/me", response_model=MeOut)
async def me(current_user: Annotated[User, current_user_dep]) -> MeOut:
    return MeOut(email=current_user.email)
# file: app/api/auth.py
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

from app.domain.user import User

oauth2 = OAuth2PasswordBearer(tokenUrl="token")


def get_current_user(token: str = Depends(oauth2)) -> User:
    if not token:
        raise HTTPException(status_code=401)
    return User(email="a@b.c")
# file: app/api/schemas.py
from pydantic import BaseModel


class MeOut(BaseModel):
    email: str
# file: app/domain/user.py
from dataclasses import dataclass


@dataclass
class User:
    email: str

    def __post_init__(self) -> None:
        if "@" not in self.email:
            raise ValueError("invalid email")
""",
        # The same dependency bound once in a module of providers and given as the default
        # (`current_user: User = CurrentUser`): injected, as `Depends(...)` written there is.
        """\
# file: app/features/auth/api/router.py
from fastapi import APIRouter

from app.features.auth.api.dependencies import CurrentUser
from app.features.auth.api.schemas import ProfileOut
from app.features.auth.domain.user import User

router = APIRouter()


@router.get("/me", response_model=ProfileOut)
async def profile(current_user: User = CurrentUser) -> ProfileOut:
    return ProfileOut(email=current_user.email)
# file: app/features/auth/api/dependencies.py
from fastapi import Depends, HTTPException
from fastapi.security import HTTPBearer

from app.features.auth.domain.user import User

bearer = HTTPBearer()


def get_current_user(credentials=Depends(bearer)) -> User:
    if not credentials.credentials:
        raise HTTPException(status_code=401)
    return User(email="a@b.c")


CurrentUser = Depends(get_current_user)
# file: app/features/auth/api/schemas.py
from pydantic import BaseModel


class ProfileOut(BaseModel):
    email: str
# file: app/features/auth/domain/user.py
from dataclasses import dataclass


@dataclass
class User:
    email: str

    def __post_init__(self) -> None:
        if "@" not in self.email:
            raise ValueError("invalid email")
""",
    )
    invalid = (
        # An entity named for what it is, a device's command, with its `id` and behaviour:
        # the route exposes the model, whatever `...Command` says.
        """\
# file: iot/domain/device_command.py
from pydantic import BaseModel


class DeviceCommand(BaseModel):
    id: str
    device_id: str
    status: str = "pending"

    def mark_sent(self) -> None:
        self.status = "sent"
# file: iot/application/send_command.py
from iot.domain.device_command import DeviceCommand


class SendCommand:
    async def execute(self, command: DeviceCommand) -> DeviceCommand:
        command.mark_sent()
        return command
# file: iot/api/commands.py
from fastapi import APIRouter

from iot.application.send_command import SendCommand
from iot.domain.device_command import DeviceCommand

router = APIRouter()


@router.post("/commands")
async def send(command: DeviceCommand) -> dict[str, str]:  # error: HEX603
    sent = await SendCommand().execute(command)
    return {"status": sent.status}
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass

@dataclass
class Book:
    title: str
# file: app/web/books.py
from typing import Optional

from fastapi import APIRouter

from app.domain.book import Book

router = APIRouter()


@router.get("/books/{book_id}")
async def get_book(book_id: str) -> Optional[Book]:  # error: HEX603
    return None


@router.put("/books/{book_id}", response_model=list[Book])  # error: HEX603
async def replace_book(
    book_id: str,
    book: Book,  # error: HEX603
):
    return [book]
""",
        """\
# file: app/domain/__init__.py
from app.domain.member import Member
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    name: str
# file: app/web/members.py
from typing import Annotated

from fastapi import APIRouter, Body

from app import domain

router = APIRouter()


@router.post("/members")
async def register_member(member: Annotated[domain.Member, Body()]) -> dict:  # error: HEX603
    return {}
""",
        # An entity written as a Pydantic model that the use cases read is the domain's.
        """\
# file: app/domain/user.py
from pydantic import BaseModel


class User(BaseModel):
    name: str
# file: app/application/get_user.py
from app.domain.user import User


class GetUser:
    def execute(self, name: str) -> User:
        return User(name=name)
# file: app/web/users.py
from fastapi import APIRouter

from app.domain.user import User

router = APIRouter()


@router.get("/users/{name}")
async def get_user(name: str) -> User:  # error: HEX603
    return User(name=name)
""",
        # A Pydantic entity with behaviour, which the composition root's provider reads
        # too, is the domain's model however few modules import it.
        """\
# file: app/api/users.py
from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.domain.user import User

router = APIRouter()


@router.get("/users/me")
async def read_me(user: User = Depends(get_current_user)) -> User:  # error: HEX603
    return user
# file: app/dependencies.py
from app.domain.user import User


async def get_current_user() -> User:
    return User(id=1, email="a@example.com", hashed_password="x")
# file: app/domain/user.py
from pydantic import BaseModel


class User(BaseModel):
    id: int
    email: str
    hashed_password: str
    is_active: bool = True

    def deactivate(self) -> None:
        self.is_active = False
""",
    )

    def examined(self, model: ProjectModel) -> int:
        """Every parameter that is part of the API, and every handler's response."""
        index = web_index(model)
        return sum(
            1
            + sum(
                1
                for param in handler.function.params
                if not index.is_injected(param, index.local_dependencies(handler))
            )
            for handler in roles(model).route_handlers
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for handler in roles(model).route_handlers:
            function = handler.function
            name = display_name(function)
            local = index.local_dependencies(handler)
            for param in function.params:
                if index.is_injected(param, local):
                    continue
                for ref in self._domain_classes(index, param.annotation):
                    message = (
                        f"route handler '{name}' takes the domain class '{ref.cls.name}' as "
                        f"parameter '{param.name}'; the API should speak DTOs"
                    )
                    symbol = f"{handler.dotted}:param:{param.name}"
                    yield self.finding(handler.facts, param.span, message, symbol, model)
                    break
            decorator = route_decorator(handler)
            response_model = keyword_arg(decorator, "response_model") if decorator is not None else None
            if response_model is not None:
                for ref in self._domain_classes(index, response_model):
                    message = (
                        f"route handler '{name}' declares the domain class '{ref.cls.name}' "
                        "as its response_model; the API should speak DTOs"
                    )
                    symbol = f"{handler.dotted}:response_model"
                    yield self.finding(handler.facts, self._decorator_span(handler), message, symbol, model)
                    break
                continue
            for ref in self._domain_classes(index, function.returns):
                message = (
                    f"route handler '{name}' returns the domain class '{ref.cls.name}'; "
                    "the API should speak DTOs"
                )
                yield self.finding(handler.facts, function.span, message, f"{handler.dotted}:return", model)
                break

    @staticmethod
    def _decorator_span(handler: RouteHandler) -> Span:
        """The route decorator's call, recorded among the module's (or the enclosing
        function's) calls; the function itself if it cannot be found."""
        function = handler.function
        callee = f"{handler.router}.{handler.method}"
        candidates = [
            call.span
            for call in every_call(handler.facts)
            if call.callee == callee and call.span.line < function.span.line
        ]
        return max(candidates, key=lambda span: span.line) if candidates else function.span

    @staticmethod
    def _domain_classes(index: WebIndex, annotation: Expr | None) -> Iterator[ClassRef]:
        for name in index.types(annotation):
            ref = index.cls(name)
            if ref is None or index.layer_of(ref) is not Layer.DOMAIN:
                continue
            if index.roles.is_exception(ref) or index.roles.is_port(ref):
                continue
            if any(_is_scalar_base(a) for a in index.roles.ancestors(ref)):
                continue  # enums, `class BookId(str)`, `class Id(uuid.UUID)`: scalars on the wire
            if index.roles.is_pydantic_model(ref) and (
                _DTO_NAME.search(ref.cls.name)
                or (_MESSAGE_NAME.search(ref.cls.name) and _a_bare_message(ref))
                or _read_by_the_web_alone(index, ref)
            ):
                continue  # an API schema kept in the domain package: HEX102 says where it belongs
            yield ref


def _has_public_behaviour(ref: ClassRef) -> bool:
    """A public method of its own that is no validator or property (undecorated)."""
    return any(not method.name.startswith("_") and not method.decorators for method in ref.cls.methods)


def _a_bare_message(ref: ClassRef) -> bool:
    """Whether a model named as a message has no public behaviour and no `id` of its own:
    what to do, not a thing kept."""
    return not _has_public_behaviour(ref) and not any(
        attribute.name == "id" for attribute in ref.cls.attributes
    )


def _read_by_the_web_alone(index: WebIndex, ref: ClassRef) -> bool:
    """Whether a Pydantic model of the domain is an API schema whatever its name
    (`domain/rest/auth_resp.py`'s `AuthLoginBaseResp`): it has no public behaviour, and no
    module of the core or the adapters imports its module."""
    if _has_public_behaviour(ref):
        return False
    importers = index.model.importers(ref.facts.module)
    return bool(importers) and all(
        index.model.layer(module) not in _READERS_OF_THE_MODEL for module in importers
    )
