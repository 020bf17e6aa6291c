"""ARCHITECTURE.md stays true: it names every module of the package, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

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


def named() -> set[str]:
    """Every `room/module.py` or `module.py` written in backticks in ARCHITECTURE.md (tests/ and
    benchmarks/ are named there too, but are not the package)."""
    names = re.findall(r"`((?:[a-z_]+/)?[a-z_]+\.py)`", MAP.read_text(encoding="utf-8"))
    return {name for name in names if not name.startswith(("tests/", "benchmarks/"))}


def test_every_module_is_on_the_map():
    missing = sorted(modules() - named())
    assert not missing, (
        "ARCHITECTURE.md does not name: " + ", ".join(missing) + ". Add one line per module under its "
        "room's heading, in the order data passes through it: - `room/module.py` — what it does. A new "
        "room gets its own **`room/` — ...** heading and a floor in FLOORS in tests/test_layout.py.")


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
