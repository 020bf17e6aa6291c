"""Find the figures in prose: digits and number words, with the qualifier written before them.

"nearly three hundred and fifty", "rund 400", "environ 400", "təxminən 400" and
"400-dən çox" all become a `Figure` with a value and a qualifier from the one table
of qualifiers that the writer uses too (`rules.qualifiers`). Dates, years, ordinals, ages, article,
page and paragraph numbers are not figures. Number words of English, German and
French are read by text2num; Azerbaijani ones by a small table here.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from appealkit.rules.number_words import AZ_NUMBERS, AZ_SUFFIXES, phrase_value, word_value
from appealkit.rules.qualifiers import AFTER_NOUN, ENDINGS, LANGUAGES, reading_forms

#: The endings an Azerbaijani qualifier puts after the number ("40-dan çox", "dörd yüzə yaxın"),
#: as `rules.qualifiers` names them in its patterns.
_ENDING_RE = {"abl": r"n?d[aə]n", "dat": r"y?[aə]"}

#: Words that are numbers but far more often articles or pronouns ("one of them", "ein Brief").
ARTICLES = {"en": {"one"}, "de": {"ein", "eine", "einen", "einem", "einer", "eines"},
            "fr": {"un", "une"}, "az": {"bir"}}

SCALES = {
    "thousand": 1000, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
    "tausend": 1000, "million_de": 10**6, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9,
    "mille": 1000, "milliard": 10**9, "milliards": 10**9, "min": 1000, "milyon": 10**6, "milyard": 10**9,
}

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "januar", "jänner", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
    "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "yanvar", "fevral", "mart", "aprel", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
    "noyabr", "dekabr",
}

#: A number right after these words names an article, page, paragraph or the like.
REFERENCE_WORDS = {
    "article", "articles", "art", "artikel", "no", "nr", "nos", "number", "§", "§§", "paragraph", "para",
    "paragraphs", "page", "pages", "p", "pp", "seite", "seiten", "s", "protocol", "protokoll", "chapter",
    "kapitel", "chapitre", "section", "abschnitt", "absatz", "abs", "item", "line", "resolution",
    "recommendation", "case", "application", "aged", "alter", "âgé", "âgée", "âgés", "âgées", "maddə",
    "maddəsi", "bənd", "səhifə", "rule", "regel", "annex", "anhang", "annexe", "point", "punkt",
}

_AGE_STRICT = re.compile(r"\s*-?\s*years?\s*-?\s*old|\s+jahre\s+alt|\s*-jährige|\s+yaşlı|\s+yaşında",
                         re.IGNORECASE)

_DIGITS = re.compile(
    r"(?<![\w\-./+:])(\d{1,3}(?:[,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)(?![\d])"
)
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_DATE_NUMERIC = re.compile(r"\b\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\b")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\d+[.)](?=\s)", re.MULTILINE)
_PAGE_OF = re.compile(r"\b\d+\s*/\s*\d+\b|\b\d+\s+(?:of|von|sur)\s+\d+\s*$", re.IGNORECASE)
#: The word before a figure, matched on the reversed text before it: searched for at its end
#: ("([^\W\d]+\.?|§+)\s*$"), the pattern tried every position and backtracked through every word.
_PREVIOUS = re.compile(r"\.?[^\W\d]+|§+")
_NEXT = re.compile(r"\.?\s*([^\W\d_]+)")
_ORDINAL = re.compile(r"\.?\s*(?:st|nd|rd|th|er|re|e|ème|eme|-?c[iıuü])\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_YEAR = re.compile(r"\d{4}")
_AGE_BEFORE = re.compile(r"(?:age of|im alter von|à l'âge de)\s+$")
_SCALE_WORD = re.compile(r"[\s\u00a0]+([^\W\d_]+)")
_CONNECTORS = {"en": {"and"}, "de": {"und"}, "fr": {"et"}, "az": set()}


@dataclass(frozen=True, slots=True)  # a text of numbers holds a million of them
class Figure:
    """A number in prose: where it is, its value, and the qualifier written with it."""

    value: int | Decimal
    text: str
    start: int
    end: int
    qualifier: str = "exact"
    qualifier_text: str = ""
    qualifier_start: int = -1
    words: bool = False

    @property
    def shown(self) -> str:
        """The figure as written, with its qualifier."""
        if self.qualifier_start > self.start:
            joint = "" if not self.qualifier_text[:1].isalpha() else " "
            return f"{self.text}{joint}{self.qualifier_text}"
        return f"{self.qualifier_text} {self.text}".strip()


_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+")
_SEPARATOR = re.compile(r"[,.]")


def _digits_value(raw: str, language: str) -> int | Decimal | None:
    text = raw.replace("\u00a0", "").replace("\u202f", "")
    if _GROUPED.fullmatch(text) and len({c for c in text if c in ",."}) == 1:
        return int(_SEPARATOR.sub("", text))
    if "," in text:
        if language == "en":
            return None
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() and "." not in text else value


def _previous_word(text: str, start: int) -> str:
    match = _PREVIOUS.match(text[max(0, start - 40):start].rstrip()[::-1])
    return match[0][::-1].lower().rstrip(".") if match else ""


def _next_word(text: str, end: int) -> str:
    match = _NEXT.match(text[end:end + 40])
    return match[1].lower() if match else ""


def _words_regex(phrase: str) -> str:
    """A phrase as a pattern that lets any spacing (justified PDF text, line breaks) and either
    apostrophe stand between its words."""
    return r"\s+".join(re.sub("['’]", "['’]", re.escape(word)) for word in phrase.split())


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


@dataclass(frozen=True)
class _After:
    """A qualifier written after the number: its case ending, if any, then its words."""

    qualifier: str
    after_digits: re.Pattern[str]  # "-dən çox" after "400"
    ending: re.Pattern[str] | None  # "dən" closing a number word ("dörd yüzdən")
    words: re.Pattern[str]  # " çox" after that number word


@dataclass(frozen=True)
class _Reading:
    """One language's qualifiers as a reader looks for them, derived from `rules.qualifiers`."""

    before: re.Pattern[str] | None
    before_ids: dict[str, str]
    after: tuple[_After, ...]


