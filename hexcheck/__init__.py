"""hexcheck: reviews Python services built in hexagonal architecture, statically.

The Python API for tools and tests is `check(paths, config=None) -> Report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hexcheck.core.config import Config
from hexcheck.core.version import VERSION

if TYPE_CHECKING:  # importing the engine loads NetworkX; `import hexcheck` stays light
    from hexcheck.engine import Report

__version__ = VERSION
__all__ = ["Config", "__version__", "check"]


def check(paths: Sequence[str], config: Config | None = None) -> Report:
    """Check `paths` as `hexcheck check` would; without `config`, read `[tool.hexcheck]`."""
    from hexcheck import engine
    from hexcheck.adapters.extraction import sequential
    from hexcheck.adapters.filesystem import discover
    from hexcheck.adapters.pyproject import find_config, load_config

    if config is None:
        config = load_config(find_config(paths[0] if paths else "."))
    found = discover(list(paths) or ["."], config)
    return engine.check(
        found.files,
        config,
        sequential(config),
        found.problems,
        left_out=found.left_out,
        requested=found.requested,
    )
