"""Safe YAML loading that keeps every node's line, and typed reading that reports every problem.

PyYAML forgets where a value came from once it is loaded; organisers need
``facts/prisoners.yaml:12`` for a bad *value*, not only for bad syntax, so mappings
and lists remember the lines of their keys and items.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from appealkit.errors import Problem, WorkspaceError
from appealkit.source.paths import leads_outside
from appealkit.source.regular_files import TooLarge, Untrusted, read_regular
from appealkit.source.yaml_values import CONSTRUCTORS, BadValue

MAX_BYTES = 2_000_000
#: Deeper nesting than this is refused: no workspace file needs it, and PyYAML recurses per level.
MAX_DEPTH = 50
#: More values than this in one file are refused: a file within MAX_BYTES then loads in under a second.
MAX_NODES = 10_000


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


class _Guards:
    """Composing that refuses aliases and caps nesting and size; with our constructors, lines are
    recorded and duplicate keys refused.

    Aliases are refused outright: organisers never need them, and they are how
    a few bytes of YAML expand into gigabytes. Nesting depth and the number of
    values are capped for the same reason: a hostile file fails fast, with a line.
    """

    _depth = 0
    _nodes = 0
    #: values that cannot be loaded, reported together once the file is read
    bad: list[BadValue]

    if TYPE_CHECKING:  # the parser's, from the loader this is mixed into
        def peek_event(self) -> Any: ...
        def check_event(self, *choices: Any) -> bool: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem=f"aliases (*{event.anchor}) are not allowed; write the value out",
                problem_mark=event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"the file holds more than {MAX_NODES} values", problem_mark=event.start_mark
            )
        if self._depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]  # the Composer mixed in after
        finally:
            self._depth -= 1


class _Loader(_Guards, yaml.SafeLoader):
    """Pure Python: slow, but its messages are the ones users see for a broken file."""

    def __init__(self, stream: str):
        yaml.SafeLoader.__init__(self, stream)
        self.bad = []


try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment, misc]


class _FastLoader(_Guards, Composer, *((_CParser,) if _CParser else ()), SafeConstructor,  # type: ignore[misc]
                  Resolver):
    """libyaml scans and parses (5× faster), our composer and constructors do the rest, so the
    result, lines included, is the same as `_Loader`'s."""

    def __init__(self, stream: str):
        _CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.bad = []


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | datetime.date) or key is None:
            raise yaml.MarkedYAMLError(
                problem="a key must be a plain word", problem_mark=key_node.start_mark
            )
        key = str(key)
        if key in result:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key '{key}' (first given on line {result.key_lines[key]})",
                problem_mark=key_node.start_mark,
            )
        value = loader.construct_object(value_node, deep=True)
        if isinstance(value, BadValue):
            loader.bad.append(dataclasses.replace(value, problem=f"'{key}': {value.problem}"))
        result[key] = value
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    loader.bad.extend(item for item in result if isinstance(item, BadValue))
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    for _tag, _constructor in CONSTRUCTORS.items():
        _loader.add_constructor(_tag, _constructor)


def load_yaml(path: Path, shown: str, root: Path | None = None, *, allow_empty: bool = False) -> Any:
    """Load one YAML file; any problem becomes a one-line `WorkspaceError` naming `shown`.

    With `root`, a file of the workspace that is a link to a file outside it is refused: its
    text would otherwise land in letters."""
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
    try:
        data, loader = _load(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        what = "a NUL byte" if exc.character in (0, "\x00") else "an invisible control character"
        raise WorkspaceError.at(shown, line, f"the file contains {what}",
                                "remove it; retype the line if it was pasted from another program") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context == "while scanning a simple key" and exc.context_mark:
            mark = exc.context_mark  # the line of the key that lacks its ':', not the line after it
        at = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit("'", 2)[-2].replace("tag:yaml.org,2002:", "!!")
            problem = f"the tag '{tag}' is not allowed"
        raise WorkspaceError.at(shown, at, f"YAML syntax: {problem}", _yaml_hint(problem)) from None
    except yaml.YAMLError as exc:
        raise WorkspaceError.at(shown, None, f"YAML syntax: {exc}") from None
    if isinstance(data, BadValue):
        loader.bad.append(data)
    if loader.bad:
        raise WorkspaceError([Problem(shown, bad.line, bad.problem, bad.hint) for bad in loader.bad])
    if data is None and not allow_empty:  # `allow_empty`: None for a file of comments only
        raise WorkspaceError.at(shown, 1, "the file is empty", "add content or delete the file")
    return data


def _load(text: str) -> tuple[Any, _Guards]:
    """The data and the loader that read it (with its `bad` values): libyaml when it is there; a file
    it refuses is loaded again in Python, whose words for a syntax error are the ones users see."""
    if _CParser is not None:
        loader: _Guards = _FastLoader(text)
        try:
            return loader.get_single_data(), loader  # type: ignore[attr-defined]
        except (yaml.reader.ReaderError, yaml.scanner.ScannerError, yaml.parser.ParserError):
            pass  # the refusals of _Guards and the constructors are ours in both loaders
        finally:
            loader.dispose()  # type: ignore[attr-defined]
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader
    finally:
        loader.dispose()


def _yaml_hint(problem: str) -> str:
    if problem.startswith("aliases"):
        return "remove the '&' anchor and each '*' alias"
    if problem.startswith("a key must"):
        return "write the key as a plain word, not a list or mapping"
    if problem.startswith("the tag"):
        return "write a plain value: text, number, date, list or mapping"
    if "more than" in problem and ("values" in problem or "levels deep" in problem):
        return "split the file or flatten it"
    if "mapping values are not allowed" in problem:
        return "put the value in quotes if it contains ': '"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if problem.startswith("duplicate key"):
        return "remove or rename one of them"
    if "could not find expected ':'" in problem:
        return "write ':' after the key on this line, or check its indentation"
    return "check the indentation and quotes on this line"


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
