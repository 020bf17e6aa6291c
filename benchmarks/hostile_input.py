"""How fast hostile input is refused: YAML bombs and template bombs, each timed once.

Run: .venv/bin/python benchmarks/hostile_input.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from click.testing import CliRunner
from helpers import make_workspace

from appealkit.cli import cli
from appealkit.errors import WorkspaceError
from appealkit.source.yamlsource import load_yaml

YAML = {
    "10,000 nested lists": "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "900,000 values in one list (1.8 MB)": "x: [" + ",".join(["1"] * 900_000) + "]\n",
    "120,000 keys (1.5 MB)": "".join(f"k{i}: {i}\n" for i in range(120_000)),
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
}
TEMPLATES = {
    "'x' * 10**9": "{{ 'x' * 10**9 }}\n",
    "range(10**9)": "{% for i in range(10**9) %}x{% endfor %}\n",
    "1000 x 1000 nested loops": "{% for i in range(1000) %}{% for j in range(1000) %}"
                                "{% endfor %}{% endfor %}\n",
    "9 ** 999999999": "{{ 9 ** 999999999 }}\n",
    "namespace doubling": "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
                          "{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n",
    "''.__class__.__mro__": "{{ ''.__class__.__mro__ }}\n",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        for name, text in YAML.items():
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            try:
                load_yaml(path, "x.yaml")
                outcome = "loaded"
            except WorkspaceError:
                outcome = "refused"
            print(f"yaml     {name:40} {outcome:8} {time.perf_counter() - started:6.3f} s")
        for name, text in TEMPLATES.items():
            root = Path(folder) / f"ws-{abs(hash(name))}"
            make_workspace(root, {"templates/appeal.md": text})
            started = time.perf_counter()
            result = CliRunner().invoke(cli, ["--root", str(root), "build", "test", "--format", "docx"])
            outcome = "refused" if result.exit_code == 1 else "built"
            print(f"template {name:40} {outcome:8} {time.perf_counter() - started:6.3f} s")


if __name__ == "__main__":
    main()
