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

This runs on every file next to the parse, so the walks are written for speed: libcst's
node classes are ABCs, and `isinstance` against them goes through `ABCMeta.__instancecheck__`
whenever the answer is no, which made the checks on every child the bulk of the cost.
Walks classify a child with one dict lookup on its exact type instead (libcst's concrete
node classes have no subclasses, so `type(x) is cst.Call` means `isinstance(x, cst.Call)`),
and do not descend into nodes that cannot hold a call (names, numbers, strings). A
one-line statement whose text has no `(` has no call in either tree, so neither is walked
for it (`_Indexer._may_call`).
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
if hasattr(ast, "TypeAlias"):  # Python 3.12+
    _STATEMENT_PAIRS[cst.TypeAlias] = (ast.TypeAlias,)
# Python 3.15's `ast` marks a lazy import with `is_lazy` on the usual classes.
_STATEMENT_PAIRS[cst.LazyImport] = (ast.Import,)
_STATEMENT_PAIRS[cst.LazyImportFrom] = (ast.ImportFrom,)

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


# libcst nodes made of their source text alone (`value: str`): no call can be inside.
_TEXT_LEAVES = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString})


class _CallFields(dict[type, tuple[str, ...]]):
    """libcst class -> the fields a search for calls descends into, in source order.

    Filled on first sight of a class. Anything that cannot hold a call maps to `()`: the
    text leaves, nodes without child fields (operators, ...) and values that are no node
    at all (`str`, `None`, `MaybeSentinel`), so one lookup on `type(child)` both says
    whether to descend and where to go (see the module docstring for why not `isinstance`).
    Tuples and lists are checked for before the lookup.
    """

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields: tuple[str, ...]
        if not issubclass(kind, cst.CSTNode) or kind in _TEXT_LEAVES:
            fields = ()
        elif kind is cst.IfExp:  # `body if test else orelse`: the dataclass fields are out of order
            fields = ("body", "test", "orelse")
        else:
            fields = node_fields(kind)
        self[kind] = fields
        return fields


_CALL_FIELDS = _CallFields()


def iter_calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Every call inside `node`, in source order (outer calls before inner ones)."""
    calls: list[cst.Call] = []
    _collect_calls(node, calls)
    return iter(calls)


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of `node` that may hold a call, in the order `iter_calls` visits them."""
    children: list[cst.CSTNode] = []
    call_fields = _CALL_FIELDS
    for name in call_fields[type(node)]:
        child = getattr(node, name)
        kind = type(child)
        if kind is tuple or kind is list:
            for item in child:
                if call_fields[type(item)]:
                    children.append(item)
        elif call_fields[kind]:
            children.append(child)
    return children


def _collect_calls(node: cst.CSTNode, calls: list[cst.Call]) -> None:
    """Append the calls in `node` to `calls`: pre-order, so outer calls come first.

    The loop repeats `child_nodes` inline on purpose: calling it builds a list per node,
    which measured 10-20% slower extraction on the synthetic tree.
    """
    if type(node) is cst.Call:
        calls.append(node)
    call_fields = _CALL_FIELDS
    for name in call_fields[type(node)]:
        child = getattr(node, name)
        kind = type(child)
        if kind is tuple or kind is list:
            for item in child:
                if call_fields[type(item)]:
                    _collect_calls(item, calls)
        elif call_fields[kind]:
            _collect_calls(child, calls)


class _AstCallFields(dict[type, tuple[str, ...]]):
    """`ast` class -> the fields a search for calls descends into; `()` for leaves.

    Names, constants, contexts, operators and non-`ast` values (`str`, `None`, ...) hold no
    call. The order does not matter: `ast` calls are sorted by position afterwards.
    """

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields: tuple[str, ...] = ()
        if issubclass(kind, ast.AST) and kind not in (ast.Name, ast.Constant):
            fields = tuple(name for name in kind._fields if name != "ctx")
        self[kind] = fields
        return fields


_AST_CALL_FIELDS = _AstCallFields()


class _OwnAstFields(dict[type, tuple[str, ...]]):
    """`ast` statement (or clause) class -> its own fields: not the nested blocks, not a
    `case` pattern (the libcst side leaves patterns out too)."""

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields = tuple(
            name for name in getattr(kind, "_fields", ()) if name not in _BLOCK_FIELDS and name != "pattern"
        )
        self[kind] = fields
        return fields


