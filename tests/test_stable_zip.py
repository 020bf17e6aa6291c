"""write/stable_zip.py: a zip's bytes depend only on what it holds, however the content is given."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

from appealkit.write.stable_zip import Deflated, stable_zip, stable_zip_into

DAY = datetime.date(2025, 10, 25)


def test_a_file_given_by_its_path_is_zipped_as_its_bytes_stored_or_deflated(tmp_path):
    data = os.urandom(600_000) + b"appeal " * 300_000  # over a megabyte: copied in pieces
    path = tmp_path / "all-letters.pdf"
    path.write_bytes(data)
    for name in ("all-letters.pdf", "manifest.json"):
        by_bytes = stable_zip([(name, data), ("index.html", b"<p>")], DAY, stored=(".pdf",))
        by_path = stable_zip([(name, path), ("index.html", Deflated.of(b"<p>"))], DAY, stored=(".pdf",))
        assert by_path == by_bytes
        with zipfile.ZipFile(io.BytesIO(by_path)) as archive:
            info = archive.getinfo(name)
            assert archive.read(name) == data and info.date_time == (2025, 10, 25, 0, 0, 0)
            assert info.compress_type == (zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED)
    out = io.BytesIO()
    stable_zip_into(out, [("manifest.json", path)], DAY)
    assert out.getvalue() == stable_zip([("manifest.json", data)], DAY)
