"""importer/letters.py and importer/header.py: a file as the letters it holds, each header as fields."""

from __future__ import annotations

import datetime

import pytest

from appealkit.importer.header import find_date, read_header
from appealkit.importer.letters import split_letters
from appealkit.read.passages import LetterText, text_passages

TWO_LETTERS = """\
Our website publishes the appeals below.

From the Coordination Center
To the Minister of the Interior,
Mr. Karl Muster

October 25, 2025, Bonn

Dear Minister,

We write about the prisoners.

Dear Minister,

Halfway down, a second greeting is no new letter.

\\ ** *****

To the President of the Commission, Ms. Erika Probe

Dear Ms. Erika Probe,

We ask you:

\\ 1. to act;

** 2.** to act now.

**3.** to report back.

Yours sincerely,

Jane Roe
Coordinator
"""


def letters_of(text: str):
    return split_letters(LetterText("appeals.txt", text_passages(text)))


def test_a_file_with_two_letters_a_preamble_and_a_rule():
    split = letters_of(TWO_LETTERS)
    assert [letter.salutation for letter in split.letters] == ["Dear Minister,", "Dear Ms. Erika Probe,"]
    first, second = split.letters
    assert [p.text for p in first.body] == [
        "We write about the prisoners.", "Dear Minister,", "Halfway down, a second greeting is no new letter."]
    assert first.header == ("From the Coordination Center", "To the Minister of the Interior,", "Mr. Karl Muster",
                            "October 25, 2025, Bonn")
    assert [(p.kind, p.number, p.text) for p in second.body] == [
        ("paragraph", 0, "We ask you:"), ("item", 1, "to act;"), ("item", 2, "to act now."),
        ("item", 3, "to report back.")]
    assert (second.closing, second.signatures) == ("Yours sincerely,", ("Jane Roe", "Coordinator"))
    assert split.skipped == ("appeals.txt:1: text before the first letter left out (to line 1)",)
    assert split.left_out == ("Our website publishes the appeals below.",)


def test_no_salutation_under_a_heading_is_no_letter():
    assert letters_of("Dear diary,\n\ntoday it rained.\n").letters == ()
    assert letters_of("Notes for Monday\n\nBuy 12 eggs.\n").letters == ()


def test_a_header_read_as_fields():
    first, second = letters_of(TWO_LETTERS).letters
    header = read_header(first.header, "en")
    assert (header.sender, header.office, header.honorific, header.holder) == (
        ("Coordination Center",), "Minister of the Interior", "Mr.", "Karl Muster")
    assert (header.date, header.place) == (datetime.date(2025, 10, 25), "Bonn")
    header = read_header(second.header, "en")
    assert (header.office, header.honorific, header.holder) == ("President of the Commission", "Ms.", "Erika Probe")


def test_a_german_header_with_an_address():
    header = read_header(("Koordinierungszentrum", "An den Bundesminister des Auswärtigen", "Dr. Johann Wadephul",
                          "Werderscher Markt 1", "10117 Berlin", "APPELL", "Bonn, 25. Oktober 2025"), "de")
    assert (header.office, header.holder, header.address, header.subject) == (
        "Bundesminister des Auswärtigen", "Johann Wadephul", ("Werderscher Markt 1", "10117 Berlin"), "APPELL")
    assert (header.date, header.place) == (datetime.date(2025, 10, 25), "Bonn")


def test_the_header_of_a_letter_appealkit_wrote():
    """Built letters name the holder and then the office, with no "To the"."""
    header = read_header(("ASİMKOM", "Coordination Center", "Bonn, 25 October 2025", "Dr. Johann David Wadephul",
                          "Federal Minister for Foreign Affairs", "Werderscher Markt 1", "APPEAL"), "en")
    assert (header.holder, header.office, header.address) == (
        "Johann David Wadephul", "Federal Minister for Foreign Affairs", ("Werderscher Markt 1",))


@pytest.mark.parametrize(("line", "language", "day"), [
    ("October 25, 2025, Bonn, Germany", "en", datetime.date(2025, 10, 25)),
    ("Bonn, Germany – October 25, 2025", "en", datetime.date(2025, 10, 25)),
    ("Bonn, 25. Oktober 2025", "de", datetime.date(2025, 10, 25)),
    ("Bakı, 25 oktyabr 2025", "az", datetime.date(2025, 10, 25)),
    ("Paris, le 3 mars 2024", "fr", datetime.date(2024, 3, 3)),
    ("Berlin, 01.02.2025", "de", datetime.date(2025, 2, 1)),
    ("2025-10-25", "en", datetime.date(2025, 10, 25)),
])
def test_dates_in_the_letters_languages(line, language, day):
    assert find_date(line, language)[0] == day


@pytest.mark.parametrize("line", ["February 30, 2025", "APPEAL", "Room 25, floor 3"])
def test_no_date(line):
    assert find_date(line, "en") is None
