"""ARCHITECTURE.md stays true: its module list names every module of the package, once, and only
modules that exist; no file of the repository holds a merge-conflict marker."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "appealkit"
MAP = REPO / "ARCHITECTURE.md"


def modules() -> set[str]:
    """Module paths relative to appealkit/; a room's own `__init__.py` only marks the folder."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if path.name != "__init__.py" or path.parent == PACKAGE:
            found.add(relative)
    return found


#: One line of the module list: "- `room/module.py` — what it does". A module named elsewhere (in
#: prose, in the rules) is not listed by that.
LISTED = re.compile(r"^- `((?:[a-z_]+/)?[a-z_0-9]+\.py)` — \S", re.MULTILINE)
#: The lines git writes around a conflict: seven marks at the start of a line.
MARKER = re.compile(r"^(?:<{7} |={7}$|>{7} )", re.MULTILINE)


def listed(text: str) -> list[str]:
    return LISTED.findall(text)


def named() -> set[str]:
    """Every module the module list of ARCHITECTURE.md gives a line."""
    return set(listed(MAP.read_text(encoding="utf-8")))


def conflict_lines(text: str) -> list[int]:
    return [text.count("\n", 0, m.start()) + 1 for m in MARKER.finditer(text)]


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True,
                           text=True).stdout.split("\0")
    files = []
    for name in filter(None, names):
        path = REPO / name
        if path.is_file() and not path.is_symlink() and b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


def test_every_module_is_on_the_map():
    missing = sorted(modules() - named())
    assert not missing, (
        "ARCHITECTURE.md does not name: " + ", ".join(missing) + ". Add one line per module under its "
        "room's heading, in the order data passes through it: - `room/module.py` — what it does. A new "
        "room gets its own **`room/` — ...** heading and a floor in FLOORS in tests/test_layout.py.")


def test_each_module_is_listed_once():
    names = listed(MAP.read_text(encoding="utf-8"))
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"ARCHITECTURE.md lists these modules more than once: {', '.join(twice)}"


def test_no_tracked_file_holds_a_conflict_marker():
    found = [f"{path.relative_to(REPO)}:{line}" for path in tracked_text_files()
             for line in conflict_lines(path.read_text(encoding="utf-8", errors="replace"))]
    assert not found, "merge-conflict markers left in: " + ", ".join(found)


@pytest.mark.parametrize(("text", "lines"), [
    ("a\n<<<<<<< HEAD\n- `x.py` — x\n=======\n- `y.py` — y\n>>>>>>> main\n", [2, 4, 6]),
    ("a heading\n=======\n", [2]),
    ("======== eight marks, a rule\n<<<<<<<no space\nx >>>>>>> y\n", []),
])
def test_the_marker_finder_finds_what_git_writes(text, lines):
    assert conflict_lines(text) == lines


def test_a_module_named_only_in_prose_is_not_listed():
    text = "The build (`batch/build.py`) loops.\n- `batch/results.py` — what a build returns\n"
    assert listed(text) == ["batch/results.py"]


def test_the_map_names_only_modules_that_exist():
    stale = sorted(named() - modules())
    assert not stale, f"ARCHITECTURE.md names modules that no longer exist: {', '.join(stale)}"


def test_every_room_has_a_heading():
    text = MAP.read_text(encoding="utf-8")
    rooms = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    missing = [room for room in rooms if f"**`{room}/`" not in text]
    assert not missing, f"ARCHITECTURE.md has no heading **`room/` — ...** for: {', '.join(missing)}"


def test_readme_points_to_the_map():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "ARCHITECTURE.md" in readme
    assert "DESIGN.md" not in readme
