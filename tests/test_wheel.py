"""The wheel carries everything: built from the checkout, installed into a clean virtual environment
outside the repository with a HOME of its own, it makes a workspace, checks, builds and audits it.

This is what `pipx install` and `uv tool install` do with the same wheel: a fresh environment with
the wheel and its dependencies, nothing of the checkout on the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from helpers import REPO
from pypdf import PdfReader

PACKAGE = REPO / "appealkit"


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps", "-w", str(dist),
         str(REPO)], REPO, dict(os.environ))
    (found,) = dist.glob("appealkit-*.whl")
    return found


@pytest.mark.slow  # with the next test, which shares its wheel: slow tests run first (conftest.py)
def test_the_wheel_holds_every_file_of_the_package(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    files = {path.relative_to(REPO).as_posix() for path in PACKAGE.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts}
    assert files - shipped == set()
    assert {"appealkit/scaffold/appealkit.yaml", "appealkit/scaffold/templates/layout/letter.css",
            "appealkit/write/hyph_az.dic", "appealkit/pages/templates/bundle_index.html"} <= shipped
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-py3')[0]}.dist-info/entry_points.txt").decode()
    assert "appealkit = appealkit.cli:main" in metadata


@pytest.mark.slow
def test_the_installed_wheel_makes_checks_builds_and_audits_a_workspace(wheel, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                           check=False).stdout.strip()
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env = {**base, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    venv = tmp_path / "venv"
    # no pip of its own (ensurepip takes seconds): this pip installs into it, as pipx does with its shared pip
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    # the user's pip cache, so the dependencies come from it when they are there; --no-compile:
    # the commands below compile what they import, the rest of the dependencies need no .pyc here
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile",
         "--disable-pip-version-check", str(wheel)], tmp_path, {**env, **({"PIP_CACHE_DIR": cache} if cache else {})})
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = run([str(python), "-c", "import appealkit; print(appealkit.__file__)"], tmp_path, env).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the installed package, not the checkout

    run(["appealkit", "init", "my-appeals"], tmp_path, env)
    workspace = tmp_path / "my-appeals"
    assert run(["appealkit", "check"], workspace, env).stderr == "checked 8 files: no findings\n"
    built = run(["appealkit", "build"], workspace, env)
    assert "1 built, 0 unchanged, 0 refused, 0 failed" in built.stdout
    out = workspace / "build" / "example"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(out / "appeal--example-minister.pdf").pages)
    docx_text = " ".join(p.text for p in docx.Document(str(out / "appeal--example-minister.docx")).paragraphs)
    for text in (pdf_text, docx_text):
        assert "at least 12 detained journalists" in " ".join(text.split())
    audited = run(["appealkit", "audit", str(out / "appeal--example-minister.pdf"),
                   str(out / "appeal--example-minister.docx")], workspace, env)
    assert audited.stderr == "audited 2 files: no findings\n"
    doctor = run(["appealkit", "doctor"], workspace, env)
    assert "ok       hyphenation" in doctor.stdout
