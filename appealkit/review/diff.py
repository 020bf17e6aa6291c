"""What a change to the source of truth does to the letters: `appealkit diff`.

Both sides are loaded and every letter is rendered in each; the rendered texts are
compared word by word, and each changed stretch is attributed to the fact whose
cited words it touches, so a reviewer sees "400 → 375, political_prisoners" in every
letter that says it, and that the other letters did not move.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealkit.errors import AppealkitError, DiffError, Problem
from appealkit.read.letterhead import campaign_letterhead
from appealkit.render.document import Letter, letter_pieces
from appealkit.render.letters import make_environment, render_letter
from appealkit.review.revisions import Side, materialise
from appealkit.review.translation_diff import StaleTranslation, newly_stale
from appealkit.source.campaign import load_campaign_file
from appealkit.source.records import Campaign, Fact, Person, Recipient, Workspace, plain
from appealkit.source.workspace import load_workspace

CONTEXT_WORDS = 6
PARAGRAPH = "\n"


@dataclass(frozen=True)
class FactChange:
    """A fact added, removed or changed; `old`/`new` hold every field of the record."""

    id: str
    change: str  # "added" | "removed" | "changed"
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def rows(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) for every value that differs, nested fields named by their path
        (`term.end`, `translations.de.noun`, `sources.2.title`)."""
        return changed_fields(self.old or {}, self.new or {})

    @property
    def fields(self) -> list[str]:
        """The fields whose values differ, in record order."""
        return [path for path, _, _ in self.rows]


