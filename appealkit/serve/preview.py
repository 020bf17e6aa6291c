"""The workspace as `serve` shows it: every letter rendered, checked, and kept up to date cheaply.

`Preview.refresh()` loads the workspace again and re-renders only the letters whose
inputs changed, using the input hashes of the incremental build (`batch/letter_inputs.py`):
a letter whose recorded templates and facts hash the same as last time keeps its
rendering. Nothing is written anywhere: DOCX and PDF are made on request, in memory.
A workspace that stops loading keeps the last good letters on show beside its errors.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from appealkit.batch.letter_inputs import LetterInputs
from appealkit.batch.results import FORMATS
from appealkit.checks.audit import Auditor
from appealkit.checks.check import unused_facts
from appealkit.checks.fact_usage import FactRow, rows_for
from appealkit.checks.findings import Finding, from_problem, sort_key
from appealkit.checks.letter_check import (
    fact_findings,
    record_findings,
    rendered_findings,
    template_findings,
    template_names,
    verdict,
)
from appealkit.checks.translation_check import STALE_KINDS, redline_pieces
from appealkit.errors import AppealkitError, Problem, TemplateError, WorkspaceError, collecting
from appealkit.read.letterhead import campaign_letterhead
from appealkit.render.document import Letter
from appealkit.render.letters import LAYOUT, cite, make_environment, render_letter, template_error
from appealkit.render.template_log import TemplateLog
from appealkit.rules.language import MissingTranslation, language_name, letter_language
from appealkit.source.campaign import load_campaign_file
from appealkit.source.paths import shown_path
from appealkit.source.records import Campaign, LetterSpec, Workspace
from appealkit.source.workspace import load_workspace
from appealkit.write import docx_writer, pdf_limits, pdf_writer

#: Where the letter page's HTML finds the layout's stylesheet (served from the layout folder).
LAYOUT_URL = "/layout/"


@dataclass(frozen=True)
class LetterView:
    """One letter as the pages show it: its print HTML, its findings and its state."""

    campaign: str
    id: str
    recipient: str
    language: str
    subject: str
    #: the input hash of its rendering; "" when the letter does not render
    key: str = ""
    #: the template names its render loaded, and the facts it cites
    templates: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    #: each fact it cites, in its own words and language: ("political_prisoners", "rund 400 ...")
    cited: tuple[tuple[str, str], ...] = ()
    letter: Letter | None = None
    #: the letter as the PDF layout prints it, in HTML
    html: str = ""
    #: why it does not render now; `html` is then the last good rendering, if any
    problems: tuple[Problem, ...] = ()
    #: the checks of the rendered text and its templates, kept with the rendering
    text_findings: tuple[Finding, ...] = ()
    #: every finding of the letter's checks (checks/letter_check.py), and the state they give it
    findings: tuple[Finding, ...] = ()
    state: str = "ok"

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def template_files(self) -> tuple[str, ...]:
        return tuple(f"templates/{name}" for name in self.templates)

    @property
    def stale_translations(self) -> tuple[tuple[Finding, tuple[tuple[str, str], ...]], ...]:
        """Each finding that a translation this letter uses lags its master, with the master's redline
        cut into ("equal" | "delete" | "insert", text) pieces for the page."""
        return tuple((f, redline_pieces(f.message)) for f in self.findings if f.kind in STALE_KINDS)


@dataclass(frozen=True)
class CampaignView:
    id: str
    title: str
    file: str
    letters: tuple[LetterView, ...]
    #: the letterhead as `build` writes it: read and cleaned once per refresh (`campaign_letterhead`)
    letterhead: bytes | None = None
    #: days after sending when a letter without a reply is due a follow-up (the campaign's)
    follow_up_after: int | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything the pages show at one moment; a refresh makes a new one."""

    version: int = 0
    campaigns: tuple[CampaignView, ...] = ()
    facts: tuple[FactRow, ...] = ()
    #: what stops the workspace, a campaign or the layout from loading
    problems: tuple[Problem, ...] = ()
    #: findings that concern no single letter (a fact no letter cites ...)
    findings: tuple[Finding, ...] = ()
    #: the letters (`campaign/letter`) rendered by the refresh that made this snapshot
    rendered: tuple[str, ...] = ()
    seconds: float = 0.0
    layout: Any = None

    def letter(self, campaign_id: str, letter_id: str) -> tuple[CampaignView, LetterView] | None:
        for campaign in self.campaigns:
            if campaign.id == campaign_id:
                for view in campaign.letters:
                    if view.id == letter_id:
                        return campaign, view
        return None

    @property
    def layout_dir(self) -> Path | None:
        return Path(self.layout.filename).parent if self.layout is not None else None


