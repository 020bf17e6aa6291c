"""Images encoded for the PDF once per process (`write/pdf_images.py`): a letter written with
the kept streams has the bytes it has without them, and its logo is still in the PDF."""

from __future__ import annotations

import dataclasses
import io

import pikepdf
from helpers import sample_letter
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from PIL import Image
from test_pdf_writer import LAYOUT_DIR

from appealkit.write import pdf_images
from appealkit.write.pdf_writer import html_to_pdf, letter_html


def _logo(colour: tuple[int, int, int, int]) -> str:
    """The sample letter's HTML with a small RGBA logo of `colour`, one pixel transparent."""
    image = Image.new("RGBA", (64, 48), colour)
    image.putpixel((3, 4), (0, 0, 0, 0))
    data = io.BytesIO()
    image.save(data, format="PNG")
    env = SandboxedEnvironment(loader=FileSystemLoader(LAYOUT_DIR), autoescape=True, undefined=StrictUndefined)
    return letter_html(dataclasses.replace(sample_letter(), logo=data.getvalue()), env.get_template("letter.html"))


def _images(pdf: bytes) -> list[tuple[int, int, bytes, bytes]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(image.Width, image.Height, image.read_bytes(), image.SMask.read_bytes())
                for page in document.pages for image in page.Resources.XObject.as_dict().values()
                if image.Subtype == "/Image"]


def test_a_kept_image_writes_the_bytes_of_a_fresh_one(monkeypatch):
    html = _logo((200, 30, 40, 255))
    pdf_images._kept.clear()
    fresh = html_to_pdf(html, LAYOUT_DIR)  # encoded by WeasyPrint, then kept
    assert len(pdf_images._kept) == 1
    kept = html_to_pdf(html, LAYOUT_DIR)   # the kept streams
    assert kept == fresh
    width, height, pixels, alpha = _images(kept)[0]
    assert (width, height) == (64, 48) and len(pixels) == 64 * 48 * 3 and alpha[4 * 64 + 3] == 0
    monkeypatch.setattr(pdf_images, "keep_encoded", lambda document: 0)
    assert html_to_pdf(html, LAYOUT_DIR) == fresh


def test_images_are_kept_by_their_bytes():
    pdf_images._kept.clear()
    red, blue = html_to_pdf(_logo((200, 30, 40, 255)), LAYOUT_DIR), html_to_pdf(_logo((20, 30, 240, 255)), LAYOUT_DIR)
    assert len(pdf_images._kept) == 2
    assert _images(red)[0][2][:3] == bytes((200, 30, 40)) and _images(blue)[0][2][:3] == bytes((20, 30, 240))
