"""The YAML parser behind `load_yaml`: PyYAML (libyaml where it is there) with every node's line
kept, aliases refused, nesting and size capped, and its errors as one line naming the file.

Imported only when a file is not in the parse cache (`source/parse_cache.py`): a workspace
that did not change is read without loading PyYAML.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from appealkit.errors import Problem, WorkspaceError
from appealkit.source.line_data import LineDict, LineList
from appealkit.source.yaml_values import CONSTRUCTORS, BadValue

#: Deeper nesting than this is refused: no workspace file needs it, and PyYAML recurses per level.
MAX_DEPTH = 50
#: More values than this in one file are refused: a file within MAX_BYTES then loads in under a second.
MAX_NODES = 10_000


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


def parse_yaml(text: str, shown: str) -> Any:
    """The data of one file's text; any problem is a one-line `WorkspaceError` naming `shown`."""
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


