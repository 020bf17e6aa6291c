"""What `check` and `audit` report: one `Finding` type and one way of printing it.

Both commands speak the same language, so a reviewer (or a CI job) reads one format:
``FILE:LINE: severity: message (hint)`` lines, or JSON with the same fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from appealkit.errors import Problem

SEVERITIES = ("error", "warning", "note")
#: The kinds of finding an organiser may override for one letter (`build --allow KIND:LETTER_ID`).
ALLOWABLE = ("typed-figure", "name-variant", "list-count", "part-exceeds-whole", "fact-age", "term-of-office")


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer should look at, with what was found and what the source of truth says.

    `line` is a line number in text files and templates, the paragraph number in a DOCX
    and the line on `page` in a PDF; `part` names a place in a Word file outside the numbered
    paragraphs ("table 1, row 2, cell 3", "footnote 2", "header", "comment 1 by Ann").
    """

    file: str
    line: int | None
    kind: str
    severity: str
    message: str
    quote: str = ""
    found: str = ""
    expected: str = ""
    fact: str = ""
    source: str = ""
    hint: str = ""
    page: int | None = None
    part: str = ""

    @property
    def where(self) -> str:
        if self.part:
            return f"{self.file}:{self.part}"
        parts = [self.file]
        if self.page is not None:
            parts.append(str(self.page))
        if self.line:
            parts.append(str(self.line))
        return ":".join(parts)

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.where}: {self.severity}: {self.message}{hint}"


def from_problem(problem: Problem, kind: str) -> Finding:
    """A loading or rendering problem as a finding, so it prints with the others."""
    return Finding(problem.file, problem.line, kind, problem.severity, problem.message, hint=problem.hint)


def sort_key(finding: Finding) -> tuple:
    return (finding.file, bool(finding.part), finding.page or 0, finding.line or 0, finding.part,
            finding.kind, finding.message)


class Graded:
    """What a result with `findings` tells by severity: the CLI prints them, `--strict` fails on warnings."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def failed(self, strict: bool = False) -> bool:
        """An error fails; with `strict`, a warning too."""
        return bool(self.errors or (strict and self.warnings))


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity == "error" for f in findings)


def format_text(findings: list[Finding] | tuple[Finding, ...]) -> str:
    """One line per finding; the quoted sentence, when there is one, indented below it."""
    lines = []
    for finding in findings:
        lines.append(str(finding))
        if finding.quote:
            lines.append(f"    > {finding.quote}")
    return "\n".join(lines)


def summary(findings: list[Finding] | tuple[Finding, ...], files: int, what: str) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    shown = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n) or "no findings"
    return f"{what} {files} file{'s' if files != 1 else ''}: {shown}"


def format_json(findings: list[Finding] | tuple[Finding, ...], files: int) -> str:
    """`{"findings": [...], "files": N}`; `page` appears for PDF findings and `source` when known."""
    items = []
    for f in findings:
        item = {"file": f.file, "line": f.line, "kind": f.kind, "severity": f.severity,
                "message": f.message, "quote": f.quote, "found": f.found, "expected": f.expected,
                "fact": f.fact, "source": f.source}
        if f.hint:
            item["hint"] = f.hint
        if f.page is not None:
            item["page"] = f.page
        if f.part:
            item["part"] = f.part
        items.append(item)
    return json.dumps({"findings": items, "files": files}, indent=2, ensure_ascii=False)
