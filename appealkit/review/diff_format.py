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


_EMPTY: tuple[object, ...] = ("", None, [], {})


def _shown(value: Any) -> str:
    """A record value in one line: lists joined, mappings as key: value for the keys that hold something."""
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items() if v not in _EMPTY) or "(none)"
    return "(none)" if value is None or value == "" else str(value)


def _summary(change: FactChange) -> list[tuple[str, str, str]]:
    """(field, old, new) rows: a change's differing fields; an added or removed entry's fields that hold
    something."""
    if change.change == "changed":
        return [(key, _shown(old), _shown(new)) for key, old, new in change.rows]
    record = change.new or change.old or {}
    shown = [(key, _shown(value)) for key, value in record.items() if value not in _EMPTY]
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
        for text_change in letter.changes:
            marked = (deleted(_one_line(text_change.deleted)) if text_change.deleted else "",
                      inserted(_one_line(text_change.inserted)) if text_change.inserted else "")
            words = " ".join(w for w in marked if w)
            context = " ".join(w for w in (text_change.before, words, text_change.after) if w)
            fact = paint(f"  [{text_change.fact}]", _DIM) if text_change.fact else ""
            lines.append(f"             …{_one_line(context)}…{fact}")
    if report.translations:
        lines.append(paint("translations made stale", _BOLD))
        lines.extend(f"  {stale}" for stale in _stale_lines(report))
    lines.append(_counts(report))
    return "\n".join(lines) + "\n"


def _stale_lines(report: DiffReport) -> list[str]:
    """One line per translated paragraph the change made stale: which translation, which master paragraph."""
    return [f"{t.translation}: paragraph {p.number} of {t.master} (line {p.line}) "
            f"{'changed' if p.change == 'changed' else 'is new'}: {p.redline}"
            for t in report.translations for p in t.paragraphs]


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
        for text_change in letter.changes:
            words = " ".join(w for w in (f"~~{_md(text_change.deleted)}~~" if text_change.deleted else "",
                                         f"**{_md(text_change.inserted)}**" if text_change.inserted else "")
                             if w)
            fact = f" — fact `{text_change.fact}`" if text_change.fact else ""
            lines.append(f"  - …{_md(text_change.before)} {words} {_md(text_change.after)}…{fact}")
    if report.translations:
        lines += ["", "### Translations made stale", ""]
        lines.extend(f"- {_md(stale)}" for stale in _stale_lines(report))
    lines += ["", _counts(report), ""]
    return "\n".join(lines)


# ---- HTML ----

def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _redline_paragraphs(letter: LetterDiff) -> list[tuple[bool, str]]:
    """The whole letter as (changed?, HTML) paragraphs, deletions and insertions inline."""
    paragraphs: list[list[str]] = [[]]
    changed: list[bool] = [False]
    segments = letter.redline
    for index, segment in enumerate(segments):
        for number, piece in enumerate(segment.text.split("\n")):
            if number:
                paragraphs.append([])
                changed.append(False)
            if not piece.strip():
                continue
            if segment.kind == "equal":
                paragraphs[-1].append(_e(piece))
            else:
                tag = "del" if segment.kind == "delete" else "ins"
                title = f' title="fact {_e(segment.fact)}"' if segment.fact else ""
                paragraphs[-1].append(f"<{tag}{title}>{_e(piece.strip())}</{tag}>")
                changed[-1] = True
        followed_by_insert = index + 1 < len(segments) and segments[index + 1].kind == "insert"
        if segment.kind != "equal" and segment.fact and not (segment.kind == "delete" and followed_by_insert):
            paragraphs[-1].append(f'<span class="fact">{_e(segment.fact)}</span>')
    return [(flag, " ".join(p)) for flag, p in zip(changed, paragraphs, strict=True) if p]


def _grouped(paragraphs: list[tuple[bool, str]]) -> list[dict[str, Any]]:
    """Changed paragraphs one by one; each run of unchanged ones as one group, folded on the page."""
    groups: list[dict[str, Any]] = []
    for flag, text in paragraphs:
        if not flag and groups and not groups[-1]["changed"]:
            groups[-1]["paragraphs"].append(text)
        else:
            groups.append({"changed": flag, "paragraphs": [text]})
    return groups


def letter_anchor(letter: LetterDiff) -> str:
    return f"{letter.campaign}--{letter.letter}"


def html_context(report: DiffReport) -> dict[str, Any]:
    """What the diff templates show: source changes, then each letter that moved, with its `lang`."""
    from markupsafe import Markup

    letters = []
    for letter in report.letters:
        if letter.status == "unchanged":
            continue
        either = letter.new or letter.old
        groups = _grouped(_redline_paragraphs(letter)) if letter.status == "changed" else []
        for group in groups:
            group["paragraphs"] = [Markup(text) for text in group["paragraphs"]]
        letters.append({"anchor": letter_anchor(letter), "campaign": letter.campaign, "letter": letter.letter,
                        "status": letter.status, "lang": either.language if either else "",
                        "changes": len(letter.changes), "groups": groups})
    return {
        "title": f"appealkit diff: {report.old_label} → {report.new_label}",
        "counts": _counts(report),
        "sources": [{"title": title.capitalize(), "anchor": title,
                     "rows": [(change, _summary(change)) for change in changes]}
                    for title, changes in _entries(report) if changes],
        "letters": letters,
        "unchanged": [f"{x.campaign}/{x.letter}" for x in report.letters if x.status == "unchanged"],
        "stale_translations": _stale_lines(report),
    }


def format_html(report: DiffReport) -> str:
    """One self-contained page: contents, source changes, then each changed letter's changed paragraphs."""
    from appealkit.pages.html_pages import render_page

    return render_page("diff.html", **html_context(report))


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
        "translations_stale": [
            {"translation": t.translation, "master": t.master,
             "paragraphs": [{"number": p.number, "line": p.line, "change": p.change, "redline": p.redline}
                            for p in t.paragraphs]}
            for t in report.translations
        ],
    }


def format_json(report: DiffReport) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"


def format_report(report: DiffReport, output: str, color: bool = False) -> str:
    """The report in one of `FORMATS`."""
    if output == "text":
        return format_text(report, color)
    return {"md": format_markdown, "html": format_html, "json": format_json}[output](report)
