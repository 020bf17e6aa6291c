"""At most once against servers that misbehave on a real socket: garbage, silence, floods, hang-ups.

After the final dot only a clear answer decides (2xx sent, 4xx deferred, 5xx failed); anything
else leaves the message in doubt and it is never sent again on a guess. A stalled relay is given
up for the run after one deadline, not once per letter.
"""

from __future__ import annotations

import email
import email.policy

import pytest
from scripted_smtp import CLOSE, FLOOD, STALL, Script, scripted
from send_helpers import approved, loaded, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.send.clock import FixedClock
from appealkit.send.sending import send
from appealkit.send.sent_log import SentLog
from appealkit.send.smtp import SmtpError, SmtpSettings, SmtpTransport
from appealkit.send.status import read_status


def via(root, port, clock=None, message_deadline=2.0, relay_deadline=2.0, backoff=(0.5, 1.0), **options):
    workspace, campaign = loaded(root)
    clock = clock or FixedClock()
    settings = SmtpSettings("127.0.0.1", port, "none", message_deadline=message_deadline,
                            relay_deadline=relay_deadline)
    return send(workspace, campaign, SmtpTransport(settings, clock, backoff), clock=clock, **options)


def rows(root):
    with SentLog(root / "sent.sqlite") as log:
        return log.rows()


def statuses(result):
    return [(o.status, o.detail) for o in result.outcomes]


@pytest.fixture
def two(tmp_path):
    root = send_workspace(tmp_path, 2)
    approved(root, formats=("pdf",))
    return root


def test_garbage_after_the_final_dot_is_in_doubt_and_never_sent_again(two):
    script = Script(dots=["hello there\r\n"])
    with scripted(script) as server:
        first = via(two, server.port)
        second = via(two, server.port)
    assert [o.status for o in first.outcomes] == ["in doubt", "sent"]
    assert first.outcomes[0].detail == ("the server's answer to the message is not SMTP (not an SMTP reply: "
                                        "'hello there'): it may have the message")
    assert [o.status for o in second.outcomes] == ["in doubt", "skipped"]
    assert len(script.received) == 2  # once each: the doubtful one was not sent again
    assert [(r.state, r.shown_state, r.attempts) for r in rows(two)] == [("sending", "in doubt", 1),
                                                                         ("sent", "sent", 1)]
    workspace, campaign = loaded(two)
    assert [s.state for s in read_status(workspace, campaign).letters] == ["in doubt", "sent"]


@pytest.mark.parametrize(("answer", "said"), [
    (b"354 go on\r\n", "the server answered the message with 354 go on, neither yes nor no"),
    (b"199 odd\r\n", "the server answered the message with 199 odd, neither yes nor no"),
    (CLOSE, "connection lost after the message was sent, before the server answered"),
    (FLOOD, "the server's answer to the message is not SMTP (a reply line longer than 1024 bytes)"),
])
def test_anything_but_a_clear_answer_after_the_dot_is_in_doubt(two, answer, said):
    script = Script(dots=[answer])
    with scripted(script) as server:
        result = via(two, server.port, letter_ids=("appeal--minister",))
    ((status, detail),) = statuses(result)
    assert status == "in doubt" and detail.startswith(said)
    assert len(script.received) == 1
    assert [r.shown_state for r in rows(two)] == ["in doubt"]


def test_a_4xx_after_the_dot_is_deferred_and_tried_again(two):
    script = Script(dots=[b"451 4.3.0 try later\r\n"])
    clock = FixedClock()
    with scripted(script) as server:
        result = via(two, server.port, clock=clock, letter_ids=("appeal--minister",))
    assert [o.status for o in result.outcomes] == ["sent"]
    assert clock.waits == [0.5]
    assert [(r.state, r.attempts) for r in rows(two)] == [("sent", 2)]


def test_a_5xx_after_the_dot_fails_without_a_retry(two):
    script = Script(dots=[b"554 5.7.1 rejected\r\n"])
    with scripted(script) as server:
        result = via(two, server.port, letter_ids=("appeal--minister",))
    assert statuses(result) == [("failed", "554 5.7.1 rejected")]
    assert [(r.state, r.attempts) for r in rows(two)] == [("failed", 1)]


