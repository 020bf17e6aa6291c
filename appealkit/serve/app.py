"""The web app of `appealkit serve`: the routes, the Host guard and the live updates.

Starlette routes each page to one function that reads the current `Snapshot` and
renders a template of `appealkit/pages/`. Open pages listen to `/events` (server-sent
events): when the workspace changes, the server refreshes the preview and sends the new
version, and the page fetches itself again and swaps its `<main>`, without a reload.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import re
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from appealkit.errors import AppealkitError, Problem
from appealkit.pages.html_pages import render_page
from appealkit.serve.preview import LAYOUT_URL, Preview
from appealkit.serve.watch import watch

#: Requests must name this machine: a page of another site that resolves its own name to
#: 127.0.0.1 (DNS rebinding) sends its own Host and is refused.
_LOCAL_HOST = re.compile(r"^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$", re.IGNORECASE)
KEEP_ALIVE_SECONDS = 15.0
#: The longest path or query value a route takes; ids, file names and revisions stay far below.
MAX_VALUE = 1000
_UNUSABLE = re.compile(r"[\x00-\x1f\x7f]")
#: Shown around the letter when the browser (not WeasyPrint) reads the layout's stylesheet.
SCREEN_CSS = """
@media screen {
  html { background: #fff; }
  body { padding: 20mm 22mm; }
}
"""


def local_host(value: str) -> bool:
    return bool(_LOCAL_HOST.match(value))


class HostGuard:
    """403 for every request whose Host header is not localhost, 127.0.0.1 or [::1] (any port)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if not local_host(host):
                response = PlainTextResponse(
                    f"403: this server answers only to localhost, not to '{host}'", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Live:
    """Tells the open pages that a new snapshot is out."""

    def __init__(self, preview: Preview):
        self.preview = preview
        self.changed: asyncio.Condition | None = None
        self.stopping = False

    async def refresh(self) -> None:
        await asyncio.to_thread(self.preview.refresh)
        await self.notify()

    async def notify(self) -> None:
        if self.changed is not None:
            async with self.changed:
                self.changed.notify_all()

    async def wait(self, version: int, timeout: float) -> None:
        """Until the snapshot is newer than `version`, the server stops, or `timeout` seconds pass."""
        assert self.changed is not None
        with contextlib.suppress(TimeoutError):
            async with self.changed:
                await asyncio.wait_for(self.changed.wait_for(
                    lambda: self.stopping or self.preview.snapshot.version != version), timeout)


def create_app(preview: Preview, *, watching: bool = True) -> Starlette:
    """The app for `preview`; with `watching`, saved source files refresh it while it runs."""
    live = Live(preview)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        live.changed = asyncio.Condition()
        if preview.snapshot.version == 0:
            await asyncio.to_thread(preview.refresh)
        stop = asyncio.Event()
        task = asyncio.create_task(watch(preview.root, live.refresh, stop)) if watching else None
        try:
            yield
        finally:
            live.stopping = True
            stop.set()
            await live.notify()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, 2)

    routes = [
        Route("/", _home),
        Route("/letters/{campaign}/{letter}", _letter),
        Route("/download/{campaign}/{filename}", _download),
        Route("/pages/{campaign}/{letter}/{number:int}", _page_image),
        Route("/review", _review),
        Route("/events", _events),
        Route("/version", _version),
        Route(LAYOUT_URL + "{path:path}", _layout_file),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        ValueError: _bad_request, OSError: _bad_request, UnicodeError: _bad_request})
    app.state.preview = preview
    app.state.live = live
    app.add_middleware(HostGuard)
    return app


