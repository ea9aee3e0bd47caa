"""Layers from evidence (SPEC §1 "Layer detection", issue 18): what a package holds
places it when its name says otherwise, on fixtures/misnamed_layers."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

import hexcheck
from hexcheck.core.config import Config
from hexcheck.core.layers import Layer, LayerMap, detect_layer, name_layer
from tests.conftest import FIXTURES, copy_fixture, write_project

PROJECT = FIXTURES / "misnamed_layers"
API = "app/application/api/"


# Cached: several tests read the same fixture, which no test edits (an edited copy is a new
# tmp_path). Callers only read the results.
@functools.cache
def _strict_findings(project: Path) -> list[tuple[str, int, str]]:
    """(path, line, code) of each finding of a strict check run in `project`, in report order."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        report = hexcheck.check(["."], Config(preset="strict"))
    return [(f.location.path, f.location.line, f.code) for f in report.findings]


@pytest.fixture(scope="module")
def findings() -> list[tuple[str, int, str]]:
    return sorted(_strict_findings(PROJECT))


@functools.cache
def _graph_layers(project: Path) -> dict[str, str | None]:
    """Each module's layer as `hexcheck graph --format json` prints it for `project`."""
    out = subprocess.run(
        [sys.executable, "-m", "hexcheck", "graph", "--format", "json", str(project)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {module["name"]: module.get("layer") for module in json.loads(out)["modules"]}


@pytest.fixture(scope="module")
def graph_layers() -> dict[str, str | None]:
    return _graph_layers(PROJECT)


def test_use_cases_that_import_a_session_keep_their_package_in_the_application(
    findings: list[tuple[str, int, str]],
) -> None:
    package = "app/notifications/application/"
    in_package = {(f[0].removeprefix(package), f[2]) for f in findings if f[0].startswith(package)}
    assert in_package == {
        ("notify_overdue.py", "HEX102"),
        ("notify_overdue.py", "HEX403"),
        ("notify_reserved.py", "HEX102"),
        ("notify_reserved.py", "HEX403"),
    }


def test_an_adapters_abstract_base_beside_an_orm_is_no_port(findings: list[tuple[str, int, str]]) -> None:
    assert not [f for f in findings if f[0] == "app/adapter/sql_base.py"]


def test_a_web_layer_named_application_is_one_hex105_and_checked_as_web(
    findings: list[tuple[str, int, str]],
) -> None:
    in_api = [f for f in findings if f[0].startswith(API)]
    hex105 = [f for f in findings if f[2] == "HEX105" and f[0].startswith(API)]
    assert hex105 == [(API + "__init__.py", 1, "HEX105")]
    assert not [f for f in in_api if f[2] in ("HEX102", "HEX606")]
    assert (API + "books.py", 27, "HEX601") in in_api  # the seeded fat handler
    assert (API + "books.py", 53, "HEX602") in in_api  # the seeded direct Mongo call
    # The application use case importing the API's schemas depends on the web layer.
    assert ("app/application/use_cases/list_authors.py", 1, "HEX101") in findings


def test_settings_only_configuration_is_read_by_the_application_but_not_by_the_domain(
    findings: list[tuple[str, int, str]],
) -> None:
    renew = "app/application/use_cases/renew_loan.py"
    # `app.core.config` declares settings only: the use case may read it (line 1); the
    # `app.core.dependencies` that builds a client from it is the composition root's (line 2).
    assert [f for f in findings if f[0] == renew] == [(renew, 2, "HEX101")]
    assert ("app/domain/loan_policy.py", 1, "HEX101") in findings


def test_a_use_case_calling_a_core_helper_that_signs_tokens_imports_an_adapter(
    findings: list[tuple[str, int, str]],
) -> None:
    # `app/core/tokens.py` calls PyJWT: infrastructure, which the application may not import.
    issue = "app/application/use_cases/issue_token.py"
    assert [f for f in findings if f[0] == issue] == [(issue, 1, "HEX101")]
    # The FastAPI dependency over python-jose is the web's: its HTTPException is no HEX606.
    assert not [f for f in findings if f[0].startswith("app/core/") and f[0] != "app/core/db.py"]


def test_a_use_case_catching_errors_named_for_the_database_imports_no_adapter(
    findings: list[tuple[str, int, str]],
) -> None:
    assert not [f for f in findings if f[0] in ("app/application/use_cases/count_copies.py",)]
    assert not [f for f in findings if f[0].startswith("app/shared/")]


def test_graph_gives_each_module_the_layer_its_evidence_shows(graph_layers: dict[str, str | None]) -> None:
    expected = {
        "app.application.api.books": "web",
        "app.application.api.schemas": "web",
        "app.application.api.authors": "web",
        "app.application.api.dependencies": "composition",  # a DI module, as in `web/`
        "app.application.use_cases.get_book": "application",
        "app.domain.adapters.mongo_books": "infrastructure",
        "app.domain.book": "domain",
        "app.infrastructure.db.mappers.author_mapper": "infrastructure",
        "app.contracts.gateways": "application",  # unnamed package of ports
        "app.contracts.repositories.books": "application",  # ports under an infrastructure name
        "app.core.config": "composition",  # a mixed core/, module by module
        "app.core.dependencies": "composition",
        # Errors about the database, in a package of errors: not an adapter by their name.
        "app.shared.exceptions.database": None,
        "app.application.use_cases.count_copies": "application",
        "app.core.db": "infrastructure",
        "app.core.security": None,  # the standard library's hashlib wraps no service
        # Helpers of a shared `core/` that call a token library: an adapter of it, or the
        # web's when it is also a FastAPI dependency.
        "app.core.tokens": "infrastructure",
        "app.core.current_reader": "web",
        "app.settings": "infrastructure",  # a settings module of ORM models
        # Use cases that import a Session are use cases: what a module defines outweighs
        # what it imports, so the package keeps its name.
        "app.notifications.application.notify_overdue": "application",
        "app.notifications.application.mailer": "application",
        # An abstract base with behaviour beside SQLAlchemy is the adapters', not a port.
        "app.adapter.sql_base": "infrastructure",
        # A weak name re-placed by its port; its `rest/` keeps its own name's layer.
        "app.loans.adapter.gateway": "application",
        "app.loans.adapter.rest.loans": "web",
        # Mappers between entities and ORM rows are persistence, whatever `mappers/` says.
        "app.stock.mappers.copy_mapper": "infrastructure",
        "app.stock.mappers.copy_out": "web",  # a mapper to the API's response model
        "app.stock.mappers.copy_answer": "web",  # ORM row to the API schema it imports
        # DTOs kept beside the use cases of their feature folder are the use cases'.
        "app.stock.dtos.restock": "application",
        "app.stock.use_cases.restock": "application",
        # The module that builds the app is the composition root, under `http/` too.
        "app.stock.http.app": "composition",
        "app.stock.http.serve": "composition",  # `app = create_stock_app()`: no router
        # Providers of the use cases under `dependencies/usecases/`, and an `injector/`.
        "app.stock.dependencies.usecases.restock": "composition",
        "app.stock.injector.bus": "composition",
        # An unnamed module that builds the DI container is the composition root.
        "app.stock.registry": "composition",
    }
    assert {module: graph_layers.get(module) for module in expected} == expected


def test_a_feature_folder_s_mappers_dtos_app_factory_and_providers_raise_nothing(
    findings: list[tuple[str, int, str]],
) -> None:
    # Without their placement: HEX101 web -> infrastructure (the mapper, the app factory),
    # infrastructure -> web (the SQL module using the mapper), application -> web (the use
    # case taking its DTO), HEX102 fastapi and HEX606 in `dependencies/usecases/`. A mapper
    # that imports the web's answer model stays web, so its read of an ORM row is reported.
    assert [f for f in findings if f[0].startswith("app/stock/")] == [
        ("app/stock/mappers/copy_answer.py", 2, "HEX101")
    ]


def test_abstract_bases_the_domain_extends_are_the_domain_s_and_a_port_it_imports_is_not(
    findings: list[tuple[str, int, str]], graph_layers: dict[str, str | None]
) -> None:
    # `core/repositories/` is an infrastructure name that its ports re-place into the
    # application; the generic base the domain's repository port derives from is the domain's.
    assert graph_layers["app.core.repositories.base_repository"] == "domain"
    assert graph_layers["app.core.clock"] == "application"
    members = [f for f in findings if f[0].startswith("app/members/")]
    assert members == [("app/members/domain/membership.py", 1, "HEX101")]


def test_a_shared_library_s_classes_and_errors_are_no_domain(
    findings: list[tuple[str, int, str]], graph_layers: dict[str, str | None]
) -> None:
    # `app/shared/cache/lock.py` holds an error, a config dataclass and a lock class: entities
    # and domain exceptions by their look, a cache's helpers by where they are kept. As
    # domain, its dataclass would be a HEX201 and its unmapped error a HEX605.
    assert graph_layers["app.shared.cache.lock"] is None
    assert not [f for f in findings if f[0].startswith("app/shared/")]


def test_configured_patterns_come_before_evidence() -> None:
    config = Config(layers=LayerMap.from_mapping({Layer.APPLICATION: ["app.application"]}))
    report = hexcheck.check([str(PROJECT)], config)
    codes = {(f.location.path.partition("app/")[2], f.code) for f in report.findings}
    assert ("application/api/books.py", "HEX102") in codes
    assert ("application/api/__init__.py", "HEX105") not in codes
    assert ("domain/adapters/__init__.py", "HEX105") in codes


@pytest.mark.parametrize(
    ("module", "layer", "strong"),
    [
        ("app.application.api.books", Layer.APPLICATION, True),
        ("app.api.clients.rates", Layer.WEB, False),
        ("app.repos.books", Layer.INFRASTRUCTURE, False),
        ("app.db.session", Layer.INFRASTRUCTURE, False),
        ("app.commands.create_book", Layer.APPLICATION, False),
        ("app.cli.commands.create_book", Layer.WEB, False),
        ("app.core.common.entities.book", Layer.DOMAIN, False),
        ("app.infrastructure.entities", Layer.INFRASTRUCTURE, True),
        ("app.infrastructure.db.mappers.book", Layer.INFRASTRUCTURE, True),
        ("app.services.books", None, False),
        ("app.orders.entrypoint.http_api", Layer.WEB, False),
        ("app.orders.adapter.sql", Layer.INFRASTRUCTURE, False),
        ("app.api.dependencies.usecases.books", Layer.COMPOSITION, False),
        ("app.di.use_cases", Layer.COMPOSITION, False),
        ("app.todo.injector.bus", Layer.COMPOSITION, False),
        ("app.use_cases.dependencies", Layer.APPLICATION, True),
        # Only a package of providers names what it builds: a Django app called `main`
        # or a `config/` package keep their use cases.
        ("app.main.use_cases.create_user", Layer.APPLICATION, True),
        ("app.config.usecases.load", Layer.APPLICATION, True),
        ("app.di.providers.usecase", Layer.COMPOSITION, False),
        # A package of configurations, as `config/` is (`core/configurations/environment/`).
        ("app.configs.llm_config", Layer.COMPOSITION, False),
        ("src.core.configurations.environment", Layer.COMPOSITION, False),
        # Clean Architecture's ring of interface adapters holds its controllers (a weak
        # name, which content may overrule), and its gateways, the driven side's.
        ("src.interface_adapter.signup_controller", Layer.WEB, False),
        ("src.interface_adapters.presenters.plant_presenter", Layer.WEB, False),
        ("src.interface_adapters.gateways.sql_user_gateway", Layer.INFRASTRUCTURE, False),
        ("src.interface_adapters.gateways.http.session", Layer.INFRASTRUCTURE, False),
        ("src.interface_adapters.gateway", Layer.INFRASTRUCTURE, False),
        # Presenters right below `adapters/` are that ring's too: the web's, and so is a
        # package of presenters no name above places. Deeper in the adapters, or below
        # another layer's name (a port of presenters below the interactors), the name
        # places nothing itself.
        ("app.adapters.presenters.cliente_presenter", Layer.WEB, False),
        ("app.clients.adapters.presenter", Layer.WEB, False),
        ("src.presenters.helpers.http_models", Layer.WEB, False),
        ("bot.app.presenters.profile", Layer.WEB, False),
        ("src.presenters", None, False),
        ("api.src.infra.database.postgre.presenters.user_presenter", Layer.INFRASTRUCTURE, True),
        ("app.infrastructure.adapters.presenters.client_presenter", Layer.INFRASTRUCTURE, True),
        ("src.interactor.interfaces.presenters.account_presenter", Layer.APPLICATION, False),
        # The composition root's `main/adapters/` adapts the framework's requests: the web's.
        # Elsewhere `adapters/` and a module named `adapter` stay infrastructure.
        ("src.main.adapter.api_adapter", Layer.WEB, False),
        ("src.main.adapters.request_adapter", Layer.WEB, False),
        ("src.main.adapter", Layer.INFRASTRUCTURE, False),
        ("src.infra.adapters.sql_repository", Layer.INFRASTRUCTURE, True),
        # Only right below `main/`, and the driven side below it stays the infrastructure's.
        ("main.users.adapters.sql_repo", Layer.INFRASTRUCTURE, False),
        ("src.main.factories.adapters.pg", Layer.INFRASTRUCTURE, False),
        ("src.main.adapters.secondary.pg", Layer.INFRASTRUCTURE, False),
        ("src.main.adapters.gateways.payments", Layer.INFRASTRUCTURE, False),
        ("src.main.adapters.driven.pg", Layer.INFRASTRUCTURE, False),
        # `domains/` holds the bounded contexts, each with layer packages of its own; below
        # a singular `domain/`, an infrastructure name is left for content to judge.
        ("app.domains.users.infrastructure.repositories.user", Layer.INFRASTRUCTURE, True),
        ("app.domains.users.infrastructure.dependencies.user", Layer.COMPOSITION, False),
        ("app.domains.users.repositories", Layer.DOMAIN, False),
        ("app.domain.users.infrastructure.repositories.user", Layer.DOMAIN, True),
    ],
)
def test_names_and_their_strength(module: str, layer: Layer | None, strong: bool) -> None:
    assert detect_layer(module) is layer
    assert name_layer(module).strong is strong


def test_same_input_same_layers(tmp_path: Path) -> None:
    first = hexcheck.check([str(PROJECT)], Config())
    second = hexcheck.check([str(PROJECT)], Config())
    assert first.layer_graph == second.layer_graph


def test_init_prints_one_line_a_package_with_its_evidence_and_contradiction() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hexcheck", "init", str(PROJECT)], capture_output=True, text=True, check=True
    ).stdout
    packages = out.split("Packages (layer: name, content evidence):\n", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in packages.splitlines() if not line.startswith("      ")]
    assert [line.split(":", 1)[0].strip() for line in lines] == [
        "app",
        "app.adapter",
        "app.application",
        "app.application.api",
        "app.application.use_cases",
        "app.contracts",
        "app.contracts.repositories",
        "app.core",
        "app.core.repositories",
        "app.domain",
        "app.domain.adapters",
        "app.infrastructure",
        "app.infrastructure.db",
        "app.infrastructure.db.mappers",
        "app.infrastructure.http",
        "app.loans",
        "app.loans.adapter",
        "app.loans.adapter.rest",
        "app.members",
        "app.members.adapters",
        "app.members.domain",
        "app.notifications",
        "app.notifications.application",
        "app.shared",
        "app.shared.cache",
        "app.shared.exceptions",
        "app.stock",
        "app.stock.api",
        "app.stock.dependencies",
        "app.stock.dependencies.usecases",
        "app.stock.dtos",
        "app.stock.http",
        "app.stock.infra",
        "app.stock.injector",
        "app.stock.mappers",
        "app.stock.use_cases",
    ]
    flat = " ".join(packages.split())
    assert (
        "app.application.api: web; named application (`application`); web content: HTTP exceptions, "
        "request/response models, route handlers, routers (3 of 4 modules); contradicts its name: "
        "checked as web (HEX105)" in flat
    )
    assert "app.contracts.repositories: application; named infrastructure (`repositories`)" in flat
    assert "weak name, checked as application" in flat
    # A line never claims a layer its modules are not checked as: the package's own modules
    # placed by what they do give it their layer, or it is mixed.
    assert (
        "app.stock.dtos: application; named web (`dtos`); no layer's content dominates (modules "
        "placed one by one); its modules are checked as application, each by what it does" in flat
    )
    assert (
        "app.stock.mappers: mixed; named web (`mappers`); no layer's content dominates (modules "
        "placed one by one); its modules are checked as 1 infrastructure, 2 web, each by its own "
        "evidence" in flat
    )
    assert "app.stock.http: composition; named web (`http`)" in flat
    assert "app.application.api: web;" in flat  # `dependencies.py` there is placed by its name


def test_a_layer_edge_of_configuration_reads_only_is_no_violation() -> None:
    # bookstore_violations' only application -> composition import reads `app.config`.
    graph = hexcheck.check([str(FIXTURES / "bookstore_violations")], Config()).layer_graph
    edge = graph.edge(Layer.APPLICATION, Layer.COMPOSITION)
    assert edge is not None and edge.imports >= 1 and not edge.violation


WIRING = FIXTURES / "factory_wiring"


def test_factories_below_a_composition_root_are_composition_whatever_name_is_deeper() -> None:
    """Issue 18: `main/factories/infra/` and `main/factories/controllers/` (Node-style clean
    architecture) hold modules that only build and wire objects: the composition root's."""
    assert _strict_findings(WIRING) == [
        # A module that holds a driver-backed adapter of its own is no factory.
        ("vending/main/routes/machine.py", 6, "HEX101")
    ]
    layers = _graph_layers(WIRING)
    assert {name: layer for name, layer in layers.items() if name.startswith("vending.main.")} == {
        "vending.main.app": "composition",
        "vending.main.factories": "composition",
        "vending.main.factories.controllers": "composition",  # an empty __init__ of factories
        "vending.main.factories.controllers.machine": "composition",
        "vending.main.factories.infra": "infrastructure",  # it holds the probe too
        "vending.main.factories.infra.database": "composition",
        "vending.main.factories.infra.health": "infrastructure",
        "vending.main.routes": "web",
        "vending.main.routes.machine": "web",
    }


DJANGO_COMMANDS = FIXTURES / "django_commands"


def test_django_management_commands_are_entry_points_and_cqrs_commands_stay_application() -> None:
    """Issue 18: `app/management/commands/` holds Django's `manage.py` subcommands, entry
    points of the process as `manage.py` is (the composition root's), not the application's
    CQRS commands that `commands` names elsewhere."""
    # Neither their django imports, nor their imports of the composition root, nor a
    # seeding command's import of the ORM's models are reported; the CQRS handler that
    # imports django is.
    assert [f for f in _strict_findings(DJANGO_COMMANDS) if ".commands." in f[0].replace("/", ".")] == [
        ("lending/application/commands/return_book.py", 3, "HEX102")
    ]
    layers = _graph_layers(DJANGO_COMMANDS)
    assert {name: layer for name, layer in layers.items() if ".commands." in name} == {
        "app.management.commands._arguments": "composition",  # raises `CommandError` for them
        "app.management.commands.changepassword": "composition",  # re-exports Django's own
        "app.management.commands.purge_returned": "composition",  # deletes rows through the ORM
        "app.management.commands.return_book": "composition",  # through the project's base command
        "app.management.commands.seed": "composition",  # a `BaseCommand`
        "lending.application.commands.lend_book": "application",
        "lending.application.commands.return_book": "application",
    }


def test_django_s_entry_points_are_the_composition_root_whatever_their_name() -> None:
    """Issue 18 (tuning jacob-y/django-clean-architecture, qu3vipon/django-ddd): `manage.py`
    runs Django's commands and `deploy/asgi.py` builds the ASGI application, both under no
    layer's name: the composition root, as `app = FastAPI()` is. The strict check of the
    project reports nothing in either."""
    layers = _graph_layers(DJANGO_COMMANDS)
    assert {name: layers[name] for name in ("manage", "deploy.asgi", "config.settings")} == {
        "manage": "composition",
        "deploy.asgi": "composition",
        "config.settings": "composition",
    }
    assert [f for f in _strict_findings(DJANGO_COMMANDS) if f[0] in ("manage.py", "deploy/asgi.py")] == []


def test_the_root_urlconf_the_settings_name_is_the_composition_root_s() -> None:
    """Issue 18 (tuning: 21 root URLconfs under no layer's name, labelled composition):
    `library/urls.py`, which `ROOT_URLCONF` names, puts the apps' URLs together as an app
    factory includes the routers; an app's own `api/urls.py` routes to its views and stays
    the web's."""
    layers = _graph_layers(DJANGO_COMMANDS)
    assert {name: layers[name] for name in ("library.urls", "app.api.urls")} == {
        "library.urls": "composition",
        "app.api.urls": "web",
    }
    assert [f for f in _strict_findings(DJANGO_COMMANDS) if "urls" in f[0]] == []


def test_the_root_urlconf_is_found_where_config_is_an_import_root_of_its_own(tmp_path: Path) -> None:
    """Read with `config/` as an import root of its own, `config/urls.py` is the module
    `urls`, and the settings' `ROOT_URLCONF = "config.urls"` still names it: the leading
    `config` is the root's own name. The shop app's `urls.py` is named by no setting and is
    no composition root."""
    write_project(
        tmp_path,
        """\
# file: pyproject.toml
[tool.hexcheck]
source-roots = ["config", "."]
# file: config/settings.py
ROOT_URLCONF = "config.urls"
INSTALLED_APPS = ["shop"]
# file: config/urls.py
from django.urls import include, path

urlpatterns = [path("shop/", include("shop.urls"))]
# file: shop/__init__.py
# file: shop/urls.py
from django.urls import path

from shop.views import ProductList

urlpatterns = [path("products/", ProductList.as_view())]
# file: shop/views.py
from django.http import JsonResponse
from django.views import View


class ProductList(View):
    def get(self, request):
        return JsonResponse({"products": []})
""",
    )
    layers = _graph_layers(tmp_path)
    assert layers["urls"] == "composition"
    assert layers["shop.urls"] == "web"


COMPOSERS = FIXTURES / "composers_flask"


def test_composers_and_a_flask_app_factory_are_composition_whatever_package_holds_them() -> None:
    """Issue 18 (tuning everthefullstack/python-clean-arch, CamiloAndresGTRUniandes/python-ddd):
    `presentation/composers/` builds the controller on its use case and adapter, and
    `api/__init__.py` builds the Flask app and registers the blueprint: the composition
    root's, so their imports of the infrastructure are not reported; the controller's is."""
    assert _strict_findings(COMPOSERS) == [
        # A one-file Flask service registers no blueprint: its routes are its own.
        ("shop/api/status.py", 3, "HEX101"),
        ("shop/presentation/controllers/place_order.py", 2, "HEX101"),
    ]
    layers = _graph_layers(COMPOSERS)
    assert {
        name: layers[name]
        for name in (
            "shop.api",
            "shop.api.orders",
            "shop.api.status",
            "shop.presentation.composers.place_order_composer",
            "shop.presentation.controllers.place_order",
        )
    } == {
        "shop.api": "composition",  # Flask(__name__) and register_blueprint: the app factory
        "shop.api.orders": "web",
        "shop.api.status": "web",
        "shop.presentation.composers.place_order_composer": "composition",
        "shop.presentation.controllers.place_order": "web",
    }


def test_http_code_filed_under_infrastructure_is_the_web_s_when_only_the_web_uses_it() -> None:
    """Issue 18: DRF serializers and a DRF `Response` kept in `lending/infrastructure/`, which
    only the view `app/api/loans.py` imports, are web code: the view importing them imports
    the web. The ModelSerializer over the ORM's models and the Django repository, which the
    view imports too, touch the database and stay infrastructure."""
    view = "app/api/loans.py"
    assert [f for f in _strict_findings(DJANGO_COMMANDS) if f[0] == view] == [
        (view, 5, "HEX101"),  # lending.infrastructure.record_serializers
        (view, 6, "HEX101"),  # lending.infrastructure.repositories
    ]
    layers = _graph_layers(DJANGO_COMMANDS)
    assert {name: layer for name, layer in layers.items() if name.startswith("lending.infrastructure")} == {
        "lending.infrastructure": "infrastructure",
        "lending.infrastructure.models": "infrastructure",
        "lending.infrastructure.record_serializers": "infrastructure",
        "lending.infrastructure.repositories": "infrastructure",
        "lending.infrastructure.responses": "web",
        "lending.infrastructure.serializers": "web",
        "lending.infrastructure.serializers.loan_serializer": "web",
        # Imported by no one yet: it goes with its package, which only the web uses.
        "lending.infrastructure.serializers.return_serializer": "web",
    }


def test_imports_of_a_script_block_are_no_dependency_of_the_module(tmp_path: Path) -> None:
    """`lend_book.py` sets Django up and builds its handler on the Django repository in its
    `if __name__ == "__main__":` block, to be tried by hand: the block never runs when the
    module is imported, so neither import there is the handler's dependency."""
    handler = "lending/application/commands/lend_book.py"
    assert [f for f in _strict_findings(DJANGO_COMMANDS) if f[0] == handler] == []
    # The same block run on import (`if True:`) is the module's: both imports are reported.
    project = tmp_path / "django_commands"
    copy_fixture(DJANGO_COMMANDS, project)
    source = (project / handler).read_text(encoding="utf-8")
    (project / handler).write_text(source.replace('if __name__ == "__main__":', "if True:"), encoding="utf-8")
    assert [f for f in _strict_findings(project) if f[0] == handler] == [
        (handler, 30, "HEX102"),  # import django
        (handler, 34, "HEX101"),  # from lending.infrastructure.repositories import ...
    ]


def test_a_folder_of_bounded_contexts_lets_each_context_name_its_layers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `app/domains/orders/{domain,application,infrastructure,presentation}/`: the route's
    # provider in `infrastructure/dependencies/` is the composition's, not the domain's, and
    # the domain's import of the context's infrastructure is still reported.
    project = FIXTURES / "layouts" / "context_folders"
    monkeypatch.chdir(project)
    report = hexcheck.check(["."], Config(preset="strict"))
    context = "app/domains/orders/"
    assert {(f.location.path.removeprefix(context), f.location.line, f.code) for f in report.findings} == {
        ("domain/order.py", 7, "HEX101"),
        ("domain/order.py", 11, "HEX201"),
        ("presentation/routes.py", 25, "HEX607"),
    }
    layers = _graph_layers(project)
    assert layers["app.domains.orders.infrastructure.dependencies.orders"] == "composition"
    assert layers["app.domains.orders.infrastructure.persistence.sql_order_repository"] == "infrastructure"
    assert layers["app.domains.orders.domain.repository"] == "domain"


def test_dishka_providers_are_the_composition_s_whatever_their_module_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `entrypoint/ioc/adapters.py` and `interactors.py` hold dishka `Provider`s: what fills
    # the container, not an adapter nor a use case; the registry importing them is no
    # violation, and the real findings of the project stay. `storage/minio_files.py` is an
    # adapter with its provider beside it: still the adapter, its import of the web reported.
    project = FIXTURES / "layouts" / "ioc_providers"
    monkeypatch.chdir(project)
    report = hexcheck.check(["."])
    assert {(f.location.path, f.location.line, f.code) for f in report.findings} == {
        ("src/tutor/application/find_task.py", 5, "HEX605"),
        ("src/tutor/domain/task.py", 11, "HEX203"),
        ("src/tutor/storage/minio_files.py", 7, "HEX101"),
        ("src/tutor/storage/minio_files.py", 10, "HEX504"),
    }
    layers = _graph_layers(project)
    assert layers["tutor.entrypoint.ioc.adapters"] == "composition"
    assert layers["tutor.entrypoint.ioc.interactors"] == "composition"
    assert layers["tutor.infrastructure.sqla_tasks"] == "infrastructure"
    assert layers["tutor.storage.minio_files"] == "infrastructure"


def test_an_empty_init_goes_with_the_one_layer_of_its_unnamed_package(tmp_path: Path) -> None:
    """Issue 18: `interfaces/` names no layer; its modules are ports, placed in the
    application by what they hold, and its empty `__init__` (a comment, no code) goes with
    them, as does `auth/gateways/`'s with its adapters. `auth/` holds both, so its own
    `__init__` stays unplaced, as does `storage/`'s, whose ports sit beside an adapter in a
    folder without an `__init__`; and a package with an unplaced module keeps its
    `__init__` unplaced (`helpers/`)."""
    write_project(
        tmp_path,
        """\
# file: app/modules/auth/__init__.py
# file: app/modules/auth/domain/__init__.py
# file: app/modules/auth/domain/credentials.py
from dataclasses import dataclass


@dataclass
class Credentials:
    username: str
    hashed_password: str

    def __post_init__(self) -> None:
        if not self.username:
            raise ValueError("a username is required")
# file: app/modules/auth/interfaces/__init__.py
# Auth interfaces
# file: app/modules/auth/interfaces/auth_repository.py
from abc import ABC, abstractmethod

from app.modules.auth.domain.credentials import Credentials


class AuthRepositoryInterface(ABC):
    @abstractmethod
    async def get_by_username(self, username: str) -> Credentials | None: ...

    @abstractmethod
    async def create(self, credentials: Credentials) -> Credentials: ...
# file: app/modules/auth/interfaces/token_store.py
from typing import Protocol


class TokenStore(Protocol):
    async def save(self, username: str, token: str) -> None: ...

    async def find(self, token: str) -> str | None: ...
# file: app/modules/auth/gateways/__init__.py
# file: app/modules/auth/gateways/sql_auth_repository.py
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.modules.auth.domain.credentials import Credentials
from app.modules.auth.interfaces.auth_repository import AuthRepositoryInterface


class SqlAuthRepository(AuthRepositoryInterface):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_by_username(self, username: str) -> Credentials | None:
        return await self._session.scalar(select(Credentials).where(Credentials.username == username))

    async def create(self, credentials: Credentials) -> Credentials:
        self._session.add(credentials)
        await self._session.flush()
        return credentials
# file: app/modules/auth/gateways/redis_token_store.py
from redis.asyncio import Redis

from app.modules.auth.interfaces.token_store import TokenStore


class RedisTokenStore(TokenStore):
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def save(self, username: str, token: str) -> None:
        await self._redis.set(token, username)

    async def find(self, token: str) -> str | None:
        return await self._redis.get(token)
# file: app/storage/__init__.py
from app.storage.ports import UserStore

__all__ = ["UserStore"]
# file: app/storage/ports.py
from typing import Protocol


class UserStore(Protocol):
    def add(self, username: str) -> None: ...

    def exists(self, username: str) -> bool: ...
# file: app/storage/sql/user_store.py
import sqlite3


class SqlUserStore:
    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path)

    def add(self, username: str) -> None:
        self._db.execute("INSERT INTO users VALUES (?)", (username,))

    def exists(self, username: str) -> bool:
        return self._db.execute("SELECT 1 FROM users WHERE name = ?", (username,)).fetchone() is not None
# file: app/helpers/__init__.py
# file: app/helpers/clock.py
from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
""",
    )
    layers = _graph_layers(tmp_path)
    assert layers["app.modules.auth.interfaces.auth_repository"] == "application"
    assert layers["app.modules.auth.interfaces.token_store"] == "application"
    assert layers["app.modules.auth.interfaces"] == "application"
    assert layers["app.modules.auth.gateways.sql_auth_repository"] == "infrastructure"
    assert layers["app.modules.auth.gateways"] == "infrastructure"
    assert layers["app.modules.auth"] is None
    # `storage/sql/` has no `__init__`: its adapter is below `storage/` all the same.
    assert layers["app.storage.ports"] == "application"
    assert layers["app.storage.sql.user_store"] == "infrastructure"
    assert layers["app.storage"] is None
    assert layers["app.helpers.clock"] is None
    assert layers["app.helpers"] is None


CLEAN_NODE = FIXTURES / "clean_node_flask"


def test_use_cases_implementing_the_domain_s_use_case_interfaces_are_the_application_s() -> None:
    """Issue 18 (tuning DavidSheltonSF/backend-clean-arc, round BU): the Clean Node API
    layout keeps each use case's interface in `domain/usecases/` and its implementation in
    `data/<use case>/`, one folder each. A class implementing a use case's contract and
    handed its collaborators is a use case, not an adapter of a port; a folder of one such
    module leaves its layer to `data/`, all of whose folders hold use cases.
    Checked as the application, the use case typed with the SQLite repository is reported."""
    layers = _graph_layers(CLEAN_NODE)
    assert {
        name: layers[name]
        for name in (
            "src.data.add_pet.add",
            "src.data.find_pet.find",
            "src.domain.usecases.add_pet",
            "src.infra.repo.pet_repository",
            "src.presentation.controllers.add_pet_controller",
            "src.main.app",
        )
    } == {
        "src.data.add_pet.add": "application",
        "src.data.find_pet.find": "application",
        "src.domain.usecases.add_pet": "application",
        "src.infra.repo.pet_repository": "infrastructure",
        "src.presentation.controllers.add_pet_controller": "web",
        "src.main.app": "composition",
    }
    assert _strict_findings(CLEAN_NODE) == [
        ("src/data/find_pet/find.py", 3, "HEX101"),
        ("src/data/find_pet/find.py", 7, "HEX403"),
        ("src/domain/models/pet.py", 12, "HEX203"),
        ("src/infra/repo/pet_repository.py", 7, "HEX504"),
    ]


def test_a_function_annotated_to_give_the_app_is_its_factory_but_one_handed_the_app_is_not(
    tmp_path: Path,
) -> None:
    """Issue 18 (tuning LexiGlow/lexiglow-backend): `app/__init__.py` defines the factory
    uvicorn is pointed at, `create_app() -> FastAPI`, which delegates the building to an
    initializer: the composition root's, under no layer's name. `app/web_setup.py` is handed
    the app and includes the routers in it (`init_api(app: FastAPI) -> FastAPI`): that
    assembles the web but builds no app, and stays unplaced, as do a lifespan factory
    (`-> Callable[[FastAPI], ...]`) and an accessor of the request's app."""
    write_project(
        tmp_path,
        """\
# file: app/__init__.py
from fastapi import FastAPI

from app.initializer import AppInitializer


def create_app() -> FastAPI:
    return AppInitializer.create_app()
# file: app/initializer.py
class AppInitializer:
    @staticmethod
    def create_app():
        from fastapi import FastAPI

        return FastAPI(title="words")
# file: app/web_setup.py
from fastapi import FastAPI


def init_api(app: FastAPI) -> FastAPI:
    app.title = "words"
    return app
# file: app/request_app.py
from fastapi import FastAPI, Request


def get_app(request: Request) -> FastAPI:
    return request.app
# file: app/lifespan.py
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI


def lifespan_factory(greeting: str) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        print(greeting)
        yield

    return lifespan
""",
    )
    layers = _graph_layers(tmp_path)
    assert layers["app"] == "composition"
    assert layers["app.web_setup"] is None
    # What a lifespan factory gives is built around the app, not the app; a request's app
    # is the running one.
    assert layers["app.lifespan"] is None
    assert layers["app.request_app"] is None


def test_an_outbound_http_client_s_port_over_its_own_request_type_stays_a_port(tmp_path: Path) -> None:
    """Issue 18 (review of 4007a06): `HttpClient.request(req: HttpRequest) -> HttpResponse`
    kept with its request and response where no web name places them is the port of an
    outbound HTTP client, implemented by the httpx adapter: the application's. Only the
    team's HTTP messages a web name places (`presenters/helpers/`) make the controllers'
    contract."""
    write_project(
        tmp_path,
        """\
# file: rates/gateway/http_client.py
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass
class HttpRequest:
    url: str


@dataclass
class HttpResponse:
    status: int
    body: bytes


class HttpClient(ABC):
    @abstractmethod
    def request(self, req: HttpRequest) -> HttpResponse: ...
# file: rates/infrastructure/httpx_client.py
import httpx

from rates.gateway.http_client import HttpClient, HttpRequest, HttpResponse


class HttpxClient(HttpClient):
    def request(self, req: HttpRequest) -> HttpResponse:
        answer = httpx.get(req.url)
        return HttpResponse(answer.status_code, answer.content)
""",
    )
    layers = _graph_layers(tmp_path)
    assert layers["rates.gateway.http_client"] == "application"
    assert layers["rates.infrastructure.httpx_client"] == "infrastructure"


_TABLE = """\
from sqlalchemy import Column, Integer

from {base} import Base


class {name}(Base):
    __tablename__ = "{table}"

    id = Column(Integer, primary_key=True)
"""


_BASE = "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def test_orm_tables_alone_are_infrastructure_in_a_package_of_them_and_beside_a_route(
    tmp_path: Path,
) -> None:
    """Issue 18: `models/` of two SQLAlchemy tables or more, and nothing else, is persistence,
    in a shared package too; so is one module of tables beside a route (a Django app's
    `models.py` beside its views), which stays the web's, unless its tables are SQLModel's."""
    shop = _write(
        tmp_path / "shop",
        {
            "shop/models/order.py": _TABLE.format(base="shop.db", name="Order", table="orders"),
            "shop/models/customer.py": _TABLE.format(base="shop.db", name="Customer", table="customers"),
            "shop/common/models/audit.py": _TABLE.format(base="shop.db", name="Audit", table="audit"),
            "shop/common/models/outbox.py": _TABLE.format(base="shop.db", name="Outbox", table="outbox"),
            "shop/db.py": _BASE,
        },
    )
    layers = _graph_layers(shop)
    assert {name: layers[name] for name in sorted(layers) if "models." in name} == {
        "shop.common.models.audit": "infrastructure",
        "shop.common.models.outbox": "infrastructure",
        "shop.models.customer": "infrastructure",
        "shop.models.order": "infrastructure",
    }
    crm = _write(
        tmp_path / "crm",
        {
            "crm/contacts/table.py": _TABLE.format(base="crm.db", name="Contact", table="contacts"),
            "crm/contacts/routes.py": (
                "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
                '@router.get("/contacts")\ndef list_contacts() -> list[str]:\n    return []\n'
            ),
            "crm/db.py": _BASE,
        },
    )
    layers = _graph_layers(crm)
    assert {name: layers[name] for name in sorted(layers) if name.startswith("crm.contacts.")} == {
        "crm.contacts.routes": "web",
        "crm.contacts.table": "infrastructure",
    }
    # SQLModel's tables are its request models too: a module of them is not tables alone.
    blog = _write(
        tmp_path / "blog",
        {
            "blog/posts/models.py": (
                "from sqlmodel import Field, SQLModel\n\n\nclass Post(SQLModel, table=True):\n"
                '    __tablename__ = "posts"\n\n    id: int | None = Field(default=None, primary_key=True)\n'
            ),
            "blog/posts/views.py": (
                "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
                '@router.get("/posts")\ndef list_posts() -> list[str]:\n    return []\n'
            ),
        },
    )
    assert _graph_layers(blog)["blog.posts.models"] is None


