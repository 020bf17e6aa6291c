"""Hostile input: text that looks like markup stays text, names cannot climb out of build/,
layouts cannot reach files or the network, templates cannot run away, and no command touches
the source of truth."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
from pathlib import Path

import hostile_pdfs
import httpx2
import pytest
from click.testing import CliRunner
from helpers import (
    HANG_SECONDS,
    MINIMAL,
    REPO,
    bounded_run,
    docx_text,
    make_workspace,
    pdf_words,
    serve_process,
    words,
)
from send_helpers import approved, send_workspace
from starlette.testclient import TestClient

from appealkit.cli import cli
from appealkit.errors import WorkspaceError
from appealkit.render.letters import DEFAULT_LAYOUT_DIR
from appealkit.serve.app import create_app
from appealkit.serve.preview import Preview
from appealkit.source.yamlsource import load_yaml

SOURCE = ("facts", "people", "recipients", "templates", "campaigns")
HOSTILE_LINES = [
    "<script>alert(1)</script>",
    "<img src=file:///etc/passwd>",
    "<b>Ali</b> & Co",
    "<style>body{display:none}</style>",
]


def invoke(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def test_markup_from_yaml_and_markdown_stays_literal_in_docx_and_pdf(tmp_path):
    recipient = MINIMAL["recipients/minister.yaml"].replace(
        "person: jane_minister", "name: \"<b>Ali</b> & Co\"").replace(
        "Dear Minister,", "\"<script>alert(1)</script>\"")
    body = "Intro.\n\n" + "\n\n".join(HOSTILE_LINES) + "\n\n{{ recipient.holder }}\n"
    make_workspace(tmp_path, {"recipients/minister.yaml": recipient, "templates/appeal.md": body})
    # "alert(1)" is a typed figure to the checks: allowed here, where the markup is the point
    result = invoke(tmp_path, "build", "campaigns/test.yaml", "--allow", "typed-figure:appeal--minister")
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "test"
    docx = docx_text(out / "appeal--minister.docx").splitlines()
    pdf = pdf_words(out / "appeal--minister.pdf")
    for line in [*HOSTILE_LINES, "Dr. <b>Ali</b> & Co"]:
        assert line in docx
        assert words(line) in pdf
    assert "alert(1)" in pdf and "display:none" in pdf


@pytest.mark.timeout(HANG_SECONDS)
def test_layout_urls_outside_the_layout_are_refused_without_waiting_on_the_network(tmp_path, monkeypatch):
    layout = REPO / "appealkit" / "scaffold" / "templates" / "layout"
    css = (layout / "letter.css").read_text(encoding="utf-8")
    make_workspace(tmp_path, {
        "templates/layout/letter.html": (layout / "letter.html").read_text(encoding="utf-8"),
        "templates/layout/letter.css": "@import url(http://10.255.255.1/slow.css);\n"
        "@font-face { font-family: Evil; src: url(https://10.255.255.1/evil.woff); }\n"
        "body { background: url(file:///etc/passwd); }\n"
        ".subject { background: url(../snippets/deported.md); }\n" + css,
    })
    connections = []  # not a stand-in: the build runs for real, any attempt to connect is recorded

    def connect(self, address):
        connections.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    result = invoke(tmp_path, "build", "campaigns/test.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    refused = [line.split(" (")[0] for line in result.stderr.splitlines()]
    prefix = "warning: templates/layout/letter.html: refused to load "
    assert sorted(refused) == sorted([
        prefix + "http://10.255.255.1/slow.css",
        prefix + "https://10.255.255.1/evil.woff",
        prefix + "file:///etc/passwd",
        prefix + (tmp_path / "templates" / "snippets" / "deported.md").as_uri(),
    ])
    assert connections == []  # nothing was waited on: no connection was even tried
    assert "root:" not in pdf_words(tmp_path / "build" / "test" / "appeal--minister.pdf")


@pytest.mark.parametrize(("text", "cap"), [
    ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested more than 50 levels deep"),
    ("x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "nested more than 50 levels deep"),
    ("x: [" + ",".join(["1"] * 900_000) + "]\n", "holds more than 10000 values"),
    ("".join(f"k{i}: {i}\n" for i in range(120_000)), "holds more than 10000 values"),
])
@pytest.mark.timeout(HANG_SECONDS)
def test_hostile_yaml_is_refused_by_a_cap(tmp_path, text, cap):
    # Fast because bounded: loading stops at a cap on depth or values, whatever follows in the file
    # (benchmarks/hostile_input.py measures how fast).
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size < 2_000_000
    with pytest.raises(WorkspaceError) as caught:
        load_yaml(path, "x.yaml")
    assert len(str(caught.value).splitlines()) == 1
    assert cap in str(caught.value)


def test_strict_passes_a_clean_build(tmp_path):
    make_workspace(tmp_path)
    result = invoke(tmp_path, "--strict", "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_no_command_changes_the_source_of_truth_or_writes_outside_build(tmp_path, monkeypatch):
    root = tmp_path / "ws"
    for folder in SOURCE:
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.chdir(root)
    before = _hashes(root)
    commands = [
        ["build", "campaigns/bonn-2025.yaml"],
        ["build", "bonn-2025", "--format", "docx", "--out", "build/again"],
        ["facts"],
        ["facts", "--format", "json", "--campaign", "campaigns/bonn-2025.yaml"],
        ["init", "build/new-workspace"],
        ["check"],
        ["check", "campaigns/bonn-2025.yaml", "--format", "json"],
        ["audit", "build/bonn-2025/*.docx", "build/bonn-2025/*.pdf"],
        ["diff", "dir:.", "dir:.", "--format", "json", "--docx-redline", "build/redlines"],
        ["serve"],
        ["approve", "campaigns/bonn-2025.yaml", "--by", "A Reviewer"],
        ["status", "campaigns/bonn-2025.yaml", "--format", "json"],
        ["send", "campaigns/bonn-2025.yaml", "--dry-run"],
        ["sent", "--format", "json"],
        ["reply", "--help"],  # nothing was sent here (a dry run): a reply is refused, and tested in test_replies.py
        ["translations"],
        ["import", "build/bonn-2025/appeal-ec-president--ec-president.docx", "--into", "build/imported"],
        ["doctor"],
    ]
    assert {c[0] for c in commands} == set(cli.commands)
    for command in commands:
        if command[0] == "serve":  # runs until stopped: every page and file asked for once
            _visit_every_page(root)
            continue
        if command[0] == "audit":
            command = ["audit", *sorted(str(p) for g in command[1:] for p in root.glob(g))]
            assert len(command) > 2
        result = invoke(root, *command)
        assert result.exit_code == 0, (command, result.output)
    after = _hashes(root)
    # approve records its sign-off in approvals/, by design; nothing else outside build/ changes
    assert {k: v for k, v in after.items() if not k.startswith(("build/", "approvals/"))} == before
    assert [k for k in after if k.startswith("approvals/")] == ["approvals/bonn-2025.yaml"]
    assert (root / "build" / "bonn-2025" / "manifest.json").is_file()
    assert (root / "build" / "new-workspace" / "campaigns" / "example.yaml").is_file()


def _visit_every_page(root: Path) -> None:
    letter = "bonn-2025/appeal-ec-president--ec-president"
    with serve_process(root) as url, httpx2.Client(timeout=60) as http:
        for path in ("/", f"/letters/{letter}", f"/download/{letter}.pdf", f"/download/{letter}.docx",
                     "/review", "/version", "/layout/letter.css"):
            assert http.get(url + path).status_code == 200, path


def test_a_failing_letter_leaves_no_old_files_beside_the_fresh_ones(tmp_path):
    make_workspace(tmp_path)
    assert invoke(tmp_path, "build", "campaigns/test.yaml").exit_code == 0
    out = tmp_path / "build" / "test"
    (tmp_path / "templates" / "appeal.md").write_text("{{ fact('nothing') }}\n", encoding="utf-8")
    result = invoke(tmp_path, "build", "campaigns/test.yaml")
    assert result.exit_code == 1
    assert "templates/appeal.md:1: error: unknown fact 'nothing'" in result.stderr
    for name in ("appeal--minister.docx", "appeal--minister.pdf"):
        assert not (out / name).exists()  # an old letter with old figures is not sent by mistake
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def numbers(size: int, phrases: bool) -> str:
    """`size` characters of figures: bare numbers, or numbers before the nouns of facts, no sentence end."""
    pieces, length, number = [], 0, 0
    while length < size:
        number += 1
        piece = (f"nearly {300 + number % 150} political prisoners, {number % 60} journalists and "
                 f"{number % 13} women, between {number % 7} and {number % 50} refugees; ") if phrases \
            else f"{number % 997} "
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)[:size]


@pytest.mark.slow
def test_a_megabyte_of_numbers_is_audited_in_bounded_memory(tmp_path):
    """Half bare numbers, half figures with the nouns of facts, no sentence end: every figure
    once looked for its sentence from the start, and 1 MB never finished."""
    letter = tmp_path / "numbers.txt"
    letter.write_text(numbers(500_000, False) + numbers(500_000, True), encoding="utf-8")
    run = bounded_run("--root", str(REPO), "audit", str(letter))
    assert run.code == 1, run.err[-2000:]
    assert re.fullmatch(r"audited 1 file: [\d,]+ errors?, [\d,]+ warnings?(, [\d,]+ notes?)?", run.lines[-1]), run.lines[-1]
    assert run.peak_bytes < 400_000_000


PDF_CASES = {
    "inflation": (hostile_pdfs.inflation_bomb,
                  "a stream on page 1 decodes to more than 64 MB; audit refuses it"),
    "forms": (hostile_pdfs.nested_forms, "page 1 draws more than 5,000 form XObjects; audit refuses it"),
    "text-operations": (hostile_pdfs.text_operations,
                        "page 1 holds more than 200,000 text objects; audit refuses it"),
    "shared-stream": (hostile_pdfs.shared_stream,
                      "a stream on page 1 decodes to more than 64 MB; audit refuses it"),
}


@pytest.mark.parametrize("name", sorted(PDF_CASES))
def test_a_pdf_past_a_bound_is_one_line_in_bounded_memory_and_the_other_letters_are_audited(tmp_path, name):
    make, reason = PDF_CASES[name]
    hostile, other = tmp_path / f"{name}.pdf", tmp_path / "other.pdf"
    hostile.write_bytes(make())
    other.write_bytes(hostile_pdfs.letter("About 350 political prisoners are held."))
    run = bounded_run("--root", str(REPO), "audit", str(hostile), str(other))
    assert run.code == 2, run.err[-2000:]
    assert run.lines[0] == f"{hostile}: error: cannot read the PDF file ({reason})"
    assert any(line.startswith(f"{other}:1:1: ") and "350" in line for line in run.lines), run.lines
    assert "Traceback" not in run.err
    assert run.peak_bytes < 500_000_000


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_diff_never_runs_a_filter_the_repository_configures(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / ".gitattributes").write_text("* filter=evil\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    marker = tmp_path / "smudged"
    git(root, "config", "filter.evil.smudge", f"touch {marker}; cat")
    git(root, "config", "filter.evil.required", "true")
    result = invoke(root, "diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert re.match(r"1 letters?: 0 changed", result.stdout.splitlines()[-1]), result.stdout
    assert not marker.exists()


@pytest.mark.parametrize(("revision", "message"), [
    ("a" * 300, "error: a revision or folder name of 300 characters, more than 255"),
    ("x" * 100_000, "error: a revision or folder name of 100,000 characters, more than 255"),
    ("HEAD\nx", "HEAD\\nx: error: a revision or folder name with a control character"),
    ("dir:" + "é" * 200, "error: no such workspace folder"),
])
def test_every_diff_failure_is_one_line_and_exit_code_2(tmp_path, revision, message):
    root = make_workspace(tmp_path / "ws")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    result = invoke(root, "diff", revision)
    lines = result.output.splitlines()
    assert (result.exit_code, len(lines)) == (2, 1), result.output
    assert message in lines[0]


def _status(url: str, target: bytes) -> bytes:
    """The status line the real server sends for a raw request line (no client library tidies it)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        return connection.makefile("rb").readline().strip()


