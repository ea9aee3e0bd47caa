"""Adapters against their ports: which infrastructure classes implement a contract,
and which of them are meant to be instantiated."""

from __future__ import annotations

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.layers import Layer
from hexcheck.semantics.roles import (
    ClassRef,
    Roles,
    is_abstract_method,
    is_test_double,
    is_test_module,
    roles,
)

# External bases that implement no port method (anything else might: a library mixin).
_INERT_BASES = frozenset(
    {
        "typing.Generic", "typing_extensions.Generic", "abc.ABC", "typing.Protocol",
        "typing_extensions.Protocol", "object", "builtins.object",
    }
)  # fmt: skip


def contracts(r: Roles, ref: ClassRef) -> tuple[ClassRef, ...]:
    """The first-party ancestors `ref` promises to honour: ports, and interfaces (an ABC
    port written next to its adapter in `adapters/repository.py` is one too). A base of
    the model is none (`Roles.is_interface`): a persistence class deriving from an
    entity whose `AggregateRoot` is an `ABC` implements no port."""
    return tuple(a for a in r.first_party_ancestors(ref) if r.is_port(a) or r.is_interface(a))


# Once per model (as `roles`): HEX501, HEX502 and HEX504 each ask, for `examined` and `check`.
def implementations(r: Roles) -> tuple[ClassRef, ...]:
    """Infrastructure classes that implement a contract: adapters and their shared bases."""
    return r.model.index(_implementations)


def _implementations(model: ProjectModel) -> tuple[ClassRef, ...]:
    r = roles(model)
    return tuple(
        ref
        for ref in r.classes
        if r.layer(ref) is Layer.INFRASTRUCTURE
        and not is_test_double(ref)
        and not r.is_protocol(ref)
        # A `@dataclass` adapter is still an adapter; enums, models, exceptions are not.
        and not (r.is_data_holder(ref) and not r.is_dataclass(ref))
        and contracts(r, ref)
    )


def meant_concrete(r: Roles, ref: ClassRef) -> bool:
    """Whether an implementation is meant to be instantiated, not a base for others.

    A class that declares `ABC` or abstract methods of its own, has first-party
    subclasses outside the tests, or is named `Base...`/`Abstract...`/`...Base`/`...Mixin`
    is a base.
    """
    name = ref.cls.name
    if r.declares_abc(ref) or r.is_protocol(ref):
        return False
    if any(is_abstract_method(method) for method in ref.cls.methods):
        return False
    if name.startswith(("Base", "Abstract")) or name.endswith(("Base", "Mixin")):
        return False
    # A fake in the tests that extends the real adapter does not make it a base.
    return not any(not is_test_module(sub.rpartition(".")[0]) for sub in r.model.subclasses(ref.dotted))


def external_bases(r: Roles, ref: ClassRef) -> list[str]:
    """The ancestors of `ref` outside the project that might implement methods."""
    return [
        name
        for name in r.ancestors(ref)
        if r.ref(name) is None and name not in _INERT_BASES and not name.startswith("?")
    ]


def adapter_classes(r: Roles) -> tuple[ClassRef, ...]:
    """The implementations meant to be instantiated: what HEX501 and HEX504 judge."""
    return r.model.index(_adapter_classes)


def _adapter_classes(model: ProjectModel) -> tuple[ClassRef, ...]:
    r = roles(model)
    return tuple(ref for ref in implementations(r) if meant_concrete(r, ref))
