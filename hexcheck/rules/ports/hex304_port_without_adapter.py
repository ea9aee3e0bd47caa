"""HEX304 port-without-adapter: An ABC port has no concrete subclass anywhere in the
scanned code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import Expr, ExprKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import SHARED_KERNEL_COMPONENTS, Layer, spelled_plainly
from hexcheck.rules.base import Rule
from hexcheck.rules.ports._private import parents
from hexcheck.semantics.roles import ClassRef, Roles, is_abstract_method, is_test_module, roles
from hexcheck.semantics.symbols import is_type_variable
from hexcheck.semantics.walk import every_function

_GENERIC_BASES = frozenset({"typing.Generic", "typing_extensions.Generic"})
_ANY = frozenset({"typing.Any", "typing_extensions.Any"})


def _declared_abstract(roles_: Roles, ref: ClassRef) -> bool:
    """Whether a class says it is abstract itself: ABC/Protocol in its own bases, or an
    `@abstractmethod` of its own. A subclass that merely misses an abstract method is
    an incomplete adapter (HEX501), not another abstraction."""
    return (
        roles_.is_protocol(ref)
        or (roles_.declares_abc(ref) and not roles_.completes_an_abstraction(ref))
        or any(is_abstract_method(m) for m in ref.cls.methods)
    )


def _registered(model: ProjectModel, roles_: Roles) -> frozenset[str]:
    """Ports named in `Port.register(Adapter)` calls or `@Port.register` decorators: they
    are implemented virtually."""
    found: set[str] = set()
    for _, facts in sorted(model.modules.items()):
        names = [call.callee for call in facts.calls]
        names.extend(d.name for cls in facts.classes for d in cls.decorators if d.kind is ExprKind.NAME)
        for name in names:
            owner, _, attr = name.rpartition(".")
            ref = roles_.ref(owner) if attr == "register" and owner else None
            if ref is not None:
                found.add(ref.dotted)
    return frozenset(found)


def _children(roles_: Roles) -> dict[str, list[ClassRef]]:
    """Every first-party class by the dotted names of the classes it derives from directly."""
    children: dict[str, list[ClassRef]] = {}
    for ref in roles_.classes:
        for parent in parents(roles_, ref):
            children.setdefault(parent.dotted, []).append(ref)
    return children


def _implementations(
    roles_: Roles, port: ClassRef, children: dict[str, list[ClassRef]], registered: frozenset[str]
) -> tuple[bool, list[ClassRef]]:
    """Whether a concrete class that is not a test double (or a registered virtual
    subclass) derives from `port`, through any number of abstract intermediates; and,
    when none does, the test doubles that do (a `Fake...`/`InMemory...` in a test module
    is what one test needs, not an adapter the composition root can wire)."""
    seen = {port.dotted}
    stack = [port]
    doubles: list[ClassRef] = []
    while stack:
        current = stack.pop()
        if current.dotted in registered:
            return True, []
        for child in children.get(current.dotted, ()):
            if child.dotted in seen:
                continue
            seen.add(child.dotted)
            if _declared_abstract(roles_, child):
                stack.append(child)
            elif is_test_module(child.facts.module):
                doubles.append(child)
            else:
                return True, []
    return False, sorted(doubles, key=lambda ref: ref.dotted)


def _names(doubles: list[ClassRef]) -> str:
    shown = ", ".join(f"'{ref.cls.qualname}' ({ref.facts.path})" for ref in doubles[:3])
    return shown + (f" and {len(doubles) - 3} more" if len(doubles) > 3 else "")


def _abc_ports(roles_: Roles) -> tuple[ClassRef, ...]:
    """ABC ports that declare something to implement: an empty ABC (`class Response(ABC):
    pass`, a marker that query results derive from) has nothing an adapter could fulfil,
    and nothing in the project is meant to implement a generic base nothing binds."""
    return tuple(
        ref
        for ref in roles_.ports
        if not roles_.is_protocol(ref)
        and roles_.is_abstract(ref)
        and (ref.cls.methods or roles_.abstract_methods(ref))
        and not _generic_base_nothing_binds(roles_, ref)
        and not _unused_building_block(roles_, ref)
    )


def _unused_building_block(roles_: Roles, ref: ClassRef) -> bool:
    """An abstract class of a shared kernel (`seedwork/`, `shared_kernel/`,
    `building_blocks/`) that no module outside the kernel uses but to derive from it: a
    building block the bounded contexts may build their own contracts on (a generic
    `Repository`, a `Mapper`, a `QueryHandler` copied from a template). No adapter is
    missing: where a context's port derives from it, that port is what wants one. One a
    context's code is handed, annotates or imports for any other use is a port the core
    depends on."""
    return _in_a_kernel(ref.facts.module) and ref.dotted not in roles_.model.index(_kernel_classes_in_use)


def _in_a_kernel(module: str) -> bool:
    return any(spelled_plainly(part) in SHARED_KERNEL_COMPONENTS for part in module.split("."))


def _kernel_classes_in_use(model: ProjectModel) -> frozenset[str]:
    """The shared kernel's classes that a module outside it (tests aside) names in an
    annotation (a parameter, a return, a field), or imports by name and derives nothing
    from. The kernel's own modules do not count: one block naming another
    (`CommandHandler.handle(self, command, uow: UnitOfWork)`) uses neither."""
    r = roles(model)
    found: set[str] = set()
    for module, facts in model.modules.items():
        if _in_a_kernel(module) or is_test_module(module):
            continue
        annotated = _classes_named(
            r,
            (
                annotation
                for function in every_function(facts)
                for annotation in (*(param.annotation for param in function.params), function.returns)
            ),
        )
        annotated |= _classes_named(r, (a.annotation for cls in facts.classes for a in cls.attributes))
        derived = _classes_named(r, (base for cls in facts.classes for base in cls.bases))
        imported = {
            other.dotted
            for fact in facts.imports
            for name in fact.names
            if (other := r.ref(f"{fact.target}.{name}")) is not None
        }
        found |= annotated | (imported - derived)
    return frozenset(dotted for dotted in found if _in_a_kernel(dotted.rpartition(".")[0]))


def _classes_named(r: Roles, expressions: Iterable[Expr | None]) -> set[str]:
    """The first-party classes the expressions name."""
    return {
        other.dotted
        for expr in expressions
        if expr is not None
        for name in expr.names()
        if name and "?" not in name and (other := r.ref(name)) is not None
    }


def _generic_base_nothing_binds(roles_: Roles, ref: ClassRef) -> bool:
    """A class generic over its own type variables (`CommandHandler(ABC, Generic[C, R])`)
    that no first-party class derives from nor takes with its type parameters said:
    whoever implements it says what they are, and nothing in the project does. It is an
    extension point of a library for the projects that use it, not a contract this project
    wires. One the project injects (`GetBook.__init__(self, cache: Cache[str, Book])`) is
    a port its code depends on, and something has to fulfil it; a library's own bus that
    takes any handler (`handler: CommandHandler[C, Any]`) still binds nothing."""
    if roles_.model.subclasses(ref.dotted) or _taken_with_its_parameters(roles_, ref):
        return False
    return any(
        base.kind is ExprKind.SUBSCRIPT
        and base.name in _GENERIC_BASES
        and bool(base.args)
        and all(is_type_variable(roles_.model, arg) for arg in base.args)
        for base in ref.cls.bases
    )


def _taken_with_its_parameters(roles_: Roles, ref: ClassRef) -> bool:
    """Whether a parameter or a class field outside the class is typed with it, bare
    (`cache: Cache`) or with a type parameter that is neither a type variable nor `Any`
    (`Cache[str, Book]`, not `Mapper[EntityType, Model]`, which passes its own on)."""
    if not roles_.is_injected(ref):
        return False
    annotations = [
        param.annotation
        for _, owner, function in roles_.functions()
        if owner is None or owner.dotted != ref.dotted
        for param in function.params
    ] + [
        attribute.annotation
        for other in roles_.classes
        if other.dotted != ref.dotted
        for attribute in other.cls.attributes
    ]
    stack = [annotation for annotation in annotations if annotation is not None]
    while stack:
        expr = stack.pop()
        stack.extend(expr.args)
        named = roles_.ref(expr.name) if expr.name and "?" not in expr.name else None
        if named is None or named.dotted != ref.dotted:
            continue
        if expr.kind is not ExprKind.SUBSCRIPT or not all(
            arg.name in _ANY or is_type_variable(roles_.model, arg) for arg in expr.args
        ):
            return True
    return False


def _has_infrastructure(model: ProjectModel) -> bool:
    return any(model.layer(module) is Layer.INFRASTRUCTURE for module in model.modules)


class PortWithoutAdapter(Rule):
    code = "HEX304"
    name = "port-without-adapter"
    severity = Severity.WARNING
    concern = "ports"
    summary = "An ABC port has no concrete subclass anywhere in the scanned code."
    subject = "ABC ports have an implementation"
    why = (
        "An ABC port nobody implements is either dead (a contract left over from a "
        "refactoring, still shaping use cases that can never run) or implemented "
        "somewhere hexcheck was not asked to look, and then the implementation is not "
        "checked against it. Either way the composition root cannot wire it. `Protocol` "
        "ports are exempt: they are satisfied structurally, without inheriting. The rule "
        "only runs when the project has an `infrastructure` layer at all, and counts "
        "`Port.register(Adapter)` as an implementation. A test double (a `Fake...` or "
        "`InMemory...` class in a test module) is not one: it does what one test needs, "
        "and the composition root cannot wire it, so a port only the tests implement is "
        "reported, naming its doubles. Nor is a generic base over its own type variables "
        "(`CommandHandler(ABC, Generic[C, R])`) that no class of the project derives from: "
        "whoever implements it binds its type parameters, and nothing here does, so it is "
        "a library's extension point for the projects that use it. Unless the project "
        "takes it with its parameters said (`cache: Cache[str, Book]` in a use case): "
        "then it is a port the core depends on; a bus that takes any handler "
        "(`CommandHandler[C, Any]`) says none. Nor is an abstract class of a shared kernel "
        "(`seedwork/`, `shared_kernel/`, `building_blocks/`) that no module outside the kernel "
        "uses but to derive from it: a building block (a generic `Repository`, a `Mapper`) the "
        "bounded contexts may build their own ports on; where a context's port derives from "
        "it, that port is the one missing an adapter. One a context's code is handed, "
        "annotates or imports for another use is reported."
    )
    how_to_fix = (
        "Write the adapter in `infrastructure` (deriving from the port) and wire it in the "
        "composition root, or delete the port and the use cases that depend on it. If the "
        "implementation lives in another distribution, add its sources to the paths "
        "hexcheck checks.\n\n"
        "Before: `app/application/ports/payment_gateway.py` defines "
        "`class PaymentGateway(ABC)` and no class derives from it.\n\n"
        "After: `app/infrastructure/payments/stripe_gateway.py` defines "
        "`class StripePaymentGateway(PaymentGateway)` implementing every abstract method, "
        "and `app/main.py` provides it."
    )
    valid = (
        # The building blocks of a shared kernel, copied from a template: a generic
        # repository and a mapper no bounded context derives from or is handed. No adapter
        # is missing; the contexts' own ports are what adapters implement.
        """\
