"""A letter's PDF as page images for the review page: the pages as the recipient will see
them, page breaks and all, which the browser's own rendering of the layout cannot show."""

from __future__ import annotations

import io

#: Wide enough to read a line at a glance, small enough to draw three pages in a blink.
WIDTH_PX = 820


def page_pngs(pdf: bytes, width_px: int = WIDTH_PX) -> tuple[bytes, ...]:
    """Each page of `pdf` as PNG bytes, `width_px` wide (our own PDF: the bounds of untrusted
    reading are not needed here)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=width_px / page.get_width())
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=False)
            images.append(buffer.getvalue())
            page.close()
        return tuple(images)
    finally:
        document.close()
