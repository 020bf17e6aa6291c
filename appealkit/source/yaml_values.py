"""Scalars YAML would turn into values no letter can carry: impossible dates, endless numbers, .inf.

PyYAML raises a bare ValueError for `as_of: 2025-02-30` and for an integer of more than
4,300 digits, and loads `.inf` and `.nan` as floats no letter can print. Each becomes a
`BadValue` here, which the loader reports with the file, the line, the key and what to
write instead, after reading the whole file.
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from dataclasses import dataclass
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

#: No figure a letter cites needs more digits; longer numbers are refused before Python parses them.
MAX_DIGITS = 30
DATE_HINT = "write YYYY-MM-DD"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DATE = re.compile(r"(-?\d+)-(\d+)-(\d+)")


@dataclass(frozen=True)
class BadValue:
    """A scalar that cannot be loaded: what is wrong with it and what to write instead."""

    problem: str
    hint: str
    line: int


def _line(node: ScalarNode) -> int:
    return node.start_mark.line + 1


def date_problem(text: str) -> str:
    """Why `text`, shaped like a date, is not one: "February 2025 has 28 days"."""
    match = _DATE.match(text)
    if not match:
        return f"'{text}' is not a date"
    year, month, day = (int(part) for part in match.groups())
    if year == 0:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day == 0:
        return "there is no day 0"
    days = monthrange(year, month)[1]
    if day > days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    return f"'{text}' is not a date and time that exists"


def construct_timestamp(loader: Any, node: ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return BadValue(date_problem(str(node.value)), DATE_HINT, _line(node))


def construct_int(loader: Any, node: ScalarNode) -> Any:
    digits = sum(1 for c in str(node.value) if c.isdigit())
    if digits > MAX_DIGITS:
        return BadValue(f"a number of {digits:,} digits is too long", f"write at most {MAX_DIGITS} digits",
                        _line(node))
    return SafeConstructor.construct_yaml_int(loader, node)


def construct_float(loader: Any, node: ScalarNode) -> Any:
    value = SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        return BadValue(f"'{node.value}' is not a number a letter can cite",
                        "write a finite number such as 12.5", _line(node))
    if abs(value) >= 10 ** MAX_DIGITS:
        return BadValue(f"'{node.value}' is too large a number", f"write at most {MAX_DIGITS} digits",
                        _line(node))
    return value


CONSTRUCTORS = {
    "tag:yaml.org,2002:timestamp": construct_timestamp,
    "tag:yaml.org,2002:int": construct_int,
    "tag:yaml.org,2002:float": construct_float,
}
