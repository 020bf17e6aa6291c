"""A PDF measured before pdfium reads it, and held to a budget while it does.

pdfium expands whatever a file asks for and has no budget we can set: a content stream that
inflates to 1 GB, form XObjects nested 7 deep and 10 wide (ten million invocations), a page
of two million text operations, one large stream that 200 pages share and pdfium decodes 200
times. So `measure` reads the file first with pypdf's lazy object access, under pypdf's own
output limits set to ours: each stream a page uses is decoded once, with a cap; forms are
counted through their invocations without being expanded (a form drawn ten times counts ten
times what it holds); text-showing operators are counted per page as pdfium will expand them.
Only a file within every bound goes to pdfium, and `PdfBudget.text_page` bounds what pdfium's
text layer hands back, page by page. Each refusal is one `Untrusted` sentence a user can act on.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from appealkit.source.regular_files import Untrusted, shown_size

#: More pages than this is no letter (a campaign's all-letters.pdf stays well below).
MAX_PAGES = 2_000
#: The most one stream may decode to; a page of text is some 50 KB, an embedded font a few MB.
MAX_STREAM_BYTES = 64_000_000
#: The most content pdfium may parse for the whole file, each page's share counted (a stream
#: that 200 pages share counts 200 times, though it is decoded here once), fonts once.
MAX_TOTAL_BYTES = 256_000_000
#: Forms inside forms: a word processor nests one or two.
MAX_XOBJECT_DEPTH = 12
#: Forms one page draws, nested ones included (the cap pypdf's text extraction keeps too).
MAX_XOBJECT_INVOCATIONS = 5_000
#: Text objects (each Tj, TJ, ' and ") one page draws once its forms are expanded.
MAX_TEXT_OBJECTS = 200_000
#: Characters pdfium's text layer may hand back for one page, and for the whole file.
MAX_PAGE_CHARS = 100_000
MAX_TOTAL_CHARS = 10_000_000
#: Runs of text on one page times its characters: pdfium looks each run's text up over the
#: whole page (some 20 ns a character), so this product is the work of reading it. A page of
#: a letter is some 10^6, one set character by character some 2 x 10^7; the cap is a second.
MAX_PAGE_WORK = 50_000_000
#: The same for the whole file: a bundle of 600 letter pages is some 4 x 10^8.
MAX_TOTAL_WORK = 1_000_000_000

_REFUSED = "audit refuses it"
_DELIMITER = rb"\s()<>\[\]{}/%"
_DO = re.compile(rb"/([^" + _DELIMITER + rb"]+)\s*Do(?![^" + _DELIMITER + rb"])")
_SHOW_TEXT = re.compile(rb"(?<![^" + _DELIMITER + rb"])(?:Tj|TJ|'|\")(?![^" + _DELIMITER + rb"])")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_FONT_STREAMS = ("/FontFile", "/FontFile2", "/FontFile3")

logging.getLogger("pypdf").addHandler(logging.NullHandler())  # its repairs are no message for a user


@dataclass(frozen=True)
class Cost:
    """What drawing a content stream costs pdfium: bytes parsed, text objects, forms invoked,
    and how deep forms nest inside it."""

    bytes: int = 0
    text: int = 0
    invocations: int = 0
    depth: int = 0

    def plus(self, other: Cost, times: int = 1) -> Cost:
        return Cost(self.bytes + times * other.bytes, self.text + times * other.text,
                    self.invocations + times * other.invocations, max(self.depth, other.depth))


@dataclass
class PdfBudget:
    """What a file measured before pdfium saw it, and the characters read since."""

    pages: int = 0
    decoded_bytes: int = 0  # each stream once, as `measure` decoded it
    content_bytes: int = 0  # every page's share, as pdfium parses it
    text_objects: int = 0
    chars: int = 0
    work: int = 0
    per_page: list[Cost] = field(default_factory=list)

    def text_page(self, textpage: Any, page: int) -> None:
        """`Untrusted` when pdfium's text of one page is more than can be read in bounded time."""
        chars = textpage.count_chars()
        if chars > MAX_PAGE_CHARS:
            raise Untrusted(f"page {page} holds more than {MAX_PAGE_CHARS:,} characters; {_REFUSED}")
        self.chars += chars
        if self.chars > MAX_TOTAL_CHARS:
            raise Untrusted(f"its pages hold more than {MAX_TOTAL_CHARS:,} characters; {_REFUSED}")
        rects = textpage.count_rects()
        if rects * chars > MAX_PAGE_WORK:
            raise Untrusted(f"page {page} holds {chars:,} characters in {rects:,} separate runs, "
                            f"more than can be read in bounded time; {_REFUSED}")
        self.work += rects * chars
        if self.work > MAX_TOTAL_WORK:
            raise Untrusted(f"its pages hold more separately placed text than can be read in bounded time "
                            f"(page {page} passes the bound); {_REFUSED}")


