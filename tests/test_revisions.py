"""A review that cannot be fooled: a revision is a revision, a folder is compared only when written
`dir:PATH`, a revision whose links point out is refused, and redlines stay out of the source."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import build_file_tree, make_workspace

from appealkit.cli import cli
from appealkit.errors import DiffError
from appealkit.review.revisions import WORKING_TREE, extract_revision, materialise


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "init.defaultBranch=main", *args], check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path) -> Path:
    root = make_workspace(tmp_path / "ws")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    return root


def diff(root: Path, *args: str):
    result = CliRunner().invoke(cli, ["--root", str(root), "diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_a_folder_named_like_the_base_branch_cannot_stand_in_for_it(repo):
    """The attack: a change adds `main/` holding the old files, so `diff main HEAD` would say 0 changed."""
    make_workspace(repo / "main")
    prisoners = repo / "facts" / "prisoners.yaml"
    prisoners.write_text(prisoners.read_text(encoding="utf-8").replace("value: 400", "value: 375"),
                         encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change the figure, hide it")
    result = diff(repo, "main", "HEAD")
    assert result.exit_code == 2
    assert result.stderr == ("main: error: 'main' is both a git revision and a folder (write dir:main for the "
                             "folder, or name the revision unambiguously, e.g. refs/heads/main or its commit id)\n")
    assert diff(repo, "HEAD~1", "HEAD").exit_code == 1


def test_a_folder_is_compared_only_when_asked(repo, tmp_path):
    make_workspace(tmp_path / "copy")
    result = diff(repo, str(tmp_path / "copy"), "HEAD")
    assert result.exit_code == 2
    assert result.stderr == (f"{tmp_path / 'copy'}: error: unknown revision '{tmp_path / 'copy'}' "
                             f"(to compare the folder, write dir:{tmp_path / 'copy'})\n")
    assert diff(repo, f"dir:{tmp_path / 'copy'}", "HEAD").exit_code == 0
    missing = diff(repo, "dir:nowhere", "HEAD")
    assert (missing.exit_code, missing.stderr) == (
        2, "dir:nowhere: error: no such workspace folder (give the folder that holds facts/ and campaigns/)\n")


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd"])
def test_a_revision_with_a_link_pointing_out_is_refused(repo, target):
    (repo / "facts" / "evil.yaml").symlink_to(target)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link out")
    result = diff(repo, "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert result.stderr == ("HEAD:facts/evil.yaml: error: a symbolic link that points outside the workspace "
                             "(remove it in that revision, or compare other revisions)\n")


@pytest.mark.parametrize("folder", ["templates", "facts/x", "campaigns"])
def test_redlines_are_not_written_into_the_source(repo, folder):
    result = diff(repo, "HEAD", "--docx-redline", str(repo / folder))
    assert result.exit_code == 2
    top = folder.split("/")[0]
    assert result.stderr == (f"{folder}: error: refused to write into {top}/, which holds the source of truth "
                             "(choose a folder under build/)\n")


def test_redlines_are_not_written_through_a_link(repo, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (repo / "build").mkdir()
    (repo / "build" / "red").symlink_to(tmp_path / "elsewhere")
    result = diff(repo, "HEAD", "--docx-redline", str(repo / "build" / "red"))
    assert result.exit_code == 2
    assert result.stderr == ("build/red: error: refused to write through a symbolic link to another folder "
                             "(give the real folder, or a folder under build/)\n")


@pytest.fixture()
def nested(tmp_path) -> Path:
    """A repository whose workspace is the folder `ws/`, with one fact changed in a second commit."""
    root = tmp_path / "repo"
    build_file_tree(root, {"ws/facts/a.yaml": "x: 1\n", "ws/templates/t.md": "Hello\n", "other/readme.txt": "not ours\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    (root / "ws/facts/a.yaml").write_text("x: 2\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


def test_a_workspace_in_a_subfolder_is_extracted_alone(nested, tmp_path):
    extract_revision(nested / "ws", "HEAD~1", tmp_path / "old")
    assert (tmp_path / "old/facts/a.yaml").read_text(encoding="utf-8") == "x: 1\n"
    assert sorted(p.relative_to(tmp_path / "old").as_posix() for p in (tmp_path / "old").rglob("*.*")) == [
        "facts/a.yaml", "templates/t.md"]  # the workspace's folder, not the rest of the repository


def test_a_link_out_beside_the_source_folders_is_left_out(nested, tmp_path):
    # The project keeps such links as cases of hostile input (tests/bad_inputs/*-symlink-out); the
    # loader never reads them, so `appealkit diff` on the project itself still compares.
    (nested / "ws/tests").mkdir()
    (nested / "ws/tests/evil.yaml").symlink_to("/etc/passwd")
    git(nested, "add", "-A")
    git(nested, "commit", "-q", "-m", "a test case")
    extract_revision(nested / "ws", "HEAD", tmp_path / "now")
    assert not (tmp_path / "now/tests/evil.yaml").exists()
    assert (tmp_path / "now/facts/a.yaml").read_text(encoding="utf-8") == "x: 2\n"


def test_materialise_names_each_side_and_cleans_up(nested):
    with materialise(nested / "ws", None) as side:
        assert (side.label, side.root, side.revision) == (WORKING_TREE, nested / "ws", None)
    with materialise(nested / "ws", f"dir:{nested / 'ws'}") as side:
        assert side.root == nested / "ws"
    with materialise(nested / "ws", "HEAD~1") as side:
        kept = side.root
        assert (side.label, side.revision) == ("HEAD~1", "HEAD~1")
        assert (kept / "facts/a.yaml").read_text(encoding="utf-8") == "x: 1\n"
    assert not kept.exists()


@pytest.mark.parametrize("revision", ["no-such-branch", "--output=/tmp/x"])
def test_an_unknown_revision_is_a_diff_error(nested, tmp_path, revision):
    with pytest.raises(DiffError, match=f"unknown revision '{revision}'") as caught:
        extract_revision(nested / "ws", revision, tmp_path / "out")
    assert caught.value.exit_code == 2
