"""`appealkit sent`: who received what, and who holds a figure that has changed since."""

from __future__ import annotations

import datetime
import json

from click.testing import CliRunner
from send_helpers import approved, send_now, send_workspace
from smtp_server import Mailbox, smtp_server

from appealkit.cli import cli

NEW_FACT = """
    exiles:
      value: 300
      qualifier: more than
      noun: activists in exile
      as_of: 2025-10-01
      sources:
        - title: Conference appeal
"""


def waiting() -> str:
    """What `sent` says of a letter sent on the fixed clock's day (2025-10-27) that got no reply."""
    days = (datetime.datetime.now(datetime.UTC).date() - datetime.date(2025, 10, 27)).days
    return f"  (awaiting reply ({days} days since sending))"


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), "sent", *args])


def sent_workspace(tmp_path):
    """Three letters sent: two cite political_prisoners, one (brief--minister) cites only exiles."""
    root = send_workspace(tmp_path, 2, {
        "facts/exiles.yaml": NEW_FACT,
        "templates/brief.md": 'We stand with {{ fact("exiles") }}.\n',
    })
    campaign = root / "campaigns" / "test.yaml"
    campaign.write_text(campaign.read_text() + "  - template: brief.md\n    recipient: minister\n")
    approved(root, formats=("pdf",))
    with smtp_server(Mailbox()) as port:
        result = send_now(root, port)
    assert result.count("sent") == 3
    return root


def test_sent_fact_lists_the_letters_that_cited_it_and_marks_a_changed_value(tmp_path):
    root = sent_workspace(tmp_path)
    facts = root / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text().replace("value: 400", "value: 375", 1))
    result = run(root, "--fact", "political_prisoners")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "2025-10-27T09:00:00Z  sent     test/appeal--minister  → minister <minister@example.org>" + waiting(),
        "    political_prisoners: cited about 400 (as of 2025-10-25); now about 375",
        "2025-10-27T09:00:00Z  sent     test/appeal--minister-02  → minister-02 <minister-02@example.org>"
        + waiting(),
        "    political_prisoners: cited about 400 (as of 2025-10-25); now about 375",
        "2 message(s); 2 cited a value that has changed since and got no correction",
    ]
    data = json.loads(run(root, "--fact", "journalists", "--format", "json").stdout)
    assert [(x["letter"], x["email"], x["sent_at"]) for x in data["letters"]] == [
        ("appeal--minister", "minister@example.org", "2025-10-27T09:00:00Z"),
        ("appeal--minister-02", "minister-02@example.org", "2025-10-27T09:00:00Z"),
    ]
    assert [(f["id"], f["cited"], f["now"], f["differs"]) for f in data["letters"][0]["facts"]] == [
        ("journalists", "more than 40", "more than 40", False),
        ("journalists.women", "9", "9", False),
    ]


def test_sent_lists_every_message_and_filters_by_campaign_and_day(tmp_path):
    root = sent_workspace(tmp_path)
    every = run(root)
    assert every.output.splitlines()[-2:] == [
        "2025-10-27T09:00:00Z  sent     test/brief--minister  → minister <minister@example.org>" + waiting(),
        "3 message(s)",
    ]
    assert run(root, "--fact", "exiles").output.splitlines()[-1] == "1 message(s); 0 cited a value that has changed since and got no correction"
    assert run(root, "--campaign", "other").output == "0 message(s)\n"
    # --campaign takes a file or an id, as everywhere
    assert run(root, "--campaign", "campaigns/test.yaml").output == run(root, "--campaign", "test").output
    assert run(root, "--campaign", "test").output.splitlines()[-1] == "3 message(s)"
    assert run(root, "--since", "2025-10-28").output == "0 message(s)\n"
    assert run(root, "--since", "2025-10-27").output.splitlines()[-1] == "3 message(s)"


def test_the_log_exports_as_json_lines(tmp_path):
    root = sent_workspace(tmp_path)
    lines = run(root, "--export", "jsonl").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["letter"], r["state"], r["address"]) for r in rows] == [
        ("appeal--minister", "sent", "minister@example.org"),
        ("appeal--minister-02", "sent", "minister-02@example.org"),
        ("brief--minister", "sent", "minister@example.org"),
    ]
    assert {"fact": "exiles", "value": "300", "qualifier": "more than", "as_of": "2025-10-01"} in rows[2]["facts"]
    assert rows[0]["attachments"][0]["file"] == "appeal--minister.pdf"


def test_a_workspace_that_never_sent_has_an_empty_log(tmp_path):
    root = send_workspace(tmp_path, 1)
    assert run(root).output == "0 message(s)\n"
    assert not (root / "sent.sqlite").exists()


def test_an_unknown_fact_is_an_error_with_a_suggestion(tmp_path):
    root = sent_workspace(tmp_path)
    result = run(root, "--fact", "political_prisoner")
    assert (result.exit_code, result.output) == (1, "--fact: error: no fact 'political_prisoner' in facts/ or in "
                                                    "the sent log (did you mean 'political_prisoners'?)\n")


def test_a_fact_removed_since_is_still_answered_from_the_log(tmp_path):
    root = sent_workspace(tmp_path)
    (root / "facts" / "exiles.yaml").unlink()
    (root / "templates" / "brief.md").write_text("We stand with them.\n", encoding="utf-8")
    result = run(root, "--fact", "exiles")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "    exiles: cited more than 300 (as of 2025-10-01); the fact no longer exists"
