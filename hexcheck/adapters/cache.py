"""The facts cache: per-file facts keyed by content, and whole reports keyed by a run.

One SQLite database in the cache directory (`.hexcheck_cache/` under the project root by
default; hexcheck writes nowhere else but `--output` and the signing key below). SQLite
gives atomic, concurrent writes: a run killed mid-write leaves the last committed state,
and an editor and pre-commit running at once just wait for each other's short
transactions.

- `facts`: content key -> pickled `ModuleFacts` (without its path) and its signature.
  The key hashes the file's bytes, its module name, hexcheck's version, the
  extractor's version and the layout of the records (`record_layout`), so a cached
  entry is never wrong, only unused.
- `stats`: path -> (size, mtime, inode, ctime, and what extracted its facts) and the
  content key: when the file's stat has not changed and the same hexcheck reads it, its
  bytes need not even be read. (A row written by another hexcheck, an upgrade, leads to
  no facts of that one.)
- `reports`: run key -> pickled report, for runs where nothing at all changed.
- `roots`: discovery's evidence key (every file's path and stat) -> the import roots it
  chose, as JSON: a run without `source-roots` whose files did not change reads none of
  them to choose the roots again.

Why a checked repository cannot run code or change findings through it: the cache
directory lies inside the checked tree, so a pull request can ship one.
- Every row is signed with an HMAC over its table, its key and its content, under a key
  that never comes from the checked tree (`signing_key`); a row whose signature does not
  check out is a miss, never decoded, and a row cannot be moved under another key.
- The database must hold exactly hexcheck's four tables (no triggers, no views), and no
  part of the cache directory may be a symbolic link; otherwise it is made anew, or the
  run goes without a cache.
- What passes is unpickled by `_CacheUnpickler`, which builds only hexcheck's own fact,
  finding and report records, so even a leaked key does not let an entry run code.
  The roots are JSON, never unpickled, and checked field by field.

An entry that fails either check is ignored and rewritten. A database that cannot be
opened is deleted and made anew; a directory that cannot be written means running
without a cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import hmac
import importlib
import io
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from hexcheck.core.facts import ModuleFacts
from hexcheck.core.pickling import REBUILDERS
from hexcheck.core.roots import Root, RootChoice
from hexcheck.core.version import VERSION
from hexcheck.extract.version import EXTRACTOR_VERSION

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stats (
    path TEXT PRIMARY KEY, stat TEXT NOT NULL, key TEXT NOT NULL, checksum TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS roots (key TEXT PRIMARY KEY, checksum TEXT NOT NULL, payload BLOB NOT NULL);
"""
DATABASE = "facts.sqlite3"
_GITIGNORE = ".gitignore"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def content_key(data: bytes, module: str, is_package: bool, extractor_version: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{module}\0{is_package}\0{VERSION}\0{extractor_version}\0{record_layout()}".encode())
    return digest.hexdigest()


@functools.cache
def record_layout() -> str:
    """A digest of the fields of the fact and finding records, in order: an entry pickled
    by a hexcheck whose records were laid out otherwise (a field added, moved) is a miss,
    not a record rebuilt from shifted values, even when no version number was bumped."""
    layout = []
    for record_module in ("hexcheck.core.facts", "hexcheck.core.findings"):
        for name, value in sorted(vars(importlib.import_module(record_module)).items()):
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == record_module
            ):
                layout.append(f"{record_module}.{name}:{','.join(f.name for f in dataclasses.fields(value))}")
    return hashlib.sha256("\n".join(layout).encode()).hexdigest()[:16]


def stat_signature(stat: os.stat_result) -> str:
    """A file's stat, and what extracted the facts recorded for it: a stat row written by
    another hexcheck (an upgrade, a record laid out otherwise) must not lead to the facts
    it extracted, even for a file that has not changed since."""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}:{stat.st_ctime_ns}:{_extracted_by()}"


@functools.cache
def _extracted_by() -> str:
    return f"{VERSION}:{EXTRACTOR_VERSION}:{record_layout()}"


def encode_facts(facts: ModuleFacts) -> bytes:
    """The cache's payload for a file's facts: without the path, which is the run's."""
    return pickle.dumps(replace(facts, path=""), protocol=pickle.HIGHEST_PROTOCOL)


