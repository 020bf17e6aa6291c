"""One file as the letters it holds: header, salutation, body paragraphs, closing, signatures.

A file may hold several letters, as a published collection of appeals does: a letter
starts at the short lines (recipient, date, subject) right above a salutation, and a rule
(`***`, `---`) ends one. Text before the first letter (a website's preamble) is left out
and said so in the report. A salutation inside a body ("Dear Minister," halfway down) does
not start a letter: only one with a header above it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from appealkit.importer.header import find_date, looks_like_header
from appealkit.read.passages import LetterText, Passage
from appealkit.rules.language import CLOSINGS
from appealkit.rules.language_guess import detect_language

#: How a salutation starts, in the languages appealkit writes.
SALUTATION = re.compile(
    r"^(?:Dear|Sehr\s+geehrte[rs]?|Liebe[rs]?|Hörmətli|Əziz|Madame|Monsieur|Mesdames|Excellency|"
    r"Your\s+Excellency)\b", re.IGNORECASE)
_CLOSING_WORDS = [re.escape(c.split("{")[0].split(",")[0].strip()) for c in CLOSINGS.values()]
CLOSING = re.compile(r"^(?:" + "|".join([*_CLOSING_WORDS, r"Yours\s+faithfully", r"Sincerely",
                                          r"Kind\s+regards", r"Respectfully", r"Hochachtungsvoll"])
                     + r")\b", re.IGNORECASE)
#: A line that only draws a rule between letters: `***`, `---`, `\ ** *****`.
_RULE = re.compile(r"^[\s\\*_=~-]*$")
#: A numbered request as text files carry them, even with stray emphasis: "1.", "** 2.**", "**6.**".
_ITEM = re.compile(r"^[\\*\s]*(\d{1,2})\s*\**\s*[.)]\s*\**\s+(?=\S)")
#: A page's number in its footer ("1 / 2", "Page 2 of 3", "Seite 2 von 3"), which a PDF reader passes on.
_FOOTER = re.compile(r"^\s*(?:(?:page|seite|page|səhifə)\s+)?\d+\s*(?:/|of|von|sur)\s*\d+\s*$", re.IGNORECASE)
#: A header line is short; a body paragraph is not.
HEADER_CHARS = 200


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph as the letter has it: prose, a numbered request or a table."""

    text: str
    where: str
    kind: str = "paragraph"  # "paragraph" | "item" | "table"
    number: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class FoundLetter:
    """One letter found in a file, in the parts a workspace keeps apart."""

    file: str
    index: int
    where: str
    language: str
    header: tuple[str, ...]
    salutation: str
    body: tuple[Paragraph, ...]
    closing: str = ""
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Split:
    letters: tuple[FoundLetter, ...]
    skipped: tuple[str, ...]  # "file:1: text before the first letter left out (to line 7)"
    left_out: tuple[str, ...] = ()  # the text of the passages left out


def where(file: str, passage: Passage) -> str:
    """`letters.txt:23`, `letter.pdf:2:14` (page and line), or the Word part."""
    if passage.part:
        return f"{file}: {passage.part}"
    if passage.page is not None:
        return f"{file}:{passage.page}:{passage.line}"
    return f"{file}:{passage.line}" if passage.line else file


def _is_rule(passage: Passage) -> bool:
    text = passage.text.strip()
    return bool(_RULE.match(text)) and sum(text.count(c) for c in "*_=~-") >= 3


def _is_header(passage: Passage) -> bool:
    return len(passage.text) <= HEADER_CHARS and not passage.part and not _is_rule(passage)


def _sentence(passage: Passage) -> bool:
    """A sentence of prose ("Our website publishes the appeals below."), which no header line is."""
    text = passage.text.strip()
    return text[-1:] in ".!?" and len(text.split()) >= 4


def _starts(passages: tuple[Passage, ...]) -> list[tuple[int, int]]:
    """(header start, salutation index) of each letter."""
    found = []
    floor = 0
    for index, passage in enumerate(passages):
        if _is_rule(passage):
            floor = index + 1
            continue
        if not SALUTATION.match(passage.text.strip()) or len(passage.text) > HEADER_CHARS:
            continue
        start = index
        while (start > floor and _is_header(passages[start - 1])
               and not CLOSING.match(passages[start - 1].text)):
            start -= 1
        lines = tuple(line.strip() for p in passages[start:index] for line in p.text.splitlines())
        language = detect_language(" ".join(p.text for p in passages[index:index + 5]))
        while start < index and (_sentence(passages[start]) or not looks_like_header(lines, language)):
            start += 1  # the end of the letter before, or a short paragraph: not this letter's header
            lines = tuple(line.strip() for p in passages[start:index] for line in p.text.splitlines())
        if start < index and looks_like_header(lines, language):
            found.append((start, index))
            floor = index + 1
    return found


