"""Exact positions for libcst nodes, at a fraction of the cost of `PositionProvider`.

LibCST computes positions by generating the code of the whole tree (after deep-copying
it in `MetadataWrapper`): measured on Netflix/dispatch, that costs 2.5 to 3.5 times the
parse. CPython's `ast` parser gives exact positions for about a tenth of the libcst parse.
Both trees describe the same source, statement for statement, so this module parses the
source once more with `ast` and zips the two:

- statement lists pair one to one (libcst's `SimpleStatementLine` holding `a; b` is two
  `ast` statements);
- parameters pair in signature order;
- calls inside one statement's own expressions (not its nested blocks) pair in source
  order: libcst is walked in source order, `ast` calls are sorted by start, the longer
  first when two start together (`f(x)(y)` contains `f(x)`).

Every pair is checked (statement kinds, the callee's last name); a mismatch is a bug in
this module, not in the user's code, and falls back to LibCST's own `PositionProvider`.
The index holds the nodes facts are reported at: statements, `except` clauses,
parameters and calls.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator, Sequence

import libcst as cst

from hexcheck.core.facts import Span

# libcst statement class -> the `ast` classes it may pair with.
_STATEMENT_PAIRS: dict[type[cst.CSTNode], tuple[type[ast.AST], ...]] = {
    cst.Expr: (ast.Expr,),
    cst.Assign: (ast.Assign,),
    cst.AnnAssign: (ast.AnnAssign,),
    cst.AugAssign: (ast.AugAssign,),
    cst.Return: (ast.Return,),
    cst.Raise: (ast.Raise,),
    cst.Assert: (ast.Assert,),
    cst.Del: (ast.Delete,),
    cst.Pass: (ast.Pass,),
    cst.Break: (ast.Break,),
    cst.Continue: (ast.Continue,),
    cst.Global: (ast.Global,),
    cst.Nonlocal: (ast.Nonlocal,),
    cst.Import: (ast.Import,),
    cst.ImportFrom: (ast.ImportFrom,),
    cst.If: (ast.If,),
    cst.While: (ast.While,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Try: (ast.Try,),
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.Match: (ast.Match,),
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _STATEMENT_PAIRS[cst.TryStar] = (ast.TryStar,)
if hasattr(ast, "TypeAlias") and hasattr(cst, "TypeAlias"):  # Python 3.12+
    _STATEMENT_PAIRS[cst.TypeAlias] = (ast.TypeAlias,)

# `ast` fields that hold nested statement blocks, not the statement's own expressions.
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})

# libcst fields that never contain a call: whitespace and punctuation.
_SKIPPED_FIELD_PARTS = (
    "whitespace", "lpar", "rpar", "comma", "semicolon", "colon", "dot", "equal",
    "lbracket", "rbracket", "lbrace", "rbrace", "leading_lines", "lines_after",
    "trailing", "newline", "operator", "asynchronous", "indent", "header", "footer",
)  # fmt: skip

_FIELD_CACHE: dict[type[cst.CSTNode], tuple[str, ...]] = {}


class PositionMismatch(Exception):
    """The two trees did not pair up; positions fall back to LibCST's provider."""


def span_of(node: ast.AST) -> Span:
    """The span `ast` gives a node."""
    line = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0)
    end_line = getattr(node, "end_lineno", None) or line
    end_col = getattr(node, "end_col_offset", None)
    return Span(line, col, end_line, col if end_col is None else end_col)


def node_fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _FIELD_CACHE.get(kind)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(kind)
            if not any(part in f.name for part in _SKIPPED_FIELD_PARTS)
        )
        _FIELD_CACHE[kind] = names
    return names


