"""Figures in the letters grouped into facts: one fact per claim, every wording found kept.

Figures and qualifiers are found by `checks.figures` (the audit's reader). What a figure
counts is the noun phrase after it, cut where `rules.counting` says a phrase ends. The same
claim in several letters ("about 400 political prisoners", "nearly 400 political prisoners")
is one fact, keyed by its noun; a noun that counts almost anything ("nine women", "six
years") is placed by its context as `audit` places it: as a part of the fact counted just
before it in the sentence ("40 journalists, including 9 women"), or by a name in the sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from appealkit.checks.figures import Figure, find_figures
from appealkit.importer.found_people import NameSpan, slug
from appealkit.importer.letters import FoundLetter
from appealkit.rules import counting
from appealkit.rules.qualifiers import MEANINGS

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
#: How many words a noun phrase after a number may have ("two young children", "political prisoners").
NOUN_WORDS = 3
#: English participles end a noun phrase ("six political activists deported from Germany").
_PARTICIPLE = {"en": re.compile(r"(?:ed|ing)$")}


@dataclass(frozen=True)
class Occurrence:
    """A figure as one letter wrote it, and where."""

    letter: int  # position in the list of letters
    paragraph: int
    figure: Figure
    noun: str
    noun_end: int  # where the noun phrase ends in the paragraph
    where: str
    cell: tuple[int, int] | None = None  # (row, column) of a table cell
    sentence: str = ""
    language: str = "en"

    @property
    def qualifier(self) -> str:
        return self.figure.qualifier

    @property
    def value(self) -> int | Decimal:
        return self.figure.value


@dataclass
class DraftFact:
    id: str
    noun: str
    occurrences: list[Occurrence] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    parts: dict[str, DraftFact] = field(default_factory=dict)
    generic: bool = False
    person: str = ""  # the person whose name places a generic figure ("six years", Hamza Mammadli)
    translations: dict[str, str] = field(default_factory=dict)  # language → the noun letters in it write

    @staticmethod
    def _ranked(values: list) -> list:
        counts = Counter(values)
        return sorted(counts, key=lambda v: (-counts[v], values.index(v)))

    @property
    def language(self) -> str:
        return self.occurrences[0].language if self.occurrences else "en"

    def noun_in(self, language: str) -> str:
        return self.noun if language == self.language else self.translations.get(language, "")

    @property
    def values(self) -> list[int | Decimal]:
        return self._ranked([o.value for o in self.occurrences])

    def qualifier_of(self, occurrence: Occurrence) -> str:
        """The qualifier an occurrence gives, as the fact's own language names it: a translation
        may pick another word of the same meaning ("rund 400" for about 400), as audit allows."""
        if occurrence.language == self.language:
            return occurrence.qualifier
        own = self._ranked([o.qualifier for o in self.occurrences if o.language == self.language])
        meaning = MEANINGS.get(occurrence.qualifier)
        return next((q for q in own if MEANINGS.get(q) == meaning), occurrence.qualifier)

    @property
    def qualifiers(self) -> list[str]:
        return self._ranked([self.qualifier_of(o) for o in self.occurrences])

    @property
    def compact(self) -> bool:
        return any(re.search(r"[^\W\d]", o.figure.text) and not o.figure.words for o in self.occurrences)


def _noun(text: str, start: int, language: str) -> tuple[str, int]:
    """The noun phrase after a figure ending at `start`, and where it ends."""
    ends = (counting.PHRASE_ENDS.get(language, set()) | counting.PARTITIVE_AFTER.get(language, set())
            | counting.LINKING_WORDS.get(language, set()))
    participle = _PARTICIPLE.get(language)
    words: list[re.Match[str]] = []
    position = start
    for match in _TOKEN.finditer(text, start):
        gap = text[position:match.start()]
        if gap.strip() or (words and not gap) or len(words) >= NOUN_WORDS:
            break
        word = match[0].lower()
        if word in ends or (words and participle and participle.search(word)) or match[0][:1].isdigit():
            break
        if words and match[0][:1].isupper() and language != "de":
            break
        if language == "de" and words and words[-1][0][:1].isupper() and match[0][:1].islower():
            break  # a German noun ends its phrase: "40 Journalisten festhalten"
        words.append(match)
        position = match.end()
    if not words:
        return "", start
    return text[words[0].start():words[-1].end()], words[-1].end()


def _no_claim(figure: Figure, text: str, language: str) -> bool:
    """Vague quantities, picks out of a group and ends of a range count nothing as a whole."""
    if figure.words and figure.text.lower() in counting.VAGUE_QUANTITIES.get(language, ()):
        return True
    following = _TOKEN.match(text, len(text) - len(text[figure.end:].lstrip()))
    if following and following[0].lower() in counting.PARTITIVE_AFTER.get(language, ()):
        return True
    return bool(re.match(r"\s*[-–—/]\s*\d", text[figure.end:])) or bool(
        re.search(r"\d\s*[-–—/]\s*$", text[max(0, figure.start - 5):figure.start]))


def _sentence(text: str, offset: int) -> tuple[int, int]:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, offset)]
    end = _SENTENCE_END.search(text, offset)
    return (starts[-1] if starts else 0, end.end() if end else len(text))


def _head(noun: str) -> str:
    words = noun.lower().split()
    return re.sub(r"(?:es|s)$", "", words[-1]) if words else ""


def _generic(noun: str, language: str) -> bool:
    generic = counting.GENERIC_NOUNS.get(language, set())
    words = noun.lower().split()
    return bool(words) and (words[-1] in generic or words[0] in generic)


def find_facts(letters: list[FoundLetter], names: dict[int, list[NameSpan]]) -> dict[str, DraftFact]:
    """Every figure of every letter, grouped into facts (parts inside their whole)."""
    groups: dict[tuple, DraftFact] = {}
    for number, letter in enumerate(letters):
        for index, paragraph in enumerate(letter.body):
            if paragraph.kind == "table":
                _table_figures(groups, number, index, letter, paragraph.rows)
                continue
            _prose_figures(groups, number, index, letter, paragraph.text,
                           [s for s in names.get(number, []) if s.paragraph == index])
    return _facts(groups)


def _prose_figures(groups: dict, number: int, index: int, letter: FoundLetter, text: str,
                   spans: list[NameSpan]) -> None:
    language = letter.language
    figures = [f for f in find_figures(text, language, include_articles=False)
               if not _no_claim(f, text, language)]
    wholes: list[tuple[Occurrence, tuple]] = []
    for figure in figures:
        after = max(figure.end, figure.qualifier_start + len(figure.qualifier_text)
                    if figure.qualifier_start > figure.start else figure.end)
        noun, noun_end = _noun(text, after, language)
        sentence = _sentence(text, figure.start)
        occurrence = Occurrence(number, index, figure, noun, noun_end, letter.body[index].where,
                                sentence=text[sentence[0]:sentence[1]], language=language)
        if _generic(noun, language) or not noun:
            whole = next((key for o, key in reversed(wholes) if sentence[0] <= o.figure.start), None)
            person = next((s.person for s in spans if sentence[0] <= s.start < sentence[1]), None)
            context = ("part", whole) if whole else ("person", person) if person else ("none", None)
            key: tuple = (language, _head(noun), context)
        else:
            key = (language, _head(noun))
            wholes.append((occurrence, key))
        groups.setdefault(key, []).append(occurrence)


def _table_figures(groups: dict, number: int, index: int, letter: FoundLetter,
                   rows: tuple[tuple[str, ...], ...]) -> None:
    """A figure in a table counts what its column's heading names ("Political prisoners | 400")."""
    heading = rows[0] if rows else ()
    for row_number, row in enumerate(rows[1:], start=1):
        label = row[0] if row else ""
        for column, cell in enumerate(row):
            for figure in find_figures(cell, letter.language, include_articles=False):
                noun = heading[column] if column < len(heading) else ""
                occurrence = Occurrence(number, index, figure, noun, figure.end, letter.body[index].where,
                                        (row_number, column), cell, letter.language)
                groups.setdefault((letter.language, "table", slug(noun), slug(label)), []).append(occurrence)


