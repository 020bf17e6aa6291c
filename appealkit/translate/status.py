"""`appealkit translations`: per template and language, up to date or how many paragraphs need work."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from pathlib import Path

from appealkit.checks.translation_state import translations
from appealkit.choices import campaign_given
from appealkit.errors import Problem, TemplateError, collecting
from appealkit.render.letters import make_environment, render_letter
from appealkit.render.template_log import TemplateLog
from appealkit.source.campaign import chosen_campaign_path, load_campaign_file
from appealkit.source.records import Campaign, Workspace


@dataclass(frozen=True)
class TranslationStatus:
    translation: str
    master: str
    language: str
    paragraphs: int
    stale: int
    missing: int
    orphans: int
    unmarked: int
    #: the date of the last mark, None when the translation was never marked
    marked: datetime.date | None

    @property
    def up_to_date(self) -> bool:
        return not (self.stale or self.missing or self.orphans or self.unmarked)


@dataclass(frozen=True)
class TranslationsOptions:
    """Which translations `translations` shows: those the letters of `campaign` use (a file or its
    id), or every one (None); checked once for the CLI and Python alike."""

    campaign: str | None = None

    def __post_init__(self) -> None:
        campaign_given(self.campaign)


@dataclass(frozen=True)
class TranslationsReport:
    """The state of each translation, and the warnings met while finding which ones a campaign uses."""

    statuses: tuple[TranslationStatus, ...]
    problems: tuple[Problem, ...] = ()


def translations_report(workspace: Workspace, options: TranslationsOptions) -> TranslationsReport:
    """`translation_status` for the campaign the options name (None: every translation)."""
    with collecting() as found:
        campaign = None
        if options.campaign is not None:
            path = chosen_campaign_path(workspace.root, options.campaign)
            campaign = load_campaign_file(workspace, path)
        statuses = translation_status(workspace, campaign)
    return TranslationsReport(tuple(statuses), tuple(found))


def translation_status(workspace: Workspace, campaign: Campaign | None = None) -> list[TranslationStatus]:
    """The state of every translation, or of those the letters of `campaign` use."""
    root = Path(workspace.root)
    found = translations(root)
    names = sorted(found.masters)
    if campaign is not None:
        used = _campaign_templates(workspace, campaign)
        names = [name for name in names if name in used]
    result = []
    for name in names:
        state = found.state(name)
        if state is None:
            continue
        unmarked = state.count("unmarked") or (
            len(state.translation.blocks) if not any(b.mark for b in state.translation.blocks) else 0)
        result.append(TranslationStatus(name, state.master_name, state.language, len(state.master.blocks),
                                        state.count("stale"), state.count("missing"), state.count("orphan"),
                                        unmarked, state.marked))
    return result


def _campaign_templates(workspace: Workspace, campaign: Campaign) -> set[str]:
    """The templates the campaign's letters load (a letter that does not render loads nothing here)."""
    env = make_environment(workspace.root)
    log = TemplateLog(env)
    used: set[str] = set()
    for spec in campaign.letters:
        log.take()
        # a letter that does not render is `check`'s and `build`'s to report; the others still count
        with contextlib.suppress(TemplateError):
            render_letter(workspace, campaign, spec, env)
        used.update(log.take())
    return used
