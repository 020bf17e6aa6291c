"""A letter's raster images encoded for the PDF once per process, not once per letter.

WeasyPrint turns a PNG into PDF image streams in `write_pdf`: it decodes the PNG, splits off
the alpha channel and encodes both again, for every PDF (12 ms for the example's 480×480 RGBA
logo, more than a tenth of a letter's layout). The same logo on every letter of a batch gives
the same streams, so they are kept here by the hash of the image's bytes and the encoding's
parameters, and handed to each document's images as fresh PDF objects with the same bytes."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

#: How many encoded images are kept (a letter has a logo and a few signatures), and the
#: largest encoded image worth keeping: the cache stays a few MB however big a batch is.
KEPT_IMAGES = 32
KEPT_BYTES_MAX = 2 * 1024 * 1024

#: (source hash, mode, size, interpolate, optimize) → (image bytes, extra, alpha bytes, alpha extra)
_kept: OrderedDict[tuple[Any, ...], tuple[bytes, dict[str, Any], bytes | None, dict[str, Any] | None]] = \
    OrderedDict()
#: serve lays letters out in threads: the cache is read and trimmed under this lock
_kept_lock = threading.Lock()


def keep_encoded(document: Any) -> int:
    """Give the PNG images `document` draws the streams kept for them (made and kept the
    first time); how many images it draws. Call after the layout, before `write_pdf`."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    images = 0
    for page in document.pages:
        for box in page._page_box.descendants():
            image = getattr(box, "replacement", None) if isinstance(box, boxes.ReplacedBox) else None
            if isinstance(image, RasterImage) and image.format == "PNG" and "get_x_object" not in vars(image):
                image.get_x_object = _kept_x_object(image)
                images += 1
    return images


def _kept_x_object(image: Any) -> Any:
    encode = image.get_x_object  # WeasyPrint's own, bound to this image

    def get_x_object(interpolate: bool, dpi_ratio: float) -> Any:
        if dpi_ratio != 1:  # downsampled for a dpi bound: WeasyPrint's own way
            return encode(interpolate, dpi_ratio)
        source = hashlib.sha256(image.image_data.data).hexdigest()
        key = (source, image.mode, image.width, image.height, bool(interpolate), image.optimize)
        with _kept_lock:
            found = _kept.get(key)
            if found is not None:
                _kept.move_to_end(key)
        if found is not None:
            return _stream(*found)
        x_object = encode(interpolate, dpi_ratio)
        kept = _parts(x_object)
        if len(kept[0]) + len(kept[2] or b"") <= KEPT_BYTES_MAX:
            with _kept_lock:
                _kept[key] = kept
                while len(_kept) > KEPT_IMAGES:
                    _kept.popitem(last=False)
        return x_object

    return get_x_object


def _parts(x_object: Any) -> tuple[bytes, dict[str, Any], bytes | None, dict[str, Any] | None]:
    """An image stream (and its soft mask) as bytes and plain dictionaries."""
    import pydyf

    extra = dict(x_object.extra)
    mask = extra.pop("SMask", None)
    data = b"\n".join(pydyf._to_bytes(part) for part in x_object.stream)
    if mask is None:
        return data, extra, None, None
    return data, extra, b"\n".join(pydyf._to_bytes(part) for part in mask.stream), dict(mask.extra)


def _stream(data: bytes, extra: dict[str, Any], mask: bytes | None, mask_extra: dict[str, Any] | None) -> Any:
    """New PDF objects for a kept image: `write_pdf` numbers them and replaces the mask by a
    reference, so no two documents may share them."""
    import pydyf

    made = pydyf.Dictionary({key: _fresh(value) for key, value in extra.items()})
    if mask is not None and mask_extra is not None:
        made["SMask"] = pydyf.Stream([mask], pydyf.Dictionary({k: _fresh(v) for k, v in mask_extra.items()}))
    return pydyf.Stream([data], made)


def _fresh(value: Any) -> Any:
    import pydyf

    return pydyf.Dictionary(dict(value)) if isinstance(value, dict) else value
