"""hexcheck's performance benchmark: hexcheck against a bare LibCST parse, import-linter,
tach and Fixit on the same tree, and the issue's six targets judged from one run.

    python tests/benchmarks/bench.py --modules 2000 --runs 3
    python tests/benchmarks/bench.py --modules 2000 10000 --runs 3 --skip fixit
    python tests/benchmarks/bench.py --real /work/corpus/Netflix+dispatch/src --runs 5

See README.md next to this file for every option and how to read the output. Each tool
runs in its own subprocess, one at a time (never two tools at once), in rounds: every
round runs every tool once, the order of the tool groups rotating from round to round.
Reported times are wall-clock medians over the rounds.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402 - the generator next to this file

MEASURE = HERE / "_measure.py"
BARE_PARSE = HERE / "bare_parse.py"
TOOL_ORDER = (
    "bare",
    "hexcheck-cold",
    "hexcheck-cold-cache",
    "hexcheck-warm",
    "hexcheck-incremental",
    "hexcheck-one-warm",
    "hexcheck-one-edited",
    "import-linter-cold",
    "import-linter-warm",
    "tach",
    "fixit",
)
LABELS = {
    "bare": "bare libcst.parse_module, Pool(jobs)",
    "hexcheck-cold": "hexcheck cold (--no-cache)",
    "hexcheck-cold-cache": "hexcheck cold (empty cache, writes it)",
    "hexcheck-warm": "hexcheck warm (nothing changed)",
    "hexcheck-incremental": "hexcheck incremental (1 file changed)",
    "hexcheck-one-warm": "hexcheck one file, warm (nothing changed)",
    "hexcheck-one-edited": "hexcheck one file, after editing it",
    "import-linter-cold": "import-linter cold (cache cleared)",
    "import-linter-warm": "import-linter warm (cached graph)",
    "tach": "tach check",
    "fixit": "fixit lint (built-in rules)",
}
# Tools that depend on each other's state run back to back, in this order, in every round.
GROUPS = (
    ("bare",),
    ("hexcheck-cold",),
    (
        "hexcheck-cold-cache",
        "hexcheck-warm",
        "hexcheck-incremental",
        "hexcheck-one-warm",
        "hexcheck-one-edited",
    ),
    ("import-linter-cold", "import-linter-warm"),
    ("tach",),
    ("fixit",),
)
SKIP_ALIASES = {
    "hexcheck": [t for t in TOOL_ORDER if t.startswith("hexcheck")],
    "import-linter": ["import-linter-cold", "import-linter-warm"],
    "importlinter": ["import-linter-cold", "import-linter-warm"],
}

# ---------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float | None  # None: timed out or failed
    main_rss_kib: int | None  # peak RSS of the tool's main process
    tree_rss_kib: int  # peak RSS of the largest process of its tree (os.wait4)
    cpu_seconds: float  # user + system of the whole tree
    exit_code: int
    timed_out: bool
    summary: str
    load: float = 0.0  # 1-minute load average when the run started
    cpu_pressure: float | None = None  # % of the last 10 s some task waited for a CPU (PSI)


@dataclass
class ToolResult:
    name: str
    runs: list[Run] = field(default_factory=list)

    def times(self) -> list[float]:
        return [r.seconds for r in self.runs if r.seconds is not None]

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)

    def median(self) -> float | None:
        times = self.times()
        return statistics.median(times) if times else None

    def peak_main_mb(self) -> float | None:
        values = [r.main_rss_kib for r in self.runs if r.main_rss_kib]
        return max(values) / 1024 if values else None

    def median_cpu(self) -> float | None:
        values = [r.cpu_seconds for r in self.runs if r.seconds is not None]
        return statistics.median(values) if values else None

    def median_load(self) -> float | None:
        return statistics.median(r.load for r in self.runs) if self.runs else None

    def peak_tree_mb(self) -> float | None:
        values = [r.tree_rss_kib for r in self.runs if r.tree_rss_kib]
        return max(values) / 1024 if values else None


def run_measured(
    python: str,
    script: Sequence[str],
    cwd: Path,
    log: Path,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Run:
    """Run `python _measure.py OUT script...`; wall time, peak RSS (main and tree), CPU."""
    rss_file = log.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    load, pressure = os.getloadavg()[0], cpu_pressure()
    command = [python, str(MEASURE), str(rss_file), *script]
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: leave no tool running behind
            kill()
            raise
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, not Popen
    try:
        main_rss = int(rss_file.read_text(encoding="ascii"))
    except (OSError, ValueError):
        main_rss = None
    code = process.returncode
    return Run(
        seconds=None if timed_out.is_set() or code not in (0, 1) else elapsed,
        main_rss_kib=main_rss,
        tree_rss_kib=usage.ru_maxrss,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        exit_code=code,
        timed_out=timed_out.is_set(),
        summary="",
        load=load,
        cpu_pressure=pressure,
    )


def cpu_pressure() -> float | None:
    """Linux PSI: the share of the last 10 s in which some runnable task waited for a CPU."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as handle:
            first = handle.readline().split()
    except OSError:
        return None
    values = dict(item.split("=") for item in first[1:] if "=" in item)
    try:
        return float(values["avg10"])
    except (KeyError, ValueError):
        return None