def _facts(groups: dict) -> dict[str, DraftFact]:
    facts: dict[str, DraftFact] = {}
    by_key: dict[tuple, DraftFact] = {}
    for key, occurrences in groups.items():
        for chunk in _by_claim(occurrences):
            noun = _common_noun([o.noun for o in chunk])
            base = slug(noun) if noun else "figure"
            if key[1] == "table":
                base = slug(f"{key[3]} {key[2]}")
            elif key[2:] and key[2][0] == "person":
                base = f"{base}_{key[2][1]}"
            fact = DraftFact(base, noun, list(chunk), generic=len(key) > 2 and key[1] != "table")
            if key[2:] and key[2][0] == "person":
                fact.person = key[2][1]
            if len(key) > 2 and key[2][0] == "part" and key[2][1] in by_key:
                whole = by_key[key[2][1]]
                name = _unique(slug(noun) or "part", whole.parts)
                fact.id = name
                whole.parts[name] = fact
                continue
            if fact.generic and not fact.person:
                fact.keywords = context_words(chunk)
            fact.id = _unique(fact.id, facts)
            facts[fact.id] = fact
            by_key.setdefault(key, fact)
    return facts


def context_words(occurrences: list[Occurrence]) -> list[str]:
    """Words that place a figure counting "citizens" or "people": long words of its sentence that
    every letter writing it has there too, nearest the figure first (at most two)."""
    def long_words(occurrence: Occurrence) -> list[str]:
        words = [w for w in _TOKEN.findall(occurrence.sentence) if len(w) >= 6 and w.islower()]
        figure = occurrence.figure
        own = {*occurrence.noun.split(), *figure.text.split(), *figure.qualifier_text.split()}
        return [w for w in words if w not in own]

    first = long_words(occurrences[0])
    shared = [w for w in dict.fromkeys(first) if all(w in long_words(o) for o in occurrences[1:])]
    at = occurrences[0].sentence.find(occurrences[0].figure.text)
    shared.sort(key=lambda w: abs(occurrences[0].sentence.find(w) - at))
    return shared[:2]


def _by_claim(occurrences: list[Occurrence]) -> list[list[Occurrence]]:
    """One claim per group, unless a letter gives two values for it: then one fact per value."""
    per_letter = Counter((o.letter, o.value) for o in occurrences)
    letters_with_two = {o.letter for o in occurrences if sum(
        1 for (letter, _), n in per_letter.items() if letter == o.letter) > 1}
    if not letters_with_two:
        return [occurrences]
    values: dict = {}
    for occurrence in occurrences:
        values.setdefault(occurrence.value, []).append(occurrence)
    return list(values.values())


def _common_noun(nouns: list[str]) -> str:
    """The words every occurrence's noun ends with: "attacks" of "attacks" and "prior attacks"."""
    split = [n.split() for n in nouns if n]
    if not split:
        return ""
    common = split[0]
    for words in split[1:]:
        size = 0
        while size < min(len(common), len(words)) and common[-1 - size].lower() == words[-1 - size].lower():
            size += 1
        common = common[len(common) - size:] if size else common if not words else common[-1:]
    return " ".join(common)


def _unique(name: str, taken: dict) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate
