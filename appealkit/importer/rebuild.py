"""The draft proved before it is written: rendered back, compared with the letters, audited.

The resolved draft (every choice made the import's way) is written to a scratch folder and
loaded with the workspace's own loaders, so a draft that would not load is caught here. Each
letter is rendered as `build` renders it and its salutation and body are compared word by word
with the original (difflib over words; quotes and apostrophes folded, list numbers left out,
since Word numbers lists itself). Then `audit` runs over the original files: what it reports
is the drift an organisation will see once the choices are made.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from appealkit.checks.audit import Auditor
from appealkit.checks.findings import Finding
from appealkit.importer.letters import FoundLetter
from appealkit.read.passages import LetterText
from appealkit.render.document import letter_lines
from appealkit.render.letters import make_environment, render_letter
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                       "\u00a0": " ", "\u202f": " "})
_MARKER = re.compile(r"^\d+[.)]$")


def words(text: str) -> list[str]:
    """The words compared: quotes folded, list numbers and table rules left out."""
    return [w for w in text.translate(_FOLD).split() if not _MARKER.match(w) and w not in ("|", "---")]


def original_words(letter: FoundLetter) -> list[str]:
    parts = [letter.salutation]
    for paragraph in letter.body:
        parts.append(paragraph.text)
    return words("\n".join(parts))


def similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Rebuilt:
    letter_id: str
    similarity: float
    text: str  # the rendered salutation and body


@dataclass(frozen=True)
class Proof:
    rebuilt: tuple[Rebuilt, ...]
    audit: tuple[Finding, ...]


def prove(files: dict[str, str], campaign: str, letters: list[FoundLetter], letter_ids: list[str],
          originals: list[LetterText]) -> Proof:
    """Render the resolved draft and audit the originals against it."""
    with tempfile.TemporaryDirectory(prefix="appealkit-import-") as scratch:
        root = Path(scratch)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")  # a scratch copy: gone when the proof is done
        workspace = load_workspace(root)
        loaded = load_campaign_file(workspace, root / "campaigns" / f"{campaign}.yaml")
        env = make_environment(root)
        rebuilt = []
        specs = {spec.id: spec for spec in loaded.letters}
        for letter, letter_id in zip(letters, letter_ids, strict=True):
            rendered = render_letter(workspace, loaded, specs[letter_id], env).letter
            bare = replace(rendered, sender=(), place_date="", references=(), recipient=(), subject="",
                           closing="", signatures=())
            text = "\n".join(letter_lines(bare))
            rebuilt.append(Rebuilt(letter_id, similarity(original_words(letter), words(text)), text))
        auditor = Auditor(workspace)
        findings = [f for original in originals for f in auditor.letter(original)]
    return Proof(tuple(rebuilt), tuple(findings))
