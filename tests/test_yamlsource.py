from __future__ import annotations

import pytest

from appealkit.errors import Problem, WorkspaceError
from appealkit.source.yamlsource import Fields, date, load_yaml, text


def load(tmp_path, content: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return load_yaml(path, "x.yaml")


def test_mappings_and_lists_remember_lines(tmp_path):
    data = load(tmp_path, "a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert data.key_lines == {"a": 1}
    assert data["a"].key_lines == {"b": 2, "c": 3}
    assert data["a"]["c"].item_lines == [4, 5]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: 1\na: 2\n", "x.yaml:2: error: YAML syntax: duplicate key 'a' (first given on line 1)"),
        ("a: &x [1]\nb: *x\n", "x.yaml:2: error: YAML syntax: aliases (*x) are not allowed; write the value out"),
        ("a: !!python/object:os.system x\n", "x.yaml:1: error: YAML syntax: the tag '!!python/object:os.system' is not allowed"),
        (b"a: caf\xe9\n", "x.yaml:1: error: the file is not UTF-8 text (save it with UTF-8 encoding)"),
        ("", "x.yaml:1: error: the file is empty (add content or delete the file)"),
        ("a:\n\tb: 1\n", "x.yaml:2: error: YAML syntax: found character '\\t' that cannot start any token"),
    ],
)
def test_bad_yaml_is_one_line(tmp_path, content, message):
    with pytest.raises(WorkspaceError) as info:
        load(tmp_path, content)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_fields_collects_every_problem(tmp_path):
    data = load(tmp_path, "title: ok\nwhen: soon\nextra: 1\n")
    problems: list[Problem] = []
    fields = Fields(data, "x.yaml", problems, "the record")
    assert fields.get("title", text) == "ok"
    assert fields.get("when", date) is None
    assert fields.get("missing", text, required=True) is None
    fields.done()
    assert [str(p) for p in problems] == [
        "x.yaml:2: error: 'when' must be a date (YYYY-MM-DD)",
        "x.yaml:1: error: the record is missing 'missing' (add 'missing: ...')",
        "x.yaml:3: error: unknown key 'extra' in the record (known keys: missing, title, when)",
    ]


def test_yes_no_is_not_text(tmp_path):
    data = load(tmp_path, "language: no\n")
    problems: list[Problem] = []
    Fields(data, "x.yaml", problems, "it").get("language", text)
    assert str(problems[0]) == "x.yaml:1: error: 'language' must be text (put it in quotes)"
