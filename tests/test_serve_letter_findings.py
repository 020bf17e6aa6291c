"""Which findings concern a letter, and the state they give it."""

from __future__ import annotations

import pytest

from appealkit.checks.findings import Finding
from appealkit.serve.letter_findings import letter_findings, state

TERM = Finding("campaigns/c.yaml", 9, "term-of-office", "warning", "letter 'a--x': the term of X ends soon")
OTHER_TERM = Finding("campaigns/c.yaml", 12, "term-of-office", "error", "letter 'b--x': the term of X is over")
TYPED = Finding("templates/snippets/s.md", 3, "typed-figure", "error", "typed figure '40'")
ELSEWHERE = Finding("templates/other.md", 1, "typed-figure", "error", "typed figure '7'")
AGED = Finding("facts/f.yaml", 4, "fact-age", "error", "fact 'jailed' is old", fact="jailed")
PART = Finding("facts/f.yaml", 8, "part-exceeds-whole", "error", "part too big", fact="jailed.women")
UNUSED = Finding("facts/f.yaml", 20, "unused-fact", "warning", "no letter cites fact 'jailed'", fact="jailed")
ALL = (TERM, OTHER_TERM, TYPED, ELSEWHERE, AGED, PART, UNUSED)


def test_a_letter_gets_what_names_it_its_templates_and_its_facts():
    mine = letter_findings(ALL, "a--x", ["templates/a.md", "templates/snippets/s.md"], ["jailed.women"])
    assert mine == (TERM, TYPED, AGED, PART)
    assert letter_findings(ALL, "b--x", ["templates/b.md"], []) == (OTHER_TERM,)


@pytest.mark.parametrize(("findings", "expected"), [
    ((), "ok"), ((UNUSED,), "warnings"), ((TERM, TYPED), "refused"),
])
def test_state(findings, expected):
    assert state(findings) == expected
