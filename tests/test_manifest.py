"""batch/manifest.py: what a build wrote, from which facts, with no wall-clock time in it."""

from __future__ import annotations

import json

import pytest
from helpers import make_workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from appealkit.batch.build import build
from appealkit.batch.manifest import (
    _read_in_pieces,
    manifest_data,
    manifest_text,
    read_manifest,
    stage_manifest,
    write_manifest,
)
from appealkit.batch.spill import Spilled
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace


@pytest.fixture
def result(tmp_path):
    root = make_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    return build(workspace, load_campaign_file(workspace, root / "campaigns" / "test.yaml"), tmp_path / "out",
                 ("docx",), jobs=1)


def test_the_manifest_is_the_data_of_the_result(result):
    assert json.loads(result.manifest.read_text(encoding="utf-8"))["letters"] == list(manifest_data(result)["letters"])


def test_each_letter_lists_its_facts_inputs_and_files(result):
    [letter] = manifest_data(result)["letters"]
    assert letter["id"] == "appeal--minister"
    facts = {f["id"]: f for f in letter["facts"]}
    assert facts["political_prisoners"]["value"] == 400
    assert facts["deported"]["members"] == ["samir_ashurov", "emin_malikov"]
    assert len(letter["inputs"]) == 64  # a sha256
    assert [(o["format"], o["file"]) for o in letter["outputs"]] == [("docx", "appeal--minister.docx")]


def test_no_wall_clock_time_and_the_same_bytes_for_the_same_result(result):
    text = manifest_text(manifest_data(result))
    assert text == manifest_text(manifest_data(result))
    assert text.endswith(b"\n")
    assert b"elapsed" not in text and b"seconds" not in text


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),  # any text: newlines, quotes, \u2028, non-ASCII letters
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.one_of(_JSON_VALUES, st.lists(_JSON_VALUES, max_size=5)),
                       max_size=5),
       st.data())
def test_a_spilled_list_is_written_as_the_list_it_holds(data, draw):
    """The manifest's "letters" are read from their file as they are written: the text must be the very
    text `json.dumps` gives the same data held as lists, whatever the entries hold."""
    spilled = {key: Spilled(value) if isinstance(value, list) and draw.draw(st.booleans()) else value
               for key, value in data.items()}
    expected = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert manifest_text(spilled) == expected
    assert json.loads(manifest_text(spilled)) == data


def _materialised(data):
    return {key: list(value) if isinstance(value, Spilled) else value for key, value in data.items()}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _JSON_VALUES, max_size=4),
       st.lists(st.dictionaries(st.text(max_size=8), _JSON_VALUES, min_size=1, max_size=4), max_size=4),
       st.lists(_JSON_VALUES, max_size=3))
def test_a_manifest_read_in_pieces_is_the_manifest_parsed_whole(tmp_path_factory, rest, letters, refused):
    """The last manifest's letters are read an item at a time: whatever they hold, what comes back is
    what parsing the whole file gives; a list whose items are not objects is parsed whole."""
    data = {**rest, "letters": letters, "refused": refused}
    path = tmp_path_factory.mktemp("manifest") / "manifest.json"
    path.write_bytes(manifest_text({**data, "letters": Spilled(letters)}))
    read = read_manifest(path, spill=("letters", "refused"))
    assert _materialised(read) == json.loads(path.read_text(encoding="utf-8")) == data
    assert isinstance(read["letters"], Spilled) and isinstance(read["refused"], Spilled)
    with path.open(encoding="utf-8") as lines:  # the objects' lists read in pieces, not parsed whole
        streamed = _read_in_pieces(lines, ("letters",))
    assert streamed is not None and _materialised(streamed) == data


def test_a_builds_manifest_is_read_in_pieces_and_a_cut_one_is_none(result, tmp_path):
    text = result.manifest.read_text(encoding="utf-8")
    with result.manifest.open(encoding="utf-8") as lines:
        streamed = _read_in_pieces(lines, ("letters", "refused"))
    assert streamed is not None and _materialised(streamed) == json.loads(text)
    cut = tmp_path / "cut.json"
    end_of_first_letter = text.index("\n    }") + len("\n    }\n")
    for length in (end_of_first_letter, len(text) - 2, text.index('"letters"')):
        cut.write_text(text[:length], encoding="utf-8")
        assert read_manifest(cut, spill=("letters", "refused")) == {}
    cut.write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # saved on Windows
    assert _materialised(read_manifest(cut, spill=("letters",))) == json.loads(text)
    cut.write_text(json.dumps(json.loads(text)), encoding="utf-8")  # laid out otherwise: parsed whole
    assert _materialised(read_manifest(cut, spill=("letters",))) == json.loads(text)


def test_reading_the_last_manifest_in_pieces_never_holds_it_whole(tmp_path):
    """A rebuild of thousands of letters reads the last manifest an entry at a time: parsed whole, its
    objects take about three times its bytes, which the build's workers would inherit."""
    import tracemalloc

    entry = {"facts": [{"id": f"fact_{n}", "value": n, "qualifier": "about", "paragraphs": [n, n + 1]}
                       for n in range(12)], "outputs": [{"format": "docx", "sha256": "ab" * 32}]}
    letters = [{"id": f"letter-{n:04d}", **entry} for n in range(1500)]
    path = tmp_path / "manifest.json"
    path.write_bytes(manifest_text({"campaign": {"id": "c"}, "letters": Spilled(letters), "refused": []}))
    size = path.stat().st_size
    peaks = []
    for spill in (("letters", "refused"), ()):
        tracemalloc.start()
        try:
            read = read_manifest(path, spill=spill)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert list(read["letters"]) == letters
    assert peaks[0] < size / 4 < size < peaks[1], (peaks, size)


def test_the_staged_manifest_is_the_manifest_text(result, tmp_path):
    data = manifest_data(result)
    staged = stage_manifest(tmp_path / "manifest.json", data)
    assert staged.read_bytes() == manifest_text(data) == (
        json.dumps({**data, "letters": list(data["letters"])}, indent=2, ensure_ascii=False) + "\n").encode()


def test_non_ascii_is_kept_as_written():
    assert manifest_text({"publisher": "ASİMKOM"}) == '{\n  "publisher": "ASİMKOM"\n}\n'.encode()


def test_an_unchanged_manifest_is_not_written_again(tmp_path):
    path = tmp_path / "manifest.json"
    write_manifest(path, {"a": 1})
    first = path.stat().st_ino
    write_manifest(path, {"a": 1})
    assert path.stat().st_ino == first  # a rewrite renames a new file into place
    write_manifest(path, {"a": 2})
    assert read_manifest(path) == {"a": 2}


@pytest.mark.parametrize("content", [None, "", "not json", "[1, 2]", "\xff", '{\n  "letters": [\n    {\n\xff'])
def test_a_missing_or_damaged_manifest_reads_as_none(tmp_path, content):
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_text(content, encoding="latin-1")
    assert read_manifest(path) == {} and read_manifest(path, spill=("letters",)) == {}
