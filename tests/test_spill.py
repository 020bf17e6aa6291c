"""batch/spill.py: a list kept in a temporary file, so a build of thousands of letters holds one at a time."""

from __future__ import annotations

import gc
import pickle
import threading
import tracemalloc

import pytest

from appealkit.batch.spill import Keyed, Mapped, Spilled


def test_items_come_back_equal_in_their_slots_whatever_the_order_they_were_put_in():
    spilled: Spilled[dict] = Spilled(size=5)
    for index in (3, 0, 4, 1, 2):
        spilled.put(index, {"id": f"letter-{index}", "facts": [index] * index, "subject": "Çağırış ə"})
    assert len(spilled) == 5
    assert [item["id"] for item in spilled] == [f"letter-{n}" for n in range(5)]
    assert spilled[4]["facts"] == [4, 4, 4, 4] and spilled[-1] == spilled[4]
    assert [item["id"] for item in spilled[1:4]] == ["letter-1", "letter-2", "letter-3"]
    spilled.put(2, {"id": "again"})  # a slot put twice holds the later item
    assert spilled[2] == {"id": "again"} and spilled[3]["id"] == "letter-3"


def test_each_reading_is_a_new_object_so_a_change_to_one_is_not_kept():
    spilled = Spilled([{"facts": [1, 2]}])
    first = spilled[0]
    first["facts"].append(3)
    assert spilled[0] == {"facts": [1, 2]} and spilled[0] is not spilled[0]


def test_a_slot_never_put_is_an_error_and_past_the_end_is_an_index_error():
    spilled: Spilled[int] = Spilled(size=2)
    spilled.put(1, 7)
    with pytest.raises(LookupError, match="item 0 of 2 was never put"):
        spilled[0]
    with pytest.raises(IndexError):
        spilled[2]
    assert list(Spilled()) == [] and len(Spilled()) == 0


def test_what_is_held_in_memory_does_not_grow_with_the_items():
    """3,000 items of 4 kB each: held in a list they are 12 MB; spilled, their offsets only."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        spilled = Spilled(size=3000)
        for index in range(3000):
            spilled.put(index, {"id": f"letter-{index:04d}", "text": "ə" * 2000})
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 200_000, held
    assert spilled[2999]["id"] == "letter-2999" and len(spilled[1234]["text"]) == 2000


def test_readers_in_two_threads_each_get_their_own_items():
    spilled = Spilled([{"n": n, "pad": "x" * (n % 97)} for n in range(400)])
    wrong: list[int] = []

    def read(order: range) -> None:
        wrong.extend(n for n in order if spilled[n]["n"] != n)

    threads = [threading.Thread(target=read, args=(range(400),)),
               threading.Thread(target=read, args=(range(399, -1, -1),))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_a_pickled_list_carries_its_items_and_a_closed_one_cannot_be_read():
    spilled = Spilled(["a", {"b": 2}])
    copy = pickle.loads(pickle.dumps(spilled))
    assert isinstance(copy, Spilled) and list(copy) == ["a", {"b": 2}]
    spilled.close()
    with pytest.raises(ValueError):
        spilled[0]
    assert list(copy) == ["a", {"b": 2}]  # the copy has its own file


def test_a_mapped_view_makes_each_item_when_read():
    made = []

    def make(item: dict) -> str:
        made.append(item["n"])
        return f"row {item['n']}"

    rows = Mapped(Spilled([{"n": n} for n in range(4)]), make)
    assert len(rows) == 4 and made == []  # nothing made until read
    assert rows[2] == "row 2" and rows[-1] == "row 3" and list(rows[1:3]) == ["row 1", "row 2"]
    assert list(rows) == ["row 0", "row 1", "row 2", "row 3"]
    assert made == [2, 3, 1, 2, 0, 1, 2, 3]  # made again at each reading, never kept


def test_keyed_items_are_found_by_their_key():
    def key(item):
        return item.get("id")

    written = Spilled({"id": f"letter-{n}", "n": n} for n in range(50))
    keyed = Keyed([written, [{"id": "letter-7", "n": "refused"}, {"no id": 1}]], key)
    assert len(keyed) == 50 and keyed["letter-8"] == {"id": "letter-8", "n": 8}
    assert keyed["letter-7"] == {"id": "letter-7", "n": "refused"}  # a later section's item wins
    assert keyed.get("letter-50") is None and "letter-49" in keyed
    assert list(keyed)[:3] == ["letter-0", "letter-1", "letter-2"]
    with pytest.raises(KeyError):
        keyed["nothing"]
    assert dict(Keyed([], key)) == {}


@pytest.fixture
def full_folder(tmp_path, monkeypatch):
    """A real temporary folder with one page of room left (a tmpfs of four pages, three filled),
    made the temporary folder of this process; root only (as CI runs), skipped elsewhere."""
    import os
    import subprocess
    import tempfile

    folder = tmp_path / "full"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        (folder / "filler").write_bytes(b"x" * 12288)
        monkeypatch.setattr(tempfile, "tempdir", str(folder))
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)  # gone once the last file closes


def test_a_full_temporary_folder_is_one_error_naming_it_and_what_to_do(full_folder):
    spilled = Spilled()
    with pytest.raises(OSError) as raised:
        for index in range(100):
            spilled.append("ə" * 1000 + str(index))
    assert raised.value.filename == str(full_folder)
    assert "No space left on device" in raised.value.strerror and "set TMPDIR" in raised.value.strerror
    del spilled
    gc.collect()  # closing it writes nothing more (an error there would fail this test as unraisable)


def test_a_build_with_a_full_temporary_folder_stops_with_one_line(full_folder, tmp_path):
    from click.testing import CliRunner
    from helpers import make_workspace

    from appealkit.cli import cli

    root = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["--root", str(root), "build", "test", "--format", "docx"])
    assert result.exit_code == 1, result.output
    assert f"{full_folder}: error: No space left on device" in result.stderr
    assert "set TMPDIR" in result.stderr and "Traceback" not in result.output + result.stderr
    assert not (root / "build" / "test" / "manifest.json").exists()  # no manifest of a build that did not end
