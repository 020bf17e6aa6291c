"""review/diff_format.py: one report, four formats that say the same thing."""

from __future__ import annotations

import json
import re

import pytest
from helpers import make_workspace

from appealkit.review.diff import diff_workspaces
from appealkit.review.diff_format import FORMATS, format_report
from appealkit.review.revisions import Side


def change_value(root, old: str, new: str) -> None:
    path = root / "facts" / "prisoners.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    base = tmp_path_factory.mktemp("diff")
    old, new = make_workspace(base / "old"), make_workspace(base / "new")
    change_value(new, "value: 400", "value: 375")
    return diff_workspaces(Side("old", old), Side("new", new))


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    base = tmp_path_factory.mktemp("same")
    return diff_workspaces(Side("old", make_workspace(base / "old")), Side("new", make_workspace(base / "new")))


def test_json_holds_the_fact_and_the_letter_change(report):
    data = json.loads(format_report(report, "json"))
    assert [(f["id"], f["change"], f["old"]["value"], f["new"]["value"]) for f in data["facts"]] == [
        ("political_prisoners", "changed", 400, 375)]
    [letter] = data["letters"]
    assert letter["status"] == "changed"
    assert {"deleted": "400", "inserted": "375", "fact": "political_prisoners"} in letter["changes"]


def test_text_marks_deletions_and_insertions_without_colour(report):
    text = format_report(report, "text")
    assert "[-400-]" in text and "{+375+}" in text
    assert "\033[" not in text


def test_text_in_colour_has_no_brackets(report):
    text = format_report(report, "text", color=True)
    assert "\033[31m400\033[0m" in text and "\033[32m375\033[0m" in text
    assert "[-" not in text


def test_markdown_escapes_what_markdown_would_read(report):
    md = format_report(report, "md")
    assert "political\\_prisoners" in md or "`political_prisoners`" in md


def test_html_is_one_page_with_del_and_ins(report):
    page = format_report(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<del>400</del>" in page and "<ins>375</ins>" in page
    assert not re.search(r"<(script|link)\b|src=", page)  # nothing loaded from elsewhere


@pytest.mark.parametrize("output", FORMATS)
def test_every_format_says_when_nothing_changed(quiet, output):
    shown = format_report(quiet, output)
    if output == "json":
        data = json.loads(shown)
        assert data["facts"] == data["people"] == data["recipients"] == []
        assert {letter["status"] for letter in data["letters"]} == {"unchanged"}
    else:
        assert "1 letters: 0 changed, 1 unchanged" in shown or "1 unchanged" in shown
