"""Read a letter that did not necessarily come out of appealkit: .docx, .pdf, .txt or .md.

A letter becomes passages that remember where they are (see `passages.py`): a Word file is
read part by part (`read_docx.py`), a PDF paragraph by paragraph from the layout of its
text (`read_pdf.py`), a text file block by block.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from appealkit.checks.passages import LetterText, Passage, lines_passage, text_passages
from appealkit.errors import UnreadableLetter

__all__ = ["SUFFIXES", "LetterText", "Passage", "lines_passage", "read_letter", "text_passages"]

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_BYTES = 20_000_000


def read_letter(path: Path, shown: str | None = None) -> LetterText:
    """The passages of one letter; an `UnreadableLetter` when it cannot be read."""
    path = Path(path)
    shown = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableLetter.at(shown, None, f"cannot audit a '{suffix or path.name}' file",
                                  "give a .docx, .pdf, .txt or .md letter")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableLetter.at(shown, None, f"the file is larger than {MAX_BYTES // 1_000_000} MB")
        if suffix == ".docx":
            from appealkit.checks.read_docx import read_docx

            return LetterText(shown, read_docx(path))
        if suffix == ".pdf":
            return LetterText(shown, _pdf(path, shown))
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableLetter.at(shown, None, f"cannot read the file: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        raise UnreadableLetter.at(shown, None, "not a readable DOCX file",
                                  "open it in a word processor and save it again as .docx") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableLetter.at(shown, line, "the file is not UTF-8 text",
                                  "save it with UTF-8 encoding") from None
    return LetterText(shown, text_passages(text))


def _pdf(path: Path, shown: str) -> tuple[Passage, ...]:
    import pypdfium2 as pdfium

    from appealkit.checks.read_pdf import read_pdf

    try:
        return read_pdf(path)
    except pdfium.PdfiumError:
        raise UnreadableLetter.at(shown, None, "not a readable PDF file",
                                  "export the letter to PDF again") from None
