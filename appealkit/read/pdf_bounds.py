"""A PDF measured before pdfium reads it, and held to a budget while it does.

pdfium expands whatever a file asks for and has no budget we can set: a content stream that
inflates to 1 GB, form XObjects nested 7 deep and 10 wide (ten million invocations), a page
of two million text operations, one large stream that 200 pages share and pdfium decodes 200
times. So `measure` reads the file first with qpdf (pikepdf), which parses an object only when
it is asked for (pypdf parsed every object of an object stream, a tagged letter's structure tree
with it, and took longer than pdfium's whole reading): the page tree is walked within a bound on
its entries, each stream a page uses is decoded once, with a cap on what it inflates to; forms are
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
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeGuard

from appealkit.source.regular_files import Untrusted, shown_size

#: More pages than this is no letter (a campaign's all-letters.pdf stays well below).
MAX_PAGES = 2_000
#: Nodes the page tree may list (pages and the nodes above them) before it is walked no further.
MAX_PAGE_TREE_ENTRIES = 4 * MAX_PAGES
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
#: Tj, TJ, ' and " between delimiters; the operator first, the delimiter before it looked back at
#: after, so the engine scans for the operator's first byte instead of trying every position.
_SHOW_TEXT = re.compile(rb"(?:T[jJ](?<![^" + _DELIMITER + rb"]..)|['\"](?<![^" + _DELIMITER + rb"].))"
                        rb"(?![^" + _DELIMITER + rb"])")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_FONT_STREAMS = ("/FontFile", "/FontFile2", "/FontFile3")
_FLATE = ("/FlateDecode", "/Fl")
#: pypdf's own output limits, set to ours, for a stream whose filters the fast path leaves to it.
_PYPDF_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
                 "zlib_maximum_output_length", "lzw_maximum_output_length",
                 "run_length_maximum_output_length", "jbig2_maximum_output_length",
                 "brotli_maximum_output_length", "image_maximum_buffer_size")

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
    import pikepdf

    try:
        # inherit_page_attributes off: qpdf would walk the whole page tree, unbounded, on opening
        with pikepdf.Pdf.open(io.BytesIO(raw), inherit_page_attributes=False) as pdf:
            if pdf.is_encrypted:
                raise Untrusted("it is encrypted; export it again without a password")
            return _Measure(pdf).run()
    except pikepdf.PasswordError:
        raise Untrusted("it is encrypted; export it again without a password") from None
    except RecursionError:
        raise Untrusted(f"its objects nest too deep to be read; {_REFUSED}") from None
    except Untrusted:
        raise
    # every error qpdf raises for a broken file (pikepdf 9, the declared floor, has no common base)
    except (pikepdf.PdfError, pikepdf.DataDecodingError, pikepdf.DeletedObjectError,
            pikepdf.ForeignObjectError, RuntimeError, ValueError, TypeError, KeyError, AttributeError,
            IndexError, OSError, NotImplementedError, ArithmeticError, AssertionError):
        raise Untrusted("it is not a readable PDF: its data is damaged; "
                        "export the letter to PDF again") from None


class _Measure:
    """One walk over the pages, every stream decoded at most once."""

    def __init__(self, pdf: Any):
        self.pdf = pdf
        self.budget = PdfBudget()
        self._streams: dict[object, tuple[int, int, dict[str, int]]] = {}
        self._forms: dict[object, Cost] = {}
        self._drawing: set[object] = set()
        self._fonts: set[object] = set()
        self._font_streams: set[object] = set()
        #: direct dictionaries keyed by identity, kept alive so that no identity is reused
        self._held: list[Any] = []
        self._page = 0

    def run(self) -> PdfBudget:
        root = self.pdf.trailer.get("/Root")
        tree = root.get("/Pages") if _is_dict(root) else None
        if not _is_dict(tree):
            raise Untrusted("it is not a readable PDF: its data is damaged; export the letter to PDF again")
        declared = tree.get("/Count", 0)
        if isinstance(declared, int) and declared > MAX_PAGES:
            raise Untrusted(f"it has {declared:,} pages, more than {MAX_PAGES:,}")
        pages = self._pages(tree)
        self.budget.pages = len(pages)
        for number, (page, resources) in enumerate(pages, start=1):
            self._page = number
            cost = self._drawn(page.get("/Contents"), resources, 0)
            self.budget.per_page.append(cost)
            self.budget.content_bytes += cost.bytes
            self.budget.text_objects += cost.text
            if self.budget.content_bytes > MAX_TOTAL_BYTES:
                raise Untrusted(f"its pages decode to more than {shown_size(MAX_TOTAL_BYTES)} of content "
                                f"together; {_REFUSED}")
        return self.budget

    def _pages(self, tree: Any) -> list[tuple[Any, Any]]:
        """Every page in order with the resources it has or inherits, the tree walked within
        `MAX_PAGE_TREE_ENTRIES` (a tree that declares one page may list millions). A node with
        contents is measured as a page even where it has kids: pdfium must not draw what was not
        measured."""
        pages: list[tuple[Any, Any]] = []
        entries = 0
        walked: set[object] = set()
        stack: list[tuple[Any, Any]] = [(tree, None)]
        while stack:
            node, inherited = stack.pop()
            if not _is_dict(node):
                continue
            resources = node.get("/Resources", inherited)
            kids = node.get("/Kids")
            if kids is None or "/Contents" in node:
                pages.append((node, resources))
                if len(pages) > MAX_PAGES:
                    raise Untrusted(f"it has more than {MAX_PAGES:,} pages")
            if not _is_array(kids):
                continue
            key = self._key(node)
            if key in walked:
                continue  # a tree that holds itself: pdfium walks it once too
            walked.add(key)
            entries += len(kids)
            if entries > MAX_PAGE_TREE_ENTRIES:
                raise Untrusted(f"it has more than {MAX_PAGES:,} pages")
            stack.extend((kid, resources) for kid in reversed(list(kids)))
        return pages

    def _drawn(self, contents: Any, resources: Any, depth: int) -> Cost:
        """A page's or form's content and what its forms draw, invocations counted, not expanded."""
        parts = list(contents) if _is_array(contents) else [contents]
        cost = Cost()
        names: dict[str, int] = {}
        for part in parts:
            size, text, used = self._scanned(part)
            cost = cost.plus(Cost(size, text))
            for name, times in used.items():
                names[name] = names.get(name, 0) + times
        self._read_fonts(resources)
        xobjects = resources.get("/XObject") if _is_dict(resources) else None
        for name, times in names.items():
            form = xobjects.get(name) if _is_dict(xobjects) else None
            if not _is_stream(form) or form.get("/Subtype") != "/Form":
                continue  # an image is not decoded to read text; a missing name draws nothing
            cost = cost.plus(self._form(form, resources, depth + 1), times)
            self._check(cost)
        self._check(cost)
        return cost

    def _form(self, form: Any, inherited: Any, depth: int) -> Cost:
        """A form drawn at nesting level `depth`, measured once (per resources it inherits)."""
        own = form.get("/Resources")
        key = (self._key(form), None if own is not None else self._key(inherited))
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
        if not _is_stream(part):
            return 0, 0, {}
        key = self._key(part)
        if key not in self._streams:
            data = self._decoded(part)
            used: dict[str, int] = {}
            for match in _DO.finditer(data):
                name = "/" + _HEX.sub(lambda m: bytes([int(m[1], 16)]), match[1]).decode("latin-1")
                used[name] = used.get(name, 0) + 1
            self._streams[key] = (len(data), len(_SHOW_TEXT.findall(data)), used)
        return self._streams[key]

    def _decoded(self, stream: Any) -> bytes:
        """A stream's data as pdfium will inflate it, never more than `MAX_STREAM_BYTES`."""
        data = _inflated(stream)
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
        """Embedded font programs and character maps, which pdfium decodes once per file: their
        size counts, their bytes are no content to scan."""
        fonts = resources.get("/Font") if _is_dict(resources) else None
        if not _is_dict(fonts):
            return
        for font in [value for _, value in fonts.items()]:  # pikepdf 9.0's Dictionary has no values()
            if not _is_dict(font) or (key := self._key(font)) in self._fonts:
                continue
            self._fonts.add(key)
            descendants = font.get("/DescendantFonts")
            for each in [font, *(descendants if _is_array(descendants) else ())]:
                if not _is_dict(each):
                    continue
                descriptor = each.get("/FontDescriptor")
                streams = [each.get("/ToUnicode")]
                if _is_dict(descriptor):
                    streams += [descriptor.get(name) for name in _FONT_STREAMS]
                procs = each.get("/CharProcs")
                if _is_dict(procs):
                    streams += [value for _, value in procs.items()]
                for stream in streams:
                    if _is_stream(stream) and (stream_key := self._key(stream)) not in self._font_streams:
                        self._font_streams.add(stream_key)
                        self._decoded(stream)

    def _key(self, obj: Any) -> object:
        """An indirect object by its number, a direct one by its identity (held, so never reused)."""
        if obj is None:
            return None
        if getattr(obj, "is_indirect", False):
            return ("ref", *obj.objgen)
        self._held.append(obj)
        return ("obj", id(obj))


