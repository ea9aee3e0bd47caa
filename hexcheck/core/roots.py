"""Import roots from evidence: the directories a project's own imports are resolved from.

A module's name is the name the code imports it by, so the roots are chosen by what the
code imports, not by folder names: every directory holding a package (or module) whose
name some absolute import starts with is a candidate, as are the package roots packaging
metadata declares; the chosen set is the one that resolves the most absolute imports of
names that exist somewhere in the tree. It is built greedily (the candidate that adds the
most resolved imports first) and ties are broken the same way every time: fewest roots,
then the shallowest, then by path, so that output stays byte-identical.

Everything here works on paths relative to the project root, as tuples of names
(`("backend",)` for `backend/`, `()` for the project root itself), and on the dotted
names that the import lines of each file name. The lines come from `imported_names`, a
scan of the bytes already read (never a parse): it may see an `import` inside a string,
which only weighs a little on a count, never names a module.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

Folder = tuple[str, ...]

_STDLIB = frozenset(sys.stdlib_module_names)

# `import a.b, c as d` and `from a.b import ...` at the start of a line (indented too:
# function-level and `if TYPE_CHECKING:` imports count). Relative imports are left out:
# they name no root.
_NAME = rb"[A-Za-z_][\w.]*"
_IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+(" + _NAME + rb")[ \t]+import\b[ \t]*(\([^)]*\)|[^\n;#]*)"
    rb"|import[ \t]+(" + _NAME + rb"(?:[ \t]*(?:as[ \t]+\w+)?[ \t]*,[ \t]*" + _NAME + rb")*))",
    re.MULTILINE,
)
_SPLIT_NAMES = re.compile(rb"[ \t]*,[ \t]*")
_FROM_NAME = re.compile(rb"(\w+|\*)(?:\s+as\s+\w+)?")
_COMMENT = re.compile(rb"#[^\n]*")


def imported_names(source: bytes) -> list[tuple[str, tuple[str, ...]]]:
    """The absolute module names the import lines of `source` name, in order, each with
    the names a `from` line takes from it (none for an `import` line)."""
    names: list[tuple[str, tuple[str, ...]]] = []
    for match in _IMPORT_LINE.finditer(source):
        written = match.group(1)
        if written is not None:
            # A comment inside the parentheses (`from a import (  # re-exported`) takes nothing.
            listed = _COMMENT.sub(b"", match.group(2))
            taken = tuple(name.decode("ascii", "replace") for name in _FROM_NAME.findall(listed))
            names.append((written.decode("ascii", "replace").rstrip("."), taken))
            continue
        for part in _SPLIT_NAMES.split(match.group(3)):
            names.append((part.split()[0].decode("ascii", "replace").rstrip("."), ()))
    return [(name, taken) for name, taken in names if name]


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


@dataclass(frozen=True, slots=True)
class Root:
    """A chosen import root and how many absolute imports resolve below it."""

    folder: Folder
    resolved: int


@dataclass(frozen=True, slots=True)
class RootChoice:
    """The roots chosen, the in-tree imports none of them resolves, and the ties met.

    `unresolved` counts imports (by dotted name) whose top name exists in the tree but
    that resolve below no chosen root; `ties` pairs a chosen root with another one that
    would have resolved exactly as many imports.
    """

    roots: tuple[Root, ...]
    unresolved: tuple[tuple[str, int], ...]
    ties: tuple[tuple[Folder, Folder, int], ...]

    @property
    def folders(self) -> tuple[Folder, ...]:
        return tuple(root.folder for root in self.roots)


def module_paths(files: Iterable[Folder]) -> frozenset[Folder]:
    """Every importable path below the project root: each file's module path (without
    `.py`; a package's folder for its `__init__.py`) and every folder above one."""
    found: set[Folder] = set()
    for parts in files:
        if not parts:
            continue
        stem = parts[-1].removesuffix(".py")
        module = parts[:-1] if stem == "__init__" else (*parts[:-1], stem)
        for cut in range(1, len(module) + 1):
            found.add(module[:cut])
    return frozenset(found)


