"""What a figure in prose counts: the noun phrase it quantifies, before or after it.

A figure speaks of a fact when the noun phrase it quantifies names the fact: "nearly 400
political prisoners", "nine women journalists", "political prisoners: 375", "the number of
political prisoners has reached 425", "500 people are held as political prisoners". A noun
that counts almost anything (people, years, citizens, women) links to a fact only when the
fact's own context (a person's name, a keyword, the whole a part belongs to) is in the same
sentence. A number that picks some out of a group ("one of these deportees", "three of
them"), one end of a range ("8-9 other people") and a vague quantity ("hundreds") is no claim
about a whole and is not linked. The words deciding this are in `rules.counting`.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any

from appealkit.checks.figures import Figure
from appealkit.checks.names import word_skeleton
from appealkit.checks.sentences import Sentences, sentences_of
from appealkit.rules import counting
from appealkit.source.records import Fact, Workspace

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CLAUSE_END = re.compile(r"[.;:!?()\[\]]")
#: The characters a clause before a figure starts after (no colon: "prisoners: 375" is one clause).
_CLAUSE_STOPS = ".;!?()[]"
#: A character no `_TOKEN` match holds (it holds letters, digits and inner apostrophes).
_NOT_WORD_CHAR = re.compile(r"[^\w'’]|_")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
#: How far before a figure `_words_before` first reads.
_NEAR = 128
#: How many words (adjectives, "other", "young") may stand between a number and the noun it counts.
MODIFIERS = 3


@functools.lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


@functools.lru_cache(maxsize=262144)
def word_matches(word: str, token: str, language: str) -> bool:
    """"prisoner" names "prisoners", "Gefangene" "Gefangenen", "məhbus" "məhbusların"."""
    if token == word:
        return True
    if len(word) < 4:
        return token == word + "s"
    slack = 5 if language == "az" else 2
    return (token.startswith(word) and len(token) - len(word) <= slack) or (
        len(token) >= 4 and word.startswith(token) and len(word) - len(token) <= 2)


@dataclass(frozen=True)
class Target:
    """A numeric fact or part, the word sequences that name it, and what must surround a generic one."""

    id: str
    fact: Fact
    phrases: tuple[tuple[str, ...], ...]
    generic: bool = False
    names: tuple[str, ...] = ()  # skeletons of the name words that must be in the sentence
    context: tuple[tuple[str, ...], ...] = ()  # or one of these word sequences


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_norm(w) for w in _TOKEN.findall(text))


def _all_generic() -> set[str]:
    return {w for words in counting.GENERIC_NOUNS.values() for w in words}


def targets(workspace: Workspace) -> list[Target]:
    """Every numeric fact and part that declares words to be recognised by."""
    generic_words = _all_generic()
    people = {_norm(n) for p in workspace.people.values() for n in (p.name, *p.variants)}
    found = []
    for fact_id in sorted(workspace.facts):
        fact = workspace.facts[fact_id]
        for target_id, item in [(fact_id, fact), *((f"{fact_id}.{n}", p) for n, p in fact.parts.items())]:
            if not item.is_number:
                continue
            nouns = [item.noun, item.noun_singular]
            keywords = list(item.keywords)
            for translated in item.translations.values():
                nouns += [translated.noun, translated.noun_singular]
                keywords += translated.keywords
            nouns = [n for n in nouns if n]
            generic = any((_phrase(n)[-1:] and _phrase(n)[-1] in generic_words) or
                          (_phrase(n)[:1] and _phrase(n)[0] in generic_words) for n in nouns)
            phrases = {_phrase(t) for t in nouns + keywords if t}
            phrases.discard(())
            if not phrases:
                continue
            names = tuple(sorted({word_skeleton(w) for k in keywords if _norm(k) in people
                                  for w in _TOKEN.findall(k) if len(w) >= 5}))
            context = {_phrase(k) for k in keywords if _norm(k) not in people}
            if item is not fact:  # a part is placed by its whole: "40 journalists, nine women among them"
                context |= {_phrase(t) for t in (fact.noun, fact.noun_singular, *fact.keywords) if t}
                context |= {_phrase(t) for w in fact.translations.values()
                            for t in (w.noun, w.noun_singular) if t}
            context = {c for c in context if c and not all(w in generic_words for w in c)}
            found.append(Target(target_id, item, tuple(sorted(phrases, key=len, reverse=True)), generic,
                                names, tuple(sorted(context))))
    return found


def _key(word: str) -> str:
    return word[:3]


class Counted:
    """Links the figures of one passage to the facts they count."""

    def __init__(self, candidates: list[Target]):
        self.targets = candidates
        #: first three letters of a phrase's first word → (phrase, target); a shorter word's
        #: plural or case ending never changes its first three letters
        self.index: dict[str, list[tuple[tuple[str, ...], Target]]] = {}
        for target in candidates:
            for phrase in target.phrases:
                self.index.setdefault(_key(phrase[0]), []).append((phrase, target))
        longest = max((len(p) for t in candidates for p in t.phrases), default=1)
        #: the words after a figure that `_after` and `_held_as` can reach: modifiers, a phrase,
        #: "are held as", another phrase; reading no further keeps a text of numbers cheap
        self._reach = MODIFIERS + 2 * longest + 10

    def link(self, figure: Figure, figures: list[Figure], text: str, language: str) -> Target | None:
        index = sentences_of(text)
        if self._no_claim(figure, figures, text, language, index):
            return None
        sentence = index.around(figure.start)
        end = max(figure.end, figure.qualifier_start + len(figure.qualifier_text)
                  if figure.qualifier_start > figure.start else figure.end)
        after_end = self._clause_end(text, end)
        head = _words_after(text, end, after_end, MODIFIERS + 1)
        target = None
        if any(_key(w) in self.index for w in head):  # else no phrase can start after the figure
            target = self._after(_words_after(text, end, after_end, self._reach), language, text, sentence)
        if target is None:
            begin = figure.qualifier_start if 0 <= figure.qualifier_start < figure.start else figure.start
            before = _words_before(text, self._clause_start(text, begin), begin, _BEFORE_WORDS)
            target = self._before(before, text, begin, language, sentence)
        return target

    # --- what is no claim about a whole ---------------------------------------------------

    def _no_claim(self, figure: Figure, figures: list[Figure], text: str, language: str,
                  index: Sentences) -> bool:
        if figure.words and _norm(figure.text) in counting.VAGUE_QUANTITIES.get(language, ()):
            return True
        following = _TOKEN.match(text, _skip_space(text, figure.end))
        if following and _norm(following[0]) in counting.PARTITIVE_AFTER.get(language, ()):
            return True
        return _in_range(figure, figures, text, language, index)

    # --- the noun phrase after the number ----------------------------------------------------

    def _after(self, words: list[str], language: str, text: str,
               sentence: tuple[int, int]) -> Target | None:
        ends = counting.PHRASE_ENDS.get(language, set())
        for position in range(min(MODIFIERS + 1, len(words))):
            if position and words[position - 1] in ends:
                break
            match = self._match_at(words, position, language)
            if match is None:
                continue
            target, length = match
            if target.generic:
                specific = self._held_as(words[position + length:], language)
                if specific:
                    return specific
                return target if self._in_context(target, text, sentence, language) else None
            return target
        return None

    def _held_as(self, words: list[str], language: str) -> Target | None:
        """'500 people are held as political prisoners': the noun after 'as' is what is counted."""
        as_words = counting.AS_WORDS.get(language, set())
        for index, word in enumerate(words[:6]):
            if word in as_words:
                for start in (index + 1, index + 2):
                    match = self._match_at(words, start, language)
                    if match and not match[0].generic:
                        return match[0]
            if language == "az" and word in as_words and index:
                for start in range(max(0, index - 3), index):
                    match = self._match_at(words, start, language)
                    if match and not match[0].generic and start + match[1] == index:
                        return match[0]
        return None

    def _match_at(self, words: list[str], position: int, language: str) -> tuple[Target, int] | None:
        best: tuple[Target, int] | None = None
        if position >= len(words):
            return None
        for phrase, target in self.index.get(_key(words[position]), ()):
            if len(phrase) > len(words) - position or (best and len(phrase) <= best[1]):
                continue
            if all(word_matches(w, words[position + i], language) for i, w in enumerate(phrase)):
                best = (target, len(phrase))
        return best

    # --- the noun before the number ------------------------------------------------------------

    def _before(self, words: list[str], text: str, begin: int, language: str,
                sentence: tuple[int, int]) -> Target | None:
        """'political prisoners: 375', 'the number of political prisoners has reached 425'."""
        if not any(_key(w) in self.index for w in words):
            return None  # every answer below is a phrase `_match_at` finds starting at one of them
        linking = counting.LINKING_WORDS.get(language, set())
        heads = counting.NUMBER_OF.get(language, set())
        verbs = counting.COUNT_VERBS.get(language, set())
        colon = _after_colon(text, begin)
        for gap in range(0, 5):
            stop = len(words) - gap
            if stop <= 0 or any(w not in linking and w not in heads and w not in verbs for w in words[stop:]):
                break
            tail = words[:stop]
            if tail and tail[-1] in heads and language == "az":
                tail = tail[:-1]  # "siyasi məhbusların sayı 375"
            elif (not (gap == 0 and colon) and not any(w in heads for w in words[max(0, stop - 6):stop])
                  and not any(w in verbs for w in words[stop:])):  # "the political prisoners number 400"
                tail = []
            for start in range(max(0, len(tail) - 4), len(tail)):
                match = self._match_at(tail, start, language)
                if match and start + match[1] == len(tail):
                    target = match[0]
                    if not target.generic or self._in_context(target, text, sentence, language):
                        return target
            modified = self._before_modifier(words[:stop], words[stop:], language, text, sentence)
            if modified is not None:
                return modified
        return None

    def _before_modifier(self, tail: list[str], linking: list[str], language: str, text: str,
                         sentence: tuple[int, int]) -> Target | None:
        """'the political prisoners of Azerbaijan now number nearly 400': the noun, a short modifier
        of it, then a count verb (or "the number of" before the noun); the noun must head its phrase,
        so "the families of the political prisoners number 400" is not read as prisoners."""
        openers = counting.MODIFIER_OPENERS.get(language, set())
        endings = counting.MODIFIER_ENDINGS.get(language, ())
        heads = counting.NUMBER_OF.get(language, set())
        verbs = counting.COUNT_VERBS.get(language, set())
        if language == "az" and tail and tail[-1] in heads:
            tail, counts = tail[:-1], True
        else:
            counts = any(w in verbs for w in linking)
        for size in range(1, counting.MODIFIER_WORDS + 1):
            at = len(tail) - size
            if at < 1:
                break
            modifier = tail[at:]
            opens = modifier[0] in openers or (modifier[0].startswith(("d'", "d’")) and language == "fr")
            if endings:
                opens = size == 1 and modifier[0].endswith(endings)
            if not opens or any(w in verbs or w in heads for w in modifier):
                continue
            start, match = next(((s, m) for s in range(max(0, at - 4), at)
                                 if (m := self._match_at(tail, s, language)) and s + m[1] == at), (0, None))
            if match is None:
                continue  # the longest noun phrase ending there, or none: never a shorter one inside it
            before = tail[max(0, start - 3):start]
            number_of = any(w in heads for w in before)
            if not (counts or number_of) or (not number_of and any(w in openers for w in before[-2:])):
                continue  # no count verb, or the noun is itself a modifier ("the families of the …")
            target = match[0]
            if not target.generic or self._in_context(target, text, sentence, language):
                return target
        return None

    # --- context ---------------------------------------------------------------------------

    def _in_context(self, target: Target, text: str, sentence: tuple[int, int], language: str) -> bool:
        memo = sentences_of(text).memo
        key = ("context", sentence, target.id, language)
        if key not in memo:
            memo[key] = self._sentence_names(target, text, sentence, language)
        return bool(memo[key])

    def _sentence_names(self, target: Target, text: str, sentence: tuple[int, int], language: str) -> bool:
        if target.names:  # a fact about a person is placed by the person's name, nothing less
            return bool(_sentence_words(text, sentence).skeletons & set(target.names))
        words = _sentence_words(text, sentence)
        for phrase in target.context:
            first = _key(phrase[0])
            if first not in words.at:
                continue
            # "an" also names "ans", whose first three letters differ
            plural = words.at.get(first + "s", []) if len(first) < 3 else []
            for position in sorted({*words.at[first], *plural}):
                if position + len(phrase) <= len(words.words) and all(
                        word_matches(w, words.words[position + i], language) for i, w in enumerate(phrase)):
                    return True
        return False

    @staticmethod
    def _clause_end(text: str, offset: int) -> int:
        match = _CLAUSE_END.search(text, offset, offset + 200)
        return match.start() if match else min(len(text), offset + 200)

    @staticmethod
    def _clause_start(text: str, offset: int) -> int:
        low = max(0, offset - 200)
        return max(low, max(text.rfind(stop, low, offset) for stop in _CLAUSE_STOPS) + 1)


class _Words:
    """The words of one sentence, where each three-letter key stands, and the capitalised words' skeletons."""

    def __init__(self, part: str):
        self.words = [_norm(w) for w in _TOKEN.findall(part)]
        self.at: dict[str, list[int]] = {}
        for position, word in enumerate(self.words):
            self.at.setdefault(_key(word), []).append(position)
        self._part = part
        self._skeletons: set[str] | None = None

    @property
    def skeletons(self) -> set[str]:
        if self._skeletons is None:
            self._skeletons = {word_skeleton(w) for w in _TOKEN.findall(self._part) if w[:1].isupper()}
        return self._skeletons


