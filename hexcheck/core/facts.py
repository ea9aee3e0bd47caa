"""Facts: what one source file says, extracted once and never re-parsed.

The extractor turns every file into one `ModuleFacts`; rules work on facts only. Facts are
frozen, built from tuples, strings, ints and enums, so they pickle into the cache and
compare by value.

Positions follow `ast` and flake8 plugins: lines are 1-based, columns 0-based, and the end
is exclusive. Reporters add one to columns where their format counts from one.

Names are *resolved* while extracting: `ABC` after `from abc import ABC` is `abc.ABC`, a
class defined in the module `app.domain.book` is `app.domain.book.Book`, a relative import
is absolute. A name that is neither imported nor defined in the module stays as written
(builtins such as `ValueError`, or the parameter `self` in `self._repo.save`). A part of
a dotted name that is not a name (a subscript, a call) is written `?`: `db["x"].find_one`
becomes `?.find_one`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum

from hexcheck.core.pickling import pickled_by_fields, pickled_through


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """Where a fact stands in its file."""

    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span(1, 0, 1, 0)


class ExprKind(str, Enum):
    """What an expression is, as far as the rules care."""

    NAME = "name"  # a (dotted) name: `name` holds it resolved
    CALL = "call"  # a call: `name` is the callee, `args`/`keywords` its arguments
    SUBSCRIPT = "subscript"  # `List[int]`: `name` is the subscripted name, `args` the slice
    UNION = "union"  # `A | B` in an annotation: `args` holds both sides
    LITERAL = "literal"  # a string, number, `None`, `True`, `...`: `name` is its source text
    COLLECTION = "collection"  # a list, tuple or set display: `args` holds the items
    MAPPING = "mapping"  # a dict display: `args` holds keys and values alternately (no `**x`)
    OTHER = "other"  # anything else (lambda, comprehension, operator, ...)


@dataclass(frozen=True, slots=True)
class Expr:  # pickled through `_shared_expr` (below)
    """A summary of an expression: what it names, calls or subscripts, and its parts."""

    kind: ExprKind
    name: str = ""
    args: tuple[Expr, ...] = ()
    keywords: tuple[tuple[str, Expr], ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every resolved name in the expression, outermost first."""
        found: list[str] = []
        stack = [self]
        while stack:
            expr = stack.pop()
            if expr.kind in (ExprKind.NAME, ExprKind.CALL, ExprKind.SUBSCRIPT) and expr.name:
                found.append(expr.name)
            stack.extend(reversed([value for _, value in expr.keywords]))
            stack.extend(reversed(expr.args))
        return tuple(found)


class ImportKind(str, Enum):
    """How a module is imported."""

    IMPORT = "import"  # `import a.b` / `import a.b as c`
    FROM = "from"  # `from a import b` / `from . import b`
    DYNAMIC = "dynamic"  # `importlib.import_module("a.b")` / `__import__("a.b")`


@dataclass(frozen=True, slots=True)
class ImportFact:  # pickled through `_import_fact` (below)
    """One import statement (or one module of `import a, b`).

    `target` is the absolute module named by the statement: `a.b` for `import a.b` and
    for `from a.b import c`. For `from a.b import c`, `names` is `("c",)`; whether `a.b.c`
    is a module is only known once the whole project is read (analysis decides).
    `target` is empty when a relative import climbs above the top package.
    """

    kind: ImportKind
    target: str
    names: tuple[str, ...]
    span: Span
    level: int = 0
    alias: str = ""
    type_checking: bool = False
    function_level: bool = False
    guarded: bool = False  # inside `try:` with an `except ImportError` fallback
    lazy: bool = False  # `lazy import` (PEP 810): a dependency, not run when the module loads
    # For `from a import b as c, d`: the name each of `names` is bound to (`("c", "d")`);
    # empty when none is renamed. A package index may rename what it re-exports.
    bound_as: tuple[str, ...] = ()
    # Inside the module's `if __name__ == "__main__":` block: it runs when the file is run
    # as a script, never when the module is imported, so it is no dependency of the module.
    script: bool = False


