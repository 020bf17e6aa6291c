"""Proof by looking: the example's letters rendered to page images, and the layout rules that
can be measured on them. No golden images (fonts differ between machines); rules."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import unhyphenate, words
from PIL import Image
from pypdf import PdfReader

DPI = 24
MM = DPI / 25.4
SIDE_MARGIN_MM = 25


@pytest.fixture(scope="module")
def letters(example_build, once_per_run):
    """(outcome, pdf path, docx path, page texts) of every letter of the example, read once a run."""

    def read(_folder):
        built = []
        for outcome in example_build.letters:
            files = {o.format: o.path for o in outcome.outputs}
            pages = [unhyphenate(page.extract_text()) for page in PdfReader(str(files["pdf"])).pages]
            built.append((outcome, files["pdf"], files["docx"], pages))
        return built

    return once_per_run("page-layout-letters", read)


def page_images(pdf: Path, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(folder / "page")], check=True)
    return [Image.open(path) for path in sorted(folder.glob("page-*.png"))]


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around everything darker than light grey."""
    return image.point(lambda value: 255 if value < 160 else 0).getbbox()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed")
def test_pages_render_and_keep_their_margins(letters, tmp_path):
    for outcome, pdf, _, _ in letters:
        folder = tmp_path / outcome.id
        folder.mkdir()
        images = page_images(pdf, folder)
        assert len(images) == len(PdfReader(str(pdf)).pages)
        for number, image in enumerate(images, start=1):
            box = ink_box(image)
            assert box is not None, f"{outcome.id}: page {number} is blank"
            left, _, right, _ = box
            assert left >= (SIDE_MARGIN_MM - 1) * MM, f"{outcome.id}: page {number} prints into the left margin"
            assert image.width - right >= (SIDE_MARGIN_MM - 1) * MM, (
                f"{outcome.id}: page {number} prints into the right margin")


def test_no_page_starts_with_the_closing(letters):
    for outcome, _, _, pages in letters:
        closing = outcome.rendered.letter.closing
        for number, text in enumerate(pages[1:], start=2):
            first_line = next(line for line in text.splitlines() if line.strip())
            assert words(first_line) != words(closing), f"{outcome.id}: page {number} opens with the closing"


def _page_of(pages: list[str], phrase: str) -> int:
    folded = [words(page) for page in pages]
    found = [number for number, page in enumerate(folded, start=1) if phrase in page]
    assert found, phrase
    return found[0]


def test_every_list_lead_in_is_on_the_page_of_its_first_item(letters):
    checked = 0
    for outcome, _, _, pages in letters:
        body = outcome.rendered.letter.body
        for block, following in itertools.pairwise(body):
            if block.kind == "paragraph" and block.text.endswith(":") and following.kind == "item":
                lead_in = " ".join(block.text.split()[-3:])
                first_item = " ".join(following.text.split()[:3])
                assert _page_of(pages, lead_in) == _page_of(pages, first_item), (
                    f"{outcome.id}: '{lead_in}' and its list are on different pages")
                checked += 1
    assert checked >= 1


def test_the_last_paragraph_is_on_the_page_of_the_closing(letters):
    for outcome, _, _, pages in letters:
        letter = outcome.rendered.letter
        last_words = " ".join(letter.body[-1].text.split()[-4:])
        assert _page_of(pages, last_words) == _page_of(pages, words(letter.closing))


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) is not installed; CI does not install it")
def test_libreoffice_paginates_the_docx_like_the_pdf(letters, tmp_path):
    profile = tmp_path / "profile"
    out = tmp_path / "lo"
    docx_files = [str(docx) for _, _, docx, _ in letters]
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(out), *docx_files], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(tmp_path)})
    counts = {}
    for outcome, pdf, docx, _ in letters:
        converted = out / f"{docx.stem}.pdf"
        counts[outcome.id] = (len(PdfReader(str(pdf)).pages), len(PdfReader(str(converted)).pages))
    assert all(pdf == lo for pdf, lo in counts.values()), counts


def test_tagged_pdf_with_language_title_headings_and_lists(letters):
    outcome, pdf, _, _ = next(item for item in letters if item[0].id.startswith("appeal-coe"))
    reader = PdfReader(str(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == outcome.rendered.letter.language
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == outcome.rendered.letter.subject
    kinds: list[str] = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            kinds.append(str(node["/S"]))
        children = node.get("/K")
        for child in children if isinstance(children, list) else [children]:
            child = child.get_object() if hasattr(child, "get_object") else child
            if isinstance(child, dict):
                walk(child)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/L", "/LI", "/LBody", "/P"} <= set(kinds)
    assert kinds.count("/LI") == 6
    assert re.search(r"/H[1-6]", " ".join(kinds))
