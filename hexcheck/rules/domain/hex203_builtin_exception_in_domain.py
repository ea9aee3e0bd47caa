"""HEX203 builtin-exception-in-domain: Domain code raises a built-in exception instead of a
domain exception."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ClassFact, Expr, ExprKind, FunctionFact, ModuleFacts, RaiseFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.domain._private import PYDANTIC_VALIDATORS, refuses_direct_construction
from hexcheck.semantics.libraries import ORM_MANAGER_BASES
from hexcheck.semantics.roles import BUILTIN_EXCEPTIONS, ClassRef, Roles, is_test_module, roles
from hexcheck.semantics.symbols import union_members

# Special methods whose exceptions Python's data model dictates: `__setattr__` raises
# AttributeError, `__getitem__` KeyError, `__add__` TypeError. A domain exception there
# would break `getattr(x, "a", default)`, `dict.get` and operator fallbacks.
_PROTOCOL_EXCEPTIONS = frozenset(
    {"TypeError", "AttributeError", "KeyError", "IndexError", "LookupError", "StopIteration",
     "StopAsyncIteration"}
)  # fmt: skip
# What a number's own operations raise, as `Decimal` does: `__truediv__` by zero raises
# ZeroDivisionError. Only there: a comparison or a `__setitem__` raising them breaks a rule.
_ARITHMETIC_EXCEPTIONS = frozenset({"ZeroDivisionError", "OverflowError"})
_NUMERIC_METHODS = frozenset(
    f"__{prefix}{name}__"
    for name in ("truediv", "floordiv", "mod", "divmod", "pow")
    for prefix in ("", "r", "i")
) | {"__int__", "__float__", "__round__"}
# Special methods that are constructors or calls: the exceptions they raise are domain rules.
_NOT_PROTOCOL = frozenset({"__init__", "__post_init__", "__new__", "__call__"})
_ALWAYS_ALLOWED = frozenset({"NotImplementedError"})
# What Django's documentation has a custom user manager define to create users.
_DJANGO_USER_CREATION = frozenset({"create_user", "create_superuser", "_create_user"})
# What a function raises when a parameter is not of the type it expects (`if not
# isinstance(user_id, UserId): raise TypeError`, the `else` of an `isinstance` dispatch in
# a mapper): the caller's programming error, which no user can cause and no domain rule
# names.
_TYPE_GUARD_EXCEPTIONS = frozenset({"TypeError", "ValueError"})
# What Pydantic turns into a `ValidationError` when a validator (`PYDANTIC_VALIDATORS`)
# raises it: there a domain exception would escape as a 500, not a 422.
_PYDANTIC_VALIDATION_ERRORS = frozenset({"ValueError", "AssertionError"})


def _builtin(raised: RaiseFact) -> str:
    """The built-in exception a `raise` names, or ''."""
    name = raised.exception.removeprefix("builtins.")
    return name if name in BUILTIN_EXCEPTIONS else ""


def _is_property_guard(function: FunctionFact) -> bool:
    """A property's setter or deleter: what it raises refuses a write to a read-only
    attribute, a programming error (`AttributeError` territory), not a broken domain rule."""
    return any(decorator.name.endswith((".setter", ".deleter")) for decorator in function.decorators)


def _exempt(function: FunctionFact, raised: RaiseFact, exception: str, in_value: bool) -> bool:
    """`in_value`: `function` is a method of an entity or value object, whose check of
    its raw input's type (`Integer(value)`: `type(value) is not int`) is its validation."""
    if exception in _ALWAYS_ALLOWED or _is_property_guard(function):
        return True
    if exception in _PYDANTIC_VALIDATION_ERRORS and function.decorated_with(*PYDANTIC_VALIDATORS):
        return True
    if raised.type_guard and exception in _TYPE_GUARD_EXCEPTIONS and not in_value:
        return True
    # A base refusing to be used itself (`if cls is ExternalId: raise TypeError(...)` in
    # its `generate`), with the `TypeError` Python raises for an ABC: only a programming
    # error trips it. A `ValueError` there (`if cls is TeamPlan and seats < 2`) can be a
    # subclass's business rule.
    if raised.abstract_guard and exception == "TypeError":
        return True
    name = function.name
    is_special = name.startswith("__") and name.endswith("__")
    return is_special and (
        (name not in _NOT_PROTOCOL and exception in _PROTOCOL_EXCEPTIONS)
        or (name in _NUMERIC_METHODS and exception in _ARITHMETIC_EXCEPTIONS)
    )


