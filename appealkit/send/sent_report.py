"""`appealkit sent`: who received which letter when, and who holds a figure that has changed since.

The log keeps every fact a sent letter cited with the value it cited; compared with
today's facts, `--fact` gives the list of recipients owed a correction.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from appealkit.choices import campaign_given, day_given
from appealkit.errors import AppealkitError, Problem, UsageError, collecting, option
from appealkit.send.clock import Clock
from appealkit.send.log_files import SentLogError, log_files
from appealkit.send.sent_log import CitedFact, Reply, SentLog, SentRow, existing_log, sent_log_path
from appealkit.send.status import FollowUp, follow_up
from appealkit.send.versions import cited_figure, current_figure
from appealkit.source.campaign import campaign_id_of
from appealkit.source.records import Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.yamlsource import suggest


@dataclass(frozen=True)
class FactThen:
    """A fact as a sent letter cited it, and as today's facts give it."""

    fact: str
    value: str
    qualifier: str
    as_of: str
    cited: str
    #: today's figure; None when the fact no longer exists
    now: str | None

    @property
    def differs(self) -> bool:
        return self.now != self.cited


@dataclass(frozen=True)
class SentLetter:
    row: SentRow
    facts: tuple[FactThen, ...]
    #: the later message that corrected this one (a new version to the same recipient), if any
    corrected_by: SentRow | None = None
    follow_up: FollowUp | None = field(default=None)

    @property
    def owed(self) -> bool:
        """It cited a value that has changed since, and no correction went out."""
        return self.corrected_by is None and any(f.differs for f in self.facts)

    def as_json(self) -> dict:
        row = self.row
        later = self.corrected_by
        return {"campaign": row.campaign, "letter": row.letter, "recipient": row.recipient,
                "email": row.address, "cc": list(row.cc), "addresses": list(row.envelope),
                "state": row.shown_state, "test_to": row.test_to or None,
                "corrects": row.corrects, "corrected_by": later.message_id if later else None,
                "follow_up": self.follow_up.as_json() if self.follow_up else None,
                "sent_at": row.finished_at if row.state == "sent" else None, "logged_at": row.started_at,
                "subject": row.subject, "message_id": row.message_id, "input_hash": row.input_hash,
                "attachments": list(row.attachments), "smtp_response": row.smtp_response,
                "facts": [{"id": f.fact, "value": f.value, "qualifier": f.qualifier, "as_of": f.as_of,
                           "cited": f.cited, "now": f.now, "differs": f.differs} for f in self.facts]}


@dataclass(frozen=True)
class SentOptions:
    """Which messages `sent` shows, checked once for the CLI and Python alike.

    `campaign` a campaign file or its id (None: every campaign); `fact` a fact id, to see who holds
    a figure that changed (None: every message); `since` a day, a date or "YYYY-MM-DD" (None: all).
    """

    campaign: str | None = None
    fact: str | None = None
    since: datetime.date | None = None

    def __post_init__(self) -> None:
        campaign_given(self.campaign)
        if self.fact is not None and (not isinstance(self.fact, str) or not self.fact.strip()):
            raise UsageError.at("fact", None, f"'{self.fact}' is not a fact id",
                                "see appealkit facts for the fact ids")
        object.__setattr__(self, "since", day_given(self.since, "since"))


@dataclass(frozen=True)
class SentReport:
    """The messages `sent` shows, and the warnings met while reading them."""

    letters: tuple[SentLetter, ...]
    problems: tuple[Problem, ...] = ()


def read_sent(workspace: Workspace, campaign: str | None = None, fact: str | None = None,
              since: datetime.date | None = None, clock: Clock | None = None) -> SentReport:
    """`sent_report` with the options of `SentOptions`, validated there."""
    return sent_report(workspace, SentOptions(campaign, fact, since), clock)


def sent_report(workspace: Workspace, options: SentOptions, clock: Clock | None = None) -> SentReport:
    """`sent_letters` from the workspace's sent log, of one campaign (a file or its id) or all. A fact
    neither in facts/ nor cited by any logged message is a mistake (a misspelt id), not an empty answer."""
    with collecting() as found:
        letters = _read_sent(workspace, options, clock or Clock())
    return SentReport(tuple(letters), tuple(found))


def _read_sent(workspace: Workspace, options: SentOptions, clock: Clock) -> list[SentLetter]:
    fact = options.fact
    campaign = campaign_id_of(workspace, options.campaign) if options.campaign else None
    with existing_log(workspace) as log:
        if fact and fact not in workspace.facts:
            logged = {c.fact.partition(".")[0] for row in (log.rows() if log else []) for c in row.facts}
            if fact not in logged:
                known = set(workspace.facts) | logged
                raise AppealkitError.at("fact", None, f"no fact '{fact}' in facts/ or in the sent log",
                                        suggest(fact, known) or "see appealkit facts for the fact ids")
        return sent_letters(log, workspace, campaign, fact, options.since, clock.now().date())


