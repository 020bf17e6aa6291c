"""`appealkit doctor`: each thing appealkit needs on this machine, found or missing, with its fix.

A new user's first PDF fails for reasons outside Python: no Pango, no Liberation Serif, a font
that lacks ə, no git for `diff`, a relay that does not answer. Each is asked here the way the
command that needs it asks (WeasyPrint is loaded as the PDF writer loads it; the relay is
connected to as `send` connects, without sending anything), so "ok" here means the command works.
A missing requirement names the command that installs it on this system (`system_packages`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from appealkit.errors import AppealkitError, option
from appealkit.rules.language import LANGUAGE_NAMES
from appealkit.system_packages import System, install_command, this_system

#: The oldest Python the package supports (pyproject's requires-python) and WeasyPrint's oldest Pango.
PYTHON = (3, 11)
PANGO = (1, 44)
#: One letter per language that the letters' font must have beyond ASCII.
SAMPLES = {"az": "ə", "de": "ß", "fr": "œ"}
STATES = ("ok", "missing", "optional")


@dataclass(frozen=True)
class DoctorOptions:
    """What to examine: the workspace (None outside one: its relay and build/ are then left out)."""

    root: Path | None = None


@dataclass(frozen=True)
class Requirement:
    """One line of the diagnosis: what, its state (ok, missing or optional), what was found, the fix."""

    name: str
    state: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Diagnosis:
    system: System
    requirements: tuple[Requirement, ...]

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state == "missing")


def diagnose(options: DoctorOptions) -> Diagnosis:
    """Every requirement, in the order a first build meets them."""
    system = this_system()
    found: list[Requirement] = [_python()]
    pango = _pango(system)
    found.append(pango)
    found.extend(_fonts(options.root, system, pango.state == "ok"))
    found.append(_hyphenation())
    found.append(_git(system))
    found.append(_libreoffice(system))
    found.append(_relay(options))
    found.append(_build_folder(options.root))
    return Diagnosis(system, tuple(found))


def _python() -> Requirement:
    version = ".".join(str(n) for n in sys.version_info[:3])
    if sys.version_info[:2] >= PYTHON:
        return Requirement("Python", "ok", f"{version} ({sys.executable})")
    return Requirement("Python", "missing", f"{version}, older than {PYTHON[0]}.{PYTHON[1]}",
                       f"install Python {PYTHON[0]}.{PYTHON[1]} or later and appealkit with it")


def _pango(system: System) -> Requirement:
    from appealkit.write import pdf_support

    try:
        version = pdf_support.pango_version()
    except AppealkitError as exc:
        return Requirement("Pango", "missing", exc.problems[0].message.removeprefix("not written: "),
                           install_command("pango", system))
    number = tuple(int(part) for part in version.split(".")[:2])
    if number < PANGO:
        return Requirement("Pango", "missing", f"{version}, older than {PANGO[0]}.{PANGO[1]} (WeasyPrint's "
                           "oldest)", install_command("pango", system))
    return Requirement("Pango", "ok", f"{version}, loaded by WeasyPrint")


def _layout_dir(root: Path | None) -> Path:
    """The workspace's own layout when it has one, else the default that `init` copies."""
    from appealkit.render.letters import DEFAULT_LAYOUT_DIR, LAYOUT

    own = root / "templates" / LAYOUT if root else None
    return own.parent if own and own.is_file() else DEFAULT_LAYOUT_DIR


def _fonts(root: Path | None, system: System, pango: bool) -> list[Requirement]:
    """One line per font the layout names, with the languages whose letters it has."""
    from appealkit.write import pdf_support
    from appealkit.write.pdf_writer import font_setting, layout_fonts

    families = [name.title() for name in sorted(layout_fonts(_layout_dir(root)))] or ["serif"]
    fix = install_command("fonts", system)
    if not pango:
        return [Requirement(f"font {name}", "missing", "not checked: fonts are found through Pango", fix)
                for name in families]
    try:
        pdf_support.load_weasyprint()
    except AppealkitError as exc:  # Pango loads, fontconfig has no font
        return [Requirement(f"font {name}", "missing", exc.problems[0].message.removeprefix("not written: "),
                            fix) for name in families]

    lines = []
    for family in families:
        used = font_setting(family, "a")
        if [u.lower() for u in used] != [family.lower()]:
            instead = f" (text would be set in {', '.join(used)})" if used else ""
            lines.append(Requirement(f"font {family}", "missing", f"not installed{instead}", fix))
            continue
        shown = used[0]  # as the font spells its name
        covered = [lang for lang, char in SAMPLES.items()
                   if [u.lower() for u in font_setting(family, char)] == [family.lower()]]
        names = ", ".join(f"{LANGUAGE_NAMES[lang]} {SAMPLES[lang]}" for lang in covered)
        lacking = [f"{LANGUAGE_NAMES[lang]} {char}" for lang, char in SAMPLES.items() if lang not in covered]
        if lacking:
            lines.append(Requirement(f"font {shown}", "missing", f"has {names or 'none of them'}; lacks "
                                     f"{', '.join(lacking)}", "name a font with these letters in letter.css"))
        else:
            lines.append(Requirement(f"font {shown}", "ok", f"covers {names}"))
    return lines


