"""Deliver a message over SMTP at most once, whatever the server says, within one deadline.

The transaction is spelled out (MAIL, RCPT, DATA, body, final dot, reply) instead of calling
`sendmail`, because what a failure means depends on the state it happened in. Up to the end
of the body nothing was delivered: a temporary refusal, a dropped connection or a garbled
reply may be tried again. Once the final dot is sent the server may hold the message, so
only a clear answer decides (RFC 5321 §4.5.4, §6.1): 2xx is *sent*, 4xx *deferred* (tried
again), 5xx *failed*, and anything else (garbage, a lost connection, silence) is *in doubt*,
never sent again on a guess. Just before the final dot the caller is told (`committing`), so
the sent log knows from then on that the message may have arrived.

Every wait on the relay falls within one deadline per message (every try and pause included)
and one per connection set-up; a relay that lets a deadline pass is marked unreachable for
the rest of the run, so a stalled relay costs a batch one deadline, not one per letter.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from appealkit.errors import AppealkitError, UsageError, option
from appealkit.send.clock import Clock
from appealkit.send.login import smtp_password
from appealkit.send.options import RelayOptions
from appealkit.send.smtp_wire import BadReply, Stalled, Wire
from appealkit.source.settings import MESSAGE_DEADLINE, RELAY_DEADLINE, SETTINGS_FILE, SendSettings

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
#: Seconds to wait before each retry of a temporary failure, cut short by the message's deadline.
BACKOFF = (2.0, 8.0, 30.0, 120.0)
_LEADING_DOT = re.compile(rb"(?m)^\.")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
#: The login's user name when neither the command line nor appealkit.yaml gives one.
USER_ENV = "APPEALKIT_SMTP_USER"
#: The states of one transaction, in order; a failure before "dot" delivered nothing.
STATES = ("connect", "mail", "rcpt", "data", "body", "dot")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int | None = None
    security: str = "none"
    user: str = ""
    password: str = ""
    #: seconds one message may take, every try and wait included
    message_deadline: float = MESSAGE_DEADLINE
    #: seconds to connect, be greeted, say EHLO, start TLS and log in
    relay_deadline: float = RELAY_DEADLINE

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or DEFAULT_PORTS[self.security]}"


def relay_settings(file: SendSettings, options: RelayOptions, environ: Mapping[str, str]) -> SmtpSettings:
    """The relay to send through: each option given wins over the settings file, which wins over the
    built-in defaults; the password from the environment or the keyring (`login.py`), never a file."""
    host = options.host or file.smtp_host
    if not host:
        raise UsageError.at(SETTINGS_FILE, None, "no SMTP relay to send through",
                            "add 'send:' with 'smtp_host: smtp.your-organisation.org' to appealkit.yaml, "
                            f"or pass {option('smtp_host')}")
    security = options.security or file.smtp_security or "starttls"
    port = options.port or file.smtp_port
    user = options.user if options.user is not None else (file.smtp_user or environ.get(USER_ENV, ""))
    if user and security == "none" and host not in LOOPBACK:
        raise UsageError.at(host, None, "refusing to send the SMTP password unencrypted",
                            "choose starttls or ssl security")
    password = smtp_password(host, user, file.password_env, environ) if user else ""
    return SmtpSettings(host, port, security, user, password,
                        options.message_deadline or file.message_deadline,
                        options.relay_deadline or file.relay_deadline)


@dataclass(frozen=True)
class Delivery:
    """How one message fared: `sent`, `deferred`, `failed` or `in doubt`, with the server's last words."""

    state: str
    response: str
    attempts: int
    #: the addresses the server accepted
    accepted: tuple[str, ...] = ()
    #: the relay cannot be reached or stalled: the letters after this one need not try
    unreachable: bool = False
    #: the transaction state the last try ended in (see STATES)
    ended_in: str = "connect"


class SmtpError(AppealkitError):
    """The server cannot be reached or refuses us: nothing more can be sent in this run."""


class RelayStalled(SmtpError):
    """The relay did not get ready within the relay deadline."""


class _Refused(Exception):
    """A clear answer that delivered nothing: temporary (4xx) or not."""

    def __init__(self, said: str, temporary: bool):
        super().__init__(said)
        self.temporary = temporary


class _Broken(Exception):
    """Before the final dot: a lost connection or a reply that is not SMTP. Nothing was delivered."""


class _InDoubt(Exception):
    """After the final dot, no clear answer: the server may hold the message."""


