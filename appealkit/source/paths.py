"""Where a file is, as a user reads it and as the sandbox allows it.

"Is this inside templates/?" is answered here and only here: the campaign loader,
the template versions and the sandbox's loader all ask the same question.
"""

from __future__ import annotations

from pathlib import Path

#: A folder holding either of these is a workspace (the way git knows a repository by .git/).
WORKSPACE_FOLDERS = ("facts", "campaigns")


def shown_path(root: Path, path: Path) -> str:
    """The path as a user should read it: relative to the workspace when inside it."""
    for base, where in ((root.absolute(), path.absolute()), (root.resolve(), path.resolve())):
        if where.is_relative_to(base):  # a link out of the workspace is still named where it lies
            return where.relative_to(base).as_posix()
    return str(path)


def leads_outside(root: Path, path: Path) -> bool:
    """Whether a path that lies in the workspace resolves, through symbolic links, to outside it."""
    base = Path(root).absolute()
    absolute = Path(path).absolute()
    return absolute.is_relative_to(base) and not absolute.resolve().is_relative_to(base.resolve())


def inside_templates(root: Path, name: str) -> bool:
    """Whether a template name, symbolic links followed, stays inside templates/ (never absolute, no '..')."""
    return inside_folder(root / "templates", name)


def inside_folder(folder: Path, name: str) -> bool:
    """Whether `name`, symbolic links followed, stays inside `folder` (never absolute, no '..')."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return False
    base = folder.resolve()
    return (base / name).resolve().is_relative_to(base)


def template_file(root: Path, name: str) -> Path | None:
    """The file a template name stands for, when it exists inside templates/."""
    if not inside_templates(root, name):
        return None
    target = (root / "templates" / name).resolve()
    return target if target.is_file() else None


def template_names(root: Path) -> list[str]:
    """Every Markdown template, as names relative to templates/."""
    templates = root / "templates"
    return [p.relative_to(templates).as_posix() for p in templates.rglob("*.md")]


def is_workspace(folder: Path) -> bool:
    return any((folder / name).is_dir() for name in WORKSPACE_FOLDERS)


def find_workspace(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a workspace, or None: every command
    works from any folder inside the workspace, as git does inside a repository."""
    start = Path(start).resolve()
    return next((folder for folder in (start, *start.parents) if is_workspace(folder)), None)
