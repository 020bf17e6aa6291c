"""One letter as an e-mail: a short cover text in the letter's language, the approved files attached.

The cover text is `templates/email/cover.md` (or its version for the letter's language),
rendered by the same sandboxed environment as the letters, with the same variables.
The attached files are read from the build folder and must be byte for byte the ones
that were approved: a file touched after the approval is never sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from dataclasses import dataclass
from email.header import Header
from email.utils import format_datetime, formataddr, make_msgid

from jinja2 import Environment

from appealkit.errors import AppealkitError
from appealkit.render.document import parse_body
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
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
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
    #: the whole message, CRLF line ends, as it goes to the server and into a .eml file
    data: bytes


def compose(workspace: Workspace, campaign: Campaign, build: Build, letter: BuiltLetter, approval: Approval,
            formats: tuple[str, ...], env: Environment, clock: Clock, sender: str) -> Composed:
    """The e-mail for one approved letter; an AppealkitError when its files or cover text are not right."""
    spec = letter.spec
    recipient = workspace.recipients[spec.recipient]
    organisation = workspace.people[campaign.organisation]
    language = letter_language(spec.language, campaign.language, recipient.language)
    if not any(template_file(workspace.root, name) for name in template_files.versions(COVER, language)):
        raise AppealkitError.at(f"templates/{COVER}", None, "no cover text for the e-mails",
                                "write a few lines that introduce the attached letter; see the README")
    cover = render_text(workspace, campaign, spec, COVER, env)
    subject = str((letter.entry or {}).get("subject") or spec.subject or campaign.subject)
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
        files.append((name, CONTENT_TYPES[fmt], data))
        attachments.append({"file": name, "format": fmt, "sha256": sha, "bytes": len(data)})
    message_id = make_msgid(domain=sender.rpartition("@")[2])
    headers = [
        ("From", formataddr((organisation.name, sender), "utf-8")),
        ("Reply-To", sender),
        ("To", formataddr((recipient.holder, recipient.email), "utf-8")),
        *([("Cc", ", ".join(recipient.cc))] if recipient.cc else []),
        ("Subject", Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")),
        ("Date", format_datetime(clock.now())),
        ("Message-ID", message_id),
        ("X-Appealkit-Letter", f"{campaign.id}/{spec.id}"),
    ]
    text = "\n\n".join(f"{b.marker} {b.text}" if b.marker else b.text for b in parse_body(cover)) + "\n"
    return Composed(spec.id, recipient.email, recipient.cc, subject, message_id, tuple(attachments),
                    mime_message(headers, text, files))


def mime_message(headers: list[tuple[str, str]], text: str, files: list[tuple[str, str, bytes]]) -> bytes:
    """multipart/mixed: the text (UTF-8, quoted-printable) then each file (base64), CRLF line ends.

    Written out directly: the email package's generator spends more time per message
    than a local SMTP server takes to accept it, and the shape here never varies.
    """
    boundary = f"=_appealkit_{uuid.uuid4().hex}"
    lines = [f"{name}: {value}" for name, value in headers]
    lines += ["MIME-Version: 1.0", f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
              f"--{boundary}", 'Content-Type: text/plain; charset="utf-8"',
              "Content-Transfer-Encoding: quoted-printable", ""]
    parts = ["\r\n".join(lines).encode("ascii") + b"\r\n"]
    qp = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    parts.append(qp.replace(b"\n", b"\r\n"))
    for name, content_type, data in files:
        parts.append((f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
                      f"Content-Transfer-Encoding: base64\r\n"
                      f'Content-Disposition: attachment; filename="{name}"\r\n\r\n').encode("ascii"))
        parts.append(base64.encodebytes(data).replace(b"\n", b"\r\n"))
    parts.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    return b"".join(parts)