def _page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    snapshot = request.app.state.preview.snapshot
    numbers = {f"{c.id}/{v.id}": n for n, (c, v) in enumerate(
        ((c, v) for c in snapshot.campaigns for v in c.letters), start=1)}

    def letter_link(cited_by: str) -> tuple[str, str]:
        """`campaign/letter` → the letter page's address and its number on the home page."""
        return f"/letters/{cited_by}", f"#{numbers.get(cited_by, '?')}"

    html = render_page(name, snapshot=snapshot, letter_link=letter_link, **context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


async def _home(request: Request) -> Response:
    from appealkit.send.status import logged_follow_ups

    preview = request.app.state.preview
    days = {c.id: c.follow_up_after for c in preview.snapshot.campaigns}
    follow_ups = await asyncio.to_thread(logged_follow_ups, preview.root, days)
    return _page(request, "serve_home.html", title="Letters", follow_ups=follow_ups)


async def _letter(request: Request) -> Response:
    found = request.app.state.preview.snapshot.letter(request.path_params["campaign"],
                                                      request.path_params["letter"])
    if found is None:
        return _page(request, "serve_missing.html", status_code=404, title="No such letter",
                     what=f"{request.path_params['campaign']}/{request.path_params['letter']}")
    campaign, view = found
    rows = {row.id: row for row in request.app.state.preview.snapshot.facts}
    pages = 0
    if view.letter is not None and not view.problems:
        with contextlib.suppress(AppealkitError):  # the page says why there is no PDF: its findings
            pages = len(await asyncio.to_thread(request.app.state.preview.page_images, campaign, view))
    return _page(request, "serve_letter.html", title=view.subject or view.id, campaign=campaign, view=view,
                 fact_rows=rows, pages=pages)


async def _page_image(request: Request) -> Response:
    """One page of a letter's PDF as a PNG image: the paged preview."""
    preview: Preview = request.app.state.preview
    found = preview.snapshot.letter(request.path_params["campaign"], request.path_params["letter"])
    if found is None or found[1].letter is None or found[1].problems:
        return PlainTextResponse("no such letter", status_code=404)
    try:
        images = await asyncio.to_thread(preview.page_images, *found)
    except AppealkitError as exc:
        return PlainTextResponse(exc.message, status_code=409)
    number = request.path_params["number"]
    if not 1 <= number <= len(images):
        return PlainTextResponse("no such page", status_code=404)
    return Response(images[number - 1], media_type="image/png", headers={"Cache-Control": "no-store"})


async def _download(request: Request) -> Response:
    preview: Preview = request.app.state.preview
    letter_id, _, fmt = request.path_params["filename"].rpartition(".")
    found = preview.snapshot.letter(request.path_params["campaign"], letter_id)
    if found is None or fmt not in ("docx", "pdf"):
        return PlainTextResponse("no such file", status_code=404)
    campaign, view = found
    if view.letter is None or view.problems:
        return PlainTextResponse(f"letter '{letter_id}' does not render: see its page", status_code=409)
    try:
        data = await asyncio.to_thread(preview.document, campaign, view, fmt)
    except AppealkitError as exc:
        return PlainTextResponse(exc.message, status_code=409)
    media = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fmt]
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{letter_id}.{fmt}"'})


async def _review(request: Request) -> Response:
    from appealkit.review.diff_format import html_context
    from appealkit.review.diff_run import run_diff
    from appealkit.review.options import DiffOptions
    from appealkit.review.revisions import FOLDER_PREFIX

    revision = request.query_params.get("rev") or "HEAD"
    preview: Preview = request.app.state.preview
    problem = bad_value(revision)
    if problem:
        failed = (Problem(revision[:40], None, problem, "give a commit, branch or tag such as HEAD~1"),)
        return _page(request, "serve_review.html", status_code=400, title="Review", revision=revision[:40],
                     failed=failed)
    if revision.startswith(FOLDER_PREFIX):  # the page reads the workspace's own history, no other folder
        folders = Problem(revision, None, "the review page compares with git revisions only",
                          "compare folders with appealkit diff dir:OLD dir:NEW")
        return _page(request, "serve_review.html", title="Review", revision=revision, failed=(folders,))
    try:
        report = (await asyncio.to_thread(run_diff, preview.root, DiffOptions(revision))).report
    except AppealkitError as exc:
        return _page(request, "serve_review.html", title="Review", revision=revision, failed=exc.problems)
    return _page(request, "serve_review.html", revision=revision, failed=(), **html_context(report))


async def _events(request: Request) -> Response:
    live: Live = request.app.state.live

    async def stream() -> AsyncIterator[str]:
        sent = -1
        while not live.stopping:
            version = live.preview.snapshot.version
            yield f"event: version\ndata: {version}\n\n" if version != sent else ": still here\n\n"
            sent = version
            await live.wait(sent, KEEP_ALIVE_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _version(request: Request) -> Response:
    snapshot = request.app.state.preview.snapshot
    return JSONResponse({"version": snapshot.version, "rendered": list(snapshot.rendered),
                         "seconds": round(snapshot.seconds, 3),
                         "problems": [str(p) for p in snapshot.problems]})


async def _bad_request(request: Request, exc: Exception) -> Response:
    """A request no route can serve (a NUL byte, a name too long for the file system, a number of
    ten thousand digits): 400 and one line, never a server error."""
    return PlainTextResponse(f"400: a malformed request ({type(exc).__name__})", status_code=400)


def bad_value(value: str) -> str | None:
    """Why a path or query value from a request cannot name anything here, or None."""
    if len(value) > MAX_VALUE:
        return f"a value of {len(value):,} characters, more than {MAX_VALUE:,}"
    if _UNUSABLE.search(value):
        return "a value with a control character"
    return None


async def _layout_file(request: Request) -> Response:
    """A file of the PDF layout's folder (its stylesheet, fonts, images), and nothing outside it,
    read like every file a layout loads (regular, capped)."""
    from appealkit.source.regular_files import Untrusted
    from appealkit.write.pdf_limits import read_resource

    folder = request.app.state.preview.snapshot.layout_dir
    if folder is None:
        return PlainTextResponse("no layout", status_code=404)
    problem = bad_value(request.path_params["path"])
    if problem:
        return PlainTextResponse(f"400: {problem}", status_code=400)
    path = (folder / request.path_params["path"]).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return PlainTextResponse("no such file", status_code=404)
    try:
        data = await asyncio.to_thread(read_resource, path)
    except Untrusted as exc:
        return PlainTextResponse(f"403: {exc}", status_code=403)
    if path.suffix == ".css":
        return Response(data + SCREEN_CSS.encode(), media_type="text/css")
    return Response(data, media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

