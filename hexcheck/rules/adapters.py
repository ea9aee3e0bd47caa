"""Adapters and async: complete, faithful, safe implementations of the ports (HEX501-HEX505).

What a call's receiver is comes from annotations and assignments only: `self._books`
assigned from an `__init__` parameter annotated `BookRepository` (or annotated itself, or
declared at class level), a parameter annotated `httpx.AsyncClient`, a module-level
`client = MongoClient(...)`. Local variables are not followed; a call whose receiver is
not known is not judged, except for the Motor/PyMongo method names, which are specific
enough to be recognised in a module that imports the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import (
    NO_SPAN,
    BodyKind,
    CallContext,
    CallFact,
    Expr,
    ExprKind,
    FunctionFact,
    ModuleFacts,
    ParamFact,
    ParamKind,
)
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import and_list, quoted_list
from hexcheck.rules.roles import ClassRef, Roles, is_abstract_method, is_test_module, roles

# ---------------------------------------------------------------------- driver vocabulary

# Packages whose objects talk to a database, a cache, a broker or a remote HTTP service.
# ORMs (SQLAlchemy, SQLModel) are not here: their sessions stage changes that fail at
# flush/commit, in the unit of work, so a repository on a session cannot catch them.
DRIVER_PACKAGES = frozenset(
    {
        "motor", "pymongo", "httpx", "requests", "aiohttp", "redis", "aioredis",
        "boto3", "botocore", "aioboto3", "aiobotocore", "elasticsearch", "opensearchpy",
        "asyncpg", "psycopg", "psycopg2", "aiomysql", "pymysql", "aiosqlite",
        "aiokafka", "kafka", "confluent_kafka", "pika", "aio_pika", "nats", "cassandra",
        "neo4j", "grpc",
    }
)  # fmt: skip
# Calls that build a driver object (a client, a session, an engine, a connection).
DRIVER_CONSTRUCTORS = frozenset(
    {
        "motor.motor_asyncio.AsyncIOMotorClient", "motor.motor_tornado.MotorClient",
        "motor.MotorClient", "pymongo.MongoClient", "pymongo.mongo_client.MongoClient",
        "pymongo.AsyncMongoClient", "httpx.Client", "httpx.AsyncClient", "requests.Session",
        "requests.session", "requests.sessions.Session", "aiohttp.ClientSession",
        "redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url",
        "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
        "aioredis.Redis", "aioredis.from_url", "boto3.client", "boto3.resource",
        "boto3.Session", "boto3.session.Session", "aioboto3.Session",
        "sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.Session",
        "sqlalchemy.ext.asyncio.AsyncSession", "sqlalchemy.ext.asyncio.async_sessionmaker",
        "elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch",
        "asyncpg.connect", "asyncpg.create_pool", "psycopg2.connect", "psycopg.connect",
        "psycopg.AsyncConnection.connect", "sqlite3.connect", "aiosqlite.connect",
        "aiokafka.AIOKafkaProducer", "aiokafka.AIOKafkaConsumer", "kafka.KafkaProducer",
        "kafka.KafkaConsumer", "pika.BlockingConnection", "aio_pika.connect",
        "aio_pika.connect_robust", "smtplib.SMTP", "smtplib.SMTP_SSL",
    }
)  # fmt: skip
# Synchronous HTTP clients and what sends a request on them.
_SYNC_HTTP_CLIENTS = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client"}
)
_HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"}
)
# Module-level functions of HTTP clients that send a request.
HTTP_FUNCTIONS = frozenset(
    f"{package}.{verb}"
    for package in ("requests", "httpx")
    for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
)
# Motor collection/database/cursor/session methods that return a coroutine (or a future).
# `find`, `aggregate`, `list_indexes` and `watch` return cursors: not here.
MOTOR_COROUTINES = frozenset(
    {
        "insert_one", "insert_many", "find_one", "find_one_and_update",
        "find_one_and_replace", "find_one_and_delete", "update_one", "update_many",
        "replace_one", "delete_one", "delete_many", "count_documents",
        "estimated_document_count", "distinct", "bulk_write", "create_index",
        "create_indexes", "drop_index", "drop_indexes", "drop", "index_information",
        "to_list", "list_collection_names", "create_collection", "drop_collection",
        "drop_database", "list_database_names", "server_info", "start_session",
        "with_transaction", "commit_transaction", "abort_transaction", "end_session",
    }
)  # fmt: skip
# What a synchronous PyMongo object does over the network (for HEX505).
PYMONGO_IO_METHODS = (MOTOR_COROUTINES - {"to_list"}) | {"find", "aggregate", "list_indexes", "watch"}
# Method names specific enough to mean MongoDB on an object whose type is not known.
MONGO_SPECIFIC = MOTOR_COROUTINES - {"drop", "distinct", "index_information", "server_info"}
# Imports that show a module works with PyMongo's synchronous client.
_SYNC_PYMONGO_NAMES = frozenset(
    {
        "pymongo.MongoClient", "pymongo.mongo_client", "pymongo.mongo_client.MongoClient",
        "pymongo.collection", "pymongo.collection.Collection", "pymongo.database",
        "pymongo.database.Database", "pymongo.synchronous",
    }
)  # fmt: skip
_AWAITABLE_RETURNS = frozenset(
    {
        "Awaitable", "Coroutine", "Future", "Task", "AsyncIterator", "AsyncIterable",
        "AsyncGenerator", "AsyncContextManager", "AbstractAsyncContextManager",
    }
)  # fmt: skip
_ASYNC_ITERATORS = frozenset({"AsyncIterator", "AsyncIterable", "AsyncGenerator"})
_ASYNC_CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})
# Decorators that leave a method's signature and async-ness alone.
_NEUTRAL_DECORATORS = frozenset(
    {
        "abc.abstractmethod", "staticmethod", "classmethod", "property", "functools.cached_property",
        "typing.override", "typing_extensions.override", "overrides.override", "functools.wraps",
        "abc.abstractproperty", "abc.abstractclassmethod", "abc.abstractstaticmethod",
    }
)  # fmt: skip
# Words in a decorator's name that announce a sync/async conversion (`async_to_sync`,
# `sync_to_async`, `run_in_threadpool`, `asyncify`).
_CONVERTER_WORDS = frozenset({"sync", "asyncify", "syncify", "threadpool", "thread", "executor", "unsync"})
# External bases that implement no port method (anything else might: a library mixin).
_INERT_BASES = frozenset(
    {
        "typing.Generic", "typing_extensions.Generic", "abc.ABC", "typing.Protocol",
        "typing_extensions.Protocol", "object", "builtins.object",
    }
)  # fmt: skip
_PROPERTIES = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
_STATIC = frozenset({"staticmethod", "abc.abstractstaticmethod"})
# Network failures the standard library raises; catching them is translating driver errors.
_NETWORK_ERRORS = frozenset(
    {"OSError", "ConnectionError", "TimeoutError", "asyncio.TimeoutError", "socket.timeout"}
)
_BROAD_ERRORS = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_NOT_OVERRIDES = frozenset({"__init__", "__new__", "__init_subclass__", "__post_init__", "__class_getitem__"})


def top_package(dotted: str) -> str:
    return dotted.partition(".")[0]


def is_driver_name(dotted: str) -> bool:
    """Whether a resolved name belongs to a driver package (`pymongo.errors.PyMongoError`)."""
    return top_package(dotted) in DRIVER_PACKAGES


def imports_package(facts: ModuleFacts, package: str) -> bool:
    return any(top_package(fact.target) == package and fact.level == 0 for fact in facts.imports)


def uses_sync_pymongo(facts: ModuleFacts) -> bool:
    """Whether a module imports PyMongo's synchronous client or its types, and no Motor
    and no `AsyncMongoClient`."""
    imported = {fact.target for fact in facts.imports}
    imported.update(f"{fact.target}.{name}" for fact in facts.imports for name in fact.names)
    if imports_package(facts, "motor"):
        return False
    if any("async" in name.lower() for name in imported if name.startswith("pymongo")):
        return False
    return bool(imported & _SYNC_PYMONGO_NAMES)


def _last(dotted: str) -> str:
    return dotted.rpartition(".")[2]


# ---------------------------------------------------------------------- class contracts


def contracts(r: Roles, ref: ClassRef) -> tuple[ClassRef, ...]:
    """The first-party ancestors `ref` promises to honour: ports, and abstract classes
    (an ABC port written next to its adapter in `adapters/repository.py` is one too)."""
    return tuple(
        a
        for a in r.first_party_ancestors(ref)
        if r.is_port(a) or r.is_protocol(a) or r.declares_abc(a) or bool(r.abstract_methods(a))
    )


# Once per model (as `roles`): HEX501, HEX502 and HEX504 each ask, for `examined` and `check`.
def implementations(r: Roles) -> tuple[ClassRef, ...]:
    """Infrastructure classes that implement a contract: adapters and their shared bases."""
    return r.model.index(_implementations)


def _implementations(model: ProjectModel) -> tuple[ClassRef, ...]:
    r = roles(model)
    return tuple(
        ref
        for ref in r.classes
        if r.layer(ref) is Layer.INFRASTRUCTURE
        and not r.is_protocol(ref)
        and not r.is_data_holder(ref)
        and contracts(r, ref)
    )


def meant_concrete(r: Roles, ref: ClassRef) -> bool:
    """Whether an implementation is meant to be instantiated, not a base for others.

    A class that declares `ABC` or abstract methods of its own, has first-party
    subclasses outside the tests, or is named `Base...`/`Abstract...`/`...Base`/`...Mixin`
    is a base.
    """
    name = ref.cls.name
    if r.declares_abc(ref) or r.is_protocol(ref):
        return False
    if any(is_abstract_method(method) for method in ref.cls.methods):
        return False
    if name.startswith(("Base", "Abstract")) or name.endswith(("Base", "Mixin")):
        return False
    # A fake in the tests that extends the real adapter does not make it a base.
    return not any(not is_test_module(sub.rpartition(".")[0]) for sub in r.model.subclasses(ref.dotted))


def _decorators(function: FunctionFact) -> list[str]:
    return [decorator.name for decorator in function.decorators if decorator.name not in _NEUTRAL_DECORATORS]


def converts_sync_async(function: FunctionFact) -> bool:
    """Whether a decorator (`async_to_sync`, `run_in_threadpool`...) or
    `@asynccontextmanager` makes the function something else than its `def` says."""
    if function.decorated_with(*_ASYNC_CONTEXT_MANAGERS):
        return True
    return any(set(_last(name).lower().split("_")) & _CONVERTER_WORDS for name in _decorators(function))


def external_bases(r: Roles, ref: ClassRef) -> list[str]:
    """The ancestors of `ref` outside the project that might implement methods."""
    return [
        name
        for name in r.ancestors(ref)
        if r.ref(name) is None and name not in _INERT_BASES and not name.startswith("?")
    ]


def adapter_classes(r: Roles) -> tuple[ClassRef, ...]:
    """The implementations meant to be instantiated: what HEX501 and HEX504 judge."""
    return r.model.index(_adapter_classes)


def _adapter_classes(model: ProjectModel) -> tuple[ClassRef, ...]:
    r = roles(model)
    return tuple(ref for ref in implementations(r) if meant_concrete(r, ref))


# ---------------------------------------------------------------------- what a name holds


def _names(expr: Expr | None) -> tuple[str, ...]:
    return expr.names() if expr is not None else ()


_TYPING_MODULES = ("typing.", "typing_extensions.", "collections.abc.")


def _type_names(expr: Expr | None) -> tuple[str, ...]:
    """The classes an annotation names, `Optional`/`Annotated`/`Union` and the like aside."""
    return tuple(name for name in _names(expr) if not name.startswith(_TYPING_MODULES))


def _is_static(function: FunctionFact) -> bool:
    return function.decorated_with(*_STATIC)


def _self_name(function: FunctionFact, in_class: bool) -> str:
    if not in_class or _is_static(function) or not function.params:
        return ""
    first = function.params[0]
    if first.kind in (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY):
        return first.name
    return ""


class TypeIndex:
    """What attributes, parameters and module-level names hold, as resolved type names.

    Built once per model and shared by the rules of this family.
    """

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.roles = roles(model)
        # By (dotted name, `id(cls)`): the model's ClassFacts live as long as the model.
        self._attributes: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}
        self._variables: dict[str, tuple[str, ...]] = {}
        # HEX503 types every call of every function: the same callees and module paths
        # come up again and again, and the answers depend on the name only.
        self._functions: dict[str, tuple[ModuleFacts, FunctionFact] | None] = {}
        self._async_functions: dict[str, str] = {}
        self._module_receivers: dict[str, tuple[tuple[str, ...], int]] = {}
        self._could_be_coroutine: dict[str, bool] = {}
        self._coroutine_methods: dict[tuple[tuple[str, ...], str], str] = {}
        # By `id(function)`, the function kept in the entry so that its id stays its own
        # (hashing a FunctionFact would hash all its contents).
        self._params: dict[int, tuple[FunctionFact, dict[str, tuple[str, ...]]]] = {}

    def _expr_types(
        self,
        expr: Expr | None,
        params: dict[str, tuple[str, ...]],
        self_name: str,
        attribute: Callable[[str], tuple[str, ...]],
    ) -> tuple[str, ...]:
        """The types an assigned value stands for.

        A name passes its type on (a parameter, `self.other`, a module-level variable);
        a call of a first-party class or a driver constructor gives that class; a call
        of a first-party function gives its return annotation. A subscript or a method
        call on a typed object gives a driver type only: `database["books"]` of a Motor
        database is a Motor collection, `factory.create()` is not a factory.
        """
        if expr is None:
            return ()
        name = expr.name
        head, _, rest = name.partition(".")
        if expr.kind is ExprKind.NAME:
            if name in params:
                return params[name]
            if self_name and head == self_name and rest and "." not in rest:
                return attribute(rest)
            return self.module_variable(name) if "." in name else ()
        if expr.kind not in (ExprKind.CALL, ExprKind.SUBSCRIPT) or not name or "?" in name:
            return ()
        if expr.kind is ExprKind.CALL:
            if name in DRIVER_CONSTRUCTORS or is_driver_name(name) or self.roles.ref(name) is not None:
                return (name,)
            located = self.function(name)
            if located is not None:
                return _type_names(located[1].returns)
        if head in params and head != self_name:
            base = params[head]
        elif self_name and head == self_name and rest:
            base = attribute(rest.partition(".")[0])
        elif "." in name:
            base = self.module_variable(name.rpartition(".")[0] if expr.kind is ExprKind.CALL else name)
        else:
            base = ()
        return tuple(t for t in base if is_driver_name(t))

    def attributes(self, ref: ClassRef) -> dict[str, tuple[str, ...]]:
        """`self.<name>` -> type names, for `ref` and its first-party ancestors (the class
        itself wins): class-level annotations and assignments, properties' return
        annotations, `self.x: T = ...`, and `self.x = param` / `self.x = Driver(...)` /
        `self.x = database["books"]` / `self.x = self.y` in methods."""
        # By class definition, not by name alone: a module may define a class twice (`if
        # ...: class Secret` / `else: class Secret`), each definition with its attributes.
        cached = self._attributes.get((ref.dotted, id(ref.cls)))
        if cached is not None:
            return cached
        # name -> how it is bound, in order of precedence: (annotation, value, params, self)
        bindings: dict[str, list[tuple[Expr | None, Expr | None, dict[str, tuple[str, ...]], str]]] = {}
        for owner in (ref, *self.roles.first_party_ancestors(ref)):
            own: dict[str, list[tuple[Expr | None, Expr | None, dict[str, tuple[str, ...]], str]]] = {}
            for attribute in owner.cls.attributes:
                own.setdefault(attribute.name, []).append((attribute.annotation, attribute.value, {}, ""))
            for method in owner.cls.methods:
                if method.decorated_with(*_PROPERTIES) and method.returns is not None:
                    own.setdefault(method.name, []).append((method.returns, None, {}, ""))
                if not method.self_attributes:
                    continue
                self_name = _self_name(method, True)
                params = self.params_of(method)
                for attribute in method.self_attributes:
                    own.setdefault(attribute.name, []).append(
                        (attribute.annotation, attribute.value, params, self_name)
                    )
            for name, ways in own.items():
                bindings.setdefault(name, ways)
        found: dict[str, tuple[str, ...]] = {}
        resolving: set[str] = set()

        def resolve(name: str) -> tuple[str, ...]:
            if name in found:
                return found[name]
            if name in resolving:
                return ()
            resolving.add(name)
            types: tuple[str, ...] = ()
            for annotation, value, params, self_name in bindings.get(name, ()):
                types = _type_names(annotation) or self._expr_types(value, params, self_name, resolve)
                if types:
                    break
            resolving.discard(name)
            found[name] = types
            return types

        for name in bindings:
            resolve(name)
        result = {name: types for name, types in found.items() if types}
        self._attributes[(ref.dotted, id(ref.cls))] = result
        return result

    def params_of(self, function: FunctionFact) -> dict[str, tuple[str, ...]]:
        """Parameter name -> annotated type names (the caller must not change the dict)."""
        cached = self._params.get(id(function))
        if cached is None:
            cached = self._params[id(function)] = (function, self.param_types(function))
        return cached[1]

    @staticmethod
    def param_types(function: FunctionFact) -> dict[str, tuple[str, ...]]:
        return {
            param.name: _type_names(param.annotation)
            for param in function.params
            if param.annotation is not None
        }

    def module_variable(self, dotted: str) -> tuple[str, ...]:
        """The types of a module-level variable (`client = MongoClient(...)`)."""
        canonical = self.model.resolve_symbol(dotted)
        cached = self._variables.get(canonical)
        if cached is not None:
            return cached
        self._variables[canonical] = ()  # a cycle of aliases types nothing
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        types: tuple[str, ...] = ()
        for assignment in facts.assignments if facts is not None else ():
            if assignment.name == name:
                types = _type_names(assignment.annotation) or self._expr_types(
                    assignment.value, {}, "", lambda _: ()
                )
                break
        self._variables[canonical] = types
        return types

    def receiver(self, call: CallFact, where: Where) -> tuple[tuple[str, ...], int]:
        """The types of the object a method call is made on, and how many attribute hops
        lie between that typed object and the method (`self._db.books.insert_one`: 1).

        `((), 0)` when the receiver is not known.
        """
        parts = call.callee.split(".")
        if len(parts) < 2 or "?" in parts[:-1]:
            return (), 0
        head = parts[0]
        if where.self_name and head == where.self_name and where.cls is not None:
            if len(parts) < 3:
                return (), 0
            return self._walk(self.attributes(where.cls).get(parts[1], ()), parts[2:-1])
        params = self.params_of(where.function)
        if head in params:
            return self._walk(params[head], parts[1:-1])
        # What follows depends on the callee alone, and the same module paths
        # (`client.db.books.insert_one`, `logger.info`) are called all over the project.
        found = self._module_receivers.get(call.callee)
        if found is None:
            found = self._module_receivers[call.callee] = self._module_receiver(parts)
        return found

    def _module_receiver(self, parts: list[str]) -> tuple[tuple[str, ...], int]:
        """`receiver` for a callee rooted at a module-level variable (`client.db.insert_one`)."""
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if "." not in prefix:
                break
            types = self.module_variable(prefix)
            if types:
                return self._walk(types, parts[cut:-1])
        return (), 0

    def _walk(self, types: tuple[str, ...], hops: list[str]) -> tuple[tuple[str, ...], int]:
        """Follow attribute hops through first-party classes (`uow.books` where the unit
        of work declares `books: BookRepository`); the hops left are returned."""
        for index, hop in enumerate(hops):
            found: list[str] = []
            for type_name in types:
                ref = self.roles.ref(type_name)
                if ref is not None:
                    found.extend(self.attributes(ref).get(hop, ()))
            if not found:
                return types, len(hops) - index
            types = tuple(dict.fromkeys(found))
        return types, 0

    # ------------------------------------------------------------------ coroutines

    def method_of(self, type_names: tuple[str, ...], name: str) -> list[tuple[ClassRef, FunctionFact]]:
        """The definitions of method `name` on the first-party classes among `type_names`."""
        found: list[tuple[ClassRef, FunctionFact]] = []
        for type_name in type_names:
            ref = self.roles.ref(type_name)
            if ref is None:
                continue
            for owner in (ref, *self.roles.first_party_ancestors(ref)):
                method = owner.cls.method(name)
                if method is not None:
                    found.append((owner, method))
                    break
        return found

    def function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        """The first-party module-level function a resolved name stands for."""
        try:
            return self._functions[dotted]
        except KeyError:
            found = self._functions[dotted] = self._find_function(dotted)
            return found

    def _find_function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        canonical = self.model.resolve_symbol(dotted)
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        if facts is None:
            return None
        for function in facts.functions:
            if function.name == name:
                return facts, function
        return None

    def async_function(self, dotted: str) -> str:
        """`dotted` if it names a first-party coroutine function (module-level, or a static
        or class method called on its class), else ''."""
        try:
            return self._async_functions[dotted]
        except KeyError:
            found = self._async_functions[dotted] = self._async_function(dotted)
            return found

    def _async_function(self, dotted: str) -> str:
        located = self.function(dotted)
        if located is not None:
            return dotted if is_coroutine_function(located[1]) else ""
        owner_name, _, name = dotted.rpartition(".")
        owner = self.roles.ref(owner_name) if owner_name else None
        if owner is None:
            return ""
        method = owner.cls.method(name)
        if method is None or not (_is_static(method) or method.decorated_with("classmethod")):
            return ""
        return f"{owner.cls.name}.{name}" if is_coroutine_function(method) else ""

    @cached_property
    def wheres(self) -> tuple[Where, ...]:
        """`functions(roles)`: every module-level function and method."""
        return tuple(Where(facts, cls, function) for facts, cls, function in self.roles.functions())

    @cached_property
    def _coroutine_names(self) -> frozenset[str]:
        """The names of every first-party `async def` function and method."""
        return frozenset(
            function.name
            for facts in self.model.modules.values()
            for function in (*facts.functions, *(method for cls in facts.classes for method in cls.methods))
            if function.is_async
        )

    @cached_property
    def may_return_coroutines(self) -> frozenset[str]:
        """The callees of the project that `_names_a_coroutine`."""
        callees = {call.callee for where in self.wheres for call in where.function.calls}
        callees.update(call.callee for facts in self.model.modules.values() for call in facts.calls)
        return frozenset(callee for callee in callees if self._names_a_coroutine(callee))

    def _names_a_coroutine(self, callee: str) -> bool:
        """Whether calling `callee` may return a coroutine, wherever it is called: it ends
        with the name of a first-party `async def` or of a Motor method (a method found
        through the receiver's type has the name it is called by), or it names, through
        re-exports, a first-party coroutine function (`async_function`)."""
        # The answer depends on the callee alone, and the same callees recur.
        could = self._could_be_coroutine.get(callee)
        if could is None:
            name = callee.rpartition(".")[2]
            could = self._could_be_coroutine[callee] = (
                (name in MOTOR_COROUTINES and "." in callee)
                or name in self._coroutine_names
                or bool(self.async_function(callee))
            )
        return could

    def _coroutine_method(self, type_names: tuple[str, ...], name: str) -> str:
        """`_coroutine_method(self.method_of(type_names, name))`, kept: the same methods
        are called on the same types from many functions."""
        key = (type_names, name)
        found = self._coroutine_methods.get(key)
        if found is None:
            found = self._coroutine_methods[key] = _coroutine_method(self.method_of(type_names, name))
        return found

    def coroutine_source(self, call: CallFact, where: Where) -> str:
        """Why `call` returns a coroutine, for the message; '' if nothing known says so.

        Known: an `async def` method of a first-party class reached through `self` or a
        typed attribute or parameter, a first-party `async def` function, a Motor method
        (in a module importing `motor`) on an object not typed as something else.
        """
        # Most calls name neither an `async def` of the project nor a Motor method: what
        # follows could only answer '' for them, and typing their receiver is the costly part.
        if not self._names_a_coroutine(call.callee):
            return ""
        parts = call.callee.split(".")
        name = parts[-1]
        # `imports_motor` last: it reads the module's imports, the name test is cheap.
        maybe_motor = name in MOTOR_COROUTINES and len(parts) > 1 and where.imports_motor
        motor = f"Motor's '{name}' returns an awaitable"
        if "?" in parts[:-1]:  # `db["books"].insert_one(...)`, `self._client()[...]...`
            return motor if maybe_motor and name in MONGO_SPECIFIC else ""
        head = parts[0]
        if where.cls is not None and where.self_name and head == where.self_name and len(parts) == 2:
            return self._coroutine_method((where.cls.dotted,), name)
        types, hops = self.receiver(call, where)
        if types:
            first_party = tuple(t for t in types if self.roles.ref(t) is not None)
            if first_party:
                return self._coroutine_method(first_party, name) if hops == 0 else ""
            async_driver = any(top_package(t) == "motor" or _async_pymongo(t) for t in types)
            return motor if maybe_motor and async_driver else ""
        if head != where.self_name and not where.is_parameter(head):
            target = self.async_function(call.callee)
            if target:
                return f"'{target}' is a coroutine function"
        return motor if maybe_motor and name in MONGO_SPECIFIC else ""


def is_coroutine_function(function: FunctionFact) -> bool:
    """A plain `async def`: not an async generator, not turned into something else by
    `@asynccontextmanager` or `@async_to_sync`."""
    return (
        function.is_async
        and not function.is_generator
        and not _returns_async_iterator(function)
        and not converts_sync_async(function)
    )


def _coroutine_method(found: list[tuple[ClassRef, FunctionFact]]) -> str:
    """Why calling the method found returns a coroutine: every definition of it is a
    plain coroutine function."""
    if not found:
        return ""
    for _, method in found:
        if not is_coroutine_function(method):
            return ""
    owner, method = found[0]
    return f"'{owner.cls.name}.{method.name}' is a coroutine function"


def _async_pymongo(type_name: str) -> bool:
    return top_package(type_name) == "pymongo" and "async" in type_name.lower()


def _returns_async_iterator(function: FunctionFact) -> bool:
    return any(_last(name) in _ASYNC_ITERATORS for name in _names(function.returns))


def type_index(model: ProjectModel) -> TypeIndex:
    return model.index(TypeIndex)


@dataclass(frozen=True, slots=True)
class Where:
    """A function being judged: its module, its class (if a method) and its `self` name.

    Slotted, with nothing cached on it: there is one per function of the project
    (77,000 on a 10,000-module tree), and what a rule asks of one it asks rarely."""

    facts: ModuleFacts
    cls: ClassRef | None
    function: FunctionFact
    self_name: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "self_name", _self_name(self.function, self.cls is not None))

    @property
    def imports_motor(self) -> bool:
        return imports_package(self.facts, "motor")

    @property
    def uses_sync_pymongo(self) -> bool:
        return uses_sync_pymongo(self.facts)

    def is_parameter(self, head: str) -> bool:
        """Whether `head` names a parameter but `self`: `books.save` with a parameter
        `books` is no module path."""
        return head != self.self_name and any(param.name == head for param in self.function.params)

    @property
    def qualname(self) -> str:
        return self.function.qualname

    @property
    def dotted(self) -> str:
        return f"{self.facts.module}.{self.function.qualname}"


def functions(r: Roles) -> tuple[Where, ...]:
    """Every module-level function and method, built once per model: HEX503 and HEX505
    walk them all, and each `Where` keeps what it worked out (`self_name`...)."""
    return type_index(r.model).wheres


# ---------------------------------------------------------------------- HEX501


def _instance_attributes(r: Roles, ref: ClassRef) -> set[str]:
    names: set[str] = set()
    for owner in (ref, *r.first_party_ancestors(ref)):
        for method in owner.cls.methods:
            names.update(attribute.name for attribute in method.self_attributes)
    return names


def unimplemented(r: Roles, ref: ClassRef) -> list[tuple[ClassRef, FunctionFact]]:
    """The methods `ref` must implement and does not, in the order the MRO would mostly
    find them: abstract methods of any first-party ancestor; methods of a contract whose
    body is only `raise NotImplementedError`; the `...` members of a `Protocol` port.

    A class-level attribute with a value implements a method (an abstract property
    overridden by `name = "books"`); for Protocol members an instance attribute does too.
    """
    contract_names = {c.dotted for c in contracts(r, ref)}
    instance = _instance_attributes(r, ref)
    seen: set[str] = set()
    missing: list[tuple[ClassRef, FunctionFact]] = []
    for owner in (ref, *r.first_party_ancestors(ref)):
        for method in owner.cls.methods:
            if method.name in seen:
                continue
            seen.add(method.name)
            if owner is ref:
                continue
            protocol_member = (
                r.is_protocol(owner) and method.body is BodyKind.EMPTY and method.name not in _NOT_OVERRIDES
            )
            placeholder = (
                owner.dotted in contract_names
                and method.name not in instance
                and (method.body is BodyKind.NOT_IMPLEMENTED or protocol_member)
            )
            if is_abstract_method(method) or placeholder:
                missing.append((owner, method))
        seen.update(attribute.name for attribute in owner.cls.attributes if attribute.value is not None)
    return missing


class IncompleteAdapter(Rule):
    code = "HEX501"
    name = "incomplete-adapter"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "An adapter does not implement every abstract method of its ports."
    subject = "adapters implement every method of their ports"
    why = (
        "A port is a promise the application relies on: every use case holding a "
        "`BookRepository` may call any of its methods. An adapter that leaves one of "
        "them abstract cannot even be instantiated (`TypeError: Can't instantiate "
        "abstract class`), and the failure shows up at startup or, with lazy providers, "
        "on the first request that needs it, far from the port that changed. Methods "
        "inherited through intermediate bases and from ports in other modules count; so "
        "do port methods whose body is only `raise NotImplementedError` and the `...` "
        "members of a `Protocol` the adapter subclasses, which fail at call time instead."
    )
    how_to_fix = (
        "Implement the missing methods in the adapter (or in the shared base it derives "
        "from). If the port grew a method only one consumer needs, split the port.\n\n"
        "Before:\n\n"
        "    class MongoBookRepository(BookRepository):\n"
        "        async def get(self, book_id: str) -> Book | None: ...\n"
        "        # BookRepository.add is never implemented\n\n"
        "After:\n\n"
        "    class MongoBookRepository(BookRepository):\n"
        "        async def get(self, book_id: str) -> Book | None: ...\n\n"
        "        async def add(self, book: Book) -> None:\n"
        "            await self._collection.insert_one(to_document(book))"
    )
    valid = (
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")

class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T | None: ...

    @abstractmethod
    async def add(self, entity: T) -> None: ...
# file: app/application/ports/book_repository.py
from abc import abstractmethod
from app.application.ports.repository import Repository
from app.domain.book import Book

class BookRepository(Repository[Book]):
    @abstractmethod
    async def get_by_isbn(self, isbn: str) -> Book | None: ...
# file: app/domain/book.py
class Book: ...
# file: app/infrastructure/persistence/mongo_base.py
from abc import abstractmethod
from typing import Any, TypeVar
from motor.motor_asyncio import AsyncIOMotorDatabase
from app.application.ports.repository import Repository

T = TypeVar("T")

class MongoRepository(Repository[T]):
    collection_name: str

    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database[self.collection_name]

    async def get(self, entity_id: str) -> T | None:
        document = await self._collection.find_one({"_id": entity_id})
        return None if document is None else self._from_document(document)

    async def add(self, entity: T) -> None:
        await self._collection.insert_one(self._to_document(entity))

    @abstractmethod
    def _to_document(self, entity: T) -> dict[str, Any]: ...

    @abstractmethod
    def _from_document(self, document: dict[str, Any]) -> T: ...
# file: app/infrastructure/persistence/mongo_book_repository.py
from app.application.ports.book_repository import BookRepository
from app.domain.book import Book
from app.infrastructure.persistence.mongo_base import MongoRepository

class MongoBookRepository(MongoRepository[Book], BookRepository):
    collection_name = "books"

    async def get_by_isbn(self, isbn: str) -> Book | None:
        document = await self._collection.find_one({"isbn": isbn})
        return None if document is None else self._from_document(document)

    def _to_document(self, entity: Book) -> dict:
        return {"_id": entity.id}

    def _from_document(self, document: dict) -> Book:
        return Book()
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod
from datetime import datetime
from typing import Protocol

class Clock(Protocol):
    def now(self) -> datetime: ...

class Named(ABC):
    @property
    @abstractmethod
    def name(self) -> str: ...
# file: app/infrastructure/clock.py
from datetime import datetime, timezone
from app.application.ports.clock import Clock, Named

class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

class UtcClock(Clock, Named):
    name = "utc"

    def now(self) -> datetime:
        return datetime.now(timezone.utc)
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...

    @abstractmethod
    async def get(self, book_id: str): ...
# file: app/infrastructure/sql_books.py
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from app.application.ports.books import BookRepository

class SqlBookRepository(SQLAlchemyAsyncRepository, BookRepository):
    model_type = dict
""",
    )
    invalid = (
        """\
# file: app/application/ports/book_repository.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    async def add(self, book) -> None: ...

    @abstractmethod
    async def set_cover_url(self, book_id: str, url: str) -> None: ...
# file: app/infrastructure/persistence/mongo_book_repository.py
from app.application.ports.book_repository import BookRepository

class MongoBookRepository(BookRepository):  # error: HEX501
    async def get(self, book_id: str):
        return None

    async def add(self, book) -> None:
        pass
""",
        """\
# file: app/application/notifications.py
from typing import Protocol

class NotificationGateway:
    async def send_due_reminder(self, member_id: str) -> None:
        raise NotImplementedError

    async def send_welcome(self, member_id: str) -> None:
        raise NotImplementedError

class Mailer(Protocol):
    def send(self, to: str, body: str) -> None: ...
# file: app/infrastructure/notifications.py
import logging
from app.application.notifications import Mailer, NotificationGateway

class LoggingNotificationGateway(NotificationGateway):  # error: HEX501
    async def send_welcome(self, member_id: str) -> None:
        logging.info("welcome %s", member_id)

class SmtpMailer(Mailer):  # error: HEX501
    def __init__(self, host: str) -> None:
        self._host = host
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(adapter_classes(roles(model)))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        for ref in adapter_classes(r):
            missing = unimplemented(r, ref)
            # A base from a library (`SQLAlchemyRepositoryMixin`) may implement them.
            if not missing or external_bases(r, ref):
                continue
            names = [f"{owner.cls.name}.{method.name}" for owner, method in missing]
            message = f"adapter '{ref.cls.name}' does not implement {quoted_list(names)}"
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


# ---------------------------------------------------------------------- HEX502


@dataclass(frozen=True)
class Shape:
    """The parameters a caller can rely on, `self`/`cls` left out."""

    required: tuple[str, ...]  # required positional parameters
    positional: tuple[str, ...]  # every positional parameter
    star_args: bool
    required_keywords: tuple[str, ...]
    keywords: tuple[str, ...]  # every keyword-only parameter
    star_kwargs: bool

    @classmethod
    def of(cls, function: FunctionFact) -> Shape:
        params: list[ParamFact] = list(function.params)
        positional_kinds = (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY)
        if params and not _is_static(function) and params[0].kind in positional_kinds:
            params = params[1:]
        positional = [p for p in params if p.kind in positional_kinds]
        keyword = [p for p in params if p.kind is ParamKind.KEYWORD_ONLY]
        return cls(
            required=tuple(p.name for p in positional if p.default is None),
            positional=tuple(p.name for p in positional),
            star_args=any(p.kind is ParamKind.VAR_POSITIONAL for p in params),
            required_keywords=tuple(p.name for p in keyword if p.default is None),
            keywords=tuple(p.name for p in keyword),
            star_kwargs=any(p.kind is ParamKind.VAR_KEYWORD for p in params),
        )


def _effectively_async(function: FunctionFact) -> bool | None:
    """`True`/`False`, or `None` when it cannot be told (an async generator, a function
    returning an awaitable, an `@asynccontextmanager`)."""
    if converts_sync_async(function):
        return None
    if function.is_async and function.is_generator:
        return None
    if any(_last(name) in _AWAITABLE_RETURNS for name in _names(function.returns)):
        return None
    return function.is_async


def _params_text(names: tuple[str, ...]) -> str:
    return f" ({', '.join(names)})" if names else ""


def signature_problems(port: FunctionFact, adapter: FunctionFact) -> list[str]:
    """How `adapter` breaks the calls the port allows; empty when it does not."""
    problems: list[str] = []
    port_async, adapter_async = _effectively_async(port), _effectively_async(adapter)
    if port_async is not None and adapter_async is not None and port_async != adapter_async:
        if adapter_async:
            problems.append("is async where the port is not")
        else:
            problems.append("is not async where the port is")
    port_shape, adapter_shape = Shape.of(port), Shape.of(adapter)
    if port.decorated_with(*_PROPERTIES) or adapter.decorated_with(*_PROPERTIES):
        return problems
    if not port_shape.star_args:
        # A decorator may supply a leading parameter (`@with_session def get(self, session, id)`).
        injected = bool(_decorators(adapter))
        if len(adapter_shape.required) > len(port_shape.required) and not injected:
            problems.append(
                f"requires {len(adapter_shape.required)} positional parameters"
                f"{_params_text(adapter_shape.required)} where the port requires "
                f"{len(port_shape.required)}{_params_text(port_shape.required)}"
            )
        elif (
            not adapter_shape.star_args
            and len(adapter_shape.positional) < len(port_shape.positional)
            and not (adapter_shape.star_kwargs and len(adapter_shape.positional) >= len(port_shape.required))
        ):
            problems.append(
                f"accepts {len(adapter_shape.positional)} positional parameters"
                f"{_params_text(adapter_shape.positional)} where the port passes up to "
                f"{len(port_shape.positional)}{_params_text(port_shape.positional)}"
            )
    if not port_shape.star_kwargs:
        extra = [
            name
            for name in adapter_shape.required_keywords
            if name not in port_shape.keywords and name not in port_shape.positional
        ]
        if extra:
            problems.append(f"requires the keyword-only {quoted_list(extra)} the port does not pass")
    if not adapter_shape.star_kwargs:
        dropped = [
            name
            for name in port_shape.keywords
            if name not in adapter_shape.keywords and name not in adapter_shape.positional
        ]
        if dropped:
            problems.append(f"does not accept the keyword-only {quoted_list(dropped)} of the port")
    return problems


def _port_method(owners: tuple[ClassRef, ...], name: str) -> tuple[ClassRef, FunctionFact] | None:
    """The nearest contract (of `contracts(r, ref)`, nearest first) declaring method `name`."""
    for owner in owners:
        method = owner.cls.method(name)
        if method is not None:
            return owner, method
    return None


class AdapterSignatureMismatch(Rule):
    code = "HEX502"
    name = "adapter-signature-mismatch"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "An adapter method differs from the port method it implements in async-ness or parameters."
    subject = "adapter methods match the signatures of their ports"
    why = (
        "Use cases call the port, not the adapter: `await self._books.get(book_id)`. "
        "An adapter whose `get` is synchronous returns a value where the caller awaits a "
        "coroutine (`TypeError: object Book can't be used in 'await' expression`); an "
        "`async` implementation of a synchronous port method returns a coroutine the "
        "caller never awaits, so the write silently never happens. An adapter that "
        "requires an extra positional parameter, or cannot take one the port passes, "
        "fails with a `TypeError` on the first call. Type checkers catch this only when "
        "the adapter is annotated and checked; hexcheck catches it from the code alone. "
        "Parameter names may differ; counts, keyword-only parameters and async-ness may not."
    )
    how_to_fix = (
        "Make the adapter method take exactly what the port method takes, with the same "
        "`async`; an extra setting the adapter needs belongs in its `__init__`.\n\n"
        "Before:\n\n"
        "    class LoanRepository(ABC):\n"
        "        @abstractmethod\n"
        "        async def list_open_for_member(self, member_id: str) -> list[Loan]: ...\n\n"
        "    class MongoLoanRepository(LoanRepository):\n"
        "        async def list_open_for_member(self, member_id: str, limit: int) -> list[Loan]: ...\n\n"
        "After:\n\n"
        "    class MongoLoanRepository(LoanRepository):\n"
        "        def __init__(self, database: AsyncIOMotorDatabase, limit: int = 100) -> None:\n"
        "            self._limit = limit\n\n"
        "        async def list_open_for_member(self, member_id: str) -> list[Loan]: ..."
    )
    valid = (
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    def stream(self, author_id: str) -> AsyncIterator[dict]: ...

    @abstractmethod
    def count(self) -> Awaitable[int]: ...

    @abstractmethod
    async def list_page(self, offset: int, limit: int = 20, *, session=None): ...
# file: app/infrastructure/mongo_books.py
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):
    def __init__(self, collection, page_size: int = 20) -> None:
        self._collection = collection

    async def get(self, id_):
        return await self._collection.find_one({"_id": id_})

    async def stream(self, author_id: str):
        async for document in self._collection.find({"author_id": author_id}):
            yield document

    async def count(self) -> int:
        return await self._collection.count_documents({})

    async def list_page(self, offset, limit=50, *, session=None, hint=None):
        return await self._collection.find().skip(offset).to_list(limit)
""",
        """\
# file: app/application/ports/clock.py
from typing import Protocol

class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float, *args, **kwargs) -> None: ...
# file: app/infrastructure/clock.py
import time
from app.application.ports.clock import Clock

class SystemClock(Clock):
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float, *args, **kwargs) -> None:
        time.sleep(seconds)

    def extra(self, a, b, c) -> None:
        pass
# file: app/application/ports/users.py
from abc import ABC, abstractmethod

class UserRepository(ABC):
    @abstractmethod
    async def get(self, user_id: str): ...

    @abstractmethod
    async def count(self) -> int: ...
# file: app/infrastructure/users.py
from asgiref.sync import sync_to_async
from app.application.ports.users import UserRepository
from app.infrastructure.sessions import with_session

class DjangoUserRepository(UserRepository):
    @with_session
    async def get(self, session, user_id: str):
        return session.get(user_id)

    @sync_to_async
    def count(self) -> int:
        return 0
# file: app/infrastructure/sessions.py
def with_session(method):
    return method
""",
    )
    invalid = (
        """\
# file: app/application/ports/loan_repository.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def list_open_for_member(self, member_id: str) -> list: ...

    @abstractmethod
    async def add(self, loan) -> None: ...
# file: app/infrastructure/persistence/mongo_loan_repository.py
from app.application.ports.loan_repository import LoanRepository

class MongoLoanRepository(LoanRepository):
    async def list_open_for_member(self, member_id: str, limit: int) -> list:  # error: HEX502
        return []

    def add(self, loan) -> None:  # error: HEX502
        pass
""",
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod

class Repository(ABC):
    @abstractmethod
    def save(self, entity, *, session=None) -> None: ...

    @abstractmethod
    def get(self, entity_id): ...
# file: app/infrastructure/persistence/base.py
from app.application.ports.repository import Repository

class SqlRepository(Repository):
    async def save(self, entity, *, session=None) -> None:  # error: HEX502
        pass
# file: app/infrastructure/persistence/books.py
from app.infrastructure.persistence.base import SqlRepository

class SqlBookRepository(SqlRepository):
    def get(self) -> None:  # error: HEX502
        return None
""",
    )

    def _pairs(self, model: ProjectModel) -> Iterator[tuple[ClassRef, FunctionFact, ClassRef, FunctionFact]]:
        r = roles(model)
        for ref in implementations(r):
            owners = contracts(r, ref)
            for method in ref.cls.methods:
                if method.name in _NOT_OVERRIDES:
                    continue
                found = _port_method(owners, method.name)
                if found is not None:
                    yield ref, method, found[0], found[1]

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._pairs(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for ref, method, owner, port in self._pairs(model):
            problems = signature_problems(port, method)
            if not problems:
                continue
            message = (
                f"adapter method '{ref.cls.name}.{method.name}' does not match port method "
                f"'{owner.cls.name}.{port.name}': it {and_list(problems)}"
            )
            yield self.finding(ref.facts, method.span, message, f"{ref.dotted}.{method.name}", model)


# ---------------------------------------------------------------------- HEX503


class UnawaitedCoroutine(Rule):
    code = "HEX503"
    name = "unawaited-coroutine"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "A call that returns a coroutine is neither awaited nor scheduled."
    subject = "coroutine calls are awaited"
    why = (
        "Calling an `async def` function does not run it: it builds a coroutine object, "
        "and nothing happens until it is awaited or scheduled. `self._loans.add(loan)` "
        "without `await` stores nothing, raises nothing, and only leaves a `RuntimeWarning: "
        "coroutine was never awaited` in a log nobody reads; the HTTP response says 201. "
        "The same holds for Motor's collection methods (`insert_one`, `update_one`, "
        "`delete_one`, a cursor's `to_list`...), which return awaitables. An `async def` "
        "that returns such a call without awaiting it hands its callers a coroutine "
        "instead of a result. Handing the coroutine to `asyncio.gather`, `create_task`, "
        "`ensure_future`, `wait_for` or any other call, or returning it from a plain "
        "`def`, is fine: someone else awaits it."
    )
    how_to_fix = (
        "Await the call, or schedule it explicitly and keep a reference to the task.\n\n"
        "Before:\n\n"
        "    async def execute(self, command: BorrowBook) -> Loan:\n"
        "        loan = self._policy.open_loan(...)\n"
        "        self._loans.add(loan)\n"
        "        return loan\n\n"
        "After:\n\n"
        "    async def execute(self, command: BorrowBook) -> Loan:\n"
        "        loan = self._policy.open_loan(...)\n"
        "        await self._loans.add(loan)\n"
        "        return loan"
    )
    valid = (
        """\
# file: app/application/ports/loans.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def add(self, loan) -> None: ...

    @abstractmethod
    def count_cached(self) -> int: ...
# file: app/application/use_cases/borrow.py
import asyncio
from contextlib import asynccontextmanager
from asgiref.sync import async_to_sync
from app.application.ports.loans import LoanRepository

class BorrowBook:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans
        self._tasks: set[asyncio.Task] = set()

    async def execute(self, loan) -> None:
        await self._loans.add(loan)
        await asyncio.gather(self._loans.add(loan), self._loans.add(loan))
        task = asyncio.create_task(self._loans.add(loan))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._loans.count_cached()

    def later(self, loan):
        return self._loans.add(loan)

    def sync_entry(self, loan) -> None:
        self._add_now(loan)

    @async_to_sync
    async def _add_now(self, loan) -> None:
        await self._loans.add(loan)

    @asynccontextmanager
    async def _transaction(self):
        yield

    async def in_transaction(self, loan) -> None:
        async with self._transaction():
            await self._loans.add(loan)
""",
        """\
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorCollection

class MongoBooks:
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def list(self, limit: int) -> list:
        cursor = self._collection.find({}).sort("title")
        pipeline = self._collection.aggregate([{"$match": {}}])
        return await cursor.to_list(length=limit)

    def insert(self, document):
        return self._collection.insert_one(document)

    async def stream(self):
        async for document in self._collection.find({}):
            yield document

    async def first(self):
        return self.stream()
""",
    )
    invalid = (
        """\
# file: app/application/ports/loans.py
from abc import ABC, abstractmethod

class LoanRepository(ABC):
    @abstractmethod
    async def add(self, loan) -> None: ...
# file: app/application/use_cases/borrow.py
from app.application.ports.loans import LoanRepository
from app.application.audit import record

class BorrowBook:
    def __init__(self, loans: LoanRepository) -> None:
        self._loans = loans

    async def execute(self, loan) -> None:
        self._loans.add(loan)  # error: HEX503
        record("borrowed")  # error: HEX503
        self._notify(loan)  # error: HEX503

    async def _notify(self, loan) -> None: ...
# file: app/application/audit.py
async def record(event: str) -> None: ...
""",
        """\
# file: app/infrastructure/persistence/books.py
import motor.motor_asyncio

class MongoBooks:
    def __init__(self, database: motor.motor_asyncio.AsyncIOMotorDatabase) -> None:
        self._collection = database["books"]

    async def delete(self, book_id: str) -> None:
        self._collection.delete_one({"_id": book_id})  # error: HEX503

    async def get(self, book_id: str):
        return self._collection.find_one({"_id": book_id})  # error: HEX503
# file: app/infrastructure/web/routes.py
from fastapi import APIRouter, Depends
from app.infrastructure.persistence.books import MongoBooks

router = APIRouter()

@router.delete("/books/{book_id}")
async def delete_book(book_id: str, books: MongoBooks = Depends()) -> None:
    books.delete(book_id)  # error: HEX503
""",
    )

    def _coroutine_calls(self, model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
        # `examined` and `check` both need them; finding them is the costliest step of
        # any rule (every call of every function is typed), so once per model.
        return _coroutine_calls_of(model)

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._coroutine_calls(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for where, call, source in self._coroutine_calls(model):
            if call.context is CallContext.STATEMENT:
                message = f"'{call.callee}(...)' is never awaited: {source}, so the call does nothing"
            elif call.context is CallContext.RETURNED and where.function.is_async and not call.deferred:
                message = (
                    f"async function '{where.qualname}' returns '{call.callee}(...)' without "
                    f"awaiting it ({source}); its callers get an awaitable, not the result"
                )
            else:
                continue
            yield self.finding(where.facts, call.span, message, f"{where.dotted}:{call.callee}", model)


# ---------------------------------------------------------------------- HEX504


def _specific_driver_errors(types: tuple[str, ...]) -> bool:
    return any(name in _NETWORK_ERRORS or is_driver_name(name) for name in types)


def _broad(types: tuple[str, ...]) -> bool:
    return not types or any(name in _BROAD_ERRORS for name in types)  # `()`: a bare `except:`


def translates(model: ProjectModel, function: FunctionFact, wraps_driver_calls: bool) -> bool:
    """Whether an `except` of `function` catches driver errors and either raises a
    first-party exception (or what a first-party function builds) or handles them
    without raising (a cache that answers a miss when Redis is down).

    A broad `except Exception` counts only where it can see driver errors:
    `wraps_driver_calls` says whether the function calls the driver (or wraps code
    that does, as a decorator or a context manager)."""
    for handler in function.handlers:
        specific = _specific_driver_errors(handler.types)
        if not specific and not (wraps_driver_calls and _broad(handler.types)):
            continue
        if not handler.raises or any(raised and model.is_first_party(raised) for raised in handler.raises):
            return True
    return False


class DriverUse:
    """Where the methods of an adapter call a driver, and whether they translate errors."""

    def __init__(self, model: ProjectModel, ref: ClassRef) -> None:
        self.model = model
        self.r = roles(model)
        self.index = type_index(model)
        self.ref = ref
        ancestors = self.r.first_party_ancestors(ref)
        self.owners = [ref, *(a for a in ancestors if self.r.layer(a) is not Layer.DOMAIN)]

    def _driver_calls(self, facts: ModuleFacts, function: FunctionFact, in_class: bool) -> Iterator[CallFact]:
        mongo_module = imports_package(facts, "motor") or imports_package(facts, "pymongo")
        where = Where(facts, self.ref if in_class else None, function)
        for call in function.calls:
            if self._is_driver_call(call, where, mongo_module):
                yield call

    def driver_call(self) -> tuple[FunctionFact, CallFact] | None:
        """The first driver call of the adapter's methods (its bases' included)."""
        for owner in self.owners:
            for method in owner.cls.methods:
                for call in self._driver_calls(owner.facts, method, True):
                    return method, call
        return None

    def _is_driver_call(self, call: CallFact, where: Where, mongo_module: bool) -> bool:
        """A call on a driver object, a driver's request function, a client built to be
        used on the spot (`async with httpx.AsyncClient() as client:`), or a MongoDB
        method on an object of unknown type in a module that imports the driver."""
        callee = call.callee
        if callee in HTTP_FUNCTIONS:
            return True
        if callee in DRIVER_CONSTRUCTORS:
            return where.function.name != "__init__" and is_driver_name(callee)
        types, _ = self.index.receiver(call, where)
        if any(is_driver_name(t) for t in types):
            return True
        return (
            mongo_module
            and not types
            and _last(callee) in MONGO_SPECIFIC | {"find", "aggregate"}
            and callee.startswith(("?.", f"{where.self_name}."))
        )

    def translates(self) -> bool:
        for owner in self.owners:
            for method in owner.cls.methods:
                calls_driver = next(self._driver_calls(owner.facts, method, True), None) is not None
                if translates(self.model, method, calls_driver):
                    return True
                if self._helpers_translate(owner, method, calls_driver):
                    return True
        return False

    def _helpers_translate(self, owner: ClassRef, method: FunctionFact, calls_driver: bool) -> bool:
        """A decorator, a context manager or a helper function that does the translation:
        a decorator or a context manager wraps the method's driver calls; a helper
        function must call the driver itself."""
        decorators = {decorator.name for decorator in method.decorators}
        for name in sorted(decorators | {call.callee for call in method.calls}):
            if not self.model.is_first_party(name):
                continue
            located = self.index.function(name)
            if located is None:
                continue
            facts, helper = located
            wraps = (name in decorators or helper.is_generator) and calls_driver
            wraps = wraps or next(self._driver_calls(facts, helper, False), None) is not None
            if translates(self.model, helper, wraps):
                return True
        return False


class UntranslatedDriverError(Rule):
    code = "HEX504"
    name = "untranslated-driver-error"
    severity = Severity.WARNING
    concern = "adapters"
    summary = "An adapter calls a database/HTTP driver but never translates the driver's errors."
    subject = "adapters that call a driver translate its errors"
    why = (
        "The port is the contract the application codes against; the exceptions that can "
        "come out of it are part of that contract. When a Motor adapter lets "
        "`pymongo.errors.DuplicateKeyError` or `ServerSelectionTimeoutError` escape, "
        "every caller has to know it talks to MongoDB (and import `pymongo` to catch it), "
        "the web layer maps a driver error to HTTP by accident or not at all (500), and "
        "swapping the adapter changes the failure behaviour of the whole service. An "
        "adapter catches its driver's errors (or `Exception`) and raises the application's "
        "own exceptions: `DuplicateIsbnError`, `PersistenceError`, `CoverServiceUnavailable`, "
        "or handles them (a cache that answers a miss when Redis is down). Translation in "
        "a shared base class, a decorator or a helper function of the adapter counts; "
        "re-raising the driver error or a built-in one does not. ORM sessions (SQLAlchemy) "
        "are not judged: their errors surface at commit, in the unit of work."
    )
    how_to_fix = (
        "Wrap the driver calls and raise a first-party exception, chained with `from`.\n\n"
        "Before:\n\n"
        "    async def find_cover_url(self, isbn: Isbn) -> str | None:\n"
        "        response = await self._client.head(url)\n"
        "        response.raise_for_status()\n"
        "        return str(response.url)\n\n"
        "After:\n\n"
        "    async def find_cover_url(self, isbn: Isbn) -> str | None:\n"
        "        try:\n"
        "            response = await self._client.head(url)\n"
        "            response.raise_for_status()\n"
        "        except httpx.HTTPError as exc:\n"
        "            raise CoverServiceUnavailable(str(isbn)) from exc\n"
        "        return str(response.url)"
    )
    valid = (
        """\
