"""Web layer: thin controllers, DTOs at the edge, errors mapped, routes secured (HEX601-HEX609).

The rules read FastAPI the way FastAPI reads it, from facts only: a route is a function
decorated by an `APIRouter(...)`/`FastAPI(...)` instance (`roles.route_handlers`); a
dependency is a `Depends(...)`/`Security(...)` in a parameter default, in the metadata of
an `Annotated[...]` annotation (also through a module-level alias such as
`DbSession = Annotated[Session, Depends(get_db)]`), in a decorator's or a router's
`dependencies=[...]`, or in `include_router(router, dependencies=[...])`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import (
    AssignmentFact,
    CallContext,
    CallFact,
    ClassFact,
    Expr,
    ExprKind,
    FunctionFact,
    ModuleFacts,
    ParamFact,
    Span,
)
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.roles import BUILTIN_EXCEPTIONS, ClassRef, Roles, RouteHandler, is_test_module, roles

DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
SECURITY = frozenset({"fastapi.Security", "fastapi.params.Security", "fastapi.param_functions.Security"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
ANY = frozenset({"typing.Any", "typing_extensions.Any", "Any"})
HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)
# `functools.lru_cache`, `functools.cache`, `async_lru.alru_cache`, `cachetools.cached`, by
# their last name (`@lru_cache`, `@functools.lru_cache(maxsize=1)`).
CACHE_DECORATORS = frozenset({"lru_cache", "cache", "alru_cache", "cached"})
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
# Bare containers a DTO field may not be annotated with (SPEC HEX604).
BARE_CONTAINERS = frozenset(
    {
        "dict", "list", "set", "frozenset", "tuple", "object",
        "typing.Dict", "typing.List", "typing.Set", "typing.FrozenSet", "typing.Tuple",
        "builtins.dict", "builtins.list", "builtins.set", "builtins.object",
    }
)  # fmt: skip
# Annotations that only wrap the type that matters.
_WRAPPERS = frozenset(
    {
        "typing.Optional", "typing.Union", "typing_extensions.Optional",
        "typing.List", "typing.Sequence", "typing.Iterable", "typing.Set", "typing.FrozenSet",
        "typing.Tuple", "typing.Dict", "typing.Mapping", "typing.AsyncIterator",
        "typing.Iterator", "typing.Awaitable", "typing.Coroutine",
        "collections.abc.Sequence", "collections.abc.Iterable", "collections.abc.Mapping",
        "collections.abc.AsyncIterator", "collections.abc.Iterator", "collections.abc.Awaitable",
        "list", "set", "frozenset", "tuple", "dict", "type", "typing.Type",
    }
)  # fmt: skip
# Packages whose objects are database drivers, sessions or clients.
DATABASE_PACKAGES = frozenset(
    {
        "motor", "pymongo", "sqlalchemy", "sqlmodel", "redis", "aioredis", "asyncpg",
        "databases", "psycopg", "psycopg2", "aiosqlite", "sqlite3", "odmantic",
        "mongoengine", "aiomysql", "pymysql", "cassandra", "elasticsearch",
    }
)  # fmt: skip
# Callables that open a connection, a client or a session.
DATABASE_CONSTRUCTORS = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
     "sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.Session", "sqlalchemy.ext.asyncio.AsyncSession",
     "asyncpg.connect", "asyncpg.create_pool", "sqlite3.connect", "aiosqlite.connect",
     "psycopg.connect", "psycopg2.connect", "redis.Redis", "redis.asyncio.Redis",
     "redis.from_url", "redis.asyncio.from_url", "pymongo.MongoClient",
     "motor.motor_asyncio.AsyncIOMotorClient", "databases.Database", "sqlmodel.Session"}
)  # fmt: skip
# Methods of Motor/PyMongo collections and SQLAlchemy sessions: what reaching the database
# through `request.app.state.db[...]` looks like.
DRIVER_METHODS = frozenset(
    {
        "find", "find_one", "insert_one", "insert_many", "update_one", "update_many",
        "replace_one", "delete_one", "delete_many", "count_documents", "aggregate",
        "find_one_and_update", "find_one_and_replace", "find_one_and_delete", "bulk_write",
        "distinct", "to_list", "query", "execute", "scalars", "scalar", "commit", "flush",
    }
)  # fmt: skip
# The Motor/PyMongo methods no other common object has (`find` is also `str.find`).
MOTOR_METHODS = DRIVER_METHODS - {
    "find", "distinct", "query", "execute", "scalars", "scalar", "commit", "flush"
}  # fmt: skip
# Classes in infrastructure that are persistence by their name.
_PERSISTENCE_NAME = re.compile(r"(Repository|Repo|Dao|DAO|Store|Storage|UnitOfWork|Uow|UoW)$")
# Security schemes of fastapi.security, by name, for first-party subclasses and lookalikes.
_SCHEME_NAME = re.compile(r"OAuth2|Bearer|APIKey|ApiKey|HTTPBasic|HTTPDigest|OpenIdConnect")
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Words that make a dependency, or a call in a handler, an authentication or
# authorization check: `get_current_user`, `require_admin`, `PermissionsDependency`...
_AUTH_WORDS = frozenset(
    {
        "auth", "authn", "authz", "authenticate", "authenticated", "authentication",
        "authorize", "authorized", "authorization", "permission", "permissions",
        "token", "jwt", "apikey", "credentials", "security", "secure", "secured", "verify",
        "verified", "scopes", "guard", "protected", "principal", "bearer", "oauth",
        "oauth2", "require", "requires", "admin", "login", "signed", "signature", "verifier",
        "hmac",
    }
)  # fmt: skip
# Routes that are public by design: signing up, logging in, webhooks.
_PUBLIC_ROUTE_WORDS = (
    "login", "logout", "signin", "signup", "register", "registration", "token", "oauth",
    "callback", "webhook", "forgotpassword",
)  # fmt: skip
# `get_current_user`, `current_active_account`, `CurrentUser`: who is calling.
_CURRENT_PRINCIPAL = re.compile(
    r"current_?(active_?)?(user|account|member|principal|identity|admin|client|subject|"
    r"tenant|owner|staff|employee|customer|operator|person|profile)"
)
# Too broad to count as mapping a specific exception.
_TOO_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
# Bases that make a domain class a scalar on the wire (an id, an amount, a date).
_SCALAR_BASES = frozenset(
    {"str", "int", "float", "bytes", "bool", "uuid.UUID", "decimal.Decimal",
     "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta"}
)  # fmt: skip
# Names of API schemas: `CreateBookRequest`, `BookOut`, `ArticleResponse`, `BookSchema`.
_DTO_NAME = re.compile(
    r"(Request|Response|Schema|Dto|DTO|In|Out|Create|Update|Read|Payload|Body|Params|Query)$"
)
_MAX_ALIAS_HOPS = 8
_FACTORY = "factory:"  # a router known by the function that builds it
_APPS = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})


def _words(name: str) -> tuple[str, ...]:
    """`get_current_user` -> (get, current, user); `PermissionsDependency` -> (permissions, ...)."""
    return tuple(word.lower() for word in _WORDS.findall(name.rpartition(".")[2]))


def _is_auth_name(name: str) -> bool:
    last = name.rpartition(".")[2]
    if _CURRENT_PRINCIPAL.search(last.lower()):
        return True
    return any(word in _AUTH_WORDS or word.startswith("auth") for word in _words(last))


def _is_scalar_base(name: str) -> bool:
    return name.removeprefix("builtins.") in _SCALAR_BASES or name.startswith("enum.")


def _frozen(ref: ClassRef) -> bool:
    """A `@dataclass(frozen=True)`: a value object (`MemberId(raw)` parses input, it maps
    nothing)."""
    return any(
        decorator.kind is ExprKind.CALL
        and any(key == "frozen" and value.name == "True" for key, value in decorator.keywords)
        for decorator in ref.cls.decorators
    )


def _display(function: FunctionFact) -> str:
    return function.name


def _dependency_target(call: Expr) -> Expr | None:
    """What `Depends(x)` / `Security(x)` depends on; None for `Depends()`."""
    if call.args:
        return call.args[0]
    for keyword, value in call.keywords:
        if keyword == "dependency":
            return value
    return None


def _is_dependency_call(expr: Expr | None) -> bool:
    return expr is not None and expr.kind is ExprKind.CALL and expr.name in DEPENDS | SECURITY


def _keyword(expr: Expr, name: str) -> Expr | None:
    for keyword, value in expr.keywords:
        if keyword == name:
            return value
    return None


def _route_decorator(handler: RouteHandler) -> Expr | None:
    for decorator in handler.function.decorators:
        if decorator.kind is ExprKind.CALL and decorator.name == f"{handler.router}.{handler.method}":
            return decorator
    return None


@dataclass(frozen=True, slots=True)
class _Include:
    """`parent.include_router(child, dependencies=[...])`."""

    parent: str
    child: str
    dependencies: tuple[Expr, ...]


class WebIndex:
    """What the web rules share, computed once per model: aliases, dependencies, routers."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.roles: Roles = roles(model)

    # ---------------------------------------------------------------- names

    def _module_and_name(self, dotted: str) -> tuple[ModuleFacts, str] | None:
        """The module a dotted name lives in, and the name in it.

        A project run from the directory above its import root (`app/core/deps.py`
        imported as `core.deps`) names modules that hexcheck knows as `app.core.deps`: a
        name whose module is unknown is looked up by suffix when only one module matches.
        """
        canonical = self.model.resolve_symbol(dotted)
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        if facts is None and module.count(".") >= 1 and not self.model.is_first_party(module):
            if self.model.is_stdlib(module.partition(".")[0]):
                return None
            matches = self._by_suffix.get(module, ())
            if len(matches) == 1:
                return self._module_and_name(f"{matches[0]}.{name}") if matches[0] != module else None
            return None
        return (facts, name) if facts is not None else None

    @cached_property
    def _by_suffix(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for module in sorted(self.model.modules):
            parts = module.split(".")
            for cut in range(1, len(parts)):
                found.setdefault(".".join(parts[cut:]), []).append(module)
        return {suffix: tuple(modules) for suffix, modules in found.items()}

    def assignment(self, dotted: str) -> AssignmentFact | None:
        """The module-level assignment a (possibly re-exported) dotted name stands for."""
        located = self._module_and_name(dotted)
        if located is None:
            return None
        facts, name = located
        for assignment in facts.assignments:
            if assignment.name == name:
                return assignment
        return None

    def function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        """The module-level first-party function a dotted name stands for."""
        located = self._module_and_name(dotted)
        if located is None:
            return None
        facts, name = located
        for function in facts.functions:
            if function.name == name:
                return facts, function
        return None

    def cls(self, dotted: str) -> ClassRef | None:
        return self.roles.ref(dotted) if dotted and "?" not in dotted else None

    def layer_of(self, ref: ClassRef) -> Layer | None:
        return self.model.layer(ref.facts.module)

    # ---------------------------------------------------------------- annotations

    def types(self, expr: Expr | None, hops: int = 0) -> tuple[str, ...]:
        """The classes an annotation names, containers and `Annotated` unwrapped, aliases
        followed: `list[Book] | None` -> (`app.domain.book.Book`,)."""
        if expr is None or hops > _MAX_ALIAS_HOPS:
            return ()
        if expr.kind is ExprKind.NAME:
            if not expr.name or "?" in expr.name:
                return ()
            alias = self._alias(expr.name)
            if alias is not None:
                return self.types(alias, hops + 1)
            return (self.model.resolve_symbol(expr.name),)
        if expr.kind is ExprKind.SUBSCRIPT:
            if expr.name in ANNOTATED:
                return self.types(expr.args[0], hops + 1) if expr.args else ()
            if expr.name in ("typing.Literal", "typing_extensions.Literal"):
                return ()
            inner = tuple(name for arg in expr.args for name in self.types(arg, hops + 1))
            if expr.name in _WRAPPERS:
                return inner
            return (self.model.resolve_symbol(expr.name), *inner)
        if expr.kind in (ExprKind.UNION, ExprKind.COLLECTION):
            return tuple(name for arg in expr.args for name in self.types(arg, hops + 1))
        return ()

    def _alias(self, dotted: str) -> Expr | None:
        """The value of a module-level type alias (`X = Annotated[...]`, `X = A | B`)."""
        assignment = self.assignment(dotted)
        if assignment is None:
            return None
        value = assignment.value
        if value.kind in (ExprKind.SUBSCRIPT, ExprKind.UNION) or (
            value.kind is ExprKind.NAME and value.name != dotted
        ):
            return value
        return None

    def annotated_dependencies(self, expr: Expr | None, hops: int = 0) -> tuple[Expr, ...]:
        """The `Depends(...)`/`Security(...)` calls in an annotation's `Annotated` metadata."""
        if expr is None or hops > _MAX_ALIAS_HOPS:
            return ()
        if expr.kind is ExprKind.NAME and expr.name and "?" not in expr.name:
            alias = self._alias(expr.name)
            return self.annotated_dependencies(alias, hops + 1) if alias is not None else ()
        if expr.kind is ExprKind.SUBSCRIPT and expr.name in ANNOTATED:
            return tuple(arg for arg in expr.args[1:] if _is_dependency_call(arg))
        if expr.kind is ExprKind.UNION:
            return tuple(d for arg in expr.args for d in self.annotated_dependencies(arg, hops + 1))
        return ()

    def dependencies(self, param: ParamFact) -> tuple[Expr, ...]:
        """The `Depends`/`Security` calls that inject a parameter."""
        found = list(self.annotated_dependencies(param.annotation))
        if _is_dependency_call(param.default):
            assert param.default is not None
            found.append(param.default)
        return tuple(found)

    def is_injected(self, param: ParamFact) -> bool:
        return bool(self.dependencies(param))

    # ---------------------------------------------------------------- security (HEX607)

    def is_security_dependency(self, call: Expr, annotation: Expr | None = None) -> bool:
        """Whether `Depends(x)`/`Security(x)` authenticates or authorizes the caller."""
        if call.name in SECURITY:
            return True
        target = _dependency_target(call)
        if target is None:  # `Depends()`: the annotation's class is the dependency
            return any(self._secures(name, set()) for name in self.types(annotation))
        return self._secures_expr(target, set())

    def _secures_expr(self, target: Expr, seen: set[str]) -> bool:
        if target.kind is ExprKind.CALL:  # `Depends(require_role("admin"))`, `Depends(Perm([...]))`
            return _is_auth_name(target.name) or self._secures(target.name, seen)
        return any(self._secures(name, seen) for name in target.names())

    def _secures(self, dotted: str, seen: set[str]) -> bool:
        if not dotted or "?" in dotted:
            return False
        canonical = self.model.resolve_symbol(dotted)
        if canonical in seen:
            return False
        seen.add(canonical)
        if _is_auth_name(canonical) or canonical.startswith("fastapi.security."):
            return True
        if _SCHEME_NAME.search(canonical.rpartition(".")[2]):
            return True
        assignment = self.assignment(canonical)
        if assignment is not None:
            value = assignment.value
            if value.kind is ExprKind.CALL:  # `oauth2_scheme = OAuth2PasswordBearer(...)`
                return self._secures(value.name, seen)
            return False
        ref = self.cls(canonical)
        if ref is not None:
            ancestors = self.roles.ancestors(ref)
            if any(a.startswith("fastapi.security.") or _SCHEME_NAME.search(a) for a in ancestors):
                return True
            return any(
                self._function_secures(method, seen)
                for method in ref.cls.methods
                if method.name in ("__init__", "__call__")
            )
        found = self.function(canonical)
        return found is not None and self._function_secures(found[1], seen)

    def _function_secures(self, function: FunctionFact, seen: set[str]) -> bool:
        """A provider secures when one of its own dependencies does, or it checks a token."""
        for param in function.params:
            for call in self.dependencies(param):
                if call.name in SECURITY:
                    return True
                target = _dependency_target(call)
                if target is not None and self._secures_expr(target, seen):
                    return True
            if any(name.startswith("fastapi.security.") for name in self.types(param.annotation)):
                return True
        return any(
            _is_auth_name(call.callee) or call.callee.partition(".")[0] in ("jwt", "jose")
            for call in function.calls
        )

    @cached_property
    def _functions(self) -> dict[str, FunctionFact]:
        """Every function, method and nested function, by dotted name."""
        found: dict[str, FunctionFact] = {}
        for module, facts in sorted(self.model.modules.items()):
            for _, function in _functions_of(facts):
                for each in _all_functions((function,)):
                    found.setdefault(f"{module}.{each.qualname}", each)
        return found

    def _router_id(self, name: str, enclosing: str) -> str:
        """What identifies a router: its module-level name, or, for a router built inside
        a function (`def make_users_router(): router = APIRouter(...)`), that function."""
        if enclosing and "." not in name:
            return _FACTORY + enclosing
        canonical = self.model.resolve_symbol(name)
        assignment = self.assignment(canonical)
        if assignment is not None and assignment.value.kind is ExprKind.CALL:
            return self._built_by(assignment.value.name, canonical)
        return canonical

    def _built_by(self, callee: str, otherwise: str) -> str:
        found = self.function(callee) if "?" not in callee else None
        return _FACTORY + f"{found[0].module}.{found[1].qualname}" if found else otherwise

    def handler_router(self, handler: RouteHandler) -> str:
        qualname = handler.function.qualname
        if ".<locals>." in qualname and "." not in handler.router:
            return _FACTORY + f"{handler.facts.module}.{qualname.rpartition('.<locals>.')[0]}"
        return self._router_id(handler.router, "")

    @cached_property
    def includes(self) -> tuple[_Include, ...]:
        """Every `parent.include_router(child, ...)`, with the dependencies it adds."""
        found: list[_Include] = []
        for module, facts in sorted(self.model.modules.items()):
            places: list[tuple[str, tuple[CallFact, ...]]] = [("", facts.calls)]
            for _, function in _functions_of(facts):
                places.extend(
                    (f"{module}.{each.qualname}", each.calls) for each in _all_functions((function,))
                )
            for enclosing, calls in places:
                for call in calls:
                    parent, _, method = call.callee.rpartition(".")
                    if method != "include_router":
                        continue
                    child = call.args[0] if call.args else _keyword_of(call, "router")
                    if child is None:
                        continue
                    if child.kind is ExprKind.NAME and "?" not in child.name:
                        child_id = self._router_id(child.name, enclosing)
                    elif child.kind is ExprKind.CALL:  # `include_router(make_users_router())`
                        child_id = self._built_by(child.name, child.name)
                    else:
                        continue
                    found.append(
                        _Include(
                            self._router_id(parent, enclosing),
                            child_id,
                            _dependencies_within(calls, call),
                        )
                    )
        return tuple(found)

    def router_secured(self, router: str, seen: frozenset[str] = frozenset()) -> bool:
        """A router is secured by its own `dependencies=`, by those of an `include_router`
        that mounts it, or by a secured router it is mounted on."""
        if router in seen:
            return False
        seen = seen | {router}
        if router.startswith(_FACTORY):
            function = self._functions.get(router.removeprefix(_FACTORY))
            if function is not None and any(
                call.context is CallContext.ASSIGNED
                and self.roles.makes_router(call.callee)
                and any(self._secures_call(d) for d in _dependencies_within(function.calls, call))
                for call in function.calls
            ):
                return True
        else:
            assignment = self.assignment(router)
            if assignment is not None and assignment.value.kind is ExprKind.CALL:
                own = _keyword(assignment.value, "dependencies")
                if own is not None and any(self._secures_call(d) for d in own.args):
                    return True
        for include in self.includes:
            if include.child != router:
                continue
            if any(self._secures_call(d) for d in include.dependencies):
                return True
            if self.router_secured(include.parent, seen):
                return True
        return False

    def _secures_call(self, expr: Expr) -> bool:
        return _is_dependency_call(expr) and self.is_security_dependency(expr)

    def route_secured(self, handler: RouteHandler) -> bool:
        function = handler.function
        for param in function.params:
            if any(self.is_security_dependency(call, param.annotation) for call in self.dependencies(param)):
                return True
        decorator = _route_decorator(handler)
        if decorator is not None:
            dependencies = _keyword(decorator, "dependencies")
            if dependencies is not None and any(self._secures_call(d) for d in dependencies.args):
                return True
        # `@permission_required(roles=["admin"])`, `@login_required` under the route decorator
        if any(d is not decorator and _is_auth_name(d.name) for d in function.decorators):
            return True
        if self.router_secured(self.handler_router(handler)) or self.globally_secured:
            return True
        # A handler may check the caller itself (`user = authenticate(request)`), or
        # through a helper (a webhook verifying its signature).
        return self._verifies_caller(function.calls, 2, set())

    @cached_property
    def globally_secured(self) -> bool:
        """Whether every request is authenticated before any route: `FastAPI(dependencies=
        [Depends(auth)])`, `app.add_middleware(AuthenticationMiddleware, ...)`, or an
        `@app.middleware("http")` that checks a token."""
        for _, facts in sorted(self.model.modules.items()):
            calls = tuple(_every_call(facts))
            for call in calls:
                if call.callee in _APPS and any(
                    self._secures_call(d) for d in _dependencies_within(calls, call)
                ):
                    return True
                if call.callee.rpartition(".")[2] != "add_middleware":
                    continue
                values = (*call.args, *(value for _, value in call.keywords))
                for name in (name for value in values for name in value.names()):
                    if _is_auth_name(name):
                        return True
                    ref = self.cls(name)
                    methods = ref.cls.methods if ref is not None else ()
                    found = self.function(name) if ref is None and "?" not in name else None
                    bodies = [m.calls for m in methods] + ([found[1].calls] if found else [])
                    if any(self._verifies_caller(body, 1, set()) for body in bodies):
                        return True
            for function in _all_functions(f for _, f in _functions_of(facts)):
                if any(
                    d.kind is ExprKind.CALL and d.name.rpartition(".")[2] == "middleware"
                    for d in function.decorators
                ) and self._verifies_caller(function.calls, 2, set()):
                    return True
        return False

    def _verifies_caller(self, calls: Iterable[CallFact], depth: int, seen: set[str]) -> bool:
        calls = tuple(calls)
        if any(_is_auth_name(call.callee) for call in calls):
            return True
        if depth == 0:
            return False
        for call in calls:
            if "?" in call.callee or not self.model.is_first_party(call.callee):
                continue
            found = self.function(call.callee)
            if found is None:
                continue
            key = f"{found[0].module}.{found[1].name}"
            if key in seen:
                continue
            seen.add(key)
            if self._verifies_caller(found[1].calls, depth - 1, seen):
                return True
        return False

    # ---------------------------------------------------------------- providers (HEX608)

    @cached_property
    def dependency_functions(self) -> frozenset[str]:
        """Every first-party module-level function passed to `Depends`/`Security`."""
        found: set[str] = set()
        for _, facts in sorted(self.model.modules.items()):
            for call in _every_call(facts):
                if call.callee not in DEPENDS | SECURITY:
                    continue
                target = call.args[0] if call.args else _keyword_of(call, "dependency")
                if target is None or target.kind is not ExprKind.NAME or "?" in target.name:
                    continue
                located = self.function(target.name)
                if located is not None:
                    found.add(f"{located[0].module}.{located[1].qualname}")
        return frozenset(found)

    @cached_property
    def providers(self) -> tuple[tuple[ModuleFacts, FunctionFact], ...]:
        """Every first-party module-level function passed to `Depends(...)`, once, sorted."""
        found: dict[str, tuple[ModuleFacts, FunctionFact]] = {}
        for _, facts in sorted(self.model.modules.items()):
            for call in _every_call(facts):
                if call.callee not in DEPENDS or (not call.args and not call.keywords):
                    continue
                target = call.args[0] if call.args else _keyword_of(call, "dependency")
                if target is None or target.kind is not ExprKind.NAME or "?" in target.name:
                    continue
                located = self.function(target.name)
                if located is not None:
                    provider_facts, function = located
                    found.setdefault(f"{provider_facts.module}.{function.qualname}", located)
        return tuple(found[key] for key in sorted(found))


def _dependencies_within(calls: Iterable[CallFact], call: CallFact) -> tuple[Expr, ...]:
    """The `Depends(...)`/`Security(...)` calls among the arguments of `call`.

    A call's arguments are summarised one level deep; the `Depends(...)` in
    `dependencies=[...]` is a call of its own, handed to this one.
    """
    return tuple(
        Expr(ExprKind.CALL, inner.callee, inner.args, inner.keywords)
        for inner in calls
        if inner.outer == call.callee
        and inner.callee in DEPENDS | SECURITY
        and _within(inner.span, call.span)
    )


def _within(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def _keyword_of(call: CallFact, name: str) -> Expr | None:
    for keyword, value in call.keywords:
        if keyword == name:
            return value
    return None


def _all_functions(functions: Iterable[FunctionFact]) -> Iterator[FunctionFact]:
    for function in functions:
        yield function
        yield from _all_functions(function.nested)


def _every_call(facts: ModuleFacts) -> Iterator[CallFact]:
    """Module-level calls and the calls of every function and method (nested included once)."""
    yield from facts.calls
    for function in facts.functions:
        yield from function.calls
    for cls in facts.classes:
        for method in cls.methods:
            yield from method.calls


def _functions_of(facts: ModuleFacts) -> Iterator[tuple[ClassFact | None, FunctionFact]]:
    for function in facts.functions:
        yield None, function
    for cls in facts.classes:
        for method in cls.methods:
            yield cls, method


def web_index(model: ProjectModel) -> WebIndex:
    return model.index(WebIndex)


# ====================================================================== HEX601


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
            message = f"route handler '{_display(function)}' has {' and '.join(problems)}"
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)


# ====================================================================== HEX602


class ControllerBypassesUseCase(Rule):
    code = "HEX602"
    name = "controller-bypasses-use-case"
    severity = Severity.ERROR
    concern = "web"
    summary = "A route handler reaches persistence directly instead of going through a use case."
    subject = "route handlers go through use cases"
    why = (
        "When a controller builds a repository, opens a database client or queries a "
        "collection itself, the use case it skips is where the rules live: validation, "
        "authorization, invariants, events. The endpoint then behaves differently from "
        "every other way into the application, and the controller is welded to MongoDB "
        "or SQLAlchemy. hexcheck reports a handler that instantiates an adapter or a class "
        "from an infrastructure module, opens a driver connection, or calls methods on a "
        "driver object (a Motor database or collection, an SQLAlchemy session, "
        "`request.app.state.db`) or on an injected repository adapter. Passing a session "
        "on to other code is not reported; using it is."
    )
    how_to_fix = (
        "Add (or reuse) a use case that does the work through a port, and inject the use "
        "case into the handler.\n\n"
        "Before:\n\n"
        '    @router.get("/books/{book_id}")\n'
        "    async def get_book(book_id: str, db: AsyncIOMotorDatabase = Depends(get_database)):\n"
        "        book = await MongoBookRepository(db).get(book_id)\n"
        "        return BookMapper.to_response(book)\n\n"
        "After:\n\n"
        '    @router.get("/books/{book_id}")\n'
        "    async def get_book(book_id: str, use_case: GetBook = Depends(provide_get_book)):\n"
        "        return BookMapper.to_response(await use_case.execute(book_id))"
    )
    valid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/mongo_books.py
from app.application.ports import BookRepository

class MongoBookRepository(BookRepository):
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/codecs.py
from dataclasses import dataclass

@dataclass
class Page:
    offset: int
    limit: int
# file: app/web/dependencies.py
from functools import lru_cache
from app.infrastructure.persistence.mongo_books import MongoBookRepository

@lru_cache
def provide_get_book():
    return GetBook(MongoBookRepository(None))
# file: app/web/books.py
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.infrastructure.persistence.codecs import Page
from app.web.dependencies import provide_get_book, get_session
from app.web.services import book_service

router = APIRouter()


@router.get("/books/{book_id}")
async def get_book(book_id: str, use_case=Depends(provide_get_book)):
    return await use_case.execute(book_id)


@router.get("/books")
def list_books(offset: int = 0, db_session: Session = Depends(get_session)):
    page = Page(offset, 20)  # a data holder from infrastructure is no persistence
    return book_service.list(db_session=db_session, page=page)  # handing the session on
""",
        """\
# file: app/infrastructure/queries.py
class BookQueries:
    def __init__(self, session) -> None:
        self._session = session
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.infrastructure.queries import BookQueries
from app.web.dependencies import provide_queries

router = APIRouter()


@router.get("/books")
def list_books(queries: BookQueries = Depends(provide_queries)):
    return queries.all()  # an injected read-model query, not a repository
""",
    )
    invalid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/persistence/mongo_books.py
from app.application.ports import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, database) -> None:
        self._books = database["books"]

    async def get(self, book_id: str): ...
# file: app/web/books.py
from fastapi import APIRouter, Depends
from motor.motor_asyncio import AsyncIOMotorDatabase

from app.infrastructure.persistence.mongo_books import MongoBookRepository
from app.web.dependencies import get_database

router = APIRouter()


@router.get("/books/{book_id}/availability")
async def availability(book_id: str, database: AsyncIOMotorDatabase = Depends(get_database)):
    book = await MongoBookRepository(database).get(book_id)  # error: HEX602
    return {"available": book.available_copies}


@router.get("/books/{book_id}")
async def get_book(book_id: str, books: MongoBookRepository = Depends()):
    return await books.get(book_id)  # error: HEX602
""",
        """\
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.web.dependencies import get_session

router = APIRouter()
DbSession = Annotated[Session, Depends(get_session)]


@router.delete("/books/{book_id}")
def delete_book(book_id: str, db_session: DbSession):
    db_session.query(Book).filter_by(id=book_id).delete()  # error: HEX602
    db_session.commit()


@router.get("/authors/{author_id}")
async def get_author(author_id: str, request: Request):
    return await request.app.state.db.authors.find_one({"_id": author_id})  # error: HEX602
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).route_handlers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for handler in roles(model).route_handlers:
            found = list(self._bypasses(index, handler))
            if not found:
                continue
            span = found[0][0]
            what = []
            for _, text in found:
                if text not in what:
                    what.append(text)
            message = (
                f"route handler '{_display(handler.function)}' {'; '.join(what)} "
                "instead of going through a use case"
            )
            yield self.finding(handler.facts, span, message, handler.dotted, model)

    def _bypasses(self, index: WebIndex, handler: RouteHandler) -> Iterator[tuple[Span, str]]:
        model = index.model
        function = handler.function
        drivers: dict[str, str] = {}  # parameter -> what it is
        requests: set[str] = set()
        for param in function.params:
            for name in index.types(param.annotation):
                if name.partition(".")[0] in DATABASE_PACKAGES:
                    drivers[param.name] = f"driver object '{param.name}'"
                elif name in ("fastapi.Request", "starlette.requests.Request", "fastapi.requests.Request"):
                    requests.add(param.name)
                else:
                    ref = index.cls(name)
                    if ref is not None and self._persistence(index, ref):
                        drivers[param.name] = f"{self._kind(index, ref)} '{ref.cls.name}'"
        for call in function.calls:
            callee = call.callee
            head, _, rest = callee.partition(".")
            if head in drivers and rest:
                yield call.span, f"calls {drivers[head]}"
                continue
            if head in drivers and not rest:
                yield call.span, f"calls {drivers[head]}"
                continue
            method = callee.rpartition(".")[2]
            if head in requests and ".app.state." in f".{rest}." and method in DRIVER_METHODS:
                yield call.span, f"queries the database through '{head}.app.state'"
                continue
            if head == "?" and drivers and method in MOTOR_METHODS:
                yield call.span, f"queries the database through {next(iter(sorted(drivers.values())))}"
                continue
            canonical = model.resolve_symbol(callee) if "?" not in callee else callee
            if canonical in DATABASE_CONSTRUCTORS:
                yield call.span, f"opens a database connection with '{canonical.rpartition('.')[2]}'"
                continue
            ref = index.cls(callee)
            if ref is None or index.roles.is_data_holder(ref):
                continue
            if index.roles.is_adapter(ref.dotted):
                yield call.span, f"instantiates the adapter '{ref.cls.name}'"
            elif index.layer_of(ref) is Layer.INFRASTRUCTURE:
                yield call.span, f"instantiates the infrastructure class '{ref.cls.name}'"

    @staticmethod
    def _persistence(index: WebIndex, ref: ClassRef) -> bool:
        """An injected class whose methods are persistence: an adapter of a port, or an
        infrastructure class named like a repository or a unit of work."""
        if index.roles.is_adapter(ref.dotted):
            return True
        return index.layer_of(ref) is Layer.INFRASTRUCTURE and bool(_PERSISTENCE_NAME.search(ref.cls.name))

    @staticmethod
    def _kind(index: WebIndex, ref: ClassRef) -> str:
        return "the adapter" if index.roles.is_adapter(ref.dotted) else "the infrastructure class"


# ====================================================================== HEX603


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
        "dependencies (`Depends(...)`) are not part of the API and are not reported; nor "
        "are domain enums and scalar value types, nor Pydantic schemas named like DTOs "
        "(`BookResponse`) that merely sit in the domain package (HEX102 reports the "
        "Pydantic import there)."
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
# file: app/web/books.py
from fastapi import APIRouter

from app.domain.ids import BookId
from app.domain.schemas import BookResponse

router = APIRouter()


@router.get("/books/{book_id}")
async def get_book(book_id: BookId) -> BookResponse:
    return BookResponse(title=book_id)
""",
    )
    invalid = (
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
    )

    def examined(self, model: ProjectModel) -> int:
        """Every parameter that is part of the API, and every handler's response."""
        index = web_index(model)
        return sum(
            1 + sum(1 for param in handler.function.params if not index.is_injected(param))
            for handler in roles(model).route_handlers
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for handler in roles(model).route_handlers:
            function = handler.function
            name = _display(function)
            for param in function.params:
                if index.is_injected(param):
                    continue
                for ref in self._domain_classes(index, param.annotation):
                    message = (
                        f"route handler '{name}' takes the domain class '{ref.cls.name}' as "
                        f"parameter '{param.name}'; the API should speak DTOs"
                    )
                    symbol = f"{handler.dotted}:param:{param.name}"
                    yield self.finding(handler.facts, param.span, message, symbol, model)
                    break
            decorator = _route_decorator(handler)
            response_model = _keyword(decorator, "response_model") if decorator is not None else None
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
            for call in _every_call(handler.facts)
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
            if index.roles.is_pydantic_model(ref) and _DTO_NAME.search(ref.cls.name):
                continue  # an API schema kept in the domain package: HEX102 says where it belongs
            yield ref


# ====================================================================== HEX604


class WeakDto(Rule):
    code = "HEX604"
    name = "weak-dto"
    severity = Severity.WARNING
    concern = "web"
    summary = "A DTO field is annotated Any, object, or a bare dict/list/set."
    subject = "DTO fields are precisely typed"
    why = (
        "A DTO is the contract of the API: Pydantic validates requests against it and "
        "derives the OpenAPI schema from it. A field typed `Any`, `object` or a bare "
        "`dict`/`list` validates nothing, documents nothing and lets whatever the client "
        "sends flow into the use case, where it fails late and obscurely (or, in a "
        "response, leaks whatever the entity holds)."
    )
    how_to_fix = (
        "Give the field its real type: a nested DTO, `list[str]`, `dict[str, int]`, a "
        "`Literal` or an enum.\n\n"
        "Before:\n\n"
        "    class CreateBookRequest(BaseModel):\n"
        "        title: str\n"
        "        authors: list\n"
        "        metadata: Any\n\n"
        "After:\n\n"
        "    class CreateBookRequest(BaseModel):\n"
        "        title: str\n"
        "        authors: list[AuthorRef]\n"
        "        metadata: BookMetadata"
    )
    valid = (
        """\
# file: app/web/schemas.py
from typing import Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict


class BookResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    registry: ClassVar[dict] = {}

    title: str
    tags: list[str] = []
    ratings: dict[str, int] = {}
    extra: dict[str, Any] = {}  # parameterised: SPEC reports only bare containers
    subtitle: Optional[str] = None
    _cache: dict = {}  # private attribute, not a field
""",
        """\
# file: app/infrastructure/settings.py
from typing import Any

from pydantic import BaseModel


class MongoOptions(BaseModel):  # not in the web layer: no DTO
    extra: Any = None
# file: app/web/schemas.py
from dataclasses import dataclass


@dataclass
class Page:  # not a Pydantic model
    items: list
""",
    )
    invalid = (
        """\
# file: app/web/schemas.py
import typing
from typing import Any, Dict, Optional

from pydantic import BaseModel


class CreateBookRequest(BaseModel):
    title: str
    authors: list  # error: HEX604
    metadata: Any  # error: HEX604
    tags: Optional[Dict] = None  # error: HEX604
    raw: typing.Any = None  # error: HEX604
""",
        """\
# file: app/web/schemas/base.py
from pydantic import BaseModel


class Envelope(BaseModel):
    request_id: str
# file: app/web/schemas/books.py
from app.web.schemas.base import Envelope


class BookListResponse(Envelope):
    items: list[dict]
    payload: object  # error: HEX604
    links: set | None = None  # error: HEX604
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for ref in roles(model).dtos for attribute in ref.cls.attributes if attribute.annotation)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for ref in roles(model).dtos:
            if "pydantic_settings.BaseSettings" in index.roles.ancestors(ref):
                continue
            for attribute in ref.cls.attributes:
                if attribute.annotation is None or attribute.name.startswith("_"):
                    continue
                weak = self._weak(attribute.annotation)
                if weak is None:
                    continue
                message = (
                    f"DTO '{ref.cls.name}' field '{attribute.name}' is annotated '{weak}', "
                    "which validates nothing"
                )
                symbol = f"{ref.dotted}.{attribute.name}"
                yield self.finding(ref.facts, attribute.span, message, symbol, model)

    def _weak(self, annotation: Expr) -> str | None:
        """The weak type an annotation boils down to (through Optional, unions, Annotated)."""
        if annotation.kind is ExprKind.NAME:
            if annotation.name in ANY:
                return "Any"
            if annotation.name in BARE_CONTAINERS:
                return annotation.name.rpartition(".")[2]
            return None
        if annotation.kind is ExprKind.UNION:
            return next((w for arg in annotation.args for w in [self._weak(arg)] if w), None)
        if annotation.kind is ExprKind.SUBSCRIPT:
            if annotation.name in ("typing.ClassVar", "typing_extensions.ClassVar"):
                return None
            if annotation.name in ANNOTATED:
                return self._weak(annotation.args[0]) if annotation.args else None
            if annotation.name in ("typing.Optional", "typing.Union"):
                return next((w for arg in annotation.args for w in [self._weak(arg)] if w), None)
        return None


# ====================================================================== HEX605


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
        "class. `Exception` and `BaseException` themselves do not count: a handler for "
        "them maps everything to one answer."
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
    )
    invalid = (
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
                a in handled for a in the_roles.ancestors(ref) if a not in _TOO_BROAD
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
        """A project with neither web nor composition modules nor routes (a library, a
        domain package checked alone) has no HTTP edge to map exceptions at."""
        return bool(roles(model).route_handlers) or any(
            model.layer(module) in (Layer.WEB, Layer.COMPOSITION) for module in model.modules
        )

    @staticmethod
    def _layer_name(model: ProjectModel, ref: ClassRef) -> str:
        layer = model.layer(ref.facts.module)
        return layer.value if layer is not None else "domain"

    @staticmethod
    def _handled(model: ProjectModel) -> frozenset[str]:
        """Canonical names of the exceptions an `except` clause anywhere catches (and does
        more than re-raise: a domain helper translating it to `ValueError` for Pydantic
        handles it too), or an exception handler registers (`exception_handler(X)`,
        `add_exception_handler(X, ...)`, `FastAPI(exception_handlers={X: ...})`).

        When a handler is registered for a variable (`for exc, status in ERRORS.items():
        app.add_exception_handler(exc, ...)`), every class named in a module-level table
        outside domain/application counts as registered: the table is the mapping.
        """
        found: set[str] = set()
        indirect = False
        tables: set[str] = set()
        for module, facts in model.modules.items():
            if is_test_module(module):  # `except X` in a test asserts it is raised
                continue
            inner = model.layer(module) in (Layer.DOMAIN, Layer.APPLICATION)
            if not inner:
                for assignment in facts.assignments:
                    if assignment.value.kind in (ExprKind.MAPPING, ExprKind.COLLECTION):
                        tables.update(model.resolve_symbol(name) for name in assignment.value.names())
            for call in _every_call(facts):
                # What follows looks at these calls only (the loop runs over every call).
                if not (
                    call.keywords or call.callee.endswith("exception_handler") or call.callee == "isinstance"
                ):
                    continue
                method = call.callee.rpartition(".")[2]
                if method in ("exception_handler", "add_exception_handler"):
                    target = call.args[0] if call.args else _keyword_of(call, "exc_class_or_status_code")
                    if target is None:
                        continue
                    if _is_variable(target):
                        indirect = True
                    found.update(model.resolve_symbol(name) for name in target.names())
                elif call.callee == "isinstance" and len(call.args) == 2 and not inner:
                    found.update(model.resolve_symbol(name) for name in call.args[1].names())
                table = _keyword_of(call, "exception_handlers")
                if table is not None:
                    found.update(model.resolve_symbol(name) for name in _mapping_keys(model, table))
            for _, function in _functions_of(facts):
                for handler in function.handlers:
                    if handler.raises and all(r == "" for r in handler.raises):
                        continue  # `except X: raise` only passes it on
                    found.update(model.resolve_symbol(name) for name in handler.types if "?" not in name)
        if indirect:
            found.update(tables)
        return frozenset(found)


def _is_variable(target: Expr) -> bool:
    """An `add_exception_handler` target that is no class name: a loop variable, a lookup."""
    if target.kind is ExprKind.LITERAL:  # a status code
        return False
    if target.kind is not ExprKind.NAME or "?" in target.name:
        return True
    return "." not in target.name and target.name not in BUILTIN_EXCEPTIONS


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


def _raised_domain_exceptions(model: ProjectModel) -> dict[str, tuple[ClassRef, str]]:
    the_roles = roles(model)
    exceptions = {ref.dotted: ref for ref in the_roles.domain_exceptions}
    found: dict[str, tuple[ClassRef, str]] = {}
    for module, facts in sorted(model.modules.items()):
        if model.layer(module) not in (Layer.DOMAIN, Layer.APPLICATION) or is_test_module(module):
            continue
        for cls, function in _functions_of(facts):
            for fact in function.raises:
                if not fact.exception or "?" in fact.exception:
                    continue
                ref = the_roles.ref(fact.exception)
                if ref is not None and ref.dotted in exceptions and ref.dotted not in found:
                    owner = f"{cls.qualname}.{function.name}" if cls else function.name
                    found[ref.dotted] = (ref, f"{module}.{owner}")
    return found


# ====================================================================== HEX606


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
        "every layer are not checked, nor FastAPI's own extension points wherever they "
        "live (a function passed to `Depends`, a subclass of a FastAPI or Starlette "
        "class such as a security scheme or a middleware): answering in HTTP is their job."
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
    )
    invalid = (
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
    )

    def examined(self, model: ProjectModel) -> int:
        """Functions of domain, application and infrastructure that raise something."""
        return sum(
            1
            for module, facts in model.modules.items()
            if model.layer(module) in (Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE)
            for _, function in _functions_of(facts)
            if any(fact.exception for fact in function.raises)
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for module, facts in sorted(model.modules.items()):
            layer = model.layer(module)
            if layer not in (Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE):
                continue
            assert layer is not None
            for cls, function in _functions_of(facts):
                # Whether the function speaks HTTP by contract is asked only of the few
                # that raise an HTTPException: it walks the class's ancestry.
                http = [fact for fact in function.raises if self._is_http_exception(model, fact.exception)]
                if not http or self._speaks_http(index, facts, cls, function):
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
        (a subclass of a FastAPI/Starlette class). Their place is another rule's concern."""
        if cls is None:
            return f"{facts.module}.{function.name}" in index.dependency_functions
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


# ====================================================================== HEX607


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
        decorator = _route_decorator(handler)
        methods = _keyword(decorator, "methods") if decorator is not None else None
        if methods is None:
            return False
        return any(arg.name.lower() in WRITE_METHODS for arg in methods.args if arg.kind is ExprKind.LITERAL)

    @staticmethod
    def _public_by_design(handler: RouteHandler) -> bool:
        decorator = _route_decorator(handler)
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
                f"{method} route handler '{_display(function)}' has no security dependency "
                "in its parameters, its decorator or its router"
            )
            yield self.finding(handler.facts, function.span, message, handler.dotted, model)


# ====================================================================== HEX608


class UncachedDependencyProvider(Rule):
    code = "HEX608"
    name = "uncached-dependency-provider"
    severity = Severity.WARNING
    concern = "web"
    preset = "strict"
    summary = "A provider passed to Depends builds a use case or an adapter on every request."
    subject = "dependency providers are cached"
    why = (
        "FastAPI calls a provider for every request that depends on it. A provider that "
        "builds a use case or an adapter therefore rebuilds the object graph per request: "
        "new repositories, new HTTP clients with their connection pools, new clients "
        "that are never closed. Use cases and adapters over a shared client are "
        "stateless, so one instance per process is enough, and `@lru_cache` on a "
        "parameterless provider makes it one. Providers that take parameters, are async, "
        "or `yield` (per-request sessions) cannot be cached that way and are not reported."
    )
    how_to_fix = (
        "Decorate the provider with `@functools.lru_cache` (or `@functools.cache`).\n\n"
        "Before:\n\n"
        "    def provide_create_book() -> CreateBook:\n"
        "        return CreateBook(books=MongoBookRepository(get_database()))\n\n"
        "After:\n\n"
        "    @lru_cache\n"
        "    def provide_create_book() -> CreateBook:\n"
        "        return CreateBook(books=MongoBookRepository(get_database()))"
    )
    valid = (
        """\
# file: app/application/create_book.py
class CreateBookUseCase:
    def __init__(self, books) -> None:
        self._books = books

    def execute(self, command): ...
# file: app/web/dependencies.py
import functools
from collections.abc import Iterator
from functools import lru_cache

from fastapi import Depends

from app.application.create_book import CreateBookUseCase


@lru_cache
def provide_create_book() -> CreateBookUseCase:
    return CreateBookUseCase(books=None)


@functools.cache
def provide_other() -> CreateBookUseCase:
    return CreateBookUseCase(books=None)


def provide_per_request(session=Depends(lambda: None)) -> CreateBookUseCase:
    return CreateBookUseCase(books=session)  # takes a per-request session: cannot be cached


def get_use_case() -> Iterator[CreateBookUseCase]:
    yield CreateBookUseCase(books=None)  # a generator: cannot be cached


def get_settings() -> dict:
    return {}  # builds neither a use case nor an adapter
# file: app/web/books.py
from fastapi import APIRouter, Depends

from app.web.dependencies import (
    get_settings,
    get_use_case,
    provide_create_book,
    provide_other,
    provide_per_request,
)

router = APIRouter()


@router.post("/books")
async def create_book(
    a=Depends(provide_create_book),
    b=Depends(provide_other),
    c=Depends(provide_per_request),
    d=Depends(get_use_case),
    e=Depends(get_settings),
    f=Depends(),
):
    return None
""",
        """\
# file: app/application/create_book.py
class CreateBookUseCase:
    def execute(self, command): ...
# file: app/web/dependencies.py
from app.application.create_book import CreateBookUseCase


def provide_create_book() -> CreateBookUseCase:  # never passed to Depends
    return CreateBookUseCase()
""",
    )
    invalid = (
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod

class CoverGateway(ABC):
    @abstractmethod
    async def fetch(self, isbn: str) -> bytes: ...
# file: app/application/refresh_cover.py
class RefreshCoverUseCase:
    def __init__(self, covers) -> None:
        self._covers = covers

    async def execute(self, isbn): ...
# file: app/infrastructure/covers.py
from app.application.ports import CoverGateway

class OpenLibraryCoverGateway(CoverGateway):
    async def fetch(self, isbn: str) -> bytes: ...
# file: app/web/dependencies.py
from app.application.refresh_cover import RefreshCoverUseCase
from app.infrastructure.covers import OpenLibraryCoverGateway


def provide_refresh_cover() -> RefreshCoverUseCase:  # error: HEX608
    return RefreshCoverUseCase(covers=OpenLibraryCoverGateway())


def provide_covers() -> OpenLibraryCoverGateway:  # error: HEX608
    return OpenLibraryCoverGateway()
# file: app/web/books.py
from typing import Annotated

from fastapi import APIRouter, Depends

from app.web.dependencies import provide_covers, provide_refresh_cover

router = APIRouter()


@router.put("/books/{isbn}/cover")
async def refresh_cover(isbn: str, use_case=Depends(provide_refresh_cover)):
    return await use_case.execute(isbn)


@router.get("/covers/{isbn}")
async def cover(isbn: str, covers: Annotated[OpenLibraryCoverGateway, Depends(provide_covers)]):
    return await covers.fetch(isbn)
""",
        """\
# file: app/application/get_book.py
class GetBookUseCase:
    def execute(self, book_id): ...
# file: app/main.py
from fastapi import Depends, FastAPI

from app.application.get_book import GetBookUseCase

app = FastAPI()


def provide_get_book():  # error: HEX608
    use_case = GetBookUseCase()
    return use_case


@app.get("/books/{book_id}", dependencies=[Depends(provide_get_book)])
def get_book(book_id: str):
    return None
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(web_index(model).providers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        the_roles = index.roles
        use_cases = {ref.dotted for ref in the_roles.use_cases}
        for facts, function in index.providers:
            if function.params or function.is_async or function.is_generator:
                continue
            if any(d.name.rpartition(".")[2] in CACHE_DECORATORS for d in function.decorators):
                continue
            built: list[str] = []
            for call in function.calls:
                ref = index.cls(call.callee)
                if ref is None:
                    continue
                if ref.dotted in use_cases:
                    text = f"the use case '{ref.cls.name}'"
                elif the_roles.is_adapter(ref.dotted):
                    text = f"the adapter '{ref.cls.name}'"
                else:
                    continue
                if text not in built:
                    built.append(text)
            if not built:
                continue
            message = (
                f"dependency provider '{function.name}' builds {' and '.join(built)} on every "
                "request; it is not decorated with @lru_cache"
            )
            yield self.finding(facts, function.span, message, f"{facts.module}.{function.qualname}", model)


# ====================================================================== HEX609


class InlineMapping(Rule):
    code = "HEX609"
    name = "inline-mapping"
    severity = Severity.WARNING
    concern = "web"
    preset = "strict"
    summary = "A route handler constructs a domain entity itself instead of calling a mapper."
    subject = "route handlers map through mappers"
    why = (
        "Turning a request DTO into an entity is a translation with rules of its own: "
        "which fields are copied, which defaulted, which ids generated. Written inline in "
        "a handler it is repeated in every endpoint that needs it, drifts between them, "
        "and cannot be tested apart from HTTP. A mapper (a module or class in the web "
        "layer whose name contains `mapper`) keeps each translation in one place. Frozen "
        "dataclasses are value objects: wrapping a path parameter in `BookId(book_id)` "
        "parses input and is not reported; nor are domain factories (`Member.register(...)`)."
    )
    how_to_fix = (
        "Move the construction into a mapper and call it from the handler.\n\n"
        "Before:\n\n"
        "    member = Member(id=uuid4().hex, name=payload.name, email=payload.email)\n"
        "    registered = await use_case.execute(member)\n\n"
        "After:\n\n"
        "    registered = await use_case.execute(MemberMapper.to_entity(payload))"
    )
    valid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    name: str
# file: app/web/mappers/member_mapper.py
from app.domain.member import Member


class MemberMapper:
    @staticmethod
    def to_entity(payload) -> Member:
        return Member(name=payload.name)  # mappers construct entities
# file: app/web/members.py
from fastapi import APIRouter

from app.web.mappers.member_mapper import MemberMapper
from app.web.schemas import MemberResponse

router = APIRouter()


@router.post("/members")
async def register_member(payload: dict, use_case=None):
    member = await use_case.execute(MemberMapper.to_entity(payload))
    return MemberResponse(name=member.name)  # constructing a DTO is fine
""",
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    name: str

    @classmethod
    def register(cls, name: str) -> "Member":
        return cls(name)


@dataclass(frozen=True)
class MemberId:
    value: str
# file: app/web/members.py
from fastapi import APIRouter

from app.domain.member import Member, MemberId

router = APIRouter()


@router.post("/members")
async def register_member(name: str, use_case=None):
    return await use_case.execute(Member.register(name))  # a domain factory, not a constructor


@router.get("/members/{member_id}")
async def get_member(member_id: str, use_case=None):
    return await use_case.execute(MemberId(member_id))  # a value object wrapping an id
""",
    )
    invalid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    id: str
    name: str
# file: app/web/members.py
from uuid import uuid4

from fastapi import APIRouter

from app.domain.member import Member

router = APIRouter()


@router.post("/members")
async def register_member(payload: dict, use_case=None):
    member = Member(  # error: HEX609
        id=uuid4().hex,
        name=payload["name"],
    )
    return await use_case.execute(member)
""",
        """\
# file: app/domain/__init__.py
from app.domain.book import Book
# file: app/domain/book.py
import dataclasses

@dataclasses.dataclass(eq=False)
class Book:
    isbn: str
    title: str
# file: app/web/books.py
from fastapi import APIRouter

from app import domain

router = APIRouter()


@router.put("/books/{isbn}")
async def replace_book(isbn: str, payload: dict, use_case=None):
    return await use_case.execute(domain.Book(isbn, payload["title"]))  # error: HEX609
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).route_handlers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        entities = {ref.dotted for ref in index.roles.entities if not _frozen(ref)}
        for handler in roles(model).route_handlers:
            for call in handler.function.calls:
                ref = index.cls(call.callee)
                if ref is None or ref.dotted not in entities:
                    continue
                message = (
                    f"route handler '{_display(handler.function)}' constructs the domain "
                    f"entity '{ref.cls.name}' itself instead of calling a mapper"
                )
                symbol = f"{handler.dotted}:{ref.dotted}"
                yield self.finding(handler.facts, call.span, message, symbol, model)


__all__ = [
    "ControllerBypassesUseCase",
    "DomainModelInApi",
    "FatController",
    "HttpExceptionOutsideWeb",
    "InlineMapping",
    "UnauthenticatedRoute",
    "UncachedDependencyProvider",
    "UnmappedDomainException",
    "WeakDto",
]
