"""Bounds on the PDF layout: a layout is data from a partly trusted volunteer, and WeasyPrint
documents what untrusted HTML and CSS can do to it (its "Security" page):

- long renderings and infinite loops: a CPU-time budget per letter (`cpu_deadline`) and a
  page cap, so a layout that makes 100,000 pages stops with one line;
- huge values (`font-size: 1e9px`, a 20,000-deep element tree): WeasyPrint's exceptions are
  caught per letter (`guarded`) and named with the layout file;
- SVG images: `<use>` that copies elements that copy elements is counted before WeasyPrint
  sees it, in the layout and in SVG files it loads;
- infinite requests, access to local files and system information leaks: the fetcher in
  `pdf_writer` serves only files inside the layout's folder and data: URLs, never the
  network, and each file through `read_resource` (a regular file, capped in bytes and pixels).
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from appealkit.errors import AppealkitError, TemplateError
from appealkit.interrupts import in_finaliser
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.safe_xml import parse_xml

#: The most pages one letter's PDF may have; a long appeal has five.
MAX_PAGES = 200
#: CPU seconds one letter's PDF may take; the Bonn letters take about half a second each.
MAX_PDF_SECONDS = 5.0
#: The largest file (image, font, stylesheet) a layout may load.
MAX_RESOURCE_BYTES = 5_000_000
#: The most pixels an image in a layout may have (a 300 dpi A4 page is 8.7 million).
MAX_IMAGE_PIXELS = 25_000_000
#: The deepest the layout's HTML may nest (a letter nests about ten levels).
MAX_HTML_DEPTH = 100
#: The most elements an SVG may draw once every `<use>` is expanded.
MAX_SVG_ELEMENTS = 10_000

_HINT = "check the layout's HTML and CSS in templates/layout/"
_XLINK = "{http://www.w3.org/1999/xlink}href"


class Overtime(BaseException):
    """Raised by the CPU-time alarm; a BaseException so no `except Exception` in WeasyPrint eats it."""


#: After the budget is spent, the alarm rings again this often (CPU seconds) until the work stops.
_RING_AGAIN = 0.05


@contextlib.contextmanager
def cpu_deadline(seconds: float) -> Iterator[None]:
    """Raise `Overtime` once the process has spent `seconds` more CPU time. Only the main thread
    takes signals (a worker process runs its letters there); elsewhere nothing is armed.

    The alarm repeats, and does not raise inside a `__del__`: Python prints and swallows an
    exception there (one ring landed in WeasyPrint's FontConfiguration.__del__, and a runaway
    layout went on for minutes). Work that ends after a swallowed ring still counts as overtime."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    state = {"armed": True, "rang": False}

    def ring(signum: int, frame: Any) -> None:
        if state["armed"]:
            state["rang"] = True
            if not in_finaliser(frame):  # raised there, Python would print it and go on
                raise Overtime()

    previous = signal.signal(signal.SIGPROF, ring)
    signal.setitimer(signal.ITIMER_PROF, seconds, _RING_AGAIN)
    try:
        yield
    finally:
        state["armed"] = False  # first, so a ring between here and the disarm is a no-op
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    if state["rang"]:
        raise Overtime()


def guarded(make_pdf: Callable[[], bytes], html: str, source: str) -> bytes:
    """`make_pdf()` within the PDF budgets; any failure is one `TemplateError` naming `source`."""
    problem = html_problem(html)
    if problem:
        raise TemplateError.at(source, None, problem, _HINT)
    try:
        with cpu_deadline(MAX_PDF_SECONDS):
            data = make_pdf()
    except Overtime:
        raise TemplateError.at(source, None, f"the PDF layout took more than {MAX_PDF_SECONDS:g} s of CPU "
                               "time for one letter", _HINT) from None
    except RecursionError:
        raise TemplateError.at(source, None, "the PDF layout nests elements too deeply", _HINT) from None
    except MemoryError:
        raise TemplateError.at(source, None, "the PDF layout ran out of memory", _HINT) from None
    except AppealkitError:  # the writer's own one-line errors (a missing font ...) stay as they are
        raise
    except Exception as exc:  # WeasyPrint fails in many ways on hostile CSS; each is this letter's failure
        raise TemplateError.at(source, None, f"WeasyPrint could not lay out the letter: {_why(exc)}",
                               _HINT) from None
    pages = page_count(data)
    if pages > MAX_PAGES:
        raise TemplateError.at(source, None, f"the PDF has {pages:,} pages, more than {MAX_PAGES}", _HINT)
    return data


