"""`import_letters`: existing letters in, a workspace draft out, and a report of what was found.

Each file is read with the audit's readers; a file that cannot be read, or holds no letter,
is one problem in the report and the others are imported. The draft is proved (rendered
back and audited, `rebuild.py`) before anything is written, and written only when no file
and no id of the target would be overwritten (`write_draft.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from appealkit.errors import Problem, UnreadableLetter, UsageError
from appealkit.importer.across_languages import merge_languages
from appealkit.importer.draft import Found, draft_files, letter_ids, recipients_of
from appealkit.importer.found_facts import find_facts
from appealkit.importer.found_people import DraftPerson, find_people, slug
from appealkit.importer.header import read_header
from appealkit.importer.letters import FoundLetter, split_letters
from appealkit.importer.rebuild import prove
from appealkit.importer.templating import letter_templates, paragraph_templates
from appealkit.importer.write_draft import conflicts, write_files
from appealkit.read.letter_reader import read_letter
from appealkit.read.passages import LetterText
from appealkit.rules.language import is_known
from appealkit.source.paths import shown_path
from appealkit.source.safe_names import check_file_name


@dataclass(frozen=True)
class ImportOptions:
    """What `appealkit import` and `appealkit.importer.importing.import_letters` take."""

    files: tuple[Path, ...]
    into: Path
    campaign: str = "imported"
    language: str = ""  # every letter's language, instead of detecting it
    dry_run: bool = False

    def validated(self) -> ImportOptions:
        if not self.files:
            raise UsageError.at("import", None, "no letters given",
                                "name one or more .docx, .pdf, .txt or .md files")
        try:
            check_file_name(self.campaign)
        except ValueError as exc:
            raise UsageError.at("campaign", None, str(exc),
                                "use letters, digits, '-' and '_'") from None
        if self.language and not is_known(self.language):
            raise UsageError.at("language", None, f"unknown language '{self.language}'",
                                "give a code such as en, de, fr or az")
        return self


@dataclass(frozen=True)
class Disagreement:
    """Where the letters say one thing differently: a figure's value or qualifier, or a spelling."""

    subject: str  # fact id or person id
    kind: str  # "value" | "qualifier" | "spelling"
    variants: tuple[str, ...]  # as written, with where


@dataclass(frozen=True)
class FoundFact:
    """A fact of the draft as the report shows it: the figures the letters give for it."""

    id: str
    noun: str
    written: tuple[str, ...]  # each figure as written ("about 400"), in the order found
    letters: int
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class FoundPerson:
    id: str
    name: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class LetterReport:
    id: str
    source: str
    recipient: str
    language: str
    similarity: float


@dataclass(frozen=True)
class ImportResult:
    into: Path
    written: tuple[str, ...]
    letters: tuple[LetterReport, ...]
    facts: tuple[FoundFact, ...]
    people: tuple[FoundPerson, ...]
    disagreements: tuple[Disagreement, ...]
    choices: tuple[str, ...]
    checks: tuple[str, ...]
    problems: tuple[Problem, ...]  # files not imported
    left_out: tuple[str, ...] = ()  # text beside the letters that no letter took in
    #: figures the letters write in words here and in digits there ("nine women", "9 women"):
    #: each template keeps its letter's way (`words=True`), so this is no drift audit reports
    formats: tuple[str, ...] = ()
    audit_preview: tuple = ()  # what audit reports on the originals once every choice is made as drafted
    files: dict[str, str] = field(default_factory=dict)


def _read(options: ImportOptions, problems: list[Problem], notes: list[str],
          left_out: list[str]) -> tuple[list[LetterText], list[FoundLetter]]:
    texts: list[LetterText] = []
    letters: list[FoundLetter] = []
    for path in options.files:
        try:
            text = read_letter(path, shown_path(Path.cwd(), path) if not path.is_absolute() else str(path))
        except UnreadableLetter as exc:
            problems.extend(exc.problems)
            continue
        split = split_letters(text)
        if not split.letters:
            problems.append(Problem(text.file, None, "no letter found in this file",
                                    "a letter starts with its recipient's lines right above a salutation"))
            continue
        notes.extend(split.skipped)
        left_out.extend(split.left_out)
        texts.append(text)
        letters.extend(split.letters)
    if options.language:
        letters = [replace(letter, language=options.language) for letter in letters]
    return texts, letters


def find(options: ImportOptions, letters: list[FoundLetter], left_out: list[str] | None = None) -> Found:
    """What the letters hold; `left_out`: text around them, where spellings are counted too."""
    headers = [read_header(letter.header, letter.language) for letter in letters]
    recipients, recipient_of = recipients_of(letters, headers)
    main = Counter(letter.language for letter in letters).most_common(1)[0][0]
    senders = Counter(h.sender[0] for h, letter in zip(headers, letters, strict=True)
                      if h.sender and letter.language == main)
    ranked = tuple(s for s, _ in senders.most_common())
    translated: dict[str, str] = {}
    for header, letter in zip(headers, letters, strict=True):
        if header.sender and letter.language != main:
            translated.setdefault(letter.language, header.sender[0])
    reserved = {h.holder for h in headers if h.holder} | {f"{h.honorific} {h.holder}".strip()
                                                         for h in headers if h.holder} | set(ranked) \
        | set(translated.values())
    people, names = find_people(letters, reserved, left_out or [])
    facts = merge_languages(find_facts(letters, names))
    for fact in facts.values():
        if fact.person in people:
            fact.keywords.append(people[fact.person].name)
    ids = letter_ids(letters, recipient_of)
    acronym = _acronym(letters, people, (*ranked, *translated.values()))
    # the sender's own name prints from the organisation: its name, or its long name beside an acronym
    field = "campaign.organisation.long_name" if acronym else "campaign.organisation"
    fixed = [[(f"{h.honorific} {h.holder}".strip(), "recipient.holder"), (h.holder, "recipient.holder_name"),
              *((name, field) for name in (*ranked, *translated.values()))]
             for h in headers]
    literal: list[str] = []
    paragraphs = paragraph_templates(letters, facts, names, fixed, literal)
    templates = letter_templates(letters, paragraphs, options.campaign)
    sender = acronym or (slug(ranked[0])[:32].strip("_") if ranked else "")
    if sender in people and not acronym:
        sender += "_sender"
    return Found(options.campaign, tuple(letters), tuple(headers), tuple(ids), tuple(recipients),
                 tuple(recipient_of), facts, people, templates, sender, ranked, tuple(literal), translated)


