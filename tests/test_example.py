"""The Bonn 2025 example campaign, built from the repository's own workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import REPO, docx_text, pdf_words, words
from pypdf import PdfReader

from appealkit.checks.audit import audit
from appealkit.render.document import letter_text
from appealkit.source.workspace import load_workspace

GOLDEN = Path(__file__).parent / "golden"
LETTERS = {
    "appeal-de-foreign-minister--de-foreign-minister": ("Dr. Johann David Wadephul", "Dear Minister,"),
    "appeal-coe-committee-of-ministers--coe-cm-chair": ("Dr. Ian Borg", "Dear Mr. President,"),
    "appeal-ec-president--ec-president": ("Ursula von der Leyen", "Dear President von der Leyen,"),
}
# The same figures, worded the same way, in every letter: the drift this tool exists to stop.
SHARED = ["about 400 political prisoners", "more than 40 journalists", "nine women", "ASİMKOM",
          "Samir Ashurov, Mutallim Orucov, Malik Rzayev, Punhan Karimli, Jafar Mirzayev and Emin Malikov",
          "Vuqar Rzayev", "Mohammad Mirzali", "Bonn, 25 October 2025"]
# The letter to the German minister also goes out in German and, as the diaspora publishes it, in Azerbaijani.
LOCALISED = {
    "appeal-de-foreign-minister--de-foreign-minister--de": [
        "Bonn, 25. Oktober 2025", "Bundesminister des Auswärtigen", "Sehr geehrter Herr Bundesminister,",
        "rund 400 politische Gefangene", "mehr als 40 Journalistinnen und Journalisten", "neun Frauen",
        "sechs politische Aktivisten", "Samir Ashurov, Mutallim Orucov, Malik Rzayev, Punhan Karimli, "
        "Jafar Mirzayev und Emin Malikov", "Vuqar Rzayev", "Mohammad Mirzali", "Europäische Union",
        "Mit freundlichen Grüßen"],
    "appeal-de-foreign-minister--de-foreign-minister--az": [
        "Bonn, 25 oktyabr 2025", "Hörmətli cənab Nazir,", "təxminən 400 siyasi məhbus", "40-dan çox jurnalist",
        "doqquz qadın", "altı siyasi fəal", "Samir Ashurov, Mutallim Orucov, Malik Rzayev, Punhan Karimli, "
        "Jafar Mirzayev və Emin Malikov", "Vuqar Rzayev", "Mohammad Mirzali", "Əliyevlər ailəsi",
        "Azərbaycan Siyasi Mühacirlərinin Koordinasiya Mərkəzi", "Hörmətlə,"],
}
VARIANTS = ["Vugar Rzayev", "Punhan Kerimli", "Mohammed Mirzali", "ASMKOM", "ASIMKOM", "nearly 400",
            "approximately 400", "9 women", "Political Exiles"]


@pytest.fixture(scope="module")
def bonn(example_build):
    return example_build


def test_the_example_letters_audit_clean(bonn):
    """What appealkit writes, its audit reads back with no finding: every letter, all-letters.pdf too."""
    paths = sorted(p for p in bonn.out_dir.iterdir() if p.suffix in (".docx", ".pdf"))
    assert bonn.out_dir / "all-letters.pdf" in paths and len(paths) == 2 * len(bonn.letters) + 1
    result = audit(load_workspace(REPO), paths)
    assert [f"{f.file}:{f.line}: {f.message}" for f in (*result.findings, *result.unreadable)] == []


def outputs(bonn, letter_id):
    outcome = next(o for o in bonn.letters if o.id == letter_id)
    return outcome, {o.format: o.path for o in outcome.outputs}


def test_five_letters_and_a_manifest(bonn):
    assert not bonn.failed
    assert sorted(p.name for p in bonn.out_dir.iterdir()) == sorted(
        [f"{i}.{ext}" for i in [*LETTERS, *LOCALISED] for ext in ("docx", "pdf")]
        + ["manifest.json", "all-letters.pdf", "index.html", "bonn-2025.zip"])


@pytest.mark.parametrize("letter_id", sorted(LOCALISED))
def test_german_and_azerbaijani_letters(bonn, letter_id):
    outcome, files = outputs(bonn, letter_id)
    expected = words(letter_text(outcome.rendered.letter))
    docx_words = words(docx_text(files["docx"]))
    assert docx_words == expected
    assert pdf_words(files["pdf"]) == expected
    for phrase in LOCALISED[letter_id]:
        assert phrase in docx_words, phrase
    for variant in [*VARIANTS, "about 400", "political prisoners"]:
        assert variant not in docx_words, variant


@pytest.mark.parametrize("letter_id", sorted(LETTERS))
def test_docx_and_pdf_carry_figures_names_and_salutation(bonn, letter_id):
    outcome, files = outputs(bonn, letter_id)
    holder, salutation = LETTERS[letter_id]
    expected = words(letter_text(outcome.rendered.letter))
    docx_words = words(docx_text(files["docx"]))
    assert docx_words == expected
    assert pdf_words(files["pdf"]) == expected
    for phrase in [holder, salutation, *SHARED]:
        assert phrase in docx_words, phrase
    for variant in VARIANTS:
        assert variant not in docx_words, variant


def test_committee_of_ministers_letter_has_six_numbered_requests(bonn):
    outcome, files = outputs(bonn, "appeal-coe-committee-of-ministers--coe-cm-chair")
    items = [b for b in outcome.rendered.letter.body if b.kind == "item"]
    assert [b.marker for b in items] == ["1.", "2.", "3.", "4.", "5.", "6."]
    docx_lines = docx_text(files["docx"]).splitlines()
    pdf_text_words = pdf_words(files["pdf"])
    for block in items:
        assert f"{block.marker}\t{block.text}" in docx_lines
        assert words(f"{block.marker} {block.text}") in pdf_text_words


def test_pdf_is_a4_and_embeds_a_font_covering_azerbaijani(bonn):
    _, files = outputs(bonn, "appeal-ec-president--ec-president")
    reader = PdfReader(str(files["pdf"]))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values() if "/BaseFont" in f.get_object()}
    assert {name.split("+", 1)[1] for name in fonts} == {"Liberation-Serif", "Liberation-Serif-Bold"}, fonts


def test_manifest(bonn):
    manifest = json.loads(bonn.manifest.read_text())
    assert manifest["campaign"]["id"] == "bonn-2025"
    assert manifest["campaign"]["date"] == "2025-10-25"
    by_id = {letter["id"]: letter for letter in manifest["letters"]}
    assert sorted(by_id) == sorted([*LETTERS, *LOCALISED])
    assert by_id["appeal-de-foreign-minister--de-foreign-minister--de"]["template"] == (
        "templates/appeal-de-foreign-minister.de.md")
    assert by_id["appeal-de-foreign-minister--de-foreign-minister--az"]["language"] == "az"
    coe = by_id["appeal-coe-committee-of-ministers--coe-cm-chair"]
    assert (coe["recipient"], coe["language"]) == ("coe-cm-chair", "en")
    facts = {f["id"]: f for f in coe["facts"]}
    assert facts["political_prisoners"]["value"] == 400
    assert facts["political_prisoners"]["as_of"] == "2025-10-25"
    assert len(facts["deported_activists"]["members"]) == facts["deported_activists"]["value"] == 6
    assert {o["format"] for o in coe["outputs"]} == {"docx", "pdf"}


@pytest.mark.parametrize("letter_id", sorted([*LETTERS, *LOCALISED]))
def test_letter_text_matches_golden(bonn, letter_id):
    """A reviewer sees every change to a letter's wording as a diff of tests/golden/."""
    outcome, _ = outputs(bonn, letter_id)
    actual = letter_text(outcome.rendered.letter)
    golden = GOLDEN / f"{letter_id}.txt"
    if not golden.exists() or golden.read_text(encoding="utf-8") != actual:
        (GOLDEN / f"{letter_id}.actual.txt").write_text(actual, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == actual, f"see {letter_id}.actual.txt beside the golden"
