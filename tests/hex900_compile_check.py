"""Every HEX900 against `compile()` of a newer Python: is the file really broken?

    python tests/hex900_compile_check.py PROJECT... [--python PY313] [--hexcheck-source DIR]
        [--json OUT]

Runs `hexcheck check PROJECT --format json --no-cache --exit-zero` (with the interpreter
running this script, so the grammar of an older Python can be tried) in each project, then
hands every file with a HEX900 to `PY313` (default: pyenv's newest 3.13), which compiles it
with `compile()`. A HEX900 on a file that compiles is false: hexcheck reads everything
LibCST reads, so it must read what Python 3.13 compiles. Prints per project the files
checked, the HEX900 findings, and those on files that compile; `--json` saves every finding
of every project, to compare two runs (`--hexcheck-source` runs another checkout).
Not part of the suite: it needs real projects and a second Python.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

_COMPILES = """
import sys, warnings
warnings.simplefilter("ignore")
for path in sys.stdin.read().splitlines():
    try:
        compile(open(path, "rb").read(), path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        continue
    print(path)
"""


def _newest_313() -> str:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(glob.glob(f"{root}/versions/3.13.*/bin/python3"))
    if not found:
        sys.exit("no Python 3.13 in pyenv: pass --python")
    return found[-1]


def _check(project: Path, source: str | None) -> dict[str, object]:
    env = dict(os.environ)
    if source:
        env["PYTHONPATH"] = source
    done = subprocess.run(
        [sys.executable, "-m", "hexcheck", "check", ".", "--format", "json", "--no-cache", "--exit-zero"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, object] = json.loads(done.stdout)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("projects", nargs="+", type=Path)
    parser.add_argument("--python", default="")
    parser.add_argument("--hexcheck-source", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    python = args.python or _newest_313()
    saved: dict[str, object] = {}
    print(f"hexcheck under Python {sys.version.split()[0]}; compile() under {python}")
    for project in args.projects:
        report = _check(project, args.hexcheck_source)
        findings = report["findings"]
        assert isinstance(findings, list)
        broken = sorted({f["path"] for f in findings if f["code"] == "HEX900"})
        compiled = subprocess.run(
            [python, "-c", _COMPILES],
            cwd=project,
            input="\n".join(broken),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        checked = sum(1 for _ in project.rglob("*.py"))
        print(
            f"{project.name}: {checked} .py files, HEX900 on {len(broken)}, "
            f"on files Python 3.13 compiles: {len(compiled)}"
        )
        for path in compiled:
            message = next(f["message"] for f in findings if f["path"] == path and f["code"] == "HEX900")
            print(f"    {path}: {message}")
        saved[project.name] = {"findings": findings, "hex900": broken, "compiles": compiled}
    if args.json:
        Path(args.json).write_text(json.dumps(saved, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
