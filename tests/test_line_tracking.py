"""A loose justified line tracked in the boxes (`write/line_tracking.py`): the German example
letter's loose first body line keeps its words and its width, its word spaces, tracking
counted, within the layout's bound, without a second layout."""

from __future__ import annotations

import itertools

import pytest
import weasyprint
from test_page_finish import LAYOUT, _finished, _html
from weasyprint.formatting_structure import boxes

from appealkit.write import hyphenation, page_finish


def test_a_loose_line_is_tracked_in_the_boxes_without_a_new_layout():
    """The German letter's first body line is justified 0.6 em wide as WeasyPrint sets it:
    tracked a little, it keeps its words and its width, its spaces within the bound counting
    the tracking, and the letter is laid out once."""
    hyphenation.register()
    html = _html("appeal-de-foreign-minister--de-foreign-minister--de")
    raw = page_finish.read_pages(weasyprint.HTML(string=html, base_url=LAYOUT.as_uri() + "/").render())
    bound = page_finish.layout_bounds(raw.document)
    loose = [line for page in raw.lines for line in page if line.in_body and line.widest_space > bound["word_space_max"]]
    assert loose
    finished = _finished(html)
    assert finished.tracked == len(loose) and finished.respaced == 0 and finished.layouts == 1
    pages = page_finish.read_pages(finished.document)
    assert [line.text for page in pages.lines for line in page] == [line.text for page in raw.lines for line in page]
    tracked = [line for page in pages.lines for line in page if line.text in {x.text for x in loose}]
    size = tracked[0].last_text.style["font_size"]
    for line in tracked:
        texts = [box for box in line.box.descendants() if isinstance(box, boxes.TextBox)]
        letters = {box.style["letter_spacing"] for box in texts}
        assert len(letters) == 1 and 0 < letters.pop() <= bound["letter_space_max"] * size
        assert line.widest_space <= bound["word_space_max"]
        before = next(x for x in loose if x.text == line.text)
        right = texts[-1].position_x + texts[-1].width
        before_texts = [box for box in before.box.descendants() if isinstance(box, boxes.TextBox)]
        assert right == pytest.approx(before_texts[-1].position_x + before_texts[-1].width, abs=0.05 * size)
        assert all(a.position_x + a.width <= b.position_x + 0.01 for a, b in itertools.pairwise(texts))

