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
    #: the address of a hyperlink (http, https or mailto only)
    link: str = ""


Cell = tuple[Run, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading (level 1-6), a list item (level = nesting depth from 0), a
    quotation paragraph, a horizontal rule or a table (`rows` of cells, the first the header).

    A list item's `marker` is its number or bullet ("1.", "•"); an item with no marker
    continues the item before it. Both writers number lists from the first marker, so the
    number a reader sees is the same in DOCX and PDF. `keep_with_next` holds a heading or a
    lead-in ending with a colon on the page of what follows it.
    """

    kind: str  # "paragraph" | "heading" | "item" | "quote" | "rule" | "table"
    runs: tuple[Run, ...]
    level: int = 0
    marker: str = ""
    rows: tuple[tuple[Cell, ...], ...] = ()
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        if self.kind == "table":
            return "\n".join("\t".join(_cell_text(cell) for cell in row) for row in self.rows)
        return "".join(run.text for run in self.runs)


def _cell_text(cell: Cell) -> str:
    return "".join(run.text for run in cell)


@dataclass(frozen=True)
class Signature:
    name: str
    role: str = ""
    #: a signature image under templates/ (PNG or SVG), already checked for size
    image: bytes = b""
    image_type: str = ""  # "png" | "svg"


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
    #: lines under the place and date: "Our ref.: …", "Your ref.: …"
    references: tuple[str, ...] = ()
    #: the page geometry (`source.records.LETTER_LAYOUTS`); a DIN 5008 letter has a return line
    #: (the sender in one line, above the address in the envelope's window)
    layout: str = "standard"
    return_line: str = ""
    #: the sending organisation's logo (PNG bytes, checked) and colour, for both writers
    logo: bytes = b""
    colour: str = ""
    #: the word a language sets before the subject ("Objet :" in French), "" for none
    subject_label: str = ""
    #: who the letter goes to, as the bundle's index and bookmarks name them: the holder and the
    #: office, without the address block's form lines ("Herrn", a French title line)
    addressee: tuple[str, ...] = ()

    @property
    def subject_line(self) -> str:
        """The subject as both writers print it: "Objet : …" in a French letter."""
        return f"{self.subject_label} {self.subject}" if self.subject_label and self.subject else self.subject


def letter_pieces(letter: Letter) -> list[list[tuple[str, str | None]]]:
    """The letter in reading order, one entry per line or paragraph, each as (text, fact) pieces.

    The one reading order: the plain text, both writers' tests and the diff's word tokens
    all follow it. Empty lines are left out.
    """
    frame_top = [*letter.sender, letter.place_date, *letter.references, letter.return_line, *letter.recipient,
                 letter.subject_line, letter.salutation]
    lines: list[list[tuple[str, str | None]]] = [[(line, None)] for line in frame_top]
    for block in letter.body:
        marker = [(f"{block.marker} ", None)] if block.marker else []
        lines.append(marker + [(run.text, run.fact) for run in _block_runs(block)])
    lines.append([(letter.closing, None)])
    for signature in letter.signatures:
        lines += [[(signature.name, None)], [(signature.role, None)]]
    return [pieces for pieces in lines if any(text for text, _ in pieces)]


def _block_runs(block: Block) -> tuple[Run, ...]:
    """A block's runs; a table's cells in reading order, a tab between cells, a line between rows."""
    if block.kind != "table":
        return block.runs
    runs: list[Run] = []
    for number, row in enumerate(block.rows):
        if number:
            runs.append(Run("\n"))
        for column, cell in enumerate(row):
            if column:
                runs.append(Run("\t"))
            runs.extend(cell)
    return tuple(runs)


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
_MARK_OR_TEXT = re.compile("[\ue000-\uf8ff]|[^\ue000-\uf8ff]+")

BULLETS = ("•", "–", "◦")


def fact_mark(index: int, text: str) -> str:
    """Wrap text that carries a fact's value, so its place survives Markdown parsing."""
    return f"{FACT_START}{chr(FACT_INDEX_BASE + index)}{text}{FACT_END}"


def strip_marks(text: str) -> str:
    return _MARK_CHARS.sub("", text)


_parser = MarkdownIt("commonmark", {"html": False}).enable("table")
LINK_SCHEMES = ("http", "https", "mailto")


def parse_body(markdown: str, fact_ids: list[str] | tuple[str, ...] = ()) -> tuple[Block, ...]:
    """Markdown (with fact marks) → blocks; raw HTML stays visible text, never markup."""
    return _keep_lead_ins(_Parser(fact_ids).parse(markdown))


class _Parser:
    """Walks markdown-it's token stream, keeping the list, quote and table it is inside."""

    def __init__(self, fact_ids) -> None:
        self.fact_ids = fact_ids
        self.blocks: list[Block] = []
        self.lists: list[list] = []  # per open list: [ordered, next number, delimiter]
        self.item_started: list[bool] = []
        self.pending: tuple[str, int, str] | None = None
        self.quotes = 0
        self.rows: list[list[Cell]] | None = None

    def parse(self, markdown: str) -> tuple[Block, ...]:
        for token in _parser.parse(markdown):
            self._token(token)
        return tuple(self.blocks)

    def _token(self, token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            self.lists.append([kind == "ordered_list_open", start, token.markup or "."])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            ordered, number, delimiter = self.lists[-1]
            depth = len(self.lists) - 1
            marker = f"{number}{delimiter}" if ordered else BULLETS[depth % len(BULLETS)]
            self.lists[-1][1] = number + 1
            self.item_started.append(False)
            self.pending = ("item", depth, marker)
        elif kind == "list_item_close":
            self.item_started.pop()
        elif kind == "blockquote_open":
            self.quotes += 1
        elif kind == "blockquote_close":
            self.quotes -= 1
        elif kind == "heading_open":
            self.pending = ("heading", int(token.tag[1]), "")
        elif kind == "paragraph_open" and not self.lists:
            self.pending = ("quote" if self.quotes else "paragraph", 0, "")
        elif kind == "paragraph_open" and self.item_started and self.item_started[-1]:
            self.pending = ("item", len(self.lists) - 1, "")
        elif kind == "hr":
            self.blocks.append(Block("rule", ()))
        elif kind == "table_open":
            self.rows = []
        elif kind == "tr_open" and self.rows is not None:
            self.rows.append([])
        elif kind == "table_close" and self.rows is not None:
            rows = tuple(tuple(row) for row in self.rows if any(_cell_text(cell).strip() for cell in row))
            if rows:
                self.blocks.append(Block("table", (), rows=rows))
            self.rows = None
        elif kind in ("code_block", "fence"):
            self.blocks.append(Block("paragraph", _plain_runs(token.content.strip("\n"), self.fact_ids)))
        elif kind == "inline":
            self._inline(token)

    def _inline(self, token) -> None:
        runs = _inline_runs(token.children or [], self.fact_ids)
        if self.rows is not None:
            if self.rows:
                self.rows[-1].append(runs)
            return
        if not runs:
            return
        block_kind, level, marker = self.pending or ("paragraph", 0, "")
        self.blocks.append(Block(block_kind, runs, level, marker))
        if block_kind == "item" and self.item_started:
            self.item_started[-1] = True
        self.pending = None


def _keep_lead_ins(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Headings, and a paragraph ending with a colon before a list, stay with what follows."""
    kept = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        lead_in = (block.kind in ("paragraph", "quote") and following is not None
                   and following.kind in ("item", "table") and block.text.rstrip().endswith(":"))
        if block.kind == "heading" or lead_in:
            block = replace(block, keep_with_next=True)
        kept.append(block)
    return tuple(kept)


def link_target(href: str) -> str:
    """The address a link may point to, or "" for any scheme but http, https and mailto."""
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    return href if scheme in LINK_SCHEMES and len(href) <= 2000 else ""


def _plain_runs(text: str, fact_ids) -> tuple[Run, ...]:
    return _split_marks([(text, False, False, "")], fact_ids)


def _inline_runs(children, fact_ids) -> tuple[Run, ...]:
    """Inline tokens → runs; a link whose text is not its address prints the address after it,
    so a letter read on paper still says where to look."""
    pieces: list[tuple[str, bool, bool, str]] = []
    bold = italic = 0
    link = ""
    link_text: list[str] = []
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
        elif kind == "link_open":
            link = link_target(str(child.attrGet("href") or ""))
            link_text = []
        elif kind == "link_close":
            shown = strip_marks("".join(link_text)).strip()
            address = link.removeprefix("mailto:")
            if link and shown not in (link, address):
                pieces.append((f" ({address})", bold > 0, italic > 0, link))
            link = ""
        elif kind in ("text", "code_inline", "html_inline", "text_special", "image"):
            pieces.append((child.content, bold > 0, italic > 0, link))
            link_text.append(child.content)
        elif kind == "softbreak":
            pieces.append((" ", bold > 0, italic > 0, link))
        elif kind == "hardbreak":
            pieces.append(("\n", bold > 0, italic > 0, link))
    return _split_marks(pieces, fact_ids)


def _split_marks(pieces, fact_ids) -> tuple[Run, ...]:
    """Cut text at fact marks, merge neighbours of the same formatting, trim the ends."""
    chunks: list[tuple[list[str], bool, bool, str | None, str]] = []
    fact: str | None = None
    expecting_index = False
    for text, bold, italic, link in pieces:
        for piece in _MARK_OR_TEXT.findall(text):  # a mark alone, or a stretch of text between marks
            if expecting_index:  # the character after a start mark is the fact's index, whatever it is
                index = ord(piece[0]) - FACT_INDEX_BASE
                fact = fact_ids[index] if 0 <= index < len(fact_ids) else None
                expecting_index = False
                piece = piece[1:]
                if not piece:
                    continue
            if piece == FACT_START:
                expecting_index = True
            elif piece == FACT_END:
                fact = None
            elif not _MARK_CHARS.match(piece):
                if chunks and chunks[-1][1:] == (bold, italic, fact, link):
                    chunks[-1][0].append(piece)
                else:
                    chunks.append(([piece], bold, italic, fact, link))
    runs = [Run("".join(chars), bold, italic, fact, link) for chars, bold, italic, fact, link in chunks]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(runs)
