"""Embedded and less common database drivers (SQLite, TinyDB, ...) are drivers: an adapter
over one, in a package named for no layer, is placed in infrastructure by what it holds, and
its leaked driver errors are reported (fixtures/local_stores)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import FIXTURES

PROJECT = FIXTURES / "local_stores"


def _hexcheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hexcheck", *arguments],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "COLUMNS": "88"},
    )


def test_the_domain_importing_a_tinydb_adapter_and_its_leaked_errors_are_reported() -> None:
    out = _hexcheck("check", ".", "--no-cache", "--format", "json").stdout
    found = sorted((f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"])
    assert found == [
        ("HEX101", "notes/domain/note.py", 6),
        ("HEX104", "notes/application/ports.py", 5),  # the cycle the seeded import closes
        ("HEX504", "notes/integration/tinydb_notes.py", 9),
    ]  # and no HEX504 on the SQLite adapter, which translates `sqlite3.Error`


def test_a_driver_and_a_port_implemented_place_an_unnamed_package_one_kind_does_not() -> None:
    graph = json.loads(_hexcheck("graph", ".", "--format", "json").stdout)
    layers = {module["name"]: module.get("layer") for module in graph["modules"]}
    assert layers["notes.integration.tinydb_notes"] == "infrastructure"
    assert layers["notes.infrastructure.sqlite_notes"] == "infrastructure"
    assert layers["notes.memory.in_memory_notes"] is None  # a port implemented, nothing else


def test_init_says_which_unnamed_packages_their_content_places() -> None:
    out = _hexcheck("init").stdout
    lines = " ".join(out[out.index("Packages (layer") :].split())
    assert (
        "notes.integration: no name; infrastructure content: database or client drivers, ports "
        "implemented (1 of 1 modules); its modules that show infrastructure code are placed so"
    ) in lines
    assert (
        "notes.memory: no name; infrastructure content: ports implemented (1 of 1 modules); too "
        "little to place it (it takes 2 kinds of evidence and the layer's anchor); each module "
        "is placed by its own evidence"
    ) in lines