_OWN_AST_FIELDS = _OwnAstFields()


def _collect_ast_calls(node: object, calls: list[ast.Call]) -> None:
    """Append the `ast` calls in `node` (any field value: a node, or a leaf value) to `calls`."""
    if type(node) is ast.Call:
        calls.append(node)
    call_fields = _AST_CALL_FIELDS
    for name in call_fields[type(node)]:
        child = getattr(node, name)
        if type(child) is list:
            for item in child:
                if call_fields[type(item)]:
                    _collect_ast_calls(item, calls)
        elif call_fields[type(child)]:
            _collect_ast_calls(child, calls)


def _position(call: ast.Call) -> tuple[int, int, int, int]:
    """Sort key: by start, and of two calls starting together the longer (outer) first."""
    return (call.lineno, call.col_offset, -(call.end_lineno or 0), -(call.end_col_offset or 0))


def _callee_tail(node: ast.expr) -> str:
    if type(node) is ast.Name:
        return node.id
    if type(node) is ast.Attribute:
        return node.attr
    return ""


def _cst_callee_tail(node: cst.BaseExpression) -> str:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return node.attr.value
    return ""


def flatten(statements: Sequence[cst.CSTNode]) -> list[cst.CSTNode]:
    """A libcst statement list as `ast` sees it: one entry per small statement."""
    flat: list[cst.CSTNode] = []
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine:
            flat.extend(statement.body)
        else:
            flat.append(statement)
    return flat


def block_statements(block: cst.BaseSuite | cst.Module) -> list[cst.CSTNode]:
    """The statements of a block (`IndentedBlock`, `x: y` suite, or a module), flattened."""
    return flatten(block.body)


# Statements with no expressions of their own: no call to pair on either side.
_CALL_FREE: frozenset[type[cst.CSTNode]] = frozenset(
    {
        cst.Import, cst.ImportFrom, cst.LazyImport, cst.LazyImportFrom, cst.Pass, cst.Break,
        cst.Continue, cst.Global, cst.Nonlocal,
    }
)  # fmt: skip


