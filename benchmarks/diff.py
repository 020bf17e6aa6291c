"""How long `appealkit diff` takes between two revisions, and how it grows with the letters.

A temporary git repository is made from the example workspace; the second commit changes
political_prisoners from about 400 to about 375. Synthetic campaigns send the three example
templates to 10 and 100 generated recipients (30 and 300 letters); the example campaign
itself has one letter per template and language.

Run: .venv/bin/python benchmarks/diff.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = ("facts", "people", "recipients", "templates", "campaigns")
TEMPLATES = (
    "appeal-de-foreign-minister.md", "appeal-coe-committee-of-ministers.md", "appeal-ec-president.md",
)
RUNS = 3

RECIPIENT = """\
office: Minister for Foreign Affairs {n}
holder:
  name: Minister Number {n}
  honorific: Dr.
term:
  from: 2025-01-01
salutation: Dear Minister,
address: [Ministry of Foreign Affairs, Street {n}, Capital]
language: en
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                    *args], check=True, capture_output=True)


def make_repo(folder: Path, recipients: int) -> Path:
    """The example workspace under git, plus a campaign fanning out to `recipients` generated recipients."""
    for name in EXAMPLE:
        shutil.copytree(REPO / name, folder / name)
    if recipients:
        ids = [f"gen-{n:03d}" for n in range(recipients)]
        for n, rid in enumerate(ids):
            (folder / "recipients" / f"{rid}.yaml").write_text(RECIPIENT.format(n=n), encoding="utf-8")
        letters = "".join(f"  - template: {t}\n    recipients: [{', '.join(ids)}]\n" for t in TEMPLATES)
        (folder / "campaigns" / "synthetic.yaml").write_text(
            "title: Synthetic\ndate: 2025-10-25\nplace: Bonn\norganisation: asimkom\n"
            f"subject: Synthetic appeal\nletters:\n{letters}", encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "example")
    facts = folder / "facts" / "prisoners.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "political_prisoners:\n  value: 400", "political_prisoners:\n  value: 375"), encoding="utf-8")
    git(folder, "commit", "-q", "-am", "about 375 political prisoners")
    return folder


def timed(args: list[str], runs: int = RUNS) -> tuple[float, int]:
    """Median wall time of the whole command (Python start-up included) and its exit code."""
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, check=False)
        code = done.returncode
        if code != 1:  # 1 is "something changed": anything else means the run did not compare
            raise SystemExit(f"{' '.join(args)}: exit {code}\n{done.stderr.decode()}")
        times.append(time.perf_counter() - started)
    return statistics.median(times), code


def main() -> None:
    appealkit = [sys.executable, "-m", "appealkit"]
    print(f"appealkit diff HEAD~1 HEAD (median of {RUNS} runs, wall time including Python start-up)")
    results: dict[tuple[int, str], float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        started = time.perf_counter()
        subprocess.run([*appealkit, "--version"], check=True, capture_output=True)
        startup = time.perf_counter() - started
        print(f"  python -m appealkit --version  {startup:6.2f} s")
        for recipients in (0, 10, 100):
            root = make_repo(base / f"r{recipients}", recipients)
            command = [*appealkit, "--root", str(root), "diff", "HEAD~1", "HEAD"]
            if recipients:
                command += ["--campaign", "synthetic"]
            listed = subprocess.run([*command, "--format", "json"], capture_output=True, check=False).stdout
            letters = len(json.loads(listed)["letters"])
            for output in ("text", "json", "html"):
                seconds, code = timed([*command, "--format", output])
                results[(letters, output)] = seconds
                print(f"  {letters:4d} letters  --format {output:<5}    {seconds:6.2f} s   (exit {code})")
            seconds, code = timed([*command, "--docx-redline", str(base / f"red{recipients}")], runs=1)
            results[(letters, "docx")] = seconds
            print(f"  {letters:4d} letters  --docx-redline    {seconds:6.2f} s   (exit {code}; one run)")
    small, large = sorted(n for n, output in results if output == "text")[1:]
    print(f"growth from {small} to {large} letters, per extra letter (both sides rendered and compared):")
    for output in ("text", "json", "html", "docx"):
        extra = (results[(large, output)] - results[(small, output)]) / (large - small)
        print(f"  {output:<5} {1000 * extra:6.1f} ms")

if __name__ == "__main__":
    main()
