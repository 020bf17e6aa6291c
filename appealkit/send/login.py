"""The SMTP password: from the environment variable the settings name, else the system keyring.

Never from a file: `appealkit.yaml` lives in git, and a password committed once stays in the
history for ever. The keyring library is imported only when the variable is unset and a login
is needed, so a send through an open local relay never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from appealkit.errors import UsageError

#: Passwords are stored in the keyring under this service name followed by the relay's host.
KEYRING_SERVICE = "appealkit"


def keyring_service(host: str) -> str:
    """`appealkit/smtp.example.org`: one keyring entry per relay, the user name as its account."""
    return f"{KEYRING_SERVICE}/{host}"


def smtp_password(host: str, user: str, env_name: str, environ: Mapping[str, str]) -> str:
    """The password of `user` at `host`: `$env_name` when set, else the system keyring's entry."""
    if environ.get(env_name):
        return environ[env_name]
    service = keyring_service(host)
    hint = (f"set the environment variable {env_name}, or store the password once with: "
            f"keyring set {service} {user}")
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise UsageError.at("appealkit.yaml", None, f"no SMTP password for {user}: {env_name} is not set "
                            "and the keyring library is not installed", hint) from None
    try:
        password = keyring.get_password(service, user)
    except KeyringError as exc:
        raise UsageError.at("appealkit.yaml", None, f"no SMTP password for {user}: {env_name} is not set "
                            f"and the system keyring cannot be read ({' '.join(str(exc).split())[:200]})",
                            f"set the environment variable {env_name}") from None
    if not password:
        raise UsageError.at("appealkit.yaml", None, f"no SMTP password for {user}: {env_name} is not set "
                            f"and the system keyring has no entry '{service}'", hint)
    return password
