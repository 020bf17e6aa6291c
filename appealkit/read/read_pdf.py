"""Read a PDF letter as paragraphs, rebuilt from where its text stands on the page.

A PDF holds positioned runs of text, not paragraphs. pypdfium2 gives each run with its box
(about 8× faster than pypdf's text extraction, and with positions); `pdf_lines` makes the
page's lines of them, numbered by the row they stand on. The lines are put in reading order
column by column (a line that starts right of the middle belongs to the right column); a
paragraph ends where the gap to the next line is clearly wider than the line pitch, where
the next line is indented, or where a short line ends a sentence. A paragraph goes on across
a column or page break when its last line is full, and a word hyphenated at a line end is
joined again. So a figure broken from its noun by a forced line break, a column or a page is
still read with it, and every line keeps its page and line number for `FILE:PAGE:LINE`.
"""

from __future__ import annotations

import itertools
import re
import statistics

from appealkit.read.passages import Passage
from appealkit.read.pdf_bounds import MAX_PAGES, measure
from appealkit.read.pdf_lines import Line, page_lines, sentence_end
from appealkit.read.untrusted import Untrusted
from appealkit.rules.number_words import word_value

#: A gap between lines wider than this many line pitches ends a paragraph.
PARAGRAPH_GAP = 1.4
#: Hyphens a typesetter puts at a line end (hyphen-minus, Unicode hyphen, soft hyphen).
_HYPHENS = ("-", "\u2010", "\u00ad", "\u0002")


def read_pdf(raw: bytes) -> tuple[Passage, ...]:
    """The paragraphs of a PDF, each knowing the page and line of every line in it."""
    return read_pdf_letter(raw)[0]


def read_pdf_letter(raw: bytes) -> tuple[tuple[Passage, ...], str]:
    """The paragraphs of a PDF and the language its catalog declares (`/Lang`, "de"; "" if none).

    `Untrusted` for an encrypted or broken PDF, and for one past the bounds of `pdf_bounds`,
    which measures the file before pdfium sees it and each page's text before it is read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    budget = measure(raw)
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Untrusted("it is encrypted; export it again without a password") from None
        security = getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY
        why = "its security handler is unknown" if security else "its data is damaged"
        raise Untrusted(f"it is not a readable PDF: {why}; export the letter to PDF again") from None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            raise Untrusted("it is encrypted; export it again without a password")
        if len(document) > MAX_PAGES:
            raise Untrusted(f"it has {len(document)} pages, more than {MAX_PAGES}")
        language = _declared_language(document.raw, pdfium_c)
        flow: list[Line | None] = []
        for number in range(len(document)):
            page = document[number]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    budget.text_page(textpage, number + 1)
                    lines = page_lines(textpage, number + 1)
                finally:
                    textpage.close()
            finally:
                page.close()
            flow.extend(_reading_order(lines, width, height))
    finally:
        document.close()
    return tuple(_paragraphs(flow)), language


def _declared_language(document, pdfium_c) -> str:
    """The catalog's `/Lang` ("de-DE" → "de"), read through pdfium; "" when there is none."""
    import ctypes

    get_language = getattr(pdfium_c, "FPDFCatalog_GetLanguage", None)
    if get_language is None:  # pdfium older than pypdfium2 4.30's newer builds: no /Lang to read
        return ""
    size = get_language(document, None, 0)
    if not 2 < size <= 64:  # UTF-16 with its terminator; a longer one names no language
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    get_language(document, buffer, size)
    code = "".join(chr(unit) for unit in buffer[:-1] if unit < 0xD800)
    return code.replace("_", "-").split("-")[0].strip().lower()


