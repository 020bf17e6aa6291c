"""Impossible scalars are reported as what to write instead, never as a traceback."""

from __future__ import annotations

import pytest

from appealkit.errors import WorkspaceError
from appealkit.source.yaml_values import date_problem
from appealkit.source.yamlsource import load_yaml


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-02-30", "February 2025 has 28 days"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2014-13-01", "there is no month 13"),
    ("2014-00-10", "there is no month 0"),
    ("0000-01-01", "there is no year 0"),
    ("2025-06-00", "there is no day 0"),
])
def test_date_problems(text, expected):
    assert date_problem(text) == expected


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("a:\n  as_of: 2025-02-30\n", ["x.yaml:2: error: 'as_of': February 2025 has 28 days (write YYYY-MM-DD)"]),
    ("a: {value: .inf, b: -.inf}\n", [
        "x.yaml:1: error: 'value': '.inf' is not a number a letter can cite (write a finite number such as 12.5)",
        "x.yaml:1: error: 'b': '-.inf' is not a number a letter can cite (write a finite number such as 12.5)"]),
    ("a:\n  members: [2023-04-31]\n", ["x.yaml:2: error: April 2023 has 30 days (write YYYY-MM-DD)"]),
    ("a:\n  value: " + "1" * 31 + "\n", ["x.yaml:2: error: 'value': a number of 31 digits is too long "
                                       "(write at most 30 digits)"]),
])
def test_every_bad_value_of_a_file_is_reported(tmp_path, yaml_text, expected):
    path = tmp_path / "x.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_yaml(path, "x.yaml")
    assert info.value.message.splitlines() == expected


def test_good_values_still_load(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: {d: 2024-02-29, n: " + "9" * 30 + ", f: 12.5}\n", encoding="utf-8")
    data = load_yaml(path, "x.yaml")
    assert str(data["a"]["d"]) == "2024-02-29" and data["a"]["n"] == int("9" * 30) and data["a"]["f"] == 12.5
