"""Every grammar hexcheck reads gives the same facts, whatever Python runs hexcheck.

`fixtures/modern_grammar` is a service written in the syntax of Python 3.12 to 3.15 (its
`expected.txt` lists its findings, checked by test_fixtures.py: no HEX900). Its facts,
positions included, are golden: `tests/golden/modern_grammar_facts.txt` was written under
Python 3.13, whose own `ast` reads all its files but the 3.14 and 3.15 ones; every other
interpreter must give the very same facts, whether its `ast` reads a file or LibCST's
positions stand in. `.ci/run` runs this file (and that fixture) under pyenv's Python 3.10,
3.12 and 3.13 as well as the default one.

Regenerate the golden file, under Python 3.13 or newer only:
    python -m tests.test_grammar
"""

from __future__ import annotations

import ast
import sys
import warnings
from pathlib import Path

import libcst as cst
import pytest

from hexcheck.extract import extractor, grammar
from hexcheck.extract.extractor import extract
from hexcheck.extract.positions import ast_spans, libcst_spans
from tests.conftest import FIXTURES

PROJECT = FIXTURES / "modern_grammar"
GOLDEN = Path(__file__).parent / "golden" / "modern_grammar_facts.txt"
SAMPLED = (Path(__file__).resolve().parent.parent / "hexcheck" / "extract", FIXTURES / "bookstore_violations")


def _facts_lines() -> list[str]:
    lines = []
    for path in sorted(PROJECT.rglob("*.py")):
        relative = path.relative_to(PROJECT).as_posix()
        module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        facts = extract(path.read_bytes(), module, relative, path.name == "__init__.py")
        lines.append(f"{relative}: {facts!r}")
    return lines


def test_facts_and_positions_equal_a_python_313_run() -> None:
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    ours = _facts_lines()
    assert [line.partition(":")[0] for line in ours] == [line.partition(":")[0] for line in golden]
    for mine, theirs in zip(ours, golden, strict=True):
        assert mine == theirs


def test_the_modern_files_name_every_import() -> None:
    imports = {
        line.partition(":")[0]: line.count("ImportFact(") for line in _facts_lines() if "ImportFact(" in line
    }
    assert imports["app/domain/policies.py"] == 3  # two lazy imports and one plain one
    assert "lazy=True" in next(line for line in _facts_lines() if line.startswith("app/domain/policies.py"))


# Positions that differ between LibCST and `ast` unless reshaped: parameters (`*args`,
# defaults, parenthesised annotations), decorators, `elif`, handlers, `match` guards,
# calls inside f-strings, characters beyond ASCII, a tab.
_POSITIONS_SAMPLE = b"""\
import functools


@functools.cache
def price(*items: "Item", discount: (int | None) = None, **extra: str) -> int:
    total = sum(item.cents() for item in items)  # \xc3\xa9t\xc3\xa9: non-ASCII before a call
    note = "\xc3\xa9" + str(total); label = f"{note!r:>{width()}} {len(items)}"
    if total > limit(1):
        raise ValueError(describe(total))
    elif total < floor():
        total =\tfloor()  # a tab before the call
    try:
        log(total)
    except (KeyError, lookup_error()) as error:
        handle(error)
    match total:
        case int(x) if x > ceiling():
            return clamp(x)
    return total
"""


def test_libcst_positions_are_the_positions_ast_gives() -> None:
    files = sorted(path for directory in SAMPLED for path in directory.rglob("*.py"))
    sources = [_POSITIONS_SAMPLE, *(path.read_bytes() for path in files)]
    compared = 0
    for source in sources:
        try:
            module, tree = cst.parse_module(source), ast.parse(source)
        except (cst.ParserSyntaxError, SyntaxError):
            continue  # the fixture's deliberately broken files
        assert libcst_spans(module) == ast_spans(module, tree, source=source)
        compared += 1
    assert compared > 30


def _problem(source: bytes) -> str:
    facts = extract(source, "app.broken", "app/broken.py")
    assert facts.problem is not None
    return f"{facts.problem.span.line}: {facts.problem.message}"


