"""Routes (SPEC §1, "Roles"): the functions FastAPI serves, and the routers that serve them.

A route is a function decorated by a router or app (`@router.post(...)`), registered with
`add_api_route`/`add_api_websocket_route`, or a method of a class-based view. A router is
whatever `FastAPI`, `APIRouter`, a first-party subclass of either or a factory (annotated
to return one, or whose every `return` gives one it builds) builds. Read once per model
through `Roles.route_handlers`. Also the names of the calls and decorators registering
exception handlers, which map errors to responses beside the routes (HEX605, placement).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hexcheck.core.facts import CallContext, CallFact, ClassFact, ExprKind, FunctionFact, ModuleFacts

if TYPE_CHECKING:
    from hexcheck.semantics.roles import Roles

ROUTER_FACTORIES = frozenset(
    {"fastapi.APIRouter", "fastapi.FastAPI", "fastapi.routing.APIRouter", "fastapi.applications.FastAPI"}
)
# How a route is registered without a decorator.
REGISTRATIONS = frozenset({"add_api_route", "add_api_websocket_route"})
# Packages whose decorators make a class's methods routes (classy-fastapi's `@get`...).
CLASS_VIEW_PACKAGES = frozenset({"classy_fastapi"})
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"}
)
# The calls and decorators that map an exception to a response: FastAPI's and Starlette's,
# Flask's (a blueprint's app-wide `app_errorhandler` too), Falcon's.
EXCEPTION_HANDLER_REGISTRARS = frozenset(
    {
        "exception_handler",
        "add_exception_handler",
        "errorhandler",
        "app_errorhandler",
        "register_error_handler",
        "add_error_handler",
    }
)


@dataclass(frozen=True, slots=True)
class RouteHandler:
    """A FastAPI route: the function, its route decorator and the HTTP method."""

    facts: ModuleFacts
    function: FunctionFact
    method: str
    router: str  # the dotted name of the APIRouter / FastAPI instance
    # For `router.add_api_route(path, endpoint, ...)`, that call (its `methods=` and
    # `dependencies=` play the decorator's part); for a decorated function, None.
    registration: CallFact | None = None
    scope: tuple[CallFact, ...] = ()  # the calls around `registration` (its `Depends`)
    # For a method of a class-based view, its class (whose attributes may secure it).
    view: ClassFact | None = None

    @property
    def dotted(self) -> str:
        return f"{self.facts.module}.{self.function.qualname}"


def _with_nested(function: FunctionFact) -> Iterator[FunctionFact]:
    yield function
    for inner in function.nested:
        yield from _with_nested(inner)


def _registered_method(call: CallFact) -> str:
    """The HTTP method an `add_api_route` registers: a write method among its `methods=`
    if there is one (what HEX607 asks about), else the first; FastAPI's default is GET."""
    for keyword, value in call.keywords:
        if keyword == "methods":
            verbs = [arg.name.lower() for arg in value.args if arg.kind is ExprKind.LITERAL]
            writes = [verb for verb in verbs if verb in ("post", "put", "patch", "delete")]
            return (writes or verbs or ["get"])[0]
    return "get"


