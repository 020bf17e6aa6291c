"""`appealkit doctor`: one line per requirement, ok / missing with this system's fix / optional, and
exit code 1 exactly when something required is missing. The machines that lack something are real
subprocesses (`machine_helpers`); the relay is a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from helpers import REPO, make_workspace
from machine_helpers import run_without_fonts, run_without_pango
from smtp_server import Mailbox, free_port, smtp_server

from appealkit.cli import cli
from appealkit.doctor.diagnose import DoctorOptions, diagnose
from appealkit.system_packages import install_command

NAMES = ["Python", "Pango", "font Liberation Serif", "hyphenation", "git", "LibreOffice", "SMTP relay", "build/"]


def lines(output: str) -> dict[str, tuple[str, str]]:
    """`state  name  detail` lines → {name: (state, rest)}, names as doctor prints them."""
    found = {}
    for line in output.splitlines():
        state, _, rest = line.partition(" ")
        name = next((n for n in [*NAMES, "font Lacking Serif"] if rest.strip().startswith(n)), None)
        if name:
            found[name] = (state, rest.strip()[len(name):].strip())
    return found


def test_on_this_machine_everything_needed_is_there(tmp_path, monkeypatch):
    root = make_workspace(tmp_path)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    found = lines(result.stdout)
    assert list(found) == NAMES
    version = ".".join(str(n) for n in sys.version_info[:3])
    assert found["Python"] == ("ok", f"{version} ({sys.executable})")
    assert found["Pango"][0] == "ok" and found["Pango"][1].endswith(", loaded by WeasyPrint")
    assert found["font Liberation Serif"] == ("ok", "covers Azerbaijani ə, German ß, French œ")
    assert found["hyphenation"] == ("ok", "dictionaries for en, de, fr, az")
    assert found["git"][0] == "ok"
    assert found["LibreOffice"][0] == ("ok" if shutil.which("soffice") or shutil.which("libreoffice")
                                       else "optional")
    assert found["SMTP relay"] == ("optional", "none in appealkit.yaml (only `appealkit send` needs one)  → "
                                               "set smtp_host under send: in appealkit.yaml")
    assert found["build/"] == ("ok", "can be created")
    assert result.stderr.endswith(": everything appealkit needs is here\n")


def test_outside_a_workspace_the_relay_and_build_are_left_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    found = lines(result.stdout)
    assert found["SMTP relay"] == ("optional", "not in a workspace (appealkit.yaml names the relay)")
    assert found["build/"][0] == "optional"


def test_without_pango_doctor_names_the_command_that_installs_it(tmp_path):
    root = make_workspace(tmp_path / "ws")
    done = run_without_pango(["doctor"], root, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = lines(done.stdout)
    assert found["Pango"] == ("missing", "WeasyPrint cannot load Pango (libpango-1.0-0)  → "
                                         f"{install_command('pango')}")
    assert found["font Liberation Serif"] == (
        "missing", f"not checked: fonts are found through Pango  → {install_command('fonts')}")
    assert found["hyphenation"][0] == found["git"][0] == found["build/"][0] == "ok"
    assert done.stderr.endswith(": 2 required thing(s) missing\n")


def test_without_fonts_pango_loads_and_the_font_is_missing(tmp_path):
    root = make_workspace(tmp_path / "ws")
    done = run_without_fonts(["doctor"], root, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = lines(done.stdout)
    assert found["Pango"][0] == "ok"
    assert found["font Liberation Serif"] == (
        "missing", "fontconfig finds no font on this machine, its configuration (FONTCONFIG_FILE, else "
                   f"/etc/fonts) lists none  → {install_command('fonts')}")


def lacking_font(folder, family: str, without: str) -> None:
    """Liberation Serif renamed `family`, with the letters `without` taken out."""
    source = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif:style=Regular"], capture_output=True,
                            text=True, check=True).stdout
    font = TTFont(source)
    keep = [code for code in font.getBestCmap() if chr(code) not in without]
    subsetter = Subsetter(Options())
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    folder.mkdir(parents=True)
    font.save(folder / "lacking.ttf")


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is not installed")
def test_a_font_without_azerbaijani_schwa_is_named(tmp_path):
    root = make_workspace(tmp_path / "ws", {
        "templates/layout/letter.html": (REPO / "appealkit/scaffold/templates/layout/letter.html").read_text(),
        "templates/layout/letter.css": "body { font-family: 'Lacking Serif'; }\n"})
    lacking_font(tmp_path / "fonts", "Lacking Serif", "əƏ")
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "fonts"}</dir>'
                      f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "FONTCONFIG_FILE": str(config)}
    done = subprocess.run([sys.executable, "-m", "appealkit", "doctor"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert lines(done.stdout)["font Lacking Serif"] == (
        "missing", "has German ß, French œ; lacks Azerbaijani ə  → name a font with these letters in letter.css")


def test_the_relay_of_the_settings_is_connected_to_and_sent_nothing(tmp_path):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        root = make_workspace(tmp_path, {"appealkit.yaml": f"send:\n  smtp_host: 127.0.0.1\n  smtp_port: {port}\n"
                                                           "  smtp_security: none\n"})
        relay = next(r for r in diagnose(DoctorOptions(root)).requirements if r.name == "SMTP relay")
    assert (relay.state, relay.detail) == ("ok", f"127.0.0.1:{port} answers (none; nothing sent)")
    assert mailbox.received == []


def test_a_relay_that_does_not_answer_is_missing(tmp_path, monkeypatch):
    port = free_port()  # nothing listens there
    root = make_workspace(tmp_path, {"appealkit.yaml": f"send:\n  smtp_host: 127.0.0.1\n  smtp_port: {port}\n"
                                                       "  smtp_security: none\n"})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    state, detail = lines(result.stdout)["SMTP relay"]
    assert state == "missing"
    assert detail.startswith(f"127.0.0.1:{port}: error: cannot connect to the SMTP server")
    assert detail.endswith("→ check send: in appealkit.yaml, and that the relay is up")


def test_a_broken_settings_file_is_named_with_its_line(tmp_path):
    root = make_workspace(tmp_path, {"appealkit.yaml": "send:\n  smtp_port: 99999\n"})
    relay = next(r for r in diagnose(DoctorOptions(root)).requirements if r.name == "SMTP relay")
    assert relay.state == "missing"
    assert relay.detail.startswith("appealkit.yaml:2: error: ")


def test_a_build_that_is_a_file_is_missing(tmp_path):
    root = make_workspace(tmp_path)
    (root / "build").write_text("not a folder", encoding="utf-8")
    result = diagnose(DoctorOptions(root))
    build = next(r for r in result.requirements if r.name == "build/")
    assert (build.state, build.detail) == ("missing", f"{root / 'build'} is a file, not a folder")
    assert build in result.missing


def test_without_git_doctor_fails_and_names_the_fix(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no git, no LibreOffice on this PATH
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    found = lines(result.stdout)
    assert found["git"] == ("missing", "not found (diff, and a workspace's history, need it)  → "
                                       f"{install_command('git')}")
    assert found["LibreOffice"] == ("optional", "not installed (to open DOCX letters and redlines)  → "
                                                f"{install_command('libreoffice')}")
    assert result.stderr.endswith(": 1 required thing(s) missing\n")
