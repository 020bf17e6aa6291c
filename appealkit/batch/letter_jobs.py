"""Build the letters of a campaign in this process or in a pool of worker processes.

Each worker sets itself up once (Jinja environment, layout, letterhead) and then, per
letter, renders it, hashes its inputs, and writes its files unless the last build
already wrote them from the same inputs. Results are plain data, so they cross from a
worker to the parent unchanged, and a serial build runs the very same code.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.atomic import write_atomic
from appealkit.batch.letter_inputs import LetterInputs, file_digest
from appealkit.batch.manifest import rendered_entry
from appealkit.batch.spill import Spilled
from appealkit.checks import letter_check
from appealkit.checks.findings import Finding
from appealkit.checks.letter_check import LetterCheck
from appealkit.errors import AppealkitError, Problem, collecting
from appealkit.source.paths import shown_path
from appealkit.source.records import Campaign, LetterSpec, Workspace
from appealkit.source.safe_names import output_path
from appealkit.source.template_sources import LAYOUT

if TYPE_CHECKING:
    from appealkit.checks.audit import Auditor
    from appealkit.render.letters import RenderedLetter
    from appealkit.render.template_log import TemplateLog


@dataclass(frozen=True)
class LetterJob:
    """What every worker needs to build any letter of one campaign."""

    workspace: Workspace
    campaign: Campaign
    out_dir: Path
    formats: tuple[str, ...]
    #: the last build's manifest entries by letter id (read by the build's own process only)
    previous: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    force: bool = False
    #: overrides, `KIND:LETTER_ID`: a finding of that kind does not block that letter
    allowed: frozenset[str] = frozenset()
    #: warnings block a letter too
    strict: bool = False
    pdf_variant: str | None = None
    #: the campaign's letterhead, cleaned of external links (`checks/letterhead.py`)
    letterhead: bytes | None = None


@dataclass(frozen=True)
class LetterResult:
    """One letter as a worker left it: `built`, `unchanged`, `refused` (by its checks) or `failed`."""

    index: int
    id: str
    status: str
    #: what the manifest records of the render (`manifest.rendered_entry`); None for an unchanged letter,
    #: which was not rendered again. The rendered letter itself stays in the worker.
    entry: dict[str, Any] | None = None
    #: (format, file name, sha256, bytes) of each file
    outputs: tuple[tuple[str, str, str, int], ...] = ()
    error_type: type[AppealkitError] | None = None
    problems: tuple[Problem, ...] = ()
    input_hash: str = ""
    #: the templates the render loaded, recorded in the manifest for the next build
    templates: tuple[str, ...] = ()
    #: the manifest entry of the last build, for an unchanged letter
    record: dict[str, Any] | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: what the checks decided (None for a failed letter)
    check: LetterCheck | None = None
    #: the checks that needed the rendered letter, cached in the manifest under `input_hash`
    cached: tuple[Finding, ...] = ()
    #: what writing the letter warned of, carried back from a worker as values
    warnings: tuple[Problem, ...] = ()
    #: the facts cited, each in the words of the bundle's index (`fact_usage.fact_words`)
    words: dict[str, str] = field(default_factory=dict)

    @property
    def error(self) -> AppealkitError | None:
        return self.error_type(self.problems) if self.error_type else None


class _Worker:
    def __init__(self, job: LetterJob):
        self.job = job
        self.inputs = LetterInputs(job.workspace, job.campaign, job.formats, job.pdf_variant)
        self.letterhead = self.inputs.letterhead
        self._env: Any = None
        self._log: TemplateLog | None = None
        self._layout: Any = None  # compiled for the first PDF; a broken layout is reported per letter
        self._auditor: Auditor | None = None
        self._facts_checked: list[Finding] | None = None
        self._template_findings: dict[str, list[Finding]] = {}
        self._translations: dict[str, list[Finding]] = {}
        self._words: dict[str, str] = {}

    @property
    def env(self) -> Any:
        """The worker's one Jinja environment, made for the first letter it renders: a build that
        renders nothing never imports Jinja."""
        if self._env is None:
            from appealkit.render.letters import make_environment
            from appealkit.render.template_log import TemplateLog

            self._env = make_environment(self.job.workspace.root)
            self._log = TemplateLog(self._env)
        return self._env

    @property
    def log(self) -> TemplateLog:
        if self._log is None:
            _ = self.env
        assert self._log is not None
        return self._log

    def auditor(self) -> Auditor:
        if self._auditor is None:  # imported here: a build with nothing to render never reads prose
            from appealkit.checks.audit import Auditor

            self._auditor = Auditor(self.job.workspace)
        return self._auditor

    def verdict(self, spec: LetterSpec, cached: Any, fact_ids: Any, templates: Any) -> LetterCheck:
        """The letter's cached checks joined with those that only read the records, which are cheap
        and may have changed without the letter's inputs changing (a list fact it does not cite)."""
        job = self.job
        if self._facts_checked is None:
            self._facts_checked = letter_check.fact_findings(job.workspace)
        fresh = letter_check.record_findings(job.workspace, job.campaign, spec, fact_ids, self._facts_checked,
                                             templates, self._translations)
        return letter_check.verdict(spec, [*cached, *fresh], job.allowed, job.strict)

    def words(self, fact_ids: list[str]) -> dict[str, str]:
        """The facts cited in the words of the bundle's index, made where the render's code is
        loaded already: the build's own process then never loads it for the index."""
        from appealkit.checks.fact_usage import fact_words

        for fact in fact_ids:
            if fact not in self._words:
                self._words[fact] = fact_words(self.job.workspace, fact)
        return {fact: self._words[fact] for fact in dict.fromkeys(fact_ids)}

    def layout(self) -> Any:
        from appealkit.render.letters import template_error

        if self._layout is None:
            try:
                self._layout = self.env.get_template(LAYOUT)
            except Exception as exc:  # a broken layout is reported like any template
                raise template_error(exc, self.job.workspace.root, f"templates/{LAYOUT}") from None
        return self._layout

    def _key(self, spec: LetterSpec, templates: Any, fact_ids: Any) -> str | None:
        return self.inputs.key(spec, templates, fact_ids)

    def check(self, index: int) -> LetterResult | None:
        """The letter as the last build left it, if its recorded inputs and files are unchanged.

        Its checks come from the manifest too; a letter they now refuse is refused without
        rendering, and a letter refused last time but allowed now is built.
        """
        job = self.job
        spec = job.campaign.letters[index]
        entry = job.previous.get(spec.id)
        if job.force or not entry:
            return None
        try:
            templates = tuple(str(name) for name in entry["templates"])
            fact_ids = [str(fact["id"]) for fact in entry["facts"]]
            key = self._key(spec, templates, fact_ids)
            if key is None or key != entry["inputs"]:
                return None
            cached = tuple(letter_check.from_data(entry["findings"]))
            checked = self.verdict(spec, cached, fact_ids, templates)
            if checked.state == "refused":
                return LetterResult(index, spec.id, "refused", input_hash=key, templates=templates,
                                    record=entry, check=checked, cached=cached)
            kept = _intact_outputs(job, spec.id, entry["outputs"]) if entry.get("outputs") else None
        except (KeyError, TypeError, ValueError):
            return None
        if kept is None:
            return None
        return LetterResult(index, spec.id, "unchanged", outputs=kept, input_hash=key, templates=templates,
                            record=entry, check=checked, cached=cached)

    def build(self, index: int) -> LetterResult:
        with collecting() as found:
            result = self._build(index)
        return dataclasses.replace(result, warnings=tuple(found)) if found else result

    def _build(self, index: int) -> LetterResult:
        # The writers bring WeasyPrint and python-docx (half a second to import), the render Jinja
        # and markdown-it: only a letter that is written needs them, so a build with nothing to do
        # never loads them.
        from appealkit.render.letters import render_letter
        from appealkit.write import docx_writer

        job = self.job
        spec = job.campaign.letters[index]
        seconds = {}
        try:
            started = time.process_time()
            self.log.take()
            rendered = render_letter(job.workspace, job.campaign, spec, self.env)
            templates = self.log.take()
            fact_ids = [c.fact for c in rendered.citations]
            key = self._key(spec, templates, fact_ids) or ""
            seconds["render"] = time.process_time() - started
            started = time.process_time()
            cached = tuple(letter_check.rendered_findings(job.workspace, rendered, templates, self.auditor(),
                                                          self._template_findings))
            checked = self.verdict(spec, cached, fact_ids, templates)
            seconds["check"] = time.process_time() - started
            if checked.state == "refused":
                return LetterResult(index, spec.id, "refused", rendered_entry(rendered), input_hash=key,
                                    templates=templates, seconds=seconds, check=checked, cached=cached)
            contents, failure, tight = {}, None, False
            # the PDF first: when its pages were set tight to save one, the DOCX follows
            for fmt in sorted(job.formats, key=lambda name: name != "pdf"):
                started = time.process_time()
                try:
                    letterhead = job.letterhead or self.letterhead
                    if fmt == "docx":
                        contents[fmt] = docx_writer.write_docx(rendered.letter, letterhead, tight)
                    else:
                        pdf = self._pdf(rendered)
                        contents[fmt], tight = pdf.data, pdf.tight
                except AppealkitError as exc:  # one format failing still writes the others
                    failure = exc
                seconds[fmt] = time.process_time() - started
        except AppealkitError as exc:
            return LetterResult(index, spec.id, "failed", error_type=type(exc), problems=exc.problems,
                                seconds=seconds)
        outputs = []
        for fmt in (f for f in job.formats if f in contents):  # in the order asked for, not as made
            data = contents[fmt]
            name = f"{spec.id}.{fmt}"
            write_atomic(output_path(job.out_dir, name), data)
            outputs.append((fmt, name, hashlib.sha256(data).hexdigest(), len(data)))
        return LetterResult(index, spec.id, "built", rendered_entry(rendered), tuple(outputs),
                            input_hash=key, templates=templates, seconds=seconds, check=checked,
                            cached=cached, error_type=type(failure) if failure else None,
                            problems=failure.problems if failure else (), words=self.words(fact_ids))

    def _pdf(self, rendered: RenderedLetter) -> Any:
        """The letter's PDF within the budgets of `pdf_limits`; a failure names the layout file."""
        from appealkit.write import pdf_limits, pdf_writer

        layout = self.layout()
        source = shown_path(self.job.workspace.root, Path(layout.filename))
        html = pdf_writer.letter_html(rendered.letter, layout)
        made: list[Any] = []

        def make() -> bytes:
            made.append(pdf_writer.render_pdf(html, Path(layout.filename).parent, source=source,
                                              variant=self.job.pdf_variant))
            return made[-1].data

        return pdf_writer.Pdf(pdf_limits.guarded(make, html, source), made[-1].tight)


