"""Batch build benchmark: 300 letters (100 recipients × the example's 3 templates) in a temporary workspace.

Prints cold build times (DOCX only, PDF only, both), letters per second, the no-change
rebuild, the rebuild after one fact cited by a third of the letters changed, peak
memory, the bare-WeasyPrint limit (the same HTML in a 2-process pool, nothing else)
and, when `soffice` is installed, the LibreOffice route organisers use today.

With --pool it measures instead where worker processes start to pay off: n letters
(DOCX + PDF) built with one process and with one per core, for n from 1 to 24; the
default of `--jobs` (appealkit/batch/letter_jobs.py, POOL_FROM) comes from this table.

With --scale only one cold DOCX + PDF build runs, for letters per second and peak memory:
`--scale --recipients 1000` builds 3,000 letters, whose peak must match that of 300 but for the
workspace loaded (printed: 1,000 recipients weigh more than 100); `--scale --copies 10` builds
3,000 letters to the same 100 recipients (each template copied), the letters alone multiplied;
`--scale-formats 'docx;pdf;docx,pdf'` makes one such build per format list instead.

With --ratios only bare WeasyPrint, the PDF-only and the DOCX + PDF builds run (and bare
WeasyPrint again): the two ratio lines, for comparing one change quickly.

Run: .venv/bin/python benchmarks/batch.py [--recipients 100] [--jobs 2]
         [--pool | --scale [--copies 10] | --ratios]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from appealkit.batch.build import build
from appealkit.batch.letter_jobs import LetterJob, _Worker
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = ("appeal-de-foreign-minister.md", "appeal-coe-committee-of-ministers.md",
             "appeal-ec-president.md")

RECIPIENT = """\
office: Minister for Foreign Affairs
institution: Ministry of Foreign Affairs of Country {n}
holder:
  name: Minister Number {n}
  honorific: H.E.
term:
  from: 2025-01-01
  source:
    title: Government announcement
salutation: Dear Minister,
address:
  - Ministry of Foreign Affairs
  - {n} Example Street
  - Capital {n}
language: en
"""

CAMPAIGN = """\
id: batch
title: Benchmark batch
date: 2025-10-25
place: Bonn
organisation: asimkom
subject: Appeal on political prisoners in Azerbaijan
signatories:
  - name: The Coordinating Board
    role: ASİMKOM
letters:
"""


def campaign_text(templates: tuple[str, ...]) -> str:
    return CAMPAIGN + "".join(f"  - template: {t}\n    recipients: [group:ministers]\n" for t in templates)


def make_workspace(root: Path, recipients: int, copies: int = 1) -> Path:
    """The example's facts, people and templates, `recipients` ministers, and a campaign sending each
    of the three templates to every minister; with `copies`, each template (and its translations)
    copied under new names that many times in all, the letters multiplied without a recipient more."""
    for folder in ("facts", "people", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    templates = list(TEMPLATES)
    for copy in range(2, copies + 1):
        for template in TEMPLATES:
            base = template.removesuffix(".md")
            for source in (root / "templates").glob(f"{base}.*"):
                source_name = source.name.removeprefix(base)
                (root / "templates" / f"{base}-{copy}{source_name}").write_bytes(source.read_bytes())
            templates.append(f"{base}-{copy}.md")
    (root / "recipients").mkdir()
    ids = [f"minister-{n:03d}" for n in range(1, recipients + 1)]
    for n, rid in enumerate(ids, start=1):
        (root / "recipients" / f"{rid}.yaml").write_text(RECIPIENT.format(n=n), encoding="utf-8")
    (root / "recipients" / "groups.yaml").write_text(
        "ministers:\n" + "".join(f"  - {rid}\n" for rid in ids), encoding="utf-8")
    (root / "campaigns").mkdir()
    (root / "campaigns" / "batch.yaml").write_text(campaign_text(tuple(templates)), encoding="utf-8")
    return root


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steady when other work shares the machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(root: Path, out: Path, formats: tuple[str, ...], jobs: int):
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, root / "campaigns" / "batch.yaml")
    started, cpu = time.perf_counter(), cpu_seconds()
    result = build(workspace, campaign, out, formats, jobs=jobs)
    seconds = time.perf_counter() - started
    assert not result.failed, [str(o.error) for o in result.failed]
    timed_build.cpu = cpu_seconds() - cpu  # type: ignore[attr-defined]
    return seconds, result


def fact_of_one_template(manifest: Path) -> str:
    """A fact cited by the letters of exactly one template: a third of the campaign."""
    cited: dict[str, set[str]] = {}
    for letter in json.loads(manifest.read_text())["letters"]:
        for fact in letter["facts"]:
            cited.setdefault(fact["id"].partition(".")[0], set()).add(letter["template"])
    return sorted(f for f, templates in cited.items() if len(templates) == 1)[0]


def change_fact(root: Path, fact_id: str) -> None:
    workspace = load_workspace(root)
    fact = workspace.facts[fact_id]
    path = root / fact.where.file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in range(fact.where.line - 1, len(lines)):
        if re.match(r"\s+(value|as_of):", lines[number]):
            if "as_of" in lines[number]:
                lines[number] = re.sub(r"\d{4}-\d\d-\d\d", "2025-10-24", lines[number])
            else:
                lines[number] = re.sub(r"(\d+)", lambda m: str(int(m.group(1)) + 1), lines[number], count=1)
            break
    path.write_text("".join(lines), encoding="utf-8")


def _bare_pdf(item: tuple[str, str]) -> int:
    html, base = item
    return len(weasyprint.HTML(string=html, base_url=base).write_pdf())


def bare_weasyprint(root: Path) -> float:
    """The same letters' HTML rendered by WeasyPrint in a 2-process pool, nothing else."""
    from appealkit.write import pdf_writer

    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, root / "campaigns" / "batch.yaml")
    worker = _Worker(LetterJob(workspace, campaign, root / "unused", ("pdf",)))
    from appealkit.render.letters import render_letter

    layout = worker.layout()
    base = Path(layout.filename).parent.as_uri() + "/"
    letters = [render_letter(workspace, campaign, spec, worker.env).letter for spec in campaign.letters]
    pages = [(pdf_writer.letter_html(letter, layout), base) for letter in letters]
    started, cpu = time.perf_counter(), cpu_seconds()
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_bare_pdf, pages, chunksize=4))
    bare_weasyprint.cpu = cpu_seconds() - cpu  # type: ignore[attr-defined]
    return time.perf_counter() - started


