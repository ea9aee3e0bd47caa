"""What several domain rules share; nothing outside the family uses it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import AttributeFact, ClassFact, Expr, ExprKind, ParamKind
from hexcheck.semantics.roles import ClassRef, Roles, is_frozen_dataclass, is_test_module, roles

_CLASS_VARS = frozenset({"typing.ClassVar", "typing_extensions.ClassVar", "ClassVar"})
_KW_ONLY = frozenset({"dataclasses.KW_ONLY", "KW_ONLY"})
FIELD_FACTORIES = frozenset({"dataclasses.field", "field"})
# Spanish and Portuguese spellings too (`EventoDominio`, `eventos.py`), as teams that name
# their layers `dominio/` and `aplicacion/` name their messages.
_MESSAGE_BASES = frozenset(
    {"Event", "DomainEvent", "IntegrationEvent", "BaseEvent", "Command", "DomainCommand",
     "BaseCommand", "Message", "BaseMessage", "DomainMessage",
     "EventoDominio", "EventoDeDominio", "EventoIntegracion", "EventoIntegracao", "EventoDeIntegracion",
     "ComandoDominio", "Comando", "Evento"}
)  # fmt: skip
# The names that make a class the messages' own base (`events/base.py`'s `DomainEvent`);
# a class called just `Message` or `Event` may be a chat's or a calendar's entity.
_MESSAGE_BASE_CLASS_NAMES = _MESSAGE_BASES - {"Event", "Command", "Message", "Evento", "Comando"}
_MESSAGE_MODULES = frozenset(
    {"events", "commands", "messages", "eventos", "comandos", "mensajes", "mensagens"}
)
_MESSAGE_SUFFIXES = ("Event", "Command", "Query", "Message")
# A name that says what happened (`OrderPlaced`, `TermsAgreed`, `InvoiceSent`): two words
# or more, the last in the past tense (`NewsFeed`, `DogBreed` are things, not occurrences).
_PAST_TENSE = re.compile(
    r"[a-z0-9](?:[A-Z][a-z]*[^e]ed|Agreed|Guaranteed|Freed|Decreed"
    r"|Sent|Paid|Sold|Made|Done|Taken|Given|Won|Lost|Built|Held|Bought)$"
)
# Packages and modules named for their messages: plural (`events/`, `user_events.py`), or
# naming domain or integration events (`domain_event/order_domain_event.py`). A singular
# `event/` or `music_event.py` is as likely an events business's aggregate.
_NAMED_MESSAGES = r"(\w+_)?(domain|integration)_(events?|commands?|messages?)"
_MESSAGE_PACKAGE = re.compile(rf"(\w+_)?(events|commands|messages|eventos|comandos)|{_NAMED_MESSAGES}")
_MESSAGE_MODULE = re.compile(rf"\w+_(events|commands|messages|eventos|comandos)|{_NAMED_MESSAGES}")


# Pydantic's validator decorators, however they are imported.
PYDANTIC_VALIDATORS = frozenset(
    {
        "pydantic.field_validator", "pydantic.model_validator", "pydantic.validator",
        "pydantic.root_validator", "pydantic.functional_validators.field_validator",
        "pydantic.functional_validators.model_validator", "pydantic.class_validators.validator",
        "pydantic.class_validators.root_validator",
    }
)  # fmt: skip
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})


def _keyword_false(expr: Expr, keyword: str) -> bool:
    return any(name == keyword and value.name == "False" for name, value in expr.keywords)


def is_field(attribute: AttributeFact) -> bool:
    """A class-level annotated name the dataclass machinery turns into an `__init__` field."""
    annotation = attribute.annotation
    if annotation is None:
        return False
    if annotation.kind in (ExprKind.NAME, ExprKind.SUBSCRIPT) and (
        annotation.name in _CLASS_VARS or annotation.name in _KW_ONLY
    ):
        return False
    value = attribute.value
    if value is not None and value.kind is ExprKind.CALL and value.name in FIELD_FACTORIES:
        return not _keyword_false(value, "init")
    return True


@dataclass(frozen=True, slots=True)
class Entity:
    ref: ClassRef
    fields: tuple[str, ...]


def is_enum(roles_: Roles, ref: ClassRef) -> bool:
    return bool(ENUM_BASES & {*roles_.ancestors(ref), *(base.name for base in ref.cls.bases)})


def _is_frozen(ref: ClassRef) -> bool:
    """Whether a class is a frozen dataclass or attrs class (`@attrs.frozen`)."""
    return is_frozen_dataclass(ref) or any(
        decorator.name in ("attr.frozen", "attrs.frozen") for decorator in ref.cls.decorators
    )


def _is_message(roles_: Roles, ref: ClassRef) -> bool:
    if ref.facts.module.rpartition(".")[2] in _MESSAGE_MODULES or ref.cls.name in _MESSAGE_BASE_CLASS_NAMES:
        return True
    # In a package or module of messages (`domain/events/user_events.py`,
    # `domain_event/order_domain_event.py`), the immutable records are its messages; a
    # mutable class there may be an entity (`events/event.py`'s `Event` aggregate of an
    # events business, a chat's `messages/message.py`).
    if _in_a_module_of_messages(ref.facts.module) and (_is_frozen(ref) or _PAST_TENSE.search(ref.cls.name)):
        # Mutable or not, a class there named for what happened (`ReservationCreated`).
        return True
    # A plain class named as a message (`ProductCreatedEvent`); a dataclass keeps to its
    # bases and module (a `CalendarEvent` dataclass is an entity of a calendar).
    if roles_.is_plain_entity(ref) and ref.cls.name.endswith(_MESSAGE_SUFFIXES):
        return True
    if any(name.rpartition(".")[2] in _MESSAGE_BASES for name in roles_.ancestors(ref)):
        return True
    # A base of the project's own messages, named so and kept with them (`InvoiceEvent` in
    # `invoice/domain/events.py`): what derives from it is one of them, wherever it is
    # declared (`PaymentSucceed(InvoiceEvent)` beside the aggregate that raises it).
    return any(
        ancestor.cls.name.endswith(_MESSAGE_SUFFIXES) and _in_a_module_of_messages(ancestor.facts.module)
        for ancestor in roles_.first_party_ancestors(ref)
    )


def _in_a_module_of_messages(module: str) -> bool:
    """Whether a module holds messages: named for them (`events.py`, `order_events.py`) or
    in a package named so (`domain/events/`, `domain_event/`)."""
    package, _, name = module.rpartition(".")
    return name in _MESSAGE_MODULES or bool(
        _MESSAGE_PACKAGE.fullmatch(package.rpartition(".")[2]) or _MESSAGE_MODULE.fullmatch(name)
    )


def _builds_init(ref: ClassRef) -> bool:
    return not any(
        decorator.kind is ExprKind.CALL and _keyword_false(decorator, "init")
        for decorator in ref.cls.decorators
    )


def _fields(roles_: Roles, ref: ClassRef) -> tuple[str, ...]:
    """The class's own `__init__` fields; for a class that declares none, those of its
    first-party dataclass ancestors (`class Tag(Entity): pass` is built with `id`). A plain
    class's fields are the parameters of its `__init__` that it keeps on `self`."""
    if roles_.is_plain_entity(ref):
        init = ref.cls.method("__init__")
        kept = {a.value.name for a in init.self_attributes if a.value is not None} if init else set()
        return tuple(
            param.name
            for param in (init.params[1:] if init is not None else ())
            if param.kind not in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD) and param.name in kept
        )
    own = tuple(a.name for a in ref.cls.attributes if is_field(a))
    if own:
        return own
    inherited: dict[str, None] = {}
    for ancestor in roles_.first_party_ancestors(ref):
        if roles_.is_dataclass(ancestor):
            inherited.update((a.name, None) for a in ancestor.cls.attributes if is_field(a))
    return tuple(inherited)