# file: src/seedwork/domain/repositories.py
from abc import ABC, abstractmethod


class Repository(ABC):
    @abstractmethod
    def get(self, entity_id: str) -> object: ...

    @abstractmethod
    def add(self, entity: object) -> None: ...


class Mapper(ABC):
    @abstractmethod
    def to_entity(self, row: dict) -> object: ...
# file: src/contracts/domain/repositories.py
from abc import ABC, abstractmethod


class ContractRepository(ABC):
    @abstractmethod
    def get(self, contract_id: str) -> dict: ...
# file: src/contracts/application/sign_contract.py
from src.contracts.domain.repositories import ContractRepository


class SignContract:
    def __init__(self, contracts: ContractRepository) -> None:
        self.contracts = contracts

    def execute(self, contract_id: str) -> dict:
        return self.contracts.get(contract_id)
# file: src/contracts/infrastructure/sql_contracts.py
from src.contracts.domain.repositories import ContractRepository


class SqlContractRepository(ContractRepository):
    def get(self, contract_id: str) -> dict:
        return {"id": contract_id}
""",
        # A port implemented by an adapter that still imports it by the path its package
        # had before it moved (`src.streaming...` for `src.modules.streaming...`): the one
        # class of that name in a module of that name is the one the author means.
        """\
# file: src/__init__.py
# file: src/modules/__init__.py
# file: src/modules/streaming/__init__.py
# file: src/modules/streaming/domain/__init__.py
# file: src/modules/streaming/domain/services/__init__.py
# file: src/modules/streaming/domain/services/storage_service.py
from abc import ABC, abstractmethod


