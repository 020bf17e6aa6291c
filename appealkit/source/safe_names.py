"""Names that become files, and folders a command may write to.

A campaign id, a letter id or a template name ends up as a file name under
build/. Whatever a volunteer typed, it must stay a plain ASCII name that every
operating system accepts and that cannot climb out of the output folder, and no
command may write into the folders that hold the source of truth.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from appealkit.errors import AppealkitError
from appealkit.source.paths import leads_outside, shown_path

SOURCE_FOLDERS = ("facts", "people", "recipients", "templates", "campaigns", "approvals")
MAX_NAME = 100

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: Names Windows reserves for devices, with or without an extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}


def check_file_name(name: str) -> str:
    """`name` if it is safe as a file name on every system; else a ValueError saying why."""
    if len(name) > MAX_NAME:
        raise ValueError(f"'{name[:20]}…' is longer than {MAX_NAME} characters")
    if not _SAFE.fullmatch(name) or name.endswith("."):
        raise ValueError(
            f"'{name}' is not a safe file name (ASCII letters, digits, '_', '-' and '.', "
            "starting with a letter or digit)"
        )
    if name.split(".")[0].lower() in _RESERVED:
        raise ValueError(f"'{name}' is a name Windows reserves for a device")
    return name


#: Unicode categories a reader cannot see in a file name: controls, format characters (bidi
#: overrides, zero-width marks), line and paragraph separators, unassigned and private code points.
_UNSEEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn"}


def name_problem(name: str) -> str | None:
    """Why a file name (a campaign, template or snippet) cannot be shown as it is, or None.

    The rule of ids, for names that may hold any visible letter: "b\u202eonn.yaml" prints as
    "bnoy.lmay" reversed and passes for another file."""
    for char in name:
        category = unicodedata.category(char)
        if category in _UNSEEN or (category == "Zs" and char != " "):
            label = unicodedata.name(char, "a control character")
            return f"'{name}' holds an invisible or control character (U+{ord(char):04X} {label})"
    return None


def output_path(out_dir: Path, file_name: str) -> Path:
    """`out_dir/file_name`, after making sure it resolves to a file directly inside `out_dir`."""
    path = out_dir / file_name
    if path.resolve().parent != out_dir.resolve():
        raise AppealkitError.at(file_name, None, "refused to write outside the output folder",
                                f"the output folder is {out_dir}")
    return path


def check_out_dir(root: Path, out_dir: Path) -> None:
    """Refuse an output folder inside facts/, people/, recipients/, templates/ or campaigns/, and one
    that is a symbolic link, or lies in the workspace but leads out of it: writes would go elsewhere."""
    target = Path(out_dir).resolve()
    for folder in SOURCE_FOLDERS:
        source = (Path(root) / folder).resolve()
        if target.is_relative_to(source):
            raise AppealkitError.at(shown_path(root, target), None, f"refused to write into {folder}/, "
                                    "which holds the source of truth", "choose a folder under build/")
    if Path(out_dir).is_symlink() or leads_outside(root, Path(out_dir)):
        raise AppealkitError.at(shown_path(root, Path(out_dir)), None,
                                "refused to write through a symbolic link to another folder",
                                "give the real folder, or a folder under build/")


def inside(folder: Path, name: str) -> bool:
    """Whether `folder/name`, symbolic links followed, is a file inside `folder`."""
    base = Path(folder).resolve()
    target = (base / name).resolve()
    return target.is_file() and target.is_relative_to(base)
