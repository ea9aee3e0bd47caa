"""One `hexcheck check` run: discover, reuse the cache, extract, check; shared by the
CLI and the flake8 plugin so that every entry point gives the same findings."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from hexcheck.adapters.cache import FactsCache, stat_signature
from hexcheck.adapters.extraction import Extraction, cache_for
from hexcheck.adapters.filesystem import discover
from hexcheck.adapters.pool import Progress, rare_collections
from hexcheck.core.baseline import Baseline
from hexcheck.core.config import Config
from hexcheck.core.roots import Folder, RootChoice
from hexcheck.core.version import VERSION
from hexcheck.engine import Report, check, restrict

# The shape of a cached report; raised whenever `Report` or `Finding` gains or changes
# a field (2: findings carry `group`, coverage counts roles), so that no report pickled
# in another shape is ever reused.
REPORT_FORMAT = 2


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """hexcheck's own source files, by size and mtime: a cached result from other code
    (a development checkout edited since, an upgrade) is never reused."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def run_check(
    paths: Sequence[str],
    config: Config,
    jobs: int = 1,
    use_cache: bool = True,
    progress: Progress | None = None,
    baseline: Baseline | None = None,
    notes: Callable[[str], None] | None = None,
) -> Report:
    """Check `paths`; when nothing changed since a cached run, return its report.

    `baseline` should hold only the entries of `paths` (`Baseline.within`). `notes`
    receives what discovery has to say about the import roots (None: not said).
    """
    with rare_collections():
        return _run_check(paths, config, jobs, use_cache, progress, baseline, notes)


def _run_check(
    paths: Sequence[str],
    config: Config,
    jobs: int,
    use_cache: bool,
    progress: Progress | None,
    baseline: Baseline | None,
    notes: Callable[[str], None] | None,
) -> Report:
    cache: FactsCache | None = cache_for(config, use_cache)
    try:
        # Opened first: discovery keeps its choice of import roots there.
        memory = None if cache is None else RememberedRoots(cache, config)
        found = discover(list(paths), config, memory=memory)
        if notes is not None:
            for note in found.notes:
                notes(note)
        extraction = Extraction(config, jobs, cache, progress)
        # The whole project's report is cached, and a partial run (one folder, one file, a
        # pre-commit hook) reports its part of it: `check app/domain` after `check .` with
        # nothing changed reads no file and runs no rule.
        extra = (
            f"{REPORT_FORMAT}\0{code_fingerprint()}\0{sorted(found.problems)!r}\0{found.left_out}"
            f"\0{baseline!r}"
        )
        key = extraction.run_key(found.files, extra)
        if key is not None and cache is not None:
            cached = cache.get_report(key)
            if isinstance(cached, Report):
                return _requested(cached, found.requested)
        report = check(found.files, config, extraction, found.problems, baseline, found.left_out)
        key = extraction.finished_run_key(found.files, extra)
        if key is not None and cache is not None:
            cache.put_report(key, report)
        return _requested(report, found.requested)
    finally:
        if cache is not None:
            cache.close()


class RememberedRoots:
    """The cache as discovery's memory of import roots: a run without `source-roots` whose
    files kept their stat (as the run key asks of them) reads none of them to choose."""

    def __init__(self, cache: FactsCache, config: Config) -> None:
        self._cache = cache
        self._config = config

    def key(self, root: str, paths: Sequence[str], declared: Sequence[Folder]) -> str | None:
        # What the choice is made from: the files (their paths below the root, and their
        # content by stat, as far as `max-file-bytes` lets discovery read it), the folders
        # packaging metadata declares, and the code that chooses.
        digest = hashlib.sha256(
            f"{VERSION}\0{code_fingerprint()}\0{root}\0{self._config.max_file_bytes}\0{declared!r}".encode()
        )
        for path in paths:
            try:
                signature = stat_signature(os.stat(path))
            except OSError:
                return None  # unreadable now: nothing to remember it by
            digest.update(f"\0{path}\0{signature}".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def recall(self, key: str) -> RootChoice | None:
        return self._cache.get_roots(key)

    def remember(self, key: str, choice: RootChoice) -> None:
        self._cache.put_roots(key, choice)


def _requested(report: Report, requested: frozenset[str] | None) -> Report:
    return report if requested is None else restrict(report, requested)


class ProgressBar:
    """A one-line progress bar on stderr, drawn only once a scan has taken a moment."""

    def __init__(self, delay: float = 0.5) -> None:
        self.start = time.monotonic()
        self.delay = delay
        self.drawn = False

    @staticmethod
    def wanted(quiet: bool) -> bool:
        return not quiet and sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < self.delay and not self.drawn:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\rhexcheck: parsing [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()
        self.drawn = True
        if done >= total:
            self.finish()

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
            self.drawn = False
