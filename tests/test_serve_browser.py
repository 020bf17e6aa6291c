"""`appealkit serve` in a real browser: Debian's Chromium driven by Playwright for Python.

Playwright is pointed at the system Chromium (scripts/install-system-deps.sh installs it);
`playwright install` is never needed. Without Chromium these tests are skipped, saying why.
Screenshots of the home page and a letter page are left in build/serve-screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import REPO, copy_example, serve_process

CHROMIUM = os.environ.get("APPEALKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = REPO / "build" / "serve-screenshots"
EC = "appeal-ec-president--ec-president"
LIVE_TIMEOUT_MS = 10_000

if CHROMIUM is None:
    pytest.skip("no Chromium on this machine (scripts/install-system-deps.sh installs Debian's chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # rebound.example resolves to this machine, as a DNS-rebinding attacker's name would
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--host-resolver-rules=MAP rebound.example 127.0.0.1"])
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path):
    root = copy_example(tmp_path / "ws")
    with serve_process(root) as url:
        yield root, url


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_home_then_a_letter_updates_live_when_a_fact_is_saved(browser, served):
    root, url = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "/")
    facts = page.locator("table.facts")
    assert "about 400 political prisoners" in facts.inner_text()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    page.get_by_role("link", name="Human rights in Azerbaijan and the relations of the European Union").click()
    page.wait_for_url(f"{url}/letters/bonn-2025/{EC}")
    letter = page.frame_locator("iframe.sheet")
    sync_api.expect(letter.locator("main.body")).to_contain_text("about 400 political prisoners")
    page.screenshot(path=str(SHOTS / "letter.png"), full_page=True)
    page.evaluate("window.notReloaded = true")

    edit(root / "facts/prisoners.yaml", "value: 400", "value: 401")
    sync_api.expect(page.frame_locator("iframe.sheet").locator("main.body")).to_contain_text(
        "about 401 political prisoners", timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is True


def test_a_yaml_error_shows_file_and_line_and_then_clears(browser, served):
    root, url = served
    page = browser.new_page()
    page.goto(url + f"/letters/bonn-2025/{EC}")
    page.evaluate("window.notReloaded = true")
    prisoners = root / "facts/prisoners.yaml"
    good = prisoners.read_text(encoding="utf-8")
    edit(prisoners, "  value: 400\n", "  value: [400\n")
    problems = page.locator("#problems")
    sync_api.expect(problems).to_contain_text("facts/prisoners.yaml:", timeout=LIVE_TIMEOUT_MS)
    assert "error" in problems.inner_text()
    sync_api.expect(page.frame_locator("iframe.sheet").locator("main.body")).to_contain_text("political prisoners")
    prisoners.write_text(good, encoding="utf-8")
    sync_api.expect(page.locator("#problems")).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is True


def test_a_name_rebound_to_this_machine_is_refused(browser, served):
    _, url = served
    page = browser.new_page()
    port = url.rsplit(":", 1)[1]
    assert page.goto(f"http://localhost:{port}/").status == 200
    response = page.goto(f"http://rebound.example:{port}/")
    assert response.status == 403 and "answers only to localhost" in page.content()
