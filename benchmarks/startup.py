"""How fast the CLI answers: four commands on the example, side by side with a bare `import click`.

Each command runs as its own process (what an organiser types), best of N runs, all in
this one run so the ratios compare like with like. Two figures per command: wall-clock
time, and the CPU time (user + system) the process used. Every command is one process
with one thread, so on an idle machine the two agree; on a machine shared with other
work the wall-clock time grows with the load (printed first) while the CPU time does not,
so the targets are judged on the CPU time and the wall-clock time is shown beside it.
The no-change build runs after one build that brings build/bonn-2025/ up to date; the
audited letter is the golden text of the letter to the European Commission.

Targets: --help within 2.5× of bare click, check ≤ 0.3 s, no-change build ≤ 0.3 s,
audit of one text letter < 0.6 s.

Run: .venv/bin/python benchmarks/startup.py [--runs 7] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from timing import command_runs

REPO = Path(__file__).resolve().parent.parent
LETTER = "tests/golden/appeal-ec-president--ec-president.txt"
APPEALKIT = [sys.executable, "-m", "appealkit"]

COMMANDS = {
    "python -c 'import click'": ([sys.executable, "-c", "import click"], None),
    "appealkit --help": ([*APPEALKIT, "--help"], "ratio"),
    "appealkit check": ([*APPEALKIT, "check"], 0.3),
    "appealkit build (no change)": ([*APPEALKIT, "build", "campaigns/bonn-2025.yaml"], 0.3),
    "appealkit audit (one .txt)": ([*APPEALKIT, "audit", LETTER], 0.6),
}
HELP_RATIO = 2.5


def best_of(command: list[str], runs: int) -> tuple[float, float]:
    """(wall, CPU) seconds, each the best of `runs` runs: the least disturbed by other work."""
    walls, cpus = command_runs(command, runs, REPO)
    return min(walls), min(cpus)


def heavy_imports(command: list[str]) -> list[str]:
    """The heavy libraries a command imports (from `python -X importtime`)."""
    heavy = ("weasyprint", "pypdf", "docx", "lxml", "babel", "num2words", "text2num", "docx_trackdiff",
             "markdown_it", "jinja2", "yaml", "concurrent.futures.process", "multiprocessing")
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=REPO, capture_output=True,
                          text=True, check=False)
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(h for h in heavy if h in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true", help="also list the heavy libraries imported")
    args = parser.parse_args()
    subprocess.run([*APPEALKIT, "build", "campaigns/bonn-2025.yaml"], cwd=REPO, capture_output=True,
                   check=True)
    figures = {name: best_of(command, args.runs) for name, (command, _) in COMMANDS.items()}
    bare_wall, bare = figures["python -c 'import click'"]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"start-up on {os.cpu_count()} cores, load average {load}; best of {args.runs} runs each;")
    print("ratios against a bare `import click`; targets judged on CPU time\n")
    print(f"  {'command':<30} {'wall':>8} {'ratio':>6} {'CPU':>8} {'ratio':>6}")
    failed = 0
    for name, (command, target) in COMMANDS.items():
        wall, seconds = figures[name]
        if target is None:
            verdict = ""
        elif target == "ratio":
            ok = seconds <= HELP_RATIO * bare
            verdict = f"target ≤ {HELP_RATIO}× click: {'ok' if ok else 'MISSED'}"
            failed += not ok
        else:
            ok = seconds <= target
            verdict = f"target ≤ {target} s: {'ok' if ok else 'MISSED'}"
            failed += not ok
        print(f"  {name:<30} {wall:6.3f} s {wall / bare_wall:5.1f}× {seconds:6.3f} s {seconds / bare:5.1f}×"
              f"   {verdict}")
        if args.importtime and target is not None:
            print(f"      imports: {', '.join(heavy_imports(command)) or '-'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