def _sentence_words(text: str, sentence: tuple[int, int]) -> _Words:
    memo = sentences_of(text).memo
    words = memo.get(("words", sentence))
    if not isinstance(words, _Words):
        words = memo["words", sentence] = _Words(text[sentence[0]:sentence[1]])
    return words


#: The words before a figure that `_before` can reach: four linking words, a phrase of four
#: ending there, "the number of" within six words of the figure.
_BEFORE_WORDS = 12


def _cut_start(text: str, start: int) -> int:
    """Where the words of text[start:…] begin: a word cut by the start is left out."""
    return _skip_word(text, start) if start and text[start - 1:start].isalnum() else start


def _words_after(text: str, start: int, end: int, first: int) -> list[str]:
    """The `first` words of text[start:end], lowercased, a word cut by either end left out."""
    cut = text[end:end + 1].isalnum()
    matches = itertools.islice(_TOKEN.finditer(text, _cut_start(text, start), end), first + 1)
    return [_norm(m[0]) for m in matches if m.end() < end or not cut][:first]


def _words_before(text: str, start: int, end: int, last: int) -> list[str]:
    """The `last` words of text[start:end], lowercased, a word cut by either end left out.

    Read from a little before `end` when that suffices: a match never spans a character that
    no word holds, so the words from there on are the words the whole clause ends with."""
    start = _cut_start(text, start)
    near = end - _NEAR
    found: list[str] = []
    if near > start:
        gap = _NOT_WORD_CHAR.search(text, near - 1, end)
        near = gap.start() + 1 if gap else end
        found = _TOKEN.findall(text, near, end)
    if len(found) <= last:
        found = _TOKEN.findall(text, start, end)
    # the last word ends at `end` exactly when a letter or digit stands before it (every one is in a word)
    if found and text[end:end + 1].isalnum() and _LETTER_OR_DIGIT.match(text, end - 1):
        found.pop()
    return [_norm(w) for w in found[-last:]]


