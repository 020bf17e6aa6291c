"""Which findings of `check` concern one letter, and the state they put it in: ok, warnings, refused.

A finding concerns a letter when it names the letter (`letter 'x': ...`), sits in a
template the letter's render loaded, or is about a fact the letter cites. `refused`
means `build` would not write the letter: it has an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from appealkit.checks.findings import Finding

STATES = ("ok", "warnings", "refused")
_NAMES_A_LETTER = re.compile(r"^letter '([^']+)'")


def letter_findings(findings: Iterable[Finding], letter_id: str, template_files: Iterable[str],
                    fact_ids: Iterable[str]) -> tuple[Finding, ...]:
    """The findings that concern the letter `letter_id`.

    `template_files` are workspace paths (`templates/appeal.md`), `fact_ids` the facts it
    cites (`journalists` or `journalists.women`).
    """
    files = set(template_files)
    facts = {fact.partition(".")[0] for fact in fact_ids}
    chosen = []
    for finding in findings:
        named = _NAMES_A_LETTER.match(finding.message)
        if named:
            if named[1] == letter_id:
                chosen.append(finding)
        elif finding.file in files or (finding.fact and finding.fact.partition(".")[0] in facts
                                       and finding.kind != "unused-fact"):
            chosen.append(finding)
    return tuple(chosen)


def state(findings: Iterable[Finding]) -> str:
    """`refused` with an error, `warnings` with a warning, else `ok`."""
    severities = {finding.severity for finding in findings}
    return "refused" if "error" in severities else "warnings" if "warning" in severities else "ok"
