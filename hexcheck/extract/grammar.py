"""Which Python grammar a file needs, against the one grammar hexcheck reads.

hexcheck reads everything the pinned LibCST (1.9) parses: Python 3.8 to 3.14, and the
3.15 forms LibCST already reads (lazy imports, unpacking in comprehensions). LibCST's
native parser reads that whole grammar whatever interpreter runs it. The running
interpreter's `ast`, which gives positions and the syntax errors only CPython reports,
reads only its own grammar: on Python 3.11 it rejects `def first[T](items: list[T]) -> T`.

So when `ast` rejects a file LibCST read, this module tells the two causes apart: the
error lies in a construct newer than the running interpreter (the file is fine; positions
then come from LibCST), or it does not (a real syntax error). For a file LibCST rejects,
with no tree to look in, `may_hold_newer_syntax` tells from the text of CPython's error
line whether that error may be such a construct rather than where the file is broken.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from typing import cast

import libcst as cst

from hexcheck.core.facts import Span

# The grammar hexcheck reads; the README's "Python grammar" states the same.
NEWEST = (3, 15)
TARGET = "Python 3.8 to 3.14 and the lazy imports and comprehension unpacking of 3.15"


def version_text(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _needs(node: cst.CSTNode) -> tuple[int, int] | None:
    """The Python whose grammar a node needs, when newer than 3.10 (the oldest hexcheck runs on)."""
    kind = type(node)
    if kind is cst.TypeAlias or kind is cst.TypeParameters:  # PEP 695
        return (3, 12)
    if kind is cst.TypeParam and getattr(node, "default", None) is not None:  # PEP 696
        return (3, 13)
    if kind is cst.FormattedString and _uses_pep_701(cast(cst.FormattedString, node)):
        return (3, 12)
    if kind is cst.TemplatedString:  # PEP 750
        return (3, 14)
    if kind is cst.ExceptHandler or kind is cst.ExceptStarHandler:
        caught = getattr(node, "type", None)
        if type(caught) is cst.Tuple and not caught.lpar:  # `except A, B:`, PEP 758
            return (3, 14)
        return (3, 11) if kind is cst.ExceptStarHandler else None  # PEP 654
    if kind is cst.Index and getattr(node, "star", None) is not None:  # `tuple[*Ts]`, PEP 646
        return (3, 11)
    if kind is cst.Param:  # `*args: *Ts`, PEP 646
        annotation = getattr(node, "annotation", None)
        if annotation is not None and type(annotation.annotation) is cst.StarredElement:
            return (3, 11)
        return None
    if kind is cst.LazyImport or kind is cst.LazyImportFrom:  # PEP 810
        return (3, 15)
    if kind is cst.StarredDictComp or (  # `[*row for row in rows]`, PEP 798
        (kind is cst.ListComp or kind is cst.SetComp or kind is cst.GeneratorExp)
        and type(getattr(node, "elt", None)) is cst.StarredElement
    ):
        return (3, 15)
    return None


def _uses_pep_701(node: cst.FormattedString) -> bool:
    """Whether an f-string's replacement fields hold what only Python 3.12 allows: its own
    quote, a backslash, a comment, or a line break in a one-line f-string."""
    quote = node.start.lstrip("fFrRbBtT")
    return _fields_use_pep_701(node.parts, quote)


def _fields_use_pep_701(parts: Sequence[cst.BaseFormattedStringContent], quote: str) -> bool:
    for part in parts:
        if type(part) is not cst.FormattedStringExpression:
            continue  # literal text: the same in every grammar
        # The field without its format spec, whose literal text may hold `#` or `\`.
        code = _CODE.code_for_node(part.with_changes(format_spec=None))
        if quote[0] in code or "\\" in code or "#" in code or (len(quote) == 1 and "\n" in code):
            return True
        if part.format_spec and _fields_use_pep_701(part.format_spec, quote):
            return True
    return False


_CODE = cst.Module(body=[])


def holds_newer_syntax(
    positions: Mapping[cst.CSTNode, Span], line: int, running: tuple[int, int] | None = None
) -> bool:
    """Whether `line` lies in a construct of a newer Python than the running one.

    `positions` are LibCST's, of every node (`positions.provider_positions`): only for
    files the running `ast` rejects, which then need them anyway.
    """
    newer_than = running or running_python()
    for node, span in positions.items():
        if span.line <= line <= span.end_line:
            needs = _needs(node)
            if needs is not None and needs > newer_than:
                return True
    return False


# The openings of the constructs `_needs` knows, as they look on a line of source.
_NEWER_SYNTAX = re.compile(
    r"""\b(def|class)\s+\w+\s*\[      # type parameters
    | ^\s*type\s+\w                   # a `type` alias
    | (^|[^\w.])[rRbB]?[fFtT][rR]?["'] # an f-string or a t-string
    | \bexcept\s*\*                   # except*
    | \bexcept\s+[^:(]*,              # except A, B:
    | ^\s*lazy\s+(import|from)\b      # a lazy import
    | [\[{(]\s*\*                     # unpacking in a comprehension
    """,
    re.VERBOSE,
)


def may_hold_newer_syntax(text: str) -> bool:
    """Whether a line of source may hold a construct newer than the running Python.

    For files LibCST rejects, no tree says which constructs they hold, and an interpreter
    older than the file reports its first newer construct as the error; its line is then
    not where the file is broken.
    """
    return running_python() < NEWEST and _NEWER_SYNTAX.search(text) is not None


def running_python() -> tuple[int, int]:
    return sys.version_info[0], sys.version_info[1]
