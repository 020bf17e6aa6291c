"""The input hash of a letter: everything its files are made from, so an unchanged letter is skipped.

A letter's DOCX and PDF depend on its templates (body and every snippet it loads),
the facts it cites, the people and recipient it names, the campaign's settings, the
layout and letterhead, the formats asked for and the tool's version. All of that is
hashed here, without paths of this machine, so the hash only moves when an input does.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from appealkit import __version__
from appealkit.render import RenderedLetter
from appealkit.workspace import Campaign, Workspace

#: Bump when the way outputs are written changes without the package version changing.
OUTPUT_SCHEME = 1


def plain(value: Any) -> Any:
    """Dataclasses as JSON-ready data, without `where` (moving a YAML entry changes no letter)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "where"}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal | datetime.date | Path):
        return str(value)
    return value


def digest(data: Any) -> str:
    text = json.dumps(plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` by relative name: a layout's HTML, CSS, fonts and images."""
    return {p.relative_to(folder).as_posix(): file_digest(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


class TemplateLog:
    """Records which templates a render loads, with a hash of each one's source.

    Compiled templates load their includes, imports and parents through
    `environment.get_template`, also when Jinja has them cached, so wrapping it sees
    every template of every letter.
    """

    def __init__(self, env: jinja2.Environment):
        self._get_template = env.get_template
        self._select_template = env.select_template
        self._digests: dict[str, str] = {}
        self.loaded: dict[str, str] = {}
        env.get_template = self._get  # type: ignore[method-assign]
        env.select_template = self._select  # type: ignore[method-assign]

    def _record(self, template: jinja2.Template) -> jinja2.Template:
        name = template.name or ""
        if name not in self._digests:
            path = Path(template.filename) if template.filename else None
            self._digests[name] = file_digest(path) if path and path.is_file() else ""
        self.loaded[name] = self._digests[name]
        return template

    def _get(self, name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        return self._record(self._get_template(name, *args, **kwargs))

    def _select(self, names: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        return self._record(self._select_template(names, *args, **kwargs))

    def take(self) -> dict[str, str]:
        """The templates loaded since the last call, and start a new record."""
        loaded, self.loaded = self.loaded, {}
        return dict(sorted(loaded.items()))


def build_key(campaign: Campaign, formats: tuple[str, ...], layout_dir: Path | None,
              letterhead: Path | None) -> str:
    """What every letter of a build shares: campaign settings, layout, letterhead, formats, version."""
    settings = dataclasses.replace(campaign, letters=())
    return digest({
        "tool": [__version__, OUTPUT_SCHEME],
        "formats": list(formats),
        "campaign": settings,
        "layout": folder_digest(layout_dir) if "pdf" in formats and layout_dir else None,
        "letterhead": file_digest(letterhead) if "docx" in formats and letterhead else None,
    })


def letter_key(workspace: Workspace, campaign: Campaign, shared: str, rendered: RenderedLetter,
               templates: dict[str, str]) -> str:
    """The input hash of one letter; `shared` is the `build_key` of its build."""
    spec = rendered.spec
    recipient = workspace.recipients[spec.recipient]
    fact_ids = dict.fromkeys(c.fact.partition(".")[0] for c in rendered.citations)
    facts = {fid: workspace.facts[fid] for fid in fact_ids if fid in workspace.facts}
    people_ids = {campaign.organisation, recipient.holder_person} - {None, ""}
    for fact in facts.values():
        people_ids.update(fact.members or ())
        for part in fact.parts.values():
            people_ids.update(part.members or ())
    return digest({
        "build": shared,
        "letter": spec,
        "templates": templates,
        "facts": facts,
        "recipient": recipient,
        "people": {pid: workspace.people[pid] for pid in sorted(people_ids) if pid in workspace.people},
        # the rendered letter itself: covers every name and figure that reached the page
        "document": rendered.letter,
    })
