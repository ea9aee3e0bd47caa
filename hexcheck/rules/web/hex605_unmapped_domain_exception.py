"""HEX605 unmapped-domain-exception: A domain or application exception that is raised is
handled nowhere at the edge."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallFact, ClassFact, Expr, ExprKind, FunctionFact, ModuleFacts, Span
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.semantics.fastapi import call_keyword, web_index
from hexcheck.semantics.libraries import fronts_without_http, serves_http
from hexcheck.semantics.roles import BROAD_EXCEPTIONS, BUILTIN_EXCEPTIONS, ClassRef, is_test_module, roles
from hexcheck.semantics.routes import EXCEPTION_HANDLER_REGISTRARS
from hexcheck.semantics.symbols import BUILTIN_NAMES
from hexcheck.semantics.walk import all_functions, every_call, every_function, functions_of

# Too broad to count as mapping a specific exception.


class UnmappedDomainException(Rule):
    code = "HEX605"
    name = "unmapped-domain-exception"
    severity = Severity.WARNING
    concern = "web"
    summary = "A domain or application exception that is raised is handled nowhere at the edge."
    subject = "raised domain exceptions are mapped to HTTP"
    why = (
        'A domain exception is a business answer ("this book is not available", "no '
        'such member"). If no `except` clause and no exception handler translates it, '
        "FastAPI turns it into a bare HTTP 500: the client cannot tell a refused request "
        "from a crash, monitoring pages someone at night, and the message the domain "
        "carefully wrote is lost. An exception counts as handled when an `except` clause "
        "names it or a base class and does more than re-raise it, or an "
        "`exception_handler(...)`/`add_exception_handler(...)` registers it or a base "
        "class (Flask's `errorhandler(...)`/`register_error_handler(...)` and Falcon's "
        "`add_error_handler(...)` too), or a route's decorator maps it "
        "(fastapi-error-map's `@router.get(..., error_map={X: 404})`). `Exception` and "
        "`BaseException` themselves do "
        "not count: a handler for them maps everything to one answer, unless it looks the "
        "exception up in a table (`for exc_type, code in EXCEPTION_DICT.items(): if "
        "isinstance(error, exc_type)`): then each class the table names is mapped. A broad `except` "
        "clause testing the caught exception's class name "
        '(`if type(error).__name__ == "X":`) maps the classes it '
        "names when that branch returns or raises something, not when it only logs or "
        "re-raises. A raise in a class-definition hook (`__init_subclass__`, "
        "`__set_name__`, a metaclass's `__new__`/`__init__`/`__prepare__`) is not "
        "counted, since it runs at import, but one in a function such a hook defines is. "
        "A base class's guard against being instantiated itself (a raise under "
        "`if self.Meta.abstract:` or `if type(self) is Base:` in `__init__`, `__new__` or "
        "`__post_init__`, the flag read through the class's options or the class, never "
        "as an attribute of the instance) is not counted, since only a programming error "
        "trips it; nor is a raise of an error named for a handler lookup (`...Handler...`, "
        "`...Registered`, `UnknownJob`) in a class named as a registry, dispatcher, "
        "mediator or bus of handlers (`QueryDispatcher` raising `QueryHandlerNotFound`): a handler "
        "looked up but never registered is a wiring mistake, for which a 500 is right. "
        "Nor is a raise no request can run: one in a module that no module of "
        "the web (or the composition root that includes its routes) imports, directly "
        "or through others (a use case only a Celery task or a consumer runs, a package "
        "only tests import). Nor is anything reported in a project that answers no HTTP: "
        "one with no route that imports no HTTP server or web framework but a desktop, "
        "terminal or chat front end (Tkinter, Qt, Textual, Typer, aiogram...) or a "
        "framework of broker-driven consumers (FastStream), whose "
        "`controllers/` the web's name places all the same."
    )
    how_to_fix = (
        "Register an exception handler for it (or for a base class all your domain "
        "errors share) in the composition root, mapping it to a 4xx answer.\n\n"
        "Before:\n\n"
        "    class BookNotAvailable(DomainError): ...   # raised by BorrowBook, mapped nowhere\n\n"
        "After:\n\n"
        "    @app.exception_handler(BookNotAvailable)\n"
        "    async def book_not_available(request: Request, exc: BookNotAvailable) -> JSONResponse:\n"
        '        return JSONResponse(status_code=409, content={"detail": str(exc)})'
    )
    valid = (
        # Raised only where no request goes: a use case that a Celery task runs, which no
        # module of the web imports (directly or through others). A failed task is retried
        # or logged; it never answers HTTP.
        """\
# file: app/application/errors.py
class TrainingFailed(Exception):
    pass
# file: app/application/train_model.py
from app.application.errors import TrainingFailed


class TrainModel:
    def execute(self, dataset: list) -> None:
        if not dataset:
            raise TrainingFailed("empty dataset")
# file: app/infrastructure/tasks.py
from celery import shared_task

from app.application.train_model import TrainModel


@shared_task
def train(dataset: list) -> None:
    TrainModel().execute(dataset)
# file: app/api/routes.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health() -> dict:
    return {"status": "ok"}
""",
        """\
# file: src/application/errors.py
class CodeMismatchError(Exception):
    pass
# file: src/application/confirm.py
from src.application.errors import CodeMismatchError


class ConfirmRegistration:
    def __init__(self, codes) -> None:
        self._codes = codes

    async def execute(self, email: str, code: str) -> None:
        if await self._codes.get(email) != code:
            raise CodeMismatchError(email)
# file: src/api/exception_handler.py
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from src.application.errors import CodeMismatchError


class ExceptionMapper:
    def __init__(self) -> None:
        self.status_codes: dict[type[Exception], int] = {CodeMismatchError: 400}


class ExceptionHandler:
    def __init__(self, app: FastAPI, mapper: ExceptionMapper) -> None:
        self.app = app
        self.mapper = mapper

    def setup_handlers(self) -> None:
        for error in self.mapper.status_codes:  # the mapper's table is the mapping
            self.app.add_exception_handler(error, self.handle)

    async def handle(self, request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=self.mapper.status_codes[type(error)])
""",
        """\
# file: app/domain/errors.py
class DomainError(Exception):
    pass


class OrderNotFound(DomainError):
    pass


