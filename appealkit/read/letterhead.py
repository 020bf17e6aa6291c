"""A campaign's letterhead, cleaned before any letter is written on it.

A letterhead is a DOCX someone sent in, so it is read like any untrusted DOCX (members capped
when inflated, XML without DTDs or entities) and every external relationship is taken out:
a remote attached template, an image or OLE object linked from a server, a hyperlink. Copied
into every letter, each would make Word reach out when the minister's office opens it. Each
removal is a warning naming the link, so `--strict` fails on it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from appealkit.errors import TemplateError, warn
from appealkit.source.records import Campaign
from appealkit.source.regular_files import Untrusted, read_regular

if TYPE_CHECKING:
    from lxml import etree


_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: Elements that are nothing but an external reference: removed whole, not only their link.
_DROPPED = frozenset({"attachedTemplate", "OLEObject", "subDoc", "altChunk", "dataSource", "headerSource"})
_KINDS = {"attachedTemplate": "attached template", "hyperlink": "hyperlink", "image": "image",
          "oleObject": "OLE link", "subDocument": "subdocument", "aFChunk": "embedded document",
          "frame": "frame", "mailMergeSource": "mail-merge source", "package": "package"}
#: A fixed stamp for the rewritten package, so the same letterhead always gives the same bytes.
_STAMP = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Letterhead:
    """The cleaned letterhead and the links taken out of it."""

    data: bytes
    removed: tuple[str, ...] = ()


def clean_letterhead(data: bytes) -> Letterhead:
    """The letterhead without external relationships; `Untrusted` when it cannot be read safely."""
    from appealkit.read.untrusted import BoundedZip, parse_xml  # lxml: only when there is a letterhead

    archive = BoundedZip(data)
    parts = archive.read_all()
    removed: list[str] = []
    dropped: dict[str, set[str]] = {}
    for name, content in list(parts.items()):
        if name.endswith(".rels"):
            root = parse_xml(content, name)
            for relation in list(root):
                if (relation.get("TargetMode") or "").lower() == "external":
                    kind = (relation.get("Type") or "").rsplit("/", 1)[-1]
                    removed.append(f"{_KINDS.get(kind, kind or 'link')} {relation.get('Target') or '?'}")
                    dropped.setdefault(_owner(name), set()).add(relation.get("Id") or "")
                    root.remove(relation)
            parts[name] = _xml(root)
        elif name.endswith(".xml"):
            parse_xml(content, name)
    for name, ids in dropped.items():
        if name in parts:
            parts[name] = _xml(_unlink(parse_xml(parts[name], name), ids))
    if not removed:
        return Letterhead(data)
    return Letterhead(_package(archive.names(), parts), tuple(removed))


def _owner(rels: str) -> str:
    """`word/_rels/document.xml.rels` → `word/document.xml`; `_rels/.rels` → `` (the package)."""
    folder, _, file = rels.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _unlink(root: etree._Element, ids: set[str]) -> etree._Element:
    """Take out what points at a removed relationship: the element, or only its link."""
    from lxml import etree

    for element in list(root.iter()):
        links = [key for key, value in element.attrib.items() if key.startswith(_R) and value in ids]
        if not links:
            continue
        tag = etree.QName(element).localname
        parent = element.getparent()
        if tag in _DROPPED and parent is not None:
            parent.remove(element)
            continue
        for key in links:
            del element.attrib[key]
    return root


def _xml(root: etree._Element) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _package(order: list[str], parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            archive.writestr(zipfile.ZipInfo(name, date_time=_STAMP), parts[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()


def campaign_letterhead(root: Path, campaign: Campaign) -> bytes | None:
    """The campaign's letterhead, read and cleaned; each link taken out is a warning, and a
    letterhead that cannot be read safely is a `TemplateError` naming it."""
    if not campaign.letterhead:
        return None
    shown = f"templates/{campaign.letterhead}"
    try:
        cleaned = clean_letterhead(read_regular(Path(root) / "templates" / campaign.letterhead))
    except Untrusted as exc:
        raise TemplateError.at(shown, None, "cannot read the letterhead", str(exc)) from None
    for link in cleaned.removed:
        warn(shown, None, f"removed the external {link} from the letterhead",
             "a letter must not load anything from elsewhere; delete the link in Word")
    return cleaned.data
