"""A letter's pages finished as a typesetter would, after WeasyPrint has laid them out.

WeasyPrint breaks lines and pages greedily and never looks back, so a page may end on a
hyphenated word, a letter may spill three lines and its closing onto a last page, a line
may be justified with gaps a reader stumbles over, and a page may end lines short of the
next because the closing and the signatures stay together. Here the laid-out pages are read
(line boxes, their text, their justification), the document is changed where one of these
rules is broken, and laid out again, a bounded number of times:

1. a letter whose last page holds only a few body lines is set again with the layout's
   `html.tight` rules (slightly tighter leading), kept only when it saves a page;
2. a word hyphenated across a page break is marked `hyphens: manual`, so it moves whole;
   or, when the next page has room for one more line and the paragraph keeps two lines, the
   hyphenated line moves to the next page in the boxes themselves, without a new layout;
3. a justified line spaced wider than the layout allows is tracked in the boxes (`line_tracking`),
   without a new layout; a line tracking cannot mend gets its paragraph the class `respaced`;
4. finally, on every page but the last, the space left at the foot is shared out between
   the paragraphs of that page (as LaTeX's flush bottom does), up to a bound per gap.

The bounds are the layout's: custom properties on `:root` in letter.css
(`--appealkit-spill-lines`, `--appealkit-word-space-max`, `--appealkit-letter-space-max`,
`--appealkit-stretch-max`) and the rules of `html.tight` and `.respaced`. This module reads
WeasyPrint's page boxes, not a public API; `tests/test_page_finish.py` pins what it relies on.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import cssselect2
from weasyprint.formatting_structure import boxes

from appealkit.write import line_tracking

#: What a layout that says nothing gets: a last page of up to 6 body lines is worth a
#: tighter try, if the tight rules (which save about `tight_gain` of a page's height) and
#: the space left on the other pages could take it; a justified space may grow by half an em,
#: a loose line be tracked by a fiftieth of an em a letter; a gap between paragraphs may grow
#: by one line (14 pt, in CSS px); `finish: 0`: one layout per letter, as WeasyPrint sets it.
DEFAULTS = {"spill_lines": 6.0, "word_space_max": 0.5, "letter_space_max": 0.02, "stretch_max": 14 * 96 / 72,
            "tight_gain": 0.07, "finish": 1.0}

#: Lay-outs after the first: one tighter try, then up to two rounds of fixes.
MAX_ROUNDS = 3

#: At most this many lines move to the next page so that a page does not end on a hyphen.
MAX_LINES_MOVED = 3


@dataclass
class Line:
    """One laid-out line: its text, where it sits, and what made it."""

    page: int
    box: Any
    text: str
    top: float
    bottom: float
    in_body: bool
    hyphenated: bool          # ends in the hyphen WeasyPrint inserted
    widest_space: float       # the widest a word space grew (justification, tracking), in ems
    element: Any = None       # the element whose text ends the line
    last_text: Any = None     # the line's last text box


@dataclass
class Pages:
    """A rendered document, read as lines per page."""

    document: Any
    lines: list[list[Line]] = field(default_factory=list)
    bottoms: list[float] = field(default_factory=list)  # each page's content bottom

    @property
    def count(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class Finished:
    """The finished document, and what was done to it (the DOCX follows `tight`)."""

    document: Any
    tight: bool = False
    words_kept_whole: int = 0
    respaced: int = 0
    layouts: int = 1
    breaks_moved: int = 0
    tracked: int = 0


def finish(html: Any, render: Callable[[], Any]) -> Finished:
    """The document for `html` (a `weasyprint.HTML`) with the pages finished; `render` lays
    `html` out as it is now.

    Each layout costs most of a letter's time, so fixes that need none come first: a loose
    line is tracked, a page ending on a hyphenated word whose next page has room gives that
    line to the next page. Only what the boxes cannot fix is laid out again, a round's fixes
    in one layout."""
    pages = read_pages(render())
    layouts, tight, kept, respaced, moved, tracked = 1, False, 0, 0, 0, 0
    bounds = layout_bounds(pages.document)
    if not bounds["finish"]:
        return Finished(pages.document)
    if _may_save_a_page(pages, bounds):
        _set_class(html.etree_element, "tight", True)
        tighter = read_pages(_rerender(html, render))
        layouts += 1
        if tighter.count < pages.count:
            pages, tight = tighter, True
        else:
            _set_class(html.etree_element, "tight", False)
            _refresh(html)
    for _ in range(MAX_ROUNDS):
        tracked += line_tracking.track_loose_lines(pages.lines, bounds["word_space_max"],
                                                   bounds["letter_space_max"])
        loose = _respace_loose_paragraphs(pages, bounds["word_space_max"])
        if not loose and (lines := _move_page_final_lines(pages)):  # no layout due: what can move, moves
            moved, pages = moved + lines, read_pages(pages.document)
        words = _protect_page_final_words(pages)
        if not words and not loose:
            break
        kept, respaced = kept + words, respaced + loose
        pages = read_pages(_rerender(html, render))
        layouts += 1
    flush_bottoms(pages, bounds["stretch_max"])
    return Finished(pages.document, tight, kept, respaced, layouts, moved, tracked)


def _may_save_a_page(pages: Pages, bounds: dict[str, float]) -> bool:
    """A last page of a few body lines, and room enough on the others to take it when tight:
    a try that cannot save the page would cost a layout for nothing."""
    if pages.count < 2 or sum(line.in_body for line in pages.lines[-1]) > bounds["spill_lines"]:
        return False
    top = pages.document.pages[-1]._page_box.content_box_y()
    needed = max(line.bottom for line in pages.lines[-1]) - top
    room = 0.0
    for lines, bottom, page in zip(pages.lines[:-1], pages.bottoms, pages.document.pages, strict=False):
        used = max(line.bottom for line in lines) - page._page_box.content_box_y()
        room += (bottom - page._page_box.content_box_y() - used) + bounds["tight_gain"] * used
    return needed <= room


def read_pages(document: Any) -> Pages:
    pages = Pages(document)
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        pages.bottoms.append(page_box.content_box_y() + page_box.height)
        pages.lines.append(list(_lines(page_box, number, False)))
    return pages


def layout_bounds(document: Any) -> dict[str, float]:
    """The layout's bounds from `:root`'s custom properties, else `DEFAULTS`."""
    bounds = dict(DEFAULTS)
    if not document.pages:
        return bounds
    root = document.pages[0]._page_box.children[0] if document.pages[0]._page_box.children else None
    if root is None:
        return bounds
    for name in bounds:
        try:
            tokens = root.style[f"__appealkit_{name}"]
        except KeyError:
            continue
        number = next((t for t in tokens or () if getattr(t, "type", "") in ("number", "dimension")), None)
        if number is not None:
            bounds[name] = float(number.value) * (96 / 72 if getattr(number, "unit", None) == "pt" else 1)
    return bounds


def _lines(box: Any, page: int, in_body: bool) -> Iterator[Line]:
    if isinstance(box, boxes.MarginBox):  # the page number and other margin content
        return
    element = getattr(box, "element", None)
    if element is not None and "body" in (element.get("class") or "").split():
        in_body = True
    if isinstance(box, boxes.LineBox):
        texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
        if texts:
            last = texts[-1]
            extra = max(line_tracking.space_growth(t) for t in texts)
            size = last.style["font_size"] or 1
            hyphen = last.style["hyphenate_character"]
            yield Line(page, box, "".join(t.text for t in texts), box.position_y,
                       box.position_y + box.height, in_body,
                       bool(hyphen) and last.text.endswith(hyphen) and last.style["hyphens"] == "auto",
                       extra / size, last.element, last)
        return
    for child in getattr(box, "children", None) or ():
        yield from _lines(child, page, in_body)


def _rerender(html: Any, render: Callable[[], Any]) -> Any:
    _refresh(html)
    return render()


def _refresh(html: Any) -> None:
    """After the tree changed: WeasyPrint reads elements through cssselect2's wrappers."""
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element, content_language=None)


