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
import datetime
import fcntl
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appealkit.errors import AppealkitError
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
)
SCHEMA_VERSION = len(MIGRATIONS)


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
    #: rows left in doubt that this message sends again (`--resend-in-doubt`)
    resolves: tuple[int, ...] = ()


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
    facts: tuple[CitedFact, ...] = field(default=())

    @property
    def in_doubt(self) -> bool:
        """Logged as going out, never completed, not sent again since: the server may or may not have it."""
        return self.state == "sending" and self.resolved_by is None

    @property
    def shown_state(self) -> str:
        """The state `sent` reports: `in doubt` for a row left sending, else the logged one."""
        return "in doubt" if self.in_doubt else self.state


def sent_log_path(workspace: Workspace) -> Path:
    return workspace.root / SENT_LOG


def existing_log(workspace: Workspace) -> contextlib.AbstractContextManager[SentLog | None]:
    """The log for reading, closed after the `with` block; None when nothing was ever sent."""
    return SentLog.existing(sent_log_path(workspace)) or contextlib.nullcontext()


class SentLogError(AppealkitError):
    """The sent log cannot be opened or is in use."""


class SentLog:
    """The sent log of a workspace, opened for reading or, by one `send` at a time, for writing."""

    def __init__(self, path: Path, *, write: bool = False):
        self.path = path
        self._lock: int | None = None
        if write:
            self._lock = _exclusive(path)
        try:
            # a worker thread opens its own connection; the thread that started the work closes it
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            _migrate(self.db, path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise SentLogError.at(path.name, None, f"the sent log cannot be opened: {exc}",
                                  "restore it from a backup; never delete it") from None

    @classmethod
    def existing(cls, path: Path) -> SentLog | None:
        """The log for reading, or None when nothing was ever sent from this workspace."""
        return cls(path) if path.is_file() else None

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None  # type: ignore[assignment]
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> SentLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def begin(self, message: Outgoing, at: str) -> int:
        """Log a message as `sending` and commit, before any byte of it reaches the server."""
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO messages (campaign, letter, recipient, address, cc, envelope, subject,"
                " message_id, input_hash, attachments, state, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?)",
                (message.campaign, message.letter, message.recipient, message.address, json.dumps(message.cc),
                 json.dumps(message.envelope), message.subject, message.message_id, message.input_hash,
                 json.dumps(message.attachments, sort_keys=True), at))
            row = int(cursor.lastrowid or 0)
            self.db.executemany(
                "INSERT INTO citations (message, fact, value, qualifier, as_of) VALUES (?, ?, ?, ?, ?)",
                [(row, f.fact, f.value, f.qualifier, f.as_of) for f in message.facts])
            self.db.executemany("UPDATE messages SET resolved_by = ? WHERE id = ? AND state = 'sending'",
                                [(row, old) for old in message.resolves])
        return row

    def finish(self, row: int, state: str, response: str, attempts: int, at: str,
               envelope: tuple[str, ...] | None = None) -> None:
        """Complete a row with the server's answer: `sent`, `failed`, or still `sending` when unknown."""
        assert state in STATES
        with self._transaction(durable=False):
            self.db.execute(
                "UPDATE messages SET state = ?, smtp_response = ?, attempts = ?, finished_at = ?,"
                " envelope = COALESCE(?, envelope) WHERE id = ?",
                (state, response, attempts, at, json.dumps(envelope) if envelope is not None else None, row))

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
        query = f"SELECT * FROM messages WHERE {' AND '.join(where)} ORDER BY id"
        found = self.db.execute(query, args).fetchall()
        names = [d[0] for d in self.db.execute("SELECT * FROM messages LIMIT 0").description]
        cited: dict[int, list[CitedFact]] = {}
        for message, *rest in self.db.execute(
                "SELECT message, fact, value, qualifier, as_of FROM citations ORDER BY message, rowid"):
            cited.setdefault(message, []).append(CitedFact(*rest))
        return [_row(dict(zip(names, values, strict=True)), cited.get(values[0], [])) for values in found]

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    @contextlib.contextmanager
    def _transaction(self, durable: bool = True):
        """A transaction; `durable=False` skips the fsync: WAL keeps the commit through a killed
        process, and only a power cut can undo it, which leaves a completed row in doubt, never
        loses a delivery. Rows written before a message goes out are always made durable."""
        self.db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def _row(data: dict[str, Any], facts: list[CitedFact]) -> SentRow:
    for key in ("cc", "envelope", "attachments"):
        data[key] = tuple(json.loads(data[key]))
    return SentRow(**data, facts=tuple(facts))


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
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _exclusive(path: Path) -> int:
    """One sender per workspace, so `sending` rows of a live process are never taken for in doubt."""
    handle = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise SentLogError.at(path.name, None, "another 'appealkit send' is running in this workspace",
                              "wait for it to finish") from None
    return handle
