"""One budget per letter: whatever construct a template uses, the letter's characters, loop steps,
macro calls and CPU time are counted together, and `check` (which renders too) stops the same way.
The one-line messages of each construct are in tests/bad_inputs/ (loop-*, macro-*, *-doubling)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli
from appealkit.render import budget
from appealkit.render.letters import make_environment

HINT = "(a letter needs no text, number or loop this large)"


def invoke(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_check_renders_under_the_same_budget(tmp_path):
    root = make_workspace(tmp_path, {"templates/appeal.md": "Intro.\n\n{% for a in 'x' * 90000 %}"
                                     "{% for b in 'y' * 90000 %}{% endfor %}{% endfor %}\n"})
    result = invoke(root, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "templates/appeal.md:3: error: too large for a template: loops ran more than 100000 times in one letter "
        + HINT)


def test_a_loop_whose_body_is_slow_stops_at_the_cpu_deadline(tmp_path, monkeypatch):
    monkeypatch.setattr(budget, "MAX_SECONDS", 0.2)
    tests = "{% if i == -1 %}x{% endif %}" * 1000
    root = make_workspace(tmp_path, {"templates/appeal.md": "Intro.\n\n{% for i in range(99000) %}"
                                     + tests + "{% endfor %}\n"})
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/appeal.md:3: error: too large for a template: rendering the letter took more than 0.2 s "
        f"of CPU time {HINT}")


def test_comparisons_read_the_clock_too(tmp_path, monkeypatch):
    """Straight template code without loops or calls: each comparison is a point the clock is read.

    Few comparisons, each slow (a search through 99,999 items, most of a millisecond): 300 of them
    take several times the 0.05 s allowed, and the template compiles in a blink."""
    monkeypatch.setattr(budget, "MAX_SECONDS", 0.05)
    body = "{% if 'y' in b %}{% endif %}" * 300
    root = make_workspace(tmp_path, {"templates/appeal.md": "Intro.\n\n{% set a = 'a' %}"
                                     "{% set b = ['x'] * 99999 %}\n" + body + "\n"})
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/appeal.md:4: error: too large for a template: rendering the letter took more than 0.05 s "
        f"of CPU time {HINT}")


def test_includes_spend_from_their_letters_budget(tmp_path):
    root = make_workspace(tmp_path, {
        "templates/snippets/loop.md": "{% for i in range(60000) %}{% endfor %}\n",
        "templates/appeal.md": "Intro.\n\n{% include 'snippets/loop.md' %}\n{% include 'snippets/loop.md' %}\n",
    })
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/snippets/loop.md:1: error: too large for a template: loops ran more than 100000 times "
        f"in one letter {HINT}")


def test_each_rendering_starts_a_fresh_budget(tmp_path):
    make_workspace(tmp_path)
    template = make_environment(tmp_path).from_string("{% for i in range(60000) %}{% endfor %}done")
    assert [template.render() for _ in range(3)] == ["done"] * 3


@pytest.mark.parametrize("source", [
    "{% for k, v in {'a': 1, 'b': 2}|dictsort %}{{ k }}{{ v }} {{ loop.length }}{% endfor %}",
    "{% for x in [[1, [2, [3]]]] recursive %}{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}"
    "{% endif %}{% endfor %}",
    "{% macro m() %}<{{ caller() }}>{% endmacro %}{% call m() %}in{% endcall %}",
    "{% set t %}a{{ 'b' ~ 'c' }}{% endset %}{{ t }}{{ t|length }}",
    "{{ 'abcdef'[1:3] }}{{ [1, 2, 3][-1] }}{% if 2 is divisibleby 2 and 1 < 2 %}ok{% endif %}",
])
def test_ordinary_constructs_still_render(tmp_path, source):
    make_workspace(tmp_path)
    assert make_environment(tmp_path).from_string(source).render()
