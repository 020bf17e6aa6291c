"""`appealkit audit`: drifted letters in every format, each kind of finding, JSON and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from helpers import MINIMAL, REPO, make_workspace

from appealkit.checks.audit import audit
from appealkit.cli import cli
from appealkit.render.document import Block, Letter, Run
from appealkit.render.letters import LAYOUT, make_environment
from appealkit.source.workspace import load_workspace
from appealkit.write import pdf_writer

DATA = Path(__file__).parent / "data" / "audit"

HISTORY = MINIMAL["facts/prisoners.yaml"].replace(
    "          keywords: [political prisoners]\n",
    "          keywords: [political prisoners]\n"
    "          history:\n"
    "            - value: 350\n"
    "              qualifier: nearly\n"
    "              as_of: 2024-06-01\n",
)


def audit_workspace(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws", {"facts/prisoners.yaml": HISTORY})
    for name in ("drifted-appeal.txt", "clean-appeal.md"):
        shutil.copy(DATA / name, root / name)
    return root


def rows(findings):
    return [(f.line, f.kind, f.severity, f.found, f.expected, f.fact) for f in findings]


def test_drifted_text_letter_reports_every_kind(tmp_path, monkeypatch):
    root = audit_workspace(tmp_path)
    monkeypatch.chdir(root)
    result = audit(load_workspace(root), [Path("drifted-appeal.txt")])
    assert rows(result.findings) == [
        (3, "stale-figure", "error", "nearly 350", "about 400", "political_prisoners"),
        (6, "figure-mismatch", "error", "around 500", "about 400", "political_prisoners"),
        (8, "qualifier-drift", "warning", "At least 40", "more than 40", "journalists"),
        (10, "figure-mismatch", "error", "Five", "2", "deported"),
        (10, "list-count", "error", "Five", "2", "deported"),
        (12, "name-variant", "warning", "ASIMKOM", "ASİMKOM", ""),
        (12, "name-variant", "warning", "Vidadi Isgandarli", "Vidadi İsgəndərli", ""),
        (13, "name-variant", "note", "Vidadi Isgəndarli", "Vidadi İsgəndərli", ""),
    ]
    stale = result.findings[0]
    assert stale.file == "drifted-appeal.txt"
    assert stale.quote == ("Our country holds nearly 350 political prisoners today, and more than 40 "
                           "journalists, nine women among them, are behind bars.")
    assert stale.message == ("'nearly 350' political prisoners was the figure as of 2024-06-01; "
                             "since 2025-10-25 it is about 400 (fact 'political_prisoners')")
    assert stale.source == "Conference appeal (ASİMKOM, 2025-10-25)"
    assert result.findings[4].message == "'Five' activists, but the passage names 2: Samir Ashurov, Emin Malikov"


def test_clean_markdown_letter_has_no_findings(tmp_path, monkeypatch):
    root = audit_workspace(tmp_path)
    monkeypatch.chdir(root)
    assert audit(load_workspace(root), [Path("clean-appeal.md")]).findings == ()


def test_figure_older_than_a_year_on_the_day_of_sending_is_stale(tmp_path, monkeypatch):
    root = audit_workspace(tmp_path)
    monkeypatch.chdir(root)
    ws = load_workspace(root)
    assert audit(ws, [Path("clean-appeal.md")], as_of=load_date("2026-10-25")).findings == ()
    late = audit(ws, [Path("clean-appeal.md")], as_of=load_date("2026-10-26")).findings
    assert {(f.kind, f.fact) for f in late} == {
        ("stale-figure", "political_prisoners"), ("stale-figure", "journalists"),
        ("stale-figure", "journalists.women"), ("stale-figure", "deported")}
    assert late[0].message == ("'about 400' political prisoners is the figure as of 2025-10-25, more than "
                               "12 months before 2026-10-26 (fact 'political_prisoners')")


def load_date(text: str):
    import datetime
    return datetime.date.fromisoformat(text)


def test_letters_built_from_the_example_audit_clean(example_build):
    files = sorted(example_build.out_dir.glob("*--*.docx")) + sorted(example_build.out_dir.glob("*--*.pdf"))
    # three English letters, and the letter to the German minister in German and Azerbaijani too:
    # translated organisation names (people/ `translations:`) are canonical, not variants
    assert len(files) == 10
    result = audit(load_workspace(REPO), files)
    assert (result.findings, result.unreadable, result.files) == ((), (), 10)


def test_hand_edited_docx_is_caught_by_paragraph(example_build, tmp_path):
    source = example_build.out_dir / "appeal-ec-president--ec-president.docx"
    document = docx.Document(str(source))
    edited = {}
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text
        if "about 400 political prisoners" in text or "Vuqar Rzayev" in text:
            text = text.replace("about 400 political prisoners", "approximately 400 political prisoners")
            text = text.replace("Vuqar Rzayev", "Vugar Rzayev")
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = text
            edited[number] = text
    target = tmp_path / "returned.docx"
    document.save(str(target))
    findings = audit(load_workspace(REPO), [target]).findings
    [prisoners] = [n for n, t in edited.items() if "approximately 400" in t]
    [vugar] = [n for n, t in edited.items() if "Vugar" in t]
    assert [(f.line, f.kind, f.found, f.expected) for f in findings] == sorted([
        (prisoners, "qualifier-drift", "approximately 400", "about 400"),
        (vugar, "name-variant", "Vugar Rzayev", "Vuqar Rzayev"),
    ])
    assert findings[0].file == str(target)


def test_drifted_pdf_is_caught_by_page_and_line(tmp_path):
    root = make_workspace(tmp_path / "ws")
    env = make_environment(root)
    layout = env.get_template(LAYOUT)
    letter = Letter(
        id="drift", language="en", date=load_date("2025-10-25"), sender=("ASİMKOM",),
        place_date="Bonn, 25 October 2025", recipient=("Dr. Jane Minister",), subject="Appeal",
        salutation="Dear Minister,",
        body=(Block("paragraph", (Run("We write about nearly 350 political prisoners held today."),)),
              Block("paragraph", (Run("Three activists were deported: Samir Ashurov and Emin Malikov."),))),
        closing="Yours sincerely,")
    html = pdf_writer.letter_html(letter, layout)
    pdf = tmp_path / "drift.pdf"
    pdf.write_bytes(pdf_writer.html_to_pdf(html, Path(layout.filename).parent))
    findings = audit(load_workspace(root), [pdf]).findings
    assert [(f.page, f.kind, f.found, f.expected) for f in findings] == [
        (1, "figure-mismatch", "nearly 350", "about 400"),
        (1, "figure-mismatch", "Three", "2"),
        (1, "list-count", "Three", "2"),
    ]
    assert findings[0].line < findings[1].line
    assert str(findings[0]).startswith(f"{pdf}:1:{findings[0].line}: error: 'nearly 350' political prisoners")


def test_cli_text_output_and_exit_code(tmp_path):
    root = audit_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--root", str(root), "audit", str(root / "drifted-appeal.txt")])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[:2]
    assert first == [
        f"{root / 'drifted-appeal.txt'}:3: error: 'nearly 350' political prisoners was the figure as of "
        "2024-06-01; since 2025-10-25 it is about 400 (fact 'political_prisoners') (write 'about 400')",
        "    > Our country holds nearly 350 political prisoners today, and more than 40 journalists, "
        "nine women among them, are behind bars.",
    ]
    assert result.stderr == "audited 1 file: 4 errors, 3 warnings, 1 note\n"


def test_cli_json_output(tmp_path):
    root = audit_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--root", str(root), "audit", str(root / "drifted-appeal.txt"),
                                      "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["files"] == 1
    assert data["findings"][2] == {
        "file": str(root / "drifted-appeal.txt"), "line": 8, "kind": "qualifier-drift", "severity": "warning",
        "message": "'At least 40' journalists, but the fact 'journalists' says more than 40",
        "quote": "At least 40 journalists remain in detention.", "found": "At least 40",
        "expected": "more than 40", "fact": "journalists", "source": "Conference appeal",
        "hint": "write 'more than 40'",
    }


def test_cli_clean_letter_exits_zero(tmp_path):
    root = audit_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--root", str(root), "audit", str(root / "clean-appeal.md")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "audited 1 file: no findings\n")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.txt", None, "cannot read the file (No such file or directory)"),
    ("letter.odt", b"PK", "cannot audit a '.odt' file (give a .docx, .pdf, .txt or .md letter)"),
    ("broken.docx", b"not a zip", "cannot read the DOCX file (it is not a zip package; save it again from a word processor)"),
    ("broken.pdf", b"%PDF-1.4 nonsense", "cannot read the PDF file (it is not a readable PDF: its data is damaged; export the letter to PDF again)"),
    ("latin1.txt", "Grüße\n".encode("latin-1"), "the file is not UTF-8 text (save it with UTF-8 encoding)"),
])
def test_unusable_input_exits_2_and_the_others_are_audited(tmp_path, name, content, message):
    root = audit_workspace(tmp_path)
    bad = root / name
    if content is not None:
        bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["--root", str(root), "audit", str(bad), str(root / "drifted-appeal.txt")])
    assert result.exit_code == 2
    line = ":1" if name == "latin1.txt" else ""
    assert result.stdout.splitlines()[0] == f"{bad}{line}: error: {message}"
    assert "drifted-appeal.txt:3: error:" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sehr geehrter Herr Bundesminister,\n\nderzeit sind rund 350 politische Gefangene inhaftiert.\n",
         [("figure-mismatch", "political_prisoners")]),
        ("Hörmətli nazir,\n\nAzərbaycanda təxminən 350 siyasi məhbus var.\n\nHazırda 40-dan çox jurnalist həbsdədir.\n",
         [("figure-mismatch", "political_prisoners")]),
    ],
    ids=["de", "az"],
)
def test_letters_in_other_languages_are_linked_through_translated_nouns(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(REPO)
    letter = tmp_path / "letter.txt"
    letter.write_text(text, encoding="utf-8")
    findings = audit(load_workspace(REPO), [letter]).findings
    assert [(f.kind, f.fact) for f in findings] == expected


#: Six activists were deported (facts/deportations.yaml); a list after an inclusion marker names some.
PARTIAL_LISTS = [
    ("en", "Six political activists were deported, including Samir Ashurov, Malik Rzayev and Emin Malikov.", []),
    ("en", "Six political activists were deported, Samir Ashurov and Emin Malikov among them.", []),
    ("en", "Six political activists, such as Samir Ashurov and Emin Malikov, were deported.", []),
    ("en", "Six political activists were deported: Samir Ashurov, Malik Rzayev and Emin Malikov.",
     [("list-count", "Six", "3")]),
    ("en", "Two political activists were deported, among them Samir Ashurov, Malik Rzayev and Emin Malikov.",
     [("figure-mismatch", "Two", "six"), ("list-count", "Two", "3")]),
    ("de", "Sechs politische Aktivisten wurden abgeschoben, darunter Samir Ashurov und Emin Malikov.", []),
    ("de", "Sechs politische Aktivisten, unter ihnen Samir Ashurov und Emin Malikov, sind in Haft.", []),
    ("de", "Sechs politische Aktivisten wurden abgeschoben: Samir Ashurov und Emin Malikov.",
     [("list-count", "Sechs", "2")]),
    ("fr", "Six militants politiques ont été expulsés, parmi lesquels Samir Ashurov et Emin Malikov.", []),
    ("az", "Altı siyasi fəal deportasiya edildi, o cümlədən Samir Ashurov və Emin Malikov.", []),
    ("az", "Altı siyasi fəal deportasiya edildi: Samir Ashurov və Emin Malikov.", [("list-count", "Altı", "2")]),
]


@pytest.mark.parametrize(("language", "text", "expected"), PARTIAL_LISTS)
def test_a_list_after_an_inclusion_marker_names_some_not_all(tmp_path, language, text, expected):
    path = tmp_path / f"letter-{language}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    findings = audit(load_workspace(REPO), [path]).findings
    assert [(f.kind, f.found, f.expected) for f in findings if f.kind != "name-variant"] == expected


def test_more_than_a_count_with_names_is_no_count_to_match(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("More than two political activists were deported: Samir Ashurov, Malik Rzayev and "
                    "Emin Malikov.\n", encoding="utf-8")
    findings = audit(load_workspace(REPO), [path]).findings
    assert [f.kind for f in findings] == ["figure-mismatch"]


def test_a_hint_for_a_qualifier_after_the_noun_says_to_drop_it(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("They count 400 political prisoners, approximately, in the country.\n", encoding="utf-8")
    [finding] = audit(load_workspace(REPO), [path]).findings
    assert (finding.kind, finding.found, finding.hint) == (
        "qualifier-drift", "400 approximately", "write 'about 400', and drop the 'approximately' after the noun")


def test_the_figure_of_a_fact_in_another_form_is_a_note_never_a_refusal(tmp_path):
    """'9 women' where the facts write 'nine women': the same value, a PerfectIt-style note."""
    path = tmp_path / "letter.txt"
    path.write_text("More than 40 journalists are behind bars, 9 women among them.\n", encoding="utf-8")
    [finding] = audit(load_workspace(REPO), [path]).findings
    assert (finding.kind, finding.severity, finding.found, finding.expected, finding.hint) == (
        "figure-form", "note", "9", "nine", "write 'nine'")
    result = CliRunner().invoke(cli, ["--root", str(REPO), "audit", "--strict", "--format", "json", str(path)])
    assert result.exit_code == 0
    [shown] = json.loads(result.stdout[:result.stdout.rindex("}") + 1])["findings"]
    assert (shown["kind"], shown["severity"]) == ("figure-form", "note")


SHORT_GERMAN = "Fast 400 politische Gefangene."


def _german_docx(path: Path, declared: str, run_language: str = "") -> Path:
    document = docx.Document()
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), declared)
    document.add_paragraph("Appeal")
    run = document.add_paragraph().add_run(SHORT_GERMAN)
    if run_language:
        run_lang = run._r.get_or_add_rPr().makeelement(qn("w:lang"), {qn("w:val"): run_language})
        run._r.get_or_add_rPr().append(run_lang)
    document.save(str(path))
    return path


@pytest.mark.parametrize(("declared", "run_language", "expected"), [
    ("de-DE", "", ("Fast 400", "rund 400")),  # the file's language reads a passage too short to tell
    ("en-GB", "de-DE", ("Fast 400", "rund 400")),  # a run's own language is stronger than the file's
])
def test_a_word_files_declared_language_reads_a_short_passage(tmp_path, declared, run_language, expected):
    path = _german_docx(tmp_path / "letter.docx", declared, run_language)
    [finding] = audit(load_workspace(REPO), [path]).findings
    assert (finding.found, finding.expected) == expected


def test_a_pdfs_declared_language_reads_a_short_passage(tmp_path):
    import weasyprint

    path = tmp_path / "letter.pdf"
    weasyprint.HTML(string=f'<html lang="de"><body><p>Appeal</p><p>{SHORT_GERMAN}</p></body></html>').write_pdf(path)
    [finding] = audit(load_workspace(REPO), [path]).findings
    assert (finding.found, finding.expected) == ("Fast 400", "rund 400")


def test_audit_language_says_it_outright(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Appeal. " + SHORT_GERMAN + "\n", encoding="utf-8")
    runner = CliRunner()
    told = runner.invoke(cli, ["--root", str(REPO), "audit", "--language", "de", str(path)])
    assert "'Fast 400' politische Gefangene, but the fact 'political_prisoners' says rund 400" in told.output
    wrong = runner.invoke(cli, ["--root", str(REPO), "audit", "--language", "xx", str(path)])
    assert wrong.exit_code == 2
    assert "error: audit cannot read letters in 'xx' (use one of: en, de, fr, az)" in wrong.output


def test_audit_from_python_is_refused_with_the_cli_line(tmp_path):
    """`language` and `as_of` are checked in the core: the field where the command line names the flag."""
    from appealkit import AppealkitError, load_workspace

    path = tmp_path / "letter.txt"
    path.write_text("Appeal.\n", encoding="utf-8")
    with pytest.raises(AppealkitError) as caught:
        audit(load_workspace(REPO), [path], language="xx")
    assert caught.value.message == "language: error: audit cannot read letters in 'xx' (use one of: en, de, fr, az)"
    wrong = CliRunner().invoke(cli, ["--root", str(REPO), "audit", "--language", "xx", str(path)])
    assert (wrong.exit_code, wrong.stderr) == (2, "--" + caught.value.message + "\n")
