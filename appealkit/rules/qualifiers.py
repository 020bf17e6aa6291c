"""The one rulebook of qualifiers ("about 400", "mehr als 40", "400-dən çox"): how each
language writes them, what else a reader accepts, and what they mean.

Writing (`rules.language`) and reading (`checks.figures`) both derive from these tables,
so whatever appealkit writes, its own audit reads back as the qualifier it wrote.

A pattern holds ``{n}`` where the number goes. Azerbaijani puts some qualifiers after the
number with a case ending that follows vowel harmony with the number as read aloud:
``{abl}`` is the ablative (-dan/-dən: "40-dan çox", "400-dən çox"), ``{dat}`` the dative
(-a/-ə/-ya/-yə: "40-a yaxın", "400-ə yaxın"). After digits the ending takes a hyphen.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The qualifiers a fact may carry (`qualifier:` in facts/*.yaml), in the order the README lists them.
QUALIFIER_IDS = (
    "exact", "about", "approximately", "around", "nearly", "almost", "more than", "over",
    "at least", "fewer than", "less than", "up to",
)

#: What a qualifier says of the true number, whatever the language. Translations may pick
#: another word of the same meaning; English letters must use the fact's own word.
MEANINGS = {
    "exact": "exact",
    "about": "about", "approximately": "about", "around": "about",
    "nearly": "below", "almost": "below", "fewer than": "below", "less than": "below",
    "more than": "above", "over": "above",
    "at least": "at least",
    "up to": "at most",
}

#: The case endings a pattern may put after the number (Azerbaijani).
ENDINGS = ("abl", "dat")


@dataclass(frozen=True)
class Wording:
    """How one language writes a qualifier, and the other wordings a reader takes for it."""

    written: str
    read: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.written, *self.read)


def _table(**wordings: str | tuple[str, ...]) -> dict[str, Wording]:
    """Keyword names use `_` for spaces (`more_than`); a tuple is (written, *also read)."""
    table = {"exact": Wording("{n}")}
    for name, forms in wordings.items():
        written, *read = (forms,) if isinstance(forms, str) else forms
        table[name.replace("_", " ")] = Wording(written, tuple(read))
    return table


QUALIFIERS: dict[str, dict[str, Wording]] = {
    "en": _table(
        about=("about {n}", "some {n}", "roughly {n}", "circa {n}", "{n} or so", "{n}-odd"),
        approximately=("approximately {n}", "approx. {n}"),
        around="around {n}",
        nearly=("nearly {n}", "close to {n}", "just under {n}"),
        almost="almost {n}",
        more_than=("more than {n}", "in excess of {n}", "{n}+"),
        over=("over {n}", "upwards of {n}"),
        at_least=("at least {n}", "no fewer than {n}", "no less than {n}", "{n} or more"),
        fewer_than="fewer than {n}",
        less_than="less than {n}",
        up_to=("up to {n}", "as many as {n}", "{n} or fewer", "{n} or less"),
    ),
    "de": _table(
        about=("rund {n}", "zirka {n}", "{n} oder so"),
        approximately=("ungefähr {n}", "circa {n}", "ca. {n}"),
        around="etwa {n}",
        nearly=("fast {n}", "knapp {n}", "nahezu {n}"),
        almost="beinahe {n}",
        more_than="mehr als {n}",
        over="über {n}",
        at_least=("mindestens {n}", "wenigstens {n}", "{n} oder mehr"),
        fewer_than="weniger als {n}",
        less_than="weniger als {n}",
        up_to=("bis zu {n}", "{n} oder weniger"),
    ),
    "fr": _table(
        about=("environ {n}", "{n} environ"),
        approximately=("approximativement {n}", "à peu près {n}"),
        around=("quelque {n}", "autour de {n}"),
        nearly="près de {n}",
        almost="presque {n}",
        more_than="plus de {n}",
        over=("plus de {n}", "au-delà de {n}"),
        at_least=("au moins {n}", "{n} ou plus"),
        fewer_than="moins de {n}",
        less_than="moins de {n}",
        up_to=("jusqu'à {n}", "jusqu’à {n}", "{n} ou moins"),
    ),
    "az": _table(
        about="təxminən {n}",
        approximately="təqribən {n}",
        around="təxminən {n}",
        nearly="{n}{dat} yaxın",
        almost=("demək olar ki, {n}", "az qala {n}"),
        more_than="{n}{abl} çox",
        over="{n}{abl} artıq",
        at_least=("ən azı {n}", "azı {n}", "ən az {n}", "{n} və ya daha çox",
                  "{n} və daha çox"),
        fewer_than="{n}{abl} az",
        less_than="{n}{abl} az",
        up_to="{n}{dat} qədər",
    ),
}

#: Qualifiers a reader finds after the noun a figure counts ("400 political prisoners, approximately,"),
#: as (words, qualifier id); the words stand between commas or before the sentence's end.
AFTER_NOUN = {
    "en": (("approximately", "approximately"), ("roughly", "about"), ("or so", "about"),
           ("at least", "at least"), ("at most", "up to")),
    "de": (("ungefähr", "approximately"), ("etwa", "around"), ("mindestens", "at least"),
           ("höchstens", "up to")),
    "fr": (("environ", "about"), ("approximativement", "approximately"), ("au moins", "at least"),
           ("au plus", "up to")),
    "az": (("təxminən", "about"), ("təqribən", "approximately")),
}

#: The languages appealkit writes qualifiers in.
LANGUAGES = tuple(QUALIFIERS)


def written_patterns(language: str) -> dict[str, str] | None:
    """Qualifier id → the pattern a letter in `language` prints, or None for a language without a table."""
    table = QUALIFIERS.get(language)
    return None if table is None else {qualifier: w.written for qualifier, w in table.items()}


def reading_forms(language: str) -> list[tuple[str, str]]:
    """Every (pattern, qualifier id) a reader of `language` accepts, each pattern once.

    Where two qualifiers share a wording ("weniger als" is fewer than and less than), the
    first in QUALIFIER_IDS order stands for both; they share a meaning, so no check differs.
    """
    seen: dict[str, str] = {}
    for qualifier in QUALIFIER_IDS:
        wording = QUALIFIERS[language].get(qualifier)
        for form in wording.forms if wording else ():
            if form != "{n}":
                seen.setdefault(form, qualifier)
    return list(seen.items())


def agrees(found: str, expected: str, language: str) -> bool:
    """Whether a letter's qualifier agrees with the fact's: English by word, translations by meaning."""
    if language == "en":
        return found == expected
    return MEANINGS.get(found) == MEANINGS.get(expected)
