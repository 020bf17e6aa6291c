"""Every route of `appealkit serve`, over HTTP: Starlette's TestClient, and the real server for the stream."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path

import httpx2
import pytest
from click.testing import CliRunner
from helpers import copy_example, make_workspace, serve_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from appealkit.cli import cli
from appealkit.serve.app import create_app, local_host
from appealkit.serve.preview import Preview

EC = "appeal-ec-president--ec-president"
COE = "appeal-coe-committee-of-ministers--coe-cm-chair"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("serve") / "ws")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "example")
    prisoners = root / "facts/prisoners.yaml"
    prisoners.write_text(prisoners.read_text().replace("value: 400", "value: 375", 1))
    return root


@pytest.fixture(scope="module")
def client(workspace) -> TestClient:
    with TestClient(create_app(Preview(workspace), watching=False), base_url="http://localhost:8000") as client:
        yield client


def test_home_lists_letters_with_state_and_the_facts_in_their_words(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<meta name="viewport"' in html
    assert f'<a href="/letters/bonn-2025/{EC}">' in html
    assert '<span class="state state-warnings">warnings</span>' in html
    assert html.count('<span class="state state-ok">ok</span>') == 4
    assert "German (de)" in html and "Azerbaijani (az)" in html
    assert "about 375 political prisoners" in html and "facts/prisoners.yaml:7" in html


def test_letter_page_shows_the_print_html_findings_and_downloads(client):
    page = client.get(f"/letters/bonn-2025/{COE}")
    assert page.status_code == 200
    html = page.text
    assert '<iframe class="sheet"' in html and "srcdoc=" in html
    assert "about 375 political prisoners" in html  # inside srcdoc, escaped once
    assert '<span class="where">campaigns/bonn-2025.yaml:22</span>: <strong>warning</strong>' in html
    assert f'href="/download/bonn-2025/{COE}.docx"' in html and f'href="/download/bonn-2025/{COE}.pdf"' in html


def test_unknown_letter_is_404(client):
    assert client.get("/letters/bonn-2025/nobody").status_code == 404


@pytest.mark.parametrize(("fmt", "magic", "media"), [
    ("pdf", b"%PDF", "application/pdf"),
    ("docx", b"PK", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_downloads(client, fmt, magic, media):
    response = client.get(f"/download/bonn-2025/{EC}.{fmt}")
    assert response.status_code == 200 and response.content.startswith(magic)
    assert response.headers["content-type"] == media
    assert response.headers["content-disposition"] == f'attachment; filename="{EC}.{fmt}"'
    assert client.get(f"/download/bonn-2025/{EC}.exe").status_code == 404


def test_review_compares_the_working_tree_with_head(client):
    page = client.get("/review")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Review: the working tree against HEAD</h1>" in html
    assert f'<a href="#bonn-2025--{EC}">' in html and f'<section class="letter" id="bonn-2025--{EC}">' in html
    assert '<div class="text" lang="az">' in html
    assert '<del title="fact political_prisoners">400</del>' in html


def test_review_of_an_unknown_revision_shows_why(client):
    html = client.get("/review", params={"rev": "no-such-rev"}).text
    assert "Cannot compare" in html and "unknown revision &#39;no-such-rev&#39;" in html


def test_layout_files_and_nothing_outside(client):
    css = client.get("/layout/letter.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@page" in css.text and "@media screen" in css.text
    assert client.get("/layout/../letter.html").status_code == 404
    assert client.get("/layout/%2e%2e/%2e%2e/pyproject.toml").status_code == 404


def test_version(client):
    data = client.get("/version").json()
    assert data["version"] >= 1 and data["problems"] == []


@pytest.mark.parametrize(("host", "allowed"), [
    ("localhost", True), ("localhost:8000", True), ("127.0.0.1:51234", True), ("[::1]:8000", True),
    ("LOCALHOST:8000", True), ("evil.example", False), ("evil.example:8000", False),
    ("127.0.0.1.evil.example", False), ("localhost:8000@evil", False), ("", False), ("[::1]x", False),
])
def test_host_guard(client, host, allowed):
    assert local_host(host) is allowed
    response = client.get("/", headers={"host": host})
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.slow
def test_the_real_server_streams_versions_and_refuses_foreign_hosts(workspace):
    with serve_process(workspace) as url, httpx2.Client(timeout=20) as http:
        assert http.get(url + "/").status_code == 200
        assert http.get(url + "/", headers={"Host": "attacker.example"}).status_code == 403
        with http.stream("GET", url + "/events") as events:
            assert events.headers["content-type"].startswith("text/event-stream")
            lines = events.iter_lines()
            assert next(lines) == "event: version"
            assert next(lines).startswith("data: ")


def test_serve_refuses_a_port_in_use(tmp_path):
    root = make_workspace(tmp_path / "ws")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["--root", str(root), "serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == (f"--port: error: port {port} is already in use "
                             "(choose another with --port, or --port 0 for any free port)\n")
    from appealkit.errors import UsageError
    from appealkit.serve.server import bind

    with socket.socket() as busy:  # from Python: the field where the command line names the flag
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UsageError) as caught:
            bind(port)
    assert caught.value.message == (f"port: error: port {port} is already in use "
                                    "(choose another with `port`, or `port` 0 for any free port)")


@pytest.mark.parametrize("port", [65536, -1, "8000", True])
def test_serve_from_python_refuses_what_the_port_option_refuses(port):
    from appealkit.errors import UsageError
    from appealkit.serve.server import serve

    with pytest.raises(UsageError) as caught:
        serve(Path("."), None, port)
    assert caught.value.message == f"port: error: '{port}' is not a port number (use 1 to 65535, or 0 for any free port)"


def test_the_web_stack_is_imported_only_by_serve():
    code = ("import sys, appealkit.cli, appealkit.batch.build, appealkit.review.diff_format; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'watchfiles', 'appealkit.pages.html_pages') "
            "if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "['appealkit.pages.html_pages']"  # the bundle's index needs it, not the web


def test_the_letter_page_lists_its_facts_in_the_letters_language(client):
    html = client.get("/letters/bonn-2025/appeal-de-foreign-minister--de-foreign-minister--de").text
    assert '<span lang="de">rund 375 politische Gefangene</span>' in html


def test_review_reads_git_revisions_only(client):
    html = client.get("/review", params={"rev": "dir:/etc"}).text
    assert "the review page compares with git revisions only" in html


def test_letter_page_shows_the_pdf_pages_as_they_print(client):
    """The paged preview: one image per PDF page, with its number, made from the PDF itself."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    pdf = client.get(f"/download/bonn-2025/{EC}.pdf")
    count = len(PdfReader(io.BytesIO(pdf.content)).pages)
    page = client.get(f"/letters/bonn-2025/{EC}")
    assert f"As it prints: {count} pages" in page.text
    for number in range(1, count + 1):
        assert f"/pages/bonn-2025/{EC}/{number}?v=" in page.text
        assert f"Page {number} / {count}" in page.text
        image = client.get(f"/pages/bonn-2025/{EC}/{number}")
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        picture = Image.open(io.BytesIO(image.content))
        assert picture.width == 820 and 1150 <= picture.height <= 1170  # A4 upright
        assert picture.convert("L").getextrema()[0] < 64  # there is ink on it
    assert client.get(f"/pages/bonn-2025/{EC}/{count + 1}").status_code == 404
    assert client.get(f"/pages/bonn-2025/{EC}/0").status_code == 404
    assert client.get("/pages/bonn-2025/no-such-letter/1").status_code == 404


