"""Batch builds: fan-out, parallel = serial, incremental rebuilds, killed builds, the bundle."""

from __future__ import annotations

import dataclasses
import gc
import json
import re
import signal
import subprocess
import sys
import time
import zipfile

import docx
import pytest
from click.testing import CliRunner
from helpers import REPO, docx_text, make_workspace, words
from pypdf import PdfReader

from appealkit.batch.build import build
from appealkit.cli import cli
from appealkit.render.document import letter_text
from appealkit.source.campaign import load_campaign_file, resolve_campaign_path
from appealkit.source.workspace import load_workspace

RECIPIENT = """
    office: Minister for Foreign Affairs
    holder:
      name: {name}
      honorific: H.E.
    term:
      from: 2025-01-01
    salutation: Dear Minister,
    address: [Ministry of Foreign Affairs, {city}]
    language: en
"""

CAMPAIGN = """
    id: test
    title: Test campaign
    date: 2025-10-25
    place: Bonn
    organisation: asimkom
    subject: Appeal for the release of political prisoners
    letters:
      - template: appeal.md
        recipients: [group:ministers]
      - template: brief.md
        recipients: [group:ministers]
"""

EXILES = """
    exiles:
      value: 300
      qualifier: more than
      noun: activists in exile
      as_of: 2025-10-01
      sources:
        - title: Conference appeal
"""

IDS = [f"{template}--{recipient}" for template in ("appeal", "brief")
       for recipient in ("minister", "minister-b", "minister-c")]


def batch_workspace(root, changes=None, recipients=("minister-b", "minister-c")):
    files = {
        "recipients/groups.yaml": "ministers: [minister, " + ", ".join(recipients) + "]\n",
        "templates/brief.md": 'We stand with {{ fact("exiles") }}.\n',
        "facts/exiles.yaml": EXILES,
        "campaigns/test.yaml": CAMPAIGN,
    }
    for number, rid in enumerate(recipients, start=2):
        files[f"recipients/{rid}.yaml"] = RECIPIENT.format(name=f"Minister {number}", city=f"City {number}")
    files.update(changes or {})
    return make_workspace(root, files)


def run_build(root, out=None, formats=("docx",), **options):
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, resolve_campaign_path(root, "test"))
    return build(workspace, campaign, out, formats, **options)


def statuses(result):
    return {o.id: o.status for o in result.letters}


def test_a_group_fans_out_to_one_letter_per_member_with_stable_names(tmp_path):
    result = run_build(batch_workspace(tmp_path / "ws"), jobs=1)
    assert [o.id for o in result.letters] == IDS
    assert sorted(p.name for p in result.out_dir.glob("*.docx")) == sorted(f"{i}.docx" for i in IDS)
    assert "H.E. Minister 3" in docx_text(result.out_dir / "brief--minister-c.docx")
    assert "more than 300 activists in exile" in words(docx_text(result.out_dir / "brief--minister-b.docx"))


def test_a_parallel_build_is_byte_identical_to_a_serial_one(tmp_path):
    root = batch_workspace(tmp_path / "ws", recipients=("minister-b",))
    serial = run_build(root, tmp_path / "serial", ("docx", "pdf"), jobs=1)
    parallel = run_build(root, tmp_path / "parallel", ("docx", "pdf"), jobs=2)
    names = sorted(p.name for p in serial.out_dir.iterdir())
    assert names == sorted(p.name for p in parallel.out_dir.iterdir())
    assert len(names) == 4 * 2 + 4  # letters, all-letters.pdf, index.html, manifest.json, test.zip
    for name in names:
        assert (serial.out_dir / name).read_bytes() == (parallel.out_dir / name).read_bytes(), name


def test_a_build_keeps_no_rendered_letter_and_renders_one_again_when_asked(tmp_path):
    """The build's memory must not grow with its letters: the result holds what the manifest
    needs, and `outcome.rendered` renders the letter again, the same as the build wrote it."""
    from appealkit.render.letters import RenderedLetter

    result = run_build(batch_workspace(tmp_path / "ws"), jobs=1)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, RenderedLetter)]
    outcome = result.letters[IDS.index("brief--minister-c")]
    assert outcome.entry is not None and outcome.entry["template"] == "templates/brief.md"
    assert words(letter_text(outcome.rendered.letter)) == words(docx_text(outcome.outputs[0].path))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["letters"][IDS.index("brief--minister-c")]["facts"][0]["id"] == "exiles"


