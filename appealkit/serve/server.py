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
from appealkit.serve.preview import Preview

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: any free port)."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise UsageError.at("port", None, f"'{port}' is not a port number",
                            "use 1 to 65535, or 0 for any free port")
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
    """Serve the preview of the workspace at `root` until interrupted; `announce(url)` once it listens."""
    sock = bind(port)  # before the first refresh: a port in use fails at once
    preview = Preview(root, campaign_files)
    preview.refresh()
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(create_app(preview), log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    announce(url)
    if open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    server.run(sockets=[sock])
