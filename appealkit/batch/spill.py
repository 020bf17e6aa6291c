"""A list kept in a temporary file instead of memory: what a build learns of each of thousands of letters.

A build held a few kilobytes per letter until it ended (its checks, its manifest entry), and
each worker forked later inherited all of it: 3,000 letters peaked 30 % above 300.
Here each item is pickled into an anonymous temporary file as it comes and only its place stays
(16 bytes); reading one back is a seek and one unpickle, some microseconds.

Pickle is safe here, unlike in build/.cache (`source/parse_cache.py`): the file is made by this
process, has no name another program could open (unlinked from the start where the system
allows), and is read only by the process that wrote it, while it runs.
"""

from __future__ import annotations

import contextlib
import errno
import pickle
import tempfile
import threading
import weakref
from abc import abstractmethod
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")
U = TypeVar("U")


class _Read(Sequence[T]):
    """A sequence whose items are made when read (`_item`); a slice is a list of them."""

    @abstractmethod
    def _item(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        return self._item(index)


class Spilled(_Read[T], Generic[T]):
    """A sequence of `size` slots filled in any order (`put`) or grown at its end (`append`).

    Reading a slot never filled is a `LookupError`: a build whose results have a hole is a bug,
    not a letter to leave out. Every read makes new objects; nothing read is kept.
    """

    def __init__(self, items: Iterable[T] = (), size: int = 0):
        # unbuffered: nothing waits in a buffer that a forked worker, or closing after a full disk,
        # could write out again
        with _named_errors():
            self._file = tempfile.TemporaryFile(prefix="appealkit-", buffering=0)  # noqa: SIM115 (as long as the list)
        self._close = weakref.finalize(self, self._file.close)  # closed with the list, not by a warning
        self._lock = threading.Lock()  # a seek and a read are one step, whichever thread reads
        self._starts = array("q", [-1] * size)
        self._sizes = array("q", [0] * size)
        self._end = 0
        for item in items:
            self.append(item)

    def put(self, index: int, item: T) -> None:
        data = memoryview(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        with self._lock:
            self._file.seek(self._end)
            written = 0
            with _named_errors():
                while written < len(data):  # a raw write may take part of it
                    written += self._file.write(data[written:])
            self._starts[index], self._sizes[index] = self._end, len(data)
            self._end += len(data)

    def append(self, item: T) -> None:
        self._starts.append(-1)
        self._sizes.append(0)
        self.put(len(self._starts) - 1, item)

    def __len__(self) -> int:
        return len(self._starts)

    def _item(self, index: int) -> T:
        start, size = self._starts[index], self._sizes[index]  # IndexError past the end, as a list
        if start < 0:
            raise LookupError(f"item {index} of {len(self)} was never put")
        with self._lock:
            self._file.seek(start)
            data = bytearray()
            with _named_errors():
                while len(data) < size:  # a raw read may give part of it
                    part = self._file.read(size - len(data))
                    if not part:
                        raise OSError(errno.EIO, f"item {index} was cut short in its temporary file")
                    data += part
        item: T = pickle.loads(data)
        return item

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self)):
            yield self[index]

    def __reduce__(self) -> tuple[type[Spilled[T]], tuple[list[T]]]:
        """Pickled as its items (a build's result handed to another process), spilled again there."""
        return (Spilled, (list(self),))

    def close(self) -> None:
        """The file closed now rather than when the list is dropped; reading it after is an error."""
        self._close()


@contextlib.contextmanager
def _named_errors() -> Iterator[None]:
    """An operating system's error about the temporary file names its folder (a full disk says where)."""
    try:
        yield
    except OSError as exc:
        if exc.filename:
            raise
        why = (f"{exc.strerror or exc} (a build keeps each letter's record in this folder: free space "
               "there, or set TMPDIR to a folder with room)")
        raise OSError(exc.errno, why, tempfile.gettempdir()) from None


class Mapped(_Read[U], Generic[T, U]):
    """`make(item)` for each item of `items`, made when read and not kept: a spilled list seen as what
    its readers want (a build's outcomes, the index page's rows) without holding them all."""

    def __init__(self, items: Sequence[T], make: Callable[[T], U]):
        self.items, self.make = items, make

    def __len__(self) -> int:
        return len(self.items)

    def _item(self, index: int) -> U:
        return self.make(self.items[index])

    def __iter__(self) -> Iterator[U]:
        return map(self.make, self.items)


class Keyed(Mapping[str, T]):
    """The items of `sections` by `key(item)` (None: the item is left out; a later section's item wins),
    read in place from their sequences: the last build's manifest entries by letter id, which a
    rebuild of thousands of letters looks up one at a time.

    Indexed at the first look-up, from the items as read back then: a key taken from where the
    items came from (a whole parsed manifest) would keep that memory from going back to the
    system before the workers are forked."""

    def __init__(self, sections: Sequence[Sequence[T]], key: Callable[[T], str | None]):
        self._sections, self._key = sections, key
        self._index: dict[str, int] | None = None  # key -> position counted across the sections

    def _where(self) -> dict[str, int]:
        if self._index is None:
            items = (item for section in self._sections for item in section)
            self._index = {key: at for at, item in enumerate(items) if (key := self._key(item)) is not None}
        return self._index

    def __getitem__(self, key: str) -> T:
        at = self._where()[key]
        for section in self._sections:
            if at < len(section):
                return section[at]
            at -= len(section)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where())

    def __len__(self) -> int:
        return len(self._where())