def _reading(language: str) -> _Reading:
    before: dict[str, str] = {}
    after = []
    for form, qualifier in reading_forms(language):
        head, _, tail = form.partition("{n}")
        if head.strip():
            before.setdefault(_normal(head), qualifier)
            continue
        ending = next((e for e in ENDINGS if tail.startswith("{" + e + "}")), None)
        rest = tail[len(ending) + 2:] if ending else tail
        words = (r"\s+" if rest[:1].isspace() else "") + _words_regex(rest) + r"(?!\w)"
        suffix = r"[-‐]" + _ENDING_RE[ending] if ending else ""
        after.append(_After(
            qualifier, re.compile(suffix + words, re.IGNORECASE),
            re.compile(_ENDING_RE[ending] + "$", re.IGNORECASE) if ending else None,
            re.compile(words, re.IGNORECASE)))
    pattern = "|".join(_words_regex(w) for w in sorted(before, key=len, reverse=True))
    return _Reading(
        re.compile(r"(?<!\w)(" + pattern + r")\s+$", re.IGNORECASE) if pattern else None,
        before, tuple(after))


_READINGS = {language: _reading(language) for language in LANGUAGES}


def _qualifier_before(text: str, start: int, language: str) -> tuple[str, str, int]:
    reading = _READINGS[language]
    before = text[max(0, start - 40):start]
    match = reading.before.search(before) if reading.before else None
    if match:
        return reading.before_ids[_normal(match[1])], match[1], max(0, start - 40) + match.start(1)
    return "exact", "", -1


def _qualifier_after(text: str, start: int, end: int, language: str) -> tuple[str, str] | None:
    """A qualifier written after the number: "400-dən çox" after digits, "dörd yüzdən çox" after words."""
    after = text[end:end + 40]
    for form in _READINGS[language].after:
        match = form.after_digits.match(after)
        if not match and form.ending and form.ending.search(text[start:end]):
            match = form.words.match(after)
        if match:
            return form.qualifier, match[0].strip()
    return None


def _skipped(text: str, start: int, end: int, value: int | Decimal, is_digits: bool,
             masked: _Masked) -> bool:
    """Dates, years, ordinals, ages, references (article 10, page 2) and list markers."""
    if masked.covers(start):
        return True
    after = text[end:end + 20]
    if is_digits:
        if _ORDINAL.match(after) or _LETTER.match(after):
            return True
        if isinstance(value, int) and 1900 <= value <= 2100 and _YEAR.fullmatch(text[start:end]):
            return True
    previous = _previous_word(text, start)
    if previous in REFERENCE_WORDS or previous in MONTHS:
        return True
    if _next_word(text, end) in MONTHS:
        return True
    if _AGE_STRICT.match(after):
        return True
    before = text[max(0, start - 25):start].lower()
    return bool(_AGE_BEFORE.search(before))


