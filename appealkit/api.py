"""The public API's two functions whose library form differs from the CLI's: both take a
loaded workspace, like `build`, `check` and `audit`, so every call after loading reads alike.

The internal functions they call are named for what they take (`load_campaign_file`, a path;
`run_diff`, a folder and `DiffOptions`), so no two functions of the package share a name and not a
signature.
"""

from __future__ import annotations

from pathlib import Path

from appealkit.review.diff import DiffReport
from appealkit.review.diff_run import run_diff
from appealkit.review.options import DiffOptions
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.records import Campaign, Workspace


def load_campaign(workspace: Workspace, path: str | Path) -> Campaign:
    """A campaign by path, by path inside the workspace, or by id (`bonn-2025`)."""
    return load_campaign_file(workspace, resolve_campaign_path(workspace.root, path))


def diff(workspace: Workspace, old: str | None = "HEAD", new: str | None = None,
         campaign: str | None = None) -> DiffReport:
    """What changed between two git revisions of the workspace's repository (None: the working tree);
    the options are those of `DiffOptions`, validated there, and the warnings the report's `problems`."""
    return run_diff(workspace.root, DiffOptions(old, new, campaign)).report
