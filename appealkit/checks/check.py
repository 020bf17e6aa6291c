"""Check a workspace and its campaigns before any letter is sent: `appealkit check`.

Finds figures typed into templates instead of cited, variant spellings in templates,
lists whose stated count disagrees, parts larger than their whole, facts too old for
a campaign, recipients whose term does not cover the campaign date, templates that
name something undefined, and facts no letter uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appealkit.checks.audit import Auditor
from appealkit.checks.check_options import CheckOptions
from appealkit.checks.findings import Finding, Graded, from_problem, sort_key
from appealkit.checks.letter_check import (
    fact_findings,
    record_findings,
    rendered_findings,
    template_findings,
    template_names,
    term_findings,
)
from appealkit.checks.translation_check import workspace_translation_findings
from appealkit.errors import TemplateError, WorkspaceError
from appealkit.read.letterhead import campaign_letterhead
from appealkit.render.letters import make_environment, render_letter
from appealkit.render.template_log import TemplateLog
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.records import Campaign, Workspace
from appealkit.source.settings import settings_path, settings_problems
from appealkit.source.workspace import load_workspace


@dataclass(frozen=True)
class CheckResult(Graded):
    findings: tuple[Finding, ...]
    files: int


def check_templates(workspace: Workspace, auditor: Auditor) -> tuple[list[Finding], int]:
    """Typed figures and variant spellings in the prose of every template under templates/."""
    names = template_names(workspace.root)
    return [f for name in names for f in template_findings(workspace, name, auditor)], len(names)


def check_campaign(workspace: Workspace, campaign: Campaign, auditor: Auditor,
                   cited: set[str], facts_checked: list[Finding]) -> list[Finding]:
    """Every letter of one campaign through the checks `build` enforces (`letter_check`).

    Adds the ids of the facts the letters cite to `cited`. `facts_checked`: `fact_findings`
    of the workspace, found once for every campaign.
    """
    findings: list[Finding] = []
    env = make_environment(workspace.root)
    log = TemplateLog(env)
    memo: dict[str, list[Finding]] = {}
    for spec in campaign.letters:
        log.take()
        try:
            rendered = render_letter(workspace, campaign, spec, env)
        except TemplateError as exc:
            findings.extend(from_problem(p, "template") for p in exc.problems)
            findings.extend(term_findings(workspace, campaign, spec))  # record_findings has it otherwise
            continue
        fact_ids = [c.fact for c in rendered.citations]
        cited.update(f.partition(".")[0] for f in fact_ids)
        findings.extend(rendered_findings(workspace, rendered, log.take(), auditor, memo))
        findings.extend(record_findings(workspace, campaign, spec, fact_ids, facts_checked))
    return findings


def check_folder(root: Path, campaign_paths: list[Path] | None = None) -> CheckResult:
    """Check the workspace at `root`: a workspace that does not load is reported as findings."""
    try:
        workspace = load_workspace(root)
    except WorkspaceError as exc:
        found = [from_problem(p, "workspace") for p in exc.problems]
        found += [from_problem(p, "settings") for p in settings_problems(root)]
        return CheckResult(tuple(sorted(set(found), key=sort_key)), 1)
    return check(workspace, campaign_paths)


def check(workspace: Workspace, campaigns: Sequence[str | Path] | None = None) -> CheckResult:
    """Check a loaded workspace and the given campaigns (paths or ids, as for `load_campaign_file`;
    default: every campaign; the options of `CheckOptions`, validated there). What it finds are
    findings, not exceptions."""
    given: Any = campaigns or ()  # a lone campaign, or paths: `CheckOptions` makes them a tuple of text
    campaigns = CheckOptions(given).campaigns
    root = workspace.root
    auditor = Auditor(workspace)
    findings, files = check_templates(workspace, auditor)
    findings.extend(workspace_translation_findings(workspace))
    findings.extend(from_problem(p, "settings") for p in settings_problems(root))
    files += settings_path(root).is_file()
    facts_checked = fact_findings(workspace)
    findings.extend(facts_checked)
    every = workspace.campaign_files()
    chosen = [resolve_campaign_path(root, c) for c in campaigns] if campaigns else every
    picked = {path.resolve() for path in chosen}
    cited: set[str] = set()
    for path in chosen:
        try:
            campaign = load_campaign_file(workspace, path)
        except WorkspaceError as exc:
            findings.extend(from_problem(p, "campaign") for p in exc.problems)
            continue
        try:
            campaign_letterhead(root, campaign)
        except TemplateError as exc:
            findings.extend(from_problem(p, "campaign") for p in exc.problems)
        findings.extend(check_campaign(workspace, campaign, auditor, cited, facts_checked))
        findings.extend(unaddressed(workspace, campaign))
    complete = not any(f.kind in ("template", "campaign") for f in findings)
    for path in every:
        if path.resolve() in picked:
            continue
        try:
            complete = _cite_all(workspace, load_campaign_file(workspace, path), cited) and complete
        except WorkspaceError:
            complete = False
    if complete:  # a letter that failed might cite any fact
        findings.extend(unused_facts(workspace, cited))
    folders = ("facts", "people", "recipients")
    files += len(chosen) + sum(len(list((root / d).glob("*.yaml"))) for d in folders)
    return CheckResult(tuple(sorted(set(findings), key=sort_key)), files)


def _cite_all(workspace: Workspace, campaign: Campaign, cited: set[str]) -> bool:
    """Add the facts a campaign's letters cite; False when a letter fails to render."""
    env = make_environment(workspace.root)
    ok = True
    for spec in campaign.letters:
        try:
            rendered = render_letter(workspace, campaign, spec, env)
        except TemplateError:
            ok = False
            continue
        cited.update(c.fact.split(".")[0] for c in rendered.citations)
    return ok


def unaddressed(workspace: Workspace, campaign: Campaign) -> list[Finding]:
    """A warning for each letter of a campaign sent by e-mail (it has a `sender_email`) whose
    recipient has no address: found now, not when `send` refuses it."""
    if not campaign.sender_email:
        return []
    found = []
    for spec in campaign.letters:
        recipient = workspace.recipients[spec.recipient]
        if not recipient.email:
            found.append(Finding(spec.where.file or campaign.where.file, spec.where.line, "no-email",
                                 "warning",
                                 f"letter '{spec.id}' goes by e-mail (the campaign has a sender_email), but "
                                 f"recipient '{spec.recipient}' has no e-mail address",
                                 hint=f"add 'email:' to {recipient.where.file}"))
    return found


def unused_facts(workspace: Workspace, cited: set[str]) -> list[Finding]:
    """A warning for each fact no letter cites (`cited`: the ids the letters of every campaign cite)."""
    return [Finding(fact.where.file, fact.where.line, "unused-fact", "warning",
                    f"no letter cites fact '{fid}'", fact=fid,
                    hint="cite it with fact(...) in a template, or remove it")
            for fid, fact in sorted(workspace.facts.items()) if fid not in cited]
