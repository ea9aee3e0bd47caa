"""The web rules (HEX601-HEX609) beyond their examples: how routes, routers and their
security are found, and the shapes real projects use."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.analysis.model import ProjectModel
from hexcheck.core.config import Config
from hexcheck.extract.extractor import extract
from hexcheck.semantics.fastapi import public_by_name
from tests.conftest import write_project


def findings(root: Path, project: str, *codes: str, **config: object) -> list[tuple[str, int, str, str]]:
    write_project(root, project)
    report = hexcheck.check(["."], replace(Config(), select=codes, **config))  # type: ignore[arg-type]
    return [(f.location.path, f.location.line, f.code, f.message) for f in report.findings]


ROUTER_FACTORIES = """\
# file: app/web/routers.py
from typing import Any

from fastapi import APIRouter


class ErrorAwareRouter(APIRouter):
    pass


def make_error_aware_router(**kwargs: Any) -> ErrorAwareRouter:
    return ErrorAwareRouter(**kwargs)
# file: app/web/users/create_user.py
from fastapi import APIRouter

from app.web.routers import make_error_aware_router


def make_create_user_router() -> APIRouter:
    router = make_error_aware_router()

    @router.post("/")
    async def create_user(payload: dict):
        return payload

    return router
# file: app/web/users/router.py
from fastapi import APIRouter, Depends
from fastapi.security import APIKeyCookie

from app.web.users.create_user import make_create_user_router


def make_users_router(cookie_name: str) -> APIRouter:
    router = APIRouter(prefix="/users"{dependencies})
    router.include_router(make_create_user_router())
    return router
"""


def test_a_route_on_a_router_built_by_a_factory_is_a_route(in_tmp: Path) -> None:
    project = ROUTER_FACTORIES.replace("{dependencies}", "")
    found = findings(in_tmp, project, "HEX607")
    assert [(path, line, code) for path, line, code, _ in found] == [
        ("app/web/users/create_user.py", 10, "HEX607")
    ]


def test_security_of_the_router_a_factory_is_included_in_counts(in_tmp: Path) -> None:
    secured = ", dependencies=[Depends(APIKeyCookie(name=cookie_name))]"
    assert findings(in_tmp, ROUTER_FACTORIES.replace("{dependencies}", secured), "HEX607") == []


def test_routes_registered_on_an_app_received_as_parameter(in_tmp: Path) -> None:
    project = """\
# file: app/web/todo_routes.py
from fastapi import FastAPI


class TodoRoutes:
    def register(self, app: FastAPI) -> None:
        @app.get("/todos")
        def get_todos():
            items = []
            for i in range(3):
                if i:
                    items.append(i)
            return items
"""
    found = findings(in_tmp, project, "HEX601")
    assert [(line, code) for _, line, code, _ in found] == [(7, "HEX601")]
    assert "route handler 'get_todos' has a loop (line 9)" in found[0][3]


def test_a_dependency_from_a_module_known_under_a_longer_name(in_tmp: Path) -> None:
    """`from core.security import get_user` in a project whose modules are `app.core...`."""
    project = """\
# file: app/__init__.py
# file: app/core/__init__.py
# file: app/core/security.py
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

scheme = OAuth2PasswordBearer(tokenUrl="/token")


def get_user_dep(token: str = Depends(scheme)):
    return token
# file: app/api/__init__.py
# file: app/api/users.py
from fastapi import APIRouter, Depends

from core.security import get_user_dep

router = APIRouter()


@router.delete("/users/{user_id}")
def delete_user(user_id: str, user=Depends(get_user_dep)):
    return None
"""
    assert findings(in_tmp, project, "HEX607") == []


def test_routes_public_by_design_are_recognised_by_name_or_path(in_tmp: Path) -> None:
    project = """\
# file: app/web/account.py
from fastapi import APIRouter

router = APIRouter()


@router.post("/sign-up")
async def create_account(payload: dict):
    return None


@router.post("/auth/token")
async def issue(form: dict):
    return None


@router.post("/stripe")
async def stripe_webhook(event: dict):
    return None


@router.put("/books/{book_id}/cover")
async def refresh_cover(book_id: str):
    return None
"""
    found = findings(in_tmp, project, "HEX607")
    assert [(line, code) for _, line, code, _ in found] == [(22, "HEX607")]
    assert found[0][3].startswith("PUT route handler 'refresh_cover' has no security dependency")


def test_max_handler_statements_is_configurable(in_tmp: Path) -> None:
    project = """\
# file: app/web/books.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/books")
async def list_books(use_case=None):
    books = await use_case.execute()
    total = len(books)
    return {"items": books, "total": total}