class TokenExpired(Exception):
    pass
# file: app/domain/orders.py
from app.domain.errors import OrderNotFound, TokenExpired


def find(orders: dict, order_id: str) -> dict:
    if order_id not in orders:
        raise OrderNotFound(order_id)
    if not orders[order_id]:
        raise TokenExpired(order_id)
    return orders[order_id]
# file: app/web/errors.py
from dataclasses import dataclass

from flask import Blueprint

from app.domain.errors import DomainError, TokenExpired

errors = Blueprint("errors", __name__)


@errors.app_errorhandler(DomainError)  # a blueprint's handler for the whole app
def domain_error(error: DomainError):
    return {"detail": str(error)}, 404


@dataclass
class Handler:
    exception_type: type
    status: int


HANDLERS = [Handler(TokenExpired, 401)]


def register(app) -> None:
    for handler in HANDLERS:  # the table is the mapping
        app.register_error_handler(handler.exception_type, lambda error: ({}, handler.status))
""",
        # One handler for every exception that looks what it caught up in a table of
        # statuses: each class the table names is mapped.
        """\
# file: src/application/exceptions.py
class NotFoundException(Exception):
    pass
# file: src/application/courses.py
from src.application.exceptions import NotFoundException


class CourseService:
    def __init__(self, courses) -> None:
        self._courses = courses

    def get(self, course_id: int) -> dict:
        course = self._courses.get(course_id)
        if course is None:
            raise NotFoundException(course_id)
        return course
# file: src/adapters/primary/config/exception_handler.py
from src.application.exceptions import NotFoundException

EXCEPTION_DICT = {NotFoundException: 404}


def handle_exception(error):
    for exc_type, code in EXCEPTION_DICT.items():
        if isinstance(error, exc_type):
            return str(error), code
    return {"error": "InternalServerError"}, 500
# file: src/adapters/primary/app.py
from flask import Flask

from src.adapters.primary.config.exception_handler import handle_exception
from src.application.courses import CourseService


def create_app(courses) -> Flask:
    app = Flask(__name__)
    service = CourseService(courses)

    @app.get("/courses/<int:course_id>")
    def get_course(course_id: int):
        return service.get(course_id)

    app.register_error_handler(Exception, handle_exception)
    return app
""",
        """\
# file: med/application/errors.py
class Error(Exception):
    pass


class PatientNotFound(Error):
    pass
# file: med/application/services.py
from med.application.errors import PatientNotFound


class Patients:
    def __init__(self, repo) -> None:
        self._repo = repo

    def get(self, patient_id: int) -> dict:
        patient = self._repo.get(patient_id)
        if patient is None:
            raise PatientNotFound(patient_id)
        return patient
# file: med/adapters/api/app.py
import falcon

from med.application.errors import Error


def handle(req, resp, error, params) -> None:
    raise falcon.HTTPBadRequest(description=str(error))


def create_app() -> falcon.App:
    app = falcon.App()
    app.add_error_handler(Error, handle)  # Falcon maps the base, and every subclass with it
    return app
""",
        """\
# file: app/domain/errors.py
class DomainError(Exception):
    pass

class BookNotAvailable(DomainError):
    pass

class MemberNotFound(DomainError):
    pass
# file: app/domain/book.py
from app.domain.errors import BookNotAvailable, MemberNotFound

def borrow(book):
    if not book.available:
        raise BookNotAvailable(book.id)
    raise MemberNotFound()
# file: app/main.py
from fastapi import FastAPI

from app.domain.errors import DomainError


def create_app() -> FastAPI:
    app = FastAPI()

    @app.exception_handler(DomainError)  # a base class maps every subclass
    async def domain_error(request, exc):
        return None

    return app
""",
        """\
# file: app/application/errors.py
class NotFound(Exception):
    pass

class Conflict(Exception):
    pass

class NeverRaised(Exception):
    pass
# file: app/application/__init__.py
from app.application.errors import Conflict, NotFound
# file: app/application/use_cases.py
from app.application import Conflict, NotFound

class GetBook:
    def execute(self, book_id):
        raise NotFound(book_id)

class AddBook:
    def execute(self, book):
        raise Conflict(book)
# file: app/web/books.py
from fastapi import HTTPException

from app.application.errors import Conflict
from app.web.exception_handlers import register


def add_book(use_case, book):
    try:
        return use_case.execute(book)
    except Conflict as error:
        raise HTTPException(status_code=409) from error
# file: app/web/exception_handlers.py
from app.application.errors import NotFound


def register(app) -> None:
    app.add_exception_handler(NotFound, None)
""",
        """\
# file: app/application/errors.py
class BookNotFound(Exception):
    pass

class Conflict(Exception):
    pass

class Unavailable(Exception):
    pass
# file: app/application/get_book.py
from app.application.errors import BookNotFound, Conflict, Unavailable

class GetBook:
    def execute(self, book_id):
        if not book_id:
            raise BookNotFound(book_id)
        if book_id == "x":
            raise Conflict(book_id)
        raise Unavailable()
# file: app/web/errors.py
from app.application.errors import Conflict, Unavailable

STATUS_OF = {Conflict: 409, Unavailable: 503}


def install(app, make_handler) -> None:
    for error, status in STATUS_OF.items():  # the table is the mapping
        app.add_exception_handler(error, make_handler(status))
# file: app/main.py
from fastapi import FastAPI

from app.application.errors import BookNotFound

app = FastAPI(exception_handlers={BookNotFound: None})
""",
        """\
# file: app/domain/errors.py
class MissingMeta(Exception):
    pass

class UnnamedBlock(Exception):
    pass

class AbstractBlockError(Exception):
    pass
# file: app/domain/blocks.py
from app.domain.errors import AbstractBlockError, MissingMeta, UnnamedBlock


class BlockMetaclass(type):
    def __new__(mcls, name, bases, namespace):  # runs when a block class is defined
        if "Meta" not in namespace:
            raise MissingMeta(name)
        return super().__new__(mcls, name, bases, namespace)


class Block(metaclass=BlockMetaclass):
    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):  # runs when a subclass is defined
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("_"):
            raise UnnamedBlock(cls.__name__)

    def __init__(self):
        if self.Meta.abstract:  # the base refuses to be built; only its subclasses are
            raise AbstractBlockError(type(self).__name__)
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
""",
        # A route that maps the exception to a status itself, in its decorator
        # (fastapi-error-map's `error_map`): handled where it is raised to.
        """\
