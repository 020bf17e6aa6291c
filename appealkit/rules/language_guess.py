"""A text's language guessed from its most common short words, for letters that do not say.

Readers (`read/`) use it to pick the hyphenation dictionary that rejoins a word broken at a
line end; the audit (`checks/`) to read figures and qualifiers in the right language.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

#: Short words that are common in one language the tool reads and in no other.
_MARKERS = {
    "en": {"the", "and", "of", "to", "is", "that", "we", "for", "are", "with", "this"},
    "de": {"der", "die", "und", "das", "nicht", "wir", "ist", "den", "mit", "sind", "im", "auf", "sich"},
    "fr": {"le", "la", "les", "et", "des", "est", "nous", "une", "du", "dans", "sont", "pour"},
    "az": {"və", "bu", "ki", "ilə", "üçün", "biz", "olan", "da", "də"},
}
_MARKER_LANGUAGE = {word: language for language, words in _MARKERS.items() for word in words}
#: Letters only one of the languages writes: a word with one counts like a marker word.
_OWN_LETTERS = {"de": "äß", "fr": "éèêàçœù", "az": "əığş"}
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=1)  # a letter's words are guessed by its reader, then by the audit
def detect_language(text: str, default: str | None = None) -> str:
    """The language of a text from its most common short words; English when unsure.

    With a `default` (the whole letter's language), a passage too short to tell keeps it:
    a bundle such as all-letters.pdf holds letters in several languages.
    """
    lowered = text[:20000].lower()
    words = _LETTERS.findall(lowered)
    # marker words counted in C (this runs once per passage of every letter audited)
    markers = Counter(map(_MARKER_LANGUAGE.get, words))
    counts = {language: markers[language] for language in _MARKERS}
    if not lowered.isascii():  # only a word outside ASCII can have a letter of one language
        for word in words:
            if not word.isascii() and word not in _MARKER_LANGUAGE:
                for code, letters in _OWN_LETTERS.items():
                    if any(letter in word for letter in letters):
                        counts[code] += 1
    best, second = sorted(counts, key=lambda k: -counts[k])[:2]
    # against the letter's own language a passage must speak clearly: one "in" in a German
    # sentence ("sind in Haft") is no English
    clear = counts[best] >= 2 * counts[second] + 2 if default and default != best else True
    if counts[best] > counts[second] and clear:
        return best
    # ə is written in no other language the tool knows: a short Azerbaijani text has it
    if not counts[best] and "ə" in text.lower():
        return "az"
    return default or (best if counts[best] else "en")