def test_tables_beside_their_base_and_session_are_infrastructure_whichever_way_imported(
    tmp_path: Path,
) -> None:
    """Issue 18: a `models/` package of tables, the `declarative_base()` they derive from and
    the session opened on them is persistence, its re-exporting `__init__` included: a use
    case importing a table from the package or from its module imports infrastructure."""
    _write(
        tmp_path,
        {
            "app/models/__init__.py": 'from app.models.order import Order\n\n__all__ = ["Order"]\n',
            "app/models/base.py": _BASE,
            "app/models/order.py": _TABLE.format(base="app.models.base", name="Order", table="orders"),
            "app/models/customer.py": _TABLE.format(base="app.models.base", name="Customer", table="cust"),
            "app/models/session.py": (
                "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
                'engine = create_engine("sqlite://")\nSession = sessionmaker(bind=engine)\n'
            ),
            "app/use_cases/cancel_order.py": (
                "from app.models import Order\nfrom app.models.customer import Customer\n\n\n"
                "class CancelOrder:\n    def __init__(self, session) -> None:\n"
                "        self.session = session\n\n"
                "    def execute(self, order_id: int) -> None:\n"
                "        self.session.get(Order, order_id)\n        self.session.get(Customer, 1)\n"
            ),
        },
    )
    layers = _graph_layers(tmp_path)
    assert {name for name, layer in layers.items() if layer == "infrastructure"} == {
        "app.models",
        "app.models.base",
        "app.models.customer",
        "app.models.order",
        "app.models.session",
    }
    assert [f for f in _strict_findings(tmp_path) if f[2] in ("HEX101", "HEX103")] == [
        ("app/use_cases/cancel_order.py", 1, "HEX101"),
        ("app/use_cases/cancel_order.py", 2, "HEX101"),
    ]


