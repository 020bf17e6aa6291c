"""The one table of system packages: the install script and the Containerfile install exactly its
packages, each system gets its own command, and an unknown system is named as such."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from appealkit.system_packages import PACKAGES, System, install_command, this_system

SCRIPT = REPO / "scripts" / "install-system-deps.sh"
NEEDED = ("pango", "fonts", "git")  # what the script installs; LibreOffice stays optional


def script_list(name: str) -> list[str]:
    found = re.search(rf'^{name}="([^"]*)"$', SCRIPT.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{name} is not set in {SCRIPT.name}"
    return found.group(1).split()


def needed(system: str) -> list[str]:
    return [p for requirement in NEEDED for p in PACKAGES[requirement][system]]


def test_the_install_script_installs_the_table_s_packages():
    assert script_list("debian_packages") == needed("debian")
    assert script_list("fedora_packages") == needed("fedora")
    macos = needed("macos")
    assert script_list("brew_formulae") == [p for p in macos if not p.startswith("cask:")]
    assert script_list("brew_casks") == [p.removeprefix("cask:") for p in macos if p.startswith("cask:")]


def test_the_containerfile_installs_the_debian_packages():
    text = (REPO / "Containerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "apt-get install" in line)
    installed = line.split("--no-install-recommends", 1)[1].split("&&", 1)[0].split()
    assert installed == needed("debian")


@pytest.mark.parametrize(("release", "kind"), [
    ('ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', "debian"),
    ('ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n', "debian"),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
    ('ID=fedora\nPRETTY_NAME="Fedora Linux 41"\n', "fedora"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ('ID=alpine\nPRETTY_NAME="Alpine Linux v3.20"\n', "unknown"),
    ("", "unknown"),
])
def test_the_system_is_read_from_os_release(tmp_path, release, kind):
    path = tmp_path / "os-release"
    path.write_text(release, encoding="utf-8")
    assert this_system(path).kind == kind


def test_each_system_gets_its_own_command():
    assert install_command("pango", System("debian", "Debian")) == (
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
    assert install_command("pango", System("debian", "Debian", root=True)).startswith("apt-get install ")
    assert install_command("fonts", System("fedora", "Fedora")) == (
        "sudo dnf install liberation-serif-fonts dejavu-sans-fonts dejavu-serif-fonts")
    assert install_command("pango", System("macos", "macOS")) == "brew install pango"
    assert install_command("fonts", System("macos", "macOS")) == "brew install --cask font-liberation font-dejavu"
    assert "mingw-w64-ucrt-x86_64-pango" in install_command("pango", System("windows", "Windows"))
    assert "wsl --install" in install_command("pango", System("windows", "Windows"))
    assert install_command("git", System("unknown", "Alpine")) == "install git with this system's package manager"


def test_the_script_installs_nothing_when_everything_is_there():
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian system")
    done = subprocess.run(["sh", str(SCRIPT)], capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")


def _bare_path(tmp_path: Path, tools: list[str]) -> str:
    """A PATH with only `tools` on it: no apt, dnf, rpm or brew, the script's unknown system."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:  # python3 is this interpreter itself (a python3 on PATH may be a shell shim)
        (folder / tool).symlink_to(os.path.realpath(sys.executable) if tool == "python3" else shutil.which(tool))
    return str(folder)


@pytest.mark.parametrize(("tools", "code", "last"), [
    (["uname", "id", "python3"], 0, "install-system-deps: Pango is present; run appealkit doctor to see the rest"),
    (["uname", "id"], 1, "install-system-deps: Pango was not found"),
])
def test_an_unknown_system_is_named_and_fails_only_without_pango(tmp_path, tools, code, last):
    env = {**os.environ, "PATH": _bare_path(tmp_path, tools)}
    done = subprocess.run([shutil.which("sh"), str(SCRIPT)], capture_output=True, text=True, env=env,
                          check=False, timeout=60)
    lines = done.stderr.splitlines()
    assert done.returncode == code
    assert lines[0].startswith("install-system-deps: Linux is not a system this script knows "
                               "(Debian/Ubuntu, Fedora, macOS); install Pango 1.44 or later")
    assert lines[-1] == last


def test_the_readme_gives_each_system_the_table_s_packages():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`sudo apt-get install {' '.join(needed('debian'))} pipx`" in readme
    assert f"`sudo dnf install {' '.join(needed('fedora'))} pipx`" in readme
    formulae = [p for p in needed("macos") if not p.startswith("cask:")]
    casks = [p.removeprefix("cask:") for p in needed("macos") if p.startswith("cask:")]
    assert f"`brew install {' '.join(formulae)} pipx && brew install --cask {' '.join(casks)}`" in readme
