"""`appealkit doctor`: one line per requirement of this machine, and the command that fixes it."""

from __future__ import annotations

from pathlib import Path

import click

from appealkit.cli.output import echo
from appealkit.cli.session import session, session_options


@click.command("doctor")
@session_options
def doctor_command() -> None:
    """Check what appealkit needs on this machine: Python, Pango, the letters' fonts, hyphenation,
    git, LibreOffice (optional), the SMTP relay of appealkit.yaml (connected to, nothing sent) and
    write access to build/. Each line is ok, missing (with the command that installs it here) or
    optional. Exit code 1 when something required is missing.

    Example: appealkit doctor
    """
    from appealkit.doctor.diagnose import DoctorOptions, diagnose
    from appealkit.source.paths import find_workspace

    current = session()
    root: Path | None = current.root() if current.root_option is not None else find_workspace(Path.cwd())
    result = diagnose(DoctorOptions(root=root))
    width = max(len(r.name) for r in result.requirements)
    for requirement in result.requirements:
        fix = f"  → {requirement.fix}" if requirement.fix and requirement.state != "ok" else ""
        echo(f"{requirement.state:<8} {requirement.name:<{width}}  {requirement.detail}{fix}")
    missing = len(result.missing)
    echo(f"{result.system.name}: " + (f"{missing} required thing(s) missing" if missing
                                      else "everything appealkit needs is here"), err=True)
    if missing:
        raise click.exceptions.Exit(1)
