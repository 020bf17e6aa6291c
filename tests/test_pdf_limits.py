"""A layout that takes WeasyPrint down fails its own letter's PDF, with one line naming the layout;
the DOCX of the same letter and every other letter are still written. The cases that need no
generated file are in tests/bad_inputs/ (layout-*)."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from helpers import REPO, make_workspace
from PIL import Image

from appealkit.write import pdf_limits

LAYOUT = REPO / "appealkit" / "scaffold" / "templates" / "layout"
HTML = (LAYOUT / "letter.html").read_text(encoding="utf-8")
CSS = (LAYOUT / "letter.css").read_text(encoding="utf-8")
HINT = "(check the layout's HTML and CSS in templates/layout/)"


def workspace(tmp_path, body: str = "", css: str = "", files: dict | None = None):
    changes = {"templates/layout/letter.html": HTML.replace('<main class="body">', '<main class="body">' + body),
               "templates/layout/letter.css": CSS + css, **(files or {})}
    return make_workspace(tmp_path / "ws", changes)


def build(root, *args):
    from appealkit.cli import cli

    result = CliRunner().invoke(cli, ["--root", str(root), *args, "build", "campaigns/test.yaml", "-j", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def written(root) -> list[str]:
    return sorted(p.name for p in (root / "build" / "test").glob("appeal--*"))


def test_a_failing_layout_fails_the_pdf_alone(tmp_path):
    root = workspace(tmp_path, css=".body p { font-size: 1e9px; }")
    result = build(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "templates/layout/letter.html: error: WeasyPrint could not lay out the letter: ZeroDivisionError: "
        f"float division by zero {HINT}"]
    assert result.stdout.splitlines()[0] == "failed  appeal--minister"
    assert written(root) == ["appeal--minister.docx"]


def test_a_runaway_layout_stops_at_the_cpu_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_PDF_SECONDS", 0.5)
    root = workspace(tmp_path, "{% for i in range(5000) %}<p style='break-after: page'>x</p>{% endfor %}")
    result = build(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/layout/letter.html: error: the PDF layout took more than 0.5 s of CPU time for one letter {HINT}"]
    assert written(root) == ["appeal--minister.docx"]


def _busy_until_rung(swallow: int) -> int:
    """Spin on the CPU; the first `swallow` rings are eaten, as Python eats one that lands in a
    `__del__`; returns how many were eaten when the work stops by itself (at most ~20 s CPU)."""
    eaten = 0
    for _ in range(200):
        try:
            sum(range(1_000_000))
        except pdf_limits.Overtime:
            eaten += 1
            if eaten > swallow:
                raise
            if eaten == swallow:
                return eaten
    return eaten


def test_a_swallowed_ring_rings_again_until_the_work_stops():
    with pytest.raises(pdf_limits.Overtime), pdf_limits.cpu_deadline(0.05):
        _busy_until_rung(swallow=3)  # three rings: one ring alone let a layout run on for minutes


def test_work_that_ends_after_a_swallowed_ring_is_still_overtime():
    with pytest.raises(pdf_limits.Overtime), pdf_limits.cpu_deadline(0.05):
        assert _busy_until_rung(swallow=1) == 1


class _SlowFinaliser:
    def __del__(self):
        sum(range(2_000_000))


def test_a_ring_in_a_finaliser_is_raised_after_it_never_inside():
    """pytest turns an exception Python swallowed in a `__del__` into an error of this test."""
    with pytest.raises(pdf_limits.Overtime), pdf_limits.cpu_deadline(0.05):
        for _ in range(200):
            _SlowFinaliser()  # dropped at once: its __del__ runs here
            sum(range(2_000_000))


def test_work_within_the_budget_is_not_rung():
    with pdf_limits.cpu_deadline(60):
        sum(range(1_000))


def test_pages_are_capped_per_letter(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_PAGES", 2)
    root = workspace(tmp_path, "{% for i in range(3) %}<p style='break-after: page'>x</p>{% endfor %}")
    result = build(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/layout/letter.html: error: the PDF has 4 pages, more than 2 {HINT}"]


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "why"), [
    ("huge.png", lambda: png(6000, 5000), "an image of 6000 × 5000 pixels, more than 25,000,000"),
    ("huge.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><rect/></g>'
                         + b'<g id="b">' + b'<use href="#a"/>' * 200 + b"</g>"
                         + b'<g id="c">' + b'<use href="#b"/>' * 200 + b"</g></svg>",
     "an SVG whose <use> elements draw more than 10,000 elements"),
    ("entities.svg", lambda: b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
     "the SVG declares a DTD (entities), which a document never needs"),
    ("big.png", lambda: b"\x89PNG" + b"\0" * 5_000_001, "it is larger than 5 MB"),
])
def test_layout_files_are_bounded_and_strict_fails_on_them(tmp_path, name, content, why):
    root = workspace(tmp_path, f'<img src="{name}">', files={f"templates/layout/{name}": content()})
    result = build(root, "--strict")
    url = (root / "templates" / "layout" / name).as_uri()
    assert result.stderr.splitlines() == [
        f"warning: templates/layout/letter.html: refused to load {url} ({why})",
        "--strict: error: 1 warning(s) treated as errors (fix the warnings above or leave out --strict)"]
    assert written(root) == ["appeal--minister.docx", "appeal--minister.pdf"]


def test_ordinary_svg_and_images_still_load(tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><g id="a"><rect width="1" height="1"/></g>' \
          b'<use href="#a" x="2"/></svg>'
    root = workspace(tmp_path, '<img src="logo.svg"><img src="dot.png">',
                     files={"templates/layout/logo.svg": svg, "templates/layout/dot.png": png(20, 20)})
    result = build(root, "--strict")
    assert (result.exit_code, result.stderr) == (0, "")
