"""HEX103 indirect-layer-dependency: A layered module reaches a forbidden layer only
through unlayered modules."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import Edge, ProjectModel
from hexcheck.core.findings import Finding, Hop, Severity
from hexcheck.rules.base import Rule, location


def _chain_text(edges: tuple[Edge, ...]) -> str:
    parts = [edges[0].importer]
    for edge in edges:
        parts.append(f"{edge.imported} (l.{edge.fact.span.line})")
    return " -> ".join(parts)


# The configuration package two examples share: sections filled from the environment.
_CONFIGURATION_PACKAGE = """\
# file: app/config/setting.py
import os

from app.config.schema import AppConfig, ReminderSection


def load_config() -> AppConfig:
    hours = int(os.getenv("REMINDER_HOURS", "24"))
    return AppConfig(reminders=ReminderSection(hours_before=hours))
# file: app/config/schema.py
from dataclasses import dataclass


@dataclass(frozen=True)
class ReminderSection:
    hours_before: int = 24
    channel: str = "email"


@dataclass(frozen=True)
class AppConfig:
    reminders: ReminderSection
"""


class IndirectLayerDependency(Rule):
    code = "HEX103"
    name = "indirect-layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A layered module reaches a forbidden layer only through unlayered modules."
    subject = "imports of unlayered modules keep away from forbidden layers"
    why = (
        "Shared helper modules that belong to no layer are not checked for their own "
        "imports, which makes them a quiet way around the dependency rule: the domain "
        "imports `app.common.db_utils`, which imports the Mongo adapter, and the domain now "
        "loads the driver at import time as surely as if it imported it directly. Each hop "
        "looks harmless; the chain is the violation. A chain through a package index "
        "(an `__init__.py` that only gathers its children's names) goes on only towards "
        "the modules the names taken from it come from, followed through renames; a name "
        "the index assigns itself leaves every import of the index in the chain. Two "
        "chains are left out. A web module reaching infrastructure: a route that reaches "
        "the database through the project's service bypasses nothing itself. And a chain "
        "ending at the project's configuration (`config.py`, `settings.py`, `setting.py`, "
        "any module of a `config/`, `configs/`, `configuration/` or `settings/` package) "
        "that builds no adapter, itself or through the first-party modules it imports "
        "(a `config/container.py` building repositories through `bootstrap.py` does): a "
        "shared logger reading its level is the logger's design, and the use "
        "case that logs reads no setting. From the domain the chain is left out only when "
        "a logger reads the configuration (a module named for logging that imports a "
        "logging library), and the one the domain imports only when the domain takes a "
        "logger from it (`get_logger`, not `LOG_LEVEL`): a value object whose default "
        "currency comes from the settings through a helper reads a setting. "
        "Both chains left out are the helper's own design, reported at the helper when "
        "a name or its content gives it a layer (HEX101), and not again at every module "
        "that imports it."
    )
    how_to_fix = (
        "Cut the chain at the hop that should not be there, usually the import inside the "
        "shared module: split the module so that the part the inner layer needs has no "
        "outward imports, or move the helper into the layer that uses it.\n\n"
        "Before: `app/domain/book.py` imports `app.common.ids`, and `app/common/ids.py` "
        "imports `app.infrastructure.persistence.mongo` for `ObjectId` handling.\n\n"
        "After: `app/common/ids.py` keeps only the pure id helpers; the `ObjectId` "
        "conversion moves to `app/infrastructure/persistence/mongo.py`."
    )
    valid = (
        """\
# file: app/domain/book.py
from app.common.text import slugify
# file: app/common/text.py
import re
# file: app/infrastructure/persistence/mongo.py
from app.common.text import slugify
""",
        """\
# file: app/infrastructure/web/routers.py
from app.common.clock import now
# file: app/common/clock.py
from app.domain.book import Book
from app.application.use_cases.create_book import CreateBook
# file: app/domain/book.py
# file: app/application/use_cases/create_book.py
""",
        # A module that builds the DI container is the composition root, named or not: the
        # routes that take their services from it reach the adapters through wiring.
        """\
# file: app/infrastructure/web/routers.py
from app.cmd.store import container
# file: app/cmd/__init__.py
# file: app/cmd/store.py
from app.di.container import Container
from app.infrastructure.persistence.mongo import MongoBooks