def decode_facts(payload: bytes, path: str) -> ModuleFacts | None:
    """The facts of `encode_facts`, at `path`; None for anything else."""
    facts = _unpickle(payload)
    return replace(facts, path=path) if isinstance(facts, ModuleFacts) else None


# Modules whose dataclasses and enums make up facts, findings and reports.
_DATA_MODULES = (
    "hexcheck.core.facts",
    "hexcheck.core.findings",
    "hexcheck.core.layers",
    "hexcheck.core.baseline",
    "hexcheck.engine",
    "hexcheck.analysis.model",
)
_buildable: dict[tuple[str, str], object] = {}


class _CacheUnpickler(pickle.Unpickler):
    """Builds hexcheck's own records and nothing else.

    A pickle names the callables that rebuild it; the standard unpickler imports and calls
    whatever is named (`os.system` included). This one resolves a name only from a fixed
    table, made once without importing anything a payload names: the dataclasses and
    enums of the record modules and the functions that rebuild shared facts (a report names
    its rules by code). Any other name fails the load, a cache miss.
    """

    def find_class(self, module: str, name: str) -> Any:
        found = (_buildable or _make_buildable()).get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"a cache entry names {module}.{name}, which is not hexcheck's data")
        return found


def _make_buildable() -> dict[tuple[str, str], object]:
    for record_module in _DATA_MODULES:
        for value in vars(importlib.import_module(record_module)).values():
            if (
                isinstance(value, type)
                and value.__module__ == record_module
                and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))
            ):
                _buildable[(record_module, value.__qualname__)] = value
    for rebuild in REBUILDERS:
        _buildable[(rebuild.__module__, rebuild.__qualname__)] = rebuild
    return _buildable


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
            database = self.directory / DATABASE
            if _any_link(self.directory, database):
                raise OSError("a symbolic link in the cache directory")  # could point anywhere
            _write_gitignore(self.directory / _GITIGNORE)
            self._db = _open(database)
        except (OSError, sqlite3.Error):
            self._disabled = True
            self._db = None
        return self._db

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
            for path, stat, key, signature in db.execute("SELECT path, stat, key, checksum FROM stats"):
                if signatures.get(path) == stat and self._signed(signature, "stats", path, stat, key):
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
                facts = self._load(signature, payload, "facts", key)
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
        rows = [(key, self._sign(payload, "facts", key), payload) for key, payload in facts]
        stat_rows = [
            (path, stat, key, self._sign(b"", "stats", path, stat, key)) for path, stat, key in stats
        ]
        if not rows and not stat_rows:
            return
        with self._transaction() as db:
            if db is not None:
                db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", rows)
                db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?)", stat_rows)

    # ------------------------------------------------------------------ reports

    def get_report(self, key: str) -> object | None:
        payload = self._signed_payload("reports", key)
        return None if payload is None else _unpickle(payload)

    def put_report(self, key: str, report: object) -> None:
        try:
            payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        # Only the latest few runs are worth keeping.
        self._put_signed("reports", key, payload, keep=7)

    # ------------------------------------------------------------------ import roots

    def get_roots(self, key: str) -> RootChoice | None:
        payload = self._signed_payload("roots", key)
        return None if payload is None else decode_roots(payload)

    def put_roots(self, key: str, choice: RootChoice) -> None:
        # One project, one tree at a time: a few recent choices are enough.
        self._put_signed("roots", key, encode_roots(choice), keep=3)

    def _put_signed(self, table: str, key: str, payload: bytes, *, keep: int) -> None:
        """Store a signed (key, signature, payload) row beside the `keep` newest rows of its
        table, which are all it keeps of the older ones."""
        with self._transaction() as db:
            if db is not None:
                db.execute(
                    f"DELETE FROM {table} WHERE rowid NOT IN "
                    f"(SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT {keep})"
                )
                db.execute(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                    (key, self._sign(payload, table, key), payload),
                )

    # ------------------------------------------------------------------ signatures

    def _sign(self, payload: bytes, *where: str) -> str:
        """The row's signature: its table and key (so a row cannot be moved under another
        key or table), then its content."""
        signature = hmac.new(self._key, "\0".join(where).encode("utf-8", "surrogateescape") + b"\0", "sha256")
        signature.update(payload)
        return signature.hexdigest()

    def _signed(self, signature: object, *where: str) -> bool:
        return isinstance(signature, str) and hmac.compare_digest(self._sign(b"", *where), signature)

    def _load(self, signature: object, payload: object, *where: str) -> object | None:
        """Unpickle a payload that this user's key signed at this place; anything else is
        a miss (planted, signed on another machine, moved, or torn)."""
        verified = self._verified(signature, payload, *where)
        return None if verified is None else _unpickle(verified)

    def _verified(self, signature: object, payload: object, *where: str) -> bytes | None:
        if not isinstance(payload, bytes) or not isinstance(signature, str):
            return None
        if not hmac.compare_digest(self._sign(payload, *where), signature):
            return None
        return payload

    def _signed_payload(self, table: str, key: str) -> bytes | None:
        """The payload of `table`'s row for `key` (`reports` or `roots`), if this user's
        key signed it there."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(f"SELECT checksum, payload FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else self._verified(row[0], row[1], table, key)


def encode_roots(choice: RootChoice) -> bytes:
    return json.dumps(
        {
            "roots": [[list(root.folder), root.resolved] for root in choice.roots],
            "unresolved": [[name, count] for name, count in choice.unresolved],
            "ties": [[list(best), list(other), count] for best, other, count in choice.ties],
        },
        separators=(",", ":"),
    ).encode()


def decode_roots(payload: bytes) -> RootChoice | None:
    """The choice of `encode_roots`; None for anything not exactly of its shape."""
    try:
        data = json.loads(payload)
        roots = tuple(Root(_folder(folder), _count(resolved)) for folder, resolved in data["roots"])
        unresolved = tuple((_text(name), _count(count)) for name, count in data["unresolved"])
        ties = tuple((_folder(best), _folder(other), _count(count)) for best, other, count in data["ties"])
    except (ValueError, TypeError, KeyError):  # not JSON, or not of the shape written
        return None
    return RootChoice(roots, unresolved, ties)


def _folder(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("a folder is a list of names")
    return tuple(_text(name) for name in value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not a count")
    return value


def _any_link(directory: Path, database: Path) -> bool:
    """Whether the cache directory, or a file SQLite or hexcheck writes in it, is a link:
    a planted one would send hexcheck's writes outside the cache."""
    places = (
        directory,
        database,
        directory / _GITIGNORE,
        *(Path(f"{database}{s}") for s in ("-wal", "-shm")),
    )
    return any(place.is_symlink() for place in places)