def libreoffice(docx_dir: Path, work: Path) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    files = sorted(p for p in docx_dir.glob("*--*.docx"))
    out = work / "soffice-out"
    profile = (work / "soffice-profile").as_uri()
    started = time.perf_counter()
    for start in range(0, len(files), 20):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, files[start:start + 20])],
                       check=True, capture_output=True)
    seconds = time.perf_counter() - started
    assert len(list(out.glob("*.pdf"))) == len(files)
    return seconds


def peak_memory(root: Path, out: Path, jobs: int) -> float:
    """Peak resident memory (MB) of a cold DOCX+PDF build, parent plus its largest worker."""
    return measured_build(root, out, jobs)[1]


def measured_build(root: Path, out: Path, jobs: int, formats: str = "docx,pdf"
                   ) -> tuple[float, float, float, float]:
    """A cold build (DOCX + PDF unless `formats` says) in a fresh process: (wall seconds, peak MB of
    parent plus its largest worker, peak MB of the parent alone, MB the loaded workspace and campaign
    added to the parent, which each worker's RSS counts again, as it shares them from the fork).

    The parent's peak is its VmHWM where Linux has one: Linux carries a process's ru_maxrss over
    exec, so a build started from this benchmark began at the benchmark's own peak (60 MB with
    WeasyPrint loaded) and hid the build's parent below it. Workers are forked, not exec'd: their
    ru_maxrss is their own."""
    code = (
        "import resource, sys, time; from pathlib import Path\n"
        "from appealkit.batch.build import build\n"
        "from appealkit.source.campaign import load_campaign_file\n"
        "from appealkit.source.workspace import load_workspace\n"
        "status = Path('/proc/self/status')\n"
        "def vm(key):\n"
        "    if not status.exists():\n"
        "        return 0\n"
        "    return next(int(line.split()[1]) for line in status.read_text().splitlines()\n"
        "                if line.startswith(key))\n"
        "before = vm('VmRSS')\n"
        "root = Path(sys.argv[1]); ws = load_workspace(root)\n"
        "campaign = load_campaign_file(ws, root / 'campaigns' / 'batch.yaml')\n"
        "loaded = vm('VmRSS') - before\n"
        "started = time.perf_counter()\n"
        "result = build(ws, campaign, Path(sys.argv[2]), sys.argv[4].split(','), jobs=int(sys.argv[3]))\n"
        "seconds = time.perf_counter() - started\n"
        "assert not result.failed and not result.refused, [o.id for o in (*result.failed, *result.refused)]\n"
        "own = vm('VmHWM') or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kb = own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(seconds, kb / 1024, own / 1024, loaded / 1024)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(root), str(out), str(jobs), formats],
                          check=True, capture_output=True, text=True)
    seconds, peak, parent, loaded = (float(x) for x in proc.stdout.split())
    return seconds, peak, parent, loaded


