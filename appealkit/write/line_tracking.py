"""A loose justified line tracked in WeasyPrint's boxes, so that it need not be laid out again.

A justified line whose word spaces grew wider than the layout allows (a long word that would
not break after it) is mended as a typesetter tracks a line: its letters spaced a little, by
no more than the layout allows, and its word spaces narrowed by as much, so the line keeps its
words, its width and its place; nothing else on the page moves. Widths are Pango's, measured
as WeasyPrint measures and draws a line (`write/page_finish.py` calls this and pins the boxes
it relies on in `tests/test_page_finish.py`)."""

from __future__ import annotations

import math
from typing import Any

from weasyprint.formatting_structure import boxes


def space_growth(text: Any) -> float:
    """How much wider than the font sets it a word space of `text` is, in CSS px: the
    justification, and letter spacing twice (after the letter before and on the space)."""
    letters = text.style["letter_spacing"]
    tracking = 0.0 if letters == "normal" else max(letters, 0.0)
    return (getattr(text, "justification_spacing", 0) or 0) + 2 * tracking


def track_loose_lines(pages: list[list[Any]], bound: float, letter_max: float) -> int:
    """Every justified body line of `pages` (`page_finish.Line`s) spaced wider than `bound`
    ems that tracking of at most `letter_max` ems a letter brings within it is tracked, in the
    boxes; how many were."""
    tracked = 0
    for lines in pages:
        for line in lines:
            if line.in_body and line.widest_space > bound:
                widest = track(line.box, bound, letter_max)
                if widest is not None:
                    line.widest_space, tracked = widest, tracked + 1
    return tracked


def track(line: Any, bound: float, letter_max: float) -> float | None:
    """Track the justified line box `line`, whose widest word space is wider than `bound` ems,
    by at most `letter_max` ems a letter, if that brings its spaces within `bound`; its widest
    space then, in ems (None, and the line as it was, if tracking cannot mend it)."""
    from weasyprint.layout.inline import count_expandable_spaces

    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
    spaces = sum(count_expandable_spaces(box) for box in texts)
    justified = {getattr(box, "justification_spacing", 0) or 0
                 for box in texts if count_expandable_spaces(box)}
    size = (texts[-1].style["font_size"] or 1) if texts else 1
    if (not spaces or len(justified) != 1 or letter_max <= 0
            or any(box.style["letter_spacing"] not in ("normal", 0) for box in texts)):
        return None
    spacing = justified.pop()
    target = (bound - 0.01) * size  # a hair inside the bound
    # each px of tracking widens the words by `slope` px, taken from the word spaces, and
    # widens each space by 2 px itself: the widest space narrows by slope / spaces - 2 px
    drawn = [_drawn_width(box, box.style, spacing) for box in texts]
    trial = letter_max * size
    slope = (sum(_drawn_width(box, _tracked_style(box.style, trial), spacing) for box in texts)
             - sum(drawn)) / trial
    narrows = slope / spaces - 2
    if spacing <= target or narrows <= 0 or (spacing - target) / narrows > trial:
        return None
    # the PDF gives each glyph its advance in whole thousandths of the font size, cut towards
    # nothing: tracking of k and a half thousandths loses the half on every letter (Pango's
    # advances are the font's within a few hundredths), which the spaces give back
    letters = (math.ceil((spacing - target) / narrows / size * 1000 - 0.5) + 0.5) / 1000 * size
    if letters > trial:
        return None
    styles = [_tracked_style(box.style, letters) for box in texts]
    justification = spacing - letters * slope / spaces
    lost = sum(len(box.text) - count_expandable_spaces(box) for box in texts) * 0.0005 * size
    for _ in range(3):  # as Pango draws it, the line ends where it ended
        widths = [_drawn_width(box, style, justification) for box, style in zip(texts, styles, strict=True)]
        error = sum(widths) - sum(drawn) - lost
        if abs(error) < 0.01:
            break
        justification -= error / spaces
    if abs(error) >= 0.01 or justification < 0 or justification + 2 * letters > bound * size:
        return None
    changes = {id(box): (style, new - old)
               for box, style, new, old in zip(texts, styles, widths, drawn, strict=True)}
    _retrack(line, 0.0, changes, justification)
    return float((justification + 2 * letters) / size)


def _tracked_style(style: Any, letters: float) -> Any:
    tracked = style.copy()
    tracked["letter_spacing"] = letters
    return tracked


def _drawn_width(box: Any, style: Any, justification: float) -> float:
    """How wide Pango draws `box`'s text in `style`, its spaces widened by `justification`,
    measured as WeasyPrint measures a line."""
    from weasyprint.text.line_break import Layout, line_size

    layout = Layout(style, justification)
    layout.set_text(box.text, justify=True)
    first, _ = layout.get_first_line()
    width = line_size(first, style)[0]
    layout.deactivate()
    return float(width)


def _retrack(box: Any, advance: float, changes: dict[int, tuple[Any, float]], justification: float) -> float:
    """The line's boxes from `box` on given their tracked styles and new justification, each
    moved right by what the boxes before it grew (as WeasyPrint justifies a line); how far
    the boxes after it move."""
    from weasyprint.text.line_break import create_layout

    if isinstance(box, boxes.TextBox):
        box.position_x += advance
        if id(box) in changes:
            style, grown = changes[id(box)]
            box.style, box.justification_spacing, box.width = style, justification, box.width + grown
            box.pango_layout = create_layout(box.text, style, None, None, justification)
            box.pango_layout.deactivate()
            advance += grown
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        for child in box.children:
            if child.is_in_normal_flow():
                advance = _retrack(child, advance, changes, justification)
        box.width += advance - before
    else:
        box.translate(advance, 0)
    return advance
