"""Port rules (HEX301-HEX304) beyond their examples: configuration, messages, tallies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.core.config import Config
from tests.conftest import write_project

PORTS = """\
# file: app/application/ports/books.py
from abc import ABC, abstractmethod


class BookRepository(ABC):
    @abstractmethod
    async def get(self, book_id: str) -> object: ...
    @abstractmethod
    async def add(self, book: object) -> None: ...
    @abstractmethod
    async def remove(self, book_id: str) -> None: ...
    @abstractmethod
    async def count(self) -> int: ...

    async def exists(self, book_id: str) -> bool:
        return await self.get(book_id) is not None


class AuthorRepository:
    async def get(self, author_id: str) -> object: ...
# file: app/infrastructure/mongo_books.py
from app.application.ports.books import BookRepository


class MongoBookRepository(BookRepository):
    async def get(self, book_id: str) -> object: ...
    async def add(self, book: object) -> None: ...
    async def remove(self, book_id: str) -> None: ...
    async def count(self) -> int:
        return 0
"""


def test_max_port_methods_comes_from_the_configuration(in_tmp: Path) -> None:
    write_project(in_tmp, PORTS)
    default = hexcheck.check(["."], replace(Config(), select=("HEX303",)))
    assert default.findings == ()
    narrow = hexcheck.check(["."], replace(Config(), select=("HEX303",), max_port_methods=4))
    assert [(f.symbol, f.message) for f in narrow.findings] == [
        (
            "app.application.ports.books.BookRepository",
            "port 'BookRepository' declares 5 public methods; the limit is 4 (max-port-methods)",
        )
    ]


def test_symbols_and_tallies(in_tmp: Path) -> None:
    write_project(in_tmp, PORTS)
    report = hexcheck.check(["."], replace(Config(), select=("HEX301", "HEX302", "HEX303", "HEX304")))
    assert sorted((f.code, f.symbol) for f in report.findings) == [
        ("HEX301", "app.application.ports.books.AuthorRepository"),
        ("HEX302", "app.application.ports.books.BookRepository.exists"),
    ]
    tallies = {t.code: (t.checked, t.failing) for t in report.tallies}
    # 2 ports; 5 methods in the one abstract port; 1 ABC port, implemented.
    assert tallies == {"HEX301": (2, 1), "HEX302": (5, 1), "HEX303": (2, 0), "HEX304": (1, 0)}


def test_an_incomplete_adapter_still_implements_its_port(in_tmp: Path) -> None:
    """A subclass that misses an abstract method is HEX501's business, not HEX304's."""
    write_project(
        in_tmp,
        """\
# file: app/application/ports/clock.py
from abc import ABC, abstractmethod


class Clock(ABC):
    @abstractmethod
    def now(self) -> float: ...
    @abstractmethod
    def today(self) -> str: ...
# file: app/infrastructure/clock.py
from app.application.ports.clock import Clock


class SystemClock(Clock):
    def now(self) -> float:
        return 0.0
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX304",)))
    assert report.findings == ()


TESTED_ONLY_BY_DOUBLES = """\
# file: app/application/ports/payments.py
from abc import ABC, abstractmethod


class PaymentGateway(ABC):
    @abstractmethod
    async def charge(self, member_id: str, cents: int) -> None: ...


class Notifier(ABC):
    @abstractmethod
    async def send(self, member_id: str, text: str) -> None: ...
# file: app/infrastructure/smtp_notifier.py
from app.application.ports.payments import Notifier


class SmtpNotifier(Notifier):
    async def send(self, member_id: str, text: str) -> None: ...
# file: tests/fakes.py
from abc import ABC

from app.application.ports.payments import Notifier, PaymentGateway


class RecordingDouble(ABC):  # a helper of the tests: no port, nothing to implement
    calls: list


class InMemoryPaymentGateway(PaymentGateway, RecordingDouble):
    async def charge(self, member_id: str, cents: int) -> None:
        self.calls.append((member_id, cents))


class FakeNotifier(Notifier, RecordingDouble):
    async def send(self, member_id: str, text: str) -> None:
        self.calls.append((member_id, text))
"""


def test_hex304_a_port_only_test_doubles_implement_has_no_adapter(in_tmp: Path) -> None:
    """Scanning the tests (`exclude` without `tests`) neither silences HEX304 for a port
    only a fake implements nor makes a port of the tests' own abstract helper."""
    write_project(in_tmp, TESTED_ONLY_BY_DOUBLES)
    scanning_tests = replace(Config(), select=("HEX304",), exclude=(".git",))
    found = [
        (f.location.path, f.location.line, f.message) for f in hexcheck.check(["."], scanning_tests).findings
    ]
    assert found == [
        (
            "app/application/ports/payments.py",
            4,
            "ABC port 'PaymentGateway' has no implementation outside test doubles: only "
            "'InMemoryPaymentGateway' (tests/fakes.py) derives from it",
        )
    ]
    by_default = hexcheck.check(["."], replace(Config(), select=("HEX304",))).findings
    assert [(f.location.path, f.location.line) for f in by_default] == [
        ("app/application/ports/payments.py", 4)
    ]


def test_hex304_a_generic_base_nothing_binds_is_not_expected_to_have_an_adapter(in_tmp: Path) -> None:
    """`CommandHandler(ABC, Generic[C, R])` with no subclass in the project is a library's
    extension point; a generic port the project binds (`BookRepository(Repository[str])`)
    is still judged, and so is what derives from it."""
    write_project(
        in_tmp,
        """\
# file: app/application/cqrs.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

C = TypeVar("C")
R = TypeVar("R")


class CommandHandler(ABC, Generic[C, R]):
    @abstractmethod
    async def handle(self, command: C) -> R: ...
# file: app/application/ports.py
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    async def get(self, key: str) -> T: ...


class BookRepository(Repository[str]):
    @abstractmethod
    async def add(self, book: str) -> None: ...


class Archive(ABC, Generic[T]):
    @abstractmethod
    async def store(self, item: str) -> None: ...


class LoanArchive(Archive[str]):
    async def store(self, item: str) -> None:
        return None
# file: app/infrastructure/bus.py
class InProcessBus: ...
""",
    )
    report = hexcheck.check(["."], replace(Config(), select=("HEX304",)))
    assert [(f.code, f.location.path, f.location.line, f.symbol) for f in report.findings] == [
        ("HEX304", "app/application/ports.py", 7, "app.application.ports.Repository"),
        ("HEX304", "app/application/ports.py", 12, "app.application.ports.BookRepository"),
    ]


def test_a_library_in_the_project_s_namespace_package_implements_no_port_of_it(in_tmp: Path) -> None:
    """`acme.platform` is a shared library outside the tree: its `Notifier` is not the
    project's port of that name, however alike their modules' names."""
    project = """\
# file: acme/orders/domain/ports/notifier.py
from abc import ABC, abstractmethod


class Notifier(ABC):
    @abstractmethod
    def order_shipped(self, order_id: str) -> None: ...
# file: acme/orders/application/ship_order.py
from acme.orders.domain.ports.notifier import Notifier


class ShipOrder:
    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier
# file: acme/orders/infrastructure/slack.py
from acme.platform.alerts.notifier import Notifier


class SlackAlerts(Notifier):
    def send(self, text: str) -> None:
        print(text)
"""
    write_project(in_tmp, project)
    report = hexcheck.check(["."], replace(Config(), select=("HEX304", "HEX501")))  # type: ignore[arg-type]
    found = [(f.location.path, f.location.line, f.code) for f in report.findings]
    assert found == [("acme/orders/domain/ports/notifier.py", 4, "HEX304")]
