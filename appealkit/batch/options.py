"""What a build is asked to do, validated once: the CLI and the Python API build the same `BuildOptions`.

A typo in an option is refused here, with one line, whoever called: `build(allow=["typo:x"])`
from Python stops exactly as `appealkit build --allow typo:x` does. Problems name the option
by its field (`allow`); the CLI shows the flag that set it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from appealkit.batch.results import FORMATS, PDF_VARIANTS
from appealkit.choices import parse_formats
from appealkit.errors import UsageError
from appealkit.source.records import Campaign


def _allowable() -> tuple[str, ...]:
    from appealkit.checks.findings import ALLOWABLE

    return ALLOWABLE


def parse_allow(given: Iterable[str], field: str = "allow") -> tuple[str, ...]:
    """Each override as `KIND:LETTER_ID`, its kind one a finding can have: a typo would allow nothing."""
    from appealkit.source.yamlsource import suggest

    chosen = tuple(dict.fromkeys(given))
    for item in chosen:
        if not isinstance(item, str):
            raise UsageError.at(field, None, f"'{item}' is not KIND:LETTER_ID")
        kind, colon, letter_id = item.partition(":")
        if kind not in _allowable():
            hint = suggest(kind, _allowable()) or f"kinds: {', '.join(_allowable())}"
            raise UsageError.at(field, None, f"unknown kind of finding '{kind}' in '{item}'", hint)
        if not colon or not letter_id:
            raise UsageError.at(field, None, f"no letter in '{item}'", f"write {kind}:LETTER_ID")
    return chosen


@dataclass(frozen=True)
class BuildOptions:
    """Everything `build` takes besides the workspace and the campaign; invalid values never get this far.

    `formats` None: the `formats` under `defaults:` in appealkit.yaml, else docx and pdf (`chosen_formats`).
    `allow` holds overrides `KIND:LETTER_ID` (checked against the campaign's letters when the
    build starts, `check_letters`); `strict` refuses a letter for a warning too; `jobs` worker
    processes (None: `default_workers`); `force` rebuilds unchanged letters; `pdf_variant` is
    one of `PDF_VARIANTS`; `out_dir` None means build/<campaign id>/ in the workspace.
    """

    formats: tuple[str, ...] | None = FORMATS
    allow: tuple[str, ...] = ()
    strict: bool = False
    jobs: int | None = None
    force: bool = False
    pdf_variant: str | None = None
    out_dir: Path | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: the normalised values replace what was given
        if self.formats is not None:
            set_(self, "formats", parse_formats(self.formats))
        set_(self, "allow", parse_allow(self.allow))
        set_(self, "strict", bool(self.strict))
        set_(self, "force", bool(self.force))
        if self.jobs is not None and (isinstance(self.jobs, bool) or not isinstance(self.jobs, int)
                                      or self.jobs < 1):
            raise UsageError.at("jobs", None, f"'{self.jobs}' is not a number of letters at once",
                                "use 1 or more")
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            raise UsageError.at("pdf_variant", None, f"unknown PDF variant '{self.pdf_variant}'",
                                f"use {', '.join(PDF_VARIANTS)}")
        if self.out_dir is not None:
            set_(self, "out_dir", Path(self.out_dir))

    def chosen_formats(self, root: Path) -> tuple[str, ...]:
        """The formats to write: these options', else the workspace's default, else `FORMATS`."""
        if self.formats is not None:
            return self.formats
        from appealkit.source.settings import load_settings

        return load_settings(root).defaults.formats or FORMATS

    def check_letters(self, campaign: Campaign) -> None:
        """Each override names a letter of `campaign`."""
        from appealkit.source.yamlsource import suggest

        ids: Sequence[str] = [spec.id for spec in campaign.letters]
        for item in self.allow:
            letter_id = item.partition(":")[2]
            if letter_id not in ids:
                hint = suggest(letter_id, ids) or f"letters: {', '.join(ids)}"
                raise UsageError.at("allow", None, f"no letter '{letter_id}' in campaign '{campaign.id}'",
                                    hint)