class SmtpTransport:
    """One connection, kept open across messages and opened again when the server drops it."""

    def __init__(self, settings: SmtpSettings, clock: Clock | None = None,
                 backoff: tuple[float, ...] = BACKOFF):
        self.settings = settings
        self.clock = clock or Clock()
        self.backoff = backoff
        self._conn: Wire | None = None
        #: the relay stalled or could not be reached: nothing more is tried in this run
        self.unreachable = ""

    def clone(self) -> SmtpTransport:
        """Another transport with the same settings, for another connection at the same time."""
        return SmtpTransport(self.settings, self.clock, self.backoff)

    def open(self) -> None:
        """Connect and log in now, so an unreachable server stops the run before any letter."""
        if self._conn is None:
            self._conn = self._connect(self.clock.monotonic() + self.settings.relay_deadline)

    def _connect(self, deadline: float) -> Wire:
        s = self.settings
        port = s.port or DEFAULT_PORTS[s.security]
        context = ssl.create_default_context() if s.security != "none" else None
        conn = Wire(context=context, implicit_tls=s.security == "ssl")
        conn.deadline = self._wall(min(deadline, self.clock.monotonic() + s.relay_deadline))
        try:
            conn.connect(s.host, port)
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    conn.close()
                    raise SmtpError.at(s.address, None, "the server does not offer STARTTLS",
                                       f"use {option('smtp_security')} ssl, or none on a trusted local relay")
                conn.starttls(context=context)
                conn.ehlo()
            if s.user:
                conn.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            conn.close()
            raise SmtpError.at(s.address, None, f"login refused: {said(exc.smtp_code, exc.smtp_error)}",
                               "check smtp_user in appealkit.yaml and the password in the variable its "
                               "password_env names") from None
        except TimeoutError:  # our deadline, or the operating system's on connecting
            conn.close()
            raise RelayStalled.at(s.address, None, f"the SMTP server did not get ready within "
                               f"{s.relay_deadline:g} s (relay_deadline)", "check the relay, or raise "
                               "relay_deadline in appealkit.yaml") from None
        except (OSError, smtplib.SMTPException) as exc:
            conn.close()
            raise SmtpError.at(s.address, None, f"cannot connect to the SMTP server: {exc}",
                               f"check {option('smtp_host')}, {option('smtp_port')} and "
                               f"{option('smtp_security')}") from None
        return conn

    def _wall(self, deadline: float) -> float:
        """A deadline on the clock as `time.monotonic()` reads it, for the socket."""
        return time.monotonic() + (deadline - self.clock.monotonic())

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.deadline = time.monotonic() + 2.0
                self._conn.quit()
            except (OSError, smtplib.SMTPException):
                self._conn.close()
            self._conn = None

    def send(self, sender: str, recipients: tuple[str, ...], data: bytes, *, smtputf8: bool = False,
             committing: Callable[[], None] | None = None) -> Delivery:
        """Deliver `data` (CRLF line ends) to `recipients` within the message deadline; `committing`
        is called before each final dot, after which a lost answer leaves the message in doubt."""
        deadline = self.clock.monotonic() + self.settings.message_deadline
        attempts = 0
        while True:
            if self.unreachable:
                return Delivery("failed", f"not sent: {self.unreachable} (send again later)", attempts,
                                unreachable=True)
            attempts += 1
            state = ["connect"]
            try:
                if self._conn is None:
                    self._conn = self._connect(deadline)
                self._conn.deadline = self._wall(deadline)
                accepted, response = self._transaction(self._conn, sender, recipients, data, smtputf8,
                                                       committing, state)
                return Delivery("sent", response, attempts, accepted, ended_in=state[0])
            except _InDoubt as exc:
                self._drop()
                return Delivery("in doubt", str(exc), attempts, unreachable=bool(self.unreachable),
                                ended_in=state[0])
            except _Refused as exc:
                if not exc.temporary:
                    return Delivery("failed", str(exc), attempts, ended_in=state[0])
                reason, kind = str(exc), "deferred"
                self._drop()  # a fresh connection for the next try: a 421 closes this one anyway
            except _Broken as exc:
                reason, kind = str(exc), "failed"
                self._drop()
            except RelayStalled as exc:
                self.unreachable = "the SMTP server stalled"
                return Delivery("failed", exc.message, attempts, unreachable=True)
            except SmtpError as exc:
                reason, kind = exc.message, "failed"
            except Stalled:
                self._drop()
                self.unreachable = f"the SMTP server stalled during {state[0].upper()}"
                return Delivery("failed", f"the SMTP server stopped answering during {state[0].upper()} "
                                f"(message_deadline {self.settings.message_deadline:g} s); nothing was "
                                "delivered", attempts, unreachable=True, ended_in=state[0])
            wait = self.backoff[attempts - 1] if attempts <= len(self.backoff) else None
            if wait is None or self.clock.monotonic() + wait >= deadline:
                unreachable = state[0] == "connect"
                if unreachable:
                    self.unreachable = "the SMTP server could not be reached"
                return Delivery(kind, f"{reason} (gave up after {attempts} attempts)", attempts,
                                unreachable=unreachable, ended_in=state[0])
            self.clock.sleep(wait)

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _transaction(self, conn: Wire, sender: str, recipients: tuple[str, ...], data: bytes,
                     smtputf8: bool, committing: Callable[[], None] | None,
                     state: list[str]) -> tuple[tuple[str, ...], str]:
        """One try, `state[0]` kept at the state it is in; raises `_Refused`, `_Broken`, `_InDoubt`
        or `Stalled`."""
        try:
            options = []
            if smtputf8:
                if not conn.has_extn("smtputf8"):
                    raise _Refused("the SMTP server does not offer SMTPUTF8, which an address with "
                                   "letters beyond ASCII needs (ask for a relay that does, or use an "
                                   "ASCII address)", temporary=False)
                options = ["SMTPUTF8", *(["BODY=8BITMIME"] if conn.has_extn("8bitmime") else [])]
            state[0] = "mail"
            code, reply = conn.mail(sender, options)
            _expect(conn, code, reply, 2)
            state[0] = "rcpt"
            refused: dict[str, str] = {}
            temporary = False
            for address in recipients:
                code, reply = conn.rcpt(address)
                if not 200 <= code < 300:
                    refused[address] = said(code, reply)
                    temporary = temporary or 400 <= code < 500
            accepted = tuple(a for a in recipients if a not in refused)
            if not accepted:
                _reset(conn)
                raise _Refused("; ".join(f"{a}: {r}" for a, r in refused.items()), temporary)
            state[0] = "data"
            conn.putcmd("data")
            code, reply = conn.getreply()
            _expect(conn, code, reply, 3)
            state[0] = "body"
            body = _LEADING_DOT.sub(b"..", data)
            conn.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        except UnicodeEncodeError:
            raise _Refused("an address has letters beyond ASCII and the message was not sent with "
                           "SMTPUTF8", temporary=False) from None
        except (smtplib.SMTPServerDisconnected, BadReply, OSError) as exc:
            if isinstance(exc, Stalled):
                raise
            raise _Broken(f"connection lost during {state[0].upper()}: {exc}") from None
        if committing is not None:
            committing()
        state[0] = "dot"
        try:
            conn.send(b".\r\n")
            code, reply = conn.getreply()
        except Stalled:
            self.unreachable = "the SMTP server stalled after a message"
            raise _InDoubt("no answer after the message was sent (message_deadline "
                           f"{self.settings.message_deadline:g} s): the server may have it") from None
        except BadReply as exc:  # before OSError: smtplib's exceptions are OSErrors
            raise _InDoubt(f"the server's answer to the message is not SMTP ({exc}): it may have "
                           "the message") from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _InDoubt(f"connection lost after the message was sent, before the server answered: "
                           f"{exc}") from None
        if 200 <= code < 300:
            response = said(code, reply)
            if refused:
                response += "; refused: " + "; ".join(f"{a}: {r}" for a, r in refused.items())
            return accepted, response
        if 400 <= code < 600:
            raise _Refused(said(code, reply), temporary=code < 500)
        raise _InDoubt(f"the server answered the message with {said(code, reply)}, neither yes nor no: "
                       "it may have the message")


def _expect(conn: Wire, code: int, reply: bytes, wanted: int) -> None:
    """`wanted`: the first digit of the expected code. A clear refusal before the body is `_Refused`;
    any other code is a server not speaking SMTP."""
    if code // 100 == wanted:
        return
    if 400 <= code < 600:
        _reset(conn)
        raise _Refused(said(code, reply), temporary=code < 500)
    conn.close()
    raise _Broken(f"unexpected reply {said(code, reply)}")


def _reset(conn: Wire) -> None:
    try:
        conn.rset()
    except (OSError, smtplib.SMTPException):
        conn.close()


def said(code: int, reply: bytes | str) -> str:
    """A server's reply as one line of at most 300 characters."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    line = f"{code} {' '.join(text.split())}".strip()
    return line if len(line) <= 300 else line[:299] + "…"