def _set_class(element: Any, name: str, on: bool) -> None:
    classes = [c for c in (element.get("class") or "").split() if c != name]
    if on:
        classes.append(name)
    if classes:
        element.set("class", " ".join(classes))
    elif "class" in element.attrib:
        del element.attrib["class"]


_WORD = re.compile(r"\w+", re.UNICODE)


def _protect_page_final_words(pages: Pages) -> int:
    """Every word hyphenated across a page break is marked to move whole; how many were."""
    changed = 0
    for number, lines in enumerate(pages.lines[:-1]):
        if not lines or not lines[-1].hyphenated:
            continue
        line = lines[-1]
        following = next((x for x in pages.lines[number + 1] if x.element is line.element), None)
        head = _WORD.findall(line.last_text.text[: -len(line.last_text.style["hyphenate_character"])])
        tail = _WORD.match(following.text.lstrip()) if following else None
        if not head or tail is None:
            continue
        word = head[-1] + tail.group()
        occurrence = _occurrence(pages, line, word)
        changed += _wrap_word(line.element, word, occurrence)
    return changed


def _occurrence(pages: Pages, line: Line, word: str) -> int:
    """Which occurrence of `word` in its element the hyphenated one is (0 for the first)."""
    own: list[str] = []
    for lines in pages.lines:
        for candidate in lines:
            if candidate is line:
                return _count_before(own, line, word)
            own.extend(_joined(box, candidate) for box in candidate.box.descendants()
                       if isinstance(box, boxes.TextBox) and box.element is line.element)
    return 0


