"""Load and validate a workspace: facts, people, recipients and campaigns as plain dataclasses.

Every file is read whole and every problem in it is reported before the load stops,
so an organiser fixes a file in one go instead of one error per run.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from appealkit.errors import Problem, WorkspaceError
from appealkit.language import CLOSINGS, DEFAULT_LANGUAGE, GENDERS, ROLES, base_language, language_name
from appealkit.translations import CampaignWords, FactWords, PersonWords, RecipientWords, parse_translations
from appealkit.yamlsource import Fields, date, ident, load_yaml, one_of, text, text_list

QUALIFIERS = (
    "exact", "about", "approximately", "around", "nearly", "almost", "more than", "over",
    "at least", "fewer than", "less than", "up to",
)
FORMATS = ("digits", "words", "compact")
KINDS = ("person", "organisation")
DEFAULT_CLOSING = "Yours sincerely,"
AGE_UNITS = ("days", "months", "years")
GROUPS_FILE = "groups.yaml"


@dataclass(frozen=True)
class Where:
    """A place in the workspace, for messages."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str = ""
    url: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class FactVersion:
    """An earlier, superseded value of a fact: letters that still cite it are stale."""

    value: int | Decimal | str
    as_of: datetime.date
    qualifier: str = "exact"
    sources: tuple[Source, ...] = ()
    where: Where = Where("")


@dataclass(frozen=True)
class Age:
    """A span such as `12 months`: how old a fact may be on the day a letter is sent."""

    amount: int
    unit: str = "months"

    def before(self, day: datetime.date) -> datetime.date:
        """The earliest as-of date still within this age on `day`."""
        if self.unit == "days":
            return day - datetime.timedelta(days=self.amount)
        months = self.amount * (12 if self.unit == "years" else 1)
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        month += 1
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return datetime.date(year, month, min(day.day, last))

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


DEFAULT_MAX_FACT_AGE = Age(12, "months")


def age(value: Any) -> Age:
    """`12 months`, `90 days`, `1 year`."""
    match = re.fullmatch(r"(\d+)\s*(day|days|month|months|year|years)", text(value).lower())
    if not match or int(match[1]) == 0:
        raise ValueError("must be a span such as '12 months', '90 days' or '1 year'")
    unit = match[2] if match[2].endswith("s") else match[2] + "s"
    return Age(int(match[1]), unit)


@dataclass(frozen=True)
class Fact:
    """A figure, a list or a claim, with the date it was true and where it comes from.

    A list fact (`members`) has no typed value: its value is the number of members.
    """

    id: str
    value: int | Decimal | str
    as_of: datetime.date
    sources: tuple[Source, ...]
    qualifier: str = "exact"
    noun: str = ""
    noun_singular: str = ""
    format: str = "digits"
    keywords: tuple[str, ...] = ()
    members: tuple[str, ...] | None = None
    parts: dict[str, Fact] = field(default_factory=dict)
    note: str = ""
    where: Where = Where("")
    history: tuple[FactVersion, ...] = ()
    translations: dict[str, FactWords] = field(default_factory=dict)

    @property
    def is_number(self) -> bool:
        return not isinstance(self.value, str)


@dataclass(frozen=True)
class Person:
    """A person or organisation with one canonical spelling and the variants seen in the wild."""

    id: str
    name: str
    kind: str = "person"
    variants: tuple[str, ...] = ()
    long_name: str = ""
    description: str = ""
    where: Where = Where("")
    translations: dict[str, PersonWords] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    start: datetime.date
    end: datetime.date | None = None
    source: Source | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Recipient:
    id: str
    office: str
    holder_name: str
    salutation: str
    address: tuple[str, ...]
    language: str
    term: Term
    institution: str = ""
    honorific: str = ""
    holder_person: str | None = None
    email: str = ""
    where: Where = Where("")
    translations: dict[str, RecipientWords] = field(default_factory=dict)
    role: str = ""
    gender: str = ""

    @property
    def holder(self) -> str:
        return f"{self.honorific} {self.holder_name}".strip()


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str = ""


