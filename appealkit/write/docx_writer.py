"""Write a `Letter` as a DOCX that organisers can still edit in Word or LibreOffice.

Formatting is set directly on paragraphs and runs rather than through built-in
styles (Heading 1, List Number...), so a letterhead's styles cannot change what the
letter says and list numbers stay the ones the PDF prints.
"""

from __future__ import annotations

import datetime
import io
import pathlib
import zipfile

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from appealkit.errors import TemplateError
from appealkit.render.document import Block, Letter, Run
from appealkit.write.stable_zip import restamp

FONT = "DejaVu Serif"
FONT_SIZE = Pt(11)
MARGIN = Mm(25)
INDENT_STEP = Mm(7)
SIGNATURE_SPACE = Pt(42)
CORE_TEXT_LIMIT = 255

_RPR_TAIL = (
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
    "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_SUCCESSORS = {
    "w:szCs": _RPR_TAIL,
    "w:lang": _RPR_TAIL[_RPR_TAIL.index("w:lang") + 1 :],
    "w:pBdr": (
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    ),
}


def write_docx(letter: Letter, letterhead: pathlib.Path | bytes | None = None) -> bytes:
    """The letter as DOCX bytes, identical for the same letter on any day.

    The letterhead is a path, or its bytes when the file no longer exists on disk (a revision
    that `diff` unpacked and removed again).
    """
    doc = _base_document(letterhead)
    _set_page(doc, keep_margins=letterhead is not None)
    _set_normal_style(doc, letter.language)
    _write_frame_top(doc, letter)
    for block in letter.body:
        _write_block(doc, block)
    _write_frame_bottom(doc, letter)
    _set_core_properties(doc, letter)
    buffer = io.BytesIO()
    doc.save(buffer)
    return restamp(buffer.getvalue(), letter.date)


def _base_document(letterhead: pathlib.Path | bytes | None) -> Document:
    """python-docx's template, or the letterhead with its body emptied but its section kept."""
    if letterhead is None:
        return docx.Document()
    try:
        doc = docx.Document(io.BytesIO(letterhead) if isinstance(letterhead, bytes) else str(letterhead))
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateError.at(
            "the letterhead" if isinstance(letterhead, bytes) else str(letterhead), None,
            f"cannot open the letterhead: {error}",
            "save it from Word or LibreOffice as a .docx file",
        ) from error
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _set_page(doc: Document, keep_margins: bool) -> None:
    """A4 always; a letterhead keeps its margins, which its logo and footer were placed in."""
    for section in doc.sections:
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        if not keep_margins:
            section.left_margin = section.right_margin = MARGIN
            section.top_margin = section.bottom_margin = MARGIN


def _set_normal_style(doc: Document, language: str) -> None:
    """Name the font for every script so Word does not fall back to a theme font."""
    style = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH) or doc.styles.add_style(
        "Normal", WD_STYLE_TYPE.PARAGRAPH
    )
    style.font.name = FONT
    style.font.size = FONT_SIZE
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    _set_child(rpr, "w:szCs", val=str(int(FONT_SIZE.pt * 2)))
    if language:
        _set_child(rpr, "w:lang", val=language)
    paragraph_format = style.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.15


def _set_child(parent: BaseOxmlElement, tag: str, **attrs: str) -> None:
    element = parent.find(qn(tag))
    if element is None:
        element = _add_in_order(parent, tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)


def _add_in_order(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """Word rejects properties out of schema order, so insert before the tags that follow."""
    return parent.insert_element_before(OxmlElement(tag), *_SUCCESSORS[tag])


def _write_frame_top(doc: Document, letter: Letter) -> None:
    sender = [doc.add_paragraph() for _ in letter.sender]
    for paragraph, line in zip(sender, letter.sender, strict=True):
        paragraph.add_run(line)
    if sender:
        first = sender[0].runs[0]
        first.bold = True
        first.font.size = Pt(14)
        sender[0].paragraph_format.space_after = Pt(2)
        _bottom_border(sender[-1])
        sender[-1].paragraph_format.space_after = Pt(18)

    place_date = doc.add_paragraph(letter.place_date)
    place_date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    place_date.paragraph_format.space_after = Pt(18)

    recipient = [doc.add_paragraph(line) for line in letter.recipient]
    if recipient:
        recipient[-1].paragraph_format.space_after = Pt(24)

    if letter.subject:
        subject = doc.add_paragraph()
        subject.add_run(letter.subject).bold = True
        subject.paragraph_format.space_after = Pt(18)

    salutation = doc.add_paragraph(letter.salutation)
    salutation.paragraph_format.space_after = Pt(10)


def _bottom_border(paragraph: Paragraph) -> None:
    """A thin rule under the letterhead, drawn as a paragraph border so it moves with it."""
    borders = _add_in_order(paragraph._p.get_or_add_pPr(), "w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)


def _write_block(doc: Document, block: Block) -> None:
    paragraph = doc.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    if block.kind == "heading":
        paragraph_format.space_before = Pt(10)
        paragraph_format.space_after = Pt(6)
        paragraph_format.keep_with_next = True
        size = Pt(12) if block.level <= 1 else None
        for run in block.runs:
            written = _add_run(paragraph, run)
            written.bold = True
            if size:
                written.font.size = size
        return
    if block.kind == "item":
        indent = INDENT_STEP * (block.level + 1)
        paragraph_format.left_indent = indent
        paragraph_format.first_line_indent = -INDENT_STEP
        paragraph_format.tab_stops.add_tab_stop(indent)
        paragraph_format.space_after = Pt(4)
        paragraph.add_run(f"{block.marker}\t")
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph_format.space_after = Pt(8)
    for run in block.runs:
        _add_run(paragraph, run)


def _add_run(paragraph: Paragraph, run: Run) -> DocxRun:
    written = paragraph.add_run(run.text)
    if run.bold:
        written.bold = True
    if run.italic:
        written.italic = True
    return written


def _write_frame_bottom(doc: Document, letter: Letter) -> None:
    closing = doc.add_paragraph(letter.closing)
    closing.paragraph_format.space_before = Pt(10)
    closing.paragraph_format.keep_with_next = True
    for signature in letter.signatures:
        name = doc.add_paragraph(signature.name)
        name.paragraph_format.space_before = SIGNATURE_SPACE
        if signature.role:
            name.paragraph_format.keep_with_next = True
            doc.add_paragraph(signature.role)


def _set_core_properties(doc: Document, letter: Letter) -> None:
    """Fixed metadata: python-docx would otherwise stamp "now" or its own name."""
    moment = datetime.datetime.combine(letter.date, datetime.time(), datetime.UTC)
    props = doc.core_properties
    props.title = letter.subject[:CORE_TEXT_LIMIT]
    props.author = props.last_modified_by = letter.author[:CORE_TEXT_LIMIT]
    props.created = props.modified = moment
    props.revision = 1
    props.language = letter.language[:CORE_TEXT_LIMIT]
    props.subject = props.keywords = props.comments = props.category = ""
    props.identifier = letter.id[:CORE_TEXT_LIMIT]
