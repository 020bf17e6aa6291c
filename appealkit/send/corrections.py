"""A corrected letter said as one: the word for it in the subject, the earlier message named in
`In-Reply-To` and `References`, and what changed, fact by fact, in the letter's language.

Without this a recipient gets a second letter with the same subject and no word of why, and
has to find the difference alone. The old values come from the sent log (the value and
qualifier the earlier message cited), the new ones from the manifest of the approved build.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from appealkit.rules.language import Language, base_language
from appealkit.send.sent_log import CitedFact, SentRow
from appealkit.source.records import Workspace

#: The word a subject starts with, per language.
CORRECTION = {"en": "Correction", "de": "Berichtigung", "fr": "Rectificatif", "az": "Düzəliş"}
#: The sentence before the list of changes; {date} is the day the earlier letter was sent.
INTRO = {
    "en": "This message corrects our letter sent on {date}. What changed:",
    "de": "Diese Nachricht berichtigt unser Schreiben vom {date}. Geändert hat sich:",
    "fr": "Ce message rectifie notre lettre envoyée le {date}. Ce qui a changé :",
    "az": "Bu məktub {date} tarixində göndərdiyimiz məktuba düzəlişdir. Dəyişənlər:",
}
#: Said of a figure the corrected letter no longer cites, and of a change that is not a figure.
NO_LONGER = {"en": "no longer cited", "de": "nicht mehr genannt", "fr": "n'est plus cité",
             "az": "artıq qeyd olunmur"}
REWORDED = {"en": "The wording of the letter changed; its figures did not.",
            "de": "Der Wortlaut des Schreibens wurde geändert, seine Zahlen nicht.",
            "fr": "La formulation de la lettre a changé, mais pas ses chiffres.",
            "az": "Məktubun mətni dəyişib, rəqəmləri isə yox."}
#: The word a test copy's subject starts with.
TEST = {"en": "TEST", "de": "TEST", "fr": "TEST", "az": "SINAQ"}


@dataclass(frozen=True)
class Correction:
    """A message that corrects earlier ones to the same recipient."""

    #: the earlier messages, first sent first
    earlier: tuple[SentRow, ...]
    #: the paragraph that opens the cover text
    text: str

    @property
    def first(self) -> SentRow:
        return self.earlier[0]

    @property
    def references(self) -> str:
        return " ".join(dict.fromkeys(row.message_id for row in self.earlier))


def words(table: dict[str, str], language: str) -> str:
    return table.get(base_language(language), table["en"])


def correction_for(workspace: Workspace, language: str, earlier: tuple[SentRow, ...],
                   cited: dict[str, dict[str, Any]]) -> Correction | None:
    """The correction a message makes of `earlier` (messages of older versions that were sent), or
    None when there are none; `cited`: the new version's facts as the manifest lists them."""
    if not earlier:
        return None
    last = earlier[-1]
    lang = Language(base_language(language))
    sent_on = _day(last.finished_at or last.started_at)
    changes = []
    before = {c.fact: c for c in last.facts}
    for fact_id in sorted(set(before) | set(cited)):
        old, new = before.get(fact_id), cited.get(fact_id)
        if new is None:
            assert old is not None
            changes.append(f"- {_figure(workspace, lang, old.fact, old.value, old.qualifier)}: "
                           f"{words(NO_LONGER, language)}")
        elif old is None or (old.value, old.qualifier) != (str(new.get("value")),
                                                           str(new.get("qualifier", "exact"))):
            then = _figure(workspace, lang, fact_id, old.value, old.qualifier) if old else "–"
            now = _figure(workspace, lang, fact_id, str(new.get("value")), str(new.get("qualifier", "exact")))
            changes.append(f"- {then} → {now}")
    intro = words(INTRO, language).format(date=lang.date(sent_on) if sent_on else "")
    text = intro + "\n\n" + ("\n".join(changes) if changes else words(REWORDED, language))
    return Correction(earlier, text)


def _figure(workspace: Workspace, lang: Language, cited_id: str, value: str, qualifier: str) -> str:
    """`about 400 political prisoners` in the letter's language, from a value as the log keeps it."""
    fact_id, _, part = cited_id.partition(".")
    fact = workspace.facts.get(fact_id)
    if fact is not None and part:
        fact = fact.parts.get(part)
    noun = ""
    if fact is not None:
        translated = fact.translations.get(lang.language)
        noun = (translated.noun if translated and translated.noun else "") or fact.noun
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value if len(value) <= 80 else value[:79] + "…"
    shown: int | Decimal = int(number) if number == number.to_integral_value() else number
    try:
        figure = lang.figure(qualifier, shown, lang.number(shown, "digits"))
    except (KeyError, ValueError, LookupError):
        figure = lang.number(shown, "digits")
    return lang.counted(figure, noun) if noun else f"{cited_id}: {figure}"


def _day(stamp: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def cited_facts(entries: dict[str, dict[str, Any]]) -> tuple[CitedFact, ...]:
    """The manifest's facts of a letter as the sent log records them."""
    return tuple(CitedFact(fid, str(f.get("value")), str(f.get("qualifier", "exact")), str(f.get("as_of")))
                 for fid, f in entries.items())
