"""What changes with a letter's language: numbers, dates, lists, qualifiers, nouns, greetings.

The qualifier words themselves are in `rules.qualifiers`, shared with the reader.

Every table here is keyed by a language code (``en``, ``de``, ``fr``, ``az``). A language
missing from a table is not guessed: the caller reports it as an error naming the file
that should carry the words instead.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError

from appealkit.rules.qualifiers import QUALIFIERS, written_patterns

#: The language a template, a fact's noun and a recipient's text are written in unless they say otherwise.
DEFAULT_LANGUAGE = "en"

#: Locale used for dates and numbers when a letter's language is given without a region.
LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "az": "az_Latn_AZ"}

LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "az": "Azerbaijani"}

#: "1.25 million" at most: a compact figure that needs more decimals is written in digits.
MAX_COMPACT_PLACES = 2

#: What joins a number written as a word ("10 millions") to the noun it counts: French says
#: "10 millions de citoyens", "d'habitants" before a vowel.
COMPACT_LINKS = {"fr": ("de ", "d'")}

#: Languages whose nouns stay singular after a numeral ("400 siyasi məhbus").
SINGULAR_AFTER_NUMERALS = frozenset({"az"})

#: The default closing line when a campaign gives none for the language.
CLOSINGS = {
    "en": "Yours sincerely,",
    "de": "Mit freundlichen Grüßen",
    # a French closing repeats the salutation: "Veuillez agréer, Monsieur le Ministre, l'expression …"
    "fr": "Veuillez agréer, {salutation}, l'expression de notre haute considération.",
    "az": "Hörmətlə,",
}

#: The labels of the reference lines under the place and date: ours, then the recipient's.
REFERENCE_LABELS = {
    "en": ("Our ref.:", "Your ref.:"),
    "de": ("Unser Zeichen:", "Ihr Zeichen:"),
    "fr": ("Notre réf. :", "Votre réf. :"),
    "az": ("İstinadımız:", "İstinadınız:"),
}
#: How the place and date line reads: "Bonn, 25. Oktober 2025", "Bonn, le 25 octobre 2025".
PLACE_DATE = {"en": "{place}, {date}", "de": "{place}, {date}", "fr": "{place}, le {date}",
              "az": "{place}, {date}"}
#: The word before the subject line where a language's letters have one: a French letter's
#: "Objet :" (DIN 5008 dropped "Betreff:" in 1996; English and Azerbaijani letters set the subject alone).
SUBJECT_LABELS = {"fr": "Objet :"}
#: The day of the month a language writes as an ordinal in a date: "le 1er mars 2026".
FIRST_OF_MONTH = {"fr": "1er"}

#: Salutations derived from a recipient's `role` and `gender` (taken from the honorific when
#: it is Mr/Mrs/Ms). ``None`` as gender is the form for a holder whose gender is not given.
SALUTATIONS: dict[str, dict[str, dict[str | None, str]]] = {
    "minister": {
        "en": {None: "Dear Minister,"},
        "de": {"male": "Sehr geehrter Herr Minister,", "female": "Sehr geehrte Frau Ministerin,"},
        "fr": {"male": "Monsieur le Ministre,", "female": "Madame la Ministre,"},
        "az": {None: "Hörmətli Nazir,", "male": "Hörmətli cənab Nazir,", "female": "Hörmətli xanım Nazir,"},
    },
    "federal-minister": {
        "en": {None: "Dear Minister,"},
        "de": {"male": "Sehr geehrter Herr Bundesminister,", "female": "Sehr geehrte Frau Bundesministerin,"},
        "fr": {"male": "Monsieur le Ministre,", "female": "Madame la Ministre,"},
        "az": {None: "Hörmətli Nazir,", "male": "Hörmətli cənab Nazir,", "female": "Hörmətli xanım Nazir,"},
    },
    "president": {
        "en": {None: "Dear President,", "male": "Dear Mr President,", "female": "Dear Madam President,"},
        "de": {"male": "Sehr geehrter Herr Präsident,", "female": "Sehr geehrte Frau Präsidentin,"},
        "fr": {"male": "Monsieur le Président,", "female": "Madame la Présidente,"},
        "az": {None: "Hörmətli Prezident,", "male": "Hörmətli cənab Prezident,",
               "female": "Hörmətli xanım Prezident,"},
    },
    "chair": {
        "en": {None: "Dear Chair,", "male": "Dear Mr Chairman,", "female": "Dear Madam Chair,"},
        "de": {"male": "Sehr geehrter Herr Vorsitzender,", "female": "Sehr geehrte Frau Vorsitzende,"},
        "fr": {"male": "Monsieur le Président,", "female": "Madame la Présidente,"},
        "az": {None: "Hörmətli Sədr,", "male": "Hörmətli cənab Sədr,", "female": "Hörmətli xanım Sədr,"},
    },
    "ambassador": {
        "en": {None: "Dear Ambassador,"},
        "de": {"male": "Sehr geehrter Herr Botschafter,", "female": "Sehr geehrte Frau Botschafterin,"},
        "fr": {"male": "Monsieur l'Ambassadeur,", "female": "Madame l'Ambassadrice,"},
        "az": {None: "Hörmətli Səfir,", "male": "Hörmətli cənab Səfir,", "female": "Hörmətli xanım Səfir,"},
    },
}
ROLES = tuple(SALUTATIONS)
GENDERS = ("female", "male")
_HONORIFIC_GENDER = {"mr": "male", "mrs": "female", "ms": "female", "herr": "male", "frau": "female",
                     "m": "male", "mme": "female", "monsieur": "male", "madame": "female",
                     "cənab": "male", "xanım": "female"}

_LANGUAGE_IN_NAME = re.compile(r"^[a-z]{2,3}$")
_BACK_VOWELS, _FRONT_VOWELS = set("aıou"), set("eəiöü")


class MissingTranslation(Exception):
    """A letter needs words in a language that the workspace does not give; `hint` says where to add them."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


