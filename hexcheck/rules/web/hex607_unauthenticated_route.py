"""HEX607 unauthenticated-route: A POST/PUT/PATCH/DELETE route has no security dependency."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ExprKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.fastapi import keyword_arg, route_decorator, web_index
from hexcheck.semantics.roles import RouteHandler, roles

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


# Routes that are public by design: signing up, logging in, webhooks.
_PUBLIC_ROUTE_WORDS = (
    "login", "logout", "signin", "signup", "register", "registration", "token", "oauth",
    "callback", "webhook", "forgotpassword",
)  # fmt: skip


class UnauthenticatedRoute(Rule):
    code = "HEX607"
    name = "unauthenticated-route"
    severity = Severity.WARNING
    concern = "web"
    preset = "strict"
    summary = "A POST/PUT/PATCH/DELETE route has no security dependency."
    subject = "write routes require authentication"
    why = (
        "Every route that changes state should say who may call it. FastAPI's security "
        "lives in dependencies: `Depends(oauth2_scheme)`, `Security(get_current_user, "
        "scopes=[...])`, an API-key header. A write route without one is open to anyone "
        "who can reach the service, and nothing in the code shows whether that was "
        "decided or forgotten. hexcheck looks for a security dependency in the handler's "
        "parameters (also through `Annotated` aliases and providers that depend on one), "
        "its decorator's `dependencies=`, its router's `dependencies=`, and the "
        "`include_router(..., dependencies=[...])` calls that mount the router, up to the "
        "app. Routes that are public by design (login, sign-up, token, webhook, callback) "
        "are not reported."
    )
    how_to_fix = (
        "Add the security dependency to the route, or once to its router.\n\n"
        "Before:\n\n"
        '    router = APIRouter(prefix="/books")\n\n'
        '    @router.delete("/{book_id}")\n'
        "    async def delete_book(book_id: str, use_case=Depends(provide_delete_book)): ...\n\n"
        "After:\n\n"
        '    router = APIRouter(prefix="/books", dependencies=[Depends(get_current_user)])\n\n'
        '    @router.delete("/{book_id}")\n'
        "    async def delete_book(book_id: str, use_case=Depends(provide_delete_book)): ..."
    )
    valid = (
        """\
# file: app/web/security.py
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")


async def get_current_user(token: str = Depends(oauth2_scheme)):
    return token


async def require_librarian(user=Depends(get_current_user)):
    return user
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Security

from app.web.security import get_current_user, oauth2_scheme, permission_required, require_librarian

router = APIRouter(prefix="/books")
CurrentUser = Annotated[dict, Depends(get_current_user)]


@router.post("")
async def create_book(payload: dict, user: CurrentUser):
    return payload


@router.put("/{book_id}", dependencies=[Depends(oauth2_scheme)])
async def replace_book(book_id: str):
    return None


@router.patch("/{book_id}")
async def rename_book(book_id: str, user=Security(get_current_user, scopes=["books:write"])):
    return None


@router.delete("/{book_id}")
async def delete_book(book_id: str, librarian=Depends(require_librarian)):
    return None


@router.post("/{book_id}/archive")
@permission_required(roles=["librarian"])  # a decorator that checks the caller
async def archive_book(book_id: str, request: Request):
    return None


@router.get("")
async def list_books():  # reads are not checked
    return []


@router.post("/login")
async def login(form: dict):  # public by design
    return {}
""",
        """\
# file: app/web/security.py
def get_current_user():
    return None
# file: app/web/loans.py
from fastapi import APIRouter

router = APIRouter(prefix="/loans")


@router.post("")
async def borrow_book(payload: dict):
    return payload
# file: app/web/api.py
from fastapi import APIRouter, Depends

from app.web import loans
from app.web.security import get_current_user

api_router = APIRouter()
api_router.include_router(loans.router)
# file: app/main.py
from fastapi import Depends, FastAPI

from app.web.api import api_router
from app.web.security import get_current_user

app = FastAPI()
app.include_router(api_router, dependencies=[Depends(get_current_user)])
""",
        """\
# file: app/web/users/create_user.py
from fastapi import APIRouter


def make_create_user_router() -> APIRouter:
    router = APIRouter()

    @router.post("/")
    async def create_user(payload: dict):
        return payload

    return router
# file: app/web/users/router.py
from fastapi import APIRouter, Depends
from fastapi.security import APIKeyCookie

from app.web.users.create_user import make_create_user_router


def make_users_router(cookie_name: str) -> APIRouter:
    router = APIRouter(prefix="/users", dependencies=[Depends(APIKeyCookie(name=cookie_name))])
    router.include_router(make_create_user_router())
    return router
""",
        """\
# file: app/main.py
from fastapi import FastAPI
from starlette.middleware.authentication import AuthenticationMiddleware

from app.web.auth import TokenBackend

app = FastAPI()
app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())


@app.delete("/sessions/{session_id}")
async def end_session(session_id: str):  # every request passes the middleware
    return None
""",
    )
    invalid = (
        """\
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.web.dependencies import get_db, provide_delete_book

router = APIRouter(prefix="/books", dependencies=[Depends(get_db)])


@router.delete("/{book_id}")
async def delete_book(book_id: str, use_case=Depends(provide_delete_book)):  # error: HEX607
    return None


@router.api_route("/{book_id}/cover", methods=["GET", "PUT"])
async def cover(book_id: str):  # error: HEX607
    return None
""",
        """\
# file: app/main.py
from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/orders")
    async def place_order(payload: dict):  # error: HEX607
        return payload

    return app
""",
    )

    def _is_write(self, handler: RouteHandler) -> bool:
        if handler.method in WRITE_METHODS:
            return True
        if handler.method != "api_route":
            return False
        decorator = route_decorator(handler)
        methods = keyword_arg(decorator, "methods") if decorator is not None else None
        if methods is None:
            return False
        return any(arg.name.lower() in WRITE_METHODS for arg in methods.args if arg.kind is ExprKind.LITERAL)

    @staticmethod
    def _public_by_design(handler: RouteHandler) -> bool:
        decorator = route_decorator(handler)
        texts = [handler.function.name]
        if decorator is not None and decorator.args and decorator.args[0].kind is ExprKind.LITERAL:
            texts.append(decorator.args[0].name)
        squashed = " ".join(re.sub(r"[^a-z0-9]", "", text.lower()) for text in texts)
        return any(word in squashed for word in _PUBLIC_ROUTE_WORDS)

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for handler in roles(model).route_handlers if self._is_write(handler))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for handler in roles(model).route_handlers:
            if not self._is_write(handler) or self._public_by_design(handler):
                continue
            if index.route_secured(handler):
                continue
            function = handler.function
            method = handler.method.upper() if handler.method != "api_route" else "write"
            message = (
                f"{method} route handler '{display_name(function)}' has no security dependency "
                "in its parameters, its decorator or its router"
            )
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)
