"""Hyphenation: Pyphen covers en, de and fr; appealkit's own dictionary covers Azerbaijani."""

from __future__ import annotations

import pyphen
import pytest

from appealkit.write import hyphenation


def test_the_shipped_azerbaijani_dictionary_is_the_rule():
    assert hyphenation.AZ_DICTIONARY.read_text(encoding="utf-8") == hyphenation.azerbaijani_patterns()


@pytest.mark.parametrize(("word", "expected"), [
    ("Azərbaycan", "Azər-bay-can"),  # no break after a single first letter
    ("transmilli", "trans-mil-li"),
    ("hakimiyyətinin", "ha-ki-miy-yə-ti-nin"),
    ("deportasiyalar", "de-por-ta-si-ya-lar"),
])
def test_azerbaijani_breaks_before_the_consonant_that_opens_a_syllable(word, expected):
    hyphenation.register()
    assert pyphen.Pyphen(lang="az").inserted(word) == expected


@pytest.mark.parametrize("language", ["en", "de", "fr", "az"])
def test_every_language_of_appealkit_hyphenates(language):
    assert hyphenation.hyphenates(language)
