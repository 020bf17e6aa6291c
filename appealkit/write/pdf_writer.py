"""Write a `Letter` as PDF through an HTML layout and WeasyPrint.

The body is turned into HTML here, in Python, with every text escaped, so what a
fact says can never become markup. The layout only places the pieces. WeasyPrint
may read files next to the layout and nothing else: a template must not be able to
pull in /etc/passwd or call a server while a letter is printed.
"""

from __future__ import annotations

import base64
import functools
import logging
import mimetypes
import os
import pathlib
import re
import threading
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from appealkit.errors import MissingFont, warn
from appealkit.render.document import Block, Letter, Run, Signature
from appealkit.source.regular_files import Untrusted
from appealkit.write import hyphenation, pdf_images, pdf_sheets
from appealkit.write.pdf_limits import read_data_url, read_resource
from appealkit.write.pdf_support import load_weasyprint


def letter_html(letter: Letter, layout: jinja2.Template, css_name: str = "letter.css") -> str:
    """The HTML page for a letter; `layout` comes from an environment with autoescape on.

    The layout is a template like any other: a loop past the letter's budget or a broken
    expression is one `TemplateError` naming the layout's line, for this letter alone."""
    from appealkit.render.letters import LAYOUT, template_error

    try:
        return layout.render(
            letter=letter, body=_body_html(letter.body), stylesheet=css_name, lang=letter.language,
            signatures=[_signature_image(s) for s in letter.signatures], logo=_logo_image(letter.logo),
        )
    except Exception as exc:
        path = pathlib.Path(layout.filename or LAYOUT)
        depth = len(pathlib.PurePosixPath(LAYOUT).parts)  # templates/layout/letter.html below the root
        root = path.parents[depth] if path.is_absolute() else pathlib.Path()
        raise template_error(exc, root, f"templates/{LAYOUT}") from None


def _image_tag(data: bytes, kind: str, css_class: str) -> Markup:
    """An image as a data: URL, so the layout loads nothing from outside its folder."""
    if not data:
        return Markup("")
    encoded = base64.b64encode(data).decode("ascii")
    return Markup('<img class="{}" alt="" src="data:{};base64,{}">').format(css_class, kind, encoded)


def _logo_image(logo: bytes) -> Markup:
    """The organisation's logo (a PNG, checked when people/ was loaded)."""
    return _image_tag(logo, "image/png", "logo")


def _signature_image(signature: Signature) -> Markup:
    kind = "image/svg+xml" if signature.image_type == "svg" else "image/png"
    return _image_tag(signature.image, kind, "signature-image")


def _body_html(blocks: tuple[Block, ...]) -> Markup:
    """The body as HTML: lists as <ol>/<ul> numbered from the model's first marker, the last
    block marked so the layout can keep it on the page of the closing."""
    html: list[Markup] = []
    lists: list[str] = []  # the tags of the open lists, innermost last
    quote = False
    for index, block in enumerate(blocks):
        last = index == len(blocks) - 1
        while len(lists) > (block.level + 1 if block.kind == "item" else 0):
            html.append(Markup(f"</li></{lists.pop()}>"))
        if quote and block.kind != "quote":
            html.append(Markup("</blockquote>"))
            quote = False
        if block.kind == "item":
            html.append(_item_html(block, lists, last))
            continue
        if block.kind == "quote" and not quote:
            html.append(Markup("<blockquote>"))
            quote = True
        html.append(_block_html(block, last))
    while lists:
        html.append(Markup(f"</li></{lists.pop()}>"))
    if quote:
        html.append(Markup("</blockquote>"))
    return Markup("\n").join(html)


def _classes(block: Block, last: bool) -> Markup:
    names = [name for name, on in (("keep", block.keep_with_next), ("last", last)) if on]
    return Markup(' class="{}"').format(" ".join(names)) if names else Markup("")


def _item_html(block: Block, lists: list[str], last: bool) -> Markup:
    """One list item; a new list opens when the item is deeper than the open ones."""
    runs = _runs_html(block.runs)
    if not block.marker:
        return Markup("<p{}>{}</p>").format(_classes(block, last), runs)
    parts = []
    if len(lists) == block.level + 1:
        parts.append(Markup("</li>"))
    while len(lists) < block.level + 1:
        number = block.marker.rstrip(".)")
        tag = "ol" if number.isdigit() else "ul"
        start = Markup(' start="{}"').format(int(number)) if tag == "ol" and int(number) != 1 else ""
        parts.append(Markup("<{}{}>").format(Markup(tag), start))
        lists.append(tag)
    marker = Markup('<span class="marker">{}</span> ').format(block.marker)
    parts.append(Markup("<li><p{}>{}{}</p>").format(_classes(block, last), marker, runs))
    return Markup("").join(parts)


def _block_html(block: Block, last: bool) -> Markup:
    if block.kind == "rule":
        return Markup("<hr>")
    if block.kind == "table":
        return _table_html(block)
    runs = _runs_html(block.runs)
    if block.kind == "heading":
        tag = Markup(f"h{min(max(block.level, 1) + 1, 6)}")
        return Markup("<{}{}>{}</{}>").format(tag, _classes(block, last), runs, tag)
    return Markup("<p{}>{}</p>").format(_classes(block, last), runs)


