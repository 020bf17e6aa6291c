"""Each imported letter as a template: its own words, with figures, names and the recipient cited.

A figure becomes `{{ fact("…") }}` (with its noun, when the letter wrote the fact's noun
right after it) or `{{ fact("…").figure }}`; a figure written in words keeps `words=True`;
a name becomes `{{ person("…") }}`, the recipient's name `{{ recipient.holder }}`. The rest
is the letter's text, escaped so that Markdown and Jinja print it as it stands. Paragraphs
that several letters share word for word become one snippet under `templates/snippets/`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from appealkit.checks.figures import find_figures
from appealkit.checks.letter_check import prose
from appealkit.importer.found_facts import DraftFact, Occurrence
from appealkit.importer.found_people import NameSpan
from appealkit.importer.letters import FoundLetter

#: What Markdown or Jinja would read as markup in a letter's own text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#%|~&])")
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s)|^([-+=>])(?=\s)")
#: A shared paragraph shorter than this stays in each letter: a snippet of a few words helps no one.
SNIPPET_CHARS = 80


def escape(text: str) -> str:
    """A letter's own words as Markdown and Jinja that print them unchanged."""
    return _SPECIAL.sub(r"\\\1", text)


def _line_start(text: str) -> str:
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text, count=1)


@dataclass(frozen=True)
class Cited:
    """Where one occurrence's fact is, and how the template calls it."""

    call: str  # fact("journalists").part("women", words=True)
    fact: DraftFact


def fact_calls(facts: dict[str, DraftFact]) -> dict[tuple[int, int, int], Cited]:
    """(letter, paragraph, figure start) → the call that prints it."""
    calls = {}
    for fid, fact in facts.items():
        for occurrence in fact.occurrences:
            words = ", words=True" if occurrence.figure.words else ""
            calls[_key(occurrence)] = Cited(f'fact("{fid}"{words})', fact)
        for name, part in fact.parts.items():
            for occurrence in part.occurrences:
                words = ", words=True" if occurrence.figure.words else ""
                calls[_key(occurrence)] = Cited(f'fact("{fid}").part("{name}"{words})', part)
    return calls


def _key(occurrence: Occurrence) -> tuple[int, int, int]:
    cell = occurrence.cell or (0, 0)
    return occurrence.letter, occurrence.paragraph, occurrence.figure.start * 1000 + cell[0] * 50 + cell[1]


def _figure_span(occurrence: Occurrence) -> tuple[int, int]:
    figure = occurrence.figure
    start = figure.qualifier_start if 0 <= figure.qualifier_start < figure.start else figure.start
    end = figure.qualifier_start + len(figure.qualifier_text) if figure.qualifier_start > figure.start \
        else figure.end
    return start, end


