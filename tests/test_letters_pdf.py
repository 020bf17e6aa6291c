"""batch/letters_pdf.py: many letters' PDFs as one, written a letter at a time. A build's
all-letters.pdf made of WeasyPrint letters is checked in tests/test_batch.py."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from appealkit.batch.letters_pdf import write_letters_pdf

#: A literal string that reads like a reference and has escaped parentheses: copied as it is.
TRICKY = "see 5 0 R (and 1 0 R) \\ done"


def letter(path: Path, name: str, pages: int, version: str = "1.7", inherited: bool = False) -> Path:
    """A letter's PDF: a font shared by its pages, a link from its first page to its last, and with
    `inherited` its media box and resources on the page tree instead of each page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pdf.make_indirect(pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
    for number in range(1, pages + 1):
        text = f"BT /F1 24 Tf 72 {700 - 40 * number} Td ({name} page {number}) Tj ET".encode()
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Contents=pdf.make_stream(text))
        if not inherited:
            page.MediaBox, page.Resources = [0, 0, 400, 500], resources
        pdf.pages.append(pikepdf.Page(page))
    if inherited:
        pdf.Root.Pages.MediaBox, pdf.Root.Pages.Resources = pikepdf.Array([0, 0, 400, 500]), resources
    last = pdf.pages[-1].obj
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
        Contents=pikepdf.String(TRICKY), Dest=pikepdf.Array([last, pikepdf.Name.Fit])))]))
    pdf.docinfo["/Author"] = "ASİMKOM"
    pdf.Root.Lang = pikepdf.String("de")
    file = path / f"{name}.pdf"
    pdf.save(file, min_version=version)
    return file


@pytest.fixture
def letters(tmp_path: Path) -> list[tuple[str, Path]]:
    return [("Dr. A (one)", letter(tmp_path, "one", 2)), ("B, Minister (two)", letter(tmp_path, "two", 1)),
            ("Ç (three)", letter(tmp_path, "three", 3, inherited=True))]


def merged(letters: list[tuple[str, Path]], language: str = "en") -> bytes:
    out = io.BytesIO()
    write_letters_pdf(out, iter(letters), "A campaign", language, "appealkit test")
    return out.getvalue()


def test_every_page_in_order_under_one_bookmark_a_letter(letters):
    data = merged(letters)
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Dr. A (one)", 0), ("B, Minister (two)", 2), ("Ç (three)", 3)]
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert texts == ["one page 1", "one page 2", "two page 1", "three page 1", "three page 2", "three page 3"]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines" and reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == "A campaign" and reader.metadata.author == "ASİMKOM"
    assert reader.metadata.producer == "appealkit test"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # pikepdf 9 calls it check
        assert check() == []


def test_pages_look_as_in_their_letter_and_links_still_lead_within_it(letters):
    document = pypdfium2.PdfDocument(merged(letters))
    originals = [page for _, path in letters for page in pypdfium2.PdfDocument(str(path))]
    assert len(document) == len(originals) == 6
    for page, original in zip(document, originals, strict=True):
        assert page.get_size() == (400, 500)  # the third letter's media box came from its page tree
        assert page.render().to_pil().tobytes() == original.render().to_pil().tobytes()
    with pikepdf.open(io.BytesIO(merged(letters))) as pdf:
        starts = (0, 2, 3)
        for start, (_, path) in zip(starts, letters, strict=True):
            link = pdf.pages[start].obj.Annots[0]
            assert str(link.Contents) == TRICKY
            assert link.Dest[0].objgen == pdf.pages[start + len(PdfReader(path).pages) - 1].obj.objgen


def test_the_same_letters_give_the_same_bytes_and_the_id_is_their_hash(letters):
    data = merged(letters)
    assert merged(letters) == data
    identifier = PdfReader(io.BytesIO(data)).trailer["/ID"][0]
    assert identifier == hashlib.md5(data[:data.rindex(b"trailer")]).digest()
    assert merged(letters[:2]) != data


def test_the_language_is_the_letters_when_none_is_given_and_a_newer_version_is_kept(tmp_path, letters):
    newer = [*letters, ("Four", letter(tmp_path, "four", 1, version="2.0"))]
    with pikepdf.open(io.BytesIO(merged(newer, language=""))) as pdf:
        assert str(pdf.Root.Lang) == "de"
        assert pdf.pdf_version == "1.7" and pdf.Root.Version == "/2.0"  # the catalog's says more than the header
        assert len(pdf.pages) == 7
    with pikepdf.open(io.BytesIO(merged(letters))) as pdf:
        assert "/Version" not in pdf.Root


def test_letters_without_a_page_are_refused(tmp_path):
    with pytest.raises(ValueError, match="no letter has a page"):
        merged([])
