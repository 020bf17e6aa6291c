"""What a figure counts: the word tables of `rules.counting` applied to short sentences of our own."""

from __future__ import annotations

import random

import pytest
from audit_corpus import WORKSPACE

from appealkit.checks import counted as counted_module
from appealkit.checks.counted import Counted, targets, word_matches
from appealkit.checks.figures import find_figures
from appealkit.source.workspace import load_workspace


@pytest.fixture(scope="module")
def counted() -> Counted:
    return Counted(targets(load_workspace(WORKSPACE)))


def linked(counted: Counted, text: str, language: str = "en") -> list[tuple[str, str | None]]:
    figures = find_figures(text, language)
    return [(f.text, getattr(counted.link(f, figures, text, language), "id", None)) for f in figures]


@pytest.mark.parametrize(("word", "token", "language", "expected"), [
    ("prisoner", "prisoners", "en", True),
    ("gefangene", "gefangenen", "de", True),
    ("məhbus", "məhbusların", "az", True),
    ("məhbus", "məhbusların", "en", False),
    ("an", "and", "fr", False),
    ("an", "ans", "fr", True),
])
def test_a_word_names_its_plural_and_case_forms(word, token, language, expected):
    assert word_matches(word, token, language) is expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("They counted 410 political prisoners.", "en", [("410", "political_prisoners")]),
    ("They counted 410 jailed political prisoners.", "en", [("410", "political_prisoners")]),
    ("Of political prisoners: 410.", "en", [("410", "political_prisoners")]),
    ("The count of political prisoners now stands at 410.", "en", [("410", "political_prisoners")]),
    ("410 people are held as political prisoners.", "en", [("410", "political_prisoners")]),
    ("410 people marched through the city.", "en", [("410", None)]),
    ("We spoke to 7-8 witnesses and 3 to 4 lawyers.", "en", [("7", None), ("3", None), ("4", None)]),
    ("Seven of the political prisoners were moved.", "en", [("Seven", None)]),
    ("Anzahl der politischen Gefangenen: 410.", "de", [("410", "political_prisoners")]),
    ("Hamza Mammadli served two years before his trial.", "en", [("two", "hamza_mammadli_sentence")]),
    ("His cousin served two years before his trial.", "en", [("two", None)]),
])
def test_a_figure_links_to_the_fact_its_noun_phrase_names(counted, text, language, expected):
    assert linked(counted, text, language) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The political prisoners now number nearly 400.", [("400", "political_prisoners")]),
    ("Die politischen Gefangenen zählen heute 410.", [("410", "political_prisoners")]),
])
def test_a_count_verb_puts_the_noun_before_its_number(counted, text, expected):
    language = "de" if "Gefangenen" in text else "en"
    assert linked(counted, text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("The political prisoners of Azerbaijan now number nearly 400.", "en", [("400", "political_prisoners")]),
    ("The number of political prisoners in the country is close to 410.", "en",
     [("410", "political_prisoners")]),
    ("Die politischen Gefangenen in Aserbaidschan zählen heute 410.", "de", [("410", "political_prisoners")]),
    ("Die Zahl der politischen Gefangenen im Land liegt bei 410.", "de", [("410", "political_prisoners")]),
    ("Les prisonniers politiques en Azerbaïdjan se chiffrent à 410.", "fr", [("410", "political_prisoners")]),
    ("Les prisonniers politiques d'Azerbaïdjan comptent 410 noms.", "fr", [("410", "political_prisoners")]),
    ("Siyasi məhbusların ölkədə sayı 410-dur.", "az", [("410", "political_prisoners")]),
    # the noun modifies another, or no count verb joins them: no claim about the prisoners
    ("The families of the political prisoners of Azerbaijan now number nearly 410.", "en", [("410", None)]),
    ("The lawyers of political prisoners in Baku now number about 12.", "en", [("12", None)]),
    ("The political prisoners of Azerbaijan met 12 lawyers.", "en", [("12", None)]),
    ("Die Anwälte der politischen Gefangenen in Baku zählen 12.", "de", [("12", None)]),
])
def test_a_modifier_may_stand_between_the_noun_and_its_count_verb(counted, text, language, expected):
    assert linked(counted, text, language) == expected


def _clause_words(text: str, start: int, end: int) -> list[str]:
    """Every word of text[start:end], read from the clause's start: a word cut by either end left out."""
    while start and start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start += 1
    words = [(m.end(), m[0].lower().replace("’", "'")) for m in counted_module._TOKEN.finditer(text, start, end)]
    return [w for stop, w in words if stop < end or not text[end:end + 1].isalnum()]


def test_the_words_before_a_figure_are_the_last_words_of_its_whole_clause():
    """They are read from a little before the figure when that holds enough of them: never a word cut
    there, never fewer than the clause's own last words (long words, apostrophes, digits, underscores)."""
    rng = random.Random(20)
    pieces = ["a", "prisoners", "extraordinarily", "d'entre", "don’t", "410", "_", " ", " ", "  ", "-", "ə", "x'"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        end = rng.randint(0, len(text))
        start = rng.randint(0, end)
        for last in (1, 12):
            assert counted_module._words_before(text, start, end, last) == _clause_words(text, start, end)[-last:], \
                (text, start, end)
