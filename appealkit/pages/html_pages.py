"""The HTML pages appealkit writes (the bundle's index, `diff --format html`) and serves (`serve`).

They are rendered from Jinja templates shipped in this package, in a plain environment
with autoescaping on: the templates are ours, and every text from a workspace is escaped.
The workspace's own templates go through the sandbox in `render/`, never through here.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(str(files("appealkit") / "pages" / "templates"))


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2  # when a page is made: a build whose bundle did not change never loads it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["web_url"] = web_url
    return env


def web_url(url: str) -> str:
    """`url` if it is an http(s) address a page may link to, else "" (no `javascript:` links)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@functools.cache
def templates_digest() -> str:
    """The hash of the page templates: a page made from changed templates is written again."""
    hashed = hashlib.sha256()
    for path in sorted(TEMPLATES.iterdir()):
        hashed.update(path.name.encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def render_page(name: str, **context: Any) -> str:
    """The page `name` (a file in pages/templates/) rendered with `context`."""
    return environment().get_template(name).render(**context)
