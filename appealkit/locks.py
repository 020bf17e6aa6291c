"""An exclusive lock taken without waiting, on POSIX and on Windows alike.

A build holds its output folder and `send` holds the sent log's lock file, so that a second
process stops at once instead of mixing its files or its log rows with the first one's. POSIX
has `flock` on any open file or folder; Windows has no `fcntl` and cannot open a folder, so there
a lock file stands beside the folder and `msvcrt` locks one byte of it, far past anything the
file holds, so the locked byte never keeps another process from reading the file itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The byte Windows locks: past the end of any lock file's text.
_WINDOWS_BYTE = 1 << 30

if sys.platform == "win32":
    import msvcrt

    def lock_now(handle: int) -> bool:
        """Lock the open file `handle` for this process: True, or False when another holds it.
        The lock goes when `handle` is closed."""
        position = os.lseek(handle, 0, os.SEEK_CUR)
        os.lseek(handle, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(handle, position, os.SEEK_SET)
        return True

    def open_folder_lock(folder: Path) -> int:
        """A handle to lock `folder` by: a lock file beside it (`build/.bonn-2025.lock` for
        `build/bonn-2025/`), since Windows cannot open a folder."""
        return os.open(folder.with_name(f".{folder.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)

else:
    import fcntl

    def lock_now(handle: int) -> bool:
        """Lock the open file or folder `handle` for this process: True, or False when another holds
        it. The lock goes when `handle` is closed."""
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def open_folder_lock(folder: Path) -> int:
        """A handle to lock `folder` by: the folder itself, so no lock file is left anywhere."""
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
