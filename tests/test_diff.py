"""`appealkit diff` on a git repository made from the example workspace, one change per commit."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import textwrap
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from helpers import MINIMAL, REPO, make_workspace
from pypdf import PdfReader

from appealkit.cli import cli
from appealkit.render.document import letter_text
from appealkit.review.diff import diff_revisions, join_words, letter_tokens
from appealkit.review.diff_format import format_text
from appealkit.review.redline_docx import docx_paragraphs, resolve
from appealkit.review.revisions import extract_revision

COE = "appeal-coe-committee-of-ministers--coe-cm-chair"
DE = "appeal-de-foreign-minister--de-foreign-minister"
EC = "appeal-ec-president--ec-president"
DE_DE, DE_AZ = f"{DE}--de", f"{DE}--az"
LETTERS = (DE, COE, EC, DE_DE, DE_AZ)
EXAMPLE = ("facts", "people", "recipients", "templates", "campaigns")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                           *args], check=True, capture_output=True, text=True).stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Commits: example; fact 400 → 375; a name added to a list; a new CoE chair; a new letter."""
    root = tmp_path_factory.mktemp("repo")
    for folder in EXAMPLE:
        shutil.copytree(REPO / folder, root / folder)
    git(root, "init", "-q")
    commit(root, "example")
    edit(root / "facts/prisoners.yaml", "political_prisoners:\n  value: 400", "political_prisoners:\n  value: 375")
    commit(root, "fact")
    append(root / "people/persecuted.yaml", "\nrufat_safarov:\n  name: Rufat Safarov\n  description: a human rights defender\n")
    edit(root / "facts/deportations.yaml", "jafar_mirzayev, emin_malikov]", "jafar_mirzayev, emin_malikov, rufat_safarov]")
    commit(root, "list")
    append(root / "people/officials.yaml", "\nana_example:\n  name: Ana Example\n  description: Minister for Foreign Affairs of the next chair\n")
    coe = root / "recipients/coe-cm-chair.yaml"
    edit(coe, "person: ian_borg", "person: ana_example")
    edit(coe, "honorific: Dr.", "honorific: Ms")
    edit(coe, "from: 2025-05-14", "from: 2025-11-14")
    edit(coe, "to: 2025-11-14", "to: 2026-05-14")
    edit(coe, "salutation: Dear Mr. President,", "salutation: Dear Madam President,")
    commit(root, "recipient")
    edit(root / "campaigns/bonn-2025.yaml", "letters:\n",
         "letters:\n  - template: appeal-ec-president.md\n    recipient: de-foreign-minister\n")
    commit(root, "letter")
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), "diff", *args])


