"""The state of each letter of a campaign on its way out: draft, approved, changed, sent or in doubt.

`changed` says what moved since the approval (which fact, with the figure cited and the
figure now; which template; the recipient; the campaign settings), so a reviewer knows
what to look at before approving again. `send` reads the same states to decide.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path

from appealkit.errors import AppealkitError, Problem, UsageError, collecting, option
from appealkit.send.approvals import Approval, read_approvals
from appealkit.send.clock import Clock
from appealkit.send.sent_log import SENT_LOG, Reply, SentLog, SentRow, existing_log
from appealkit.send.versions import Build, BuiltLetter, built_letters, current_figure
from appealkit.source.records import Campaign, Workspace

STATES = ("draft", "approved", "changed", "sent", "in doubt")


@dataclass(frozen=True)
class FollowUp:
    """Where a sent letter stands with its recipient: `awaiting reply`, `follow-up due` or `replied`."""

    state: str
    #: the day the letter (its first version) was sent, and the days since
    sent_on: str
    days: int
    replied_on: str = ""
    note: str = ""

    def as_json(self) -> dict:
        return {"state": self.state, "sent_on": self.sent_on, "days": self.days,
                "replied_on": self.replied_on, "note": self.note}

    def __str__(self) -> str:
        if self.state == "replied":
            return f"replied on {self.replied_on}" + (f": {self.note}" if self.note else "")
        return f"{self.state} ({self.days} day{'s' if self.days != 1 else ''} since sending)"


def logged_follow_ups(root: Path, days: dict[str, int | None],
                      today: datetime.date | None = None) -> dict[str, FollowUp]:
    """`campaign/letter` → its follow-up state, from the sent log alone (`days`: each campaign's
    `follow_up_after`), for the review page; {} when nothing was sent or the log cannot be read
    (`status` and `sent` say why)."""
    rows: dict[str, list[SentRow]] = {}
    replies: dict[str, list[Reply]] = {}
    try:
        log = SentLog.existing(root / SENT_LOG)
        if log is None:
            return {}
        with log:
            for row in log.rows(states=("sent",)):
                rows.setdefault(f"{row.campaign}/{row.letter}", []).append(row)
            for reply in log.replies():
                replies.setdefault(f"{reply.campaign}/{reply.letter}", []).append(reply)
    except AppealkitError:
        return {}
    today = today or Clock().now().date()
    found = {key: follow_up(found_rows, replies.get(key, []), today, days.get(key.partition("/")[0]))
             for key, found_rows in rows.items()}
    return {key: state for key, state in found.items() if state is not None}


def follow_up(rows: list[SentRow] | tuple[SentRow, ...], replies: list[Reply], today: datetime.date,
              after: int | None) -> FollowUp | None:
    """The follow-up state of one letter from its log rows (tests left out) and replies; None when
    no version of it was sent yet. `after`: the campaign's `follow_up_after` in days."""
    sent = sorted((r.finished_at or r.started_at)[:10] for r in rows if r.state == "sent" and not r.test_to)
    if not sent:
        return None
    first = sent[0]
    try:
        days = max(0, (today - datetime.date.fromisoformat(first)).days)
    except ValueError:
        days = 0
    if replies:
        last = max(replies, key=lambda r: (r.received_on, r.id))
        return FollowUp("replied", first, days, last.received_on, last.note)
    due = after is not None and days >= after
    return FollowUp("follow-up due" if due else "awaiting reply", first, days)


@dataclass(frozen=True)
class LetterState:
    letter: str
    recipient: str
    email: str
    cc: tuple[str, ...]
    state: str
    #: what changed since the approval (state `changed`)
    changes: tuple[str, ...] = ()
    approved_by: str = ""
    approved_at: str = ""
    #: when this version last reached all its addresses (state `sent`), or an earlier version did
    sent_at: str = ""
    #: more to know: not built yet, built from outdated inputs, the last failure, an earlier version sent
    notes: tuple[str, ...] = ()
    built: BuiltLetter | None = field(default=None, compare=False, repr=False)
    approval: Approval | None = field(default=None, compare=False, repr=False)
    #: log rows of the approved version that were left in doubt
    in_doubt: tuple[SentRow, ...] = field(default=(), compare=False, repr=False)
    #: every log row of the approved version
    rows: tuple[SentRow, ...] = field(default=(), compare=False, repr=False)
    #: messages of earlier versions that were sent: the next one goes as their correction
    earlier: tuple[SentRow, ...] = field(default=(), compare=False, repr=False)
    #: awaiting reply, follow-up due or replied; None before any version was sent
    follow_up: FollowUp | None = None

    def as_json(self) -> dict:
        return {"letter": self.letter, "recipient": self.recipient, "email": self.email, "cc": list(self.cc),
                "state": self.state, "changes": list(self.changes), "approved_by": self.approved_by,
                "approved_at": self.approved_at, "sent_at": self.sent_at, "notes": list(self.notes),
                "follow_up": self.follow_up.as_json() if self.follow_up else None}


