"""Helpers that make small workspaces in a temporary folder."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from pypdf import PdfReader

from appealkit.render.document import Block, Letter, Run, Signature

REPO = Path(__file__).resolve().parent.parent
#: pytest-timeout's limit for a test that guards against a hang (`@pytest.mark.timeout(HANG_SECONDS)`):
#: long enough that no machine, however loaded, reaches it unless something really hangs.
HANG_SECONDS = 300


def build_file_tree(root: Path, spec: dict[str, str | bytes]) -> Path:
    """Write `{relative path: content}` under root; text is dedented."""
    for name, content in spec.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL = {
    "facts/prisoners.yaml": """
        political_prisoners:
          value: 400
          qualifier: about
          noun: political prisoners
          noun_singular: political prisoner
          as_of: 2025-10-25
          keywords: [political prisoners]
          sources:
            - title: Conference appeal
              publisher: ASİMKOM
              date: 2025-10-25
        journalists:
          value: 40
          qualifier: more than
          noun: journalists
          as_of: 2025-10-25
          sources:
            - title: Conference appeal
          parts:
            women:
              value: 9
              noun: women
              noun_singular: woman
        deported:
          members: [samir_ashurov, emin_malikov]
          noun: activists
          as_of: 2025-10-25
          sources:
            - title: Conference appeal
        citizens:
          value: 10000000
          format: compact
          noun: citizens
          as_of: 2025-10-25
          sources:
            - title: Conference appeal
    """,
    "people/people.yaml": """
        asimkom:
          name: ASİMKOM
          kind: organisation
          long_name: Coordination Center of Azerbaijani Political Refugees
          variants: [ASIMKOM, ASMKOM]
        samir_ashurov:
          name: Samir Ashurov
        emin_malikov:
          name: Emin Malikov
        vidadi_isgandarli:
          name: Vidadi İsgəndərli
          variants: [Vidadi Isgandarli]
        jane_minister:
          name: Jane Minister
    """,
    "recipients/minister.yaml": """
        office: Minister for Foreign Affairs
        institution: Ministry of Foreign Affairs
        holder:
          person: jane_minister
          honorific: Dr.
        term:
          from: 2025-01-01
          source:
            title: Government announcement
        salutation: Dear Minister,
        address:
          - Ministry of Foreign Affairs
          - 1 Example Street
          - 10000 Capital
        language: en
    """,
    "templates/appeal.md": """
        We write about {{ fact("political_prisoners") }}, among them **{{ fact("journalists") }}**,
        {{ fact("journalists").part("women", words=True) }} among them.

        {% include "snippets/deported.md" %}

        1. Release {{ fact("political_prisoners").figure }} people.
        2. Remember {{ person("vidadi_isgandarli") }}.

        The rights of {{ fact("citizens") }} matter. Signed on {{ campaign.date|date }}.
    """,
    "templates/snippets/deported.md": """
        {{ fact("deported", words=True).capitalized }} were deported: {{ fact("deported").names }}.
    """,
    "campaigns/test.yaml": """
        id: test
        title: Test campaign
        date: 2025-10-25
        place: Bonn
        organisation: asimkom
        subject: Appeal for the release of political prisoners
        signatories:
          - name: The Coordinating Board
            role: ASİMKOM
        letters:
          - template: appeal.md
            recipient: minister
    """,
}


def zip_of(parts: dict[str, bytes | int]) -> bytes:
    """A zip (a DOCX's shape); an int member is that many spaces, written in 1 MB chunks so a
    zip bomb is made without holding it in memory, and never kept in git."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as member:
                    for _ in range(content >> 20):
                        member.write(b" " * (1 << 20))
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def make_workspace(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """The minimal workspace, with files replaced (`{path: text}`) or removed (`{path: None}`)."""
    spec = dict(MINIMAL)
    for name, content in (changes or {}).items():
        if content is None:
            spec.pop(name, None)
        else:
            spec[name] = content
    return build_file_tree(root, spec)


def mark_translations(root: Path) -> Path:
    """Every translation under templates/ marked current, as a translator who has finished would."""
    from appealkit.checks.translation_state import translation_names
    from appealkit.translate.marking import mark

    for name in translation_names(root):
        mark(root, name, datetime.date(2025, 10, 20))
    return root


def two_letter_workspace(root: Path) -> Path:
    """The minimal workspace with a second letter (`brief--envoy`) that cites only 'journalists'."""
    make_workspace(root, {
        "recipients/envoy.yaml": MINIMAL["recipients/minister.yaml"].replace(
            "Minister for Foreign Affairs", "Special Envoy"),
        "templates/brief.md": 'We write about {{ fact("journalists") }}.\n',
    })
    campaign = root / "campaigns" / "test.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8") + "  - template: brief.md\n    recipient: envoy\n",
                        encoding="utf-8")
    return root


