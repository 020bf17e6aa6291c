"""Whatever appealkit writes, its own audit reads back with no finding.

Letters are built by `build` from a small workspace in every language appealkit writes,
with every qualifier and number format, as DOCX, as PDF (justified, so the extracted text
has uneven spaces) and as plain text. Each is audited; no finding may come back, and every
cited figure must be read and tied to its fact, so "no finding" cannot mean "nothing read".
"""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import make_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealkit.batch.build import build
from appealkit.checks.audit import Auditor, audit
from appealkit.checks.figures import find_figures
from appealkit.read.letter_reader import read_letter
from appealkit.render.document import letter_text
from appealkit.rules.language_guess import detect_language
from appealkit.rules.qualifiers import LANGUAGES, QUALIFIER_IDS, agrees
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace

FORMATS = ("digits", "words", "compact")
#: Values each format is shown with in the matrix, taken in turn.
VALUES = {
    "digits": (400, 40, 9, 12_500, Decimal("12.5"), 1_000_000),
    "words": (400, 40, 9, 21, 350, 6),
    "compact": (10_000_000, 2_000_000, 3_000_000_000, 40_000),
}
#: How each language names what a fact counts; {w} is a made-up word that tells facts apart.
NOUNS = {
    "en": ("{w} prisoners", "{w} prisoner"),
    "de": ("{W} Gefangene", "{W} Gefangener"),
    "fr": ("prisonniers {w}", "prisonnier {w}"),
    "az": ("{w} məhbuslar", "{w} məhbus"),
}
#: A sentence around each citation, with the short words that tell the audit the language.
SENTENCES = {
    "en": "We report {cited} and the families of the country.",
    "de": "Wir melden {cited} und die Familien des Landes.",
    "fr": "Nous signalons {cited} et les familles du pays.",
    "az": "Biz {cited} və onların ailələri barədə yazırıq.",
}
PART = " — {part}"


def made_up_words(count: int) -> list[str]:
    """Words of no language, so a fact's noun names only that fact."""
    words = ["".join(letters) + "an" for letters in itertools.product("bdgkmpt", "oeu", "lrsv", "iy")]
    return words[:count]


def fact_yaml(fact_id: str, word: str, value, qualifier: str, number_format: str,
              part: tuple[str, int] | None = None) -> str:
    def nouns(language: str, w: str) -> tuple[str, str]:
        plural, singular = NOUNS[language]
        return plural.format(w=w, W=w.capitalize()), singular.format(w=w, W=w.capitalize())

    def block(w: str, indent: str) -> str:
        noun, singular = nouns("en", w)
        lines = [f"noun: {noun}", f"noun_singular: {singular}", "translations:"]
        for language in LANGUAGES[1:]:
            noun, singular = nouns(language, w)
            lines.append(f"  {language}: {{noun: {noun}, noun_singular: {singular}}}")
        return "".join(f"{indent}{line}\n" for line in lines)

    text = (f"{fact_id}:\n  value: {value}\n  qualifier: {qualifier}\n  format: {number_format}\n"
            f"  as_of: 2025-10-25\n  sources: [{{title: Round trip}}]\n" + block(word, "  "))
    if part:
        name, part_value = part
        text += f"  parts:\n    {name}:\n      value: {part_value}\n      format: words\n"
        text += block(name, "      ")
    return text


def workspace_files(cases: list[tuple], languages: tuple[str, ...]) -> dict[str, str]:
    """A workspace citing each (value, qualifier, format, part) once, with a letter in each language."""
    words = made_up_words(2 * len(cases))
    facts, lines = [], []
    for index, (value, qualifier, number_format, part_value) in enumerate(cases):
        fact_id = f"fact_{index}"
        part = (words[len(cases) + index], part_value) if part_value else None
        facts.append(fact_yaml(fact_id, words[index], value, qualifier, number_format, part))
        cited = f'{{{{ fact("{fact_id}") }}}}'
        if part:
            cited += PART.format(part=f'{{{{ fact("{fact_id}").part("{part[0]}") }}}}')
        lines.append(cited)
    files: dict[str, str] = {"facts/prisoners.yaml": "\n".join(facts)}
    letters = []
    for language in LANGUAGES:
        body = "\n\n".join(SENTENCES[language].format(cited=cited) for cited in lines)
        name = "appeal.md" if language == "en" else f"appeal.{language}.md"
        files[f"templates/{name}"] = body + "\n"
    for language in languages:
        files[f"recipients/minister-{language}.yaml"] = (
            f"office: Minister\nholder: {{name: Jane Minister}}\nterm: {{from: 2025-01-01}}\n"
            f"salutation: Dear Minister,\naddress: [1 Example Street]\nlanguage: {language}\n")
        letters.append(f"  - template: appeal.md\n    recipient: minister-{language}\n")
    files["campaigns/test.yaml"] = ("id: test\ntitle: Round trip\ndate: 2025-10-25\nplace: Bonn\n"
                                    "organisation: asimkom\nletters:\n" + "".join(letters))
    return files


