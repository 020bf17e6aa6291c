"""Hyphenation for the PDF: Pyphen's dictionaries, plus one for Azerbaijani, which Pyphen lacks.

Pyphen ships en, de and fr (WeasyPrint's `hyphens: auto` uses them through the `lang` of the
page) but no Azerbaijani. Azerbaijani hyphenates by a plain rule of its orthography: every
syllable has one vowel, and a single consonant, or the last of a group of consonants, goes
with the vowel after it (A-zər-bay-can, trans-mil-li). That rule is one Liang pattern per
consonant and vowel, `1bə`, written to `hyph_az.dic` beside this module.
"""

from __future__ import annotations

from pathlib import Path

import pyphen

AZ_VOWELS = "aıoueəiöü"
AZ_CONSONANTS = "bcçdfgğhxkqlmnprsştvyzj"
AZ_DICTIONARY = Path(__file__).with_name("hyph_az.dic")


def azerbaijani_patterns() -> str:
    """The text of hyph_az.dic: a break before the consonant that opens each syllable."""
    patterns = [f"1{c}{v}" for c in AZ_CONSONANTS for v in AZ_VOWELS]
    return "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 2\n" + "\n".join(patterns) + "\n"


def register() -> None:
    """Make `lang="az"` hyphenate in WeasyPrint, which asks Pyphen by language."""
    if "az" not in pyphen.LANGUAGES:
        pyphen.LANGUAGES["az"] = AZ_DICTIONARY
        pyphen.LANGUAGES_LOWERCASE["az"] = "az"


def hyphenates(language: str) -> bool:
    """Whether the PDF of a letter in `language` can hyphenate."""
    register()
    return pyphen.language_fallback(language) is not None
