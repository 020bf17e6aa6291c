"""Write a `Letter` as PDF through an HTML layout and WeasyPrint.

The body is turned into HTML here, in Python, with every text escaped, so what a
fact says can never become markup. The layout only places the pieces. WeasyPrint
may read files next to the layout and nothing else: a template must not be able to
pull in /etc/passwd or call a server while a letter is printed.
"""

from __future__ import annotations

import logging
import mimetypes
import pathlib
import urllib.parse
import urllib.request
from typing import Any

import jinja2
import weasyprint
from markupsafe import Markup, escape
from weasyprint.urls import URLFetcher, URLFetcherResponse

from appealkit.render.document import Block, Letter, Run
from appealkit.source.regular_files import Untrusted
from appealkit.write.pdf_limits import read_resource

log = logging.getLogger("appealkit")



def letter_html(letter: Letter, layout: jinja2.Template, css_name: str = "letter.css") -> str:
    """The HTML page for a letter; `layout` comes from an environment with autoescape on."""
    return layout.render(
        letter=letter, body=_body_html(letter.body), stylesheet=css_name, lang=letter.language
    )


def _body_html(blocks: tuple[Block, ...]) -> Markup:
    """The body blocks as HTML; list markers are text so the PDF shows the DOCX numbers."""
    return Markup("\n").join(_block_html(block) for block in blocks)


def _block_html(block: Block) -> Markup:
    runs = Markup("").join(_run_html(run) for run in block.runs)
    if block.kind == "heading":
        tag = f"h{min(max(block.level, 1) + 1, 6)}"
        return Markup(f"<{tag}>{runs}</{tag}>")
    if block.kind == "item":
        marker = Markup('<span class="marker">{}</span> ').format(block.marker)
        return Markup('<p class="item level-{}">{}{}</p>').format(block.level, marker, runs)
    return Markup("<p>{}</p>").format(runs)


def _run_html(run: Run) -> Markup:
    html = Markup("<br>\n").join(escape(line) for line in run.text.split("\n"))
    if run.italic:
        html = Markup("<em>{}</em>").format(html)
    if run.bold:
        html = Markup("<strong>{}</strong>").format(html)
    return html


def html_to_pdf(html: str, base_dir: pathlib.Path, source: str = "") -> bytes:
    """PDF bytes for `html`; relative URLs resolve in `base_dir` and may not leave it.

    `source` names the layout in the warning about a refused URL.
    """
    root = base_dir.resolve()
    document = weasyprint.HTML(
        string=html, base_url=root.as_uri() + "/", url_fetcher=_fetcher(root, source)
    )
    return document.write_pdf()


class RefusedURL(ValueError):
    """A URL the layout may not load; WeasyPrint skips the resource and goes on."""


def _local_file(url: str, root: pathlib.Path, source: str = "") -> pathlib.Path:
    """The file a URL names if it is a plain file inside `root`; anything else is refused."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = pathlib.Path(urllib.request.url2pathname(parts.path)).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    log.warning("%srefused to load %s (a layout and its CSS may only use files inside their own folder)",
                f"{source}: " if source else "", url)
    raise RefusedURL(url)


def _mime_type(path: pathlib.Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _fetcher(root: pathlib.Path, source: str = "") -> URLFetcher:
    """A url_fetcher that serves files inside `root` and data: URLs, and nothing else."""
    return _RootFetcher(root, source)


class _RootFetcher(URLFetcher):
    """Serves files inside one folder and data: URLs; refuses everything else."""

    def __init__(self, root: pathlib.Path, source: str = ""):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self._root = root
        self._source = source

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _local_file(url, self._root, self._source)
        return URLFetcherResponse(path.as_uri(), _resource(path, url, self._source),
                                  {"Content-Type": _mime_type(path)})


def _resource(path: pathlib.Path, url: str, source: str) -> bytes:
    """A layout file's bytes within the bounds of `pdf_limits`; refused with a warning otherwise."""
    try:
        return read_resource(path)
    except Untrusted as exc:
        log.warning("%srefused to load %s (%s)", f"{source}: " if source else "", url, exc)
        raise RefusedURL(url) from None
