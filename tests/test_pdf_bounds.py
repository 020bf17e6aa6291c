"""A PDF measured before pdfium reads it: each bound refuses with one sentence, a true letter
passes them all, and a stream that many pages share is decoded once."""

from __future__ import annotations

import hostile_pdfs
import pytest
from hostile_pdfs import FONT, pages_pdf, raw_pdf, stream, text

from appealkit.read import pdf_bounds
from appealkit.read.pdf_bounds import measure
from appealkit.read.read_pdf import read_pdf
from appealkit.source.regular_files import Untrusted


def test_a_letter_passes_every_bound_and_is_read():
    raw = hostile_pdfs.letter("About 350 political prisoners are held.")
    budget = measure(raw)
    assert (budget.pages, budget.text_objects) == (1, 1)
    assert [p.text for p in read_pdf(raw)] == ["About 350 political prisoners are held."]


def test_a_stream_that_many_pages_share_is_decoded_once_and_counted_for_each_page():
    raw = hostile_pdfs.shared_stream(pages=50, size=200_000)
    budget = measure(raw)
    assert budget.pages == 50
    assert budget.decoded_bytes < 201_000
    assert budget.content_bytes > 50 * 199_000
    assert len(read_pdf(raw)) == 50


def test_forms_are_counted_through_their_invocations_without_being_expanded():
    budget = measure(hostile_pdfs.nested_forms(depth=3, width=10))
    assert budget.per_page[0].invocations == 1 + 10 + 100 + 1000
    assert budget.per_page[0].text == 1000
    assert budget.per_page[0].depth == 4


@pytest.mark.parametrize(("make", "message"), [
    (lambda: hostile_pdfs.nested_forms(depth=14, width=1),
     "page 1 nests form XObjects more than 12 deep; audit refuses it"),
    (lambda: hostile_pdfs.nested_forms(depth=4, width=10),
     "page 1 draws more than 5,000 form XObjects; audit refuses it"),
    (lambda: hostile_pdfs.text_operations(200_001), "page 1 holds more than 200,000 text objects; audit refuses it"),
    (lambda: hostile_pdfs.inflation_bomb(pdf_bounds.MAX_STREAM_BYTES + 1),
     "a stream on page 1 decodes to more than 64 MB; audit refuses it"),
    (lambda: hostile_pdfs.shared_stream(pages=300, size=1_000_000),
     "its pages decode to more than 256 MB of content together; audit refuses it"),
])
def test_each_bound_refuses_with_one_sentence(make, message):
    with pytest.raises(Untrusted) as refused:
        measure(make())
    assert str(refused.value) == message


def test_a_form_that_draws_itself_is_refused():
    form = stream(b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 4 0 R >> >>")
    raw = pages_pdf([5], [form, stream(b"/X Do")], b"<< /XObject << /X 4 0 R >> >>")
    with pytest.raises(Untrusted, match=r"^a form XObject on page 1 draws itself; audit refuses it$"):
        measure(raw)


def test_a_declared_page_count_past_the_bound_is_refused_before_the_tree_is_walked():
    raw = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 99999999 >>", FONT])
    with pytest.raises(Untrusted, match=r"^it has 99,999,999 pages, more than 2,000$"):
        measure(raw)


def test_damaged_data_is_refused_as_unreadable():
    with pytest.raises(Untrusted, match=r"^it is not a readable PDF: its data is damaged"):
        measure(b"%PDF-1.7\n" + b"\x00" * 100)


def test_pdfium_text_past_the_bounds_of_one_page_is_refused_while_read(monkeypatch):
    monkeypatch.setattr(pdf_bounds, "MAX_PAGE_CHARS", 20)
    raw = pages_pdf([4, 5], [stream(text("short")), stream(text("a line longer than twenty characters"))])
    with pytest.raises(Untrusted, match=r"^page 2 holds more than 20 characters; audit refuses it$"):
        read_pdf(raw)


def test_many_separate_runs_of_text_on_one_page_are_refused_while_read():
    row = b"(a) Tj 5 0 Td " * 100
    grid = b"BT /F1 2 Tf 5 835 Td " + b"".join(row + b"-500 -7 Td " for _ in range(100)) + b"ET"
    with pytest.raises(Untrusted, match=r"^page 1 holds 29,998 characters in 10,000 separate runs, more than can "
                                        r"be read in bounded time; audit refuses it$"):
        read_pdf(pages_pdf([4], [stream(grid)]))


def test_a_page_tree_that_lists_more_entries_than_the_bound_is_refused_though_it_declares_one_page():
    kids = b" ".join([b"4 0 R"] * (pdf_bounds.MAX_PAGE_TREE_ENTRIES + 1))
    raw = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids, FONT,
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])
    with pytest.raises(Untrusted, match=r"^it has more than 2,000 pages$"):
        measure(raw)


def test_a_page_tree_that_holds_itself_is_walked_once():
    raw = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 1 >>", FONT,
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 3 0 R >> >> >>", stream(text())])
    assert measure(raw).pages == 1


def test_resources_a_page_inherits_from_its_tree_are_measured():
    raw = hostile_pdfs.nested_forms(depth=4, width=10).replace(
        b"/Type /Pages /Kids", b"/Type /Pages /Resources << /XObject << /X 8 0 R >> >> /Kids").replace(
        b"/Resources << /XObject << /X 8 0 R >> >> /Contents", b"/Contents")
    assert b"/Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents" in raw
    with pytest.raises(Untrusted, match=r"^page 1 draws more than 5,000 form XObjects; audit refuses it$"):
        measure(raw)


def test_a_tree_node_with_contents_of_its_own_is_measured_as_a_page():
    raw = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [4 0 R] /Count 1 /Contents 5 0 R >>", FONT,
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                   stream(b"BT /F1 1 Tf " + b"(a) Tj " * (pdf_bounds.MAX_TEXT_OBJECTS + 1) + b"ET")])
    with pytest.raises(Untrusted, match=r"^page 1 holds more than 200,000 text objects; audit refuses it$"):
        measure(raw)


def hex_stream(compressed: bytes) -> bytes:
    """A content stream under two filters (hex text around Flate data), which pypdf decodes."""
    body = compressed.hex().encode() + b">"
    return (b"<< /Length %d /Filter [/ASCIIHexDecode /FlateDecode] >>\nstream\n" % len(body)
            + body + b"\nendstream")


def test_a_stream_under_a_chain_of_filters_is_decoded_within_the_bound():
    import zlib

    letter = pages_pdf([4], [hex_stream(zlib.compress(text()))])
    assert measure(letter).per_page[0].text == 1
    assert [p.text for p in read_pdf(letter)] == ["About 350 political prisoners are held."]
    bomb = pages_pdf([4], [hex_stream(hostile_pdfs.inflating_to(pdf_bounds.MAX_STREAM_BYTES + 1))])
    with pytest.raises(Untrusted, match=r"^a stream on page 1 decodes to more than 64 MB; audit refuses it$"):
        measure(bomb)


def test_flate_data_cut_short_is_still_measured():
    import zlib

    data = zlib.compress(text() + b" " * 100_000)[:-30]
    budget = measure(pages_pdf([4], [stream(b"", compressed=data)]))
    assert budget.per_page[0].text == 1
