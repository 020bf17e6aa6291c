"""Nothing outside the workspace is read and nothing but regular files: a FIFO would block a build
for ever, `/dev/zero` never ends, and a link out would put another file's text into letters."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli
from appealkit.source.regular_files import TooLarge, Untrusted, read_regular


def invoke(root, *args):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_check_names_every_file_that_is_no_regular_file_or_leads_out(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "campaigns" / "zero.yaml").symlink_to("/dev/zero")
    (root / "templates" / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(root / "campaigns" / "fifo.yaml")
    os.mkfifo(root / "templates" / "fifo.md")
    result = invoke(root, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "campaigns/fifo.yaml: error: cannot read the file (it is a named pipe, not a regular file)",
        "campaigns/zero.yaml: error: the file is a symbolic link to outside the workspace "
        "(copy the file into the workspace instead)",
        "templates/fifo.md: error: cannot read the template (it is a named pipe, not a regular file)",
        "templates/zero.md: error: cannot read the template (it is a symbolic link to outside the workspace)",
    ]


@pytest.mark.parametrize("folder", ["facts", "people", "recipients"])
def test_a_fifo_in_the_source_of_truth_is_refused_by_name(tmp_path, folder):
    root = make_workspace(tmp_path / "ws")
    os.mkfifo(root / folder / "pipe.yaml")
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == f"{folder}/pipe.yaml: error: cannot read the file (it is a named pipe, not a regular file)\n"


def test_a_link_out_to_a_readable_file_is_refused_and_its_text_never_lands(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("jane_minister:\n  name: SECRET TEXT\n", encoding="utf-8")
    root = make_workspace(tmp_path / "ws")
    (root / "people" / "people.yaml").unlink()
    (root / "people" / "people.yaml").symlink_to(secret)
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == ("people/people.yaml: error: the file is a symbolic link to outside the workspace "
                             "(copy the file into the workspace instead)\n")


def test_a_link_inside_the_workspace_is_followed(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "shared").mkdir()
    (root / "people" / "people.yaml").rename(root / "shared" / "people.yaml")
    (root / "people" / "people.yaml").symlink_to(root / "shared" / "people.yaml")
    assert invoke(root, "build", "campaigns/test.yaml", "--format", "docx").exit_code == 0


def test_read_regular_caps_and_refuses(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"abc")
    assert read_regular(path, 3) == b"abc"
    with pytest.raises(TooLarge):
        read_regular(path, 2)
    with pytest.raises(Untrusted, match="it is a folder, not a regular file"):
        read_regular(tmp_path)
    with pytest.raises(Untrusted, match="No such file or directory"):
        read_regular(tmp_path / "missing")


@pytest.mark.parametrize("link", ["build", "build/test", "out"])
def test_the_output_folder_may_not_be_a_link_elsewhere(tmp_path, link):
    root = make_workspace(tmp_path / "ws")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(elsewhere)
    args = ["--out", str(root / "out")] if link == "out" else []
    result = invoke(root, "build", "campaigns/test.yaml", "--format", "docx", *args)
    assert result.exit_code == 1
    shown = "out" if link == "out" else "build/test"
    assert result.stderr == (f"{shown}: error: refused to write through a symbolic link to another folder "
                             "(give the real folder, or a folder under build/)\n")
    assert list(elsewhere.iterdir()) == []
