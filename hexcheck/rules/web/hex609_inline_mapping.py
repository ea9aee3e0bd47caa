"""HEX609 inline-mapping: A route handler constructs a domain entity itself instead of
calling a mapper."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.web._private import display_name
from hexcheck.semantics.fastapi import web_index
from hexcheck.semantics.roles import is_frozen_dataclass, roles


class InlineMapping(Rule):
    code = "HEX609"
    name = "inline-mapping"
    severity = Severity.WARNING
    concern = "web"
    preset = "strict"
    summary = "A route handler constructs a domain entity itself instead of calling a mapper."
    subject = "route handlers map through mappers"
    why = (
        "Turning a request DTO into an entity is a translation with rules of its own: "
        "which fields are copied, which defaulted, which ids generated. Written inline in "
        "a handler it is repeated in every endpoint that needs it, drifts between them, "
        "and cannot be tested apart from HTTP. A mapper (a module or class in the web "
        "layer whose name contains `mapper`) keeps each translation in one place. Frozen "
        "dataclasses are value objects: wrapping a path parameter in `BookId(book_id)` "
        "parses input and is not reported; nor are domain factories (`Member.register(...)`)."
    )
    how_to_fix = (
        "Move the construction into a mapper and call it from the handler.\n\n"
        "Before:\n\n"
        "    member = Member(id=uuid4().hex, name=payload.name, email=payload.email)\n"
        "    registered = await use_case.execute(member)\n\n"
        "After:\n\n"
        "    registered = await use_case.execute(MemberMapper.to_entity(payload))"
    )
    valid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    name: str
# file: app/web/mappers/member_mapper.py
from app.domain.member import Member


class MemberMapper:
    @staticmethod
    def to_entity(payload) -> Member:
        return Member(name=payload.name)  # mappers construct entities
# file: app/web/members.py
from fastapi import APIRouter

from app.web.mappers.member_mapper import MemberMapper
from app.web.schemas import MemberResponse

router = APIRouter()


@router.post("/members")
async def register_member(payload: dict, use_case=None):
    member = await use_case.execute(MemberMapper.to_entity(payload))
    return MemberResponse(name=member.name)  # constructing a DTO is fine
""",
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    name: str

    @classmethod
    def register(cls, name: str) -> "Member":
        return cls(name)


@dataclass(frozen=True)
class MemberId:
    value: str
# file: app/web/members.py
from fastapi import APIRouter

from app.domain.member import Member, MemberId

router = APIRouter()


@router.post("/members")
async def register_member(name: str, use_case=None):
    return await use_case.execute(Member.register(name))  # a domain factory, not a constructor


@router.get("/members/{member_id}")
async def get_member(member_id: str, use_case=None):
    return await use_case.execute(MemberId(member_id))  # a value object wrapping an id
""",
    )
    invalid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass

@dataclass
class Member:
    id: str
    name: str
# file: app/web/members.py
from uuid import uuid4

from fastapi import APIRouter

from app.domain.member import Member

router = APIRouter()


@router.post("/members")
async def register_member(payload: dict, use_case=None):
    member = Member(  # error: HEX609
        id=uuid4().hex,
        name=payload["name"],
    )
    return await use_case.execute(member)
""",
        """\
# file: app/domain/__init__.py
from app.domain.book import Book
# file: app/domain/book.py
import dataclasses

@dataclasses.dataclass(eq=False)
class Book:
    isbn: str
    title: str
# file: app/web/books.py
from fastapi import APIRouter

from app import domain

router = APIRouter()


@router.put("/books/{isbn}")
async def replace_book(isbn: str, payload: dict, use_case=None):
    return await use_case.execute(domain.Book(isbn, payload["title"]))  # error: HEX609
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(roles(model).route_handlers)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        # A frozen dataclass is a value object (`MemberId(raw)` parses input, it maps nothing).
        entities = {ref.dotted for ref in index.roles.entities if not is_frozen_dataclass(ref)}
        for handler in roles(model).route_handlers:
            for call in handler.function.calls:
                ref = index.cls(call.callee)
                if ref is None or ref.dotted not in entities:
                    continue
                message = (
                    f"route handler '{display_name(handler.function)}' constructs the domain "
                    f"entity '{ref.cls.name}' itself instead of calling a mapper"
                )
                symbol = f"{handler.dotted}:{ref.dotted}"
                yield self.finding(handler.facts, call.span, message, symbol, model)
