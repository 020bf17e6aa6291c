"""One holder at a time, refused at once: two handles of one folder or file never both get the lock."""

from __future__ import annotations

import os

from appealkit.locks import lock_now, open_folder_lock


def test_a_folder_is_held_by_one_handle_until_it_is_closed(tmp_path):
    first, second = open_folder_lock(tmp_path), open_folder_lock(tmp_path)
    try:
        assert lock_now(first) is True
        assert lock_now(second) is False
        os.close(first)
        assert lock_now(second) is True
    finally:
        os.close(second)
    assert sorted(tmp_path.parent.glob(f".{tmp_path.name}.lock")) == []  # POSIX locks the folder itself


def test_a_lock_file_stays_readable_while_held(tmp_path):
    path = tmp_path / ".sent.sqlite.lock"
    path.write_text("4242\n", encoding="utf-8")
    holder = os.open(path, os.O_RDWR)
    other = os.open(path, os.O_RDWR)
    try:
        assert lock_now(holder) and not lock_now(other)
        assert os.read(other, 10) == b"4242\n"  # the pid of the holder, for the refusal's message
        assert os.lseek(holder, 0, os.SEEK_CUR) == 0
    finally:
        os.close(holder)
        os.close(other)
