"""Two facts that count the same noun: a figure is checked against the one it speaks of, and a hint,
followed, never puts another fact's figure into the letter.

The workspace is modelled on the 2014 appeal of Azerbaijani civil society to the Secretary General of
the Council of Europe: more than 90 political prisoners, more than 10 of whom signed a petition.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import build_file_tree

from appealkit.batch.build import build
from appealkit.checks.audit import audit
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

FACTS = """
    political_prisoners:
      value: {now}
      qualifier: more than
      noun: political prisoners
      noun_singular: political prisoner
      as_of: 2014-05-01
      keywords: [political prisoners, behind bars, in jail]
      {history}
      sources:
        - title: Appeal of civil society to the Secretary General
    petition_signatories:
      value: 10
      qualifier: more than
      noun: political prisoners
      as_of: 2014-05-01
      keywords: [petition, signed a petition, signatories]
      sources:
        - title: Appeal of civil society to the Secretary General
    hunger_strikers:
      value: 12
      noun: prisoners
      as_of: 2014-05-01
      keywords: [hunger strike]
      sources:
        - title: Appeal of civil society to the Secretary General
"""

WORKSPACE = {
    "people/people.yaml": """
        secretary_general:
          name: Thorbjørn Jagland
        leyla_yunus:
          name: Leyla Yunus
        forum:
          name: Civil Society Forum
          kind: organisation
    """,
    "recipients/sg.yaml": """
        office: Secretary General of the Council of Europe
        institution: Council of Europe
        holder:
          person: secretary_general
        term:
          from: 2009-10-01
          source:
            title: Council of Europe
        salutation: Dear Secretary General,
        address: [Council of Europe, Avenue de l'Europe, Strasbourg]
        language: en
    """,
    "templates/appeal.md": """
        Today {{ fact("political_prisoners") }} are behind bars in Azerbaijan.

        From their cells, {{ fact("petition_signatories") }} signed a petition to you, and
        {{ fact("hunger_strikers") }} have begun a hunger strike.
    """,
    "campaigns/sg-2014.yaml": """
        id: sg-2014
        title: Appeal to the Secretary General
        date: 2014-05-10
        place: Baku
        organisation: forum
        subject: Political prisoners in Azerbaijan
        signatories:
          - name: Civil society of Azerbaijan
        letters:
          - template: appeal.md
            recipient: sg
    """,
}


def workspace(root: Path, now: int = 90, history: str = ""):
    spec = dict(WORKSPACE)
    spec["facts/figures.yaml"] = FACTS.format(now=now, history=history)
    build_file_tree(root, spec)
    return load_workspace(root)


def test_the_letter_appealkit_built_audits_clean_as_docx_and_pdf(tmp_path):
    ws = workspace(tmp_path / "ws")
    result = build(ws, load_campaign_file(ws, tmp_path / "ws" / "campaigns" / "sg-2014.yaml"), tmp_path / "out")
    assert not result.failed
    files = sorted((tmp_path / "out").glob("appeal--*.docx")) + sorted((tmp_path / "out").glob("appeal--*.pdf"))
    assert len(files) == 2
    checked = audit(ws, files)
    assert checked.findings == ()


#: (sentence, the fact the writer meant, the kind of finding due or None)
SENTENCES = [
    ("More than 90 political prisoners are behind bars in Azerbaijan.", "political_prisoners", None),
    ("More than 10 political prisoners signed a petition to you.", "petition_signatories", None),
    ("More than 98 political prisoners are behind bars in Azerbaijan.", "political_prisoners",
     "figure-mismatch"),
    ("More than 14 political prisoners signed a petition to you.", "petition_signatories", "figure-mismatch"),
    ("Nearly 90 political prisoners are in jail today.", "political_prisoners", "qualifier-drift"),
    ("Over 10 political prisoners have signed a petition.", "petition_signatories", "qualifier-drift"),
    # the value tells: a figure one candidate has is that candidate's
    ("We count more than 90 political prisoners today.", "political_prisoners", None),
    ("We count more than 10 political prisoners who wrote to you.", "petition_signatories", None),
    # nearness in magnitude, when it is clear
    ("We count more than 93 political prisoners today.", "political_prisoners", "figure-mismatch"),
    ("Twelve prisoners have begun a hunger strike.", "hunger_strikers", None),
    ("Fifteen prisoners have begun a hunger strike.", "hunger_strikers", "figure-mismatch"),
]


def audited(tmp_path: Path, ws, text: str):
    letter = tmp_path / "letter.txt"
    letter.write_text(text + "\n", encoding="utf-8")
    return audit(ws, [letter]).findings


@pytest.mark.parametrize(("sentence", "meant", "due"), SENTENCES)
def test_a_figure_is_checked_against_the_fact_it_speaks_of(tmp_path, sentence, meant, due):
    ws = workspace(tmp_path / "ws")
    findings = audited(tmp_path, ws, sentence)
    assert [(f.kind, f.fact) for f in findings] == ([(due, meant)] if due else [])


@pytest.mark.parametrize(("sentence", "meant", "due"), [s for s in SENTENCES if s[2]])
def test_a_hint_followed_gives_the_figure_of_the_fact_meant(tmp_path, sentence, meant, due):
    ws = workspace(tmp_path / "ws")
    [finding] = audited(tmp_path, ws, sentence)
    written = re.fullmatch(r"write '(.*)'", finding.hint)
    assert written, finding.hint
    corrected = sentence.replace(finding.found, written[1], 1)
    assert corrected != sentence
    assert audited(tmp_path, ws, corrected) == ()


def test_a_figure_no_candidate_has_and_no_word_tells_names_every_candidate_and_proposes_nothing(tmp_path):
    ws = workspace(tmp_path / "ws")
    [finding] = audited(tmp_path, ws, "We count 50 political prisoners today.")
    assert finding.kind == "figure-mismatch" and finding.severity == "error"
    # the fact of hunger strikers counts prisoners too: a candidate, named with the others
    assert finding.fact == "hunger_strikers, petition_signatories, political_prisoners"
    assert finding.expected == ""
    assert finding.message == (
        "'50' political prisoners matches none of the facts that count political prisoners: "
        "'hunger_strikers' says 12; 'petition_signatories' says more than 10; 'political_prisoners' says "
        "more than 90")
    assert "write '" not in finding.hint


def test_a_stale_figure_is_blamed_on_the_fact_that_had_it(tmp_path):
    ws = workspace(tmp_path / "ws", now=98, history="history:\n        - {value: 90, as_of: 2013-12-01}")
    for sentence in ("More than 90 political prisoners are behind bars in Azerbaijan.",
                     "We count more than 90 political prisoners today."):
        [finding] = audited(tmp_path, ws, sentence)
        assert (finding.kind, finding.fact, finding.hint) == (
            "stale-figure", "political_prisoners", "write 'more than 98'")


def test_words_against_a_former_value_are_split_evidence(tmp_path):
    """Once 90 political prisoners; the sentence speaks of the petition (more than 10): no guess."""
    ws = workspace(tmp_path / "ws", now=98, history="history:\n        - {value: 90, as_of: 2013-12-01}")
    [finding] = audited(tmp_path, ws, "More than 90 political prisoners signed a petition to you.")
    assert finding.fact == "hunger_strikers, petition_signatories, political_prisoners"
    assert finding.expected == ""


def test_a_fact_of_the_head_noun_alone_is_a_candidate_too(tmp_path):
    """'Twelve political prisoners' on hunger strike: the fact of 'prisoners' on hunger strike has 12,
    so the nearest political-prisoner figure (more than 10) is never proposed."""
    ws = workspace(tmp_path / "ws")
    assert audited(tmp_path, ws, "Twelve political prisoners have begun a hunger strike.") == ()
    [finding] = audited(tmp_path, ws, "Fifteen political prisoners have begun a hunger strike.")
    assert (finding.kind, finding.fact, finding.hint) == ("figure-mismatch", "hunger_strikers", "write '12'")
