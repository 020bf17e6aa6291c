"""What parsing a workspace's files gave, kept under build/.cache/parsed by the hash of the bytes parsed.

A build with nothing to do spends most of its time reading a workspace that did not change:
PyYAML for every fact, person and recipient, Jinja's parser for every template's includes. So
each result is kept by the SHA-256 of the exact bytes parsed, with the kind of parse and the
code that parses (this scheme, the parser's own source files, the parsing library's installed
files): a kept result is the parse of exactly those bytes by exactly this code, and any other
bytes or code are parsed again. Only successful parses are kept; an error is found again.

Safe to trust: values are JSON (never pickle, which would run code a workspace brought along),
decoded strictly (anything but what `line_data.to_json` writes is parsed again). The cache
lives only where build/ already exists in the workspace and does not lead outside it, keeps
the results the last process used, and is written once, when the process ends, only if
something new was parsed; a read-only or damaged cache costs a parse, never a result.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appealkit.source.line_data import Uncacheable, from_json, to_json
from appealkit.source.paths import leads_outside

CACHE = Path("build") / ".cache" / "parsed"
SCHEME = 1
#: Per kind of parse: appealkit's modules whose code makes the result, and the libraries it uses.
PARSERS = {
    "yaml": (("appealkit.source.yaml_parse", "appealkit.source.yaml_values", "appealkit.source.line_data"),
             ("yaml",)),
    "includes": (("appealkit.source.template_files",), ("jinja2",)),
}
MadeBy = tuple[tuple[str, ...], tuple[str, ...]]
#: Results kept beyond those used by the process writing the cache (older versions of edited files).
SPARE = 1000
#: A cache file larger than this is not read (a workspace of 10,000 files makes a few megabytes).
MAX_BYTES = 64_000_000


class _Store:
    def __init__(self, path: Path, code: str):
        self.path, self.code = path, code
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.dirty = False
        try:
            if path.stat().st_size <= MAX_BYTES:
                data = json.loads(path.read_bytes())
                entries = data.get("entries") if isinstance(data, dict) and data.get("code") == code else None
                self.entries = entries if isinstance(entries, dict) else {}
        except (OSError, ValueError, RecursionError):
            pass  # no cache yet, or not one: parsed again, and written anew

    def write(self) -> None:
        from appealkit.atomic import write_atomic

        keep = {key: self.entries[key] for key in self.entries if key in self.used}
        spare = [key for key in self.entries if key not in self.used][-SPARE:]
        keep.update((key, self.entries[key]) for key in spare)
        content = json.dumps({"code": self.code, "entries": keep}, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError):  # a read-only workspace is read all the same, only not faster
            write_atomic(self.path, content.encode("utf-8"))


_stores: dict[tuple[str, str], _Store | None] = {}
_codes: dict[str, str] = {}


def parsed(root: Path | None, kind: str, raw: bytes, parse: Callable[[], Any],
           encode: Callable[[Any], Any] = to_json, decode: Callable[[Any], Any] = from_json,
           made_by: MadeBy | None = None) -> Any:
    """`parse()` of `raw` (a file's bytes), or what it gave when these bytes were parsed before.

    `encode` turns a result into JSON data (raising `Uncacheable` for one it cannot hold exactly),
    `decode` turns that back, raising `ValueError` (or `TypeError`, `KeyError`) for anything else.
    `made_by`: the modules and libraries whose code makes the result, for a kind not in `PARSERS`
    (any pure function of `raw` can be kept so)."""
    store = _store(root, kind, made_by or PARSERS[kind]) if root is not None else None
    if store is None:
        return parse()
    key = hashlib.sha256(raw).hexdigest()
    kept = store.entries.get(key)
    if kept is not None:
        try:
            value = decode(kept)
        except (ValueError, TypeError, KeyError, RecursionError):
            pass
        else:
            store.used.add(key)
            return value
    value = parse()
    try:
        store.entries[key] = encode(value)
    except (Uncacheable, RecursionError):
        return value
    store.used.add(key)
    if not any(s is not None and s.dirty for s in _stores.values()):
        atexit.register(_write_all)
    store.dirty = True
    return value


def _store(root: Path, kind: str, made_by: MadeBy) -> _Store | None:
    build = Path(root) / CACHE.parts[0]
    where = (str(Path(root).absolute()), kind)
    if where not in _stores:
        usable = build.is_dir() and not leads_outside(Path(root), build / CACHE.parts[1])
        _stores[where] = _Store(Path(root) / CACHE / f"{kind}.json", _code(kind, made_by)) if usable else None
    return _stores[where]


def _code(kind: str, made_by: MadeBy) -> str:
    """The hash of the code that parses `kind`: appealkit's modules by content, the library by its files'
    place, size and time (an upgrade writes new files)."""
    if kind not in _codes:
        modules, libraries = made_by
        digest = hashlib.sha256(f"{SCHEME}\0{kind}".encode())
        for name in modules:
            spec = importlib.util.find_spec(name)
            digest.update(Path(spec.origin).read_bytes() if spec and spec.origin else b"\0")
        for library in libraries:
            spec = importlib.util.find_spec(library)
            if spec is None or spec.origin is None:
                digest.update(b"\0no library")
                continue
            folder = Path(spec.origin).parent
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.is_file():
                    info = entry.stat()
                    digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        _codes[kind] = digest.hexdigest()
    return _codes[kind]


def _write_all() -> None:
    for store in _stores.values():
        if store is not None and store.dirty:
            store.dirty = False
            store.write()
