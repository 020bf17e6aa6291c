"""The recipient's address block in the usual style of the country it goes to, from the one
home (`rules.language` tables, `render.letter_frame.address_block`), the same in DOCX and PDF."""

from __future__ import annotations

import datetime

import docx
import pypdfium2 as pdfium
import pytest

from appealkit.batch.build import build
from appealkit.render.letter_frame import address_block
from appealkit.rules.language import address_country
from appealkit.scaffold_init import init_workspace
from appealkit.source.campaign import load_campaign_file
from appealkit.source.records import Recipient, Term
from appealkit.source.workspace import load_workspace


def _recipient(honorific: str = "Dr.", gender: str = "") -> Recipient:
    return Recipient(id="r", office="", holder_name="Ann Lee", salutation="Dear Minister,", address=(),
                     language="en", term=Term(datetime.date(2025, 1, 1)), honorific=honorific, gender=gender)


UK = ("Foreign, Commonwealth & Development Office", "King Charles Street", "London SW1A 2AH", "United Kingdom")
FRANCE = ("Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay", "75351 Paris Cedex 07", "France")
COE = ("Council of Europe", "Avenue de l'Europe", "F-67075 Strasbourg Cedex", "France")


@pytest.mark.parametrize(("language", "honorific", "gender", "office", "address", "expected"), [
    # the UK: honorific with the name (no full stop), no form line, post town in capitals, postcode alone
    ("en", "Dr.", "female", "Foreign Secretary", UK,
     ("Dr Ann Lee", "Foreign Secretary", "Foreign, Commonwealth & Development Office", "King Charles Street",
      "LONDON", "SW1A 2AH", "United Kingdom")),
    ("de", "Dr.", "female", "Außenministerin", UK,  # no "Frau" line: the UK's block has none
     ("Dr Ann Lee", "Außenministerin", "Foreign, Commonwealth & Development Office", "King Charles Street",
      "LONDON", "SW1A 2AH", "United Kingdom")),
    (  # the post town already on its own line above the postcode
     "en", "Ms", "", "", ("1 High Street", "Oxford", "OX1 1AA"), ("Ms Ann Lee", "1 High Street", "OXFORD", "OX1 1AA")),
    # France in a French letter: "Madame" in full, postcode and town in capitals
    ("fr", "Mme", "", "Ministre de l'Europe et des Affaires étrangères", FRANCE,
     ("Madame Ann Lee", "Ministre de l'Europe et des Affaires étrangères",
      "Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay", "75351 PARIS CEDEX 07", "France")),
    # in an English letter to France: the English name line, France's postal lines
    ("en", "Dr.", "", "Minister", FRANCE,
     ("Dr. Ann Lee", "Minister", "Ministère de l'Europe et des Affaires étrangères", "37, quai d'Orsay",
      "75351 PARIS CEDEX 07", "France")),
    # the Council of Europe's own style, as it writes it
    ("en", "Dr.", "", "President of the Committee of Ministers", COE,
     ("Dr. Ann Lee", "President of the Committee of Ministers", *COE)),
    ("fr", "", "male", "Président du Comité des Ministres", COE,
     ("Monsieur Ann Lee", "Président du Comité des Ministres", *COE)),
    # Germany: DIN 5008's "Herrn" line in a German letter, the lines as given
    ("de", "Dr.", "male", "Bundesminister", ("Werderscher Markt 1", "10117 Berlin"),
     ("Herrn", "Dr. Ann Lee", "Bundesminister", "Werderscher Markt 1", "10117 Berlin")),
    # a country without rules here (Belgium): as given
    ("en", "", "", "President", ("Rue de la Loi 200", "1049 Brussels", "Belgium"),
     ("Ann Lee", "President", "Rue de la Loi 200", "1049 Brussels", "Belgium")),
])
def test_the_address_block_follows_the_country_it_goes_to(language, honorific, gender, office, address, expected):
    assert address_block(language, _recipient(honorific, gender), office, address) == expected


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
                "SW1H 9AJ", "United Kingdom"]
    document = docx.Document(str(files["docx"]))
    assert [p.text for p in document.paragraphs if p.style.name == "Recipient Address"] == expected
    page = pdfium.PdfDocument(str(files["pdf"]))[0].get_textpage().get_text_range().splitlines()
    lines = [line.strip() for line in page]
    at = lines.index("Dr Alex Sample")
    assert lines[at:at + len(expected)] == expected
