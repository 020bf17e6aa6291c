"""The input hash of a letter: everything its files are made from, so an unchanged letter is skipped.

A letter's DOCX and PDF depend on its templates (body and every snippet it loads),
the facts it cites, the people and recipient it names, the campaign's settings, the
layout and letterhead, the formats asked for and the tool's version. All of that is
hashed here, without paths of this machine, so the hash only moves when an input does.

The manifest records, per letter, the templates its render loaded and the facts it
cited. The next build recomputes the hash from those recorded dependencies with their
current contents, without rendering (like a compiler's depfile): rendering is
deterministic, so the same dependencies make the same letter, and a letter whose
dependencies changed is rendered again and records its new ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from appealkit.source.records import MAILING_FIELDS, Campaign, LetterSpec, Workspace, plain
from appealkit.source.template_sources import TemplateSources
from appealkit.version import __version__, installed_version

__all__ = ["LetterInputs", "LetterKeys", "build_key", "digest", "digest_of_parts", "file_digest", "plain",
           "utf8_chunks"]

#: Bump when the way outputs are written changes without the package version changing.
OUTPUT_SCHEME = 2
LIBRARIES = ("jinja2", "markdown-it-py", "babel", "num2words", "python-docx", "weasyprint", "pypdf")


_JSON: dict[str, Any] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}


def digest(data: Any) -> str:
    text = json.dumps(plain(data), **_JSON)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of_parts(parts: Iterable[Any]) -> Any:
    """The SHA-256 (a hashlib object) of `parts`, each as `digest` writes it and a NUL, hashed one at a
    time: data whose JSON text is megabytes (the letters of a big campaign) is never one text. Each
    part's JSON is whole, so a NUL cannot be confused with one inside a part."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(json.dumps(plain(part), **_JSON).encode("utf-8") + b"\0")
    return hashed


