"""appealkit: appeal letters in DOCX and PDF from one source of truth kept in YAML.

The public API, for use from Python; every function after the loaders takes a loaded
workspace::

    from appealkit import load_workspace, load_campaign, build, check, audit, diff
    workspace = load_workspace("path/to/workspace")
    campaign = load_campaign(workspace, "campaigns/bonn-2025.yaml")
    result = build(workspace, campaign)
    findings = check(workspace).findings

Names are imported on first use, so `import appealkit` (and the CLI's start-up) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["AppealkitError", "audit", "build", "check", "diff", "load_campaign", "load_workspace"]

_HOMES = {
    "AppealkitError": "appealkit.errors",
    "load_workspace": "appealkit.source.workspace",
    "load_campaign": "appealkit.api",
    "build": "appealkit.batch.build",
    "check": "appealkit.checks.check",
    "audit": "appealkit.checks.audit",
    "diff": "appealkit.api",
}

if TYPE_CHECKING:
    from appealkit.api import diff, load_campaign
    from appealkit.batch.build import build
    from appealkit.checks.audit import audit
    from appealkit.checks.check import check
    from appealkit.errors import AppealkitError
    from appealkit.source.workspace import load_workspace


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from appealkit.version import __version__

        return __version__
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'appealkit' has no attribute {name!r}")
