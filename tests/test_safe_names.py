"""source/safe_names.py: names that become files, and folders a command may write to."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli
from appealkit.errors import AppealkitError
from appealkit.source.safe_names import check_file_name, check_out_dir, inside, output_path


@pytest.mark.parametrize("name", [
    "../../x", "/etc/passwd", "a/b", "a\\b", "CON", "nul", "Com1", "lpt9.docx", "con.pdf", "a" * 101,
    "\u0430ppeal", "appe\u0430l", "caf\u00e9", ".hidden", "-x", "x.", "with space", "tab\tname", "",
])
def test_unsafe_file_names_are_refused(name):
    with pytest.raises(ValueError):
        check_file_name(name)


@pytest.mark.parametrize("name", ["appeal--minister", "bonn-2025", "a" * 100, "appeal.v2--coe_cm", "console"])
def test_safe_file_names_pass(name):
    assert check_file_name(name) == name


def test_output_paths_stay_in_the_output_folder(tmp_path):
    assert output_path(tmp_path, "a--b.pdf") == tmp_path / "a--b.pdf"
    for name in ("../x.pdf", "/tmp/x.pdf", "sub/x.pdf", ".."):
        with pytest.raises(AppealkitError):
            output_path(tmp_path, name)


@pytest.mark.parametrize("folder", ["facts", "people", "recipients", "templates", "campaigns"])
def test_no_output_into_a_source_folder(tmp_path, folder):
    with pytest.raises(AppealkitError) as caught:
        check_out_dir(tmp_path, tmp_path / folder / "out")
    assert str(caught.value) == (f"{folder}/out: error: refused to write into {folder}/, which holds the "
                                 "source of truth (choose a folder under build/)")
    check_out_dir(tmp_path, tmp_path / "build" / "x")  # anywhere else is fine
    check_out_dir(tmp_path, tmp_path / f"{folder}-copy")


def test_out_through_a_link_into_the_source_is_refused(tmp_path):
    make_workspace(tmp_path / "ws")
    (tmp_path / "link").symlink_to(tmp_path / "ws" / "people")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path / "ws"), "build", "test", "--out",
                                      str(tmp_path / "link" / "x")])
    assert result.exit_code == 1
    assert result.stderr == ("people/x: error: refused to write into people/, which holds the source of truth "
                             "(choose a folder under build/)\n")
    assert not (tmp_path / "ws" / "people" / "x").exists()


def test_inside_follows_links(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "secret.md").write_text("x", encoding="utf-8")
    (tmp_path / "templates" / "out.md").symlink_to(tmp_path / "secret.md")
    assert inside(tmp_path / "templates", "a.md")
    assert not inside(tmp_path / "templates", "out.md")
    assert not inside(tmp_path / "templates", "../secret.md")
    assert not inside(tmp_path / "templates", "missing.md")
