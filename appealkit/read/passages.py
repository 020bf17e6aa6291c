"""A letter as passages that remember where they stand, whatever format it came in.

A finding names the line of a text file, the paragraph of a Word file (or the table cell,
footnote, header or comment it is in) and the page and line of a PDF; a figure inside a
tracked change says who changed what.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """A reviewer's tracked change: what was deleted and inserted at `start:end` of the accepted text."""

    start: int
    end: int
    author: str
    deleted: str
    inserted: str


@dataclass(frozen=True)
class Passage:
    """A paragraph with the number of its first line and where the others start.

    `line_numbers` and `line_pages` give each line's own number and page when they do not
    simply count on (a PDF paragraph that goes on over a column or a page); `part` names a
    place outside the numbered body ("table 1, row 2, cell 3", "footnote 2", "comment 1 by Ann").
    """

    text: str
    line: int | None
    page: int | None = None
    line_starts: tuple[int, ...] = (0,)
    line_numbers: tuple[int, ...] = ()
    line_pages: tuple[int, ...] = ()
    part: str = ""
    changes: tuple[Change, ...] = ()
    comment: bool = False
    #: the text as the letter has it, when normalisation (`normal_text`) changed it, and for each
    #: character of `text` (and its end) the offset in `source` it came from
    source: str = ""
    source_at: tuple[int, ...] = ()
    #: the language the file declares for this passage itself (a Word run's `w:lang`), if any
    language: str = ""

    def source_text(self, start: int, end: int) -> str:
        """`text[start:end]` as the letter writes it (before normalisation), for quoting."""
        if not self.source:
            return self.text[start:end]
        last = len(self.source_at) - 1
        return self.source[self.source_at[min(max(start, 0), last)]:self.source_at[min(max(end, 0), last)]]

    def _index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.line_starts, offset) - 1)

    def line_at(self, offset: int) -> int | None:
        if self.line_numbers:
            return self.line_numbers[self._index(offset)]
        return None if self.line is None else self.line + self._index(offset)

    def page_at(self, offset: int) -> int | None:
        return self.line_pages[self._index(offset)] if self.line_pages else self.page

    def change_at(self, start: int, end: int) -> Change | None:
        """The tracked change that touches `start:end`, if any (a deletion right there counts too)."""
        for change in self.changes:
            if (change.start < end and start < change.end) or (
                    change.start == change.end and start <= change.start <= end):
                return change
        return None


@dataclass(frozen=True)
class LetterText:
    file: str
    passages: tuple[Passage, ...]
    #: the language the file declares as a whole (a DOCX's default, a PDF's `/Lang`), if any
    language: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.passages)


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
            passages.append(lines_passage(block, first))
            block = []
    return tuple(passages)


def lines_passage(lines: list[str], first: int, page: int | None = None) -> Passage:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return Passage("\n".join(lines), first, page, tuple(starts))