def iter_calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Every call inside `node`, in source order (outer calls before inner ones)."""
    if isinstance(node, cst.Call):
        yield node
    if isinstance(node, cst.IfExp):  # `body if test else orelse`: fields are out of order
        children: Sequence[object] = (node.body, node.test, node.orelse)
    else:
        children = [getattr(node, name) for name in node_fields(type(node))]
    for child in children:
        if isinstance(child, cst.CSTNode):
            yield from iter_calls(child)
        elif isinstance(child, (tuple, list)):
            for item in child:
                if isinstance(item, cst.CSTNode):
                    yield from iter_calls(item)


def _ast_calls(node: ast.AST) -> list[ast.Call]:
    calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
    calls.sort(key=lambda c: (c.lineno, c.col_offset, -(c.end_lineno or 0), -(c.end_col_offset or 0)))
    return calls


def _callee_tail(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _cst_callee_tail(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


def flatten(statements: Sequence[cst.CSTNode]) -> list[cst.CSTNode]:
    """A libcst statement list as `ast` sees it: one entry per small statement."""
    flat: list[cst.CSTNode] = []
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            flat.extend(statement.body)
        else:
            flat.append(statement)
    return flat


def block_statements(block: cst.BaseSuite | cst.Module) -> list[cst.CSTNode]:
    """The statements of a block (`IndentedBlock`, `x: y` suite, or a module), flattened."""
    return flatten(block.body)


class _Indexer:
    def __init__(self, with_calls: bool, lines: Sequence[bytes] = ()) -> None:
        self.spans: dict[int, Span] = {}
        self.with_calls = with_calls
        self.lines = lines

    def span(self, node: ast.AST) -> Span:
        """`ast` counts columns in UTF-8 bytes; reports count characters."""
        span = span_of(node)
        return Span(
            span.line,
            self._chars(span.line, span.column),
            span.end_line,
            self._chars(span.end_line, span.end_column),
        )

    def _chars(self, line: int, column: int) -> int:
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                return len(text[:column].decode("utf-8", errors="replace"))
        return column

    def block(self, statements: Sequence[cst.CSTNode], nodes: Sequence[ast.stmt]) -> None:
        if len(statements) != len(nodes):
            raise PositionMismatch(f"{len(statements)} statements against {len(nodes)}")
        for statement, node in zip(statements, nodes, strict=True):
            self.statement(statement, node)

    def statement(self, statement: cst.CSTNode, node: ast.AST) -> None:
        expected = _STATEMENT_PAIRS.get(type(statement))
        if expected is None or not isinstance(node, expected):
            raise PositionMismatch(f"{type(statement).__name__} against {type(node).__name__}")
        self.spans[id(statement)] = self.span(node)
        if self.with_calls:
            self.calls(statement, node)
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if isinstance(statement, cst.FunctionDef):
                assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                self.params(statement.params, node.args)
            self.block(block_statements(statement.body), node.body)
        elif isinstance(statement, (cst.If, cst.While, cst.For, cst.With)):
            assert isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith))
            self.block(block_statements(statement.body), node.body)
            orelse = getattr(statement, "orelse", None)
            if isinstance(orelse, cst.If):  # `elif`
                self.block([orelse], getattr(node, "orelse", []))
            elif isinstance(orelse, cst.Else):
                self.block(block_statements(orelse.body), getattr(node, "orelse", []))
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            assert isinstance(node, ast.Try) or type(node).__name__ == "TryStar"
            self.block(block_statements(statement.body), node.body)  # type: ignore[attr-defined]
            handlers = node.handlers  # type: ignore[attr-defined]
            if len(statement.handlers) != len(handlers):
                raise PositionMismatch("except clauses")
            for handler, ast_handler in zip(statement.handlers, handlers, strict=True):
                self.spans[id(handler)] = self.span(ast_handler)
                if self.with_calls:
                    self.calls(handler, ast_handler)
                self.block(block_statements(handler.body), ast_handler.body)  # type: ignore[attr-defined]
            if statement.orelse is not None:
                self.block(block_statements(statement.orelse.body), node.orelse)  # type: ignore[attr-defined]
            if statement.finalbody is not None:
                self.block(block_statements(statement.finalbody.body), node.finalbody)  # type: ignore[attr-defined]
        elif isinstance(statement, cst.Match):
            assert isinstance(node, ast.Match)
            if len(statement.cases) != len(node.cases):
                raise PositionMismatch("match cases")
            for case, ast_case in zip(statement.cases, node.cases, strict=True):
                if self.with_calls:
                    self.calls(case, ast_case)
                self.block(block_statements(case.body), ast_case.body)

    def params(self, params: cst.Parameters, args: ast.arguments) -> None:
        ours: list[cst.CSTNode] = [*params.posonly_params, *params.params]
        theirs: list[ast.arg] = [*args.posonlyargs, *args.args]
        if isinstance(params.star_arg, cst.Param):
            ours.append(params.star_arg)
        if args.vararg is not None:
            theirs.append(args.vararg)
        ours.extend(params.kwonly_params)
        theirs.extend(args.kwonlyargs)
        if params.star_kwarg is not None:
            ours.append(params.star_kwarg)
        if args.kwarg is not None:
            theirs.append(args.kwarg)
        if len(ours) != len(theirs):
            raise PositionMismatch("parameters")
        for param, arg in zip(ours, theirs, strict=True):
            self.spans[id(param)] = self.span(arg)

    def calls(self, statement: cst.CSTNode, node: ast.AST) -> None:
        """Pair the calls of a statement's own expressions, leaving nested blocks out."""
        theirs: list[ast.Call] = []
        for name, value in ast.iter_fields(node):
            if name in _BLOCK_FIELDS or name == "pattern":
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, ast.AST):
                    theirs.extend(_ast_calls(item))
        theirs.sort(key=lambda c: (c.lineno, c.col_offset, -(c.end_lineno or 0), -(c.end_col_offset or 0)))
        ours = list(_own_calls(statement))
        if len(ours) != len(theirs):
            raise PositionMismatch(f"{len(ours)} calls against {len(theirs)}")
        for call, ast_call in zip(ours, theirs, strict=True):
            if _cst_callee_tail(call.func) != _callee_tail(ast_call.func):
                raise PositionMismatch("callee")
            self.spans[id(call)] = self.span(ast_call)