class StorageService(ABC):
    @abstractmethod
    def upload(self, key: str, data: bytes) -> str: ...
# file: src/modules/streaming/application/__init__.py
# file: src/modules/streaming/application/create_clip.py
from src.modules.streaming.domain.services.storage_service import StorageService


class CreateClip:
    def __init__(self, storage: StorageService) -> None:
        self.storage = storage
# file: src/modules/streaming/infrastructure/__init__.py
# file: src/modules/streaming/infrastructure/minio_storage.py
from src.streaming.domain.services.storage_service import StorageService


class MinioStorage(StorageService):
    def upload(self, key: str, data: bytes) -> str:
        return key
""",
        # An extension point in Python 3.12's syntax: `class Specification[ValueT]` is
        # generic over its own type parameter (`Generic[ValueT]` at runtime), and nothing
        # binds it.
        """\
# file: shop/domain/framework/act.py
from abc import ABC, abstractmethod


class Act[ValueT, ResultT](ABC):
    @abstractmethod
    def __call__(self, value: ValueT) -> ResultT: ...
# file: shop/domain/framework/ports/specification.py
from shop.domain.framework.act import Act


class Specification[ValueT](Act[ValueT, bool]): ...
# file: shop/domain/ports/books.py
from abc import ABC, abstractmethod


