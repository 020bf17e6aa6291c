"""DIN 5008 letters (`layout: din5008-a` / `din5008-b`), read back from the PDF and the DOCX:
the address in the window of a DL envelope with its return line, "Herrn"/"Frau" above the
name in German letters, the information block beside it, fold and punch marks at the edge."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from helpers import REPO, copy_example

from appealkit.batch.build import build
from appealkit.cli import cli
from appealkit.rules.addresses import address_form
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

MM = 72 / 25.4
DE = "appeal-de-foreign-minister--de-foreign-minister--de"
EN = "appeal-de-foreign-minister--de-foreign-minister"
EC = "appeal-ec-president--ec-president"


def _build(root: Path, out: Path) -> dict[str, dict[str, Path]]:
    workspace = load_workspace(root)
    return _paths(build(workspace, load_campaign_file(workspace, root / "campaigns" / "bonn-2025.yaml"), out, jobs=1))


def _paths(result) -> dict[str, dict[str, Path]]:
    assert not result.failed and not result.refused
    return {o.id: {f.format: f.path for f in o.outputs} for o in result.letters}


@pytest.fixture(scope="module")
def form_b(example_build):
    """The example, whose letters to the German minister are posted in DIN 5008 form B."""
    return _paths(example_build)


def _form_a(folder: Path) -> dict[str, dict[str, Path]]:
    root = copy_example(folder / "ws")
    recipient = root / "recipients" / "de-foreign-minister.yaml"
    recipient.write_text(recipient.read_text().replace("layout: din5008-b", "layout: din5008-a"))
    return _build(root, folder / "out")


@pytest.fixture(scope="module")
def form_a(once_per_run):
    """The example with the German minister's letters in form A, built once a run (conftest.py)."""
    return once_per_run("din5008-form-a", _form_a)


def first_page_lines(pdf: Path) -> list[tuple[str, float, float, float]]:
    """(text, left, top, bottom) of each text segment on page 1, in mm from the page's top left."""
    page = pdfium.PdfDocument(str(pdf))[0]
    height = page.get_height()
    text = page.get_textpage()
    found = []
    for number in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(number)
        found.append((text.get_text_bounded(left, bottom, right, top).strip(), left / MM,
                      (height - top) / MM, (height - bottom) / MM))
    return found


def _line(lines, wanted: str):
    return next(line for line in lines if line[0] == wanted)


@pytest.mark.parametrize(("form", "field_top"), [("form_b", 45), ("form_a", 27)])
def test_the_address_sits_in_the_envelope_window(form, field_top, request):
    files = request.getfixturevalue(form)
    lines = first_page_lines(files[DE]["pdf"])
    address = ["ASİMKOM · Bonn", "Herrn", "Dr. Johann David Wadephul", "Bundesminister des Auswärtigen",
               "Auswärtiges Amt", "Werderscher Markt 1", "10117 Berlin"]
    placed = [_line(lines, text) for text in address]
    for text, left, top, bottom in placed:  # the field: 85 x 45 mm, 20 mm from the left edge
        assert 20 <= left <= 105 and field_top <= top and bottom <= field_top + 45, (text, left, top, bottom)
    tops = [top for _, _, top, _ in placed]
    assert tops == sorted(tops)  # return line, then Herrn, then the name …
    assert placed[0][3] <= field_top + 17.7  # the return line in the zone above the address
    assert placed[1][2] >= field_top + 17.7 - 0.5  # the address below it
    date = _line(lines, "Bonn, 25. Oktober 2025")
    assert date[1] == pytest.approx(125, abs=1) and date[2] == pytest.approx(field_top + 5, abs=2)


def test_fold_and_punch_marks_at_the_left_edge(form_b):
    image = pdfium.PdfDocument(str(form_b[DE]["pdf"]))[0].render(scale=4).to_pil().convert("L")
    px = 4 * MM

    def ink(y_mm: float) -> bool:
        box = (int(5.5 * px), int((y_mm - 1) * px), int(9.5 * px), int((y_mm + 1) * px))
        return image.crop(box).getextrema()[0] < 200

    assert ink(105) and ink(210) and ink(148.5)
    assert not ink(120) and not ink(60)


def test_german_letters_have_herrn_above_the_name_and_the_docx_has_the_same_fields(form_b):
    paragraphs = [(p.text, p.style.name) for p in docx.Document(str(form_b[DE]["docx"])).paragraphs]
    texts = [text for text, _ in paragraphs]
    at = texts.index("Herrn")
    assert texts[at + 1] == "Dr. Johann David Wadephul"
    assert paragraphs[at - 1] == ("ASİMKOM · Bonn", "Return Address")
    english = [p.text for p in docx.Document(str(form_b[EN]["docx"])).paragraphs]
    assert "Herrn" not in english and "ASİMKOM · Bonn" in english  # DIN geometry, English address
    assert "ASİMKOM · Bonn" not in [p.text for p in docx.Document(str(form_b[EC]["docx"])).paragraphs]


def test_a_letter_in_the_standard_layout_has_no_window_geometry(form_b):
    lines = first_page_lines(form_b[EC]["pdf"])
    assert not any(text == "ASİMKOM · Bonn" for text, *_ in lines)
    date = _line(lines, "Bonn, 25 October 2025")
    assert date[1] > 125  # right-aligned in the text column, not the information block


