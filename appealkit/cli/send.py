"""The send room's commands: `approve`, `status`, `send` and `sent`.

They only parse options, call one core function of `appealkit/send/` and print. Everything
heavy (smtplib, sqlite3, the build) is imported inside the command that needs it.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from appealkit.choices import SMTP_SECURITY
from appealkit.cli.output import echo, echo_data, echo_lines, shown, warning_line
from appealkit.cli.session import load_campaign_of, session, session_options

_build_folder = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                             help="The build folder (default: build/<campaign id>/ in the workspace).")
_letters = click.option("--letter", "letter_ids", multiple=True, help="Only this letter (repeatable).")
_text_or_json = click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
                             show_default=True)


@click.command("approve")
@click.argument("campaign_file", required=False)
@_letters
@click.option("--by", "by", required=True, help="The name of the reviewer who approves.")
@_build_folder
@session_options
def approve_command(campaign_file: str | None, letter_ids: tuple[str, ...], by: str,
                    out_dir: Path | None) -> tuple[object, ...]:
    """Approve letters as built: records who approved which version in approvals/<campaign>.yaml.

    A letter must be built from today's inputs and pass the checks. Commit the file.

    Example: appealkit approve campaigns/bonn-2025.yaml --by "Leyla Aliyeva"
    """
    from appealkit.send.approvals import ApproveOptions, approve_letters
    from appealkit.send.text import approve_lines

    options = ApproveOptions(by, letter_ids, out_dir)
    workspace, campaign = load_campaign_of(campaign_file)
    result = approve_letters(workspace, campaign, options)
    echo_lines(*approve_lines(result, workspace.root))
    for problem in result.problems:
        echo(warning_line(problem), err=True)
    return result.problems


@click.command("status")
@click.argument("campaign_file", required=False)
@_build_folder
@session_options
@_text_or_json
def status_command(campaign_file: str | None, out_dir: Path | None, output: str) -> tuple[object, ...]:
    """Show each letter's state: draft, approved, changed (and what changed), sent or in doubt.

    Example: appealkit status campaigns/bonn-2025.yaml
    """
    from appealkit.send.status import StatusOptions, status_of
    from appealkit.send.text import status_lines

    options = StatusOptions(out_dir)
    workspace, campaign = load_campaign_of(campaign_file)
    status = status_of(workspace, campaign, options)
    if output == "json":
        letters = [s.as_json() for s in status.letters]
        echo_data(json.dumps({"campaign": campaign.id, "letters": letters}, indent=2, ensure_ascii=False))
    else:
        echo_lines(*status_lines(status))
    for problem in status.problems:
        echo(warning_line(problem), err=True)
    return status.problems


@click.command("send")
@click.argument("campaign_file", required=False)
@_build_folder
@session_options
@click.option("--dry-run", is_flag=True,
              help="Write each message as .eml into <out>/outbox/ instead of sending.")
@_letters
@click.option("--attach", "formats",
              help="Files to attach: pdf, docx or docx,pdf (default: attach in appealkit.yaml, else pdf).")
@click.option("--smtp-host", help="The relay (default: send: smtp_host in appealkit.yaml).")
@click.option("--smtp-port", type=click.IntRange(1, 65535),
              help="Default: smtp_port in appealkit.yaml, else 25, 587 (starttls) or 465 (ssl).")
@click.option("--smtp-security", type=click.Choice(SMTP_SECURITY),
              help="Default: smtp_security in appealkit.yaml, else starttls.")
@click.option("--smtp-user", help="The login (default: smtp_user in appealkit.yaml, else "
                                  "$APPEALKIT_SMTP_USER).")
@click.option("--connections", type=click.IntRange(1, 16),
              help="Messages on their way at once, each on its own connection (default 1).")
@click.option("--message-deadline", type=click.FloatRange(0, 3600, min_open=True),
              help="Seconds one message may take, every try included (default: appealkit.yaml, else 120).")
@click.option("--relay-deadline", type=click.FloatRange(0, 3600, min_open=True),
              help="Seconds to reach the relay and log in (default: appealkit.yaml, else 30).")
@click.option("--resend-in-doubt", is_flag=True,
              help="Send again the letters a killed send left in doubt (check the mailbox first).")
@click.option("--test-to", metavar="ADDRESS",
              help="Send each approved letter as it would go to this address only, marked and logged "
                   "as a test.")
def send_command(campaign_file: str | None, out_dir: Path | None, dry_run: bool, letter_ids: tuple[str, ...],
                 formats: str | None, smtp_host: str | None, smtp_port: int | None,
                 smtp_security: str | None, smtp_user: str | None, connections: int | None,
                 message_deadline: float | None, relay_deadline: float | None, resend_in_doubt: bool,
                 test_to: str | None) -> tuple[object, ...]:
    """Send every approved, unchanged, not yet sent letter by e-mail, and log each message.

    The relay comes from the send: section of appealkit.yaml; each option given here wins over it.
    The password comes from the environment variable that password_env names (default
    APPEALKIT_SMTP_PASSWORD) or the system keyring, never from a file. Drafts and letters changed
    since their approval are refused (exit code 1). Each message is logged in sent.sqlite before
    and after it is sent. With --test-to, a copy of each letter goes to that address only, its
    subject marked as a test; it counts as nothing sent.

    Example: appealkit send campaigns/bonn-2025.yaml --test-to me@example.org
    """
    from appealkit.send.options import RelayOptions, SendOptions
    from appealkit.send.sending import send_campaign
    from appealkit.send.text import outcome_line, send_summary

    def line(outcome) -> None:  # for logs, and for the letters a progress bar passed over
        echo(outcome_line(outcome, shown(Path(outcome.detail)) if outcome.status == "written" else ""))

    relay = RelayOptions(smtp_host, smtp_port, smtp_security, smtp_user, message_deadline, relay_deadline)
    attach = (formats,) if formats is not None else None
    options = SendOptions(out_dir, letter_ids, attach, dry_run, relay, connections, resend_in_doubt,
                          test_to or "")
    workspace, campaign = load_campaign_of(campaign_file)
    tty = sys.stdout.isatty()
    bar: Any = click.progressbar(length=len(letter_ids or campaign.letters), label="sending", show_pos=True,
                                 show_eta=True) if tty else contextlib.nullcontext()
    with bar:
        result = send_campaign(workspace, campaign, options,
                               progress=lambda outcome, done, total: bar.update(1) if tty else line(outcome))
    for outcome in result.outcomes if tty else ():
        if outcome.status not in ("sent", "written", "skipped"):
            line(outcome)
    echo(send_summary(result, dry_run, shown(result.outbox) if result.outbox else "", test_to or ""))
    for problem in result.problems:
        echo(warning_line(problem), err=True)
    if not result.ok:
        raise click.exceptions.Exit(1)
    return result.problems


@click.command("sent")
@session_options
@click.option("--campaign", help="Only this campaign, a file or its id.")
@click.option("--fact", help="Only letters citing this fact, with the value they cited and today's value.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only messages logged on or after this day (YYYY-MM-DD).")
@_text_or_json
@click.option("--export", type=click.Choice(["jsonl"]), help="Print the whole log as JSON lines, for git.")
@click.option("--restore", "restore_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Make the sent log anew from a file --export wrote (a damaged log moved aside first).")
def sent_command(campaign: str | None, fact: str | None, since, output: str, export: str | None,
                 restore_file: Path | None) -> tuple[object, ...]:
    """Show which letters were sent, to whom and when; with --fact, who holds a figure that changed.

    Example: appealkit sent --fact political_prisoners
    """
    from appealkit.send.sent_report import SentOptions, read_export, restore_export, sent_report
    from appealkit.send.text import sent_lines
    from appealkit.source.workspace import load_workspace

    workspace = load_workspace(session().root())
    if restore_file:
        count = restore_export(workspace, restore_file, shown(restore_file))
        echo(f"restored {count} message(s) into sent.sqlite from {shown(restore_file)}")
        return ()
    if export:
        click.echo(read_export(workspace), nl=False)
        return ()
    report = sent_report(workspace, SentOptions(campaign, fact, since))
    if output == "json":
        letters = [e.as_json() for e in report.letters]
        echo_data(json.dumps({"letters": letters}, indent=2, ensure_ascii=False))
    else:
        echo_lines(*sent_lines(list(report.letters), fact))
    for problem in report.problems:
        echo(warning_line(problem), err=True)
    return report.problems


@click.command("reply")
@click.argument("letter_id")
@click.option("--date", "received_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the reply arrived (YYYY-MM-DD).")
@click.option("--file", "reply_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The reply itself (a PDF, a scan): copied into replies/<campaign>/ to keep in git.")
@click.option("--note", default="", help="What the reply says, in a few words.")
@click.option("--campaign", help="The campaign (file or id), when letters of several have this id.")
@session_options
def reply_command(letter_id: str, received_on, reply_file: Path | None, note: str,
                  campaign: str | None) -> tuple[object, ...]:
    """Record an institution's reply to a sent letter; status and sent then show it as replied.

    Example: appealkit reply appeal-ec-president--ec-president --date 2025-11-20 --file answer.pdf
    """
    from appealkit.send.replies import ReplyOptions, record_reply
    from appealkit.source.workspace import load_workspace

    workspace = load_workspace(session().root())
    recorded = record_reply(workspace, ReplyOptions(letter_id, received_on.date(), reply_file, note,
                                                    campaign or ""))
    reply = recorded.reply
    kept = f"; kept as {shown(recorded.copied)}" if recorded.copied else ""
    echo(f"recorded the reply of {reply.received_on} to {reply.campaign}/{reply.letter}{kept}")
    for problem in recorded.problems:
        echo(warning_line(problem), err=True)
    return recorded.problems
