"""`translations`: the state of each translation, `mark`, `export` and `import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from appealkit.choices import EXCHANGE_FORMATS
from appealkit.cli.output import echo, shown, warning_line
from appealkit.cli.session import session, session_options


@click.group("translations", invoke_without_command=True)
@click.option("--campaign", "campaign", help="Only the translations this campaign's letters use.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@session_options
@click.pass_context
def translations_command(ctx: click.Context, campaign: str | None, output: str) -> tuple[object, ...]:
    """Each translation against its master: up to date, or how many paragraphs are stale or missing.

    A translation (appeal.de.md) names, per paragraph, the master paragraph it was made from;
    `check` warns when the master has changed since.

    Example: appealkit translations --campaign bonn-2025
    """
    if ctx.invoked_subcommand is not None:
        return ()
    from appealkit.source.workspace import load_workspace
    from appealkit.translate.status import TranslationsOptions, translations_report

    options = TranslationsOptions(campaign)
    report = translations_report(load_workspace(session().root()), options)
    _echo_statuses(report.statuses, output)
    for problem in report.problems:
        echo(warning_line(problem), err=True)
    return report.problems


def _echo_statuses(statuses, output: str) -> None:
    """Each translation's state as JSON, or a line each and a count."""
    if output == "json":
        click.echo(json.dumps([{
            "translation": f"templates/{s.translation}", "master": f"templates/{s.master}",
            "language": s.language, "paragraphs": s.paragraphs, "up_to_date": s.up_to_date, "stale": s.stale,
            "missing": s.missing, "orphans": s.orphans, "unmarked": s.unmarked,
            "marked": s.marked.isoformat() if s.marked else None} for s in statuses], indent=2))
        return
    for s in statuses:
        if s.up_to_date:
            state = "up to date"
        else:
            counts = [(s.stale, "stale"), (s.missing, "missing"), (s.orphans, "without master"),
                      (s.unmarked, "unmarked")]
            state = ", ".join(f"{n} paragraph{'s' if n != 1 else ''} {what}" for n, what in counts if n)
        when = f"marked {s.marked.isoformat()}" if s.marked else "never marked"
        echo(f"templates/{s.translation}  {s.language}  {state}  ({when}; master templates/{s.master})")
    current = sum(1 for s in statuses if s.up_to_date)
    echo(f"{len(statuses)} translation{'s' if len(statuses) != 1 else ''}: {current} up to date", err=True)


@translations_command.command("mark")
@click.argument("templates", nargs=-1, required=True)
@session_options
def mark_command(templates: tuple[str, ...]) -> None:
    """Record a finished translation as made from its master as the master is now.

    Example: appealkit translations mark templates/appeal-de-foreign-minister.de.md
    """
    from appealkit.translate.marking import mark, template_name

    root = session().root()
    for given in templates:
        result = mark(root, template_name(root, given))
        rest = [f"{n} {what}" for n, what in ((result.missing, "master paragraphs untranslated"),
                                              (result.orphans, "paragraphs without master")) if n]
        echo(f"marked  templates/{result.name}  {result.marked} paragraphs of templates/{result.master}"
             + (f"; {', '.join(rest)}" if rest else ""))


@translations_command.command("export")
@click.argument("template")
@click.option("--to", "language", required=True, help="The language to translate into (de, fr, az …).")
@click.option("--format", "fmt", type=click.Choice(EXCHANGE_FORMATS), default="xliff", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@session_options
def export_command(template: str, language: str, fmt: str, output: Path | None) -> None:
    """Write a master's paragraphs, and the translation where there is one, for a translator's tool.

    Facts, people and every Jinja expression are protected placeholders; stale paragraphs are
    marked for review (XLIFF state initial, PO fuzzy).

    Example: appealkit translations export appeal-de-foreign-minister.md --to de --format po --output de.po
    """
    from appealkit.atomic import write_atomic
    from appealkit.source.workspace import load_workspace
    from appealkit.translate.files import ExportOptions, export_translation
    from appealkit.translate.marking import template_name

    options = ExportOptions(language, fmt)
    root = session().root()
    data = export_translation(load_workspace(root), template_name(root, template), options)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(output, data)
    echo(f"wrote {shown(output)}", err=True)


@translations_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@session_options
def import_command(file: Path) -> None:
    """Write a translated XLIFF or PO file back into its translation, the imported paragraphs marked current.

    A unit whose placeholders were removed, repeated or (for {% %} tags) reordered is refused,
    and then nothing is written.

    Example: appealkit translations import de.po
    """
    from appealkit.source.workspace import load_workspace
    from appealkit.translate.files import import_file

    result = import_file(load_workspace(session().root()), file)
    what = "wrote" if result.written else "unchanged"
    echo(f"{what}  templates/{result.translation}  ({result.imported} paragraphs imported)")
