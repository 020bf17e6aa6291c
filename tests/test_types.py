"""mypy over the package, as `make test` needs it: one test in the session, so under pytest-xdist
one worker type-checks (seconds from a cold cache) while the others run tests; marked slow, so it
starts first (conftest.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import REPO


@pytest.mark.slow
def test_mypy_finds_no_error_in_any_module_of_the_package():
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    # every module was checked: pyproject's `files` did not lose a folder
    modules = len(list((REPO / "appealkit").rglob("*.py")))
    assert done.stdout.strip().splitlines()[-1] == f"Success: no issues found in {modules} source files"
