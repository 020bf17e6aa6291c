"""What every command prints through: hostile text escaped, paths shown as a user reads them,
and the one error type that carries a message and an exit code out of a command."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
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
    through this (JSON output, which escapes itself, goes out as it is). An option the core
    names (`errors.option`) is shown as its flag."""
    click.echo(printable(_flagged_here(str(message))), **kwargs)


def echo_data(text: str, **kwargs) -> None:
    """JSON, which escapes itself, printed as it is but for an option the core named, shown as its flag."""
    click.echo(_flagged_here(text), **kwargs)


def _flagged_here(text: str) -> str:
    ctx = click.get_current_context(silent=True) if "`" in text else None
    return flagged(text, flag_names(ctx.find_root().command, ctx.command)) if ctx is not None else text


_OPTION = re.compile(r"`([a-z][a-z_]*)`")


def _options_of(command: click.Command) -> Iterator[click.Option]:
    yield from (p for p in command.params if isinstance(p, click.Option))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _options_of(sub)


def flag_names(root: click.Command, command: click.Command | None) -> dict[str, str]:
    """Field → flag (`resend_in_doubt` → `--resend-in-doubt`): `command`'s own options first, then any
    command's option whose field has one flag everywhere (status hints at a flag of send)."""
    everywhere: dict[str, set[str]] = {}
    for found in _options_of(root):
        if found.name:
            everywhere.setdefault(found.name, set()).add(found.opts[0])
    table = {name: next(iter(flags)) for name, flags in everywhere.items() if len(flags) == 1}
    table.update({found.name: found.opts[0] for found in (_options_of(command) if command else ())
                  if found.name})
    return table


def flagged(text: str, table: dict[str, str]) -> str:
    """`text` with each option the core named (`errors.option`) shown as the flag that sets it."""
    return _OPTION.sub(lambda m: table.get(m[1], m[0]), text) if "`" in text else text


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
