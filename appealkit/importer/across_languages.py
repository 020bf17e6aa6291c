"""The same claim in letters of two languages as one fact, its other nouns as translations.

"about 400 political prisoners" in the English letters and "rund 400 politische Gefangene"
in the German one are one fact when nothing else could be meant: the figure is the only one
of its value in each language, and the qualifiers mean the same (`rules.qualifiers.MEANINGS`).
The English fact keeps its noun; the German noun becomes `translations: {de: {noun: …}}`, as
a workspace written by hand has it. Anything less certain stays two facts.
"""

from __future__ import annotations

from collections import Counter

from appealkit.importer.found_facts import DraftFact
from appealkit.rules.qualifiers import MEANINGS


def _claim(fact: DraftFact) -> tuple:
    return tuple(sorted(str(v) for v in fact.values)), MEANINGS.get(fact.qualifiers[0])


def merge_languages(facts: dict[str, DraftFact], main: str = "en") -> dict[str, DraftFact]:
    """`facts` with each other-language fact that matches one main-language fact folded into it."""
    mains = [f for f in facts.values() if f.language == main and f.noun]
    counts = Counter((f.language, _claim(f)) for f in facts.values() if f.noun)
    merged = dict(facts)
    for fid, fact in facts.items():
        if fact.language == main or not fact.noun or counts[(fact.language, _claim(fact))] != 1:
            continue
        matches = [m for m in mains if _claim(m) == _claim(fact)]
        if len(matches) != 1 or counts[(main, _claim(fact))] != 1 or fact.language in matches[0].translations:
            continue
        target = matches[0]
        target.occurrences.extend(fact.occurrences)
        target.translations[fact.language] = fact.noun
        for name, part in fact.parts.items():
            same = [p for p in target.parts.values() if _claim(p) == _claim(part) and p.noun]
            if len(same) == 1 and part.noun:
                same[0].occurrences.extend(part.occurrences)
                same[0].translations[fact.language] = part.noun
            else:
                target.parts[name if name not in target.parts else f"{name}_{fact.language}"] = part
        del merged[fid]
    return merged
