"""What `import` prints: what was found, what needs the organiser's choice, how close each rebuild is.

The disagreements are the drift report an organisation never had: every figure the letters
qualify or count differently and every name they spell differently, with where. The JSON
form is the result itself, derived from its dataclasses (`records.plain`), so no field is
left out of it.
"""

from __future__ import annotations

import json

from appealkit.importer.importing import ImportResult
from appealkit.source.records import plain


def as_json(result: ImportResult) -> str:
    data = plain(result)
    data.pop("files")
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_text(result: ImportResult) -> list[str]:
    """The report, line by line."""
    lines = [f"found {len(result.letters)} letter(s), {len(result.facts)} fact(s), "
             f"{len(result.people)} person(s) and organisation(s)"]
    lines.append("facts:")
    for fact in result.facts:
        parts = f", parts: {', '.join(fact.parts)}" if fact.parts else ""
        lines.append(f"  {fact.id}: {' / '.join(fact.written)} {fact.noun} ({fact.letters} letter(s){parts})")
    lines.append("people and organisations: " + ", ".join(
        p.name + (f" ({', '.join(p.variants)})" if p.variants else "") for p in result.people))
    lines.append("letters (word similarity of the rebuilt letter to the original, before any choice):")
    for letter in result.letters:
        lines.append(f"  {letter.id} ({letter.language}) to {letter.recipient}: "
                     f"{letter.similarity:.1%}, from {letter.source}")
    if result.disagreements:
        lines.append(f"disagreements between the letters ({len(result.disagreements)}):")
        for item in result.disagreements:
            lines.append(f"  {item.subject} ({item.kind}): " + "; ".join(item.variants))
    else:
        lines.append("no disagreements between the letters")
    if result.formats:
        lines.append("in words here, in digits there (each letter keeps its way; audit does not report it):")
        lines.extend(f"  {line}" for line in result.formats)
    if result.choices:
        lines.append(f"choices left open ('# choose:' in the draft; check lists them) "
                     f"({len(result.choices)}):")
        lines.extend(f"  {choice}" for choice in result.choices)
    if result.checks:
        lines.append(f"guesses to check ('# check:' in the draft) ({len(result.checks)}):")
        lines.extend(f"  {check}" for check in result.checks)
    lines.append("terms of office: not in the letters; each recipient needs 'term:' (check asks for it)")
    lines.extend(f"left out: {note}" for note in result.left_out)
    lines.extend(f"not imported: {problem}" for problem in result.problems)
    lines.append(f"audit of the originals, once every choice is made as drafted: "
                 f"{len(result.audit_preview)} finding(s)")
    return lines