# file: app/application/errors.py
class PersistenceError(Exception): ...
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str): ...

    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/base.py
from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo.errors import PyMongoError
from app.application.errors import PersistenceError
from app.application.ports.books import BookRepository

class MongoBase(BookRepository):
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database["books"]

    async def get(self, book_id: str):
        try:
            return await self._collection.find_one({"_id": book_id})
        except PyMongoError as exc:
            raise PersistenceError(book_id) from exc
# file: app/infrastructure/persistence/books.py
from app.infrastructure.persistence.base import MongoBase

class MongoBookRepository(MongoBase):
    async def add(self, book) -> None:
        await self._collection.insert_one(book)
""",
        """\
# file: app/application/errors.py
class GatewayError(Exception): ...
# file: app/application/ports/covers.py
from typing import Protocol

class CoverGateway(Protocol):
    async def find(self, isbn: str) -> str | None: ...
# file: app/infrastructure/covers.py
import functools
import httpx
from app.application.errors import GatewayError
from app.application.ports.covers import CoverGateway

def translated(method):
    @functools.wraps(method)
    async def wrapper(*args, **kwargs):
        try:
            return await method(*args, **kwargs)
        except Exception as exc:
            raise GatewayError(str(exc)) from exc
    return wrapper

class HttpCoverGateway(CoverGateway):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    @translated
    async def find(self, isbn: str) -> str | None:
        response = await self._client.get(f"/covers/{isbn}")
        return response.text

