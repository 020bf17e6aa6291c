"""WeasyPrint loaded with care: a machine without Pango or without fonts gets one line, not a crash.

Importing WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi. Without Pango the import
prints a banner to standard output and raises `OSError`; with a fontconfig that knows no font it
only warns, and the first letter laid out then crashes the process (a segmentation fault). Both are
found here, at the import, before any letter is laid out, and become a `MissingLibrary` that the
build reports per PDF while the DOCX files are still written. The answer is kept for the process:
a build of 300 letters asks once.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import warnings
from types import ModuleType

from appealkit.errors import MissingLibrary
from appealkit.system_packages import install_command

#: The warnings WeasyPrint gives when fontconfig has no font to offer (it lays out anyway, and crashes).
_NO_FONTS = ("No fonts configured in FontConfig", "FontConfig cannot load default config file")

_loaded: ModuleType | None = None
_failure: MissingLibrary | None = None


def load_weasyprint() -> ModuleType:
    """The `weasyprint` module, or `MissingLibrary` naming what this machine lacks."""
    global _loaded, _failure
    if _loaded is not None:
        return _loaded
    if _failure is not None:
        raise _failure
    banner = io.StringIO()
    with contextlib.redirect_stdout(banner), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            import weasyprint
        except OSError as exc:
            _failure = MissingLibrary.at(
                "PDF", None, f"not written: WeasyPrint cannot load Pango ({_library(exc)})",
                f"install it: {install_command('pango')}; `appealkit doctor` checks the rest")
            raise _failure from None
    if any(text in str(w.message) for w in caught for text in _NO_FONTS):
        _failure = MissingLibrary.at(
            "PDF", None, "not written: fontconfig finds no font on this machine, its configuration "
            "(FONTCONFIG_FILE, else /etc/fonts) lists none",
            f"install the letters' fonts: {install_command('fonts')}; `appealkit doctor` checks the rest")
        raise _failure
    _loaded = weasyprint
    return weasyprint


def _library(exc: OSError) -> str:
    """The library cffi could not load, from "cannot load library 'libpango-1.0-0': ..."."""
    found = re.search(r"library '([^']+)'", str(exc))
    return found.group(1) if found else (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def pango_version() -> str:
    """Pango's version as WeasyPrint reports it (`weasyprint --info`), e.g. "1.50.12"; also on a
    machine without fonts, where Pango loads but no PDF can be made."""
    try:
        load_weasyprint()
    except MissingLibrary:
        if "weasyprint.text.ffi" not in sys.modules:
            raise
    from weasyprint.text.ffi import pango

    number = int(pango.pango_version())
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
