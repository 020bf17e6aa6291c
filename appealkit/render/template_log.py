"""Which templates a render loads: what a letter's input hash and its checks are made from."""

from __future__ import annotations

import hashlib
from typing import Any

import jinja2


class TemplateLog:
    """Records which templates a render loads, and hashes template sources by name.

    Compiled templates load their includes, imports and parents through
    `environment.get_template`, also when Jinja has them cached, so wrapping it sees
    every template of every letter.
    """

    def __init__(self, env: jinja2.Environment):
        self._env = env
        self._get_template = env.get_template
        self._select_template = env.select_template
        self._digests: dict[str, str | None] = {}
        self.loaded: set[str] = set()
        env.get_template = self._get  # type: ignore[method-assign]
        env.select_template = self._select  # type: ignore[method-assign]

    def _get(self, name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        template = self._get_template(name, *args, **kwargs)
        self.loaded.add(template.name or "")
        return template

    def _select(self, names: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        template = self._select_template(names, *args, **kwargs)
        self.loaded.add(template.name or "")
        return template

    def take(self) -> tuple[str, ...]:
        """The names of the templates loaded since the last call; starts a new record."""
        loaded, self.loaded = self.loaded, set()
        return tuple(sorted(loaded))

    def digest(self, name: str) -> str | None:
        """The hash of a template's current source, None when it no longer exists."""
        if name not in self._digests:
            try:
                if self._env.loader is None:
                    raise jinja2.TemplateNotFound(name)
                source = self._env.loader.get_source(self._env, name)[0]
            except jinja2.TemplateNotFound:
                self._digests[name] = None
            else:
                self._digests[name] = hashlib.sha256(source.encode("utf-8")).hexdigest()
        return self._digests[name]
