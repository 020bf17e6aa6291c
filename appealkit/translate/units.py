"""A master's blocks as translation units: words to translate and Jinja code a translator must keep.

Every `{{ … }}`, `{% … %}` and `{# … #}` of a block is a placeholder: the translator moves it
within the sentence but may not repeat it, nor move a `{% %}` tag past another one (an
`{% if %}` must still come before its `{% endif %}`), nor drop a tag, a fact, a person or a
snippet (other expressions, such as `{{ recipient.institution }}`, may give way to words).
Units are plain data; `xliff.py` and `po.py` write and read them, `exchange.py` builds them
from a workspace and writes the imported translation back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from appealkit.checks.translation_check import cited
from appealkit.errors import Problem

_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class Placeholder:
    """One piece of Jinja code in a unit: `id` is unique within the unit, `shown` the value it renders
    to in the target language (a fact, a person), for the translator's eyes only."""

    id: str
    code: str
    shown: str = ""

    @property
    def is_tag(self) -> bool:
        return self.code.startswith("{%")

    @property
    def required(self) -> bool:
        """Whether a translation must keep it: a tag, or a fact, person or snippet (what `check` compares
        between languages). Other expressions (`campaign.place`) may give way to the language's own words."""
        return self.is_tag or bool(cited(self.code))


#: A unit's text: words and placeholder ids, in order.
Piece = str | Placeholder


@dataclass(frozen=True)
class Unit:
    """A master block to translate, and its translation when there is one.

    `state`: "current" (the translation matches the master), "stale" (made from an older master
    block) or "new" (no translation yet). The id names the paragraph and the master block's hash.
    """

    number: int
    line: int
    digest: str
    source: tuple[Piece, ...]
    target: tuple[Piece, ...] | None
    state: str
    placeholders: tuple[Placeholder, ...]

    @property
    def id(self) -> str:
        return f"p{self.number}-{self.digest}"


@dataclass(frozen=True)
class Translated:
    """A unit as read back from a translator's file: its id, its target, and where it was in the file."""

    id: str
    target: tuple[str | tuple[str], ...]  # words, or (placeholder id,)
    line: int | None


def split(text: str, codes: dict[str, Placeholder]) -> tuple[Piece, ...]:
    """`text` as words and placeholders; a code seen for the first time gets the next id in `codes`."""
    pieces: list[Piece] = []
    position = 0
    for found in _CODE.finditer(text):
        if found.start() > position:
            pieces.append(text[position:found.start()])
        code = found.group()
        if code not in codes:
            codes[code] = Placeholder(str(len(codes) + 1), code)
        pieces.append(codes[code])
        position = found.end()
    if position < len(text):
        pieces.append(text[position:])
    return tuple(pieces)


def join(pieces: tuple[Piece, ...]) -> str:
    return "".join(p.code if isinstance(p, Placeholder) else p for p in pieces)


def checked_text(unit: Unit, translated: Translated, file: str) -> tuple[str | None, list[Problem]]:
    """The template text of an imported unit, or the problems that refuse it: a placeholder the file
    does not know, one removed or repeated, `{% %}` tags out of their order."""
    known = {p.id: p for p in unit.placeholders}
    in_source = Counter(p.id for p in unit.source if isinstance(p, Placeholder))
    used = [piece[0] for piece in translated.target if isinstance(piece, tuple)]
    problems = []

    def refuse(message: str, hint: str) -> None:
        problems.append(Problem(file, translated.line, f"unit {unit.id}: {message}", hint))

    for pid in sorted(set(used) - known.keys(), key=_order):
        refuse(f"placeholder {pid} is not one of the unit's", "keep only the placeholders of the source")
    counts = Counter(used)
    for pid in sorted(in_source, key=_order):
        if counts[pid] == 0 and known[pid].required:
            refuse(f"placeholder {pid} ({known[pid].code}) was removed",
                   "every placeholder of the source must stay in the translation")
    for pid, count in sorted(counts.items(), key=lambda item: _order(item[0])):
        if pid in known and count > max(1, in_source[pid]):
            refuse(f"placeholder {pid} ({known[pid].code}) appears {count} times, the source has it "
                   f"{max(1, in_source[pid])}", "keep each placeholder as often as the source has it")
    tags = [pid for pid in used if pid in known and known[pid].is_tag and pid in in_source]
    wanted = [p.id for p in unit.source if isinstance(p, Placeholder) and p.is_tag]
    if not problems and tags != wanted:
        refuse("the {% %} tags are out of their order (" + " ".join(known[t].code for t in tags) + ")",
               "keep tags such as {% if %} … {% endif %} in the order of the source")
    if problems:
        return None, problems
    return "".join(known[p[0]].code if isinstance(p, tuple) else p for p in translated.target), []


def _order(pid: str) -> tuple[int, str]:
    return (int(pid), "") if pid.isdigit() else (1 << 30, pid)
