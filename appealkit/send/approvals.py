"""Approvals: a reviewer's sign-off on each letter as built, kept in `approvals/<campaign>.yaml`.

An approval names one version of a letter (its input hash and the sha256 of its files),
who approved it and when, and the short digests of what the input hash is made of, so
`status` can say which fact, template or recipient moved after the sign-off. The file is
plain YAML in the workspace: it is reviewed and kept in git like the facts it vouches for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from appealkit.atomic import write_atomic
from appealkit.checks import letter_check
from appealkit.errors import AppealkitError, Problem, WorkspaceError, collecting, printable
from appealkit.send.clock import Clock, stamp
from appealkit.send.log_files import refuse_odd_file, refuse_odd_folder
from appealkit.send.versions import Build, BuiltLetter, built_letters, cited_figure, manifest_hint
from appealkit.source.paths import shown_path
from appealkit.source.records import Campaign, Workspace
from appealkit.source.yamlsource import Fields, load_yaml, text

APPROVALS = "approvals"
#: The longest reviewer's name `approve --by` takes.
MAX_NAME = 200
_HEADER = ("# Approved letters: written by `appealkit approve`, read by `appealkit status` and `send`.\n"
           "# Each entry is one reviewer's sign-off on one built version of a letter. Review changes\n"
           "# to this file like any other; do not edit the hashes by hand.\n")


@dataclass(frozen=True)
class Approval:
    letter: str
    approved_by: str
    approved_at: str
    #: the input hash of the approved version (manifest `inputs`)
    inputs: str
    #: file name -> sha256 of each approved file
    files: dict[str, str]
    #: short digests of the parts of the input hash (see `versions.part_digests`)
    parts: dict[str, Any] = field(default_factory=dict)
    #: fact id -> the figure as the approved letter cited it ("about 400")
    cited: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ApproveResult:
    path: Path
    approved: tuple[str, ...]
    #: letters whose approved version was already recorded (by whom)
    unchanged: dict[str, str]
    #: the warnings met while the letters were checked again, for the CLI to print and `--strict`
    problems: tuple[Problem, ...] = ()


def approvals_path(root: Path, campaign: Campaign) -> Path:
    return root / APPROVALS / f"{campaign.id}.yaml"


def read_approvals(root: Path, campaign: Campaign) -> dict[str, Approval]:
    """The approvals of a campaign by letter id; {} when nothing was approved yet."""
    path = approvals_path(root, campaign)
    shown = shown_path(root, path)
    _refuse_odd(root, path, shown)
    if not path.exists():
        return {}
    problems: list[Problem] = []
    f = Fields(load_yaml(path, shown), shown, problems, "the approvals file")
    found: dict[str, Approval] = {}
    if f.ok:
        if f.get("campaign", text, required=True) not in (None, campaign.id):
            f.error(f.line_of("campaign"), f"the approvals are for another campaign, not '{campaign.id}'",
                    "rename the file after its campaign id")
        letters = f.raw("letters") or {}
        if not isinstance(letters, dict):
            f.error(f.line_of("letters"), "'letters' must map letter ids to approvals")
            letters = {}
        for letter_id, data in letters.items():
            approval = _approval(str(letter_id), data, shown, problems, letters)
            if approval:
                found[approval.letter] = approval
        f.done()
    if problems:
        raise WorkspaceError(problems)
    return found


def _approval(letter_id: str, data: Any, shown: str, problems: list[Problem], within: Any) -> Approval | None:
    line = getattr(within, "key_lines", {}).get(letter_id, 0)
    f = Fields(data, shown, problems, f"the approval of '{letter_id}'", line)
    if not f.ok:
        return None
    before = len(problems)
    approval = Approval(
        letter=letter_id,
        approved_by=f.get("approved_by", text, required=True) or "",
        approved_at=f.get("approved_at", lambda v: text(str(v)), required=True) or "",
        inputs=f.get("inputs", text, required=True) or "",
        files=f.get("files", _text_map, required=True) or {},
        parts=f.get("parts", _parts, default={}),
        cited=f.get("cited", _cited, default={}),
    )
    f.done()
    return approval if len(problems) == before else None


def _text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must map names to texts")
    return {str(k): text(str(v)) for k, v in value.items()}


# `parts` and `cited` are written as blocks of lines, one value each: a reviewer reads them line by
# line in a diff, and a campaign of hundreds of letters stays well within the YAML loader's value cap.

def _parts_text(parts: dict[str, Any]) -> _Block:
    lines = [f"{kind} {parts[kind]}" for kind in ("build", "letter", "recipient") if kind in parts]
    lines += [f"template {name} {digest}" for name, digest in parts.get("templates", {}).items()]
    lines += [f"fact {name} {digest}" for name, digest in parts.get("facts", {}).items()]
    return _Block("".join(line + "\n" for line in lines))


def _parts(value: Any) -> dict[str, Any]:
    parts: dict[str, Any] = {"templates": {}, "facts": {}}
    for line in _lines(value):
        head, _, digest = line.strip().rpartition(" ")
        kind, _, name = head.partition(" ")
        if kind in ("template", "fact") and name:
            parts[f"{kind}s"][name] = digest
        elif kind in ("build", "letter", "recipient") and not name:
            parts[kind] = digest
        else:
            raise ValueError(f"has a line that appealkit did not write: '{line.strip()}'")
    return parts


def _cited_text(cited: dict[str, str]) -> _Block:
    return _Block("".join(f"{fact}: {figure}\n" for fact, figure in cited.items()))


def _cited(value: Any) -> dict[str, str]:
    found = {}
    for line in _lines(value):
        fact, sep, figure = line.strip().partition(": ")
        if not sep:
            raise ValueError(f"has a line that is not 'fact: figure': '{line.strip()}'")
        found[fact] = figure
    return found


def _lines(value: Any) -> list[str]:
    if not isinstance(value, str):
        raise ValueError("must be lines of text, as appealkit wrote them")
    return [line for line in value.splitlines() if line.strip()]


class _Block(str):
    """Text written as a YAML literal block (`|`), one line per entry."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Block, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style="|"))


