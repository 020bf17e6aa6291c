"""Zip archives whose bytes depend only on what they hold: same files, same bytes.

zipfile stamps every entry with the current time and the writer's permissions; a DOCX
package and a campaign bundle are both rewritten here with one date and one mode, so an
unchanged letter or bundle is byte for byte the one of the last build.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: Names ending so are compressed already: a bundle stores them, since deflating again saves nothing.
COMPRESSED = (".pdf", ".docx", ".zip")


def stamp(day: datetime.date) -> tuple[int, int, int, int, int, int]:
    """Midnight of `day` as a zip timestamp (zip cannot say a year before 1980)."""
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


@dataclass(frozen=True)
class Deflated:
    """Content deflated once, for an entry many zips share (a DOCX's 440 kB of styles): written
    as the very bytes zipfile would have deflated it to, without deflating it again."""

    data: bytes
    packed: bytes

    @classmethod
    def of(cls, data: bytes) -> Deflated:
        # zipfile's own compressor for ZIP_DEFLATED at the default level, fed the whole entry at once
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        return cls(data, compressor.compress(data) + compressor.flush())


class _Replay:
    """Stands in for zipfile's compressor of one entry: gives back the deflated bytes once."""

    def __init__(self, packed: bytes):
        self._packed: bytes | None = packed

    def compress(self, data: bytes) -> bytes:
        if self._packed is None:
            raise RuntimeError("a deflated entry is written in one piece")
        packed, self._packed = self._packed, None
        return packed

    def flush(self) -> bytes:
        return b""


Content = bytes | Deflated | Path


def stable_zip(entries: Iterable[tuple[str, Content]], day: datetime.date,
               stored: tuple[str, ...] = ()) -> bytes:
    """A zip of (name, content) in the order given, every entry dated `day` with mode 0644; names
    ending in one of `stored` are stored, the others deflated (a `Deflated` content only once);
    a `Path`'s content is its file's, copied in pieces."""
    buffer = io.BytesIO()
    stable_zip_into(buffer, entries, day, stored)
    return buffer.getvalue()


def stable_zip_into(handle: BinaryIO, entries: Iterable[tuple[str, Content]], day: datetime.date,
                    stored: tuple[str, ...] = ()) -> None:
    """`stable_zip` written into an open, seekable file, one entry in memory at a time."""
    with zipfile.ZipFile(handle, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp(day))
            info.external_attr = 0o644 << 16
            info.create_system = 3
            packed = stored and name.lower().endswith(stored)
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            if isinstance(content, Path):
                _write_file(archive, info, content)
            elif isinstance(content, Deflated) and not packed:
                _write_deflated(archive, info, content)
            else:
                archive.writestr(info, content.data if isinstance(content, Deflated) else content)


def _write_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, content: Deflated) -> None:
    """What `writestr` does, with the entry's compressor replaced by the bytes deflated before:
    zipfile still counts the size and CRC of the data and writes the same headers."""
    info.file_size = len(content.data)
    with archive.open(info, mode="w") as dest:
        if hasattr(dest, "_compressor"):
            dest._compressor = _Replay(content.packed)
        dest.write(content.data)


def _write_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """What `writestr` does with a file's bytes, read a megabyte at a time: a bundle's all-letters.pdf
    is hundreds of megabytes for thousands of letters. Deflating in pieces gives the same bytes."""
    with path.open("rb") as source:
        info.file_size = os.fstat(source.fileno()).st_size
        with archive.open(info, mode="w") as dest:
            shutil.copyfileobj(source, dest, 1 << 20)


def restamp(data: bytes, day: datetime.date) -> bytes:
    """An existing zip (a DOCX package) rewritten entry by entry with `stable_zip`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return stable_zip(((entry.filename, source.read(entry.filename)) for entry in source.infolist()), day)
