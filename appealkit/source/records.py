"""The records of a workspace: facts, people, recipients and campaigns as plain dataclasses.

Every stage after loading reads these and nothing else, so they import no loader and
no parser: the defaults they carry live here too.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from appealkit.source.translations import CampaignWords, FactWords, PersonWords, RecipientWords

FORMATS = ("digits", "words", "compact")
KINDS = ("person", "organisation")
DEFAULT_CLOSING = "Yours sincerely,"
AGE_UNITS = ("days", "months", "years")
GROUPS_FILE = "groups.yaml"
#: The fields a campaign's `attachment_name` pattern may use, and the pattern when it sets none.
ATTACHMENT_FIELDS = ("date", "organisation", "office", "subject", "recipient", "letter")
DEFAULT_ATTACHMENT_NAME = "{date} {organisation} – {office}"
#: Campaign fields that say how letters are mailed and followed up, never what they say: not part
#: of a letter's input hash, so changing one asks for no new approval.
MAILING_FIELDS = frozenset({"follow_up_after", "attachment_name"})


#: The page geometries a letter can have: appealkit's own, or DIN 5008 form A or B (address
#: field for a DL window envelope, return line, fold and punch marks) for letters posted in Germany.
LETTER_LAYOUTS = ("standard", "din5008-a", "din5008-b")


@dataclass(frozen=True)
class Where:
    """A place in the workspace, for messages."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str = ""
    url: str = ""
    date: datetime.date | None = None
    #: The language the source is written in ("de"), so an audit can cite one a reader can read.
    language: str = ""


@dataclass(frozen=True)
class FactVersion:
    """An earlier, superseded value of a fact: letters that still cite it are stale."""

    value: int | Decimal | str
    as_of: datetime.date
    qualifier: str = "exact"
    sources: tuple[Source, ...] = ()
    where: Where = Where("")


@dataclass(frozen=True)
class Age:
    """A span such as `12 months`: how old a fact may be on the day a letter is sent."""

    amount: int
    unit: str = "months"

    def before(self, day: datetime.date) -> datetime.date:
        """The earliest as-of date still within this age on `day`."""
        if self.unit == "days":
            return day - datetime.timedelta(days=self.amount)
        months = self.amount * (12 if self.unit == "years" else 1)
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        month += 1
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return datetime.date(year, month, min(day.day, last))

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


DEFAULT_MAX_FACT_AGE = Age(12, "months")


@dataclass(frozen=True)
class Fact:
    """A figure, a list or a claim, with the date it was true and where it comes from.

    A list fact (`members`) has no typed value: its value is the number of members.
    """

    id: str
    value: int | Decimal | str
    as_of: datetime.date
    sources: tuple[Source, ...]
    qualifier: str = "exact"
    noun: str = ""
    noun_singular: str = ""
    format: str = "digits"
    keywords: tuple[str, ...] = ()
    members: tuple[str, ...] | None = None
    parts: dict[str, Fact] = field(default_factory=dict)
    note: str = ""
    where: Where = Where("")
    history: tuple[FactVersion, ...] = ()
    translations: dict[str, FactWords] = field(default_factory=dict)

    @property
    def is_number(self) -> bool:
        return not isinstance(self.value, str)

    @property
    def numeric(self) -> int | Decimal | None:
        """The value when it is a number, else None: the narrowing a type checker sees, `is_number` not."""
        return None if isinstance(self.value, str) else self.value


@dataclass(frozen=True)
class Person:
    """A person or organisation with one canonical spelling and the variants seen in the wild."""

    id: str
    name: str
    kind: str = "person"
    variants: tuple[str, ...] = ()
    long_name: str = ""
    description: str = ""
    where: Where = Where("")
    translations: dict[str, PersonWords] = field(default_factory=dict)
    #: an organisation's contact, printed in the letterhead of the letters it sends
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    #: an organisation's letterhead, the same in DOCX and PDF: a PNG under templates/ and the
    #: colour of its name and rule ("#1f3a5f")
    logo: str = ""
    colour: str = ""


@dataclass(frozen=True)
class Term:
    start: datetime.date
    end: datetime.date | None = None
    source: Source | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Recipient:
    id: str
    office: str
    holder_name: str
    salutation: str
    address: tuple[str, ...]
    language: str
    term: Term
    institution: str = ""
    honorific: str = ""
    holder_person: str | None = None
    email: str = ""
    #: further addresses that receive a copy of every letter to this recipient
    cc: tuple[str, ...] = ()
    where: Where = Where("")
    translations: dict[str, RecipientWords] = field(default_factory=dict)
    role: str = ""
    gender: str = ""
    #: how a letter to this recipient is laid out for the post (`LETTER_LAYOUTS`); "" = the campaign's
    layout: str = ""

    @property
    def holder(self) -> str:
        return f"{self.honorific} {self.holder_name}".strip()


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str = ""
    #: a scanned signature under templates/ (PNG or SVG)
    image: str = ""


@dataclass(frozen=True)
class LetterSpec:
    """One letter of a campaign: which body goes to which recipient."""

    id: str
    template: str
    recipient: str
    subject: str = ""
    language: str = ""
    where: Where = Where("")
    #: "Our ref." of this letter (else the campaign's) and the recipient's own reference
    reference: str = ""
    their_reference: str = ""


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    date: datetime.date
    place: str
    organisation: str
    letters: tuple[LetterSpec, ...]
    signatories: tuple[Signatory, ...] = ()
    sender: tuple[str, ...] = ()
    closing: str = DEFAULT_CLOSING
    subject: str = ""
    language: str = ""
    letterhead: str = ""
    #: how its letters are laid out for the post, unless a recipient says otherwise
    layout: str = "standard"
    #: the address letters are sent from by e-mail (From and Reply-To)
    sender_email: str = ""
    where: Where = Where("")
    max_fact_age: Age = DEFAULT_MAX_FACT_AGE
    translations: dict[str, CampaignWords] = field(default_factory=dict)
    reference: str = ""
    #: days after sending when a letter without a reply is due a follow-up; None: never
    follow_up_after: int | None = None
    #: the pattern of an attachment's name (see ATTACHMENT_FIELDS)
    attachment_name: str = DEFAULT_ATTACHMENT_NAME


@dataclass(frozen=True)
class Workspace:
    root: Path
    facts: dict[str, Fact]
    people: dict[str, Person]
    recipients: dict[str, Recipient]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def campaign_files(self) -> list[Path]:
        return sorted((self.root / "campaigns").glob("*.yaml"))


#: Fields that say where a record was written, not what it says: moving a YAML entry changes no letter.
LOCATION_FIELDS = frozenset({"where", "line"})


def plain(value: Any) -> Any:
    """Records as JSON-ready data, every field derived from the dataclass (so none is forgotten)
    except its location; tuples become lists, and decimals, dates and paths text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in LOCATION_FIELDS}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | Path):
        return str(value)
    return value
