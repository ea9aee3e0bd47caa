"""The facts cache: per-file facts keyed by content, and whole reports keyed by a run.

One SQLite database in the cache directory (`.hexcheck_cache/` under the project root by
default; hexcheck writes nowhere else but `--output`). SQLite gives atomic, concurrent
writes: a run killed mid-write leaves the last committed state, and an editor and
pre-commit running at once just wait for each other's short transactions.

- `facts`: content key -> pickled `ModuleFacts` (without its path) and a checksum.
  The key hashes the file's bytes, its module name, hexcheck's version and the
  extractor's version, so a cached entry is never wrong, only unused.
- `stats`: path -> (size, mtime, inode, ctime) and the content key: when the file's
  stat has not changed, its bytes need not even be read.
- `reports`: run key -> pickled report, for runs where nothing at all changed.

Every entry carries a SHA-256 of its payload; an entry that fails the check or does not
unpickle is ignored and rewritten. A database that cannot be opened is deleted and
made anew; a directory that cannot be written means running without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from hexcheck.core.facts import ModuleFacts
from hexcheck.core.version import VERSION

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, stat TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
"""
DATABASE = "facts.sqlite3"


def content_key(data: bytes, module: str, is_package: bool, extractor_version: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{module}\0{is_package}\0{VERSION}\0{extractor_version}".encode())
    return digest.hexdigest()


def stat_signature(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}:{stat.st_ctime_ns}"


def encode_facts(facts: ModuleFacts) -> bytes:
    """The cache's payload for a file's facts: without the path, which is the run's."""
    return pickle.dumps(replace(facts, path=""), protocol=pickle.HIGHEST_PROTOCOL)


def decode_facts(payload: bytes, path: str) -> ModuleFacts | None:
    """The facts of `encode_facts`, at `path`; None for anything else."""
    try:
        facts = pickle.loads(payload)  # our own payload: from a worker or the checked cache
    except Exception:
        return None
    return replace(facts, path=path) if isinstance(facts, ModuleFacts) else None


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


class FactsCache:
    """A cache directory; every method degrades to a miss instead of failing the run."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self._db: sqlite3.Connection | None = None
        self._disabled = False

    # ------------------------------------------------------------------ connection

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._disabled:
            return self._db
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by hexcheck\n*\n", encoding="utf-8")
            self._db = self._open(self.directory / DATABASE)
        except (OSError, sqlite3.Error):
            self._disabled = True
            self._db = None
        return self._db

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        for attempt in range(2):
            try:
                db = sqlite3.connect(path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
                db.execute("SELECT count(*) FROM facts LIMIT 1").fetchone()
                return db
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                # Not a database any more (truncated, overwritten): start again.
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{path}{suffix}")
        raise sqlite3.DatabaseError("unreachable")

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection | None]:
        db = self._connect()
        if db is None:
            yield None
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    # ------------------------------------------------------------------ facts

    def keys_by_stat(self, signatures: dict[str, str]) -> dict[str, str]:
        """Content keys of the paths whose stat signature matches the recorded one."""
        db = self._connect()
        if db is None or not signatures:
            return {}
        found: dict[str, str] = {}
        try:
            for path, stat, key in db.execute("SELECT path, stat, key FROM stats"):
                if signatures.get(path) == stat:
                    found[path] = key
        except sqlite3.Error:
            return {}
        return found

    def stored_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have an entry (not yet checked: `get_facts` does that)."""
        db = self._connect()
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        if db is None or not wanted:
            return found
        try:
            found.update(key for (key,) in _facts_rows(db, "key", wanted))
        except sqlite3.Error:
            return found
        return found

    def get_facts(self, keys: Iterable[str]) -> dict[str, ModuleFacts]:
        db = self._connect()
        wanted = list(dict.fromkeys(keys))
        if db is None or not wanted:
            return {}
        found: dict[str, ModuleFacts] = {}
        try:
            for key, checksum, payload in _facts_rows(db, "key, checksum, payload", wanted):
                facts = _load(checksum, payload)
                if isinstance(facts, ModuleFacts):
                    found[key] = facts
        except sqlite3.Error:
            return found
        return found

    def put_facts(
        self, facts: Iterable[tuple[str, bytes]], stats: Iterable[tuple[str, str, str]] = ()
    ) -> None:
        """Store (content key, `encode_facts` payload) entries and (path, stat signature,
        content key) entries in one transaction."""
        rows = [(key, _checksum(payload), payload) for key, payload in facts]
        stat_rows = list(stats)
        if not rows and not stat_rows:
            return
        with self._transaction() as db:
            if db is not None:
                db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", rows)
                db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?)", stat_rows)

    # ------------------------------------------------------------------ reports

    def get_report(self, key: str) -> object | None:
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT checksum, payload FROM reports WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else _load(row[0], row[1])

    def put_report(self, key: str, report: object) -> None:
        try:
            payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        with self._transaction() as db:
            if db is not None:
                # Only the latest few runs are worth keeping.
                db.execute(
                    "DELETE FROM reports WHERE rowid NOT IN "
                    "(SELECT rowid FROM reports ORDER BY rowid DESC LIMIT 7)"
                )
                db.execute(
                    "INSERT OR REPLACE INTO reports VALUES (?, ?, ?)", (key, _checksum(payload), payload)
                )


def _facts_rows(db: sqlite3.Connection, columns: str, keys: list[str]) -> Iterator[tuple[Any, ...]]:
    """`columns` of the facts entries of `keys`, 500 keys a query (SQLite's limit on
    parameters is 999 in older versions)."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        yield from db.execute(f"SELECT {columns} FROM facts WHERE key IN ({marks})", chunk)


def _load(checksum: str, payload: bytes) -> object | None:
    """Unpickle a cache payload that passes its checksum; anything else is a miss."""
    if not isinstance(payload, bytes) or _checksum(payload) != checksum:
        return None
    try:
        loaded: object = pickle.loads(payload)  # our own cache, verified by its checksum
        return loaded
    except Exception:  # a payload from another version or a torn write: a miss
        return None
