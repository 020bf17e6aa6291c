"""batch/bundle.py: the index page, the zip and the bookmarks of a build's bundle. A whole bundle,
all-letters.pdf included, is built in tests/test_batch.py."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from helpers import make_workspace

from appealkit.batch.build import build
from appealkit.batch.bundle import (
    bookmark_title,
    index_html,
    index_page,
    not_built,
    write_index_html,
    zip_bytes,
)
from appealkit.batch.manifest import manifest_data
from appealkit.pages.html_pages import render_page
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace


@pytest.fixture
def workspace(tmp_path):
    return load_workspace(make_workspace(tmp_path / "ws"))


@pytest.fixture
def result(workspace, tmp_path):
    return build(workspace, load_campaign_file(workspace, workspace.root / "campaigns" / "test.yaml"),
                 tmp_path / "out", ("docx",), jobs=1)


def test_a_bookmark_names_the_recipient_and_the_letter():
    assert bookmark_title({"id": "appeal--minister", "addressed_to": ["Dr. A B", "Minister"]}) == (
        "Dr. A B, Minister (appeal--minister)")


def test_the_index_lists_each_letter_and_escapes_workspace_text(workspace, result):
    [entry] = manifest_data(result)["letters"]
    hostile = {**entry, "subject": "<script>alert(1)</script>", "addressed_to": ["<b>Ali</b> & Co"]}
    page = index_html(index_page(workspace, result, [hostile], [])).decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;b&gt;Ali&lt;/b&gt; &amp; Co" in page
    assert 'href="appeal--minister.docx"' in page
    assert "all-letters.pdf" not in page  # no PDF asked for, none offered
    assert 'id="not-written"' not in page


def test_letters_not_written_are_listed_with_their_reasons(workspace, result):
    data = {"refused": [{"id": "a--b", "reasons": ["typed figure <400>"]}],
            "failed": [{"id": "c--d", "errors": ["templates/c.md:3: error: unknown fact"]}]}
    missing = not_built(data)
    assert missing == [("a--b", "refused", ["typed figure <400>"]),
                       ("c--d", "failed", ["templates/c.md:3: error: unknown fact"])]
    page = index_html(index_page(workspace, result, [], missing)).decode("utf-8")
    assert '<h2 id="not-written">Not written</h2>' in page
    assert '<tr id="a--b">' in page and '<tr id="c--d">' in page
    assert "typed figure &lt;400&gt;" in page


def test_the_zip_is_deterministic_sorted_and_dated_with_the_campaign(result):
    files = {"index.html": b"<html></html>", "b.pdf": b"%PDF-1.7 b", "a.docx": result.files("docx")[0]}
    data = zip_bytes(result, files)
    assert data == zip_bytes(result, dict(reversed(files.items())))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["test/a.docx", "test/b.pdf", "test/index.html"]
        assert {i.date_time for i in infos} == {(2025, 10, 25, 0, 0, 0)}
        assert [i.compress_type for i in infos] == [zipfile.ZIP_STORED, zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]
        assert archive.read("test/a.docx") == result.files("docx")[0].read_bytes()


def test_the_index_written_as_rendered_is_the_page_rendered_whole(workspace, result, tmp_path):
    [entry] = manifest_data(result)["letters"]
    many = [{**entry, "id": f"letter-{n:04d}", "subject": f"Ça {n} ǝ"} for n in range(400)]  # some 300 kB
    page = index_page(workspace, result, many, [("x--y", "failed", ["why"])])
    write_index_html(tmp_path / "index.html", page)
    position = {letter["id"]: index for index, letter in enumerate(page["letters"], start=1)}
    whole = render_page("bundle_index.html", **page,
                        letter_link=lambda letter_id: (f"#{letter_id}", f"#{position[letter_id]}"))
    assert len(whole) > 200_000 and "Ça 399 ǝ" in whole and 'title="letter-0399"' in whole
    assert (tmp_path / "index.html").read_bytes() == index_html(page) == whole.encode("utf-8")


def test_the_index_has_the_facts_in_the_words_the_workers_made(workspace, result):
    from appealkit.batch.letter_jobs import LetterJob, run_letters
    from appealkit.checks.fact_usage import fact_words

    campaign = result.campaign
    heard = []
    run_letters(LetterJob(workspace, campaign, result.out_dir, ("docx",)), 1, heard.append)
    [letter] = [r for r in heard if r.status == "built"]
    cited = {f["id"] for f in letter.entry["facts"]}
    assert cited and letter.words == {fact: fact_words(workspace, fact) for fact in cited}
    assert all(type(words) is str for words in letter.words.values())
    data = manifest_data(result)
    made_here = index_html(index_page(workspace, result, data["letters"], not_built(data)))
    assert (result.out_dir / "index.html").read_bytes() == made_here
    assert made_here == index_html(index_page(workspace, result, data["letters"], not_built(data), letter.words))


def test_bookmarks_and_the_index_name_the_holder_not_the_address_blocks_form_line(example_build):
    """The German DIN letter's block starts "Herrn"; its bookmark names the minister and office."""
    from pypdf import PdfReader

    out = example_build.out_dir
    titles = [item.title for item in PdfReader(str(out / "all-letters.pdf")).outline]
    german = next(t for t in titles if t.endswith("(appeal-de-foreign-minister--de-foreign-minister--de)"))
    assert german.startswith("Dr. Johann David Wadephul, Bundesminister")
    assert not any(t.startswith(("Herrn", "Frau", "Monsieur", "Madame")) for t in titles)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["letters"] if e["id"].endswith("--de"))
    assert entry["addressed_to"][0] == "Dr. Johann David Wadephul"
    assert "Herrn" not in (out / "index.html").read_text(encoding="utf-8").split("<table", 1)[0]
