"""A passage's sentence ends found once, so each figure bisects to its sentence instead of
rescanning the text from the start.

A hostile letter is mostly figures; when every figure looked for its sentence from offset 0,
an audit of 1 MB never ended. `sentences_of(text)` keeps the index of the passage being
audited: counting, context and quotes of one passage share it.
"""

from __future__ import annotations

import bisect
import re
import threading

#: Where a sentence ends: a stop before a space or the end, or a blank line.
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_STOPS = ".!?"


class Sentences:
    """The sentence ends of one text, in order; words and answers per sentence kept once found."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._stop_ends: list[int] = []  # the ends of full stops only (a quote ignores blank lines)
        for match in SENTENCE_END.finditer(text):
            self._starts.append(match.start())
            self._ends.append(match.end())
            if text[match.start()] in _STOPS:
                self._stop_ends.append(match.end())
        #: what a caller worked out about a sentence (its words, a context test), by key
        self.memo: dict[object, object] = {}

    def around(self, offset: int) -> tuple[int, int]:
        """The sentence `offset` stands in: after the last end at or before it, to the first end after."""
        index = bisect.bisect_right(self._ends, offset) - 1
        start = self._ends[index] if index >= 0 else 0
        if offset and self.text[offset - 1] in _STOPS:
            start = offset  # a stop right before the figure ends a sentence however it goes on
        following = bisect.bisect_left(self._starts, offset)
        return start, self._ends[following] if following < len(self._ends) else len(self.text)

    def quoted(self, offset: int) -> tuple[int, int]:
        """The span a quote shows: from the last full stop before `offset` to the first at or after it."""
        index = bisect.bisect_left(self._stop_ends, offset) - 1
        start = self._stop_ends[index] if index >= 0 else 0
        following = bisect.bisect_left(self._stop_ends, offset + 1)
        return start, self._stop_ends[following] if following < len(self._stop_ends) else len(self.text)


_last = threading.local()


def sentences_of(text: str) -> Sentences:
    """The index of `text`, made once for the passage being audited (per thread)."""
    index = getattr(_last, "sentences", None)
    if index is None or index.text is not text:
        index = _last.sentences = Sentences(text)
    return index
