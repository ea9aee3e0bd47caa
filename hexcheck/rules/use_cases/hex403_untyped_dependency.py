"""HEX403 untyped-dependency: A use-case `__init__` parameter has no annotation or is
annotated with a concrete adapter."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ExprKind, ParamFact, ParamKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer, spelled_plainly
from hexcheck.rules.base import Rule
from hexcheck.semantics.libraries import DRIVER_PACKAGES, top_package
from hexcheck.semantics.roles import ClassRef, Roles, roles

# Concrete technology a use case must not be typed against (HEX403): drivers and ORMs.
_CONCRETE_PACKAGES = DRIVER_PACKAGES | {"sqlalchemy", "sqlmodel", "beanie", "odmantic", "mongoengine"}


# The last word of a parameter named for configuration (`config`, `world_config`,
# `settings`): what it receives sets the use case up; it does nothing for it.
_SETTING_WORDS = frozenset(
    {"config", "configs", "configuration", "settings", "options", "opts", "conf", "cfg"}
)


def _setting(param: ParamFact) -> bool:
    """`retries=3`, `name="books"`: a setting with a literal default; `world_config=None`,
    `appConfig={}`: an optional one named so. Neither is a collaborator. A required
    `settings` may be the user settings' repository, and `**options` hides whatever it
    is handed: both are judged."""
    default = param.default
    if default is None or param.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD):
        return False
    if spelled_plainly(param.name).rpartition("_")[2] in _SETTING_WORDS:
        return True
    return default.kind is ExprKind.LITERAL and default.name != "None"


def concrete_annotation(r: Roles, param: ParamFact) -> tuple[str, str] | None:
    """`(what, port)` when the annotation names an adapter, another concrete
    infrastructure class, or a driver/ORM type; `port` is the port to use instead if known."""
    if param.annotation is None:
        return None
    for name in param.annotation.names():
        ref = r.ref(name)
        if ref is not None:
            if r.is_adapter(ref.dotted):
                ports = r.ports_of(ref)
                return f"the adapter '{ref.cls.name}'", ports[0].cls.name if ports else ""
            # An interface kept in an infrastructure module (`SmsSender` whose methods raise
            # `NotImplementedError`, beside its adapters) is the port, misplaced: HEX101
            # reports the import; the use case depends on a contract.
            if r.layer(ref) is Layer.INFRASTRUCTURE and not r.is_data_holder(ref) and not r.is_interface(ref):
                return f"the infrastructure class '{ref.cls.name}'", ""
        elif top_package(name) in _CONCRETE_PACKAGES:
            return f"the driver type '{name}'", ""
    return None


class UntypedDependency(Rule):
    code = "HEX403"
    name = "untyped-dependency"
    severity = Severity.WARNING
    concern = "use-cases"
    summary = "A use-case `__init__` parameter has no annotation or is annotated with a concrete adapter."
    subject = "use-case dependencies are typed with ports"
    why = (
        "The `__init__` signature of a use case is its list of needs. Typed with ports, "
        "it tells the reader which contracts the use case relies on, lets the type "
        "checker verify every adapter the composition root passes, and keeps the "
        "application layer free of infrastructure. An untyped parameter hides the "
        "dependency (anything goes, nothing is checked); a parameter typed with "
        "`MongoMemberRepository`, a driver type or an ORM session welds the use case to "
        "one implementation even when the object is injected. Unannotated `*args` and "
        "`**kwargs` hide dependencies the same way; parameters with a literal default "
        "(`retries=3`), and optional ones named for configuration (`world_config=None`, "
        "`options={}`), are settings and are not judged."
    )
    how_to_fix = (
        "Annotate every collaborator with the port it needs (an ABC or Protocol in "
        "`application/ports`), never with the adapter.\n\n"
        "Before:\n\n"
        "    class RegisterMember:\n"
        "        def __init__(self, members: MongoMemberRepository, clock) -> None: ...\n\n"
        "After:\n\n"
        "    class RegisterMember:\n"
        "        def __init__(self, members: MemberRepository, clock: Clock) -> None: ..."
    )
    valid = (
        """\
# file: bench/notifications/infrastructure/sms_sender.py
class SmsSender:  # the port, kept beside its adapter: HEX101 reports the import
    def send_sms(self, phone_number: str, message: str) -> None:
        raise NotImplementedError()


class SmsapiSmsSender(SmsSender):
    def send_sms(self, phone_number: str, message: str) -> None:
        print(phone_number, message)
# file: bench/notifications/use_cases/handlers.py
from bench.notifications.infrastructure.sms_sender import SmsSender


class SendSmsHandler:
    def __init__(self, sms_sender: SmsSender) -> None:
        self._sms_sender = sms_sender

    def handle(self, command: object) -> None:
        self._sms_sender.send_sms("+48", str(command))
""",
        """\
# file: app/application/ports/members.py
from abc import ABC, abstractmethod

class MemberRepository(ABC):
    @abstractmethod
    async def add(self, member) -> None: ...
# file: app/application/use_cases/register_member.py
from typing import TYPE_CHECKING, Optional
from app.application.ports.members import MemberRepository

