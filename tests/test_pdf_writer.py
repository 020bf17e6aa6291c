"""The PDF writer: the default layout prints exactly `letter_lines`, and reads only its own folder."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from helpers import HOSTILE, MARKDOWN_BODY, sample_letter, unhyphenate, words
from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

import appealkit
from appealkit.errors import collecting
from appealkit.render.document import Block, Letter, Run, letter_lines, parse_body
from appealkit.write.pdf_writer import html_to_pdf, letter_html

LAYOUT_DIR = Path(appealkit.__file__).parent / "scaffold" / "templates" / "layout"
FOOTER = re.compile(r"^\d+ / \d+$", re.MULTILINE)

RENDER_SCRIPT = """
import sys
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from helpers import sample_letter
from appealkit.write.pdf_writer import html_to_pdf, letter_html
from test_pdf_writer import LAYOUT_DIR
env = SandboxedEnvironment(
    loader=FileSystemLoader(LAYOUT_DIR), autoescape=True, undefined=StrictUndefined
)
html = letter_html(sample_letter(), env.get_template("letter.html"))
sys.stdout.buffer.write(html_to_pdf(html, LAYOUT_DIR))
"""


def load_layout(folder: Path) -> Template:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined
    )
    return env.get_template("letter.html")


def render(letter: Letter, folder: Path = LAYOUT_DIR) -> bytes:
    return html_to_pdf(letter_html(letter, load_layout(folder)), folder)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, a word hyphenated inside the page whole again (not one cut by the page end)."""
    return [re.sub("\u2010\n(?!\\d+ / \\d+$)", "", page.extract_text(), flags=re.MULTILINE)
            for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def letter_body_text(pdf: bytes) -> str:
    """The extracted text without the page-number footers."""
    return words(unhyphenate("".join(FOOTER.sub("", text) for text in page_texts(pdf))))


@pytest.fixture
def letter() -> Letter:
    return sample_letter()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render(sample_letter())


def test_extracted_text_is_the_letter(letter: Letter, pdf: bytes) -> None:
    assert letter_body_text(pdf) == words(" ".join(letter_lines(letter)))


def test_names_numbers_and_markers_are_exact(pdf: bytes) -> None:
    text = page_texts(pdf)[0]
    for word in ("Vidadi İsgəndərli", "ASİMKOM", "Tuğrul Şıxəliyev", "Ayşə Çələbi-Öztürk",
                 "2023-cü ilin 14 fevralında", "AZ1073", HOSTILE, "ofisdən", "fikri"):
        assert word in text
    lines = [words(line) for line in text.splitlines()]
    numbered = [line for line in lines if re.match(r"^\d\. ", line)]
    assert [line[:2] for line in numbered] == ["1.", "2.", "3."]
    assert sum(line.startswith("• ") for line in lines) == 2


def test_a4_page_numbers_and_metadata(letter: Letter, pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.28, abs=0.5)
    assert float(box.height) == pytest.approx(841.89, abs=0.5)
    assert FOOTER.findall(page_texts(pdf)[0]) == ["1 / 1"]
    assert reader.metadata.title == letter.subject
    assert reader.metadata.author == "ASİMKOM"
    assert reader.metadata["/CreationDate"] == "D:20240308"
    assert reader.trailer["/Root"]["/Lang"] == "az"


def test_markdown_body_keeps_its_lines(letter: Letter) -> None:
    markdown_letter = dataclasses.replace(letter, body=parse_body(MARKDOWN_BODY))
    html = letter_html(markdown_letter, load_layout(LAYOUT_DIR))
    assert "line one<br>\nline two" in html
    pdf = html_to_pdf(html, LAYOUT_DIR)
    assert "line one\nline two" in page_texts(pdf)[0]
    assert letter_body_text(pdf) == words(
        " ".join(letter_lines(markdown_letter))
    )


def test_long_letter_numbers_every_page(letter: Letter) -> None:
    filler = Block("paragraph", (Run("Məhkəmə prosesi ədalətli aparılmayıb. " * 12),))
    long_letter = dataclasses.replace(letter, body=letter.body + (filler,) * 12)
    pdf = render(long_letter)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    assert [FOOTER.findall(text) for text in texts] == [
        [f"{n} / {len(texts)}"] for n in range(1, len(texts) + 1)
    ]
    assert letter_body_text(pdf) == words(" ".join(letter_lines(long_letter)))


def test_text_is_escaped_everywhere(letter: Letter) -> None:
    hostile = dataclasses.replace(
        letter, recipient=(*letter.recipient, HOSTILE), subject=f"Müraciət {HOSTILE}"
    )
    html = letter_html(hostile, load_layout(LAYOUT_DIR))
    assert "<b>" not in html
    assert html.count("&lt;b&gt;Ali&lt;/b&gt; &amp; Co") == 4
    assert letter_body_text(html_to_pdf(html, LAYOUT_DIR)) == words(
        " ".join(letter_lines(hostile))
    )


def test_body_html_structure(letter: Letter) -> None:
    html = letter_html(letter, load_layout(LAYOUT_DIR))
    unbroken = '<span style="hyphens: manual">'
    assert f"<strong>{unbroken}ASİMKOM</span></strong>" in html
    assert f"<em>Vidadi {unbroken}İsgəndərli</span></em>" in html
    assert "<strong><em>ən qısa zamanda</em></strong>" in html
    assert "<h2>Tələblərimiz</h2>" in html
    assert f'<ol><li><p><span class="marker">1.</span> Vidadi {unbroken}İsgəndərlinin</span>' in html
    assert '<ul><li><p><span class="marker">•</span> ifadə' in html
    assert '<p class="last">Ümid' in html
    assert 'href="letter.css"' in html
    assert "prisoner.name" not in html


@pytest.mark.slow
def test_same_letter_same_bytes_in_another_process(pdf: bytes) -> None:
    assert render(sample_letter()) == pdf
    other = subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT],
        capture_output=True, check=True, cwd=Path(__file__).parent,
        env={"PYTHONHASHSEED": "4321", "TZ": "Asia/Baku", "PATH": ""},
    ).stdout
    assert other == pdf