def built_letters(root: Path, cases: list[tuple], languages: tuple[str, ...]) -> tuple[list[Path], object]:
    """Build the workspace into root/build; the DOCX, PDF and a text file of every letter."""
    make_workspace(root, {"recipients/minister.yaml": None, "templates/snippets/deported.md": None,
                          **workspace_files(cases, languages)})
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, root / "campaigns/test.yaml")
    result = build(workspace, campaign, root / "build", jobs=1)
    assert [o.status for o in result.letters] == ["built"] * len(languages), [o.error for o in result.letters]
    paths = []
    for outcome in result.letters:
        text = root / "build" / f"{outcome.id}.txt"
        text.write_text(letter_text(outcome.rendered.letter), encoding="utf-8")
        paths += [*(o.path for o in outcome.outputs), text]
    return paths, workspace


def figures_read(workspace, path: Path) -> dict[str, list[tuple]]:
    """Fact id → (value, qualifier) of every figure the audit ties to it, as the audit reads them."""
    auditor = Auditor(workspace)
    letter = read_letter(path)
    overall = detect_language(letter.text)
    found: dict[str, list[tuple]] = {}
    for passage in letter.passages:
        language = detect_language(passage.text, overall)
        figures = find_figures(passage.text, language)
        for figure in figures:
            target = auditor.counted.link(figure, figures, passage.text, language)
            if target:  # of facts that share a noun, the one the evidence points at
                target = auditor.attributor.choose(target, figure, passage.text, language).target
            if target:
                found.setdefault(target.id, []).append((figure.value, figure.qualifier, language))
    return found


def assert_round_trip(root: Path, cases: list[tuple], languages: tuple[str, ...] = LANGUAGES) -> None:
    paths, workspace = built_letters(root, cases, languages)
    assert len(paths) == 3 * len(languages)
    result = audit(workspace, paths)
    assert [f"{f.file}:{f.line}: {f.message}" for f in (*result.findings, *result.unreadable)] == []
    for path in paths:
        found = figures_read(workspace, path)
        for index, (value, qualifier, _format, part_value) in enumerate(cases):
            fact_id = f"fact_{index}"
            assert found.get(fact_id), f"{path.name}: {fact_id} ({qualifier} {value}) not read"
            for read_value, read_qualifier, language in found[fact_id]:
                assert Decimal(str(read_value)) == Decimal(str(value)), (path.name, fact_id)
                assert agrees(read_qualifier, qualifier, language), (path.name, fact_id, read_qualifier)
            if part_value:
                part_ids = [key for key in found if key.startswith(f"{fact_id}.")]
                assert part_ids, f"{path.name}: the part of {fact_id} not read"


def matrix() -> list[tuple]:
    """Every qualifier with every format, each with its own value; some with a part."""
    cases = []
    for number, (qualifier, number_format) in enumerate(itertools.product(QUALIFIER_IDS, FORMATS)):
        values = VALUES[number_format]
        value = values[number % len(values)]
        cases.append((value, qualifier, number_format, 2 if number % 5 == 0 and value > 2 else None))
    return cases


def test_every_language_qualifier_and_format_reads_back_with_no_finding(tmp_path):
    assert_round_trip(tmp_path, matrix())


def test_the_matrix_covers_every_qualifier_and_format():
    cases = matrix()
    assert {(q, f) for _, q, f, _ in cases} == set(itertools.product(QUALIFIER_IDS, FORMATS))
    assert any(part for *_, part in cases)


# ---- any value, at random ----

#: 1900 to 2100 written as four digits reads as a year, never as a figure ("in 2021"): left out.
WHOLE = st.integers(min_value=2, max_value=999_999_999).filter(lambda n: not 1900 <= n <= 2100)
COMPACT = st.builds(lambda digit, zeros: digit * 10**zeros, st.integers(1, 99), st.integers(3, 9))
DECIMAL = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("9999.9"), places=1).filter(
    lambda d: d != d.to_integral_value())
CASES = st.one_of(
    st.tuples(st.one_of(WHOLE, DECIMAL), st.sampled_from(QUALIFIER_IDS), st.just("digits"),
              st.one_of(st.none(), st.integers(2, 99))),
    st.tuples(st.integers(2, 999_999), st.sampled_from(QUALIFIER_IDS), st.just("words"),
              st.one_of(st.none(), st.integers(2, 99))),
    st.tuples(COMPACT, st.sampled_from(QUALIFIER_IDS), st.just("compact"), st.none()),
).filter(lambda case: case[3] is None or case[3] < case[0])  # a part is smaller than its whole


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CASES, min_size=1, max_size=4), st.sampled_from(LANGUAGES))
def test_any_figure_reads_back_with_no_finding(cases, language):
    with tempfile.TemporaryDirectory() as folder:
        assert_round_trip(Path(folder), cases, (language,))



# ---- facts that share a noun, lists named whole and in part ----

