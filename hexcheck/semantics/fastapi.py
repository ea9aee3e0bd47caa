"""FastAPI as FastAPI reads it: routers, dependencies, what secures a route.

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
    RaiseFact,
    Span,
)
from hexcheck.core.layers import Layer
from hexcheck.semantics.credentials import (
    AUTH_MIDDLEWARES,
    DI_MARKERS,
    DISHKA_MARKERS,
    HELPER_DEPTH,
    LOGIN_FORMS,
    NOT_A_CHECK,
    PUBLIC_ROUTE_WORDS,
    SCHEME_NAME,
    TOKEN_ISSUERS,
    answers_401_or_403,
    decodes_credentials,
    di_marker,
    is_auth_name,
    is_container,
    refusal,
)
from hexcheck.semantics.roles import ClassRef, Roles, roles
from hexcheck.semantics.routes import RouteHandler
from hexcheck.semantics.symbols import definition_site, module_assignment, module_function
from hexcheck.semantics.walk import all_functions, every_call, every_function, functions_of

DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
SECURITY = frozenset({"fastapi.Security", "fastapi.params.Security", "fastapi.param_functions.Security"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})


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


# Decorators that only describe a route or a function.
_INERT_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "property", "inject", "wraps", "cache", "lru_cache"}
)
_MAX_ALIAS_HOPS = 8
_FACTORY = "factory:"  # a router known by the function that builds it
_APPS = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})


def _dependency_target(call: Expr) -> Expr | None:
    """What `Depends(x)` / `Security(x)` depends on; None for `Depends()`."""
    if call.args:
        return call.args[0]
    for keyword, value in call.keywords:
        if keyword == "dependency":
            return value
    return None


def is_dependency_call(expr: Expr | None) -> bool:
    return expr is not None and expr.kind is ExprKind.CALL and expr.name in DEPENDS | SECURITY


def dependency_target(call: CallFact) -> Expr | None:
    """What a `Depends(...)`/`Security(...)` call is handed: its first argument or its
    `dependency=` keyword."""
    return call.args[0] if call.args else call_keyword(call, "dependency")


def only_injects(facts: ModuleFacts, functions: Iterable[str]) -> bool:
    """Whether a module hands each of `functions` (dotted as it imports them) to FastAPI
    to call, in `Depends(...)`/`Security(...)` (a parameter's default, its `Annotated`
    metadata, a decorator's or router's `dependencies=`), and never calls it itself: the
    function provides what a route is given, the route does not use it."""
    injected: set[str] = set()
    called: set[str] = set()
    for call in every_call(facts):
        called.add(call.callee)
        if call.callee in DEPENDS | SECURITY:
            target = dependency_target(call)
            if target is not None and target.kind is ExprKind.NAME:
                injected.add(target.name)
    wanted = set(functions)
    return bool(wanted) and wanted <= injected and not wanted & called


def keyword_arg(expr: Expr, name: str) -> Expr | None:
    for keyword, value in expr.keywords:
        if keyword == name:
            return value
    return None


def route_decorator(handler: RouteHandler) -> Expr | None:
    """The route's decorator, or for `add_api_route(...)` the registering call."""
    if handler.registration is not None:
        call = handler.registration
        return Expr(ExprKind.CALL, call.callee, call.args, call.keywords)
    for decorator in handler.function.decorators:
        if decorator.kind is ExprKind.CALL and decorator.name == f"{handler.router}.{handler.method}":
            return decorator
    return None


WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def is_write_route(handler: RouteHandler) -> bool:
    """A POST/PUT/PATCH/DELETE route (an `api_route` with such a method among its `methods=`)."""
    if handler.method in WRITE_METHODS:
        return True
    if handler.method != "api_route":
        return False
    decorator = route_decorator(handler)
    methods = keyword_arg(decorator, "methods") if decorator is not None else None
    if methods is None:
        return False
    return any(arg.name.lower() in WRITE_METHODS for arg in methods.args if arg.kind is ExprKind.LITERAL)


def _named_public(handler: RouteHandler) -> bool:
    decorator = route_decorator(handler)
    texts = [handler.function.name]
    if decorator is not None and decorator.args and decorator.args[0].kind is ExprKind.LITERAL:
        texts.append(decorator.args[0].name)
    squashed = " ".join(re.sub(r"[^a-z0-9]", "", text.lower()) for text in texts)
    return any(word in squashed for word in PUBLIC_ROUTE_WORDS)