def _write_gitignore(path: Path) -> None:
    """Keep the cache out of commits; never through a link, never over an existing file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o644)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("# created by hexcheck\n*\n")


def _open(path: Path) -> sqlite3.Connection:
    """The database at `path`, holding exactly hexcheck's schema: a file that is not a
    database, or whose schema differs (an older hexcheck's, or one with triggers or views
    that a repository planted), is deleted and made anew."""
    for attempt in range(2):
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            # Never run SQL functions that the database file itself names.
            db.execute("PRAGMA trusted_schema=OFF")
            schema = _schema_of(db)
            if schema and schema != _expected_schema():
                raise sqlite3.DatabaseError("not hexcheck's schema")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            if _schema_of(db) != _expected_schema():
                raise sqlite3.DatabaseError("not hexcheck's schema")
            return db
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            if attempt:
                raise
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{path}{suffix}")
    raise sqlite3.DatabaseError("unreachable")


def _schema_of(db: sqlite3.Connection) -> frozenset[tuple[Any, ...]]:
    return frozenset(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


_expected: list[frozenset[tuple[Any, ...]]] = []


def _expected_schema() -> frozenset[tuple[Any, ...]]:
    """What `sqlite_master` holds after `_SCHEMA`, as this SQLite writes it."""
    if not _expected:
        db = sqlite3.connect(":memory:")
        db.executescript(_SCHEMA)
        _expected.append(_schema_of(db))
        db.close()
    return _expected[0]


def _facts_rows(db: sqlite3.Connection, columns: str, keys: list[str]) -> Iterator[tuple[Any, ...]]:
    """`columns` of the facts entries of `keys`, 500 keys a query (SQLite's limit on
    parameters is 999 in older versions)."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        yield from db.execute(f"SELECT {columns} FROM facts WHERE key IN ({marks})", chunk)
