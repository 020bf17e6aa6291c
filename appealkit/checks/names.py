"""Spellings of people and organisations: known variants, and names that transliterate alike.

Azerbaijani names drift between ə/a/e, q/g, x/kh and Russian-style g/h. Plain fuzzy
ratios confuse different people (Mammadov and Mahmudov are 75 % alike); comparing a
transliterated *skeleton* of the whole name keeps them apart while joining
Vuqar/Vugar, Karimli/Kerimli and Orxan/Orkhan.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from anyascii import anyascii

from appealkit.rules.name_endings import ENDING
from appealkit.source.records import Person

_WORD = re.compile(r"[^\W\d_]+")
_SKELETON_STEPS = (("kh", "h"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("x", "h"), ("q", "g"),
                   ("g", "h"), ("j", "c"), ("e", "a"), ("w", "v"))


@functools.lru_cache(maxsize=65536)
def word_skeleton(word: str) -> str:
    """One word reduced to what survives transliteration: `Məmmədov` and `Mammadov` → `mamadov`."""
    result = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for old, new in _SKELETON_STEPS:
        result = result.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", result)


def skeleton(name: str) -> str:
    return " ".join(word_skeleton(w) for w in _WORD.findall(name))


@dataclass(frozen=True)
class NameHit:
    """A spelling found in a text: `variant` is listed in people/, `similar` only looks alike."""

    start: int
    end: int
    found: str
    person: Person
    kind: str


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """The names as one pattern, to be looked for with `unpreceded` (a word starts there)."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?P<name>" + "|".join(spaced(n) for n in ordered) + r")" + ENDING + r"?(?!\w)")


_WORD_CHAR = re.compile(r"\w")


def unpreceded(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches `finditer` gives for `pattern` with `(?<!\\w)` before it, found without it: a
    lookbehind first kept the engine from skipping to a name's first letters, and it tried the
    whole alternation at every position of the text (some 80 us a passage against 2)."""
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and _WORD_CHAR.match(text, start - 1):
            position = start + 1  # inside a word: look again from the next character
            continue
        yield match
        position = max(match.end(), start + 1)


def spaced(name: str) -> str:
    """A regular expression for `name` that allows any run of whitespace (PDF line breaks) between words."""
    return r"\s+".join(re.escape(part) for part in name.split())


def folded(text: str) -> str:
    return " ".join(text.split())


def short_form(variant: str, person: Person) -> bool:
    """"Bundestag" for "German Bundestag": part of the name, so a short form rather than a misspelling."""
    pattern = re.compile(r"(?<!\w)" + spaced(variant) + r"(?!\w)")
    return any(pattern.search(text) for text in (person.name, person.long_name) if text)


def _translated(person: Person) -> list[str]:
    """An organisation's name and long name in the letter languages of `translations:`."""
    return [text for words in getattr(person, "translations", {}).values()
            for text in (words.name, words.long_name) if text]


class NameIndex:
    """Every spelling of every person and organisation of a workspace, ready to search texts.

    `canonical` texts (names, long names, and phrases such as recipient offices) are never
    reported, and a variant inside one of them ("Committee of Ministers" in "President of
    the Committee of Ministers") is part of it, not a variant.
    """

    def __init__(self, people: dict[str, Person], canonical: Iterable[str] = ()):
        self.people = people
        self._canonical: dict[str, Person | None] = {t: None for t in canonical if t}
        for person in people.values():
            for text in (person.name, person.long_name, *_translated(person)):
                if text:
                    self._canonical[text] = person
        self._variants: dict[str, Person] = {}
        for person in people.values():
            for variant in person.variants:
                if variant not in self._canonical and not short_form(variant, person):
                    self._variants.setdefault(variant, person)
        self._pattern = _pattern([*self._canonical, *self._variants])
        self._skeletons: dict[tuple[int, str], Person] = {}
        self._spellings: dict[str, set[str]] = {}
        for person in people.values():
            spellings = {person.name, *person.variants, *_translated(person)}
            self._spellings[person.id] = spellings
            for spelling in spellings:
                words = _WORD.findall(spelling)
                if words:
                    self._skeletons.setdefault((len(words), skeleton(spelling)), person)
        self._lengths = sorted({n for n, _ in self._skeletons}, reverse=True)
        self._first_words = {key.split(" ")[0] for _, key in self._skeletons}

    def find(self, text: str, similar: bool = True) -> list[NameHit]:
        """Listed variants in `text`, and (with `similar`) names that transliterate like a known one."""
        hits: list[NameHit] = []
        taken: list[tuple[int, int]] = []
        if self._pattern:
            for match in unpreceded(self._pattern, text):
                taken.append(match.span())
                found = folded(match["name"])  # "Vugar Rzayevs Ermordung": the name without its ending
                person = self._variants.get(found)
                if person and found not in self._canonical:
                    hits.append(NameHit(match.start(), match.end("name"), found, person, "variant"))
        if similar:
            hits.extend(self._similar(text, taken))
        return sorted(hits, key=lambda h: h.start)

    def _similar(self, text: str, taken: list[tuple[int, int]]) -> list[NameHit]:
        words = list(_WORD.finditer(text))
        hits: list[NameHit] = []
        index = 0
        # a name starts with a capital: only those words are visited (most of a letter is not)
        for candidate in [i for i, word in enumerate(words) if word[0][:1].isupper()]:
            if candidate < index:
                continue  # inside the name found before
            index = candidate
            first = words[index]
            if (word_skeleton(first[0]) not in self._first_words
                    or _overlaps(taken, first.start(), first.start() + 1)):
                continue
            for length in self._lengths:
                window = words[index:index + length]
                if len(window) < length or not all(
                        text[a.end():b.start()].isspace() for a, b in itertools.pairwise(window)):
                    continue
                key = " ".join(word_skeleton(w[0]) for w in window)
                person = self._skeletons.get((length, key))
                found = folded(text[window[0].start():window[-1].end()])
                overlaps = _overlaps(taken, window[0].start(), window[-1].end())
                if person and found not in self._spellings[person.id] and not overlaps:
                    hits.append(NameHit(window[0].start(), window[-1].end(), found, person, "similar"))
                    index += length - 1
                    break
            index += 1
        return hits


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether start:end overlaps one of `taken`, spans in order that do not overlap each other
    (the matches of one pattern): a bisect, so a letter full of names stays linear."""
    index = bisect.bisect_right(taken, (start, float("inf"))) - 1
    if index >= 0 and taken[index][1] > start:
        return True
    return index + 1 < len(taken) and taken[index + 1][0] < end
