"""Figures in prose: digits and number words in four languages, qualifiers, and what is not a figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from appealkit.checks.figures import find_figures, with_trailing_qualifier
from appealkit.rules.language_guess import detect_language


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("nearly 350 political prisoners", "en", [("nearly 350", 350, "nearly")]),
    ("About four hundred prisoners", "en", [("About four hundred", 400, "about")]),
    ("three hundred and fifty prisoners", "en", [("three hundred and fifty", 350, "exact")]),
    ("more than 40 journalists, nine women", "en", [("more than 40", 40, "more than"), ("nine", 9, "exact")]),
    ("at least twenty-five people", "en", [("at least twenty-five", 25, "at least")]),
    ("10 million citizens and 10,000,000 people", "en", [("10 million", 10_000_000, "exact"),
                                                         ("10,000,000", 10_000_000, "exact")]),
    ("up to 2.5 million", "en", [("up to 2.5 million", 2_500_000, "up to")]),
    ("fewer than 12.5 per cent", "en", [("fewer than 12.5", Decimal("12.5"), "fewer than")]),
    ("rund 400 politische Gefangene, mehr als vierzig Journalisten", "de",
     [("rund 400", 400, "about"), ("mehr als vierzig", 40, "more than")]),
    ("ca. 400 Gefangene, bis zu neun Frauen, 10.000.000 Bürger", "de",
     [("ca. 400", 400, "approximately"), ("bis zu neun", 9, "up to"), ("10.000.000", 10_000_000, "exact")]),
    ("dreihundertfünfzig Gefangene, 10 Millionen Bürger", "de",
     [("dreihundertfünfzig", 350, "exact"), ("10 Millionen", 10_000_000, "exact")]),
    ("environ 400 prisonniers, plus de quarante journalistes", "fr",
     [("environ 400", 400, "about"), ("plus de quarante", 40, "more than")]),
    ("jusqu’à neuf femmes, près de trois cent cinquante", "fr",
     [("jusqu’à neuf", 9, "up to"), ("près de trois cent cinquante", 350, "nearly")]),
    ("təxminən 400 siyasi məhbus, doqquz qadın", "az", [("təxminən 400", 400, "about"), ("doqquz", 9, "exact")]),
    ("40-dan çox jurnalist, ən azı altı fəal", "az", [("40-dan çox", 40, "more than"), ("ən azı altı", 6, "at least")]),
    ("dörd yüz əlli məhbus, on milyon vətəndaş", "az", [("dörd yüz əlli", 450, "exact"),
                                                         ("on milyon", 10_000_000, "exact")]),
    ("dörd yüzdən çox məhbus", "az", [("dörd yüzdən çox", 400, "more than")]),
    ("dörd yüzə yaxın məhbus, 40-a qədər jurnalist", "az",
     [("dörd yüzə yaxın", 400, "nearly"), ("40-a qədər", 40, "up to")]),
    ("ona yazdıq, ondan soruşduq", "az", []),
    ("plus  de  90 prisonniers,  près\nde 400", "fr", [("plus  de 90", 90, "more than"),
                                                       ("près\nde 400", 400, "nearly")]),
])
def test_figures_are_found_with_their_qualifier(text, language, expected):
    assert [(f.shown, f.value, f.qualifier) for f in find_figures(text, language)] == expected


@pytest.mark.parametrize(("text", "language"), [
    ("on 25 October 2025, on October 25, 2025 and on 2025-10-25 or 25.10.2025", "en"),
    ("in 2021, in the years from 2021 to 2024, 2021–2024", "en"),
    ("under Article 10 and Art. 3 of the Convention, Protocol No. 1, § 5, paragraph 3", "en"),
    ("see page 2, pp. 4, the 3rd time, the 25th of May", "en"),
    ("he was 35 years old, a 35-year-old man, aged 35, at the age of 40", "en"),
    ("1. Release them.\n2. Write to us.\n  3) Call.", "en"),
    ("am 25. Oktober 2025, nach Artikel 10, 35 Jahre alt", "de"),
    ("le 25 octobre 2025, article 10", "fr"),
    ("25 oktyabr 2025, 2021-ci ildə", "az"),
    ("Werderscher Markt 1a, F-67075 Strasbourg, page 1 / 2", "en"),
])
def test_dates_years_references_ages_and_list_markers_are_not_figures(text, language):
    assert find_figures(text, language) == []


def test_articles_are_left_out_of_template_checks():
    assert [f.text for f in find_figures("one of them, one prisoner", "en", include_articles=False)] == []
    assert [f.text for f in find_figures("one prisoner", "en")] == ["one"]
    assert [f.text for f in find_figures("ein Brief und neun Frauen", "de", include_articles=False)] == ["neun"]


@pytest.mark.parametrize(("text", "language"), [
    ("We write to you about the prisoners and the journalists of the country.", "en"),
    ("Wir schreiben Ihnen über die Gefangenen und die Journalisten des Landes.", "de"),
    ("Nous vous écrivons au sujet des prisonniers et des journalistes du pays.", "fr"),
    ("Biz bu məktubu siyasi məhbuslar və jurnalistlər üçün yazırıq ki, onlar da azad olsun.", "az"),
])
def test_language_is_detected_from_common_words(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("400 or so political prisoners", "en", [("400 or so", 400, "about")]),
    ("400-odd political prisoners", "en", [("400-odd", 400, "about")]),
    ("400 or more political prisoners", "en", [("400 or more", 400, "at least")]),
    ("400 oder mehr politische Gefangene", "de", [("400 oder mehr", 400, "at least")]),
    ("400 environ prisonniers politiques", "fr", [("400 environ", 400, "about")]),
    ("400 ou plus prisonniers politiques", "fr", [("400 ou plus", 400, "at least")]),
])
def test_a_qualifier_after_the_number_is_read(text, language, expected):
    assert [(f.shown, f.value, f.qualifier) for f in find_figures(text, language)] == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("400 political prisoners, approximately, are held", "en", ("400 approximately", "approximately")),
    ("400 political prisoners, roughly.", "en", ("400 roughly", "about")),
    ("400 politische Gefangene, mindestens, sind in Haft", "de", ("400 mindestens", "at least")),
    ("400 political prisoners, who are held", "en", ("400", "exact")),
    ("About 400 political prisoners, approximately,", "en", ("About 400", "about")),
])
def test_a_qualifier_after_the_noun_is_the_figures_own(text, language, expected):
    [figure] = find_figures(text, language)
    read = with_trailing_qualifier(figure, text, language)
    assert (read.shown, read.qualifier) == expected
