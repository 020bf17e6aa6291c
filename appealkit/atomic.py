"""Write files whole or not at all: a killed build never leaves half a letter behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from appealkit.errors import AppealkitError, option
from appealkit.locks import lock_now, open_folder_lock


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`.

    An OSError (disk full, no permission) names `path`, the file the user asked for, never the
    temporary file, which is gone by the time they read the message."""
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write_atomic` for content that `write(handle)` writes piece by piece into the temporary
    file (a campaign's zip), so it is never held in memory whole."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        _discard(temporary)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    except BaseException:
        _discard(temporary)
        raise


def _discard(temporary: str | None) -> None:
    if temporary:
        Path(temporary).unlink(missing_ok=True)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build into it stops at once with one line,
    instead of removing the temporary files the first one is writing."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = open_folder_lock(folder)
    try:
        if not lock_now(fd):
            raise AppealkitError.at(str(folder), None, "another build is writing into this folder",
                                    f"wait for it to finish, or build into another {option('out_dir')} "
                                    "folder")
        yield
    finally:
        os.close(fd)


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed build left in `folder`; they are never whole outputs."""
    removed = []
    if folder.is_dir():
        for leftover in sorted(folder.glob(".*.tmp")):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed
