"""Units as a gettext PO file, written and read with polib.

A unit's Jinja code becomes a `python-format` placeholder named for what it cites
(`%(fact_deported_activists)s`, `%(person_emin_malikov)s`), a literal `%` is `%%`, and the
translator's comment lists each placeholder with its code and the value it renders to. The
context (`msgctxt`) is the unit's id. A stale translation is `fuzzy`; import skips fuzzy entries.
"""

from __future__ import annotations

import re

import polib

from appealkit.errors import TranslationError
from appealkit.translate.exchange import Exchange
from appealkit.translate.units import Piece, Placeholder, Translated, Unit

_NAMED = re.compile(r"%\((\w+)\)s|%%|%")


def _names(unit: Unit) -> dict[str, str]:
    """A readable placeholder name per id: `fact_deported_activists_names`, unique within the unit."""
    names: dict[str, str] = {}
    for placeholder in unit.placeholders:
        inner = re.sub(r"^\{[{%#]-?|-?[}%#]\}$", "", placeholder.code)
        base = re.sub(r"\W+", "_", inner.replace('"', "").replace("'", "")).strip("_").lower()[:40] or "code"
        name, count = base, 1
        while name in names.values():
            count += 1
            name = f"{base}_{count}"
        names[placeholder.id] = name
    return names


def _text(pieces: tuple[Piece, ...], names: dict[str, str]) -> str:
    return "".join(f"%({names[p.id]})s" if isinstance(p, Placeholder) else p.replace("%", "%%")
                   for p in pieces)


def to_po(exchange: Exchange) -> bytes:
    """The exchange as a PO file."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"templates/{exchange.master}",
        "Language": exchange.target_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Appealkit-Source-Language": exchange.source_language,
        "X-Appealkit-Translation": f"templates/{exchange.translation}",
    }
    for unit in exchange.units:
        names = _names(unit)
        comment = "\n".join(f"%({names[p.id]})s = {p.code}" + (f" → {p.shown}" if p.shown else "")
                            + ("" if p.required else " (may be left out)") for p in unit.placeholders)
        flags = ["python-format"] if unit.placeholders else []
        if unit.state == "stale":
            flags.append("fuzzy")
        po.append(polib.POEntry(
            msgctxt=unit.id, msgid=_text(unit.source, names),
            msgstr=_text(unit.target, names) if unit.target is not None else "",
            comment=comment, tcomment=f"paragraph {unit.number}", flags=flags,
            occurrences=[(f"templates/{exchange.master}", str(unit.line))]))
    return str(po).encode("utf-8")


def _read(data: bytes, file: str) -> polib.POFile:
    try:
        return polib.pofile(data.decode("utf-8"))
    except (UnicodeDecodeError, OSError, ValueError) as exc:
        raise TranslationError.at(file, None, f"is not a PO file: {exc}") from None


def po_header(data: bytes, file: str) -> tuple[str, str]:
    """The master template and the target language a PO file names."""
    po = _read(data, file)
    master = po.metadata.get("Project-Id-Version", "")
    if not master.startswith("templates/") or not po.metadata.get("Language"):
        raise TranslationError.at(file, None, "names no master template (Project-Id-Version) or no Language",
                                  "import a file appealkit exported")
    return master.removeprefix("templates/"), po.metadata["Language"]


def from_po(data: bytes, file: str, exchange: Exchange) -> tuple[str, str, list[Translated]]:
    """The master's name, the target language and the translated units of a PO file; placeholders are
    named as in `exchange` (the master's units now), so a name the file invents is refused by import."""
    po = _read(data, file)
    ids = {unit.id: _names(unit) for unit in exchange.units}
    by_digest = {unit.digest: _names(unit) for unit in exchange.units}
    units = []
    for entry in po.translated_entries():
        names = ids.get(entry.msgctxt or "") or by_digest.get((entry.msgctxt or "").partition("-")[2], {})
        ids_by_name = {name: pid for pid, name in names.items()}
        pieces: list[str | tuple[str]] = []
        position = 0
        for found in _NAMED.finditer(entry.msgstr):
            if found.start() > position:
                pieces.append(entry.msgstr[position:found.start()])
            position = found.end()
            if found.group() == "%%":
                pieces.append("%")
            elif found.group() == "%":
                raise TranslationError.at(file, entry.linenum,
                                          f"unit {entry.msgctxt}: a lone '%' in the translation",
                                          "write a percent sign as %%")
            else:
                pieces.append((ids_by_name.get(found.group(1), found.group(1)),))
        if position < len(entry.msgstr):
            pieces.append(entry.msgstr[position:])
        units.append(Translated(entry.msgctxt or "", tuple(pieces), entry.linenum))
    master, language = po_header(data, file)
    return master, language, units
