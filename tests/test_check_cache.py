"""`check`'s kept findings: the same as a fresh check, and never used once any input changed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.checks.check import check_folder
from appealkit.checks.check_cache import CACHE, cached_check
from appealkit.cli import cli


class Counted:
    """A check that counts how often it really ran."""

    def __init__(self, root: Path):
        self.root = root
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return check_folder(self.root)


def test_an_unchanged_workspace_gets_the_findings_of_a_fresh_check(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"templates/appeal.md": "We count 12 prisoners.\n"})
    fresh = check_folder(root)
    run = Counted(root)
    first = cached_check(root, (), run)
    second = cached_check(root, (), run)
    assert run.runs == 1
    assert first == second == (fresh.findings, fresh.files)
    assert any(f.kind == "typed-figure" and "12" in f.message for f in second[0])


@pytest.mark.parametrize("change", [
    "facts/prisoners.yaml", "people/people.yaml", "recipients/minister.yaml", "templates/appeal.md",
    "templates/snippets/deported.md", "campaigns/test.yaml", "templates/new.md", "appealkit.yaml",
])
def test_any_change_to_what_a_check_reads_runs_it_again(tmp_path: Path, change: str) -> None:
    root = make_workspace(tmp_path / "ws")
    run = Counted(root)
    cached_check(root, (), run)
    path = root / change
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + "\n# edited\n",
                    encoding="utf-8")
    after = cached_check(root, (), run)
    assert run.runs == 2
    assert after == (check_folder(root).findings, check_folder(root).files)


def test_other_campaign_arguments_and_a_new_commit_are_other_keys(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    run = Counted(root)
    cached_check(root, (), run)
    cached_check(root, ("test",), run)
    assert run.runs == 2
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True)
    cached_check(root, (), run)
    cached_check(root, (), run)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], check=True)
    cached_check(root, (), run)
    assert run.runs == 4


def test_a_damaged_cache_is_checked_again_and_only_the_last_result_is_kept(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    run = Counted(root)
    cached_check(root, (), run)
    [kept] = (root / CACHE).glob("*.json")
    kept.write_text(json.dumps({"findings": [{"no such field": 1}], "files": 1}), encoding="utf-8")
    assert cached_check(root, (), run)[1] == check_folder(root).files
    assert run.runs == 2
    (root / "facts" / "prisoners.yaml").write_text(
        (root / "facts" / "prisoners.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cached_check(root, (), run)
    assert len(list((root / CACHE).glob("*.json"))) == 1


def test_a_build_folder_linked_outside_the_workspace_is_not_written_through(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build").symlink_to(outside)
    run = Counted(root)
    cached_check(root, (), run)
    cached_check(root, (), run)
    assert run.runs == 2
    assert not any(outside.rglob("*"))


def test_the_command_prints_the_same_both_times(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"templates/appeal.md": "We count 12 prisoners.\n"})
    runner = CliRunner()
    first = runner.invoke(cli, ["--root", str(root), "check"])
    second = runner.invoke(cli, ["--root", str(root), "check"])
    assert first.exit_code == second.exit_code == 1
    assert "typed figure '12'" in second.output
    assert first.output == second.output
    assert list((root / CACHE).glob("*.json"))
