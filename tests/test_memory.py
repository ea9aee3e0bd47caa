"""A run's project model, and everything built from it, goes when the run ends.

The Python API, the test suite and the flake8 plugin in a long-running editor call
`hexcheck.check` many times in one process; per-run indexes kept in module-level caches
keyed on the model would keep old models (and every fact they hold) alive.
"""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

import pytest

import hexcheck
from hexcheck import engine
from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.analysis.model import ProjectModel
from tests.conftest import FIXTURES


def test_ten_checks_leave_no_earlier_model_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "bookstore_violations")
    # strict: every rule runs, so every per-run index (roles, types, FastAPI, contracts) is built
    config = replace(load_config(find_config(".")), preset="strict")
    models: list[weakref.ref[ProjectModel]] = []
    build = engine.build_model

    def remembered(*args: object, **kwargs: object) -> ProjectModel:
        model = build(*args, **kwargs)  # type: ignore[arg-type]
        models.append(weakref.ref(model))
        return model

    monkeypatch.setattr(engine, "build_model", remembered)
    reports = [hexcheck.check(["."], config) for _ in range(10)]
    gc.collect()

    assert len(models) == 10
    assert reports[0].findings and all(r.findings == reports[0].findings for r in reports)
    alive = [number for number, model in enumerate(models, 1) if model() is not None]
    assert alive == [], f"the models of runs {alive} are still alive"


def test_a_model_keeps_each_index_for_as_long_as_it_lives() -> None:
    model = ProjectModel([], hexcheck.Config())
    built: list[ProjectModel] = []

    def builder(of: ProjectModel) -> list[ProjectModel]:
        built.append(of)
        return built

    assert model.index(builder) is model.index(builder)
    assert built == [model]
    other = ProjectModel([], hexcheck.Config())
    other.index(builder)
    assert built == [model, other]