def _reading_order(lines: list[Line], width: float, height: float) -> list[Line | None]:
    """The lines in reading order: columns (and table cells) one after the other, each top to bottom.

    The page is cut where a strip of white runs from top to bottom (a column gutter, the space
    between table cells), the widest first; where lines span the whole width (a heading over two
    columns) it is cut above and below them first. A `None` marks a break that may be bridged
    (the end of a column or a page); lines set apart at the top or bottom of the page (running
    heads, page numbers) stand alone.
    """
    if not lines:
        return []
    lines.sort(key=lambda line: -line.top)
    body = _body(lines, width, height)
    in_body = {id(line) for line in body}  # by identity: comparing dataclasses made a full page quadratic
    ordered: list[Line | None] = []
    for line in lines:
        if id(line) not in in_body:
            line.alone = True
            ordered.append(line)
    for block in _blocks(body):
        _edges(block)
        ordered.extend(block)
        ordered.append(None)
    return ordered


def _blocks(lines: list[Line], depth: int = 0) -> list[list[Line]]:
    """Columns and cells as blocks of lines in reading order (recursive cuts, top to bottom within)."""
    if len(lines) < 2 or depth > 12:
        return [lines] if lines else []
    cut = _gutter(lines)
    if cut is not None:
        left = [line for line in lines if line.right <= cut]
        right = [line for line in lines if line.right > cut]
        return _blocks(left, depth + 1) + _blocks(right, depth + 1)
    # no gutter runs past every line: lines spanning the width (a heading over two columns)
    # may block one; cut above and below them, and look again between
    span = max(line.right for line in lines) - min(line.left for line in lines)
    runs: list[list[Line]] = []
    for line in lines:
        if runs and _is_wide(runs[-1][-1], span) == _is_wide(line, span):
            runs[-1].append(line)
        else:
            runs.append([line])
    if not any(len(run) > 1 and not _is_wide(run[0], span) and _gutter(run) is not None for run in runs):
        return [lines]
    blocks: list[list[Line]] = []
    for run in runs:
        blocks.extend([run] if _is_wide(run[0], span) else _blocks(run, depth + 1))
    return blocks


def _is_wide(line: Line, span: float) -> bool:
    return line.right - line.left > 0.6 * span


def _gutter(lines: list[Line]) -> float | None:
    """The x of the widest strip of white that runs past every line, if there is one."""
    spans = sorted((line.left, line.right) for line in lines)
    best, cut = 0.0, None
    reach = spans[0][1]
    for left, right in spans[1:]:
        if left > reach and left - reach > best:
            best, cut = left - reach, (left + reach) / 2
        reach = max(reach, right)
    return cut


def _edges(lines: list[Line]) -> None:
    left, right = min((x.left for x in lines), default=0.0), max((x.right for x in lines), default=0.0)
    for line in lines:
        line.col_left, line.col_right, line.col_lines = left, right, len(lines)


def _body(lines: list[Line], width: float, height: float) -> list[Line]:
    """Lines without the running head and the page number: short lines at the edge of the page,
    set apart from the rest."""
    body = list(lines)
    pitch = _pitch(lines)

    def apart(line: Line, gap: float) -> bool:
        return gap > pitch and line.right - line.left < 0.3 * width

    while (len(body) > 1 and body[-1].bottom < 0.12 * height
           and apart(body[-1], body[-2].bottom - body[-1].top)):
        body.pop()
    while len(body) > 1 and body[0].top > 0.88 * height and apart(body[0], body[0].bottom - body[1].top):
        body.pop(0)
    return body


def _pitch(lines: list[Line]) -> float:
    return statistics.median(line.height for line in lines) if lines else 10.0


