from __future__ import annotations

import pytest
import yaml
from helpers import REPO

from appealkit.errors import Problem, WorkspaceError
from appealkit.source import yaml_parse
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


def test_a_choice_left_open_is_reported_where_it_is(tmp_path):
    """`appealkit import` writes `{choose: [...]}` where letters disagree, and an empty one where
    they are silent: loading names the line until someone decides."""
    data = load(tmp_path, "name: Vuqar\nqualifier: {choose: [about, nearly]}\nas_of: {choose: []}\n")
    problems: list[Problem] = []
    fields = Fields(data, "x.yaml", problems, "it")
    assert [fields.get(key, text) for key in ("name", "qualifier", "as_of")] == ["Vuqar", None, None]
    assert [str(p) for p in problems] == [
        "x.yaml:2: error: 'qualifier' is a choice left open (about, nearly) "
        "(replace the 'choose:' with the one true 'qualifier')",
        "x.yaml:3: error: 'as_of' is left to fill in (replace the 'choose:' with the 'as_of')"]


def _with_lines(value):
    """A loaded value with every line it remembers, for comparing two loaders."""
    if isinstance(value, dict):
        return (value.line, value.key_lines, {k: _with_lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return (value.line, value.item_lines, [_with_lines(v) for v in value])
    return value


@pytest.mark.skipif(yaml_parse._CParser is None, reason="PyYAML without libyaml: only the Python loader runs")
def test_libyaml_and_python_load_the_same_values_and_lines():
    files = sorted(REPO.glob("*/*.yaml"))
    assert len(files) > 10
    for path in files:
        text_ = path.read_text(encoding="utf-8")
        fast = yaml.load(text_, Loader=yaml_parse._FastLoader)
        slow = yaml.load(text_, Loader=yaml_parse._Loader)
        assert _with_lines(fast) == _with_lines(slow), path


def test_a_syntax_error_reads_the_same_with_libyaml(tmp_path):
    # libyaml words it "mapping values are not allowed in this context"; users see the Python words.
    with pytest.raises(WorkspaceError) as caught:
        load(tmp_path, "a: b: c\n")
    assert str(caught.value) == ("x.yaml:1: error: YAML syntax: mapping values are not allowed here "
                                 "(put the value in quotes if it contains ': ')")