@dataclass(frozen=True)
class CampaignStatus:
    build: Build
    letters: tuple[LetterState, ...]
    #: the warnings met on the way, for the CLI to print and `--strict` (`read_status` collects them)
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class StatusOptions:
    """What `status` takes besides the workspace and the campaign: `out_dir`, the build folder
    (None: build/<campaign id>/); made once for the CLI and Python alike."""

    out_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.out_dir is not None:
            if not isinstance(self.out_dir, str | Path):
                raise UsageError.at("out_dir", None, f"'{self.out_dir}' is not a folder",
                                    "give the build folder, such as build/bonn-2025")
            object.__setattr__(self, "out_dir", Path(self.out_dir))


def read_status(workspace: Workspace, campaign: Campaign, out_dir: Path | None = None,
                clock: Clock | None = None) -> CampaignStatus:
    """`status_of` with the options of `StatusOptions`, validated there."""
    return status_of(workspace, campaign, StatusOptions(out_dir), clock)


def status_of(workspace: Workspace, campaign: Campaign, options: StatusOptions,
              clock: Clock | None = None) -> CampaignStatus:
    """`campaign_status` with the workspace's sent log, when there is one; the warnings met are the
    result's `problems`."""
    with collecting() as found, existing_log(workspace) as log:
        status = campaign_status(workspace, campaign, options.out_dir, log, (clock or Clock()).now().date())
    return replace(status, problems=tuple(found))


def campaign_status(workspace: Workspace, campaign: Campaign, out_dir: Path | None = None,
                    log: SentLog | None = None, today: datetime.date | None = None) -> CampaignStatus:
    """Every letter of `campaign` with its state, from the build in `out_dir`, the approvals and the log.
    Test copies (`send --test-to`) count for nothing here."""
    build = built_letters(workspace, campaign, out_dir)
    approvals = read_approvals(workspace.root, campaign)
    rows: dict[str, list[SentRow]] = {}
    for row in log.rows(campaign=campaign.id) if log else []:
        if not row.test_to:
            rows.setdefault(row.letter, []).append(row)
    replies: dict[str, list[Reply]] = {}
    for reply in log.replies(campaign.id) if log else []:
        replies.setdefault(reply.letter, []).append(reply)
    today = today or Clock().now().date()
    states = []
    for spec in campaign.letters:
        state = _state(workspace, build.letters[spec.id], approvals.get(spec.id), rows.get(spec.id, []))
        state = replace(state, follow_up=follow_up(
            rows.get(spec.id, []), replies.get(spec.id, []), today, campaign.follow_up_after))
        states.append(state)
    return CampaignStatus(build, tuple(states))


def addresses(workspace: Workspace, recipient_id: str) -> tuple[str, ...]:
    recipient = workspace.recipients[recipient_id]
    return tuple(dict.fromkeys(a for a in (recipient.email, *recipient.cc) if a))