def measure(raw: bytes) -> PdfBudget:
    """The budget of a PDF within every bound; `Untrusted` naming the first bound it passes."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    limits = {name: MAX_STREAM_BYTES for name in (
        "maximum_declared_stream_length", "array_based_stream_maximum_output_length",
        "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
        "jbig2_maximum_output_length", "brotli_maximum_output_length", "image_maximum_buffer_size")}
    try:
        with (apply_configuration(None, **limits, page_tree_maximum_entries=4 * MAX_PAGES),
              warnings.catch_warnings()):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(raw), strict=False)
            if reader.is_encrypted:
                raise Untrusted("it is encrypted; export it again without a password")
            return _Measure(reader).run()
    except LimitReachedError:
        raise Untrusted(f"a stream in it decodes to more than {shown_size(MAX_STREAM_BYTES)}; "
                        f"{_REFUSED}") from None
    except RecursionError:
        raise Untrusted(f"its objects nest too deep to be read; {_REFUSED}") from None
    except Untrusted:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, OSError,
            NotImplementedError, ArithmeticError, AssertionError):
        raise Untrusted("it is not a readable PDF: its data is damaged; "
                        "export the letter to PDF again") from None


class _Measure:
    """One walk over the pages, every stream decoded at most once."""

    def __init__(self, reader: Any):
        self.reader = reader
        self.budget = PdfBudget()
        self._streams: dict[object, tuple[int, int, dict[str, int]]] = {}
        self._forms: dict[object, Cost] = {}
        self._drawing: set[object] = set()
        self._fonts: set[object] = set()
        self._page = 0

    def run(self) -> PdfBudget:
        root = self.reader.trailer["/Root"].get_object()
        declared = root["/Pages"].get_object().get("/Count", 0)
        if isinstance(declared, int) and declared > MAX_PAGES:
            raise Untrusted(f"it has {declared:,} pages, more than {MAX_PAGES:,}")
        pages = self.reader.pages
        if len(pages) > MAX_PAGES:
            raise Untrusted(f"it has {len(pages):,} pages, more than {MAX_PAGES:,}")
        self.budget.pages = len(pages)
        for number, page in enumerate(pages, start=1):
            self._page = number
            cost = self._drawn(page.get("/Contents"), page.get("/Resources"), 0)
            self.budget.per_page.append(cost)
            self.budget.content_bytes += cost.bytes
            self.budget.text_objects += cost.text
            if self.budget.content_bytes > MAX_TOTAL_BYTES:
                raise Untrusted(f"its pages decode to more than {shown_size(MAX_TOTAL_BYTES)} of content "
                                f"together; {_REFUSED}")
        return self.budget

    def _drawn(self, contents: Any, resources: Any, depth: int) -> Cost:
        """A page's or form's content and what its forms draw, invocations counted, not expanded."""
        contents = _resolved(contents)
        parts = contents if isinstance(contents, list) else [contents] if contents is not None else []
        cost = Cost()
        names: dict[str, int] = {}
        for part in parts:
            size, text, used = self._scanned(part)
            cost = cost.plus(Cost(size, text))
            for name, times in used.items():
                names[name] = names.get(name, 0) + times
        resources = _resolved(resources)
        self._read_fonts(resources)
        xobjects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
        for name, times in names.items():
            reference = xobjects.get(name) if isinstance(xobjects, dict) else None
            form = _resolved(reference)
            if not isinstance(form, dict) or form.get("/Subtype") != "/Form":
                continue  # an image is not decoded to read text; a missing name draws nothing
            cost = cost.plus(self._form(reference, form, resources, depth + 1), times)
            self._check(cost)
        self._check(cost)
        return cost

    def _form(self, reference: Any, form: Any, inherited: Any, depth: int) -> Cost:
        """A form drawn at nesting level `depth`, measured once (per resources it inherits)."""
        own = form.get("/Resources")
        key = (_key(reference, form), None if own is not None else id(inherited))
        known = self._forms.get(key)
        if depth > MAX_XOBJECT_DEPTH or (known and depth - 1 + known.depth > MAX_XOBJECT_DEPTH):
            raise Untrusted(f"page {self._page} nests form XObjects more than {MAX_XOBJECT_DEPTH} deep; "
                            f"{_REFUSED}")
        if known:
            return known
        if key in self._drawing:
            raise Untrusted(f"a form XObject on page {self._page} draws itself; {_REFUSED}")
        self._drawing.add(key)
        inner = self._drawn(form, own if own is not None else inherited, depth)
        self._drawing.discard(key)
        cost = self._forms[key] = Cost(inner.bytes, inner.text, inner.invocations + 1, inner.depth + 1)
        return cost

    def _check(self, cost: Cost) -> None:
        if cost.invocations > MAX_XOBJECT_INVOCATIONS:
            raise Untrusted(f"page {self._page} draws more than {MAX_XOBJECT_INVOCATIONS:,} form XObjects; "
                            f"{_REFUSED}")
        if cost.text > MAX_TEXT_OBJECTS:
            raise Untrusted(f"page {self._page} holds more than {MAX_TEXT_OBJECTS:,} text objects; "
                            f"{_REFUSED}")
        if cost.bytes > MAX_TOTAL_BYTES:
            raise Untrusted(f"page {self._page} decodes to more than {shown_size(MAX_TOTAL_BYTES)} "
                            "of content; "
                            f"{_REFUSED}")

    def _scanned(self, part: Any) -> tuple[int, int, dict[str, int]]:
        """A content stream's size, text objects and forms by name: decoded once, however often drawn."""
        stream = _resolved(part)
        key = _key(part, stream)
        if key not in self._streams:
            data = self._decoded(stream)
            used: dict[str, int] = {}
            for match in _DO.finditer(data):
                name = "/" + _HEX.sub(lambda m: bytes([int(m[1], 16)]), match[1]).decode("latin-1")
                used[name] = used.get(name, 0) + 1
            self._streams[key] = (len(data), len(_SHOW_TEXT.findall(data)), used)
        return self._streams[key]

    def _decoded(self, stream: Any) -> bytes:
        from pypdf.filters import decode_stream_data
        from pypdf.generic import StreamObject

        if not isinstance(stream, StreamObject):
            return b""
        from pypdf.errors import LimitReachedError

        try:
            data = decode_stream_data(stream)
        except LimitReachedError:
            data = None
        if data is None or len(data) > MAX_STREAM_BYTES:
            raise Untrusted(f"a stream on page {self._page} decodes to more than "
                            f"{shown_size(MAX_STREAM_BYTES)}; "
                            f"{_REFUSED}")
        self.budget.decoded_bytes += len(data)
        if self.budget.decoded_bytes > MAX_TOTAL_BYTES:
            raise Untrusted(f"its streams decode to more than {shown_size(MAX_TOTAL_BYTES)} together; "
                            f"{_REFUSED}")
        return data

    def _read_fonts(self, resources: Any) -> None:
        """Embedded font programs and character maps, which pdfium decodes once per file."""
        fonts = _resolved(resources.get("/Font")) if isinstance(resources, dict) else None
        if not isinstance(fonts, dict):
            return
        for reference in list(fonts.values()):
            font = _resolved(reference)
            key = _key(reference, font)
            if key in self._fonts or not isinstance(font, dict):
                continue
            self._fonts.add(key)
            for each in [font, *(_resolved(d) for d in _resolved(font.get("/DescendantFonts")) or [])]:
                if not isinstance(each, dict):
                    continue
                descriptor = _resolved(each.get("/FontDescriptor"))
                streams = [each.get("/ToUnicode")]
                if isinstance(descriptor, dict):
                    streams += [descriptor.get(name) for name in _FONT_STREAMS]
                procs = _resolved(each.get("/CharProcs"))
                if isinstance(procs, dict):
                    streams += list(procs.values())
                for stream in streams:
                    if stream is not None and _key(stream, _resolved(stream)) not in self._streams:
                        self._scanned(stream)


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _key(reference: Any, obj: Any) -> object:
    """An indirect object by its number, a direct one by its identity."""
    number = getattr(reference, "idnum", None)
    return ("ref", number, getattr(reference, "generation", 0)) if number is not None else ("obj", id(obj))
