"""Untrusted files: letters for `audit` made to exhaust or fool the reader are one line each,
exit code 2, and the other letters are still audited. The files are generated here (zip bombs
have no place in git); `benchmarks/hostile_input.py` times them under a memory limit."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import make_workspace, zip_of
from pypdf import PdfWriter

from appealkit.cli import cli
from appealkit.read.untrusted import (
    MAX_MEMBER_BYTES,
    BoundedZip,
    Untrusted,
    parse_xml,
    read_regular,
)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = f'<w:document {W}><w:body><w:p><w:r><w:t>About 350 political prisoners.</w:t></w:r></w:p></w:body></w:document>'


def lying_zip(size: int) -> bytes:
    """A member that declares 100 bytes but inflates to `size`: the declared size is not trusted."""
    data = bytearray(zip_of({"word/document.xml": b" " * size}))
    local, central = 0, data.find(b"PK\x01\x02")
    data[local + 22:local + 26] = (100).to_bytes(4, "little")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    return bytes(data)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def aes_trailer_pdf() -> bytes:
    """An AES-256 (V5/R6) encrypted PDF as far as a reader sees before decrypting anything."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /CF << /StdCF << /CFM /AESV3 /Length 32 >> >>"
        b" /StmF /StdCF /StrF /StdCF /O <" + b"00" * 48 + b"> /U <" + b"00" * 48 + b"> /OE <" + b"00" * 32
        + b"> /UE <" + b"00" * 32 + b"> /Perms <" + b"00" * 16 + b"> >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 3 0 R /ID [<00> <00>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]><w:document " + W.encode() + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document '
       + W.encode() + b"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")

CASES = {
    "zip-bomb.docx": (lambda: zip_of({"word/document.xml": MAX_MEMBER_BYTES + (1 << 20)}),
                      "cannot read the DOCX file ('word/document.xml' inflates to more than 16 MB)"),
    "lying-zip.docx": (lambda: lying_zip(MAX_MEMBER_BYTES + 1),
                       "cannot read the DOCX file ('word/document.xml' is damaged: Bad CRC-32 for file 'word/document.xml')"),
    "billion-laughs.docx": (lambda: zip_of({"word/document.xml": LAUGHS}),
                            "cannot read the DOCX file (word/document.xml declares a DTD (entities), which a document never needs)"),
    "xxe.docx": (lambda: zip_of({"word/document.xml": XXE}),
                 "cannot read the DOCX file (word/document.xml declares a DTD (entities), which a document never needs)"),
    "deep.docx": (lambda: zip_of({"word/document.xml": b"<a>" * 100_000 + b"</a>" * 100_000}),
                  "cannot read the DOCX file (word/document.xml is not well-formed XML: Excessive depth in document: 256)"),
    "malformed.docx": (lambda: zip_of({"word/document.xml": b"<w:document><w:body>"}),
                       "cannot read the DOCX file (word/document.xml is not well-formed XML: "
                       "Namespace prefix w on document is not defined, line 1)"),
    "not-a-document.docx": (lambda: zip_of({"word/document.xml": b"<html/>"}),
                            "cannot read the DOCX file (word/document.xml holds no document body)"),
    "encrypted.pdf": (encrypted_pdf, "cannot read the PDF file (it is encrypted; export it again without a password)"),
    "aes-encrypted.pdf": (aes_trailer_pdf, "cannot read the PDF file (it is encrypted; export it again without a password)"),
    "truncated.pdf": (lambda: encrypted_pdf()[:300],
                      "cannot read the PDF file (it is not a readable PDF: its data is damaged; "
                      "export the letter to PDF again)"),
}


def audit_lines(root: Path, *files: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["--root", str(root), "audit", *files])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout.splitlines()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_letter_is_one_line_exit_2_and_the_others_are_still_audited(tmp_path, name):
    root = make_workspace(tmp_path / "ws")
    make, message = CASES[name]
    (root / name).write_bytes(make())
    (root / "other.txt").write_text("Dear Minister,\n\nnearly 350 political prisoners are held.\n",
                                    encoding="utf-8")
    code, lines = audit_lines(root, str(root / name), str(root / "other.txt"))
    assert code == 2
    assert lines[0] == f"{root / name}: error: {message}"
    assert lines[1].startswith(f"{root / 'other.txt'}:3: error:")


@pytest.mark.parametrize(("kind", "message"), [
    ("fifo", "cannot read the file (it is a named pipe, not a regular file)"),
    ("device", "cannot read the file (it is a device, not a regular file)"),
    ("folder", "cannot read the file (it is a folder, not a regular file)"),
])
def test_only_regular_files_are_read(tmp_path, kind, message):
    root = make_workspace(tmp_path / "ws")
    letter = root / "letter.txt"
    if kind == "fifo":
        os.mkfifo(letter)
    elif kind == "device":
        letter.symlink_to("/dev/zero")
    else:
        letter.mkdir()
    code, lines = audit_lines(root, str(letter))
    assert (code, lines) == (2, [f"{letter}: error: {message}"])


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(Untrusted, match="larger than 1,000 bytes"):
        read_regular(path, 1000)
    assert read_regular(path, 1001) == b"x" * 1001


def test_members_are_capped_together(tmp_path):
    archive = BoundedZip(zip_of({"a": 3 << 20, "b": 3 << 20, "c": b"small"}), max_total=5 << 20)
    assert len(archive.read("a")) == 3 << 20
    with pytest.raises(Untrusted, match="inflate to more than 5 MB together"):
        archive.read("b")
    assert archive.read("c") == b"small"


def test_a_well_formed_letter_reads(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "fine.docx").write_bytes(zip_of({"word/document.xml": BODY.encode()}))
    code, lines = audit_lines(root, str(root / "fine.docx"))
    assert code == 1
    assert lines[0].startswith(f"{root / 'fine.docx'}:1: error:")


def test_parse_xml_keeps_entities_unresolved_without_a_dtd():
    assert parse_xml(b"<a>&amp;</a>").text == "&"
    with pytest.raises(Untrusted, match="not well-formed XML: Entity 'x' not defined"):
        parse_xml(b"<a>&x;</a>")


def test_the_head_of_a_member_is_read_without_the_rest_and_within_the_caps():
    archive = BoundedZip(zip_of({"a": b"x" * 100_000 + b"y", "b": b"short"}))
    assert archive.head("a", 10) == b"x" * 10
    assert archive.head("b", 10) == b"short"
    assert archive.read("a")[-1:] == b"y"
    with pytest.raises(Untrusted, match="its parts inflate to more than 10,000 bytes together"):
        BoundedZip(zip_of({"a": b"x" * 20_000}), max_total=10_000).head("a", 15_000)
    with pytest.raises(Untrusted, match=r"^'word/document\.xml' inflates to more than 16 MB$"):
        BoundedZip(zip_of({"word/document.xml": MAX_MEMBER_BYTES + (1 << 20)})).head("word/document.xml", 10)


@pytest.mark.parametrize("padding", [0, 100_000])
def test_a_docx_declares_its_language_wherever_in_its_styles_the_defaults_close(padding):
    from appealkit.read.read_docx import docx_language

    styles = (b'<w:styles ' + W.encode() + b'><w:docDefaults><w:rPrDefault><w:rPr>' + b" " * padding
              + b'<w:lang w:val="de-DE"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>')
    assert docx_language(zip_of({"word/document.xml": BODY.encode(), "word/styles.xml": styles})) == "de"