container = Container()
container.register(MongoBooks)
# file: app/di/container.py
class Container:
    def register(self, cls: type) -> None:
        self.registered = cls
# file: app/infrastructure/persistence/mongo.py
class MongoBooks: ...
""",
        # A generic DI container kept with the helpers wires nothing of the project: no
        # composition root, so the domain that injects its collaborators through it
        # reaches none.
        """\
# file: app/domain/lending.py
from app.utils.dependency_injection import Inject
# file: app/utils/__init__.py
# file: app/utils/dependency_injection/__init__.py
from .container import Container, Inject
# file: app/utils/dependency_injection/container.py
from .errors import DIErrors


class Container:
    def __init__(self) -> None:
        self.registry: dict[str, object] = {}

    def find(self, key: str) -> object:
        if key not in self.registry:
            raise DIErrors(key)
        return self.registry[key]


class Inject:
    def __init__(self, key: str) -> None:
        self.key = key
# file: app/utils/dependency_injection/errors.py
class DIErrors(LookupError):
    pass
""",
        # A package index passes on only what is taken from it: the use case takes the bus
        # from `events.core`, not the adapter that `events/__init__.py` also re-exports.
        """\
# file: app/application/use_cases/follow.py
from app.events import UserFollowed, shared_event_bus
# file: app/events/__init__.py
from .core import EventBus, shared_event_bus
from .domain import *
from .infrastructure import PersistentEventBus

__all__ = ["EventBus", "shared_event_bus", "PersistentEventBus"]
# file: app/events/core.py
class EventBus: ...


shared_event_bus = EventBus()
# file: app/events/domain.py
class UserFollowed: ...
# file: app/events/infrastructure.py
from app.infrastructure.outbox import Outbox


class PersistentEventBus:
    outbox = Outbox
# file: app/infrastructure/outbox.py
class Outbox: ...
""",
        # A web module reaching infrastructure: the unlayered service's design, not the
        # route's; the route goes through the service, which keeps its cache in Redis.
        """\
# file: app/web/routers/books.py
from app.services.book_service import BookService
# file: app/services/__init__.py
# file: app/services/book_service.py
from app.infrastructure.cache.redis_cache import RedisCache


class BookService:
    def __init__(self, cache: RedisCache) -> None:
        self.cache = cache
# file: app/infrastructure/cache/redis_cache.py
class RedisCache: ...
""",
        # A domain helper that logs: the logger reads its level, the domain reads nothing.
        """\
# file: app/domain/money.py
from dataclasses import dataclass

from app.utils.rounding import round_cents


@dataclass(frozen=True)
class Money:
    amount: int

    def rounded(self) -> "Money":
        return Money(round_cents(self.amount))
# file: app/utils/__init__.py
# file: app/utils/rounding.py
from app.utils.logger import get_logger

log = get_logger(__name__)


def round_cents(amount: int) -> int:
    log.debug("rounding %s", amount)
    return round(amount, -1)
# file: app/utils/logger.py
import logging

from app.config import settings


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.setLevel(settings.log_level)
    return logger
# file: app/config.py
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    log_level: str = "INFO"


settings = Settings()
""",
        # The configuration read on the way: a use case and a domain service log, and the
        # shared logger reads its level from `config.py` (which also keeps a logger of its
        # own, so it is more than settings). Neither reads a setting itself.
        """\
# file: app/domain/services/pricing.py
from utils.logger_utils import get_logger

log = get_logger(__name__)


def discount(total: int) -> int:
    log.info("discount on %s", total)
    return total // 10
# file: app/application/use_cases/publish_post.py
from utils.logger_utils import get_logger

log = get_logger(__name__)


class PublishPost:
    def __init__(self, posts) -> None:
        self.posts = posts

    def execute(self, post_id: str) -> None:
        log.info("publishing %s", post_id)
# file: utils/__init__.py
# file: utils/logger_utils.py
import logging

from config import settings


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.setLevel(settings.log_level)
    return logger
# file: config.py
import logging

from pydantic_settings import BaseSettings


class DeferredLogger:
    def __init__(self) -> None:
        self.records: list[str] = []

    def info(self, message: str) -> None:
        self.records.append(message)


class Settings(BaseSettings):
    log_level: int = logging.INFO


