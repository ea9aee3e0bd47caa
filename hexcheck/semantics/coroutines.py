"""Which functions return coroutines, and why: `async def`, awaitable return
annotations, decorators that convert between sync and async."""

from __future__ import annotations

from hexcheck.core.facts import FunctionFact
from hexcheck.semantics.libraries import top_package
from hexcheck.semantics.roles import ClassRef
from hexcheck.semantics.symbols import last_name, names_in

_ASYNC_ITERATORS = frozenset({"AsyncIterator", "AsyncIterable", "AsyncGenerator"})
_ASYNC_CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})
# Decorators that leave a method's signature and async-ness alone.
_NEUTRAL_DECORATORS = frozenset(
    {
        "abc.abstractmethod", "staticmethod", "classmethod", "property", "functools.cached_property",
        "typing.override", "typing_extensions.override", "overrides.override", "functools.wraps",
        "abc.abstractproperty", "abc.abstractclassmethod", "abc.abstractstaticmethod",
    }
)  # fmt: skip
# Words in a decorator's name that announce a sync/async conversion (`async_to_sync`,
# `sync_to_async`, `run_in_threadpool`, `asyncify`), or that wrap a coroutine function
# into a plain call returning a future container (returns' `@future_safe`, `@future`).
_CONVERTER_WORDS = frozenset(
    {"sync", "asyncify", "syncify", "threadpool", "thread", "executor", "unsync", "future"}
)


def non_neutral_decorators(function: FunctionFact) -> list[str]:
    return [decorator.name for decorator in function.decorators if decorator.name not in _NEUTRAL_DECORATORS]


def converts_sync_async(function: FunctionFact) -> bool:
    """Whether a decorator (`async_to_sync`, `run_in_threadpool`...) or
    `@asynccontextmanager` makes the function something else than its `def` says."""
    if function.decorated_with(*_ASYNC_CONTEXT_MANAGERS):
        return True
    return any(
        set(last_name(name).lower().split("_")) & _CONVERTER_WORDS
        for name in non_neutral_decorators(function)
    )


def is_coroutine_function(function: FunctionFact) -> bool:
    """A plain `async def`: not an async generator, not turned into something else by
    `@asynccontextmanager` or `@async_to_sync`."""
    return (
        function.is_async
        and not function.is_generator
        and not _returns_async_iterator(function)
        and not converts_sync_async(function)
    )


def coroutine_method(found: list[tuple[ClassRef, FunctionFact]]) -> str:
    """Why calling the method found returns a coroutine: every definition of it is a
    plain coroutine function."""
    if not found:
        return ""
    for _, method in found:
        if not is_coroutine_function(method):
            return ""
    owner, method = found[0]
    return f"'{owner.cls.name}.{method.name}' is a coroutine function"


def async_pymongo(type_name: str) -> bool:
    return top_package(type_name) == "pymongo" and "async" in type_name.lower()


def _returns_async_iterator(function: FunctionFact) -> bool:
    return any(last_name(name) in _ASYNC_ITERATORS for name in names_in(function.returns))
