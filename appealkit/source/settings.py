"""The workspace settings file `appealkit.yaml`: the SMTP relay, the sender, and command defaults.

Typed on every `send`, the relay was the one thing an organiser had to remember; kept here,
under git with the rest of the workspace, it is reviewed like a fact. The keys mirror the
command-line options (`smtp_host` is `--smtp-host`), so a user who knows one knows the other,
and an option given on the command line wins over the file. A password never goes in this
file: `password_env` names the environment variable that holds it (else the system keyring
is asked, see `send/login.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appealkit.choices import LETTER_FORMATS, SMTP_SECURITY, parse_formats
from appealkit.errors import Problem, UsageError, WorkspaceError
from appealkit.source.records import Where
from appealkit.source.yamlsource import Fields, email, load_yaml, one_of, text

SETTINGS_FILE = "appealkit.yaml"
#: The variable the password is read from when the file names none.
PASSWORD_ENV = "APPEALKIT_SMTP_PASSWORD"
#: Seconds one message may take, every try and wait included, and seconds to reach a relay and be
#: ready to send (connection, greeting, EHLO, STARTTLS, login).
MESSAGE_DEADLINE = 120.0
RELAY_DEADLINE = 30.0
MAX_DEADLINE = 3600.0
MAX_CONNECTIONS = 16
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
_HOST = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*|[A-Za-z0-9][A-Za-z0-9.-]{0,252})$")
#: Keys a password could hide under: refused by name, so it is never committed by mistake.
_SECRETS = ("password", "smtp_password", "pass", "secret")


@dataclass(frozen=True)
class SendSettings:
    """The `send:` section. Empty text and None mean "not set": the option or the built-in default."""

    smtp_host: str = ""
    smtp_port: int | None = None
    smtp_security: str = ""
    smtp_user: str = ""
    password_env: str = PASSWORD_ENV
    #: From and Reply-To when a campaign gives no `sender_email`; the display name beside it
    sender_email: str = ""
    sender_name: str = ""
    message_deadline: float = MESSAGE_DEADLINE
    relay_deadline: float = RELAY_DEADLINE
    connections: int | None = None
    #: the formats attached to each message (`--attach`)
    attach: tuple[str, ...] = ()
    where: Where = field(default_factory=lambda: Where(SETTINGS_FILE))


@dataclass(frozen=True)
class DefaultSettings:
    """The `defaults:` section: what a command uses when the command line does not say."""

    #: a campaign id or file, for the commands that take a campaign
    campaign: str = ""
    #: the formats `build` writes
    formats: tuple[str, ...] = ()
    where: Where = field(default_factory=lambda: Where(SETTINGS_FILE))


@dataclass(frozen=True)
class Settings:
    send: SendSettings = field(default_factory=SendSettings)
    defaults: DefaultSettings = field(default_factory=DefaultSettings)
    #: the file they were read from; None when the workspace has none
    path: Path | None = None


def settings_path(root: Path) -> Path:
    return Path(root) / SETTINGS_FILE


def load_settings(root: Path) -> Settings:
    """The settings of the workspace at `root` (built-in defaults when it has no `appealkit.yaml`);
    a `WorkspaceError` with one line per mistake otherwise."""
    path = settings_path(root)
    if not path.exists() and not path.is_symlink():
        return Settings()
    data = load_yaml(path, SETTINGS_FILE, Path(root), allow_empty=True)
    if data is None:  # every line a comment, as `init` writes it
        return Settings(path=path)
    problems: list[Problem] = []
    top = Fields(data, SETTINGS_FILE, problems, "the settings file")
    sections = {"send": _send, "defaults": _defaults}
    found: dict[str, Any] = {}
    if top.ok:
        for name, read in sections.items():
            raw = top.raw(name)
            if raw is not None:
                found[name] = read(Fields(raw, SETTINGS_FILE, problems, f"the '{name}:' section",
                                          top.line_of(name)), Path(root))
        top.done()
    if problems:
        raise WorkspaceError(problems)
    return Settings(found.get("send", SendSettings()), found.get("defaults", DefaultSettings()), path)


def settings_problems(root: Path) -> list[Problem]:
    """Every mistake in `appealkit.yaml`, for `check`: [] when it is right or absent."""
    try:
        load_settings(root)
    except WorkspaceError as exc:
        return list(exc.problems)
    return []


def _send(f: Fields, root: Path) -> SendSettings:
    where = Where(SETTINGS_FILE, f.line)
    if not f.ok:
        return SendSettings(where=where)
    for key in _SECRETS:
        if f.has(key):
            f.raw(key)
            f.error(f.line_of(key),
                    f"'{key}': a password never goes in the settings file (it is kept in git)",
                    f"remove it; put the password in the environment variable named by 'password_env' "
                    f"(default {PASSWORD_ENV}) or in the system keyring")
    settings = SendSettings(
        smtp_host=f.get("smtp_host", host, default=""),
        smtp_port=f.get("smtp_port", port),
        smtp_security=f.get("smtp_security", one_of(*SMTP_SECURITY), default=""),
        smtp_user=f.get("smtp_user", text, default=""),
        password_env=f.get("password_env", env_name, default=PASSWORD_ENV),
        sender_email=f.get("sender_email", email, default=""),
        sender_name=f.get("sender_name", text, default=""),
        message_deadline=f.get("message_deadline", seconds, default=MESSAGE_DEADLINE),
        relay_deadline=f.get("relay_deadline", seconds, default=RELAY_DEADLINE),
        connections=f.get("connections", connections),
        attach=f.get("attach", formats, default=()),
        where=where,
    )
    f.done()
    return settings


def _defaults(f: Fields, root: Path) -> DefaultSettings:
    where = Where(SETTINGS_FILE, f.line)
    if not f.ok:
        return DefaultSettings(where=where)
    campaign = f.get("campaign", text, default="")
    if campaign and not _campaign_exists(root, campaign):
        known = ", ".join(p.stem for p in sorted((root / "campaigns").glob("*.yaml"))) or "none"
        f.error(f.line_of("campaign"), f"'campaign': no campaign '{campaign}' in campaigns/",
                f"campaigns here: {known}")
    settings = DefaultSettings(campaign=campaign, formats=f.get("formats", formats, default=()), where=where)
    f.done()
    return settings


def _campaign_exists(root: Path, name: str) -> bool:
    """A campaign id (`bonn-2025`) or a file inside the workspace (`campaigns/bonn-2025.yaml`)."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return False
    candidates = (root / name, root / "campaigns" / name, root / "campaigns" / f"{name}.yaml")
    return any(p.is_file() for p in candidates)