settings = Settings()
startup_log = DeferredLogger()
""",
        # The configuration read on the way, kept as a package: the helper reads the
        # sections of `config/schema.py` that `config/setting.py` fills from the
        # environment. Neither module builds anything; the use case reads no setting.
        """\
# file: app/application/use_cases/schedule_reminder.py
from datetime import datetime, timedelta

from app.platform.context import PlatformContext


class ScheduleReminder:
    def __init__(self, context: PlatformContext) -> None:
        self._context = context

    def execute(self, starts_at: datetime) -> datetime:
        return starts_at - timedelta(hours=self._context.reminder_hours())
# file: app/platform/context.py
from app.config.schema import AppConfig
from app.config.setting import load_config


class PlatformContext:
    def __init__(self, config: AppConfig | None = None) -> None:
        self.config = config or load_config()

    def reminder_hours(self) -> int:
        return self.config.reminders.hours_before
"""
        + _CONFIGURATION_PACKAGE,
    )
    invalid = (
        """\
# file: app/domain/book.py
from app.common import ids  # error: HEX103
# file: app/common/__init__.py
# file: app/common/ids.py
from app.infrastructure.persistence.mongo import to_object_id
# file: app/infrastructure/persistence/mongo.py
def to_object_id(): ...
""",
        """\
# file: app/application/use_cases/list_books.py
import app.shared.paging  # error: HEX103
# file: app/shared/paging.py
from app.shared import links
# file: app/shared/links.py
from app.infrastructure.web import routers
# file: app/infrastructure/web/routers.py
""",
        # The adapter taken through the index is reached all the same.
        """\
# file: app/application/use_cases/replay.py
from app.events import PersistentEventBus, shared_event_bus  # error: HEX103
# file: app/events/__init__.py
from .core import shared_event_bus
from .infrastructure import PersistentEventBus
# file: app/events/core.py
shared_event_bus = object()
# file: app/events/infrastructure.py
from app.infrastructure.outbox import Outbox


class PersistentEventBus:
    outbox = Outbox
# file: app/infrastructure/outbox.py
class Outbox: ...
""",
        # A name the index renames is the renamed one's: `EventBus` is the adapter here.
        """\
# file: app/application/use_cases/publish.py
from app.events import EventBus  # error: HEX103
# file: app/events/__init__.py
from .core import EventBus as BaseEventBus
from .infrastructure import PersistentEventBus as EventBus
# file: app/events/core.py
class EventBus: ...
# file: app/events/infrastructure.py
from app.infrastructure.outbox import Outbox


class PersistentEventBus:
    outbox = Outbox
# file: app/infrastructure/outbox.py
class Outbox: ...
""",
        # An adapter loading the web's schemas through a helper is still reported.
        """\
# file: app/infrastructure/book_repository.py
from app.utils.mapping import to_schema  # error: HEX103
# file: app/utils/mapping.py
from app.web.schemas import BookOut


def to_schema(row: dict) -> BookOut:
    return BookOut(**row)
# file: app/web/schemas.py
class BookOut:
    def __init__(self, **fields: object) -> None:
        self.fields = fields
""",
        # A name the index builds itself runs whatever it imports: no index to narrow.
        """\
# file: app/application/use_cases/follow.py
from app.events import shared_event_bus  # error: HEX103
# file: app/events/__init__.py
from .core import EventBus
from .infrastructure import PersistentEventBus

shared_event_bus = PersistentEventBus()
# file: app/events/core.py
class EventBus: ...
# file: app/events/infrastructure.py
from app.infrastructure.outbox import Outbox


class PersistentEventBus:
    outbox = Outbox
# file: app/infrastructure/outbox.py
class Outbox: ...
""",
        # The domain reading a setting through a helper that is no logger: a value object's
        # default currency comes from the settings.
        """\
# file: app/domain/money.py
from dataclasses import dataclass

from app.common.defaults import DEFAULT_CURRENCY  # error: HEX103


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str = DEFAULT_CURRENCY
# file: app/common/__init__.py
# file: app/common/defaults.py
from app.config import settings

DEFAULT_CURRENCY = settings.currency
# file: app/config.py
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    currency: str = "EUR"


settings = Settings()
""",
        # A logger's module that also hands out a setting: what the domain takes from it is
        # the setting, not a logger.
        """\
