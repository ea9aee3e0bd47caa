"""Source bytes -> `ModuleFacts`, in one pass over the LibCST tree.

This is the only place that reads Python syntax. It walks the tree by hand instead of
through `CSTVisitor`: the generic visitor's dispatch on every node costs about 1.4 times
the parse itself (measured on Netflix/dispatch), a direct walk over the same nodes about
0.07 times. Positions come from `positions.ast_spans` (see there for why).

Node kinds are told apart by exact type (`type(node) is cst.Call`), not `isinstance`:
libcst's node classes are ABCs, so every `isinstance` that answers no goes through
`ABCMeta.__instancecheck__`, and the chains of them here cost more than the rest of the
walk. Its concrete node classes have no subclasses, so both say the same.

What is collected, in `ModuleFacts` and the facts it holds:
- every import, with TYPE_CHECKING / function-level / ImportError-guarded / script-block
  (`if __name__ == "__main__":`) flags, relative
  imports made absolute, and `importlib.import_module("x")` / `__import__("x")` calls
  with literal names;
- classes (bases, metaclass, decorators, methods, class-level annotated attributes) at
  module level and nested in classes; classes defined inside functions are skipped;
- module-level functions, assignments and calls;
- for each function: decorators, parameters, return annotation, the kind of body,
  statement count, loops, raises, calls (with what is done with their value), `except`
  clauses and `self.x = ...` attributes. Nested functions count as part of their parent
  and are also kept as facts of their own (`FunctionFact.nested`); a `yield` in a
  function's own body makes it a generator.
- `# noqa` comments.
"""

from __future__ import annotations

import ast
import builtins
import io
import re
import sys
import tokenize
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import libcst as cst

from hexcheck.core.facts import (
    NO_SPAN,
    AssignmentFact,
    AttributeFact,
    BodyKind,
    CallContext,
    CallFact,
    ClassFact,
    Expr,
    ExprKind,
    FunctionFact,
    HandlerFact,
    ImportFact,
    ImportKind,
    ModuleFacts,
    ParamFact,
    ParamKind,
    ParseProblem,
    RaiseFact,
    Span,
    Suppression,
)
from hexcheck.extract.grammar import (
    NEWEST,
    TARGET,
    holds_newer_syntax,
    may_hold_newer_syntax,
    running_python,
    version_text,
)
from hexcheck.extract.positions import (
    PositionMismatch,
    ast_spans,
    block_statements,
    child_nodes,
    iter_calls,
    libcst_spans,
    provider_positions,
    span_of,
)
from hexcheck.extract.version import EXTRACTOR_VERSION

_SUMMARY_DEPTH = 4
_DYNAMIC_IMPORTERS = frozenset({"importlib.import_module", "__import__"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "builtins.ImportError"})
# The methods of `logging.Logger` (and structlog's, loguru's) an `except` body logs with.
_LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z][A-Z0-9]*(?:[,\s]+[A-Z][A-Z0-9]*)*))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)

# Node kinds, for dispatch on `type(node)` (see the module docstring).
_SCAN_LEAVES = frozenset({cst.Name, cst.SimpleString, cst.Integer, cst.Float})
_DISPLAYS = frozenset({cst.List, cst.Tuple, cst.Set, cst.StarredElement, cst.Element})
# Statements whose blocks module and class bodies look into: every branch is walked.
_BRANCHING = frozenset({cst.If, cst.Try, cst.TryStar, cst.With})
_IMPORTS = frozenset({cst.Import, cst.ImportFrom, cst.LazyImport, cst.LazyImportFrom})
_Import = cst.Import | cst.ImportFrom | cst.LazyImport | cst.LazyImportFrom
_BUILTIN_NAMES = frozenset(dir(builtins))
_NAMED_BASE_KINDS = frozenset({ExprKind.NAME, ExprKind.SUBSCRIPT})


def extract(source: bytes, module: str, path: str, is_package: bool = False) -> ModuleFacts:
    """The facts of one file; a file that cannot be parsed gets a `ParseProblem`."""
    facts = ModuleFacts(module=module, path=path, is_package=is_package)
    problem = _precheck(source)
    if problem is not None:
        return _with_problem(facts, problem)
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return _with_problem(facts, _syntax_problem(source, error))
    except (RecursionError, MemoryError):
        return _with_problem(facts, ParseProblem("nesting too deep to parse"))
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        return _with_problem(facts, ParseProblem(f"cannot decode the file: {error}"))
    try:
        spans = _spans(source, tree)
    except _Unparsable as unparsable:
        return _with_problem(facts, unparsable.problem)
    except RecursionError:
        return _with_problem(facts, ParseProblem("nesting too deep to parse"))
    try:
        extractor = _Extractor(facts, spans, tree)
        found = extractor.run(source)
    except RecursionError:
        return _with_problem(facts, ParseProblem("nesting too deep to parse"))
    # What CPython's parser reads but its compiler refuses: the module cannot be imported.
    refused = _refused_by_the_compiler(source, path) if extractor.misplaced_await else None
    return found if refused is None else _with_problem(facts, refused)


def _refused_by_the_compiler(source: bytes, path: str) -> ParseProblem | None:
    """CPython's own words and position for an `await` its compiler refuses, which its
    parser and LibCST accept; None when the running compiler accepts the file after all, or
    refuses it for another reason (syntax newer than the running Python, read by LibCST).
    `compile()` builds code objects and runs none of them."""
    try:
        # The file's own warnings (`x is 1`, `"\d"`) are no concern of the report, and a
        # `-W error` must not turn one into the error that is looked for.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        if "await" in error.msg or "asynchronous" in error.msg:
            return _cpython_problem(source, error)
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


