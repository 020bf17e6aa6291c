"""A template's source as the sandbox's loader reads it, and its hash, without Jinja.

The render's loader (`render/sandbox.py`'s `TemplatesLoader`) reads through `read_template`, and
a build that has nothing to render hashes the same sources through `TemplateSources`: an
unchanged letter is recognised without importing Jinja or compiling its layout.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from appealkit.errors import TemplateError
from appealkit.source.paths import inside_folder
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.safe_names import name_problem

#: The largest template file: a letter body is a few kilobytes.
MAX_TEMPLATE_BYTES = 1_000_000
#: Characters that Word files cannot hold and no letter needs (tab, newline and return are fine).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The layout a workspace without templates/layout/ gets: the one shipped in the package.
DEFAULT_LAYOUT_DIR = Path(__file__).parent.parent / "scaffold" / "templates" / "layout"
#: The name the letter layout is loaded by: the workspace's templates/layout/ first, else the default.
LAYOUT = "layout/letter.html"


def read_template(folder: Path, name: str) -> tuple[str, Path] | None:
    """(source, resolved file) of template `name` in `folder`; None when there is no such file inside it.

    A name with invisible characters, a file that is not a regular UTF-8 text or that holds a
    control character is a `TemplateError` naming its line."""
    unseen = name_problem(name)
    if unseen:  # an included snippet named to pass for another
        raise TemplateError.at(f"{folder.name}/{name}", None, f"file name: {unseen}",
                               "rename the template with visible characters")
    if not inside_folder(folder, name):
        return None
    target = (folder / name).resolve()
    if not target.is_file():
        return None
    shown = f"{folder.name}/{name}"
    try:
        raw = read_regular(target, MAX_TEMPLATE_BYTES)
        source = raw.decode("utf-8")
    except Untrusted as exc:
        raise TemplateError.at(shown, None, "cannot read the template", str(exc)) from None
    except UnicodeDecodeError as exc:
        raise TemplateError.at(shown, raw[:exc.start].count(b"\n") + 1, "the template is not UTF-8 text",
                               "save it with UTF-8 encoding") from None
    control = CONTROL.search(source)
    if control:
        line = source.count("\n", 0, control.start()) + 1
        raise TemplateError.at(shown, line,
                               f"invisible control character {control.group()!r} in the template",
                               "delete it and retype the text around it")
    return source, target


def default_layout_source(name: str) -> tuple[str, Path] | None:
    """A file of the shipped layout by its name under layout/, read as Jinja's FileSystemLoader reads
    it (`split_template_path`: a piece with a separator or `..` finds nothing, empty and `.` pieces
    are skipped)."""
    pieces = []
    for piece in name.split("/"):
        if os.sep in piece or (os.altsep and os.altsep in piece) or piece == os.pardir:
            return None
        if piece and piece != ".":
            pieces.append(piece)
    path = os.path.normpath(os.path.join(DEFAULT_LAYOUT_DIR, *pieces))
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read(), Path(path)


class TemplateSources:
    """The templates of a workspace by name, as the render's loader finds them (templates/ first,
    then the shipped layout under `layout/`), each hashed once."""

    def __init__(self, root: Path):
        self.folder = Path(root) / "templates"
        self._found: dict[str, tuple[str, Path] | None] = {}
        self._digests: dict[str, str | None] = {}

    def find(self, name: str) -> tuple[str, Path] | None:
        if name not in self._found:
            found = read_template(self.folder, name)
            if found is None and name.startswith("layout/"):
                found = default_layout_source(name.removeprefix("layout/"))
            self._found[name] = found
        return self._found[name]

    def digest(self, name: str) -> str | None:
        """The hash of a template's current source, None when it does not exist."""
        if name not in self._digests:
            found = self.find(name)
            self._digests[name] = hashlib.sha256(found[0].encode("utf-8")).hexdigest() if found else None
        return self._digests[name]

    def layout_dir(self) -> Path | None:
        """The folder of the letter layout the render loads, None when there is none."""
        found = self.find(LAYOUT)
        return found[1].parent if found else None
