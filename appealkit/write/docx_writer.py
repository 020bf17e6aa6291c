"""Write a `Letter` as a DOCX that organisers can edit in Word or LibreOffice as a Word document.

Every part of the letter has its named style (docx_styles.py), lists are Word lists
(docx_numbering.py), and the footer numbers the pages with PAGE / NUMPAGES fields. The
text is the model's, character for character: what the PDF prints, the DOCX says. Each
letter fills a copy of a base document styled once per process (docx_base.py).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import pathlib

from docx.document import Document
from docx.enum.text import WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from appealkit.render.document import Block, Letter, Run
from appealkit.write import docx_base, docx_din, docx_logo, docx_styles
from appealkit.write.docx_numbering import Numbering

CORE_TEXT_LIMIT = 255
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
SIGNATURE_IMAGE_HEIGHT = Pt(34)
LIST_END_SPACE = Pt(8)


def write_docx(letter: Letter, letterhead: pathlib.Path | bytes | None = None, tight: bool = False) -> bytes:
    """The letter as DOCX bytes, identical for the same letter on any day.

    The letterhead is a path, or its bytes when the file no longer exists on disk (a revision
    that `diff` unpacked and removed again). `tight`: the PDF built with it was set tight.
    """
    base = docx_base.base(letterhead, letter.language, tight)
    doc = base.document()
    writer = _Writer(doc, base.style_ids)
    writer.frame_top(letter, own_letterhead=letterhead is None)
    numbering = Numbering(doc)
    previous: Paragraph | None = None
    for index, block in enumerate(letter.body):
        if previous is not None and block.kind != "item" and writer.style_of(previous).startswith("List"):
            previous.paragraph_format.space_after = LIST_END_SPACE  # a list ends like a paragraph
        paragraph = previous = writer.block(block, numbering)
        if index == len(letter.body) - 1 and paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True  # the last paragraph goes with the closing
    writer.frame_bottom(letter)
    writer.footer(letterhead is not None)
    _set_core_properties(doc, letter)
    _drop_parts(doc)
    return base.docx_bytes(doc, letter.date)


class _Writer:
    """Paragraphs appended to one letter's copy of the base, each naming its style by the id
    the base resolved once (python-docx would search 440 kB of styles for each paragraph)."""

    def __init__(self, doc: Document, style_ids: dict[str, str | None]):
        self.doc = doc
        self.style_ids = style_ids
        self.body = doc.element.body
        self._styles: dict[int, str] = {}

    def style(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        self._styles[id(paragraph._p)] = style

    def style_of(self, paragraph: Paragraph) -> str:
        return self._styles.get(id(paragraph._p), "")

    def paragraph(self, text: str, style: str) -> Paragraph:
        paragraph = Paragraph(self.body.add_p(), self.doc._body)
        if text:
            paragraph.add_run(text)
        self.style(paragraph, style)
        return paragraph

    def frame_top(self, letter: Letter, own_letterhead: bool = True) -> None:
        """The letterhead (with a letterhead .docx, which brings its own logo, only its text),
        place and date, references, the return line of a DIN 5008 letter, the address; a DIN
        5008 letter's first three in frames at the window envelope's places (docx_din.py). A
        letterhead .docx brings its own header and margins, which frames would overprint: with
        one, the DIN fields flow as in the standard layout."""
        din = docx_din.form(letter.layout) if own_letterhead else None
        small = din.letterhead if din else None
        width = self._text_width()
        for number, line in enumerate(letter.sender):
            last = number == len(letter.sender) - 1
            style = "Letterhead Name" if number == 0 else "Letterhead Last" if last else "Letterhead"
            paragraph = self.paragraph(line, style)
            if number == 0 and own_letterhead and letter.colour:
                for run in paragraph.runs:
                    run.font.color.rgb = RGBColor.from_string(letter.colour.lstrip("#").upper())
            if small:
                size, line_height = small[0] if number == 0 else small[1]
                paragraph.paragraph_format.line_spacing = Pt(line_height)
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(size)
            if number == 0 and own_letterhead and letter.logo:
                docx_logo.float_right(paragraph.add_run(), letter.logo,
                                      Mm(small[2]) if small else docx_logo.LOGO_HEIGHT)
            if last or din:  # LibreOffice frames a group of paragraphs only when their borders agree
                _bottom_border(paragraph, letter.colour if own_letterhead else "")
            if din:
                docx_din.letterhead_frame(paragraph, din, width)
        information = [self.paragraph(letter.place_date, "Place and Date")]
        for line in letter.references:
            information.append(self.paragraph(line, "Reference Line"))
        address: list[Paragraph] = []
        if letter.return_line:
            address.append(self.paragraph(letter.return_line, "Return Address"))
        for number, line in enumerate(letter.recipient):
            paragraph = self.paragraph(line, "Recipient Address")
            address.append(paragraph)
            if din:
                continue
            if number == 0:
                paragraph.paragraph_format.space_before = Pt(18)
            if number == len(letter.recipient) - 1:
                paragraph.paragraph_format.space_after = Pt(24)
        if din:
            for paragraph in information:
                docx_din.information_frame(paragraph, din)
            for paragraph in address:
                returning = self.style_of(paragraph) == "Return Address"
                docx_din.address_frame(paragraph, din, return_line=returning)
        first_in_flow = self.paragraph(letter.subject_line, "Subject") if letter.subject else None
        salutation = self.paragraph(letter.salutation, "Salutation")
        if din:
            docx_din.add_marks(first_in_flow or salutation, din)

    def _text_width(self) -> int:
        section = self.doc.sections[0]
        page, left, right = section.page_width, section.left_margin, section.right_margin
        return int((page or Mm(210)) - (left or docx_styles.MARGIN) - (right or docx_styles.MARGIN))

    def block(self, block: Block, numbering: Numbering) -> Paragraph | None:
        if block.kind == "table":
            numbering.end_lists()
            self.table(block)
            return None
        if block.kind == "rule":
            numbering.end_lists()
            paragraph = self.paragraph("", "Body Text")
            _bottom_border(paragraph)
            return paragraph
        if block.kind == "item":
            paragraph = self.paragraph("", "List Paragraph" if block.marker else "List Continue")
            if block.marker:
                numbering.number(paragraph, block)
            elif block.level:
                paragraph.paragraph_format.left_indent = docx_styles.INDENT * (block.level + 1)
        else:
            numbering.end_lists()
            style = {"heading": f"Heading {min(max(block.level, 1) + 1, 6)}", "quote": "Quote"}
            paragraph = self.paragraph("", style.get(block.kind, "Body Text"))
        if block.keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        _add_runs(paragraph, block.runs)
        return paragraph

    def table(self, block: Block) -> None:
        columns = max(len(row) for row in block.rows)
        table = self.doc.add_table(rows=len(block.rows), cols=columns)
        with contextlib.suppress(KeyError):  # a letterhead may lack Word's "Table Grid"
            table.style = self.doc.styles["Table Grid"]
        for row_number, row in enumerate(block.rows):
            for column, cell in enumerate(row):
                paragraph = table.cell(row_number, column).paragraphs[0]
                self.style(paragraph, "Table Text")
                _add_runs(paragraph, cell)
                if row_number == 0:
                    for written in paragraph.runs:
                        written.bold = True

    def frame_bottom(self, letter: Letter) -> None:
        """Closing and signatures stay together, and with the last paragraph of the body."""
        self.paragraph(letter.closing, "Closing")
        lines: list[Paragraph] = []
        for signature in letter.signatures:
            name = self.paragraph("", "Signature")
            if signature.image and signature.image_type == "png":  # python-docx cannot place SVG; the PDF can
                name.paragraph_format.space_before = Pt(4)
                name.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST  # room for the picture
                picture = name.add_run()
                picture.add_picture(io.BytesIO(signature.image), height=SIGNATURE_IMAGE_HEIGHT)
                picture.add_break(WD_BREAK.LINE)
            name.add_run(signature.name)
            lines.append(name)
            if signature.role:
                lines.append(self.paragraph(signature.role, "Signature Role"))
        if lines:
            lines[-1].paragraph_format.keep_with_next = False

    def footer(self, has_letterhead: bool) -> None:
        """"page / pages" in the footer as Word fields, unless the letterhead brings its own footer."""
        for section in self.doc.sections:
            footer = section.footer
            if has_letterhead and any(p.text.strip() for p in footer.paragraphs):
                continue
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            for child in list(paragraph._p):
                if child.tag != qn("w:pPr"):
                    paragraph._p.remove(child)
            self.style(paragraph, "Footer")
            _field(paragraph, "PAGE", "1")
            paragraph.add_run(" / ")
            _field(paragraph, "NUMPAGES", "1")


def _bottom_border(paragraph: Paragraph, colour: str = "") -> None:
    """A thin rule under the letterhead, drawn as a paragraph border so it moves with it."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind",
                              "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "4"), ("space", "4"),
                        ("color", colour.lstrip("#").upper() or "auto")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)