def _replacements(text: str, occurrences: list[Occurrence], calls: dict, spans: list[NameSpan],
                  fixed: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for occurrence in occurrences:
        cited = calls.get(_key(occurrence))
        if cited is None:
            continue
        start, end = _figure_span(occurrence)
        noun = cited.fact.noun_in(occurrence.language)
        capital = text[start:start + 1].isupper()
        if noun and text[end:end + 1 + len(noun)] == " " + noun:
            found.append((start, end + 1 + len(noun),
                          "{{ " + cited.call + (".capitalized" if capital else "") + " }}"))
        else:
            found.append((start, end, "{{ " + cited.call + ".figure }}"))
    for span in spans:
        found.append((span.start, span.end, '{{ person("' + span.person + '") }}'))
    for text_form, expression in fixed:
        if text_form:
            for match in re.finditer(r"(?<!\w)" + re.escape(text_form) + r"(?!\w)", text):
                found.append((match.start(), match.end(), "{{ " + expression + " }}"))
    chosen: list[tuple[int, int, str]] = []
    for item in sorted(found, key=lambda r: (r[0], -(r[1] - r[0]))):
        if chosen and item[0] < chosen[-1][1]:
            continue
        chosen.append(item)
    return chosen


def _filled(text: str, replacements: list[tuple[int, int, str]]) -> str:
    out, position = [], 0
    for start, end, call in replacements:
        out.append(escape(text[position:start]))
        out.append(call)
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def paragraph_templates(letters: list[FoundLetter], facts: dict[str, DraftFact],
                        names: dict[int, list[NameSpan]],
                        fixed: list[list[tuple[str, str]]],
                        literal: list[str]) -> list[list[str]]:
    """Each letter's paragraphs as template text, in order; `fixed`: per letter, (text, expression)
    pairs printed by the letter's own fields (the recipient's name, the sending organisation).
    A figure that counts nothing as a whole stays as written, its line marked literal for `check`,
    and is added to `literal`."""
    calls = fact_calls(facts)
    by_paragraph: dict[tuple[int, int], list[Occurrence]] = {}
    for fact in facts.values():
        for item in (fact, *fact.parts.values()):
            for occurrence in item.occurrences:
                by_paragraph.setdefault((occurrence.letter, occurrence.paragraph), []).append(occurrence)
    result = []
    for number, letter in enumerate(letters):
        paragraphs = []
        for index, paragraph in enumerate(letter.body):
            here = by_paragraph.get((number, index), [])
            if paragraph.kind == "table":
                paragraphs.append(_table(paragraph.rows, here, calls))
                continue
            spans = [s for s in names.get(number, []) if s.paragraph == index]
            replaced = _replacements(paragraph.text, here, calls, spans, fixed[number])
            body = _filled(paragraph.text, replaced)
            left = find_figures(prose(body), letter.language, include_articles=False)
            if left:  # no claim about a whole ("billions", "one of these", "8-9"): kept as written
                body += " {# literal #}"
                literal.extend(f"'{f.text}' kept as written, no fact ({paragraph.where})" for f in left)
            numbered = paragraph.kind == "item"
            paragraphs.append(f"{paragraph.number}. {body}" if numbered else _line_start(body))
        result.append(paragraphs)
    return result


def _table(rows: tuple[tuple[str, ...], ...], occurrences: list[Occurrence], calls: dict) -> str:
    lines = []
    for row_number, row in enumerate(rows):
        cells = []
        for column, cell in enumerate(row):
            here = [o for o in occurrences if o.cell == (row_number, column)]
            cells.append(_filled(cell, _replacements(cell, here, calls, [], [])))
        lines.append("| " + " | ".join(cells) + " |")
        if row_number == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


@dataclass(frozen=True)
class Templates:
    letters: tuple[str, ...]  # each letter's template text
    snippets: dict[str, str]  # snippet file (its name marks its language) → text


def letter_templates(letters: list[FoundLetter], paragraphs: list[list[str]], campaign: str) -> Templates:
    """The letters' templates, with shared paragraphs moved into snippets."""
    shared = Counter(p for texts in paragraphs for p in set(texts) if len(p) >= SNIPPET_CHARS)
    names: dict[str, str] = {}
    files: dict[str, str] = {}
    for letter, texts in zip(letters, paragraphs, strict=True):
        for text in texts:
            if shared[text] >= 2 and text not in names:
                names[text] = f"snippets/{campaign}-{len(names) + 1}.md"
                files[text] = file_name(names[text], letter.language)
    bodies = []
    for letter, texts in zip(letters, paragraphs, strict=True):
        out = [f"{{#- Imported by appealkit import from {letter.where}. -#}}"]
        previous = ""
        for number, text in enumerate(texts):
            kind = letter.body[number].kind
            joiner = "\n" if kind == "item" and previous == "item" else "\n\n"
            if text in names:
                out.append(("\n\n" if out[1:] else "\n") + '{% include "' + names[text] + '" %}\n\n')
            else:
                out.append((joiner if out[1:] else "\n") + text)
            previous = kind
        bodies.append("".join(out).rstrip("\n") + "\n")
    return Templates(tuple(bodies), {files[text]: text + "\n" for text in names})


def file_name(name: str, language: str) -> str:
    """`appeal.md` in English, `appeal.de.md` in German: the name marks a template's language."""
    return name if language == "en" else f"{name[:-3]}.{language}.md"
