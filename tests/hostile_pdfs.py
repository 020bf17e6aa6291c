"""PDFs made to exhaust a reader, written object by object (no PDF library would write them).

Generated in the test that needs them, never committed: a content stream that inflates to a
gigabyte, forms nested deep and wide, a page of millions of text operations, one large stream
that hundreds of pages share. `benchmarks/hostile_input.py` times the same files.
"""

from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 (the catalog first) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"", compressed: bytes | None = None) -> bytes:
    """A stream object, Flate-compressed (or already compressed data given as `compressed`)."""
    body = compressed if compressed is not None else zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(body), entries) + body + b"\nendstream"


def inflating_to(size: int, byte: bytes = b" ") -> bytes:
    """zlib data that inflates to `size` bytes of `byte`, made in a second: one compressed 16 MB
    segment (a full flush keeps it independent) repeated, then the true checksum."""
    chunk = byte * (1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count, rest = divmod(size, len(chunk))
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(byte * rest) + tail.flush(zlib.Z_FINISH)
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    checksum = zlib.adler32(byte * rest, checksum)
    return b"\x78\xda" + segment * count + last + checksum.to_bytes(4, "big")


def pages_pdf(contents: list[int], objects: list[bytes], resources: bytes = b"<< /Font << /F1 3 0 R >> >>") -> bytes:
    """Catalog, page tree, a font, then `objects` (numbered from 4); one page per content object number."""
    first_page = 4 + len(objects)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(contents)))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
             % (resources, number) for number in contents]
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)), FONT,
                    *objects, *pages])


def text(words: str = "About 350 political prisoners are held.") -> bytes:
    return b"BT /F1 12 Tf 72 760 Td (" + words.encode("latin-1") + b") Tj ET"


def inflation_bomb(size: int = 1 << 30) -> bytes:
    """One page whose content stream inflates to `size` bytes (1 GB)."""
    return pages_pdf([4], [stream(b"", compressed=inflating_to(size))])


def nested_forms(depth: int = 7, width: int = 10) -> bytes:
    """Form XObjects `depth` deep, each drawing the one below `width` times: width**depth invocations."""
    objects = [stream(text(), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                              b"/Resources << /Font << /F1 3 0 R >> >>")]
    for level in range(1, depth + 1):
        below = 4 + level - 1
        objects.append(stream(b"/X Do " * width, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                                 b"/Resources << /XObject << /X %d 0 R >> >>" % below))
    top = 4 + depth
    objects.append(stream(b"/X Do"))
    return pages_pdf([5 + depth], objects, b"<< /XObject << /X %d 0 R >> >>" % top)


def text_operations(count: int = 2_000_000) -> bytes:
    """One page of `count` text-showing operations."""
    return pages_pdf([4], [stream(b"BT /F1 1 Tf " + b"(a) Tj " * count + b"ET")])


def shared_stream(pages: int = 200, size: int = 70_000_000) -> bytes:
    """`pages` pages whose content is one stream of `size` bytes (a comment, then a line of text)."""
    data = b"%" + b"x" * (size - 200) + b"\n" + text()
    return pages_pdf([4] * pages, [stream(data)])


def letter(words: str = "About 350 political prisoners are held.") -> bytes:
    """A plain one-page letter of a line of text, for the files next to a hostile one."""
    return pages_pdf([4], [stream(text(words))])
