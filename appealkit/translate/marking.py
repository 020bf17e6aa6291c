"""`appealkit translations mark`: a finished translation recorded as made from the master as it is now.

Each translated block gets the hash of the master block it is paired with (by its marks, or
by its place in a translation not marked before); the first line records the date. Blocks
with no counterpart keep what they had, so `check` goes on naming them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.checks.translation_state import TranslationState, master_of, read_template, state_of
from appealkit.errors import TranslationError
from appealkit.source.paths import template_file
from appealkit.source.translation_marks import dated, unparse, with_marks


@dataclass(frozen=True)
class MarkResult:
    name: str
    master: str
    #: how many blocks now name the master block they translate
    marked: int
    #: master blocks without translation, and translated blocks whose master is gone
    missing: int
    orphans: int
    changed: bool


def template_name(root: Path, given: str) -> str:
    """A template as named on the command line (`templates/a.de.md`, `a.de.md` or a path) as a name
    under templates/; raises `TranslationError` when it is not a translation of a master."""
    path = Path(given)
    folder = (root / "templates").resolve()
    candidate = (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()
    if candidate.is_relative_to(folder) and candidate.is_file():
        name = candidate.relative_to(folder).as_posix()
    else:
        name = given.removeprefix("templates/")
    if template_file(root, name) is None:
        raise TranslationError.at(given, None, "no such template under templates/",
                                  "name a translation such as templates/appeal.de.md")
    return name


def translation_state(root: Path, name: str) -> TranslationState:
    """The state of translation `name`; raises `TranslationError` when it has no master."""
    if master_of(root, name) is None:
        raise TranslationError.at(f"templates/{name}", None, "is not a translation of another template",
                                  "a translation is named like its master with the language: appeal.de.md")
    state = state_of(root, name)
    if state is None:
        raise TranslationError.at(f"templates/{name}", None, "cannot be read as UTF-8 text")
    return state


def mark(root: Path, name: str, day: datetime.date | None = None) -> MarkResult:
    """Mark every paired block of translation `name` as translating the master's current text."""
    state = translation_state(root, name)
    marks = {pair.translation: state.master.blocks[pair.master].digest for pair in state.pairs
             if pair.master is not None and pair.translation is not None}
    source = read_template(root, name) or ""
    updated = dated(unparse(with_marks(state.translation, marks)), day or datetime.date.today())
    changed = updated != source
    if changed:
        write_atomic(root / "templates" / name, updated.encode("utf-8"))
    return MarkResult(name, state.master_name, len(marks), state.count("missing"), state.count("orphan"),
                      changed)
