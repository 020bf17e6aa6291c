"""Names of people and organisations in the letters, grouped into one person per name.

A name is a run of capitalised words (or an acronym) that the letters never write in lower
case: "Since Azerbaijan" loses "Since" because "since" is written elsewhere, "Blogger Mohammad
Mirzali" loses "Blogger". Spellings are grouped by the transliteration skeleton `audit` uses
(`checks.names.skeleton`: Vuqar/Vugar, Karimli/Kerimli); acronyms one letter apart
(ASIMKOM/ASMKOM) are grouped too, as a guess the draft marks. The most frequent spelling is
the name; a tie is left to the organiser as a choice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

from appealkit.checks.names import skeleton
from appealkit.importer.letters import SALUTATION, FoundLetter
from appealkit.rules import counting

_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*[\w]|[^\W\d_]")
#: Particles inside a person's name ("Ursula von der Leyen").
PARTICLES = {"von", "van", "der", "de", "da", "al", "el", "bin", "ibn"}


@dataclass
class DraftPerson:
    id: str
    spellings: Counter = field(default_factory=Counter)
    where: dict[str, list[str]] = field(default_factory=dict)  # spelling → places
    acronym: bool = False
    joined_by_guess: bool = False

    @property
    def ranked(self) -> list[str]:
        return [s for s, _ in sorted(self.spellings.items(), key=lambda kv: (-kv[1], self.order(kv[0])))]

    def order(self, spelling: str) -> int:
        return list(self.spellings).index(spelling)

    @property
    def name(self) -> str:
        return self.ranked[0]

    @property
    def tie(self) -> bool:
        counts = sorted(self.spellings.values(), reverse=True)
        return len(counts) > 1 and counts[0] == counts[1]


@dataclass(frozen=True)
class NameSpan:
    paragraph: int
    start: int
    end: int
    found: str
    person: str


def slug(text: str, joiner: str = "_") -> str:
    """An id from any text: "Vuqar Rzayev" → vuqar_rzayev, "ASİMKOM" → asimkom."""
    words = re.findall(r"[a-z0-9]+", anyascii(text).lower())
    return joiner.join(words)[:48].strip(joiner) or "item"


def _lower_words(letters: list[FoundLetter]) -> set[str]:
    """Words the letters write in lower case, and the closed-class words of `rules.counting`
    ("since", "in", "today"), which start sentences without being names."""
    words: set[str] = {w for table in (counting.PHRASE_ENDS, counting.LINKING_WORDS, counting.PARTITIVE_AFTER,
                                       counting.RANGE_OPENERS) for group in table.values() for w in group}
    for letter in letters:
        for paragraph in letter.body:
            words.update(w for w in re.findall(r"[^\W\d_]+", paragraph.text) if w[:1].islower())
    return words


def _mid_sentence(letters: list[FoundLetter]) -> set[str]:
    """Capitalised words seen inside a sentence: only those can start a name at a sentence's start."""
    words: set[str] = set()
    for letter in letters:
        for paragraph in letter.body:
            words.update(m[1] for m in re.finditer(r"(?<![.!?:])\s([^\W\d_]+)", paragraph.text)
                         if m[1][:1].isupper())
    return words


def _capitalised(token: str) -> bool:
    parts = re.split(r"[-]", token)
    return all(p[:1].isupper() for p in parts if p)


