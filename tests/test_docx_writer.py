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
from docx.shared import Mm
from helpers import HOSTILE, MARKDOWN_BODY, sample_letter, words

from appealkit.errors import TemplateError
from appealkit.render.document import Letter, letter_lines, parse_body
from appealkit.write.docx_writer import write_docx


@pytest.fixture
def letter() -> Letter:
    return sample_letter()


def paragraph_texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [words(p.text) for p in document.paragraphs if p.text.strip()]


def test_paragraphs_carry_exactly_the_letter_lines(letter: Letter) -> None:
    assert paragraph_texts(write_docx(letter)) == [words(x) for x in letter_lines(letter)]


def test_markdown_body_keeps_its_lines(letter: Letter) -> None:
    markdown_letter = dataclasses.replace(letter, body=parse_body(MARKDOWN_BODY))
    data = write_docx(markdown_letter)
    assert paragraph_texts(data) == [words(x) for x in letter_lines(markdown_letter)]
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "1.\trelease him;" in texts
    assert "\tand let his family visit." in texts
    assert "line one\nline two" in texts


def test_markers_are_text_followed_by_a_tab(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(letter)))
    items = [p for p in document.paragraphs if p.text[:2] in ("1.", "2.", "3.", "•\t")]
    assert [p.text.split("\t")[0] for p in items] == ["1.", "2.", "3.", "•", "•"]
    assert items[0].text == "1.\tVidadi İsgəndərlinin dərhal azad edilməsi;"
    nested, top = items[4].paragraph_format, items[3].paragraph_format
    assert nested.left_indent > top.left_indent > 0
    assert top.first_line_indent < 0


def test_formatting_survives_and_provenance_stays_invisible(letter: Letter) -> None:
    document = docx.Document(io.BytesIO(write_docx(letter)))
    runs = [run for p in document.paragraphs for run in p.runs]
    bold = {run.text for run in runs if run.bold}
    italic = {run.text for run in runs if run.italic}
    assert {"ASİMKOM", "icazə", "ən qısa zamanda", "Tələblərimiz", letter.subject} <= bold
    assert italic == {"Vidadi İsgəndərli", "ən qısa zamanda"}
    assert document.paragraphs[0].runs[0].bold
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
    assert normal.font.name == "DejaVu Serif"
    assert normal.font.size.pt == 11
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("eastAsia", "cs")} == {
        "DejaVu Serif"
    }


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
