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