# file: app/application/alerts.py
class AlertNotFound(Exception):
    pass


class MarkAlertRead:
    def __init__(self, alerts) -> None:
        self._alerts = alerts

    async def __call__(self, alert_id: str) -> None:
        if not await self._alerts.exists(alert_id):
            raise AlertNotFound(alert_id)
# file: app/api/alerts.py
from fastapi import status
from fastapi_error_map import ErrorAwareRouter

from app.application.alerts import AlertNotFound, MarkAlertRead

router = ErrorAwareRouter()


@router.patch("/alerts/{alert_id}/read", error_map={AlertNotFound: status.HTTP_404_NOT_FOUND})
async def mark_read(alert_id: str, use_case: MarkAlertRead) -> None:
    await use_case(alert_id)
""",
        # A service driven only by RabbitMQ: its FastStream controllers are the web's by
        # name, but no HTTP request comes in; a failed message is the broker's to redeliver.
        """\
# file: src/notifications/presentation/amqp/controllers/emails.py
from faststream.rabbit import RabbitRouter

from notifications.application.interactors.send_email import SendEmail

router = RabbitRouter()


@router.subscriber("emails")
async def on_email(payload: dict, interactor: SendEmail) -> None:
    await interactor(payload["to"], payload["body"])
# file: src/notifications/application/interactors/send_email.py
from notifications.application.ports import Mailer
from notifications.domain.errors import InvalidRecipient


class SendEmail:
    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    async def __call__(self, to: str, body: str) -> None:
        if "@" not in to:
            raise InvalidRecipient(to)
        await self._mailer.send(to, body)
# file: src/notifications/application/ports.py
from typing import Protocol


class Mailer(Protocol):
    async def send(self, to: str, body: str) -> None: ...
# file: src/notifications/domain/errors.py
class InvalidRecipient(Exception):
    pass
""",
        # A desktop application: no route and no HTTP server imported anywhere. Its
        # `controllers/` are the web's by name, but no request comes in, so no exception
        # can surface as HTTP 500 (its window shows what it catches).
        """\
# file: src/modules/debts/domain/exceptions.py
class InvalidDebtState(Exception):
    pass
# file: src/modules/debts/domain/debt.py
from dataclasses import dataclass

from src.modules.debts.domain.exceptions import InvalidDebtState


@dataclass
class Debt:
    amount: int
    paid: bool = False

    def pay(self) -> None:
        if self.paid:
            raise InvalidDebtState("already paid")
        self.paid = True
# file: src/modules/users/infrastructure/password_hasher.py
from werkzeug.security import check_password_hash, generate_password_hash


class WerkzeugPasswordHasher:
    def hash(self, password: str) -> str:
        return generate_password_hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        return check_password_hash(hashed, password)
# file: src/modules/debts/ui/controllers/payment_controller.py
from tkinter import messagebox

from src.modules.debts.domain.debt import Debt


class PaymentController:
    def __init__(self, debts: dict[int, Debt]) -> None:
        self._debts = debts

    def on_pay(self, debt_id: int) -> None:
        try:
            self._debts[debt_id].pay()
        except Exception as error:
            messagebox.showerror("Error", str(error))
# file: main.py
import customtkinter as ctk

from src.modules.debts.ui.controllers.payment_controller import PaymentController


def main() -> None:
    root = ctk.CTk()
    ctk.CTkButton(root, command=lambda: PaymentController({}).on_pay(1)).pack()
    root.mainloop()


if __name__ == "__main__":
    main()
""",
        # A dispatcher of queries raises when a handler was never registered: a wiring
        # mistake, which a 500 answers rightly. The route runs the dispatcher all the same.
        """\
# file: src/application/queries/base.py
from abc import ABC, abstractmethod


class QueryHandlerNotFound(Exception):
    pass


class Query:
    pass


class QueryHandler(ABC):
    @abstractmethod
    async def handle(self, query: Query) -> object: ...


class QueryDispatcher:
    def __init__(self) -> None:
        self._handlers: dict[type[Query], QueryHandler] = {}

    def register(self, query_type: type[Query], handler: QueryHandler) -> None:
        self._handlers[query_type] = handler

    async def dispatch(self, query: Query) -> object:
        handler = self._handlers.get(type(query))
        if handler is None:
            raise QueryHandlerNotFound(type(query).__name__)
        return await handler.handle(query)
# file: src/api/documents.py
from fastapi import APIRouter, Depends

from src.application.queries.base import Query, QueryDispatcher

router = APIRouter()


class GetDocument(Query):
    def __init__(self, document_id: str) -> None:
        self.document_id = document_id


def get_dispatcher() -> QueryDispatcher:
    return QueryDispatcher()


@router.get("/documents/{document_id}")
async def get_document(document_id: str, dispatcher: QueryDispatcher = Depends(get_dispatcher)) -> object:
    return await dispatcher.dispatch(GetDocument(document_id))
""",
        # Errors kept in a helpers' package (`utils/exceptions.py`) are a library's, not
        # the domain's, whatever they look like: the rule has no domain error to follow.
        """\
# file: app/utils/exceptions.py
class RetryExhausted(Exception):
    pass
# file: app/utils/retry.py
from app.utils.exceptions import RetryExhausted


def retry(call, attempts: int = 3):
    for _ in range(attempts):
        if call():
            return
    raise RetryExhausted(attempts)
# file: app/api/reports.py
from fastapi import APIRouter

from app.utils.retry import retry

router = APIRouter()


@router.post("/reports")
def build_report() -> dict:
    retry(lambda: True)
    return {"ok": True}
""",
    )
    invalid = (
        # A handler for every exception that looks at what it caught (a string message)
        # but goes over no table of exceptions: a retry list elsewhere maps nothing.
        """\
# file: app/domain/errors.py
class PaymentDeclined(Exception):  # error: HEX605
    pass
# file: app/domain/payments.py
from app.domain.errors import PaymentDeclined


def pay(amount: int) -> None:
    if amount > 1000:
        raise PaymentDeclined(amount)