@pytest.mark.parametrize(
    "reference",
    [
        '<link rel="stylesheet" href="../outside.css">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<img src="file:///etc/passwd" alt="">',
        '<img src="http://example.org/x.png" alt="">',
        '<link rel="stylesheet" href="https://example.org/x.css">',
        '<link rel="stylesheet" href="escape.css">',
    ],
)
def test_references_outside_the_layout_folder_are_refused(
    letter: Letter, tmp_path: Path, reference: str
) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text('.subject::after { content: "LEAKED"; }')
    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    (folder / "escape.css").symlink_to(outside)
    page = (folder / "letter.html").read_text()
    (folder / "letter.html").write_text(page.replace("</head>", f"{reference}\n</head>"))

    with collecting() as refused:
        pdf = render(letter, folder)

    assert len(refused) == 1
    assert refused[0].severity == "warning"
    url = re.search(r'(?:href|src)="([^"]+)"', reference)[1]
    assert refused[0].message.startswith("refused to load ")
    assert url.removeprefix("../") in refused[0].message
    assert "LEAKED" not in letter_body_text(pdf)
    assert letter_body_text(pdf) == words(" ".join(letter_lines(letter)))
    assert FOOTER.findall(page_texts(pdf)[0]) == ["1 / 1"]


def test_files_inside_the_folder_and_data_urls_load(
    letter: Letter, tmp_path: Path
) -> None:
    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    (folder / "extra.css").write_text('.subject::after { content: " INSIDE"; }')
    page = (folder / "letter.html").read_text()
    references = (
        '<link rel="stylesheet" href="extra.css">\n'
        "<link rel=\"stylesheet\" href=\"data:text/css,.closing::after{content:' DATA'}\">\n"
    )
    (folder / "letter.html").write_text(page.replace("</head>", f"{references}</head>"))

    with collecting() as refused:
        text = letter_body_text(render(letter, folder))

    assert refused == []
    assert f"{letter.subject} INSIDE" in text
    assert f"{letter.closing} DATA" in text


