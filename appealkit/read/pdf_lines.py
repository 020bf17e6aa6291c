"""The lines of one PDF page, rebuilt from pdfium's text runs.

pdfium gives the text of a page as runs, each with its box; a word may be set in two runs (part
of it bold, a soft hyphen, LibreOffice printing each Word run apart), a table cell beside another
is a run of its own. Runs stand on one row when their baselines agree; in a row, pieces are one
line, with a space only where their characters stand a word gap of the font size apart; a label
and a figure side by side make the statement of a table row. Each line is numbered by its row,
counted down the page as it is printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from appealkit.read.table_rows import statement

#: Runs whose baselines differ by at most this many line heights stand on one row.
ROW_DRIFT = 0.35
#: Between the characters of two runs on one line, a gap of at least this many font sizes is a
#: word space; a narrower one joins two pieces of a word (a space is 0.25–0.33 em wide, letters
#: touch in pdfium's loose boxes, so the line between is clear in any font size).
WORD_GAP = 0.12
#: A label cell and a figure cell on one row are at least this many font sizes apart.
TABLE_GAP = 1.5
_SENTENCE_END = re.compile(r"[.!?:;»”\"')]\s*$")


@dataclass
class Line:
    page: int
    left: float
    bottom: float
    right: float
    top: float
    text: str
    number: int = 0
    alone: bool = False
    #: the edges of the column the line stands in, so a short line is short against its column
    col_left: float = 0.0
    col_right: float = 0.0
    col_lines: int = 0
    #: where the characters stand: the baseline, the outer left edge of the first character's
    #: box and its index on the page; the font size as printed, once asked for (`_Chars.size`)
    baseline: float = 0.0
    outer_left: float = 0.0
    first: int = -1
    size: float = 0.0
    #: a table row of a label and a figure, read as one statement
    statement: bool = False

    @property
    def height(self) -> float:
        return self.top - self.bottom


def page_lines(textpage, page: int) -> list[Line]:
    """The page's text runs as lines, numbered by the row they stand on (`_rows`), with the
    figure cell of a table row joined to its label cell (`_table_rows`)."""
    chars = _Chars(textpage)
    runs = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if not text.strip():
            continue
        run = Line(page, left, bottom, right, top, text.replace("\r", "").replace("\n", " "),
                   baseline=bottom, outer_left=left)
        chars.place(run)
        runs.append(run)
    lines = [line for row in _rows(runs, chars) for line in row]
    return _table_rows(lines, chars)


class _Chars:
    """pdfium's character boxes, asked only for what a decision needs: every run's first character
    (its baseline and outer left edge), the last one and the font size only where two runs meet.
    The loose boxes span each character's advance, so letters of a word touch and a word space
    shows as a gap."""

    def __init__(self, textpage):
        import ctypes

        import pypdfium2.raw as pdfium_c

        self.textpage, self.raw, self.c, self.ctypes = textpage, textpage.raw, pdfium_c, ctypes
        self.x, self.y, self.matrix = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
        self.get_matrix = getattr(pdfium_c, "FPDFText_GetMatrix", None)

    def place(self, run: Line) -> None:
        first = self.textpage.get_index(run.left + 0.3, (run.bottom + run.top) / 2, 2, 2)
        if first is None or first < 0:
            return
        run.first = first
        run.outer_left, run.bottom, _, run.top = self.textpage.get_charbox(first, loose=True)
        run.baseline = run.bottom
        byref = self.ctypes.byref
        if self.c.FPDFText_GetCharOrigin(self.raw, first, byref(self.x), byref(self.y)):
            run.baseline = self.y.value

    def outer_right(self, line: Line) -> float:
        last = self.textpage.get_index(line.right - 0.3, (line.bottom + line.top) / 2, 2, 2)
        return line.right if last is None or last < 0 else self.textpage.get_charbox(last, loose=True)[2]

    def size(self, run: Line) -> float:
        """The font size as printed (pdfium's size times the text matrix's scale), else the box's height."""
        if not run.size:
            size = self.c.FPDFText_GetFontSize(self.raw, run.first) if run.first >= 0 else 0.0
            if size > 0 and self.get_matrix is not None and self.get_matrix(
                    self.raw, run.first, self.ctypes.byref(self.matrix)):
                m = self.matrix
                size *= abs(m.a * m.d - m.b * m.c) ** 0.5
            run.size = size if size > 0 else run.height
        return run.size


