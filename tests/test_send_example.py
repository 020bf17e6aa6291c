"""The README's walk-through on a copy of the Bonn example: approve → status → send --dry-run → sent."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys

from click.testing import CliRunner
from helpers import REPO

from appealkit.cli import cli
from appealkit.source.workspace import load_workspace

COPY = ("facts", "people", "recipients", "templates", "campaigns")


def test_every_bonn_recipient_has_an_address_and_example_ones_are_marked():
    workspace = load_workspace(REPO)
    for recipient in workspace.recipients.values():
        assert recipient.email
        for address in (recipient.email, *recipient.cc):
            if address.endswith("@example.org"):
                text = (REPO / recipient.where.file).read_text(encoding="utf-8")
                assert "example address" in text.lower()


def test_the_walk_through_works_on_the_example(tmp_path):
    for folder in COPY:
        shutil.copytree(REPO / folder, tmp_path / folder)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, ["--root", str(tmp_path), *args])
        return result

    assert run("build", "campaigns/bonn-2025.yaml", "--jobs", "1").exit_code == 0
    approve = run("approve", "campaigns/bonn-2025.yaml", "--by", "Leyla Aliyeva")
    assert approve.exit_code == 0, approve.output
    status = run("status", "campaigns/bonn-2025.yaml")
    assert status.exit_code == 0
    assert [line.split()[0] for line in status.output.splitlines()[:-1]] == ["approved"] * 5
    dry = run("send", "campaigns/bonn-2025.yaml", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1].startswith("5 written, 0 failed (outbox: ")
    outbox = tmp_path / "build" / "bonn-2025" / "outbox"
    german = email.message_from_bytes(
        (outbox / "appeal-de-foreign-minister--de-foreign-minister--de.eml").read_bytes(),
        policy=email.policy.default)
    assert german["Subject"].startswith("Politische Gefangene, Abschiebungen")
    cover = german.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert cover.startswith("Sehr geehrter Herr Bundesminister,\n\nanbei")
    council = email.message_from_bytes(
        (outbox / "appeal-coe-committee-of-ministers--coe-cm-chair.eml").read_bytes(), policy=email.policy.default)
    assert council["Cc"] == "cm-secretariat@example.org"
    assert run("sent").output == "0 message(s)\n"


def test_the_cli_imports_no_smtp_or_sqlite_at_start_up():
    code = ("import sys, appealkit.cli; "
            "print([m for m in ('smtplib', 'sqlite3', 'appealkit.send') if m in sys.modules])")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert found.stdout.strip() == "[]"


def test_status_and_sent_never_load_smtplib():
    code = ("import sys\nfrom appealkit.cli import main\n"
            "for args in (['status', 'campaigns/bonn-2025.yaml'], ['sent']):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
            "print('smtplib' in sys.modules, file=sys.stderr)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert found.stderr.splitlines()[-1] == "False"
