"""Layers from evidence (SPEC §1 "Layer detection"): what a package is called, and what
it holds.

Each module shows content evidence of a kind or several (route handlers, driver imports,
ports...), each kind pointing at one layer; a module's content layer is the layer its
evidence points at most (ties: `_PRECEDENCE`). A package is judged by the modules of its
subtree that no deeper name places elsewhere (each subpackage is judged too, separately):
its content is *strong* when the modules agreeing on one layer are at least
`AGREEING_SHARE` of the modules showing any evidence and at least `SUBSTANTIVE_SHARE`
of the modules defining anything (where the web leads, the composition root's modules
beside it, `api/main.py`, side with it). How name and content combine is one decision table,
in `_decide` / `_may_move` and in docs/layer-detection.md:

- no name: strong content with at least `MIN_KINDS` kinds places the modules that show
  it, and so does strong content of use cases alone in at least two modules outside a
  shared or helpers' package (`_a_package_of_use_cases`), and of ORM models alone in at
  least two modules (`_a_package_of_orm_models`); otherwise a module may still be placed
  by its own evidence (ORM tables alone place it: `_holds_tables_alone`);
- any name: content that agrees with it, is not strong, or has fewer than `MIN_KINDS`
  kinds leaves the name's layer; so does content showing the domain, content and name
  both inner (domain/application), or a strong name and application content (`_may_move`);
- a weak name (`api`, `db`, `schemas`...): strong content of another layer with at least
  `MIN_KINDS` kinds re-places the package silently;
- a strong name (`domain`, `application`...): the same re-places it, and the top-most
  such package is reported once as HEX105.

Web and infrastructure evidence place nothing unless at least half the modules showing it
show its anchor: route handlers or routers; drivers or implemented ports (`_ANCHORS`). A
module of request/response models alone that route handlers of its own package's subtree
import anchors the web too, as does one in a `request(s)`/`response(s)`/`schema(s)` folder
that route handlers beside the folder import (`_models_of_routes`).

A module then takes, in order: the domain, when it holds only abstract contracts that a
class the domain's name places derives from, unnamed or in a shared package
(`core/repositories/base_repository.py`, `_contract_the_domain_builds_on`); else the
application, when an infrastructure name places it but it holds pure ports that a module
the core's names place imports by name, or such a port derives from
(`shared/infra/database/IUnitOfWork.py`, `_port_filed_with_the_adapters`); else the web,
when an infrastructure name places it, it (or its package below that name) is HTTP
framework code, request models or mappers of them that touch no database or service,
and only the web (with at most the composition root) imports it (DRF serializers in
`infrastructure/serializers/`, Pydantic requests in `infra/schemas/` and their
`infra/mappers/`, `_serves_the_web_from_infrastructure`); else the layer
of its top-most re-placed package (the composition for a module there named like a
composition root or building the app); else the composition, for a Django `apps.py`
of app configurations alone that no module imports (`_registers_a_django_app`); else
the web, for a Django `manage.py` subcommand that only the `commands` name would place in
the application (`management/commands/`,
`_runs_a_django_command`) or a CLI's commands written with click, typer or `flask.cli`
(`flask/commands.py`, `_declares_cli_commands`); else (a DI
container of a helper package that imports nothing placed by name is not placed by its
name, `_generic_container`) the composition, when it builds the app (FastAPI's, a Flask
app it registers blueprints on, or Django's WSGI/ASGI application, or runs Django's
`manage.py` commands: `_enters_django`) or the DI container (in a function too), or defines what
fills the container (`injector.Module`, dishka's `Provider`, `_wires_the_container`), and declares no route
(`_builds_the_app`; routes of a probe app built beside the routers it includes aside,
`_app_factory_with_its_probes`) under a weak name or none, or an outer layer's strong
name when it only assembles the web (`_assembles_the_web`), or a weak inner name or
the module's own file name when it fills a DI container with adapters (`logic/init.py`,
`main/dependencies/application.py`, `_fills_a_container_with_adapters`; never an inner
package's `__init__`, which every use case loads, nor below the inner layer's strong name) (a layer's name
that is only its own file name gives way to its package's: `entrypoints/application.py`,
`_name_of_an_app_module`); else the composition, for a module an outer name places below a
composition root's package that only builds and wires objects (`main/factories/infra/`,
`_wires_below_composition_root`) or in a package of factories or composers that builds a use
case on an adapter (`api/factory/`, `presentation/composers/`,
`_factory_wires_an_adapter_into_the_core`); else infrastructure for a `mappers/` module that
imports ORM models (`_maps_persistence`), application for a `dtos/` module beside its
feature's use cases (`_beside_use_cases`) or of framework-free records a module of ports
imports (`_exchanged_by_a_port`); a module of framework-free errors in an
`exceptions/` package is not placed by its own weak name (`exceptions/database.py`,
`_errors_named_for_their_subject`); else its name's layer, unless that name is weak and the
module's own evidence shows another layer by `MIN_KINDS` kinds (one if the name is the
module's own, `settings.py` full of ORM models) and nothing of the name's; else, unnamed,
the web when it defines HTTP middleware and no other class and shows no other layer
(`core/middlewares/rate_limit.py`, `_defines_a_middleware`), or it is one of functions
answering a request outside the routes, exception handlers, function middleware and
helpers answering for a route, that the core imports nothing else from
(`_answers_requests_outside_routes`); else, unnamed, in
a shared package (`core/`, `common/`, `utils/`) and showing at most what it imports, the
infrastructure when it calls a token, hash or mail library, the web when it is also a
FastAPI dependency (`_wraps_a_service`); else, unnamed, the layer its own evidence
shows when its nearest strong package agrees or its own evidence has `MIN_KINDS` kinds,
but never the domain in a shared or helpers' package (`shared/cache/lock.py`), nor for
a module defining a bus, a dispatcher, a mediator or a registry where the nearest
package's content is the application's by `MIN_KINDS` kinds (the application then:
`bus/core.py` beside the bus's ports); a nearest
package of use cases alone, in at least two modules, agrees with one kind
(`services/todo_service.py`, `listeners/`; not in a shared or helpers' package, and its
empty `__init__` goes with them: `_a_package_of_use_cases`); so does one of ORM models
alone, in at least two modules, for the infrastructure (`models/` of SQLAlchemy tables,
`_a_package_of_orm_models`); and, last, a module of ORM tables alone is the infrastructure's
wherever it is (a Django app's `models.py` beside its views; not SQLModel's tables, read
as Pydantic models too: `_holds_tables_alone`).
So a mixed package keeps its name's layer, and the modules of an unnamed mixed one
(`core/` with `config.py`, `db.py`, `tokens.py`, `security.py`) are placed one by one.
Configured patterns (`[tool.hexcheck.layers]`) come before all this.
A composition module that only declares configuration (`declares_configuration`) may be
read by every layer but the domain: the dependency rule asks it, not placement.

Dataclasses alone are no evidence: commands, settings, records and entities all look the
same; one handed a port in a field is a use case (`_takes_collaborators`). A container
written by hand under a composition root's name, building use cases on the adapters it
constructs (`main/ioc.py`'s `IoC`), shows the composition's evidence, not the database or
HTTP clients and the factory port it wires (`_a_hand_written_container`).
Domain evidence counts only in modules that import no third-party package. An
abstract class whose methods call a driver or an ORM is the adapters' base, no port; so
are abstract classes beside a driver's import that the core does not use
(`_used_by_the_core`), and one every concrete subclass of which is a controller of the
web (`_controller_of_the_web`: a class FastAPI builds for a route, which implements no
port).
On a tie between a module's layers, what it builds outweighs what it imports or declares
abstract (a use case importing a `Session` is a use case); a class named like a use case
that implements a port other than a use case's beside a client driver's import, and is
handed no port, is that client's adapter (`EmailService(IEmailService)` over `httpx`,
`_adapts_a_client`).

Evidence is read from the facts and from the layer-free questions of `roles` (routes,
ancestry, abstractness): roles that depend on layers cannot decide layers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import PurePath

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.config import STDLIB_BACKPORTS
from hexcheck.core.facts import (
    AssignmentFact,
    BodyKind,
    CallFact,
    ClassFact,
    Expr,
    ExprKind,
    FunctionFact,
    ModuleFacts,
)
from hexcheck.core.layers import (
    COMPOSITION_NAMES,
    COMPOSITION_ROOT_COMPONENTS,
    CONFIGURATION_NAMES,
    DTO_COMPONENTS,
    INFRASTRUCTURE_COMPONENTS,
    INNER_LAYER_NAMES,
    MAPPER_COMPONENTS,
    PORTS_FILED_BY_CONCERN,
    PRESENTER_NAMES,
    STRONG_COMPONENTS,
    USE_CASE_COMPONENTS,
    Layer,
    NameLayer,
    name_layer,
    spelled_plainly,
)
from hexcheck.semantics.fastapi import is_dependency_call, only_injects
from hexcheck.semantics.libraries import (
    DATABASE_CONSTRUCTORS,
    DATABASE_PACKAGES,
    DRIVER_CONSTRUCTORS,
    DRIVER_PACKAGES,
    HTTP_EXCEPTIONS,
    ORM_BASE_FACTORIES,
    ORM_BASES,
    REQUEST_CLASSES,
    SERVICE_PACKAGES,
    SETTINGS_BASES,
    top_package,
)
from hexcheck.semantics.roles import (
    PORT_SUFFIXES,
    USE_CASE_PACKAGES,
    ClassRef,
    Roles,
    is_abstract_method,
    is_frozen_dataclass,
    is_test_module,
    roles,
)
from hexcheck.semantics.routes import EXCEPTION_HANDLER_REGISTRARS, RouteHandler
from hexcheck.semantics.symbols import BUILTIN_NAMES, union_members
from hexcheck.semantics.walk import all_functions, every_call, functions_of

# The ratios that make a package's content strong (see the module docstring).
AGREEING_SHARE = Fraction(2, 3)
SUBSTANTIVE_SHARE = Fraction(1, 2)
# The independent kinds of evidence it takes to move a named package, or place an unnamed one.
MIN_KINDS = 2

# Ties between the layers a module's evidence points at: the outer, more specific, first.
_PRECEDENCE = (Layer.COMPOSITION, Layer.WEB, Layer.INFRASTRUCTURE, Layer.APPLICATION, Layer.DOMAIN)

_INNER = (Layer.DOMAIN, Layer.APPLICATION)
# The layers that may not depend on the web.
_BELOW_THE_WEB = (Layer.DOMAIN, Layer.APPLICATION, Layer.INFRASTRUCTURE)
# The layers a deeper name may give a module that only wires objects below a composition
# root (`main/factories/controllers/`, `main/factories/infra/`).
_WIRED_NAMES = (Layer.WEB, Layer.INFRASTRUCTURE)

# The kinds of evidence, by layer.
ROUTES = "route handlers"
ROUTERS = "routers"
REQUEST_MODELS = "request/response models"
HTTP_ERRORS = "HTTP exceptions"
DRIVERS = "database or client drivers"
ORM_MODELS = "ORM models or sessions"
IMPLEMENTED_PORTS = "ports implemented"
APP_FACTORY = "app factory"
PROVIDERS = "DI providers"
SETTINGS = "settings"
PORTS = "ports"
PORTS_IMPLEMENTED_ELSEWHERE = "ports implemented elsewhere"
USE_CASES = "use cases"
USE_CASE_CONTRACTS = "use-case contracts implemented"
ENTITIES = "entities with behaviour"
DOMAIN_ERRORS = "domain exceptions"

# Kinds without which a layer's evidence places nothing, in at least half the modules
# that show it: Pydantic models and `HTTPException`s are also found in security helpers
# and clients, routes are the web's; ORM models are also a domain written with an ORM,
# drivers and implemented ports are infrastructure's.
_ANCHORS = {
    Layer.WEB: frozenset({ROUTES, ROUTERS}),
    Layer.INFRASTRUCTURE: frozenset({DRIVERS, IMPLEMENTED_PORTS}),
}

# Kinds a module shows by what it defines, not by what it imports.
_DEFINED_KINDS = frozenset(
    {ROUTES, ROUTERS, ORM_MODELS, IMPLEMENTED_PORTS, PORTS, USE_CASES, USE_CASE_CONTRACTS, SETTINGS}
)

# Kinds a module shows by what it imports, not by what it builds: on a tie between two
# layers, the other kinds decide (see `_module_evidence`).
_IMPORTED_KINDS = frozenset({DRIVERS, HTTP_ERRORS})
# What registers a hook answering requests outside the routes: exception handlers and
# middleware.
_REQUEST_HOOK_REGISTRARS = EXCEPTION_HANDLER_REGISTRARS | {"middleware", "add_middleware"}
# What a module fulfilling the core's ports or reaching outside shows (`Placement.is_an_adapter`).
_ADAPTER_KINDS = frozenset({IMPLEMENTED_PORTS, ORM_MODELS, DRIVERS})

_FLASK_APPS = frozenset({"flask.Flask", "flask.app.Flask"})
# What Django's entry points call: `wsgi.py` and `asgi.py` build the application a server
# runs, `manage.py` runs the project's commands. Each is Django's own composition root.
_DJANGO_ENTRY_CALLS = frozenset(
    {
        "django.core.wsgi.get_wsgi_application",
        "django.core.asgi.get_asgi_application",
        "django.core.management.execute_from_command_line",
    }
)
_FLASK_ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete"})
# What Flask routes hang on (an app's inline routes are the app factory's question) and
# the class-based views it dispatches to.
_FLASK_ROUTERS = frozenset(
    {"flask.Blueprint", "flask.blueprints.Blueprint", "flask_smorest.Blueprint", "flask_restx.Namespace"}
)
_FLASK_VIEWS = frozenset(
    {"flask.views.MethodView", "flask.views.View", "flask_restful.Resource", "flask_restx.Resource"}
)
# Django's and Django REST framework's class-based views (and DRF's `APIView`, which
# `_is_django_view` names), its function views' decorator and its routers (the URLconf's
# `urlpatterns` is the other router).
_DJANGO_VIEW_PREFIXES = ("rest_framework.viewsets.", "rest_framework.generics.", "django.views.")
_DJANGO_URLS = ("django.urls", "django.conf.urls")
_DJANGO_PACKAGES = frozenset({"django", "rest_framework"})
# The packages whose calls build a driver's client (`smtplib` for `smtplib.SMTP(host)`).
_CONSTRUCTOR_PACKAGES = frozenset(name.partition(".")[0] for name in DRIVER_CONSTRUCTORS)
_DRF_ROUTE_DECORATORS = frozenset({"rest_framework.decorators.api_view"})
# A DRF serializer is the request/response model of Django REST framework's views (its
# fields and its `ValidationError` are no serializers).
_DRF_SERIALIZERS = frozenset(
    {
        "rest_framework.serializers.BaseSerializer", "rest_framework.serializers.Serializer",
        "rest_framework.serializers.ModelSerializer", "rest_framework.serializers.ListSerializer",
        "rest_framework.serializers.HyperlinkedModelSerializer",
    }
)  # fmt: skip
_DRF_ROUTERS = frozenset({"rest_framework.routers.DefaultRouter", "rest_framework.routers.SimpleRouter"})
_ORM_PACKAGES = frozenset(
    {"sqlalchemy", "sqlmodel", "beanie", "odmantic", "mongoengine", "tortoise", "peewee"}
)
_PERSISTENCE_PACKAGES = DRIVER_PACKAGES | DATABASE_PACKAGES | _ORM_PACKAGES
_TYPE_VARIABLES = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})
_CACHE_CLEARERS = frozenset({"clear", "cache_clear"})
# The names under which a module gluing a framework's request to the controllers is filed
# (`main/adapter/flask_adapter.py`): see `_adapts_for_the_web`.
_ADAPTER_NAMES = frozenset({"adapter", "adapters"})
# The modules and packages a project keeps its bus's messages in.
_MESSAGE_MODULES = frozenset({"commands", "queries", "events", "messages"})
# The names of a folder of the routes' request or response models, kept beside them.
_ROUTE_MODEL_PACKAGES = frozenset({"request", "requests", "response", "responses", "schema", "schemas"})
# The methods that fill a collection a factory builds (`validations.append(...)`).
_FILLING = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})
# Composition roots' names that are also words of some businesses (a shipping line's
# `container/`): they name no composition root above an inner layer's name.
_BUSINESS_WORDS = frozenset({"container", "containers"})
# What a module that only declares configuration shows, and the libraries it declares it
# with (`Field(...)`, `SettingsConfigDict(...)`, `load_dotenv()`).
_CONFIGURATION_KINDS = frozenset({SETTINGS, PROVIDERS, REQUEST_MODELS})
_CONFIGURATION_PACKAGES = frozenset({"pydantic", "pydantic_settings", "dotenv", "decouple", "environs"})
_ENVIRONMENT_READS = frozenset({"os.getenv", "os.environ", "os.environ.get", "os.getenvb"})
# The standard library's modules that reach the network, other processes or code chosen at
# run time: a configuration module calling them fetches or wires, it does not declare.
_CONNECTING_STDLIB = frozenset(
    {
        "urllib", "http", "socket", "ssl", "ftplib", "smtplib", "imaplib", "poplib", "telnetlib",
        "xmlrpc", "subprocess", "importlib", "multiprocessing", "asyncio", "sqlite3",
    }
)  # fmt: skip
# What a configuration module's accessors return: values read from the environment.
_PLAIN_VALUES = frozenset(
    {
        "str", "int", "float", "bool", "bytes", "tuple", "list", "dict", "set", "frozenset",
        "pathlib.Path", "decimal.Decimal", "datetime.timedelta", "typing.Optional",
        "typing.Tuple", "typing.List", "typing.Dict", "typing.Set", "typing.FrozenSet",
    }
)  # fmt: skip
_CONFIGURATION_NAMES = CONFIGURATION_NAMES | {"constants"}
# The names of packages of error classes (whose modules are named for what the errors
# concern) and of modules of them (`app/errors.py`).
_ERROR_NAMES = frozenset({"exceptions", "exception", "errors", "error"})
_CONTAINER_BASES = frozenset(
    {"dependency_injector.containers.DeclarativeContainer", "dependency_injector.containers.Container"}
)
# What fills a container: an `injector.Module` of bindings and `@provider` methods, a
# dishka `Provider` of `@provide` methods.
_DI_MODULE_BASES = frozenset(
    {"injector.Module", "injector.PrivateModule", "dishka.Provider", "dishka.provider.Provider"}
)
_INJECTORS = frozenset(
    {
        "injector.Injector", "dependency_injector.containers.DynamicContainer", "punq.Container",
        "lagom.Container", "rodi.Container", "dishka.make_container", "dishka.make_async_container",
        "wireup.create_sync_container", "wireup.create_async_container",
    }
)  # fmt: skip
_CACHE_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})
# Frameworks a command-line interface is written with: the driving side of the app.
_CLI_FRAMEWORKS = frozenset({"click", "typer", "flask.cli"})
_USE_CASE_METHODS = frozenset({"execute", "__call__", "handle"})
_USE_CASE_SUFFIXES = ("UseCase", "Interactor", "Service", "Handler")
# Names in an annotation that say how a type is held, not what it is (`Optional[Port]`).
_TYPING_PREFIXES = ("typing.", "typing_extensions.", "collections.abc.")
# The abstract contracts a use case itself may implement (`ICreateOrderUseCase`,
# `CommandHandler`), as opposed to the ports it is handed.
_USE_CASE_CONTRACT = re.compile(r"(UseCase|Usecase|Interactor|Handler)$")
# Names of the ports a use case drives (what it is handed), not of use cases.
_DRIVEN_PORT_NAME = re.compile(
    "({})(Interface|Protocol|Contract)?$".format(
        "|".join(
            (
                *PORT_SUFFIXES, "Repo", "Client", "Adapter", "Provider", "Sender", "Store", "Storage", "Dao",
                "DAO", "UnitOfWork", "Publisher", "Notifier", "Hasher", "Encrypter", "Decrypter", "Cache",
                "Queue", "Bus", "Logger",
            )
        )
    )
)  # fmt: skip
# Abstract bases of the model itself, not ports: `class Order(AggregateRoot)` is no adapter.
_MODEL_BASE = re.compile(r"(Entity|Aggregate|AggregateRoot|ValueObject|Event|Command|Query|Model|Message)$")
# Packages of generic helpers: whatever classes they hold, content does not make them domain.
_HELPER_COMPONENTS = frozenset({"utils", "util", "helpers", "tools", "lib", "libs", "common_utils"})
# Packages of factories: a module there that builds a use case on an adapter wires them.
# Python clean-architecture courses call them composers (`main/composers/`,
# `presentation/composers/`: `compose()` builds the controller on its use case and adapters).
_FACTORY_COMPONENTS = frozenset({"factory", "factories", "composer", "composers"})
_FACTORY_EVIDENCE = (Layer.COMPOSITION, Layer.DOMAIN)
# The classes that hand messages to their handlers: `QCBus`, `EventDispatcher`, `Mediator`,
# `HandlerRegistry`, and what they do with them. A seat-booking `Bus` or a `GiftRegistry`
# of the business is named so too, but books seats and lists gifts.
_DISPATCHER_NAME = re.compile(r"(?:Bus|Dispatcher|Mediator|Registry)$")
_DISPATCHING = frozenset(
    {"dispatch", "publish", "subscribe", "send", "emit", "add_handler", "register_handler"}
)


def _dispatches(cls: ClassFact) -> bool:
    """Whether a class is named as a bus, dispatcher, mediator or registry of handlers and
    hands messages over (`send`, `publish`, `dispatch`, `subscribe`...)."""
    return _DISPATCHER_NAME.search(cls.name) is not None and any(
        method.name in _DISPATCHING for method in cls.methods
    )


# Packages of code shared across the layers, where a service's wrapper is kept beside
# helpers that belong to no layer (`core/security.py`, `common/security/jwt.py`).
_SHARED_COMPONENTS = frozenset({"core", "common", "shared", "utils", "util", "helpers", "lib", "libs"})
# The shared packages whose classes are never domain by content alone. Not `core`: it as
# often names the hexagon's core itself, where an unnamed `core/book.py` is an entity.
_SHARED_LIBRARIES = _SHARED_COMPONENTS - {"core"}
# The web frameworks whose import makes a service-wrapping helper a request dependency.
_WEB_FRAMEWORKS = frozenset({"fastapi", "starlette"})
_APPS = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "starlette.applications.Starlette",
        "litestar.Litestar",
        "falcon.App",
        "falcon.API",
        "falcon.asgi.App",
        "aiohttp.web.Application",
        "aiohttp.web_app.Application",
    }
)
# aiohttp's request types: a function or method that takes one answers a request.
_AIOHTTP_REQUESTS = frozenset(
    {
        "aiohttp.web.Request",
        "aiohttp.web.BaseRequest",
        "aiohttp.web_request.Request",
        "aiohttp.web_request.BaseRequest",
    }
)
_AIOHTTP_ROUTERS = frozenset({"aiohttp.web.RouteTableDef", "aiohttp.web_routedef.RouteTableDef"})
_AIOHTTP_VIEWS = frozenset({"aiohttp.web.View", "aiohttp.web_urldispatcher.View"})
# A chat bot is a driving side as the web is: aiogram's routers, and the handlers that take
# the update Telegram hands them. (python-telegram-bot's and pyTelegramBotAPI's handlers are
# registered elsewhere, so their modules would show one kind of evidence, which places
# nothing: they are not read.)
_CHAT_BOT_ROUTERS = frozenset({"aiogram.Router", "aiogram.dispatcher.router.Router"})
_CHAT_BOT_UPDATES = frozenset(
    {
        "aiogram.types.Message", "aiogram.types.message.Message",
        "aiogram.types.CallbackQuery", "aiogram.types.callback_query.CallbackQuery",
        "aiogram.types.InlineQuery", "aiogram.types.inline_query.InlineQuery",
    }
)  # fmt: skip
# Falcon's responders: `on_get(self, req, resp)`, `on_post_new(self, req, resp)` (a suffixed
# responder) on a resource class.
_FALCON_RESPONDER = re.compile(r"on_(get|post|put|patch|delete|head|options)(_\w+)?")
# Flask's request-scoped names: a helper importing them reads the request (`current_app`
# alone only reads the app's configuration).
_FLASK_REQUEST = frozenset({"flask.request", "flask.g", "flask.session", "flask.abort"})
# The HTTP server frameworks whose import is the driving side's code (a response, a
# serializer, a request wrapper), and what no such code imports: drivers, ORMs (Django's
# among them), the services' libraries.
_HTTP_CLIENT_PACKAGES = frozenset({"httpx", "requests", "aiohttp", "urllib3"})
_HTTP_SERVER_FRAMEWORKS = frozenset(
    {"fastapi", "starlette", "rest_framework", "django.http", "flask", "ninja", "litestar", "sanic", "falcon"}
)
_NOT_SERVING_HTTP = frozenset({"django.db", "django.contrib.auth"})
# The names of the HTTP request and response a team writes for its controllers to be
# framework-free (Clean Architecture courses' `presenters/helpers/http_models.py`): an
# abstract class taking or giving them is the controllers' contract, as one over Flask's
# or FastAPI's is (`Placement._own_http_message`).
_OWN_HTTP_MESSAGE = re.compile(r"(?:Http|HTTP)(?:Request|Response)")
_NO_HTTP_SERVER = _PERSISTENCE_PACKAGES | SERVICE_PACKAGES
_TOKEN_PACKAGES = frozenset({"jwt", "jose", "authlib"})
# What a module that builds the app calls to put together the web kept elsewhere, and to
# serve routes of its own (`_assembles_the_web`).
_ASSEMBLING_CALLS = frozenset({"include_router", "register_blueprint", "mount"})
# The keywords that hand an app's constructor the routes kept elsewhere: Litestar's
# `Litestar(route_handlers=[...])`, Starlette's `Starlette(routes=[...])`.
_ROUTES_HANDED_OVER = frozenset({"route_handlers", "routes"})
_ROUTE_ADDING_CALLS = frozenset(
    {"add_route", "add_url_rule", "add_api_route", "add_api_websocket_route", "add_websocket_route",
     "Route", "WebSocketRoute"}
)  # fmt: skip
# Third-party packages a domain module may import and still be framework-free.
_DOMAIN_FRIENDLY = frozenset({"typing_extensions", "__future__"}) | STDLIB_BACKPORTS
# The packages the outer ring's tools import, which reach nothing outside: the web
# framework's own (its errors, middlewares, request models), token and password helpers,
# logging and telemetry, configuration readers (`Placement._ring_tools_only`).
_RING_TOOL_PACKAGES = (
    frozenset(
        {
            "fastapi", "starlette", "flask", "werkzeug", "pydantic_core", "email_validator",
            "jwt", "jose", "passlib", "bcrypt", "argon2", "itsdangerous", "cryptography",
            "structlog", "loguru", "opentelemetry", "prometheus_client", "yaml", "orjson", "ujson",
            "dateutil", "pytz", "envyaml", "dynaconf", "toml", "tomli",
        }
    )
    | _CONFIGURATION_PACKAGES
    | _DOMAIN_FRIENDLY
)  # fmt: skip


def _filed_with_the_adapters(name: NameLayer) -> bool:
    """Whether a name files a module with the adapters: an infrastructure name, or the
    presenters' below `adapters/` (the web's, where the core's ports may be kept too)."""
    return name.layer is Layer.INFRASTRUCTURE or (
        name.layer is Layer.WEB and spelled_plainly(name.component) in PRESENTER_NAMES
    )


