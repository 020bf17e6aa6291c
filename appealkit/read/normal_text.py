"""One normalisation step for every reader: the text a check reads, whatever a letter was made with.

Text pasted from a PDF or typeset elsewhere carries forms that hide a figure or a name from the
checks: ligatures ("ﬁve"), soft hyphens, non-breaking and thin spaces, and words broken at a line
end ("journal-⏎ists", "polit-⏎ical"). Each passage is read as Unicode NFKC, with soft hyphens
and zero-width characters dropped, every kind of space a plain space (between two digits a narrow
no-break space, so "12 500" stays one number) and a word broken at a line end joined again when
the hyphenation dictionary of the letter's language breaks the word there, or when the joined word
is one the caller knows (a name in people/). A hyphen before a capital or a digit, or between two
parts the dictionary would not break ("Euro-⏎integration"), is the writer's and stays.

The passage keeps its original text (`Passage.source`) for quoting, and its lines, pages and
tracked changes are moved to the new offsets, so a finding still points at the original line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from appealkit.read.passages import Change, Passage

#: Characters a reader never sees: soft hyphen, zero-width space and joiners, word joiner, BOM.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: Characters NFKC would turn into something else that changes a reading: superscript and
#: subscript digits are footnote marks ("10²" is ten, footnote 2, not 102).
KEPT = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉")
_BROKEN = re.compile(r"[-\u2010][ \t]*\r?\n[ \t]*(?=[^\W\d_])")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_WORD_AFTER = re.compile(r"[^\W\d_]+")
#: Pyphen's dictionary for each language a letter may be in.
DICTIONARIES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "az": "az"}


@functools.lru_cache(maxsize=8)
def _dictionary(language: str):
    import pyphen

    from appealkit.write.hyphenation import register

    register()
    name = DICTIONARIES.get(language)
    return pyphen.Pyphen(lang=name) if name and pyphen.language_fallback(name) else None


@functools.lru_cache(maxsize=16384)
def breaks_at(word: str, position: int, language: str) -> bool:
    """Whether the hyphenation dictionary of `language` breaks `word` after `position` letters."""
    dictionary = _dictionary(language)
    return bool(dictionary) and position in dictionary.positions(word.lower())


def _joined(before: str, after: str, language: str, vocabulary: frozenset[str]) -> bool:
    """Whether "before-⏎after" is one word a typesetter broke, rather than a compound."""
    first, second = _WORD_BEFORE.search(before), _WORD_AFTER.match(after)
    if not first or not second or not second[0][:1].islower():
        return False
    word = first[0] + second[0]
    return word.lower() in vocabulary or breaks_at(word, len(first[0]), language)


def _space(text: str, index: int) -> str:
    """A space of any kind as a plain one; between two digits a narrow no-break space (a group)."""
    if text[index - 1:index].isdigit() and text[index + 1:index + 2].isdigit():
        return "\u202f"
    return " "


def unchanged(text: str) -> bool:
    """Whether normalising leaves `text` as it is (C-speed checks, so most letters cost nothing)."""
    return (unicodedata.is_normalized("NFKC", text) and not _BROKEN.search(text)
            and not any(c in text for c in INVISIBLE))


def normalise(text: str, language: str = "en",
              vocabulary: frozenset[str] = frozenset()) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters (and its end), the offset it came from."""
    if unchanged(text):
        return text, [*range(len(text) + 1)]
    out: list[str] = []
    origin: list[int] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in INVISIBLE:
            index += 1
            continue
        if char in "-\u2010":
            broken = _BROKEN.match(text, index)
            after = text[broken.end():broken.end() + 40] if broken else ""
            if broken and _joined("".join(out[-40:]), after, language, vocabulary):
                index = broken.end()
                continue
        end = index + 1
        while end < length and unicodedata.combining(text[end]):
            end += 1
        cluster = text[index:end]
        if char in KEPT or cluster.isascii():
            shown = cluster
        elif unicodedata.category(char) == "Zs":
            shown = _space(text, index)
        else:
            shown = unicodedata.normalize("NFKC", cluster)
        out.extend(shown)
        origin.extend([index] * len(shown))
        index = end
    origin.append(length)
    return "".join(out), origin


def normalised(passage: Passage, language: str = "en", vocabulary: Iterable[str] = frozenset()) -> Passage:
    """The passage as the checks read it; unchanged (the same object) when nothing changes."""
    if unchanged(passage.text):
        return passage
    words = vocabulary if isinstance(vocabulary, frozenset) else frozenset(vocabulary)
    text, origin = normalise(passage.text, language, words)
    if text == passage.text:
        return passage

    def moved(offset: int) -> int:
        # the first character that came from at or after `offset`
        low, high = 0, len(origin) - 1
        while low < high:
            middle = (low + high) // 2
            if origin[middle] < offset:
                low = middle + 1
            else:
                high = middle
        return low

    starts = tuple(moved(s) for s in passage.line_starts)
    changes = tuple(Change(moved(c.start), moved(c.end), c.author, c.deleted, c.inserted)
                    for c in passage.changes)
    return Passage(text, passage.line, passage.page, starts, passage.line_numbers, passage.line_pages,
                   passage.part, changes, passage.comment, source=passage.text, source_at=tuple(origin),
                   language=passage.language)


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The words of names and phrases, lower case: a word broken at a line end is joined when it is one."""
    return frozenset(w.lower() for text in texts for w in _WORD_AFTER.findall(text) if len(w) >= 4)
