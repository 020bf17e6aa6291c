from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from helpers import REPO, docx_text, make_workspace, pdf_text, pdf_words, words

from appealkit.batch.build import build
from appealkit.render.document import letter_text
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace


def build_minimal(tmp_path, changes=None, out=None, formats=("docx", "pdf")):
    root = make_workspace(tmp_path / "ws", changes)
    ws = load_workspace(root)
    campaign = load_campaign_file(ws, resolve_campaign_path(root, "test"))
    return build(ws, campaign, out, formats)


def test_docx_and_pdf_carry_the_letter(tmp_path):
    result = build_minimal(tmp_path)
    [outcome] = result.letters
    docx_file, pdf_file = (o.path for o in outcome.outputs)
    expected = words(letter_text(outcome.rendered.letter))
    for text in (docx_text(docx_file), pdf_text(pdf_file)):
        folded = words(text)
        for phrase in ("about 400 political prisoners", "more than 40 journalists", "nine women",
                       "Two activists were deported: Samir Ashurov and Emin Malikov",
                       "1. Release about 400 people.", "2. Remember Vidadi İsgəndərli.",
                       "Bonn, 25 October 2025", "Dear Minister,", "Dr. Jane Minister", "ASİMKOM"):
            assert phrase in folded
    assert words(docx_text(docx_file)) == expected
    assert pdf_words(pdf_file) == expected


def test_manifest_lists_facts_and_file_hashes(tmp_path):
    result = build_minimal(tmp_path)
    manifest = json.loads(result.manifest.read_text())
    assert manifest["campaign"] == {"id": "test", "title": "Test campaign", "date": "2025-10-25",
                                    "file": "campaigns/test.yaml"}
    [letter] = manifest["letters"]
    assert (letter["id"], letter["template"], letter["recipient"], letter["language"]) == (
        "appeal--minister", "templates/appeal.md", "minister", "en")
    facts = {f["id"]: f for f in letter["facts"]}
    assert facts["political_prisoners"] == {"id": "political_prisoners", "value": 400, "qualifier": "about",
                                            "as_of": "2025-10-25", "paragraphs": [1, 3]}
    assert facts["deported"]["members"] == ["samir_ashurov", "emin_malikov"]
    for output in letter["outputs"]:
        data = (result.out_dir / output["file"]).read_bytes()
        assert output["sha256"] == hashlib.sha256(data).hexdigest()
        assert output["bytes"] == len(data)
    assert manifest["failed"] == []


@pytest.mark.slow
def test_rebuild_is_byte_identical_even_in_another_process(tmp_path):
    first = build_minimal(tmp_path, out=tmp_path / "one")
    second = build_minimal(tmp_path, out=tmp_path / "two")
    root = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "appealkit", "--root", str(root), "build", "test",
                    "--out", str(tmp_path / "three")], check=True, capture_output=True, cwd=REPO)
    for name in ("appeal--minister.docx", "appeal--minister.pdf", "manifest.json"):
        one = (first.out_dir / name).read_bytes()
        assert one == (second.out_dir / name).read_bytes()
        assert one == (tmp_path / "three" / name).read_bytes()


def test_only_the_asked_formats_are_written(tmp_path):
    result = build_minimal(tmp_path, formats=("docx",))
    assert sorted(p.name for p in result.out_dir.iterdir()) == [
        "appeal--minister.docx", "index.html", "manifest.json", "test.zip"]


def test_one_broken_letter_fails_alone(tmp_path):
    campaign = """
        id: test
        title: Test campaign
        date: 2025-10-25
        place: Bonn
        organisation: asimkom
        letters:
          - template: appeal.md
            recipient: minister
          - template: broken.md
            recipient: minister
    """
    result = build_minimal(tmp_path, {"campaigns/test.yaml": campaign,
                                      "templates/broken.md": "Fine.\n\n{{ fact('nothing') }}\n"})
    assert [o.id for o in result.failed] == ["broken--minister"]
    assert str(result.failed[0].error) == (
        "templates/broken.md:3: error: unknown fact 'nothing' (facts are defined in facts/*.yaml)")
    names = sorted(p.name for p in result.out_dir.iterdir())
    assert names == ["all-letters.pdf", "appeal--minister.docx", "appeal--minister.pdf", "index.html",
                     "manifest.json", "test.zip"]
    manifest = json.loads(result.manifest.read_text())
    assert [f["id"] for f in manifest["failed"]] == ["broken--minister"]


def test_a_workspace_layout_overrides_the_default(tmp_path):
    layout = ("<html><head><meta charset='utf-8'></head><body><p>CUSTOM LAYOUT {{ letter.subject }}</p>"
              "{{ body }}</body></html>")
    result = build_minimal(tmp_path, {"templates/layout/letter.html": layout}, formats=("pdf",))
    text = words(pdf_text(result.letters[0].outputs[0].path))
    assert text.startswith("CUSTOM LAYOUT Appeal for the release of political prisoners We write about")