@dataclass(frozen=True, slots=True)
class Content:
    """What a module or a package holds: the layer most of it shows, the kinds of evidence
    for it, and how many modules agree out of those showing any evidence."""

    layer: Layer
    kinds: frozenset[str]
    agreeing: int = 1
    evidenced: int = 1
    anchored: int = 1  # agreeing modules that show their layer's anchor (`_ANCHORS`)
    allied: int = 0  # modules of the composition root beside the web's (`_strong`)

    def describe(self) -> str:
        return ", ".join(sorted(self.kinds))


@dataclass(frozen=True, slots=True)
class PackageVerdict:
    """One package: its name's layer, its content, and the layer it is checked as."""

    package: str
    name: NameLayer
    content: Content | None
    layer: Layer | None

    @property
    def moved(self) -> bool:
        """Whether content took the package out of the layer its name gives it."""
        return self.name.layer is not None and self.layer is not self.name.layer

    @property
    def places_its_modules(self) -> bool:
        """Whether its content is convincing enough to place, one by one, the modules of an
        unnamed package that show it (`_place`)."""
        return self.content is not None and _convincing(self.content, MIN_KINDS)

    @property
    def contradiction(self) -> bool:
        """A strong name that content contradicts: what HEX105 reports. Ports filed under
        the name of their concern (`persistence/`) contradict nothing (`_may_move`)."""
        return (
            self.moved
            and self.name.strong
            and not _ports_filed_by_concern(self.package, self.name, self.layer)
        )