def split_letters(text: LetterText) -> Split:
    """The letters in one read file, and what was left out."""
    passages = text.passages
    starts = _starts(passages)
    skipped = []
    if not starts:
        return Split((), ())
    if starts[0][0] > 0:
        first, last = passages[0], passages[starts[0][0] - 1]
        skipped.append(f"{where(text.file, first)}: text before the first letter left out "
                       f"(to line {last.line})" if last.line else
                       f"{where(text.file, first)}: text before the first letter left out")
    letters = []
    for number, (start, salutation) in enumerate(starts, start=1):
        end = starts[number][0] if number < len(starts) else len(passages)
        rule = next((i for i, p in enumerate(passages[salutation + 1:end]) if _is_rule(p)),
                    end - salutation - 1)
        body = list(passages[salutation + 1:salutation + 1 + rule])
        letters.append(_letter(text.file, number, passages[start:salutation], passages[salutation], body))
    return Split(tuple(letters), tuple(skipped), tuple(p.text for p in passages[:starts[0][0]]))


def _letter(file: str, index: int, header: tuple[Passage, ...], salutation: Passage,
            body: list[Passage]) -> FoundLetter:
    signatures: tuple[str, ...]
    closing, signatures = "", ()
    for position, passage in enumerate(body):
        if CLOSING.match(passage.text.strip()) and len(passage.text) <= HEADER_CHARS:
            ending = [line.strip() for p in body[position:] for line in p.text.splitlines() if line.strip()]
            closing, signatures = ending[0], tuple(ending[1:])
            body = body[:position]
            break
    paragraphs = _paragraphs(file, body)
    language = detect_language(" ".join(p.text for p in paragraphs))
    lines = tuple(line.strip() for p in header for line in p.text.splitlines() if line.strip())
    # a layout may set the date level with the salutation, so a PDF reads it just below
    if paragraphs and len(paragraphs[0].text.split()) <= 8 and find_date(paragraphs[0].text, language) \
            and not any(find_date(line, language) for line in lines):
        lines, paragraphs = (*lines, paragraphs[0].text), paragraphs[1:]
    return FoundLetter(file, index, where(file, salutation), language, lines,
                       " ".join(salutation.text.split()), tuple(paragraphs), closing, signatures)


def _paragraphs(file: str, body: list[Passage]) -> list[Paragraph]:
    found: list[Paragraph] = []
    table: list[list[str]] = []
    table_where = ""
    for passage in body:
        cell = re.match(r"table (\d+), row (\d+), cell (\d+)", passage.part)
        if cell:
            row, column = int(cell[2]), int(cell[3])
            if not table:
                table_where = where(file, passage)
            while len(table) < row:
                table.append([])
            table[row - 1].extend([""] * (column - len(table[row - 1])))
            table[row - 1][column - 1] = " ".join(passage.text.split())
            continue
        if table:
            found.append(_table(table, table_where))
            table = []
        if passage.part or _FOOTER.match(passage.text):  # footnotes, comments, page numbers: no body
            continue
        lines = [line.strip() for line in passage.text.splitlines() if line.strip()]
        if len(lines) >= 2 and all(line.startswith("|") for line in lines):
            rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines
                    if not re.fullmatch(r"[|:\s-]+", line)]
            found.append(_table(rows, where(file, passage)))
            continue
        for line in _items(lines):
            item = _ITEM.match(line)
            if item:
                found.append(Paragraph(line[item.end():], where(file, passage), "item", int(item[1])))
            else:
                found.append(Paragraph(line, where(file, passage)))
    if table:
        found.append(_table(table, table_where))
    return found


def _items(lines: list[str]) -> list[str]:
    """A passage's lines as paragraphs: hard-wrapped prose joined, each numbered request its own."""
    joined: list[str] = []
    for line in lines:
        if joined and not _ITEM.match(line):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined


def _table(rows: list[list[str]], at: str) -> Paragraph:
    width = max(len(r) for r in rows)
    cells = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
    return Paragraph("\n".join("\t".join(r) for r in cells), at, "table", rows=cells)
