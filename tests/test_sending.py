"""`send` against a real SMTP server on 127.0.0.1: refusals, one delivery per version, retries."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from send_helpers import RECIPIENT, approved, built, loaded, send_now, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.cli import cli
from appealkit.send.clock import FixedClock
from appealkit.send.sent_log import SentLog
from appealkit.send.status import read_status

RECIPIENT_WITH_CC = RECIPIENT.format(n="01").replace("minister-01@", "minister@") + "    cc: [office@example.org]\n"


def outcomes(result):
    return {o.letter: o.status for o in result.outcomes}


def test_drafts_are_refused_one_line_each_with_exit_code_1(tmp_path):
    root = send_workspace(tmp_path, 2)
    built(root)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-host", "127.0.0.1",
                                          "--smtp-port", str(port), "--smtp-security", "none"])
    assert result.exit_code == 1
    hint = "(build it, review it, then appealkit approve --letter {0})"
    assert result.output.splitlines() == [
        f"refused   appeal--minister  draft, not approved {hint.format('appeal--minister')}",
        f"refused   appeal--minister-02  draft, not approved {hint.format('appeal--minister-02')}",
        "0 sent, 2 refused, 0 failed in " + result.output.rsplit(" in ", 1)[1].strip(),
    ]
    assert mailbox.received == []
    assert not (root / "sent.sqlite").exists() or SentLog(root / "sent.sqlite").rows() == []


def test_approved_letters_are_sent_once_each_with_the_built_pdf_attached(tmp_path):
    root = send_workspace(tmp_path, 3)
    approved(root)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        first = send_now(root, port)
        second = send_now(root, port)
    assert outcomes(first) == dict.fromkeys(["appeal--minister", "appeal--minister-02", "appeal--minister-03"],
                                            "sent")
    assert outcomes(second) == dict.fromkeys(outcomes(first), "skipped")
    assert len(mailbox.received) == 3
    by_address = {rcpts: message for (_, rcpts, _), message in zip(mailbox.received, mailbox.messages(),
                                                                    strict=True)}
    message = by_address[("minister-02@example.org",)]
    assert message["From"] == "ASİMKOM <appeals@example.org>"
    assert message["Reply-To"] == "appeals@example.org"
    assert message["To"] == "Minister 02 <minister-02@example.org>"
    assert message["Subject"] == "Appeal for the release of political prisoners"
    assert mailbox.received[0][0] == "appeals@example.org"
    cover = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert cover.startswith("Dear Minister,\n\nPlease find attached our letter \"Appeal for the release")
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["2025-10-25 ASİMKOM – Minister for Foreign Affairs.pdf"]
    assert attachments[0].get_content_type() == "application/pdf"
    pdf = (root / "build" / "test" / "appeal--minister-02.pdf").read_bytes()
    assert attachments[0].get_content() == pdf
    with SentLog(root / "sent.sqlite") as log:
        rows = log.rows()
        assert [r.state for r in rows] == ["sent"] * 3
        row = next(r for r in rows if r.letter == "appeal--minister-02")
        assert row.message_id == message["Message-ID"].strip()
        assert row.attachments == ({"file": "appeal--minister-02.pdf", "format": "pdf", "bytes": len(pdf),
                                    "sha256": hashlib.sha256(pdf).hexdigest(),
                                    "name": "2025-10-25 ASİMKOM – Minister for Foreign Affairs.pdf"},)
        assert row.smtp_response == "250 2.0.0 OK: queued"
        assert {f.fact: (f.value, f.qualifier, f.as_of) for f in row.facts}["political_prisoners"] == (
            "400", "about", "2025-10-25")


def test_docx_and_pdf_are_attached_with_attach_and_cc_addresses_get_a_copy(tmp_path):
    root = send_workspace(tmp_path, 1)
    recipient = root / "recipients" / "minister.yaml"
    recipient.write_text(recipient.read_text() + "cc: [office@example.org]\n")
    approved(root)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = send_now(root, port, formats=("docx", "pdf"))
    assert outcomes(result) == {"appeal--minister": "sent"}
    (_, rcpts, _), = mailbox.received
    assert rcpts == ("minister@example.org", "office@example.org")
    message = mailbox.messages()[0]
    assert message["Cc"] == "office@example.org"
    names = [a.get_filename() for a in message.iter_attachments()]
    assert names == ["2025-10-25 ASİMKOM – Minister for Foreign Affairs.docx",
                     "2025-10-25 ASİMKOM – Minister for Foreign Affairs.pdf"]
    docx_bytes = (root / "build" / "test" / "appeal--minister.docx").read_bytes()
    assert next(message.iter_attachments()).get_content() == docx_bytes


def test_a_fact_change_makes_citing_letters_changed_and_unsendable_until_approved_again(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root)
    facts = root / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text().replace("value: 400", "value: 375", 1))
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        refused = send_now(root, port)
        reason = refused.outcomes[0].detail
        assert reason == ("changed since approved: fact political_prisoners: cited about 400; now about 375 "
                          "(build, review and approve it again)")
        assert outcomes(refused) == dict.fromkeys(["appeal--minister", "appeal--minister-02"], "refused")
        built(root)
        still = send_now(root, port)
        assert outcomes(still) == dict.fromkeys(outcomes(refused), "refused")
        approved(root, letters=["appeal--minister"])
        after = send_now(root, port)
    assert outcomes(after) == {"appeal--minister": "sent", "appeal--minister-02": "refused"}
    assert [rcpts for _, rcpts, _ in mailbox.received] == [("minister@example.org",)]


def test_temporary_failures_are_retried_with_backoff(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root)
    mailbox = Mailbox()
    mailbox.data_replies = ["451 4.3.0 try again later", "421 4.7.0 busy, closing"]
    clock = FixedClock()
    with smtp_server(mailbox) as port:
        result = send_now(root, port, clock=clock)
    assert outcomes(result) == {"appeal--minister": "sent"}
    assert clock.waits == [1.0, 2.0]
    assert len(mailbox.received) == 1
    with SentLog(root / "sent.sqlite") as log:
        (row,) = log.rows()
    assert (row.state, row.attempts) == ("sent", 3)


def test_a_temporary_failure_that_lasts_defers_the_letter_after_the_last_retry(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root)
    mailbox = Mailbox()
    mailbox.data_replies = ["452 4.3.1 insufficient storage"] * 4
    clock = FixedClock()
    with smtp_server(mailbox) as port:
        result = send_now(root, port, clock=clock)
    assert [(o.status, o.detail) for o in result.outcomes] == [
        ("deferred", "452 4.3.1 insufficient storage (gave up after 4 attempts)")]
    assert clock.waits == [1.0, 2.0, 4.0]
    with SentLog(root / "sent.sqlite") as log:
        assert [(r.state, r.shown_state, r.attempts) for r in log.rows()] == [("failed", "deferred", 4)]


def test_a_permanent_failure_is_reported_for_its_letter_and_the_others_are_sent(tmp_path):
    root = send_workspace(tmp_path, 3)
    approved(root)
    mailbox = Mailbox()
    mailbox.rcpt_replies = {"minister-02@example.org": "550 5.1.1 mailbox unknown"}
    clock = FixedClock()
    with smtp_server(mailbox) as port:
        result = send_now(root, port, clock=clock)
        again = send_now(root, port, clock=clock)
    assert [(o.letter, o.status, o.detail) for o in result.outcomes if o.status != "sent"] == [
        ("appeal--minister-02", "failed", "minister-02@example.org: 550 5.1.1 mailbox unknown")]
    assert clock.waits == []
    assert outcomes(again)["appeal--minister-02"] == "failed"
    assert len(mailbox.received) == 2


def test_the_dry_run_writes_eml_files_and_logs_nothing(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root)
    result = send_now(root, None)
    assert outcomes(result) == dict.fromkeys(["appeal--minister", "appeal--minister-02"], "written")
    outbox = root / "build" / "test" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["appeal--minister-02.eml", "appeal--minister.eml"]
    import email
    import email.policy

    message = email.message_from_bytes((outbox / "appeal--minister.eml").read_bytes(), policy=email.policy.default)
    assert message["To"] == "Minister 01 <minister@example.org>"
    (pdf,) = message.iter_attachments()
    assert pdf.get_content() == (root / "build" / "test" / "appeal--minister.pdf").read_bytes()
    assert not (root / "sent.sqlite").exists()


def _cli_send(root, port, *extra, env=None):
    return CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-host", "127.0.0.1",
                                    "--smtp-port", str(port), "--smtp-security", "none", *extra], env=env)


def test_the_cli_prints_a_line_per_letter_and_a_summary(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root)
    with smtp_server(Mailbox()) as port:
        first = _cli_send(root, port)
        second = _cli_send(root, port)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[:2] == [
        "sent      appeal--minister  → minister@example.org  (250 2.0.0 OK: queued)",
        "sent      appeal--minister-02  → minister-02@example.org  (250 2.0.0 OK: queued)",
    ]
    assert lines[2].startswith("2 sent, 0 failed in ")
    assert second.exit_code == 0
    assert second.output.splitlines()[0].startswith("skipped   appeal--minister  already sent on 20")
    assert second.output.splitlines()[2].startswith("0 sent, 2 skipped, 0 failed in ")


def test_an_unreachable_server_stops_before_anything_is_logged(tmp_path):
    from smtp_server import free_port

    root = send_workspace(tmp_path, 1)
    approved(root)
    port = free_port()
    result = _cli_send(root, port)
    assert result.exit_code == 1
    assert result.output.startswith(f"127.0.0.1:{port}: error: cannot connect to the SMTP server: ")
    assert result.output.endswith("(check --smtp-host, --smtp-port and --smtp-security)\n")
    with SentLog(root / "sent.sqlite") as log:
        assert log.rows() == []


def test_the_password_is_never_sent_unencrypted_to_another_host(tmp_path):
    root = send_workspace(tmp_path, 1)
    result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-host", "mail.example.org",
                                      "--smtp-security", "none"],
                                env={"APPEALKIT_SMTP_USER": "u", "APPEALKIT_SMTP_PASSWORD": "p"})
    assert result.exit_code == 2
    assert result.output == ("mail.example.org: error: refusing to send the SMTP password unencrypted "
                             "(choose starttls or ssl security)\n")


def test_a_missing_cover_text_fails_the_letter_with_its_file(tmp_path):
    root = send_workspace(tmp_path, 1, {"templates/email/cover.md": None})
    approved(root)
    result = send_now(root, None)
    assert [(o.status, o.detail) for o in result.outcomes] == [
        ("failed", "templates/email/cover.md: error: no cover text for the e-mails (write a few lines that "
                   "introduce the attached letter; see the README)")]


def test_several_connections_send_each_letter_once(tmp_path):
    root = send_workspace(tmp_path, 8)
    approved(root, formats=("docx",))
    mailbox = Mailbox(delay=0.01)
    with smtp_server(mailbox) as port:
        result = send_now(root, port, formats=("docx",), connections=3)
        again = send_now(root, port, formats=("docx",), connections=3)
    assert [o.status for o in result.outcomes] == ["sent"] * 8
    assert [o.letter for o in result.outcomes] == ["appeal--minister", *(f"appeal--minister-{n:02d}" for n in range(2, 9))]
    assert sorted(r for _, (r,), _ in mailbox.received) == sorted(
        ["minister@example.org", *(f"minister-{n:02d}@example.org" for n in range(2, 9))])
    assert again.count("skipped") == 8
    with SentLog(root / "sent.sqlite") as log:
        assert sorted(r.message_id for r in log.rows(states=("sent",))) == sorted(mailbox.message_ids())


def test_a_server_that_goes_away_fails_one_letter_and_the_rest_are_not_tried(tmp_path):
    root = send_workspace(tmp_path, 4)
    approved(root)
    mailbox = Mailbox()
    clock = FixedClock()

    def stop_after_first(outcome, done, total):
        if done == 1:
            mailbox.stop()

    with smtp_server(mailbox) as port:
        result = send_now(root, port, clock=clock, progress=stop_after_first)
    assert [o.status for o in result.outcomes] == ["sent", "failed", "failed", "failed"]
    assert result.outcomes[1].detail.startswith(f"127.0.0.1:{port}: error: cannot connect to the SMTP server")
    assert result.outcomes[1].detail.endswith("(gave up after 4 attempts)")
    assert {o.detail for o in result.outcomes[2:]} == {
        "not sent: the SMTP server could not be reached (send again later)"}
    with SentLog(root / "sent.sqlite") as log:
        assert [r.state for r in log.rows()] == ["sent", "failed"]


def test_a_message_whose_answer_was_lost_is_in_doubt_and_not_sent_again(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root)
    mailbox = Mailbox()
    mailbox.hang_up_after_data = 1
    with smtp_server(mailbox) as port:
        first = send_now(root, port)
        second = send_now(root, port)
        third = send_now(root, port, resend_in_doubt=True)
    assert [o.status for o in first.outcomes] == ["in doubt", "sent"]
    assert first.outcomes[0].detail.startswith("connection lost after the message was sent, before the server "
                                               "answered")
    assert [(o.status, o.detail.split(" on ")[0]) for o in second.outcomes] == [
        ("in doubt", "logged as sending"), ("skipped", "already sent")]
    assert [o.status for o in third.outcomes] == ["sent", "skipped"]
    assert [rcpts for _, rcpts, _ in mailbox.received] == [
        ("minister@example.org",), ("minister-02@example.org",), ("minister@example.org",)]
    with SentLog(root / "sent.sqlite") as log:
        rows = log.rows()
    assert [(r.letter, r.state, r.in_doubt) for r in rows] == [
        ("appeal--minister", "sending", False), ("appeal--minister-02", "sent", False),
        ("appeal--minister", "sent", False)]
    assert rows[0].resolved_by == rows[2].id


def test_a_servers_reply_is_printed_with_its_control_characters_escaped(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root)
    mailbox = Mailbox()
    mailbox.rcpt_replies = {"minister@example.org": "550 5.1.1 no \x1b[2J mailbox"}
    with smtp_server(mailbox) as port:
        result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--smtp-host", "127.0.0.1",
                                          "--smtp-port", str(port), "--smtp-security", "none"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert result.output.splitlines()[0].endswith("minister@example.org: 550 5.1.1 no \\u001b[2J mailbox")


def test_a_test_copy_goes_to_the_test_address_only_and_counts_for_nothing(tmp_path):
    root = send_workspace(tmp_path, 2, {"recipients/minister.yaml": RECIPIENT_WITH_CC})
    approved(root, formats=("pdf",))
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        test = _cli_send(root, port, "--test-to", "me@example.org")
        assert test.exit_code == 0, test.output
        assert test.output.splitlines()[-1].startswith(
            "2 sent, 0 failed (test copies to me@example.org; nothing counts as sent) in ")
        assert [rcpts for _, rcpts, _ in mailbox.received] == [("me@example.org",)] * 2
        message = mailbox.messages()[0]
        assert message["Subject"] == "[TEST] Appeal for the release of political prisoners"
        assert message["To"] == "me@example.org" and message["Cc"] is None
        assert message["X-Appealkit-Test"] == "a test copy; the letter goes to minister@example.org"
        workspace, campaign = loaded(root)
        assert [s.state for s in read_status(workspace, campaign).letters] == ["approved", "approved"]
        real = _cli_send(root, port)
    assert real.exit_code == 0 and real.output.splitlines()[-1].startswith("2 sent, 0 failed in ")
    assert [rcpts for _, rcpts, _ in mailbox.received][2:] == [
        ("minister@example.org", "office@example.org"), ("minister-02@example.org",)]
    listed = CliRunner().invoke(cli, ["--root", str(root), "sent"]).output.splitlines()
    assert " test sent test/appeal--minister  → minister <me@example.org>" in listed[0]


def test_a_test_copy_of_a_draft_is_refused(tmp_path):
    root = send_workspace(tmp_path, 1)
    with smtp_server(Mailbox()) as port:
        result = _cli_send(root, port, "--test-to", "me@example.org")
        bad = _cli_send(root, port, "--test-to", "not an address")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == ("refused   appeal--minister  draft: only approved, unchanged letters "
                                             "go out, test copies too (build, review and approve it first)")
    assert bad.exit_code == 2
    assert bad.output == ("--test-to: error: 'not an address' is not one e-mail address (give your own address, "
                          "such as you@example.org)\n")


def test_send_from_python_refuses_what_send_on_the_command_line_refuses(tmp_path):
    """The attachments and connections are checked in the core: `formats=("odt",)` is no silent no-op."""
    import pytest

    from appealkit.errors import AppealkitError
    from appealkit.send.sending import send

    workspace, campaign = loaded(send_workspace(tmp_path))
    for options, message in [
        ({"formats": ("odt",)}, "formats: error: unknown format 'odt' (use docx, pdf or docx,pdf)"),
        ({"connections": 0}, "connections: error: '0' is not a number of connections (use 1 to 16)"),
    ]:
        with pytest.raises(AppealkitError) as caught:
            send(workspace, campaign, None, **options)
        assert (caught.value.message, caught.value.exit_code) == (message, 2)
    assert not (tmp_path / "sent.sqlite").exists()


BAD_SEND_OPTIONS = [  # (SendOptions from Python, the same on the command line, the one line, field first)
    ({"test_to": "not an address"}, ["--test-to", "not an address"],
     "test_to: error: 'not an address' is not one e-mail address (give your own address, such as you@example.org)"),
    ({"formats": ("odt",)}, ["--attach", "odt"],
     "formats: error: unknown format 'odt' (use docx, pdf or docx,pdf)"),
    ({"relay": {"host": "smtp example.org"}}, ["--smtp-host", "smtp example.org"],
     "smtp_host: error: 'smtp example.org' must be a host name such as smtp.example.org, or an IP address"),
    ({"letter_ids": (" ",)}, ["--letter", " "], "letter_ids: error: ' ' must not be empty"),
]
FLAGS = {"test_to": "--test-to", "formats": "--attach", "smtp_host": "--smtp-host", "letter_ids": "--letter"}


def _send_options(given: dict):
    from appealkit.send.options import RelayOptions, SendOptions

    relay = given.pop("relay", {})
    return SendOptions(relay=RelayOptions(**relay), **given)


@pytest.mark.parametrize(("options", "args", "message"), BAD_SEND_OPTIONS)
def test_send_options_from_python_are_refused_with_the_cli_line(tmp_path, options, args, message):
    """One rule in the core: Python's `SendOptions` and `appealkit send` refuse a value with one line,
    the field's name in place of the flag."""
    from appealkit.errors import UsageError

    root = send_workspace(tmp_path)
    with pytest.raises(UsageError) as caught:
        _send_options(dict(options))
    assert caught.value.message == message
    result = CliRunner().invoke(cli, ["--root", str(root), "send", "test", "--dry-run", *args])
    field = message.partition(":")[0]
    assert (result.exit_code, result.output) == (2, FLAGS[field] + message[len(field):] + "\n")
    assert not (root / "sent.sqlite").exists() and not (root / "build" / "test" / "outbox").exists()


@pytest.mark.parametrize(("options", "message"), [
    ({"relay": {"port": 0}}, "smtp_port: error: '0' must be a port number from 1 to 65535"),
    ({"relay": {"security": "tls"}}, "smtp_security: error: 'tls' must be one of: starttls, ssl, none"),
    ({"relay": {"message_deadline": -1}},
     "message_deadline: error: '-1' must be a number of seconds, more than 0 and at most 3600"),
    ({"connections": 17}, "connections: error: '17' is not a number of connections (use 1 to 16)"),
])
def test_send_options_click_types_guard_are_checked_in_the_core_too(options, message):
    """What click's types refuse on the command line is refused from Python as well."""
    from appealkit.errors import UsageError

    with pytest.raises(UsageError) as caught:
        _send_options(dict(options))
    assert caught.value.message == message
