"""Spellings: listed variants, short forms, and names that transliterate alike."""

from __future__ import annotations

import pytest

from appealkit.checks.names import NameIndex, skeleton
from appealkit.source.records import Person

PEOPLE = {
    "asimkom": Person("asimkom", "ASİMKOM", "organisation", ("ASIMKOM", "ASMKOM")),
    "qabil_mammadov": Person("qabil_mammadov", "Qabil Mammadov", variants=("Qabil Məmmədov",)),
    "vuqar_rzayev": Person("vuqar_rzayev", "Vuqar Rzayev", variants=("Vugar Rzayev",)),
    "orkhan_agayev": Person("orkhan_agayev", "Orkhan Agayev"),
    "pace": Person("pace", "Parliamentary Assembly of the Council of Europe", "organisation",
                   ("PACE", "Parliamentary Assembly")),
}


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Mammadov", "Məmmədov", True),
    ("Mammadov", "Mahmudov", False),
    ("Vuqar Rzayev", "Vugar Rzayev", True),
    ("Ali Karimli", "Ali Kerimli", True),
    ("Orkhan Agayev", "Orxan Ağayev", True),
    ("Samir Ashurov", "Samir Aşurov", True),
    ("Jafar Mirzayev", "Cəfər Mirzəyev", True),
    ("Huseyn Bakikhanov", "Hüseyn Bakıxanov", True),
    ("Bayram Mammadov", "Bayram Mahmudov", False),
])
def test_skeleton_joins_transliterations_and_keeps_different_names_apart(a, b, same):
    assert (skeleton(a) == skeleton(b)) is same


@pytest.mark.parametrize(("text", "expected"), [
    ("ASİMKOM writes.", []),
    ("ASIMKOM writes.", [("ASIMKOM", "ASİMKOM", "variant")]),
    ("the ASIMKOMS", []),
    ("Vugar Rzayev and Qabil Məmmədov", [("Vugar Rzayev", "Vuqar Rzayev", "variant"),
                                         ("Qabil Məmmədov", "Qabil Mammadov", "variant")]),
    ("Qabil Mahmudov", []),
    ("Orxan Agayev", [("Orxan Agayev", "Orkhan Agayev", "similar")]),
    ("Orkhan\nAgayev", []),
    ("the Parliamentary Assembly met", []),
    ("PACE met", [("PACE", "Parliamentary Assembly of the Council of Europe", "variant")]),
])
def test_names_found_in_text(text, expected):
    hits = NameIndex(PEOPLE).find(text)
    assert [(h.found, h.person.name, h.kind) for h in hits] == expected


def test_workspace_phrases_are_canonical():
    people = {"cm": Person("cm", "Committee of Ministers of the Council of Europe", "organisation", ("CM Council",))}
    index = NameIndex(people, ["President of the CM Council"])
    assert index.find("to the President of the CM Council") == []
    assert [h.found for h in index.find("to the CM Council")] == ["CM Council"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Vugar Rzayevs Ermordung", [("Vugar Rzayev", "Vuqar Rzayev", "variant")]),  # German genitive
    ("Vuqar Rzayevs Ermordung", []),  # the canonical name with an ending is clean
    ("Vugar Rzayev's killers", [("Vugar Rzayev", "Vuqar Rzayev", "variant")]),
    ("Vuqar Rzayev’s killers", []),
    ("Vugar Rzayevin ailəsi", [("Vugar Rzayev", "Vuqar Rzayev", "variant")]),  # Azerbaijani genitive
    ("Vugar Rzayevə qarşı", [("Vugar Rzayev", "Vuqar Rzayev", "variant")]),  # dative
    ("Vuqar Rzayevdən", []),  # ablative of the canonical name
    ("Vugar Rzayevski", []),  # another name, not an ending
])
def test_a_name_with_a_grammatical_ending_is_still_that_name(text, expected):
    hits = NameIndex(PEOPLE).find(text)
    assert [(h.found, h.person.name, h.kind) for h in hits] == expected
