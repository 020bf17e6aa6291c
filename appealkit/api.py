"""The public API's two functions whose library form differs from the CLI's: both take a
loaded workspace, like `build`, `check` and `audit`, so every call after loading reads alike."""

from __future__ import annotations

from pathlib import Path

from appealkit.review.diff import DiffReport
from appealkit.review.diff import diff as diff_folder
from appealkit.source.campaign import load_campaign as _load_campaign
from appealkit.source.campaign import resolve_campaign_path
from appealkit.source.records import Campaign, Workspace


def load_campaign(workspace: Workspace, path: str | Path) -> Campaign:
    """A campaign by path, by path inside the workspace, or by id (`bonn-2025`)."""
    return _load_campaign(workspace, resolve_campaign_path(workspace.root, path))


def diff(workspace: Workspace, old: str | None = "HEAD", new: str | None = None,
         campaign: str | None = None) -> DiffReport:
    """What changed between two git revisions of the workspace's repository (None: the working tree)."""
    return diff_folder(workspace.root, old, new, campaign)
