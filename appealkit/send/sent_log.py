"""The sent log: one SQLite row per e-mail, written before the SMTP transaction and completed after.

A row is committed as `sending` before the server hears of the message and becomes
`sent` or `failed` once it answered, so a process killed in between leaves that one
row `sending`: in doubt, never silently lost and never silently sent again. Each row
keeps the facts the letter cited (value, qualifier, as-of date) from the manifest, so
the log answers "who received the figure we just changed?" long after the build is gone.

The database runs in WAL mode with full synchronisation: a committed row survives a
killed process and a power cut. Its schema is versioned with `PRAGMA user_version`
and grows by the migrations below, applied in order inside one transaction each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appealkit.send.log_files import (
    BUSY_TIMEOUT,
    RESTORE_HINT,
    SentLogError,
    check_log_files,
    sqlite_errors,
    take_lock,
)
from appealkit.source.records import Workspace

SENT_LOG = "sent.sqlite"
STATES = ("sending", "sent", "failed")

#: Each migration is a list of statements; its position + 1 is the schema version it makes.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            campaign TEXT NOT NULL,
            letter TEXT NOT NULL,
            recipient TEXT NOT NULL,
            address TEXT NOT NULL,
            cc TEXT NOT NULL DEFAULT '[]',
            envelope TEXT NOT NULL,
            subject TEXT NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            input_hash TEXT NOT NULL,
            attachments TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            smtp_response TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            resolved_by INTEGER REFERENCES messages (id)
        )""",
        "CREATE INDEX messages_by_letter ON messages (campaign, letter, input_hash)",
        """CREATE TABLE citations (
            message INTEGER NOT NULL REFERENCES messages (id),
            fact TEXT NOT NULL,
            value TEXT NOT NULL,
            qualifier TEXT NOT NULL,
            as_of TEXT NOT NULL,
            PRIMARY KEY (message, fact)
        )""",
        "CREATE INDEX citations_by_fact ON citations (fact)",
    ),
    (
        # rows of version 1 count as having reached the final dot: in doubt if never completed
        "ALTER TABLE messages ADD COLUMN dot_sent INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE messages ADD COLUMN outcome TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE messages ADD COLUMN test_to TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE messages ADD COLUMN corrects INTEGER REFERENCES messages (id)",
        """CREATE TABLE replies (
            id INTEGER PRIMARY KEY,
            campaign TEXT NOT NULL,
            letter TEXT NOT NULL,
            received_on TEXT NOT NULL,
            file TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        )""",
        "CREATE INDEX replies_by_letter ON replies (campaign, letter)",
        f"PRAGMA application_id = {0x41504B4C}",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
#: Marks a SQLite file as an appealkit sent log ('APKL'); version 1 logs were made without it.
APPLICATION_ID = 0x41504B4C
_JSON_COLUMNS = ("cc", "envelope", "attachments")


@dataclass(frozen=True)
class CitedFact:
    """A fact as the letter cited it: the value, qualifier and as-of date of that build."""

    fact: str
    value: str
    qualifier: str
    as_of: str


@dataclass(frozen=True)
class Outgoing:
    """What is logged before a message goes out."""

    campaign: str
    letter: str
    recipient: str
    address: str
    cc: tuple[str, ...]
    envelope: tuple[str, ...]
    subject: str
    message_id: str
    input_hash: str
    #: {"file", "format", "sha256", "bytes"} of each attachment
    attachments: tuple[dict[str, Any], ...]
    facts: tuple[CitedFact, ...]
    #: rows left in doubt (or interrupted) that this message sends again
    resolves: tuple[int, ...] = ()
    #: the test address this copy goes to instead of the recipient (`send --test-to`)
    test_to: str = ""
    #: the earlier message to this recipient that this one corrects
    corrects: int | None = None


@dataclass(frozen=True)
class SentRow:
    """One row of the log with the facts its letter cited."""

    id: int
    campaign: str
    letter: str
    recipient: str
    address: str
    cc: tuple[str, ...]
    envelope: tuple[str, ...]
    subject: str
    message_id: str
    input_hash: str
    attachments: tuple[dict[str, Any], ...]
    state: str
    started_at: str
    finished_at: str | None
    smtp_response: str
    attempts: int
    resolved_by: int | None = None
    #: whether the final dot was (about to be) sent: from then on the server may hold the message
    dot_sent: int = 1
    #: `deferred` for a failure the server called temporary, else ''
    outcome: str = ""
    test_to: str = ""
    corrects: int | None = None
    facts: tuple[CitedFact, ...] = field(default=())

    @property
    def in_doubt(self) -> bool:
        """Left sending after the final dot, not sent again since: the server may or may not have it."""
        return self.state == "sending" and bool(self.dot_sent) and self.resolved_by is None

    @property
    def interrupted(self) -> bool:
        """Left sending before the final dot: the server dropped the unfinished message."""
        return self.state == "sending" and not self.dot_sent and self.resolved_by is None

    @property
    def shown_state(self) -> str:
        """The state `sent` reports: `in doubt`, `interrupted` or `deferred` where they apply."""
        if self.in_doubt:
            return "in doubt"
        if self.interrupted:
            return "interrupted"
        return self.outcome or self.state


@dataclass(frozen=True)
class Reply:
    """An institution's answer to a letter, as `appealkit reply` recorded it."""

    id: int
    campaign: str
    letter: str
    received_on: str
    file: str
    sha256: str
    note: str
    recorded_at: str


def sent_log_path(workspace: Workspace) -> Path:
    return workspace.root / SENT_LOG


def existing_log(workspace: Workspace) -> contextlib.AbstractContextManager[SentLog | None]:
    """The log for reading, closed after the `with` block; None when nothing was ever sent."""
    return SentLog.existing(sent_log_path(workspace)) or contextlib.nullcontext()


class SentLog:
    """The sent log of a workspace, opened for reading or, by one `send` at a time, for writing."""

    def __init__(self, path: Path, *, write: bool = False):
        self.path = path
        self._lock: int | None = None
        self.db: sqlite3.Connection | None = None
        check_log_files(path)
        if write:
            self._lock = take_lock(path)
        try:
            with sqlite_errors(path):
                # a worker thread opens its own connection; the thread that started the work closes it
                self.db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT,
                                          check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
                self.db.execute("PRAGMA foreign_keys=ON")
                _refuse_foreign(self.db, path)
                _migrate(self.db, path)
        except BaseException:
            self.close()
            raise

    @classmethod
    def existing(cls, path: Path) -> SentLog | None:
        """The log for reading, or None when nothing was ever sent from this workspace."""
        return cls(path) if path.exists() or path.is_symlink() else None

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> SentLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def begin(self, message: Outgoing, at: str) -> int:
        """Log a message as `sending` before any byte of it reaches the server. Not synced to disk:
        until `committing` (which is) nothing can have been delivered, so a power cut that loses
        this row loses no delivery."""
        with self._transaction(durable=False):
            cursor = self._db.execute(
                "INSERT INTO messages (campaign, letter, recipient, address, cc, envelope, subject,"
                " message_id, input_hash, attachments, state, started_at, dot_sent, test_to, corrects)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, 0, ?, ?)",
                (message.campaign, message.letter, message.recipient, message.address, json.dumps(message.cc),
                 json.dumps(message.envelope), message.subject, message.message_id, message.input_hash,
                 json.dumps(message.attachments, sort_keys=True), at, message.test_to, message.corrects))
            row = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO citations (message, fact, value, qualifier, as_of) VALUES (?, ?, ?, ?, ?)",
                [(row, f.fact, f.value, f.qualifier, f.as_of) for f in message.facts])
            self._db.executemany("UPDATE messages SET resolved_by = ? WHERE id = ? AND state = 'sending'",
                                 [(row, old) for old in message.resolves])
        return row

    def committing(self, row: int) -> None:
        """Record, synced to disk, that the final dot goes out now: from here on the server may hold
        the message, and a process killed before the answer leaves it in doubt."""
        with self._transaction(durable=True):
            self._db.execute("UPDATE messages SET dot_sent = 1 WHERE id = ?", (row,))

    def finish(self, row: int, state: str, response: str, attempts: int, at: str,
               envelope: tuple[str, ...] | None = None, outcome: str = "") -> None:
        """Complete a row with the server's answer: `sent`, `failed`, or still `sending` when unknown."""
        assert state in STATES
        with self._transaction(durable=False):
            self._db.execute(
                "UPDATE messages SET state = ?, smtp_response = ?, attempts = ?, finished_at = ?,"
                " envelope = COALESCE(?, envelope), outcome = ? WHERE id = ?",
                (state, response, attempts, at, json.dumps(envelope) if envelope is not None else None,
                 outcome, row))

    def add_reply(self, campaign: str, letter: str, received_on: str, file: str, sha256: str, note: str,
                  at: str) -> int:
        with self._transaction(durable=True):
            cursor = self._db.execute(
                "INSERT INTO replies (campaign, letter, received_on, file, sha256, note, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (campaign, letter, received_on, file, sha256, note, at))
        return int(cursor.lastrowid or 0)

    def replies(self, campaign: str | None = None) -> list[Reply]:
        with sqlite_errors(self.path):
            found = self._db.execute(
                "SELECT id, campaign, letter, received_on, file, sha256, note, recorded_at FROM replies"
                + (" WHERE campaign = ?" if campaign else "") + " ORDER BY received_on, id",
                (campaign,) if campaign else ()).fetchall()
        return [Reply(*values) for values in found]

    def restore(self, messages: list[SentRow], replies: list[Reply]) -> None:
        """Fill an empty log with the rows of an export, ids kept (`resolved_by`, `corrects` name them)."""
        with self._transaction(durable=True):
            if self._db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]:
                raise SentLogError.at(self.path.name, None, "the sent log is not empty",
                                      "restore into a workspace without sent.sqlite")
            for row in messages:
                data = {name: getattr(row, name) for name in _COLUMNS}
                for key in _JSON_COLUMNS:
                    data[key] = json.dumps(list(data[key]), sort_keys=key == "attachments")
                data["resolved_by"] = data["corrects"] = None  # set once every row exists
                self._db.execute(f"INSERT INTO messages ({', '.join(data)}) VALUES "
                                 f"({', '.join('?' * len(data))})", tuple(data.values()))
                self._db.executemany(
                    "INSERT INTO citations (message, fact, value, qualifier, as_of) VALUES (?, ?, ?, ?, ?)",
                    [(row.id, f.fact, f.value, f.qualifier, f.as_of) for f in row.facts])
            self._db.executemany("UPDATE messages SET resolved_by = ?, corrects = ? WHERE id = ?",
                                 [(r.resolved_by, r.corrects, r.id) for r in messages])
            self._db.executemany(
                "INSERT INTO replies (id, campaign, letter, received_on, file, sha256, note, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [dataclasses.astuple(r) for r in replies])

    @property
    def _db(self) -> sqlite3.Connection:
        assert self.db is not None, "the sent log is closed"
        return self.db

    def rows(self, campaign: str | None = None, letter: str | None = None, since: datetime.date | None = None,
             fact: str | None = None, states: tuple[str, ...] = STATES) -> list[SentRow]:
        """Rows in the order they were logged, with their cited facts."""
        where, args = [f"state IN ({', '.join('?' * len(states))})"], list(states)
        for column, value in (("campaign", campaign), ("letter", letter)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if since is not None:
            where.append("started_at >= ?")
            args.append(since.isoformat())
        if fact is not None:
            where.append("id IN (SELECT message FROM citations WHERE fact = ?)")
            args.append(fact)
        names = ", ".join(_COLUMNS)
        query = f"SELECT {names} FROM messages WHERE {' AND '.join(where)} ORDER BY id"
        with sqlite_errors(self.path):
            found = self._db.execute(query, args).fetchall()
            cited: dict[int, list[CitedFact]] = {}
            for message, *rest in self._db.execute(
                    "SELECT message, fact, value, qualifier, as_of FROM citations ORDER BY message, rowid"):
                cited.setdefault(message, []).append(CitedFact(*(str(v) for v in rest)))
        return [_row(self.path, dict(zip(_COLUMNS, values, strict=True)), cited.get(values[0], []))
                for values in found]

    def integrity(self) -> str:
        with sqlite_errors(self.path):
            return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    @contextlib.contextmanager
    def _transaction(self, durable: bool = True):
        """A transaction; `durable=False` skips the fsync: WAL keeps the commit through a killed
        process, and only a power cut can undo it, which leaves a completed row in doubt, never
        loses a delivery. Rows written before a message goes out are always made durable."""
        with sqlite_errors(self.path):
            self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


_COLUMNS = tuple(f.name for f in dataclasses.fields(SentRow) if f.name != "facts")


def _row(path: Path, data: dict[str, Any], facts: list[CitedFact]) -> SentRow:
    """A row as a record; a value no appealkit wrote is one line naming the row."""
    for key in _JSON_COLUMNS:
        try:
            value = json.loads(data[key])
            if not isinstance(value, list):
                raise TypeError
        except (TypeError, ValueError):
            raise SentLogError.at(path.name, None, f"message row {data['id']} is damaged: its '{key}' is not "
                                  "the list appealkit wrote", RESTORE_HINT) from None
        data[key] = tuple(value)
    return SentRow(**data, facts=tuple(facts))


def _refuse_foreign(db: sqlite3.Connection, path: Path) -> None:
    """A SQLite file that is some other program's database is refused by name, never migrated."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SentLogError.at(path.name, None, f"the sent log has schema version {version}, newer than "
                              f"this appealkit knows ({SCHEMA_VERSION})", "upgrade appealkit")
    application = db.execute("PRAGMA application_id").fetchone()[0]
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = application not in (0, APPLICATION_ID) or (version == 0 and tables)
    if not foreign and version >= 1:
        columns = {row[1] for row in db.execute("PRAGMA table_info(messages)")}
        foreign = not {"id", "campaign", "letter", "state", "message_id"} <= columns
    if foreign:
        shown = ", ".join(sorted(tables)[:5]) or "no tables"
        raise SentLogError.at(path.name, None, f"not an appealkit sent log (another program's database: "
                              f"{shown})", f"move it away; appealkit keeps its log in {SENT_LOG}")


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SentLogError.at(path.name, None, f"the sent log has schema version {version}, newer than "
                              f"this appealkit knows ({SCHEMA_VERSION})", "upgrade appealkit")
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == number:  # another process may have done it
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