class BookRepository(ABC):
    @abstractmethod
    def get(self, book_id: str) -> dict: ...
# file: shop/infrastructure/books.py
from shop.domain.ports.books import BookRepository


class MemoryBooks(BookRepository):
    def get(self, book_id: str) -> dict:
        return {}
""",
        """\
# file: core/shop/domain/interfaces/__init__.py
from .repositories import *
# file: core/shop/domain/interfaces/repositories.py
from abc import ABC, abstractmethod


class IProductRepository(ABC):
    @abstractmethod
    def get(self, sku: str) -> object: ...
# file: core/shop/domain/values.py
PAGE_SIZE = 20
# file: core/shop/infrastructure/products.py
from core.shop.domain.interfaces import *
from core.shop.domain.values import *


class DjangoProductRepository(IProductRepository):  # through two star imports, one re-exporting
    def get(self, sku: str) -> object:
        return sku
""",
        """\
# file: modules/shared/domain/requests.py
from abc import ABC, abstractmethod


class Request(ABC):
    @abstractmethod
    def get_body(self) -> dict: ...
# file: modules/shared/infrastructure/django_request.py
from modules.shared.domain.requests import Request


class Request(Request):  # the adapter takes its port's name: the base is the imported port
    def __init__(self, request: object) -> None:
        self._request = request

    def get_body(self) -> dict:
        return {}
""",
        """\
# file: core/shop/domain/interfaces/repositories.py
from abc import ABC, abstractmethod


class ICategoryRepository(ABC):
    @abstractmethod
    def get(self, slug: str) -> object: ...
# file: core/shop/infrastructure/repositories.py
from core.shop.domain.interfaces.repositories import *


class DjangoCategoryRepository(ICategoryRepository):  # the port comes in through the star import
    def get(self, slug: str) -> object:
        return slug
""",
        """\
# file: app/application/cqrs.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

C = TypeVar("C")
R = TypeVar("R")