def _paragraphs(flow: list[Line | None]) -> list[Passage]:
    lines = [line for line in flow if line is not None and not line.alone]
    # the line pitch is the common small step; the steps between paragraphs are larger
    steps = sorted(a.bottom - b.bottom for a, b in itertools.pairwise(lines)
                   if a.page == b.page and 0.5 * a.height < a.bottom - b.bottom < 3 * a.height)
    pitch = steps[len(steps) // 4] if steps else 12.0
    paragraphs: list[list[Line]] = []
    current: list[Line] = []
    bridged = False
    alone: list[list[Line]] = []
    for line in flow:
        if line is None:
            bridged = True
            continue
        if line.alone:
            alone.append([line])
            continue
        if current:
            last = current[-1]
            full = last.right >= last.col_right - 2 * last.height
            if bridged:  # a column of a few short lines (table labels) is no running text to go on from
                # ...but a full line right above one that starts where it starts is a paragraph going on
                # (a justified paragraph's short last line is cut from it as a narrow block)
                below = (line.page == last.page and abs(line.left - last.left) < 0.5 * line.height
                         and 0 < last.bottom - line.bottom <= PARAGRAPH_GAP * pitch)
                runs_on = full and (last.col_lines >= 3 or below) and not sentence_end(last)
                ends = not (runs_on or _continues(last, line))
            else:
                # a first-line indent: further in than the line before, which did not run full
                # (a hanging indent's second line is further in, after a full first line)
                indented = line.left - last.left > 0.5 * line.height and not full
                gap = last.bottom - line.bottom > PARAGRAPH_GAP * pitch
                short_end = not full and (sentence_end(last) or (
                    len(current) == 1 and _heading(last, line) and not _runs_on(last, line, pitch)))
                ends = gap or indented or short_end
            if ends or line.statement or last.statement:  # a table row is a statement of its own
                paragraphs.append(current)
                current = []
        bridged = False
        current.append(line)
    if current:
        paragraphs.append(current)
    return [_passage(paragraph) for paragraph in paragraphs + alone]


def _runs_on(last: Line, line: Line, pitch: float) -> bool:
    """A short line set like the one after it, at the very line pitch and in the same size, where the
    next starts with a name's second word ("Blogger Mohammed⏎Mirzali survived"): a forced break, not
    a heading, which stands apart by its size or the space after it."""
    same_size = abs(last.height - line.height) <= 0.1 * line.height
    at_pitch = last.bottom - line.bottom <= 1.15 * pitch
    words = line.text.split()
    # a name broken after its first word follows other words ("Blogger Mohammed"); a line of one
    # word ("Appeal") before a sentence is a heading
    before = last.text.split()
    name_goes_on = (bool(words) and words[0][:1].isupper() and len(before) > 1 and before[-1][:1].isupper()
                    and len(words) > 1 and words[1][:1].islower())
    return same_size and at_pitch and name_goes_on and abs(line.left - last.left) < 0.5 * line.height


def _heading(last: Line, line: Line) -> bool:
    """A paragraph's only line, of a few words, before one that starts with a capital or a digit: a heading
    ("Appeal"), not a forced break, which comes after the first line far more often."""
    first = line.text.lstrip()[:1]
    return len(last.text.split()) <= 3 and (first.isupper() or first.isdigit())


def _continues(last: Line, line: Line) -> bool:
    """A line that can only go on the previous one: it follows a hyphen or starts in lower case."""
    return _joins(last.text.rstrip(), line.text.strip()) or line.text[:1].islower()


def _joins(text: str, following: str) -> bool:
    """A word broken at the line end: a typesetter's hyphen always, a hyphen-minus before lower case."""
    if text.endswith(_HYPHENS[1:]):
        return bool(following)
    return text.endswith("-") and following[:1].islower()


def _written_hyphen(before: str) -> bool:
    """Whether a hyphen-minus after `before` is the writer's: after a digit or a number word."""
    if before[-1:].isdigit():
        return True
    word = re.search(r"[^\W\d_]+$", before)
    return word is not None and any(word_value(word[0], language) is not None for language in ("en", "fr"))


def _passage(lines: list[Line]) -> Passage:
    text, starts = "", []
    for line in lines:
        piece = line.text.strip()
        if _joins(text, piece):
            # a hyphen-minus (pdfium reports any hyphen ending a line as \x02) after a digit or a
            # number word is part of the word ("10-year", "sixty-three"); others were the typesetter's
            written = text.endswith(("-", "\u0002")) and _written_hyphen(text[:-1])
            text = text[:-1] + ("-" if written else "")
        elif text:
            text += "\n"
        starts.append(len(text))
        text += piece
    return Passage(text, lines[0].number, lines[0].page, tuple(starts),
                   line_numbers=tuple(line.number for line in lines),
                   line_pages=tuple(line.page for line in lines))
