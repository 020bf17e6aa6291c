"""Which template file a letter in a given language uses, and the campaign checks that follow.

For language L and a template named ``appeal.md`` the rule is, in order:
``appeal.L.md`` beside it, else ``L/appeal.md``, else ``appeal.md`` itself only when that
file is written in L (English unless its first line says ``{# language: de #}``). Anything
else is an error, never a silent fallback to another language. Includes follow the same
rule with the language of the file that includes them.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from appealkit.errors import Problem
from appealkit.rules.language import (
    DEFAULT_LANGUAGE,
    Language,
    MissingTranslation,
    base_language,
    is_known,
    language_name,
    letter_language,
    looks_like_language,
)
from appealkit.source.parse_cache import parsed
from appealkit.source.paths import template_file
from appealkit.source.translations import campaign_words, recipient_words

if TYPE_CHECKING:
    from appealkit.source.records import Campaign, Workspace

_DECLARED = re.compile(r"\A\{#-?\s*language:\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)")


def name_language(name: str) -> str | None:
    """The language a template's name marks (`appeal.de.md`, `de/appeal.md`), or None."""
    return _split_name(name)[0]


def file_language(root: Path, name: str) -> str:
    """The language a template is written in: marked by its name, declared on line 1, else English."""
    marked = name_language(name)
    if marked:
        return marked
    path = template_file(root, name)
    if path:
        with path.open(encoding="utf-8", errors="replace") as handle:
            found = _DECLARED.match(handle.read(200))
        if found:
            return found.group(1)
    return DEFAULT_LANGUAGE


def base_name(name: str) -> str:
    """The name a campaign uses for a template in every language: `appeal.de.md` and `de/appeal.md`
    are both versions of `appeal.md`."""
    return _split_name(name)[1]


def _split_name(name: str) -> tuple[str | None, str]:
    """The language a template's name marks (or None) and the name without that mark."""
    path = PurePosixPath(name)
    suffixes = path.name.split(".")
    if len(suffixes) >= 3 and looks_like_language(suffixes[-2]):
        return suffixes[-2], str(path.with_name(".".join([*suffixes[:-2], suffixes[-1]])))
    if len(path.parts) > 1 and looks_like_language(path.parts[0]):
        return path.parts[0], str(PurePosixPath(*path.parts[1:]))
    return None, name


def exists(root: Path, name: str, names: list[str]) -> bool:
    """Whether `name` exists as a plain file or in some language (`names`: every template there is)."""
    base = base_name(name)
    return bool(template_file(root, name)) or any(base_name(n) == base for n in names)


def versions(name: str, language: str) -> list[str]:
    """The file names tried for `name` in `language`, in order."""
    path = PurePosixPath(base_name(name))
    return [str(path.with_name(f"{path.stem}.{language}{path.suffix}")), f"{language}/{path}", str(path)]


def resolve(root: Path, name: str, language: str) -> str:
    """The template file for `name` in `language`; raises `MissingTranslation` when there is none.

    A name that marks a language itself (`appeal.de.md`) stands for its base name in any
    other language, so the hint always leads to a file the rule finds.
    """
    if name_language(name) == language and template_file(root, name):
        return name
    *localised, plain = versions(name, language)
    if plain != name and template_file(root, name) and not template_file(root, plain):
        plain = name  # `appeal.de.md` asked for in English: the error below names what to add
    for candidate in localised:
        if template_file(root, candidate):
            return candidate
    if not template_file(root, plain) and not _in_some_language(root, plain):
        return plain  # a file missing in every language is Jinja's "not found", reported as usual
    if template_file(root, plain) and base_language(file_language(root, plain)) == base_language(language):
        return plain
    raise MissingTranslation(f"template '{base_name(name)}' has no {language_name(language)} version",
                             f"add templates/{localised[0]}")


def _in_some_language(root: Path, name: str) -> bool:
    """Whether some language version of `name` exists (only asked when a letter's own version is missing)."""
    folder = root / "templates"
    names = (p.relative_to(folder).as_posix() for p in folder.rglob(f"*{PurePosixPath(name).suffix}"))
    return folder.is_dir() and any(base_name(n) == name and template_file(root, n) for n in names)


