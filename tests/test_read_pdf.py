"""PDF letters are read as paragraphs rebuilt from the layout: across forced line breaks,
columns and pages, with hyphenated words joined, each line keeping its page and number."""

from __future__ import annotations

import pytest
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


# --- table rows, words set in pieces, page:line (issue 20, items 7 and 8) --------------------------

def _audit(path):
    from helpers import REPO

    from appealkit.checks.audit import audit
    from appealkit.source.workspace import load_workspace

    return audit(load_workspace(REPO), [path]).findings


def _libreoffice_pdf(docx_path, tmp_path):
    """The Word file printed to PDF by LibreOffice, as an organiser's office suite would."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(docx_path)], check=True, capture_output=True, timeout=300)
    return tmp_path / "lo" / (docx_path.stem + ".pdf")


def _layout_row(path, page: int, line: int) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [row for row in out.splitlines() if row.strip()][line - 1]


TABLE = [("Political prisoners", "about 350"), ("Journalists in prison", "more than 40"), ("Women journalists", "nine")]


def test_a_pdf_table_row_of_a_label_and_a_figure_is_one_statement(tmp_path):
    """'Political prisoners │ about 350' in a WeasyPrint table: read and located like the Word table row."""
    rows = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in TABLE)
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf("<p>What the monitors counted this autumn, in short:</p>"
                         f"<table style='width:100%'>{rows}</table><p>With our thanks.</p>"))
    assert texts(path.read_bytes())[:4] == ["What the monitors counted this autumn, in short:",
                                            "Political prisoners: about 350", "Journalists in prison: more than 40",
                                            "Women journalists: nine"]
    [finding] = _audit(path)
    assert (finding.kind, finding.found, finding.expected, finding.quote) == (
        "figure-mismatch", "about 350", "about 400", "Political prisoners: about 350")
    assert (finding.page, finding.line) == (1, 2)
    assert "about 350" in _layout_row(path, 1, 2)


def test_a_word_table_printed_by_libreoffice_is_read_row_by_row(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("What the monitors counted this autumn, in short, for the delegation to read first:")
    table = document.add_table(rows=len(TABLE), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in enumerate(TABLE):
        table.cell(row, 0).text, table.cell(row, 1).text = label, value
    document.add_paragraph("With our thanks to everyone who wrote to the prisoners and their families this year.")
    source = tmp_path / "table.docx"
    document.save(str(source))
    path = _libreoffice_pdf(source, tmp_path)
    found = texts(path.read_bytes())
    assert found[1:4] == ["Political prisoners: about 350", "Journalists in prison: more than 40",
                          "Women journalists: nine"]
    [finding] = _audit(path)
    assert (finding.kind, finding.found, finding.quote) == ("figure-mismatch", "about 350",
                                                            "Political prisoners: about 350")
    assert "Political prisoners" in _layout_row(path, finding.page, finding.line)


def test_two_justified_columns_of_short_lines_are_never_table_rows():
    """Narrow columns put a line without a digit beside a short line with one; they are no table row."""
    left = ("The political prisoners of the country wait for a fair trial while their families look on and "
            "the lawyers who defend them are harassed and disbarred one after the other ")
    right = ("In the spring 12 journalists were arrested, 9 of them women, and 3 more followed in the summer "
             "after 2 raids on the last independent newsroom of the capital ")
    raw = pdf(f"<p>{left * 2}</p><p>{right * 2}</p>",
              "body { columns: 2; column-gap: 6mm; text-align: justify; font-size: 8pt; }")
    found = [t for t in texts(raw) if not t.isdigit()]
    assert found == [" ".join((left * 2).split()), " ".join((right * 2).split())]


def test_a_word_set_in_pieces_is_read_whole():
    """A name with a part in bold is one word, not 'Rza yev'; a word space stays a space."""
    raw = pdf("<p>The court in Ghent heard that Vuqar Rza<b>yev</b> was followed for weeks, and that "
              "Punhan Keri<i>mli</i> was questioned on his return.</p>")
    assert texts(raw)[0] == ("The court in Ghent heard that Vuqar Rzayev was followed for weeks, and that "
                             "Punhan Kerimli was questioned on his return.")


def test_a_word_in_two_runs_printed_by_libreoffice_is_read_whole(tmp_path):
    """Word keeps a name in two runs when part of it was typed later; LibreOffice prints each run as its own
    piece of text, so a reader joining pieces with a space read 'Rza yev' and 'Keri mli'."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for number, piece in enumerate(["The court in Ghent heard that Vugar Rza", "yev", " was followed for weeks "
                                    "before the attack, and that Punhan Keri", "mli", " was questioned at length "
                                    "on his return to Baku by officers who would not give their names."]):
        paragraph.add_run(piece).bold = number % 2 == 1
    source = tmp_path / "pieces.docx"
    document.save(str(source))
    path = _libreoffice_pdf(source, tmp_path)
    text = texts(path.read_bytes())[0]
    assert "Vugar Rzayev was followed" in text and "Punhan Kerimli was questioned" in text
    findings = {f.found: f for f in _audit(path) if f.kind == "name-variant"}
    assert set(findings) == {"Vugar Rzayev", "Punhan Kerimli"}
    for finding in findings.values():
        assert finding.found.split()[-1] in _layout_row(path, finding.page, finding.line)


def test_a_running_head_is_a_row_of_its_page(tmp_path):
    """Lines are counted down the page as it is printed, the running head too."""
    path = tmp_path / "head.pdf"
    path.write_bytes(pdf("<p>Appeal of the association to the delegation</p><p>Our country holds some 380 "
                         "political prisoners today, the monitors say in their autumn report.</p>",
                         "@page { @top-center { content: 'Association for civil rights'; } }"))
    [finding] = _audit(path)
    assert finding.found == "some 380"
    assert "380" in _layout_row(path, finding.page, finding.line)
    assert finding.line >= 3


def test_a_one_word_heading_set_at_the_line_pitch_stays_a_heading():
    """LibreOffice sets a heading paragraph like the text after it; a one-word line before "Human rights
    groups…" is the heading, not a name broken by a forced line break."""
    raw = pdf("<p style='margin:0'>Appeal</p><p>Human rights groups now count some 450 political prisoners "
              "in the jails of the country.</p>")
    assert texts(raw)[:2] == ["Appeal", "Human rights groups now count some 450 political prisoners in the "
                              "jails of the country."]