def _own_calls(statement: cst.CSTNode) -> Iterator[cst.Call]:
    """The calls in a statement's header: decorators, arguments, conditions, values."""
    if isinstance(statement, cst.FunctionDef):
        parts: list[cst.CSTNode | None] = [*statement.decorators, statement.params, statement.returns]
    elif isinstance(statement, cst.ClassDef):
        parts = [*statement.decorators, *statement.bases, *statement.keywords]
    elif isinstance(statement, (cst.If, cst.While)):
        parts = [statement.test]
    elif isinstance(statement, cst.For):
        parts = [statement.target, statement.iter]
    elif isinstance(statement, cst.With):
        parts = list(statement.items)
    elif isinstance(statement, (cst.ExceptHandler, cst.ExceptStarHandler)):
        parts = [statement.type]
    elif isinstance(statement, cst.MatchCase):
        parts = [statement.guard]
    elif isinstance(statement, cst.Match):
        parts = [statement.subject]
    elif isinstance(statement, (cst.Try, cst.TryStar)):
        parts = []
    else:
        parts = [statement]
    for part in parts:
        if part is not None:
            yield from iter_calls(part)


def ast_spans(
    module: cst.Module, tree: ast.Module, with_calls: bool = True, source: bytes = b""
) -> dict[int, Span]:
    """Spans keyed by `id()` of libcst nodes, read off an `ast` parse of the same source."""
    indexer = _Indexer(with_calls, source.splitlines())
    indexer.block(block_statements(module), tree.body)
    return indexer.spans


def provider_spans(module: cst.Module) -> dict[int, Span]:
    """The slow, always-right path: LibCST's own `PositionProvider`."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ranges = wrapper.resolve(PositionProvider)
    return {
        id(node): Span(r.start.line, r.start.column, r.end.line, r.end.column) for node, r in ranges.items()
    }
