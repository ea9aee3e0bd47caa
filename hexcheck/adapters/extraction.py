"""The driven side of the engine's `FactsProvider` port: read files, reuse cached facts,
extract the rest in worker processes.

Three speeds:
- nothing changed: every file's stat matches the cache, so the run key (every file's
  content key plus the configuration) is known without reading a byte, and the cached
  report is reused: neither LibCST nor NetworkX is imported;
- some files changed: their bytes are read and hashed; unchanged content (a `touch`, a
  fresh CI checkout) is still a cache hit; only new content is parsed;
- cold: everything is parsed in parallel (`pool.extract_all`).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from hexcheck.adapters.cache import FactsCache, content_key, record_layout, stat_signature
from hexcheck.adapters.filesystem import read_source
from hexcheck.adapters.pool import Progress, Task, extract_all
from hexcheck.adapters.signing_key import NoSigningKey, signing_key
from hexcheck.core.config import Config
from hexcheck.core.facts import ModuleFacts, ParseProblem, forget_shared_facts
from hexcheck.core.sources import SourceFile
from hexcheck.core.version import VERSION

# The extractor's version is part of every content key; reading it here must not
# import LibCST, so it lives in a module of its own.
from hexcheck.extract.version import EXTRACTOR_VERSION

# Cache writes during extraction: one transaction per this many files.
_WRITE_BATCH = 256


def _problem(file: SourceFile, message: str) -> ModuleFacts:
    return ModuleFacts(file.module, file.display_path, file.is_package, problem=ParseProblem(message))


class Extraction:
    """A `FactsProvider`: call it with the files of a run, get their facts in order."""

    def __init__(
        self,
        config: Config,
        jobs: int = 1,
        cache: FactsCache | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.config = config
        self.jobs = jobs
        self.cache = cache
        self.progress = progress
        self._keys: dict[str, str] = {}  # display path -> content key, once known

    # ------------------------------------------------------------------ run key

    def _signatures(self, files: Sequence[SourceFile]) -> dict[str, str]:
        signatures: dict[str, str] = {}
        for file in files:
            try:
                signatures[file.path] = stat_signature(os.stat(file.path))
            except OSError:
                continue
        return signatures

    def run_key(self, files: Sequence[SourceFile], extra: str) -> str | None:
        """A key for the whole run if every file's content is known from its stat alone."""
        if self.cache is None:
            return None
        signatures = self._signatures(files)
        known = self.cache.keys_by_stat(signatures)
        if len(known) != len(files):
            return None
        return self._run_key(files, known, extra)

    def finished_run_key(self, files: Sequence[SourceFile], extra: str) -> str | None:
        """The run key after `__call__`, when every file's content key is known."""
        by_path = {file.path: self._keys.get(file.path, "") for file in files}
        if self.cache is None or not all(by_path.values()):
            return None
        return self._run_key(files, by_path, extra)

    def _run_key(self, files: Sequence[SourceFile], keys: dict[str, str], extra: str) -> str:
        digest = hashlib.sha256(
            f"{VERSION}\0{EXTRACTOR_VERSION}\0{record_layout()}\0{self.config!r}\0{extra}".encode()
        )
        for file in files:
            digest.update(
                f"\0{file.display_path}\0{file.module}\0{file.is_package}\0{keys[file.path]}".encode()
            )
        return digest.hexdigest()

    # ------------------------------------------------------------------ facts

    def __call__(self, files: Sequence[SourceFile]) -> list[ModuleFacts]:
        results: list[ModuleFacts | None] = [None] * len(files)
        signatures = self._signatures(files)
        known = self.cache.keys_by_stat(signatures) if self.cache is not None else {}
        stored = self.cache.stored_keys(known.values()) if self.cache is not None else set()
        # Facts to take from the cache: by stat, then by content for files read here.
        from_cache: dict[int, str] = {}
        to_read: list[int] = []
        for index, file in enumerate(files):
            key = known.get(file.path)
            if key is not None and key in stored:
                from_cache[index] = key
            else:
                to_read.append(index)
        keys_of: dict[int, str] = {}  # files read here: their stat rows are (re)written
        tasks = self._tasks(files, to_read, results, keys_of)
        by_content = self.cache.stored_keys(keys_of.values()) if self.cache is not None else set()
        fresh: list[Task] = []
        for task in tasks:
            if keys_of[task[0]] in by_content:
                from_cache[task[0]] = keys_of[task[0]]
            else:
                fresh.append(task)
        unusable: list[int] = []

        def load_cached() -> None:
            # While the workers import LibCST and parse the new files: on one changed
            # file, loading every other file's facts costs as much as that parse.
            cached = self.cache.get_facts(from_cache.values()) if self.cache is not None else {}
            for index, key in from_cache.items():
                found = cached.get(key)
                if found is None:  # stored, but it does not check out: parse it again
                    unusable.append(index)
                else:
                    results[index] = replace(found, path=files[index].display_path)
                    self._keys[files[index].path] = key

        pending: list[tuple[str, bytes]] = []

        def store(index: int, facts: ModuleFacts, payload: bytes, key: str) -> None:
            # Under the key of what the worker parsed: the file may have been edited
            # since it was read here (its stat then differs from the one recorded).
            keys_of[index] = key
            # Written in batches as workers answer, so the payloads are never all held.
            if self.cache is not None and not _transient(facts):
                pending.append((key, payload))
                if len(pending) >= _WRITE_BATCH:
                    self.cache.put_facts(pending)
                    pending.clear()

        extracted = extract_all(
            fresh, self.jobs, self.config.parse_timeout, self.progress, store, load_cached
        )
        if unusable:
            again = self._tasks(files, unusable, results, keys_of)
            extracted.update(extract_all(again, self.jobs, self.config.parse_timeout, None, store))
        for index, facts in extracted.items():
            results[index] = facts

        stats: list[tuple[str, str, str]] = []
        for index, key in keys_of.items():
            path = files[index].path
            self._keys[path] = key
            signature = signatures.get(path)
            if signature is not None and not _transient(results[index]):
                stats.append((path, signature, key))
        if self.cache is not None:
            self.cache.put_facts(pending, stats)
        # Every file's facts are built: what was shared stays shared, the lookup
        # tables can go (8 MB at 10,000 modules, at the run's peak otherwise).
        forget_shared_facts()
        return [
            facts if facts is not None else _problem(files[i], "no facts") for i, facts in enumerate(results)
        ]

    def _tasks(
        self,
        files: Sequence[SourceFile],
        indexes: Sequence[int],
        results: list[ModuleFacts | None],
        keys_of: dict[int, str],
    ) -> list[Task]:
        """Read and hash the files at `indexes` (their content keys go to `keys_of`); a
        file that cannot be read or is too large gets its problem in `results` instead."""
        tasks: list[Task] = []
        for index in indexes:
            file = files[index]
            try:
                data = read_source(file)
            except OSError as error:
                results[index] = _problem(file, f"cannot read the file: {error.strerror or error}")
                continue
            if len(data) > self.config.max_file_bytes:
                results[index] = _problem(
                    file,
                    f"the file has {len(data):,} bytes, over the max-file-bytes limit of "
                    f"{self.config.max_file_bytes:,}",
                )
                continue
            keys_of[index] = content_key(data, file.module, file.is_package, EXTRACTOR_VERSION)
            tasks.append((index, file.path, file.module, file.display_path, file.is_package))
        return tasks


def _transient(facts: ModuleFacts | None) -> bool:
    """Problems that depend on the machine, not the content, are not cached."""
    problem = facts.problem if facts is not None else None
    return problem is not None and (
        problem.message.startswith(("too slow", "the parser crashed", "hexcheck failed", "cannot read"))
    )


def cache_for(config: Config, enabled: bool = True) -> FactsCache | None:
    """The cache directory of a configuration (relative to its root), unless disabled."""
    if not enabled:
        return None
    directory = config.cache_dir
    if not os.path.isabs(directory):
        directory = os.path.join(config.root, directory)
    try:
        key = signing_key((config.root, directory))
    except NoSigningKey as error:
        sys.stderr.write(f"hexcheck: running without a cache: {error}\n")
        return None
    return FactsCache(directory, key)


def sequential(config: Config) -> Extraction:
    """One worker process, no cache: what tests and the Python API use by default."""
    return Extraction(config, jobs=1)


__all__ = ["Extraction", "cache_for", "sequential"]