def test_unchanged_letters_are_skipped_and_a_fact_change_rebuilds_exactly_its_letters(tmp_path):
    root = batch_workspace(tmp_path / "ws")
    first = run_build(root, jobs=1)
    assert set(statuses(first).values()) == {"built"}
    manifest = first.manifest.read_bytes()
    again = run_build(root, jobs=2)
    assert set(statuses(again).values()) == {"unchanged"}
    assert again.manifest.read_bytes() == manifest
    (root / "facts" / "exiles.yaml").write_text(
        (root / "facts" / "exiles.yaml").read_text().replace("value: 300", "value: 350"))
    changed = run_build(root, jobs=2)
    assert [i for i, s in statuses(changed).items() if s == "built"] == [i for i in IDS if i.startswith("brief")]
    assert [i for i, s in statuses(changed).items() if s == "unchanged"] == [i for i in IDS if i.startswith("appeal")]
    assert "more than 350 activists" in words(docx_text(changed.out_dir / "brief--minister.docx"))
    forced = run_build(root, jobs=1, force=True)
    assert set(statuses(forced).values()) == {"built"}
    assert forced.manifest.read_bytes() == changed.manifest.read_bytes()


@pytest.mark.parametrize(
    ("change", "rebuilt"),
    [
        ({"templates/snippets/deported.md": "Deported: {{ fact('deported').names }}.\n"}, "appeal"),
        ({"recipients/minister-b.yaml": RECIPIENT.format(name="New Holder", city="City 2")}, "minister-b"),
    ],
    ids=["snippet", "recipient"],
)
def test_a_snippet_or_recipient_change_rebuilds_the_letters_that_use_it(tmp_path, change, rebuilt):
    root = batch_workspace(tmp_path / "ws")
    run_build(root, jobs=1)
    for name, text in change.items():
        (root / name).write_text(text)
    result = run_build(root, jobs=1)
    assert [i for i, s in statuses(result).items() if s == "built"] == [i for i in IDS if rebuilt in i]


def test_a_changed_or_missing_output_file_is_rebuilt(tmp_path):
    root = batch_workspace(tmp_path / "ws")
    first = run_build(root, jobs=1)
    (first.out_dir / "appeal--minister.docx").write_bytes(b"edited by hand")
    (first.out_dir / "brief--minister-c.docx").unlink()
    result = run_build(root, jobs=1)
    assert [i for i, s in statuses(result).items() if s == "built"] == ["appeal--minister", "brief--minister-c"]
    docx.Document(str(result.out_dir / "appeal--minister.docx"))