class _Indexer:
    def __init__(
        self, with_calls: bool, lines: Sequence[bytes] = (), ascii_lines: Sequence[bytes] = ()
    ) -> None:
        self.spans: dict[int, Span] = {}
        self.with_calls = with_calls
        self.lines = lines  # of a source with non-ASCII text, to count columns in characters
        self.ascii_lines = ascii_lines  # of an ASCII source, to look for calls in the text

    def span(self, node: ast.AST) -> Span:
        """`ast` counts columns in UTF-8 bytes; reports count characters."""
        span = span_of(node)
        if not self.lines:  # an ASCII source (see `ast_spans`): bytes are characters
            return span
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

    def statement(self, statement: cst.CSTNode, node: ast.stmt) -> None:
        kind = type(statement)  # exact types, not `isinstance` (see the module docstring)
        expected = _STATEMENT_PAIRS.get(kind)
        if expected is None or not isinstance(node, expected):
            raise PositionMismatch(f"{kind.__name__} against {type(node).__name__}")
        self.spans[id(statement)] = self.span(node)
        if self.with_calls and kind not in _CALL_FREE and self._may_call(kind, node):
            self.calls(statement, node)
        # `type(statement) is ...` rather than `isinstance` (see the module docstring);
        # mypy narrows on both.
        if type(statement) is cst.FunctionDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            self.params(statement.params, node.args)
            self.block(block_statements(statement.body), node.body)
        elif type(statement) is cst.ClassDef:
            assert isinstance(node, ast.ClassDef)
            self.block(block_statements(statement.body), node.body)
        elif (
            type(statement) is cst.If
            or type(statement) is cst.While
            or type(statement) is cst.For
            or type(statement) is cst.With
        ):
            assert isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith))
            self.block(block_statements(statement.body), node.body)
            orelse = getattr(statement, "orelse", None)
            if type(orelse) is cst.If:  # `elif`
                self.block([orelse], getattr(node, "orelse", []))
            elif type(orelse) is cst.Else:
                self.block(block_statements(orelse.body), getattr(node, "orelse", []))
        elif type(statement) is cst.Try or type(statement) is cst.TryStar:
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
        elif type(statement) is cst.Match:
            assert isinstance(node, ast.Match)
            if len(statement.cases) != len(node.cases):
                raise PositionMismatch("match cases")
            for case, ast_case in zip(statement.cases, node.cases, strict=True):
                if self.with_calls:
                    self.calls(case, ast_case)
                self.block(block_statements(case.body), ast_case.body)

    def _may_call(self, kind: type[cst.CSTNode], node: ast.stmt) -> bool:
        """False when the text shows the statement has no call: no `(` in it.

        About half the simple statements have none; this spares walking both trees for them.
        Only for one-line simple statements of an ASCII source, where the `ast` span is exactly
        the statement's own text, in bytes that are characters (a `def`'s decorators lie
        before its span, a compound statement's span holds its blocks).
        """
        lines = self.ascii_lines
        if not lines or kind in _HEADED or node.lineno != node.end_lineno:
            return True
        end = node.end_col_offset
        return lines[node.lineno - 1].find(b"(", node.col_offset, end) >= 0

    def params(self, params: cst.Parameters, args: ast.arguments) -> None:
        ours: list[cst.CSTNode] = [*params.posonly_params, *params.params]
        theirs: list[ast.arg] = [*args.posonlyargs, *args.args]
        if type(params.star_arg) is cst.Param:
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
        for name in _OWN_AST_FIELDS[type(node)]:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    _collect_ast_calls(item, theirs)
            else:
                _collect_ast_calls(value, theirs)
        ours = _own_calls(statement)
        if len(ours) != len(theirs):
            raise PositionMismatch(f"{len(ours)} calls against {len(theirs)}")
        if len(theirs) > 1:
            theirs.sort(key=_position)
        for call, ast_call in zip(ours, theirs, strict=True):
            if _cst_callee_tail(call.func) != _callee_tail(ast_call.func):
                raise PositionMismatch("callee")
            self.spans[id(call)] = self.span(ast_call)


# Statements and clauses whose own expressions are some of their fields; any other
# statement is all expressions (see `_own_calls`).
_HEADED: frozenset[type[cst.CSTNode]] = frozenset(
    {
        cst.FunctionDef, cst.ClassDef, cst.If, cst.While, cst.For, cst.With, cst.ExceptHandler,
        cst.ExceptStarHandler, cst.MatchCase, cst.Match, cst.Try, cst.TryStar,
    }
)  # fmt: skip


def _own_calls(statement: cst.CSTNode) -> list[cst.Call]:
    """The calls in a statement's header: decorators, arguments, conditions, values."""
    calls: list[cst.Call] = []
    kind = type(statement)
    if kind not in _HEADED:
        _collect_calls(statement, calls)
        return calls
    parts: Sequence[cst.CSTNode | None]
    if type(statement) is cst.FunctionDef:
        parts = [*statement.decorators, statement.params, statement.returns]
    elif type(statement) is cst.ClassDef:
        parts = [*statement.decorators, *statement.bases, *statement.keywords]
    elif type(statement) is cst.If or type(statement) is cst.While:
        parts = [statement.test]
    elif type(statement) is cst.For:
        parts = [statement.target, statement.iter]
    elif type(statement) is cst.With:
        parts = statement.items
    elif type(statement) is cst.ExceptHandler or type(statement) is cst.ExceptStarHandler:
        parts = [statement.type]
    elif type(statement) is cst.MatchCase:
        parts = [statement.guard]
    elif type(statement) is cst.Match:
        parts = [statement.subject]
    else:  # `try`: nothing but blocks
        parts = []
    for part in parts:
        if part is not None:
            _collect_calls(part, calls)
    return calls


def ast_spans(
    module: cst.Module, tree: ast.Module, with_calls: bool = True, source: bytes = b""
) -> dict[int, Span]:
    """Spans keyed by `id()` of libcst nodes, read off an `ast` parse of the same source."""
    # Columns need converting only on lines that are not ASCII: most sources have none.
    lines = source.splitlines()
    indexer = _Indexer(with_calls, *(((), lines) if source.isascii() else (lines, ())))
    indexer.block(block_statements(module), tree.body)
    return indexer.spans


