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
from appealkit.source.campaign import resolve_campaign_path


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


class CountedCampaigns(Counted):
    """A check of named campaigns, resolved as the command resolves them: from the current folder first."""

    def __init__(self, root: Path, campaigns: tuple[str, ...]):
        super().__init__(root)
        self.campaigns = campaigns

    def __call__(self):
        self.runs += 1
        return check_folder(self.root, [resolve_campaign_path(self.root, c) for c in self.campaigns])


@pytest.mark.parametrize("campaigns", [(), ("test",)])
def test_checks_from_the_workspace_and_from_its_folders_share_one_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, campaigns: tuple[str, ...]) -> None:
    root = make_workspace(tmp_path / "ws", {"templates/appeal.md": "We count 12 prisoners.\n"})
    monkeypatch.chdir(root)
    run = CountedCampaigns(Path("."), campaigns)  # as the command has it from the workspace itself
    first = cached_check(Path("."), campaigns, run)
    monkeypatch.chdir(root / "templates")
    again = CountedCampaigns(root, campaigns)  # from one of its folders the workspace is found above
    second = cached_check(root, campaigns, again)
    third = cached_check(Path(".."), campaigns, again)
    assert (run.runs, again.runs) == (1, 0)
    assert first == second == third == (check_folder(root).findings, check_folder(root).files)
    assert any(f.kind == "typed-figure" for f in first[0])
    assert len(list((root / CACHE).glob("*.json"))) == 1


def test_a_campaign_path_is_the_file_it_names_from_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path / "ws")
    campaign = (root / "campaigns" / "test.yaml").read_text(encoding="utf-8")
    for folder, template in (("one", "appeal.md"), ("two", "no-such-letter.md")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "camp.yaml").write_text(campaign.replace("appeal.md", template), encoding="utf-8")
    results = []
    for folder in ("one", "two", "one"):
        monkeypatch.chdir(tmp_path / folder)
        run = CountedCampaigns(root, ("camp.yaml",))
        results.append((cached_check(root, ("camp.yaml",), run), run.runs, run()))
    for kept, runs, fresh in results:
        assert runs == 1 and kept == (fresh.findings, fresh.files)  # each folder's file checked, not the other's
    assert not any("no-such-letter" in f.message for f in results[0][0][0])
    assert any("no-such-letter" in f.message for f in results[1][0][0])
    (tmp_path / "one" / "camp.yaml").write_text(campaign.replace("appeal.md", "other.md"), encoding="utf-8")
    run = CountedCampaigns(root, ("camp.yaml",))
    assert any("other.md" in f.message for f in cached_check(root, ("camp.yaml",), run)[0])
    assert run.runs == 1  # a campaign outside campaigns/ changed: checked again
