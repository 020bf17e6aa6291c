"""A machine without Pango, or without any font: the DOCX letters are still written, each PDF is one
line naming the fix, nothing crashes; check, audit of DOCX and text letters, and diff work as before.

Each case runs the real command in a subprocess on a machine made to lack the library
(`machine_helpers`): the dynamic loader cannot load libpango, or fontconfig lists no font.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import docx
import pytest
from helpers import REPO
from machine_helpers import run_without_fonts, run_without_pango

from appealkit.system_packages import install_command

LETTERS = ["appeal-coe-committee-of-ministers--coe-cm-chair", "appeal-de-foreign-minister--de-foreign-minister",
           "appeal-ec-president--ec-president"]
GIT = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


@pytest.fixture
def bonn(tmp_path):
    """The example workspace, copied, under git."""
    root = tmp_path / "bonn"
    for folder in ("facts", "people", "recipients", "templates", "campaigns"):
        shutil.copytree(REPO / folder, root / folder)
    env = {**os.environ, **GIT}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "bonn"]):
        subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
    return root


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def assert_no_crash(done: subprocess.CompletedProcess) -> None:
    assert done.returncode in (0, 1), (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert "WeasyPrint could not import" not in done.stdout + done.stderr  # its banner, never shown


def test_without_pango_every_docx_is_written_and_each_pdf_is_one_line(bonn, tmp_path):
    done = run_without_pango(["build", "campaigns/bonn-2025.yaml"], bonn, tmp_path)
    assert_no_crash(done)
    assert done.returncode == 1
    out = bonn / "build" / "bonn-2025"
    docx_files = sorted(out.glob("*.docx"))
    assert len(docx_files) == 5 and not list(out.glob("*.pdf"))
    for path in docx_files:
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert "ASİMKOM" in text and "400" in text
    expected = ("PDF: error: not written: WeasyPrint cannot load Pango (libpango-1.0-0) "
                f"(install it: {install_command('pango')}; `appealkit doctor` checks the rest)")
    assert error_lines(done.stderr) == [expected] * 5
    assert done.stdout.count("failed  ") == 5
    assert "5 built, 0 unchanged, 0 refused, 5 failed" in done.stdout


@pytest.mark.slow
def test_without_pango_check_audit_and_diff_work(bonn, tmp_path):
    done = run_without_pango(["build", "--format", "docx"], bonn, tmp_path)
    assert (done.returncode, error_lines(done.stderr)) == (0, []), done.stderr
    check = run_without_pango(["check"], bonn, tmp_path)
    with_pango = subprocess.run([sys.executable, "-m", "appealkit", "check"], cwd=bonn, capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (check.stdout, check.stderr) == (with_pango.stdout, with_pango.stderr)
    letters = [f"build/bonn-2025/{name}.docx" for name in LETTERS] + [
        str(REPO / "tests" / "golden" / f"{LETTERS[2]}.txt")]
    audit = run_without_pango(["audit", *letters], bonn, tmp_path)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "audited 4 files: no findings" in audit.stderr
    facts = bonn / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("value: 400", "value: 375", 1), encoding="utf-8")
    diff = run_without_pango(["diff"], bonn, tmp_path)
    assert diff.returncode == 1, diff.stderr  # something changed
    assert "about [-400-] {+375+} political prisoners" in diff.stdout
    assert_no_crash(diff)


def test_without_fonts_the_build_stops_before_weasyprint_lays_out(bonn, tmp_path):
    done = run_without_fonts(["build", "campaigns/bonn-2025.yaml"], bonn, tmp_path)
    assert_no_crash(done)  # it used to end in a segmentation fault (exit code 139)
    assert done.returncode == 1
    out = bonn / "build" / "bonn-2025"
    assert len(list(out.glob("*.docx"))) == 5 and not list(out.glob("*.pdf"))
    expected = ("PDF: error: not written: fontconfig finds no font on this machine, its configuration "
                "(FONTCONFIG_FILE, else /etc/fonts) lists none "
                f"(install the letters' fonts: {install_command('fonts')}; `appealkit doctor` checks the rest)")
    assert error_lines(done.stderr) == [expected] * 5


def test_no_writer_loads_weasyprint_before_pdf_support_has_looked():
    """Importing the writers, the build's workers and the preview leaves WeasyPrint unloaded: only
    `load_weasyprint` loads it, so no module can bring back the banner or the crash."""
    code = ("import sys; import appealkit.write.pdf_writer, appealkit.write.docx_writer, "
            "appealkit.batch.letter_jobs, appealkit.serve.preview, appealkit.doctor.diagnose; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == "[]"