#: The minister's term ends ten days after the campaign date: a warning, not an error.
MINISTER_ENDING = """
    office: Minister for Foreign Affairs
    holder:
      person: jane_minister
    term:
      from: 2025-01-01
      to: 2025-11-04
    salutation: Dear Minister,
    address: [Ministry of Foreign Affairs]
    language: en
"""


def docx_text(path: Path) -> str:
    """All paragraph text of a DOCX, one paragraph a line, list items with their number."""
    return "\n".join(labelled_paragraphs(docx.Document(str(path))))


def labelled_paragraphs(document) -> list[str]:
    """Each body paragraph's text as Word shows it: a list item starts with its label and a tab.

    Word computes list numbers from `w:numPr` and numbering.xml; this does the same for the
    lists appealkit writes (decimal and bullet levels, a start override per list).
    """
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    numbering = document.part.numbering_part.element
    abstracts = {a.get(f"{w}abstractNumId"): a for a in numbering.iter(f"{w}abstractNum")}
    nums = {n.get(f"{w}numId"): n for n in numbering.iter(f"{w}num")}
    counters: dict[tuple[str, int], int] = {}
    texts = []
    for paragraph in document.paragraphs:
        num_pr = paragraph._p.find(f"{w}pPr/{w}numPr")
        if num_pr is None:
            texts.append(paragraph.text)
            continue
        num_id = num_pr.find(f"{w}numId").get(f"{w}val")
        level = int(num_pr.find(f"{w}ilvl").get(f"{w}val"))
        num = nums[num_id]
        abstract = abstracts[num.find(f"{w}abstractNumId").get(f"{w}val")]
        lvl = next(x for x in abstract.iter(f"{w}lvl") if int(x.get(f"{w}ilvl")) == level)
        start = int(lvl.find(f"{w}start").get(f"{w}val"))
        for override in num.iter(f"{w}lvlOverride"):
            if int(override.get(f"{w}ilvl")) == level and override.find(f"{w}startOverride") is not None:
                start = int(override.find(f"{w}startOverride").get(f"{w}val"))
        key = (num_id, level)
        counters[key] = counters.get(key, start - 1) + 1
        for deeper in [k for k in counters if k[0] == num_id and k[1] > level]:
            del counters[deeper]
        label = lvl.find(f"{w}lvlText").get(f"{w}val").replace(f"%{level + 1}", str(counters[key]))
        texts.append(f"{label}\t{paragraph.text}")
    return texts


def pdf_text(path: Path) -> str:
    """All text pypdf extracts from a PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pdf_words(path: Path) -> str:
    """PDF text as folded words, without the "n / N" page footers; a line broken after a hyphen
    is joined again, as it reads, and so is a word the layout hyphenated, across pages too."""
    reader = PdfReader(str(path))
    pages = len(reader.pages)
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text().rstrip()
        footer = f"{number} / {pages}"
        assert text.endswith(footer), f"page {number} has no page number"
        texts.append(text[: -len(footer)].rstrip(" "))
    joined = unhyphenate("".join(texts)).replace("-\n", "-").replace("/\n", "/")
    return words(joined)


def unhyphenate(text: str) -> str:
    """PDF text with the words the layout hyphenated (U+2010 at a line end) whole again."""
    return text.replace("\u2010\n", "")


def words(text: str) -> str:
    """Whitespace folded, so DOCX tabs, PDF line breaks and text files compare equal."""
    return re.sub(r"\s+", " ", text).strip()


HOSTILE = "<b>Ali</b> & Co"


MARKDOWN_BODY = """\
We write about **Vidadi İsgəndərli**, *a journalist*.

## What we ask

1. release him;
2. let his lawyer see him;

   and let his family visit.

- first point
  - nested point