def _acronym(letters: list[FoundLetter], people: dict[str, DraftPerson], senders: tuple[str, ...]) -> str:
    """The person id of the acronym a letter writes after the sender's name ("… Refugees (ASMKOM)"), or ""."""
    if not senders:
        return ""
    after = re.compile("(?:" + "|".join(re.escape(s) for s in senders) + r")\s*\(([^()\s]+)\)")
    spelled = {spelling: pid for pid, person in people.items() if person.acronym
               for spelling in person.spellings}
    for letter in letters:
        for paragraph in letter.body:
            for match in after.finditer(paragraph.text):
                if match[1] in spelled:
                    return spelled[match[1]]
    return ""


def disagreements(found: Found) -> list[Disagreement]:
    """The drift between letters: every fact with two values or qualifiers, every name with two spellings."""
    found_list = []
    for fid, fact in found.facts.items():
        for cited, item in ((fid, fact), *((f"{fid}.{n}", p) for n, p in fact.parts.items())):
            for kind, values in (("value", item.values), ("qualifier", item.qualifiers)):
                if len(values) > 1:
                    found_list.append(Disagreement(cited, kind, tuple(
                        f"{o.figure.shown} ({o.where})" for o in item.occurrences)))
    if len(found.senders) > 1:
        found_list.append(Disagreement(found.sender, "spelling", found.senders))
    for person in found.people.values():
        if len(person.spellings) > 1:
            found_list.append(Disagreement(person.id, "spelling", tuple(
                f"{s} ({_places(person.where[s])})" for s in person.ranked)))
    return found_list


def formats(found: Found) -> list[str]:
    """Each fact written in words in some letters and in digits in others, with where."""
    lines = []
    for fid, fact in found.facts.items():
        for cited, item in ((fid, fact), *((f"{fid}.{n}", p) for n, p in fact.parts.items())):
            if len({o.figure.words for o in item.occurrences}) > 1:
                written = ", ".join(f"'{o.figure.text}' ({o.where})" for o in item.occurrences)
                lines.append(f"{cited}: {written}")
    return lines


def drifted(found: Found) -> set[str]:
    """What audit should find in the originals once every choice is made as drafted: each figure
    written otherwise than its fact's first value and qualifier, each spelling but the name."""
    expected = set()
    for fact in found.facts.values():
        for item in (fact, *fact.parts.values()):
            for occurrence in item.occurrences:
                if (occurrence.value, item.qualifier_of(occurrence)) != (item.values[0], item.qualifiers[0]):
                    expected.add(occurrence.figure.shown)
    for person in found.people.values():
        expected.update(person.ranked[1:])
    expected.update(found.senders[1:])
    return expected


def audit_surprises(found: Found, findings) -> list[str]:
    """Where audit of the originals would not report exactly the drift listed: a line each."""
    expected = drifted(found)
    seen = {f.found for f in findings}
    lines = [f"audit would also report {f.file}:{f.line}: {f.message}" for f in findings
             if f.found not in expected]
    lines += [f"audit would not see '{text}' (its sentence does not tell audit what it counts)"
              for text in sorted(expected - seen)]
    return lines


def _places(places: list[str]) -> str:
    """"letters.txt letter 1 (2×), letters.txt letter 3": each place once, with how often."""
    counts = Counter(places)
    return ", ".join(f"{place} ({n}×)" if n > 1 else place for place, n in counts.items())


def import_letters(options: ImportOptions) -> ImportResult:
    """Read the letters, find their facts, people and recipients, prove the draft, then write it."""
    options = options.validated()
    problems: list[Problem] = []
    left_out: list[str] = []
    skipped: list[str] = []
    texts, letters = _read(options, problems, skipped, left_out)
    if not letters:
        raise UnreadableLetter(problems or [Problem("import", None, "no letter found in the files given")])
    found = find(options, letters, left_out)
    files, notes = draft_files(found)
    resolved, _ = draft_files(found, resolved=True)
    proof = prove(resolved, options.campaign, letters, list(found.letter_ids), texts)
    conflicts(options.into, files, found)
    written = () if options.dry_run else write_files(options.into, files)
    reports = tuple(LetterReport(found.letter_ids[n], letter.where, found.recipient_of[n], letter.language,
                                 proof.rebuilt[n].similarity) for n, letter in enumerate(letters))
    facts = tuple(FoundFact(fid, fact.noun, tuple(dict.fromkeys(o.figure.shown for o in fact.occurrences)),
                            len({o.letter for o in fact.occurrences}), tuple(fact.parts))
                  for fid, fact in found.facts.items())
    people = tuple(FoundPerson(p.id, p.name, tuple(p.ranked[1:])) for p in found.people.values())
    return ImportResult(options.into, tuple(written), reports, facts, people,
                        tuple(disagreements(found)), tuple(notes.choices),
                        (*notes.checks, *found.literal, *audit_surprises(found, proof.audit)),
                        tuple(problems), tuple(skipped), tuple(formats(found)), proof.audit, files)
