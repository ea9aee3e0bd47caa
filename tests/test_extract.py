"""The extractor: every import form, positions, and the facts later rules rely on."""

from __future__ import annotations

import textwrap

from hexcheck.core.facts import BodyKind, CallContext, ExprKind, ModuleFacts
from hexcheck.extract.extractor import extract


def facts_of(
    source: str, module: str = "app.application.use_cases.books", package: bool = False
) -> ModuleFacts:
    return extract(textwrap.dedent(source).encode(), module, "books.py", package)


def imports(source: str, **kwargs: object) -> list[tuple[object, ...]]:
    return [
        (i.kind.value, i.target, i.names, i.span.line, i.alias, i.type_checking, i.function_level, i.guarded)
        for i in facts_of(source, **kwargs).imports  # type: ignore[arg-type]
    ]


def test_absolute_imports_and_aliases() -> None:
    assert imports(
        """\
        import os
        import app.domain.book as book, app.web
        from app.domain import book as b, author
        """
    ) == [
        ("import", "os", (), 1, "", False, False, False),
        ("import", "app.domain.book", (), 2, "book", False, False, False),
        ("import", "app.web", (), 2, "", False, False, False),
        ("from", "app.domain", ("book", "author"), 3, "", False, False, False),
    ]


def test_relative_imports_resolve_against_the_package() -> None:
    found = imports(
        """\
        from . import sibling
        from .sibling import thing
        from .. import ports
        from ...domain.book import Book
        """
    )
    assert [(f[1], f[2]) for f in found] == [
        ("app.application.use_cases", ("sibling",)),
        ("app.application.use_cases.sibling", ("thing",)),
        ("app.application", ("ports",)),
        ("app.domain.book", ("Book",)),
    ]


def test_relative_import_in_a_package_init() -> None:
    found = imports("from .book import Book\n", module="app.domain", package=True)
    assert found[0][1] == "app.domain.book"


def test_relative_import_climbing_above_the_top_package_is_kept_unresolved() -> None:
    facts = facts_of("from .... import nowhere\nfrom .....x import y\n", module="app.a")
    assert facts.problem is None
    assert [i.target for i in facts.imports] == ["", ""]
    assert [i.level for i in facts.imports] == [4, 5]


def test_star_type_checking_function_level_and_guarded_imports() -> None:
    found = imports(
        """\
        import typing
        from app.domain.book import *
        if typing.TYPE_CHECKING:
            from app.infrastructure.db import Client
        else:
            Client = None
        try:
            import ujson as json
        except ImportError:
            import json
        def load():
            from app.infrastructure import db
            return db
        class Repo:
            def get(self):
                import app.web.routers
        """
    )
    assert found == [
        ("import", "typing", (), 1, "", False, False, False),
        ("from", "app.domain.book", ("*",), 2, "", False, False, False),
        ("from", "app.infrastructure.db", ("Client",), 4, "", True, False, False),
        ("import", "ujson", (), 8, "json", False, False, True),
        ("import", "json", (), 10, "", False, False, True),
        ("from", "app.infrastructure", ("db",), 12, "", False, True, False),
        ("import", "app.web.routers", (), 16, "", False, True, False),
    ]


def test_imports_of_the_script_block_are_flagged() -> None:
    found = facts_of(
        """\
        import os
        if __name__ == "__main__":
            import django
            if os.environ.get("DEBUG"):
                from app.infrastructure.db import Client
        elif "__main__" == __name__:
            import app.web
        if __name__ != "__main__":
            import app.cli
        def main():
            if __name__ == "__main__":
                import app.shell
        """
    ).imports
    assert [(i.target, i.span.line, i.script) for i in found] == [
        ("os", 1, False),
        ("django", 3, True),
        ("app.infrastructure.db", 5, True),
        # `elif "__main__" == __name__:` is the same test, written the other way round.
        ("app.web", 7, True),
        # Not the script block: `!=` runs on import, and a function's test says nothing.
        ("app.cli", 9, False),
        ("app.shell", 12, False),
    ]