def public_by_name(model: ProjectModel) -> tuple[RouteHandler, ...]:
    """The write routes that nothing secures and that are public by their name or path
    alone (`/register`, `/callback`): HEX607 does not report them; the review counts them."""
    return web_index(model).public_by_name


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

    def assignment(self, dotted: str) -> AssignmentFact | None:
        """The module-level assignment a (possibly re-exported) dotted name stands for."""
        located = definition_site(self.model, dotted, by_suffix=True)
        return module_assignment(*located) if located is not None else None

    def function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        """The module-level first-party function a dotted name stands for."""
        located = definition_site(self.model, dotted, by_suffix=True)
        if located is None:
            return None
        function = module_function(*located)
        return (located[0], function) if function is not None else None

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
            return tuple(
                call for call in (self._bound_dependency(arg) for arg in expr.args[1:]) if call is not None
            )
        if expr.kind is ExprKind.UNION:
            return tuple(d for arg in expr.args for d in self.annotated_dependencies(arg, hops + 1))
        return ()

    def _bound_dependency(self, metadata: Expr) -> Expr | None:
        """The `Depends(...)` an `Annotated` metadata item or a parameter's default is, or
        the module-level name it gives is bound to (`current_user_dep =
        Depends(get_current_user)`)."""
        if is_dependency_call(metadata):
            return metadata
        if metadata.kind is ExprKind.NAME and metadata.name and "?" not in metadata.name:
            assignment = self.assignment(metadata.name)
            if assignment is not None and is_dependency_call(assignment.value):
                return assignment.value
        return None

    def dependencies(self, param: ParamFact) -> tuple[Expr, ...]:
        """The `Depends`/`Security` calls that inject a parameter: in its `Annotated`
        metadata, or its default, written there or a name bound to one at module level
        (`current_user: User = CurrentUser` where `CurrentUser = Depends(get_current_user)`)."""
        found = list(self.annotated_dependencies(param.annotation))
        default = self._bound_dependency(param.default) if param.default is not None else None
        if default is not None:
            found.append(default)
        return tuple(found)

    def is_injected(self, param: ParamFact, local: frozenset[str] = frozenset()) -> bool:
        """Whether FastAPI injects a parameter; `local`: the names the functions enclosing
        the handler bind to `Depends(...)` (`local_dependencies`), which its `Annotated`
        metadata may name (`current_user: Annotated[User, current_user_dep]`)."""
        if self.dependencies(param):
            return True
        annotation = param.annotation
        return (
            bool(local)
            and annotation is not None
            and annotation.kind is ExprKind.SUBSCRIPT
            and annotation.name in ANNOTATED
            and any(arg.kind is ExprKind.NAME and arg.name in local for arg in annotation.args[1:])
        )

    def local_dependencies(self, handler: RouteHandler) -> frozenset[str]:
        """The names the functions enclosing a nested route handler bind to a `Depends(...)`
        or `Security(...)` call (`current_user_dep = Depends(provider)` in a router factory)."""
        outer = handler.function.qualname.split(".<locals>.")[:-1]
        if not outer:
            return frozenset()
        enclosing = {".<locals>.".join(outer[:depth]) for depth in range(1, len(outer) + 1)}
        found: set[str] = set()
        pending = list(handler.facts.functions)
        while pending:
            function = pending.pop()
            if function.qualname in enclosing:
                found.update(name for name, callee in function.bound if callee in DEPENDS | SECURITY)
                pending.extend(function.nested)
        return frozenset(found)

    # ---------------------------------------------------------------- security (HEX607)

    def is_security_dependency(self, call: Expr, annotation: Expr | None = None) -> bool:
        """Whether `Depends(x)`/`Security(x)` authenticates or authorizes the caller: what
        it resolves is produced by code that reads credentials (see `_secures`)."""
        if call.name in SECURITY:
            return True
        target = _dependency_target(call)
        if target is None:  # `Depends()`: the annotation's class is the dependency
            return any(self._secures(name, set()) for name in self.types(annotation))
        return self._secures_expr(target, set())

    def _secures_expr(self, target: Expr, seen: set[str]) -> bool:
        if target.kind is ExprKind.SUBSCRIPT and target.name in DI_MARKERS:
            return self._marker_secures(target, seen)  # `Depends(Provide[Container.user])`
        if target.kind is ExprKind.CALL:  # `Depends(require_role("admin"))`, `Depends(Perm([...]))`
            if self._secures(target.name, seen):
                return True
            # A factory that only returns a function by name (`get_current_user_authorizer(
            # required=True)`) shows nothing to follow: its name is the evidence left.
            return is_auth_name(target.name) and self._opaque_factory(target.name)
        return any(self._secures(name, seen) for name in target.names())

    def _secures(self, dotted: str, seen: set[str]) -> bool:
        """Whether the thing a dependency names reads credentials: a `fastapi.security`
        scheme (or a subclass), an object built by one, a function or a class whose
        `__init__`/`__call__` does (see `_function_secures`). What hexcheck cannot read
        (a library's `current_user`) is judged by its name, the only evidence left."""
        if not dotted or "?" in dotted:
            return False
        canonical = self.model.resolve_symbol(dotted)
        if canonical in seen:
            return False
        seen.add(canonical)
        if canonical.startswith("fastapi.security."):
            return True
        assignment = self.assignment(canonical)
        if assignment is not None:
            value = assignment.value
            if value.kind is ExprKind.CALL:  # `oauth2_scheme = OAuth2PasswordBearer(...)`
                return self._secures(value.name, seen)
            if value.kind is ExprKind.NAME:
                return self._secures(value.name, seen)
            return False
        ref = self.cls(canonical)
        if ref is not None:
            ancestors = self.roles.ancestors(ref)
            if any(a.startswith("fastapi.security.") for a in ancestors):
                return True
            return any(
                self._function_secures(method, seen)
                for method in ref.cls.methods
                if method.name in ("__init__", "__call__")
            )
        found = self.function(canonical)
        if found is not None:
            return self._function_secures(found[1], seen)
        # Not in the project: a library's scheme, provider or check, known by its name.
        last = canonical.rpartition(".")[2]
        return bool(SCHEME_NAME.search(last)) or is_auth_name(canonical)

    def _opaque_factory(self, dotted: str) -> bool:
        found = self.function(dotted) if "?" not in dotted else None
        return found is not None and not (found[1].calls or found[1].raises or found[1].nested)

    def _function_secures(self, function: FunctionFact, seen: set[str]) -> bool:
        """A provider secures when one of its own dependencies does, or when it reads a
        credential and refuses a caller without one: it decodes a token or a session
        (`jwt.decode`), or raises/answers 401/403, itself or through helpers it calls."""
        for param in function.params:
            for call in self.dependencies(param):
                if call.name in SECURITY:
                    return True
                target = _dependency_target(call)
                if target is not None and self._secures_expr(target, seen):
                    return True
            marker = di_marker(param.default, param.annotation)
            if marker is not None and self._marker_secures(marker, seen):
                return True
            if any(name.startswith("fastapi.security.") for name in self.types(param.annotation)):
                return True
        if self._checks_credentials(function.calls, function.raises, HELPER_DEPTH, seen):
            return True
        # A dependency factory (`require_role("admin")`) returns the function that checks.
        return any(self._function_secures(inner, seen) for inner in function.nested)

    def _checks_credentials(
        self, calls: Iterable[CallFact], raises: Iterable[RaiseFact], depth: int, seen: set[str]
    ) -> bool:
        """Whether code decodes a token or session, or refuses the caller (401/403),
        following first-party helpers `depth` calls deep."""
        calls = tuple(calls)
        if any(refusal(raised.exception) for raised in raises):
            return True
        for call in calls:
            callee = call.callee
            if decodes_credentials(callee) or answers_401_or_403(call):
                return True
            if "?" in callee or not callee:
                continue
            if not self.model.is_first_party(callee):
                if is_auth_name(callee) and not callee.startswith(NOT_A_CHECK):
                    return True  # a library's `verify_token(...)`: its name is all there is
                continue
            if depth == 0:
                continue
            found = self.function(callee)
            if found is None:
                ref = self.cls(callee)
                if ref is not None and refusal(ref.dotted):
                    return True  # `raise Unauthorized()` built as a call
                continue
            key = f"{found[0].module}.{found[1].qualname}"
            if key in seen:
                continue
            seen.add(key)
            if self._checks_credentials(found[1].calls, found[1].raises, depth - 1, seen):
                return True
        return False

    def _marker_secures(self, marker: Expr, seen: set[str]) -> bool:
        """A DI framework's marker (`Provide[Container.current_user]`, `FromDishka[User]`)
        secures when the provider it resolves to does."""
        if not marker.args:
            return False
        key = marker.args[0]
        if marker.name in DISHKA_MARKERS:
            return any(self._dishka_provider_secures(name, seen) for name in self.types(key))
        if key.kind is ExprKind.LITERAL:  # `Provide["current_user"]`
            attribute = key.name
            containers = [ref for ref in self.roles.classes if is_container(self.roles, ref)]
        else:  # `Provide[Container.current_user]`
            owner, _, attribute = key.name.rpartition(".")
            ref = self.cls(owner)
            containers = [ref] if ref is not None else []
        for container in containers:
            for each in container.cls.attributes:
                value = each.value
                if each.name == attribute and value is not None and value.kind is ExprKind.CALL:
                    provided = value.args[0] if value.args else None
                    if provided is not None and self._secures_expr(provided, seen):
                        return True
        return False

    def _dishka_provider_secures(self, provided: str, seen: set[str]) -> bool:
        for ref in self.roles.classes:
            for method in ref.cls.methods:
                if not any(d.name.rpartition(".")[2] == "provide" for d in method.decorators):
                    continue
                returns = self.types(method.returns)
                if provided in returns and self._function_secures(method, seen):
                    return True
        return False

    @cached_property
    def _functions(self) -> dict[str, FunctionFact]:
        """Every function, method and nested function, by dotted name."""
        found: dict[str, FunctionFact] = {}
        for module, facts in sorted(self.model.modules.items()):
            for _, function in functions_of(facts):
                for each in all_functions((function,)):
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
            for _, function in functions_of(facts):
                places.extend(
                    (f"{module}.{each.qualname}", each.calls) for each in all_functions((function,))
                )
            for enclosing, calls in places:
                for call in calls:
                    parent, _, method = call.callee.rpartition(".")
                    if method != "include_router":
                        continue
                    child = call.args[0] if call.args else call_keyword(call, "router")
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
                own = keyword_arg(assignment.value, "dependencies")
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
        return is_dependency_call(expr) and self.is_security_dependency(expr)

    def route_secured(self, handler: RouteHandler) -> bool:
        function = handler.function
        for param in function.params:
            if any(self.is_security_dependency(call, param.annotation) for call in self.dependencies(param)):
                return True
            marker = di_marker(param.default, param.annotation)
            if marker is not None and self._marker_secures(marker, set()):
                return True
        decorator = route_decorator(handler)
        if handler.registration is not None:
            if any(self._secures_call(d) for d in _dependencies_within(handler.scope, handler.registration)):
                return True
        elif decorator is not None:
            dependencies = keyword_arg(decorator, "dependencies")
            if dependencies is not None and any(self._secures_call(d) for d in dependencies.args):
                return True
        if handler.view is not None and self._view_secured(handler.view):
            return True
        # `@permission_required(roles=["admin"])`, `@login_required` under the route decorator
        if any(
            d is not decorator and d.name != getattr(decorator, "name", "") and self._decorator_secures(d)
            for d in function.decorators
        ):
            return True
        if self.router_secured(self.handler_router(handler)) or self.globally_secured:
            return True
        # A handler may check the caller itself (`user = authenticate(request)`), or
        # through a helper (a webhook verifying its signature).
        return self._checks_credentials(function.calls, (), HELPER_DEPTH, set())

    def public_by_structure(self, handler: RouteHandler) -> bool:
        """A login route: it takes an `OAuth2PasswordRequestForm`, or issues a token
        (`jwt.encode`, itself or through its helpers). (A webhook that checks a signature
        is secured by that check: `route_secured`.)"""
        function = handler.function
        if any(set(self.types(param.annotation)) & LOGIN_FORMS for param in function.params):
            return True
        return self._issues_token(function.calls, HELPER_DEPTH, set())

    def _issues_token(self, calls: Iterable[CallFact], depth: int, seen: set[str]) -> bool:
        for call in calls:
            callee = call.callee
            last = callee.rpartition(".")[2]
            if last in TOKEN_ISSUERS and (last != "encode" or callee.partition(".")[0] in ("jwt", "jose")):
                return True
            if depth == 0 or "?" in callee or not self.model.is_first_party(callee):
                continue
            found = self.function(callee)
            if found is None or callee in seen:
                continue
            seen.add(callee)
            if self._issues_token(found[1].calls, depth - 1, seen):
                return True
        return False

    @cached_property
    def public_by_name(self) -> tuple[RouteHandler, ...]:
        return tuple(
            handler
            for handler in self.roles.route_handlers
            if is_write_route(handler)
            and _named_public(handler)
            and not self.route_secured(handler)
            and not self.public_by_structure(handler)
        )

    def _view_secured(self, view: ClassFact) -> bool:
        """A class-based view's attributes (`user: User = Depends(get_current_user)`) and
        its `__init__` dependencies apply to every one of its routes."""
        for attribute in view.attributes:
            calls = list(self.annotated_dependencies(attribute.annotation))
            if is_dependency_call(attribute.value) and attribute.value is not None:
                calls.append(attribute.value)
            if any(self.is_security_dependency(call, attribute.annotation) for call in calls):
                return True
            marker = di_marker(attribute.value, attribute.annotation)
            if marker is not None and self._marker_secures(marker, set()):
                return True
        init = view.method("__init__")
        return init is not None and any(
            self.is_security_dependency(call, param.annotation)
            for param in init.params
            for call in self.dependencies(param)
        )

    def _decorator_secures(self, decorator: Expr) -> bool:
        name = decorator.name
        if not name or "?" in name or name.rpartition(".")[2] in _INERT_DECORATORS:
            return False
        return self._secures(name, set())

    @cached_property
    def globally_secured(self) -> bool:
        """Whether every request is authenticated before any route: `FastAPI(dependencies=
        [Depends(auth)])`, or a middleware that reads a credential and refuses a caller
        without one (`app.add_middleware(JWTMiddleware)`, an `@app.middleware("http")`
        that decodes a token). A middleware's name or its keywords (`CORSMiddleware(
        allow_credentials=True)`) are not evidence."""
        for _, facts in sorted(self.model.modules.items()):
            calls = tuple(every_call(facts))
            for call in calls:
                if call.callee in _APPS and any(
                    self._secures_call(d) for d in _dependencies_within(calls, call)
                ):
                    return True
                if call.callee.rpartition(".")[2] != "add_middleware":
                    continue
                middleware = call.args[0] if call.args else call_keyword(call, "middleware_class")
                if middleware is not None and self._middleware_secures(middleware.name):
                    return True
            for function in every_function(facts):
                if any(
                    d.kind is ExprKind.CALL and d.name.rpartition(".")[2] == "middleware"
                    for d in function.decorators
                ) and self._checks_credentials(function.calls, function.raises, HELPER_DEPTH, set()):
                    return True
        return False

    def _middleware_secures(self, name: str) -> bool:
        if not name or "?" in name:
            return False
        ref = self.cls(name)
        if ref is None:  # a library's middleware: its name is all there is
            return not self.model.is_first_party(name) and name in AUTH_MIDDLEWARES
        return any(
            self._checks_credentials(method.calls, method.raises, HELPER_DEPTH, set())
            for owner in (ref, *self.roles.first_party_ancestors(ref))
            for method in owner.cls.methods
            if method.name in ("dispatch", "__call__")
        )

    # ---------------------------------------------------------------- providers (HEX608)

    def _passed_to(self, callees: frozenset[str]) -> Iterator[tuple[ModuleFacts, FunctionFact]]:
        """The first-party module-level functions passed to calls of `callees`."""
        for _, facts in sorted(self.model.modules.items()):
            for call in every_call(facts):
                if call.callee not in callees:
                    continue
                target = dependency_target(call)
                if target is None or target.kind is not ExprKind.NAME or "?" in target.name:
                    continue
                located = self.function(target.name)
                if located is not None:
                    yield located

    @cached_property
    def dependency_functions(self) -> frozenset[str]:
        """Every first-party module-level function passed to `Depends`/`Security`."""
        return frozenset(
            f"{facts.module}.{function.qualname}" for facts, function in self._passed_to(DEPENDS | SECURITY)
        )

    @cached_property
    def providers(self) -> tuple[tuple[ModuleFacts, FunctionFact], ...]:
        """Every first-party module-level function passed to `Depends(...)`, once, sorted."""
        found: dict[str, tuple[ModuleFacts, FunctionFact]] = {}
        for facts, function in self._passed_to(DEPENDS):
            found.setdefault(f"{facts.module}.{function.qualname}", (facts, function))
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


def call_keyword(call: CallFact, name: str) -> Expr | None:
    for keyword, value in call.keywords:
        if keyword == name:
            return value
    return None


def web_index(model: ProjectModel) -> WebIndex:
    return model.index(WebIndex)
