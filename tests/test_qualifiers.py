"""The qualifier rulebook: complete for every language, unambiguous when read, one meaning per wording."""

from __future__ import annotations

import pytest

from appealkit.checks.figures import find_figures
from appealkit.rules.qualifiers import (
    LANGUAGES,
    MEANINGS,
    QUALIFIER_IDS,
    QUALIFIERS,
    agrees,
    reading_forms,
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_writes_every_qualifier_with_the_number_in_it(language):
    table = QUALIFIERS[language]
    assert tuple(table) == QUALIFIER_IDS
    for wording in table.values():
        assert all(form.count("{n}") == 1 for form in wording.forms)


def test_every_qualifier_has_a_meaning():
    assert set(MEANINGS) == set(QUALIFIER_IDS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wording_shared_by_two_qualifiers_means_the_same_for_both(language):
    owners: dict[str, set[str]] = {}
    for qualifier, wording in QUALIFIERS[language].items():
        for form in wording.forms:
            owners.setdefault(form, set()).add(qualifier)
    for form, qualifiers in owners.items():
        assert len({MEANINGS[q] for q in qualifiers}) == 1, (form, qualifiers)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_accepted_wording_is_read_as_its_qualifier(language):
    for form, qualifier in reading_forms(language):
        # a case ending follows the number's vowels, as the writer fills it in
        text = form.format(n="400", abl="-dən", dat="-ə") + " x"
        figures = find_figures(text, language)
        assert [f.value for f in figures] == [400], text
        assert agrees(figures[0].qualifier, qualifier, language), (text, figures[0].qualifier)


def test_english_qualifiers_compare_exactly_translations_by_meaning():
    assert not agrees("nearly", "about", "en")
    assert agrees("around", "about", "de")
    assert agrees("fewer than", "less than", "fr")
    assert not agrees("more than", "about", "fr")