# file: app/domain/order.py
from utils.logging_utils import max_order_items  # error: HEX103


def may_add(count: int) -> bool:
    return count < max_order_items()
# file: utils/__init__.py
# file: utils/logging_utils.py
import logging

from config import settings

log = logging.getLogger("app")


def max_order_items() -> int:
    return settings.max_order_items
# file: config.py
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    max_order_items: int = 20


settings = Settings()
""",
        # A `config.py` that builds the database client and the adapter is the composition
        # root, not configuration: a use case reaching it through a helper loads them.
        """\
# file: app/application/use_cases/list_books.py
from app.common.helpers import page_size  # error: HEX103
# file: app/common/__init__.py
# file: app/common/helpers.py
from app.config import books_repository

page_size = 20
# file: app/config.py
from motor.motor_asyncio import AsyncIOMotorClient

from app.infrastructure.mongo_books import MongoBooks

client = AsyncIOMotorClient("mongodb://localhost")
books_repository = MongoBooks(client)
# file: app/infrastructure/mongo_books.py
class MongoBooks:
    def __init__(self, client) -> None:
        self.client = client
""",
        # The same package also opening the database: a module of it that builds a
        # session wires, and the use case reaching it through the helper loads the driver.
        """\
# file: app/application/use_cases/schedule_reminder.py
from datetime import datetime, timedelta

from app.platform.context import PlatformContext  # error: HEX103


class ScheduleReminder:
    def __init__(self, context: PlatformContext) -> None:
        self._context = context

    def execute(self, starts_at: datetime) -> datetime:
        return starts_at - timedelta(hours=self._context.reminder_hours())
# file: app/platform/context.py
from app.config.database import SessionLocal
from app.config.schema import AppConfig
from app.config.setting import load_config


class PlatformContext:
    def __init__(self, config: AppConfig | None = None) -> None:
        self.config = config or load_config()
        self.session = SessionLocal()

    def reminder_hours(self) -> int:
        return self.config.reminders.hours_before
# file: app/config/database.py
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("postgresql://localhost/reminders")
SessionLocal = sessionmaker(bind=engine)
"""
        + _CONFIGURATION_PACKAGE,
        # A container kept in the `config/` package that builds the repository through
        # `bootstrap.py`: it opens nothing itself, but what it imports reaches Postgres,
        # so it is wiring, and the use case reaching it through the helper loads that.
        """\
# file: app/application/use_cases/register_user.py
from app.platform.context import get_users  # error: HEX103


class RegisterUser:
    def execute(self, email: str) -> None:
        get_users().add(email)
# file: app/platform/context.py
from app.config.container import container


def get_users():
    return container.users
# file: app/config/container.py
from app.bootstrap import build_users_repository


class Container:
    def __init__(self) -> None:
        self.users = build_users_repository()


container = Container()
# file: app/bootstrap.py
from app.infrastructure.postgres_users import PostgresUsers


def build_users_repository() -> PostgresUsers:
    return PostgresUsers("postgresql://localhost/app")
# file: app/infrastructure/postgres_users.py
import psycopg


class PostgresUsers:
    def __init__(self, dsn: str) -> None:
        self.conn = psycopg.connect(dsn)

    def add(self, email: str) -> None:
        self.conn.execute("insert into users(email) values (%s)", (email,))
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(
            1
            for edge in model.dependency_edges()
            if model.layer(edge.importer) is not None and model.layer(edge.imported) is None
        )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for chain in model.indirect_chains():
            first, last = chain[0], chain[-1]
            importer_layer = model.layer(first.importer)
            target_layer = model.layer(last.imported)
            if importer_layer is None or target_layer is None:
                continue
            facts = model.modules[first.importer]
            message = (
                f"{importer_layer.value} module '{first.importer}' reaches "
                f"'{last.imported}' ({target_layer.value}) through unlayered modules: "
                f"{_chain_text(chain)}"
            )
            symbol = " -> ".join([first.importer, *(edge.imported for edge in chain)])
            hops = tuple(
                Hop(edge.importer, edge.imported, location(model.modules[edge.importer], edge.fact.span))
                for edge in chain
            )
            yield self.finding(facts, first.fact.span, message, symbol, model, hops)
