"""The fixed choices that command-line options, the settings file and the core share.

They import nothing but the error type, so `appealkit --help` lists them without loading the
core, and the settings loader (in source/, below batch/ and send/) checks `appealkit.yaml` against the
same tables the commands use.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from appealkit.errors import UsageError

#: The files a letter is built as.
LETTER_FORMATS = ("docx", "pdf")
#: The files a translator's tool takes (`translations export --format`): XLIFF 2.0 and gettext PO.
EXCHANGE_FORMATS = ("xliff", "po")
#: How the connection to the SMTP relay is protected (`--smtp-security`, `smtp_security`).
SMTP_SECURITY = ("starttls", "ssl", "none")


def parse_formats(value: str | Iterable[str], field: str = "formats") -> tuple[str, ...]:
    """`"docx,pdf"` or `("docx", "pdf")` → each known format once, in the order given.

    The one parser of format lists: a build's formats and the attachments of `send`.
    """
    given_parts = [value] if isinstance(value, str) else [str(v) for v in value]
    parts = [part.strip().lower() for item in given_parts for part in item.split(",")]
    chosen = tuple(dict.fromkeys(part for part in parts if part))
    unknown = [f for f in chosen if f not in LETTER_FORMATS]
    if unknown or not chosen:
        given = ",".join(unknown) or ",".join(given_parts)
        raise UsageError.at(field, None, f"unknown format '{given}'",
                            f"use {', '.join(LETTER_FORMATS)} or {','.join(LETTER_FORMATS)}")
    return chosen


def campaign_given(value: object, field: str = "campaign") -> str | None:
    """A campaign option (a file or its id; None: every campaign), for every command that takes one:
    a blank or non-text value is refused, not read as "every campaign"."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise UsageError.at(field, None, f"'{value}' is not a campaign", "give a campaign file or its id")
    return value


def day_given(value: object, field: str) -> datetime.date | None:
    """A day option: a date, or "YYYY-MM-DD" from Python (a datetime is its day); a typo is refused,
    not read as "no day"."""
    if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError.at(field, None, f"'{value}' is not a date", "write it as YYYY-MM-DD") from None
