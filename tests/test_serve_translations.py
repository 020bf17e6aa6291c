"""`serve` shows a badge on a letter whose translation lags its master, and the master's redline."""

from __future__ import annotations

import subprocess

import pytest
from helpers import copy_example
from starlette.testclient import TestClient

from appealkit.serve.app import create_app
from appealkit.serve.preview import Preview

DE = "appeal-de-foreign-minister--de-foreign-minister--de"
EN = "appeal-de-foreign-minister--de-foreign-minister"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = copy_example(tmp_path_factory.mktemp("serve") / "ws")
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "example")):
        subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)
    snippet = root / "templates" / "snippets" / "deportations.md"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace("means prison.", "means prison for years."),
                       encoding="utf-8")
    with TestClient(create_app(Preview(root), watching=False), base_url="http://localhost:8000") as client:
        yield client


def test_the_letter_page_shows_the_badge_and_the_masters_redline(client):
    html = client.get(f"/letters/bonn-2025/{DE}").text
    assert 'id="translation-badge">translation behind its master</span>' in html
    assert ('<span class="where">templates/snippets/deportations.de.md:2</span>: translates paragraph 1 of '
            'snippets/deportations.md, which has changed since (…back to Azerbaijan means <del>prison.</del>'
            '<ins>prison for years.</ins> Under the readmission agreement…)') in html


def test_the_home_page_marks_only_the_letters_in_a_stale_language(client):
    html = client.get("/").text
    rows = {row.split('"', 1)[0]: row for row in html.split('<tr id="letter-')[1:]}
    assert "translation behind its master" in rows[DE]
    assert "translation behind its master" not in rows[EN]
    assert html.count('class="state state-warnings badge-translation"') == 2  # the German and Azerbaijani letters
    english = client.get(f"/letters/bonn-2025/{EN}").text
    assert "translation-badge" not in english and "master-redline" not in english