# file: app/infrastructure/retry.py
from app.domain.errors import PaymentDeclined

NOT_RETRYABLE = [PaymentDeclined]
# file: app/main.py
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from app.domain.payments import pay

app = FastAPI()


@app.post("/payments")
def create_payment(amount: int) -> dict:
    pay(amount)
    return {"ok": True}


@app.exception_handler(Exception)
async def unexpected(request, exc):
    detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else "error"
    return JSONResponse({"detail": detail}, status_code=500)
""",
        """\
# file: app/domain/errors.py
class OrderNotFound(Exception):
    pass


class InvoiceNotReady(Exception):  # error: HEX605
    pass
# file: app/domain/invoices.py
from app.domain.errors import InvoiceNotReady, OrderNotFound


def issue(orders: dict, order_id: str) -> dict:
    if order_id not in orders:
        raise OrderNotFound(order_id)
    if not orders[order_id]:
        raise InvoiceNotReady(order_id)
    return orders[order_id]
# file: app/api/errors.py
from fastapi import FastAPI

from app.domain.errors import OrderNotFound

STATUS = {OrderNotFound: 404}


def register(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, lambda request, exc: None)
# file: app/infrastructure/tasks.py
from celery import Task

from app.domain.errors import InvoiceNotReady


class IssueInvoiceTask(Task):  # a retry tuple elsewhere maps nothing to a response
    autoretry_for = (InvoiceNotReady,)
# file: app/api/routes.py
from app.domain.invoices import issue
""",
        """\
# file: app/domain/errors.py
class DomainError(Exception):
    pass

class BookNotAvailable(DomainError):  # error: HEX605
    pass

class InvalidIsbn(DomainError):
    pass
# file: app/domain/book.py
from app.domain.errors import BookNotAvailable, InvalidIsbn

def borrow(book):
    if not book.available:
        raise BookNotAvailable(book.id)
    raise InvalidIsbn(book.isbn)
# file: app/main.py
from fastapi import FastAPI

from app.domain.errors import InvalidIsbn

app = FastAPI()


@app.exception_handler(InvalidIsbn)
async def invalid_isbn(request, exc):
    return None


@app.exception_handler(Exception)  # one answer for everything is no mapping
async def anything(request, exc):
    return None
# file: app/api/routes.py
from app.domain.book import borrow
""",
        """\
# file: app/application/errors.py
class LoanNotFound(Exception):  # error: HEX605
    pass
# file: app/application/return_book.py
from app.application.errors import LoanNotFound

class ReturnBook:
    def execute(self, loan_id):
        try:
            loan = self._loans.get(loan_id)
        except LoanNotFound:
            raise  # re-raising in the application handles nothing
        raise LoanNotFound(loan_id)
# file: app/web/loans.py
def return_book(use_case, loan_id):
    try:
        return use_case.execute(loan_id)
    except LookupError:
        return None
# file: app/api/routes.py
from fastapi import APIRouter

from app.application.return_book import ReturnBook

router = APIRouter()
""",
        """\
# file: app/domain/errors.py
class AbstractBlockError(Exception):  # error: HEX605
    pass

class BlockTooLarge(Exception):  # error: HEX605
    pass
# file: app/domain/blocks.py
from app.domain.errors import AbstractBlockError, BlockTooLarge


class BlockMetaclass(type):
    def __call__(cls, *args, **kwargs):  # runs whenever a block is built, so in requests
        if cls.__name__ == "Block":
            raise AbstractBlockError(cls.__name__)
        return super().__call__(*args, **kwargs)


class Block(metaclass=BlockMetaclass):
    def __init__(self, size):
        if size > 10:  # a business rule, checked on every block built
            raise BlockTooLarge(size)
        self.size = size
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.domain.blocks import Block
""",
        """\
# file: app/domain/errors.py
class OutOfStock(Exception):
    pass

class InvalidQuantity(Exception):  # error: HEX605
    pass
# file: app/domain/stock.py
from app.domain.errors import InvalidQuantity, OutOfStock

def take(stock, quantity):
    if quantity < 0:
        raise InvalidQuantity(quantity)
    if stock < quantity:
        raise OutOfStock(quantity)
    return stock - quantity
# file: app/web/controllers.py
def take_item(service, quantity):
    try:
        return service.take(quantity), 200
    except Exception as error:
        if type(error).__name__ == "OutOfStock":  # mapped by its class name
            return {"error": str(error)}, 409
        return {"error": str(error)}, 500  # everything else: one answer, no mapping
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.domain.stock import take
""",
        """\
# file: app/domain/errors.py
class OutOfStock(Exception):  # error: HEX605
    pass

class Discontinued(Exception):  # error: HEX605
    pass
# file: app/domain/stock.py
from app.domain.errors import Discontinued, OutOfStock

def take(stock, quantity):
    if stock.discontinued:
        raise Discontinued(stock.sku)
    if stock.count < quantity:
        raise OutOfStock(quantity)
    return stock.count - quantity
# file: app/web/controllers.py
import logging


def take_item(service, quantity):
    try:
        return service.take(quantity), 200
    except Exception as error:
        if type(error).__name__ == "OutOfStock":  # logged, then the one answer below
            logging.warning("out of stock: %s", error)
        if error.__class__.__name__ in ("Discontinued",):
            raise  # passed on as it is: still a 500
        return {"error": str(error)}, 500
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.domain.stock import take
""",
        """\
# file: app/domain/errors.py
class Gone(Exception):  # error: HEX605
    pass
# file: app/domain/items.py
from app.domain.errors import Gone

def fetch(item):
    if item.deleted:
        raise Gone(item.id)
    return item
# file: app/web/controllers.py
def get_item(service, item_id):
    try:
        return service.fetch(item_id), 200
    except Exception as error:
        def describe(error):  # its own function: its test is not the clause's answer
            if type(error).__name__ == "Gone":
                return "gone"
            return "error"

        return {"error": describe(error)}, 500
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.domain.items import fetch
""",
        """\
# file: app/domain/errors.py
class AbstractTooLong(Exception):  # error: HEX605
    pass
# file: app/domain/paper.py
from dataclasses import dataclass

from app.domain.errors import AbstractTooLong


