"""`build --pdf-variant`: PDF/A for archives; the default is a tagged PDF; the bundle PDF opens with its outline."""

from __future__ import annotations

from click.testing import CliRunner
from helpers import make_workspace
from pypdf import PdfReader

from appealkit.cli import cli


def build(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), "build", "campaigns/test.yaml", "--format", "pdf", *args])
    assert result.exit_code == 0, result.output
    return root / "build" / "test"


def test_pdf_a_3u_on_request(tmp_path):
    out = build(make_workspace(tmp_path), "--pdf-variant", "pdf/a-3u")
    root = PdfReader(str(out / "appeal--minister.pdf")).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert "/OutputIntents" in root and "/StructTreeRoot" in root


def test_an_unknown_variant_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--root", str(make_workspace(tmp_path)), "build", "campaigns/test.yaml",
                                      "--pdf-variant", "pdf/z-9"])
    assert result.exit_code == 2
    assert "'pdf/z-9' is not one of" in result.output


def test_default_pdf_is_tagged_and_the_bundle_opens_with_its_outline(tmp_path):
    out = build(make_workspace(tmp_path))
    letter = PdfReader(str(out / "appeal--minister.pdf")).trailer["/Root"]
    assert letter["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in letter and letter["/Lang"] == "en"
    assert "/Metadata" not in letter
    bundle = PdfReader(str(out / "all-letters.pdf"))
    assert bundle.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert bundle.trailer["/Root"]["/Lang"] == "en"
    assert bundle.metadata.author == "ASİMKOM"
    assert [item.title.endswith("(appeal--minister)") for item in bundle.outline] == [True]
