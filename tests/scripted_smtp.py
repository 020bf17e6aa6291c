"""A small SMTP server on 127.0.0.1 that misbehaves on cue: garbage, silence, floods, hang-ups.

aiosmtpd answers like a good server; this one answers each state of the transaction the way a
test scripts it, so the client's handling of every bad answer is tried on a real socket.
A reply is bytes to send, `STALL` (say nothing until the test ends), `CLOSE` (hang up) or
`FLOOD` (an endless reply: multi-line for the banner and EHLO, one endless line otherwise).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

STALL, CLOSE, FLOOD = "stall", "close", "flood"
#: The longest a scripted wait lasts: every test ends well before; nothing hangs for ever.
MAX_WAIT = 120.0


@dataclass
class Script:
    banner: bytes | str = b"220 scripted ESMTP\r\n"
    ehlo: bytes | str = b"250-scripted\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
    mail: bytes | str = b"250 2.1.0 OK\r\n"
    rcpt: bytes | str = b"250 2.1.5 OK\r\n"
    data: bytes | str = b"354 go ahead\r\n"
    #: during the body: STALL stops reading it
    body: bytes | str = b""
    #: the answer to the final dot
    dot: bytes | str = b"250 2.0.0 queued\r\n"
    #: the states reached, in order, across connections ("banner", "mail" …); set as each is entered
    reached: list[str] = field(default_factory=list)
    #: each message received whole (up to and without its final dot)
    received: list[bytes] = field(default_factory=list)
    connections: int = 0
    #: the `dot` answers for the next messages, before `dot` itself
    dots: list[bytes | str] = field(default_factory=list)


class ScriptedServer:
    def __init__(self, script: Script):
        self.script = script
        self.release = threading.Event()
        self.entered = threading.Condition()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)  # accept() wakes up to see `release`: closing it from here does not
        self.port = self.sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def wait_for(self, state: str, timeout: float = 60.0) -> bool:
        """Until the client got as far as `state`; False after `timeout` seconds."""
        with self.entered:
            return self.entered.wait_for(lambda: state in self.script.reached, timeout)

    def stop(self) -> None:
        self.release.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        for thread in [self._accept, *self._threads]:
            thread.join(timeout=10)

    def _serve(self) -> None:
        while not self.release.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            self.script.connections += 1
            thread = threading.Thread(target=self._talk, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _enter(self, state: str) -> None:
        with self.entered:
            self.script.reached.append(state)
            self.entered.notify_all()

    def _say(self, conn: socket.socket, reply: bytes | str, flood_line: bytes) -> bool:
        """Send `reply`; False when the connection is to end (closed, stalled, flooded)."""
        if reply == STALL:
            self.release.wait(MAX_WAIT)
            return False
        if reply == CLOSE:
            return False
        if reply == FLOOD:
            chunk = flood_line * 4096
            with contextlib.suppress(OSError):
                while not self.release.is_set():
                    conn.sendall(chunk)
            return False
        if reply:
            conn.sendall(reply if isinstance(reply, bytes) else reply.encode())
        return True

    def _talk(self, conn: socket.socket) -> None:
        s = self.script
        reader = conn.makefile("rb")
        try:
            conn.settimeout(MAX_WAIT)
            self._enter("banner")
            if not self._say(conn, s.banner, b"220-flooding banner line\r\n"):
                return
            while True:
                line = reader.readline(100_000)
                if not line:
                    return
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    self._enter("ehlo")
                    if not self._say(conn, s.ehlo, b"250-flooding extension line\r\n"):
                        return
                elif verb == b"MAIL":
                    self._enter("mail")
                    if not self._say(conn, s.mail, b"x"):
                        return
                elif verb == b"RCPT":
                    self._enter("rcpt")
                    if not self._say(conn, s.rcpt, b"x"):
                        return
                elif verb == b"DATA":
                    self._enter("data")
                    if not self._say(conn, s.data, b"x"):
                        return
                    self._enter("body")
                    if s.body == STALL:
                        self._say(conn, STALL, b"")
                        return
                    body = []
                    while (part := reader.readline(1_000_000)) not in (b".\r\n", b""):
                        body.append(part[1:] if part.startswith(b"..") else part)
                    if not part:
                        return
                    s.received.append(b"".join(body))
                    self._enter("dot")
                    if not self._say(conn, s.dots.pop(0) if s.dots else s.dot, b"x"):
                        return
                elif verb == b"RSET" or verb == b"NOOP":
                    conn.sendall(b"250 OK\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"502 not implemented\r\n")
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                reader.close()
                conn.close()


@contextlib.contextmanager
def scripted(script: Script):
    """The server for the `with` block; yields it (its `port`, `wait_for`)."""
    server = ScriptedServer(script)
    try:
        yield server
    finally:
        server.stop()
