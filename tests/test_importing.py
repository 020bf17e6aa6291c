"""`appealkit import`: letters in, a workspace draft out, proved the way the issue asks.

The proof, for our own letters (two files, three recipients, English and German, a table,
numbered requests, drift typed by hand) and for the Bonn appeals: `check` on the draft
reports only the choices left open and the terms of office; once they are made, `build`
writes letters whose words are the originals' except where a choice changed a figure or a
spelling; `audit` of the originals then reports exactly the drift the import listed.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from appealkit.cli import cli
from appealkit.importer.importing import ImportOptions, import_letters
from appealkit.importer.rebuild import original_words, words
from appealkit.read.letter_reader import read_letter

DATA = Path(__file__).parent / "data" / "import"
OWN = [DATA / "appeals-en.md", DATA / "brief-de.txt"]
#: The Bonn appeals beside the checkout (`../shared/reference/` from the repository).
BONN = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "bonn-2025-appeals.txt"
needs_bonn = pytest.mark.skipif(not BONN.is_file(), reason=f"the Bonn reference text is not beside the "
                                                           f"checkout ({BONN.parent.parent.name}/reference/)")
_CHOOSE = re.compile(r"\{choose: \[(\"[^\"]*\"|[^,\]]+)[^\]]*\]\}")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def resolve(root: Path, term_from: str = "2025-01-01") -> None:
    """What an organiser does after the import: take the first option of every choice, add terms."""
    for path in root.rglob("*.yaml"):
        text = _CHOOSE.sub(r"\1", path.read_text(encoding="utf-8"))
        if path.parent.name == "recipients":
            text = text.replace("\nsalutation:", f"\nterm:\n  from: {term_from}\nsalutation:", 1)
        path.write_text(text, encoding="utf-8")


def body_words(path: Path, salutation: str, closing: str) -> list[str]:
    """The words of a built letter from its salutation to its closing, as the reader reads them."""
    passages = [" ".join(p.text.split()) for p in read_letter(path).passages]
    start = passages.index(salutation)
    end = passages.index(closing, start)
    return words("\n".join(passages[start:end]))


def choice_words(result) -> set[str]:
    """Every word of every variant the report lists: the only words a choice may change."""
    found = set()
    for item in result.disagreements:
        for variant in item.variants:
            found.update(words(variant.split(" (")[0]))
    return found


def assert_rebuilt(result, root: Path, letters_by_id: dict, closings: dict[str, str]) -> None:
    """Every built DOCX says what its original said, word for word, but the words of a choice."""
    allowed = choice_words(result)
    for letter_id, letter in letters_by_id.items():
        built = body_words(root / "build" / result_campaign(root) / f"{letter_id}.docx",
                           letter.salutation, closings[letter_id])
        original = original_words(letter)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, original, built, autojunk=False).get_opcodes():
            if op != "equal":
                changed = {_core(w) for w in (*original[i1:i2], *built[j1:j2])}
                assert changed <= {_core(w) for w in allowed}, (letter_id, op, original[i1:i2], built[j1:j2])


def _core(word: str) -> str:
    """A word without the punctuation around it, in lower case: "(ASMKOM)," is "asmkom"."""
    return re.sub(r"^\W+|\W+$", "", word).lower()


def result_campaign(root: Path) -> str:
    return next((root / "campaigns").glob("*.yaml")).stem


def imported(tmp_path: Path, files: list[Path], campaign: str):
    from appealkit.importer.importing import _read

    result = import_letters(ImportOptions(tuple(files), tmp_path / "draft", campaign))
    _, letters = _read(ImportOptions(tuple(files), tmp_path, campaign), [], [], [])
    return result, {report.id: letter for report, letter in zip(result.letters, letters, strict=True)}


def test_own_letters_become_a_workspace_that_rebuilds_them(tmp_path):
    result, letters = imported(tmp_path, OWN, "own")
    root = tmp_path / "draft"
    assert [(r.recipient, r.language) for r in result.letters] == [
        ("federal-minister-of-justice", "en"), ("president-of-the-european-commission", "en"),
        ("bundesminister-des-auswartigen", "de")]
    assert all(r.similarity >= 0.98 for r in result.letters), result.letters
    # the drift typed by hand: "nearly" for "about", Vugar for Vuqar
    assert {(d.subject, d.kind) for d in result.disagreements} == {
        ("political_prisoners", "qualifier"), ("vuqar_rzayev", "spelling")}
    facts = (root / "facts" / "own.yaml").read_text(encoding="utf-8")
    assert 'qualifier: {choose: ["about", "nearly"]}' in facts
    assert "parts:\n    women:\n      value: 9" in facts
    people = (root / "people" / "own.yaml").read_text(encoding="utf-8")
    assert 'name: "Vuqar Rzayev"' in people and 'variants: ["Vugar Rzayev"]' in people
    # the sender's German name is its translation, not a variant
    assert 'de: {name: "Koordinierungszentrum aserbaidschanischer politischer Flüchtlinge"}' in people
    english = (root / "templates" / "federal-minister-of-justice.md").read_text(encoding="utf-8")
    assert "| 2025 | {{ fact(\"2025_journalists_in_prison\").figure }} |" in english
    assert "1. to press Baku" in english and "3. to receive" in english
    assert "{{ recipient.holder }}, we thank you" in english
    shared = (root / "templates" / "snippets" / "own-2.md").read_text(encoding="utf-8")
    assert shared.startswith('Azerbaijan holds {{ fact("political_prisoners") }} today, and {{ fact("journalists") }}')
    assert '{% include "snippets/own-2.md" %}' in (
        root / "templates" / "president-of-the-european-commission.md").read_text(encoding="utf-8")
    german = (root / "templates" / "bundesminister-des-auswartigen.de.md").read_text(encoding="utf-8")
    # one claim in both languages is one fact, its German noun a translation; "40" is not unique
    # among the English figures (the table has it too), so the German one stays a fact of its own
    assert '{{ fact("political_prisoners") }}' in german and '{{ fact("journalisten") }}' in german
    assert 'translations: {de: {noun: "politische Gefangene"}}' in facts
    assert '{{ person("vuqar_rzayev") }}' in german
    recipient = (root / "recipients" / "president-of-the-european-commission.yaml").read_text(encoding="utf-8")
    assert 'address: ["Rue de la Loi 200", "1049 Brussels"]' in recipient and "term" not in recipient.split(
        "# check")[0]

    code, out, _ = run("--root", str(root), "check")
    lines = out.splitlines()
    assert code == 1
    assert lines == [
        "facts/own.yaml:7: error: 'qualifier' is a choice left open (about, nearly) "
        "(replace the 'choose:' with the one true 'qualifier')",
        *(f"recipients/{r}.yaml:3: error: recipient '{r}' is missing 'term' (add 'term:' with 'from:' "
          "(and 'to:' when the term has an end) and a 'source:')"
          for r in ("bundesminister-des-auswartigen", "federal-minister-of-justice",
                    "president-of-the-european-commission"))]

    resolve(root)
    code, _, err = run("--root", str(root), "check")
    assert (code, err.strip()) == (0, "checked 12 files: no findings")
    code, _, err = run("--root", str(root), "build", "own")
    assert code == 0, err
    assert_rebuilt(result, root, letters, {"federal-minister-of-justice": "Yours sincerely,",
                                           "president-of-the-european-commission": "Yours sincerely,",
                                           "bundesminister-des-auswartigen": "Mit freundlichen Grüßen"})
    built = root / "build" / "own" / "federal-minister-of-justice.docx"
    table = docx.Document(str(built)).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Year", "Journalists in prison"], ["2024", "35"], ["2025", "more than 40"]]
    # the built DOCX read back: its table, its Word-numbered requests, its recipient
    again = import_letters(ImportOptions((built,), tmp_path / "again", "again"))
    assert again.letters[0].similarity >= 0.98, again.letters
    template = (tmp_path / "again" / "templates" / "federal-minister-of-justice.md").read_text(encoding="utf-8")
    assert "| 2025 | {{ fact(\"2025_journalists_in_prison\").figure }} |" in template
    assert "to press Baku for the release" in template

    code, out, _ = run("--root", str(root), "audit", *map(str, OWN), "--format", "json")
    import json

    found = {f["found"] for f in json.loads(out)["findings"]}
    assert found == {"nearly 400", "Vugar Rzayev"}


@needs_bonn
def test_bonn_appeals(tmp_path):
    result, letters = imported(tmp_path, [BONN], "bonn-2025")
    root = tmp_path / "draft"
    assert len(result.letters) == 3
    assert all(r.similarity >= 0.98 for r in result.letters), result.letters
    assert {"political_prisoners", "journalists", "terrorists", "citizens"} <= {f.id for f in result.facts}
    assert {"vuqar_rzayev", "mohammad_mirzali", "punhan_karimli", "ali_karimli", "asimkom"} <= {p.id for p in result.people}
    drift = {d.subject: d for d in result.disagreements}
    assert [v.split(" (")[0] for v in drift["political_prisoners"].variants] == [
        "about 400", "nearly 400", "approximately 400"]
    assert [v.split(" (")[0] for v in drift["asimkom"].variants] == ["ASIMKOM", "ASMKOM", "ASİMKOM"]
    assert drift["vuqar_rzayev"].kind == "spelling"
    # "9 women" and "nine women": kept as each letter writes it, listed apart from the drift
    assert result.formats == (f"journalists.women: '9' ({BONN}:24), '9' ({BONN}:54), 'nine' ({BONN}:100)",)
    assert not [c for c in result.checks if c.startswith("audit would")]

    code, out, _ = run("--root", str(root), "check")
    problems = out.splitlines()
    assert code == 1 and len(problems) == 6
    assert sum("is a choice left open" in p for p in problems) == 3
    assert sum("is missing 'term'" in p for p in problems) == 3

    resolve(root)
    code, _, err = run("--root", str(root), "check")
    assert (code, err.strip()) == (0, "checked 9 files: no findings")
    code, _, err = run("--root", str(root), "build", "bonn-2025")
    assert code == 0, err
    assert_rebuilt(result, root, letters, dict.fromkeys(letters, "Yours sincerely,"))
    # the bundle of the three as one PDF: three letters again, page numbers and all
    bundle = import_letters(ImportOptions((root / "build" / "bonn-2025" / "all-letters.pdf",),
                                          tmp_path / "bundle", "bundle"))
    assert [r.recipient for r in bundle.letters] == [r.recipient for r in result.letters]
    assert all(r.similarity >= 0.98 for r in bundle.letters), bundle.letters
    assert not bundle.disagreements  # every choice was made the same way in all three
    templates = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "bundle" / "templates").glob("*.md"))
    assert "1 / 2" not in templates and "25 October 2025" not in templates

    code, out, _ = run("--root", str(root), "audit", str(BONN), "--format", "json")
    import json

    found = {f["found"] for f in json.loads(out)["findings"]}
    chosen = {"about 400", "More than 40", "ASIMKOM", "Vuqar Rzayev", "Mohammad Mirzali", "Punhan Karimli",
              "Coordination Center of Azerbaijani Political Refugees"}
    listed = {v.split(" (")[0] for d in result.disagreements for v in d.variants}
    assert found == listed - chosen


@needs_bonn
def test_built_docx_and_pdf_with_drift_typed_in_are_imported_back(tmp_path):
    """The Bonn letter to Berlin built as DOCX and PDF, its figures changed by hand, read back."""
    imported(tmp_path, [BONN], "bonn-2025")
    root = tmp_path / "draft"
    resolve(root)
    template = root / "templates" / "federal-minister-of-foreign-affairs.md"
    text = template.read_text(encoding="utf-8")
    # drift typed into the letter by hand, for the PDF: "nearly 400" where the fact says about 400
    template.write_text(text.replace('{{ fact("political_prisoners") }}', "nearly 400 political prisoners")
                        .replace("are held in Azerbaijani prisons.", "are held in Azerbaijani prisons. {# literal #}"),
                        encoding="utf-8")
    assert run("--root", str(root), "build", "bonn-2025")[0] == 0
    built = root / "build" / "bonn-2025"
    document = docx.Document(str(built / "federal-minister-of-foreign-affairs.docx"))
    for paragraph in document.paragraphs:  # and for the DOCX, "9 women" written as words by hand
        for run_ in paragraph.runs:
            run_.text = run_.text.replace("9 women", "nine women")
    hand_edited = tmp_path / "returned.docx"
    document.save(str(hand_edited))
    pdf = tmp_path / "returned.pdf"
    pdf.write_bytes((built / "federal-minister-of-foreign-affairs.pdf").read_bytes())

    for letter in (hand_edited, pdf):
        into = tmp_path / letter.suffix[1:]
        result = import_letters(ImportOptions((letter,), into, "returned"))
        assert len(result.letters) == 1
        assert result.letters[0].similarity >= 0.98, result.letters
        facts = (into / "facts" / "returned.yaml").read_text(encoding="utf-8")
        assert "political_prisoners:\n  value: 400\n  qualifier: \"nearly\"" in facts
        assert "women:\n      value: 9" in facts
        recipient = (into / "recipients").glob("*.yaml")
        office = next(recipient).read_text(encoding="utf-8")
        assert 'office: "Federal Minister of Foreign Affairs of the Federal Republic of Germany"' in office
        template = next((into / "templates").glob("*.md")).read_text(encoding="utf-8")
        assert ('fact("journalists").part("women", words=True)' in template) == (letter.suffix == ".docx")


def test_one_unreadable_file_is_one_line_and_the_others_are_imported(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping: bread, milk and 12 eggs.\n", encoding="utf-8")
    code, out, _ = run("import", str(broken), str(notes), str(OWN[1]), "--into", str(tmp_path / "draft"))
    assert code == 2
    assert f"not imported: {broken}: error: cannot read the DOCX file" in out
    assert f"not imported: {notes}: error: no letter found in this file" in out
    assert (tmp_path / "draft" / "templates" / "bundesminister-des-auswartigen.de.md").is_file()


def test_nothing_is_written_over_a_workspace(tmp_path):
    assert run("import", str(OWN[1]), "--into", str(tmp_path), "--campaign", "c")[0] == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, _, err = run("import", *map(str, OWN), "--into", str(tmp_path), "--campaign", "c")
    assert code == 1
    assert "facts/c.yaml: error: exists already; import writes new files only" in err
    assert "templates/bundesminister-des-auswartigen.de.md: error: exists already" in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    # another campaign name, the same facts: the ids are taken, so nothing is written either
    code, _, err = run("import", str(OWN[1]), "--into", str(tmp_path), "--campaign", "d")
    assert code == 1 and "facts/c.yaml: error: defines 'politische_gefangene', 'journalisten'" in err
    assert not (tmp_path / "facts" / "d.yaml").exists()


def test_json_report_and_dry_run(tmp_path):
    code, out, err = run("import", *map(str, OWN), "--into", str(tmp_path / "draft"), "--dry-run",
                         "--format", "json")
    import json

    report = json.loads(out)
    assert code == 0 and not (tmp_path / "draft").exists()
    assert [d["subject"] for d in report["disagreements"]] == ["political_prisoners", "vuqar_rzayev"]
    assert {"id", "source", "recipient", "language", "similarity"} <= set(report["letters"][0])
    assert "dry run: 12 file(s) would be written" in err


def test_options_are_checked_before_any_file_is_read(tmp_path):
    code, _, err = run("import", str(OWN[1]), "--into", str(tmp_path / "d"), "--language", "xx")
    assert (code, err.strip()) == (2, "--language: error: unknown language 'xx' (give a code such as en, de, fr or az)")
    code, _, err = run("import", str(OWN[1]), "--into", str(tmp_path / "d"), "--campaign", "../up")
    assert code == 2 and err.startswith("--campaign: error: '../up' is not a safe file name")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(("options", "flag"), [({"language": "xx"}, "--language"), ({"campaign": "../up"}, "--campaign")])
def test_import_from_python_is_refused_with_the_cli_line(tmp_path, options, flag):
    """`ImportOptions` is checked in the core: the field's name where the command line names its flag."""
    from appealkit.errors import UsageError

    with pytest.raises(UsageError) as caught:
        import_letters(ImportOptions((OWN[1],), tmp_path / "d", **options))
    field = next(iter(options))
    code, _, err = run("import", str(OWN[1]), "--into", str(tmp_path / "d"), flag, options[field])
    assert caught.value.message.startswith(f"{field}: error: ")
    assert (code, err.strip()) == (2, flag + caught.value.message[len(field):])
    assert not (tmp_path / "d").exists()


def test_the_language_given_wins_over_the_one_detected(tmp_path):
    result = import_letters(ImportOptions((OWN[1],), tmp_path / "d", "de", language="en", dry_run=True))
    assert [r.language for r in result.letters] == ["en"]
    assert "templates/bundesminister-des-auswartigen.md" in result.files
