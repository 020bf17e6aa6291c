from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import MINISTER_ENDING, REPO, docx_text, make_workspace, pdf_text, words

from appealkit.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented_with_an_example(command):
    help_text = cli.commands[command].help or ""
    assert help_text.strip() and "Example: appealkit " in help_text
    assert run(command, "--help").exit_code == 0


def test_build_prints_each_letter_and_where_they_are(tmp_path):
    make_workspace(tmp_path)
    result = run("--root", str(tmp_path), "build", "campaigns/test.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "built   appeal--minister  (pdf)"
    assert lines[1].startswith("1 built, 0 unchanged, 0 refused, 0 failed in ")
    assert lines[1].endswith(f" s: {tmp_path / 'build' / 'test'}/ (manifest: {tmp_path / 'build' / 'test' / 'manifest.json'})")
    assert (tmp_path / "build" / "test" / "appeal--minister.pdf").is_file()


def test_build_out_option(tmp_path):
    make_workspace(tmp_path / "ws")
    result = run("--root", str(tmp_path / "ws"), "build", "test", "--format", "docx", "--out",
                 str(tmp_path / "elsewhere"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == [
        "appeal--minister.docx", "index.html", "manifest.json", "test.zip"]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["build", "test", "--format", "odt"], "--format: error: unknown format 'odt' (use docx, pdf or docx,pdf)", 2),
        (["build", "nothing.yaml"], "nothing.yaml: error: no such campaign file (campaigns here: test)", 1),
        (["build", "test", "--allow", "fact-age:nobody"],
         "--allow: error: no letter 'nobody' in campaign 'test' (letters: appeal--minister)", 2),
        (["build", "test", "--allow", "fact-age"], "--allow: error: no letter in 'fact-age' (write fact-age:LETTER_ID)", 2),
        (["build", "test", "--format", ","], "--format: error: unknown format ',' (use docx, pdf or docx,pdf)", 2),
    ],
)
def test_build_usage_errors(tmp_path, args, message, code):
    make_workspace(tmp_path)
    result = run("--root", str(tmp_path), *args)
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message]


def test_facts_table_shows_cited_values_and_letters(tmp_path):
    make_workspace(tmp_path)
    result = run("--root", str(tmp_path), "facts")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "CITED", "AS", "AS", "OF", "SOURCES", "LETTERS"]
    row = next(line for line in lines if line.startswith("political_prisoners "))
    assert row.split("  ")[0] == "political_prisoners"
    assert "about 400 political prisoners" in row and "2025-10-25" in row and row.endswith("1")
    assert any(line.startswith("journalists.women ") and "9 women" in line for line in lines)


def test_facts_json(tmp_path):
    make_workspace(tmp_path)
    result = run("--root", str(tmp_path), "facts", "--format", "json")
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["deported"] == {"id": "deported", "cited": "2 activists", "as_of": "2025-10-25",
                                "sources": 1, "letters": ["test/appeal--minister"]}


def test_init_makes_a_workspace_that_builds_at_once(tmp_path):
    target = tmp_path / "new"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    for folder in ("facts", "people", "recipients", "templates", "campaigns"):
        assert list((target / folder).glob("*")), folder
    assert (target / "templates" / "layout" / "letter.html").is_file()
    built = run("--root", str(target), "build", "campaigns/example.yaml")
    assert built.exit_code == 0, built.output
    out = target / "build" / "example"
    docx_files, pdf_files = sorted(out.glob("*--*.docx")), sorted(out.glob("*--*.pdf"))
    assert len(docx_files) == len(pdf_files) >= 1
    assert words(docx_text(docx_files[0]))[:40] in words(pdf_text(pdf_files[0]))
    assert run("--root", str(target), "facts").exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'x'}: error: the folder already exists and is not empty (choose a new folder name)"]
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_init_offers_no_option_that_means_nothing_to_it(tmp_path):
    result = run("init", str(tmp_path / "x"), "--strict")
    assert result.exit_code == 2
    assert "No such option" in result.stderr and "--strict" in result.stderr
    assert not (tmp_path / "x").exists()
    assert "--root" not in run("init", "--help").output


def test_python_dash_m_and_errors_without_traceback(tmp_path):
    make_workspace(tmp_path, {"templates/appeal.md": "{{ fact('nope') }}\n"})
    proc = subprocess.run([sys.executable, "-m", "appealkit", "--root", str(tmp_path), "build", "test"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 1
    assert proc.stderr == "templates/appeal.md:1: error: unknown fact 'nope' (facts are defined in facts/*.yaml)\n"
    assert proc.stdout.startswith("failed  appeal--minister\n")


NOT_A_WORKSPACE = ("not an appealkit workspace (no facts/ or campaigns/ here or above; "
                   "run appealkit init DIR or pass --root DIR)")


@pytest.mark.parametrize("args", [["check"], ["build", "campaigns/test.yaml"], ["facts"], ["diff"],
                                  ["audit", "letter.txt"], ["--strict", "check"], ["check", "--strict"]])
def test_every_command_outside_a_workspace_exits_2(tmp_path, monkeypatch, args):
    (tmp_path / "letter.txt").write_text("About 400 political prisoners.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [NOT_A_WORKSPACE]


def test_a_command_finds_the_workspace_from_a_folder_inside_it(tmp_path, monkeypatch):
    make_workspace(tmp_path)
    monkeypatch.chdir(tmp_path / "facts")
    result = run("build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "test" / "appeal--minister.docx").is_file()


def test_root_and_strict_after_the_command_name(tmp_path):
    make_workspace(tmp_path, {"recipients/minister.yaml": MINISTER_ENDING})
    before = run("--strict", "--root", str(tmp_path), "check")
    after = run("check", "--root", str(tmp_path), "--strict")
    assert before.exit_code == after.exit_code == 1
    assert before.stderr == after.stderr
    assert after.stderr.splitlines()[-1] == (
        "--strict: error: 1 warning(s) treated as errors (fix the warnings above or leave out --strict)")
    assert run("check", "--root", str(tmp_path)).exit_code == 0


def test_root_that_is_not_a_workspace_exits_2(tmp_path):
    result = run("check", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path}: not an appealkit workspace (no facts/ or campaigns/ in it; run appealkit init DIR "
        "or pass the folder that holds them)"]


def test_build_help_lists_every_kind_a_letter_may_be_allowed():
    from appealkit.checks.findings import ALLOWABLE

    result = CliRunner().invoke(cli, ["build", "--help"], terminal_width=400)
    assert result.exit_code == 0
    assert f"Kinds: {', '.join(ALLOWABLE)}." in " ".join(result.output.split())
