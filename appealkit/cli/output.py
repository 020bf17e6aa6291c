"""What every command prints through: hostile text escaped, paths shown as a user reads them,
and the one error type that carries a message and an exit code out of a command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from appealkit.errors import Problem, printable


class UserError(click.ClickException):
    """An `AppealkitError` on its way out: its lines on stderr, its exit code, no traceback."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it from the instance too

    def show(self, file=None) -> None:
        echo(self.message, file=file or sys.stderr)


def echo(message: object = "", **kwargs) -> None:
    """click.echo with control and bidi characters escaped: names, addresses and a server's
    replies are hostile text, and a terminal must not act on them. Every command prints text
    through this (JSON output, which escapes itself, goes out as it is)."""
    click.echo(printable(str(message)), **kwargs)


def echo_lines(lines: list[str], summary: str) -> None:
    """A report's lines on stdout, its count on stderr."""
    echo("\n".join(lines), nl=bool(lines))
    echo(summary, err=True)


def shown(path: Path) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    relative = os.path.relpath(path)
    return str(Path(path).resolve()) if relative.startswith("..") else relative


def warning_line(problem: Problem) -> str:
    """A warning as commands have always printed it: `warning: FILE: what (why)`."""
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"warning: {where + ': ' if where else ''}{problem.message}{hint}"
