"""Each translation of a template against its master: which blocks are current, stale, missing or orphaned.

A translation (`appeal.de.md`, `de/appeal.md`) translates the template of the same base name
(`appeal.md`) when that one is written in another language. Its blocks are paired with the
master's by their marks: the marks and the master's hashes are lined up in order, and where
they disagree the blocks between two agreeing ones are paired in turn. A pair whose mark is not
the master block's hash now is stale (the master changed since); a master block left over has no
translation (missing); a translated block left over translates a master block that is gone.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from appealkit.source.paths import leads_outside, template_file, template_names
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.template_files import base_name, file_language, name_language
from appealkit.source.template_sources import MAX_TEMPLATE_BYTES
from appealkit.source.translation_marks import Block, Template, parse

#: The states of a pair, in the order `appealkit translations` counts them.
STATES = ("current", "stale", "unmarked", "missing", "orphan")


@dataclass(frozen=True)
class Pair:
    """A master block and its translation; either is None when the other has no counterpart."""

    master: int | None
    translation: int | None
    state: str


@dataclass(frozen=True)
class TranslationState:
    """One translation file against its master, block by block."""

    name: str
    master_name: str
    language: str
    master_language: str
    master: Template
    translation: Template
    pairs: tuple[Pair, ...]

    def count(self, state: str) -> int:
        return sum(1 for pair in self.pairs if pair.state == state)

    @property
    def current(self) -> bool:
        return all(pair.state == "current" for pair in self.pairs)

    @property
    def marked(self) -> datetime.date | None:
        return self.translation.marked

    def master_block(self, pair: Pair) -> Block | None:
        return None if pair.master is None else self.master.blocks[pair.master]

    def block(self, pair: Pair) -> Block | None:
        return None if pair.translation is None else self.translation.blocks[pair.translation]


def read_template(root: Path, name: str) -> str | None:
    """A template's source within the sandbox's size cap, or None when it cannot be read."""
    path = template_file(root, name)
    if path is None:
        return None
    try:
        if leads_outside(root, path):
            return None
        return read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8")
    except (Untrusted, UnicodeDecodeError, OSError):
        return None


@dataclass
class Translations:
    """Which template translates which master: found once per workspace from the names under templates/,
    with each source read once (a master serves every language)."""

    root: Path
    #: translation → its master
    masters: dict[str, str]
    #: master → the language it is written in
    languages: dict[str, str]
    _sources: dict[str, str | None] = field(default_factory=dict)

    def source(self, name: str) -> str | None:
        if name not in self._sources:
            self._sources[name] = read_template(self.root, name)
        return self._sources[name]

    def state(self, name: str) -> TranslationState | None:
        """The state of translation `name`, or None when it is none or cannot be read."""
        master = self.masters.get(name)
        if master is None:
            return None
        return compare(name, master, self.source(master), self.source(name), name_language(name) or "",
                       self.languages[master])


def translations(root: Path) -> Translations:
    """Every translation of the workspace and its master."""
    names = set(template_names(root))
    masters: dict[str, str] = {}
    languages: dict[str, str] = {}
    for name in sorted(names):
        language, master = name_language(name), base_name(name)
        if language is None or master == name or master not in names:
            continue
        if master not in languages:
            languages[master] = file_language(root, master)
        if languages[master] != language:
            masters[name] = master
    return Translations(root, masters, languages)


def master_of(root: Path, name: str) -> str | None:
    """The master a template translates, or None when it is not a translation."""
    return translations(root).masters.get(name)


def translation_names(root: Path) -> list[str]:
    """Every template under templates/ that translates a master, in order."""
    return sorted(translations(root).masters)


def state_of(root: Path, name: str) -> TranslationState | None:
    """The state of translation `name`, or None when it or its master cannot be read."""
    return translations(root).state(name)


def compare(name: str, master_name: str, master_source: str | None, source: str | None,
            language: str, master_language: str) -> TranslationState | None:
    """A translation's source against its master's source (both as text: also for an old revision)."""
    if master_source is None or source is None:
        return None
    master, translation = parse(master_source), parse(source)
    return TranslationState(name, master_name, language, master_language, master, translation,
                            tuple(align(master.blocks, translation.blocks)))


def align(master: tuple[Block, ...], translation: tuple[Block, ...]) -> list[Pair]:
    """The translation's blocks paired with the master's by their marks, in order."""
    wanted = [b.digest for b in master]
    # an unmarked block matches nothing, so it is paired by its position among its neighbours
    marks = [b.mark or f"unmarked {i}" for i, b in enumerate(translation)]
    matcher = difflib.SequenceMatcher(None, wanted, marks, autojunk=False)
    pairs: list[Pair] = []
    for tag, m1, m2, t1, t2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(Pair(m, t, "current") for m, t in zip(range(m1, m2), range(t1, t2), strict=True))
            continue
        shared = min(m2 - m1, t2 - t1)
        for offset in range(shared):
            block = translation[t1 + offset]
            pairs.append(Pair(m1 + offset, t1 + offset, "stale" if block.mark else "unmarked"))
        pairs.extend(Pair(m, None, "missing") for m in range(m1 + shared, m2))
        pairs.extend(Pair(None, t, "orphan") for t in range(t1 + shared, t2))
    return pairs
