"""appealkit's version, in a module of its own: the writers and the manifest stamp it, and
importing it must not pull in the public API (`appealkit/__init__.py` reaches every floor)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def _installed() -> str:
    try:
        return version("appealkit")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"


__version__ = _installed()
