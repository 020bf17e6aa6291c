"""`appealkit check`: every kind of finding from a small workspace, and the example passes its own checks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import MINIMAL, REPO, make_workspace

from appealkit.checks.check import check_folder as check
from appealkit.checks.letter_check import prose
from appealkit.cli import cli

FACTS = MINIMAL["facts/prisoners.yaml"]
CAMPAIGN = MINIMAL["campaigns/test.yaml"]
RECIPIENT = MINIMAL["recipients/minister.yaml"]


def findings_of(tmp_path, changes):
    return [str(f) for f in check(make_workspace(tmp_path, changes)).findings]


def test_minimal_workspace_is_clean(tmp_path):
    assert findings_of(tmp_path, {}) == []


def test_example_workspace_passes_with_one_warning():
    result = check(REPO)
    assert [str(f) for f in result.findings] == [
        "campaigns/bonn-2025.yaml:22: warning: letter 'appeal-coe-committee-of-ministers--coe-cm-chair': "
        "the term of Dr. Ian Borg (President of the Committee of Ministers) ends on 2025-11-14, 20 days "
        "after the campaign date 2025-10-25 (send the letter before 2025-11-14, or address the next holder)"]


TYPED = "cite it with {{ fact(\"...\") }}, or end the line with {# literal #} if it is meant"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"templates/snippets/extra.md": "We count 400 prisoners.\n"},
     [f"templates/snippets/extra.md:1: error: typed figure '400': a figure in a letter must come from facts/ ({TYPED})"]),
    ({"templates/snippets/extra.md": "Text.\n\nOf them, nine are women.\n"},
     [f"templates/snippets/extra.md:3: error: typed figure 'nine': a figure in a letter must come from facts/ ({TYPED})"]),
    ({"templates/appeal.de.md": "Unter ihnen sind neun Frauen.\n"},
     [f"templates/appeal.de.md:1: error: typed figure 'neun': a figure in a letter must come from facts/ ({TYPED})"]),
    ({"templates/appeal.fr.md": "Parmi eux, neuf femmes et un enfant.\n"},
     [f"templates/appeal.fr.md:1: error: typed figure 'neuf': a figure in a letter must come from facts/ ({TYPED})"]),
    ({"templates/appeal.az.md": "Onların arasında doqquz qadın və bir uşaq var.\n"},
     [f"templates/appeal.az.md:1: error: typed figure 'doqquz': a figure in a letter must come from facts/ ({TYPED})"]),
    ({"templates/snippets/extra.md": "The 47 member States of the Council of Europe. {# literal #}\n"}, []),
    ({"templates/snippets/extra.md": (
        "{# 400 in a comment #}In 2021, on 25 October 2025, under Article 10, one of them,\n"
        "{{ fact('political_prisoners') }} in 2021–2024.\n\n1. First.\n2. Second.\n")}, []),
    ({"templates/snippets/extra.md": "We thank ASIMKOM and ASİMKOM.\n"},
     ["templates/snippets/extra.md:1: error: 'ASIMKOM' is a variant spelling of 'ASİMKOM' "
      "(write {{ person(\"asimkom\") }})"]),
])
def test_templates(tmp_path, changes, expected):
    found = check(make_workspace(tmp_path, changes)).findings
    # a one-line appeal.de.md is no translation of appeal.md: translation_check's findings are not asked here
    assert [str(f) for f in found if not f.kind.startswith("translation-")] == expected


def test_prose_blanks_jinja_and_keeps_lines():
    source = "a {{ fact('x') }} b\n{% if x %}\nc {# 9\n9 #} d"
    assert prose(source) == "a " + " " * 15 + " b\n" + " " * 10 + "\nc " + " " * 4 + "\n" + " " * 4 + " d"


PART_TOO_BIG = FACTS.replace("value: 9\n", "value: 41\n")
COUNT = FACTS + """
        deported_count:
          value: 5
          noun: activists
          keywords: [deported activists]
          as_of: 2025-10-25
          sources:
            - title: Conference appeal