def _state(workspace: Workspace, letter: BuiltLetter, approval: Approval | None,
           rows: list[SentRow]) -> LetterState:
    spec = letter.spec
    recipient = workspace.recipients[spec.recipient]
    base = LetterState(spec.id, spec.recipient, recipient.email, recipient.cc, "draft", built=letter,
                       approval=approval)
    notes = []
    if letter.refused is not None:
        notes.append("not built: the build refused it; see appealkit check")
    elif not letter.built:
        notes.append("not built")
    elif letter.outdated:
        notes.append("built from inputs that changed since; build again")
    if approval is None:
        return replace(base, notes=tuple(notes))
    base = replace(base, approved_by=approval.approved_by, approved_at=approval.approved_at,
                   rows=tuple(r for r in rows if r.input_hash == approval.inputs),
                   earlier=tuple(r for r in rows if r.state == "sent" and r.input_hash != approval.inputs))
    changes = explain(workspace, letter, approval)
    sent = [r for r in rows if r.state == "sent"]
    if changes:
        earlier = [r for r in sent if r.input_hash != approval.inputs] or sent
        if earlier:
            notes.append(f"an earlier version was sent on {earlier[-1].finished_at}")
        return replace(base, state="changed", changes=changes, notes=tuple(notes))
    mine = [r for r in rows if r.input_hash == approval.inputs]
    doubt = tuple(r for r in mine if r.in_doubt)
    covered = {a for r in mine if r.state == "sent" for a in r.envelope}
    wanted = addresses(workspace, spec.recipient)
    failed = [r for r in mine if r.state == "failed"]
    if failed and not (wanted and covered >= set(wanted)):
        notes.append(f"last attempt failed: {failed[-1].smtp_response}")
    if doubt:
        return replace(base, state="in doubt", notes=(*notes, "logged as sending but never completed: the "
                       f"server may have it; check, then send with {option('resend_in_doubt')}"),
                       in_doubt=doubt)
    if wanted and covered >= set(wanted):
        last = max(r.finished_at or r.started_at for r in mine if r.state == "sent")
        return replace(base, state="sent", sent_at=last, notes=tuple(notes))
    if covered:
        missing = ", ".join(sorted(set(wanted) - covered))
        notes.append(f"sent to {', '.join(sorted(covered))}; not yet to {missing}")
    if base.earlier:
        notes.append(f"an earlier version was sent on {base.earlier[-1].finished_at}: this one goes as "
                     "its correction")
    if any(r.interrupted for r in mine):
        notes.append("a send was interrupted before the message was complete: nothing was delivered, "
                     "it goes again with the next send")
    return replace(base, state="approved", notes=tuple(notes))


def explain(workspace: Workspace, letter: BuiltLetter, approval: Approval) -> tuple[str, ...]:
    """What differs between the approved version and the letter as built and as its inputs are now."""
    if not letter.built:
        return ("the letter is no longer built",)
    now, then = letter.parts, approval.parts
    same_files = letter.files == approval.files
    if letter.current == approval.inputs and same_files and letter.inputs == approval.inputs:
        return ()
    if not now:
        return ("a template, fact or the recipient the letter used no longer exists",)
    changes = []
    for fact_id in sorted(set(now["facts"]) | set(then.get("facts", {}))):
        old, new = then.get("facts", {}).get(fact_id), now["facts"].get(fact_id)
        if old == new:
            continue
        if new is None:
            changes.append(f"fact {fact_id} no longer cited")
        elif old is None:
            changes.append(f"fact {fact_id} newly cited")
        else:
            changes.append(_fact_change(workspace, fact_id, approval))
    for name in sorted(set(now["templates"]) | set(then.get("templates", {}))):
        old, new = then.get("templates", {}).get(name), now["templates"].get(name)
        if old != new:
            how = "added" if old is None else "no longer used" if new is None else "edited"
            changes.append(f"template templates/{name} {how}")
    if now["recipient"] != then.get("recipient"):
        where = workspace.recipients[letter.spec.recipient].where.file
        changes.append(f"recipient {letter.spec.recipient} ({where})")
    if now["letter"] != then.get("letter"):
        changes.append("the campaign's entry for this letter")
    if now["build"] != then.get("build"):
        changes.append("campaign settings, people, template files added or removed, layout, formats "
                       "or appealkit version")
    if not changes and letter.current != letter.inputs:
        changes.append("the build is outdated; build again")
    if not changes and not same_files:
        differ = sorted(n for n in set(letter.files) | set(approval.files)
                        if letter.files.get(n) != approval.files.get(n))
        changes.append(f"files differ from the approved ones: {', '.join(differ)}")
    return tuple(changes) or ("the input hash differs from the approved one",)


def _fact_change(workspace: Workspace, fact_id: str, approval: Approval) -> str:
    cited = {cid: figure for cid, figure in approval.cited.items() if cid.partition(".")[0] == fact_id}
    moved = []
    for cited_id, figure in sorted(cited.items()):
        now = current_figure(workspace, cited_id)
        if now != figure:
            moved.append(f"{cited_id}: cited {figure}; now {now or 'removed'}")
    if moved:
        return f"fact {'; '.join(moved)}"
    return f"fact {fact_id} (as-of date, sources or wording)"
