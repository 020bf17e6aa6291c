"""Build a campaign: every letter rendered once, written to DOCX and PDF, recorded in a manifest.

One broken letter fails alone: the others are still written, and the failure is
reported with its file and line.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from appealkit.atomic import folder_lock, remove_leftovers
from appealkit.batch.bundle import write_bundle
from appealkit.batch.letter_jobs import LetterJob, LetterResult, run_letters
from appealkit.batch.manifest import manifest_data, read_manifest, write_manifest
from appealkit.batch.results import FORMATS, BuildResult, LetterOutcome, OutputFile
from appealkit.errors import AppealkitError, UsageError
from appealkit.read.letterhead import campaign_letterhead
from appealkit.source.records import Campaign, Workspace
from appealkit.source.safe_names import check_out_dir, output_path


def default_out_dir(workspace: Workspace, campaign: Campaign) -> Path:
    return workspace.root / "build" / campaign.id


def build(workspace: Workspace, campaign: Campaign, out_dir: str | Path | None = None,
          formats: tuple[str, ...] = FORMATS, *, jobs: int | None = None, force: bool = False,
          progress: Callable[[LetterOutcome, int, int], None] | None = None,
          allow: Iterable[str] = (), strict: bool = False, pdf_variant: str | None = None) -> BuildResult:
    """Render, check and write every letter of `campaign`; the manifest lists what was written.

    A letter with an error-level finding (with `strict`, any warning) is refused: not
    written, and its files from an earlier build are removed; `allow` holds overrides,
    `KIND:LETTER_ID`. Letters whose inputs did not change since the last build into
    `out_dir` are not rendered again, their checks taken from the manifest (`force`
    rebuilds them all); `jobs` worker processes share the work (default: one per core,
    and none for a few letters: `default_workers`);
    `progress(outcome, done, total)` hears of each letter; `pdf_variant` (one of
    `PDF_VARIANTS`) writes PDF/A instead of the default tagged PDF.
    """
    started = time.perf_counter()
    formats = _known(formats)
    out_dir = Path(out_dir or default_out_dir(workspace, campaign))
    check_out_dir(workspace.root, out_dir)
    with folder_lock(out_dir):  # a second build into the same folder stops; it would remove our .tmp files
        remove_leftovers(out_dir)
        previous = read_manifest(out_dir / "manifest.json")
        letterhead = campaign_letterhead(workspace.root, campaign) if "docx" in formats else None
        job = LetterJob(workspace, campaign, out_dir, tuple(formats), _previous_letters(previous), force,
                        frozenset(allow), strict, pdf_variant, letterhead)
        seconds = dict.fromkeys(("render", "check", *formats), 0.0)
        total, done = len(campaign.letters), 0

        def finished(result: LetterResult) -> None:
            nonlocal done
            done += 1
            for name, secs in result.seconds.items():
                seconds[name] = seconds.get(name, 0.0) + secs
            if progress:
                progress(_outcome(out_dir, result), done, total)

        results = run_letters(job, jobs, finished)
        outcomes = tuple(_outcome(out_dir, r) for r in results)
        for outcome in outcomes:
            if outcome.status in ("refused", "failed"):
                _remove_outputs(out_dir, outcome.id)
        result = BuildResult(campaign, out_dir, outcomes, out_dir / "manifest.json", seconds)
        data = manifest_data(result)
        bundle_files = write_bundle(workspace, result, data, formats, previous, force)
        write_manifest(result.manifest, data)
        result = dataclasses.replace(result, bundle=bundle_files, elapsed=time.perf_counter() - started)
        return result


def _known(formats: tuple[str, ...] | str) -> tuple[str, ...]:
    """The formats asked for, each once; "pdf" alone is one format, not three letters."""
    chosen = tuple(dict.fromkeys((formats,) if isinstance(formats, str) else formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError.at("formats", None, f"unknown output format '{','.join(unknown)}'",
                            f"use {' or '.join(FORMATS)}")
    return chosen


def _outcome(out_dir: Path, result: LetterResult) -> LetterOutcome:
    outputs = tuple(OutputFile(fmt, out_dir / name, sha, size) for fmt, name, sha, size in result.outputs)
    return LetterOutcome(result.id, result.rendered, outputs, result.error, result.status, result.input_hash,
                         result.templates, result.record, result.check, result.cached)


def _remove_outputs(out_dir: Path, letter_id: str) -> None:
    """A refused or failed letter leaves no file of an earlier build beside the fresh letters."""
    for fmt in FORMATS:
        try:
            output_path(out_dir, f"{letter_id}.{fmt}").unlink(missing_ok=True)
        except (OSError, AppealkitError):
            continue


def _previous_letters(previous: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The last build's entries by letter id: letters written and letters refused."""
    entries: dict[str, dict[str, Any]] = {}
    for section in ("letters", "refused"):
        found = previous.get(section) if isinstance(previous, dict) else None
        if isinstance(found, list):
            entries.update((e["id"], e) for e in found if isinstance(e, dict) and "id" in e)
    return entries


