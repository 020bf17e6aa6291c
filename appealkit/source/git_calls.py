"""Every git call appealkit makes, with nothing in the repository's config able to run a command.

A workspace can come from anyone, its `.git/config` too: a `filter.<name>.smudge` command
with a committed `.gitattributes` runs inside `git archive` when `diff` reads a revision, and
`core.fsmonitor`, hooks, an external diff or a pager are commands as well. Each call here
empties every filter the configuration names (smudge, clean and process, none required),
turns fsmonitor, hooks, pagers, external diffs and text conversions off, refuses a bare repository git would
find on its own, and never asks for a password.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Settings that keep git from running anything the repository names.
NEUTRAL = (
    ("core.fsmonitor", "false"), ("core.hooksPath", os.devnull), ("core.pager", "cat"), ("core.askPass", ""),
    ("safe.bareRepository", "explicit"), ("protocol.ext.allow", "never"),
)
#: Commands that show diffs: an external diff or a text conversion is a command too, and an empty
#: `diff.external` would be run as one, so these are told to use neither.
_DIFFING = {"diff": ("--no-ext-diff", "--no-textconv"), "log": ("--no-ext-diff", "--no-textconv"),
            "show": ("--no-ext-diff", "--no-textconv")}
#: A filter that runs nothing and whose absence fails nothing.
_EMPTY_FILTER = (("smudge", ""), ("clean", ""), ("process", ""), ("required", "false"))
#: Variables of ours that would otherwise run a command of their own.
_DROPPED = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH_COMMAND")


def _environment(filters: list[str]) -> dict[str, str]:
    """The environment of a git call: the settings as GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, which
    take a key as it is (a filter named "a=b" would break `-c filter.a=b.smudge=`), after any the
    caller's own environment already gives."""
    env = {name: value for name, value in os.environ.items() if name not in _DROPPED}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    settings = list(NEUTRAL)
    for name in filters:
        settings += [(f"filter.{name}.{key}", value) for key, value in _EMPTY_FILTER]
    try:
        first = int(env.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        first = 0
    for index, (key, value) in enumerate(settings, start=first):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
    env["GIT_CONFIG_COUNT"] = str(first + len(settings))
    return env


def filter_names(root: Path, timeout: float | None = None) -> list[str]:
    """The names of the filters the configuration of the repository at `root` defines (includes followed)."""
    command = ["git", "--no-pager", "-C", str(root), "config", "--null", "--get-regexp", r"^filter\."]
    done = subprocess.run(command, capture_output=True, check=False, env=_environment([]), timeout=timeout,
                          stdin=subprocess.DEVNULL)
    names = []
    for entry in done.stdout.split(b"\0"):
        key = entry.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
        name = key[len("filter."):].rpartition(".")[0]
        if key.startswith("filter.") and name and name not in names:
            names.append(name)
    return names


def run_git(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """`git -C root ARGS` with every filter emptied and nothing else of the config run; output captured.

    Raises what `subprocess.run` raises (no git, a timeout); the caller turns it into its own error."""
    if args and args[0] in _DIFFING:
        args = (args[0], *_DIFFING[args[0]], *args[1:])
    return subprocess.run(["git", "--no-pager", "-C", str(root), *args], capture_output=True, check=False,
                          env=_environment(filter_names(root, timeout)), timeout=timeout,
                          stdin=subprocess.DEVNULL)
