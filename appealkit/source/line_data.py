"""Mappings and lists that know their lines, as the YAML loader makes them, and as JSON for the
parse cache (`source/parse_cache.py`): a workspace file parsed once reads back with its lines.

Kept apart from the loader so that reading a cached file never imports PyYAML.
"""

from __future__ import annotations

import datetime
from typing import Any


class LineDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


def key_line(mapping: Any, key: str) -> int | None:
    """The line of `key` in a mapping the loader made (None for any other mapping)."""
    return getattr(mapping, "key_lines", {}).get(key)


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class Uncacheable(Exception):
    """A value the JSON form does not hold exactly (a time of day, binary data): parsed every time."""


def to_json(value: Any) -> Any:
    """`value` (what the loader made) as JSON data that `from_json` turns back into the same value,
    lines included; every mapping of the JSON form is tagged, so none is mistaken for data."""
    kind = type(value)
    if kind is LineDict:
        return {"m": [value.line, list(value), [value.key_lines[k] for k in value],
                      [to_json(v) for v in value.values()]]}
    if kind is LineList:
        return {"l": [value.line, value.item_lines, [to_json(v) for v in value]]}
    if kind is datetime.date:
        return {"d": value.isoformat()}
    if kind in (str, int, bool) or value is None:
        return value
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return value
    raise Uncacheable(kind.__name__)


def from_json(data: Any) -> Any:
    """The value `to_json` made `data` from; `ValueError` for anything it did not make."""
    if isinstance(data, dict):
        if len(data) != 1:
            raise ValueError("not a value of the parse cache")
        (tag, body), = data.items()
        if tag == "m":
            line, keys, lines, values = body
            mapping = LineDict(zip(keys, (from_json(v) for v in values), strict=True))
            mapping.line, mapping.key_lines = int(line), dict(zip(keys, lines, strict=True))
            return mapping
        if tag == "l":
            line, item_lines, values = body
            items = LineList(from_json(v) for v in values)
            items.line, items.item_lines = int(line), list(item_lines)
            if len(items.item_lines) != len(items):
                raise ValueError("a list whose lines do not match its items")
            return items
        if tag == "d":
            return datetime.date.fromisoformat(body)
        raise ValueError(f"unknown tag {tag!r}")
    if isinstance(data, list):
        raise ValueError("an untagged list")
    return data
