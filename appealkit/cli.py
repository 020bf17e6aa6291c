"""The command line: each command parses its options, calls one core function and prints."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from appealkit.batch.results import FORMATS as LETTER_FORMATS
from appealkit.batch.results import PDF_VARIANTS
from appealkit.cli_send import echo as _echo
from appealkit.cli_send import send_commands, shown
from appealkit.errors import AppealkitError, printable
from appealkit.review.diff_format import FORMATS as DIFF_FORMATS


class _WarningHandler(logging.Handler):
    """Prints warnings and counts them, so `--strict` can fail on them."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        _echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


class _UserError(click.ClickException):
    """An `AppealkitError` on its way out: its lines on stderr, its exit code, no traceback."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        _echo(self.message, file=file or sys.stderr)


class _Commands(click.Group):
    """The one boundary where library errors become messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AppealkitError as exc:
            raise _UserError(exc.message, exc.exit_code) from None
        except OSError as exc:
            raise _UserError(f"{exc.filename or ''}: error: {exc.strerror or exc}", 1) from None


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """`docx,pdf` → ("docx", "pdf"); an unknown format is a usage error (exit code 2)."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in LETTER_FORMATS]
    if unknown or not chosen:
        raise _UserError(f"--format: error: unknown format '{','.join(unknown) or value}' "
                         f"(use {', '.join(LETTER_FORMATS)} or {','.join(LETTER_FORMATS)})", 2)
    return chosen


#: Outside a workspace every command but `init` stops with this line and exit code 2.
NOT_A_WORKSPACE = ("not an appealkit workspace (no facts/ or campaigns/ here or above; "
                   "run appealkit init DIR or pass --root DIR)")


class _Session:
    """What the group and the command share: the workspace asked for, --strict, the warnings seen."""

    def __init__(self) -> None:
        self.root_option: Path | None = None
        self.strict = False
        self.finding_warnings = 0

    def root(self) -> Path:
        """The workspace: --root as given, else the nearest one at or above the current folder."""
        from appealkit.source.paths import find_workspace, is_workspace

        if self.root_option is not None:
            if not is_workspace(self.root_option):
                raise _UserError(f"{self.root_option}: not an appealkit workspace (no facts/ or campaigns/ "
                                 f"in it; run appealkit init DIR or pass the folder that holds them)", 2)
            return self.root_option
        found = find_workspace(Path.cwd())
        if found is None:
            raise _UserError(NOT_A_WORKSPACE, 2)
        return Path(".") if found == Path.cwd().resolve() else found


def _set_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(_Session).root_option = value


def _set_strict(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(_Session).strict = True


_ROOT_HELP = "The workspace folder (default: the nearest one with facts/ or campaigns/, here or above)."
_STRICT_HELP = "Fail (exit code 1) when the command reported any warning, after printing everything."


def _session_options(command):
    """--root and --strict, accepted before and after the command name alike."""
    command = click.option("--strict", is_flag=True, expose_value=False, callback=_set_strict,
                           help=_STRICT_HELP)(command)
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), expose_value=False,
                        callback=_set_root, help=_ROOT_HELP)(command)


def _session() -> _Session:
    return click.get_current_context().ensure_object(_Session)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@_session_options
@click.version_option(package_name="appealkit", prog_name="appealkit")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Appeal letters in DOCX and PDF from one source of truth kept in YAML.

    Example: appealkit build campaigns/bonn-2025.yaml
    """
    ctx.ensure_object(_Session)
    logger = logging.getLogger("appealkit")
    handler = next((h for h in logger.handlers if isinstance(h, _WarningHandler)), None)
    if handler is None:
        handler = _WarningHandler(level=logging.WARNING)
        logger.addHandler(handler)
    handler.count = 0
    logger.propagate = False


@cli.result_callback()
@click.pass_context
def _fail_on_warnings(ctx: click.Context, result: object) -> None:
    """--strict: a command that reported warnings fails, even when it wrote its files."""
    session = ctx.ensure_object(_Session)
    logger = logging.getLogger("appealkit")
    count = sum(h.count for h in logger.handlers if isinstance(h, _WarningHandler)) + session.finding_warnings
    if session.strict and count:
        raise AppealkitError.at("--strict", None, f"{count} warning(s) treated as errors",
                                "fix the warnings above or leave out --strict")


@cli.command("build")
@click.argument("campaign_file")
@click.option("--format", "formats", default=",".join(LETTER_FORMATS), show_default=True, callback=_formats,
              help="Comma-separated output formats: docx, pdf.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/<campaign id>/ in the workspace).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Letters built at once, in worker processes (default: one per core, each with at "
                   "least 3 letters to build; a small batch builds in this one process).")
@click.option("--force", is_flag=True, help="Rebuild every letter, also those whose inputs did not change.")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), help="PDF/A for archives, e.g. pdf/a-3u.")
@click.option("--allow", "allow", multiple=True, metavar="KIND:LETTER_ID",
              help="Write this letter despite findings of this kind (recorded in the manifest); repeatable.")
