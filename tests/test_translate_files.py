"""Translators' files: the example's templates through XLIFF 2.0 and PO and back, byte for byte, and
units refused for what they did to their placeholders, with the unit and the line."""

from __future__ import annotations

import hashlib
import json

import polib
import pytest
from click.testing import CliRunner
from helpers import copy_example, docx_text
from lxml import etree

from appealkit.cli import cli
from appealkit.translate.xliff import NS

MASTERS = ("appeal-de-foreign-minister.md", "snippets/deportations.md", "snippets/press-freedom.md",
           "snippets/transnational-repression.md", "snippets/european-future.md", "email/cover.md")
X = {"x": NS}


@pytest.fixture
def example(tmp_path):
    return copy_example(tmp_path / "ws")


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def export(root, master, language, fmt, target):
    result = run(root, "translations", "export", master, "--to", language, "--format", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    return target


def built_letters(root):
    result = run(root, "build", "bonn-2025", "--format", "docx", "--format", "pdf", "--force")
    assert result.exit_code == 0, result.output
    out = root / "build" / "bonn-2025"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.docx"))
            + sorted(out.glob("*.pdf")) if p.name != "all-letters.pdf"}


@pytest.fixture(scope="module")
def pristine_letters(tmp_path_factory):
    """The example's letters built once from an untouched copy, for both formats' round trips to
    match (a build's bytes do not depend on the folder it runs in)."""
    return built_letters(copy_example(tmp_path_factory.mktemp("pristine") / "ws"))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_untouched_templates_round_trip_and_rebuild_byte_identical(example, pristine_letters, tmp_path, fmt):
    before = {p: p.read_bytes() for p in sorted((example / "templates").rglob("*.md"))}
    for master in MASTERS:
        for language in ("de", "az"):
            exported = export(example, master, language, fmt, tmp_path / f"out.{fmt}")
            imported = run(example, "translations", "import", str(exported))
            assert imported.exit_code == 0, imported.output
            assert imported.stdout.startswith("unchanged  templates/")
    assert {p: p.read_bytes() for p in sorted((example / "templates").rglob("*.md"))} == before
    assert built_letters(example) == pristine_letters


def test_the_xliff_is_xliff_2_0_with_protected_placeholders(example, tmp_path):
    document = etree.parse(str(export(example, "snippets/deportations.md", "de", "xliff", tmp_path / "d.xlf")))
    root = document.getroot()
    assert (root.tag, root.get("version"), root.get("srcLang"), root.get("trgLang")) == (
        f"{{{NS}}}xliff", "2.0", "en", "de")
    unit = root.find("x:file/x:unit", X)
    assert unit.get("id").startswith("p1-")
    data = {d.get("id"): d.text for d in unit.findall("x:originalData/x:data", X)}
    assert data["d2"] == '{{ fact("deported_activists") }}'
    source_ph = unit.findall("x:segment/x:source/x:ph", X)
    assert [p.get("dataRef") for p in source_ph] == ["d1", "d2", "d3", "d4", "d5"]
    assert source_ph[1].get("disp") == "sechs politische Aktivisten"  # the value the German letter shows
    assert source_ph[2].get("disp").startswith("Samir Ashurov, ")
    assert all(p.get("canDelete") == "no" and p.get("canCopy") == "no" for p in source_ph)
    assert unit.find("x:segment", X).get("state") == "translated"
    assert "".join(unit.find("x:segment/x:target", X).itertext()).startswith("Für Kritiker des Regimes")


def test_the_po_file_reads_in_polib_with_python_format_and_translator_comments(example, tmp_path):
    po = polib.pofile(str(export(example, "snippets/deportations.md", "az", "po", tmp_path / "d.po")))
    assert po.metadata["Language"] == "az"
    [entry] = po
    assert "python-format" in entry.flags and "fuzzy" not in entry.flags
    assert "%(fact_deported_activists)s" in entry.msgid and "%(fact_deported_activists)s" in entry.msgstr
    assert '%(fact_deported_activists)s = {{ fact("deported_activists") }} → ' in entry.comment
    assert entry.occurrences == [("templates/snippets/deportations.md", "2")]


def test_a_stale_paragraph_goes_out_for_review_and_a_new_one_empty(example, tmp_path):
    path = example / "templates" / "snippets" / "transnational-repression.md"
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    path.write_text(paragraphs[0].replace("does not end", "never ends", 1) + "\n\n" + paragraphs[1].rstrip("\n")
                    + "\n\nA paragraph no one has translated.\n", encoding="utf-8")
    po = polib.pofile(str(export(example, "snippets/transnational-repression.md", "de", "po", tmp_path / "t.po")))
    assert ["fuzzy" in e.flags for e in po] == [True, False, False]
    assert [bool(e.msgstr) for e in po] == [True, True, False]
    xliff = etree.parse(str(export(example, "snippets/transnational-repression.md", "de", "xliff",
                                   tmp_path / "t.xlf")))
    segments = xliff.getroot().findall("x:file/x:unit/x:segment", X)
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("initial", "appealkit:stale"), ("translated", None), ("initial", None)]


