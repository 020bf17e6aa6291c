"""Tracked-changes DOCX for every changed letter: what Word and LibreOffice offer to accept or reject.

Both versions are written with our own DOCX writer and compared by docx-trackdiff,
which marks the differences as real w:ins / w:del revisions. Every file is checked
before it is written: accepting all changes must give the new letter, rejecting all
the old one, paragraph by paragraph.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from appealkit.atomic import write_atomic
from appealkit.errors import AppealkitError, DiffError, option
from appealkit.review.diff import DiffReport, LetterDiff
from appealkit.source.safe_names import check_out_dir
from appealkit.write.docx_writer import write_docx
from appealkit.write.stable_zip import restamp

AUTHOR = "appealkit"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def redline(old: bytes, new: bytes, date: str, author: str = AUTHOR) -> bytes:
    """A DOCX that shows `old` revised into `new` as tracked changes dated `date` (YYYY-MM-DD)."""
    with tempfile.TemporaryDirectory(prefix="appealkit-redline-") as temporary:
        folder = Path(temporary)
        (folder / "old.docx").write_bytes(old)
        (folder / "new.docx").write_bytes(new)
        # docx-trackdiff is a command-line tool; its module runs in a child process so its
        # progress lines never reach our output
        done = subprocess.run(
            [sys.executable, "-m", "docx_trackdiff.compare", str(folder / "old.docx"),
             str(folder / "new.docx"), str(folder / "redline.docx"), "--author", author,
             "--date", f"{date}T00:00:00Z"],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise DiffError.at("the redline", None, f"docx-trackdiff failed: {reason}",
                               "report this with the two letters")
        return (folder / "redline.docx").read_bytes()


def _paragraph_text(paragraph: etree._Element) -> str:
    parts = []
    for element in paragraph.iter(_w("t"), _w("delText"), _w("tab"), _w("br")):
        if element.tag in (_w("t"), _w("delText")):
            parts.append(element.text or "")
        elif element.getparent().tag == _w("r"):  # a w:tab under w:tabs is a tab stop, not text
            parts.append("\t" if element.tag == _w("tab") else "\n")
    return "".join(parts)


def resolve(data: bytes, accept: bool) -> list[str]:
    """The paragraph texts after accepting (or rejecting) every tracked change."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    dropped = _w("del") if accept else _w("ins")
    paragraphs: list[str] = []
    carried = ""
    for paragraph in root.iter(_w("p")):
        mark = paragraph.find(f"{_w('pPr')}/{_w('rPr')}/{dropped}")
        for revision in list(paragraph.iter(dropped)):
            if revision.getparent().tag != _w("rPr"):
                revision.getparent().remove(revision)
        text = carried + _paragraph_text(paragraph)
        if mark is not None:
            carried = text  # its paragraph mark goes, so what is left joins the next paragraph
            continue
        carried = ""
        paragraphs.append(text)
    if carried:
        paragraphs.append(carried)
    return paragraphs


def docx_paragraphs(data: bytes) -> list[str]:
    """Paragraph texts of a DOCX without tracked changes."""
    return resolve(data, accept=True)


def write_letter_redline(letter: LetterDiff, path: Path, date: str) -> Path:
    """Write one changed letter's redline after checking it against both versions."""
    if letter.old is None or letter.new is None:
        raise ValueError(f"letter '{letter.letter}' was {letter.status}, not changed: it has no redline")
    old = write_docx(letter.old, letter.old_letterhead)
    new = write_docx(letter.new, letter.new_letterhead)
    marked = redline(old, new, date)
    accepted, rejected = resolve(marked, accept=True), resolve(marked, accept=False)
    if accepted != docx_paragraphs(new) or rejected != docx_paragraphs(old):
        raise DiffError.at(str(path), None, "the redline does not turn the old letter into the new one",
                           "report this with the two letters")
    write_atomic(path, restamp(marked, letter.new.date))
    return path


def check_redline_dir(root: Path, out_dir: Path) -> None:
    """The rules of `build --out` for the redline folder; exit code 2, since 1 means "changed"."""
    try:
        check_out_dir(root, out_dir)
    except AppealkitError as exc:
        raise DiffError(exc.problems) from None


def write_redlines(report: DiffReport, out_dir: Path, root: Path | None = None) -> tuple[Path, ...]:
    """`OUT/<campaign>/<letter>.docx` for every changed letter, dated with the new letter's date;
    with the workspace `root`, a folder in the source of truth or behind a link is refused first."""
    if root is not None:
        check_redline_dir(root, out_dir)
    written = []
    for letter in report.letters:
        if letter.status == "changed" and letter.old and letter.new:
            path = Path(out_dir) / letter.campaign / f"{letter.letter}.docx"
            try:
                written.append(write_letter_redline(letter, path, letter.new.date.isoformat()))
            except OSError as exc:  # a failure of diff, exit code 2 like every other
                raise DiffError.at(str(path), None, f"cannot write the redline: {exc.strerror or exc}",
                                   f"check the folder given to {option('redline_dir')}") from None
    return tuple(written)
