"""One letter as an e-mail: a short cover text in the letter's language, the approved files attached.

The cover text is `templates/email/cover.md` (or its version for the letter's language),
rendered by the same sandboxed environment as the letters, with the same variables.
The attached files are read from the build folder and must be byte for byte the ones
that were approved: a file touched after the approval is never sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from jinja2 import Environment

from appealkit.errors import AppealkitError
from appealkit.render.document import block_text, parse_body
from appealkit.render.letters import letter_language, render_text
from appealkit.send.approvals import Approval
from appealkit.send.clock import Clock
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
class Composed:
    """A message ready to go, with what the sent log records of it."""

    letter: str
    to: str
    cc: tuple[str, ...]
    subject: str
    message_id: str
    #: {"file", "format", "sha256", "bytes"} of each attachment
    attachments: tuple[dict, ...]
    message: EmailMessage


def compose(workspace: Workspace, campaign: Campaign, build: Build, letter: BuiltLetter, approval: Approval,
            formats: tuple[str, ...], env: Environment, clock: Clock) -> Composed:
    """The e-mail for one approved letter; an AppealkitError when its files or cover text are not right."""
    spec = letter.spec
    recipient = workspace.recipients[spec.recipient]
    organisation = workspace.people[campaign.organisation]
    language = letter_language(campaign, spec, recipient)
    if not any(template_file(workspace.root, name) for name in template_files.versions(COVER, language)):
        raise AppealkitError.at(f"templates/{COVER}", None, "no cover text for the e-mails",
                                "write a few lines that introduce the attached letter; see the README")
    cover = render_text(workspace, campaign, spec, COVER, env)
    subject = str((letter.entry or {}).get("subject") or spec.subject or campaign.subject)
    message = EmailMessage()
    message["From"] = formataddr((organisation.name, campaign.sender_email))
    message["Reply-To"] = campaign.sender_email
    message["To"] = formataddr((recipient.holder, recipient.email))
    if recipient.cc:
        message["Cc"] = ", ".join(recipient.cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    domain = campaign.sender_email.rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain)
    message["X-Appealkit-Letter"] = f"{campaign.id}/{spec.id}"
    message.set_content("\n\n".join(block_text(b) for b in parse_body(cover)) + "\n")
    attachments = []
    by_format = {fmt: name for name, fmt in letter.formats.items()}
    for fmt in formats:
        name = by_format.get(fmt)
        if name is None:
            raise AppealkitError.at(spec.id, None, f"no {fmt.upper()} was built for the letter",
                                    f"build it with --format {','.join(formats)}, approve it, then send")
        data = output_path(build.out_dir, name).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != approval.files.get(name):
            raise AppealkitError.at(spec.id, None, f"{name} differs from the approved file",
                                    "build, review and approve the letter again")
        maintype, subtype = CONTENT_TYPES[fmt]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        attachments.append({"file": name, "format": fmt, "sha256": sha, "bytes": len(data)})
    return Composed(spec.id, recipient.email, recipient.cc, subject, str(message["Message-ID"]),
                    tuple(attachments), message)
