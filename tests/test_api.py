"""The public API: what `from appealkit import ...` offers, and the README's example, run."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import pytest
from helpers import REPO

import appealkit
from appealkit.checks.findings import has_errors

PUBLIC = ("load_workspace", "load_campaign", "build", "check", "audit", "diff", "AppealkitError")


def readme_example() -> str:
    """The Python block of the README's "From Python" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From Python"):]
    return re.search(r"```python\n(.*?)```", section, re.S)[1]


def test_every_public_name_imports():
    from appealkit import AppealkitError, audit, build, check, diff, load_campaign, load_workspace  # noqa: F401

    assert sorted(appealkit.__all__) == sorted(PUBLIC)
    from appealkit.errors import AppealkitError as home

    assert appealkit.AppealkitError is home


def test_every_function_after_loading_takes_the_workspace_first():
    for name in ("load_campaign", "build", "check", "audit", "diff"):
        function = getattr(appealkit, name)
        assert next(iter(inspect.signature(function).parameters)) == "workspace", name
        assert function.__doc__, name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'render_everything'"):
        appealkit.render_everything  # noqa: B018


def test_import_appealkit_loads_nothing_else():
    code = "import sys, appealkit; print(sorted(m for m in sys.modules if m.startswith(('appealkit.', 'jinja2'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_readme_example_runs_on_the_bonn_example(tmp_path, monkeypatch):
    code = readme_example()
    assert len(code.strip().splitlines()) == 7  # the import, a blank line, five lines of work
    out = tmp_path / "bonn-2025"
    code = code.replace('"build/bonn-2025"', repr(str(out)))
    monkeypatch.chdir(REPO)
    names: dict = {}
    exec(compile(code, "README.md", "exec"), names)
    result = names["result"]
    assert not result.failed
    assert len(result.files("pdf")) == len(result.letters) == 5
    assert all(path.parent == out for path in result.files())
    assert not has_errors(names["findings"])
    edited = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "facts", "people",
                             "recipients", "templates", "campaigns"], capture_output=True, text=True,
                            check=True).stdout
    assert names["changed"] is False or edited, "diff reports a change on a clean working tree"


def test_build_refuses_an_unknown_format(tmp_path):
    from appealkit import AppealkitError, build, load_campaign, load_workspace

    workspace = load_workspace(REPO)
    campaign = load_campaign(workspace, "bonn-2025")
    with pytest.raises(AppealkitError) as caught:
        build(workspace, campaign, tmp_path, ("pdf", "odt"))
    assert caught.value.message == "formats: error: unknown format 'odt' (use docx, pdf or docx,pdf)"
    assert caught.value.exit_code == 2
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("options", "message"), [
    ({"allow": ["typo:appeal--x"]}, "allow: error: unknown kind of finding 'typo' in 'typo:appeal--x' "
                                    "(kinds: typed-figure, name-variant, list-count, part-exceeds-whole, "
                                    "fact-age, term-of-office)"),
    ({"allow": ["fact-ag:x"]}, "allow: error: unknown kind of finding 'fact-ag' in 'fact-ag:x' "
                               "(did you mean 'fact-age'?)"),
    ({"allow": ["fact-age"]}, "allow: error: no letter in 'fact-age' (write fact-age:LETTER_ID)"),
    ({"allow": ["fact-age:appeal-ec-presidnt--ec-president"]},
     "allow: error: no letter 'appeal-ec-presidnt--ec-president' in campaign 'bonn-2025' "
     "(did you mean 'appeal-ec-president--ec-president'?)"),
    ({"jobs": 0}, "jobs: error: '0' is not a number of letters at once (use 1 or more)"),
    ({"pdf_variant": "pdf/a-9"}, "pdf_variant: error: unknown PDF variant 'pdf/a-9' "
                                 "(use pdf/a-3u, pdf/a-2u, pdf/a-3b, pdf/ua-1)"),
    ({"formats": ""}, "formats: error: unknown format '' (use docx, pdf or docx,pdf)"),
])
def test_build_from_python_refuses_what_the_cli_refuses(tmp_path, options, message):
    """The options are validated in the core: a typo from Python is not silently ignored."""
    from appealkit import AppealkitError, build, load_campaign, load_workspace

    workspace = load_workspace(REPO)
    campaign = load_campaign(workspace, "bonn-2025")
    with pytest.raises(AppealkitError) as caught:
        build(workspace, campaign, tmp_path / "out", **options)
    assert (caught.value.message, caught.value.exit_code) == (message, 2)
    assert not (tmp_path / "out").exists()


def test_no_internal_function_shares_a_public_name():
    """`appealkit.diff(workspace)` and a `diff(root)` inside would read alike and take other things."""
    import ast

    package = REPO / "appealkit"
    homes = {name: module for name, module in appealkit._HOMES.items()}
    clashes = []
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in homes \
                    and homes[node.name] != module:
                clashes.append(f"{module}.{node.name} (public: {homes[node.name]}.{node.name})")
    assert not clashes, "internal names that clash with the public API: " + ", ".join(clashes)


def test_audit_and_check_results_carry_their_findings_by_severity(tmp_path):
    """Warnings are values of the result, as `--strict` reads them; a bad as_of is refused, not ignored."""
    from appealkit import AppealkitError, audit, check, load_workspace

    workspace = load_workspace(REPO)
    letter = tmp_path / "letter.txt"
    letter.write_text("We count about 401 political prisoners in Azerbaijan.\n", encoding="utf-8")
    result = audit(workspace, [letter], "2025-12-01")
    assert result.errors and result.failed() and result.errors == tuple(
        f for f in result.findings if f.severity == "error")
    assert audit(workspace, [letter], None).findings == audit(workspace, [letter]).findings
    with pytest.raises(AppealkitError) as caught:
        audit(workspace, [letter], "2025-13-01")
    assert (caught.value.message, caught.value.exit_code) == (
        "as_of: error: '2025-13-01' is not a date (write it as YYYY-MM-DD)", 2)
    checked = check(workspace)
    assert checked.failed(strict=True) == bool(checked.errors or checked.warnings)
    assert not checked.errors