@dataclass
class Paper:
    title: str
    abstract: str  # the paper's summary, no abstract-class flag

    def __post_init__(self):
        if self.abstract and len(self.abstract) > 500:
            raise AbstractTooLong(len(self.abstract))
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.domain.paper import Paper
""",
        """\
# file: app/application/errors.py
class NotAllowed(Exception):  # error: HEX605
    pass
# file: app/application/commands.py
from app.application.errors import NotAllowed


class AdminCommand:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        handle = cls.handle

        def run(self, user):  # installed on every subclass, runs on every request
            if not user.admin:
                raise NotAllowed(user)
            return handle(self, user)

        cls.run = run
# file: app/main.py
from fastapi import FastAPI

app = FastAPI()
# file: app/api/routes.py
from app.application.commands import AdminCommand
""",
        # A raw AWS Lambda handler behind API Gateway: no framework, but the handler is the
        # web's edge, and an exception it lets through is API Gateway's 502/500.
        """\
# file: src/domain/exceptions.py
class InsufficientStock(Exception):  # error: HEX605
    pass
# file: src/domain/stock.py
from dataclasses import dataclass

from src.domain.exceptions import InsufficientStock


@dataclass
class Stock:
    sku: str
    quantity: int

    def reserve(self, amount: int) -> None:
        if amount > self.quantity:
            raise InsufficientStock(self.sku)
        self.quantity -= amount
# file: src/application/reserve_stock.py
from src.domain.stock import Stock


class ReserveStock:
    def __init__(self, stocks) -> None:
        self._stocks = stocks

    def execute(self, sku: str, amount: int) -> None:
        stock: Stock = self._stocks.get(sku)
        stock.reserve(amount)
        self._stocks.save(stock)
# file: src/entrypoints/api_handler.py
import json

from src.application.reserve_stock import ReserveStock
from src.infrastructure.dynamo_stocks import DynamoStocks

use_case = ReserveStock(DynamoStocks())


def handler(event, context):
    body = json.loads(event["body"])
    use_case.execute(body["sku"], body["amount"])
    return {"statusCode": 204, "body": ""}
# file: src/infrastructure/dynamo_stocks.py
import boto3

from src.domain.stock import Stock


class DynamoStocks:
    def __init__(self) -> None:
        self._table = boto3.resource("dynamodb").Table("stocks")

    def get(self, sku: str) -> Stock:
        item = self._table.get_item(Key={"sku": sku})["Item"]
        return Stock(item["sku"], int(item["quantity"]))

    def save(self, stock: Stock) -> None:
        self._table.put_item(Item={"sku": stock.sku, "quantity": stock.quantity})
""",
        # A `Bus` of the business (seats on a coach) is no message bus: what it raises is a
        # domain answer like any other.
        """\
# file: booking/domain/bus.py
from dataclasses import dataclass, field


class BusFull(Exception):  # error: HEX605
    pass


@dataclass
class Bus:
    plate: str
    seats: int
    booked: set[int] = field(default_factory=set)

    def book(self, seat: int) -> None:
        if len(self.booked) >= self.seats:
            raise BusFull(self.plate)
        self.booked.add(seat)
# file: booking/api/routes.py
from fastapi import APIRouter

from booking.domain.bus import Bus

router = APIRouter()
BUS = Bus("AB-123", seats=2)


@router.post("/seats/{seat}")
def book_seat(seat: int) -> dict:
    BUS.book(seat)
    return {"seat": seat}
""",
        # A registry of the business (rooms booked by the hour) is no registry of handlers:
        # its `SlotAlreadyRegistered` is an answer for the client, a 409.
        """\
# file: app/application/reservation_registry.py
class SlotAlreadyRegistered(Exception):  # error: HEX605
    pass


class ReservationRegistry:
    def __init__(self) -> None:
        self._taken: set[tuple[str, int]] = set()

    def reserve(self, room: str, hour: int) -> None:
        if (room, hour) in self._taken:
            raise SlotAlreadyRegistered(f"{room} at {hour}h")
        self._taken.add((room, hour))
# file: app/api/routes.py
from fastapi import APIRouter

from app.application.reservation_registry import ReservationRegistry

router = APIRouter()
REGISTRY = ReservationRegistry()


@router.post("/rooms/{room}/hours/{hour}")
def reserve(room: str, hour: int) -> dict:
    REGISTRY.reserve(room, hour)
    return {"room": room, "hour": hour}
""",
        # A command bus that validates each command raises the client's 422, not a wiring
        # mistake.
        """\
# file: app/application/bus.py
class ValidationFailed(Exception):  # error: HEX605
    pass


class CommandHandlerNotFound(Exception):
    pass


class CommandBus:
    def __init__(self, handlers: dict, validators: dict) -> None:
        self._handlers = handlers
        self._validators = validators

    def dispatch(self, command: object) -> object:
        errors = self._validators.get(type(command), lambda _: [])(command)
        if errors:
            raise ValidationFailed(errors)
        handler = self._handlers.get(type(command))
        if handler is None:
            raise CommandHandlerNotFound(type(command).__name__)
        return handler(command)
# file: app/api/routes.py
from fastapi import APIRouter

from app.application.bus import CommandBus

router = APIRouter()
BUS = CommandBus(handlers={}, validators={})


class RenameProject:
    def __init__(self, name: str) -> None:
        self.name = name


@router.post("/projects/{project_id}/name")
def rename(project_id: str, name: str) -> dict:
    BUS.dispatch(RenameProject(name))
    return {"id": project_id}
""",
        # A Lambda handler is the HTTP edge (no framework to import); a broker's client that
        # only publishes a receipt does not make the service a consumer.
        """\
# file: app/api/handler.py
from app.application.place_order import PlaceOrder
from app.infrastructure.queue import publish_receipt


def handler(event: dict, context: object) -> dict:
    PlaceOrder(publish_receipt)(event["sku"])
    return {"statusCode": 201}
# file: app/application/place_order.py
from collections.abc import Callable

from app.domain.errors import OutOfStock


class PlaceOrder:
    def __init__(self, publish: Callable[[str], None]) -> None:
        self._publish = publish

    def __call__(self, sku: str) -> None:
        if not sku:
            raise OutOfStock(sku)
        self._publish(sku)
# file: app/domain/errors.py
class OutOfStock(Exception):  # error: HEX605
    pass