def _hyphenation() -> Requirement:
    lacking = [lang for lang in LANGUAGE_NAMES if not _dictionary_loads(lang)]
    if lacking:
        return Requirement("hyphenation", "missing", f"no dictionary for {', '.join(lacking)}",
                           "reinstall appealkit (its dictionaries come with it and with Pyphen)")
    return Requirement("hyphenation", "ok", f"dictionaries for {', '.join(LANGUAGE_NAMES)}")


def _dictionary_loads(language: str) -> bool:
    """The dictionary is read, not only named: a wheel without hyph_az.dic still names it."""
    import pyphen

    from appealkit.write.hyphenation import hyphenates

    try:
        return hyphenates(language) and pyphen.Pyphen(lang=language) is not None
    except (OSError, KeyError, ValueError):
        return False


def _version_of(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip().splitlines() or [""])[0]


def _git(system: System) -> Requirement:
    git = shutil.which("git")
    if git is None:
        return Requirement("git", "missing", "not found (diff, and a workspace's history, need it)",
                           install_command("git", system))
    return Requirement("git", "ok", _version_of([git, "--version"]).removeprefix("git version ") or git)


def _libreoffice(system: System) -> Requirement:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        return Requirement("LibreOffice", "optional", "not installed (to open DOCX letters and redlines)",
                           install_command("libreoffice", system))
    return Requirement("LibreOffice", "ok", found)


def _relay(options: DoctorOptions) -> Requirement:
    """The relay of `appealkit.yaml`, connected to (greeting, EHLO, STARTTLS, login) and left."""
    if options.root is None:
        return Requirement("SMTP relay", "optional", "not in a workspace (appealkit.yaml names the relay)")
    from appealkit.source.settings import load_settings

    try:
        settings = load_settings(options.root).send
    except AppealkitError as exc:
        return Requirement("SMTP relay", "missing", str(exc.problems[0]), "correct appealkit.yaml")
    if not settings.smtp_host:
        return Requirement("SMTP relay", "optional",
                           "none in appealkit.yaml (only `appealkit send` needs one)",
                           "set smtp_host under send: in appealkit.yaml")
    return _connect(settings)


def _connect(file) -> Requirement:
    """Connected to as `send` does, within the settings' relay_deadline, and left before MAIL FROM."""
    from appealkit.send.smtp import RelayOptions, SmtpTransport, relay_settings

    try:
        settings = relay_settings(file, RelayOptions(), os.environ)  # relay_deadline bounds open()
        transport = SmtpTransport(settings)
        transport.open()
        transport.close()
    except AppealkitError as exc:
        return Requirement("SMTP relay", "missing", str(exc.problems[0]),
                           "check send: in appealkit.yaml, and that the relay is up")
    login = f", logged in as {settings.user}" if settings.user else ""
    return Requirement("SMTP relay", "ok", f"{settings.address} answers ({settings.security}{login}; "
                       "nothing sent)")


def _build_folder(root: Path | None) -> Requirement:
    if root is None:
        return Requirement("build/", "optional", "not in a workspace (run doctor inside one to check build/)")
    folder = Path(root) / "build"
    if folder.exists() and not folder.is_dir():
        return Requirement("build/", "missing", f"{folder} is a file, not a folder",
                           "move the file away; build/ holds the letters")
    probe_in = folder if folder.is_dir() else Path(root)
    try:
        with tempfile.NamedTemporaryFile(dir=probe_in, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Requirement("build/", "missing", f"cannot write in {probe_in}: {exc.strerror or exc}",
                           f"make {probe_in} writable for this user, or build with {option('out_dir')} DIR")
    return Requirement("build/", "ok", "writable" if folder.is_dir() else "can be created")

