"""The named styles of a letter's DOCX, the page it sits on, and the settings Word reads.

Every part of a letter has its own paragraph style ("Letterhead", "Recipient Address",
"Body Text", "Heading 2", "List Paragraph", "Closing", "Signature" …), so an organiser who
edits the letter in Word changes a part everywhere at once, and Word's navigation pane
lists the headings. The sizes are those of the PDF layout's letter.css, in points, and
lines have an exact height, so LibreOffice breaks the DOCX into the same pages as the PDF.

The font is Times New Roman, which every Word installation has and which covers
Azerbaijani (ə ğ ı ş İ); LibreOffice and the PDF use Liberation Serif, its metric twin.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

from appealkit.rules.language import locale_for

FONT = "Times New Roman"
#: The free twin with the same metrics: what LibreOffice and the PDF set the letter in.
FONT_TWIN = "Liberation Serif"
FONT_SIZE = Pt(11)
LINE = Pt(14)
MARGIN = Mm(25)
FOOTER_DISTANCE = Mm(12)
INDENT = Pt(20)
SIGNATURE_SPACE = Pt(42)

#: The layout's `html.tight` rules (letter.css), for a letter whose PDF was set tight to save
#: a last page (`write/page_finish.py`): the DOCX built with it follows, so both have as many pages.
TIGHT_LINE = 13.0
#: Space after a body paragraph and before the signatures, in points, when tight.
TIGHT_AFTER_BODY, TIGHT_BEFORE_SIGNATURE = 6, 34


@dataclass(frozen=True)
class Look:
    """How one named style looks; None leaves the value to the style it is based on."""

    based_on: str = "Normal"
    size: float | None = None
    line: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    before: float = 0
    after: float = 0
    keep_with_next: bool = False
    indent: float = 0
    hanging: float = 0
    outline: int | None = None


#: Style name → look. Names Word already knows (Body Text, Heading 2, List Paragraph, Quote,
#: Closing, Signature, Footer) keep their meaning for Word's own features.
STYLES: dict[str, Look] = {
    "Letterhead": Look(size=9.5, line=12),
    "Letterhead Name": Look("Letterhead", size=14, line=17, bold=True, after=2),
    "Letterhead Last": Look("Letterhead", after=18),
    "Place and Date": Look(align=WD_ALIGN_PARAGRAPH.RIGHT),
    "Reference Line": Look(size=9.5, align=WD_ALIGN_PARAGRAPH.RIGHT),
    "Return Address": Look(size=7, line=9, after=2),
    "Recipient Address": Look(),
    "Subject": Look(bold=True, after=14, keep_with_next=True, outline=0),
    "Salutation": Look(after=10, keep_with_next=True),
    "Body Text": Look(align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8),
    "Heading 2": Look(size=12, bold=True, italic=False, before=10, after=6, keep_with_next=True, outline=1),
    "Heading 3": Look(bold=True, italic=False, before=10, after=6, keep_with_next=True, outline=2),
    "Heading 4": Look(bold=True, italic=False, before=10, after=6, keep_with_next=True, outline=3),
    "Heading 5": Look(bold=True, italic=False, before=10, after=6, keep_with_next=True, outline=4),
    "Heading 6": Look(bold=True, italic=False, before=10, after=6, keep_with_next=True, outline=5),
    "List Paragraph": Look(align=WD_ALIGN_PARAGRAPH.LEFT, after=4, indent=20, hanging=20),
    "List Continue": Look(align=WD_ALIGN_PARAGRAPH.LEFT, after=4, indent=20),
    "Quote": Look(italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8, indent=20),
    "Table Text": Look(align=WD_ALIGN_PARAGRAPH.LEFT),
    "Closing": Look(before=10, keep_with_next=True),
    "Signature": Look(before=42, keep_with_next=True),
    "Signature Role": Look(size=10, keep_with_next=True),
    "Footer": Look(size=9, align=WD_ALIGN_PARAGRAPH.CENTER),
}


def set_page(doc: Document, keep_margins: bool) -> None:
    """A4 always; a letterhead keeps its margins, which its logo and footer were placed in."""
    for section in doc.sections:
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.footer_distance = FOOTER_DISTANCE
        if not keep_margins:
            section.left_margin = section.right_margin = MARGIN
            section.top_margin = section.bottom_margin = MARGIN


def set_styles(doc: Document, language: str, tight: bool = False) -> None:
    """Normal names the font for every script and the letter's language; then each named style
    (with `tight`, the layout's tighter leading and spacing)."""
    normal = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH) or doc.styles.add_style(
        "Normal", WD_STYLE_TYPE.PARAGRAPH)
    _set_font(normal, language)
    normal.paragraph_format.widow_control = True
    _apply(doc, normal, Look(based_on="", size=FONT_SIZE.pt, line=TIGHT_LINE if tight else LINE.pt))
    for name, look in STYLES.items():
        if tight and name == "Body Text":
            look = dataclasses.replace(look, after=TIGHT_AFTER_BODY)
        elif tight and name == "Signature":
            look = dataclasses.replace(look, before=TIGHT_BEFORE_SIGNATURE)
        _apply(doc, _paragraph_style(doc, name), look)


