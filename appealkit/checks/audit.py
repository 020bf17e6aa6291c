"""Audit letters against the source of truth: every figure and name in the prose, checked.

A figure speaks of a fact when one of the fact's keywords (or its noun) follows it
within a few words: "nearly 350 political prisoners". Then its value, its qualifier,
its age and, for a list, the names given beside it are compared with facts/ and
people/. Letters may come from anywhere (.docx, .pdf, .txt, .md).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from appealkit.checks.attribution import Attributor, sentence_around
from appealkit.checks.counted import Counted, Target, targets
from appealkit.checks.figures import ARTICLES, Figure, find_figures, with_trailing_qualifier
from appealkit.checks.findings import Finding, Graded, sort_key
from appealkit.checks.names import NameIndex, spaced, unpreceded
from appealkit.checks.sentences import sentences_of
from appealkit.choices import day_given
from appealkit.errors import UnreadableLetter, UsageError
from appealkit.read.letter_reader import read_letter
from appealkit.read.normal_text import vocabulary_of
from appealkit.read.passages import LetterText, Passage
from appealkit.rules import counting
from appealkit.rules.language import Language
from appealkit.rules.language_guess import detect_language
from appealkit.rules.name_endings import ENDING
from appealkit.rules.qualifiers import LANGUAGES, MEANINGS, agrees, written_patterns
from appealkit.source.paths import shown_path
from appealkit.source.records import DEFAULT_MAX_FACT_AGE, Age, Fact, Workspace

QUOTE_CHARS = 240
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def figure_text(fact: Fact, language: str = "en") -> str:
    """A fact's figure as a letter in `language` writes it: "about 400", "rund 400", "neun"."""
    writer = Language(language if written_patterns(language) else "en")
    number = fact.numeric
    try:
        written = writer.number(number, fact.format) if number is not None else str(fact.value)
    except (NotImplementedError, OverflowError, ValueError):
        written = str(fact.value)
    return writer.figure(fact.qualifier, number, written)


def noun_in(fact: Fact, language: str, fallback: str) -> str:
    """The fact's noun in the letter's language, else its own."""
    words = fact.translations.get(language)
    return (words and (words.noun or words.noun_singular)) or fact.noun or fallback


def source_text(fact: Fact, language: str = "") -> str:
    """The fact's source in the letter's language when it has one, else its first."""
    if not fact.sources:
        return ""
    source = next((s for s in fact.sources if language and s.language == language), fact.sources[0])
    details = ", ".join(x for x in (source.publisher, source.date.isoformat() if source.date else "") if x)
    return f"{source.title} ({details})" if details else source.title


def quote(text: str, offset: int, passage: Passage | None = None) -> str:
    """The sentence around `offset`, whitespace folded, at most QUOTE_CHARS long; of a `passage`
    normalised for reading, the sentence as the letter writes it."""
    index = sentences_of(text)
    span = index.quoted(offset)
    quoted = index.memo.get(("quote", span))
    if not isinstance(quoted, str):  # each sentence folded once, however many figures it holds
        written = passage.source_text(*span) if passage else text[span[0]:span[1]]
        sentence = re.sub(r"\s+", " ", written).strip()
        quoted = index.memo["quote", span] = (
            sentence if len(sentence) <= QUOTE_CHARS else sentence[: QUOTE_CHARS - 1] + "…")
    return quoted


def _same(a: int | Decimal | str, b: int | Decimal | str) -> bool:
    return Decimal(str(a)) == Decimal(str(b))


