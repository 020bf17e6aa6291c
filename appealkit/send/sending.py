"""`appealkit send`: every approved, unchanged, not yet sent letter of a campaign, by e-mail.

For each message a row is written to the sent log as `sending` before the SMTP transaction
starts, marked (synced to disk) just before the final dot, and completed after the answer, so
nothing that may have reached a server goes unrecorded. A letter version goes to an address at
most once: addresses that already have it (or may have it: in doubt) are left out, unless
`resend_in_doubt` says the organiser checked and wants the doubtful ones sent again. A new
version to someone who had an earlier one goes as a correction (`corrections.py`); `test_to`
sends each letter as it would go to one test address instead, logged as a test.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.errors import AppealkitError, Problem, collecting, option
from appealkit.render.letters import letter_language, make_environment
from appealkit.send.approvals import choose_letters
from appealkit.send.clock import Clock, stamp
from appealkit.send.corrections import cited_facts, correction_for
from appealkit.send.log_files import refuse_odd_file, refuse_odd_folder
from appealkit.send.message import Composed, Sender, compose
from appealkit.send.options import RelayOptions, SendOptions
from appealkit.send.sent_log import Outgoing, SentLog, sent_log_path
from appealkit.send.smtp import SmtpTransport, relay_settings
from appealkit.send.status import LetterState, addresses, campaign_status
from appealkit.send.versions import Build
from appealkit.source.records import Campaign, Workspace
from appealkit.source.safe_names import output_path
from appealkit.source.settings import load_settings

OUTBOX = "outbox"


@dataclass(frozen=True)
class SendOutcome:
    """What became of one letter: sent, written (dry run), skipped, refused, deferred, failed or in doubt."""

    letter: str
    status: str
    detail: str = ""
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class SendResult:
    outcomes: tuple[SendOutcome, ...]
    elapsed: float = 0.0
    outbox: Path | None = None
    #: the warnings met on the way, for the CLI to print and `--strict` to fail on
    problems: tuple[Problem, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return not any(o.status in ("refused", "deferred", "failed", "in doubt") for o in self.outcomes)


def send(workspace: Workspace, campaign: Campaign, transport: SmtpTransport | None, *,
         out_dir: Path | None = None, letter_ids: tuple[str, ...] = (),
         formats: tuple[str, ...] | None = None,
         resend_in_doubt: bool = False, clock: Clock | None = None, connections: int | None = None,
         progress: Callable[[SendOutcome, int, int], None] | None = None, test_to: str = "") -> SendResult:
    """Send the chosen letters (default: all) through `transport`; None writes .eml files (dry run).
    With `test_to`, each approved letter goes to that address only, as a test.

    The options are those of `SendOptions`, validated there (None: appealkit.yaml decides).
    With `connections` > 1 that many messages are on their way at once, each on its own
    SMTP connection with its own log connection: a killed send leaves at most that many in doubt.
    """
    options = SendOptions(out_dir, tuple(letter_ids), formats, transport is None, RelayOptions(), connections,
                          resend_in_doubt, test_to)
    return _send(workspace, campaign, transport, options, clock, progress)


def send_campaign(workspace: Workspace, campaign: Campaign, options: SendOptions,
                  progress: Callable[[SendOutcome, int, int], None] | None = None,
                  environ: Mapping[str, str] | None = None) -> SendResult:
    """`send` with its options made: the CLI's way in. The relay is the options' over appealkit.yaml's,
    the password from `environ` (default: this process's environment) or the keyring."""
    transport = None if options.dry_run else SmtpTransport(relay_settings(
        load_settings(workspace.root).send, options.relay, os.environ if environ is None else environ))
    return _send(workspace, campaign, transport, options, None, progress)


def _send(workspace: Workspace, campaign: Campaign, transport: SmtpTransport | None, options: SendOptions,
          clock: Clock | None, progress: Callable[[SendOutcome, int, int], None] | None) -> SendResult:
    with collecting() as found:
        result = _send_letters(workspace, campaign, transport, options, clock, progress)
    return dataclasses.replace(result, problems=tuple(found))


def _send_letters(workspace: Workspace, campaign: Campaign, transport: SmtpTransport | None,
                  options: SendOptions, clock: Clock | None,
                  progress: Callable[[SendOutcome, int, int], None] | None) -> SendResult:
    started = time.perf_counter()
    clock = clock or Clock()
    file = load_settings(workspace.root).send
    formats, connections, test_to = options.attached(file), options.connections_for(file), options.test_to
    # the campaign's own address first: it is part of what was approved
    sender = Sender(campaign.sender_email or file.sender_email, file.sender_name)
    chosen = choose_letters(campaign, options.letter_ids)
    path = sent_log_path(workspace)
    log = SentLog(path, write=True) if transport is not None else SentLog.existing(path)
    try:
        status = campaign_status(workspace, campaign, options.out_dir, log)
        plan = [(s, _test_plan(s, test_to) if test_to else _plan(workspace, s, options.resend_in_doubt))
                for s in status.letters if s.letter in chosen]
        todo = [(state, envelope) for state, envelope in plan if isinstance(envelope, tuple)]
        if todo and not sender.email:
            raise AppealkitError.at(campaign.where.file, campaign.where.line,
                                    "the campaign has no 'sender_email', the address letters are sent from",
                                    "add 'sender_email: office@your-organisation.org' to the campaign, "
                                    "or to the send: section of appealkit.yaml")
        outbox = status.build.out_dir / OUTBOX if transport is None else None
        done: dict[str, SendOutcome] = {}

        def finished(outcome: SendOutcome) -> None:
            done[outcome.letter] = outcome
            if progress:
                progress(outcome, len(done), len(plan))

        for _, refusal in plan:
            if isinstance(refusal, SendOutcome):
                finished(refusal)
        job = _Job(workspace, campaign, status.build, formats, clock, path, sender, test_to)
        if transport is None and todo:
            assert outbox is not None
            refuse_odd_folder(outbox, f"{OUTBOX}/", "the outbox")
            env = make_environment(workspace.root)
            for state, envelope in todo:
                finished(_write_eml(job, state, envelope, env, outbox))
        elif todo and transport is not None:
            transport.open()
            _deliver_all(job, todo, transport, log, max(1, min(connections, len(todo))), finished)
    finally:
        if log is not None:
            log.close()
        if transport is not None:
            transport.close()
    return SendResult(tuple(done[s.letter] for s, _ in plan), time.perf_counter() - started, outbox)


@dataclass(frozen=True)
class _Job:
    workspace: Workspace
    campaign: Campaign
    build: Build
    formats: tuple[str, ...]
    clock: Clock
    log_path: Path
    #: the address messages are sent from: the campaign's `sender_email`, else appealkit.yaml's
    sender: Sender
    test_to: str = ""
    #: why the relay is given up for this run (it stalled or cannot be reached); '' while it is not
    unreachable: list[str] = field(default_factory=list)


def _deliver_all(job: _Job, todo: list, transport: SmtpTransport, log: SentLog | None, connections: int,
                 finished: Callable[[SendOutcome], None]) -> None:
    """Each letter logged, sent and completed; on `connections` threads, each with its own connections."""
    assert log is not None
    if connections == 1:
        env = make_environment(job.workspace.root)
        for state, envelope in todo:
            finished(_deliver(job, state, envelope, env, transport, log))
        return
    local = threading.local()
    opened: list[tuple[SmtpTransport, SentLog]] = []
    lock = threading.Lock()

    def one(state: LetterState, envelope: tuple[str, ...]) -> SendOutcome:
        if not hasattr(local, "log"):
            local.env = make_environment(job.workspace.root)
            local.transport = transport.clone()
            local.log = SentLog(job.log_path)
            with lock:
                opened.append((local.transport, local.log))
        return _deliver(job, state, envelope, local.env, local.transport, local.log)

    try:
        with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="smtp") as pool:
            futures = [pool.submit(one, state, envelope) for state, envelope in todo]
            try:
                for future in as_completed(futures):
                    finished(future.result())
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        for worker_transport, worker_log in opened:
            worker_transport.close()
            worker_log.close()


