"""The font decision, proved: the PDF's font covers every letter appealkit writes, and a missing
font is an error, never a quiet fallback that moves the page breaks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from helpers import sample_letter
from test_pdf_writer import LAYOUT_DIR, load_layout

from appealkit.errors import MissingFont
from appealkit.render.typography import FRENCH_SPACE_BEFORE, QUOTES
from appealkit.write import docx_styles
from appealkit.write.pdf_writer import html_to_pdf, layout_fonts, letter_html

ALPHABETS = {
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "de": "abcdefghijklmnopqrstuvwxyzäöüß",
    "fr": "abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
# What the model and the layout add: quotes, apostrophes, French spaces, dashes, the layout's hyphen.
MARKS = "".join(q.open + q.close + q.inner_open + q.inner_close + q.apostrophe for q in QUOTES.values())
MARKS += "".join(FRENCH_SPACE_BEFORE.values()) + "–—•◦‐…§€"


def font_file(family: str, style: str) -> Path:
    found = subprocess.run(["fc-match", "-f", "%{file}", f"{family}:style={style}"],
                           capture_output=True, text=True, check=True).stdout
    return Path(found)


@pytest.mark.parametrize("style", ["Regular", "Bold", "Italic", "Bold Italic"])
def test_the_pdf_font_covers_every_letter_of_every_language(style):
    path = font_file(docx_styles.FONT_TWIN, style)
    assert "LiberationSerif" in path.name, f"{docx_styles.FONT_TWIN} is not installed (got {path})"
    cmap = TTFont(path).getBestCmap()
    wanted = set(MARKS)
    for alphabet in ALPHABETS.values():
        wanted |= set(alphabet) | set(alphabet.upper())
    wanted |= {"İ", "I"}  # Azerbaijani has both capitals of i
    missing = sorted(char for char in wanted if ord(char) not in cmap)
    assert not missing, f"{path.name} lacks {missing}"


def test_the_layout_names_the_twin_of_the_docx_font():
    assert layout_fonts(LAYOUT_DIR) == {docx_styles.FONT_TWIN.lower()}
    assert docx_styles.FONT == "Times New Roman"


def test_a_missing_font_fails_loudly(tmp_path):
    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    css = folder / "letter.css"
    css.write_text(css.read_text().replace("Liberation Serif", "No Such Serif Font"))
    html = letter_html(sample_letter(), load_layout(folder))
    with pytest.raises(MissingFont) as error:
        html_to_pdf(html, folder, source="templates/layout/letter.html")
    message = str(error.value)
    assert message.startswith("templates/layout/letter.html: error: the PDF would set text in ")
    assert "no such serif font is missing" in message


def test_a_letter_the_font_lacks_fails_loudly():
    letter = sample_letter()
    html = letter_html(letter, load_layout(LAYOUT_DIR)).replace("Hörmətlə,", "Hörmətlə, 中文")
    with pytest.raises(MissingFont, match=r"no installed font has 中|lacks a letter of this text"):
        html_to_pdf(html, LAYOUT_DIR)
