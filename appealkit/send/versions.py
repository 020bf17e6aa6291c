"""Which version of each letter is built, and whether what it was made from has changed since.

A version is a letter's input hash from the manifest plus the sha256 of its files.
Approvals and the sent log name versions; this module reads them off a build folder
and recomputes, without rendering, what the input hash would be today (the same
computation that lets `build` skip an unchanged letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealkit.batch.build import default_out_dir
from appealkit.batch.letter_inputs import LetterInputs, digest, file_digest
from appealkit.batch.manifest import read_manifest
from appealkit.rules.qualifiers import QUALIFIERS
from appealkit.source.paths import shown_path
from appealkit.source.records import Campaign, LetterSpec, Workspace
from appealkit.source.safe_names import output_path

#: Part digests in approvals are cut to this many hex digits: enough to tell versions apart, short to review.
PART_DIGITS = 16
#: A text fact is shown by its first words only.
TEXT_CUT = 60


@dataclass(frozen=True)
class BuiltLetter:
    """A letter as the last build into a folder left it, and as its inputs are now."""

    spec: LetterSpec
    #: the manifest entry, None when the letter was never built (or failed)
    entry: dict[str, Any] | None
    #: the input hash the manifest records
    inputs: str
    #: the input hash from today's workspace; "" when a template, fact or the recipient is gone
    current: str
    #: short digests of the parts of today's input hash (see `part_digests`)
    parts: dict[str, Any]
    #: file name -> sha256 of the file on disk now ("" when it is missing)
    files: dict[str, str]
    #: file name -> format, as the manifest lists them
    formats: dict[str, str]
    #: why the last build refused the letter (its checks), None when it did not
    refused: tuple[str, ...] | None = None

    @property
    def built(self) -> bool:
        return self.entry is not None

    @property
    def outdated(self) -> bool:
        """The workspace moved on since this letter was built: build again before approving or sending."""
        return self.built and self.current != self.inputs

    @property
    def recorded_files(self) -> dict[str, str]:
        assert self.entry is not None
        return {str(o["file"]): str(o["sha256"]) for o in self.entry.get("outputs", [])}

    def cited(self) -> dict[str, dict[str, Any]]:
        """Each fact the letter cites: id -> the manifest's value, qualifier and as-of date."""
        return {str(f["id"]): f for f in (self.entry or {}).get("facts", []) if isinstance(f, dict)}


@dataclass(frozen=True)
class Build:
    out_dir: Path
    manifest: Path
    letters: dict[str, BuiltLetter]


def built_letters(workspace: Workspace, campaign: Campaign, out_dir: Path | None = None) -> Build:
    """Every letter of `campaign` with its built version in `out_dir` (default build/<campaign>)."""
    out_dir = Path(out_dir or default_out_dir(workspace, campaign))
    manifest = out_dir / "manifest.json"
    data = read_manifest(manifest)
    entries = {str(e["id"]): e for e in data.get("letters", []) if isinstance(e, dict) and "id" in e}
    refused = {str(e["id"]): tuple(str(r) for r in e.get("reasons", []))
               for e in data.get("refused", []) if isinstance(e, dict) and "id" in e}
    if data and data.get("campaign", {}).get("id") != campaign.id:
        entries, refused = {}, {}
    formats = sorted({str(o["format"]) for e in entries.values() for o in e.get("outputs", [])})
    now = LetterInputs(workspace, campaign, tuple(formats)).current(entries) if entries else {}
    letters = {}
    for spec in campaign.letters:
        entry = entries.get(spec.id)
        parts = now.get(spec.id)
        files, kinds = {}, {}
        for output in (entry or {}).get("outputs", []):
            name = str(output["file"])
            path = output_path(out_dir, name)
            files[name] = file_digest(path) if path.is_file() else ""
            kinds[name] = str(output["format"])
        letters[spec.id] = BuiltLetter(
            spec, entry, str((entry or {}).get("inputs", "")), digest(parts) if parts else "",
            part_digests(parts) if parts else {}, files, kinds, refused.get(spec.id))
    return Build(out_dir, manifest, letters)


def part_digests(parts: dict[str, Any]) -> dict[str, Any]:
    """The parts of an input hash as short digests: campaign settings and tool, letter entry,
    recipient, each template and each fact."""
    cut = PART_DIGITS
    return {
        "build": str(parts["build"])[:cut],
        "letter": digest(parts["letter"])[:cut],
        "recipient": str(parts["recipient"])[:cut],
        "templates": {name: str(h)[:cut] for name, h in parts["templates"].items()},
        "facts": {fid: str(h)[:cut] for fid, h in parts["facts"].items()},
    }


def cited_figure(value: Any, qualifier: str = "exact") -> str:
    """`about 400`: a cited value with its qualifier, the way reports show it (long texts cut short)."""
    wording = QUALIFIERS["en"].get(qualifier)
    figure = wording.written.replace("{n}", str(value)) if wording else f"{qualifier} {value}"
    return figure if len(figure) <= TEXT_CUT else figure[:TEXT_CUT - 1].rstrip() + "…"


def manifest_hint(workspace: Workspace, build: Build, campaign: Campaign) -> str:
    manifest = shown_path(workspace.root, build.manifest)
    return f"run appealkit build {campaign.where.file} (manifest: {manifest})"


def current_figure(workspace: Workspace, cited_id: str) -> str | None:
    """A fact (or `fact.part`) as today's facts give it ("about 375"); None when it no longer exists."""
    fact_id, _, part = cited_id.partition(".")
    fact = workspace.facts.get(fact_id)
    if fact is not None and part:
        fact = fact.parts.get(part)
    return None if fact is None else cited_figure(fact.value, fact.qualifier)