#: How a letter in each language says that the names it gives are some of a list's members.
INCLUDING = {"en": "including", "de": "darunter", "fr": "parmi lesquels", "az": "o cümlədən"}
#: A sentence citing a list whole ({count} and {names}) and one citing it in part ({some}).
LIST_SENTENCES = {
    "en": ("We report {count} and the families of the country: {names}.",
           "We report {count} and the families of the country, {including} {some}."),
    "de": ("Wir melden {count} und die Familien des Landes: {names}.",
           "Wir melden {count} und die Familien des Landes, {including} {some}."),
    "fr": ("Nous signalons {count} et les familles du pays : {names}.",
           "Nous signalons {count} et les familles du pays, {including} {some}."),
    "az": ("Biz {count} və onların ailələri barədə yazırıq: {names}.",
           "Biz {count} və onların ailələri barədə yazırıq, {including} {some}."),
}


def shared_noun_files(facts: list[tuple], members: int, language: str) -> dict[str, str]:
    """Facts that all count one noun, each told apart only by a keyword of its own written beside it,
    and a list of `members` people named whole and then in part."""
    words = made_up_words(len(facts) + 2 * members + 2)
    noun, keywords, people_words = words[0], words[1:len(facts) + 1], words[len(facts) + 1:]
    blocks, lines = [], []
    for index, (value, qualifier, number_format) in enumerate(facts):
        fact = fact_yaml(f"fact_{index}", noun, value, qualifier, number_format)
        blocks.append(fact + f"  keywords: [{keywords[index]}]\n")
        cited = f'{{{{ fact("fact_{index}") }}}}'
        lines.append(SENTENCES[language].format(cited=cited).rstrip(".") + f", {keywords[index]}.")
    ids = [f"member_{n}" for n in range(members)]
    people = "".join(f"{pid}:\n  name: {people_words[2 * n].capitalize()} {people_words[2 * n + 1].capitalize()}ov\n"
                     for n, pid in enumerate(ids))
    blocks.append(f"listed:\n  members: [{', '.join(ids)}]\n  format: words\n  as_of: 2025-10-25\n"
                  f"  sources: [{{title: Round trip}}]\n" + fact_yaml("x", words[-1], 1, "exact", "words")
                  .split("  sources: [{title: Round trip}]\n", 1)[1])
    whole, part = LIST_SENTENCES[language]
    count = '{{ fact("listed") }}'
    lines.append(whole.format(count=count, names='{{ fact("listed").names }}'))
    some = " ".join(f'{{{{ person("{pid}") }}}}' for pid in ids[:2]).replace("}} {{", "}}, {{")
    lines.append(part.format(count=count, including=INCLUDING[language], some=some))
    name = "appeal.md" if language == "en" else f"appeal.{language}.md"
    return {
        "facts/prisoners.yaml": "\n".join(blocks),
        "people/people.yaml": MINIMAL_PEOPLE + people,
        f"templates/{name}": "\n\n".join(lines) + "\n",
        **({} if language == "en" else {"templates/appeal.md": "\n\n".join(lines) + "\n"}),
        f"recipients/minister-{language}.yaml": (
            f"office: Minister\nholder: {{name: Jane Minister}}\nterm: {{from: 2025-01-01}}\n"
            f"salutation: Dear Minister,\naddress: [1 Example Street]\nlanguage: {language}\n"),
        "campaigns/test.yaml": ("id: test\ntitle: Round trip\ndate: 2025-10-25\nplace: Bonn\n"
                                f"organisation: asimkom\nletters:\n  - template: appeal.md\n"
                                f"    recipient: minister-{language}\n"),
    }


MINIMAL_PEOPLE = "asimkom:\n  name: ASİMKOM\n  kind: organisation\njane_minister:\n  name: Jane Minister\n"
SHARED = st.tuples(st.one_of(WHOLE, DECIMAL), st.sampled_from(QUALIFIER_IDS), st.sampled_from(["digits", "words"]))


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SHARED, min_size=2, max_size=3), st.integers(3, 4), st.sampled_from(LANGUAGES))
def test_facts_sharing_a_noun_and_lists_in_part_read_back_with_no_finding(facts, members, language):
    """What `check` and `build` let through, `audit` of the DOCX, the PDF and the text never refuses."""
    facts = [(value if number_format == "digits" else int(value) or 2, qualifier, number_format)
             for value, qualifier, number_format in facts]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_workspace(root, {"recipients/minister.yaml": None, "templates/snippets/deported.md": None,
                              **shared_noun_files(facts, members, language)})
        workspace = load_workspace(root)
        result = build(workspace, load_campaign_file(workspace, root / "campaigns/test.yaml"), root / "build", jobs=1)
        [outcome] = result.letters
        assert outcome.status == "built", [str(f) for f in outcome.check.findings] if outcome.check else outcome.error
        text = root / "build" / f"{outcome.id}.txt"
        text.write_text(letter_text(outcome.rendered.letter), encoding="utf-8")
        paths = [*(o.path for o in outcome.outputs), text]
        audited = audit(workspace, paths)
        assert [str(f) for f in (*audited.findings, *audited.unreadable)] == []
        for path in paths:
            found = figures_read(workspace, path)
            assert {f"fact_{n}" for n in range(len(facts))} <= set(found), (path.name, found)
