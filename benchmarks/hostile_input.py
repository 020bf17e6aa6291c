"""How fast hostile input is refused, and how much memory that takes: every bomb of the corpus.

Each case runs in its own process with a memory limit (RLIMIT_AS, 1.5 GB) and a CPU limit
(RLIMIT_CPU, 60 s), so a bomb that got through could not take a shared machine down; the
parent prints, per case, the outcome, the wall time until the command returned and the peak
memory of the process (ru_maxrss), beside the memory of the same process before the case.

Run: .venv/bin/python benchmarks/hostile_input.py [NAME-FILTER]
"""

from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
import hostile_pdfs  # noqa: E402
from helpers import zip_of  # noqa: E402

MEMORY_LIMIT = 1_500_000_000
CPU_LIMIT = 60
WALL_LIMIT = 120

LAYOUT = HERE.parent / "appealkit" / "scaffold" / "templates" / "layout"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
USE_BOMB = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g id="a0"><rect width="1" '
            'height="1"/></g>' + "".join(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>"
                                         for i in range(1, 9)) + '<use href="#a8"/></svg>')
DATA_URL_BOMB = ('.letterhead { background-image: url("data:image/svg+xml;base64,'
                 + base64.b64encode(USE_BOMB.encode()).decode() + '"); }')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
          + f"]><w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>")


