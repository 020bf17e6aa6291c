"""source/translations.py: a record's words in another language, never a silent English fallback."""

from __future__ import annotations

import dataclasses

import pytest
from helpers import REPO

from appealkit.rules.language import Language, MissingTranslation
from appealkit.source.campaign import load_campaign_file
from appealkit.source.translations import campaign_words, fact_noun, fact_text, person_words, recipient_words
from appealkit.source.workspace import load_workspace

EN, DE, FR, AZ = (Language(code) for code in ("en", "de", "fr", "az"))


@pytest.fixture(scope="module")
def workspace():
    return load_workspace(REPO)


def test_a_noun_in_the_letters_language_and_number(workspace):
    prisoners = workspace.facts["political_prisoners"]
    assert fact_noun(prisoners, EN) == "political prisoners"
    assert fact_noun(prisoners, DE) == "politische Gefangene"
    assert fact_noun(prisoners, AZ) == "siyasi məhbus"  # singular after numerals, the only form given
    one = dataclasses.replace(prisoners, value=1)
    assert fact_noun(one, EN) == "political prisoner"
    assert fact_noun(one, DE) == "politischer Gefangener"


def test_a_missing_noun_names_the_file_to_add_it_to(workspace):
    with pytest.raises(MissingTranslation) as caught:
        fact_noun(workspace.facts["political_prisoners"], FR)
    assert str(caught.value) == "fact 'political_prisoners' has no French (fr) noun"
    assert caught.value.hint.startswith("add 'translations: {fr: {noun: ..., noun_singular: ...}}' to facts/")


def test_a_text_fact_needs_its_text_in_the_language(workspace):
    text_facts = [f for f in workspace.facts.values() if not f.is_number and not f.members]
    if not text_facts:
        pytest.skip("the example has no text fact")
    fact = text_facts[0]
    assert fact_text(fact, EN) == str(fact.value)


def test_a_persons_name_is_the_same_in_every_language(workspace):
    person = next(p for p in workspace.people.values() if p.kind == "person")
    assert {person_words(person, language, "name", required=False) for language in (EN, DE, FR, AZ)} == {
        person.name}


def test_a_salutation_is_derived_from_role_and_gender(workspace):
    minister = workspace.recipients["de-foreign-minister"]
    assert recipient_words(minister, EN).salutation == "Dear Minister,"
    assert recipient_words(minister, DE).salutation == "Sehr geehrter Herr Bundesminister,"
    female = dataclasses.replace(minister, gender="female")
    assert recipient_words(female, DE).salutation == "Sehr geehrte Frau Bundesministerin,"


def test_no_salutation_in_the_language_is_an_error_with_what_to_add(workspace):
    president = workspace.recipients["ec-president"]
    with pytest.raises(MissingTranslation) as caught:
        recipient_words(dataclasses.replace(president, role="", translations={}), DE)
    assert str(caught.value) == "recipient 'ec-president' has no salutation in German (de)"
    assert "translations: {de: {salutation: ...}}" in caught.value.hint


def test_the_closing_defaults_per_language_and_the_rest_falls_back_to_the_campaign(workspace):
    campaign = load_campaign_file(workspace, REPO / "campaigns" / "bonn-2025.yaml")
    german = campaign_words(campaign, DE)
    assert german.place == campaign_words(campaign, EN).place
    assert german.closing != campaign_words(campaign, EN).closing
