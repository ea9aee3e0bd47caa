"""Mutation testing, as a habit (not part of CI): does the suite notice when the code is
wrong?

Two modes, each run against a throw-away copy of the checkout so the work tree is never
touched:

- `named`: the mutations that once survived and must stay killed (the run key without
  the configuration, `ignore` made a no-op, ...). Each is a textual patch located by its
  text anywhere under `hexcheck/` (so it survives files being moved), then the tests that
  should kill it are run. Exit 1 when any survives.
- `sample`: a seeded random sample of mutants of the given files (comparison and boolean
  operators swapped, conditions negated, `not` dropped, integers moved by one, a name
  dropped from a literal set, `True`/`False` returns flipped), each run against the
  tests of the rules it touches. Prints the mutation score with its Wilson 95% interval
  and every survivor, so the worthwhile ones can be killed with a test.

    python tests/mutation/mutate.py named
    python tests/mutation/mutate.py sample --count 60 --seed 12 hexcheck/rules hexcheck/adapters/cache.py

Why not mutmut: on this code base mutmut generates about 9,000 mutants, and even with its
per-test selection a full run takes many hours on two cores. A seeded sample gives the
score with an honest interval in minutes, and the same seed re-runs the same mutants
after tests are added.
"""

from __future__ import annotations

import argparse
import ast
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Tests that read hexcheck's own source text (lint, types, self-check) would kill every
# mutant for the wrong reason.
_NOT_BEHAVIOURAL = ("tests/test_code_quality.py", "tests/test_self_check.py")


@dataclass(frozen=True)
class Named:
    name: str
    old: str
    new: str
    tests: tuple[str, ...]


_KEYS = "tests/test_cache_keys.py::"
_SWITCHES = "tests/test_switches.py::"
_SECURITY = "tests/test_cache_security.py::"

NAMED = (
    Named(
        "the configuration out of the run key",
        "{EXTRACTOR_VERSION}\\0{self.config!r}\\0{extra}",
        "{EXTRACTOR_VERSION}\\0{extra}",
        (
            _KEYS + "test_a_warm_rerun_with_other_rule_options_reports_what_a_cold_run_does",
            _KEYS + "test_a_changed_configuration_is_not_answered_from_the_cache",
        ),
    ),
    Named(
        "`ignore` made a no-op",
        "return tuple(r for r in rules if not (ignored and r.code.startswith(ignored)))",
        "return tuple(rules)",
        (
            _SWITCHES + "test_ignore_in_the_configuration_drops_the_code",
            _SWITCHES + "test_ignore_on_the_command_line_drops_the_code",
        ),
    ),
    Named(
        "`type-checking-imports` ignored by HEX101",
        'if self.config.type_checking_imports == "allow":\n            return tuple(edge for edge',
        "if False:\n            return tuple(edge for edge",
        (_SWITCHES + "test_type_checking_imports_allowed_drops_only_those",),
    ),
    Named(
        "`--exit-zero` ignored",
        "return EXIT_OK if exit_zero or not report.findings else EXIT_FINDINGS",
        "return EXIT_OK if not report.findings else EXIT_FINDINGS",
        (_SWITCHES + "test_exit_zero_keeps_the_findings_and_exits_0",),
    ),
    Named(
        "HEX601's limit moved down by one",
        "if function.statement_count > limit:",
        "if function.statement_count >= limit:",
        (_SWITCHES + "test_fat_controller_counts_up_to_the_limit",),
    ),
    Named(
        "HEX601's limit moved up by one",
        "if function.statement_count > limit:",
        "if function.statement_count > limit + 1:",
        (_SWITCHES + "test_fat_controller_counts_up_to_the_limit",),
    ),
    Named(
        "HEX203 skipping TypeError",
        '_ALWAYS_ALLOWED = frozenset({"NotImplementedError"})',
        '_ALWAYS_ALLOWED = frozenset({"NotImplementedError", "TypeError"})',
        (_SWITCHES + "test_a_domain_constructor_raising_type_error_is_reported",),
    ),
    Named(
        "timeouts cached",
        "    return problem is not None and (",
        "    return False and problem is not None and (",
        (_KEYS + "test_a_file_that_timed_out_is_parsed_again_next_run",),
    ),
    Named(
        "cache entries unpickled without the allow-list",
        "loaded: object = _CacheUnpickler(io.BytesIO(payload)).load()",
        "loaded: object = pickle.loads(payload)",
        (_SECURITY + "test_even_a_leaked_key_does_not_let_a_cache_entry_run_code",),
    ),
    Named(
        "a signing key inside the checked tree trusted",
        "        if _is_within(path, directory):",
        "        if False:",
        (
            _SECURITY + "test_a_signing_key_inside_the_checked_tree_is_not_trusted",
            "tests/test_signing_key.py::test_a_key_inside_the_checked_tree_is_refused",
        ),
    ),
    Named(
        "stat rows trusted unsigned",
        'if signatures.get(path) == stat and self._signed(signature, "stats", path, stat, key):',
        "if signatures.get(path) == stat:",
        (_SECURITY + "test_stat_rows_pointed_at_other_facts_are_not_trusted",),
    ),
)


