"""batch/letter_inputs.py: a letter's input hash changes exactly when something its files are made of does."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from helpers import make_workspace

from appealkit.batch.letter_inputs import build_key, digest, digest_of_parts, folder_digest, library_versions
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace


def loaded(root):
    workspace = load_workspace(root)
    return workspace, load_campaign_file(workspace, root / "campaigns" / "test.yaml")


def test_digest_is_stable_and_ignores_key_order():
    value = {"b": [1, Decimal("2.5")], "a": datetime.date(2025, 10, 25)}
    assert digest(value) == digest(dict(reversed(value.items())))
    assert digest(value) != digest({**value, "a": datetime.date(2025, 10, 24)})
    assert len(digest(value)) == 64


def test_the_key_has_no_machine_path(tmp_path):
    one, two = make_workspace(tmp_path / "one"), make_workspace(tmp_path / "two")
    assert build_key(*loaded(one), ("docx",), None, None) == build_key(*loaded(two), ("docx",), None, None)


def test_formats_people_and_template_file_names_change_the_key(tmp_path):
    root = make_workspace(tmp_path / "ws")
    workspace, campaign = loaded(root)
    key = build_key(workspace, campaign, ("docx",), None, None)
    assert build_key(workspace, campaign, ("docx", "pdf"), None, None) != key
    (root / "templates" / "appeal.de.md").write_text("Hallo\n", encoding="utf-8")
    assert build_key(workspace, campaign, ("docx",), None, None) != key  # a German letter would use it
    (root / "templates" / "appeal.de.md").unlink()
    assert build_key(workspace, campaign, ("docx",), None, None) == key
    people = dict(workspace.people)
    first = next(iter(people))
    people[first] = dataclasses.replace(people[first], name=people[first].name + "x")
    assert build_key(dataclasses.replace(workspace, people=people), campaign, ("docx",), None, None) != key


def test_the_campaign_letters_do_not_change_the_shared_key(tmp_path):
    workspace, campaign = loaded(make_workspace(tmp_path / "ws"))
    fewer = dataclasses.replace(campaign, letters=campaign.letters[:0])
    assert build_key(workspace, fewer, ("docx",), None, None) == build_key(workspace, campaign, ("docx",), None, None)


def test_the_layout_counts_only_for_pdf(tmp_path):
    workspace, campaign = loaded(make_workspace(tmp_path / "ws"))
    layout = tmp_path / "layout"
    layout.mkdir()
    (layout / "letter.css").write_text("a {}", encoding="utf-8")
    before = {fmt: build_key(workspace, campaign, fmt, layout, None) for fmt in (("docx",), ("pdf",))}
    (layout / "letter.css").write_text("b {}", encoding="utf-8")
    assert build_key(workspace, campaign, ("docx",), layout, None) == before[("docx",)]
    assert build_key(workspace, campaign, ("pdf",), layout, None) != before[("pdf",)]
    assert folder_digest(layout).keys() == {"letter.css"}


def test_library_versions_name_every_library_that_shapes_the_bytes():
    versions = library_versions()
    assert {"weasyprint", "python-docx", "pypdf", "jinja2"} <= versions.keys()
    assert all(versions.values())


def test_letter_inputs_now_match_the_manifest_until_an_input_changes(tmp_path):
    """What `send` and `approve` ask (is the build outdated?) is answered by the build's own hash."""
    import json

    from appealkit.batch.build import build
    from appealkit.batch.letter_inputs import LetterInputs

    root = make_workspace(tmp_path)
    workspace, campaign = loaded(root)
    result = build(workspace, campaign, formats=("docx", "pdf"), jobs=1)
    entries = {e["id"]: e for e in json.loads(result.manifest.read_text())["letters"]}
    recorded = {letter_id: entry["inputs"] for letter_id, entry in entries.items()}

    def now(workspace, campaign):
        parts = LetterInputs(workspace, campaign, ("docx", "pdf")).current(entries)
        return {letter_id: digest(p) if p else "" for letter_id, p in parts.items()}

    assert now(workspace, campaign) == recorded
    fact_file = root / "facts" / "prisoners.yaml"
    fact_file.write_text(fact_file.read_text().replace("value: 400", "value: 375"))
    assert now(*loaded(root)) != recorded
    assert now(*loaded(root)).keys() == recorded.keys()


def test_a_digest_of_parts_hashes_each_part_as_digest_writes_it():
    import datetime
    import hashlib
    import json
    from decimal import Decimal

    small = {"b": [1, 2.5, None, True], "a": "Ça ǝ \u2028", "d": datetime.date(2025, 10, 25), "n": Decimal("1.50")}
    letters = [{"id": f"letter-{n}", "words": "ə" * (n % 50), "facts": list(range(n % 9))} for n in range(4000)]
    texts = [json.dumps({**small, "d": "2025-10-25", "n": "1.50"}, sort_keys=True, ensure_ascii=False,
                        separators=(",", ":")).encode("utf-8"),
             *(json.dumps(letter, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
               for letter in letters)]
    assert digest_of_parts([small, *letters]).hexdigest() == hashlib.sha256(
        b"".join(text + b"\0" for text in texts)).hexdigest()
    # the same values cut into other parts are another digest: a part's end is part of what is hashed
    assert digest_of_parts([small, letters]).hexdigest() != digest_of_parts([small, *letters]).hexdigest()
    assert digest_of_parts(iter([small])).hexdigest() == hashlib.sha256(texts[0] + b"\0").hexdigest()
