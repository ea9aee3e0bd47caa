"""HEX601 fat-controller: A route handler has too many statements or contains a loop."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import FunctionFact, HandlerFact, Span
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.roles import roles
from hexcheck.semantics.routes import RouteHandler


class FatController(Rule):
    code = "HEX601"
    name = "fat-controller"
    severity = Severity.WARNING
    concern = "web"
    summary = "A route handler has too many statements or contains a loop."
    subject = "route handlers stay thin"
    why = (
        "A route handler is an adapter: it turns an HTTP request into a call of one use "
        "case and the result into a response. Every statement beyond that is a decision "
        "taken in the wrong place: a loop that filters, sorts or aggregates, a branch on "
        "business state, a computation. Logic in a controller cannot be reused by the CLI, "
        "the message consumer or the scheduler, and it can only be tested through HTTP. "
        "Statements are counted recursively (a branch of an `if`, the body of a `try` or "
        "of a nested function all count; the docstring does not); the limit is "
        "`max-handler-statements` (default 12). Three or more `except` clauses that "
        "only log and raise (`except BoxNotFound as e: raise HTTPException(404) from "
        "e`), of one `try` or of nested ones, count as one statement together: turning the use "
        "case's errors into HTTP errors is one step of the handler's own job, however "
        "many errors the use case declares. A `for` loop that is a comprehension written "
        "out does not count as a loop: its body only binds local names, appends to a list "
        "the handler made or yields (relaying a stream), and what it computes comes from a "
        "class or its converting constructor (`BookResponse.from_entity(book)`), a "
        "conversion (`str`, `json.dumps`, a string's `.encode()`) or a read of the item "
        "itself (`book.to_dict()`, "
        '`row["id"]`), with no branch, `await` or nested loop. A lookup of anything else '
        "(`prices.get(book.id)`, `levels[book.sku]`) is a join, and a model's own methods "
        "(`Book.create(...)`, `book.save()`) or a store's (`session.add(row)`) write: such a "
        "loop counts. Nor is a WebSocket endpoint's connection loop a loop of logic: it waits "
        "on the socket for each message (`while True: data = await websocket.receive_text()`), "
        "as every such endpoint must; its statements still count."
    )
    how_to_fix = (
        "Move the logic into the use case (or a domain service) and leave the handler "
        "three steps: map the request, execute, map the result.\n\n"
        "Before:\n\n"
        '    @router.get("/members/{member_id}/loans")\n'
        "    async def member_loans(member_id: str, use_case=Depends(provide_list_loans)):\n"
        "        loans = await use_case.execute(member_id)\n"
        "        items = []\n"
        "        for loan in loans:\n"
        "            if loan.due_at < datetime.now(timezone.utc):\n"
        "                items.insert(0, LoanMapper.to_response(loan))\n"
        "            else:\n"
        "                items.append(LoanMapper.to_response(loan))\n"
        "        return LoanListResponse(items=items)\n\n"
        "After:\n\n"
        '    @router.get("/members/{member_id}/loans")\n'
        "    async def member_loans(member_id: str, use_case=Depends(provide_list_loans)):\n"
        "        loans = await use_case.execute(member_id)  # overdue first: a use-case rule\n"
        "        return LoanMapper.to_list_response(loans)"
    )
    valid = (
        """\
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.web.dependencies import provide_create_book
from app.web.mappers import BookMapper
from app.web.schemas import BookResponse, CreateBookRequest

router = APIRouter(prefix="/books")


@router.post("", response_model=BookResponse, status_code=201)
async def create_book(payload: CreateBookRequest, use_case=Depends(provide_create_book)) -> BookResponse:
    \"\"\"Add a title to the catalogue.

    The docstring is not a statement, however long it is.
    \"\"\"
    book = await use_case.execute(BookMapper.to_command(payload))
    return BookMapper.to_response(book)
""",
        """\
# file: app/web/books.py
import json

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from app.web.schemas import BookResponse

router = APIRouter()


@router.get("/books", response_model=list[BookResponse])
async def list_books(use_case=None) -> list[BookResponse]:
    books = await use_case.execute()
    return [BookResponse.model_validate(book) for book in books]  # a comprehension is no loop


@router.get("/authors", response_model=list[BookResponse])
async def list_authors(use_case=None) -> list[dict]:
    authors = await use_case.execute()
    items = []
    for author in authors:  # the same comprehension written out: it only maps each item
        books = [BookResponse.model_validate(book) for book in author.books]
        items.append({"id": str(author.id), "name": author.name, "books": books})
    return items


