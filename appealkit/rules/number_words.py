"""Number words in the four languages ("nine", "vierhundert", "vingt-deux", "doqquz") as values.

Writing and reading both need them, and the PDF reader asks whether a broken word is a number
word, so they live under `rules/`, below every room that reads letters.
"""

from __future__ import annotations

import functools

from text_to_num import text2num

AZ_NUMBERS = {
    "bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8,
    "doqquz": 9, "on": 10, "iyirmi": 20, "otuz": 30, "qırx": 40, "əlli": 50, "altmış": 60,
    "yetmiş": 70, "səksən": 80, "doxsan": 90, "yüz": 100, "min": 1000, "milyon": 10**6,
    "milyard": 10**9,
}
AZ_SUFFIXES = ("ndən", "ndan", "dən", "dan", "yə", "ya", "ə", "a")


@functools.lru_cache(maxsize=65536)
def word_value(word: str, language: str) -> int | None:
    """The value of one number word ("nine", "vierhundert", "vingt-deux", "doqquz"), else None."""
    word = word.lower()
    if language == "az":
        return _az_value([word])
    if language not in ("en", "de", "fr") or len(word) < 2:
        return None
    try:
        return int(text2num(word, language))
    except (ValueError, IndexError, KeyError):
        return None


def _az_value(words: list[str]) -> int | None:
    total = current = 0
    for index, word in enumerate(words):
        if index == len(words) - 1 and word not in AZ_NUMBERS:
            word = next((word[: -len(s)] for s in AZ_SUFFIXES if word.endswith(s)
                         and word[: -len(s)] in AZ_NUMBERS), word)
        value = AZ_NUMBERS.get(word)
        if value is None:
            return None
        if value == 100:
            current = (current or 1) * 100
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        else:
            current += value
    return total + current


@functools.lru_cache(maxsize=65536)
def phrase_value(words: tuple[str, ...], language: str) -> int | None:
    if language == "az":
        return _az_value([w.lower() for w in words])
    try:
        return int(text2num(" ".join(words), language))
    except (ValueError, IndexError, KeyError):
        return None
