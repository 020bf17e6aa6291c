"""Load one campaign and check that everything it names exists in the workspace."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from appealkit.errors import Problem, UsageError, WorkspaceError
from appealkit.rules.language import (
    CLOSINGS,
    base_language,
    campaign_language,
    language_name,
    letter_language,
)
from appealkit.source import template_files
from appealkit.source.paths import inside_templates, shown_path, template_file, template_names
from appealkit.source.records import (
    ATTACHMENT_FIELDS,
    DEFAULT_ATTACHMENT_NAME,
    DEFAULT_CLOSING,
    DEFAULT_MAX_FACT_AGE,
    LETTER_LAYOUTS,
    Campaign,
    LetterSpec,
    Signatory,
    Where,
    Workspace,
)
from appealkit.source.safe_names import check_file_name, name_problem
from appealkit.source.template_images import image_problem
from appealkit.source.translations import CampaignWords, parse_translations
from appealkit.source.workspace import age
from appealkit.source.yamlsource import (
    Fields,
    date,
    email,
    ident,
    load_yaml,
    one_of,
    suggest,
    text,
    text_list,
)


def resolve_campaign_path(root: Path, name: str | Path) -> Path:
    """A campaign named on the command line: as given, else inside the workspace, else campaigns/."""
    candidates = [Path(name), root / name, root / "campaigns" / name, root / "campaigns" / f"{name}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise WorkspaceError.at(str(name), None, "no such campaign file",
                            f"campaigns here: {', '.join(campaign_names(root)) or 'none'}")


def campaign_names(root: Path) -> list[str]:
    """The ids of the campaign files in campaigns/, for the messages that list them."""
    return [p.stem for p in sorted((Path(root) / "campaigns").glob("*.yaml"))]


def named_campaign_path(root: Path, name: str | Path | None) -> Path | None:
    """The campaign named, else the default campaign of `appealkit.yaml`; None when neither says."""
    if name:
        return resolve_campaign_path(root, name)
    from appealkit.source.settings import load_settings

    default = load_settings(root).defaults.campaign
    return resolve_campaign_path(root, default) if default else None


def chosen_campaign_path(root: Path, name: str | Path | None) -> Path:
    """The campaign a command works on: the one named, else the settings' default campaign, else
    the only campaign of the workspace; with several and no default, every one is listed."""
    named = named_campaign_path(root, name)
    if named is not None:
        return named
    names = campaign_names(root)
    if len(names) == 1:
        return Path(root) / "campaigns" / f"{names[0]}.yaml"
    if not names:
        raise UsageError.at("campaigns/", None, "no campaign in this workspace",
                            "add one to campaigns/; appealkit init makes a workspace with an example")
    raise UsageError.at("campaigns/", None, f"which campaign? this workspace has {len(names)}: "
                        f"{', '.join(names)}",
                        "name one, or set 'campaign:' under 'defaults:' in appealkit.yaml")


def campaign_id_of(workspace: Workspace, name: str) -> str:
    """The id of a campaign given as a file or an id. An id no file has today is kept as it is:
    a log may hold campaigns whose file was removed since."""
    if not name.endswith(".yaml") and "/" not in name:
        return name
    return load_campaign_file(workspace, resolve_campaign_path(workspace.root, name)).id


def load_campaign_file(workspace: Workspace, path: Path) -> Campaign:
    """Load one campaign and check that everything it names exists in the workspace."""
    root = workspace.root
    shown = shown_path(root, path)
    data = load_yaml(path, shown, root)
    problems: list[Problem] = []
    unseen = name_problem(path.name)
    if unseen:
        raise WorkspaceError(Problem(shown, None, f"file name: {unseen}",
                                     "rename the file with visible characters"))
    f = Fields(data, shown, problems, "the campaign")
    if not f.ok:
        raise WorkspaceError(problems)
    organisation = f.get("organisation", ident, required=True)
    if organisation and organisation not in workspace.people:
        f.error(f.line_of("organisation"), f"unknown organisation '{organisation}'",
                suggest(organisation, workspace.people) or "add it to people/ with kind: organisation")
    signatories = []
    raw_signatories = f.raw("signatories") or []
    if not isinstance(raw_signatories, list):
        f.error(f.line_of("signatories"), "'signatories' must be a list of 'name:' and 'role:' entries")
        raw_signatories = []
    for item in raw_signatories:
        sf = Fields(item, shown, problems, "a signatory", f.line_of("signatories"))
        if sf.ok:
            image = sf.get("image", text, default="")
            problem = signature_image_problem(root, image) if image else None
            if problem:
                sf.error(sf.line_of("image"), *problem)
            signatories.append(Signatory(sf.get("name", text, required=True) or "",
                                         sf.get("role", text, default=""), image))
            sf.done()
    letters = []
    raw_letters = f.raw("letters")
    if not isinstance(raw_letters, list) or not raw_letters:
        f.error(f.line_of("letters") if f.has("letters") else f.line,
                "the campaign needs 'letters:', a list of 'template:' and 'recipient:' entries")
        raw_letters = []
    seen: dict[str, int] = {}
    names = template_names(root)
    own_language = f.get("language", text, default="")
    for item, line in zip(raw_letters, getattr(raw_letters, "item_lines", []), strict=False):
        lf = Fields(item, shown, problems, "a letter", line)
        if not lf.ok:
            continue
        template = lf.get("template", text, required=True)
        languages = lf.get("languages", text_list) or (lf.get("language", text, default=""),)
        if template and name_problem(template):
            lf.error(lf.line_of("template"), f"template name: {name_problem(template)}",
                     "rename the template with visible characters")
            template = None
        elif template and not inside_templates(root, template):
            lf.error(lf.line_of("template"), f"template '{template}' is outside templates/",
                     "name a file under templates/, without '..'")
            template = None
        elif template and not template_files.exists(root, template, names):
            lf.error(lf.line_of("template"), f"template '{template}' not found in templates/",
                     suggest(template, {template_files.base_name(n) for n in names}) or "check the file name")
        recipients = _letter_recipients(lf, workspace)
        if lf.has("languages") and lf.has("language"):
            lf.error(lf.line_of("language"), "give either 'language' or 'languages', not both")
        explicit_id = lf.get("id", ident)
        if explicit_id and len(recipients) * len(languages) > 1:
            lf.error(lf.line_of("id"), "'id' names one letter, but this entry makes several",
                     "remove 'id': each letter is named <template>--<recipient>")
        subject = lf.get("subject", text, default="")
        reference = lf.get("reference", text, default="")
        their_reference = lf.get("their_reference", text, default="")
        subjects = parse_translations(lf, CampaignWords, {"subject": text})
        lf.done()
        for recipient in recipients:
            for language in languages:
                subject_in = _subject_in(language, subject, subjects, own_language, workspace, recipient, lf)
                suffix = f"--{language}" if len(languages) > 1 else ""
                stem = Path(template_files.base_name(template or "")).stem
                letter_id = explicit_id or f"{stem}--{recipient}{suffix}"
                if template:
                    try:
                        check_file_name(letter_id)
                    except ValueError as exc:
                        lf.error(lf.line_of("id" if explicit_id else "template"), f"letter id {exc}",
                                 "rename the template or give the letter an 'id:'")
                        continue
                if letter_id in seen:
                    lf.error(lf.line, f"letter '{letter_id}' appears twice (first on line {seen[letter_id]})",
                             "give one of them an 'id:'")
                seen[letter_id] = lf.line
                letters.append(LetterSpec(
                    id=letter_id, template=template or "", recipient=recipient, subject=subject_in,
                    language=language, where=Where(shown, lf.line), reference=reference,
                    their_reference=their_reference,
                ))
    campaign = Campaign(
        id=f.get("id", _campaign_id, default=None) or _campaign_id_from(path, f),
        title=f.get("title", text, required=True),
        date=f.get("date", date, required=True),
        place=f.get("place", text, required=True),
        organisation=organisation or "",
        letters=tuple(letters),
        signatories=tuple(signatories),
        sender=f.get("sender", text_list, default=()),
        closing=f.get("closing", text) or CLOSINGS.get(
            campaign_language(own_language), DEFAULT_CLOSING),
        subject=f.get("subject", text, default=""),
        language=own_language,
        letterhead=f.get("letterhead", text, default=""),
        layout=f.get("layout", one_of(*LETTER_LAYOUTS), default="standard"),
        reference=f.get("reference", text, default=""),
        sender_email=f.get("sender_email", email, default=""),
        where=Where(shown, f.line),
        max_fact_age=f.get("max_fact_age", age, default=DEFAULT_MAX_FACT_AGE),
        follow_up_after=f.get("follow_up_after", _days),
        attachment_name=f.get("attachment_name", _attachment_pattern, default=DEFAULT_ATTACHMENT_NAME),
        translations=parse_translations(f, CampaignWords, {
            "subject": text, "closing": text, "place": text, "title": text, "sender": text_list,
            "signatories": _signatory_list}),
    )
    if campaign.letterhead and not inside_templates(root, campaign.letterhead):
        f.error(f.line_of("letterhead"), f"letterhead '{campaign.letterhead}' is outside templates/",
                "put the .docx under templates/ and name it without '..'")
    elif campaign.letterhead and not template_file(root, campaign.letterhead):
        f.error(f.line_of("letterhead"), f"letterhead '{campaign.letterhead}' not found in templates/")
    f.done()
    if not problems:
        problems.extend(template_files.check_campaign_languages(workspace, campaign))
    if problems:
        raise WorkspaceError(problems)
    return campaign


def _signatory_list(value: Any) -> tuple[Signatory, ...]:
    if not isinstance(value, list) or not all(isinstance(item, dict) and "name" in item for item in value):
        raise ValueError("must be a list of 'name:' and 'role:' entries")
    return tuple(Signatory(text(item["name"]), text(item["role"]) if item.get("role") else "",
                           text(item["image"]) if item.get("image") else "")
                 for item in value)


#: A scanned signature is a small picture; anything larger is a mistake (or an attack on memory).
def signature_image_problem(root: Path, name: str) -> tuple[str, str] | None:
    """Why a signature image cannot be used (message, hint), or None when it can."""
    return image_problem(root, name, "signature image", save_as="save the scan as .png or .svg",
                         smaller="scan it at a lower resolution or crop it to the signature")


def _subject_in(language: str, subject: str, subjects: dict[str, CampaignWords], own_code: str,
                workspace: Workspace, recipient: str, lf: Fields) -> str:
    """A letter entry's subject in one of its languages: `subject` is in the campaign's language,
    every other language takes it from the entry's `translations`."""
    code = letter_language(language, own_code, workspace.recipients[recipient].language)
    own = campaign_language(own_code)
    words = subjects.get(code) or subjects.get(base_language(code))
    if words and words.subject:
        return words.subject
    if base_language(code) == own:
        return subject
    if subject:
        lf.error(lf.line_of("subject"), f"the letter's subject has no {language_name(code)} version",
                 f"'subject' is in {language_name(own)}; add 'translations: {{{code}: {{subject: ...}}}}'")
    return ""


