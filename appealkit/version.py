"""appealkit's version, in a module of its own: the writers and the manifest stamp it, and
importing it must not pull in the public API (`appealkit/__init__.py` reaches every floor).

Versions are read from the installed `*.dist-info/METADATA` directly: `importlib.metadata`
costs a tenth of a second to import, a third of what a build with nothing to do may take.
"""

from __future__ import annotations

import functools
import os
import re
import sys

_SEPARATORS = re.compile(r"[-_.]+")


def installed_version(name: str) -> str | None:
    """The version of installed distribution `name`, as `importlib.metadata.version` gives it; None
    when it is not installed."""
    wanted = _SEPARATORS.sub("_", name).lower()
    for folder in _dist_infos().get(wanted, ()):
        found = _metadata_version(os.path.join(folder, "METADATA"))
        if found:
            return found
    from importlib import metadata  # not a plain dist-info (an egg, a zip): the library knows them all

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def _dist_infos() -> dict[str, list[str]]:
    """Every `*.dist-info` folder on sys.path by normalised name, in the order of sys.path."""
    found: dict[str, list[str]] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project = _SEPARATORS.sub("_", name[: -len(".dist-info")].partition("-")[0]).lower()
                found.setdefault(project, []).append(os.path.join(entry or ".", name))
    return found


def _metadata_version(path: str) -> str | None:
    """The `Version:` header of a METADATA file (headers end at the first empty line)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    return None
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip()
    except OSError:
        return None
    return None


__version__ = installed_version("appealkit") or "0.0.0"  # "0.0.0": a source tree never installed
