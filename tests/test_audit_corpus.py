"""The audit corpus, every case in every format: each drift is found, nothing else is reported.

The cases and their labels live in tests/data/audit_corpus/cases.yaml; the same scoring
feeds benchmarks/audit_quality.py. No case is treated specially here: every one is held to
its label.
"""

from __future__ import annotations

import pytest
from audit_corpus import FORMATS, WORKSPACE, Score, load_cases, write_documents

from appealkit.checks.audit import audit
from appealkit.source.workspace import load_workspace

CASES = load_cases()


def _scores(folder) -> dict[str, Score]:
    documents = write_documents(CASES, folder)
    workspace = load_workspace(WORKSPACE)
    result = {}
    for fmt in FORMATS:
        outcome = audit(workspace, documents[fmt])
        assert outcome.unreadable == ()
        score = Score(CASES)
        score.add(outcome.findings)
        result[fmt] = score
    return result


@pytest.fixture(scope="module")
def scores(once_per_run) -> dict[str, Score]:
    """The corpus written and audited once a run (conftest.py), not once a batch of tests."""
    return once_per_run("audit-corpus", _scores)


def test_the_corpus_is_large_and_labelled():
    assert len(CASES) >= 60
    assert {c.lang for c in CASES} == {"en", "de", "fr", "az"}
    assert {c.label for c in CASES} == {"drift", "agree", "unrelated"}
    assert len({c.id for c in CASES}) == len(CASES)
    for case in CASES:
        assert (case.label == "drift") == bool(case.kind), case.id
        assert (case.label == "unrelated") == (not case.fact and not case.name), case.id


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_gets_what_its_label_says(scores, fmt, case):
    score = scores[fmt]
    if case.label == "drift":
        assert score.found(case), [(f.kind, f.fact, f.found) for f in score.assigned[case.id]]
    assert [(f.severity, f.kind, f.fact, f.found) for f in score.wrong(case)] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_finding_falls_outside_the_cases(scores, fmt):
    assert [str(f) for f in scores[fmt].stray] == []
