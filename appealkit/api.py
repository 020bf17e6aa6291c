"""The public API's two functions whose library form differs from the CLI's: both take a
loaded workspace, like `build`, `check` and `audit`, so every call after loading reads alike.

The internal functions they call are named for what they take (`load_campaign_file`, a path;
`diff_revisions`, a folder), so no two functions of the package share a name and not a signature.
"""

from __future__ import annotations

from pathlib import Path

from appealkit.review.diff import DiffReport, diff_revisions
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.records import Campaign, Workspace


def load_campaign(workspace: Workspace, path: str | Path) -> Campaign:
    """A campaign by path, by path inside the workspace, or by id (`bonn-2025`)."""
    return load_campaign_file(workspace, resolve_campaign_path(workspace.root, path))


def diff(workspace: Workspace, old: str | None = "HEAD", new: str | None = None,
         campaign: str | None = None) -> DiffReport:
    """What changed between two git revisions of the workspace's repository (None: the working tree)."""
    return diff_revisions(workspace.root, old, new, campaign)
