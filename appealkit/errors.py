"""The one error type a user can cause, and the problems it carries.

Every message a user sees reads ``FILE:LINE: error: what is wrong (what to do)``,
so an organiser who is not a programmer can open the file at that line and fix it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Self

#: Characters a terminal acts on instead of showing: C0/C1 controls (tab and newline excepted),
#: bidirectional overrides and isolates, zero-width marks. A file name holding U+202E would
#: otherwise print reversed and pass for another.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` with every control and bidi character shown as an escape (`\\u202e`)."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the workspace."""

    file: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where + ': ' if where else ''}{self.severity}: {self.message}{hint}"


#: The warnings of the command running now: `collecting()` opens a list, `warn()` adds to it.
_COLLECTED: ContextVar[list[Problem] | None] = ContextVar("appealkit_warnings", default=None)


@contextmanager
def collecting() -> Iterator[list[Problem]]:
    """The warnings `warn()` reports inside the block, as values for the command's result.

    One way for every warning, whatever depth it comes from (a letterhead link, a CSS file a
    layout may not load): no logger, no handler, no counter.
    """
    found: list[Problem] = []
    token = _COLLECTED.set(found)
    try:
        yield found
    finally:
        _COLLECTED.reset(token)


def option(name: str) -> str:
    """An option named in a message, as Python passes it (`resend_in_doubt`): the core never names a
    command-line flag; the CLI shows the flag (`--resend-in-doubt`) in its place (`cli.output.flagged`)."""
    return f"`{name}`"


class AppealkitWarning(UserWarning):
    """A warning reported outside any command's `collecting()`: Python's own channel, never lost."""


def warn(file: str, line: int | None, message: str, hint: str = "") -> None:
    """A warning for the result of the command running now (see `collecting`)."""
    problem = Problem(file, line, message, hint, "warning")
    found = _COLLECTED.get()
    if found is None:  # a library caller that collects nothing still hears of it
        warnings.warn(str(problem), AppealkitWarning, stacklevel=2)
    elif problem not in found:
        found.append(problem)


class AppealkitError(Exception):
    """A mistake in the user's input: shown as one line per problem, exit code 1, no traceback.

    The library never imports click; the CLI turns this into its message and exit code at
    one boundary (`appealkit/cli/`), the way sqlite-utils does.
    """

    exit_code = 1

    def __init__(self, problems: Problem | list[Problem] | tuple[Problem, ...]):
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        self.message = "\n".join(str(p) for p in self.problems)
        super().__init__(self.message)

    @classmethod
    def at(cls, file: str, line: int | None, message: str, hint: str = "") -> Self:
        """Shortcut for an error with a single problem."""
        return cls(Problem(file, line, message, hint))


class WorkspaceError(AppealkitError):
    """The YAML of the workspace does not load or does not validate."""


class TemplateError(AppealkitError):
    """A template does not parse, or fails while rendering a letter."""


class MissingFont(AppealkitError):
    """The layout names a font this machine lacks: the PDF would change its look silently."""


class MissingLibrary(AppealkitError):
    """A system library a format needs (Pango, fonts) is missing: that format fails, others are written."""


class UnreadableLetter(AppealkitError):
    """A file given to `audit` that cannot be read as a letter: exit code 2."""

    exit_code = 2


class DraftConflict(AppealkitError):
    """`import` would overwrite a file or reuse an id of the workspace it writes into: nothing is written."""


class UsageError(AppealkitError):
    """A command called with options that do not fit together or values it does not know: exit code 2."""

    exit_code = 2


class DiffError(AppealkitError):
    """`appealkit diff` could not compare: exit code 2, since 1 means "something changed"."""

    exit_code = 2


class TranslationError(AppealkitError):
    """A translation cannot be marked, exported or imported (a unit that lost a placeholder …)."""
