"""Real Word numbering (`w:numPr`) for the lists of a letter.

A numbered request typed as "1.\\t" stays 1 when an organiser inserts a request above it;
a Word list renumbers. Each list of the letter gets its own numbering instance that starts
at the list's first number, so Word, LibreOffice and the PDF (which prints the model's
markers) show the same numbers; a bullet is the model's bullet character.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from appealkit.render.document import Block

LEVELS = 9
#: Indent of level 0 and the step per level, in twentieths of a point (20pt, as the PDF).
INDENT_TWIPS = 400


def _element(tag: str, **attrs: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


class Numbering:
    """Adds abstract lists and list instances to a document's numbering part, as the letter needs them."""

    def __init__(self, doc: Document):
        self.part = doc.part.numbering_part.element
        ids = [int(e.get(qn("w:abstractNumId"))) for e in self.part.iterchildren(qn("w:abstractNum"))]
        nums = [int(e.get(qn("w:numId"))) for e in self.part.iterchildren(qn("w:num"))]
        self.next_abstract = max(ids, default=-1) + 1
        self.next_num = max(nums, default=0) + 1
        self.abstracts: dict[str, int] = {}
        self.open: list[tuple[str, int, int]] = []  # per level: (format, numId, next number)

    def number(self, paragraph: Paragraph, block: Block) -> None:
        """Give a list item paragraph its list and level; a new list starts where the model's does."""
        kind = _format(block.marker)
        bullet = kind.startswith("bullet")
        number = 0 if bullet else int(block.marker.rstrip(".)"))
        del self.open[block.level + 1:]
        current = self.open[block.level] if len(self.open) > block.level else None
        if current is None or current[0] != kind or (not bullet and current[2] != number):
            num_id = self._instance(kind, block.level, number)
            while len(self.open) <= block.level:
                self.open.append(("", 0, 0))
            current = (kind, num_id, number)
        self.open[block.level] = (kind, current[1], number + 1)
        ppr = paragraph._p.get_or_add_pPr()
        num_pr = _element("w:numPr")
        num_pr.append(_element("w:ilvl", val=str(block.level)))
        num_pr.append(_element("w:numId", val=str(current[1])))
        ppr.insert_element_before(
            num_pr, "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
            "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
            "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
            "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
            "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
            "w:sectPr", "w:pPrChange")

    def end_lists(self) -> None:
        """A paragraph that is not part of a list: the next list starts afresh."""
        self.open.clear()

    def _instance(self, kind: str, level: int, start: int) -> int:
        abstract = self._abstract(kind)
        num_id = self.next_num
        self.next_num += 1
        num = _element("w:num", numId=str(num_id))
        num.append(_element("w:abstractNumId", val=str(abstract)))
        if not kind.startswith("bullet"):
            override = _element("w:lvlOverride", ilvl=str(level))
            override.append(_element("w:startOverride", val=str(start)))
            num.append(override)
        self.part.append(num)
        return num_id

    def _abstract(self, kind: str) -> int:
        if kind in self.abstracts:
            return self.abstracts[kind]
        abstract_id = self.next_abstract
        self.next_abstract += 1
        abstract = _element("w:abstractNum", abstractNumId=str(abstract_id))
        abstract.append(_element("w:multiLevelType", val="hybridMultilevel"))
        for level in range(LEVELS):
            abstract.append(_level(kind, level))
        first_num = next(self.part.iterchildren(qn("w:num")), None)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.part.append(abstract)
        self.abstracts[kind] = abstract_id
        return abstract_id


def _format(marker: str) -> str:
    """"decimal." / "decimal)" for numbers with their delimiter, else "bullet" and the bullet."""
    number = marker.rstrip(".)")
    return f"decimal{marker[len(number):]}" if number.isdigit() else f"bullet{marker}"


def _level(kind: str, level: int) -> BaseOxmlElement:
    lvl = _element("w:lvl", ilvl=str(level))
    lvl.append(_element("w:start", val="1"))
    if kind.startswith("bullet"):
        lvl.append(_element("w:numFmt", val="bullet"))
        lvl.append(_element("w:lvlText", val=kind.removeprefix("bullet")))
    else:
        lvl.append(_element("w:numFmt", val="decimal"))
        lvl.append(_element("w:lvlText", val=f"%{level + 1}{kind.removeprefix('decimal')}"))
    lvl.append(_element("w:lvlJc", val="left"))
    ppr = _element("w:pPr")
    ppr.append(_element("w:tabs"))
    ppr[0].append(_element("w:tab", val="num", pos=str(INDENT_TWIPS * (level + 1))))
    ppr.append(_element("w:ind", left=str(INDENT_TWIPS * (level + 1)), hanging=str(INDENT_TWIPS)))
    lvl.append(ppr)
    return lvl