class InMemoryCoverGateway(CoverGateway):
    async def find(self, isbn: str) -> str | None:
        return None
# file: app/application/ports/cache.py
from typing import Protocol

class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...
# file: app/infrastructure/cache.py
import logging
from redis.asyncio import Redis
from redis.exceptions import RedisError
from app.application.ports.cache import Cache

class RedisCache(Cache):
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, key: str) -> bytes | None:
        try:
            return await self._redis.get(key)
        except RedisError:
            logging.warning("cache unavailable, answering a miss")
            return None
""",
    )
    invalid = (
        """\
# file: app/application/ports/covers.py
from abc import ABC, abstractmethod

class CoverImageGateway(ABC):
    @abstractmethod
    async def find_cover_url(self, isbn: str) -> str | None: ...
# file: app/infrastructure/covers.py
import httpx
from app.application.ports.covers import CoverImageGateway

class OpenLibraryCoverGateway(CoverImageGateway):  # error: HEX504
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def find_cover_url(self, isbn: str) -> str | None:
        try:
            response = await self._client.head(f"https://covers.example/{isbn}")
        except httpx.HTTPError as exc:
            raise RuntimeError("cover lookup failed") from exc
        return str(response.url)
""",
        """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod

class BookRepository(ABC):
    @abstractmethod
    async def add(self, book) -> None: ...
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorDatabase
from app.application.ports.books import BookRepository

