"""A translator's file (XLIFF 2.0 or PO) out of a master template, and back into its translation."""

from __future__ import annotations

import datetime
from pathlib import Path

from appealkit.errors import TranslationError
from appealkit.source.records import Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.translate.exchange import ImportResult, export_units, import_units

FORMATS = ("xliff", "po")
#: A translator's file larger than this is no letter's translation.
MAX_FILE_BYTES = 8 << 20


def export_file(workspace: Workspace, master: str, language: str, fmt: str) -> bytes:
    """The master's units for `language` as an XLIFF 2.0 or PO file."""
    exchange = export_units(workspace, master, language)
    if fmt == "po":
        from appealkit.translate.po import to_po

        return to_po(exchange)
    from appealkit.translate.xliff import to_xliff

    return to_xliff(exchange)


def import_file(workspace: Workspace, path: Path, day: datetime.date | None = None) -> ImportResult:
    """Write the translated units of a file `export_file` made into the translation it names."""
    shown = str(path)
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except (Untrusted, OSError) as exc:
        raise TranslationError.at(shown, None, f"cannot be read: {exc}") from None
    if path.suffix.lower() == ".po" or not data.lstrip().startswith(b"<"):
        from appealkit.translate.po import from_po, po_header

        master, language = po_header(data, shown)
        exchange = export_units(workspace, master, language)
        _, _, units = from_po(data, shown, exchange)
    else:
        from appealkit.translate.xliff import from_xliff

        master, language, units = from_xliff(data, shown)
        exchange = export_units(workspace, master, language)
    return import_units(workspace, exchange, units, shown, day)
