"""Safe YAML loading that keeps every node's line, and typed reading that reports every problem.

PyYAML forgets where a value came from once it is loaded; organisers need
``facts/prisoners.yaml:12`` for a bad *value*, not only for bad syntax, so mappings
and lists remember the lines of their keys and items.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appealkit.errors import Problem, WorkspaceError
from appealkit.source.line_data import LineDict, LineList, key_line
from appealkit.source.parse_cache import parsed
from appealkit.source.paths import leads_outside
from appealkit.source.regular_files import TooLarge, Untrusted, read_regular

__all__ = ["Fields", "LineDict", "LineList", "key_line", "load_yaml", "suggest"]

MAX_BYTES = 2_000_000


def load_yaml(path: Path, shown: str, root: Path | None = None, *, allow_empty: bool = False) -> Any:
    """Load one YAML file; any problem becomes a one-line `WorkspaceError` naming `shown`.

    With `root`, a file of the workspace that is a link to a file outside it is refused: its
    text would otherwise land in letters; and a file read before with the same bytes is taken
    from the workspace's parse cache, as parsed then (`source/parse_cache.py`)."""
    if root is not None and leads_outside(root, path):
        raise WorkspaceError.at(shown, None, "the file is a symbolic link to outside the workspace",
                                "copy the file into the workspace instead")
    try:
        raw = read_regular(path, MAX_BYTES)
    except TooLarge:
        raise WorkspaceError.at(
            shown, None, f"the file is larger than {MAX_BYTES // 1_000_000} MB",
            "split it into several files",
        ) from None
    except Untrusted as exc:
        raise WorkspaceError.at(shown, None, "cannot read the file", str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise WorkspaceError.at(
            shown, line, "the file is not UTF-8 text", "save it with UTF-8 encoding"
        ) from None
    data = parsed(root, "yaml", raw, lambda: _parse(text, shown))
    if data is None and not allow_empty:  # `allow_empty`: None for a file of comments only
        raise WorkspaceError.at(shown, 1, "the file is empty", "add content or delete the file")
    return data


def _parse(text: str, shown: str) -> Any:
    from appealkit.source.yaml_parse import parse_yaml  # PyYAML, only for a file not parsed before

    return parse_yaml(text, shown)


Check = Callable[[Any], Any]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Fields:
    """Reads one YAML mapping field by field, noting every problem instead of stopping.

    Each getter returns the converted value, or None after recording a problem;
    `done()` reports the keys nobody asked for, with a did-you-mean suggestion.
    """

    def __init__(self, data: Any, file: str, problems: list[Problem], what: str, line: int = 0):
        self.file = file
        self.problems = problems
        self.what = what
        self.ok = isinstance(data, dict)
        self.data: dict = data if self.ok else {}
        self.line = line or getattr(data, "line", 0)
        self._seen: set[str] = set()
        if not self.ok:
            self.error(self.line, f"{what} must be a mapping of 'key: value' lines")

    def error(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, line, message, hint))

    def line_of(self, key: str) -> int:
        return getattr(self.data, "key_lines", {}).get(key, self.line)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, check: Check, *, required: bool = False, default: Any = None) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.error(self.line, f"{self.what} is missing '{key}'", f"add '{key}: ...'")
            return default
        options = _open_choice(self.data[key])
        if options is not None:
            if options:
                listed = ", ".join(map(str, options))
                self.error(self.line_of(key), f"'{key}' is a choice left open ({listed})",
                           f"replace the 'choose:' with the one true '{key}'")
            else:
                self.error(self.line_of(key), f"'{key}' is left to fill in",
                           f"replace the 'choose:' with the '{key}'")
            return default
        try:
            return check(self.data[key])
        except ValueError as exc:
            self.error(self.line_of(key), f"'{key}' {exc}")
            return default

    def raw(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def done(self, known: tuple[str, ...] = ()) -> None:
        allowed = self._seen | set(known)
        for key in self.data:
            if key not in allowed:
                hint = suggest(key, allowed) or "known keys: " + ", ".join(sorted(allowed))
                self.error(self.line_of(key), f"unknown key '{key}' in {self.what}", hint)


def _open_choice(value: Any) -> list | None:
    """`{choose: [a, b]}`: a value a person must pick (`appealkit import` writes these), else None."""
    if isinstance(value, dict) and list(value) == ["choose"]:
        options = value["choose"]
        return options if isinstance(options, list) else [options]
    return None


def suggest(name: str, known: Any) -> str:
    """A did-you-mean hint for a name that is not among `known`, or ''."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("must be text" + (" (put it in quotes)" if isinstance(value, bool) else ""))
    result = str(value).strip()
    if not result:
        raise ValueError("must not be empty")
    if _CONTROL.search(result):
        raise ValueError("contains an invisible control character; retype the text")
    return result


def date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise ValueError("must be a date (YYYY-MM-DD)")


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list):
        raise ValueError("must be a list of texts")
    return tuple(text(item) for item in value)


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^@\s<>,;\"]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")


def email(value: Any) -> str:
    """One bare address (`office@example.org`): no display name, no list, nothing a header could split."""
    result = text(value)
    if not _EMAIL.match(result):
        raise ValueError("must be one e-mail address such as office@example.org")
    return result


def email_list(value: Any) -> tuple[str, ...]:
    return tuple(email(item) for item in (value if isinstance(value, list) else [value]))


IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


def ident(value: Any) -> str:
    result = text(value)
    if not IDENT.match(result):
        raise ValueError(
            f"'{result}' is not a valid id (letters, digits, '_' and '-', starting with a letter or digit)"
        )
    return result


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        result = text(value)
        if result not in choices:
            close = difflib.get_close_matches(result, choices, n=1)
            extra = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"must be one of: {', '.join(choices)}{extra}")
        return result

    return check