class MongoBookRepository(BookRepository):  # error: HEX504
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._database = database

    async def add(self, book) -> None:
        await self._database["books"].insert_one(book)
# file: app/infrastructure/search.py
import requests
from app.application.ports.books import BookRepository

class SearchIndex(BookRepository):  # error: HEX504
    async def add(self, book) -> None:
        try:
            requests.post("http://search/books", json=book, timeout=2)
        except requests.RequestException:
            raise
""",
    )

    def _driver_adapters(
        self, model: ProjectModel
    ) -> Iterator[tuple[ClassRef, DriverUse, FunctionFact, CallFact]]:
        for ref in adapter_classes(roles(model)):
            use = DriverUse(model, ref)
            found = use.driver_call()
            if found is not None:
                yield ref, use, found[0], found[1]

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._driver_adapters(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for ref, use, method, call in self._driver_adapters(model):
            if use.translates():
                continue
            message = (
                f"adapter '{ref.cls.name}' calls its driver ('{call.callee}' in '{method.name}') "
                "but never turns the driver's errors into a first-party exception"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


# ---------------------------------------------------------------------- HEX505


def _blocking(call: CallFact, where: Where, index: TypeIndex) -> str:
    """Why `call` blocks the event loop, or ''."""
    callee = call.callee
    head = callee.partition(".")[0]
    if where.is_parameter(head):
        return ""
    if callee == "time.sleep":
        return "'time.sleep', which blocks the event loop"
    method = _last(callee)
    if callee in HTTP_FUNCTIONS:
        return f"'{callee}', a synchronous HTTP request that blocks the event loop"
    if method in _HTTP_METHODS and "." in callee:
        types, _ = index.receiver(call, where)
        if types and all(t in _SYNC_HTTP_CLIENTS for t in types):
            return f"'{callee}', a synchronous HTTP request that blocks the event loop"
    if method in PYMONGO_IO_METHODS and "." in callee:
        types, _ = index.receiver(call, where)
        known = bool(types) and all(_sync_pymongo(t) for t in types)
        guessed = not types and method in MONGO_SPECIFIC and where.uses_sync_pymongo
        if known or guessed:
            return f"'{callee}', a synchronous PyMongo query that blocks the event loop"
    return ""


def _sync_pymongo(type_name: str) -> bool:
    return top_package(type_name) == "pymongo" and "async" not in type_name.lower()


class BlockingCallInAsync(Rule):
    code = "HEX505"
    name = "blocking-call-in-async"
    severity = Severity.WARNING
    concern = "adapters"
    summary = "An `async def` in infrastructure or web makes a blocking call."
    subject = "calls in async adapters and controllers do not block the event loop"
    why = (
        "An `async def` runs on the event loop that serves every request of the process. "
        "`time.sleep`, a `requests` call or a synchronous PyMongo query inside it does "
        "not yield: the whole service stops answering until it returns, so one slow "
        "remote call or one retry loop turns into a latency spike for every user. "
        "Calls inside a lambda or a nested function handed to `run_in_executor` or "
        "`asyncio.to_thread` run elsewhere and are not reported."
    )
    how_to_fix = (
        "Use the async counterpart (`asyncio.sleep`, `httpx.AsyncClient`, Motor or "
        "PyMongo's `AsyncMongoClient`), or move the blocking call to a thread with "
        "`await asyncio.to_thread(...)`.\n\n"
        "Before:\n\n"
        "    async def ensure_indexes(database) -> None:\n"
        "        while not await ping(database):\n"
        "            time.sleep(2)\n\n"
        "After:\n\n"
        "    async def ensure_indexes(database) -> None:\n"
        "        while not await ping(database):\n"
        "            await asyncio.sleep(2)"
    )
    valid = (
        """\
