"""What `check` is asked to check, made once: the CLI (`check_run.check_workspace`) and
`appealkit.check` from Python build the same `CheckOptions`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealkit.errors import UsageError


@dataclass(frozen=True)
class CheckOptions:
    """The campaigns to check (a file or an id each; none: every campaign)."""

    campaigns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        given: Any = self.campaigns  # from Python a lone campaign is a string
        chosen = (given,) if isinstance(given, str | Path) else tuple(given)
        for campaign in chosen:
            if not isinstance(campaign, str | Path):
                raise UsageError.at("campaigns", None, f"'{campaign}' is not a campaign",
                                    "give a campaign file or its id")
        object.__setattr__(self, "campaigns", tuple(str(c) for c in chosen))
