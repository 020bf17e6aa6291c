"""Watch the workspace's source folders and refresh the preview when a file is saved.

Only facts/, people/, recipients/, templates/ and campaigns/ are watched: build/, .git
and editors' swap files never start a refresh. watchfiles hands over a batch of
changes once the folder has been quiet for `STEP_MS`, so saving five files at once
costs one refresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

from appealkit.source.safe_names import SOURCE_FOLDERS

STEP_MS = 50


class SourceFilter(DefaultFilter):
    """Changes below the workspace's source folders, less what DefaultFilter ignores (.swp, ~ ...)."""

    def __init__(self, root: Path):
        super().__init__()
        self.folders = tuple(str(Path(root).resolve() / name) for name in SOURCE_FOLDERS)

    def __call__(self, change: Change, path: str) -> bool:
        inside = any(path == folder or path.startswith(folder + "/") for folder in self.folders)
        return inside and super().__call__(change, path)


async def watch(root: Path, on_change: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """Call `on_change()` after every batch of saved source files, until `stop` is set."""
    root = Path(root).resolve()
    async for _changes in awatch(root, watch_filter=SourceFilter(root), stop_event=stop, step=STEP_MS,
                                 debounce=1000, recursive=True):
        await on_change()
