"""`approve` and `status`: sign-off on letters as built, and what changed since."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from send_helpers import approved, built, loaded, send_workspace

from appealkit.cli import cli
from appealkit.errors import AppealkitError
from appealkit.send.approvals import approve, read_approvals
from appealkit.send.clock import FixedClock
from appealkit.send.status import campaign_status


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def states(root):
    workspace, campaign = loaded(root)
    return {s.letter: (s.state, s.changes) for s in campaign_status(workspace, campaign).letters}


def test_approving_an_unbuilt_letter_is_an_error_and_records_nothing(tmp_path):
    root = send_workspace(tmp_path, 2)
    result = run(root, "approve", "test", "--by", "Leyla Aliyeva")
    assert result.exit_code == 1
    hint = "(run appealkit build campaigns/test.yaml (manifest: build/test/manifest.json))"
    assert result.output.splitlines() == [
        f"appeal--minister: error: the letter has not been built {hint}",
        f"appeal--minister-02: error: the letter has not been built {hint}",
    ]
    assert not (root / "approvals").exists()


def test_approve_records_the_version_who_and_when_in_the_workspace(tmp_path):
    root = send_workspace(tmp_path, 2)
    built(root)
    result = run(root, "approve", "test", "--by", "Leyla Aliyeva", "--letter", "appeal--minister-02")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["approved  appeal--minister-02",
                                          "1 approved, 0 already approved (approvals/test.yaml)"]
    _, campaign = loaded(root)
    (approval,) = read_approvals(root, campaign).values()
    manifest = json.loads((root / "build" / "test" / "manifest.json").read_text())
    entry = next(e for e in manifest["letters"] if e["id"] == "appeal--minister-02")
    assert approval.letter == "appeal--minister-02"
    assert approval.approved_by == "Leyla Aliyeva"
    assert approval.inputs == entry["inputs"]
    assert approval.files == {o["file"]: o["sha256"] for o in entry["outputs"]}
    assert approval.cited["political_prisoners"] == "about 400"
    again = run(root, "approve", "test", "--by", "Someone Else", "--letter", "appeal--minister-02")
    assert again.output.splitlines()[0] == "unchanged appeal--minister-02  (already approved by Leyla Aliyeva)"
    assert states(root) == {"appeal--minister": ("draft", ()), "appeal--minister-02": ("approved", ())}


def test_a_letter_the_build_refused_cannot_be_approved(tmp_path):
    root = send_workspace(tmp_path, 1)
    recipient = root / "recipients" / "minister.yaml"
    recipient.write_text(recipient.read_text().replace("from: 2025-01-01", "from: 2025-01-01\n  to: 2025-06-30"))
    built(root)
    result = run(root, "approve", "test", "--by", "Leyla Aliyeva")
    assert result.exit_code == 1
    assert result.output == (
        "appeal--minister: error: the build refused the letter: campaigns/test.yaml:9: error: letter "
        "'appeal--minister': the term of Minister 01 (Minister for Foreign Affairs) runs from 2025-01-01 to "
        "2025-06-30, which does not cover the campaign date 2025-10-25 (update holder and term in "
        "recipients/minister.yaml to whoever holds the office on 2025-10-25) (fix what appealkit check "
        "reports, then build again)\n")


def test_approve_decides_as_the_build_did_overrides_included(tmp_path):
    root = send_workspace(tmp_path, 1)
    recipient = root / "recipients" / "minister.yaml"
    recipient.write_text(recipient.read_text().replace("from: 2025-01-01", "from: 2025-01-01\n  to: 2025-06-30"))
    built(root, allow=("term-of-office:appeal--minister",))
    manifest_path = root / "build" / "test" / "manifest.json"
    manifest = manifest_path.read_text()
    edited = json.loads(manifest)
    edited["letters"][0]["allowed"] = []
    manifest_path.write_text(json.dumps(edited))
    workspace, campaign = loaded(root)
    with pytest.raises(AppealkitError) as caught:
        approve(workspace, campaign, "Leyla Aliyeva", clock=FixedClock())
    assert caught.value.message.startswith(
        "appeal--minister: error: check refuses the letter: campaigns/test.yaml:9: letter 'appeal--minister': "
        "the term of Minister 01")
    manifest_path.write_text(manifest)
    assert approve(workspace, campaign, "Leyla Aliyeva", clock=FixedClock()).approved == ("appeal--minister",)


def test_a_typed_figure_in_a_template_the_letter_loads_refuses_it(tmp_path):
    root = send_workspace(tmp_path, 1, {"templates/snippets/deported.md": "Some 12 activists were deported.\n"})
    built(root)
    result = run(root, "approve", "test", "--by", "Leyla Aliyeva")
    assert result.exit_code == 1
    assert "the build refused the letter: templates/snippets/deported.md:1: error: typed figure '12'" in result.output


def test_an_outdated_build_cannot_be_approved(tmp_path):
    root = send_workspace(tmp_path, 1)
    built(root)
    facts = root / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text().replace("value: 400", "value: 375", 1))
    result = run(root, "approve", "test", "--by", "Leyla Aliyeva")
    assert result.exit_code == 1
    assert result.output.startswith("appeal--minister: error: the letter was built from inputs that have "
                                    "changed since (run appealkit build")


def test_an_unknown_letter_is_named_with_a_suggestion(tmp_path):
    root = send_workspace(tmp_path, 1)
    result = run(root, "approve", "test", "--by", "X", "--letter", "appeal--ministr")
    assert result.exit_code == 1
    assert result.output == ("campaigns/test.yaml: error: no letter 'appeal--ministr' in campaign 'test' "
                             "(did you mean 'appeal--minister'?)\n")


@pytest.mark.parametrize(("path", "old", "new", "change"), [
    ("facts/prisoners.yaml", "value: 400", "value: 375",
     "fact political_prisoners: cited about 400; now about 375"),
    ("facts/prisoners.yaml", "qualifier: about", "qualifier: nearly",
     "fact political_prisoners: cited about 400; now nearly 400"),
    ("templates/snippets/deported.md", "were deported", "were forcibly deported",
     "template templates/snippets/deported.md edited"),
    ("recipients/minister-02.yaml", "City 02", "Capital City",
     "recipient minister-02 (recipients/minister-02.yaml)"),
])
def test_status_says_which_fact_template_or_recipient_changed(tmp_path, path, old, new, change):
    root = send_workspace(tmp_path, 2)
    approved(root)
    target = root / path
    target.write_text(target.read_text().replace(old, new, 1))
    found = states(root)
    assert found["appeal--minister-02"] == ("changed", (change,))
    built(root)
    assert states(root)["appeal--minister-02"] == ("changed", (change,))


def test_edited_files_make_a_letter_changed(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root)
    (root / "build" / "test" / "appeal--minister.pdf").write_bytes(b"%PDF-1.7 edited")
    assert states(root)["appeal--minister"] == (
        "changed", ("files differ from the approved ones: appeal--minister.pdf",))


def test_status_as_text_and_json(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root, letters=["appeal--minister"])
    text = run(root, "status", "test")
    assert text.exit_code == 0
    assert text.output.splitlines() == [
        "approved  appeal--minister  → minister <minister@example.org>  (approved by Leyla Aliyeva on "
        "2025-10-27T09:00:00Z)",
        "draft     appeal--minister-02  → minister-02 <minister-02@example.org>",
        "2 letters: 1 draft, 1 approved",
    ]
    data = json.loads(run(root, "status", "test", "--format", "json").stdout)
    assert [(x["letter"], x["recipient"], x["email"], x["state"]) for x in data["letters"]] == [
        ("appeal--minister", "minister", "minister@example.org", "approved"),
        ("appeal--minister-02", "minister-02", "minister-02@example.org", "draft"),
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("Leyla\x1b[2J Aliyeva", "--by: error: the approver's name 'Leyla\\u001b[2J Aliyeva' holds a control or "
                             "invisible character (type the reviewer's name again, by hand)"),
    ("Leyla\nAliyeva", "--by: error: the approver's name 'Leyla\\nAliyeva' holds a control or invisible character "
                       "(type the reviewer's name again, by hand)"),
    ("Leyla \u202eavey", "--by: error: the approver's name 'Leyla \\u202eavey' holds a control or invisible "
                         "character (type the reviewer's name again, by hand)"),
])
def test_a_name_with_control_characters_is_refused_and_nothing_written(tmp_path, name, expected):
    """The core names the field (`by`), the command line its flag (`--by`): otherwise the same line."""
    root = send_workspace(tmp_path, 1)
    built(root, ("pdf",))
    workspace, campaign = loaded(root)
    with pytest.raises(AppealkitError) as caught:
        approve(workspace, campaign, name)
    assert caught.value.message == expected.removeprefix("--")
    result = run(root, "approve", "test", "--by", name)
    assert (result.exit_code, result.stderr) == (1, expected + "\n")
    assert not (root / "approvals").exists()
