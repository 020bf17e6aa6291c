"""One letter as an e-mail: a short cover text in the letter's language, the approved files attached.

The cover text is `templates/email/cover.md` (or its version for the letter's language),
rendered by the same sandboxed environment as the letters, with the same variables.
The attached files are read from the build folder and must be byte for byte the ones
that were approved: a file touched after the approval is never sent.

The message is built by the standard library (`email.message.EmailMessage`, `email.policy.SMTP`):
names are encoded, addresses quoted, attachment names written the way every mail program reads
them, and an address beyond ASCII (`müller@example.org`) makes the message SMTPUTF8.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid

from jinja2 import Environment

from appealkit.errors import AppealkitError
from appealkit.render.document import parse_body
from appealkit.render.letters import letter_language, render_text
from appealkit.send.approvals import Approval
from appealkit.send.attachment_names import attachment_name
from appealkit.send.clock import Clock
from appealkit.send.corrections import CORRECTION, TEST, Correction, words
from appealkit.send.versions import Build, BuiltLetter
from appealkit.source import template_files
from appealkit.source.paths import template_file
from appealkit.source.records import Campaign, Workspace
from appealkit.source.safe_names import output_path

COVER = "email/cover.md"
CONTENT_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@dataclass(frozen=True)
class Sender:
    """Who a message is from: the address (From, Reply-To, MAIL FROM) and the name shown beside it."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Composed:
    """A message ready to go, with what the sent log records of it."""

    letter: str
    to: str
    cc: tuple[str, ...]
    subject: str
    message_id: str
    #: {"file", "format", "sha256", "bytes", "name"} of each attachment
    attachments: tuple[dict, ...]
    #: the whole message, CRLF line ends, as it goes to the server and into a .eml file
    data: bytes
    #: an address needs SMTPUTF8: the relay must offer it
    smtputf8: bool = False


def needs_smtputf8(*addresses: str) -> bool:
    """An address whose mailbox name goes beyond ASCII cannot be written in plain SMTP."""
    return any(not a.isascii() for a in addresses)


def _address(name: str, address: str) -> Address:
    """By its parts: `Address(addr_spec=...)` refuses a mailbox name beyond ASCII even for SMTPUTF8."""
    user, _, domain = address.rpartition("@")
    return Address(name, username=user, domain=domain)


def compose(workspace: Workspace, campaign: Campaign, build: Build, letter: BuiltLetter, approval: Approval,
            formats: tuple[str, ...], env: Environment, clock: Clock, sender: Sender, *,
            test_to: str = "", correction: Correction | None = None) -> Composed:
    """The e-mail for one approved letter; an AppealkitError when its files or cover text are not right.

    `test_to`: a test copy to that address only, marked as a test; `correction`: the letter
    corrects earlier messages, and says so."""
    spec = letter.spec
    recipient = workspace.recipients[spec.recipient]
    organisation = workspace.people[campaign.organisation]
    language = letter_language(spec.language, campaign.language, recipient.language)
    if not any(template_file(workspace.root, name) for name in template_files.versions(COVER, language)):
        raise AppealkitError.at(f"templates/{COVER}", None, "no cover text for the e-mails",
                                "write a few lines that introduce the attached letter; see the README")
    cover = render_text(workspace, campaign, spec, COVER, env)
    subject = str((letter.entry or {}).get("subject") or spec.subject or campaign.subject)
    translated = recipient.translations.get(language)
    office = (translated.office if translated else "") or recipient.office
    fields = {"date": campaign.date.isoformat(), "organisation": organisation.name, "office": office,
              "subject": subject, "recipient": recipient.holder, "letter": spec.id}
    files, attachments = [], []
    by_format = {fmt: name for name, fmt in letter.formats.items()}
    for fmt in formats:
        name = by_format.get(fmt)
        if name is None:
            raise AppealkitError.at(spec.id, None, f"no {fmt.upper()} was built for the letter",
                                    f"build it as {fmt.upper()} too, approve it, then send")
        data = output_path(build.out_dir, name).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != approval.files.get(name):
            raise AppealkitError.at(spec.id, None, f"{name} differs from the approved file",
                                    "build, review and approve the letter again")
        shown = attachment_name(campaign.attachment_name, fmt, **fields)
        files.append((shown, CONTENT_TYPES[fmt], data))
        attachments.append({"file": name, "format": fmt, "sha256": sha, "bytes": len(data), "name": shown})
    if correction is not None:
        subject = f"{words(CORRECTION, language)}: {subject}"
    if test_to:
        subject = f"[{words(TEST, language)}] {subject}"
    to, cc = (test_to, ()) if test_to else (recipient.email, recipient.cc)
    utf8 = needs_smtputf8(sender.email, to, *cc)
    message = EmailMessage(policy=SMTPUTF8 if utf8 else SMTP)
    message["From"] = _address(sender.name or organisation.name, sender.email)
    message["Reply-To"] = _address("", sender.email)
    message["To"] = _address("" if test_to else recipient.holder, to)
    if cc:
        message["Cc"] = [_address("", a) for a in cc]
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message_id = make_msgid(domain=sender.email.rpartition("@")[2])
    message["Message-ID"] = message_id
    if correction is not None:
        message["In-Reply-To"] = correction.first.message_id
        message["References"] = correction.references
    message["X-Appealkit-Letter"] = f"{campaign.id}/{spec.id}"
    if test_to:
        message["X-Appealkit-Test"] = f"a test copy; the letter goes to {recipient.email or recipient.holder}"
    paragraphs = [f"{b.marker} {b.text}" if b.marker else b.text for b in parse_body(cover)]
    if correction is not None:
        paragraphs.insert(0, correction.text)
    message.set_content("\n\n".join(paragraphs) + "\n", cte="quoted-printable")
    for shown, (maintype, subtype), data in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=shown)
    return Composed(spec.id, to, cc, subject, message_id, tuple(attachments), message.as_bytes(), utf8)
