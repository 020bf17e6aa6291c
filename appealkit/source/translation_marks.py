"""A template as blocks, and the marks by which a translation names the master block it translates.

A block is what a reader sees as one piece of the letter: a paragraph (text between blank
lines), a heading, a list item or a table row. Each block of a translation starts with a
Jinja comment naming the hash of the master block it was made from::

    {# from 3f2a9c8d #}Für Kritiker des Regimes bedeutet die Rückkehr …

The comment renders to nothing, stays with its paragraph when a translator moves, splits or
reflows it, and a diff shows it beside the words it belongs to. The first line starts with the
date the translation was last marked (``{# translation marked 2026-12-02 #}``), written each time
``appealkit translations mark`` or ``import`` runs, in front of what the line held, so marking
moves no line of the translation and the line numbers in messages stay where they were.
The hash is taken over the block's words with whitespace collapsed, so reflowing a master
paragraph does not make its translations stale; changing a word does.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, replace

#: Hex digits of a block's hash kept in a mark: enough that two blocks of a letter never meet.
HASH_DIGITS = 8
MARK = re.compile(r"\{#\s*from\s+([0-9a-f]{4,64})\s*#\}")
_LEADING_MARK = re.compile(r"\A" + MARK.pattern)
DATED = re.compile(r"\{#\s*translation marked (\d{4}-\d{2}-\d{2})\s*#\}")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_BLANK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
#: Lines that begin a block of their own inside a paragraph: headings, list items, table rows.
_MARKED = r"(?:\{#\s*from\s+[0-9a-f]+\s*#\})?[ \t]{0,3}"
_OWN_LINE = re.compile(_MARKED + r"(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t]|\|)")
_HEADING = re.compile(_MARKED + r"#{1,6}[ \t]")


@dataclass(frozen=True)
class Block:
    """One block of a template: its text without the mark, where it starts, and its mark."""

    text: str
    line: int
    #: the hash of the master block this block translates, or None when it carries no mark
    mark: str | None = None
    #: the text between the previous block (or the preamble) and this one
    before: str = ""

    @property
    def digest(self) -> str:
        return block_digest(self.text)


@dataclass(frozen=True)
class Template:
    """A template split into its preamble (leading comments), blocks and what trails the last block."""

    preamble: str
    blocks: tuple[Block, ...]
    trailer: str
    #: the date of the last mark (`translation marked …`), or None
    marked: datetime.date | None = None


def block_digest(text: str) -> str:
    """The short hash a translation's mark records for a master block."""
    words = " ".join(text.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def parse(source: str) -> Template:
    """Split a template's source into blocks; joining them back with `unparse` gives the source."""
    marked = None
    dated = DATED.match(source)
    if dated:
        try:
            marked = datetime.date.fromisoformat(dated.group(1))
        except ValueError:
            marked = None
    start = _preamble_end(source)
    blocks: list[Block] = []
    pending = ""  # text between blocks: blank lines and comment-only chunks
    position = start
    for chunk, gap in _chunks(source[start:]):
        if not _COMMENT.sub("", chunk).strip():
            pending += chunk + gap
            position += len(chunk) + len(gap)
            continue
        for piece, joint in _pieces(chunk):
            line = source.count("\n", 0, position) + 1
            found = _LEADING_MARK.match(piece)
            text = piece[found.end():] if found else piece
            blocks.append(Block(text, line, found.group(1) if found else None, pending))
            pending = joint
            position += len(piece) + len(joint)
        pending += gap
        position += len(gap)
    return Template(source[:start], tuple(blocks), pending, marked)


def unparse(template: Template) -> str:
    """The source of a template: preamble, each block with its mark, trailer."""
    parts = [template.preamble]
    for block in template.blocks:
        mark = f"{{# from {block.mark} #}}" if block.mark else ""
        parts.extend([block.before, mark, block.text])
    parts.append(template.trailer)
    return "".join(parts)


def dated(source: str, day: datetime.date) -> str:
    """`source` with its first line starting with `day` as the date of the last mark (in front of
    what the line held, so no line of the translation moves)."""
    stamp = f"{{# translation marked {day.isoformat()} #}}"
    found = DATED.match(source)
    return stamp + (source[found.end():] if found else source)


def with_marks(template: Template, marks: dict[int, str]) -> Template:
    """The template with the blocks at the given positions marked (position → master hash)."""
    blocks = tuple(replace(b, mark=marks[i]) if i in marks else b for i, b in enumerate(template.blocks))
    return replace(template, blocks=blocks)


def _preamble_end(source: str) -> int:
    """Where the first block starts: after the leading comments, at the start of the first line of text."""
    position = 0
    while True:
        content = len(source) - len(source[position:].lstrip())
        if source.startswith("{#", content) and not MARK.match(source, content):
            end = source.find("#}", content)
            if end < 0:
                return position
            position = end + 2
            continue
        return max(position, source.rfind("\n", position, content) + 1)


def _chunks(text: str) -> list[tuple[str, str]]:
    """Paragraph-sized chunks and the blank lines after each."""
    result, position = [], 0
    for gap in _BLANK.finditer(text):
        result.append((text[position:gap.start()], gap.group()))
        position = gap.end()
    if position < len(text):
        tail = text[position:]
        body = tail.rstrip()
        result.append((body, tail[len(body):]))
    return result


def _pieces(chunk: str) -> list[tuple[str, str]]:
    """A chunk cut before every line that starts a block of its own and after a heading; each piece
    with the newline after it."""
    pieces: list[list[str]] = []
    for number, line in enumerate(chunk.split("\n")):
        after_heading = bool(pieces) and _HEADING.match(pieces[-1][0]) is not None
        if number == 0 or after_heading or _OWN_LINE.match(line):
            pieces.append([line])
        else:
            pieces[-1].append(line)
    return [("\n".join(p), "\n" if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)]