def _named_by_its_package(
    folder: Folder,
    name: str,
    in_tree: Mapping[str, int],
    candidates: AbstractSet[Folder],
    packages: AbstractSet[Folder],
) -> bool:
    """Whether the code imports `folder/name.py` by its package name, so that a bare
    `import name` is not that module.

    `src/api/injector.py`, a FastAPI helper of the regular package `api/` that the code
    imports as `api.injector`, is not what `from injector import Injector` means: that is
    the third-party `injector`, and taking `src/api/` for a root to resolve it would name
    `api.app` `app`. One file has one name; when the code itself writes a module's
    package-qualified name (from a candidate root above the package), a bare import of
    its last name belongs to another package. Dotted names (`domain.order` below a
    `src/` package) are left to the count: only a bare top-level name can be a library's.
    """
    if "." in name or folder not in packages:
        return False
    return any(
        folder[:depth] in candidates and ".".join((*folder[depth:], name)) in in_tree
        for depth in range(len(folder))
    )


def _taken_from_nowhere(
    name: str, taken: Mapping[str, int], holders: Mapping[str, set[Folder]], paths: AbstractSet[Folder]
) -> bool:
    """Whether most of what `from` lines take from `name` is no module of the tree under any
    folder holding `name` (a star import takes nothing by name and is not counted).

    A namespace package holds nothing but its submodules, so `from sqlalchemy import Column`
    cannot mean a folder `repositories/sqlalchemy/` of repository modules. Where each of
    several services has its own `app/infrastructure/` holding different modules, what one
    line takes is found in another service's copy: the tree does hold it.
    """
    named = {each: count for each, count in taken.items() if each != "*"}
    total = sum(named.values())
    if not total:
        return False
    parts = tuple(name.split("."))
    found = sum(
        count
        for each, count in named.items()
        if any((*folder, *parts, each) in paths for folder in holders.get(parts[0], ()))
    )
    return 2 * found < total


