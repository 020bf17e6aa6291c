"""Run `appealkit serve`: the app on 127.0.0.1 with uvicorn, until Ctrl-C.

The socket is bound here, before uvicorn starts, so `--port 0` picks a free port and
the address printed is the one that answers. Only the loopback interface is bound:
the preview shows unpublished letters and must not be reachable from the network.
"""

from __future__ import annotations

import errno
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from appealkit.errors import UsageError, option
from appealkit.serve.app import create_app
from appealkit.serve.options import DEFAULT_PORT, ServeOptions, port_number
from appealkit.serve.preview import Preview
from appealkit.source.campaign import named_campaign_path

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: any free port)."""
    port_number(port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError.at("port", None, f"port {port} is already in use",
                                f"choose another with {option('port')}, or {option('port')} 0 for any "
                                "free port") from None
        raise
    sock.listen(128)
    return sock


def serve(root: Path, campaign_files: list[Path] | None = None, port: int = DEFAULT_PORT,
          open_browser: bool = False, announce: Callable[[str], None] = print) -> None:
    """Serve the preview of the workspace at `root` until interrupted; `announce(url)` once it listens.
    The options are those of `ServeOptions`, validated there."""
    _run(root, campaign_files, ServeOptions(None, port, open_browser), announce)


def serve_workspace(root: Path, options: ServeOptions, announce: Callable[[str], None] = print) -> None:
    """`serve` of the campaign the options name (else the default campaign, else every one): the CLI."""
    named = named_campaign_path(root, options.campaign)
    _run(root, [named] if named else None, options, announce)


def _run(root: Path, campaign_files: list[Path] | None, options: ServeOptions,
         announce: Callable[[str], None]) -> None:
    sock = bind(options.port)  # before the first refresh: a port in use fails at once
    preview = Preview(root, campaign_files)
    preview.refresh()
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(create_app(preview), log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    announce(url)
    if options.open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    server.run(sockets=[sock])
