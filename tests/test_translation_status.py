"""`appealkit translations` and `translations mark`: the state per template and language, and a
finished translation marked current."""

from __future__ import annotations

import datetime
import json

import pytest
from click.testing import CliRunner
from helpers import copy_example

from appealkit.cli import cli
from appealkit.translate.marking import mark


@pytest.fixture
def example(tmp_path):
    return copy_example(tmp_path / "ws")


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), "translations", *args])


def test_the_state_of_each_translation_as_text(example):
    snippet = example / "templates" / "snippets" / "deportations.md"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace("means prison.", "means prison for years.")
                       + "\nOne more paragraph.\n", encoding="utf-8")
    result = run(example)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 12
    assert ("templates/snippets/deportations.de.md  de  1 paragraph stale, 1 paragraph missing  "
            "(marked 2026-12-02; master templates/snippets/deportations.md)") in lines
    assert ("templates/appeal-de-foreign-minister.az.md  az  up to date  "
            "(marked 2026-12-02; master templates/appeal-de-foreign-minister.md)") in lines
    assert result.stderr == "12 translations: 10 up to date\n"


def test_only_the_translations_a_campaign_uses(example):
    result = run(example, "--campaign", "bonn-2025", "--format", "json")
    assert result.exit_code == 0, result.output
    names = [s["translation"] for s in json.loads(result.stdout)]
    assert "templates/email/cover.de.md" not in names  # the cover e-mail is `send`'s, not a letter's
    assert "templates/snippets/press-freedom.az.md" in names and len(names) == 10


def test_mark_records_the_master_as_it_is_now(example):
    master = example / "templates" / "email" / "cover.md"
    master.write_text(master.read_text(encoding="utf-8").replace("directly.", "directly, any day."),
                      encoding="utf-8")
    assert json.loads(run(example, "--format", "json").stdout)[3]["stale"] == 1
    result = run(example, "mark", "templates/email/cover.de.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == "marked  templates/email/cover.de.md  5 paragraphs of templates/email/cover.md\n"
    states = {s["translation"]: s for s in json.loads(run(example, "--format", "json").stdout)}
    assert states["templates/email/cover.de.md"]["up_to_date"] is True
    assert states["templates/email/cover.de.md"]["marked"] == datetime.date.today().isoformat()
    assert states["templates/email/cover.az.md"]["stale"] == 1


def test_marking_a_first_time_pairs_blocks_by_place_and_changes_no_word(example):
    path = example / "templates" / "snippets" / "european-future.de.md"
    unmarked = path.read_text(encoding="utf-8").replace("{# translation marked 2026-12-02 #}", "")
    unmarked = unmarked.replace(unmarked[unmarked.index("{# from"):unmarked.index("#}", unmarked.index("{# from")) + 2], "")
    path.write_text(unmarked, encoding="utf-8")
    assert json.loads(run(example, "--format", "json").stdout)[7]["unmarked"] == 1
    result = mark(example, "snippets/european-future.de.md", datetime.date(2026, 1, 2))
    assert (result.marked, result.missing, result.orphans, result.changed) == (1, 0, 0, True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{# translation marked 2026-01-02 #}")
    assert text.replace("{# translation marked 2026-01-02 #}", "").replace(
        text[text.index("{# from"):text.index("#}", text.index("{# from")) + 2], "") == unmarked


@pytest.mark.parametrize(("given", "message"), [
    ("templates/appeal-ec-president.md", "templates/appeal-ec-president.md: error: is not a translation of another "
     "template (a translation is named like its master with the language: appeal.de.md)"),
    ("templates/nothing.de.md", "templates/nothing.de.md: error: no such template under templates/ (name a "
     "translation such as templates/appeal.de.md)"),
])
def test_mark_refuses_what_is_no_translation(example, given, message):
    result = run(example, "mark", given)
    assert result.exit_code == 1
    assert result.stderr == message + "\n"


def test_export_writes_to_standard_output(example):
    result = run(example, "export", "snippets/deportations.md", "--to", "de", "--format", "po")
    assert result.exit_code == 0, result.output
    assert 'msgctxt "p1-' in result.stdout and "Für Kritiker des Regimes" in result.stdout
