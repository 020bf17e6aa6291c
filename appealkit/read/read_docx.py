"""Read every part of a Word file a reader sees: body and tables in document order, footnotes,
endnotes, headers, footers, text boxes, content controls, field results, and comments.

Tracked changes are read as if accepted (inserted text in, deleted text out), and each
change is kept with its author, so a figure a reviewer changed can be reported as "in a
tracked change by Ann: 400 → 350". Field codes are instructions, not text, and are left
out; their results are read. Paragraphs are numbered in document order, table paragraphs
included, so a number after a table still points at the right paragraph.
"""

from __future__ import annotations

import re

from appealkit.read.passages import Change, Passage
from appealkit.read.table_rows import SEPARATOR, statement
from appealkit.read.untrusted import BoundedZip, Untrusted, parse_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MAIN_REL = "officeDocument/2006/relationships/officeDocument"
#: Parts beside the body, in the order a reader meets them, and what a finding calls them.
_SIDE_PARTS = (
    (re.compile(r"word/header(\d*)\.xml"), "header"),
    (re.compile(r"word/footer(\d*)\.xml"), "footer"),
    (re.compile(r"word/footnotes\.xml"), "footnote"),
    (re.compile(r"word/endnotes\.xml"), "endnote"),
    (re.compile(r"word/comments\.xml"), "comment"),
)


_DEFAULTS = re.compile(rb"<w:docDefaults\b.*?</w:docDefaults>", re.DOTALL)
_LANG = re.compile(rb"""<w:lang\b[^>]*?\bw:val=["']([A-Za-z]{2,3})""")
#: The start of styles.xml read for the defaults (they come first, a few hundred bytes in).
_STYLES_HEAD = 16_384


def docx_language(raw: bytes | BoundedZip) -> str:
    """The language a Word file declares for its text by default (`w:docDefaults`), e.g. "de".

    Read by pattern from the (bounded) styles part: parsing a whole styles.xml for one attribute
    cost more than reading the letter, and so did inflating all of it (Word's runs to 350 KB)
    for the defaults at its start: its head is enough when the defaults close inside it."""
    archive = _archive(raw)
    if "word/styles.xml" not in archive.names():
        return ""
    defaults = _DEFAULTS.search(archive.head("word/styles.xml", _STYLES_HEAD))
    if defaults is None:
        defaults = _DEFAULTS.search(archive.read("word/styles.xml"))
    lang = _LANG.search(defaults[0]) if defaults else None
    return _base(lang[1].decode("ascii")) if lang else ""


def _archive(raw: bytes | BoundedZip) -> BoundedZip:
    """The package, opened once when the caller reads both its language and its passages."""
    return raw if isinstance(raw, BoundedZip) else BoundedZip(raw)