def test_calls_of_the_script_block_are_flagged() -> None:
    facts = facts_of(
        """\
        import asyncio
        setup()
        if __name__ == "__main__":
            asyncio.run(main())
        def main():
            if __name__ == "__main__":
                report()
        """
    )
    assert [(c.callee, c.span.line, c.script) for c in facts.calls] == [
        ("setup", 2, False),
        ("asyncio.run", 4, True),
        ("app.application.use_cases.books.main", 4, True),
    ]
    # A function's own test of `__name__` is no script block.
    assert [(c.callee, c.script) for c in facts.functions[0].calls] == [("report", False)]


def test_type_checking_imported_by_name() -> None:
    found = imports("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.web\n")
    assert found[1][5] is True


def test_dynamic_imports_with_literal_names() -> None:
    found = imports(
        """\
        import importlib
        mod = importlib.import_module("app.infrastructure.db")
        other = __import__("app.web")
        skipped = importlib.import_module(name)
        """
    )
    assert [(f[0], f[1], f[3]) for f in found[1:]] == [
        ("dynamic", "app.infrastructure.db", 2),
        ("dynamic", "app.web", 3),
    ]


def test_multiline_import_is_reported_at_its_first_line() -> None:
    facts = facts_of("x = 1\nfrom app.domain import (\n    a,\n    b,\n)\n")
    span = facts.imports[0].span
    assert (span.line, span.column, span.end_line) == (2, 0, 5)


def test_classes_bases_resolved_through_imports() -> None:
    facts = facts_of(
        """\
        import abc
        from typing import Generic, Protocol, TypeVar
        from app.domain.book import Book as DomainBook

        T = TypeVar("T")

        class Repository(abc.ABC, Generic[T]):
            @abc.abstractmethod
            async def get(self, id: str) -> "DomainBook": ...

        class Reader(Protocol):
            def read(self) -> bytes: ...

        class Meta(metaclass=abc.ABCMeta):
            pass
        """
    )
    repo, reader, meta = facts.classes
    assert [b.name for b in repo.bases] == ["abc.ABC", "typing.Generic"]
    assert repo.bases[1].kind is ExprKind.SUBSCRIPT
    assert repo.span.line == 7
    get = repo.methods[0]
    assert get.is_async and get.decorated_with("abc.abstractmethod") and get.body is BodyKind.EMPTY
    assert get.returns is not None and get.returns.name == "app.domain.book.Book"
    assert [b.name for b in reader.bases] == ["typing.Protocol"]
    assert meta.metaclass == "abc.ABCMeta"


def test_dataclass_fields_and_post_init() -> None:
    facts = facts_of(
        """\
        from dataclasses import dataclass, field

        @dataclass(frozen=True)
        class Isbn:
            value: str
            tags: list[str] = field(default_factory=list)

            def __post_init__(self) -> None:
                self._validate()

            def _validate(self) -> None:
                if len(self.value) != 13:
                    raise InvalidIsbn(self.value)
        """,
        module="app.domain.isbn",
    )
    isbn = facts.classes[0]
    assert isbn.decorators[0].kind is ExprKind.CALL and isbn.decorators[0].name == "dataclasses.dataclass"
    assert [a.name for a in isbn.attributes] == ["value", "tags"]
    post_init = isbn.method("__post_init__")
    assert post_init is not None
    assert [(c.callee, c.context) for c in post_init.calls] == [("self._validate", CallContext.STATEMENT)]
    validate = isbn.method("_validate")
    assert validate is not None and [r.exception for r in validate.raises] == ["InvalidIsbn"]


def test_call_contexts_and_positions() -> None:
    facts = facts_of(
        """\
        import asyncio

        class CreateBook:
            def __init__(self, books: "BookRepository") -> None:
                self._books = books

            async def execute(self, book):
                self._books.save(book)
                await self._books.save(book)
                await asyncio.gather(*[self._books.get(i) for i in book.ids])
                task = asyncio.create_task(self._books.get(1))
                return self._books.count()
        """
    )
    execute = facts.classes[0].method("execute")
    assert execute is not None
    assert [(c.callee, c.span.line, c.span.column, c.context.value, c.outer) for c in execute.calls] == [
        ("self._books.save", 8, 8, "statement", ""),
        ("self._books.save", 9, 14, "awaited", ""),
        ("asyncio.gather", 10, 14, "awaited", ""),
        ("self._books.get", 10, 31, "argument", "asyncio.gather"),
        ("asyncio.create_task", 11, 15, "assigned", ""),
        ("self._books.get", 11, 35, "argument", "asyncio.create_task"),
        ("self._books.count", 12, 15, "returned", ""),
    ]
    init = facts.classes[0].method("__init__")
    assert init is not None
    assert [(a.name, a.value.name if a.value else "") for a in init.self_attributes] == [("_books", "books")]
    assert init.params[1].annotation is not None and init.params[1].annotation.name == "BookRepository"


