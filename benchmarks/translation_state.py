"""What the translation state adds to `appealkit check` on the example. Target: under 20 ms.

Three figures from one run, the least CPU time of N runs: `check` as it is; `check` with the
translation checks replaced by nothing (the same run, so the difference compares like with like); and the
translation state of every translation on its own (pairing, figures, snippets), as `check`
computes it once per workspace. A master edited in a copy shows the cost when a block is
stale and its earlier text is looked up in git.

Run: .venv/bin/python benchmarks/translation_state.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from appealkit.checks import check as check_module
from appealkit.checks import letter_check
from appealkit.checks.check import check_folder
from appealkit.checks.translation_check import translation_findings, workspace_translation_findings
from appealkit.source.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 20


def best(runs: int, work) -> float:
    """The least CPU time (ms) of `runs` runs: the machine is shared; CPU time does not grow with its load
    (git's own time, for a stale block, is not counted)."""
    timings = []
    for _ in range(runs):
        started = time.process_time()
        work()
        timings.append(time.process_time() - started)
    return min(timings) * 1000


def without_state():
    """`check` with the translation checks replaced by nothing."""
    check_module.workspace_translation_findings = lambda workspace: []  # type: ignore[assignment]
    letter_check.translation_findings = lambda *args, **kwargs: []  # type: ignore[assignment]
    try:
        check_folder(ROOT)
    finally:
        check_module.workspace_translation_findings = workspace_translation_findings
        letter_check.translation_findings = translation_findings


def stale_copy(folder: Path) -> Path:
    """The example in git with one snippet changed, so its German and Azerbaijani versions are stale."""
    root = folder / "ws"
    for name in ("facts", "people", "recipients", "templates", "campaigns"):
        shutil.copytree(ROOT / name, root / name)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "example")):
        subprocess.run(["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@example.org", *args],
                       check=True, capture_output=True)
    snippet = root / "templates" / "snippets" / "deportations.md"
    text = snippet.read_text(encoding="utf-8")
    snippet.write_text(text.replace("means prison.", "means prison for years."), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores); best of {runs}")
    workspace = load_workspace(ROOT)
    alone = best(runs, lambda: workspace_translation_findings(workspace))
    with_state, without = [], []
    for _ in range(runs):  # interleaved, so a burst of load on the machine hits both alike
        with_state.append(best(1, lambda: check_folder(ROOT)))
        without.append(best(1, without_state))
    with_state, without = min(with_state), min(without)
    print(f"check of the example: {with_state:.1f} ms, without the translation state {without:.1f} ms: "
          f"+{with_state - without:.1f} ms (target < {TARGET_MS} ms)")
    print(f"translation state of the example's 12 translations alone: {alone:.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        stale = load_workspace(stale_copy(Path(folder)))
        first = best(1, lambda: workspace_translation_findings(stale))
        print(f"with one snippet stale in 2 languages (earlier text read from git): {first:.1f} ms")
    sys.exit(0)


if __name__ == "__main__":
    main()
