"""Which letters cite which facts: the table behind `appealkit facts`, the bundle's index and `serve`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from appealkit.choices import campaign_given
from appealkit.errors import Problem, collecting
from appealkit.rules.language import MissingTranslation
from appealkit.source.records import Campaign, Source, Workspace


@dataclass(frozen=True)
class FactRow:
    id: str
    #: the fact as a letter cites it: "about 400 political prisoners"
    cited: str
    as_of: datetime.date
    sources: int
    letters: tuple[str, ...]
    source_list: tuple[Source, ...] = ()
    #: where the fact is defined, `facts/prisoners.yaml:3`
    defined_at: str = ""


@dataclass(frozen=True)
class FactsOptions:
    """Which campaigns `facts` counts citations in (a file or an id each; none: every campaign),
    checked once for the CLI and Python alike."""

    campaigns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        given: Any = self.campaigns  # from Python a lone campaign is a string
        chosen = (given,) if isinstance(given, str) else tuple(given)
        for campaign in chosen:
            campaign_given(campaign, "campaigns")
        object.__setattr__(self, "campaigns", chosen)


@dataclass(frozen=True)
class FactsResult:
    """Every fact's row, and the warnings met while rendering the letters that cite them."""

    rows: tuple[FactRow, ...]
    problems: tuple[Problem, ...] = ()


def facts_of(workspace: Workspace, campaigns: str | Iterable[str] = ()) -> FactsResult:
    """`fact_table` with the options of `FactsOptions`, validated there."""
    chosen = (campaigns,) if isinstance(campaigns, str) else tuple(campaigns)
    return fact_table(workspace, FactsOptions(chosen))


def fact_table(workspace: Workspace, options: FactsOptions) -> FactsResult:
    """`fact_rows` for the campaigns chosen: `appealkit facts`."""
    from appealkit.source.campaign import load_campaign_file, resolve_campaign_path

    with collecting() as found:
        paths = ([resolve_campaign_path(workspace.root, c) for c in options.campaigns]
                 or workspace.campaign_files())
        rows = fact_rows(workspace, [load_campaign_file(workspace, p) for p in paths])
    return FactsResult(tuple(rows), tuple(found))


def fact_rows(workspace: Workspace, campaigns: list[Campaign]) -> list[FactRow]:
    """One row per fact and part, with the campaign letters (`campaign/letter`) that cite it."""
    from appealkit.render.letters import make_environment, render_letter

    env = make_environment(workspace.root)
    citing: dict[str, list[str]] = {}
    for campaign in campaigns:
        for spec in campaign.letters:
            rendered = render_letter(workspace, campaign, spec, env)
            for citation in rendered.citations:
                citing.setdefault(citation.fact, []).append(f"{campaign.id}/{spec.id}")
    return rows_for(workspace, citing)


def rows_for(workspace: Workspace, citing: Mapping[str, Iterable[str]], language: str = "en",
             cited_only: bool = False, words: Mapping[str, str] | None = None) -> list[FactRow]:
    """The rows of every fact and part (or only those cited), given which letters cite each id.

    For a page, not a letter: a fact with no words in `language` shows its bare value. `words`:
    rows' words made already (`fact_words`, by a build's workers), the others are made here.
    """
    rows = []
    for fact_id in sorted(workspace.facts):
        fact = workspace.facts[fact_id]
        ids = [(fact_id, fact)] + [(f"{fact_id}.{name}", part) for name, part in fact.parts.items()]
        for row_id, item in ids:
            letters = tuple(dict.fromkeys(citing.get(row_id, ())))
            if cited_only and not letters:
                continue
            made = (words or {}).get(row_id)
            rows.append(FactRow(row_id, made if made is not None else fact_words(workspace, row_id, language),
                                item.as_of, len(item.sources), letters, item.sources or fact.sources,
                                str(item.where or fact.where)))
    return rows


def fact_words(workspace: Workspace, row_id: str, language: str = "en") -> str:
    """A fact (or `fact.part`) in the words a letter in `language` cites it, else its bare value."""
    from appealkit.render.letters import cite  # the render's code (Jinja, Markdown): imported when asked

    try:
        return str.__str__(cite(workspace, row_id, language))  # plain text, not the render's own kind
    except MissingTranslation:
        fact_id, _, part = row_id.partition(".")
        fact = workspace.facts[fact_id]
        return str((fact.parts[part] if part else fact).value)
