"""The draft written into a new folder or beside an existing workspace, never over anything.

Before a byte is written every conflict is collected: a file that exists already, a fact or
person id that another file of the workspace defines (the workspace would then not load).
One conflict and nothing is written. Each file is written whole (`atomic.write_atomic`); a
failure part-way removes the files this import wrote, so a run leaves all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from appealkit.atomic import write_atomic
from appealkit.errors import DraftConflict, Problem, WorkspaceError, option
from appealkit.importer.draft import Found
from appealkit.source.paths import shown_path
from appealkit.source.yamlsource import load_yaml


def _ids(root: Path, folder: str) -> dict[str, str]:
    """id → file of every record in the workspace's facts/ or people/."""
    found: dict[str, str] = {}
    directory = root / folder
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        shown = shown_path(root, path)
        try:
            data = load_yaml(path, shown, root)
        except WorkspaceError:
            continue  # check reports that file; its ids cannot collide with what does not load
        if isinstance(data, dict):
            found.update({str(key): shown for key in data})
    return found


def conflicts(root: Path, files: dict[str, str], found: Found) -> None:
    """Raise a `DraftConflict` listing every file and id the draft would overwrite or reuse."""
    problems = []
    if root.exists() and not root.is_dir():
        raise DraftConflict.at(str(root), None, "exists and is not a folder", "give a folder for the draft")
    for name in files:
        if (root / name).exists() or (root / name).is_symlink():
            problems.append(Problem(shown_path(root, root / name), None,
                                    "exists already; import writes new files only",
                                    f"import into another folder, or give another {option('campaign')}"))
    overwritten = {shown_path(root, root / name) for name in files}
    for folder, ids in (("facts", list(found.facts)), ("people", [*found.people, found.sender or "sender"])):
        existing = _ids(root, folder)
        taken: dict[str, list[str]] = {}
        for record_id in ids:
            if record_id in existing and existing[record_id] not in overwritten:
                taken.setdefault(existing[record_id], []).append(record_id)
        for file, same in taken.items():
            more = f" and {len(same) - 5} more" if len(same) > 5 else ""
            shown = ", ".join(f"'{i}'" for i in same[:5]) + more
            problems.append(Problem(file, None,
                                    f"defines {shown}, which the imported {folder} would define again",
                                    "rename them there, or import into another folder"))
    if problems:
        raise DraftConflict(problems)


def write_files(root: Path, files: dict[str, str]) -> list[str]:
    """Write every file of the draft; on a failure remove what this call wrote, then raise."""
    written: list[Path] = []
    try:
        for name, text in files.items():
            path = root / name
            write_atomic(path, text.encode("utf-8"))
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return list(files)
