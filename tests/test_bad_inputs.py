"""The error corpus: each folder of tests/bad_inputs/ is a broken or hostile change to the minimal
workspace; the CLI must answer with its exact one-line message, its exit code, no traceback, and
without writing anything outside build/. Hostile input must fail fast: that is bounded here by
the size of the answer (a few lines) and, for a hang, by pytest-timeout; how fast each bomb is
refused is measured by benchmarks/hostile_input.py, not asserted.

A case folder holds the files it changes (facts/..., templates/..., symbolic links included);
a case with files in templates/layout/ changes the default layout, laid down first, file by file;
`expected.txt` (the exact stderr lines; `{root}` stands for the workspace), optionally `args`
(default: `build campaigns/test.yaml`), `exit` (default 1) and `generate.json`
(`{path: {head, repeat, times}}` for files too big to keep in git). On a mismatch the actual
stderr is written beside the case as `actual.txt`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import HANG_SECONDS, make_workspace

from appealkit.cli import cli
from appealkit.render.letters import DEFAULT_LAYOUT_DIR

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
CASE_FILES = {"expected.txt", "args", "exit", "generate.json", "actual.txt"}
#: No case answers with more lines than this: one line per problem, never a dump.
MAX_LINES = 12


def apply_case(case: Path, root: Path) -> None:
    """The minimal workspace in `root` with the case's files laid over it."""
    make_workspace(root)
    if (case / "templates" / "layout").is_dir():
        shutil.copytree(DEFAULT_LAYOUT_DIR, root / "templates" / "layout")
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if relative.as_posix() in CASE_FILES or (path.is_dir() and not path.is_symlink()):
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            os.symlink(os.readlink(path), target)
        else:
            shutil.copyfile(path, target)
    generate = case / "generate.json"
    if generate.is_file():
        for name, spec in json.loads(generate.read_text(encoding="utf-8")).items():
            (root / name).write_text(spec["head"] + spec["repeat"] * spec["times"], encoding="utf-8")


def tree(root: Path) -> dict[str, str]:
    """sha256 of every file under root, by relative path (symbolic links by their target)."""
    result = {}
    for path in root.rglob("*"):
        if path.is_symlink():
            result[path.relative_to(root).as_posix()] = "link:" + os.readlink(path)
        elif path.is_file():
            result[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.timeout(HANG_SECONDS)
def test_bad_input(case, tmp_path, monkeypatch):
    root = tmp_path / "ws"
    apply_case(case, root)
    monkeypatch.chdir(root)
    args = shlex.split((case / "args").read_text()) if (case / "args").is_file() else [
        "build", "campaigns/test.yaml"]
    expected_exit = int((case / "exit").read_text()) if (case / "exit").is_file() else 1
    expected = (case / "expected.txt").read_text(encoding="utf-8").replace("{root}", str(root))
    before = tree(root)

    result = CliRunner().invoke(cli, ["--root", str(root), *args])

    if result.stderr != expected:
        (case / "actual.txt").write_text(result.stderr.replace(str(root), "{root}"), encoding="utf-8")
    assert result.stderr.splitlines() == expected.splitlines()
    assert result.exit_code == expected_exit, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    after = tree(root)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert all(name.startswith("build/") for name in changed), sorted(changed)
    assert len(result.stderr.splitlines()) <= MAX_LINES
