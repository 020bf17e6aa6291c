"""Read a letter that did not necessarily come out of appealkit: .docx, .pdf, .txt or .md.

A letter becomes passages (paragraphs, or a page of a PDF) that remember where they
are, so a finding can name the line of a text file, the paragraph of a DOCX, or the
page and line of a PDF.
"""

from __future__ import annotations

import bisect
import zipfile
from dataclasses import dataclass
from pathlib import Path

from appealkit.errors import UnreadableLetter

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_BYTES = 20_000_000
MAIN_PART = "word/document.xml"
#: A PDF line shorter than this share of the longest line on its page ends a paragraph.
PARAGRAPH_END = 0.75


@dataclass(frozen=True)
class Passage:
    """A paragraph (or a PDF page) with the number of its first line and where the others start."""

    text: str
    line: int
    page: int | None = None
    line_starts: tuple[int, ...] = (0,)

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.line_starts, offset) - 1


@dataclass(frozen=True)
class LetterText:
    file: str
    passages: tuple[Passage, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.passages)


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
            return LetterText(shown, _docx_passages(path, shown))
        if suffix == ".pdf":
            return LetterText(shown, _pdf_passages(path, shown))
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableLetter.at(shown, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableLetter.at(shown, line, "the file is not UTF-8 text",
                                  "save it with UTF-8 encoding") from None
    return LetterText(shown, text_passages(text))


def text_passages(text: str) -> tuple[Passage, ...]:
    """Blocks of non-blank lines, each knowing its first line number."""
    passages = []
    block: list[str] = []
    first = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            passages.append(_passage(block, first))
            block = []
    return tuple(passages)


def _passage(lines: list[str], first: int, page: int | None = None) -> Passage:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return Passage("\n".join(lines), first, page, tuple(starts))


def _docx_passages(path: Path, shown: str) -> tuple[Passage, ...]:
    """Body paragraphs, then those in tables; only the main part is parsed (styles, fonts
    and numbering do not change the words, and skipping them makes reading 5× faster)."""
    # python-docx and pypdf take a tenth of a second each to import: only for letters that need them.
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(path) as archive:
            if MAIN_PART not in set(archive.namelist()):
                body = docx.Document(str(path)).element.body
            else:
                body = parse_xml(archive.read(MAIN_PART)).body
        paragraphs = [Paragraph(p, None) for p in body.iterchildren(qn("w:p"))]
        for table in body.iterchildren(qn("w:tbl")):
            paragraphs.extend(Paragraph(p, None) for p in table.iter(qn("w:p")))
        texts = [paragraph.text for paragraph in paragraphs]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise UnreadableLetter.at(shown, None, "not a readable DOCX file",
                                  "open it in a word processor and save it again as .docx") from None
    return tuple(Passage(text, number) for number, text in enumerate(texts, start=1) if text.strip())


def _pdf_passages(path: Path, shown: str) -> tuple[Passage, ...]:
    """A PDF has no paragraphs, only lines: a line clearly shorter than the page's longest ends one."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except (PyPdfError, KeyError, ValueError):
        raise UnreadableLetter.at(shown, None, "not a readable PDF file",
                                  "export the letter to PDF again") from None
    passages = []
    for page_number, lines in enumerate(pages, start=1):
        width = max((len(line.rstrip()) for line in lines), default=0)
        block: list[str] = []
        first = 1
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if not block:
                first = number
            block.append(line)
            if len(line.rstrip()) < PARAGRAPH_END * width:
                passages.append(_passage(block, first, page_number))
                block = []
        if block:
            passages.append(_passage(block, first, page_number))
    return tuple(passages)
