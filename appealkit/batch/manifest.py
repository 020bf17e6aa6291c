"""The build manifest: which letters were written from which facts, and the hash of every file.

It holds no wall-clock time, so an unchanged build gives an unchanged manifest.
"""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appealkit.atomic import write_atomic
from appealkit.batch.spill import Spilled
from appealkit.checks.letter_check import as_data
from appealkit.checks.translation_check import stale_templates
from appealkit.source.records import plain
from appealkit.version import __version__

if TYPE_CHECKING:
    from appealkit.batch.results import BuildResult, LetterOutcome
    from appealkit.render.letters import RenderedLetter


def rendered_entry(rendered: RenderedLetter) -> dict[str, Any]:
    """What the manifest records of a letter's render, made where it was rendered (a worker): the
    build keeps this, not the rendered letter, so its memory does not grow with the letters."""
    spec = rendered.spec
    facts = []
    for citation in rendered.citations:
        entry: dict[str, Any] = {
            "id": citation.fact,
            "value": plain(citation.value),
            "qualifier": citation.qualifier,
            "as_of": citation.as_of.isoformat(),
        }
        if citation.members is not None:
            entry["members"] = list(citation.members)
        entry["paragraphs"] = list(citation.blocks)
        facts.append(entry)
    return {
        "id": spec.id,
        "template": rendered.template_file,
        "recipient": spec.recipient,
        "language": rendered.letter.language,
        "subject": rendered.letter.subject,
        "addressed_to": list(rendered.letter.addressee or rendered.letter.recipient[:2]),
        "facts": facts,
    }


def _allowed(outcome: LetterOutcome) -> list[dict[str, str]]:
    """The findings an override let through: which override, and what it overrode."""
    if outcome.check is None:
        return []
    return [{"allow": f"{f.kind}:{outcome.id}", "finding": str(f)} for f in outcome.check.overridden]


def _refused(outcome: LetterOutcome) -> dict[str, Any]:
    """A refused letter: why, and what the next build needs to know it is still refused without rendering."""
    if outcome.entry is not None:
        fact_ids = list(dict.fromkeys(str(f["id"]) for f in outcome.entry["facts"]))
    else:
        fact_ids = [str(f["id"]) for f in (outcome.record or {}).get("facts", [])]
    return {
        "id": outcome.id,
        "reasons": [str(f) for f in outcome.check.blocking] if outcome.check else [],
        "facts": [{"id": fact_id} for fact_id in fact_ids],
        "templates": list(outcome.templates),
        "inputs": outcome.input_hash,
        "findings": as_data(outcome.cached),
    }


def _written(outcome: LetterOutcome) -> dict[str, Any]:
    """The manifest's entry of a letter written by this build or kept from the last one."""
    if outcome.entry is None and outcome.record is not None:
        # unchanged: the same inputs made the same entry; the overrides are this build's
        return {**outcome.record, "allowed": _allowed(outcome)}
    assert outcome.entry is not None, outcome.id  # neither failed nor unchanged: rendered by this build
    return {
        **outcome.entry,
        "templates": list(outcome.templates),
        "inputs": outcome.input_hash,
        "findings": as_data(outcome.cached),
        "allowed": _allowed(outcome),
        "outputs": [
            {"format": o.format, "file": o.path.name, "sha256": o.sha256, "bytes": o.size}
            for o in outcome.outputs
        ],
    }


