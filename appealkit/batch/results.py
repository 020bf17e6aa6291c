"""What a build returns: each letter's outcome and files, and the campaign's bundle.

Kept apart from the build loop so the manifest and the bundle can read a result
without importing the code that makes one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.choices import LETTER_FORMATS

if TYPE_CHECKING:
    from appealkit.checks.findings import Finding
    from appealkit.checks.letter_check import LetterCheck
    from appealkit.errors import AppealkitError, Problem
    from appealkit.render.letters import RenderedLetter
    from appealkit.source.records import Campaign

FORMATS = LETTER_FORMATS
#: `--pdf-variant`: besides the default tagged PDF, PDF/A for archives (WeasyPrint's names).
PDF_VARIANTS = ("pdf/a-3u", "pdf/a-2u", "pdf/a-3b", "pdf/ua-1")


@dataclass(frozen=True)
class OutputFile:
    format: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class LetterOutcome:
    """What became of one letter: its rendering and files, or the error that stopped it."""

    id: str
    #: what the manifest records of the render (template, language, subject, facts cited) when this
    #: build rendered the letter; None for an unchanged or failed letter
    entry: dict[str, Any] | None = None
    outputs: tuple[OutputFile, ...] = ()
    error: AppealkitError | None = None
    #: built, unchanged (its files were kept from the last build), refused (by its checks) or failed
    status: str = "built"
    input_hash: str = ""
    #: the templates the render loaded (built letters)
    templates: tuple[str, ...] = ()
    #: an unchanged letter is not rendered again: `rendered` is None and this is its manifest entry
    record: dict[str, Any] | None = None
    #: what the checks decided: findings, overrides, state (None for a failed letter)
    check: LetterCheck | None = None
    #: the findings kept in the manifest for the next build (those that needed the rendered letter)
    cached: tuple[Finding, ...] = ()
    #: what writing the letter warned of (a file the layout may not load)
    warnings: tuple[Problem, ...] = ()
    #: renders the letter again, as the build did (rendering is deterministic)
    render: Callable[[], RenderedLetter] | None = field(default=None, repr=False, compare=False)

    @property
    def rendered(self) -> RenderedLetter | None:
        """The letter as this build rendered it (None when it was not rendered: unchanged or failed).

        Rendered again when asked for, not kept: a build of thousands of letters would otherwise
        hold every one of them until it ends."""
        return self.render() if self.render is not None and self.entry is not None else None


@dataclass(frozen=True)
class BuildResult:
    campaign: Campaign
    out_dir: Path
    #: in campaign order; a build's own are read from a temporary file one at a time (`spill`), so
    #: each reading makes the outcome anew
    letters: Sequence[LetterOutcome]
    manifest: Path
    seconds: dict[str, float] = field(default_factory=dict)
    #: all-letters.pdf, index.html and <campaign>.zip
    bundle: tuple[OutputFile, ...] = ()
    elapsed: float = 0.0
    #: warnings of the build as a whole (a link taken out of the letterhead); each letter's are its own
    problems: tuple[Problem, ...] = ()

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Every warning of the build: its own, then each letter's in campaign order."""
        return (*self.problems, *(p for letter in self.letters for p in letter.warnings))

    @property
    def failed(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.letters if o.error)

    @property
    def refused(self) -> tuple[LetterOutcome, ...]:
        return tuple(o for o in self.letters if o.status == "refused")

    def count(self, status: str) -> int:
        return sum(1 for o in self.letters if o.status == status)

    def files(self, format: str | None = None) -> list[Path]:
        """The letters' files (of one format: "docx" or "pdf"), in campaign order, e.g. to audit them."""
        return [o.path for letter in self.letters for o in letter.outputs if format in (None, o.format)]
