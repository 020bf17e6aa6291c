"""The DOCX writer: what a reader sees in Word is what `letter_lines` says, byte for byte stable."""

from __future__ import annotations

import dataclasses
import datetime
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from helpers import HOSTILE, MARKDOWN_BODY, labelled_paragraphs, sample_letter, words

from appealkit.errors import TemplateError
from appealkit.render.document import Letter, letter_lines, parse_body
from appealkit.write.docx_writer import write_docx


@pytest.fixture
def letter() -> Letter:
    return sample_letter()


def paragraph_texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [words(text) for text in labelled_paragraphs(document) if text.strip()]


def test_paragraphs_carry_exactly_the_letter_lines(letter: Letter) -> None:
    assert paragraph_texts(write_docx(letter)) == [words(x) for x in letter_lines(letter)]


def test_markdown_body_keeps_its_lines(letter: Letter) -> None:
    markdown_letter = dataclasses.replace(letter, body=parse_body(MARKDOWN_BODY))
    data = write_docx(markdown_letter)
    assert paragraph_texts(data) == [words(x) for x in letter_lines(markdown_letter)]
    texts = labelled_paragraphs(docx.Document(io.BytesIO(data)))
    assert "1.\trelease him;" in texts
    assert "and let his family visit." in texts
    assert "line one\nline two" in texts


def test_lists_are_word_lists_numbered_as_the_model_says(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(letter)))
    items = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.style.name for p in items] == ["List Paragraph"] * 5
    assert items[0].text == "Vidadi İsgəndərlinin dərhal azad edilməsi;"
    labels = [t.split("\t")[0] for t in labelled_paragraphs(document) if "\t" in t]
    assert labels == ["1.", "2.", "3.", "•", "•"]
    assert [p._p.pPr.numPr.ilvl.val for p in items] == [0, 0, 0, 0, 1]
    numbered, bulleted = items[0]._p.pPr.numPr.numId.val, items[3]._p.pPr.numPr.numId.val
    assert numbered != bulleted


def test_a_list_starts_at_its_first_number(letter: Letter) -> None:
    later = dataclasses.replace(letter, body=parse_body("Intro:\n\n3. three\n4. four\n\nText.\n\n1. one\n"))
    labels = [t.split("\t")[0] for t in labelled_paragraphs(docx.Document(io.BytesIO(write_docx(later))))
              if "\t" in t]
    assert labels == ["3.", "4.", "1."]


def test_formatting_survives_and_provenance_stays_invisible(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(letter)))
    runs = [run for p in document.paragraphs for run in p.runs]
    bold = {run.text for run in runs if run.bold}
    italic = {run.text for run in runs if run.italic}
    assert {"ASİMKOM", "icazə", "ən qısa zamanda"} <= bold
    assert italic == {"Vidadi İsgəndərli", "ən qısa zamanda"}
    styles = {p.text: p.style for p in document.paragraphs}
    assert styles[letter.subject].name == "Subject" and styles[letter.subject].font.bold
    assert styles["Tələblərimiz"].name == "Heading 2" and styles["Tələblərimiz"].font.bold
    assert document.paragraphs[0].style.name == "Letterhead Name"
    assert document.paragraphs[0].style.font.bold
    full_text = "\n".join(p.text for p in document.paragraphs)
    assert "org.name" not in full_text
    assert "prisoner.name" not in full_text
    assert HOSTILE in full_text
    for letters in ("ə", "ğ", "ı", "ş", "ç", "ö", "ü", "İ"):
        assert letters in full_text


def test_a4_page_and_font(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(letter)))
    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.1)
        assert abs(section.page_height - Mm(297)) < Mm(0.1)
        assert abs(section.left_margin - Mm(25)) < Mm(0.1)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 11
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("eastAsia", "cs")} == {
        "Times New Roman"
    }


def test_every_part_has_its_named_style(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(dataclasses.replace(letter, references=("Our ref.: 7",)))))
    by_text = {p.text: p.style.name for p in document.paragraphs}
    assert by_text[letter.place_date] == "Place and Date"
    assert by_text["Our ref.: 7"] == "Reference Line"
    assert by_text[letter.recipient[0]] == "Recipient Address"
    assert by_text[letter.salutation] == "Salutation"
    assert by_text[letter.closing] == "Closing"
    assert by_text["Ayşə Çələbi-Öztürk"] == "Signature"
    assert by_text["ASİMKOM sədri"] == "Signature Role"
    assert {p.style.name for p in document.paragraphs if p.text.startswith("Biz,")} == {"Body Text"}
    assert "Normal" not in {p.style.name for p in document.paragraphs if p.text.strip()}
    heading = document.styles["Heading 2"]
    assert heading.paragraph_format.keep_with_next
    assert heading.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"


def test_keeps_widows_and_hyphenation(letter: Letter) -> None:
    body = (*letter.body, *parse_body("Diqqətinizi bu faktlara cəlb edirik:\n\n- bir\n- iki\n\nSon."))
    data = write_docx(dataclasses.replace(letter, body=body))
    document = docx.Document(io.BytesIO(data))
    assert document.styles["Normal"].paragraph_format.widow_control
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    closing = next(i for i, p in enumerate(paragraphs) if p.text == letter.closing)
    assert paragraphs[closing - 1].paragraph_format.keep_with_next  # the last body paragraph
    lead_in = [p for p in paragraphs if p.text.endswith("cəlb edirik:")][-1]
    assert lead_in.paragraph_format.keep_with_next
    settings = document.settings.element
    assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "az-Latn-AZ"