@dataclass
class Auditor:
    """Everything needed to audit many letters against one workspace, prepared once."""

    workspace: Workspace
    as_of: datetime.date | None = None
    max_age: Age = DEFAULT_MAX_FACT_AGE

    def __post_init__(self) -> None:
        candidates = targets(self.workspace)
        self.counted = Counted(candidates)
        self.attributor = Attributor(candidates)
        self._expected: dict[tuple[str, str], str] = {}
        self._member_patterns: dict[str, re.Pattern[str]] = {}
        recipients = self.workspace.recipients.values()
        self.names = NameIndex(self.workspace.people, [
            *(r.office for r in recipients), *(r.institution for r in recipients),
            *(r.holder_name for r in recipients)])
        #: words a word broken at a line end may be joined into: names, whatever a dictionary says
        self.vocabulary = vocabulary_of(t for p in self.workspace.people.values()
                                        for t in (p.name, *p.variants))

    def letter(self, letter: LetterText, language: str | None = None) -> list[Finding]:
        """The findings of one letter. Its language, from the strongest signal: `language` given
        outright, then a passage's own declared language, then the words, with the file's declared
        language (else the whole letter's words) standing for a passage too short to tell."""
        overall = language or detect_language(letter.text, letter.language or None)
        findings: list[Finding] = []
        for passage in letter.passages:
            here = language or passage.language or detect_language(passage.text, overall)
            here = here if here in LANGUAGES else detect_language(passage.text, overall)
            findings.extend(self.passage(letter.file, passage, here))
        return sorted(findings, key=sort_key)

    def passage(self, file: str, passage: Passage, language: str,
                kinds: Iterable[str] | None = None) -> list[Finding]:
        findings = []
        text = passage.text
        figures = find_figures(text, language)
        articles = ARTICLES.get(language, set())
        for figure in figures:
            target = self.counted.link(figure, figures, text, language)
            if target is None:
                continue
            if figure.words and figure.qualifier == "exact" and figure.text.lower() in articles:
                continue  # "une pétition", "ein Brief": an article, no count of the fact's noun
            figure = with_trailing_qualifier(figure, text, language)
            chosen = self.attributor.choose(target, figure, text, language)
            if chosen.target:
                findings.extend(self._figure(file, passage, language, figure, chosen.target))
            else:
                findings.append(self._undecided(file, passage, language, figure, chosen.candidates))
        for hit in self.names.find(text):
            findings.append(self._name(file, passage, hit))
        if kinds is not None:
            wanted = set(kinds)
            findings = [f for f in findings if f.kind in wanted]
        return findings

    def _finding(self, file: str, passage: Passage, offset: int, **fields) -> Finding:
        return Finding(file=file, line=passage.line_at(offset), page=passage.page_at(offset),
                       part=passage.part, quote=quote(passage.text, offset, passage), **fields)

    def _figure(self, file: str, passage: Passage, language: str, figure: Figure,
                target: Target) -> list[Finding]:
        fact = target.fact
        expected = self._expected_text(target, language)
        found = figure.shown
        common = {"found": found, "expected": expected, "fact": target.id,
                  "source": source_text(fact, language)}
        at = figure.start
        noun = noun_in(fact, language, target.id)
        tracked = _tracked(passage, figure)
        findings = []
        if not _same(figure.value, fact.value):
            old = next((v for v in fact.history if v.value == figure.value or (
                not isinstance(v.value, str) and _same(v.value, figure.value))), None)
            if old:
                findings.append(self._finding(
                    file, passage, at, kind="stale-figure", severity="error",
                    message=f"'{found}' {noun} was the figure as of {old.as_of}; "
                            f"since {fact.as_of} it is {expected} (fact '{target.id}'){tracked}",
                    hint=_write(expected, figure), **common))
            else:
                findings.append(self._finding(
                    file, passage, at, kind="figure-mismatch", severity="error",
                    message=f"'{found}' {noun}, but the fact '{target.id}' says {expected}{tracked}",
                    hint=_write(expected, figure), **common))
        else:
            drifted = not agrees(figure.qualifier, fact.qualifier, language)
            if drifted or not _in_own_words(figure, fact, language):
                findings.append(self._finding(
                    file, passage, at, kind="qualifier-drift", severity="warning",
                    message=f"'{found}' {noun}, but the fact '{target.id}' says {expected}{tracked}",
                    hint=_write(expected, figure), **common))
            elif fact.format == "words" and not figure.words:
                # the same value in another form ("9 women" where the facts write "nine"): a note
                # on consistency between letters, never a reason to refuse one
                findings.append(self._finding(
                    file, passage, at, kind="figure-form", severity="note",
                    message=f"'{found}' {noun} is the figure of '{target.id}' in digits; the facts "
                            f"write it in words: {expected}{tracked}",
                    hint=_write(expected, figure), **common))
            if self.as_of and fact.as_of < self.max_age.before(self.as_of):
                findings.append(self._finding(
                    file, passage, at, kind="stale-figure", severity="error",
                    message=f"'{found}' {noun} is the figure as of {fact.as_of}, more than "
                            f"{self.max_age} before {self.as_of} (fact '{target.id}'){tracked}",
                    hint="confirm the figure and update 'as_of' in facts/, or revise the letter", **common))
        if fact.members:
            findings.extend(self._list_count(file, passage, language, figure, target, tracked))
        return findings

    def _list_count(self, file: str, passage: Passage, language: str, figure: Figure, target: Target,
                    tracked: str) -> list[Finding]:
        """Names given beside a list's count: all of them, unless an inclusion marker ("including",
        "unter ihnen", "o cümlədən") says they are some; then only more names than the count is wrong."""
        fact = target.fact
        named = self._named_members(passage.text, fact.members or ())
        # one name beside a count is an example ("four refugees, Vuqar Rzayev among them"), not a list
        if len(named) < 2:
            return []
        meaning = MEANINGS.get(figure.qualifier, "exact")
        if meaning in ("above", "at least"):  # "more than 10, A, B, C and D among them": any number fits
            return []
        partial = _inclusion(sentence_around(passage.text, figure.start), language)
        if meaning != "exact" and not partial:
            partial = figure.qualifier_text
        if len(named) == figure.value or (partial and len(named) < figure.value):
            return []
        noun = noun_in(fact, language, target.id)
        some = f" after '{partial}'" if partial else ""
        return [self._finding(
            file, passage, figure.start, kind="list-count", severity="error",
            message=f"'{figure.shown}' {noun}, but the passage names {len(named)}{some}: "
                    f"{', '.join(named)}{tracked}",
            found=figure.shown, expected=str(len(named)), fact=target.id, source=source_text(fact, language),
            hint=f"the list '{target.id}' has {len(fact.members or ())} members")]

    def _undecided(self, file: str, passage: Passage, language: str, figure: Figure,
                   candidates: tuple[Target, ...]) -> Finding:
        """A figure no candidate has, with nothing to tell which it speaks of: every candidate named,
        no figure proposed (a guess, followed, could put another fact's figure in the letter)."""
        noun = noun_in(candidates[0].fact, language, candidates[0].id)
        candidates = tuple(sorted(candidates, key=lambda c: c.id))
        says = "; ".join(f"'{c.id}' says {self._expected_text(c, language)}" for c in candidates)
        ids = ", ".join(c.id for c in candidates)
        return self._finding(
            file, passage, figure.start, kind="figure-mismatch", severity="error",
            message=f"'{figure.shown}' {noun} matches none of the facts that count {noun}: {says}"
                    f"{_tracked(passage, figure)}",
            found=figure.shown, fact=ids,
            hint="the sentence does not tell which fact it cites: add words that say which "
                 "(its keywords), then write that fact's figure")

    def _expected_text(self, target: Target, language: str) -> str:
        expected = self._expected.get((target.id, language))
        if expected is None:
            expected = self._expected[target.id, language] = figure_text(target.fact, language)
        return expected

    def _named_members(self, text: str, members: tuple[str, ...]) -> list[str]:
        memo = sentences_of(text).memo
        named = memo.get(("members", members))
        if not isinstance(named, list):  # once per passage, not once per figure of a list
            named = memo["members", members] = self._members_in(text, members)
        return named

    def _members_in(self, text: str, members: tuple[str, ...]) -> list[str]:
        named = []
        for member in members:
            person = self.workspace.people.get(member)
            if person is None:
                continue
            pattern = self._member_patterns.get(member)
            if pattern is None:
                spellings = "|".join(spaced(s) for s in (person.name, *person.variants))
                pattern = self._member_patterns[member] = re.compile(
                    r"(?:" + spellings + r")" + ENDING + r"?(?!\w)")
            if next(unpreceded(pattern, text), None):  # a word starts there
                named.append(person.name)
        return named

    def _name(self, file: str, passage: Passage, hit) -> Finding:
        person = hit.person
        change = passage.change_at(hit.start, hit.start + len(hit.found))
        tracked = f" (in a tracked change by {change.author}: {_change_text(change)})" if change else ""
        if hit.kind == "variant":
            return self._finding(
                file, passage, hit.start, kind="name-variant", severity="warning",
                message=f"'{hit.found}' is a variant spelling of '{person.name}'{tracked}",
                found=hit.found, expected=person.name, source=str(person.where),
                hint=f"write '{person.name}'")
        return self._finding(
            file, passage, hit.start, kind="name-variant", severity="note",
            message=f"'{hit.found}' may be a spelling of '{person.name}' that people/ does not list",
            found=hit.found, expected=person.name, source=str(person.where),
            hint=f"write '{person.name}', or add '{hit.found}' to its variants if it is someone else's name")


