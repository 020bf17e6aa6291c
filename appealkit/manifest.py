"""The build manifest: which letters were written from which facts, and the hash of every file.

It holds no wall-clock time, so an unchanged build gives an unchanged manifest.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from appealkit import __version__
from appealkit.atomic import write_atomic

if TYPE_CHECKING:
    from appealkit.build import BuildResult


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def manifest_data(result: BuildResult) -> dict[str, Any]:
    campaign = result.campaign
    letters, failed = [], []
    for outcome in result.letters:
        if outcome.error or outcome.rendered is None:
            failed.append({"id": outcome.id, "errors": [str(p) for p in outcome.error.problems]})
            continue
        rendered = outcome.rendered
        spec = rendered.spec
        facts = []
        for citation in rendered.citations:
            entry: dict[str, Any] = {
                "id": citation.fact,
                "value": _json_value(citation.value),
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
            "facts": facts,
            "outputs": [
                {"format": o.format, "file": o.path.name, "sha256": o.sha256, "bytes": o.size}
                for o in outcome.outputs
            ],
        })
    return {
        "campaign": {"id": campaign.id, "title": campaign.title, "date": campaign.date.isoformat(),
                     "file": campaign.where.file},
        "tool": {"name": "appealkit", "version": __version__},
        "letters": letters,
        "failed": failed,
    }


def write_manifest(result: BuildResult) -> None:
    text = json.dumps(manifest_data(result), indent=2, ensure_ascii=False) + "\n"
    write_atomic(result.manifest, text.encode("utf-8"))
