"""A `DiffReport` as text for a terminal, Markdown for a pull request, one HTML file, or JSON."""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from appealkit.review.diff import DiffReport, FactChange, LetterDiff

FORMATS = ("text", "md", "html", "json")

_RED, _GREEN, _BOLD, _DIM, _RESET = "\033[31m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"


def _shown(value: Any) -> str:
    """A record value in one line: lists joined, mappings as key: value."""
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items()) or "(none)"
    return "(none)" if value is None or value == "" else str(value)


def _summary(change: FactChange) -> list[tuple[str, str, str]]:
    """(field, old, new) rows: a change's differing fields; an added or removed entry's fields that hold
    something."""
    if change.change == "changed":
        return [(key, _shown(old), _shown(new)) for key, old, new in change.rows]
    record = change.new or change.old or {}
    shown = [(key, _shown(value)) for key, value in record.items() if value not in ("", None, [], {})]
    return [(key, "" if change.new else value, value if change.new else "") for key, value in shown]


def _entries(report: DiffReport) -> list[tuple[str, tuple[FactChange, ...]]]:
    return [("facts", report.facts), ("people", report.people), ("recipients", report.recipients)]


def _counts(report: DiffReport) -> str:
    counts = {status: 0 for status in ("changed", "unchanged", "added", "removed")}
    for letter in report.letters:
        counts[letter.status] += 1
    return (f"{len(report.letters)} letters: " + ", ".join(f"{n} {status}" for status, n in counts.items())
            + f"; {len(report.facts)} facts, {len(report.people)} people, "
            f"{len(report.recipients)} recipients changed")


# ---- text ----

def format_text(report: DiffReport, color: bool = False) -> str:
    """Plain text; with `color`, deletions red and insertions green instead of [-…-]{+…+}."""
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    def deleted(text: str) -> str:
        return paint(text, _RED) if color else f"[-{text}-]"

    def inserted(text: str) -> str:
        return paint(text, _GREEN) if color else f"{{+{text}+}}"

    lines = [paint(f"appealkit diff {report.old_label} → {report.new_label}", _BOLD)]
    for title, changes in _entries(report):
        if not changes:
            continue
        lines.append(paint(title, _BOLD))
        for change in changes:
            lines.append(f"  {change.change:<9}  {change.id}")
            for key, old, new in _summary(change):
                if change.change == "changed":
                    lines.append(f"             {key}: {deleted(old)} → {inserted(new)}")
                else:
                    lines.append(f"             {key}: {old or new}")
    lines.append(paint("letters", _BOLD))
    for letter in report.letters:
        lines.append(f"  {letter.status:<9}  {letter.campaign}/{letter.letter}")
        for change in letter.changes:
            marked = (deleted(_one_line(change.deleted)) if change.deleted else "",
                      inserted(_one_line(change.inserted)) if change.inserted else "")
            words = " ".join(w for w in marked if w)
            context = " ".join(w for w in (change.before, words, change.after) if w)
            fact = paint(f"  [{change.fact}]", _DIM) if change.fact else ""
            lines.append(f"             …{_one_line(context)}…{fact}")
    lines.append(_counts(report))
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return text.replace("\n", " ¶ ")


# ---- Markdown ----

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def format_markdown(report: DiffReport) -> str:
    """Markdown for a pull-request comment: tables of source changes, then each letter's changes."""
    lines = [f"## appealkit diff: {_md(report.old_label)} → {_md(report.new_label)}", ""]
    for title, changes in _entries(report):
        if not changes:
            continue
        lines += [f"### {title.capitalize()}", "", "| id | change | field | old | new |",
                  "|---|---|---|---|---|"]
        for change in changes:
            for key, old, new in _summary(change):
                lines.append(f"| `{change.id}` | {change.change} | {key} | {_md(old)} | {_md(new)} |")
        lines.append("")
    lines += ["### Letters", ""]
    for letter in report.letters:
        lines.append(f"- **{letter.status}** `{letter.campaign}/{letter.letter}`")
        for change in letter.changes:
            words = " ".join(w for w in (f"~~{_md(change.deleted)}~~" if change.deleted else "",
                                         f"**{_md(change.inserted)}**" if change.inserted else "") if w)
            fact = f" — fact `{change.fact}`" if change.fact else ""
            lines.append(f"  - …{_md(change.before)} {words} {_md(change.after)}…{fact}")
    lines += ["", _counts(report), ""]
    return "\n".join(lines)


