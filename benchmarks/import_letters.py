"""How long `appealkit import` takes on the Bonn appeals (three letters in one text file).

The import reads the letters, finds their facts and people, writes the draft to a scratch
folder, renders every letter back and audits the originals: so its baseline, measured in
the same run, is one `audit` of the same file against the example workspace. Prints the
load average first, then best-of-N wall-clock and CPU time of each and their ratio, and the
figures of the import (letters, facts, people, disagreements, word similarity per letter).

Run: .venv/bin/python benchmarks/import_letters.py [--runs 5] [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from appealkit.checks.audit import audit
from appealkit.importer.importing import ImportOptions, import_letters
from appealkit.source.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
BONN = ROOT.parent / "shared" / "reference" / "bonn-2025-appeals.txt"


def best(runs: int, job) -> tuple[float, float, object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = job()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[BONN])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workspace = load_workspace(ROOT)
    audit_wall, audit_cpu, _ = best(args.runs, lambda: audit(workspace, args.files))
    with tempfile.TemporaryDirectory() as scratch:
        options = ImportOptions(tuple(args.files), Path(scratch) / "draft", "bonn-2025", dry_run=True)
        wall, cpu, result = best(args.runs, lambda: import_letters(options))
    print(f"audit of the file (baseline): {audit_wall:.3f} s wall, {audit_cpu:.3f} s CPU")
    print(f"import:                       {wall:.3f} s wall, {cpu:.3f} s CPU "
          f"({cpu / audit_cpu:.1f}× the audit's CPU time)")
    print(f"{len(result.letters)} letters, {len(result.facts)} facts, {len(result.people)} people and "
          f"organisations, {len(result.disagreements)} disagreements, {len(result.choices)} choices")
    for letter in result.letters:
        print(f"  {letter.id}: word similarity {letter.similarity:.4f}")


if __name__ == "__main__":
    main()
