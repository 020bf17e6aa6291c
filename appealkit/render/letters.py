"""Render a campaign letter: sandboxed Jinja → Markdown → `Letter`, recording every fact cited.

Templates are data, not code: one sandboxed environment with StrictUndefined, so a
typo is an error naming the template line, never an empty string in a letter sent
to a minister. Values printed with ``{{ }}`` are escaped for Markdown, so text from
YAML can never turn into formatting or markup.
"""

from __future__ import annotations

import datetime
import re
import traceback
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from appealkit.errors import AppealkitError, TemplateError
from appealkit.render import letter_frame
from appealkit.render.document import Letter, fact_mark, parse_body, strip_marks
from appealkit.render.sandbox import HardenedSandbox, LimitError, TemplatesLoader
from appealkit.render.typography import typeset_letter
from appealkit.rules.language import Language as _Language
from appealkit.rules.language import MissingTranslation, letter_language
from appealkit.source import template_files as template_versions
from appealkit.source.records import Campaign, Fact, LetterSpec, Person, Recipient, Workspace
from appealkit.source.template_sources import DEFAULT_LAYOUT_DIR, LAYOUT
from appealkit.source.translations import campaign_words, fact_noun, fact_text, person_words, recipient_words
from appealkit.source.yamlsource import suggest

__all__ = ["DEFAULT_LAYOUT_DIR", "LAYOUT", "RenderedLetter", "make_environment", "render_letter"]


_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark, which CommonMark then shows literally."""
    return _MD_PUNCTUATION.sub(r"\\\1", text)


class Cited(str):
    """Text that carries a fact's value; `mark` locates it in the rendered Markdown."""

    mark: int | None = None

    @classmethod
    def of(cls, text: str, mark: int | None) -> Cited:
        result = cls(text)
        result.mark = mark
        return result


class MarkdownText(str):
    """Text the template explicitly wants read as Markdown (the `markdown` filter)."""


@jinja2.pass_eval_context
def _finalize(eval_ctx, value: Any) -> Any:
    if eval_ctx.autoescape:
        return strip_marks(str(value)) if isinstance(value, FactView | Cited) else value
    if isinstance(value, MarkdownText):
        return str(value)
    rendered = value if isinstance(value, str) else str(value)
    escaped = escape_markdown(rendered)
    if isinstance(rendered, Cited) and rendered.mark is not None:
        return fact_mark(rendered.mark, escaped)
    return escaped


def make_environment(root: Path) -> SandboxedEnvironment:
    """The one environment for every template of a workspace: bodies, snippets and the layout."""
    loader = jinja2.ChoiceLoader([
        TemplatesLoader(root / "templates"),
        jinja2.PrefixLoader({"layout": jinja2.FileSystemLoader(str(DEFAULT_LAYOUT_DIR))}),
    ])
    env = _Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default_for_string=False),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.root = root
    env.versions = {}
    env.filters["markdown"] = MarkdownText
    env.filters["date"] = _date_filter
    return env


class _Environment(HardenedSandbox):
    """Includes load the version of a snippet in the language of the file that includes them.

    Which file a name stands for is looked up once per environment, as Jinja keeps compiled
    templates (`auto_reload=False`): an environment sees one state of templates/.
    """

    root: Path
    versions: dict[tuple[str, str, bool], str]

    def join_path(self, template: str, parent: str) -> str:
        return self.version(template, parent, include=True)

    def version(self, template: str, language_or_parent: str, include: bool = False) -> str:
        """`template_files.resolve` for a language, or `include_name` for an include from a parent."""
        key = (template, language_or_parent, include)
        if key not in self.versions:
            find = template_versions.include_name if include else template_versions.resolve
            self.versions[key] = find(self.root, template, language_or_parent)
        return self.versions[key]


@jinja2.pass_context
def _date_filter(context, value: datetime.date) -> str:
    return _Language(context["letter"]["language"]).date(value)


