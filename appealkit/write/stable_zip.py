"""Zip archives whose bytes depend only on what they hold: same files, same bytes.

zipfile stamps every entry with the current time and the writer's permissions; a DOCX
package and a campaign bundle are both rewritten here with one date and one mode, so an
unchanged letter or bundle is byte for byte the one of the last build.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable

#: Names ending so are compressed already: a bundle stores them, since deflating again saves nothing.
COMPRESSED = (".pdf", ".docx", ".zip")


def stamp(day: datetime.date) -> tuple[int, int, int, int, int, int]:
    """Midnight of `day` as a zip timestamp (zip cannot say a year before 1980)."""
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


def stable_zip(entries: Iterable[tuple[str, bytes]], day: datetime.date,
               stored: tuple[str, ...] = ()) -> bytes:
    """A zip of (name, content) in the order given, every entry dated `day` with mode 0644; names
    ending in one of `stored` are stored, the others deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp(day))
            info.external_attr = 0o644 << 16
            info.create_system = 3
            packed = stored and name.lower().endswith(stored)
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def restamp(data: bytes, day: datetime.date) -> bytes:
    """An existing zip (a DOCX package) rewritten entry by entry with `stable_zip`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return stable_zip(((entry.filename, source.read(entry.filename)) for entry in source.infolist()), day)