@pytest.mark.parametrize(("path", "status"), [
    ("/layout/letter.css%00.png", 400),
    ("/layout/" + "a" * 5000 + ".css", 400),
    ("/layout/" + "a/" * 400 + "x.css", 404),
    ("/layout/%ff%fe.css", 404),
    ("/review?rev=" + "x" * 60_000, 400),
    ("/review?rev=HEAD%00", 400),
    ("/review?rev=%ff", 200),
    ("/pages/bonn-2025/x/" + "9" * 5000, 400),
    ("/letters/%00/%00", 404),
    ("/download/bonn-2025/" + "x" * 5000 + ".pdf", 404),
])
def test_a_malformed_request_is_answered_4xx_with_one_line_never_500(client, path, status):
    answer = client.get(path)
    assert answer.status_code == status, answer.text[:300]
    if answer.headers["content-type"].startswith("text/plain"):
        assert len(answer.text.splitlines()) == 1


_SEGMENT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["%00", "%ff", "..", "%2e%2e", "letter.css", "bonn-2025", EC, "x" * 3000, "9" * 5000, "%", "%zz"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(["/", "/letters/{}/{}", "/download/{}/{}.pdf", "/download/{}/{}", "/pages/{}/{}/{}",
                              "/review?rev={}", "/version", "/layout/{}", "/layout/{}/{}", "/{}", "/letters/{}"]),
       parts=st.lists(_SEGMENT, min_size=3, max_size=3))
def test_no_request_to_any_route_answers_500(client, route, parts):
    path = route.format(*(urllib.parse.quote(p, safe="%") for p in parts))
    answer = client.get(path)  # TestClient raises what the app does not handle
    assert answer.status_code < 500, (path, answer.text[:300])


def test_home_shows_each_sent_letters_follow_up(tmp_path):
    from send_helpers import approved, send_now, send_workspace
    from smtp_server import Mailbox, smtp_server

    root = send_workspace(tmp_path, 2)
    approved(root, formats=("pdf",))
    with smtp_server(Mailbox()) as port:
        send_now(root, port, letter_ids=("appeal--minister",))
    CliRunner().invoke(cli, ["--root", str(root), "reply", "appeal--minister", "--date", "2025-11-03",
                             "--note", "received"])
    with TestClient(create_app(Preview(root), watching=False), base_url="http://localhost:8000") as local:
        html = local.get("/").text
    assert '<span class="state follow-up follow-up-replied">replied on 2025-11-03: received</span>' in html
    assert html.count("follow-up-") == 1  # the letter not sent has none


@pytest.mark.parametrize("port", [65536, -1, "8000", True])
def test_serve_options_refuse_a_bad_port_before_the_web_stack_loads(port):
    """The CLI builds `ServeOptions` before it imports the server; from Python `serve` builds the same."""
    from appealkit.errors import UsageError
    from appealkit.serve.options import ServeOptions

    with pytest.raises(UsageError) as caught:
        ServeOptions("bonn-2025", port)
    assert caught.value.message == f"port: error: '{port}' is not a port number (use 1 to 65535, or 0 for any free port)"
    code = ("import sys; from appealkit.serve.options import ServeOptions; ServeOptions(port=8000); "
            "print('uvicorn' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "False\n"