def test_a_database_module_of_the_configuration_stays_there_with_its_declarative_base(
    tmp_path: Path,
) -> None:
    """Issue 18: `config/database.py` opening the engine, mapping `Base` and yielding the
    sessions routes take through `Depends(get_db)` is the configuration's: the base beside
    the driver adds no second kind of evidence that would move `config/` to infrastructure."""
    _write(
        tmp_path,
        {
            "config/__init__.py": "",
            "config/database.py": (
                "from sqlalchemy import create_engine\n"
                "from sqlalchemy.orm import declarative_base, sessionmaker\n\n"
                'engine = create_engine("sqlite://")\nSessionLocal = sessionmaker(bind=engine)\n'
                "Base = declarative_base()\n\n\ndef get_db():\n    db = SessionLocal()\n"
                "    try:\n        yield db\n    finally:\n        db.close()\n"
            ),
            "api/__init__.py": "",
            "api/orders.py": (
                "from fastapi import APIRouter, Depends\n\nfrom config.database import get_db\n\n"
                'router = APIRouter()\n\n\n@router.get("/orders")\n'
                "def list_orders(db=Depends(get_db)) -> list[str]:\n    return []\n"
            ),
        },
    )
    assert _graph_layers(tmp_path)["config.database"] == "composition"
    assert [f for f in _strict_findings(tmp_path) if f[2] in ("HEX101", "HEX103")] == []