def _copy_checkout(into: Path) -> Path:
    copy = into / "checkout"
    shutil.copytree(
        REPO,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".hexcheck_cache", "*.egg-info"),
    )
    return copy


def _run_tests(copy: Path, tests: list[str], timeout: float, named: bool = False) -> bool:
    """Whether the tests fail (the mutant is killed) in the copy. For a named mutation,
    only failing tests count: pytest's own errors (a test id not found) give no verdict;
    for a sampled one, a mutant that breaks the import is killed too."""
    # A test file an older checkout lacks would fail as "not found", not as a kill.
    tests = [t for t in tests if not t.startswith("tests/") or (copy / t).exists()]
    environment = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=copy, env=environment, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return True  # an endless loop is noticed too
    if named and done.returncode not in (0, 1):
        raise SystemExit(f"pytest could not run {tests}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.returncode != 0


def _locate(copy: Path, text: str) -> Path:
    hits = [path for path in sorted((copy / "hexcheck").rglob("*.py")) if text in path.read_text("utf-8")]
    if len(hits) != 1:
        raise SystemExit(f"the named mutation's text is in {len(hits)} files, not one: {text!r}")
    return hits[0]


def run_named(timeout: float) -> int:
    survivors = 0
    with tempfile.TemporaryDirectory() as scratch:
        copy = _copy_checkout(Path(scratch))
        for mutation in NAMED:
            path = _locate(copy, mutation.old)
            original = path.read_text("utf-8")
            path.write_text(original.replace(mutation.old, mutation.new, 1), "utf-8")
            killed = _run_tests(copy, list(mutation.tests), timeout, named=True)
            path.write_text(original, "utf-8")
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'}  {mutation.name}  ({path.relative_to(copy)})")
    print(f"{len(NAMED) - survivors} of {len(NAMED)} named mutations killed")
    return 1 if survivors else 0


# ---------------------------------------------------------------------------- sampling

_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Site:
    path: str
    index: int  # the node's position in `ast.walk` order
    kind: str
    line: int


def _sites(path: Path, relative: str) -> Iterator[Site]:
    tree = ast.parse(path.read_text("utf-8"))
    for index, node in enumerate(ast.walk(tree)):
        kind = _kind(node)
        if kind:
            yield Site(relative, index, kind, getattr(node, "lineno", 0))


def _kind(node: ast.AST) -> str:
    if isinstance(node, ast.Compare) and type(node.ops[0]) in _SWAPS:
        return "compare"
    if isinstance(node, ast.BoolOp):
        return "boolean"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return "drop-not"
    if isinstance(node, (ast.If, ast.While)):
        return "negate"
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return "number"
    if isinstance(node, (ast.Set, ast.Tuple, ast.List)) and _string_elements(node) >= 2:
        return "drop-name"
    if (
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, bool)
    ):
        return "flip-return"
    return ""