def manifest_data(result: BuildResult, bundle: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest as data. Its "letters" are kept in a temporary file (`spill.Spilled`), read one
    at a time by whatever iterates them: for thousands of letters they are megabytes, and the
    bundle reads them several times. `manifest_pieces` writes such a sequence as a JSON list."""
    campaign = result.campaign
    letters: Spilled[dict[str, Any]] = Spilled()
    refused, failed, stale = [], [], []
    for outcome in result.letters:
        if outcome.status == "refused":
            refused.append(_refused(outcome))
            continue
        # written from a translation that no longer matches its master: which translations
        files = stale_templates(outcome.check.findings) if outcome.check is not None else []
        if files:
            stale.append({"id": outcome.id, "translations": files})
        if outcome.error:
            failed.append({"id": outcome.id, "errors": [str(p) for p in outcome.error.problems]})
        else:
            letters.append(_written(outcome))
    data = {
        "campaign": {"id": campaign.id, "title": campaign.title, "date": campaign.date.isoformat(),
                     "file": campaign.where.file},
        "tool": {"name": "appealkit", "version": __version__},
        "letters": letters,
        "refused": refused,
        "failed": failed,
        "translations_stale": stale,
    }
    if bundle is not None:
        data["bundle"] = bundle
    return data


def manifest_bytes(result: BuildResult, bundle: dict[str, Any] | None = None) -> bytes:
    return manifest_text(manifest_data(result, bundle))


def manifest_text(data: dict[str, Any]) -> bytes:
    return "".join(manifest_pieces(data)).encode("utf-8")


def manifest_pieces(data: dict[str, Any]) -> Iterator[str]:
    """The manifest's text, `json.dumps(data, indent=2, ensure_ascii=False)` and a newline, in pieces;
    a value of `data` that is a sequence but no list (the spilled "letters") is written as the list
    it would be, an item at a time, so it is never in memory whole."""
    encode = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode
    if not data:
        yield "{}\n"
        return
    for number, (key, value) in enumerate(data.items()):
        yield ("{" if number == 0 else ",") + "\n  " + json.dumps(str(key), ensure_ascii=False) + ": "
        if isinstance(value, Sequence) and not isinstance(value, list | tuple | str):
            opened = False
            for item in value:
                yield ("," if opened else "[") + "\n    "
                opened = True
                yield from (piece.replace("\n", "\n    ") for piece in encode(item))
            yield "\n  ]" if opened else "[]"
        else:
            yield from (piece.replace("\n", "\n  ") for piece in encode(value))
    yield "\n}\n"


def stage_manifest(path: Path, data: dict[str, Any]) -> Path:
    """The manifest written, as `manifest_text` has it, into a temporary file beside `path`, piece by
    piece: an indented JSON text is made of a million pieces for a few thousand letters, which
    joined would double the build's memory. `commit_manifest` puts it in place (a killed build
    leaves only a temporary file, which the next build removes)."""
    fd, staged = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            for piece in manifest_pieces(data):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staged, 0o644)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return Path(staged)


def commit_manifest(path: Path, staged: Path) -> None:
    """The staged manifest in place of `path`, only when it changed: an unchanged build leaves the file
    as it was."""
    try:
        same_size = path.is_file() and path.stat().st_size == staged.stat().st_size
        if same_size and filecmp.cmp(path, staged, shallow=False):
            staged.unlink()
            return
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


def write_manifest(path: Path, data: dict[str, Any] | bytes) -> None:
    """Write the manifest last, and only when it changed: a killed build keeps the old one.

    `data` is the manifest, or its bytes when they were made already (`manifest_text`)."""
    content = data if isinstance(data, bytes) else manifest_text(data)
    if not path.is_file() or path.read_bytes() != content:
        write_atomic(path, content)


def read_manifest(path: Path, spill: Collection[str] = ()) -> dict[str, Any]:
    """The manifest of the last build into a folder, or {} when there is none or it is unreadable.

    The lists named in `spill` ("letters") come back as `Spilled` lists, read an item at a time when
    the file is laid out as `manifest_pieces` writes it: parsed whole, a manifest of thousands of
    letters is hundreds of megabytes of objects for a moment, which the build's workers would
    inherit. A file laid out otherwise (edited by hand) is parsed whole."""
    try:
        if spill:
            with path.open(encoding="utf-8") as lines:
                streamed = _read_in_pieces(lines, spill)
            if streamed is not None:
                return streamed
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return _spilled(data, spill) if isinstance(data, dict) else {}


def _spilled(data: dict[str, Any], spill: Collection[str]) -> dict[str, Any]:
    """`data` with its lists named in `spill` as `Spilled` lists."""
    return {key: Spilled(value) if key in spill and isinstance(value, list) else value
            for key, value in data.items()}


def _read_in_pieces(lines: Iterable[str], spill: Collection[str]) -> dict[str, Any] | None:
    """The manifest read member by member and the `spill` lists item by item, relying on the layout of
    `manifest_pieces` (a top-level member's line starts with two spaces and a quote, an item of its
    list with four and a brace); None where the text is laid out otherwise, or does not parse."""
    data: dict[str, Any] = {}
    member: list[str] = []  # the lines of the top-level member being read
    items: Spilled[Any] | None = None  # the spilled list being read, item by item
    item: list[str] = []
    ended = False
    try:
        for number, line in enumerate(lines):
            if ended:
                if line.strip():
                    return None
            elif number == 0:
                if line != "{\n":
                    return None
            elif items is not None:
                if line.startswith("    {") and not item:
                    item.append(line)
                elif line.startswith(("    }\n", "    },\n")):
                    item.append(line)
                    items.append(json.loads("".join(item).rstrip().rstrip(",")))
                    item = []
                elif line.startswith(("  ]\n", "  ],\n")) and not item:
                    items = None
                elif item and line.startswith("      "):
                    item.append(line)
                else:
                    return None
            elif line.startswith('  "') or line == "}\n":
                if member:
                    key, value = _member(member)
                    data[key] = value
                    member = []
                if line == "}\n":
                    ended = True
                    continue
                key, _, rest = line.partition(": ")
                name = json.loads(key)
                if name in spill and rest == "[\n":
                    data[name] = items = Spilled()
                else:
                    member.append(line)
            elif member and line.startswith(("    ", "  ]", "  }")):  # inside the member, or its end
                member.append(line)
            else:
                return None
    except ValueError:
        return None
    return _spilled(data, spill) if ended and items is None else None


def _member(lines: list[str]) -> tuple[str, Any]:
    """One top-level member of the manifest, `"key": value`, parsed."""
    parsed = json.loads("{" + "".join(lines).rstrip().rstrip(",") + "}")
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise ValueError("not one member")
    [(key, value)] = parsed.items()
    return key, value
