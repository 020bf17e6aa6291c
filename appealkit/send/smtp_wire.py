"""An SMTP connection that a server cannot hold for ever or flood: every read and write within one
deadline, every reply capped in line length and line count.

smtplib waits `timeout` seconds per socket operation (a server that drips a byte a minute holds
it for ever), reads a reply line of 8 KB and a reply of any number of lines, and turns a line
too long into a fake `500` reply. This subclass keeps smtplib's commands, extensions and AUTH,
and replaces the two places it touches the socket: `getreply` reads from the socket itself,
up to `MAX_LINE` bytes a line and `MAX_LINES` lines, and `send` writes within the deadline.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time

#: A reply line longer than this is refused (RFC 5321 allows 512 octets).
MAX_LINE = 1024
#: A reply of more lines than this is refused (an EHLO lists a dozen).
MAX_LINES = 100
_CHUNK = 4096


class Stalled(TimeoutError):
    """The deadline passed while waiting on the server."""


class BadReply(smtplib.SMTPException):
    """The server said something that is not an SMTP reply, or too much of one."""


class Wire(smtplib.SMTP):
    """smtplib's client with a deadline (`time.monotonic()` seconds) over every wait on the server."""

    def __init__(self, local_hostname: str | None = None, context: ssl.SSLContext | None = None,
                 implicit_tls: bool = False):
        self.deadline = time.monotonic() + 60.0
        self._context = context
        self._implicit_tls = implicit_tls
        self._buffer = bytearray()
        self._buffered_from: object = None
        super().__init__(local_hostname=local_hostname)

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Stalled("the deadline passed")
        return left

    def _get_socket(self, host, port, timeout):
        sock = socket.create_connection((host, port), self.remaining(), self.source_address)
        # each command and the final dot go out at once: with Nagle's algorithm a short write after
        # the body waits for the server's delayed acknowledgement, tens of milliseconds a message
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._implicit_tls:
            assert self._context is not None
            sock.settimeout(self.remaining())
            sock = self._context.wrap_socket(sock, server_hostname=host)
        return sock

    def send(self, s) -> None:
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        data = s.encode(self.command_encoding) if isinstance(s, str) else s
        try:
            self.sock.settimeout(self.remaining())
            self.sock.sendall(data)
        except TimeoutError:
            self.close()
            raise Stalled("the server took no more data before the deadline") from None
        except OSError:
            self.close()
            raise smtplib.SMTPServerDisconnected("server connection lost while sending") from None

    def getreply(self) -> tuple[int, bytes]:
        """One reply: its code and text lines joined by newlines, or `BadReply`, `Stalled`, or
        `SMTPServerDisconnected`."""
        texts, code = [], b""
        while True:
            line = self._line()
            head, more, text = line[:3], line[3:4], line[4:]
            valid = len(line) >= 3 and head.isdigit() and more in (b"", b" ", b"-")
            if not valid or code not in (b"", head):
                self.close()
                raise BadReply(f"not an SMTP reply: {_shown(line)}")
            code = head
            texts.append(text.strip())
            if more != b"-":
                break
            if len(texts) >= MAX_LINES:
                self.close()
                raise BadReply(f"a reply of more than {MAX_LINES} lines")
        return int(code), b"\n".join(texts)

    def _line(self) -> bytes:
        if self._buffered_from is not self.sock:  # a new socket (STARTTLS): nothing said before it counts
            self._buffer.clear()
            self._buffered_from = self.sock
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end]).rstrip(b"\r")
                del self._buffer[:end + 1]
                if len(line) > MAX_LINE:
                    break
                return line
            if len(self._buffer) > MAX_LINE:
                break
            if self.sock is None:
                raise smtplib.SMTPServerDisconnected("connection closed")
            try:
                self.sock.settimeout(self.remaining())
                chunk = self.sock.recv(_CHUNK)
            except TimeoutError:
                self.close()
                raise Stalled("the server did not answer before the deadline") from None
            except OSError as exc:
                self.close()
                raise smtplib.SMTPServerDisconnected(f"connection lost: {exc}") from None
            if not chunk:
                self.close()
                raise smtplib.SMTPServerDisconnected("the server closed the connection")
            self._buffer += chunk
        self.close()
        raise BadReply(f"a reply line longer than {MAX_LINE} bytes")

    def close(self) -> None:
        self._buffer.clear()
        super().close()


def _shown(line: bytes) -> str:
    text = line[:60].decode("utf-8", "replace")
    return repr(text + ("…" if len(line) > 60 else ""))