def _count_before(own: list[str], line: Line, word: str) -> int:
    before = "".join(own)
    for box in line.box.descendants():
        if box is line.last_text:
            break
        if isinstance(box, boxes.TextBox) and box.element is line.element:
            before += box.text
    fragment = line.last_text.text[: -len(line.last_text.style["hyphenate_character"])]
    before += fragment[: len(fragment) - len(_WORD.findall(fragment)[-1])]
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", before))


def _joined(box: Any, line: Line) -> str:
    """A text box's text as it stands in the source: the inserted hyphen taken off again."""
    if box is line.last_text and line.hyphenated:
        return box.text[: -len(box.style["hyphenate_character"])]
    return box.text + (" " if box is line.last_text else "")


def _wrap_word(element: Any, word: str, occurrence: int) -> bool:
    """Wrap the `occurrence`-th `word` in `element`'s own text in a span that is never hyphenated."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    seen = 0
    slots: list[tuple[Any, str]] = [(element, "text")] + [(child, "tail") for child in element]
    for owner, attribute in slots:
        text = getattr(owner, attribute) or ""
        for match in pattern.finditer(text):
            if seen < occurrence:
                seen += 1
                continue
            span = element.makeelement("span", {"style": "hyphens: manual"})
            span.text, span.tail = match.group(), text[match.end():]
            setattr(owner, attribute, text[: match.start()])
            index = 0 if attribute == "text" else list(element).index(owner) + 1
            element.insert(index, span)
            return True
    return False


def _move_page_final_lines(pages: Pages) -> int:
    """Every page-final hyphenated line that can move to the top of the next page does, in the
    laid-out boxes; how many pages' breaks moved. The last lines of the page go, as few as
    leave it ending on a word that is whole, when their paragraph goes on at the top of the
    next page, keeps its orphans on this one, and the next page has room for them: what
    follows then only shifts down, no line breaks anew."""
    moved = 0
    for number in range(pages.count - 1):
        lines, following = pages.lines[number], pages.lines[number + 1]
        if not lines or not lines[-1].hyphenated or not lines[-1].in_body or not following:
            continue
        count = next((n for n in range(1, MAX_LINES_MOVED + 1)
                      if n < len(lines) and not lines[-n - 1].hyphenated), 0)
        here = _path_to(pages.document.pages[number]._page_box, lines[-1].box)
        there = _path_to(pages.document.pages[number + 1]._page_box, following[0].box)
        if not count or here is None or there is None or _block_element(lines[-1]) is None:
            continue
        paragraph, continued = here[-2], there[-2]
        own = [child for child in paragraph.children if isinstance(child, boxes.LineBox)]
        going = [line.box for line in lines[-count:]]
        if (continued.element is not paragraph.element
                or any(a is not b for a, b in zip(paragraph.children[-count:], going, strict=True))
                or len(own) - count < max(paragraph.style["orphans"], 1)):
            continue
        height = sum(box.height for box in going)
        filled = _content_bottom(pages.document.pages[number + 1]._page_box)
        if filled + height > pages.bottoms[number + 1] + 0.01:
            continue
        _remove_lines(here[:-1], count, height)
        _insert_lines(there, going, height)
        moved += 1
    if moved:  # links and bookmarks follow the boxes they belong to
        _regather(pages.document)
    return moved


def _path_to(box: Any, target: Any) -> list[Any] | None:
    """The boxes from `box` down to `target`, both included."""
    if box is target:
        return [box]
    for child in getattr(box, "children", None) or ():
        found = _path_to(child, target)
        if found:
            return [box, *found]
    return None


def _content_bottom(page_box: Any) -> float:
    """Where the page's flow content ends: the lowest border box of its blocks and lines."""
    bottom = page_box.content_box_y()
    for block, _ in _flow_blocks(page_box, False):
        bottom = max(bottom, block.border_box_y() + block.border_height())
    return bottom


