"""`check` as one call: the answer taken from the cache when nothing a check reads has changed, so
the checks are loaded only when there is something to check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealkit.checks.check_cache import cached_check
from appealkit.checks.check_options import CheckOptions
from appealkit.checks.findings import Finding, Graded


@dataclass(frozen=True)
class Checked(Graded):
    """What `check` found, and in how many files: from the cache or from the checks."""

    findings: tuple[Finding, ...]
    files: int


def check_workspace(root: Path, options: CheckOptions) -> Checked:
    """Check the workspace at `root` (one that does not load is reported as findings)."""

    def run() -> Any:  # only when the workspace changed since the last check: the checks load slowly
        from appealkit.checks.check import check_folder
        from appealkit.source.campaign import resolve_campaign_path

        return check_folder(root, [resolve_campaign_path(root, c) for c in options.campaigns])

    findings, files = cached_check(root, options.campaigns, run)
    return Checked(tuple(findings), files)