class CommandHandler(ABC, Generic[C, R]):  # for the services using this kit to subclass
    @abstractmethod
    async def handle(self, command: C) -> R: ...
# file: app/infrastructure/bus.py
from typing import Any

from app.application.cqrs import C, CommandHandler


class InProcessBus:  # takes any handler: binds none of its type parameters
    def __init__(self) -> None:
        self._handlers: dict[type, CommandHandler[Any, Any]] = {}

    def register(self, command_type: type[C], handler: CommandHandler[C, Any]) -> None:
        self._handlers[command_type] = handler
""",
        """\
# file: app/application/ports/repository.py
from abc import ABC, abstractmethod
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, entity_id: str) -> T: ...


class BookRepository(Repository["Book"]):
    @abstractmethod
    async def by_author(self, author_id: str) -> list: ...


class CoverGateway(Protocol):
    async def cover_url(self, isbn: str) -> str: ...
# file: app/infrastructure/persistence/mongo_base.py
from abc import ABC

from app.application.ports.repository import Repository


class MongoRepository(Repository, ABC):
    collection = ""
# file: app/infrastructure/persistence/mongo_books.py
from app.infrastructure.persistence.mongo_base import MongoRepository
from app.application.ports.repository import BookRepository


class MongoBookRepository(MongoRepository, BookRepository):
    async def get(self, entity_id: str) -> object: ...
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    @abstractmethod
    def now(self) -> float: ...


class Mailer(ABC):
    @abstractmethod
    def send(self, to: str) -> None: ...
# file: app/infrastructure/clock.py
from app.application.ports.clock import Clock, Mailer


class SystemClock:
    def now(self) -> float:
        return 0.0


Clock.register(SystemClock)


@Mailer.register
class SmtpMailer:
    def send(self, to: str) -> None: ...
