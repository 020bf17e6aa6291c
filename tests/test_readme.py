"""README.md keeps up with `--help`: each command's row in the Commands table names every option
the command takes, and every option the README writes exists."""

from __future__ import annotations

import re

import click
import pytest
from helpers import REPO

from appealkit.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")
#: Options every command takes, said once above the table rather than in each row.
EVERYWHERE = {"--root", "--strict", "--help"}
#: Options the README writes that belong to other programs: git's, and the benchmarks' own.
OTHER_PROGRAMS = {"--exit-code": "git diff", "--holdout": "benchmarks/audit_quality.py",
                  "--misses": "benchmarks/audit_quality.py", "--cask": "brew", "--install": "wsl",
                  "--id": "winget", "--rm": "podman run"}
#: `--name` where a word does not continue before it (so `appeal-x--de` is a letter id, not an option).
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
#: Letter-id endings the README writes on their own ("ids ending `--en`, `--de`").
ID_ENDINGS = {"--en", "--de", "--fr", "--az"}
#: The layout's CSS custom properties (`--appealkit-finish: 0` in letter.css) are not options.
CSS_PROPERTY = "--appealkit-"


def options(command: click.Command) -> set[str]:
    return {name for param in command.params if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts) if name.startswith("--")}


def every_command(group: click.Group = cli) -> list[click.Command]:
    """Each command, and the commands of a group of commands (`translations export`)."""
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found.extend(every_command(command))
    return found


def rows() -> dict[str, str]:
    """The Commands table: command name → the usage written in its first cell."""
    return {m[1]: m[0] for m in re.finditer(r"^\| `appealkit ([a-z]+)[^`]*`", README, re.MULTILINE)}


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_a_row_with_every_option(name):
    row = rows().get(name)
    assert row is not None, f"README.md: the Commands table has no row for `appealkit {name}`"
    missing = sorted(options(cli.commands[name]) - EVERYWHERE - set(OPTION.findall(row)))
    assert not missing, f"README.md: the row of `appealkit {name}` does not name {', '.join(missing)}"


@pytest.mark.parametrize("name", sorted(rows()))
def test_each_row_names_only_options_the_command_takes(name):
    assert name in cli.commands, f"README.md has a row for `appealkit {name}`, a command that does not exist"
    unknown = sorted(set(OPTION.findall(rows()[name])) - options(cli.commands[name]))
    assert not unknown, f"README.md: `appealkit {name}` has no option {', '.join(unknown)}"


def test_every_option_the_readme_writes_exists():
    known = set().union(*(options(command) for command in every_command()), EVERYWHERE)
    unknown = sorted(name for name in set(OPTION.findall(README)) - known - OTHER_PROGRAMS.keys() - ID_ENDINGS
                     if not name.startswith(CSS_PROPERTY))
    assert not unknown, f"README.md writes options no command has: {', '.join(unknown)}"


def test_the_option_finder_reads_rows_as_written():
    assert OPTION.findall("`appealkit x [--format docx,pdf] [--dry-run]` appeal-a--de --en-dash") == [
        "--format", "--dry-run", "--en-dash"]
    assert "build" in rows() and rows()["build"].startswith("| `appealkit build ")
