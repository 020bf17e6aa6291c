"""`appealkit build`: a campaign's letters written, one line per letter or a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appealkit.batch.results import PDF_VARIANTS
from appealkit.checks.findings import ALLOWABLE
from appealkit.cli.output import echo, shown, warning_line
from appealkit.cli.session import load_campaign_of, session, session_options


@click.command("build")
@click.argument("campaign_file", required=False)
@click.option("--format", "formats",
              help="Comma-separated output formats: docx, pdf (default: formats under defaults: in "
                   "appealkit.yaml, else docx,pdf).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/<campaign id>/ in the workspace).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Letters built at once, in worker processes (default: one per core, each with at "
                   "least 3 letters to build; a small batch builds in this one process).")
@click.option("--force", is_flag=True, help="Rebuild every letter, also those whose inputs did not change.")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), help="PDF/A for archives, e.g. pdf/a-3u.")
@click.option("--allow", "allow", multiple=True, metavar="KIND:LETTER_ID",
              help="Write this letter despite findings of this kind (recorded in the manifest); repeatable. "
                   f"Kinds: {', '.join(ALLOWABLE)}.")
@session_options
def build_command(campaign_file: str | None, formats: str | None, out_dir: Path | None, jobs: int | None,
                  force: bool, pdf_variant: str | None, allow: tuple[str, ...]) -> tuple[object, ...]:
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
    from appealkit.batch.build import build_campaign
    from appealkit.batch.options import BuildOptions
    current = session()
    options = BuildOptions((formats,) if formats else None, allow, current.strict, jobs, force, pdf_variant,
                           out_dir)
    workspace, campaign = load_campaign_of(campaign_file)
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=len(campaign.letters), label="building", show_pos=True,
                                   show_eta=True) as bar:
                result = build_campaign(workspace, campaign, options, progress=lambda *_: bar.update(1))
            for outcome in result.letters:  # after the bar: what needs a reader's eye
                needs_eye = outcome.status != "built" or outcome.warnings
                if needs_eye or (outcome.check and outcome.check.findings):
                    _letter_line(outcome, 0, 0)
        else:
            result = build_campaign(workspace, campaign, options, progress=_letter_line)
    except KeyboardInterrupt:
        echo("interrupted: the files written so far are whole; build again to finish", err=True)
        raise click.exceptions.Exit(130) from None
    for problem in result.problems:
        echo(warning_line(problem), err=True)
    echo(f"{result.count('built')} built, {result.count('unchanged')} unchanged, "
         f"{len(result.refused)} refused, {len(result.failed)} failed in {result.elapsed:.1f} s: "
         f"{shown(result.out_dir)}/ (manifest: {shown(result.manifest)})")
    if result.count("built"):
        timing = ", ".join(f"{name} {secs:.2f} s" for name, secs in result.seconds.items())
        echo(f"CPU time of the letters built, summed over the workers: {timing}")
    if result.failed or result.refused:
        raise click.exceptions.Exit(1)
    # warnings that refused a letter under --strict were reported with it; the rest count for --strict
    return (*result.warnings, *(f for o in result.letters if o.check and o.status != "refused"
                                for f in o.check.warnings if f not in o.check.overridden))


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
        kinds = sorted({f.kind for f in check.blocking if f.kind in ALLOWABLE})
        if kinds:
            allow = " ".join(f"--allow {kind}:{outcome.id}" for kind in kinds)
            echo(f"  to write {outcome.id} as it is, knowingly: {allow}", err=True)
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
    for problem in outcome.warnings:
        echo(warning_line(problem), err=True)