def template(text: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        (root / "templates" / "appeal.md").write_text(text, encoding="utf-8")
        return ["build", "campaigns/test.yaml", "--format", "docx"]
    return make


def layout(body: str = "", css: str = "", files: dict[str, str] | None = None) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        folder = root / "templates" / "layout"
        folder.mkdir(parents=True, exist_ok=True)
        html = (LAYOUT / "letter.html").read_text(encoding="utf-8")
        (folder / "letter.html").write_text(html.replace('<main class="body">', '<main class="body">' + body),
                                            encoding="utf-8")
        (folder / "letter.css").write_text((LAYOUT / "letter.css").read_text(encoding="utf-8") + css,
                                           encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        return ["build", "campaigns/test.yaml", "--format", "pdf"]
    return make


def letter(name: str, content: Callable[[], bytes]) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        (root / name).write_bytes(content())
        return ["audit", str(root / name)]
    return make


def special(name: str, how: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        path = root / name
        if how == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to(how)
        return ["audit", str(path)] if name.endswith((".txt", ".docx")) else ["check"]
    return make


def letterhead(content: Callable[[], bytes]) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        (root / "templates" / "letterhead.docx").write_bytes(content())
        campaign = root / "campaigns" / "test.yaml"
        campaign.write_text(campaign.read_text(encoding="utf-8").replace(
            "letters:", "letterhead: letterhead.docx\nletters:"), encoding="utf-8")
        return ["build", "campaigns/test.yaml", "--format", "docx"]
    return make


def yaml(text: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        (root / "facts" / "bomb.yaml").write_text(text, encoding="utf-8")
        return ["check"]
    return make


CASES: dict[str, Callable[[Path], list[str]]] = {
    "yaml: 10,000 nested lists": yaml("x: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "yaml: 900,000 values (1.8 MB)": yaml("x: [" + ",".join(["1"] * 900_000) + "]\n"),
    "yaml: alias bomb": yaml("a: &a [x, x, x, x, x, x, x, x, x]\n"
                             "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"),
    "template: 'x' * 10**9": template("{{ 'x' * 10**9 }}\n"),
    "template: 9 ** 999999999": template("{{ 9 ** 999999999 }}\n"),
    "template: 1000 x 1000 nested loops": template(
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}\n"),
    "template: loops over a long string": template(
        "{% for a in 'x' * 90000 %}{% for b in 'y' * 90000 %}{% endfor %}{% endfor %}\n"),
    "template: macro calling itself twice": template(
        "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(40) }}\n"),
    "template: endless recursion": template("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}\n"),
    "template: recursive loop for ever": template(
        "{% for x in range(3) recursive %}{{ loop(range(3)) }}{% endfor %}\n"),
    "template: output in a loop": template("{% for i in range(100000) %}{{ 'x' * 99999 }}{% endfor %}\n"),
    "template: text in a loop": template("{% for i in range(100000) %}" + "y" * 2000 + "{% endfor %}\n"),
    "template: ~ doubling": template("{% macro g(s) %}{{ g(s ~ s) }}{% endmacro %}{{ g('ab') }}\n"),
    "template: set-block doubling": template(
        "{% macro g(s, n) %}{% if n %}{% set t %}{{ s }}{{ s }}{% endset %}{{ g(t, n - 1) }}{% endif %}"
        "{% endmacro %}{{ g('ab', 40) }}\n"),
    "template: namespace doubling": template(
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n"),
    "template: slow loop body (CPU deadline)": template(
        "{% for i in range(99000) %}" + "{% if i == -1 %}x{% endif %}" * 1000 + "{% endfor %}\n"),
    "audit: zip bomb (200 MB member)": letter("bomb.docx", lambda: zip_of({"word/document.xml": 200 << 20})),
    "audit: billion laughs": letter("laughs.docx", lambda: zip_of({"word/document.xml": LAUGHS.encode()})),
    "audit: 100,000-deep XML": letter("deep.docx", lambda: zip_of(
        {"word/document.xml": b"<a>" * 100_000 + b"</a>" * 100_000})),
    "audit: PDF stream inflating to 1 GB": letter("inflate.pdf", hostile_pdfs.inflation_bomb),
    "audit: PDF forms 7 deep, 10 wide": letter("forms.pdf", hostile_pdfs.nested_forms),
    "audit: PDF page of 2,000,000 text operations": letter("text.pdf", hostile_pdfs.text_operations),
    "audit: PDF 200 pages sharing a 70 MB stream": letter("shared.pdf", hostile_pdfs.shared_stream),
    "audit: 1 MB text of numbers": letter("numbers.txt", lambda: " ".join(
        str(n % 997) for n in range(250_000)).encode()),
    "audit: FIFO": special("pipe.txt", "fifo"),
    "audit: link to /dev/zero": special("zero.txt", "/dev/zero"),
    "workspace: campaign linked to /dev/zero": special("campaigns/zero.yaml", "/dev/zero"),
    "layout: font-size 1e9px": layout(css=".body p { font-size: 1e9px; }"),
    "layout: 20,000-deep elements": layout("{% for i in range(20000) %}<div>{% endfor %}x"
                                           "{% for i in range(20000) %}</div>{% endfor %}"),
    "layout: SVG <use> bomb inline": layout(USE_BOMB),
    "layout: SVG <use> bomb file": layout('<img src="bomb.svg">', files={"bomb.svg": USE_BOMB}),
    "layout: SVG <use> bomb in a CSS data: URL": layout(css=DATA_URL_BOMB),
    "layout: loop past the letter's budget": layout(
        "{% for i in range(1000) %}{% for j in range(1000) %}{{ j }}{% endfor %}{% endfor %}"),
    "layout: 5,000 forced pages (CPU budget)": layout(
        "{% for i in range(5000) %}<p style='break-after: page'>x</p>{% endfor %}"),
    "letterhead: zip bomb": letterhead(lambda: zip_of({"word/media/image1.png": 200 << 20})),
    "letterhead: XXE": letterhead(lambda: zip_of({"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE x '
                                                  b'[<!ENTITY e SYSTEM "file:///etc/passwd">]><T>&e;</T>'})),
}


def run_case(name: str) -> None:
    """In the child: build the case, run the CLI once, print one JSON line."""
    from click.testing import CliRunner
    from helpers import make_workspace

    from appealkit.cli import cli

    with tempfile.TemporaryDirectory() as folder:
        root = make_workspace(Path(folder) / "ws")
        args = CASES[name](root)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["--root", str(root), *args])
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        lines = (result.stdout + "\n" + result.stderr).strip().splitlines()
        message = next((line for line in lines if "error:" in line or "warning:" in line),
                       lines[-1] if lines else "")
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        print(json.dumps({"exit": result.exit_code, "seconds": seconds, "before_mb": before / 1024,
                          "peak_mb": peak / 1024, "message": message.replace(str(root) + "/", ""),
                          "traceback": "Traceback" in result.output or crashed}))


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def main(pattern: str = "") -> None:
    print(f"{'case':45} {'exit':>4} {'time':>8} {'peak MB':>8} {'(before)':>9}  message")
    for name in CASES:
        if pattern.lower() not in name.lower():
            continue
        try:
            done = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True,
                                  timeout=WALL_LIMIT, preexec_fn=_limits, check=False)
            row = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None
        except subprocess.TimeoutExpired:
            row = None
        if row is None:
            print(f"{name:45} did not finish within {MEMORY_LIMIT // 10**6} MB and {CPU_LIMIT} s CPU")
            continue
        flag = "  TRACEBACK" if row["traceback"] else ""
        print(f"{name:45} {row['exit']:>4} {row['seconds']:>7.2f}s {row['peak_mb']:>8.0f} "
              f"{row['before_mb']:>9.0f}  {row['message'][:110]}{flag}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_case(sys.argv[2])
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "")