def utf8_chunks(pieces: Iterable[str], size: int = 65536) -> Iterator[bytes]:
    """Many small pieces of text (a JSON encoder's, a template's) as UTF-8 in chunks of about
    `size` characters: joined whole they would be held two or three times over."""
    gathered: list[str] = []
    length = 0
    for piece in pieces:
        gathered.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(gathered).encode("utf-8")
            gathered, length = [], 0
    yield "".join(gathered).encode("utf-8")


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:  # read in pieces: a campaign's zip may be hundreds of megabytes
        return hashlib.file_digest(handle, "sha256").hexdigest()


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` by relative name: a layout's HTML, CSS, fonts and images."""
    return {p.relative_to(folder).as_posix(): file_digest(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def library_versions() -> dict[str, str]:
    """The libraries whose upgrade may change a letter's bytes."""
    return {name: installed_version(name) or "" for name in LIBRARIES}


def build_key(workspace: Workspace, campaign: Campaign, formats: tuple[str, ...], layout_dir: Path | None,
              letterhead: Path | None, pdf_variant: str | None = None) -> str:
    """What every letter of a build shares: campaign settings, people, layout, letterhead, formats, versions.

    People are hashed whole: a template may name anyone with `person()`, and people
    change rarely, while facts, which change often, are hashed per letter. The names of
    the template files count too: adding `x.de.md` changes which file a German letter uses.
    """
    templates = workspace.root / "templates"
    names = sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_file())
    return digest({
        "tool": [__version__, OUTPUT_SCHEME, library_versions()],
        "formats": list(formats),
        "campaign": {k: v for k, v in plain(dataclasses.replace(campaign, letters=())).items()
                     if k not in MAILING_FIELDS},
        "people": workspace.people,
        "template_files": names,
        "layout": folder_digest(layout_dir) if "pdf" in formats and layout_dir else None,
        "letterhead": file_digest(letterhead) if "docx" in formats and letterhead else None,
        **({"pdf_variant": pdf_variant} if pdf_variant and "pdf" in formats else {}),
    })


class LetterKeys:
    """Input hashes of the letters of one build; each fact and recipient is hashed once."""

    def __init__(self, workspace: Workspace, shared: str):
        self.workspace = workspace
        self.shared = shared
        self._facts: dict[str, str] = {}
        self._recipients: dict[str, str] = {}

    def _fact(self, fact_id: str) -> str:
        if fact_id not in self._facts:
            self._facts[fact_id] = digest(self.workspace.facts[fact_id])
        return self._facts[fact_id]

    def _recipient(self, recipient_id: str) -> str:
        if recipient_id not in self._recipients:
            self._recipients[recipient_id] = digest(self.workspace.recipients[recipient_id])
        return self._recipients[recipient_id]

    def key(self, spec: LetterSpec, templates: dict[str, str | None], fact_ids: Any) -> str | None:
        """The input hash of one letter from what its render loaded; None if a fact no longer exists.

        `templates` maps each template the render loaded to the hash of its source,
        `fact_ids` are the facts (or `fact.part`) it cited.
        """
        parts = self.parts(spec, templates, fact_ids)
        return None if parts is None else digest(parts)

    def parts(self, spec: LetterSpec, templates: dict[str, str | None],
              fact_ids: Any) -> dict[str, Any] | None:
        """What the input hash is made of, part by part, so a change can be traced to its part."""
        facts = {}
        for cited in fact_ids:
            fact_id = cited.partition(".")[0]
            if fact_id not in self.workspace.facts:
                return None
            facts[fact_id] = self._fact(fact_id)
        if spec.recipient not in self.workspace.recipients or None in templates.values():
            return None
        return {
            "build": self.shared,
            "letter": spec,
            "recipient": self._recipient(spec.recipient),
            "templates": dict(sorted(templates.items())),
            "facts": dict(sorted(facts.items())),
        }


class LetterInputs:
    """What the letters of one campaign are made from, as they are now, and each letter's input hash.

    The one home of that computation: `build` skips a letter whose hash is unchanged, `send`
    and `approve` tell an outdated build by it (`current`), `serve` renders again only what
    changed. Templates are read as the render's loader reads them (`TemplateSources`), without
    Jinja: recognising an unchanged letter compiles nothing.
    """

    def __init__(self, workspace: Workspace, campaign: Campaign, formats: tuple[str, ...],
                 pdf_variant: str | None = None):
        self.workspace = workspace
        self.campaign = campaign
        self.sources = TemplateSources(workspace.root)
        root = workspace.root
        self.letterhead = root / "templates" / campaign.letterhead if campaign.letterhead else None
        layout_dir = self.sources.layout_dir() if "pdf" in formats else None
        self.keys = LetterKeys(workspace, build_key(workspace, campaign, formats, layout_dir, self.letterhead,
                                                    pdf_variant))

    def key(self, spec: LetterSpec, templates: Any, fact_ids: Any) -> str | None:
        """The input hash of a letter whose render loaded `templates` and cited `fact_ids`."""
        return self.keys.key(spec, {name: self.sources.digest(name) for name in templates}, fact_ids)

    def parts(self, spec: LetterSpec, entry: dict[str, Any]) -> dict[str, Any] | None:
        """The input hash parts of a built letter (its manifest `entry`) as its inputs are now; None
        when one of them is gone."""
        try:
            templates = [str(name) for name in entry["templates"]]
            fact_ids = [str(fact["id"]) for fact in entry["facts"]]
        except (KeyError, TypeError):
            return None
        return self.keys.parts(spec, {name: self.sources.digest(name) for name in templates}, fact_ids)

    def current(self, entries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
        """For each letter of `entries` (a manifest's, by id): its input hash parts as of now.

        Without rendering: `digest(parts)` equals the manifest's `inputs` exactly when nothing
        the letter used changed.
        """
        specs = {spec.id: spec for spec in self.campaign.letters}
        return {letter_id: self.parts(specs[letter_id], entry)
                for letter_id, entry in entries.items() if letter_id in specs}
