"""The workspace's own commands: `init`, `check` and `facts`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from appealkit.cli.output import echo, echo_data, shown, warning_line
from appealkit.cli.session import session, session_options

if TYPE_CHECKING:
    from appealkit.checks.findings import Finding


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
def init_command(directory: Path) -> None:
    """Create a new workspace with one working example of each kind of file.

    Example: appealkit init my-appeals && cd my-appeals && appealkit build
    """
    from appealkit.scaffold_init import init_workspace

    written = init_workspace(directory)
    echo(f"created {len(written)} files in {shown(directory)}/")
    echo(f"next: cd {shown(directory)} && appealkit build")


def report(findings: list[Finding] | tuple[Finding, ...], files: int, output: str,
           what: str) -> tuple[Finding, ...]:
    """Findings as text or JSON; the warnings among them are returned, for --strict."""
    from appealkit.checks.findings import format_json, format_text, summary

    if output == "json":
        echo_data(format_json(findings, files))
    else:
        if findings:
            echo(format_text(findings))
        echo(summary(findings, files, what), err=True)
    return tuple(f for f in findings if f.severity == "warning")


@click.command("check")
@click.argument("campaign_files", nargs=-1)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@session_options
def check_command(campaign_files: tuple[str, ...], output: str) -> tuple[Finding, ...]:
    """Check the workspace and campaigns: typed figures, spellings, lists, fact ages, terms of office.

    Exit code 1 when any finding is an error.

    Example: appealkit check campaigns/bonn-2025.yaml --format json
    """
    from appealkit.checks.check_run import CheckOptions, check_workspace
    from appealkit.checks.findings import has_errors

    options = CheckOptions(campaign_files)
    checked = check_workspace(session().root(), options)
    findings, files = checked.findings, checked.files
    warnings = report(findings, files, output, "checked")
    if has_errors(findings):
        raise click.exceptions.Exit(1)
    return warnings


@click.command("facts")
@click.option("--campaign", "campaigns", multiple=True,
              help="Count citations in this campaign only, a file or its id (default: every campaign).")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@session_options
def facts_command(campaigns: tuple[str, ...], output: str) -> tuple[object, ...]:
    """List every fact: the value as a letter cites it, its as-of date, sources, and the letters citing it.

    Example: appealkit facts --campaign campaigns/bonn-2025.yaml
    """
    from appealkit.checks.fact_usage import FactsOptions, fact_table
    from appealkit.source.workspace import load_workspace

    options = FactsOptions(campaigns)
    result = fact_table(load_workspace(session().root()), options)
    rows = result.rows
    if output == "json":
        click.echo(json.dumps([
            {"id": r.id, "cited": r.cited, "as_of": r.as_of.isoformat(), "sources": r.sources,
             "letters": list(r.letters)} for r in rows], indent=2, ensure_ascii=False))
    else:
        _echo_facts(rows)
    for problem in result.problems:
        echo(warning_line(problem), err=True)
    return result.problems


def _echo_facts(rows) -> None:
    """The facts as a table, each cell cut at 60 characters."""
    table = [("ID", "CITED AS", "AS OF", "SOURCES", "LETTERS")] + [
        (r.id, r.cited, r.as_of.isoformat(), str(r.sources), str(len(r.letters))) for r in rows
    ]
    widths = [min(max(len(row[i]) for row in table), 60) for i in range(len(table[0]))]
    for row in table:
        cells = [_fit(cell, width) for cell, width in zip(row, widths, strict=True)]
        echo("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())


def _fit(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"
