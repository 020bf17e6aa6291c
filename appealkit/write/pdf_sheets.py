"""A layout's stylesheets parsed once per process, for every letter laid out with them.

WeasyPrint fetches and parses a <link>ed stylesheet again for each layout; the PDF writer
keeps the parsed sheets with its FontConfiguration and gives them to every render."""

from __future__ import annotations

import logging
import mimetypes
import pathlib
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any


def kept_stylesheets(page: Any, root: pathlib.Path, kept: dict[str, Any], fetcher: Callable[[], Any],
                     fonts: Any) -> list[Any]:
    """The layout's linked stylesheets, each parsed once per process and folder state (with
    `pdf_writer._font_config`, which holds `kept` and calls this under its lock), their
    <link>s taken out of `page`; `fetcher` makes the layout folder's url_fetcher.

    WeasyPrint would fetch and parse letter.css again for every layout, a twentieth of a
    letter. A kept sheet comes in as a user stylesheet, which the cascade ranks below the
    author's: only when nothing of the author's is left to rank against it (no <style>, every
    stylesheet link kept, see `_parsed_stylesheet`) is that the same cascade; otherwise the
    links stay and WeasyPrint parses them as before."""
    from weasyprint.html import parse_url

    links, sheets = [], []
    for element in page.etree_element.iter():
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        rel = element.get("rel", "").split() if tag == "link" else []
        if tag == "style" or (rel and rel != ["stylesheet"] and "stylesheet" in rel):
            return []
        if rel != ["stylesheet"]:
            continue
        url = parse_url(element.get("href"), page.base_url)
        if url is None or element.get("type", "text/css") != "text/css" \
                or element.get("media", "all") not in ("all", "print"):
            return []
        if url not in kept:
            kept[url] = _parsed_stylesheet(url, root, fetcher(), fonts)
        if kept[url] is None:
            return []
        links.append(element)
        sheets.append(kept[url])
    for element in links:
        del element.attrib["href"]  # WeasyPrint skips a link without one
    return sheets


def _parsed_stylesheet(url: str, root: pathlib.Path, fetcher: Any, fonts: Any) -> Any:
    """`url`'s CSS if it is a file of the layout folder that ranks as a user sheet the way it
    would as the author's, parsed without a word (a refused URL or a skipped rule is told for
    every letter, so such a sheet is not kept); else None.

    Ranks alike: no `!important` and no #id selector (what would set it against a style
    attribute), no @layer, @counter-style or @color-profile (kept with the sheet, not the letter)."""
    from weasyprint import CSS

    path = _local_path(url)
    if (path is None or not path.is_relative_to(root) or not path.is_file()
            or mimetypes.guess_type(path.name)[0] != "text/css"):
        return None
    heard = _Heard()
    counters: dict[str, Any] = {}
    profiles: dict[str, Any] = {}
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(heard)
    try:
        sheet = CSS(url=url, url_fetcher=fetcher, media_type="print", font_config=fonts,
                    counter_style=counters, color_profiles=profiles)
    except Exception:
        return None
    finally:
        weasyprint_log.removeHandler(heard)
    if heard.records or fetcher.refused or counters or profiles or sheet.layers:
        return None
    matcher = sheet.matcher
    entries = [entry for table in (matcher.id_selectors, matcher.class_selectors,
                                   matcher.lower_local_name_selectors, matcher.namespace_selectors)
               for entry_list in table.values() for entry in entry_list]
    entries += matcher.lang_attr_selectors + matcher.other_selectors
    declarations = [payload[0] for _test, specificity, _order, _pseudo, payload in entries
                    if not specificity[0]]
    if len(declarations) < len(entries) or matcher.id_selectors:
        return None
    declarations += [rule[2] for rule in sheet.page_rules]
    return None if any(important for block in declarations for _name, _value, important in block) else sheet


def _local_path(url: str) -> pathlib.Path | None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return pathlib.Path(urllib.request.url2pathname(parts.path)).resolve()


class _Heard(logging.Handler):
    """Collects what WeasyPrint says from a warning up."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