def write_approvals(root: Path, campaign: Campaign, approvals: dict[str, Approval]) -> Path:
    """Write the approvals of a campaign whole, letters in campaign order."""
    order = {spec.id: n for n, spec in enumerate(campaign.letters)}
    letters = {}
    for approval in sorted(approvals.values(), key=lambda a: (order.get(a.letter, len(order)), a.letter)):
        entry = dataclasses.asdict(approval)
        del entry["letter"]
        entry["parts"] = _parts_text(approval.parts)
        entry["cited"] = _cited_text(approval.cited)
        letters[approval.letter] = entry
    body = yaml.dump({"campaign": campaign.id, "letters": letters}, Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=1000)
    path = approvals_path(root, campaign)
    _refuse_odd(root, path, shown_path(root, path))
    write_atomic(path, (_HEADER + body).encode("utf-8"))
    return path


def _refuse_odd(root: Path, path: Path, shown: str) -> None:
    """The approvals are read and written only as plain files in a plain folder: a link would let
    a sign-off be read from, or written to, a file outside the workspace."""
    refuse_odd_folder(root / APPROVALS, f"{APPROVALS}/", "the approvals folder")
    refuse_odd_file(path, shown, "the approvals file")


@dataclass(frozen=True)
class ApproveOptions:
    """What `approve` takes besides the workspace and the campaign, checked once for the CLI and Python.

    `by` is the reviewer's name, as typed by hand; `letter_ids` the letters approved (none: all);
    `out_dir` the build folder (None: build/<campaign id>/).
    """

    by: str
    letter_ids: tuple[str, ...] = ()
    out_dir: Path | None = None

    def __post_init__(self) -> None:
        by = self.by
        if not isinstance(by, str) or not by.strip():
            raise AppealkitError.at("by", None, "the approver's name is empty", "give the reviewer's name")
        if printable(by) != by or "\n" in by or "\t" in by:
            shown = printable(by).replace("\n", "\\n").replace("\t", "\\t")
            raise AppealkitError.at("by", None, f"the approver's name '{shown}' holds a control or "
                                    "invisible character", "type the reviewer's name again, by hand")
        if len(by) > MAX_NAME:
            raise AppealkitError.at("by", None, f"the approver's name is longer than {MAX_NAME} characters",
                                    "give the reviewer's name")
        given: Any = self.letter_ids  # from Python a lone id is a string
        object.__setattr__(self, "letter_ids", (given,) if isinstance(given, str) else tuple(given))
        if self.out_dir is not None:
            object.__setattr__(self, "out_dir", Path(self.out_dir))


def approve(workspace: Workspace, campaign: Campaign, by: str, letter_ids: tuple[str, ...] = (),
            out_dir: Path | None = None, clock: Clock | None = None) -> ApproveResult:
    """`approve_letters` with the options of `ApproveOptions`, validated there."""
    return approve_letters(workspace, campaign, ApproveOptions(by, letter_ids, out_dir), clock)


