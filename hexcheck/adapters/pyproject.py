"""Loading hexcheck's settings from `[tool.hexcheck]` (or a standalone `hexcheck.toml`).

Every key is validated before any is used, and every problem is collected before one
`ConfigError` is raised: a user fixing a config file sees all its mistakes at once, each
named by its full TOML key path, with what was expected and what was found.
"""

from __future__ import annotations

import datetime
import difflib
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from hexcheck.adapters.toml import tomllib
from hexcheck.core.config import DEFAULT_PACKAGE_POLICIES, Config, PackagePolicy
from hexcheck.core.errors import ConfigError, UsageError
from hexcheck.core.layers import LAYERS, Layer, LayerMap
from hexcheck.core.mapping import LayerMerge, LayerProposal, Patterns, merge

PYPROJECT = "pyproject.toml"
# Looked for in each directory before pyproject.toml, as ruff looks for ruff.toml.
STANDALONE_NAMES = (".hexcheck.toml", "hexcheck.toml")

_CODE = re.compile(r"HEX[0-9]{0,3}")
_MODULE_PATTERN = re.compile(r"[A-Za-z0-9_*]+(?:\.[A-Za-z0-9_*]+)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_LAYER_NAMES = ", ".join(layer.value for layer in LAYERS)
_PACKAGE_KEYS = ("allow", "forbid", "extend-allow", "extend-forbid")
_OVERRIDES = "--"


def find_config(start: str) -> str | None:
    """The nearest configuration file, walking up from `start` (a file or a directory).

    In each directory, a `.hexcheck.toml` or `hexcheck.toml` counts whatever it holds; a
    `pyproject.toml` counts only with a `[tool.hexcheck]` table. A pyproject.toml that is
    not valid TOML counts if it mentions hexcheck, so the syntax error gets reported
    instead of silently ignored.
    """
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        for name in STANDALONE_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(directory, PYPROJECT)
        if os.path.isfile(candidate) and _mentions_hexcheck(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _mentions_hexcheck(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as handle:
            raw = handle.read()
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError:
        return False
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return b"hexcheck" in raw
    tool = data.get("tool")
    return isinstance(tool, dict) and "hexcheck" in tool


def load_config(path: str | None, overrides: Mapping[str, object] | None = None) -> Config:
    """The `Config` that the file at `path` (None: no file) and then `overrides` describe.

    `overrides` come from command-line flags; they use the file's kebab-case keys, are
    validated the same way, and replace the file's values (for the `layers`, `packages`
    and `per-file-ignores` tables, one entry at a time). A None value means "not given".
    Raises `ConfigError` listing every problem found.
    """
    checker = _Checker()
    root = "."
    settings = _Settings()
    if path is not None:
        root = os.path.dirname(os.path.abspath(path))
        table, prefix = _read(path, checker)
        settings = _parse(table, prefix, checker)
    file_problems = len(checker.problems)
    if overrides:
        given = {key: value for key, value in overrides.items() if value is not None}
        settings = settings.merged(_parse(given, _OVERRIDES, checker))
    if checker.problems:
        source = path if path is not None and file_problems else "command line"
        raise ConfigError(source, checker.problems)
    return settings.build(root)


def _read(path: str, checker: _Checker) -> tuple[Mapping[str, object], str]:
    """The table holding hexcheck's keys in the file, and its key path."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        checker.problems.append(f"cannot read the file: {exc.strerror or exc}")
        return {}, ""
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        checker.problems.append(f"not valid UTF-8 at line {line}; TOML files must be UTF-8")
        return {}, ""
    except tomllib.TOMLDecodeError as exc:
        checker.problems.append(f"invalid TOML: {exc}")
        return {}, ""
    tool = data.get("tool")
    if isinstance(tool, dict) and "hexcheck" in tool:
        table = tool["hexcheck"]
        if not isinstance(table, dict):
            checker.expected("tool.hexcheck", "a table", table)
            return {}, ""
        return table, "tool.hexcheck"
    if os.path.basename(path) == PYPROJECT:
        return {}, ""
    return data, ""


def _child(path: str, key: str) -> str:
    """The TOML key path of `key` inside `path`, quoting the key when TOML would."""
    shown = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    if path == _OVERRIDES:
        return f"--{shown}"
    return f"{path}.{shown}" if path else shown


def _describe(value: object) -> str:
    """`value` as the user wrote it in TOML, or what kind of thing it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the date/time {value.isoformat()}"
    return f"a {type(value).__name__}"


class _Invalid:
    """Marks a value that produced a problem, so the key keeps its default."""


_INVALID = _Invalid()


class _Checker:
    """Collects problems while turning raw values into typed ones."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def expected(self, path: str, expected: str, value: object) -> _Invalid:
        self.problems.append(f"{path}: expected {expected}, got {_describe(value)}")
        return _INVALID

    def unknown_key(self, path: str, key: str, known: tuple[str, ...], listing: bool = False) -> None:
        message = f"{_child(path, key)}: unknown key"
        hint = _KEY_HINTS.get(key.replace("_", "-").lower())
        if hint:
            message += f"; {hint}"
        elif listing:
            message += "; expected one of " + ", ".join(known)
        else:
            close = difflib.get_close_matches(key.replace("_", "-").lower(), known, n=1)
            if close:
                message += f'; did you mean "{close[0]}"?'
        self.problems.append(message)

    def strings(
        self, path: str, value: object, item: str = "a string", valid: Callable[[str], bool] | None = None
    ) -> tuple[str, ...] | _Invalid:
        """An array of non-empty strings, each passing `valid` (else described by `item`)."""
        if not isinstance(value, (list, tuple)):
            return self.expected(path, "an array of strings", value)
        result: list[str] = []
        for index, element in enumerate(value):
            if isinstance(element, str) and element and (valid is None or valid(element)):
                result.append(element)
            else:
                self.expected(f"{path}[{index}]", item, element)
        return tuple(result) if len(result) == len(value) else _INVALID


_Parser = Callable[[_Checker, str, object], object]


def _string_list(item: str = "a string", valid: Callable[[str], bool] | None = None) -> _Parser:
    return lambda checker, path, value: checker.strings(path, value, item, valid)


def _choice(*options: str) -> _Parser:
    def parse(checker: _Checker, path: str, value: object) -> object:
        if value in options:
            return value
        return checker.expected(path, "one of " + ", ".join(f'"{o}"' for o in options), value)

    return parse


def _non_empty_string(checker: _Checker, path: str, value: object) -> object:
    if isinstance(value, str) and value:
        return value
    return checker.expected(path, "a non-empty string", value)


def _boolean(checker: _Checker, path: str, value: object) -> object:
    if isinstance(value, bool):
        return value
    return checker.expected(path, "true or false", value)


def _positive_int(checker: _Checker, path: str, value: object) -> object:
    # bool is an int subclass in Python, never in TOML: `max-port-methods = true` is a typo.
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return checker.expected(path, "a positive integer", value)


def _positive_number(checker: _Checker, path: str, value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return float(value)
    return checker.expected(path, "a positive number", value)


def _is_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None


def _is_package_name(text: str) -> bool:
    return text.isidentifier()


def _is_module_pattern(text: str) -> bool:
    return _MODULE_PATTERN.fullmatch(text) is not None


_CODES_ITEM = "a rule code or prefix like HEX, HEX1 or HEX101"
_codes = _string_list(_CODES_ITEM, _is_code)


def _edges(checker: _Checker, path: str, value: object) -> object:
    raw = checker.strings(path, value, 'a string like "web -> infrastructure"')
    if isinstance(raw, _Invalid):
        return raw
    edges: set[tuple[Layer, Layer]] = set()
    for index, text in enumerate(raw):
        item = f"{path}[{index}]"
        ends = [part.strip() for part in text.split("->")]
        if len(ends) != 2 or not all(ends):
            checker.expected(item, '"<layer> -> <layer>", like "web -> infrastructure"', text)
            continue
        layers = [_layer(end) for end in ends]
        for end, layer in zip(ends, layers, strict=True):
            if layer is None:
                checker.problems.append(f'{item}: unknown layer "{end}"; expected one of {_LAYER_NAMES}')
        if layers[0] is not None and layers[1] is not None:
            edges.add((layers[0], layers[1]))
    return frozenset(edges)


def _layer(name: str) -> Layer | None:
    try:
        return Layer(name)
    except ValueError:
        return None


# Top-level keys with a plain value: key -> (Config field, parser).
_PLAIN: Mapping[str, tuple[str, _Parser]] = {
    "source-roots": ("source_roots", _string_list("a path")),
    "exclude": ("exclude", _string_list("a glob pattern")),
    "extend-exclude": ("extend_exclude", _string_list("a glob pattern")),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "preset": ("preset", _choice("recommended", "strict")),
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "type-checking-imports": ("type_checking_imports", _choice("report", "allow")),
    "allowed-edges": ("allowed_edges", _edges),
    "cache-dir": ("cache_dir", _non_empty_string),
    "parse-timeout": ("parse_timeout", _positive_number),
    "max-file-bytes": ("max_file_bytes", _positive_int),
    "max-port-methods": ("max_port_methods", _positive_int),
    "max-handler-statements": ("max_handler_statements", _positive_int),
}
_TABLES = ("layers", "packages", "per-file-ignores")
# Keys users reach for that hexcheck spells another way.
_KEY_HINTS: Mapping[str, str] = {
    "composition-roots": "composition roots are the modules of the composition layer: "
    'list them in [tool.hexcheck.layers], like composition = ["app.main", "app.bootstrap"]',
}
_KNOWN_KEYS = (*_PLAIN, "default-layers", *_TABLES)


@dataclass(frozen=True, slots=True)
class _Settings:
    """What one source (the file, or the overrides) sets, validated; unset keys absent."""

    # Config field -> value; each value is what that field's parser in `_PLAIN` returned,
    # so its type is right for the field even though no annotation here can say so.
    plain: Mapping[str, Any] = field(default_factory=dict)
    default_layers: bool | None = None
    layers: Mapping[Layer, tuple[str, ...]] = field(default_factory=dict)
    packages: Mapping[Layer, PackagePolicy] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def merged(self, later: _Settings) -> _Settings:
        """These settings with `later`'s on top: keys replaced, tables entry by entry."""
        return _Settings(
            {**self.plain, **later.plain},
            self.default_layers if later.default_layers is None else later.default_layers,
            {**self.layers, **later.layers},
            {**self.packages, **later.packages},
            {**self.per_file_ignores, **later.per_file_ignores},
        )

    def build(self, root: str) -> Config:
        default_layers = True if self.default_layers is None else self.default_layers
        config = replace(
            Config(root=root),
            **self.plain,
            layers=LayerMap.from_mapping(self.layers, default_layers),
            per_file_ignores=tuple(self.per_file_ignores.items()),
        )
        if not self.packages:
            return config
        return replace(config, packages=MappingProxyType({**DEFAULT_PACKAGE_POLICIES, **self.packages}))


def _parse(table: Mapping[str, object], prefix: str, checker: _Checker) -> _Settings:
    plain: dict[str, Any] = {}
    default_layers: bool | None = None
    layers: dict[Layer, tuple[str, ...]] = {}
    packages: dict[Layer, PackagePolicy] = {}
    per_file_ignores: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        path = _child(prefix, key)
        if key in _PLAIN:
            name, parser = _PLAIN[key]
            parsed = parser(checker, path, value)
            if not isinstance(parsed, _Invalid):
                plain[name] = parsed
        elif key == "default-layers":
            parsed = _boolean(checker, path, value)
            if isinstance(parsed, bool):
                default_layers = parsed
        elif key == "layers":
            layers = _parse_layers(checker, path, value)
        elif key == "packages":
            packages = _parse_packages(checker, path, value)
        elif key == "per-file-ignores":
            per_file_ignores = _parse_per_file_ignores(checker, path, value)
        else:
            checker.unknown_key(prefix, key, _KNOWN_KEYS)
    return _Settings(plain, default_layers, layers, packages, per_file_ignores)


def _layer_tables(checker: _Checker, path: str, value: object) -> dict[Layer, tuple[str, object]]:
    """The entries of a table keyed by layer name: layer -> (key path, value)."""
    if not isinstance(value, Mapping):
        checker.expected(path, "a table", value)
        return {}
    found: dict[Layer, tuple[str, object]] = {}
    for key, entry in value.items():
        entry_path = _child(path, str(key))
        layer = _layer(str(key))
        if layer is None:
            checker.problems.append(f"{entry_path}: unknown layer; expected one of {_LAYER_NAMES}")
        else:
            found[layer] = (entry_path, entry)
    return found


def _parse_layers(checker: _Checker, path: str, value: object) -> dict[Layer, tuple[str, ...]]:
    layers: dict[Layer, tuple[str, ...]] = {}
    for layer, (entry_path, entry) in _layer_tables(checker, path, value).items():
        patterns = checker.strings(
            entry_path, entry, "a module pattern like app.domain or app.*.ports", _is_module_pattern
        )
        if not isinstance(patterns, _Invalid):
            layers[layer] = patterns
    return layers


def _parse_packages(checker: _Checker, path: str, value: object) -> dict[Layer, PackagePolicy]:
    policies: dict[Layer, PackagePolicy] = {}
    for layer, (entry_path, entry) in _layer_tables(checker, path, value).items():
        if not isinstance(entry, Mapping):
            checker.expected(entry_path, "a table", entry)
            continue
        lists: dict[str, tuple[str, ...]] = {}
        for key, names in entry.items():
            if key not in _PACKAGE_KEYS:
                checker.unknown_key(entry_path, str(key), _PACKAGE_KEYS, listing=True)
                continue
            parsed = checker.strings(
                _child(entry_path, key), names, "a top-level package name like pydantic", _is_package_name
            )
            if not isinstance(parsed, _Invalid):
                lists[key] = parsed
        policy = _policy(checker, entry_path, layer, lists)
        if policy is not None:
            policies[layer] = policy
    return policies


def _policy(
    checker: _Checker, path: str, layer: Layer, lists: Mapping[str, tuple[str, ...]]
) -> PackagePolicy | None:
    """The layer's default policy changed by `allow`, `forbid` and their `extend-` forms.

    `allow` makes the layer allow-only (stdlib plus these); `extend-allow` adds to an
    allow-list and, on a deny-list layer, takes the packages off the deny-list, so
    `extend-allow = ["pydantic"]` on `application` means what it says.
    """
    default = DEFAULT_PACKAGE_POLICIES.get(layer, PackagePolicy())
    extend_allow = lists.get("extend-allow", ())
    allow_only = lists.get("allow", default.allow_only)
    if allow_only is not None:
        allow_only = _unique((*allow_only, *extend_allow))
    explicit_forbid = (*lists.get("forbid", ()), *lists.get("extend-forbid", ()))
    both = sorted(set(explicit_forbid) & {*(lists.get("allow", ())), *extend_allow})
    if both:
        names = ", ".join(f'"{name}"' for name in both)
        checker.problems.append(f"{path}: {names} cannot be both allowed and forbidden")
        return None
    forbid = (*lists.get("forbid", default.forbid), *lists.get("extend-forbid", ()))
    return PackagePolicy(allow_only, tuple(name for name in _unique(forbid) if name not in extend_allow))


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _parse_per_file_ignores(checker: _Checker, path: str, value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        checker.expected(path, "a table of glob = [codes]", value)
        return {}
    ignores: dict[str, tuple[str, ...]] = {}
    for glob, codes in value.items():
        parsed = checker.strings(_child(path, str(glob)), codes, _CODES_ITEM, _is_code)
        if not isinstance(parsed, _Invalid):
            ignores[str(glob)] = parsed
    return ignores


# ---------------------------------------------------------------------- hexcheck init


def init_target(directory: str) -> str:
    """The file `hexcheck init --write` writes for the project in `directory`: its
    `.hexcheck.toml` or `hexcheck.toml` if it has one (those win over pyproject.toml),
    else its pyproject.toml (created if missing)."""
    for name in STANDALONE_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return os.path.join(directory, PYPROJECT)


@dataclass(frozen=True, slots=True)
class InitPlan:
    """What `hexcheck init` would change in the file at `path` (`before` is "" when the
    file does not exist), and the hand-written settings it leaves alone."""

    path: str
    before: str
    after: str
    merge: LayerMerge
    # The hand-written `source-roots`, when they differ from the detected ones.
    kept_source_roots: tuple[str, ...] | None

    @property
    def changes(self) -> bool:
        return self.before != self.after


def plan_init(
    path: str, source_roots: Sequence[str], proposal: LayerProposal, use_defaults: bool
) -> InitPlan:
    """Merge the detected `source_roots` and layer patterns into the file at `path`.

    Nothing hand-written is replaced or reordered: a missing `source-roots` is added, a
    proposed pattern joins the layers table only where `merge` finds it changes no
    hand-written placement, and every other table, key, comment and blank line of the
    file stays as it was. Raises `UsageError` when the file cannot be read or parsed.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise UsageError(f"cannot update {path}: invalid TOML: {error}") from error
    table = _hexcheck_table(document, path)
    written = _written_layers(table)
    merged = merge(written, proposal, use_defaults)
    kept: tuple[str, ...] | None = None
    if table is None:
        # No table yet: appended as text, so not a byte of the file changes (tomlkit
        # would put it after the first `[tool.*]` table, without its header).
        settings = render_settings(source_roots, merged.additions)
        updated = f"{text.rstrip()}\n\n{settings}" if text.strip() else settings
    else:
        present = table.get("source-roots")
        if present is None and source_roots:
            table["source-roots"] = list(source_roots)
        elif present is not None and list(present) != list(source_roots):
            kept = tuple(str(root) for root in present)
        _add_layers(table, merged.additions)
        updated = tomlkit.dumps(document)
    if updated == text:
        return InitPlan(path, text, text, merged, kept)
    updated = updated.replace("\r\n", "\n").rstrip("\n") + "\n"
    try:
        tomllib.loads(updated)
    except tomllib.TOMLDecodeError as error:  # a bug here must never break the user's file
        raise UsageError(f"cannot update {path}: the result would not be valid TOML ({error})") from error
    if "\r\n" in text:  # a file with Windows line ends keeps them
        updated = updated.replace("\n", "\r\n")
    return InitPlan(path, text, updated, merged, kept)


def apply_init(plan: InitPlan) -> None:
    """Write `plan.after` into its file; raises `UsageError` when it cannot."""
    try:
        with open(plan.path, "w", encoding="utf-8", newline="") as handle:
            handle.write(plan.after)
    except OSError as error:
        raise UsageError(f"cannot write {plan.path}: {error.strerror or error}") from error


def _written_layers(table: Any) -> dict[Layer, list[str]]:
    """The hand-written `layers` table of hexcheck's `table` (None: no table)."""
    layers = table.get("layers") if table is not None else None
    if not isinstance(layers, Mapping):
        return {}
    written: dict[Layer, list[str]] = {}
    for key, patterns in layers.items():
        layer = _layer(str(key))
        if layer is not None and isinstance(patterns, list):
            written[layer] = [str(pattern) for pattern in patterns]
    return written


def _hexcheck_table(document: Any, path: str) -> Any:
    """The table of `document` that holds hexcheck's keys (a standalone file's top level
    unless it has `[tool.hexcheck]`), or None when a pyproject.toml has none yet.

    Raises `UsageError` when `tool.hexcheck` is not a table.
    """
    from tomlkit.items import Table

    tool = document.get("tool")
    found = tool.get("hexcheck") if isinstance(tool, Mapping) else None
    if found is None:
        return None if os.path.basename(path) == PYPROJECT else document
    if not isinstance(found, Table):
        raise UsageError(f"cannot update {path}: tool.hexcheck is not a table")
    return found


def _add_layers(table: Any, additions: Patterns) -> None:
    """Append `additions` to the layers table of `table` (created when missing): to a
    layer's array when it has one, else as a new key after the hand-written ones."""
    import tomlkit

    if not additions:
        return
    mapping = table.get("layers")
    created = mapping is None
    if created:
        mapping = tomlkit.table()
        mapping.trivia.indent = "\n"
        table["layers"] = mapping
    for layer, patterns in additions:
        existing = mapping.get(layer.value)
        if existing is not None:
            existing.extend(patterns)
            continue
        array = tomlkit.array()
        array.extend(patterns)
        array.multiline(len(patterns) > 1)
        mapping[layer.value] = array
    if created:
        mapping.add(tomlkit.nl())  # a blank line before the table that follows


def render_settings(source_roots: Sequence[str], layers: Patterns) -> str:
    """`[tool.hexcheck]` with `source-roots` (when given) and the layers table, as TOML."""
    import tomlkit  # only `hexcheck init` needs it: `hexcheck check` does not load it

    document = tomlkit.document()
    table = tomlkit.table(is_super_table=False)  # the `[tool.hexcheck]` header, always
    document.add("tool", tomlkit.table(is_super_table=True))
    document["tool"]["hexcheck"] = table
    if source_roots:
        table["source-roots"] = list(source_roots)
    _add_layers(table, layers)
    return tomlkit.dumps(document)