if TYPE_CHECKING:
    from app.application.ports.clock import Clock

class RegisterMemberUseCase:
    def __init__(
        self,
        members: MemberRepository,
        clock: "Clock",
        audit: Optional[MemberRepository] = None,
        *,
        retries=3,
        prefix="member",
    ) -> None:
        self._members = members

    async def execute(self, member) -> None:
        await self._members.add(member)
# file: app/application/ports/clock.py
from typing import Protocol

class Clock(Protocol):
    def now(self) -> float: ...
""",
        """\
# file: app/application/use_cases/list_books.py
class ListBooksUseCase:
    def __init__(self: "ListBooksUseCase", books: "BookRepository | None") -> None:
        self._books = books

    async def execute(self) -> list:
        return await self._books.list()
""",
        """\
# file: app/application/management/commands/purge_loans.py
from django.core.management.base import BaseCommand


class Command(BaseCommand):  # Django calls it: a management command, not a use case
    help = "Purges returned loans."

    def __init__(self, *args, **kwargs):  # Django's signature
        super().__init__(*args, **kwargs)

    def add_arguments(self, parser) -> None: ...

    def handle(self, *args, **options) -> None: ...

    def execute(self, *args, **options): ...
""",
        # Configuration handed in as plain dicts (`world_config=None`) sets the use case
        # up; its collaborator, the repository, is typed.
        """\
# file: app/core/ports/game_repository.py
from abc import ABC, abstractmethod


class GameRepository(ABC):
    @abstractmethod
    def save_location(self, x: int, y: int, biome: str) -> None: ...
# file: app/core/use_cases/world_generator.py
from app.core.ports.game_repository import GameRepository


class WorldGenerator:
    def __init__(self, repo: GameRepository, world_config=None, enemies_config=None) -> None:
        self.repo = repo
        self.world_config = world_config or {}
        self.enemies_config = enemies_config or {}

    def execute(self, x: int, y: int) -> None:
        biome = self.world_config.get("default_biome", "plains")
        self.repo.save_location(x, y, biome)
""",
        # Request data models beside the use cases (`usecases/data_models/`) that only store
        # what `__init__` receives are the use cases' input, not use cases, typed or not.
        """\
# file: domain/usecases/data_models/request_data_models.py
class CreateTeamRequestData:
    # The fields a controller hands the use case to create a team.

    def __init__(self, name, leader_id, remarks=None):
        self.name = name
        self.leader_id = leader_id
        self.remarks = remarks
# file: domain/usecases/manage_teams_use_case.py
from domain.usecases.data_models.request_data_models import CreateTeamRequestData
from domain.usecases.repositories.team_repository import TeamRepository


class ManageTeamsUseCase:
    def __init__(self, teams: TeamRepository) -> None:
        self.teams = teams

    def execute(self, request: CreateTeamRequestData) -> int:
        return self.teams.add(request.name, request.leader_id)
# file: domain/usecases/repositories/team_repository.py
from abc import ABC, abstractmethod


class TeamRepository(ABC):
    @abstractmethod
    def add(self, name: str, leader_id: int) -> int: ...
""",
        # A record named for what it carries, whose `to_dict` formats one of its values
        # (`self.created_at.isoformat()`): values, not collaborators it calls.
        """\