def html_problem(html: str) -> str | None:
    """What in the page itself would take WeasyPrint down: nesting too deep, an SVG bomb."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html.encode("utf-8"))
    except Exception:  # an unparsable page: WeasyPrint's own parser reports it
        return None
    depth, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_HTML_DEPTH:
            return f"the page nests elements more than {MAX_HTML_DEPTH} levels deep"
        stack.extend((child, level + 1) for child in element)
    return svg_problem(html.encode("utf-8"), html=True)


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def page_count(data: bytes) -> int:
    """How many pages the PDF has (pdfium reads the page tree in C: pypdf took longer than a layout)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def read_resource(path: Path) -> bytes:
    """A file a layout loads: regular, at most MAX_RESOURCE_BYTES, and for images and SVG within
    MAX_IMAGE_PIXELS and MAX_SVG_ELEMENTS; `Untrusted` says why not."""
    return checked_resource(read_regular(path, MAX_RESOURCE_BYTES), path.suffix)


def checked_resource(data: bytes, suffix: str) -> bytes:
    """`data` (a file's bytes, or a data: URL's) if within the bounds of a layout's images and SVG."""
    if len(data) > MAX_RESOURCE_BYTES:
        raise Untrusted(f"it is larger than {MAX_RESOURCE_BYTES // 1_000_000} MB")
    if suffix.lower() == ".svg" or data[:256].lstrip().startswith((b"<svg", b"<?xml")):
        problem = svg_problem(data)
        if problem:
            raise Untrusted(problem)
    elif suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"):
        _check_pixels(data)
    return data


def read_data_url(url: str) -> tuple[bytes, str]:
    """A data: URL's bytes and media type, within the same bounds as a file the layout loads: an
    SVG bomb or a huge image in a stylesheet's `url(data:...)` is refused like one in a file."""
    import base64
    import binascii
    import mimetypes
    import urllib.parse

    head, comma, body = url[len("data:"):].partition(",")
    if not comma:
        raise Untrusted("a data: URL without data")
    params = head.split(";")
    media = params[0].strip().lower() or "text/plain"
    if len(body) > 2 * MAX_RESOURCE_BYTES:
        raise Untrusted(f"it is larger than {MAX_RESOURCE_BYTES // 1_000_000} MB")
    try:
        data = (base64.b64decode(urllib.parse.unquote(body), validate=False) if "base64" in params[1:]
                else urllib.parse.unquote_to_bytes(body))
    except (binascii.Error, ValueError):
        raise Untrusted("a data: URL whose data cannot be decoded") from None
    return checked_resource(data, mimetypes.guess_extension(media) or ""), media


def _check_pixels(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Exception as exc:  # Pillow raises many kinds on a broken image
        raise Untrusted(f"not a readable image ({_why(exc)})") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise Untrusted(f"an image of {width} × {height} pixels, more than {MAX_IMAGE_PIXELS:,}")


def svg_problem(data: bytes, html: bool = False) -> str | None:
    """Why an SVG (or the SVG inside an HTML page) would explode when drawn, or None."""
    if html and (b"<svg" not in data or b"use" not in data):
        return None
    try:
        if html:
            from lxml import html as lxml_html

            root = lxml_html.document_fromstring(data)
        else:
            root = parse_xml(data, "the SVG")
    except Untrusted as exc:
        return str(exc)
    except Exception:  # an unparsable page: WeasyPrint's own parser reports it
        return None
    try:
        drawn = _drawn(root)
    except RecursionError:
        return "an SVG nested too deeply to draw"
    if drawn > MAX_SVG_ELEMENTS:
        return f"an SVG whose <use> elements draw more than {MAX_SVG_ELEMENTS:,} elements"
    return None


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _drawn(root: Any) -> int:
    """Elements drawn once every `<use href="#id">` is expanded, counted without expanding; a
    reference cycle or a count past the cap stops the count at MAX_SVG_ELEMENTS + 1."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes: dict[Any, int] = {}  # keyed by element: lxml's proxies keep no stable id()
    cap = MAX_SVG_ELEMENTS + 1

    def size(element: Any, visiting: frozenset[Any]) -> int:
        if element in sizes:
            return sizes[element]
        if element in visiting:
            return cap
        inner = visiting | {element}
        total = 1 + sum(size(child, inner) for child in element)
        if _local(element.tag) == "use":
            href = element.get("href") or element.get(_XLINK) or ""
            target = ids.get(href[1:]) if href.startswith("#") else None
            if target is not None:
                total += size(target, inner)
        sizes[element] = min(total, cap)
        return sizes[element]

    return size(root, frozenset())
