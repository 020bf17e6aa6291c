"""`appealkit serve`: the local review page."""

from __future__ import annotations

import click

from appealkit.cli.session import session, session_options


@click.command("serve")
@click.argument("campaign_file", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@session_options
def serve_command(campaign_file: str | None, port: int, open_browser: bool) -> None:
    """Show the letters in a web browser, updated as you save: checks, facts, downloads, review.

    Listens on 127.0.0.1 only. Every saved change under facts/, people/, recipients/,
    templates/ or campaigns/ shows on the open pages within a moment; nothing is written
    into the workspace. Ctrl-C stops it. Without CAMPAIGN_FILE: the default campaign of
    appealkit.yaml, else every campaign.

    Example: appealkit serve campaigns/bonn-2025.yaml --open
    """
    from appealkit.serve.options import ServeOptions

    options = ServeOptions(campaign_file, port, open_browser)
    from appealkit.serve.server import serve_workspace  # the web stack, once the options hold

    serve_workspace(session().root(), options,
                    announce=lambda url: click.echo(f"appealkit serve: {url}  (Ctrl-C to stop)"))
