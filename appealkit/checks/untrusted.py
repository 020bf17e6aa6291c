"""Read files that may have been made to hurt whoever reads them: letters sent in for audit,
letterheads, anything a volunteer drops into the workspace.

Each reader is bounded before the work is done, not after: a file is opened only when it
is a regular file and read up to a cap (`source/regular_files.py`, which the workspace loader
uses too); a zip member is inflated in chunks and dropped as soon as it passes its cap, so a 4 MB
DOCX cannot become 8 GB in memory; XML is parsed with entities and DTDs off, no network,
and libxml2's depth limit (256) kept on. Every refusal is an `Untrusted` error whose text
says why in words a user can act on; callers turn it into their own one-line error.

The audit reader and the letterhead cleaner (`checks/letterhead.py`) read through it.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

from lxml import etree

from appealkit.source.regular_files import MAX_FILE_BYTES, Untrusted, read_regular, shown_size

__all__ = ["MAX_FILE_BYTES", "BoundedZip", "Untrusted", "docx_xml", "parse_xml", "pdf_reader", "read_regular"]

#: The most one zip member may inflate to; a long letter's document.xml is well under 2 MB.
MAX_MEMBER_BYTES = 16_000_000
#: The most all members of one zip may inflate to together (a letterhead's images included).
MAX_TOTAL_BYTES = 64_000_000
#: The most members a zip may list; a DOCX has a few dozen.
MAX_MEMBERS = 2_000
#: The deepest XML libxml2 accepts without its "huge" option; a DOCX nests a dozen levels.
MAX_XML_DEPTH = 256
_CHUNK = 1 << 16


class BoundedZip:
    """A zip archive whose members are read with a cap on each and on all together.

    The sizes a zip declares can lie, so the cap is applied to the bytes actually inflated.
    """

    def __init__(self, data: bytes, max_member: int = MAX_MEMBER_BYTES, max_total: int = MAX_TOTAL_BYTES):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise Untrusted("it is not a zip package; save it again from a word processor") from None
        if len(infos) > MAX_MEMBERS:
            raise Untrusted(f"it holds {len(infos)} parts, more than {MAX_MEMBERS}")
        self.infos = [i for i in infos if not i.is_dir()]
        self.max_member = max_member
        self.max_total = max_total
        self._used = 0

    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def __contains__(self, name: str) -> bool:
        return any(info.filename == name for info in self.infos)

    def read(self, name: str) -> bytes:
        """One member, inflated up to the caps; `Untrusted` past them or when it is damaged."""
        info = next((i for i in self.infos if i.filename == name), None)
        if info is None:
            raise Untrusted(f"it has no part '{name}'")
        if info.flag_bits & 0x1:
            raise Untrusted("it is encrypted")
        if info.file_size > self.max_member:
            raise Untrusted(f"'{name}' inflates to more than {shown_size(self.max_member)}")
        try:
            with self._zip.open(info) as member:
                data = self._inflate(member, name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError,
                EOFError, RuntimeError) as exc:
            raise Untrusted(f"'{name}' is damaged: {_reason(exc)}") from None
        self._used += len(data)
        return data

    def _inflate(self, member: zipfile.ZipExtFile, name: str) -> bytes:
        chunks, size = [], 0
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > self.max_member:
                raise Untrusted(f"'{name}' inflates to more than {shown_size(self.max_member)}")
            if self._used + size > self.max_total:
                raise Untrusted(f"its parts inflate to more than {shown_size(self.max_total)} together")
            chunks.append(chunk)
        return b"".join(chunks)

    def read_all(self) -> dict[str, bytes]:
        """Every member, in archive order, within the caps."""
        return {info.filename: self.read(info.filename) for info in self.infos}


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


def docx_xml(data: bytes, name: str = "the XML") -> etree._Element:
    """`parse_xml` with python-docx's element classes, as `docx.oxml.parse_xml` returns them."""
    from docx.oxml.parser import element_class_lookup

    return parse_xml(data, name, element_class_lookup, remove_blank_text=True)


def pdf_reader(data: bytes):
    """A pypdf reader for untrusted bytes; `Untrusted` for an encrypted or broken PDF."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on broken files are not ours to print
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (DependencyError, FileNotDecryptedError):  # it tried to decrypt with the empty password
        encrypted = True
    except Exception as exc:  # pypdf raises many kinds on broken input; all mean "unreadable"
        raise Untrusted(f"it is not a readable PDF: {_reason(exc)}; export the letter to PDF again") from None
    if encrypted:
        raise Untrusted("it is encrypted; export it again without a password")
    return reader


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:120] if text else "") or type(exc).__name__
