"""A workspace as it was at a git revision, or as it is in a folder, ready to load.

A revision is materialised into a temporary folder with `git archive`, so loading
and rendering read it exactly like a working tree and nothing in the checkout moves.

An argument is a revision; a folder is compared only when written `dir:PATH`. The
change under review must not be able to steer the review: a pull request that adds a
folder named `main` would otherwise be compared with itself. A name that is both a
revision and a folder is refused.
"""

from __future__ import annotations

import contextlib
import io
import re
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from appealkit.errors import DiffError, printable
from appealkit.source.git_calls import run_git
from appealkit.source.safe_names import SOURCE_FOLDERS

WORKING_TREE = "working tree"
#: The prefix that marks an argument as a workspace folder rather than a revision.
FOLDER_PREFIX = "dir:"
#: The longest revision or folder name taken; git's own ref names stay far below.
MAX_SPEC = 255
_UNUSABLE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label for messages and the folder that holds it."""

    label: str
    root: Path
    revision: str | None = None


def _git(root: Path, *args: str):
    try:
        return run_git(root, *args)
    except FileNotFoundError:
        raise DiffError.at(str(root), None, "git is not installed, so revisions cannot be read",
                           "install git, or compare two folders: appealkit diff dir:OLD dir:NEW") from None
    except OSError as exc:
        raise DiffError.at(str(root), None, f"git could not be run: {exc.strerror or exc}",
                           "check the revision names given") from None


def check_spec(spec: str) -> None:
    """A revision or `dir:` folder name git and the file system can take: not overlong, no control
    characters (a NUL, a line break), one `DiffError` line naming it otherwise."""
    if len(spec) > MAX_SPEC:
        raise DiffError.at(printable(spec[:40]) + "…", None,
                           f"a revision or folder name of {len(spec):,} characters, more than {MAX_SPEC}",
                           "give a commit, branch or tag such as HEAD~1, or a folder as dir:PATH")
    if _UNUSABLE.search(spec):
        shown = printable(spec).replace("\t", "\\t").replace("\n", "\\n")
        raise DiffError.at(shown, None, "a revision or folder name with a control character",
                           "give a commit, branch or tag such as HEAD~1, or a folder as dir:PATH")


def _git_place(root: Path, revision: str) -> tuple[Path, str]:
    """The repository's top folder and the workspace's path inside it ('' at the top), or a clear error."""
    found = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if found.returncode != 0:
        raise DiffError.at(str(root), None, f"not a git repository, so revision '{revision}' cannot be read",
                           "give two workspace folders instead: appealkit diff dir:OLD dir:NEW")
    top, _, prefix = found.stdout.decode().partition("\n")
    return Path(top), prefix.strip()


def _folder_named(root: Path, spec: str) -> Path | None:
    """The folder an argument would name (as given, or inside the workspace), if there is one."""
    return next((c for c in (Path(spec), Path(root) / spec) if _is_dir(c)), None)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name the file system cannot take (too long in bytes) names no folder
        return False


def _commit(root: Path, revision: str) -> str:
    found = None if revision.startswith("-") else _git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    folder = _folder_named(root, revision)
    if found is None or found.returncode != 0:
        hint = (f"to compare the folder, write {FOLDER_PREFIX}{revision}" if folder
                else "give a commit, branch or tag such as HEAD~1, or a folder as dir:PATH")
        raise DiffError.at(revision, None, f"unknown revision '{revision}'", hint)
    if folder is not None:
        raise DiffError.at(revision, None, f"'{revision}' is both a git revision and a folder",
                           f"write {FOLDER_PREFIX}{revision} for the folder, or name the revision "
                           f"unambiguously, e.g. refs/heads/{revision} or its commit id")
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
        try:
            tar.extractall(target, filter=_source_only)
        except tarfile.FilterError as exc:
            member = exc.tarinfo.name if exc.tarinfo else "?"
            what = ("a symbolic link that points outside the workspace" if exc.tarinfo and exc.tarinfo.issym()
                    else "a file that cannot be unpacked safely")
            raise DiffError.at(f"{revision}:{member}", None, what,
                               "remove it in that revision, or compare other revisions") from None


def _source_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter for the folders a workspace is loaded from; elsewhere (tests/, say,
    which may keep such links as cases of hostile input) a member it refuses is left out."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        if member.name.split("/", 1)[0] in SOURCE_FOLDERS:
            raise
        return None


@contextlib.contextmanager
def materialise(root: Path, spec: str | None) -> Iterator[Side]:
    """`spec` as a loadable folder: None is the working tree, `dir:PATH` a folder used as it is,
    anything else a git revision of the workspace at `root`, extracted while the block runs."""
    if spec is None:
        yield Side(WORKING_TREE, Path(root))
        return
    check_spec(spec)
    if spec.startswith(FOLDER_PREFIX):
        folder = Path(spec[len(FOLDER_PREFIX):] or ".")
        if not _is_dir(folder):
            raise DiffError.at(spec, None, "no such workspace folder",
                               "give the folder that holds facts/ and campaigns/")
        yield Side(str(folder), folder)
        return
    with tempfile.TemporaryDirectory(prefix="appealkit-diff-") as temporary:
        extract_revision(Path(root), spec, Path(temporary))
        yield Side(spec, Path(temporary), spec)
