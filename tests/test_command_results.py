"""`sent`, `facts`, `translations`, `approve` and `status`: options made once in the core, refused with the same line from
Python and the command line (field there, flag here), and warnings carried by the result as values."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import copy_example
from send_helpers import send_workspace

from appealkit.checks import fact_usage
from appealkit.checks.check_options import CheckOptions
from appealkit.checks.fact_usage import FactsOptions, facts_of
from appealkit.cli import cli
from appealkit.errors import AppealkitError, Problem, UsageError, warn
from appealkit.send import sent_report
from appealkit.send.approvals import ApproveOptions
from appealkit.send.replies import ReplyOptions
from appealkit.send.sent_report import SentOptions, read_sent
from appealkit.send.status import StatusOptions
from appealkit.source.workspace import load_workspace
from appealkit.translate import status
from appealkit.translate.files import ExportOptions
from appealkit.translate.status import TranslationsOptions, translations_report


def run(root, *args):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def example(tmp_path):
    return copy_example(tmp_path / "ws")


@pytest.mark.parametrize(("kwargs", "args", "expected"), [
    ({"campaign": ""}, ("--campaign", ""),
     "--campaign: error: '' is not a campaign (give a campaign file or its id)"),
    ({"campaign": " "}, ("--campaign", " "),
     "--campaign: error: ' ' is not a campaign (give a campaign file or its id)"),
    ({"fact": ""}, ("--fact", ""),
     "--fact: error: '' is not a fact id (see appealkit facts for the fact ids)"),
])
def test_sent_options_are_refused_with_the_same_line_from_python_and_the_cli(tmp_path, kwargs, args, expected):
    root = send_workspace(tmp_path, 1)
    with pytest.raises(UsageError) as caught:
        read_sent(load_workspace(root), **kwargs)
    assert caught.value.message == expected.removeprefix("--")
    result = run(root, "sent", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")


def test_sent_options_take_a_day_as_text_and_refuse_a_typo():
    assert SentOptions(since="2025-10-27").since == datetime.date(2025, 10, 27)
    assert SentOptions(since=datetime.datetime(2025, 10, 27, 9)).since == datetime.date(2025, 10, 27)
    with pytest.raises(UsageError) as caught:
        SentOptions(since="27.10.2025")
    assert caught.value.message == "since: error: '27.10.2025' is not a date (write it as YYYY-MM-DD)"


def test_facts_and_translations_refuse_a_blank_campaign_with_the_same_line(example):
    workspace = load_workspace(example)
    with pytest.raises(UsageError) as caught:
        facts_of(workspace, ["bonn-2025", ""])
    expected = "--campaign: error: '' is not a campaign (give a campaign file or its id)"
    assert caught.value.message == "campaigns: error: '' is not a campaign (give a campaign file or its id)"
    result = run(example, "facts", "--campaign", "bonn-2025", "--campaign", "")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")
    with pytest.raises(UsageError) as caught:
        translations_report(workspace, TranslationsOptions(""))
    assert caught.value.message == expected.removeprefix("--")
    result = run(example, "translations", "--campaign", "")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")


def test_facts_options_take_a_lone_campaign_as_one():
    assert FactsOptions("bonn-2025").campaigns == ("bonn-2025",)  # type: ignore[arg-type]


def warning_on_the_way(monkeypatch, module, name):
    """A warning met inside the command (none of these meets one on the example today): the
    function `name` of `module` reports one before it does its work."""
    original = getattr(module, name)

    def warned(*args, **kwargs):
        warn("templates/letterhead.docx", None, "removed the external link from the letterhead")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, warned)
    return Problem("templates/letterhead.docx", None, "removed the external link from the letterhead",
                   severity="warning")


@pytest.mark.parametrize(("module", "name", "args", "call"), [
    (fact_usage, "fact_rows", ("facts",), lambda w: facts_of(w)),
    (status, "translation_status", ("translations",), lambda w: translations_report(w, TranslationsOptions())),
    (sent_report, "sent_letters", ("sent",), lambda w: read_sent(w)),
])
def test_a_warning_is_a_value_of_the_result_and_strict_fails_on_it(example, monkeypatch, module, name, args,
                                                                    call):
    problem = warning_on_the_way(monkeypatch, module, name)
    assert call(load_workspace(example)).problems == (problem,)
    line = "warning: templates/letterhead.docx: removed the external link from the letterhead"
    result = run(example, *args)
    assert result.exit_code == 0 and result.stderr.splitlines().count(line) == 1
    strict = run(example, "--strict", *args)
    assert strict.exit_code == 1 and strict.stderr.splitlines().count(line) == 1
    assert strict.stderr.splitlines()[-1].startswith("--strict: error: 1 warning(s)")


def test_approve_refuses_a_blank_name_with_the_same_line_before_reading_the_build(tmp_path):
    """`ApproveOptions` is made before anything is read: the line is the same from Python and the CLI."""
    root = send_workspace(tmp_path, 1)
    expected = "--by: error: the approver's name is empty (give the reviewer's name)"
    with pytest.raises(AppealkitError) as caught:
        ApproveOptions(" ")
    assert caught.value.message == expected.removeprefix("--")
    result = run(root, "approve", "test", "--by", " ")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected + "\n")
    assert ApproveOptions("Leyla Aliyeva", "appeal--minister").letter_ids == ("appeal--minister",)  # type: ignore[arg-type]


def test_status_options_take_a_folder_as_text_and_refuse_what_is_no_path():
    assert StatusOptions("build/test").out_dir == Path("build/test")  # type: ignore[arg-type]
    with pytest.raises(UsageError) as caught:
        StatusOptions(3)  # type: ignore[arg-type]
    assert caught.value.message == "out_dir: error: '3' is not a folder (give the build folder, such as build/bonn-2025)"


def test_check_options_take_a_lone_campaign_as_one_and_refuse_what_is_no_campaign():
    """Before, `check(workspace, "bonn-2025")` read the string as one campaign per character."""
    assert CheckOptions("bonn-2025").campaigns == ("bonn-2025",)  # type: ignore[arg-type]
    assert CheckOptions((Path("campaigns/bonn-2025.yaml"),)).campaigns == ("campaigns/bonn-2025.yaml",)  # type: ignore[arg-type]
    with pytest.raises(UsageError) as caught:
        CheckOptions((3,))  # type: ignore[arg-type]
    assert caught.value.message == "campaigns: error: '3' is not a campaign (give a campaign file or its id)"


def test_reply_refuses_a_bad_note_with_the_same_line_before_reading_the_log(tmp_path):
    """`ReplyOptions` checks what needs no workspace: the same line from Python and the CLI, even
    before anything was sent; a day may be given as text from Python."""
    root = send_workspace(tmp_path, 1)
    expected = ("--note: error: the note holds a control character or is longer than 2000 characters "
                "(write it again as one plain paragraph)")
    with pytest.raises(AppealkitError) as caught:
        ReplyOptions("appeal--minister", datetime.date(2025, 11, 3), note="bad\x1b[2J")
    assert caught.value.message == expected.removeprefix("--")
    result = run(root, "reply", "appeal--minister", "--date", "2025-11-03", "--note", "bad\x1b[2J")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected + "\n")
    assert ReplyOptions("appeal--minister", "2025-11-03").received_on == datetime.date(2025, 11, 3)  # type: ignore[arg-type]
    with pytest.raises(UsageError) as caught:
        ReplyOptions("appeal--minister", "3.11.2025")  # type: ignore[arg-type]
    assert caught.value.message == "received_on: error: '3.11.2025' is not a date (write it as YYYY-MM-DD)"


def test_export_options_refuse_an_unknown_format_and_a_language_that_is_no_text():
    with pytest.raises(UsageError) as caught:
        ExportOptions("de", "xlf")
    assert caught.value.message == "fmt: error: unknown format 'xlf' (use xliff or po)"
    with pytest.raises(UsageError) as caught:
        ExportOptions(None)  # type: ignore[arg-type]
    assert caught.value.message == ("language: error: 'None' is not a language code "
                                    "(use a language code such as de, fr or az)")
