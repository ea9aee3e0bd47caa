"""The ecosystem check's pure parts: the manifest, finding keys and diffs, labels, precision.

Nothing here runs git or hexcheck; `primer.py` does, and the unit tests in
`tests/test_corpus.py` check these functions on their own.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

SPLITS = ("tuning", "held-out")
LAYERS = ("domain", "application", "infrastructure", "web", "composition", "unlayered")
VERDICTS = ("true", "false", "true-but-accepted")
SAMPLE_PER_PROJECT = 20
_COMMIT = re.compile(r"[0-9a-f]{40}")
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Project:
    repo: str
    commit: str
    split: str
    tags: tuple[str, ...] = ()
    modules: int = 0
    added: str = ""
    issue: int = 0
    layers: Mapping[str, str] = field(default_factory=dict)
    # The tuning project this held-out one took the place of (the README's swap rule).
    replaces: str = ""
    # The round that widened the held-out half with this project (`CA`, `CB`), if any.
    widening: str = ""

    @property
    def slug(self) -> str:
        """The folder name the mirror and the work folder use: `owner+name`."""
        return self.repo.replace("/", "+")


class ManifestError(ValueError):
    """The manifest breaks one of its rules; the message lists every problem."""


def reserved_repos(paths: Iterable[Path]) -> frozenset[str]:
    """Repositories listed in the first reserved-repos file that exists (lower-cased)."""
    for path in paths:
        if path.is_file():
            names = set()
            for raw in path.read_text(encoding="utf-8").splitlines():
                line = raw.split("#", 1)[0].strip()
                if line:
                    names.add(line.lower())
            return frozenset(names)
    return frozenset()


def parse_manifest(text: str, reserved: frozenset[str] = frozenset()) -> list[Project]:
    """The manifest's projects; raises ManifestError naming every broken rule."""
    data = tomllib.loads(text)
    problems: list[str] = []
    projects: list[Project] = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("project", [])):
        repo = str(entry.get("repo", ""))
        where = f"project {index + 1} ({repo or 'no repo'})"
        if not _REPO.fullmatch(repo):
            problems.append(f"{where}: repo must be 'owner/name'")
        if repo.lower() in reserved:
            problems.append(f"{where}: {repo} is reserved for independent evaluation (reserved-repos.txt)")
        if repo.lower() in seen:
            problems.append(f"{where}: listed twice")
        seen.add(repo.lower())
        commit = str(entry.get("commit", ""))
        if not _COMMIT.fullmatch(commit):
            problems.append(f"{where}: commit must be a full 40-hex commit, not {commit!r}")
        split = str(entry.get("split", ""))
        if split not in SPLITS:
            problems.append(f"{where}: split must be one of {', '.join(SPLITS)}, not {split!r}")
        for key in ("added", "issue", "tags"):
            if key not in entry:
                problems.append(f"{where}: '{key}' is missing")
        widening = str(entry.get("widening", ""))
        if widening and split != "held-out":
            problems.append(f"{where}: only a held-out project belongs to a widening, not a {split} one")
        layers = {str(k): str(v) for k, v in entry.get("layers", {}).items()}
        for path, layer in sorted(layers.items()):
            if layer not in LAYERS:
                problems.append(
                    f"{where}: layer label {path!r} = {layer!r} is not one of {', '.join(LAYERS)}"
                )
        projects.append(
            Project(
                repo=repo,
                commit=commit,
                split=split,
                tags=tuple(str(t) for t in entry.get("tags", ())),
                modules=int(entry.get("modules", 0)),
                added=str(entry.get("added", "")),
                issue=int(entry.get("issue", 0)),
                layers=layers,
                replaces=str(entry.get("replaces", "")),
                widening=widening,
            )
        )
    problems.extend(_broken_swaps(projects))
    if problems:
        raise ManifestError("the manifest is not valid:\n  " + "\n  ".join(problems))
    return projects


def _broken_swaps(projects: Sequence[Project]) -> list[str]:
    """A `replaces` names a tuning project of the manifest, once, from a held-out project."""
    split_of = {p.repo.lower(): p.split for p in projects}
    problems: list[str] = []
    replaced: set[str] = set()
    for project in projects:
        if not project.replaces:
            continue
        target = project.replaces.lower()
        if project.split != "held-out":
            problems.append(f"{project.repo}: only a held-out project replaces another")
        if split_of.get(target) != "tuning":
            problems.append(f"{project.repo}: replaces {project.replaces}, which is no tuning project")
        if target in replaced:
            problems.append(f"{project.repo}: {project.replaces} is replaced twice")
        replaced.add(target)
    return problems


