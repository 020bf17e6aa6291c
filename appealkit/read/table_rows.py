"""A table row of a label and a figure ("Political prisoners │ about 350") read as one statement.

A Word table and a PDF table row alike hold the figure in one cell and what it counts in the
cell before it; read cell by cell, the figure would stand alone and never reach its fact. Both
readers ask here whether two cells make such a row, and write it the one way the checks read:
"Political prisoners: about 350".
"""

from __future__ import annotations

import re

from appealkit.rules.number_words import word_value

#: The separator between the label and the figure in the statement.
SEPARATOR = ": "


def is_label(text: str) -> bool:
    """A cell of a few words without a digit that ends no sentence: what a figure beside it counts."""
    stripped = text.strip()
    return (0 < len(stripped.split()) <= 8 and not any(c.isdigit() for c in stripped)
            and not stripped.endswith((".", "!", "?", ";", ",", "-", "\u2010", "\u00ad")))


def is_figure(text: str) -> bool:
    """A cell of a few words with a figure in digits or words ("about 350", "neun")."""
    words = re.findall(r"[^\W\d_]+|\d", text)
    return 0 < len(text.split()) <= 6 and any(w.isdigit() or any(word_value(w, lang) is not None
                                                                   for lang in ("en", "de", "fr", "az"))
                                              for w in words)


def statement(label: str, figure: str) -> str | None:
    """"label: figure" when the two cells make a row of a label and a figure, else None."""
    if not is_label(label) or not is_figure(figure):
        return None
    return f"{label.strip().rstrip(':').rstrip()}{SEPARATOR}{figure.strip()}"
