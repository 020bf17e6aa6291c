"""Machines that lack something, made for one subprocess: no Pango, or a fontconfig with no font.

Without Pango: in a mount namespace of its own (`unshare -m`, as root) every libpango-1.0 file is
covered by an empty file, so the dynamic loader itself fails as on a machine without the package.
Where mount namespaces are not allowed, a `sitecustomize` makes cffi's and ctypes' loaders refuse
the library instead (the same `OSError`, one step higher).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO

#: Loads before anything else in the subprocess: the loaders refuse libpango.
REFUSE_PANGO = '''
import ctypes
def _refuse(name):
    if "pango" in str(name).lower():
        raise OSError(f"cannot load library {name!r}: no such file (the test machine has no Pango)")
_cdll_init = ctypes.CDLL.__init__
def _cdll(self, name, *args, **kwargs):
    _refuse(name)
    _cdll_init(self, name, *args, **kwargs)
ctypes.CDLL.__init__ = _cdll
try:
    import cffi
    _dlopen = cffi.FFI.dlopen
    def _cffi(self, name, *args, **kwargs):
        _refuse(name)
        return _dlopen(self, name, *args, **kwargs)
    cffi.FFI.dlopen = _cffi
except ImportError:
    pass
'''

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""


def pango_files() -> list[str]:
    """The libpango-1.0 files the dynamic loader knows (from `ldconfig -p`)."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    found = re.findall(r"libpango-1\.0\.so\S*\s.*=>\s*(\S+)", listing)
    return sorted({str(Path(p).resolve()) for p in found} | set(found))


@functools.cache
def mount_namespace_works() -> bool:
    if shutil.which("unshare") is None or not pango_files():
        return False
    done = subprocess.run(["unshare", "-m", "mount", "--bind", "/dev/null", pango_files()[0]],
                          capture_output=True, check=False)
    return done.returncode == 0


def run_without_pango(args: list[str], cwd: Path, tmp: Path, env: dict[str, str] | None = None
                      ) -> subprocess.CompletedProcess:
    """`python -m appealkit ARGS` on a machine where Pango cannot be loaded."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    command = [sys.executable, "-m", "appealkit", *args]
    if mount_namespace_works():
        mounts = " && ".join(f"mount --bind /dev/null '{path}'" for path in pango_files())
        command = ["unshare", "-m", "sh", "-c", f'{mounts} && exec "$@"', "sh", *command]
    else:
        shim = tmp / "refuse-pango"
        shim.mkdir(exist_ok=True)
        (shim / "sitecustomize.py").write_text(REFUSE_PANGO, encoding="utf-8")
        env["PYTHONPATH"] = f"{shim}{os.pathsep}{env['PYTHONPATH']}"
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def run_without_fonts(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess:
    """`python -m appealkit ARGS` with a fontconfig configuration that lists no font at all."""
    config = tmp / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "FONTCONFIG_FILE": str(config),
           "XDG_CACHE_HOME": str(tmp / "cache")}
    return subprocess.run([sys.executable, "-m", "appealkit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