Outputs = tuple[tuple[str, str, str, int], ...]


def _intact_outputs(job: LetterJob, letter_id: str, recorded: Any) -> Outputs | None:
    """The recorded files of a letter if they are exactly the formats asked for and unchanged on disk."""
    files = {o["format"]: (str(o["sha256"]), int(o["bytes"])) for o in recorded}
    if sorted(files) != sorted(job.formats):
        return None
    kept = []
    for fmt in job.formats:
        sha, size = files[fmt]
        path = job.out_dir / f"{letter_id}.{fmt}"
        if not path.is_file() or path.stat().st_size != size or file_digest(path) != sha:
            return None
        kept.append((fmt, path.name, sha, size))
    return tuple(kept)


_worker: _Worker | None = None
_PR_SET_PDEATHSIG = 1


def _start_worker(job: LetterJob, parent: int) -> None:
    """Pool initializer: the parent alone answers Ctrl-C, workers finish the letter they are on."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    _worker = _Worker(job)


def _die_with_parent(parent: int) -> None:
    """A worker whose parent was killed must not live on, waiting for work forever (Linux only)."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _build_in_worker(index: int) -> LetterResult:
    assert _worker is not None
    return _worker.build(index)


def _context() -> Any:
    """fork where it is safe (Linux): workers inherit the loaded workspace and imported libraries."""
    import multiprocessing

    method = "fork" if sys.platform == "linux" else "spawn"
    return multiprocessing.get_context(method)


