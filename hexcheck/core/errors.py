"""hexcheck's exceptions; one root, each class says when it is raised.

Problems in the scanned code are never exceptions: they become findings (HEX900).
"""

from __future__ import annotations


class HexcheckError(Exception):
    """The root of every error hexcheck raises on purpose."""


class ConfigError(HexcheckError):
    """The configuration is wrong: each problem names the key and what was expected.

    The CLI prints every problem and exits with code 2.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(problems))


class UsageError(HexcheckError):
    """The command line asks for something impossible (unknown code, missing path).

    The CLI prints the message and exits with code 2.
    """