def load_manifest(path: Path, reserved_paths: Sequence[Path] = ()) -> list[Project]:
    return parse_manifest(path.read_text(encoding="utf-8"), reserved_repos(reserved_paths))


# --- findings -----------------------------------------------------------------------------

Key = tuple[str, str, str, str]  # project, path, code, symbol: survives line shifts


@dataclass(frozen=True, order=True)
class Finding:
    project: str
    path: str
    code: str
    symbol: str
    line: int
    message: str
    # The design decision the finding belongs to (SPEC §3 `group`); "" from a hexcheck
    # that gives none.
    group: str = ""

    @property
    def key(self) -> Key:
        return (self.project, self.path, self.code, self.symbol)

    @classmethod
    def from_json(cls, project: str, raw: Mapping[str, object]) -> Finding:
        return cls(
            project=project,
            path=str(raw["path"]),
            code=str(raw["code"]),
            symbol=str(raw.get("symbol") or ""),
            line=int(str(raw["line"])),
            message=str(raw["message"]),
            group=str(raw.get("group") or ""),
        )

    def as_json(self) -> dict[str, object]:
        return {
            "project": self.project,
            "path": self.path,
            "code": self.code,
            "symbol": self.symbol,
            "line": self.line,
            "message": self.message,
            **({"group": self.group} if self.group else {}),
        }


@dataclass
class FindingDiff:
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    moved: list[tuple[Finding, Finding]] = field(default_factory=list)  # (before, after)
    unchanged: int = 0

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.moved)


def diff_findings(before: Sequence[Finding], after: Sequence[Finding]) -> FindingDiff:
    """Pair findings by key: same line -> unchanged, other line -> moved, the rest added/removed.

    Several findings can share a key (one symbol reported twice in a file); they pair in line
    order after the exact-line matches, so a shift of the whole file is all `moved`.
    """
    old: dict[Key, list[Finding]] = {}
    new: dict[Key, list[Finding]] = {}
    for finding in sorted(before):
        old.setdefault(finding.key, []).append(finding)
    for finding in sorted(after):
        new.setdefault(finding.key, []).append(finding)
    result = FindingDiff()
    for key in sorted(set(old) | set(new)):
        left = list(old.get(key, []))
        right = list(new.get(key, []))
        for finding in list(left):
            same = next((f for f in right if f.line == finding.line), None)
            if same is not None:
                left.remove(finding)
                right.remove(same)
                result.unchanged += 1
        pairs = min(len(left), len(right))
        result.moved.extend(zip(left[:pairs], right[:pairs], strict=True))
        result.removed.extend(left[pairs:])
        result.added.extend(right[pairs:])
    return result


def format_diff(project: str, diff: FindingDiff) -> list[str]:
    """The per-project diff, grouped by rule, in a stable order."""
    if diff.is_empty():
        return []
    lines = [f"## {project}: +{len(diff.added)} -{len(diff.removed)} ~{len(diff.moved)} (={diff.unchanged})"]
    codes = sorted(
        {f.code for f in diff.added} | {f.code for f in diff.removed} | {b.code for b, _ in diff.moved}
    )
    for code in codes:
        lines.append(f"  {code}")
        for finding in sorted(f for f in diff.added if f.code == code):
            lines.append(f"    + {finding.path}:{finding.line}: {finding.message}")
        for finding in sorted(f for f in diff.removed if f.code == code):
            lines.append(f"    - {finding.path}:{finding.line}: {finding.message}")
        for before, after in sorted(p for p in diff.moved if p[0].code == code):
            lines.append(f"    ~ {after.path}:{before.line}->{after.line}: {after.message}")
    return lines


# --- labels -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    project: str
    path: str
    code: str
    symbol: str
    verdict: str
    reason: str

    @property
    def key(self) -> Key:
        return (self.project, self.path, self.code, self.symbol)


def parse_labels(lines: Iterable[str]) -> dict[Key, Label]:
    """labels.jsonl: one JSON object a line; a later line for the same key replaces an earlier one."""
    labels: dict[Key, Label] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        data = json.loads(raw)
        verdict = str(data["verdict"])
        if verdict not in VERDICTS:
            raise ValueError(f"labels line {number}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        label = Label(
            project=str(data["project"]),
            path=str(data["path"]),
            code=str(data["code"]),
            symbol=str(data.get("symbol") or ""),
            verdict=verdict,
            reason=str(data.get("reason", "")),
        )
        labels[label.key] = label
    return labels


def label_line(label: Label) -> str:
    return json.dumps(
        {
            "project": label.project,
            "path": label.path,
            "code": label.code,
            "symbol": label.symbol,
            "verdict": label.verdict,
            "reason": label.reason,
        },
        sort_keys=False,
    )


