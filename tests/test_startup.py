"""Commands load only the libraries they use: counted in `sys.modules`, never timed.

The start-up times themselves are measured by benchmarks/startup.py; what makes them
fast is that `check`, an audit of a text letter and a build with nothing to do never
import WeasyPrint, pypdf, python-docx or lxml, and start no worker process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

HEAVY = ("weasyprint", "pypdf", "docx", "lxml", "docx_trackdiff", "multiprocessing", "concurrent.futures.process")

RUN = """
import json, sys
from appealkit.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run(*args: str) -> tuple[int, set[str]]:
    """Run the CLI in a fresh interpreter; its exit code and every module it imported."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=REPO, capture_output=True, text=True,
                          check=True, timeout=300)
    report = json.loads(done.stdout.splitlines()[-1])
    return report["code"], set(report["modules"])


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def test_help_imports_no_core_module():
    code, modules = run("--help")
    assert code == 0
    assert heavy(modules) == []
    assert not {m for m in modules if m.startswith(("appealkit.source", "appealkit.render", "jinja2", "yaml"))}


def test_check_reads_no_pdf_or_docx():
    code, modules = run("check")
    assert code == 0
    assert heavy(modules) == []


def test_audit_of_a_text_letter_reads_no_pdf_or_docx():
    code, modules = run("audit", "tests/golden/appeal-ec-president--ec-president.txt")
    assert code == 0
    assert heavy(modules) == []


@pytest.mark.slow
def test_a_build_with_nothing_to_do_loads_no_writer(tmp_path: Path):
    # built first by the command, in its own process: it leaves the parse cache on disk at exit
    out = str(tmp_path / "bonn")
    assert run("build", "campaigns/bonn-2025.yaml", "--out", out)[0] == 0
    code, modules = run("build", "campaigns/bonn-2025.yaml", "--out", out)
    assert code == 0
    assert heavy(modules) == []
    assert "appealkit.write.pdf_writer" not in modules
    # nor the render: recognising an unchanged letter compiles no template and writes no number in words
    # (the workspace is read from build/.cache/parsed, so not even PyYAML)
    assert not {m for m in modules if m.split(".")[0] in ("jinja2", "markdown_it", "num2words", "yaml")}
    assert "importlib.metadata" not in modules


def test_library_versions_are_read_as_importlib_metadata_reads_them():
    from importlib import metadata

    from appealkit.version import __version__, installed_version

    distributions = list(metadata.distributions())
    assert len(distributions) > 20
    for distribution in distributions:
        assert installed_version(distribution.metadata["Name"]) == distribution.version
    assert __version__ == metadata.version("appealkit")
    assert installed_version("no-such-distribution-here") is None
