"""The preview behind `appealkit serve`: incremental refresh, errors with file and line, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_example, make_workspace

from appealkit.serve.preview import Preview

EC = "bonn-2025/appeal-ec-president--ec-president"
COE = "bonn-2025/appeal-coe-committee-of-ministers--coe-cm-chair"
ALL = 5


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def example(tmp_path) -> Path:
    return copy_example(tmp_path / "ws")


def test_first_refresh_renders_every_letter_and_a_second_none(example):
    preview = Preview(example)
    first = preview.refresh()
    assert len(first.rendered) == ALL and not first.problems
    letters = [view for campaign in first.campaigns for view in campaign.letters]
    assert [v.language for v in letters] == ["en", "en", "en", "de", "az"]
    assert all('<html lang="' + v.language + '">' in v.html for v in letters)
    assert preview.refresh().rendered == ()


def test_only_the_letters_a_change_touches_are_rendered_again(example):
    preview = Preview(example)
    preview.refresh()
    edit(example / "templates/appeal-ec-president.md", "We are writing", "We write")
    assert preview.refresh().rendered == (EC,)
    edit(example / "facts/country.yaml", "value: 2006", "value: 2007")
    snapshot = preview.refresh()
    assert snapshot.rendered == (COE,)
    assert "2007" in snapshot.letter("bonn-2025", COE.split("/")[1])[1].html


def test_a_yaml_error_keeps_the_letters_and_names_file_and_line(example):
    preview = Preview(example)
    good = preview.refresh()
    (example / "facts/prisoners.yaml").write_text("political_prisoners:\n  value: [400\n", encoding="utf-8")
    broken = preview.refresh()
    assert [(p.file, p.line) for p in broken.problems] == [("facts/prisoners.yaml", 3)]
    assert broken.campaigns == good.campaigns and broken.version == good.version + 1


def test_a_template_error_refuses_the_letter_and_keeps_its_last_rendering(example):
    preview = Preview(example)
    good = preview.refresh().letter("bonn-2025", "appeal-ec-president--ec-president")[1]
    edit(example / "templates/appeal-ec-president.md", "We are writing", "{{ fact('nope') }} We are writing")
    _, view = preview.refresh().letter("bonn-2025", "appeal-ec-president--ec-president")
    assert view.state == "refused" and view.html == good.html
    assert [(p.file, p.line) for p in view.problems] == [("templates/appeal-ec-president.md", 4)]
    assert any(f.file == "templates/appeal-ec-president.md" for f in view.findings)


def test_findings_and_states_per_letter(example):
    snapshot = Preview(example).refresh()
    states = {v.id: v.state for c in snapshot.campaigns for v in c.letters}
    assert states[COE.split("/")[1]] == "warnings"
    assert sorted(set(states.values())) == ["ok", "warnings"]
    _, coe = snapshot.letter("bonn-2025", COE.split("/")[1])
    assert [(f.file, f.line, f.kind) for f in coe.findings] == [("campaigns/bonn-2025.yaml", 22, "term-of-office")]


def test_facts_in_the_words_letters_use_with_the_letters_citing_them(example):
    snapshot = Preview(example).refresh()
    row = next(r for r in snapshot.facts if r.id == "political_prisoners")
    assert row.cited == "about 400 political prisoners"
    assert row.as_of.isoformat() == "2025-10-25" and row.defined_at == "facts/prisoners.yaml:7"
    assert EC in row.letters and len(row.letters) == ALL


def test_documents_are_made_in_memory_and_nothing_is_written(example):
    before = tree(example)
    preview = Preview(example)
    snapshot = preview.refresh()
    campaign, view = snapshot.letter("bonn-2025", "appeal-ec-president--ec-president")
    assert preview.document(campaign, view, "pdf").startswith(b"%PDF")
    assert preview.document(campaign, view, "docx").startswith(b"PK")
    assert tree(example) == before


def test_a_small_workspace_with_its_own_campaign_file(tmp_path):
    root = make_workspace(tmp_path / "ws")
    snapshot = Preview(root, [root / "campaigns" / "test.yaml"]).refresh()
    assert [c.id for c in snapshot.campaigns] == ["test"]


def test_what_concerns_no_single_letter_is_listed_for_the_workspace(example):
    facts = example / "facts/extra.yaml"
    facts.write_text("spare:\n  value: 3\n  noun: spares\n  as_of: 2025-10-25\n  sources: [{title: Notes}]\n",
                     encoding="utf-8")
    snapshot = Preview(example).refresh()
    assert [(f.file, f.line, f.kind) for f in snapshot.findings] == [("facts/extra.yaml", 1, "unused-fact")]
