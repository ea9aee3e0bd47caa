"""The facts cache: per-file facts keyed by content, and whole reports keyed by a run.

One SQLite database in the cache directory (`.hexcheck_cache/` under the project root by
default; hexcheck writes nowhere else but `--output` and the signing key below). SQLite
gives atomic, concurrent writes: a run killed mid-write leaves the last committed state,
and an editor and pre-commit running at once just wait for each other's short
transactions.

- `facts`: content key -> pickled `ModuleFacts` (without its path) and its signature.
  The key hashes the file's bytes, its module name, hexcheck's version and the
  extractor's version, so a cached entry is never wrong, only unused.
- `stats`: path -> (size, mtime, inode, ctime) and the content key: when the file's
  stat has not changed, its bytes need not even be read.
- `reports`: run key -> pickled report, for runs where nothing at all changed.

Why a checked repository cannot run code through it: the cache directory lies inside the
checked tree, so a pull request can ship one. Every payload is therefore signed with an
HMAC whose key never comes from the checked tree (`signing_key`: `$HEXCHECK_CACHE_KEY`,
else a random key kept in the user's own cache directory), and a payload whose signature
does not check out is a miss, never unpickled. What passes is still unpickled by
`_CacheUnpickler`, which builds only hexcheck's own fact, finding and report classes:
a leaked key alone does not give code execution either.

An entry that fails either check is ignored and rewritten. A database that cannot be
opened is deleted and made anew; a directory that cannot be written means running
without a cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import hmac
import importlib
import io
import os
import pickle
import secrets
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from hexcheck.core.facts import ModuleFacts
from hexcheck.core.pickling import REBUILDERS
from hexcheck.core.version import VERSION

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, stat TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
"""
DATABASE = "facts.sqlite3"

# A team that shares one cache between CI runs sets this (from a CI secret) on every run
# that writes or reads it; see docs/configuration.md, "The cache".
KEY_VARIABLE = "HEXCHECK_CACHE_KEY"
KEY_FILE = "cache-key"


def user_cache_home() -> Path:
    """The user's own cache directory, as each platform names it."""
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) if local else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"


def signing_key(project_root: str) -> bytes:
    """The key that signs this user's cache entries; never one the checked tree supplies.

    `$HEXCHECK_CACHE_KEY` when set; else 32 random bytes kept in
    `<user cache home>/hexcheck/cache-key`, made on first use, readable by the user only.
    A key file inside the checked project (a cache home pointed into the work tree) is
    not trusted, and when no key file can be read or made the key lives for this process
    only: the cache then works within the run and nothing on disk is trusted.
    """
    variable = os.environ.get(KEY_VARIABLE, "")
    if variable:
        return variable.encode("utf-8", "surrogateescape")
    path = user_cache_home() / "hexcheck" / KEY_FILE
    try:
        if _is_within(path, project_root):
            return secrets.token_bytes(32)
        return _read_or_make_key(path)
    except (OSError, ValueError):
        return secrets.token_bytes(32)


def _is_within(path: Path, root: str) -> bool:
    resolved = os.path.realpath(path)
    top = os.path.realpath(root)
    return resolved == top or resolved.startswith(top.rstrip(os.sep) + os.sep)


def _read_or_make_key(path: Path) -> bytes:
    for _ in range(2):
        try:
            key = path.read_bytes().strip()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another run made it meanwhile: read that one
                continue
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32) + "\n")
            continue
        if len(key) >= 32:
            return key
        raise ValueError(f"{path} holds no key")  # truncated: not trusted, not replaced
    raise ValueError(f"{path} could not be made")


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
    facts = _unpickle(payload)
    return replace(facts, path=path) if isinstance(facts, ModuleFacts) else None


# Modules whose classes make up facts, findings and reports (rule classes, which a report
# names, are checked apart: any `Rule` subclass under `hexcheck.rules`).
_DATA_MODULES = frozenset(
    {
        "hexcheck.core.facts",
        "hexcheck.core.findings",
        "hexcheck.core.layers",
        "hexcheck.core.baseline",
        "hexcheck.engine",
        "hexcheck.analysis.model",
    }
)


class _CacheUnpickler(pickle.Unpickler):
    """Builds hexcheck's own records and nothing else.

    A pickle names the callables that rebuild it; the standard unpickler imports and calls
    whatever is named (`os.system` included). This one resolves only the classes of facts,
    findings and reports (dataclasses and enums defined by hexcheck), the functions that
    rebuild shared facts, and rule classes; any other name fails the load, a cache miss.
    """

    def find_class(self, module: str, name: str) -> Any:
        if module in _DATA_MODULES or module.startswith("hexcheck.rules."):
            found: object = importlib.import_module(module)
            for part in name.split("."):
                found = getattr(found, part, None)
            if _rebuilds_data(found):
                return found
        raise pickle.UnpicklingError(f"a cache entry names {module}.{name}, which is not hexcheck's data")


def _rebuilds_data(found: object) -> bool:
    if found in REBUILDERS:
        return True
    if not isinstance(found, type) or not found.__module__.startswith("hexcheck."):
        return False
    if dataclasses.is_dataclass(found) or issubclass(found, enum.Enum):
        return True
    from hexcheck.rules.base import Rule  # rule modules are imported to load a report anyway

    return issubclass(found, Rule)


def _unpickle(payload: bytes) -> object | None:
    try:
        loaded: object = _CacheUnpickler(io.BytesIO(payload)).load()
    except Exception:  # another version's payload, a torn write, a name refused: a miss
        return None
    return loaded


class FactsCache:
    """A cache directory; every method degrades to a miss instead of failing the run."""

    def __init__(self, directory: str, key: bytes) -> None:
        self.directory = Path(directory)
        self._key = key
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
            for key, signature, payload in _facts_rows(db, "key, checksum, payload", wanted):
                facts = self._load(signature, payload)
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
        rows = [(key, self._sign(payload), payload) for key, payload in facts]
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
        return None if row is None else self._load(row[0], row[1])

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
                    "INSERT OR REPLACE INTO reports VALUES (?, ?, ?)", (key, self._sign(payload), payload)
                )

    # ------------------------------------------------------------------ signatures

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()

    def _load(self, signature: object, payload: object) -> object | None:
        """Unpickle a payload that this user's key signed; anything else is a miss."""
        if not isinstance(payload, bytes) or not isinstance(signature, str):
            return None
        if not hmac.compare_digest(self._sign(payload), signature):
            return None  # planted, from another machine's key, or torn
        return _unpickle(payload)


def _facts_rows(db: sqlite3.Connection, columns: str, keys: list[str]) -> Iterator[tuple[Any, ...]]:
    """`columns` of the facts entries of `keys`, 500 keys a query (SQLite's limit on
    parameters is 999 in older versions)."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        yield from db.execute(f"SELECT {columns} FROM facts WHERE key IN ({marks})", chunk)
