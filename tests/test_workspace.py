from __future__ import annotations

import datetime

import pytest
from helpers import make_workspace

from appealkit.errors import WorkspaceError
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace


def test_minimal_workspace_loads(tmp_path):
    ws = load_workspace(make_workspace(tmp_path))
    prisoners = ws.facts["political_prisoners"]
    assert (prisoners.value, prisoners.qualifier, prisoners.noun) == (400, "about", "political prisoners")
    assert prisoners.as_of == datetime.date(2025, 10, 25)
    assert prisoners.sources[0].publisher == "ASİMKOM"
    assert prisoners.where.file == "facts/prisoners.yaml" and prisoners.where.line == 1
    women = ws.facts["journalists"].parts["women"]
    assert (women.value, women.as_of, women.sources) == (9, prisoners.as_of, ws.facts["journalists"].sources)
    assert ws.people["asimkom"].variants == ("ASIMKOM", "ASMKOM")
    minister = ws.recipients["minister"]
    assert minister.holder == "Dr. Jane Minister"
    assert minister.term.covers(datetime.date(2025, 10, 25))
    assert not minister.term.covers(datetime.date(2024, 12, 31))


def test_list_count_is_derived_from_members(tmp_path):
    ws = load_workspace(make_workspace(tmp_path))
    assert ws.facts["deported"].members == ("samir_ashurov", "emin_malikov")
    assert ws.facts["deported"].value == 2


def test_typed_count_beside_members_is_refused(tmp_path):
    make_workspace(tmp_path, {"facts/more.yaml": (
        "listed:\n  value: 6\n  members: [samir_ashurov]\n  as_of: 2025-01-01\n  sources:\n    - title: X\n")})
    with pytest.raises(WorkspaceError) as info:
        load_workspace(tmp_path)
    assert str(info.value) == (
        "facts/more.yaml:2: error: fact 'listed' has both 'value' and 'members' "
        "(remove 'value': the count of a list is derived from its members)")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    make_workspace(tmp_path, {"facts/more.yaml": (
        "a:\n  value: 1\n  as_of: soon\n  sources:\n    - title: X\n"
        "b:\n  value: 2\n  qualifier: roughly\n  as_of: 2025-01-01\n")})
    with pytest.raises(WorkspaceError) as info:
        load_workspace(tmp_path)
    lines = str(info.value).splitlines()
    assert lines[0] == "facts/more.yaml:3: error: 'as_of' must be a date (YYYY-MM-DD)"
    assert lines[1] == "facts/more.yaml:6: error: fact 'b' has no 'sources' (add at least one source with a title)"
    assert lines[2].startswith("facts/more.yaml:8: error: 'qualifier' must be one of:")


def test_fact_defined_twice_across_files(tmp_path):
    make_workspace(tmp_path, {"facts/again.yaml": (
        "political_prisoners:\n  value: 1\n  as_of: 2025-01-01\n  sources:\n    - title: X\n")})
    with pytest.raises(WorkspaceError) as info:
        load_workspace(tmp_path)
    assert str(info.value) == ("facts/prisoners.yaml:1: error: fact 'political_prisoners' is defined twice "
                               "(first in facts/again.yaml:1)")


def test_recipient_term_ending_before_it_starts(tmp_path):
    make_workspace(tmp_path, {"recipients/minister.yaml": (
        "office: O\nholder:\n  name: N\nterm:\n  from: 2025-05-14\n  to: 2025-01-01\n"
        "salutation: Dear,\naddress: [A]\nlanguage: en\n")})
    with pytest.raises(WorkspaceError) as info:
        load_workspace(tmp_path)
    assert str(info.value) == "recipients/minister.yaml:6: error: 'to' is before 'from'"


def test_campaign_letter_ids_and_defaults(tmp_path):
    ws = load_workspace(make_workspace(tmp_path))
    campaign = load_campaign_file(ws, resolve_campaign_path(tmp_path, "test"))
    assert campaign.id == "test"
    assert campaign.closing == "Yours sincerely,"
    assert [(s.id, s.template, s.recipient) for s in campaign.letters] == [
        ("appeal--minister", "appeal.md", "minister")]
    assert campaign.letters[0].where.line == 11


def test_unknown_campaign_names_the_known_ones(tmp_path):
    make_workspace(tmp_path)
    with pytest.raises(WorkspaceError) as info:
        resolve_campaign_path(tmp_path, "bonn")
    assert str(info.value) == "bonn: error: no such campaign file (campaigns here: test)"


FAN_OUT = {
    "recipients/second.yaml": ("office: Minister\nholder:\n  name: Second Person\nterm:\n  from: 2025-01-01\n"
                               "salutation: Dear Minister,\naddress: [Somewhere]\nlanguage: en\n"
                               "translations:\n  de: {salutation: 'Sehr geehrte Frau Ministerin,'}\n"),
    # a German letter needs a German body: appealkit never sends the English one instead
    "templates/appeal.de.md": "Wir schreiben Ihnen.\n",
    "recipients/groups.yaml": "ministers:\n  - minister\n  - second\n",
    "campaigns/test.yaml": """
        title: Fan-out
        date: 2025-10-25
        place: Bonn
        organisation: asimkom
        letters:
          - template: appeal.md
            recipients: group:ministers
          - template: appeal.md
            recipients: [second]
            languages: [en, de]
            id: ignored-here
    """,
}


def test_groups_and_languages_fan_out_to_one_letter_each(tmp_path):
    spec = dict(FAN_OUT)
    spec["campaigns/test.yaml"] = spec["campaigns/test.yaml"].replace("            id: ignored-here\n", "")
    ws = load_workspace(make_workspace(tmp_path, spec))
    assert ws.groups == {"ministers": ("minister", "second")}
    assert "groups" not in ws.recipients
    campaign = load_campaign_file(ws, resolve_campaign_path(tmp_path, "test"))
    assert [(s.id, s.recipient, s.language) for s in campaign.letters] == [
        ("appeal--minister", "minister", ""),
        ("appeal--second", "second", ""),
        ("appeal--second--en", "second", "en"),
        ("appeal--second--de", "second", "de"),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"campaigns/test.yaml": FAN_OUT["campaigns/test.yaml"]},
         "campaigns/test.yaml:11: error: 'id' names one letter, but this entry makes several "
         "(remove 'id': each letter is named <template>--<recipient>)"),
        ({"recipients/groups.yaml": "ministers: [minister, thrid]\n"},
         "recipients/groups.yaml:1: error: unknown recipient 'thrid' in group 'ministers'"),
        ({"campaigns/test.yaml": FAN_OUT["campaigns/test.yaml"].replace("group:ministers", "group:minsters")},
         "campaigns/test.yaml:7: error: unknown recipient group 'minsters' (did you mean 'ministers'?)"),
    ],
)
def test_fan_out_errors(tmp_path, change, message):
    make_workspace(tmp_path, {**FAN_OUT, **change})
    with pytest.raises(WorkspaceError) as info:
        load_campaign_file(load_workspace(tmp_path), resolve_campaign_path(tmp_path, "test"))
    assert str(info.value).splitlines()[0].startswith(message)