class _Unparsable(Exception):
    def __init__(self, problem: ParseProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _ast_parse(source: bytes) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes etc.
        return ast.parse(source)


def _spans(source: bytes, tree: cst.Module) -> dict[int, Span]:
    """Positions of the nodes facts are reported at; `_Unparsable` for a real syntax error.

    The running interpreter's `ast` gives them cheaply (see `positions`), and also catches
    what only CPython rejects (`f(x for x in y, 1)`). When it rejects a construct of a newer
    Python than itself (`def f[T]()` on 3.11), the file is fine: LibCST's positions,
    reshaped to be the same as `ast`'s, stand in.
    """
    try:
        ast_tree = _ast_parse(source)
    except SyntaxError as error:
        positions = provider_positions(tree)
        if not holds_newer_syntax(positions, error.lineno or 1):
            raise _Unparsable(_cpython_problem(source, error)) from None
        return libcst_spans(tree, {id(node): span for node, span in positions.items()})
    except (RecursionError, MemoryError):
        raise _Unparsable(ParseProblem("nesting too deep to parse")) from None
    except ValueError as error:
        raise _Unparsable(ParseProblem(f"cannot parse the file: {error}")) from None
    try:
        return ast_spans(tree, ast_tree, source=source)
    except PositionMismatch:
        return libcst_spans(tree)


def _syntax_problem(source: bytes, error: cst.ParserSyntaxError) -> ParseProblem:
    """Why LibCST rejected a file: a syntax error, in CPython's words when it has them
    (they are the ones users know), or syntax of a Python newer than hexcheck reads."""
    line, column = _libcst_position(source, error)
    construct = _snippet(_line_text(source, line))
    try:
        _ast_parse(source)
    except SyntaxError as cpython:
        # An interpreter older than the file may stop at a newer construct LibCST read,
        # before the error LibCST stopped at: LibCST's words then, on every interpreter.
        cpython_line = cpython.lineno or 1
        if cpython_line > line or not may_hold_newer_syntax(_line_text(source, cpython_line)):
            return _cpython_problem(source, cpython)
    except (ValueError, RecursionError, MemoryError):
        pass
    else:  # the running Python reads what LibCST does not
        running = running_python()
        if running > NEWEST:
            why = f"Python {version_text(running)} reads it; hexcheck reads {TARGET}"
            needs = f"needs the grammar of Python {version_text(running)}"
            return _located(needs, why, line, column, construct)
        why = f"Python {version_text(running)} reads it, but LibCST, the parser hexcheck uses, does not"
        return _located("unreadable syntax", why, line, column, construct)
    # LibCST's own words list every token it expected; "invalid syntax" says as much.
    message = error.message.splitlines()[0] if error.message else ""
    if "expected one of" in message or not message:
        message = "invalid syntax"
    return _located("syntax error", message.removeprefix("parser error: "), line, column, construct)


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def _libcst_position(source: bytes, error: cst.ParserSyntaxError) -> tuple[int, int]:
    """Where LibCST stopped: its message says (`error at 2:5`, the unexpected token, the
    column from 0), its `raw_line` is at times the line after; past the end, the last line."""
    found = _LIBCST_POSITION.search(error.message)
    if found is None:
        return error.raw_line, error.raw_column
    last = max(source.count(b"\n") + (0 if source.endswith(b"\n") else 1), 1)
    line = int(found.group(1))
    return (line, int(found.group(2))) if line <= last else (last, 0)


def _cpython_problem(source: bytes, error: SyntaxError) -> ParseProblem:
    line = error.lineno or 1
    column = max((error.offset or 1) - 1, 0)
    text = error.text if error.text is not None else _line_text(source, line)
    construct = ""
    if error.end_lineno == line and error.offset and error.end_offset and error.end_offset > error.offset:
        construct = _snippet(text[error.offset - 1 : error.end_offset - 1])
    return _located("syntax error", error.msg, line, column, construct or _snippet(text))


def _located(what: str, why: str, line: int, column: int, construct: str) -> ParseProblem:
    """`syntax error at line 4, `100%off`: invalid decimal literal`."""
    where = f"at line {line}, `{construct}`" if construct else f"at line {line}"
    return ParseProblem(f"{what} {where}: {why}", Span(line, column, line, column))


_SNIPPET_LENGTH = 60


def _line_text(source: bytes, line: int) -> str:
    lines = source.splitlines()
    if 0 < line <= len(lines):
        return lines[line - 1].decode("utf-8", errors="replace")
    return ""


def _snippet(text: str) -> str:
    """The source of a construct for a message: on one line, trimmed, at most 60 characters."""
    text = " ".join(text.split())
    if len(text) > _SNIPPET_LENGTH:
        text = text[: _SNIPPET_LENGTH - 3] + "..."
    return text.replace("`", "'")


def _with_problem(facts: ModuleFacts, problem: ParseProblem) -> ModuleFacts:
    return ModuleFacts(facts.module, facts.path, facts.is_package, problem=problem)


def _precheck(source: bytes) -> ParseProblem | None:
    null = source.find(b"\x00")
    if null >= 0:
        line = source.count(b"\n", 0, null) + 1
        column = null - (source.rfind(b"\n", 0, null) + 1)
        return ParseProblem("the file contains a null byte", Span(line, column, line, column + 1))
    return None


def suppressions(text: str) -> tuple[Suppression, ...]:
    """The `# noqa` comments of a file, read from its lines as flake8 does.

    As in flake8, a `# noqa` inside a string on the line counts too; `in_comment` says
    whether it is a real comment, so that HEX901 judges only those.
    """
    found: list[Suppression] = []
    if "noqa" not in text.lower():
        return ()
    comments = _comment_lines(text)
    for number, line in enumerate(text.splitlines(), start=1):
        if "noqa" not in line.lower():
            continue
        match = _NOQA.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        named = tuple(c.upper() for c in _CODE.findall(codes)) if codes else ()
        in_comment = comments is None or number in comments
        found.append(Suppression(number, named, match.start(), match.end(), in_comment))
    return tuple(found)


def _comment_lines(text: str) -> set[int] | None:
    """The lines with a comment mentioning noqa; None when the text does not tokenize."""
    try:
        return {
            token.start[0]
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT and "noqa" in token.string.lower()
        }
    except (tokenize.TokenError, SyntaxError):
        return None


@dataclass
class _Scope:
    """What a function body accumulates (nested functions add to their parent's)."""

    qualname: str = ""
    calls: list[CallFact] = field(default_factory=list)
    raises: list[RaiseFact] = field(default_factory=list)
    handlers: list[HandlerFact] = field(default_factory=list)
    loops: list[Span] = field(default_factory=list)
    mapping_loops: list[Span] = field(default_factory=list)
    lists: set[str] = field(default_factory=set)  # local names bound to a new list
    self_attributes: list[AttributeFact] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    self_name: str = ""
    # The first parameter is the class itself (`cls` in `__new__` or a classmethod), not
    # an instance: `cls.abstract` is the class's flag, `self.abstract` an instance's data.
    self_is_class: bool = False
    statements: int = 0
    asserts: bool = False  # an `assert` in the body
    is_async: bool = False  # an `async def`: `await` may appear in its own body
    generator: bool = False  # a `yield` in this function's own body
    nested: list[FunctionFact] = field(default_factory=list)
    built: dict[str, str] = field(default_factory=dict)  # local name -> the callee that built it
    bound: list[tuple[str, str]] = field(default_factory=list)  # every (local name, callee) binding
    returned: list[str] = field(default_factory=list)
    params: frozenset[str] = frozenset()
    type_guard: bool = False  # inside a branch taken when a parameter has the wrong type
    abstract_guard: bool = False  # inside a branch taken when the instance's class is abstract
    # The raises standing right in a branch taken when instance attributes are unset, by
    # id, with those attributes (`if not self.repository: raise ...`).
    unset_raises: dict[int, tuple[str, ...]] = field(default_factory=dict)


class _Extractor:
    def __init__(self, facts: ModuleFacts, spans: dict[int, Span], tree: cst.Module) -> None:
        self.facts = facts
        self.spans = spans
        self.tree = tree
        self.module = facts.module
        self.package = facts.package
        self.names: dict[str, str] = {}
        # `class Request(Request)` after `from app.domain import Request`: the base is what
        # the name was bound to before, since a class's name is bound once its body has run.
        self.bound_before_class: dict[str, str] = {}
        # Modules `from x import *` reads at module level: a base class no statement binds
        # comes from one of them.
        self.star_targets: list[str] = []
        self.imports: list[ImportFact] = []
        self.classes: list[ClassFact] = []
        # The type parameters of module-level classes: name, bound, where (PEP 695).
        self.type_parameters: list[tuple[str, cst.BaseExpression | None, cst.CSTNode]] = []
        self.functions: list[FunctionFact] = []
        self.assignments: list[AssignmentFact] = []
        self.module_calls: list[CallFact] = []
        self.scope: _Scope | None = None
        self.deferred = 0  # > 0 inside a lambda or a nested function
        self.generator_expressions = 0  # > 0 inside one, where `await` makes it asynchronous
        # Whether an `await` stands outside an `async def`, which `compile()` refuses.
        self.misplaced_await = False
        self.type_checking = False
        self.guarded = False
        # The line of the outermost `try` with `except` clauses whose body or clauses the
        # walk is in (0 outside any): the statement a nested one's clauses belong to.
        self.outer_try = 0
        self.script = False  # inside the module's `if __name__ == "__main__":` block
        self.has_script_block = False
        # Inside `except ... as error:` clauses, innermost last: the name bound to the caught
        # exception and the class names `if` tests compare its type name with.
        self.caught: list[tuple[str, list[str]]] = []
        # One object per distinct expression of the module, so that the pickle the parent
        # receives (and the facts it rebuilds) hold each once: `self`, `str` or `None`
        # annotations recur hundreds of times per module. Names are interned for the same
        # reason (`sys.intern`: the pickler writes a repeated object once).
        self.exprs: dict[Expr, Expr] = {}

    # ---------------------------------------------------------------- entry point

    def run(self, source: bytes) -> ModuleFacts:
        statements = block_statements(self.tree)
        self._bind_module_names(statements)
        self._declare_type_parameters()
        self._block(statements)
        try:
            text = source.decode(self.tree.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        facts = self.facts
        unconditional = frozenset(self._span(st) for st in statements if type(st) is cst.ClassDef)
        return ModuleFacts(
            module=facts.module,
            path=facts.path,
            is_package=facts.is_package,
            imports=tuple(self.imports),
            classes=_live_classes(self.classes, facts.module, unconditional),
            functions=tuple(self.functions),
            assignments=tuple(self.assignments),
            calls=tuple(self.module_calls),
            suppressions=suppressions(text),
            runs_as_script=self.has_script_block,
        )

    def _span(self, node: cst.CSTNode) -> Span:
        return self.spans.get(id(node), NO_SPAN)

    # ---------------------------------------------------------------- names

    def _declare_type_parameters(self) -> None:
        """A class's PEP 695 type parameters (`class Entity[IdT: UUID]`) as the module-level
        type variables they stand for (`IdT = TypeVar("IdT", bound=UUID)`): what the rules
        know of a generic class is read from those. Not where the module binds the name
        itself."""
        bounds: dict[str, set[Expr | None]] = {}
        where: dict[str, cst.CSTNode] = {}
        for name, bound, node in self.type_parameters:
            if name in self.names:
                continue
            where.setdefault(name, node)
            # `[K: (int, str)]` constrains `K` to those types: no bound.
            summary = self.summary(bound) if bound is not None and type(bound) is not cst.Tuple else None
            bounds.setdefault(name, set()).add(summary)
        for name, node in where.items():
            # Two classes' `T` are one type variable here: bound only if every `T` is so bound.
            bound_to = next(iter(bounds[name])) if len(bounds[name]) == 1 else None
            keywords = (("bound", bound_to),) if bound_to is not None else ()
            call = Expr(ExprKind.CALL, "typing.TypeVar", (Expr(ExprKind.LITERAL, name),), keywords)
            self.assignments.append(AssignmentFact(sys.intern(name), self._span(node), call, None))
            self.names[name] = f"{self.module}.{name}"

    def _bind_module_names(self, statements: Sequence[cst.CSTNode]) -> None:
        """Module-level names first, so a class may refer to one defined below it."""
        for statement in statements:
            if type(statement) is cst.ClassDef or type(statement) is cst.FunctionDef:
                own = f"{self.module}.{statement.name.value}"
                earlier = self.names.get(statement.name.value)
                if type(statement) is cst.ClassDef and earlier is not None and earlier != own:
                    self.bound_before_class[statement.name.value] = earlier
                self.names[statement.name.value] = own
                if type(statement) is cst.ClassDef:
                    self.type_parameters.extend(_type_variables(statement))
            elif type(statement) is cst.Assign:
                for target in statement.targets:
                    if type(target.target) is cst.Name:
                        self.names[target.target.value] = f"{self.module}.{target.target.value}"
            elif type(statement) is cst.AnnAssign and type(statement.target) is cst.Name:
                self.names[statement.target.value] = f"{self.module}.{statement.target.value}"
            elif type(statement) in _IMPORTS:
                for local, bound in self._import_bindings(cast(_Import, statement)):
                    self.names[local] = bound
                if isinstance(statement, cst.ImportFrom) and isinstance(statement.names, cst.ImportStar):
                    self.star_targets.append(self._from_target(statement))
            elif type(statement) in _BRANCHING:
                self._bind_module_names(list(_nested_blocks(statement)))

    def _base_through_star_imports(self, base: Expr) -> Expr:
        """A base no statement of the module binds, named where the star imports are: the
        one star-imported module's name, or this module's name when there are several (the
        hierarchy then asks each of them what it binds)."""
        name = base.name
        if not self.star_targets or base.kind not in _NAMED_BASE_KINDS or not name or "." in name:
            return base
        local = self.scope is not None and name in self.scope.names
        if local or name in self.names or name in _BUILTIN_NAMES:
            return base
        where = self.star_targets[0] if len(self.star_targets) == 1 else self.module
        if not where:
            return base
        named = replace(base, name=f"{where}.{name}")
        return self.exprs.setdefault(named, named)

    def _import_bindings(self, statement: _Import) -> Iterator[tuple[str, str]]:
        if isinstance(statement, (cst.Import, cst.LazyImport)):  # for mypy: imports are few
            for alias in statement.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None and type(alias.asname.name) is cst.Name:
                    yield alias.asname.name.value, dotted
                else:
                    head = dotted.partition(".")[0]
                    yield head, head
            return
        base = self._from_target(statement)
        if isinstance(statement.names, cst.ImportStar):
            return
        for alias in statement.names:
            name = _dotted(alias.name)
            local = name
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                local = alias.asname.name.value
            yield local, f"{base}.{name}" if base else name

    def _from_target(self, statement: cst.ImportFrom | cst.LazyImportFrom) -> str:
        """The absolute module of `from X import ...`; empty if it climbs too high."""
        written = _dotted(statement.module) if statement.module is not None else ""
        level = len(statement.relative)
        if level == 0:
            return written
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts) or (level - 1 == len(parts) and not written):
            return ""
        base = parts[: len(parts) - (level - 1)]
        if level - 1 == len(parts) and not base:
            return ""
        return ".".join([*base, written] if written else base)

    def resolve(self, node: cst.CSTNode) -> str:
        """The dotted name an expression stands for, resolved through imports and definitions."""
        if type(node) is cst.Name:
            if self.scope is not None and node.value in self.scope.names:
                return self.scope.names[node.value]
            bound = self.names.get(node.value)
            return sys.intern(node.value) if bound is None else bound
        if type(node) is cst.Attribute:
            return sys.intern(f"{self.resolve(node.value)}.{node.attr.value}")
        return "?"

    # ---------------------------------------------------------------- expressions

    def summary(self, node: cst.CSTNode | None, depth: int = _SUMMARY_DEPTH) -> Expr | None:
        if node is None:
            return None
        expr = self._summary(node, depth)
        return self.exprs.setdefault(expr, expr)

    def _summary(self, node: cst.CSTNode, depth: int) -> Expr:
        kind = type(node)  # `type(node) is` where mypy must narrow
        if kind is cst.Name or kind is cst.Attribute:
            name = self.resolve(node)
            if name in ("None", "True", "False"):
                return Expr(ExprKind.LITERAL, name)
            return Expr(ExprKind.NAME, name)
        if type(node) is cst.SimpleString:
            value = _string_value(node)
            return Expr(ExprKind.LITERAL, value if isinstance(value, str) else "")
        if kind is cst.ConcatenatedString:
            return Expr(ExprKind.LITERAL, "")
        if kind is cst.Ellipsis:
            return Expr(ExprKind.LITERAL, "...")
        if type(node) is cst.Integer or type(node) is cst.Float or type(node) is cst.Imaginary:
            return Expr(ExprKind.LITERAL, node.value)
        if depth <= 0:
            return Expr(ExprKind.OTHER)
        if type(node) is cst.Call:
            args, keywords = self._arguments(node.args, depth - 1)
            return Expr(ExprKind.CALL, self.resolve(node.func), args, keywords)
        if type(node) is cst.Subscript:
            items = tuple(
                s
                for element in node.slice
                if type(element.slice) is cst.Index
                for s in [self.summary(element.slice.value, depth - 1)]
                if s is not None
            )
            return Expr(ExprKind.SUBSCRIPT, self.resolve(node.value), items)
        if type(node) is cst.BinaryOperation and type(node.operator) is cst.BitOr:
            left = self.summary(node.left, depth - 1)
            right = self.summary(node.right, depth - 1)
            return Expr(ExprKind.UNION, "|", tuple(x for x in (left, right) if x is not None))
        if type(node) is cst.List or type(node) is cst.Tuple or type(node) is cst.Set:
            return Expr(
                ExprKind.COLLECTION,
                "",
                tuple(
                    s
                    for element in node.elements
                    for s in [self.summary(element.value, depth - 1)]
                    if s is not None
                ),
            )
        if type(node) is cst.Dict:
            pairs: list[Expr] = []
            for item in node.elements:
                if type(item) is cst.DictElement:
                    key = self.summary(item.key, depth - 1)
                    entry = self.summary(item.value, depth - 1)
                    if key is not None and entry is not None:
                        pairs.extend((key, entry))
            return Expr(ExprKind.MAPPING, "", tuple(pairs))
        return Expr(ExprKind.OTHER)

    def annotation(self, node: cst.Annotation | None) -> Expr | None:
        if node is None:
            return None
        expression = self._with_forward_references_parsed(node.annotation)
        if type(expression) is cst.SimpleString:  # a string that is no expression
            value = _string_value(expression)
            if isinstance(value, str):
                return Expr(ExprKind.LITERAL, value)
        return self.summary(expression)

    def _with_forward_references_parsed(self, node: cst.BaseExpression, depth: int = 8) -> cst.BaseExpression:
        """An annotation with the forward references inside it parsed: `list["Invoice"]` and
        `"Invoice" | None` name the class `Invoice` as `list[Invoice]` does. A `Literal`'s
        strings are values, and so is an `Annotated`'s metadata: they stay strings (typing's
        and typing_extensions' under any alias). A list inside the brackets
        (`Callable[["Invoice"], None]`) is not read."""
        if depth == 0:
            return node
        if type(node) is cst.SimpleString:  # "BookRepository": a forward reference
            value = _string_value(node)
            if not isinstance(value, str):
                return node
            try:
                parsed = cst.parse_expression(value.strip())
            except (cst.ParserSyntaxError, RecursionError):
                return node
            return self._with_forward_references_parsed(parsed, depth - 1)
        if type(node) is cst.BinaryOperation and type(node.operator) is cst.BitOr:
            return node.with_changes(
                left=self._with_forward_references_parsed(node.left, depth - 1),
                right=self._with_forward_references_parsed(node.right, depth - 1),
            )
        if type(node) is cst.Subscript:
            generic = self.resolve(node.value)
            if generic in _LITERAL_FORMS:
                return node
            elements = []
            for position, element in enumerate(node.slice):
                index = element.slice
                if type(index) is cst.Index and not (generic in _ANNOTATED_FORMS and position > 0):
                    parsed = self._with_forward_references_parsed(index.value, depth - 1)
                    element = element.with_changes(slice=index.with_changes(value=parsed))
                elements.append(element)
            return node.with_changes(slice=elements)
        return node

    def _arguments(
        self, args: Sequence[cst.Arg], depth: int
    ) -> tuple[tuple[Expr, ...], tuple[tuple[str, Expr], ...]]:
        positional: list[Expr] = []
        keywords: list[tuple[str, Expr]] = []
        for arg in args:
            value = self.summary(arg.value, depth)
            if value is None:
                continue
            if arg.keyword is not None:
                keywords.append((sys.intern(arg.keyword.value), value))
            elif arg.star == "":
                positional.append(value)
        return tuple(positional), tuple(keywords)

    def _check_await(self) -> None:
        """Note an `await` that CPython's compiler refuses: outside any function, in a
        lambda, or in a function that is not `async def` (a generator expression may hold
        one anywhere: it becomes an asynchronous one)."""
        if not self.generator_expressions and (
            self.scope is None or self.deferred or not self.scope.is_async
        ):
            self.misplaced_await = True

    def _scan(self, node: cst.CSTNode | None, context: CallContext, outer: str = "") -> None:
        """Record every call in `node`; `context` says what happens to `node`'s value."""
        if node is None:
            return
        kind = type(node)  # `kind` for set lookups, `type(node) is` where mypy must narrow
        if type(node) is cst.Call:
            callee = self.resolve(node.func)
            args, keywords = self._arguments(node.args, 1)
            call = CallFact(
                callee, self._span(node), context, outer, args, keywords, self.deferred > 0, self.script
            )
            (self.scope.calls if self.scope is not None else self.module_calls).append(call)
            self._dynamic_import(callee, node)
            self._scan(node.func, CallContext.OTHER)
            for arg in node.args:
                self._scan(arg.value, CallContext.ARGUMENT, callee)
            return
        if type(node) is cst.Await:
            self._check_await()
            self._scan(node.expression, CallContext.AWAITED)
            return
        if kind is cst.Yield and self.scope is not None:
            self.scope.generator = True
        if kind in _SCAN_LEAVES:
            return
        if type(node) is cst.Lambda:
            for default in iter_calls(node.params):
                self._scan_single(default)
            self.deferred += 1
            self._scan(node.body, CallContext.OTHER)
            self.deferred -= 1
            return
        if kind in _DISPLAYS:
            keep = context if context is CallContext.ARGUMENT else CallContext.OTHER
            for child in child_nodes(node):
                self._scan(child, keep, outer)
            return
        if type(node) is cst.GeneratorExp or type(node) is cst.ListComp or type(node) is cst.SetComp:
            keep = context if context is CallContext.ARGUMENT else CallContext.OTHER
            inside = 1 if type(node) is cst.GeneratorExp else 0
            self.generator_expressions += inside
            self._scan(node.elt, keep, outer)
            self._scan(node.for_in, CallContext.OTHER)
            self.generator_expressions -= inside
            return
        if type(node) is cst.IfExp:
            self._scan(node.body, context, outer)
            self._scan(node.test, CallContext.OTHER)
            self._scan(node.orelse, context, outer)
            return
        # Children that cannot hold a call (names, literals, operators) are left out: the
        # scan of one does nothing.
        for child in child_nodes(node):
            self._scan(child, CallContext.OTHER)

    def _dynamic_import(self, callee: str, node: cst.Call) -> None:
        if callee not in _DYNAMIC_IMPORTERS or not node.args:
            return
        first = node.args[0].value
        if type(first) is cst.SimpleString:
            name = _string_value(first)
            if isinstance(name, str) and name and not name.startswith("."):
                self.imports.append(
                    ImportFact(
                        ImportKind.DYNAMIC,
                        name,
                        (),
                        self._span(node),
                        type_checking=self.type_checking,
                        function_level=self.scope is not None,
                        guarded=self.guarded,
                        script=self.script,
                    )
                )

    # ---------------------------------------------------------------- statements

    def _block(self, statements: Iterable[cst.CSTNode]) -> None:
        for statement in statements:
            self._statement(statement)

    def _statement(self, statement: cst.CSTNode) -> None:
        scope = self.scope
        if scope is not None:
            scope.statements += 1
        # The commonest statements first: the kinds are disjoint, so the order is free.
        if type(statement) is cst.Expr:
            self._scan(statement.value, CallContext.STATEMENT)
        elif (
            type(statement) is cst.Assign
            or type(statement) is cst.AnnAssign
            or type(statement) is cst.AugAssign
        ):
            self._assignment(statement)
        elif type(statement) is cst.Return:
            self._scan(statement.value, CallContext.RETURNED)
            if scope is not None:
                scope.returned.append(self._returned(statement.value, scope))
        elif type(statement) is cst.Raise:
            self._raise(statement)
        elif type(statement) in _IMPORTS:
            self._import(cast(_Import, statement))
        elif type(statement) is cst.FunctionDef:
            if scope is None:
                self.functions.append(self._function(statement, statement.name.value))
            else:
                self._nested_function(statement)
        elif type(statement) is cst.ClassDef:
            if scope is None:
                self._class(statement, "")
            else:
                # A class inside a function is no architecture element, but its imports,
                # calls and raises are the function's own.
                for decorator in statement.decorators:
                    self._scan(decorator.decorator, CallContext.OTHER)
                for arg in (*statement.bases, *statement.keywords):
                    self._scan(arg.value, CallContext.OTHER)
                # Its body is no part of an enclosing `except` clause's answer.
                caught, self.caught = self.caught, []
                self._block(block_statements(statement.body))
                self.caught = caught
        elif type(statement) is cst.If:
            self._if(statement)
        elif type(statement) is cst.Try or type(statement) is cst.TryStar:
            self._try(statement)
        elif type(statement) is cst.For or type(statement) is cst.While:
            if scope is not None:
                scope.loops.append(self._span(statement))
                if type(statement) is cst.For and _only_maps(statement, frozenset(scope.lists)):
                    scope.mapping_loops.append(scope.loops[-1])
            if type(statement) is cst.For:
                self._scan(statement.target, CallContext.OTHER)
                self._scan(statement.iter, CallContext.OTHER)
            elif type(statement) is cst.While:
                self._scan(statement.test, CallContext.OTHER)
            self._block(block_statements(statement.body))
            if statement.orelse is not None:
                self._block(block_statements(statement.orelse.body))
        elif type(statement) is cst.With:
            for item in statement.items:
                self._scan(item.item, CallContext.OTHER)
                self._bind_with_item(item)
            self._block(block_statements(statement.body))
        elif type(statement) is cst.Assert:
            if scope is not None:
                scope.asserts = True
            self._scan(statement, CallContext.OTHER)
        elif type(statement) is cst.Match:
            self._scan(statement.subject, CallContext.OTHER)
            for case in statement.cases:
                self._scan(case.guard, CallContext.OTHER)
                self._block(block_statements(case.body))
        else:
            self._scan(statement, CallContext.OTHER)

    def _import(self, statement: _Import) -> None:
        span = self._span(statement)
        common = {
            "type_checking": self.type_checking,
            "function_level": self.scope is not None,
            "guarded": self.guarded,
            "script": self.script,
            "lazy": type(statement) is cst.LazyImport or type(statement) is cst.LazyImportFrom,
        }
        if self.scope is not None:
            for local, target in self._import_bindings(statement):
                self.scope.names[local] = target
        if isinstance(statement, (cst.Import, cst.LazyImport)):  # for mypy: imports are few
            for alias in statement.names:
                asname = ""
                if alias.asname is not None and type(alias.asname.name) is cst.Name:
                    asname = alias.asname.name.value
                self.imports.append(
                    ImportFact(
                        ImportKind.IMPORT,
                        _dotted(alias.name),
                        (),
                        span,
                        alias=asname,
                        **common,  # type: ignore[arg-type]
                    )
                )
            return
        bound_as: tuple[str, ...] = ()
        if isinstance(statement.names, cst.ImportStar):
            names: tuple[str, ...] = ("*",)
        else:
            names = tuple(_dotted(alias.name) for alias in statement.names)
            bound = tuple(
                alias.asname.name.value
                if alias.asname is not None and type(alias.asname.name) is cst.Name
                else name
                for alias, name in zip(statement.names, names, strict=True)
            )
            if bound != names:
                bound_as = bound
        self.imports.append(
            ImportFact(
                ImportKind.FROM,
                self._from_target(statement),
                names,
                span,
                level=len(statement.relative),
                bound_as=bound_as,
                **common,  # type: ignore[arg-type]
            )
        )

    def _if(self, statement: cst.If, dispatching: bool = True) -> None:
        """`dispatching`: every earlier test of this `if`/`elif` chain tests a parameter's
        type, so that the final `else` is reached by a parameter of none of those types."""
        self._scan(statement.test, CallContext.OTHER)
        if self.caught:
            caught_name, tested = self.caught[-1]
            named = _type_names_tested(statement.test, caught_name)
            # Only a branch that answers (returns, or raises something) maps the classes it
            # names; one that only logs or re-raises lets the exception end as a 500.
            if named and _answers(statement.body):
                tested.extend(named)
        is_type_checking = self.resolve(statement.test).endswith("TYPE_CHECKING")
        previous = self.type_checking
        self.type_checking = previous or is_type_checking
        scope = self.scope
        # Only the module's own `if __name__ == "__main__":` is its script block: the same
        # test inside a function says nothing of when that function's imports run.
        was_script = self.script
        self.script = was_script or (scope is None and _runs_as_script(statement.test))
        self.has_script_block = self.has_script_block or self.script
        params = scope.params if scope is not None else frozenset()
        abstract = scope is not None and _refuses_abstract(
            statement.test, scope.self_name, scope.self_is_class
        )
        unset = () if scope is None or scope.self_is_class else _finds_unset(statement.test, scope.self_name)
        self._guarded_block(statement.body, _refuses_type(statement.test, params), abstract, unset)
        self.type_checking = previous
        self.script = was_script
        dispatching = dispatching and _tests_type(statement.test, params)
        if type(statement.orelse) is cst.If:
            if scope is not None:
                scope.statements += 1
            self._if(statement.orelse, dispatching)
        elif statement.orelse is not None:
            self._guarded_block(statement.orelse.body, dispatching)

    def _guarded_block(
        self,
        body: cst.BaseSuite,
        type_guard: bool,
        abstract_guard: bool = False,
        unset_guard: tuple[str, ...] = (),
    ) -> None:
        """Walk a branch's body, marking its raises as type guards when `type_guard`, as
        abstract-class guards when `abstract_guard`, and those standing right in it (not
        in a nested block: `if amount < 0: raise` there is a rule of its own) as guards of
        the unset attributes `unset_guard` names."""
        scope = self.scope
        statements = block_statements(body)
        if scope is not None and unset_guard:
            for statement in statements:
                if type(statement) is cst.Raise:
                    scope.unset_raises[id(statement)] = unset_guard
        if scope is None or not (type_guard or abstract_guard):
            self._block(statements)
            return
        previous = scope.type_guard, scope.abstract_guard
        scope.type_guard = previous[0] or type_guard
        scope.abstract_guard = previous[1] or abstract_guard
        self._block(statements)
        scope.type_guard, scope.abstract_guard = previous

    def _try(self, statement: cst.Try | cst.TryStar) -> None:
        caught = [self._handler_types(handler.type) for handler in statement.handlers]
        guards = any(name in _IMPORT_ERRORS for types in caught for name in types)
        previous, outer = self.guarded, self.outer_try
        self.guarded = previous or guards
        if statement.handlers and not outer:
            self.outer_try = self._span(statement).line
        self._block(block_statements(statement.body))
        for handler, types in zip(statement.handlers, caught, strict=True):
            self._handler(handler, types, self.outer_try)  # type: ignore[arg-type]  # libcst types TryStar.handlers loosely
        self.guarded, self.outer_try = previous, outer
        if statement.orelse is not None:
            self._block(block_statements(statement.orelse.body))
        if statement.finalbody is not None:
            self._block(block_statements(statement.finalbody.body))

    def _handler_types(self, node: cst.BaseExpression | None) -> tuple[str, ...]:
        if node is None:
            return ()
        if type(node) is cst.Tuple:
            return tuple(self.resolve(element.value) for element in node.elements)
        # `except AMQPException or AMQPError:` catches what `or` evaluates to: the first
        # class, always truthy. (`and` would give the second; nobody writes it.)
        if type(node) is cst.BooleanOperation and type(node.operator) is cst.Or:
            return self._handler_types(node.left)
        return (self.resolve(node),)

    def _handler(
        self, handler: cst.ExceptHandler | cst.ExceptStarHandler, types: tuple[str, ...], try_line: int
    ) -> None:
        scope = self.scope
        if scope is None:
            self._block(block_statements(handler.body))
            return
        before, counted = len(scope.raises), scope.statements
        body = block_statements(handler.body)
        bound = handler.name.name if handler.name is not None else None
        tested: list[str] = []
        if type(bound) is cst.Name:
            self.caught.append((bound.value, tested))
        self._block(body)
        if type(bound) is cst.Name:
            self.caught.pop()
        raised = tuple(r.exception for r in scope.raises[before:])
        statements = scope.statements - counted
        fact = HandlerFact(
            types, self._span(handler), raised, statements, _only_translates(body), try_line, tuple(tested)
        )
        scope.handlers.append(fact)

    def _raise(self, statement: cst.Raise) -> None:
        exc = statement.exc
        if self.scope is not None:
            guard, abstract = self.scope.type_guard, self.scope.abstract_guard
            unset = self.scope.unset_raises.get(id(statement), ())
            span = self._span(statement)
            if exc is None:
                fact = RaiseFact("", span, type_guard=guard, abstract_guard=abstract, unset_guard=unset)
            elif type(exc) is cst.Call:
                fact = RaiseFact(
                    self.resolve(exc.func),
                    span,
                    is_call=True,
                    type_guard=guard,
                    abstract_guard=abstract,
                    unset_guard=unset,
                )
            else:
                fact = RaiseFact(
                    self.resolve(exc), span, type_guard=guard, abstract_guard=abstract, unset_guard=unset
                )
            self.scope.raises.append(fact)
        self._scan(exc, CallContext.OTHER)
        self._scan(statement.cause, CallContext.OTHER)

    def _bind_with_item(self, item: cst.WithItem) -> None:
        """`with httpx.Client() as client:` binds `client` to what the call built."""
        if (
            self.scope is not None
            and type(item.item) is cst.Call
            and item.asname is not None
            and type(item.asname.name) is cst.Name
        ):
            self.scope.bound.append((sys.intern(item.asname.name.value), self.resolve(item.item.func)))

    def _assignment(self, statement: cst.Assign | cst.AnnAssign | cst.AugAssign) -> None:
        value = statement.value
        augmented = type(statement) is cst.AugAssign
        context = CallContext.OTHER if augmented else CallContext.ASSIGNED
        if isinstance(statement, cst.Assign):  # `isinstance` for mypy's sake: once per statement
            targets = [t.target for t in statement.targets]
        else:
            targets = [statement.target]
        for target in targets:
            self._scan(target, CallContext.OTHER)
        if type(statement) is cst.AnnAssign:
            self._scan(statement.annotation.annotation, CallContext.OTHER)
        self._scan(value, context)
        annotation = self.annotation(statement.annotation) if type(statement) is cst.AnnAssign else None
        scope = self.scope
        if scope is None:
            summary = self.summary(value)
            if summary is None or augmented:
                return
            for target in targets:
                if type(target) is cst.Name:
                    self.assignments.append(
                        AssignmentFact(target.value, self._span(statement), summary, annotation)
                    )
            return
        for target in targets:
            if type(target) is cst.Name:
                if type(value) is cst.Call and not augmented:
                    scope.built[target.value] = self.resolve(value.func)
                    scope.bound.append((sys.intern(target.value), scope.built[target.value]))
                else:
                    scope.built.pop(target.value, None)
                if not augmented and _makes_a_list(value):
                    scope.lists.add(target.value)
                else:
                    scope.lists.discard(target.value)
        if not scope.self_name:
            return
        for target in targets:
            if (
                type(target) is cst.Attribute
                and type(target.value) is cst.Name
                and target.value.value == scope.self_name
                and not augmented
            ):
                scope.self_attributes.append(
                    AttributeFact(target.attr.value, self._span(statement), annotation, self.summary(value))
                )

    # ---------------------------------------------------------------- definitions

    def _class(self, node: cst.ClassDef, outer: str) -> None:
        qualname = f"{outer}.{node.name.value}" if outer else node.name.value
        for decorator in node.decorators:
            self._scan(decorator.decorator, CallContext.OTHER)
        bases: list[Expr] = []
        metaclass = ""
        earlier = self.bound_before_class.get(node.name.value) if not outer else None
        for arg in node.bases:
            self._scan(arg.value, CallContext.OTHER)
            summary = self.summary(arg.value)
            if summary is None:
                continue
            if earlier is not None and summary.name == f"{self.module}.{node.name.value}":
                rebound = replace(summary, name=earlier)
                summary = self.exprs.setdefault(rebound, rebound)
            bases.append(self._base_through_star_imports(summary))
        # `class Entity[IdT]` derives from `Generic[IdT]`, as Python makes it at runtime.
        variables = [name for name, _, _ in _type_variables(node)] if not outer else []
        if variables:
            parameters = tuple(Expr(ExprKind.NAME, self.names.get(name, name)) for name in variables)
            generic = Expr(ExprKind.SUBSCRIPT, "typing.Generic", parameters)
            bases.append(self.exprs.setdefault(generic, generic))
        for arg in node.keywords:
            self._scan(arg.value, CallContext.OTHER)
            if arg.keyword is not None and arg.keyword.value == "metaclass":
                metaclass = self.resolve(arg.value)
        methods: list[FunctionFact] = []
        attributes: list[AttributeFact] = []
        nested: list[cst.ClassDef] = []
        self._class_body(block_statements(node.body), qualname, methods, attributes, nested)
        decorators = tuple(s for d in node.decorators for s in [self.summary(d.decorator)] if s is not None)
        self.classes.append(
            ClassFact(
                node.name.value,
                qualname,
                self._span(node),
                tuple(bases),
                metaclass,
                decorators,
                tuple(methods),
                tuple(attributes),
            )
        )
        for inner in nested:
            self._class(inner, qualname)

    def _class_body(
        self,
        statements: Iterable[cst.CSTNode],
        qualname: str,
        methods: list[FunctionFact],
        attributes: list[AttributeFact],
        nested: list[cst.ClassDef],
    ) -> None:
        for statement in statements:
            if type(statement) is cst.FunctionDef:
                methods.append(self._function(statement, f"{qualname}.{statement.name.value}", method=True))
            elif type(statement) is cst.ClassDef:
                nested.append(statement)
            elif type(statement) is cst.AnnAssign and type(statement.target) is cst.Name:
                self._scan(statement.annotation.annotation, CallContext.OTHER)
                self._scan(statement.value, CallContext.OTHER)
                attributes.append(
                    AttributeFact(
                        statement.target.value,
                        self._span(statement),
                        self.annotation(statement.annotation),
                        self.summary(statement.value),
                    )
                )
            elif type(statement) is cst.Assign:
                self._scan(statement.value, CallContext.OTHER)
                for target in statement.targets:
                    if type(target.target) is cst.Name:
                        attributes.append(
                            AttributeFact(
                                target.target.value,
                                self._span(statement),
                                None,
                                self.summary(statement.value),
                            )
                        )
            elif type(statement) in _BRANCHING:
                if type(statement) is cst.If:
                    self._scan(statement.test, CallContext.OTHER)
                self._class_body(_nested_blocks(statement), qualname, methods, attributes, nested)
            else:
                self._statement(statement)

    def _params(self, params: cst.Parameters) -> tuple[ParamFact, ...]:
        found: list[ParamFact] = []

        def add(param: cst.Param, kind: ParamKind) -> None:
            found.append(
                ParamFact(
                    sys.intern(param.name.value),
                    kind,
                    self._span(param),
                    self.annotation(param.annotation),
                    self.summary(param.default),
                )
            )

        for param in params.posonly_params:
            add(param, ParamKind.POSITIONAL_ONLY)
        for param in params.params:
            add(param, ParamKind.POSITIONAL)
        if type(params.star_arg) is cst.Param:
            add(params.star_arg, ParamKind.VAR_POSITIONAL)
        for param in params.kwonly_params:
            add(param, ParamKind.KEYWORD_ONLY)
        if params.star_kwarg is not None:
            add(params.star_kwarg, ParamKind.VAR_KEYWORD)
        return tuple(found)

    def _header_calls(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self._scan(decorator.decorator, CallContext.OTHER)
        for call in iter_calls(node.params):
            self._scan_single(call)
        if node.returns is not None:
            self._scan(node.returns.annotation, CallContext.OTHER)

    def _scan_single(self, call: cst.Call) -> None:
        """A call in a parameter default: recorded with its arguments, not descended twice."""
        callee = self.resolve(call.func)
        args, keywords = self._arguments(call.args, 1)
        target = self.scope.calls if self.scope is not None else self.module_calls
        target.append(
            CallFact(
                callee,
                self._span(call),
                CallContext.OTHER,
                "",
                args,
                keywords,
                self.deferred > 0,
                self.script,
            )
        )

    def _returned(self, value: cst.BaseExpression | None, scope: _Scope) -> str:
        """The callee whose result a `return` gives (`FunctionFact.returned`), or ''."""
        if type(value) is cst.Call:
            return self.resolve(value.func)
        if type(value) is cst.Name:
            return scope.built.get(value.value, "")
        return ""

    def _function(self, node: cst.FunctionDef, qualname: str, method: bool = False) -> FunctionFact:
        self._header_calls(node)
        params = self._params(node.params)
        self_name = ""
        if method and params and params[0].kind in (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY):
            self_name = params[0].name
        self_is_class = bool(self_name) and (
            node.name.value in _IMPLICIT_CLASS_METHODS
            or any(_dotted(d.decorator) in ("classmethod", "builtins.classmethod") for d in node.decorators)
        )
        scope = _Scope(
            qualname=qualname,
            self_name=self_name,
            self_is_class=self_is_class,
            is_async=node.asynchronous is not None,
        )
        return self._function_fact(node, params, scope)

    def _nested_function(self, node: cst.FunctionDef) -> None:
        """A function inside a function: its body counts as part of the outer one.

        It is also kept as a fact of its own in the outer function's `nested` (a route
        registered inside an app factory is a route handler too).
        """
        scope = self.scope
        assert scope is not None
        self._header_calls(node)
        params = self._params(node.params)
        qualname = f"{scope.qualname}.<locals>.{node.name.value}"
        inner = _Scope(
            qualname=qualname,
            names=dict(scope.names),
            self_name=scope.self_name,
            self_is_class=scope.self_is_class,
            is_async=node.asynchronous is not None,
        )
        fact = self._function_fact(node, params, inner)
        # The nested function's own fact sees its calls as a function's; the outer one sees
        # them all deferred (they run when the nested function is called).
        scope.calls.extend(replace(call, deferred=True) for call in inner.calls)
        scope.raises.extend(inner.raises)
        scope.handlers.extend(inner.handlers)
        scope.loops.extend(inner.loops)
        scope.mapping_loops.extend(inner.mapping_loops)
        scope.self_attributes.extend(inner.self_attributes)
        scope.statements += inner.statements
        scope.asserts = scope.asserts or inner.asserts
        scope.nested.append(fact)

    def _function_fact(
        self, node: cst.FunctionDef, params: tuple[ParamFact, ...], scope: _Scope
    ) -> FunctionFact:
        """Walk a function's body in `scope` (calls inside are not deferred) into its fact."""
        outer_scope, outer_deferred, outer_caught = self.scope, self.deferred, self.caught
        outer_try = self.outer_try
        # A module- or class-level `try` around a function's definition holds none of its
        # statements; a function nested in a `try` of its parent's body counts with it, as
        # its statements and clauses do.
        if outer_scope is None:
            self.outer_try = 0
        scope.params = frozenset(param.name for param in params)
        # A function defined inside an `except` clause runs later, on its own: its tests of
        # a same-named variable say nothing of how the clause answers.
        self.scope, self.deferred, self.caught = scope, 0, []
        statements = block_statements(node.body)
        body_kind = _body_kind(statements)
        if _is_docstring(statements[0] if statements else None):
            statements = statements[1:]
        self._block(statements)
        self.scope, self.deferred, self.caught = outer_scope, outer_deferred, outer_caught
        self.outer_try = outer_try
        return FunctionFact(
            name=sys.intern(node.name.value),
            qualname=scope.qualname,
            span=self._span(node),
            is_async=node.asynchronous is not None,
            decorators=tuple(
                s for d in node.decorators for s in [self.summary(d.decorator)] if s is not None
            ),
            params=params,
            returns=self.annotation(node.returns),
            body=body_kind,
            statement_count=scope.statements,
            loops=tuple(scope.loops),
            mapping_loops=tuple(scope.mapping_loops),
            raises=tuple(scope.raises),
            calls=tuple(scope.calls),
            handlers=tuple(scope.handlers),
            self_attributes=tuple(scope.self_attributes),
            is_generator=scope.generator,
            nested=tuple(scope.nested),
            returned=tuple(sys.intern(callee) for callee in scope.returned),
            bound=tuple(scope.bound),
            asserts=scope.asserts,
        )


def _live_classes(
    classes: list[ClassFact], module: str, unconditional: frozenset[Span]
) -> tuple[ClassFact, ...]:
    """The classes, less a class of the module's body that a later one of the same name
    replaces (a copy-pasted draft left above its finished version): the name is the later
    class's once the module has run, and nothing can build the earlier one. Only between
    classes defined in the module's body itself (`unconditional`): the branches of an `if`
    or a `try` may each define the class, and either may be the one that runs. Only an inert
    earlier class (`_inert`), and not when the later class derives from it (`class
    Book(Book)`)."""
    last: dict[str, ClassFact] = {}
    for cls in classes:
        if cls.span in unconditional:
            last[cls.qualname] = cls
    dead = [
        cls
        for cls in classes
        if cls.span in unconditional
        and last[cls.qualname] is not cls
        and _inert(cls)
        and not any(base.name == f"{module}.{cls.name}" for base in last[cls.qualname].bases)
    ]
    if not dead:
        return tuple(classes)
    return tuple(cls for cls in classes if not any(_within(cls.span, gone.span) for gone in dead))


# What a class definition may be decorated with and still leave no trace once rebound.
_INERT_CLASS_DECORATORS = frozenset({"dataclasses.dataclass", "dataclass"})
_INERT_METHOD_DECORATORS = frozenset(
    {
        "property",
        "staticmethod",
        "classmethod",
        "builtins.property",
        "builtins.staticmethod",
        "builtins.classmethod",
    }
)


def _inert(cls: ClassFact) -> bool:
    """Whether defining a class does nothing but bind its name: no base but `Generic` (a
    declarative ORM base or an `__init_subclass__` registers its subclasses), no metaclass,
    no decorator but `@dataclass`, none on its methods but `@property`, `@staticmethod` and
    `@classmethod` (`@router.get(...)` on a view's method registers a route when the class
    body runs)."""
    return (
        all(base.name == "typing.Generic" for base in cls.bases)
        and not cls.metaclass
        and all(decorator.name in _INERT_CLASS_DECORATORS for decorator in cls.decorators)
        and all(
            decorator.name in _INERT_METHOD_DECORATORS
            for method in cls.methods
            for decorator in method.decorators
        )
    )


def _within(inner: Span, outer: Span) -> bool:
    start, end = (inner.line, inner.column), (inner.end_line, inner.end_column)
    return (outer.line, outer.column) <= start and end <= (outer.end_line, outer.end_column)


def _nested_blocks(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The statements inside an `if`/`try`/`with` at module or class level, all branches."""
    if type(statement) is cst.If:
        yield from block_statements(statement.body)
        if type(statement.orelse) is cst.If:
            yield statement.orelse
        elif statement.orelse is not None:
            yield from block_statements(statement.orelse.body)
    elif type(statement) is cst.Try or type(statement) is cst.TryStar:
        yield from block_statements(statement.body)
        for handler in statement.handlers:
            yield from block_statements(handler.body)
        if statement.orelse is not None:
            yield from block_statements(statement.orelse.body)
        if statement.finalbody is not None:
            yield from block_statements(statement.finalbody.body)
    elif type(statement) is cst.With:
        yield from block_statements(statement.body)


def _runs_as_script(test: cst.BaseExpression) -> bool:
    """Whether an `if` test is `__name__ == "__main__"` (either way round): true only when
    the file runs as a script, never when the module is imported."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if type(target.operator) is not cst.Equal:
        return False
    sides = (test.left, target.comparator)
    names = [side.value for side in sides if type(side) is cst.Name]
    texts = [_string_value(side) for side in sides if type(side) is cst.SimpleString]
    return names == ["__name__"] and texts == ["__main__"]


def _string_value(node: cst.SimpleString) -> str | bytes:
    """`node.evaluated_value`, without its `ast.literal_eval` (a compile, some 3 µs a
    string) for the common literal that holds no escape: its text between the quotes.

    That covers no prefix and the prefixes that change nothing without a backslash (`r`,
    `u`). Text with a carriage return is left to `literal_eval` too: its tokenizer turns
    line ends into newlines.
    """
    text = node.value
    start = 0 if text[0] in "'\"" else 1 if text[0] in "rRuU" and text[1] in "'\"" else -1
    if start >= 0:
        quote = 3 if text[start : start + 3] in ('"""', "'''") else 1
        body = text[start + quote : len(text) - quote]
        if "\\" not in body and "\r" not in body:
            return body
    return node.evaluated_value


def _dotted(node: cst.BaseExpression | cst.CSTNode) -> str:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


# The subscripted forms whose strings are values, not forward references.
_LITERAL_FORMS = frozenset({"Literal", "typing.Literal", "typing_extensions.Literal"})
_ANNOTATED_FORMS = frozenset({"Annotated", "typing.Annotated", "typing_extensions.Annotated"})


# What a generator stub may yield: nothing, or a literal (`yield None`, `yield ""`,
# `yield ("content", "")`).
_YIELDED_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)
_CONSTANT_NAMES = frozenset({"None", "True", "False"})


def _literal(node: cst.BaseExpression) -> bool:
    """A constant written out: a string, a number (`-1` too), `None`/`True`/`False`, or a
    tuple or list of them."""
    if isinstance(node, _YIELDED_LITERALS):
        return True
    if type(node) is cst.Name:
        return node.value in _CONSTANT_NAMES
    if type(node) is cst.UnaryOperation:
        return type(node.operator) is cst.Minus and isinstance(node.expression, (cst.Integer, cst.Float))
    if type(node) is cst.Tuple or type(node) is cst.List:
        return all(type(e) is cst.Element and _literal(e.value) for e in node.elements)
    return False


def _stub_statement(statement: cst.CSTNode) -> bool:
    """`pass`, `...`, or a `yield` of nothing or of a literal (`yield`, `yield None`,
    `yield ""`)."""
    if type(statement) is cst.Pass:
        return True
    if not isinstance(statement, cst.Expr):
        return False
    value = statement.value
    if type(value) is cst.Ellipsis:
        return True
    if not isinstance(value, cst.Yield):
        return False
    return value.value is None or (isinstance(value.value, cst.BaseExpression) and _literal(value.value))


def _is_docstring(statement: cst.CSTNode | None) -> bool:
    return type(statement) is cst.Expr and (
        type(statement.value) is cst.SimpleString or type(statement.value) is cst.ConcatenatedString
    )


def _only_translates(statements: Sequence[cst.CSTNode]) -> bool:
    """Whether an `except` body only logs and raises: it turns one error into another.

    Logging is a call statement on a logging method (`log.error(...)`,
    `logger.exception(...)`); anything else (an assignment, a branch, an awaited call, a
    return) is work of its own."""
    raised = False
    for statement in statements:
        if type(statement) is cst.Raise:
            raised = True
        elif not (
            type(statement) is cst.Expr
            and type(statement.value) is cst.Call
            and type(statement.value.func) is cst.Attribute
            and statement.value.func.attr.value in _LOGGING_METHODS
        ):
            return False
    return raised


# What a loop that only maps may call: a class (`BookResponse(...)`) or one of its
# converting constructors (`BookResponse.from_entity(book)`, `model_validate`), a
# conversion, a reader of the item itself (`book.to_dict()`, `row.get("id")`), and the
# accumulator's methods. Not a method of a model class (`Book.create`, `Book.objects`), which
# queries or writes, nor one of an item that may save it (`book.save()`).
_CONVERSIONS = frozenset(
    {"str", "int", "float", "bool", "dict", "list", "tuple", "set", "frozenset", "len", "repr", "round",
     "getattr", "json.dumps"}
)  # fmt: skip
_CONVERTING_CONSTRUCTORS = frozenset({"model_validate", "parse_obj", "from_orm", "model_construct"})
_CONVERTING_PREFIXES = ("from_", "to_", "as_")
_ITEM_READERS = frozenset(
    {"model_dump", "model_dump_json", "dict", "json", "isoformat", "strftime", "get", "items", "keys",
     "values", "copy", "lower", "upper", "strip", "split", "format", "replace"}
)  # fmt: skip
# What turns a string into another string (`f"data: {e}\n\n".encode()`, `", ".join(book.tags)`):
# its arguments are read like the rest of the body.
_STRING_CONVERSIONS = frozenset({"encode", "format", "join", "lower", "upper", "strip", "replace"})
_STRINGS = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
# A list's, not a store's: `session.add(row)` and `collection.insert(doc)` write.
_ACCUMULATORS = frozenset({"append", "extend"})
# The statements a mapping loop's body is made of: bindings, accumulator calls and yields.
_MAPPING_STATEMENTS = frozenset({cst.Assign, cst.AnnAssign, cst.Expr})
_MAPPING_EXPRESSIONS = frozenset({cst.Call, cst.Yield})


def _type_variables(node: cst.ClassDef) -> Iterator[tuple[str, cst.BaseExpression | None, cst.CSTNode]]:
    """A class's PEP 695 type variables (`[T: int]`), not its `*Ts` or `**P`."""
    if node.type_parameters is None:
        return
    for parameter in node.type_parameters.params:
        variable = parameter.param
        if isinstance(variable, cst.TypeVar):
            yield variable.name.value, variable.bound, node


def _makes_a_list(value: cst.BaseExpression | None) -> bool:
    """`[]`, `[...]`, a list comprehension or `list(...)`: a list the function owns."""
    return (
        type(value) is cst.List
        or type(value) is cst.ListComp
        or (type(value) is cst.Call and type(value.func) is cst.Name and value.func.value == "list")
    )


def _bound_names(node: cst.CSTNode) -> Iterator[str]:
    """The names an assignment or `for` target binds (`key, value`, `(a, *rest)`)."""
    if type(node) is cst.Name:
        yield node.value
    elif type(node) is cst.Tuple or type(node) is cst.List:
        for element in node.elements:
            yield from _bound_names(element.value)
    elif type(node) is cst.StarredElement:
        yield from _bound_names(node.value)


def _root_name(node: cst.BaseExpression) -> str:
    """The leftmost name of a callee (`Dto.from_entity` -> `Dto`, `item.to_dict` -> `item`)."""
    while type(node) is cst.Attribute or type(node) is cst.Subscript or type(node) is cst.Call:
        node = node.func if type(node) is cst.Call else node.value  # type: ignore[union-attr]
    return node.value if type(node) is cst.Name else ""


def _binds_locally(target: cst.BaseAssignTargetExpression, items: set[str]) -> bool:
    """A target a mapping loop may assign: a local name (or a tuple of them), or a key of a
    dict it fills (`out[book.id] = ...`, `row["_id"] = str(row["_id"])`), not an attribute
    (`book.status = "archived"` changes what the loop iterates over)."""
    if type(target) is cst.Name:
        return target.value not in items
    if type(target) is cst.Tuple or type(target) is cst.List:
        return all(_binds_locally(element.value, items) for element in target.elements)  # type: ignore[arg-type]
    return type(target) is cst.Subscript


def _maps(call: cst.Call, items: set[str], lists: frozenset[str]) -> bool:
    """Whether a call in a mapping loop's body only converts (see `_CONVERSIONS`)."""
    func = call.func
    if type(func) is cst.Name:
        return func.value[:1].isupper() or func.value in _CONVERSIONS or func.value in items
    if type(func) is not cst.Attribute:
        return False
    method, owner = func.attr.value, func.value
    # A string's conversion of what the body builds: a literal, the item's own text, or a
    # call or concatenation whose parts the walk of the body judges (`json.dumps(e).encode()`,
    # `(json.dumps(e) + "\n").encode()`).
    if method in _STRING_CONVERSIONS and (
        isinstance(owner, (*_STRINGS, cst.Call, cst.BinaryOperation)) or _root_name(owner) in items
    ):
        return True
    if type(owner) is not cst.Name:
        return _root_name(owner) in items and (
            method in _ITEM_READERS or method.startswith(_CONVERTING_PREFIXES)
        )
    if f"{owner.value}.{method}" in _CONVERSIONS:
        return True
    if owner.value in lists:
        return method in _ACCUMULATORS
    if owner.value in items:
        return method in _ITEM_READERS or method.startswith(_CONVERTING_PREFIXES)
    return (
        owner.value[:1].isupper()
        and not owner.value.isupper()
        and (method in _CONVERTING_CONSTRUCTORS or method.startswith("from_"))
    )


def _only_maps(loop: cst.For, lists: frozenset[str]) -> bool:
    """Whether a `for` loop is a comprehension written out: its body only binds local names
    and fills a list the function made (`items.append(BookResponse.from_entity(book))`) or
    yields (`async for chunk in stream: yield f"data: {json.dumps(chunk)}"`, relaying a
    stream as server-sent events), with no branch (a conditional expression included),
    `await`, nested loop, lambda or `else`, and calls nothing but what `_maps` allows. A
    lookup of anything but the item (`prices.get(book.id)`, `levels[item.sku]`,
    `repository.find(book.id)`) is a join or a fetch, work of its own; a call on the item
    that is no read of it (`book.save()`) a write. What it iterates over is no part of the
    body, as a comprehension's `in` clause is not. `lists`: the local names the function
    bound to a list display, a list comprehension or `list()`."""
    if loop.orelse is not None:
        return False
    statements = block_statements(loop.body)
    if not statements or any(type(statement) not in _MAPPING_STATEMENTS for statement in statements):
        return False
    items = set(_bound_names(loop.target))  # the item, and the comprehensions' items
    for statement in statements:
        if isinstance(statement, cst.Assign):
            if not all(_binds_locally(target.target, items) for target in statement.targets):
                return False
        elif isinstance(statement, cst.AnnAssign):
            if not _binds_locally(statement.target, items):
                return False
        elif isinstance(statement, cst.Expr) and type(statement.value) not in _MAPPING_EXPRESSIONS:
            return False  # a bare expression statement
    pending: list[cst.CSTNode] = list(statements)
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Await, cst.Lambda, cst.IfExp)) or (
            isinstance(node, cst.Yield) and node.value is None
        ):
            return False
        if isinstance(node, cst.CompFor):
            items.update(_bound_names(node.target))
        elif isinstance(node, cst.Call) and not _maps(node, items, lists):
            return False
        elif (
            isinstance(node, cst.Subscript)
            and type(node.value) is cst.Name
            and node.value.value not in items
            # A key assigned in the dict being filled (`out[book.id] = ...`) is no read.
            and not any(
                isinstance(statement, cst.Assign) and any(t.target is node for t in statement.targets)
                for statement in statements
            )
        ):
            return False  # a read of another mapping (`levels[item.sku]`): a join
        pending.extend(node.children)
    return True


