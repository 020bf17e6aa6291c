"""A record's words in other languages: the `translations:` key of facts, recipients and campaigns.

One shape everywhere: ``translations: {LANG: {key: text, ...}}`` where each key is the
same key the record uses for its own language (``noun``, ``salutation``, ``closing`` …).
A letter that needs words a record does not give in its language is an error naming the
record's file and line: appealkit never falls back to English inside a German letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appealkit.rules.language import (
    CLOSINGS,
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    Language,
    MissingTranslation,
    base_language,
    campaign_language,
    derived_salutation,
    gender_of,
    is_known,
    language_name,
)
from appealkit.source.yamlsource import Check, Fields, key_line

if TYPE_CHECKING:
    from appealkit.source.records import Campaign, Fact, Recipient


@dataclass(frozen=True)
class FactWords:
    """A fact's words in one language: the counted noun, or the text of a text fact."""

    noun: str = ""
    noun_singular: str = ""
    value: str = ""
    keywords: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class PersonWords:
    """How a letter in another language names an organisation and describes a person or organisation.

    A person's name is spelled one way in every language; an organisation's name may be translated.
    """

    name: str = ""
    long_name: str = ""
    description: str = ""
    line: int | None = None


@dataclass(frozen=True)
class RecipientWords:
    salutation: str = ""
    office: str = ""
    institution: str = ""
    address: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class CampaignWords:
    """A campaign's frame in one language; `signatories` holds `Signatory` records."""

    subject: str = ""
    closing: str = ""
    place: str = ""
    title: str = ""
    sender: tuple[str, ...] = ()
    signatories: tuple[Any, ...] = ()
    line: int | None = None


def parse_translations(f: Fields, make: type, checks: dict[str, Check]) -> dict[str, Any]:
    """Read `translations:` of the record `f` reads: language code → `make(**fields)`."""
    raw = f.raw("translations")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        f.error(f.line_of("translations"), "'translations' must map language codes to their words",
                "for example  translations: {de: {" + next(iter(checks)) + ": ...}}")
        return {}
    result: dict[str, Any] = {}
    for code, data in raw.items():
        line = key_line(raw, code)
        if not is_known(code):
            f.error(line, f"unknown language '{code}' in 'translations'", "use a code such as de, fr or az")
            continue
        tf = Fields(data, f.file, f.problems, f"the {language_name(code)} translation of {f.what}", line or 0)
        if not tf.ok:
            continue
        values = {key: tf.get(key, check) for key, check in checks.items()}
        tf.done()
        result[code] = make(**{k: v for k, v in values.items() if v is not None}, line=line)
    return result


def _where(record: Any) -> str:
    return str(record.where)


def _words(translations: dict[str, Any], language: Language) -> Any:
    return translations.get(language.code) or translations.get(language.language)


def fact_noun(fact: Fact, language: Language) -> str:
    """The noun that follows the fact's figure in `language`, in the right grammatical number."""
    if not fact.noun:
        return ""
    if language.language == DEFAULT_LANGUAGE and language.code not in fact.translations:
        plural, singular = fact.noun, fact.noun_singular
    else:
        words = _words(fact.translations, language)
        if words is None or not (words.noun or words.noun_singular):
            raise MissingTranslation(
                f"fact '{fact.id}' has no {language.name} noun",
                f"add 'translations: {{{language.code}: {{noun: ..., noun_singular: ...}}}}' "
                f"to {_where(fact)}")
        plural, singular = words.noun, words.noun_singular
    if fact.is_number and language.plural_category(fact.value) == "one":
        return singular or plural
    return plural or singular


def person_words(person: Any, language: Language, key: str, required: bool = True) -> str:
    """A person's `name`, `long_name` or `description` in `language`; the default language's text when
    `required` is false and there is no translation (names, and a letterhead's registered name)."""
    own = getattr(person, key)
    if not own or (language.language == DEFAULT_LANGUAGE and language.code not in person.translations):
        return own
    words = _words(person.translations, language)
    if words is not None and getattr(words, key):
        return getattr(words, key)
    if not required:
        return own
    raise MissingTranslation(
        f"person '{person.id}' has no {language.name} {key.replace('_', ' ')}",
        f"add 'translations: {{{language.code}: {{{key}: ...}}}}' to {_where(person)}")


def fact_text(fact: Fact, language: Language) -> str:
    """The text of a text fact in `language`."""
    if language.language == DEFAULT_LANGUAGE and language.code not in fact.translations:
        return str(fact.value)
    words = _words(fact.translations, language)
    if words is None or not words.value:
        raise MissingTranslation(
            f"fact '{fact.id}' has no {language.name} text",
            f"add 'translations: {{{language.code}: {{value: ...}}}}' to {_where(fact)}")
    return words.value


def recipient_words(recipient: Recipient, language: Language) -> RecipientWords:
    """The recipient's salutation, office, institution and address as a letter in `language` shows them.

    Raises `MissingTranslation` when no salutation can be found or derived.
    """
    own = base_language(recipient.language) == language.language
    words = _words(recipient.translations, language) or RecipientWords()
    salutation = words.salutation or (recipient.salutation if own else "")
    if not salutation and recipient.role:
        gender = gender_of(recipient.honorific, recipient.gender)
        salutation = derived_salutation(recipient.role, language.code, gender) or ""
    if not salutation:
        hint = (f"add 'gender: female' or 'gender: male' (the {LANGUAGE_NAMES.get(language.language, '')} "
                f"salutation depends on it), or 'translations: {{{language.code}: {{salutation: ...}}}}'"
                if recipient.role else
                f"add 'translations: {{{language.code}: {{salutation: ...}}}}', or 'role:' "
                "(minister, federal-minister, president, chair, ambassador) to derive it")
        raise MissingTranslation(f"recipient '{recipient.id}' has no salutation in {language.name}", hint)
    return RecipientWords(
        salutation=salutation,
        office=words.office or recipient.office,
        institution=words.institution or recipient.institution,
        address=words.address or recipient.address,
    )


def campaign_words(campaign: Campaign, language: Language) -> CampaignWords:
    """The campaign's closing, subject, place, sender and signatories in `language`.

    Only the closing is required in every language (a default table covers en, de, fr, az);
    the other fields fall back to the campaign's own text, which names and places usually are.
    """
    words = _words(campaign.translations, language) or CampaignWords()
    own = language.language == campaign_language(campaign.language)
    closing = words.closing or (campaign.closing if own else CLOSINGS.get(language.language, ""))
    if not closing:
        raise MissingTranslation(
            f"the campaign has no closing in {language.name}",
            f"add 'translations: {{{language.code}: {{closing: ...}}}}' to {_where(campaign)}")
    return CampaignWords(
        subject=words.subject or (campaign.subject if own else ""),
        closing=closing,
        place=words.place or campaign.place,
        title=words.title or campaign.title,
        sender=words.sender or campaign.sender,
        signatories=words.signatories or campaign.signatories,
    )
