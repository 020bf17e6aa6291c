"""The SMTP login: the relay from appealkit.yaml, options over it, the password from the environment
or the system keyring, tried against a real SMTP server that wants a login."""

from __future__ import annotations

import contextlib

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
from send_helpers import approved, send_workspace
from smtp_server import Mailbox, free_port

from appealkit.cli import cli
from appealkit.errors import UsageError
from appealkit.send.login import smtp_password
from appealkit.send.options import RelayOptions
from appealkit.send.smtp import relay_settings
from appealkit.source.settings import SendSettings


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its entries in a dict: the keyring library's own API, no system."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, entries=None, broken=False):
        super().__init__()
        self.entries = dict(entries or {})
        self.broken = broken

    def get_password(self, service, username):
        if self.broken:
            raise KeyringError("the keyring is locked")
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


@contextlib.contextmanager
def using_keyring(backend):
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def test_the_named_variable_gives_the_password():
    assert smtp_password("smtp.example.org", "u", "ASIMKOM_SMTP", {"ASIMKOM_SMTP": "s3cret"}) == "s3cret"


def test_the_keyring_gives_the_password_when_the_variable_is_unset():
    with using_keyring(MemoryKeyring({("appealkit/smtp.example.org", "u"): "from-keyring"})):
        assert smtp_password("smtp.example.org", "u", "ASIMKOM_SMTP", {}) == "from-keyring"


def test_no_password_anywhere_is_one_line_saying_where_to_put_it():
    with using_keyring(MemoryKeyring()), pytest.raises(UsageError) as caught:
        smtp_password("smtp.example.org", "u", "ASIMKOM_SMTP", {})
    assert str(caught.value) == (
        "appealkit.yaml: error: no SMTP password for u: ASIMKOM_SMTP is not set and the system keyring has "
        "no entry 'appealkit/smtp.example.org' (set the environment variable ASIMKOM_SMTP, or store the "
        "password once with: keyring set appealkit/smtp.example.org u)")


def test_a_keyring_that_cannot_be_read_is_one_line():
    with using_keyring(MemoryKeyring(broken=True)), pytest.raises(UsageError) as caught:
        smtp_password("smtp.example.org", "u", "ASIMKOM_SMTP", {})
    assert str(caught.value) == (
        "appealkit.yaml: error: no SMTP password for u: ASIMKOM_SMTP is not set and the system keyring cannot "
        "be read (the keyring is locked) (set the environment variable ASIMKOM_SMTP)")


def test_options_win_over_the_file_which_wins_over_the_defaults():
    file = SendSettings(smtp_host="smtp.example.org", smtp_port=2525, smtp_security="ssl", smtp_user="")
    assert relay_settings(file, RelayOptions(), {}).address == "smtp.example.org:2525"
    chosen = relay_settings(file, RelayOptions(host="127.0.0.1", security="none"), {})
    assert (chosen.host, chosen.port, chosen.security) == ("127.0.0.1", 2525, "none")
    defaults = relay_settings(SendSettings(smtp_host="relay.example.org"), RelayOptions(), {})
    assert (defaults.security, defaults.address) == ("starttls", "relay.example.org:587")


def test_no_relay_anywhere_is_one_line_naming_the_settings_file():
    with pytest.raises(UsageError) as caught:
        relay_settings(SendSettings(), RelayOptions(), {})
    assert str(caught.value) == ("appealkit.yaml: error: no SMTP relay to send through (add 'send:' with "
                                 "'smtp_host: smtp.your-organisation.org' to appealkit.yaml, or pass `smtp_host`)")


class _Logins:
    def __init__(self):
        self.seen = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.seen.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")


@contextlib.contextmanager
def login_server(mailbox, logins):
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=logins,
                            auth_require_tls=False)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def test_send_takes_the_relay_and_login_from_appealkit_yaml(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    mailbox, logins = Mailbox(), _Logins()
    with login_server(mailbox, logins) as port:
        (root / "appealkit.yaml").write_text(
            f"send:\n  smtp_host: 127.0.0.1\n  smtp_port: {port}\n  smtp_security: none\n"
            "  smtp_user: appeals@example.org\n  password_env: ASIMKOM_SMTP\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["--root", str(root), "send", "test"], env={"ASIMKOM_SMTP": "s3cret"})
    assert result.exit_code == 0, result.output
    assert logins.seen == [("appeals@example.org", "s3cret")]
    assert len(mailbox.received) == 1


def test_an_option_wins_over_the_file(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    mailbox, logins = Mailbox(), _Logins()
    with login_server(mailbox, logins) as port:
        closed = free_port()
        (root / "appealkit.yaml").write_text(
            f"send:\n  smtp_host: 127.0.0.1\n  smtp_port: {closed}\n  smtp_security: none\n"
            "  smtp_user: appeals@example.org\n", encoding="utf-8")
        with using_keyring(MemoryKeyring({("appealkit/127.0.0.1", "appeals@example.org"): "s3cret"})):
            result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-port", str(port)],
                                        env={"APPEALKIT_SMTP_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert logins.seen == [("appeals@example.org", "s3cret")]
    assert len(mailbox.received) == 1


def test_the_sender_address_may_come_from_the_settings_file(tmp_path):
    from send_helpers import CAMPAIGN

    root = send_workspace(tmp_path, 1, {"campaigns/test.yaml": CAMPAIGN.replace(
        "sender_email: appeals@example.org", "")})
    approved(root, formats=("pdf",))
    (root / "appealkit.yaml").write_text("send:\n  sender_email: office@asimkom.example.org\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--dry-run"])
    assert result.exit_code == 0, result.output
    eml = (root / "build" / "test" / "outbox" / "appeal--minister.eml").read_bytes()
    assert b"office@asimkom.example.org" in eml


def test_an_empty_user_option_sends_without_logging_in():
    """`--smtp-user ""` (or `RelayOptions(user="")`) overrides the file's login: it is not an empty-text error."""
    file = SendSettings(smtp_host="127.0.0.1", smtp_security="none", smtp_user="appeals@example.org")
    assert relay_settings(file, RelayOptions(user=""), {}).user == ""
    assert relay_settings(file, RelayOptions(), {"APPEALKIT_SMTP_PASSWORD": "x"}).user == "appeals@example.org"
