"""appealkit.yaml: the relay, the sender and the defaults, every mistake one line with its line number."""

from __future__ import annotations

import os
import textwrap

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli
from appealkit.errors import WorkspaceError
from appealkit.source.settings import DefaultSettings, SendSettings, Settings, load_settings

FULL = """
# the relay of the organisation
send:
  smtp_host: smtp.example.org
  smtp_port: 2525
  smtp_security: ssl
  smtp_user: appeals@example.org
  password_env: ASIMKOM_SMTP
  sender_email: appeals@example.org
  sender_name: ASIMKOM appeals
  message_deadline: 90
  relay_deadline: 15.5
  connections: 4
  attach: [docx, pdf]
defaults:
  campaign: test
  formats: pdf
"""


def write(root, text: str) -> None:
    (root / "appealkit.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_no_file_gives_the_built_in_defaults(tmp_path):
    root = make_workspace(tmp_path)
    assert load_settings(root) == Settings()
    assert load_settings(root).send.password_env == "APPEALKIT_SMTP_PASSWORD"


def test_a_file_of_comments_only_is_the_defaults(tmp_path):
    root = make_workspace(tmp_path)
    write(root, "# send:\n#   smtp_host: smtp.example.org\n")
    settings = load_settings(root)
    assert settings.send == SendSettings() and settings.defaults == DefaultSettings()
    assert settings.path == root / "appealkit.yaml"


def test_every_key_is_read(tmp_path):
    root = make_workspace(tmp_path)
    write(root, FULL)
    settings = load_settings(root)
    send = settings.send
    assert (send.smtp_host, send.smtp_port, send.smtp_security, send.smtp_user, send.password_env) == (
        "smtp.example.org", 2525, "ssl", "appeals@example.org", "ASIMKOM_SMTP")
    assert (send.sender_email, send.sender_name) == ("appeals@example.org", "ASIMKOM appeals")
    assert (send.message_deadline, send.relay_deadline, send.connections) == (90.0, 15.5, 4)
    assert send.attach == ("docx", "pdf")
    assert settings.defaults.campaign == "test" and settings.defaults.formats == ("pdf",)
    assert send.where.line == 2 and settings.defaults.where.line == 14


BAD = [
    ("send:\n  smtp_port: 70000\n", ["appealkit.yaml:2: error: 'smtp_port' must be a port number from 1 to 65535"]),
    ("send:\n  smtp_security: startls\n",
     ["appealkit.yaml:2: error: 'smtp_security' must be one of: starttls, ssl, none; did you mean 'starttls'?"]),
    ("send:\n  smtp_host: smtp.example.org\n  password: hunter2\n",
     ["appealkit.yaml:3: error: 'password': a password never goes in the settings file (it is kept in git) "
      "(remove it; put the password in the environment variable named by 'password_env' (default "
      "APPEALKIT_SMTP_PASSWORD) or in the system keyring)"]),
    ("send:\n  smtp_hots: smtp.example.org\n",
     ["appealkit.yaml:2: error: unknown key 'smtp_hots' in the 'send:' section (did you mean 'smtp_host'?)"]),
    ("send:\n  password_env: hunter2 with spaces\n",
     ["appealkit.yaml:2: error: 'password_env' must be the name of an environment variable, such as "
      "APPEALKIT_SMTP_PASSWORD (the name, never the password)"]),
    ("send:\n  message_deadline: 0\n  relay_deadline: forever\n",
     ["appealkit.yaml:2: error: 'message_deadline' must be a number of seconds, more than 0 and at most 3600",
      "appealkit.yaml:3: error: 'relay_deadline' must be a number of seconds, more than 0 and at most 3600"]),
    ("send:\n  sender_email: ASIMKOM <appeals@example.org>\n",
     ["appealkit.yaml:2: error: 'sender_email' must be one e-mail address such as office@example.org"]),
    ("send:\n  smtp_host: smtp example org\n",
     ["appealkit.yaml:2: error: 'smtp_host' must be a host name such as smtp.example.org, or an IP address"]),
    ("defaults:\n  formats: [pdf, odt]\n",
     ["appealkit.yaml:2: error: 'formats' must name formats among docx, pdf (not 'odt')"]),
    ("defaults:\n  campaign: bonn-2026\n",
     ["appealkit.yaml:2: error: 'campaign': no campaign 'bonn-2026' in campaigns/ (campaigns here: test)"]),
    ("sending:\n  smtp_host: x\n",
     ["appealkit.yaml:1: error: unknown key 'sending' in the settings file (did you mean 'send'?)"]),
    ("send: smtp.example.org\n",
     ["appealkit.yaml:1: error: the 'send:' section must be a mapping of 'key: value' lines"]),
    ("- send\n", ["appealkit.yaml:1: error: the settings file must be a mapping of 'key: value' lines"]),
    ("send:\n  smtp_host: a\n  smtp_host: b\n",
     ["appealkit.yaml:3: error: YAML syntax: duplicate key 'smtp_host' (first given on line 2) "
      "(remove or rename one of them)"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[b[0].splitlines()[-1].strip() for b in BAD])
def test_every_mistake_is_one_line_with_its_line(tmp_path, text, expected):
    root = make_workspace(tmp_path)
    write(root, text)
    with pytest.raises(WorkspaceError) as caught:
        load_settings(root)
    assert [str(p) for p in caught.value.problems] == expected


def test_check_reports_the_settings_file_with_the_workspace(tmp_path):
    root = make_workspace(tmp_path)
    write(root, "send:\n  smtp_port: 0\n  smtp_hots: x\n")
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("appealkit.yaml")]
    assert lines == ["appealkit.yaml:2: error: 'smtp_port' must be a port number from 1 to 65535",
                     "appealkit.yaml:3: error: unknown key 'smtp_hots' in the 'send:' section "
                     "(did you mean 'smtp_host'?)"]


def test_check_still_reports_the_settings_when_the_workspace_does_not_load(tmp_path):
    root = make_workspace(tmp_path, {"facts/broken.yaml": "a: [\n"})
    write(root, "defaults:\n  formats: odt\n")
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code == 1
    assert "appealkit.yaml:2: error: 'formats' must name formats among docx, pdf (not 'odt')" in result.output
    assert "facts/broken.yaml" in result.output


def test_a_link_to_outside_the_workspace_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("send:\n  smtp_host: smtp.example.org\n", encoding="utf-8")
    root = make_workspace(tmp_path / "ws")
    (root / "appealkit.yaml").symlink_to(outside)
    with pytest.raises(WorkspaceError) as caught:
        load_settings(root)
    assert str(caught.value) == ("appealkit.yaml: error: the file is a symbolic link to outside the workspace "
                                 "(copy the file into the workspace instead)")


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    root = make_workspace(tmp_path)
    os.mkfifo(root / "appealkit.yaml")
    with pytest.raises(WorkspaceError) as caught:
        load_settings(root)
    assert str(caught.value) == ("appealkit.yaml: error: cannot read the file "
                                 "(it is a named pipe, not a regular file)")


def test_a_dangling_link_is_an_error_not_missing_settings(tmp_path):
    root = make_workspace(tmp_path)
    (root / "appealkit.yaml").symlink_to(root / "nowhere.yaml")
    with pytest.raises(WorkspaceError) as caught:
        load_settings(root)
    assert str(caught.value).startswith("appealkit.yaml: error: cannot read the file (")