def test_a_relay_that_stalls_after_mail_from_is_given_up_after_one_deadline(tmp_path):
    root = send_workspace(tmp_path, 5)
    approved(root, formats=("pdf",))
    script = Script(mail=STALL)
    with scripted(script) as server:
        result = via(root, server.port, message_deadline=1.0)
    assert statuses(result)[0] == ("failed", "the SMTP server stopped answering during MAIL (message_deadline "
                                             "1 s); nothing was delivered")
    assert set(statuses(result)[1:]) == {("failed", "not sent: the SMTP server stalled during MAIL "
                                                    "(send again later)")}
    assert script.reached.count("mail") == 1 and script.connections == 1
    assert [r.state for r in rows(root)] == ["failed"]  # the others never started


def test_a_relay_that_stalls_after_the_dot_leaves_that_message_in_doubt_and_the_rest_untried(two):
    script = Script(dot=STALL)
    with scripted(script) as server:
        result = via(two, server.port, message_deadline=1.0)
    assert [o.status for o in result.outcomes] == ["in doubt", "failed"]
    assert result.outcomes[0].detail.startswith("no answer after the message was sent (message_deadline 1 s)")
    assert len(script.received) == 1
    assert [r.shown_state for r in rows(two)] == ["in doubt"]


def test_a_relay_that_never_greets_stops_the_run_before_anything_is_logged(two):
    with scripted(Script(banner=STALL)) as server, pytest.raises(SmtpError) as caught:
        via(two, server.port, relay_deadline=0.5)
    assert caught.value.message == (f"127.0.0.1:{server.port}: error: the SMTP server did not get ready within "
                                    "0.5 s (relay_deadline) (check the relay, or raise relay_deadline in "
                                    "appealkit.yaml)")
    assert not (two / "sent.sqlite").exists() or rows(two) == []


def test_an_endless_banner_is_cut_after_100_lines(two):
    with scripted(Script(banner=FLOOD)) as server, pytest.raises(SmtpError) as caught:
        via(two, server.port)
    assert caught.value.message.endswith("cannot connect to the SMTP server: a reply of more than 100 lines "
                                         "(check `smtp_host`, `smtp_port` and `smtp_security`)")


def test_an_endless_ehlo_reply_is_cut_too(two):
    with scripted(Script(ehlo=FLOOD)) as server, pytest.raises(SmtpError) as caught:
        via(two, server.port)
    assert "a reply of more than 100 lines" in caught.value.message


def test_a_100_kb_reply_line_before_data_fails_the_letter_and_delivers_nothing(two):
    script = Script(mail=b"250 " + b"x" * 100_000 + b"\r\n")
    clock = FixedClock()
    with scripted(script) as server:
        result = via(two, server.port, clock=clock, letter_ids=("appeal--minister",))
    ((status, detail),) = statuses(result)
    assert status == "failed"
    assert detail == ("connection lost during MAIL: a reply line longer than 1024 bytes "
                      "(gave up after 3 attempts)")
    assert script.received == [] and clock.waits == [0.5, 1.0]


MUELLER = ("office: Minister for Foreign Affairs\nholder:\n  name: Minister Müller\nterm:\n  from: 2025-01-01\n"
           "salutation: Dear Minister,\naddress: [Ministry, City]\nlanguage: en\nemail: müller@example.org\n")


def test_a_server_without_smtputf8_gets_a_clear_refusal_for_an_international_address(tmp_path):
    root = send_workspace(tmp_path, 1, {"recipients/minister.yaml": MUELLER})
    approved(root, formats=("pdf",))
    script = Script(ehlo=b"250-scripted\r\n250 8BITMIME\r\n")
    with scripted(script) as server:
        result = via(root, server.port)
    assert statuses(result) == [("failed", "the SMTP server does not offer SMTPUTF8, which an address with "
                                           "letters beyond ASCII needs (ask for a relay that does, or use an "
                                           "ASCII address)")]
    assert "mail" not in script.reached


def test_an_international_address_goes_by_smtputf8_when_the_server_offers_it(tmp_path):
    root = send_workspace(tmp_path, 1, {"recipients/minister.yaml": MUELLER})
    approved(root, formats=("pdf",))
    mailbox = Mailbox()
    with smtp_server(mailbox, smtputf8=True) as port:
        result = via(root, port)
    assert [o.status for o in result.outcomes] == ["sent"]
    ((_, rcpts, data),) = mailbox.received
    assert rcpts == ("müller@example.org",)
    message = email.message_from_string(data.decode("utf-8"), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "müller@example.org"
    assert message["To"].addresses[0].display_name == "Minister Müller"