class ParamKind(str, Enum):
    """Where a parameter stands in a signature."""

    POSITIONAL_ONLY = "positional_only"
    POSITIONAL = "positional"
    VAR_POSITIONAL = "var_positional"
    KEYWORD_ONLY = "keyword_only"
    VAR_KEYWORD = "var_keyword"


@dataclass(frozen=True, slots=True)
class ParamFact:  # pickled through `_param_fact` (below)
    """One parameter of a function."""

    name: str
    kind: ParamKind
    span: Span
    annotation: Expr | None = None
    default: Expr | None = None


class CallContext(str, Enum):
    """What happens to the value a call returns."""

    AWAITED = "awaited"  # `await f()`
    RETURNED = "returned"  # `return f()` / `yield f()`
    ARGUMENT = "argument"  # `g(f())`: handed to another call, `outer` names it
    STATEMENT = "statement"  # `f()` alone: the value is dropped
    ASSIGNED = "assigned"  # `x = f()`
    OTHER = "other"  # part of a larger expression


@dataclass(frozen=True, slots=True)
class CallFact:  # pickled through `_call_fact` (below)
    """One call inside a function or at module level."""

    callee: str
    span: Span
    context: CallContext
    outer: str = ""  # with ARGUMENT: the callee of the call that receives this one
    args: tuple[Expr, ...] = ()
    keywords: tuple[tuple[str, Expr], ...] = ()
    # Inside a lambda or a function nested in the function: it runs when that is called
    # (`run_in_executor(None, lambda: requests.get(url))`), not where it stands.
    deferred: bool = False
    # In the module's `if __name__ == "__main__":` block: made only when the file runs as a
    # script (`asyncio.run(main())`).
    script: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class RaiseFact:
    """One `raise` statement; `exception` is empty for a bare re-raise. `type_guard`: it
    sits where a parameter was found not to be of the expected type (under `if not
    isinstance(param, T)` or `if type(param) is not T`, or in the `else` of an `if`/`elif`
    chain dispatching on `isinstance(param, ...)`). `abstract_guard`: it sits under an `if`
    that holds when the instance's own class is abstract (`if self.__meta__.abstract:`,
    `if type(self) is Base:`), the guard a base class keeps against being instantiated.
    `unset_guard`: the attributes of the instance that the `if` whose body it stands right
    in finds unset (`if not self.repository:`, `if self.client is None or self.cache is
    None:`)."""

    exception: str
    span: Span
    is_call: bool = False
    type_guard: bool = False
    abstract_guard: bool = False
    unset_guard: tuple[str, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class HandlerFact:
    """One `except` clause: the types it catches and what its body raises.

    `statements` counts its body's statements (nested blocks included, as a function's
    `statement_count` does); `translates` says the body does nothing but log and raise:
    `except NotFound as e: raise HTTPException(404) from e`, an error turned into another.
    `try_line` is the line of the outermost `try` it stands in: its own, or the one whose
    body or `except` clauses hold its `try` (an inner `try` mapping a use case's error inside
    an outer one turning the rest into a 500), which the clauses of one table share.
    `type_names`: the class names its body's `if` tests compare the caught exception's type
    name with (`except Exception as error: if type(error).__name__ == "NotFound": ...`)."""

    types: tuple[str, ...]  # empty for a bare `except:`
    span: Span
    raises: tuple[str, ...] = ()  # exceptions raised in the body ("" for a bare re-raise)
    statements: int = 0
    translates: bool = False
    try_line: int = 0
    type_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributeFact:  # pickled through `_attribute_fact` (below)
    """An attribute: a class-level `name: T = value`, or `self.name = value` in a method."""

    name: str
    span: Span
    annotation: Expr | None = None
    value: Expr | None = None


class BodyKind(str, Enum):
    """What a function body does, ignoring its docstring."""

    EMPTY = "empty"  # `pass`, `...`, or nothing but the docstring
    NOT_IMPLEMENTED = "not_implemented"  # `raise NotImplementedError`
    CODE = "code"  # anything else


@dataclass(frozen=True, slots=True)
class FunctionFact:  # pickled through `_function_fact` (below)
    """A function or method, with what its body does (nested functions included)."""

    name: str
    qualname: str
    span: Span
    is_async: bool = False
    decorators: tuple[Expr, ...] = ()
    params: tuple[ParamFact, ...] = ()
    returns: Expr | None = None
    body: BodyKind = BodyKind.CODE
    statement_count: int = 0
    loops: tuple[Span, ...] = ()
    # Those of `loops` that are a comprehension written out: they only bind names and fill
    # an accumulator with what classes, conversions and the loop's own names give.
    mapping_loops: tuple[Span, ...] = ()
    raises: tuple[RaiseFact, ...] = ()
    calls: tuple[CallFact, ...] = ()
    handlers: tuple[HandlerFact, ...] = ()
    self_attributes: tuple[AttributeFact, ...] = ()
    is_generator: bool = False  # a `yield` in its own body (not in a nested function)
    # Functions defined in its body, each also a fact of its own (their statements, calls
    # and raises are counted above too); qualnames read `outer.<locals>.inner`.
    nested: tuple[FunctionFact, ...] = ()
    # What each `return` of its own body gives, when a call made it: that call's callee,
    # returned directly (`return APIRouter()`) or through the local name last assigned
    # from it (`router = APIRouter(...)` ... `return router`); '' for anything else, a
    # bare `return` included. (How a factory without a return annotation is known.)
    returned: tuple[str, ...] = ()
    # Each local name of its own body bound to what a call built, with that call's callee:
    # `client = httpx.Client()`, `with httpx.Client() as client:` give ("client",
    # "httpx.Client"). (What a function goes on to do with a client it builds.)
    bound: tuple[tuple[str, str], ...] = ()
    # An `assert` in its body (nested functions included): a check that refuses a state,
    # by an `AssertionError` no `raise` statement names.
    asserts: bool = False

    def decorated_with(self, *names: str) -> bool:
        """Whether a decorator (called or not) resolves to one of `names`."""
        return any(decorator.name in names for decorator in self.decorators)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ClassFact:
    """A class defined at module level or nested in another class."""

    name: str
    qualname: str
    span: Span
    bases: tuple[Expr, ...] = ()
    metaclass: str = ""
    decorators: tuple[Expr, ...] = ()
    methods: tuple[FunctionFact, ...] = ()
    attributes: tuple[AttributeFact, ...] = ()

    def method(self, name: str) -> FunctionFact | None:
        """The method called `name`, if the class defines one."""
        for method in self.methods:
            if method.name == name:
                return method
        return None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AssignmentFact:
    """A module-level `name = value` (or `name: T = value`)."""

    name: str
    span: Span
    value: Expr
    annotation: Expr | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Suppression:
    """A `# noqa` comment: `codes` empty means every code; the columns span the comment's
    `# noqa: codes` part. `in_comment` is False for `# noqa` text inside a string, which
    silences findings on its line as in flake8."""

    line: int
    codes: tuple[str, ...] = ()
    column: int = 0
    end_column: int = 0
    in_comment: bool = True


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file could not be turned into facts (it becomes a HEX900 finding)."""

    message: str
    span: Span = NO_SPAN


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """Everything the rules need to know about one module."""

    module: str
    path: str
    is_package: bool = False
    imports: tuple[ImportFact, ...] = ()
    classes: tuple[ClassFact, ...] = ()
    functions: tuple[FunctionFact, ...] = ()
    assignments: tuple[AssignmentFact, ...] = ()
    calls: tuple[CallFact, ...] = ()  # module-level calls (`app.include_router(...)`)
    suppressions: tuple[Suppression, ...] = ()
    problem: ParseProblem | None = None
    # It has an `if __name__ == "__main__":` block: a script as well as a module.
    runs_as_script: bool = False

    @property
    def package(self) -> str:
        """The package relative imports are resolved against."""
        if self.is_package:
            return self.module
        return self.module.rpartition(".")[0]


# Rebuilding facts from pickles (a worker's answer, the cache). Every module's facts name
# `str`, `self`, `None` or `typing`: equal expressions of all modules are rebuilt as one
# object, and names that recur across modules are interned. On the synthetic 10,000-module
# tree 52,000 distinct expressions stand for 880,000, and the facts take 174 MB instead
# of 319. Facts compare by value, so sharing changes nothing but memory. The tables live
# until `forget_shared_facts`, which extraction calls once a run's facts are built.
_SHARED_EXPRS: dict[tuple[ExprKind, str, int, int], Expr] = {}


def _shared_expr(
    kind: ExprKind,
    name: str = "",
    args: tuple[Expr, ...] = (),
    keywords: tuple[tuple[str, Expr], ...] = (),
) -> Expr:
    """`Expr(...)`, or the equal one already built. A pickle builds the inside first, so
    the parts are shared ones already, and keyed by identity (see `_shared_args`)."""
    args, keywords = _shared_args(args), _shared_keywords(keywords)
    key = (kind, name, id(args), id(keywords))
    found = _SHARED_EXPRS.get(key)
    if found is None:
        found = _SHARED_EXPRS[key] = Expr(kind, name, args, keywords)
    return found


# The same for argument lists (`(entity_id,)`, `(status=..., actor=...)`), of calls and
# of expressions, and for the names of `from` imports, which recur as often. Their
# expressions come from `_shared_expr`, so a list is keyed by their ids: the table holds
# them, so the ids stay theirs.
_SHARED_PARTS: dict[tuple[object, ...], tuple[object, ...]] = {}


def _shared_args(args: tuple[Expr, ...]) -> tuple[Expr, ...]:
    if not args:
        return args
    return _SHARED_PARTS.setdefault(("args", *map(id, args)), args)  # type: ignore[return-value]


def _shared_keywords(keywords: tuple[tuple[str, Expr], ...]) -> tuple[tuple[str, Expr], ...]:
    if not keywords:
        return keywords
    pairs = tuple(_SHARED_PARTS.setdefault(("pair", k, id(v)), (k, v)) for k, v in keywords)
    return _SHARED_PARTS.setdefault(("keywords", *map(id, pairs)), pairs)  # type: ignore[return-value]


def _shared_names(names: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(map(sys.intern, names))
    return _SHARED_PARTS.setdefault(("names", *names), names)  # type: ignore[return-value]


def forget_shared_facts() -> None:
    """Empty the tables that share parts between facts rebuilt from pickles: once a
    run's facts are all built, they only cost memory."""
    _SHARED_EXPRS.clear()
    _SHARED_PARTS.clear()


def _import_fact(kind: ImportKind, target: str, names: tuple[str, ...], *rest: object) -> ImportFact:
    return ImportFact(kind, sys.intern(target), _shared_names(names), *rest)  # type: ignore[arg-type]


def _call_fact(
    callee: str,
    span: Span,
    context: CallContext,
    outer: str = "",
    args: tuple[Expr, ...] = (),
    keywords: tuple[tuple[str, Expr], ...] = (),
    deferred: bool = False,
    script: bool = False,
) -> CallFact:
    return CallFact(
        sys.intern(callee),
        span,
        context,
        sys.intern(outer),
        _shared_args(args),
        _shared_keywords(keywords),
        deferred,
        script,
    )


def _function_fact(name: str, *rest: object) -> FunctionFact:
    return FunctionFact(sys.intern(name), *rest)  # type: ignore[arg-type]


def _param_fact(name: str, *rest: object) -> ParamFact:
    return ParamFact(sys.intern(name), *rest)  # type: ignore[arg-type]


def _attribute_fact(name: str, *rest: object) -> AttributeFact:
    return AttributeFact(sys.intern(name), *rest)  # type: ignore[arg-type]


pickled_through(Expr, _shared_expr)
pickled_through(ImportFact, _import_fact)
pickled_through(CallFact, _call_fact)
pickled_through(FunctionFact, _function_fact)
pickled_through(ParamFact, _param_fact)
pickled_through(AttributeFact, _attribute_fact)
