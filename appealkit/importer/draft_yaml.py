"""The draft's YAML: facts, people, recipients and the campaign, with every guess marked.

Where the letters disagree the draft writes `{choose: [a, b]}` under a `# choose:` comment:
the loader reports such a value as a choice left open, with its file and line, so `check`
lists exactly what the organiser must decide. Every guess the import made is a `# check:`
comment. `resolved=True` writes the first option of every choice instead: the draft as it
loads once each choice is made the import's way (the rebuild and the audit preview use it).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from appealkit.importer.found_facts import DraftFact, Occurrence
from appealkit.importer.found_people import DraftPerson


def scalar(value: object) -> str:
    """A YAML scalar that reads back as `value`: numbers and dates plain, text always quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | datetime.date):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def flow(values: list) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def choice(options: list, resolved: bool) -> str:
    """One value, or `{choose: [...]}` when there is more than one (or none) to choose from."""
    if len(options) == 1 or (resolved and options):
        return scalar(options[0])
    return "{choose: " + flow(options) + "}"


#: What the resolved draft (the proof's, never written) puts where the letters give no date.
STAND_IN_DATE = datetime.date(2000, 1, 1)


@dataclass
class Notes:
    """Every guess and every choice, as lines for the report."""

    choices: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def chosen(indent: str, key: str, options: list, resolved: bool, notes: Notes, owner: str,
           stand_in: object) -> list[str]:
    """`key: value` with a `# choose:` above it when the letters differ, a `# check:` when they are silent."""
    lines = []
    if len(options) > 1:
        lines.append(f"{indent}# choose: the letters give different values of '{key}'")
        notes.choices.append(f"{owner}: {key} {' or '.join(str(o) for o in options)}")
    if not options:
        lines.append(f"{indent}# check: no letter gives its '{key}'")
        notes.checks.append(f"{owner}: no letter gives its '{key}'")
        options = [stand_in] if resolved else []
    return [*lines, f"{indent}{key}: {choice(options, resolved)}"]


def _places(occurrences: list[Occurrence], shown) -> str:
    return ", ".join(f"{shown(o)} in {o.where}" for o in occurrences)


def fact_yaml(fid: str, fact: DraftFact, dates: dict[int, datetime.date | None],
              letters_shown: dict[int, str], resolved: bool, notes: Notes, indent: str = "") -> list[str]:
    """One fact (or part) as YAML lines."""
    lines = [f"{indent}{fid}:"]
    inner = indent + "  "
    values, qualifiers = fact.values, fact.qualifiers
    if len(values) > 1:
        text = _places(fact.occurrences, lambda o: o.figure.shown)
        lines.append(f"{inner}# choose: the letters give different values: {text}")
        notes.choices.append(f"{fid}: value {' or '.join(str(v) for v in values)} ({text})")
    lines.append(f"{inner}value: {choice(values, resolved)}")
    if len(qualifiers) > 1:
        text = _places(fact.occurrences, lambda o: o.figure.shown)
        lines.append(f"{inner}# choose: the letters qualify it differently: {text}")
        notes.choices.append(f"{fid}: qualifier {' or '.join(qualifiers)} ({text})")
    if qualifiers != ["exact"]:
        lines.append(f"{inner}qualifier: {choice(qualifiers, resolved)}")
    language = fact.language
    once = len({o.letter for o in fact.occurrences}) == 1
    translated = dict(fact.translations)
    if fact.noun and language == "en":
        lines.append(f"{inner}noun: {scalar(fact.noun)}" + ("  # check: read after the figure in one letter"
                                                           if once else ""))
    elif fact.noun:  # a fact's own noun is English; another language's is a translation
        lines.append(f"{inner}# check: the letters give this noun in '{language}' only; "
                     "'noun' is the English one")
        lines.append(f"{inner}noun: {scalar(fact.noun)}")
        translated = {language: fact.noun, **translated}
    if fact.translations:
        lines.append(f"{inner}# check: the same claim in letters of another language: "
                     + ", ".join(f"{code}: {noun}" for code, noun in fact.translations.items()))
        notes.checks.append(f"{fid}: taken as one fact across languages (" + ", ".join(
            f"'{fact.noun}' and {code} '{noun}'" for code, noun in fact.translations.items()) + ")")
    if translated:
        lines.append(f"{inner}translations: {{" + ", ".join(
            f"{code}: {{noun: {scalar(noun)}}}" for code, noun in translated.items()) + "}")
    if fact.compact:
        lines.append(f"{inner}format: compact")
    if fact.keywords:
        if fact.generic and not fact.person:
            what = f"'{fact.noun}' counts almost anything" if fact.noun else "no noun follows the figure"
            lines.append(f"{inner}# check: {what}; these words of its sentence place it for audit")
            notes.checks.append(f"{fid}: placed by the words {', '.join(fact.keywords)} around it")
        lines.append(f"{inner}keywords: {flow(fact.keywords)}")
    if not indent:
        seen = Counter(dates.get(o.letter) for o in fact.occurrences)
        days = [d for d, _ in seen.most_common() if d]
        lines.extend(chosen(inner, "as_of", days, resolved, notes, fid, STAND_IN_DATE))
        lines.append(f"{inner}sources:")
        for letter in dict.fromkeys(o.letter for o in fact.occurrences):
            at = next(o.where for o in fact.occurrences if o.letter == letter)
            lines.append(f"{inner}  - title: {scalar(f'{letters_shown[letter]} ({at})')}")
            if dates.get(letter):
                lines.append(f"{inner}    date: {dates[letter]}")
    if fact.generic and not fact.keywords and indent == "":
        lines.insert(1, f"{inner}# check: what does this figure count? "
                        "audit recognises it only with keywords")
        notes.checks.append(f"{fid}: '{fact.noun or 'a figure'}' counts almost anything: add keywords "
                            f"so that audit recognises it ({fact.occurrences[0].where})")
    if fact.parts:
        lines.append(f"{inner}parts:")
        for name, part in fact.parts.items():
            lines.extend(fact_yaml(name, part, dates, letters_shown, resolved, notes, inner + "  "))
    return lines


def person_yaml(person: DraftPerson, resolved: bool, notes: Notes, extra: list[str] | None = None,
                long_variants: list[str] | None = None) -> list[str]:
    """One person as YAML lines; `extra`: lines the sending organisation adds (its long name)."""
    lines = [f"{person.id}:", *(extra or [])]
    ranked = person.ranked
    spelled = ", ".join(f"{s} ({person.spellings[s]}×)" for s in ranked)
    if person.tie:
        lines.append(f"  # choose: as often one way as the other: {spelled}")
        notes.choices.append(f"{person.id}: name {' or '.join(ranked)}")
        lines.append(f"  name: {choice(ranked, resolved)}")
    else:
        lines.append(f"  name: {scalar(person.name)}")
    if len(ranked) > 1:
        how = "one letter apart" if person.joined_by_guess else "spelled alike once transliterated"
        what = "organisation" if person.acronym else "person"
        lines.append(f"  # check: the same {what}? {how}: {spelled}")
        notes.checks.append(f"{person.id}: {spelled} taken as one ({how})")
        lines.append(f"  variants: {flow([*ranked[1:], *(long_variants or [])])}")
    elif long_variants:
        lines.append(f"  variants: {flow(long_variants)}")
    if person.acronym:
        lines.append("  kind: organisation")
    else:  # names of people and of bodies look alike ("Ali Karimli", "Venice Commission")
        lines.append("  kind: person  # check: or organisation")
    return lines