def _body_kind(statements: Sequence[cst.CSTNode]) -> BodyKind:
    rest = list(statements[1:] if statements and _is_docstring(statements[0]) else statements)
    if all(type(s) is cst.Pass or (type(s) is cst.Expr and type(s.value) is cst.Ellipsis) for s in rest):
        return BodyKind.EMPTY
    # A stub that makes the method a generator for the type checkers (`...` then a bare
    # `yield`, or a yield of a literal): it has no behaviour; the `yield` only speaks to them. A
    # body of nothing but `yield` is behaviour (a context manager's that does nothing).
    if any(type(s) is not cst.Expr or type(s.value) is not cst.Yield for s in rest) and all(
        _stub_statement(s) for s in rest
    ):
        return BodyKind.EMPTY
    if len(rest) == 1 and type(rest[0]) is cst.Raise and rest[0].exc is not None:
        exc = rest[0].exc
        target = exc.func if type(exc) is cst.Call else exc
        if type(target) is cst.Name and target.value == "NotImplementedError":
            return BodyKind.NOT_IMPLEMENTED
    return BodyKind.CODE


__all__ = ["EXTRACTOR_VERSION", "extract", "span_of", "suppressions"]


def _type_of_param(node: cst.BaseExpression, params: frozenset[str], names: tuple[str, ...]) -> bool:
    """A call of one of `names` (`isinstance`, `issubclass`, `type`) on a parameter."""
    if type(node) is not cst.Call or type(node.func) is not cst.Name or node.func.value not in names:
        return False
    subject = node.args[0].value if node.args else None
    return type(subject) is cst.Name and subject.value in params


