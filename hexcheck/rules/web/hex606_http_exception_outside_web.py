"""HEX606 http-exception-outside-web: HTTPException is raised outside the web and
composition layers."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ClassFact, FunctionFact, ModuleFacts, Span
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.semantics.fastapi import WebIndex, web_index
from hexcheck.semantics.libraries import HTTP_EXCEPTIONS
from hexcheck.semantics.roles import is_test_module, roles
from hexcheck.semantics.walk import all_functions, every_call, functions_of


class HttpExceptionOutsideWeb(Rule):
    code = "HEX606"
    name = "http-exception-outside-web"
    severity = Severity.WARNING
    concern = "web"
    summary = "HTTPException is raised outside the web and composition layers."
    subject = "raising functions outside the web layer raise no HTTP errors"
    why = (
        "Status codes are the web adapter's vocabulary. A use case or a repository that "
        "raises `HTTPException` has decided how the failure is shown to an HTTP client, "
        "which it cannot know: the same use case also runs from a CLI, a queue consumer or "
        "a test, where a 404 means nothing, and it now imports FastAPI. Modules outside "
        "every layer are not checked, nor routes that nothing of the project calls, "
        "wherever they are filed (a controller kept with its use case and registered with "
        "`add_api_route`: where it lives is the layers' concern; one a use case also calls "
        "is judged where it lives), nor FastAPI's own extension points wherever they "
        "live (a function passed to `Depends`, a method or a function returned by a "
        "factory that takes its own parameters through it, a subclass of a FastAPI or "
        "Starlette class such as a security scheme or a middleware): answering in HTTP is "
        "their job."
    )
    how_to_fix = (
        "Raise a domain or application exception that says what happened, and map it to "
        "a status code in the web layer with an exception handler.\n\n"
        "Before, in `app/application/use_cases/get_book.py`:\n\n"
        "    if book is None:\n"
        '        raise HTTPException(status_code=404, detail="book not found")\n\n'
        "After:\n\n"
        "    if book is None:\n"
        "        raise BookNotFound(book_id)\n\n"
        "and in the app factory: `app.add_exception_handler(BookNotFound, not_found)`."
    )
    valid = (
        """\
# file: app/web/books.py
from fastapi import HTTPException


def get_book(use_case, book_id):
    book = use_case.execute(book_id)
    if book is None:
        raise HTTPException(status_code=404)
    return book
# file: app/main.py
from starlette.exceptions import HTTPException


def guard(request):
    raise HTTPException(status_code=401)
# file: app/application/errors.py
class BookNotFound(Exception):
    pass
# file: app/application/get_book.py
from app.application.errors import BookNotFound


class GetBook:
    def execute(self, book_id):
        raise BookNotFound(book_id)
""",
        """\
# file: scripts/seed.py
from fastapi import HTTPException


def seed():  # unlayered: not checked
    raise HTTPException(status_code=500)
# file: app/infrastructure/http_client.py
class HTTPException(Exception):  # a first-party class of the same name
    pass


def fetch():
    raise HTTPException("upstream failed")
# file: app/infrastructure/auth/schemes.py
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2


class OAuth2CookieBearer(OAuth2):  # a FastAPI security scheme, whatever its folder
    async def __call__(self, request):
        raise HTTPException(status_code=401)


cookie_scheme = OAuth2CookieBearer()


async def get_current_user(token: str = Depends(cookie_scheme)):  # a FastAPI dependency
    raise HTTPException(status_code=401)
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.infrastructure.auth.schemes import get_current_user

router = APIRouter(dependencies=[Depends(get_current_user)])
""",
        # The same in a web layer kept in a folder named `application` (HEX105).
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
        # Nested functions and methods that take their own parameters through `Depends`
        # are FastAPI dependencies wherever they live: the checker a factory returns, and
        # a method of an auth helper that a route takes as `Depends(auth.require_user)`.
        """\
# file: app/infrastructure/security/permissions.py
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

bearer = HTTPBearer()


def require_permission(codename: str):
    def permission_checker(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> str:
        if codename not in credentials.credentials:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN)
        return credentials.credentials

    return permission_checker