def test_address_form_from_honorific_and_gender():
    assert address_form("de", "Dr.", "male") == "Herrn"
    assert address_form("de-AT", "", "female") == "Frau"
    assert address_form("de", "Frau", "") == ""  # "Frau Dr. Müller" says it already
    assert address_form("de", "Dr.", "") == ""  # no gender given: no guess
    assert address_form("fr", "", "male") == "" and address_form("en", "Mr", "") == ""


def test_a_misspelt_layout_is_one_line_with_the_file_and_a_suggestion(tmp_path):
    root = copy_example(tmp_path / "ws")
    recipient = root / "recipients" / "de-foreign-minister.yaml"
    recipient.write_text(recipient.read_text().replace("layout: din5008-b", "layout: din5008b"))
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code != 0
    [line] = [line for line in result.output.splitlines() if "layout" in line]
    assert "recipients/de-foreign-minister.yaml:" in line and "din5008-b" in line


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    """The DOCX printed by LibreOffice, with a profile of its own."""
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(folder)})
    return folder / f"{docx_path.stem}.pdf"


def test_the_docx_places_letterhead_information_and_address_in_frames_from_the_page_edge(form_b, form_a):
    """Word-native positioned paragraphs (`w:framePr`): still body paragraphs in reading order."""
    for files, field_top in ((form_b, 45), (form_a, 27)):
        document = docx.Document(str(files[DE]["docx"]))
        frames = {}
        for paragraph in document.paragraphs:
            frame = paragraph._p.pPr.find(qn("w:framePr")) if paragraph._p.pPr is not None else None
            if frame is not None:
                frames.setdefault(paragraph.style.name, {k.split("}")[1]: v for k, v in frame.attrib.items()})
        twips = 1440 / 25.4
        address = frames["Recipient Address"]
        assert frames["Return Address"] == address and address["vAnchor"] == address["hAnchor"] == "page"
        assert (int(address["x"]) / twips, int(address["y"]) / twips) == (pytest.approx(20, abs=0.1),
                                                                         pytest.approx(field_top, abs=0.1))
        assert (int(address["w"]) / twips, int(address["h"]) / twips) == (pytest.approx(85, abs=0.1),
                                                                         pytest.approx(45, abs=0.1))
        assert int(frames["Place and Date"]["x"]) / twips == pytest.approx(125, abs=0.1)
        assert int(frames["Letterhead Name"]["y"]) / twips == pytest.approx(10, abs=0.1)
        marks = document.element.body.xpath(".//wp:anchor[wp:positionV/@relativeFrom='page']/wp:docPr/@name")
        assert sorted(marks) == ["fold mark", "fold mark", "punch mark"]
    plain = docx.Document(str(form_b[EC]["docx"]))
    assert not plain.element.body.xpath(".//w:framePr")


@pytest.mark.slow
@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(("form", "field_top", "folds"), [("form_b", 45, (105, 210)), ("form_a", 27, (87, 192))])
def test_libreoffice_prints_the_docx_with_the_pdfs_window_geometry(form, field_top, folds, request, tmp_path):
    files = request.getfixturevalue(form)
    converted = _libreoffice_pdf(files[DE]["docx"], tmp_path)
    ours, theirs = first_page_lines(files[DE]["pdf"]), first_page_lines(converted)
    address = ["ASİMKOM · Bonn", "Herrn", "Dr. Johann David Wadephul", "Bundesminister des Auswärtigen",
               "Auswärtiges Amt", "Werderscher Markt 1", "10117 Berlin"]
    for text in address:
        _, left, top, bottom = _line(theirs, text)
        assert 20 <= left <= 105 and field_top <= top and bottom <= field_top + 45, (text, left, top, bottom)
    assert _line(theirs, "ASİMKOM · Bonn")[3] <= field_top + 17.7 <= _line(theirs, "Herrn")[2] + 0.5
    for text in [*address, "Bonn, 25. Oktober 2025", "Sehr geehrter Herr Bundesminister,"]:
        pdf, office = _line(ours, text), _line(theirs, text)
        assert office[1] == pytest.approx(pdf[1], abs=2) and office[2] == pytest.approx(pdf[2], abs=2), text
    image = pdfium.PdfDocument(str(converted))[0].render(scale=4).to_pil().convert("L")
    px = 4 * MM

    def ink(y_mm: float) -> bool:
        box = (int(5.5 * px), int((y_mm - 1) * px), int(9.5 * px), int((y_mm + 1) * px))
        return image.crop(box).getextrema()[0] < 200

    assert ink(folds[0]) and ink(folds[1]) and ink(148.5)
    assert not ink(120) and not ink(60)


def test_with_a_letterhead_docx_the_din_fields_flow_under_its_own_header(form_b):
    """An organisation's letterhead.docx places its header and margins itself: no frame overprints it."""
    from io import BytesIO

    from appealkit.render.letters import render_letter
    from appealkit.write.docx_writer import write_docx

    letterhead = docx.Document()
    letterhead.sections[0].header.paragraphs[0].add_run("Our own letterhead")
    saved = BytesIO()
    letterhead.save(saved)
    workspace = load_workspace(REPO)
    campaign = load_campaign_file(workspace, REPO / "campaigns" / "bonn-2025.yaml")
    letter = render_letter(workspace, campaign, next(s for s in campaign.letters if s.id == DE)).letter
    written = docx.Document(BytesIO(write_docx(letter, saved.getvalue())))
    assert not written.element.body.xpath(".//w:framePr")
    texts = [p.text for p in written.paragraphs]
    assert texts.index("ASİMKOM · Bonn") + 1 == texts.index("Herrn")  # the fields are all there
    assert docx.Document(str(form_b[DE]["docx"])).element.body.xpath(".//w:framePr")
