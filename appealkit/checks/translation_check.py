"""Translations against their masters, as findings: stale, missing and orphaned blocks, dropped figures.

Prose may drift between languages until a translator catches up, so a stale or missing block
is a warning: the letter is built, listed under `translations_stale` in the manifest, and
refused under `--strict`. A figure may not drift: the facts and people a translated block
cites, and the snippets it includes, must be those of its master block, or it is an error.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from appealkit.checks.findings import Finding
from appealkit.checks.master_history import MasterHistory
from appealkit.checks.translation_state import Translations, TranslationState, translations
from appealkit.rules.language import LANGUAGE_NAMES
from appealkit.source.records import Workspace

#: The kinds of finding a translation gives; the first four mean "stale" in the manifest.
STALE_KINDS = ("translation-stale", "translation-missing", "translation-orphan", "translation-unmarked")
_CITED = re.compile(r"""\b(fact|person)\(\s*(["'])([^"']+)\2[^)]*\)((?:\.\w+(?:\([^)]*\))?)*)""")
_INCLUDE = re.compile(r"""\{%-?\s*include\s+(["'])([^"']+)\1""")
_CONTEXT_WORDS = 4
_REDLINE = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def cited(text: str) -> frozenset[str]:
    """What a block cites: `fact:id.part`, `person:id` and `include:name`."""
    found = {f"{m[1]}:{m[3]}" + re.sub(r"\s+", "", m[4]) for m in _CITED.finditer(text)}
    return frozenset(found | {f"include:{m[2]}" for m in _INCLUDE.finditer(text)})


def translation_findings(workspace: Workspace, templates: Iterable[str],
                         memo: dict[str, list[Finding]] | None = None) -> list[Finding]:
    """The findings of every translation among `templates` (names under templates/); `memo` keeps
    them per name between letters of one build."""
    memo = {} if memo is None else memo
    history = MasterHistory(workspace.root)
    found: Translations | None = None
    findings: list[Finding] = []
    for name in sorted(set(templates)):
        if name not in memo:
            if found is None:
                found = translations(Path(workspace.root))
            state = found.state(name)
            memo[name] = state_findings(workspace, state, history) if state else []
        findings.extend(memo[name])
    return findings


def state_findings(workspace: Workspace, state: TranslationState, history: MasterHistory) -> list[Finding]:
    """The findings of one translation."""
    shown = f"templates/{state.name}"
    last = state.translation.blocks[-1].line if state.translation.blocks else 1
    if state.translation.blocks and not any(b.mark for b in state.translation.blocks):
        return [Finding(shown, 1, "translation-unmarked", "warning",
                        f"is not marked against its master {state.master_name}, so no one can tell "
                        f"whether it still says what the master says",
                        hint=f"check it against the master, then run: appealkit translations mark {shown}"),
                *_whole_file_findings(workspace, state)]
    findings = []
    for index, pair in enumerate(state.pairs):
        line = _line(state, index, last)
        number = (pair.master or 0) + 1
        master, block = state.master_block(pair), state.block(pair)
        hint = f"translate the change, then run: appealkit translations mark {shown}"
        if pair.state == "stale" and master and block and block.mark:
            earlier = history.text(state.master_name, block.mark)
            change = redline(earlier, master.text) if earlier is not None else (
                f"its earlier text is not in git; it reads now: {_short(master.text)}")
            findings.append(Finding(
                shown, line, "translation-stale", "warning",
                f"translates paragraph {number} of {state.master_name}, which has changed since ({change})",
                expected=master.digest, found=block.mark,
                source=f"templates/{state.master_name}:{master.line}", hint=hint))
        elif pair.state == "unmarked" and master:
            findings.append(Finding(
                shown, line, "translation-unmarked", "warning",
                f"has no mark naming the master paragraph it translates (paragraph {number} of "
                f"{state.master_name} by its place)", source=f"templates/{state.master_name}:{master.line}",
                hint=f"check it against the master, then run: appealkit translations mark {shown}"))
        elif pair.state == "missing" and master:
            findings.append(Finding(
                shown, line, "translation-missing", "warning",
                f"has no translation of paragraph {number} of {state.master_name} ({_short(master.text)})",
                source=f"templates/{state.master_name}:{master.line}",
                hint=f"translate it, then run: appealkit translations mark {shown}"))
        elif pair.state == "orphan" and block:
            findings.append(Finding(
                shown, line, "translation-orphan", "warning",
                f"translates a paragraph that {state.master_name} no longer has ({_short(block.text)})",
                hint=f"remove it, or mark it if the master says it elsewhere: "
                     f"appealkit translations mark {shown}"))
    findings.extend(figure_findings(workspace, state))
    return findings


def figure_findings(workspace: Workspace, state: TranslationState) -> list[Finding]:
    """Errors for each fact, person or snippet a translated block cites that its master block does not,
    and the reverse; a master block without translation counts as citing nothing."""
    shown = f"templates/{state.name}"
    last = state.translation.blocks[-1].line if state.translation.blocks else 1
    everywhere = set().union(*(cited(b.text) for b in state.translation.blocks))
    in_master = set().union(*(cited(b.text) for b in state.master.blocks))
    letter = f"the {_language(state.language)} letter"
    findings = []
    for index, pair in enumerate(state.pairs):
        master, block = state.master_block(pair), state.block(pair)
        line = _line(state, index, last)
        wanted = cited(master.text) if master else frozenset()
        have = cited(block.text) if block else frozenset()
        if master is None:
            wanted, have = frozenset(), have - in_master
        elif block is None:
            have, wanted = frozenset(), wanted - everywhere
        number = (pair.master or 0) + 1
        master_says = f"the {_language(state.master_language)} master"
        for key in sorted(wanted - have):
            findings.append(Finding(
                shown, line, "translation-figures", "error",
                f"{letter} omits {_what(workspace, key)} that {master_says} cites in paragraph {number} "
                f"of {state.master_name}", expected=key, fact=_fact(key),
                hint=f"cite it as the master does: {_written(key)}"))
        for key in sorted(have - wanted):
            where = f"in paragraph {number} of {state.master_name}" if master else "anywhere"
            findings.append(Finding(
                shown, line, "translation-figures", "error",
                f"{letter} cites {_what(workspace, key)}, which {master_says} does not cite {where}",
                found=key, fact=_fact(key), hint="a translation says what its master says: remove it, "
                "or add it to the master first"))
    return findings


def _whole_file_findings(workspace: Workspace, state: TranslationState) -> list[Finding]:
    """For a translation never marked, whose blocks cannot be paired with certainty: the figures, people
    and snippets of the whole file against those of the whole master."""
    shown = f"templates/{state.name}"
    wanted = set().union(*(cited(b.text) for b in state.master.blocks))
    have = set().union(*(cited(b.text) for b in state.translation.blocks))
    letter = f"the {_language(state.language)} letter"
    master_says = f"the {_language(state.master_language)} master"
    return [*(Finding(shown, 1, "translation-figures", "error",
                      f"{letter} omits {_what(workspace, key)} that {master_says} {state.master_name} cites",
                      expected=key, fact=_fact(key), hint=f"cite it as the master does: {_written(key)}")
              for key in sorted(wanted - have)),
            *(Finding(shown, 1, "translation-figures", "error",
                      f"{letter} cites {_what(workspace, key)}, which {master_says} {state.master_name} "
                      "does not cite",
                      found=key, fact=_fact(key), hint="a translation says what its master says: remove it, "
                      "or add it to the master first") for key in sorted(have - wanted))]


def redline(old: str, new: str) -> str:
    """The words that changed from `old` to `new`, `[-deleted-]` and `{+inserted+}`, with a little context."""
    a, b = old.split(), new.split()
    pieces = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(a[max(0, a1 - _CONTEXT_WORDS):a1])
        after = " ".join(a[a2:a2 + _CONTEXT_WORDS])
        deleted = f"[-{' '.join(a[a1:a2])}-]" if a2 > a1 else ""
        change = deleted + (f"{{+{' '.join(b[b1:b2])}+}}" if b2 > b1 else "")
        pieces.append(" ".join(p for p in (before, change, after) if p))
    return "…" + " … ".join(pieces) + "…" if pieces else "only its spacing changed"


def redline_pieces(text: str) -> tuple[tuple[str, str], ...]:
    """A message holding a `redline` as ("equal" | "delete" | "insert", text) pieces, for a page."""
    pieces = []
    position = 0
    for found in _REDLINE.finditer(text):
        if found.start() > position:
            pieces.append(("equal", text[position:found.start()]))
        deleted = found.group(1)
        pieces.append(("delete", deleted) if deleted is not None else ("insert", found.group(2)))
        position = found.end()
    if position < len(text):
        pieces.append(("equal", text[position:]))
    return tuple(pieces)


def _line(state: TranslationState, index: int, last: int) -> int:
    """The line of a pair's translated block, or of the next translated block for a missing one."""
    for pair in state.pairs[index:]:
        block = state.block(pair)
        if block is not None:
            return block.line
    return last


def _short(text: str, words: int = 8) -> str:
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def _language(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].split("_")[0], code)


def _fact(key: str) -> str:
    kind, _, rest = key.partition(":")
    return rest.split(".")[0] if kind == "fact" else ""


def _what(workspace: Workspace, key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "include":
        return f"the snippet {rest}"
    ident = rest.split(".")[0]
    if kind == "person":
        person = workspace.people.get(ident)
        return f"{person.name if person else ident} (person '{ident}')"
    fact = workspace.facts.get(ident)
    noun = f" on {fact.noun}" if fact and fact.noun else ""
    return f"the figure{noun} (fact '{rest}')"


def _written(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "include":
        return f'{{% include "{rest}" %}}'
    ident, dot, chain = rest.partition(".")
    return f'{{{{ {kind}("{ident}"){dot}{chain} }}}}'


def stale_templates(findings: Iterable[Finding]) -> list[str]:
    """The translation files among the findings that are not current (for the manifest and `serve`)."""
    return sorted({f.file for f in findings if f.kind in STALE_KINDS})


def workspace_translation_findings(workspace: Workspace) -> list[Finding]:
    """The findings of every translation in the workspace (`check`)."""
    return translation_findings(workspace, translations(Path(workspace.root)).masters)
