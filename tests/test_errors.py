"""Every mistake an organiser can make gives one line naming file and line, exit 1, no traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli

CASES = [
    (
        "yaml-syntax",
        {"facts/prisoners.yaml": "political_prisoners:\n  value: 400\n   qualifier: about\n"},
        "facts/prisoners.yaml:3: error: YAML syntax: mapping values are not allowed here "
        "(put the value in quotes if it contains ': ')",
    ),
    (
        "missing-key",
        {"facts/prisoners.yaml": "political_prisoners:\n  value: 400\n  sources:\n    - title: X\n"},
        "facts/prisoners.yaml:1: error: fact 'political_prisoners' is missing 'as_of' (add 'as_of: ...')",
    ),
    (
        "bad-date",
        {"facts/prisoners.yaml": "political_prisoners:\n  value: 400\n  as_of: October 2025\n"
                                 "  sources:\n    - title: X\n"},
        "facts/prisoners.yaml:3: error: 'as_of' must be a date (YYYY-MM-DD)",
    ),
    (
        "unknown-qualifier",
        {"facts/prisoners.yaml": "political_prisoners:\n  value: 400\n  qualifier: abuot\n"
                                 "  as_of: 2025-10-25\n  sources:\n    - title: X\n"},
        "facts/prisoners.yaml:3: error: 'qualifier' must be one of: exact, about, approximately, around, "
        "nearly, almost, more than, over, at least, fewer than, less than, up to; did you mean 'about'?",
    ),
    (
        "unknown-key",
        {"facts/prisoners.yaml": "political_prisoners:\n  value: 400\n  as_of: 2025-10-25\n  nouns: x\n"
                                 "  sources:\n    - title: X\n"},
        "facts/prisoners.yaml:4: error: unknown key 'nouns' in fact 'political_prisoners' "
        "(did you mean 'noun'?)",
    ),
    (
        "duplicate-key",
        {"people/people.yaml": "asimkom:\n  name: ASİMKOM\n  name: ASIMKOM\n"},
        "people/people.yaml:3: error: YAML syntax: duplicate key 'name' (first given on line 2) "
        "(remove or rename one of them)",
    ),
    (
        "unknown-fact",
        {"templates/appeal.md": "Intro.\n\nWe count {{ fact(\"politcal_prisoners\") }}.\n"},
        "templates/appeal.md:3: error: unknown fact 'politcal_prisoners' (did you mean 'political_prisoners'?)",
    ),
    (
        "unknown-fact-in-snippet",
        {"templates/snippets/deported.md": "Line one.\n{{ fact(\"deportees\") }}\n"},
        "templates/snippets/deported.md:2: error: unknown fact 'deportees' (did you mean 'deported'?)",
    ),
    (
        "unknown-person",
        {"templates/appeal.md": "{{ person(\"vidadi\") }}\n"},
        "templates/appeal.md:1: error: unknown person 'vidadi' (people are defined in people/*.yaml)",
    ),
    (
        "unknown-variable",
        {"templates/appeal.md": "Text.\n{{ recipent.office }}\n"},
        "templates/appeal.md:2: error: 'recipent' is undefined (check the spelling; templates see fact(), "
        "person(), recipient, campaign and letter)",
    ),
    (
        "template-syntax",
        {"templates/appeal.md": "Text.\n\n{{ fact(\"political_prisoners\") }\n"},
        "templates/appeal.md:3: error: template syntax: unexpected '}' (fix the {{ }} or {% %} tag on this line)",
    ),
    (
        "unknown-part",
        {"templates/appeal.md": "{{ fact(\"journalists\").part(\"men\") }}\n"},
        "templates/appeal.md:1: error: unknown part 'journalists.men' (parts of 'journalists': women)",
    ),
    (
        "unknown-recipient",
        {"campaigns/test.yaml": "id: test\ntitle: T\ndate: 2025-10-25\nplace: Bonn\norganisation: asimkom\n"
                                "letters:\n  - template: appeal.md\n    recipient: ministre\n"},
        "campaigns/test.yaml:8: error: unknown recipient 'ministre' (did you mean 'minister'?)",
    ),
    (
        "unknown-template",
        {"campaigns/test.yaml": "id: test\ntitle: T\ndate: 2025-10-25\nplace: Bonn\norganisation: asimkom\n"
                                "letters:\n  - template: apeal.md\n    recipient: minister\n"},
        "campaigns/test.yaml:7: error: template 'apeal.md' not found in templates/ (did you mean 'appeal.md'?)",
    ),
    (
        "missing-include",
        {"templates/appeal.md": "One.\n\n{% include \"snippets/nothing.md\" %}\n"},
        "templates/appeal.md:3: error: template 'snippets/nothing.md' not found in templates/ "
        "(check the name in {% include %})",
    ),
    (
        "unknown-member",
        {"facts/prisoners.yaml": "deported:\n  members: [samir_ashurov, nobody]\n  as_of: 2025-10-25\n"
                                 "  sources:\n    - title: X\n"},
        "facts/prisoners.yaml:2: error: unknown person 'nobody' in fact 'deported' (add them to people/)",
    ),
    (
        "empty-file",
        {"people/more.yaml": ""},
        "people/more.yaml:1: error: the file is empty (add content or delete the file)",
    ),
]


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_message(tmp_path, name, files, expected):
    make_workspace(tmp_path, files)
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build", "campaigns/test.yaml"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [expected]
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # an error, not a crash
    build = tmp_path / "build" / "test"
    assert not list(build.glob("*.docx")) and not list(build.glob("*.pdf"))