# file: app/infrastructure/covers.py
import asyncio
import time

import requests

async def fetch(url: str) -> bytes:
    loop = asyncio.get_running_loop()
    response = await loop.run_in_executor(None, lambda: requests.get(url, timeout=5))
    await asyncio.to_thread(time.sleep, 1)
    if not response.ok:
        raise requests.exceptions.HTTPError(response.reason)
    return response.content

def fetch_sync(url: str) -> bytes:
    time.sleep(1)
    return requests.get(url, timeout=5).content
# file: app/domain/clock.py
import time

async def tick() -> None:
    time.sleep(0)
""",
        """\
# file: app/infrastructure/persistence/books.py
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import AsyncMongoClient

class Books:
    def __init__(self, collection: AsyncIOMotorCollection, client: AsyncMongoClient) -> None:
        self._collection = collection
        self._client = client

    async def get(self, book_id: str):
        await self._client.admin.command("ping")
        return await self._collection.find_one({"_id": book_id})

    async def all(self, requests: list) -> list:
        requests.append(1)
        return await self._collection.find({}).to_list(None)
""",
    )
    invalid = (
        """\
# file: app/infrastructure/persistence/indexes.py
import time
from time import sleep

async def ensure_indexes(database) -> None:
    for attempt in range(5):
        time.sleep(2 * attempt)  # error: HEX505
        sleep(1)  # error: HEX505
