"""Domain-model rules (HEX201-HEX203) beyond their examples: messages, symbols, tallies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.core.config import Config
from hexcheck.engine import Report
from tests.conftest import write_project

PROJECT = """\
# file: app/domain/book.py
from dataclasses import dataclass
from enum import Enum

from app.domain.exceptions import InvalidBook
from app.domain.rules import require


class Genre(str, Enum):
    NOVEL = "novel"


@dataclass
class Book:
    title: str
    copies: int

    def __post_init__(self) -> None:
        require(bool(self.title), "a book needs a title")
        if self.copies < 0:
            raise ValueError("copies")


@dataclass
class Shelf:
    genre: str

    def __post_init__(self) -> None:
        self.genre = Genre(self.genre).value


@dataclass
class Email:
    value: str

    def __post_init__(self) -> None:
        self.value = self.value.lower()


@dataclass(frozen=True)
class Isbn:
    value: str
# file: app/domain/rules.py
from app.domain.exceptions import InvalidBook


def require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidBook(message)
# file: app/domain/exceptions.py
class InvalidBook(Exception):
    pass
"""


def _check(root: Path, *codes: str) -> Report:
    write_project(root, PROJECT)
    return hexcheck.check(["."], replace(Config(), select=codes))


def test_findings_name_the_class_and_its_fields(in_tmp: Path) -> None:
    report = _check(in_tmp, "HEX201", "HEX202", "HEX203")
    found = {(f.code, f.symbol): f.message for f in report.findings}
    assert set(found) == {
        ("HEX201", "app.domain.book.Isbn"),
        ("HEX202", "app.domain.book.Email.__post_init__"),
        ("HEX203", "app.domain.book.Book.__post_init__:ValueError"),
    }
    assert "'Isbn'" in found[("HEX201", "app.domain.book.Isbn")]
    assert "'value'" in found[("HEX201", "app.domain.book.Isbn")]
    assert "'Email.__post_init__'" in found[("HEX202", "app.domain.book.Email.__post_init__")]
    assert "'ValueError'" in found[("HEX203", "app.domain.book.Book.__post_init__:ValueError")]


def test_tallies_count_the_subjects_each_rule_examined(in_tmp: Path) -> None:
    report = _check(in_tmp, "HEX201", "HEX202", "HEX203")
    tallies = {t.code: (t.checked, t.failing) for t in report.tallies}
    # 4 dataclasses, 3 __post_init__ methods, 2 raises (one domain, one built-in).
    assert tallies == {"HEX201": (4, 1), "HEX202": (3, 1), "HEX203": (2, 1)}


def test_a_builtin_spelt_through_the_builtins_module_is_reported(in_tmp: Path) -> None:
    write_project(
        in_tmp,
        """\
# file: app/domain/book.py
import builtins


def check(title: str) -> None:
    if not title:
        raise builtins.ValueError(title)
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX203",)))
    assert [f.symbol for f in report.findings] == ["app.domain.book.check:ValueError"]


def _hex201(root: Path, project: str) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    """What HEX201 reports on a project, and what its `# error:` markers expect."""
    expected = write_project(root, project)
    report = hexcheck.check(["."], replace(Config(), select=("HEX201",)))
    return {(f.location.path, f.location.line, f.code) for f in report.findings}, expected


TODO_PROJECT = """\
# file: app/domain/todo/value_objects/todo_id.py
from dataclasses import dataclass
from uuid import UUID, uuid4


@dataclass(frozen=True)
class TodoId:
    value: UUID

    @staticmethod
    def generate() -> "TodoId":
        return TodoId(uuid4())
# file: app/domain/todo/value_objects/todo_title.py
from dataclasses import dataclass

from app.domain.todo.errors import InvalidTodo


@dataclass(frozen=True)
class TodoTitle:
    value: str

    def __post_init__(self) -> None:
        if not self.value:
            raise InvalidTodo("a todo needs a title")
# file: app/domain/todo/value_objects/todo_status.py
from enum import Enum


class TodoStatus(Enum):
    NOT_STARTED = "not_started"
    COMPLETED = "completed"
# file: app/domain/todo/value_objects/__init__.py
from .todo_id import TodoId
from .todo_status import TodoStatus
from .todo_title import TodoTitle
# file: app/domain/todo/errors.py
class InvalidTodo(Exception):
    pass
"""


def test_an_identifier_wrapping_a_uuid_is_not_reported(in_tmp: Path) -> None:
    found, _ = _hex201(in_tmp, TODO_PROJECT)
    assert found == set()


