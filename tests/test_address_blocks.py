"""The recipient's address block in the usual style of the country it goes to, from the one
home (`rules.language` tables, `render.letter_frame.address_block`), the same in DOCX and PDF."""

from __future__ import annotations

import datetime
from dataclasses import replace

import docx
import pypdfium2 as pdfium
import pytest
from helpers import copy_example, mark_translations

from appealkit.batch.build import build
from appealkit.render.letter_frame import address_block
from appealkit.rules.addresses import address_country, title_line
from appealkit.scaffold_init import init_workspace
from appealkit.source.campaign import load_campaign_file
from appealkit.source.records import Recipient, Term
from appealkit.source.translations import RecipientWords
from appealkit.source.workspace import load_workspace


def _recipient(honorific: str = "Dr.", gender: str = "", language: str = "en") -> Recipient:
    return Recipient(id="r", office="", holder_name="Ann Lee", salutation="Dear Minister,", address=(),
                     language=language, term=Term(datetime.date(2025, 1, 1)), honorific=honorific, gender=gender)


UK = ("Foreign, Commonwealth & Development Office", "King Charles Street", "London SW1A 2AH", "United Kingdom")
FRANCE = ("Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay", "75351 Paris Cedex 07", "France")
COE = ("Council of Europe", "Avenue de l'Europe", "F-67075 Strasbourg Cedex", "France")


@pytest.mark.parametrize(("language", "honorific", "gender", "office", "address", "expected"), [
    # the UK: honorific with the name (no full stop), no form line, post town in capitals, postcode
    # alone; from abroad, the country in capitals
    ("en", "Dr.", "female", "Foreign Secretary", UK,
     ("Dr Ann Lee", "Foreign Secretary", "Foreign, Commonwealth & Development Office", "King Charles Street",
      "LONDON", "SW1A 2AH", "UNITED KINGDOM")),
    ("de", "Dr.", "female", "Außenministerin", UK,  # no "Frau" line: the UK's block has none; German country
     ("Dr Ann Lee", "Außenministerin", "Foreign, Commonwealth & Development Office", "King Charles Street",
      "LONDON", "SW1A 2AH", "VEREINIGTES KÖNIGREICH")),
    (  # the post town already on its own line above the postcode
     "en", "Ms", "", "", ("1 High Street", "Oxford", "OX1 1AA"), ("Ms Ann Lee", "1 High Street", "OXFORD", "OX1 1AA")),
    # a French letter names the office-holder by the office: civility and article by gender
    ("fr", "Mme", "", "Ministre de l'Europe et des Affaires étrangères", FRANCE,
     ("Madame la Ministre de l'Europe et des Affaires étrangères",
      "Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay", "75351 PARIS CEDEX 07", "FRANCE")),
    ("fr", "", "female", "ambassadrice de France", ("Unter den Linden 40", "10117 Berlin", "Germany"),
     ("Madame l'Ambassadrice de France", "Unter den Linden 40", "10117 Berlin", "ALLEMAGNE")),
    # no gender, no title line: civility unknown, the name as given
    ("fr", "Dr.", "", "Ministre", FRANCE[1:], ("Dr. Ann Lee", "Ministre", "37, quai d'Orsay", "75351 PARIS CEDEX 07",
                                               "FRANCE")),
    # in an English letter to France: the English name line, France's postal lines
    ("en", "Dr.", "", "Minister", FRANCE,
     ("Dr. Ann Lee", "Minister", "Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay",
      "75351 PARIS CEDEX 07", "FRANCE")),
    # the Council of Europe's own style, as it writes it; the country in capitals
    ("en", "Dr.", "", "President of the Committee of Ministers", COE,
     ("Dr. Ann Lee", "President of the Committee of Ministers", *COE[:-1], "FRANCE")),
    ("fr", "", "male", "Président du Comité des Ministres", COE,
     ("Monsieur le Président du Comité des Ministres", *COE[:-1], "FRANCE")),
    # Germany: DIN 5008's "Herrn" line in a German letter, the lines as given
    ("de", "Dr.", "male", "Bundesminister", ("Werderscher Markt 1", "10117 Berlin"),
     ("Herrn", "Dr. Ann Lee", "Bundesminister", "Werderscher Markt 1", "10117 Berlin")),
    ("de", "", "female", "", ("Rue de la Loi 200", "1049 Brüssel", "Belgium"),  # the country in German
     ("Frau", "Ann Lee", "Rue de la Loi 200", "1049 Brüssel", "BELGIEN")),
    # a country without rules here (Belgium): as given, the country in capitals
    ("en", "", "", "President", ("Rue de la Loi 200", "1049 Brussels", "Belgium"),
     ("Ann Lee", "President", "Rue de la Loi 200", "1049 Brussels", "BELGIUM")),
    # a last line that names no country known here: as given
    ("en", "", "", "", ("1 Example Square", "Veloria City", "Republic of Veloria"),
     ("Ann Lee", "1 Example Square", "Veloria City", "Republic of Veloria")),
])
def test_the_address_block_follows_the_country_it_goes_to(language, honorific, gender, office, address, expected):
    assert address_block(language, _recipient(honorific, gender, language), office, address, ("Bonn",)) == expected