@dataclass(frozen=True)
class Citation:
    """One fact as it landed in a letter: what was cited and in which body blocks (1-based)."""

    fact: str
    value: int | Decimal | str
    as_of: datetime.date
    members: tuple[str, ...] | None = None
    blocks: tuple[int, ...] = ()
    qualifier: str = "exact"


@dataclass(frozen=True)
class RenderedLetter:
    spec: LetterSpec
    letter: Letter
    markdown: str
    citations: tuple[Citation, ...]
    template_file: str


class _Recorder:
    """Collects the facts a render touches, in order; a fact's index is its mark."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.facts: dict[str, Fact] = {}

    def add(self, cited_id: str, fact: Fact) -> int:
        self.ids.append(cited_id)
        self.facts.setdefault(cited_id, fact)
        return len(self.ids) - 1


class PersonView:
    """What a template sees of a person: prints as the canonical name."""

    def __init__(self, person: Person, language: _Language | None = None):
        self._person = person
        self._language = language or _Language("en")
        self.id = person.id
        self.name = person_words(person, self._language, "name", required=False)
        self.kind = person.kind

    @property
    def long_name(self) -> str:
        return person_words(self._person, self._language, "long_name")

    @property
    def description(self) -> str:
        return person_words(self._person, self._language, "description")

    def __str__(self) -> str:
        return self.name


class FactView:
    """What a template sees of a fact: prints as "about 400 political prisoners"."""

    def __init__(self, fact: Fact, cited_id: str, language: _Language, recorder: _Recorder,
                 people: dict[str, Person], words: bool = False):
        self._fact = fact
        self._language = language
        self._people = people
        self._recorder = recorder
        self._words = words
        self._mark = recorder.add(cited_id, fact)
        self._cited_id = cited_id
        self.id = cited_id
        self.value = fact.value
        self.qualifier = fact.qualifier
        self.as_of = fact.as_of
        self.members = [PersonView(people[m], language) for m in fact.members or ()]
        self.parts = _Parts(self)

    @property
    def noun(self) -> str:
        return fact_noun(self._fact, self._language)

    def _cited(self, text: str) -> Cited:
        return Cited.of(text, self._mark)

    def _part(self, name: str, words: bool = False) -> FactView:
        return FactView(self._fact.parts[name], f"{self._cited_id}.{name}", self._language,
                        self._recorder, self._people, words)

    def part(self, name: str, words: bool = False) -> FactView:
        if name not in self._fact.parts:
            raise UnknownName("part", f"{self._cited_id}.{name}",
                              f"parts of '{self._cited_id}': {', '.join(self._fact.parts) or 'none'}")
        return self._part(name, words)

    @property
    def number(self) -> Cited:
        fact = self._fact
        value = fact.numeric
        if value is None:
            return self._cited(fact_text(fact, self._language))
        style = "words" if self._words else fact.format
        return self._cited(self._language.number(value, style))

    @property
    def figure(self) -> Cited:
        fact = self._fact
        return self._cited(self._language.figure(
            fact.qualifier, fact.numeric, str(self.number)))

    @property
    def names(self) -> Cited:
        return self._cited(self._language.join([p.name for p in self.members]))

    @property
    def capitalized(self) -> Cited:
        """The whole citation with a capital first letter, for the start of a sentence."""
        return self._cited(self._language.capitalize(str(self)))

    def __str__(self) -> str:
        compact = self._fact.format == "compact" and not self._words
        return self._cited(self._language.counted(str(self.figure), self.noun, compact))


class _Parts:
    """`fact("x").parts.women`: a part is cited only when a template asks for it."""

    def __init__(self, view: FactView):
        self._view = view

    def __getitem__(self, name: str) -> FactView:
        return self._view.part(name)


class UnknownName(Exception):
    """A template named a fact, person or part that the workspace does not define."""

    def __init__(self, kind: str, name: str, hint: str):
        super().__init__(f"unknown {kind} '{name}'")
        self.hint = hint or {"fact": "facts are defined in facts/*.yaml",
                             "person": "people are defined in people/*.yaml"}.get(kind, "")


def _template_location(exc: BaseException, root: Path) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error: Jinja rewrites frames to template lines."""
    templates = (root / "templates").resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".md", ".html", ".htm", ".txt") and path.exists():
            try:
                return path.resolve().relative_to(root.resolve()).as_posix(), frame.lineno
            except ValueError:
                return (path.name if not path.resolve().is_relative_to(templates) else str(path),
                        frame.lineno)
    return "", None