#: A worker spends about one letter's time starting (its own Jinja environment, templates
#: compiled, fonts found), so by default a worker is started only for this many letters or
#: more to build: on 2 cores, a pool from 6 letters (benchmarks/batch.py --pool).
LETTERS_PER_WORKER = 3
#: A worker is replaced after about this many letters: WeasyPrint's caches grow by about half a
#: megabyte a letter, so the workers of a long build would otherwise end at twice their size.
#: A new worker costs about one letter's time, so this costs about one letter in a hundred.
LETTERS_BEFORE_RECYCLING = 100


def default_workers(letters: int) -> int:
    """Worker processes for `letters` letters to build when `--jobs` is not given (1: no pool)."""
    return max(1, min(os.cpu_count() or 1, letters // LETTERS_PER_WORKER))


def _kept(result: LetterResult) -> LetterResult:
    """A result as the build keeps it until the end: without the CPU seconds and the facts' words,
    which `on_result` has taken."""
    return dataclasses.replace(result, seconds={}, words={})


def run_letters(job: LetterJob, jobs: int | None, on_result: Callable[[LetterResult], None]
                ) -> Spilled[LetterResult]:
    """Build every letter of the job, `jobs` at a time; results come back in campaign order.

    Unchanged letters are found here first, without rendering; only the others go to
    the workers, so a build with nothing to do starts no process at all. `jobs=None`
    picks `default_workers` for the letters left to build. The results are kept in a
    temporary file (`spill`), not in memory: a worker forked late in a long build inherits
    no more than the first one did.
    """
    total = len(job.campaign.letters)
    results: Spilled[LetterResult] = Spilled(size=total)
    local = _Worker(job)
    todo = []
    for index in range(total):
        kept = local.check(index)
        if kept is None:
            todo.append(index)
        else:
            on_result(kept)
            results.put(index, _kept(kept))
    if jobs is None:
        jobs = default_workers(len(todo))
    if jobs <= 1 or len(todo) <= 1:
        for index in todo:
            result = local.build(index)
            on_result(result)
            results.put(index, _kept(result))
        return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from appealkit.write import docx_writer, pdf_support, pdf_writer  # noqa: F401 (imported once, inherited by forks)

    if "pdf" in job.formats:
        with contextlib.suppress(AppealkitError):  # each letter's PDF reports a missing library itself
            pdf_support.load_weasyprint()

    workers = min(jobs, len(todo))
    for_workers = dataclasses.replace(job, previous={})  # a worker only builds: it never reads the last build
    per_round = workers * LETTERS_BEFORE_RECYCLING
    for start in range(0, len(todo), per_round):  # fresh workers each round (LETTERS_BEFORE_RECYCLING)
        part = todo[start:start + per_round]
        with ProcessPoolExecutor(max_workers=min(workers, len(part)), mp_context=_context(),
                                 initializer=_start_worker, initargs=(for_workers, os.getpid())) as pool:
            futures = [pool.submit(_build_in_worker, index) for index in part]
            try:
                for future in as_completed(futures):
                    result = future.result()
                    on_result(result)
                    results.put(result.index, _kept(result))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return results