def test_one_failing_letter_among_good_ones_exits_1(tmp_path):
    root = batch_workspace(tmp_path, {"templates/brief.md": "Fine.\n\n{{ fact('exiles') if recipient.id == 'minister-b' else fact('nothing') }}\n"})
    result = CliRunner().invoke(cli, ["--root", str(root), "build", "test", "--format", "docx", "--jobs", "2"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert sorted(lines[:6]) == sorted(
        [f"built   {i}  (docx)" for i in IDS if i != "brief--minister" and i != "brief--minister-c"]
        + ["failed  brief--minister", "failed  brief--minister-c"])
    assert lines[-2].startswith("4 built, 0 unchanged, 0 refused, 2 failed in ")
    assert lines[-1].startswith("CPU time of the letters built, summed over the workers: render ")
    message = "templates/brief.md:3: error: unknown fact 'nothing' (facts are defined in facts/*.yaml)"
    assert result.stderr.splitlines() == [message, message]
    out = root / "build" / "test"
    assert len(list(out.glob("*--*.docx"))) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["id"] for f in manifest["failed"]] == ["brief--minister", "brief--minister-c"]


def test_the_cli_reports_unchanged_letters_and_a_summary(tmp_path):
    make_workspace(tmp_path)
    args = ["--root", str(tmp_path), "build", "test", "--format", "docx"]
    CliRunner().invoke(cli, args)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "unchanged appeal--minister"
    assert re.fullmatch(r"0 built, 1 unchanged, 0 refused, 0 failed in \d+\.\d s: .*", lines[1])
    assert len(lines) == 2  # nothing built: no CPU times
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.stdout.splitlines()[0] == "built   appeal--minister  (docx)"


def test_the_bundle_has_bookmarks_an_index_and_a_zip(tmp_path):
    root = batch_workspace(tmp_path / "ws", recipients=("minister-b",))
    result = run_build(root, formats=("docx", "pdf"), jobs=2)
    out = result.out_dir
    ids = [o.id for o in result.letters]
    reader = PdfReader(str(out / "all-letters.pdf"))
    titles = [item.title for item in reader.outline]
    assert titles == [
        "Dr. Jane Minister, Minister for Foreign Affairs (appeal--minister)",
        "H.E. Minister 2, Minister for Foreign Affairs (appeal--minister-b)",
        "Dr. Jane Minister, Minister for Foreign Affairs (brief--minister)",
        "H.E. Minister 2, Minister for Foreign Affairs (brief--minister-b)",
    ]
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    sizes = [len(PdfReader(str(out / f"{i}.pdf")).pages) for i in ids]
    assert len(reader.pages) == sum(sizes)
    assert starts == [sum(sizes[:n]) for n in range(len(ids))]
    index = (out / "index.html").read_text()
    every = re.findall(r'href="([^"]+)"', index)
    anchors = [link[1:] for link in every if link.startswith("#")]
    assert anchors and all(f'id="{anchor}"' in index for anchor in anchors)  # contents and jump links
    links = [link for link in every if not link.startswith("#")]
    assert sorted(links) == sorted([f"{i}.{ext}" for i in ids for ext in ("docx", "pdf")]
                                   + ["all-letters.pdf", "test.zip"])
    assert all((out / link).is_file() for link in links)
    assert re.search(r"<td>more than 300 activists in exile<br><code class=\"muted\">exiles</code>.*?</td>\s*<td class=\"date\">2025-10-01</td>", index)
    assert '<meta name="viewport"' in index and "@media print" in index
    with zipfile.ZipFile(out / "test.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert names == sorted(f"test/{p.name}" for p in out.iterdir() if p.name != "test.zip")
        assert {info.date_time for info in archive.infolist()} == {(2025, 10, 25, 0, 0, 0)}
        assert archive.read("test/manifest.json") == (out / "manifest.json").read_bytes()
        assert archive.read("test/all-letters.pdf") == (out / "all-letters.pdf").read_bytes()


def test_the_bundle_escapes_text_and_holds_only_the_asked_formats(tmp_path):
    hostile = RECIPIENT.format(name="<script>alert(1)</script> & Co", city="City")
    root = batch_workspace(tmp_path / "ws", {"recipients/minister-b.yaml": hostile}, recipients=("minister-b",))
    result = run_build(root, jobs=1)
    out = result.out_dir
    assert not (out / "all-letters.pdf").exists()
    index = (out / "index.html").read_text()
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in index
    assert not re.findall(r'href="[^"]*\.pdf"', index)
    with zipfile.ZipFile(out / "test.zip") as archive:
        assert not [n for n in archive.namelist() if n.endswith(".pdf")]


def test_the_bundle_is_only_rewritten_when_something_changed(tmp_path):
    root = batch_workspace(tmp_path / "ws", recipients=())
    first = run_build(root, jobs=1)
    stamps = {f.path.name: f.path.stat().st_mtime_ns for f in first.bundle}
    assert sorted(stamps) == ["index.html", "test.zip"]
    time.sleep(0.01)
    run_build(root, jobs=1)
    assert {f.path.name: f.path.stat().st_mtime_ns for f in first.bundle} == stamps
    (root / "facts" / "exiles.yaml").write_text(EXILES.replace("300", "301").replace("\n    ", "\n"))
    changed = run_build(root, jobs=1)
    assert "301" in (changed.out_dir / "index.html").read_text()


def _whole_files_only(out):
    for path in out.glob("*--*.pdf"):
        assert len(PdfReader(str(path)).pages) >= 1
    for path in out.glob("*--*.docx"):
        docx.Document(str(path))


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_killed_build_leaves_whole_files_and_the_next_build_finishes(tmp_path, sig):
    recipients = tuple(f"minister-{n:02d}" for n in range(2, 16))
    root = batch_workspace(tmp_path / "ws", recipients=recipients)
    out = root / "build" / "test"
    proc = subprocess.Popen([sys.executable, "-m", "appealkit", "--root", str(root), "build", "test",
                             "--jobs", "2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(list(out.glob("*--*.pdf"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert stderr.splitlines() == ["interrupted: the files written so far are whole; build again to finish"]
    else:
        assert proc.returncode == -signal.SIGKILL
    done = len(list(out.glob("*--*.pdf")))
    assert 4 <= done < 30, stdout
    _whole_files_only(out)
    result = run_build(root, formats=("docx", "pdf"), jobs=2)
    assert not result.failed and len(result.letters) == 30
    assert not list(out.glob(".*"))
    assert len(list(out.glob("*--*.pdf"))) == len(list(out.glob("*--*.docx"))) == 30
    _whole_files_only(out)
    assert len(PdfReader(str(out / "all-letters.pdf")).outline) == 30


def test_a_new_template_file_rebuilds_every_letter(tmp_path):
    root = batch_workspace(tmp_path / "ws", recipients=())
    run_build(root, jobs=1)
    (root / "templates" / "appeal.de.md").write_text("Wir schreiben.\n")
    assert set(statuses(run_build(root, jobs=1)).values()) == {"built"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_results_are_kept_in_a_file_as_they_were_heard_without_seconds_and_words(tmp_path, jobs):
    from appealkit.batch.letter_jobs import LetterJob, run_letters
    from appealkit.batch.spill import Spilled

    root = batch_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, resolve_campaign_path(root, "test"))
    heard = []
    results = run_letters(LetterJob(workspace, campaign, tmp_path / "out", ("docx",)), jobs, heard.append)
    assert isinstance(results, Spilled) and len(results) == len(IDS)
    assert [r.id for r in results] == IDS and all(r.status == "built" for r in results)
    assert all(r.seconds.get("docx", 0) > 0 and r.words for r in heard)  # counted as each came in
    assert all(r.seconds == {} and r.words == {} for r in results)  # then dropped
    by_id = {r.id: dataclasses.replace(r, seconds={}, words={}) for r in heard}
    assert [by_id[r.id] for r in results] == list(results)
    assert results[0] is not results[0] and results[0] == results[0]  # read anew each time