def choose_roots(
    files: Sequence[Folder],
    imports: Mapping[str, int],
    declared: Iterable[Folder] = (),
    taken: Mapping[str, Mapping[str, int]] | None = None,
) -> RootChoice:
    """The import roots that resolve the most of `imports` (dotted name -> how often).

    `files` are the project's `.py` files as relative paths; `declared` are package roots
    that packaging metadata names (candidates like the others: evidence decides); `taken`
    gives, for a dotted name, how often `from` lines take each name from it.
    """
    paths = module_paths(files)
    # Where each name exists: the folders that hold a package or module of that name.
    holders: dict[str, set[Folder]] = {}
    for path in paths:
        if is_identifier(path[-1]):
            holders.setdefault(path[-1], set()).add(path[:-1])
    # A folder named like a standard-library module (`email/`, `uuid/` beside value
    # objects) is not where `import email` comes from.
    in_tree = {
        name: count
        for name, count in imports.items()
        if name.partition(".")[0] in holders
        and name.partition(".")[0] not in _STDLIB
        and all(is_identifier(p) for p in name.split("."))
    }
    # A folder inside a regular package (`hexcheck/semantics/` below `hexcheck/__init__.py`)
    # is that package's subpackage: Python never imports from it as a root, so a
    # `semantics/fastapi.py` there is not what `import fastapi` means.
    packages = {parts[:-1] for parts in files if parts and parts[-1] == "__init__.py"}
    # What a `from` line may take a name from that is not there: a folder without
    # `__init__.py` (a namespace package) holds only its submodules. A regular package or a
    # module may define any name, so only namespace folders are asked.
    taken = taken or {}
    taken_from_nowhere = {
        name for name in in_tree if name in taken and _taken_from_nowhere(name, taken[name], holders, paths)
    }
    modules = packages | {
        (*parts[:-1], parts[-1].removesuffix(".py")) for parts in files if parts and parts[-1].endswith(".py")
    }
    candidates: set[Folder] = {
        folder
        for name in in_tree
        for folder in holders[name.partition(".")[0]]
        if not folder or folder[:-1] not in packages
    }
    candidates.update(folder for folder in declared if folder in paths or folder == ())
    # For each candidate, the imports it resolves and the path each one resolves to: the
    # module an `import a.b` or a `from a.b import c` names must exist (`c` may be a name).
    resolves: dict[Folder, dict[str, Folder]] = {}
    for folder in candidates:
        found: dict[str, Folder] = {}
        for name in in_tree:
            target = (*folder, *name.split("."))
            if (
                target in paths
                and not _named_by_its_package(folder, name, in_tree, candidates, packages)
                and not (name in taken_from_nowhere and target not in modules)
            ):
                found[name] = target
        # A folder named like a third-party package (`repository/django/`) resolves `import
        # django` but hardly any `django.db.models`: when fewer than half the imports of a
        # top name resolve below a folder, that name is not the folder's package.
        wanted: dict[str, int] = {}
        got: dict[str, int] = {}
        for name, count in in_tree.items():
            top = name.partition(".")[0]
            wanted[top] = wanted.get(top, 0) + count
            if name in found:
                got[top] = got.get(top, 0) + count
        found = {
            name: target
            for name, target in found.items()
            if 2 * got[name.partition(".")[0]] >= wanted[name.partition(".")[0]]
        }
        if found:
            resolves[folder] = found

    def order(folder: Folder) -> tuple[int, str]:
        return (len(folder), "/".join(folder))

    # Name -> the candidates that resolve it, shallowest first (the order roots are listed).
    resolvers_of: dict[str, list[Folder]] = {}
    for folder in sorted(resolves, key=order):
        for name in resolves[folder]:
            resolvers_of.setdefault(name, []).append(folder)

    def resolver(name: str, chosen: AbstractSet[Folder], joining: Folder | None = None) -> Folder | None:
        """The root `name` resolves below among `chosen` (and `joining`), if any: a path
        below two roots is named from the deeper one, so the shallower does not resolve it."""

        def is_root(folder: Folder) -> bool:
            return folder == joining or folder in chosen

        for folder in resolvers_of.get(name, ()):
            if not is_root(folder):
                continue
            target = resolves[folder][name]
            if not any(is_root(target[:depth]) for depth in range(len(folder) + 1, len(target))):
                return folder
        return None

    def resolved_by(chosen: Sequence[Folder]) -> dict[Folder, int]:
        """How many imports each chosen root resolves."""
        counts = dict.fromkeys(chosen, 0)
        members = frozenset(chosen)
        for name, count in in_tree.items():
            folder = resolver(name, members)
            if folder is not None:
                counts[folder] += count
        return counts

    # The names whose resolution a root can change when it joins: those it resolves, and
    # those resolved to a path below it (named from it once it is chosen). The others
    # keep their answer, so each round weighs a candidate by these alone, not by every
    # import again (a monorepo of a hundred services has thousands of candidates).
    touched: dict[Folder, set[str]] = {folder: set(found) for folder, found in resolves.items()}
    for found in resolves.values():
        for name, target in found.items():
            for depth in range(len(target)):
                if target[:depth] in touched:
                    touched[target[:depth]].add(name)

    def gain(chosen: AbstractSet[Folder], folder: Folder) -> int:
        """What adding `folder` to `chosen` changes in the imports resolved."""
        change = 0
        for name in touched[folder]:
            before = resolver(name, chosen) is not None
            after = resolver(name, chosen, folder) is not None
            change += in_tree[name] * (after - before)
        return change

    chosen: list[Folder] = []
    score = 0
    ties: list[tuple[Folder, Folder, int]] = []
    while True:
        members = frozenset(chosen)
        scored = sorted(
            ((score + gain(members, folder), folder) for folder in resolves if folder not in members),
            key=lambda pair: (-pair[0], order(pair[1])),
        )
        if not scored or scored[0][0] <= score:
            break
        best_score, best = scored[0]
        for other_score, other in scored[1:]:
            if other_score != best_score:
                break
            # A true tie: the other root would have done the same, and adds nothing now.
            if gain(members | {best}, other) == 0:
                ties.append((best, other, best_score - score))
        chosen.append(best)
        score = best_score
    chosen.sort(key=order)
    counts = resolved_by(chosen)
    final = frozenset(chosen)
    resolved_names = {name for name in in_tree if resolver(name, final) is not None}
    # Only names of the project's own top-level packages (below a chosen root, or the
    # project root when none is) count as unresolved: the others are third-party packages
    # that a folder deeper in the tree happens to be named like.
    own = {top for top, folders in holders.items() if any(folder in folders for folder in chosen or [()])}
    unresolved = tuple(
        sorted(
            (name, count)
            for name, count in in_tree.items()
            if name not in resolved_names and name.partition(".")[0] in own
        )
    )
    return RootChoice(tuple(Root(folder, counts[folder]) for folder in chosen), unresolved, tuple(ties))
