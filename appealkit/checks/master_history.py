"""A master block as it was when its translation was marked, found in the workspace's git history.

A mark keeps only a hash, so the words a stale translation was made from are looked up in the
master's earlier versions (newest first, a bounded number of them). Only a stale block asks,
so a workspace whose translations are current never starts git. Blobs are read with
`git cat-file blob`, which applies no filters or text conversions from the repository's config.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from appealkit.source.git_calls import run_git
from appealkit.source.translation_marks import parse

#: How many earlier versions of a master are searched for the text of a stale mark.
MAX_REVISIONS = 40
_TIMEOUT = 10


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = run_git(root, *args, timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


class MasterHistory:
    """The earlier texts of master blocks, by hash, read from git once per master on first need."""

    def __init__(self, root: Path):
        self.root = root
        self._texts: dict[str, dict[str, str]] = {}

    def text(self, master: str, digest: str) -> str | None:
        """The words of the block of `master` (a name under templates/) whose hash was `digest`."""
        if master not in self._texts:
            self._texts[master] = self._read(master)
        return self._texts[master].get(digest)

    def _read(self, master: str) -> dict[str, str]:
        path = f"templates/{master}"
        listed = _git(self.root, "log", f"-n{MAX_REVISIONS}", "--format=%H", "--no-renames", "--", path)
        texts: dict[str, str] = {}
        for commit in (listed or b"").decode("ascii", "replace").split():
            blob = _git(self.root, "cat-file", "blob", f"{commit}:./{path}")
            if blob is None:
                continue
            for block in parse(blob.decode("utf-8", "replace")).blocks:
                texts.setdefault(block.digest, block.text)
        return texts
