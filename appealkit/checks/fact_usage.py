"""Which letters cite which facts: the table behind `appealkit facts`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from appealkit.render.letters import cite, make_environment, render_letter
from appealkit.source.records import Campaign, Workspace


@dataclass(frozen=True)
class FactRow:
    id: str
    cited: str
    as_of: datetime.date
    sources: int
    letters: tuple[str, ...]


def fact_rows(workspace: Workspace, campaigns: list[Campaign]) -> list[FactRow]:
    """One row per fact and part, with the campaign letters (`campaign/letter`) that cite it."""
    env = make_environment(workspace.root)
    citing: dict[str, list[str]] = {}
    for campaign in campaigns:
        for spec in campaign.letters:
            rendered = render_letter(workspace, campaign, spec, env)
            for citation in rendered.citations:
                citing.setdefault(citation.fact, []).append(f"{campaign.id}/{spec.id}")
    rows = []
    for fact_id in sorted(workspace.facts):
        fact = workspace.facts[fact_id]
        ids = [(fact_id, fact)] + [(f"{fact_id}.{name}", part) for name, part in fact.parts.items()]
        for row_id, item in ids:
            rows.append(FactRow(row_id, cite(workspace, row_id), item.as_of, len(item.sources),
                                tuple(dict.fromkeys(citing.get(row_id, ())))))
    return rows
