"""The command line: each command parses its options, calls one core function and prints.

One module per group of commands (`workspace`, `build`, `review`, `send`, `serve`), sharing
`output` (what is printed, and how) and `session` (--root, --strict). This is the only package
that knows click; library errors become messages and exit codes here, in `_Commands`. A command
returns the warnings it printed (a tuple), so `--strict` can fail on them.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import click

from appealkit.cli import build, doctor, importer, review, send, serve, translations, workspace
from appealkit.cli.output import UserError, echo, flag_names, flagged, warning_line
from appealkit.cli.session import NOT_A_WORKSPACE, Session, session_options
from appealkit.errors import AppealkitError, Problem, collecting

__all__ = ["NOT_A_WORKSPACE", "cli", "main"]


class _Commands(click.Group):
    """The one boundary where library errors become messages and exit codes, and where --strict
    fails a command on the warnings it returned (or that no result carried)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with collecting() as loose:
                try:
                    returned = super().invoke(ctx)
                finally:  # a warning no result carried is printed even when the command failed
                    for problem in loose:
                        echo(warning_line(problem), err=True)
        except AppealkitError as exc:
            raise UserError(_flagged(self, ctx, exc), exc.exit_code) from None
        except OSError as exc:
            raise UserError(f"{exc.filename or ''}: error: {exc.strerror or exc}", 1) from None
        count = len(loose) + (len(returned) if isinstance(returned, tuple | list) else 0)
        if ctx.ensure_object(Session).strict and count:
            raise UserError(str(Problem("--strict", None, f"{count} warning(s) treated as errors",
                                        "fix the warnings above or leave out --strict")), 1)
        return 0


def _flagged(group: click.Group, ctx: click.Context, exc: AppealkitError) -> str:
    """The core names an option by its field (`allow`, `errors.option`); the user typed the flag
    (`--allow`): a problem placed at the command's own option, and every option a message names."""
    command = group.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
    table = flag_names(group, command)
    own = flag_names(command, None) if command else {}
    return "\n".join(flagged(str(dataclasses.replace(p, file=own.get(p.file, p.file))), table)
                     for p in exc.problems)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@session_options
@click.version_option(package_name="appealkit", prog_name="appealkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Appeal letters in DOCX and PDF from one source of truth kept in YAML.

    Example: appealkit build campaigns/bonn-2025.yaml
    """
    ctx.ensure_object(Session)


for _command in (
    workspace.init_command, workspace.check_command, workspace.facts_command,
    build.build_command,
    review.diff_command, review.audit_command,
    serve.serve_command,
    translations.translations_command,
    importer.import_command,
    send.approve_command, send.status_command, send.send_command, send.sent_command,
    send.reply_command,
    doctor.doctor_command,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes end with their one-line message, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="appealkit", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        echo("aborted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
