"""Build a campaign: every letter rendered once, written to DOCX and PDF, recorded in a manifest.

One broken letter fails alone: the others are still written, and the failure is
reported with its file and line.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appealkit.atomic import remove_leftovers
from appealkit.bundle import write_bundle
from appealkit.errors import AppealkitError
from appealkit.letter_jobs import LetterJob, LetterResult, run_letters
from appealkit.manifest import read_manifest
from appealkit.render import RenderedLetter
from appealkit.safe_names import check_out_dir
from appealkit.workspace import Campaign, Workspace

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class OutputFile:
    format: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class LetterOutcome:
    """What became of one letter: its rendering and files, or the error that stopped it."""

    id: str
    rendered: RenderedLetter | None = None
    outputs: tuple[OutputFile, ...] = ()
    error: AppealkitError | None = None
    #: built, unchanged (its files were kept from the last build) or failed
    status: str = "built"
    input_hash: str = ""
    #: the templates the render loaded (built letters)
    templates: tuple[str, ...] = ()
    #: an unchanged letter is not rendered again: `rendered` is None and this is its manifest entry
    record: dict[str, Any] | None = None


@dataclass(frozen=True)
class BuildResult:
    campaign: Campaign
    out_dir: Path
    letters: tuple[LetterOutcome, ...]
    manifest: Path
    seconds: dict[str, float] = field(default_factory=dict)
    #: all-letters.pdf, index.html and <campaign>.zip
    bundle: tuple[OutputFile, ...] = ()
    elapsed: float = 0.0

    @property
    def failed(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.letters if o.error)

    def count(self, status: str) -> int:
        return sum(1 for o in self.letters if o.status == status)


def parse_formats(value: str) -> tuple[str, ...]:
    """`docx,pdf` → ("docx", "pdf"); an unknown format is a user error."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise AppealkitError.at("--format", None, f"unknown format '{','.join(unknown) or value}'",
                                "use docx, pdf or docx,pdf")
    return chosen


def default_out_dir(workspace: Workspace, campaign: Campaign) -> Path:
    return workspace.root / "build" / campaign.id


def build(workspace: Workspace, campaign: Campaign, out_dir: Path | None = None,
          formats: tuple[str, ...] = FORMATS, *, jobs: int | None = None, force: bool = False,
          progress: Callable[[LetterOutcome, int, int], None] | None = None) -> BuildResult:
    """Render and write every letter of `campaign`; the manifest lists what was written.

    Letters whose inputs did not change since the last build into `out_dir` are not
    written again (`force` writes them all); `jobs` worker processes share the work
    (default: one per core); `progress(outcome, done, total)` hears of each letter.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir or default_out_dir(workspace, campaign))
    check_out_dir(workspace.root, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    previous = read_manifest(out_dir / "manifest.json")
    job = LetterJob(workspace, campaign, out_dir, tuple(formats), _previous_letters(previous), force)
    seconds = dict.fromkeys(("render", *formats), 0.0)
    total, done = len(campaign.letters), 0

    def finished(result: LetterResult) -> None:
        nonlocal done
        done += 1
        for name, secs in result.seconds.items():
            seconds[name] = seconds.get(name, 0.0) + secs
        if progress:
            progress(_outcome(out_dir, result), done, total)

    results = run_letters(job, jobs or os.cpu_count() or 1, finished)
    outcomes = tuple(_outcome(out_dir, r) for r in results)
    result = BuildResult(campaign, out_dir, outcomes, out_dir / "manifest.json", seconds)
    bundle_files = write_bundle(result, formats, previous, force)
    result = dataclasses.replace(result, bundle=bundle_files, elapsed=time.perf_counter() - started)
    return result


def _outcome(out_dir: Path, result: LetterResult) -> LetterOutcome:
    outputs = tuple(OutputFile(fmt, out_dir / name, sha, size) for fmt, name, sha, size in result.outputs)
    return LetterOutcome(result.id, result.rendered, outputs, result.error, result.status, result.input_hash,
                         result.templates, result.record)


def _previous_letters(previous: dict[str, Any]) -> dict[str, dict[str, Any]]:
    letters = previous.get("letters") if isinstance(previous, dict) else None
    if not isinstance(letters, list):
        return {}
    return {e["id"]: e for e in letters if isinstance(e, dict) and "id" in e}


