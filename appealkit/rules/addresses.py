"""The address block's rules, per language and per country it goes to: DIN 5008's "Herrn"
line, the UK's and France's postal lines, an institution's own style, a French letter's title
line, the country line in capitals for post from abroad. `render.letter_frame` puts them together."""

from __future__ import annotations

import functools
import re

from babel.core import Locale, UnknownLocaleError

from appealkit.rules.language import LOCALES, base_language, gender_of, upper

#: The line above the name in a German postal address (DIN 5008): "Herrn" (the accusative of
#: "an Herrn …") or "Frau". Other languages write the honorific with the name instead.
ADDRESS_FORMS = {"de": {"male": "Herrn", "female": "Frau"}}


def address_form(language: str, honorific: str, gender: str = "", country: str = "") -> str:
    """The line a postal address in `language` puts above the name, or "" (none, the honorific
    already says it: "Frau Dr. Müller" needs no "Frau" line above, or `country`'s block has no
    such line: the UK's)."""
    forms = ADDRESS_FORMS.get(base_language(language), {})
    if not ADDRESS_STYLES.get(country, {}).get("form_line", True):
        return ""
    if not forms or gender_of(honorific):
        return ""
    return forms.get(gender_of(honorific, gender) or "", "")


#: A country's usual address block, where it differs from writing the lines as given. GB (Royal
#: Mail): the honorific with the name, no form line above it, no full stop after Mr/Dr, the post
#: town in capitals and the postcode on a line of its own. FR (La Poste, NF Z10-011): "Monsieur"
#: or "Madame" in full before the name in a French letter, the postcode and the town in capitals.
ADDRESS_STYLES: dict[str, dict[str, bool]] = {
    "GB": {"form_line": False, "bare_honorific": True, "town_capitals": True, "postcode_line": True},
    "FR": {"civility": True, "postcode_town_capitals": True},
}
#: The civility a French address writes in full before the name.
CIVILITIES = {"fr": {"male": "Monsieur", "female": "Madame"}}
#: Other names a country line goes by, beside Babel's names of it in the four languages.
COUNTRY_ALIASES = {"uk": "GB", "u.k.": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
                   "wales": "GB", "northern ireland": "GB"}
_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_FRENCH_POSTCODE = re.compile(r"^([0-9]{5}) +(\S.*)$")
#: "F-67075 Strasbourg Cedex": a postcode with its country's letter is the style an institution
#: chose for itself (the Council of Europe's), written as it gives it.
_PREFIXED_POSTCODE = re.compile(r"^[A-Z]{1,3}-[0-9]{4,5}\b")


#: A French letter addresses an office-holder by the office (the suscription): "Monsieur le
#: Ministre de l'Europe et des Affaires étrangères", "Madame la Présidente de la Commission
#: européenne", "Monsieur l'Ambassadeur": the civility and the article by the holder's gender, the
#: article elided before a vowel. Never before an h: the offices that start with one take "le"
#: ("le Haut Représentant", "la Haute Commissaire", an aspirated h).
TITLE_FORMS = {"fr": {"male": ("Monsieur", "le ", "l'"), "female": ("Madame", "la ", "l'")}}
_ELIDING = frozenset("aeiouyàâäéèêëîïôöùûüæœ")


def title_line(language: str, office: str, honorific: str = "", gender: str = "") -> str:
    """The office as the title a letter in `language` addresses its holder by ("Monsieur le
    Ministre de …"), or "" when the language has no such line or the gender is not given."""
    forms = TITLE_FORMS.get(base_language(language), {}).get(gender_of(honorific, gender) or "")
    office = office.strip()
    if not forms or not office:
        return ""
    civility, article, elided = forms
    if gender_of(office.split(" ", 1)[0]):  # the office already says "Monsieur le …"
        return office
    return f"{civility} {elided if office[0].lower() in _ELIDING else article}{office[0].upper()}{office[1:]}"


