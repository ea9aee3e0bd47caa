"""HEX607 unauthenticated-route: A POST/PUT/PATCH/DELETE route has no security dependency."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.fastapi import is_write_route, public_by_name, web_index
from hexcheck.semantics.roles import roles


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
        "app, a class-based view's attributes (`user = Depends(get_current_user)`), and "
        "DI-framework markers (`Provide[Container.current_user]`). A dependency counts "
        "when what it resolves reads a credential: a `fastapi.security` scheme, or a "
        "function that decodes a token or session or refuses the caller with 401/403, "
        "followed through helpers; a middleware counts only when it does so for every "
        "request (its name, and `CORSMiddleware(allow_credentials=True)`, are not "
        "evidence). Routes public by design are not reported: a login (an "
        "`OAuth2PasswordRequestForm` parameter, or it issues a token) or a webhook that "
        "checks a signature; routes that are public by their name alone (`/register`, "
        "`/callback`) are not reported either, and the review counts them."
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
import jwt
from fastapi import Header, HTTPException


def get_current_user(authorization: str = Header()):
    try:
        return jwt.decode(authorization.removeprefix("Bearer "), "secret", algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401)
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
        """\
# file: app/web/security.py
import jwt
from fastapi import Header, HTTPException, status


def decode_user(authorization: str) -> dict:
    try:
        return jwt.decode(authorization, "secret", algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED)


def current_member(authorization: str = Header()) -> dict:
    return decode_user(authorization)  # the check is in a helper
# file: app/containers.py
from dependency_injector import containers, providers

from app.web.security import current_member


class Container(containers.DeclarativeContainer):
    member = providers.Factory(current_member)
# file: app/web/loans.py
import hashlib
import hmac

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_utils.cbv import cbv

from app.containers import Container
from app.web.security import current_member

router = APIRouter(prefix="/loans")


@router.post("")
@inject
async def borrow(payload: dict, member: dict = Depends(Provide[Container.member])):
    return payload  # secured through the DI container's provider


@cbv(router)
class LoanView:
    member: dict = Depends(current_member)  # secures every route of the view

    @router.delete("/{loan_id}")
    async def cancel(self, loan_id: str):
        return None


def renew(loan_id: str):
    return None


router.add_api_route("/{loan_id}/renew", renew, methods=["POST"], dependencies=[Depends(current_member)])


@router.post("/session")
async def open_session(form: OAuth2PasswordRequestForm = Depends()):
    return {}  # a login by structure


@router.post("/payments/notify")
async def payment_notification(request: Request):
    body = await request.body()
    expected = hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers["X-Signature"]):
        return None  # a webhook checks its signature
    return None
""",
        """\
# file: app/web/authentication.py
from collections.abc import Callable


def _current_user() -> dict: ...


def _current_user_optional() -> dict | None: ...


def get_current_user_authorizer(*, required: bool = True) -> Callable:
    return _current_user if required else _current_user_optional  # nothing to follow
# file: app/web/comments.py
from fastapi import APIRouter, Depends

from app.web.authentication import get_current_user_authorizer

router = APIRouter()


@router.post("/comments")
async def add_comment(payload: dict, user: dict = Depends(get_current_user_authorizer())):
    return payload
""",
        """\
# file: app/web/providers.py
import jwt
from dishka import Provider, Scope, provide
from fastapi import HTTPException, Request


class Member:
    def __init__(self, member_id: str) -> None:
        self.member_id = member_id


class AuthProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def member(self, request: Request) -> Member:
        try:
            claims = jwt.decode(request.headers["Authorization"], "secret", algorithms=["HS256"])
        except (KeyError, jwt.PyJWTError):
            raise HTTPException(status_code=401)
        return Member(claims["sub"])
# file: app/web/holds.py
from dishka.integrations.fastapi import FromDishka, inject
from fastapi import APIRouter, Depends

from app.web.providers import Member
from app.web.security import require_staff


def make_router():
    router = APIRouter(prefix="/holds", dependencies=[Depends(require_staff)])
    return router


router = make_router()
members = APIRouter(prefix="/members/holds")


@router.delete("/{hold_id}")
async def lift_hold(hold_id: str):  # the factory's router requires staff
    return None


@members.post("")
@inject
async def place_hold(payload: dict, member: FromDishka[Member]):  # dishka gives a checked member
    return payload
# file: app/web/security.py
from fastapi.security import HTTPBearer

require_staff = HTTPBearer()
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
        """\
# file: app/web/middleware.py
from starlette.middleware.base import BaseHTTPMiddleware


class AuthMiddleware(BaseHTTPMiddleware):  # named for security, checks nothing
    async def dispatch(self, request, call_next):
        request.state.user = request.headers.get("X-User")
        return await call_next(request)
# file: app/web/security.py
def get_current_user():  # reads no credential, refuses no one
    return {"id": "anonymous"}
# file: app/web/books.py
from fastapi import APIRouter, Depends
from fastapi_utils.cbv import cbv

from app.web.security import get_current_user

router = APIRouter(prefix="/books")


def import_books(payload: dict):  # error: HEX607
    return payload


router.add_api_route("/import", import_books, methods=["POST"])


@cbv(router)
class ShelfView:
    user: dict = Depends(get_current_user)

    @router.post("/shelves")
    async def create_shelf(self, payload: dict):  # error: HEX607
        return payload
# file: app/main.py
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.web.middleware import AuthMiddleware

app = FastAPI()
app.add_middleware(AuthMiddleware)
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
""",
        """\
# file: app/web/providers.py
from dishka import Provider, Scope, provide
from fastapi import Request


class Clerk:
    def __init__(self, name: str) -> None:
        self.name = name


class DeskProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def clerk(self, request: Request) -> Clerk:
        return Clerk(request.headers.get("X-Clerk", "front desk"))  # checks nothing
# file: app/web/holds.py
from dishka.integrations.fastapi import FromDishka, inject
from fastapi import APIRouter

from app.web.providers import Clerk


def make_router():
    router = APIRouter(prefix="/holds")
    return router


router = make_router()


@router.post("")
@inject
async def place_hold(payload: dict, clerk: FromDishka[Clerk]):  # error: HEX607
    return payload
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for handler in roles(model).route_handlers if is_write_route(handler))

    def public_by_name(self, model: ProjectModel) -> int:
        return len(public_by_name(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        by_name = {id(handler) for handler in public_by_name(model)}
        for handler in roles(model).route_handlers:
            if not is_write_route(handler) or id(handler) in by_name:
                continue
            if index.route_secured(handler) or index.public_by_structure(handler):
                continue
            function = handler.function
            method = handler.method.upper() if handler.method != "api_route" else "write"
            message = (
                f"{method} route handler '{display_name(function)}' has no security dependency "
                "in its parameters, its decorator or its router"
            )
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)