@router.get("/books/export")
async def stream_books(use_case=None) -> StreamingResponse:
    async def events():
        async for book in use_case.execute():  # relays a stream: `(... async for ...)` written out
            yield f"data: {json.dumps({'id': str(book.id), 'title': book.title})}\\n\\n"

    return StreamingResponse(events(), media_type="text/event-stream")


@router.post("/books/summaries")
async def stream_summaries(use_case=None) -> StreamingResponse:
    async def events():
        async for event in use_case.astream():  # each event as server-sent-event bytes
            yield f"data: {event.model_dump_json()}\\n\\n".encode()

    return StreamingResponse(events(), media_type="text/event-stream")


@router.post("/books/lines")
async def stream_lines(use_case=None) -> StreamingResponse:
    async def lines():
        async for book in use_case.execute():  # newline-delimited JSON
            yield (json.dumps({"id": str(book.id)}) + "\\n").encode()

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def export_books(rows):  # not a route handler: loops are fine here
    for row in rows:
        yield row
""",
        """\
# file: app/web/uploads.py
import logging

from fastapi import APIRouter, HTTPException

from app.application.uploads import (
    BoxClosed,
    BoxFull,
    BoxLocked,
    BoxNotFound,
    ChecksumMismatch,
    UploadTooLarge,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/boxes")


@router.put("/{box_id}/uploads/{name}")
async def upload_file(box_id: str, name: str, payload: dict, use_case=None) -> dict:
    # One call; the except clauses only turn the use case's errors into HTTP errors
    # (logging at most), which is what the handler is for: together they count as one.
    try:
        upload_id = await use_case.execute(box_id, name, payload)
    except BoxNotFound as error:
        raise HTTPException(404, "no such box") from error
    except BoxLocked as error:
        raise HTTPException(409, "the box is locked") from error
    except BoxFull as error:
        raise HTTPException(409, "the box is full") from error
    except BoxClosed as error:
        raise HTTPException(410, "the box is closed") from error
    except UploadTooLarge as error:
        log.warning("refused %s bytes for box %s", error.size, box_id)
        raise HTTPException(413, "the file is too large") from error
    except ChecksumMismatch as error:
        log.warning("checksum mismatch for %s", name)
        raise HTTPException(422, "the checksum does not match") from error
    except Exception as error:
        log.error(error, exc_info=True)
        raise HTTPException(500, "upload failed") from error
    return {"id": upload_id}
""",
        # The same table split over nested `try` statements: the inner one maps the use
        # case's error, the outer one passes HTTP errors on and turns the rest into a 500.
        """\
# file: app/presentation/api/v1/users.py
import logging

from fastapi import APIRouter, HTTPException, status

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/users")


@router.put("/{user_id}")
async def update_user(user_id: str, user_data: dict, service=None) -> dict:
    try:
        logger.info("PUT /users/%s called", user_id)
        try:
            updated_user = await service.update_user(user_id, user_data)
            if updated_user is None:
                logger.warning("User not found: %s", user_id)
                raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
            logger.info("User updated: %s", user_id)
            return updated_user
        except ValueError as e:
            logger.warning("Conflict error: %s", e)
            raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(e)) from e
    except HTTPException:
        raise
    except Exception as e:
        logger.error("Error updating user %s: %s", user_id, e, exc_info=True)
        raise HTTPException(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR, detail="Internal error") from e
""",
        # A WebSocket endpoint's connection loop waits on the socket for each message: every
        # such endpoint has one, and it decides nothing.
        """\
# file: app/api/websockets/lots.py
from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/ws/lots/{lot_id}")
async def lot_updates(websocket: WebSocket, lot_id: int) -> None:
    await websocket.accept()
    while True:
        data = await websocket.receive_text()
        await websocket.send_json({"event": "pong", "lot_id": lot_id, "message": data})
""",
    )
    invalid = (
        # Sequential `try` statements, each around a step of a checkout the handler runs
        # itself: no table of one call's errors, but the use case written in the handler.
        """\
# file: app/api/checkout.py
import logging

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from app.application.services import CartService, OrderService, PaymentService
from app.domain.errors import CartNotFound, OutOfStock, PaymentDeclined

logger = logging.getLogger(__name__)
router = APIRouter()


class CheckoutIn(BaseModel):
    cart_id: str
    card: str


@router.post("/checkout")
async def checkout(  # error: HEX601
    payload: CheckoutIn,
    carts: CartService = Depends(CartService),
    payments: PaymentService = Depends(PaymentService),
    orders: OrderService = Depends(OrderService),
) -> dict:
    try:
        cart = await carts.get(payload.cart_id)
    except CartNotFound as e:
        logger.warning("cart %s missing", payload.cart_id)
        raise HTTPException(404, "cart not found") from e
    try:
        payment = await payments.charge(cart.total, payload.card)
    except PaymentDeclined as e:
        logger.warning("card declined for cart %s", payload.cart_id)
        raise HTTPException(402, "payment declined") from e
    try:
        order = await orders.place(cart, payment)
    except OutOfStock as e:
        logger.warning("out of stock for cart %s", payload.cart_id)
        raise HTTPException(409, "out of stock") from e
    await carts.clear(cart.id)
    return {"order_id": order.id, "payment_id": payment.id}
