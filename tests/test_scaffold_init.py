"""`appealkit init`: the workspace it makes checks clean, and its README's everyday loop works as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess

from click.testing import CliRunner

from appealkit.cli import cli

GIT = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def loop_commands(readme: str) -> list[str]:
    """The commands of the README's "everyday loop" section, comments removed, in order."""
    section = readme.split("## The everyday loop", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, re.DOTALL)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_scaffold_checks_clean_and_its_readme_loop_runs(tmp_path, monkeypatch):
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "ws")]).exit_code == 0
    root = tmp_path / "ws"
    commands = loop_commands((root / "README.md").read_text(encoding="utf-8"))
    assert [c.split()[:2] for c in commands] == [
        ["git", "init"], ["appealkit", "check"], ["appealkit", "build"], ["appealkit", "diff"],
        ["appealkit", "audit"], ["git", "commit"]]
    monkeypatch.chdir(root)
    results = {}
    for command in commands:
        if command.startswith("git "):
            subprocess.run(command, shell=True, check=True, cwd=root, capture_output=True,
                           env={**os.environ, **GIT})
            if command.startswith("git init"):  # the edit the loop is for
                facts = root / "facts" / "example.yaml"
                facts.write_text(facts.read_text(encoding="utf-8").replace("value: 12 ", "value: 14 "),
                                 encoding="utf-8")
            continue
        args = shlex.split(command)[1:]
        results[args[0]] = CliRunner().invoke(cli, args)
    assert (results["check"].exit_code, results["check"].output) == (0, "checked 8 files: no findings\n")
    assert results["build"].exit_code == 0, results["build"].output
    assert results["build"].stderr == ""
    assert results["diff"].exit_code == 1  # something changed: the figure
    assert "at least [-12-] {+14+} detained journalists" in results["diff"].stdout
    assert (results["audit"].exit_code, results["audit"].output) == (0, "audited 1 file: no findings\n")
    log = subprocess.run(["git", "log", "--oneline"], cwd=root, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2


def test_the_gitignore_keeps_the_sent_log_builds_and_editor_files_out_of_git(tmp_path):
    from appealkit.send.sending import OUTBOX
    from appealkit.send.sent_log import SENT_LOG

    root = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    kept_out = ["build/example/appeal--example-minister.pdf", SENT_LOG, f"{SENT_LOG}-journal", f"{SENT_LOG}-wal",
                f".{SENT_LOG}.lock", f"build/example/{OUTBOX}/a.eml", f"{OUTBOX}/a.eml", "facts/example.yaml~",
                "templates/.appeal.md.swp", "templates/#appeal.md#", ".~lock.letter.docx#", "~$letter.docx",
                ".DS_Store", "templates/.DS_Store", "Thumbs.db"]
    kept_in = ["facts/example.yaml", "appealkit.yaml", "approvals/example.yaml", "templates/appeal.md",
               ".gitignore", "README.md"]
    asked = subprocess.run(["git", "check-ignore", "--no-index", *kept_out, *kept_in], cwd=root,
                           capture_output=True, text=True, check=False)
    assert asked.stdout.splitlines() == kept_out


def test_init_writes_a_settings_file_whose_every_commented_setting_loads(tmp_path):
    from appealkit.source.settings import load_settings

    root = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    settings = root / "appealkit.yaml"
    assert load_settings(root).path == settings  # every line a comment: the built-in defaults
    text = settings.read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in text.splitlines() if line.strip())
    uncommented = re.sub(r"(?m)^# (?=\S+:|  \S+:)", "", text)
    settings.write_text(uncommented, encoding="utf-8")
    loaded = load_settings(root)
    assert (loaded.defaults.campaign, loaded.defaults.formats) == ("example", ("docx", "pdf"))
    assert (loaded.send.smtp_host, loaded.send.smtp_port, loaded.send.smtp_security) == (
        "smtp.example.org", 587, "starttls")
    assert (loaded.send.smtp_user, loaded.send.sender_email) == ("appeals@example.org", "appeals@example.org")
    keys = set(re.findall(r"(?m)^# {3}(\w+):", text))
    assert keys == {"campaign", "formats", "smtp_host", "smtp_port", "smtp_security", "smtp_user",
                    "password_env", "sender_email", "sender_name"}