def _remove_lines(path: list[Any], count: int, height: float) -> None:
    """Take the last `count` lines off the paragraph `path` leads to; it and what holds it end
    `height` higher."""
    *holders, paragraph = path
    paragraph.children = paragraph.children[:-count]
    for box in (*holders[1:], paragraph):  # not the page box
        box.height -= height


def _insert_lines(path: list[Any], going: list[Any], height: float) -> None:
    """Put the lines `going` first in the paragraph that `path` leads to (down to its first
    line); all that follows on the page moves down by `height`."""
    *holders, paragraph, first = path
    top = first.position_y
    for line in going:
        line.translate(dx=first.position_x - line.position_x, dy=top - line.position_y)
        top += line.height
    for child in paragraph.children:
        child.translate(dy=height)
    paragraph.children = [*going, *paragraph.children]
    paragraph.height += height
    chain = [*holders, paragraph]
    for parent, child in itertools.pairwise(chain[1:]):
        index = next(i for i, c in enumerate(parent.children) if c is child)
        for sibling in parent.children[index + 1:]:
            sibling.translate(dy=height)
        parent.height += height


def _regather(document: Any) -> None:
    """Each page's links, anchors and bookmarks gathered again from its boxes, as they now lie."""
    from weasyprint.document import Page

    document.pages = [Page(page._page_box) for page in document.pages]


def _respace_loose_paragraphs(pages: Pages, bound: float) -> int:
    """Paragraphs with a justified line spaced wider than `bound` ems get the class `respaced`;
    how many did (a paragraph gets it once: still loose after that, it stays as it is)."""
    changed = 0
    for lines in pages.lines:
        for line in lines:
            block = _block_element(line)
            if (line.in_body and line.widest_space > bound and block is not None
                    and "respaced" not in (block.get("class") or "").split()):
                _set_class(block, "respaced", True)
                changed += 1
    return changed


def _block_element(line: Line) -> Any:
    element = getattr(line.box, "element", None)
    return element if element is not None and element.tag in ("p", "li", "blockquote") else None


def flush_bottoms(pages: Pages, stretch_max: float) -> None:
    """On every page but the last, share the space left at the foot out between the blocks
    of the page, each gap growing by at most `stretch_max` CSS px; a heading or a lead-in
    stays as close to what follows as the layout set it."""
    stretched = False
    for page, bottom, lines in zip(pages.document.pages[:-1], pages.bottoms, pages.lines, strict=False):
        flow = list(_flow_blocks(page._page_box, False))
        blocks = [block for block, _ in flow]
        stretchable = {index for index, (block, in_body) in enumerate(flow[:-1])
                       if in_body and not _kept_with_next(block)}
        if not stretchable:
            continue
        # the last line, not the last block: a paragraph split by the page break fills the page
        spare = bottom - max((line.bottom for line in lines), default=bottom)
        if spare <= 0.5:
            continue
        step = min(spare / len(stretchable), stretch_max)
        shift = 0.0
        for index, block in enumerate(blocks):
            block.translate(dy=shift)
            if index in stretchable:
                shift += step
        stretched = True
    if stretched:
        _regather(pages.document)


def _kept_with_next(block: Any) -> bool:
    element = getattr(block, "element", None)
    if element is None:
        return False
    headings = ("h1", "h2", "h3", "h4", "h5", "h6")
    return element.tag in headings or "keep" in (element.get("class") or "").split()


def _flow_blocks(box: Any, in_body: bool) -> Iterator[tuple[Any, bool]]:
    """The page's blocks in reading order, each with whether it is part of the body: the
    letter's parts, the body's paragraphs and list items one by one."""
    for child in getattr(box, "children", None) or ():
        if not isinstance(child, boxes.BlockBox):
            continue
        element = getattr(child, "element", None)
        tag = element.tag if element is not None else ""
        classes = (element.get("class") or "").split() if element is not None else []
        nested = [c for c in child.children if isinstance(c, boxes.BlockBox)]
        if nested and (tag in ("html", "body", "main", "ol", "ul", "li", "blockquote") or "body" in classes):
            yield from _flow_blocks(child, in_body or "body" in classes)
        else:
            yield child, in_body
