"""Load and validate a workspace: facts, people and recipients as plain records.

Every file is read whole and every problem in it is reported before the load stops,
so an organiser fixes a file in one go instead of one error per run.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from appealkit.errors import Problem, WorkspaceError
from appealkit.rules.language import GENDERS, ROLES
from appealkit.rules.qualifiers import QUALIFIER_IDS
from appealkit.source.paths import shown_path
from appealkit.source.records import (
    FORMATS,
    GROUPS_FILE,
    KINDS,
    LETTER_LAYOUTS,
    Age,
    Fact,
    FactVersion,
    Person,
    Recipient,
    Source,
    Term,
    Where,
    Workspace,
)
from appealkit.source.template_images import image_problem
from appealkit.source.translations import FactWords, PersonWords, RecipientWords, parse_translations
from appealkit.source.yamlsource import (
    Fields,
    date,
    email,
    email_list,
    ident,
    key_line,
    load_yaml,
    one_of,
    suggest,
    text,
    text_list,
)


def age(value: Any) -> Age:
    """`12 months`, `90 days`, `1 year`."""
    match = re.fullmatch(r"(\d+)\s*(day|days|month|months|year|years)", text(value).lower())
    if not match or int(match[1]) == 0:
        raise ValueError("must be a span such as '12 months', '90 days' or '1 year'")
    unit = match[2] if match[2].endswith("s") else match[2] + "s"
    return Age(int(match[1]), unit)




def _source(data: Any, file: str, problems: list[Problem], what: str) -> Source | None:
    f = Fields(data, file, problems, what)
    if not f.ok:
        return None
    source = Source(
        title=f.get("title", text, required=True) or "",
        publisher=f.get("publisher", text, default=""),
        url=f.get("url", text, default=""),
        date=f.get("date", date),
        language=f.get("language", text, default=""),
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
    qualifier = f.get("qualifier", one_of(*QUALIFIER_IDS), default="exact")
    if isinstance(value, str) and qualifier != "exact":
        f.error(f.line_of("qualifier"), f"{what} is a text, so it cannot have a qualifier",
                "remove 'qualifier' or give a number as 'value'")
    fact = Fact(
        id=fid,
        value=value,
        as_of=as_of,  # type: ignore[arg-type]  # None only after an error: the fact is then dropped
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
                    f.error(key_line(raw_parts, name), f"part '{name}': {exc}")
                    continue
                part = _fact(name, part_data, file, problems, fact, key_line(raw_parts, name))
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
        qualifier = hf.get("qualifier", one_of(*QUALIFIER_IDS), default="exact")
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


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(value: Any) -> str:
    result = text(value)
    if not _COLOUR.fullmatch(result):
        raise ValueError(f"'{result}' is not a colour; write it as #RRGGBB, e.g. '#1f3a5f' (in quotes)")
    return result


def _person(pid: str, data: Any, file: str, problems: list[Problem], line: int | None,
            root: Path | None = None) -> Person | None:
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
        address=f.get("address", text_list, default=()),
        phone=f.get("phone", text, default=""),
        email=f.get("email", text, default=""),
        website=f.get("website", text, default=""),
        logo=f.get("logo", text, default=""),
        colour=f.get("colour", _colour, default=""),
    )
    if person.logo and root is not None:
        problem = image_problem(root, person.logo, "logo", (".png",), "save the logo as .png")
        if problem:
            f.error(f.line_of("logo"), *problem)
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
    if f.raw("term") is None:  # one line for a missing term, not a second about its shape
        f.error(f.line, f"recipient '{rid}' is missing 'term'",
                "add 'term:' with 'from:' (and 'to:' when the term has an end) and a 'source:'")
    term_fields = Fields(f.raw("term") if f.raw("term") is not None else {}, file, problems, "'term'",
                         f.line_of("term"))
    start = term_fields.get("from", date, required=f.raw("term") is not None)
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
        term=Term(start, end, term_source) if start else None,  # type: ignore[arg-type]  # as as_of
        salutation=f.get("salutation", text, default=""),
        address=f.get("address", text_list, required=True, default=()),
        language=f.get("language", text, required=True),
        email=f.get("email", email, default=""),
        cc=f.get("cc", email_list, default=()),
        where=Where(file, f.line),
        translations=parse_translations(f, RecipientWords, {
            "salutation": text, "office": text, "institution": text, "address": text_list}),
        role=f.get("role", one_of(*ROLES), default=""),
        gender=f.get("gender", one_of(*GENDERS), default=""),
        layout=f.get("layout", one_of(*LETTER_LAYOUTS), default=""),
    )
    f.done()
    return recipient if len(problems) == before else None


def _yaml_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    # not only regular files: a FIFO or a device named *.yaml is refused by name, not skipped
    return sorted(p for p in directory.glob("*.yaml") if not p.is_dir()) if directory.is_dir() else []


def _load_each(root: Path, folder: str, problems: list[Problem],
               skip: str = "") -> list[tuple[Path, str, Any]]:
    """(path, shown path, data) of each YAML file in `folder` but `skip` that loads; the others' problems
    are noted."""
    loaded = []
    for path in _yaml_files(root, folder):
        if path.name == skip:
            continue
        shown = shown_path(root, path)
        try:
            loaded.append((path, shown, load_yaml(path, shown, root)))
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
        line = key_line(data, key)
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
                                "give the folder that holds facts/ and campaigns/")
    problems: list[Problem] = []
    people: dict[str, Person] = {}
    for _, shown, data in _load_each(root, "people", problems):
        for pid, value, line in _entries(shown, data, problems, "person"):
            if pid in people:
                problems.append(Problem(shown, line, f"person '{pid}' is defined twice",
                                        f"first in {people[pid].where}"))
                continue
            person = _person(pid, value, shown, problems, line, root)
            if person:
                people[pid] = person
    # a people file that failed to load would make every reference to it look wrong
    check_people = not problems
    facts: dict[str, Fact] = {}
    for _, shown, data in _load_each(root, "facts", problems):
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
    for path, shown, data in _load_each(root, "recipients", problems, skip=GROUPS_FILE):
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
    if not path.exists() and not path.is_symlink():
        return {}
    shown = shown_path(root, path)
    try:
        data = load_yaml(path, shown, root)
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