def provider_positions(module: cst.Module) -> dict[cst.CSTNode, Span]:
    """LibCST's own `PositionProvider`, for every node: slow, but any interpreter's."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ranges = wrapper.resolve(PositionProvider)
    return {node: Span(r.start.line, r.start.column, r.end.line, r.end.column) for node, r in ranges.items()}


def provider_spans(module: cst.Module) -> dict[int, Span]:
    """`provider_positions` keyed by `id()`, as `ast_spans` is."""
    return {id(node): span for node, span in provider_positions(module).items()}


def libcst_spans(module: cst.Module, every_node: dict[int, Span] | None = None) -> dict[int, Span]:
    """What `ast_spans` gives, read off LibCST's positions instead of an `ast` parse.

    For files the running `ast` cannot parse (a grammar newer than the interpreter's) and
    for trees that do not pair: the same nodes get the same spans, so the facts do not
    depend on which interpreter runs hexcheck. `every_node` is `provider_spans(module)` when
    the caller has it already.
    """
    indexer = _ProviderIndexer(provider_spans(module) if every_node is None else every_node)
    indexer.block(block_statements(module))
    return indexer.spans


class _ProviderIndexer:
    """`_Indexer`'s walk over the libcst tree alone: statements, `except` clauses, parameters
    and the calls of each statement's own expressions."""

    def __init__(self, every_node: dict[int, Span]) -> None:
        self.every_node = every_node
        self.spans: dict[int, Span] = {}

    def add(self, node: cst.CSTNode) -> None:
        span = self.every_node.get(id(node))
        if span is not None:
            self.spans[id(node)] = span

    def own_calls(self, node: cst.CSTNode) -> None:
        for call in _own_calls(node):
            self.add(call)

    def block(self, statements: Sequence[cst.CSTNode]) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, statement: cst.CSTNode) -> None:
        self.add(statement)
        if type(statement) not in _CALL_FREE:
            self.own_calls(statement)
        if type(statement) is cst.FunctionDef:
            self.params(statement.params)
            self.block(block_statements(statement.body))
        elif type(statement) is cst.ClassDef:
            self.block(block_statements(statement.body))
        elif (
            type(statement) is cst.If
            or type(statement) is cst.While
            or type(statement) is cst.For
            or type(statement) is cst.With
        ):
            self.block(block_statements(statement.body))
            orelse = getattr(statement, "orelse", None)
            if type(orelse) is cst.If:  # `elif`
                self.statement(orelse)
            elif type(orelse) is cst.Else:
                self.block(block_statements(orelse.body))
        elif type(statement) is cst.Try or type(statement) is cst.TryStar:
            self.block(block_statements(statement.body))
            for handler in statement.handlers:
                self.add(handler)
                self.own_calls(handler)
                self.block(block_statements(handler.body))
            if statement.orelse is not None:
                self.block(block_statements(statement.orelse.body))
            if statement.finalbody is not None:
                self.block(block_statements(statement.finalbody.body))
        elif type(statement) is cst.Match:
            for case in statement.cases:
                self.own_calls(case)
                self.block(block_statements(case.body))

    def params(self, params: cst.Parameters) -> None:
        """`ast` spans a parameter from its name (not its `*`) to the end of its annotation
        (not its default); LibCST's `Param` holds all of them."""
        ours: list[cst.Param] = [*params.posonly_params, *params.params]
        if type(params.star_arg) is cst.Param:
            ours.append(params.star_arg)
        ours.extend(params.kwonly_params)
        if params.star_kwarg is not None:
            ours.append(params.star_kwarg)
        for param in ours:
            name = self.every_node.get(id(param.name))
            last = name
            if param.annotation is not None:
                annotation = param.annotation.annotation
                # `x: (A | B)`: `ast` ends at the closing parenthesis, LibCST's expression before it.
                closing = annotation.rpar[-1] if getattr(annotation, "rpar", None) else annotation
                last = self.every_node.get(id(closing))
            if name is not None and last is not None:
                self.spans[id(param)] = Span(name.line, name.column, last.end_line, last.end_column)
