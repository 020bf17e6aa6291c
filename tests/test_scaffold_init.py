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
    assert (results["check"].exit_code, results["check"].output) == (0, "checked 7 files: no findings\n")
    assert results["build"].exit_code == 0, results["build"].output
    assert results["build"].stderr == ""
    assert results["diff"].exit_code == 1  # something changed: the figure
    assert "at least [-12-] {+14+} detained journalists" in results["diff"].stdout
    assert (results["audit"].exit_code, results["audit"].output) == (0, "audited 1 file: no findings\n")
    log = subprocess.run(["git", "log", "--oneline"], cwd=root, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2
