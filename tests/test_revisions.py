"""review/revisions.py: a git revision of the workspace as a folder, and what it refuses."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import build_file_tree

from appealkit.errors import DiffError
from appealkit.review.revisions import WORKING_TREE, extract_revision, materialise


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                           *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose workspace is the folder `ws/`, with one fact changed in a second commit."""
    root = tmp_path / "repo"
    build_file_tree(root, {"ws/facts/a.yaml": "x: 1\n", "ws/templates/t.md": "Hello\n", "other/readme.txt": "not ours\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    (root / "ws/facts/a.yaml").write_text("x: 2\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


def test_a_revision_holds_the_workspace_as_it_was(repo: Path, tmp_path: Path):
    extract_revision(repo / "ws", "HEAD~1", tmp_path / "old")
    assert (tmp_path / "old/facts/a.yaml").read_text(encoding="utf-8") == "x: 1\n"
    assert sorted(p.relative_to(tmp_path / "old").as_posix() for p in (tmp_path / "old").rglob("*.*")) == [
        "facts/a.yaml", "templates/t.md"]  # only the workspace's folder, not the rest of the repository


def test_a_link_out_of_the_repository_is_left_out(repo: Path, tmp_path: Path):
    # The repository keeps such links as test cases of hostile input (tests/bad_inputs/*-symlink-out).
    os.symlink("/etc/passwd", repo / "ws/facts/evil.yaml")
    os.symlink("../../other/readme.txt", repo / "ws/templates/up.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "links")
    extract_revision(repo / "ws", "HEAD", tmp_path / "now")
    assert not (tmp_path / "now/facts/evil.yaml").exists()
    assert not (tmp_path / "now/templates/up.md").exists()
    assert (tmp_path / "now/facts/a.yaml").read_text(encoding="utf-8") == "x: 2\n"


def test_materialise_names_each_side(repo: Path):
    with materialise(repo / "ws", None) as side:
        assert (side.label, side.root, side.revision) == (WORKING_TREE, repo / "ws", None)
    with materialise(repo / "ws", str(repo / "ws")) as side:
        assert side.root == repo / "ws"
    with materialise(repo / "ws", "HEAD~1") as side:
        kept = side.root
        assert (side.label, side.revision) == ("HEAD~1", "HEAD~1")
        assert (kept / "facts/a.yaml").read_text(encoding="utf-8") == "x: 1\n"
    assert not kept.exists()  # the extracted revision is removed when the block ends


@pytest.mark.parametrize("revision", ["no-such-branch", "--output=/tmp/x"])
def test_an_unknown_revision_is_a_diff_error(repo: Path, tmp_path: Path, revision: str):
    with pytest.raises(DiffError, match=f"unknown revision '{revision}'") as caught:
        extract_revision(repo / "ws", revision, tmp_path / "out")
    assert caught.value.exit_code == 2
