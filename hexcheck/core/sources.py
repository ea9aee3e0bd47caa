"""Source files as discovery finds them: where a file is and which module it holds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SourceFile:
    """One Python file to check.

    `path` is the file's absolute path; `display_path` is what reports show: relative to
    the working directory when the file is below it, with `/` separators. `module` is the
    dotted module name (`app.domain.book`, `app.domain` for `app/domain/__init__.py`).
    """

    display_path: str
    path: str
    module: str
    is_package: bool = False


def claim_order(module: str, is_package: bool, path: str) -> tuple[str, bool, str]:
    """How files that take the same module name are ordered; the first is the module.

    A package beats a module of its name, as Python's import system does when `models/`
    (with its `__init__.py`) and `models.py` sit side by side: `import app.models` never
    reaches the `.py`. Otherwise (services side by side under different import roots) the
    smaller path is taken.
    """
    return (module, not is_package, path)
