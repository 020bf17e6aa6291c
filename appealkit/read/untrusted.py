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
import zipfile
from typing import IO

from appealkit.source.regular_files import MAX_FILE_BYTES, Untrusted, read_regular, shown_size
from appealkit.source.safe_xml import MAX_XML_DEPTH, parse_xml

__all__ = ["MAX_FILE_BYTES", "MAX_XML_DEPTH", "BoundedZip", "Untrusted", "parse_xml", "read_regular"]

#: The most one zip member may inflate to; a long letter's document.xml is well under 2 MB.
MAX_MEMBER_BYTES = 16_000_000
#: The most all members of one zip may inflate to together (a letterhead's images included).
MAX_TOTAL_BYTES = 64_000_000
#: The most members a zip may list; a DOCX has a few dozen.
MAX_MEMBERS = 2_000
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
        return self._read(name, None)

    def head(self, name: str, size: int) -> bytes:
        """The first `size` bytes of a member (all of it when shorter), the rest left deflated: the
        start of a large part without the cost of the whole (its checksum is then not verified)."""
        return self._read(name, size)

    def _read(self, name: str, stop: int | None) -> bytes:
        info = next((i for i in self.infos if i.filename == name), None)
        if info is None:
            raise Untrusted(f"it has no part '{name}'")
        if info.flag_bits & 0x1:
            raise Untrusted("it is encrypted")
        if info.file_size > self.max_member:
            raise Untrusted(f"'{name}' inflates to more than {shown_size(self.max_member)}")
        try:
            with self._zip.open(info) as member:
                data = self._inflate(member, name, stop)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError,
                EOFError, RuntimeError) as exc:
            raise Untrusted(f"'{name}' is damaged: {_reason(exc)}") from None
        self._used += len(data)
        return data

    def _inflate(self, member: IO[bytes], name: str, stop: int | None) -> bytes:
        chunks, size = [], 0
        while chunk := member.read(_CHUNK if stop is None else min(_CHUNK, stop - size)):
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


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:120] if text else "") or type(exc).__name__
