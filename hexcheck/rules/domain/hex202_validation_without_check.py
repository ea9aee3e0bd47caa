"""HEX202 validation-without-check: A domain `__post_init__` can never reject a state:
nothing it runs raises."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import BodyKind, FunctionFact, ModuleFacts
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.domain._private import entities, is_base, is_enum
from hexcheck.rules.domain.hex201_entity_without_validation import settled_fields
from hexcheck.semantics.roles import ClassRef, Roles, is_abstract_method, roles

_CONSTRUCTION = ("__new__", "__init__", "__post_init__")


# Conversions that raise on malformed input: `UUID(self.id)` is the whole check an
# identifier needs, `Decimal(self.amount)` refuses "abc".
_REJECTING_CONVERSIONS = frozenset(
    {"int", "float", "complex", "decimal.Decimal", "uuid.UUID", "fractions.Fraction",
     "datetime.date.fromisoformat", "datetime.datetime.fromisoformat",
     "datetime.time.fromisoformat", "datetime.datetime.strptime", "ipaddress.ip_address",
     "ipaddress.ip_network", "ipaddress.IPv4Address", "ipaddress.IPv6Address",
     "zoneinfo.ZoneInfo"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Reached:
    """A function reached from `__post_init__`; `receiver` is the class `self` stands for."""

    facts: ModuleFacts
    function: FunctionFact
    receiver: ClassRef | None = None


class _Reach:
    """The functions a method may run: `self.m()` / `cls.m()` / `type(self).m()` (looked
    up in the class and its first-party ancestors), `super().m()` (every definition in
    them: the facts do not say which class `super()` starts from), first-party
    functions, `Class.m()`, and the constructors of first-party classes (`__new__`,
    `__init__`, `__post_init__`). Calls on anything else (`self.title.strip()`,
    third-party functions) are not followed."""

    def __init__(self, model: ProjectModel, roles_: Roles) -> None:
        self.model = model
        self.roles = roles_

    def _mro(self, ref: ClassRef) -> tuple[ClassRef, ...]:
        return (ref, *self.roles.first_party_ancestors(ref))

    def _method(self, receiver: ClassRef, name: str, every: bool = False) -> Iterator[_Reached]:
        for owner in self._mro(receiver):
            method = owner.cls.method(name)
            if method is not None:
                yield _Reached(owner.facts, method, receiver)
                if not every:
                    return

    def converts(self, function: FunctionFact) -> bool:
        """Whether `function` calls a conversion that refuses bad input: a parsing
        constructor of the standard library or a first-party `Enum` (`Status("x")`)."""
        for call in function.calls:
            callee = call.callee.removeprefix("builtins.")
            if callee in _REJECTING_CONVERSIONS:
                return True
            ref = self.roles.ref(callee) if self.model.is_first_party(callee) else None
            if ref is not None and is_enum(self.roles, ref):
                return True
        return False

    def callees(self, reached: _Reached) -> Iterator[_Reached]:
        function, receiver = reached.function, reached.receiver
        self_name = function.params[0].name if receiver is not None and function.params else ""
        for call in function.calls:
            callee = call.callee
            head, _, attr = callee.partition(".")
            if receiver is not None and head == self_name:
                attr = attr.removeprefix("__class__.")
                if attr and "." not in attr:
                    yield from self._method(receiver, attr)
            elif receiver is not None and head == "?" and attr and "." not in attr:
                yield from self._method(receiver, attr, every=True)
            elif "?" not in callee and self.model.is_first_party(callee):
                yield from self._first_party(callee)

    def _first_party(self, callee: str) -> Iterator[_Reached]:
        ref = self.roles.ref(callee)
        if ref is not None:
            for name in _CONSTRUCTION:
                yield from self._method(ref, name)
            return
        owner_name, _, attr = callee.rpartition(".")
        owner = self.roles.ref(owner_name) if owner_name else None
        if owner is not None:
            yield from self._method(owner, attr)
            return
        module, _, name = self.model.resolve_symbol(callee).rpartition(".")
        facts = self.model.modules.get(module)
        if facts is not None:
            for function in facts.functions:
                if function.name == name:
                    yield _Reached(facts, function)


def can_reject(
    model: ProjectModel, roles_: Roles, ref: ClassRef, owner: ClassRef, start: FunctionFact
) -> bool:
    """Whether `start` (a method written in `owner`, run on an instance of `ref`) or
    anything it calls, transitively, raises or converts a value in a way that refuses
    bad input."""
    reach = _Reach(model, roles_)
    seen = {(owner.facts.module, start.qualname, ref.dotted)}
    stack = [_Reached(owner.facts, start, ref)]
    while stack:
        current = stack.pop()
        if current.function.raises or current.function.asserts or reach.converts(current.function):
            return True
        for callee in reach.callees(current):
            receiver = callee.receiver.dotted if callee.receiver is not None else ""
            key = (callee.facts.module, callee.function.qualname, receiver)
            if key not in seen:
                seen.add(key)
                stack.append(callee)
    return False


def _post_inits(model: ProjectModel) -> Iterator[tuple[ClassRef, ClassRef, FunctionFact]]:
    """(class, owner, `__post_init__`) for every domain dataclass built with a
    `__post_init__` of its own or inherited (owner is where it is written). Base classes
    are checked through the classes deriving from them: `self.validate()` in
    `ValueObject.__post_init__` runs the subclass's `validate`."""
    roles_ = roles(model)
    for entity in entities(model):
        ref = entity.ref
        if is_base(roles_, ref):
            continue
        for owner in (ref, *roles_.first_party_ancestors(ref)):
            method = owner.cls.method("__post_init__")
            if method is not None:
                if not (owner is ref and _calls_own_hook(ref, method)):
                    yield ref, owner, method
                break