def _runs(text: str, language: str = "en") -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words; German capitalises every noun and says "der", so there only
    "von" (and "von der") join the words of a name."""
    particles = {"von", "van"} if language == "de" else PARTICLES
    tokens = list(_TOKEN.finditer(text))
    runs: list[tuple[int, int, list[str]]] = []
    current: list[re.Match[str]] = []

    def close() -> None:
        while current and current[-1][0].lower() in PARTICLES:
            current.pop()
        if current:
            runs.append((current[0].start(), current[-1].end(), [m[0] for m in current]))
        current.clear()

    for token in tokens:
        word = token[0].rstrip(".")
        gap = text[current[-1].end():token.start()] if current else ""
        joins = not current or gap == " "
        if not joins:
            close()
        after_von = language == "de" and word == "der" and current and current[-1][0] == "von"
        if (word.lower() in particles or after_von) and current:
            current.append(token)
            continue
        if (_capitalised(word) and not token[0].endswith(".")) or (word.isupper() and len(word) >= 2):
            possessive = re.search(r"['’]s$", word)
            if possessive:
                current.append(token)
                close()
                continue
            current.append(token)
        else:
            close()
    close()
    return runs


def _trim(words: list[str], lower: set[str]) -> tuple[int, int]:
    """Where a name starts and ends in a run: past the first words the letters also write in lower
    case ("Since", "Blogger"), and before trailing particles."""
    def common(word: str) -> bool:
        low = re.sub(r"['’]s$", "", word).lower()
        return low in lower or low.rstrip("s") in lower or low + "s" in lower

    front, back = 0, len(words)
    while front < back and (common(words[front]) or words[front].lower() in PARTICLES):
        front += 1
    while back > front and words[back - 1].lower() in PARTICLES:  # "Popular Front Party" keeps its "Party"
        back -= 1
    return front, back


def _is_name(words: list[str]) -> bool:
    capital = [w for w in words if w.lower() not in PARTICLES]
    if len(capital) >= 2:
        return True
    return len(capital) == 1 and capital[0].isupper() and len(re.sub(r"\W", "", capital[0])) >= 3


def find_people(letters: list[FoundLetter], reserved: set[str], left_out: Iterable[str] = ()
                ) -> tuple[dict[str, DraftPerson], dict[int, list[NameSpan]]]:
    """People by id, and each letter's name spans (by letter position). `reserved`: names the
    letters' own fields print (recipient, sender), left to them; `left_out`: text beside the
    letters, where spellings of names found in them are counted too (audit reads it as well)."""
    lower = _lower_words(letters)
    inside = _mid_sentence(letters)
    found: list[tuple[int, int, int, int, str]] = []
    for number, letter in enumerate(letters):
        for index, paragraph in enumerate(letter.body):
            if SALUTATION.match(paragraph.text) and len(paragraph.text) < 80:
                continue
            for start, _, words in _runs(paragraph.text, letter.language):
                front, back = _trim(words, lower)
                opens = not paragraph.text[:start].strip() or paragraph.text[:start].rstrip()[-1:] in ".!?:"
                if opens and front == 0 and back - front >= 3 and words[0] not in inside:
                    front = 1  # "Bloggers Orkhan Agayev and …": a sentence's first word, not the name's
                chosen = words[front:back]
                if not _is_name(chosen):
                    continue
                offset = paragraph.text.index(words[0], start)
                for word in words[:front]:
                    offset = paragraph.text.index(word, offset) + len(word)
                begin = paragraph.text.index(chosen[0], offset)
                end = begin
                for word in chosen:
                    end = paragraph.text.index(word, end) + len(word)
                text = re.sub(r"['’]s$", "", paragraph.text[begin:end]).rstrip(".")
                if text in reserved or any(text in r for r in reserved):
                    continue
                found.append((number, index, begin, begin + len(text), text))
    lower = lower | {w for text in left_out for w in re.findall(r"[^\W\d_]+", text) if w[:1].islower()}
    around = [(text, start, words) for text in left_out for start, _, words in _runs(text)]
    extra = []
    for _, _, words in around:
        front, back = _trim(words, lower)
        if _is_name(words[front:back]):
            extra.append(re.sub(r"['’]s$", "", " ".join(words[front:back])).rstrip("."))
    people = _group([f[4] for f in found], extra)
    by_spelling = {s: p for p in people.values() for s in p.spellings}
    for spelling in extra:
        person = by_spelling.get(spelling)
        if person:
            person.spellings[spelling] += 1
            person.where.setdefault(spelling, []).append("text beside the letters")
    spans: dict[int, list[NameSpan]] = {}
    for number, index, start, end, text in found:
        person = by_spelling[text]
        person.spellings[text] += 1
        person.where.setdefault(text, []).append(f"{letters[number].file} letter {letters[number].index}")
        spans.setdefault(number, []).append(NameSpan(index, start, end, text, person.id))
    return _named_for_their_name(people, spans)


def _named_for_their_name(people: dict[str, DraftPerson], spans: dict[int, list[NameSpan]]
                          ) -> tuple[dict[str, DraftPerson], dict[int, list[NameSpan]]]:
    """Ids made from each person's canonical spelling, known only once every spelling is counted."""
    renamed: dict[str, DraftPerson] = {}
    new_ids: dict[str, str] = {}
    for person in people.values():
        pid = slug(person.name)
        while pid in renamed:
            pid += "_2"
        new_ids[person.id] = pid
        person.id = pid
        renamed[pid] = person
    spans = {n: [NameSpan(s.paragraph, s.start, s.end, s.found, new_ids[s.person]) for s in found]
             for n, found in spans.items()}
    return renamed, spans


def _one_apart(a: str, b: str) -> bool:
    """ASIMKOM and ASMKOM: one letter left out."""
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _group(spellings: list[str], beside: list[str]) -> dict[str, DraftPerson]:
    """Spellings into people; a spelling `beside` the letters only joins a person found in them."""
    groups: dict[str, DraftPerson] = {}
    by_key: dict[str, DraftPerson] = {}
    ours = set(spellings)
    for spelling in dict.fromkeys([*spellings, *beside]):
        key = skeleton(spelling)
        person = by_key.get(key)
        acronym = spelling.isupper() and " " not in spelling
        if person is None and acronym:
            ascii_form = anyascii(spelling)
            person = next((p for p in groups.values() if p.acronym and _one_apart(
                anyascii(p.name), ascii_form)), None)
            if person:
                person.joined_by_guess = True
        if person is None and spelling not in ours:
            continue
        if person is None:
            pid = slug(spelling)
            while pid in groups:
                pid += "_2"
            person = groups[pid] = DraftPerson(pid, acronym=acronym)
        by_key[key] = person
        person.spellings[spelling] += 0
    return groups