def _table_html(block: Block) -> Markup:
    rows = []
    for number, row in enumerate(block.rows):
        cell = Markup("th") if number == 0 else Markup("td")
        cells = Markup("").join(Markup("<{}>{}</{}>").format(cell, _runs_html(c), cell) for c in row)
        rows.append(Markup("<tr>{}</tr>").format(cells))
    head, body = rows[0], Markup("").join(rows[1:])
    return Markup("<table><thead>{}</thead><tbody>{}</tbody></table>").format(head, body)


def _runs_html(runs: tuple[Run, ...]) -> Markup:
    return Markup("").join(_run_html(run) for run in runs)


_DOTTED_CAPITAL_WORD = re.compile(r"\S*İ\S*")


def _text_html(text: str) -> Markup:
    """Escaped text; a word with a dotted capital İ is never hyphenated, since Pyphen lowercases
    it to two characters (i + combining dot) and would put every break one letter late."""
    html, end = [], 0
    for match in _DOTTED_CAPITAL_WORD.finditer(text):
        html.append(escape(text[end:match.start()]))
        html.append(Markup('<span style="hyphens: manual">{}</span>').format(match.group()))
        end = match.end()
    html.append(escape(text[end:]))
    return Markup("").join(html)


def _run_html(run: Run) -> Markup:
    html = Markup("<br>\n").join(_text_html(line) for line in run.text.split("\n"))
    if run.italic:
        html = Markup("<em>{}</em>").format(html)
    if run.bold:
        html = Markup("<strong>{}</strong>").format(html)
    if run.link:
        html = Markup('<a href="{}">{}</a>').format(run.link, html)
    return html


_GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Pdf:
    """A letter's PDF, whether its pages were set tight (the DOCX built with it follows), and
    how many layouts it took (the finishing's cost, for benchmarks/layout.py)."""

    data: bytes
    tight: bool = False
    layouts: int = 1


def html_to_pdf(html: str, base_dir: pathlib.Path, source: str = "", variant: str | None = None) -> bytes:
    """Tagged PDF bytes for `html`; see `render_pdf`."""
    return render_pdf(html, base_dir, source, variant).data


def render_pdf(html: str, base_dir: pathlib.Path, source: str = "", variant: str | None = None) -> Pdf:
    """Tagged PDF for `html`, its pages finished by `page_finish`; relative URLs resolve in
    `base_dir` and may not leave it.

    `source` names the layout in messages; `variant` is one of `PDF_VARIANTS` (PDF/A for
    archives), else a tagged PDF. Text set in any font the layout's CSS does not name (a
    missing font, or a letter the font lacks) is an error rather than a quiet fallback.
    """
    weasyprint = load_weasyprint()  # a missing Pango or font set is one line here, before any layout
    from appealkit.write import page_finish  # it reads WeasyPrint's boxes: loaded once WeasyPrint is

    root = base_dir.resolve()
    hyphenation.register()
    blanks = _Blanks()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(blanks)
    try:
        page = weasyprint.HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=_fetcher(root, source))
        with _fonts_lock:  # serve lays letters out in threads; Pango's font maps are not thread-safe
            fonts = _font_config(root)
            sheets = pdf_sheets.kept_stylesheets(page, root, _fonts[0][2],
                                                 lambda: _fetcher(root, source), fonts)
            finished = page_finish.finish(
                page, lambda: page.render(pdf_tags=True, font_config=fonts, stylesheets=sheets))
            document = finished.document
            pdf_images.keep_encoded(document)
            with warnings.catch_warnings():
                # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it
                warnings.simplefilter("ignore", ResourceWarning)
                data = document.write_pdf(pdf_tags=True, pdf_variant=variant)
    finally:
        weasyprint_log.removeHandler(blanks)
    _check_fonts(document, root, source, blanks.missing)
    return Pdf(data, finished.tight, finished.layouts)


_fonts_lock = threading.Lock()
#: the one (key, FontConfiguration, {stylesheet URL: CSS or None}, see `pdf_sheets`) held, under _fonts_lock
_fonts: list[tuple[Any, Any, dict[str, Any]]] = []


def _font_config(root: pathlib.Path) -> Any:
    """The WeasyPrint `FontConfiguration` for the layout in `root`, one per process, used under
    `_fonts_lock`.

    Making one loads fontconfig's configuration and an empty Pango font map, a sixth of a
    letter's layout; kept, its fonts and sizes serve every letter after (the PDF bytes are the
    same). A layout folder that changed (a font file replaced while serve runs) gets a new one,
    since fonts a layout's @font-face names stay in the configuration; one held, not one per
    thread, so serve's threads do not each keep a font map."""
    from weasyprint.text.fonts import FontConfiguration

    key = (root, _folder_state(root))
    if not _fonts or _fonts[0][0] != key:
        _fonts[:] = [(key, FontConfiguration(), {})]
    return _fonts[0][1]


