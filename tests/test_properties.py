"""Property tests: whatever Markdown a template renders, both writers print it, word for word."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata

import docx
import pytest
from helpers import REPO, labelled_paragraphs, sample_letter, unhyphenate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from appealkit.render.document import parse_body
from appealkit.render.letters import DEFAULT_LAYOUT_DIR, LAYOUT, make_environment
from appealkit.render.typography import typeset_letter
from appealkit.write import docx_writer, pdf_writer

pytestmark = pytest.mark.slow  # hypothesis: many examples each; the profile is set in conftest.py

LETTERS = "abcxyzAZ0123456789əğışçöüİƏĞIŞÇÖÜ"
# Markdown punctuation and HTML-ish characters; '&' and '(' are left out because entities
# (`&amp;`) and link targets (`[a](b)`) rightly do not print their letters.
PUNCTUATION = "*_#-+>`[!<>/=\"'|~\\:.;,?{}%$@^ "
ALPHABET = LETTERS + PUNCTUATION + "\n\n\t"
FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=y>", "<b>Ali</b> & Co", "**bold**", "*em*", "_em_",
    "# heading\n", "\n1. item\n", "\n- item\n", "\n> quote\n", "\n```\ncode\n```\n", "`code`", "\n\n",
    "<!-- comment -->", "<?php x ?>", "\\*", "İsgəndərli ", "Şuşa ", "Ağdam ", "\n    indented\n", "---\n",
    # the Markdown organisers write: links, hard breaks, quotations, tables, rules, quotes
    "[report](https://example.org/r)", "<https://example.org/a?b=1>", "<info@example.org>",
    "[x](javascript:alert(1))", "line  \nbreak", "line\\\nbreak",
    "\n> quoted **text**\n", "\n| a | b |\n|---|---|\n| c1 | d2 |\n", "\n***\n", '"quoted"', "it's ",
    "\n\nWe ask:\n\n1. one\n2. two\n",
]
BODIES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=25)), max_size=25).map("".join)


def tokens(text: str) -> list[str]:
    """The letter and digit runs of `text`; a number without its leading zeros (list starts)."""
    found = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))
    return [t.lstrip("0") or "0" if t.isdigit() else t for t in found]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def letter_with(body: str, language: str = "az"):
    letter = dataclasses.replace(sample_letter(), body=parse_body(body), language=language)
    return typeset_letter(letter)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_markdown_body_writes_a_docx_with_every_word(body):
    data = docx_writer.write_docx(letter_with(body), None)
    text = squeeze(docx_body_text(data))
    for token in tokens(body):
        assert token in text


_layout = make_environment(REPO).get_template(LAYOUT)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_markdown_body_writes_a_pdf_with_every_word(body):
    html = pdf_writer.letter_html(letter_with(body), _layout)
    data = pdf_writer.html_to_pdf(html, DEFAULT_LAYOUT_DIR)
    text = squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    for token in tokens(body):
        assert token in text


def docx_body_text(data: bytes) -> str:
    """Body paragraphs and table cells in document order, list items with their labels."""
    document = docx.Document(io.BytesIO(data))
    labelled = iter(labelled_paragraphs(document))
    texts = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            texts.append(next(labelled))
        elif element.tag.endswith("}tbl"):
            texts.extend(cell.text for row in docx.table.Table(element, document).rows for cell in row.cells)
    return "\n".join(texts)


def pdf_body_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text().rstrip()
        texts.append(text.removesuffix(f"{number} / {pages}"))
    return unhyphenate("".join(texts))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES, st.sampled_from(["az", "en", "de", "fr"]))
def test_docx_and_pdf_carry_the_same_text(body, language):
    letter = letter_with(body, language)
    docx_text = squeeze(docx_body_text(docx_writer.write_docx(letter, None)))
    pdf = pdf_writer.html_to_pdf(pdf_writer.letter_html(letter, _layout), DEFAULT_LAYOUT_DIR)
    assert squeeze(pdf_body_text(pdf)) == docx_text