def test_handlers_raises_loops_and_statement_count() -> None:
    facts = facts_of(
        """\
        from pymongo.errors import PyMongoError

        async def handler(repo):
            \"\"\"Docstring is not a statement.\"\"\"
            try:
                rows = await repo.all()
            except (PyMongoError, KeyError) as error:
                raise StorageError("down") from error
            for row in rows:
                if not row:
                    continue
            raise
        """
    )
    function = facts.functions[0]
    assert function.statement_count == 7
    assert [loop.line for loop in function.loops] == [9]
    assert [(h.types, h.raises) for h in function.handlers] == [
        (("pymongo.errors.PyMongoError", "KeyError"), ("StorageError",))
    ]
    assert [(r.exception, r.span.line) for r in function.raises] == [("StorageError", 8), ("", 12)]


def test_except_clauses_that_only_log_and_raise_translate() -> None:
    """What HEX601 counts as one step: the clauses of a `try` that only log and raise."""
    facts = facts_of(
        """\
        async def handler(use_case, session, log):
            try:
                result = await use_case.execute()
            except KeyError as error:
                raise LookupFailed() from error
            except ValueError as error:
                log.warning("bad value %s", error)
                raise Invalid() from error
            except OSError:
                await session.rollback()
                raise
            try:
                return result.render()
            except TypeError:
                log.error("cannot render")
            except Exception:
                if result:
                    raise
                raise Unrenderable()
        """
    )
    clauses = facts.functions[0].handlers
    assert [(c.try_line, c.span.line, c.statements, c.translates) for c in clauses] == [
        (2, 4, 1, True),
        (2, 6, 2, True),
        (2, 9, 2, False),  # an awaited call is work of its own
        (12, 14, 1, False),  # logs but does not raise: the error is swallowed, not translated
        (12, 16, 3, False),  # a branch is a decision
    ]


def test_body_kinds() -> None:
    facts = facts_of(
        """\
        class Port:
            def a(self):
                \"\"\"Only a docstring.\"\"\"
            def b(self): ...
            def c(self):
                raise NotImplementedError("subclass")
            def d(self):
                return 1
        """
    )
    assert [m.body for m in facts.classes[0].methods] == [
        BodyKind.EMPTY,
        BodyKind.EMPTY,
        BodyKind.NOT_IMPLEMENTED,
        BodyKind.CODE,
    ]


def test_module_level_assignments_and_decorators() -> None:
    facts = facts_of(
        """\
        from fastapi import APIRouter, Depends

        router = APIRouter(prefix="/books", dependencies=[Depends(get_current_user)])

        @router.post("/", response_model=BookOut, status_code=201)
        async def create(body: BookIn, use_case: CreateBook = Depends(provide_create_book)):
            return await use_case.execute(body)
        """,
        module="app.web.books",
    )
    assignment = facts.assignments[0]
    assert assignment.name == "router" and assignment.value.name == "fastapi.APIRouter"
    dependency = dict(assignment.value.keywords)["dependencies"]
    assert dependency.args[0].name == "fastapi.Depends"
    handler = facts.functions[0]
    decorator = handler.decorators[0]
    assert decorator.name == "app.web.books.router.post"
    assert dict(decorator.keywords)["response_model"].name == "BookOut"
    default = handler.params[1].default
    assert default is not None and default.name == "fastapi.Depends"
    assert default.args[0].name == "provide_create_book"
    assert handler.params[1].span.line == 6