#: The largest export `restore_export` reads: far above any organisation's log, far below a machine's memory.
MAX_EXPORT = 200_000_000


def restore_export(workspace: Workspace, file: Path, shown: str) -> int:
    """`restore_log` from the export file `file` (a regular file, UTF-8, at most `MAX_EXPORT` bytes)."""
    try:
        text = read_regular(file, MAX_EXPORT).decode("utf-8")
    except (Untrusted, UnicodeDecodeError) as exc:
        raise UsageError.at(str(file), None, "cannot read the export", str(exc)) from None
    return restore_log(workspace, text, shown)


def restore_log(workspace: Workspace, text: str, shown: str) -> int:
    """A new sent log from `sent --export jsonl` (`shown`: the export's name, for messages); the
    number of messages restored. Refused while the workspace has a log: move a damaged one aside."""
    path = sent_log_path(workspace)
    if path.exists() or path.is_symlink():
        raise SentLogError.at(path.name, None, "the workspace has a sent log already",
                              "move the damaged one aside (keep it), then restore")
    messages, replies = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kind = data.pop("kind", "message")
            if kind == "reply":
                replies.append(Reply(**data))
            else:
                facts = tuple(CitedFact(**f) for f in data.pop("facts"))
                for key in ("cc", "envelope", "attachments"):
                    data[key] = tuple(data[key])
                messages.append(SentRow(**data, facts=facts))
        except (ValueError, TypeError, KeyError, AttributeError):
            raise SentLogError.at(shown, number, f"not a line of appealkit sent {option('export')} jsonl",
                                  "restore from the file the export wrote, unchanged") from None
    try:
        with SentLog(path, write=True) as log:
            log.restore(messages, replies)
    except BaseException:
        for part in log_files(path):  # nothing half-restored is left behind
            part.unlink(missing_ok=True)
        raise
    return len(messages)


def read_export(workspace: Workspace) -> str:
    with existing_log(workspace) as log:
        return export_jsonl(log)


def sent_letters(log: SentLog | None, workspace: Workspace, campaign: str | None = None,
                 fact: str | None = None, since: datetime.date | None = None,
                 today: datetime.date | None = None) -> list[SentLetter]:
    """Messages in the log, oldest first. With `fact`: those that may have reached someone (sent or
    in doubt, test copies left out) and cited the fact or one of its parts, with only those citations."""
    if log is None:
        return []
    states = ("sent", "sending") if fact else ("sent", "sending", "failed")
    every = log.rows(campaign=campaign)
    corrected = {row.corrects: row for row in every if row.corrects is not None and row.state == "sent"}
    replies: dict[tuple[str, str], list] = {}
    for reply in log.replies(campaign):
        replies.setdefault((reply.campaign, reply.letter), []).append(reply)
    by_letter: dict[tuple[str, str], list[SentRow]] = {}
    for row in every:
        by_letter.setdefault((row.campaign, row.letter), []).append(row)
    after = _follow_up_days(workspace)
    found = []
    for row in log.rows(campaign=campaign, since=since, states=states):
        if fact and row.test_to:
            continue
        cited = [c for c in row.facts if fact is None or c.fact.partition(".")[0] == fact]
        if fact and not cited:
            continue
        facts = tuple(FactThen(c.fact, c.value, c.qualifier, c.as_of, cited_figure(c.value, c.qualifier),
                               current_figure(workspace, c.fact)) for c in cited)
        key = (row.campaign, row.letter)
        latest = [r for r in by_letter[key] if r.state == "sent" and not r.test_to][-1:]
        state = None if latest != [row] else follow_up(
            by_letter[key], replies.get(key, []), today or Clock().now().date(), after.get(row.campaign))
        found.append(SentLetter(row, facts, corrected.get(row.id), state))
    return found


def _follow_up_days(workspace: Workspace) -> dict[str, int | None]:
    """Each campaign's `follow_up_after`, from the campaign files that load today."""
    from appealkit.errors import WorkspaceError
    from appealkit.source.campaign import load_campaign_file

    days: dict[str, int | None] = {}
    for path in workspace.campaign_files():
        try:
            campaign = load_campaign_file(workspace, path)
        except WorkspaceError:
            continue
        days[campaign.id] = campaign.follow_up_after
    return days


def export_jsonl(log: SentLog | None) -> str:
    """The whole log, one JSON object per message and per reply, for review in git and to restore
    a damaged log from (`sent --restore`): every column, citation and reply."""
    if log is None:
        return ""
    lines = []
    for row in log.rows():
        data = {"kind": "message", **dataclasses.asdict(row)}
        data["facts"] = [dataclasses.asdict(f) for f in row.facts]
        lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    for reply in log.replies():
        lines.append(json.dumps({"kind": "reply", **dataclasses.asdict(reply)}, ensure_ascii=False,
                                sort_keys=True))
    return "".join(line + "\n" for line in lines)
