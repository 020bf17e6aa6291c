"""importer/templating.py: a letter's own words as a template that prints them unchanged."""

from __future__ import annotations

from appealkit.importer.importing import ImportOptions, import_letters

AWKWARD = """\
To the Minister of Justice,
Dr. Anna Beispiel

Bonn, 25 October 2025

Dear Dr. Anna Beispiel,

Markup is text here: *stars*, _underscores_, [brackets], <b>tags</b>, a # sign, 50 % and a {{ curly }} {% pair %} {# too #}.

1. This numbered line is a request.

2) And so is this one, closed by a parenthesis, with a back\\slash & an ampersand.

- A dash that opens a line.
"""


def test_markup_and_template_syntax_in_a_letter_print_as_written(tmp_path):
    source = tmp_path / "awkward.txt"
    source.write_text(AWKWARD, encoding="utf-8")
    result = import_letters(ImportOptions((source,), tmp_path / "draft", "awkward"))
    assert result.letters[0].similarity == 1.0
    template = (tmp_path / "draft" / "templates" / "minister-of-justice.md").read_text(encoding="utf-8")
    assert r"\*stars\*, \_underscores\_, \[brackets\], \<b\>tags\</b\>" in template
    assert r"\{\{ curly \}\} \{\% pair \%\} \{\# too \#\}" in template
    assert "1. This numbered line" in template and "2. And so is this one" in template
    assert "\n\\- A dash" in template
    # "50 %": a figure with no noun after it is a fact all the same, placed by the words around it
    assert r'a \# sign, {{ fact("figure").figure }} \% and' in template
    assert "figure: placed by the words brackets, underscores around it" in result.checks
