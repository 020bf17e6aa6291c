"""The audit corpus as documents a reviewer would receive, and how well an audit of them scores.

`tests/data/audit_corpus/cases.yaml` holds short labelled passages. Here they become one
letter per language in each format: plain text; a Word file that puts them in every part
Word has (body, table cells, footnotes, endnotes, header, footer, text box, content control,
field result, comment, tracked changes); and PDFs made by WeasyPrint in two justified,
hyphenated columns with forced line breaks. A finding is given to the case whose text
holds its quoted sentence. The same code scores the benchmark and the tests, so neither
can treat one corpus sentence specially.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

CORPUS = Path(__file__).parent / "data" / "audit_corpus"
WORKSPACE = CORPUS / "workspace"
#: The corpus of issue 20 (shared nouns, partial lists, pasted PDF text, inflected names), same shape.
TRUTH = Path(__file__).parent / "data" / "truth_corpus"
FORMATS = ("txt", "docx", "pdf")
DRIFT_KINDS = ("figure-mismatch", "qualifier-drift", "stale-figure", "list-count", "name-variant")
REVIEWER = "Reviewer"


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    label: str
    text: str
    kind: str = ""
    fact: str = ""
    name: str = ""
    was: str = ""
    formats: str = ""  # the formats the case is written in, when not all ("txt docx")

    def written_in(self, fmt: str) -> bool:
        return not self.formats or fmt.split(" ")[0] in self.formats.split()


def load_cases(name: str = "cases.yaml", corpus: Path = CORPUS) -> list[Case]:
    """The corpus (`cases.yaml`), or the held-out passages (`holdout.yaml`) that tune nothing."""
    return [Case(**entry) for entry in yaml.safe_load((corpus / name).read_text(encoding="utf-8"))]


def in_format(cases: list[Case], fmt: str) -> list[Case]:
    """The cases a letter in `fmt` ("txt", "pdf (LibreOffice)") holds."""
    return [c for c in cases if c.written_in(fmt)]


def by_language(cases: list[Case]) -> dict[str, list[Case]]:
    grouped: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        grouped[case.lang].append(case)
    return dict(grouped)


# --- plain text ----------------------------------------------------------------------------

def write_txt(cases: list[Case], path: Path) -> Path:
    path.write_text("\n\n".join(c.text for c in cases) + "\n", encoding="utf-8")
    return path


# --- Word ----------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = f'xmlns:w="{W}" xmlns:r="{R}"'
_DATE = "2025-10-25T10:00:00Z"

#: Where the cases go in turn: every part of a Word file the audit must read.
DOCX_SHAPES = ("body", "table", "footnote", "body", "textbox", "sdt", "table", "endnote", "field",
               "body", "comment", "header", "footer", "table")


def _run(text: str, tag: str = "w:t") -> str:
    return f'<w:r><{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'


def _tracked(old: str, new: str, ids: list[int]) -> str:
    """`new` as runs, the words that differ from `old` as a reviewer's tracked deletion and insertion."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_run("".join(b[j1:j2])))
            continue
        if i2 > i1:
            ids.append(len(ids) + 1)
            out.append(f'<w:del w:id="{ids[-1]}" w:author="{REVIEWER}" w:date="{_DATE}">'
                       f'{_run("".join(a[i1:i2]), "w:delText")}</w:del>')
        if j2 > j1:
            ids.append(len(ids) + 1)
            out.append(f'<w:ins w:id="{ids[-1]}" w:author="{REVIEWER}" w:date="{_DATE}">'
                       f'{_run("".join(b[j1:j2]))}</w:ins>')
    return "".join(out)