class RouteFinder:
    """Finds the routes of the model `roles` reads (one instance per `Roles`)."""

    def __init__(self, roles: Roles) -> None:
        self.roles = roles
        self.model = roles.model

    def router_factory(self, dotted: str) -> str:
        """What built the module-level object `dotted` (`fastapi.APIRouter`...), or ''."""
        canonical = self.model.resolve_symbol(dotted)
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        if facts is None:
            return ""
        for assignment in facts.assignments:
            if assignment.name == name and assignment.value.kind is ExprKind.CALL:
                return assignment.value.name
        return ""

    def handlers(self) -> tuple[RouteHandler, ...]:
        """Routes on module-level routers (and routers held as class attributes), routes
        registered inside a function on an app or router it builds or receives (`def
        register(app: FastAPI)`, app factories), routes registered with
        `add_api_route`/`add_api_websocket_route`, and methods of class-based views
        (fastapi-utils `@cbv`, classy-fastapi `Routable`)."""
        found: list[RouteHandler] = []
        for _, facts in sorted(self.model.modules.items()):
            for function in facts.functions:
                found.extend(self._routes_in(facts, function, None, None))
            for cls in facts.classes:
                for method in cls.methods:
                    found.extend(self._routes_in(facts, method, None, cls))
            found.extend(self._registered_routes(facts))
        return tuple(found)

    def _routes_in(
        self,
        facts: ModuleFacts,
        function: FunctionFact,
        enclosing: FunctionFact | None,
        view: ClassFact | None,
    ) -> Iterator[RouteHandler]:
        for decorator in function.decorators:
            if decorator.kind is not ExprKind.CALL:
                continue
            router, _, method = decorator.name.rpartition(".")
            if method not in ROUTE_METHODS:
                continue
            if (
                self.makes_router(self.router_factory(router))
                or (enclosing is not None and self._builds_or_receives_router(enclosing, router))
                or (view is not None and self._view_router(view, router))
            ):
                yield RouteHandler(facts, function, method, router, view=view)
                break
        for inner in function.nested:
            yield from self._routes_in(facts, inner, function, None)

    def _view_router(self, view: ClassFact, router: str) -> bool:
        """A method of a class-based view: decorated by a router the class holds as an
        attribute (`router = APIRouter()` in the class body), or by classy-fastapi's
        `@get(...)`/`@post(...)` in a `Routable`."""
        if router.partition(".")[0] in CLASS_VIEW_PACKAGES:
            return True
        local = router.rpartition(".")[2]
        return any(
            attribute.name == local
            and attribute.value is not None
            and attribute.value.kind is ExprKind.CALL
            and self.makes_router(attribute.value.name)
            for attribute in view.attributes
        )

    def _registered_routes(self, facts: ModuleFacts) -> Iterator[RouteHandler]:
        """`router.add_api_route(path, endpoint, methods=[...])` (FastAPI's own name:
        whatever receives it is an app or a router), at module level, in functions and in
        methods (`self.add_api_route("/", self.create)` in an `APIRouter` subclass)."""
        places: list[tuple[ClassFact | None, FunctionFact | None, tuple[CallFact, ...]]] = [
            (None, None, facts.calls)
        ]
        for function in facts.functions:
            places.extend((None, each, each.calls) for each in _with_nested(function))
        for cls in facts.classes:
            for method in cls.methods:
                places.extend((cls, each, each.calls) for each in _with_nested(method))
        for registering_class, registering_function, calls in places:
            for call in calls:
                router, _, verb = call.callee.rpartition(".")
                if verb not in REGISTRATIONS:
                    continue
                endpoint = call.args[1] if len(call.args) > 1 else None
                for keyword, value in call.keywords:
                    if keyword == "endpoint":
                        endpoint = value
                if endpoint is None or endpoint.kind is not ExprKind.NAME:
                    continue
                found = self._endpoint(facts, registering_class, registering_function, endpoint.name)
                if found is None:
                    continue
                endpoint_facts, endpoint_function, owner = found
                http_method = "websocket" if verb == "add_api_websocket_route" else _registered_method(call)
                yield RouteHandler(
                    endpoint_facts, endpoint_function, http_method, router,
                    registration=call, scope=calls, view=owner,
                )  # fmt: skip

    def _endpoint(
        self, facts: ModuleFacts, cls: ClassFact | None, function: FunctionFact | None, name: str
    ) -> tuple[ModuleFacts, FunctionFact, ClassFact | None] | None:
        """The function an endpoint argument names: a method of the registering class
        (`self.create`), a function nested in the registering one, or a module-level one."""
        if name.startswith("self.") and cls is not None:
            method = cls.method(name.removeprefix("self."))
            return (facts, method, cls) if method is not None else None
        if function is not None and "." not in name:
            for inner in function.nested:
                if inner.name == name:
                    return facts, inner, None
        canonical = self.model.resolve_symbol(name)
        module, _, local = canonical.rpartition(".")
        where = self.model.modules.get(module)
        if where is None:
            owner = self.roles.ref(module)  # `BookView.create`
            method = owner.cls.method(local) if owner is not None else None
            return (owner.facts, method, owner.cls) if owner is not None and method is not None else None
        for each in where.functions:
            if each.name == local:
                return where, each, None
        return None

    def _builds_or_receives_router(self, function: FunctionFact, name: str) -> bool:
        """Whether the local `name` in `function` is an app or router: a parameter annotated
        `FastAPI`/`APIRouter`, or, for a local name, one the function builds."""
        if not name or "." in name:
            return False
        for param in function.params:
            if param.name == name:
                return param.annotation is not None and any(
                    self._is_router_class(each) for each in param.annotation.names()
                )
        return any(
            call.context is CallContext.ASSIGNED and self.makes_router(call.callee) for call in function.calls
        )

    def _is_router_class(self, dotted: str) -> bool:
        """`FastAPI`, `APIRouter`, or a first-party subclass of either."""
        if dotted in ROUTER_FACTORIES:
            return True
        ref = self.roles.ref(dotted) if dotted and "?" not in dotted else None
        return ref is not None and bool(set(self.roles.ancestors(ref)) & ROUTER_FACTORIES)

    def makes_router(self, callee: str) -> bool:
        """Whether calling `callee` gives an app or a router: the classes themselves, or a
        first-party factory function annotated to return one (`-> APIRouter`, or a router
        class of a FastAPI extension, `-> ErrorAwareRouter`), or, without an annotation,
        one whose every `return` gives a router it builds (`router = APIRouter(...)` ...
        `return router`, or another such factory's result)."""
        if not callee or "?" in callee:
            return False
        return self.model.factory_gives(
            callee,
            self._is_router_class,
            lambda name: self._is_router_class(name) or name.rpartition(".")[2].endswith("Router"),
        )
