"""Read a file only when it is a regular file, and only up to a cap.

A FIFO blocks a reader for ever and `/dev/zero` never ends; a symbolic link may point at
either. Every file appealkit reads from a workspace or from a user (YAML, templates, a
letterhead, a letter sent in for audit) comes through `read_regular`, which checks the
open handle, so nothing can be swapped in between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The largest file a reader takes in (a letter of a hundred pages is a few MB).
MAX_FILE_BYTES = 20_000_000
_CHUNK = 1 << 16


class Untrusted(ValueError):
    """An untrusted file refused or unreadable; the text says why, without the file name."""


class TooLarge(Untrusted):
    """The file is larger than the reader's cap."""


def read_regular(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file of at most `max_bytes`.

    The file is opened without blocking and checked on the open handle, so a FIFO, a device
    or a socket is refused without being read, and a file swapped between check and open
    cannot slip through.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Untrusted(exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Untrusted(f"it is {_kind(mode)}, not a regular file")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"it is larger than {shown_size(max_bytes)}")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Untrusted(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def shown_size(count: int) -> str:
    return f"{count // 1_000_000} MB" if count >= 1_000_000 else f"{count:,} bytes"