def _write(expected: str, figure: Figure) -> str:
    """The hint that corrects a figure; a qualifier set after its noun must go too, or it stays wrong."""
    if figure.qualifier_start > figure.end + 1:
        return f"write '{expected}', and drop the '{figure.qualifier_text}' after the noun"
    return f"write '{expected}'"


def _inclusion(sentence: str, language: str) -> str:
    """The inclusion marker of the sentence ("including", "darunter"), if it has one."""
    lowered = " ".join(sentence.lower().replace("’", "'").split())
    for marker in counting.INCLUSION_MARKERS.get(language, ()):
        if re.search(r"(?<!\w)" + re.escape(marker) + r"(?!\w)", lowered):
            return marker
    return ""


def _in_own_words(figure: Figure, fact: Fact, language: str) -> bool:
    """An English letter uses the fact's own words: "some 400" reads as about 400, yet it is
    the very drift between letters this tool stops ("about", "some", "roughly" 400)."""
    if language != "en" or fact.qualifier == "exact":
        return True
    written = (written_patterns("en") or {}).get(fact.qualifier, "").replace("{n}", " ")
    return " ".join(figure.qualifier_text.lower().split()) == " ".join(written.lower().split())


def _change_text(change) -> str:
    deleted, inserted = " ".join(change.deleted.split()), " ".join(change.inserted.split())
    if deleted and inserted:
        return f"{deleted} → {inserted}"
    return f"inserted '{inserted}'" if inserted else f"deleted '{deleted}'"


