"""Letters in English, German, French and Azerbaijani: templates, facts, dates, greetings, DOCX and PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner
from helpers import docx_text, make_workspace, mark_translations, pdf_text, pdf_words, words

from appealkit.batch.build import build
from appealkit.cli import cli
from appealkit.errors import AppealkitError
from appealkit.render.document import letter_text
from appealkit.render.letters import cite, render_letter
from appealkit.rules.language import Language, capitalize
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace

NNBSP = "\u202f"  # Babel's French group separator: narrow no-break space

FACTS = """
political_prisoners:
  value: 400
  qualifier: about
  noun: political prisoners
  noun_singular: political prisoner
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {noun: politische Gefangene, noun_singular: politischer Gefangener}
    fr: {noun: prisonniers politiques, noun_singular: prisonnier politique}
    az: {noun_singular: siyasi məhbus}
journalists:
  value: 40
  qualifier: more than
  noun: journalists
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {noun: Journalisten}
    fr: {noun: journalistes}
    az: {noun: jurnalist}
  parts:
    women:
      value: 9
      noun: women
      noun_singular: woman
      translations:
        de: {noun: Frauen, noun_singular: Frau}
        fr: {noun: femmes, noun_singular: femme}
        az: {noun_singular: qadın}
deported:
  members: [samir_ashurov, emin_malikov]
  noun: activists
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {noun: Aktivisten, noun_singular: Aktivist}
    fr: {noun: militants, noun_singular: militant}
    az: {noun_singular: fəal}
citizens:
  value: 10000000
  format: compact
  noun: citizens
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {noun: Bürger}
    fr: {noun: citoyens}
    az: {noun_singular: vətəndaş}
displaced:
  value: 12500
  noun: people
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {noun: Menschen}
    fr: {noun: personnes}
    az: {noun_singular: nəfər}
borders:
  value: the land borders have been closed since 2020
  as_of: 2025-10-25
  sources:
    - title: Conference appeal
  translations:
    de: {value: die Landgrenzen sind seit 2020 geschlossen}
    fr: {value: les frontières terrestres sont fermées depuis 2020}
    az: {value: quru sərhədləri 2020-ci ildən bağlıdır}
"""

RECIPIENT = """
office: Minister for Foreign Affairs
institution: Ministry of Foreign Affairs
holder:
  person: jane_minister
  honorific: Dr.
role: minister
gender: female
term:
  from: 2025-01-01
salutation: Dear Minister,
address: [Ministry of Foreign Affairs, 1 Example Street, 10000 Capital]
language: en
translations:
  de: {office: Ministerin für auswärtige Angelegenheiten}
  fr: {office: Ministre des Affaires étrangères}
  az: {office: Xarici İşlər Naziri}
"""

TEMPLATES = {
    # The English master the three translations translate: the same facts, people and snippet.
    "templates/appeal.md": """
        We write about {{ fact("political_prisoners") }}, among them **{{ fact("journalists") }}**,
        {{ fact("journalists").part("women", words=True) }} among them.

        {% include "snippets/deported.md" %}

        1. Release {{ fact("political_prisoners").figure }} people.
        2. Remember {{ person("vidadi_isgandarli") }}.

        {{ fact("citizens") }} are affected, {{ fact("displaced") }} have fled; {{ fact("borders") }}. Signed on {{ campaign.date|date }}.
    """,
    "templates/appeal.de.md": """
        wir schreiben Ihnen wegen {{ fact("political_prisoners") }}, darunter **{{ fact("journalists") }}**,
        {{ fact("journalists").part("women", words=True) }} unter ihnen.

        {% include "snippets/deported.md" %}

        1. Lassen Sie {{ fact("political_prisoners").figure }} Menschen frei.
        2. Denken Sie an {{ person("vidadi_isgandarli") }}.

        {{ fact("citizens") }} sind betroffen, {{ fact("displaced") }} geflohen; {{ fact("borders") }}. Am {{ campaign.date|date }}.
    """,
    "templates/snippets/deported.de.md": """
        {{ fact("deported", words=True).capitalized }} wurden abgeschoben: {{ fact("deported").names }}.
    """,
    "templates/fr/appeal.md": """
        Nous vous écrivons au sujet de {{ fact("political_prisoners") }}, dont **{{ fact("journalists") }}**,
        parmi lesquels {{ fact("journalists").part("women", words=True) }}.

        {% include "snippets/deported.md" %}

        1. Libérez {{ fact("political_prisoners").figure }} personnes.
        2. Souvenez-vous de {{ person("vidadi_isgandarli") }}.

        {{ fact("citizens") }} sont concernés, {{ fact("displaced") }} ont fui ; {{ fact("borders") }}. Le {{ campaign.date|date }}.
    """,
    "templates/fr/snippets/deported.md": """
        {{ fact("deported", words=True).capitalized }} ont été expulsés : {{ fact("deported").names }}.
    """,
    "templates/appeal.az.md": """
        Sizə {{ fact("political_prisoners") }} barədə yazırıq; onların arasında **{{ fact("journalists") }}**,
        o cümlədən {{ fact("journalists").part("women", words=True) }} var.

        {% include "snippets/deported.md" %}

        1. Həbsdə olan {{ fact("political_prisoners").figure }} insanı azad edin.
        2. {{ person("vidadi_isgandarli") }} unutmayın.

        {{ fact("citizens") }} əziyyət çəkir, {{ fact("displaced") }} qaçıb; {{ fact("borders") }}. Tarix: {{ campaign.date|date }}.
    """,
    "templates/snippets/deported.az.md": """
        {{ fact("deported", words=True).capitalized }} deportasiya edilib: {{ fact("deported").names }}.
    """,
}

CAMPAIGN = """
id: test
title: Test campaign
date: 2025-10-25
place: Bonn
organisation: asimkom
subject: Appeal for the release of political prisoners
signatories:
  - name: The Coordinating Board
    role: ASİMKOM