def template_error(exc: BaseException, root: Path, fallback: str) -> TemplateError:
    """Turn any exception raised while loading or rendering a template into a one-line error."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        source = Path(exc.filename)
        shown = source.resolve().relative_to(root.resolve()).as_posix() if source.resolve().is_relative_to(
            root.resolve()) else exc.name or str(source)
        return TemplateError.at(shown, exc.lineno, f"template syntax: {exc.message}",
                                "fix the {{ }} or {% %} tag on this line")
    file, line = _template_location(exc, root)
    file = file or fallback
    if isinstance(exc, UnknownName | MissingTranslation):
        return TemplateError.at(file, line, str(exc), exc.hint)
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError.at(file, line, exc.message or "undefined value",
                                "check the spelling; templates see fact(), person(), recipient, "
                                "campaign and letter")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError.at(file, line, f"template '{exc.name}' not found in templates/",
                                "check the name in {% include %}")
    if isinstance(exc, LimitError):
        return TemplateError.at(file, line, f"too large for a template: {exc}",
                                "a letter needs no text, number or loop this large")
    if isinstance(exc, SecurityError):
        return TemplateError.at(file, line, f"not allowed in a template: {exc}",
                                "templates may only print facts, people and the letter's variables")
    if isinstance(exc, AppealkitError):
        return TemplateError(exc.problems)
    return TemplateError.at(file, line, f"{type(exc).__name__}: {exc}", "fix the expression on this line")


def _context(workspace: Workspace, campaign: Campaign, spec: LetterSpec, recipient: Recipient,
             language: _Language, recorder: _Recorder, subject: str, place: str = "") -> dict[str, Any]:
    people = workspace.people

    def fact(fact_id: str, words: bool = False) -> FactView:
        if fact_id not in workspace.facts:
            raise UnknownName("fact", fact_id, suggest(fact_id, workspace.facts))
        return FactView(workspace.facts[fact_id], fact_id, language, recorder, people, words)

    def person(person_id: str) -> PersonView:
        if person_id not in people:
            raise UnknownName("person", person_id, suggest(person_id, people))
        return PersonView(people[person_id], language)

    return {
        "fact": fact,
        "person": person,
        "recipient": recipient,
        "campaign": {
            "id": campaign.id, "title": campaign.title, "date": campaign.date,
            "place": place or campaign.place,
            "organisation": PersonView(people[campaign.organisation], language),
        },
        "letter": {"id": spec.id, "subject": subject, "language": language.code},
    }


def render_letter(workspace: Workspace, campaign: Campaign, spec: LetterSpec,
                  env: jinja2.Environment | None = None) -> RenderedLetter:
    """Render one letter of a campaign to a `Letter`, or raise a `TemplateError` with file and line."""
    env = env or make_environment(workspace.root)
    recipient = workspace.recipients[spec.recipient]
    recorder = _Recorder()
    language, frame, addressed, template_name, marked = _render(workspace, campaign, spec, spec.template,
                                                                env, recorder)
    template_file = f"templates/{template_name}"
    body = parse_body(marked, recorder.ids)
    organisation = workspace.people[campaign.organisation]
    letter = Letter(
        id=spec.id,
        language=language.language,
        date=campaign.date,
        sender=tuple(x for x in (organisation.name, person_words(organisation, language, "long_name", False),
                                 *frame.sender, *letter_frame.contact_lines(organisation)) if x),
        place_date=language.place_date(frame.place, campaign.date),
        recipient=letter_frame.address_block(language.language, recipient, addressed.office,
                                             addressed.address, organisation.address),
        addressee=letter_frame.addressee(recipient, addressed.office),
        layout=recipient.layout or campaign.layout,
        return_line=(letter_frame.return_line(organisation)
                     if (recipient.layout or campaign.layout).startswith("din") else ""),
        logo=letter_frame.logo(workspace.root, organisation),
        colour=organisation.colour,
        subject=spec.subject or frame.subject,
        subject_label=letter_frame.subject_label(language.language, spec.subject or frame.subject),
        salutation=addressed.salutation,
        body=body,
        # a French closing repeats the salutation: "Veuillez agréer, Monsieur le Ministre, …"
        closing=frame.closing.replace("{salutation}", addressed.salutation.rstrip(" ,")),
        signatures=tuple(letter_frame.signature(workspace.root, s, template_file) for s in frame.signatories),
        author=organisation.name,
        references=letter_frame.reference_lines(language.language, spec.reference or campaign.reference,
                                   spec.their_reference),
    )
    letter = typeset_letter(letter)
    return RenderedLetter(spec, letter, strip_marks(marked), _citations(recorder, body), template_file)


def render_text(workspace: Workspace, campaign: Campaign, spec: LetterSpec, template: str,
                env: jinja2.Environment | None = None) -> str:
    """Another template (an e-mail's cover text) rendered as Markdown in a letter's context and language."""
    env = env or make_environment(workspace.root)
    *_, marked = _render(workspace, campaign, spec, template, env, _Recorder())
    return strip_marks(marked)


def _render(workspace: Workspace, campaign: Campaign, spec: LetterSpec, template: str,
            env: jinja2.Environment, recorder: _Recorder):
    """Render `template` in the version for the letter's language, with the letter's variables."""
    recipient = workspace.recipients[spec.recipient]
    language = _Language(letter_language(spec.language, campaign.language, recipient.language))
    template_file = f"templates/{template}"
    try:
        frame = campaign_words(campaign, language)
        addressed = recipient_words(recipient, language)
        template_name = (env.version(template, language.code) if isinstance(env, _Environment)
                         else template_versions.resolve(workspace.root, template, language.code))
    except MissingTranslation as exc:  # load_campaign reports these first; a Python caller may skip it
        raise TemplateError.at(template_file, None, str(exc), exc.hint) from None
    subject = spec.subject or frame.subject
    template_file = f"templates/{template_name}"
    local_recipient = replace(recipient, salutation=addressed.salutation, office=addressed.office,
                              institution=addressed.institution, address=addressed.address)
    try:
        marked = env.get_template(template_name).render(_context(
            workspace, campaign, spec, local_recipient, language, recorder, subject, frame.place))
    except Exception as exc:  # every template failure becomes one line naming file and line
        raise template_error(exc, workspace.root, template_file) from None
    return language, frame, addressed, template_name, marked


def _citations(recorder: _Recorder, body) -> tuple[Citation, ...]:
    landed: dict[str, set[int]] = {}
    for number, block in enumerate(body, start=1):
        for run in block.runs:
            if run.fact:
                landed.setdefault(run.fact, set()).add(number)
    return tuple(
        Citation(fact_id, fact.value, fact.as_of, fact.members, tuple(sorted(landed.get(fact_id, ()))),
                 fact.qualifier)
        for fact_id, fact in recorder.facts.items()
    )


def cite(workspace: Workspace, cited_id: str, language: str = "en") -> str:
    """A fact (or `fact.part`) as a letter in `language` would cite it, for tables and reports."""
    fact_id, _, part = cited_id.partition(".")
    view = FactView(workspace.facts[fact_id], fact_id, _Language(language), _Recorder(), workspace.people)
    return str(view.part(part) if part else view)
