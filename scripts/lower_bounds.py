"""Print a pip constraints file pinning each dependency of pyproject.toml to its declared minimum.

`make lower-bounds` installs appealkit with it into a separate virtualenv and runs a smoke
subset of the tests: a lower bound nobody installs is a guess (pypdfium2 changed its API at 5).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
#: `name>=1.2` or `name[extra]>=1.2`, possibly with other clauses after a comma.
MINIMUM = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)")


def constraints(text: str) -> list[str]:
    """`name==minimum` for every project dependency that declares `>=`; the others are left free."""
    project = tomllib.loads(text)["project"]
    pins = []
    for requirement in project.get("dependencies", []):
        match = MINIMUM.match(requirement)
        if match:
            pins.append(f"{match[1]}=={match[2]}")
    return pins


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in constraints(PYPROJECT.read_text(encoding="utf-8"))))
