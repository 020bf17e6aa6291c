"""Audit 1,000 one-page letters (half plain text, half DOCX) and 300 one-page PDFs against the
example workspace.

Targets: 1,000 text and DOCX letters under 3 s; 300 PDFs under 6 s. Prints wall-clock and CPU
time (the CPU time is what counts on a shared machine), the PDF reader against pypdf and against
poppler's pdftotext on the same files (the ratio is the figure to quote, with the load average).
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

from appealkit.checks.audit import audit
from appealkit.render.document import Block, Letter, Run, letter_text
from appealkit.render.letters import LAYOUT, make_environment
from appealkit.source.workspace import load_workspace
from appealkit.write import pdf_writer
from appealkit.write.docx_writer import write_docx

ROOT = Path(__file__).resolve().parent.parent
LETTERS = 1000
PDFS = 300

PARAGRAPHS = [
    "We write on behalf of ASİMKOM about the {prisoners} political prisoners held in Azerbaijan today, "
    "among them more than 40 journalists, nine women among them.",
    "Six political activists – Samir Ashurov, Mutallim Orucov, Malik Rzayev, Punhan Karimli, Jafar Mirzayev "
    "and Emin Malikov – were handed over to the authorities in Baku under the readmission agreement.",
    "In the years from 2021 to 2024 four political refugees were killed in Europe, {vuqar} among them, and "
    "{mirzali} has survived three attacks in France; nine people now stand trial for the plot.",
    "The land borders have been closed since 2020, which has robbed 10 million citizens of their right to "
    "move freely. Article 2 of Protocol No. 4 to the Convention guarantees that right.",
    "We ask you to raise these cases with the authorities in Baku before the end of the year, and we thank "
    "you for your attention to letter number {number}.",
]


def letter(number: int) -> Letter:
    drift = number % 4
    values = {
        "prisoners": ("about 400", "nearly 400", "nearly 350", "approximately 400")[drift],
        "vuqar": ("Vuqar Rzayev", "Vugar Rzayev", "Vuqar Rzayev", "Vüqar Rzayev")[drift],
        "mirzali": ("Mohammad Mirzali", "Mohammed Mirzali", "Mohammad Mirzali", "Mohammad Mirzali")[drift],
        "number": number,
    }
    body = tuple(Block("paragraph", (Run(p.format(**values)),)) for p in PARAGRAPHS)
    return Letter(
        id=f"letter-{number}", language="en", date=datetime.date(2025, 10, 25),
        sender=("ASİMKOM", "Coordination Center of Azerbaijani Political Refugees"),
        place_date="Bonn, 25 October 2025", recipient=("Dr. Johann David Wadephul", "Federal Minister"),
        subject="Appeal on political prisoners in Azerbaijan", salutation="Dear Minister,", body=body,
        closing="Yours sincerely,")


def _timed(workspace, paths):
    wall, cpu = time.perf_counter(), time.process_time()
    result = audit(workspace, paths)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _kinds(result) -> str:
    kinds: dict[str, int] = {}
    for finding in result.findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    return ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))


def _pypdf_seconds(paths: list[Path]) -> float:
    from pypdf import PdfReader

    started = time.process_time()
    for path in paths:
        for page in PdfReader(path).pages:
            page.extract_text()
    return time.process_time() - started


def _pdftotext_seconds(paths: list[Path]) -> float | None:
    """CPU time of poppler's pdftotext on the same files (children's time), None when it is absent."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    before = os.times()
    for path in paths:
        subprocess.run([tool, "-q", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    workspace = load_workspace(ROOT)
    layout = make_environment(ROOT).get_template(LAYOUT)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        paths = []
        template = {n: write_docx(letter(n)) for n in range(8)}
        for number in range(LETTERS):
            if number % 2:
                path = Path(folder) / f"letter-{number:04}.docx"
                path.write_bytes(template[number % 8])
            else:
                path = Path(folder) / f"letter-{number:04}.txt"
                path.write_text(letter_text(letter(number)), encoding="utf-8")
            paths.append(path)
        layouts = Path(layout.filename).parent
        pdfs = {n: pdf_writer.html_to_pdf(pdf_writer.letter_html(letter(n), layout), layouts)
                for n in range(4)}
        pdf_paths = []
        for number in range(PDFS):
            path = Path(folder) / f"letter-{number:04}.pdf"
            path.write_bytes(pdfs[number % 4])
            pdf_paths.append(path)
        generated = time.perf_counter() - started
        result, seconds, cpu = _timed(workspace, paths)
        pdf_result, pdf_seconds, pdf_cpu = _timed(workspace, pdf_paths)
        pypdf = _pypdf_seconds(pdf_paths[:30]) * PDFS / 30
        poppler = _pdftotext_seconds(pdf_paths)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"generated {LETTERS} letters ({LETTERS // 2} .txt, {LETTERS // 2} .docx) and {PDFS} PDFs "
          f"in {generated:.2f} s")
    print(f"audited {result.files} text and DOCX letters in {seconds:.2f} s (CPU {cpu:.2f} s; "
          f"{cpu / LETTERS * 1000:.2f} ms a letter; target < 3 s)")
    print("findings: " + _kinds(result))
    print(f"audited {pdf_result.files} one-page PDFs in {pdf_seconds:.2f} s (CPU {pdf_cpu:.2f} s; "
          f"{pdf_cpu / PDFS * 1000:.2f} ms a letter; target < 6 s); pypdf's text extraction alone would "
          f"take {pypdf:.2f} s CPU")
    print("findings: " + _kinds(pdf_result))
    if poppler:
        print(f"pdftotext on the same {PDFS} PDFs: CPU {poppler:.2f} s; the audit takes "
              f"{pdf_cpu / poppler:.2f}× as long")
    sys.exit(0 if cpu < 3 and pdf_cpu < 6 else 1)


if __name__ == "__main__":
    main()