def _translates(model: ProjectModel, function: FunctionFact, raised: RaiseFact) -> bool:
    """Whether `raised` sits in an `except` clause that catches only first-party
    exceptions: the code turns a domain exception into what a framework expects
    (Pydantic validators must raise `ValueError`), deliberately."""
    span = raised.span
    return any(
        handler.types
        and all(model.is_first_party(name) for name in handler.types)
        and (handler.span.line, handler.span.column) <= (span.line, span.column)
        and (span.end_line, span.end_column) <= (handler.span.end_line, handler.span.end_column)
        for handler in function.handlers
    )


def _documented_creation(r: Roles, facts: ModuleFacts, cls: ClassFact) -> frozenset[str]:
    """The methods of a Django model manager kept in the domain that create users as Django
    documents (`create_user` raising `ValueError` for a missing email), with the helpers
    only they call (`self.check_fields(...)`): they raise what the ORM's contract says.
    That the domain imports the ORM at all is HEX102's finding; a manager's other methods
    (`transfer` refusing insufficient funds) hold domain rules, reported as any."""
    if not set(r.ancestors(ClassRef(facts, cls))) & ORM_MANAGER_BASES:
        return frozenset()
    creating = {method.name for method in cls.methods if method.name in _DJANGO_USER_CREATION}
    callers: dict[str, set[str]] = {}
    for method in cls.methods:
        for call in method.calls:
            owner, _, name = call.callee.rpartition(".")
            if owner in {"self", "cls"}:
                callers.setdefault(name, set()).add(method.name)
    helpers = {name for name, by in callers.items() if by <= creating and name not in creating}
    return frozenset(creating | helpers)


def _ports_held(r: Roles, ref: ClassRef) -> frozenset[str]:
    """The attributes in which a class holds a port it is handed: a field typed by one
    (`repository: BookRepository | None = None`), or one `__init__` sets from a parameter so
    typed (`self.cart_repo = cart_repo`). Finding one unset is finding the class unwired.
    A port is an abstract contract here, not a concrete class named like one (a code
    host's `Repository` entity), and a collection of ports may be empty by design."""
    init = ref.cls.method("__init__")
    handed = {param.name: param.annotation for param in init.params} if init is not None else {}
    found = set()
    for attribute in (*ref.cls.attributes, *(init.self_attributes if init is not None else ())):
        annotation = attribute.annotation
        if annotation is None and attribute.value is not None and attribute.value.kind is ExprKind.NAME:
            annotation = handed.get(attribute.value.name)
        port = _single_type(annotation)
        if (
            port is not None
            and (held := r.ref(port)) is not None
            and r.is_port(held)
            and r.is_interface(held)
        ):
            found.add(attribute.name)
    return frozenset(found)


def _single_type(annotation: Expr | None) -> str | None:
    """The one class an annotation names, bare or optional (`Repo`, `Repo | None`,
    `Optional[Repo]`, `Union[Repo, None]`); None for anything else (`list[Repo]`,
    `Repo | Cache`)."""
    if annotation is None:
        return None
    if annotation.kind is ExprKind.NAME:
        return annotation.name
    union = union_members(annotation)
    if union is not None and len(union[0]) == 1:
        return _single_type(union[0][0])
    return None