def _rows(runs: list[Line], chars: _Chars) -> list[list[Line]]:
    """Runs on one baseline, top to bottom, as rows of lines, each line numbered by its row.

    A row is every run whose baseline is within `ROW_DRIFT` line heights of the row's first: a
    footnote mark a little raised stays on its line. In a row, runs closer than a column gap make
    one line, a space put between them only where their characters stand a word gap apart (a
    word set in two pieces, "Rza|yev", is one word again); farther apart they are columns or cells
    side by side, which share the row's number, as they share the row on the page."""
    runs.sort(key=lambda r: -r.baseline)
    rows: list[list[Line]] = []
    for run in runs:
        if rows and rows[-1][0].baseline - run.baseline <= ROW_DRIFT * max(run.height, rows[-1][0].height):
            rows[-1].append(run)
        else:
            rows.append([run])
    lines: list[list[Line]] = []
    for number, row in enumerate(rows, start=1):
        row.sort(key=lambda r: r.left)
        joined: list[Line] = []
        for run in row:
            run.number = number
            last = joined[-1] if joined else None
            if last and -0.3 * run.height <= run.left - last.right < 0.9 * run.height:
                text = _overlap_dropped(last, run)
                text = text.lstrip(" ") if last.text.endswith(" ") else text
                no_space = last.text.endswith(" ") or text.startswith(" ") or (
                    run.outer_left - chars.outer_right(last) < WORD_GAP * chars.size(run))
                last.text += ("" if no_space else " ") + text
                last.right = run.right
                last.bottom, last.top = min(last.bottom, run.bottom), max(last.top, run.top)
            else:
                joined.append(run)
        lines.append(joined)
    return lines


def _overlap_dropped(last: Line, run: Line) -> str:
    """The run's text without the characters pdfium gave the run before too: a glyph that reaches
    into the next run's box (a bold "v" before " was") is in the text of both."""
    if run.left >= last.right:
        return run.text
    end = last.text.rstrip()
    for size in (3, 2, 1):
        head = run.text[:size]
        if head.strip() and end.endswith(head):
            return run.text[size:]
    return run.text


def _table_rows(lines: list[Line], chars: _Chars) -> list[Line]:
    """A label and a figure side by side on one row, a wide gap between ("Political prisoners │
    about 350"), joined as the one statement `table_rows` makes of such a row, so the figure is
    read with what it counts.

    Two columns of running text never pair: a line of a justified column ends where another line
    of its column near it ends (two cells of the same text aside); a label starts with
    a capital and does not run on into the line below it; a figure cell ends no sentence and has
    no long line of running text right above or below it."""
    def near(line: Line, rows: float) -> Iterator[Line]:
        return (other for other in lines if other is not line
                and 0 < abs(other.baseline - line.baseline) <= rows * line.height
                and abs(other.left - line.left) < 0.5 * chars.size(line))

    def column_line(line: Line) -> bool:  # another line of its column ends where it ends: justified
        return any(other is not line and other.text != line.text and other.left < line.right
                   and other.right > line.left and abs(other.right - line.right) < 0.15 * chars.size(line)
                   and 0 < abs(other.baseline - line.baseline) <= 6 * line.height for other in lines)

    def label(line: Line) -> bool:
        below = [other for other in near(line, 1.6) if other.baseline < line.baseline]
        return line.text.lstrip()[:1].isupper() and not column_line(line) and not any(
            other.text.lstrip()[:1].islower() for other in below)

    def figure(line: Line) -> bool:
        return not sentence_end(line) and not column_line(line) and not any(
            len(other.text.split()) > 6 for other in near(line, 1.6))

    paired: list[Line] = []
    for line in lines:
        last = paired[-1] if paired else None
        text = (statement(last.text, line.text) if last and not last.statement and last.number == line.number
                and line.left - last.right >= line.height else None)  # TABLE_GAP font sizes, just below
        if last and text is not None and line.left - last.right >= TABLE_GAP * chars.size(line) and label(
                last) and figure(line):
            last.text, last.right, last.statement = text, line.right, True
            last.top, last.bottom = max(last.top, line.top), min(last.bottom, line.bottom)
        else:
            paired.append(line)
    return paired


def sentence_end(line: Line) -> bool:
    return bool(_SENTENCE_END.search(line.text))
