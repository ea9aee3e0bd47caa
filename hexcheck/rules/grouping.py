"""Groups (SPEC §3, "Findings per design decision"): which findings one change would fix.

A reviewer writes a decision once and lists where it shows: 32 imports of three
infrastructure modules from the web layer are three decisions, not 32. Every finding
gets a `group`, `"<code> <key>"`, read off what the rules already report (the code, the
symbol, the layer and the path), never off a line number, so that it stays the same when
the code around it moves. The key per rule:

- HEX101, HEX103: the importer's layer and the first-party module it imports
  (`web -> app.infrastructure.errors`);
- HEX102: the importer's layer and the external top-level package (`application -> pydantic`);
- HEX104: the cycle; HEX105: the package;
- class rules (HEX2xx, HEX3xx, HEX4xx, HEX5xx, HEX604, HEX605): the class (a module-level
  function where the finding is in one);
- handler rules (HEX601-HEX603, HEX609): the handler; HEX608: the provider;
- HEX506: the deprecated driver (`motor`): moving to PyMongo's async API is one change
  for the whole project, however many modules import Motor;
- HEX606: the module;
- HEX607: the router when none of its write routes is secured (one `dependencies=` on
  the router fixes them all), else the handler;
- HEX900, HEX901: the file.

Grouping is computed here, in one place, so that a rule only has to report a symbol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding
from hexcheck.semantics.fastapi import web_index
from hexcheck.semantics.roles import roles

_ARROW = " -> "
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete", "api_route"})
_IMPORT_RULES = frozenset({"HEX101", "HEX103"})
_HANDLER_RULES = frozenset({"HEX601", "HEX602", "HEX603", "HEX608", "HEX609"})
_MODULE_RULES = frozenset({"HEX606"})
_DRIVER_RULES = frozenset({"HEX506"})  # symbol `module:driver`
_FILE_RULES = frozenset({"HEX900", "HEX901"})
_WHOLE_SYMBOL_RULES = frozenset({"HEX104", "HEX105"})


def grouped(findings: Iterable[Finding], model: ProjectModel) -> Iterator[Finding]:
    """`findings`, each with its `group` set."""
    keys = _Keys(model)
    for finding in findings:
        yield replace(finding, group=f"{finding.code} {keys.key(finding)}")


class _Keys:
    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self._classes: set[str] | None = None
        self._routers: dict[str, str] | None = None

    def key(self, finding: Finding) -> str:
        code, symbol = finding.code, finding.symbol
        if code in _IMPORT_RULES and _ARROW in symbol:
            # `importer -> imported` (HEX101), `importer -> via -> ... -> outer` (HEX103):
            # the module the importer itself imports is the one import to change.
            return f"{finding.layer or 'unlayered'}{_ARROW}{symbol.split(_ARROW)[1]}"
        if code == "HEX102" and _ARROW in symbol:
            package = symbol.rpartition(_ARROW)[2].split(".")[0]
            return f"{finding.layer or 'unlayered'}{_ARROW}{package}"
        if code in _WHOLE_SYMBOL_RULES:
            return symbol
        if code in _FILE_RULES:
            return finding.location.path
        if code in _DRIVER_RULES:
            return symbol.rpartition(":")[2]
        named = _named(symbol)
        if code in _MODULE_RULES:
            return self._module_of(named)
        if code == "HEX607":
            return self._routers_of_unsecured().get(named, named)
        if code in _HANDLER_RULES:
            return named
        return self._class_of(named)

    def _module_of(self, dotted: str) -> str:
        return _longest_prefix(dotted, self.model.modules.__contains__)

    def _class_of(self, dotted: str) -> str:
        """The innermost first-party class `dotted` lies in; else the module-level
        function (or whatever `dotted` names, when it names no class member)."""
        if self._classes is None:
            self._classes = {
                f"{facts.module}.{cls.qualname}"
                for facts in self.model.modules.values()
                for cls in facts.classes
            }
        classes = self._classes
        found = _longest_prefix(dotted, classes.__contains__)
        if found in classes:
            return found
        module = self._module_of(dotted)
        if module and dotted.startswith(module + "."):
            return f"{module}.{dotted[len(module) + 1 :].split('.')[0]}"
        return dotted

    def _routers_of_unsecured(self) -> dict[str, str]:
        """handler -> `router <id>` for the handlers of routers none of whose write
        routes is secured: adding the security once to the router fixes them all."""
        if self._routers is None:
            index = web_index(self.model)
            by_router: dict[str, list[str]] = {}
            secured: set[str] = set()
            for handler in roles(self.model).route_handlers:
                if handler.method not in _WRITE_METHODS:
                    continue
                router = index.handler_router(handler)
                by_router.setdefault(router, []).append(handler.dotted)
                if index.route_secured(handler):
                    secured.add(router)
            self._routers = {
                handler: f"router {router}"
                for router, handlers in by_router.items()
                if router not in secured
                for handler in handlers
            }
        return self._routers


def _named(symbol: str) -> str:
    """What a symbol names before its detail: `pkg.mod.Class.method:ValueError` ->
    `pkg.mod.Class.method`."""
    return symbol.split(":", 1)[0].split(_ARROW, 1)[0]


def _longest_prefix(dotted: str, known: Callable[[str], bool]) -> str:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if known(candidate):
            return candidate
    return dotted
