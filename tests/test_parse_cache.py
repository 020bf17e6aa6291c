"""The parse cache under build/.cache/parsed: a workspace read from it is the workspace parsed
afresh, PyYAML is not loaded for an unchanged workspace, and no change is ever missed by the
build run in a new process (a fact, a template, a recipient)."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_example, docx_text, words

from appealkit.source.line_data import LineDict, LineList, Uncacheable, from_json, to_json
from appealkit.source.parse_cache import CACHE

LOAD = """
import json, sys
from pathlib import Path
from appealkit.source.campaign import load_campaign_file
from appealkit.source.records import plain
from appealkit.source.workspace import load_workspace
root = Path(sys.argv[1])
workspace = load_workspace(root)
campaign = load_campaign_file(workspace, root / "campaigns" / "bonn-2025.yaml")
print(json.dumps({"workspace": plain(workspace), "campaign": plain(campaign),
                  "yaml": "yaml" in sys.modules, "jinja2": "jinja2" in sys.modules}, default=str))
"""


def loaded(root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", LOAD, str(root)], capture_output=True, text=True, check=True,
                          cwd=REPO)
    return json.loads(done.stdout)


def build(root: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "appealkit", "--root", str(root), "build", "--format", "docx"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_unchanged_workspace_is_read_from_the_cache_as_parsed_without_pyyaml_or_jinja(tmp_path):
    root = copy_example(tmp_path / "ws")
    fresh = loaded(root)  # no build/ yet: parsed, nothing kept
    assert fresh["yaml"] and not (root / CACHE).exists()
    (root / "build").mkdir()
    first = loaded(root)
    assert first["yaml"] and (root / CACHE / "yaml.json").is_file() and (root / CACHE / "includes.json").is_file()
    second = loaded(root)
    assert not second["yaml"] and not second["jinja2"]
    assert first["workspace"] == second["workspace"] == fresh["workspace"]
    assert first["campaign"] == second["campaign"] == fresh["campaign"]


def test_a_damaged_cache_is_parsed_around(tmp_path):
    root = copy_example(tmp_path / "ws")
    (root / "build").mkdir()
    fresh = loaded(root)
    for name, damage in (("yaml.json", b"{not json"), ("includes.json", b'{"code": 1, "entries": []}')):
        (root / CACHE / name).write_bytes(damage)
    again = loaded(root)
    assert again["yaml"]
    assert again["workspace"] == fresh["workspace"] and again["campaign"] == fresh["campaign"]
    entries = json.loads((root / CACHE / "yaml.json").read_bytes())["entries"]
    for key in entries:  # every kept value replaced by one of another shape: decoded strictly, parsed again
        entries[key] = {"l": [1, [], [1, 2]]}
    data = json.loads((root / CACHE / "yaml.json").read_bytes())
    (root / CACHE / "yaml.json").write_text(json.dumps({**data, "entries": entries}), encoding="utf-8")
    assert loaded(root)["workspace"] == fresh["workspace"]


@pytest.mark.slow
def test_a_fact_a_template_or_a_recipient_changed_between_builds_is_rebuilt(tmp_path):
    root = copy_example(tmp_path / "ws")
    build(root)
    assert "5 unchanged" in build(root)
    letter = root / "build" / "bonn-2025" / "appeal-ec-president--ec-president.docx"

    prisoners = root / "facts" / "prisoners.yaml"
    prisoners.write_text(prisoners.read_text(encoding="utf-8").replace("value: 400", "value: 410", 1),
                         encoding="utf-8")
    out = build(root)
    assert "built   appeal-ec-president--ec-president" in out
    assert "410" in words(docx_text(letter)) and "about 400 " not in words(docx_text(letter))

    template = root / "templates" / "appeal-ec-president.md"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "We are writing to you", "We write to you today", 1), encoding="utf-8")
    out = build(root)
    assert "built   appeal-ec-president--ec-president" in out and "unchanged appeal-coe" in out
    assert "We write to you today" in words(docx_text(letter))

    recipient = root / "recipients" / "ec-president.yaml"
    recipient.write_text(recipient.read_text(encoding="utf-8").replace(
        "Dear President von der Leyen,", "Dear Madam President,"), encoding="utf-8")
    out = build(root)
    assert "built   appeal-ec-president--ec-president" in out
    assert "Dear Madam President," in docx_text(letter)
    assert "5 unchanged" in build(root)


def test_the_json_form_keeps_lines_and_refuses_what_it_cannot_hold():
    mapping = LineDict(a=LineList([1, "x"]), b=None)
    mapping.line, mapping.key_lines = 3, {"a": 3, "b": 5}
    mapping["a"].line, mapping["a"].item_lines = 3, [4, 5]
    back = from_json(json.loads(json.dumps(to_json(mapping))))
    assert back == mapping and back.key_lines == mapping.key_lines and back["a"].item_lines == [4, 5]
    assert back.line == 3 and isinstance(back["a"], LineList)
    with pytest.raises(Uncacheable):
        to_json(datetime.datetime(2025, 1, 1, 12, 0))
    with pytest.raises(ValueError):
        from_json({"x": 1})
