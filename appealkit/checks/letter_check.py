"""The checks of one letter: what `check` reports about it is what `build` enforces.

`check` and `build` both call the functions here, so a letter `check` rejects is a letter
`build` refuses, with the same one-line messages. The checks come in two parts: those
that need the rendered letter (figures typed into the templates it loads, spellings and
list counts in its text), which `build` caches under the letter's input hash, and the
cheap ones that need only the records (the recipient's term of office, the age of each
fact it cites, a fact's parts and counts), which run on every build.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.checks.findings import Finding, from_problem, sort_key
from appealkit.checks.translation_check import translation_findings
from appealkit.errors import TemplateError
from appealkit.source import paths
from appealkit.source.paths import leads_outside, shown_path
from appealkit.source.records import Campaign, LetterSpec, Workspace
from appealkit.source.regular_files import Untrusted, read_regular
from appealkit.source.safe_names import name_problem
from appealkit.source.template_files import file_language
from appealkit.source.template_sources import MAX_TEMPLATE_BYTES

if TYPE_CHECKING:
    from appealkit.checks.audit import Auditor
    from appealkit.render.letters import RenderedLetter

# The audit machinery (figures, spellings) and the render (Jinja, Markdown) are imported where a
# letter is read or rendered: a build with nothing to do only joins cached findings with the cheap
# record checks, and starts faster.

#: A term ending within this many days after the campaign date is worth a warning.
TERM_WARNING_DAYS = 30
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
LITERAL = re.compile(r"\{#-?\s*literal\s*-?#\}")


@dataclass(frozen=True)
class LetterCheck:
    """What the checks say about one letter, and whether `build` writes it.

    `state` is "refused" (a finding blocks it), "warnings" (it is written, with warnings)
    or "ok". An error blocks unless its kind was allowed for this letter; a warning
    blocks only when `strict`.
    """

    id: str
    findings: tuple[Finding, ...]
    #: the overrides (`KIND:LETTER_ID`) given for this letter
    allowed: frozenset[str] = frozenset()
    strict: bool = False

    def _allows(self, finding: Finding) -> bool:
        return f"{finding.kind}:{self.id}" in self.allowed

    @property
    def blocking(self) -> tuple[Finding, ...]:
        severities = ("error", "warning") if self.strict else ("error",)
        return tuple(f for f in self.findings if f.severity in severities and not self._allows(f))

    @property
    def overridden(self) -> tuple[Finding, ...]:
        """The findings that would block the letter but were allowed."""
        severities = ("error", "warning") if self.strict else ("error",)
        return tuple(f for f in self.findings if f.severity in severities and self._allows(f))

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def state(self) -> str:
        if self.blocking:
            return "refused"
        return "warnings" if self.warnings else "ok"


def prose(source: str) -> str:
    """Template source with every Jinja tag and comment blanked out, lines and columns kept."""
    return _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), source)


def template_findings(workspace: Workspace, name: str, auditor: Auditor) -> list[Finding]:
    """Typed figures and variant spellings in the prose of one template (a name under templates/)."""
    path = workspace.root / "templates" / name
    if path.suffix != ".md":
        return []
    shown = shown_path(workspace.root, path)
    unseen = name_problem(name)
    if unseen:
        return [Finding(shown, None, "template", "error", f"file name: {unseen}",
                        hint="rename the template with visible characters")]
    try:
        if leads_outside(workspace.root, path):
            raise Untrusted("it is a symbolic link to outside the workspace")
        source = read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8")
    except (Untrusted, UnicodeDecodeError) as exc:
        return [Finding(shown, None, "template", "error", "cannot read the template", hint=str(exc))]
    text = prose(source)
    lines = source.splitlines()
    literal = {n for n, line in enumerate(lines, start=1) if LITERAL.search(line)}
    starts = [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) + 1

    from appealkit.checks.figures import find_figures

    findings = []
    for figure in find_figures(text, file_language(workspace.root, name), include_articles=False):
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
            shown, line, "name-variant", "error",
            f"'{hit.found}' is a variant spelling of '{hit.person.name}'",
            quote=lines[line - 1].strip(), found=hit.found, expected=hit.person.name,
            source=str(hit.person.where), hint=f"write {{{{ person(\"{hit.person.id}\") }}}}"))
    return findings


def fact_findings(workspace: Workspace) -> list[Finding]:
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


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """Lower case without a plural ending, so the keywords "prisoner" and "prisoners" meet."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def term_findings(workspace: Workspace, campaign: Campaign, spec: LetterSpec) -> list[Finding]:
    """The recipient's holder must hold the office on the campaign date."""
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


