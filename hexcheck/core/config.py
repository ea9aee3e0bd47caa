"""The settings of one run, with SPEC's defaults; loading them from TOML is an adapter's job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from hexcheck.core.layers import DEFAULT_ALLOWED, Layer, LayerMap

DEFAULT_APPLICATION_FORBIDDEN = (
    "fastapi", "starlette", "flask", "django", "pydantic", "pydantic_settings",
    "sqlalchemy", "sqlmodel", "motor", "pymongo", "bson", "beanie", "odmantic",
    "mongoengine", "redis", "httpx", "requests", "aiohttp", "boto3", "botocore", "celery",
    "uvicorn", "jose", "jwt", "passlib",
)  # fmt: skip

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", "env", ".env", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hexcheck_cache",
    "build", "dist", "site-packages", "node_modules", "*.egg-info", "tests", "test",
    "fixtures", "migrations", "conftest.py", "test_*.py", "*_test.py", "tests.py",
)  # fmt: skip

# The test-module pattern whose presence in `exclude` says that tests are left out, and so
# that the project's own pytest patterns (`python_files = *_should.py`) are too.
TEST_MODULE_PATTERN = "test_*.py"


# Packages that bring a later Python's standard library to an earlier one: RFC 9562's
# UUIDs (`uuid.uuid7` since 3.14), `ExceptionGroup`, `tomllib`, `importlib.metadata`.
# An allow-list layer takes them as the standard library they stand for.
STDLIB_BACKPORTS = frozenset(
    {
        "backports",
        "exceptiongroup",
        "tomli",
        "uuid6",
        "uuid_extension",
        "importlib_metadata",
        "importlib_resources",
    }
)


@dataclass(frozen=True, slots=True)
class PackagePolicy:
    """Which external packages a layer may import.

    With `allow_only` set, the layer may import the standard library (with its backports,
    `STDLIB_BACKPORTS`) and those packages only (the domain's policy); otherwise anything
    but `forbid`.
    """

    allow_only: tuple[str, ...] | None = None
    forbid: tuple[str, ...] = ()

    def forbids(self, package: str, is_stdlib: bool) -> bool:
        if package in self.forbid:
            return True
        if self.allow_only is None:
            return False
        return not is_stdlib and package not in STDLIB_BACKPORTS and package not in self.allow_only


DEFAULT_PACKAGE_POLICIES: Mapping[Layer, PackagePolicy] = MappingProxyType(
    {
        Layer.DOMAIN: PackagePolicy(allow_only=("typing_extensions",)),
        Layer.APPLICATION: PackagePolicy(forbid=DEFAULT_APPLICATION_FORBIDDEN),
    }
)


@dataclass(frozen=True, slots=True)
class Config:
    """Everything that shapes a run. Defaults are SPEC's; `[tool.hexcheck]` overrides them."""

    root: str = "."
    source_roots: tuple[str, ...] = ()
    layers: LayerMap = field(default_factory=LayerMap)
    packages: Mapping[Layer, PackagePolicy] = field(default_factory=lambda: DEFAULT_PACKAGE_POLICIES)
    allowed_edges: frozenset[tuple[Layer, Layer]] = frozenset()
    type_checking_imports: str = "report"  # or "allow"
    preset: str = "recommended"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True  # inside a git work tree, skip what git ignores
    cache_dir: str = ".hexcheck_cache"
    parse_timeout: float = 10.0
    max_file_bytes: int = 2_000_000
    max_port_methods: int = 8
    max_handler_statements: int = 12

    def may_depend(self, importer: Layer, imported: Layer) -> bool:
        """Whether the layer `importer` may import modules of the layer `imported`."""
        return imported in DEFAULT_ALLOWED[importer] or (importer, imported) in self.allowed_edges

    def package_policy(self, layer: Layer) -> PackagePolicy:
        return self.packages.get(layer, PackagePolicy())