def test_the_real_server_answers_malformed_requests_with_4xx(tmp_path):
    root = make_workspace(tmp_path / "ws")
    git(root, "init", "-q")
    with serve_process(root) as url:
        answers = {target: _status(url, target) for target in (
            b"/layout/letter.css%00.png", b"/review?rev=" + b"x" * 100_000, b"/review?rev=%00",
            b"/layout/%ff%fe", b"/pages/test/appeal--minister/" + b"9" * 5000, b"/letters/%c0%ae/x")}
    assert {target: line.split(b" ")[1][:1] for target, line in answers.items()} == dict.fromkeys(answers, b"4"), \
        answers


LOOP = "{% for i in range(1000) %}{% for j in range(1000) %}{{ j }}{% endfor %}{% endfor %}"
LOOP_LINE = "error: too large for a template: loops ran more than 100000 times in one letter"


def _looping_layout(root: Path) -> None:
    shutil.copytree(DEFAULT_LAYOUT_DIR, root / "templates" / "layout")
    page = root / "templates" / "layout" / "letter.html"
    page.write_text(page.read_text(encoding="utf-8").replace('<main class="body">', '<main class="body">' + LOOP),
                    encoding="utf-8")


def test_a_looping_layout_is_one_line_per_letter_in_build(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _looping_layout(root)
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "pdf")
    assert result.exit_code == 1
    line = next(n for n, text in enumerate((root / "templates" / "layout" / "letter.html").read_text(
        encoding="utf-8").splitlines(), start=1) if LOOP in text)
    assert [line for line in result.stderr.splitlines() if "error:" in line] == [
        f"templates/layout/letter.html:{line}: {LOOP_LINE} (a letter needs no text, number or loop this large)"]
    assert "Traceback" not in result.output


