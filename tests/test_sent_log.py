"""The sent log: schema versions, rows written before and after, one writer at a time."""

from __future__ import annotations

import os
import sqlite3

import pytest

from appealkit.send.sent_log import SCHEMA_VERSION, CitedFact, Outgoing, SentLog, SentLogError


def outgoing(letter="appeal--minister", message_id="<1@example.org>", resolves=()):
    return Outgoing("test", letter, "minister", "minister@example.org", (), ("minister@example.org",),
                    "Appeal", message_id, "ab" * 32, ({"file": "a.pdf", "format": "pdf", "sha256": "cd" * 32,
                                                       "bytes": 10},),
                    (CitedFact("political_prisoners", "400", "about", "2025-10-25"),), resolves)


def test_a_new_log_gets_the_current_schema_in_wal_mode(tmp_path):
    with SentLog(tmp_path / "sent.sqlite") as log:
        assert log.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert log.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert log.integrity() == "ok"


def test_a_row_is_sending_until_finished(tmp_path):
    with SentLog(tmp_path / "sent.sqlite", write=True) as log:
        row = log.begin(outgoing(), "2025-10-27T09:00:00Z")
        (logged,) = log.rows()
        assert (logged.state, logged.interrupted, logged.in_doubt, logged.finished_at) == (
            "sending", True, False, None)
        log.committing(row)
        (logged,) = log.rows()
        assert (logged.state, logged.interrupted, logged.in_doubt, logged.shown_state) == (
            "sending", False, True, "in doubt")
        assert logged.facts == (CitedFact("political_prisoners", "400", "about", "2025-10-25"),)
        log.finish(row, "sent", "250 OK", 1, "2025-10-27T09:00:01Z")
        (done,) = log.rows()
        assert (done.state, done.in_doubt, done.smtp_response, done.finished_at) == (
            "sent", False, "250 OK", "2025-10-27T09:00:01Z")


def test_a_resent_message_resolves_the_row_left_in_doubt(tmp_path):
    with SentLog(tmp_path / "sent.sqlite", write=True) as log:
        first = log.begin(outgoing(), "2025-10-27T09:00:00Z")
        second = log.begin(outgoing(message_id="<2@example.org>", resolves=(first,)), "2025-10-28T09:00:00Z")
        log.finish(second, "sent", "250 OK", 1, "2025-10-28T09:00:01Z")
        rows = log.rows()
    assert [(r.state, r.in_doubt, r.resolved_by) for r in rows] == [("sending", False, second),
                                                                   ("sent", False, None)]


def test_one_sender_at_a_time(tmp_path):
    with SentLog(tmp_path / "sent.sqlite", write=True), pytest.raises(SentLogError) as caught:
        SentLog(tmp_path / "sent.sqlite", write=True)
    assert caught.value.message == ("sent.sqlite: error: another 'appealkit send' is running in this "
                                    f"workspace (process {os.getpid()}) (wait for it to finish)")


def test_a_log_from_a_newer_appealkit_is_not_touched(tmp_path):
    path = tmp_path / "sent.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SentLogError) as caught:
        SentLog(path)
    assert caught.value.message == (f"sent.sqlite: error: the sent log has schema version {SCHEMA_VERSION + 1}, "
                                    f"newer than this appealkit knows ({SCHEMA_VERSION}) (upgrade appealkit)")


def test_a_message_id_is_logged_once(tmp_path):
    with SentLog(tmp_path / "sent.sqlite", write=True) as log:
        log.begin(outgoing(), "2025-10-27T09:00:00Z")
        with pytest.raises(SentLogError) as caught:
            log.begin(outgoing(), "2025-10-27T09:00:00Z")
        assert "UNIQUE constraint failed: messages.message_id" in caught.value.message
        assert len(log.rows()) == 1
