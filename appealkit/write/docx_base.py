"""The document every letter's DOCX starts from: parsed and styled once per process, copied per letter.

python-docx's own template carries 440 kB of styles. Parsing it, setting the letter's
styles, looking a style up by name for each paragraph, then serialising and deflating
those styles twice cost five times more than writing the letter itself. So a base is
made once per letterhead and language (page, named styles, settings, the application
part); a letter gets a copy that shares every part a letter never changes (styles,
settings, theme, fonts, the letterhead's header and images), and those parts go into
each zip as the bytes they were serialised and deflated to once. The zip is the one
python-docx would save, entry for entry, then restamped: the same bytes, written once.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import pathlib
import zipfile
from dataclasses import dataclass, field

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.package import OpcPackage
from docx.opc.packuri import PACKAGE_URI
from docx.opc.part import Part
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart
from docx.parts.numbering import NumberingPart

from appealkit.errors import TemplateError
from appealkit.version import __version__
from appealkit.write import docx_styles
from appealkit.write.stable_zip import Deflated, stable_zip

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>appealkit</Application><AppVersion>{version}</AppVersion></Properties>"
)
#: Parts a letter writes into: each letter gets its own copy of these, every other part is shared.
LETTER_PARTS = (DocumentPart, NumberingPart, CorePropertiesPart, FooterPart)
#: Bases kept per process: one per letterhead and language of a build is a handful.
MAX_BASES = 6


@dataclass
class Base:
    """A styled, empty letter document and what a letter needs to fill and save a copy of it."""

    package: OpcPackage
    #: paragraph style name → the id a paragraph names (None for the default style)
    style_ids: dict[str, str | None]
    #: the parts every copy shares, by id, and their bytes deflated once
    shared: dict[int, Part] = field(default_factory=dict)
    packed: dict[int, Deflated] = field(default_factory=dict)

    def document(self) -> Document:
        """A fresh copy of the base for one letter; the shared parts are the base's own."""
        package = copy.deepcopy(self.package, dict(self.shared))
        return package.main_document_part.document

    def docx_bytes(self, doc: Document, day: datetime.date) -> bytes:
        """The package as python-docx saves it (content types, package rels, each part and its
        rels, in that order), every entry dated `day`."""
        package = doc.part.package
        parts = list(package.iter_parts())
        entries: list[tuple[str, bytes | Deflated]] = [
            ("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob),
            (PACKAGE_URI.rels_uri.membername, package.rels.xml),
        ]
        for part in parts:
            if id(part) not in self.shared:
                part.before_marshal()
            entries.append((part.partname.membername, self.packed.get(id(part)) or part.blob))
            if len(part.rels):
                entries.append((part.partname.rels_uri.membername, part.rels.xml))
        return stable_zip(entries, day)


_BASES: dict[tuple[str, str, bool], Base] = {}


def base(letterhead: pathlib.Path | bytes | None, language: str, tight: bool = False) -> Base:
    """The base for a letterhead (a path, its bytes, or None for python-docx's template), a
    language and spacing (`tight`: set as the PDF was), made the first time and kept by the
    letterhead's content, so never stale."""
    data = _letterhead_bytes(letterhead)
    key = (hashlib.sha256(data).hexdigest() if data is not None else "", language, tight)
    found = _BASES.get(key)
    if found is None:
        found = _make(letterhead, data, language, tight)
        if len(_BASES) >= MAX_BASES:
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = found
    return found


def _letterhead_bytes(letterhead: pathlib.Path | bytes | None) -> bytes | None:
    if letterhead is None or isinstance(letterhead, bytes):
        return letterhead
    try:
        return pathlib.Path(letterhead).read_bytes()
    except OSError as error:
        raise _unreadable(str(letterhead), error) from error


def _unreadable(shown: str, error: Exception) -> TemplateError:
    return TemplateError.at(shown, None, f"cannot open the letterhead: {error}",
                            "save it from Word or LibreOffice as a .docx file")


def _make(letterhead: pathlib.Path | bytes | None, data: bytes | None, language: str, tight: bool) -> Base:
    doc = _open(letterhead, data)
    docx_styles.set_page(doc, keep_margins=data is not None)
    docx_styles.set_styles(doc, language, tight)
    docx_styles.set_settings(doc)
    package = doc.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML.format(version=app_version()).encode("utf-8")
    style_ids = {name: doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH) for name in docx_styles.STYLES}
    made = Base(package, style_ids)
    for part in package.iter_parts():
        if not isinstance(part, LETTER_PARTS):
            made.shared[id(part)] = part
            made.packed[id(part)] = Deflated.of(part.blob)
    return made


def _open(letterhead: pathlib.Path | bytes | None, data: bytes | None) -> Document:
    """python-docx's template, or the letterhead with its body emptied but its section kept."""
    if data is None:
        return docx.Document()
    try:
        doc = docx.Document(io.BytesIO(data))
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        shown = "the letterhead" if isinstance(letterhead, bytes) else str(letterhead)
        raise _unreadable(shown, error) from error
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def app_version() -> str:
    """AppVersion must read XX.YYYY; appealkit's own version in that shape."""
    major, minor, *_ = [*__version__.split("."), "0", "0"]
    return f"{int(major):02d}.{int(minor):04d}"
