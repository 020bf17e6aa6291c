"""`appealkit sent`: who received which letter when, and who holds a figure that has changed since.

The log keeps every fact a sent letter cited with the value it cited; compared with
today's facts, `--fact` gives the list of recipients owed a correction.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass

from appealkit.errors import warn
from appealkit.send.sent_log import SentLog, SentRow, existing_log
from appealkit.send.versions import cited_figure, current_figure
from appealkit.source.campaign import campaign_id_of
from appealkit.source.records import Workspace
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

    def as_json(self) -> dict:
        row = self.row
        return {"campaign": row.campaign, "letter": row.letter, "recipient": row.recipient,
                "email": row.address, "cc": list(row.cc), "addresses": list(row.envelope),
                "state": row.shown_state,
                "sent_at": row.finished_at if row.state == "sent" else None, "logged_at": row.started_at,
                "subject": row.subject, "message_id": row.message_id, "input_hash": row.input_hash,
                "attachments": list(row.attachments), "smtp_response": row.smtp_response,
                "facts": [{"id": f.fact, "value": f.value, "qualifier": f.qualifier, "as_of": f.as_of,
                           "cited": f.cited, "now": f.now, "differs": f.differs} for f in self.facts]}


def read_sent(workspace: Workspace, campaign: str | None = None, fact: str | None = None,
              since: datetime.date | None = None) -> list[SentLetter]:
    """`sent_letters` from the workspace's sent log, of one campaign (a file or its id) or all; a fact
    unknown today is only warned about, since letters may have cited it before it was removed."""
    campaign = campaign_id_of(workspace, campaign) if campaign else None
    if fact and fact not in workspace.facts:
        hint = suggest(fact, workspace.facts) or "letters that cited a removed fact are still listed"
        warn("", None, f"no fact '{fact}' in facts/", hint)
    with existing_log(workspace) as log:
        return sent_letters(log, workspace, campaign, fact, since)


def read_export(workspace: Workspace) -> str:
    with existing_log(workspace) as log:
        return export_jsonl(log)


def sent_letters(log: SentLog | None, workspace: Workspace, campaign: str | None = None,
                 fact: str | None = None, since: datetime.date | None = None) -> list[SentLetter]:
    """Messages in the log, oldest first. With `fact`: those that may have reached someone (sent or
    in doubt) and cited the fact or one of its parts, with only those citations."""
    if log is None:
        return []
    states = ("sent", "sending") if fact else ("sent", "sending", "failed")
    found = []
    for row in log.rows(campaign=campaign, since=since, states=states):
        cited = [c for c in row.facts if fact is None or c.fact.partition(".")[0] == fact]
        if fact and not cited:
            continue
        facts = tuple(FactThen(c.fact, c.value, c.qualifier, c.as_of, cited_figure(c.value, c.qualifier),
                               current_figure(workspace, c.fact)) for c in cited)
        found.append(SentLetter(row, facts))
    return found


def export_jsonl(log: SentLog | None) -> str:
    """The whole log, one JSON object per message, for review in git: every column and citation."""
    if log is None:
        return ""
    lines = []
    for row in log.rows():
        data = dataclasses.asdict(row)
        data["facts"] = [dataclasses.asdict(f) for f in row.facts]
        lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return "".join(line + "\n" for line in lines)
