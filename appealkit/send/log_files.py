"""The files of the send room (the sent log, its lock, the approvals, the outbox): refused when
they are symbolic links or not regular files, and every SQLite error said in one line.

A sent log linked to a file outside the workspace would be written there; a FIFO in its place
would hang `status`. The lock records the process that holds it, so a second `send` can say
which one is running; a log locked by another program (a database browser) is waited on for a
bounded while, then named with the programs that hold it open, where the system tells.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from appealkit.errors import AppealkitError, option
from appealkit.locks import lock_now

#: Seconds a command waits for a log another program holds locked before it says so.
BUSY_TIMEOUT = 5.0
RESTORE_HINT = (f"move it aside and restore it with appealkit sent {option('restore_file')} FILE from the "
                f"latest appealkit sent {option('export')} jsonl, or from a backup; never delete it")


class SentLogError(AppealkitError):
    """The sent log cannot be opened, read or written."""


def refuse_odd_file(path: Path, shown: str, what: str) -> None:
    """A `SentLogError` when `path` is a symbolic link or exists as anything but a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SentLogError.at(shown, None, f"cannot read {what}: {exc.strerror}") from None
    if stat.S_ISLNK(mode):
        raise SentLogError.at(shown, None, f"{what} is a symbolic link",
                              "replace the link with the file itself; appealkit never writes through links")
    if not stat.S_ISREG(mode):
        raise SentLogError.at(shown, None, f"{what} is not a regular file",
                              "move it away; appealkit keeps a plain file here")


def refuse_odd_folder(path: Path, shown: str, what: str) -> None:
    """A `SentLogError` when `path` is a symbolic link or exists as anything but a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise SentLogError.at(shown, None, f"{what} is a symbolic link",
                              "replace the link with a folder; appealkit never writes through links")
    if not stat.S_ISDIR(mode):
        raise SentLogError.at(shown, None, f"{what} is not a folder", "move it away")


def log_files(path: Path) -> tuple[Path, ...]:
    """The log and the files SQLite keeps beside it (write-ahead log, shared memory)."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def check_log_files(path: Path) -> None:
    for part in log_files(path):
        refuse_odd_file(part, part.name, "the sent log" if part == path else f"the sent log's {part.name}")


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def take_lock(path: Path) -> int:
    """One sender per workspace, so `sending` rows of a live process are never taken for in doubt.
    The lock file holds the pid of the process that has it."""
    lock = lock_path(path)
    refuse_odd_file(lock, lock.name, "the sent log's lock")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(lock, flags, 0o644)
    except OSError as exc:
        raise SentLogError.at(lock.name, None, f"cannot open the sent log's lock: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise SentLogError.at(lock.name, None, "the sent log's lock is not a regular file",
                                  "move it away")
        if not lock_now(handle):
            holder = _pid_in(handle)
            running = f" (process {holder})" if holder else ""
            raise SentLogError.at(path.name, None, f"another 'appealkit send' is running in this workspace"
                                  f"{running}", "wait for it to finish") from None
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
    except BaseException:
        os.close(handle)
        raise
    return handle


def _pid_in(handle: int) -> str:
    with contextlib.suppress(OSError):
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return text
    return ""


def holders(path: Path) -> list[str]:
    """`sqlite3 (process 1234)` for each other process that has the log open, where /proc tells."""
    target = os.path.realpath(path)
    found = []
    with contextlib.suppress(OSError):
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            with contextlib.suppress(OSError):
                fds = os.listdir(f"/proc/{pid}/fd")
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") == target for fd in fds):
                    with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
                        found.append(f"{comm.read().strip()} (process {pid})")
    return found


@contextlib.contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Every SQLite error inside the block as one `SentLogError` line naming the log and what to do."""
    try:
        yield
    except sqlite3.Error as exc:
        raise explain(path, exc) from None


def explain(path: Path, exc: sqlite3.Error) -> SentLogError:
    text = " ".join(str(exc).split())
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        who = holders(path)
        return SentLogError.at(path.name, None, "the sent log is locked by another program"
                               + (f": {', '.join(who)}" if who else f" (waited {BUSY_TIMEOUT:g} s)"),
                               "close the program that has it open, or wait for it, then try again")
    if isinstance(exc, sqlite3.DatabaseError) and any(
            word in text for word in ("malformed", "not a database", "corrupt", "disk image")):
        return SentLogError.at(path.name, None, f"the sent log is damaged ({text})", RESTORE_HINT)
    if isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "read-only" in text
                                                       or "unable to open" in text):
        return SentLogError.at(path.name, None, f"the sent log cannot be written ({text})",
                               "check the permissions of the file and of the workspace folder")
    if isinstance(exc, sqlite3.OperationalError) and "disk" in text and "full" in text:
        return SentLogError.at(path.name, None, f"the sent log cannot be written ({text})",
                               "free some disk space, then try again")
    return SentLogError.at(path.name, None, f"the sent log cannot be used ({text})", RESTORE_HINT)