# file: app/infrastructure/queue.py
from kombu import Connection


def publish_receipt(sku: str) -> None:
    with Connection("amqp://") as connection:
        connection.SimpleQueue("receipts").put({"sku": sku})
""",
        # Framework-free errors in a package no layer's name places (`core/error/`) are the
        # domain's: the one the task entity raises reaches a route and is mapped nowhere.
        """\
# file: app/core/error/invalid_operation_exception.py
class InvalidOperationError(Exception):  # error: HEX605
    def __init__(self, operation: str) -> None:
        super().__init__(f"cannot {operation}")
# file: app/features/task/domain/entities/task_entity.py
from dataclasses import dataclass

from app.core.error.invalid_operation_exception import InvalidOperationError


@dataclass
class TaskEntity:
    title: str
    deleted: bool = False

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("a task needs a title")

    def mark_entity_as_deleted(self) -> None:
        if self.deleted:
            raise InvalidOperationError("delete a deleted task")
        self.deleted = True
# file: app/features/task/presentation/routes.py
from fastapi import APIRouter

from app.features.task.domain.entities.task_entity import TaskEntity

router = APIRouter()


@router.delete("/tasks/{title}")
def delete_task(title: str) -> dict:
    TaskEntity(title).mark_entity_as_deleted()
    return {"deleted": title}
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(self._raised(model))

    @staticmethod
    def _raised(model: ProjectModel) -> dict[str, tuple[ClassRef, str]]:
        """Domain/application exceptions raised in domain/application: class -> (ref, where)."""
        return model.index(_raised_domain_exceptions)  # `examined` and `check` both need it

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        raised = self._raised(model)
        if not raised or not self._has_an_edge(model):
            return
        handled = self._handled(model)
        the_roles = roles(model)
        for dotted in sorted(raised):
            ref, where = raised[dotted]
            if dotted in handled or any(
                a in handled for a in the_roles.ancestors(ref) if a not in BROAD_EXCEPTIONS
            ):
                continue
            kind = self._layer_name(model, ref)
            message = (
                f"{kind} exception '{ref.cls.name}' is raised (in '{where}') but no except "
                "clause or exception handler maps it or a base class; it surfaces as HTTP 500"
            )
            yield self.finding(ref.facts, ref.cls.span, message, dotted, model)

    @staticmethod
    def _has_an_edge(model: ProjectModel) -> bool:
        """Whether the project may answer HTTP. It does when it has routes or imports an
        HTTP server or web framework. Else it may when it has web or composition modules
        (a raw AWS Lambda handler, the standard library's `http.server`), unless it imports
        a front end that is not HTTP: a desktop, terminal or chat application, or a service
        of broker-driven consumers (its `controllers/` the web's by name), has no HTTP 500
        for an exception to surface as.
        A library, a domain package checked alone, has no edge at all."""
        imported = [
            fact
            for facts in model.modules.values()
            for fact in facts.imports
            if fact.target and not model.is_first_party(fact.target)
        ]
        if roles(model).route_handlers or any(serves_http(fact.target, fact.names) for fact in imported):
            return True
        if any(fronts_without_http(fact.target) for fact in imported):
            return False
        return any(model.layer(module) in (Layer.WEB, Layer.COMPOSITION) for module in model.modules)

    @staticmethod
    def _layer_name(model: ProjectModel, ref: ClassRef) -> str:
        layer = model.layer(ref.facts.module)
        return layer.value if layer is not None else "domain"

    @staticmethod
    def _handled(model: ProjectModel) -> frozenset[str]:
        """Canonical names of the exceptions an `except` clause anywhere catches (and does
        more than re-raise: a domain helper translating it to `ValueError` for Pydantic
        handles it too), or an exception handler registers (`exception_handler(X)`,
        `add_exception_handler(X, ...)`, `FastAPI(exception_handlers={X: ...})`). An `except`
        clause catching broadly and testing the class name of what it caught handles the
        classes it names when that branch answers, returning or raising something
        (`if type(error).__name__ == "NotFound": return ..., 404`; the extractor records
        only those, not a branch that only logs or re-raises bare, nor a test inside a
        function the clause defines).

        When a handler is registered for a variable (`for exc, status in ERRORS.items():
        app.add_exception_handler(exc, ...)`), every class named in a module-level table
        outside domain/application counts as registered, and so does every class named in a
        table the classes of that registering module keep: the table is the mapping. So is
        the table a handler registered for every exception looks what it caught up in
        (`_looked_up_by_a_catch_all_handler`).
        """
        found: set[str] = set()
        indirect = False
        tables: set[str] = set()
        tested: set[str] = set()  # class names an `except` clause compares its exception's type name with
        for module, facts in model.modules.items():
            if is_test_module(module):  # `except X` in a test asserts it is raised
                continue
            inner = model.layer(module) in (Layer.DOMAIN, Layer.APPLICATION)
            if not inner:
                named = (name for table in _module_tables(facts) for name in table.names())
                tables.update(model.resolve_symbol(name) for name in named)
            for call in every_call(facts):
                # What follows looks at these calls only (the loop runs over every call).
                method = call.callee.rpartition(".")[2]
                if not (
                    call.keywords or method in EXCEPTION_HANDLER_REGISTRARS or call.callee == "isinstance"
                ):
                    continue
                if method in EXCEPTION_HANDLER_REGISTRARS:
                    target = call.args[0] if call.args else _registered_keyword(call)
                    if target is None:
                        continue
                    if _is_variable(target, facts):
                        indirect = True
                        # A mapper class's table, in the module that loops over it.
                        named = (name for table in _class_tables(facts) for name in table.names())
                        tables.update(model.resolve_symbol(name) for name in named)
                    found.update(model.resolve_symbol(name) for name in target.names())
                elif call.callee == "isinstance" and len(call.args) == 2 and not inner:
                    found.update(model.resolve_symbol(name) for name in call.args[1].names())
                table = call_keyword(call, "exception_handlers")
                if table is not None:
                    found.update(model.resolve_symbol(name) for name in _mapping_keys(model, table))
                if not inner:
                    found.update(model.resolve_symbol(name) for name in _mapped_by_the_route(call))
            if not inner:
                found.update(_looked_up_by_a_catch_all_handler(model, facts))
            for _, function in functions_of(facts):
                for handler in function.handlers:
                    tested.update(handler.type_names)  # each under its own `if`, before any re-raise
                    if handler.raises and all(r == "" for r in handler.raises):
                        continue  # `except X: raise` only passes it on
                    found.update(model.resolve_symbol(name) for name in handler.types if "?" not in name)
        if indirect:
            found.update(tables)
        if tested:  # `type(error).__name__ == "NotFound"` tells the exact class by its name
            found.update(ref.dotted for ref in roles(model).domain_exceptions if ref.cls.name in tested)
        return frozenset(found)


