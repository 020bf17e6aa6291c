"""The bundle of a build: all letters in one PDF for printing, an index page, and one zip to send.

`all-letters.pdf` has one bookmark per letter; `index.html` lists each letter with its
recipient, language, files and the facts it cites; `<campaign>.zip` holds all of it.
All three are deterministic and only rewritten when a letter or the index changed.
The manifest is written last, so a build killed part-way leaves the old manifest,
and the next build sees that the bundle is stale.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from appealkit.atomic import write_atomic_with
from appealkit.batch.letter_inputs import digest_of_parts, file_digest, utf8_chunks
from appealkit.batch.letters_pdf import write_letters_pdf
from appealkit.batch.manifest import stage_manifest
from appealkit.batch.results import OutputFile
from appealkit.batch.spill import Mapped
from appealkit.pages.html_pages import environment, templates_digest
from appealkit.rules.language import language_name
from appealkit.source.parse_cache import parsed
from appealkit.version import __version__
from appealkit.write.stable_zip import COMPRESSED, stable_zip, stable_zip_into

if TYPE_CHECKING:
    from appealkit.batch.results import BuildResult
    from appealkit.source.records import Campaign, Workspace

ALL_LETTERS = "all-letters.pdf"
INDEX = "index.html"


def zip_name(result: BuildResult) -> str:
    return f"{result.campaign.id}.zip"


def bookmark_title(entry: dict[str, Any]) -> str:
    """What the PDF bookmark of a letter says: who it goes to, and which letter it is."""
    return f"{', '.join(entry['addressed_to'])} ({entry['id']})"


def _output(entry: dict[str, Any], fmt: str) -> str | None:
    return next((o["file"] for o in entry["outputs"] if o["format"] == fmt), None)


def write_all_letters_pdf(path: Path, result: BuildResult, entries: list[dict[str, Any]]) -> None:
    """`all-letters.pdf`: every letter's PDF in campaign order, one outline entry per letter, shown
    when opened; the language and author are the campaign's (a reader's voice and a library's
    catalogue use them). Written into its file a letter at a time (`letters_pdf`): for thousands
    of letters the merged document is hundreds of megabytes, never held in memory."""
    letters = ((bookmark_title(entry), result.out_dir / name) for entry in entries
               if (name := _output(entry, "pdf")) is not None)
    write_atomic_with(path, lambda handle: write_letters_pdf(
        handle, letters, result.campaign.title, result.campaign.language, f"appealkit {__version__}"))


def not_built(data: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(letter id, "refused" or "failed", the reasons) for every letter the manifest says was not written."""
    return [*((e["id"], "refused", e["reasons"]) for e in data.get("refused", [])),
            *((e["id"], "failed", e["errors"]) for e in data.get("failed", []))]


def index_page(workspace: Workspace, result: BuildResult, entries: Sequence[dict[str, Any]],
               missing: list[tuple[str, str, list[str]]], words: Mapping[str, str] | None = None
               ) -> dict[str, Any]:
    """What `index.html` shows, as data: its hash decides whether the page is rendered again.
    `words`: the cited facts in words, as the workers made them; the others are made here.
    Its "letters" are made from `entries` as the page reads them: never all in memory."""
    from appealkit.checks.fact_usage import rows_for

    citing: dict[str, list[str]] = {}
    with_pdf = False
    for entry in entries:
        for fact in entry["facts"]:
            citing.setdefault(fact["id"], []).append(entry["id"])
        with_pdf = with_pdf or _output(entry, "pdf") is not None
    facts = rows_for(workspace, citing, cited_only=True, words=words)
    number = {row.id: index for index, row in enumerate(facts, start=1)}
    downloads = ([ALL_LETTERS] if with_pdf else []) + [zip_name(result)]
    letters = Mapped(entries, functools.partial(_index_row, number))
    return {"campaign": result.campaign, "letters": letters, "facts": facts, "missing": missing,
            "downloads": downloads}