def test_a_french_letter_makes_no_title_of_an_office_written_in_another_language():
    """An English recipient without French words: name and office as given, no "Monsieur le President of …"."""
    english = _recipient("", "male")
    assert address_block("fr", english, "President of the Committee of Ministers", COE, ("Bonn",)) == (
        "Monsieur Ann Lee", "President of the Committee of Ministers", *COE[:-1], "FRANCE")
    translated = replace(english, translations={"fr": RecipientWords(office="Président du Comité des Ministres")})
    assert address_block("fr", translated, "Président du Comité des Ministres", COE, ("Bonn",))[0] == (
        "Monsieur le Président du Comité des Ministres")


@pytest.mark.parametrize(("sender", "address", "expected"), [
    # domestic post: no country line (DIN 5008, La Poste, Royal Mail)
    (("Adenauerallee 1", "53113 Bonn", "Germany"), ("Werderscher Markt 1", "10117 Berlin", "Germany"),
     ("Werderscher Markt 1", "10117 Berlin")),
    (("12 rue de la Paix", "75002 Paris", "France"), FRANCE, (*FRANCE[:2], "75351 PARIS CEDEX 07")),
    (("1 Harbour Lane", "Leeds LS1 4AP"), UK, (*UK[:2], "LONDON", "SW1A 2AH")),  # the sender's UK postcode
    # from abroad, or from a sender whose address names no country: the country in capitals
    (("12 rue de la Paix", "75002 Paris", "France"), ("Werderscher Markt 1", "10117 Berlin", "Germany"),
     ("Werderscher Markt 1", "10117 Berlin", "GERMANY")),
    ((), ("x", "UK"), ("x", "UK")),  # a name of the country in the letter's language is kept: UK
])
def test_the_country_line_is_in_capitals_for_post_from_abroad_and_left_out_at_home(sender, address, expected):
    assert address_block("en", _recipient("", ""), "", address, sender)[1:] == expected


@pytest.mark.parametrize(("language", "honorific", "gender", "office", "expected"), [
    ("fr", "M.", "", "Ministre de l'Intérieur", "Monsieur le Ministre de l'Intérieur"),
    ("fr", "", "female", "présidente de la Commission européenne", "Madame la Présidente de la Commission européenne"),
    ("fr", "", "male", "Ambassadeur de France en Allemagne", "Monsieur l'Ambassadeur de France en Allemagne"),
    ("fr", "", "female", "Haute Commissaire aux droits de l'homme",  # an aspirated h: no elision
     "Madame la Haute Commissaire aux droits de l'homme"),
    ("fr", "", "male", "Monsieur le Maire de Strasbourg", "Monsieur le Maire de Strasbourg"),  # already a title
    ("fr", "", "", "Ministre", ""),  # the gender unknown: no title
    ("fr", "", "male", "", ""),
    ("en", "Mr", "male", "Minister", ""),  # English and German letters have no title line
    ("de", "", "male", "Bundesminister", ""),
])
def test_a_french_title_line_takes_civility_and_article_from_the_gender(language, honorific, gender, office,
                                                                          expected):
    assert title_line(language, office, honorific, gender) == expected