def entities(model: ProjectModel) -> tuple[Entity, ...]:
    """Domain dataclasses that take values through their constructor (see the module doc)."""
    found = []
    roles_ = roles(model)
    for ref in roles_.entities:
        if roles_.is_exception(ref) or _is_message(roles_, ref) or not _builds_init(ref):
            continue
        if is_test_module(ref.facts.module) or roles_.is_protocol(ref) or roles_.abstract_methods(ref):
            continue  # test helpers, and classes that cannot be instantiated
        fields = _fields(roles_, ref)
        if fields:
            found.append(Entity(ref, fields))
    return tuple(found)


def is_base(roles_: Roles, ref: ClassRef) -> bool:
    """Whether other first-party stateful classes derive from the class (`Entity`,
    `AggregateRoot`): its fields are checked where the concrete classes are built."""
    subclasses = [sub for sub in map(roles_.ref, roles_.model.subclasses(ref.dotted)) if sub is not None]
    if roles_.is_plain_entity(ref) and subclasses:
        return True  # `ValueObject(value)`: its subclasses inherit its `__init__`
    return any(roles_.is_dataclass(sub) or roles_.is_stateful(sub) for sub in subclasses)


def refuses_direct_construction(cls: ClassFact) -> bool:
    """Whether the class's `__new__` does nothing but raise (`raise Exception("use
    create")`): `Email("x")` always fails, whatever it is given, and instances come only
    from its factories (`Email.create(...)`, which call `super().__new__(cls)`): a private
    constructor, spelt in Python."""
    new = cls.method("__new__")
    return new is not None and new.statement_count == 1 and len(new.raises) == 1