def _domain_raises(model: ProjectModel) -> Iterator[tuple[ModuleFacts, FunctionFact, RaiseFact, str]]:
    """Every explicit `raise` in a domain function or method, with the built-in it names."""
    # Entities and value objects: their own check of their input's type is validation.
    r = roles(model)
    stateful = {id(ref.cls) for ref in r.entities}
    for module, facts in sorted(model.modules.items()):
        if model.layer(module) is not Layer.DOMAIN or is_test_module(module):
            continue
        owned: list[tuple[FunctionFact, bool, ClassRef | None]] = [
            (function, False, None) for function in facts.functions
        ]
        for cls in facts.classes:
            creation = _documented_creation(r, facts, cls)
            owned.extend(
                (method, id(cls) in stateful, ClassRef(facts, cls))
                for method in cls.methods
                # `__new__` refusing every call (construction goes through the factories):
                # what it raises names a misuse of the class, not a broken rule.
                if not (method.name == "__new__" and refuses_direct_construction(cls))
                and method.name not in creation
            )
        for function, in_value, owner in owned:
            for raised in function.raises:
                if not raised.exception:
                    continue
                builtin = _builtin(raised)
                # `if not self.cart_repo: raise RuntimeError("CartRepository not set")`:
                # the class was built without a collaborator it needs, a wiring mistake
                # that no user causes and no domain rule names. (The rare part first.)
                unwired = (
                    bool(raised.unset_guard)
                    and owner is not None
                    and _ports_held(r, owner).issuperset(raised.unset_guard)
                )
                if builtin and (
                    unwired
                    or _exempt(function, raised, builtin, in_value)
                    or _translates(model, function, raised)
                ):
                    continue
                yield facts, function, raised, builtin


class BuiltinExceptionInDomain(Rule):
    code = "HEX203"
    name = "builtin-exception-in-domain"
    severity = Severity.WARNING
    concern = "domain"
    summary = "Domain code raises a built-in exception instead of a domain exception."
    subject = "raises in the domain use domain exceptions"
    why = (
        "A `ValueError` says that something was wrong, not what: the web layer cannot tell "
        "a title that is too long from a bug in a helper, so it either maps every "
        "`ValueError` to HTTP 422 (and hides bugs) or none of them (and answers 500 to a "
        "user's mistake). A domain exception such as `BookTitleTooLong` names the broken "
        "rule in the ubiquitous language, carries the data to explain it, and can be "
        "mapped to a response precisely. `NotImplementedError`, bare re-raises and the "
        "exceptions Python's data model requires from special methods (`TypeError` in "
        "`__add__`, `AttributeError` in `__setattr__`, `KeyError` in `__getitem__`, "
        "`ZeroDivisionError` in `__truediv__`, as `Decimal` raises it) are "
        "not reported, nor is a `TypeError` or `ValueError` that a domain service or "
        "function raises because a parameter is not of the expected type (`if not "
        "isinstance(user_id, UserId)`, `type(id) is not str`, the `else` of an `isinstance` "
        "dispatch): a caller's programming error, not a broken rule (in an entity or value "
        "object, checking its raw input's type is its validation, and is reported), nor is "
        "a built-in raised in an `except` clause that catches only first-party exceptions: "
        "that is a deliberate translation for a framework (a "
        "Pydantic validator must raise `ValueError`), nor a `ValueError` or "
        "`AssertionError` raised in a Pydantic `@field_validator`/`@model_validator` "
        "itself: Pydantic turns exactly those into its `ValidationError`, nor a "
        "`TypeError` by which a base refuses to be used itself (`if cls is "
        "ExternalId:` in its `generate`, as Python refuses to instantiate an ABC), nor what a "
        "`__new__` whose whole body is one `raise` raises: it refuses every direct "
        "construction so that instances come only from the class's factories "
        "(`Email.create(...)`), a misuse guard that names no rule, nor what a class raises "
        "on finding a port it is handed unset (`if not self.cart_repo: raise "
        'RuntimeError("CartRepository not set")`, the port a field or an `__init__` '
        "parameter is typed by): whoever built it left it unwired. Finding any other "
        "attribute unset (`if self.paid_at is None`) is the business's state, and reported."
    )
    how_to_fix = (
        "Define a small hierarchy in `domain/exceptions.py` rooted at one `DomainError` "
        "and raise its subclasses. To keep callers that catch `ValueError` working while "
        "they migrate, a domain exception may derive from both.\n\n"
        "Before:\n\n"
        "    if len(title) > 200:\n"
        '        raise ValueError("title too long")\n\n'
        "After:\n\n"
        "    class BookTitleTooLong(DomainError):\n"
        "        def __init__(self, length: int) -> None:\n"
        '            super().__init__(f"a title has at most 200 characters, not {length}")\n\n'
        "    if len(title) > 200:\n"
        "        raise BookTitleTooLong(len(title))"
    )
    valid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass

