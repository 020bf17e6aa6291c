"""One normalisation for every reader: text pasted from a PDF reads as the words it shows."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from helpers import REPO

from appealkit.checks.audit import audit
from appealkit.read.normal_text import normalise, normalised
from appealkit.read.passages import text_passages
from appealkit.source.workspace import load_workspace


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("more than 40 journal-\nists", "en", "more than 40 journalists"),
    ("ap-\nproximately 400 polit-\nical prisoners", "en", "approximately 400 political prisoners"),
    ("the Euro-\nintegration of the country", "en", "the Euro-\nintegration of the country"),
    ("a well-\nknown case", "en", "a well-\nknown case"),
    ("Baden-\nWürttemberg", "de", "Baden-\nWürttemberg"),
    ("COVID-\n19", "en", "COVID-\n19"),
    ("politi-\nsche Gefangene", "de", "politische Gefangene"),
    ("including ﬁve women and ﬂed abroad", "en", "including five women and fled abroad"),
    ("jour\u00adnalists", "en", "journalists"),
    ("about\u00a0400\u2009political prisoners", "en", "about 400 political prisoners"),
    ("12\u00a0500 people", "fr", "12\u202f500 people"),
    ("10² prisoners", "en", "10² prisoners"),
    ("Vuqar Rzayev", "az", "Vuqar Rzayev"),
])
def test_the_text_a_check_reads(text, language, expected):
    assert normalise(text, language)[0] == expected


def test_a_name_broken_where_no_dictionary_would_is_joined_when_it_is_a_known_name():
    text = "Blogger Moham-\nmed Mirzali"
    assert normalise(text, "en")[0] == text
    assert normalise(text, "en", frozenset({"mohammed"}))[0] == "Blogger Mohammed Mirzali"


def test_a_passage_keeps_its_text_for_quoting_and_its_lines_for_locating():
    [passage] = text_passages("Some ap-\nproximately 400 polit-\nical prisoners,\nincluding ﬁve women.")
    read = normalised(passage, "en")
    assert read.text == "Some approximately 400 political prisoners,\nincluding five women."
    assert read.source == passage.text
    at = read.text.index("five")
    assert read.line_at(at) == 4
    assert read.line_at(read.text.index("400")) == 2
    assert read.source_text(at, at + 4) == "ﬁve"


def test_an_unchanged_passage_is_the_same_passage():
    [passage] = text_passages("About 400 political prisoners.")
    assert normalised(passage, "en") is passage


LETTER = ("Human rights groups count ap-\nproximately 400 polit-\nical prisoners and more than 40 journal-\n"
          "ists, including ﬁve women, behind bars. Blogger Moham-\nmed Mirzali survived three attacks.")


def _findings(paths):
    return [(f.kind, f.found, f.expected) for f in audit(load_workspace(REPO), paths).findings]


EXPECTED = [
    ("qualifier-drift", "approximately 400", "about 400"),
    ("figure-mismatch", "five", "nine"),
    ("name-variant", "Mohammed Mirzali", "Mohammad Mirzali"),
]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_pasted_from_a_pdf_is_read_whole_in_text_files(tmp_path, suffix):
    path = tmp_path / f"pasted{suffix}"
    path.write_text(LETTER + "\n", encoding="utf-8")
    assert _findings([path]) == EXPECTED


def test_text_pasted_from_a_pdf_is_read_whole_in_word_files(tmp_path):
    """Line breaks (w:br) in a paragraph, a table cell and a footnote-free body alike."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    lines = LETTER.split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if number < len(lines) - 1:
            run.add_break()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("Nearly\u00a0400 polit\u00adical prisoners")
    path = tmp_path / "pasted.docx"
    document.save(str(path))
    # one paragraph: its findings in the order of their kind
    assert _findings([path]) == [*sorted(EXPECTED), ("qualifier-drift", "Nearly 400", "about 400")]


def test_the_quote_is_the_letters_own_text(tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_text(LETTER + "\n", encoding="utf-8")
    [first, *_] = audit(load_workspace(REPO), [Path(path)]).findings
    assert first.quote.startswith("Human rights groups count ap- proximately 400 polit- ical prisoners")
    assert first.line == 2