# file: app/infrastructure/web/routers/covers.py
import requests
from fastapi import APIRouter

router = APIRouter()

@router.get("/covers/{isbn}")
async def cover(isbn: str) -> str:
    response = requests.get(f"https://covers.example/{isbn}", timeout=5)  # error: HEX505
    return response.text
""",
        """\
# file: app/infrastructure/persistence/books.py
import requests
from pymongo import MongoClient
from pymongo.collection import Collection

client = MongoClient("mongodb://localhost")

class Books:
    def __init__(self, collection: Collection, http: requests.Session) -> None:
        self._collection = collection
        self._http = http

    async def cover(self, isbn: str) -> bytes:
        return self._http.get(f"https://covers.example/{isbn}").content  # error: HEX505

    async def get(self, book_id: str):
        return self._collection.find_one({"_id": book_id})  # error: HEX505

    async def count(self) -> int:
        return client.library.books.count_documents({})  # error: HEX505
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for where in self._async_functions(model)
            for call in where.function.calls
            if not call.deferred and call.context is not CallContext.AWAITED
        )

    def _async_functions(self, model: ProjectModel) -> Iterator[Where]:
        for where in functions(roles(model)):
            if not where.function.is_async:
                continue
            if model.layer(where.facts.module) in (Layer.INFRASTRUCTURE, Layer.WEB):
                yield where

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = type_index(model)
        for where in self._async_functions(model):
            for call in where.function.calls:
                if call.deferred or call.context is CallContext.AWAITED:
                    continue
                reason = _blocking(call, where, index)
                if reason:
                    message = f"async function '{where.qualname}' calls {reason}"
                    symbol = f"{where.dotted}:{call.callee}"
                    yield self.finding(where.facts, call.span, message, symbol, model)


