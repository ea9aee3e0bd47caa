"""Layers: which layer a module belongs to, and which layers it may depend on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Layer(str, Enum):
    """The rings of a hexagonal service, inner to outer (SPEC §1)."""

    DOMAIN = "domain"
    APPLICATION = "application"
    INFRASTRUCTURE = "infrastructure"
    WEB = "web"
    COMPOSITION = "composition"


LAYERS: tuple[Layer, ...] = tuple(Layer)

DEFAULT_ALLOWED: Mapping[Layer, frozenset[Layer]] = {
    Layer.DOMAIN: frozenset({Layer.DOMAIN}),
    Layer.APPLICATION: frozenset({Layer.APPLICATION, Layer.DOMAIN}),
    Layer.INFRASTRUCTURE: frozenset(
        {Layer.INFRASTRUCTURE, Layer.APPLICATION, Layer.DOMAIN, Layer.COMPOSITION}
    ),
    Layer.WEB: frozenset({Layer.WEB, Layer.APPLICATION, Layer.DOMAIN, Layer.COMPOSITION}),
    Layer.COMPOSITION: frozenset(LAYERS),
}

# Package components that place a module in a layer when no configuration says otherwise.
# The layers' own names in Spanish and Portuguese, by the English name they stand for
# (`dominio/`, `aplicacion/`, `infraestrutura/`, `presentacion/`): teams name their layers
# in their own language. They name packages only (see `_component`).
_TRANSLATIONS: Mapping[str, frozenset[str]] = {
    "domain": frozenset({"dominio", "dominios"}),
    "application": frozenset({"aplicacion", "aplicacao"}),
    "use_cases": frozenset({"casos_de_uso"}),
    "infrastructure": frozenset({"infraestructura", "infraestrutura"}),
    "presentation": frozenset({"presentacion", "apresentacao"}),
}
TRANSLATED_LAYER_NAMES = frozenset().union(*_TRANSLATIONS.values())
# Clean Architecture's ring of interface adapters: its controllers and presenters are the
# web's, its gateways (right below it) the adapters of the ports the core drives.
INTERFACE_ADAPTER_COMPONENTS = frozenset({"interface_adapter", "interface_adapters"})
_GATEWAY_COMPONENTS = frozenset({"gateway", "gateways"})
# The web layer is the driving side: HTTP, but also CLIs and the `inbound`/`driving`
# adapters of teams that name their packages after the sides of the hexagon, and Clean
# Architecture's ring of interface adapters (but for its gateways).
WEB_COMPONENTS = frozenset(
    {
        "web",
        "api",
        "rest",
        "http",
        "routers",
        "routes",
        "controllers",
        "entrypoints",
        "entrypoint",
        "presentation",
        "inbound",
        "driving",
        "cli",
        "graphql",
        "rest_api",
        *INTERFACE_ADAPTER_COMPONENTS,
    }
) | frozenset(_TRANSLATIONS["presentation"])
# Web frameworks whose name a package of their glue takes (not `django`, whose ORM is its
# models', nor `aiohttp`, also an HTTP client).
WEB_FRAMEWORK_COMPONENTS = frozenset({"fastapi", "flask", "starlette", "litestar", "falcon", "sanic"})
# Web artefacts whose names are also used for persistence: `infrastructure/mappers.py`
# holding ORM mappings is not web code, so these count only outside infrastructure.
WEAK_WEB_COMPONENTS = frozenset({"dtos", "schemas", "mappers"})
# Of those, the name of modules that convert between models: entity <-> DTO is the web's,
# entity <-> ORM row is persistence (`placement` tells them apart by what they import).
MAPPER_COMPONENTS = frozenset({"mappers"})
# And the name of the data a use case takes and returns, when a feature folder keeps it
# beside its use cases (`user/dtos/` next to `user/use_cases/`): the application's.
DTO_COMPONENTS = frozenset({"dtos", "dto"})
# The composition names of a package of providers, as opposed to an entry point or settings.
PROVIDER_NAMES = frozenset(
    {"container", "containers", "dependencies", "depends", "deps", "di", "wiring", "injector"}
)
# The names of a project's configuration module: read by helpers of every layer
# (HEX103's exemption; with `constants`, what `placement` reads as configuration).
CONFIGURATION_NAMES = frozenset({"settings", "config", "configs", "configuration"})
COMPOSITION_NAMES = frozenset(
    {
        "main",
        "__main__",
        "container",
        "containers",
        "bootstrap",
        "dependencies",
        "depends",
        "deps",
        "di",
        "wiring",
        "injector",
        "settings",
        "config",
        "configs",
        "configurations",
        # Clean-architecture courses' `main/composers/`: each composer builds a controller.
        "composers",
    }
)
# Names of a composition module that are everyday nouns as packages: `infra/ioc.py` is the
# inversion-of-control container, an `ioc/` package a threat-intel feature (indicators).
COMPOSITION_MODULE_NAMES = frozenset({"ioc"})
# Packages of a composition root (Node-style clean architecture's `main/factories/`) under
# which a module that only builds and wires objects is the composition's, whatever deeper
# name it sits under (`main/factories/infra/`, `main/factories/controllers/`): see
# `placement`. Only for that content: `factories` alone names no layer.
COMPOSITION_ROOT_COMPONENTS = frozenset(
    {
        "main", "factories", "composition", "composition_root", "bootstrap", "di", "container",
        "containers", "wiring",
    }
)  # fmt: skip
DOMAIN_COMPONENTS = frozenset({"domain", "domains", *_TRANSLATIONS["domain"]})
# The plural is also the folder of the bounded contexts, each layered in packages of its own
# (`domains/users/infrastructure/` beside `domains/users/domain/`).
CONTEXT_CONTAINER_NAMES = frozenset({"domains", "dominios"})
# The infrastructure's names that say nothing else: they place a package even below such a
# folder of contexts (`repositories/` there may hold the contexts' ports).
STRONG_INFRASTRUCTURE_NAMES = frozenset(
    {"infrastructure", "infrastructures", "infra", *_TRANSLATIONS["infrastructure"]}
)
# A shared kernel holds the domain building blocks every bounded context uses (base
# entities, value objects, domain events). It is domain unless a package inside it
# names another layer: `seedwork/infrastructure/database.py` is infrastructure.
SHARED_KERNEL_COMPONENTS = frozenset(
    {"shared_kernel", "sharedkernel", "seedwork", "building_blocks", "buildingblocks"}
)
# Generic helpers kept in a shared kernel (`seedwork/utils/functional.py`, a copy of
# Django's) are no domain code: a package named so takes the kernel's modules out of it.
KERNEL_UTILITY_COMPONENTS = frozenset({"utils", "util", "helpers", "tools"})
# Clean Architecture calls its use cases interactors (`core/interactors/`, `src/interactor/`).
USE_CASE_COMPONENTS = frozenset(
    {"use_cases", "usecases", "usecase", "interactors", "interactor", *_TRANSLATIONS["use_cases"]}
)
APPLICATION_COMPONENTS = USE_CASE_COMPONENTS | {
    "application", "service_layer", "logic", "ports", *_TRANSLATIONS["application"],
}  # fmt: skip
INFRASTRUCTURE_COMPONENTS = frozenset(
    {
        "infrastructure", "infrastructures", "infra", "adapters", "persistence", "repositories",
        "repository", "repos", "db", "database", "outbound", "driven", "adapter", "impl",
        "impls", "implementation", "implementations", *_TRANSLATIONS["infrastructure"],
    }
)  # fmt: skip
# Of those, the names that place packages only: a `repository/` package holds the
# repositories, but a module named `repository.py` is as often the contract
# (`interfaces/repository.py` holding `IRepository(ABC)`, `dbs/repository.py` an abstract
# base) as an adapter, and its content judges it.
PACKAGE_ONLY_INFRASTRUCTURE_NAMES = frozenset({"repository"})
# Of those, the names of the side the core drives: a web name below them is a client's.
OUTBOUND_COMPONENTS = frozenset({"outbound", "driven"})
# Cockburn's names for the two sides, packages right below `adapters/`: the primary
# (driving) adapters are the routers and middlewares, the secondary (driven) ones the
# repositories. Elsewhere, and as a module's own name (`adapters/primary.py` beside a
# `replica.py`), `primary` is an everyday word: a primary database, a primary key.
_SIDES_BELOW_ADAPTERS = {"primary": Layer.WEB, "secondary": Layer.INFRASTRUCTURE}
_ADAPTER_PACKAGES = frozenset({"adapters", "adapter"})
# Clean Architecture's presenters shape a use case's result for the response: right below
# `adapters/` (its ring of interface adapters, package or module: `adapters/presenters/`,
# `adapters/presenter.py`), or as a package no name above places (`src/presenters/`), they
# are the web's. Below a strong infrastructure name (`infrastructure/adapters/presenters/`)
# or deeper in the adapters they may be anything (`infra/database/presenters/` turning rows
# into entities), and below the use cases the name is a port's
# (`interactor/interfaces/presenters/`, the use cases' output boundary; a port filed with
# the presenters is the application's, see `placement`).
PRESENTER_NAMES = frozenset({"presenter", "presenters"})
# The module names that, like a package's, take their layer from the package above them
# (`adapters/presenter.py`, `interface_adapters/gateway.py`).
_PLACED_LIKE_PACKAGES = _GATEWAY_COMPONENTS | PRESENTER_NAMES
# The names of the outer layers that place a package even below `domain/` (a module's own
# name, `domain/presentation.py` holding a `Presentation` entity, never does).
OUTER_NAMES_BELOW_DOMAIN: Mapping[str, Layer] = {
    "controllers": Layer.WEB,
    "presentation": Layer.WEB,
    **dict.fromkeys(_TRANSLATIONS["presentation"], Layer.WEB),
    "entrypoints": Layer.WEB,
    # Packages of wiring. (`config`, `container` are words of some businesses: a feature
    # flag service's `domain/config/`, a shipping line's `domain/container/`.)
    "configs": Layer.COMPOSITION,
    "di": Layer.COMPOSITION,
    "wiring": Layer.COMPOSITION,
    "bootstrap": Layer.COMPOSITION,
}
# The names of the application layer itself, which place it even below `domain/`.
APPLICATION_LAYER_NAMES = frozenset({"application", "service_layer", *_TRANSLATIONS["application"]})
# The names of the inner layers themselves.
INNER_LAYER_NAMES = DOMAIN_COMPONENTS | APPLICATION_LAYER_NAMES
# Module names that place a module in infrastructure only where no package name has.
DATABASE_MODULE_NAMES = frozenset({"db", "database"})
# Names that place a module only where no other name has: `cli/commands/` is the CLI's,
# `infrastructure/entities.py` holds ORM entities, but a top-level `commands/` package is
# the application's command handlers and `core/common/entities/` the domain's.
UNCLAIMED_COMPONENTS: Mapping[str, Layer] = {
    "commands": Layer.APPLICATION,
    "queries": Layer.APPLICATION,
    "entities": Layer.DOMAIN,
    "value_objects": Layer.DOMAIN,
    "aggregates": Layer.DOMAIN,
}
# The names that say a layer and nothing else. A package so named whose content shows
# another layer is misnamed (HEX105); other names (`api`, `db`, `schemas`, `config`) are
# also used for other things, and content re-places them silently.
STRONG_COMPONENTS = frozenset(
    {
        "domain", "application", "infrastructure", "infra", "web", "presentation",
        "use_cases", "usecases", "persistence", "entrypoints", *TRANSLATED_LAYER_NAMES,
    }
)  # fmt: skip


# Strong names under which teams also file the ports of what the name says, not only its
# adapters (`app/persistence/event_repository.py` holding `EventRepository(Protocol)`):
# content of ports implemented elsewhere places such a package in the application silently.
PORTS_FILED_BY_CONCERN = frozenset({"persistence"})


def detect_layer(module: str) -> Layer | None:
    """The layer SPEC §1's default patterns give a dotted module name, if any.

    The deepest matching package component wins (`app.infrastructure.web.x` is web), and
    a module's own name matching a composition name wins over every component. Below a
    `domain` or `application` package, only inner-layer names count: `domain/ports.py`,
    `domain/repositories.py` and `application/dtos.py` are where many teams keep their
    contracts, and calling them infrastructure or web would report the inner layers'
    own imports as violations. A shared kernel (`seedwork`, `shared_kernel`) is domain
    only until a package inside it names a layer, since shared kernels are often layered
    themselves, or names generic helpers (`seedwork/utils/`), which are unlayered. A
    package named like a composition root (`config/`, `di/`) makes its modules
    composition too, and a use-case name below it (`dependencies/usecases/`) names what
    its providers build.
    """
    return name_layer(module).layer


@dataclass(frozen=True, slots=True)
class NameLayer:
    """The layer a dotted name gives, and the component of the name that decides it."""

    layer: Layer | None
    component: str = ""

    @property
    def strong(self) -> bool:
        """Whether the deciding name says a layer and nothing else (`domain`, not `api`)."""
        return spelled_plainly(self.component) in STRONG_COMPONENTS


def spelled_plainly(component: str) -> str:
    """A package component as the layer names are written: `useCases` and `UseCases` read
    as `use_cases`, `Domain` as `domain` (teams coming from Java or TypeScript)."""
    if component.islower():  # nearly every name: no regular expression to run
        return component
    return _CASE_BOUNDARY.sub("_", component).lower()


_CASE_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_layer(module: str, as_package: bool = False, package_index: bool = False) -> NameLayer:
    """`detect_layer` with the deciding component; `as_package` reads the last component
    as a package's (a package named `config` is composition too, a module's name decides
    only for modules); `package_index`, whether `module` is a package's `__init__`, whose
    last name is then read as a package's (`domain/presentation/__init__.py` is the web's)."""
    written = module.split(".")
    parts = [spelled_plainly(part) for part in written]
    found: Layer | None = None
    deciding = ""
    strict = False  # whether `found` is an inner layer that outer names cannot override
    count = len(parts) if as_package else len(parts) - 1
    placed_by = ""  # the component that gave `found`
    outbound = False  # below a name of the side the core drives, while still infrastructure
    previous = ""
    for part, as_written in zip(parts[:count], written[:count], strict=True):
        before = found
        side = _side_below_adapters(previous, part, found, placed_by)
        if side is not None:
            found = side
        else:
            found, strict = _component(part, found, strict, placed_by, outbound)
        # A strong name decides when it gives its own layer (`dependencies/usecases/` is
        # decided by `dependencies`).
        if found is not before or (part in STRONG_COMPONENTS and found is _component(part, None, False)[0]):
            deciding = as_written if found is not None else ""
            placed_by = part if found is not None else ""
        # Below `adapters/outbound/` (or `adapters/secondary/`), web names are an HTTP
        # client's (see `_component`).
        outbound = found is Layer.INFRASTRUCTURE and (
            outbound
            or part in OUTBOUND_COMPONENTS
            or (side is not None and (part == "secondary" or part in _GATEWAY_COMPONENTS))
        )
        previous = part
    if as_package:
        return NameLayer(found, deciding)
    leaf = parts[-1]
    if (leaf in COMPOSITION_NAMES or leaf in COMPOSITION_MODULE_NAMES) and not strict:
        return NameLayer(Layer.COMPOSITION, written[-1])
    # `dependencies/repositories.py` provides the repositories: the providers' module, by
    # its own name, the weakest (a repository class defined there still moves it).
    if (
        found is Layer.COMPOSITION
        and placed_by in PROVIDER_NAMES
        and leaf in INFRASTRUCTURE_COMPONENTS - DATABASE_MODULE_NAMES
    ):
        return NameLayer(Layer.COMPOSITION, written[-1])
    # `api/dependencies/database.py` is web's; `core/db.py` is infrastructure.
    placed = (
        found
        if leaf in DATABASE_MODULE_NAMES and found is not None
        else (
            (package_index or leaf in _PLACED_LIKE_PACKAGES)
            and _side_below_adapters(previous, leaf, found, placed_by)
        )
        # A package's `__init__` bears the package's name, which names its layer as it
        # does its modules' (`infraestructura/__init__.py`, `domain/presentation/__init__.py`).
        or _component(leaf, found, strict, placed_by, outbound, module_name=not package_index)[0]
    )
    if placed is not found:
        deciding = written[-1] if placed is not None else ""
    return NameLayer(placed, deciding)


def _side_below_adapters(previous: str, part: str, found: Layer | None, placed_by: str) -> Layer | None:
    """The layer of `adapters/primary/` and `adapters/presenters/` (the web; the presenters
    only where `adapters` placed the name, `placed_by`) or `adapters/secondary/`
    (infrastructure), of `interface_adapters/gateways/` (infrastructure), and of the
    composition root's `main/adapters/` (the web: Clean Architecture courses keep there,
    beside `main/factories/` and `main/routes/`, what adapts the web framework's requests
    to the controllers, and the database's adapters in `infra/`); None for any other
    component."""
    if found is Layer.COMPOSITION and previous == placed_by == "main" and part in _ADAPTER_PACKAGES:
        return Layer.WEB
    if found is Layer.WEB and placed_by in _ADAPTER_PACKAGES and part in _GATEWAY_COMPONENTS:
        return Layer.INFRASTRUCTURE  # `main/adapters/gateways/`: what the core drives
    below_adapters = found is Layer.INFRASTRUCTURE or (found is Layer.WEB and placed_by in _ADAPTER_PACKAGES)
    if below_adapters and previous in _ADAPTER_PACKAGES:
        if part in PRESENTER_NAMES:
            return Layer.WEB if placed_by in _ADAPTER_PACKAGES else None
        return _SIDES_BELOW_ADAPTERS.get(part)
    if found is Layer.WEB and previous in INTERFACE_ADAPTER_COMPONENTS and part in _GATEWAY_COMPONENTS:
        return Layer.INFRASTRUCTURE
    return None


def _component(
    part: str,
    found: Layer | None,
    strict: bool,
    placed_by: str = "",
    outbound: bool = False,
    module_name: bool = False,
) -> tuple[Layer | None, bool]:
    """The layer after reading one more package component of a module name (`placed_by` is
    the component that gave `found`; `outbound`, whether an infrastructure name of the
    side the core drives, `outbound` or `driven`, came before it; `module_name`, whether
    `part` is the module's own name rather than a package's)."""
    if found is None and part in UNCLAIMED_COMPONENTS:
        return UNCLAIMED_COMPONENTS[part], False
    # The Spanish and Portuguese names are also everyday nouns (a product's `presentacion`,
    # the app itself for `aplicacion`): they name packages of layers, not modules.
    if module_name and part in TRANSLATED_LAYER_NAMES:
        return found, strict
    if part in DOMAIN_COMPONENTS:
        return Layer.DOMAIN, True
    # `dependencies/usecases/` holds the providers that build the use cases, not use cases;
    # `main/use_cases/` (a Django app called `main`) or `config/usecases/` hold use cases.
    if found is Layer.COMPOSITION and placed_by in PROVIDER_NAMES and part in USE_CASE_COMPONENTS:
        return found, strict
    if part in APPLICATION_COMPONENTS and not (strict and found is Layer.DOMAIN):
        return Layer.APPLICATION, True
    # `domain/usecases/` and `domain/users/application/` (an enterprise/application split
    # inside each context) hold use cases all the same; `domain/ports/` stays the domain's,
    # and so does an entity's module named `application.py`.
    if part in USE_CASE_COMPONENTS or (part in APPLICATION_LAYER_NAMES and not module_name):
        return Layer.APPLICATION, True
    # The web's and the composition's own names below `domain/` (a `domain/` holding the
    # whole core, `domain/adapters/controllers/` and `domain/configs/` beside the
    # entities): the most specific name wins. Infrastructure names stay the domain's, for
    # content to judge (an adapter nested in `domain/` is a HEX105), and persistence
    # names (`domain/repositories/`) hold the ports kept there.
    below = OUTER_NAMES_BELOW_DOMAIN.get(part)
    if found is Layer.DOMAIN and below is not None and not module_name:
        return below, False
    if (
        found is Layer.DOMAIN
        and placed_by in CONTEXT_CONTAINER_NAMES
        and part in STRONG_INFRASTRUCTURE_NAMES
        and not module_name
    ):
        return Layer.INFRASTRUCTURE, False
    if strict:
        return found, strict
    if part in SHARED_KERNEL_COMPONENTS:
        return Layer.DOMAIN, False
    # A package of presenters that no name above places (`src/presenters/` beside `data/`,
    # `infra/` and `main/`: the controllers and their HTTP helpers of Clean Architecture
    # courses) is the ring of interface adapters, the web's. Below a layer's name it takes
    # that layer's (`interactor/interfaces/presenters/` holds the use cases' output ports).
    if part in PRESENTER_NAMES and found is None and not module_name:
        return Layer.WEB, False
    if part in KERNEL_UTILITY_COMPONENTS and found is Layer.DOMAIN:  # in a shared kernel
        return None, False
    # `adapters/outbound/http/` is the HTTP client the core is driven towards, no web.
    if part in WEB_COMPONENTS and not outbound:
        return Layer.WEB, False
    # A package named for a web framework below an infrastructure name (`infra/fastapi/`,
    # `infrastructure/api_servers/fastapi_/`) holds that framework's glue: the web's, kept
    # with the adapters. A module so named (`adapters/fastapi.py`) may configure the app and
    # stays with its package; a top-level `flask/` may be the whole framework side, wiring
    # and all, for content to judge.
    if (
        found is Layer.INFRASTRUCTURE
        and part.rstrip("_") in WEB_FRAMEWORK_COMPONENTS
        and not (outbound or module_name)
    ):
        return Layer.WEB, False
    if part in WEAK_WEB_COMPONENTS and found is not Layer.INFRASTRUCTURE:
        return Layer.WEB, False
    if part in INFRASTRUCTURE_COMPONENTS and not (module_name and part in PACKAGE_ONLY_INFRASTRUCTURE_NAMES):
        return Layer.INFRASTRUCTURE, False
    if part in COMPOSITION_NAMES:
        return Layer.COMPOSITION, False
    return found, strict


@lru_cache(maxsize=512)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """`a.*.c` matches one component for `*`, any number for `**`; descendants match too."""
    pieces = []
    for part in pattern.split("."):
        if part == "**":
            pieces.append(r"[^.]+(?:\.[^.]+)*")
        else:
            pieces.append(re.escape(part).replace(r"\*", "[^.]*"))
    return re.compile(r"\.".join(pieces) + r"(?:\..+)?\Z")


def pattern_matches(pattern: str, module: str) -> bool:
    """Whether a module pattern from the configuration covers `module`."""
    return _pattern_regex(pattern).match(module) is not None


def specificity(pattern: str) -> tuple[int, int]:
    parts = pattern.split(".")
    return (sum(1 for p in parts if "*" not in p), len(parts))


@dataclass(frozen=True, slots=True)
class LayerMap:
    """Places modules in layers: configured patterns first, then the defaults.

    `patterns` maps each layer to module patterns; among configured patterns that match,
    the most specific wins (most literal components, then most components).
    `use_defaults` turns the built-in detection on or off.
    """

    patterns: tuple[tuple[Layer, tuple[str, ...]], ...] = ()
    use_defaults: bool = True

    @classmethod
    def from_mapping(cls, patterns: Mapping[Layer, Iterable[str]], use_defaults: bool = True) -> LayerMap:
        return cls(
            tuple((layer, tuple(patterns[layer])) for layer in LAYERS if layer in patterns),
            use_defaults,
        )

    def layer_of(self, module: str) -> Layer | None:
        configured = self.configured(module)
        if configured is not None:
            return configured
        return detect_layer(module) if self.use_defaults else None

    def declares_configuration(self, module: str) -> bool:
        """Names alone never show that a module only declares configuration."""
        return False

    def wires_nothing(self, module: str) -> bool:
        """Names alone never show what a module builds."""
        return False

    def only_injects(self, module: str, functions: Sequence[str]) -> bool:
        """Names alone never show how a module uses what it imports."""
        return False

    def is_an_adapter(self, module: str) -> bool:
        """Names alone never show what a module does: take it for an adapter."""
        return True

    def configured(self, module: str) -> Layer | None:
        """The layer the configured patterns give `module`, if one matches."""
        best: tuple[tuple[int, int], Layer] | None = None
        for layer, layer_patterns in self.patterns:
            for pattern in layer_patterns:
                if pattern_matches(pattern, module):
                    rank = specificity(pattern)
                    if best is None or rank > best[0]:
                        best = (rank, layer)
        return best[1] if best is not None else None
