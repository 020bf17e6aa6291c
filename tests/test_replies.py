"""`appealkit reply` and follow-ups: who answered, and who is due a reminder after follow_up_after days."""

from __future__ import annotations

import datetime

from click.testing import CliRunner
from send_helpers import CAMPAIGN, approved, loaded, send_now, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.cli import cli
from appealkit.send.clock import FixedClock
from appealkit.send.sent_log import SentLog
from appealkit.send.status import campaign_status


def sent_two(tmp_path, follow_up_after=30):
    root = send_workspace(tmp_path, 2, {"campaigns/test.yaml": CAMPAIGN + f"    follow_up_after: {follow_up_after}\n"})
    approved(root, formats=("pdf",))
    with smtp_server(Mailbox()) as port:
        assert send_now(root, port).count("sent") == 2
    return root


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def states(root, day):
    workspace, campaign = loaded(root)
    with SentLog(root / "sent.sqlite") as log:
        status = campaign_status(workspace, campaign, None, log, day)
    return [str(s.follow_up) for s in status.letters]


def test_a_letter_awaits_a_reply_then_is_due_a_follow_up(tmp_path):
    root = sent_two(tmp_path)
    assert states(root, datetime.date(2025, 11, 6)) == ["awaiting reply (10 days since sending)"] * 2
    assert states(root, datetime.date(2025, 11, 26)) == ["follow-up due (30 days since sending)"] * 2


def test_a_recorded_reply_with_its_file_ends_the_wait(tmp_path):
    root = sent_two(tmp_path)
    answer = tmp_path / "answer.pdf"
    answer.write_bytes(b"%PDF-1.4 the ministry's answer")
    result = run(root, "reply", "appeal--minister", "--date", "2025-11-03", "--file", str(answer),
                 "--note", "Acknowledged; will raise it")
    assert result.exit_code == 0, result.output
    kept = root / "replies" / "test" / "2025-11-03 appeal--minister.pdf"
    assert kept.read_bytes() == answer.read_bytes()
    assert result.output == f"recorded the reply of 2025-11-03 to test/appeal--minister; kept as {kept}\n"
    assert states(root, datetime.date(2025, 11, 26)) == ["replied on 2025-11-03: Acknowledged; will raise it",
                                                         "follow-up due (30 days since sending)"]
    status = run(root, "status", "test")
    assert "replied on 2025-11-03: Acknowledged; will raise it" in status.output.splitlines()[0]
    assert status.output.splitlines()[-1].endswith("; 1 follow-up(s) due")
    listed = run(root, "sent").output.splitlines()
    assert listed[0].endswith("(replied on 2025-11-03: Acknowledged; will raise it)")
    assert "follow-up due (" in listed[1]


REFUSED = [
    (("reply", "appeal--ministr", "--date", "2025-11-03"),
     "appeal--ministr: error: no letter 'appeal--ministr' was sent (did you mean 'appeal--minister'?)\n"),
    (("reply", "appeal--minister", "--date", "2025-10-01"),
     "--date: error: 2025-10-01 is before the letter was sent (2025-10-27) (give the day the reply arrived "
     "(YYYY-MM-DD))\n"),
    (("reply", "appeal--minister", "--date", "2999-01-01"),
     "--date: error: 2999-01-01 is still to come (give the day the reply arrived (YYYY-MM-DD))\n"),
    (("reply", "appeal--minister", "--date", "2025-11-03", "--note", "bad\x1b[2J"),
     "--note: error: the note holds a control character or is longer than 2000 characters (write it again "
     "as one plain paragraph)\n"),
    (("reply", "appeal--minister", "--date", "2025-11-03", "--file", "nowhere.pdf"),
     "nowhere.pdf: error: cannot read the reply's file (No such file or directory)\n"),
]


def test_each_mistake_is_one_line_and_nothing_is_recorded(tmp_path):
    root = sent_two(tmp_path)
    for args, expected in REFUSED:
        result = run(root, *args)
        assert (result.exit_code, result.output) == (1, expected), args
    with SentLog(root / "sent.sqlite") as log:
        assert log.replies() == []
    assert not (root / "replies").exists()


def test_a_reply_before_anything_was_sent_is_refused(tmp_path):
    root = send_workspace(tmp_path, 1)
    result = run(root, "reply", "appeal--minister", "--date", "2025-11-03")
    assert (result.exit_code, result.output) == (1, "sent.sqlite: error: nothing was sent from this workspace "
                                                    "yet (a reply is recorded for a letter that was sent)\n")


def test_a_fixed_clock_decides_the_days(tmp_path):
    from appealkit.send.replies import ReplyOptions, record_reply

    root = sent_two(tmp_path)
    workspace, _ = loaded(root)
    recorded = record_reply(workspace, ReplyOptions("appeal--minister-02", datetime.date(2025, 10, 27)),
                            FixedClock())
    assert (recorded.reply.letter, recorded.reply.file, recorded.copied) == ("appeal--minister-02", "", None)
