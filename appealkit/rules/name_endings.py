"""The endings grammar puts on a name, per language: "Rzayev's", "Rzayevs Ermordung", "Kərimlinin".

A name with one of these endings is still that name: a listed variant with an ending is still
the variant, and the canonical name with one is still clean. `checks.names` and the list counts
of `checks.audit` read names through `ENDING`.
"""

from __future__ import annotations

#: Endings after a name, longest first within a language.
NAME_ENDINGS = {
    "en": ("'s", "’s", "'", "’"),
    "de": ("'s", "’s", "s", "'", "’"),
    "fr": (),
    # genitive -(n)ın/-(n)in/-(n)un/-(n)ün, dative -(y)a/-(y)ə, locative -da/-də/-ta/-tə, ablative
    # -dan/-dən/-tan/-tən, accusative -(n)ı/-(n)i/-(n)u/-(n)ü, "with" -la/-lə; after an apostrophe too
    "az": tuple(f"{apostrophe}{ending}" for apostrophe in ("", "'", "’") for ending in (
        "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "dan", "dən", "tan", "tən", "da", "də", "ta",
        "tə", "ya", "yə", "la", "lə", "nı", "ni", "nu", "nü", "a", "ə", "ı", "i", "u", "ü")),
}

#: A regular expression for any ending of any language (a name is found before its language is known).
ENDING = "(?:" + "|".join(sorted({e for endings in NAME_ENDINGS.values() for e in endings},
                                 key=len, reverse=True)) + ")"
