"""How long from saving a fact to the open letter page showing it, with `appealkit serve` on the example.

A copy of the example workspace is served on an ephemeral port; Debian's Chromium
(driven by Playwright) opens the letter to the European Commission; each run writes a
new value of `political_prisoners` to facts/prisoners.yaml and times until the letter
on the open page says it, without a reload. Also printed: the server's own refresh time
and how many letters it rendered again (only those citing the fact). Target: < 2 s.

Run: .venv/bin/python benchmarks/serve.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from helpers import copy_example, serve_process  # noqa: E402

LETTER = "/letters/bonn-2025/appeal-ec-president--ec-president"
TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("benchmarks/serve.py needs Debian's chromium (scripts/install-system-deps.sh installs it)")
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        root = copy_example(Path(folder) / "ws")
        facts = root / "facts" / "prisoners.yaml"
        original = facts.read_text(encoding="utf-8")
        with serve_process(root) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url + LETTER)
            body = page.frame_locator("iframe.sheet").locator("main.body")
            expect(body).to_contain_text("about 400 political prisoners")
            page.evaluate("window.notReloaded = true")
            seen, refresh, rendered = [], [], []
            for run in range(args.runs):
                value = 401 + run
                started = time.perf_counter()
                facts.write_text(original.replace("value: 400", f"value: {value}", 1), encoding="utf-8")
                expect(body).to_contain_text(f"about {value} political prisoners", timeout=30_000)
                seen.append(time.perf_counter() - started)
                with urllib.request.urlopen(url + "/version") as response:
                    state = json.load(response)
                refresh.append(state["seconds"])
                rendered.append(len(state["rendered"]))
                time.sleep(0.3)
            assert page.evaluate("window.notReloaded") is True
            browser.close()
    print(f"appealkit serve: save a fact → the open letter page shows it ({args.runs} runs, the example)")
    print(f"  median {statistics.median(seen):.2f} s, max {max(seen):.2f} s  (target < {TARGET:.0f} s)")
    print(f"  server refresh: median {statistics.median(refresh):.2f} s; letters rendered again per save: "
          f"{sorted(set(rendered))} of 5")


if __name__ == "__main__":
    main()