def _index_row(number: Mapping[str, int], entry: dict[str, Any]) -> dict[str, Any]:
    """A letter's row on the index page, from its manifest entry; `number`: each cited fact's."""
    return {
        "id": entry["id"], "subject": entry["subject"], "addressed_to": entry["addressed_to"],
        "language": entry["language"], "language_name": language_name(entry["language"]),
        "outputs": entry["outputs"],
        "facts": sorted({number[f["id"]] for f in entry["facts"] if f["id"] in number}),
    }


def index_html(page: dict[str, Any]) -> bytes:
    """A page listing every letter and the facts it cites in their words, and every letter not
    written with the reason; every text from the workspace is escaped."""
    return b"".join(_index_pieces(page))


def write_index_html(path: Path, page: dict[str, Any]) -> None:
    """`index_html` written into its file as it is rendered: for thousands of letters the page is
    megabytes, rendered in a million pieces, which joined would be held three times over."""
    def write(handle: BinaryIO) -> None:
        for piece in _index_pieces(page):
            handle.write(piece)

    write_atomic_with(path, write)


def _index_pieces(page: dict[str, Any]) -> Iterator[bytes]:
    """The page as Jinja renders it (`render_page` joins the very same pieces), encoded 64 kB at a time."""
    position = {letter["id"]: index for index, letter in enumerate(page["letters"], start=1)}
    template = environment().get_template("bundle_index.html")
    return utf8_chunks(template.generate(**page, letter_link=lambda letter_id: (f"#{letter_id}",
                                                                                  f"#{position[letter_id]}")))


def zip_bytes(result: BuildResult, files: Mapping[str, bytes | Path]) -> bytes:
    """The campaign's files in one zip, sorted by name, under a folder named for the campaign."""
    return stable_zip(_zip_entries(result, files), result.campaign.date, stored=COMPRESSED)


def write_zip(path: Path, result: BuildResult, files: Mapping[str, bytes | Path]) -> None:
    """`zip_bytes` written into `path` as it is made, a file at a time: a campaign of thousands of
    letters is never in memory whole."""
    write_atomic_with(path, lambda handle: stable_zip_into(handle, _zip_entries(result, files),
                                                           result.campaign.date, stored=COMPRESSED))


class _Members(Mapping[str, "bytes | Path"]):
    """The zip's files by name: the letters' by their names alone (a path each is made as the zip
    reaches it), the others as given."""

    def __init__(self, folder: Path, letters: list[str], others: dict[str, bytes | Path]):
        self.folder, self.letters, self.others = folder, letters, others

    def __getitem__(self, name: str) -> bytes | Path:
        return self.others[name] if name in self.others else self.folder / name

    def __iter__(self) -> Iterator[str]:
        yield from (name for name in self.letters if name not in self.others)
        yield from self.others

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _zip_entries(result: BuildResult, files: Mapping[str, bytes | Path]
                 ) -> Iterator[tuple[str, bytes | Path]]:
    return ((f"{result.campaign.id}/{name}", files[name]) for name in sorted(files))


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


#: The code that makes the index page's data, whose hash is part of the kept bundle key (`_bundle_key`).
_PAGE_MADE_BY = (("appealkit.batch.bundle", "appealkit.checks.fact_usage", "appealkit.render.letters",
                  "appealkit.rules.language", "appealkit.rules.qualifiers", "appealkit.rules.number_words",
                  "appealkit.source.translations", "appealkit.source.records", "appealkit.pages.html_pages",
                  "appealkit.version"),
                 ("babel", "num2words", "jinja2"))


