"""Which fact a figure speaks of when several facts count the same noun.

`counted` finds the noun phrase a figure quantifies; two facts may share it ("more than 90
political prisoners" behind bars, "more than 10 political prisoners" who signed a petition).
Blaming the wrong one is the worst thing a check can do: the organiser follows the hint and
sends a false figure. So the evidence is weighed in a fixed order, and a finding names one
fact only when the evidence points at one:

1. the value: a figure equal to a candidate's value is that candidate's, never another's;
2. the words: the candidates' own keywords and context words (those they do not share) in the
   sentence, with a value the figure had before (`history`) agreeing with them;
3. the noun phrase: a candidate named by its own noun over one named by a keyword only;
4. the magnitude: one candidate within a quarter of the figure, every other at least twice off.

When the evidence is split, `Attribution.target` is None and `candidates` lists every fact
the figure may speak of: the audit reports one finding naming them all and proposes no figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from appealkit.checks.counted import MODIFIERS, Target, word_matches
from appealkit.checks.figures import Figure
from appealkit.checks.names import word_skeleton
from appealkit.checks.sentences import sentences_of
from appealkit.rules.qualifiers import agrees

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
#: How far (in characters) from a figure a rival's shared noun may stand and still be read with it.
WINDOW = 80
#: How far either side of a figure its sentence is searched for words of evidence.
SENTENCE_REACH = 400
#: Nearness in magnitude decides only when it is clear: one candidate this close ...
NEAR = Decimal("1.25")
#: ... and every other at least this far off (as a ratio of the larger value to the smaller).
FAR = Decimal(2)


@dataclass(frozen=True)
class Attribution:
    """The fact a figure is checked against, or (`target` None) every fact it may be."""

    target: Target | None
    candidates: tuple[Target, ...]


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _TOKEN.findall(text)]


def _loosely(a: str, b: str) -> bool:
    return word_matches(a, b, "az") or word_matches(b, a, "az")


def _at(words: list[str], start: int, phrase: tuple[str, ...], language: str) -> bool:
    return start + len(phrase) <= len(words) and all(
        word_matches(w, words[start + i], language) for i, w in enumerate(phrase))


def sentence_around(text: str, offset: int, reach: int = SENTENCE_REACH) -> str:
    """The sentence (or paragraph) of `text` that holds `offset`, at most `reach` characters either
    side of it (a text without full stops is no one long sentence to search for every figure)."""
    start, end = sentences_of(text).around(offset)
    return text[max(start, offset - reach):min(end, offset + reach)]


class Attributor:
    """Candidates for a linked figure, and the one evidence points at."""

    def __init__(self, candidates: list[Target]):
        #: the first three letters of a phrase's last word (its head noun) → (phrase, target)
        self.by_head: dict[str, list[tuple[tuple[str, ...], Target]]] = {}
        for target in candidates:
            for phrase in target.phrases:
                self.by_head.setdefault(phrase[-1][:3], []).append((phrase, target))
        #: for each target, the others one of whose phrases ends one of its own ("prisoners" ends
        #: "political prisoners"): the only ones that can be its rivals; a target without any needs
        #: no rival looked for
        self.possible: dict[str, set[str]] = {
            t.id: {o.id for p in t.phrases for q, o in self.by_head[p[-1][:3]]
                   if o is not t and len(q) <= len(p)
                   and all(_loosely(a, b) for a, b in zip(q, p[-len(q):], strict=True))}
            for t in candidates}

    def rivals(self, linked: Target, figure: Figure, text: str, language: str) -> list[Target]:
        """`linked` and every target named by its noun phrase or a part of it that ends in the same
        head noun ("political prisoners" is read by a fact of "prisoners" too), right by the figure."""
        possible = self.possible.get(linked.id)
        if not possible:
            return [linked]
        begin = figure.qualifier_start if 0 <= figure.qualifier_start < figure.start else figure.start
        after = _words(text[figure.end:figure.end + WINDOW])[:MODIFIERS + 6]
        before = _words(text[max(0, begin - WINDOW):begin])[-8:]
        found: dict[str, Target] = {linked.id: linked}
        for words, starts in ((after, range(min(MODIFIERS + 1, len(after)))), (before, range(len(before)))):
            # a phrase can start only where a word has its first word's first three letters
            # (`word_matches` keeps them), so only those starts are tried, in order
            at: dict[str, list[int]] = {}
            for start in starts:
                at.setdefault(words[start][:3], []).append(start)
            for phrase in linked.phrases:
                for start in at.get(phrase[0][:3], ()) if len(phrase[0]) >= 3 else starts:
                    head = start + len(phrase) - 1
                    if head >= len(words) or not _at(words, start, phrase, language):
                        continue
                    for other, target in self.by_head.get(words[head][:3], ()):
                        first = head - len(other) + 1
                        if (target.id in possible and target.id not in found and first >= start
                                and _at(words, first, other, language)):
                            found[target.id] = target
        return list(found.values())

    def choose(self, linked: Target, figure: Figure, text: str, language: str) -> Attribution:
        candidates = self.rivals(linked, figure, text, language)
        if len(candidates) == 1:
            return Attribution(linked, (linked,))
        sentence = sentence_around(text, figure.start)
        words = _words(sentence)
        capitals = {word_skeleton(w) for w in _TOKEN.findall(sentence) if w[:1].isupper()}
        starts: dict[str, list[int]] = {}
        for at, word in enumerate(words):
            starts.setdefault(word[:3], []).append(at)
        covered = {c.id: _covered(c, words, starts, language) for c in candidates}
        scores = {}
        for c in candidates:
            # words every candidate reads ("political prisoners") tell none of them apart
            common = set.intersection(*(covered[o.id] for o in candidates if o is not c))
            scores[c.id] = len(covered[c.id] - common) + len(capitals & set(c.names))
        shared = set.intersection(*(set(c.phrases) for c in candidates))
        # a generic rival ("women", "years") needs words of its own in the sentence to be a candidate
        candidates = [c for c in candidates if not c.generic or scores[c.id] or c is linked]
        return Attribution(_chosen(candidates, figure, scores, shared, language), tuple(candidates))


def _covered(target: Target, words: list[str], starts: dict[str, list[int]], language: str) -> set[int]:
    """The positions of the sentence's words that one of the target's nouns, keywords or context
    words names (`starts`: where words begin with each three letters; a match keeps them)."""
    covered: set[int] = set()
    for phrase in {*target.phrases, *target.context}:
        first = phrase[0]
        for at in starts.get(first[:3], ()) if len(first) >= 3 else range(len(words)):
            if _at(words, at, phrase, language):
                covered.update(range(at, at + len(phrase)))
    return covered


def _same(a, b) -> bool:
    return not isinstance(a, str) and not isinstance(b, str) and Decimal(str(a)) == Decimal(str(b))


def _chosen(candidates: list[Target], figure: Figure, scores: dict[str, int], shared: set,
            language: str) -> Target | None:
    if len(candidates) == 1:
        return candidates[0]

    def ranked(group: list[Target]) -> list[Target]:
        return sorted(group, key=lambda c: -scores[c.id])

    exact = [c for c in candidates if _same(c.fact.value, figure.value)]
    if exact:  # the value is evidence no keyword outweighs: the figure is that fact's
        agreeing = [c for c in exact if agrees(figure.qualifier, c.fact.qualifier, language)]
        return ranked(agreeing or exact)[0]
    best = max(scores[c.id] for c in candidates)
    leaders = [c for c in candidates if scores[c.id] == best]
    former = [c for c in candidates if any(_same(v.value, figure.value) for v in c.fact.history)]
    if former:  # a figure the fact once had: stale, if the words do not point elsewhere
        agreeing = [c for c in former if c in leaders]
        return agreeing[0] if len(agreeing) == 1 else None
    if len(leaders) == 1 and best > 0:
        return leaders[0]
    own_noun = [c for c in leaders if _named_by_noun(c, shared)]
    if len(own_noun) == 1:
        leaders = own_noun
    return _nearest(leaders, figure)


def _named_by_noun(target: Target, shared: set) -> bool:
    """Whether a phrase every candidate has is this target's own noun, not only one of its keywords."""
    nouns = {target.fact.noun, target.fact.noun_singular,
             *(t for w in target.fact.translations.values() for t in (w.noun, w.noun_singular))}
    return any(tuple(_words(n)) in shared for n in nouns if n)


def _nearest(candidates: list[Target], figure: Figure) -> Target | None:
    if len(candidates) == 1:
        return candidates[0]
    value = Decimal(str(figure.value))
    if value <= 0:
        return None
    ratios = []
    for candidate in candidates:
        fact_value = Decimal(str(candidate.fact.value))
        if fact_value <= 0:
            return None
        ratios.append((max(value, fact_value) / min(value, fact_value), candidate))
    ratios.sort(key=lambda pair: pair[0])
    (first, chosen), (second, _) = ratios[0], ratios[1]
    return chosen if first <= NEAR and second >= FAR else None