def _letter_recipients(lf: Fields, workspace: Workspace) -> tuple[str, ...]:
    """`recipient: id`, or `recipients:` with ids and `group:NAME` entries, in the order given."""
    if lf.has("recipient") == lf.has("recipients"):
        lf.error(lf.line, "a letter needs either 'recipient: ID' or 'recipients: [ID, group:NAME ...]'")
        for key in ("recipient", "recipients"):
            lf.raw(key)
        return ()
    key = "recipient" if lf.has("recipient") else "recipients"
    names = lf.get(key, text_list, default=())
    found: list[str] = []
    for name in names:
        if name.startswith("group:"):
            group = name.removeprefix("group:")
            if group not in workspace.groups:
                lf.error(lf.line_of(key), f"unknown recipient group '{group}'",
                         suggest(group, workspace.groups) or "groups are defined in recipients/groups.yaml")
                continue
            found.extend(workspace.groups[group])
        elif name not in workspace.recipients:
            lf.error(lf.line_of(key), f"unknown recipient '{name}'",
                     suggest(name, workspace.recipients) or "add recipients/<id>.yaml")
        else:
            found.append(name)
    return tuple(dict.fromkeys(found))


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
        raise ValueError("must be a number of days from 1 to 3650")
    return value


def _attachment_pattern(value: Any) -> str:
    """`{date} {organisation} – {office}`: only the fields in ATTACHMENT_FIELDS, in braces."""
    pattern = text(value)
    try:
        names = [name for _, name, spec, conv in string.Formatter().parse(pattern) if name is not None]
        bad = [n for n in names if n not in ATTACHMENT_FIELDS]
    except ValueError:
        bad = ["{"]
    if bad or not names:
        raise ValueError(f"may use only {', '.join('{' + n + '}' for n in ATTACHMENT_FIELDS)}"
                         + (f" (not '{bad[0]}')" if bad and bad[0] != "{" else " in braces"))
    return pattern


def _campaign_id(value: Any) -> str:
    return check_file_name(ident(value))


def _campaign_id_from(path: Path, f: Fields) -> str:
    """The file name as campaign id, when it is safe as a folder name under build/."""
    try:
        return _campaign_id(path.stem)
    except ValueError as exc:
        f.error(f.line, f"file name: campaign id {exc}", "rename the file or add 'id:'")
        return ""

