"""Deliver a message over SMTP: temporary failures retried with backoff, permanent ones reported.

The transaction is spelled out (MAIL, RCPT, DATA, body, reply) instead of calling
`sendmail`, because what happens after a failure depends on where it happened: before
the body was sent nothing was delivered and the message may be tried again; after the
body was sent, a lost connection means the server may have it, so the message is
reported in doubt and never sent again on a guess.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from appealkit.errors import AppealkitError, UsageError
from appealkit.send.clock import Clock
from appealkit.send.login import smtp_password
from appealkit.source.settings import SETTINGS_FILE, SendSettings

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
#: Seconds to wait before each retry of a temporary failure; one more try than waits.
BACKOFF = (2.0, 8.0, 30.0, 120.0)
_LEADING_DOT = re.compile(rb"(?m)^\.")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
#: The login's user name when neither the command line nor appealkit.yaml gives one.
USER_ENV = "APPEALKIT_SMTP_USER"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int | None = None
    security: str = "none"
    user: str = ""
    password: str = ""
    timeout: float = 60.0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or DEFAULT_PORTS[self.security]}"


@dataclass(frozen=True)
class RelayOptions:
    """The relay as the command line gives it; None: not given, `appealkit.yaml` decides."""

    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None


def relay_settings(file: SendSettings, options: RelayOptions, environ: Mapping[str, str]) -> SmtpSettings:
    """The relay to send through: each option given wins over the settings file, which wins over the
    built-in defaults; the password from the environment or the keyring (`login.py`), never a file."""
    host = options.host or file.smtp_host
    if not host:
        raise UsageError.at(SETTINGS_FILE, None, "no SMTP relay to send through",
                            "add 'send:' with 'smtp_host: smtp.your-organisation.org' to appealkit.yaml, "
                            "or pass --smtp-host")
    security = options.security or file.smtp_security or "starttls"
    port = options.port or file.smtp_port
    user = options.user if options.user is not None else (file.smtp_user or environ.get(USER_ENV, ""))
    if user and security == "none" and host not in LOOPBACK:
        raise UsageError.at(host, None, "refusing to send the SMTP password unencrypted",
                            "choose starttls or ssl security")
    password = smtp_password(host, user, file.password_env, environ) if user else ""
    return SmtpSettings(host, port, security, user, password)


@dataclass(frozen=True)
class Delivery:
    """How one message fared: `sent`, `failed` or `in doubt`, with the server's last words."""

    state: str
    response: str
    attempts: int
    #: the addresses the server accepted
    accepted: tuple[str, ...] = ()
    #: the server could not be reached at all: the letters after this one need not try
    unreachable: bool = False


class SmtpError(AppealkitError):
    """The server cannot be reached or refuses us: nothing more can be sent in this run."""


class _Temporary(Exception):
    pass


class _Permanent(Exception):
    pass


class _InDoubt(Exception):
    pass


class SmtpTransport:
    """One connection, kept open across messages and opened again when the server drops it."""

    def __init__(self, settings: SmtpSettings, clock: Clock | None = None,
                 backoff: tuple[float, ...] = BACKOFF):
        self.settings = settings
        self.clock = clock or Clock()
        self.backoff = backoff
        self._conn: smtplib.SMTP | None = None

    def clone(self) -> SmtpTransport:
        """Another transport with the same settings, for another connection at the same time."""
        return SmtpTransport(self.settings, self.clock, self.backoff)

    def open(self) -> None:
        """Connect and log in now, so an unreachable server stops the run before any letter."""
        if self._conn is None:
            self._conn = self._connect()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        port = s.port or DEFAULT_PORTS[s.security]
        try:
            if s.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, port, timeout=s.timeout,
                                                      context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(s.host, port, timeout=s.timeout)
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    conn.close()
                    raise SmtpError.at(s.address, None, "the server does not offer STARTTLS",
                                       "use --smtp-security ssl, or none on a trusted local relay")
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if s.user:
                conn.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpError.at(s.address, None, f"login refused: {_said(exc.smtp_code, exc.smtp_error)}",
                               "check smtp_user in appealkit.yaml and the password in the variable its "
                               "password_env names") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpError.at(s.address, None, f"cannot connect to the SMTP server: {exc}",
                               "check --smtp-host, --smtp-port and --smtp-security") from None
        return conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (OSError, smtplib.SMTPException):
                self._conn.close()
            self._conn = None

    def send(self, sender: str, recipients: tuple[str, ...], data: bytes) -> Delivery:
        """Deliver `data` (CRLF line ends) to `recipients`, retrying temporary failures."""
        attempts = 0
        while True:
            attempts += 1
            try:
                if self._conn is None:
                    self._conn = self._connect()
                accepted, response = self._transaction(self._conn, sender, recipients, data)
                return Delivery("sent", response, attempts, accepted)
            except _Permanent as exc:
                return Delivery("failed", str(exc), attempts)
            except _InDoubt as exc:
                self._drop()
                return Delivery("in doubt", str(exc), attempts)
            except (_Temporary, SmtpError) as exc:
                reason = exc.message if isinstance(exc, SmtpError) else str(exc)
                self._drop()  # a fresh connection for the next try: a 421 closes this one anyway
                if attempts > len(self.backoff):
                    return Delivery("failed", f"{reason} (gave up after {attempts} attempts)", attempts,
                                    unreachable=isinstance(exc, SmtpError))
                self.clock.sleep(self.backoff[attempts - 1])

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _transaction(self, conn: smtplib.SMTP, sender: str, recipients: tuple[str, ...],
                     data: bytes) -> tuple[tuple[str, ...], str]:
        try:
            code, reply = conn.mail(sender)
            _expect(conn, code, reply, (250,))
            refused: dict[str, str] = {}
            temporary = False
            for address in recipients:
                code, reply = conn.rcpt(address)
                if code not in (250, 251):
                    refused[address] = _said(code, reply)
                    temporary = temporary or 400 <= code < 500
            accepted = tuple(a for a in recipients if a not in refused)
            if not accepted:
                conn.rset()
                said = "; ".join(f"{a}: {r}" for a, r in refused.items())
                raise (_Temporary if temporary else _Permanent)(said)
            conn.putcmd("data")
            code, reply = conn.getreply()
            _expect(conn, code, reply, (354,))
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise _Temporary(f"connection lost: {exc}") from None
        except OSError as exc:
            self._drop()
            raise _Temporary(f"connection lost: {exc}") from None
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        try:
            conn.send(body + b".\r\n")
            code, reply = conn.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise _InDoubt("connection lost after the message was sent, before the server answered: "
                           f"{exc}") from None
        _expect(conn, code, reply, (250,))
        response = _said(code, reply)
        if refused:
            response += "; refused: " + "; ".join(f"{a}: {r}" for a, r in refused.items())
        return accepted, response


def _expect(conn: smtplib.SMTP, code: int, reply: bytes, wanted: tuple[int, ...]) -> None:
    if code in wanted:
        return
    said = _said(code, reply)
    try:
        conn.rset()
    except (OSError, smtplib.SMTPException):
        conn.close()
    if 400 <= code < 500 or code == -1:
        raise _Temporary(said)
    raise _Permanent(said)


def _said(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()
