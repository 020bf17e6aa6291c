"""One PDF of many letters, written a letter at a time: each letter's pages and everything they use
are copied into the file as the letter is read, under new object numbers, and only offsets stay.

qpdf (pikepdf) merging every letter into one document held every copied object until it saved,
about 100 kB a letter: 330 MB for 3,000 letters, more than the rest of the build. Here one letter
is open at a time, and what is kept is an offset an object, a number a page and a title a letter.
The objects are qpdf's own text of them (`unparse`), their references renumbered; stream data is
copied as stored, never decoded. The file's ID is the MD5 of its bytes, so the same letters give
the same file.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

#: A string, a hex string or a name (passed over whole: "5 0 R" inside one is no reference), or a
#: reference, renumbered. qpdf's text of a literal string escapes every parenthesis in it.
_TOKEN = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]<>(){}%]*|(?<![\d.])(\d+) (\d+) R",
                    re.DOTALL)
_CATALOG, _INFO, _OUTLINES, _PAGES = 1, 2, 3, 4


class _File:
    """The output: what was written so far, its MD5, and where each object starts."""

    def __init__(self, handle: BinaryIO):
        self.handle, self.md5, self.at = handle, hashlib.md5(usedforsecurity=False), 0
        self.offsets = array("q", [0] * (_PAGES + 1))

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.md5.update(data)
        self.at += len(data)

    def reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.at
        self.write(b"%d 0 obj\n%s\n" % (number, body))
        if stream is not None:
            self.write(b"stream\n%s\nendstream\n" % stream)
        self.write(b"endobj\n")


def write_letters_pdf(handle: BinaryIO, letters: Iterable[tuple[str, Path]], title: str,
                      language: str, producer: str) -> None:
    """The PDFs of `letters` ((bookmark title, file) in order) as one PDF into `handle`: one outline
    entry per letter at its first page, shown when the file opens; the author is the first letter's,
    the language `language` or else the first letter's."""
    import pikepdf  # only when a letter changed: a build with nothing to do never loads it

    out = _File(handle)
    version, author, kids, starts = "", "", array("q"), []
    for bookmark, path in letters:
        with pikepdf.open(path) as letter:
            if not version:
                version = letter.pdf_version
                out.write(b"%%PDF-%s\n%%\xbf\xf7\xa2\xfe\n" % version.encode("ascii"))
            version = max(version, letter.pdf_version, key=_version)
            author = author or str(letter.docinfo.get("/Author", ""))
            language = language or str(letter.Root.get("/Lang", ""))
            pages = _copy_pages(out, letter)
        if pages:
            starts.append((bookmark, pages[0]))
            kids.extend(pages)
    if not kids:
        raise ValueError("no letter has a page")
    items = [out.reserve() for _ in starts]
    for index, (bookmark, page) in enumerate(starts):
        links = b"".join(b"/%s %d 0 R " % (key, items[index + step])
                         for key, step in ((b"Next", 1), (b"Prev", -1)) if 0 <= index + step < len(items))
        out.object(items[index], b"<< /Count 0 /Dest [ %d 0 R /Fit ] %s/Parent %d 0 R /Title %s >>"
                   % (page, links, _OUTLINES, _text(pikepdf, bookmark)))
    out.object(_OUTLINES, b"<< /Count %d /First %d 0 R /Last %d 0 R /Type /Outlines >>"
               % (len(items), items[0], items[-1]))
    out.object(_PAGES, b"<< /Count %d /Kids [ %s ] /Type /Pages >>"
               % (len(kids), b" ".join(b"%d 0 R" % kid for kid in kids)))
    newer = b"/Version /%s " % version.encode("ascii") if _version(version) > (1, 7) else b""
    out.object(_CATALOG, b"<< /Lang %s /Outlines %d 0 R /PageMode /UseOutlines /Pages %d 0 R /Type /Catalog "
               b"%s>>" % (_text(pikepdf, language or "en"), _OUTLINES, _PAGES, newer))
    by = b"/Author %s " % _text(pikepdf, author) if author else b""
    out.object(_INFO, b"<< %s/Producer %s /Title %s >>"
               % (by, _text(pikepdf, producer), _text(pikepdf, title)))
    _finish(out)


def _copy_pages(out: _File, letter: Any) -> list[int]:
    """Every page of `letter` and what it refers to, written under new numbers; the pages' numbers."""
    import pikepdf

    numbers: dict[tuple[int, int], int] = {}
    queue: list[tuple[int, int]] = []

    def number(objgen: tuple[int, int]) -> int:
        if objgen not in numbers:
            numbers[objgen] = out.reserve()
            queue.append(objgen)
        return numbers[objgen]

    def renumbered(found: re.Match[bytes]) -> bytes:
        if found[1] is None:
            return found[0]
        return b"%d 0 R" % number((int(found[1]), int(found[2])))

    # qpdf's list of pages gives each page what it inherited from the page tree (its media box,
    # resources), so a page needs nothing of the letter's tree under the bundle's
    pages = {page.obj.objgen: number(page.obj.objgen) for page in letter.pages}
    for objgen in queue:  # grows as references are found: each object once, in the order first met
        obj = letter.get_object(objgen)
        if isinstance(obj, pikepdf.Stream):
            data = obj.read_raw_bytes()
            obj.stream_dict["/Length"] = len(data)
            out.object(numbers[objgen], _TOKEN.sub(renumbered, obj.stream_dict.unparse(resolved=True)), data)
            continue
        if objgen in pages:  # under the bundle's page tree, not the letter's
            del obj["/Parent"]
        body = _TOKEN.sub(renumbered, obj.unparse(resolved=True))
        if objgen in pages:
            body = b"<< /Parent %d 0 R " % _PAGES + body[2:].lstrip()
        out.object(numbers[objgen], body)
    return list(pages.values())


def _text(pikepdf: Any, value: str) -> bytes:
    return bytes(pikepdf.String(value).unparse())


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


def _finish(out: _File) -> None:
    """The cross-reference table and the trailer, whose ID is the MD5 of everything before it."""
    start = out.at
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(out.offsets))
    for first in range(1, len(out.offsets), 4096):
        out.write(b"".join(b"%010d 00000 n \n" % at for at in out.offsets[first:first + 4096]))
    identifier = out.md5.hexdigest().encode("ascii")
    out.write(b"trailer << /Info %d 0 R /Root %d 0 R /Size %d /ID [<%s><%s>] >>\nstartxref\n%d\n%%%%EOF\n"
              % (_INFO, _CATALOG, len(out.offsets), identifier, identifier, start))