def address_country(address: tuple[str, ...]) -> str:
    """The country an address goes to (ISO code) by its last line, or a UK postcode; "" unknown."""
    if not address:
        return ""
    names = _country_names()
    last = address[-1].strip().rstrip(".").lower()
    if last in names:
        return names[last]
    return "GB" if any(_UK_POSTCODE.search(line.strip()) for line in address) else ""


@functools.cache
def _country_names() -> dict[str, str]:
    """Country names, lower-cased, as Babel writes them in the four languages, and the aliases."""
    names = dict(COUNTRY_ALIASES)
    for language in LOCALES:
        for code, name in Locale.parse(base_language(language)).territories.items():
            if code.isalpha():
                names.setdefault(name.lower(), code)
    return names


def country_line(language: str, address: tuple[str, ...], sender_country: str = "") -> tuple[str, ...]:
    """The address with its last line, the destination country, as the post wants it (UPU S42,
    DIN 5008, Royal Mail, La Poste): in capitals, in the letter's language ("GERMANY",
    "ALLEMAGNE"), and left out when the sender is in the same country (domestic post). An address
    whose last line names no country is as given."""
    if not address:
        return address
    names = _country_names()
    written = address[-1].strip().rstrip(".")
    country = names.get(written.lower(), "")
    if not country:
        return address
    if country == sender_country:
        return address[:-1]
    return (*address[:-1], upper(_country_name(language, country, written), language))


def _country_name(language: str, country: str, written: str) -> str:
    """The country as the address writes it when that is a name of it in `language` (the
    aliases too: "UK"), else Babel's name of it in `language`."""
    lowered = written.lower()
    if COUNTRY_ALIASES.get(lowered) == country:
        return written
    try:
        names = Locale.parse(base_language(language)).territories
    except (ValueError, UnknownLocaleError):
        return written
    own = names.get(country, "")
    return written if not own or own.lower() == lowered else own


def address_style(country: str, address: tuple[str, ...]) -> dict[str, bool]:
    """The rules of `country`'s address block; an institution's own style keeps its postal lines."""
    style = ADDRESS_STYLES.get(country, {})
    if any(_PREFIXED_POSTCODE.match(line.strip()) for line in address):
        return {rule: on for rule, on in style.items() if rule not in _POSTAL_RULES}
    return style


_POSTAL_RULES = frozenset({"town_capitals", "postcode_line", "postcode_town_capitals"})


def name_line(language: str, style: dict[str, bool], honorific: str, name: str, gender: str = "") -> str:
    """The addressee's name as the country's block writes it: "Monsieur Jean Dupont" in a
    French letter to France, "Dr Ann Lee" to the UK, else honorific and name as given."""
    civility = CIVILITIES.get(base_language(language), {}).get(gender_of(honorific, gender) or "")
    if style.get("civility") and civility and name:
        return f"{civility} {name}"
    if style.get("bare_honorific"):
        honorific = honorific.rstrip(".") if honorific.lower().rstrip(".") in _BARE_HONORIFICS else honorific
    return f"{honorific} {name}".strip()


_BARE_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof"})


def postal_lines(style: dict[str, bool], address: tuple[str, ...]) -> tuple[str, ...]:
    """The address lines in the country's style: "London SW1A 2AH" as "LONDON" and "SW1A 2AH",
    "75351 Paris Cedex 07" as "75351 PARIS CEDEX 07"; lines the style has no rule for as given."""
    lines = list(address)
    if style.get("postcode_line"):
        for number, line in enumerate(lines):
            found = _UK_POSTCODE.search(line.strip())
            if found is None:
                continue
            town = line.strip()[:found.start()].strip(" ,")
            if town:
                lines[number:number + 1] = [town.upper() if style.get("town_capitals") else town, found[1]]
            elif number and style.get("town_capitals"):
                lines[number - 1] = lines[number - 1].upper()
            break
    if style.get("postcode_town_capitals"):
        for number, line in enumerate(lines):
            found = _FRENCH_POSTCODE.match(line.strip())
            if found is not None:
                lines[number] = f"{found[1]} {found[2].upper()}"
    return tuple(lines)