def sample_for_labelling(findings: Sequence[Finding], seed: int = 14) -> list[Finding]:
    """The findings of one project that get a label: all when the project has at most 20
    (one finding stands for all findings sharing its key: a label covers the key), else a
    seeded sample of 20 drawn round-robin over its rules, so every rule is represented.
    """
    by_key: dict[Key, Finding] = {}
    for finding in sorted(findings):
        by_key.setdefault(finding.key, finding)
    return _sample_per_project(list(by_key.values()), seed)


def sample_groups_for_labelling(findings: Sequence[Finding], seed: int = 14) -> list[Finding]:
    """One finding for each design decision (SPEC §3 `group`: what the review shows as one
    item, the one change that fixes its findings) of one project, sampled as
    `sample_for_labelling` samples findings: all when the project has at most 20 groups,
    else 20 drawn round-robin over the rules (so weighted by rule, as findings are). The
    finding that stands for its group is its first (by path, code, symbol, line): a
    systematic choice, whose label is taken for the group's; the group's other findings are
    not read. A finding without a group is a group of its own key."""
    first: dict[tuple[str, str], Finding] = {}
    for finding in sorted(findings):
        first.setdefault((finding.project, finding.group or "\x00".join(finding.key)), finding)
    return _sample_per_project(list(first.values()), seed)


def _sample_per_project(candidates: Sequence[Finding], seed: int) -> list[Finding]:
    chosen: list[Finding] = []
    projects = sorted({f.project for f in candidates})
    for project in projects:
        mine = [f for f in candidates if f.project == project]
        if len(mine) <= SAMPLE_PER_PROJECT:
            chosen.extend(mine)
            continue
        rng = random.Random(f"{seed}:{project}")
        groups: dict[str, list[Finding]] = {}
        for finding in mine:
            groups.setdefault(finding.code, []).append(finding)
        queues = []
        for code in sorted(groups):
            group = sorted(groups[code])
            rng.shuffle(group)
            queues.append(group)
        picked: list[Finding] = []
        while len(picked) < SAMPLE_PER_PROJECT:
            for queue in queues:
                if queue and len(picked) < SAMPLE_PER_PROJECT:
                    picked.append(queue.pop(0))
        chosen.extend(picked)
    return sorted(chosen)


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Precision:
    n: int
    true: int
    accepted: int
    false: int

    @property
    def correct(self) -> int:
        """`true-but-accepted` findings are correct findings: the code does what they say."""
        return self.true + self.accepted

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.correct, self.n)


def precision(sampled: Iterable[Finding], labels: Mapping[Key, Label]) -> tuple[Precision, list[Finding]]:
    """Precision over the labelled sampled findings, and the sampled findings still unlabelled."""
    verdicts: Counter[str] = Counter()
    missing: list[Finding] = []
    for finding in sampled:
        label = labels.get(finding.key)
        if label is None:
            missing.append(finding)
        else:
            verdicts[label.verdict] += 1
    n = sum(verdicts.values())
    return Precision(n, verdicts["true"], verdicts["true-but-accepted"], verdicts["false"]), missing


# --- layers -------------------------------------------------------------------------------


def labelled_layer(path: str, labels: Mapping[str, str]) -> str | None:
    """The most specific label covering a file path (a label names a folder or a file)."""
    best: str | None = None
    for prefix in labels:
        covers = path == prefix or path.startswith(prefix.rstrip("/") + "/")
        if covers and (best is None or len(prefix) > len(best)):
            best = prefix
    return labels[best] if best is not None else None


@dataclass(frozen=True)
class LayerAgreement:
    covered: int
    agreeing: int
    disagreements: tuple[tuple[str, str, str], ...]  # path, label, hexcheck's layer

    @property
    def share(self) -> float | None:
        return self.agreeing / self.covered if self.covered else None


def layer_agreement(modules: Iterable[Mapping[str, object]], labels: Mapping[str, str]) -> LayerAgreement:
    """Modules (graph JSON: path, layer) under a label whose hexcheck layer equals the label."""
    covered = agreeing = 0
    disagreements: list[tuple[str, str, str]] = []
    for module in modules:
        path = str(module["path"])
        expected = labelled_layer(path, labels)
        if expected is None:
            continue
        actual = str(module.get("layer") or "unlayered")
        covered += 1
        if actual == expected:
            agreeing += 1
        else:
            disagreements.append((path, expected, actual))
    return LayerAgreement(covered, agreeing, tuple(sorted(disagreements)))


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