def test_one_font_configuration_serves_every_letter_of_a_layout_until_the_folder_changes(tmp_path):
    """Made once (a sixth of a layout's time), kept while the layout folder is unchanged; the
    letters' bytes are those of a fresh configuration; a forked worker starts without it."""
    import os

    from appealkit.write import pdf_writer

    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    first = render(sample_letter(), folder)
    held = pdf_writer._fonts[0][1]
    assert render(sample_letter(), folder) == first and pdf_writer._fonts[0][1] is held
    (folder / "letter.css").write_text((folder / "letter.css").read_text() + "\n/* changed */\n")
    assert render(sample_letter(), folder) == first and pdf_writer._fonts[0][1] is not held
    pid = os.fork()
    if pid == 0:  # the child must not use (or clean up) the parent's configuration
        os._exit(0 if not pdf_writer._fonts and render(sample_letter(), folder) == first else 3)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_layout_stylesheet_is_parsed_once_and_prints_the_bytes_of_the_link(tmp_path, monkeypatch):
    """letter.css is parsed once per process and folder state, not for every layout; the PDF is
    byte for byte the one WeasyPrint makes when it reads the <link> itself."""
    from appealkit.write import pdf_writer

    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    url = (folder / "letter.css").resolve().as_uri()
    kept = render(sample_letter(), folder)
    sheet = pdf_writer._fonts[0][2][url]
    assert sheet is not None
    assert render(sample_letter(), folder) == kept and pdf_writer._fonts[0][2][url] is sheet
    (folder / "letter.css").write_text((folder / "letter.css").read_text() + "\n.subject { color: #123456 }\n")
    changed = render(sample_letter(), folder)
    assert changed != kept and pdf_writer._fonts[0][2][url] is not sheet
    monkeypatch.setattr(pdf_writer.pdf_sheets, "kept_stylesheets", lambda *args: [])
    assert render(sample_letter(), folder) == changed


@pytest.mark.parametrize("change", ["style", "important", "id"])
def test_a_stylesheet_that_would_rank_otherwise_is_read_from_its_link(tmp_path, monkeypatch, change):
    """A kept sheet ranks as the user's, below the author's: with a <style> beside it, an
    `!important` or an #id selector (which would beat a style attribute), the link stays."""
    from appealkit.write import pdf_writer

    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    css, page = (folder / "letter.css").read_text(), (folder / "letter.html").read_text()
    if change == "style":
        (folder / "letter.html").write_text(page.replace("<link", "<style>.subject { color: #654321 }</style>\n<link"))
    else:
        rule = ".subject { color: #654321 !important }" if change == "important" else "#x .subject { color: #654321 }"
        (folder / "letter.css").write_text(css + "\n" + rule + "\n")
    linked = render(sample_letter(), folder)
    assert not [sheet for sheet in pdf_writer._fonts[0][2].values() if sheet is not None]
    monkeypatch.setattr(pdf_writer.pdf_sheets, "kept_stylesheets", lambda *args: [])
    assert render(sample_letter(), folder) == linked


def test_a_stylesheet_that_reaches_outside_its_folder_is_refused_for_every_letter(tmp_path):
    """An @import outside the layout folder is refused each time, not once and then forgotten."""
    folder = tmp_path / "layout"
    shutil.copytree(LAYOUT_DIR, folder)
    (tmp_path / "outside.css").write_text('.subject::after { content: " LEAKED"; }')
    (folder / "letter.css").write_text('@import "../outside.css";\n' + (folder / "letter.css").read_text())
    for _ in range(2):
        with collecting() as refused:
            pdf = render(sample_letter(), folder)
        assert [problem.message for problem in refused] == [f"refused to load {(tmp_path / 'outside.css').as_uri()}"]
        assert "LEAKED" not in letter_body_text(pdf)
