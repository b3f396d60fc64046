"""Structural parser for author-date references (Chicago author-date, APA- and Harvard-like).

``Authors. YEAR. “Title.” Container, vol(issue): pages. Month Day. URL``
``Authors (YEAR). Title. Container, vol(issue), pages. https://doi.org/…``

The parser works left to right in a few anchored steps (author segment up to the year, title,
link tail, middle segments), each a linear scan, so its cost is linear in the input.
It keeps URLs exactly as written (broken pieces included): repairing them is the normalisers' job.

Hand-written: reference strings of this shape need style knowledge (where the author list ends,
which segment is a container) that no maintained Python library offers; the learned tagger
(``citekit.parse.tagger``) covers other styles.
"""

from __future__ import annotations

import re

from ..model import Date, Entry
from .names import EDITED_HEAD, looks_like_organisation, parse_names

__all__ = ["parse_authordate", "DASH_RE", "MONTHS", "parse_month_day", "find_links", "is_news"]

#: ``______.`` / ``———.`` / ``--.``: "same authors as the previous entry".
DASH_RE = re.compile(r"^\s*(?:[_\u2010-\u2015\u2e3a\u2e3b-]{2,}|\u2014|\u2015)\s*[.,]?\s*")
_NUMBER_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)](?=\s))\s*")

MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ])
    for name in names
}
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_YEAR_RE = re.compile(
    r"(?<![\w/.:-])(?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\w/-])"
    r"|(?<!\w)(?P<nd>n\.\s?d\.|forthcoming|in press)(?!\w)",
    re.IGNORECASE,
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DAY_RE = re.compile(
    rf"^(?:(?P<m1>{_MONTH_NAMES})\.?(?:\s+(?P<d1>\d{{1,2}}))?|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_NAMES})\.?)"
    r"(?:,?\s*(?P<y>(?:1[5-9]|20)\d\d))?\.?$",
    re.IGNORECASE,
)
_SEASON_RE = re.compile(r"^(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?P<y>\d{4}))?\.?$", re.I)

_QUOTES = {"\u201c": "\u201d", '"': '"', "\u2018": "\u2019", "'": "'", "\u00ab": "\u00bb",
           "\u201e": "\u201c", "\u300c": "\u300d", "\u300e": "\u300f"}  # CJK 「…」 and 『…』

_LINK_START = re.compile(
    r"(?:(?:retrieved|available|accessed|viewed)\b[^.]{0,60}?)?"
    r"(?:https?://|www\.|doi:\s*10\.|DOI:?\s*10\.|\b10\.\d{4,9}/)",
    re.IGNORECASE,
)
_LINK_SPLIT = re.compile(r"(?<!\s)\s++(?=https?://|doi:|DOI:?\s)", re.IGNORECASE)  # (linear: one try per run)
_DOI_IN_URL = re.compile(r"(?:doi\.org/|/doi/(?:full/|abs/|pdf/|epdf/|book/|fulltext/)?)(10\.\d{4,9}/[^\s?#]+)",
                         re.IGNORECASE)
_DOI_BARE = re.compile(r"^(?:doi:?\s*|DOI:?\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ACCESSED_RE = re.compile(
    r"[\[(]?\s*(?:last\s+)?(?:accessed|retrieved|viewed)(?:\s+on)?:?\s+(?P<d>[^\])]{3,40}?)\s*[\])]?\s*"
    r"(?:,?\s+from\b|\.(?=\s|$)|$|(?=\s+http))",  # APA: "Retrieved March 3, 2024, from https://…"
    re.IGNORECASE,
)
_RETRIEVED_FROM = re.compile(r"(?:retrieved|available)(?:\s+(?:online|from|at))*:?\s*$", re.IGNORECASE)

_VIP_RE = re.compile(
    r"(?P<sep>[,.]?\s+|^)(?:vol(?:ume)?\.?\s*)?(?P<volume>\d{1,5}[A-Za-z]?)"
    r"(?:\s*\((?P<issue>[^()]{1,20})\)|,?\s*(?:no|issue|iss|nr)\.?\s*(?P<issue2>[\w\u2013-]{1,10}))?"
    r"(?:\s*\((?P<year>\d{4})\))?"
    r"(?:\s*[:,]\s*(?:(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+[A-Za-z]?(?:\s*[-\u2013\u2014]+\s*[A-Za-z]?\d+[A-Za-z]?)?)"
    r"|Article\s+(?P<article>[A-Za-z]?\d+)))?"  # APA 7's article number: "13(3), Article e0193972"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)
_PAGES_RE = re.compile(
    r"^(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+[A-Za-z]?\s*[-\u2013\u2014]+\s*[A-Za-z]?\d+[A-Za-z]?)\.?$"
    r"|^pp?\.\s*(?P<page>\d+)\.?$",
    re.IGNORECASE,
)
_PLACE_PUB_RE = re.compile(r"^(?P<place>[A-Z][\w .,'-]{1,40}?|[^\W\d_a-zA-Z][^\W\d_]{0,10}):\s*"
                           r"(?P<publisher>[A-Z\u3000-\u9fff\uac00-\ud7af].{1,120})$")  # CJK too
_EDITED_RE = re.compile(r"^(?:edited\s+by|eds?\.|hrsg\.\s*v\.)\s+(?P<names>.+)$|^(?P<names2>.+?),?\s*\(?eds?\.\)?$",
                        re.IGNORECASE)
_IN_RE = re.compile(r"^(?:In:?|in:?(?=\s+[A-Z]))\s+(?P<rest>.+)$")
# A sentence ends after . ? ! — also when a closing quote follows it ('… "Dr. House." PLoS ONE').
_SENTENCE_END = re.compile(r"(?:(?<=[.?!])|(?<=[.?!][\"\u201d\u2019]))\s+(?=\S)")
_ABBREV = frozenset("""vs v no nos vol vols ed eds pp p ch dr mr mrs ms st jr sr inc ltd co corp
dept univ u.s e.g i.e etc al fig op cit ibid rev repr trans n.k s.k u.n u.k e.u n.d
jan feb mar apr jun jul aug sep sept oct nov dec""".split())

_NEWS_NAMES = frozenset("""yonhap cna reuters ap afp bbc cnn nhk bloomberg xinhua kyodo nikkei
politico axios npr abc cbs nbc""".split())
_NEWS_WORDS = frozenset("""times post herald tribune gazette news daily ilbo shimbun chronicle
telegraph guardian observer independent journal-constitution""".split())
_PUBLISHER_WORDS = frozenset("""institute institution ministry university press center centre
foundation council office agency department bank commission association organization
organisation government publishing publishers books academy bureau corporation""".split())
_GENRE_RE = re.compile(
    r"\b(?:working paper|discussion paper|policy brief|issue brief|report|white paper|"
    r"ph\.?\s?d\.? (?:diss|thesis)|dissertation|master'?s thesis|technical report|brief)\b",
    re.IGNORECASE,
)


def parse_month_day(text: str) -> Date | None:
    """``April 15``, ``April``, ``15 April``, ``Jan. 3, 2024``, ``Spring 2020`` → a partial Date."""
    t = text.strip().rstrip(".,")
    m = _MONTH_DAY_RE.match(t)
    if m:
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day_s = m.group("d1") or m.group("d2")
        day = int(day_s) if day_s else None
        if day is not None and not 1 <= day <= 31:
            return None
        year = int(m.group("y")) if m.group("y") else None
        return Date(year=year, month=month, day=day)
    m = _SEASON_RE.match(t)
    if m:
        return Date(year=int(m.group("y")) if m.group("y") else None,
                    season=_SEASONS[m.group("s").lower()])
    m = _CJK_DATE(t)
    if m and 1 <= int(m.group("m")) <= 12 and (not m.group("d") or 1 <= int(m.group("d")) <= 31):
        return Date(year=int(m.group("y")) if m.group("y") else None, month=int(m.group("m")),
                    day=int(m.group("d")) if m.group("d") else None)
    return None


# Korean, Japanese and Chinese dates: "1월 1일", "2023년 1월 1일", "2023年1月1日", "3月".
_CJK_DATE = re.compile(r"(?:(?P<y>(?:1[5-9]|20)\d\d)\s*[년年]\s*)?(?P<m>\d{1,2})\s*[월月]"
                       r"(?:\s*(?P<d>\d{1,2})\s*[일日])?").fullmatch


_LINKISH = re.compile(r"(?:https?://|www\.|doi\b|10\.\d{4,9}/)", re.I).match


def _without_detached_stop(piece: str) -> str:
    """``piece`` without sentence punctuation set off from it by a space ("…/2345 .")."""
    bare = piece.rstrip(".,;:")
    return bare.rstrip() if bare != piece and bare[-1:].isspace() else piece


def find_links(text: str) -> tuple[str | None, str | None]:
    """Split a link tail into (URL as written, DOI). A doi.org link gives a DOI and no URL."""
    url = doi = None
    for piece in _LINK_SPLIT.split(text.strip()):
        piece = piece.strip()
        if not piece or not _LINKISH(piece):
            continue  # words before the first link ("March 3, 2024, from") are none
        m = _DOI_BARE.match(piece)
        if m:
            doi = doi or m.group(1).rstrip(".,;")
            continue
        low = piece.lower()
        if re.match(r"https?://(?:dx\.)?doi\.org/", low):
            d = _DOI_IN_URL.search(piece.replace(" ", ""))
            if d:
                doi = doi or d.group(1).rstrip(".,;")
                continue
        if url is None:
            url = _without_detached_stop(piece)  # "…/2345 ." keeps its stray stop out
            d = _DOI_IN_URL.search(piece)
            if d and doi is None:
                doi = d.group(1).rstrip(".,;")
    return url, doi


_DIGITS_NEXT = re.compile(r"[^.?!]*?\d").match  # a digit before the next sentence end


def _split_sentences(text: str, after_quotes: bool = False) -> list[str]:
    """Split on sentence ends, not after initials or common abbreviations; ``after_quotes``
    (for a title) also after '."' when a journal's numbers follow."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start() - 1] in "\"\u201d\u2019" and (
                not after_quotes or text[m.start() - 2] != "."
                or not _DIGITS_NEXT(text, m.end())):
            # After a closing quote only '."' ends a title, and only when the next sentence
            # holds numbers (a journal and its volume): 'Why "Yes." Matters.' and 'Saying
            # "Enough!" Protest' go on, and so does a book's title in a chapter reference.
            continue
        before = text[start:m.start()]
        word = before.rsplit(None, 1)[-1] if before.strip() else ""
        word = word.lstrip("\"'\u201c\u2018([")  # '"Dr.' is the abbreviation "Dr."
        core = word.rstrip(".").lower()
        if word.endswith(".") and (len(core) == 1 or core in _ABBREV or re.fullmatch(r"(?:\w\.)+\w", core)):
            continue
        parts.append(text[start:m.start()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p.strip(" .,;")]


# A lower-case word right before a year, with no punctuation between: prose ("in 2019"), not
# names ("hooks, bell. 2000", "Smith and Jones 2019").
_LOWER_WORD_BEFORE = re.compile(r"(?<![\w.'\u2019-])([a-z]{2,})\s$").search
_NAME_LINKS = frozenset("and et al van von de da der del du le la den ter und y e cited".split())


def _find_year(text: str) -> re.Match[str] | None:
    """The year that closes the author segment (within the first 400 characters)."""
    for m in _YEAR_RE.finditer(text, 0, min(len(text), 400)):
        before = text[: m.start()]
        if any(q in before for q in "\u201c\"\u00ab"):
            return None  # reached the title: the year is not right after the authors
        prev = before[-2:]
        nxt = text[m.end(): m.end() + 1]
        if (not before.strip() or prev.endswith(("(", ". ", ", ", " ")) or prev == "[") and \
                (nxt in ("", ".", ")", ",", ":", ";", "]") or nxt.isspace()):
            if len(_split_sentences(before.strip(" .,(["))) > 1:
                return None  # a title or publisher came first: not an author-date string
            word = _LOWER_WORD_BEFORE(before)
            if word and word.group(1) not in _NAME_LINKS and word.group(1) not in MONTHS:
                return None  # "… resistance in 2019: a systematic analysis": in a title
            return m
    return None


def _take_title(rest: str) -> tuple[str | None, str, bool]:
    """(title, remaining text, well-formed?) from the text after the year."""
    if not rest:
        return None, "", True
    q = rest[0]
    if q in _QUOTES:
        close = _QUOTES[q]
        end = rest.find(close, 1)
        if q in ("'", "\u2018"):
            # An apostrophe inside the title is not the closing quote: require punctuation or space after.
            while end != -1 and end + 1 < len(rest) and rest[end + 1].isalnum():
                end = rest.find(close, end + 1)
        if end != -1:
            return _clean_title(rest[1:end]), rest[end + 1:].lstrip(" .,;:"), True
        # Unbalanced quote: take the first sentence as the title.
        parts = _split_sentences(rest[1:])
        title = parts[0] if parts else rest[1:]
        return _clean_title(title), rest[1 + len(title):].lstrip(" .,;:"), False
    link = _LINK_START.search(rest)
    head = rest[: link.start()] if link else rest
    parts = _split_sentences(head, after_quotes=True)
    if not parts:
        return None, rest, True
    title = parts[0]
    idx = rest.find(title) + len(title)
    return _clean_title(title), rest[idx:].lstrip(" .,;:"), True


def _clean_title(title: str) -> str:
    t = " ".join(title.split())
    if t.endswith((".", ",")) and not t.endswith(("..", " al.")):
        last = t[:-1].rsplit(None, 1)[-1] if t[:-1].strip() else ""
        if not (len(last) <= 2 and last[:1].isupper()) or t.endswith(","):
            t = t[:-1]
    return t.strip()


def is_news(name: str) -> bool:
    """Whether an outlet's name is a newspaper's or a news agency's ("Korea Times", "Yonhap")."""
    words = [w.strip(".,").lower() for w in name.split()]
    return name.strip().lower() in _NEWS_NAMES or any(w in _NEWS_WORDS for w in words)


#: How much a book shape (an unquoted title, no link, no volume or pages) lowers the confidence,
#: so that ``citekit.parse_reference`` asks the tagger too (see ``citekit.parse._choose``).
BOOK_SHAPE_PENALTY = 0.2


_SPACE_RUN = re.compile(r"(?<! )  +")


def parse_authordate(text: str) -> Entry:
    """Parse one author-date reference string into an Entry (``confidence`` in 0..1).

    A leading repeated-author dash (``______.``) is skipped and leaves ``author`` empty: the reader,
    which knows the previous entry, resolves it.
    """
    entry = Entry()
    confidence = 1.0
    s = " ".join(text.split()) if "\n" in text or "\t" in text else text.strip()
    if "   " in s:
        # Long runs of spaces (a PDF's justified line) say nothing, and several patterns
        # below try every position of such a run: two spaces stand for any run.
        s = _SPACE_RUN.sub("  ", s)
    m = _NUMBER_RE.match(s)
    if m:
        entry.extra["citation-number"] = s[m.start():m.end()].strip(" .[])")
        s = s[m.end():]
    dash = DASH_RE.match(s)
    if dash:
        s = s[dash.end():]

    ym = _find_year(s)
    if ym is None:
        # No year after the authors: take the authors up to the first sentence end.
        confidence -= 0.3
        parts = _split_sentences(s) if not dash else []
        head = parts[0] if parts and not parts[0].startswith(tuple(_QUOTES)) else ""
        if head and len(head) < 150 and not _LINK_START.match(head):
            entry.author, entry.et_al = parse_names(head)
            rest = s[s.find(head) + len(head):].lstrip(" .,")
        else:
            rest = s
    else:
        head = s[: ym.start()]
        entry.author, entry.et_al = parse_names(head.rstrip(" ([,")) if head.strip(" ([.,") else ([], False)
        if EDITED_HEAD.search(head.rstrip(" ([,")):
            entry.editor, entry.author = entry.author, []  # "Smith, J. (Ed.). (2015)."
        if ym.group("year"):
            entry.issued = Date(year=int(ym.group("year")))
            if ym.group("suffix"):
                entry.extra["year-suffix"] = ym.group("suffix")
        else:
            entry.extra["date-text"] = ym.group("nd")
            if ym.group("nd").lower() in ("in press", "forthcoming"):
                # APA's "(in press)": CSL's publication status, which styles print in the
                # date's place (APA, Chicago) or after the container (IEEE)
                entry.extra["status"] = ym.group("nd").lower()
        rest = s[ym.end():]
        # APA: "(2024, April 15)."
        apa = re.match(r"^,\s*([^)]{3,25})\)", rest)
        if apa and entry.issued:
            md = parse_month_day(apa.group(1))
            if md:
                entry.issued.month, entry.issued.day = md.month, md.day
                rest = rest[apa.end():]
        rest = rest.lstrip(" .),:;]")

    quoted = bool(rest) and rest[0] in _QUOTES
    title, rest, ok = _take_title(rest)
    if title and (ed := _TITLE_EDITION.search(title)):
        # APA: "Publication manual of the … (7th ed.)": the edition follows the title
        entry.extra["edition"] = ed.group("ed") if ed.group("ed")[0].isdigit() \
            else f"{ed.group('ed')} ed."  # "(Rev. ed.)": styles print a word edition whole
        title = title[: ed.start()].rstrip()
    described = False
    if title and title.endswith("]") and (desc := _DESCRIPTION(title)) and \
            _DESCRIPTION_WORDS(desc.group("d")):
        title = title[: desc.start()].rstrip()
        _description(entry, desc.group("d"))
        described = True
    report = _REPORT_NUMBER(title) if title and title.endswith(")") else None
    if report and report.start() > 0 and report.group("genre") and \
            not report.group("genre").lower().startswith(("vol", "pt", "part")):
        # APA's "Depression (NIH Publication No. 21-MH-8079)": the report's genre and number;
        # a dissertation's "(Publication No. 10802046) [Doctoral dissertation, …]" keeps
        # its genre and only gives the number
        title = title[: report.start()].rstrip()
        entry.extra["number"] = report.group("number")
        if not described:
            entry.extra["genre"] = report.group("genre")
            entry.extra["_report"] = True
            described = True  # (a report, not a book's shape this grammar cannot read)
    entry.title = title or None
    if not ok:
        confidence -= 0.2
        entry.diagnostics["parse-warning"] = "unbalanced quotation marks around the title"

    # Accessed date anywhere after the title.
    acc = _ACCESSED_RE.search(rest)
    if acc:
        d = parse_month_day(acc.group("d")) or _loose_date(acc.group("d"))
        if d is not None:
            entry.accessed = d
            rest = (rest[: acc.start()] + " " + rest[acc.end():]).strip()

    link = _LINK_START.search(rest)
    middle = rest
    if link:
        middle = rest[: link.start()]
        tail = rest[link.start():]
        tail = re.sub(r"^(?:retrieved|available)(?:\s+(?:online|from|at))*:?\s*", "", tail, flags=re.I)
        entry.url, entry.doi = find_links(tail)
        middle = _RETRIEVED_FROM.sub("", middle.rstrip()).rstrip()
    _parse_middle(entry, middle.strip(" .,;"))
    if entry.extra.get("_report") and entry.container_title and not entry.publisher and \
            not (entry.volume or entry.issue or entry.page):
        # "(Report No. 5). Statistics Korea.": the sentence after a report's title names
        # its publisher
        entry.publisher, entry.container_title = entry.container_title, None
    entry.type = _infer_type(entry, quoted)
    if described and entry.type == "report":
        if _FILM(entry.extra.get("genre", "")) and not entry.url:
            entry.type = "motion_picture"  # "Title [Motion picture]. Studio.": its publisher
            if entry.container_title and not entry.publisher:
                entry.publisher, entry.container_title = entry.container_title, None
        elif entry.container_title and entry.url:
            entry.type = "webpage"  # "Title [Video]. YouTube. https://…"
    if entry.type == "thesis" and entry.publisher and entry.container_title:
        # APA's "[Doctoral dissertation, Harvard University]. ProQuest Dissertations …"
        entry.extra["archive"], entry.container_title = entry.container_title, None
    if not entry.author and not dash:
        confidence -= 0.1
    if entry.title is None:
        confidence -= 0.3
    trailing_pages = entry.extra.pop("_trailing-pages", False) and entry.type not in (
        "chapter", "article-magazine")
    if entry.extra.get("date-text") == "in press" and entry.container_title and \
            _JOURNAL_NAME(entry.container_title) and not entry.publisher:
        # APA's "(in press). Title. Journal of …." has no volume yet
        entry.type = "article-journal"
    elif not quoted and not described and entry.url is None and entry.doi is None and not (
            entry.volume or entry.issue or (entry.page and not trailing_pages)):
        # "Title. Routledge." or "Title (2nd ed.). Oxford University Press.": a book, an edited
        # volume or a report, whose publisher, place and edition this grammar (made for
        # articles, news and web pages) cannot tell from an outlet; the tagger can.
        confidence -= BOOK_SHAPE_PENALTY
        entry.diagnostics["book-shape"] = True
    if entry.container_title and entry.container_title[:1] in _CJK_MARKS and \
            entry.container_title[-1:] == _CJK_MARKS[entry.container_title[0]]:
        entry.container_title = entry.container_title[1:-1]  # 『로동신문』: a paper's name
    entry.confidence = round(max(confidence, 0.0), 2)
    return entry


_CJK_MARKS = {"\u300e": "\u300f", "\u300c": "\u300d"}


# APA's description after a title: "[Data set]", "[Video]", "[Doctoral dissertation, X]".
_PRESS = re.compile(r"\b(?:press|books|publishers|publishing|verlag|éditions|editions|"
                    r"editora|editorial|uitgeverij)\b", re.I).search
_DESCRIPTION = re.compile(r"\s*\[(?P<d>[^\[\]]{2,80})\]$").search
# What APA writes in such brackets (its manual's examples); anything else stays in the title.
_DESCRIPTION_WORDS = re.compile(
    r"^(?:data\s?set|video|audio|film|motion picture|(?:audio\s)?podcast(?: episode)?|"
    r"press release|(?:unpublished\s)?manuscript|policy brief|white paper|fact sheet|brochure|"
    r"infographic|map|photograph|image|tweet|(?:lecture\s)?(?:notes|slides)|powerpoint slides|"
    r"(?:computer\s)?software|mobile app|blog post|webinar|(?:conference\s|paper\s)?"
    r"presentation|poster(?: session| presentation)?|working paper|editorial|letter to the "
    r"editor|(?:book|film)?\s?review(?: of .+)?|(?:doctoral|master'?s|ph\.?\s?d\.?|"
    r"bachelor'?s|unpublished)[^,\]]*(?:dissertation|thesis)(?:,.+)?)$", re.I).match
_FILM = re.compile(r"^(?:video|film|motion picture)$", re.I).match
_THESIS_DESCRIPTION = re.compile(
    r"^(?P<genre>(?:doctoral|master'?s|ph\.?\s?d\.?|bachelor'?s|unpublished)[^,]*"
    r"(?:dissertation|thesis))\s*,\s*(?P<school>.+)$", re.I).match


def _description(entry: Entry, text: str) -> None:
    """Record APA's bracketed description of a work: a thesis's kind and school, a data set,
    or any other kind ("Video", "Press release") as the genre, which APA prints in brackets."""
    thesis = _THESIS_DESCRIPTION(text)
    if thesis:
        entry.extra["genre"] = thesis.group("genre")
        entry.publisher = thesis.group("school").strip()
    elif text.lower().replace(" ", "") == "dataset":
        entry.extra["_dataset"] = True
    else:
        entry.extra["genre"] = text


def accessed_note(text: str) -> Date | None:
    """The date of a text that is only an access note ("Accessed July 3, 2024.", "[Retrieved
    on 3 March 2024]"), or None: such a line on its own is a stray piece of the reference above."""
    m = _ACCESSED_RE.fullmatch(text.strip())
    if m is None:
        return None
    return parse_month_day(m.group("d")) or _loose_date(m.group("d"))


def _loose_date(text: str) -> Date | None:
    t = text.strip().rstrip(".,")
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", t)
    if m:
        return Date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(rf"^(?:(\d{{1,2}})\s+)?({_MONTH_NAMES})\.?\s+(?:(\d{{1,2}}),?\s+)?(\d{{4}})$", t, re.I)
    if m:
        day = m.group(1) or m.group(3)
        return Date(int(m.group(4)), MONTHS[m.group(2).lower()], int(day) if day else None)
    return None


_TRAILING_DATE = re.compile(
    rf"^(?P<head>[^,]*[^\d\s,]),\s+(?P<date>(?:(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}"
    rf"|\d{{1,2}}\s+(?:{_MONTH_NAMES})\.?)(?:,?\s*\d{{4}})?"
    rf"|(?:{_MONTH_NAMES})\.?\s+\d{{4}})$", re.I)  # "Foreign Affairs, March 2024"


_APA_EDITORS = re.compile(
    r"^(?P<names>[^()]{2,300}?)\s*\((?:eds?|hrsg|coords?|dirs?)\.?\)\s*,?\s*(?P<rest>.+)$",
    re.I).match
# The parenthesis after an APA book title: "(2nd ed., Vol. 3, pp. 45–67)".
_BOOK_DETAILS = re.compile(
    r"\s*\((?P<d>[^()]*\b(?:pp?|vols?|ed)\.[^()]*)\)$", re.I).search
_DETAIL_PAGES = re.compile(r"^pp?\.\s*(?P<p>\S.*)$", re.I).match
_DETAIL_VOLUME = re.compile(r"^vols?\.\s*(?P<v>\S.*)$", re.I).match
_DETAIL_EDITION = re.compile(r"^(?P<e>.+?)\s+ed\.$", re.I).match


def _book_details(entry: Entry, text: str) -> None:
    """Pages, volume and edition from APA's parenthesis after a book title."""
    for part in text.split(","):
        part = part.strip()
        if m := _DETAIL_PAGES(part):
            entry.page = m.group("p").replace(" ", "")
        elif m := _DETAIL_VOLUME(part):
            entry.volume = m.group("v")
        elif m := _DETAIL_EDITION(part):
            value = m.group("e")
            entry.extra["edition"] = value if value[:1].isdigit() else f"{value} ed."


_EVENT_WORDS = re.compile(
    r"\b(?:proceedings|proc\.|conference|conf\b|symposium|workshop|congress|meeting)", re.I).search
_EDITOR_WORDS = re.compile(r"\((?:eds?|editors?|hrsg|dir|a cura di)\.?\)|\beds?\.|edited by",
                           re.I).search
_TRAILING_PAGES = re.compile(r",\s*pp?\.\s*(?P<p>\d+(?:\s*[–-]\s*\d+)?)$").search


def _pages_may_close(head: str, dated: bool) -> bool:
    """Whether ``head`` is what pages may close in a Harvard reference: "Place: Publisher"
    (a place of one to three capitalised words, no digits; not in a work dated to the month,
    as "The Age: Extra, p. 6" is a newspaper's section) or "Outlet, 3 February"."""
    if _TRAILING_DATE.match(head):
        return True
    place, colon, publisher = head.partition(": ")
    return bool(colon) and not dated and not any(c.isdigit() for c in head) and 1 <= len(
        place.split()) <= 3 and all(w[:1].isupper() for w in place.replace(",", " ").split()
                                    if w not in ("and", "&")) and ": " not in publisher


_EDITION_SEGMENT = re.compile(
    r"^(?P<n>\d{1,3}(?:st|nd|rd|th)|rev\.?|revised|expanded|updated)\s+(?:edn|ed|edition)\.?$",
    re.I).match


def _parse_middle(entry: Entry, middle: str) -> None:
    """Assign container, volume/issue/pages, month/day, publisher, editors from the middle part."""
    if not middle:
        return
    unassigned: list[str] = []
    segments: list[str] = []
    for seg in _split_sentences(middle):
        pages = _TRAILING_PAGES(seg.strip(" .,;")) if "pp" in seg or "p." in seg else None
        if pages and not entry.page and _pages_may_close(seg.strip(" .,;")[: pages.start()],
                                                     bool(entry.issued and entry.issued.month)):
            # Harvard's "Abingdon: Routledge, pp. 101–120." and "The Economist, 3 February,
            # pp. 35–36.": the pages close a place and publisher, or an outlet and its date
            entry.page = pages.group("p").replace(" ", "")
            entry.extra["_trailing-pages"] = True
            seg = seg.strip(" .,;")[: pages.start()]
        dated = _TRAILING_DATE.match(seg.strip(" .,;"))
        # "38 North, January 5, 2024": the outlet, then its date (Chicago's comma form);
        # Harvard's "The Diplomat, 4 May".
        segments.extend([dated.group("head"), dated.group("date")] if dated else [seg])
    for seg in segments:
        seg = seg.strip(" .,;")
        if not seg:
            continue
        md = parse_month_day(seg)
        if md is not None:
            if entry.issued is None:
                entry.issued = Date(year=md.year)
            if md.month is not None:
                entry.issued.month, entry.issued.day = md.month, md.day
            if md.season is not None:
                entry.issued.season = md.season
            continue
        inm = _IN_RE.match(seg)
        # (a lower-case "in" before numbers was always read as a journal; a capital "In"
        # before a proceedings' or an edited book's numbers stays a chapter)
        if inm and not _EDITOR_WORDS(seg) and (seg[0] == "i" or not _EVENT_WORDS(seg)) and \
                (journal := _VIP_RE.search(inm.group("rest"))) \
                and (journal.group("issue") or journal.group("issue2") or journal.group("pages")):
            seg, inm = inm.group("rest"), None  # "in Aevum 73: 93-105": a journal's numbers
        if inm:
            entry.extra["_in"] = True
            seg = inm.group("rest")
            apa = _APA_EDITORS(seg)
            if apa:
                # APA: "In T. J. Pempel (Ed.), The economy-security nexus (2nd ed., pp. 45–67)"
                entry.editor, _ = parse_names(apa.group("names"), natural=True)
                seg = apa.group("rest")
                while details := _BOOK_DETAILS(seg):  # "(Vol. 1) (pp. 96-116)" too
                    seg = seg[: details.start()]
                    _book_details(entry, details.group("d"))
                entry.container_title = seg.strip(" ,.")
                continue
            ed = re.search(r",?\s*(?:edited by|ed\.|eds\.)\s+(?P<names>[^,]+?)(?:,\s*(?P<rest>.*))?$", seg, re.I)
            if ed:
                entry.editor, _ = parse_names(ed.group("names"), natural=True)
                tail = ed.group("rest") or ""
                seg = seg[: ed.start()]
                pm = _PAGES_RE.match(tail.strip())
                if pm:
                    entry.page = pm.group("pages") or pm.group("page")
            entry.container_title = seg.strip(" ,.")
            continue
        vip = _VIP_RE.search(seg)
        if vip and (vip.group("issue") or vip.group("issue2") or vip.group("pages")
                    or vip.group("article")) and vip.start() > 0:
            container = seg[: vip.start()].strip(" ,.")
            if container and not container[-1].isdigit():
                entry.container_title = entry.container_title or container
                entry.volume = vip.group("volume")
                entry.issue = vip.group("issue") or vip.group("issue2")
                if vip.group("pages"):
                    entry.page = vip.group("pages").replace(" ", "")
                if vip.group("article"):
                    entry.extra["number"] = vip.group("article")
                continue
        pm = _PAGES_RE.match(seg)
        if pm:
            entry.page = pm.group("pages") or pm.group("page")
            continue
        edition = _EDITION_SEGMENT(seg)
        if edition and "edition" not in entry.extra:
            # Harvard's "2nd edn.", Chicago's "3rd ed.", "Rev. ed."
            number = edition.group("n")
            entry.extra["edition"] = number if number[:1].isdigit() else f"{number} ed."
            continue
        pp = _PLACE_PUB_RE.match(seg)
        if pp and len(pp.group("place").split()) <= 4:
            entry.publisher_place = pp.group("place").strip()
            entry.publisher = pp.group("publisher").strip(" .")
            continue
        ed = _EDITED_RE.match(seg)
        if ed and not entry.editor:
            entry.editor, _ = parse_names(ed.group("names") or ed.group("names2"), natural=True)
            continue
        if _GENRE_RE.search(seg) and len(seg) < 80 and "genre" not in entry.extra:
            entry.extra["genre"] = seg
            continue
        unassigned.append(seg)
    for seg in unassigned:
        words = {w.strip(".,()").lower() for w in seg.split()}
        if entry.container_title is None and not (words & _PUBLISHER_WORDS and entry.volume is None):
            entry.container_title = seg
        elif entry.publisher is None:
            entry.publisher = seg
        else:
            entry.extra.setdefault("note-text", []).append(seg)


_REPORT_TITLE = re.compile(
    r"\b(?:report|white paper|working paper|policy brief|discussion paper|issue brief)s?\b",
    re.I).search


_TITLE_EDITION = re.compile(
    r"\s*\((?P<ed>\d{1,2}(?:st|nd|rd|th)|Rev\.|Revised|Expanded|Updated)\s+ed(?:ition)?\.?\)$",
    re.I)
_DATA_TITLE = re.compile(
    r"\b(?:index|database|data\s?set|dataset|statistics|indicators|atlas|tracker|"
    r"monitor|barometer|ranking|rankings)\b", re.I).search


_REPORT_NUMBER = re.compile(
    r"\s*\((?P<genre>[A-Z][^()]{0,60}?)?\s*(?:No\.|Number)\s*(?P<number>[\w][\w./-]{0,30})\)$").search
_JOURNAL_NAME = re.compile(
    r"\b(?:journal|review|quarterly|annals|letters|bulletin|transactions|proceedings)\b",
    re.I).search


def _infer_type(entry: Entry, quoted_title: bool = True) -> str:
    """A CSL item type from the fields found.

    An unquoted title with only a link is a standalone online work: ``dataset`` when its title
    names one (an index, a database, statistics), ``report`` when it says so ("White Paper …",
    "Annual Report …"), else ``webpage``; a quoted one is a page of a site: ``webpage``.
    """
    in_book = entry.extra.pop("_in", False)
    if in_book:
        return "chapter"
    if entry.extra.pop("_report", False):
        return "report"
    if entry.extra.pop("_dataset", False):
        return "dataset"
    genre = str(entry.extra.get("genre", "")).lower()
    if "thesis" in genre or "diss" in genre:
        return "thesis"
    if entry.container_title and (entry.volume or entry.issue) :
        return "article-journal"
    if entry.container_title and is_news(entry.container_title):
        return "article-newspaper"
    if entry.publisher and entry.publisher_place and not genre and _PRESS(entry.publisher):
        return "book"  # "London: Anthem Press": a publisher of books
    if genre or (entry.publisher and not entry.container_title and
                 (looks_like_organisation(entry.publisher) or entry.url)):
        return "report"
    if entry.publisher and entry.publisher_place:
        return "book"
    if entry.container_title and entry.issued and entry.issued.month and entry.page and \
            not entry.url:
        return "article-magazine"  # "The Economist, 3 February, pp. 35–36."
    if entry.container_title and entry.page:
        return "article-journal"
    if entry.url and not entry.container_title and not quoted_title and entry.title:
        # "White Paper on Human Rights 2023": a report; "Global Diplomacy Index": a data set;
        # APA's unquoted "Flu season" with its link: a web page
        if _REPORT_TITLE(entry.title):
            return "report"
        return "dataset" if _DATA_TITLE(entry.title) else "webpage"
    if entry.container_title and not entry.url and entry.issued and entry.issued.month and \
            not _JOURNAL_NAME(entry.container_title) and "." not in entry.container_title:
        return "article-magazine"  # "Foreign Affairs, March 2024.": a dated issue, no link
    if entry.url or entry.container_title:
        return "webpage"
    if entry.publisher or entry.extra.get("edition"):
        return "book"
    return "document"
