"""Fact history and `max_fact_age`: parsed with line numbers like the rest of the workspace."""

from __future__ import annotations

import datetime

import pytest
from helpers import MINIMAL, make_workspace

from appealkit.errors import WorkspaceError
from appealkit.source.campaign import load_campaign_file
from appealkit.source.records import Age
from appealkit.source.workspace import age, load_workspace

FACT = """\
x:
  value: 400
  qualifier: about
  as_of: 2025-10-25
  sources:
    - title: T
  history:
{history}"""


def test_history_is_loaded(tmp_path):
    make_workspace(tmp_path, {"facts/x.yaml": FACT.format(history=(
        "    - value: 350\n      qualifier: nearly\n      as_of: 2024-06-01\n"
        "      sources: [{title: Old report, publisher: ASİMKOM}]\n"
        "    - {value: 300, as_of: 2023-01-01}\n"))})
    [newer, older] = load_workspace(tmp_path).facts["x"].history
    assert (newer.value, newer.qualifier, newer.as_of, newer.sources[0].title) == (
        350, "nearly", datetime.date(2024, 6, 1), "Old report")
    assert (older.value, older.qualifier, older.sources, older.where.line) == (300, "exact", (), 12)


@pytest.mark.parametrize(("history", "expected"), [
    ("    - value: 350\n      as_of: 2026-01-01\n",
     "facts/x.yaml:9: error: an earlier version of fact 'x' must be older than its 'as_of' (2025-10-25) "
     "(history lists superseded values; put the current one in 'value')"),
    ("    - value: 350\n",
     "facts/x.yaml:8: error: an earlier version of fact 'x' is missing 'as_of' (add 'as_of: ...')"),
    ("    - value: 350\n      as_of: 2024-01-01\n      qualifier: roughly\n",
     "facts/x.yaml:10: error: 'qualifier' must be one of: exact, about, approximately, around, nearly, almost, "
     "more than, over, at least, fewer than, less than, up to"),
    ("    - value: 350\n      as_of: 2024-01-01\n      when: now\n",
     "facts/x.yaml:10: error: unknown key 'when' in an earlier version of fact 'x' (known keys: as_of, "
     "qualifier, sources, value)"),
    ("    350\n", "facts/x.yaml:7: error: 'history' must be a list of earlier versions (value, qualifier, as_of)"),
])
def test_bad_history_is_reported_with_its_line(tmp_path, history, expected):
    make_workspace(tmp_path, {"facts/x.yaml": FACT.format(history=history)})
    with pytest.raises(WorkspaceError) as info:
        load_workspace(tmp_path)
    assert str(info.value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("12 months", Age(12, "months")), ("90 days", Age(90, "days")), ("1 year", Age(1, "years")),
    ("2 Years", Age(2, "years")),
])
def test_max_fact_age_values(text, expected):
    assert age(text) == expected


@pytest.mark.parametrize(("span", "day", "earliest"), [
    (Age(12, "months"), datetime.date(2025, 10, 25), datetime.date(2024, 10, 25)),
    (Age(1, "months"), datetime.date(2025, 3, 31), datetime.date(2025, 2, 28)),
    (Age(1, "years"), datetime.date(2024, 2, 29), datetime.date(2023, 2, 28)),
    (Age(30, "days"), datetime.date(2025, 10, 25), datetime.date(2025, 9, 25)),
])
def test_age_before(span, day, earliest):
    assert span.before(day) == earliest


def test_campaign_max_fact_age(tmp_path):
    campaign = MINIMAL["campaigns/test.yaml"]
    make_workspace(tmp_path, {"campaigns/test.yaml": campaign.replace("place: Bonn\n",
                                                                      "place: Bonn\n        max_fact_age: 6 months\n")})
    ws = load_workspace(tmp_path)
    assert load_campaign_file(ws, tmp_path / "campaigns/test.yaml").max_fact_age == Age(6, "months")
    make_workspace(tmp_path, {"campaigns/test.yaml": campaign.replace("place: Bonn\n",
                                                                      "place: Bonn\n        max_fact_age: soon\n")})
    with pytest.raises(WorkspaceError) as info:
        load_campaign_file(ws, tmp_path / "campaigns/test.yaml")
    assert str(info.value) == ("campaigns/test.yaml:5: error: 'max_fact_age' must be a span such as "
                               "'12 months', '90 days' or '1 year'")