def _base(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def read_docx(raw: bytes | BoundedZip) -> tuple[Passage, ...]:
    """Every passage of a Word file: the body first, then headers, footers, notes and comments.

    Parts are inflated and parsed through `untrusted` (caps on size, no DTDs or entities)."""
    archive = _archive(raw)
    names = archive.names()
    main = _main_part(archive, names)
    body = _parse(archive, main).find(f"{W}body")
    if body is None:
        raise Untrusted(f"{main} holds no document body")
    reader = _Reader()
    reader.body(body)
    for pattern, kind in _SIDE_PARTS:
        found = sorted((n for n in names if pattern.fullmatch(n)), key=_natural)
        for count, name in enumerate(found, start=1):
            reader.side(_parse(archive, name), kind, count if len(found) > 1 else 0)
    return tuple(reader.passages)


def _natural(name: str) -> tuple:
    digits = re.findall(r"\d+", name)
    return (int(digits[-1]) if digits else 0, name)


def _main_part(archive: BoundedZip, names: list[str]) -> str:
    if "_rels/.rels" in names:
        rels = _parse(archive, "_rels/.rels")
        for rel in rels:
            if rel.get("Type", "").endswith(_MAIN_REL):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise Untrusted("it has no main document part; save it again from a word processor")


def _parse(archive: BoundedZip, name: str):
    return parse_xml(archive.read(name), name)


class _Reader:
    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.number = 0
        self.tables = 0
        self.boxes = 0
        self.in_body = False

    def body(self, body) -> None:
        self.in_body = True
        self._blocks(body, "")
        self.in_body = False

    def side(self, root, kind: str, count: int) -> None:
        if kind in ("header", "footer"):
            self._blocks(root, f"{kind} {count}" if count else kind)
            return
        for note in root.iterchildren(f"{W}{kind}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            part = f"{kind} {note.get(f'{W}id')}"
            if kind == "comment":
                part += f" by {note.get(f'{W}author') or 'an unnamed reviewer'}"
            self._blocks(note, part, comment=kind == "comment")

    def _blocks(self, parent, part: str, comment: bool = False) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child, part, comment)
            elif tag == f"{W}tbl":
                self._table(child, part, comment)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}moveTo"):
                self._blocks(child, part, comment)

    def _table(self, table, part: str, comment: bool) -> None:
        self.tables += 1
        name = f"table {self.tables}"
        rows = [r for r in table.iter(f"{W}tr") if _table_of(r) is table]
        for row_number, row in enumerate(rows, start=1):
            cells = [c for c in row.iter(f"{W}tc") if _table_of(c) is table]
            first = len(self.passages)
            for cell_number, cell in enumerate(cells, start=1):
                where = f"{name}, row {row_number}, cell {cell_number}"
                self._blocks(cell, f"{part}, {where}" if part else where, comment)
            row_part = f"{name}, row {row_number}"
            self._as_statement(first, f"{part}, {row_part}" if part else row_part)

    def _as_statement(self, first: int, part: str) -> None:
        """A row whose first cell names something and whose second holds a figure ("Political
        prisoners │ about 350") is one statement, "Political prisoners: about 350", so the figure
        is read with what it counts."""
        cells = self.passages[first:]
        text = statement(cells[0].text, cells[1].text) if len(cells) == 2 else None
        if text is None:
            return
        shift = text.index(SEPARATOR) + len(SEPARATOR) - (len(cells[1].text) - len(cells[1].text.lstrip()))
        moved = (Change(c.start + shift, c.end + shift, c.author, c.deleted, c.inserted)
                 for c in cells[1].changes)
        changes = [*cells[0].changes, *moved]
        self.passages[first:] = [Passage(text, None, part=part, changes=tuple(changes),
                                         comment=cells[0].comment, language=cells[0].language)]

    def _paragraph(self, paragraph, part: str, comment: bool) -> None:
        if self.in_body:  # table paragraphs count too, so the numbers after a table stay right
            self.number += 1
        text: list[str] = []
        changes: list[Change] = []
        boxes: list = []
        _walk(paragraph, text, changes, boxes, None)
        joined = "".join(text)
        if joined.strip():
            # a language set on the paragraph's own runs (Word's "Set proofing language")
            lang = next((_base(e.get(f"{W}val", "")) for e in paragraph.iter(f"{W}lang")
                         if e.get(f"{W}val")), "")
            self.passages.append(Passage(joined, None if part else self.number, part=part,
                                         changes=_merged(changes), comment=comment, language=lang))
        for box in boxes:
            self.boxes += 1
            self._blocks(box, f"text box {self.boxes}", comment)


def _table_of(element):
    parent = element.getparent()
    while parent is not None and parent.tag != f"{W}tbl":
        parent = parent.getparent()
    return parent


def _walk(element, text: list[str], changes: list[Change], boxes: list, author: str | None) -> None:
    """The accepted text of a paragraph, noting tracked changes and text boxes on the way."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{W}t":
            text.append(child.text or "")
        elif tag == f"{W}tab":
            text.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):  # a line break: a word hyphenated before it is joined again
            text.append("\n")
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        elif tag in (f"{W}del", f"{W}moveFrom"):
            deleted = "".join(t.text or "" for t in child.iter(f"{W}delText", f"{W}t"))
            at = sum(len(t) for t in text)
            changes.append(Change(at, at, child.get(f"{W}author") or "an unnamed reviewer", deleted, ""))
        elif tag in (f"{W}ins", f"{W}moveTo"):
            start = sum(len(t) for t in text)
            _walk(child, text, changes, boxes, author)
            inserted = "".join(text)[start:]
            author_name = child.get(f"{W}author") or "an unnamed reviewer"
            changes.append(Change(start, start + len(inserted), author_name, "", inserted))
        elif tag in (f"{W}instrText", f"{W}delInstrText", _MC_FALLBACK, f"{W}pPr", f"{W}rPr"):
            continue
        else:
            _walk(child, text, changes, boxes, author)


def _merged(changes: list[Change]) -> tuple[Change, ...]:
    """A deletion and an insertion that meet at one place, by one author, are one change."""
    merged: list[Change] = []
    for change in changes:
        last = merged[-1] if merged else None
        if last and last.author == change.author and (
                (last.end == change.start and (not last.deleted or not change.inserted))
                or last.start == change.start):
            merged[-1] = Change(last.start, max(last.end, change.end), last.author,
                                last.deleted + change.deleted, last.inserted + change.inserted)
        else:
            merged.append(change)
    return tuple(merged)
