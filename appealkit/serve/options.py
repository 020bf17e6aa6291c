"""What `serve` is asked to show and where, made once: the CLI and `serve` from Python build the same
`ServeOptions`. It imports no web library, so a bad port is refused before the web stack loads."""

from __future__ import annotations

from dataclasses import dataclass

from appealkit.errors import UsageError

DEFAULT_PORT = 8000


def port_number(port: object) -> int:
    """A port on 127.0.0.1, 0 for any free one; anything else is refused with one line."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise UsageError.at("port", None, f"'{port}' is not a port number",
                            "use 1 to 65535, or 0 for any free port")
    return port


@dataclass(frozen=True)
class ServeOptions:
    """`campaign` the campaign shown, a file or its id (None or blank: the default campaign of
    appealkit.yaml, else every one); `port` on 127.0.0.1 (0: any free port); `open_browser`
    opens the page once it answers."""

    campaign: str | None = None
    port: int = DEFAULT_PORT
    open_browser: bool = False

    def __post_init__(self) -> None:
        if self.campaign is not None and not isinstance(self.campaign, str):
            raise UsageError.at("campaign", None, f"'{self.campaign}' is not a campaign",
                                "give a campaign file or its id")
        port_number(self.port)
        object.__setattr__(self, "open_browser", bool(self.open_browser))