def wait_for_quiet(limit: float, threshold: float = 10.0) -> None:
    """Wait up to `limit` seconds for CPU pressure (or the load) to drop: other processes
    on the machine distort every wall-clock time."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        pressure = cpu_pressure()
        busy = pressure > threshold if pressure is not None else os.getloadavg()[0] > 0.5
        if not busy:
            return
        time.sleep(2)


def _tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


# ---------------------------------------------------------------------------- the tree


@dataclass
class Tree:
    """Where the tools run and what they are given."""

    label: str
    workdir: Path  # cwd of every tool; holds configs and caches
    target: Path  # the directory hexcheck, Fixit and the bare parse are given
    files: list[str]  # what hexcheck checks (absolute paths): also the bare parse's list
    python_path: list[str]  # sys.path roots of the first-party packages (for import-linter)
    hexcheck_args: list[str]  # extra arguments (a --config for real trees)
    edit_file: Path  # the file the incremental run changes
    one_file: Path  # the file the one-file runs check (and the edited one changes)
    description: dict[str, object]
    fixit_args: list[str]  # what Fixit is given


def discover_files(target: Path, config_file: Path | None) -> list[tuple[str, str]]:
    """(absolute path, module) of what `hexcheck check target` checks, via hexcheck itself."""
    from hexcheck.adapters.filesystem import discover
    from hexcheck.adapters.pyproject import find_config, load_config

    config = load_config(str(config_file) if config_file else find_config(str(target)))
    found = discover([str(target)], config)
    return [(f.path, f.module) for f in found.files]


def _source_roots(files: list[tuple[str, str]]) -> list[str]:
    roots: set[str] = set()
    for path, module in files:
        parts = module.split(".")
        base = Path(path)
        base = base.parent if base.name == "__init__.py" else base.with_suffix("")
        for _ in parts:
            base = base.parent
        roots.add(str(base))
    return sorted(roots)


def synthetic_tree(directory: Path, modules: int, seed: int) -> Tree:
    described = synthetic.existing(directory, modules, seed)
    if described is None:
        print(f"generating {modules} modules into {directory} (none there, or changed) ...", flush=True)
        started = time.perf_counter()
        described = synthetic.generate(directory, modules, seed)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print(f"reusing the tree in {directory}", flush=True)
    src = directory / "src"
    files = discover_files(src, directory / "pyproject.toml")
    contexts = described["contexts"]
    assert isinstance(contexts, list)
    middle = contexts[len(contexts) // 2]
    domain = sorted(
        p
        for p in (src / "shop" / middle / "domain").glob("*.py")
        if p.stem not in ("__init__", "events", "exceptions", "value_objects", "services")
    )
    return Tree(
        label=f"synthetic, {modules} modules",
        workdir=directory,
        target=src,
        files=[path for path, _ in files],
        python_path=[str(src)],
        hexcheck_args=[],
        edit_file=domain[len(domain) // 2],
        one_file=domain[len(domain) // 2 - 1],  # the entity module before the edited one
        description=described,
        fixit_args=[str(src)],
    )


def real_tree(source: Path, workdir: Path) -> Tree:
    """A copy of `source` in `workdir` (the incremental run edits a file; caches live there)."""
    source = source.resolve()
    copy = workdir / source.name
    if not copy.exists():
        print(f"copying {source} to {copy} ...", flush=True)
        shutil.copytree(
            source, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", ".git", "*.pyc")
        )
    config = workdir / ".hexcheck.toml"
    config.write_text("# hexcheck's defaults; the cache goes next to this file\n", encoding="utf-8")
    files = discover_files(copy, config)
    if not files:
        raise SystemExit(f"hexcheck finds no Python files under {source}")
    by_size = sorted(files, key=lambda f: (os.path.getsize(f[0]), f[0]))
    lines = 0
    for path, _ in files:
        with open(path, "rb") as handle:
            lines += handle.read().count(b"\n")
    roots = _source_roots(files)
    write_real_configs(workdir, files, roots, config)
    return Tree(
        label=f"real tree {source} ({len(files)} files hexcheck checks)",
        workdir=workdir,
        target=copy,
        files=[path for path, _ in files],
        python_path=roots,
        hexcheck_args=["--config", str(config)],
        edit_file=Path(by_size[len(by_size) // 2][0]),
        one_file=Path(by_size[min(len(by_size) // 2 + 1, len(by_size) - 1)][0]),
        description={"source": str(source), "files": len(files), "lines": lines},
        fixit_args=[path for path, _ in files],
    )


def layer_roots(files: list[tuple[str, str]], config_file: Path) -> dict[str, list[str]]:
    """For each hexcheck layer, the fewest packages/modules covering exactly its modules.

    A package whose subtree is all one layer stands for it; a mixed package is split
    into its children (its own `__init__` is left out: neither tool can name a package
    without its descendants).
    """
    from hexcheck.adapters.pyproject import load_config

    config = load_config(str(config_file))
    layer_of = {module: config.layers.layer_of(module) for _, module in files}
    children: dict[str, set[str]] = {}
    for module in layer_of:
        parts = module.split(".")
        for depth in range(1, len(parts)):
            children.setdefault(".".join(parts[:depth]), set()).add(".".join(parts[: depth + 1]))

    def layers_below(name: str) -> set[object]:
        found = {layer_of.get(name)} if name in layer_of else set()
        for child in children.get(name, ()):
            found |= layers_below(child)
        return found

    roots: dict[str, list[str]] = {}

    def cover(name: str) -> None:
        below = layers_below(name)
        if len(below) == 1:
            layer = next(iter(below))
            if layer is not None:
                roots.setdefault(layer.value, []).append(name)  # type: ignore[attr-defined]
            return
        for child in sorted(children.get(name, ())):
            cover(child)

    for top in sorted({module.split(".")[0] for module in layer_of}):
        cover(top)
    return roots


def write_real_configs(
    workdir: Path, files: list[tuple[str, str]], roots: list[str], config_file: Path
) -> None:
    """import-linter and tach configs with hexcheck's default layer rules for this tree."""
    by_layer = layer_roots(files, config_file)
    outer = by_layer.get("web", []) + by_layer.get("infrastructure", [])
    lines = [line for line in (outer, by_layer.get("application", []), by_layer.get("domain", [])) if line]
    packages = sorted(
        {module.split(".")[0] for path, module in files if os.path.basename(path) == "__init__.py"}
        | {module.split(".")[0] for _, module in files if "." in module}
    )
    contract = ["[importlinter]", "root_packages ="] + [f"    {p}" for p in packages] + [""]
    contract += [
        "[importlinter:contract:hexagonal-layers]",
        "name = hexcheck's default layers (web/infrastructure > application > domain)",
        "type = layers",
    ]
    if len(lines) >= 2:
        contract += ["layers ="] + [f"    {' : '.join(sorted(line))}" for line in lines]
    else:
        # No two layers to order: the equivalent contract is empty. Optional layers in every
        # root package keep import-linter building the whole graph, with nothing to find.
        contract += ["containers ="] + [f"    {p}" for p in packages]
        contract += ["layers =", "    (infrastructure) | (web)", "    (application)", "    (domain)"]
    (workdir / ".importlinter").write_text("\n".join(contract) + "\n", encoding="utf-8")

    tach = [
        "# Derived from hexcheck's default layer placement of this tree.",
        f"source_roots = {json.dumps([os.path.relpath(r, workdir) for r in roots])}",
        'exclude = ["**/tests", "**/test", "**/migrations", "**/fixtures", "**/__pycache__", '
        '"**/build", "**/dist", "**/.venv", "**/venv", ".hexcheck_cache", ".import_linter_cache"]',
        "ignore_type_checking_imports = false",
        'root_module = "ignore"',
        'layers = ["adapters", "application", "domain"]',
        "",
    ]
    tach_layer = {
        "web": "adapters",
        "infrastructure": "adapters",
        "application": "application",
        "domain": "domain",
    }
    for layer, names in sorted(by_layer.items()):
        if layer not in tach_layer:
            continue
        for name in sorted(names):
            tach += ["[[modules]]", f'path = "{name}"', f'layer = "{tach_layer[layer]}"', ""]
    (workdir / "tach.toml").write_text("\n".join(tach) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- the tools


@dataclass
class Setup:
    tree: Tree
    jobs: int
    venv_python: str  # hexcheck, import-linter, the bare parse
    tools_python: str  # tach, fixit
    logs: Path
    timeout: float
    fixit_timeout: float
    quiet_wait: float = 0.0
    hexcheck_env: dict[str, str] | None = None  # PYTHONPATH to the snapshot of hexcheck
    edits: int = 0
    original_edit: bytes = b""
    one_file_edits: int = 0
    original_one_file: bytes = b""


def _script(python: str, name: str) -> str:
    path = Path(python).parent / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed next to {python}")
    return str(path)


def tool_command(setup: Setup, tool: str) -> tuple[str, list[str], dict[str, str] | None, Callable[[], None]]:
    """(python, script and arguments, environment, preparation) for one run of `tool`."""
    tree = setup.tree
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    hexcheck = [
        _script(setup.venv_python, "hexcheck"),
        "check",
        str(tree.target),
        "--jobs",
        str(setup.jobs),
        "--preset",
        "strict",
        "--format",
        "concise",
        "--exit-zero",
        "-q",
        *tree.hexcheck_args,
    ]
    hexcheck_cache = tree.workdir / ".hexcheck_cache"
    linter_cache = tree.workdir / ".import_linter_cache"
    linter = [
        # Looked up only when import-linter runs: `--skip import-linter` needs none.
        _script(setup.venv_python, "lint-imports") if tool.startswith("import-linter") else "",
        str(tree.workdir / ".importlinter"),
        "--cache-dir",
        str(linter_cache),
        "--no-logo",
    ]
    linter_env = dict(os.environ, PYTHONPATH=os.pathsep.join(tree.python_path))
    if tool == "bare":
        file_list = tree.workdir / ".bench-files.txt"
        return (
            setup.venv_python,
            [str(BARE_PARSE), str(file_list), "--jobs", str(setup.jobs)],
            None,
            nothing,
        )
    env = setup.hexcheck_env
    if tool == "hexcheck-cold":
        return setup.venv_python, [*hexcheck, "--no-cache"], env, nothing
    if tool == "hexcheck-cold-cache":
        return setup.venv_python, hexcheck, env, lambda: shutil.rmtree(hexcheck_cache, ignore_errors=True)
    if tool == "hexcheck-warm":
        return setup.venv_python, hexcheck, env, nothing
    if tool == "hexcheck-incremental":

        def edit() -> None:
            setup.edits += 1
            with open(tree.edit_file, "ab") as handle:
                handle.write(
                    f"\n\ndef _bench_edit_{setup.edits}() -> int:\n    return {setup.edits}\n".encode()
                )

        return setup.venv_python, hexcheck, env, edit
    if tool in ("hexcheck-one-warm", "hexcheck-one-edited"):
        # The target: `check` on one file with a warm cache, from the tree's root,
        # with the cache the runs above left (the whole project is read for the facts that
        # span files; only the file's findings are reported).
        one = [*hexcheck[:2], os.path.relpath(tree.one_file, tree.workdir), *hexcheck[3:]]
        if tool == "hexcheck-one-warm":
            return setup.venv_python, one, env, nothing

        def edit_one() -> None:
            # A change of a body, not a comment: the file's facts differ in every round.
            setup.one_file_edits += 1
            with open(tree.one_file, "ab") as handle:
                handle.write(
                    f"\n\ndef _bench_one_edit_{setup.one_file_edits}() -> int:\n"
                    f"    return {setup.one_file_edits}\n".encode()
                )

        return setup.venv_python, one, env, edit_one
    if tool == "import-linter-cold":
        return setup.venv_python, linter, linter_env, lambda: shutil.rmtree(linter_cache, ignore_errors=True)
    if tool == "import-linter-warm":
        return setup.venv_python, linter, linter_env, nothing
    if tool == "tach":
        return setup.tools_python, [_script(setup.tools_python, "tach"), "check"], None, nothing
    if tool == "fixit":
        return (
            setup.tools_python,
            [_script(setup.tools_python, "fixit"), "lint", *tree.fixit_args],
            None,
            nothing,
        )
    raise ValueError(tool)


def summarize(tool: str, log: Path, run: Run) -> str:
    out = log.with_suffix(".out")
    err = log.with_suffix(".err")
    text = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
    errors = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
    if run.timed_out:
        return "timed out"
    if run.exit_code not in (0, 1):
        return f"exit {run.exit_code}: {_tail(err) or _tail(out)}"
    if tool == "bare":
        return text.strip()
    if tool.startswith("hexcheck"):
        return f"{len(text.splitlines())} findings"
    if tool.startswith("import-linter"):
        analyzed = next((line.strip() for line in text.splitlines() if line.startswith("Analyzed")), "")
        verdict = next((line.strip() for line in text.splitlines() if line.startswith("Contracts:")), "")
        return f"{analyzed} {verdict}".strip()
    if tool == "tach":
        fails = sum(1 for line in (text + errors).splitlines() if "[FAIL]" in line)
        return f"{fails} errors"
    if tool == "fixit":
        checked = next((line for line in (errors + text).splitlines() if "files checked" in line), "")
        return checked.strip("🛠️ ").strip()
    return ""


def run_round(setup: Setup, tools: list[str], results: dict[str, ToolResult], round_index: int) -> None:
    groups = [[t for t in group if t in tools] for group in GROUPS]
    groups = [g for g in groups if g]
    shift = round_index % len(groups)
    for group in groups[shift:] + groups[:shift]:
        for tool in group:
            if results[tool].timed_out:
                continue  # once over the time limit, it would be again: do not wait twice
            python, script, env, prepare = tool_command(setup, tool)
            if setup.quiet_wait:
                wait_for_quiet(setup.quiet_wait)
            prepare()
            log = setup.logs / f"{tool}-{round_index + 1}"
            limit = setup.fixit_timeout if tool == "fixit" else setup.timeout
            run = run_measured(python, script, setup.tree.workdir, log, limit, env)
            run.summary = summarize(tool, log, run)
            results[tool].runs.append(run)
            shown = (
                f"{run.seconds:8.2f} s"
                if run.seconds is not None
                else ("  timeout" if run.timed_out else "   failed")
            )
            pressure = "" if run.cpu_pressure is None else f", cpu pressure {run.cpu_pressure:.0f}%"
            print(
                f"  round {round_index + 1}  {tool:<22} {shown}  "
                f"(CPU {run.cpu_seconds:.1f} s, load {run.load:.1f}"
                f"{pressure})  {run.summary}",
                flush=True,
            )


def snapshot_hexcheck(source: Path | None, into: Path) -> tuple[Path, str]:
    """Copy the hexcheck package once, before the runs, and run that copy.

    hexcheck reuses a cached report only when its own source files are unchanged (size
    and mtime); a working tree edited during the benchmark would turn warm runs cold at
    random. The copy also pins what was measured. Returns (source, content digest).
    """
    if source is None:
        import hexcheck

        source = Path(hexcheck.__file__).resolve().parent
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(source, into / "hexcheck", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    digest = hashlib.sha256()
    for path in sorted((into / "hexcheck").rglob("*.py")):
        digest.update(path.relative_to(into).as_posix().encode() + b"\0" + path.read_bytes())
    return source, digest.hexdigest()[:12]


def versions(setup: Setup) -> dict[str, str]:
    def of(python: str, packages: list[str]) -> dict[str, str]:
        code = (
            "import importlib.metadata as m, json, sys\n"
            "found = {}\n"
            f"for name in {packages!r}:\n"
            "    try:\n"
            "        found[name] = m.version(name)\n"
            "    except m.PackageNotFoundError:\n"
            "        found[name] = 'missing'\n"
            "print(json.dumps(found))\n"
        )
        if not Path(python).exists():  # no tools venv: tach and Fixit are skipped, not fatal
            return {name: "missing" for name in packages}
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
        try:
            return dict(json.loads(done.stdout))
        except ValueError:
            return {name: "?" for name in packages}

    found = of(setup.venv_python, ["hexcheck", "libcst", "import-linter", "grimp"])
    found.update(of(setup.tools_python, ["tach", "fixit"]))
    return found


# ---------------------------------------------------------------------------- report


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _time(result: ToolResult) -> str:
    median = result.median()
    if median is None:
        return "timeout" if result.timed_out else "failed"
    return f"{median:.2f}"


def print_table(results: dict[str, ToolResult], files: int) -> None:
    header = (
        f"{'tool':<40} {'median s':>9} {'min s':>8} {'max s':>8} {'ms/file':>8} {'CPU s':>7} "
        f"{'main MB':>8} {'tree MB':>8} {'load':>5}  result"
    )
    print(header)
    print("-" * len(header))
    for tool in TOOL_ORDER:
        result = results.get(tool)
        if result is None or not result.runs:
            continue
        times = result.times()
        median = result.median()
        cpu = result.median_cpu()
        per_file = None if median is None else 1000 * median / max(files, 1)
        summary = result.runs[-1].summary
        print(
            f"{LABELS[tool]:<40} {_time(result):>9} {_fmt(min(times) if times else None):>8} "
            f"{_fmt(max(times) if times else None):>8} {_fmt(per_file):>8} {_fmt(cpu, 1):>7} "
            f"{_fmt(result.peak_main_mb(), 0):>8} {_fmt(result.peak_tree_mb(), 0):>8} "
            f"{_fmt(result.median_load(), 1):>5}  {summary}"
        )


@dataclass
class Verdict:
    number: int
    text: str
    value: str
    met: bool | None  # None: not judged in this run


def _ratio(numerator: ToolResult | None, denominator: ToolResult | None, cpu: bool = False) -> float | None:
    if numerator is None or denominator is None:
        return None
    if cpu:
        top, bottom = numerator.median_cpu(), denominator.median_cpu()
    else:
        top, bottom = numerator.median(), denominator.median()
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom


def _cpu_note(numerator: ToolResult | None, denominator: ToolResult | None) -> str:
    ratio = _ratio(numerator, denominator, cpu=True)
    return "" if ratio is None else f"; in CPU seconds: {ratio:.2f}x"


def judge(results: dict[str, ToolResult], modules: int | None, timeout: float) -> list[Verdict]:
    get = results.get
    verdicts = []
    cold = _ratio(get("hexcheck-cold"), get("bare"))
    cold_cache = _ratio(get("hexcheck-cold-cache"), get("bare"))
    extra = f" (cold with cache writes: {cold_cache:.2f}x)" if cold_cache is not None else ""
    verdicts.append(Verdict(
        1, "cold, all rules, same processes <= 1.3x bare LibCST parse",
        f"hexcheck cold / bare parse = {cold:.2f}x{extra}{_cpu_note(get('hexcheck-cold'), get('bare'))}"
        if cold is not None else "not measured",
        None if cold is None else cold <= 1.3 and (cold_cache is None or cold_cache <= 1.3),
    ))  # fmt: skip
    warm = _ratio(get("hexcheck-warm"), get("import-linter-warm"))
    verdicts.append(Verdict(
        2, "warm, nothing changed <= import-linter warm (ratio <= 1.0)",
        f"hexcheck warm / import-linter warm = {warm:.2f}x"
        f"{_cpu_note(get('hexcheck-warm'), get('import-linter-warm'))}"
        if warm is not None else "not measured",
        None if warm is None else warm <= 1.0,
    ))  # fmt: skip
    incremental = _ratio(get("hexcheck-incremental"), get("import-linter-warm"))
    verdicts.append(Verdict(
        3, "incremental, one file changed <= 2x import-linter warm",
        f"hexcheck incremental / import-linter warm = {incremental:.2f}x"
        f"{_cpu_note(get('hexcheck-incremental'), get('import-linter-warm'))}"
        if incremental is not None else "not measured",
        None if incremental is None else incremental <= 2.0,
    ))  # fmt: skip
    peaks = [r.peak_main_mb() for t, r in results.items() if t.startswith("hexcheck") and r.peak_main_mb()]
    peak = max(peaks) if peaks else None
    at_size = modules is not None and modules >= 10_000
    verdicts.append(Verdict(
        4, "peak memory of the main process at 10,000 modules <= 300 MB",
        (f"hexcheck main process peak = {peak:.0f} MB" if peak is not None else "not measured")
        + ("" if at_size else f" (at {modules or 'this tree'}: judged only at 10,000 modules)"),
        None if peak is None or not at_size else peak <= 300,
    ))  # fmt: skip
    verdicts.append(
        Verdict(
            5,
            "time grows linearly with the number of modules (2,000 vs 10,000)",
            "needs two sizes: --modules 2000 10000, or --compare A.json B.json",
            None,
        )
    )
    fixit, hexcheck_cold = get("fixit"), get("hexcheck-cold")
    if fixit is not None and hexcheck_cold is not None and hexcheck_cold.median():
        base = hexcheck_cold.median() or 0.0
        if fixit.median() is not None:
            speedup = (fixit.median() or 0.0) / base
            verdicts.append(
                Verdict(
                    6,
                    "cold >= 5x faster than Fixit (built-in rules)",
                    f"Fixit / hexcheck cold = {speedup:.1f}x",
                    speedup >= 5,
                )
            )
        elif fixit.timed_out:
            speedup = timeout / base
            verdicts.append(
                Verdict(
                    6,
                    "cold >= 5x faster than Fixit (built-in rules)",
                    f"Fixit > {timeout / 60:.0f} min (timed out) -> > {speedup:.1f}x",
                    speedup >= 5,
                )
            )
        else:
            verdicts.append(Verdict(6, "cold >= 5x faster than Fixit (built-in rules)", "Fixit failed", None))
    else:
        verdicts.append(Verdict(6, "cold >= 5x faster than Fixit (built-in rules)", "not measured", None))
    verdicts.append(one_file_verdict(get("hexcheck-one-warm"), get("hexcheck-one-edited")))
    return verdicts


def one_file_verdict(warm: ToolResult | None, edited: ToolResult | None) -> Verdict:
    """Issue 17's target: `check` on one file with a warm cache in at most 1 s, judged in
    CPU seconds (a shared machine inflates wall-clock times); the same run after an edit
    of that file is shown beside it, not judged."""
    text = "check on one file with a warm cache <= 1 s (CPU seconds)"
    cpu = warm.median_cpu() if warm is not None else None
    if warm is None or cpu is None:
        return Verdict(7, text, "not measured", None)
    value = f"one file, warm: {cpu:.2f} s CPU ({_fmt(warm.median())} s wall)"
    edited_cpu = edited.median_cpu() if edited is not None else None
    if edited is not None and edited_cpu is not None:
        value += f"; after editing it: {edited_cpu:.2f} s CPU ({_fmt(edited.median())} s wall)"
    return Verdict(7, text, value, cpu <= 1.0)


def linearity(small: dict[str, object], large: dict[str, object]) -> Verdict:
    """Target 5 from two runs: time per module at the larger size vs the smaller one."""
    tolerance = 1.25
    rows = []
    met = True
    n_small, n_large = int(small["files"]), int(large["files"])  # type: ignore[call-overload]
    for tool in ("hexcheck-cold", "hexcheck-cold-cache", "hexcheck-warm", "hexcheck-incremental"):
        a = small["medians"].get(tool)  # type: ignore[attr-defined]
        b = large["medians"].get(tool)  # type: ignore[attr-defined]
        if not a or not b:
            continue
        growth = (b / n_large) / (a / n_small)
        met = met and growth <= tolerance
        rows.append(f"{tool}: {a:.2f} s -> {b:.2f} s, per module x{growth:.2f}")
    if not rows:
        return Verdict(5, "time grows linearly", "no hexcheck times in both runs", None)
    text = (
        f"{n_small} -> {n_large} files (x{n_large / n_small:.1f}); "
        f"linear if per-module time grows <= x{tolerance}: "
    )
    return Verdict(5, "time grows linearly with the number of modules", text + "; ".join(rows), met)


def print_verdicts(verdicts: list[Verdict]) -> None:
    print("targets")
    for v in verdicts:
        state = "n/a    " if v.met is None else ("MET    " if v.met else "NOT MET")
        print(f"  {v.number}. {state} {v.text}\n             {v.value}")


# ---------------------------------------------------------------------------- main


def benchmark(tree: Tree, args: argparse.Namespace, modules: int | None) -> dict[str, object]:
    tools = [t for t in TOOL_ORDER if t not in expand(args.skip)]
    logs = tree.workdir / ".bench-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    (tree.workdir / ".bench-files.txt").write_text("\n".join(tree.files) + "\n", encoding="utf-8")
    setup = Setup(
        tree=tree,
        jobs=args.jobs,
        venv_python=args.python,
        tools_python=str(Path(args.tools_venv) / "bin" / "python"),
        logs=logs,
        timeout=args.timeout,
        fixit_timeout=args.fixit_timeout,
        quiet_wait=args.quiet_wait,
        original_edit=tree.edit_file.read_bytes(),
        original_one_file=tree.one_file.read_bytes(),
    )
    # Outside the measured tree: hexcheck reads the whole project around the paths it is
    # given, and a copy of its own source inside that project would be read with it.
    snapshot = Path(tempfile.mkdtemp(prefix="hexcheck-bench-snapshot-"))
    atexit.register(shutil.rmtree, snapshot, True)
    source, digest = snapshot_hexcheck(args.hexcheck_source, snapshot)
    setup.hexcheck_env = dict(os.environ, PYTHONPATH=str(snapshot))
    found = versions(setup)
    found["hexcheck"] += f" (snapshot {digest} of {source})"
    print()
    print(f"== {tree.label}")
    for key, value in tree.description.items():
        if key not in ("violations", "contexts", "digest"):
            print(f"   {key}: {value}")
    if "violations" in tree.description:
        planted = tree.description["violations"]
        assert isinstance(planted, list)
        print(f"   planted violations: {len(planted)} ({', '.join(sorted({v[1] for v in planted}))})")
    print(
        f"   machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print("   versions: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    print(f"   processes: --jobs {args.jobs} for hexcheck, Pool({args.jobs}) for the bare parse; "
          "grimp, tach and Fixit use every CPU")  # fmt: skip
    print(f"   incremental edit: {os.path.relpath(tree.edit_file, tree.workdir)}")
    print(f"   one-file runs: {os.path.relpath(tree.one_file, tree.workdir)}")
    print(f"   rounds: {args.runs}, tool order rotating; logs in {logs}")
    results = {tool: ToolResult(tool) for tool in tools}
    try:
        for index in range(args.runs):
            run_round(setup, tools, results, index)
    finally:
        tree.edit_file.write_bytes(setup.original_edit)
        tree.one_file.write_bytes(setup.original_one_file)
    print()
    print_table(results, len(tree.files))
    print()
    verdicts = judge(results, modules, args.fixit_timeout)
    print_verdicts(verdicts)
    consistency(results)
    return {
        "label": tree.label,
        "files": len(tree.files),
        "modules": modules,
        "versions": found,
        "medians": {tool: r.median() for tool, r in results.items()},
        "results": {tool: [asdict(run) for run in r.runs] for tool, r in results.items()},
        "verdicts": [asdict(v) for v in verdicts],
        "description": {k: v for k, v in tree.description.items() if k != "contexts"},
    }


def consistency(results: dict[str, ToolResult]) -> None:
    """hexcheck must find the same whatever the mode; a difference is a bug worth a line."""
    cold = results.get("hexcheck-cold")
    if cold is None or not cold.runs:
        return
    expected = cold.runs[0].summary
    for tool in ("hexcheck-cold-cache", "hexcheck-warm", "hexcheck-incremental"):
        result = results.get(tool)
        if result is None:
            continue
        differing = {r.summary for r in result.runs} - {expected}
        if differing:
            print(f"  WARNING: {tool} reported {sorted(differing)} where cold reported {expected!r}")


def expand(skips: Sequence[str]) -> set[str]:
    names: set[str] = set()
    for item in skips:
        for name in item.split(","):
            name = name.strip()
            if not name:
                continue
            if name in SKIP_ALIASES:
                names.update(SKIP_ALIASES[name])
            elif name in TOOL_ORDER:
                names.add(name)
            else:
                raise SystemExit(
                    f"--skip: unknown tool {name!r}; "
                    f"one of {', '.join(TOOL_ORDER)} or {', '.join(SKIP_ALIASES)}"
                )
    return names


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--modules", type=int, nargs="+", help="synthetic tree sizes (default: 2000)")
    what.add_argument("--real", type=Path, help="benchmark a real tree (copied; never modified)")
    what.add_argument("--compare", type=Path, nargs=2, metavar=("SMALL.json", "LARGE.json"),
                      help="judge target 5 from two saved results")  # fmt: skip
    parser.add_argument("--tree", type=Path, help="where to generate (or reuse) the synthetic tree; kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="rounds over all tools (default 3)")
    parser.add_argument("--jobs", type=int, default=2, help="hexcheck --jobs and the bare parse's Pool size")
    parser.add_argument("--skip", action="append", default=[], help="tools to leave out (comma-separated)")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per run of a tool (default 1800)"
    )
    parser.add_argument("--fixit-timeout", type=float, default=1200, help="seconds for Fixit (default 1200)")
    parser.add_argument("--python", default=sys.executable, help="the venv with hexcheck and import-linter")
    parser.add_argument("--tools-venv", default="/work/bench-venv", help="the venv with tach and fixit")
    parser.add_argument(
        "--hexcheck-source",
        type=Path,
        help="the hexcheck package directory to snapshot and measure (default: the one --python imports)",
    )
    parser.add_argument(
        "--json", type=Path, help="save the results here (one file per size: SIZE is appended)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--quiet-wait", type=float, default=0.0,
                        help="before each run, wait up to this many seconds for the machine to be idle "
                        "(CPU pressure under 10%%; default 0: never wait)")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        small, large = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        print_verdicts([linearity(small, large)])
        return 0
    saved: list[dict[str, object]] = []
    temp = Path(tempfile.mkdtemp(prefix="hexcheck-bench-"))
    try:
        if args.real:
            tree = real_tree(args.real, temp)
            saved.append(benchmark(tree, args, None))
        else:
            for modules in args.modules or [2000]:
                directory = (
                    args.tree / str(modules) if args.tree and len(args.modules or []) > 1 else args.tree
                )
                tree = synthetic_tree(directory or temp / f"tree-{modules}", modules, args.seed)
                saved.append(benchmark(tree, args, modules))
        if len(saved) >= 2:
            print()
            print_verdicts([linearity(saved[0], saved[-1])])
        if args.json:
            for result in saved:
                path = (
                    args.json
                    if len(saved) == 1
                    else args.json.with_name(f"{args.json.stem}-{result['modules']}.json")
                )
                path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
                print(f"saved {path}")
    finally:
        if args.keep:
            print(f"kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
