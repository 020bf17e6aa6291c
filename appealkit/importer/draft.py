"""The whole draft as files: what was found in the letters, laid out as a workspace.

`draft_files` turns the letters, their facts, people and headers into {path: text}:
facts/<campaign>.yaml, people/<campaign>.yaml, recipients/<id>.yaml, templates/<letter>.md,
templates/snippets/…, campaigns/<campaign>.yaml. Recipients carry no term of office (the
letters cannot say it), so `check` asks for it; the resolved draft (for the rebuild) gives
the campaign's date as a stand-in.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from appealkit.importer.draft_yaml import (
    STAND_IN_DATE,
    Notes,
    choice,
    chosen,
    fact_yaml,
    flow,
    person_yaml,
    scalar,
)
from appealkit.importer.found_facts import DraftFact
from appealkit.importer.found_people import DraftPerson, slug
from appealkit.importer.header import Header
from appealkit.importer.letters import FoundLetter
from appealkit.importer.templating import Templates, file_name


@dataclass(frozen=True)
class DraftRecipient:
    id: str
    header: Header
    salutation: str
    language: str
    letters: tuple[int, ...]


@dataclass(frozen=True)
class Found:
    """Everything the import found, ready to be written."""

    campaign: str
    letters: tuple[FoundLetter, ...]
    headers: tuple[Header, ...]
    letter_ids: tuple[str, ...]
    recipients: tuple[DraftRecipient, ...]
    recipient_of: tuple[str, ...]  # per letter
    facts: dict[str, DraftFact]
    people: dict[str, DraftPerson]
    templates: Templates
    sender: str  # people id of the sending organisation, "" when no letter names one
    senders: tuple[str, ...]  # the sender names found, most frequent first
    literal: tuple[str, ...] = ()  # figures kept as written: no claim about a whole
    sender_translations: dict[str, str] = field(default_factory=dict)  # language → the sender's name


def recipients_of(letters: list[FoundLetter],
                  headers: list[Header]) -> tuple[list[DraftRecipient], list[str]]:
    """One recipient per office and holder; each letter's recipient id."""
    found: dict[tuple[str, str], list[int]] = {}
    for number, header in enumerate(headers):
        found.setdefault((header.office, header.holder), []).append(number)
    recipients: list[DraftRecipient] = []
    ids: set[str] = set()
    of = [""] * len(letters)
    for (office, holder), numbers in found.items():
        words = (office or holder or "recipient").split()[:5]
        while len(words) > 1 and words[-1].lower() in ("of", "the", "for", "des", "der", "de"):
            words.pop()
        base = slug(" ".join(words), "-")
        rid = base
        while rid in ids:
            rid = f"{base}-{len(ids) + 1}"
        ids.add(rid)
        first = numbers[0]
        recipients.append(DraftRecipient(rid, headers[first], letters[first].salutation,
                                         letters[first].language, tuple(numbers)))
        for number in numbers:
            of[number] = rid
    return recipients, of


def letter_ids(letters: list[FoundLetter], recipient_of: list[str]) -> list[str]:
    ids: list[str] = []
    for letter, rid in zip(letters, recipient_of, strict=True):
        base = f"{rid}-{letter.language}" if any(
            r == rid and other.language != letter.language
            for other, r in zip(letters, recipient_of, strict=True)) else rid
        name, number = base, 2
        while name in ids:
            name, number = f"{base}-{number}", number + 1
        ids.append(name)
    return ids


def _dates(found: Found) -> dict[int, datetime.date | None]:
    return {number: header.date for number, header in enumerate(found.headers)}


def _shown(found: Found) -> dict[int, str]:
    return {n: f"{letter.file}, letter {letter.index}" for n, letter in enumerate(found.letters)}


def facts_file(found: Found, resolved: bool, notes: Notes) -> str:
    lines = [f"# Figures found by appealkit import in {len(found.letters)} letter(s).",
             "# '# choose:' marks where the letters disagree; '# check:' marks a guess.", ""]
    for fid, fact in found.facts.items():
        lines.extend(fact_yaml(fid, fact, _dates(found), _shown(found), resolved, notes))
        lines.append("")
    return "\n".join(lines)


