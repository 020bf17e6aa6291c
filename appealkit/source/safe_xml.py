"""XML from files nobody vouches for: no DTD (so no entities, internal or external, and no
billion laughs), no network, and libxml2's depth limit kept on.

A DOCX part, a letterhead's relationships, an SVG in a layout: each is parsed here, so the
rule "a document never needs a DTD" has one home.
"""

from __future__ import annotations

import re

from lxml import etree

from appealkit.source.regular_files import Untrusted

#: The deepest XML libxml2 accepts without its "huge" option; a DOCX nests a dozen levels.
MAX_XML_DEPTH = 256


def _parser(lookup: etree.ElementClassLookup | None = None, *,
            remove_blank_text: bool = False) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
        huge_tree=False, remove_blank_text=remove_blank_text, collect_ids=False,
    )
    if lookup is not None:
        parser.set_element_class_lookup(lookup)
    return parser


def parse_xml(data: bytes, name: str = "the XML", lookup: etree.ElementClassLookup | None = None,
              *, remove_blank_text: bool = False) -> etree._Element:
    """Parse XML from an untrusted file: no DTD (so no entities, internal or external), no
    network, at most MAX_XML_DEPTH levels; `lookup` gives python-docx's element classes."""
    if _declares_dtd(data):
        raise Untrusted(f"{name} declares a DTD (entities), which a document never needs")
    try:
        root = etree.fromstring(data, _parser(lookup, remove_blank_text=remove_blank_text))
    except etree.XMLSyntaxError as exc:
        why = str(exc.msg if getattr(exc, "msg", None) else exc).split(", use XML_PARSE_HUGE")[0]
        why = re.sub(r",? (line \d+), column \d+", r", \1", why.strip())  # columns vary with libxml2
        raise Untrusted(f"{name} is not well-formed XML: {why}") from None
    except (ValueError, etree.LxmlError) as exc:
        raise Untrusted(f"{name} is not well-formed XML: {_reason(exc)}") from None
    if root.getroottree().docinfo.doctype:
        raise Untrusted(f"{name} declares a DTD (entities), which a document never needs")
    return root


def _declares_dtd(data: bytes) -> bool:
    """Whether the prolog (before the first element) holds a <!DOCTYPE; comments and PIs skipped."""
    position = 0
    while True:
        position = data.find(b"<", position)
        if position == -1:
            return False
        if data.startswith(b"<!--", position):
            position = data.find(b"-->", position)
        elif data.startswith(b"<?", position):
            position = data.find(b"?>", position)
        else:
            return data[position:position + 9].upper() == b"<!DOCTYPE"
        if position == -1:
            return False


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:120] if text else "") or type(exc).__name__
