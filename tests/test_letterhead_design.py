"""One letterhead for both formats: the organisation's logo and colour (people/: `logo`,
`colour`) in the DOCX and the PDF alike, and the logo checked like every image a letter carries."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner
from helpers import REPO, copy_example
from PIL import Image

from appealkit.batch.build import build
from appealkit.cli import cli
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

LOGO = REPO / "templates" / "letterhead" / "asimkom-logo.png"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def letter(example_build) -> dict[str, Path]:
    outcome = next(o for o in example_build.letters if o.id == "appeal-ec-president--ec-president")
    return {f.format: f.path for f in outcome.outputs}


def test_the_pdf_shows_the_logo_at_the_right_of_the_name(letter):
    page = pdfium.PdfDocument(str(letter["pdf"]))[0]
    images = [obj for obj in page.get_objects(max_depth=4) if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    _, bottom, right, top = images[0].get_bounds()
    height = page.get_height()
    assert (top - bottom) / MM == pytest.approx(16, abs=0.5)  # the layout's 16 mm
    assert right / MM == pytest.approx(185, abs=1)  # at the right margin
    assert (height - top) / MM < 40  # in the letterhead
    rendered = images[0].get_bitmap().to_pil().convert("RGB")
    original = Image.open(LOGO).convert("RGB")
    assert rendered.size == original.size


def test_the_docx_floats_the_same_logo_and_colours_the_name(letter):
    document = docx.Document(str(letter["docx"]))
    name = document.paragraphs[0]
    assert name.text == "ASİMKOM" and name.style.name == "Letterhead Name"
    anchors = name._p.xpath(".//wp:anchor")
    assert len(anchors) == 1  # floating, not inline: an exact line height would cut it off
    assert anchors[0].xpath("wp:positionH/wp:align")[0].text == "right"
    blip = anchors[0].xpath(".//a:blip/@r:embed")[0]
    assert document.part.related_parts[blip].blob == LOGO.read_bytes()
    assert str(name.runs[0].font.color.rgb) == "1F3A5F"


def test_a_letterhead_docx_still_brings_its_own(tmp_path):
    """With a campaign letterhead .docx, the DOCX is set on it (its own logo, if any); the
    organisation's logo and colour still go to the PDF."""
    root = copy_example(tmp_path / "ws")
    own = docx.Document()
    own.sections[0].header.paragraphs[0].text = "Our own letterhead"
    own.save(str(root / "templates" / "letterhead.docx"))
    campaign_file = root / "campaigns" / "bonn-2025.yaml"
    campaign_file.write_text("letterhead: letterhead.docx\n" + campaign_file.read_text())
    workspace = load_workspace(root)
    result = build(workspace, load_campaign_file(workspace, campaign_file), tmp_path / "out", jobs=1)
    outcome = next(o for o in result.letters if o.id == "appeal-ec-president--ec-president")
    files = {f.format: f.path for f in outcome.outputs}
    document = docx.Document(str(files["docx"]))
    assert document.sections[0].header.paragraphs[0].text == "Our own letterhead"
    assert not document.element.body.xpath(".//wp:anchor")
    assert document.paragraphs[0].runs[0].font.color.rgb is None
    page = pdfium.PdfDocument(str(files["pdf"]))[0]
    assert any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=4))


@pytest.mark.parametrize(("make", "expected"), [
    (lambda path: Image.new("RGB", (40, 40), "navy").save(path.with_suffix(".jpg")), "is not a PNG file"),
    (lambda path: Image.new("1", (2000, 1200)).save(path), "2000 × 1200 pixels, more than 2,000,000"),
    (lambda path: path.write_bytes(b"not a picture at all"), "is not a readable PNG file"),
    (lambda path: None, "not found in templates/"),
])
def test_a_logo_that_cannot_go_into_a_letter_is_one_line(tmp_path, make, expected):
    root = copy_example(tmp_path / "ws")
    logo = root / "templates" / "letterhead" / "asimkom-logo.png"
    logo.unlink()
    make(logo)
    if logo.with_suffix(".jpg").exists():
        people = root / "people" / "organisations.yaml"
        people.write_text(people.read_text().replace("asimkom-logo.png", "asimkom-logo.jpg"))
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code != 0
    [line] = [line for line in result.output.splitlines() if "logo" in line]
    assert line.startswith("people/organisations.yaml:18: error: logo '") and expected in line


def test_a_colour_must_be_a_colour(tmp_path):
    root = copy_example(tmp_path / "ws")
    people = root / "people" / "organisations.yaml"
    people.write_text(people.read_text().replace('colour: "#1f3a5f"', "colour: navy"))
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code != 0
    assert "people/organisations.yaml:19:" in result.output and "#RRGGBB" in result.output


def test_the_logo_is_checked_for_size_in_bytes(tmp_path):
    root = copy_example(tmp_path / "ws")
    logo = root / "templates" / "letterhead" / "asimkom-logo.png"
    noise = Image.frombytes("RGB", (700, 700), bytes(range(251)) * (700 * 700 * 3 // 251 + 1))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    logo.write_bytes(buffer.getvalue())
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert "larger than 512 KB" in result.output and result.exit_code != 0
