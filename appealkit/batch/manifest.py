"""The build manifest: which letters were written from which facts, and the hash of every file.

It holds no wall-clock time, so an unchanged build gives an unchanged manifest.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit import __version__
from appealkit.atomic import write_atomic

if TYPE_CHECKING:
    from appealkit.batch.results import BuildResult


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def manifest_data(result: BuildResult, bundle: dict[str, Any] | None = None) -> dict[str, Any]:
    campaign = result.campaign
    letters, failed = [], []
    for outcome in result.letters:
        if outcome.error:
            failed.append({"id": outcome.id, "errors": [str(p) for p in outcome.error.problems]})
            continue
        if outcome.rendered is None and outcome.record is not None:
            letters.append(outcome.record)  # unchanged: the same inputs made the same entry
            continue
        rendered = outcome.rendered
        spec = rendered.spec
        facts = []
        for citation in rendered.citations:
            entry: dict[str, Any] = {
                "id": citation.fact,
                "value": _json_value(citation.value),
                "qualifier": citation.qualifier,
                "as_of": citation.as_of.isoformat(),
            }
            if citation.members is not None:
                entry["members"] = list(citation.members)
            entry["paragraphs"] = list(citation.blocks)
            facts.append(entry)
        letters.append({
            "id": spec.id,
            "template": rendered.template_file,
            "recipient": spec.recipient,
            "language": rendered.letter.language,
            "subject": rendered.letter.subject,
            "addressed_to": [line for line in rendered.letter.recipient[:2] if line],
            "facts": facts,
            "templates": list(outcome.templates),
            "inputs": outcome.input_hash,
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
        "failed": failed,
    }
    if bundle is not None:
        data["bundle"] = bundle
    return data


def manifest_bytes(result: BuildResult, bundle: dict[str, Any] | None = None) -> bytes:
    return manifest_text(manifest_data(result, bundle))


def manifest_text(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest last, and only when it changed: a killed build keeps the old one."""
    content = manifest_text(data)
    if not path.is_file() or path.read_bytes() != content:
        write_atomic(path, content)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the last build into a folder, or {} when there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
