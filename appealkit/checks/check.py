"""Check a workspace and its campaigns before any letter is sent: `appealkit check`.

Finds figures typed into templates instead of cited, variant spellings in templates,
lists whose stated count disagrees, parts larger than their whole, facts too old for
a campaign, recipients whose term does not cover the campaign date, templates that
name something undefined, and facts no letter uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from appealkit.checks.audit import Auditor, stem
from appealkit.checks.figures import LANGUAGES, detect_language, find_figures
from appealkit.checks.findings import Finding, from_problem, sort_key
from appealkit.checks.letter_reader import Passage
from appealkit.errors import TemplateError, WorkspaceError
from appealkit.render.letters import make_environment, render_letter
from appealkit.render.sandbox import MAX_TEMPLATE_BYTES
from appealkit.source.campaign import load_campaign
from appealkit.source.paths import leads_outside, shown_path
from appealkit.source.records import Campaign, Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.workspace import load_workspace

#: A term ending within this many days after the campaign date is worth a warning.
TERM_WARNING_DAYS = 30
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
LITERAL = re.compile(r"\{#-?\s*literal\s*-?#\}")


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    files: int


def prose(source: str) -> str:
    """Template source with every Jinja tag and comment blanked out, lines and columns kept."""
    return _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), source)


def template_language(name: str, text: str) -> str:
    """`appeal.de.md` is German; otherwise the language its prose is written in."""
    parts = Path(name).name.split(".")
    if len(parts) >= 3 and parts[-2] in LANGUAGES:
        return parts[-2]
    return detect_language(text)


def check_templates(workspace: Workspace, auditor: Auditor) -> tuple[list[Finding], int]:
    """Typed figures and variant spellings in the prose of every template under templates/."""
    findings: list[Finding] = []
    folder = workspace.root / "templates"
    paths = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    for path in paths:
        shown = shown_path(workspace.root, path)
        try:
            if leads_outside(workspace.root, path):
                raise Untrusted("it is a symbolic link to outside the workspace")
            source = read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        except (Untrusted, UnicodeDecodeError) as exc:
            findings.append(Finding(shown, None, "template", "error", "cannot read the template",
                                    hint=str(exc)))
            continue
        text = prose(source)
        lines = source.splitlines()
        literal = {n for n, line in enumerate(lines, start=1) if LITERAL.search(line)}
        starts = [m.end() for m in re.finditer("\n", text)]
        language = template_language(path.name, text)

        def line_of(offset: int, starts=starts) -> int:
            return sum(1 for s in starts if s <= offset) + 1

        for figure in find_figures(text, language, include_articles=False):
            line = line_of(figure.start)
            if line in literal:
                continue
            findings.append(Finding(
                shown, line, "typed-figure", "error",
                f"typed figure '{figure.text}': a figure in a letter must come from facts/",
                quote=lines[line - 1].strip(), found=figure.text,
                hint="cite it with {{ fact(\"...\") }}, or end the line with {# literal #} if it is meant"))
        for hit in auditor.names.find(text, similar=False):
            line = line_of(hit.start)
            findings.append(Finding(
                shown, line, "name-variant", "warning",
                f"'{hit.found}' is a variant spelling of '{hit.person.name}'",
                quote=lines[line - 1].strip(), found=hit.found, expected=hit.person.name,
                source=str(hit.person.where), hint=f"write {{{{ person(\"{hit.person.id}\") }}}}"))
    return findings, len(paths)


def check_facts(workspace: Workspace) -> list[Finding]:
    """Parts larger than their whole; a count that disagrees with the list it counts."""
    findings = []
    lists = {fid: f for fid, f in workspace.facts.items() if f.members}
    for fid, fact in sorted(workspace.facts.items()):
        for name, part in fact.parts.items():
            if fact.is_number and part.is_number and Decimal(str(part.value)) > Decimal(str(fact.value)):
                findings.append(Finding(
                    part.where.file, part.where.line, "part-exceeds-whole", "error",
                    f"part '{name}' of fact '{fid}' is {part.value}, more than the whole ({fact.value})",
                    found=str(part.value), expected=f"at most {fact.value}", fact=f"{fid}.{name}",
                    hint="a part counts some of the whole; check both figures"))
        if fact.members or not fact.is_number:
            continue
        words = {_words(k) for k in fact.keywords}
        for lid, listed in sorted(lists.items()):
            shared = words & {_words(k) for k in listed.keywords}
            if shared and Decimal(str(fact.value)) != len(listed.members or ()):
                findings.append(Finding(
                    fact.where.file, fact.where.line, "list-count", "error",
                    f"fact '{fid}' counts {fact.value}, but the list '{lid}' it shares the keyword "
                    f"'{' '.join(sorted(shared)[0])}' with has {len(listed.members or ())} members",
                    found=str(fact.value), expected=str(len(listed.members or ())), fact=fid,
                    hint=f"cite fact(\"{lid}\") for the count, or correct the figure"))
    return findings


def _words(keyword: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in keyword.split())


def check_campaign(workspace: Workspace, campaign: Campaign, auditor: Auditor,
                   cited: set[str]) -> list[Finding]:
    """Terms of office, fact ages, rendering errors and list counts of one campaign's letters.

    Adds the ids of the facts the letters cite to `cited`.
    """
    findings = []
    env = make_environment(workspace.root)
    oldest = campaign.max_fact_age.before(campaign.date)
    aged: set[str] = set()
    for spec in campaign.letters:
        findings.extend(_term(workspace, campaign, spec))
        try:
            rendered = render_letter(workspace, campaign, spec, env)
        except TemplateError as exc:
            findings.extend(from_problem(p, "template") for p in exc.problems)
            continue
        for citation in rendered.citations:
            cited.add(citation.fact.split(".")[0])
            fact = workspace.facts[citation.fact.split(".")[0]]
            if fact.as_of < oldest and fact.id not in aged:
                aged.add(fact.id)
                findings.append(Finding(
                    fact.where.file, fact.where.line, "fact-age", "error",
                    f"fact '{fact.id}' is as of {fact.as_of}, more than {campaign.max_fact_age} before "
                    f"the campaign '{campaign.id}' ({campaign.date})",
                    found=fact.as_of.isoformat(), expected=f"{oldest.isoformat()} or later", fact=fact.id,
                    hint="confirm the figure and update 'as_of', or set 'max_fact_age' in the campaign"))
        for number, block in enumerate(rendered.letter.body, start=1):
            passage = Passage(block.text, number)
            for finding in auditor.passage(rendered.template_file, passage, rendered.letter.language,
                                           kinds=("list-count",)):
                findings.append(Finding(
                    rendered.template_file, None, finding.kind, finding.severity,
                    f"letter '{spec.id}', paragraph {number}: {finding.message}", quote=finding.quote,
                    found=finding.found, expected=finding.expected, fact=finding.fact, hint=finding.hint))
    return findings


def _term(workspace: Workspace, campaign: Campaign, spec) -> list[Finding]:
    recipient = workspace.recipients.get(spec.recipient)
    if not recipient or not recipient.term:
        return []
    term, day = recipient.term, campaign.date
    who = f"{recipient.holder} ({recipient.office})"
    span = f"{term.start} to {term.end or 'open-ended'}"
    if not term.covers(day):
        return [Finding(
            spec.where.file, spec.where.line, "term-of-office", "error",
            f"letter '{spec.id}': the term of {who} runs from {span}, which does not cover the "
            f"campaign date {day}", found=day.isoformat(), expected=span, source=str(recipient.where),
            hint=f"update holder and term in {recipient.where.file} to whoever holds the office on {day}")]
    if term.end and (term.end - day).days <= TERM_WARNING_DAYS:
        days = (term.end - day).days
        return [Finding(
            spec.where.file, spec.where.line, "term-of-office", "warning",
            f"letter '{spec.id}': the term of {who} ends on {term.end}, {days} day{'s' if days != 1 else ''} "
            f"after the campaign date {day}", found=day.isoformat(), expected=span,
            source=str(recipient.where),
            hint=f"send the letter before {term.end}, or address the next holder")]
    return []


def check_folder(root: Path, campaign_paths: list[Path] | None = None) -> CheckResult:
    """Check the workspace at `root`: a workspace that does not load is reported as findings."""
    try:
        workspace = load_workspace(root)
    except WorkspaceError as exc:
        return CheckResult(tuple(from_problem(p, "workspace") for p in exc.problems), 1)
    return check(workspace, campaign_paths)


def check(workspace: Workspace, campaign_paths: list[Path] | None = None) -> CheckResult:
    """Check a loaded workspace and the given campaigns (default: every campaign)."""
    root = workspace.root
    auditor = Auditor(workspace)
    findings, files = check_templates(workspace, auditor)
    findings.extend(check_facts(workspace))
    every = workspace.campaign_files()
    chosen = campaign_paths if campaign_paths else every
    cited: set[str] = set()
    for path in chosen:
        try:
            campaign = load_campaign(workspace, path)
        except WorkspaceError as exc:
            findings.extend(from_problem(p, "campaign") for p in exc.problems)
            continue
        findings.extend(check_campaign(workspace, campaign, auditor, cited))
    complete = not any(f.kind in ("template", "campaign") for f in findings)
    for path in every:
        if path in chosen:
            continue
        try:
            complete = _cite_all(workspace, load_campaign(workspace, path), cited) and complete
        except WorkspaceError:
            complete = False
    if complete:  # a letter that failed might cite any fact
        findings.extend(_unused(workspace, cited))
    folders = ("facts", "people", "recipients")
    files += len(chosen) + sum(len(list((root / d).glob("*.yaml"))) for d in folders)
    return CheckResult(tuple(sorted(findings, key=sort_key)), files)


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


def _unused(workspace: Workspace, cited: set[str]) -> list[Finding]:
    return [Finding(fact.where.file, fact.where.line, "unused-fact", "warning",
                    f"no letter cites fact '{fid}'", fact=fid,
                    hint="cite it with fact(...) in a template, or remove it")
            for fid, fact in sorted(workspace.facts.items()) if fid not in cited]
