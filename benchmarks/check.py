"""`appealkit check` on the example workspace, in-process and as a command. Target: under 1 second."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from appealkit.checks.check import check_folder as check

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def main() -> None:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = check(ROOT)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "appealkit", "check"], cwd=ROOT, capture_output=True, check=False)
    command = time.perf_counter() - started
    print(f"check of the example workspace ({result.files} files, {len(result.findings)} findings): "
          f"best {min(timings):.3f} s, first {timings[0]:.3f} s in-process; "
          f"'python -m appealkit check' {command:.2f} s including start-up (target < 1 s)")


if __name__ == "__main__":
    main()