from app.domain.exceptions import BookTitleTooLong


@dataclass(frozen=True)
class Title:
    value: str

    def __post_init__(self) -> None:
        if len(self.value) > 200:
            raise BookTitleTooLong(len(self.value))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{name} is read-only")

    def __truediv__(self, parts: int) -> "Title":
        if parts == 0:
            raise ZeroDivisionError("a title splits into one part or more")
        return self

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Title):
            raise TypeError("a title compares only with a title")
        return self.value < other.value

    def translate(self, language: str) -> "Title":
        raise NotImplementedError

    @property
    def text(self) -> str:
        return self.value

    @text.setter
    def text(self, value: str) -> None:  # a read-only guard: a programming error
        raise ValueError("a title is immutable; build a new one")


def parse(text: str) -> Title:
    try:
        return Title(text.strip())
    except BookTitleTooLong:
        raise


def title_of(book_id: object, title: object) -> Title:
    if not isinstance(title, Title):  # the caller's programming error, not a broken rule
        raise ValueError(f"a Title is expected, not {title!r}")
    if type(book_id) is not str:
        raise TypeError("a book id is a str")
    return title


def to_title(value: "Title | str") -> Title:
    if isinstance(value, Title):
        return value
    elif isinstance(value, str):
        return Title(value)
    else:
        raise ValueError("a Title or a str")
# file: app/domain/exceptions.py
class DomainError(Exception):
    pass