# The keyword each of them takes the exception by, when it is not given first.
_EXCEPTION_KEYWORDS = ("exc_class_or_status_code", "code_or_exception", "exception")


def _looked_up_by_a_catch_all_handler(model: ProjectModel, facts: ModuleFacts) -> Iterator[str]:
    """The exception classes a handler registered for every exception maps through a table:
    the keys of each dict it goes over (`for exc_type, code in EXCEPTION_DICT.items():`)
    while it tests what it caught against a local name (`isinstance(error, exc_type)`), as
    `@app.errorhandler(Exception)` does, or a function that
    `app.add_exception_handler(Exception, handle)` registers, wherever it is defined."""
    for function in _catch_all_handlers(model, facts):
        if not any(
            call.callee == "isinstance" and len(call.args) == 2 and _a_local_name(call.args[1])
            for call in function.calls
        ):
            continue
        for call in function.calls:
            table, _, method = call.callee.rpartition(".")
            if table and method in _TABLE_VIEWS:
                yield from (
                    model.resolve_symbol(name) for name in _mapping_keys(model, Expr(ExprKind.NAME, table))
                )


# What a loop over a table of exceptions calls to go over its entries.
_TABLE_VIEWS = frozenset({"items", "keys"})


def _catch_all_handlers(model: ProjectModel, facts: ModuleFacts) -> Iterator[FunctionFact]:
    """The functions a module registers for every exception: decorated with a registrar
    (`@app.errorhandler(Exception)`), or handed to one (`app.add_exception_handler(Exception,
    handle)`, the handler defined in the module, nested, or imported)."""
    functions = list(every_function(facts))
    for function in functions:
        if any(
            decorator.kind is ExprKind.CALL
            and decorator.name.rpartition(".")[2] in EXCEPTION_HANDLER_REGISTRARS
            and _catches_everything(decorator.args[0] if decorator.args else None)
            for decorator in function.decorators
        ):
            yield function
    for call in every_call(facts):
        if call.callee.rpartition(".")[2] not in EXCEPTION_HANDLER_REGISTRARS or len(call.args) < 2:
            continue
        handler = call.args[1]
        if not _catches_everything(call.args[0]) or handler.kind is not ExprKind.NAME:
            continue
        local = [f for f in functions if f.name == handler.name or f.qualname == handler.name]
        imported = web_index(model).function(handler.name) if not local else None
        yield from local or ([imported[1]] if imported is not None else [])


def _catches_everything(target: Expr | None) -> bool:
    return target is not None and target.kind is ExprKind.NAME and target.name in BROAD_EXCEPTIONS


def _a_local_name(expr: Expr) -> bool:
    """A name the function binds itself (a loop's or a parameter's): not dotted, as the
    module's and the imported names are, nor a builtin (`str`)."""
    name = expr.name
    return expr.kind is ExprKind.NAME and bool(name) and "." not in name and name not in BUILTIN_NAMES


def _registered_keyword(call: CallFact) -> Expr | None:
    found = (call_keyword(call, key) for key in _EXCEPTION_KEYWORDS)
    return next((target for target in found if target is not None), None)


_TABLE_KINDS = (ExprKind.MAPPING, ExprKind.COLLECTION)


def _module_tables(facts: ModuleFacts) -> Iterator[Expr]:
    """The dict and list displays a module keeps at module level."""
    return (a.value for a in facts.assignments if a.value.kind in _TABLE_KINDS)


def _class_tables(facts: ModuleFacts) -> Iterator[Expr]:
    """The dict and list displays a module's classes keep, as class attributes or on `self`
    (`self.exception_status_code_map = {NotFound: 404, ...}` of the mapper whose table the
    registration loop beside it goes over). Counted only where that loop is: a Celery
    task's `autoretry_for = (NotReady,)` elsewhere maps nothing."""
    for cls in facts.classes:
        kept = [*cls.attributes, *(a for method in cls.methods for a in method.self_attributes)]
        yield from (a.value for a in kept if a.value is not None and a.value.kind in _TABLE_KINDS)


def _is_variable(target: Expr, facts: ModuleFacts) -> bool:
    """An `add_exception_handler` target that is no class name: a loop variable, a lookup,
    an attribute of a loop variable (`exc_handler.exception_type`, whose head no import
    of the module binds)."""
    if target.kind is ExprKind.LITERAL:  # a status code
        return False
    if target.kind is not ExprKind.NAME or "?" in target.name:
        return True
    head, dot, _ = target.name.partition(".")
    if not dot:
        return target.name not in BUILTIN_EXCEPTIONS
    imported = {fact.target.partition(".")[0] for fact in facts.imports} | {
        name for fact in facts.imports for name in fact.names
    }
    return head != facts.module.partition(".")[0] and head not in imported


def _mapping_keys(model: ProjectModel, table: Expr) -> tuple[str, ...]:
    """The keys of `exception_handlers=`: a dict display, or a module-level one by name."""
    if table.kind is ExprKind.NAME and "?" not in table.name:
        index = web_index(model)
        assignment = index.assignment(table.name)
        if assignment is None:
            return ()
        table = assignment.value
    if table.kind is not ExprKind.MAPPING:
        return ()
    return tuple(name for key in table.args[0::2] for name in key.names())


def _mapped_by_the_route(call: CallFact) -> Iterator[str]:
    """The exceptions a route maps to answers in its own decorator: fastapi-error-map's
    `@router.get(..., error_map={NotFound: 404, Locked: rule(status=409)})`, each key
    whatever its answer. Only that keyword: a dict of statuses handed elsewhere (one
    that only documents the errors in `responses=`) catches nothing."""
    table = call_keyword(call, "error_map")
    if table is None or table.kind is not ExprKind.MAPPING:
        return
    yield from (key.name for key in table.args[0::2] if key.kind is ExprKind.NAME and "?" not in key.name)


