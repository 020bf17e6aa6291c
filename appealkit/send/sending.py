"""`appealkit send`: every approved, unchanged, not yet sent letter of a campaign, by e-mail.

For each message a row is committed to the sent log as `sending` before the SMTP
transaction starts and completed after it, so nothing that reached a server goes
unrecorded. A letter version goes to an address at most once: addresses that already
have it (or may have it: in doubt) are left out, unless `resend_in_doubt` says the
organiser checked and wants the doubtful ones sent again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.errors import AppealkitError
from appealkit.render.letters import make_environment
from appealkit.send.approvals import choose_letters
from appealkit.send.clock import Clock, stamp
from appealkit.send.message import compose
from appealkit.send.sent_log import CitedFact, Outgoing, SentLog, sent_log_path
from appealkit.send.smtp import SmtpTransport
from appealkit.send.status import LetterState, addresses, campaign_status
from appealkit.source.records import Campaign, Workspace
from appealkit.source.safe_names import output_path

OUTBOX = "outbox"


@dataclass(frozen=True)
class SendOutcome:
    """What became of one letter: sent, written (dry run), skipped, refused, failed or in doubt."""

    letter: str
    status: str
    detail: str = ""
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class SendResult:
    outcomes: tuple[SendOutcome, ...]
    elapsed: float = 0.0
    outbox: Path | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return not any(o.status in ("refused", "failed", "in doubt") for o in self.outcomes)


def send(workspace: Workspace, campaign: Campaign, transport: SmtpTransport | None, *,
         out_dir: Path | None = None, letter_ids: tuple[str, ...] = (), formats: tuple[str, ...] = ("pdf",),
         resend_in_doubt: bool = False, clock: Clock | None = None,
         progress: Callable[[SendOutcome, int, int], None] | None = None) -> SendResult:
    """Send the chosen letters (default: all) through `transport`; None writes .eml files (dry run)."""
    started = time.perf_counter()
    clock = clock or Clock()
    chosen = choose_letters(campaign, letter_ids)
    path = sent_log_path(workspace)
    log = SentLog(path, write=True) if transport is not None else SentLog.existing(path)
    try:
        status = campaign_status(workspace, campaign, out_dir, log)
        states = [s for s in status.letters if s.letter in chosen]
        plan = [(s, _plan(workspace, s, resend_in_doubt)) for s in states]
        if any(isinstance(p, tuple) for _, p in plan) and not campaign.sender_email:
            raise AppealkitError.at(campaign.where.file, campaign.where.line,
                                    "the campaign has no 'sender_email', the address letters are sent from",
                                    "add 'sender_email: office@your-organisation.org'")
        outbox = status.build.out_dir / OUTBOX if transport is None else None
        env = make_environment(workspace.root)
        outcomes: list[SendOutcome] = []
        if transport is not None and any(isinstance(p, tuple) for _, p in plan):
            transport.open()
        for state, todo in plan:
            if isinstance(todo, SendOutcome):
                outcome = todo
            elif transport is None:
                outcome = _write_eml(workspace, campaign, status.build, state, todo, formats, env, clock,
                                     outbox)
            else:
                assert log is not None
                outcome = _deliver(workspace, campaign, status.build, state, todo, formats, env, clock,
                                   transport, log)
            outcomes.append(outcome)
            if progress:
                progress(outcome, len(outcomes), len(plan))
    finally:
        if log is not None:
            log.close()
        if transport is not None:
            transport.close()
    return SendResult(tuple(outcomes), time.perf_counter() - started, outbox)


def _plan(workspace: Workspace, state: LetterState, resend_in_doubt: bool) -> SendOutcome | tuple[str, ...]:
    """The addresses a letter still goes to, or why it goes nowhere."""
    letter = state.letter
    if state.state == "draft":
        why = "not built" if "not built" in state.notes else "not approved"
        return SendOutcome(letter, "refused", f"draft, {why} (build it, review it, then appealkit approve "
                                              f"--letter {letter})")
    if state.state == "changed":
        return SendOutcome(letter, "refused", f"changed since approved: {'; '.join(state.changes)} "
                                              "(build, review and approve it again)")
    recipient = workspace.recipients[state.recipient]
    if not recipient.email:
        return SendOutcome(letter, "refused", f"recipient '{state.recipient}' has no e-mail address "
                                              f"(add 'email:' to {recipient.where.file})")
    if state.state == "in doubt" and not resend_in_doubt:
        when = ", ".join(r.started_at for r in state.in_doubt)
        return SendOutcome(letter, "in doubt", f"logged as sending on {when} and never completed; the server "
                           "may have it (check, then send again with --resend-in-doubt)")
    if state.state == "sent":
        return SendOutcome(letter, "skipped", f"already sent on {state.sent_at}")
    assert state.approval is not None
    covered = set()
    for row in state.rows:
        if row.state == "sent" or (row.in_doubt and not resend_in_doubt):
            covered.update(row.envelope)
    remaining = tuple(a for a in addresses(workspace, state.recipient) if a not in covered)
    if not remaining:
        return SendOutcome(letter, "skipped", "every address already has this version")
    return remaining


def _resolves(state: LetterState, envelope: tuple[str, ...]) -> tuple[int, ...]:
    """The rows in doubt that this message sends again."""
    return tuple(row.id for row in state.in_doubt if set(row.envelope) & set(envelope))


def _deliver(workspace: Workspace, campaign: Campaign, build, state: LetterState, envelope: tuple[str, ...],
             formats: tuple[str, ...], env, clock: Clock, transport: SmtpTransport,
             log: SentLog) -> SendOutcome:
    built, approval = state.built, state.approval
    assert built is not None and approval is not None
    try:
        composed = compose(workspace, campaign, build, built, approval, formats, env, clock)
    except AppealkitError as exc:
        return SendOutcome(state.letter, "failed", exc.message)
    data = composed.message.as_bytes(policy=policy.SMTP)
    facts = tuple(CitedFact(fid, str(f.get("value")), str(f.get("qualifier", "exact")), str(f.get("as_of")))
                  for fid, f in built.cited().items())
    outgoing = Outgoing(campaign.id, state.letter, state.recipient, composed.to, composed.cc, envelope,
                        composed.subject, composed.message_id, built.inputs, composed.attachments, facts,
                        _resolves(state, envelope))
    row = log.begin(outgoing, stamp(clock.now()))
    delivery = transport.send(campaign.sender_email, envelope, data)
    final = {"sent": "sent", "failed": "failed", "in doubt": "sending"}[delivery.state]
    log.finish(row, final, delivery.response, delivery.attempts, stamp(clock.now()),
               delivery.accepted if delivery.state == "sent" else None)
    return SendOutcome(state.letter, delivery.state, delivery.response,
                       delivery.accepted if delivery.state == "sent" else envelope)


def _write_eml(workspace: Workspace, campaign: Campaign, build, state: LetterState, envelope: tuple[str, ...],
               formats: tuple[str, ...], env, clock: Clock, outbox: Path | None) -> SendOutcome:
    built, approval = state.built, state.approval
    assert built is not None and approval is not None and outbox is not None
    try:
        composed = compose(workspace, campaign, build, built, approval, formats, env, clock)
    except AppealkitError as exc:
        return SendOutcome(state.letter, "failed", exc.message)
    outbox.mkdir(parents=True, exist_ok=True)
    target = output_path(outbox, f"{state.letter}.eml")
    write_atomic(target, composed.message.as_bytes(policy=policy.default))
    return SendOutcome(state.letter, "written", str(target), envelope)