def as_json(root: Path, *args: str) -> tuple[int, dict]:
    result = run(root, *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def letters(data: dict) -> dict[str, dict]:
    return {letter["letter"]: letter for letter in data["letters"]}


# ---- what is reported ----

def test_a_fact_change_shows_in_every_letter_that_cites_it(repo):
    code, data = as_json(repo, "HEAD~4", "HEAD~3")
    assert code == 1
    [fact] = data["facts"]
    assert (fact["id"], fact["change"]) == ("political_prisoners", "changed")
    assert (fact["old"]["value"], fact["new"]["value"]) == (400, 375)
    assert fact["old"]["qualifier"] == fact["new"]["qualifier"] == "about"
    assert fact["new"]["as_of"] == "2025-10-25" and len(fact["new"]["sources"]) == 3
    assert data["people"] == data["recipients"] == []
    for letter in LETTERS:  # the German and Azerbaijani letters print the figure too
        assert letters(data)[letter]["status"] == "changed"
        assert letters(data)[letter]["changes"] == [
            {"deleted": "400", "inserted": "375", "fact": "political_prisoners"}]


def test_a_name_added_to_a_list(repo):
    code, data = as_json(repo, "HEAD~3", "HEAD~2")
    assert code == 1
    [fact] = data["facts"]
    assert fact["id"] == "deported_activists" and fact["new"]["members"][-1] == "rufat_safarov"
    assert (fact["old"]["value"], fact["new"]["value"]) == (6, 7)
    assert [p["id"] for p in data["people"]] == ["rufat_safarov"] and data["people"][0]["change"] == "added"
    changes = letters(data)[DE]["changes"]
    assert {c["fact"] for c in changes} == {"deported_activists"}
    assert {"deleted": "six", "inserted": "seven", "fact": "deported_activists"} in changes
    assert any("Rufat Safarov" in c["inserted"] and "Rufat Safarov" not in c["deleted"] for c in changes)


def test_a_replaced_recipient_changes_only_its_letter(repo):
    code, data = as_json(repo, "HEAD~2", "HEAD~1")
    assert code == 1
    assert data["facts"] == []
    [recipient] = data["recipients"]
    assert recipient["id"] == "coe-cm-chair" and recipient["change"] == "changed"
    assert (recipient["old"]["holder_name"], recipient["new"]["holder_name"]) == ("Ian Borg", "Ana Example")
    assert (recipient["old"]["honorific"], recipient["new"]["honorific"]) == ("Dr.", "Ms")
    assert recipient["new"]["term"]["start"] == "2025-11-14"
    assert [(p["id"], p["change"]) for p in data["people"]] == [("ana_example", "added")]
    by_id = letters(data)
    for letter in (DE, EC, DE_DE, DE_AZ):
        assert (by_id[letter]["status"], by_id[letter]["changes"]) == ("unchanged", [])
    assert by_id[COE]["status"] == "changed"
    changes = by_id[COE]["changes"]
    assert {"deleted": "Dr. Ian Borg", "inserted": "Ms Ana Example", "fact": None} in changes
    assert {"deleted": "Mr.", "inserted": "Madam", "fact": None} in changes


def test_a_letter_that_appears(repo):
    code, data = as_json(repo, "HEAD~1", "HEAD")
    assert code == 1
    assert data["facts"] == data["people"] == data["recipients"] == []
    assert letters(data)["appeal-ec-president--de-foreign-minister"] == {
        "campaign": "bonn-2025", "letter": "appeal-ec-president--de-foreign-minister", "status": "added",
        "changes": []}
    assert [letters(data)[x]["status"] for x in LETTERS] == ["unchanged"] * len(LETTERS)
    code, data = as_json(repo, "HEAD", "HEAD~1")
    assert letters(data)["appeal-ec-president--de-foreign-minister"]["status"] == "removed"


def test_nothing_changed_exits_0(repo):
    result = run(repo, "HEAD~1", "HEAD~1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "5 letters: 0 changed, 5 unchanged, 0 added, 0 removed; 0 facts, 0 people, 0 recipients changed")


def test_default_is_head_against_the_working_tree(repo, tmp_path):
    work = tmp_path / "clone"
    git(repo, "worktree", "add", "-q", str(work), "HEAD")
    assert run(work).exit_code == 0
    edit(work / "facts/prisoners.yaml", "qualifier: about", "qualifier: nearly")
    code, data = as_json(work)
    assert code == 1
    assert [(f["id"], f["old"]["qualifier"], f["new"]["qualifier"]) for f in data["facts"]] == [
        ("political_prisoners", "about", "nearly")]
    assert {"deleted": "about", "inserted": "nearly", "fact": "political_prisoners"} in letters(data)[DE]["changes"]


def test_two_folders(tmp_path):
    make_workspace(tmp_path / "a")
    make_workspace(tmp_path / "b")
    edit(tmp_path / "b/facts/prisoners.yaml", "value: 40\n", "value: 45\n")
    report = diff_revisions(tmp_path, f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}")
    assert [(f.id, f.fields) for f in report.facts] == [("journalists", ["value"])]
    [letter] = report.letters
    assert [(c.deleted, c.inserted, c.fact) for c in letter.changes] == [("40", "45", "journalists")]
    assert letter.changes[0].before == "political prisoners, among them more than"
    assert letter.changes[0].after == "journalists, nine women among them."


def test_campaign_option(repo):
    code, data = as_json(repo, "HEAD~4", "HEAD~3", "--campaign", "campaigns/bonn-2025.yaml")
    assert code == 1 and len(data["letters"]) == len(LETTERS)
    result = run(repo, "HEAD~4", "HEAD~3", "--campaign", "vienna")
    assert result.exit_code == 2
    assert result.stderr == "vienna: error: no such campaign in HEAD~4 or HEAD~3 (campaigns: bonn-2025)\n"


# ---- formats ----

class _Redline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.found: dict[str, list[str]] = {"del": [], "ins": []}
        self.tags: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.links += [value for name, value in attrs if name in ("src", "href") and value]
        if tag in self.found:
            self.open.append(tag)
            self.found[tag].append("")

    def handle_endtag(self, tag):
        if tag in self.found:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.found[self.open[-1]][-1] += data


def test_html_is_one_self_contained_page_with_inline_redline(repo):
    result = run(repo, "HEAD~4", "HEAD~3", "--format", "html")
    assert result.exit_code == 1
    page = _Redline()
    page.feed(result.stdout)
    assert result.stdout.count("<del>400</del>") == 1  # the facts table
    assert page.found["del"].count("400") == page.found["ins"].count("375") == 1 + len(LETTERS)
    assert '<del title="fact political_prisoners">400</del>' in result.stdout
    assert not page.tags & {"link", "script", "img", "iframe"}
    assert page.links and all(link.startswith("#") for link in page.links)  # a table of contents
    assert all(f'id="{link[1:]}"' in result.stdout for link in page.links)
    assert '<meta name="viewport"' in result.stdout and "@media print" in result.stdout
    assert f'<section class="letter" id="bonn-2025--{DE}--de">' in result.stdout
    assert '<div class="text" lang="de">' in result.stdout and '<div class="text" lang="az">' in result.stdout
    assert "url(" not in result.stdout
    assert "about <del" in result.stdout and "political prisoners in all." in result.stdout


def test_html_escapes_letter_text(tmp_path):
    make_workspace(tmp_path / "a")
    make_workspace(tmp_path / "b")
    edit(tmp_path / "b/people/people.yaml", "name: Jane Minister", "name: <script>x</script> & Co")
    result = CliRunner().invoke(cli, ["diff", f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}", "--format", "html"])
    assert result.exit_code == 1
    assert "<script>" not in result.stdout
    assert "<ins>&lt;script&gt;x&lt;/script&gt; &amp; Co</ins>" in result.stdout


def test_markdown_and_text(repo):
    md = run(repo, "HEAD~4", "HEAD~3", "--format", "md")
    assert md.exit_code == 1
    assert "| `political_prisoners` | changed | value | 400 | 375 |" in md.stdout
    assert f"- **changed** `bonn-2025/{DE}`" in md.stdout
    assert "hold about ~~400~~ **375** political prisoners in all.… — fact `political_prisoners`" in md.stdout
    text = run(repo, "HEAD~4", "HEAD~3")
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0] == "appealkit diff HEAD~4 → HEAD~3"
    assert "             value: [-400-] → {+375+}" in lines
    assert f"  changed    bonn-2025/{DE}" in lines
    assert any(line.endswith("hold about [-400-] {+375+} political prisoners in all.…  [political_prisoners]")
               for line in lines)
    assert "\033[" not in text.stdout


def test_text_in_colour_has_no_brackets(tmp_path):
    make_workspace(tmp_path / "a")
    make_workspace(tmp_path / "b")
    edit(tmp_path / "b/facts/prisoners.yaml", "value: 400", "value: 375")
    coloured = format_text(diff_revisions(tmp_path, f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}"), color=True)
    assert "\033[31m400\033[0m \033[32m375\033[0m" in coloured and "[-" not in coloured


def test_tokens_spell_out_the_letter_text(repo):
    report = diff_revisions(repo, "HEAD", "HEAD")
    for letter in report.letters:
        assert join_words(letter_tokens(letter.new)).split() == letter_text(letter.new).split()


# ---- errors: exit code 2 ----

@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "nope: error: unknown revision 'nope' (give a commit, branch or tag such as HEAD~1, "
                   "or a folder as dir:PATH)"),
        (["HEAD", "HEAD~99"], "HEAD~99: error: unknown revision 'HEAD~99' (give a commit, branch or tag "
                              "such as HEAD~1, or a folder as dir:PATH)"),
        (["--", "--output=x"], "--output=x: error: unknown revision '--output=x' (give a commit, branch or "
                               "tag such as HEAD~1, or a folder as dir:PATH)"),
    ],
)
def test_unknown_revisions(repo, args, message):
    result = run(repo, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]