"""
LISTED = COUNT.replace("          noun: activists\n          as_of", "          noun: activists\n"
                       "          keywords: [deported activists]\n          as_of", 1)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"facts/prisoners.yaml": PART_TOO_BIG},
     ["facts/prisoners.yaml:20: error: part 'women' of fact 'journalists' is 41, more than the whole (40) "
      "(a part counts some of the whole; check both figures)"]),
    ({"facts/prisoners.yaml": LISTED},
     ["facts/prisoners.yaml:39: error: fact 'deported_count' counts 5, but the list 'deported' it shares "
      "the keyword 'deported activist' with has 2 members (cite fact(\"deported\") for the count, or correct "
      "the figure)",
      "facts/prisoners.yaml:39: warning: no letter cites fact 'deported_count' "
      "(cite it with fact(...) in a template, or remove it)"]),
    ({"facts/prisoners.yaml": FACTS.replace("  sources:\n            - title: Conference appeal\n        citizens",
                                            "\n        citizens")},
     ["facts/prisoners.yaml:24: error: fact 'deported' has no 'sources' (add at least one source with a title)"]),
])
def test_facts(tmp_path, changes, expected):
    assert findings_of(tmp_path, changes) == expected


@pytest.mark.parametrize(("changes", "expected"), [
    ({"campaigns/test.yaml": CAMPAIGN.replace("place: Bonn\n", "place: Bonn\n        max_fact_age: 30 days\n"),
      "facts/prisoners.yaml": FACTS.replace("as_of: 2025-10-25\n          keywords", "as_of: 2025-09-01\n          keywords")},
     ["facts/prisoners.yaml:1: error: fact 'political_prisoners' is as of 2025-09-01, more than 30 days before "
      "the campaign 'test' (2025-10-25) (confirm the figure and update 'as_of', or set 'max_fact_age' in the campaign)"]),
    ({"facts/prisoners.yaml": FACTS.replace("as_of: 2025-10-25\n          keywords", "as_of: 2024-10-24\n          keywords")},
     ["facts/prisoners.yaml:1: error: fact 'political_prisoners' is as of 2024-10-24, more than 12 months before "
      "the campaign 'test' (2025-10-25) (confirm the figure and update 'as_of', or set 'max_fact_age' in the campaign)"]),
    ({"facts/prisoners.yaml": FACTS.replace("as_of: 2025-10-25\n          keywords", "as_of: 2024-10-25\n          keywords")},
     []),
    ({"recipients/minister.yaml": RECIPIENT.replace("from: 2025-01-01", "from: 2025-01-01\n          to: 2025-06-30")},
     ["campaigns/test.yaml:11: error: letter 'appeal--minister': the term of Dr. Jane Minister (Minister for "
      "Foreign Affairs) runs from 2025-01-01 to 2025-06-30, which does not cover the campaign date 2025-10-25 "
      "(update holder and term in recipients/minister.yaml to whoever holds the office on 2025-10-25)"]),
    ({"recipients/minister.yaml": RECIPIENT.replace("from: 2025-01-01", "from: 2025-01-01\n          to: 2025-11-24")},
     ["campaigns/test.yaml:11: warning: letter 'appeal--minister': the term of Dr. Jane Minister (Minister for "
      "Foreign Affairs) ends on 2025-11-24, 30 days after the campaign date 2025-10-25 (send the letter before "
      "2025-11-24, or address the next holder)"]),
    ({"recipients/minister.yaml": RECIPIENT.replace("from: 2025-01-01", "from: 2025-01-01\n          to: 2025-11-25")},
     []),
    ({"templates/snippets/deported.md": "{{ fact('deportees') }} and {{ person('samir_ashurow') }}\n"},
     ["templates/snippets/deported.md:1: error: unknown fact 'deportees' (did you mean 'deported'?)"]),
    ({"templates/snippets/deported.md": "{{ fact('deported') }}: Samir Ashurov, Emin Malikov and Vidadi İsgəndərli.\n"},
     []),
    ({"templates/snippets/deported.md": "{{ fact('deported') }}: Samir Ashurov and Emin Malikov.\n",
      "facts/prisoners.yaml": FACTS.replace("[samir_ashurov, emin_malikov]", "[samir_ashurov, emin_malikov, jane_minister]")},
     ["templates/snippets/deported.md:1: error: letter 'appeal--minister', paragraph 2: '3' activists, but the "
      "passage names 2: Samir Ashurov, Emin Malikov (the list 'deported' has 3 members; name them all, or say "
      "the names are some of them ('including'))"]),
    ({"campaigns/test.yaml": CAMPAIGN.replace("recipient: minister", "recipient: ministre")},
     ["campaigns/test.yaml:12: error: unknown recipient 'ministre' (did you mean 'minister'?)"]),
])
def test_campaigns(tmp_path, changes, expected):
    assert findings_of(tmp_path, changes) == expected


def test_cli_check_exit_codes_and_json(tmp_path):
    root = make_workspace(tmp_path, {"templates/snippets/extra.md": "We count 400 prisoners.\n"})
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"templates/snippets/extra.md:1: error: typed figure '400': a figure in a letter must come from facts/ ({TYPED})\n"
        "    > We count 400 prisoners.\n")
    assert result.stderr == "checked 7 files: 1 error\n"
    data = json.loads(runner.invoke(cli, ["--root", str(root), "check", "test", "--format", "json"]).stdout)
    assert data == {"files": 7, "findings": [{
        "file": "templates/snippets/extra.md", "line": 1, "kind": "typed-figure", "severity": "error",
        "message": "typed figure '400': a figure in a letter must come from facts/",
        "quote": "We count 400 prisoners.", "found": "400", "expected": "", "fact": "", "source": "",
        "hint": TYPED}]}


def test_cli_check_on_the_example_exits_0_with_the_term_warning(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["check", "campaigns/bonn-2025.yaml"])
    assert result.exit_code == 0
    assert result.stdout.startswith("campaigns/bonn-2025.yaml:22: warning: letter 'appeal-coe-committee-of-ministers")
    assert result.stderr.endswith(": 1 warning\n")


def test_a_letter_sent_by_email_to_a_recipient_without_an_address_is_reported(tmp_path):
    root = make_workspace(tmp_path, {"campaigns/test.yaml": MINIMAL["campaigns/test.yaml"].replace(
        "organisation: asimkom", "organisation: asimkom\n        sender_email: appeals@example.org")})
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert ("campaigns/test.yaml:12: warning: letter 'appeal--minister' goes by e-mail (the campaign has a "
            "sender_email), but recipient 'minister' has no e-mail address (add 'email:' to "
            "recipients/minister.yaml)") in result.output.splitlines()
    quiet = CliRunner().invoke(cli, ["--root", str(make_workspace(tmp_path / "post")), "check"])
    assert "no e-mail address" not in quiet.output
