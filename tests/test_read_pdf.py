"""PDF letters are read as paragraphs rebuilt from the layout: across forced line breaks,
columns and pages, with hyphenated words joined, each line keeping its page and number."""

from __future__ import annotations

import weasyprint

from appealkit.read.read_pdf import read_pdf

PAGE = "@page { size: 110mm 90mm; margin: 10mm; @bottom-center { content: counter(page); } }"


def pdf(body: str, css: str = "") -> bytes:
    html = (f'<html lang="en"><head><style>{PAGE} body {{ font-family: "DejaVu Serif"; font-size: 9pt; }}'
            f" p {{ margin: 0 0 3mm 0; }} {css}</style></head><body>{body}</body></html>")
    return weasyprint.HTML(string=html).write_pdf()


def texts(raw: bytes) -> list[str]:
    return [" ".join(p.text.split()) for p in read_pdf(raw)]


def test_a_forced_line_break_does_not_end_the_paragraph():
    raw = pdf("<p>The delegation spoke of more<br>than forty detained reporters and their families.</p>"
              "<p>A second paragraph follows here.</p>")
    assert texts(raw)[:2] == ["The delegation spoke of more than forty detained reporters and their families.",
                              "A second paragraph follows here."]


def test_two_justified_hyphenated_columns_read_in_order_with_words_joined():
    words = " ".join(f"Internationalisation{n} considerations" for n in range(30))
    raw = pdf(f"<p>{words}</p><p>Closing remark.</p>",
              "body { columns: 2; column-gap: 5mm; text-align: justify; hyphens: auto; }")
    found = texts(raw)
    assert found[0] == words
    assert found[1] == "Closing remark."


def test_a_paragraph_goes_on_over_a_page_break_and_lines_keep_their_pages():
    words = " ".join(f"word{n}" for n in range(400))
    passages = read_pdf(pdf(f"<p>{words}</p>"))
    body = [p for p in passages if not p.text.strip().isdigit()]
    assert [" ".join(p.text.split()) for p in body] == [words]
    pages = body[0].line_pages
    assert pages[0] == 1 and pages[-1] > 1 and list(pages) == sorted(pages)
    at = body[0].text.index("word399")
    assert body[0].page_at(at) == pages[-1]
    assert body[0].line_at(at) == body[0].line_numbers[-1]


def test_page_numbers_stand_alone():
    passages = read_pdf(pdf("<p>Only one short paragraph.</p>"))
    assert [p.text for p in passages] == ["Only one short paragraph.", "1"]


def test_indented_paragraphs_without_space_between_are_apart():
    raw = pdf("<p>First paragraph with enough words to fill the line and run onto a second line here.</p>"
              "<p>Second paragraph, also long enough to need a second line in this narrow page.</p>",
              "p { margin: 0; text-indent: 6mm; }")
    assert len(texts(raw)) == 3  # two paragraphs and the page number


def test_narrow_table_cells_are_read_whole_and_in_order():
    raw = pdf("<p>At a glance, a table of what we know and what we do not know yet:</p>"
              "<table style='width:100%'><tr>"
              "<td style='width:20%'>Detained</td><td style='width:30%'>Our count is close to 410 reporters in all.</td>"
              "<td style='width:20%'>Exiled</td><td>Twelve writers left the country this spring.</td></tr></table>"
              "<p>Closing line of the page, written long enough to run across the table's width.</p>")
    found = texts(raw)
    assert found[:3] == ["At a glance, a table of what we know and what we do not know yet:", "Detained",
                         "Our count is close to 410 reporters in all."]
    assert "Our count is close to 410 reporters in all." in found
    assert "Twelve writers left the country this spring." in found
    assert found.index("Our count is close to 410 reporters in all.") < found.index(
        "Twelve writers left the country this spring.")


def test_a_name_broken_by_a_forced_line_break_is_no_heading():
    """'Blogger Mohammed⏎Mirzali survived…': the short first line is set like the next, at the line
    pitch; a heading ('Appeal') stands apart by the space after it."""
    raw = pdf("<p>Appeal</p><p>Blogger Mohammed<br>Mirzali survived three attacks in France, and nine "
              "people now stand trial for the plot against him.</p>")
    assert texts(raw)[:2] == [
        "Appeal", "Blogger Mohammed Mirzali survived three attacks in France, and nine people now stand "
        "trial for the plot against him."]