def _compares_type(node: cst.BaseExpression, params: frozenset[str], negated: bool) -> bool:
    """`type(param) is T` / `== T` (or, `negated`, `is not T` / `!= T`)."""
    if type(node) is not cst.Comparison or len(node.comparisons) != 1:
        return False
    if not _type_of_param(node.left, params, ("type",)):
        return False
    operator = type(node.comparisons[0].operator)
    return operator in ((cst.IsNot, cst.NotEqual) if negated else (cst.Is, cst.Equal))


def _tests_type(test: cst.BaseExpression, params: frozenset[str]) -> bool:
    """A test that holds when a parameter is of some type: `isinstance(param, T)`,
    `type(param) is T`, one of them `and` anything, or several `or`-ed."""
    if type(test) is cst.BooleanOperation:
        if type(test.operator) is cst.And:
            return _tests_type(test.left, params) or _tests_type(test.right, params)
        return _tests_type(test.left, params) and _tests_type(test.right, params)
    return _type_of_param(test, params, ("isinstance", "issubclass")) or _compares_type(
        test, params, negated=False
    )


def _refuses_type(test: cst.BaseExpression, params: frozenset[str]) -> bool:
    """A test that holds when a parameter is not of the expected type: `not
    isinstance(param, T)`, `type(param) is not T`, or several of them `or`-ed."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.Or:
        return _refuses_type(test.left, params) and _refuses_type(test.right, params)
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return _type_of_param(test.expression, params, ("isinstance", "issubclass"))
    return _compares_type(test, params, negated=True)


# Flags a base class reads to know it is abstract (`class Meta: abstract = True`).
_ABSTRACT_FLAGS = frozenset({"abstract", "_abstract", "is_abstract", "__abstract__"})
# Where a class keeps its options, read through an instance (`self.Meta.abstract`).
_META_HOLDERS = frozenset({"Meta", "__meta__", "_meta"})
# Methods whose first parameter is the class without a `@classmethod`.
_IMPLICIT_CLASS_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})


def _refuses_abstract(test: cst.BaseExpression, self_name: str, self_is_class: bool) -> bool:
    """A test that holds when the instance's own class is abstract: it reads an abstract
    flag through the class's options or the class (`self.__meta__.abstract`,
    `cls.__abstract__ is True`), or finds the class is the base itself (`type(self) is
    Base`, `self.__class__ is Base`, `cls is Base` in `__new__`); alone or `and`-ed with
    anything."""
    if not self_name:
        return False
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        return _refuses_abstract(test.left, self_name, self_is_class) or _refuses_abstract(
            test.right, self_name, self_is_class
        )
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
        if type(operator) not in (cst.Is, cst.Equal):
            return False
        if type(right) is cst.Name and right.value == "True":
            return _abstract_flag(test.left, self_name, self_is_class)
        return _own_class(test.left, self_name, self_is_class) and _names_a_class(right)
    return _abstract_flag(test, self_name, self_is_class)


def _finds_unset(test: cst.BaseExpression, self_name: str) -> tuple[str, ...]:
    """The instance attributes a test finds unset: `not self.repository`, `self.client is
    None`, or several such tests joined by `or`; () for any other test."""
    if not self_name:
        return ()
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.Or:
        either = _finds_unset(test.left, self_name), _finds_unset(test.right, self_name)
        return (*either[0], *either[1]) if all(either) else ()
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return _own_attribute(test.expression, self_name)
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
        if type(operator) is cst.Is and type(right) is cst.Name and right.value == "None":
            return _own_attribute(test.left, self_name)
    return ()


def _own_attribute(node: cst.BaseExpression, self_name: str) -> tuple[str, ...]:
    """`(name,)` for `self.name`, else ()."""
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == self_name:
        return (node.attr.value,)
    return ()


def _names_a_class(node: cst.BaseExpression) -> bool:
    """`Base` or `module.Base`: a capitalised name, as classes are spelled (not `other`)."""
    if type(node) is cst.Attribute:
        return node.attr.value[:1].isupper()
    return type(node) is cst.Name and node.value[:1].isupper() and node.value not in ("None", "True", "False")


def _abstract_flag(node: cst.BaseExpression, self_name: str, self_is_class: bool) -> bool:
    """An abstract flag read through the class's options (`self.Meta.abstract`,
    `self.__meta__.abstract`, `self._meta.abstract`) or through the class
    (`type(self).abstract`, `self.__class__.__abstract__`, `cls.__abstract__`). Never
    `self.abstract`: an attribute read on the instance is as likely its data (a paper's
    `abstract`)."""
    if type(node) is not cst.Attribute or node.attr.value not in _ABSTRACT_FLAGS:
        return False
    holder = node.value
    if (
        type(holder) is cst.Attribute
        and holder.attr.value in _META_HOLDERS
        and type(holder.value) is cst.Name
        and holder.value.value == self_name
    ):
        return True
    while not _own_class(holder, self_name, self_is_class):
        if type(holder) is not cst.Attribute:
            return False
        holder = holder.value
    return True


def _own_class(node: cst.BaseExpression, self_name: str, self_is_class: bool) -> bool:
    """`type(self)`, `self.__class__`, or the first parameter when it is the class itself
    (`cls` in `__new__` or a classmethod)."""
    if type(node) is cst.Name:
        return self_is_class and node.value == self_name
    if type(node) is cst.Attribute:
        return (
            node.attr.value == "__class__" and type(node.value) is cst.Name and node.value.value == self_name
        )
    return _type_of_param(node, frozenset({self_name}), ("type",))


def _type_names_tested(test: cst.BaseExpression, name: str) -> list[str]:
    """The class names an `if` test compares `name`'s type name with: `type(name).__name__
    == "NotFound"`, `name.__class__.__name__ in ("NotFound", "Gone")`, several `or`-ed or
    `and`-ed."""
    if type(test) is cst.BooleanOperation:
        return _type_names_tested(test.left, name) + _type_names_tested(test.right, name)
    if type(test) is not cst.Comparison or len(test.comparisons) != 1 or not _type_name_of(test.left, name):
        return []
    operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
    if type(operator) is cst.Equal:
        candidates: list[cst.BaseExpression] = [right]
    elif type(operator) is cst.In and type(right) in (cst.Tuple, cst.List, cst.Set):
        candidates = [element.value for element in cast("cst.Tuple", right).elements]
    else:
        return []
    return [
        text
        for candidate in candidates
        if type(candidate) is cst.SimpleString and isinstance(text := _string_value(candidate), str)
    ]


def _type_name_of(node: cst.BaseExpression, name: str) -> bool:
    """`type(name).__name__` or `name.__class__.__name__`."""
    if type(node) is not cst.Attribute or node.attr.value != "__name__":
        return False
    return _own_class(node.value, name, self_is_class=False)


def _answers(node: cst.CSTNode) -> bool:
    """A branch that gives an answer of its own: somewhere in it (not in a function or
    class it defines) a `return`, or a `raise` of something; a bare `raise` passes the
    exception on."""
    if type(node) is cst.Return or (type(node) is cst.Raise and node.exc is not None):
        return True
    if type(node) in (cst.FunctionDef, cst.ClassDef) or isinstance(node, cst.BaseExpression):
        return False
    return any(_answers(child) for child in node.children)