# file: backend/application/dtos/approval_dto.py
class ApprovalDTO:
    def __init__(self, id=None, user_id=None, status="pending", created_at=None):
        self.id = id
        self.user_id = user_id
        self.status = status
        self.created_at = created_at

    def to_dict(self):
        return {
            "id": self.id,
            "user_id": self.user_id,
            "status": self.status,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    @staticmethod
    def from_entity(entity):
        return ApprovalDTO(entity.id, entity.user_id, entity.status, entity.created_at)
""",
    )
    invalid = (
        # A query object run by `run()` and handed a driver's `Session`: a use case, named
        # as a message, taking what a port should hide.
        """\
# file: app/application/use_cases/search_users.py
from sqlalchemy.orm import Session

from app.infrastructure.models import UserModel


class SearchUsersQuery:
    def __init__(self, db: Session, term: str) -> None:  # error: HEX403
        self.db = db
        self.term = term

    def run(self) -> list[UserModel]:
        return self.db.query(UserModel).filter(UserModel.email.contains(self.term)).all()
# file: app/infrastructure/models.py
from sqlalchemy import Column, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class UserModel(Base):
    __tablename__ = "users"
    id = Column(String, primary_key=True)
    email = Column(String)
""",
        """\
# file: app/application/use_cases/list_books.py
class ListBooksUseCase:
    def __init__(self, books, *args, **kwargs) -> None:  # error: HEX403
        self._books = books

    async def execute(self) -> list:
        return await self._books.list()
""",
        """\
# file: app/application/ports/members.py
from abc import ABC, abstractmethod

class MemberRepository(ABC):
    @abstractmethod
    async def get_by_email(self, email: str): ...
# file: app/infrastructure/persistence/mongo_members.py
from app.application.ports.members import MemberRepository

class MongoMemberRepository(MemberRepository):
    async def get_by_email(self, email: str):
        return None
# file: app/application/use_cases/register_member.py
from typing import TYPE_CHECKING
from motor.motor_asyncio import AsyncIOMotorDatabase

if TYPE_CHECKING:
    from app.infrastructure.persistence.mongo_members import MongoMemberRepository

class RegisterMemberUseCase:
    def __init__(
        self,
        members: "MongoMemberRepository",  # error: HEX403
        database: AsyncIOMotorDatabase,  # error: HEX403
    ) -> None:
        self._members = members

    async def execute(self, email: str) -> None:
        await self._members.get_by_email(email)
""",
        """\
# file: app/application/catalog.py
from app.application.ports import Clock


class CatalogService:  # an application service: several public methods, collaborators injected
    def __init__(self, books, clock: Clock) -> None:  # error: HEX403
        self._books = books
        self._clock = clock

    async def add_title(self, title: str) -> None:
        await self._books.add(title, self._clock.now())

    async def retire_title(self, title: str) -> None:
        await self._books.remove(title)
# file: app/application/ports.py
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...
""",
        # A CQRS command handler in `commands/` that only echoes with `click.echo` declares
        # no command of a CLI: it stays the application's use case.
        """\
# file: billing/commands/issue_invoice.py
from dataclasses import dataclass
from decimal import Decimal

import click

from billing.domain.invoice import Invoice
from billing.infrastructure.pg_invoices import PgInvoiceRepository


@dataclass(frozen=True)
class IssueInvoice:
    invoice_id: int
    amount: Decimal


class IssueInvoiceHandler:
    def __init__(self, invoices: PgInvoiceRepository) -> None:  # error: HEX403
        self.invoices = invoices

    def handle(self, command: IssueInvoice) -> Invoice:
        invoice = Invoice(command.invoice_id, command.amount)
        self.invoices.add(invoice)
        click.echo(f"issued invoice {invoice.id}")
        return invoice
# file: billing/domain/invoice.py
from dataclasses import dataclass
from decimal import Decimal


class InvalidAmount(Exception):
    pass


@dataclass
class Invoice:
    id: int
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidAmount(self.amount)
# file: billing/infrastructure/pg_invoices.py
import psycopg

from billing.domain.invoice import Invoice


class PgInvoiceRepository:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def add(self, invoice: Invoice) -> None:
        self.conn.execute("INSERT INTO invoices VALUES (%s, %s)", (invoice.id, invoice.amount))
""",
        # Named like a record, but it receives collaborators and calls them: a use case.
        """\
# file: app/application/notification_settings.py
class UpdateNotificationSettings:
    def __init__(self, repository, mailer):  # error: HEX403 HEX403
        self._repository = repository
        self._mailer = mailer

    def enable_email(self, user_id: int) -> None:
        prefs = self._repository.get(user_id)
        self._repository.save(prefs)
        self._mailer.send(user_id, "Email notifications enabled")

    def disable_email(self, user_id: int) -> None:
        self._repository.save(self._repository.get(user_id))
""",
        # A required parameter named `settings` here is the user settings' repository the
        # use case reads and saves through: a collaborator, untyped.
        """\
# file: app/application/ports.py
from abc import ABC, abstractmethod


class Mailer(ABC):
    @abstractmethod
    def send(self, to: str, subject: str) -> None: ...
# file: app/application/update_notification_settings.py
from app.application.ports import Mailer


class UpdateNotificationSettings:
    def __init__(self, settings, mailer: Mailer) -> None:  # error: HEX403
        self.settings = settings
        self.mailer = mailer

    def execute(self, user_id: str, email: str, weekly_digest: bool) -> None:
        current = self.settings.get_for_user(user_id)
        current["weekly_digest"] = weekly_digest
        self.settings.save(user_id, current)
        self.mailer.send(email, "Your notification settings changed")
""",
    )

    def _params(self, model: ProjectModel) -> Iterator[tuple[ClassRef, ParamFact]]:
        for ref in roles(model).use_cases:
            init = ref.cls.method("__init__")
            if init is None:
                continue
            params = init.params
            if params and params[0].kind in (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY):
                params = params[1:]
            for param in params:
                yield ref, param

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in self._params(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        r = roles(model)
        for ref, param in self._params(model):
            where = f"'{ref.cls.name}.__init__'"
            star = {ParamKind.VAR_POSITIONAL: "*", ParamKind.VAR_KEYWORD: "**"}.get(param.kind, "")
            if param.annotation is None:
                if _setting(param):
                    continue
                message = f"parameter '{star}{param.name}' of {where} has no type annotation"
            else:
                concrete = concrete_annotation(r, param)
                if concrete is None:
                    continue
                what, port = concrete
                instead = f"its port '{port}'" if port else "a port"
                message = (
                    f"parameter '{star}{param.name}' of {where} is annotated with {what} instead of {instead}"
                )
            symbol = f"{ref.dotted}.__init__:param:{param.name}"
            yield self.finding(ref.facts, param.span, message, symbol, model)