_AZ_SCALES = ((10**9, "milyard"), (10**6, "milyon"), (1000, "min"))


def num2words(number: int | Decimal, lang: str) -> str:
    """num2words, imported when a number is first written in words: loading a workspace needs
    the languages' tables, not their number words (a build with nothing to do starts faster)."""
    from num2words import num2words as words

    return str(words(number, lang=lang))


def az_words(number: int) -> str:
    """An Azerbaijani number in words, group by group: num2words drops the "bir" of a thousands
    group ("iyirmi min" for 21,000), which would print a figure the facts do not hold."""
    if number < 1000:
        return num2words(number, lang="az")
    groups = []
    for scale, word in _AZ_SCALES:
        count, number = divmod(number, scale)
        if count:
            groups.append(word if scale == 1000 and count == 1 else f"{az_words(count)} {word}")
    if number:
        groups.append(num2words(number, lang="az"))
    return " ".join(groups)


def base_language(code: str) -> str:
    """`de-AT` or `de_AT` → `de`."""
    return code.replace("_", "-").split("-")[0].lower()


def letter_language(entry: str, campaign: str, recipient: str) -> str:
    """The language a letter is written in: its campaign entry's `language`, else the campaign's,
    else the recipient's. Build, check and the campaign loader all ask this one function."""
    return entry or campaign or recipient


def campaign_language(code: str) -> str:
    """The language a campaign's own words (subject, closing, place) are in: its `language`, else English."""
    return base_language(code or DEFAULT_LANGUAGE)


def language_name(code: str) -> str:
    """"German (de)", for messages."""
    base = base_language(code)
    name = LANGUAGE_NAMES.get(base)
    if name is None:
        try:
            name = Locale.parse(base).english_name or base
        except (ValueError, UnknownLocaleError):
            name = base
    return f"{name} ({code})"


def locale_for(language: str) -> str:
    return LOCALES.get(language, language.replace("-", "_"))


def is_known(language: str) -> bool:
    """True when Babel has the locale, so dates and numbers can be written in it."""
    try:
        Locale.parse(locale_for(language))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def looks_like_language(part: str) -> bool:
    """Whether a file-name part such as `de` in `appeal.de.md` names a language."""
    return bool(_LANGUAGE_IN_NAME.match(part))


def gender_of(honorific: str, gender: str = "") -> str | None:
    return gender or _HONORIFIC_GENDER.get(honorific.lower().rstrip("."))


def derived_salutation(role: str, language: str, gender: str | None) -> str | None:
    """The salutation table's entry for a role, a language and a gender, if it has one."""
    forms = SALUTATIONS.get(role, {}).get(base_language(language), {})
    return forms.get(gender) or forms.get(None)


def upper(text: str, language: str) -> str:
    """Capitals in `language`: Azerbaijani (like Turkish) writes the capital of i as İ."""
    if base_language(language) in ("az", "tr"):
        text = text.replace("i", "İ")
    return text.upper()


def capitalize(text: str, language: str) -> str:
    """A capital first letter, as `upper` writes it."""
    return upper(text[:1], language) + text[1:]