def test_a_syntax_error_names_the_construct_and_the_line() -> None:
    assert _problem(b"total = 1\nf(x for x in y, 1)\n") == (
        "2: syntax error at line 2, `x for x in y`: Generator expression must be parenthesized"
    )
    assert _problem(b"def create(self, book:\n    pass\n") == (
        "1: syntax error at line 1, `def create(self, book:`: '(' was never closed"
    )


def test_a_syntax_error_after_newer_syntax_is_found_where_it_is() -> None:
    # Python 3.10 and 3.11 stop at `[` (PEP 695); the file is broken on line 3 for every Python.
    problem = _problem(b"def first[T](items: list[T]) -> T:\n    return items[0]\nf(x for x in y, 1)\n")
    assert problem.startswith("3: syntax error at line 3, `")


def test_an_await_the_compiler_refuses_is_an_error_in_its_words() -> None:
    # CPython's parser and LibCST read these; `compile()` refuses them, and so the import.
    assert _problem(b"class Service:\n    def load(self):\n        return await self.repo.get()\n") == (
        "3: syntax error at line 3, `await self.repo.get()`: 'await' outside async function"
    )
    assert _problem(b"import asyncio\nawait asyncio.sleep(1)\n") == (
        "2: syntax error at line 2, `await asyncio.sleep(1)`: 'await' outside function"
    )


def test_the_files_own_warnings_neither_leak_nor_hide_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    source = b"if rows is 1:\n    pass\n\n\ndef load(repo):\n    return await repo.get()\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as under `python -W error`
        assert (
            _problem(source)
            == "6: syntax error at line 6, `await repo.get()`: 'await' outside async function"
        )
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "source",
    [
        b"async def load(repo):\n    return [await r for r in repo]\n",
        b"def load(repo):\n    async def inner():\n        return await repo.get()\n    return inner\n",
        b"def stream(rows):\n    return (await row for row in rows)\n",
    ],
)
def test_an_await_inside_an_async_function_or_generator_is_no_error(source: bytes) -> None:
    assert extract(source, "app.ok", "app/ok.py").problem is None


def test_an_error_in_an_old_style_f_string_is_an_error_on_every_python() -> None:
    # Nothing of PEP 701 in its fields: Python 3.10 and 3.11 read this f-string's grammar.
    problem = _problem(b'greeting = f"hello \\N{NO SUCH NAME} {name}"\n')
    assert problem.startswith("1: syntax error at line 1, `")
    assert "unknown Unicode character name" in problem


@pytest.mark.parametrize(
    "source",
    [
        b"type Pair[T] = tuple[T, T]\n",
        b"class Box[T: (int, str) = int, *Ts, **P]: ...\n",
        b'x = f"{\'a\' + f"{y["k"]}"}"\n',
        b"x = f'''{\n    a  # a comment inside (PEP 701)\n}'''\n",
        b"try:\n    pass\nexcept* ValueError:\n    pass\n",
        b"try:\n    pass\nexcept KeyError, ValueError:\n    pass\n",
        b'query = t"select {column}"\n',
        b"lazy from app.domain import model\n",
        b"flat = [*row for row in rows]\n",
    ],
)
def test_newer_syntax_is_no_error_on_any_python(source: bytes) -> None:
    assert extract(source, "app.modern", "app/modern.py").problem is None


def test_syntax_newer_than_hexcheck_reads_is_named_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Python newer than LibCST's grammar runs hexcheck and its `ast` reads a file LibCST cannot.
    monkeypatch.setattr(extractor, "_ast_parse", lambda source: ast.Module(body=[], type_ignores=[]))
    monkeypatch.setattr(extractor, "running_python", lambda: (3, 16))
    assert _problem(b"import os\nrows = data |> sorted\n") == (
        "2: needs the grammar of Python 3.16 at line 2, `rows = data |> sorted`: Python 3.16 reads it; "
        f"hexcheck reads {grammar.TARGET}"
    )


if __name__ == "__main__":
    if sys.version_info < (3, 13):
        sys.exit("regenerate under Python 3.13 or newer: its `ast` gives the reference positions")
    GOLDEN.write_text("\n".join(_facts_lines()) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