class _Masked:
    """Spans no figure may start in (dates, list markers, digits already read), sorted once so
    each candidate bisects instead of testing every span: a text of numbers stays linear."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far

    def covers(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and self._reach[index] > offset


def find_figures(text: str, language: str = "en", include_articles: bool = True) -> list[Figure]:
    """Every figure in `text`, in order; `include_articles=False` leaves out "one", "ein", "un"."""
    language = language if language in LANGUAGES else "en"
    spans = [m.span() for m in _DATE_NUMERIC.finditer(text)]
    spans += [m.span() for m in _LIST_MARKER.finditer(text)]
    spans += [m.span() for m in _PAGE_OF.finditer(text)]
    masked = _Masked(spans)
    figures: list[Figure] = []
    for match in _DIGITS.finditer(text):
        value = _digits_value(match[1], language)
        if value is None:
            continue
        start, end = match.span(1)
        scale = _SCALE_WORD.match(text[end:end + 20])
        factor = _scale(scale[1], language) if scale else None
        if scale and factor:
            value = value * factor
            if isinstance(value, Decimal) and value == value.to_integral_value():
                value = int(value)
            end = end + scale.end()
        elif _skipped(text, start, end, value, True, masked):
            continue
        figures.append(_with_qualifier(text, language, value, start, end, False))
    masked = _Masked(spans + [(f.start, f.end) for f in figures])
    figures.extend(_word_figures(text, language, include_articles, masked))
    return sorted(figures, key=lambda f: f.start)


def _scale(word: str, language: str) -> int | None:
    word = word.lower()
    if language == "de" and word == "million":
        return 10**6
    if language != "az" and word == "min":
        return None
    if language == "en" and word in ("mille", "milliard", "tausend"):
        return None
    if language == "az" and word not in SCALES:  # "10 milyondan çox", "10 milyona yaxın"
        word = next((word[: -len(s)] for s in AZ_SUFFIXES if word.endswith(s) and word[: -len(s)] in SCALES),
                    word)
    return SCALES.get(word)


def _with_qualifier(text: str, language: str, value: int | Decimal, start: int, end: int,
                    words: bool) -> Figure:
    qualifier, written, qstart = _qualifier_before(text, start, language)
    if qualifier == "exact":
        after = _qualifier_after(text, start, end, language)
        if after:
            return Figure(value, text[start:end], start, end, after[0], after[1], end, words)
    return Figure(value, text[start:end], start, end, qualifier, written, qstart, words)


def _word_figures(text: str, language: str, include_articles: bool,
                  masked: _Masked) -> list[Figure]:
    tokens = list(_WORD.finditer(text))
    # each word's value once, and only the number words visited (a passage is mostly none)
    values = [word_value(token[0], language) for token in tokens]
    numbers = [i for i, value in enumerate(values) if value is not None]
    found: list[Figure] = []
    connectors = _CONNECTORS[language]
    articles = set() if include_articles else ARTICLES[language]
    index = 0
    for candidate in numbers:
        if candidate < index:
            continue  # read already, as part of the group before
        index = candidate
        token = tokens[index]
        if token[0].lower() in articles:
            index += 1
            continue
        group = [index]
        nxt = index + 1
        while nxt < len(tokens) and text[tokens[nxt - 1].end():tokens[nxt].start()].isspace():
            word = tokens[nxt][0].lower()
            if values[nxt] is not None:
                group.append(nxt)
                nxt += 1
            elif (word in connectors and nxt + 1 < len(tokens)
                  and values[nxt + 1] is not None):
                group.extend((nxt, nxt + 1))
                nxt += 2
            else:
                break
        value = None
        while group:
            value = phrase_value(tuple(tokens[i][0] for i in group), language)
            if value is not None:
                break
            group.pop()
        if not group or value is None:  # a group is left only when its phrase had a value
            index += 1
            continue
        start, end = tokens[group[0]].start(), tokens[group[-1]].end()
        index = group[-1] + 1
        if _skipped(text, start, end, value, False, masked):
            continue
        figure = _with_qualifier(text, language, value, start, end, True)
        if (language == "az" and tokens[group[-1]][0].lower() not in AZ_NUMBERS
                and figure.qualifier_start < figure.end):
            continue  # "ona", "ondan" (to him, from him) count only before a qualifier: "ona yaxın"
        found.append(figure)
    return found


def _after_noun_pattern(language: str) -> re.Pattern[str] | None:
    forms = AFTER_NOUN.get(language, ())
    if not forms:
        return None
    words = "|".join(_words_regex(w) for w, _ in sorted(forms, key=lambda f: -len(f[0])))
    # the noun phrase (a few words, no stop), then the qualifier between commas or before the end
    return re.compile(r"[^\W\d_][^.;:!?\d]{0,60}?,\s*(" + words + r")(?=\s*(?:[,.;:!?)]|$))", re.IGNORECASE)


_AFTER_NOUN = {language: _after_noun_pattern(language) for language in LANGUAGES}


def with_trailing_qualifier(figure: Figure, text: str, language: str) -> Figure:
    """"400 political prisoners, approximately,": a qualifier set after the noun the figure counts,
    read as the figure's own when the figure has none."""
    pattern = _AFTER_NOUN.get(language)
    if figure.qualifier != "exact" or pattern is None:
        return figure
    match = pattern.match(text, _skip_blank(text, figure.end))
    if not match:
        return figure
    qualifier = {_normal(w): q for w, q in AFTER_NOUN[language]}[_normal(match[1])]
    return Figure(figure.value, figure.text, figure.start, figure.end, qualifier, match[1], match.start(1),
                  figure.words)


def _skip_blank(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset
