"""`import`: letters an organisation already has, turned into a workspace draft."""

from __future__ import annotations

from pathlib import Path

import click

from appealkit.cli.output import echo, echo_data, shown
from appealkit.cli.session import session_options


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True,
              help="The folder to write the draft into: new, or a workspace (new files only).")
@click.option("--campaign", default="imported", show_default=True,
              help="The id of the campaign the letters become (also names the facts and people files).")
@click.option("--language", default="", help="The letters' language (default: detected per letter).")
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@session_options
def import_command(files: tuple[Path, ...], into: Path, campaign: str, language: str, dry_run: bool,
                   output: str) -> None:
    """Turn existing letters (.docx, .pdf, .txt, .md) into a workspace draft: facts, people,
    recipients, templates and a campaign, with every disagreement between the letters listed.

    One file may hold several letters (a recipient heading above each salutation, or a rule
    between them). Nothing that exists is overwritten: a conflict stops the import before
    anything is written. A file that cannot be read is reported and the others are imported.

    Example: appealkit import appeals-2025.docx old/*.pdf --into drafts/bonn --campaign bonn-2025
    """
    from appealkit.importer.importing import ImportOptions, import_letters
    from appealkit.importer.report import as_json, as_text

    result = import_letters(ImportOptions(files, into, campaign, language, dry_run))
    if output == "json":
        echo_data(as_json(result))
    else:
        for line in as_text(result):
            echo(line)
    if dry_run:
        echo(f"dry run: {len(result.files)} file(s) would be written to {shown(into)}/", err=True)
    else:
        echo(f"wrote {len(result.written)} file(s) to {shown(into)}/; "
             f"next: appealkit --root {shown(into)} check", err=True)
    if result.problems:
        raise click.exceptions.Exit(2)