def _calls_own_hook(ref: ClassRef, method: FunctionFact) -> bool:
    """Whether `__post_init__` calls `self.m()` where `m` is an empty or abstract hook of
    the same class (`def validate(self) -> None: pass`): a template base whose subclasses
    are not in the scanned code. A subclass that inherits it and leaves the hook empty is
    reported."""
    self_name = method.params[0].name if method.params else ""
    for call in method.calls:
        head, _, attr = call.callee.partition(".")
        hook = ref.cls.method(attr) if head == self_name and attr else None
        if hook is not None and (hook.body is not BodyKind.CODE or is_abstract_method(hook)):
            return True
    return False


class ValidationWithoutCheck(Rule):
    code = "HEX202"
    name = "validation-without-check"
    severity = Severity.WARNING
    concern = "domain"
    summary = "A domain `__post_init__` can never reject a state: nothing it runs raises."
    subject = "domain `__post_init__` methods can reject an invalid state"
    why = (
        "A `__post_init__` that only converts, normalises or derives fields looks like "
        'validation but lets every state through: `Email("not an email")` is lower-cased '
        "and accepted. Validation means refusing, and in Python refusing means raising. "
        "hexcheck follows the calls `__post_init__` makes to methods of the class (its "
        "own and inherited), to `super().__post_init__()`, to first-party functions and to "
        "the constructors of first-party classes (a field wrapped in a validated value "
        "object), and looks for a `raise` or an `assert` anywhere along them (an `assert` "
        "refuses with an `AssertionError`, unless Python runs with `-O`). A conversion that refuses "
        "malformed input counts as a check too: a first-party `Enum(value)`, `UUID(...)`, "
        "`Decimal(...)`, `int(...)`, `date.fromisoformat(...)` and the like. A class that "
        "inherits its `__post_init__` and whose every field has a type that admits only valid "
        "values (a `UUID`, a flag, an `Enum`, as HEX201 reads them) has nothing to refuse and "
        "is not reported."
    )
    how_to_fix = (
        "Keep the normalisation, then check the result and raise a domain exception when "
        "it breaks a rule; or wrap the field in a value object that validates itself.\n\n"
        "Before:\n\n"
        "    def __post_init__(self) -> None:\n"
        '        object.__setattr__(self, "value", self.value.strip().lower())\n\n'
        "After:\n\n"
        "    def __post_init__(self) -> None:\n"
        '        object.__setattr__(self, "value", self.value.strip().lower())\n'
        '        if "@" not in self.value:\n'
        "            raise InvalidEmail(self.value)"
    )
    valid = (
        # A read model that bundles an article with its author asserts they belong
        # together: an inconsistent pair is refused.
        """\
# file: conduit/core/entities/article.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Author:
    author_id: int
    username: str


@dataclass(frozen=True)
class Article:
    article_id: int
    author_id: int
    title: str


@dataclass(frozen=True)
class ArticleWithAuthor:
    article: Article
    author: Author

    def __post_init__(self) -> None:
        assert self.article.author_id == self.author.author_id
""",
        """\
# file: app/domain/member.py
from dataclasses import dataclass

from app.domain.exceptions import InvalidMember
from app.domain.rules import require_text


@dataclass
class Person:
    name: str

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not self.name:
            raise InvalidMember("a person needs a name")


@dataclass
class Member(Person):
    email: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.email = self.email.lower()


@dataclass
class Nickname:
    value: str

    def __post_init__(self) -> None:
        require_text(self.value, "nickname")
# file: app/domain/rules.py
from app.domain.exceptions import InvalidMember


def require_text(value: str, what: str) -> None:
    _non_empty(value, what)


def _non_empty(value: str, what: str) -> None:
    if not value.strip():
        raise InvalidMember(f"{what} must not be empty")
# file: app/domain/exceptions.py
class InvalidMember(Exception):
    pass
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass

from app.domain.exceptions import InvalidIsbn


@dataclass(frozen=True)
class Isbn:
    value: str

    def __post_init__(self) -> None:
        digits = self.value.replace("-", "")
        if len(digits) not in (10, 13):
            raise InvalidIsbn(self.value)
        object.__setattr__(self, "value", digits)


@dataclass
class Book:
    isbn: str
    title: str

    def __post_init__(self) -> None:
        self.isbn = Isbn(self.isbn).value
        self.title = self.title.strip()
# file: app/domain/exceptions.py
class InvalidIsbn(Exception):
    pass
""",
        """\
# file: app/domain/loan.py
from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID


class LoanStatus(str, Enum):
    OPEN = "open"
    RETURNED = "returned"


@dataclass
class LoanId:
    value: str

    def __post_init__(self) -> None:
        self.value = str(UUID(self.value))


@dataclass
class Loan:
    status: str
    due_on: str

    def __post_init__(self) -> None:
        self.status = LoanStatus(self.status).value
        self.due_on = date.fromisoformat(self.due_on).isoformat()
""",
        """\
# file: app/domain/common/value_object.py
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ValueObject(Generic[T]):
    value: T

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        \"\"\"Subclasses raise a domain exception when `value` breaks a rule.\"\"\"
# file: app/domain/member/email.py
from dataclasses import dataclass

from app.domain.common.value_object import ValueObject
from app.domain.member.errors import InvalidEmail


@dataclass(frozen=True)
class Email(ValueObject[str]):
    def validate(self) -> None:
        if "@" not in self.value:
            raise InvalidEmail(self.value)
# file: app/domain/member/errors.py
class InvalidEmail(Exception):
    pass
# file: app/domain/common/quantity.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    value: int

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        \"\"\"Subclasses refuse the quantities their context forbids.\"\"\"
# file: app/domain/common/identifiers.py
from dataclasses import dataclass, field
from uuid import UUID, uuid4


@dataclass(frozen=True)
class Identifier:
    value: object

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        \"\"\"Subclasses refuse the values their identifiers may not take.\"\"\"


@dataclass(frozen=True)
class MemberId(Identifier):
    value: UUID = field(default_factory=uuid4)  # a UUID admits no invalid value
""",
    )
    invalid = (
        # Named like a read model, but given a `__post_init__`: its author made it validate.
        """\
# file: app/domain/selection.py
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SelectionRunSummary:
    status: str
    selected: int
    created_at: datetime | None = field(default=None)

    def __post_init__(self) -> None:  # error: HEX202
        if self.created_at is None:
            self.created_at = datetime.now()
""",
        # Settled fields, but the class writes a `__post_init__` of its own: a check forgot
        # to raise.
        """\
# file: app/domain/door.py
import logging
from dataclasses import dataclass
from enum import Enum
from uuid import UUID

logger = logging.getLogger(__name__)


class DoorState(Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class Door:
    id: UUID
    state: DoorState
    locked: bool

    def __post_init__(self) -> None:  # error: HEX202
        if self.locked and self.state is DoorState.OPEN:
            logger.warning("door %s is open and locked", self.id)
""",
        """\
# file: app/domain/member.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Email:
    value: str

    def __post_init__(self) -> None:  # error: HEX202
        object.__setattr__(self, "value", self.value.strip().lower())
""",
        """\
# file: app/domain/loan.py
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class Loan:
    book_id: str
    borrowed_on: date
    due_on: date | None = None

    def __post_init__(self) -> None:  # error: HEX202
        if self.due_on is None:
            self.due_on = self._default_due()
        self._log()

    def _default_due(self) -> date:
        return self.borrowed_on + timedelta(days=21)

    def _log(self) -> None:
        print(f"loan of {self.book_id}")
# file: app/domain/common.py
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueObject:
    value: str

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        pass


@dataclass(frozen=True)
class Nickname(ValueObject):  # error: HEX202
    pass
""",
        # A settings record that a port's own settings hold is still judged when it writes a
        # `__post_init__` or inherits one: its author made it validate.
        """\
# file: training/domain/services/evaluation.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class MetricConfig:
    name: str
    higher_is_better: bool | None = None

    def __post_init__(self) -> None:  # error: HEX202
        if self.higher_is_better is None:
            self.higher_is_better = self.name != "loss"


@dataclass
class EvaluationConfig:
    metrics: list[MetricConfig]


class Evaluator(ABC):
    @abstractmethod
    def evaluate(self, settings: EvaluationConfig) -> dict[str, float]: ...
# file: training/domain/common.py
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueObject:
    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        pass
# file: training/domain/services/profiles.py
from abc import ABC, abstractmethod
from dataclasses import dataclass

from training.domain.common import ValueObject


@dataclass(frozen=True)
class RunName(ValueObject):  # error: HEX202
    text: str


@dataclass(frozen=True)
class RunRequest:
    name: RunName
    epochs: int


class Trainer(ABC):
    @abstractmethod
    def train(self, request: RunRequest) -> None: ...
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in _post_inits(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for ref, owner, method in _post_inits(model):
            if can_reject(model, roles_, ref, owner, method):
                continue
            # `UserId(value: UUID)` inheriting its base's empty `_validate` hook: a UUID
            # admits no invalid value, so the hook has nothing to refuse (as for HEX201). A
            # `__post_init__` written in the class itself is there to check something.
            if owner is not ref and settled_fields(roles_, ref):
                continue
            if owner is ref:
                subject, span = f"'{ref.cls.qualname}.__post_init__'", method.span
            else:
                subject = f"the '{owner.cls.qualname}.__post_init__' that '{ref.cls.qualname}' inherits"
                span = ref.cls.span
            message = (
                f"{subject} raises nothing, and neither does any first-party method or "
                "function it calls: it accepts every state"
            )
            yield self.finding(ref.facts, span, message, f"{ref.dotted}.__post_init__", model)
