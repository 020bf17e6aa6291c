"""Layout time per letter: the finished PDF (write/page_finish.py) against one WeasyPrint layout.

Issue 28's goal: finishing the pages (no page-final hyphen, even bottoms, tight leading,
loose lines) costs at most 10 % more CPU per letter than the PDF as WeasyPrint sets it.
"Before" is what the writer did without the finishing: one layout with a fresh
FontConfiguration, then `write_pdf`, through the same fetcher, tagged. "After" is
`pdf_writer.render_pdf` as a build calls it. Each letter alternates the two, best of --runs
CPU times; the letters are the example's five and, with --batch, one of each template of
benchmarks/batch.py's workspace. Quote the load average printed with the figures.

Run: .venv/bin/python benchmarks/layout.py [--runs 5] [--batch]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from appealkit.render.letters import LAYOUT, make_environment, render_letter
from appealkit.source.campaign import load_campaign_file
from appealkit.source.workspace import load_workspace
from appealkit.write import hyphenation, pdf_writer
from appealkit.write.pdf_support import load_weasyprint

ROOT = Path(__file__).resolve().parent.parent


def letters(root: Path, campaign_file: str, limit: int | None = None) -> list[tuple[str, str, Path]]:
    """(letter id, HTML, layout folder) of a campaign's letters."""
    workspace = load_workspace(root)
    campaign = load_campaign_file(workspace, root / campaign_file)
    env = make_environment(root)
    layout = env.get_template(LAYOUT)
    specs = campaign.letters[:limit] if limit else campaign.letters
    return [(spec.id, pdf_writer.letter_html(render_letter(workspace, campaign, spec, env).letter, layout),
             Path(layout.filename).parent) for spec in specs]


def one_layout(html: str, folder: Path) -> bytes:
    """The PDF as WeasyPrint sets it, as the writer made it before the pages were finished."""
    weasyprint = load_weasyprint()
    root = folder.resolve()
    page = weasyprint.HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=pdf_writer._fetcher(root))
    return bytes(page.render(pdf_tags=True).write_pdf(pdf_tags=True))


def cpu(call) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", action="store_true", help="also one letter of each batch.py template")
    args = parser.parse_args()
    hyphenation.register()
    items = letters(ROOT, "campaigns/bonn-2025.yaml")
    example = len(items)
    with tempfile.TemporaryDirectory() as temp:
        if args.batch:
            import batch

            root = batch.make_workspace(Path(temp) / "ws", 1)
            items += letters(root, "campaigns/batch.yaml")
        for _, html, folder in items[:1]:  # imports, fonts and caches warm for both columns alike
            one_layout(html, folder)
            pdf_writer.render_pdf(html, folder)
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"{len(items)} letters, best of {args.runs} CPU times each, load average {load}")
        print(f"{'letter':<56} {'layouts':>7} {'one layout':>10} {'finished':>9} {'ratio':>6}")
        totals = [0.0, 0.0, 0]
        for number, (letter_id, html, folder) in enumerate(items, start=1):
            before, after, layouts = float("inf"), float("inf"), 0
            for _ in range(args.runs):
                before = min(before, cpu(lambda html=html, folder=folder: one_layout(html, folder)))
                made: list[pdf_writer.Pdf] = []
                after = min(after, cpu(lambda made=made, html=html, folder=folder: made.append(
                    pdf_writer.render_pdf(html, folder))))
                layouts = made[0].layouts
            totals[0] += before
            totals[1] += after
            totals[2] += layouts
            print(f"{letter_id[:56]:<56} {layouts:>7} {before * 1000:>8.0f}ms {after * 1000:>7.0f}ms "
                  f"{after / before:>5.2f}×")
            if number == example:
                print(f"the example's {example}: {totals[2] / example:.1f} layouts a letter, "
                      f"{totals[0] / example * 1000:.0f} → {totals[1] / example * 1000:.0f} ms CPU a letter "
                      f"= {totals[1] / totals[0]:.2f}× (goal: at most 1.10×)")
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"all: {totals[2] / len(items):.1f} layouts a letter, {totals[0] / len(items) * 1000:.0f} → "
              f"{totals[1] / len(items) * 1000:.0f} ms CPU a letter = {totals[1] / totals[0]:.2f}× "
              f"(load average {load})")


if __name__ == "__main__":
    main()
