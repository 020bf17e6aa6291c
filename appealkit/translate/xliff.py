"""Units as XLIFF 2.0 (OASIS), written and read with lxml.

Each unit's Jinja code sits in `<originalData>`; the text refers to it with `<ph dataRef=…>`,
`disp` showing what a fact or person renders to. Placeholders may not be copied, nor deleted
when they cite a fact, person or snippet;
`{% %}` tags may not be reordered (`canReorder="firstNo"`/`"no"`). A current translation goes
out as `state="translated"`, a stale one as `state="initial"` with `subState="appealkit:stale"`,
which a translation tool shows as needing work; import takes only the segments no longer initial.
"""

from __future__ import annotations

from lxml import etree

from appealkit.errors import TranslationError, option
from appealkit.source.regular_files import Untrusted
from appealkit.source.safe_xml import parse_xml
from appealkit.translate.exchange import Exchange
from appealkit.translate.units import Piece, Placeholder, Translated

NS = "urn:oasis:names:tc:xliff:document:2.0"
_Q = f"{{{NS}}}"


def to_xliff(exchange: Exchange) -> bytes:
    """The exchange as an XLIFF 2.0 document."""
    root = etree.Element(_Q + "xliff", nsmap={None: NS}, version="2.0", srcLang=exchange.source_language,
                         trgLang=exchange.target_language)
    file = etree.SubElement(root, _Q + "file", id="f1", original=f"templates/{exchange.master}")
    notes = etree.SubElement(file, _Q + "notes")
    etree.SubElement(notes, _Q + "note", category="translation").text = f"templates/{exchange.translation}"
    for unit in exchange.units:
        element = etree.SubElement(file, _Q + "unit", id=unit.id, name=f"paragraph {unit.number}")
        note = etree.SubElement(etree.SubElement(element, _Q + "notes"), _Q + "note", category="location")
        note.text = f"paragraph {unit.number}, line {unit.line} of templates/{exchange.master}"
        if unit.placeholders:
            data = etree.SubElement(element, _Q + "originalData")
            for placeholder in unit.placeholders:
                etree.SubElement(data, _Q + "data", id=f"d{placeholder.id}").text = placeholder.code
        attributes = {"state": "translated"} if unit.state == "current" else {"state": "initial"}
        if unit.state == "stale":
            attributes["subState"] = "appealkit:stale"
        segment = etree.SubElement(element, _Q + "segment", attributes)
        _fill(etree.SubElement(segment, _Q + "source"), unit.source)
        if unit.target is not None:
            _fill(etree.SubElement(segment, _Q + "target"), unit.target)
    _break_lines(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _break_lines(element: etree._Element) -> None:
    """A line per element down to the segments; the text of sources and targets is left exactly as it is
    (pretty printing would indent a target that holds only a placeholder, and change it)."""
    if element.tag in (_Q + "source", _Q + "target"):
        return
    if len(element):
        element.text = "\n"
    for child in element:
        child.tail = "\n"
        _break_lines(child)


def _fill(element: etree._Element, pieces: tuple[Piece, ...]) -> None:
    """Text and `<ph>` elements: first tag `firstNo`, later tags `no`, expressions free to move."""
    last: etree._Element | None = None
    tags = 0
    for piece in pieces:
        if isinstance(piece, Placeholder):
            reorder = "yes"
            if piece.is_tag:
                reorder, tags = ("firstNo" if tags == 0 else "no"), tags + 1
            attributes = {"id": piece.id, "dataRef": f"d{piece.id}", "canCopy": "no",
                          "canDelete": "no" if piece.required else "yes", "canReorder": reorder}
            if piece.shown:
                attributes["disp"] = piece.shown
            last = etree.SubElement(element, _Q + "ph", attributes)
        elif last is None:
            element.text = (element.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece


def from_xliff(data: bytes, file: str) -> tuple[str, str, list[Translated]]:
    """The master's name, the target language and the translated units of an XLIFF 2.0 file."""
    try:
        root = parse_xml(data, "the XLIFF file")
    except Untrusted as exc:
        raise TranslationError.at(file, None, str(exc)) from None
    if root.tag != _Q + "xliff" or root.get("version") != "2.0":
        raise TranslationError.at(file, root.sourceline, "is not an XLIFF 2.0 document",
                                  "export one with: appealkit translations export TEMPLATE "
                                  f"{option('language')} LANG")
    element = root.find(_Q + "file")
    original = element.get("original", "") if element is not None else ""
    language = root.get("trgLang", "")
    if element is None or not original.startswith("templates/") or not language:
        raise TranslationError.at(file, root.sourceline, "names no master template (file/@original) or no "
                                  "target language (trgLang)", "import a file appealkit exported")
    units = []
    for unit in element.iter(_Q + "unit"):
        segment = unit.find(_Q + "segment")
        target = segment.find(_Q + "target") if segment is not None else None
        if target is None or segment.get("state", "initial") == "initial":
            continue
        units.append(Translated(unit.get("id", ""), _pieces(target, file), target.sourceline))
    return original.removeprefix("templates/"), language, units


def _pieces(target: etree._Element, file: str) -> tuple[str | tuple[str], ...]:
    pieces: list[str | tuple[str]] = [target.text] if target.text else []
    for child in target:
        if not isinstance(child.tag, str):  # a comment or processing instruction: only its tail is text
            if child.tail:
                pieces.append(child.tail)
            continue
        if child.tag != _Q + "ph":
            name = etree.QName(child).localname
            raise TranslationError.at(file, child.sourceline,
                                      f"<{name}> in a target: only text and <ph> are kept",
                                      "remove the markup the translation tool added")
        pieces.append((child.get("id", ""),))
        if child.tail:
            pieces.append(child.tail)
    return tuple(pieces)
