"""The words that tell what a number in prose counts, per language (en, de, fr, az).

The audit reads "400 political prisoners", "political prisoners: 400" and "the number of
political prisoners has reached 400" as the same claim, and "one of these deportees",
"8-9 other people" and "hundreds of prisoners" as no claim about a whole. These tables
hold the words that decide it; `checks.counted` applies them.
"""

from __future__ import annotations

#: Nouns that count almost anything ("400 people", "four years"). A fact whose noun is one of
#: these is only linked when its own context words (a name, a keyword) are in the sentence.
GENERIC_NOUNS = {
    "en": {"people", "person", "persons", "year", "years", "citizen", "citizens", "women", "woman", "men",
           "man", "individuals", "individual", "times", "cases", "members", "children", "days", "months"},
    "de": {"menschen", "personen", "person", "jahre", "jahren", "jahr", "bürger", "bürgern", "bürgerinnen",
           "frauen", "frau", "männer", "leute", "mitglieder", "kinder", "tage", "monate", "mal", "fälle"},
    "fr": {"personnes", "personne", "ans", "an", "années", "année", "citoyens", "citoyen", "femmes", "femme",
           "hommes", "gens", "membres", "enfants", "jours", "mois", "fois", "cas"},
    "az": {"nəfər", "insan", "adam", "il", "vətəndaş", "qadın", "kişi", "üzv", "uşaq", "gün", "ay", "dəfə"},
}

#: A number followed by one of these picks some out of a larger group ("three of them",
#: "einer der Abgeschobenen", "l'un des expulsés"): not a claim about the whole.
PARTITIVE_AFTER = {
    "en": {"of", "among", "out"},
    "de": {"von", "der", "unter", "aus"},
    "fr": {"des", "d'entre", "d’entre", "parmi", "sur"},
    "az": {"nəfəri", "dənəsi"},
}

#: Words that join two numbers into a range ("8 to 9", "8 bis 9", "8 à 9").
RANGE_JOINERS = {"en": {"to", "or"}, "de": {"bis", "oder"}, "fr": {"à", "ou"}, "az": {"ya", "və ya"}}
#: Words that open a range closed by "and" ("between 8 and 9").
RANGE_OPENERS = {"en": {"between"}, "de": {"zwischen"}, "fr": {"entre"}, "az": {"arasında"}}

#: Heads that put the noun before the number ("the number of political prisoners ... 400").
NUMBER_OF = {"en": {"number", "count", "total", "tally"}, "de": {"zahl", "anzahl", "gesamtzahl"},
             "fr": {"nombre", "total"}, "az": {"sayı", "sayının"}}

#: Verbs that put the noun before its number ("the political prisoners now number nearly 400").
COUNT_VERBS = {"en": {"number", "numbered", "total", "totalled", "totaled", "count"},
               "de": {"zählen", "zählten", "belaufen", "beläuft"},
               "fr": {"comptent", "totalisent", "chiffrent"}, "az": set()}

#: Words that open a short modifier between a counted noun and its verb or number ("the political
#: prisoners OF AZERBAIJAN now number nearly 400", "die politischen Gefangenen IN ASERBAIDSCHAN
#: zählen fast 400", "les prisonniers politiques EN AZERBAÏDJAN se chiffrent à près de 400"), read
#: only when a count verb follows or "the number of" stands before the noun. Azerbaijani puts such
#: a modifier before the noun, or as a locative after it ("siyasi məhbusların ÖLKƏDƏ sayı"): its
#: entry holds the endings of that word (`MODIFIER_ENDINGS`).
MODIFIER_OPENERS = {
    "en": {"of", "in", "from", "held", "behind", "across", "inside"},
    "de": {"in", "im", "aus", "der", "des", "von", "hinter"},
    "fr": {"de", "du", "des", "en", "au", "aux", "dans", "d'", "d’"},
    "az": set(),
}
MODIFIER_ENDINGS = {"en": (), "de": (), "fr": (), "az": ("da", "də", "dakı", "dəki")}
#: How many words such a modifier may have.
MODIFIER_WORDS = 3

#: Words that may stand between such a noun and its number ("has reached", "ist auf ... gestiegen").
LINKING_WORDS = {
    "en": {"is", "was", "are", "were", "has", "have", "had", "now", "reached", "stands", "stood", "at", "to",
           "risen", "rose", "grown", "climbed", "totals", "totalled", "amounts", "already", "today", "of",
           "then", "currently", "still", "be", "been", "around"},
    "de": {"ist", "war", "sind", "hat", "liegt", "lag", "bei", "auf", "beträgt", "betrug", "erreicht",
           "gestiegen", "mittlerweile", "inzwischen", "nun", "jetzt", "heute", "derzeit", "schon", "bereits"},
    "fr": {"est", "était", "a", "se", "atteint", "s'élève", "s’élève", "à", "de", "désormais", "maintenant",
           "aujourd'hui", "aujourd’hui", "déjà", "actuellement", "passé", "dépasse"},
    "az": {"artıq", "hazırda", "indi", "bu", "gün"},
}

#: "400 people are held AS political prisoners": the generic count takes the noun after these.
AS_WORDS = {"en": {"as"}, "de": {"als"}, "fr": {"comme"}, "az": {"kimi"}}

#: Words that end the noun phrase after a number: what follows them is no longer what it counts.
PHRASE_ENDS = {
    "en": {"are", "is", "were", "was", "have", "has", "had", "who", "which", "that", "in", "on", "at", "for",
           "from", "by", "with", "to", "and", "or", "but", "than", "since", "been", "be", "will", "would"},
    "de": {"sind", "ist", "waren", "war", "haben", "hat", "die", "der", "das", "in", "im", "an", "auf", "aus",
           "mit", "von", "für", "seit", "und", "oder", "wurden", "wurde", "werden"},
    "fr": {"sont", "est", "étaient", "était", "ont", "a", "qui", "que", "dans", "en", "à", "au", "aux",
           "pour", "par", "avec", "et", "ou", "depuis"},
    "az": {"və", "ya", "ki", "ilə", "üçün"},
}

#: Quantities that are no figure at all: "hundreds of prisoners", "Dutzende", "des centaines".
VAGUE_QUANTITIES = {
    "en": {"hundreds", "thousands", "dozens", "millions", "scores", "tens"},
    "de": {"hunderte", "tausende", "dutzende", "millionen", "zehntausende", "hunderten", "tausenden"},
    "fr": {"centaines", "milliers", "dizaines", "millions"},
    "az": {"yüzlərlə", "minlərlə", "onlarla", "milyonlarla"},
}

#: Words that introduce some members of a group, not all: "more than 10 political prisoners,
#: including A, B, C and D". A list after one of them is checked only for naming more than the total.
INCLUSION_MARKERS = {
    "en": ("including", "among them", "among whom", "among others", "such as", "for example", "for instance",
           "e.g.", "notably", "in particular"),
    "de": ("unter ihnen", "darunter", "unter anderem", "u. a.", "wie etwa", "zum beispiel", "z. b.",
           "insbesondere", "einschließlich"),
    "fr": ("parmi lesquels", "parmi lesquelles", "parmi eux", "parmi elles", "dont", "notamment",
           "y compris", "par exemple", "entre autres", "tels que", "telles que"),
    "az": ("o cümlədən", "onların arasında", "onların sırasında", "məsələn", "xüsusilə"),
}