def _plan(workspace: Workspace, state: LetterState, resend_in_doubt: bool) -> SendOutcome | tuple[str, ...]:
    """The addresses a letter still goes to, or why it goes nowhere."""
    letter = state.letter
    if state.state == "draft":
        why = "not built" if any(n.startswith("not built") for n in state.notes) else "not approved"
        return SendOutcome(letter, "refused", f"draft, {why} (build it, review it, then appealkit approve "
                                              f"{option('letter_ids')} {letter})")
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
                           f"may have it (check, then send again with {option('resend_in_doubt')})")
    if state.state == "sent":
        return SendOutcome(letter, "skipped", f"already sent on {state.sent_at}")
    assert state.approval is not None  # approved, or in doubt and sent again: rows in doubt cover no address
    covered = {a for row in state.rows if row.state == "sent" for a in row.envelope}
    remaining = tuple(a for a in addresses(workspace, state.recipient) if a not in covered)
    if not remaining:
        return SendOutcome(letter, "skipped", "every address already has this version")
    return remaining


def _test_plan(state: LetterState, test_to: str) -> SendOutcome | tuple[str, ...]:
    """A test copy goes for every letter as it would go: approved and unchanged, sent or not."""
    if state.state in ("draft", "changed"):
        return SendOutcome(state.letter, "refused", f"{state.state}: only approved, unchanged letters go "
                           "out, test copies too (build, review and approve it first)")
    return (test_to,)


