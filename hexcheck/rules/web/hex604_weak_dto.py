"""HEX604 weak-dto: A DTO field is annotated Any, object, or a bare dict/list/set."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import Expr, ExprKind
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.semantics.fastapi import ANNOTATED, web_index
from hexcheck.semantics.libraries import SETTINGS_BASES
from hexcheck.semantics.roles import roles
from hexcheck.semantics.symbols import union_members

ANY = frozenset({"typing.Any", "typing_extensions.Any", "Any"})


# Bare containers a DTO field may not be annotated with (SPEC HEX604).
BARE_CONTAINERS = frozenset(
    {
        "dict", "list", "set", "frozenset", "tuple", "object",
        "typing.Dict", "typing.List", "typing.Set", "typing.FrozenSet", "typing.Tuple",
        "builtins.dict", "builtins.list", "builtins.set", "builtins.object",
    }
)  # fmt: skip


class WeakDto(Rule):
    code = "HEX604"
    name = "weak-dto"
    severity = Severity.WARNING
    concern = "web"
    summary = "A DTO field is annotated Any, object, or a bare dict/list/set."
    subject = "DTO fields are precisely typed"
    why = (
        "A DTO is the contract of the API: Pydantic validates requests against it and "
        "derives the OpenAPI schema from it. A field typed `Any`, `object` or a bare "
        "`dict`/`list` validates nothing, documents nothing and lets whatever the client "
        "sends flow into the use case, where it fails late and obscurely (or, in a "
        "response, leaks whatever the entity holds)."
    )
    how_to_fix = (
        "Give the field its real type: a nested DTO, `list[str]`, `dict[str, int]`, a "
        "`Literal` or an enum.\n\n"
        "Before:\n\n"
        "    class CreateBookRequest(BaseModel):\n"
        "        title: str\n"
        "        authors: list\n"
        "        metadata: Any\n\n"
        "After:\n\n"
        "    class CreateBookRequest(BaseModel):\n"
        "        title: str\n"
        "        authors: list[AuthorRef]\n"
        "        metadata: BookMetadata"
    )
    valid = (
        """\
# file: app/web/schemas.py
from typing import Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict


class BookResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    registry: ClassVar[dict] = {}

    title: str
    tags: list[str] = []
    ratings: dict[str, int] = {}
    extra: dict[str, Any] = {}  # parameterised: only bare containers are reported
    subtitle: Optional[str] = None
    _cache: dict = {}  # private attribute, not a field
""",
        """\
# file: app/infrastructure/settings.py
from typing import Any

from pydantic import BaseModel


class MongoOptions(BaseModel):  # not in the web layer: no DTO
    extra: Any = None
# file: app/web/schemas.py
from dataclasses import dataclass


@dataclass
class Page:  # not a Pydantic model
    items: list
""",
    )
    invalid = (
        """\
# file: app/web/schemas.py
import typing
from typing import Any, Dict, Optional

from pydantic import BaseModel


class CreateBookRequest(BaseModel):
    title: str
    authors: list  # error: HEX604
    metadata: Any  # error: HEX604
    tags: Optional[Dict] = None  # error: HEX604
    raw: typing.Any = None  # error: HEX604
""",
        """\
# file: app/web/schemas/base.py
from pydantic import BaseModel


class Envelope(BaseModel):
    request_id: str
# file: app/web/schemas/books.py
from app.web.schemas.base import Envelope


class BookListResponse(Envelope):
    items: list[dict]
    payload: object  # error: HEX604
    links: set | None = None  # error: HEX604
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for ref in roles(model).dtos for attribute in ref.cls.attributes if attribute.annotation)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        index = web_index(model)
        for ref in roles(model).dtos:
            if SETTINGS_BASES & set(index.roles.ancestors(ref)):
                continue
            for attribute in ref.cls.attributes:
                if attribute.annotation is None or attribute.name.startswith("_"):
                    continue
                weak = self._weak(attribute.annotation)
                if weak is None:
                    continue
                message = (
                    f"DTO '{ref.cls.name}' field '{attribute.name}' is annotated '{weak}', "
                    "which validates nothing"
                )
                symbol = f"{ref.dotted}.{attribute.name}"
                yield self.finding(ref.facts, attribute.span, message, symbol, model)

    def _weak(self, annotation: Expr) -> str | None:
        """The weak type an annotation boils down to (through Optional, unions, Annotated)."""
        if annotation.kind is ExprKind.NAME:
            if annotation.name in ANY:
                return "Any"
            if annotation.name in BARE_CONTAINERS:
                return annotation.name.rpartition(".")[2]
            return None
        union = union_members(annotation)
        if union is not None:
            return next((w for arg in union[0] for w in [self._weak(arg)] if w), None)
        if annotation.kind is ExprKind.SUBSCRIPT and annotation.name in ANNOTATED:
            return self._weak(annotation.args[0]) if annotation.args else None
        return None