def test_a_wrapper_of_a_string_is_still_reported(in_tmp: Path) -> None:
    found, expected = _hex201(
        in_tmp,
        TODO_PROJECT
        + """\
# file: app/domain/member/email.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Email:  # error: HEX201
    value: str
""",
    )
    assert found == expected
    assert found == {("app/domain/member/email.py", 5, "HEX201")}


def test_an_entity_of_an_identifier_and_validated_value_objects_is_not_reported(in_tmp: Path) -> None:
    found, _ = _hex201(
        in_tmp,
        TODO_PROJECT
        + """\
# file: app/domain/todo/entities/todo.py
from dataclasses import dataclass

from app.domain.todo.value_objects import TodoId, TodoStatus, TodoTitle


@dataclass(eq=False)
class Todo:
    id: TodoId
    title: TodoTitle
    status: TodoStatus = TodoStatus.NOT_STARTED
""",
    )
    assert found == set()


def test_an_optional_enum_is_settled_unless_another_state_field_decides_it(in_tmp: Path) -> None:
    found, expected = _hex201(
        in_tmp,
        TODO_PROJECT
        + """\
# file: app/domain/todo/entities/task.py
from dataclasses import dataclass
from enum import Enum
from typing import Optional
from uuid import UUID

from app.domain.todo.value_objects import TodoId, TodoStatus


class Priority(str, Enum):
    LOW = "low"
    HIGH = "high"


@dataclass
class Task:
    id: TodoId
    priority: Optional[Priority] = None


@dataclass
class Assignment:  # error: HEX201
    todo_id: TodoId
    status: TodoStatus
    completed_by: UUID | None = None
""",
    )
    assert found == expected
    assert found == {("app/domain/todo/entities/task.py", 21, "HEX201")}


def test_a_field_of_an_unvalidated_dataclass_is_still_reported(in_tmp: Path) -> None:
    found, expected = _hex201(
        in_tmp,
        TODO_PROJECT
        + """\
# file: app/domain/bidding/value_objects.py
import uuid
from dataclasses import dataclass
from decimal import Decimal


class GenericUUID(uuid.UUID):
    pass


@dataclass(frozen=True)
class Money:  # error: HEX201
    amount: Decimal
    currency: str = "USD"


@dataclass(frozen=True)
class Bidder:
    id: GenericUUID


@dataclass(frozen=True)
class Bid:  # error: HEX201
    bidder: Bidder
    max_price: Money
""",
    )
    assert found == expected
    assert found == {
        ("app/domain/bidding/value_objects.py", 11, "HEX201"),
        ("app/domain/bidding/value_objects.py", 22, "HEX201"),
    }


def test_a_dataclass_that_refers_to_itself_is_reported(in_tmp: Path) -> None:
    found, expected = _hex201(
        in_tmp,
        """\
# file: app/domain/tree.py
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass
class Node:  # error: HEX201
    id: UUID
    parent: Node | None = None
""",
    )
    assert found == expected
    assert found == {("app/domain/tree.py", 8, "HEX201")}


VENDING_PROJECT = """\
# file: app/domain/value_objects/email.py
import re
from typing import Self

from app.domain.exceptions import InvalidEmail


class EmailValueObject:
    def __new__(cls, *args, **kwargs):
        \"\"\"Instances come from `create` only.\"\"\"
        raise Exception("Use the 'create' method to create an instance of this class.")

    def __init__(self, value: str):
        self._value = value

    @staticmethod
    def _validate(email: str) -> None:
        if not re.match(r"^[^@]+@[^@]+$", email):
            raise InvalidEmail(email)

    @classmethod
    def create(cls, email: str) -> Self:
        EmailValueObject._validate(email)
        instance = super().__new__(cls)
        instance.__init__(email)
        return instance
# file: app/domain/entities/owner.py
from typing import Self

from app.domain.value_objects.email import EmailValueObject


class OwnerEntity:
    def __new__(cls, *args, **kwargs):
        raise Exception("Use the 'create' method to create an instance of this class.")

    def __init__(self, name: str, email: str):
        self._name = name
        self._email = email

    @classmethod
    def create(cls, name: str, email: str) -> Self:
        instance = super().__new__(cls)
        instance.__init__(name, email)
        return instance
# file: app/domain/entities/product.py
from app.domain.exceptions import InvalidProduct


class ProductEntity:
    def __new__(cls, name: str, price: int):
        if price < 0:
            raise ValueError("a price is not negative")
        return super().__new__(cls)

    def __init__(self, name: str, price: int):
        if not name:
            raise InvalidProduct(name)
        self._name = name
        self._price = price
# file: app/domain/exceptions.py
class InvalidEmail(Exception):
    pass


class InvalidProduct(Exception):
    pass
"""


