"""What `diff` is asked to compare and how to report it, validated once: the CLI and `appealkit.diff`
from Python build the same `DiffOptions`.

Problems name the option by its field (`output`); the CLI shows the flag that set it (`--format`).
Every refusal exits with code 2, like every other failure of `diff` (1 means "something changed").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appealkit.choices import campaign_given
from appealkit.errors import UsageError
from appealkit.review.diff_format import FORMATS
from appealkit.review.revisions import check_spec


@dataclass(frozen=True)
class DiffOptions:
    """Everything `diff` takes besides the workspace; invalid values never get this far.

    `old` and `new` are git revisions or `dir:PATH` folders (None: the working tree); `campaign`
    a campaign file or id (None: every campaign); `output` one of `diff_format.FORMATS`, `color`
    for a terminal's text; `redline_dir` the folder a tracked-changes DOCX per changed letter goes to.
    """

    old: str | None = "HEAD"
    new: str | None = None
    campaign: str | None = None
    output: str = "text"
    color: bool = False
    redline_dir: Path | None = None

    def __post_init__(self) -> None:
        for name in ("old", "new"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, str) or not value:
                raise UsageError.at(name, None, f"'{value}' is not a revision or a folder",
                                    "give a commit, branch or tag such as HEAD~1, or dir:PATH")
            check_spec(value)
        campaign_given(self.campaign)
        if self.output not in FORMATS:
            raise UsageError.at("output", None, f"unknown format '{self.output}'",
                                f"use {', '.join(FORMATS)}")
        object.__setattr__(self, "color", bool(self.color) and self.output == "text")
        if self.redline_dir is not None:
            object.__setattr__(self, "redline_dir", Path(self.redline_dir))