def test_noqa_comments() -> None:
    facts = facts_of(
        """\
        import app.web  # noqa: HEX101
        import app.infrastructure  # NOQA:HEX101,HEX102
        import os  # noqa
        x = "# noqa is only a comment when it is one"
        """
    )
    assert [(s.line, s.codes) for s in facts.suppressions] == [
        (1, ("HEX101",)),
        (2, ("HEX101", "HEX102")),
        (3, ()),
        (4, ()),
    ]


def test_calls_in_lambdas_and_nested_functions_are_deferred() -> None:
    facts = facts_of(
        """\
        import asyncio
        import time

        import requests

        async def fetch(url, pause=time.monotonic()):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, lambda: requests.get(url))

            def blocking(delay=time.time()):
                time.sleep(delay)

            await loop.run_in_executor(None, blocking)
            time.sleep(1)
        """
    )
    fetch = facts.functions[0]
    assert [(c.callee, c.deferred) for c in fetch.calls] == [
        ("asyncio.get_running_loop", False),
        ("loop.run_in_executor", False),
        ("requests.get", True),
        ("time.time", False),
        ("time.sleep", True),
        ("loop.run_in_executor", False),
        ("time.sleep", False),
    ]
    assert [(c.callee, c.deferred) for c in facts.calls] == [("time.monotonic", False)]


def test_columns_count_characters_not_bytes() -> None:
    facts = facts_of('x = "éé"; from app.infrastructure import db\n')
    assert facts.imports[0].span.column == 10


def test_nested_functions_are_facts_of_their_own_and_of_their_parent() -> None:
    facts = facts_of(
        """\
        from fastapi import FastAPI

        def create_app():
            app = FastAPI()

            @app.get("/items")
            async def list_items(limit: int = 10):
                \"\"\"Not a statement.\"\"\"
                for item in range(limit):
                    yield item

            return app
        """,
        module="app.main",
    )
    outer = facts.functions[0]
    assert outer.statement_count == 5 and not outer.is_generator
    assert [loop.line for loop in outer.loops] == [9]
    (inner,) = outer.nested
    assert inner.qualname == "create_app.<locals>.list_items"
    assert inner.is_async and inner.is_generator and inner.statement_count == 2
    assert [d.name for d in inner.decorators] == ["app.get"]
    assert [p.name for p in inner.params] == ["limit"]
    assert [loop.line for loop in inner.loops] == [9]


def test_dict_displays_are_mappings() -> None:
    facts = facts_of(
        """\
        from app.application.errors import Conflict, NotFound

        STATUS_OF = {NotFound: 404, Conflict: 409, **EXTRA}
        """,
        module="app.web.errors",
    )
    value = facts.assignments[0].value
    assert value.kind is ExprKind.MAPPING
    assert [arg.name for arg in value.args] == [
        "app.application.errors.NotFound",
        "404",
        "app.application.errors.Conflict",
        "409",
    ]


def test_a_nested_function_sees_its_own_calls_as_not_deferred() -> None:
    facts = facts_of(
        """\
        import time

        def create_app(app):
            @app.get("/slow")
            async def slow():
                time.sleep(1)
                return await run(lambda: time.sleep(2))
        """
    )
    outer = facts.functions[0]
    assert [(c.callee, c.deferred) for c in outer.calls if c.callee == "time.sleep"] == [
        ("time.sleep", True),
        ("time.sleep", True),
    ]
    (inner,) = outer.nested
    assert [(c.callee, c.deferred) for c in inner.calls if c.callee == "time.sleep"] == [
        ("time.sleep", False),
        ("time.sleep", True),
    ]


def test_raises_guarding_an_abstract_class_are_marked() -> None:
    facts = facts_of(
        """\
        class Page:
            def __init__(self, **kwargs):
                if self.__meta__.abstract is True:
                    raise AbstractPageError(type(self).__name__)
                if type(self) is Page:
                    raise AbstractPageError("Page")
                if self is other:  # not the class: `other` is no class name
                    raise SamePage()
                if kwargs.get("abstract"):
                    raise InvalidPage()

            def __new__(cls, *args):
                if cls is Page and args:
                    raise AbstractPageError("Page")
                return super().__new__(cls)
        """
    )
    init, new = facts.classes[0].methods
    assert [(r.exception, r.abstract_guard) for r in init.raises] == [
        ("AbstractPageError", True),
        ("AbstractPageError", True),
        ("SamePage", False),
        ("InvalidPage", False),
    ]
    assert [(r.exception, r.abstract_guard) for r in new.raises] == [("AbstractPageError", True)]


