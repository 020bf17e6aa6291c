"""`translations export` and `import`: a master and its translation as units, and units back as a template.

Export pairs the master's blocks with the translation's (as `check` does): a current pair goes
out translated, a stale pair with its old translation marked for review, a master block with
no translation empty. Import writes only the units that came back translated (and not left
for review), each marked with the hash of the master block it was made from; every other
block of the translation stays as it was, so nothing a translator did not touch is lost.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.checks.translation_state import compare, read_template, state_of
from appealkit.errors import AppealkitError, Problem, TranslationError, option
from appealkit.render.letters import cite
from appealkit.rules.language import MissingTranslation, is_known, language_name, looks_like_language
from appealkit.source.paths import template_file
from appealkit.source.records import Workspace
from appealkit.source.template_files import file_language, versions
from appealkit.source.translation_marks import Block, Template, dated, parse, unparse
from appealkit.translate.units import Placeholder, Translated, Unit, checked_text, split

_CALL = re.compile(r"""\{\{-?\s*(fact|person)\(\s*(["'])([^"']+)\2[^)]*\)"""
                   r"""(\.part\(\s*["'](\w+)["']|\.names)?""")


@dataclass(frozen=True)
class Exchange:
    """What a translator's file holds: the master, the translation it fills, and the units."""

    master: str
    translation: str
    source_language: str
    target_language: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class ImportResult:
    translation: str
    #: the units that came back translated; `written` is False when they changed nothing
    imported: int
    written: bool


def translation_name(root: Path, master: str, language: str) -> str:
    """The translation of `master` into `language`: the file that exists, else `master.LANG.md` beside it."""
    localised = versions(master, language)[:2]
    return next((name for name in localised if template_file(root, name)), localised[0])


def export_units(workspace: Workspace, master: str, language: str) -> Exchange:
    """The units of `master` for a translation into `language`."""
    root = workspace.root
    if not looks_like_language(language) or not is_known(language):
        raise TranslationError.at(f"templates/{master}", None,
                                  f"'{language}' is not a language appealkit knows",
                                  "use a language code such as de, fr or az")
    master_source = read_template(root, master)
    if master_source is None:
        raise TranslationError.at(f"templates/{master}", None, "no such template under templates/",
                                  "name the master template, such as appeal.md")
    source_language = file_language(root, master)
    if source_language == language:
        raise TranslationError.at(f"templates/{master}", None,
                                  f"is written in {language_name(language)} already",
                                  f"name the language to translate into with {option('language')}")
    name = translation_name(root, master, language)
    state = compare(name, master, master_source, read_template(root, name) or "", language, source_language)
    assert state is not None
    units = []
    for pair in state.pairs:
        if pair.master is None:
            continue
        block = state.master.blocks[pair.master]
        codes: dict[str, Placeholder] = {}
        source = split(block.text, codes)
        translated = state.block(pair)
        target = split(translated.text, codes) if translated else None
        placeholders = tuple(replace(p, shown=_shown(workspace, p.code, language)) for p in codes.values())
        shown = {p.id: p for p in placeholders}

        def filled(pieces: tuple, shown: dict[str, Placeholder] = shown) -> tuple:
            return tuple(shown[p.id] if isinstance(p, Placeholder) else p for p in pieces)

        state_name = {"current": "current", "missing": "new"}.get(pair.state, "stale")
        if target is None and not "".join(p for p in source if isinstance(p, str)).strip():
            target, state_name = source, "current"  # an include alone: nothing to translate
        units.append(Unit(pair.master + 1, block.line, block.digest, filled(source),
                          filled(target) if target is not None else None, state_name, placeholders))
    return Exchange(master, name, source_language, language, tuple(units))


def _shown(workspace: Workspace, code: str, language: str) -> str:
    """What a fact or person placeholder renders to in `language`, for the translator (else "")."""
    found = _CALL.match(code)
    if not found:
        return ""
    kind, ident, part = found.group(1), found.group(3), found.group(5)
    try:
        if kind == "person":
            person = workspace.people.get(ident)
            return person.name if person else ""
        fact = workspace.facts.get(ident)
        if found.group(4) == ".names":
            members = fact.members or () if fact else ()
            return ", ".join(p.name if (p := workspace.people.get(m)) else m for m in members)
        return cite(workspace, f"{ident}.{part}" if part else ident, language)
    except (AppealkitError, MissingTranslation, KeyError, LookupError, ValueError):
        return ""  # a fact without words in this language: `check` names it; the code is shown anyway


def import_units(workspace: Workspace, exchange: Exchange, translated: list[Translated], file: str,
                 day: datetime.date | None = None) -> ImportResult:
    """Write the translated units into the translation; raises `TranslationError` listing every unit
    refused (the file is then left as it was)."""
    root = workspace.root
    fresh = export_units(workspace, exchange.master, exchange.target_language)
    units = {unit.id: unit for unit in fresh.units}
    by_digest = {unit.digest: unit for unit in fresh.units}
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for item in translated:
        unit = units.get(item.id) or by_digest.get(item.id.partition("-")[2])
        if unit is None:
            problems.append(Problem(file, item.line, f"unit {item.id}: its master paragraph has changed or "
                                    f"gone since the export", f"export templates/{exchange.master} again"))
            continue
        text, refused = checked_text(unit, item, file)
        problems.extend(refused)
        if text is not None:
            texts[unit.digest] = text
    if problems:
        raise TranslationError(problems)
    name = fresh.translation
    old = read_template(root, name)
    state = state_of(root, name) if old is not None else None
    master = parse(read_template(root, exchange.master) or "")
    template = _written(master, state.translation if state else None, state.pairs if state else None, texts,
                        exchange.target_language, exchange.master)
    source = unparse(template)
    written = bool(texts) and source != (old or "")
    if written:
        write_atomic(root / "templates" / name, dated(source, day or datetime.date.today()).encode("utf-8"))
    return ImportResult(name, len(texts), written)


def _written(master: Template, translation: Template | None, pairs, texts: dict[str, str], language: str,
             master_name: str) -> Template:
    """The translation with the imported texts in place, new blocks where the master has them."""
    if translation is None or pairs is None:
        preamble = f"{{#- {language_name(language).split(' (')[0]} translation of {master_name}. -#}}\n"
        translation = Template(preamble, (), master.trailer)
        pairs = [_Missing(index) for index in range(len(master.blocks))]
    blocks: list[Block] = []
    for pair in pairs:
        own = translation.blocks[pair.translation] if pair.translation is not None else None
        wanted = master.blocks[pair.master] if pair.master is not None else None
        if wanted is not None and wanted.digest in texts:
            text = texts[wanted.digest]
            base = own or Block(text, 0, None, wanted.before if blocks else "")
            blocks.append(replace(base, text=text, mark=wanted.digest))
        elif own is not None:
            blocks.append(own)
    return replace(translation, blocks=tuple(blocks))


@dataclass(frozen=True)
class _Missing:
    master: int
    translation: None = None
