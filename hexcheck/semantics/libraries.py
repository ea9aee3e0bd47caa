"""Third-party names, one set per meaning.

Two rules ask "is this a database?" and mean different things, so there are two sets:

- `DRIVER_PACKAGES` / `DRIVER_CONSTRUCTORS` (HEX402, HEX403, HEX503-HEX505): objects that
  talk to a database, a cache, a broker or a remote HTTP service, whose errors an adapter
  can catch where it calls them. ORMs are deliberately not in the packages: their sessions
  stage changes that fail at flush/commit, in the unit of work.
- `DATABASE_PACKAGES` / `DATABASE_CONSTRUCTORS` (HEX602): what a route handler must not
  reach past its use case, ORMs and their sessions included.

Also the Motor/PyMongo coroutine names, the HTTP client functions and FastAPI's
`HTTPException`s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hexcheck.core.facts import ModuleFacts

# Packages whose objects talk to a database, a cache, a broker or a remote HTTP service.
# ORMs (SQLAlchemy, SQLModel) are not here: their sessions stage changes that fail at
# flush/commit, in the unit of work, so a repository on a session cannot catch them.
DRIVER_PACKAGES = frozenset(
    {
        "motor", "pymongo", "httpx", "requests", "aiohttp", "redis", "aioredis",
        "boto3", "botocore", "aioboto3", "aiobotocore", "elasticsearch", "opensearchpy",
        "asyncpg", "psycopg", "psycopg2", "aiomysql", "pymysql", "aiosqlite",
        "aiokafka", "kafka", "confluent_kafka", "pika", "aio_pika", "aiormq", "nats", "cassandra",
        "neo4j", "grpc", "sqlite3", "tinydb", "duckdb", "aiopg", "psycopg_pool", "pyodbc",
        "oracledb", "cx_Oracle", "mysql", "MySQLdb", "clickhouse_driver", "clickhouse_connect",
        "pymemcache", "aiomcache", "couchbase", "influxdb_client", "qdrant_client", "minio",
    }
)  # fmt: skip
# Libraries that a helper wraps to talk to the world outside the core: tokens signed with a
# key (PyJWT, python-jose, authlib), password hashes (passlib, bcrypt, argon2), mail.
# A `core/security.py` that calls them is an adapter of those services, not core code.
SERVICE_PACKAGES = frozenset(
    {"jwt", "jose", "authlib", "passlib", "bcrypt", "argon2", "smtplib", "aiosmtplib", "fastapi_mail"}
)
# Calls that build a driver object (a client, a session, an engine, a connection) that
# connects lazily, on its first request (`MongoClient`, `boto3.client`,
# `httpx.AsyncClient`, an engine; aiokafka's clients on `await start()`).
LAZY_CONSTRUCTORS = frozenset(
    {
        "motor.motor_asyncio.AsyncIOMotorClient", "motor.motor_tornado.MotorClient",
        "motor.MotorClient", "pymongo.MongoClient", "pymongo.mongo_client.MongoClient",
        "pymongo.AsyncMongoClient", "pymongo.asynchronous.mongo_client.AsyncMongoClient",
        "httpx.Client", "httpx.AsyncClient", "requests.Session",
        "requests.session", "requests.sessions.Session", "aiohttp.ClientSession",
        "redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url",
        "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
        "aioredis.Redis", "aioredis.from_url", "boto3.client", "boto3.resource",
        "boto3.Session", "boto3.session.Session", "aioboto3.Session",
        "sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.Session",
        "sqlalchemy.ext.asyncio.AsyncSession", "sqlalchemy.ext.asyncio.async_sessionmaker",
        "elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch",
        "aiokafka.AIOKafkaProducer", "aiokafka.AIOKafkaConsumer",
    }
)  # fmt: skip
# The calls that open a connection as they build (a DB-API `connect`, pika's
# `BlockingConnection`, `smtplib.SMTP(host)`, kafka-python's clients, which bootstrap
# from the brokers in their constructor): the call itself can fail with the driver's
# errors.
CONNECTING_CONSTRUCTORS = frozenset(
    {
        "asyncpg.connect", "asyncpg.create_pool", "psycopg2.connect", "psycopg.connect",
        "psycopg.AsyncConnection.connect", "sqlite3.connect", "aiosqlite.connect",
        "pika.BlockingConnection", "aio_pika.connect", "aio_pika.connect_robust",
        "smtplib.SMTP", "smtplib.SMTP_SSL", "kafka.KafkaProducer", "kafka.KafkaConsumer",
    }
)  # fmt: skip
DRIVER_CONSTRUCTORS = LAZY_CONSTRUCTORS | CONNECTING_CONSTRUCTORS

# The verbs of a method that registers (or unregisters) a function for the driver to
# call later.
_REGISTERING = frozenset({"add", "set", "register", "remove"})


def registers_callback(method: str) -> bool:
    """A driver method that only hands the driver a function to call later
    (`add_on_close_callback`, `add_done_callback`, `add_listener`,
    `set_return_callback`): nothing goes over the network when it is called. A method
    that merely names a callback (`answer_callback_query` sends a request) is not one."""
    verb, _, rest = method.partition("_")
    registered = "callback" in rest or rest.endswith("listener") or rest.startswith("on_")
    return verb in _REGISTERING and registered


# Synchronous HTTP clients and what sends a request on them.
SYNC_HTTP_CLIENTS = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client"}
)
HTTP_METHODS = frozenset(
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
# PyMongo's async API (`AsyncMongoClient`, `pymongo.asynchronous`), which replaced Motor:
# the same coroutines, and `aggregate()`, `watch()`, `list_indexes()`,
# `list_collections()` are coroutines too (Motor returns cursors from them). `find()`
# returns a cursor in both.
PYMONGO_ASYNC_COROUTINES = MOTOR_COROUTINES | {
    "aggregate", "watch", "list_indexes", "list_collections", "list_databases",
}  # fmt: skip
# Beanie documents and ODMantic's engine: their persistence methods are coroutines.
BEANIE_COROUTINES = frozenset(
    {"insert", "insert_one", "insert_many", "save", "replace", "delete", "delete_all", "get",
     "sync", "update", "set", "inc", "upsert", "to_list", "count", "save_changes"}
)  # fmt: skip
ODMANTIC_COROUTINES = frozenset(
    {"save", "save_all", "find_one", "delete", "remove", "count", "get_collection"}
)
# SQLAlchemy's `AsyncSession`: what goes to the database is awaited.
SQLALCHEMY_ASYNC_COROUTINES = frozenset(
    {"execute", "scalar", "scalars", "get", "commit", "rollback", "flush", "refresh",
     "delete", "merge", "close", "stream", "stream_scalars", "run_sync"}
)  # fmt: skip
REDIS_ASYNC_COROUTINES = frozenset(
    {"get", "set", "delete", "exists", "expire", "incr", "decr", "hget", "hset", "hgetall",
     "lpush", "rpush", "lpop", "rpop", "publish", "ping", "close", "mget", "mset", "setex"}
)  # fmt: skip
HTTPX_ASYNC_COROUTINES = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "aclose"}
)


@dataclass(frozen=True, slots=True)
class Driver:
    """A database or HTTP driver: how its types are named and which of its methods return
    coroutines when called on them (`coroutines` is empty for a synchronous driver)."""

    name: str  # for messages, possessive: "Motor's", "PyMongo's async"
    coroutines: frozenset[str]
    is_its_type: Callable[[str], bool]


def _pymongo_async_type(dotted: str) -> bool:
    return dotted.startswith("pymongo.") and "async" in dotted.lower()


DRIVERS = (
    Driver("Motor's", MOTOR_COROUTINES, lambda t: t.startswith("motor.")),
    Driver("PyMongo's async", PYMONGO_ASYNC_COROUTINES, _pymongo_async_type),
    Driver("PyMongo's", frozenset(), lambda t: t.startswith("pymongo.") and not _pymongo_async_type(t)),
    Driver("Beanie's", BEANIE_COROUTINES, lambda t: t.startswith("beanie.")),
    Driver("ODMantic's", ODMANTIC_COROUTINES, lambda t: t.startswith("odmantic.")),
    Driver(
        "SQLAlchemy's AsyncSession", SQLALCHEMY_ASYNC_COROUTINES,
        lambda t: t.startswith("sqlalchemy.ext.asyncio."),
    ),
    Driver(
        "redis.asyncio's", REDIS_ASYNC_COROUTINES, lambda t: t.startswith(("redis.asyncio.", "aioredis."))
    ),
    Driver("httpx.AsyncClient's", HTTPX_ASYNC_COROUTINES, lambda t: t.startswith("httpx.AsyncClient")),
)  # fmt: skip


def driver_of(type_name: str) -> Driver | None:
    """The driver a resolved type name belongs to (`motor.motor_asyncio.AsyncIOMotorCollection`)."""
    for driver in DRIVERS:
        if driver.is_its_type(type_name):
            return driver
    return None


# Every method name some async driver makes a coroutine: what HEX503 looks at twice.
DRIVER_COROUTINE_NAMES = frozenset(name for driver in DRIVERS for name in driver.coroutines)
# What a synchronous PyMongo object does over the network (for HEX505).
PYMONGO_IO_METHODS = (MOTOR_COROUTINES - {"to_list"}) | {"find", "aggregate", "list_indexes", "watch"}
# Method names specific enough to mean MongoDB on an object whose type is not known.
MONGO_SPECIFIC = MOTOR_COROUTINES - {"drop", "distinct", "index_information", "server_info"}
# The Mongo method names specific enough to be recognised on an object whose type is not
# known, in a module that imports the driver: Motor's, and with PyMongo's async API also
# `aggregate` (`watch` is too common a word).
PYMONGO_ASYNC_SPECIFIC = MONGO_SPECIFIC | {"aggregate"}
# Imports that show a module works with PyMongo's synchronous client.
_SYNC_PYMONGO_NAMES = frozenset(
    {
        "pymongo.MongoClient", "pymongo.mongo_client", "pymongo.mongo_client.MongoClient",
        "pymongo.collection", "pymongo.collection.Collection", "pymongo.database",
        "pymongo.database.Database", "pymongo.synchronous",
    }
)  # fmt: skip


# Network failures the standard library raises; catching them is translating driver errors.
NETWORK_ERRORS = frozenset(
    {"OSError", "ConnectionError", "TimeoutError", "asyncio.TimeoutError", "socket.timeout"}
)


def top_package(dotted: str) -> str:
    return dotted.partition(".")[0]


def is_driver_name(dotted: str) -> bool:
    """Whether a resolved name belongs to a driver package (`pymongo.errors.PyMongoError`)."""
    return top_package(dotted) in DRIVER_PACKAGES


def imports_package(facts: ModuleFacts, package: str) -> bool:
    return any(top_package(fact.target) == package and fact.level == 0 for fact in facts.imports)


def imports_motor(facts: ModuleFacts) -> bool:
    return imports_package(facts, "motor")


def imports_pymongo_async(facts: ModuleFacts) -> bool:
    """Whether a module imports PyMongo's async API (`from pymongo import AsyncMongoClient`,
    `pymongo.asynchronous...`)."""
    return any(
        fact.level == 0
        and top_package(fact.target) == "pymongo"
        and ("async" in fact.target.lower() or any("async" in name.lower() for name in fact.names))
        for fact in facts.imports
    )


def untyped_mongo_driver(facts: ModuleFacts) -> Driver | None:
    """The async Mongo driver a module imports, for calls on objects of unknown type:
    PyMongo's async API when it imports it (a module migrating off Motor uses it), else
    Motor, else None."""
    if imports_pymongo_async(facts):
        return DRIVERS[1]
    if imports_motor(facts):
        return DRIVERS[0]
    return None


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


# The web framework's request object, as a handler or a dependency takes it.
REQUEST_CLASSES = frozenset({"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"})


# Django's model managers: the ORM's query and creation API for a model. Django documents
# `create_user` raising `ValueError` for missing fields, so their raises follow the ORM's contract.
ORM_MANAGER_BASES = frozenset(
    {
        "django.db.models.Manager", "django.db.models.manager.Manager",
        "django.contrib.auth.models.BaseUserManager", "django.contrib.auth.base_user.BaseUserManager",
        "django.contrib.auth.models.UserManager",
    }
)  # fmt: skip


# What an ORM's rows derive from (a class with a `__tablename__` is one too).
ORM_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.decl_api.DeclarativeBase",
        "beanie.Document", "odmantic.Model", "mongoengine.Document", "mongoengine.DynamicDocument",
        "tortoise.models.Model", "peewee.Model", "django.db.models.Model", "django.db.models.base.Model",
    }
)  # fmt: skip
# What builds the base an ORM's tables derive from, written as a call (its class form,
# `class Base(DeclarativeBase)`, is one of `ORM_BASES`).
ORM_BASE_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.declarative_base", "sqlalchemy.orm.decl_api.declarative_base",
        "sqlalchemy.ext.declarative.declarative_base", "sqlalchemy.orm.registry",
        "sqlalchemy.orm.decl_api.registry",
    }
)  # fmt: skip

# Pydantic's settings classes: what a configuration module's settings derive from.
SETTINGS_BASES = frozenset(
    {"pydantic_settings.BaseSettings", "pydantic.BaseSettings", "pydantic.v1.BaseSettings"}
)
HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)


# Packages whose objects are database drivers, sessions or clients.
DATABASE_PACKAGES = frozenset(
    {
        "motor", "pymongo", "sqlalchemy", "sqlmodel", "redis", "aioredis", "asyncpg", "beanie",
        "databases", "psycopg", "psycopg2", "aiosqlite", "sqlite3", "odmantic",
        "mongoengine", "aiomysql", "pymysql", "cassandra", "elasticsearch", "tinydb", "duckdb",
        "aiopg", "psycopg_pool", "pyodbc", "oracledb", "cx_Oracle", "mysql", "MySQLdb",
        "clickhouse_driver", "clickhouse_connect", "couchbase", "influxdb_client", "qdrant_client",
    }
)  # fmt: skip
# Callables that open a connection, a client or a session.
DATABASE_CONSTRUCTORS = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
     "sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.Session", "sqlalchemy.ext.asyncio.AsyncSession",
     "asyncpg.connect", "asyncpg.create_pool", "sqlite3.connect", "aiosqlite.connect",
     "psycopg.connect", "psycopg2.connect", "redis.Redis", "redis.asyncio.Redis",
     "redis.from_url", "redis.asyncio.from_url", "pymongo.MongoClient",
     "motor.motor_asyncio.AsyncIOMotorClient", "pymongo.AsyncMongoClient",
     "pymongo.asynchronous.mongo_client.AsyncMongoClient", "databases.Database", "sqlmodel.Session"}
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


# The packages of HTTP servers, of the web frameworks built on them and of the adapters
# that serve an app from a cloud function: a project importing one answers requests.
# aiohttp is a client too: only its server side (`aiohttp.web`) counts.
_HTTP_SERVER_PACKAGES = frozenset(
    {
        "a2wsgi",
        "blacksheep",
        "bottle",
        "chalice",
        "cherrypy",
        "connexion",
        "daphne",
        "django",
        "falcon",
        "fastapi",
        "flask",
        "functions_framework",
        "granian",
        "gunicorn",
        "hug",
        "hypercorn",
        "litestar",
        "mangum",
        "ninja",
        "pyramid",
        "quart",
        "rest_framework",
        "robyn",
        "sanic",
        "starlette",
        "tornado",
        "uvicorn",
    }
)


# The server side of packages that are not only servers: aiohttp's, AWS Lambda Powertools'
# API Gateway resolvers, Azure Functions' HTTP triggers.
_HTTP_SERVER_MODULES = ("aiohttp.web", "aws_lambda_powertools.event_handler", "azure.functions")


def serves_http(target: str, names: tuple[str, ...] = ()) -> bool:
    """Whether importing `target` (a dotted module name; `names` from it) is importing an
    HTTP server: `from aiohttp import web` is, `from aiohttp import ClientSession` is not."""
    if target == "aiohttp":
        return "web" in names
    return target.partition(".")[0] in _HTTP_SERVER_PACKAGES or target.startswith(_HTTP_SERVER_MODULES)


# Front ends that answer no HTTP request: desktop toolkits, terminal UIs, CLI frameworks,
# chat bots, and the frameworks of services a broker drives (FastStream, Propan: their
# handlers subscribe to queues, an error there is the broker's to redeliver). A project
# built on one, and on no HTTP server, has no HTTP status to map. Not the broker clients
# and task queues (`pika`, `kafka`, `celery`), which HTTP services import to publish as
# often as workers import them to consume.
_NON_HTTP_FRONT_ENDS = frozenset(
    {
        "PyQt5",
        "PyQt6",
        "PySide2",
        "PySide6",
        "aiogram",
        "click",
        "curses",
        "customtkinter",
        "dearpygui",
        "discord",
        "faststream",
        "kivy",
        "kivymd",
        "propan",
        "pygame",
        "telebot",
        "telegram",
        "textual",
        "tkinter",
        "toga",
        "ttkbootstrap",
        "typer",
        "urwid",
        "wx",
    }
)


def fronts_without_http(target: str) -> bool:
    """Whether importing `target` (a dotted module name) is importing a front end that
    answers no HTTP request: a desktop toolkit, a terminal UI, a CLI, a chat bot, or a
    broker's consumer."""
    return target.partition(".")[0] in _NON_HTTP_FRONT_ENDS
