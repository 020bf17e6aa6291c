"""A `send` killed with SIGKILL at random moments: the log stays consistent with what the server got."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from helpers import REPO
from scripted_smtp import STALL, Script, scripted
from send_helpers import approved, send_now, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.send.sent_log import SentLog

LETTERS = 50
ROUNDS = 4
CONNECTIONS = 2


def _send_and_kill(root, port, pause: float) -> list[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "appealkit", "--root", str(root), "send", "test", "--attach", "docx",
         "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none",
         "--connections", str(CONNECTIONS)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    assert proc.stdout is not None
    while True:  # wait until it is sending for real, then let it run a random while longer
        line = proc.stdout.readline()
        lines.append(line)
        if not line or line.startswith("sent "):
            break
    time.sleep(pause)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    return lines


def _consistent(root, mailbox) -> list:
    """Every message the server holds has a row; a row marked sent was received; returns the rows in doubt."""
    with SentLog(root / "sent.sqlite") as log:
        assert log.integrity() == "ok"
        rows = log.rows()
    received = mailbox.message_ids()
    assert len(received) == len(set(received))
    logged = {row.message_id: row for row in rows}
    assert set(received) <= set(logged), "a delivered message has no row in the sent log"
    for row in rows:
        if row.state == "sent":
            assert row.message_id in received
        else:
            assert row.state == "sending", row
    return [row for row in rows if row.in_doubt]


@pytest.mark.slow
def test_a_send_killed_at_random_moments_leaves_a_log_consistent_with_the_server(tmp_path):
    root = send_workspace(tmp_path, LETTERS)
    approved(root, formats=("docx",))
    chance = random.Random(16)
    mailbox = Mailbox(delay=0.05)  # most of each message's time is in flight: kills land there too
    doubtful = []
    with smtp_server(mailbox) as port:
        for _ in range(ROUNDS):
            _send_and_kill(root, port, chance.uniform(0.0, 0.25))
            doubtful = _consistent(root, mailbox)
            assert len(doubtful) <= ROUNDS * CONNECTIONS  # at most the messages in flight at each kill
        before = len(mailbox.received)
        assert 0 < before < LETTERS
        rest = send_now(root, port, formats=("docx",))
        statuses = {o.letter: o.status for o in rest.outcomes}
        assert {o.letter for o in rest.outcomes if o.status == "in doubt"} == {r.letter for r in doubtful}
        assert set(statuses.values()) <= {"sent", "skipped", "in doubt"}
        assert _consistent(root, mailbox) == doubtful
        again = send_now(root, port, formats=("docx",), resend_in_doubt=True)
        assert {o.letter for o in again.outcomes if o.status == "sent"} == {r.letter for r in doubtful}
        assert _consistent(root, mailbox) == []
    delivered: dict[str, int] = {}
    for _, rcpts, _ in mailbox.received:
        for address in rcpts:
            delivered[address] = delivered.get(address, 0) + 1
    assert len(delivered) == LETTERS
    in_doubt_addresses = {r.address for r in doubtful}
    assert all(n == 1 for a, n in delivered.items() if a not in in_doubt_addresses)


def _send_process(root, port):
    return subprocess.Popen(
        [sys.executable, "-m", "appealkit", "--root", str(root), "send", "test", "--smtp-host", "127.0.0.1",
         "--smtp-port", str(port), "--smtp-security", "none", "--message-deadline", "100",
         "--relay-deadline", "100"],
        cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)


#: The state the server stalls in → what the log may say of the message once the sender is killed there.
KILLED_IN = {
    "banner": (),  # still connecting: nothing was logged
    "mail": ("interrupted",),
    "rcpt": ("interrupted",),
    "data": ("interrupted",),
    "body": ("interrupted", "in doubt"),  # the body and dot may sit in the socket's buffers already
    "dot": ("in doubt",),  # the server holds the whole message; its answer never came
}


@pytest.mark.parametrize("state", list(KILLED_IN))
def test_a_send_killed_in_each_transaction_state_delivers_at_most_once(tmp_path, state):
    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    script = Script(**{state: STALL})
    with scripted(script) as server:
        proc = _send_process(root, server.port)
        try:
            assert server.wait_for(state, 120), f"the sender never reached {state}"
            time.sleep(0.3)  # let it settle into waiting for the answer
        finally:
            proc.kill()
            proc.wait(timeout=30)
    with SentLog(root / "sent.sqlite") as log:
        shown = [row.shown_state for row in log.rows()]
    if KILLED_IN[state]:
        assert len(shown) == 1 and shown[0] in KILLED_IN[state], shown
    else:
        assert shown == []
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        again = send_now(root, port, formats=("pdf",))
    expected = "in doubt" if shown == ["in doubt"] else "sent"
    assert [o.status for o in again.outcomes] == [expected]
    assert len(script.received) + len(mailbox.received) <= 1
    assert len(mailbox.received) == (expected == "sent")


def test_two_sends_at_once_the_second_is_refused_and_names_the_first(tmp_path):
    from click.testing import CliRunner

    from appealkit.cli import cli

    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    with scripted(Script(mail=STALL)) as server:
        proc = _send_process(root, server.port)
        try:
            assert server.wait_for("mail", 120)
            second = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-host", "127.0.0.1",
                                              "--smtp-port", str(server.port), "--smtp-security", "none"])
        finally:
            proc.kill()
            proc.wait(timeout=30)
    assert (second.exit_code, second.output) == (1, "sent.sqlite: error: another 'appealkit send' is running in "
                                                    f"this workspace (process {proc.pid}) (wait for it to "
                                                    "finish)\n")