SCALE_FORMATS = {"docx,pdf": "DOCX + PDF", "docx": "DOCX only", "pdf": "PDF only"}


def scale(work: Path, recipients: int, jobs: int, formats: str, copies: int = 1) -> None:
    """One cold build of recipients × 3 letters (in each of `formats`, comma-separated runs):
    letters per second and peak memory, to compare with a run of 100 recipients (memory must
    not grow with the letters)."""
    root = make_workspace(work / "ws", recipients, copies)
    templates = len(TEMPLATES) * copies
    letters = recipients * templates
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{letters} letters ({recipients} recipients × {templates} templates), {jobs} jobs, "
          f"load average {load}")
    for run in formats.split(";"):
        seconds, peak, parent, loaded = measured_build(root, work / f"out-{run}", jobs, run)
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"cold build, {SCALE_FORMATS[run] + ':':<14} {seconds:6.2f} s  "
              f"({letters / seconds:5.1f} letters/s; load average after {load})")
        print(f"peak memory (self + children): {peak:.0f} MB  (the parent alone {parent:.0f} MB; the "
              f"workspace and campaign loaded: {loaded:.1f} MB, in the parent and again in each worker)")


def pool_table(work: Path, runs: int) -> None:
    """Cold builds of n letters, serial and with a pool (one worker per core), best of `runs`.

    Wall-clock times on a machine shared with other work say little about spare cores, so the
    CPU time is measured too (this process, and the workers apart) and turned into the time an
    idle machine would take: the parent's share runs alone, the workers' share is split over the
    cores as evenly as whole letters allow.
    """
    root = make_workspace(work / "ws", 8)
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, root / "campaigns" / "batch.yaml")
    cores = multiprocessing.cpu_count()
    build(workspace, campaign, work / "warm", jobs=1)  # imports and caches, for both columns alike
    print(f"{cores} cores, load average {', '.join(f'{n:.1f}' for n in os.getloadavg())}; "
          f"cold DOCX + PDF builds, best of {runs}")
    print(f"{'letters':>7} | {'wall: serial':>12} {'pool':>6} | {'CPU: serial':>11} {'pool parent':>11} "
          f"{'workers':>8} | {'idle estimate: serial':>21} {'pool':>6} {'pool/serial':>11}")
    for count in (1, 2, 3, 4, 5, 6, 8, 12, 16, 24):
        part = dataclasses.replace(campaign, letters=campaign.letters[:count])
        wall, parent, children = {}, {}, {}
        for jobs in (1, cores):
            for run in range(runs):
                out = work / f"pool-{count}-{jobs}-{run}"
                own = resource.getrusage(resource.RUSAGE_SELF)
                kids = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                build(workspace, part, out, jobs=jobs, force=True)
                seconds = time.perf_counter() - started
                own2 = resource.getrusage(resource.RUSAGE_SELF)
                kids2 = resource.getrusage(resource.RUSAGE_CHILDREN)
                mine = own2.ru_utime - own.ru_utime + own2.ru_stime - own.ru_stime
                theirs = kids2.ru_utime - kids.ru_utime + kids2.ru_stime - kids.ru_stime
                if seconds < wall.get(jobs, float("inf")):
                    wall[jobs] = seconds
                if mine + theirs < parent.get(jobs, float("inf")) + children.get(jobs, 0.0):
                    parent[jobs], children[jobs] = mine, theirs
                shutil.rmtree(out)
        serial = parent[1] + children[1]
        workers = min(cores, count)
        pool = parent[cores] + children[cores] * (-(-count // workers)) / count
        print(f"{count:>7} | {wall[1]:>11.2f}s {wall[cores]:>5.2f}s | {parent[1]:>10.2f}s "
              f"{parent[cores]:>10.2f}s {children[cores]:>7.2f}s | {serial:>20.2f}s {pool:>5.2f}s "
              f"{pool / serial:>10.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=None, help="default: the number of cores")
    parser.add_argument("--pool", action="store_true", help="only the table of serial against pool builds")
    parser.add_argument("--runs", type=int, default=3, help="with --pool: runs per figure (the best counts)")
    parser.add_argument("--ratios", action="store_true",
                        help="only the two ratio lines: bare WeasyPrint, PDF only, DOCX + PDF, bare again")
    parser.add_argument("--scale", action="store_true",
                        help="only one cold DOCX + PDF build: letters per second and peak memory "
                             "(--recipients 1000: 3,000 letters)")
    parser.add_argument("--scale-formats", default="docx,pdf",
                        help="with --scale: the builds to make, separated by ';', each docx,pdf, docx "
                             "or pdf (e.g. 'docx;pdf;docx,pdf')")
    parser.add_argument("--copies", type=int, default=1,
                        help="with --scale: each template copied to this many in all, so the letters grow "
                             "and the recipients do not (--copies 10: 3,000 letters to 100 recipients)")
    args = parser.parse_args()
    if args.pool:
        with tempfile.TemporaryDirectory() as temp:
            pool_table(Path(temp), args.runs)
        return
    jobs = args.jobs or multiprocessing.cpu_count()
    if args.scale:
        with tempfile.TemporaryDirectory() as temp:
            scale(Path(temp), args.recipients, jobs, args.scale_formats, args.copies)
        return
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        root = make_workspace(work / "ws", args.recipients)
        letters = args.recipients * len(TEMPLATES)
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"{letters} letters ({args.recipients} recipients × {len(TEMPLATES)} templates), {jobs} jobs, "
              f"load average {load}")
        if not args.ratios:
            docx_s, _ = timed_build(root, work / "docx", ("docx",), jobs)
            docx_cpu = timed_build.cpu
            print(f"cold build, DOCX only:     {docx_s:6.2f} s  ({letters / docx_s:5.1f} letters/s, "
                  f"CPU {docx_cpu:.1f} s: {letters / docx_cpu * jobs:5.1f} letters/s on {jobs} idle cores)")
        bare_before = bare_weasyprint(root)
        bare_cpu = bare_weasyprint.cpu
        pdf_s, _ = timed_build(root, work / "pdf", ("pdf",), jobs)
        pdf_cpu = timed_build.cpu
        print(f"cold build, PDF only:      {pdf_s:6.2f} s  ({letters / pdf_s:5.1f} letters/s, "
              f"CPU {pdf_cpu:.1f} s)")
        both_s, result = timed_build(root, work / "both", ("docx", "pdf"), jobs)
        both_cpu = timed_build.cpu
        print(f"cold build, DOCX + PDF:    {both_s:6.2f} s  ({letters / both_s:5.1f} letters/s, "
              f"CPU {both_cpu:.1f} s)")
        if not args.ratios:
            again_s, again = timed_build(root, work / "both", ("docx", "pdf"), jobs)
            print(f"no-change rebuild:         {again_s:6.2f} s  ({again.count('unchanged')} unchanged)")
            fact = fact_of_one_template(result.manifest)
            change_fact(root, fact)
            fact_s, changed = timed_build(root, work / "both", ("docx", "pdf"), jobs)
            print(f"rebuild after fact change: {fact_s:6.2f} s  ('{fact}': {changed.count('built')} rebuilt, "
                  f"{changed.count('unchanged')} unchanged)")
            memory = peak_memory(root, work / "memory", jobs)
            print(f"peak memory (self + children): {memory:.0f} MB")
        bare_after = bare_weasyprint(root)
        bare_cpu = (bare_cpu + bare_weasyprint.cpu) / 2
        bare_s = (bare_before + bare_after) / 2
        print(f"bare WeasyPrint, 2 processes:  {bare_s:6.2f} s  (mean of {bare_before:.2f} s before and "
              f"{bare_after:.2f} s after our builds; {letters / bare_s:5.1f} letters/s, "
              f"CPU {bare_cpu:.1f} s)")
        print(f"ratio to bare WeasyPrint, wall: PDF only {pdf_s / bare_s:.2f}×, "
              f"DOCX + PDF {both_s / bare_s:.2f}×")
        print(f"ratio to bare WeasyPrint, CPU:  PDF only {pdf_cpu / bare_cpu:.2f}×, "
              f"DOCX + PDF {both_cpu / bare_cpu:.2f}×")
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"load average at the end {load}")
        if args.ratios:
            return
        office_s = libreoffice(work / "docx", work)
        if office_s is None:
            print("LibreOffice route: soffice not installed, skipped")
        else:
            print(f"LibreOffice route (soffice --convert-to pdf, batches of 20): {office_s:6.2f} s "
                  f"({letters / office_s:5.1f} letters/s)")
            print(f"ours (DOCX + PDF) against LibreOffice: {office_s / both_s:.2f}× as fast")


if __name__ == "__main__":
    main()