def include_name(root: Path, template: str, parent: str | None) -> str:
    """What `{% include template %}` loads from `parent`: the version in the parent's language."""
    if not parent or parent.startswith("layout/") or template.startswith("layout/"):
        return template
    return resolve(root, template, file_language(root, parent))


def _includes(root: Path, name: str) -> list[tuple[str, int]]:
    """The names and lines of the constant `{% include %}`s of a template (syntax errors are left to
    rendering, which reports them with their line); kept in the parse cache by the template's bytes."""
    path = template_file(root, name)
    if path is None:
        return []
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if b"include" not in raw:  # no include tag without the word: nothing to parse
        return []
    return parsed(root, "includes", raw, lambda: _parse_includes(raw), _encode_includes, _decode_includes)


def _parse_includes(raw: bytes) -> list[tuple[str, int]]:
    import jinja2  # only for a template not parsed before
    from jinja2 import nodes

    try:
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
        tree = jinja2.Environment().parse(text)
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return []
    return [(node.template.value, node.lineno) for node in tree.find_all(nodes.Include)
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str)]


def _encode_includes(found: list[tuple[str, int]]) -> list[list[Any]]:
    return [[name, line] for name, line in found]


def _decode_includes(data: Any) -> list[tuple[str, int]]:
    found = [(name, line) for name, line in data]
    if not all(isinstance(name, str) and type(line) is int for name, line in found):
        raise ValueError("not the includes of a template")
    return found


def _check_template(root: Path, name: str, language: str, line: int | None, file: str,
                    problems: list[Problem]) -> None:
    pending: list[tuple[str, tuple[str, int] | None]] = [(name, None)]
    seen: set[str] = set()
    while pending:
        wanted, parent_at = pending.pop(0)
        try:
            found = resolve(root, wanted, language) if parent_at is None else include_name(
                root, wanted, parent_at[0])
        except MissingTranslation as exc:
            where = f"; included at templates/{parent_at[0]}:{parent_at[1]}" if parent_at else ""
            problems.append(Problem(file, line, str(exc), f"{exc.hint}{where}"))
            continue
        if found in seen:
            continue
        seen.add(found)
        pending.extend((child, (found, child_line)) for child, child_line in _includes(root, found))


def check_campaign_languages(workspace: Workspace, campaign: Campaign) -> list[Problem]:
    """Before any rendering: every letter's language is known, and has a template version,
    a salutation and a closing."""
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for spec in campaign.letters:
        recipient = workspace.recipients.get(spec.recipient)
        if recipient is None or not spec.template:
            continue
        code = letter_language(spec.language, campaign.language, recipient.language)
        file, line = spec.where.file, spec.where.line
        if not is_known(code):
            problems.append(Problem(file, line, f"unknown language '{code}'",
                                    "use a language code such as en, de, fr or az"))
            continue
        if (spec.template, code) not in reported:
            reported.add((spec.template, code))
            _check_template(workspace.root, spec.template, code, line, file, problems)
        language = Language(code)
        try:
            recipient_words(recipient, language)
        except MissingTranslation as exc:
            if (recipient.id, code) not in reported:
                reported.add((recipient.id, code))
                problems.append(Problem(recipient.where.file, recipient.where.line, str(exc), exc.hint))
        try:
            frame = campaign_words(campaign, language)
        except MissingTranslation as exc:
            if ("closing", code) not in reported:
                reported.add(("closing", code))
                problems.append(Problem(campaign.where.file, campaign.where.line, str(exc), exc.hint))
            continue
        if campaign.subject and not spec.subject and not frame.subject and ("subject", code) not in reported:
            reported.add(("subject", code))
            problems.append(Problem(
                campaign.where.file, campaign.where.line, f"the campaign has no subject in {language.name}",
                f"add 'translations: {{{code}: {{subject: ...}}}}' to {campaign.where}"))
    return problems
