"""render/sandbox.py: the hardened Jinja sandbox. Letter budgets are in tests/test_budget.py; the
refusals as users see them, through the CLI, in tests/bad_inputs/."""

from __future__ import annotations

import re

import jinja2
import pytest
from helpers import make_workspace

from appealkit.errors import TemplateError
from appealkit.render.letters import make_environment
from appealkit.render.sandbox import MAX_SIZE, HardenedSandbox, LimitError, TemplatesLoader


def strip_escapes(text: str) -> str:
    """The Markdown escapes `{{ }}` adds, removed again."""
    return re.sub(r"\\(.)", r"\1", text)


def test_ordinary_template_code_still_works_in_the_tightened_sandbox(tmp_path):
    make_workspace(tmp_path)
    env = make_environment(tmp_path)
    template = env.from_string(
        "{{ '{:,}'.format(10000000) }} {{ 12.5|round }} [{{ 'ab'|center(6) }}] {{ 'x' * 3 }} {{ 2 ** 10 }} "
        "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} "
        "{{ 'a-b'.replace('-', '+') }} {{ [1, 2] + [3] }} {{ '%05d' % 42 }} {{ ['a', 'b']|join(', ') }}"
    )
    assert strip_escapes(template.render()) == "10,000,000 12.0 [  ab  ] xxx 1024 10 a+b [1, 2, 3] 00042 a, b"


@pytest.mark.parametrize("source", [
    "{{ 'x' * 1000000 }}",
    "{{ [0] * 1000000 }}",
    "{{ 'x'|center(1000000) }}",
    "{{ 'x'.ljust(1000000) }}",
    "{{ 9 ** 99999 }}",
    "{{ '%0999999d' % 1 }}",
    "{{ '{:>999999}'.format(1) }}",
])
def test_sizes_and_numbers_past_the_limits_are_refused(source):
    with pytest.raises((LimitError, jinja2.exceptions.SecurityError)):
        HardenedSandbox().from_string(source).render()


@pytest.mark.parametrize("source", [
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{x:>999999999}'.format_map({'x': 1}) }}",
    "{{ '{:.999999999f}'.format(1.5) }}",
])
def test_a_format_width_is_refused_before_the_text_is_made(source):
    """Jinja 3.1.5 moved str.format out of `format_string`: the text was made (a gigabyte of spaces),
    then refused as "the result of a call would be larger", or the machine ran out of memory first."""
    with pytest.raises(LimitError, match="a width in a format string is too large"):
        HardenedSandbox().from_string(source).render()


@pytest.mark.parametrize("source", ["{{ ''.__class__.__mro__ }}", "{% set x = [] %}{{ x.append(1) }}",
                                    "{{ cycler.__init__.__globals__ }}"])
def test_python_internals_and_changes_in_place_are_refused(source):
    with pytest.raises(jinja2.exceptions.SecurityError):
        HardenedSandbox().from_string(source).render()


def test_just_under_the_size_limit_renders():
    assert len(HardenedSandbox().from_string(f"{{{{ 'x' * {MAX_SIZE} }}}}").render()) == MAX_SIZE


def test_the_loader_stays_in_its_folder(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.md").write_text("A", encoding="utf-8")
    (tmp_path / "secret.md").write_text("S", encoding="utf-8")
    (templates / "link.md").symlink_to(tmp_path / "secret.md")
    env = HardenedSandbox(loader=TemplatesLoader(templates))
    assert env.get_template("a.md").render() == "A"
    for name in ("../secret.md", "link.md", "/etc/passwd", "missing.md"):
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template(name)


def test_a_control_character_is_named_with_its_line(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.md").write_text("fine\nbad \x07 bell\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        HardenedSandbox(loader=TemplatesLoader(templates)).get_template("a.md")
    assert str(caught.value) == ("templates/a.md:2: error: invisible control character '\\x07' in the template "
                                 "(delete it and retype the text around it)")
