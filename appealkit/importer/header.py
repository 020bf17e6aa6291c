"""A letter's header read as fields: sender, recipient (office, holder, address), subject, place, date.

The lines above the salutation come in any order; each is recognised by what it is: a
date (month names of the letter's language, from Babel), an "To the …" line (the office,
the holder often after its last comma), a holder with an honorific, a subject in capitals
or after "Subject:", the sender before the recipient or after "From". What is left is the
address. Whatever is not found stays empty, and the draft asks for it.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from babel.dates import get_month_names

from appealkit.rules.language import locale_for

HONORIFICS = ("Dr.", "Dr", "Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Mrs", "Prof.", "Prof", "H.E.", "Herr", "Frau",
              "Madame", "Monsieur", "M.", "Mme", "cənab", "xanım")
_TO = re.compile(r"^(?:To|An|À|Au|Aux)\s+(?:the\s+|den\s+|die\s+|das\s+|la\s+|le\s+|l['’])?(.+?)[,:]?$")
_FROM = re.compile(r"^(?:From|Von|De)\s+(?:the\s+|der\s+|dem\s+|la\s+|le\s+)?(.+?)[,:]?$")
_SUBJECT = re.compile(r"^(?:Subject|Re|Betreff|Betr\.|Objet|Mövzu)\s*:\s*(.+)$", re.IGNORECASE)
#: An office names what it is of or for: "President of the European Commission", "Minister for …".
_OFFICE = re.compile(r"\s(?:of|for|des|der|du|de la)\s")
_NAME = re.compile(r"^[A-ZÀ-ÞƏİÇŞÖÜĞ][\w’'-]+(?:\s+(?:von|van|der|de|da|al|[A-ZÀ-ÞƏİÇŞÖÜĞ][\w’'-]+)){1,3}$")


@dataclass(frozen=True)
class Header:
    sender: tuple[str, ...] = ()
    office: str = ""
    honorific: str = ""
    holder: str = ""
    address: tuple[str, ...] = ()
    subject: str = ""
    place: str = ""
    date: datetime.date | None = None
    date_text: str = ""


@functools.lru_cache(maxsize=8)
def _months(language: str) -> dict[str, int]:
    months: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale_for(language)).items():
                months[name.lower().rstrip(".")] = number
    return months


def find_date(line: str, language: str) -> tuple[datetime.date, int, int] | None:
    """A date written out in `line` ("October 25, 2025", "25. Oktober 2025", "25.10.2025"), and its span."""
    months = {**_months("en"), **_months(language)}
    names = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    for pattern, order in (
            (rf"({names})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})", "mdy"),
            (rf"(\d{{1,2}})\.?\s+({names})\.?,?\s+(\d{{4}})", "dmy"),
            (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy-numeric"),
            (r"(\d{4})-(\d{2})-(\d{2})", "ymd")):
        match = re.search(pattern, line, re.IGNORECASE)
        if not match:
            continue
        first, second, third = match.groups()
        try:
            if order == "mdy":
                day = datetime.date(int(third), months[first.lower()], int(second))
            elif order == "dmy":
                day = datetime.date(int(third), months[second.lower()], int(first))
            elif order == "dmy-numeric":
                day = datetime.date(int(third), int(second), int(first))
            else:
                day = datetime.date(int(first), int(second), int(third))
        except (ValueError, KeyError):
            continue
        return day, match.start(), match.end()
    return None


def split_holder(text: str) -> tuple[str, str]:
    """"Dr. Johann David Wadephul" → ("Dr.", "Johann David Wadephul"); ("", text) without an honorific."""
    for honorific in HONORIFICS:
        if text.startswith(honorific + " "):
            return honorific, text[len(honorific):].strip()
    return "", text


def _holder(text: str) -> tuple[str, str] | None:
    honorific, name = split_holder(text.strip().rstrip(","))
    return (honorific, name) if _NAME.match(name) else None


def looks_like_header(lines: tuple[str, ...], language: str) -> bool:
    """Whether these lines name a recipient or a date: a salutation under them starts a letter."""
    header = read_header(lines, language)
    return bool(header.office or header.holder or header.date)


def read_header(lines: tuple[str, ...], language: str) -> Header:
    """The header's fields, each line used once."""
    fields: dict[str, object] = {}
    sender: list[str] = []
    address: list[str] = []
    seen_recipient = False
    for position, line in enumerate(lines):
        following = lines[position + 1] if position + 1 < len(lines) else ""
        dated = find_date(line, language) if "date" not in fields else None
        to = _TO.match(line)
        subject = _SUBJECT.match(line)
        if dated:
            day, start, end = dated
            fields["date"], fields["date_text"] = day, line[start:end]
            fields["place"] = re.sub(r"^[\s,–—-]+|[\s,–—-]+$", "", line[:start] + " " + line[end:]).strip()
            fields["place"] = re.sub(r"\s*[,–—-]\s*[,–—-]\s*", ", ", str(fields["place"]))
        elif to and "office" not in fields:
            office = to[1]
            head, _, tail = office.rpartition(",")
            holder = _holder(tail) if head else None
            if holder:
                office = head.strip()
                fields["honorific"], fields["holder"] = holder
            fields["office"] = office.rstrip(",")
            seen_recipient = True
        elif subject:
            fields["subject"] = subject[1]
        elif (line.isupper() and len(line) <= 80 and "subject" not in fields
              and (seen_recipient or "date" in fields)):
            fields["subject"] = line
        elif sent := _FROM.match(line):
            sender.append(sent[1])
        elif seen_recipient and "holder" not in fields and (holder := _holder(line)):
            fields["honorific"], fields["holder"] = holder
        elif not seen_recipient and (holder := _holder(line)) and (
                holder[0] or "date" in fields or _OFFICE.search(following)):
            # a letter appealkit wrote: the holder's line, then the office, no "To the"
            fields["honorific"], fields["holder"] = holder
            seen_recipient = True
        elif seen_recipient and "office" not in fields and "holder" in fields:
            fields["office"] = line.rstrip(",")
        elif not seen_recipient:
            sender.append(line)
        else:
            address.append(line.rstrip(","))
    return Header(sender=tuple(sender), address=tuple(address), **fields)  # type: ignore[arg-type]
