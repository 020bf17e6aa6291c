"""Every part of a Word file is read and located: body and tables in document order, notes,
headers, footers, text boxes, content controls, field results, comments and tracked changes."""

from __future__ import annotations

import io
import zipfile

import pytest
from audit_corpus import DOCX_SHAPES, WORKSPACE, Case, docx_bytes

from appealkit.checks.audit import audit
from appealkit.read.read_docx import read_docx
from appealkit.read.untrusted import Untrusted
from appealkit.source.workspace import load_workspace


def _cases(count: int) -> list[Case]:
    return [Case(f"c{n}", "en", "unrelated", f"Passage number {n} stands here.") for n in range(count)]


def test_each_part_is_read_and_named():
    passages = read_docx(docx_bytes(_cases(len(DOCX_SHAPES))))
    where = {p.text: (p.line, p.part, p.comment) for p in passages}
    first = {shape: DOCX_SHAPES.index(shape) for shape in DOCX_SHAPES}
    text = {shape: f"Passage number {n} stands here." for shape, n in first.items()}
    assert where[text["body"]] == (2, "", False)
    assert where[text["table"]] == (None, "table 1, row 1, cell 1", False)
    assert where[text["footnote"]] == (None, "footnote 1", False)
    assert where[text["endnote"]] == (None, "endnote 1", False)
    assert where[text["textbox"]] == (None, "text box 1", False)
    assert where[text["sdt"]][1:] == ("", False)
    assert where[text["field"]][1:] == ("", False)
    assert where[text["header"]] == (None, "header", False)
    assert where[text["footer"]] == (None, "footer", False)
    assert where[text["comment"]] == (None, "comment 1 by Reviewer", True)
    assert not any("DOCPROPERTY" in p.text for p in passages)


def test_paragraphs_after_a_table_keep_their_document_order_number():
    passages = read_docx(docx_bytes(_cases(len(DOCX_SHAPES))))
    body = [(p.line, p.text) for p in passages if p.line is not None]
    numbers = [line for line, _ in body]
    assert numbers == sorted(numbers)
    # heading 1, first passage 2, the table cell 3, the footnote marker 4: the next body passage is 5
    assert (5, "Passage number 3 stands here.") in body


def test_tracked_change_is_read_as_accepted_and_reported_with_its_author(tmp_path):
    case = Case("t", "en", "drift", "Our records list nearly 450 political prisoners in all.",
                kind="figure-mismatch", fact="political_prisoners",
                was="Our records list about 400 political prisoners in all.")
    path = tmp_path / "tracked.docx"
    path.write_bytes(docx_bytes([case]))
    findings = audit(load_workspace(WORKSPACE), [path]).findings
    assert [(f.line, f.kind, f.found) for f in findings] == [(2, "figure-mismatch", "nearly 450")]
    assert findings[0].message == (
        "'nearly 450' political prisoners, but the fact 'political_prisoners' says about 400 "
        "(in a tracked change by Reviewer: about 400 → nearly 450)")
    assert findings[0].hint == "write 'about 400'"


def test_a_finding_in_a_table_cell_is_located_by_cell(tmp_path):
    cases = [Case(f"c{n}", "en", "unrelated", f"Filler {n}.") for n in range(len(DOCX_SHAPES))]
    cases[1] = Case("cell", "en", "drift", "We count 41 journalists in prison.")
    path = tmp_path / "table.docx"
    path.write_bytes(docx_bytes(cases))
    findings = audit(load_workspace(WORKSPACE), [path]).findings
    assert [f.where for f in findings] == [f"{path}:table 1, row 1, cell 1"]


def test_a_deleted_figure_is_not_audited():
    case = Case("d", "en", "agree", "About 400 political prisoners.", was="Nearly 350 political prisoners.")
    assert [p.text for p in read_docx(docx_bytes([case])) if "prisoners" in p.text] == [
        "About 400 political prisoners."]


def test_a_package_without_a_body_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                              'wordprocessingml/2006/main"/>')
    with pytest.raises(Untrusted, match="holds no document body"):
        read_docx(buffer.getvalue())


def test_json_names_the_part(tmp_path):
    import json

    from appealkit.checks.findings import format_json

    cases = [Case(f"c{n}", "en", "unrelated", f"Filler {n}.") for n in range(len(DOCX_SHAPES))]
    cases[2] = Case("note", "en", "drift", "We count 41 journalists in prison.")
    path = tmp_path / "note.docx"
    path.write_bytes(docx_bytes(cases))
    findings = audit(load_workspace(WORKSPACE), [path]).findings
    item = json.loads(format_json(findings, 1))["findings"][0]
    assert (item["line"], item["part"], item["found"], item["hint"]) == (None, "footnote 1", "41", "write 'more than 40'")


def test_a_table_row_of_a_label_and_a_figure_is_one_statement(tmp_path):
    """'Political prisoners │ about 350' in a Word table is read as 'Political prisoners: about 350'."""
    import docx
    from helpers import REPO

    from appealkit.checks.audit import audit
    from appealkit.source.workspace import load_workspace

    document = docx.Document()
    document.add_paragraph("Figures from the conference")
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in enumerate([("Political prisoners", "about 350"),
                                          ("Journalists in prison", "more than 40"),
                                          ("Women journalists", "nine")]):
        table.cell(row, 0).text, table.cell(row, 1).text = label, value
    path = tmp_path / "table.docx"
    document.save(str(path))
    [finding] = audit(load_workspace(REPO), [path]).findings
    assert (finding.part, finding.kind, finding.found, finding.expected, finding.quote) == (
        "table 1, row 1", "figure-mismatch", "about 350", "about 400", "Political prisoners: about 350")
