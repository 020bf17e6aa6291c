"""The document model sets each language's quotes and spacing, and keeps what organisers write in Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from appealkit.render.document import Run, parse_body
from appealkit.render.typography import NBSP, NNBSP, typeset, typeset_runs


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", 'He said "enough" and left; it\'s the country\'s law.',
     "He said “enough” and left; it’s the country’s law."),
    ("en", "the 'Venice' Commission", "the ‘Venice’ Commission"),
    ("de", 'Er sagte "genug" und ging.', "Er sagte „genug“ und ging."),
    ("de", "die 'Familie' Aliyev", "die ‚Familie‘ Aliyev"),
    ("fr", 'Il a dit "assez" : pourquoi ? Non! L\'État; fin.',
     f"Il a dit «{NNBSP}assez{NNBSP}»{NBSP}: pourquoi{NNBSP}? Non{NNBSP}! L’État{NNBSP}; fin."),
    ("fr", "10:30, https://example.org", "10:30, https://example.org"),
    ("az", '"Nida" hərəkatı', "«Nida» hərəkatı"),
])
def test_quotes_apostrophes_and_french_spaces(language, text, expected):
    assert typeset(text, language) == expected


def test_a_quotation_closes_across_runs_and_links_keep_their_address():
    runs = (Run('He quoted "'), Run("about 400", fact="political_prisoners"), Run('" prisoners at '),
            Run("https://example.org/a'b", link="https://example.org/a'b"))
    assert [r.text for r in typeset_runs(runs, "en")] == [
        "He quoted “", "about 400", "” prisoners at ", "https://example.org/a'b"]


def test_links_only_for_http_https_and_mailto():
    body = parse_body("[report](https://example.org/r), <info@example.org>, [y](ftp://example.org) "
                      "and [x](javascript:alert(1)).")
    runs = body[0].runs
    assert [(r.text, r.link) for r in runs if r.link] == [
        ("report (https://example.org/r)", "https://example.org/r"), ("info@example.org", "mailto:info@example.org")]
    assert "ftp:" not in body[0].text and "y" in body[0].text
    assert "[x](javascript:alert(1))" in body[0].text


def test_hard_breaks_quotes_tables_and_rules():
    body = parse_body("first  \nsecond\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\n---\n\nend")
    assert [b.kind for b in body] == ["paragraph", "quote", "table", "rule", "paragraph"]
    assert body[0].text == "first\nsecond"
    assert [[("".join(r.text for r in cell)) for cell in row] for row in body[2].rows] == [["a", "b"], ["1", "2"]]
    assert body[2].rows[1][1][0].bold


def test_headings_and_lead_ins_keep_with_what_follows():
    body = parse_body("## Requests\n\nWe ask you:\n\n1. one\n2. two\n\nA closing remark:\n\nNo list follows.")
    kept = {b.text: b.keep_with_next for b in body}
    assert kept == {"Requests": True, "We ask you:": True, "one": False, "two": False,
                    "A closing remark:": False, "No list follows.": False}


def test_letterhead_contact_references_and_signature_image(tmp_path):
    from helpers import MINIMAL, make_workspace

    from appealkit.render.letters import render_letter
    from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
    from appealkit.source.workspace import load_workspace

    png = (Path(__file__).parent.parent / "appealkit" / "scaffold" / "templates" / "signatures"
           / "robin-example.png").read_bytes()
    root = make_workspace(tmp_path, {
        "templates/signatures/a.png": png,
        "people/people.yaml": MINIMAL["people/people.yaml"].replace(
            "long_name: Coordination Center of Azerbaijani Political Refugees\n",
            "long_name: Coordination Center of Azerbaijani Political Refugees\n"
            "          address: [Postfach 1, 53111 Bonn]\n          email: info@asimkom.example\n"
            "          website: https://asimkom.example\n", 1),
        "campaigns/test.yaml": MINIMAL["campaigns/test.yaml"].replace(
            "role: ASİMKOM\n", "role: ASİMKOM\n            image: signatures/a.png\n").replace(
            "subject: Appeal", "reference: B-7\n        subject: Appeal"),
    })
    workspace = load_workspace(root)
    loaded = load_campaign_file(workspace, resolve_campaign_path(root, "test"))
    letter = render_letter(workspace, loaded, loaded.letters[0]).letter
    assert letter.sender[-2:] == ("Postfach 1, 53111 Bonn", "info@asimkom.example · https://asimkom.example")
    assert letter.references == ("Our ref.: B-7",)
    assert letter.signatures[0].image == png and letter.signatures[0].image_type == "png"
