"""Git run by appealkit never runs a command the repository's config names: filters (smudge,
clean, process, a name with `=` in it), fsmonitor, hooks. Real git on a real repository, each
hostile command leaving a marker file if it ran."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from appealkit.source.git_calls import filter_names, run_git


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


@pytest.fixture()
def hostile_repo(tmp_path) -> tuple[Path, Path]:
    """A repository whose .git/config names a command for every hook git offers, and a marker folder."""
    root, marks = tmp_path / "repo", tmp_path / "marks"
    root.mkdir()
    marks.mkdir()
    git(root, "init", "-q")
    (root / ".gitattributes").write_text("*.txt filter=evil diff=conv\n*.md filter=a=b\n*.yaml filter=multi\n")
    (root / "letter.txt").write_text("About 350 political prisoners.\n")
    (root / "notes.md").write_text("notes\n")
    (root / "facts.yaml").write_text("x: 1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    for key, command in [
        ("filter.evil.smudge", f"touch {marks}/smudge; cat"),
        ("filter.evil.clean", f"touch {marks}/clean; cat"),
        ("filter.evil.required", "true"),
        ("filter.a=b.smudge", f"touch {marks}/equals; cat"),
        ("filter.multi.process", f"touch {marks}/process"),
        ("core.fsmonitor", f"touch {marks}/fsmonitor; false"),
        ("core.pager", f"touch {marks}/pager; cat"),
        ("diff.external", f"{marks.parent}/external.sh"),
        ("diff.conv.textconv", f"touch {marks}/textconv; cat"),
    ]:
        git(root, "config", key, command)
    (marks.parent / "external.sh").write_text(f"#!/bin/sh\ntouch {marks}/external\n")
    (marks.parent / "external.sh").chmod(0o755)
    (root / ".git" / "hooks" / "post-checkout").write_text(f"#!/bin/sh\ntouch {marks}/hook\n")
    (root / ".git" / "hooks" / "post-checkout").chmod(0o755)
    return root, marks


def test_the_hostile_repository_would_run_its_commands_under_plain_git(hostile_repo, tmp_path):
    """The control: the same calls without our settings run the smudge filter and fsmonitor."""
    root, marks = hostile_repo
    for name in ("letter.txt", "notes.md", "facts.yaml"):
        subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "HEAD", name], capture_output=True,
                       check=False)
    (root / "letter.txt").write_text("About 400 political prisoners.\n")
    subprocess.run(["git", "-C", str(root), "diff", "HEAD", "--", "letter.txt"], capture_output=True, check=False)
    subprocess.run(["git", "-C", str(root), "status"], capture_output=True, check=False)
    assert {"smudge", "equals", "process", "fsmonitor", "external"} <= {p.name for p in marks.iterdir()}


def test_every_configured_filter_is_named(hostile_repo):
    assert sorted(filter_names(hostile_repo[0])) == ["a=b", "evil", "multi"]


@pytest.mark.parametrize("args", [
    ("archive", "--format=tar", "HEAD"),
    ("status", "--porcelain"),
    ("log", "-p", "-n1"),
    ("diff", "HEAD"),
    ("cat-file", "blob", "HEAD:letter.txt"),
])
def test_no_configured_command_runs_and_the_call_still_answers(hostile_repo, args):
    root, marks = hostile_repo
    (root / "letter.txt").write_text("About 400 political prisoners.\n")
    done = run_git(root, *args)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in marks.iterdir()) == []
