"""Attachment names as an institution's registry reads them, safe on Windows and macOS."""

from __future__ import annotations

import pytest

from appealkit.send.attachment_names import attachment_name

FIELDS = {"date": "2025-10-25", "organisation": "ASİMKOM", "office": "President of the European Commission",
          "subject": "Appeal", "recipient": "Dr Ursula von der Leyen", "letter": "appeal--ec-president"}


def test_the_default_name_is_date_organisation_and_office():
    assert attachment_name("", "pdf", **FIELDS) == "2025-10-25 ASİMKOM – President of the European Commission.pdf"


@pytest.mark.parametrize(("office", "expected"), [
    ('Minister: "Foreign" Affairs / Europe?', "2025-10-25 ASİMKOM – Minister Foreign Affairs Europe.pdf"),
    ("Ministre des Affaires étrangères.", "2025-10-25 ASİMKOM – Ministre des Affaires étrangères.pdf"),
    ("Office\u202eevil\x07", "2025-10-25 ASİMKOM – Office evil.pdf"),
    ("Ministe\u0301r", "2025-10-25 ASİMKOM – Ministér.pdf"),  # decomposed (macOS) made whole
])
def test_characters_windows_or_macos_refuse_are_left_out(office, expected):
    assert attachment_name("", "pdf", **{**FIELDS, "office": office}) == expected


def test_a_long_office_is_cut_at_a_word_and_a_reserved_name_is_avoided():
    long = attachment_name("{office}", "pdf", **{**FIELDS, "office": "Committee " * 30})
    assert len(long) <= 124 and long.endswith("Committee.pdf")
    assert attachment_name("{office}", "docx", **{**FIELDS, "office": "CON"}) == "appeal--ec-president CON.docx"


def test_a_campaign_pattern_may_use_the_subject():
    assert attachment_name("{date} {subject}", "pdf", **FIELDS) == "2025-10-25 Appeal.pdf"
