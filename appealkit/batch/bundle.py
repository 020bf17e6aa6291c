"""The bundle of a build: all letters in one PDF for printing, an index page, and one zip to send.

`all-letters.pdf` has one bookmark per letter; `index.html` lists each letter with its
recipient, language, files and the facts it cites; `<campaign>.zip` holds all of it.
All three are deterministic and only rewritten when a letter or the index changed.
The manifest is written last, so a build killed part-way leaves the old manifest,
and the next build sees that the bundle is stale.
"""

from __future__ import annotations

import hashlib
import html
import io
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from appealkit import __version__
from appealkit.atomic import write_atomic
from appealkit.batch.letter_inputs import digest, file_digest
from appealkit.batch.manifest import manifest_text
from appealkit.batch.results import OutputFile
from appealkit.write.stable_zip import COMPRESSED, stable_zip

if TYPE_CHECKING:
    from appealkit.batch.results import BuildResult

ALL_LETTERS = "all-letters.pdf"
INDEX = "index.html"


def zip_name(result: BuildResult) -> str:
    return f"{result.campaign.id}.zip"


def bookmark_title(entry: dict[str, Any]) -> str:
    """What the PDF bookmark of a letter says: who it goes to, and which letter it is."""
    return f"{', '.join(entry['addressed_to'])} ({entry['id']})"


def _output(entry: dict[str, Any], fmt: str) -> str | None:
    return next((o["file"] for o in entry["outputs"] if o["format"] == fmt), None)