__all__ = [
    "DRIVER_CONSTRUCTORS",
    "DRIVER_PACKAGES",
    "AdapterSignatureMismatch",
    "BlockingCallInAsync",
    "IncompleteAdapter",
    "UnawaitedCoroutine",
    "UntranslatedDriverError",
]


def _coroutine_calls_of(model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
    return model.index(_all_coroutine_calls)


def _all_coroutine_calls(model: ProjectModel) -> tuple[tuple[Where, CallFact, str], ...]:
    return tuple(_find_coroutine_calls(model))


def _find_coroutine_calls(model: ProjectModel) -> Iterator[tuple[Where, CallFact, str]]:
    r = roles(model)
    index = type_index(model)
    # A set test per call, instead of a method call: this loop visits every call of the
    # project, and few may return a coroutine (`coroutine_source` would answer '').
    may_return_coroutines = index.may_return_coroutines
    for where in functions(r):
        for call in where.function.calls:
            if call.callee in may_return_coroutines:
                source = index.coroutine_source(call, where)
                if source:
                    yield where, call, source
    for _, facts in sorted(model.modules.items()):
        module_level = Where(facts, None, FunctionFact("<module>", "<module>", NO_SPAN))
        for call in facts.calls:
            if call.callee in may_return_coroutines:
                source = index.coroutine_source(call, module_level)
                if source:
                    yield module_level, call, source