def _tracked(passage: Passage, figure: Figure) -> str:
    """' (in a tracked change by Ann: about 400 → nearly 350)' when a reviewer changed the figure."""
    start = figure.qualifier_start if 0 <= figure.qualifier_start < figure.start else figure.start
    change = passage.change_at(start, figure.end)
    return f" (in a tracked change by {change.author}: {_change_text(change)})" if change else ""


@dataclass(frozen=True)
class AuditResult(Graded):
    findings: tuple[Finding, ...]
    files: int
    unreadable: tuple[Finding, ...] = ()


def audit_day(value: object) -> datetime.date | None:
    """`as_of` checked once, for the CLI and the Python API alike: a typo is not a silent no-date."""
    return day_given(value, "as_of")


@dataclass(frozen=True)
class AuditOptions:
    """What `audit` takes besides the workspace and the files, checked once for the CLI and Python alike.

    `as_of` is the day the letter is sent (a date, or "YYYY-MM-DD"); `language` reads every letter
    in that language, whatever it declares or its words suggest; `max_age` how old a fact may be.
    """

    as_of: datetime.date | None = None
    language: str | None = None
    max_age: Age = DEFAULT_MAX_FACT_AGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", audit_day(self.as_of))
        if self.language is not None and self.language not in LANGUAGES:
            raise UsageError.at("language", None, f"audit cannot read letters in '{self.language}'",
                                f"use one of: {', '.join(LANGUAGES)}")


def audit(workspace: Workspace, paths: list[str | Path], as_of: datetime.date | None = None,
          max_age: Age = DEFAULT_MAX_FACT_AGE, language: str | None = None) -> AuditResult:
    """Audit each letter; a file that cannot be read is reported and the others are still audited.

    The options are those of `AuditOptions`, validated there (`as_of` may be "YYYY-MM-DD").
    """
    return audit_files(workspace, paths, AuditOptions(as_of, language, max_age))


def audit_files(workspace: Workspace, paths: list[str | Path], options: AuditOptions) -> AuditResult:
    """`audit` with its options made: the CLI's way in."""
    as_of, language = options.as_of, options.language
    auditor = Auditor(workspace, as_of, options.max_age)
    findings: list[Finding] = []
    unreadable: list[Finding] = []
    for path in paths:
        shown = shown_path(Path.cwd(), Path(path)) if not Path(path).is_absolute() else str(path)
        try:
            letter = read_letter(Path(path), shown, auditor.vocabulary)
        except UnreadableLetter as exc:
            unreadable.extend(Finding(p.file, p.line, "unreadable", "error", p.message, hint=p.hint)
                              for p in exc.problems)
            continue
        findings.extend(auditor.letter(letter, language))
    return AuditResult(tuple(findings), len(paths), tuple(unreadable))