def all_letters_pdf(result: BuildResult, entries: list[dict[str, Any]]) -> bytes:
    """Every letter's PDF in campaign order, one outline entry per letter, shown when opened;
    the language and author are the campaign's (a reader's voice and a library's catalogue use them)."""
    writer = PdfWriter()
    author, language = "", result.campaign.language
    for entry in entries:
        name = _output(entry, "pdf")
        if name is not None:
            reader = PdfReader(str(result.out_dir / name))
            author = author or str((reader.metadata or {}).get("/Author", ""))
            language = language or str(reader.trailer["/Root"].get("/Lang", ""))
            writer.append(reader, outline_item=bookmark_title(entry), import_outline=False)
    writer.add_metadata({"/Title": result.campaign.title, "/Producer": f"appealkit {__version__}",
                         **({"/Author": author} if author else {})})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language or "en")
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def not_built(data: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(letter id, "refused" or "failed", the reasons) for every letter the manifest says was not written."""
    return [*((e["id"], "refused", e["reasons"]) for e in data.get("refused", [])),
            *((e["id"], "failed", e["errors"]) for e in data.get("failed", []))]


def index_html(result: BuildResult, entries: list[dict[str, Any]],
               missing: list[tuple[str, str, list[str]]]) -> bytes:
    """A self-contained page listing every letter, and every letter not written with the reason;
    every text from the workspace is escaped."""
    esc = html.escape
    campaign = result.campaign
    rows = []
    for number, entry in enumerate(entries, start=1):
        links = " ".join(f'<a href="{esc(urllib.parse.quote(o["file"]))}">{esc(o["format"].upper())}</a>'
                         for o in entry["outputs"])
        facts = "".join(
            f"<li><code>{esc(f['id'])}</code>: {esc(str(f['value']))} "
            f"<span class=\"as-of\">(as of {esc(f['as_of'])})</span></li>"
            for f in entry["facts"]
        )
        recipient = "<br>".join(esc(line) for line in entry["addressed_to"])
        rows.append(
            f"<tr id=\"{esc(entry['id'])}\"><td>{number}</td><td><code>{esc(entry['id'])}</code><br>"
            f"{esc(entry['subject'])}</td><td>{recipient}</td><td>{esc(entry['language'])}</td>"
            f"<td>{links}</td><td><ul>{facts}</ul></td></tr>"
        )
    missing_rows = "".join(
        f"<tr id=\"{esc(letter_id)}\"><td><code>{esc(letter_id)}</code></td><td>{esc(status)}</td>"
        f"<td><ul>{''.join(f'<li>{esc(reason)}</li>' for reason in reasons)}</ul></td></tr>"
        for letter_id, status, reasons in missing)
    extra = [f'<a href="{esc(zip_name(result))}">{esc(zip_name(result))}</a>']
    if any(_output(e, "pdf") for e in entries):
        extra.insert(0, f'<a href="{ALL_LETTERS}">{ALL_LETTERS}</a>')
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(campaign.title)}</title>
<style>
body {{ font-family: serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }}
ul {{ margin: 0; padding-left: 1.2em; }}
.as-of {{ color: #555; }}
</style>
</head>
<body>
<h1>{esc(campaign.title)}</h1>
<p>{esc(campaign.place)}, {esc(campaign.date.isoformat())} · {len(rows)} letters · {" · ".join(extra)}</p>
<table>
<thead><tr><th>#</th><th>Letter</th><th>Recipient</th><th>Language</th><th>Files</th>
<th>Facts cited</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{_not_built_table(missing_rows)}
</body>
</html>
"""
    return page.encode("utf-8")


def _not_built_table(rows: str) -> str:
    if not rows:
        return ""
    return ("<h2>Not written</h2>\n<p>These letters were refused by the checks or failed; "
            "files from an earlier build were removed.</p>\n<table>\n"
            f"<thead><tr><th>Letter</th><th>Status</th><th>Why</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>")


def zip_bytes(result: BuildResult, files: dict[str, bytes | Path]) -> bytes:
    """The campaign's files in one zip, sorted by name, under a folder named for the campaign."""
    return stable_zip(((f"{result.campaign.id}/{name}", _content(files[name])) for name in sorted(files)),
                      result.campaign.date, stored=COMPRESSED)


def _content(content: bytes | Path) -> bytes:
    return content if isinstance(content, bytes) else content.read_bytes()


def _intact(out_dir: Path, record: dict[str, Any], key: str) -> bool:
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    try:
        for entry in record["files"]:
            path = out_dir / Path(entry["file"]).name
            if not path.is_file() or file_digest(path) != entry["sha256"]:
                return False
    except (KeyError, TypeError):
        return False
    return (out_dir / str(record.get("zip", ""))).is_file()


def write_bundle(result: BuildResult, data: dict[str, Any], formats: tuple[str, ...],
                 previous: dict[str, Any], force: bool = False) -> tuple[OutputFile, ...]:
    """Write the bundle when a letter or the index changed; record it in the manifest `data`.

    The zip carries the manifest as it will be written, so `data` gains its "bundle" entry here.
    """
    out_dir = result.out_dir
    entries = data["letters"]
    index = index_html(result, entries, not_built(data))
    with_pdf = "pdf" in formats and any(_output(e, "pdf") for e in entries)
    key = digest({"tool": __version__, "formats": list(formats),
                  "letters": [[e["id"], e["outputs"], bookmark_title(e)] for e in entries],
                  "index": hashlib.sha256(index).hexdigest()})
    fresh = force or not _intact(out_dir, previous.get("bundle", {}), key)
    contents: dict[str, bytes] = {}
    if fresh:
        if with_pdf:
            contents[ALL_LETTERS] = all_letters_pdf(result, entries)
        contents[INDEX] = index
        for name, content in contents.items():
            write_atomic(out_dir / name, content)
    files = []
    for name in ([ALL_LETTERS] if with_pdf else []) + [INDEX]:
        content = contents.get(name) or (out_dir / name).read_bytes()
        files.append(OutputFile(name.rsplit(".", 1)[1], out_dir / name,
                                hashlib.sha256(content).hexdigest(), len(content)))
    data["bundle"] = {"key": key, "zip": zip_name(result),
                      "files": [{"file": f.path.name, "sha256": f.sha256, "bytes": f.size} for f in files]}
    manifest = manifest_text(data)
    archive = out_dir / zip_name(result)
    if fresh or not archive.is_file():
        members: dict[str, bytes | Path] = {
            o["file"]: out_dir / o["file"] for e in entries for o in e["outputs"]}
        members.update({f.path.name: contents.get(f.path.name) or f.path for f in files})
        members[result.manifest.name] = manifest
        write_atomic(archive, zip_bytes(result, members))
    content = archive.read_bytes()
    files.append(OutputFile("zip", archive, hashlib.sha256(content).hexdigest(), len(content)))
    return tuple(files)