def test_errors_alone_are_the_domain_s_only_beside_a_domain_and_outside_adapters(tmp_path: Path) -> None:
    """Issue 18: framework-free exception classes in a package of errors (`core/exceptions/`)
    are the domain's where the project has a domain, but not those an adapter package keeps
    beside its driver code, not those deriving from the web's `HTTPException`, and not the
    `exceptions.py` of a flat app without a domain."""
    error = "class {name}({base}):\n    pass\n"
    shop = _write(
        tmp_path / "shop",
        {
            "shop/domain/order.py": (
                "class Order:\n    def __init__(self, sku: str) -> None:\n        self.sku = sku\n"
            ),
            "shop/core/exceptions/base.py": error.format(name="ShopError", base="Exception"),
            "shop/core/exceptions/order.py": (
                "from shop.core.exceptions.base import ShopError\n\n\n"
                + error.format(name="OrderNotFound", base="ShopError")
            ),
            "shop/payments/stripe_client.py": (
                "import httpx\n\n\nclass StripeClient:\n"
                "    def charge(self, cents: int) -> None:\n"
                '        httpx.post("https://api.stripe.com/v1/charges", data={"amount": cents})\n'
            ),
            "shop/payments/paypal_client.py": (
                "import httpx\n\n\nclass PaypalClient:\n"
                "    def charge(self, cents: int) -> None:\n"
                '        httpx.post("https://api.paypal.com/v2/payments", json={"cents": cents})\n'
            ),
            "shop/payments/errors.py": error.format(name="PaymentDeclined", base="Exception"),
            "shop/problem.py": "from fastapi import HTTPException\n\n\n"
            + error.format(name="ApiError", base="HTTPException"),
            "shop/errors.py": "from shop.problem import ApiError\n\n\n"
            + error.format(name="NotFound", base="ApiError"),
        },
    )
    layers = _graph_layers(shop)
    assert layers["shop.core.exceptions.base"] == "domain"
    assert layers["shop.core.exceptions.order"] == "domain"
    assert layers["shop.payments.errors"] is None  # beside the adapters' clients
    assert layers["shop.errors"] is None  # an HTTPException of the web's
    flat = _write(
        tmp_path / "flat",
        {
            "flat/exceptions.py": error.format(name="NotFound", base="Exception"),
            "flat/routes.py": (
                "from fastapi import APIRouter\n\nfrom flat.exceptions import NotFound\n\n"
                "router = APIRouter()\n\n\n"
                '@router.get("/items")\ndef items() -> list[str]:\n    raise NotFound()\n'
            ),
        },
    )
    assert _graph_layers(flat)["flat.exceptions"] is None