""",
        """\
# file: app/web/members.py
from fastapi import APIRouter

router = APIRouter(prefix="/members")


@router.get("/{member_id}/loans")
async def member_loans(member_id: str, use_case=None):  # error: HEX601
    loans = await use_case.execute(member_id)
    items = []
    for loan in loans:
        if loan.overdue:  # a filter: which loans to show is a decision
            items.append(loan.id)
    return {"items": items}
""",
        """\
# file: app/web/catalogue.py
from fastapi import APIRouter

from app.infrastructure.models import Book

router = APIRouter()


@router.get("/books/titles")
def titles(ids: list[int]) -> list[str]:  # error: HEX601
    found = []
    for book_id in ids:  # the shape of a mapping, but a query per id
        found.append(Book.get_by_id(book_id).title)
    return found
""",
        """\
# file: app/main.py
from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/orders")
    async def place_order(payload: dict, use_case=None):  # error: HEX601
        if not payload.get("lines"):
            raise ValueError("empty order")
        total = 0
        discount = 0
        if payload.get("coupon") == "WELCOME":
            discount = 5
        elif payload.get("coupon") == "VIP":
            discount = 15
        customer = payload["customer"]
        if customer.get("country") == "FR":
            vat = 20
        else:
            vat = 0
        total = total - discount + vat
        order = await use_case.execute(payload, total)
        return {"id": order.id, "total": total}

    return app
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).route_handlers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        limit = model.config.max_handler_statements
        for handler in roles(model).route_handlers:
            function = handler.function
            problems = []
            statements = counted_statements(function)
            if statements > limit:
                problems.append(f"{statements} statements (more than {limit})")
            loops = [
                loop
                for loop in function.loops
                if loop not in function.mapping_loops and not _connection_loop(handler, loop)
            ]
            if loops:
                lines = ", ".join(str(loop.line) for loop in loops)
                problems.append(f"{'a loop' if len(loops) == 1 else 'loops'} (line {lines})")
            if not problems:
                continue
            message = f"route handler '{display_name(function)}' has {' and '.join(problems)}"
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)


# What a WebSocket endpoint waits on for the next message (Starlette's `WebSocket`).
_RECEIVES = frozenset(
    {"receive", "receive_text", "receive_bytes", "receive_json", "iter_text", "iter_bytes", "iter_json"}
)


def _connection_loop(handler: RouteHandler, loop: Span) -> bool:
    """Whether a loop of a WebSocket endpoint is its connection loop: it waits on the socket
    for the next message (`while True: data = await websocket.receive_text()`), as every
    such endpoint must; what it does with a message is still counted as statements."""
    if handler.method != "websocket":
        return False
    return any(
        loop.line <= call.span.line <= loop.end_line and call.callee.rpartition(".")[2] in _RECEIVES
        for call in handler.function.calls
    )


# How many log-and-raise `except` clauses a handler needs to hold an error-translation table.
# One or two such clauses are ordinary statements of the handler; a table grows with the
# errors the use case declares, not with what the handler decides.
TRANSLATION_TABLE = 3


def counted_statements(function: FunctionFact) -> int:
    """The handler's statements, an error-translation table counted as one statement.

    A handler that maps each of a use case's errors to an HTTP error
    (`except BoxNotFound as e: raise HTTPException(404) from e`, after a `log.error` at
    most) takes one step, "map the result", however many errors the use case declares:
    when the handler has TRANSLATION_TABLE or more clauses that only log and raise (of
    one `try` or of nested ones), they count as one statement together. What the handler
    decides besides stays counted."""
    # The table may be split over nested `try` statements (an inner one for the use case's
    # `ValueError`, an outer one re-raising `HTTPException` and turning the rest into a 500):
    # clauses share the line of the outermost `try` they stand in (`HandlerFact.try_line`).
    # Sequential `try` statements, each around a step of its own, are separate steps.
    tables: dict[int, list[HandlerFact]] = {}
    for clause in function.handlers:
        if clause.translates:
            tables.setdefault(clause.try_line, []).append(clause)
    counted = function.statement_count
    for clauses in tables.values():
        if len(clauses) >= TRANSLATION_TABLE:
            counted -= sum(clause.statements for clause in clauses) - 1
    return counted