def test_a_class_built_only_through_checking_factories_is_not_reported(in_tmp: Path) -> None:
    # `__new__` only raises (with a docstring, too): the guard names no rule (HEX203), and
    # the checking `create` is the constructor (HEX201). An unchecking factory and a
    # `__new__` that refuses a value still are reported.
    write_project(in_tmp, VENDING_PROJECT)
    report = hexcheck.check(["."], replace(Config(), select=("HEX201", "HEX203")))
    found = {(f.code, f.location.path, f.location.line): f.message for f in report.findings}
    assert set(found) == {
        ("HEX201", "app/domain/entities/owner.py", 6),
        ("HEX203", "app/domain/entities/product.py", 7),
    }
    assert found[("HEX201", "app/domain/entities/owner.py", 6)] == (
        "domain class 'OwnerEntity' only assigns in __init__, and its factory 'create' "
        "checks nothing: nothing checks its fields 'name' and 'email' when it is built"
    )


def test_an_enumeration_written_as_a_dataclass_is_not_an_entity(in_tmp: Path) -> None:
    """Every field defaults to a string spelling its own name: constants, not state. A
    dataclass of defaults that do not spell their names is still an entity."""
    write_project(
        in_tmp,
        """\
# file: app/domain/loan_actions.py
from dataclasses import dataclass


@dataclass
class LoanAction:
    lend: str = "lend"
    renew: str = "renew"
    give_back: str = "give_back"


@dataclass
class LoanWindow:
    weeks: str = "two"
    renewals: str = "one"
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX201",)))
    assert [(f.code, f.location.path, f.location.line, f.symbol) for f in report.findings] == [
        ("HEX201", "app/domain/loan_actions.py", 12, "app.domain.loan_actions.LoanWindow")
    ]


def test_a_pydantic_validator_may_raise_what_pydantic_reports(in_tmp: Path) -> None:
    """Pydantic turns a `ValueError` or `AssertionError` raised in its validators into a
    ValidationError; a `TypeError` there, or a `ValueError` in another method, is reported."""
    write_project(
        in_tmp,
        """\
# file: app/domain/member.py
from pydantic import BaseModel, field_validator, model_validator


class MemberProfile(BaseModel):
    phone: str
    name: str

    @field_validator("phone")
    @classmethod
    def phone_is_local(cls, value: str) -> str:
        if not value.startswith("09"):
            raise ValueError("a phone number starts with 09")
        return value

    @model_validator(mode="after")
    def named(self) -> "MemberProfile":
        assert self.name, "a member has a name"
        if self.name == "?":
            raise AssertionError("a member has a real name")
        return self

    @field_validator("name")
    @classmethod
    def name_is_text(cls, value: object) -> str:
        if value == "":
            raise TypeError("a name is text")
        return str(value)

    def rename(self, name: str) -> None:
        if not name:
            raise ValueError("a member has a name")
        self.name = name
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX203",)))
    assert [(f.code, f.location.path, f.location.line, f.symbol) for f in report.findings] == [
        ("HEX203", "app/domain/member.py", 26, "app.domain.member.MemberProfile.name_is_text:TypeError"),
        ("HEX203", "app/domain/member.py", 31, "app.domain.member.MemberProfile.rename:ValueError"),
    ]


COMPUTED_RESULT = """\
# file: shop/domain/tax.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class GstBreakup:
    taxable: Decimal
    cgst: Decimal
    sgst: Decimal


def compute_gst(amount: Decimal, rate: Decimal) -> GstBreakup:
    half = amount * rate / 2
    return GstBreakup(taxable=amount, cgst=half, sgst=half)
"""

BUILT_BESIDE_IT = """\
from decimal import Decimal

from shop.domain.tax import GstBreakup


def breakup(rows: list[str]) -> GstBreakup:
    return GstBreakup(taxable=Decimal(min(rows)), cgst=Decimal(max(rows)), sgst=Decimal(0))
"""


def test_a_computed_result_built_in_tests_too_is_still_a_result(in_tmp: Path) -> None:
    # Where the configured excludes let tests in, what tests build is no evidence of how
    # the code builds a record; a script that builds it is.
    write_project(in_tmp, COMPUTED_RESULT + "# file: tests/test_tax.py\n" + BUILT_BESIDE_IT)
    config = replace(Config(), select=("HEX201",), exclude=())
    assert hexcheck.check(["."], config).findings == ()
    write_project(in_tmp, "# file: scripts/seed_tax.py\n" + BUILT_BESIDE_IT)
    assert [(f.location.path, f.code) for f in hexcheck.check(["."], config).findings] == [
        ("shop/domain/tax.py", "HEX201")
    ]
