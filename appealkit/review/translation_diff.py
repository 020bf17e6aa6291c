"""Which translations a change to their masters makes stale: what `diff` reports besides the letters.

A paragraph counts when its translation was current on the old side and is not on the new one:
its master paragraph changed (the redline says how) or is new, with no translation yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appealkit.checks.translation_check import redline
from appealkit.checks.translation_state import translations


@dataclass(frozen=True)
class StaleParagraph:
    #: the master paragraph's number and line on the new side
    number: int
    line: int
    #: "changed" (its translation is now stale) or "added" (the master has a new paragraph)
    change: str
    redline: str


@dataclass(frozen=True)
class StaleTranslation:
    translation: str
    master: str
    paragraphs: tuple[StaleParagraph, ...]


def newly_stale(old_root: Path, new_root: Path) -> tuple[StaleTranslation, ...]:
    """The translations current on the old side whose master changed under them on the new side."""
    found = []
    old_side, new_side = translations(old_root), translations(new_root)
    for name in sorted(new_side.masters):
        new, old = new_side.state(name), old_side.state(name)
        if new is None:
            continue
        old_current = {old.translation.blocks[p.translation].mark for p in old.pairs
                       if old and p.state == "current" and p.translation is not None} if old else set()
        old_texts = {b.digest: b.text for b in old.master.blocks} if old else {}
        paragraphs = []
        for pair in new.pairs:
            master, block = new.master_block(pair), new.block(pair)
            if master is None:
                continue
            number = (pair.master or 0) + 1
            if pair.state == "stale" and block and block.mark in old_current:
                earlier = old_texts.get(block.mark or "", "")
                change = redline(earlier, master.text)
                paragraphs.append(StaleParagraph(number, master.line, "changed", change))
            elif pair.state == "missing" and master.digest not in old_texts and old is not None:
                paragraphs.append(StaleParagraph(number, master.line, "added", redline("", master.text)))
        if paragraphs:
            found.append(StaleTranslation(f"templates/{name}", f"templates/{new.master_name}",
                                          tuple(paragraphs)))
    return tuple(found)
