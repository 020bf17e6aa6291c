"""The send commands' results as lines of text: what `status`, `send` and `sent` print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from appealkit.send.status import STATES, CampaignStatus
from appealkit.source.paths import shown_path

if TYPE_CHECKING:  # `status` and `sent` print with this module and never load smtplib
    from appealkit.send.approvals import ApproveResult
    from appealkit.send.sending import SendOutcome, SendResult
    from appealkit.send.sent_report import SentLetter

#: The order `send` counts outcomes in its summary; sent and failed are always named.
OUTCOMES = ("sent", "written", "skipped", "refused", "deferred", "failed", "in doubt")


def approve_lines(result: ApproveResult, root: Path) -> tuple[list[str], str]:
    shown = shown_path(root, result.path)
    lines = [f"approved  {letter_id}" for letter_id in result.approved]
    lines += [f"unchanged {letter_id}  (already approved by {who})"
              for letter_id, who in result.unchanged.items()]
    return lines, f"{len(result.approved)} approved, {len(result.unchanged)} already approved ({shown})"


def status_lines(status: CampaignStatus) -> tuple[list[str], str]:
    """One line per letter (state, id, recipient and address, then why), and a count."""
    lines = []
    for s in status.letters:
        if s.state == "changed":
            detail = "; ".join(s.changes)
        elif s.state == "sent":
            detail = f"sent {s.sent_at}"
        elif s.state in ("approved", "in doubt"):
            detail = f"approved by {s.approved_by} on {s.approved_at}"
        else:
            detail = ""
        detail = "; ".join(x for x in (detail, str(s.follow_up or ""), *s.notes) if x)
        to = f"{s.recipient} <{s.email or 'no e-mail'}>"
        lines.append(f"{s.state:<9} {s.letter}  → {to}" + (f"  ({detail})" if detail else ""))
    counts = [f"{n} {state}" for state in STATES if (n := sum(1 for s in status.letters if s.state == state))]
    due = sum(1 for s in status.letters if s.follow_up and s.follow_up.state == "follow-up due")
    summary = f"{len(status.letters)} letters: {', '.join(counts)}"
    return lines, summary + (f"; {due} follow-up(s) due" if due else "")


def outcome_line(outcome: SendOutcome, shown: str = "") -> str:
    """A letter's line in `send`'s progress; `shown` is the .eml path as the user reads it."""
    if outcome.status == "sent":
        return f"sent      {outcome.letter}  → {', '.join(outcome.addresses)}  ({outcome.detail})"
    if outcome.status == "written":
        return f"written   {outcome.letter}  → {shown or outcome.detail}"
    return f"{outcome.status:<9} {outcome.letter}  {outcome.detail}"


def send_summary(result: SendResult, dry_run: bool, outbox: str = "", test_to: str = "") -> str:
    shown = [c for c in OUTCOMES if result.count(c) or c == "failed" or (c == "sent" and not dry_run)]
    summary = ", ".join(f"{result.count(c)} {c}" for c in shown)
    if test_to:
        summary += f" (test copies to {test_to}; nothing counts as sent)"
    if dry_run and outbox:
        summary += f" (outbox: {outbox}/)"
    return f"{summary} in {result.elapsed:.1f} s"


def sent_lines(letters: list[SentLetter], fact: str | None) -> tuple[list[str], str]:
    """One line per message; with a fact, a line per citation: cited value, as-of date, today's value."""
    lines = []
    for entry in letters:
        row = entry.row
        when = row.finished_at if row.state == "sent" else row.started_at
        state = f"test {row.shown_state}" if row.test_to else row.shown_state
        extra = [x for x in ("a correction" if row.corrects is not None else "", str(entry.follow_up or ""))
                 if x]
        lines.append(f"{when}  {state:<8} {row.campaign}/{row.letter}  → {row.recipient} "
                     f"<{', '.join(row.envelope)}>" + (f"  ({'; '.join(extra)})" if extra else ""))
        for cited in entry.facts if fact else ():
            now = f"now {cited.now}" if cited.now is not None else "the fact no longer exists"
            lines.append(f"    {cited.fact}: cited {cited.cited} (as of {cited.as_of}); "
                         f"{now if cited.differs else 'unchanged'}")
        if fact and entry.corrected_by is not None:
            later = entry.corrected_by
            lines.append(f"    corrected by the message of {later.finished_at} ({later.message_id})")
    summary = f"{len(letters)} message(s)"
    if fact:
        owed = sum(1 for entry in letters if entry.owed)
        summary += f"; {owed} cited a value that has changed since and got no correction"
    return lines, summary
