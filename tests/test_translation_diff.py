"""`diff` names the translations a change to their master makes stale, in every format."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from helpers import copy_example

from appealkit.cli import cli
from appealkit.review.translation_diff import newly_stale


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture
def example(tmp_path):
    root = copy_example(tmp_path / "ws")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "example")
    return root


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_master_change_names_each_translation_it_makes_stale(example):
    edit(example / "templates" / "snippets" / "deportations.md", "means prison.", "means prison, often for years.")
    edit(example / "templates" / "email" / "cover.md", "Yours sincerely,\n", "Yours sincerely,\n\nP.S. Thank you.\n")
    result = CliRunner().invoke(cli, ["--root", str(example), "diff", "HEAD", "--format", "json"])
    assert result.exit_code == 1, result.output
    stale = json.loads(result.stdout)["translations_stale"]
    assert [(s["translation"], [(p["number"], p["line"], p["change"]) for p in s["paragraphs"]]) for s in stale] == [
        ("templates/email/cover.az.md", [(5, 10, "added")]),
        ("templates/email/cover.de.md", [(5, 10, "added")]),
        ("templates/snippets/deportations.az.md", [(1, 2, "changed")]),
        ("templates/snippets/deportations.de.md", [(1, 2, "changed")]),
    ]
    assert stale[2]["paragraphs"][0]["redline"] == (
        "…back to Azerbaijan means [-prison.-]{+prison, often for years.+} Under the readmission agreement…")
    text = CliRunner().invoke(cli, ["--root", str(example), "diff", "HEAD"]).stdout
    assert ("  templates/snippets/deportations.de.md: paragraph 1 of templates/snippets/deportations.md (line 2) "
            "changed: …back to Azerbaijan means") in text
    assert "translations made stale" in text
    html = CliRunner().invoke(cli, ["--root", str(example), "diff", "HEAD", "--format", "html"]).stdout
    assert '<h2 id="translations-stale">Translations made stale</h2>' in html


def test_a_change_to_a_template_without_translations_makes_none_stale(example):
    edit(example / "templates" / "appeal-ec-president.md", "We ", "Today we ")
    result = CliRunner().invoke(cli, ["--root", str(example), "diff", "HEAD", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["translations_stale"] == []
    assert newly_stale(example, example) == ()