def people_file(found: Found, resolved: bool, notes: Notes) -> str:
    lines = ["# Names found by appealkit import; spellings grouped as audit groups them.", ""]
    for person in found.people.values():
        sender = person.id == found.sender
        lines.extend(person_yaml(person, resolved, notes, _long_name(found) if sender else [],
                                 list(found.senders[1:]) if sender else []))
        lines.append("")
    guessed = sum(1 for p in found.people.values() if not p.acronym)
    if guessed:
        notes.checks.append(f"people/{found.campaign}.yaml: {guessed} name(s) taken for persons; "
                            "set 'kind: organisation' where a name is a body's")
    if not found.sender or found.sender not in found.people:
        lines.extend(_sender(found, resolved, notes))
    return "\n".join(lines)


def _long_name(found: Found) -> list[str]:
    """The sending organisation's full name, beside the acronym the letters write after it."""
    names = list(found.senders)
    lines = ["  # check: the sending organisation (the campaign's 'organisation'); its name in full below"]
    if names:
        lines.append(f"  long_name: {scalar(names[0])}")
    if found.sender_translations:
        lines.append("  translations:")
        lines.extend(f"    {code}: {{long_name: {scalar(name)}}}"
                     for code, name in found.sender_translations.items())
    return lines


def _sender(found: Found, resolved: bool, notes: Notes) -> list[str]:
    sid = found.sender or "sender"
    names = list(found.senders)
    lines = [f"{sid}:", "  # check: the organisation that sends the letters (the campaign's 'organisation')",
             f"  name: {choice(names[:1] or (['Sender'] if resolved else []), resolved)}"]
    if len(names) > 1:
        lines.append(f"  # check: the letters name their sender differently: {', '.join(names)}")
        lines.append(f"  variants: {flow(names[1:])}")
        notes.checks.append(f"{sid}: the sending organisation is named {' or '.join(names)}; "
                            f"'{names[0]}' taken as its name")
    if not names:
        notes.checks.append(f"{sid}: no letter names its sender: give the organisation's name")
    if found.sender_translations:
        lines.append("  translations:")
        lines.extend(f"    {code}: {{name: {scalar(name)}}}"
                     for code, name in found.sender_translations.items())
    return [*lines, "  kind: organisation", ""]


def recipient_file(recipient: DraftRecipient, campaign_date: datetime.date | None, resolved: bool,
                   notes: Notes) -> str:
    header = recipient.header
    lines = [f"# Recipient found by appealkit import in the header of {len(recipient.letters)} letter(s).",
             "# check: office, holder, salutation and address as the header reads them"]
    holder = " ".join(x for x in (header.honorific, header.holder) if x)
    notes.checks.append(f"recipients/{recipient.id}.yaml: '{header.office}', '{holder}' read from the header")
    office = header.office
    if not office:
        lines.append("# check: no 'To the …' line: what is the office?")
        notes.checks.append(f"recipients/{recipient.id}.yaml: office not found")
    lines.append(f"office: {choice([office or 'Office'] if office or resolved else [], resolved)}")
    lines.append("holder:")
    if header.holder:
        lines.append(f"  name: {scalar(header.holder)}")
    else:
        lines.append("  # check: no holder's name in the header")
        lines.append(f"  name: {choice(['Holder'] if resolved else [], resolved)}")
        notes.checks.append(f"recipients/{recipient.id}.yaml: holder's name not found")
    if header.honorific:
        lines.append(f"  honorific: {scalar(header.honorific)}")
    if resolved:
        lines += ["term:", f"  from: {campaign_date or STAND_IN_DATE}"]
    else:
        lines.append("# check: the term of office is not in the letters: add 'term:' with 'from:' (and 'to:'"
                     " when it ends) and a 'source:'; check asks for it until then")
    lines.append(f"salutation: {scalar(recipient.salutation)}")
    if header.address:
        lines.append(f"address: {flow(list(header.address))}")
    else:
        lines.append("# check: no address in the letters")
        lines.append("address: []")
    lines.append(f"language: {recipient.language}")
    return "\n".join(lines) + "\n"


