"""Precision and recall of `appealkit audit` on the labelled corpus, per kind of finding and per format.

The corpus (tests/data/audit_corpus/) is written out as one letter per language in each format
(.txt; .docx with every Word part and tracked changes; two-column justified PDFs from WeasyPrint)
and audited against the corpus workspace. Precision counts error and warning findings; recall
counts drift cases whose expected finding was reported. `--misses` lists what went wrong;
`--holdout` scores the held-out passages (tests/data/audit_corpus/holdout.yaml) instead;
`--truth` the corpus of issue 20 (tests/data/truth_corpus/: shared nouns, partial lists, text
pasted from PDFs, inflected names, qualifiers after the number) against its own workspace;
`--bonn` lists the findings on the real appeals; `--libreoffice` adds PDFs that LibreOffice
prints from a two-column Word file, when `soffice` is installed.
Targets: recall 100% of drifts, no error on agreeing or unrelated text, in every format.

When the shared reference is beside the repository (`../shared/reference/bonn-2025-appeals.txt`),
its three real appeals are split apart and audited against the example workspace too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from audit_corpus import (
    DRIFT_KINDS,
    TRUTH,
    WORKSPACE,
    Case,
    Score,
    in_format,
    libreoffice_pdfs,
    load_cases,
    pdf_bytes,
    write_documents,
)

from appealkit.checks.audit import audit
from appealkit.source.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
#: The lines that end the first and the second appeal in the reference file.
_APPEAL_ENDS = ("\\ ** *****", "\\ \\ ***")


def bonn(folder: Path) -> None:
    """The three real Bonn appeals, audited against the example workspace: findings by kind and severity."""
    reference = next((p / "shared" / "reference" / "bonn-2025-appeals.txt" for p in ROOT.parents
                      if (p / "shared" / "reference" / "bonn-2025-appeals.txt").is_file()), None)
    if reference is None:
        print("\nthe Bonn reference is not beside the repository: skipped")
        return
    text = reference.read_text(encoding="utf-8")
    first, rest = text.split(_APPEAL_ENDS[0], 1)
    second, third = rest.split(_APPEAL_ENDS[1], 1)
    first = first[first.find("\nCoordination Center"):]  # the web page's own heading is no letter
    paths: dict[str, list[Path]] = {"txt": [], "pdf": []}
    names = ("de-minister", "coe-president", "ec-president")
    for name, letter in zip(names, (first, second, third), strict=True):
        path = folder / f"{name}.txt"
        path.write_text(letter.strip() + "\n", encoding="utf-8")
        paths["txt"].append(path)
        paragraphs = [Case(name, "en", "unrelated", " ".join(p.split()))
                      for p in letter.split("\n\n") if p.strip()]
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf_bytes(paragraphs, "en"))
        paths["pdf"].append(path)
    workspace = load_workspace(ROOT)
    for fmt, files in paths.items():
        result = audit(workspace, files)
        counts: dict[tuple[str, str], int] = {}
        for finding in result.findings:
            counts[finding.kind, finding.severity] = counts.get((finding.kind, finding.severity), 0) + 1
        shape = "two-column PDF by WeasyPrint" if fmt == "pdf" else "text"
        found = ", ".join(f"{kind} {severity} {n}" for (kind, severity), n in sorted(counts.items()))
        print(f"{'' if fmt == 'pdf' else chr(10)}the three Bonn appeals ({shape}) against the example "
              f"workspace: {found}")
        if "--bonn" in sys.argv:
            for finding in result.findings:
                print(f"  {finding}")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    – "


def main(argv: list[str]) -> int:
    if "--truth" in argv:  # the corpus of issue 20 and its own workspace
        cases, workspace = load_cases(corpus=TRUTH), load_workspace(TRUTH / "workspace")
    else:
        cases = load_cases("holdout.yaml" if "--holdout" in argv else "cases.yaml")
        workspace = load_workspace(WORKSPACE)
    scores: dict[str, Score] = {}
    with tempfile.TemporaryDirectory() as folder:
        documents = write_documents(cases, Path(folder))
        if "--libreoffice" in argv:
            documents["pdf (LibreOffice)"] = libreoffice_pdfs(cases, Path(folder))
        for fmt in documents:
            started = time.perf_counter()
            result = audit(workspace, documents[fmt])
            seconds = time.perf_counter() - started
            if result.unreadable:
                print(f"{fmt}: unreadable: {[str(f) for f in result.unreadable]}")
            score = Score(in_format(cases, fmt))
            score.add(result.findings)
            scores[fmt] = score
            print(f"{fmt}: {len(documents[fmt])} letters audited in {seconds:.2f} s")
        bonn(Path(folder))
    counts = {label: sum(c.label == label for c in cases) for label in ("drift", "agree", "unrelated")}
    print(f"\ncorpus: {len(cases)} cases ({', '.join(f'{n} {label}' for label, n in counts.items())}) "
          f"in {len({c.lang for c in cases})} languages\n")
    print(f"| kind | {' | '.join(f'{f} precision | {f} recall' for f in scores)} |")
    print("|---|" + "---|" * (2 * len(scores)))
    for kind in DRIFT_KINDS:
        cells = []
        for fmt in scores:
            due, reported, found, cases_of_kind = scores[fmt].kind_table()[kind]
            cells += [f"{_percent(due, reported)} ({due}/{reported})", f"{_percent(found, cases_of_kind)} "
                      f"({found}/{cases_of_kind})"]
        print(f"| {kind} | {' | '.join(cells)} |")
    print()
    print("| format | precision | recall | errors on agree/unrelated | warnings on agree/unrelated |")
    print("|---|---|---|---|---|")
    failed = False
    for fmt in scores:
        rows = scores[fmt].kind_table().values()
        due, reported = sum(r[0] for r in rows), sum(r[1] for r in rows)
        found, total = sum(r[2] for r in rows), sum(r[3] for r in rows)
        errors, warnings = scores[fmt].errors_on_clean(), scores[fmt].warnings_on_clean()
        failed |= found < total or errors > 0
        print(f"| {fmt} | {_percent(due, reported)} ({due}/{reported}) | {_percent(found, total)} "
              f"({found}/{total}) | {errors} | {warnings} |")
    if "--misses" in argv:
        for fmt in scores:
            score = scores[fmt]
            print(f"\n## {fmt}")
            for case in score.cases:
                if case.label == "drift" and not score.found(case):
                    got = [(f.kind, f.fact or f.expected) for f in score.assigned[case.id]]
                    print(f"missed {case.id}: want {case.kind} {case.fact or case.name}; got {got}")
                for f in score.wrong(case, ("error", "warning", "note")):
                    print(f"wrong  {case.id}: {f.severity} {f.kind} {f.fact} found={f.found!r}")
            for f in score.stray:
                print(f"stray  {f.where}: {f.severity} {f.kind} {f.fact} {f.quote[:70]!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
