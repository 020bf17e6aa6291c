"""Our own HTML pages: escaped, and no link a workspace could turn into script."""

from __future__ import annotations

import pytest

from appealkit.pages.html_pages import render_page, web_url


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/report", True), ("HTTP://example.org", True), ("javascript:alert(1)", False),
    ("data:text/html,x", False), ("file:///etc/passwd", False), ("", False),
])
def test_only_web_addresses_become_links(url, kept):
    assert web_url(url) == (url if kept else "")


def test_pages_escape_what_they_are_given():
    page = render_page("serve_missing.html", what="<script>x</script>",
                       snapshot=type("S", (), {"version": 1, "problems": ()})(), title="t",
                       letter_link=lambda letter: ("", ""))
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert '<meta name="viewport"' in page
