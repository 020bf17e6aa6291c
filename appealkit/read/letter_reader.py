"""Read a letter that did not necessarily come out of appealkit: .docx, .pdf, .txt or .md.

A letter becomes passages that remember where they are (see `passages.py`): a Word file is
read part by part (`read_docx.py`), a PDF paragraph by paragraph from the layout of its
text (`read_pdf.py`), a text file block by block. Every file is read through the caps of
`untrusted` before any parser sees it.
"""

from __future__ import annotations

from pathlib import Path

from appealkit.errors import UnreadableLetter
from appealkit.read.normal_text import normalised
from appealkit.read.passages import LetterText, Passage, lines_passage, text_passages
from appealkit.rules.language_guess import detect_language

# Not from checks/untrusted, which brings lxml: a text letter is read without it.
from appealkit.source.regular_files import MAX_FILE_BYTES, Untrusted, read_regular

__all__ = ["SUFFIXES", "LetterText", "Passage", "lines_passage", "read_letter", "text_passages"]

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_BYTES = MAX_FILE_BYTES


def read_letter(path: Path, shown: str | None = None, vocabulary: frozenset[str] = frozenset()) -> LetterText:
    """The passages of one letter, normalised; an `UnreadableLetter` when it cannot be read.

    `vocabulary` holds words (of names, lower case) that a word broken at a line end is joined
    into even where the hyphenation dictionary would not break it ("Moham-⏎med")."""
    letter = _read(Path(path), shown or str(path))
    language = detect_language(letter.text, letter.language or None)
    return LetterText(letter.file, tuple(normalised(p, p.language or language, vocabulary)
                                         for p in letter.passages), letter.language)


def _read(path: Path, shown: str) -> LetterText:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableLetter.at(shown, None, f"cannot audit a '{suffix or path.name}' file",
                                  "give a .docx, .pdf, .txt or .md letter")
    kind = {".docx": "DOCX file", ".pdf": "PDF file"}.get(suffix, "file")
    try:
        raw = read_regular(path, MAX_BYTES)
        if suffix == ".docx":
            from appealkit.read.read_docx import docx_language, read_docx
            from appealkit.read.untrusted import BoundedZip

            archive = BoundedZip(raw)  # its directory read once for both
            return LetterText(shown, read_docx(archive), docx_language(archive))
        if suffix == ".pdf":
            from appealkit.read.read_pdf import read_pdf_letter

            passages, language = read_pdf_letter(raw)
            return LetterText(shown, passages, language)
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
