"""Send benchmark: 300 approved letters to a local SMTP server, against a bare smtplib loop.

The server (aiosmtpd's Sink, in its own process on 127.0.0.1) is the same for every run.
`appealkit send` does per message what the bare loop does not: reads and hashes the
attachment, renders the cover text, composes the MIME message, and commits the sent-log
row twice (before the SMTP transaction with fsync, after it without). The bare loop sends
the very same bytes (the dry run's .eml files) over one connection with `sendmail`, before,
between and after the appealkit runs (with 1 and with 4 connections); its best run counts.

Then the same batch against a relay that greets, answers EHLO and then never answers MAIL FROM:
the time it costs the whole batch (one message deadline when the stalled relay is given up for
the run, instead of a timeout and every retry for each letter in turn).

Run: .venv/bin/python benchmarks/send.py [--letters 300] [--attach docx] [--stall-deadline 10]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from appealkit.batch.build import build
from appealkit.send.approvals import approve
from appealkit.send.clock import Clock
from appealkit.send.sending import send
from appealkit.send.sent_log import SentLog
from appealkit.send.smtp import SmtpSettings, SmtpTransport
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent

RECIPIENT = """\
office: Minister for Foreign Affairs
holder:
  name: Minister Number {n}
term:
  from: 2025-01-01
salutation: Dear Minister,
address: [Ministry of Foreign Affairs, Capital {n}]
language: en
email: minister-{n}@example.org
"""

CAMPAIGN = """\
id: bench
title: Send benchmark
date: 2025-10-25
place: Bonn
organisation: asimkom
sender_email: appeals@example.org
subject: Appeal on political prisoners in Azerbaijan
letters:
  - template: appeal-ec-president.md
    recipients: [group:everyone]
"""


def workspace(root: Path, letters: int) -> Path:
    for folder in ("facts", "people", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "recipients").mkdir()
    (root / "campaigns").mkdir()
    ids = [f"r{n:03d}" for n in range(letters)]
    for rid in ids:
        (root / "recipients" / f"{rid}.yaml").write_text(RECIPIENT.format(n=rid), encoding="utf-8")
    (root / "recipients" / "groups.yaml").write_text(f"everyone: [{', '.join(ids)}]\n", encoding="utf-8")
    (root / "campaigns" / "bench.yaml").write_text(CAMPAIGN, encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the local SMTP server did not start")


def stalled_relay() -> tuple[socket.socket, int]:
    """A relay on 127.0.0.1 that greets and answers EHLO, then stalls after MAIL FROM."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)

    def talk(conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 stalled relay\r\n")
        while line := reader.readline():
            verb = line[:4].upper()
            if verb == b"MAIL":
                time.sleep(3600)
            conn.sendall(b"221 bye\r\n" if verb == b"QUIT" else b"250 OK\r\n")

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=talk, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return sock, sock.getsockname()[1]


def bare_loop(port: int, messages: list[tuple[str, str, bytes]], connections: int = 1) -> float:
    """`sendmail` in a loop, the messages shared out over `connections` threads."""

    def one(share: list[tuple[str, str, bytes]]) -> None:
        with smtplib.SMTP("127.0.0.1", port) as conn:
            for sender, to, data in share:
                conn.sendmail(sender, [to], data)

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, [messages[n::connections] for n in range(connections)]))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--attach", choices=("docx", "pdf"), default="docx",
                        help="the format built and attached (PDF builds take much longer)")
    parser.add_argument("--stall-deadline", type=float, default=10.0,
                        help="the message deadline for the run against the stalled relay (seconds)")
    args = parser.parse_args()
    formats = (args.attach,)
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder), args.letters)
        ws = load_workspace(root)
        campaign = load_campaign_file(ws, root / "campaigns" / "bench.yaml")
        started = time.perf_counter()
        result = build(ws, campaign, None, formats)
        assert not result.failed
        print(f"setup: {args.letters} letters built ({args.attach}) in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        approve(ws, campaign, "Benchmark")
        print(f"approve: {time.perf_counter() - started:.2f} s")
        dry = send(ws, campaign, None, formats=formats)
        outbox = dry.outbox
        assert outbox is not None and dry.count("written") == args.letters
        messages = []
        for path in sorted(outbox.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            messages.append(("appeals@example.org", message["To"].addresses[0].addr_spec,
                             message.as_bytes(policy=email.policy.SMTP)))
        size = sum(len(m[2]) for m in messages) / len(messages)
        print(f"messages: {len(messages)}, {size / 1024:.0f} KiB each on average")
        port = free_port()
        server = start_server(port)
        runs = {}
        try:
            bare = {1: [bare_loop(port, messages)], 4: [bare_loop(port, messages, 4)]}
            for connections in (1, 4):
                with SentLog(root / "sent.sqlite") as log:
                    log.db.execute("DELETE FROM citations")
                    log.db.execute("DELETE FROM messages")
                runs[connections] = timed_send(ws, campaign, port, formats, connections)
                for n in (1, 4):
                    bare[n].append(bare_loop(port, messages, n))
        finally:
            server.terminate()
            server.wait()
        with SentLog(root / "sent.sqlite") as log:
            log.db.execute("DELETE FROM citations")
            log.db.execute("DELETE FROM messages")
        relay, stalled_port = stalled_relay()
        settings = SmtpSettings("127.0.0.1", stalled_port, "none", message_deadline=args.stall_deadline)
        started = time.perf_counter()
        stalled = send(ws, campaign, SmtpTransport(settings, Clock()), formats=formats)
        stall_seconds = time.perf_counter() - started
        relay.close()
        for connections, (total, sending) in runs.items():
            times = bare[connections]
            best = min(times)
            tried = ", ".join(f"{b:.2f}" for b in times)
            print(f"{connections} connection(s): bare smtplib {len(messages) / best:4.0f} messages/s "
                  f"(best of {tried} s); appealkit {args.letters / sending:4.0f} messages/s while sending "
                  f"({sending:.2f} s; {total:.2f} s with reading the build, approvals and log) "
                  f"= {best / sending:.0%} of bare")
        counts = {s: stalled.count(s) for s in ("sent", "failed", "in doubt") if stalled.count(s)}
        print(f"stalled relay (silent after MAIL FROM), message deadline {args.stall_deadline:g} s: "
              f"{args.letters} letters settled in {stall_seconds:.1f} s ({counts}); "
              f"{stall_seconds / args.stall_deadline:.2f} deadlines for the whole batch")


def timed_send(ws, campaign, port: int, formats: tuple[str, ...], connections: int) -> tuple[float, float]:
    """Total seconds of `send`, and seconds from its first message to its last."""
    marks: list[float] = []
    started = time.perf_counter()
    result = send(ws, campaign, SmtpTransport(SmtpSettings("127.0.0.1", port, "none"), Clock()),
                  formats=formats, connections=connections,
                  progress=lambda outcome, done, total: marks.append(time.perf_counter()))
    total = time.perf_counter() - started
    assert result.count("sent") == len(campaign.letters), [o for o in result.outcomes if o.status != "sent"]
    with SentLog(ws.root / "sent.sqlite") as log:
        assert log.integrity() == "ok" and len(log.rows(states=("sent",))) == len(campaign.letters)
    # from the first letter done to the last, scaled up by the one interval the first letter's own took
    return total, (marks[-1] - marks[0]) * len(marks) / max(1, len(marks) - 1)


if __name__ == "__main__":
    main()