# Hooks Python runs while a class statement executes (at import), for any class.
_CLASS_DEFINITION_HOOKS = frozenset({"__init_subclass__", "__set_name__"})
# A metaclass's own methods that build a class; its `__call__` builds instances, at run time.
_METACLASS_BUILDERS = frozenset({"__new__", "__init__", "__prepare__"})
_METACLASS_BASES = frozenset({"type", "builtins.type", "abc.ABCMeta", "enum.EnumMeta", "enum.EnumType"})
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})


def _metaclasses(model: ProjectModel) -> frozenset[str]:
    """First-party metaclasses: a class some class statement names as `metaclass=`, or
    one deriving from `type` (or `ABCMeta`, `EnumMeta`)."""
    the_roles = roles(model)
    found = {
        named.dotted
        for ref in the_roles.classes
        if ref.cls.metaclass and (named := the_roles.ref(ref.cls.metaclass)) is not None
    }
    found.update(
        ref.dotted
        for ref in the_roles.classes
        if any(a in _METACLASS_BASES for a in the_roles.ancestors(ref))
    )
    return frozenset(found)


def _runs_at_class_definition(
    module: str, cls: ClassFact | None, function: FunctionFact, metaclasses: frozenset[str]
) -> bool:
    """A method that only runs while classes are being defined, at import: a class hook
    (`__init_subclass__`) or a metaclass building a class. What it raises itself stops the
    program from starting; no request can raise it (a function it defines runs later)."""
    if cls is None:
        return False
    if function.name in _CLASS_DEFINITION_HOOKS:
        return True
    return function.name in _METACLASS_BUILDERS and f"{module}.{cls.qualname}" in metaclasses


def _reached_from_the_web(model: ProjectModel) -> frozenset[str]:
    """The modules a request may run: those of the web (and of its routes), of the
    composition root that imports them, and every module these import, directly or
    through others (function-level and `TYPE_CHECKING` imports too). A use case only a
    Celery task or a consumer imports, a package only tests import, raise nothing a route
    answers."""
    start = {module for module in model.modules if model.layer(module) is Layer.WEB}
    start.update(handler.facts.module for handler in roles(model).route_handlers)
    # The composition root that assembles the web (`main.py` including the routers) binds
    # what the routes run: an inbound port's service (`dependency_overrides`), a container.
    start.update(
        module
        for module in model.modules
        if model.layer(module) is Layer.COMPOSITION and not start.isdisjoint(model.imports_of(module))
    )
    return model.reached_from(start)


# The classes that look handlers up by what was registered at start-up (`Dispatcher`,
# `CommandBus`, `JobHandlerRegistry`, `DomainEventDispatcher`), and the errors they raise
# when a lookup fails (`QueryHandlerNotFound`, `HandlerAlreadyRegistered`, `UnknownJob`):
# only a wiring mistake trips those. Both names must say so: an `OrderDispatcher` raising
# `NoCourierAvailable`, a `CommandBus` raising `ValidationFailed`, a seat-booking `Bus`
# raising `BusFull` raise the business's own answers.
_HANDLED_THINGS = "Handler|Command|Query|Event|Message|Request|Job|Task"
_WIRING_CLASS = re.compile(rf"(?:\w*(?:{_HANDLED_THINGS}))?(?:Registry|Dispatcher|Mediator|Bus)$")
_WIRING_ERROR = re.compile(rf"Handler|Registered|Registration|^Unknown(?:{_HANDLED_THINGS})")


def _raised_domain_exceptions(model: ProjectModel) -> dict[str, tuple[ClassRef, str]]:
    """Where each domain/application exception is first raised, leaving out the raises no
    request can reach. A class-definition hook's own raises (`__init_subclass__`,
    `__set_name__`, a first-party metaclass's `__new__`/`__init__`/`__prepare__`) run at
    import; those of a function the hook defines and installs still count. A base class's
    guard against being instantiated itself (a raise under `if self.__meta__.abstract:` or
    `if type(self) is Base:` in `__init__`/`__new__`/`__post_init__`, as the extractor marks
    it) only a programming error trips, and so does a registry's, dispatcher's, mediator's
    or bus's of handlers failing to find one (`_WIRING_CLASS`, `_WIRING_ERROR`)."""
    the_roles = roles(model)
    exceptions = {ref.dotted: ref for ref in the_roles.domain_exceptions}
    metaclasses = _metaclasses(model)
    reached = _reached_from_the_web(model)
    found: dict[str, tuple[ClassRef, str]] = {}
    for module, facts in sorted(model.modules.items()):
        if model.layer(module) not in (Layer.DOMAIN, Layer.APPLICATION) or is_test_module(module):
            continue
        if module not in reached:
            continue  # no request runs it: a worker's, a script's, or code nothing imports
        for cls, function in functions_of(facts):
            wiring = cls is not None and _WIRING_CLASS.match(cls.name) is not None
            raises = function.raises
            owner = f"{cls.qualname}.{function.name}" if cls else function.name
            owners: dict[Span, str] = {}  # a raise of a function the hook defines -> that function
            if _runs_at_class_definition(module, cls, function, metaclasses):
                # The hook's own raises run at import; a function it defines (and installs
                # on the class) runs later, when called, so its raises count. The innermost
                # function holding a raise comes last and names it.
                owners = {
                    fact.span: inner.qualname
                    for inner in all_functions(function.nested)
                    for fact in inner.raises
                }
                raises = tuple(fact for fact in raises if fact.span in owners)
            constructor = cls is not None and function.name in _CONSTRUCTORS
            for fact in raises:
                if not fact.exception or "?" in fact.exception or (constructor and fact.abstract_guard):
                    continue
                ref = the_roles.ref(fact.exception)
                if ref is not None and wiring and _WIRING_ERROR.search(ref.cls.name):
                    continue  # a handler looked up but never registered: wiring, a 500 is right
                if ref is not None and ref.dotted in exceptions and ref.dotted not in found:
                    found[ref.dotted] = (ref, f"{module}.{owners.get(fact.span, owner)}")
    return found