def age_findings(workspace: Workspace, campaign: Campaign, fact_ids: Iterable[str]) -> list[Finding]:
    """Each cited fact older than the campaign's `max_fact_age` before its date."""
    oldest = campaign.max_fact_age.before(campaign.date)
    findings = []
    for fact_id in sorted({cited.partition(".")[0] for cited in fact_ids}):
        fact = workspace.facts.get(fact_id)
        if fact is None or fact.as_of >= oldest:
            continue
        findings.append(Finding(
            fact.where.file, fact.where.line, "fact-age", "error",
            f"fact '{fact.id}' is as of {fact.as_of}, more than {campaign.max_fact_age} before "
            f"the campaign '{campaign.id}' ({campaign.date})",
            found=fact.as_of.isoformat(), expected=f"{oldest.isoformat()} or later", fact=fact.id,
            hint="confirm the figure and update 'as_of', or set 'max_fact_age' in the campaign"))
    return findings


def cited_at(root: Path, templates: Iterable[str], fact_id: str, text: str = "") -> tuple[str, int] | None:
    """The template file and line that cite `fact_id` (`fact("deported")`): of several, the one whose
    own words the paragraph `text` shares most."""
    pattern = re.compile(r"""fact\(\s*["']""" + re.escape(fact_id.partition(".")[0]) + r"""["']""")
    words = set(re.findall(r"\w+", text.lower()))
    best: tuple[int, str, int] | None = None
    for name in templates:
        path = root / "templates" / name
        try:
            if leads_outside(root, path):
                continue
            source = read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        except (Untrusted, UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(source.splitlines(), start=1):
            if pattern.search(line):
                shared = len(words & set(re.findall(r"\w+", prose(line).lower())))
                if best is None or shared > best[0]:
                    best = (shared, shown_path(root, path), number)
    return best[1:] if best else None


def text_findings(auditor: Auditor, rendered: RenderedLetter, from_templates: Iterable[Finding],
                  templates: Iterable[str] = ()) -> list[Finding]:
    """List counts in the letter's paragraphs, and variant spellings that reach its text from
    the records (a text fact, the recipient, the campaign) rather than from a template.

    A list count names the template line that cites the list, and the letter it refuses."""
    from appealkit.read.passages import Passage
    from appealkit.render.document import letter_text

    spec, letter = rendered.spec, rendered.letter
    findings = []
    loaded = [rendered.template_file.removeprefix("templates/"), *sorted(set(templates))]
    for number, block in enumerate(letter.body, start=1):
        for finding in auditor.passage(rendered.template_file, Passage(block.text, number), letter.language,
                                       kinds=("list-count",)):
            where = cited_at(auditor.workspace.root, loaded, finding.fact, block.text)
            findings.append(Finding(
                where[0] if where else rendered.template_file, where[1] if where else None, finding.kind,
                finding.severity, f"letter '{spec.id}', paragraph {number}: {finding.message}",
                quote=finding.quote, found=finding.found, expected=finding.expected, fact=finding.fact,
                hint=f"{finding.hint}; name them all, or say the names are some of them ('including')"))
    typed = {f.found for f in from_templates if f.kind == "name-variant"}
    reported = set()
    for hit in auditor.names.find(letter_text(letter), similar=False):
        if hit.found in typed or hit.found in reported:
            continue
        reported.add(hit.found)
        findings.append(Finding(
            spec.where.file, spec.where.line, "name-variant", "error",
            f"letter '{spec.id}': '{hit.found}' is a variant spelling of '{hit.person.name}'",
            found=hit.found, expected=hit.person.name, source=str(hit.person.where),
            hint="correct it where the letter takes it from: a text fact, the recipient or the campaign"))
    return findings


def rendered_findings(workspace: Workspace, rendered: RenderedLetter, templates: Iterable[str],
                      auditor: Auditor, memo: dict[str, list[Finding]] | None = None) -> list[Finding]:
    """The checks that need the rendered letter and the templates it loaded (`build` caches these)."""
    memo = {} if memo is None else memo
    found: list[Finding] = []
    names = sorted(set(templates))
    for name in names:
        if name not in memo:
            memo[name] = template_findings(workspace, name, auditor)
        found.extend(memo[name])
    return [*found, *text_findings(auditor, rendered, found, names)]


def record_findings(workspace: Workspace, campaign: Campaign, spec: LetterSpec, fact_ids: Iterable[str],
                    facts_checked: list[Finding] | None = None, templates: Iterable[str] = (),
                    translations: dict[str, list[Finding]] | None = None) -> list[Finding]:
    """The checks that need only the records: term of office, fact ages, parts and counts of cited facts,
    and the state of the translations among `templates` (a master may change without the letter's
    inputs changing). `translations`: findings per translation, kept between letters."""
    cited = {c.partition(".")[0] for c in fact_ids}
    checked = fact_findings(workspace) if facts_checked is None else facts_checked
    return [*term_findings(workspace, campaign, spec), *age_findings(workspace, campaign, cited),
            *(f for f in checked if f.fact.partition(".")[0] in cited),
            *translation_findings(workspace, templates, memo=translations)]


def verdict(spec: LetterSpec, findings: Iterable[Finding], allowed: Iterable[str] = (),
            strict: bool = False) -> LetterCheck:
    mine = frozenset(a for a in allowed if a.endswith(f":{spec.id}"))
    unique = tuple(sorted(set(findings), key=sort_key))
    return LetterCheck(spec.id, unique, mine, strict)


def letter_findings(workspace: Workspace, campaign: Campaign, spec: LetterSpec, *,
                    allowed: Iterable[str] = (), strict: bool = False) -> LetterCheck:
    """Every check of one letter, rendering it: what `build` would decide for it now.

    A letter that does not render is refused with its template error as the finding.
    """
    from appealkit.render.letters import make_environment, render_letter
    from appealkit.render.template_log import TemplateLog

    env = make_environment(workspace.root)
    log = TemplateLog(env)
    try:
        rendered = render_letter(workspace, campaign, spec, env)
    except TemplateError as exc:
        return verdict(spec, [from_problem(p, "template") for p in exc.problems], (), strict)
    from appealkit.checks.audit import Auditor

    auditor = Auditor(workspace)
    rendered_templates = log.take()
    findings = [*rendered_findings(workspace, rendered, rendered_templates, auditor),
                *record_findings(workspace, campaign, spec, [c.fact for c in rendered.citations],
                                 templates=rendered_templates)]
    return verdict(spec, findings, allowed, strict)


def as_data(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as JSON-ready records (for the manifest's cache), derived from the dataclass."""
    return [dataclasses.asdict(f) for f in findings]


def from_data(records: Any) -> list[Finding]:
    """Findings back from `as_data`; raises TypeError or KeyError on a record of another shape."""
    names = {f.name for f in dataclasses.fields(Finding)}
    result = []
    for record in records:
        if not isinstance(record, dict) or set(record) - names:
            raise TypeError("not a finding")
        result.append(Finding(**record))
    return result


def template_names(root: Path) -> list[str]:
    """Every Markdown template under templates/, by name, in order."""
    return sorted(paths.template_names(root))