""",
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    @abstractmethod
    def now(self) -> float: ...
# file: app/application/use_cases/stamp.py
from app.application.ports.clock import Clock
""",
        """\
# file: src/__init__.py
# file: src/ports/__init__.py
# file: src/ports/cache.py
from abc import ABC, abstractmethod


class Cache(ABC):
    @abstractmethod
    async def get(self, key: str) -> dict | None: ...
# file: src/adapters/__init__.py
# file: src/adapters/redis_cache.py
from ports.cache import Cache


class RedisCache(Cache):
    async def get(self, key: str) -> dict | None:
        return None
""",
        """\
# file: app/domain/bus.py
from abc import ABC


class Query(ABC):  # a marker: what the query bus accepts, nothing to implement
    pass


class QueryResponse(ABC):
    pass
# file: app/infrastructure/bus.py
from app.domain.bus import Query


def dispatch(query: Query) -> None: ...
""",
        """\
# file: app/domain/ports/payments.py
from abc import ABC, abstractmethod


class FinePayments(ABC):
    @abstractmethod
    async def charge(self, member_id: str, cents: int) -> str: ...
# file: app/infrastructure/terminal.py
from abc import ABC

from app.domain.ports.payments import FinePayments


class CardTerminalPayments(FinePayments, ABC):  # a stray ABC: it implements everything
    async def charge(self, member_id: str, cents: int) -> str:
        return f"{member_id}-{cents}"
""",
    )
    invalid = (
        # A context's port built on the kernel's generic repository wants an adapter; the
        # kernel's blocks do not, the one it derives from included, nor a unit of work
        # that only another kernel block names.
        """\
# file: src/seedwork/domain/repositories.py
from abc import ABC, abstractmethod


class Repository(ABC):
    @abstractmethod
    def get(self, entity_id: str) -> object: ...


class UnitOfWork(ABC):
    @abstractmethod
    def commit(self) -> None: ...


class CommandHandler(ABC):
    @abstractmethod
    def handle(self, command: object, uow: UnitOfWork) -> None: ...
# file: src/orders/domain/repositories.py
from abc import abstractmethod

from src.seedwork.domain.repositories import Repository


class OrderRepository(Repository):  # error: HEX304
    @abstractmethod
    def by_customer(self, customer_id: str) -> list: ...
# file: src/orders/application/place_order.py
from src.orders.domain.repositories import OrderRepository


class PlaceOrder:
    def __init__(self, orders: OrderRepository) -> None:
        self.orders = orders

    def execute(self, customer_id: str) -> list:
        return self.orders.by_customer(customer_id)
# file: src/orders/infrastructure/sql_orders.py
class SqlOrders:
    def add(self, order_id: str) -> None: ...
""",
        # A shared kernel's contract a use case is handed is a port the core depends on:
        # something has to fulfil it.
        """\
# file: src/shared_kernel/application/event_bus.py
from abc import ABC, abstractmethod


class EventBus(ABC):  # error: HEX304
    @abstractmethod
    def publish(self, event: object) -> None: ...
# file: src/orders/application/place_order.py
from src.shared_kernel.application.event_bus import EventBus


class PlaceOrder:
    def __init__(self, bus: EventBus) -> None:
        self.bus = bus

    def execute(self, order_id: str) -> None:
        self.bus.publish(order_id)
# file: src/orders/infrastructure/sql_orders.py
class SqlOrders:
    def add(self, order_id: str) -> None: ...
""",
        """\
# file: app/application/ports/payment_gateway.py
from abc import ABC, abstractmethod


class PaymentGateway(ABC):  # error: HEX304
    @abstractmethod
    async def charge(self, member_id: str, cents: int) -> None: ...
# file: app/infrastructure/persistence/mongo.py
class MongoClientFactory: ...
""",
        """\
# file: app/domain/repositories.py
import abc


class LoanRepository(metaclass=abc.ABCMeta):  # error: HEX304
    @abc.abstractmethod
    def get(self, loan_id: str) -> object: ...


class MemberRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, member_id: str) -> object: ...
# file: app/infrastructure/repositories.py
from abc import abstractmethod

from app.domain.repositories import LoanRepository, MemberRepository


class CachedLoanRepository(LoanRepository):
    @abstractmethod
    def cache_key(self) -> str: ...


class SqlMemberRepository(MemberRepository):
    pass
""",
        """\
# file: app/application/ports/payment_gateway.py
from abc import ABC, abstractmethod


class PaymentGateway(ABC):  # error: HEX304
    @abstractmethod
    async def charge(self, member_id: str, cents: int) -> None: ...
# file: app/infrastructure/persistence/mongo.py
class MongoClientFactory: ...
# file: app/conftest.py
from app.application.ports.payment_gateway import PaymentGateway


class InMemoryPaymentGateway(PaymentGateway):
    def __init__(self) -> None:
        self.charges: list[tuple[str, int]] = []

    async def charge(self, member_id: str, cents: int) -> None:
        self.charges.append((member_id, cents))
""",
        """\
# file: app/application/ports/cache.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Cache(ABC, Generic[K, V]):  # error: HEX304 (generic, but the use case takes it)
    @abstractmethod
    def get(self, key: K) -> V | None: ...
# file: app/application/get_book.py
from app.application.ports.cache import Cache


class GetBook:
    def __init__(self, cache: Cache[str, dict]) -> None:
        self._cache = cache

    def __call__(self, book_id: str) -> dict | None:
        return self._cache.get(book_id)
# file: app/infrastructure/persistence/mongo.py
class MongoClientFactory: ...
""",
    )

    def examined(self, model: ProjectModel) -> int:
        if not _has_infrastructure(model):
            return 0
        return len(_abc_ports(roles(model)))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        if not _has_infrastructure(model):
            return
        roles_ = roles(model)
        registered = _registered(model, roles_)
        children = _children(roles_)
        for ref in _abc_ports(roles_):
            implemented, doubles = _implementations(roles_, ref, children, registered)
            if implemented:
                continue
            if doubles:
                message = (
                    f"ABC port '{ref.cls.qualname}' has no implementation outside test doubles: "
                    f"only {_names(doubles)} derive{'s' if len(doubles) == 1 else ''} from it"
                )
            else:
                message = (
                    f"ABC port '{ref.cls.qualname}' has no implementation: no concrete class in "
                    "the scanned code derives from it"
                )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
