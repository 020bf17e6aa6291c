"""Build a campaign: every letter rendered once, written to DOCX and PDF, recorded in a manifest.

One broken letter fails alone: the others are still written, and the failure is
reported with its file and line.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.atomic import folder_lock, remove_leftovers
from appealkit.batch.bundle import write_bundle
from appealkit.batch.letter_jobs import LetterJob, LetterResult, run_letters
from appealkit.batch.manifest import commit_manifest, manifest_data, read_manifest
from appealkit.batch.options import BuildOptions
from appealkit.batch.results import FORMATS, BuildResult, LetterOutcome, OutputFile
from appealkit.batch.spill import Keyed, Mapped
from appealkit.errors import AppealkitError, collecting
from appealkit.interrupts import ctrl_c_stops
from appealkit.read.letterhead import campaign_letterhead
from appealkit.source.records import Campaign, Workspace
from appealkit.source.safe_names import check_out_dir, output_path

if TYPE_CHECKING:
    from appealkit.render.letters import RenderedLetter


def default_out_dir(workspace: Workspace, campaign: Campaign) -> Path:
    return workspace.root / "build" / campaign.id


Progress = Callable[[LetterOutcome, int, int], None]


def build(workspace: Workspace, campaign: Campaign, out_dir: str | Path | None = None,
          formats: str | Iterable[str] = FORMATS, *, jobs: int | None = None, force: bool = False,
          progress: Progress | None = None, allow: Iterable[str] = (), strict: bool = False,
          pdf_variant: str | None = None) -> BuildResult:
    """Render, check and write every letter of `campaign`; the manifest lists what was written.

    The options are those of `BuildOptions`, validated there (an unknown format or kind of
    finding is a `UsageError`); `progress(outcome, done, total)` hears of each letter.
    """
    options = BuildOptions((formats,) if isinstance(formats, str) else tuple(formats),
                           tuple(allow), strict, jobs, force, pdf_variant,
                           Path(out_dir) if out_dir is not None else None)
    return build_campaign(workspace, campaign, options, progress)


def build_campaign(workspace: Workspace, campaign: Campaign, options: BuildOptions,
                   progress: Progress | None = None) -> BuildResult:
    """`build` with its options made: the CLI's way in.

    A letter with an error-level finding (with `strict`, any warning) is refused: not
    written, and its files from an earlier build are removed; `allow` holds overrides.
    Letters whose inputs did not change since the last build into the output folder are
    not rendered again, their checks taken from the manifest (`force` rebuilds them all);
    `jobs` worker processes share the work (default: one per core, and none for a few
    letters: `default_workers`). The warnings met on the way are the result's `problems`.
    """
    started = time.perf_counter()
    options.check_letters(campaign)
    formats = options.chosen_formats(workspace.root)
    out_dir = options.out_dir or default_out_dir(workspace, campaign)
    check_out_dir(workspace.root, out_dir)
    # a second build into this folder stops; Ctrl-C stops this one, even if a finaliser ate it
    with folder_lock(out_dir), collecting() as found, ctrl_c_stops() as checkpoint:
        remove_leftovers(out_dir)
        # the last build's entries spilled, the rest of its manifest dropped: a rebuild of thousands of
        # letters does not hold (nor its workers inherit) megabytes of the last manifest
        previous_letters, previous_bundle = _previous(read_manifest(out_dir / "manifest.json", _PREVIOUS))
        letterhead = campaign_letterhead(workspace.root, campaign) if "docx" in formats else None
        job = LetterJob(workspace, campaign, out_dir, formats, previous_letters, options.force,
                        frozenset(options.allow), options.strict, options.pdf_variant, letterhead)
        seconds = dict.fromkeys(("render", "check", *formats), 0.0)
        total, done = len(campaign.letters), 0
        words: dict[str, str] = {}  # the facts cited, in the index's words: made by the workers

        def finished(result: LetterResult) -> None:
            nonlocal done
            checkpoint()
            done += 1
            words.update(result.words)
            for name, secs in result.seconds.items():
                seconds[name] = seconds.get(name, 0.0) + secs
            if progress:
                progress(_outcome(out_dir, result), done, total)

        results = run_letters(job, options.jobs, finished)
        # made from the results as read, one at a time: the end of a big build holds one letter
        outcomes = Mapped(results, functools.partial(_built_outcome, out_dir, _Renderer(workspace, campaign)))
        for outcome in outcomes:
            if outcome.status in ("refused", "failed"):
                _remove_outputs(out_dir, outcome.id)
        result = BuildResult(campaign, out_dir, outcomes, out_dir / "manifest.json", seconds,
                             problems=tuple(found))
        checkpoint()
        data = manifest_data(result)
        bundle_files, manifest = write_bundle(workspace, result, data, formats, previous_bundle,
                                              options.force, words)
        commit_manifest(result.manifest, manifest)
        result = dataclasses.replace(result, bundle=bundle_files, elapsed=time.perf_counter() - started)
        return result


class _Renderer:
    """A letter of the build rendered again on demand (`LetterOutcome.rendered`), with one
    environment for all of them, made only when first asked."""

    def __init__(self, workspace: Workspace, campaign: Campaign):
        self.workspace, self.campaign = workspace, campaign
        self.env: Any = None

    def __call__(self, index: int) -> RenderedLetter:
        from appealkit.render.letters import make_environment, render_letter

        if self.env is None:
            self.env = make_environment(self.workspace.root)
        return render_letter(self.workspace, self.campaign, self.campaign.letters[index], self.env)


def _built_outcome(out_dir: Path, again: _Renderer, result: LetterResult) -> LetterOutcome:
    """A letter's outcome as the build returns it: able to render the letter again."""
    return dataclasses.replace(_outcome(out_dir, result), render=functools.partial(again, result.index))


def _outcome(out_dir: Path, result: LetterResult) -> LetterOutcome:
    outputs = tuple(OutputFile(fmt, out_dir / name, sha, size) for fmt, name, sha, size in result.outputs)
    return LetterOutcome(result.id, result.entry, outputs, result.error, result.status, result.input_hash,
                         result.templates, result.record, result.check, result.cached, result.warnings)


def _remove_outputs(out_dir: Path, letter_id: str) -> None:
    """A refused or failed letter leaves no file of an earlier build beside the fresh letters."""
    for fmt in FORMATS:
        try:
            output_path(out_dir, f"{letter_id}.{fmt}").unlink(missing_ok=True)
        except (OSError, AppealkitError):
            continue


#: the manifest's lists of entries a build looks its letters up in
_PREVIOUS = ("letters", "refused")


def _previous(previous: dict[str, Any]) -> tuple[Keyed[dict[str, Any]], Any]:
    """The last build's entries by letter id (letters written and letters refused), read in place
    from the lists `read_manifest` spilled, and its bundle's record."""
    sections = [found for found in map(previous.get, _PREVIOUS)
                if isinstance(found, Sequence) and not isinstance(found, str)]
    return Keyed(sections, _letter_id), previous.get("bundle", {})


def _letter_id(entry: Any) -> str | None:
    return entry["id"] if isinstance(entry, dict) and "id" in entry else None