def _resolves(state: LetterState, envelope: tuple[str, ...]) -> tuple[int, ...]:
    """The rows in doubt (or interrupted) that this message sends again."""
    return tuple(row.id for row in state.rows if (row.in_doubt or row.interrupted)
                 and set(row.envelope) & set(envelope))


def _deliver(job: _Job, state: LetterState, envelope: tuple[str, ...], env, transport: SmtpTransport,
             log: SentLog) -> SendOutcome:
    if job.unreachable:
        return SendOutcome(state.letter, "failed", f"not sent: {job.unreachable[0]} (send again later)",
                           envelope)
    composed = _compose(job, state, env)
    if isinstance(composed, SendOutcome):
        return composed
    built = state.built
    assert built is not None
    corrects = state.earlier[-1].id if state.earlier and not job.test_to else None
    outgoing = Outgoing(job.campaign.id, state.letter, state.recipient, composed.to, composed.cc, envelope,
                        composed.subject, composed.message_id, built.inputs, composed.attachments,
                        cited_facts(built.cited()), () if job.test_to else _resolves(state, envelope),
                        job.test_to, corrects)
    row = log.begin(outgoing, stamp(job.clock.now()))
    delivery = transport.send(job.sender.email, envelope, composed.data, smtputf8=composed.smtputf8,
                              committing=lambda: log.committing(row))
    if delivery.unreachable and not job.unreachable:
        job.unreachable.append(transport.unreachable or "the SMTP server could not be reached")
    final = {"sent": "sent", "deferred": "failed", "failed": "failed", "in doubt": "sending"}[delivery.state]
    log.finish(row, final, delivery.response, delivery.attempts, stamp(job.clock.now()),
               delivery.accepted if delivery.state == "sent" else None,
               "deferred" if delivery.state == "deferred" else "")
    return SendOutcome(state.letter, delivery.state, delivery.response,
                       delivery.accepted if delivery.state == "sent" else envelope)


def _compose(job: _Job, state: LetterState, env) -> Composed | SendOutcome:
    """The letter's message, or its failure: files that differ from the approved ones, no cover text."""
    assert state.built is not None and state.approval is not None
    workspace, campaign, spec = job.workspace, job.campaign, state.built.spec
    language = letter_language(spec.language, campaign.language,
                               workspace.recipients[spec.recipient].language)
    correction = None if job.test_to else correction_for(workspace, language, state.earlier,
                                                         state.built.cited())
    try:
        return compose(workspace, campaign, job.build, state.built, state.approval, job.formats, env,
                       job.clock, job.sender, test_to=job.test_to, correction=correction)
    except AppealkitError as exc:
        return SendOutcome(state.letter, "failed", exc.message)


def _write_eml(job: _Job, state: LetterState, envelope: tuple[str, ...], env,
               outbox: Path | None) -> SendOutcome:
    assert outbox is not None
    composed = _compose(job, state, env)
    if isinstance(composed, SendOutcome):
        return composed
    outbox.mkdir(parents=True, exist_ok=True)
    target = output_path(outbox, f"{state.letter}.eml")
    refuse_odd_file(target, f"{OUTBOX}/{target.name}", "the message file")
    write_atomic(target, composed.data)
    return SendOutcome(state.letter, "written", str(target), envelope)