```
line one
line two
```
"""


def sample_letter() -> Letter:
    """A realistic one-page appeal: lists, emphasis, a heading, two signers, Azerbaijani names."""
    return Letter(
        id="isgenderli-2024",
        language="az",
        date=datetime.date(2024, 3, 8),
        sender=(
            "ASİMKOM — Azərbaycan Siyasi Məhbuslara Kömək",
            "Nizami küçəsi 12, Bakı AZ1000",
            "info@asimkom.example · +994 12 555 01 02",
        ),
        place_date="Bakı, 8 mart 2024",
        recipient=(
            "Hörmətli Nazir",
            "Azərbaycan Respublikasının Ədliyyə Nazirliyi",
            "İnşaatçılar prospekti 1, Bakı AZ1073",
        ),
        subject="Vidadi İsgəndərlinin işi üzrə müraciət",
        salutation="Hörmətli cənab Nazir,",
        body=(
            Block("paragraph", (
                Run("Biz, "),
                Run("ASİMKOM", bold=True, fact="org.name"),
                Run(" adından, "),
                Run("Vidadi İsgəndərli", italic=True, fact="prisoner.name"),
                Run(" barədə müraciət edirik. Onun həbsi 2023-cü ilin 14 fevralında baş verib."),
            )),
            Block("heading", (Run("Tələblərimiz"),), level=1),
            Block("item", (Run("Vidadi İsgəndərlinin dərhal azad edilməsi;"),), marker="1."),
            Block("item", (Run("müstəqil həkim müayinəsinə "), Run("icazə", bold=True),
                           Run(" verilməsi;")), marker="2."),
            Block("item", (Run("vəkili ilə görüşlərin bərpası."),), marker="3."),
            Block("paragraph", (Run("Diqqətinizi bu faktlara cəlb edirik:"),)),
            Block("item", (Run("ədalətli məhkəmə hüququ pozulub;"),), marker="•"),
            Block("item", (Run(f"ifadə göstərilmiş şirkət: {HOSTILE};"),), marker="•", level=1),
            Block("paragraph", (
                Run("Ümid edirik ki, bu müraciət "),
                Run("ən qısa zamanda", bold=True, italic=True),
                Run(" nəzərdən keçiriləcək. Şəffaf, fikri dəqiq və ofisdən kənar cavab gözləyirik."),
            )),
        ),
        closing="Hörmətlə,",
        signatures=(
            Signature("Ayşə Çələbi-Öztürk", "ASİMKOM sədri"),
            Signature("Tuğrul Şıxəliyev"),
        ),
        author="ASİMKOM",
    )


def copy_example(root: Path) -> Path:
    """The Bonn example workspace (its source folders) copied to `root`."""
    import shutil

    for folder in ("facts", "people", "recipients", "templates", "campaigns"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@contextlib.contextmanager
def serve_process(root: Path, *args: str) -> Iterator[str]:
    """`appealkit serve --port 0` on `root` in its own process; yields its URL, stops it whatever happens."""
    process = subprocess.Popen([sys.executable, "-m", "appealkit", "--root", str(root), "serve", "--port", "0",
                                *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, f"serve did not start: {line!r} {process.poll()}"
        yield found[0].rstrip("/")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@dataclass(frozen=True)
class Bounded:
    """What a command run in its own bounded process did: exit code, output, peak resident memory."""

    code: int
    out: str
    err: str
    peak_bytes: int

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.out + self.err).splitlines() if line.strip()]


#: Address space a bounded child may take: a bomb that got through fails there instead of
#: taking the shared machine down (resident memory, what the tests cap, is far below).
CHILD_ADDRESS_SPACE = 3_000_000_000
CHILD_CPU_SECONDS = 120


def bounded_run(*args: str, cwd: Path | None = None, stdin: bytes = b"") -> Bounded:
    """`python -m appealkit ARGS` in a child with address-space and CPU limits; its own peak RSS
    from `wait4`'s resource usage, so no other process of the test run is counted."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
        resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        given.write(stdin)
        given.seek(0)
        process = subprocess.Popen([sys.executable, "-m", "appealkit", *args], cwd=cwd, stdin=given,
                                   stdout=out, stderr=err, preexec_fn=limits, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Bounded(process.returncode, out.read().decode("utf-8", "replace"),
                       err.read().decode("utf-8", "replace"), usage.ru_maxrss * 1024)