translations:
  de: {subject: Appell zur Freilassung der politischen Gefangenen}
  fr: {subject: Appel pour la libération des prisonniers politiques}
  az: {subject: Siyasi məhbusların azad edilməsi üçün müraciət}
letters:
  - template: appeal.md
    recipient: minister
    languages: [en, de, fr, az]
"""

LANGUAGES = {"facts/prisoners.yaml": FACTS, "recipients/minister.yaml": RECIPIENT,
             "campaigns/test.yaml": CAMPAIGN, **TEMPLATES}

#: What each letter must say: date line, salutation, figures in the locale's format, names, closing.
EXPECTED = {
    "en": ["Bonn, 25 October 2025", "Dear Minister,", "about 400 political prisoners",
           "more than 40 journalists", "nine women", "Two activists were deported: Samir Ashurov and Emin Malikov.",
           "10 million citizens", "Vidadi İsgəndərli", "Yours sincerely,", "Minister for Foreign Affairs"],
    "de": ["Bonn, 25. Oktober 2025", "Sehr geehrte Frau Ministerin,", "rund 400 politische Gefangene",
           "mehr als 40 Journalisten", "neun Frauen",
           "Zwei Aktivisten wurden abgeschoben: Samir Ashurov und Emin Malikov.", "1. Lassen Sie rund 400 Menschen frei.",
           "10 Millionen Bürger", "12.500 Menschen", "die Landgrenzen sind seit 2020 geschlossen",
           "Am 25. Oktober 2025.", "Vidadi İsgəndərli", "Mit freundlichen Grüßen",
           "Ministerin für auswärtige Angelegenheiten", "Appell zur Freilassung der politischen Gefangenen"],
    "fr": ["Bonn, le 25 octobre 2025", "Madame la Ministre,", "environ 400 prisonniers politiques",
           "plus de 40 journalistes", "neuf femmes",
           "Deux militants ont été expulsés : Samir Ashurov et Emin Malikov.",
           "10 millions de citoyens", f"12{NNBSP}500 personnes", "les frontières terrestres sont fermées depuis 2020",
           "Vidadi İsgəndərli", "Veuillez agréer, Madame la Ministre, l’expression de notre haute considération.",
           "Ministre des Affaires étrangères"],
    "az": ["Bonn, 25 oktyabr 2025", "Hörmətli xanım Nazir,", "təxminən 400 siyasi məhbus",
           "40-dan çox jurnalist", "doqquz qadın",
           "İki fəal deportasiya edilib: Samir Ashurov və Emin Malikov.", "1. Həbsdə olan təxminən 400 insanı azad edin.",
           "10 milyon vətəndaş", "12.500 nəfər", "quru sərhədləri 2020-ci ildən bağlıdır",
           "Tarix: 25 oktyabr 2025.", "Vidadi İsgəndərli", "Hörmətlə,", "Xarici İşlər Naziri",
           "Siyasi məhbusların azad edilməsi üçün müraciət"],
}


def load(root, changes=None):
    workspace = load_workspace(mark_translations(make_workspace(root, {**LANGUAGES, **(changes or {})})))
    return workspace, load_campaign_file(workspace, resolve_campaign_path(root, "test"))


def _build_languages(root):
    workspace, campaign = load(root)
    return build(workspace, campaign, root / "out")


@pytest.fixture(scope="module")
def built(once_per_run):
    """The letter in every language, built once a run (conftest.py): its tests only read it."""
    return once_per_run("languages", _build_languages)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_docx_and_pdf_in_every_language(built, language):
    assert not built.failed, [str(o.error) for o in built.failed]
    outcome = next(o for o in built.letters if o.id == f"appeal--minister--{language}")
    files = {o.format: o.path for o in outcome.outputs}
    assert outcome.rendered.letter.language == language
    expected = words(letter_text(outcome.rendered.letter))
    assert words(docx_text(files["docx"])) == expected
    assert pdf_words(files["pdf"]) == expected
    for phrase in EXPECTED[language]:
        assert words(phrase) in words(docx_text(files["docx"])), phrase
        assert words(phrase) in pdf_words(files["pdf"]), phrase


def test_french_thousands_keep_the_narrow_no_break_space_in_docx_and_pdf(built):
    outcome = next(o for o in built.letters if o.id == "appeal--minister--fr")
    files = {o.format: o.path for o in outcome.outputs}
    assert f"12{NNBSP}500 personnes" in docx_text(files["docx"])
    assert f"12{NNBSP}500 personnes" in pdf_text(files["pdf"])


def test_azerbaijani_letters_come_out_of_the_pdf_exactly(built):
    outcome = next(o for o in built.letters if o.id == "appeal--minister--az")
    text = words(pdf_text({o.format: o.path for o in outcome.outputs}["pdf"]))
    for phrase in ("Hörmətli xanım Nazir,", "İki fəal deportasiya edilib", "Vidadi İsgəndərli",
                   "quru sərhədləri 2020-ci ildən bağlıdır", "Siyasi məhbusların azad edilməsi üçün müraciət"):
        assert phrase in text, phrase


def test_letters_record_the_template_version_they_used(built):
    templates = {o.id: o.rendered.template_file for o in built.letters}
    assert templates == {
        "appeal--minister--en": "templates/appeal.md",
        "appeal--minister--de": "templates/appeal.de.md",
        "appeal--minister--fr": "templates/fr/appeal.md",
        "appeal--minister--az": "templates/appeal.az.md",
    }


@pytest.mark.parametrize(
    ("language", "value", "style", "expected"),
    [
        ("en", 12500, "digits", "12,500"), ("de", 12500, "digits", "12.500"),
        ("fr", 12500, "digits", f"12{NNBSP}500"), ("az", 12500, "digits", "12.500"),
        ("en", 2020, "digits", "2020"), ("de", 2020, "digits", "2020"), ("fr", 2020, "digits", "2020"),
        ("de", Decimal("2.5"), "digits", "2,5"), ("fr", Decimal("2.5"), "digits", "2,5"),
        ("en", 9, "words", "nine"), ("de", 9, "words", "neun"), ("fr", 9, "words", "neuf"),
        ("az", 9, "words", "doqquz"), ("az", 400, "words", "dörd yüz"), ("de", 400, "words", "vierhundert"),
        ("fr", 400, "words", "quatre cents"), ("de", 10_000_000, "compact", "10 Millionen"),
        ("fr", 10_000_000, "compact", "10 millions"), ("az", 10_000_000, "compact", "10 milyon"),
    ],
)
def test_numbers_per_locale(language, value, style, expected):
    assert Language(language).number(value, style) == expected


@pytest.mark.parametrize(
    ("language", "qualifier", "value", "style", "expected"),
    [
        ("en", "nearly", 400, "digits", "nearly 400"),
        ("de", "about", 400, "digits", "rund 400"), ("de", "at least", 40, "words", "mindestens vierzig"),
        ("de", "up to", 12500, "digits", "bis zu 12.500"),
        ("fr", "about", 400, "digits", "environ 400"), ("fr", "nearly", 400, "digits", "près de 400"),
        ("fr", "up to", 9, "words", "jusqu'à neuf"),
        ("az", "about", 400, "digits", "təxminən 400"),
        # Azerbaijani puts "çox" after the number, whose ending follows vowel harmony
        ("az", "more than", 40, "digits", "40-dan çox"), ("az", "more than", 400, "digits", "400-dən çox"),
        ("az", "more than", 40, "words", "qırxdan çox"), ("az", "nearly", 400, "digits", "400-ə yaxın"),
        ("az", "nearly", 2, "digits", "2-yə yaxın"), ("az", "up to", 9, "words", "doqquza qədər"),
        ("az", "fewer than", 6, "digits", "6-dan az"),
    ],
)
def test_qualifiers_per_language(language, qualifier, value, style, expected):
    lang = Language(language)
    assert lang.figure(qualifier, value, lang.number(value, style)) == expected


def test_grammatical_number(tmp_path):
    one = ("one:\n  value: 1\n  noun: political prisoners\n  noun_singular: political prisoner\n"
           "  as_of: 2025-01-01\n  sources:\n    - title: X\n  translations:\n"
           "    de: {noun: politische Gefangene, noun_singular: politischer Gefangener}\n"
           "    fr: {noun: prisonniers politiques, noun_singular: prisonnier politique}\n"
           "    az: {noun: siyasi məhbuslar, noun_singular: siyasi məhbus}\n")
    workspace, _ = load(tmp_path, {"facts/one.yaml": one})
    assert [cite(workspace, "one", lang) for lang in ("en", "de", "fr", "az")] == [
        "1 political prisoner", "1 politischer Gefangener", "1 prisonnier politique", "1 siyasi məhbus"]
    # Azerbaijani keeps the noun singular after every numeral
    assert cite(workspace, "political_prisoners", "az") == "təxminən 400 siyasi məhbus"
    assert cite(workspace, "political_prisoners", "de") == "rund 400 politische Gefangene"


def test_dates_and_lists_per_locale():
    day = datetime.date(2025, 10, 25)
    assert [Language(code).place_date("Bonn", day) for code in ("en", "de", "fr", "az")] == [
        "Bonn, 25 October 2025", "Bonn, 25. Oktober 2025", "Bonn, le 25 octobre 2025", "Bonn, 25 oktyabr 2025"]
    assert [Language(code).join(["A", "B", "C"]) for code in ("en", "de", "fr", "az")] == [
        "A, B and C", "A, B und C", "A, B et C", "A, B və C"]


def test_azerbaijani_capital_i_is_dotted():
    assert capitalize("iki fəal", "az") == "İki fəal"
    assert capitalize("iki", "en") == "Iki"


def test_salutations_from_profile_translation_or_table(tmp_path):
    recipient = RECIPIENT.replace("  de: {office:", "  de: {salutation: 'Sehr geehrte Frau Dr. Minister,', office:")
    workspace, campaign = load(tmp_path, {"recipients/minister.yaml": recipient})
    letters = {spec.language: render_letter(workspace, campaign, spec).letter for spec in campaign.letters}
    assert {code: letter.salutation for code, letter in letters.items()} == {
        "en": "Dear Minister,", "de": "Sehr geehrte Frau Dr. Minister,", "fr": "Madame la Ministre,",
        "az": "Hörmətli xanım Nazir,"}


def test_campaign_closing_translation_overrides_the_default(tmp_path):
    campaign_file = CAMPAIGN.replace("  de: {subject:", "  de: {closing: Hochachtungsvoll, subject:")
    workspace, campaign = load(tmp_path, {"campaigns/test.yaml": campaign_file})
    german = next(spec for spec in campaign.letters if spec.language == "de")
    assert render_letter(workspace, campaign, german).letter.closing == "Hochachtungsvoll"


def test_a_template_may_declare_its_own_language(tmp_path):
    campaign_file = CAMPAIGN.replace("languages: [en, de, fr, az]", "language: de")
    workspace, campaign = load(tmp_path, {
        "campaigns/test.yaml": campaign_file, "templates/appeal.de.md": None,
        "templates/appeal.md": "{# language: de #}\nwir schreiben wegen {{ fact(\"political_prisoners\") }}.\n",
    })
    rendered = render_letter(workspace, campaign, campaign.letters[0])
    assert rendered.letter.body[0].text == "wir schreiben wegen rund 400 politische Gefangene."


CAMPAIGN_LINE = "campaigns/test.yaml:15"
ERRORS = [
    ("missing-template-version", {"templates/appeal.de.md": None},
     [f"{CAMPAIGN_LINE}: error: template 'appeal.md' has no German (de) version (add templates/appeal.de.md)"]),
    ("missing-snippet-version", {"templates/snippets/deported.az.md": None},
     [f"{CAMPAIGN_LINE}: error: template 'snippets/deported.md' has no Azerbaijani (az) version "
      "(add templates/snippets/deported.az.md; included at templates/appeal.az.md:4)"]),
    ("unknown-language", {"campaigns/test.yaml": CAMPAIGN.replace("[en, de, fr, az]", "[en, xx]")},
     [f"{CAMPAIGN_LINE}: error: unknown language 'xx' (use a language code such as en, de, fr or az)"]),
    ("missing-salutation", {"recipients/minister.yaml": RECIPIENT.replace("role: minister\n", "")},
     ["recipients/minister.yaml:1: error: recipient 'minister' has no salutation in German (de) "
      "(add 'translations: {de: {salutation: ...}}', or 'role:' (minister, federal-minister, president, chair, "
      "ambassador) to derive it)",
      "recipients/minister.yaml:1: error: recipient 'minister' has no salutation in French (fr) "
      "(add 'translations: {fr: {salutation: ...}}', or 'role:' (minister, federal-minister, president, chair, "
      "ambassador) to derive it)",
      "recipients/minister.yaml:1: error: recipient 'minister' has no salutation in Azerbaijani (az) "
      "(add 'translations: {az: {salutation: ...}}', or 'role:' (minister, federal-minister, president, chair, "
      "ambassador) to derive it)"]),
    ("salutation-needs-gender", {"recipients/minister.yaml": RECIPIENT.replace("gender: female\n", "")},
     ["recipients/minister.yaml:1: error: recipient 'minister' has no salutation in German (de) "
      "(add 'gender: female' or 'gender: male' (the German salutation depends on it), "
      "or 'translations: {de: {salutation: ...}}')",
      "recipients/minister.yaml:1: error: recipient 'minister' has no salutation in French (fr) "
      "(add 'gender: female' or 'gender: male' (the French salutation depends on it), "
      "or 'translations: {fr: {salutation: ...}}')"]),
    ("missing-subject", {"campaigns/test.yaml": CAMPAIGN.replace(
        "  fr: {subject: Appel pour la libération des prisonniers politiques}\n", "")},
     ["campaigns/test.yaml:1: error: the campaign has no subject in French (fr) "
      "(add 'translations: {fr: {subject: ...}}' to campaigns/test.yaml:1)"]),
    ("missing-noun", {"facts/prisoners.yaml": FACTS.replace("    de: {noun: Journalisten}\n", "")},
     ["templates/appeal.de.md:1: error: fact 'journalists' has no German (de) noun "
      "(add 'translations: {de: {noun: ..., noun_singular: ...}}' to facts/prisoners.yaml:13)"]),
    ("missing-text", {"facts/prisoners.yaml": FACTS.replace(
        "    fr: {value: les frontières terrestres sont fermées depuis 2020}\n", "")},
     ["templates/fr/appeal.md:9: error: fact 'borders' has no French (fr) text "
      "(add 'translations: {fr: {value: ...}}' to facts/prisoners.yaml:64)"]),
    ("misspelt-translation-key", {"facts/prisoners.yaml": FACTS.replace("de: {noun: Menschen}", "de: {nuon: Menschen}")},
     ["facts/prisoners.yaml:61: error: unknown key 'nuon' in the German (de) translation of fact 'displaced' "
      "(did you mean 'noun'?)"]),
    ("person-name-translated", {"people/people.yaml": (
        "asimkom:\n  name: ASİMKOM\n  kind: organisation\n  translations: {az: {long_name: Koordinasiya Mərkəzi}}\n"
        "samir_ashurov:\n  name: Samir Ashurov\n  translations:\n    az: {name: Samir Aşurov}\n"
        "emin_malikov:\n  name: Emin Malikov\nvidadi_isgandarli:\n  name: Vidadi İsgəndərli\n"
        "jane_minister:\n  name: Jane Minister\n")},
     ["people/people.yaml:8: error: person 'samir_ashurov': a person's name is spelled the same in every "
      "language (remove 'name' from the 'az' translation; only organisations' names are translated)"]),
    ("campaign-language-not-text", {"campaigns/test.yaml": CAMPAIGN.replace(
        "signatories:\n", "language: [en, de]\nsignatories:\n")},
     ["campaigns/test.yaml:7: error: 'language' must be text"]),
    ("unknown-translation-language", {"recipients/minister.yaml": RECIPIENT.replace("  az: {office:", "  qq: {office:")},
     ["recipients/minister.yaml:16: error: unknown language 'qq' in 'translations' "
      "(use a code such as de, fr or az)"]),
]


@pytest.mark.parametrize(("name", "changes", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_language_errors_name_file_and_line(tmp_path, name, changes, expected):
    mark_translations(make_workspace(tmp_path, {**LANGUAGES, **changes}))
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build", "campaigns/test.yaml"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == expected


def test_missing_language_version_is_found_before_rendering(tmp_path):
    with pytest.raises(AppealkitError) as info:
        load(tmp_path, {"templates/appeal.de.md": None})
    assert str(info.value) == (f"{CAMPAIGN_LINE}: error: template 'appeal.md' has no German (de) version "
                               "(add templates/appeal.de.md)")


GERMAN_BODY = "wir schreiben Ihnen wegen {{ fact(\"political_prisoners\") }}.\n"
GERMAN_ONLY = {"templates/appeal.md": None, "templates/appeal.de.md": None, "templates/fr/appeal.md": None,
               "templates/appeal.az.md": None,
               "campaigns/test.yaml": CAMPAIGN.replace("languages: [en, de, fr, az]", "language: de")}


@pytest.mark.parametrize("files", [
    {"templates/appeal.de.md": GERMAN_BODY},
    {"templates/de/appeal.md": GERMAN_BODY},
    {"templates/appeal.md": "{# language: de #}\n" + GERMAN_BODY},
], ids=["suffix", "folder", "declared"])
def test_every_documented_form_of_a_german_template_builds_and_checks(tmp_path, files):
    make_workspace(tmp_path, {**LANGUAGES, **GERMAN_ONLY, **files})
    checked = CliRunner().invoke(cli, ["--root", str(tmp_path), "check"])
    assert checked.exit_code == 0, checked.output
    assert {f.split(": ")[1] for f in checked.stdout.splitlines()} == {"warning"}  # only unused facts
    built = CliRunner().invoke(cli, ["--root", str(tmp_path), "build", "test", "--format", "docx"])
    assert built.exit_code == 0, built.output
    assert built.stdout.splitlines()[0] == "built   appeal--minister  (docx)"
    text = docx_text(tmp_path / "build" / "test" / "appeal--minister.docx")
    assert "wir schreiben Ihnen wegen rund 400 politische Gefangene." in text


@pytest.mark.parametrize(("template", "language", "expected"), [
    ("apeal.md", "de", "campaigns/test.yaml:15: error: template 'apeal.md' not found in templates/ "
                       "(did you mean 'appeal.md'?)"),
    ("appeal.de.md", "en", "campaigns/test.yaml:15: error: template 'appeal.md' has no English (en) version "
                           "(add templates/appeal.en.md)"),
    ("de/appeal.md", "fr", "campaigns/test.yaml:15: error: template 'appeal.md' has no French (fr) version "
                           "(add templates/appeal.fr.md)"),
], ids=["misspelt", "suffix-in-another-language", "folder-in-another-language"])
def test_template_hints_lead_to_a_working_file_name(tmp_path, template, language, expected):
    campaign = CAMPAIGN.replace("languages: [en, de, fr, az]", f"language: {language}").replace(
        "template: appeal.md", f"template: {template}")
    make_workspace(tmp_path, {**LANGUAGES, **GERMAN_ONLY, "templates/appeal.de.md": GERMAN_BODY,
                              "campaigns/test.yaml": campaign})
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build", "test", "--format", "docx"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected]


def test_a_template_named_in_its_language_gives_a_letter_id_without_the_language(tmp_path):
    campaign = CAMPAIGN.replace("languages: [en, de, fr, az]", "language: de").replace(
        "template: appeal.md", "template: appeal.de.md")
    _, loaded = load(tmp_path, {**GERMAN_ONLY, "templates/appeal.de.md": GERMAN_BODY,
                                "campaigns/test.yaml": campaign})
    assert [spec.id for spec in loaded.letters] == ["appeal--minister"]


@pytest.mark.parametrize(("language", "value", "words"), [
    ("az", 21_336, "iyirmi bir min üç yüz otuz altı"),  # num2words drops the "bir": "iyirmi min"
    ("az", 1_000, "min"),
    ("az", 121_000, "yüz iyirmi bir min"),
    ("az", 1_021_000, "bir milyon iyirmi bir min"),
    ("de", 601_658, "sechshunderteintausendsechshundertachtundfünfzig"),
])
def test_number_words_say_the_figure_and_read_back_as_it(language, value, words):
    from appealkit.checks.figures import find_figures

    assert Language(language).number(value, "words") == words
    assert [f.value for f in find_figures(words, language)] == [value]
