"""Read a letter that did not necessarily come out of appealkit: .docx, .pdf, .txt or .md.

A letter becomes passages (paragraphs, or a page of a PDF) that remember where they
are, so a finding can name the line of a text file, the paragraph of a DOCX, or the
page and line of a PDF.
"""

from __future__ import annotations

import bisect
import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from appealkit.checks.untrusted import (
    MAX_FILE_BYTES,
    BoundedZip,
    Untrusted,
    docx_xml,
    pdf_reader,
    read_regular,
)
from appealkit.errors import UnreadableLetter

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_BYTES = MAX_FILE_BYTES
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
    kind = {".docx": "DOCX file", ".pdf": "PDF file"}.get(suffix, "file")
    try:
        raw = read_regular(path, MAX_BYTES)
        if suffix == ".docx":
            return LetterText(shown, _docx_passages(raw))
        if suffix == ".pdf":
            return LetterText(shown, _pdf_passages(raw))
    except Untrusted as exc:
        raise UnreadableLetter.at(shown, None, f"cannot read the {kind}", str(exc)) from None
    except Exception as exc:  # a crafted file can break a parser anywhere; it is still one unreadable file
        raise UnreadableLetter.at(shown, None, f"cannot read the {kind}",
                                  f"the {suffix[1:].upper()} parser failed: {type(exc).__name__}") from None
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


def _docx_passages(raw: bytes) -> tuple[Passage, ...]:
    """Body paragraphs, then those in tables; only the main part is parsed (styles, fonts
    and numbering do not change the words, and skipping them makes reading 5× faster).
    Every part is read through the caps of `untrusted` before any parser sees it."""
    archive = BoundedZip(raw)
    if MAIN_PART in archive:
        body = getattr(docx_xml(archive.read(MAIN_PART), MAIN_PART), "body", None)
        if body is None:
            raise Untrusted(f"{MAIN_PART} holds no document body")
    else:
        for name, data in archive.read_all().items():
            if name.endswith((".xml", ".rels")):
                docx_xml(data, name)
        body = docx.Document(io.BytesIO(raw)).element.body
    paragraphs = [Paragraph(p, None) for p in body.iterchildren(qn("w:p"))]
    for table in body.iterchildren(qn("w:tbl")):
        paragraphs.extend(Paragraph(p, None) for p in table.iter(qn("w:p")))
    passages = []
    for number, paragraph in enumerate(paragraphs, start=1):
        text = paragraph.text
        if text.strip():
            passages.append(Passage(text, number))
    return tuple(passages)


#: The hyphen a layout adds where it breaks a word (WeasyPrint's U+2010), not one the writer typed.
LAYOUT_HYPHEN = "\u2010"


def _whole_words(lines: list[str]) -> list[str]:
    """A word hyphenated across two lines is read whole, on the first; line numbers stay."""
    lines = list(lines)
    for number in range(len(lines) - 1):
        if lines[number].endswith(LAYOUT_HYPHEN):
            rest, _, after = lines[number + 1].partition(" ")
            lines[number] = lines[number][:-1] + rest
            lines[number + 1] = after
    return lines


_PAGE_NUMBER = re.compile(r"^\s*\d+\s*(?:/|of|von|sur)\s*\d+\s*$")


def _pdf_passages(raw: bytes) -> tuple[Passage, ...]:
    """A PDF has no paragraphs, only lines: a line clearly shorter than the page's longest ends one.

    A paragraph that runs on past the foot of a page (its last line there is full) continues
    on the next page, so a sentence cut by a page break is read whole; it keeps the page and
    line where it starts.
    """
    reader = pdf_reader(raw)
    passages = []
    block: list[str] = []
    first, first_page = 1, 1
    for page_number, page in enumerate(reader.pages, start=1):
        lines = _whole_words((page.extract_text() or "").splitlines())
        width = max((len(line.rstrip()) for line in lines), default=0)
        numbered = [n for n, line in enumerate(lines) if line.strip()]
        footer = numbered[-1] if numbered and _PAGE_NUMBER.match(lines[numbered[-1]]) else None
        for number, line in enumerate(lines, start=1):
            if not line.strip() or number - 1 == footer:
                continue
            if not block:
                first, first_page = number, page_number
            block.append(line)
            if len(line.rstrip()) < PARAGRAPH_END * width:
                passages.append(_passage(block, first, first_page))
                block = []
        if footer is not None:
            passages.append(_passage([lines[footer]], footer + 1, page_number))
        if block and page_number == len(reader.pages):
            passages.append(_passage(block, first, first_page))
    return tuple(passages)
