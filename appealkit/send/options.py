"""What `send` is asked to do, validated once: the CLI and `send_campaign` from Python take the same
`SendOptions`, checked by the rules `appealkit.yaml`'s `send:` keys are checked by.

A value given is refused here, with one line naming the option by its field (`smtp_port`, as the
settings file spells it); the CLI shows the flag that set it (`--smtp-port`). None means "not
given": the settings file decides, else the built-in default (`attached`, `connections_for`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from appealkit.choices import SMTP_SECURITY, parse_formats
from appealkit.errors import UsageError
from appealkit.source.settings import MAX_CONNECTIONS, SendSettings, connections, host, port, seconds
from appealkit.source.yamlsource import email, one_of, text

#: What a message carries when neither the options nor appealkit.yaml say.
DEFAULT_ATTACH = ("pdf",)


def _checked(name: str, value: Any, check: Callable[[Any], Any]) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise UsageError.at(name, None, f"'{value}' {exc}") from None


@dataclass(frozen=True)
class RelayOptions:
    """The relay as the caller gives it; None: not given, `appealkit.yaml` decides."""

    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    message_deadline: float | None = None
    relay_deadline: float | None = None

    def __post_init__(self) -> None:
        checks: dict[str, Callable[[Any], Any]] = {
            "host": host, "port": port, "security": one_of(*SMTP_SECURITY), "user": text,
            "message_deadline": seconds, "relay_deadline": seconds}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "user" and value == "":
                continue  # an empty login given on purpose: send without logging in, whatever the file says
            if value is not None:  # the settings file's key is the option's name in messages
                name = item.name if item.name.endswith("deadline") else f"smtp_{item.name}"
                object.__setattr__(self, item.name, _checked(name, value, checks[item.name]))


@dataclass(frozen=True)
class SendOptions:
    """Everything `send` takes besides the workspace and the campaign; invalid values never get this far.

    `out_dir` is the build folder (None: build/<campaign id>/); `letter_ids` the letters to send
    (none: all); `formats` the files attached (None: `attach` in appealkit.yaml, else pdf);
    `dry_run` writes .eml files instead of sending; `connections` messages on their way at once
    (None: appealkit.yaml, else 1); `resend_in_doubt` sends again what a killed send left in
    doubt; `test_to` sends each letter to this one address, as a test.
    """

    out_dir: Path | None = None
    letter_ids: tuple[str, ...] = ()
    formats: tuple[str, ...] | None = None
    dry_run: bool = False
    relay: RelayOptions = field(default_factory=RelayOptions)
    connections: int | None = None
    resend_in_doubt: bool = False
    test_to: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: the normalised values replace what was given
        if self.out_dir is not None:
            set_(self, "out_dir", Path(self.out_dir))
        given: Any = self.letter_ids  # from Python a lone id is a string
        ids = (given,) if isinstance(given, str) else tuple(given)
        set_(self, "letter_ids", tuple(_checked("letter_ids", i, text) for i in ids))
        if self.formats is not None:
            set_(self, "formats", parse_formats(self.formats))
        set_(self, "dry_run", bool(self.dry_run))
        set_(self, "resend_in_doubt", bool(self.resend_in_doubt))
        if not isinstance(self.relay, RelayOptions):
            raise UsageError.at("relay", None, f"'{self.relay}' is not the relay's options",
                                "give RelayOptions(host=..., port=...)")
        if self.connections is not None:
            try:
                connections(self.connections)
            except ValueError:
                raise UsageError.at("connections", None,
                                    f"'{self.connections}' is not a number of connections",
                                    f"use 1 to {MAX_CONNECTIONS}") from None
        if self.test_to:
            try:
                set_(self, "test_to", email(self.test_to))
            except ValueError:
                raise UsageError.at("test_to", None, f"'{self.test_to}' is not one e-mail address",
                                    "give your own address, such as you@example.org") from None

    def attached(self, file: SendSettings) -> tuple[str, ...]:
        """The formats each message carries: these options, else appealkit.yaml, else `DEFAULT_ATTACH`."""
        return self.formats or file.attach or DEFAULT_ATTACH

    def connections_for(self, file: SendSettings) -> int:
        return self.connections or file.connections or 1