def changed_fields(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Where two plain records differ: mappings and same-length lists of mappings are entered
    (list items numbered from 1), anything else is compared whole."""
    def inner(key: str | int) -> str:
        return f"{path}.{key}" if path else str(key)

    if isinstance(old, dict) and isinstance(new, dict):
        return [row for key in dict.fromkeys([*old, *new])
                for row in changed_fields(old.get(key), new.get(key), inner(key))]
    if (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)
            and all(isinstance(item, dict) for item in (*old, *new))):
        return [row for number, (a, b) in enumerate(zip(old, new, strict=True), start=1)
                for row in changed_fields(a, b, inner(number))]
    return [] if old == new else [(path, old, new)]


@dataclass(frozen=True)
class PersonChange(FactChange):
    """A person or organisation added, removed or changed."""


@dataclass(frozen=True)
class RecipientChange(FactChange):
    """A recipient profile added, removed or changed (a new holder, a new term...)."""


@dataclass(frozen=True)
class Change:
    """One stretch of a letter: words deleted, words inserted, and the fact responsible if any."""

    deleted: str
    inserted: str
    fact: str | None = None
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Segment:
    """A piece of the inline redline: kind is "equal", "delete" or "insert"."""

    kind: str
    text: str
    fact: str | None = None


@dataclass(frozen=True)
class LetterDiff:
    campaign: str
    letter: str
    status: str  # "changed" | "unchanged" | "added" | "removed"
    changes: tuple[Change, ...] = ()
    redline: tuple[Segment, ...] = ()
    old: Letter | None = None
    new: Letter | None = None
    #: the letterheads' bytes, read while the revisions were unpacked
    old_letterhead: bytes | None = None
    new_letterhead: bytes | None = None


@dataclass(frozen=True)
class DiffReport:
    old_label: str
    new_label: str
    facts: tuple[FactChange, ...]
    people: tuple[PersonChange, ...]
    recipients: tuple[RecipientChange, ...]
    letters: tuple[LetterDiff, ...]
    #: translations current before whose master changed since (`translation_diff`)
    translations: tuple[StaleTranslation, ...] = ()
    #: the warnings met while comparing (`diff_run.run_diff` collects them)
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        """True when anything differs: the exit code of `appealkit diff` is 1 then."""
        return bool(self.facts or self.people or self.recipients
                    or any(letter.status != "unchanged" for letter in self.letters))


def diff_revisions(root: Path, old: str | None = "HEAD", new: str | None = None,
         campaign: str | None = None) -> DiffReport:
    """Compare the workspace at `old` with `new` (git revisions or folders; None is the working tree).

    Every failure is a `DiffError` (exit code 2), since exit code 1 means "something changed"."""
    try:
        with materialise(root, old) as old_side, materialise(root, new) as new_side:
            return diff_workspaces(old_side, new_side, campaign)
    except DiffError:
        raise
    except AppealkitError as exc:
        raise DiffError(exc.problems) from None
    except OSError as exc:
        raise DiffError.at(exc.filename or str(root), None, f"cannot compare: {exc.strerror or exc}",
                           "check the revisions and folders given") from None


def diff_workspaces(old: Side, new: Side, campaign: str | None = None) -> DiffReport:
    """Compare two loadable workspace folders: source-of-truth changes and every letter."""
    old_ws, new_ws = _load(old), _load(new)
    stems = _campaign_stems(old, new, campaign)
    old_letters = _render_all(old, old_ws, stems)
    new_letters = _render_all(new, new_ws, stems)
    return DiffReport(
        old_label=old.label,
        new_label=new.label,
        facts=_entry_changes(old_ws.facts, new_ws.facts, FactChange),
        people=_entry_changes(old_ws.people, new_ws.people, PersonChange),
        recipients=_entry_changes(old_ws.recipients, new_ws.recipients, RecipientChange),
        letters=tuple(_letter_diffs(old_letters, new_letters)),
        translations=newly_stale(old.root, new.root),
    )


# ---- loading and rendering each side ----

def _relabel(problems: tuple[Problem, ...], side: Side) -> list[Problem]:
    """Name a revision's files the way git does (`HEAD~1:facts/x.yaml`), a folder's below the folder."""
    def where(file: str) -> str:
        if side.revision:
            return f"{side.revision}:{file}"
        if side.label != "working tree" and not Path(file).is_absolute():
            return (Path(side.label) / file).as_posix()
        return file
    return [Problem(where(p.file), p.line, p.message, p.hint, p.severity) for p in problems]


@contextlib.contextmanager
def _errors_of(side: Side) -> Iterator[None]:
    """A side that does not load or render is an error of the comparison (exit code 2)."""
    try:
        yield
    except DiffError:
        raise
    except AppealkitError as exc:
        raise DiffError(_relabel(exc.problems, side)) from None


def _load(side: Side) -> Workspace:
    with _errors_of(side):
        return load_workspace(side.root)


def _stem(name: str) -> str:
    base = Path(name).name
    return base[: -len(".yaml")] if base.endswith(".yaml") else base


def _campaign_stems(old: Side, new: Side, campaign: str | None) -> list[str]:
    found = {p.stem for side in (old, new) for p in (side.root / "campaigns").glob("*.yaml")}
    if campaign is None:
        return sorted(found)
    stem = _stem(campaign)
    if stem not in found:
        raise DiffError.at(campaign, None, f"no such campaign in {old.label} or {new.label}",
                           f"campaigns: {', '.join(sorted(found)) or 'none'}")
    return [stem]


@dataclass(frozen=True)
class _Rendered:
    campaign: Campaign
    letter: Letter
    letterhead: bytes | None


def _render_all(side: Side, workspace: Workspace, stems: list[str]) -> dict[tuple[str, str], _Rendered]:
    env = make_environment(side.root)
    letters: dict[tuple[str, str], _Rendered] = {}
    for stem in stems:
        path = side.root / "campaigns" / f"{stem}.yaml"
        if not path.is_file():
            continue
        with _errors_of(side):
            campaign = load_campaign_file(workspace, path)
            letterhead = campaign_letterhead(side.root, campaign)
            for spec in campaign.letters:
                rendered = render_letter(workspace, campaign, spec, env)
                letters[(campaign.id, spec.id)] = _Rendered(campaign, rendered.letter, letterhead)
    return letters


# ---- source-of-truth records ----

def _record(entry: Fact | Person | Recipient) -> dict[str, Any]:
    """Every field of a fact, person or recipient, as the dataclass has them."""
    return plain(entry)


def _entry_changes(old: dict[str, Any], new: dict[str, Any], kind: type[FactChange]) -> tuple[Any, ...]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before = _record(old[key]) if key in old else None
        after = _record(new[key]) if key in new else None
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        changes.append(kind(key, change, before, after))
    return tuple(changes)


# ---- letters, word by word ----

@dataclass(frozen=True)
class Token:
    text: str
    fact: str | None = None


_WORD = re.compile(r"\S+")


def letter_tokens(letter: Letter) -> list[Token]:
    """The letter's words in reading order, paragraph breaks as "\\n" tokens, each word with its fact."""
    tokens: list[Token] = []
    for pieces in letter_pieces(letter):
        text = "".join(piece for piece, _ in pieces)
        facts: list[str | None] = []
        for piece, fact in pieces:
            facts.extend([fact] * len(piece))
        if tokens:
            tokens.append(Token(PARAGRAPH))
        for match in _WORD.finditer(text):
            cited = [f for f in facts[match.start():match.end()] if f]
            tokens.append(Token(match.group(), cited[0] if cited else None))
    return tokens


def join_words(tokens: list[Token]) -> str:
    """Words joined by spaces, paragraph breaks kept as newlines."""
    out = ""
    for token in tokens:
        if token.text == PARAGRAPH:
            out = out.rstrip(" ") + PARAGRAPH
        else:
            out += ("" if not out or out.endswith(PARAGRAPH) else " ") + token.text
    return out


def _context(tokens: list[Token], start: int, step: int) -> str:
    found: list[Token] = []
    index = start
    while 0 <= index < len(tokens) and len(found) < CONTEXT_WORDS and tokens[index].text != PARAGRAPH:
        found.append(tokens[index])
        index += step
    return join_words(found[::-1] if step < 0 else found)


def compare_letters(old: Letter, new: Letter) -> tuple[tuple[Change, ...], tuple[Segment, ...]]:
    """Word-level changes between two renderings of a letter, and the whole letter as a redline."""
    a, b = letter_tokens(old), letter_tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    changes: list[Change] = []
    redline: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            redline.append(Segment("equal", join_words(b[j1:j2])))
            continue
        cited = [t.fact for t in (*a[i1:i2], *b[j1:j2]) if t.fact]
        fact = cited[0] if cited else None
        deleted, inserted = join_words(a[i1:i2]), join_words(b[j1:j2])
        if deleted:
            redline.append(Segment("delete", deleted, fact))
        if inserted:
            redline.append(Segment("insert", inserted, fact))
        changes.append(Change(deleted.strip(), inserted.strip(), fact,
                              _context(a, i1 - 1, -1), _context(b, j2, 1)))
    return tuple(changes), tuple(redline)


def _letter_diffs(old: dict[tuple[str, str], _Rendered],
                  new: dict[tuple[str, str], _Rendered]) -> Iterator[LetterDiff]:
    keys = list(new) + [key for key in old if key not in new]
    order = {key: index for index, key in enumerate(keys)}
    for campaign_id, letter_id in sorted(keys, key=lambda k: (k[0], order[k])):
        before, after = old.get((campaign_id, letter_id)), new.get((campaign_id, letter_id))
        if before is None or after is None:
            yield LetterDiff(campaign_id, letter_id, "added" if before is None else "removed",
                             old=before.letter if before else None, new=after.letter if after else None)
            continue
        changes, redline = compare_letters(before.letter, after.letter)
        yield LetterDiff(campaign_id, letter_id, "changed" if changes else "unchanged", changes,
                         redline if changes else (), before.letter, after.letter,
                         before.letterhead, after.letterhead)

