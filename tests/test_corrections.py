"""A new version of a letter to someone who had the earlier one goes as a correction, and says so."""

from __future__ import annotations

from click.testing import CliRunner
from send_helpers import approved, loaded, send_now, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.cli import cli
from appealkit.send.corrections import correction_for
from appealkit.send.sent_log import CitedFact, SentRow


def _change_the_figure(root):
    facts = root / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("value: 400", "value: 375", 1), encoding="utf-8")


def test_a_corrected_letter_names_the_first_message_and_what_changed(tmp_path):
    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        assert send_now(root, port).count("sent") == 1
        _change_the_figure(root)
        approved(root, formats=("pdf",))
        second = send_now(root, port)
    assert [o.status for o in second.outcomes] == ["sent"]
    first_message, correction = mailbox.messages()
    assert correction["Subject"] == "Correction: Appeal for the release of political prisoners"
    assert correction["In-Reply-To"] == first_message["Message-ID"]
    assert first_message["Message-ID"] in correction["References"]
    body = correction.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("This message corrects our letter sent on 27 October 2025. What changed:\n\n"
                           "- about 400 political prisoners → about 375 political prisoners\n\nDear Minister,")
    report = CliRunner().invoke(cli, ["--root", str(root), "sent", "--fact", "political_prisoners"])
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert lines[1] == "    political_prisoners: cited about 400 (as of 2025-10-25); now about 375"
    assert lines[2].startswith("    corrected by the message of 2025-10-27T09:00:00Z (<")
    assert "(a correction;" in lines[3]
    assert lines[-1] == "2 message(s); 0 cited a value that has changed since and got no correction"


def test_status_says_an_approved_new_version_goes_as_a_correction(tmp_path):
    from appealkit.send.status import read_status

    root = send_workspace(tmp_path, 1)
    approved(root, formats=("pdf",))
    with smtp_server(Mailbox()) as port:
        send_now(root, port)
    _change_the_figure(root)
    approved(root, formats=("pdf",))
    (state,) = read_status(*loaded(root)).letters
    assert state.state == "approved"
    assert "an earlier version was sent on 2025-10-27T09:00:00Z: this one goes as its correction" in state.notes


def _row(**changes):
    base = dict(id=1, campaign="test", letter="appeal--minister", recipient="minister", address="m@example.org",
                cc=(), envelope=("m@example.org",), subject="Appeal", message_id="<1@example.org>",
                input_hash="a" * 64, attachments=(), state="sent", started_at="2025-10-27T09:00:00Z",
                finished_at="2025-10-27T09:00:01Z", smtp_response="250 OK", attempts=1,
                facts=(CitedFact("political_prisoners", "400", "about", "2025-10-25"),
                       CitedFact("journalists", "40", "more than", "2025-10-25")))
    return SentRow(**{**base, **changes})


def test_what_changed_is_said_in_the_letters_language(tmp_path):
    from helpers import make_workspace

    from appealkit.source.workspace import load_workspace

    workspace = load_workspace(make_workspace(tmp_path))
    cited = {"political_prisoners": {"value": 375, "qualifier": "about"}}
    german = correction_for(workspace, "de", (_row(),), cited)
    assert german is not None
    assert german.text.splitlines()[0] == "Diese Nachricht berichtigt unser Schreiben vom 27. Oktober 2025. " \
                                          "Geändert hat sich:"
    assert german.text.splitlines()[2:] == ["- mehr als 40 journalists: nicht mehr genannt",
                                            "- rund 400 political prisoners → rund 375 political prisoners"]
    french = correction_for(workspace, "fr", (_row(),), {**cited, "journalists": {"value": 40,
                                                                                  "qualifier": "more than"}})
    assert french is not None
    assert french.text.splitlines()[0] == "Ce message rectifie notre lettre envoyée le 27 octobre 2025. " \
                                          "Ce qui a changé :"
    assert french.text.splitlines()[2:] == ["- environ 400 political prisoners → environ 375 political prisoners"]
    assert correction_for(workspace, "en", (), cited) is None
