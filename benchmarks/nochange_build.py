"""A no-change `appealkit build` of the example, in-process and as a command. Target: ≤ 0.3 s CPU.

The checks run inside every build; a letter whose inputs did not change takes its check
results from the manifest, so a build with nothing to do must stay as fast as before.
The build goes to a temporary folder, so the example's own build/ is left alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from timing import command_runs

from appealkit.api import load_campaign
from appealkit.batch.build import build
from appealkit.source.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = "campaigns/bonn-2025.yaml"
RUNS = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        workspace = load_workspace(ROOT)
        first = build(workspace, load_campaign(workspace, CAMPAIGN), out, jobs=1)
        in_process, loading, building, build_cpu = [], [], [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            workspace = load_workspace(ROOT)
            campaign = load_campaign(workspace, CAMPAIGN)
            loaded, cpu = time.perf_counter(), time.process_time()
            result = build(workspace, campaign, out, jobs=1)
            done = time.perf_counter()
            build_cpu.append(time.process_time() - cpu)
            in_process.append(done - started)
            loading.append(loaded - started)
            building.append(done - loaded)
        commands, command_cpu = command_runs(
            [sys.executable, "-m", "appealkit", "build", CAMPAIGN, "--out", str(out)], RUNS, ROOT)
    print(f"first build: {first.count('built')} built in {first.elapsed:.2f} s")
    print(f"no-change build, in-process: loading workspace and campaign best {min(loading):.3f} s, "
          f"build() (checks from the manifest, files compared, bundle kept) best {min(building):.3f} s "
          f"(CPU {min(build_cpu):.3f} s)")
    print(f"no-change build ({result.count('unchanged')} unchanged): in-process (load + build) "
          f"best {min(in_process):.3f} s, median {sorted(in_process)[RUNS // 2]:.3f} s; "
          f"'python -m appealkit build' best {min(commands):.2f} s, "
          f"median {sorted(commands)[RUNS // 2]:.2f} s "
          f"including start-up, CPU best {min(command_cpu):.2f} s (target ≤ 0.3 s)")


if __name__ == "__main__":
    main()
