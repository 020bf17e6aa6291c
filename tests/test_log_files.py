"""The sent log and its neighbours refused when they are links or odd files; every SQLite error one line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from send_helpers import approved, send_now, send_workspace
from smtp_server import Mailbox, smtp_server
from test_sent_log import outgoing

from appealkit.cli import cli
from appealkit.send.sent_log import SentLog, SentLogError

RESTORE = ("move it aside and restore it with appealkit sent --restore FILE from the latest appealkit sent "
           "--export jsonl, or from a backup; never delete it")


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def sent(tmp_path):
    root = send_workspace(tmp_path / "ws", 2)
    approved(root, formats=("pdf",))
    with smtp_server(Mailbox()) as port:
        assert send_now(root, port).count("sent") == 2
    return root


def test_a_log_that_is_a_link_is_refused(sent, tmp_path):
    outside = tmp_path / "elsewhere.sqlite"
    (sent / "sent.sqlite").rename(outside)
    (sent / "sent.sqlite").symlink_to(outside)
    for args in (("status", "test"), ("sent",), ("send", "test", "--dry-run")):
        result = run(sent, *args)
        assert (result.exit_code, result.output) == (1, "sent.sqlite: error: the sent log is a symbolic link "
                                                        "(replace the link with the file itself; appealkit "
                                                        "never writes through links)\n"), args


def test_a_log_that_is_a_named_pipe_is_refused_without_blocking(tmp_path):
    root = send_workspace(tmp_path, 1)
    os.mkfifo(root / "sent.sqlite")
    result = run(root, "sent")
    assert (result.exit_code, result.output) == (1, "sent.sqlite: error: the sent log is not a regular file "
                                                    "(move it away; appealkit keeps a plain file here)\n")


@pytest.mark.parametrize("name", ["sent.sqlite-wal", ".sent.sqlite.lock"])
def test_a_link_beside_the_log_is_refused(sent, tmp_path, name):
    target = tmp_path / "target"
    target.write_bytes(b"")
    (sent / name).unlink(missing_ok=True)
    (sent / name).symlink_to(target)
    with pytest.raises(SentLogError) as caught:
        SentLog(sent / "sent.sqlite", write=True)
    assert "is a symbolic link" in caught.value.message and caught.value.message.startswith(name)
    assert target.read_bytes() == b""


def test_an_outbox_that_is_a_link_is_refused(tmp_path):
    root = send_workspace(tmp_path / "ws", 1)
    approved(root, formats=("pdf",))
    (tmp_path / "elsewhere").mkdir()
    (root / "build" / "test" / "outbox").symlink_to(tmp_path / "elsewhere")
    result = run(root, "send", "test", "--dry-run")
    assert (result.exit_code, result.output) == (1, "outbox/: error: the outbox is a symbolic link (replace the "
                                                    "link with a folder; appealkit never writes through links)\n")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_approvals_that_are_a_link_are_refused(tmp_path):
    root = send_workspace(tmp_path / "ws", 1)
    approved(root, formats=("pdf",))
    outside = tmp_path / "approvals.yaml"
    (root / "approvals" / "test.yaml").rename(outside)
    (root / "approvals" / "test.yaml").symlink_to(outside)
    result = run(root, "status", "test")
    assert (result.exit_code, result.output) == (1, "approvals/test.yaml: error: the approvals file is a symbolic "
                                                    "link (replace the link with the file itself; appealkit never "
                                                    "writes through links)\n")


def test_a_log_locked_by_another_program_names_it_after_a_bounded_wait(sent):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         f"db = sqlite3.connect({str(sent / 'sent.sqlite')!r}, isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with SentLog(sent / "sent.sqlite", write=True) as log, pytest.raises(SentLogError) as caught:
            log.begin(outgoing(message_id="<new@example.org>"), "2025-10-28T09:00:00Z")
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert caught.value.message.startswith("sent.sqlite: error: the sent log is locked by another program: python")
    assert caught.value.message.endswith(f"(process {holder.pid}) (close the program that has it open, or wait "
                                         "for it, then try again)")


def test_a_log_that_is_not_a_database_is_damaged_and_the_hint_says_how_to_restore(tmp_path):
    root = send_workspace(tmp_path, 1)
    (root / "sent.sqlite").write_bytes(b"this is not SQLite at all" * 100)
    result = run(root, "sent")
    assert (result.exit_code, result.output) == (
        1, f"sent.sqlite: error: the sent log is damaged (file is not a database) ({RESTORE})\n")


def test_a_corrupted_page_is_one_line(sent):
    path = sent / "sent.sqlite"
    with SentLog(path) as log:
        log.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page but the first: the header still says SQLite
        data[offset + 8:offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    result = run(sent, "sent")
    assert result.exit_code == 1
    assert result.output.startswith("sent.sqlite: error: the sent log is damaged (")
    assert result.output.endswith(f"({RESTORE})\n") and len(result.output.splitlines()) == 1


def test_another_programs_database_is_refused_by_name(tmp_path):
    root = send_workspace(tmp_path, 1)
    with sqlite3.connect(root / "sent.sqlite") as db:
        db.execute("CREATE TABLE users (name TEXT)")
    result = run(root, "sent")
    assert (result.exit_code, result.output) == (1, "sent.sqlite: error: not an appealkit sent log (another "
                                                    "program's database: users) (move it away; appealkit keeps "
                                                    "its log in sent.sqlite)\n")


def test_a_row_with_bad_json_is_one_line_naming_the_row(sent):
    with sqlite3.connect(sent / "sent.sqlite") as db:
        db.execute("UPDATE messages SET envelope = '{not json' WHERE id = 2")
    result = run(sent, "status", "test")
    assert (result.exit_code, result.output) == (1, "sent.sqlite: error: message row 2 is damaged: its 'envelope' "
                                                    f"is not the list appealkit wrote ({RESTORE})\n")


def test_the_export_restores_the_whole_log(sent, tmp_path):
    run(sent, "reply", "appeal--minister", "--date", "2025-11-03", "--note", "seen")
    export = run(sent, "sent", "--export", "jsonl").output
    (tmp_path / "sent.jsonl").write_text(export, encoding="utf-8")
    refused = run(sent, "sent", "--restore", str(tmp_path / "sent.jsonl"))
    assert (refused.exit_code, refused.output) == (1, "sent.sqlite: error: the workspace has a sent log already "
                                                      "(move the damaged one aside (keep it), then restore)\n")
    (sent / "sent.sqlite").rename(tmp_path / "damaged.sqlite")
    for leftover in ("sent.sqlite-wal", "sent.sqlite-shm"):
        (sent / leftover).unlink(missing_ok=True)
    restored = run(sent, "sent", "--restore", str(tmp_path / "sent.jsonl"))
    assert restored.exit_code == 0, restored.output
    assert restored.output.startswith("restored 2 message(s) into sent.sqlite from ")
    assert run(sent, "sent", "--export", "jsonl").output == export
    assert [line.split()[0] for line in run(sent, "status", "test").output.splitlines()[:-1]] == ["sent", "sent"]


def test_an_export_that_was_edited_is_refused_with_its_line(tmp_path):
    root = send_workspace(tmp_path / "ws", 1)
    (tmp_path / "bad.jsonl").write_text('{"kind": "message", "id": 1}\n', encoding="utf-8")
    result = run(root, "sent", "--restore", str(tmp_path / "bad.jsonl"))
    assert result.exit_code == 1
    assert result.output.endswith("bad.jsonl:1: error: not a line of appealkit sent --export jsonl (restore from "
                                  "the file the export wrote, unchanged)\n")
    assert not (root / "sent.sqlite").exists()


def test_an_export_that_cannot_be_read_is_refused_alike_from_python_and_the_cli(tmp_path):
    """The export is read in the core (`restore_export`), not by the command: one line either way."""
    import pytest

    from appealkit.errors import UsageError
    from appealkit.send.sent_report import restore_export
    from appealkit.source.workspace import load_workspace

    root = send_workspace(tmp_path / "ws", 1)
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"note": "Düzəliş"}\n'.encode()[:-4] + b"\xff\n")
    with pytest.raises(UsageError) as caught:
        restore_export(load_workspace(root), bad, "latin1.jsonl")
    assert caught.value.message.startswith(f"{bad}: error: cannot read the export (")
    result = run(root, "sent", "--restore", str(bad))
    assert (result.exit_code, result.output) == (2, caught.value.message + "\n")
    assert not (root / "sent.sqlite").exists()
