"""Build a campaign: every letter rendered once, written to DOCX and PDF, recorded in a manifest.

One broken letter fails alone: the others are still written, and the failure is
reported with its file and line.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from appealkit import docx_writer, pdf_writer
from appealkit.atomic import write_atomic
from appealkit.errors import AppealkitError
from appealkit.manifest import write_manifest
from appealkit.render import LAYOUT, RenderedLetter, make_environment, render_letter, template_error
from appealkit.safe_names import check_out_dir, output_path
from appealkit.workspace import Campaign, Workspace, shown_path

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


@dataclass(frozen=True)
class BuildResult:
    campaign: Campaign
    out_dir: Path
    letters: tuple[LetterOutcome, ...]
    manifest: Path
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.letters if o.error)


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
          formats: tuple[str, ...] = FORMATS) -> BuildResult:
    """Render and write every letter of `campaign`; the manifest lists what was written."""
    out_dir = Path(out_dir or default_out_dir(workspace, campaign))
    check_out_dir(workspace.root, out_dir)
    env = make_environment(workspace.root)
    letterhead = workspace.root / "templates" / campaign.letterhead if campaign.letterhead else None
    seconds = dict.fromkeys(("render", *formats), 0.0)
    layout = None
    outcomes = []
    for spec in campaign.letters:
        try:
            started = time.perf_counter()
            rendered = render_letter(workspace, campaign, spec, env)
            seconds["render"] += time.perf_counter() - started
            contents = {}
            for fmt in formats:
                started = time.perf_counter()
                if fmt == "docx":
                    contents[fmt] = docx_writer.write_docx(rendered.letter, letterhead)
                else:
                    layout = layout or _layout(env, workspace)
                    html = pdf_writer.letter_html(rendered.letter, layout)
                    contents[fmt] = pdf_writer.html_to_pdf(
                        html, Path(layout.filename).parent,
                        source=shown_path(workspace.root, Path(layout.filename)))
                seconds[fmt] += time.perf_counter() - started
        except AppealkitError as exc:
            outcomes.append(LetterOutcome(spec.id, error=exc))
            continue
        outputs = []
        for fmt, data in contents.items():
            path = output_path(out_dir, f"{spec.id}.{fmt}")
            write_atomic(path, data)
            outputs.append(OutputFile(fmt, path, hashlib.sha256(data).hexdigest(), len(data)))
        outcomes.append(LetterOutcome(spec.id, rendered, tuple(outputs)))
    result = BuildResult(campaign, out_dir, tuple(outcomes), out_dir / "manifest.json", seconds)
    write_manifest(result)
    return result


def _layout(env, workspace: Workspace):
    try:
        return env.get_template(LAYOUT)
    except Exception as exc:  # a broken layout is reported like any template
        raise template_error(exc, workspace.root, f"templates/{LAYOUT}") from None

