"""The time a command reads and waits on, passed in so tests control it without sleeping."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field


@dataclass
class Clock:
    """Wall-clock time in UTC and a way to wait; `FakeClock` in the tests replaces both."""

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def monotonic(self) -> float:
        """Seconds for deadlines: never set back, unlike the wall clock."""
        return time.monotonic()


@dataclass
class FixedClock(Clock):
    """A clock that stands still until it is told to wait: each wait moves it on, instantly."""

    at: datetime.datetime = datetime.datetime(2025, 10, 27, 9, 0, tzinfo=datetime.UTC)
    waits: list[float] = field(default_factory=list)

    def now(self) -> datetime.datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.at += datetime.timedelta(seconds=seconds)

    def monotonic(self) -> float:
        """Real time, moved on by every wait: a socket still waits for real, a pause does not."""
        return time.monotonic() + sum(self.waits)


def stamp(moment: datetime.datetime) -> str:
    """`2025-10-27T09:00:00Z`: one readable, sortable form for files and the log."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