def test_an_imported_translation_is_written_marked_current_and_built(example, tmp_path):
    path = example / "templates" / "snippets" / "deportations.md"
    path.write_text(path.read_text(encoding="utf-8").replace("means prison.", "means prison and worse."),
                    encoding="utf-8")
    exported = export(example, "snippets/deportations.md", "de", "po", tmp_path / "d.po")
    po = polib.pofile(str(exported))
    entry = po[0]
    entry.msgstr = entry.msgstr.replace("das Gefängnis.", "das Gefängnis und Schlimmeres.")
    entry.flags.remove("fuzzy")
    po.save(str(exported))
    imported = run(example, "translations", "import", str(exported))
    assert imported.exit_code == 0, imported.output
    assert imported.stdout == "wrote  templates/snippets/deportations.de.md  (1 paragraphs imported)\n"
    states = json.loads(run(example, "translations", "--format", "json").stdout)
    assert {s["translation"]: s["up_to_date"] for s in states}["templates/snippets/deportations.de.md"] is True
    assert run(example, "build", "bonn-2025", "--format", "docx").exit_code == 0
    text = docx_text(example / "build" / "bonn-2025" / "appeal-de-foreign-minister--de-foreign-minister--de.docx")
    assert "das Gefängnis und Schlimmeres." in text


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.replace("%(person_emin_malikov)s ", ""),
     "placeholder 4 ({{ person(\"emin_malikov\") }}) was removed"),
    (lambda s: s.replace("%(person_emin_malikov)s", "%(person_emin_malikov)s %(person_emin_malikov)s"),
     "placeholder 4 ({{ person(\"emin_malikov\") }}) appears 2 times, the source has it 1"),
    (lambda s: s.replace("%(person_emin_malikov)s", "%(person_someone)s"),
     "placeholder person_someone is not one of the unit's"),
], ids=["removed", "duplicated", "invented"])
def test_a_po_unit_that_breaks_its_placeholders_is_refused_with_unit_and_line(example, tmp_path, change, message):
    exported = export(example, "snippets/deportations.md", "de", "po", tmp_path / "d.po")
    text = exported.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("msgstr") and n > 20)
    exported.write_text(text.replace(text.splitlines()[line - 1], change(text.splitlines()[line - 1])),
                        encoding="utf-8")
    before = (example / "templates" / "snippets" / "deportations.de.md").read_bytes()
    result = run(example, "translations", "import", str(exported))
    assert result.exit_code == 1
    unit = polib.pofile(str(exported))[0]
    assert result.stderr.splitlines()[0].startswith(f"{exported}:{unit.linenum}: error: unit {unit.msgctxt}: "
                                                    f"{message}")
    assert (example / "templates" / "snippets" / "deportations.de.md").read_bytes() == before


def test_an_xliff_unit_without_a_placeholder_is_refused_with_unit_and_line(example, tmp_path):
    exported = export(example, "snippets/deportations.md", "az", "xliff", tmp_path / "d.xlf")
    tree = etree.parse(str(exported))
    target = tree.getroot().find("x:file/x:unit/x:segment/x:target", X)
    dropped = target.findall("x:ph", X)[1]
    dropped.getparent().remove(dropped)
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = run(example, "translations", "import", str(exported))
    assert result.exit_code == 1
    unit_id = tree.getroot().find("x:file/x:unit", X).get("id")
    assert result.stderr.splitlines() == [
        f"{exported}:{target.sourceline}: error: unit {unit_id}: placeholder 2 ({{{{ fact(\"deported_activists\") }}}}) "
        f"was removed (every placeholder of the source must stay in the translation)"]


def test_tags_keep_their_order(example, tmp_path):
    path = example / "templates" / "snippets" / "deportations.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "means prison.", "means {% if true %}prison{% endif %}."), encoding="utf-8")
    exported = export(example, "snippets/deportations.md", "de", "po", tmp_path / "d.po")
    po = polib.pofile(str(exported))
    po[0].msgstr = po[0].msgid.replace("%(if_true)s", "@").replace("%(endif)s", "%(if_true)s").replace("@", "%(endif)s")
    po[0].flags.remove("fuzzy")
    po.save(str(exported))
    result = run(example, "translations", "import", str(exported))
    assert result.exit_code == 1
    assert "the {% %} tags are out of their order ({% endif %} {% if true %})" in result.stderr


def test_export_of_a_template_that_is_no_master(example):
    result = run(example, "translations", "export", "nothing.md", "--to", "de")
    assert result.exit_code == 1
    assert result.stderr == ("nothing.md: error: no such template under templates/ (name a translation such as "
                             "templates/appeal.de.md)\n")


def test_a_file_naming_no_language_is_refused_before_anything_is_written(example, tmp_path):
    exported = export(example, "snippets/deportations.md", "de", "po", tmp_path / "d.po")
    exported.write_text(exported.read_text(encoding="utf-8").replace('"Language: de\\n"', '"Language: ../../x\\n"'),
                        encoding="utf-8")
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    result = run(example, "translations", "import", str(exported))
    assert result.exit_code == 1
    assert result.stderr == (f"{exported}: error: names '../../x' as its language, which is no language code "
                             f"(import a file appealkit exported)\n")
    assert sorted(p.relative_to(example) for p in example.rglob("*")) == before
    unknown = run(example, "translations", "export", "snippets/deportations.md", "--to", "xx")
    assert unknown.stderr == ("templates/snippets/deportations.md: error: 'xx' is not a language appealkit knows "
                              "(use a language code such as de, fr or az)\n")


def test_export_from_python_refuses_a_format_it_does_not_write(example):
    """An unknown format was written as XLIFF from Python; now refused, as `--format` refuses it."""
    from appealkit.errors import UsageError
    from appealkit.source.workspace import load_workspace
    from appealkit.translate.files import export_file

    with pytest.raises(UsageError) as caught:
        export_file(load_workspace(example), "snippets/deportations.md", "de", "xlf")
    assert (caught.value.message, caught.value.exit_code) == ("fmt: error: unknown format 'xlf' (use xliff or po)", 2)
    assert export_file(load_workspace(example), "snippets/deportations.md", "de", "po").startswith(b"#")