def _bundle_key(workspace: Workspace, result: BuildResult, data: dict[str, Any], formats: tuple[str, ...],
                page: Callable[[], dict[str, Any]]) -> str:
    """The hash of everything in the bundle: the letters' files and bookmarks, and the index page.

    The page writes each cited fact in words, which needs the render; so the key is kept in the
    workspace's cache by the hash of everything the page is made from (the manifest's letters and
    refusals, the campaign, every fact and person, the page templates, the code that writes them),
    and a build whose bundle did not change computes it without the page."""
    entries = data["letters"]

    def key() -> str:
        return digest_of_parts(itertools.chain(
            (__version__, formats), ([e["id"], e["outputs"], bookmark_title(e)] for e in entries),
            _page_parts(page()), (templates_digest(),))).hexdigest()

    # chained, not unpacked into one tuple: the entries are read from their file one at a time
    made_of = digest_of_parts(itertools.chain((__version__, formats, not_built(data)),
                                              _campaign_parts(result.campaign),
                                              (workspace.facts, workspace.people, templates_digest(),
                                               len(entries)), entries))
    return str(parsed(workspace.root, "bundle", made_of.digest(), key, _a_key, _a_key, _PAGE_MADE_BY))


def _campaign_parts(campaign: Campaign) -> Iterator[Any]:
    """The campaign to hash, its letters one by one: thousands of them as one JSON text are megabytes."""
    yield len(campaign.letters)
    yield dataclasses.replace(campaign, letters=())
    yield from campaign.letters


def _page_parts(page: dict[str, Any]) -> Iterator[Any]:
    """The index page's data to hash, a piece at a time: the campaign's letters, each fact's citing
    letters and the page's rows of letters are apart (with thousands of letters, each is megabytes
    as one JSON text)."""
    for name, value in page.items():
        yield name
        if name == "campaign":
            yield from _campaign_parts(value)
        elif name == "facts":
            for row in value:
                yield dataclasses.replace(row, letters=())
                yield row.letters
        elif name == "letters":
            yield from value
        else:
            yield value


def _a_key(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64:
        raise ValueError("not a bundle key")
    return value


def write_bundle(workspace: Workspace, result: BuildResult, data: dict[str, Any], formats: tuple[str, ...],
                 previous_bundle: Any, force: bool = False, words: Mapping[str, str] | None = None
                 ) -> tuple[tuple[OutputFile, ...], Path]:
    """Write the bundle when a letter or the index changed (`previous_bundle`: the last manifest's
    record of it); record it in the manifest `data`.

    The zip carries the manifest as it will be written, so `data` gains its "bundle" entry here,
    and the manifest is staged beside its place (`manifest.stage_manifest`, serialised once) and
    returned with the bundle's files, for the build to put in place last.
    """
    out_dir = result.out_dir
    entries = data["letters"]
    pages: list[dict[str, Any]] = []

    def page() -> dict[str, Any]:  # made once, and only when needed: it writes every cited fact in words
        if not pages:
            pages.append(index_page(workspace, result, entries, not_built(data), words))
        return pages[0]

    with_pdf = "pdf" in formats and any(_output(e, "pdf") for e in entries)
    key = _bundle_key(workspace, result, data, formats, page)
    fresh = force or not _intact(out_dir, previous_bundle, key)
    if fresh:
        if with_pdf:
            write_all_letters_pdf(out_dir / ALL_LETTERS, result, entries)
        write_index_html(out_dir / INDEX, page())
    files = []
    for name in ([ALL_LETTERS] if with_pdf else []) + [INDEX]:  # written or kept: hashed in pieces
        path = out_dir / name
        files.append(OutputFile(name.rsplit(".", 1)[1], path, file_digest(path), path.stat().st_size))
    data["bundle"] = {"key": key, "zip": zip_name(result),
                      "files": [{"file": f.path.name, "sha256": f.sha256, "bytes": f.size} for f in files]}
    manifest = stage_manifest(result.manifest, data)
    archive = out_dir / zip_name(result)
    if fresh or not archive.is_file():
        members = _Members(out_dir, [o["file"] for e in entries for o in e["outputs"]],
                           {**{f.path.name: f.path for f in files}, result.manifest.name: manifest})
        try:
            write_zip(archive, result, members)
        except BaseException:
            manifest.unlink(missing_ok=True)
            raise
    files.append(OutputFile("zip", archive, file_digest(archive), archive.stat().st_size))
    return tuple(files), manifest