@_session_options
def build_command(campaign_file: str, formats: tuple[str, ...], out: Path | None,
                  jobs: int | None, force: bool, pdf_variant: str | None, allow: tuple[str, ...]) -> None:
    """Build every letter of a campaign as DOCX and PDF, plus manifest.json and the bundle.

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
    from appealkit.source.campaign import load_campaign, resolve_campaign_path
    from appealkit.source.workspace import load_workspace

    session = _session()
    root = session.root()
    workspace = load_workspace(root)
    campaign = load_campaign(workspace, resolve_campaign_path(root, campaign_file))
    _check_allow(allow, campaign)
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=len(campaign.letters), label="building", show_pos=True,
                                   show_eta=True) as bar:
                result = build(workspace, campaign, out, formats, jobs=jobs, force=force, allow=allow, strict=
                               session.strict, pdf_variant=pdf_variant, progress=lambda *_: bar.update(1))
            for outcome in result.letters:  # after the bar: what needs a reader's eye
                if outcome.status != "built" or (outcome.check and outcome.check.findings):
                    _letter_line(outcome, 0, 0)
        else:
            result = build(workspace, campaign, out, formats, jobs=jobs, force=force, allow=allow,
                           strict=session.strict, pdf_variant=pdf_variant, progress=_letter_line)
    except KeyboardInterrupt:
        _echo("interrupted: the files written so far are whole; build again to finish", err=True)
        raise click.exceptions.Exit(130) from None
    # warnings that refused a letter under --strict were reported with it; the rest count here
    session.finding_warnings += sum(1 for o in result.letters if o.check and o.status != "refused"
                                    for f in o.check.warnings if f not in o.check.overridden)
    _echo(f"{result.count('built')} built, {result.count('unchanged')} unchanged, "
               f"{len(result.refused)} refused, {len(result.failed)} failed in {result.elapsed:.1f} s: "
               f"{shown(result.out_dir)}/ (manifest: {shown(result.manifest)})")
    if result.count("built"):
        timing = ", ".join(f"{name} {secs:.2f} s" for name, secs in result.seconds.items())
        _echo(f"CPU time of the letters built, summed over the workers: {timing}")
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
            raise _UserError(f"--allow: error: unknown kind of finding '{kind}' in '{given}' ({hint})", 2)
        if letter_id not in ids:
            hint = suggest(letter_id, ids) or f"letters: {', '.join(ids)}"
            raise _UserError(f"--allow: error: no letter '{letter_id}' in campaign '{campaign.id}' "
                             f"({hint})", 2)


def _letter_line(outcome, done: int, total: int) -> None:
    """One line per letter, for logs: the same lines whether the letter was built or kept; its findings
    below it on stderr, as `check` prints them."""
    if outcome.error:
        _echo(f"failed  {outcome.id}")
        _echo(outcome.error.message, err=True)
        return
    check = outcome.check
    if outcome.status == "refused":
        _echo(f"refused {outcome.id}")
        _echo("\n".join(str(f) for f in check.blocking), err=True)
        return
    if outcome.status == "unchanged":
        _echo(f"unchanged {outcome.id}")
    else:
        _echo(f"built   {outcome.id}  ({', '.join(o.format for o in outcome.outputs)})")
    if check is not None:
        for finding in check.overridden:
            _echo(f"{finding} [allowed: {finding.kind}:{outcome.id}]", err=True)
        for finding in check.warnings:
            if finding not in check.overridden:
                _echo(str(finding), err=True)


@cli.command("facts")
@click.option("--campaign", "campaign_files", multiple=True,
              help="Count citations in this campaign only (default: every campaign).")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@_session_options
def facts_command(campaign_files: tuple[str, ...], output: str) -> None:
    """List every fact: the value as a letter cites it, its as-of date, sources, and the letters citing it.

    Example: appealkit facts --campaign campaigns/bonn-2025.yaml
    """
    from appealkit.checks.fact_usage import fact_rows
    from appealkit.source.campaign import load_campaign, resolve_campaign_path
    from appealkit.source.workspace import load_workspace

    root = _session().root()
    workspace = load_workspace(root)
    paths = [resolve_campaign_path(root, c) for c in campaign_files] or workspace.campaign_files()
    rows = fact_rows(workspace, [load_campaign(workspace, p) for p in paths])
    if output == "json":
        click.echo(json.dumps([
            {"id": r.id, "cited": r.cited, "as_of": r.as_of.isoformat(), "sources": r.sources,
             "letters": list(r.letters)} for r in rows], indent=2, ensure_ascii=False))
        return
    table = [("ID", "CITED AS", "AS OF", "SOURCES", "LETTERS")] + [
        (r.id, r.cited, r.as_of.isoformat(), str(r.sources), str(len(r.letters))) for r in rows
    ]
    widths = [min(max(len(row[i]) for row in table), 60) for i in range(len(table[0]))]
    for row in table:
        cells = [_fit(cell, width) for cell, width in zip(row, widths, strict=True)]
        _echo("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())


def _fit(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"


@cli.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--campaign", help="Compare the letters of this campaign only (default: every campaign).")
@click.option("--format", "output", type=click.Choice(DIFF_FORMATS), default="text", show_default=True)
@click.option("--docx-redline", "redline_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write a DOCX with tracked changes for every changed letter into this folder.")
@_session_options
def diff_command(old: str | None, new: str | None, campaign: str | None, output: str,
                 redline_dir: Path | None) -> None:
    """Show what changed between two revisions (or folders) of the workspace, letter by letter.

    OLD and NEW are git revisions; a workspace folder is written dir:PATH (a name that is both a
    revision and a folder is refused). OLD defaults to HEAD and NEW to the working tree.
    Exit code 0: nothing changed; 1: something changed; 2: error.

    Example: appealkit diff HEAD~1 HEAD --format html > review.html
    """
    from appealkit.review.diff import diff
    from appealkit.review.diff_format import format_report

    report = diff(_session().root(), old or "HEAD", new, campaign)
    formatted = format_report(report, output, color=(color := output == "text" and sys.stdout.isatty()))
    click.echo(printable(formatted) if output == "text" and not color else formatted, nl=False)
    if redline_dir is not None:
        from appealkit.review.redline_docx import write_redlines

        written = write_redlines(report, redline_dir, _session().root())
        if written:
            _echo(f"{len(written)} redline DOCX written to {shown(redline_dir)}/", err=True)
    if report.changed:
        raise click.exceptions.Exit(1)


@cli.command("serve")
@click.argument("campaign_file", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@_session_options
def serve_command(campaign_file: str | None, port: int, open_browser: bool) -> None:
    """Show the letters in a web browser, updated as you save: checks, facts, downloads, review.

    Listens on 127.0.0.1 only. Every saved change under facts/, people/, recipients/,
    templates/ or campaigns/ shows on the open pages within a moment; nothing is written
    into the workspace. Ctrl-C stops it.

    Example: appealkit serve campaigns/bonn-2025.yaml --open
    """
    from appealkit.serve.server import serve
    from appealkit.source.campaign import resolve_campaign_path

    root = _session().root()
    chosen = [resolve_campaign_path(root, campaign_file)] if campaign_file else None
    serve(root, chosen, port, open_browser,
          announce=lambda url: click.echo(f"appealkit serve: {url}  (Ctrl-C to stop)"))


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@_session_options
def init_command(directory: Path) -> None:
    """Create a new workspace with one working example of each kind of file.

    Example: appealkit init my-campaign && cd my-campaign && appealkit build campaigns/example.yaml
    """
    from appealkit.scaffold_init import init_workspace

    written = init_workspace(directory)
    _echo(f"created {len(written)} files in {shown(directory)}/")
    _echo(f"next: cd {shown(directory)} && appealkit build campaigns/example.yaml")


def _report(findings, files: int, output: str, what: str) -> None:
    from appealkit.checks.findings import format_json, format_text, summary

    _session().finding_warnings += sum(1 for f in findings if f.severity == "warning")
    if output == "json":
        click.echo(format_json(findings, files))
        return
    if findings:
        _echo(format_text(findings))
    _echo(summary(findings, files, what), err=True)


@cli.command("check")
@click.argument("campaign_files", nargs=-1)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_session_options
def check_command(campaign_files: tuple[str, ...], output: str) -> None:
    """Check the workspace and campaigns: typed figures, spellings, lists, fact ages, terms of office.

    Exit code 1 when any finding is an error.

    Example: appealkit check campaigns/bonn-2025.yaml --format json
    """
    from appealkit.checks.check import check_folder
    from appealkit.checks.findings import has_errors
    from appealkit.source.campaign import resolve_campaign_path

    root = _session().root()
    paths = [resolve_campaign_path(root, c) for c in campaign_files]
    result = check_folder(root, paths)
    _report(result.findings, result.files, output, "checked")
    if has_errors(result.findings):
        raise click.exceptions.Exit(1)


@cli.command("audit")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the letter is sent: figures older than 12 months before it are stale.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_session_options
def audit_command(files: tuple[Path, ...], as_of, output: str) -> None:
    """Audit letters (.docx, .pdf, .txt, .md) against facts/ and people/: figures, qualifiers, names.

    Exit code 1 when any finding is an error, 2 when a file cannot be read.

    Example: appealkit audit returned/appeal-signed.docx --as-of 2025-12-01
    """
    from appealkit.checks.audit import audit
    from appealkit.checks.findings import has_errors
    from appealkit.source.workspace import load_workspace

    workspace = load_workspace(_session().root())
    result = audit(workspace, list(files), as_of.date() if as_of else None)
    _report([*result.unreadable, *result.findings], result.files, output, "audited")
    if result.unreadable:
        raise click.exceptions.Exit(2)
    if has_errors(result.findings):
        raise click.exceptions.Exit(1)


for _command in send_commands():  # approve, status, send, sent: the send room's commands
    cli.add_command(_session_options(_command))


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes end with their one-line message, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="appealkit", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _echo("aborted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
