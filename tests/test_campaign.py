"""Which campaign a command works on when none is named: the settings' default, else the only one;
with several and no default, every one is listed and nothing is built."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import MINIMAL, make_workspace

from appealkit.cli import cli
from appealkit.errors import UsageError, WorkspaceError
from appealkit.source.campaign import campaign_names, chosen_campaign_path, named_campaign_path

SECOND = {"campaigns/autumn.yaml": MINIMAL["campaigns/test.yaml"].replace("id: test", "id: autumn")}


def test_the_only_campaign_is_chosen(tmp_path):
    root = make_workspace(tmp_path)
    assert chosen_campaign_path(root, None) == root / "campaigns" / "test.yaml"
    assert named_campaign_path(root, None) is None  # serve then shows every campaign


def test_a_named_campaign_wins_over_the_default(tmp_path):
    root = make_workspace(tmp_path, {**SECOND, "appealkit.yaml": "defaults:\n  campaign: autumn\n"})
    assert chosen_campaign_path(root, None) == root / "campaigns" / "autumn.yaml"
    assert chosen_campaign_path(root, "test") == root / "campaigns" / "test.yaml"
    assert named_campaign_path(root, None) == root / "campaigns" / "autumn.yaml"


def test_several_campaigns_without_a_default_are_listed(tmp_path):
    root = make_workspace(tmp_path, SECOND)
    with pytest.raises(UsageError) as raised:
        chosen_campaign_path(root, None)
    assert raised.value.message == (
        "campaigns/: error: which campaign? this workspace has 2: autumn, test "
        "(name one, or set 'campaign:' under 'defaults:' in appealkit.yaml)")
    assert campaign_names(root) == ["autumn", "test"]


def test_no_campaign_at_all(tmp_path):
    root = make_workspace(tmp_path, {"campaigns/test.yaml": None, "facts/x.yaml": "{}\n"})
    (root / "campaigns").mkdir(exist_ok=True)
    with pytest.raises(UsageError, match="no campaign in this workspace"):
        chosen_campaign_path(root, None)


def test_a_default_that_names_no_campaign_is_the_settings_error(tmp_path):
    root = make_workspace(tmp_path, {"appealkit.yaml": "defaults:\n  campaign: spring\n"})
    with pytest.raises(WorkspaceError) as raised:
        chosen_campaign_path(root, None)
    assert raised.value.problems[0].file == "appealkit.yaml" and raised.value.problems[0].line == 2


@pytest.mark.parametrize("command", [["build", "--format", "docx"], ["status"], ["approve", "--by", "Ana"],
                                     ["send", "--dry-run"]])
def test_commands_without_a_campaign_list_them(tmp_path, monkeypatch, command):
    root = make_workspace(tmp_path, SECOND)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2
    assert result.stderr == ("campaigns/: error: which campaign? this workspace has 2: autumn, test "
                             "(name one, or set 'campaign:' under 'defaults:' in appealkit.yaml)\n")
    assert not (root / "build").exists()


def test_build_and_status_take_the_default_campaign(tmp_path, monkeypatch):
    root = make_workspace(tmp_path, {**SECOND, "appealkit.yaml": "defaults:\n  campaign: autumn\n"
                                                                 "  formats: [docx]\n"})
    monkeypatch.chdir(root)
    built = CliRunner().invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (root / "build" / "autumn").glob("*.docx")) == ["appeal--minister.docx"]
    assert not list((root / "build" / "autumn").glob("*.pdf"))  # formats from the settings
    assert not (root / "build" / "test").exists()
    status = CliRunner().invoke(cli, ["status"])
    assert status.exit_code == 0, status.output
    assert status.stdout.startswith("draft")
    assert "appeal--minister" in status.stdout


def test_build_options_without_formats_take_the_workspaces_default(tmp_path):
    """The default is decided in the core (`BuildOptions.chosen_formats`), for Python as for the CLI."""
    from appealkit import load_campaign, load_workspace
    from appealkit.batch.build import build_campaign
    from appealkit.batch.options import BuildOptions

    root = make_workspace(tmp_path, {**SECOND, "appealkit.yaml": "defaults:\n  formats: [docx]\n"})
    workspace = load_workspace(root)
    result = build_campaign(workspace, load_campaign(workspace, "autumn"), BuildOptions(None, jobs=1))
    assert [o.format for letter in result.letters for o in letter.outputs] == ["docx"]
    assert BuildOptions(("pdf",)).chosen_formats(root) == ("pdf",)
