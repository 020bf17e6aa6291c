"""The organisation's logo in a DOCX letterhead, floating at the right margin beside its name.

python-docx places pictures inline only, and an inline picture in a line of exact height is
cut off; Word and LibreOffice place a floating one (`wp:anchor`) where the PDF layout does.
"""

from __future__ import annotations

import copy

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Length, Mm
from docx.text.run import Run

LOGO_HEIGHT = Mm(16)
#: the gap between the name and the logo, in EMU (6 mm)
GAP = Mm(6)

_ANCHOR = (
    '<wp:anchor {} distT="0" distB="0" distL="{}" distR="0" simplePos="0" relativeHeight="1" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:wrapSquare wrapText="left"/>'
    '</wp:anchor>'
)


def float_right(run: Run, png: bytes, height: Length = LOGO_HEIGHT) -> None:
    """Add `png` to `run` as a picture floating at the right margin, text wrapping on its left."""
    import io

    run.add_picture(io.BytesIO(png), height=height)
    inline = run._r.xpath(".//wp:inline")[-1]
    anchor = parse_xml(_ANCHOR.format(nsdecls("wp", "a", "pic", "r"), int(GAP)))
    wrap = anchor.xpath("wp:wrapSquare")[0]
    # the anchor's children in the schema's order: extent and effect extent before the wrap,
    # the drawing's properties and the graphic after it
    for name in ("wp:extent", "wp:effectExtent"):
        for child in inline.xpath(name):
            wrap.addprevious(copy.deepcopy(child))
    if not anchor.xpath("wp:effectExtent"):
        wrap.addprevious(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
    for name in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        for child in inline.xpath(name):
            anchor.append(copy.deepcopy(child))
    inline.getparent().replace(inline, anchor)
