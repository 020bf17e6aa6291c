"""The name an attached letter carries in the recipient's mailbox: `2025-10-25 ASIMKOM – President
of the European Commission.pdf`, in the letter's language, safe on Windows and macOS.

The build's file names are ids (`appeal-sg--coe-secretary-general.pdf`), right for a folder and
wrong for an institution's registry. A campaign may set its own pattern (`attachment_name`)
from the fields in `ATTACHMENT_FIELDS`.
"""

from __future__ import annotations

import re
import unicodedata

from appealkit.source.records import ATTACHMENT_FIELDS, DEFAULT_ATTACHMENT_NAME

#: Characters Windows or macOS refuse in a file name, and every control character.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
#: Characters kept of a name before its extension: paths of 255 bytes stay within every system.
MAX_STEM = 120

__all__ = ["ATTACHMENT_FIELDS", "DEFAULT_ATTACHMENT_NAME", "attachment_name"]


def attachment_name(pattern: str, extension: str, **fields: str) -> str:
    """`pattern` filled with `fields` (see ATTACHMENT_FIELDS), as a safe file name ending in `.extension`."""
    values = {name: str(fields.get(name, "")) for name in ATTACHMENT_FIELDS}
    stem = (pattern or DEFAULT_ATTACHMENT_NAME).format_map(values)
    stem = unicodedata.normalize("NFC", _UNSAFE.sub(" ", stem))
    stem = " ".join(stem.split()).strip(" .-–")
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rsplit(" ", 1)[0].rstrip(" .-–") or stem[:MAX_STEM]
    if not stem or stem.split(".")[0].lower() in _RESERVED:
        stem = f"{values['letter']} {stem}".strip()
    return f"{stem}.{extension}"