@dataclass(frozen=True)
class LetterSpec:
    """One letter of a campaign: which body goes to which recipient."""

    id: str
    template: str
    recipient: str
    subject: str = ""
    language: str = ""
    where: Where = Where("")


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    date: datetime.date
    place: str
    organisation: str
    letters: tuple[LetterSpec, ...]
    signatories: tuple[Signatory, ...] = ()
    sender: tuple[str, ...] = ()
    closing: str = DEFAULT_CLOSING
    subject: str = ""
    language: str = ""
    letterhead: str = ""
    where: Where = Where("")
    max_fact_age: Age = DEFAULT_MAX_FACT_AGE
    translations: dict[str, CampaignWords] = field(default_factory=dict)


@dataclass(frozen=True)
class Workspace:
    root: Path
    facts: dict[str, Fact]
    people: dict[str, Person]
    recipients: dict[str, Recipient]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def campaign_files(self) -> list[Path]:
        return sorted((self.root / "campaigns").glob("*.yaml"))


def shown_path(root: Path, path: Path) -> str:
    """The path as a user should read it: relative to the workspace when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def suggest(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _source(data: Any, file: str, problems: list[Problem], what: str) -> Source | None:
    f = Fields(data, file, problems, what)
    if not f.ok:
        return None
    source = Source(
        title=f.get("title", text, required=True) or "",
        publisher=f.get("publisher", text, default=""),
        url=f.get("url", text, default=""),
        date=f.get("date", date),
    )
    f.done()
    return source


def _sources(f: Fields, what: str, required: bool) -> tuple[Source, ...]:
    raw = f.raw("sources")
    if raw is None:
        if required:
            f.error(f.line, f"{what} has no 'sources'", "add at least one source with a title")
        return ()
    if not isinstance(raw, list) or not raw:
        f.error(f.line_of("sources"), "'sources' must be a list of sources (title, publisher, url, date)")
        return ()
    found = [_source(item, f.file, f.problems, f"a source of {what}") for item in raw]
    return tuple(s for s in found if s)


def _number_or_text(value: Any) -> int | Decimal | str:
    if isinstance(value, bool):
        raise ValueError("must be a number or a text, not yes/no")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return text(value)


def _fact(fid: str, data: Any, file: str, problems: list[Problem], parent: Fact | None,
          line: int | None = None) -> Fact | None:
    what = f"fact '{fid}'" if parent is None else f"part '{fid}' of fact '{parent.id}'"
    f = Fields(data, file, problems, what, line or 0)
    if not f.ok:
        return None
    before = len(problems)
    members = f.get("members", lambda v: tuple(ident(x) for x in text_list(v)))
    if members is not None and f.raw("value") is not None:
        f.error(f.line_of("value"), f"{what} has both 'value' and 'members'",
                "remove 'value': the count of a list is derived from its members")
    value = len(members) if members is not None else f.get("value", _number_or_text, required=True)
    as_of = f.get("as_of", date, required=parent is None) or (parent.as_of if parent else None)
    sources = _sources(f, what, required=parent is None) or (parent.sources if parent else ())
    qualifier = f.get("qualifier", one_of(*QUALIFIERS), default="exact")
    if isinstance(value, str) and qualifier != "exact":
        f.error(f.line_of("qualifier"), f"{what} is a text, so it cannot have a qualifier",
                "remove 'qualifier' or give a number as 'value'")
    fact = Fact(
        id=fid,
        value=value,
        as_of=as_of,
        sources=sources,
        qualifier=qualifier,
        noun=f.get("noun", text, default=""),
        noun_singular=f.get("noun_singular", text, default=""),
        format=f.get("format", one_of(*FORMATS), default="digits"),
        keywords=f.get("keywords", text_list, default=()),
        members=members,
        note=f.get("note", text, default=""),
        where=Where(file, line or f.line),
        history=_history(f, what, as_of),
        translations=parse_translations(f, FactWords, {
            "noun": text, "noun_singular": text, "value": text, "keywords": text_list}),
    )
    raw_parts = f.raw("parts")
    if raw_parts is not None:
        if not isinstance(raw_parts, dict):
            f.error(f.line_of("parts"), "'parts' must be a mapping of part names to figures")
        else:
            for name, part_data in raw_parts.items():
                try:
                    ident(name)
                except ValueError as exc:
                    f.error(raw_parts.key_lines.get(name), f"part '{name}': {exc}")
                    continue
                part = _fact(name, part_data, file, problems, fact, raw_parts.key_lines.get(name))
                if part:
                    fact.parts[name] = part
    f.done()
    if len(problems) > before or value is None or as_of is None:
        return None
    return fact


def _history(f: Fields, what: str, as_of: datetime.date | None) -> tuple[FactVersion, ...]:
    """`history:` earlier versions of a fact, each older than the current one."""
    raw = f.raw("history")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        f.error(f.line_of("history"),
                "'history' must be a list of earlier versions (value, qualifier, as_of)")
        return ()
    versions = []
    for item, line in zip(raw, getattr(raw, "item_lines", []), strict=False):
        hf = Fields(item, f.file, f.problems, f"an earlier version of {what}", line)
        if not hf.ok:
            continue
        value = hf.get("value", _number_or_text, required=True)
        when = hf.get("as_of", date, required=True)
        qualifier = hf.get("qualifier", one_of(*QUALIFIERS), default="exact")
        sources = _sources(hf, f"an earlier version of {what}", required=False)
        hf.done()
        if when and as_of and when >= as_of:
            hf.error(hf.line_of("as_of"),
                     f"an earlier version of {what} must be older than its 'as_of' ({as_of})",
                     "history lists superseded values; put the current one in 'value'")
            continue
        if value is not None and when:
            versions.append(FactVersion(value, when, qualifier, sources, Where(f.file, line)))
    return tuple(versions)


def _person(pid: str, data: Any, file: str, problems: list[Problem], line: int | None) -> Person | None:
    f = Fields(data, file, problems, f"person '{pid}'", line or 0)
    if not f.ok:
        return None
    person = Person(
        id=pid,
        name=f.get("name", text, required=True),
        kind=f.get("kind", one_of(*KINDS), default="person"),
        variants=f.get("variants", text_list, default=()),
        long_name=f.get("long_name", text, default=""),
        description=f.get("description", text, default=""),
        where=Where(file, line),
        translations=parse_translations(f, PersonWords, {
            "name": text, "long_name": text, "description": text}),
    )
    for code, words in person.translations.items():
        if words.name and person.kind == "person":
            f.error(words.line, f"person '{pid}': a person's name is spelled the same in every language",
                    f"remove 'name' from the '{code}' translation; only organisations' names are translated")
    f.done()
    return person if person.name else None


def _recipient(rid: str, data: Any, file: str, problems: list[Problem],
               people: dict[str, Person], check_people: bool = True) -> Recipient | None:
    before = len(problems)
    f = Fields(data, file, problems, f"recipient '{rid}'")
    if not f.ok:
        return None
    holder = Fields(f.raw("holder"), file, problems, "'holder'", f.line_of("holder"))
    if f.raw("holder") is None:
        f.error(f.line, f"recipient '{rid}' is missing 'holder'",
                "add 'holder:' with 'person:' (a people id) or 'name:'")
    person_id = holder.get("person", ident)
    name = holder.get("name", text, default="")
    if person_id:
        if person_id not in people and check_people:
            holder.error(holder.line_of("person"), f"unknown person '{person_id}'",
                         suggest(person_id, people) or "add them to people/")
        elif person_id in people:
            name = people[person_id].name
    elif not name and holder.ok:
        holder.error(holder.line, "'holder' needs 'person:' (a people id) or 'name:'")
    honorific = holder.get("honorific", text, default="")
    holder.done()
    term_fields = Fields(f.raw("term"), file, problems, "'term'", f.line_of("term"))
    if f.raw("term") is None:
        f.error(f.line, f"recipient '{rid}' is missing 'term'",
                "add 'term:' with 'from:' (and 'to:' when the term has an end) and a 'source:'")
    start = term_fields.get("from", date, required=True)
    end = term_fields.get("to", date)
    term_source = (
        _source(term_fields.raw("source"), file, problems, "the source of 'term'")
        if term_fields.raw("source") is not None else None
    )
    term_fields.done()
    if start and end and end < start:
        term_fields.error(term_fields.line_of("to"), "'to' is before 'from'")
    recipient = Recipient(
        id=rid,
        office=f.get("office", text, required=True),
        institution=f.get("institution", text, default=""),
        holder_name=name,
        honorific=honorific,
        holder_person=person_id,
        term=Term(start, end, term_source) if start else None,
        salutation=f.get("salutation", text, default=""),
        address=f.get("address", text_list, required=True, default=()),
        language=f.get("language", text, required=True),
        email=f.get("email", text, default=""),
        where=Where(file, f.line),
        translations=parse_translations(f, RecipientWords, {
            "salutation": text, "office": text, "institution": text, "address": text_list}),
        role=f.get("role", one_of(*ROLES), default=""),
        gender=f.get("gender", one_of(*GENDERS), default=""),
    )
    f.done()
    return recipient if len(problems) == before else None


def _yaml_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    return sorted(p for p in directory.glob("*.yaml") if p.is_file()) if directory.is_dir() else []


def _load_each(root: Path, folder: str, problems: list[Problem]) -> list[tuple[str, Any]]:
    loaded = []
    for path in _yaml_files(root, folder):
        shown = shown_path(root, path)
        try:
            loaded.append((shown, load_yaml(path, shown)))
        except WorkspaceError as exc:
            problems.extend(exc.problems)
    return loaded


def _entries(shown: str, data: Any, problems: list[Problem], what: str):
    """The (id, value, line) entries of a file that maps ids to records."""
    if not isinstance(data, dict):
        problems.append(Problem(shown, getattr(data, "line", 1) or 1,
                                f"a {what} file must map ids to {what} records",
                                f"start each {what} with 'some_id:' at the left margin"))
        return
    for key, value in data.items():
        line = data.key_lines.get(key)
        try:
            ident(key)
        except ValueError as exc:
            problems.append(Problem(shown, line, f"{what} id {exc}"))
            continue
        yield key, value, line


def load_workspace(root: Path) -> Workspace:
    """Load facts/, people/ and recipients/; raise one `WorkspaceError` listing every problem."""
    root = Path(root)
    if not root.is_dir():
        raise WorkspaceError.at(str(root), None, "no such workspace folder",
                                "pass --root with the folder that holds facts/ and campaigns/")
    problems: list[Problem] = []
    people: dict[str, Person] = {}
    for shown, data in _load_each(root, "people", problems):
        for pid, value, line in _entries(shown, data, problems, "person"):
            if pid in people:
                problems.append(Problem(shown, line, f"person '{pid}' is defined twice",
                                        f"first in {people[pid].where}"))
                continue
            person = _person(pid, value, shown, problems, line)
            if person:
                people[pid] = person
    # a people file that failed to load would make every reference to it look wrong
    check_people = not problems
    facts: dict[str, Fact] = {}
    for shown, data in _load_each(root, "facts", problems):
        for fid, value, line in _entries(shown, data, problems, "fact"):
            if fid in facts:
                problems.append(Problem(shown, line, f"fact '{fid}' is defined twice",
                                        f"first in {facts[fid].where}"))
                continue
            fact = _fact(fid, value, shown, problems, None, line)
            if fact:
                facts[fid] = fact
                lines = getattr(value.get("members"), "item_lines", None) or [line] * len(fact.members or ())
                for member, mline in zip(fact.members or (), lines, strict=False):
                    if check_people and member not in people:
                        problems.append(Problem(shown, mline, f"unknown person '{member}' in fact '{fid}'",
                                                suggest(member, people) or "add them to people/"))
    recipients: dict[str, Recipient] = {}
    for path in _yaml_files(root, "recipients"):
        if path.name == GROUPS_FILE:
            continue
        shown = shown_path(root, path)
        try:
            data = load_yaml(path, shown)
        except WorkspaceError as exc:
            problems.extend(exc.problems)
            continue
        try:
            rid = ident(path.stem)
        except ValueError as exc:
            problems.append(Problem(shown, None, f"file name: recipient id {exc}"))
            continue
        recipient = _recipient(rid, data, shown, problems, people, check_people)
        if recipient:
            recipients[rid] = recipient
    groups = _load_groups(root, recipients, problems)
    if problems:
        raise WorkspaceError(sorted(problems, key=lambda p: (p.file, p.line or 0)))
    return Workspace(root=root, facts=facts, people=people, recipients=recipients, groups=groups)


def _load_groups(root: Path, recipients: dict[str, Recipient],
                 problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    """recipients/groups.yaml: group name → recipient ids, for letters sent to many at once."""
    path = root / "recipients" / GROUPS_FILE
    if not path.is_file():
        return {}
    shown = shown_path(root, path)
    try:
        data = load_yaml(path, shown)
    except WorkspaceError as exc:
        problems.extend(exc.problems)
        return {}
    groups: dict[str, tuple[str, ...]] = {}
    for name, members, line in _entries(shown, data, problems, "group"):
        lines = getattr(members, "item_lines", None)
        try:
            ids = tuple(ident(m) for m in text_list(members))
        except ValueError as exc:
            problems.append(Problem(shown, line, f"group '{name}': members {exc}"))
            continue
        for index, member in enumerate(ids):
            if member not in recipients:
                problems.append(Problem(shown, lines[index] if lines else line,
                                        f"unknown recipient '{member}' in group '{name}'",
                                        suggest(member, recipients) or "add recipients/<id>.yaml"))
        groups[name] = ids
    return groups


def resolve_campaign_path(root: Path, name: str | Path) -> Path:
    """A campaign named on the command line: as given, else inside the workspace, else campaigns/."""
    candidates = [Path(name), root / name, root / "campaigns" / name, root / "campaigns" / f"{name}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    known = ", ".join(p.stem for p in sorted((root / "campaigns").glob("*.yaml"))) or "none"
    raise WorkspaceError.at(str(name), None, "no such campaign file", f"campaigns here: {known}")


def load_campaign(workspace: Workspace, path: Path) -> Campaign:
    """Load one campaign and check that everything it names exists in the workspace."""
    from appealkit import template_versions  # it reads workspace records: imported late, no cycle

    root = workspace.root
    shown = shown_path(root, path)
    data = load_yaml(path, shown)
    problems: list[Problem] = []
    f = Fields(data, shown, problems, "the campaign")
    if not f.ok:
        raise WorkspaceError(problems)
    organisation = f.get("organisation", ident, required=True)
    if organisation and organisation not in workspace.people:
        f.error(f.line_of("organisation"), f"unknown organisation '{organisation}'",
                suggest(organisation, workspace.people) or "add it to people/ with kind: organisation")
    signatories = []
    raw_signatories = f.raw("signatories") or []
    if not isinstance(raw_signatories, list):
        f.error(f.line_of("signatories"), "'signatories' must be a list of 'name:' and 'role:' entries")
        raw_signatories = []
    for item in raw_signatories:
        sf = Fields(item, shown, problems, "a signatory", f.line_of("signatories"))
        if sf.ok:
            signatories.append(Signatory(sf.get("name", text, required=True) or "",
                                         sf.get("role", text, default="")))
            sf.done()
    letters = []
    raw_letters = f.raw("letters")
    if not isinstance(raw_letters, list) or not raw_letters:
        f.error(f.line_of("letters") if f.has("letters") else f.line,
                "the campaign needs 'letters:', a list of 'template:' and 'recipient:' entries")
        raw_letters = []
    seen: dict[str, int] = {}
    for item, line in zip(raw_letters, getattr(raw_letters, "item_lines", []), strict=False):
        lf = Fields(item, shown, problems, "a letter", line)
        if not lf.ok:
            continue
        template = lf.get("template", text, required=True)
        languages = lf.get("languages", text_list) or (lf.get("language", text, default=""),)
        if template and not template_versions.exists(root, template, languages):
            lf.error(lf.line_of("template"), f"template '{template}' not found in templates/",
                     suggest(template, _template_names(root)) or "check the file name")
        recipients = _letter_recipients(lf, workspace)
        if lf.has("languages") and lf.has("language"):
            lf.error(lf.line_of("language"), "give either 'language' or 'languages', not both")
        explicit_id = lf.get("id", ident)
        if explicit_id and len(recipients) * len(languages) > 1:
            lf.error(lf.line_of("id"), "'id' names one letter, but this entry makes several",
                     "remove 'id': each letter is named <template>--<recipient>")
        subject = lf.get("subject", text, default="")
        subjects = parse_translations(lf, CampaignWords, {"subject": text})
        lf.done()
        for recipient in recipients:
            for language in languages:
                subject_in = _subject_in(language, subject, subjects, f, workspace, recipient, lf)
                suffix = f"--{language}" if len(languages) > 1 else ""
                letter_id = explicit_id or f"{Path(template or '').stem}--{recipient}{suffix}"
                if letter_id in seen:
                    lf.error(lf.line, f"letter '{letter_id}' appears twice (first on line {seen[letter_id]})",
                             "give one of them an 'id:'")
                seen[letter_id] = lf.line
                letters.append(LetterSpec(
                    id=letter_id, template=template or "", recipient=recipient, subject=subject_in,
                    language=language, where=Where(shown, lf.line),
                ))
    campaign = Campaign(
        id=f.get("id", ident, default=path.stem),
        title=f.get("title", text, required=True),
        date=f.get("date", date, required=True),
        place=f.get("place", text, required=True),
        organisation=organisation or "",
        letters=tuple(letters),
        signatories=tuple(signatories),
        sender=f.get("sender", text_list, default=()),
        closing=f.get("closing", text) or CLOSINGS.get(
            base_language(f.get("language", text, default="") or DEFAULT_LANGUAGE), DEFAULT_CLOSING),
        subject=f.get("subject", text, default=""),
        language=f.get("language", text, default=""),
        letterhead=f.get("letterhead", text, default=""),
        where=Where(shown, f.line),
        max_fact_age=f.get("max_fact_age", age, default=DEFAULT_MAX_FACT_AGE),
        translations=parse_translations(f, CampaignWords, {
            "subject": text, "closing": text, "place": text, "title": text, "sender": text_list,
            "signatories": _signatory_list}),
    )
    if campaign.letterhead and not _template_exists(root, campaign.letterhead):
        f.error(f.line_of("letterhead"), f"letterhead '{campaign.letterhead}' not found in templates/")
    f.done()
    if not problems:
        problems.extend(template_versions.check_campaign_languages(workspace, campaign))
    if problems:
        raise WorkspaceError(problems)
    return campaign


def _signatory_list(value: Any) -> tuple[Signatory, ...]:
    if not isinstance(value, list) or not all(isinstance(item, dict) and "name" in item for item in value):
        raise ValueError("must be a list of 'name:' and 'role:' entries")
    return tuple(Signatory(text(item["name"]), text(item["role"]) if item.get("role") else "")
                 for item in value)


def _subject_in(language: str, subject: str, subjects: dict[str, CampaignWords], f: Fields,
                workspace: Workspace, recipient: str, lf: Fields) -> str:
    """A letter entry's subject in one of its languages: `subject` is in the campaign's language,
    every other language takes it from the entry's `translations`."""
    code = language or f.get("language", text, default="") or workspace.recipients[recipient].language
    own = base_language(f.get("language", text, default="") or DEFAULT_LANGUAGE)
    words = subjects.get(code) or subjects.get(base_language(code))
    if words and words.subject:
        return words.subject
    if base_language(code) == own:
        return subject
    if subject:
        lf.error(lf.line_of("subject"), f"the letter's subject has no {language_name(code)} version",
                 f"'subject' is in {language_name(own)}; add 'translations: {{{code}: {{subject: ...}}}}'")
    return ""


