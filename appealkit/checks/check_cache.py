"""`appealkit check`'s findings kept under build/.cache, keyed by the hash of everything a check reads.

Most runs of `check` are on a workspace that has not changed since the last one (before a
commit, in an editor's save hook, after a build), and loading the checks alone takes longer
than the answer should. So the command first hashes what a check reads: the content of every
file under facts/, people/, recipients/, templates/ and campaigns/ and of appealkit.yaml, the
campaigns asked for (as the files they name), the git commit (a translation's earlier master
text comes from git history), appealkit's own code and the versions of the libraries whose
rules it applies. Any change to any of them is another key, so a kept result is never stale;
nothing here imports the checks until the key has no result. The folder `check` runs from is
no part of the key (findings name files relative to the workspace), so running it from the
workspace and from one of its folders finds one result, not two that evict each other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from appealkit.atomic import write_atomic
from appealkit.checks.findings import Finding
from appealkit.source.git_calls import run_git
from appealkit.source.paths import leads_outside, shown_path
from appealkit.version import installed_version

CACHE = Path("build") / ".cache" / "check"
#: What a check reads of a workspace (tests/test_check_cache.py changes each and sees the key move).
FOLDERS = ("facts", "people", "recipients", "templates", "campaigns")
FILES = ("appealkit.yaml",)
#: The libraries whose upgrade may change a finding (number words, locales, names, Markdown, YAML).
LIBRARIES = ("jinja2", "markdown-it-py", "babel", "num2words", "text2num", "anyascii", "pyyaml", "pyphen")
PACKAGE = Path(__file__).resolve().parent.parent
SCHEME = 1


def cached_check(root: Path, campaigns: Sequence[str],
                 run: Callable[[], Any]) -> tuple[tuple[Finding, ...], int]:
    """(findings, files checked) of `run()` (a `CheckResult`), or of the last run with the same key."""
    path = root / CACHE / f"{check_key(root, campaigns)}.json"
    usable = not leads_outside(root, path.parent)  # a build/ linked elsewhere is never written through
    kept = _load(path) if usable else None
    if kept is not None:
        return kept
    result = run()
    if usable:
        _store(path, result.findings, result.files)
    return tuple(result.findings), result.files


def check_key(root: Path, campaigns: Sequence[str]) -> str:
    """The hash of every input of a check of `root` with these campaign arguments."""
    digest = hashlib.sha256()
    parts = (str(SCHEME), str(root.resolve()), *_campaigns(root, campaigns), "", _git_head(root),
             *_versions())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name, content in _files(root, PACKAGE):
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def _campaigns(root: Path, campaigns: Sequence[str]) -> Iterator[str]:
    """Each campaign argument with the file it names from here (a path is read from the current
    folder first), that file as findings show it, and its content (it may lie outside campaigns/)."""
    if not campaigns:
        return
    from appealkit.errors import AppealkitError
    from appealkit.source.campaign import resolve_campaign_path  # only for named campaigns: it loads slowly

    for name in campaigns:
        try:
            path = resolve_campaign_path(root, name)
            content = path.read_bytes()
        except (AppealkitError, OSError):  # the finding says so, and lists campaigns/ (in the key)
            yield f"{name}\0no such campaign"
            continue
        yield from (name, shown_path(root, path), str(path.resolve()), hashlib.sha256(content).hexdigest())


def _files(root: Path, package: Path) -> Iterator[tuple[str, bytes]]:
    """(name, content) of the workspace's inputs and of appealkit's own files, in a fixed order."""
    for name in FILES:
        path = root / name
        yield name, path.read_bytes() if path.is_file() else b"\0missing"
    for folder in FOLDERS:
        yield from _tree(root / folder, folder)
    yield from _tree(package, "\0appealkit")


def _tree(folder: Path, label: str) -> Iterator[tuple[str, bytes]]:
    """Every file below `folder`, links followed as a check follows them, caches of Python left out."""
    for current, folders, names in os.walk(folder, followlinks=True):
        folders[:] = sorted(d for d in folders if d != "__pycache__")
        for name in sorted(names):
            path = Path(current) / name
            try:
                content = path.read_bytes() if path.is_file() else b"\0not a file"
            except OSError as exc:
                content = f"\0{exc.errno}".encode()
            yield f"{label}/{path.relative_to(folder).as_posix()}", content


def _git_head(root: Path) -> str:
    try:
        done = run_git(root, "rev-parse", "HEAD", timeout=10)  # the repository's config runs nothing
    except (OSError, subprocess.SubprocessError):
        return "no git"
    return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else "no commit"


def _versions() -> list[str]:
    return [f"{name}={installed_version(name) or ''}" for name in LIBRARIES]


def _load(path: Path) -> tuple[tuple[Finding, ...], int] | None:
    """A kept result, or None when there is none or it is not one (then the check runs)."""
    names = {f.name for f in dataclasses.fields(Finding)}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        findings = tuple(Finding(**record) for record in data["findings"]
                         if isinstance(record, dict) and set(record) <= names)
        if len(findings) != len(data["findings"]) or not isinstance(data["files"], int):
            return None
        return findings, data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: Path, findings: Sequence[Finding], files: int) -> None:
    """Keep this result as the only one: the folder never grows with the workspace's history."""
    data = {"findings": [dataclasses.asdict(f) for f in findings], "files": files}
    try:
        for old in path.parent.glob("*.json"):
            old.unlink(missing_ok=True)
        write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:  # a read-only workspace is checked all the same, only not faster next time
        return