def _forget_fonts() -> None:
    """In a forked worker: the parent's configuration is not the child's to use or to clean up
    (its clean-up deletes the temporary folder of @font-face fonts, the parent's too)."""
    global _fonts_lock
    for _, config, _ in _fonts:
        config._folder = None
    _fonts.clear()
    _fonts_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_fonts)


def _folder_state(root: pathlib.Path) -> tuple[tuple[str, int, int], ...]:
    """Each file under `root` with its modification time and size."""
    state = []
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            state.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(state))


class _Blanks(logging.Handler):
    """Collects the characters WeasyPrint could only print as an empty box (.notdef)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if ".notdef glyph" in str(record.msg):
            self.missing.append(str(record.args[0]) if isinstance(record.args, tuple) and record.args else "")


def layout_fonts(root: pathlib.Path) -> set[str]:
    """The font families the CSS files of a layout folder name, generic families left out."""
    names: set[str] = set()
    for css in sorted(root.glob("*.css")):
        for declaration in _FONT_FAMILY.findall(css.read_text(encoding="utf-8", errors="replace")):
            for name in declaration.split(","):
                name = name.strip().strip("'\"").strip()
                if name and name.lower() not in _GENERIC_FAMILIES and not name.startswith("var("):
                    names.add(name.lower())
    return names


def _check_fonts(document: Any, root: pathlib.Path, source: str, blanks: list[str]) -> None:
    if blanks:
        raise MissingFont.at(
            source or str(root / "letter.css"), None,
            f"no installed font has {', '.join(sorted(set(blanks)))}: the PDF would print empty boxes",
            "write the text without these characters, or name a font in letter.css that has them")
    wanted = layout_fonts(root)
    if not wanted:
        return
    used = sorted({font.family for font in document.fonts.values()})
    strangers = [family for family in used if family.lower() not in wanted]
    if strangers:
        raise MissingFont.at(
            source or str(root / "letter.css"), None,
            f"the PDF would set text in {', '.join(strangers)}, a font the layout does not name "
            f"({', '.join(sorted(wanted))} is missing or lacks a letter of this text)",
            "install the layout's font (Debian: apt-get install fonts-liberation2) or name one in letter.css")


def font_setting(family: str, text: str) -> list[str]:
    """The families WeasyPrint sets `text` in when a layout asks for `family`: `[family]` when the
    font has every character; a fallback family, or none (empty boxes), when it lacks some."""
    weasyprint = load_weasyprint()
    if not re.fullmatch(r"[\w .\-]+", family):  # a family name only, never more CSS
        return []
    blanks = _Blanks()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(blanks)
    try:
        html = Markup('<p style="font-family: \'{}\'">{}</p>').format(family, text)
        document = weasyprint.HTML(string=str(html)).render()
        document.write_pdf()  # the fonts are known once they are embedded
    finally:
        weasyprint_log.removeHandler(blanks)
    return [] if blanks.missing else sorted({font.family for font in document.fonts.values()})


class RefusedURL(ValueError):
    """A URL the layout may not load; WeasyPrint skips the resource and goes on."""


def _local_file(url: str, root: pathlib.Path, source: str = "") -> pathlib.Path:
    """The file a URL names if it is a plain file inside `root`; anything else is refused."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = pathlib.Path(urllib.request.url2pathname(parts.path)).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    warn(source, None, f"refused to load {url}",
         "a layout and its CSS may only use files inside their own folder")
    raise RefusedURL(url)


def _mime_type(path: pathlib.Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _fetcher(root: pathlib.Path, source: str = "") -> Any:
    """A url_fetcher that serves files inside `root` and data: URLs, and nothing else."""
    return _root_fetcher()(root, source)


@functools.cache
def _root_fetcher() -> type:
    """The fetcher class, made once WeasyPrint is loaded (its base class comes with WeasyPrint)."""
    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RootFetcher(URLFetcher):
        """Serves files inside one folder and data: URLs; refuses everything else."""

        def __init__(self, root: pathlib.Path, source: str = ""):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self._root = root
            self._source = source
            self.refused = 0

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            try:
                return self._fetch(url)
            except RefusedURL:
                self.refused += 1
                raise

        def _fetch(self, url: str) -> Any:
            if url.startswith("data:"):
                data, media = _data_url(url, self._source)
                return URLFetcherResponse(url, data, {"Content-Type": media})
            path = _local_file(url, self._root, self._source)
            return URLFetcherResponse(path.as_uri(), _resource(path, url, self._source),
                                      {"Content-Type": _mime_type(path)})

    return RootFetcher


def _data_url(url: str, source: str) -> tuple[bytes, str]:
    """A data: URL's bytes within the bounds of `pdf_limits`; refused with a warning otherwise."""
    try:
        return read_data_url(url)
    except Untrusted as exc:
        warn(source, None, f"refused to load {url[:40]}…", str(exc))
        raise RefusedURL(url[:40]) from None


def _resource(path: pathlib.Path, url: str, source: str) -> bytes:
    """A layout file's bytes within the bounds of `pdf_limits`; refused with a warning otherwise."""
    try:
        return read_resource(path)
    except Untrusted as exc:
        warn(source, None, f"refused to load {url}", str(exc))
        raise RefusedURL(url) from None
