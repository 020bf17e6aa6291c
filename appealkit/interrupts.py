"""Ctrl-C that always stops the work, even when it lands where Python would lose it.

Python raises `KeyboardInterrupt` wherever the main thread is when the signal comes; inside a
`__del__` (a PDF library's finaliser) or a garbage collector's callback it prints "Exception ignored"
and carries on, so a build could run to its end and exit 0 after the organiser pressed Ctrl-C
(seen once in the killed-build test). The same holds for the CPU alarm of `write/pdf_limits`,
which shares `in_finaliser`.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any


def in_finaliser(frame: Any) -> bool:
    """Whether the code a signal interrupted runs inside a `__del__` or a garbage collector's
    callback (`gc.callbacks`, which a library may install: Hypothesis times the collector so),
    where an exception is printed as "Exception ignored" and lost."""
    callbacks = {code for code in (getattr(c, "__code__", None) for c in gc.callbacks) if code is not None}
    for _ in range(64):
        if frame is None:
            return False
        if frame.f_code.co_name == "__del__" or frame.f_code in callbacks:
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def ctrl_c_stops() -> Iterator[Callable[[], None]]:
    """Within it, Ctrl-C raises `KeyboardInterrupt` as usual, except inside a finaliser, and is
    remembered: the `checkpoint()` it yields raises it again, as does leaving the block, so a
    press that was swallowed still stops the work at the next safe point.

    Only the main thread takes signals; where another handler is installed (a host program's),
    or off the main thread, nothing changes and `checkpoint` does nothing."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield lambda: None
        return
    pressed = threading.Event()

    def press(signum: int, frame: Any) -> None:
        pressed.set()
        if not in_finaliser(frame):
            raise KeyboardInterrupt

    def checkpoint() -> None:
        if pressed.is_set():
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, press)
    try:
        yield checkpoint
    finally:
        signal.signal(signal.SIGINT, previous)
    checkpoint()