# ---- HTML ----

_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1em; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
del { background: #fdd; color: #a00; } ins { background: #dfd; color: #060; text-decoration: none; }
.fact { font-size: .75em; color: #555; vertical-align: super; }
.letter { border: 1px solid #ddd; padding: 0 1.2em; margin: 1em 0; }
.status { font-variant: small-caps; font-weight: bold; }
.changed, .added { color: #a60; } .removed { color: #a00; } .unchanged { color: #777; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_redline(letter: LetterDiff) -> str:
    """The whole letter, paragraph by paragraph, with deletions and insertions inline."""
    paragraphs: list[list[str]] = [[]]
    segments = letter.redline
    for index, segment in enumerate(segments):
        pieces = segment.text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                paragraphs.append([])
            if not piece.strip():
                continue
            if segment.kind == "equal":
                paragraphs[-1].append(_e(piece))
            else:
                tag = "del" if segment.kind == "delete" else "ins"
                title = f' title="fact {_e(segment.fact)}"' if segment.fact else ""
                paragraphs[-1].append(f"<{tag}{title}>{_e(piece.strip())}</{tag}>")
        followed_by_insert = index + 1 < len(segments) and segments[index + 1].kind == "insert"
        if segment.kind != "equal" and segment.fact and not (segment.kind == "delete" and followed_by_insert):
            paragraphs[-1].append(f'<span class="fact">{_e(segment.fact)}</span>')
    return "\n".join(f"<p>{' '.join(p)}</p>" for p in paragraphs if p)


def format_html(report: DiffReport) -> str:
    """One self-contained page: source changes on top, then each changed letter as an inline redline."""
    title = f"appealkit diff: {report.old_label} → {report.new_label}"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{_e(title)}</h1>", f"<p>{_e(_counts(report))}</p>"]
    for heading, changes in _entries(report):
        if not changes:
            continue
        out += [f"<h2>{_e(heading.capitalize())}</h2>", "<table>",
                "<tr><th>id</th><th>change</th><th>field</th><th>old</th><th>new</th></tr>"]
        for change in changes:
            for key, old, new in _summary(change):
                old_cell = f"<del>{_e(old)}</del>" if old else ""
                new_cell = f"<ins>{_e(new)}</ins>" if new else ""
                out.append(f"<tr><td><code>{_e(change.id)}</code></td><td>{_e(change.change)}</td>"
                           f"<td>{_e(key)}</td><td>{old_cell}</td><td>{new_cell}</td></tr>")
        out.append("</table>")
    out.append("<h2>Letters</h2>")
    for letter in report.letters:
        status = f'<span class="status {_e(letter.status)}">{_e(letter.status)}</span>'
        name = f"<code>{_e(letter.campaign)}/{_e(letter.letter)}</code>"
        if letter.status != "changed":
            out.append(f"<p>{status} {name}</p>")
            continue
        out += [f'<div class="letter" id="{_e(letter.campaign)}--{_e(letter.letter)}">',
                f"<h3>{status} {name}</h3>", _html_redline(letter), "</div>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# ---- JSON ----

def as_json(report: DiffReport) -> dict[str, Any]:
    """The report as the issue specifies it (facts and letters), plus people and recipients."""
    def entries(changes: tuple[FactChange, ...]) -> list[dict[str, Any]]:
        return [{"id": c.id, "change": c.change, "old": c.old, "new": c.new} for c in changes]

    return {
        "facts": entries(report.facts),
        "people": entries(report.people),
        "recipients": entries(report.recipients),
        "letters": [
            {"campaign": letter.campaign, "letter": letter.letter, "status": letter.status,
             "changes": [{"deleted": c.deleted, "inserted": c.inserted, "fact": c.fact}
                         for c in letter.changes]}
            for letter in report.letters
        ],
    }


def format_json(report: DiffReport) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"


def format_report(report: DiffReport, output: str, color: bool = False) -> str:
    """The report in one of `FORMATS`."""
    if output == "text":
        return format_text(report, color)
    return {"md": format_markdown, "html": format_html, "json": format_json}[output](report)
