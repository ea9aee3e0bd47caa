"""Seeded mutations: known deviations planted in a temporary copy of a project, for recall.

Each mutation finds its place through the manifest's layer labels (the reviewer's reading,
not hexcheck's layer split) and the Python `ast` of the copy, picks one place with a
random generator seeded by the project and the mutation, edits that file, and states the
finding it should produce (code and path). A project without the needed shape gets
"not applicable" with the reason. Planting never imports or runs the project's code.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.corpus import labelled_layer

MARK = "# hexcheck-primer mutation"


@dataclass(frozen=True)
class Mutation:
    kind: str
    code: str  # the finding it should produce
    path: str  # where (relative to the project root); "" when not applicable
    note: str  # what was planted, or why it could not be


@dataclass
class Tree:
    """The copy being mutated: its files by layer label, parsed once, edited in place."""

    root: Path
    labels: Mapping[str, str]
    module_names: Mapping[str, str]  # path -> dotted module name (from hexcheck's graph)
    seed: str
    used: set[str]

    def files(self, layer: str) -> list[str]:
        found = []
        for path in sorted(self.module_names):
            if labelled_layer(path, self.labels) == layer and path not in self.used:
                found.append(path)
        return found

    def modules(self, layer: str) -> list[tuple[str, ast.Module]]:
        """The unused files the labels put in `layer` that parse, with their ast."""
        parsed = ((path, self.parse(path)) for path in self.files(layer))
        return [(path, module) for path, module in parsed if module is not None]

    def parse(self, path: str) -> ast.Module | None:
        try:
            return ast.parse((self.root / path).read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            return None

    def pick(self, kind: str, candidates: Sequence[object]) -> object:
        return random.Random(f"{self.seed}:{kind}").choice(list(candidates))

    def lines(self, path: str) -> list[str]:
        return (self.root / path).read_text(encoding="utf-8").splitlines(keepends=True)

    def write(self, path: str, lines: Sequence[str]) -> None:
        text = "".join(lines)
        (self.root / path).write_text(text, encoding="utf-8")
        self.used.add(path)

    def append(self, path: str, block: str) -> None:
        lines = self.lines(path)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"\n\n{MARK}\n{block}")
        self.write(path, lines)


def _classes(module: ast.Module) -> list[ast.ClassDef]:
    return [node for node in ast.walk(module) if isinstance(node, ast.ClassDef)]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _name(node.value)
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _abstract_methods(cls: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        item
        for item in cls.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        and any(_name(d) == "abstractmethod" for d in item.decorator_list)
    ]


def _ports(tree: Tree) -> list[tuple[str, ast.ClassDef]]:
    found = []
    for layer in ("domain", "application"):
        for path, module in tree.modules(layer):
            for cls in _classes(module):
                if _abstract_methods(cls):
                    found.append((path, cls))
    return found


def _adapters(tree: Tree, port_names: set[str]) -> list[tuple[str, ast.ClassDef, str]]:
    found = []
    for path, module in tree.modules("infrastructure"):
        for cls in _classes(module):
            bases = {_name(base) for base in cls.bases} & port_names
            if bases:
                found.append((path, cls, sorted(bases)[0]))
    return found


def _is_orm_row(cls: ast.ClassDef) -> bool:
    """A class an ORM maps to a table (`__tablename__`, a Django model, a document): data a
    use case may build for its repository, no adapter it could be handed instead."""
    if any(_name(base) in ("Model", "Document", "DeclarativeBase") for base in cls.bases):
        return True
    return any(
        isinstance(item, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(target, ast.Name) and target.id == "__tablename__"
            for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
        )
        for item in cls.body
    )


def _delete(lines: list[str], node: ast.stmt) -> None:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    end = node.end_lineno or node.lineno
    del lines[start - 1 : end]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def forbidden_import(tree: Tree) -> Mutation:
    kind, code = "forbidden-import", "HEX101"
    domain = tree.files("domain")
    outer = [p for p in sorted(tree.module_names) if labelled_layer(p, tree.labels) == "infrastructure"]
    if not domain or not outer:
        return Mutation(kind, code, "", "not applicable: needs a domain module and an infrastructure module")
    path = str(tree.pick(kind, domain))
    target = tree.module_names[str(tree.pick(kind + ":target", outer))]
    tree.append(path, f"import {target}\n")
    return Mutation(kind, code, path, f"import {target} in a domain module")


def removed_adapter_method(tree: Tree) -> Mutation:
    kind, code = "removed-adapter-method", "HEX501"
    ports = _ports(tree)
    abstract = {cls.name: {m.name for m in _abstract_methods(cls)} for _, cls in ports}
    candidates = []
    for path, cls, base in _adapters(tree, set(abstract)):
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in abstract[base]:
                candidates.append((path, cls.name, item.name))
    if not candidates:
        return Mutation(kind, code, "", "not applicable: no adapter implements an abstract port method")
    path, cls_name, method = tree.pick(kind, sorted(candidates))  # type: ignore[misc]
    module = tree.parse(path)
    assert module is not None
    cls = next(c for c in _classes(module) if c.name == cls_name)
    node = next(
        i for i in cls.body if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef)) and i.name == method
    )
    lines = tree.lines(path)
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    end = node.end_lineno or node.lineno
    # a class left without a statement would not parse: `pass` takes the method's place
    keep = [f"{_indent(lines[node.lineno - 1])}pass\n"] if len(cls.body) == 1 else []
    lines[start - 1 : end] = keep
    tree.write(path, lines)
    return Mutation(kind, code, path, f"removed {cls_name}.{method}")


def dropped_await(tree: Tree) -> Mutation:
    kind, code = "dropped-await", "HEX503"
    candidates = []
    for layer in ("application", "infrastructure", "web"):
        for path, module in tree.modules(layer):
            for node in ast.walk(module):
                if (
                    isinstance(node, ast.Await)
                    and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Attribute)
                    and isinstance(node.value.func.value, ast.Attribute)
                    and isinstance(node.value.func.value.value, ast.Name)
                    and node.value.func.value.value.id == "self"
                    and node.lineno == node.end_lineno
                ):
                    candidates.append((path, node.lineno, node.col_offset))
    if not candidates:
        return Mutation(
            kind, code, "", "not applicable: no `await self.<attr>.<method>(...)` in the core or adapters"
        )
    path, line, column = tree.pick(kind, sorted(candidates))  # type: ignore[misc]
    lines = tree.lines(path)
    text = lines[line - 1]
    encoded = text.encode("utf-8")
    head, tail = encoded[:column], encoded[column:]
    if not tail.startswith(b"await "):
        return Mutation(kind, code, "", "not applicable: the await is not at its expected column")
    lines[line - 1] = (head + tail[len(b"await ") :]).decode("utf-8")
    tree.write(path, lines)
    return Mutation(kind, code, path, f"dropped the await at line {line}")


def route_without_security(tree: Tree) -> Mutation:
    """A fresh router (never included with `dependencies=`) with an unprotected DELETE route."""
    kind, code = "route-without-security", "HEX607"
    web = []
    for path, module in tree.modules("web"):
        if any(
            isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "fastapi"
            for node in module.body
        ):
            web.append(path)
    if not web:
        return Mutation(kind, code, "", "not applicable: no web module imports fastapi")
    path = str(tree.pick(kind, web))
    tree.append(
        path,
        "from fastapi import APIRouter as _PrimerAPIRouter\n\n"
        "primer_router = _PrimerAPIRouter()\n\n\n"
        '@primer_router.delete("/primer-mutation/{item_id}")\n'
        "async def primer_mutation_delete(item_id: int) -> None:\n"
        "    return None\n",
    )
    return Mutation(kind, code, path, "a DELETE route with no security dependency on a new router")


def port_method_with_body(tree: Tree) -> Mutation:
    kind, code = "port-method-with-body", "HEX302"
    candidates = []
    for path, cls in _ports(tree):
        if path in tree.used:
            continue
        methods = _abstract_methods(cls)
        if len(methods) >= 2:
            candidates.append((path, cls.name, methods[0].name))
    if not candidates:
        return Mutation(kind, code, "", "not applicable: no port with two abstract methods")
    path, cls_name, method = tree.pick(kind, sorted(candidates))  # type: ignore[misc]
    module = tree.parse(path)
    assert module is not None
    cls = next(c for c in _classes(module) if c.name == cls_name)
    node = next(m for m in _abstract_methods(cls) if m.name == method)
    lines = tree.lines(path)
    body_start = node.body[0].lineno
    indent = (
        _indent(lines[body_start - 1])
        if node.body[0].lineno > node.lineno
        else _indent(lines[node.lineno - 1]) + "    "
    )
    if body_start == node.lineno:  # `def f(self): ...` on one line: rewrite the whole def
        return Mutation(kind, code, "", "not applicable: the chosen port method is a one-line def")
    lines[body_start - 1 : (node.end_lineno or node.lineno)] = [
        f"{indent}result = None\n",
        f"{indent}return result\n",
    ]
    for decorator in sorted(node.decorator_list, key=lambda d: -d.lineno):
        if _name(decorator) == "abstractmethod":
            del lines[decorator.lineno - 1]
    tree.write(path, lines)
    return Mutation(kind, code, path, f"{cls_name}.{method} lost @abstractmethod and got a body")


def _use_cases(tree: Tree) -> list[tuple[str, str, str]]:
    found = []
    for path, module in tree.modules("application"):
        for cls in _classes(module):
            methods = {i.name: i for i in cls.body if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef))}
            entry = next((m for m in ("execute", "__call__", "handle") if m in methods), None)
            if entry and "__init__" in methods and methods[entry].body[0].lineno > methods[entry].lineno:
                found.append((path, cls.name, entry))
    return found


def use_case_builds_adapter(tree: Tree) -> Mutation:
    kind, code = "use-case-builds-adapter", "HEX402"
    use_cases = _use_cases(tree)
    ports = {cls.name for _, cls in _ports(tree)}
    adapters = [(p, c.name) for p, c, _ in _adapters(tree, ports)] if ports else []
    if not adapters:
        for path in sorted(tree.module_names):
            if labelled_layer(path, tree.labels) == "infrastructure":
                module = tree.parse(path)
                if module is not None:
                    adapters.extend(
                        (path, c.name)
                        for c in module.body
                        if isinstance(c, ast.ClassDef) and not _is_orm_row(c)
                    )
    if not use_cases or not adapters:
        return Mutation(
            kind,
            code,
            "",
            "not applicable: needs a use case (execute/__call__/handle + __init__) "
            "and an infrastructure class",
        )
    path, cls_name, entry = tree.pick(kind, sorted(use_cases))  # type: ignore[misc]
    adapter_path, adapter = tree.pick(kind + ":adapter", sorted(adapters))  # type: ignore[misc]
    module = tree.parse(path)
    assert module is not None
    cls = next(c for c in _classes(module) if c.name == cls_name)
    method = next(
        i for i in cls.body if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef)) and i.name == entry
    )
    lines = tree.lines(path)
    first = method.body[0].lineno
    indent = _indent(lines[first - 1])
    lines.insert(first - 1, f"{indent}_primer_adapter = {adapter}()  {MARK}\n")
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.append(f"\n{MARK}\nfrom {tree.module_names[adapter_path]} import {adapter}  # noqa: E402\n")
    tree.write(path, lines)
    return Mutation(kind, code, path, f"{cls_name}.{entry} builds {adapter}()")


def weak_dto_field(tree: Tree) -> Mutation:
    kind, code = "dto-field-dict", "HEX604"
    candidates = []
    for path, module in tree.modules("web"):
        for cls in module.body:
            model = isinstance(cls, ast.ClassDef) and any(_name(b) == "BaseModel" for b in cls.bases)
            if model and cls.body[0].lineno > cls.lineno:
                candidates.append((path, cls.name, cls.body[0].lineno))
    if not candidates:
        return Mutation(kind, code, "", "not applicable: no Pydantic model in a web module")
    path, cls_name, line = tree.pick(kind, sorted(candidates))  # type: ignore[misc]
    lines = tree.lines(path)
    lines.insert(line - 1, f"{_indent(lines[line - 1])}primer_extra: dict = {{}}  {MARK}\n")
    tree.write(path, lines)
    return Mutation(kind, code, path, f"{cls_name}.primer_extra: dict")


def _appended(kind: str, code: str, layer: str, block: str, note: str) -> Callable[[Tree], Mutation]:
    """A mutation that appends `block` to a module the labels put in `layer`."""

    def mutate(tree: Tree) -> Mutation:
        candidates = tree.files(layer)
        if not candidates:
            return Mutation(kind, code, "", f"not applicable: no {layer} module")
        path = str(tree.pick(kind, candidates))
        tree.append(path, block)
        return Mutation(kind, code, path, note)

    return mutate


forbidden_package = _appended(
    "forbidden-package", "HEX102", "domain", "import sqlalchemy\n", "import sqlalchemy in a domain module"
)
dataclass_without_validation = _appended(
    "dataclass-without-post-init",
    "HEX201",
    "domain",
    "import dataclasses as _primer_dataclasses\n\n\n"
    "@_primer_dataclasses.dataclass\n"
    "class PrimerMutationPrice:\n"
    "    amount: int\n"
    "    currency: str\n",
    "an entity dataclass with two fields and no __post_init__",
)
http_exception_outside_web = _appended(
    "http-exception-in-application",
    "HEX606",
    "application",
    "def _primer_reject() -> None:\n"
    "    from fastapi import HTTPException\n\n"
    "    raise HTTPException(status_code=400)\n",
    "raise HTTPException in an application module",
)
builtin_exception_in_domain = _appended(
    "builtin-exception-in-domain",
    "HEX203",
    "domain",
    "def _primer_check_quantity(quantity: int) -> int:\n"
    "    if quantity < 0:\n"
    '        raise ValueError("quantity must not be negative")\n'
    "    return quantity\n",
    "raise ValueError in a domain function",
)
blocking_call_in_async = _appended(
    "blocking-call-in-async",
    "HEX505",
    "infrastructure",
    "async def _primer_wait() -> None:\n    import time\n\n    time.sleep(1)\n",
    "time.sleep inside async def in an adapter module",
)


MUTATIONS: tuple[Callable[[Tree], Mutation], ...] = (
    removed_adapter_method,
    port_method_with_body,
    dropped_await,
    use_case_builds_adapter,
    weak_dto_field,
    route_without_security,
    forbidden_import,
    forbidden_package,
    dataclass_without_validation,
    http_exception_outside_web,
    builtin_exception_in_domain,
    blocking_call_in_async,
)


def plant(
    root: Path, labels: Mapping[str, str], module_names: Mapping[str, str], seed: str
) -> list[Mutation]:
    """Plant every mutation that fits into the copy at `root`; one file takes one mutation."""
    tree = Tree(root=root, labels=labels, module_names=module_names, seed=seed, used=set())
    return [mutate(tree) for mutate in MUTATIONS]
