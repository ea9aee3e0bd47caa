"""HEX601 fat-controller: A route handler has too many statements or contains a loop."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.roles import roles


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
        "`max-handler-statements` (default 12)."
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
from fastapi import APIRouter

from app.web.schemas import BookResponse

router = APIRouter()


@router.get("/books", response_model=list[BookResponse])
async def list_books(use_case=None) -> list[BookResponse]:
    books = await use_case.execute()
    return [BookResponse.model_validate(book) for book in books]  # a comprehension is no loop


def export_books(rows):  # not a route handler: loops are fine here
    for row in rows:
        yield row
""",
    )
    invalid = (
        """\
# file: app/web/members.py
from fastapi import APIRouter

router = APIRouter(prefix="/members")


@router.get("/{member_id}/loans")
async def member_loans(member_id: str, use_case=None):  # error: HEX601
    loans = await use_case.execute(member_id)
    items = []
    for loan in loans:
        items.append(loan.id)
    return {"items": items}
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
            if function.statement_count > limit:
                problems.append(f"{function.statement_count} statements (more than {limit})")
            if function.loops:
                lines = ", ".join(str(loop.line) for loop in function.loops)
                problems.append(f"{'a loop' if len(function.loops) == 1 else 'loops'} (line {lines})")
            if not problems:
                continue
            message = f"route handler '{display_name(function)}' has {' and '.join(problems)}"
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)
