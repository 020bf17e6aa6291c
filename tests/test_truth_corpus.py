"""The truth corpus (tests/data/truth_corpus/): facts that share a noun, partial lists, text pasted
from PDFs, inflected names, qualifiers after the number, in every format, LibreOffice's PDFs too.

A case held to its label fails here until the audit gets it right; the cases the audit does not yet
read (listed in OPEN, each with why) are expected to fail, strictly, so a fix must take them off.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from audit_corpus import FORMATS, TRUTH, Score, in_format, libreoffice_pdfs, load_cases, write_documents

from appealkit.checks.audit import audit
from appealkit.source.workspace import load_workspace

CASES = load_cases(corpus=TRUTH)
#: Cases the audit does not read yet, and why.
OPEN: dict[str, str] = {}
LIBREOFFICE = "pdf (LibreOffice)"


def _scores(folder) -> dict[str, Score]:
    documents = write_documents(CASES, folder)
    if shutil.which("soffice"):
        documents[LIBREOFFICE] = libreoffice_pdfs(CASES, folder)
    workspace = load_workspace(TRUTH / "workspace")
    result = {}
    for fmt, paths in documents.items():
        outcome = audit(workspace, paths)
        assert outcome.unreadable == ()
        score = Score(in_format(CASES, fmt))
        score.add(outcome.findings)
        result[fmt] = score
    return result


@pytest.fixture(scope="module")
def scores(once_per_run) -> dict[str, Score]:
    """The corpus written, converted and audited once a run (conftest.py), not once a batch of tests."""
    return once_per_run("truth-corpus", _scores)


def _held_to_label(score: Score, case) -> None:
    if case.label == "drift":
        assert score.found(case), [(f.kind, f.fact, f.found) for f in score.assigned[case.id]]
    assert [(f.severity, f.kind, f.fact, f.found) for f in score.wrong(case)] == []


def _params(fmt: str):
    for case in in_format(CASES, fmt):
        marks = [pytest.mark.xfail(reason=OPEN[case.id], strict=True)] if case.id in OPEN else []
        yield pytest.param(fmt, case, id=f"{fmt}-{case.id}", marks=marks)


@pytest.mark.parametrize(("fmt", "case"), [p for fmt in FORMATS for p in _params(fmt)])
def test_case_gets_what_its_label_says(scores, fmt, case):
    _held_to_label(scores[fmt], case)


@pytest.mark.parametrize(("fmt", "case"), list(_params("pdf")))
def test_libreoffice_pdfs_read_like_weasyprint_ones(scores, fmt, case):
    if LIBREOFFICE not in scores:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    _held_to_label(scores[LIBREOFFICE], case)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_finding_falls_outside_the_cases(scores, fmt):
    assert [str(f) for f in scores[fmt].stray] == []


def _layout_rows(path: str, page: int) -> list[str]:
    """The text rows of one page as poppler lays it out (`pdftotext -layout`), blank rows left out."""
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"],
                         capture_output=True, text=True, check=True).stdout
    return [row for row in out.splitlines() if row.strip()]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "")


def _sits_on(token: str, row: str) -> bool:
    """The token stands on the row, or starts at its end, broken by a hyphen ("400-⏎odd")."""
    row = _plain(row).rstrip()
    return token in row or any(row.endswith(token[:k] + "-") or (token[k - 1] == "-" and row.endswith(token[:k]))
                               for k in range(2, len(token)))


@pytest.mark.parametrize("fmt", ["pdf", LIBREOFFICE])
def test_every_pdf_finding_names_the_row_its_text_stands_on(scores, fmt):
    """FILE:PAGE:LINE of a PDF finding is the row where its figure or name stands, as poppler lays the
    page out: side by side text (two columns, a table row) shares a row's number, a running head or
    a page number counts as a row, and a word set in pieces or a table label beside it moves nothing."""
    if fmt not in scores:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed: apt-get install poppler-utils")
    score = scores[fmt]
    located = [f for fs in (*score.assigned.values(), score.stray) for f in fs if f.page is not None]
    assert len(located) >= 15  # every drift case of the PDFs, and the notes
    wrong = []
    for finding in located:
        rows = _layout_rows(finding.file, finding.page)
        token = _plain(finding.found).split()[0]
        row = rows[finding.line - 1] if finding.line and finding.line <= len(rows) else ""
        if not _sits_on(token, row):
            wrong.append((finding.page, finding.line, finding.found,
                          [n for n, r in enumerate(rows, start=1) if _sits_on(token, r)]))
    assert wrong == []