def approve_letters(workspace: Workspace, campaign: Campaign, options: ApproveOptions,
                    clock: Clock | None = None) -> ApproveResult:
    """Record the approval of each chosen letter (default: all) as it is built in the options' folder.

    Every chosen letter must be built from today's inputs with its files intact and pass
    the checks; otherwise nothing is recorded and every reason is reported at once. The
    warnings met while checking are the result's `problems`.
    """
    with collecting() as found:
        result = _approve(workspace, campaign, options, clock)
    return dataclasses.replace(result, problems=tuple(found))


def _approve(workspace: Workspace, campaign: Campaign, options: ApproveOptions,
             clock: Clock | None) -> ApproveResult:
    by, letter_ids, out_dir = options.by, options.letter_ids, options.out_dir
    build = built_letters(workspace, campaign, out_dir)
    chosen = choose_letters(campaign, letter_ids)
    problems = []
    for letter_id in chosen:
        problems.extend(_unbuilt(workspace, campaign, build, build.letters[letter_id]))
    if not problems:
        problems.extend(check_refusals(workspace, campaign, [build.letters[i] for i in chosen]))
    if problems:
        raise AppealkitError(problems)
    approvals = read_approvals(workspace.root, campaign)
    at = stamp((clock or Clock()).now())
    approved, unchanged = [], {}
    for letter_id in chosen:
        letter = build.letters[letter_id]
        old = approvals.get(letter_id)
        if old and old.inputs == letter.inputs and old.files == letter.files:
            unchanged[letter_id] = old.approved_by
            continue
        approvals[letter_id] = Approval(
            letter_id, by.strip(), at, letter.inputs, dict(letter.files), letter.parts,
            {fid: cited_figure(f.get("value"), str(f.get("qualifier", "exact")))
             for fid, f in sorted(letter.cited().items())})
        approved.append(letter_id)
    path = approvals_path(workspace.root, campaign)
    if approved:
        path = write_approvals(workspace.root, campaign, approvals)
    return ApproveResult(path, tuple(approved), unchanged)


def choose_letters(campaign: Campaign, letter_ids: tuple[str, ...]) -> list[str]:
    """The letters named with --letter (in campaign order), or every letter; an unknown id is an error."""
    known = [spec.id for spec in campaign.letters]
    unknown = [i for i in letter_ids if i not in known]
    if unknown:
        from appealkit.source.yamlsource import suggest

        raise AppealkitError([
            Problem(campaign.where.file, None, f"no letter '{i}' in campaign '{campaign.id}'",
                    suggest(i, known) or "see appealkit status for the letter ids") for i in unknown])
    return [i for i in known if not letter_ids or i in letter_ids]


def _unbuilt(workspace: Workspace, campaign: Campaign, build: Build, letter: BuiltLetter) -> list[Problem]:
    where, hint = letter.spec.id, manifest_hint(workspace, build, campaign)
    if letter.refused is not None:
        reasons = "; ".join(letter.refused) or "see the build's messages"
        return [Problem(where, None, f"the build refused the letter: {reasons}",
                        "fix what appealkit check reports, then build again")]
    if not letter.built:
        return [Problem(where, None, "the letter has not been built", hint)]
    if letter.outdated:
        return [Problem(where, None, "the letter was built from inputs that have changed since", hint)]
    missing = [name for name, sha in letter.files.items() if sha != letter.recorded_files.get(name)]
    if missing:
        return [Problem(where, None, f"{', '.join(missing)} differ from the build (edited or missing)", hint)]
    return []


def check_refusals(workspace: Workspace, campaign: Campaign, letters: list[BuiltLetter]) -> list[Problem]:
    """What the checks refuse in each letter, decided as `build` decides (checks/letter_check.py).

    The findings that need the rendered letter come from the manifest, cached there under
    the input hash the letter still has; the cheap ones (term of office, fact ages, counts)
    are run again. Overrides the build recorded (`--allow`) count here too.
    """
    facts_checked = letter_check.fact_findings(workspace)
    problems: list[Problem] = []
    for letter in letters:
        entry = letter.entry or {}
        try:
            cached = letter_check.from_data(entry["findings"])
        except (KeyError, TypeError):
            blocking = letter_check.letter_findings(workspace, campaign, letter.spec).blocking
        else:
            records = letter_check.record_findings(workspace, campaign, letter.spec, letter.cited(),
                                                   facts_checked)
            findings = [*cached, *records]
            allowed = [str(a.get("allow")) for a in entry.get("allowed", []) if isinstance(a, dict)]
            blocking = letter_check.verdict(letter.spec, findings, allowed).blocking
        problems.extend(Problem(letter.spec.id, None, f"check refuses the letter: {finding.where}: "
                                f"{finding.message}", finding.hint) for finding in blocking)
    return problems
