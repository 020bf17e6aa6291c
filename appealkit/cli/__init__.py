"""The command line: each command parses its options, calls one core function and prints.

One module per group of commands (`workspace`, `build`, `review`, `send`, `serve`), sharing
`output` (what is printed, and how) and `session` (--root, --strict). This is the only package
that knows click; library errors become messages and exit codes here, in `_Commands`.
"""

from __future__ import annotations

import logging
import sys

import click

from appealkit.cli import build, doctor, review, send, serve, workspace
from appealkit.cli.output import UserError, echo
from appealkit.cli.session import NOT_A_WORKSPACE, Session, WarningHandler, session_options
from appealkit.errors import AppealkitError

__all__ = ["NOT_A_WORKSPACE", "cli", "main"]


class _Commands(click.Group):
    """The one boundary where library errors become messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AppealkitError as exc:
            raise UserError(exc.message, exc.exit_code) from None
        except OSError as exc:
            raise UserError(f"{exc.filename or ''}: error: {exc.strerror or exc}", 1) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@session_options
@click.version_option(package_name="appealkit", prog_name="appealkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Appeal letters in DOCX and PDF from one source of truth kept in YAML.

    Example: appealkit build campaigns/bonn-2025.yaml
    """
    ctx.ensure_object(Session)
    logger = logging.getLogger("appealkit")
    handler = next((h for h in logger.handlers if isinstance(h, WarningHandler)), None)
    if handler is None:
        handler = WarningHandler(level=logging.WARNING)
        logger.addHandler(handler)
    handler.count = 0
    logger.propagate = False


@cli.result_callback()
@click.pass_context
def _fail_on_warnings(ctx: click.Context, result: object) -> None:
    """--strict: a command that reported warnings fails, even when it wrote its files."""
    session = ctx.ensure_object(Session)
    logger = logging.getLogger("appealkit")
    count = sum(h.count for h in logger.handlers if isinstance(h, WarningHandler)) + session.finding_warnings
    if session.strict and count:
        raise AppealkitError.at("--strict", None, f"{count} warning(s) treated as errors",
                                "fix the warnings above or leave out --strict")


for _command in (
    workspace.init_command, workspace.check_command, workspace.facts_command,
    build.build_command,
    review.diff_command, review.audit_command,
    serve.serve_command,
    send.approve_command, send.status_command, send.send_command, send.sent_command,
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
