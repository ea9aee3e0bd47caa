# ruff: noqa: E501 - the templates are lines of generated code, kept whole to stay readable
"""A synthetic hexagonal monorepo for the benchmark: deterministic, realistic, ~1% wrong.

`generate(root, modules, seed)` writes exactly `modules` Python files under
`root/src/shop/`: a shared kernel and bounded contexts laid out as

    shop/<context>/domain/                 dataclass entities with __post_init__, events,
                                           exceptions, value objects, a domain service
    shop/<context>/application/ports/      ABC ports (repositories, publisher, clock, UoW)
    shop/<context>/application/use_cases/  one class per use case, with `execute`
    shop/<context>/infrastructure/persistence/   Motor repositories, unit of work, outbox
    shop/<context>/infrastructure/web/     FastAPI routers, Pydantic schemas, error handlers
    shop/<context>/bootstrap.py            the context's composition root
    shop/main.py                           the application's composition root

Regular modules are 50-300 lines; package `__init__.py` files are short, as in real
code. About 1% of the modules carry a planted violation, always inside one context so
that hexcheck, import-linter (layers with containers) and tach see the same layer
breaks; a few more are of kinds only hexcheck checks (forbidden packages, entity
validation). The same (modules, seed) always gives byte-identical files.

It also writes the configuration every tool needs: `pyproject.toml` with a
`[tool.hexcheck]` table, `.importlinter` and `tach.toml` (see `write_tool_configs`).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 3
MARKER = ".bench-tree.json"

CONTEXT_NAMES = (
    "orders", "billing", "catalog", "inventory", "shipping", "payments", "customers",
    "loyalty", "pricing", "returns", "reviews", "promotions", "warehouse", "fulfillment",
    "invoicing", "subscriptions", "notifications", "accounts", "search", "recommendations",
    "checkout", "carts", "suppliers", "procurement", "marketing", "support", "analytics",
    "taxes", "gift_cards", "marketplace",
)  # fmt: skip
REGIONS = ("", "_eu", "_us", "_apac", "_latam", "_mena")

ENTITY_NAMES = (
    "order", "order_line", "invoice", "payment", "refund", "shipment", "parcel", "carrier",
    "product", "variant", "category", "price_list", "discount", "coupon", "voucher",
    "customer", "address", "account", "wallet", "cart", "wishlist", "review", "rating",
    "warehouse", "stock_item", "reservation", "supplier", "purchase_order",
    "return_request", "subscription", "plan", "notification", "template", "campaign",
    "segment", "ticket", "agent", "tax_rate", "gift_card", "seller", "listing", "bundle",
    "delivery_slot", "pickup_point", "credit_note", "ledger_entry", "payout", "dispute",
)  # fmt: skip

VERBS = ("create", "get", "update", "archive", "list", "activate", "delete", "search", "export", "rename")

# (name, annotation, kind): kind decides validation, storage and the Pydantic type.
FIELD_POOL = (
    ("name", "str", "text"), ("title", "str", "text"), ("description", "str", "long_text"),
    ("reference", "str", "code"), ("sku", "str", "code"), ("quantity", "int", "count"),
    ("position", "int", "count"), ("priority", "int", "count"), ("amount", "Money", "money"),
    ("price", "Money", "money"), ("balance", "Money", "money"), ("email", "str", "email"),
    ("contact_email", "str", "email"), ("weight_grams", "int", "count"),
    ("discount_rate", "Decimal", "ratio"), ("tax_rate", "Decimal", "ratio"),
    ("is_featured", "bool", "flag"), ("is_gift", "bool", "flag"), ("tags", "list[str]", "tags"),
    ("labels", "list[str]", "tags"), ("customer_id", "str", "ref"), ("owner_id", "str", "ref"),
    ("parent_id", "str | None", "optional_ref"), ("due_at", "datetime | None", "optional_when"),
    ("expires_at", "datetime | None", "optional_when"), ("country_code", "str", "country"),
    ("currency", "str", "currency"), ("notes", "str | None", "optional_text"),
)  # fmt: skip

VIOLATIONS = (
    "domain_imports_persistence",  # HEX101 (+ a cycle, HEX104); import-linter and tach too
    "use_case_imports_web_schema",  # HEX101; import-linter and tach too
    "router_imports_persistence",  # HEX101 web -> infrastructure; import-linter and tach too
    "domain_imports_pydantic",  # HEX102: hexcheck only
    "port_imports_motor",  # HEX102: hexcheck only
    "entity_without_post_init",  # HEX201
    "builtin_exception_in_domain",  # HEX203
    "post_init_never_raises",  # HEX202
)


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def plural(snake: str) -> str:
    if snake.endswith(("s", "x")):
        return snake + "es"
    if snake.endswith("y") and snake[-2] not in "aeiou":
        return snake[:-1] + "ies"
    return snake + "s"


@dataclass
class Entity:
    name: str  # snake_case
    fields: list[tuple[str, str, str]]
    verbs: list[str]
    extra_methods: int
    cls: str = ""

    def __post_init__(self) -> None:
        self.cls = camel(self.name)


@dataclass
class Context:
    name: str
    entities: list[Entity]
    extra_use_cases: list[tuple[str, Entity]] = field(default_factory=list)  # padding modules
    violations: dict[str, str] = field(default_factory=dict)  # relative path -> violation kind


# ---------------------------------------------------------------------------- planning


# Files of a context apart from its entities: `simple_files` (19), events, exceptions,
# value objects, services and bootstrap.
FIXED_CONTEXT_FILES = 24


def _entity(rng: random.Random, name: str) -> Entity:
    fields = rng.sample(FIELD_POOL, rng.randint(3, 8))
    # unique field names, required before optional: dataclass order rules
    seen: set[str] = set()
    unique = []
    for f in fields:
        if f[0] not in seen:
            seen.add(f[0])
            unique.append(f)
    verbs = ["create", "get", *rng.sample(VERBS[2:], rng.randint(1, 4))]
    return Entity(name, unique, verbs, rng.randint(1, 5))


def _entity_files(entity: Entity) -> int:
    # domain entity, port, mongo repository, router, schemas, one use case per verb
    return 5 + len(entity.verbs)


def _context_name(index: int) -> str:
    base = CONTEXT_NAMES[index % len(CONTEXT_NAMES)]
    region = index // len(CONTEXT_NAMES)
    if region < len(REGIONS):
        return base + REGIONS[region]
    return f"{base}_{region}"


def plan(modules: int, seed: int) -> tuple[list[Context], int]:
    """Contexts whose files, with the shared kernel and the root, add up to `modules`."""
    rng = random.Random(seed)
    shared = len(SHARED_FILES) + 2  # + shop/__init__.py and shop/main.py
    if modules < shared + FIXED_CONTEXT_FILES + 12:
        raise ValueError(f"at least {shared + FIXED_CONTEXT_FILES + 12} modules are needed")
    budget = modules - shared
    contexts: list[Context] = []
    while budget >= FIXED_CONTEXT_FILES + 12:
        name = _context_name(len(contexts))
        wanted = rng.randint(6, 10)
        entities: list[Entity] = []
        used = FIXED_CONTEXT_FILES
        for entity_name in rng.sample(ENTITY_NAMES, wanted):
            entity = _entity(rng, entity_name)
            if used + _entity_files(entity) > budget:
                break
            entities.append(entity)
            used += _entity_files(entity)
        if not entities:
            break
        contexts.append(Context(name, entities))
        budget -= used
        # leave room for a whole next context, or pad this one
        if budget < FIXED_CONTEXT_FILES + 12:
            break
    # Pad with extra query use cases (as real contexts grow them) to hit `modules` exactly.
    index = 0
    while budget > 0:
        context = contexts[index % len(contexts)]
        entity = context.entities[index % len(context.entities)]
        context.extra_use_cases.append((f"query_{entity.name}_{len(context.extra_use_cases)}", entity))
        budget -= 1
        index += 1
    return contexts, modules


# ---------------------------------------------------------------------------- code


def _validation(entity: Entity, fname: str, kind: str, exc: str, rng: random.Random) -> list[str]:
    s = f"self.{fname}"
    if kind == "text":
        return [
            f"        if not {s} or not {s}.strip():",
            f'            raise {exc}("{fname} must not be blank")',
            f"        if len({s}) > MAX_{fname.upper()}_LENGTH:",
            f'            raise {exc}(f"{fname} is longer than {{MAX_{fname.upper()}_LENGTH}} characters")',
        ]
    if kind == "long_text":
        return [
            f"        if len({s}) > 5_000:",
            f'            raise {exc}("{fname} is too long")',
        ]
    if kind == "code":
        return [
            f"        if not _CODE_PATTERN.fullmatch({s}):",
            f'            raise {exc}(f"{fname} {{{s}!r}} is not a valid code")',
        ]
    if kind == "count":
        limit = rng.choice(("0", "1"))
        return [
            f"        if {s} < {limit}:",
            f'            raise {exc}(f"{fname} must be at least {limit}, got {{{s}}}")',
        ]
    if kind == "money":
        return [
            f"        if {s}.is_negative():",
            f'            raise {exc}("{fname} cannot be negative")',
        ]
    if kind == "email":
        return [
            f'        if "@" not in {s} or {s}.startswith("@"):',
            f'            raise {exc}(f"{{{s}!r}} is not an e-mail address")',
        ]
    if kind == "ratio":
        return [
            f'        if not Decimal("0") <= {s} <= Decimal("1"):',
            f'            raise {exc}(f"{fname} must be between 0 and 1, got {{{s}}}")',
        ]
    if kind == "tags":
        return [
            f"        if len(set({s})) != len({s}):",
            f'            raise {exc}("{fname} must not repeat")',
        ]
    if kind in ("ref", "optional_ref"):
        guard = f"{s} is not None and " if kind == "optional_ref" else ""
        return [
            f"        if {guard}not {s}:",
            f'            raise {exc}("{fname} must reference an existing record")',
        ]
    if kind == "optional_when":
        return [
            f"        if {s} is not None and {s}.tzinfo is None:",
            f'            raise {exc}("{fname} must be timezone-aware")',
        ]
    if kind == "country":
        return [
            f"        if len({s}) != 2 or not {s}.isupper():",
            f'            raise {exc}(f"{{{s}!r}} is not an ISO 3166 country code")',
        ]
    if kind == "currency":
        return [
            f"        if {s} not in SUPPORTED_CURRENCIES:",
            f'            raise {exc}(f"unsupported currency {{{s}!r}}")',
        ]
    return []  # flags and free text need no check


def _default(kind: str, annotation: str) -> str | None:
    if kind == "flag":
        return "False"
    if kind == "tags":
        return "field(default_factory=list)"
    if annotation.endswith("| None"):
        return "None"
    return None


def _sample_value(kind: str, fname: str) -> str:
    return {
        "text": f'"{fname.replace("_", " ")}"',
        "long_text": '"..."',
        "code": '"ABC-123"',
        "count": "1",
        "money": 'Money(Decimal("9.90"), "EUR")',
        "email": '"someone@example.com"',
        "ratio": 'Decimal("0.2")',
        "flag": "False",
        "tags": "[]",
        "ref": '"ref-1"',
        "optional_ref": "None",
        "optional_when": "None",
        "country": '"DE"',
        "currency": '"EUR"',
        "optional_text": "None",
    }[kind]


def domain_entity(ctx: Context, e: Entity, rng: random.Random, violation: str | None) -> str:
    pkg = f"shop.{ctx.name}"
    exc = f"Invalid{e.cls}Error"
    state = f"{e.cls}StateError"
    lines = [
        f'"""The {e.cls} aggregate of the {ctx.name.replace("_", " ")} context."""',
        "",
        "from __future__ import annotations",
        "",
        "import re",
        "from dataclasses import dataclass, field",
        "from datetime import datetime, timezone",
        "from decimal import Decimal",
        "from enum import Enum",
        "from uuid import uuid4",
        "",
    ]
    if violation == "domain_imports_pydantic":
        lines += ["from pydantic import BaseModel, Field", ""]
    lines += [
        "from shop.shared.domain.entity import AggregateRoot",
        "from shop.shared.domain.money import SUPPORTED_CURRENCIES, Money",
        f"from {pkg}.domain.events import {e.cls}Archived, {e.cls}Created, {e.cls}Updated",
        f"from {pkg}.domain.exceptions import {exc}, {state}",
    ]
    if violation == "domain_imports_persistence":
        lines.append(
            f"from {pkg}.infrastructure.persistence.mongo_{e.name}_repository import {e.name.upper()}_COLLECTION"
        )
    lines += ["", '_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")']
    for fname, _, kind in e.fields:
        if kind == "text":
            lines.append(f"MAX_{fname.upper()}_LENGTH = {rng.choice((80, 120, 200, 255))}")
    lines += [
        "",
        "",
        f"class {e.cls}Status(str, Enum):",
        f'    """Where a {e.name.replace("_", " ")} is in its life."""',
        "",
        '    DRAFT = "draft"',
        '    ACTIVE = "active"',
        '    SUSPENDED = "suspended"',
        '    ARCHIVED = "archived"',
        "",
        "",
    ]
    if violation == "domain_imports_pydantic":
        lines += [
            f"class {e.cls}Snapshot(BaseModel):",
            '    """A serialisable view, kept next to the aggregate for convenience."""',
            "",
            "    id: str",
            '    status: str = Field(default="draft")',
            "",
            "",
        ]
    required = [f for f in e.fields if _default(f[2], f[1]) is None]
    optional = [f for f in e.fields if _default(f[2], f[1]) is not None]
    lines += [
        "@dataclass",
        f"class {e.cls}(AggregateRoot):",
        f'    """A {e.name.replace("_", " ")}; every change goes through a method that keeps it valid."""',
        "",
        "    id: str",
    ]
    for fname, annotation, _ in required:
        lines.append(f"    {fname}: {annotation}")
    for fname, annotation, kind in optional:
        lines.append(f"    {fname}: {annotation} = {_default(kind, annotation)}")
    lines += [
        f"    status: {e.cls}Status = {e.cls}Status.DRAFT",
        "    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))",
        "    version: int = 0",
        "",
    ]
    raised = "ValueError" if violation == "builtin_exception_in_domain" else exc
    if violation != "entity_without_post_init":
        lines += ["    def __post_init__(self) -> None:"]
        if violation == "post_init_never_raises":
            lines += [
                "        self.tags_seen = True",
                "        self.version = max(self.version, 0)",
                "",
            ]
        else:
            lines += [
                "        if not self.id:",
                f'            raise {raised}("a {e.name.replace("_", " ")} needs an id")',
            ]
            for fname, _, kind in e.fields:
                lines += _validation(e, fname, kind, raised, rng)
            lines.append("")
    # factory
    params = ", ".join(f"{f}: {a}" for f, a, _ in required)
    args = ", ".join(f"{f}={f}" for f, _, _ in required)
    lines += [
        "    @classmethod",
        f"    def create(cls, {params}) -> {e.cls}:" if params else f"    def create(cls) -> {e.cls}:",
        f'        """A new {e.name.replace("_", " ")}, in draft, with a `{e.cls}Created` event recorded."""',
        f"        entity = cls(id=str(uuid4()){', ' + args if args else ''})",
        f"        entity.record({e.cls}Created(entity_id=entity.id, occurred_at=entity.created_at))",
        "        return entity",
        "",
        "    def activate(self) -> None:",
        f"        if self.status is {e.cls}Status.ARCHIVED:",
        f'            raise {state}(f"{{self.id}} is archived and cannot be activated")',
        f"        if self.status is {e.cls}Status.ACTIVE:",
        "            return",
        f"        self.status = {e.cls}Status.ACTIVE",
        "        self._touch()",
        "",
        "    def suspend(self, reason: str) -> None:",
        f"        if self.status is not {e.cls}Status.ACTIVE:",
        f'            raise {state}(f"only an active {e.name.replace("_", " ")} can be suspended, not {{self.status.value}}")',
        "        if not reason.strip():",
        f'            raise {exc}("a suspension needs a reason")',
        f"        self.status = {e.cls}Status.SUSPENDED",
        "        self._touch()",
        "",
        "    def archive(self) -> None:",
        f"        if self.status is {e.cls}Status.ARCHIVED:",
        f'            raise {state}(f"{{self.id}} is already archived")',
        f"        self.status = {e.cls}Status.ARCHIVED",
        f"        self.record({e.cls}Archived(entity_id=self.id, occurred_at=datetime.now(timezone.utc)))",
        "        self._touch()",
        "",
    ]
    for index in range(e.extra_methods):
        fname, annotation, kind = e.fields[index % len(e.fields)]
        if kind == "tags":
            lines += [
                f"    def add_{fname[:-1]}(self, value: str) -> None:",
                "        value = value.strip().lower()",
                "        if not value:",
                f'            raise {exc}("an empty {fname[:-1]} cannot be added")',
                f"        if value not in self.{fname}:",
                f"            self.{fname}.append(value)",
                "            self._touch()",
                "",
                f"    def remove_{fname[:-1]}(self, value: str) -> None:",
                f"        self.{fname} = [item for item in self.{fname} if item != value]",
                "        self._touch()",
                "",
            ]
        elif kind == "money":
            lines += [
                f"    def adjust_{fname}(self, delta: Money) -> Money:",
                f"        if self.status is {e.cls}Status.ARCHIVED:",
                f'            raise {state}("an archived {e.name.replace("_", " ")} cannot change")',
                f"        updated = self.{fname}.add(delta)",
                "        if updated.is_negative():",
                f'            raise {exc}(f"{fname} would become negative: {{updated}}")',
                f"        self.{fname} = updated",
                "        self._touch()",
                f"        return self.{fname}",
                "",
            ]
        elif kind == "count":
            lines += [
                f"    def increase_{fname}(self, by: int = 1) -> int:",
                "        if by <= 0:",
                f'            raise {exc}(f"cannot increase {fname} by {{by}}")',
                f"        self.{fname} += by",
                "        self._touch()",
                f"        return self.{fname}",
                "",
                "    @property",
                f"    def has_{fname}(self) -> bool:",
                f"        return self.{fname} > 0",
                "",
            ]
        else:
            lines += [
                f"    def change_{fname}(self, value: {annotation}) -> None:",
                f"        if self.status is {e.cls}Status.ARCHIVED:",
                f'            raise {state}("an archived {e.name.replace("_", " ")} cannot change")',
                f"        previous, self.{fname} = self.{fname}, value",
                "        try:",
                "            self.__post_init__()",
                f"        except {exc}:",
                f"            self.{fname} = previous",
                "            raise",
                f'        self.record({e.cls}Updated(entity_id=self.id, occurred_at=datetime.now(timezone.utc), changed=("{fname}",)))',
                "        self._touch()",
                "",
            ]
    lines += [
        "    @property",
        "    def is_active(self) -> bool:",
        f"        return self.status is {e.cls}Status.ACTIVE",
        "",
        "    def snapshot(self) -> dict[str, object]:",
        '        """Plain values, for logs and projections."""',
        "        return {",
        '            "id": self.id,',
    ]
    for fname, _, kind in e.fields:
        value = f"str(self.{fname})" if kind in ("money", "ratio") else f"self.{fname}"
        lines.append(f'            "{fname}": {value},')
    lines += [
        '            "status": self.status.value,',
        '            "version": self.version,',
        "        }",
        "",
        "    def _touch(self) -> None:",
        "        self.version += 1",
        "",
    ]
    if violation == "domain_imports_persistence":
        lines += [
            "    @staticmethod",
            "    def collection_name() -> str:",
            f"        return {e.name.upper()}_COLLECTION",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def domain_events(ctx: Context) -> str:
    lines = [
        f'"""What happens in the {ctx.name.replace("_", " ")} context, as immutable facts."""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from datetime import datetime",
        "",
        "from shop.shared.domain.events import DomainEvent",
        "",
    ]
    for e in ctx.entities:
        for suffix, extra in (
            ("Created", []),
            ("Updated", ["    changed: tuple[str, ...] = ()"]),
            ("Archived", []),
        ):
            lines += [
                "",
                "@dataclass(frozen=True)",
                f"class {e.cls}{suffix}(DomainEvent):",
                "    entity_id: str",
                "    occurred_at: datetime",
                *extra,
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def domain_exceptions(ctx: Context) -> str:
    base = camel(ctx.name) + "Error"
    lines = [
        f'"""The errors the {ctx.name.replace("_", " ")} domain raises; the web adapter maps them to HTTP."""',
        "",
        "from __future__ import annotations",
        "",
        "from shop.shared.domain.exceptions import DomainError",
        "",
        "",
        f"class {base}(DomainError):",
        f'    """Base class of every {ctx.name.replace("_", " ")} error."""',
        "",
    ]
    for e in ctx.entities:
        lines += [
            "",
            f"class Invalid{e.cls}Error({base}):",
            f'    """A {e.name.replace("_", " ")} would break one of its invariants."""',
            "",
            "",
            f"class {e.cls}StateError({base}):",
            f'    """The {e.name.replace("_", " ")} is not in a state that allows this."""',
            "",
            "",
            f"class {e.cls}NotFoundError({base}):",
            "    def __init__(self, entity_id: str) -> None:",
            f'        super().__init__(f"no {e.name.replace("_", " ")} with id {{entity_id!r}}")',
            "        self.entity_id = entity_id",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def value_objects(ctx: Context, rng: random.Random) -> str:
    base = camel(ctx.name) + "Error"
    lines = [
        f'"""Value objects of the {ctx.name.replace("_", " ")} context."""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from decimal import ROUND_HALF_EVEN, Decimal",
        "",
        f"from shop.{ctx.name}.domain.exceptions import {base}",
        "",
        "",
        f"class InvalidValueError({base}):",
        '    """A value object was given a value outside its domain."""',
        "",
    ]
    for name in rng.sample(
        ("Quantity", "Percentage", "Slug", "PostalCode", "Dimensions", "Window", "Score"), 4
    ):
        lines += ["", "@dataclass(frozen=True)", f"class {name}:"]
        if name == "Quantity":
            lines += [
                "    value: int",
                '    unit: str = "piece"',
                "",
                "    def __post_init__(self) -> None:",
                "        if self.value < 0:",
                '            raise InvalidValueError(f"a quantity cannot be negative: {self.value}")',
                '        if self.unit not in {"piece", "kg", "litre", "metre"}:',
                '            raise InvalidValueError(f"unknown unit {self.unit!r}")',
                "",
                "    def __add__(self, other: Quantity) -> Quantity:",
                "        if other.unit != self.unit:",
                '            raise InvalidValueError("cannot add quantities of different units")',
                "        return Quantity(self.value + other.value, self.unit)",
            ]
        elif name == "Percentage":
            lines += [
                "    value: Decimal",
                "",
                "    def __post_init__(self) -> None:",
                '        if not Decimal("0") <= self.value <= Decimal("100"):',
                '            raise InvalidValueError(f"{self.value} is not a percentage")',
                "",
                "    def of(self, amount: Decimal) -> Decimal:",
                '        return (amount * self.value / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)',
            ]
        elif name == "Slug":
            lines += [
                "    value: str",
                "",
                "    def __post_init__(self) -> None:",
                '        if not self.value or not all(c.isalnum() or c == "-" for c in self.value):',
                '            raise InvalidValueError(f"{self.value!r} is not a slug")',
                "",
                "    @classmethod",
                "    def from_title(cls, title: str) -> Slug:",
                '        words = "".join(c if c.isalnum() else " " for c in title.lower()).split()',
                '        return cls("-".join(words)[:64])',
            ]
        elif name == "PostalCode":
            lines += [
                "    country: str",
                "    code: str",
                "",
                "    def __post_init__(self) -> None:",
                "        if len(self.country) != 2:",
                '            raise InvalidValueError(f"{self.country!r} is not a country code")',
                '        if not self.code.replace(" ", "").isalnum():',
                '            raise InvalidValueError(f"{self.code!r} is not a postal code")',
            ]
        elif name == "Dimensions":
            lines += [
                "    width_mm: int",
                "    height_mm: int",
                "    depth_mm: int",
                "",
                "    def __post_init__(self) -> None:",
                "        if min(self.width_mm, self.height_mm, self.depth_mm) <= 0:",
                '            raise InvalidValueError("every dimension must be positive")',
                "",
                "    @property",
                "    def volume_cm3(self) -> float:",
                "        return self.width_mm * self.height_mm * self.depth_mm / 1000",
            ]
        elif name == "Window":
            lines += [
                "    opens_at: int",
                "    closes_at: int",
                "",
                "    def __post_init__(self) -> None:",
                "        if not 0 <= self.opens_at < self.closes_at <= 24 * 60:",
                '            raise InvalidValueError(f"invalid window {self.opens_at}-{self.closes_at}")',
                "",
                "    def contains(self, minute: int) -> bool:",
                "        return self.opens_at <= minute < self.closes_at",
            ]
        else:
            lines += [
                "    value: float",
                "",
                "    def __post_init__(self) -> None:",
                "        if not 0.0 <= self.value <= 5.0:",
                '            raise InvalidValueError(f"a score is between 0 and 5, got {self.value}")',
                "",
                "    def rounded(self) -> float:",
                "        return round(self.value * 2) / 2",
            ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def domain_service(ctx: Context, rng: random.Random) -> str:
    entities = ctx.entities[: rng.randint(2, min(4, len(ctx.entities)))]
    lines = [
        f'"""Rules of the {ctx.name.replace("_", " ")} context that belong to no single aggregate."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Iterable",
        "from decimal import Decimal",
        "",
    ]
    for e in entities:
        lines.append(f"from shop.{ctx.name}.domain.{e.name} import {e.cls}, {e.cls}Status")
    lines += [
        f"from shop.{ctx.name}.domain.exceptions import {camel(ctx.name)}Error",
        "",
        "",
        f"class {camel(ctx.name)}Policy:",
        '    """Decisions that need several aggregates at once."""',
        "",
        '    def __init__(self, limit: int = 100, threshold: Decimal = Decimal("0.8")) -> None:',
        "        if limit <= 0:",
        f'            raise {camel(ctx.name)}Error("the limit must be positive")',
        "        self._limit = limit",
        "        self._threshold = threshold",
        "",
    ]
    for e in entities:
        lines += [
            f"    def active_{plural(e.name)}(self, items: Iterable[{e.cls}]) -> list[{e.cls}]:",
            f"        chosen = [item for item in items if item.status is {e.cls}Status.ACTIVE]",
            "        if len(chosen) > self._limit:",
            f'            raise {camel(ctx.name)}Error(f"more than {{self._limit}} active {plural(e.name).replace("_", " ")}")',
            "        return sorted(chosen, key=lambda item: (item.created_at, item.id))",
            "",
            f"    def can_archive_{e.name}(self, item: {e.cls}, open_items: int) -> bool:",
            f"        if item.status is {e.cls}Status.ARCHIVED:",
            "            return False",
            "        ratio = Decimal(open_items) / Decimal(max(self._limit, 1))",
            "        return ratio < self._threshold",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _lookup_fields(e: Entity) -> list[tuple[str, str, str]]:
    """The field a repository can look an entity up by (at most one, to keep ports narrow)."""
    return [f for f in e.fields if f[2] in ("text", "code", "email", "ref")][:1]


def port_repository(ctx: Context, e: Entity, violation: str | None) -> str:
    pkg = f"shop.{ctx.name}"
    lines = [
        f'"""The port through which use cases keep {plural(e.name).replace("_", " ")}."""',
        "",
        "from __future__ import annotations",
        "",
        "from abc import ABC, abstractmethod",
        "from collections.abc import Sequence",
        "from datetime import datetime",
        "",
    ]
    if violation == "port_imports_motor":
        lines += ["from motor.motor_asyncio import AsyncIOMotorClientSession", ""]
    lines += [
        f"from {pkg}.domain.{e.name} import {e.cls}, {e.cls}Status",
        "",
        "",
        f"class {e.cls}Repository(ABC):",
        f'    """Where {e.cls} aggregates are stored; implemented by an infrastructure adapter."""',
        "",
        "    @abstractmethod",
        f"    async def get(self, entity_id: str) -> {e.cls} | None:",
        f'        """The {e.name.replace("_", " ")} with this id, or None."""',
        "",
        "    @abstractmethod",
    ]
    if violation == "port_imports_motor":
        lines.append(
            f"    async def add(self, entity: {e.cls}, session: AsyncIOMotorClientSession | None = None) -> None:"
        )
    else:
        lines.append(f"    async def add(self, entity: {e.cls}) -> None:")
    lines += [
        f'        """Store a new {e.name.replace("_", " ")}."""',
        "",
        "    @abstractmethod",
        f"    async def save(self, entity: {e.cls}, expected_version: int) -> None:",
        '        """Store changes; fails when someone else saved in between."""',
        "",
        "    @abstractmethod",
        "    async def delete(self, entity_id: str) -> bool:",
        '        """Remove it; whether it was there."""',
        "",
        "    @abstractmethod",
        f"    async def list_by_status(self, status: {e.cls}Status, offset: int, limit: int) -> Sequence[{e.cls}]:",
        '        """A page, oldest first."""',
        "",
    ]
    for fname, annotation, kind in _lookup_fields(e):
        if kind in ("text", "code", "email", "ref"):
            lines += [
                "    @abstractmethod",
                f"    async def find_by_{fname}(self, {fname}: {annotation}) -> {e.cls} | None:",
                f'        """The {e.name.replace("_", " ")} with this {fname.replace("_", " ")}, if any."""',
                "",
            ]
    lines += [
        "    @abstractmethod",
        f"    async def get_many(self, ids: Sequence[str]) -> dict[str, {e.cls}]:",
        '        """Those of `ids` that exist, by id; missing ids are simply absent."""',
        "",
        "    @abstractmethod",
        f"    async def list_changed_since(self, since: datetime, limit: int = 100) -> Sequence[{e.cls}]:",
        '        """For projections and exports: what changed after `since`, oldest change first."""',
        "",
        "",
        f"class {e.cls}ReadModel(ABC):",
        f'    """Denormalised views of {plural(e.name).replace("_", " ")} for queries; may lag behind the repository."""',
        "",
        "    @abstractmethod",
        "    async def summary(self, entity_id: str) -> dict[str, object] | None:",
        '        """The flattened view shown in lists."""',
        "",
        "    @abstractmethod",
        "    async def search(self, text: str, limit: int = 20) -> Sequence[dict[str, object]]:",
        '        """Full-text search over the views."""',
        "",
        "    @abstractmethod",
        f"    async def counts_by_status(self) -> dict[{e.cls}Status, int]:",
        '        """How many in each status, for dashboards."""',
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def use_case(ctx: Context, e: Entity, verb: str, module: str, rng: random.Random, violation: str | None,
             other: tuple[str, Entity] | None) -> str:  # fmt: skip
    pkg = f"shop.{ctx.name}"
    cls = camel(module)
    required = [f for f in e.fields if _default(f[2], f[1]) is None]
    lines = [
        f'"""Use case: {module.replace("_", " ")}."""',
        "",
        "from __future__ import annotations",
        "",
        "import logging",
        "from dataclasses import dataclass",
        "",
        f"from {pkg}.application.ports.clock import Clock",
        f"from {pkg}.application.ports.event_publisher import EventPublisher",
        f"from {pkg}.application.ports.{e.name}_repository import {e.cls}Repository",
        f"from {pkg}.application.ports.unit_of_work import UnitOfWork",
        f"from {pkg}.application.exceptions import ConcurrencyError, PermissionDeniedError",
        f"from {pkg}.domain.exceptions import {e.cls}NotFoundError",
        f"from {pkg}.domain.{e.name} import {e.cls}, {e.cls}Status",
    ]
    if other is not None:
        lines.append(f"from shop.{other[0]}.domain.{other[1].name} import {other[1].cls}")
    if violation == "use_case_imports_web_schema":
        lines.append(f"from {pkg}.infrastructure.web.schemas.{e.name} import {e.cls}Out")
    if any(kind == "money" for _, _, kind in required):
        lines.append("from shop.shared.domain.money import Money")
    if any(annotation.startswith("Decimal") for _, annotation, _ in required):
        lines.insert(6, "from decimal import Decimal")
    if any("datetime" in annotation for _, annotation, _ in e.fields):
        lines.insert(6, "from datetime import datetime")
    lines += [
        "",
        "logger = logging.getLogger(__name__)",
        f"_MAX_ATTEMPTS = {rng.choice((2, 3, 5))}",
        f'_ACTION = "{module.replace("_", ".")}"',
        "",
        "",
        "@dataclass(frozen=True)",
        f"class {cls}Command:",
        '    """What the caller asks for; validated by the domain, not here."""',
        "",
    ]
    if verb == "create":
        for fname, annotation, _ in required:
            lines.append(f"    {fname}: {annotation}")
        lines.append("    requested_by: str")
    elif verb in ("list", "search", "export") or verb.startswith("query"):
        lines += ["    status: str | None = None", "    offset: int = 0", "    limit: int = 50"]
    else:
        lines += ["    entity_id: str", "    requested_by: str"]
        if verb == "update" and required:
            fname, annotation, _ = required[0]
            lines.append(f"    {fname}: {annotation} | None = None")
        if verb == "rename":
            lines.append('    new_name: str = ""')
    lines += [
        "",
        "",
        "@dataclass(frozen=True)",
        f"class {cls}Result:",
        "    id: str",
        "    status: str",
        "    version: int",
        "",
        "    @classmethod",
        f"    def of(cls, entity: {e.cls}) -> {cls}Result:",
        "        return cls(entity.id, entity.status.value, entity.version)",
        "",
        "",
        f"class {cls}:",
        f'    """{module.replace("_", " ").capitalize()}: the application service the web adapter calls."""',
        "",
        "    def __init__(",
        "        self,",
        f"        repository: {e.cls}Repository,",
        "        unit_of_work: UnitOfWork,",
        "        publisher: EventPublisher,",
        "        clock: Clock,",
        "    ) -> None:",
        "        self._repository = repository",
        "        self._unit_of_work = unit_of_work",
        "        self._publisher = publisher",
        "        self._clock = clock",
        "",
    ]
    if verb == "create":
        args = ", ".join(f"command.{f}" for f, _, _ in required)
        lines += [
            f"    async def execute(self, command: {cls}Command) -> {cls}Result:",
            f'        """Create a {e.name.replace("_", " ")} and publish its `Created` event once stored."""',
            "        await self._authorize(command.requested_by)",
            f"        entity = {e.cls}.create({args})",
            "        async with self._unit_of_work:",
            "            await self._repository.add(entity)",
            "            await self._unit_of_work.commit()",
            "        await self._publisher.publish_all(entity.pull_events())",
            '        logger.info("%s created %s", command.requested_by, entity.id)',
            f"        return {cls}Result.of(entity)",
            "",
        ]
    elif verb in ("list", "search", "export") or verb.startswith("query"):
        lines += [
            f"    async def execute(self, command: {cls}Command) -> list[{cls}Result]:",
            "        if command.limit <= 0 or command.limit > 500:",
            '            raise ValueError("limit must be between 1 and 500")',
            f"        status = {e.cls}Status(command.status) if command.status else {e.cls}Status.ACTIVE",
            "        found = await self._repository.list_by_status(status, command.offset, command.limit)",
            f"        results = [{cls}Result.of(entity) for entity in found]",
            '        logger.debug("%d results at offset %d", len(results), command.offset)',
            "        return results",
            "",
        ]
    else:
        action = {
            "archive": "entity.archive()",
            "activate": "entity.activate()",
            "delete": "entity.archive()",
            "get": None,
            "update": None,
            "rename": None,
        }.get(verb)
        lines += [
            f"    async def execute(self, command: {cls}Command) -> {cls}Result:",
            f'        """{verb.capitalize()} the {e.name.replace("_", " ")}; retried when someone else saved first."""',
            "        await self._authorize(command.requested_by)",
        ]
        if verb == "get":
            lines += [
                "        entity = await self._load(command.entity_id)",
                f"        return {cls}Result.of(entity)",
                "",
            ]
        else:
            lines += [
                "        for attempt in range(1, _MAX_ATTEMPTS + 1):",
                "            entity = await self._load(command.entity_id)",
            ]
            if action is not None:
                lines.append(f"            {action}")
            elif verb == "update" and required:
                fname = required[0][0]
                lines += [
                    f"            if command.{fname} is not None:",
                    f"                entity.{fname} = command.{fname}",
                    "                entity.__post_init__()",
                ]
            else:
                lines += ["            entity.version += 0"]
            lines += [
                "            try:",
                "                async with self._unit_of_work:",
                "                    await self._repository.save(entity, expected_version=entity.version - 1)",
                "                    await self._unit_of_work.commit()",
                "            except ConcurrencyError:",
                "                if attempt == _MAX_ATTEMPTS:",
                "                    raise",
                '                logger.warning("%s: conflict on %s, attempt %d", _ACTION, command.entity_id, attempt)',
                "                continue",
                "            break",
                "        await self._publisher.publish_all(entity.pull_events())",
                '        logger.info("%s: %s by %s", _ACTION, entity.id, command.requested_by)',
                f"        return {cls}Result.of(entity)",
                "",
            ]
        lines += [
            f"    async def _load(self, entity_id: str) -> {e.cls}:",
            "        entity = await self._repository.get(entity_id)",
            "        if entity is None:",
            f"            raise {e.cls}NotFoundError(entity_id)",
            "        return entity",
            "",
        ]
    lines += [
        "    async def _authorize(self, actor: str) -> None:",
        '        """Every use case needs an authenticated actor; finer rules live in the domain."""',
        '        if not actor or actor == "anonymous":',
        '            raise PermissionDeniedError(actor or "<nobody>", _ACTION)',
        "",
    ]
    if other is not None:
        lines += [
            "    @staticmethod",
            f"    def _describe_related(related: {other[1].cls}) -> str:",
            '        """Related records of another context appear in audit logs by id only."""',
            f'        return f"{other[1].name}:{{related.id}}"',
            "",
        ]
    if violation == "use_case_imports_web_schema":
        lines += [
            "    @staticmethod",
            f"    def _as_response(entity: {e.cls}) -> {e.cls}Out:",
            f"        return {e.cls}Out.model_validate(entity.snapshot())",
            "",
        ]
    for index in range(rng.randint(1, 4)):
        lines += [
            f"    def _audit_{index}(self, entity: {e.cls}, actor: str) -> dict[str, object]:",
            "        return {",
            f'            "action": "{module}",',
            '            "entity": entity.id,',
            '            "actor": actor,',
            '            "at": self._clock.now().isoformat(),',
            '            "version": entity.version,',
            "        }",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def mongo_repository(ctx: Context, e: Entity, rng: random.Random) -> str:
    pkg = f"shop.{ctx.name}"
    coll = f"{e.name.upper()}_COLLECTION"
    lines = [
        f'"""MongoDB (Motor) storage for {plural(e.name).replace("_", " ")}."""',
        "",
        "from __future__ import annotations",
        "",
        "import logging",
        "from collections.abc import Sequence",
        "from datetime import datetime, timezone",
        "from decimal import Decimal",
        "from typing import Any",
        "",
        "from motor.motor_asyncio import AsyncIOMotorCollection, AsyncIOMotorDatabase",
        "from pymongo import ASCENDING, DESCENDING, IndexModel",
        "from pymongo.errors import DuplicateKeyError, PyMongoError",
        "",
        f"from {pkg}.application.ports.{e.name}_repository import {e.cls}ReadModel, {e.cls}Repository",
        f"from {pkg}.domain.{e.name} import {e.cls}, {e.cls}Status",
        f"from {pkg}.infrastructure.persistence.errors import ConcurrentUpdateError, PersistenceError",
        "from shop.shared.domain.money import Money",
        "from shop.shared.infrastructure.mongo import session_or_none",
        "",
        "logger = logging.getLogger(__name__)",
        "",
        f'{coll} = "{ctx.name}_{plural(e.name)}"',
        "",
        "",
        f"class Mongo{e.cls}Repository({e.cls}Repository):",
        f'    """One document per {e.name.replace("_", " ")}; money as strings, to stay exact."""',
        "",
        "    INDEXES = (",
        '        IndexModel([("status", ASCENDING), ("created_at", ASCENDING)]),',
        '        IndexModel([("version", DESCENDING)]),',
        "    )",
        "",
        "    def __init__(self, database: AsyncIOMotorDatabase) -> None:",
        f"        self._collection: AsyncIOMotorCollection = database[{coll}]",
        "",
        "    async def ensure_indexes(self) -> None:",
        "        await self._collection.create_indexes(list(self.INDEXES))",
        "",
        f"    async def get(self, entity_id: str) -> {e.cls} | None:",
        "        try:",
        '            document = await self._collection.find_one({"_id": entity_id}, session=session_or_none())',
        "        except PyMongoError as exc:",
        f'            raise PersistenceError(f"could not load {e.name.replace("_", " ")} {{entity_id}}") from exc',
        "        return None if document is None else _from_document(document)",
        "",
        f"    async def add(self, entity: {e.cls}) -> None:",
        "        try:",
        "            await self._collection.insert_one(_to_document(entity), session=session_or_none())",
        "        except DuplicateKeyError as exc:",
        '            raise PersistenceError(f"{entity.id} already exists") from exc',
        "",
        f"    async def save(self, entity: {e.cls}, expected_version: int) -> None:",
        "        result = await self._collection.replace_one(",
        '            {"_id": entity.id, "version": expected_version},',
        "            _to_document(entity),",
        "            session=session_or_none(),",
        "        )",
        "        if result.matched_count == 0:",
        "            raise ConcurrentUpdateError(entity.id, expected_version)",
        "",
        "    async def delete(self, entity_id: str) -> bool:",
        '        result = await self._collection.delete_one({"_id": entity_id}, session=session_or_none())',
        "        return result.deleted_count == 1",
        "",
        f"    async def list_by_status(self, status: {e.cls}Status, offset: int, limit: int) -> Sequence[{e.cls}]:",
        "        cursor = (",
        '            self._collection.find({"status": status.value}, session=session_or_none())',
        '            .sort("created_at", ASCENDING)',
        "            .skip(offset)",
        "            .limit(limit)",
        "        )",
        "        return [_from_document(document) async for document in cursor]",
        "",
        f"    async def count(self, status: {e.cls}Status | None = None) -> int:",
        '        query: dict[str, Any] = {} if status is None else {"status": status.value}',
        "        try:",
        "            return await self._collection.count_documents(query, session=session_or_none())",
        "        except PyMongoError as exc:",
        f'            raise PersistenceError("could not count {plural(e.name).replace("_", " ")}") from exc',
        "",
    ]
    lines += [
        f"    async def get_many(self, ids: Sequence[str]) -> dict[str, {e.cls}]:",
        '        cursor = self._collection.find({"_id": {"$in": list(ids)}}, session=session_or_none())',
        "        try:",
        "            found = [_from_document(document) async for document in cursor]",
        "        except PyMongoError as exc:",
        f'            raise PersistenceError(f"could not load {{len(ids)}} {plural(e.name).replace("_", " ")}") from exc',
        "        return {entity.id: entity for entity in found}",
        "",
        f"    async def list_changed_since(self, since: datetime, limit: int = 100) -> Sequence[{e.cls}]:",
        '        cursor = self._collection.find({"updated_at": {"$gt": since}}).sort("updated_at", ASCENDING).limit(limit)',
        "        return [_from_document(document) async for document in cursor]",
        "",
    ]
    for fname, annotation, kind in _lookup_fields(e):
        if kind in ("text", "code", "email", "ref"):
            lines += [
                f"    async def find_by_{fname}(self, {fname}: {annotation}) -> {e.cls} | None:",
                f'        document = await self._collection.find_one({{"{fname}": {fname}}}, session=session_or_none())',
                "        return None if document is None else _from_document(document)",
                "",
            ]
    lines += [
        "",
        f"class Mongo{e.cls}ReadModel({e.cls}ReadModel):",
        f'    """Flattened {e.name.replace("_", " ")} views, maintained by a projector from the outbox."""',
        "",
        "    def __init__(self, database: AsyncIOMotorDatabase) -> None:",
        f'        self._views: AsyncIOMotorCollection = database[{coll} + "_views"]',
        "",
        "    async def summary(self, entity_id: str) -> dict[str, object] | None:",
        "        try:",
        '            return await self._views.find_one({"_id": entity_id}, projection={"_id": 0})',
        "        except PyMongoError as exc:",
        '            raise PersistenceError(f"could not read the view of {entity_id}") from exc',
        "",
        "    async def search(self, text: str, limit: int = 20) -> Sequence[dict[str, object]]:",
        '        cursor = self._views.find({"$text": {"$search": text}}, {"score": {"$meta": "textScore"}})',
        '        cursor = cursor.sort([("score", {"$meta": "textScore"})]).limit(limit)',
        "        return [document async for document in cursor]",
        "",
        f"    async def counts_by_status(self) -> dict[{e.cls}Status, int]:",
        '        pipeline = [{"$group": {"_id": "$status", "count": {"$sum": 1}}}]',
        f"        counts = {{status: 0 for status in {e.cls}Status}}",
        "        async for row in self._views.aggregate(pipeline):",
        f'            counts[{e.cls}Status(row["_id"])] = int(row["count"])',
        "        return counts",
        "",
        "",
        f"def _to_document(entity: {e.cls}) -> dict[str, Any]:",
        "    return {",
        '        "_id": entity.id,',
    ]
    for fname, _, kind in e.fields:
        if kind == "money":
            lines.append(
                f'        "{fname}": {{"amount": str(entity.{fname}.amount), "currency": entity.{fname}.currency}},'
            )
        elif kind == "ratio":
            lines.append(f'        "{fname}": str(entity.{fname}),')
        elif kind == "tags":
            lines.append(f'        "{fname}": sorted(entity.{fname}),')
        else:
            lines.append(f'        "{fname}": entity.{fname},')
    lines += [
        '        "status": entity.status.value,',
        '        "created_at": entity.created_at,',
        '        "version": entity.version,',
        "    }",
        "",
        "",
        f"def _from_document(document: dict[str, Any]) -> {e.cls}:",
        f"    return {e.cls}(",
        '        id=document["_id"],',
    ]
    for fname, _, kind in e.fields:
        if kind == "money":
            lines.append(
                f'        {fname}=Money(Decimal(document["{fname}"]["amount"]), document["{fname}"]["currency"]),'
            )
        elif kind == "ratio":
            lines.append(f'        {fname}=Decimal(document["{fname}"]),')
        elif kind == "tags":
            lines.append(f'        {fname}=list(document.get("{fname}", [])),')
        elif kind.startswith("optional"):
            lines.append(f'        {fname}=document.get("{fname}"),')
        else:
            lines.append(f'        {fname}=document["{fname}"],')
    lines += [
        f'        status={e.cls}Status(document["status"]),',
        '        created_at=_aware(document["created_at"]),',
        '        version=int(document.get("version", 0)),',
        "    )",
        "",
        "",
        "def _aware(value: datetime) -> datetime:",
        '    """Motor returns naive UTC datetimes unless the client is told otherwise."""',
        "    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)",
    ]
    for index in range(rng.randint(0, 2)):
        lines += [
            "",
            "",
            f"async def migrate_v{index + 1}(collection: AsyncIOMotorCollection) -> int:",
            f'    """Backfill documents written before version {index + 1} of the schema."""',
            "    changed = 0",
            f'    async for document in collection.find({{"schema": {{"$lt": {index + 1}}}}}):',
            f'        document["schema"] = {index + 1}',
            '        await collection.replace_one({"_id": document["_id"]}, document)',
            "        changed += 1",
            '    logger.info("migrated %d documents", changed)',
            "    return changed",
        ]
    return "\n".join(lines).rstrip() + "\n"


def schemas(ctx: Context, e: Entity) -> str:
    lines = [
        f'"""HTTP shapes of {plural(e.name).replace("_", " ")} (Pydantic); never seen by the domain."""',
        "",
        "from __future__ import annotations",
        "",
        "from datetime import datetime",
        "from decimal import Decimal",
        "",
        "from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator",
        "",
        "",
        "class MoneyIn(BaseModel):",
        "    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)",
        "    currency: str = Field(min_length=3, max_length=3)",
        "",
        "",
        f"class {e.cls}In(BaseModel):",
        '    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)',
        "",
    ]
    types = {
        "text": "str = Field(min_length=1, max_length=255)",
        "long_text": 'str = Field(default="", max_length=5000)',
        "code": 'str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$")',
        "count": "int = Field(ge=0)",
        "money": "MoneyIn",
        "email": "EmailStr",
        "ratio": "Decimal = Field(ge=0, le=1)",
        "flag": "bool = False",
        "tags": "list[str] = Field(default_factory=list, max_length=20)",
        "ref": "str = Field(min_length=1)",
        "optional_ref": "str | None = None",
        "optional_when": "datetime | None = None",
        "country": "str = Field(min_length=2, max_length=2)",
        "currency": "str = Field(min_length=3, max_length=3)",
        "optional_text": "str | None = None",
    }
    for fname, _, kind in e.fields:
        lines.append(f"    {fname}: {types[kind]}")
    for fname, _, kind in e.fields:
        if kind == "tags":
            lines += [
                "",
                f'    @field_validator("{fname}")',
                "    @classmethod",
                f"    def _normalise_{fname}(cls, value: list[str]) -> list[str]:",
                "        return sorted({item.strip().lower() for item in value if item.strip()})",
            ]
    lines += [
        "",
        "    @classmethod",
        "    def example(cls) -> dict[str, object]:",
        '        """The example shown in the OpenAPI documentation."""',
        "        return {",
    ]
    for fname, _, kind in e.fields:
        lines.append(f'            "{fname}": {_example(kind)},')
    lines += [
        "        }",
    ]
    for fname, _, kind in e.fields:
        if kind in ("text", "code", "country", "currency"):
            lines += [
                "",
                f'    @field_validator("{fname}")',
                "    @classmethod",
                f"    def _check_{fname}(cls, value: str) -> str:",
                "        if not value.strip():",
                f'            raise ValueError("{fname} must not be blank")',
                "        return value.upper()"
                if kind in ("code", "country", "currency")
                else "        return value",
            ]
    lines += [
        "",
        "",
        f"class {e.cls}Filter(BaseModel):",
        '    status: str | None = Field(default=None, pattern="^(draft|active|suspended|archived)$")',
        "    created_after: datetime | None = None",
        "    created_before: datetime | None = None",
        "    text: str | None = Field(default=None, max_length=200)",
        "",
        "    def as_query(self) -> dict[str, object]:",
        "        query: dict[str, object] = {}",
        "        if self.status:",
        '            query["status"] = self.status',
        "        if self.created_after or self.created_before:",
        '            query["created_at"] = {',
        "                key: value",
        '                for key, value in (("$gte", self.created_after), ("$lt", self.created_before))',
        "                if value is not None",
        "            }",
        "        return query",
        "",
        "",
        f"class {e.cls}Patch(BaseModel):",
        '    model_config = ConfigDict(extra="forbid")',
        "",
    ]
    for fname, annotation, kind in e.fields[:3]:
        pyd = "MoneyIn" if kind == "money" else annotation.replace(" | None", "")
        lines.append(f"    {fname}: {pyd} | None = None")
    lines += [
        "",
        "",
        f"class {e.cls}Out(BaseModel):",
        "    model_config = ConfigDict(from_attributes=True)",
        "",
        "    id: str",
        "    status: str",
        "    version: int",
        "    created_at: datetime | None = None",
        "",
        "",
        f"class {e.cls}Page(BaseModel):",
        f"    items: list[{e.cls}Out]",
        "    offset: int",
        "    limit: int",
        "    total: int | None = None",
        "",
        "    @property",
        "    def has_more(self) -> bool:",
        "        return self.total is not None and self.offset + len(self.items) < self.total",
    ]
    return "\n".join(lines).rstrip() + "\n"


def _example(kind: str) -> str:
    return {
        "text": '"Example"',
        "long_text": '"A longer description."',
        "code": '"ABC-123"',
        "count": "3",
        "money": '{"amount": "19.90", "currency": "EUR"}',
        "email": '"someone@example.com"',
        "ratio": '"0.15"',
        "flag": "False",
        "tags": '["new", "sale"]',
        "ref": '"0b7e6a1c"',
        "optional_ref": "None",
        "optional_when": '"2024-05-01T12:00:00Z"',
        "country": '"DE"',
        "currency": '"EUR"',
        "optional_text": "None",
    }[kind]


def router(ctx: Context, e: Entity, violation: str | None) -> str:
    pkg = f"shop.{ctx.name}"
    route = plural(e.name).replace("_", "-")
    lines = [
        f'"""HTTP endpoints for {plural(e.name).replace("_", " ")} (FastAPI): translate, call a use case, translate back."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Annotated",
        "",
        "from fastapi import APIRouter, Depends, HTTPException, Query, Request, status",
        "",
        f"from {pkg}.domain.exceptions import Invalid{e.cls}Error, {e.cls}NotFoundError, {e.cls}StateError",
    ]
    for verb in e.verbs:
        module = f"{verb}_{e.name}"
        lines.append(
            f"from {pkg}.application.use_cases.{module} import {camel(module)}, {camel(module)}Command"
        )
    if violation == "router_imports_persistence":
        lines.append(
            f"from {pkg}.infrastructure.persistence.mongo_{e.name}_repository import Mongo{e.cls}Repository"
        )
    lines += [
        f"from {pkg}.infrastructure.web.schemas.{e.name} import {e.cls}In, {e.cls}Out, {e.cls}Page, {e.cls}Patch",
        "from shop.shared.web.security import require_user",
        "",
        f'router = APIRouter(prefix="/{ctx.name.replace("_", "-")}/{route}", tags=["{ctx.name}"], dependencies=[Depends(require_user)])',
        "",
        "",
        "def _use_cases(request: Request) -> dict[type, object]:",
        f'    return request.app.state.use_cases["{ctx.name}"]',
        "",
        "",
        "UseCases = Annotated[dict[type, object], Depends(_use_cases)]",
        "",
        "",
        "def _problem(error: Exception) -> HTTPException:",
        f"    if isinstance(error, {e.cls}NotFoundError):",
        "        return HTTPException(status.HTTP_404_NOT_FOUND, str(error))",
        f"    if isinstance(error, {e.cls}StateError):",
        "        return HTTPException(status.HTTP_409_CONFLICT, str(error))",
        f"    if isinstance(error, Invalid{e.cls}Error):",
        "        return HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(error))",
        '    return HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, "unexpected error")',
    ]
    required = [f for f in e.fields if _default(f[2], f[1]) is None]
    for verb in e.verbs:
        module = f"{verb}_{e.name}"
        cls = camel(module)
        lines += ["", ""]
        if verb == "create":
            args = []
            for fname, _, kind in required:
                if kind == "money":
                    args.append(f"{fname}=Money(body.{fname}.amount, body.{fname}.currency)")
                else:
                    args.append(f"{fname}=body.{fname}")
            lines += [
                f'@router.post("", status_code=status.HTTP_201_CREATED, response_model={e.cls}Out)',
                f"async def {module}(body: {e.cls}In, use_cases: UseCases, request: Request) -> {e.cls}Out:",
                f'    """Create a {e.name.replace("_", " ")}; 422 when the domain rejects it."""',
                f"    use_case = use_cases[{cls}]",
                "    try:",
                f"        result = await use_case.execute({cls}Command({', '.join([*args, 'requested_by=request.state.user_id'])}))",
                f"    except (Invalid{e.cls}Error, {e.cls}StateError) as error:",
                "        raise _problem(error) from error",
                f"    return {e.cls}Out(id=result.id, status=result.status, version=result.version)",
            ]
            if any(kind == "money" for _, _, kind in required):
                lines.insert(lines.index(f"from {pkg}.infrastructure.web.schemas.{e.name} import {e.cls}In, {e.cls}Out, {e.cls}Page, {e.cls}Patch"),
                             "from shop.shared.domain.money import Money")  # fmt: skip
        elif verb in ("list", "search", "export"):
            lines += [
                f'@router.get("/{verb if verb != "list" else ""}", response_model={e.cls}Page)',
                f"async def {module}(",
                "    use_cases: UseCases,",
                '    status_filter: Annotated[str | None, Query(alias="status")] = None,',
                "    offset: Annotated[int, Query(ge=0)] = 0,",
                "    limit: Annotated[int, Query(ge=1, le=500)] = 50,",
                f") -> {e.cls}Page:",
                f"    results = await use_cases[{cls}].execute({cls}Command(status_filter, offset, limit))",
                f"    items = [{e.cls}Out(id=r.id, status=r.status, version=r.version) for r in results]",
                f"    return {e.cls}Page(items=items, offset=offset, limit=limit)",
            ]
        elif verb == "get":
            lines += [
                f'@router.get("/{{entity_id}}", response_model={e.cls}Out)',
                f"async def {module}(entity_id: str, use_cases: UseCases, request: Request) -> {e.cls}Out:",
                f'    """One {e.name.replace("_", " ")}, or 404."""',
                "    try:",
                f"        result = await use_cases[{cls}].execute({cls}Command(entity_id, request.state.user_id))",
                f"    except {e.cls}NotFoundError as error:",
                "        raise _problem(error) from error",
                f"    return {e.cls}Out(id=result.id, status=result.status, version=result.version)",
            ]
        else:
            method = {"update": "patch", "delete": "delete"}.get(verb, "post")
            body = f", body: {e.cls}Patch" if verb == "update" else ""
            extra = ""
            if verb == "update" and required:
                fname, _, kind = required[0]
                extra = f", {fname}=body.{fname}" if kind != "money" else ""
            path = "/{entity_id}" if method != "post" else f"/{{entity_id}}/{verb}"
            lines += [
                f'@router.{method}("{path}", response_model={e.cls}Out)',
                f"async def {module}(entity_id: str{body}, use_cases: UseCases, request: Request) -> {e.cls}Out:",
                f'    """{verb.capitalize()} a {e.name.replace("_", " ")}: 404 if unknown, 409 if its state forbids it."""',
                "    try:",
                f"        result = await use_cases[{cls}].execute(",
                f"            {cls}Command(entity_id=entity_id, requested_by=request.state.user_id{extra})",
                "        )",
                f"    except ({e.cls}NotFoundError, {e.cls}StateError, Invalid{e.cls}Error) as error:",
                "        raise _problem(error) from error",
                f"    return {e.cls}Out(id=result.id, status=result.status, version=result.version)",
            ]
    if violation == "router_imports_persistence":
        lines += [
            "",
            "",
            '@router.get("/_debug/count")',
            "async def debug_count(request: Request) -> dict[str, int]:",
            '    """Quick and dirty: straight to the database, skipping the use cases."""',
            f"    repository = Mongo{e.cls}Repository(request.app.state.database)",
            '    return {"count": await repository.count()}',
        ]
    return "\n".join(lines).rstrip() + "\n"


def _fill(template: str, ctx: Context) -> str:
    """`@PKG@`, `@TITLE@`, `@BASE@`, `@APP@`, `@CTX@` in a template -> this context's names."""
    return (
        template.replace("@PKG@", f"shop.{ctx.name}")
        .replace("@TITLE@", ctx.name.replace("_", " "))
        .replace("@BASE@", camel(ctx.name) + "Error")
        .replace("@APP@", camel(ctx.name) + "Application")
        .replace("@CTX@", ctx.name)
        .lstrip("\n")
    )


_PACKAGE_DOCSTRINGS = {
    "__init__.py": "The @TITLE@ bounded context.",
    "domain/__init__.py": "The @TITLE@ domain model: entities, value objects, events, rules.",
    "application/__init__.py": "The @TITLE@ use cases and the ports they need.",
    "application/ports/__init__.py": "Ports: what the use cases need from the outside world.",
    "application/use_cases/__init__.py": "One module per use case.",
    "infrastructure/__init__.py": "Adapters: MongoDB persistence and the HTTP API.",
    "infrastructure/persistence/__init__.py": "MongoDB adapters (Motor).",
    "infrastructure/web/__init__.py": "The HTTP API (FastAPI).",
    "infrastructure/web/routers/__init__.py": "FastAPI routers, one per aggregate.",
    "infrastructure/web/schemas/__init__.py": "Pydantic request and response bodies.",
}

_CONTEXT_TEMPLATES = {
    "application/ports/clock.py": '''
"""The time, as a port: use cases never call datetime.now() themselves."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime, timedelta


class Clock(ABC):
    """Where the current time comes from; a fixed clock in tests, the system clock in production."""

    @abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware."""

    @abstractmethod
    def today(self) -> date:
        """The current date in the shop's reference timezone."""


def days_before(clock: Clock, days: int) -> datetime:
    """A point in time `days` before now."""
    if days < 0:
        raise ValueError("days must not be negative")
    return clock.now() - timedelta(days=days)


def is_past(clock: Clock, moment: datetime) -> bool:
    return moment < clock.now()


def seconds_until(clock: Clock, moment: datetime) -> float:
    return (moment - clock.now()).total_seconds()


def start_of_day(clock: Clock) -> datetime:
    now = clock.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def end_of_day(clock: Clock) -> datetime:
    return start_of_day(clock) + timedelta(days=1) - timedelta(microseconds=1)


def within(clock: Clock, moment: datetime, window: timedelta) -> bool:
    now = clock.now()
    return now - window <= moment <= now + window


def iso_week(clock: Clock) -> tuple[int, int]:
    year, week, _ = clock.today().isocalendar()
    return year, week
''',
    "application/ports/event_publisher.py": '''
"""Publishing domain events after a transaction commits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from shop.shared.domain.events import DomainEvent


class EventPublisher(ABC):
    """Hands events to whoever listens (an outbox, a broker); at least once."""

    @abstractmethod
    async def publish(self, event: DomainEvent) -> None:
        """Publish one event."""

    @abstractmethod
    async def publish_all(self, events: Iterable[DomainEvent]) -> int:
        """Publish events in order; how many were published."""


def names(events: Sequence[DomainEvent]) -> list[str]:
    """The event type names, for logs."""
    return [type(event).__name__ for event in events]


def of_type(events: Sequence[DomainEvent], kind: type[DomainEvent]) -> list[DomainEvent]:
    return [event for event in events if isinstance(event, kind)]


def newest(events: Sequence[DomainEvent]) -> DomainEvent | None:
    return max(events, key=lambda event: event.recorded_at, default=None)


def split_by_type(events: Sequence[DomainEvent]) -> dict[str, list[DomainEvent]]:
    grouped: dict[str, list[DomainEvent]] = {}
    for event in events:
        grouped.setdefault(type(event).__name__, []).append(event)
    return grouped
''',
    "application/ports/unit_of_work.py": '''
"""A transaction boundary, as a port."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType


class UnitOfWork(ABC):
    """`async with uow:` opens a transaction; `commit()` makes it stick; leaving rolls back."""

    @abstractmethod
    async def __aenter__(self) -> UnitOfWork:
        """Start a transaction."""

    @abstractmethod
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back unless committed, then release the session."""

    @abstractmethod
    async def commit(self) -> None:
        """Make the changes stick."""

    @abstractmethod
    async def rollback(self) -> None:
        """Forget the changes."""
''',
    "application/exceptions.py": '''
"""Errors of the @TITLE@ application layer (not business rules: those are domain errors)."""

from __future__ import annotations

from @PKG@.domain.exceptions import @BASE@


class @APP@Error(@BASE@):
    """Base class of application-level failures."""


class PermissionDeniedError(@APP@Error):
    def __init__(self, actor: str, action: str) -> None:
        super().__init__(f"{actor} may not {action}")
        self.actor = actor
        self.action = action


class ConcurrencyError(@APP@Error):
    """Someone else changed the record first; the caller may retry."""

    def __init__(self, entity_id: str, attempts: int) -> None:
        super().__init__(f"{entity_id} changed under us {attempts} times")
        self.entity_id = entity_id
        self.attempts = attempts


class RateLimitedError(@APP@Error):
    def __init__(self, actor: str, retry_after: float) -> None:
        super().__init__(f"{actor} is rate limited for {retry_after:.0f} s")
        self.retry_after = retry_after


def describe(error: Exception) -> str:
    """A one-line description for logs."""
    return f"{type(error).__name__}: {error}"


def is_retryable(error: Exception) -> bool:
    return isinstance(error, ConcurrencyError) and error.attempts < 3


def retry_delay(error: Exception) -> float:
    if isinstance(error, RateLimitedError):
        return error.retry_after
    return 0.1 if is_retryable(error) else 0.0
''',
    "infrastructure/persistence/errors.py": '''
"""What the Mongo adapters raise; the use cases see only these, never PyMongo's."""

from __future__ import annotations

from @PKG@.application.exceptions import ConcurrencyError, @APP@Error


class PersistenceError(@APP@Error):
    """The database failed; details are in the cause."""


class ConcurrentUpdateError(ConcurrencyError):
    def __init__(self, entity_id: str, expected_version: int) -> None:
        super().__init__(entity_id, attempts=1)
        self.expected_version = expected_version

    def __str__(self) -> str:
        return f"{self.entity_id} is no longer at version {self.expected_version}"


def is_transient(error: BaseException) -> bool:
    """Network blips and elections: worth one retry."""
    labels = getattr(error, "_error_labels", set())
    return "TransientTransactionError" in labels or "RetryableWriteError" in labels


def describe(error: BaseException) -> str:
    code = getattr(error, "code", None)
    return f"{type(error).__name__} (code {code}): {error}"


def should_alert(error: BaseException) -> bool:
    return not is_transient(error) and not isinstance(error, ConcurrentUpdateError)


def as_persistence_error(error: BaseException, what: str) -> PersistenceError:
    wrapped = PersistenceError(f"{what}: {describe(error)}")
    wrapped.__cause__ = error
    return wrapped
''',
    "infrastructure/persistence/unit_of_work.py": '''
"""The unit of work over a Motor client session (MongoDB transactions)."""

from __future__ import annotations

from types import TracebackType

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorClientSession
from pymongo.errors import PyMongoError

from @PKG@.application.ports.unit_of_work import UnitOfWork
from @PKG@.infrastructure.persistence.errors import PersistenceError
from shop.shared.infrastructure.mongo import bind_session, unbind_session


class TransactionState:
    """Bookkeeping shared by the adapters: whether a transaction is open and was committed."""

    def __init__(self) -> None:
        self.open = False
        self.committed = False

    def begin(self) -> None:
        if self.open:
            raise RuntimeError("a transaction is already open")
        self.open = True
        self.committed = False

    def commit(self) -> None:
        if not self.open:
            raise RuntimeError("commit outside a transaction")
        self.committed = True

    def close(self) -> bool:
        """Close it; whether it must be rolled back."""
        must_roll_back = self.open and not self.committed
        self.open = False
        return must_roll_back


class MongoUnitOfWork(UnitOfWork):
    def __init__(self, client: AsyncIOMotorClient) -> None:
        self._client = client
        self._session: AsyncIOMotorClientSession | None = None
        self._state = TransactionState()

    async def __aenter__(self) -> MongoUnitOfWork:
        try:
            self._session = await self._client.start_session()
            self._session.start_transaction()
        except PyMongoError as exc:
            raise PersistenceError("cannot start a transaction") from exc
        self._state.begin()
        bind_session(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._state.close():
            await self.rollback()
        if self._session is not None:
            await self._session.end_session()
            self._session = None
        unbind_session()

    async def commit(self) -> None:
        if self._session is None:
            raise PersistenceError("commit outside a transaction")
        try:
            await self._session.commit_transaction()
        except PyMongoError as exc:
            raise PersistenceError("commit failed") from exc
        self._state.commit()

    async def rollback(self) -> None:
        if self._session is not None and self._session.in_transaction:
            await self._session.abort_transaction()

    def __repr__(self) -> str:
        state = "open" if self._state.open else "closed"
        return f"<MongoUnitOfWork {state}>"
''',
    "infrastructure/persistence/outbox.py": '''
"""Domain events go to an outbox collection in the same transaction; a relay ships them."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo.errors import PyMongoError

from @PKG@.application.ports.event_publisher import EventPublisher
from @PKG@.infrastructure.persistence.errors import PersistenceError
from shop.shared.domain.events import DomainEvent
from shop.shared.infrastructure.mongo import session_or_none

logger = logging.getLogger(__name__)
OUTBOX_COLLECTION = "@CTX@_outbox"


class OutboxPublisher(EventPublisher):
    def __init__(self, database: AsyncIOMotorDatabase) -> None:
        self._collection = database[OUTBOX_COLLECTION]

    async def publish(self, event: DomainEvent) -> None:
        try:
            await self._collection.insert_one(_document(event), session=session_or_none())
        except PyMongoError as exc:
            raise PersistenceError(f"cannot record {type(event).__name__}") from exc

    async def publish_all(self, events: Iterable[DomainEvent]) -> int:
        documents = [_document(event) for event in events]
        if not documents:
            return 0
        try:
            await self._collection.insert_many(documents, ordered=True, session=session_or_none())
        except PyMongoError as exc:
            raise PersistenceError(f"cannot record {len(documents)} events") from exc
        return len(documents)

    async def pending(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self._collection.find({"shipped_at": None}).sort("recorded_at", 1).limit(limit)
        return [document async for document in cursor]

    async def mark_shipped(self, ids: list[Any]) -> int:
        now = datetime.now(timezone.utc)
        result = await self._collection.update_many({"_id": {"$in": ids}}, {"$set": {"shipped_at": now}})
        logger.debug("shipped %d events", result.modified_count)
        return result.modified_count


def _document(event: DomainEvent) -> dict[str, Any]:
    payload = {
        key: (value.isoformat() if isinstance(value, datetime) else value)
        for key, value in dataclasses.asdict(event).items()
    }
    return {
        "type": type(event).__name__,
        "context": "@CTX@",
        "payload": payload,
        "recorded_at": datetime.now(timezone.utc),
        "shipped_at": None,
    }
''',
    "infrastructure/system_clock.py": '''
"""The real clock, and a fixed one for replays."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from @PKG@.application.ports.clock import Clock

REFERENCE_ZONE = ZoneInfo("Europe/Berlin")


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.now().astimezone(REFERENCE_ZONE).date()


class FixedClock(Clock):
    """For replays: always the same time, moved by hand."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a fixed clock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.astimezone(REFERENCE_ZONE).date()

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


class OffsetClock(Clock):
    """The system clock shifted, for staging environments that replay old traffic."""

    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self._offset

    def today(self) -> date:
        return self.now().astimezone(REFERENCE_ZONE).date()

    def __repr__(self) -> str:
        return f"<OffsetClock {self._offset}>"
''',
    "infrastructure/web/errors.py": '''
"""Maps domain and application errors to HTTP responses for the whole context."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from @PKG@.application.exceptions import PermissionDeniedError, RateLimitedError
from @PKG@.domain.exceptions import @BASE@
from shop.shared.domain.exceptions import DomainError

logger = logging.getLogger(__name__)


async def _domain_error(request: Request, error: DomainError) -> JSONResponse:
    logger.info("%s %s: %s", request.method, request.url.path, error)
    return problem("Unprocessable request", str(error), status.HTTP_422_UNPROCESSABLE_ENTITY)


async def _forbidden(request: Request, error: PermissionDeniedError) -> JSONResponse:
    return problem("Forbidden", str(error), status.HTTP_403_FORBIDDEN)


async def _rate_limited(request: Request, error: RateLimitedError) -> JSONResponse:
    response = problem("Too many requests", str(error), status.HTTP_429_TOO_MANY_REQUESTS)
    response.headers["Retry-After"] = str(int(error.retry_after))
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(@BASE@, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(PermissionDeniedError, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(RateLimitedError, _rate_limited)  # type: ignore[arg-type]


def problem(title: str, detail: str, code: int) -> JSONResponse:
    """An RFC 7807 problem document."""
    return JSONResponse(
        {"type": "about:blank", "title": title, "detail": detail, "status": code},
        status_code=code,
        media_type="application/problem+json",
    )
''',
}


def simple_files(ctx: Context) -> dict[str, str]:
    """The fixed files of a context: package docstrings, ports, errors, unit of work, outbox."""
    files = {path: _fill(f'"""{doc}"""\n', ctx) for path, doc in _PACKAGE_DOCSTRINGS.items()}
    files.update({path: _fill(text, ctx) for path, text in _CONTEXT_TEMPLATES.items()})
    return files


def bootstrap(ctx: Context) -> str:
    pkg = f"shop.{ctx.name}"
    lines = [
        f'"""The composition root of the {ctx.name.replace("_", " ")} context: adapters into use cases."""',
        "",
        "from __future__ import annotations",
        "",
        "from fastapi import FastAPI",
        "from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase",
        "",
        f"from {pkg}.infrastructure.persistence.outbox import OutboxPublisher",
        f"from {pkg}.infrastructure.persistence.unit_of_work import MongoUnitOfWork",
        f"from {pkg}.infrastructure.system_clock import SystemClock",
        f"from {pkg}.infrastructure.web import errors",
    ]
    for e in ctx.entities:
        lines.append(
            f"from {pkg}.infrastructure.persistence.mongo_{e.name}_repository import Mongo{e.cls}Repository"
        )
        lines.append(f"from {pkg}.infrastructure.web.routers import {e.name} as {e.name}_router")
        for verb in e.verbs:
            module = f"{verb}_{e.name}"
            lines.append(f"from {pkg}.application.use_cases.{module} import {camel(module)}")
    for module, _ in ctx.extra_use_cases:
        lines.append(f"from {pkg}.application.use_cases.{module} import {camel(module)}")
    lines += [
        "",
        "",
        "def use_cases(client: AsyncIOMotorClient, database: AsyncIOMotorDatabase) -> dict[type, object]:",
        "    clock = SystemClock()",
        "    publisher = OutboxPublisher(database)",
        "    unit_of_work = MongoUnitOfWork(client)",
        "    built: dict[type, object] = {}",
    ]
    for e in ctx.entities:
        lines.append(f"    {e.name}_repository = Mongo{e.cls}Repository(database)")
        for verb in e.verbs:
            lines.append(
                f"    built[{camel(verb + '_' + e.name)}] = {camel(verb + '_' + e.name)}({e.name}_repository, unit_of_work, publisher, clock)"
            )
    for module, e in ctx.extra_use_cases:
        lines.append(
            f"    built[{camel(module)}] = {camel(module)}(Mongo{e.cls}Repository(database), unit_of_work, publisher, clock)"
        )
    lines += [
        "    return built",
        "",
        "",
        "def install(app: FastAPI, client: AsyncIOMotorClient, database: AsyncIOMotorDatabase) -> None:",
        f'    app.state.use_cases["{ctx.name}"] = use_cases(client, database)',
        "    errors.install(app)",
    ]
    for e in ctx.entities:
        lines.append(f"    app.include_router({e.name}_router.router)")
    return "\n".join(lines).rstrip() + "\n"


SHARED_FILES = {
    "shared/__init__.py": '"""The shared kernel: what every context agrees on."""\n',
    "shared/domain/__init__.py": '"""Shared domain building blocks."""\n',
    "shared/infrastructure/__init__.py": '"""Shared infrastructure helpers."""\n',
    "shared/web/__init__.py": '"""Shared pieces of the HTTP API."""\n',
    "shared/web/security.py": '''"""Authentication for every router: a bearer token checked against the identity provider."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

logger = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False)
_ISSUER = os.environ.get("AUTH_ISSUER", "https://id.example.com")


@dataclass(frozen=True)
class CurrentUser:
    user_id: str
    scopes: frozenset[str]

    def can(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


async def require_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> CurrentUser:
    """The authenticated caller; 401 without a valid token. Stored on `request.state`."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required")
    claims = request.app.state.token_verifier.verify(credentials.credentials, issuer=_ISSUER)
    if claims is None:
        logger.info("rejected a token for %s", request.url.path)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or expired token")
    user = CurrentUser(str(claims["sub"]), frozenset(str(claims.get("scope", "")).split()))
    request.state.user_id = user.user_id
    request.state.user = user
    return user


def require_scope(scope: str):  # noqa: ANN201 - a FastAPI dependency factory
    async def check(user: Annotated[CurrentUser, Depends(require_user)]) -> CurrentUser:
        if not user.can(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"the {scope!r} scope is required")
        return user

    return check
''',
    "shared/domain/exceptions.py": '''"""The root of every domain error."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was broken; the message says which, in the user's terms."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def with_context(self, **context: object) -> DomainError:
        details = ", ".join(f"{key}={value!r}" for key, value in sorted(context.items()))
        return type(self)(f"{self.message} ({details})") if details else self

    @property
    def code(self) -> str:
        name = type(self).__name__.removesuffix("Error")
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class InvariantViolation(DomainError):
    """Raised by the shared helpers below."""


def require(condition: bool, message: str) -> None:
    """Raise `InvariantViolation(message)` unless `condition` holds."""
    if not condition:
        raise InvariantViolation(message)


def require_not_blank(value: str, what: str) -> str:
    if not value or not value.strip():
        raise InvariantViolation(f"{what} must not be blank")
    return value.strip()


def require_positive(value: int, what: str) -> int:
    if value <= 0:
        raise InvariantViolation(f"{what} must be positive, got {value}")
    return value


def require_between(value: float, low: float, high: float, what: str) -> float:
    if not low <= value <= high:
        raise InvariantViolation(f"{what} must be between {low} and {high}, got {value}")
    return value
''',
    "shared/domain/events.py": '''"""Domain events: immutable records of something that happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from uuid import uuid4


@dataclass(frozen=True)
class DomainEvent:
    """Every event knows when it happened and carries a unique id for de-duplication."""

    event_id: str = field(default_factory=lambda: str(uuid4()), kw_only=True)
    recorded_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc), kw_only=True)

    @property
    def name(self) -> str:
        return type(self).__name__

    def age_seconds(self, now: datetime | None = None) -> float:
        now = now or datetime.now(timezone.utc)
        return (now - self.recorded_at).total_seconds()


@dataclass(frozen=True)
class IntegrationEvent(DomainEvent):
    """An event other contexts may subscribe to; its payload is part of a public contract."""

    schema_version: int = field(default=1, kw_only=True)
    source: str = field(default="shop", kw_only=True)

    def routing_key(self) -> str:
        return f"{self.source}.{self.name}.v{self.schema_version}"


def newest_first(events: list[DomainEvent]) -> list[DomainEvent]:
    return sorted(events, key=lambda event: event.recorded_at, reverse=True)


def by_name(events: list[DomainEvent]) -> dict[str, list[DomainEvent]]:
    grouped: dict[str, list[DomainEvent]] = {}
    for event in events:
        grouped.setdefault(event.name, []).append(event)
    return grouped


def deduplicate(events: list[DomainEvent]) -> list[DomainEvent]:
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.event_id not in seen:
            seen.add(event.event_id)
            unique.append(event)
    return unique
''',
    "shared/domain/entity.py": '''"""Aggregate roots record the events their changes cause."""

from __future__ import annotations

from shop.shared.domain.events import DomainEvent


class AggregateRoot:
    """A mixin: `record` an event while changing state; the use case `pull_events` after saving.

    Not a dataclass itself, so subclasses keep full control of their fields.
    """

    def record(self, event: DomainEvent) -> None:
        self.__dict__.setdefault("_pending_events", []).append(event)

    def pull_events(self) -> list[DomainEvent]:
        events = self.__dict__.pop("_pending_events", [])
        return list(events)

    @property
    def has_pending_events(self) -> bool:
        return bool(self.__dict__.get("_pending_events"))

    def peek_events(self) -> tuple[DomainEvent, ...]:
        return tuple(self.__dict__.get("_pending_events", ()))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return getattr(self, "id", None) == getattr(other, "id", None)

    def __hash__(self) -> int:
        return hash((type(self).__name__, getattr(self, "id", None)))


class Entity(AggregateRoot):
    """Entities inside an aggregate compare by id as well; they record no events of their own."""

    def record(self, event: DomainEvent) -> None:
        raise NotImplementedError("only aggregate roots record events")


def identity_of(entity: object) -> str:
    value = getattr(entity, "id", None)
    if not isinstance(value, str) or not value:
        raise TypeError(f"{entity!r} has no id")
    return value


def same_identity(left: object, right: object) -> bool:
    return type(left) is type(right) and identity_of(left) == identity_of(right)


def index_by_id(entities: list[AggregateRoot]) -> dict[str, AggregateRoot]:
    return {identity_of(entity): entity for entity in entities}
''',
    "shared/domain/money.py": '''"""Money: an amount in a currency, exact to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from shop.shared.domain.exceptions import DomainError

SUPPORTED_CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "JPY", "SEK", "PLN", "BRL", "AED", "SGD"})
_CENT = Decimal("0.01")


class CurrencyMismatchError(DomainError):
    """Amounts in different currencies cannot be combined."""


class InvalidMoneyError(DomainError):
    """Not a valid amount of money."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in SUPPORTED_CURRENCIES:
            raise InvalidMoneyError(f"unsupported currency {self.currency!r}")
        if self.amount != self.amount.quantize(_CENT):
            raise InvalidMoneyError(f"{self.amount} has more than two decimal places")

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(Decimal("0.00"), currency)

    @classmethod
    def of(cls, amount: str | int, currency: str = "EUR") -> Money:
        return cls(Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_EVEN), currency)

    def is_negative(self) -> bool:
        return self.amount < 0

    def add(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def subtract(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        return Money((self.amount * Decimal(factor)).quantize(_CENT, rounding=ROUND_HALF_EVEN), self.currency)

    def allocate(self, parts: int) -> list[Money]:
        if parts <= 0:
            raise InvalidMoneyError("cannot allocate into no parts")
        share = (self.amount / parts).quantize(_CENT, rounding=ROUND_HALF_EVEN)
        shares = [share] * parts
        shares[-1] = self.amount - share * (parts - 1)
        return [Money(value, self.currency) for value in shares]

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} and {other.currency} do not mix")

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


def total(amounts: list[Money], currency: str = "EUR") -> Money:
    result = Money.zero(currency)
    for amount in amounts:
        result = result.add(amount)
    return result
''',
    "shared/infrastructure/mongo.py": '''"""Motor helpers shared by every context's persistence adapters."""

from __future__ import annotations

import contextvars
import logging
import os
from typing import Any

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorClientSession, AsyncIOMotorDatabase

logger = logging.getLogger(__name__)
_SESSION: contextvars.ContextVar[AsyncIOMotorClientSession | None] = contextvars.ContextVar(
    "mongo_session", default=None
)


def bind_session(session: AsyncIOMotorClientSession) -> None:
    _SESSION.set(session)


def unbind_session() -> None:
    _SESSION.set(None)


def session_or_none() -> AsyncIOMotorClientSession | None:
    """The session of the unit of work in progress, if any: repositories pass it along."""
    return _SESSION.get()


def client_from_environment() -> AsyncIOMotorClient:
    url = os.environ.get("MONGO_URL", "mongodb://localhost:27017")
    options: dict[str, Any] = {"tz_aware": True, "uuidRepresentation": "standard"}
    if os.environ.get("MONGO_REPLICA_SET"):
        options["replicaset"] = os.environ["MONGO_REPLICA_SET"]
    logger.info("connecting to %s", url.split("@")[-1])
    return AsyncIOMotorClient(url, **options)


def database_from_environment(client: AsyncIOMotorClient) -> AsyncIOMotorDatabase:
    return client[os.environ.get("MONGO_DATABASE", "shop")]


async def ping(client: AsyncIOMotorClient) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        logger.warning("MongoDB is not reachable", exc_info=True)
        return False
    return True


async def drop_everything(database: AsyncIOMotorDatabase, prefix: str) -> int:
    """For tests: drop every collection whose name starts with `prefix`."""
    dropped = 0
    for name in await database.list_collection_names():
        if name.startswith(prefix):
            await database.drop_collection(name)
            dropped += 1
    return dropped
''',
}


def main_module(contexts: list[Context]) -> str:
    lines = [
        '"""The shop application: one FastAPI app, every bounded context installed into it."""',
        "",
        "from __future__ import annotations",
        "",
        "import logging",
        "from contextlib import asynccontextmanager",
        "from collections.abc import AsyncIterator",
        "",
        "from fastapi import FastAPI",
        "",
        "from shop.shared.infrastructure.mongo import client_from_environment, database_from_environment, ping",
    ]
    for ctx in contexts:
        lines.append(f"from shop.{ctx.name} import bootstrap as {ctx.name}_bootstrap")
    lines += [
        "",
        "logger = logging.getLogger(__name__)",
        "",
        "CONTEXTS = (",
        *(f"    {ctx.name}_bootstrap," for ctx in contexts),
        ")",
        "",
        "",
        "@asynccontextmanager",
        "async def lifespan(app: FastAPI) -> AsyncIterator[None]:",
        "    client = client_from_environment()",
        "    database = database_from_environment(client)",
        "    app.state.database = database",
        "    app.state.use_cases = {}",
        "    for context in CONTEXTS:",
        "        context.install(app, client, database)",
        "    if not await ping(client):",
        '        logger.error("starting without a database")',
        "    yield",
        "    client.close()",
        "",
        "",
        "def create_app() -> FastAPI:",
        '    return FastAPI(title="shop", lifespan=lifespan)',
        "",
        "",
        "app = create_app()",
    ]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------- writing


def _assign_violations(contexts: list[Context], total: int, rng: random.Random) -> list[tuple[str, str]]:
    """About 1% of the modules, spread over the contexts and the violation kinds."""
    wanted = max(len(VIOLATIONS), round(total * 0.01))
    candidates: list[tuple[Context, str, str]] = []
    for ctx in contexts:
        for e in ctx.entities:
            candidates.append((ctx, f"domain/{e.name}.py", "entity"))
            candidates.append((ctx, f"application/ports/{e.name}_repository.py", "port"))
            candidates.append((ctx, f"infrastructure/web/routers/{e.name}.py", "router"))
            for verb in e.verbs:
                candidates.append((ctx, f"application/use_cases/{verb}_{e.name}.py", "use_case"))
    by_role = {
        "entity": ("domain_imports_persistence", "domain_imports_pydantic", "entity_without_post_init",
                   "builtin_exception_in_domain", "post_init_never_raises"),
        "port": ("port_imports_motor",),
        "router": ("router_imports_persistence",),
        "use_case": ("use_case_imports_web_schema",),
    }  # fmt: skip
    chosen: list[tuple[str, str]] = []
    kinds = list(VIOLATIONS)
    pools = {kind: [c for c in candidates if kind in by_role[c[2]]] for kind in kinds}
    taken: set[tuple[str, str]] = set()
    index = 0
    while len(chosen) < wanted:
        kind = kinds[index % len(kinds)]
        index += 1
        pool = pools[kind]
        if not pool:
            continue
        ctx, path, _ = pool.pop(rng.randrange(len(pool)))
        if (ctx.name, path) in taken:
            continue
        taken.add((ctx.name, path))
        ctx.violations[path] = kind
        chosen.append((f"src/shop/{ctx.name}/{path}", kind))
        if index > 100 * wanted:
            break
    return sorted(chosen)


def generate(root: Path, modules: int, seed: int = 1) -> dict[str, object]:
    """Write the tree (replacing `root/src`) and its tool configs; return its description."""
    contexts, _ = plan(modules, seed)
    rng = random.Random(seed * 7919 + modules)
    violations = _assign_violations(contexts, modules, rng)
    src = root / "src"
    if src.exists():
        shutil.rmtree(src)
    files: dict[str, str] = {"__init__.py": '"""shop: a modular monolith in hexagonal architecture."""\n'}
    files.update(SHARED_FILES)
    files["main.py"] = main_module(contexts)
    other_context = {ctx.name: contexts[(i + 1) % len(contexts)] for i, ctx in enumerate(contexts)}
    for ctx in contexts:
        base = f"{ctx.name}/"
        for relative, text in simple_files(ctx).items():
            files[base + relative] = text
        files[base + "domain/events.py"] = domain_events(ctx)
        files[base + "domain/exceptions.py"] = domain_exceptions(ctx)
        files[base + "domain/value_objects.py"] = value_objects(ctx, rng)
        files[base + "domain/services.py"] = domain_service(ctx, rng)
        files[base + "bootstrap.py"] = bootstrap(ctx)
        partner = other_context[ctx.name]
        for e in ctx.entities:
            v = ctx.violations.get
            files[base + f"domain/{e.name}.py"] = domain_entity(ctx, e, rng, v(f"domain/{e.name}.py"))
            files[base + f"application/ports/{e.name}_repository.py"] = port_repository(
                ctx, e, v(f"application/ports/{e.name}_repository.py")
            )
            files[base + f"infrastructure/persistence/mongo_{e.name}_repository.py"] = mongo_repository(
                ctx, e, rng
            )
            files[base + f"infrastructure/web/routers/{e.name}.py"] = router(
                ctx, e, v(f"infrastructure/web/routers/{e.name}.py")
            )
            files[base + f"infrastructure/web/schemas/{e.name}.py"] = schemas(ctx, e)
            for verb in e.verbs:
                module = f"{verb}_{e.name}"
                related = None
                if partner is not ctx and rng.random() < 0.15:
                    related = (partner.name, rng.choice(partner.entities))
                files[base + f"application/use_cases/{module}.py"] = use_case(
                    ctx, e, verb, module, rng, v(f"application/use_cases/{module}.py"), related
                )
        for module, e in ctx.extra_use_cases:
            files[base + f"application/use_cases/{module}.py"] = use_case(
                ctx, e, "query", module, rng, None, None
            )
    if len(files) != modules:
        raise AssertionError(f"planned {modules} modules, generated {len(files)}")
    sizes = []
    digest = hashlib.sha256()
    for relative, text in sorted(files.items()):
        path = src / "shop" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        ast.parse(text, filename=str(path))  # every generated file must be valid Python
        path.write_text(text, encoding="utf-8")
        digest.update(f"{relative}\0{text}\0".encode())
        sizes.append(text.count("\n"))
    regular = sorted(
        n for relative, n in zip(sorted(files), sizes, strict=True) if not relative.endswith("__init__.py")
    )
    description: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "modules": modules,
        "seed": seed,
        "contexts": [ctx.name for ctx in contexts],
        "lines": sum(sizes),
        "regular_module_lines": {
            "min": regular[0],
            "median": regular[len(regular) // 2],
            "max": regular[-1],
            "p10": regular[len(regular) // 10],
            "p90": regular[len(regular) * 9 // 10],
        },
        "violations": violations,
        "digest": digest.hexdigest(),
    }
    write_tool_configs(root, contexts)
    (root / MARKER).write_text(json.dumps(description, indent=1) + "\n", encoding="utf-8")
    return description


def existing(root: Path, modules: int, seed: int) -> dict[str, object] | None:
    """The description of a tree already generated at `root` with these parameters."""
    try:
        description = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        description.get("generator_version") != GENERATOR_VERSION
        or description.get("modules") != modules
        or description.get("seed") != seed
    ):
        return None
    src = root / "src" / "shop"
    files = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.py"))
    digest = hashlib.sha256()
    for relative in files:
        digest.update(f"{relative}\0{(src / relative).read_text(encoding='utf-8')}\0".encode())
    return description if digest.hexdigest() == description.get("digest") else None


# ---------------------------------------------------------------------------- tool configs


def write_tool_configs(root: Path, contexts: list[Context]) -> None:
    """hexcheck (pyproject.toml), import-linter (.importlinter), tach (tach.toml).

    The three express the same layer rules, per bounded context:
    domain < application < {persistence, web}, and persistence and web independent of
    each other. The shared kernel and the composition roots (`bootstrap`, `main`) are
    unconstrained, as in hexcheck's defaults (composition may import every layer).
    """
    (root / "pyproject.toml").write_text(
        "\n".join(
            [
                "[project]",
                'name = "shop"',
                'version = "1.0.0"',
                'requires-python = ">=3.10"',
                'dependencies = ["fastapi", "motor", "pydantic[email]", "uvicorn"]',
                "",
                "[tool.hexcheck]",
                "# hexcheck's default layer detection (domain, application, infrastructure, web) applies;",
                "# the benchmark passes --preset strict so that every rule runs.",
                'source-roots = ["src"]',
                "",
            ]
        ),
        encoding="utf-8",
    )
    containers = "\n".join(f"    shop.{ctx.name}" for ctx in contexts)
    (root / ".importlinter").write_text(
        "\n".join(
            [
                "[importlinter]",
                "root_package = shop",
                "",
                "[importlinter:contract:hexagonal-layers]",
                "name = Hexagonal layers in every bounded context",
                "type = layers",
                "containers =",
                containers,
                "layers =",
                "    infrastructure.web | infrastructure.persistence",
                "    application",
                "    domain",
                "",
            ]
        ),
        encoding="utf-8",
    )
    modules = [
        "[[modules]]",
        'path = "shop.shared"',
        "utility = true",
        "",
    ]
    for ctx in contexts:
        modules += [
            "[[modules]]",
            f'path = "shop.{ctx.name}.domain"',
            'layer = "domain"',
            "",
            "[[modules]]",
            f'path = "shop.{ctx.name}.application"',
            'layer = "application"',
            "",
            "[[modules]]",
            f'path = "shop.{ctx.name}.infrastructure.persistence"',
            'layer = "adapters"',
            "depends_on = []",
            "",
            "[[modules]]",
            f'path = "shop.{ctx.name}.infrastructure.web"',
            'layer = "adapters"',
            "depends_on = []",
            "",
        ]
    (root / "tach.toml").write_text(
        "\n".join(
            [
                "# Same rules as .importlinter: adapters > application > domain per context; the two",
                "# adapters of a context (persistence, web) declare no same-layer dependencies, so they",
                "# may not import each other. TYPE_CHECKING imports count, as in hexcheck.",
                'source_roots = ["src"]',
                'exclude = ["**/__pycache__", ".hexcheck_cache", ".import_linter_cache"]',
                "ignore_type_checking_imports = false",
                'root_module = "ignore"',
                'layers = ["adapters", "application", "domain"]',
                "",
                *modules,
            ]
        ),
        encoding="utf-8",
    )


def file_count(root: Path) -> int:
    return sum(1 for _, _, names in os.walk(root / "src") for name in names if name.endswith(".py"))
