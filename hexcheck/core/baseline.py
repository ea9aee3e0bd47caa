"""The baseline: the findings a project accepted on the day it adopted hexcheck.

A baseline entry names a finding by its path, code and symbol (`Finding.symbol`, which
holds no line number), with a count for findings that share all three. Checking against
a baseline reports only findings it does not hold, however much the code around the old
ones has moved, and names the entries that nothing matches any more: they are fixed and
can be deleted, so the baseline only ever shrinks.

Matching, in order, each finding taking one unit of an entry's count:
1. the same path, code and symbol;
2. for an entry whose file is no longer checked (moved or renamed), a finding of the
   same code and symbol: the file moved but its module kept its name (a package moved
   under `src/`, a project checked from another directory);
3. for an entry whose file is no longer checked, a finding of the same code in a file
   of the same directory whose symbol is the entry's with the old module name replaced
   by the new one: the file was renamed within its package.

Reading and writing the file is the adapters' business; this module is pure.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from hexcheck.core.findings import Finding

_Key = tuple[str, str, str]  # path, code, symbol


@dataclass(frozen=True, slots=True, order=True)
class BaselineEntry:
    """`count` findings of `code` about `symbol` in the file at `path` (relative, `/`)."""

    path: str
    code: str
    symbol: str
    count: int = 1

    @property
    def key(self) -> _Key:
        return (self.path, self.code, self.symbol)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Entries sorted by path, code and symbol, one per key."""

    entries: tuple[BaselineEntry, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Baseline:
        """The baseline that accepts exactly `findings`."""
        counts = Counter(_key(finding) for finding in findings)
        return cls.from_counts(counts)

    @classmethod
    def from_counts(cls, counts: Mapping[_Key, int]) -> Baseline:
        return cls(tuple(BaselineEntry(*key, count) for key, count in sorted(counts.items()) if count > 0))

    @property
    def total(self) -> int:
        """How many findings the baseline accepts."""
        return sum(entry.count for entry in self.entries)

    def of_codes(self, codes: Collection[str]) -> Baseline:
        """The entries of `codes`: a run of some rules cannot call the others' entries fixed."""
        return Baseline(tuple(entry for entry in self.entries if entry.code in codes))

    def within(self, paths: Sequence[str]) -> Baseline:
        """The entries of files at or below `paths` ("" is everything): a run that checked
        part of the project cannot call the rest fixed."""
        return Baseline(tuple(entry for entry in self.entries if _within(entry.path, paths)))


@dataclass(frozen=True, slots=True)
class BaselineResult:
    """What a baseline made of a run's findings: new ones, known ones, and fixed entries."""

    new: tuple[Finding, ...]
    known: tuple[Finding, ...]
    fixed: tuple[BaselineEntry, ...]  # each with the count of findings no longer there

    @property
    def fixed_count(self) -> int:
        return sum(entry.count for entry in self.fixed)


def apply_baseline(
    baseline: Baseline, findings: Sequence[Finding], modules: Mapping[str, str]
) -> BaselineResult:
    """Split `findings` (sorted) into new ones and those `baseline` knows.

    `modules` maps the path of every checked file to its module name; an entry whose
    path is not among them belongs to a file that moved, was renamed or was deleted.
    """
    remaining: Counter[_Key] = Counter({entry.key: entry.count for entry in baseline.entries})
    known: list[Finding] = []
    pending: list[Finding] = []
    for finding in findings:
        key = _key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(finding)
        else:
            pending.append(finding)
    gone = [key for key in sorted(remaining) if remaining[key] > 0 and key[0] not in modules]
    new: list[Finding] = []
    for finding in pending:
        moved = _moved_from(finding, gone, remaining, modules)
        if moved is None:
            new.append(finding)
        else:
            remaining[moved] -= 1
            known.append(finding)
    known.sort(key=lambda finding: finding.sort_key)
    return BaselineResult(tuple(new), tuple(known), Baseline.from_counts(remaining).entries)


def _key(finding: Finding) -> _Key:
    return (finding.location.path, finding.code, finding.symbol)


def _moved_from(
    finding: Finding, gone: Sequence[_Key], remaining: Counter[_Key], modules: Mapping[str, str]
) -> _Key | None:
    """The entry of a file no longer checked that `finding` continues, if any."""
    path, code, symbol = _key(finding)
    candidates = [key for key in gone if key[1] == code and remaining[key] > 0]
    for key in candidates:
        if key[2] == symbol:
            return key
    module = modules.get(path)
    if module is None or posixpath.basename(path) == "__init__.py":
        return None
    for key in candidates:
        old_path = key[0]
        if posixpath.dirname(old_path) != posixpath.dirname(path) or not old_path.endswith(".py"):
            continue
        package = module.rpartition(".")[0]
        stem = posixpath.basename(old_path)[: -len(".py")]
        old_module = f"{package}.{stem}" if package else stem
        if _renamed(key[2], old_module, module) == symbol:
            return key
    return None


def _renamed(symbol: str, old: str, new: str) -> str:
    """`symbol` with the dotted name `old` (whole, not a prefix of a longer name) as `new`."""
    return re.sub(rf"(?<![\w.]){re.escape(old)}(?!\w)", new, symbol)


def _within(path: str, roots: Sequence[str]) -> bool:
    return any(not root or path == root or path.startswith(root.rstrip("/") + "/") for root in roots)