class BookTitleTooLong(DomainError, ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(f"a title has at most 200 characters, not {length}")
""",
        """\
# file: app/application/use_cases/create_book.py
class CreateBook:
    def execute(self, title: str) -> None:
        if not title:
            raise ValueError("title")
# file: app/domain/catalog.py
from app.domain.errors import ValueError


def check(title: str) -> None:
    if not title:
        raise ValueError(title)
# file: app/domain/errors.py
class ValueError(Exception):
    pass
""",
        """\
# file: app/domain/password_field.py
from typing import Any

from app.domain.password import InvalidPasswordError, Password


class PasswordAnnotation:
    @classmethod
    def validate(cls, value: Any) -> Password:
        try:
            return Password(value)
        except InvalidPasswordError as error:
            raise ValueError("invalid password") from error
# file: app/domain/password.py
class InvalidPasswordError(Exception):
    pass


class Password(str):
    def __new__(cls, value: str) -> "Password":
        if len(value) < 8:
            raise InvalidPasswordError("a password has at least 8 characters")
        return super().__new__(cls, value)
# file: app/domain/member.py
from pydantic import BaseModel, field_validator


class MemberProfile(BaseModel):
    phone: str

    @field_validator("phone")
    @classmethod
    def phone_is_local(cls, value: str) -> str:
        if not value.startswith("09"):
            raise ValueError("a phone number starts with 09")
        return value
# file: app/domain/password_test.py
from app.domain.password import Password


class FakeHasher:
    def hash(self, password: Password) -> str:
        raise RuntimeError("not used in these tests")
""",
        """\
# file: app/domain/email.py
from typing import Self

from app.domain.errors import InvalidEmail


class Email:
    def __new__(cls, *args: object, **kwargs: object) -> "Email":
        raise Exception("use Email.create(value)")  # a misuse guard: no rule is broken

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def create(cls, value: str) -> Self:
        if "@" not in value:
            raise InvalidEmail(value)
        instance = super().__new__(cls)
        instance.__init__(value)
        return instance
# file: app/domain/errors.py
class InvalidEmail(Exception):
    pass
""",
        # A Django manager kept in the domain raises what Django documents for
        # `create_user`; HEX102 reports the ORM import itself.
        """\
# file: accounts/domain/managers.py
from django.contrib.auth.models import BaseUserManager


class MemberManager(BaseUserManager):
    def create_user(self, email: str, password: str):
        self.check_fields(email, password)
        member = self.model(email=self.normalize_email(email))
        member.set_password(password)
        member.save()
        return member

    @staticmethod
    def check_fields(email: str, password: str) -> None:
        if not email:
            raise ValueError("an email must be set")
""",
        # A tooling script (`scripts/check_license.py`, run as `__main__`) is no domain,
        # however much its classes look like entities.
        """\
# file: scripts/check_license.py
import sys


class LicenseError(Exception):
    pass


class CopyrightNotice:
    def __init__(self, text: str) -> None:
        self.text = text

    def n_lines(self) -> int:
        if not self.text:
            raise ValueError("empty notice")
        return len(self.text.splitlines())


def main() -> int:
    notice = CopyrightNotice(sys.argv[1])
    if notice.n_lines() > 20:
        raise LicenseError("notice too long")
    return 0


if __name__ == "__main__":
    sys.exit(main())
""",
        # A base refusing to be used itself, as Python refuses to instantiate an ABC.
        """\
# file: src/building_blocks/domain/external_id.py
import secrets
from dataclasses import dataclass
from typing import ClassVar, Self


@dataclass(frozen=True)
class ExternalId:
    PREFIX: ClassVar[str] = ""
    value: str

    @classmethod
    def generate(cls) -> Self:
        if cls is ExternalId:
            raise TypeError("generate() must be called on a subclass with a PREFIX")
        return cls(f"{cls.PREFIX}_{secrets.token_hex(8)}")


class MovieId(ExternalId):
    PREFIX = "mov"
""",
        # A service refusing to run unwired: the port it is handed was never set, a
        # mistake of whoever built it, not a broken rule.
        """\
# file: shop/domain/services/cart_service.py
from typing import Union

from shop.domain.repositories import CartRepository, PriceList
from shop.domain.errors import EmptyCart


class CartService:
    def __init__(self, carts: CartRepository | None = None, prices: Union[PriceList, None] = None) -> None:
        self.carts = carts
        self.prices = prices

    def total(self, user_id: int) -> int:
        if self.carts is None or not self.prices:
            raise RuntimeError("CartService is not wired")
        cart = self.carts.for_user(user_id)
        if not cart.items:
            raise EmptyCart(user_id)
        return sum(self.prices.of(item) for item in cart.items)
# file: shop/domain/repositories.py
from abc import ABC, abstractmethod


class CartRepository(ABC):
    @abstractmethod
    def for_user(self, user_id: int) -> object: ...

    @abstractmethod
    def save(self, cart: object) -> None: ...


class PriceList(ABC):
    @abstractmethod
    def of(self, item: object) -> int: ...

    @abstractmethod
    def update(self, item: object, price: int) -> None: ...
# file: shop/domain/errors.py
class EmptyCart(Exception):
    pass
""",
    )
    invalid = (
        # A manager's own operation holds a domain rule: only Django's user creation
        # follows the ORM's contract.
        """\
# file: bank/domain/accounts.py
from django.db import models


class AccountManager(models.Manager):
    def transfer(self, source, target, amount: int) -> None:
        if amount <= 0:
            raise ValueError("a transfer moves a positive amount")  # error: HEX203
        source.balance -= amount
        target.balance += amount
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass


@dataclass
class Book:
    title: str
    copies: int

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("a book needs a title")  # error: HEX203
        if self.copies < 0:
            raise Exception("negative copies")  # error: HEX203

    def lend(self) -> None:
        if self.copies == 0:
            raise RuntimeError  # error: HEX203
        self.copies -= 1

    def retitle(self, title: object) -> None:
        if not isinstance(title, str):  # an entity checking its input: its validation
            raise TypeError("a title is a str")  # error: HEX203
        self.title = title
""",
        """\
# file: app/domain/money.py
from decimal import Decimal, InvalidOperation


def parse_amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise TypeError(f"not an amount: {text}") from error  # error: HEX203


def add_amounts(first: object, second: Decimal) -> Decimal:
    if isinstance(first, Decimal) and first < 0:
        raise ValueError("negative amount")  # error: HEX203
    if not isinstance(first, Decimal):
        raise RuntimeError("an amount is a Decimal")  # error: HEX203
    return first + second


class Money:
    def __new__(cls, amount: Decimal) -> "Money":
        if amount < 0:
            raise ValueError("negative money")  # error: HEX203
        return super().__new__(cls)

    def __getitem__(self, key: str) -> Decimal:
        raise KeyError(key)

    def __lt__(self, other: "Money") -> bool:
        raise ArithmeticError("amounts in two currencies do not compare")  # error: HEX203


class Currency:
    def __new__(cls, *args: object) -> "Currency":
        raise Exception("use Currency.of(code)")  # a misuse guard: not reported

    @classmethod
    def of(cls, code: str) -> "Currency":
        if len(code) != 3:
            raise ValueError(f"not a currency code: {code}")  # error: HEX203
        return super().__new__(cls)
""",
        # An unset value the business gives is its state, and refusing it a rule: only a
        # port the class is handed being unset is a wiring mistake.
        """\
# file: shop/domain/order.py
from abc import ABC, abstractmethod
from datetime import datetime


class Clock(ABC):
    @abstractmethod
    def now(self) -> datetime: ...

    @abstractmethod
    def today(self) -> datetime: ...


class CarrierGateway:  # a concrete class of the model, though named like a port
    def __init__(self, name: str) -> None:
        self.name = name


class Order:
    def __init__(
        self, clock: Clock, paid_at: datetime | None = None, carrier: CarrierGateway | None = None
    ) -> None:
        self.clock = clock
        self.paid_at = paid_at
        self.carrier = carrier
        self.watchers: list[Clock] = []
        self.shipped_at: datetime | None = None

    def ship(self, parcels: int) -> None:
        if self.paid_at is None:
            raise ValueError("an unpaid order is not shipped")  # error: HEX203
        if not self.clock or self.paid_at is None:
            raise RuntimeError("not wired, or unpaid")  # error: HEX203
        if self.carrier is None:
            raise ValueError("no carrier chosen")  # error: HEX203
        if not self.watchers:
            raise ValueError("nobody watches the order")  # error: HEX203
        self.shipped_at = self.clock.now()

    def reship(self, parcels: int) -> None:
        if self.clock is None:
            if parcels < 1:  # a rule of its own, inside the wiring check
                raise ValueError("nothing to ship")  # error: HEX203
            raise RuntimeError("Order is not wired")
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in _domain_raises(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for facts, function, raised, builtin in _domain_raises(model):
            if not builtin:
                continue
            where = "function" if "." not in function.qualname else "method"
            message = (
                f"domain {where} '{function.qualname}' raises the built-in '{builtin}' "
                "instead of a domain exception"
            )
            symbol = f"{facts.module}.{function.qualname}:{builtin}"
            yield self.finding(facts, raised.span, message, symbol, model)
