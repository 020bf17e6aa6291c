"""`diff` as one call: the two sides compared, the report formatted, the redlines written, and the
warnings met on the way (a letterhead link taken out) carried as values, for the CLI and Python alike."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from appealkit.errors import Problem, collecting
from appealkit.review.diff import DiffReport, diff_revisions
from appealkit.review.diff_format import format_report
from appealkit.review.options import DiffOptions


@dataclass(frozen=True)
class DiffResult:
    """The report (its `problems` the warnings), as `options.output` formats it, and the redlines written."""

    report: DiffReport
    formatted: str
    redlines: tuple[Path, ...] = ()

    @property
    def changed(self) -> bool:
        return self.report.changed

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.report.problems


def run_diff(root: Path, options: DiffOptions) -> DiffResult:
    """Compare `options.old` with `options.new` in the workspace at `root`; every failure is a
    `DiffError` or a `UsageError` (exit code 2)."""
    if options.redline_dir is not None:  # a folder the redlines may not go to is refused before any work
        from appealkit.review.redline_docx import check_redline_dir  # python-docx and lxml: only here

        check_redline_dir(root, options.redline_dir)
    with collecting() as found:
        report = diff_revisions(root, options.old, options.new, options.campaign)
        formatted = format_report(report, options.output, options.color)
        redlines: tuple[Path, ...] = ()
        if options.redline_dir is not None:
            from appealkit.review.redline_docx import write_redlines

            redlines = write_redlines(report, options.redline_dir)
    return DiffResult(dataclasses.replace(report, problems=tuple(found)), formatted, redlines)