"""
    assert findings(in_tmp, project, "HEX601") == []
    found = findings(in_tmp, project, "HEX601", max_handler_statements=2)
    assert [(line, code) for _, line, code, _ in found] == [(7, "HEX601")]
    assert "3 statements (more than 2)" in found[0][3]


def test_unmapped_exceptions_need_an_http_edge(in_tmp: Path) -> None:
    """A domain package checked alone has nowhere to map its exceptions: nothing to say."""
    project = """\
# file: app/domain/errors.py
class BookNotAvailable(Exception):
    pass
# file: app/domain/book.py
from app.domain.errors import BookNotAvailable


def borrow(book):
    raise BookNotAvailable(book)
"""
    assert findings(in_tmp, project, "HEX605") == []
    app_alone = project + "# file: app/main.py\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
    assert findings(in_tmp, app_alone, "HEX605") == []  # no route runs `borrow`
    with_edge = app_alone + "# file: app/api/books.py\nfrom app.domain.book import borrow\n"
    found = findings(in_tmp, with_edge, "HEX605")
    assert [(path, line) for path, line, _, _ in found] == [("app/domain/errors.py", 1)]
    assert "'BookNotAvailable' is raised (in 'app.domain.book.borrow')" in found[0][3]


def test_exceptions_raised_only_while_classes_are_defined_or_by_an_abstract_base_are_not_reported(
    in_tmp: Path,
) -> None:
    """A page metaclass (deriving from Pydantic's, so known as one by `metaclass=`) refuses a
    page class without Meta, and the abstract base page refuses to be built: both happen at
    import or by a programming error, never in a request. Looking a page type up by name
    happens in requests."""
    project = """\
# file: cms/domain/exceptions.py
class MissingMetaError(Exception):
    pass
# file: cms/domain/page.py
from pydantic._internal._model_construction import ModelMetaclass
from pydantic import BaseModel

from cms.domain.exceptions import MissingMetaError


class AbstractPageError(Exception):
    pass


class UnknownPageType(Exception):
    pass


class PageMetaclass(ModelMetaclass):
    def __new__(mcls, name, bases, namespace, **kwargs):
        meta = namespace.get("Meta")
        if meta is None:
            raise MissingMetaError(name)
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class AbstractPage(BaseModel, metaclass=PageMetaclass):
    class Meta:
        abstract = True

    def __init__(self, **kwargs):
        if self.__meta__.abstract is True:
            raise AbstractPageError(self.__class__.__name__)
        super().__init__(**kwargs)


def resolve_page_type(types, name):
    if name not in types:
        raise UnknownPageType(name)
    return types[name]
# file: cms/main.py
from fastapi import FastAPI

app = FastAPI()
# file: cms/api/pages.py
import cms.domain.page
"""
    found = findings(in_tmp, project, "HEX605")
    assert [(path, line, code) for path, line, code, _ in found] == [("cms/domain/page.py", 11, "HEX605")]
    assert "'UnknownPageType' is raised (in 'cms.domain.page.resolve_page_type')" in found[0][3]


def test_a_class_hook_s_own_raise_is_left_out_but_not_one_of_a_function_it_installs(in_tmp: Path) -> None:
    """`__init_subclass__` runs when a subclass is defined (at import); the `run` it defines
    and installs runs on every call, so its raise can reach a request."""
    project = """\
# file: app/application/errors.py
class UnnamedCommand(Exception):
    pass


class NotAllowed(Exception):
    pass
# file: app/application/commands.py
from app.application.errors import NotAllowed, UnnamedCommand


class AdminCommand:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__doc__:
            raise UnnamedCommand(cls.__name__)
        handle = cls.handle

        def run(self, user):
            def check():
                if not user.admin:
                    raise NotAllowed(user)

            check()
            return handle(self, user)

        cls.run = run
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/admin.py
import app.application.commands
"""
    found = findings(in_tmp, project, "HEX605")
    assert [(path, line, code) for path, line, code, _ in found] == [
        ("app/application/errors.py", 5, "HEX605")
    ]
    assert (
        "(in 'app.application.commands.AdminCommand.__init_subclass__.<locals>.run.<locals>.check')"
        in found[0][3]
    )


def test_a_controller_telling_exceptions_apart_by_class_name_maps_those_it_names(in_tmp: Path) -> None:
    """A controller catching everything and answering by `type(error).__name__` maps the
    names it tests; the rest fall to its one catch-all answer, a 500."""
    project = """\
# file: src/domain/exceptions.py
class NoChangeAvailable(Exception):
    pass


class NotEnoughCash(Exception):
    pass
# file: src/domain/machine.py
from src.domain.exceptions import NoChangeAvailable, NotEnoughCash


class Machine:
    def pay(self, price, cash):
        if cash < price:
            raise NotEnoughCash(price - cash)
        if cash - price > self.change:
            raise NoChangeAvailable()
        return cash - price
# file: src/presentation/controllers/machine.py
import src.domain.machine


class MachineController:
    def __init__(self, machine):
        self._machine = machine

    def pay(self, price, cash):
        try:
            return {"change": self._machine.pay(price, cash)}, 201
        except Exception as error:
            if type(error).__name__ in ("NoChangeAvailable", "SoldOut"):
                return {"error": str(error)}, 404
            return {"error": str(error)}, 500
# file: src/main/app.py
from fastapi import FastAPI

app = FastAPI()
"""
    found = findings(in_tmp, project, "HEX605")
    where = [(path, line, code) for path, line, code, _ in found]
    assert where == [("src/domain/exceptions.py", 5, "HEX605")]
    assert "'NotEnoughCash' is raised (in 'src.domain.machine.Machine.pay')" in found[0][3]


def test_exceptions_caught_in_tests_are_not_handled(in_tmp: Path) -> None:
    project = """\
# file: app/domain/errors.py
class BookNotAvailable(Exception):
    pass
# file: app/domain/book.py
from app.domain.errors import BookNotAvailable


def borrow(book):
    raise BookNotAvailable(book)
# file: app/domain/book_test.py
from app.domain.book import borrow
from app.domain.errors import BookNotAvailable


def test_borrow():
    try:
        borrow(None)
    except BookNotAvailable:
        pass
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/books.py
import app.domain.book
"""
    found = findings(in_tmp, project, "HEX605")
    assert [(path, code) for path, _, code, _ in found] == [("app/domain/errors.py", "HEX605")]


def test_a_domain_helper_translating_the_exception_handles_it(in_tmp: Path) -> None:
    """A Pydantic validator in the domain turning `InvalidPassword` into `ValueError`."""
    project = """\
# file: app/domain/password.py
class InvalidPassword(Exception):
    pass


class Password:
    def __init__(self, value: str) -> None:
        if len(value) < 8:
            raise InvalidPassword()


def validate(value: str) -> Password:
    try:
        return Password(value)
    except InvalidPassword as error:
        raise ValueError("invalid password") from error
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
"""
    assert findings(in_tmp, project, "HEX605") == []


def test_http_exception_subclasses_are_named(in_tmp: Path) -> None:
    project = """\
# file: app/web/errors.py
from fastapi import HTTPException


class NotFound(HTTPException):
    pass
# file: app/application/get_book.py
from app.web.errors import NotFound


class GetBook:
    def execute(self, book_id):
        raise NotFound(404)
"""
    found = findings(in_tmp, project, "HEX606")
    assert [(path, line) for path, line, _, _ in found] == [("app/application/get_book.py", 6)]
    assert "raises 'NotFound', an HTTPException" in found[0][3]


def test_providers_with_parameters_async_or_cached_are_left_alone(in_tmp: Path) -> None:
    project = """\
# file: app/application/create_book.py
class CreateBookUseCase:
    def execute(self, command): ...
# file: app/web/dependencies.py
from functools import lru_cache

from app.application.create_book import CreateBookUseCase


async def provide_async() -> CreateBookUseCase:
    return CreateBookUseCase()


@lru_cache(maxsize=1)
def provide_cached() -> CreateBookUseCase:
    return CreateBookUseCase()


def provide_plain() -> CreateBookUseCase:
    return CreateBookUseCase()
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.web import dependencies

router = APIRouter()


@router.post("/books")
async def create_book(
    a=Depends(dependencies.provide_async),
    b=Depends(dependencies.provide_cached),
    c=Depends(dependencies.provide_plain),
):
    return None
"""
    found = findings(in_tmp, project, "HEX608")
    assert [(path, line) for path, line, _, _ in found] == [("app/web/dependencies.py", 15)]
    assert "builds the use case 'CreateBookUseCase'" in found[0][3]


PUBLIC_ROUTES = """\
# file: app/web/auth.py
import jwt
from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

router = APIRouter()


@router.post("/session")
async def open_session(form: OAuth2PasswordRequestForm = Depends()):
    return {}


@router.post("/refresh")
async def refresh(payload: dict):
    return {"access_token": jwt.encode(payload, "secret")}


@router.post("/register")
async def register(payload: dict):
    return payload


@router.post("/oauth/callback")
async def provider_callback(payload: dict):
    return payload


@router.post("/notes")
async def add_note(payload: dict):
    return payload
"""


def test_routes_public_by_name_alone_are_counted_not_reported_and_logins_by_structure_are_neither(
    in_tmp: Path,
) -> None:
    assert findings(in_tmp, PUBLIC_ROUTES, "HEX607") == [
        (
            "app/web/auth.py",
            29,
            "HEX607",
            "POST route handler 'add_note' has no security dependency in its parameters, its "
            "decorator or its router",
        )
    ]
    source = (in_tmp / "app/web/auth.py").read_bytes()
    model = ProjectModel([extract(source, "app.web.auth", "app/web/auth.py")], Config())
    assert sorted(handler.function.name for handler in public_by_name(model)) == [
        "provider_callback",
        "register",
    ]


CLASS_BASED_VIEWS = """\
# file: app/web/security.py
from fastapi.security import APIKeyHeader

api_key = APIKeyHeader(name="X-Key")
# file: app/web/shelves.py
from classy_fastapi import Routable, delete, get, post
from fastapi import APIRouter, Depends

from app.web.security import api_key


class ShelfRoutes(Routable):
    @get("/shelves")
    async def list_shelves(self) -> list:
        return []

    @post("/shelves")
    async def add_shelf(self, payload: dict) -> dict:
        return payload

    @delete("/shelves/{shelf_id}", dependencies=[Depends(api_key)])
    async def remove_shelf(self, shelf_id: str) -> None:
        return None


class LabelRoutes:
    router = APIRouter(prefix="/labels")

    @router.put("/{label_id}")
    async def rename(self, label_id: str, payload: dict) -> dict:
        return payload
"""


def test_methods_of_class_based_views_are_routes(in_tmp: Path) -> None:
    assert [
        (line, message.split("'")[1]) for _, line, _, message in findings(in_tmp, CLASS_BASED_VIEWS, "HEX607")
    ] == [
        (13, "add_shelf"),
        (25, "rename"),
    ]


TRANSLATING_HANDLER = """\
# file: app/web/uploads.py
import logging

from fastapi import APIRouter, HTTPException

from app.application.uploads import BoxFull, BoxLocked, BoxNotFound, UploadTooLarge

log = logging.getLogger(__name__)
router = APIRouter()


@router.put("/boxes/{box_id}/uploads/{name}")
async def upload_file(box_id: str, name: str, payload: dict, use_case=None, session=None):
    try:
        upload_id = await use_case.execute(box_id, name, payload)
    except BoxNotFound as error:
        raise HTTPException(404) from error
    except BoxLocked as error:
        raise HTTPException(409) from error
    except BoxFull as error:
        BOX_FULL_BODY
        raise HTTPException(409) from error
    except UploadTooLarge as error:
        log.warning("refused %s bytes", error.size)
        raise HTTPException(413) from error
    except Exception as error:
        log.error(error, exc_info=True)
        raise HTTPException(500) from error
    return {"id": upload_id}
"""


def test_except_clauses_that_only_log_and_raise_count_as_one(in_tmp: Path) -> None:
    """ghga-de/file-services-backend: a route that maps each of its use case's errors to an
    HTTP error is thin, however many errors there are: the mapping is one step."""
    project = TRANSLATING_HANDLER.replace("BOX_FULL_BODY", 'log.info("box %s is full", box_id)')
    assert findings(in_tmp, project, "HEX601", max_handler_statements=4) == []
    found = findings(in_tmp, project, "HEX601", max_handler_statements=3)
    assert [(path, line, code) for path, line, code, _ in found] == [("app/web/uploads.py", 12, "HEX601")]
    assert "4 statements (more than 3)" in found[0][3]  # try, the call, the mapping, the return


def test_an_except_clause_that_does_work_counts_in_full(in_tmp: Path) -> None:
    """Rolling a session back (or assigning, or returning a body) is a decision of its own."""
    project = TRANSLATING_HANDLER.replace("BOX_FULL_BODY", "await session.rollback()")
    found = findings(in_tmp, project, "HEX601", max_handler_statements=4)
    assert [(path, line, code) for path, line, code, _ in found] == [("app/web/uploads.py", 12, "HEX601")]
    assert "6 statements (more than 4)" in found[0][3]  # and the BoxFull clause's two


def test_one_or_two_log_and_raise_clauses_count_in_full(in_tmp: Path) -> None:
    """tluanga-dev/fastapi-ddd-template: `except ValueError` and `except Exception` after a
    handler's own work are ordinary statements, not a translation table."""
    project = """\
# file: app/web/rentals.py
from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.post("/rentals/{rental_id}/pickup")
async def pickup(rental_id: str, payload: dict, use_case=None):
    try:
        result = await use_case.execute(rental_id, payload)
    except ValueError as error:
        raise HTTPException(400, str(error)) from error
    except Exception as error:
        raise HTTPException(500) from error
    return result
"""
    found = findings(in_tmp, project, "HEX601", max_handler_statements=4)
    assert [(path, line, code) for path, line, code, _ in found] == [("app/web/rentals.py", 7, "HEX601")]
    assert "5 statements (more than 4)" in found[0][3]


def test_a_service_the_composition_root_binds_to_the_routes_port_is_run_by_requests(in_tmp: Path) -> None:
    """The routes name only the inbound port; `main.py`, which includes their router, binds
    the service that raises (`dependency_overrides`): every request runs it."""
    project = """\
# file: app/application/errors.py
class OrderNotFound(Exception):
    pass
# file: app/application/ports/get_order.py
from abc import ABC, abstractmethod


class GetOrderUseCase(ABC):
    @abstractmethod
    def execute(self, order_id: str) -> dict: ...
# file: app/application/services/get_order_service.py
from app.application.errors import OrderNotFound
from app.application.ports.get_order import GetOrderUseCase


class GetOrderService(GetOrderUseCase):
    def __init__(self, orders: dict) -> None:
        self._orders = orders

    def execute(self, order_id: str) -> dict:
        if order_id not in self._orders:
            raise OrderNotFound(order_id)
        return self._orders[order_id]
# file: app/api/routes.py
from fastapi import APIRouter, Depends

from app.application.ports.get_order import GetOrderUseCase

router = APIRouter()


def get_use_case() -> GetOrderUseCase:
    raise NotImplementedError


@router.get("/orders/{order_id}")
def get_order(order_id: str, use_case: GetOrderUseCase = Depends(get_use_case)) -> dict:
    return use_case.execute(order_id)
# file: app/main.py
from fastapi import FastAPI

from app.api.routes import get_use_case, router
from app.application.services.get_order_service import GetOrderService

app = FastAPI()
app.include_router(router)
app.dependency_overrides[get_use_case] = lambda: GetOrderService({})
"""
    found = [(path, line) for path, line, _, _ in findings(in_tmp, project, "HEX605")]
    assert found == [("app/application/errors.py", 1)]


# A route kept with its use case (`application/use_cases/deposit/controller.py`), with a test
# beside it that calls the route. Only a project whose `exclude` no longer leaves test
# modules out scans it.
ROUTE_WITH_ITS_TEST = """\
# file: shop/application/ports.py
from typing import Protocol


class Accounts(Protocol):
    def add(self, account_id: str, amount: int) -> int: ...
# file: shop/application/use_cases/deposit/use_case.py
from shop.application.ports import Accounts


class InvalidAmount(Exception):
    pass


class DepositUseCase:
    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts

    def execute(self, account_id: str, amount: int) -> int:
        if amount <= 0:
            raise InvalidAmount(amount)
        return self._accounts.add(account_id, amount)
# file: shop/application/use_cases/deposit/controller.py
from fastapi import HTTPException

from shop.application.use_cases.deposit.use_case import DepositUseCase, InvalidAmount


def deposit(account_id: str, amount: int, use_case: DepositUseCase) -> dict[str, int]:
    try:
        return {"balance": use_case.execute(account_id, amount)}
    except InvalidAmount as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
# file: shop/application/router.py
from fastapi import APIRouter

from shop.application.use_cases.deposit.controller import deposit

router = APIRouter(prefix="/accounts")
router.add_api_route("/deposit", deposit, methods=["POST"])
# file: shop/application/use_cases/deposit/controller_test.py
import pytest
from fastapi import HTTPException

from shop.application.use_cases.deposit.controller import deposit
from shop.application.use_cases.deposit.use_case import DepositUseCase


class InMemoryAccounts:
    def add(self, account_id: str, amount: int) -> int:
        return amount


def test_a_negative_deposit_is_refused() -> None:
    with pytest.raises(HTTPException):
        deposit("acc-1", -5, DepositUseCase(InMemoryAccounts()))
"""


def test_a_route_a_test_calls_is_still_the_web_s(in_tmp: Path) -> None:
    # The test module is scanned (`exclude` keeps only the virtual environment out), and
    # it calls the route: a test asserts what the route answers, it is no second caller.
    assert findings(in_tmp, ROUTE_WITH_ITS_TEST, "HEX606", exclude=(".venv",)) == []
