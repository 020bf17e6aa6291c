"""source/template_files.py: which template file a letter in a given language uses."""

from __future__ import annotations

import pytest
from helpers import build_file_tree

from appealkit.rules.language import MissingTranslation
from appealkit.source.template_files import file_language, include_name, name_language, resolve, versions


@pytest.mark.parametrize(("name", "language"), [
    ("appeal.de.md", "de"), ("de/appeal.md", "de"), ("snippets/press.az.md", "az"),
    ("appeal.md", None), ("appeal.v2.md", None), ("layout/letter.html", None),
])
def test_a_name_marks_its_language(name, language):
    assert name_language(name) == language


def test_versions_are_tried_in_order():
    assert versions("snippets/x.md", "fr") == ["snippets/x.fr.md", "fr/snippets/x.md", "snippets/x.md"]


def test_a_file_declares_its_language_on_its_first_line(tmp_path):
    build_file_tree(tmp_path, {
        "templates/plain.md": "Hello\n",
        "templates/declared.md": "{# language: de #}\nHallo\n",
        "templates/late.md": "Hello\n{# language: de #}\n",
    })
    assert file_language(tmp_path, "plain.md") == "en"
    assert file_language(tmp_path, "declared.md") == "de"
    assert file_language(tmp_path, "late.md") == "en"  # only the first line declares


def test_resolve_prefers_the_marked_file_then_the_folder_then_a_plain_file_in_the_language(tmp_path):
    build_file_tree(tmp_path, {
        "templates/a.md": "Hello\n", "templates/a.de.md": "Hallo\n", "templates/fr/a.md": "Bonjour\n",
        "templates/b.md": "{# language: az #}\nSalam\n",
    })
    assert resolve(tmp_path, "a.md", "en") == "a.md"
    assert resolve(tmp_path, "a.md", "de") == "a.de.md"
    assert resolve(tmp_path, "a.md", "fr") == "fr/a.md"
    assert resolve(tmp_path, "b.md", "az") == "b.md"


def test_no_version_in_the_language_is_an_error_naming_the_file_to_add(tmp_path):
    build_file_tree(tmp_path, {"templates/a.md": "Hello\n"})
    with pytest.raises(MissingTranslation) as caught:
        resolve(tmp_path, "a.md", "de")
    assert str(caught.value) == "template 'a.md' has no German (de) version"
    assert caught.value.hint == "add templates/a.de.md"


def test_an_include_follows_the_language_of_the_including_file(tmp_path):
    build_file_tree(tmp_path, {
        "templates/a.de.md": "x\n", "templates/snippets/s.md": "y\n", "templates/snippets/s.de.md": "z\n",
    })
    assert include_name(tmp_path, "snippets/s.md", "a.de.md") == "snippets/s.de.md"
    assert include_name(tmp_path, "snippets/s.md", None) == "snippets/s.md"
    assert include_name(tmp_path, "layout/x.html", "a.de.md") == "layout/x.html"
