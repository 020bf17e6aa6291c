"""The Containerfile, read instruction by instruction (no hadolint here), and built and run where a
container engine answers (podman or docker)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from helpers import REPO

CONTAINERFILE = REPO / "Containerfile"
INSTRUCTIONS = {"FROM", "RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "LABEL", "USER", "VOLUME", "EXPOSE",
                "ENTRYPOINT", "CMD", "SHELL", "HEALTHCHECK", "STOPSIGNAL", "ONBUILD"}


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comments dropped, continued lines joined, as a builder reads them."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):  # a comment inside a continued instruction
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        keyword, _, arguments = pending.strip().partition(" ")
        found.append((keyword.upper(), " ".join(arguments.split())))
        pending = ""
    assert not pending, "the file ends inside a continued instruction"
    return found


def test_every_instruction_is_one_a_builder_knows():
    parsed = instructions(CONTAINERFILE.read_text(encoding="utf-8"))
    assert parsed[0][0] == "FROM"
    unknown = [keyword for keyword, _ in parsed if keyword not in INSTRUCTIONS]
    assert unknown == []
    assert all(keyword.isupper() for keyword, _ in parsed)


def test_the_image_runs_appealkit_on_the_mounted_workspace():
    parsed = instructions(CONTAINERFILE.read_text(encoding="utf-8"))
    final = parsed[max(i for i, (keyword, _) in enumerate(parsed) if keyword == "FROM"):]
    last = {keyword: arguments for keyword, arguments in final}
    assert json.loads(last["ENTRYPOINT"]) == ["appealkit"]
    assert last["WORKDIR"] == "/workspace"
    assert "/workspace" in json.loads(last["VOLUME"])
    runs = " ".join(arguments for keyword, arguments in final if keyword == "RUN")
    assert "pip install" in runs and "appealkit doctor" in runs  # the image checks itself while built


def test_what_it_copies_exists_and_stages_are_named_before_use():
    parsed = instructions(CONTAINERFILE.read_text(encoding="utf-8"))
    stages = set()
    for keyword, arguments in parsed:
        words = arguments.split()
        if keyword == "FROM" and " AS " in f" {arguments.upper()} ":
            stages.add(words[-1])
        if keyword == "COPY":
            sources = [w for w in words[:-1] if not w.startswith("--")]
            origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            if origin:
                assert origin in stages, f"COPY --from={origin} before that stage"
            else:
                assert all((REPO / source).exists() for source in sources), sources
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "build", ".git"} <= set(ignored)


def engine() -> str | None:
    for name in ("podman", "docker"):
        path = shutil.which(name)
        if path and subprocess.run([path, "info"], capture_output=True, timeout=60, check=False).returncode == 0:
            return path
    return None


@pytest.mark.slow
@pytest.mark.skipif(engine() is None, reason="no container engine answers here (podman or docker)")
def test_the_image_builds_and_builds_letters(tmp_path):
    tool = engine()
    subprocess.run([tool, "build", "-t", "appealkit-test", "-f", str(CONTAINERFILE), str(REPO)], check=True,
                   timeout=1800, capture_output=True)
    mount = ["-v", f"{tmp_path}:/workspace"]
    subprocess.run([tool, "run", "--rm", *mount, "appealkit-test", "init", "ws"], check=True, timeout=300)
    subprocess.run([tool, "run", "--rm", "-v", f"{tmp_path / 'ws'}:/workspace", "appealkit-test", "build"],
                   check=True, timeout=600)
    assert (tmp_path / "ws" / "build" / "example" / "appeal--example-minister.pdf").is_file()
