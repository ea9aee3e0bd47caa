"""The key that signs cache entries, kept where no checked repository can reach it.

The cache directory lies inside the checked tree, so a pull request can ship one; what
makes its entries untrustworthy is that anyone can compute a plain checksum. A key that
only this user holds turns the checksum into a signature (HMAC) that a repository cannot
forge. It comes from `$HEXCHECK_CACHE_KEY` (a team sharing one cache between CI runs),
else from a file in the user's own cache directory, made on first use.

A key file is trusted only when it is a regular file (not a link), owned by the user,
readable by nobody else, and outside the checked tree: a key committed to a repository
fails all but the first (git checks files out readable by everyone). When no key can be
had, `NoSigningKey` says why, and hexcheck runs without a cache.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from hexcheck.core.errors import HexcheckError

KEY_VARIABLE = "HEXCHECK_CACHE_KEY"
KEY_FILE = "cache-key"
_KEY_CHARACTERS = 32  # 64 are written: 32 random bytes, in hex
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NoSigningKey(HexcheckError):
    """Raised when no trustworthy signing key can be read or made; the message says why."""


class _ShortKey(Exception):
    """A key file with too few characters: truncated, or not written by hexcheck."""


def user_cache_home() -> Path:
    """The user's own cache directory: `$XDG_CACHE_HOME` when set (on every platform),
    else what the platform calls it. Raises RuntimeError when there is no home."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg)
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA", "")
        return Path(local) if os.path.isabs(local) else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path.home() / ".cache"


def signing_key(checked: Sequence[str]) -> bytes:
    """This user's signing key; `checked` are the directories a repository controls (the
    project root, the cache directory), where a key file is never trusted."""
    variable = os.environ.get(KEY_VARIABLE, "")
    if variable:
        key = variable.encode("utf-8", "surrogateescape")
        if len(key) < _KEY_CHARACTERS:
            raise NoSigningKey(f"${KEY_VARIABLE} has {len(key)} characters; a key needs at least 32")
        return key
    try:
        path = user_cache_home() / "hexcheck" / KEY_FILE
    except RuntimeError as error:  # no HOME, and no passwd entry for this user
        raise NoSigningKey(f"there is no home directory to keep a signing key in ({error})") from error
    for directory in checked:
        if _is_within(path, directory):
            raise NoSigningKey(f"the key file {path} would lie inside the checked tree, which is not trusted")
    try:
        return _read_or_make(path)
    except OSError as error:
        raise NoSigningKey(f"cannot keep a signing key in {path}: {error.strerror or error}") from error


def _is_within(path: Path, directory: str) -> bool:
    inner = os.path.normcase(os.path.realpath(path))
    outer = os.path.normcase(os.path.realpath(directory))
    try:
        return os.path.commonpath([inner, outer]) == outer
    except ValueError:  # different drives
        return False


def _read_or_make(path: Path) -> bytes:
    for _ in range(3):
        try:
            return _read_own(path)
        except FileNotFoundError:
            _make(path)
        except _ShortKey:
            # Keys are made whole (written aside, then linked into place), so a short one
            # was truncated since: this user's own file, made anew.
            path.unlink()
    raise NoSigningKey(f"cannot make a signing key in {path}")


def _read_own(path: Path) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NoSigningKey(f"the key file {path} is not a regular file")
        if os.name == "posix":
            if info.st_uid != os.geteuid():
                raise NoSigningKey(f"the key file {path} belongs to another user")
            if info.st_mode & 0o077:
                raise NoSigningKey(
                    f"the key file {path} can be read by others (mode {stat.filemode(info.st_mode)}); "
                    f"`chmod 600 {path}` or delete it"
                )
        key = os.read(descriptor, 4096).strip()
    finally:
        os.close(descriptor)
    if len(key) < _KEY_CHARACTERS:
        raise _ShortKey
    return key


def _make(path: Path) -> None:
    """Make a key file whole: written aside, then linked into place, which never replaces
    a key another run made meanwhile (that one is read instead)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(_KEY_CHARACTERS) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)
    finally:
        os.unlink(aside)


__all__ = ["KEY_FILE", "KEY_VARIABLE", "NoSigningKey", "signing_key", "user_cache_home"]
