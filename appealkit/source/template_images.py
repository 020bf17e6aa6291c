"""Images a workspace names under templates/: signature scans and the organisation's logo.

Both end up inside every letter (DOCX and PDF), so each is checked where it is named, in the
same way: inside templates/, a file type the writers can place, a size and (for PNG) a pixel
count a letter can carry. The PDF layout's own images are bounded in `write/pdf_limits.py`.
"""

from __future__ import annotations

import struct
from pathlib import Path

from appealkit.source.paths import inside_templates, template_file

MAX_BYTES = 512 * 1024
#: A logo or a signature printed a few centimetres wide needs far fewer (600 dpi, 8 × 4 cm).
MAX_PIXELS = 2_000_000
_PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None when `data` is no PNG."""
    if len(data) < 24 or not data.startswith(_PNG) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def image_problem(root: Path, name: str, what: str, types: tuple[str, ...] = (".png", ".svg"),
                  save_as: str = "", smaller: str = "save it at a lower resolution or crop it"
                  ) -> tuple[str, str] | None:
    """Why `name` cannot be used as `what` ("signature image", "logo"): (message, hint), or None;
    `save_as` and `smaller` are the hints for a wrong type and a file too large."""
    if not inside_templates(root, name):
        return f"{what} '{name}' is outside templates/", "put the image under templates/"
    path = template_file(root, name)
    if path is None:
        return f"{what} '{name}' not found in templates/", "check the file name"
    kinds = " or ".join(t.lstrip(".").upper() for t in types)
    if path.suffix.lower() not in types:
        return f"{what} '{name}' is not a {kinds} file", save_as or f"save it as {' or '.join(types)}"
    if path.stat().st_size > MAX_BYTES:
        return f"{what} '{name}' is larger than {MAX_BYTES // 1024} KB", smaller
    if path.suffix.lower() == ".png":
        with path.open("rb") as handle:
            size = png_size(handle.read(24))
        if size is None:
            return f"{what} '{name}' is not a readable PNG file", "save it again as .png"
        if size[0] * size[1] > MAX_PIXELS:
            return (f"{what} '{name}' has {size[0]} × {size[1]} pixels, more than {MAX_PIXELS:,}",
                    "scale it down: a few hundred pixels across are enough for print")
    return None
