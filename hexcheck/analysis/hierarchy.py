"""Names across modules: re-exports, classes, and the class hierarchy.

The extractor resolves every name inside its own module (`Entity` after
`from app.domain import Entity` is `app.domain.Entity`). Whether `app.domain.Entity` is
the class `Entity` of `app.domain.entity`, re-exported by `app/domain/__init__.py`, is only
known once every module is read: this module follows such re-exports.

A name in a module is bound, in this order of precedence, by:
1. a class or function defined at module level (the name is canonical there);
2. a module-level import (`from .entity import Entity`, `import a.b as c`, `import a`);
3. a module-level `Alias = Name` assignment (followed), or any other assignment (canonical);
4. a star import (`from .entity import *`) of a module that binds it.
Function-level and dynamic imports bind nothing at module level. `from x import y as z`
cannot be followed: the facts keep the imported name, not its alias.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Mapping

from hexcheck.core.facts import ClassFact, ExprKind, ImportKind, ModuleFacts

# Re-export chains longer than this are cut (they are cycles in practice).
_MAX_HOPS = 64


class Hierarchy:
    """Classes by canonical dotted name, their bases, and re-export resolution."""

    def __init__(self, modules: Mapping[str, ModuleFacts]) -> None:
        self._resolved: dict[str, str] = {}
        self._modules = modules
        # Most names rules resolve start outside the project (`self._books.save`,
        # `logger.info`, `str`): no module can hold them.
        self._top_level = frozenset(name.partition(".")[0] for name in modules)
        self._classes: dict[str, tuple[ModuleFacts, ClassFact]] = {}
        self._defined: dict[str, frozenset[str]] = {}
        self._bindings: dict[str, dict[str, str]] = {}
        self._aliases: dict[str, dict[str, str]] = {}
        self._stars: dict[str, tuple[str, ...]] = {}
        for name, facts in modules.items():
            self._index(name, facts)
        # Top-level classes by their module's last name and their own (`storage_service`,
        # `StorageService`): where a stale import path still points (`_moved_class`).
        self._by_short_name: dict[tuple[str, str], list[str]] = {}
        for canonical, (facts, cls) in self._classes.items():
            if "." not in cls.qualname:
                key = (facts.module.rpartition(".")[2], cls.qualname)
                self._by_short_name.setdefault(key, []).append(canonical)
        self._bases: dict[str, tuple[str, ...]] = {}
        # Rules ask for the ancestors of the same classes over and over (every call whose
        # receiver is typed, every role test); the answers never change once built.
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._subclasses: dict[str, list[str]] = {}
        for canonical in sorted(self._classes):
            bases = self.direct_bases(canonical)
            for base in bases:
                self._subclasses.setdefault(base, []).append(canonical)

    def _index(self, name: str, facts: ModuleFacts) -> None:
        defined: set[str] = set()
        for cls in facts.classes:
            self._classes.setdefault(sys.intern(f"{name}.{cls.qualname}"), (facts, cls))
            defined.add(cls.qualname.partition(".")[0])
        defined.update(function.name for function in facts.functions)
        bindings: dict[str, str] = {}
        stars: list[str] = []
        for fact in facts.imports:
            if fact.function_level or fact.kind is ImportKind.DYNAMIC or not fact.target:
                continue
            if fact.kind is ImportKind.IMPORT:
                if fact.alias:
                    bindings.setdefault(fact.alias, fact.target)
                else:
                    head = fact.target.partition(".")[0]
                    bindings.setdefault(head, head)
                continue
            # A name is bound as its alias (`from .catalog import Profile as CareProfile`
            # binds `CareProfile`).
            for imported, bound in zip(fact.names, fact.bound_as or fact.names, strict=False):
                if imported == "*":
                    stars.append(fact.target)
                elif bound not in bindings:
                    # Interned: the same names are imported by hundreds of modules.
                    bindings[bound] = sys.intern(f"{fact.target}.{imported}")
        aliases: dict[str, str] = {}
        for assignment in facts.assignments:
            if assignment.name in defined or assignment.name in bindings:
                continue
            value = assignment.value
            if value.kind is ExprKind.NAME and value.name and "?" not in value.name:
                aliases.setdefault(assignment.name, value.name)
            else:
                defined.add(assignment.name)
        for alias in list(aliases):
            if alias in defined:
                del aliases[alias]
        self._defined[name] = frozenset(defined)
        self._bindings[name] = bindings
        self._aliases[name] = aliases
        self._stars[name] = tuple(stars)

    # ---------------------------------------------------------------- names

    def _split(self, dotted: str) -> tuple[str, str] | None:
        """The longest prefix of `dotted` that is a module, and the rest (maybe empty)."""
        parts = dotted.split(".")
        if parts[0] not in self._top_level:
            return None
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self._modules:
                return module, ".".join(parts[cut:])
        return None

    def _binds(self, module: str, name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether `module` binds `name`, itself or through its own star imports (a package
        `__init__` doing `from .repositories import *`)."""
        if (
            name in self._defined.get(module, ())
            or name in self._bindings.get(module, {})
            or name in self._aliases.get(module, {})
        ):
            return True
        inside = seen | {module}
        stars = [star for star in self._stars.get(module, ()) if star not in inside]
        return any(self._binds(star, name, inside) for star in stars)

    def resolve(self, dotted: str) -> str:
        """The canonical dotted name after following re-exports; `dotted` itself if unknown."""
        # Rules ask for the same names again and again (every call of every function);
        # the hierarchy never changes once built, so each answer is kept.
        cached = self._resolved.get(dotted)
        if cached is None:
            found = self._resolve(dotted)
            if found not in self._classes:
                found = self._moved_class(found) or found
            cached = self._resolved[dotted] = found
        return cached

    def _moved_class(self, dotted: str) -> str | None:
        """The class a first-party name whose module is not in the tree stands for, when
        one class alone has its name in a module of its module's name, on a path holding
        every package the name holds: the path of a package since moved
        (`src.streaming.domain.services.storage_service.StorageService` for
        `src.modules.streaming...`) or imported from another root (`src.core.ports...`
        beside `core.ports...`). What Python would fail to import, the author meant."""
        parts = dotted.split(".")
        if len(parts) < 3 or parts[0] not in self._top_level:
            return None
        split = self._split(dotted)
        if split is not None and "." not in split[1]:
            return None  # the module is there, and does not bind the name
        candidates = self._by_short_name.get((parts[-2], parts[-1]), ())
        if len(candidates) != 1:
            return None
        # Every package the path names below its top one is still on the class's own path
        # (`streaming.domain.services` in `src.modules.streaming.domain.services`; moved
        # packages may swap, `domain.port.author` for `domain.author.port`): a library
        # sharing a namespace package (`acme.platform.alerts.notifier`) is not.
        kept = set(candidates[0].split(".")[:-1])
        return candidates[0] if kept.issuperset(parts[1:-1]) else None

    def _resolve(self, dotted: str) -> str:
        current = dotted
        seen: set[str] = set()
        while current not in seen and len(seen) < _MAX_HOPS:
            seen.add(current)
            split = self._split(current)
            if split is None:
                return current
            module, rest = split
            if not rest:
                return current
            head, _, tail = rest.partition(".")
            if head in self._defined[module]:
                return current
            target = self._bindings[module].get(head) or self._aliases[module].get(head)
            if target is None:
                # The first star import that binds the name. At run time the last one does, but
                # a later star import of a package whose modules import the name back from this
                # one (`controllers/__init__.py`: `from .controller import *` then `from .account
                # import *`) rebinds the same object, and following it here would go in a circle.
                stars = self._stars[module]
                target = next((f"{star}.{head}" for star in stars if self._binds(star, head)), None)
            if target is None:
                return current
            current = f"{target}.{tail}" if tail else target
        return current

    def find_class(self, dotted: str) -> tuple[ModuleFacts, ClassFact] | None:
        return self._classes.get(self.resolve(dotted))

    def shadowing(self, module: str) -> str:
        """What a package binds under the name of its submodule `module`, resolved, or
        `module` itself. `from .bootstrap import bootstrap` in `pkg/bootstrap/__init__.py`
        makes `pkg.bootstrap.bootstrap` the function, not the module of that name, for
        whoever imports it from the package."""
        package, _, name = module.rpartition(".")
        target = self._bindings.get(package, {}).get(name)
        return module if target is None or target == module else self.resolve(target)

    # ---------------------------------------------------------------- hierarchy

    def direct_bases(self, canonical: str) -> tuple[str, ...]:
        """The bases of a class as canonical names (external ones as written), no repeats."""
        cached = self._bases.get(canonical)
        if cached is not None:
            return cached
        found = self._classes.get(canonical)
        bases: list[str] = []
        if found is not None:
            for base in found[1].bases:
                if base.kind not in (ExprKind.NAME, ExprKind.SUBSCRIPT) or not base.name:
                    continue
                if "?" in base.name:
                    continue
                name = self.resolve(base.name)
                if name != canonical and name not in bases:
                    bases.append(name)
        result = tuple(bases)
        self._bases[canonical] = result
        return result

    def ancestors(self, dotted: str) -> tuple[str, ...]:
        start = self.resolve(dotted)
        cached = self._ancestors.get(start)
        if cached is None:
            cached = self._ancestors[start] = self._breadth_first_bases(start)
        return cached

    def _breadth_first_bases(self, start: str) -> tuple[str, ...]:
        found: list[str] = []
        seen = {start}
        queue = deque([start])
        while queue:
            for base in self.direct_bases(queue.popleft()):
                if base not in seen:
                    seen.add(base)
                    found.append(base)
                    queue.append(base)
        return tuple(found)

    def subclasses(self, dotted: str) -> tuple[str, ...]:
        start = self.resolve(dotted)
        seen = {start}
        queue = deque([start])
        while queue:
            for child in self._subclasses.get(queue.popleft(), ()):
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        seen.discard(start)
        return tuple(sorted(seen))

    def classes(self) -> tuple[str, ...]:
        """Every first-party class, by canonical name, sorted."""
        return tuple(sorted(self._classes))