def _letter_recipients(lf: Fields, workspace: Workspace) -> tuple[str, ...]:
    """`recipient: id`, or `recipients:` with ids and `group:NAME` entries, in the order given."""
    if lf.has("recipient") == lf.has("recipients"):
        lf.error(lf.line, "a letter needs either 'recipient: ID' or 'recipients: [ID, group:NAME ...]'")
        for key in ("recipient", "recipients"):
            lf.raw(key)
        return ()
    key = "recipient" if lf.has("recipient") else "recipients"
    names = lf.get(key, text_list, default=())
    found: list[str] = []
    for name in names:
        if name.startswith("group:"):
            group = name.removeprefix("group:")
            if group not in workspace.groups:
                lf.error(lf.line_of(key), f"unknown recipient group '{group}'",
                         suggest(group, workspace.groups) or "groups are defined in recipients/groups.yaml")
                continue
            found.extend(workspace.groups[group])
        elif name not in workspace.recipients:
            lf.error(lf.line_of(key), f"unknown recipient '{name}'",
                     suggest(name, workspace.recipients) or "add recipients/<id>.yaml")
        else:
            found.append(name)
    return tuple(dict.fromkeys(found))


def _template_exists(root: Path, name: str) -> bool:
    templates = (root / "templates").resolve()
    target = (templates / name).resolve()
    return target.is_file() and target.is_relative_to(templates)


def _template_names(root: Path) -> list[str]:
    templates = root / "templates"
    return [p.relative_to(templates).as_posix() for p in templates.rglob("*.md")]
