"""Timing a command as an organiser runs it: its own process, wall-clock and CPU time per run.

Shared by the benchmarks that time whole commands, so each reports the same two figures
measured the same way.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path


def command_runs(command: list[str], runs: int, cwd: Path) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds) of each of `runs` runs of `command`, child processes included.

    Python's bytecode caches are used as on an organiser's machine: a PYTHONDONTWRITEBYTECODE in
    this environment (some shells set it) would compile every module anew on each run and add
    about a tenth of a second that no user sees."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus
