"""`appealkit reply`: an institution's answer to a sent letter, recorded in the sent log.

A campaign is not over when its letters leave: someone has to notice who answered and who is
due a reminder. The reply's date and note go into the sent log beside the messages; a file
(the scanned answer) is copied into `replies/<campaign>/` in the workspace, so it is kept in
git with the approvals, and only its name and sha256 go into the log.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.choices import day_given
from appealkit.errors import AppealkitError, Problem, collecting, option, printable
from appealkit.send.attachment_names import attachment_name
from appealkit.send.clock import Clock, stamp
from appealkit.send.log_files import refuse_odd_file, refuse_odd_folder
from appealkit.send.sent_log import Reply, SentLog, sent_log_path
from appealkit.source.campaign import campaign_id_of
from appealkit.source.records import Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.yamlsource import suggest

REPLIES = "replies"
MAX_NOTE = 2000


@dataclass(frozen=True)
class ReplyOptions:
    letter: str
    received_on: datetime.date
    file: Path | None = None
    note: str = ""
    #: the campaign (file or id) when the letter id alone does not say which
    campaign: str = ""

    def __post_init__(self) -> None:
        """The values that need no workspace, checked once for the CLI and Python alike."""
        note = self.note.strip() if isinstance(self.note, str) else self.note
        if not isinstance(note, str) or printable(note) != note or "\t" in note or len(note) > MAX_NOTE:
            raise AppealkitError.at("note", None, f"the note holds a control character or is longer than "
                                    f"{MAX_NOTE} characters", "write it again as one plain paragraph")
        received_on = day_given(self.received_on, "received_on")  # a date, or "YYYY-MM-DD"
        if received_on is None:
            raise AppealkitError.at("received_on", None, "the day the reply arrived is missing",
                                    "give the day the reply arrived (YYYY-MM-DD)")
        object.__setattr__(self, "received_on", received_on)
        if self.file is not None:
            object.__setattr__(self, "file", Path(self.file))


@dataclass(frozen=True)
class Recorded:
    reply: Reply
    #: where the reply's file was copied to, in the workspace
    copied: Path | None
    #: the warnings met while recording it
    problems: tuple[Problem, ...] = ()


def record_reply(workspace: Workspace, options: ReplyOptions, clock: Clock | None = None) -> Recorded:
    """Record a reply to a letter that was sent; every mistake (a letter never sent, a date to come,
    a file that cannot be read) is one line and nothing is written. The warnings met on the way are
    the result's `problems`."""
    with collecting() as found:
        recorded = _record_reply(workspace, options, clock or Clock())
    return dataclasses.replace(recorded, problems=tuple(found))


def _record_reply(workspace: Workspace, options: ReplyOptions, clock: Clock) -> Recorded:
    note = options.note.strip()
    if options.received_on > clock.now().date():
        raise AppealkitError.at("received_on", None, f"{options.received_on} is still to come",
                                "give the day the reply arrived (YYYY-MM-DD)")
    path = sent_log_path(workspace)
    if not path.exists() and not path.is_symlink():
        raise AppealkitError.at(path.name, None, "nothing was sent from this workspace yet",
                                "a reply is recorded for a letter that was sent")
    with SentLog(path) as log:
        campaign = campaign_id_of(workspace, options.campaign) if options.campaign else None
        sent = [r for r in log.rows(campaign=campaign, states=("sent",)) if not r.test_to]
        mine = [r for r in sent if r.letter == options.letter]
        if not mine:
            where = f" in campaign '{campaign}'" if campaign else ""
            raise AppealkitError.at(options.letter, None, f"no letter '{options.letter}' was sent{where}",
                                    suggest(options.letter, {r.letter for r in sent})
                                    or "see appealkit sent for the letters sent")
        campaigns = sorted({r.campaign for r in mine})
        if len(campaigns) > 1:
            raise AppealkitError.at(options.letter, None, f"letters '{options.letter}' were sent in "
                                    f"campaigns {', '.join(campaigns)}",
                                    f"say which with {option('campaign')}")
        first = min((r.finished_at or r.started_at)[:10] for r in mine)
        if options.received_on.isoformat() < first:
            raise AppealkitError.at("received_on", None,
                                    f"{options.received_on} is before the letter was sent ({first})",
                                    "give the day the reply arrived (YYYY-MM-DD)")
        copied, sha = _copy(workspace, campaigns[0], options) if options.file else (None, "")
        shown = copied.relative_to(workspace.root).as_posix() if copied else ""
        reply_id = log.add_reply(campaigns[0], options.letter, options.received_on.isoformat(), shown, sha,
                                 note, stamp(clock.now()))
        (reply,) = [r for r in log.replies(campaigns[0]) if r.id == reply_id]
    return Recorded(reply, copied)


def _copy(workspace: Workspace, campaign: str, options: ReplyOptions) -> tuple[Path, str]:
    """The reply's file copied whole into replies/<campaign>/, named by its day and letter."""
    assert options.file is not None
    try:
        data = read_regular(options.file)
    except Untrusted as exc:
        raise AppealkitError.at(str(options.file), None, "cannot read the reply's file", str(exc)) from None
    folder = workspace.root / REPLIES
    refuse_odd_folder(folder, f"{REPLIES}/", "the replies folder")
    refuse_odd_folder(folder / campaign, f"{REPLIES}/{campaign}/", "the campaign's replies folder")
    extension = options.file.suffix.lstrip(".").lower() or "bin"
    extension = extension if extension.isalnum() and len(extension) <= 8 else "bin"
    name = attachment_name("{date} {letter}", extension, date=options.received_on.isoformat(),
                           letter=options.letter)
    target, number = folder / campaign / name, 1
    while target.exists() and target.read_bytes() != data:  # a second reply the same day keeps the first
        number += 1
        target = target.with_name(f"{Path(name).stem} ({number}).{extension}")
    refuse_odd_file(target, f"{REPLIES}/{campaign}/{target.name}", "the reply's copy")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return target, hashlib.sha256(data).hexdigest()