def _skip_word(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isalnum():
        offset += 1
    return offset


def _after_colon(text: str, begin: int) -> bool:
    """'political prisoners: 375': a colon, dash or equals sign, then only spaces up to the figure."""
    offset = begin
    while offset and text[offset - 1].isspace():
        offset -= 1
    return offset > 0 and text[offset - 1] in ":=–—-"


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\n\u00a0\u202f":
        offset += 1
    return offset


_DASH_RANGE = re.compile(r"\s*[-–—/]\s*\d")
_DASH_BEFORE = re.compile(r"\d\s*[-–—/]\s*$")


def _in_range(figure: Figure, figures: list[Figure], text: str, language: str, sentences: Sentences) -> bool:
    """One end of '8-9', '8 to 9', '8 bis 9', 'between 8 and 9', 'entre 8 et 9'."""
    if _DASH_RANGE.match(text, figure.end) or _DASH_BEFORE.search(text, max(0, figure.start - 5),
                                                                  figure.start):
        return True
    joiners = counting.RANGE_JOINERS.get(language, set())
    openers = counting.RANGE_OPENERS.get(language, set())
    key = ("figures", id(figures))
    positions: Any = sentences.memo.get(key)
    if positions is None or positions[0] is not figures:
        first = {f.start: i for i, f in reversed(list(enumerate(figures)))}
        positions = sentences.memo[key] = (figures, first)
    index = positions[1].get(figure.start)
    if index is None:
        return False
    for low, high in ((figures[index - 1] if index else None, figure),
                      (figure, figures[index + 1] if index + 1 < len(figures) else None)):
        if low is None or high is None:
            continue
        between = _norm(text[low.end:high.qualifier_start if 0 <= high.qualifier_start < high.start
                             else high.start].strip())
        if between in joiners:
            return True
        if between in ("and", "und", "et", "və"):
            opener = _TOKEN.findall(text[max(0, low.start - 30):low.start])
            if opener and _norm(opener[-1]) in openers:
                return True
    return False