def test_http_middleware_alone_is_the_web_s_and_a_logging_module_with_one_is_not(tmp_path: Path) -> None:
    """Issue 18: a module of HTTP middleware no name places is the web's, whichever way the
    middleware is written (Starlette's base, its `dispatch` shape, pure ASGI, Django's), and
    the empty `__init__`s above go with it; a module defining other classes beside one stays
    unplaced."""
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/middlewares/__init__.py": "",
            "app/core/middlewares/rate_limit.py": (
                "from starlette.middleware.base import BaseHTTPMiddleware\n\n\n"
                "class RateLimit(BaseHTTPMiddleware):\n"
                "    async def dispatch(self, request, call_next):\n        return await call_next(request)\n"
            ),
            "app/core/middlewares/timing.py": (
                "class Timing:\n    def __init__(self, app):\n        self.app = app\n\n"
                "    async def __call__(self, scope, receive, send):\n"
                "        await self.app(scope, receive, send)\n"
            ),
            "app/core/middlewares/tenant.py": (
                "class Tenant:\n    def __init__(self, get_response):\n"
                "        self.get_response = get_response\n\n"
                "    def __call__(self, request):\n        return self.get_response(request)\n"
            ),
            "app/core/logging.py": (
                "import logging\n\nfrom starlette.middleware.base import BaseHTTPMiddleware\n\n\n"
                "class JsonFormatter(logging.Formatter):\n    pass\n\n\n"
                "class RequestId(BaseHTTPMiddleware):\n"
                "    async def dispatch(self, request, call_next):\n        return await call_next(request)\n"
            ),
        },
    )
    assert _graph_layers(tmp_path) == {
        "app": None,
        "app.core": None,
        "app.core.logging": None,
        "app.core.middlewares": "web",
        "app.core.middlewares.rate_limit": "web",
        "app.core.middlewares.tenant": "web",
        "app.core.middlewares.timing": "web",
    }


