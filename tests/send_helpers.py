"""A workspace ready to send: recipients with e-mail addresses, a cover text, a sender address."""

from __future__ import annotations

from pathlib import Path

from helpers import make_workspace

from appealkit.batch.build import build
from appealkit.send.approvals import approve
from appealkit.send.clock import FixedClock
from appealkit.send.sending import send
from appealkit.send.smtp import SmtpSettings, SmtpTransport
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace

RECIPIENT = """
    office: Minister for Foreign Affairs
    holder:
      name: Minister {n}
    term:
      from: 2025-01-01
    salutation: Dear Minister,
    address: [Ministry of Foreign Affairs, City {n}]
    language: en
    email: minister-{n}@example.org
"""

CAMPAIGN = """
    id: test
    title: Test campaign
    date: 2025-10-25
    place: Bonn
    organisation: asimkom
    sender_email: appeals@example.org
    subject: Appeal for the release of political prisoners
    letters:
      - template: appeal.md
        recipients: [group:ministers]
"""

COVER = """
    {{ recipient.salutation }}

    Please find attached our letter "{{ letter.subject }}" of {{ campaign.date|date }}.

    {{ campaign.organisation }}
"""


def send_workspace(root: Path, count: int = 2, changes: dict | None = None) -> Path:
    """`count` letters (appeal--minister, appeal--minister-02 ...), each to its own address."""
    others = [f"minister-{n:02d}" for n in range(2, count + 1)]
    files = {
        "recipients/groups.yaml": "ministers: [" + ", ".join(["minister", *others]) + "]\n",
        "recipients/minister.yaml": RECIPIENT.format(n="01").replace("minister-01@", "minister@"),
        "campaigns/test.yaml": CAMPAIGN,
        "templates/email/cover.md": COVER,
    }
    for rid in others:
        files[f"recipients/{rid}.yaml"] = RECIPIENT.format(n=rid.removeprefix("minister-"))
    files.update(changes or {})
    return make_workspace(root, files)


def loaded(root: Path):
    workspace = load_workspace(root)
    return workspace, load_campaign_file(workspace, resolve_campaign_path(root, "test"))


def built(root: Path, formats=("docx", "pdf"), allow=()):
    workspace, campaign = loaded(root)
    result = build(workspace, campaign, None, formats, jobs=1, allow=allow)
    assert not result.failed, [o.error.message for o in result.failed]
    return result


def approved(root: Path, formats=("docx", "pdf"), letters=()):
    built(root, formats)
    workspace, campaign = loaded(root)
    return approve(workspace, campaign, "Leyla Aliyeva", tuple(letters), clock=FixedClock())


def transport(port: int, clock=None, backoff=(1.0, 2.0, 4.0)) -> SmtpTransport:
    return SmtpTransport(SmtpSettings("127.0.0.1", port, "none", message_deadline=30, relay_deadline=10), clock or FixedClock(), backoff)


def send_now(root: Path, port: int | None, clock=None, **options):
    """Send (or, with port None, write .eml files) with a clock that never really waits."""
    workspace, campaign = loaded(root)
    clock = clock or FixedClock()
    return send(workspace, campaign, transport(port, clock) if port else None, clock=clock, **options)