def _harmony_back(spoken: str) -> bool:
    for char in reversed(spoken.lower()):
        if char in _BACK_VOWELS:
            return True
        if char in _FRONT_VOWELS:
            return False
    return True


class Language:
    """Number, date, list and qualifier formatting for one letter's language."""

    def __init__(self, language: str):
        self.code = language
        self.language = base_language(language)
        self.locale = locale_for(language)

    @property
    def name(self) -> str:
        return language_name(self.code)

    def number(self, value: int | Decimal, style: str) -> str:
        if style == "words" and (isinstance(value, int) or value == int(value)):
            if self.language == "az":
                return az_words(int(value))
            # "four thousand one hundred": num2words' comma would split one figure in two; and
            # 601,000 is "sechshunderteintausend" (num2words writes "…einstausend")
            written = num2words(int(value), lang=self.language).replace(",", "")
            return written.replace("einstausend", "eintausend")
        from babel.numbers import format_compact_decimal, format_decimal

        if style == "compact":
            places = self._compact_places(value)
            if places is not None:
                return format_compact_decimal(value, format_type="long", locale=self.locale,
                                              fraction_digits=places)
        return format_decimal(value, locale=self.locale, group_separator=abs(Decimal(value)) >= 10_000)

    def _compact_places(self, value: int | Decimal) -> int | None:
        """The decimals "1.5 million" needs to show `value` exactly, or None when the compact form
        cannot (1234567 would print as "1 million", a figure the facts do not hold)."""
        from babel.numbers import parse_pattern

        magnitudes = Locale.parse(self.locale).compact_decimal_formats["long"]["other"]
        for magnitude in sorted((int(m) for m in magnitudes), reverse=True):
            if abs(Decimal(value)) >= magnitude:
                zeros = parse_pattern(magnitudes[str(magnitude)]).pattern.count("0")
                shown = (Decimal(value) / (magnitude // 10 ** (zeros - 1))).normalize()
                places = max(0, -shown.as_tuple().exponent)
                return places if places <= MAX_COMPACT_PLACES else None
        return 0

    def figure(self, qualifier: str, value: int | Decimal | None, written: str) -> str:
        """`written` (the number as printed) with the qualifier where this language puts it."""
        patterns = written_patterns(self.language)
        if patterns is None:
            raise MissingTranslation(
                f"no qualifier words in {self.name}",
                f"appealkit knows qualifiers in: {', '.join(sorted(QUALIFIERS))}")
        spoken = written if value is None or written[-1:].isalpha() else self._spoken(value)
        joiner = "" if written[-1:].isalpha() else "-"
        back = _harmony_back(spoken)
        ends_in_vowel = spoken[-1:].lower() in _BACK_VOWELS | _FRONT_VOWELS
        dative = ("y" if ends_in_vowel else "") + ("a" if back else "ə")
        return patterns[qualifier].format(
            n=written, abl=joiner + ("dan" if back else "dən"), dat=joiner + dative)

    def _spoken(self, value: int | Decimal) -> str:
        try:
            return num2words(value, lang=self.language)
        except (NotImplementedError, OverflowError):
            return str(value)

    def counted(self, figure: str, noun: str, compact: bool = False) -> str:
        """A figure and the noun it counts: "rund 400 politische Gefangene", "10 millions de citoyens"."""
        if not noun:
            return figure
        link = COMPACT_LINKS.get(self.language) if compact and figure[-1:].isalpha() else None
        if link:
            return f"{figure} {link[1] if noun[:1].lower() in 'aeiouyéèêâîô' else link[0]}{noun}"
        return f"{figure} {noun}".strip()

    def plural_category(self, value: int | Decimal | str) -> str:
        """CLDR plural category of a count ("one" or "other" for our languages)."""
        if not isinstance(value, int | Decimal):
            return "other"
        if self.language in SINGULAR_AFTER_NUMERALS:
            return "one"
        return Locale.parse(self.locale).plural_form(value)

    def date(self, value: datetime.date) -> str:
        from babel.dates import format_date

        written = format_date(value, format="long", locale=self.locale)
        first = FIRST_OF_MONTH.get(self.language)
        if first and value.day == 1 and written.startswith("1 "):
            return first + written[1:]
        return written

    def place_date(self, place: str, value: datetime.date) -> str:
        pattern = PLACE_DATE.get(self.language, "{place}, {date}")
        return pattern.format(place=place, date=self.date(value))

    def join(self, items: list[str]) -> str:
        from babel.lists import format_list

        return format_list(items, locale=self.locale) if items else ""

    def capitalize(self, text: str) -> str:
        return capitalize(text, self.language)