def test_a_folder_of_asgi_and_django_middleware_is_the_web_s_init_included(tmp_path: Path) -> None:
    """Issue 18: middleware handed the app it wraps is no use case, so a folder of such
    middleware alone, and its empty `__init__`, are the web's, not split with the
    application; an ASGI application that wraps nothing is no middleware."""
    _write(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/middlewares/__init__.py": "",
            "svc/middlewares/timing.py": (
                "class Timing:\n    def __init__(self, app):\n        self.app = app\n\n"
                "    async def __call__(self, scope, receive, send):\n"
                "        await self.app(scope, receive, send)\n"
            ),
            "svc/middlewares/tenant.py": (
                "class Tenant:\n    def __init__(self, get_response):\n"
                "        self.get_response = get_response\n\n"
                "    def __call__(self, request):\n        return self.get_response(request)\n"
            ),
            "svc/asgi_app.py": (
                "class Plain:\n    async def __call__(self, scope, receive, send):\n        return None\n"
            ),
        },
    )
    layers = _graph_layers(tmp_path)
    assert {name: layers[name] for name in ("svc.asgi_app", "svc.middlewares", "svc.middlewares.tenant")} == {
        "svc.asgi_app": None,
        "svc.middlewares": "web",
        "svc.middlewares.tenant": "web",
    }
    assert layers["svc.middlewares.timing"] == "web"