@pytest.mark.parametrize(("address", "country"), [
    (UK, "GB"), (("Downing Street", "London SW1A 2AA"), "GB"), (("x", "Vereinigtes Königreich"), "GB"),
    (FRANCE, "FR"), (("x", "Frankreich"), "FR"), (("x", "Fransa"), "FR"), (COE, "FR"),
    (("Werderscher Markt 1", "10117 Berlin", "Germany"), "DE"), (("10117 Berlin",), ""), ((), ""),
])
def test_the_country_is_read_from_the_last_line_or_a_uk_postcode(address, country):
    assert address_country(address) == country


def test_a_letter_to_london_has_the_uk_block_in_the_docx_and_the_pdf(tmp_path):
    """The scaffold's recipient moved to London: both writers print the block the same way."""
    root = tmp_path / "ws"
    init_workspace(root)
    recipient = root / "recipients" / "example-minister.yaml"
    text = recipient.read_text()
    text = text.replace("  - 1 Example Square\n  - Veloria City\n  - Republic of Veloria\n",
                        "  - 102 Petty France\n  - London SW1H 9AJ\n  - United Kingdom\n")
    assert "London SW1H 9AJ" in text
    recipient.write_text(text)
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, next((root / "campaigns").glob("*.yaml")))
    result = build(workspace, campaign, tmp_path / "out", jobs=1)
    assert not result.failed and not result.refused
    [outcome] = result.letters
    files = {o.format: o.path for o in outcome.outputs}
    expected = ["Dr Alex Sample", "Minister of Justice", "Ministry of Justice", "102 Petty France", "LONDON",
                "SW1H 9AJ", "UNITED KINGDOM"]
    document = docx.Document(str(files["docx"]))
    assert [p.text for p in document.paragraphs if p.style.name == "Recipient Address"] == expected
    page = pdfium.PdfDocument(str(files["pdf"]))[0].get_textpage().get_text_range().splitlines()
    lines = [line.strip() for line in page]
    at = lines.index("Dr Alex Sample")
    assert lines[at:at + len(expected)] == expected


FRENCH_MINISTER = """\
office: Ministre de l'Europe et des Affaires étrangères
institution: Ministère de l'Europe et des Affaires étrangères
holder:
  name: Claude Exemple
  honorific: M.
term:
  from: 2025-01-01
  source: {title: Décret portant nomination, publisher: Journal officiel}
role: minister
address: [Ministère de l'Europe et des Affaires étrangères, "37, quai d'Orsay", 75351 Paris Cedex 07, France]
language: fr
"""
UK_SECRETARY = """\
office: Foreign Secretary
institution: Foreign, Commonwealth & Development Office
holder: {name: Ann Example, honorific: Dr.}
term:
  from: 2025-01-01
  source: {title: Ministerial appointment, publisher: GOV.UK}
salutation: Dear Foreign Secretary,
address: ["Foreign, Commonwealth & Development Office", King Charles Street, London SW1A 2AH, United Kingdom]
language: en
"""
BLOCKS_CAMPAIGN = """\
id: blocks
title: Address blocks
date: 2025-10-01
place: Bonn
organisation: asimkom
closing: Yours sincerely,
subject: Political prisoners in Azerbaijan
signatories: [{name: The Coordinating Board of ASİMKOM}]
translations:
  fr: {subject: Les prisonniers politiques en Azerbaïdjan}
letters:
  - {template: lettre.md, recipient: fr-foreign-minister, language: fr}
  - {template: lettre.md, recipient: coe-cm-chair, language: fr, id: coe-fr}
  - {template: lettre.md, recipient: uk-foreign-secretary}
"""
#: each letter's address block, subject, salutation and closing as a recipient reads them
BLOCKS = {
    "lettre--fr-foreign-minister": (
        "Bonn, le 1er octobre 2025",
        ["Monsieur le Ministre de l’Europe et des Affaires étrangères",
         "Ministère de l’Europe et des Affaires étrangères", "37, quai d’Orsay", "75351 PARIS CEDEX 07", "FRANCE"],
        "Objet\u00a0: Les prisonniers politiques en Azerbaïdjan", "Monsieur le Ministre,",
        "Veuillez agréer, Monsieur le Ministre, l’expression de notre haute considération."),
    "coe-fr": (  # the Council of Europe's own style, in French
        "Bonn, le 1er octobre 2025",
        ["Monsieur le Président du Comité des Ministres", "Conseil de l’Europe", "Avenue de l’Europe",
         "F-67075 Strasbourg Cedex", "FRANCE"],
        "Objet\u00a0: Les prisonniers politiques en Azerbaïdjan", "Monsieur le Président,",
        "Veuillez agréer, Monsieur le Président, l’expression de notre haute considération."),
    "lettre--uk-foreign-secretary": (
        "Bonn, 1 October 2025",
        ["Dr Ann Example", "Foreign Secretary", "Foreign, Commonwealth & Development Office",
         "King Charles Street", "LONDON", "SW1A 2AH", "UNITED KINGDOM"],
        "Political prisoners in Azerbaijan", "Dear Foreign Secretary,", "Yours sincerely,"),
}


