"""A translator's file (XLIFF 2.0 or PO) out of a master template, and back into its translation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from appealkit.choices import EXCHANGE_FORMATS
from appealkit.errors import TranslationError, UsageError
from appealkit.rules.language import looks_like_language
from appealkit.source.records import Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.translate.exchange import ImportResult, export_units, import_units

#: A translator's file larger than this is no letter's translation.
MAX_FILE_BYTES = 8 << 20


@dataclass(frozen=True)
class ExportOptions:
    """What `translations export` takes besides the master: the `language` to translate into and
    the file's format `fmt` (one of `EXCHANGE_FORMATS`), checked once for the CLI and Python."""

    language: str
    fmt: str = "xliff"

    def __post_init__(self) -> None:
        if self.fmt not in EXCHANGE_FORMATS:  # from Python as on the command line: not silently XLIFF
            raise UsageError.at("fmt", None, f"unknown format '{self.fmt}'",
                                f"use {' or '.join(EXCHANGE_FORMATS)}")
        if not isinstance(self.language, str):
            raise UsageError.at("language", None, f"'{self.language}' is not a language code",
                                "use a language code such as de, fr or az")


def export_file(workspace: Workspace, master: str, language: str, fmt: str) -> bytes:
    """The master's units for `language` as an XLIFF 2.0 or PO file; the options of `ExportOptions`."""
    return export_translation(workspace, master, ExportOptions(language, fmt))


def export_translation(workspace: Workspace, master: str, options: ExportOptions) -> bytes:
    """`export_file` with its options made: the CLI's way in."""
    exchange = export_units(workspace, master, options.language)
    if options.fmt == "po":
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
    po = path.suffix.lower() == ".po" or not data.lstrip().startswith(b"<")
    if po:
        from appealkit.translate.po import from_po, po_header

        master, language = po_header(data, shown)
    else:
        from appealkit.translate.xliff import from_xliff

        master, language, units = from_xliff(data, shown)
    if not looks_like_language(language):
        raise TranslationError.at(shown, None,
                                  f"names '{language}' as its language, which is no language code",
                                  "import a file appealkit exported")
    exchange = export_units(workspace, master, language)
    if po:
        _, _, units = from_po(data, shown, exchange)
    return import_units(workspace, exchange, units, shown, day)