def test_not_a_git_repository(tmp_path):
    make_workspace(tmp_path / "ws")
    result = run(tmp_path / "ws")
    assert result.exit_code == 2
    assert result.stderr == (f"{tmp_path / 'ws'}: error: not a git repository, so revision 'HEAD' cannot be "
                             "read (give two workspace folders instead: appealkit diff dir:OLD dir:NEW)\n")


def test_a_workspace_that_does_not_load_is_named_by_revision(repo, tmp_path):
    work = tmp_path / "broken"
    git(repo, "worktree", "add", "-q", str(work), "HEAD")
    edit(work / "facts/prisoners.yaml", "as_of: 2025-10-25", "as_of: soon")
    commit(work, "broken")
    result = run(work, "HEAD", "HEAD~1")
    assert result.exit_code == 2
    assert re.fullmatch(r"HEAD:facts/prisoners\.yaml:\d+: error: 'as_of' must be a date .*\n", result.stderr)
    folder = run(work, f"dir:{work}", "HEAD~1")
    assert folder.exit_code == 2
    assert folder.stderr.startswith(f"{work}/facts/prisoners.yaml:")


# ---- tracked-changes DOCX ----

@pytest.fixture(scope="module")
def redlines(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("redlines")
    result = run(repo, "HEAD~4", "HEAD~1", "--docx-redline", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"5 redline DOCX written to {out}/\n"
    return out


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory):
    """The letter's paragraphs as `appealkit build` writes it at a revision: each revision is
    extracted and built once for the module (the tests only read the DOCX), not once a letter."""
    folder = tmp_path_factory.mktemp("revisions")

    def paragraphs(revision: str, letter: str) -> list[str]:
        target = folder / revision.replace("~", "-")
        if not target.exists():
            target.mkdir()
            extract_revision(repo, revision, target)
            # one revision addresses the next chair before their term: the letter is compared, not sent
            done = CliRunner().invoke(cli, ["--root", str(target), "build", "bonn-2025", "--format", "docx",
                                            "--allow", "term-of-office:appeal-coe-committee-of-ministers--coe-cm-chair"])
            assert done.exit_code == 0, done.output
        return [p.text for p in docx.Document(str(target / "build/bonn-2025" / f"{letter}.docx")).paragraphs]

    return paragraphs


@pytest.mark.slow
@pytest.mark.parametrize("letter", LETTERS)
def test_redline_accepts_to_the_new_letter_and_rejects_to_the_old(redlines, built, letter):
    data = (redlines / "bonn-2025" / f"{letter}.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs
    assert resolve(data, accept=True) == built("HEAD~1", letter)
    assert resolve(data, accept=False) == built("HEAD~4", letter)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert re.search(r'<w:del [^>]*w:author="appealkit" w:date="2025-10-25T00:00:00Z"[^>]*>'
                     r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:delText[^>]*>400</w:delText>", xml)
    assert re.search(r'<w:ins [^>]*w:author="appealkit"[^>]*><w:r>(<w:rPr>.*?</w:rPr>)?<w:t[^>]*>375</w:t>', xml)
    assert "<w:trackChanges/>" in zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()


@pytest.mark.slow
def test_redlines_only_for_changed_letters_and_deterministic(repo, redlines, tmp_path):
    assert sorted(p.name for p in (redlines / "bonn-2025").iterdir()) == sorted(f"{x}.docx" for x in LETTERS)
    again = tmp_path / "again"
    assert run(repo, "HEAD~2", "HEAD~1", "--docx-redline", str(again)).exit_code == 1
    assert [p.name for p in (again / "bonn-2025").iterdir()] == [f"{COE}.docx"]
    third = tmp_path / "third"
    run(repo, "HEAD~2", "HEAD~1", "--docx-redline", str(third))
    assert (again / "bonn-2025" / f"{COE}.docx").read_bytes() == (third / "bonn-2025" / f"{COE}.docx").read_bytes()


@pytest.mark.slow
def test_resolve_reads_plain_documents(redlines):
    data = (redlines / "bonn-2025" / f"{DE}.docx").read_bytes()
    assert docx_paragraphs(data) == resolve(data, accept=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_a_redline_to_pdf(redlines, tmp_path):
    source = redlines / "bonn-2025" / f"{COE}.docx"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    reader = PdfReader(str(tmp_path / f"{COE}.pdf"))
    assert reader.pages and "375" in "".join(page.extract_text() for page in reader.pages)


# ---- whole records: every field of a fact, person or recipient is compared ----

def _diff_folders(tmp_path: Path, old: dict[str, str], new: dict[str, str]):
    make_workspace(tmp_path / "a", old)
    make_workspace(tmp_path / "b", new)
    return diff_revisions(tmp_path, f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}")


MINISTER = """
    office: Minister for Foreign Affairs
    holder: {{person: jane_minister, honorific: Dr.}}
    term: {{from: 2025-01-01, source: {{title: Government announcement}}}}
    salutation: Dear Minister,
    address: [Ministry of Foreign Affairs]
    language: en
    role: {role}
    gender: {gender}
"""


def test_a_recipients_gender_and_role_are_compared(tmp_path):
    report = _diff_folders(
        tmp_path, {"recipients/minister.yaml": MINISTER.format(role="minister", gender="female")},
        {"recipients/minister.yaml": MINISTER.format(role="federal-minister", gender="male")})
    assert [(r.id, r.change, r.rows) for r in report.recipients] == [
        ("minister", "changed", [("role", "minister", "federal-minister"), ("gender", "female", "male")])]
    assert report.changed


def test_a_facts_translations_and_history_are_compared(tmp_path):
    fact = """
        held:
          value: 400
          qualifier: about
          noun: detainees
          as_of: 2025-10-25
          sources: [{{title: Conference appeal}}]
          translations:
            de: {{noun: {noun}}}
          history:
            - {{value: 350, qualifier: nearly, as_of: {earlier}, sources: [{{title: Older report}}]}}
    """
    report = _diff_folders(
        tmp_path, {"facts/held.yaml": fact.format(noun="politische Gefangene", earlier="2024-06-01")},
        {"facts/held.yaml": fact.format(noun="politische Häftlinge", earlier="2024-07-01")})
    [change] = report.facts
    assert change.rows == [("history.1.as_of", "2024-06-01", "2024-07-01"),
                           ("translations.de.noun", "politische Gefangene", "politische Häftlinge")]
    text = format_text(report)
    assert "             translations.de.noun: [-politische Gefangene-] → {+politische Häftlinge+}" in text
    assert "             history.1.as_of: [-2024-06-01-] → {+2024-07-01+}" in text


def test_a_persons_translated_name_is_compared(tmp_path):
    people = textwrap.dedent(MINIMAL["people/people.yaml"])
    report = _diff_folders(
        tmp_path, {}, {"people/people.yaml": people + "  translations:\n    az: {description: nazir}\n"})
    assert [(p.id, p.fields) for p in report.people] == [("jane_minister", ["translations.az"])]
    assert "             translations.az: [-(none)-] → {+description: nazir+}" in format_text(report)


def test_an_added_record_shows_only_the_fields_it_fills(tmp_path):
    extra = "\nrufat_safarov:\n  name: Rufat Safarov\n"
    report = _diff_folders(tmp_path, {}, {"people/people.yaml": textwrap.dedent(MINIMAL["people/people.yaml"]) + extra})
    lines = format_text(report).splitlines()
    start = lines.index("  added      rufat_safarov")
    assert lines[start + 1:start + 4] == ["             id: rufat_safarov", "             name: Rufat Safarov",
                                          "             kind: person"]


@pytest.mark.parametrize(("options", "args", "message"), [
    ({"campaign": ""}, ["--campaign", ""], "campaign: error: '' is not a campaign (give a campaign file or its id)"),
    ({"campaign": "nope"}, ["--campaign", "nope"],
     "nope: error: no such campaign in HEAD~1 or HEAD (campaigns: bonn-2025)"),
    ({"new": "HEAD\x07"}, ["HEAD\x07"],
     "HEAD\\u0007: error: a revision or folder name with a control character "
     "(give a commit, branch or tag such as HEAD~1, or a folder as dir:PATH)"),
])
def test_diff_from_python_is_refused_with_the_cli_line(repo, options, args, message):
    """`appealkit.diff` and `appealkit diff` build the same `DiffOptions`: one line, the field (here
    `campaign`) where the command line names the flag."""
    import appealkit
    from appealkit.errors import AppealkitError

    given = {"old": "HEAD~1", "new": "HEAD", **options}
    with pytest.raises(AppealkitError) as caught:
        appealkit.diff(appealkit.load_workspace(repo), **given)
    assert (caught.value.message, caught.value.exit_code) == (message, 2)
    result = run(repo, "HEAD~1", *(args if "new" in options else ["HEAD", *args]))
    shown = message.replace("campaign: ", "--campaign: ", 1) if message.startswith("campaign:") else message
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", shown + "\n")


@pytest.mark.parametrize(("options", "message"), [
    ({"output": "pdf"}, "output: error: unknown format 'pdf' (use text, md, html, json)"),
    ({"old": 7}, "old: error: '7' is not a revision or a folder (give a commit, branch or tag such as HEAD~1, "
                 "or dir:PATH)"),
])
def test_diff_options_click_types_guard_are_checked_in_the_core_too(options, message):
    from appealkit.errors import UsageError
    from appealkit.review.options import DiffOptions

    with pytest.raises(UsageError) as caught:
        DiffOptions(**options)
    assert caught.value.message == message


def test_diff_warnings_are_values_of_the_result(tmp_path):
    """A letterhead link taken out is a warning the report carries, and `--strict` fails on it."""
    from test_letterhead import WITH_LETTERHEAD, hostile_letterhead

    import appealkit

    files = {"templates/letterhead.docx": hostile_letterhead(), "campaigns/test.yaml": WITH_LETTERHEAD}
    old = make_workspace(tmp_path / "a", files)
    make_workspace(tmp_path / "b", files)
    report = appealkit.diff(appealkit.load_workspace(old), f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}")
    assert not report.changed
    assert {p.severity for p in report.problems} == {"warning"} and len(report.problems) == 2
    strict = CliRunner().invoke(cli, ["--root", str(old), "--strict", "diff", f"dir:{tmp_path / 'a'}",
                                      f"dir:{tmp_path / 'b'}"])
    assert strict.exit_code == 1 and strict.stderr.count("warning: ") == 2
    assert strict.stderr.splitlines()[-1].startswith("--strict: error: 2 warning(s)")
