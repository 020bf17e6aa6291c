from __future__ import annotations

import datetime

import pytest
from helpers import make_workspace

from appealkit.errors import TemplateError
from appealkit.render.document import letter_text
from appealkit.render.letters import cite, escape_markdown, render_letter
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace


def render(tmp_path, changes=None):
    ws = load_workspace(make_workspace(tmp_path, changes))
    campaign = load_campaign_file(ws, resolve_campaign_path(tmp_path, "test"))
    return render_letter(ws, campaign, campaign.letters[0])


def body(tmp_path, template: str, changes=None) -> str:
    rendered = render(tmp_path, {"templates/appeal.md": template, **(changes or {})})
    return "\n".join(block.text for block in rendered.letter.body)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ fact("political_prisoners") }}', "about 400 political prisoners"),
        ('{{ fact("political_prisoners").figure }}', "about 400"),
        ('{{ fact("political_prisoners").number }}', "400"),
        ('{{ fact("journalists") }}, {{ fact("journalists").part("women") }}', "more than 40 journalists, 9 women"),
        ('{{ fact("journalists").parts.women }}', "9 women"),
        ('{{ fact("journalists").part("women", words=True) }}', "nine women"),
        ('{{ fact("deported", words=True) }}', "two activists"),
        ('{{ fact("deported", words=True).capitalized }}', "Two activists"),
        ('{{ fact("deported").names }}', "Samir Ashurov and Emin Malikov"),
        ('{% for p in fact("deported").members %}{{ p }};{% endfor %}', "Samir Ashurov;Emin Malikov;"),
        ('{{ fact("citizens") }}', "10 million citizens"),
        ('{{ person("vidadi_isgandarli") }}', "Vidadi İsgəndərli"),
        ('{{ campaign.organisation.long_name }}', "Coordination Center of Azerbaijani Political Refugees"),
        ('{{ campaign.date|date }}', "25 October 2025"),
        ('{{ recipient.holder }}, {{ recipient.office }}', "Dr. Jane Minister, Minister for Foreign Affairs"),
        ('{% if fact("political_prisoners").value > 300 %}many{% endif %}', "many"),
    ],
)
def test_template_helpers(tmp_path, template, expected):
    assert body(tmp_path, template) == expected


def test_singular_noun_when_the_value_is_one(tmp_path):
    facts = ("one:\n  value: 1\n  noun: political prisoners\n  noun_singular: political prisoner\n"
             "  as_of: 2025-01-01\n  sources:\n    - title: X\n")
    assert body(tmp_path, '{{ fact("one") }}', {"facts/one.yaml": facts}) == "1 political prisoner"


def test_large_numbers_are_grouped_but_years_are_not(tmp_path):
    facts = ("big:\n  value: 12500\n  noun: people\n  as_of: 2025-01-01\n  sources:\n    - title: X\n"
             "year:\n  value: 2020\n  as_of: 2025-01-01\n  sources:\n    - title: X\n")
    assert body(tmp_path, '{{ fact("big") }} since {{ fact("year") }}', {"facts/more.yaml": facts}) == (
        "12,500 people since 2020")


def test_text_from_yaml_is_literal_never_markup(tmp_path):
    people = "asimkom:\n  name: ASİMKOM\n  kind: organisation\njane_minister:\n  name: '<b>Ali</b> & *Co* [x](y)'\n"
    text = body(tmp_path, "To {{ recipient.holder_name }}.", {"people/people.yaml": people,
                                                              "facts/prisoners.yaml": None})
    assert text == "To <b>Ali</b> & *Co* [x](y)."


def test_raw_html_in_a_body_stays_visible_text(tmp_path):
    assert body(tmp_path, "Hello <script>alert(1)</script> **world**") == "Hello <script>alert(1)</script> world"


def test_citations_record_value_date_and_paragraph(tmp_path):
    rendered = render(tmp_path)
    cited = {c.fact: c for c in rendered.citations}
    assert set(cited) == {"political_prisoners", "journalists", "journalists.women", "deported", "citizens"}
    assert cited["political_prisoners"].value == 400
    assert cited["political_prisoners"].as_of == datetime.date(2025, 10, 25)
    assert cited["political_prisoners"].blocks == (1, 3)
    assert cited["deported"].members == ("samir_ashurov", "emin_malikov")
    run = next(r for r in rendered.letter.body[0].runs if r.fact == "journalists")
    assert (run.text, run.bold) == ("more than 40 journalists", True)


def test_letter_frame(tmp_path):
    letter = render(tmp_path).letter
    assert letter.sender == ("ASİMKOM", "Coordination Center of Azerbaijani Political Refugees")
    assert letter.place_date == "Bonn, 25 October 2025"
    assert letter.recipient[:2] == ("Dr. Jane Minister", "Minister for Foreign Affairs")
    assert letter.salutation == "Dear Minister,"
    assert letter.closing == "Yours sincerely,"
    assert [b.marker for b in letter.body if b.kind == "item"] == ["1.", "2."]
    assert letter_text(letter).endswith("Yours sincerely,\nThe Coordinating Board\nASİMKOM\n")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "templates/appeal.md:1: error: not allowed in a template: "),
        ("x\n{{ fact.__globals__ }}", "templates/appeal.md:2: error: not allowed in a template: "),
        ("{{ campaign.nothing }}", "templates/appeal.md:1: error: 'dict object' has no attribute 'nothing'"),
        ("{{ 1 / 0 }}", "templates/appeal.md:1: error: ZeroDivisionError: division by zero"),
    ],
)
def test_template_failures_name_file_and_line(tmp_path, template, message):
    with pytest.raises(TemplateError) as info:
        render(tmp_path, {"templates/appeal.md": template})
    assert str(info.value).startswith(message)


def test_cite_for_tables(tmp_path):
    ws = load_workspace(make_workspace(tmp_path))
    assert cite(ws, "journalists.women") == "9 women"
    assert cite(ws, "deported") == "2 activists"


@pytest.mark.parametrize(("raw", "escaped"), [("a*b", r"a\*b"), ("<b>", r"\<b\>"), ("ə", "ə")])
def test_escape_markdown(raw, escaped):
    assert escape_markdown(raw) == escaped
