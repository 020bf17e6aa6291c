"""Audit time against the size of a letter: texts of numbers of 50 KB, 500 KB and 5 MB.

A hostile letter is mostly figures: if each figure rescans the text (for its sentence, its
neighbours, its quote), time grows with the square of the size and 1 MB never finishes. Each
size runs `audit` on a .txt letter against the example workspace in its own process (so one
that hangs is cut off at --timeout and its memory is its own); the script prints wall time,
CPU time and peak memory per size, and the ratio of each time to the smallest's. Linear is
a ratio near 10 and 100.

Shapes: `digits` ("1 2 3 ..." with no sentence end), `phrases` (figures with the nouns of
facts, one endless sentence), `sentences` (the same, one sentence each, blank lines between
paragraphs).

Run: .venv/bin/python benchmarks/audit_scaling.py [--timeout 120] [--sizes 50000,500000,5000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PHRASES = ("nearly {n} political prisoners, {m} journalists and {k} women, some {n} citizens and {m} people "
           "deported, between {k} and {m} refugees; ")


def text_of(shape: str, size: int) -> str:
    """`size` characters of `shape`."""
    parts: list[str] = []
    length = 0
    number = 0
    while length < size:
        number += 1
        if shape == "digits":
            piece = f"{number % 997} "
        else:
            piece = PHRASES.format(n=300 + number % 150, m=number % 60, k=number % 13)
            if shape == "sentences":
                piece = piece.rstrip("; ") + (".\n\n" if number % 5 == 0 else ". ")
        parts.append(piece)
        length += len(piece)
    return "".join(parts)[:size]


CHILD = """
import json, resource, sys, time
from pathlib import Path
from appealkit.checks.audit import audit
from appealkit.source.workspace import load_workspace
workspace = load_workspace(Path(sys.argv[1]))
wall, cpu = time.perf_counter(), time.process_time()
result = audit(workspace, [sys.argv[2]])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "findings": len(result.findings),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def run(path: Path, timeout: float) -> dict | None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(path)], capture_output=True,
                              text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--sizes", default="50000,500000,5000000")
    parser.add_argument("--shapes", default="digits,phrases,sentences")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in options.shapes.split(","):
            base = None
            for size in sizes:
                path = Path(tmp) / f"{shape}-{size}.txt"
                path.write_text(text_of(shape, size), encoding="utf-8")
                started = time.perf_counter()
                got = run(path, options.timeout)
                label = f"{shape:9} {size / 1000:>7,.0f} KB"
                if got is None:
                    print(f"{label}  > {time.perf_counter() - started:.0f} s (cut off)")
                    continue
                base = base or got["cpu"]
                print(f"{label}  {got['wall']:7.2f} s wall  {got['cpu']:7.2f} s CPU"
                      f"  x{got['cpu'] / base:6.1f}  {got['rss'] / 1e6:6.0f} MB peak"
                      f"  {got['findings']:,} findings")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, 3_000_000_000))
    main()
