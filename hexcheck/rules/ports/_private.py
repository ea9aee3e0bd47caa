"""What several ports rules share; nothing outside the family uses it."""

from __future__ import annotations

from hexcheck.semantics.roles import ClassRef, Roles
from hexcheck.semantics.symbols import class_sites


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def declared_methods(ref: ClassRef) -> tuple[str, ...]:
    """The public methods a port declares itself, by name (overloads once), sorted."""
    return tuple(sorted({m.name for m in ref.cls.methods if _is_public(m.name)}))


def parents(roles_: Roles, ref: ClassRef) -> list[ClassRef]:
    """The first-party classes `ref` derives from directly.

    A base that names no first-party class but whose dotted name ends a first-party
    class's name counts as that class: when the source roots are not the ones the code
    imports from (`from ports.cache import Cache` in `src/adapters/redis.py`, checked as
    `src.ports.cache`), the adapter's base does not resolve, and neither HEX301 nor HEX304
    should report on that guess."""
    found: list[ClassRef] = []
    for base in ref.cls.bases:
        if not base.name or "?" in base.name:
            continue
        found.extend(p for p in class_sites(roles_, base.name, by_suffix=True) if p is not ref)
    return found
