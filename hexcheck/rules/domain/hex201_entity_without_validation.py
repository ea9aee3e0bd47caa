"""HEX201 entity-without-validation: A domain entity with at least one field never checks it
when built: a dataclass without `__post_init__`, a plain class whose `__init__` only assigns."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import AttributeFact, CallFact, Expr, ExprKind, FunctionFact, ModuleFacts
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule
from hexcheck.rules.domain._private import (
    ENUM_BASES,
    FIELD_FACTORIES,
    PYDANTIC_VALIDATORS,
    Entity,
    entities,
    is_base,
    is_enum,
    is_field,
    refuses_direct_construction,
)
from hexcheck.rules.messages import quoted_list
from hexcheck.semantics.roles import COPIES, ClassRef, Roles, is_test_module, roles
from hexcheck.semantics.symbols import (
    TYPE_VARIABLE_FACTORIES,
    definition_site,
    is_type_variable,
    module_assignment,
    union_members,
)
from hexcheck.semantics.walk import call_parts, functions_of, names_of_kind, values_handed_over

_VALIDATION_HOOKS = ("__post_init__", "__init__")


def _generic_holder(model: ProjectModel, ref: ClassRef) -> bool:
    """A generic class whose every own field is typed by a type variable (`Entity(Generic[
    EntityId])` with `id: EntityId`, a plain `Left(Generic[L, R])` setting `self.value:
    L`): what to check depends on the type its users bind."""
    roles_ = roles(model)
    if roles_.is_plain_entity(ref):
        annotations = [annotation for _, annotation in roles_.state_types(ref)]
    else:
        annotations = [a.annotation for a in ref.cls.attributes if is_field(a)]
    return bool(annotations) and all(is_type_variable(model, annotation) for annotation in annotations)


# Types whose every value is a valid one, with no range left to check: an identifier
# (`UUID`, or a first-party subclass of it), a flag, an enumeration. `str`, numbers,
# `Decimal`, dates and collections are not among them: an empty title, a negative count,
# an end before its start are values of those types too.
_SETTLED_TYPES = frozenset({"uuid.UUID", "bool", "builtins.bool"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal"})
_NEW_TYPES = frozenset({"typing.NewType", "typing_extensions.NewType"})
# What declares a class's type variables: `class BaseEntity(Generic[OIDType])`.
_GENERIC_BASES = frozenset(
    {"typing.Generic", "typing_extensions.Generic", "typing.Protocol", "typing_extensions.Protocol"}
)
# The name of an identifier type: `UserId`, `BreedID`, `ObjectId`, `OID`.
_IDENTIFIER = re.compile(r"(Id|ID)$")


@dataclass(frozen=True, slots=True)
class _Settled:
    """A field type whose values are all valid: `state` for an enumeration or a flag (a
    value another field's validity may hang on), `optional` when it also admits `None`."""

    state: bool = False
    optional: bool = False


def _assigned(model: ProjectModel, dotted: str) -> Expr | None:
    """The value of the first-party module-level assignment a dotted name stands for."""
    located = definition_site(model, dotted)
    assignment = module_assignment(*located) if located is not None else None
    return assignment.value if assignment is not None else None


# Models built from input (not `roles.PYDANTIC_BASES`: `BaseSettings` is read from the
# environment, and an entity holding settings is no entity taking checked values).
_PYDANTIC_MODELS = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.v1.BaseModel"})
_PYDANTIC_FIELDS = frozenset({"pydantic.Field", "pydantic.fields.Field"})
# The keywords of `Field(...)` that constrain a value, not describe it.
_CONSTRAINTS = frozenset(
    {"gt", "ge", "lt", "le", "min_length", "max_length", "pattern", "regex", "multiple_of", "max_digits",
     "decimal_places", "min_items", "max_items", "strict"}
)  # fmt: skip


_PYDANTIC_DATACLASSES = frozenset({"pydantic.dataclasses.dataclass"})


def _pydantic(roles_: Roles, ref: ClassRef, ancestors: Collection[str]) -> bool:
    """A Pydantic model, or a Pydantic dataclass (its own decorator or a first-party base's,
    unless a class on the way is a standard dataclass, whose `__init__` validates nothing)."""
    if not _PYDANTIC_MODELS.isdisjoint(ancestors):
        return True
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        names = {decorator.name for decorator in owner.cls.decorators}
        if names & _PYDANTIC_DATACLASSES:
            return True
        if names & {"dataclasses.dataclass", "dataclass"}:
            return False
    return False


def _constrains(roles_: Roles, ref: ClassRef) -> bool:
    """Whether a Pydantic model (or a first-party base of it) checks more than types: a
    validator method, a `Field(...)` bound, or a field typed by a constrained type
    (`Annotated[...]`, `conint(...)`, `EmailStr`, or an alias of one: `CartCost =
    Annotated[Decimal, Ge(0)]`). A model of bare `str` and `int` fields accepts any."""
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        if any(method.decorated_with(*PYDANTIC_VALIDATORS) for method in owner.cls.methods):
            return True
        for attribute in owner.cls.attributes:
            value, annotation = attribute.value, attribute.annotation
            bounded = value is not None and value.kind is ExprKind.CALL and value.name in _PYDANTIC_FIELDS
            if (
                bounded
                and value is not None
                and _CONSTRAINTS.intersection(name for name, _ in value.keywords)
            ):
                return True
            if annotation is not None and _constrained_type(roles_.model, annotation):
                return True
    return False


def _constrained_type(model: ProjectModel, annotation: Expr) -> bool:
    if annotation.kind is ExprKind.SUBSCRIPT and annotation.name in _ANNOTATED:
        # `Annotated[str, Field(min_length=1)]`, `Annotated[Decimal, Ge(0)]`; not a
        # `Field(description=...)` alone, which documents.
        return any(
            not (meta.kind is ExprKind.CALL and meta.name in _PYDANTIC_FIELDS)
            or bool(_CONSTRAINTS.intersection(name for name, _ in meta.keywords))
            for meta in annotation.args[1:]
        )
    if annotation.kind is ExprKind.CALL and annotation.name.startswith("pydantic.con"):
        return True  # `conint(gt=0)`, `constr(min_length=1)`
    if annotation.kind is not ExprKind.NAME:
        return False
    if annotation.name.startswith("pydantic.") and annotation.name.rpartition(".")[2][:1].isupper():
        return True  # `EmailStr`, `PositiveInt`, `HttpUrl`
    value = _assigned(model, annotation.name)
    return value is not None and value.kind is ExprKind.SUBSCRIPT and value.name in _ANNOTATED


def _settled_class(roles_: Roles, dotted: str, seen: frozenset[str]) -> _Settled | None:
    """A first-party enum, `UUID` subclass, dataclass that validates or needs not, or plain
    class whose `__init__` checks its arguments."""
    ref = roles_.ref(dotted)
    if ref is None or ref.dotted in seen:
        return None
    if is_enum(roles_, ref):
        return _Settled(state=True)
    ancestors = roles_.ancestors(ref)
    # A Pydantic model that constrains what it is built from: an entity taking one
    # (`Cart(data: CartDTO)`) receives values already checked.
    if "uuid.UUID" in ancestors or (_pydantic(roles_, ref, ancestors) and _constrains(roles_, ref)):
        return _Settled()
    if roles_.is_dataclass(ref) and (
        _hook(roles_, ref) is not None or settled_fields(roles_, ref, seen | {ref.dotted})
    ):
        return _Settled()
    # A plain value object that checks what it is given (`class UserId(Uuid)`, whose
    # base's `__init__` raises on a malformed value).
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        init = owner.cls.method("__init__")
        if init is not None:
            checks = not roles_.is_dataclass(owner) and _init_checks(roles_.model, init)
            return _Settled() if checks else None
    return None


def _union(members: list[_Settled | None], optional: bool) -> _Settled | None:
    if not members or any(member is None for member in members):
        return None
    return _Settled(
        state=any(m.state for m in members if m is not None),
        optional=optional or any(m.optional for m in members if m is not None),
    )


def _settled(roles_: Roles, annotation: Expr, seen: frozenset[str]) -> _Settled | None:
    """Whether a field annotation admits only valid values (see `_SETTLED_TYPES`):
    `Optional[...]`/`X | None` and unions of such types, `Annotated[X, ...]`, `Literal[...]`,
    a `NewType` or alias of one, a type variable bound to one, a first-party class."""
    model = roles_.model
    kind, name = annotation.kind, annotation.name
    union = union_members(annotation)
    if union is not None:
        parts, optional = union
        return _union([_settled(roles_, part, seen) for part in parts], optional)
    if kind is ExprKind.SUBSCRIPT and name in _ANNOTATED and annotation.args:
        return _settled(roles_, annotation.args[0], seen)
    if kind is ExprKind.SUBSCRIPT and name in _LITERAL:
        return _Settled(state=True)
    if kind is not ExprKind.NAME or name in seen:
        return None
    if name in _SETTLED_TYPES:
        return _Settled(state=name != "uuid.UUID")
    if name in ENUM_BASES:
        return _Settled(state=True)
    found = _settled_class(roles_, name, seen)
    if found is not None:
        return found
    if _IDENTIFIER.search(name.rpartition(".")[2]):
        # `oid: BreedID`, `goal_id: GoalId`: a reference to another entity, which the
        # repository resolves, not a value the entity has a rule for.
        return _Settled()
    value = _assigned(model, name)
    if value is None:
        return None
    seen = seen | {name}
    if value.kind is ExprKind.NAME:  # `UserId = GenericUUID`
        return _settled(roles_, value, seen)
    if value.kind is ExprKind.CALL and value.name in _NEW_TYPES and len(value.args) == 2:
        return _settled(roles_, value.args[1], seen)  # `UserId = NewType("UserId", UUID)`
    if value.kind is ExprKind.CALL and value.name in TYPE_VARIABLE_FACTORIES:
        bound = dict(value.keywords).get("bound")  # `EntityId = TypeVar(..., bound=UUID)`
        return None if bound is None else _settled(roles_, bound, seen)
    return None


def _dataclass_fields(roles_: Roles, ref: ClassRef) -> dict[str, AttributeFact]:
    """The class's `__init__` fields as the dataclass machinery collects them: its own and
    its dataclass ancestors', the nearest declaration of each name deciding."""
    found: dict[str, AttributeFact] = {}
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        if owner is ref or roles_.is_dataclass(owner):
            for attribute in owner.cls.attributes:
                if is_field(attribute):
                    found.setdefault(attribute.name, attribute)
    return found


def _init_annotations(roles_: Roles, ref: ClassRef) -> dict[str, Expr]:
    """Every `__init__` field of the class, inherited ones included, with its annotation."""
    if roles_.is_plain_entity(ref):
        return {name: annotation for name, annotation in roles_.state_types(ref) if annotation is not None}
    return {
        name: attribute.annotation
        for name, attribute in _dataclass_fields(roles_, ref).items()
        if attribute.annotation is not None
    }


# What computes a field's default for the class itself: an identifier, the clock.
_BOOKKEEPING_FACTORIES = frozenset(
    {
        "uuid.uuid1", "uuid.uuid4", "uuid.uuid7", "uuid6.uuid7", "datetime.datetime.now",
        "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today", "time.time",
    }
)  # fmt: skip


def _computed_by_default(attribute: AttributeFact) -> bool:
    """Whether a dataclass field's default is computed from an identifier or the clock
    (`created_at: datetime = field(default_factory=datetime.utcnow)`, `id: UUID =
    field(default_factory=uuid4)`): bookkeeping the entity fills in itself, not what its
    callers hand it. A collection (`items: list = field(default_factory=list)`) is still
    the callers'."""
    value = attribute.value
    if value is None or value.kind is not ExprKind.CALL or value.name not in FIELD_FACTORIES:
        return False
    factory = dict(value.keywords).get("default_factory")
    return factory is not None and factory.kind is ExprKind.NAME and factory.name in _BOOKKEEPING_FACTORIES


def _internal_state(name: str, attribute: AttributeFact) -> bool:
    """Whether a dataclass field is the class's own state, which no caller hands it: a
    private name with a default (`_events: list[DomainEvent] = field(default_factory=list)`,
    the buffer an aggregate records its events in)."""
    return name.startswith("_") and attribute.value is not None


def _field_kinds(roles_: Roles, ref: ClassRef, seen: frozenset[str]) -> dict[str, _Settled | None]:
    """Each `__init__` field of the class with what settles it: its type (`_settled`), a
    default the class computes (`_computed_by_default`) or its being the class's own
    private state (`_internal_state`); None for a field nothing settles."""
    computed = {
        name
        for name, field in _dataclass_fields(roles_, ref).items()
        if _computed_by_default(field) or _internal_state(name, field)
    }
    bound = _bound_type_variables(roles_, ref)

    def settled(annotation: Expr) -> _Settled | None:
        if annotation.kind is ExprKind.NAME and annotation.name in bound:
            return _settled(roles_, bound[annotation.name], seen)
        return _settled(roles_, annotation, seen)

    return {
        name: settled(annotation) or (_Settled() if name in computed else None)
        for name, annotation in _init_annotations(roles_, ref).items()
    }


def _bound_type_variables(roles_: Roles, ref: ClassRef) -> dict[str, Expr]:
    """What the class binds its generic bases' type variables to, by position: in `class
    Breed(BaseEntity[BreedID])`, `BaseEntity(Generic[OIDType])`'s `OIDType` is `BreedID`."""
    bound: dict[str, Expr] = {}
    for base in ref.cls.bases:
        parent = roles_.ref(base.name) if base.kind is ExprKind.SUBSCRIPT else None
        if parent is None:
            continue
        variables = [
            arg.name
            for declared in parent.cls.bases
            if declared.kind is ExprKind.SUBSCRIPT and declared.name in _GENERIC_BASES
            for arg in declared.args
            if is_type_variable(roles_.model, arg)
        ]
        bound.update(zip(variables, base.args, strict=False))
    return bound


def open_fields(roles_: Roles, ref: ClassRef, seen: frozenset[str] = frozenset()) -> list[str] | None:
    """The `__init__` fields of the class something must check when it is built: those
    nothing settles (`_field_kinds`), and an `X | None` while another field is an
    enumeration or a flag (whether `closed_by` may be `None` usually depends on the
    `status` next to it), unless every field may be `None` (a sort order's `name: SortOrder
    | None, created_at: SortOrder | None`: options, none of them a state the others hang
    on). None for a class without fields."""
    kinds = _field_kinds(roles_, ref, seen)
    if not kinds:
        return None
    options = all(kind is not None and kind.optional for kind in kinds.values())
    return [
        name
        for name, kind in kinds.items()
        if kind is None
        or (
            kind.optional
            and not options
            and any(other is not None and other.state for key, other in kinds.items() if key != name)
        )
    ]


def settled_fields(roles_: Roles, ref: ClassRef, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the class has fields and none is open (`open_fields`): there is nothing for a
    `__post_init__` to check."""
    return open_fields(roles_, ref, seen) == []


def _init_checks(model: ProjectModel, init: FunctionFact) -> bool:
    """Whether a plain class's `__init__` can refuse a state: it raises, or hands its
    values to something that may (a method of its own, a base's `__init__`, a first-party
    function or class); conversions such as `list(items)` or `uuid4()` check nothing."""
    if init.raises:
        return True
    return any(
        callee.startswith(("self.", "?.", "super")) or model.is_first_party(callee)
        for callee in (call.callee for call in init.calls)
    )


def _assigned_through_checking_setters(roles_: Roles, ref: ClassRef, init: FunctionFact) -> set[str]:
    """The parameters `__init__` assigns to a property whose setter raises on a bad value
    (`self.name = name` with `@name.setter` raising `InvalidEntity` on a short name): the
    assignment is their check, written where the property is, or hands the value to a
    first-party class or function that may (`self._email = Email(value)`). A setter that
    only records or normalises it (`self._changes.append(...)`, `value.strip()`) refuses
    nothing."""
    model = roles_.model
    refusing = {
        method.name
        for owner in (ref, *roles_.first_party_ancestors(ref))
        for method in owner.cls.methods
        if method.decorated_with(f"{method.name}.setter")
        and (
            method.raises
            # `self._email = Email(value)`, `validate_email(value)`: handed to what may refuse it
            or any(
                model.is_first_party(call.callee) and not call.callee.startswith("self.")
                for call in method.calls
            )
        )
    }
    return {
        attribute.value.name
        for attribute in init.self_attributes
        if attribute.name in refusing
        and attribute.value is not None
        and attribute.value.kind is ExprKind.NAME
    }


# What a factory calls to build the instance it returns (`super().__new__(cls)`,
# `instance.__init__(value)`): construction, not a check of the values.
_CONSTRUCTION = ("__new__", "__init__")


def _factory_checks(model: ProjectModel, factory: FunctionFact) -> bool:
    """Whether a factory can refuse what it is given: it raises, or hands the values to a
    first-party function or method (`cls._validate(value)`) before building the instance.
    A factory that takes nothing but `cls` (`UserId.generate()`) has nothing to check."""
    if len(factory.params) <= 1 or factory.raises:
        return True
    return any(
        callee.rpartition(".")[2] not in _CONSTRUCTION
        and (callee.startswith("cls.") or model.is_first_party(callee))
        for callee in (call.callee for call in factory.calls)
    )


def _unchecking_factories(model: ProjectModel, ref: ClassRef) -> list[str] | None:
    """For a class whose `__new__` refuses every direct construction (`Email("x")`
    raises), so that its instances come only from its classmethod factories: the
    factories that take values and check none of them (the class validates when there
    are none). None for any other class, and for one without a classmethod factory:
    nothing is known to check in place of its `__init__` then."""
    if not refuses_direct_construction(ref.cls):
        return None
    factories = [m for m in ref.cls.methods if m.decorated_with("classmethod", "builtins.classmethod")]
    if not factories:
        return None
    return [factory.name for factory in factories if not _factory_checks(model, factory)]


def _hook(roles_: Roles, ref: ClassRef) -> tuple[ClassRef, FunctionFact] | None:
    """Where the class's construction-time check lives: its own or an inherited
    `__post_init__`, or an `__init__` it writes itself (the dataclass then keeps it)."""
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        for name in _VALIDATION_HOOKS:
            method = owner.cls.method(name)
            if method is not None:
                return owner, method
    return None


# Calls that build a value from written-out arguments (`Decimal("9.99")`, `timedelta(days=7)`).
_VALUE_CONSTRUCTORS = frozenset(
    {
        "decimal.Decimal", "datetime.timedelta", "datetime.date", "datetime.time", "datetime.datetime",
        "fractions.Fraction", "uuid.UUID", "re.compile", "frozenset", "tuple",
    }
)  # fmt: skip


class _Catalogue:
    """The domain classes whose every instance is written out in the project's source."""

    def __init__(self, model: ProjectModel, roles_: Roles, candidates: Collection[ClassRef]) -> None:
        self.model = model
        self.roles = roles_
        self.wanted = {ref.dotted for ref in candidates if not roles_.builds_itself(ref)}
        self.module_of = {ref.dotted: ref.facts.module for ref in candidates}
        # The short names the wanted classes go by, those a package re-exports them under
        # included (`from .catalog import Profile as CareProfile`): a filter before
        # resolving a name.
        self.names = {dotted.rpartition(".")[2] for dotted in self.wanted} | {
            bound
            for facts in model.modules.values()
            for fact in facts.imports
            for name, bound in zip(fact.names, fact.bound_as, strict=False)
            if bound != name and f"{fact.target}.{name}" in self.wanted
        }
        # The modules each module defines or imports classes from (`_copied`), per module.
        self._reached: dict[str, set[str]] = {}

    def _wanted(self, name: str) -> str:
        """The wanted class a (possibly re-exported) name stands for; '' for none."""
        if name.rpartition(".")[2] not in self.names:
            return ""
        ref = self.roles.ref(name)
        return ref.dotted if ref is not None and ref.dotted in self.wanted else ""

    def _written_out(self, expr: Expr, depth: int = 0) -> bool:
        """Whether an argument's value stands in the source: a literal, a list, tuple, set
        or mapping display of such, an enum member, a module constant bound once to such, or a value
        built from such (`Decimal("9.99")`, a nested entry with arguments). Not what the
        environment, a file or another call gives at import time. (`depth`: a constant
        bound to a constant bound to ... is followed a few steps only.)"""
        if depth > 3:
            return False
        kind = expr.kind
        if kind is ExprKind.LITERAL:
            return True
        if kind in (ExprKind.COLLECTION, ExprKind.MAPPING):
            return all(self._written_out(part, depth + 1) for part in expr.args)
        if kind is ExprKind.CALL:
            callee = self.model.resolve_symbol(expr.name)
            return (
                callee in _VALUE_CONSTRUCTORS
                or (self.roles.ref(callee) is not None and bool(call_parts(expr)))
            ) and all(self._written_out(part, depth + 1) for part in call_parts(expr))
        if kind is ExprKind.NAME:
            owner, _, name = self.model.resolve_symbol(expr.name).rpartition(".")
            enum = self.roles.ref(owner)
            if enum is not None:
                return is_enum(self.roles, enum)  # `Kind.REEF`
            facts = self.model.modules.get(owner)
            if facts is None or sum(assignment.name == name for assignment in facts.assignments) != 1:
                return False  # unknown, or bound again (`SPECIES = os.environ[...]` later)
            assignment = module_assignment(facts, name)
            return assignment is not None and self._written_out(assignment.value, depth + 1)
        return False

    def _copied(self, facts: ModuleFacts, call: CallFact) -> set[str]:
        """The wanted classes a `replace(...)` call may copy with other values: those built
        in the module constant it copies from (`replace(CARE_PROFILES[name], ...)`); for
        any other source (or a constant that builds none of them), every one this module
        defines or imports, through a package that re-exports it too."""
        source = call.args[0] if call.args else None
        if source is not None and source.kind in (ExprKind.NAME, ExprKind.SUBSCRIPT):
            module, _, name = self.model.resolve_symbol(source.name).rpartition(".")
            owner = self.model.modules.get(module)
            assignment = module_assignment(owner, name) if owner is not None else None
            if assignment is not None:
                built = {
                    self._wanted(callee) for callee in names_of_kind(assignment.value, ExprKind.CALL)
                } - {""}
                if built:
                    return built
        reached = self._reached.get(facts.module)
        if reached is None:
            reached = self._reached[facts.module] = (
                {facts.module}
                | {
                    self.model.resolve_symbol(f"{fact.target}.{name}").rpartition(".")[0]
                    for fact in facts.imports
                    for name in fact.names
                }
                | {target for fact in facts.imports for target in self.model.targets(facts, fact)}
            )
        return {dotted for dotted in self.wanted if self.module_of[dotted] in reached}

    def _handed_in(self, value: Expr) -> Iterator[str]:
        """The wanted classes an expression hands over as values: the class itself, or a
        factory of it (`map(CareProfile.create, rows)`)."""
        for name in names_of_kind(value, ExprKind.NAME):
            if dotted := self._wanted(name) or self._wanted(name.rpartition(".")[0]):
                yield dotted

    def _handed_over(self, facts: ModuleFacts) -> Iterator[str]:
        """The wanted classes a module hands over as values outside its calls' arguments
        (`find` reads those): in a module constant, a class attribute (`entity =
        CareProfile` of a generic repository), an attribute set on `self` or a parameter's
        default."""
        for value in values_handed_over(facts):
            yield from self._handed_in(value)

    def find(self) -> frozenset[str]:
        """The wanted classes built somewhere outside tests, and everywhere by a call with
        written-out arguments at a module's top level; never handed over as a value,
        copied with other values, or built through a method (`CareProfile.from_row(...)`,
        one of its own or inherited)."""
        if not self.wanted:
            return frozenset()
        only_written_out: dict[str, bool] = {}

        def seen(dotted: str, written_out: bool) -> None:
            only_written_out[dotted] = only_written_out.get(dotted, True) and written_out

        for facts in self.model.modules.values():
            if is_test_module(facts.module):
                continue  # read only where the configured excludes let tests in
            for dotted in self._handed_over(facts):
                seen(dotted, False)
            top_level = facts.calls
            inside = [call for _, function in functions_of(facts) for call in function.calls]
            for calls, at_top in ((top_level, True), (inside, False)):
                for call in calls:
                    for dotted in (found for part in call_parts(call) for found in self._handed_in(part)):
                        seen(dotted, False)
                    if call.callee in COPIES:
                        for dotted in self._copied(facts, call):
                            seen(dotted, False)
                    if dotted := self._wanted(call.callee):
                        seen(
                            dotted,
                            at_top
                            and not call.deferred
                            and not call.script
                            and bool(call_parts(call))
                            and all(self._written_out(part) for part in call_parts(call)),
                        )
                    elif dotted := self._wanted(call.callee.rpartition(".")[0]):
                        seen(dotted, False)  # `CareProfile.from_row(...)`: a factory
        return frozenset(dotted for dotted, written_out in only_written_out.items() if written_out)


def _examined_entities(model: ProjectModel) -> tuple[Entity, ...]:
    """The entities HEX201 examines: not bases, generic holders or catalogued records."""
    roles_ = roles(model)
    found = [e for e in entities(model) if not is_base(roles_, e.ref) and not _generic_holder(model, e.ref)]
    catalogued = _Catalogue(model, roles_, [e.ref for e in found]).find()
    return tuple(e for e in found if e.ref.dotted not in catalogued)


class EntityWithoutValidation(Rule):
    code = "HEX201"
    name = "entity-without-validation"
    severity = Severity.WARNING
    concern = "domain"
    summary = (
        "A domain entity with at least one field never checks it when built: a dataclass "
        "without `__post_init__`, a plain class whose `__init__` only assigns."
    )
    subject = "domain entities validate their state when built"
    why = (
        "An entity or value object is the one place a business invariant can be enforced "
        'for good: if `Book(title="", copies=-3)` can be built, every use case, adapter '
        "and test has to remember to check it, and one of them will not. A dataclass "
        "generates a constructor that accepts anything its annotations merely suggest; "
        "`__post_init__` is where the object refuses a state the domain does not allow, "
        "so that every `Book` in memory is a valid book. Domain events and commands (in a "
        "package of events, its frozen records and those named for what happened, "
        "`ReservationCreated`; named in Spanish or Portuguese too, `eventos.py`, `EventoDominio`; "
        "and what derives from a `...Event` base kept in a module of events, wherever it is "
        "declared), "
        "exceptions, dataclasses whose fields are all `init=False`, enumerations written "
        "as classes (every field defaults to a string spelling its own name, `approve: "
        'str = "approve"`, and no method) and test modules are '
        "not checked: no caller hands them state to validate; nor is a record whose every "
        "instance outside tests is written out at a module's top level, from literals, "
        "displays of them (lists, tuples, mappings), enum members, constants bound once to such and "
        'values built from such (`Decimal("9.99")`): a catalogue of constants, '
        '`CARE_PROFILES = {"betta": CareProfile("betta", 24.0, 28.0)}`, whose every value '
        "a reader sees where it stands. Anything else that builds one makes it an entity "
        "again: a function, a lambda, a script's `__main__` block, a method or "
        "classmethod of the class or of a base (`cls(...)`, `type(self)(...)`, "
        "`CareProfile.from_row(...)`), nothing but unpacked arguments (`CareProfile(**row)`), a "
        "`dataclasses.replace` that may copy one, or code the class is handed to as a "
        "value (`starmap(CareProfile, rows)`, `entity = CareProfile`, "
        "`isinstance(x, CareProfile)` too). A base dataclass "
        "(`Entity`, `AggregateRoot`) is checked through the classes deriving from it, "
        "which inherit its `__post_init__` if it has one, and so is a generic base whose "
        "fields are all typed by type variables (`id: EntityId`). Nor is a dataclass "
        "whose every field has a type that admits only valid values: a `UUID` (or a "
        "subclass, a `NewType` or a type variable bound to one), a `bool`, an `Enum` or "
        '`Literal`, an identifier type (`BreedID = NewType("BreedID", int)`, `ObjectId`: '
        "a reference to another entity, which the repository resolves; a generic base's "
        "field is judged by the type its subclass binds), or a "
        "first-party dataclass that validates itself (`TodoId(value: UUID)`, `Todo(id: "
        "TodoId, title: TodoTitle)`): a `UUID` cannot be built from a malformed string, so "
        "there is no invariant left to check. `X | None` of such a "
        "type counts only while no other field is an enum or a flag, since whether "
        "`closed_by` may be `None` hangs on the `status` next to it (unless every field "
        "may be `None`: a sort order of `SortOrder | None` fields holds options, not a "
        "state). `str`, numbers, "
        "`Decimal`, dates and collections always need a check: an empty name, a negative "
        "count and an end before its start are values of those types too. An entity "
        "written as a plain class (state set in `__init__`) is held to the same line: its "
        "`__init__` must raise, or hand its values to a method, a base or a first-party "
        "function that may. A class whose `__new__` only raises (`Email(...)` always "
        "fails, instances come from `Email.create(...)`) is built by its classmethod "
        "factories, so it may check there instead: it is not reported when every factory "
        "that takes values raises or hands them to a first-party check. A class whose "
        "fields are all ports or services (`@dataclass class LoanPolicy: loans: "
        "LoanRepository`) is a domain service, not an entity, and a record without "
        "behaviour named for what a query or a computation gives back (`ImportResult`, "
        "`RunSummary`, `StatusView`, `DaySnapshot`, `InvoiceTotals`, `...Metrics`, `...Info`, "
        "`...Details`) is a read model, unless it is kept with the model (`entities/`, "
        "`value_objects/`, `aggregates/`), has an `id` of its own, is held as a field by a "
        "domain class that is no such result itself or handed to a port, or defines or "
        "inherits a `__post_init__` (HEX202 judges that "
        "one); so, on the same terms but for the port, is a query's parameters "
        "(`...Criteria`, `...Filters`, `ById`, `BySchoolId`). So is a record without "
        "behaviour that only the domain's own computations build, whatever its name (filed "
        "with the model, in `value_objects/`, it takes a result's name too: `StockSummary`): "
        "every instance outside tests is made in a `return` of a domain function or of "
        "another class's method, mostly from values that code works out (locals it "
        "computed, its object's state, aggregates such as `sum(...)`: `compute_gst` ending "
        "in `return GstBreakup(taxable=amount, cgst=half, sgst=half)`) rather than from its "
        "parameters handed on, as they are, converted or rounded, as a factory does "
        "(`return Address(street.strip(), city)`; stamping `datetime.now()` or `uuid4()` "
        "beside them changes nothing). It is the model's again when it has an identity of "
        "its own (`id`, `uuid`, `receipt_id` on a `Receipt`, inherited too), when a port is "
        "handed it, a domain class that is no result holds it, it is copied "
        "(`replace(...)`), built by its own or a base's methods (`type(self)(...)`), by a "
        "factory of its own, outside the domain, at a module's top level, from unpacked "
        "arguments, or handed on where it is returned (`self.outbox.send(notice)`), or "
        "handed over as a value. Nor is a bare record declared "
        "beside an exception whose `__init__` (or, for a dataclass exception, whose "
        "fields) takes it as a collection or that is named "
        "for details (the `ImportIssue`s an `ImportInvalidError(issues=...)` reports): "
        "the details of an error (a `Money` that `CurrencyMismatchError(left: Money)` "
        "takes is still a value object). A private "
        "field with a "
        "default (an aggregate's `_events` buffer) is the class's own state, and a "
        "finding names only the fields left to check."
    )
    how_to_fix = (
        "Add a `__post_init__` that checks every field with a rule and raises a domain "
        "exception when one is broken; or type the field by a value object that validates "
        "itself, or by a type that admits only valid values (a `UUID`, an `Enum`): a class "
        "whose every field is so typed is not reported.\n\n"
        "Before:\n\n"
        "    @dataclass(frozen=True)\n"
        "    class Isbn:\n"
        "        value: str\n\n"
        "After:\n\n"
        "    @dataclass(frozen=True)\n"
        "    class Isbn:\n"
        "        value: str\n\n"
        "        def __post_init__(self) -> None:\n"
        '            if len(self.value.replace("-", "")) not in (10, 13):\n'
        "                raise InvalidIsbn(self.value)"
    )
    valid = (
        # An event declared beside the aggregate that raises it, deriving from the base the
        # project keeps with its events (`events.py`): a record of what happened.
        """\
# file: billing/domain/events.py
from abc import ABC
from datetime import datetime


class InvoiceEvent(ABC):
    id: str
    at: datetime
# file: billing/domain/invoice.py
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billing.domain.events import InvoiceEvent


@dataclass(frozen=True)
class PaymentSucceed(InvoiceEvent):
    id: str
    amount: Decimal
    at: datetime
""",
        # What a query looks for, handed to a repository's `find`: its parameters.
        """\
# file: school/domain/queries.py
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ById:
    id: str


@dataclass(frozen=True)
class BySchoolIds:
    school_ids: list[str]


@dataclass(frozen=True)
class StudentCriteria:
    school_id: UUID
    name_contains: str | None = None
    limit: int = 50
""",
        # What a query or a computation gives back, named so and free of behaviour: a read
        # model or a result, not an entity.
        """\
# file: app/domain/imports.py
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: int


@dataclass(frozen=True)
class CalendarDaySnapshot:
    day: datetime
    meals: int
    calories: float
""",
        # Domain events named in Spanish, as the layers around them are (`dominio/`,
        # `eventos.py`, `EventoDominio`): records of what happened, not entities.
        """\
# file: contratos/modulos/contratos/dominio/eventos.py
from dataclasses import dataclass

from contratos.seedwork.dominio.eventos import EventoDominio


@dataclass
class TransaccionCreada(EventoDominio):
    id_transaccion: str = ""
    valor: float = 0.0
# file: contratos/seedwork/dominio/eventos.py
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class EventoDominio:
    fecha_evento: datetime = field(default_factory=datetime.now)
""",
        # A value object written as a Pydantic dataclass with a validator: the entity taking
        # it receives a checked value.
        """\
# file: allowlist/domain/value_objects.py
from ipaddress import ip_network
from typing import Annotated

from pydantic import Field, field_validator
from pydantic.dataclasses import dataclass


@dataclass(frozen=True)
class CIDRBlock:
    value: Annotated[str, Field(min_length=1)]

    @field_validator("value")
    @classmethod
    def valid_network(cls, value: str) -> str:
        ip_network(value, strict=False)
        return value
# file: allowlist/domain/model.py
from uuid import UUID

from allowlist.domain.value_objects import CIDRBlock


class IpRange:
    def __init__(self, source_id: UUID, cidr: CIDRBlock) -> None:
        self.source_id = source_id
        self.cidr = cidr
""",
        # `__init__` assigns through properties whose setters refuse a bad value: each
        # assignment is a check.
        """\
# file: delivery/domain/entities/customer.py
class InvalidCustomer(Exception):
    pass


class Customer:
    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        if len(value) < 2:
            raise InvalidCustomer("a name has two letters at least")
        self._name = value

    @property
    def email(self) -> str:
        return self._email

    @email.setter
    def email(self, value: str) -> None:
        if "@" not in value:
            raise InvalidCustomer("not an email address")
        self._email = value
""",
        # A generic holder in Python 3.12's syntax: its field is typed by the class's own
        # type parameter, checked where a type is bound to it.
        """\
# file: library/domain/framework/outcome.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Ok[ValueT]:
    value: ValueT
""",
        # A plain entity built from a Pydantic model: what it assigns was validated when
        # that model was built.
        """\
# file: shop/domain/carts/dto.py
from pydantic import BaseModel, Field


class CartData(BaseModel):
    user_id: int = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
# file: shop/domain/carts/entities.py
from shop.domain.carts.dto import CartData


class Cart:
    def __init__(self, data: CartData) -> None:
        self.user_id = data.user_id
        self.currency = data.currency
        self.items: list[str] = []

    def add(self, sku: str) -> None:
        self.items.append(sku)
""",
        # A draft left above the finished class of the same name: once the module has run,
        # the name is the finished class's, and nothing can build the draft.
        """\
# file: library/domain/value_objects/page.py
from dataclasses import dataclass


class InvalidPage(Exception):
    pass


@dataclass
class Page:
    number: int


@dataclass(frozen=True)
class Page:
    number: int

    def __post_init__(self) -> None:
        if self.number < 1:
            raise InvalidPage(self.number)
""",
        """\
# file: src/domain/domain_event/order_domain_event.py
from datetime import datetime

import attrs


@attrs.define(frozen=True)
class OrderCancelledEvent:  # a record of what happened, in a package of events
    aggregate_id: int
    buyer_id: int
    occurred_at: datetime = attrs.field(factory=datetime.now)
""",
        # In a package no layer's name places, a transport that connects to an SMTP
        # server with the standard library's client is an adapter, not an entity.
        """\
# file: src/gateway/services/mail/transports.py
import smtplib
from typing import Protocol


class MailDeliveryError(Exception):
    pass


class MailTransport(Protocol):
    def send(self, to: str, body: str) -> None: ...


class SmtpTransport:
    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port

    def send(self, to: str, body: str) -> None:
        try:
            with smtplib.SMTP(self._host, self._port, timeout=10) as client:
                client.sendmail("noreply@example.com", [to], body)
        except (OSError, smtplib.SMTPException) as error:
            raise MailDeliveryError(str(error)) from error
""",
        # Identifiers are references (`oid: BreedID`, a `NewType` of `int`, here the type
        # a generic base's `oid: OIDType` is bound to; `breed_id`): beside a name that
        # validates itself, nothing is left to check.
        """\
# file: src/cats/entities/breed/value_objects.py
from dataclasses import dataclass


class InvalidBreedName(Exception):
    pass


@dataclass(frozen=True)
class BreedName:
    value: str

    def __post_init__(self) -> None:
        if not self.value.strip():
            raise InvalidBreedName(self.value)
# file: src/cats/entities/common/base_entity.py
from dataclasses import dataclass
from typing import Generic, TypeVar

OIDType = TypeVar("OIDType")


@dataclass
class BaseEntity(Generic[OIDType]):
    oid: OIDType
# file: src/cats/entities/breed/models.py
from dataclasses import dataclass
from typing import NewType

from cats.entities.breed.value_objects import BreedName
from cats.entities.common.base_entity import BaseEntity

BreedID = NewType("BreedID", int)


@dataclass
class Breed(BaseEntity[BreedID]):
    name: BreedName


@dataclass
class Cat:
    oid: int
    breed_id: BreedID
    name: BreedName

    def __post_init__(self) -> None:
        if self.oid < 0:
            raise InvalidBreedName(str(self.oid))
""",
        # Every field a caller fills is a value object that validates itself; the
        # identifier and the timestamp the entity computes by default are its own.
        """\
# file: app/domain/users/value_objects.py
from dataclasses import dataclass

from app.domain.users.errors import InvalidEmail


@dataclass(frozen=True)
class Email:
    value: str

    def __post_init__(self) -> None:
        if "@" not in self.value:
            raise InvalidEmail(self.value)
# file: app/domain/users/errors.py
class InvalidEmail(Exception):
    pass
# file: app/domain/users/entities.py
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.users.value_objects import Email


@dataclass
class User:
    email: Email
    user_id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=datetime.utcnow)

    def change_email(self, email: Email) -> None:
        self.email = email
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass, field
from typing import ClassVar

from app.domain.exceptions import InvalidBook


@dataclass
class Entity:
    id: str

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidBook("an entity needs an id")


@dataclass
class Book(Entity):
    title: str = ""


@dataclass
class Shelf:
    MAX_BOOKS: ClassVar[int] = 40
    books: list[Book] = field(default_factory=list, init=False)


@dataclass(init=False)
class Isbn:
    value: str

    def __init__(self, value: str) -> None:
        self.value = value.replace("-", "")
# file: app/domain/specification.py
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar


EntityId = TypeVar("EntityId")


@dataclass
class Identified(Generic[EntityId]):
    id: EntityId


@dataclass
class Specification(ABC):
    name: str

    @abstractmethod
    def is_satisfied_by(self, candidate: object) -> bool: ...
# file: app/domain/exceptions.py
class InvalidBook(Exception):
    pass
""",
        """\
# file: app/domain/events.py
from dataclasses import dataclass


@dataclass(frozen=True)
class BookBorrowed:
    book_id: str
    member_id: str
# file: app/domain/loan.py
from dataclasses import dataclass

from app.domain.messages import DomainEvent


@dataclass(frozen=True)
class LoanExtended(DomainEvent):
    loan_id: str
    days: int


@dataclass(frozen=True)
class LoanError(Exception):
    loan_id: str
# file: app/domain/messages.py
class DomainEvent:
    pass
# file: app/domain/common/events/base.py
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DomainEvent:  # the events' base: a record of what happened, not an entity
    id: int
    created_at: datetime
    event: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "created_at": self.created_at, "event": self.event}
# file: app/application/commands.py
from dataclasses import dataclass


@dataclass
class CreateBookCommand:
    title: str
""",
        """\
# file: app/domain/seedwork.py
from dataclasses import dataclass, field
from typing import Generic, TypeVar

EntityId = TypeVar("EntityId")


@dataclass
class Entity(Generic[EntityId]):
    id: EntityId = field(hash=True)


@dataclass(kw_only=True)
class AggregateRoot(Entity[EntityId]):
    events: list = field(default_factory=list)
# file: app/domain/listing.py
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import ListingError
from app.domain.seedwork import AggregateRoot


@dataclass(kw_only=True)
class Listing(AggregateRoot[str]):
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ListingError("a listing ends after it starts")
# file: app/domain/errors.py
class ListingError(Exception):
    pass
# file: app/domain/listing_test.py
from dataclasses import dataclass


@dataclass
class ListingBuilder:
    title: str = "a lamp"

    def test_builds(self) -> None:
        if not self.title:
            raise ValueError("a builder needs a title")
""",
        """\
# file: app/domain/todo/value_objects.py
from dataclasses import dataclass
from enum import Enum
from typing import NewType, Optional
from uuid import UUID

from app.domain.todo.errors import InvalidTitle

OwnerId = NewType("OwnerId", UUID)


class Priority(Enum):
    LOW = "low"
    HIGH = "high"


@dataclass(frozen=True)
class TodoId:
    value: UUID


@dataclass(frozen=True)
class TodoTitle:
    value: str

    def __post_init__(self) -> None:
        if not self.value or len(self.value) > 100:
            raise InvalidTitle(self.value)


@dataclass
class Todo:
    id: TodoId
    title: TodoTitle
    owner: OwnerId
    priority: Optional[Priority] = None
# file: app/domain/todo/errors.py
class InvalidTitle(Exception):
    pass
""",
        # The rows an import error reports, declared beside it: the error's details.
        """\
# file: app/domain/competency_matrix/exceptions.py
from dataclasses import dataclass


class DomainError(Exception):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class QuestionQueueImportIssue:
    message: str
    row_number: int | None


class QuestionQueueImportInvalidError(DomainError):
    def __init__(self, *, issues: list[QuestionQueueImportIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__()
""",
        # The same, carried by a dataclass exception: its fields are what building it takes.
        """\
# file: src/building_blocks/domain/errors.py
from dataclasses import dataclass, field


@dataclass
class ErrorDetail:
    code: str
    message: str
    field: str | None = None


@dataclass
class CoreError(Exception):
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
""",
        # A calculator's output: totals named for what they sum up, and the line results
        # they are made of (held only by that result, not by the model).
        """\
# file: apps/sales/domain/invoice_calculator.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class InvoiceLineResult:
    subtotal: Decimal
    tax_amount: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class InvoiceTotals:
    subtotal: Decimal
    tax_total: Decimal
    grand_total: Decimal
    lines: tuple[InvoiceLineResult, ...]


def calculate(lines: list[tuple[Decimal, Decimal, Decimal]]) -> InvoiceTotals:
    results = tuple(InvoiceLineResult(q * p, q * p * r, q * p * (1 + r)) for q, p, r in lines)
    return InvoiceTotals(
        subtotal=sum((line.subtotal for line in results), Decimal(0)),
        tax_total=sum((line.tax_amount for line in results), Decimal(0)),
        grand_total=sum((line.line_total for line in results), Decimal(0)),
        lines=results,
    )
""",
        # A query's sort options: every field an optional enumeration, none of them a
        # status the others hang on.
        """\
# file: src/domain/query_objects/products_query.py
from enum import Enum
from typing import Optional


class SortOrder(Enum):
    ASCENDING = "asc"
    DESCENDING = "desc"


class ProductsQueryOrder:
    def __init__(
        self, name: Optional[SortOrder] = None, price: Optional[SortOrder] = None
    ) -> None:
        self.name = name
        self.price = price
""",
        """\
# file: app/domain/loan.py
from dataclasses import dataclass
from datetime import date

from app.domain.exceptions import InvalidLoan
from app.domain.ports import Clock, LoanRepository


class Loan:
    def __init__(self, book_id: str, due: date) -> None:
        if not book_id:
            raise InvalidLoan("a loan names its book")
        self.book_id = book_id
        self.due = due


class Renewal:
    def __init__(self, loan: Loan, days: int) -> None:
        self._check(days)
        self.loan = loan
        self.days = days

    def _check(self, days: int) -> None:
        if days > 14:
            raise InvalidLoan("at most two weeks")


@dataclass
class LoanPolicy:  # a domain service: its fields are ports
    loans: LoanRepository
    clock: Clock
# file: app/domain/ports.py
from typing import Protocol


class LoanRepository(Protocol):
    def count_open(self, member_id: str) -> int: ...


class Clock(Protocol):
    def today(self) -> object: ...
# file: app/domain/exceptions.py
class InvalidLoan(Exception):
    pass
""",
        """\
# file: app/domain/shared.py
from shared_kernel.errors import BaseError  # an ancestry hexcheck cannot follow


class ValueObject:  # a plain base: its subclasses inherit this __init__
    def __init__(self, value: str) -> None:
        self.value = value


class BookTitle(ValueObject):
    def validate(self) -> None: ...


class TitleAlreadyTakenError(BaseError):  # an exception, by its name
    def __init__(self, msg: str) -> None:
        self.msg = msg


class BookCreatedEvent:  # a message: nothing hands it state to validate
    def __init__(self, book_id: str) -> None:
        self.book_id = book_id
# file: app/domain/usecases/renew_loan.py
from app.domain.ports import LoanRepository


class RenewLoan:  # holds a port and a setting: a service kept in the domain, not an entity
    def __init__(self, loans: LoanRepository, max_days: int) -> None:
        self.loans = loans
        self.max_days = max_days
# file: app/domain/ports.py
from abc import ABC, abstractmethod


class LoanRepository(ABC):
    @abstractmethod
    def get(self, loan_id: str) -> object: ...
""",
        """\
# file: app/domain/value_objects.py
class Identifier:
    def __init__(self, value: str) -> None:
        if not value.isalnum():
            raise ValueError(f"not an identifier: {value!r}")
        self.value = value


class MemberId(Identifier):
    pass


class Email:
    def __init__(self, value: str) -> None:
        if "@" not in value:
            raise ValueError(f"not an email: {value!r}")
        self.value = value
# file: app/domain/member.py
from dataclasses import dataclass

from app.domain.value_objects import Email, MemberId


@dataclass
class Member:  # each field is a value object that checks itself
    id: MemberId
    email: Email
# file: app/domain/ports/notifier.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Delivery:  # what the port answers: a record of the port, not an entity
    message_id: str
    accepted: bool


class Notifier(ABC):
    @abstractmethod
    def send(self, to: str, text: str) -> Delivery: ...
""",
        """\
# file: app/domain/messages.py
from dataclasses import dataclass


@dataclass(frozen=True)
class RenewalRequest:  # a message: whoever acts on it checks it
    loan_id: str
    weeks: int


@dataclass(frozen=True)
class LendingSettings:  # settings, not the model's state
    max_open_loans: int = 5
""",
        """\
# file: app/domain/locking.py
class ShelfLock:  # waits on I/O (coroutine methods): a service or adapter, not the model
    def __init__(self, client: object, name: str) -> None:
        self._client = client
        self._name = name

    async def acquire(self) -> bool:
        return bool(self._client)
""",
        """\
# file: app/domain/value_objects/coins.py
import uuid
from typing import Self

from app.domain.errors import InvalidCoins


class Coins:  # built only by `Coins.create`, which checks the quantity
    def __new__(cls, *args: object, **kwargs: object) -> "Coins":
        raise Exception("use Coins.create(value, qty)")

    def __init__(self, value: int, qty: int) -> None:
        self._value = value
        self._qty = qty

    @staticmethod
    def _validate(qty: int) -> None:
        if qty < 0:
            raise InvalidCoins(qty)

    @classmethod
    def create(cls, value: int, qty: int) -> Self:
        Coins._validate(qty)
        instance = super().__new__(cls)
        instance.__init__(value, qty)
        return instance


class MachineId:  # `create` checks the text; `create_new` is given nothing to check
    def __new__(cls, *args: object, **kwargs: object) -> "MachineId":
        raise Exception("use MachineId.create(text) or MachineId.create_new()")

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def create(cls, text: str) -> Self:
        if not text:
            raise InvalidCoins(text)
        instance = super().__new__(cls)
        instance.__init__(text)
        return instance

    @classmethod
    def create_new(cls) -> Self:
        instance = super().__new__(cls)
        instance.__init__(str(uuid.uuid4()))
        return instance
# file: app/domain/errors.py
class InvalidCoins(Exception):
    pass
""",
        """\
# file: app/domain/loan_actions.py
from dataclasses import dataclass


@dataclass
class LoanAction:  # an enumeration written as a class: each value spells its name
    lend: str = "lend"
    renew: str = "renew"
    give_back: str = "give_back"
""",
        # An aggregate's base records its events in a private field with a default: its
        # own state, which no caller hands it, so a `Card` of value objects that validate
        # themselves has nothing left to check.
        """\
# file: app/domain/models/base.py
import uuid
from dataclasses import dataclass, field


@dataclass
class BaseModel:
    oid: uuid.UUID = field(default_factory=uuid.uuid4, kw_only=True)
    __events: list[object] = field(default_factory=list, kw_only=True)

    def register_event(self, event: object) -> None:
        self.__events.append(event)
# file: app/domain/values.py
from dataclasses import dataclass


class InvalidCardNumber(Exception):
    pass


@dataclass(frozen=True)
class CardNumber:
    value: str

    def __post_init__(self) -> None:
        if not (self.value.isdigit() and len(self.value) == 16):
            raise InvalidCardNumber(self.value)
# file: app/domain/models/card.py
from dataclasses import dataclass

from app.domain.models.base import BaseModel
from app.domain.values import CardNumber


@dataclass
class Card(BaseModel):
    number: CardNumber

    def masked(self) -> str:
        return "*" * 12 + self.number.value[-4:]
""",
        # A plain generic result holder (`Either`'s `Left`/`Right`) keeps whatever its users
        # bind: nothing of its own to check.
        """\
# file: src/domain/shared/either.py
from typing import Generic, TypeVar

L = TypeVar("L")
R = TypeVar("R")


class Left(Generic[L, R]):
    def __init__(self, value: L) -> None:
        self.value = value

    def is_left(self) -> bool:
        return True


class Right(Generic[L, R]):
    def __init__(self, value: R) -> None:
        self.value = value

    def is_left(self) -> bool:
        return False
""",
        # In a package of events, a mutable dataclass named for what happened is a message
        # all the same (an `Event` aggregate there is not: see the INVALID examples).
        """\
# file: src/domain/events/reservation_created.py
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ReservationCreated:
    aggregate_id: int | None
    reservation_code: str
    total_amount: str
    occurred_at: datetime = field(default_factory=datetime.utcnow)
""",
        # A package of events (`domain/events/user_events.py`) holds messages, as a module
        # named so does: records of what happened, not entities.
        """\
# file: apps/users/domain/events/user_events.py
import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class UserRegistered:  # raised when a new user has registered: a record of what happened
    user_id: uuid.UUID
    email: str
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.utcnow())
    event_version: int = 1


@dataclass(frozen=True)
class UserDeactivated:
    user_id: uuid.UUID
    reason: str
""",
        # A catalogue of constants: every instance is written out at the module's top
        # level, so no caller hands it state.
        """\
# file: aquarium/domain/care_profiles.py
from dataclasses import dataclass


@dataclass(frozen=True)
class CareProfile:
    species: str
    min_temperature: float
    max_temperature: float


REEF_LOW = 24.0
CARE_PROFILES = {
    "neon_tetra": CareProfile("neon_tetra", 22.0, 26.0),
    "betta": CareProfile(species="betta", min_temperature=REEF_LOW, max_temperature=28.0),
}
""",
        # What a port exchanges, declared beside it, is its vocabulary: the record it
        # answers (named through a forward reference inside `list[...]`), the records that
        # record holds, and the query types that specialise the one it takes.
        """\
# file: billing/domain/repositories/company_registry.py
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Activity:
    code: str
    text: str


@dataclass(frozen=True)
class CompanyRecord:
    tax_id: str
    legal_name: str
    main_activity: Activity
    other_activities: tuple[Activity, ...]


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    customer_name: str
    total: str


@dataclass(frozen=True)
class Receipt:
    number: str
    paid_at: str


class Query:
    pass


@dataclass(frozen=True)
class RegisteredName(Query):
    legal_name: str


class CompanyRegistry(Protocol):
    def lookup(self, query: Query) -> CompanyRecord | None: ...

    def invoices(self, tax_id: str) -> list["InvoiceRow"]: ...

    def receipt(self, number: str) -> "Receipt" | None: ...
""",
        # What a computation gives back, named in the plural as often as not (`...Metrics`,
        # `...Statistics`, as `...Stats` and `...Metric` are): a result, not an entity.
        """\
# file: recommender/domain/services/diversity.py
from dataclasses import dataclass


@dataclass(frozen=True)
class DiversityMetrics:
    genre_spread: float
    novelty: float


@dataclass(frozen=True)
class CatalogueStatistics:
    titles: int
    genres: int


def diversity(genres: list[str], seen: set[str]) -> DiversityMetrics:
    spread = len(set(genres)) / max(len(genres), 1)
    return DiversityMetrics(genre_spread=spread, novelty=1.0 - len(seen) / max(len(genres), 1))
""",
        # Records that only the domain's own computations build, each in a `return`, from
        # values the computation works out: results, whatever they are called, and filed
        # with the model when named for a result too. Nothing a caller hands them is left
        # unchecked.
        """\
# file: shop/domain/tax.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class GstBreakup:
    taxable: Decimal
    cgst: Decimal
    sgst: Decimal
# file: shop/domain/value_objects/stock.py
from dataclasses import dataclass


@dataclass(frozen=True)
class StockSummary:
    skus: int
    units: int
# file: shop/domain/services/tax.py
from decimal import Decimal

from shop.domain.tax import GstBreakup
from shop.domain.value_objects.stock import StockSummary


def compute_gst(amount: Decimal, rate: Decimal) -> GstBreakup:
    half = amount * rate / 2
    return GstBreakup(taxable=amount, cgst=half, sgst=half)


def summarise(counts: dict[str, int]) -> StockSummary:
    return StockSummary(skus=len(counts), units=sum(counts.values()))
# file: shop/domain/cart.py
from dataclasses import dataclass, field
from uuid import UUID


@dataclass(frozen=True)
class FillLevel:
    label: str
    current: int
    total: int


@dataclass
class Cart:
    id: UUID
    capacity: int
    skus: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError("a cart holds at least one item")

    def fill_level(self) -> FillLevel:
        count = len(self.skus)
        level = FillLevel(label=f"{count} of {self.capacity}", current=count, total=self.capacity)
        return level
""",
    )
    invalid = (
        # A value object that the error beside it takes, one at a time: the error's
        # subject, not a report's rows.
        """\
# file: billing/domain/money.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:  # error: HEX201
    amount: Decimal
    currency: str


class CurrencyMismatchError(Exception):
    def __init__(self, left: Money, right: Money) -> None:
        super().__init__(f"{left.currency} is not {right.currency}")
""",
        # A status that may be `None` still rules whether `closed_by` may: the ticket has a
        # required field, so its optional ones are state, not a record of options.
        """\
# file: helpdesk/domain/ticket.py
from dataclasses import dataclass
from enum import Enum
from uuid import UUID


class TicketStatus(Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class Ticket:  # error: HEX201
    id: UUID
    status: TicketStatus | None
    closed_by: UUID | None = None

    def close(self, agent: UUID) -> None:
        self.status = TicketStatus.CLOSED
        self.closed_by = agent
""",
        # An entity that the error beside it takes is still an entity: it has an `id` and
        # behaviour, which the details of an error do not.
        """\
# file: app/domain/accounts.py
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass
class Account:  # error: HEX201
    id: UUID
    balance: Decimal

    def withdraw(self, amount: Decimal) -> None:
        if amount > self.balance:
            raise InsufficientFunds(self)
        self.balance -= amount


class InsufficientFunds(Exception):
    def __init__(self, account: Account) -> None:
        super().__init__(f"account {account.id} cannot pay")
        self.account = account
""",
        # A filter the business keeps, with behaviour of its own, and search criteria an
        # aggregate holds are part of the model.
        """\
# file: jobs/domain/alerts.py
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class SearchCriteria:  # error: HEX201
    keywords: str
    min_salary: int
    max_salary: int


@dataclass
class JobAlert:
    id: UUID
    criteria: SearchCriteria

    def __post_init__(self) -> None:
        if self.criteria.min_salary > self.criteria.max_salary:
            raise ValueError("the salary range is reversed")
# file: mail/domain/spam.py
from dataclasses import dataclass, field


@dataclass
class SpamFilter:  # error: HEX201
    threshold: float
    blocked: tuple[str, ...] = field(default=())

    def block(self, sender: str) -> None:
        self.blocked = (*self.blocked, sender)
""",
        # Named like a result but kept with the model (`value_objects/`), given behaviour or
        # an identity of its own, or held by an entity: part of the model.
        """\
# file: app/domain/exam.py
from dataclasses import dataclass
from uuid import UUID


@dataclass
class ExamResult:  # error: HEX201
    id: UUID
    score: int


@dataclass(frozen=True)
class ContactInfo:  # error: HEX201
    email: str


@dataclass
class Student:  # error: HEX201
    id: UUID
    contact: ContactInfo

# file: app/domain/value_objects/product_snapshot.py
from dataclasses import dataclass


@dataclass(frozen=True)
class ProductSnapshot:  # error: HEX201
    sku: str
    price_cents: int
# file: app/domain/matching.py
from dataclasses import dataclass


@dataclass
class MatchResult:  # error: HEX201
    score: float
    accepted: bool = False

    def accept(self) -> None:
        self.accepted = True
""",
        # A Pydantic dataclass whose `Field` only describes its value constrains nothing:
        # the entity taking it is as open as a `str`.
        """\
# file: allowlist/domain/value_objects.py
from typing import Annotated

from pydantic import Field
from pydantic.dataclasses import dataclass


@dataclass(frozen=True)
class CIDRBlock:
    value: Annotated[str, Field(description="an IPv4 or IPv6 network")]
# file: allowlist/domain/model.py
from uuid import UUID

from allowlist.domain.value_objects import CIDRBlock


class IpRange:  # error: HEX201
    def __init__(self, source_id: UUID, cidr: CIDRBlock) -> None:
        self.source_id = source_id
        self.cidr = cidr
""",
        # One property's setter refuses a bad email; the name and the phone number it
        # assigns beside it are still nobody's to check.
        """\
# file: crm/domain/customer.py
class InvalidCustomer(Exception):
    pass


class Customer:  # error: HEX201
    def __init__(self, name: str, email: str, phone: str) -> None:
        self.name = name
        self.email = email
        self.phone = phone

    @property
    def email(self) -> str:
        return self._email

    @email.setter
    def email(self, value: str) -> None:
        if "@" not in value:
            raise InvalidCustomer("not an email address")
        self._email = value

    def rename(self, name: str) -> None:
        self.name = name
""",
        # A Pydantic model of bare `int` and `str` fields checks their types, not their
        # values: the entity built from it is as open as its fields.
        """\
# file: shop/domain/carts/dto.py
from pydantic import BaseModel


class CartData(BaseModel):
    user_id: int
    coupon: str
# file: shop/domain/carts/entities.py
from shop.domain.carts.dto import CartData


class Cart:  # error: HEX201
    def __init__(self, data: CartData) -> None:
        self.data = data
        self.items: list[str] = []

    def add(self, sku: str) -> None:
        self.items.append(sku)
""",
        # Two classes of a module each declare a type parameter `T`, one bound to `UUID`:
        # the other's `T` is not bound, and its field is the callers' value.
        """\
# file: shop/domain/model.py
from dataclasses import dataclass
from uuid import UUID


@dataclass
class Reference[T: UUID]:
    id: T


@dataclass
class Quantity[T]:  # error: HEX201
    amount: T
    unit: str
""",
        """\
# file: tickets/domain/event/value_objects.py
from dataclasses import dataclass


@dataclass(frozen=True)
class TicketPrice:  # error: HEX201
    amount: int
    currency: str
# file: tickets/domain/music_event.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Seat:  # error: HEX201
    row: str
    number: int
""",
        # A collection's default is still the callers' to fill: the cart's items go
        # unchecked, whatever the identifier computed beside them.
        """\
# file: app/domain/cart.py
from dataclasses import dataclass, field
from uuid import UUID, uuid4


@dataclass
class Cart:  # error: HEX201
    items: list[str] = field(default_factory=list)
    cart_id: UUID = field(default_factory=uuid4)

    def add(self, sku: str) -> None:
        self.items.append(sku)
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Isbn:  # error: HEX201
    value: str


@dataclass
class Book:  # error: HEX201
    isbn: Isbn
    title: str
    tags: list[str] = field(default_factory=list)

    def rename(self, title: str) -> None:
        self.title = title
""",
        """\
# file: app/domain/value_objects/money.py
from dataclasses import InitVar, dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Money:  # error: HEX201
    amount: Decimal
    currency: str = "EUR"


@dataclass
class Price:  # error: HEX201
    raw: InitVar[str]


@dataclass
class Entity:
    id: str


@dataclass
class Tag(Entity):  # error: HEX201
    pass
# file: app/domain/calendar.py
from dataclasses import dataclass
from datetime import datetime


@dataclass
class CalendarEvent:  # error: HEX201
    starts_at: datetime
    ends_at: datetime


@dataclass
class FriendRequest:  # error: HEX201 (a record's name, an aggregate's behaviour)
    sender_id: str
    receiver_id: str
    accepted: bool = False

    def accept(self) -> None:
        self.accepted = True
""",
        """\
# file: app/domain/ticket.py
from dataclasses import dataclass
from enum import Enum
from uuid import UUID


class Status(Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Email:  # error: HEX201
    value: str


@dataclass
class Ticket:  # error: HEX201
    id: UUID
    status: Status
    closed_by: UUID | None = None


@dataclass
class Subscriber:  # error: HEX201
    id: UUID
    email: Email
""",
        """\
# file: app/domain/member.py
class Member:  # error: HEX201
    def __init__(self, member_id: str, email: str, tags: list[str]) -> None:
        self.member_id = member_id
        self.email = email
        self.tags = list(tags)


class Owner:  # error: HEX201 (its only factory builds it unchecked)
    def __new__(cls, *args: object, **kwargs: object) -> "Owner":
        raise Exception("use Owner.create(name, email)")

    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email

    @classmethod
    def create(cls, name: str, email: str) -> "Owner":
        instance = super().__new__(cls)
        instance.__init__(name.strip(), email)
        return instance


class Tenant:  # error: HEX201 (no classmethod builds it: nothing checks in its place)
    def __new__(cls, *args: object, **kwargs: object) -> "Tenant":
        raise Exception("use Tenant.create(name)")

    def __init__(self, name: str) -> None:
        self.name = name

    @staticmethod
    def create(name: str) -> "Tenant":
        instance = object.__new__(Tenant)
        instance.__init__(name)
        return instance
""",
        # Value objects that check themselves settle their fields; the message names what is
        # left to check (a free-text description, a `closed_at` that may be `None`).
        """\
# file: src/domain/task/value_objects.py
from dataclasses import dataclass
from datetime import date


class InvalidTask(Exception):
    pass


@dataclass(frozen=True)
class TaskTitle:
    value: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.value) <= 120:
            raise InvalidTask("a title has 1 to 120 characters")


@dataclass(frozen=True)
class TaskDueDate:
    value: date

    def __post_init__(self) -> None:
        if self.value.year < 2000:
            raise InvalidTask("a due date after 2000")
# file: src/domain/task/entity.py
from dataclasses import dataclass
from datetime import datetime

from src.domain.task.value_objects import TaskDueDate, TaskTitle


@dataclass
class Task:  # error: HEX201
    title: TaskTitle
    due: TaskDueDate
    description: str = ""
    closed_at: datetime | None = None

    def close(self, now: datetime) -> None:
        self.closed_at = now
""",
        # A mutable class in a package of events is no message: an events business's
        # `Event` aggregate.
        """\
# file: app/domain/events/event.py
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass
class Event:  # error: HEX201
    id: UUID
    title: str
    starts_at: datetime
    capacity: int
    attendees: list[UUID] = field(default_factory=list)

    def register(self, attendee: UUID) -> None:
        self.attendees.append(attendee)
""",
        # An identifier needs no check, a free-text field beside it does; nor does a
        # generic base's field bound to `str`.
        """\
# file: src/domain/task/entity.py
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.task.value_objects import TaskId

KeyType = TypeVar("KeyType")


@dataclass(frozen=True)
class Task:  # error: HEX201
    id: TaskId
    description: str


@dataclass
class Keyed(Generic[KeyType]):
    key: KeyType


@dataclass
class Label(Keyed[str]):  # error: HEX201
    pass
# file: src/domain/task/value_objects.py
from uuid import UUID


class TaskId(UUID):
    pass
""",
        # The same catalogue, but a use case also builds profiles from what its caller gives:
        # then the class takes outside state and must check it.
        """\
# file: aquarium/domain/care_profiles.py
from dataclasses import dataclass


@dataclass(frozen=True)
class CareProfile:  # error: HEX201
    species: str
    min_temperature: float
    max_temperature: float


CARE_PROFILES = {
    "neon_tetra": CareProfile("neon_tetra", 22.0, 26.0),
}
# file: aquarium/application/use_cases/add_custom_profile.py
from aquarium.domain.care_profiles import CareProfile


class AddCustomProfile:
    def execute(self, species: str, low: float, high: float) -> CareProfile:
        return CareProfile(species, low, high)
""",
        # Records written out at the top level, but built from what the environment gives,
        # copied with a caller's values, handed over as a factory, built only when the
        # file runs as a script or in a lambda, built under another name a package gives
        # it, or built by a method of their own: each takes outside state.
        """\
# file: aquarium/domain/catalog.py
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class FromEnvironment:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Copied:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Handed:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Scripted:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Deferred:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Renamed:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Parsed:  # error: HEX201
    species: str

    @classmethod
    def from_row(klass, row: dict[str, str]) -> "Parsed":
        return klass(row["species"])


@dataclass(frozen=True)
class Widened:  # error: HEX201
    species: str
    low: float

    def widened(self) -> "Widened":
        return type(self)(self.species, self.low - 1)


@dataclass(frozen=True)
class BuiltInAFunction:  # error: HEX201
    species: str


@dataclass(frozen=True)
class AssignedAway:  # error: HEX201
    species: str


@dataclass(frozen=True)
class SelfCopied:  # error: HEX201
    species: str

    def renamed(self, species: str) -> "SelfCopied":
        return self.__class__(species)


@dataclass(frozen=True)
class Unpacked:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Stored:  # error: HEX201
    species: str


@dataclass(frozen=True)
class Base:
    @classmethod
    def create(cls, **values: str) -> "Base":
        return cls(**values)


@dataclass(frozen=True)
class Inherited(Base):  # error: HEX201
    species: str


@dataclass(frozen=True)
class Widenable:
    species: str

    def widened(self, species: str) -> "Widenable":
        return type(self)(species)


@dataclass(frozen=True)
class WidenedByABase(Widenable):  # error: HEX201
    low: float = 0.0


@dataclass(frozen=True)
class FromClassConstant:  # error: HEX201
    species: str


class Settings:
    SPECIES = os.environ["SPECIES"]


def default() -> BuiltInAFunction:
    return BuiltInAFunction("betta")


ROW = {"species": "betta"}
DEFAULT = FromEnvironment(os.environ["SPECIES"])
COPIED = {"betta": Copied("betta")}
ASSIGNED = AssignedAway("betta")
FACTORY = AssignedAway
SELF_COPIED = SelfCopied("betta")
UNPACKED = Unpacked(**ROW)
STORED = Stored("betta")
INHERITED = Inherited("betta")
WIDENED_BY_A_BASE = WidenedByABase("betta", 24.0)
FROM_CLASS_CONSTANT = FromClassConstant(Settings.SPECIES)
HANDED = Handed("betta")
LATER = lambda: Deferred("betta")  # noqa: E731
RENAMED = Renamed("betta")
PARSED = Parsed("betta")
WIDENED = Widened("betta", 24.0)

if __name__ == "__main__":
    print(Scripted("betta"))
# file: aquarium/domain/__init__.py
from aquarium.domain.catalog import Renamed as Profile
# file: aquarium/application/profiles.py
from dataclasses import replace
from itertools import starmap

from aquarium.domain import Profile
from aquarium.domain.catalog import COPIED, Handed


def customised(species: str) -> object:
    return replace(COPIED["betta"], species=species)


def many(rows: list[tuple[str]]) -> list[Handed]:
    return list(starmap(Handed, rows))


def profile(species: str) -> Profile:
    return Profile(species)
# file: aquarium/domain/copied.py
from dataclasses import dataclass


@dataclass(frozen=True)
class CopiedByParameter:  # error: HEX201
    species: str


BY_PARAMETER = CopiedByParameter("betta")
# file: aquarium/application/renaming.py
from dataclasses import replace

from aquarium.domain.copied import CopiedByParameter


def renamed(profile: CopiedByParameter, species: str) -> CopiedByParameter:
    return replace(profile, species=species)
# file: aquarium/application/more.py
from aquarium.domain.catalog import Inherited, Stored


def created(species: str) -> object:
    return Inherited.create(species=species)


class StoredRepository:
    entity = Stored

    def load(self, row: dict[str, str]) -> Stored:
        return self.entity(**row)
""",
        # Beside a port, a record that an entity elsewhere in the model also holds is the
        # model's, and so is one with behaviour of its own, and what an aggregate the port
        # saves holds; a `Literal`'s strings and an `Annotated`'s metadata name no class.
        """\
# file: billing/domain/ports.py
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol
from typing import Literal as Kind


@dataclass(frozen=True)
class Address:  # error: HEX201
    street: str
    city: str


@dataclass
class Mandate:  # error: HEX201
    reference: str
    revoked: bool = False

    def revoke(self) -> None:
        self.revoked = True


@dataclass(frozen=True)
class Customer:
    name: str
    address: Address
    mandate: Mandate


@dataclass(frozen=True)
class Statement:  # error: HEX201
    period: str


@dataclass(frozen=True)
class Period:  # error: HEX201
    month: str


@dataclass(frozen=True)
class Reminder:  # error: HEX201
    text: str


class CustomerDirectory(Protocol):
    def find(self, name: str) -> Customer | None: ...

    def statement(self, kind: Literal["Statement"], month: Annotated[str, "Period"]) -> str: ...

    def remind(self, kind: Kind["Reminder"]) -> None: ...
# file: billing/domain/orders.py
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class Money:  # error: HEX201
    amount: int
    currency: str


@dataclass(frozen=True)
class OrderLine:  # error: HEX201
    sku: str
    price: Money


@dataclass
class Order:
    id: UUID
    lines: list[OrderLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.lines) > 100:
            raise ValueError("an order holds at most 100 lines")

    def add(self, line: OrderLine) -> None:
        self.lines.append(line)


class OrderRepository(Protocol):
    def get(self, order_id: UUID) -> Order | None: ...

    def save(self, order: Order) -> None: ...
# file: billing/domain/contract.py
from dataclasses import dataclass

from billing.domain.ports import Address


@dataclass(frozen=True)
class Contract:
    number: str
    billing_address: Address

    def __post_init__(self) -> None:
        if not self.number:
            raise ValueError("a contract has a number")
""",
        # Built in a domain `return`, but not from what the domain works out alone: a
        # factory handing its parameters on, a record with an identity of its own, one its
        # own methods build, one built outside the domain too, one handed over as a value,
        # one built and kept before another is returned, and a value object filed with the
        # model under no result's name. Each is the model's.
        """\
# file: shop/domain/value_objects/bounds.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:  # error: HEX201
    low: float
    high: float


def bounds_of(prices: list[float]) -> Bounds:
    return Bounds(low=min(prices), high=max(prices))
# file: shop/domain/model.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Address:  # error: HEX201
    street: str
    city: str


def address_from(street: str, city: str) -> Address:
    return Address(street=street.strip(), city=str(city))


@dataclass(frozen=True)
class Receipt:  # error: HEX201
    receipt_id: str
    total: Decimal


def receipt_for(number: int, prices: list[Decimal]) -> Receipt:
    return Receipt(receipt_id=f"R-{number}", total=sum(prices, Decimal(0)))


@dataclass(frozen=True)
class Window:  # error: HEX201
    start: int
    end: int

    def shifted(self, days: int) -> "Window":
        return Window(self.start + days, self.end + days)


@dataclass(frozen=True)
class Quote:  # error: HEX201
    sku: str
    price: Decimal


def quote(sku: str, base: Decimal) -> Quote:
    return Quote(sku=sku.upper(), price=base * 2)


@dataclass(frozen=True)
class Discount:  # error: HEX201
    code: str
    percent: int


def best_discount(codes: list[str]) -> Discount:
    offers = list(map(Discount, codes, range(len(codes))))
    return Discount(code=max(codes), percent=len(offers))


@dataclass(frozen=True)
class Stock:  # error: HEX201
    sku: str
    count: int


def restock(sku: str, counts: list[int]) -> Stock:
    before = Stock(sku="pending", count=len(counts))
    after = Stock(sku=before.sku, count=sum(counts))
    return after
# file: shop/infrastructure/quotes.py
from decimal import Decimal

from shop.domain.model import Quote


def quote_from_row(row: dict[str, str]) -> Quote:
    return Quote(sku=row["sku"], price=Decimal(row["price"]))
""",
        # More ways a record returned by domain code is still the model's, one module
        # each: a factory that stamps the clock, hands on more than it works out or only
        # rounds its parameter; an identity inherited from a base or named `uuid`; a copy
        # with other values; a build through `type(self)` or a base's method; a factory of
        # its own, a constant holding the class, a top-level build or a nested function's
        # default; an instance handed on before it is returned; unpacked arguments; a
        # deferred build; a port that is handed it; a static method's parameters; a name a package
        # gives it that the infrastructure builds it under; a build outside the domain.
        """\
# file: clinic/domain/checkpoint.py
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Checkpoint:  # error: HEX201
    reached_at: datetime


def reach() -> Checkpoint:
    return Checkpoint(reached_at=datetime.now())
# file: clinic/domain/guest.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Guest:  # error: HEX201
    name: str
    phone: str
    visits: int


def guest(name: str, phone: str, history: list[str]) -> Guest:
    return Guest(name=name, phone=phone, visits=len(history))
# file: clinic/domain/deposit.py
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Deposit:  # error: HEX201
    amount: Decimal


def deposit(amount: Decimal) -> Deposit:
    return Deposit(amount=round(amount, 2))
# file: clinic/domain/visit.py
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid4


@dataclass
class Entity:
    id: UUID


@dataclass
class Visit(Entity):  # error: HEX201
    total: Decimal


def open_visit(prices: list[Decimal]) -> Visit:
    return Visit(id=uuid4(), total=sum(prices, Decimal(0)))
# file: clinic/domain/ticket.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Ticket:  # error: HEX201
    uuid: str
    desk: str


def ticket(desks: list[str]) -> Ticket:
    return Ticket(uuid=str(len(desks)), desk=min(desks))
# file: clinic/domain/share.py
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Share:  # error: HEX201
    owner: str
    percent: int


def split(owners: list[str]) -> Share:
    return Share(owner=min(owners), percent=len(owners))


def with_percent(share: Share, percent: int) -> Share:
    return replace(share, percent=percent)
# file: clinic/domain/slot.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:  # error: HEX201
    room: str
    hour: int

    def later(self, hours: int) -> "Slot":
        return type(self)(self.room, self.hour + hours)


def first_slot(rooms: list[str]) -> Slot:
    return Slot(room=min(rooms), hour=len(rooms))
# file: clinic/domain/room.py
from dataclasses import dataclass


class Building:
    def room(self, names: list[str]) -> "Room":
        return Room(name=min(names), beds=len(names))


@dataclass(frozen=True)
class Room(Building):  # error: HEX201
    name: str
    beds: int


def room_for(names: list[str]) -> Room:
    return Room(name=max(names), beds=len(names))
# file: clinic/domain/discount.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Discount:  # error: HEX201
    code: str
    percent: int


def best(codes: list[str]) -> Discount:
    return Discount(code=max(codes), percent=len(codes))


def none_yet(codes: list[str]) -> Discount:
    return Discount.none(codes)
# file: clinic/domain/dose.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Dose:  # error: HEX201
    drug: str
    milligrams: int


MAKER = Dose


def dose_for(drugs: list[str], weights: list[int]) -> Dose:
    return Dose(drug=min(drugs), milligrams=sum(weights))
# file: clinic/domain/regimen.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Regimen:  # error: HEX201
    days: int
    doses: int


STANDARD = Regimen(days=7, doses=1)


def plan(days: list[int]) -> Regimen:
    return Regimen(days=len(days), doses=max(days))
# file: clinic/domain/vitals.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Vitals:  # error: HEX201
    pulse: int
    pressure: int


def read_vitals(rows: list[dict[str, int]]) -> list[Vitals]:
    def load(row: dict[str, int], make: type[Vitals] = Vitals) -> Vitals:
        return make(**row)

    return [load(row) for row in rows]


def average_vitals(rows: list[dict[str, int]]) -> Vitals:
    return Vitals(pulse=max(len(rows), 1), pressure=sum(len(row) for row in rows))
# file: clinic/domain/mailer.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:  # error: HEX201
    subject: str
    recipients: int


class Mailer:
    def __init__(self, subject: str, outbox, queue: list[str]) -> None:
        if not subject:
            raise ValueError("a notice needs a subject")
        self.subject = subject
        self.outbox = outbox
        self.queue = queue

    def notify(self) -> Notice:
        notice = Notice(subject=self.subject, recipients=len(self.queue))
        self.outbox.send(notice)
        return notice
# file: clinic/domain/allergy.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Allergy:  # error: HEX201
    substance: str
    severity: int


def allergy_from(row: dict[str, str], extra: dict[str, int]) -> Allergy:
    return Allergy(substance=min(row), **extra)
# file: clinic/domain/referral.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Referral:  # error: HEX201
    clinic: str
    urgency: int


def referral(clinics: list[str]) -> Referral:
    later = lambda: Referral(clinic=min(clinics), urgency=len(clinics))  # noqa: E731
    return later()
# file: clinic/domain/claim.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:  # error: HEX201
    insurer: str
    total: int


def claim_for(insurers: list[str]) -> Claim:
    return Claim(insurer=min(insurers), total=len(insurers))
# file: clinic/domain/ports.py
from abc import ABC, abstractmethod

from clinic.domain.claim import Claim


class Claims(ABC):
    @abstractmethod
    def file(self, claim: Claim) -> None: ...
# file: clinic/domain/label.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:  # error: HEX201
    text: str
    tag: str
    size: int


class Labels:
    @staticmethod
    def make(text: str, size: int) -> Label:
        return Label(text=text.strip(), tag=text.lower(), size=size)
# file: clinic/domain/__init__.py
from clinic.domain.pricing import Rate as Tariff
# file: clinic/domain/pricing.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:  # error: HEX201
    code: str
    cents: int


def rate_for(codes: list[str]) -> Rate:
    return Rate(code=min(codes), cents=len(codes))
# file: clinic/domain/bed.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Bed:  # error: HEX201
    ward: str
    number: int


def bed_for(wards: list[str]) -> Bed:
    return Bed(ward=min(wards), number=len(wards))
# file: clinic/infrastructure/rates.py
from clinic.domain import Tariff


def rate_from_rows(rows: list[dict[str, str]]) -> Tariff:
    return Tariff(min(row["code"] for row in rows), len(rows))
# file: clinic/infrastructure/beds.py
from clinic.domain.bed import Bed


def spare_bed(wards: list[str]) -> Bed:
    return Bed(ward=max(wards), number=len(wards))
# file: clinic/infrastructure/claims.py
from clinic.domain.claim import Claim
from clinic.domain.ports import Claims


class LedgerClaims(Claims):
    def __init__(self) -> None:
        self.filed: list[Claim] = []

    def file(self, claim: Claim) -> None:
        self.filed.append(claim)
""",
    )

    def _subjects(self, model: ProjectModel) -> tuple[Entity, ...]:
        return model.index(_examined_entities)

    def examined(self, model: ProjectModel) -> int:
        return len(self._subjects(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for entity in self._subjects(model):
            ref = entity.ref
            init = ref.cls.method("__init__")
            open_ = open_fields(roles_, ref)
            if open_ == []:
                continue
            # The message names what is left to check: fields a type or a default settles
            # aside, inherited ones included (`oid: OIDType` of a generic base), and those
            # assigned with no annotation to judge them by.
            typed = _init_annotations(roles_, ref)
            names = [*(open_ or ()), *(name for name in entity.fields if name not in typed)]
            if roles_.is_plain_entity(ref) and init is not None:
                guarded = _assigned_through_checking_setters(roles_, ref, init)
                names = [name for name in names if name not in guarded]
                if _init_checks(model, init) or not names:
                    continue
            unchecked = f"{'field' if len(names) == 1 else 'fields'} {quoted_list(names)}"
            if roles_.is_plain_entity(ref) and init is not None:
                unchecking = _unchecking_factories(model, ref)
                if unchecking == []:
                    continue  # built only by its factories, and every one of them checks
                message = f"domain class '{ref.cls.qualname}' only assigns in __init__"
                if unchecking:
                    kind = "factory" if len(unchecking) == 1 else "factories"
                    verb = "checks" if len(unchecking) == 1 else "check"
                    message += f", and its {kind} {quoted_list(unchecking)} {verb} nothing"
                message += f": nothing checks its {unchecked} when it is built"
                yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
                continue
            if _hook(roles_, entity.ref) is not None:
                continue
            message = (
                f"domain dataclass '{ref.cls.qualname}' has no __post_init__: nothing checks "
                f"its {unchecked} when it is built"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)
