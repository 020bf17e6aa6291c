"""The system packages appealkit needs outside Python, per system, and the command that installs them.

A wheel brings every Python library, but Pango (WeasyPrint's text layout), the letters' fonts and
git come from the operating system. This is the one table of what to install where: `doctor` and
the PDF writer's one-line errors print its commands, and `scripts/install-system-deps.sh` installs
the same packages (tests/test_system_packages.py keeps the two in step).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

#: The systems with a package manager this table speaks for; anything else is "unknown".
SYSTEMS = ("debian", "fedora", "macos", "windows")

#: requirement → system → packages. macOS names Homebrew formulae, and casks after "cask:".
PACKAGES: dict[str, dict[str, tuple[str, ...]]] = {
    # libharfbuzz-subset0 makes PDF font subsetting 4-5x faster (WeasyPrint warns without it)
    "pango": {
        "debian": ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"),
        "fedora": ("pango", "harfbuzz"),
        "macos": ("pango",),
    },
    # Liberation Serif is the letters' font (the metric twin of Times New Roman, which the DOCX
    # names, with every Azerbaijani, German and French letter); DejaVu is the review pages' face
    "fonts": {
        "debian": ("fonts-liberation2", "fonts-dejavu-core", "fonts-dejavu-extra"),
        "fedora": ("liberation-serif-fonts", "dejavu-sans-fonts", "dejavu-serif-fonts"),
        "macos": ("cask:font-liberation", "cask:font-dejavu"),
    },
    "git": {"debian": ("git",), "fedora": ("git",), "macos": ("git",)},
    "libreoffice": {
        "debian": ("libreoffice-writer",),
        "fedora": ("libreoffice-writer",),
        "macos": ("cask:libreoffice",),
    },
}

#: Windows has no package line: WSL2 runs the Ubuntu commands; natively, WeasyPrint's own route.
WINDOWS = {
    "pango": "WSL2 (wsl --install -d Ubuntu, then the Ubuntu command inside it), or natively "
             "MSYS2 and, in its shell, pacman -S mingw-w64-ucrt-x86_64-pango",
    "fonts": "install Liberation Serif from the Liberation fonts release (Install for all users)",
    "git": "winget install --id Git.Git",
    "libreoffice": "winget install --id TheDocumentFoundation.LibreOffice",
}

#: On a system this table does not know, what to look for in its own package manager.
UNKNOWN = {
    "pango": "install Pango 1.44 or later (and HarfBuzz) with this system's package manager",
    "fonts": "install the Liberation Serif and DejaVu fonts with this system's package manager",
    "git": "install git with this system's package manager",
    "libreoffice": "install LibreOffice Writer with this system's package manager",
}


@dataclass(frozen=True)
class System:
    """The system this runs on: its kind (one of SYSTEMS, or "unknown") and its name for people."""

    kind: str
    name: str
    root: bool = False


def this_system(os_release: Path = Path("/etc/os-release")) -> System:
    """Which system this is, from `sys.platform` and, on Linux, /etc/os-release."""
    if sys.platform == "darwin":
        return System("macos", "macOS")
    if sys.platform == "win32":
        return System("windows", "Windows")
    fields = _os_release(os_release)
    name = fields.get("PRETTY_NAME") or fields.get("NAME") or sys.platform
    family = {fields.get("ID", ""), *fields.get("ID_LIKE", "").split()}
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    for kind, members in (("debian", {"debian", "ubuntu"}), ("fedora", {"fedora", "rhel", "centos"})):
        if family & members:
            return System(kind, name, root)
    return System("unknown", name, root)


def _os_release(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            fields[key.strip()] = value.strip().strip('"').strip("'")
    return fields


def install_command(requirement: str, system: System | None = None) -> str:
    """The command a person types on `system` (default: this one) to install `requirement`."""
    system = system or this_system()
    if system.kind == "windows":
        return WINDOWS[requirement]
    packages = PACKAGES[requirement].get(system.kind)
    if not packages:
        return UNKNOWN[requirement]
    sudo = "" if system.root else "sudo "
    if system.kind == "debian":
        return f"{sudo}apt-get install {' '.join(packages)}"
    if system.kind == "fedora":
        return f"{sudo}dnf install {' '.join(packages)}"
    formulae = [p for p in packages if not p.startswith("cask:")]
    casks = [p.removeprefix("cask:") for p in packages if p.startswith("cask:")]
    commands = ([f"brew install {' '.join(formulae)}"] if formulae else []) + (
        [f"brew install --cask {' '.join(casks)}"] if casks else [])
    return " && ".join(commands)