def _para(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


#: The heading and closing around the cases, in the letter's language (a reader guesses it from the words).
FRAME = {"en": ("Appeal", "Yours sincerely,"), "de": ("Appell", "Mit freundlichen Grüßen"),
         "fr": ("Appel", "Veuillez agréer nos salutations."), "az": ("Müraciət", "Hörmətlə,")}


def docx_bytes(cases: list[Case]) -> bytes:
    """A Word file with the cases spread over every part, those with `was` as tracked changes."""
    heading, closing = FRAME[cases[0].lang]
    body: list[str] = [_para(_run(heading))]
    notes: dict[str, list[str]] = {"footnote": [], "endnote": [], "comment": []}
    header: list[str] = []
    footer: list[str] = []
    table_cells: list[str] = []
    ids: list[int] = []

    def flush_table() -> None:
        if not table_cells:
            return
        rows = [table_cells[i:i + 2] for i in range(0, len(table_cells), 2)]
        xml = "".join("<w:tr>" + "".join(f"<w:tc>{_para(_run(c))}</w:tc>" for c in row) + "</w:tr>"
                      for row in rows)
        body.append(f"<w:tbl><w:tblPr/>{xml}</w:tbl>")
        table_cells.clear()

    for number, case in enumerate(cases):
        shape = "tracked" if case.was else DOCX_SHAPES[number % len(DOCX_SHAPES)]
        if shape != "table":
            flush_table()
        if shape == "tracked":
            body.append(_para(_tracked(case.was, case.text, ids)))
        elif shape == "body":
            body.append(_para(_run(case.text)))
        elif shape == "table":
            table_cells.append(case.text)
            if len(table_cells) == 4:
                flush_table()
        elif shape in notes:
            index = len(notes[shape]) + 1
            notes[shape].append(case.text)
            if shape == "comment":
                body.append(_para(f'<w:commentRangeStart w:id="{index}"/>{_run("*")}'
                                  f'<w:commentRangeEnd w:id="{index}"/>'
                                  f'<w:r><w:commentReference w:id="{index}"/></w:r>'))
            else:
                body.append(_para(_run("*") + f'<w:r><w:{shape}Reference w:id="{index}"/></w:r>'))
        elif shape == "textbox":
            body.append(_para(
                '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
                f'<w:txbxContent>{_para(_run(case.text))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
        elif shape == "sdt":
            body.append(f"<w:sdt><w:sdtPr/><w:sdtContent>{_para(_run(case.text))}</w:sdtContent></w:sdt>")
        elif shape == "field":
            body.append(_para(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> DOCPROPERTY Summary </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f'{_run(case.text)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
        elif shape == "header":
            header.append(_para(_run(case.text)))
        elif shape == "footer":
            footer.append(_para(_run(case.text)))
    flush_table()
    body.append(_para(_run(closing)))
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>'
            '<w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>')
    parts = {
        "word/document.xml": f'<w:document {_NS}><w:body>{"".join(body)}{sect}</w:body></w:document>',
        "word/header1.xml": f'<w:hdr {_NS}>{"".join(header) or _para("")}</w:hdr>',
        "word/footer1.xml": f'<w:ftr {_NS}>{"".join(footer) or _para("")}</w:ftr>',
        "word/footnotes.xml": _notes("footnote", notes["footnote"]),
        "word/endnotes.xml": _notes("endnote", notes["endnote"]),
        "word/comments.xml": f'<w:comments {_NS}>' + "".join(
            f'<w:comment w:id="{i}" w:author="{REVIEWER}" w:date="{_DATE}">{_para(_run(t))}</w:comment>'
            for i, t in enumerate(notes["comment"], start=1)) + "</w:comments>",
    }
    return _package(parts)


def _notes(kind: str, texts: list[str]) -> str:
    separators = "".join(f'<w:{kind} w:type="{t}" w:id="{i}">{_para("")}</w:{kind}>'
                         for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    items = "".join(f'<w:{kind} w:id="{i}">{_para(_run(t))}</w:{kind}>' for i, t in enumerate(texts, start=1))
    return f"<w:{kind}s {_NS}>{separators}{items}</w:{kind}s>"


_TYPES = {
    "word/document.xml": "document.main", "word/header1.xml": "header", "word/footer1.xml": "footer",
    "word/footnotes.xml": "footnotes", "word/endnotes.xml": "endnotes", "word/comments.xml": "comments",
}
_RELS = {"rIdH": "header1.xml", "rIdF": "footer1.xml", "rIdFn": "footnotes.xml", "rIdEn": "endnotes.xml",
         "rIdC": "comments.xml"}
_REL_TYPES = {"rIdH": "header", "rIdF": "footer", "rIdFn": "footnotes", "rIdEn": "endnotes", "rIdC": "comments"}


def _package(parts: dict[str, str]) -> bytes:
    import io

    types = "".join(
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
        f'wordprocessingml.{kind}+xml"/>' for name, kind in _TYPES.items())
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(
                f'<Relationship Id="{rid}" Type="{rel}/{_REL_TYPES[rid]}" Target="{target}"/>'
                for rid, target in _RELS.items()) + "</Relationships>",
        **parts,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2025, 10, 25, 0, 0, 0)),
                             '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + content)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------

_CSS = """
@page { size: 120mm 150mm; margin: 12mm 10mm; @bottom-center { content: counter(page); font-size: 7pt; } }
body { font-family: 'DejaVu Serif'; font-size: 8.5pt; line-height: 1.3; columns: 2; column-gap: 6mm;
       text-align: justify; hyphens: auto; }
p { margin: 0 0 2.2mm 0; }
p.indented { text-indent: 4mm; margin: 0; }
table { margin: 0 0 2.2mm 0; border-collapse: collapse; } td { vertical-align: top; padding: 0 1mm 0 0; }
td.label { width: 6mm; }
"""


def _with_break(text: str) -> str:
    """The passage with a forced line break after its first number, or at its middle."""
    words = text.split(" ")
    at = next((i for i, w in enumerate(words) if re.search(r"\d", w)), len(words) // 2)
    at = min(max(at, 0), len(words) - 2)
    return html.escape(" ".join(words[:at + 1])) + "<br>" + html.escape(" ".join(words[at + 1:]))


def pdf_html(cases: list[Case], lang: str) -> str:
    """Two justified, hyphenated columns; every third passage with a forced line break, every
    fifth indented instead of spaced, every seventh in a narrow table cell, so paragraphs must
    be found from layout, not from blank lines."""
    paragraphs = []
    for number, case in enumerate(cases):
        inner = _with_break(case.text) if number % 3 == 1 else html.escape(case.text)
        if number % 7 == 4:  # a narrow table cell, with a label cell beside it
            paragraphs.append(f'<table><tr><td class="label">{number}.</td><td>{inner}</td></tr></table>')
            continue
        css = ' class="indented"' if number % 5 == 2 else ""
        paragraphs.append(f"<p{css}>{inner}</p>")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{_CSS}</style></head>'
            f'<body>{"".join(paragraphs)}</body></html>')


def pdf_bytes(cases: list[Case], lang: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=pdf_html(cases, lang)).write_pdf()


def columns_docx_bytes(cases: list[Case]) -> bytes:
    """The cases as justified body paragraphs in two columns: a Word file for LibreOffice to print."""
    heading, closing = FRAME[cases[0].lang]
    justified = '<w:pPr><w:jc w:val="both"/></w:pPr>'
    paragraphs = [_para(justified + _run(text)) for text in (heading, *(c.text for c in cases), closing)]
    sect = '<w:sectPr><w:pgSz w:w="8000" w:h="11000"/><w:pgMar w:top="800" w:right="700" w:bottom="800" ' \
           'w:left="700"/><w:cols w:num="2" w:space="300"/></w:sectPr>'
    document = f'<w:document {_NS}><w:body>{"".join(paragraphs)}{sect}</w:body></w:document>'
    return _package({"word/document.xml": document, "word/header1.xml": f"<w:hdr {_NS}>{_para('')}</w:hdr>",
                     "word/footer1.xml": f"<w:ftr {_NS}>{_para('')}</w:ftr>",
                     "word/footnotes.xml": _notes("footnote", []), "word/endnotes.xml": _notes("endnote", []),
                     "word/comments.xml": f"<w:comments {_NS}></w:comments>"})


def libreoffice_pdfs(cases: list[Case], folder: Path) -> list[Path]:
    """The corpus printed to PDF by LibreOffice (two justified columns), when `soffice` is installed."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        return []
    sources = []
    for lang, group in by_language(in_format(cases, "pdf")).items():
        path = folder / f"corpus-lo-{lang}.docx"
        path.write_bytes(columns_docx_bytes(group))
        sources.append(path)
    profile = (folder / "lo-profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder / "lo"), *map(str, sources)], check=True, capture_output=True,
                   timeout=300)
    return sorted((folder / "lo").glob("*.pdf"))


def write_documents(cases: list[Case], folder: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, list[Path]]:
    """One letter per language and format under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {f: [] for f in formats}
    for fmt in formats:
        for lang, group in by_language(in_format(cases, fmt)).items():
            path = folder / f"corpus-{lang}.{fmt}"
            if fmt == "txt":
                write_txt(group, path)
            else:
                path.write_bytes(docx_bytes(group) if fmt == "docx" else pdf_bytes(group, lang))
            written[fmt].append(path)
    return written


# --- scoring ------------------------------------------------------------------------------

def _norm(text: str) -> str:
    """Text as a reader compares it: ligatures and odd spaces as plain letters and spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text.replace("\u00ad", ""))).strip()


def case_of(finding, cases: list[Case]) -> Case | None:
    """The case whose text holds the finding's quoted sentence."""
    quote = _norm(finding.quote).rstrip("…")
    for case in cases:
        if quote and quote in _norm(case.text):
            return case
    return None


def is_due(finding, case: Case | None) -> bool:
    """Whether a finding is one the case's label calls for (its fact or name, on a drift case)."""
    if case is None or case.label != "drift":
        return False
    if case.name:
        return finding.kind == "name-variant" and finding.expected == case.name
    return finding.fact == case.fact


@dataclass
class Score:
    """Findings given to cases, for one format."""

    cases: list[Case]
    assigned: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    stray: list = field(default_factory=list)

    def add(self, findings) -> None:
        for finding in findings:
            case = case_of(finding, self.cases)
            if case is None:
                self.stray.append(finding)
            else:
                self.assigned[case.id].append(finding)

    def found(self, case: Case) -> bool:
        return any(f.kind == case.kind and is_due(f, case) for f in self.assigned[case.id])

    def wrong(self, case: Case, severities=("error", "warning")) -> list:
        """Findings on this case that its label does not call for."""
        return [f for f in self.assigned[case.id] if f.severity in severities and not is_due(f, case)]

    def kind_table(self) -> dict[str, tuple[int, int, int, int]]:
        """kind → (due findings, all error/warning findings, drift cases found, drift cases)."""
        table = {}
        for kind in DRIFT_KINDS:
            reported = [f for fs in self.assigned.values() for f in fs
                        if f.kind == kind and f.severity in ("error", "warning")]
            reported += [f for f in self.stray if f.kind == kind and f.severity in ("error", "warning")]
            due = [f for fs in self.assigned.items() for f in fs[1] if f in reported
                   and is_due(f, self._case(fs[0]))]
            drift = [c for c in self.cases if c.label == "drift" and c.kind == kind]
            table[kind] = (len(due), len(reported), sum(self.found(c) for c in drift), len(drift))
        return table

    def _case(self, case_id: str) -> Case:
        return next(c for c in self.cases if c.id == case_id)

    def errors_on_clean(self) -> int:
        return sum(1 for c in self.cases if c.label != "drift" for f in self.wrong(c, ("error",))) + sum(
            1 for f in self.stray if f.severity == "error")

    def warnings_on_clean(self) -> int:
        return sum(1 for c in self.cases if c.label != "drift" for f in self.wrong(c, ("warning",))) + sum(
            1 for f in self.stray if f.severity == "warning")