@pytest.fixture(scope="module")
def blocks_build(tmp_path_factory):
    """The example workspace with a French and a UK recipient, and the CoE's chair written to in French."""
    root = copy_example(tmp_path_factory.mktemp("blocks") / "ws")
    (root / "recipients" / "fr-foreign-minister.yaml").write_text(FRENCH_MINISTER, encoding="utf-8")
    (root / "recipients" / "uk-foreign-secretary.yaml").write_text(UK_SECRETARY, encoding="utf-8")
    (root / "templates" / "lettre.fr.md").write_text("Nous vous écrivons au nom de nos membres.\n", encoding="utf-8")
    (root / "templates" / "lettre.md").write_text("We write on behalf of our members.\n", encoding="utf-8")
    (root / "campaigns" / "blocks.yaml").write_text(BLOCKS_CAMPAIGN, encoding="utf-8")
    mark_translations(root)
    workspace = load_workspace(root)
    result = build(workspace, load_campaign_file(workspace, root / "campaigns" / "blocks.yaml"),
                   root / "out", jobs=1)
    assert not result.failed and not result.refused, [str(o.error) for o in result.failed]
    return {outcome.id: {o.format: o.path for o in outcome.outputs} for outcome in result.letters}


def _docx_frame(path) -> tuple[str, list[str], str, str, str]:
    paragraphs = docx.Document(str(path)).paragraphs

    def styled(name: str) -> list[str]:
        return [p.text for p in paragraphs if p.style.name == name]

    return (styled("Place and Date")[0], styled("Recipient Address"), styled("Subject")[0],
            styled("Salutation")[0], styled("Closing")[0])


