"""The DIN 5008 window-envelope geometry (`layout: din5008-a` / `din5008-b`) in a DOCX.

Word has one top margin per section, so page 1's letterhead, information block and address
field are frames (`w:framePr`, Word's positioned paragraphs) placed from the page's edges:
they stay body paragraphs in reading order, editable where they are, and LibreOffice imports
them as frames at the same places. The text does not flow beside them (`notBeside`), so the
subject starts under the address field wherever the letterhead's own lines end. Fold and punch
marks are lines anchored to the page. The measures are letter.css's DIN 5008 rules, in mm.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

#: the address field of a DL window envelope: from the page's left edge, its size
FIELD_LEFT, FIELD_WIDTH, FIELD_HEIGHT = 20.0, 85.0, 45.0
#: text inside the field starts this far in (the text column's left margin, 25 mm)
FIELD_PADDING = 5.0
#: the zone for the return line at the field's top, and its line height
RETURN_ZONE, RETURN_LINE = 17.7, 5.0
#: the address lines, in points, as letter.css sets them
ADDRESS_SIZE, ADDRESS_LINE = 10.0, 12.9
#: below the field, before the subject
AFTER_FIELD = 8.46
#: the information block: from the left edge, its width, and how far below the field's top
INFORMATION_LEFT, INFORMATION_WIDTH, INFORMATION_DOWN = 125.0, 75.0, 5.0
#: page 1's letterhead starts this far from the top edge
LETTERHEAD_TOP = 10.0
#: marks at the left edge: from the edge, length (the punch mark's longer)
MARK_LEFT, MARK_LENGTH, PUNCH_LENGTH, PUNCH_AT = 5.0, 5.0, 8.0, 148.5
MARK_COLOUR, MARK_WIDTH = "555555", Pt(0.5)


@dataclass(frozen=True)
class Form:
    """Form A (a small letterhead, field at 27 mm) or form B (field at 45 mm)."""

    field_top: float
    folds: tuple[float, float]
    #: form A's letterhead is set smaller to fit its 17 mm: (name size, line), (size, line), logo mm
    letterhead: tuple[tuple[float, float], tuple[float, float], float] | None = None

    @property
    def letterhead_height(self) -> float:
        return self.field_top - LETTERHEAD_TOP


FORMS = {
    "din5008-a": Form(27.0, (87.0, 192.0), ((10.0, 11.0), (7.5, 8.0), 12.0)),
    "din5008-b": Form(45.0, (105.0, 210.0)),
}


def form(layout: str) -> Form | None:
    """The DIN 5008 form of a letter's layout, or None for the standard layout."""
    return FORMS.get(layout)


def letterhead_frame(paragraph: Paragraph, din: Form, text_width: int) -> None:
    """A letterhead paragraph in the frame above the address field, as wide as the text."""
    _frame(paragraph, x=None, y=LETTERHEAD_TOP, width=text_width, height=din.letterhead_height, exact=True)


def information_frame(paragraph: Paragraph, din: Form) -> None:
    """Place and date or a reference line in the information block beside the address field."""
    _frame(paragraph, x=INFORMATION_LEFT, y=din.field_top + INFORMATION_DOWN,
           width=int(Mm(INFORMATION_WIDTH)), height=None, exact=False)
    paragraph.paragraph_format.alignment = 0  # left, as the block is set


def address_frame(paragraph: Paragraph, din: Form, return_line: bool) -> None:
    """The return line or an address line in the window's field (85 x 45 mm, fixed)."""
    _frame(paragraph, x=FIELD_LEFT, y=din.field_top, width=int(Mm(FIELD_WIDTH)), height=FIELD_HEIGHT,
           exact=True, below=AFTER_FIELD)
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = Mm(FIELD_PADDING)
    layout.space_before = Pt(0)
    if return_line:
        layout.line_spacing = Mm(RETURN_LINE)
        layout.space_after = Mm(RETURN_ZONE - RETURN_LINE)
        for run in paragraph.runs:
            run.font.underline = True
    else:
        layout.line_spacing = Pt(ADDRESS_LINE)
        layout.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(ADDRESS_SIZE)


def _frame(paragraph: Paragraph, x: float | None, y: float, width: int, height: float | None,
           exact: bool, below: float = 0) -> None:
    """`w:framePr` from the page's top edge (and left edge, else the margin); consecutive
    paragraphs with the same one are one frame."""
    attributes = {"w": str(width // 635), "wrap": "notBeside", "vAnchor": "page", "y": _twips(y),
                  "hAnchor": "page" if x is not None else "margin", "x": _twips(x or 0)}
    if height is not None:
        attributes |= {"h": _twips(height), "hRule": "exact" if exact else "atLeast"}
    if below:
        attributes["vSpace"] = _twips(below)
    frame = parse_xml(f"<w:framePr {nsdecls('w')} " + " ".join(
        f'w:{name}="{value}"' for name, value in attributes.items()) + "/>")
    ppr = paragraph._p.get_or_add_pPr()
    # in the schema's order: after the style, keepNext, keepLines and pageBreakBefore
    ppr.insert_element_before(frame, "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr",
                              "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                              "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


_MARK = (
    '<w:r {ns}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
    'relativeHeight="2" behindDoc="1" locked="1" layoutInCell="0" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{length}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{length}" cy="0"/></a:xfrm>'
    '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
    '<a:ln w="{width}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln></wps:spPr>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
)
_WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


def add_marks(paragraph: Paragraph, din: Form) -> None:
    """The two fold marks and the punch mark at the left edge of page 1, anchored to `paragraph`
    (a paragraph of page 1's flow), behind the text."""
    marks = (("fold mark", din.folds[0], MARK_LENGTH), ("punch mark", PUNCH_AT, PUNCH_LENGTH),
             ("fold mark", din.folds[1], MARK_LENGTH))
    for number, (name, at, length) in enumerate(marks, start=1):
        run = parse_xml(_MARK.format(ns=f"{nsdecls('w', 'wp', 'a')} {_WPS}", x=int(Mm(MARK_LEFT)),
                                     y=int(Mm(at)), length=int(Mm(length)), id=900 + number, name=name,
                                     width=int(MARK_WIDTH), colour=MARK_COLOUR))
        paragraph._p.append(run)