class AuthGuard:
    async def require_user(self, credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> str:
        if not credentials:
            raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
        return credentials.credentials
""",
        # A route filed with its use case (a folder per action) and registered with
        # `add_api_route`, in an application package whose ports and use cases keep it
        # the application's: the route is the web's wherever the team keeps it, and
        # answering in HTTP is its job. Where it is filed is the layers' concern.
        """\
# file: source/transfer/application/ports.py
from typing import Protocol


class AccountRepository(Protocol):
    def balance(self, account_id: str) -> int: ...

    def add(self, account_id: str, amount: int) -> int: ...


class PriceProvider(Protocol):
    def price(self, currency: str) -> int: ...
# file: source/transfer/domain/errors.py
class InvalidAmount(Exception):
    pass
# file: source/transfer/application/use_cases/deposit/use_case.py
from source.transfer.application.ports import AccountRepository
from source.transfer.domain.errors import InvalidAmount


class DepositUseCase:
    def __init__(self, accounts: AccountRepository) -> None:
        self._accounts = accounts

    def execute(self, account_id: str, amount: int) -> int:
        if amount <= 0:
            raise InvalidAmount(amount)
        return self._accounts.add(account_id, amount)
# file: source/transfer/application/use_cases/swap/use_case.py
from source.transfer.application.ports import AccountRepository, PriceProvider


class SwapUseCase:
    def __init__(self, accounts: AccountRepository, prices: PriceProvider) -> None:
        self._accounts = accounts
        self._prices = prices

    def execute(self, account_id: str, currency: str) -> int:
        amount = self._accounts.balance(account_id) * self._prices.price(currency)
        return self._accounts.add(account_id, amount)
# file: source/transfer/application/use_cases/deposit/controller.py
from fastapi import HTTPException

from source.transfer.application.use_cases.deposit.use_case import DepositUseCase
from source.transfer.domain.errors import InvalidAmount


def deposit(account_id: str, amount: int, use_case: DepositUseCase) -> dict[str, int]:
    try:
        balance = use_case.execute(account_id, amount)
    except InvalidAmount as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return {"balance": balance}
# file: source/transfer/application/router.py
from fastapi import APIRouter

from source.transfer.application.use_cases.deposit.controller import deposit

router = APIRouter(prefix="/transfer")
router.add_api_route("/deposit", deposit, methods=["POST"])
""",
    )
    invalid = (
        # A service taking its session through `Depends`, called by the route directly:
        # FastAPI never resolves it, and the application has chosen a status code.
        """\
# file: app/application/users.py
from fastapi import Depends, HTTPException

from app.infrastructure.db import get_db


def register_user(email: str, db=Depends(get_db)) -> str:
    if email in db:
        raise HTTPException(status_code=400, detail="taken")  # error: HEX606
    return email
# file: app/infrastructure/db.py
def get_db() -> set[str]:
    return set()
# file: app/web/routes.py
from app.application.users import register_user
from app.infrastructure.db import get_db


async def post_user(email: str) -> str:
    return register_user(email, get_db())
""",
        """\
# file: app/application/use_cases/get_book.py
from fastapi import HTTPException, status


class GetBook:
    def execute(self, book_id):
        book = self._books.get(book_id)
        if book is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)  # error: HEX606
        return book
""",
        """\
# file: app/infrastructure/persistence/mongo_books.py
import fastapi
from starlette import exceptions


class MongoBookRepository:
    async def get(self, book_id):
        try:
            return await self._books.find_one({"_id": book_id})
        except KeyError:
            raise fastapi.HTTPException(status_code=503)  # error: HEX606

    async def delete(self, book_id):
        raise exceptions.HTTPException(status_code=501)  # error: HEX606
""",
        # The use cases' DTOs in `application/dtos/`, which the routes of `api/` import, stay
        # the application's however many Pydantic models they hold: one that raises
        # `HTTPException` is reported, not taken for the web.
        """\
# file: app/application/dtos/project_dtos.py
from fastapi import HTTPException
from pydantic import BaseModel


class ProjectCreate(BaseModel):
    name: str


def require_name(payload: ProjectCreate) -> str:
    if not payload.name.strip():
        raise HTTPException(status_code=400, detail="a project needs a name")  # error: HEX606
    return payload.name
# file: app/application/dtos/task_dtos.py
from pydantic import BaseModel


class TaskCreate(BaseModel):
    title: str
# file: app/api/v1/endpoints/projects.py
from fastapi import APIRouter

from app.application.dtos.project_dtos import ProjectCreate, require_name
from app.application.dtos.task_dtos import TaskCreate

router = APIRouter(prefix="/projects")


@router.post("")
async def create_project(payload: ProjectCreate) -> dict:
    return {"name": require_name(payload)}


@router.post("/{project_id}/tasks")
async def create_task(project_id: int, payload: TaskCreate) -> dict:
    return {"project": project_id, "title": payload.title}
""",
        # A route in the application that a use case also calls: run from the command
        # line, the 404 it decides means nothing. It is judged where it lives.
        """\
# file: shop/domain/orders.py
from dataclasses import dataclass


@dataclass
class Order:
    id: str
    total: int

    def __post_init__(self) -> None:
        if self.total < 0:
            raise ValueError("a total is never negative")
# file: shop/application/ports.py
from typing import Protocol

from shop.domain.orders import Order


class OrderRepository(Protocol):
    def get(self, order_id: str) -> Order | None: ...

    def save(self, order: Order) -> None: ...
# file: shop/application/cancel_order.py
from fastapi import HTTPException

from shop.application.ports import OrderRepository