def test_a_looping_layout_is_one_line_in_serve(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _looping_layout(root)
    with TestClient(create_app(Preview(root), watching=False), base_url="http://localhost:8000") as client:
        page = client.get("/letters/test/appeal--minister")
        download = client.get("/download/test/appeal--minister.pdf")
    assert page.status_code == 200 and LOOP_LINE.removeprefix("error: ") in page.text
    assert download.status_code == 409 and download.text.count("\n") == 0


def test_a_looping_template_is_one_line_and_exit_2_in_diff(tmp_path):
    root = make_workspace(tmp_path / "ws")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    (root / "templates" / "appeal.md").write_text(LOOP + "\n", encoding="utf-8")
    result = invoke(root, "diff", "HEAD")
    assert (result.exit_code, result.output.splitlines()) == (2, [
        f"templates/appeal.md:1: {LOOP_LINE} (a letter needs no text, number or loop this large)"])


def test_a_looping_cover_text_is_one_line_in_send(tmp_path):
    root = send_workspace(tmp_path / "ws", 1, {"templates/email/cover.md": LOOP + "\n"})
    approved(root)
    result = invoke(root, "send", "campaigns/test.yaml", "--dry-run")
    errors = [line.split(None, 2)[-1] for line in result.output.splitlines() if "error:" in line]
    assert errors == [f"templates/email/cover.md:1: {LOOP_LINE} (a letter needs no text, number or loop this large)"]
    assert result.exit_code == 1 and "Traceback" not in result.output


RLO, ZWSP = "\u202e", "\u200b"


def test_a_campaign_file_name_with_a_bidi_control_is_one_line(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "campaigns" / "test.yaml").rename(root / "campaigns" / f"b{RLO}onn.yaml")
    for command in (["check"], ["build", f"campaigns/b{RLO}onn.yaml"]):
        result = invoke(root, *command)
        errors = [line for line in result.output.splitlines() if "error:" in line]
        assert errors == [r"campaigns/b\u202eonn.yaml: error: file name: 'b\u202eonn.yaml' holds an invisible or "
                          r"control character (U+202E RIGHT-TO-LEFT OVERRIDE) (rename the file with visible "
                          r"characters)"], (command, result.output)
        assert result.exit_code == 1 and RLO not in result.output


def test_template_and_snippet_names_with_invisible_characters_are_one_line_each(tmp_path):
    root = make_workspace(tmp_path / "ws")
    snippets = root / "templates" / "snippets"
    (snippets / "deported.md").rename(snippets / f"depor{ZWSP}ted.md")
    appeal = root / "templates" / "appeal.md"
    appeal.write_text(appeal.read_text(encoding="utf-8").replace("deported.md", f"depor{ZWSP}ted.md"),
                      encoding="utf-8")
    built = invoke(root, "build", "campaigns/test.yaml")
    assert [line for line in built.output.splitlines() if "error:" in line][-1].endswith(
        r"templates/snippets/depor\u200bted.md: error: file name: 'snippets/depor\u200bted.md' holds an invisible "
        r"or control character (U+200B ZERO WIDTH SPACE) (rename the template with visible characters)")
    checked = invoke(root, "check")
    assert r"templates/snippets/depor\u200bted.md: error: file name: 'snippets/depor\u200bted.md'" in checked.output
    assert built.exit_code == checked.exit_code == 1 and ZWSP not in built.output + checked.output
    campaign = root / "campaigns" / "test.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("template: appeal.md",
                                                                     f"template: app{ZWSP}eal.md"), encoding="utf-8")
    result = invoke(root, "check")
    assert r"error: template name: 'app\u200beal.md' holds an invisible or control character" in result.output


def test_a_layout_weasyprint_fails_on_is_one_line_in_serve(tmp_path):
    root = make_workspace(tmp_path / "ws")
    shutil.copytree(DEFAULT_LAYOUT_DIR, root / "templates" / "layout")
    with (root / "templates" / "layout" / "letter.css").open("a", encoding="utf-8") as css:
        css.write("\n.body p { font-size: 1e9px; }\n")
    with TestClient(create_app(Preview(root), watching=False), base_url="http://localhost:8000") as client:
        download = client.get("/download/test/appeal--minister.pdf")
    assert download.status_code == 409
    assert download.text == ("templates/layout/letter.html: error: WeasyPrint could not lay out the letter: "
                             "ZeroDivisionError: float division by zero (check the layout's HTML and CSS in "
                             "templates/layout/)")