def _paragraph_style(doc: Document, name: str) -> ParagraphStyle:
    try:
        style = doc.styles[name]
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            return style
    except KeyError:
        pass
    return doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _set_font(style: ParagraphStyle, language: str) -> None:
    """Name the font for every script so Word does not fall back to a theme font."""
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    if language:
        _set_language(style, language)


def language_tag(language: str) -> str:
    """The tag Word and LibreOffice pick spelling and hyphenation by: a region, as both write it
    ("de-DE", "az-Latn-AZ"); a bare "de" leaves Word without its German hyphenation."""
    return locale_for(language).replace("_", "-") if "-" not in language else language


def _set_language(normal: ParagraphStyle, language: str) -> None:
    """The letter's language in the document defaults and Normal, and in no other style, so that
    every run (body, tables, links, footer) resolves to it: Word and LibreOffice hyphenate by it."""
    tag = language_tag(language)
    styles = normal.element.getparent()
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    default_rpr = rpr_default.find(qn("w:rPr"))
    if default_rpr is None:
        default_rpr = OxmlElement("w:rPr")
        rpr_default.append(default_rpr)
    for lang in list(styles.iter(qn("w:lang"))):
        lang.getparent().remove(lang)
    for rpr in (default_rpr, normal.element.get_or_add_rPr()):
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # w:lang is among the last of a run's properties in the schema's order
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:bidi"), tag)


def _apply(doc: Document, style: ParagraphStyle, look: Look) -> None:
    """Set a style to exactly `look`: a letterhead's own version of it cannot leak through."""
    if look.based_on:
        style.base_style = doc.styles[look.based_on]
    rpr = style.element.get_or_add_rPr()
    kept = ("w:rFonts", "w:sz", "w:lang") if style.name == "Normal" else ()
    for child in list(rpr):
        if child.tag not in {qn(tag) for tag in kept}:
            rpr.remove(child)
    font = style.font
    if style.name.startswith("Heading"):
        font.color.rgb = RGBColor(0, 0, 0)
    if look.size is not None:
        font.size = Pt(look.size)
    font.bold = look.bold
    font.italic = look.italic
    paragraph = style.paragraph_format
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:numPr", "w:pBdr", "w:ind", "w:outlineLvl", "w:contextualSpacing", "w:spacing", "w:jc"):
        for element in ppr.findall(qn(tag)):
            ppr.remove(element)
    paragraph.alignment = look.align
    paragraph.space_before = Pt(look.before)
    paragraph.space_after = Pt(look.after)
    if look.line is not None:
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(look.line)
    paragraph.keep_with_next = look.keep_with_next or None
    if look.indent:
        paragraph.left_indent = Pt(look.indent)
    if look.hanging:
        paragraph.first_line_indent = Pt(-look.hanging)
    if look.outline is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(look.outline))
        ppr.insert_element_before(outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    style.quick_style = True


def set_settings(doc: Document) -> None:
    """Automatic hyphenation in the letter's language, as the PDF has; no preview picture."""
    settings = doc.settings.element
    for tag in ("w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone",
                "w:doNotHyphenateCaps", "w:savePreviewPicture"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    successors: tuple[str, ...]
    successors = ("w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
                  "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
                  "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
                  "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
                  "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
                  "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
                  "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
                  "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
                  "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
                  "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
                  "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
                  "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
                  "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                  "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                  "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                  "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                  "w:decimalSymbol", "w:listSeparator")
    successors = tuple(tag for tag in successors if not tag.startswith(("m:", "sl:")))
    for tag, value in (("w:autoHyphenation", "true"), ("w:consecutiveHyphenLimit", "2"),
                       ("w:hyphenationZone", "357"), ("w:doNotHyphenateCaps", "true")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        settings.insert_element_before(element, *successors)
