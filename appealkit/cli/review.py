"""The reviewer's commands: `diff` between revisions and `audit` of letters from anywhere."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from appealkit.cli.output import echo, shown, warning_line
from appealkit.cli.session import session, session_options
from appealkit.cli.workspace import report
from appealkit.errors import printable
from appealkit.review.diff_format import FORMATS as DIFF_FORMATS


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--campaign", help="Compare the letters of this campaign only, a file or its id "
                                "(default: every campaign).")
@click.option("--format", "output", type=click.Choice(DIFF_FORMATS), default="text", show_default=True)
@click.option("--docx-redline", "redline_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write a DOCX with tracked changes for every changed letter into this folder.")
@session_options
def diff_command(old: str | None, new: str | None, campaign: str | None, output: str,
                 redline_dir: Path | None) -> tuple[object, ...]:
    """Show what changed between two revisions (or folders) of the workspace, letter by letter.

    OLD and NEW are git revisions; a workspace folder is written dir:PATH (a name that is both a
    revision and a folder is refused). OLD defaults to HEAD and NEW to the working tree.
    Exit code 0: nothing changed; 1: something changed; 2: error.

    Example: appealkit diff HEAD~1 HEAD --format html > review.html
    """
    from appealkit.review.diff_run import run_diff
    from appealkit.review.options import DiffOptions

    options = DiffOptions(old or "HEAD", new, campaign, output, output == "text" and sys.stdout.isatty(),
                          redline_dir)
    result = run_diff(session().root(), options)
    text = result.formatted
    click.echo(printable(text) if output == "text" and not options.color else text, nl=False)
    if result.redlines and redline_dir is not None:
        echo(f"{len(result.redlines)} redline DOCX written to {shown(redline_dir)}/", err=True)
    for problem in result.problems:
        echo(warning_line(problem), err=True)
    if result.changed:
        raise click.exceptions.Exit(1)
    return result.problems


@click.command("audit")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the letter is sent: figures older than 12 months before it are stale.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--language", metavar="LANG", default=None,
              help="Read every letter in this language (en, de, fr, az), whatever it declares or its words "
                   "suggest (default: a passage's declared language, else the letter's words).")
@session_options
def audit_command(files: tuple[Path, ...], as_of: datetime.datetime | None,
                  output: str, language: str | None) -> tuple[object, ...]:
    """Audit letters (.docx, .pdf, .txt, .md) against facts/ and people/: figures, qualifiers, names.

    Exit code 1 when any finding is an error, 2 when a file cannot be read.

    Example: appealkit audit returned/appeal-signed.docx --as-of 2025-12-01
    """
    from appealkit.checks.audit import AuditOptions, audit_files
    from appealkit.checks.findings import has_errors
    from appealkit.source.workspace import load_workspace

    workspace = load_workspace(session().root())
    result = audit_files(workspace, list(files), AuditOptions(as_of.date() if as_of else None, language))
    warnings = report([*result.unreadable, *result.findings], result.files, output, "audited")
    if result.unreadable:
        raise click.exceptions.Exit(2)
    if has_errors(result.findings):
        raise click.exceptions.Exit(1)
    return warnings
