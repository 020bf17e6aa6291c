"""Typographic quotes, apostrophes and French spacing, set once in the document model.

Both writers print what the `Letter` holds, so the DOCX and the PDF of a letter carry
the same characters: a German letter quotes „so“, a French one « ainsi » with narrow
no-break spaces inside the guillemets and before ; ! ?, an English one “so”. Templates
keep typing straight quotes; a recipient never sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from appealkit.render.document import Letter, Run

NNBSP = "\u202f"  # narrow no-break space: inside « » and before ; ! ? in French
NBSP = "\u00a0"  # no-break space: before : in French


@dataclass(frozen=True)
class Quotes:
    """Outer and inner quotation marks of a language, and the apostrophe."""

    open: str
    close: str
    inner_open: str
    inner_close: str
    apostrophe: str = "’"


QUOTES = {
    "en": Quotes("“", "”", "‘", "’"),
    "de": Quotes("„", "“", "‚", "‘"),
    "fr": Quotes(f"«{NNBSP}", f"{NNBSP}»", "“", "”"),
    "az": Quotes("«", "»", "“", "”"),
}
#: Before these a French letter sets a no-break space, the narrow one except before a colon.
FRENCH_SPACE_BEFORE = {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP}
_OPENS_AFTER = " \t\n([{\u2013\u2014/" + NBSP + NNBSP
#: The characters `Typesetter` may rewrite: straight quotes, and in French the marks spaced before.
_MARKS = re.compile("[\"']")
_FRENCH_MARKS = re.compile("[\"'" + re.escape("".join(FRENCH_SPACE_BEFORE)) + "]")


def quotes_for(language: str) -> Quotes:
    return QUOTES.get(language.split("-")[0].split("_")[0], QUOTES["en"])


class Typesetter:
    """Rewrites the straight quotes of a stream of texts, remembering what is open across them.

    One setter reads a whole paragraph run by run, so a quotation that opens in plain text
    and closes after a fact's value still gets its closing mark.
    """

    def __init__(self, language: str):
        self.language = language.split("-")[0].split("_")[0]
        self.quotes = quotes_for(language)
        self.marks = _FRENCH_MARKS if self.language == "fr" else _MARKS
        self.previous = ""
        self.double_open = False
        self.single_open = False

    def set(self, text: str) -> str:
        if not self.marks.search(text):  # most text has no quote to turn: nothing to rewrite
            self.previous = text[-1:] or self.previous
            return text
        out: list[str] = []
        for index, char in enumerate(text):
            following = text[index + 1] if index + 1 < len(text) else ""
            out.append(self._char(char, following, out))
            self.previous = char
        return "".join(out)

    def _char(self, char: str, following: str, out: list[str]) -> str:
        quotes = self.quotes
        opening = self.previous == "" or self.previous in _OPENS_AFTER
        if char == '"':
            if opening and not self.double_open:
                self.double_open = True
                return quotes.open
            self.double_open = False
            if self.language == "fr" and out and out[-1] == " ":
                out.pop()
            return quotes.close
        if char == "'":
            if opening and not self.single_open and following.strip():
                self.single_open = True
                return quotes.inner_open
            if self.single_open and not (following.isalpha()):
                self.single_open = False
                return quotes.inner_close
            return quotes.apostrophe
        if self.language == "fr":
            ends = not following or following.isspace() or following in "»”)"
            if char in FRENCH_SPACE_BEFORE and ends and self.previous.strip() and self.previous not in "!?;:":
                return FRENCH_SPACE_BEFORE[char] + char
            if char in FRENCH_SPACE_BEFORE and ends and self.previous == " " and out:
                out[-1] = FRENCH_SPACE_BEFORE[char]
                return char
            if char == " " and out and out[-1] == quotes.open:
                return ""
        return char


def typeset(text: str, language: str) -> str:
    """One piece of frame text (subject, salutation, closing) with the language's marks."""
    return Typesetter(language).set(text)


def typeset_runs(runs: tuple[Run, ...], language: str) -> tuple[Run, ...]:
    """The runs of one block, quotes balanced across them."""
    setter = Typesetter(language)
    return tuple(_link_run(run, setter) if run.link else replace(run, text=setter.set(run.text))
                 for run in runs)


def _link_run(run: Run, setter: Typesetter) -> Run:
    """A link's text is typeset; when it is its own address it stays exactly that address."""
    if run.text.strip(" ()") in (run.link, run.link.removeprefix("mailto:")):
        setter.previous = run.text[-1:] or setter.previous
        return run
    return replace(run, text=setter.set(run.text))


def typeset_letter(letter: Letter) -> Letter:
    """The letter with its language's quotes, apostrophes and spacing in every part a reader sees."""
    language = letter.language

    def frame(text: str) -> str:
        return typeset(text, language)

    body = []
    for block in letter.body:
        if block.kind == "table":
            rows = tuple(tuple(typeset_runs(cell, language) for cell in row) for row in block.rows)
            body.append(replace(block, rows=rows))
        else:
            body.append(replace(block, runs=typeset_runs(block.runs, language)))
    return replace(
        letter,
        sender=tuple(map(frame, letter.sender)),
        recipient=tuple(map(frame, letter.recipient)),
        addressee=tuple(map(frame, letter.addressee)),
        subject=frame(letter.subject),
        subject_label=frame(letter.subject_label),
        salutation=frame(letter.salutation),
        closing=frame(letter.closing),
        references=tuple(map(frame, letter.references)),
        return_line=frame(letter.return_line),
        body=tuple(body),
        signatures=tuple(replace(s, name=frame(s.name), role=frame(s.role)) for s in letter.signatures),
    )
