"""importer/found_people.py: names in letters, one person per name however it is spelled."""

from __future__ import annotations

from appealkit.importer.found_people import find_people
from appealkit.importer.letters import FoundLetter, Paragraph


def letter(*paragraphs: str, index: int = 1) -> FoundLetter:
    return FoundLetter("letters.txt", index, f"letters.txt:{index}", "en", (), "Dear Minister,",
                       tuple(Paragraph(p, f"letters.txt:{n}") for n, p in enumerate(paragraphs, start=1)))


def test_spellings_grouped_by_the_skeleton_audit_uses():
    people, spans = find_people([
        letter("We remember Vuqar Rzayev and Bayram Mammadov, who were killed."),
        letter("We remember Vuqar Rzayev, and we think of Vugar Rzayev's family and of Rauf Mahmudov.", index=2),
        letter("Blogger Mohammad Mirzali survived; the bloggers met Mohammed Mirzali in Paris.", index=3),
    ], set())
    assert people["vuqar_rzayev"].ranked == ["Vuqar Rzayev", "Vugar Rzayev"]
    assert people["mohammad_mirzali"].tie and people["mohammad_mirzali"].ranked == [
        "Mohammad Mirzali", "Mohammed Mirzali"]
    # Mammadov and Mahmudov are different people, though 75 % alike
    assert {"bayram_mammadov", "rauf_mahmudov"} <= set(people)
    # "Blogger" starts the sentence and is written in lower case elsewhere: not part of the name
    assert [s.found for s in spans[2]] == ["Mohammad Mirzali", "Mohammed Mirzali"]
    assert not [p for p in people if p.startswith("paris") or p.startswith("we")]


def test_acronyms_one_letter_apart_are_joined_as_a_guess():
    people, _ = find_people([letter("ASIMKOM met in Bonn. ASMKOM wrote to the NIDA group. ASIMKOM signed.")], set())
    assert people["asimkom"].ranked == ["ASIMKOM", "ASMKOM"] and people["asimkom"].joined_by_guess
    assert not people["nida"].joined_by_guess


def test_names_the_letter_prints_from_its_own_fields_are_left_to_them():
    people, _ = find_people([letter("Ms. Erika Probe, we ask you to meet Ali Karimli.")], {"Erika Probe"})
    assert list(people) == ["ali_karimli"]


def test_spellings_beside_the_letters_count_but_found_no_one():
    people, _ = find_people([letter("ASIMKOM asks Ali Karimli to speak.")], set(),
                            ["ASİMKOM published these appeals.", "The Bonn Conference met."])
    assert people["asimkom"].spellings == {"ASIMKOM": 1, "ASİMKOM": 1}
    assert "bonn_conference" not in people
