"""Translations against their masters in a copy of the example: a master paragraph, a snippet, a list
item and a heading edited, and every finding checked in German, French and Azerbaijani."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from helpers import REPO, copy_example, docx_text, mark_translations

from appealkit.checks.check import check_folder
from appealkit.checks.translation_check import redline
from appealkit.cli import cli

LANGUAGES = ("de", "fr", "az")

#: A short master with each kind of block, and its translations, all citing the same facts.
BRIEF = {
    "brief.md": (
        "{#- A short letter for the tests of translations. -#}\n"
        "## The prisoners\n\n"
        "We write about {{ fact(\"political_prisoners\") }} held in Azerbaijan.\n\n"
        "{% include \"snippets/deportations.md\" %}\n\n\n"
        "- Free {{ person(\"emin_malikov\") }}.\n"
        "- Stop the deportations.\n"),
    "brief.de.md": (
        "{#- Ein kurzer Brief für die Tests der Übersetzungen. -#}\n"
        "## Die Gefangenen\n\n"
        "Wir schreiben wegen {{ fact(\"political_prisoners\") }} in Aserbaidschan.\n\n"
        "{% include \"snippets/deportations.md\" %}\n\n\n"
        "- Lassen Sie {{ person(\"emin_malikov\") }} frei.\n"
        "- Beenden Sie die Abschiebungen.\n"),
    "brief.fr.md": (
        "{#- Une courte lettre pour les tests des traductions. -#}\n"
        "## Les prisonniers\n\n"
        "Nous vous écrivons au sujet de {{ fact(\"political_prisoners\") }} en Azerbaïdjan.\n\n"
        "{% include \"snippets/deportations.md\" %}\n\n\n"
        "- Libérez {{ person(\"emin_malikov\") }}.\n"
        "- Mettez fin aux expulsions.\n"),
    "brief.az.md": (
        "{#- Tərcümə testləri üçün qısa məktub. -#}\n"
        "## Məhbuslar\n\n"
        "Azərbaycanda saxlanılan {{ fact(\"political_prisoners\") }} barədə yazırıq.\n\n"
        "{% include \"snippets/deportations.md\" %}\n\n\n"
        "- {{ person(\"emin_malikov\") }} azad edin.\n"
        "- Deportasiyaları dayandırın.\n"),
    "snippets/deportations.fr.md": (
        "{#- Dans toutes les lettres de Bonn : les militants expulsés vers Bakou. -#}\n"
        "Pour les critiques du régime, le retour en Azerbaïdjan signifie la prison. En vertu de l'accord de "
        "réadmission entre l'{{ person(\"european_union\") }} et l'Azerbaïdjan, {{ fact(\"deported_activists\") }} "
        "– {{ fact(\"deported_activists\").names }} – ont été remis aux autorités de Bakou et sont depuis "
        "emprisonnés. {{ person(\"emin_malikov\") }} {{ fact(\"emin_malikov_condition\") }}.\n"),
}


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def example(tmp_path):
    """The example workspace with the short letter in three languages, every translation marked, in git."""
    root = copy_example(tmp_path / "ws")
    for name, text in BRIEF.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")
    mark_translations(root)
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "x", "--allow-empty")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "marked")
    return root


def translation_findings(root):
    return [f for f in check_folder(root).findings if f.kind.startswith("translation-")]


def edit(root, name, old, new):
    path = root / "templates" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_example_ships_with_every_translation_current():
    assert [f for f in check_folder(REPO).findings if f.kind.startswith("translation-")] == []
    result = CliRunner().invoke(cli, ["--root", str(REPO), "translations", "--format", "json"])
    assert result.exit_code == 0, result.output
    states = json.loads(result.stdout)
    assert len(states) == 12 and all(s["up_to_date"] and s["marked"] for s in states)


def test_marked_copy_is_current_in_every_language(example):
    assert translation_findings(example) == []


@pytest.mark.parametrize(("name", "old", "new", "line", "number", "change"), [
    ("brief.md", "We write about", "We write again about", 4, 2, "…We write {+again+} about {{ fact(\"political_prisoners\") }}…"),
    ("brief.md", "- Stop the deportations.", "- Stop all deportations.", 10, 5, "…- Stop [-the-]{+all+} deportations.…"),
    ("brief.md", "## The prisoners", "## The political prisoners", 2, 1, "…## The {+political+} prisoners…"),
], ids=["paragraph", "list-item", "heading"])
def test_an_edited_master_block_makes_it_stale_in_every_language(example, name, old, new, line, number, change):
    edit(example, name, old, new)
    found = translation_findings(example)
    assert [(f.file, f.line, f.kind) for f in found] == [
        (f"templates/brief.{code}.md", line, "translation-stale") for code in sorted(LANGUAGES)]
    for finding in found:
        assert finding.severity == "warning"
        assert finding.message == (f"translates paragraph {number} of brief.md, which has changed since "
                                   f"({change})")
        assert finding.hint == f"translate the change, then run: appealkit translations mark {finding.file}"


def test_an_edited_snippet_makes_each_translation_of_it_stale(example):
    edit(example, "snippets/deportations.md", "means prison", "means prison, and often torture")
    found = translation_findings(example)
    assert [(f.file, f.line) for f in found] == [
        (f"templates/snippets/deportations.{code}.md", 2) for code in sorted(LANGUAGES)]
    assert all("[-prison.-]{+prison, and often torture.+}" in f.message and "snippets/deportations.md" in f.message for f in found)


def test_a_master_paragraph_without_translation_and_a_translation_without_master(example):
    edit(example, "brief.md", "- Stop the deportations.\n", "- Stop the deportations.\n\nA new paragraph.\n")
    edit(example, "brief.fr.md", "- Mettez fin aux expulsions.\n", "- Mettez fin aux expulsions.\n\nEt encore.\n")
    found = translation_findings(example)
    by_file = {(f.file, f.kind): f.message for f in found}
    assert by_file[("templates/brief.de.md", "translation-missing")] == (
        "has no translation of paragraph 6 of brief.md (A new paragraph.)")
    assert by_file[("templates/brief.az.md", "translation-missing")] == (
        "has no translation of paragraph 6 of brief.md (A new paragraph.)")
    # the French paragraph without mark is paired with the new master paragraph by its place
    assert by_file[("templates/brief.fr.md", "translation-unmarked")].startswith(
        "has no mark naming the master paragraph it translates (paragraph 6 of brief.md")


def test_a_removed_master_paragraph_leaves_its_translations_orphaned(example):
    edit(example, "brief.md", "- Stop the deportations.\n", "")
    edit(example, "brief.md", "- Free", "- Free at once")
    found = translation_findings(example)
    orphans = [(f.file, f.line, f.message) for f in found if f.kind == "translation-orphan"]
    assert orphans == [(f"templates/brief.{code}.md", 10, f"translates a paragraph that brief.md no longer has "
                        f"({text})") for code, text in (("az", "- Deportasiyaları dayandırın."),
                                                         ("de", "- Beenden Sie die Abschiebungen."),
                                                         ("fr", "- Mettez fin aux expulsions."))]


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_translation_may_not_drop_or_add_a_figure(example, code):
    edit(example, "brief.md", "held in Azerbaijan.", "held in Azerbaijan, {{ fact(\"journalists_imprisoned\") }} "
         "among them.")
    edit(example, f"brief.{code}.md", "{{ person(\"emin_malikov\") }}", "{{ person(\"vuqar_rzayev\") }}")
    errors = [f for f in translation_findings(example) if f.severity == "error" and f.file.endswith(f".{code}.md")]
    language = {"de": "German", "fr": "French", "az": "Azerbaijani"}[code]
    assert [(f.line, f.message) for f in errors] == [
        (4, f"the {language} letter omits the figure on journalists (fact 'journalists_imprisoned') that the "
            f"English master cites in paragraph 2 of brief.md"),
        (9, f"the {language} letter cites Vuqar Rzayev (person 'vuqar_rzayev'), which the English master does "
            f"not cite in paragraph 4 of brief.md"),
        (9, f"the {language} letter omits Emin Malikov (person 'emin_malikov') that the English master cites "
            f"in paragraph 4 of brief.md"),
    ]


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_translation_must_include_the_snippets_of_its_master(example, code):
    path = example / "templates" / f"brief.{code}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\{# from \w+ #\}\{% include .*\n\n\n", "", text), encoding="utf-8")
    errors = [str(f) for f in translation_findings(example) if f.severity == "error"]
    language = {"de": "German", "fr": "French", "az": "Azerbaijani"}[code]
    assert errors == [
        f"templates/brief.{code}.md:6: error: the {language} letter omits the snippet snippets/deportations.md "
        f"that the English master cites in paragraph 3 of brief.md "
        f"(cite it as the master does: {{% include \"snippets/deportations.md\" %}})"]


DEPORTATIONS = (REPO / "templates" / "snippets" / "deportations.md").read_text(encoding="utf-8").split("\n")[1]
DEPORTATIONS_NOW = DEPORTATIONS.replace("means prison", "means prison, and often torture")


def test_a_stale_letter_is_built_listed_in_the_manifest_and_refused_under_strict(example):
    edit(example, "snippets/deportations.md", "means prison", "means prison, and often torture")
    runner = CliRunner()
    built = runner.invoke(cli, ["--root", str(example), "build", "bonn-2025", "--format", "docx"])
    assert built.exit_code == 0, built.output
    out = example / "build" / "bonn-2025"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["translations_stale"] == [
        {"id": f"appeal-de-foreign-minister--de-foreign-minister--{code}",
         "translations": [f"templates/snippets/deportations.{code}.md"]} for code in ("de", "az")]
    assert "Für Kritiker des Regimes" in docx_text(out / "appeal-de-foreign-minister--de-foreign-minister--de.docx")
    strict = runner.invoke(cli, ["--root", str(example), "build", "bonn-2025", "--format", "docx", "--strict"])
    assert strict.exit_code == 1
    refused = {r["id"]: r["reasons"] for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["refused"]}
    # the English letter to the same minister is written; the Committee of Ministers' letter has its own warning
    assert sorted(refused) == ["appeal-coe-committee-of-ministers--coe-cm-chair",
                               *(f"appeal-de-foreign-minister--de-foreign-minister--{code}" for code in ("az", "de"))]
    for code in ("az", "de"):
        assert refused[f"appeal-de-foreign-minister--de-foreign-minister--{code}"] == [
            f"templates/snippets/deportations.{code}.md:2: warning: translates paragraph 1 of "
            f"snippets/deportations.md, which has changed since ({redline(DEPORTATIONS, DEPORTATIONS_NOW)}) "
            f"(translate the change, then run: appealkit translations mark templates/snippets/deportations.{code}.md)"]


def test_the_redline_names_what_changed_with_context():
    assert redline("one two three four five six", "one two THREE four five six") == (
        "…one two [-three-]{+THREE+} four five six…")
    assert redline("a  b", "a b") == "only its spacing changed"


def test_without_git_the_hint_shows_the_master_as_it_reads_now(example):
    shutil.rmtree(example / ".git")
    edit(example, "brief.md", "We write about", "We write again about")
    messages = {f.message for f in translation_findings(example)}
    assert messages == {"translates paragraph 2 of brief.md, which has changed since (its earlier text is not "
                        "in git; it reads now: We write again about {{ fact(\"political_prisoners\") }} held…)"}
