"""`build` refuses what `check` rejects: each letter is checked, a refused letter is not written,
its old files are removed, the others are still built, and an override is recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import MINISTER_ENDING, make_workspace, two_letter_workspace

from appealkit.api import load_campaign
from appealkit.batch.build import build
from appealkit.checks.letter_check import letter_findings
from appealkit.cli import cli
from appealkit.source.workspace import load_workspace

TERM = ("campaigns/test.yaml:11: error: letter 'appeal--minister': the term of Dr. Jane Minister (Minister "
        "for Foreign Affairs) runs from 2010-01-01 to 2013-12-17, which does not cover the campaign date "
        "2025-10-25 (update holder and term in recipients/minister.yaml to whoever holds the office on 2025-10-25)")
TYPED = ("templates/appeal.md:11: error: typed figure '50': a figure in a letter must come from facts/ "
         "(cite it with {{ fact(\"...\") }}, or end the line with {# literal #} if it is meant)")
STALE = ("facts/prisoners.yaml:1: error: fact 'political_prisoners' is as of 2023-06-01, more than 12 months "
         "before the campaign 'test' (2025-10-25) (confirm the figure and update 'as_of', or set "
         "'max_fact_age' in the campaign)")
VARIANT = ("templates/appeal.md:11: error: 'ASIMKOM' is a variant spelling of 'ASİMKOM' "
           "(write {{ person(\"asimkom\") }})")

CASES = {
    "term-of-office": ("recipients/minister.yaml",
                       lambda s: s.replace("from: 2025-01-01", "from: 2010-01-01\n  to: 2013-12-17"), TERM),
    "typed-figure": ("templates/appeal.md", lambda s: s + "\nAround 50 journalists wrote to us.\n", TYPED),
    "fact-age": ("facts/prisoners.yaml", lambda s: s.replace("as_of: 2025-10-25", "as_of: 2023-06-01", 1), STALE),
    "name-variant": ("templates/appeal.md", lambda s: s + "\nWe, ASIMKOM, ask you.\n", VARIANT),
}


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), "build", "test", "--format", "docx", *args])


def edit(root: Path, name: str, change) -> None:
    path = root / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(CASES))
def test_build_refuses_the_letter_check_rejects(tmp_path, kind):
    root = two_letter_workspace(tmp_path)
    out = root / "build" / "test"
    assert run(root).exit_code == 0
    assert (out / "appeal--minister.docx").is_file()
    name, change, message = CASES[kind]
    edit(root, name, change)

    refused = run(root)
    assert refused.exit_code == 1
    assert sorted(refused.stdout.splitlines()[:2]) == ["refused appeal--minister", "unchanged brief--envoy"]
    allow = f"  to write appeal--minister as it is, knowingly: --allow {kind}:appeal--minister"
    assert refused.stderr.splitlines() == [message, allow]
    assert not (out / "appeal--minister.docx").exists()  # the old letter is gone
    assert (out / "brief--envoy.docx").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["id"], e["reasons"]) for e in manifest["refused"]] == [("appeal--minister", [message])]
    assert [e["id"] for e in manifest["letters"]] == ["brief--envoy"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td><code>appeal--minister</code></td><td>refused</td>" in index
    checked = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert checked.exit_code == 1 and message in checked.stdout.splitlines()  # the same line

    again = run(root)  # nothing changed: refused again, from the manifest, without rendering
    assert again.exit_code == 1 and again.stderr.splitlines() == [message, allow]

    allowed = run(root, "--allow", f"{kind}:appeal--minister")
    assert allowed.exit_code == 0, allowed.output
    assert "built   appeal--minister  (docx)" in allowed.stdout.splitlines()
    assert allowed.stderr.splitlines() == [f"{message} [allowed: {kind}:appeal--minister]"]
    assert (out / "appeal--minister.docx").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["letters"] if e["id"] == "appeal--minister")
    assert entry["allowed"] == [{"allow": f"{kind}:appeal--minister", "finding": message}]
    assert manifest["refused"] == []


def test_a_refusal_from_the_manifest_does_not_render(tmp_path):
    root = two_letter_workspace(tmp_path)
    edit(root, *CASES["typed-figure"][:2])
    workspace = load_workspace(root)
    first = build(workspace, load_campaign(workspace, "test"), formats=("docx",), jobs=2)  # in workers
    second = build(workspace, load_campaign(workspace, "test"), formats=("docx",), jobs=1)
    assert [(o.id, o.status) for o in second.letters] == [
        ("appeal--minister", "refused"), ("brief--envoy", "unchanged")]
    assert second.refused[0].rendered is None
    assert second.refused[0].check.blocking == first.refused[0].check.blocking
    assert second.manifest.read_bytes() == first.manifest.read_bytes()


def test_warnings_block_only_under_strict(tmp_path):
    root = make_workspace(tmp_path, {"recipients/minister.yaml": MINISTER_ENDING})
    warning = ("campaigns/test.yaml:11: warning: letter 'appeal--minister': the term of Jane Minister (Minister "
               "for Foreign Affairs) ends on 2025-11-04, 10 days after the campaign date 2025-10-25 (send the "
               "letter before 2025-11-04, or address the next holder)")
    plain = run(root)
    assert plain.exit_code == 0 and plain.stderr.splitlines() == [warning]
    strict = run(root, "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[0] == "refused appeal--minister"
    assert strict.stderr.splitlines() == [
        warning, "  to write appeal--minister as it is, knowingly: --allow term-of-office:appeal--minister"]
    assert not (root / "build" / "test" / "appeal--minister.docx").exists()
    assert run(root, "--strict", "--allow", "term-of-office:appeal--minister").exit_code == 0


@pytest.mark.parametrize(("allow", "message"), [
    ("term-of-ofice:appeal--minister", "--allow: error: unknown kind of finding 'term-of-ofice' in "
                                       "'term-of-ofice:appeal--minister' (did you mean 'term-of-office'?)"),
    ("fact-age:appeal--ministr", "--allow: error: no letter 'appeal--ministr' in campaign 'test' "
                                 "(did you mean 'appeal--minister'?)"),
])
def test_an_allow_that_names_nothing_is_a_usage_error(tmp_path, allow, message):
    root = make_workspace(tmp_path)
    result = run(root, "--allow", allow)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]


def test_letter_findings_gives_each_letter_its_state(tmp_path):
    root = two_letter_workspace(tmp_path)
    edit(root, *CASES["term-of-office"][:2])
    workspace = load_workspace(root)
    campaign = load_campaign(workspace, "test")
    first, second = (letter_findings(workspace, campaign, spec) for spec in campaign.letters)
    assert (first.id, first.state, [str(f) for f in first.blocking]) == ("appeal--minister", "refused", [TERM])
    assert (second.id, second.state, second.findings) == ("brief--envoy", "ok", ())
    allowed = letter_findings(workspace, campaign, campaign.letters[0],
                              allowed=["term-of-office:appeal--minister"])
    assert allowed.state == "ok" and [str(f) for f in allowed.overridden] == [TERM]
