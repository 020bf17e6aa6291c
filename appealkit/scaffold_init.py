"""`appealkit init`: copy the minimal example workspace shipped inside the package."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.errors import AppealkitError

#: What `git add -A`, as the workspace README teaches it, must never commit.
GITIGNORE = """\
# generated letters: `appealkit build` makes them again
/build/
# the sent log holds recipients' addresses; keep its export in git instead (appealkit sent --export jsonl)
/sent.sqlite
/sent.sqlite-journal
/sent.sqlite-wal
/sent.sqlite-shm
/.sent.sqlite.lock
# the .eml files of `appealkit send --dry-run`
outbox/
# editors, office suites and file managers
*~
*.swp
.*.sw?
\\#*\\#
.~lock.*#
~$*
.DS_Store
Thumbs.db
desktop.ini
.idea/
.vscode/
"""


def init_workspace(target: Path) -> list[Path]:
    """Create a new workspace in `target` (missing or empty); return the files written."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise AppealkitError.at(str(target), None, "the folder already exists and is not empty",
                                "choose a new folder name")
    written: list[Path] = []
    _copy(files("appealkit") / "scaffold", target, written)
    (target / "build").mkdir(exist_ok=True)
    write_atomic(target / ".gitignore", GITIGNORE.encode("utf-8"))
    written.append(target / ".gitignore")
    return sorted(written)


def _copy(source: Traversable, target: Path, written: list[Path]) -> None:
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            _copy(item, target / item.name, written)
        else:
            write_atomic(target / item.name, item.read_bytes())
            written.append(target / item.name)