def test_an_abstract_flag_counts_only_through_the_class_or_its_options() -> None:
    """`self.abstract` is the instance's data (a paper's abstract), no abstract-class flag;
    the flag is read through the class's options or the class itself."""
    facts = facts_of(
        """\
        class Paper:
            def __post_init__(self):
                if self.abstract and len(self.abstract) > 500:
                    raise AbstractTooLong(len(self.abstract))
                if self.Meta.abstract or self._meta.abstract:
                    raise NotFlagged()
                if self._meta.abstract:
                    raise AbstractPaper()
                if type(self).abstract:
                    raise AbstractPaper()
                if self.__class__.__abstract__ is True:
                    raise AbstractPaper()
                if self.options.abstract:
                    raise NotFlagged()

            def __new__(cls):
                if cls.__abstract__:
                    raise AbstractPaper()
                if cls.abstract:
                    raise AbstractPaper()

            @classmethod
            def build(cls):
                if cls.Meta.abstract:
                    raise AbstractPaper()
        """
    )
    post_init, new, build = facts.classes[0].methods
    assert [(r.exception, r.abstract_guard) for r in post_init.raises] == [
        ("AbstractTooLong", False),
        ("NotFlagged", False),  # `or`: either may hold, the base's flag or not
        ("AbstractPaper", True),
        ("AbstractPaper", True),
        ("AbstractPaper", True),
        ("NotFlagged", False),
    ]
    assert [r.abstract_guard for r in new.raises] == [True, True]
    assert [r.abstract_guard for r in build.raises] == [True]


def test_except_clauses_record_the_class_names_they_test() -> None:
    facts = facts_of(
        """\
        async def pay(controller):
            try:
                return await controller.pay()
            except Exception as error:
                if type(error).__name__ == "NoChange" or error.__class__.__name__ in ("SoldOut", "Gone"):
                    return 404
                if type(other).__name__ == "Unrelated":
                    return 400
                return 500
            except KeyError:
                if type(error).__name__ == "NotCaughtHere":
                    return 410
        """
    )
    assert [c.type_names for c in facts.functions[0].handlers] == [("NoChange", "SoldOut", "Gone"), ()]


def test_only_class_name_tests_whose_branch_answers_are_recorded() -> None:
    """A branch that returns or raises something answers for the class it names; one that
    only logs, or re-raises bare, lets the exception through."""
    facts = facts_of(
        """\
        def pay(controller, logger):
            try:
                return controller.pay()
            except Exception as error:
                if type(error).__name__ == "Logged":
                    logger.warning("logged only")
                if type(error).__name__ == "PassedOn":
                    logger.warning("passed on")
                    raise
                if type(error).__name__ == "Translated":
                    raise ValueError(str(error)) from error
                if type(error).__name__ == "Answered":
                    with logger.context():
                        return 404
                elif type(error).__name__ == "AnsweredToo":
                    return 409
                if type(error).__name__ == "ByAHelper":
                    def later():
                        return 410
                    logger.register(later)
                return 500
        """
    )
    (handler,) = facts.functions[0].handlers
    assert handler.type_names == ("Translated", "Answered", "AnsweredToo")


def test_a_function_or_class_defined_in_an_except_clause_tests_nothing_for_it() -> None:
    facts = facts_of(
        """\
        def get(service):
            try:
                return service.get()
            except Exception as e:
                def describe(e):
                    if type(e).__name__ == "Gone":
                        return "gone"
                    return "error"

                class Answer:
                    if type(e).__name__ == "Hidden":
                        raise KeyError(e)

                if type(e).__name__ == "Conflict":
                    return describe(e), 409
                return describe(e), 500
        """
    )
    outer = facts.functions[0]
    assert [h.type_names for h in outer.handlers] == [("Conflict",)]
    assert [h.type_names for h in outer.nested[0].handlers] == []