def effective_language(run, styles) -> str | None:
    """The language Word resolves for a run: its own, its character style's, its paragraph's
    style chain, then the document defaults (table styles carry none here)."""
    def own(rpr):
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        return lang.get(qn("w:val")) if lang is not None else None

    def chain(style_id):
        while style_id:
            style = styles.get(style_id)
            if style is None:
                return None
            found = own(style.find(qn("w:rPr")))
            if found:
                return found
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return None

    rpr = run.find(qn("w:rPr"))
    found = own(rpr)
    if not found and rpr is not None and rpr.find(qn("w:rStyle")) is not None:
        found = chain(rpr.find(qn("w:rStyle")).get(qn("w:val")))
    if not found:
        paragraph = next(run.iterancestors(qn("w:p")))
        ppr = paragraph.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        found = chain(style.get(qn("w:val")) if style is not None else styles.default_id)
    return found or styles.default_language


class _Styles(dict):
    def __init__(self, document):
        element = document.styles.element
        super().__init__((s.get(qn("w:styleId")), s) for s in element.findall(qn("w:style")))
        default = [s for s in element.findall(qn("w:style"))
                   if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"]
        self.default_id = default[0].get(qn("w:styleId")) if default else None
        lang = element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        self.default_language = lang.get(qn("w:val")) if lang is not None else None


def test_every_run_of_every_example_letter_resolves_to_the_letters_language(example_build) -> None:
    """Word and LibreOffice hyphenate (and spell-check) a run by its language: each run of the
    body, tables, links and footer, whatever its style, is in the letter's language."""
    expected = {"en": "en-GB", "de": "de-DE", "az": "az-Latn-AZ"}
    for outcome in example_build.letters:
        path = next(o.path for o in outcome.outputs if o.format == "docx")
        document = docx.Document(str(path))
        styles = _Styles(document)
        tag = expected[outcome.rendered.letter.language]
        assert styles.default_language == tag, outcome.id
        parts = [document.element, *(s.footer._element for s in document.sections)]
        runs = [run for part in parts for run in part.iter(qn("w:r"))]
        assert len(runs) > 50
        wrong = {effective_language(run, styles) for run in runs} - {tag}
        assert not wrong, (outcome.id, wrong)
        settings = document.settings.element
        assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"


def test_footer_numbers_pages_with_fields_and_app_xml_names_appealkit(letter: Letter) -> None:
    data = write_docx(letter)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        footer = next(package.read(n).decode() for n in names if n.startswith("word/footer"))
    assert "<Application>appealkit</Application>" in app
    assert "Macintosh" not in app and "<Pages>" not in app and "<Words>" not in app
    assert not any("thumbnail" in n for n in names)
    assert "stylesWithEffects" not in " ".join(names)
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_links_are_hyperlinks_and_line_breaks_stay_in_the_paragraph(letter: Letter) -> None:
    body = parse_body("See [the report](https://example.org/r) or <a@example.org>.  \nNext line.\n\n"
                      "| Name | Year |\n|---|---|\n| Ali | 2021 |\n\n> Quoted.\n\n---\n")
    document = docx.Document(io.BytesIO(write_docx(dataclasses.replace(letter, body=body))))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert targets == {"https://example.org/r", "mailto:a@example.org"}
    texts = [p.text for p in document.paragraphs]
    assert "See the report (https://example.org/r) or a@example.org.\nNext line." in texts
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["Name", "Year"], ["Ali", "2021"]]
    assert next(p for p in document.paragraphs if p.text == "Quoted.").style.name == "Quote"


def test_core_properties_are_fixed(letter: Letter) -> None:
    props = docx.Document(io.BytesIO(write_docx(letter))).core_properties
    midnight = datetime.datetime(2024, 3, 8, tzinfo=datetime.UTC)
    assert props.title == letter.subject
    assert props.author == props.last_modified_by == "ASİMKOM"
    assert props.created == props.modified == midnight
    assert props.revision == 1
    assert "python-docx" not in props.comments


def test_zip_entries_carry_the_letter_date(letter: Letter) -> None:
    with zipfile.ZipFile(io.BytesIO(write_docx(letter))) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2024, 3, 8, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_same_letter_same_bytes_in_another_process(letter: Letter) -> None:
    first = write_docx(letter)
    assert write_docx(letter) == first
    script = (
        "import sys; from test_docx_writer import sample_letter;"
        "from appealkit.write.docx_writer import write_docx;"
        "sys.stdout.buffer.write(write_docx(sample_letter()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, check=True, cwd=Path(__file__).parent,
        env={"PYTHONHASHSEED": "12345", "TZ": "Pacific/Kiritimati", "PATH": ""},
    ).stdout
    assert other == first


def test_letterhead_keeps_header_and_drops_its_body(letter: Letter, tmp_path: Path) -> None:
    base = docx.Document()
    base.sections[0].header.paragraphs[0].text = "LETTERHEAD TEST"
    base.add_paragraph("Lorem ipsum placeholder body")
    base.add_table(rows=1, cols=1).cell(0, 0).text = "placeholder table"
    base.sections[0].page_width = Mm(216)
    base.sections[0].top_margin = Mm(45)
    path = tmp_path / "letterhead.docx"
    base.save(path)

    data = write_docx(letter, letterhead=path)
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "LETTERHEAD TEST"
    assert not document.tables
    assert not any("Lorem ipsum" in p.text for p in document.paragraphs)
    assert paragraph_texts(data) == [words(x) for x in letter_lines(letter)]
    assert abs(document.sections[0].page_width - Mm(210)) < Mm(0.1)
    assert abs(document.sections[0].top_margin - Mm(45)) < Mm(0.1)
    assert write_docx(letter, letterhead=path) == data


def test_unreadable_letterhead_is_a_user_error(letter: Letter, tmp_path: Path) -> None:
    path = tmp_path / "letterhead.docx"
    path.write_text("not a docx")
    with pytest.raises(TemplateError, match=r"letterhead\.docx"):
        write_docx(letter, letterhead=path)
