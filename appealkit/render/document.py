"""The one document model that both writers read, so DOCX and PDF never say different things.

A `Letter` is the whole letter as plain data: the frame (letterhead, place and date,
recipient block, subject, salutation, closing, signatures) and a body of `Block`s made
of inline `Run`s. `parse_body` turns the Markdown that a template rendered into blocks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting; `fact` names the fact whose value it carries."""

    text: str
    bold: bool = False
    italic: bool = False
    fact: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading (level 1-6) or a list item (level = nesting depth from 0).

    A list item's `marker` is its visible number or bullet ("1.", "•"): writers print it
    as text, so the number a reader sees is the same in DOCX and PDF.
    """

    kind: str  # "paragraph" | "heading" | "item"
    runs: tuple[Run, ...]
    level: int = 0
    marker: str = ""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Signature:
    name: str
    role: str = ""


@dataclass(frozen=True)
class Letter:
    """Everything a writer needs; no writer looks anything up elsewhere."""

    id: str
    language: str
    date: datetime.date
    sender: tuple[str, ...]
    place_date: str
    recipient: tuple[str, ...]
    subject: str
    salutation: str
    body: tuple[Block, ...]
    closing: str
    signatures: tuple[Signature, ...] = field(default_factory=tuple)
    author: str = ""


def letter_pieces(letter: Letter) -> list[list[tuple[str, str | None]]]:
    """The letter in reading order, one entry per line or paragraph, each as (text, fact) pieces.

    The one reading order: the plain text, both writers' tests and the diff's word tokens
    all follow it. Empty lines are left out.
    """
    frame_top = [*letter.sender, letter.place_date, *letter.recipient, letter.subject, letter.salutation]
    lines = [[(line, None)] for line in frame_top]
    for block in letter.body:
        marker = [(f"{block.marker} ", None)] if block.marker else []
        lines.append(marker + [(run.text, run.fact) for run in block.runs])
    lines.append([(letter.closing, None)])
    for signature in letter.signatures:
        lines += [[(signature.name, None)], [(signature.role, None)]]
    return [pieces for pieces in lines if any(text for text, _ in pieces)]


def letter_lines(letter: Letter) -> list[str]:
    """The letter's text in reading order, one entry per line or paragraph."""
    return ["".join(text for text, _ in pieces) for pieces in letter_pieces(letter)]


def letter_text(letter: Letter) -> str:
    """The letter as plain text: what both writers must carry, and what golden files hold."""
    return "\n".join(letter_lines(letter)) + "\n"


FACT_START = "\ue000"
FACT_END = "\ue001"
FACT_INDEX_BASE = 0xE100
_MARK_CHARS = re.compile("[\ue000-\uf8ff]")

_BULLETS = ("•", "–", "◦")


def fact_mark(index: int, text: str) -> str:
    """Wrap text that carries a fact's value, so its place survives Markdown parsing."""
    return f"{FACT_START}{chr(FACT_INDEX_BASE + index)}{text}{FACT_END}"


def strip_marks(text: str) -> str:
    return _MARK_CHARS.sub("", text)


_parser = MarkdownIt("commonmark", {"html": False})


def parse_body(markdown: str, fact_ids: list[str] | tuple[str, ...] = ()) -> tuple[Block, ...]:
    """Markdown (with fact marks) → blocks; raw HTML stays visible text, never markup."""
    blocks: list[Block] = []
    lists: list[list] = []  # per open list: [ordered, next number, delimiter]
    item_started: list[bool] = []
    pending: tuple[str, int, str] | None = None
    for token in _parser.parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append([kind == "ordered_list_open", start, token.markup or "."])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number, delimiter = lists[-1]
            depth = len(lists) - 1
            marker = f"{number}{delimiter}" if ordered else _BULLETS[depth % len(_BULLETS)]
            lists[-1][1] = number + 1
            item_started.append(False)
            pending = ("item", depth, marker)
        elif kind == "list_item_close":
            item_started.pop()
        elif kind == "heading_open":
            pending = ("heading", int(token.tag[1]), "")
        elif kind in ("paragraph_open",) and not lists:
            pending = ("paragraph", 0, "")
        elif kind == "paragraph_open" and item_started and item_started[-1]:
            pending = ("item", len(lists) - 1, "")
        elif kind in ("code_block", "fence"):
            blocks.append(Block("paragraph", _plain_runs(token.content.strip("\n"), fact_ids)))
        elif kind == "inline":
            runs = _inline_runs(token.children or [], fact_ids)
            if not runs:
                continue
            block_kind, level, marker = pending or ("paragraph", 0, "")
            blocks.append(Block(block_kind, runs, level, marker))
            if block_kind == "item" and item_started:
                item_started[-1] = True
            pending = None
    return tuple(blocks)


def _plain_runs(text: str, fact_ids) -> tuple[Run, ...]:
    return _split_marks([(text, False, False)], fact_ids)


def _inline_runs(children, fact_ids) -> tuple[Run, ...]:
    pieces: list[tuple[str, bool, bool]] = []
    bold = italic = 0
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline", "html_inline", "text_special"):
            pieces.append((child.content, bold > 0, italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            pieces.append((" ", bold > 0, italic > 0))
        elif kind == "image":
            pieces.append((child.content, bold > 0, italic > 0))
    return _split_marks(pieces, fact_ids)


def _split_marks(pieces, fact_ids) -> tuple[Run, ...]:
    """Cut text at fact marks, merge neighbours of the same formatting, trim the ends."""
    chunks: list[tuple[list[str], bool, bool, str | None]] = []
    fact: str | None = None
    expecting_index = False
    for text, bold, italic in pieces:
        for char in text:
            if expecting_index:
                index = ord(char) - FACT_INDEX_BASE
                fact = fact_ids[index] if 0 <= index < len(fact_ids) else None
                expecting_index = False
            elif char == FACT_START:
                expecting_index = True
            elif char == FACT_END:
                fact = None
            elif not _MARK_CHARS.match(char):
                if chunks and chunks[-1][1:] == (bold, italic, fact):
                    chunks[-1][0].append(char)
                else:
                    chunks.append(([char], bold, italic, fact))
    runs = [Run("".join(chars), bold, italic, fact) for chars, bold, italic, fact in chunks]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(runs)
