"""A workspace as it was at a git revision, or as it is in a folder, ready to load.

A revision is materialised into a temporary folder with `git archive`, so loading
and rendering read it exactly like a working tree and nothing in the checkout moves.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from appealkit.errors import DiffError

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label for messages and the folder that holds it."""

    label: str
    root: Path
    revision: str | None = None


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError.at(str(root), None, "git is not installed, so revisions cannot be read",
                           "install git, or give two workspace folders: appealkit diff OLD NEW") from None


def _git_place(root: Path, revision: str) -> tuple[Path, str]:
    """The repository's top folder and the workspace's path inside it ('' at the top), or a clear error."""
    found = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if found.returncode != 0:
        raise DiffError.at(str(root), None, f"not a git repository, so revision '{revision}' cannot be read",
                           "give two workspace folders instead: appealkit diff OLD_DIR NEW_DIR")
    top, _, prefix = found.stdout.decode().partition("\n")
    return Path(top), prefix.strip()


def _commit(root: Path, revision: str) -> str:
    found = None if revision.startswith("-") else _git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if found is None or found.returncode != 0:
        raise DiffError.at(revision, None, f"unknown revision '{revision}'",
                           "give a commit, branch or tag such as HEAD~1, or a workspace folder")
    return found.stdout.decode().strip()


def extract_revision(root: Path, revision: str, target: Path) -> None:
    """Write the workspace as it was at `revision` into `target` (an empty folder)."""
    top, prefix = _git_place(root, revision)
    commit = _commit(root, revision)
    # From the top folder: run inside a subfolder, git archive would look for the prefix twice.
    archived = _git(top, "archive", "--format=tar", f"{commit}:{prefix}" if prefix else commit)
    if archived.returncode != 0:
        message = archived.stderr.decode(errors="replace").strip().splitlines()
        raise DiffError.at(revision, None, f"git archive failed: {message[-1] if message else 'no output'}",
                           "check that the workspace folder existed at that revision")
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as tar:
        tar.extractall(target, filter=_inside)


def _inside(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, except that a member it refuses (a link to /etc/passwd, say, kept
    in the repository as a test case) is left out rather than stopping the whole comparison:
    loading refuses such a link in the working tree too."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


@contextlib.contextmanager
def materialise(root: Path, spec: str | None) -> Iterator[Side]:
    """`spec` as a loadable folder: None is the working tree, a folder is used as it is, anything
    else is a git revision of the workspace at `root`, extracted for as long as the block runs."""
    if spec is None:
        yield Side(WORKING_TREE, Path(root))
        return
    if Path(spec).is_dir():
        yield Side(spec, Path(spec))
        return
    with tempfile.TemporaryDirectory(prefix="appealkit-diff-") as temporary:
        extract_revision(Path(root), spec, Path(temporary))
        yield Side(spec, Path(temporary), spec)