def campaign_file(found: Found, resolved: bool, notes: Notes) -> str:
    headers = found.headers
    dates = Counter(h.date for h in headers if h.date)
    places = Counter(h.place for h in headers if h.place)
    lines = [f"# The letters imported by appealkit import ({len(found.letters)}).", f"id: {found.campaign}"]
    subjects = Counter(h.subject for h in headers if h.subject)
    title = subjects.most_common(1)[0][0] if subjects else "Imported letters"
    lines.append(f"title: {scalar(title)}  # check: the letters' subject; give the campaign a title")
    for key, counter, stand_in in (("date", dates, STAND_IN_DATE), ("place", places, "Place")):
        lines.extend(chosen("", key, [v for v, _ in counter.most_common()], resolved, notes,
                            f"campaigns/{found.campaign}.yaml", stand_in))
    lines.append(f"organisation: {found.sender or 'sender'}")
    language = Counter(letter.language for letter in found.letters).most_common(1)[0][0]
    lines.append(f"language: {language}")
    lines.extend(_ending(found, language, ""))
    others = sorted({letter.language for letter in found.letters} - {language})
    ending = {other: _ending(found, other, "      ") for other in others}
    if any(ending.values()):
        lines.append("translations:")
        for other, words in ending.items():
            if words:
                lines += [f"  {other}:", *(w[2:] for w in words)]
    lines.append("letters:")
    for number, letter in enumerate(found.letters):
        lines.append(f"  - template: {found.letter_ids[number]}.md")
        lines.append(f"    recipient: {found.recipient_of[number]}")
        lines.append(f"    id: {found.letter_ids[number]}")
        subject = headers[number].subject
        if subject and letter.language == language:
            lines.append(f"    subject: {scalar(subject)}")
        if letter.language != language:
            lines.append(f"    language: {letter.language}")
            if subject:
                lines.append(f"    translations: {{{letter.language}: {{subject: {scalar(subject)}}}}}")
        lines.append(f"    # imported from {letter.where}")
    return "\n".join(lines) + "\n"


def _ending(found: Found, language: str, indent: str) -> list[str]:
    """The closing and signatories the letters in `language` end with, as campaign lines."""
    letters = [letter for letter in found.letters if letter.language == language]
    closings = Counter(letter.closing for letter in letters if letter.closing)
    lines = []
    if closings:
        lines.append(f"{indent}closing: {scalar(closings.most_common(1)[0][0])}")
    signatures = next((letter.signatures for letter in letters if letter.signatures), ())
    if signatures:
        lines.append(f"{indent}signatories:")
        lines.extend(f"{indent}  - name: {scalar(name)}" for name in signatures)
    return lines


def draft_files(found: Found, resolved: bool = False) -> tuple[dict[str, str], Notes]:
    """{path inside the workspace: text} of the whole draft, and the notes made writing it."""
    notes = Notes()
    files = {f"facts/{found.campaign}.yaml": facts_file(found, resolved, notes),
             f"people/{found.campaign}.yaml": people_file(found, resolved, notes)}
    day = Counter(h.date for h in found.headers if h.date).most_common(1)
    for recipient in found.recipients:
        files[f"recipients/{recipient.id}.yaml"] = recipient_file(
            recipient, day[0][0] if day else None, resolved, notes)
    for letter, letter_id, text in zip(found.letters, found.letter_ids, found.templates.letters, strict=True):
        files["templates/" + file_name(f"{letter_id}.md", letter.language)] = text
    for name, text in found.templates.snippets.items():
        files[f"templates/{name}"] = text
    files[f"campaigns/{found.campaign}.yaml"] = campaign_file(found, resolved, notes)
    return files, notes