# Checks for `Fields.get`, also used by the options of the commands, so a value has one rule.

def host(value: Any) -> str:
    result = text(value)
    if not _HOST.match(result):
        raise ValueError("must be a host name such as smtp.example.org, or an IP address")
    return result


def port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError("must be a port number from 1 to 65535")
    return value


def env_name(value: Any) -> str:
    result = text(value)
    if not _ENV_NAME.match(result):
        raise ValueError("must be the name of an environment variable, such as APPEALKIT_SMTP_PASSWORD "
                         "(the name, never the password)")
    return result


def seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_DEADLINE:
        raise ValueError(f"must be a number of seconds, more than 0 and at most {MAX_DEADLINE:.0f}")
    return float(value)


def connections(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONNECTIONS:
        raise ValueError(f"must be a whole number from 1 to {MAX_CONNECTIONS}")
    return value


def formats(value: Any) -> tuple[str, ...]:
    """`pdf`, `docx, pdf` or a list of them, read by the parser of `--format` (`parse_formats`)."""
    items = value if isinstance(value, list) else [text(value)]
    try:
        return parse_formats([text(item) for item in items])
    except UsageError:
        parts = [f.strip() for item in items for f in str(item).lower().split(",")]
        unknown = [f for f in parts if f not in LETTER_FORMATS]
        raise ValueError(f"must name formats among {', '.join(LETTER_FORMATS)}"
                         + (f" (not '{unknown[0]}')" if unknown else "")) from None