@dataclass
class _Refresh:
    """The state of one refresh while it runs."""

    workspace: Workspace
    previous: dict[tuple[str, str], LetterView]
    env: Any
    log: TemplateLog
    layout: Any
    problems: list[Problem] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    facts_checked: list[Finding] = field(default_factory=list)
    memo: dict[str, list[Finding]] = field(default_factory=dict)
    translations: dict[str, list[Finding]] = field(default_factory=dict)
    _auditor: Auditor | None = None

    @property
    def auditor(self) -> Auditor:
        if self._auditor is None:
            self._auditor = Auditor(self.workspace)
        return self._auditor


class Preview:
    """The letters of a workspace (or of the given campaign files), refreshed on demand."""

    def __init__(self, root: Path, campaign_files: list[Path] | None = None):
        self.root = Path(root).resolve()
        self.campaign_files = campaign_files
        self.snapshot = Snapshot()
        self._lock = threading.Lock()
        self._files: dict[tuple[str, str], bytes] = {}
        self._pages: dict[str, tuple[bytes, ...]] = {}
        self._compiled = _CompiledTemplates()

    def refresh(self) -> Snapshot:
        """Load the workspace again, re-render what changed, check, and publish a new snapshot."""
        with self._lock:
            started = time.perf_counter()
            snapshot = self._refresh(self.snapshot)
            self.snapshot = dataclasses.replace(snapshot, seconds=time.perf_counter() - started)
            return self.snapshot

    def _refresh(self, previous: Snapshot) -> Snapshot:
        version = previous.version + 1
        try:
            workspace = load_workspace(self.root)
        except WorkspaceError as exc:  # keep the last good letters on show, under the errors
            return dataclasses.replace(previous, version=version, problems=exc.problems, rendered=())
        env = make_environment(self.root)
        env.bytecode_cache = self._compiled
        run = _Refresh(workspace, {(c.id, v.id): v for c in previous.campaigns for v in c.letters},
                       env, TemplateLog(env), None, facts_checked=fact_findings(workspace))
        try:
            run.layout = env.get_template(LAYOUT)
        except Exception as exc:  # a broken layout is shown like any template error
            run.problems.extend(template_error(exc, self.root, f"templates/{LAYOUT}").problems)
        run.log.take()
        paths = self.campaign_files or workspace.campaign_files()
        campaigns = []
        for path in paths:
            try:
                campaign = load_campaign_file(workspace, path)
            except WorkspaceError as exc:
                run.problems.extend(exc.problems)
                kept = next((c for c in previous.campaigns if c.file == shown_path(self.root, path)), None)
                if kept:
                    campaigns.append(kept)
                continue
            campaigns.append(self._campaign(run, campaign))
        findings = self._loose_findings(run, campaigns)
        citing: dict[str, list[str]] = {}
        for shown_campaign in campaigns:
            for view in shown_campaign.letters:
                for fact_id in view.facts:
                    citing.setdefault(fact_id, []).append(f"{shown_campaign.id}/{view.id}")
        return Snapshot(version, tuple(campaigns), tuple(rows_for(workspace, citing)), tuple(run.problems),
                        tuple(findings), tuple(run.rendered), layout=run.layout)

    def _loose_findings(self, run: _Refresh, campaigns: list[CampaignView]) -> list[Finding]:
        """What `check` reports that concerns no single letter: templates no letter loads, facts
        no letter cites (when every campaign is shown and every letter renders), parts and counts."""
        letters = [view for campaign in campaigns for view in campaign.letters]
        taken = {finding for view in letters for finding in view.findings}
        loaded = {name for view in letters for name in view.templates}
        found = [*run.facts_checked]
        for name in template_names(self.root):
            if name not in loaded:
                found.extend(template_findings(run.workspace, name, run.auditor))
        if self.campaign_files is None and not run.problems and not any(v.problems for v in letters):
            found.extend(unused_facts(run.workspace, {f.partition(".")[0] for v in letters for f in v.facts}))
        return sorted({f for f in found if f not in taken}, key=sort_key)

    def _campaign(self, run: _Refresh, campaign: Campaign) -> CampaignView:
        inputs = LetterInputs(run.workspace, campaign, FORMATS)
        letters = tuple(self._letter(run, campaign, spec, inputs) for spec in campaign.letters)
        return CampaignView(campaign.id, campaign.title, campaign.where.file, letters,
                            self._letterhead(run, campaign), campaign.follow_up_after)

    def _letterhead(self, run: _Refresh, campaign: Campaign) -> bytes | None:
        """The letterhead cleaned as `build` cleans it (a link taken out is a warning on the page);
        one that cannot be read safely is shown as a problem, and the DOCX then goes without it."""
        with collecting() as removed:
            try:
                letterhead = campaign_letterhead(self.root, campaign)
            except TemplateError as exc:
                run.problems.extend(exc.problems)
                letterhead = None
        run.problems.extend(removed)
        return letterhead

    def _letter(self, run: _Refresh, campaign: Campaign, spec: LetterSpec,
                inputs: LetterInputs) -> LetterView:
        """The letter, rendered again only when its inputs changed, with its checks as `build` runs them."""
        view = self._rendered(run, campaign, spec, inputs)
        if view.problems:
            checked = verdict(spec, [from_problem(p, "template") for p in view.problems])
        else:
            checked = verdict(spec, [*view.text_findings, *record_findings(
                run.workspace, campaign, spec, view.facts, run.facts_checked, view.templates,
                run.translations)])
        return dataclasses.replace(view, findings=checked.findings, state=checked.state)

    def _rendered(self, run: _Refresh, campaign: Campaign, spec: LetterSpec,
                  inputs: LetterInputs) -> LetterView:
        before = run.previous.get((campaign.id, spec.id))
        if (before is not None and before.key and run.layout is not None
                and inputs.key(spec, before.templates, before.facts) == before.key):
            return before
        run.rendered.append(f"{campaign.id}/{spec.id}")
        recipient = run.workspace.recipients[spec.recipient]
        view = LetterView(campaign.id, spec.id, f"{recipient.holder}, {recipient.office}",
                          letter_language(spec.language, campaign.language, recipient.language), spec.subject)
        run.log.take()
        try:
            rendered = render_letter(run.workspace, campaign, spec, run.env)
            templates = run.log.take()
            if run.layout is None:
                raise TemplateError(tuple(p for p in run.problems if p.file.endswith(LAYOUT)))
            html = pdf_writer.letter_html(rendered.letter, run.layout, css_name=f"{LAYOUT_URL}letter.css")
        except AppealkitError as exc:
            return dataclasses.replace(view, templates=run.log.take() or (before.templates if before else ()),
                                       html=before.html if before else "", problems=exc.problems)
        facts = tuple(citation.fact for citation in rendered.citations)
        key = inputs.key(spec, templates, facts) or ""
        letter = rendered.letter
        text = tuple(rendered_findings(run.workspace, rendered, templates, run.auditor, run.memo))
        cited = tuple((fact_id, _words(run.workspace, fact_id, view.language))
                      for fact_id in dict.fromkeys(facts))
        return dataclasses.replace(view, language=letter.language, subject=letter.subject, key=key,
                                   templates=templates, facts=facts, cited=cited, letter=letter, html=html,
                                   text_findings=text)

    def document(self, campaign: CampaignView, view: LetterView, fmt: str) -> bytes:
        """The letter's DOCX or PDF bytes, made once per input hash and kept in memory."""
        if view.letter is None or view.problems:
            raise ValueError(f"letter '{view.id}' does not render")
        cached = self._files.get((view.key, fmt))
        if cached is None:
            if fmt == "docx":
                cached = docx_writer.write_docx(view.letter, campaign.letterhead)
            else:
                layout = self.snapshot.layout
                html = pdf_writer.letter_html(view.letter, layout)
                source = shown_path(self.root, Path(layout.filename))
                # within the build's PDF bounds: a layout WeasyPrint fails on is one line (409), not a 500
                cached = pdf_limits.guarded(lambda: pdf_writer.html_to_pdf(
                    html, Path(layout.filename).parent, source=source), html, source)
            if len(self._files) > 200:
                self._files.clear()
            self._files[(view.key, fmt)] = cached
        return cached

    def page_images(self, campaign: CampaignView, view: LetterView) -> tuple[bytes, ...]:
        """The letter's PDF pages as PNG images, made once per input hash (`page_images.py`)."""
        from appealkit.serve.page_images import page_pngs

        cached = self._pages.get(view.key)
        if cached is None:
            cached = page_pngs(self.document(campaign, view, "pdf"))
            if len(self._pages) > 50:
                self._pages.clear()
            self._pages[view.key] = cached
        return cached



def _words(workspace: Workspace, fact_id: str, language: str) -> str:
    """The fact as the letter's language says it, for the sidebar; in English where that language has
    no words for the whole fact (a letter may cite only its number)."""
    try:
        return cite(workspace, fact_id, language)
    except MissingTranslation:
        return cite(workspace, fact_id, "en")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept across refreshes; Jinja checks each against its source's checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