def _pdf_lines(path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _assert_pdf_has(path, place_date: str, block: list[str], subject: str, salutation: str, closing: str) -> None:
    lines = _pdf_lines(path)
    at = lines.index(" ".join(block[0].split()))
    assert lines[at:at + len(block)] == [" ".join(line.split()) for line in block]
    assert " ".join(place_date.split()) in lines
    text = " ".join(lines)  # a long subject or closing may take two lines
    for line in (subject, salutation, closing):
        assert " ".join(line.split()) in text


@pytest.mark.parametrize("letter_id", sorted(BLOCKS))
def test_french_and_uk_blocks_are_the_same_in_the_docx_and_the_pdf(blocks_build, letter_id):
    expected = BLOCKS[letter_id]
    assert _docx_frame(blocks_build[letter_id]["docx"]) == (expected[0], expected[1], *expected[2:])
    _assert_pdf_has(blocks_build[letter_id]["pdf"], *expected)


@pytest.mark.parametrize(("letter_id", "expected"), [
    # DIN 5008 in the German letter: "Herrn" above the name; the German address names no country
    ("appeal-de-foreign-minister--de-foreign-minister--de",
     ("Bonn, 25. Oktober 2025",
      ["Herrn", "Dr. Johann David Wadephul", "Bundesminister des Auswärtigen", "Auswärtiges Amt",
       "Werderscher Markt 1", "10117 Berlin"],
      "Politische Gefangene, Abschiebungen und transnationale Repression durch die aserbaidschanischen Behörden",
      "Sehr geehrter Herr Bundesminister,", "Mit freundlichen Grüßen")),
    # the English letter to Berlin: the sender's address names no country, so the country in capitals
    ("appeal-de-foreign-minister--de-foreign-minister",
     ("Bonn, 25 October 2025",
      ["Dr. Johann David Wadephul", "Federal Minister for Foreign Affairs", "Auswärtiges Amt",
       "Werderscher Markt 1", "10117 Berlin", "GERMANY"],
      "Political prisoners, deportations and transnational repression by the Azerbaijani authorities",
      "Dear Minister,", "Yours sincerely,")),
    ("appeal-coe-committee-of-ministers--coe-cm-chair",
     ("Bonn, 25 October 2025",
      ["Dr. Ian Borg", "President of the Committee of Ministers", "Council of Europe", "Avenue de l’Europe",
       "F-67075 Strasbourg Cedex", "FRANCE"],
      "Requests to the Committee of Ministers concerning human rights in Azerbaijan", "Dear Mr. President,",
      "Yours sincerely,")),
])
def test_the_example_letters_blocks_in_the_docx_and_the_pdf(example_build, letter_id, expected):
    [outcome] = [o for o in example_build.letters if o.id == letter_id]
    files = {o.format: o.path for o in outcome.outputs}
    assert _docx_frame(files["docx"]) == (expected[0], expected[1], *expected[2:])
    _assert_pdf_has(files["pdf"], *expected)


def test_a_domestic_french_letter_from_the_scaffold_has_no_country_line(tmp_path):
    """The init scaffold, sent from Paris to a minister in Paris in French: the title line by the
    holder's gender, "Objet :", the closing repeating the salutation, and no country line."""
    root = tmp_path / "ws"
    init_workspace(root)
    people = root / "people" / "example.yaml"
    people.write_text(people.read_text().replace("address: [12 Harbour Lane, Veloria City 4010]",
                                                 "address: [12 rue de la Paix, 75002 Paris, France]"))
    recipient = root / "recipients" / "example-minister.yaml"
    text = recipient.read_text()
    for old, new in (("Minister of Justice ", "Ministre de la Justice "), ("Ministry of Justice ", "Ministère de la Justice "),
                     ("Dear Minister,", "Madame la Ministre,"), ("language: en", "language: fr\ngender: female"),
                     ("  - Ministry of Justice\n", "  - Ministère de la Justice\n"),
                     ("  - 1 Example Square\n  - Veloria City\n  - Republic of Veloria\n",
                      "  - 13, place Vendôme\n  - 75042 Paris Cedex 01\n  - France\n")):
        assert old in text
        text = text.replace(old, new)
    recipient.write_text(text)
    (root / "templates" / "appeal.md").write_text("We write about the journalists held in detention.\n")
    (root / "templates" / "appeal.fr.md").write_text("Nous vous écrivons au sujet des journalistes détenus.\n")
    campaign_file = root / "campaigns" / "example.yaml"
    campaign_file.write_text(campaign_file.read_text() + "translations:\n  fr: {subject: Journalistes détenus}\n")
    mark_translations(root)
    workspace = load_workspace(root)
    result = build(workspace, load_campaign_file(workspace, campaign_file), tmp_path / "out", jobs=1)
    assert not result.failed and not result.refused, [str(o.check) for o in result.refused]
    [outcome] = result.letters
    files = {o.format: o.path for o in outcome.outputs}
    expected = ("Veloria City, le 1er mars 2026", ["Madame la Ministre de la Justice", "Ministère de la Justice",
                                                   "13, place Vendôme", "75042 PARIS CEDEX 01"],
                "Objet\u00a0: Journalistes détenus", "Madame la Ministre,",
                "Veuillez agréer, Madame la Ministre, l’expression de notre haute considération.")
    assert _docx_frame(files["docx"]) == (expected[0], expected[1], *expected[2:])
    _assert_pdf_has(files["pdf"], *expected)