def _inflated(stream: Any) -> bytes | None:
    """A stream's decoded data, or None past `MAX_STREAM_BYTES`. Plain Flate (nearly every content
    stream and font) is inflated here with a cap on the output; any other chain of filters, or
    Flate data zlib will not finish cleanly, goes to pypdf's decoders under its output limits."""
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    chain = [str(f) for f in filters] if _is_array(filters) else [] if filters is None else [str(filters)]
    if not chain:
        return raw if len(raw) <= MAX_STREAM_BYTES else None
    parms = stream.get("/DecodeParms")
    if len(chain) == 1 and chain[0] in _FLATE and (parms is None or (
            _is_dict(parms) and "/Predictor" not in parms)):
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, MAX_STREAM_BYTES + 1)
        except zlib.error:
            data = None
        if data is not None and len(data) > MAX_STREAM_BYTES:
            return None
        if data is not None and inflater.eof:
            return data
    return _pypdf_decoded(raw, stream)


def _pypdf_decoded(raw: bytes, stream: Any) -> bytes | None:
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError
    from pypdf.filters import decode_stream_data
    from pypdf.generic import EncodedStreamObject, NameObject

    copy = EncodedStreamObject()
    copy._data = raw  # the encoded bytes pypdf's decoders read
    for name in ("/Filter", "/DecodeParms"):
        if name in stream:
            copy[NameObject(name)] = _pypdf_value(stream.get(name))
    try:
        with (apply_configuration(None, **dict.fromkeys(_PYPDF_LIMITS, MAX_STREAM_BYTES)),
              warnings.catch_warnings()):
            warnings.simplefilter("ignore")
            data = decode_stream_data(copy)
    except LimitReachedError:
        return None
    return data if isinstance(data, bytes) else None


def _pypdf_value(value: Any) -> Any:
    """A filter name, array or parameter dictionary as pypdf's decoders take it."""
    import pikepdf
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NullObject,
        NumberObject,
    )

    if isinstance(value, pikepdf.Name):
        return NameObject(str(value))
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, Decimal):
        return FloatObject(value)
    if isinstance(value, pikepdf.Array):
        return ArrayObject(_pypdf_value(v) for v in value)
    if isinstance(value, pikepdf.Dictionary):
        return DictionaryObject({NameObject(k): _pypdf_value(v) for k, v in value.items()})
    return NullObject()  # a stream (JBIG2's globals) or anything else no content filter reads


def _is_dict(value: Any) -> TypeGuard[Any]:
    import pikepdf

    return isinstance(value, pikepdf.Dictionary)


def _is_stream(value: Any) -> TypeGuard[Any]:
    import pikepdf

    return isinstance(value, pikepdf.Stream)


def _is_array(value: Any) -> TypeGuard[Any]:
    import pikepdf

    return isinstance(value, pikepdf.Array)