def _add_runs(paragraph: Paragraph, runs: tuple[Run, ...]) -> None:
    for run in runs:
        if run.link:
            _add_hyperlink(paragraph, run)
        else:
            _add_run(paragraph, run)


def _add_run(paragraph: Paragraph, run: Run) -> DocxRun:
    written = paragraph.add_run()
    _set_text(written, run.text)
    if run.bold:
        written.bold = True
    if run.italic:
        written.italic = True
    return written


def _set_text(written: DocxRun, text: str) -> None:
    """Text with its hard line breaks as Word line breaks (never a new paragraph)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            written.add_break(WD_BREAK.LINE)
        if line:
            written.add_text(line)


def _add_hyperlink(paragraph: Paragraph, run: Run) -> None:
    """A real hyperlink to an http(s) or mailto address, as Word writes one."""
    r_id = paragraph.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    paragraph._p.append(link)
    written = DocxRun(OxmlElement("w:r"), paragraph)
    link.append(written._r)
    _set_text(written, run.text)
    if run.bold:
        written.bold = True
    if run.italic:
        written.italic = True


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


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


def _drop_parts(doc: Document) -> None:
    """No thumbnail of an empty page, and no Word 2010 copy of the styles that would disagree;
    dropped last, as new relationships would otherwise take their ids."""
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in (RT.THUMBNAIL, STYLES_WITH_EFFECTS):
                del rels[r_id]