def _string_elements(node: ast.Set | ast.Tuple | ast.List) -> int:
    return sum(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)


def _mutate(source: str, site: Site) -> str:
    tree = ast.parse(source)
    node = list(ast.walk(tree))[site.index]
    if site.kind == "compare":
        assert isinstance(node, ast.Compare)
        node.ops[0] = _SWAPS[type(node.ops[0])]()
    elif site.kind == "boolean":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif site.kind == "drop-not":
        assert isinstance(node, ast.UnaryOp)
        node.op = ast.UAdd()  # `+x` of a bool is the int, as truthy as `x`
    elif site.kind == "negate":
        assert isinstance(node, (ast.If, ast.While))
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif site.kind == "number":
        assert isinstance(node, ast.Constant)
        node.value = node.value + 1
    elif site.kind == "drop-name":
        assert isinstance(node, (ast.Set, ast.Tuple, ast.List))
        first = next(i for i, e in enumerate(node.elts) if isinstance(e, ast.Constant))
        del node.elts[first]
    elif site.kind == "flip-return":
        assert isinstance(node, ast.Return) and isinstance(node.value, ast.Constant)
        node.value.value = not node.value.value
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _tests_for(path: Path) -> list[str]:
    """The tests that judge a file: its rules' examples and family tests, else all."""
    text = path.read_text("utf-8")
    codes = sorted(set(re.findall(r'code = "(HEX\d{3})"', text)))
    base = ["tests/test_fixtures.py", "tests/test_switches.py"]
    if path.name == "cache.py":
        return ["tests/test_cache_security.py", "tests/test_cache_keys.py", "tests/test_reliability.py"]
    if codes:
        return [*base, "tests/test_rule_examples.py", "-k", " or ".join(codes) + " or fixture or switch"]
    return [
        *base,
        "tests/test_rule_examples.py",
        *sorted(str(p) for p in Path("tests").glob("test_rules_*.py")),
    ]


def _wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return (0.0, 1.0)
    share = successes / total
    centre = share + z * z / (2 * total)
    spread = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return ((centre - spread) / denominator, (centre + spread) / denominator)


def run_sample(targets: list[str], count: int, seed: int, timeout: float) -> int:
    files = sorted(
        {
            path
            for target in targets
            for path in ([Path(target)] if target.endswith(".py") else Path(target).rglob("*.py"))
        }
    )
    sites = [site for path in files for site in _sites(path, str(path))]
    chosen = sorted(
        random.Random(seed).sample(sites, min(count, len(sites))), key=lambda s: (s.path, s.index)
    )
    print(f"{len(sites)} mutation sites in {len(files)} files; running {len(chosen)} (seed {seed})")
    killed = 0
    survivors: list[Site] = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = _copy_checkout(Path(scratch))
        for number, site in enumerate(chosen, start=1):
            path = copy / site.path
            original = path.read_text("utf-8")
            try:
                path.write_text(_mutate(original, site), "utf-8")
                dead = _run_tests(copy, _tests_for(path), timeout)
            finally:
                path.write_text(original, "utf-8")
            killed += dead
            if not dead:
                survivors.append(site)
            verdict = "killed  " if dead else "SURVIVED"
            print(f"[{number}/{len(chosen)}] {verdict} {site.path}:{site.line} {site.kind}")
    low, high = _wilson(killed, len(chosen))
    share = killed / max(len(chosen), 1)
    print(f"mutation score {killed}/{len(chosen)} = {share:.0%} (Wilson 95%: {low:.0%}-{high:.0%})")
    for site in survivors:
        print(f"survivor: {site.path}:{site.line} {site.kind}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("named", "sample"))
    parser.add_argument("targets", nargs="*", default=["hexcheck/rules", "hexcheck/adapters/cache.py"])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=600)
    arguments = parser.parse_intermixed_args()
    os.chdir(REPO)
    if arguments.mode == "named":
        return run_named(arguments.timeout)
    return run_sample(arguments.targets, arguments.count, arguments.seed, arguments.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
