"""The build manifest: which letters were written from which facts, and the hash of every file.

It holds no wall-clock time, so an unchanged build gives an unchanged manifest.
"""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.atomic import write_atomic
from appealkit.checks.letter_check import as_data
from appealkit.checks.translation_check import stale_templates
from appealkit.source.records import plain
from appealkit.version import __version__

if TYPE_CHECKING:
    from appealkit.batch.results import BuildResult, LetterOutcome
    from appealkit.render.letters import RenderedLetter


def rendered_entry(rendered: RenderedLetter) -> dict[str, Any]:
    """What the manifest records of a letter's render, made where it was rendered (a worker): the
    build keeps this, not the rendered letter, so its memory does not grow with the letters."""
    spec = rendered.spec
    facts = []
    for citation in rendered.citations:
        entry: dict[str, Any] = {
            "id": citation.fact,
            "value": plain(citation.value),
            "qualifier": citation.qualifier,
            "as_of": citation.as_of.isoformat(),
        }
        if citation.members is not None:
            entry["members"] = list(citation.members)
        entry["paragraphs"] = list(citation.blocks)
        facts.append(entry)
    return {
        "id": spec.id,
        "template": rendered.template_file,
        "recipient": spec.recipient,
        "language": rendered.letter.language,
        "subject": rendered.letter.subject,
        "addressed_to": list(rendered.letter.addressee or rendered.letter.recipient[:2]),
        "facts": facts,
    }


def _allowed(outcome: LetterOutcome) -> list[dict[str, str]]:
    """The findings an override let through: which override, and what it overrode."""
    if outcome.check is None:
        return []
    return [{"allow": f"{f.kind}:{outcome.id}", "finding": str(f)} for f in outcome.check.overridden]


def _refused(outcome: LetterOutcome) -> dict[str, Any]:
    """A refused letter: why, and what the next build needs to know it is still refused without rendering."""
    if outcome.entry is not None:
        fact_ids = list(dict.fromkeys(str(f["id"]) for f in outcome.entry["facts"]))
    else:
        fact_ids = [str(f["id"]) for f in (outcome.record or {}).get("facts", [])]
    return {
        "id": outcome.id,
        "reasons": [str(f) for f in outcome.check.blocking] if outcome.check else [],
        "facts": [{"id": fact_id} for fact_id in fact_ids],
        "templates": list(outcome.templates),
        "inputs": outcome.input_hash,
        "findings": as_data(outcome.cached),
    }


def _stale(result: BuildResult) -> list[dict[str, Any]]:
    """The letters written from a translation that no longer matches its master, and which translations."""
    stale = []
    for outcome in result.letters:
        if outcome.check is not None and outcome.status != "refused":
            files = stale_templates(outcome.check.findings)
            if files:
                stale.append({"id": outcome.id, "translations": files})
    return stale


def manifest_data(result: BuildResult, bundle: dict[str, Any] | None = None) -> dict[str, Any]:
    campaign = result.campaign
    letters, refused, failed = [], [], []
    for outcome in result.letters:
        if outcome.error:
            failed.append({"id": outcome.id, "errors": [str(p) for p in outcome.error.problems]})
            continue
        if outcome.status == "refused":
            refused.append(_refused(outcome))
            continue
        if outcome.entry is None and outcome.record is not None:
            # unchanged: the same inputs made the same entry; the overrides are this build's
            letters.append({**outcome.record, "allowed": _allowed(outcome)})
            continue
        assert outcome.entry is not None, outcome.id  # neither failed nor unchanged: rendered by this build
        letters.append({
            **outcome.entry,
            "templates": list(outcome.templates),
            "inputs": outcome.input_hash,
            "findings": as_data(outcome.cached),
            "allowed": _allowed(outcome),
            "outputs": [
                {"format": o.format, "file": o.path.name, "sha256": o.sha256, "bytes": o.size}
                for o in outcome.outputs
            ],
        })
    data = {
        "campaign": {"id": campaign.id, "title": campaign.title, "date": campaign.date.isoformat(),
                     "file": campaign.where.file},
        "tool": {"name": "appealkit", "version": __version__},
        "letters": letters,
        "refused": refused,
        "failed": failed,
        "translations_stale": _stale(result),
    }
    if bundle is not None:
        data["bundle"] = bundle
    return data


def manifest_bytes(result: BuildResult, bundle: dict[str, Any] | None = None) -> bytes:
    return manifest_text(manifest_data(result, bundle))


def manifest_text(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def stage_manifest(path: Path, data: dict[str, Any]) -> Path:
    """The manifest written, as `manifest_text` has it, into a temporary file beside `path`, piece by
    piece: an indented JSON text is made of a million pieces for a few thousand letters, which
    joined would double the build's memory. `commit_manifest` puts it in place (a killed build
    leaves only a temporary file, which the next build removes)."""
    fd, staged = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
                handle.write(chunk)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staged, 0o644)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return Path(staged)


def commit_manifest(path: Path, staged: Path) -> None:
    """The staged manifest in place of `path`, only when it changed: an unchanged build leaves the file
    as it was."""
    try:
        same_size = path.is_file() and path.stat().st_size == staged.stat().st_size
        if same_size and filecmp.cmp(path, staged, shallow=False):
            staged.unlink()
            return
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


def write_manifest(path: Path, data: dict[str, Any] | bytes) -> None:
    """Write the manifest last, and only when it changed: a killed build keeps the old one.

    `data` is the manifest, or its bytes when they were made already (`manifest_text`)."""
    content = data if isinstance(data, bytes) else manifest_text(data)
    if not path.is_file() or path.read_bytes() != content:
        write_atomic(path, content)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the last build into a folder, or {} when there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