class Placement:
    """Every module's layer from configured patterns, names and content."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.config = model.config
        self._roles = roles(model)
        # Every kind of evidence each module shows, asked for by several placement cases.
        self._kinds_shown: dict[str, Mapping[Layer, frozenset[str]]] = {}
        # Whether a unit of modules under an infrastructure name is the web's, and each
        # package's subtree: asked again for every module of a unit.
        self._web_units: dict[frozenset[str], bool] = {}
        self._subtrees: dict[str, frozenset[str]] = {}
        # Whether a module builds the app, and whether calling a name gives the app: asked
        # for the same module and the same factory from many places.
        self._app_builders: dict[str, bool] = {}
        self._app_makers: dict[str, bool] = {}
        # Whether an abstract class is a port: asked for every annotation naming it.
        self._ports: dict[str, bool] = {}
        # Whether a package below an infrastructure name is an HTTP client's: asked for each
        # of its modules (`_client_side_of_http`).
        self._http_clients: dict[str, bool] = {}
        # Whether a module may be an adapter: asked for each web import of it (`is_an_adapter`).
        self._adapters: dict[str, bool] = {}
        self._evidence = {name: self._module_evidence(facts) for name, facts in model.modules.items()}
        self.packages: Mapping[str, PackageVerdict] = self._judge_packages()
        self._layers = {module: self._place(module) for module in model.modules}
        self._layers.update(self._empty_inits_with_their_modules())
        self._configuration: dict[str, bool] = {}
        # The packages a module imports that are neither the standard library's nor the
        # configuration's values: what a call on them reaches is outside.
        self._outside: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ answers

    def layer_of(self, module: str) -> Layer | None:
        configured = self.config.layers.configured(module)
        if configured is not None:
            return configured
        if not self.config.layers.use_defaults:
            return None
        # A first-party module missing from the tree is placed by its name and packages.
        return self.detected(module)

    def detected(self, module: str) -> Layer | None:
        """The layer names and content give `module`, configured patterns aside."""
        try:
            return self._layers[module]
        except KeyError:
            return self._place(module)

    def evidence(self, module: str) -> Content | None:
        return self._evidence.get(module)

    @cached_property
    def misplaced(self) -> tuple[PackageVerdict, ...]:
        """The top-most packages whose strong name content contradicts, sorted: HEX105."""
        if not self.config.layers.use_defaults:
            return ()
        return tuple(
            verdict
            for package, verdict in sorted(self.packages.items())
            if verdict.contradiction
            and self._moved_ancestor(package.rpartition(".")[0]) is None
            # Placed by hand: the configuration says what the package is.
            and self.config.layers.configured(package) is None
            and not self._named_so_by_convention(verdict)
        )

    def _named_so_by_convention(self, verdict: PackageVerdict) -> bool:
        """Whether another package of the same name keeps it while holding modules of the
        layer this one is moved to (`_shows_kinds_of`): the project files that layer under
        that name (each Django app's `infrastructure/` holding its views beside its
        repositories, and one app's holding views alone). Its modules are still checked as
        what they are; the name is the team's convention, not a misnomer to report."""
        name = spelled_plainly(verdict.package.rpartition(".")[2])
        if name != spelled_plainly(verdict.name.component):
            return False
        return any(
            other is not verdict
            and not other.moved
            and other.name.layer is verdict.name.layer
            and spelled_plainly(package.rpartition(".")[2]) == name
            and any(self._shows_kinds_of(module, verdict) for module in self._subtree(package))
            for package, other in self.packages.items()
        )

    def _shows_kinds_of(self, module: str, verdict: PackageVerdict) -> bool:
        """Whether a module is placed in the layer a package is moved to, or shows that
        layer's evidence of the kinds the package shows (views kept with the repositories
        that they build, and placed with them)."""
        if self.layer_of(module) is verdict.layer:
            return True
        assert verdict.layer is not None and verdict.content is not None
        shown = self._all_evidence(self.model.modules[module]).get(verdict.layer, frozenset())
        return bool(shown & verdict.content.kinds)

    def wires_nothing(self, module: str) -> bool:
        """Whether a module shows no driver or ORM and imports no first-party module placed
        in the infrastructure or the web: it builds no adapter."""
        facts = self.model.modules.get(module)
        if facts is None or self._all_evidence(facts).get(Layer.INFRASTRUCTURE):
            return False
        return not any(
            self.layer_of(target) in _WIRED_NAMES
            for target in self._imported_modules(facts)
            if target != module
        )

    def is_an_adapter(self, module: str) -> bool:
        """Whether `module` may fulfil the core's ports or reach what is outside, itself or
        through the first-party modules it imports: anything but a tool of the outer ring
        (`_ring_tools_only`)."""
        known = self._adapters.get(module)
        if known is None:
            known = self._adapters[module] = not self._ring_tools_only(module)
        return known

    def _ring_tools_only(self, module: str) -> bool:
        """Whether `module` and every first-party module it imports, directly or through
        others (`ProjectModel.reached_from`), is a tool of the outer ring (a logger, a
        token helper, request models, errors): none implements a port, keeps ORM models or
        sessions or opens a driver, and none imports a package but the standard library's
        and the tools' (`_RING_TOOL_PACKAGES`). A package index is judged by what it
        gathers; a first-party module missing from the tree may be anything."""
        if module not in self.model.modules:
            return False
        reached = self.model.reached_from([module])
        if any(edge.importer in reached for edge in self.model.missing_edges()):
            return False
        return not any(
            self._all_evidence(facts).get(Layer.INFRASTRUCTURE, frozenset()) & _ADAPTER_KINDS
            or _client_packages(facts) - self._first_party - self._stdlib - _RING_TOOL_PACKAGES
            for facts in (self.model.modules.get(name) for name in reached)
            if facts is not None
        )

    def only_injects(self, module: str, functions: Sequence[str]) -> bool:
        """Whether `module` hands each of `functions` to FastAPI's `Depends`/`Security`
        and never calls it itself (`fastapi.only_injects`)."""
        facts = self.model.modules.get(module)
        return facts is not None and only_injects(facts, functions)

    def declares_configuration(self, module: str) -> bool:
        """Whether a composition module only declares configuration, which every layer but
        the domain may read (docs/layer-detection.md, "Configuration").

        It defines settings (`BaseSettings` subclasses, the models and enums they hold),
        providers that only return settings (`@lru_cache def get_settings() -> Settings`),
        a settings instance, environment reads and constants, and imports no first-party
        module but the inner layers' and other such configuration. A module that builds
        an engine, a client or the container wires adapters: the composition root's.
        Placed by hand (`[tool.hexcheck.layers]`), a module is what the configuration says.
        """
        known = self._configuration.get(module)
        if known is None:
            self._configuration[module] = False  # an import cycle back here wires nothing new
            known = self._configuration[module] = self._only_configuration(module)
        return known

    def _only_configuration(self, module: str) -> bool:
        facts = self.model.modules.get(module)
        if (
            facts is None
            or self.detected(module) is not Layer.COMPOSITION
            or self.config.layers.configured(module) is not None
        ):
            return False
        r = self._roles
        # A plain class is settings when its methods read no more than an accessor may (no
        # client fetching a secret behind `settings.api_token()`) and either the module builds
        # it from the environment and it holds data, or its own attributes read the
        # environment (Flask's `class Config: SECRET_KEY = os.environ.get("SECRET_KEY")`, and
        # a class of the module deriving from one).
        built = _built_from_the_environment(facts)
        reading = _reading_the_environment(facts)
        plain = {
            cls.qualname
            for cls in facts.classes
            if (cls.qualname in reading or (cls.qualname in built and r.is_data_holder(ClassRef(facts, cls))))
            and all(self._calls_only_configuration(facts, method.calls, set()) for method in cls.methods)
        }
        settings = {
            cls.qualname for cls in facts.classes if set(r.ancestors(ClassRef(facts, cls))) & SETTINGS_BASES
        } | plain
        # A plain settings dataclass that checks its values in `__post_init__` reads as an
        # entity: it is none when the module's provider builds it from the environment.
        only_settings = all(cls.qualname in settings for cls in facts.classes if "." not in cls.qualname)
        if any(
            kinds - _CONFIGURATION_KINDS and not (layer is Layer.DOMAIN and only_settings)
            for layer, kinds in self._all_evidence(facts).items()
        ):
            return False
        if any(
            cls.qualname not in settings and not r.is_data_holder(ClassRef(facts, cls))
            for cls in facts.classes
            if "." not in cls.qualname  # pydantic v1's nested `class Config:`
        ):
            return False
        settings_classes = {f"{module}.{name}" for name in settings} | {
            name for name in _imported_names(facts, relative=True) if self._is_settings_class(name)
        }
        # A generic provider's `T = TypeVar("T", bound=BaseSettings)` stands for settings.
        settings_classes |= {
            f"{module}.{assignment.name}"
            for assignment in facts.assignments
            if assignment.value.kind is ExprKind.CALL
            and assignment.value.name in _TYPE_VARIABLES
            and any(
                keyword == "bound" and bool(_bound_names(module, value) & (settings_classes | SETTINGS_BASES))
                for keyword, value in assignment.value.keywords
            )
        }
        # What else the module defines holds data (the check above): an `Env` enum that
        # `get_env()` reads from the environment to choose the settings is configuration too.
        configuration_classes = settings_classes | {
            f"{module}.{cls.qualname}" for cls in facts.classes if cls.qualname not in settings
        }
        providers = set()
        accessors = []
        for function in facts.functions:
            # `def clear_settings_cache() -> None` resets what the providers keep.
            returns = function.returns
            if returns is not None and returns.kind is ExprKind.LITERAL and returns.name == "None":
                if not self._clears_a_cache(facts, function):
                    return False
                continue
            gives = set(returns.names()) if returns is not None else set(function.returned)
            if gives and gives <= configuration_classes:
                providers.add(f"{module}.{function.name}")
            else:
                accessors.append((function, gives))
        # `def auth_token() -> str | None` reading the environment or the settings: an
        # accessor of configuration values, not a provider of settings.
        own = {f"{module}.{function.name}" for function in facts.functions}
        if not all(
            self._reads_configuration(facts, function, gives, configuration_classes | own)
            for function, gives in accessors
        ) or not self._calls_only_configuration(facts, facts.calls, configuration_classes | own):
            return False
        # Something of configuration, not an empty `main.py`: settings, an environment read,
        # constants in a module named for them, or accessors calling another configuration
        # module.
        declared = (
            settings
            or any(call.callee in settings_classes | _ENVIRONMENT_READS for call in facts.calls)
            or any(assignment.value.name in _ENVIRONMENT_READS for assignment in facts.assignments)
            or (facts.assignments and spelled_plainly(module.rpartition(".")[2]) in _CONFIGURATION_NAMES)
            or any(
                self._provides_configuration(facts, call.callee, set())
                for function, _ in accessors
                for call in function.calls
            )
        )
        return bool(declared) and self._imports_only_declarations(facts, frozenset())

    def _imports_only_declarations(self, facts: ModuleFacts, path: frozenset[str]) -> bool:
        """Whether a module imports only what configuration may and still only declare:
        the inner layers, other configuration, and unplaced modules (`core/constants.py`,
        a `core/enums/` package) that wire nothing (`wires_nothing`) and import no more.
        `path`: the unplaced modules on the way here (an import cycle back is refused)."""
        return all(
            self.layer_of(target) in _INNER
            or self.declares_configuration(target)
            or (
                target not in path
                and self.layer_of(target) is None
                and self.wires_nothing(target)
                and self._imports_only_declarations(self.model.modules[target], path | {facts.module})
            )
            for target in self._imported_modules(facts)
            if target != facts.module
        )

    def _reads_configuration(
        self, facts: ModuleFacts, function: FunctionFact, gives: set[str], known: set[str]
    ) -> bool:
        """Whether a module-level function of a configuration module only reads values:
        it returns plain values (`str`, `bool`, a tuple of floats, a `Path`), the settings,
        or what a provider of settings returns (`return get_settings()`), and calls nothing
        but `known` (the module's own functions and configuration classes), the providers
        of other configuration modules, the standard library, the configuration libraries,
        built-ins and methods of the values it holds (`raw.strip()`). A function calling a
        client library (`boto3.client(...)`) reads no configuration: it connects.
        `gives`: the names its return annotation holds, or what its returns call."""
        if not gives:
            return False
        return all(
            name in _PLAIN_VALUES or self._provides_configuration(facts, name, known) for name in gives
        ) and self._calls_only_configuration(facts, function.calls, known)

    def _provides_configuration(self, facts: ModuleFacts, name: str, known: set[str]) -> bool:
        """Whether a called or returned name is the module's own (`known`) or a provider of
        another configuration module (`from app.settings import get_settings`)."""
        owner = name.rpartition(".")[0]
        return name in known or (
            owner != facts.module and owner in self.model.modules and self.declares_configuration(owner)
        )

    def _calls_only_configuration(
        self, facts: ModuleFacts, calls: Iterable[CallFact], known: set[str]
    ) -> bool:
        """Whether `calls` reach only configuration (`_provides_configuration`), the
        standard library, the configuration libraries, built-ins and methods of the values
        the code holds (`raw.strip()`, `Path(__file__).resolve()`): nothing that connects."""
        outside = self._outside.get(facts.module)
        if outside is None:
            imported = {top_package(name) for name in _imported_names(facts)}
            outside = self._outside[facts.module] = self._first_party | (imported - self._stdlib)
        return all(
            top_package(call.callee) not in _CONNECTING_STDLIB
            and (
                self._provides_configuration(facts, call.callee, known)
                or top_package(call.callee) in self._stdlib | _CONFIGURATION_PACKAGES
                # `int(os.getenv("PAGE_SIZE", "20"))`: converting what it reads is reading.
                or call.callee in BUILTIN_NAMES
                or ("." in call.callee and top_package(call.callee) not in outside)
                or _method_of_held_value(facts, call.callee)
            )
            for call in calls
        )

    def _clears_a_cache(self, facts: ModuleFacts, function: FunctionFact) -> bool:
        """Whether a module-level function only empties what the providers keep: no
        parameter or decorator, no import inside a function of the module, and nothing
        called but `.clear()`/`.cache_clear()` and the standard library (a lock)."""
        if function.params or function.decorators or any(fact.function_level for fact in facts.imports):
            return False
        return all(
            call.callee.rpartition(".")[2] in _CACHE_CLEARERS
            or top_package(call.callee) in self._stdlib
            or call.callee in BUILTIN_NAMES
            for call in function.calls
        )

    def _is_settings_class(self, name: str) -> bool:
        found = self.model.find_class(name)
        return found is not None and bool(
            set(self._roles.ancestors(ClassRef(found[0], found[1]))) & SETTINGS_BASES
        )

    def module_layers(self, package: str) -> Counter[Layer | None]:
        """How many of the modules a package speaks for are checked as each layer: its own
        modules (its `__init__` when it defines something), tests and modules their own
        or a deeper name places (`api/dependencies.py`, `api/v1/`) aside. What `hexcheck init` shows,
        so that a package's line never claims a layer its modules do not get."""
        name = name_layer(package, as_package=True).layer
        return Counter(
            self.detected(module)
            for module in self._own_modules.get(package, ())
            if self._name_layer(module).layer is name
            # Named like a composition root, it is placed by that name (`web/dependencies.py`).
            and spelled_plainly(module.rpartition(".")[2]) not in COMPOSITION_NAMES
        )

    @cached_property
    def _own_modules(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for module, facts in self.model.modules.items():
            if is_test_module(module):
                continue
            if facts.is_package and not (facts.classes or facts.functions or facts.assignments):
                continue  # an empty `__init__` is no code of any layer
            package = module if facts.is_package else module.rpartition(".")[0]
            found.setdefault(package, []).append(module)
        return {package: tuple(modules) for package, modules in found.items()}

    def moved_package(self, module: str) -> PackageVerdict | None:
        """The top-most package of `module` that content re-placed, if any."""
        return self._moved_ancestor(module)

    # ------------------------------------------------------------------ packages

    def _judge_packages(self) -> dict[str, PackageVerdict]:
        evidenced: dict[str, Counter[Layer]] = {}
        kinds: dict[tuple[str, Layer], set[str]] = {}
        anchored: Counter[tuple[str, Layer]] = Counter()
        substantive: Counter[str] = Counter()
        names: dict[str, NameLayer] = {}
        for module, facts in self.model.modules.items():
            if is_test_module(module):
                continue
            content = self._evidence[module]
            defines = bool(facts.classes or facts.functions)
            own = self._name_layer(module).layer
            for package in _packages_of(module, facts.is_package):
                name = names.get(package)
                if name is None:
                    name = names[package] = name_layer(package, as_package=True)
                counts = evidenced.setdefault(package, Counter())
                # A module a deeper name places elsewhere (`infrastructure/web.py`) speaks
                # for that name, not for its package.
                if own is not name.layer:
                    continue
                substantive[package] += defines
                if content is not None:
                    counts[content.layer] += 1
                    kinds.setdefault((package, content.layer), set()).update(content.kinds)
                    anchored[(package, content.layer)] += content.anchored
        verdicts: dict[str, PackageVerdict] = {}
        for package in sorted(evidenced):
            name = names[package]
            content = _strong(evidenced[package], substantive[package], kinds, anchored, package, name.layer)
            verdicts[package] = PackageVerdict(package, name, content, _decide(package, name, content))
        return verdicts

    def _moved_ancestor(self, module: str) -> PackageVerdict | None:
        """The top-most re-placed package among `module` and the packages above it."""
        if not module:
            return None
        parts = module.split(".")
        for cut in range(1, len(parts) + 1):
            verdict = self.packages.get(".".join(parts[:cut]))
            if verdict is not None and verdict.moved:
                return verdict
        return None

    # ------------------------------------------------------------------ modules

    def _name_layer(self, module: str) -> NameLayer:
        """The layer `module`'s name gives, read as a package's `__init__` when it is one
        (`adapters/primary/__init__.py` is the primary adapters' package)."""
        facts = self.model.modules.get(module)
        return name_layer(module, package_index=facts is not None and facts.is_package)

    def _place(self, module: str) -> Layer | None:
        # Abstract bases the domain's own classes derive from, kept in a shared package
        # (`core/repositories/base_repository.py`): the domain's vocabulary, not a port.
        if self._contract_the_domain_builds_on(module):
            return Layer.DOMAIN
        # A port kept beside its adapters (`shared/infra/database/IUnitOfWork.py`) that the
        # core depends on: the core's contract, filed in the wrong folder.
        if self._port_filed_with_the_adapters(module):
            return Layer.APPLICATION
        # HTTP framework code filed under an infrastructure name that only the web uses
        # (DRF serializers in `infrastructure/serializers/`): the web's own.
        if self._serves_the_web_from_infrastructure(module) or module in self._adapts_for_the_web:
            return Layer.WEB
        moved = self._moved_ancestor(module)
        name = self._name_layer(module)
        # A deeper name that places the module elsewhere (`adapter/rest/` in a re-placed
        # `adapter/`) speaks for it, as it spoke for it when the package was judged.
        if moved is not None and name.layer is moved.name.layer:
            # As in a package named for its layer: `web/dependencies.py` and the module
            # building the app are the composition root's, `domain/settings.py` is not.
            if moved.layer not in _INNER and (
                module.rpartition(".")[2] in COMPOSITION_NAMES or self._builds_the_app(module)
            ):
                return Layer.COMPOSITION
            return moved.layer
        # Django's `apps.py` registers its package with the framework (and its `ready()`
        # connects the signal handlers): wiring, whatever package it is filed in. Django
        # loads it from `INSTALLED_APPS`; one the package's own code imports (for its
        # `label`) is read as part of that package.
        if _registers_a_django_app(self.model.modules.get(module)) and not self._users_of(module):
            return Layer.COMPOSITION
        # The root URLconf that Django's settings name (`ROOT_URLCONF = "config.urls"`) is
        # where the project puts its apps' URLs together, as an app factory includes the
        # routers: the composition root's, where no name has placed it.
        if name.layer is None and module in self._root_urlconfs:
            return Layer.COMPOSITION
        # Django's `manage.py seed` is a subcommand of `manage.py`, the process's entry point:
        # it starts the process and wires what it runs (a seeding script's ORM models, a
        # listener's broker client), as `manage.py` does, whatever `commands` says.
        if self._runs_a_django_command(module, name):
            return Layer.COMPOSITION
        # A Flask or click CLI's `commands.py` is a driving entry point.
        if self._declares_cli_commands(module, name):
            return Layer.WEB
        # `interfaces/cli/consume.py`, run as `python -m`, starts a consumer on the adapters
        # it imports: an entry point, the composition root's, not a driving adapter.
        if name.layer is Layer.WEB and self._entry_point_script(module):
            return Layer.COMPOSITION
        # `api/lifespan.py` opens and closes the app's engine around its life: wiring.
        if name.layer not in _INNER and _defines_the_app_lifespan(self.model.modules.get(module)):
            return Layer.COMPOSITION
        # `exceptions/database.py` holds the errors about a database, not an adapter of it:
        # its package's name speaks for it (`infrastructure/errors/api.py` stays there).
        if self._errors_named_for_their_subject(module, name):
            name = name_layer(module.rpartition(".")[0], as_package=True)
        # `presentation/exceptions/handlers/domain.py` maps the domain's errors to responses:
        # a module named for an inner layer inside an outer layer's package is about that
        # layer, and its package's name speaks for it (a package `api/.../domain/` does not).
        name = self._named_for_an_inner_layer(module, name)
        # A DI container of a helper package (`utils/dependency_injection/container.py`)
        # wires nothing of the project's layers: a utility, not the composition root.
        if self._generic_container(module, name):
            name = NameLayer(None)
        own = self._evidence.get(module)
        name = self._name_of_an_app_module(module, name)
        # The module that builds the app is the composition root under a weak name or none,
        # and under an outer layer's strong name when all it does to the web is assemble it
        # (a DI container or Django's entry point there serves no request at all).
        # Not the `__init__` of an inner package (`logic/__init__.py` filling a container
        # with the adapters): every use case of the package loads it, and them with it.
        facts = self.model.modules.get(module)  # None: an import of a module not in the tree
        loaded_by_the_core = name.layer in _INNER and facts is not None and facts.is_package
        if (
            self._builds_the_app(module)
            and not loaded_by_the_core
            and (not name.strong or (name.layer not in _INNER and self._assembles_the_web(module)))
        ):
            return Layer.COMPOSITION
        # A DI container filled with adapters under an inner name (`logic/init.py`
        # registering the Mongo repositories, `main/dependencies/application.py` named for
        # what it provides): the composition root, filed in the core. Not in a package the
        # inner layer's own name places (`application/di/providers.py`): there the core
        # itself imports the adapters, which is what the finding says.
        own_name = _named_by_its_file(module, name)
        if (
            name.layer in _INNER
            and (own_name or not name.strong)
            and not loaded_by_the_core
            and self._fills_a_container_with_adapters(module)
        ):
            return Layer.COMPOSITION
        # `main/factories/infra/database.py` builds the adapter, it is none; and
        # `main/usecases/make_db_add_account.py` builds the use case on its adapters.
        if self._wires_below_composition_root(module, name) and (
            name.layer in _WIRED_NAMES
            or (
                name.layer in _INNER
                and _directly_below_a_composition_root(module, name)
                and self._builds_outside_the_core(module)
            )
        ):
            return Layer.COMPOSITION
        # `api/factory/customer_api_factory.py` builds a use case on an adapter, and so does
        # `infrastructure/dependency_container.py` building every use case on the adapters.
        if name.layer in _WIRED_NAMES and (
            self._factory_wires_an_adapter_into_the_core(module)
            or self._assembles_use_cases(module)
            or self._provides_use_cases(module)
        ):
            return Layer.COMPOSITION
        if name.layer is not None:
            if self._maps_persistence(module, name) or self._client_side_of_http(module, name):
                return Layer.INFRASTRUCTURE
            if self._beside_use_cases(module, name) or self._exchanged_by_a_port(module, name):
                return Layer.APPLICATION
            # A module's own name (`settings.py`) is the weakest: one kind of what it
            # defines (ORM models, routes, ports...) contradicts it.
            own_name = _named_by_its_file(module, name)
            if (
                own is not None
                and (not name.strong or _ports_filed_by_concern(module, name, own.layer))
                and _may_move(module, name, own.layer)
                and (_convincing(own, MIN_KINDS) or (own_name and own.kinds & _DEFINED_KINDS))
                and not self._shows(module, name.layer)
            ):
                return own.layer
            return name.layer
        if is_test_module(module):
            return None
        # HTTP middleware (`core/middlewares/rate_limit.py`) runs inside every request: the
        # web's, in whatever unnamed package, unless it shows another layer.
        if self._defines_middleware_alone(module):
            return Layer.WEB
        # A module of functions answering a request outside the routes is the web's too:
        # exception handlers (`core/exception_handlers.py`) and function middleware.
        if self._answers_requests_outside_routes(module):
            return Layer.WEB
        # Nothing it defines shows a layer (at most a driver or `HTTPException` it imports),
        # but it calls a token, hash or mail library: a helper wrapping that service
        # (`core/security.py` signing JWTs).
        if own is None or (not _convincing(own, MIN_KINDS) and own.kinds <= _IMPORTED_KINDS):
            wraps = self._wraps_a_service(module)
            if wraps is not None or own is None:
                # The empty `__init__` of a package of use cases goes with them.
                if wraps is None and self._opens_a_package_of_use_cases(module):
                    return Layer.APPLICATION
                return wraps
        # A shared package's classes and errors look like entities whatever they serve: a
        # cache's lock, an HTTP client's circuit breaker. Its domain has a name of its own
        # (`shared/domain/`, `seedwork/`), and helpers under `utils/` are no domain either;
        # nor is a script's (`scripts/check_license.py` run as `__main__`): tooling.
        if own.layer is Layer.DOMAIN and (_in_a_library(module) or self.model.modules[module].runs_as_script):
            return None
        nearest = self._nearest_strong(module)
        # A package of errors or a module named for them (`core/exceptions/order.py`,
        # `app/errors.py`) holding framework-free exception classes alone: the errors the
        # core raises, the domain's (`_errors_of_the_domain`), unless its package's content
        # is another layer's (`services/exceptions/` beside the use cases raising them).
        # A shared library's errors (`shared/errors/`, `utils/exceptions.py`) were left
        # out above.
        if (nearest is None or nearest.layer is Layer.DOMAIN) and self._errors_of_the_domain(module):
            return Layer.DOMAIN
        if _convincing(own, MIN_KINDS):
            # A class holding state and an error of its own are a bus's or a registry's as
            # much as an entity's: a module defining a bus, a dispatcher, a mediator or a
            # registry among modules whose content is convincingly the application's
            # (`bus/core.py` beside the bus's ports and handlers) is the application's.
            # An entity beside its use cases (a package per feature) stays the domain's.
            if (
                own.layer is Layer.DOMAIN
                and nearest is not None
                and nearest.layer is Layer.APPLICATION
                and _convincing(nearest, MIN_KINDS)
                and any(_dispatches(cls) for cls in self.model.modules[module].classes)
            ):
                return Layer.APPLICATION
            return own.layer
        if (
            nearest is not None
            and nearest.layer is own.layer
            and (
                _convincing(nearest, MIN_KINDS)
                # A shared package's services are a library's (`shared/auth/jwt.py`).
                or (_a_package_of_use_cases(nearest) and not _in_a_library(module))
                # Tables the ORM maps are persistence wherever they are kept.
                or _a_package_of_orm_models(nearest)
            )
        ):
            return own.layer
        # Tables the ORM maps are persistence in one module too (a Django app's `models.py`
        # beside its views), where one kind of other evidence places nothing.
        if self._holds_tables_alone(module):
            return Layer.INFRASTRUCTURE
        return None

    def _defines_middleware_alone(self, module: str) -> bool:
        """Whether a module defines HTTP middleware, no other top-level class
        (`_defines_a_middleware`), and shows no evidence of another layer than the web's
        (at most a driver it imports)."""
        facts = self.model.modules.get(module)
        return (
            facts is not None
            and _defines_a_middleware(facts)
            and _shows_no_layer_but(self._all_evidence(facts), Layer.WEB)
        )

    def _answers_requests_outside_routes(self, module: str) -> bool:
        """Whether a module is one of functions answering a request outside the routes
        (`_answers_a_request`): such functions, at its top level or inside another,
        outnumber its other public top-level functions (those registering hooks on the app,
        `register_error_handlers(app)`, are neither); it shows no evidence of another layer
        than the web's (at most a driver or `HTTPException` it imports); and no module the
        domain's, the application's or the infrastructure's name places imports anything
        else from it. A module of errors with their handler, or a logging module whose
        logger the use cases import beside a function middleware, stays where the rest of
        its content puts it: the core imports it for what is not the web's."""
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        answering = sum(1 for function in all_functions(facts.functions) if _answers_a_request(function))
        if not answering:
            return False  # most unnamed modules: nothing more to read
        hooks = {
            top.name for top in facts.functions if _answers_a_request(top) or _registers_request_hooks(top)
        }
        others = sum(1 for top in facts.functions if not top.name.startswith("_") and top.name not in hooks)
        return (
            answering > others
            and _shows_no_layer_but(self._all_evidence(facts), Layer.WEB)
            and not any(
                self._name_layer(user).layer in _BELOW_THE_WEB and not set(names) <= hooks
                for user, names in self._imports_of(module)
            )
        )

    def _imports_of(self, module: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Each first-party module importing `module`, with the names it imports from it
        statement by statement (`*` for `import module` or an import of its package, which
        may use anything)."""
        for user in sorted(self.model.importers(module)):
            facts = self.model.modules[user]
            for fact in facts.imports:
                if not fact.script and module in self.model.targets(facts, fact):
                    yield user, fact.names if fact.target == module and fact.names else ("*",)

    def _holds_tables_alone(self, module: str) -> bool:
        """Whether a module shows ORM tables and no evidence of another layer (at most a
        driver or `HTTPException` it imports), and holds no SQLModel class: a table that is
        also a request model (`table=True`) is read as the Pydantic model it is too, so a
        module of them stays where its other evidence puts it."""
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        evidence = self._all_evidence(facts)
        return (
            _orm_models_alone(evidence.get(Layer.INFRASTRUCTURE, frozenset()))
            and _shows_no_layer_but(evidence, Layer.INFRASTRUCTURE)
            and "sqlmodel" not in _imported_packages(facts)
        )

    def _empty_inits_with_their_modules(self) -> dict[str, Layer]:
        """The layer of each unplaced `__init__` that holds nothing of its own (no code; at
        most imports of its own modules, `__all__`) in an unnamed package whose every
        module below, at any depth and in folders without an `__init__` too, is placed in
        that one layer (`interfaces/` of ports alone, `repos/` of adapters alone): it is its
        package's. Such `__init__`s below count for nothing either way, so a package of
        such packages goes with them; one unplaced or differently placed module keeps it
        unplaced."""
        holding_nothing = {
            module
            for module, facts in self.model.modules.items()
            if facts.is_package and _holds_nothing_of_its_own(module, facts)
        }
        placed: dict[str, Layer] = {}
        for package in sorted(holding_nothing):
            if (
                self._layers.get(package) is not None
                or is_test_module(package)
                or self._name_layer(package).layer is not None
            ):
                continue
            # The subtree holds the package's own `__init__`, which holds nothing.
            below = [module for module in self._subtree(package) if module not in holding_nothing]
            layers = {self._layers.get(module) for module in below}
            if below and len(layers) == 1:
                (layer,) = layers
                if layer is not None:
                    placed[package] = layer
        return placed

    def _entry_point_script(self, module: str) -> bool:
        """Whether a module runs as a script (`if __name__ == "__main__":`), shows no web
        evidence (no route, router, request model or HTTP error) and defines no decorated
        function and no class: a Typer or Click command (`@app.command()`) or a route on a
        Flask app (`@app.route(...)`) is a driving adapter's, and shows no web evidence."""
        facts = self.model.modules.get(module)
        return (
            facts is not None
            and facts.runs_as_script
            and not facts.classes
            and not any(function.decorators for function in facts.functions)
            and Layer.WEB not in self._all_evidence(facts)
        )

    def _opens_a_package_of_use_cases(self, module: str) -> bool:
        """Whether a module is the empty `__init__` of an unnamed package of use cases
        (`listeners/`, `command_handlers/`, `services/`): every module beside it that
        defines something holds use cases, and the package's content is use cases alone
        (`_a_package_of_use_cases`). It goes with them; the `__init__` of a feature whose
        commands and events sit beside its subpackages does not."""
        facts = self.model.modules.get(module)
        verdict = self.packages.get(module)
        if (
            facts is None
            or not _is_empty_package(facts)
            or _in_a_library(module)
            or verdict is None
            or verdict.content is None
            or not _a_package_of_use_cases(verdict.content)
        ):
            return False
        inside = [
            child
            for child in self._children.get(module, ())
            if self.model.modules[child].classes or self.model.modules[child].functions
        ]
        return bool(inside) and all(self._holds_use_cases(child) for child in inside)

    def _holds_use_cases(self, module: str) -> bool:
        own = self._evidence.get(module)
        return own is not None and own.layer is Layer.APPLICATION and USE_CASES in own.kinds

    def _contract_the_domain_builds_on(self, module: str) -> bool:
        """Whether a module holds only abstract contracts that a class the domain's name
        places derives from: a shared kernel of generic bases (`BaseRepository[T]`, an
        `AbstractUnitOfWork`, an empty marker `Interface(ABC)`) that the domain's ports
        extend. Two kinds of evidence: what it holds (abstract classes only, no function,
        nothing but the standard library and first-party imports) and who builds on it
        (the domain). Only unnamed, or in a shared package (`core/`, `common/`, `shared/`)
        under a weak name (`core/repositories/`): a strong name (`application/`) or a
        layer's own weak name elsewhere (`ports/`) keeps its modules."""
        name = self._name_layer(module)
        if name.strong or name.layer is Layer.DOMAIN or is_test_module(module):
            return False
        if name.layer is not None and not _SHARED_COMPONENTS.intersection(module.split(".")[:-1]):
            return False
        facts = self.model.modules.get(module)
        if facts is None or facts.functions:
            return False
        r = self._roles
        contracts = [ClassRef(facts, cls) for cls in facts.classes if "." not in cls.qualname]
        if not contracts or not all(r.is_abstract(ref) and not r.is_dataclass(ref) for ref in contracts):
            return False
        if not self.framework_free(facts):
            return False
        return any(
            name_layer(found[0].module).layer is Layer.DOMAIN
            for ref in contracts
            for found in self._subclasses_found(ref)
        )

    def _port_filed_with_the_adapters(self, module: str) -> bool:
        """Whether a module an infrastructure name places holds the core's ports: what it
        defines is pure contracts (abstract classes whose methods have no body but a
        constructor's; enums and records beside them), no function, it imports nothing but
        the standard library and first-party modules, and a module the core's names place
        imports it by its own name (`shared/infra/database/IUnitOfWork.py` used by the use
        cases, `repositories/user_repository_protocol.py`), not through a package that
        re-exports it with the adapters (`from infrastructure.mcp import HttpTransport,
        IMcpTransport` is a use of the adapters), or such a port derives from it
        (`Command(Request)`: the contracts' own base goes with them). Two independent kinds
        of evidence, what it holds and who depends on it. An adapters' base that shares
        behaviour (template methods) stays where it is filed, and one that calls a driver
        or an ORM imports its package."""
        return module in self._ports_filed_with_the_adapters

    @cached_property
    def _ports_filed_with_the_adapters(self) -> frozenset[str]:
        candidates = {module for module in self.model.modules if self._holds_pure_contracts(module)}
        # A package that only re-exports such contracts (`contracts/db/account/__init__.py`
        # importing each port of its folder) hands them on: importing it imports them.
        relays: dict[str, set[str]] = {}
        for module in sorted(self.model.modules, key=lambda name: -name.count(".")):
            facts = self.model.modules[module]
            if not facts.is_package or module in candidates or not self._only_imports_first_party(facts):
                continue
            if not _filed_with_the_adapters(name_layer(module, as_package=True)):
                continue
            handed = set(self._imported_modules(facts)) - {module}
            if handed and all(target in candidates or target in relays for target in handed):
                relays[module] = handed
        found = {
            module
            for module in (*candidates, *relays)
            if any(
                name_layer(user).layer in _INNER and not is_test_module(user)
                for user in self.model.importers(module)
            )
        }
        # What a relay the core imports hands on, down to the contracts themselves.
        pending = sorted(found & relays.keys())
        while pending:
            for target in relays[pending.pop()]:
                if target not in found:
                    found.add(target)
                    if target in relays:
                        pending.append(target)
        # The bases those ports derive from, and theirs in turn.
        pending = sorted(found)
        while pending:
            facts = self.model.modules[pending.pop()]
            for cls in facts.classes:
                for base in self._roles.first_party_ancestors(ClassRef(facts, cls)):
                    module = base.facts.module
                    if module in candidates and module not in found:
                        found.add(module)
                        pending.append(module)
        return frozenset(found)

    def _only_imports_first_party(self, facts: ModuleFacts) -> bool:
        """Whether a module defines, assigns and calls nothing (`__all__` aside) and imports
        only first-party modules: a package `__init__` that re-exports."""
        return (
            not facts.classes
            and not facts.functions
            and not facts.calls
            and all(assignment.name == "__all__" for assignment in facts.assignments)
            and all(top_package(imported) in self._first_party for imported in _imported_names(facts))
        )

    def _holds_pure_contracts(self, module: str) -> bool:
        """Whether a module an infrastructure name places (or the presenters' name below
        `adapters/`: a use case's output boundary filed with its presenters) defines pure
        contracts and no function, and imports nothing but the standard library and
        first-party modules."""
        if not _filed_with_the_adapters(self._name_layer(module)) or is_test_module(module):
            return False
        facts = self.model.modules.get(module)
        if facts is None or facts.functions or not self.framework_free(facts):
            return False
        r = self._roles
        classes = [ClassRef(facts, cls) for cls in facts.classes if "." not in cls.qualname]
        # `@dataclass` on an ABC without fields changes nothing of the contract, where no
        # strong name (`infrastructure/`) says the team filed it with the adapters on purpose
        # (`data/contracts/db/add_account_repository.py` is a contract about a database).
        filed_as_adapters = any(
            spelled_plainly(part) in STRONG_COMPONENTS & INFRASTRUCTURE_COMPONENTS
            for part in module.split(".")[:-1]
        )
        contracts = [
            ref
            for ref in classes
            if r.is_abstract(ref)
            and not (
                r.is_dataclass(ref) and (filed_as_adapters or any(a.annotation for a in ref.cls.attributes))
            )
        ]
        if not contracts or any(ref not in contracts and not r.is_data_holder(ref) for ref in classes):
            return False
        return not any(_implements(method) for ref in contracts for method in ref.cls.methods)

    @cached_property
    def _adapts_for_the_web(self) -> frozenset[str]:
        """The modules `adapter` or `adapters` places (`main/adapter/flask_adapter.py`) that
        show no evidence of their own, import no third-party package, import only the web's
        modules (the controller contract and its request type) and are imported only by the
        web's (the routes): the glue between a framework's request and the controllers, not
        an adapter of the core's. Two kinds of evidence, what they use and who uses them. A
        package's `__init__` re-exporting such modules goes with them."""
        candidates: dict[str, tuple[set[str], set[str]]] = {}
        for module, facts in self.model.modules.items():
            name = self._name_layer(module)
            if spelled_plainly(name.component) not in _ADAPTER_NAMES or is_test_module(module):
                continue
            if self._evidence.get(module) is not None or (not facts.functions and not facts.is_package):
                continue
            # A third-party SDK it calls (`stripe`) makes it an adapter the routes use.
            if any(
                top_package(imported) not in self._first_party | self._stdlib
                for imported in _imported_names(facts)
            ):
                continue
            targets = set(self._imported_modules(facts)) - {module}
            users = {user for user in self.model.importers(module) if not is_test_module(user)}
            # `from main.adapter import flask_adapter` imports the module, not the package.
            if targets and (users or facts.is_package):
                candidates[module] = (targets, users)
        # The largest set whose every module uses and is used by the web or one another.
        found = set(candidates)
        changed = True
        while changed:
            changed = False
            for module in sorted(found):
                targets, users = candidates[module]
                if not all(
                    name_layer(other).layer is Layer.WEB or other in found for other in targets | users
                ):
                    found.discard(module)
                    changed = True
        return frozenset(found)

    def _serves_the_web_from_infrastructure(self, module: str) -> bool:
        """Whether a module that an infrastructure name places is the web's: it belongs to
        a unit, itself (a package `__init__` with the modules of its subtree it re-exports)
        or a package between it and that name (the whole subtree), of which every module
        that defines something serves HTTP (`_serves_http`: it imports an HTTP server
        framework, `rest_framework`, `django.http`, `starlette`, and no driver, ORM or
        service library, nor a first-party module of ORM models or drivers), and that the
        web uses and nothing but the web and the composition root imports from outside
        (a package `__init__` that re-exports it passes its importers on; tests aside).
        Two kinds of evidence, what it holds and who uses it, as a strong name asks: DRF
        serializers, a `Response` wrapper or a request wrapper kept in `infrastructure/`
        are web code, and the views that import them import the web. One that a use case
        imports, or that reads a database, stays infrastructure."""
        name = self._name_layer(module)
        if name.layer is not Layer.INFRASTRUCTURE or is_test_module(module):
            return False
        facts = self.model.modules.get(module)
        parts = module.split(".")
        if facts is None or name.component not in parts:
            return False
        deciding = len(parts) - 1 - parts[::-1].index(name.component)
        units: list[set[str] | frozenset[str]] = [self._reexported(module) if facts.is_package else {module}]
        below = range(deciding + 2, len(parts) + facts.is_package)
        units.extend(self._subtree(".".join(parts[:cut])) for cut in below)
        return any(self._web_unit(frozenset(unit)) for unit in units)

    def _web_unit(self, unit: frozenset[str]) -> bool:
        """Whether every module of `unit` that defines something serves HTTP, and the web,
        with at most the composition root beside it, is all that imports it from outside."""
        known = self._web_units.get(unit)
        if known is None:
            modules = self.model.modules
            defining = [m for m in unit if modules[m].classes or modules[m].functions]
            users = {user for each in unit for user in self._users_of(each) if user not in unit}
            builders = {user for user in users if self._builds_the_app(user)}
            # The web proper: named for it, or unnamed and declaring routes; not the module
            # that builds the app (`infra/http/app.py` registering a file store), nor a
            # `main.py` that also declares a route: the composition root's, which wires
            # middleware and adapters alike.
            names = {user: name_layer(user).layer for user in users}
            # A unit re-entered while it is judged (two web units under one infrastructure
            # name importing each other) answers no meanwhile: neither may vouch for the
            # other. The modules are visited in a fixed order, so the answer is stable.
            self._web_units[unit] = False
            web = {
                user
                for user in users - builders
                if names[user] is Layer.WEB
                or (names[user] is None and user in self._route_modules)
                # A schema mapper beside it under the same name serves the web too.
                or (names[user] is Layer.INFRASTRUCTURE and self._serves_the_web_from_infrastructure(user))
            }
            wiring = builders | {user for user in users if names[user] is Layer.COMPOSITION}
            known = self._web_units[unit] = (
                bool(defining)
                and all(self._serves_http(m) for m in defining)
                and bool(web)
                and users <= web | wiring
            )
        return known

    def _subtree(self, package: str) -> frozenset[str]:
        """A package's modules, its own `__init__` and every module below it, tests aside."""
        known = self._subtrees.get(package)
        if known is None:
            known = self._subtrees[package] = frozenset(
                module
                for module in self.model.modules
                if (module == package or module.startswith(package + ".")) and not is_test_module(module)
            )
        return known

    def _reexported(self, package: str) -> set[str]:
        """A package's `__init__` and the modules of its subtree it imports, transitively:
        what importing the package gives (`responses/django/__init__.py` re-exporting
        `RestResponse` from its `response.py`)."""
        found = {package}
        pending = [package]
        while pending:
            facts = self.model.modules[pending.pop()]
            for target in self._imported_modules(facts):
                if target.startswith(package + ".") and target not in found:
                    found.add(target)
                    pending.append(target)
        return found

    def _serves_http(self, module: str) -> bool:
        """Whether a module imports an HTTP server framework or defines request/response
        models and nothing else (`infra/schemas/transfer.py`'s `TransferRequest(BaseModel)`),
        imports no driver, ORM or service library, shows neither drivers nor ORM models,
        and imports no first-party module that persists (`_persists_for`: a DRF
        `ModelSerializer` over the ORM's models, a repository raising `Http404`:
        persistence's; an `application/` service calling an identity provider is what the
        web calls). A port it implements says nothing either way: a request wrapper
        implements the request the controllers take."""
        facts = self.model.modules[module]
        if not (
            self._holds_request_models_only(facts)
            or any(_in_packages(name, _HTTP_SERVER_FRAMEWORKS) for name in _imported_names(facts))
            or self._maps_request_models(module, facts)
        ):
            return False
        request_edge = _at_the_request_edge(facts)
        return not self._persists(facts, request_edge) and not any(
            self._persists_for(self.model.modules[target])
            for target in self._imported_modules(facts)
            if target != module
        )

    def _imported_modules(self, facts: ModuleFacts) -> Iterator[str]:
        """The first-party modules a module's imports name, statement by statement; not the
        namespace packages they name (`import dishka` beside a `scripts/dishka/` folder of
        scripts without an `__init__.py`), which hold no code of their own."""
        for fact in facts.imports:
            yield from (target for target in self.model.targets(facts, fact) if target in self.model.modules)

    def _holds_request_models_only(self, facts: ModuleFacts) -> bool:
        return self._all_evidence(facts) == {Layer.WEB: frozenset({REQUEST_MODELS})}

    def _maps_request_models(self, module: str, facts: ModuleFacts) -> bool:
        """Whether a module named a mapper (`infrastructure/mappers/account.py`) converts the
        web's request/response models: it imports a first-party module of such models alone
        (`AccountSchemaMapper.to_response(dto) -> AccountResponse`). SPEC §1 puts mappers
        DTO<->entity in the web; those to ORM models stay persistence's (`_persists_for`)."""
        if not MAPPER_COMPONENTS.intersection(spelled_plainly(part) for part in module.split(".")):
            return False
        return any(
            self._holds_request_models_only(self.model.modules[target])
            for target in self._imported_modules(facts)
            if target != module
        )

    def _persists_for(self, facts: ModuleFacts) -> bool:
        """Whether a first-party module a web module imports makes it persistence's: it
        persists (`_persists`); for a module the domain's or application's name places,
        only when it defines ORM models (Django's models kept in `domain/models.py`). A use
        case calling an identity provider over HTTP is what the web calls; what it imports
        is its own."""
        if name_layer(facts.module).layer in _INNER:
            return ORM_MODELS in self._all_evidence(facts).get(Layer.INFRASTRUCTURE, frozenset()) or any(
                _in_packages(name, _NOT_SERVING_HTTP) for name in _imported_names(facts)
            )
        return self._persists(facts)

    def _persists(self, facts: ModuleFacts, request_edge: bool = False) -> bool:
        """Whether a module imports a driver, an ORM (`django.db` among them) or a service
        library, or shows drivers or ORM models: Django's `models.py` shows no ORM
        evidence of its own but its import. At the request's edge (`request_edge`: a
        module of the web framework's own) a token library reads the caller's credentials,
        as a FastAPI dependency decoding a bearer token does: that is no service."""
        services = _NO_HTTP_SERVER - _TOKEN_PACKAGES if request_edge else _NO_HTTP_SERVER
        if any(
            top_package(name) in services or _in_packages(name, _NOT_SERVING_HTTP)
            for name in _imported_names(facts)
        ):
            return True
        return bool({DRIVERS, ORM_MODELS} & self._all_evidence(facts).get(Layer.INFRASTRUCTURE, frozenset()))

    def _users_of(self, module: str) -> set[str]:
        """The non-test modules that import `module` (outside a script block); an ancestor
        package's `__init__` that imports it (a re-export) stands for the modules that
        import that package."""
        users: set[str] = set()
        seen = {module}
        pending = [module]
        while pending:
            for user in self.model.importers(pending.pop()):
                if user in seen or is_test_module(user):
                    continue
                seen.add(user)
                if module.startswith(user + "."):
                    pending.append(user)
                else:
                    users.add(user)
        return users

    def _wraps_a_service(self, module: str) -> Layer | None:
        """The layer of an unnamed helper of a shared package (`core/`, `common/`, `utils/`,
        `shared/`...) that calls a concrete service's library: one that signs or reads
        tokens (`jwt`, `jose`), hashes passwords (`passlib`, `bcrypt`) or sends mail
        (`smtplib`) is infrastructure, an adapter of that service; one that is also a
        FastAPI dependency (it imports from `fastapi` or `starlette`: `Depends`,
        `HTTPBearer`, `Request`, `HTTPException`) or reads Flask's request (a
        `@token_required` decorator; `current_app` alone is configuration) is the web's,
        the request's edge (`_at_the_request_edge`). `None` when it calls none.
        Only for a module whose evidence is at most what it imports: an ORM model that
        hashes its password stays a model."""
        if not _SHARED_COMPONENTS.intersection(module.split(".")[:-1]):
            return None
        facts = self.model.modules.get(module)
        if facts is None or not any(
            top_package(call.callee) in SERVICE_PACKAGES for call in every_call(facts)
        ):
            return None
        if _at_the_request_edge(facts):
            return Layer.WEB
        return Layer.INFRASTRUCTURE

    def _builds_the_app(self, module: str) -> bool:
        """Whether a module builds the FastAPI app (`FastAPI(...)`), a Flask app it registers
        blueprints on (`_builds_a_flask_app`), Django's application or commands
        (`manage.py`, `wsgi.py`: `_enters_django`) or the DI container
        (`container = Container()`) and declares no route: the composition root that
        includes the routers or registers the adapters, whatever package holds it (an
        `adapter/app.py`, an `infra/http/app.py`, a `cmd/center_store.py`). A module that
        also declares routes is the web's, as a one-file service is. Asked up to three times
        per module (its name, its place, its users' web unit): answered once."""
        known = self._app_builders.get(module)
        if known is None:
            known = self._app_builders[module] = self._decide_builds_the_app(module)
        return known

    def _decide_builds_the_app(self, module: str) -> bool:
        own = self._evidence.get(module)
        if module in self._route_modules:
            return self._app_factory_with_its_probes(module)
        if own is not None and own.layer is Layer.COMPOSITION and APP_FACTORY in own.kinds:
            return True
        facts = self.model.modules.get(module)
        return facts is not None and (
            _builds_a_flask_app(facts) or _enters_django(facts) or self._builds_a_container(facts)
        )

    def _builds_a_container(self, facts: ModuleFacts) -> bool:
        """Whether a module builds the DI container, at module level (`container =
        Container()`) or in a function, or defines what fills it (`_wires_the_container`)."""
        return any(
            assignment.value.kind is ExprKind.CALL and self._makes_container(assignment.value.name)
            for assignment in facts.assignments
        ) or self._wires_the_container(facts)

    def _assembles_the_web(self, module: str) -> bool:
        """Whether a module that builds the app puts together web code kept elsewhere
        (`app.include_router(...)`, `register_blueprint`, `mount`, or the routes handed to
        the app's constructor: `Litestar(route_handlers=[...])`) and serves nothing of
        its own: no route added by a call (`add_route`, `add_url_rule`, Starlette's
        `Route(...)`; a probe's aside, `add_url_rule("/health", ...)`) and no middleware
        (`@app.middleware("http")`), which are the web's even in the module that builds the
        app. A module that builds no web app (a DI container, Django's `wsgi.py`) serves
        nothing and passes."""
        facts = self.model.modules[module]
        own = self._evidence.get(module)
        if not (own is not None and APP_FACTORY in own.kinds) and not _builds_a_flask_app(facts):
            return True  # a DI container, Django's `wsgi.py`: no web app to serve from
        calls = list(every_call(facts))
        called = {call.callee.rpartition(".")[2] for call in calls}
        adds_a_route = any(
            call.callee.rpartition(".")[2] in _ROUTE_ADDING_CALLS and not _adds_a_probe(call)
            for call in calls
        )
        middleware = any(
            decorator.name.rpartition(".")[2] == "middleware"
            for _, function in functions_of(facts)
            for decorator in function.decorators
        )
        # The routes handed to the constructor come from elsewhere: none is a function of
        # the module's own (Litestar's `@get` handlers beside `Litestar(route_handlers=[...])`
        # serve from here), and the module defines no class (a middleware of its own).
        functions = {f"{module}.{function.name}" for function in facts.functions}
        hands_over_routes = not facts.classes and any(
            call.callee in _APPS
            and any(keyword in _ROUTES_HANDED_OVER for keyword, _ in call.keywords)
            and not any(
                functions.intersection(value.names())
                for keyword, value in call.keywords
                if keyword in _ROUTES_HANDED_OVER
            )
            for call in calls
        )
        return (bool(called & _ASSEMBLING_CALLS) or hands_over_routes) and not adds_a_route and not middleware

    def _name_of_an_app_module(self, module: str, name: NameLayer) -> NameLayer:
        """The name that speaks for a module that builds the app: its package's when the layer's
        name is only the module's own file name (`entrypoints/application.py` building the
        FastAPI app is an app module, no application service); a module's own name is the
        weakest, as for `settings.py`. Its package's name then decides as for any app module
        (`_place`)."""
        facts = self.model.modules.get(module)
        if (
            not name.strong
            or not _named_by_its_file(module, name)
            or (facts is not None and facts.is_package)
        ):
            return name
        package = module.rpartition(".")[0]
        if not package or not self._builds_the_app(module):
            return name
        return name_layer(package, as_package=True)

    def _wires_the_container(self, facts: ModuleFacts) -> bool:
        """Whether a module builds the DI container in a function (`def bootstrap() ->
        Injector: return Injector(modules=[...])`) or defines what fills it: an
        `injector.Module` with its bindings and providers, a dishka `Provider`, a
        `dependency_injector` container (not when it also defines an adapter of its own,
        a class beside its providers in a module showing infrastructure's evidence).
        Wiring the container is the composition root's work wherever it sits."""
        r = self._roles
        di_classes = [
            cls
            for cls in facts.classes
            if set(r.ancestors(ClassRef(facts, cls))) & (_CONTAINER_BASES | _DI_MODULE_BASES)
        ]
        # A repository module with the provider of its repository beside it is still the
        # adapter: what it defines besides its providers is what the container is filled with.
        fills = bool(di_classes) and not (
            self._all_evidence(facts).get(Layer.INFRASTRUCTURE)
            and any(
                cls not in di_classes and not r.is_data_holder(ClassRef(facts, cls)) for cls in facts.classes
            )
        )
        return fills or any(self._makes_container(call.callee) for call in every_call(facts))

    def _fills_a_container_with_adapters(self, module: str) -> bool:
        """Whether a module builds a DI container (`_builds_a_container`), shows nothing of
        the core itself (no entity, port or use case: a service with its own `injector`
        bindings beside it is still the service), and imports a module an infrastructure
        name places or one that fills the container: it wires the adapters in, as only the
        composition root does."""
        facts = self.model.modules.get(module)
        if facts is None or not self._builds_a_container(facts):
            return False
        if any(layer in _INNER for layer in self._all_evidence(facts)):
            return False
        # The adapters' modules, or the providers that bring them (dishka `Provider`s kept
        # in `application/di/providers/`).
        return any(
            name_layer(target).layer is Layer.INFRASTRUCTURE
            or (target in self.model.modules and self._wires_the_container(self.model.modules[target]))
            for target in self._imported_modules(facts)
        )

    def _app_factory_with_its_probes(self, module: str) -> bool:
        """Whether a module that declares routes still is the composition root: it includes
        routers (`app.include_router(...)`), and each of its routes is a probe (`/health`,
        `/ready`, `/metrics`...) declared inside a function that builds and returns a
        FastAPI app, on a name of that function's own (`init_health_check_server()`
        registering `/health-check` on the app it returns), or inside a helper the factory
        hands its app to (`_register_routes(app: FastAPI)`). The business routes are in
        the routers it includes; a `create_app()` declaring business routes inline, or a
        one-file service declaring them on its module's app, is the web's."""
        facts = self.model.modules.get(module)
        if facts is None or not any(
            call.callee.rpartition(".")[2] == "include_router" for call in every_call(facts)
        ):
            return False
        builders = {
            function.name
            for function in facts.functions
            if any(callee in _APPS for callee in function.returned)
        }
        # A helper of the factory handed the app it builds (`def _register_routes(app:
        # FastAPI)` declaring `/health` and `/ready` on it) declares them for the factory.
        registrars = {
            function.name
            for function in facts.functions
            if any(
                param.annotation is not None and param.annotation.name in _APPS for param in function.params
            )
        }
        return bool(builders) and all(
            ".<locals>." in handler.function.qualname
            and handler.function.qualname.partition(".<locals>.")[0] in builders | registrars
            and "." not in handler.router  # a local name, not the module's app or an import
            and (_is_probe(handler) or _greets_at_the_root(handler))
            for handler in self._routes_by_module.get(module, ())
        )

    def _factory_wires_an_adapter_into_the_core(self, module: str) -> bool:
        """Whether a module in a package of factories (`api/factory/`, `infra/factories/`)
        that an outer layer's name places builds a use case on an adapter: it constructs a
        first-party class the application's name places and one the infrastructure's name
        places (`CreateCustomerUseCase(CustomerRepository())`), and shows no layer's
        evidence but the composition's (no route, driver, ORM model or adapter of its own).
        Wiring an adapter into the core is the composition root's work, whatever name the
        package of factories sits under; a domain `factory/` building entities is none."""
        if not _FACTORY_COMPONENTS.intersection(map(spelled_plainly, module.split(".")[:-1])):
            return False
        facts = self.model.modules.get(module)
        # A class of factory methods free of frameworks reads as an entity with behaviour.
        if facts is None or any(layer not in _FACTORY_EVIDENCE for layer in self._all_evidence(facts)):
            return False
        built = {layer for layer, _ in self._constructed(every_call(facts))}
        return {Layer.APPLICATION, Layer.INFRASTRUCTURE} <= built

    def _assembles_use_cases(self, module: str) -> bool:
        """Whether a module wires the application by hand (a `DependencyContainer` class
        kept in `infrastructure/`): its module level, one of its functions, or the methods
        of one of its classes together (a provider method a use case) construct at least two
        use cases (classes the application's name places, shaped like one), it constructs an
        adapter (a class the infrastructure's name places), and it shows no evidence but the
        composition's, the entities its factory methods read as, and the databases it hands
        the adapters. A consumer imports its broker, and a per-request handler is a function
        of its own, or a route: they stay the adapters they are."""
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        shown = dict(self._all_evidence(facts))
        # A database's import is the adapters' it builds; a broker's or an HTTP client's
        # is a consumer's or a gateway's.
        databases_only = not (_client_packages(facts) & DRIVER_PACKAGES) - DATABASE_PACKAGES
        if shown.get(Layer.INFRASTRUCTURE) == frozenset({DRIVERS}) and databases_only:
            del shown[Layer.INFRASTRUCTURE]
        if any(layer not in _FACTORY_EVIDENCE for layer in shown):
            return False
        return self._builds_use_cases_on_adapters(facts)

    def _builds_use_cases_on_adapters(self, facts: ModuleFacts) -> bool:
        """Whether a module constructs an adapter (a class the infrastructure's name
        places) and, in one scope, at least two use cases (classes the application's name
        places, shaped like one): its module level, one of its functions, or the methods of
        one of its classes together (a provider method a use case)."""
        module = facts.module
        # Each scope's constructions once: the module level, each function, each class's
        # methods together; `every_call` is the same calls, undivided.
        scopes = [facts.calls, *(function.calls for function in facts.functions)]
        scopes.extend(tuple(call for method in cls.methods for call in method.calls) for cls in facts.classes)
        built = [
            [(layer, ref) for layer, ref in self._constructed(scope) if ref.facts.module != module]
            for scope in scopes
        ]
        if not any(
            layer is Layer.INFRASTRUCTURE and not self._roles.is_exception(ref)
            for scope in built
            for layer, ref in scope
        ):
            return False
        use_cases = (
            {
                ref.dotted
                for layer, ref in scope
                if layer is Layer.APPLICATION and _shaped_like_a_use_case(ref)
            }
            for scope in built
        )
        return any(len(found) >= 2 for found in use_cases)

    def _provides_use_cases(self, module: str) -> bool:
        """Whether a module is a registry of providers and nothing else: every function takes
        nothing, carries no decorator and returns what a first-party call built, two or
        more return a use case they build (`def fetch_user_rule() -> FetchUserRule: return
        FetchUserRule(user_repository=get_user_repository())`), the module builds an
        adapter of another module (`get_user_repository()` returning
        `DjangoUserRepository()`), defines no class and shows no evidence but the
        composition's. Views, commands and jobs beside such helpers take a request or an
        argument, or are decorated, or return no construction: the module stays theirs."""
        facts = self.model.modules.get(module)
        if (
            facts is None
            or facts.classes
            or not facts.functions
            or any(layer not in _FACTORY_EVIDENCE for layer in self._all_evidence(facts))
        ):
            return False
        first_party = self._first_party
        if any(
            function.params
            or function.decorators
            or not function.returned
            or not all(top_package(callee) in first_party for callee in function.returned)
            for function in facts.functions
        ):
            return False
        providers = {
            ref.dotted
            for function in facts.functions
            for layer, ref in self._constructed(function.calls)
            if layer is Layer.APPLICATION and _shaped_like_a_use_case(ref) and ref.dotted in function.returned
        }
        return len(providers) >= 2 and any(
            layer is Layer.INFRASTRUCTURE and ref.facts.module != module and not self._roles.is_exception(ref)
            for layer, ref in self._constructed(every_call(facts))
        )

    def _constructed(self, calls: Iterable[CallFact]) -> Iterator[tuple[Layer | None, ClassRef]]:
        """The first-party classes the calls construct, with the layer their module's name gives."""
        for call in calls:
            if top_package(call.callee) not in self._first_party:
                continue
            found = self.model.find_class(call.callee)
            if found is not None:
                yield name_layer(found[0].module).layer, ClassRef(*found)

    def _generic_container(self, module: str, name: NameLayer) -> bool:
        """Whether a module named like a DI container (`container.py`, `injector.py`) is
        a generic one kept in a helper package (`utils/dependency_injection/`, `lib/`):
        no first-party module it imports is placed by name in a layer, so it wires
        none of the project's objects; the composition root is where it is used."""
        if name.layer is not Layer.COMPOSITION or not _named_by_its_file(module, name):
            return False
        parts = module.split(".")
        if not _HELPER_COMPONENTS.intersection(map(spelled_plainly, parts[:-1])):
            return False
        facts = self.model.modules.get(module)
        return facts is not None and all(
            name_layer(target).layer is None for target in self._imported_modules(facts)
        )

    def _wires_below_composition_root(self, module: str, name: NameLayer) -> bool:
        """Whether a module an outer layer's name places sits below a composition root's
        package (`main/factories/controllers/`, `bootstrap/infra/`) and only builds and
        wires objects (`_only_wires`): the deeper name says what it builds, not where it
        belongs. An empty `__init__` follows the modules of its package."""
        parts = module.split(".")
        if name.component not in parts:
            return False
        deciding = len(parts) - 1 - parts[::-1].index(name.component)
        if not COMPOSITION_ROOT_COMPONENTS.intersection(map(spelled_plainly, parts[:deciding])):
            return False
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        if _is_empty_package(facts):
            inside = [
                self.model.modules[child]
                for child in self._children.get(module, ())
                if self.model.modules[child].classes or self.model.modules[child].functions
            ]
            return bool(inside) and all(self._only_wires(child) for child in inside)
        return self._only_wires(facts)

    def _builds_outside_the_core(self, module: str) -> bool:
        """Whether a module (or, for an empty `__init__`, a module of its package) builds a
        first-party class no inner layer's name places: an adapter, or a helper of no
        layer, handed to what it wires. A factory of entities builds the domain's alone."""
        facts = self.model.modules[module]
        modules = [module, *self._children.get(module, ())] if _is_empty_package(facts) else [module]
        return any(
            layer not in _INNER
            for found in modules
            for layer, _ in self._constructed(every_call(self.model.modules[found]))
        )

    def _only_wires(self, facts: ModuleFacts) -> bool:
        """Whether a module only builds and wires first-party objects: every function (and
        method of its classes) runs straight through (no loop, raise or handler), calls
        only first-party code, built-ins and the standard library, and returns what a
        first-party call gave (`return MachineController(presenter, service)`,
        `return PoolConnection.get_instance()`); at least one call builds a first-party
        class; and the module shows no evidence of a layer but the composition's (no
        route, driver, ORM model, port or use case of its own)."""
        if not all(_constant(assignment.value) for assignment in facts.assignments) or any(
            layer is not Layer.COMPOSITION for layer in self._all_evidence(facts)
        ):
            return False
        functions = [function for _, function in functions_of(facts)]
        if not functions or any(
            function.loops or function.raises or function.handlers or not function.returned
            for function in functions
        ):
            return False
        if not all(top_package(callee) in self._first_party for f in functions for callee in f.returned):
            return False
        # Filling a local list of what it wires (`validations.append(EmailValidation(...))`):
        # a method of a bare local name, not of anything the module imports.
        imported = {bound for fact in facts.imports for bound in fact.bound_as or fact.names} | {
            (fact.alias or fact.target).partition(".")[0] for fact in facts.imports if not fact.names
        }
        calls = [
            call.callee
            for call in every_call(facts)
            if not (
                call.callee.count(".") == 1
                and call.callee.rpartition(".")[2] in _FILLING
                and call.callee.partition(".")[0] not in imported
            )
        ]
        known = self._first_party | self._stdlib
        if not all(top_package(callee) in known or callee in BUILTIN_NAMES for callee in calls):
            return False
        # A constructor, or an alternate one (`Pool.get_instance()`).
        return any(
            self.model.find_class(name) is not None
            for callee in calls
            if top_package(callee) in self._first_party
            for name in (callee, callee.rpartition(".")[0])
            if name
        )

    def _makes_container(self, callee: str) -> bool:
        """Whether calling `callee` builds a DI container: `injector.Injector`, a
        `dependency_injector` container, or a first-party `...Container`/`...Injector`
        class of a module named like a composition root (`pkgs/injector.py`)."""
        if callee in _INJECTORS:
            return True
        found = self.model.find_class(callee) if callee and "?" not in callee else None
        if found is None:
            return False
        facts, cls = found
        if set(self._roles.ancestors(ClassRef(facts, cls))) & _CONTAINER_BASES:
            return True
        return (
            cls.name.endswith(("Container", "Injector"))
            and name_layer(facts.module).layer is Layer.COMPOSITION
        )

    def _runs_a_django_command(self, module: str, name: NameLayer) -> bool:
        """Whether a module that only the unclaimed `commands` name places in the application
        sits in a Django app's `management/commands/` and is written with Django's management
        framework: it defines a command (a class deriving from `BaseCommand`, directly or
        through a first-party base), re-exports one of Django's own (`changepassword.py`), or
        helps the commands beside it (raises `CommandError`). Django runs those modules as
        `manage.py` subcommands: entry points of the process, as `manage.py` is, not CQRS
        command handlers. Another name (`application/`, `cli/`) decides as usual."""
        if not _placed_by_commands_alone(name):
            return False
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        package = module.split(".") if facts.is_package else module.split(".")[:-1]
        if len(package) < 2 or package[-1] != name.component or spelled_plainly(package[-2]) != "management":
            return False
        if _is_empty_package(facts):
            # The empty `commands/__init__.py` goes with the commands Django finds beside it.
            return any(
                self._runs_a_django_command(child, name_layer(child))
                for child in self._children.get(module, ())
            )
        if any(_is_django_management(imported) for imported in _imported_names(facts)):
            return True
        return any(
            _is_django_management(ancestor)
            for cls in facts.classes
            for ancestor in self._roles.ancestors(ClassRef(facts, cls))
        )

    def _declares_cli_commands(self, module: str, name: NameLayer) -> bool:
        """Whether a module that only the unclaimed `commands` name places in the application
        declares commands of a command-line framework: a function decorated by `click`,
        `typer` or `flask.cli` (`@click.argument(...)`), or registered on an app's or a
        blueprint's CLI (`@app.cli.command()`). Those are the commands of a CLI
        (`flask/commands.py`, run as `flask invite-accountant`), the driving side; a CQRS
        command handler that only echoes with `click.echo` stays the application's."""
        if not _placed_by_commands_alone(name):
            return False
        facts = self.model.modules.get(module)
        return facts is not None and any(
            _in_packages(decorator.name, _CLI_FRAMEWORKS) or decorator.name.endswith(".cli.command")
            for _, function in functions_of(facts)
            for decorator in function.decorators
        )

    def _named_for_an_inner_layer(self, module: str, name: NameLayer) -> NameLayer:
        """The package's name for a module (not a package) whose own name, an inner layer's
        (`domain.py`, `application.py`), is all that places it, in a package an outer
        layer's name places; `name` otherwise."""
        facts = self.model.modules.get(module)
        package, _, own = module.rpartition(".")
        if (
            facts is None
            or facts.is_package
            or not package
            or name.component != own
            or spelled_plainly(own) not in INNER_LAYER_NAMES
        ):
            return name
        outer = name_layer(package, as_package=True)
        # Not a flat layout under a root package named like a layer (`api/domain.py` beside
        # `api/infrastructure.py`), nor a composition package (a Django app called `main`).
        if outer.layer not in _WIRED_NAMES or outer.component == module.split(".")[0]:
            return name
        return outer

    def _errors_named_for_their_subject(self, module: str, name: NameLayer) -> bool:
        """Whether a module placed only by its own weak name (`database.py`) sits in a package
        of errors (`shared/exceptions/`) and defines nothing but framework-free exception
        classes: the name says what the errors are about, not where the module belongs.
        One that imports a driver (to wrap its errors) shows that, and keeps its name."""
        parts = module.split(".")
        if (
            len(parts) < 2
            or name.strong
            or name.component != parts[-1]
            or spelled_plainly(parts[-2]) not in _ERROR_NAMES
        ):
            return False
        return self._only_framework_free_errors(module)

    def _errors_of_the_domain(self, module: str) -> bool:
        """Whether a module no name places, in a package of errors or named for them, defines
        nothing but framework-free exception classes that derive from nothing outside the
        domain: every first-party module it imports is placed by no name but the domain's
        and shows no evidence but the domain's (`exceptions/base.py`; not a module whose
        `ApiError` is an `HTTPException`, nor a gateway adapter's). And only in a project
        with a domain of its own, which some name places: a flat app's `exceptions.py`
        makes no domain layer up."""
        if not (
            self._has_a_named_domain
            and any(spelled_plainly(part) in _ERROR_NAMES for part in module.split("."))
            and self._only_framework_free_errors(module)
        ):
            return False
        return all(
            name_layer(target).layer in (None, Layer.DOMAIN)
            and set(self._all_evidence(self.model.modules[target])) <= {Layer.DOMAIN}
            for target in self._imported_modules(self.model.modules[module])
        )

    @cached_property
    def _has_a_named_domain(self) -> bool:
        return any(name_layer(module).layer is Layer.DOMAIN for module in self.model.modules)

    def _only_framework_free_errors(self, module: str) -> bool:
        """Whether a module defines nothing but exception classes (no function of its own)
        and shows nothing else: no framework, driver or HTTP error imported."""
        facts = self.model.modules.get(module)
        if facts is None or not facts.classes or facts.functions:
            return False
        return self._all_evidence(facts) == {Layer.DOMAIN: {DOMAIN_ERRORS}} and all(
            self._roles.is_exception(ClassRef(facts, cls)) for cls in facts.classes if "." not in cls.qualname
        )

    def _maps_persistence(self, module: str, name: NameLayer) -> bool:
        """Whether a module named a mapper outside the infrastructure (`mappers/`) converts
        entities to ORM models: it imports a first-party module defining them and shows
        nothing of the web, neither a request/response model of its own nor an import of
        the web's. Mappers to DTOs stay the web's."""
        if name.layer is not Layer.WEB or spelled_plainly(name.component) not in MAPPER_COMPONENTS:
            return False
        facts = self.model.modules.get(module)
        if facts is None or self._shows(module, Layer.WEB):
            return False
        imported = [(target, self._evidence.get(target)) for target in self._imported_modules(facts)]
        if any(self._stays_web(target, evidence) for target, evidence in imported):
            return False
        return any(evidence is not None and ORM_MODELS in evidence.kinds for _, evidence in imported)

    def _stays_web(self, module: str, evidence: Content | None) -> bool:
        """Whether an imported module is the web's by its name (or, unnamed, by its content),
        and kept there: not a sibling mapper (which says nothing), not DTOs that sit beside
        the use cases (the application's). A domain value object written with Pydantic
        keeps its domain name."""
        name = self._name_layer(module)
        if name.layer is None:
            return evidence is not None and evidence.layer is Layer.WEB
        return (
            name.layer is Layer.WEB
            and spelled_plainly(name.component) not in MAPPER_COMPONENTS
            and not self._beside_use_cases(module, name)
            and not self._exchanged_by_a_port(module, name)
        )

    def _client_side_of_http(self, module: str, name: NameLayer) -> bool:
        """Whether a module is placed in the web by a weak web name (`http`, `api`, `rest`)
        below a strong infrastructure name (the nearest name above it), in a package where
        no module serves requests (none imports an HTTP server framework or shows routes,
        routers or HTTP exceptions: the request and response models of a client are its
        own) and one imports an HTTP client, or derives from a class of a module that does:
        `infra/http/clients/coupons.py` beside `infra/http/transports/httpx.py` is the HTTP
        client of an outbound adapter, as under `adapters/outbound/http/`. Where the package
        serves requests (`infrastructure/api/` with its routes), it is the web's."""
        if name.layer is not Layer.WEB or name.strong:
            return False
        packages = module.split(".")[:-1]
        if name.component not in packages:
            return False
        cut = max(i for i, part in enumerate(packages) if part == name.component)  # the deciding package
        above = name_layer(".".join(packages[:cut]), as_package=True) if cut else NameLayer(None)
        if above.layer is not Layer.INFRASTRUCTURE or not above.strong:
            return False
        package = ".".join(packages[: cut + 1])
        known = self._http_clients.get(package)
        if known is None:
            known = self._http_clients[package] = self._calls_http_without_serving(package)
        return known

    def _calls_http_without_serving(self, package: str) -> bool:
        """`_client_side_of_http`'s test of a package, made once per package."""
        subtree = [self.model.modules[m] for m in self._subtree(package)]
        if any(
            any(_in_packages(imported, _HTTP_SERVER_FRAMEWORKS) for imported in _imported_names(facts))
            for facts in subtree
        ):
            return False  # a Starlette `Route(...)`, a Flask `add_url_rule`: it serves requests
        if any(self._all_evidence(facts).get(Layer.WEB, frozenset()) - {REQUEST_MODELS} for facts in subtree):
            return False
        # The client may be in the base its classes build on (`providers/base_api_client.py`).
        bases = {
            base.name.rpartition(".")[0] for facts in subtree for cls in facts.classes for base in cls.bases
        }
        reached = [*subtree, *(self.model.modules[m] for m in sorted(bases) if m in self.model.modules)]
        return any(_client_packages(facts) & _HTTP_CLIENT_PACKAGES for facts in reached)

    def _beside_use_cases(self, module: str, name: NameLayer) -> bool:
        """Whether a module the web's weak `dtos` name places sits in a feature folder that
        also holds a package of use cases (`user/dtos/` beside `user/use_cases/`): the use
        cases' input and output, the application's. DTOs under a web name (`api/dtos/`)
        are decided by that name, so they stay the web's."""
        if name.layer is not Layer.WEB or spelled_plainly(name.component) not in DTO_COMPONENTS:
            return False
        parts = module.split(".")
        feature = ".".join(parts[: len(parts) - 1 - parts[::-1].index(name.component)])
        return any(
            spelled_plainly(package.rpartition(".")[2]) in USE_CASE_COMPONENTS
            for package in self.packages
            if package.rpartition(".")[0] == feature
        )

    def _exchanged_by_a_port(self, module: str, name: NameLayer) -> bool:
        """Whether a module the web's weak `dtos` name places shows nothing of any layer
        (framework-free records) and a module of ports an inner name places, or none, imports it
        (`contracts/module_port.py` returning `contracts/dtos.py`'s `AuthAccountDto`): what
        the application's ports exchange is the application's, as the use cases' input is.
        Pydantic requests in `dtos/` show the web's evidence, and stay the web's."""
        if name.layer is not Layer.WEB or spelled_plainly(name.component) not in DTO_COMPONENTS:
            return False
        facts = self.model.modules.get(module)
        if facts is None or self._all_evidence(facts):
            return False
        return any(
            (own := self._evidence.get(user)) is not None
            and PORTS in own.kinds
            and self._name_layer(user).layer in (None, *_INNER)
            for user in self._users_of(module)
        )

    def _nearest_strong(self, module: str) -> Content | None:
        parts = module.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            verdict = self.packages.get(".".join(parts[:cut]))
            if verdict is not None and verdict.content is not None:
                return verdict.content
        return None

    def _shows(self, module: str, layer: Layer) -> bool:
        """Whether a module shows any evidence of `layer` (its content layer aside)."""
        return layer in self._all_evidence(self.model.modules[module])

    # ------------------------------------------------------------------ evidence

    def _module_evidence(self, facts: ModuleFacts) -> Content | None:
        found = self._all_evidence(facts)
        if not found:
            return None
        # What a module defines says more than what it imports: a use case that imports a
        # SQLAlchemy `Session` is a use case (with a HEX102), not an adapter. Not an
        # abstract class: next to a driver it is the adapters' own base, not a port.
        layer = max(
            found,
            key=lambda each: (
                len(found[each]),
                len(found[each] - _IMPORTED_KINDS - {PORTS}),
                -_PRECEDENCE.index(each),
            ),
        )
        kinds = frozenset(found[layer])
        return Content(layer, kinds, anchored=int(_anchored(layer, kinds) or self._models_of_routes(facts)))

    def _models_of_routes(self, facts: ModuleFacts) -> bool:
        """Whether a module of request/response models and nothing else (no ORM model
        beside them) is imported by a module of route handlers in its own package's
        subtree (`api/schemas.py`'s `ErrorSchema`, the error body of `api/users/`'s
        routes), or, in a folder of requests or responses (`_ROUTE_MODEL_PACKAGES`), by
        one beside that folder, directly or through its `__init__`
        (`auth/request/login_request.py` used by `auth/auth_resource.py`): the routes' own
        models, which anchor the web as the routes do. Pydantic
        models found anywhere else anchor nothing: the use cases' DTOs of
        `application/dtos/` that routes elsewhere import are still the application's."""
        if self._all_evidence(facts) != {Layer.WEB: frozenset({REQUEST_MODELS})}:
            return False
        package = facts.module.rpartition(".")[0]
        scope, users = package, set(self.model.importers(facts.module))
        # A folder of the routes' requests or responses beside them (`auth/request/` next to
        # `auth/auth_resource.py`), often imported through its `__init__`: the routes' too.
        if spelled_plainly(package.rpartition(".")[2]) in _ROUTE_MODEL_PACKAGES and "." in package:
            scope = package.rpartition(".")[0]
            index = self.model.modules.get(package)
            if index is not None and facts.module in set(self._imported_modules(index)):
                users |= self.model.importers(package)
        return any(user in self._route_modules and user.startswith(scope + ".") for user in users)

    def _all_evidence(self, facts: ModuleFacts) -> Mapping[Layer, frozenset[str]]:
        """Every layer a module shows evidence of, with the kinds of it (computed once)."""
        known = self._kinds_shown.get(facts.module)
        if known is None:
            found = self._collect_evidence(facts)
            known = self._kinds_shown[facts.module] = {
                layer: frozenset(kinds) for layer, kinds in found.items()
            }
        return known

    def framework_free(self, facts: ModuleFacts) -> bool:
        """Whether a module imports nothing but first-party modules, the standard library
        (its backports too), `typing_extensions` and `__future__`."""
        packages = _imported_packages(facts)
        return not (packages - self._first_party - self._stdlib - _DOMAIN_FRIENDLY)

    def _collect_evidence(self, facts: ModuleFacts) -> dict[Layer, set[str]]:
        found: dict[Layer, set[str]] = {}

        def add(layer: Layer, kind: str) -> None:
            found.setdefault(layer, set()).add(kind)

        r = self._roles
        if facts.module in self._route_modules:
            add(Layer.WEB, ROUTES)
        imported = _imported_names(facts)
        # aiohttp's server side counts as no client here (`_client_packages`).
        packages = _client_packages(facts)
        if imported & HTTP_EXCEPTIONS:
            add(Layer.WEB, HTTP_ERRORS)
        # An ORM's import is no driver: a `domain/` written as SQLAlchemy models is not
        # thereby an adapter. Its sessions and engines are.
        # A call that builds a driver's client shows a driver, the standard library's too
        # (`smtplib.SMTP(host)`), where an `import smtplib` alone may only name its errors.
        connects = _connects(facts, packages)
        if (
            packages & (DRIVER_PACKAGES | DATABASE_PACKAGES) - _ORM_PACKAGES
            or imported & DATABASE_CONSTRUCTORS
            or connects
        ):
            add(Layer.INFRASTRUCTURE, DRIVERS)
        for assignment in facts.assignments:
            value = assignment.value
            if value.kind is not ExprKind.CALL or not r.makes_router(value.name):
                continue
            # `app = create_app()` runs the app factory: the composition root's, no router.
            if self._makes_app(value.name):
                add(Layer.COMPOSITION, APP_FACTORY)
            else:
                add(Layer.WEB, ROUTERS)
        if self._runs_an_app_factory(facts) or self._defines_an_app_factory(facts):
            add(Layer.COMPOSITION, APP_FACTORY)
        for kind in self._flask_web(facts):
            add(Layer.WEB, kind)
        for kind in (*_aiohttp_web(facts, self._roles), *_falcon_web(facts), *_chat_bot_web(facts)):
            add(Layer.WEB, kind)
        if self._on_django:
            for kind in self._django_web(facts, imported):
                add(Layer.WEB, kind)
        for function in facts.functions:
            if function.decorated_with(*_CACHE_DECORATORS) and function.returns is not None:
                add(Layer.COMPOSITION, PROVIDERS)
            elif facts.module not in self._route_modules and self._handles_a_message(function):
                add(Layer.APPLICATION, USE_CASES)
        # A class of a module that connects with the standard library's clients is no entity.
        framework_free = self.framework_free(facts) and not connects
        for cls in facts.classes:
            for kind_layer, kind in self._class_evidence(r, ClassRef(facts, cls), framework_free):
                add(kind_layer, kind)
        # `Base = declarative_base()` alone (`models/base.py`) is where the tables are
        # mapped, an ORM model of theirs. Beside an engine or a session it is part of the
        # database module, which its driver already shows: counted there too, it would make
        # two kinds of a `config/database.py` whose `get_db` the routes are handed.
        if Layer.INFRASTRUCTURE not in found and _assigns_a_call_of(facts, ORM_BASE_FACTORIES):
            add(Layer.INFRASTRUCTURE, ORM_MODELS)
        # Abstract classes beside a driver's import that the core does not use are the
        # adapters' bases (a broker kernel's `AbstractRMQPublisher`), not its ports.
        contracts = found.get(Layer.APPLICATION, set())
        if (
            PORTS in contracts
            and DRIVERS in found.get(Layer.INFRASTRUCTURE, set())
            and not self._used_by_the_core(facts.module)
        ):
            remaining = contracts - {PORTS, PORTS_IMPLEMENTED_ELSEWHERE}
            if remaining:
                found[Layer.APPLICATION] = remaining
            else:
                del found[Layer.APPLICATION]
        # The clients it opens and the factory port it fulfils are the wiring's; an ORM
        # model kept there is the infrastructure's, and leaves the module an adapter.
        wiring = found.get(Layer.INFRASTRUCTURE, set())
        if wiring and wiring <= {DRIVERS, IMPLEMENTED_PORTS} and self._a_hand_written_container(facts):
            del found[Layer.INFRASTRUCTURE]
            add(Layer.COMPOSITION, PROVIDERS)
        return found

    def _a_hand_written_container(self, facts: ModuleFacts) -> bool:
        """Whether a module a composition root's name places (`main/ioc.py`) is a container
        written by hand: it builds use cases on the adapters it constructs
        (`_builds_use_cases_on_adapters`), the only clients it imports are databases' and
        HTTP's, whose sessions and clients it opens for those adapters, and each of its
        classes that implements a port builds use cases (the `IoC` fulfilling the web's
        `InteractorFactory`). Such a module shows a driver and a port implemented as
        an adapter does, but it is wiring. A broker's consumer building use cases in its
        handlers, or an adapter class kept beside the container, stays the adapter it is."""
        if self._name_layer(facts.module).layer is not Layer.COMPOSITION:
            return False
        clients = _client_packages(facts) & (DRIVER_PACKAGES | DATABASE_PACKAGES)
        if clients - DATABASE_PACKAGES - _HTTP_CLIENT_PACKAGES:
            return False
        for cls in facts.classes:
            adapts = (Layer.INFRASTRUCTURE, IMPLEMENTED_PORTS) in set(
                self._class_evidence(self._roles, ClassRef(facts, cls), False)
            )
            calls = (call for method in cls.methods for call in method.calls)
            if adapts and not any(layer is Layer.APPLICATION for layer, _ in self._constructed(calls)):
                return False
        return self._builds_use_cases_on_adapters(facts)

    def _used_by_the_core(self, module: str) -> bool:
        """Whether the core imports `module`, itself or through a package that re-exports
        it (tests aside): a module the names of the domain or the application place, or
        one that defines a class shaped like a use case (`_shaped_like_a_use_case`)."""
        return any(
            name_layer(user).layer in _INNER
            or any(
                _shaped_like_a_use_case(ClassRef(self.model.modules[user], cls))
                for cls in self.model.modules[user].classes
            )
            for user in self._users_of(module)
        )

    def _flask_web(self, facts: ModuleFacts) -> Iterator[str]:
        """Flask's web evidence in a module: a blueprint it makes (routers), functions routed
        on a blueprint (`@blueprint.route("/signup", methods=["POST"])`, the blueprint made
        here or imported) and class-based views (`MethodView`, flask-restful's `Resource`)
        (route handlers)."""
        if any(_makes_a_blueprint(a) for a in facts.assignments):
            yield ROUTERS
        routed = any(
            decorator.kind is ExprKind.CALL
            and decorator.name.rpartition(".")[2] in _FLASK_ROUTE_METHODS
            and self._is_flask_router(decorator.name.rpartition(".")[0])
            for function in facts.functions
            for decorator in function.decorators
        )
        views = any(
            set(self._roles.ancestors(ClassRef(facts, cls))) & _FLASK_VIEWS
            or any(base.name in _FLASK_VIEWS for base in cls.bases)
            for cls in facts.classes
        )
        if routed or views:
            yield ROUTES

    @cached_property
    def _root_urlconfs(self) -> frozenset[str]:
        """The modules Django's settings name as the root URLconf (`ROOT_URLCONF = "a.urls"`,
        a string literal), resolved against the project's modules (`_urlconf_names`)."""
        return frozenset(
            name
            for module, facts in self.model.modules.items()
            for assignment in facts.assignments
            if assignment.name == "ROOT_URLCONF" and (target := _literal_text(assignment.value))
            for name in _urlconf_names(module, facts, target)
            if name in self.model.modules
        )

    @cached_property
    def _on_django(self) -> bool:
        """Whether some module of the project imports Django or Django REST framework."""
        return any(_imported_packages(facts) & _DJANGO_PACKAGES for facts in self.model.modules.values())

    def _django_web(self, facts: ModuleFacts, imported: set[str]) -> Iterator[str]:
        """Django's and Django REST framework's web evidence in a module: a URLconf's
        `urlpatterns` or a DRF router it makes (routers), class-based views (`APIView`,
        viewsets, generic views, Django's `View`) and `@api_view` functions (route
        handlers). `imported`: the names the module imports (`_imported_names`)."""
        urlconf = any(name.startswith(_DJANGO_URLS) for name in imported) and any(
            a.name == "urlpatterns" for a in facts.assignments
        )
        if urlconf or _assigns_a_call_of(facts, _DRF_ROUTERS):
            yield ROUTERS
        views = any(
            any(
                _is_django_view(name)
                for name in (*self._roles.ancestors(ClassRef(facts, cls)), *(b.name for b in cls.bases))
            )
            for cls in facts.classes
        )
        routed = any(
            decorator.name in _DRF_ROUTE_DECORATORS
            for function in facts.functions
            for decorator in function.decorators
        )
        if views or routed:
            yield ROUTES

    def _is_flask_router(self, dotted: str) -> bool:
        """Whether a dotted name (`app.api.user.blueprint`) is a module-level name bound to
        a Flask blueprint."""
        module, _, name = dotted.rpartition(".")
        facts = self.model.modules.get(module)
        return facts is not None and any(a.name == name and _makes_a_blueprint(a) for a in facts.assignments)

    def _class_evidence(self, r: Roles, ref: ClassRef, framework_free: bool) -> Iterable[tuple[Layer, str]]:
        ancestry = set(r.ancestors(ref)) | {base.name for base in ref.cls.bases}
        if ancestry & SETTINGS_BASES:
            yield Layer.COMPOSITION, SETTINGS
            return
        if ancestry & _CONTAINER_BASES:
            yield Layer.COMPOSITION, PROVIDERS
            return
        if ancestry & ORM_BASES or any(a.name == "__tablename__" for a in ref.cls.attributes):
            yield Layer.INFRASTRUCTURE, ORM_MODELS
            return
        if r.is_pydantic_model(ref) or ancestry & _DRF_SERIALIZERS:
            yield Layer.WEB, REQUEST_MODELS
            return
        if r.is_exception(ref):
            if framework_free:
                yield Layer.DOMAIN, DOMAIN_ERRORS
            return
        if r.is_data_holder(ref) and not r.is_dataclass(ref):
            return  # enums, named tuples, typed dicts: no layer's own
        if _is_a_middleware(ref.cls):
            return  # handed the app it wraps, it is shaped as a use case, and is none
        if r.is_abstract(ref):
            if not self._is_port(ref):
                return
            yield Layer.APPLICATION, PORTS
            # Implemented in another package, a subpackage included (`repos/implementations/`
            # under the ports of `repos/`); an adapter's own base beside it is not.
            package = ref.facts.module.rpartition(".")[0]
            if any(
                found[0].module.rpartition(".")[0] != package and not is_test_module(found[0].module)
                for found in self._subclasses_found(ref)
            ) or self._implemented_structurally(ref, package):
                yield Layer.APPLICATION, PORTS_IMPLEMENTED_ELSEWHERE
            return
        # A FastAPI dependency class (`JWTBearer(HTTPBearer)`, a `__call__(self, request:
        # Request)` reading `request.state`) resolves something for a route: no use case.
        if _reads_the_request(ref, ancestry):
            return
        implemented = [
            a
            for a in r.first_party_ancestors(ref)
            if r.is_abstract(a) and not r.is_dataclass(a) and not _MODEL_BASE.search(a.cls.name)
        ]
        # Only the core's own code implements a use case's contract: a class in a module
        # that no outer name places and that imports no driver, ORM or web framework, handed
        # first-party collaborators (`DbAddAccount(hasher: Hasher)`). One over a library, or
        # filed under `adapters/`, implements a port, and so does one handed only values
        # (`CsvPriceFeed(path: Path)`).
        contract = (
            any(_a_use_case_contract(base) for base in implemented)  # the rare part first
            and self._name_layer(ref.facts.module).layer in (None, *_INNER)
            and not _imported_packages(ref.facts) & (_PERSISTENCE_PACKAGES | _HTTP_SERVER_FRAMEWORKS)
            and self._handed_first_party(ref)
        )
        use_case = _named_like_a_use_case(ref) or contract
        if use_case and self._takes_collaborators(ref) and not self._adapts_a_client(ref, implemented):
            yield Layer.APPLICATION, USE_CASES
            # The contract of a use case kept with the use cases (`domain/usecases/`) says
            # so as well as the class's own shape does: a module of one such class is
            # placed by itself (`data/add_account/db_add_account.py`).
            if contract:
                yield Layer.APPLICATION, USE_CASE_CONTRACTS
            return
        if not implemented and not framework_free:
            # A protocol is implemented without deriving from it: a class over a library
            # with every method of a first-party protocol of another module (`class
            # SqliteConfigRepo` with `get` and `save` of `IConfigRepo(Protocol)`).
            implemented = self._protocols_fulfilled(ref)
        if implemented and not self._controller_of_the_web(ref, implemented):
            yield Layer.INFRASTRUCTURE, IMPLEMENTED_PORTS
            return
        behaviour = any(
            method.name == "__post_init__" or not method.name.startswith("__") for method in ref.cls.methods
        )
        if framework_free and behaviour and "." not in ref.cls.qualname:
            yield Layer.DOMAIN, ENTITIES

    def _is_port(self, ref: ClassRef) -> bool:
        """Whether an abstract class is a port: not a dataclass or a model base, and not
        the adapters' own base. An abstract class whose own methods call a driver or an ORM
        is that base (a `StandardAlchemyRepository`, a broker component); a port with
        template methods beside its SQL implementation (an `AbstractUnitOfWork`) stays one.
        One whose methods take or give the HTTP framework's request or response
        (`run(req: Request) -> JSONResponse`), or the team's own kept in the web
        (`route(http_request: HttpRequest) -> HttpResponse`, `_own_http_message`), is the
        controllers' base, the web's own contract (a port taking an `UploadFile` is still a
        port); so is one whose every
        concrete subclass is a controller of the web (`_controller_of_the_web`)."""
        known = self._ports.get(ref.dotted)
        if known is None:
            known = self._ports[ref.dotted] = self._judge_port(ref)
        return known

    def _judge_port(self, ref: ClassRef) -> bool:
        if self._roles.is_dataclass(ref) or _MODEL_BASE.search(ref.cls.name):
            return False
        concrete = [
            each
            for each in (ClassRef(*found) for found in self._subclasses_found(ref))
            if not self._roles.is_abstract(each)
        ]
        if concrete and all(self._controller_of_the_web(each, [ref]) for each in concrete):
            return False
        if any(
            _framework_message(name, ("Request", "Response")) or self._own_http_message(name)
            for method in ref.cls.methods
            for annotation in (method.returns, *(param.annotation for param in method.params))
            if annotation is not None
            for name in annotation.names()
        ):
            return False
        return not any(
            top_package(call.callee) in _PERSISTENCE_PACKAGES
            for method in ref.cls.methods
            if not is_abstract_method(method)
            for call in method.calls
        )

    def _own_http_message(self, name: str) -> bool:
        """Whether a name is the team's own HTTP request or response for its controllers:
        a first-party `HttpRequest`/`HttpResponse` that a web name places
        (`presenters/helpers/http_models.py`). One kept with the core's ports is what an
        outbound HTTP client's port exchanges (`HttpClient.request(req: HttpRequest)`)."""
        module, _, short = name.rpartition(".")
        return (
            _OWN_HTTP_MESSAGE.fullmatch(short) is not None
            and top_package(name) in self._first_party
            and self._name_layer(module).layer is Layer.WEB
        )

    def _handed_first_party(self, ref: ClassRef) -> bool:
        """Whether a class's `__init__` is handed an instance of a first-party class."""
        init = ref.cls.method("__init__")
        return init is not None and any(
            self._roles.ref(name) is not None
            for param in init.params[1:]
            if param.annotation is not None
            for name in param.annotation.names()
        )

    def _controller_of_the_web(self, ref: ClassRef, implemented: list[ClassRef]) -> bool:
        """Whether a class deriving from the abstract classes `implemented` is a controller
        of the web, no adapter: FastAPI builds it for a route (its `__init__` takes a
        parameter resolved by `Depends(...)`: `UserCreatorController(request:
        NewUserRequest, crud_case: UserCrudCase = Depends(get_crud_case))`), its module
        touches no driver or ORM, and the core uses none of those bases (a repository of
        the core's port built with `session=Depends(get_session)` is still an adapter)."""
        init = ref.cls.method("__init__")
        return (
            init is not None
            and any(is_dependency_call(param.default) for param in init.params)
            and not _imported_packages(ref.facts) & _PERSISTENCE_PACKAGES
            and not any(self._used_by_the_core(base.facts.module) for base in implemented)
        )

    def _adapts_a_client(self, ref: ClassRef, implemented: list[ClassRef]) -> bool:
        """Whether a class shaped like a use case is a client's adapter, whatever its name
        says (`EmailService(IEmailService)` over `httpx`): it implements a port other than
        an abstract use case (`ICreateOrderUseCase`, `CommandHandler`), its module imports
        a client driver, and it is handed no port (a use case handed its repository that
        also calls `httpx` is a use case, with a HEX102)."""
        init = ref.cls.method("__init__")
        return (
            any(not _USE_CASE_CONTRACT.search(base.cls.name) for base in implemented)
            and bool(_client_packages(ref.facts) & DRIVER_PACKAGES)
            and not (init is not None and any(self._is_port_type(param.annotation) for param in init.params))
        )

    @cached_property
    def _protocols(self) -> tuple[tuple[ClassRef, frozenset[str]], ...]:
        """The first-party protocols of two methods or more (dunders aside), with them: one
        method (`execute`, `__call__`) is too common a name to say what a class fulfils."""
        found = []
        for module, facts in sorted(self.model.modules.items()):
            if is_test_module(module):
                continue
            for cls in facts.classes:
                ref = ClassRef(facts, cls)
                methods = frozenset(m.name for m in cls.methods if not m.name.startswith("__"))
                if len(methods) >= 2 and self._roles.is_protocol(ref):
                    found.append((ref, methods))
        return tuple(found)

    def _protocols_fulfilled(self, ref: ClassRef) -> list[ClassRef]:
        """The first-party protocols of other modules whose every method the class defines."""
        own = {method.name for method in ref.cls.methods}
        return [
            protocol
            for protocol, methods in self._protocols
            if protocol.facts.module != ref.facts.module
            and methods <= own
            and not self._roles.is_protocol(ref)
        ]

    @cached_property
    def _fulfilled_by(self) -> dict[str, list[ClassRef]]:
        """Each first-party protocol (`_protocols`), with the concrete classes outside tests,
        in modules over a library, that fulfil it without deriving from it
        (`_protocols_fulfilled`)."""
        found: dict[str, list[ClassRef]] = {}
        if not self._protocols:
            return found
        for module, facts in sorted(self.model.modules.items()):
            if is_test_module(module):
                continue
            # As on the adapters' side (`_module_evidence`): a class over a library or a
            # client of the standard library's, never a framework-free one (an entity whose
            # `get` and `keys` match by chance).
            if self.framework_free(facts) and not _connects(
                facts, {top_package(n) for n in _imported_names(facts)}
            ):
                continue
            for cls in facts.classes:
                ref = ClassRef(facts, cls)
                r = self._roles
                if r.is_abstract(ref) or (r.is_data_holder(ref) and not r.is_dataclass(ref)):
                    continue  # another contract, or a record, with the same methods fulfils nothing
                for protocol in self._protocols_fulfilled(ref):
                    found.setdefault(protocol.dotted, []).append(ref)
        return found

    def _implemented_structurally(self, ref: ClassRef, package: str) -> bool:
        """Whether a protocol port is implemented the way protocols are, without naming it,
        by a class of another package (`SQLAEventRepository` with `save_all` and
        `find_recent` for `app/persistence/`'s `EventRepository(Protocol)`)."""
        return any(
            other.facts.module.rpartition(".")[0] != package
            for other in self._fulfilled_by.get(ref.dotted, ())
        )

    def _subclasses_found(self, ref: ClassRef) -> list[tuple[ModuleFacts, ClassFact]]:
        """The first-party classes deriving from `ref`, transitively, that the tree defines."""
        return [
            found
            for found in map(self.model.find_class, self.model.subclasses(ref.dotted))
            if found is not None
        ]

    def _is_port_type(self, annotation: Expr | None) -> bool:
        """Whether an annotation names first-party ports and nothing else (`Optional` and
        the like aside): `uow: AbstractUnitOfWork`, `_cache: TradingAssetCache`."""
        if annotation is None:
            return False
        names = [
            name
            for name in annotation.names()
            if name and "?" not in name and name != "None" and not name.startswith(_TYPING_PREFIXES)
        ]
        refs = [self._roles.ref(name) for name in names]
        return bool(refs) and all(
            ref is not None and self._roles.is_abstract(ref) and self._is_port(ref) for ref in refs
        )

    def _handles_a_message(self, function: FunctionFact) -> bool:
        """Whether a module-level function is a use case written as a function: its first
        parameter is a first-party command, query or event (`cmd: LoginCommand`) and another is
        a port it is handed (`uow: UnitOfWork`), as message buses call their handlers."""
        params = function.params
        if len(params) < 2 or params[0].annotation is None:
            return False
        message = self._roles.ref(params[0].annotation.name) if params[0].annotation.name else None
        if message is None or not self._is_a_message(message):
            return False
        return any(self._is_port_type(param.annotation) for param in params[1:])

    def _is_a_message(self, ref: ClassRef) -> bool:
        """Whether a class is a bus's message: named as a command or query, or as an event
        that is frozen or kept with the messages (`events.py`, `commands/`); a mutable
        `ConcertEvent` elsewhere is an entity of a concerts business."""
        name = ref.cls.name
        if name.endswith(("Command", "Query")):
            return True
        if not name.endswith("Event"):
            return False
        parts = set(ref.facts.module.split(".")[1:])
        return is_frozen_dataclass(ref) or bool(parts & _MESSAGE_MODULES)

    def _takes_collaborators(self, ref: ClassRef) -> bool:
        """Whether a class is handed its collaborators: parameters of its `__init__`, or,
        for a dataclass, fields typed with ports (`@dataclass class Handler: _uow:
        UnitOfWork`). A dataclass of plain values is a command or a record."""
        if not self._roles.is_dataclass(ref):
            init = ref.cls.method("__init__")
            return init is not None and len(init.params) > 1
        return any(self._is_port_type(attribute.annotation) for attribute in ref.cls.attributes)

    def _runs_an_app_factory(self, facts: ModuleFacts) -> bool:
        """Whether a module builds the app anywhere: `FastAPI(...)`, or a call of a
        first-party factory that gives it, in a function too (`app = await
        bootstrap(settings)` before serving it, `return create_app(container)` in the
        factory a server is pointed at): a launcher of the app is the composition root's."""
        return any(
            call.callee in _APPS
            or (top_package(call.callee) in self._first_party and self._makes_app(call.callee))
            for call in every_call(facts)
        )

    def _defines_an_app_factory(self, facts: ModuleFacts) -> bool:
        """Whether a module defines the factory a server is pointed at (`uvicorn
        app.entrypoint:create_app --factory`): a module-level function annotated to return
        the app itself (not `Callable[[FastAPI], ...]`, a lifespan factory's), however it
        gets it (`return PaymentApi.from_env().app`), and handed nothing of the web
        framework's: neither an app it assembles (`init_rest_api(app: FastAPI) -> FastAPI`
        includes the routers in it) nor a request it takes the app from (`get_app(request:
        Request) -> FastAPI`)."""
        return any(
            function.returns is not None
            and function.returns.kind is ExprKind.NAME
            and function.returns.name in _APPS
            and not any(
                name in _APPS or _in_packages(name, _HTTP_SERVER_FRAMEWORKS)
                for param in function.params
                if param.annotation is not None
                for name in param.annotation.names()
            )
            for function in facts.functions
        )

    def _makes_app(self, callee: str) -> bool:
        """Whether calling `callee` gives the FastAPI app itself: `FastAPI`, or a first-party
        factory annotated to return it, or whose every `return` gives it."""
        known = self._app_makers.get(callee)
        if known is None:
            known = self._app_makers[callee] = self.model.factory_gives(
                callee, _APPS.__contains__, _APPS.__contains__
            )
        return known

    @cached_property
    def _route_modules(self) -> frozenset[str]:
        return frozenset(self._routes_by_module)

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        """The modules and packages directly inside each package, in sorted order."""
        found: dict[str, list[str]] = {}
        for module in sorted(self.model.modules):
            found.setdefault(module.rpartition(".")[0], []).append(module)
        return {package: tuple(children) for package, children in found.items()}

    @cached_property
    def _routes_by_module(self) -> dict[str, list[RouteHandler]]:
        grouped: dict[str, list[RouteHandler]] = {}
        for handler in self._roles.route_handlers:
            grouped.setdefault(handler.facts.module, []).append(handler)
        return grouped

    @cached_property
    def _first_party(self) -> frozenset[str]:
        return frozenset(module.partition(".")[0] for module in self.model.modules)

    @cached_property
    def _stdlib(self) -> frozenset[str]:
        import sys

        return frozenset(sys.stdlib_module_names)


# The last path segment of a health, readiness or metrics probe, or of the API's own
# description (`/spec`, `/openapi.json`), without `-`, `_` or a Kubernetes-style trailing
# `z` (`/health-check`, `/healthz`, `/readiness`): operational routes, no business.
_PROBE_SEGMENTS = frozenset(
    {"health", "healthcheck", "ready", "readiness", "live", "liveness", "alive", "ping", "metrics", "status"}
    | {"spec", "openapi", "openapi.json", "swagger", "swagger.json", "version"}
)


def _builds_a_flask_app(facts: ModuleFacts) -> bool:
    """Whether a module builds a Flask app (`Flask(__name__)`) and registers blueprints on it
    (`app.register_blueprint(...)`): Flask's app factory, whose business routes are in the
    blueprints it registers (the `@app.route("/health")` it may declare inline is not read
    as a route). Without a blueprint it may be a one-file service, its routes on that app;
    with business routes declared inline (`@app.route("/orders", methods=["POST"])`) it is
    the web's, as a FastAPI `create_app()` declaring them is."""
    calls = [call.callee for call in every_call(facts)]
    return (
        any(callee in _FLASK_APPS for callee in calls)
        and any(callee.rpartition(".")[2] == "register_blueprint" for callee in calls)
        and all(_is_probe_path(path) for path in _flask_route_paths(facts))
    )


_DJANGO_APP_CONFIGS = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
_HTTP_MIDDLEWARE_BASES = frozenset({"starlette.middleware.base.BaseHTTPMiddleware"})


def _param_names(function: FunctionFact | None) -> tuple[str, ...]:
    return () if function is None else tuple(param.name for param in function.params)


def _defines_a_middleware(facts: ModuleFacts) -> bool:
    """Whether a module defines HTTP middleware and no other top-level class: classes
    deriving from Starlette's `BaseHTTPMiddleware`, or shaped as one (`dispatch(self,
    request, call_next)`), as an ASGI middleware (`__call__(self, scope, receive, send)` on
    the `app` its `__init__` wraps) or as Django's (`__call__(self, request)` on the
    `get_response` its `__init__` takes). A logging module with a request-id middleware
    beside its formatters is logging's."""
    classes = [cls for cls in facts.classes if "." not in cls.qualname]
    return bool(classes) and all(_is_a_middleware(cls) for cls in classes)


def _answers_a_request(function: FunctionFact) -> bool:
    """Whether a function answers an HTTP request: it takes the server framework's
    request first, by its type, and answers with the framework's response, as its return
    type or a call. Outside the routes, that is an exception handler (`handle(request:
    Request, exc: AppError) -> JSONResponse`), a function middleware (`add_request_id(
    request: Request, call_next) -> Response`) or a helper answering for a route. Types
    are read through `Optional` and unions, not inside containers (a `list[Request]` is
    no request); a response is a framework class whose name ends in `Response`, and the
    calls include those of inner functions."""
    params = function.params
    if not params:
        return False
    answers = (*_types_given(function.returns), *(call.callee for call in function.calls))
    return any(_framework_message(name, "Request") for name in _types_given(params[0].annotation)) and any(
        _framework_message(name, "Response") for name in answers
    )


def _types_given(annotation: Expr | None) -> Iterator[str]:
    """The classes an annotation gives its value, through `Optional[X]` and unions
    (`X | None`), not what a container holds (`list[X]`)."""
    if annotation is None:
        return
    union = union_members(annotation)
    if union is not None:
        for member in union[0]:
            yield from _types_given(member)
    elif annotation.kind in (ExprKind.NAME, ExprKind.SUBSCRIPT):
        yield annotation.name


def _registers_request_hooks(function: FunctionFact) -> bool:
    """Whether a function calls or decorates with a registrar of exception handlers or
    middleware (`app.add_exception_handler(AppError, handle)`, `app.add_middleware(...)`,
    `@app.exception_handler(AppError)` on a function inside: a function's calls hold its
    inner functions' calls and their decorators)."""
    return any(call.callee.rpartition(".")[2] in _REQUEST_HOOK_REGISTRARS for call in function.calls)


def _framework_message(name: str, suffix: str | tuple[str, ...]) -> bool:
    """Whether a resolved name is an HTTP server framework's request or response class
    (`starlette.requests.Request`, `fastapi.responses.JSONResponse`)."""
    return _in_packages(name, _HTTP_SERVER_FRAMEWORKS) and name.endswith(suffix)


def _is_a_middleware(cls: ClassFact) -> bool:
    call = _param_names(cls.method("__call__"))
    wraps = _param_names(cls.method("__init__"))[1:2]
    return (
        any(base.name in _HTTP_MIDDLEWARE_BASES for base in cls.bases)
        or _param_names(cls.method("dispatch"))[1:3] == ("request", "call_next")
        or (call[1:4] == ("scope", "receive", "send") and wraps == ("app",))
        or (call[1:] == ("request",) and wraps == ("get_response",))
    )


def _registers_a_django_app(facts: ModuleFacts | None) -> bool:
    """Whether a module defines Django app configurations and nothing else: no function,
    and no class that is not an `AppConfig`."""
    return (
        facts is not None
        and bool(facts.classes)
        and not facts.functions
        and all(any(base.name in _DJANGO_APP_CONFIGS for base in cls.bases) for cls in facts.classes)
    )


def _urlconf_names(settings: str, facts: ModuleFacts, target: str) -> Iterator[str]:
    """The module names a dotted name in Django's settings may have in the project: as
    written; below each package around the settings (`backend.config.urls` for
    `config.urls`, Django run from `backend/`); and without the leading components that
    name the settings' own import root (`urls` for `config.urls` where `config/` is a root
    of its own, its modules then named `settings`, `urls`)."""
    yield target
    packages = settings.split(".")[:-1]
    for depth in range(1, len(packages) + 1):
        yield ".".join((*packages[:depth], target))
    # The settings' import root: its file's folder, up as many levels as its name has
    # components (one more for a package's `__init__.py`).
    levels = settings.count(".") + (1 if facts.is_package else 0)
    parents = PurePath(facts.path).parents
    root = parents[levels].parts if levels < len(parents) else ()
    components = target.split(".")
    for cut in range(1, len(components)):
        if root[-cut:] == tuple(components[:cut]):
            yield ".".join(components[cut:])


def _enters_django(facts: ModuleFacts) -> bool:
    """Whether a module is one of Django's entry points: it builds the WSGI or ASGI application
    (`application = get_wsgi_application()`) or runs the management commands
    (`execute_from_command_line(sys.argv)` in `manage.py`), as `app = FastAPI()` builds the app."""
    return any(call.callee in _DJANGO_ENTRY_CALLS for call in every_call(facts))


def _flask_route_paths(facts: ModuleFacts) -> Iterator[str]:
    """The paths of a module's inline Flask routes (`@app.route(path)`, `@app.get(path)`),
    in functions nested in its app factory too; a path not written as a literal is no
    probe's (an empty string)."""
    for function in all_functions(facts.functions):
        for decorator in function.decorators:
            if decorator.kind is ExprKind.CALL and decorator.name.rpartition(".")[2] in _FLASK_ROUTE_METHODS:
                first = decorator.args[:1]
                yield (_literal_text(first[0]) if first else None) or ""


def _aiohttp_web(facts: ModuleFacts, roles_: Roles) -> Iterator[str]:
    """aiohttp's web evidence in a module: a route table it makes (routers), and functions
    or methods that take aiohttp's request and class-based views (route handlers)."""
    if "aiohttp" not in _imported_packages(facts):
        return
    if _assigns_a_call_of(facts, _AIOHTTP_ROUTERS):
        yield ROUTERS
    handlers = _takes_one_of(facts, _AIOHTTP_REQUESTS)
    views = any(set(roles_.ancestors(ClassRef(facts, cls))) & _AIOHTTP_VIEWS for cls in facts.classes)
    if handlers or views:
        yield ROUTES


def _falcon_web(facts: ModuleFacts) -> Iterator[str]:
    """Falcon's web evidence in a module: resources, whose responders (`on_get`,
    `on_post_new`) take `req` and `resp` (route handlers)."""
    if "falcon" in _imported_packages(facts) and any(
        _FALCON_RESPONDER.fullmatch(method.name) and [p.name for p in method.params[1:3]] == ["req", "resp"]
        for cls in facts.classes
        for method in cls.methods
    ):
        yield ROUTES


def _chat_bot_web(facts: ModuleFacts) -> Iterator[str]:
    """An aiogram bot's driving-side evidence in a module: a router it makes (routers), and
    functions or methods taking the update a handler is given, a `Message`, a
    `CallbackQuery` or an `InlineQuery` (route handlers). A notifier that sends through
    the bot is handed no update."""
    if _assigns_a_call_of(facts, _CHAT_BOT_ROUTERS):
        yield ROUTERS
    if _takes_one_of(facts, _CHAT_BOT_UPDATES):
        yield ROUTES


def _assigns_a_call_of(facts: ModuleFacts, callees: frozenset[str]) -> bool:
    """Whether a module-level name of the module is bound to a call of one of `callees`
    (`router = Router()`, `Base = declarative_base()`)."""
    return any(a.value.kind is ExprKind.CALL and a.value.name in callees for a in facts.assignments)


def _takes_one_of(facts: ModuleFacts, types: frozenset[str]) -> bool:
    """Whether a function or method of the module has a parameter annotated with one of
    `types` (a handler taking aiohttp's `Request`, aiogram's `Message`)."""
    return any(
        bool(set(param.annotation.names()) & types)
        for _, function in functions_of(facts)
        for param in function.params
        if param.annotation is not None
    )


def _directly_below_a_composition_root(module: str, name: NameLayer) -> bool:
    """Whether the inner name that places a module sits right below a composition root's
    package that is neither the project's root package (a Django app called `main`) nor a
    business's word (a shipping context's `container/`): `src/main/usecases/`."""
    parts = [spelled_plainly(part) for part in module.split(".")]
    component = spelled_plainly(name.component)
    if component not in parts:
        return False
    at = parts.index(component)
    return at >= 2 and parts[at - 1] in COMPOSITION_ROOT_COMPONENTS - _BUSINESS_WORDS


def _constant(value: Expr) -> bool:
    """A literal, or a list, tuple, set or dict display of literals (`fields = ["email"]`)."""
    if value.kind is ExprKind.LITERAL:
        return True
    return value.kind in (ExprKind.COLLECTION, ExprKind.MAPPING) and all(
        _constant(item) for item in value.args
    )


def _holds_nothing_of_its_own(package: str, facts: ModuleFacts) -> bool:
    """Whether a package's `__init__` defines, calls and assigns nothing (`__all__` aside)
    and imports only its own modules: what it holds is its modules'."""
    return (
        not (facts.classes or facts.functions or facts.calls)
        and all(assignment.name == "__all__" for assignment in facts.assignments)
        and all(fact.target == package or fact.target.startswith(package + ".") for fact in facts.imports)
    )


def _is_empty_package(facts: ModuleFacts) -> bool:
    """A package's `__init__` with no code: it goes with the modules inside it."""
    return facts.is_package and not (facts.classes or facts.functions or facts.assignments or facts.calls)


def _is_probe(handler: RouteHandler) -> bool:
    """Whether a route's path, as written in its decorator or `add_api_route` call, ends
    in a probe's segment."""
    if handler.registration is not None:
        written = handler.registration.args[:1]
    else:
        written = tuple(
            decorator.args[0]
            for decorator in handler.function.decorators
            if decorator.kind is ExprKind.CALL
            and decorator.name.startswith(handler.router + ".")
            and decorator.args
        )
    paths = [path for path in map(_literal_text, written) if path is not None]
    return bool(paths) and all(_is_probe_path(path) for path in paths)


def _greets_at_the_root(handler: RouteHandler) -> bool:
    """Whether a route answers the root path (`/`) with what it holds, calling nothing
    (`return {"message": "IntelliPost API", "version": "1.0.0"}`): the API's greeting, no
    page of the business (an index that queries posts calls the ORM)."""
    decorators = [
        decorator.args[0]
        for decorator in handler.function.decorators
        if decorator.kind is ExprKind.CALL
        and decorator.name.startswith(handler.router + ".")
        and decorator.args
    ]
    paths = [_literal_text(path) for path in decorators]
    return (
        bool(paths)
        and all(path is not None and not path.strip("/") for path in paths)
        and not handler.function.calls
    )


def _adds_a_probe(call: CallFact) -> bool:
    """Whether a route-adding call (`app.add_url_rule("/health", ...)`) adds a probe."""
    keywords = dict(call.keywords)
    written = call.args[0] if call.args else keywords.get("rule", keywords.get("path"))
    path = None if written is None else _literal_text(written)
    return path is not None and _is_probe_path(path)


def _literal_text(expr: Expr) -> str | None:
    """The text of a string literal (`"/health"`), else None."""
    return expr.name.strip("\"'") if expr.kind is ExprKind.LITERAL else None


def _named_by_its_file(module: str, name: NameLayer) -> bool:
    """Whether the name that places `module` is its own file name (`settings.py`,
    `main/dependencies/application.py`), the weakest of a module's names."""
    return name.component == module.rpartition(".")[2]


def _is_probe_path(path: str) -> bool:
    """Whether a route's path ends in a probe's segment (`/health-check`, `/healthz`) and
    names no resource: `/jobs/{job_id}/status` (or Flask's `<job_id>`) is a job's status,
    a page of the business."""
    if "{" in path or "<" in path:
        return False
    segment = path.rstrip("/").rpartition("/")[2]
    return segment.replace("-", "").replace("_", "").lower().removesuffix("z") in _PROBE_SEGMENTS


def _defines_the_app_lifespan(facts: ModuleFacts | None) -> bool:
    """Whether a module defines an `@asynccontextmanager` function whose first parameter
    is the web app (`async def lifespan(app: FastAPI)`)."""
    return facts is not None and any(
        function.decorated_with("contextlib.asynccontextmanager")
        and function.params
        and function.params[0].annotation is not None
        and bool(set(function.params[0].annotation.names()) & _APPS)
        for function in facts.functions
    )


def _reads_the_request(ref: ClassRef, ancestry: set[str]) -> bool:
    """Whether a class derives from FastAPI's or Starlette's classes (a security scheme),
    or has a method that takes the framework's `Request`, or a method FastAPI calls with
    what it resolves (`RoleChecker.__call__(self, user: User = Depends(current_user))`:
    a dependency class). A constructor taking its collaborators through `Depends` is a use
    case's that FastAPI builds."""
    if any(top_package(name) in _WEB_FRAMEWORKS for name in ancestry):
        return True
    return any(
        (param.annotation is not None and set(param.annotation.names()) & REQUEST_CLASSES)
        or (method.name != "__init__" and is_dependency_call(param.default))
        for method in ref.cls.methods
        for param in method.params
    )


def _makes_a_blueprint(assignment: AssignmentFact) -> bool:
    """`blueprint = Blueprint("user", __name__)` (or flask-smorest's, flask-restx's `Namespace`)."""
    return assignment.value.kind is ExprKind.CALL and assignment.value.name in _FLASK_ROUTERS


def _bound_names(module: str, bound: Expr) -> set[str]:
    """The classes a `TypeVar`'s `bound=` names; a string (`bound="AppSettings"`, written
    before the class) names a class of the module itself."""
    if bound.kind is ExprKind.LITERAL and bound.name:
        return {f"{module}.{bound.name}"}
    return set(bound.names())


def _at_the_request_edge(facts: ModuleFacts) -> bool:
    """Whether a module is code of the request's edge: it imports FastAPI or Starlette (a
    dependency, `HTTPBearer`, `Request`), or Flask's request-scoped names."""
    imported = _imported_names(facts)
    return bool(imported & _FLASK_REQUEST) or any(top_package(name) in _WEB_FRAMEWORKS for name in imported)


def _imported_packages(facts: ModuleFacts) -> set[str]:
    """The top-level packages a module imports by absolute name (`httpx`, `sqlalchemy`)."""
    return {name.partition(".")[0] for name in _imported_names(facts)}


def _client_packages(facts: ModuleFacts) -> set[str]:
    """The top-level packages a module imports, aiohttp left out where the module takes
    only its server side (`from aiohttp import web`, `aiohttp.web_request`): aiohttp is a
    web framework as well as an HTTP client, and a request handler is no client."""
    packages = _imported_packages(facts)
    if "aiohttp" in packages and _aiohttp_server_side_only(facts):
        packages.discard("aiohttp")
    return packages


def _aiohttp_server_side_only(facts: ModuleFacts) -> bool:
    """Whether every import of aiohttp names its web server (`aiohttp.web...`); a bare
    `import aiohttp` may be either side."""
    for fact in facts.imports:
        if fact.level or not fact.target or fact.target.partition(".")[0] != "aiohttp":
            continue
        if fact.target == "aiohttp":
            if not fact.names or not all(name.startswith("web") for name in fact.names):
                return False
        elif not fact.target.startswith("aiohttp.web"):
            return False
    return True


def _is_django_view(name: str) -> bool:
    """Whether a base is a class-based view of Django or Django REST framework."""
    return name == "rest_framework.views.APIView" or name.startswith(_DJANGO_VIEW_PREFIXES)


def _connects(facts: ModuleFacts, packages: set[str]) -> bool:
    """Whether a module builds a driver's client, the standard library's too
    (`sqlite3.connect(...)`, `smtplib.SMTP(host)`). `packages`: the top-level packages it
    imports."""
    return bool(packages & _CONSTRUCTOR_PACKAGES) and any(
        call.callee in DRIVER_CONSTRUCTORS for call in every_call(facts)
    )


def _reading_the_environment(facts: ModuleFacts) -> set[str]:
    """The module's classes whose attributes read the environment (`DEBUG =
    os.getenv("DEBUG")`), and those deriving only from such classes of the module (a
    `ProductionConfig(Config)` that sets `DEBUG = False`)."""
    module = facts.module
    found = {
        cls.qualname
        for cls in facts.classes
        if any(
            attribute.value is not None and not _ENVIRONMENT_READS.isdisjoint(attribute.value.names())
            for attribute in cls.attributes
        )
    }
    for cls in facts.classes:  # bases come first in a module
        bases = [base.name.removeprefix(f"{module}.") for base in cls.bases]
        if bases and all(base in found for base in bases):
            found.add(cls.qualname)
    return found


def _built_from_the_environment(facts: ModuleFacts) -> set[str]:
    """The module's classes that a function of the module returns after reading the
    environment, itself or through another of its functions (`get_settings()` building
    `Settings(db_path=_getenv("DB_PATH"))`): plain settings classes."""
    module = facts.module
    reading = {
        f"{module}.{function.name}"
        for function in facts.functions
        if any(call.callee in _ENVIRONMENT_READS for call in function.calls)
    }
    classes = {f"{module}.{cls.qualname}": cls.qualname for cls in facts.classes}
    found: set[str] = set()
    for function in facts.functions:
        if not any(call.callee in _ENVIRONMENT_READS or call.callee in reading for call in function.calls):
            continue
        gives = function.returns.names() if function.returns is not None else function.returned
        found.update(classes[name] for name in gives if name in classes)
    return found


def _method_of_held_value(facts: ModuleFacts, callee: str) -> bool:
    """Whether a call is a method of a value the module holds (`ENV_MAP.get(ENVIRONMENT)`,
    resolved as `core.config.ENV_MAP.get`): the calls that built the value are the
    module's own, checked where they stand."""
    prefix = f"{facts.module}."
    if not callee.startswith(prefix):
        return False
    name, dot, _ = callee.removeprefix(prefix).partition(".")
    return bool(dot) and any(assignment.name == name for assignment in facts.assignments)


def _imported_names(facts: ModuleFacts, *, relative: bool = False) -> set[str]:
    """Every name a module imports by absolute name: `a.b` and, for `from a.b import c`,
    `a.b.c`; with `relative`, also what `from .b import c` names, resolved (first-party
    names only, so never where a library is looked for)."""
    found: set[str] = set()
    for fact in facts.imports:
        if (fact.level and not relative) or not fact.target:
            continue
        found.add(fact.target)
        found.update(f"{fact.target}.{name}" for name in fact.names)
    return found


def _placed_by_commands_alone(name: NameLayer) -> bool:
    """Whether the unclaimed `commands` name is what places a module in the application."""
    return name.layer is Layer.APPLICATION and spelled_plainly(name.component) == "commands"


def _is_django_management(name: str) -> bool:
    """Whether a name is Django's management framework (`django.core.management.BaseCommand`,
    `...base.BaseCommand`, `CommandError`, `call_command`) or a command of one of Django's
    own apps (`django.contrib.auth.management.commands.changepassword.Command`, which a
    project's `changepassword.py` re-exports to override it)."""
    parts = name.split(".")
    return parts[0] == "django" and "management" in parts


def _implements(method: FunctionFact) -> bool:
    """Whether a method of an abstract class carries behaviour: not abstract, not the
    constructor (how the contract is built), and a body beyond a docstring, `pass`, `...`
    or `raise NotImplementedError` (an `__exit__` that rolls back is shared behaviour)."""
    return not (is_abstract_method(method) or method.name == "__init__") and method.body is BodyKind.CODE


def _shaped_like_a_use_case(ref: ClassRef) -> bool:
    """Whether a class looks like a use case by its name or its entry point (`...Service`,
    `...UseCase`, `execute`/`handle`/`__call__`) and is handed something in `__init__`."""
    init = ref.cls.method("__init__")
    return _named_like_a_use_case(ref) and init is not None and len(init.params) > 1


def _a_use_case_contract(ref: ClassRef) -> bool:
    """Whether an abstract class is the contract of a use case: kept in a package of use
    cases (Clean Node API's `domain/usecases/add_account.py`, whose `AddAccount` the
    `DbAddAccount` of `data/usecases/` implements) and not named for a driven port
    (`EmailSender`, `UserRepository` kept there too)."""
    return bool(set(ref.facts.module.split(".")) & USE_CASE_PACKAGES) and not _DRIVEN_PORT_NAME.search(
        ref.cls.name
    )


def _named_like_a_use_case(ref: ClassRef) -> bool:
    """Whether a class's name or entry point says use case (`...Service`, `...UseCase`,
    `execute`/`handle`/`__call__`)."""
    return ref.cls.name.endswith(_USE_CASE_SUFFIXES) or any(
        method.name in _USE_CASE_METHODS for method in ref.cls.methods
    )


def _in_packages(name: str, packages: frozenset[str]) -> bool:
    """Whether a dotted name is one of `packages` (dotted too: `django.http`) or inside one."""
    parts = name.split(".")
    return any(".".join(parts[:cut]) in packages for cut in range(1, len(parts) + 1))


def _packages_of(module: str, is_package: bool) -> Iterable[str]:
    """The packages whose subtree holds `module`: a package's `__init__` is its own."""
    parts = module.split(".")
    last = len(parts) if is_package else len(parts) - 1
    return (".".join(parts[:cut]) for cut in range(1, last + 1))


def _strong(
    counts: Counter[Layer],
    substantive: int,
    kinds: Mapping[tuple[str, Layer], set[str]],
    anchored: Mapping[tuple[str, Layer], int],
    package: str,
    named: Layer | None,
) -> Content | None:
    """A package's content when it is strong (see the module docstring), else None."""
    if not counts:
        return None
    evidenced = sum(counts.values())
    layer, agreeing = max(counts.items(), key=lambda item: (item[1], -_PRECEDENCE.index(item[0])))
    # The web's package is where the app is assembled (`api/main.py` building it,
    # `api/dependencies.py` providing what routes need): such modules side with the web's
    # routes, though each is the composition root's. Not where some of the package shows
    # its name's layer (use cases in `application/use_cases/` beside `application/api/`):
    # that package is mixed, and keeps its name.
    shows_its_name = named is not None and counts[named] > 0
    if layer is Layer.WEB and named is Layer.INFRASTRUCTURE and shows_its_name:
        # A Django app in `infrastructure/` (its models beside its views and serializers)
        # holds both sides of the edge: the package keeps its name, and the modules that
        # serve HTTP alone go to the web one by one (`_serves_the_web_from_infrastructure`).
        return None
    allied = counts[Layer.COMPOSITION] if layer is Layer.WEB and not shows_its_name else 0
    backing = agreeing + allied
    if backing < AGREEING_SHARE * evidenced or backing < SUBSTANTIVE_SHARE * substantive:
        return None
    return Content(
        layer, frozenset(kinds[(package, layer)]), agreeing, evidenced, anchored[(package, layer)], allied
    )


def _decide(package: str, name: NameLayer, content: Content | None) -> Layer | None:
    """The decision table (the module docstring), for one package."""
    if content is None or not _convincing(content, MIN_KINDS) or not _may_move(package, name, content.layer):
        return name.layer
    return content.layer


def _anchored(layer: Layer, kinds: frozenset[str]) -> bool:
    anchors = _ANCHORS.get(layer)
    return anchors is None or bool(kinds & anchors)


def _convincing(content: Content, kinds: int) -> bool:
    """Whether content shows at least `kinds` kinds, and its layer's anchor in at least
    half of the modules that agree on it."""
    return len(content.kinds) >= kinds and content.anchored >= 1 and 2 * content.anchored >= content.agreeing


def _in_a_library(module: str) -> bool:
    """Whether a module is in a helpers' package (`utils/`) or a shared one but `core`
    (`shared/`, `common/`): its classes and services are a library's, whatever they look like."""
    parts = module.split(".")
    return bool(_HELPER_COMPONENTS.intersection(parts) or _SHARED_LIBRARIES.intersection(parts[:-1]))


def _a_package_of_use_cases(content: Content) -> bool:
    """Whether a package's strong content is use cases alone, in at least two of its modules:
    one kind of evidence, but each read from two features of a class, its shape (`...Service`,
    `...Handler`, `execute`/`handle`/`__call__`) and the collaborators it is handed
    (`TodoService(repository: ITodoRepository)`, a dataclass `Listener` with an
    `EventPublisher` field). Repeated across a package with nothing else to contradict it,
    that is a package of application services (`services/`, `listeners/`,
    `command_handlers/`), as a web or infrastructure kind alone is not: Pydantic models and
    drivers are found in every layer. One module of use cases alone places nothing
    (`services/implementations/redis_auth_service.py` wraps a Redis client)."""
    return content.layer is Layer.APPLICATION and content.kinds == {USE_CASES} and content.agreeing >= 2


def _a_package_of_orm_models(content: Content) -> bool:
    """Whether a package's strong content is ORM models alone, in at least two of its
    modules: `models/` of SQLAlchemy or Django tables, with their base and a session
    opened on them. A table mapped by the ORM is persistence in any layering, so this one
    kind, repeated with nothing to contradict it, places the package as use cases alone do
    (`_a_package_of_use_cases`); one module of them places itself
    (`Placement._holds_tables_alone`), as a Pydantic model or a driver alone does not."""
    return (
        content.layer is Layer.INFRASTRUCTURE and _orm_models_alone(content.kinds) and content.agreeing >= 2
    )


def _orm_models_alone(kinds: frozenset[str]) -> bool:
    """Whether infrastructure evidence is ORM models and nothing else but what is imported:
    a session or an engine opened beside the tables is persistence too."""
    return kinds - _IMPORTED_KINDS == {ORM_MODELS}


def _shows_no_layer_but(evidence: Mapping[Layer, frozenset[str]], layer: Layer) -> bool:
    """Whether a module's evidence shows no layer but `layer`, beyond what it imports (a
    driver, `HTTPException`)."""
    return all(kinds <= _IMPORTED_KINDS for shown, kinds in evidence.items() if shown is not layer)


def _may_move(package: str, name: NameLayer, shown: Layer) -> bool:
    """Whether content showing `shown` may re-place what `name` places.

    Never into the domain from another name: application services, commands and records
    look like entities. Never between the inner layers: ports kept in `domain/` are a
    convention SPEC §1 accepts, and both layers are framework-free. Never a strong name
    into the application: abstract bases and service classes are found in every layer
    (an adapter's ABC next to it in `infrastructure/`); under a weak name
    (`contracts/repositories/`) ports implemented elsewhere are the application's.
    """
    named = name.layer
    if named is None:
        return True
    if named is shown or shown is Layer.DOMAIN:
        return False
    if name.strong and shown is Layer.APPLICATION:
        return _ports_filed_by_concern(package, name, shown)
    return not (named in _INNER and shown in _INNER)


def _ports_filed_by_concern(package: str, name: NameLayer, layer: Layer | None) -> bool:
    """Whether a package a strong name places is the application's ports filed under the
    name of what they concern (`app/persistence/`): the one strong name content may move
    into the application, without a HEX105 (the name says what the ports are about). Not
    below another infrastructure name (`infrastructure/persistence/` is the adapters')."""
    if layer is not Layer.APPLICATION or spelled_plainly(name.component) not in PORTS_FILED_BY_CONCERN:
        return False
    parts = [spelled_plainly(part) for part in package.split(".")]
    concern = spelled_plainly(name.component)
    at = max((i for i, part in enumerate(parts) if part == concern), default=len(parts))
    return not INFRASTRUCTURE_COMPONENTS.intersection(parts[:at])


def placement(model: ProjectModel) -> Placement:
    """The placement of a model, built once (the model asks for it on its first layer)."""
    return model.index(Placement)
