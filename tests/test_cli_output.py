"""`cli/output.py`: an option the core names by its field is shown as the flag that sets it, and
the core itself never names a command-line flag (STYLE.md rule 4)."""

from __future__ import annotations

import ast
import re

from click.testing import CliRunner
from helpers import REPO
from send_helpers import send_workspace

from appealkit.cli import cli
from appealkit.cli.output import _options_of, flag_names, flagged
from appealkit.errors import option


def test_a_field_is_shown_as_its_flag_the_commands_own_first():
    send, translations = cli.commands["send"], cli.commands["translations"]
    table = flag_names(cli, send)
    assert flagged(f"send again with {option('resend_in_doubt')}", table) == "send again with --resend-in-doubt"
    assert flagged(f"{option('formats')} and {option('out_dir')}", table) == "--attach and --out"
    assert flagged(f"{option('formats')}", flag_names(cli, cli.commands["build"])) == "--format"
    # a field two commands spell differently is left as the core wrote it, unless the command is one of them
    assert flagged(option("language"), flag_names(cli, cli.commands["doctor"])) == "`language`"
    assert flagged(option("language"), flag_names(cli, translations)) == "--to"
    assert flagged("a `notanoption` stays", table) == "a `notanoption` stays"


def test_the_cli_says_the_flag_where_python_hears_the_field(tmp_path):
    from appealkit.errors import UsageError
    from appealkit.send.options import RelayOptions
    from appealkit.send.smtp import relay_settings
    from appealkit.source.settings import SendSettings

    try:
        relay_settings(SendSettings(), RelayOptions(), {})
    except UsageError as exc:
        from_python = exc.message
    assert from_python.endswith("or pass `smtp_host`)")
    root = send_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--root", str(root), "send", "test"])
    assert (result.exit_code, result.stderr) == (2, from_python.replace("`smtp_host`", "--smtp-host") + "\n")


def _flags() -> set[str]:
    return {flag for command in cli.commands.values() for found in _options_of(command) for flag in found.opts
            if flag.startswith("--")} | {"--root", "--strict"}


def test_the_core_names_no_command_line_flag():
    """Messages and hints outside cli/ name options with `errors.option(field)`; docstrings and
    comments may name flags, and so may the arguments given to other programs (git, soffice) and
    the files `init` writes for a workspace's users (its .gitignore's comments)."""
    flags = _flags()
    pattern = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
    found = []
    for path in sorted((REPO / "appealkit").rglob("*.py")):
        if "cli" in path.relative_to(REPO / "appealkit").parts or path.name == "scaffold_init.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for flag in pattern.findall(node.value):
                    if flag in flags and not node.value.startswith("--"):  # a whole argument: another program's
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}: {flag}")
    assert not found, "the core names command-line flags: " + ", ".join(found)