def cancel_order(order_id: str, orders: OrderRepository) -> dict[str, str]:
    order = orders.get(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")  # error: HEX606
    order.total = 0
    orders.save(order)
    return {"status": "cancelled"}
# file: shop/application/close_day.py
from shop.application.cancel_order import cancel_order
from shop.application.ports import OrderRepository


class CloseDayUseCase:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    def execute(self, open_ids: list[str]) -> None:
        for order_id in open_ids:
            cancel_order(order_id, self._orders)
# file: shop/web/router.py
from fastapi import APIRouter

from shop.application.cancel_order import cancel_order

router = APIRouter(prefix="/orders")
router.add_api_route("/{order_id}/cancel", cancel_order, methods=["POST"])
""",
    )

    def examined(self, model: ProjectModel) -> int:
        """Functions of domain, application and infrastructure that raise something."""
        return sum(
            1
            for module, facts in model.modules.items()
            if model.layer(module) in (Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE)
            for _, function in functions_of(facts)
            if any(fact.exception for fact in function.raises)
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        routes = _routes_only(model)
        for module, facts in sorted(model.modules.items()):
            layer = model.layer(module)
            if layer not in (Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE):
                continue
            assert layer is not None
            for cls, function in functions_of(facts):
                # Whether the function speaks HTTP by contract is asked only of the few
                # that raise an HTTPException: it walks the class's ancestry.
                http = [fact for fact in function.raises if self._is_http_exception(model, fact.exception)]
                if http and function.nested:
                    answered = _raised_by_nested_dependencies(index, function)
                    http = [fact for fact in http if fact.span not in answered]
                if (
                    not http
                    or (module, function.qualname) in routes
                    or self._speaks_http(index, facts, cls, function)
                ):
                    continue
                owner = f"{cls.qualname}.{function.name}" if cls else function.name
                for fact in http:
                    raised = model.resolve_symbol(fact.exception)
                    what = (
                        "HTTPException"
                        if raised in HTTP_EXCEPTIONS
                        else f"'{raised.rpartition('.')[2]}', an HTTPException"
                    )
                    message = (
                        f"{layer.value} code '{owner}' raises {what}; status codes belong to the web layer"
                    )
                    symbol = f"{module}.{owner}:HTTPException"
                    yield self.finding(facts, fact.span, message, symbol, model)

    @staticmethod
    def _speaks_http(
        index: WebIndex, facts: ModuleFacts, cls: ClassFact | None, function: FunctionFact
    ) -> bool:
        """FastAPI's own extension points answer in HTTP by contract, wherever they live: a
        dependency (`Depends(get_current_user)`), a security scheme or a middleware class
        (a subclass of a FastAPI/Starlette class). Their place is another rule's concern.
        A method that takes a parameter through `Depends`/`Security` is one too, named
        in a `Depends` or not (`auth.require_user`, a checker class's `__call__`): only
        FastAPI fills such parameters. A module-level function with such a parameter
        counts only when a `Depends` names it: a service written
        `register_user(email, db=Depends(get_db))` that routes call directly is still the
        application deciding a status code."""
        if cls is None:
            return f"{facts.module}.{function.name}" in index.dependency_functions
        if _takes_dependencies(index, function):
            return True
        ancestors = index.model.ancestors(f"{facts.module}.{cls.qualname}")
        return any(a.partition(".")[0] in ("fastapi", "starlette") for a in ancestors)

    @staticmethod
    def _is_http_exception(model: ProjectModel, exception: str) -> bool:
        if not exception or "?" in exception:
            return False
        canonical = model.resolve_symbol(exception)
        if canonical in HTTP_EXCEPTIONS:
            return True
        return model.is_first_party(canonical) and bool(set(model.ancestors(canonical)) & HTTP_EXCEPTIONS)


def _routes_only(model: ProjectModel) -> frozenset[tuple[str, str]]:
    """The routes (module, qualname) that nothing of the project calls, tests aside: a
    route is the web's wherever its module is filed, and answering in HTTP is its job.
    One the core also calls (a use case running `cancel_order(...)` from a CLI) decides
    a status code for every caller, and is judged where it lives; a test calling it
    asserts what it answers."""
    routes = {handler.dotted: handler for handler in roles(model).route_handlers}
    names = {dotted.rpartition(".")[2] for dotted in routes}
    called = {
        model.resolve_symbol(call.callee)
        for module, facts in model.modules.items()
        if not is_test_module(module)
        for call in every_call(facts)
        if call.callee.rpartition(".")[2] in names
    }
    return frozenset(
        (handler.facts.module, handler.function.qualname)
        for dotted, handler in routes.items()
        if dotted not in called
    )


def _raised_by_nested_dependencies(index: WebIndex, function: FunctionFact) -> frozenset[Span]:
    """Where the functions nested in `function` that take a parameter through `Depends`
    raise: the checker a `require_permission(...)` factory returns is a FastAPI
    dependency, and its raises are counted in the factory's too."""
    return frozenset(
        fact.span
        for nested in all_functions(function.nested)
        if _takes_dependencies(index, nested)
        for fact in nested.raises
    )


def _takes_dependencies(index: WebIndex, function: FunctionFact) -> bool:
    return any(index.is_injected(param) for param in function.params)
