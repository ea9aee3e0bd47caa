"""The TOML reader of every adapter that reads TOML: the standard library's from Python
3.11, its backport before."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["tomllib"]
