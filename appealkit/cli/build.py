"""`appealkit build`: a campaign's letters written, one line per letter or a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appealkit.batch.results import FORMATS as LETTER_FORMATS
from appealkit.batch.results import PDF_VARIANTS
from appealkit.cli.output import UserError, echo, shown
from appealkit.cli.session import load_campaign_of, session, session_options


def _formats(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """`docx,pdf` → ("docx", "pdf"); an unknown format is a usage error (exit code 2); None: not given."""
    if value is None:
        return None
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in LETTER_FORMATS]
    if unknown or not chosen:
        raise UserError(f"--format: error: unknown format '{','.join(unknown) or value}' "
                        f"(use {', '.join(LETTER_FORMATS)} or {','.join(LETTER_FORMATS)})", 2)
    return chosen


@click.command("build")
@click.argument("campaign_file", required=False)
@click.option("--format", "formats", callback=_formats,
              help="Comma-separated output formats: docx, pdf (default: formats under defaults: in "
                   "appealkit.yaml, else docx,pdf).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/<campaign id>/ in the workspace).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Letters built at once, in worker processes (default: one per core, each with at "
                   "least 3 letters to build; a small batch builds in this one process).")
@click.option("--force", is_flag=True, help="Rebuild every letter, also those whose inputs did not change.")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), help="PDF/A for archives, e.g. pdf/a-3u.")
@click.option("--allow", "allow", multiple=True, metavar="KIND:LETTER_ID",
              help="Write this letter despite findings of this kind (recorded in the manifest); repeatable.")
@session_options
def build_command(campaign_file: str | None, formats: tuple[str, ...] | None, out: Path | None,
                  jobs: int | None, force: bool, pdf_variant: str | None, allow: tuple[str, ...]) -> None:
    """Build every letter of a campaign as DOCX and PDF, plus manifest.json and the bundle.

    Without CAMPAIGN_FILE: the default campaign of appealkit.yaml, else the only campaign.

    Each letter is checked first, as `appealkit check` does: a letter with an error
    (a former office-holder, a typed figure, a stale fact, a count that disagrees, a
    variant spelling) is refused and its old files are removed; with --strict a
    warning refuses it too. --allow term-of-office:LETTER_ID writes it anyway.
    Only letters whose inputs changed since the last build are written again. The
    output folder also gets all-letters.pdf (one bookmark per letter), index.html
    and <campaign>.zip with everything. PDFs are tagged; --pdf-variant pdf/a-3u: PDF/A.

    Example: appealkit build campaigns/bonn-2025.yaml --format pdf
    """
    from appealkit.batch.build import build
    from appealkit.source.settings import load_settings

    current = session()
    workspace, campaign = load_campaign_of(campaign_file)
    formats = formats or load_settings(workspace.root).defaults.formats or LETTER_FORMATS
    _check_allow(allow, campaign)
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=len(campaign.letters), label="building", show_pos=True,
                                   show_eta=True) as bar:
                result = build(workspace, campaign, out, formats, jobs=jobs, force=force, allow=allow, strict=
                               current.strict, pdf_variant=pdf_variant, progress=lambda *_: bar.update(1))
            for outcome in result.letters:  # after the bar: what needs a reader's eye
                if outcome.status != "built" or (outcome.check and outcome.check.findings):
                    _letter_line(outcome, 0, 0)
        else:
            result = build(workspace, campaign, out, formats, jobs=jobs, force=force, allow=allow,
                           strict=current.strict, pdf_variant=pdf_variant, progress=_letter_line)
    except KeyboardInterrupt:
        echo("interrupted: the files written so far are whole; build again to finish", err=True)
        raise click.exceptions.Exit(130) from None
    # warnings that refused a letter under --strict were reported with it; the rest count here
    current.finding_warnings += sum(1 for o in result.letters if o.check and o.status != "refused"
                                    for f in o.check.warnings if f not in o.check.overridden)
    echo(f"{result.count('built')} built, {result.count('unchanged')} unchanged, "
               f"{len(result.refused)} refused, {len(result.failed)} failed in {result.elapsed:.1f} s: "
               f"{shown(result.out_dir)}/ (manifest: {shown(result.manifest)})")
    if result.count("built"):
        timing = ", ".join(f"{name} {secs:.2f} s" for name, secs in result.seconds.items())
        echo(f"CPU time of the letters built, summed over the workers: {timing}")
    if result.failed or result.refused:
        raise click.exceptions.Exit(1)


def _check_allow(allow: tuple[str, ...], campaign) -> None:
    """Each --allow names a kind of finding and a letter of this campaign: a typo would allow nothing."""
    from appealkit.checks.letter_check import ALLOWABLE
    from appealkit.source.yamlsource import suggest

    ids = [spec.id for spec in campaign.letters]
    for given in allow:
        kind, _, letter_id = given.partition(":")
        if kind not in ALLOWABLE:
            hint = suggest(kind, ALLOWABLE) or f"kinds: {', '.join(ALLOWABLE)}"
            raise UserError(f"--allow: error: unknown kind of finding '{kind}' in '{given}' ({hint})", 2)
        if letter_id not in ids:
            hint = suggest(letter_id, ids) or f"letters: {', '.join(ids)}"
            raise UserError(f"--allow: error: no letter '{letter_id}' in campaign '{campaign.id}' "
                             f"({hint})", 2)


def _letter_line(outcome, done: int, total: int) -> None:
    """One line per letter, for logs: the same lines whether the letter was built or kept; its findings
    below it on stderr, as `check` prints them."""
    if outcome.error:
        echo(f"failed  {outcome.id}")
        echo(outcome.error.message, err=True)
        return
    check = outcome.check
    if outcome.status == "refused":
        echo(f"refused {outcome.id}")
        echo("\n".join(str(f) for f in check.blocking), err=True)
        return
    if outcome.status == "unchanged":
        echo(f"unchanged {outcome.id}")
    else:
        echo(f"built   {outcome.id}  ({', '.join(o.format for o in outcome.outputs)})")
    if check is not None:
        for finding in check.overridden:
            echo(f"{finding} [allowed: {finding.kind}:{outcome.id}]", err=True)
        for finding in check.warnings:
            if finding not in check.overridden:
                echo(str(finding), err=True)
