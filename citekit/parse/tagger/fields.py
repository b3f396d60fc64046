"""Turn tagged spans into clean CSL fields on an :class:`~citekit.model.Entry`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ...model import Date, Entry, Name
from .gazetteer import GAZETTEER_LABELS, default_gazetteer
from .lexicon import JOURNAL_WORDS, MONTHS, ORG_WORDS, PLACE_WORDS, PUBLISHER_WORDS
from ..authordate import is_news
from ..names import EDITED_HEAD, looks_like_organisation, parse_names

__all__ = ["Span", "spans_from_labels", "entry_from_spans", "parse_date"]

_EDGE = " \t\r\n,;:."
_BRACKETS = "()[]{}<>"
_QUOTES = "\"'“”‘’«»„‹›"
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20[0-4]\d)(?!\d)([a-z])?")
_DAY = re.compile(r"(?<!\d)([0-3]?\d)(?:st|nd|rd|th|er|\.)?(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)")
_DOI = re.compile(r"10\.\d{3,9}/[^\s\"<>]+")
_VOL_PREFIX = re.compile(r"^(?:vol(?:ume)?s?|bd|t|tome|band)\.?\s*", re.I)
# Longer words first, and a full stop, a space or a digit after the word ("Nov." is no issue).
_ISSUE_WORDS = r"(?:number|numéro|numero|issue|nos|num|iss|heft|nr|no|n°)(?:\.\s*|\s+|(?=\d))"
_ISSUE_PREFIX = re.compile(r"^" + _ISSUE_WORDS, re.I)
_PAGE_PREFIX = re.compile(r"^(?:pp?|pages?|pgs?|s|S)\.?\s*", re.I)
# The characters that can open a match of _PAGE_PREFIX and _LEAD_IN (case-insensitive, so
# also the long s and the dotted and dotless i; tests/test_tagger_fast_guards.py checks
# every character): text opening with another is left as it is, without a regex call.
_PAGE_PREFIX_FIRST = frozenset("pPsS\u017f")
_LEAD_IN_FIRST = frozenset("iIdD\u0130\u0131")
_VOLUME_COUNT = re.compile(r"^(\d{1,3})\s*(?:vols?|volumes|bde|bände|tomes)\b\.?[\s,.;:]*$", re.I)
_VOL_NO_ISSUE = re.compile(r"^(\w+)\s*[,.]?\s+" + _ISSUE_WORDS + r"(\w[\w/–-]*)[\s,.;:]*$", re.I)
_VOL_ISSUE = re.compile(r"^(\w+)\s*\((\w[\w\s/–-]*)\)\s*[:,]?\s*(.*)$")
_ED_SUFFIX = re.compile(r"\s*(?:ed|edn|edition|éd|aufl|auflage|ed\.)\.?$", re.I)
_EDITION_NOTE = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|rev(?:ised)?\.?|expanded)\s+"
    r"(?:edn|ed|edition)\.?$", re.I).match
_CUE_ACCESS = re.compile(r"(retrieved|accessed|viewed|consulted|abgerufen|cited)", re.I)
# A link without its scheme, tagged as something else: "muse.jhu.edu/article/12345."
_BARE_LINK = re.compile(r"^(?:https?://|www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*$", re.I).match
# Compiled once here rather than looked up in re's cache at every entry.
_WORDS = re.compile(r"[^\W\d_]+").findall
_LEAD_IN = re.compile(r"^(?:in|dans|im)\s*:?\s+", re.I)
_ISBN_PREFIX = re.compile(r"^isbn[:\s-]*", re.I)
_NON_DIGIT = re.compile(r"\D")
# Any of these words in the genre or note / the container (one search instead of a loop).
_REPOSITORY_BEFORE = re.compile(
    r"^([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2}|figshare|bioRxiv|medRxiv)\s+(?=https?://)").match
_ARXIV_URL = re.compile(r"^(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/"
                        r"((?:\d{4}\.\d{4,5}|[a-z.-]+/\d{7})(?:v\d+)?)(?:\.pdf)?/?$", re.I).match
_DATA_REPOSITORIES = frozenset(("zenodo", "figshare", "dryad", "dataverse", "harvard dataverse",
                                "pangaea", "osf", "open science framework", "icpsr", "kaggle",
                                "mendeley data"))
_DOTTED_END = re.compile(r"(?:^|\s)(?:[A-Z]\.)+[A-Z]$").search
_ARXIV = re.compile(r"^(?:arxiv\s+preprint\s+)?arxiv\s*:\s*"
                    r"((?:\d{4}\.\d{4,5}|[a-z.-]+/\d{7})(?:v\d+)?)(?:\s*\[[\w.-]+\])?$",
                    re.I).match
_THESIS_NOTE = re.compile(
    r"^(?:ph\.?\s?d\.?|m\.?\s?s\.?|m\.?\s?a\.?|m\.?\s?sc\.?|doctoral|master'?s|b\.?\s?s\.?|"
    r"bachelor'?s|diploma|habilitation)\s+(?:dissertation|thesis)$", re.I).match
_THESIS_WORD = re.compile(r"thesis|dissertation|phd|diss\.|diss |doctoral").search
_EVENT_WORD = re.compile(
    r"proceedings|conference|symposium|workshop|proc\.|congress|conf\.|annual meeting"
    r"|advances in neural information processing").search
# The proceedings of the best-known computing conferences go by their acronyms alone, but the
# same acronyms name periodicals too ("ACM SIGIR Forum", "AAAI Magazine").
_EVENT_ACRONYM = re.compile(
    r"\b(?:neurips|nips|icml|iclr|cvpr|iccv|eccv|emnlp|naacl|aaai|ijcai|sigir)\b(?![./])").search
_SERIAL_WORD = re.compile(
    r"journal|magazine|forum|review|transactions|letters|bulletin|quarterly|newsletter").search
_YEAR_FIRST = re.compile(r"^\W*\d{4}\s*[A-Za-z]").match
_JOURNAL_WORD = re.compile(r"journal|transactions|letters|proceedings|annals|acta\b").search
_ACCESS_AFTER = re.compile(r"\.?\s+(?=(?:accessed|retrieved|viewed|consulted)\b)", re.I).split
_DATABASE_BEFORE = re.compile(r"^([A-Z][\w&. -]{1,40}?),\s+(?=https?://|www\.)").match
_DOI_LINK = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/", re.I).match
_URL_PREFIX = re.compile(
    r"^(?:\[?online\]?\.?\s*)?(?:url|available(?:\s+(?:at|from|online))?|retrieved from)\s*:?\s*",
    re.I)
# IEEE's "[Online]." marks the medium, not a genre.
_MEDIUM = frozenset({"online", "[online]", "online]", "[online", "internet", "electronic"})
# "Tech. Rep.", "Technical Report", "Rep." in a genre span.
_REPORT_WORD = re.compile(r"report|\brep\b\.?|\btech\.?\s*rep|white paper", re.I).search
# An IEEE title ends inside its quotes ('"Title," WHO,'): the quote closes after a comma or a
# full stop, and what follows it is the next field.
_QUOTED_HEAD = re.compile(r'^(["\u201c])(.+?[,.])(["\u201d])\s*(\S.*)$', re.S).match
_ROLE_AT_END = re.compile(r",\s*(eds|editors|ed|editor)\.?[\s,:]*$", re.I).search


def _EDITORS_TAIL(names: str) -> bool:
    """IEEE's editors: "D. R. Burnett, R. Beckman, and T. M. Davenport, Eds.,"; "Ed." only
    after a name list in natural order ("Smith, Ed." may be a given name)."""
    m = _ROLE_AT_END(names)
    if m is None:
        return False
    return m.group(1).lower() in ("eds", "editors") or _INITIALS_FIRST(names) is not None


_INITIALS_FIRST = re.compile(r"^(?:[A-Z]\.[\s-]?)+[A-Z][a-z]").match
# What may follow an editor list's last name without being a publisher ("A and B, eds.").
_ROLE_TAIL = re.compile(r"^(?:eds?|editors?|hrsg|dir|comps?|trans)\.?$", re.I)
_MONTH_NUM = {
    "jan": 1, "janvier": 1, "januar": 1, "enero": 1, "gennaio": 1,
    "feb": 2, "février": 2, "fevrier": 2, "februar": 2, "febrero": 2, "febbraio": 2,
    "mar": 3, "mars": 3, "märz": 3, "marzo": 3, "apr": 4, "avril": 4, "abril": 4, "aprile": 4,
    "may": 5, "mai": 5, "mayo": 5, "maggio": 5, "jun": 6, "juin": 6, "juni": 6, "junio": 6,
    "giugno": 6, "jul": 7, "juillet": 7, "juli": 7, "julio": 7, "luglio": 7,
    "aug": 8, "août": 8, "aout": 8, "agosto": 8, "sep": 9, "sept": 9, "septembre": 9,
    "septiembre": 9, "settembre": 9, "oct": 10, "octobre": 10, "oktober": 10, "octubre": 10,
    "ottobre": 10, "nov": 11, "novembre": 11, "noviembre": 11, "dec": 12, "décembre": 12,
    "dezember": 12, "diciembre": 12, "dicembre": 12,
}
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


@dataclass(slots=True)  # no __dict__: cheaper to make, one object less for the collector
class Span:
    """A run of tokens with one label: ``[start, end)`` offsets and its weakest token's score."""

    label: str
    start: int
    end: int
    text: str
    confidence: float


def spans_from_labels(text: str, starts: list[int], ends: list[int], labels: list[str],
                      marginals: list[float]) -> list[Span]:
    """Group consecutive tokens sharing a label into spans (tokens labelled ``O`` are dropped)."""
    spans: list[Span] = []
    i = 0
    n = len(labels)
    while i < n:
        lab = labels[i]
        j = i
        conf = marginals[i]
        while j + 1 < n and labels[j + 1] == lab:
            j += 1
            if marginals[j] < conf:
                conf = marginals[j]
        if lab != "O":
            spans.append(Span(lab, starts[i], ends[j], text[starts[i]:ends[j]], conf))
        i = j + 1
    return spans


# First and last characters that the loop in _clean may remove (beside _EDGE).
_OPENERS = frozenset(_QUOTES + "([")
_CLOSERS = frozenset(_QUOTES + ")]")


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(_EDGE)
    if text and text[0] not in _OPENERS and text[-1] not in _CLOSERS:
        return text  # nothing for the loop below to strip (the usual case)
    prev = None
    while prev != text:
        prev = text
        text = text.strip(_EDGE)
        if text[:1] in _QUOTES and (text[-1:] in _QUOTES or not _has_inner(text[1:], text[0])):
            text = text[1:]
        if text[-1:] in _QUOTES:
            text = text[:-1]
        if text[:1] in "([" and text.count(")") + text.count("]") < \
                text.count("(") + text.count("["):
            text = text[1:]
        if text[-1:] in ")]" and text.count(")") + text.count("]") > \
                text.count("(") + text.count("["):
            text = text[:-1]
        if text[:1] in "([" and text[-1:] in ")]":
            text = text[1:-1]
    return text


def _has_inner(text: str, quote: str) -> bool:
    return any(q in text for q in _QUOTES)


_PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "„": "“", "‹": "›"}


# A title that neither opens nor closes with one of these is left as it is by the loop in
# _clean_title (its strip, full stop and quote steps all need one): tested before each round.
_TITLE_OPENERS = frozenset(" ,;:" + "".join(_PAIRS))
_TITLE_CLOSERS = frozenset(" ,;:." + "”»\"")


def _clean_title(text: str) -> str:
    text = " ".join(text.split())
    for _ in range(4):
        if text[:1] not in _TITLE_OPENERS and text[-1:] not in _TITLE_CLOSERS:
            break  # (the usual case after the first round, or at once)
        before = text
        text = text.strip(" ,;:")
        if text.endswith(".") and not text.endswith(("..", " al.")):
            text = text[:-1].rstrip()
        if text[:1] in _PAIRS:
            close = _PAIRS[text[0]]
            body = text[1:]
            # Apostrophes look like closing single quotes, so only the last one counts there.
            if body.endswith(close) and (close in "’'" or close not in body[:-1]):
                text = body[:-1]
            elif close not in body:
                text = body
        elif text[-1:] in "”»\"" and not any(q in text[:-1] for q in "“«\""):
            text = text[:-1]
        if text == before:
            break
    return text


# An abbreviated name ends with its last abbreviation's full stop: "IEEE Trans. Intell. Syst.",
# "Tech. Rep.", "J. Am. Chem. Soc." (an abbreviated word before a short capitalised last one).
_SHORT_WORD = re.compile(r"[A-Z][a-z]{0,5}").fullmatch


# Common ISO 4 abbreviations of journal-title words that are longer than the rule above allows
# ("IEEE Trans. Signal Process.", "Ind. Electron.", "Food Technol. Biotechnol.").
_ISO4_WORDS = frozenset("""
process electron technol biotechnol comput commun environ manag appl theor psychol sociol
anthropol philos polit econ geogr geol hist stud neurosci pharmacol microbiol immunol oncol
cardiol pediatr nanotechnol astrophys geophys oceanogr meteorol agric nutr ophthalmol
dermatol gastroenterol hepatol endocrinol metab nephrol gynecol obstet radiol anesth rehabil
recognit intell autom robot netw softw secur archit microw propag mater struct mech anal
syst mol genet ecol evol biol chem phys math sci eng med clin surg nurs educ ling lit cult
assoc inst univ dev des stat opt ind int natl acad proc conf symp lett rev bull mag ann
neurophysiol crystallogr statist physiol biochem biophys pathol toxicol virol zool entomol
spectrosc chromatogr pharmaceut psychiatr neurol epidemiol
""".split())


def _abbreviated_name(cleaned: str, raw: str) -> str:
    """``cleaned`` with the full stop of its last abbreviation given back, when ``raw`` had it."""
    if "." not in raw or not raw.rstrip(" ,;:").endswith(cleaned + "."):
        return cleaned
    words = cleaned.split()
    last = words[-1] if words else ""
    earlier = any(w.endswith(".") and (_SHORT_WORD(w[:-1]) or w[:-1].lower() in _ISO4_WORDS)
                  for w in words[:-1])
    if earlier and (_SHORT_WORD(last) or last.lower() in _ISO4_WORDS):
        return cleaned + "."
    return cleaned


def parse_date(text: str) -> Date:
    """Read a year, month and day (in any common order) from a date span."""
    clean = _clean(text)
    if ";" in clean:
        head = clean.split(";", 1)[0]
        if _YEAR.search(head):
            clean = head  # NLM's "2018 Mar; 2018 Jan 9": the issue's date, then the e-pub's
    m = _NUMERIC_DATE.search(clean)
    if m:
        month = int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
        if 1 <= month <= 12 and (day is None or 1 <= day <= 31):
            return Date(year=int(m.group(1)), month=month, day=day)
    ym = _YEAR.search(clean)
    if not ym:
        low = clean.lower()
        if low in ("n.d", "nd", "s.d", "o.j", "n. d", "no date"):
            return Date(literal="n.d.")
        date = Date()
        rest = clean
    else:
        date = Date(year=int(ym.group(1)))
        rest = clean[: ym.start()] + " " + clean[ym.end():]
    month = None
    for word in _WORDS(rest):
        low = word.lower()
        if low in _SEASONS:
            date.season = _SEASONS[low]
            continue
        if low in MONTHS:
            month = _MONTH_NUM.get(low) or _MONTH_NUM.get(low[:3])
            if month:
                break
    if month:
        date.month = month
        dm = _DAY.search(rest)
        if dm and 1 <= int(dm.group(1)) <= 31:
            date.day = int(dm.group(1))
    if clean.lower().startswith(("c.", "ca.", "circa")):
        date.circa = True
    if date.year is None and date.month is None and date.season is None:
        return Date(literal=clean) if clean else Date()
    return date


# Date spans repeat ("(2010).", "2019;"): their fields are kept per text (a new Date is made
# for every entry, since entries' dates are changed later). Cleared past this many texts.
_DATES_MAX = 20_000
_DATES: dict[str, Date] = {}


def _parse_date_cached(text: str) -> Date:
    """:func:`parse_date`, its result kept per span text."""
    hit = _DATES.get(text)
    if hit is None:
        d = parse_date(text)
        if len(_DATES) >= _DATES_MAX:
            _DATES.clear()
        hit = _DATES[text] = d
    # A new Date with the same fields: what dataclasses.replace(hit) makes, without its
    # walk over the fields (tests/test_tagger_fields.py checks the field list).
    return Date(hit.year, hit.month, hit.day, hit.season, hit.circa, hit.literal)


def _by_label(spans: list[Span]) -> dict[str, list[Span]]:
    """Spans grouped by label, in order."""
    out: dict[str, list[Span]] = {}
    for s in spans:
        hits = out.get(s.label)
        if hits is None:
            out[s.label] = [s]
        else:
            hits.append(s)
    return out


def _first(spans: dict[str, list[Span]], label: str) -> Span | None:
    hits = spans.get(label)
    return hits[0] if hits else None


def _joined(spans: dict[str, list[Span]], label: str) -> tuple[str, float] | None:
    hits = spans.get(label)
    if not hits:
        return None
    if len(hits) == 1:
        return hits[0].text, hits[0].confidence
    return " ".join(s.text for s in hits), min(s.confidence for s in hits)


# Labels whose spans the fields step reads by label (the rest it leaves: "O" is never a span,
# "note" and "identifier" are read from the span list, "doi" and "url" by _links).
_AUTHORS = ("author", "editor", "translator")


def entry_from_spans(text: str, spans: list[Span]) -> Entry:
    """Build an entry from tagged spans.

    Per-field confidences go to ``extra["parse-confidence"]``, keyed by CSL variable name.
    """
    entry = Entry()
    conf: dict[str, float] = {}
    by_label = _by_label(spans)
    # Most labels are absent from a given reference: each step below looks first whether
    # its label is there (a set test, no call).

    def note(key: str, value: float) -> None:
        conf[key] = round(min(conf.get(key, 1.0), value), 3)

    if "author" in by_label and "pages" in by_label:
        _initials_as_pages(text, by_label)
    if "(ed" in text and " in " in text:
        _nature_chapter(text, by_label)
    if "title" in by_label:
        _vancouver_title_slips(text, by_label)
    if "title" not in by_label and "container-title" in by_label:
        _quoted_title_in_container(text, by_label)
    if "title" not in by_label and "note" in by_label:
        _note_as_title(spans, by_label)
    if "author" in by_label and (": " in (first_author := by_label["author"][0].text) or (
            first_author[-1:] == "," and " " not in first_author)):
        _german_colon(text, by_label)  # (the test first: a colon is rare in a name span)
    if "title" in by_label and len(by_label.get("date", ())) >= 2:
        original = _reprint(by_label)
        if original is not None:
            entry.extra["original-date"] = _parse_date_cached(original.text)
    if "author" in by_label and "title" not in by_label:
        _title_in_author(text, by_label)
    if "title" in by_label and not any(k in by_label for k in _AUTHORS):
        _organisation_before_quoted_title(by_label)
    if "container-title" in by_label and "location" in by_label:
        _publisher_as_container(text, by_label)
    if "title" in by_label and len(by_label.get("date", ())) >= 2:
        _year_opening_title(text, by_label)
    if "publisher" in by_label and not any(k in by_label for k in _AUTHORS):
        _leading_publisher(text, by_label)
    if "title" in by_label and "publisher" not in by_label and "container-title" not in by_label:
        _publisher_in_title(text, by_label)
    if "publisher" in by_label and "container-title" not in by_label \
            and "location" not in by_label:
        _outlet_with_medium(by_label)
    if "location" in by_label and "publisher" not in by_label \
            and "container-title" not in by_label:
        _publisher_as_place(text, by_label)
    if "editor" in by_label and "publisher" not in by_label and "title" in by_label:
        _publisher_as_editor(text, by_label)

    publisher_tail: str | None = None
    for role in _AUTHORS:
        if role not in by_label:
            continue
        got = _joined(by_label, role)
        if not got:
            continue
        if role == "editor" and "publisher" not in by_label:
            tail = _after_last_name(got[0])
            if tail and not _ROLE_TAIL.match(tail[1]) and len(tail[1].split()) <= 6:
                got = (tail[0], got[1])
                publisher_tail = tail[1]
        if role == "author" and "_organisation" in by_label:
            names, et_al = [Name(literal=_clean(got[0]))], False
        else:
            names, et_al = parse_names(got[0], natural=True)
        if not names and not et_al:
            continue
        if role == "author" and not _first(by_label, "editor") and (
                EDITED_HEAD.search(got[0]) or _EDITORS_TAIL(got[0])):
            # APA's "Lee, S. (Ed.). (2015)", IEEE's "D. R. Burnett and R. Beckman, Eds.,":
            # the head names the editors
            role = "editor"
        if role == "translator":
            entry.extra["translator"] = names
        else:
            setattr(entry, role, names)
        if et_al and (role == "author" or not entry.author):
            entry.et_al = True
        note(role, got[1])
    if "title" in by_label:
        got = _joined(by_label, "title")
        if got:
            # (not beside a container: '"Fake news," propaganda and …' goes on as the title)
            head = _QUOTED_HEAD(got[0]) if (
                publisher_tail is None and "publisher" not in by_label
                and "container-title" not in by_label and got[0][:1] in "\"\u201c") else None
            if head and len(head.group(4).split()) <= 6 and head.group(4).strip(_EDGE):
                got = (head.group(2), got[1])
                publisher_tail = head.group(4)
            value = _take_medium(_clean_title(got[0]), entry)
            if value:
                entry.title = value
                note("title", got[1])
    if "container-title" in by_label:
        got = _joined(by_label, "container-title")
        if got:
            value = _clean_title(got[0])
            if value[:1] in _LEAD_IN_FIRST:
                value = _LEAD_IN.sub("", value)
            value = _take_medium(_abbreviated_name(value, got[0]), entry)
            if value:
                entry.container_title = value
                note("container-title", got[1])
    for label in ("collection-title", "genre"):
        hits = by_label.get(label)
        if not hits:
            continue
        if label == "genre":
            hits = [h for h in hits if _clean(h.text).lower() not in _MEDIUM]
        got = _joined({label: hits}, label) if hits else None
        if got and _clean_title(got[0]):
            value = _abbreviated_name(_clean_title(got[0]), got[0])
            if label == "genre" and value.lower().endswith(" diss") and \
                    got[0].rstrip(" ,;:").endswith("."):
                value += "."  # Chicago's "PhD diss."
            entry.extra[label] = value
            note(label, got[1])
    dates = by_label.get("date", ())
    for i, span in enumerate(dates):
        if "/" in span.text and _BARE_LINK(span.text.rstrip(".,;")):
            if entry.url is None:  # MLA's "Project MUSE, muse.jhu.edu/…" read as a date
                entry.url = span.text.rstrip(".,;")
                note("URL", span.confidence)
            continue
        cited = _CITED(span.text).start() if "cited" in span.text and _CITED(span.text) else -1
        if cited > 0 and entry.accessed is None:
            # Vancouver's "2021 [cited 2024 Mar 3]": the publication date, then the access date
            entry.accessed = _parse_date_cached(span.text[cited:])
            note("accessed", span.confidence)
            span = Span("date", span.start, span.start + cited, span.text[:cited],
                        span.confidence)
        date = _parse_date_cached(span.text)
        if i > 0 and (_CUE_ACCESS.search(text[: span.start][-60:])
                      or _CUE_ACCESS.match(span.text)):  # the cue inside the span
            if entry.accessed is None:
                entry.accessed = date
                note("accessed", span.confidence)
        elif entry.issued is not None and date.month and not entry.issued.month and \
                date.year in (None, entry.issued.year):
            # "2024. ... Global NK. April 15." - the month and day come after the container.
            entry.issued.month, entry.issued.day = date.month, date.day
        elif entry.issued is None:
            entry.issued = date
            ym = _YEAR.search(span.text)
            if ym and ym.group(2):
                entry.extra["year-suffix"] = ym.group(2)
            note("issued", span.confidence)
    if "volume" in by_label or "issue" in by_label or "pages" in by_label:
        _volume_issue_pages(entry, by_label, note)
    if "location" in by_label and len(by_label.get("publisher", ())) >= 2:
        _place_before_place(text, by_label)
    if "location" in by_label and "publisher" in by_label:
        _university_press(text, by_label)
    for label, attr, key in (("publisher", "publisher", "publisher"),
                             ("location", "publisher_place", "publisher-place")):
        if label in by_label:
            got = _joined(by_label, label)
        elif label == "publisher" and publisher_tail:
            got = (publisher_tail, conf.get("title", conf.get("editor", 1.0)))
        else:
            continue
        if got:
            value = _clean(got[0])
            if value and value[-1:].isupper() and _DOTTED_END(value) and \
                    got[0].rstrip(" ,;:").endswith("."):
                value += "."  # "London, U.K.:", "Washington, D.C.:"
            if value:
                setattr(entry, attr, value)
                note(key, got[1])
    if "edition" in by_label:
        got = _joined(by_label, "edition")
        if got:
            cleaned = _clean(got[0])
            # "2nd ed." is edition 2nd; a word edition stays whole ("Rev. ed.", "Revised
            # edition"), as styles print a non-numeric edition as it is
            value = _edition_value(cleaned)
            if value:
                entry.extra["edition"] = value
                note("edition", got[1])
    if "doi" in by_label or "url" in by_label:
        _links(entry, spans, note)
    if "isbn" in by_label:
        got = _joined(by_label, "isbn")
        if got:
            value = _ISBN_PREFIX.sub("", _clean(got[0]))
            entry.extra["ISBN"] = value
            note("ISBN", got[1])
    if "note" in by_label or "identifier" in by_label:
        notes = [s for s in spans if s.label == "note" or s.label == "identifier"]
        parts = [_clean(s.text) for s in notes]
        for part in parts:
            if entry.accessed is None and part and _CUE_ACCESS.fullmatch(part.split()[0]):
                when = parse_date(part.split(None, 1)[1]) if " " in part else None
                if when is not None and when.year:
                    # MLA's "Accessed 5 Jan. 2024." read as a note
                    entry.accessed = when
                    note("accessed", min(s.confidence for s in notes))
        if any(p.lower() in ("preprint", "preprint at") for p in parts):
            entry.extra["_preprint"] = True  # Nature's "Preprint at https://…"
        parts = [p for p in parts if p and not _CUE_ACCESS.fullmatch(p.split()[0])
                 and p.lower() not in ("retrieved from", "available at", "available from",
                                       "preprint at")]
        arxiv = [p for p in parts if _ARXIV(p)]
        if arxiv and not entry.container_title and "number" not in entry.extra:
            # "2013, arXiv:1301.3781": a preprint, as reference managers export it
            entry.extra["number"] = _ARXIV(arxiv[0]).group(1)
            entry.publisher = entry.publisher or "arXiv"
            entry.extra["_preprint"] = True
            parts.remove(arxiv[0])
        thesis = [p for p in parts if _THESIS_NOTE(p)]
        if thesis and "genre" not in entry.extra:
            # IEEE's "Ph.D. dissertation," tagged as a note: the thesis's kind
            entry.extra["genre"] = thesis[0]
            note("genre", min(s.confidence for s in notes))
            parts.remove(thesis[0])
        edition = [p for p in parts if _EDITION_NOTE(p)]
        if edition and "edition" not in entry.extra:
            # Harvard's "2nd edn." tagged as a note
            entry.extra["edition"] = _edition_value(edition[0])
            note("edition", min(s.confidence for s in notes))
            parts.remove(edition[0])
        if parts:
            entry.note = "; ".join(parts)
            note("note", min(s.confidence for s in notes))
    if "citation-number" in by_label:
        digits = _NON_DIGIT.sub("", by_label["citation-number"][0].text)
        if digits:
            entry.extra["citation-number"] = digits
    if entry.title is None and entry.container_title and not (
            entry.volume or entry.issue or entry.page or "chapter-number" in entry.extra):
        # A lone "container" with nothing of a journal about it is the work's own title.
        entry.title, entry.container_title = entry.container_title, None
        if "container-title" in conf:
            conf["title"] = conf.pop("container-title")
    if entry.publisher and not entry.publisher_place and _only_places(entry.publisher):
        # IEEE's "…," Seoul, South Korea, 2023." read as a publisher: it is the place
        entry.publisher_place, entry.publisher = entry.publisher, None
    if entry.container_title and not (entry.volume or entry.issue or entry.page) and \
            ", " in entry.container_title:
        _report_container(entry)
    if entry.issued is not None and entry.issued.year is None and \
            (entry.issued.literal or "").lower().strip(" .()") in ("forthcoming", "in press"):
        # a work not yet out: CSL's publication status, which styles print in the date's place
        entry.extra["status"] = entry.issued.literal.lower().strip(" .()")
        entry.issued = None
    issued_at = _first(by_label, "date")
    entry.type = infer_type(entry, year_first=issued_at is not None
                            and _YEAR_FIRST(issued_at.text) is not None)
    if "_report" in by_label and entry.type == "book":
        entry.type = "report"
    if entry.container_title and not (entry.volume or entry.issue or entry.page) and \
            not entry.publisher and entry.container_title.lower() in _DATA_REPOSITORIES:
        # "Zenodo https://doi.org/…" with the repository read as a journal
        entry.publisher, entry.container_title = entry.container_title, None
        entry.type = "dataset"
    elif entry.type in ("book", "webpage", "document") and entry.publisher and \
            entry.publisher.lower() in _DATA_REPOSITORIES and not entry.container_title:
        entry.type = "dataset"  # "Zenodo https://doi.org/…"
    if entry.extra.pop("_preprint", False) and (entry.type in ("document", "webpage") or (
            entry.type == "book" and entry.publisher == "arXiv" and not entry.publisher_place
            and "edition" not in entry.extra)):
        entry.type = "article"
    if entry.type == "book" and entry.title and _REPORT_TITLE(entry.title) and (
            not entry.author or any(n.literal for n in entry.author)
            or _KIND_OF_REPORT(entry.title)):
        # "2022 Defense White Paper" by a ministry, a "Technical Design Report" (not Aldiss's
        # novel "Report on Probability A")
        entry.type = "report"
    if entry.type == "book" and entry.title and not entry.publisher_place and not (
            entry.extra.get("edition") or entry.extra.get("ISBN")) and entry.publisher \
            and entry.issued and entry.issued.day and _quoted_in(text, entry.title):
        # Chicago's web page: '"China's Maritime Militia." CNA Corporation, March 7, 2016.' (a
        # book's title is not quoted, nor dated to the day): the publisher is the site
        entry.container_title, entry.publisher = entry.publisher, None
        entry.type = "webpage"
    if entry.type == "paper-conference" and entry.container_title:
        _event_place(entry)
        if entry.publisher_place and not entry.publisher:
            # a proceedings' place with no publisher is where the event was; styles print one
            # or the other, so both are given (as reference managers export them)
            entry.extra.setdefault("event-place", entry.publisher_place)
        elif "event-place" in entry.extra and not entry.publisher_place and \
                not entry.publisher and _clean_place(str(entry.extra["event-place"])):
            # (only a clean place: "Part I, Prague" or "LFCS'97, Yaroslavl" stays the event's)
            entry.publisher_place = entry.extra["event-place"]
    entry.extra["parse-confidence"] = conf
    return entry


def _vancouver_title_slips(text: str, by_label: dict[str, list[Span]]) -> None:
    """Mend the title spans of numbered (Vancouver) references:

    - "1. World Health Organization. Obesity …" read as one title: the number is the
      citation number and an organisation's name before the first full stop is the author;
    - "Title. In: A, B, editors. Book." read as two titles around the editors: the second is
      the book (the container).
    """
    titles = by_label["title"]
    first = titles[0]
    number = _LEADING_NUMBER(first.text)
    if number and "citation-number" not in by_label and not text[:first.start].strip():
        # (only a number that opens the reference: "Smith J. 2. Auflage …" keeps its title)
        by_label["citation-number"] = [Span("citation-number", first.start, first.start +
                                            number.end(), number.group(0), first.confidence)]
        rest = first.start + number.end()
        head, dot, _ = text[rest:first.end].partition(". ")
        if dot and not any(k in by_label for k in _AUTHORS) and looks_like_organisation(head):
            by_label["author"] = [Span("author", rest, rest + len(head) + 1,
                                       text[rest:rest + len(head) + 1], first.confidence)]
            rest += len(head) + 2
        titles[0] = Span("title", rest, first.end, text[rest:first.end], first.confidence)
    if len(titles) == 2 and "container-title" not in by_label and any(
            titles[0].end <= e.start and e.end <= titles[1].start
            and _LEAD_IN.match(e.text) for e in by_label.get("editor", ())):
        by_label["container-title"] = [Span("container-title", titles[1].start, titles[1].end,
                                            titles[1].text, titles[1].confidence)]
        del titles[1]


def _leading_publisher(text: str, by_label: dict[str, list[Span]]) -> None:
    """A reference with no author whose first field was read as a publisher: that is its
    author, an organisation ("12. World Health Organization. Global tuberculosis report.");
    when the name was cut at its first words ("World Health" | "Organization. Global …"), the
    title's head up to its first full stop completes it."""
    press = by_label["publisher"][0]
    number = by_label.get("citation-number")
    lead = number[0].end if number and number[0].end <= press.start else 0
    if text[lead:press.start].strip(" \t[]().") or "title" not in by_label:
        return
    title = by_label["title"][0]
    if title.start < press.end or text[press.end:title.start].strip():
        return
    name_end = press.end
    if not press.text.rstrip().endswith("."):
        head, dot, _ = title.text.partition(". ")
        if not dot or len(head.split()) > 3 or not looks_like_organisation(
                text[press.start:title.start] + head):
            return
        name_end = title.start + len(head) + 1
        rest = name_end + 1
        by_label["title"][0] = Span("title", rest, title.end, text[rest:title.end],
                                    title.confidence)
    by_label["author"] = [Span("author", press.start, name_end, text[press.start:name_end],
                               press.confidence)]
    by_label["_organisation"] = []  # (a marker: the author is one organisation's name)
    by_label["publisher"] = by_label["publisher"][1:]
    if not by_label["publisher"]:
        del by_label["publisher"]


_GENRE_LIKE = re.compile(
    r"thesis|th[eè]se|dissertation|diss\.|dipl[oô]m|report|rapport|e-?prints?|preprint|"
    r"communication|unpublished|in press|submitted|manuscript|arxiv|lecture|talk|poster",
    re.I).search


def _quoted_title_in_container(text: str, by_label: dict[str, list[Span]]) -> None:
    """MLA's '"Inequality and Voting." Asian Survey, vol. 60' read as one container: the
    quoted part is the title, the rest the container."""
    box = by_label["container-title"][0]
    head = _QUOTED_HEAD(box.text)
    if not head or not head.group(4).strip(_EDGE):
        return
    cut = box.start + len(box.text) - len(head.group(4))
    by_label["title"] = [Span("title", box.start, cut, text[box.start:cut], box.confidence)]
    by_label["container-title"][0] = Span("container-title", cut, box.end, text[cut:box.end],
                                          box.confidence)


_SMALL_WORDS = frozenset("of for and the on in at to de du des la le".split())


def _publisher_in_title(text: str, by_label: dict[str, list[Span]]) -> None:
    """"2023 White Paper on Unification. Ministry of Unification, 2023." read with the
    publisher in the title: a last sentence of the title that names an organisation (or
    repeats the author) is the publisher."""
    title = by_label["title"][-1]
    body = title.text.rstrip()
    cut = body.rstrip(" ,.;:").rfind(". ")
    if cut <= 0 or body[:1] in _QUOTES:
        return
    tail = body[cut + 2:]
    name = tail.strip(" ,.;:")
    author = by_label.get("author")
    same = bool(author) and _clean(author[0].text) == name
    words = name.split()
    if not name or len(words) > 8 or "," in name or len(body[:cut].split()) < 2 or not (
            same or (any(w.lower() in ORG_WORDS for w in words) and all(
                w[:1].isupper() or w in _SMALL_WORDS for w in words))):
        return
    start = title.start + cut + 2
    by_label["title"][-1] = Span("title", title.start, title.start + cut + 1,
                                 text[title.start:title.start + cut + 1], title.confidence)
    by_label["publisher"] = [Span("publisher", start, title.end, text[start:title.end],
                                  title.confidence)]


_HEAD_LABELS = frozenset(("author", "editor", "date", "citation-number"))


def _note_as_title(spans: list[Span], by_label: dict[str, list[Span]]) -> None:
    """"Chang, H.-J. (2002) Kicking away the ladder. London: Anthem Press." read with the
    title as a note: with no title, a note that comes first after the names and the date,
    with the names before it, is the title."""
    first = by_label["note"][0]
    if len(first.text.split()) < 4 or _GENRE_LIKE(first.text):
        return  # "Ph.D. thesis", "Thèse", "ArXiv e-prints", "private communication"
    before = [s.label for s in spans if s.end <= first.start]
    if not before or not set(before) <= _HEAD_LABELS or not (
            "author" in before or "editor" in before) or first is spans[-1]:
        return
    by_label["title"] = [Span("title", first.start, first.end, first.text, first.confidence)]
    by_label["note"] = by_label["note"][1:]
    if not by_label["note"]:
        del by_label["note"]


# Nature's chapter, which has no chapter title: "Vaswani, A. et al. in Advances in Neural
# Information Processing Systems 30 (eds Guyon, I. et al.) 5998–6008 (Curran Associates, 2017).",
# or its chapter's number instead of pages ("(eds Jones, A.) Ch. 4 (Routledge, 2019).").
_NATURE_CHAPTER = re.compile(
    r"(?P<etal>\bet al\.\s+)?\bin (?P<book>[A-Z][^()]{2,300}?) \((?:eds?\.?|ed\.) "
    r"(?P<eds>[^()]{2,300}?)\)\s*(?P<chapter>(?:[Cc]h|[Cc]hap)\.\s*\d{1,3}\s*)?"
    r"(?P<pages>[\dxivlc]+(?:\s*[\u2013-]\s*[\dxivlc]+)?)?\s*"
    r"\((?P<pub>[^()]{2,200}?),\s*(?P<year>(?:1[5-9]|20)\d\d)\)")


_INITIALS_ONLY = re.compile(r"(?:[A-Z]\.[\s-]?){1,3}[,;]?").fullmatch


def _initials_as_pages(text: str, by_label: dict[str, list[Span]]) -> None:
    """The last author's initials read as pages ("Park," | "H." before Nature's "in Book"):
    initials right after the names, before anything else, go with them."""
    author = by_label["author"][-1]
    pages = by_label["pages"]
    first = pages[0]
    if first.start < author.end or text[author.end:first.start].strip() or \
            not _INITIALS_ONLY(first.text.strip()) or not author.text.rstrip().endswith(","):
        return
    by_label["author"][-1] = Span("author", author.start, first.end, text[author.start:first.end],
                                  min(author.confidence, first.confidence))
    del pages[0]
    if not pages:
        del by_label["pages"]


def _nature_chapter(text: str, by_label: dict[str, list[Span]]) -> None:
    """Nature's chapter ("… in Book (eds A, B.) 1–9 (Publisher, 2017).") read piecemeal: the
    book is the container, the names in the brackets the editors; there is no chapter title."""
    m = _NATURE_CHAPTER.search(text)
    authors = by_label.get("author")
    if not m or not authors or authors[0].end > m.start("book"):
        return
    conf = min(s.confidence for spans in by_label.values() for s in spans) if by_label else 1.0
    start, end = m.start("book") - 3, m.end()
    for label in list(by_label):
        kept = [s for s in by_label[label] if s.end <= start or s.start >= end]
        if kept:
            by_label[label] = kept
        else:
            del by_label[label]
    if m.group("etal"):  # "et al." read into the title goes with the names
        first = authors[0]
        by_label["author"] = [Span("author", first.start, m.end("etal"),
                                   text[first.start:m.end("etal")], first.confidence)]
    for label, group in (("container-title", "book"), ("editor", "eds"), ("pages", "pages"),
                         ("volume", "chapter"),  # "Ch. 4": the chapter's number (see below)
                         ("publisher", "pub"), ("date", "year")):
        if m.group(group):
            by_label.setdefault(label, []).append(
                Span(label, m.start(group), m.end(group), m.group(group), conf))
            by_label[label].sort(key=lambda s: s.start)


def _german_colon(text: str, by_label: dict[str, list[Span]]) -> None:
    """German styles close the names with a colon ("Assmann, Aleida: Erinnerungsräume."):
    a title's opening read into the names goes to the title, and a given name read into the
    title ("Kim," | "Min-ji: Die Politik …") goes to the names."""
    author = by_label["author"][0]
    titles = by_label.get("title")
    head, colon, rest = author.text.partition(": ")
    if colon and rest.strip() and head.count(",") >= 1 and not any(q in head for q in _QUOTES):
        cut = author.start + len(head) + 1
        by_label["author"][0] = Span("author", author.start, cut, text[author.start:cut],
                                     author.confidence)
        start = cut + 1
        if titles and not text[author.end:titles[0].start].strip():
            first = titles[0]
            titles[0] = Span("title", start, first.end, text[start:first.end],
                             min(first.confidence, author.confidence))
        else:
            by_label.setdefault("title", []).insert(0, Span(
                "title", start, author.end, text[start:author.end], author.confidence))
        return
    if titles and author.text.rstrip().endswith(",") and " " not in author.text.strip() and \
            not text[author.end:titles[0].start].strip():  # only a family name ("Kim,")
        first = titles[0]
        given, colon, _ = first.text.partition(": ")
        if colon and 1 <= len(given.split()) <= 2 and all(
                w[:1].isupper() for w in given.split()) and not any(q in given for q in _QUOTES):
            cut = first.start + len(given) + 1
            by_label["author"][0] = Span("author", author.start, cut, text[author.start:cut],
                                         author.confidence)
            titles[0] = Span("title", cut + 1, first.end, text[cut + 1:first.end],
                             first.confidence)


# IEEE's organisation author before a quoted title: 'TeleGeography, "Submarine Cable Map,"'.
_ORG_THEN_QUOTE = re.compile(r'^([^"\u201c\u201d]{2,80}?),\s+(?=["\u201c][^"\u201c\u201d]+["\u201d]\s*$)').match


def _organisation_before_quoted_title(by_label: dict[str, list[Span]]) -> None:
    """A title span that opens with a name and a comma before a quoted title, in a reference
    with no names: the name is the (organisation) author."""
    titles = by_label["title"]
    span = titles[0]
    m = _ORG_THEN_QUOTE(span.text)
    if m is None or len(m.group(1).split()) > 8:
        return
    cut = span.start + m.end()
    by_label["author"] = [Span("author", span.start, span.start + m.end(1) + 1,
                               span.text[: m.end(1) + 1], span.confidence)]
    by_label["_organisation"] = []
    titles[0] = Span("title", cut, span.end, span.text[m.end():], span.confidence)


# "in" before a container ("in Proc. …", "In: Book"): the work is a part of it.
_IN_BEFORE = re.compile(r"\b(?:in|dans|im)\b:?\s*$", re.I).search


def _publisher_as_container(text: str, by_label: dict[str, list[Span]]) -> None:
    """IEEE's report without its genre, 'S. Sunak, "Undersea cables," Policy Exchange,
    London, U.K., 2017.', read with the publisher as a container: a container that no "in"
    introduces, right before the place, with no volume, issue, pages or editors, after a
    quoted title, is the publisher."""
    containers, places = by_label["container-title"], by_label["location"]
    if len(containers) != 1 or any(k in by_label for k in ("volume", "issue", "pages", "editor",
                                                           "publisher")):
        return
    box = containers[0]
    title = _first(by_label, "title")
    if title is None or title.end > box.start or title.text[:1] not in "\"\u201c" or \
            not any(0 <= p.start - box.end <= 2 for p in places) or \
            _IN_BEFORE(text[max(0, box.start - 6):box.start]):
        return
    name = box.text.strip(" ,.;:")
    low = name.lower()
    if len(name.split()) > 5 or not name[:1].isupper() or _EVENT_WORD(low) or \
            _EVENT_ACRONYM(name) or _SERIAL_WORD(low) or _JOURNAL_WORD(low) or \
            re.search(r"\d|\b(?:presented|poster|session|meeting|forum|congress|proc)\b", low):
        return  # a proceedings, an event or a periodical
    if is_news(name) or known_as(name, "container-title") or any(
            _DAY_DATE(d.text) for d in by_label.get("date", ())):
        return  # a paper or magazine ("BBC News, London, U.K., Mar. 3, 2020"): reports
        # are seldom dated to the day
    by_label["publisher"] = [Span("publisher", box.start, box.end, box.text, box.confidence)]
    by_label["_report"] = []
    del by_label["container-title"]


_REPRINT = re.compile(r"^(?:reprint(?:ed)?|repr\.|reissued?)[,.:]?$", re.I).match


def _reprint(by_label: dict[str, list[Span]]) -> Span | None:
    """Chicago's reprint, "Said, Edward W. Orientalism. 1978. Reprint, New York: Vintage, 1994.",
    read with "Reprint" as the title: the cue is no title, the date before it is the original
    date (returned and taken from the dates) and the last date the reprint's."""
    titles = by_label["title"]
    cue = next((t for t in titles if _REPRINT(t.text.strip())), None)
    dates = by_label["date"]
    if cue is None or not dates[0].end <= cue.start < dates[-1].start:
        return None
    titles.remove(cue)
    if not titles:
        del by_label["title"]
    return dates.pop(0)


def _title_in_author(text: str, by_label: dict[str, list[Span]]) -> None:
    """Chicago's "Said, Edward W. Orientalism. 25th anniversary ed. …" read with the one-word
    title in the author: an inverted name ("Family, Given") ends at the first full stop that
    closes no initial, and what follows it in the span is the title."""
    author = by_label["author"][0]
    at = 0
    while True:
        at = author.text.find(". ", at) + 1
        if at <= 0:
            return
        following = author.text[at:].split(None, 1)
        if following and not _INITIAL(following[0]):
            break  # (a stop before another initial, "J. A.", keeps the name going)
    head, rest = author.text[:at], author.text[at:].lstrip()
    if head.count(",") != 1 or not rest[:1].isupper() or "," in rest:
        return
    start = author.end - len(rest)
    by_label["author"][0] = Span("author", author.start, author.start + at, head,
                                 author.confidence)
    by_label["title"] = [Span("title", start, author.end, rest, author.confidence)]


def _year_opening_title(text: str, by_label: dict[str, list[Span]]) -> None:
    """"Ministry of Unification. 2023 White Paper on …. Seoul: …, 2023." read with the
    title's opening year as a date: a bare year that opens a sentence, followed by only a
    space and the title's first word, with another date later, is part of the title."""
    title = by_label["title"][0]
    dates = by_label["date"]
    for i, date in enumerate(dates[:-1]):
        if date.end <= title.start and text[date.end:title.start] == " " and \
                _BARE_YEAR(date.text) and title.text[:1].isalnum() and \
                text[:date.start].rstrip().endswith("."):
            by_label["title"][0] = Span("title", date.start, title.end,
                                        text[date.start:title.end],
                                        min(date.confidence, title.confidence))
            del dates[i]
            return


_INITIAL = re.compile(r"[A-Z](?:\.-?[A-Z])*\.,?").fullmatch
_BARE_YEAR = re.compile(r"(?:1[5-9]|20)\d\d").fullmatch


def _outlet_with_medium(by_label: dict[str, list[Span]]) -> None:
    """NLM's "Title. Korea Times [Internet]. 2024 Jan 5" read with the outlet as publisher:
    a publisher marked as online, with no place and no container, is the container."""
    press = by_label["publisher"]
    if len(press) == 1 and _clean(press[0].text).endswith(_MEDIUM_MARKS):
        by_label["container-title"] = [Span("container-title", press[0].start, press[0].end,
                                            press[0].text, press[0].confidence)]
        del by_label["publisher"]


# One to four capitalised words and a comma: "Ecco,", "Harvard UP,", "Simon & Schuster,".
_PUBLISHER_SHAPE = re.compile(r"^[A-Z][\w'&.-]*(?: (?:&|and|of|[A-Z][\w'&.-]*)){0,3},$").match
# Only a year (and a full stop) after it: the reference ends there.
_YEAR_END = re.compile(r"\s*(?:1[5-9]\d\d|20\d\d)[a-z]?\.?\s*$").match
_PRESS_WORDS = frozenset("""press books publishers publishing up verlag éditions editions
editorial editora uitgeverij""".split())


# A date to the day: "Mar. 3, 2020", "3 March 2020" (not "Dec. 2021").
_DAY_DATE = re.compile(r"[A-Za-z]{3,}\.?\s+\d{1,2}\b(?!\d)|\b\d{1,2}\s+[A-Za-z]{3,}").search


def known_as(name: str, label: str) -> bool:
    """Whether the model's word lists know ``name`` as a ``label`` ("location", "publisher",
    "container-title", "collection-title"): a phrase of its training strings."""
    phrase = " ".join(w.lower() for w in _WORDS(name))
    return bool(default_gazetteer().phrases.get(phrase, 0)
                & (1 << tuple(GAZETTEER_LABELS).index(label)))


def _publisher_as_place(text: str, by_label: dict[str, list[Span]]) -> None:
    """MLA's "Snyder, Scott. South Korea at the Crossroads. Columbia UP, 2018." read with the
    publisher as a place: a place with no publisher, before a comma and the closing year, is
    the publisher when its name says so (Press, Books, UP, Verlag…) or the model knows it as a
    publisher and not as a place. Others stay places: "Riga, 1781." is the older humanities
    form, and many towns are in no word list ("Ecco, 2012." stays a place too)."""
    places = by_label["location"]
    if len(places) != 1 or "title" not in by_label:
        return
    place = places[0]
    value = place.text.strip()
    words = _WORDS(value)
    if not value.endswith(",") or not _PUBLISHER_SHAPE(value) or not _YEAR_END(
            text, place.end) or any(w.lower() in PLACE_WORDS for w in words):
        return
    name = " ".join(words)
    if known_as(name, "location") or not (known_as(name, "publisher") or any(
            w.lower() in _PRESS_WORDS for w in words)):
        return
    by_label["publisher"] = [Span("publisher", place.start, place.end, place.text,
                                  place.confidence)]
    del by_label["location"]


# A word that says the names after it are editors: "ed.", "eds", "edited by", "In".
_EDITOR_CUE_BEFORE = re.compile(r"(?:\bed(?:s|ited|itor|itors)?\.?|\bby|\bin:?|\()\s*$", re.I).search


def _publisher_as_editor(text: str, by_label: dict[str, list[Span]]) -> None:
    """MLA's "… A Modern History. W. W. Norton, 2005." read with the publisher as an editor
    (the initials look like a person's): a lone editor span with no cue before it, before a
    comma and the closing year, whose name (without leading initials) the model knows as a
    publisher or that says Press, Books…, is the publisher."""
    editors = by_label["editor"]
    if len(editors) != 1:
        return
    span = editors[0]
    value = span.text.strip()
    if not value.endswith(",") or not _YEAR_END(text, span.end) or \
            _EDITOR_CUE_BEFORE(text[max(0, span.start - 20):span.start]):
        return
    words = _WORDS(value)
    while len(words) > 1 and len(words[0]) == 1:
        words = words[1:]  # "W. W. Norton" is known as "Norton"
    name = " ".join(words)
    if known_as(name, "location") or not (known_as(name, "publisher") or any(
            w.lower() in _PRESS_WORDS for w in words)):
        return
    by_label["publisher"] = [Span("publisher", span.start, span.end, span.text, span.confidence)]
    del by_label["editor"]


_DIGIT = re.compile(r"\d").search
# NLM's "[cited 2024 Mar 3]" and "[updated 2023 Oct 5; cited 2024 Mar 3]"
_CITED = re.compile(r"\[(?:updated[^\];]*;\s*)?cited\s").search


def _edition_value(cleaned: str) -> str:
    """The CSL edition of an edition statement: "2nd ed." → "2nd", "5. Aufl." → "5"; one with
    words besides its number stays whole ("25th anniversary ed.", "Rev. ed."), as styles print
    a non-numeric edition as it is."""
    number = _ED_SUFFIX.sub("", cleaned).strip(" ,.")
    if _ORDINAL(number):
        return number
    return _edition_words(cleaned)


_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th|e|er|re|ème|a|o)?", re.I).fullmatch


def _edition_words(text: str) -> str:
    """A word edition as styles print it: "Rev. ed", "rev. edn." → "Rev. ed."."""
    text = text.strip(" ,;:")
    if text.lower().endswith((" ed", " edn", " edn.")):
        text = text[: text.rfind(" ")] + " ed."
    return text[:1].upper() + text[1:]


_MEDIUM_MARKS = (" [Internet]", " [internet]", " [Online]", " [online]")


def _take_medium(value: str, entry: Entry) -> str:
    """``value`` without NLM's medium mark ("Title [Internet]", "Korea Times [Internet]"),
    which goes to ``extra["medium"]`` (the style prints it itself)."""
    if not value.endswith(_MEDIUM_MARKS):
        return value
    value, _, medium = value.rpartition(" [")
    entry.extra.setdefault("medium", medium.rstrip("]"))
    return value
_LEADING_NUMBER = re.compile(r"^\[?\d{1,4}[.)\]]\s+").match


def _university_press(text: str, by_label: dict[str, list[Span]]) -> None:
    """MLA's "Oxford UP" read as place "Oxford" and publisher "UP": one publisher's name."""
    press = by_label["publisher"][0]
    if press.text.strip(" ,.;") not in ("UP", "P"):
        return
    for place in by_label["location"]:
        if place.end <= press.start and not text[place.end:press.start].strip():
            by_label["publisher"][0] = Span("publisher", place.start, press.end,
                                            text[place.start:press.end],
                                            min(place.confidence, press.confidence))
            by_label["location"] = [p for p in by_label["location"] if p is not place]
            if not by_label["location"]:
                del by_label["location"]
            return


def _place_before_place(text: str, by_label: dict[str, list[Span]]) -> None:
    """IEEE's "Busan, South Korea: Haeyang Press" read as publisher "Busan,", place "South
    Korea:", publisher "Haeyang Press": the city before the place (ending in a comma, with the
    publisher after the place) is part of the place."""
    place = by_label["location"][0]
    publishers = by_label["publisher"]
    before = [p for p in publishers if p.end <= place.start and p.text.endswith(",")
              and not text[p.end:place.start].strip()]
    if before and any(p.start >= place.end for p in publishers):
        city = before[-1]
        by_label["location"] = [Span("location", city.start, place.end,
                                     text[city.start:place.end],
                                     min(city.confidence, place.confidence))
                                ] + by_label["location"][1:]
        by_label["publisher"] = [p for p in publishers if p is not city]


def _after_last_name(text: str) -> tuple[str, str] | None:
    """``("edited by A and B", "U of Illinois P")`` from ``"edited by A and B, U of Illinois P,"``:
    what follows the last name of a natural-order list ("… and B", or the one name after
    "edited by") and a comma (a "Jr." after it still belongs to the name), if anything."""
    at = text.rfind(" and ")
    if at >= 0:
        start = at + 5
    elif (lead := _EDITED_BY(text)) is not None:
        start = lead.end()  # "edited by Cary Nelson, U of Illinois P,": one editor
    else:
        return None
    comma = text.find(",", start)
    while comma >= 0 and _NAME_SUFFIX(text, comma + 1):
        comma = text.find(",", comma + 1)  # "Bob Roe, Jr., Oxford UP"
    if comma < 0 or (at < 0 and len(text[start:comma].split()) < 2):
        return None  # ("edited by Lee, Ann": one inverted name, no tail)
    tail = text[comma + 1:].strip(" ,.;")
    return (text[:comma], tail) if tail else None


# US states and Canadian provinces as IEEE writes them after a city ("Las Vegas, NV, USA"); the
# tagger's PLACE_WORDS (part of its features) has only a few.
_STATES = frozenset("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR BC AB ON QC
NS MB SK""".split())
_EDITED_BY = re.compile(r"(?:edited|ed\.|eds\.|hrsg\.)\s+(?:by\s+|von\s+)?", re.I).match
_NAME_SUFFIX = re.compile(r"\s*(?:Jr|Sr|II|III|IV)\b\.?", re.I).match


_COMPASS = frozenset("""north south east west northern southern eastern western new san
santa saint st st. los las""".split())


def _only_places(text: str) -> bool:
    """Whether every word of ``text`` is a known place word, a state's code or a compass word
    ("Seoul, South Korea", "Cambridge, MA, USA"), with at least one known place."""
    words = [w.strip(",.;:") for w in text.split()]
    return any(w.lower() in PLACE_WORDS for w in words) and all(
        w.lower() in PLACE_WORDS or w in _STATES or w.lower() in _COMPASS for w in words if w)


_NOT_PLACE_WORDS = frozenset("""part vol volume session track workshop conference symposium
proceedings proc int lecture notes in at on of""".split())


def _clean_place(text: str) -> bool:
    """Whether ``text`` reads as a place and nothing else: comma-separated parts of one to three
    capitalised words, no digits, none of the words of proceedings ("Part I", "Session"), and
    a known place word or a state's code among them ("Las Vegas, NV, USA")."""
    parts = text.split(", ")
    words = [w.strip(".") for w in text.replace(",", " ").split()]
    return all(_CAPITALISED_PART(p) and not _DIGIT(p) for p in parts) and not any(
        w.lower() in _NOT_PLACE_WORDS for w in words) and any(
        w.lower() in PLACE_WORDS or w in _STATES for w in words)


# IEEE's report: "Korea Institute for Defense Analyses, Seoul, South Korea, Rep. KIDA-2021-04"
_REPORT_PART = re.compile(
    r"^(?P<genre>(?:tech(?:nical)?\.?\s+)?rep(?:ort|\.)|white paper|working paper)"
    r"(?:\s+(?:no\.\s*)?(?P<number>\S.*))?$", re.I).match
_KIND_OF_REPORT = re.compile(
    r"\b(?:technical|annual|final|project|design|research|summary|status|progress|country|"
    r"special|working|white|policy|discussion|issue)\s+(?:report|paper|brief)s?\b", re.I).search
_REPORT_TITLE = re.compile(
    r"\b(?:report|white paper|working paper|policy brief|discussion paper|issue brief)s?\b",
    re.I).search


def _report_container(entry: Entry) -> None:
    """An institution, its place and a report's number read as one container: the publisher,
    the place, the genre and the number of a report."""
    assert entry.container_title is not None
    parts = entry.container_title.split(", ")
    for k, part in enumerate(parts):
        found = _REPORT_PART(part)
        if found and k >= 1:
            entry.publisher = entry.publisher or parts[0]
            if k > 1 and not entry.publisher_place:
                entry.publisher_place = ", ".join(parts[1:k])
            entry.extra.setdefault("genre", found.group("genre"))
            if found.group("number"):
                entry.extra.setdefault("number", found.group("number"))
            entry.container_title = None
            return


def _event_place(entry: Entry) -> None:
    """IEEE's "Proc. ICASSP, Seoul, South Korea": the place after a proceedings' name is the
    event's place (the parts after its last comma-free stretch of capitalised words, the last
    one a known place word)."""
    assert entry.container_title is not None
    if entry.publisher and not entry.publisher_place and all(
            w.strip(",.").lower() in PLACE_WORDS or w.strip(",.") in _STATES
            for w in entry.publisher.split()):
        # "…, Las Vegas, NV, USA, 2016" with "NV, USA" read as the publisher: it is a place
        entry.publisher_place, entry.publisher = entry.publisher, None
    parts = entry.container_title.split(", ")
    if len(parts) >= 2 and entry.publisher_place and entry.publisher is None and \
            _CAPITALISED_PART(parts[-1]) and not parts[-1].endswith(".") and \
            not any(w.lower() in PUBLISHER_WORDS or w.lower() in JOURNAL_WORDS
                    for w in parts[-1].split()):
        # "…Recognit., Las Vegas" + place "NV, USA": the city was read into the container
        entry.extra.setdefault("event-place", f"{parts[-1]}, {entry.publisher_place}")
        entry.container_title, entry.publisher_place = ", ".join(parts[:-1]), None
        return
    if len(parts) < 2 or not _CAPITALISED_PART(parts[-1]) or \
            parts[-1].split()[-1].lower() not in PLACE_WORDS:
        return
    k = len(parts) - 1
    while k > 1 and _CAPITALISED_PART(parts[k - 1]) and len(parts) - k < 3 and \
            not _DIGIT(parts[k - 1]):  # ("…, LFCS'97, Yaroslavl, Russia": no acronym's year)
        k -= 1
    if "event-place" not in entry.extra:
        entry.extra["event-place"] = ", ".join(parts[k:])
        entry.container_title = ", ".join(parts[:k])


# One to three capitalised words, no digits or brackets: "Seoul", "South Korea", "Las Vegas", "NV".
_CAPITALISED_PART = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}$").match


_PAGE_RANGE = re.compile(r"\d+\s*[-\u2013]\s*\d+").fullmatch
_YEAR_THEN_VOLUME = re.compile(r"^((?:1[5-9]|20)\d\d)[a-z]?\s*;\s*(?=\d)").match


def _volume_issue_pages(entry: Entry, spans: dict[str, list[Span]],
                        note: Callable[[str, float], None]) -> None:
    add = note
    got = _joined(spans, "volume")
    if got and (value := _clean(got[0])).isdigit():
        entry.volume = value  # the usual case: none of the patterns below match digits
        add("volume", got[1])
    elif got:
        value = _VOL_PREFIX.sub("", value)
        dated = _YEAR_THEN_VOLUME(value)
        if dated and entry.issued is None:
            # Vancouver's "2013;13:1158" with the year read into the volume
            entry.issued = Date(year=int(dated.group(1)))
            add("issued", got[1])
            value = value[dated.end():]
            if _PAGE_RANGE(value.strip(" ,.;:")):
                if not _first(spans, "pages"):  # "2000; 218-226": the pages, not a volume
                    entry.page = value.strip(" ,.;:")
                    add("page", got[1])
                value = ""
        m = _VOL_ISSUE.match(value)
        words = _VOL_NO_ISSUE.match(value)
        issue = _ISSUE_PREFIX.sub("", value).strip(" ,.;:()") if _ISSUE_PREFIX.match(value) \
            else ""
        many = _VOLUME_COUNT.match(value)
        chapter = _CHAPTER(value)
        if chapter:
            # IEEE's "ch. 4" tagged as a volume: the chapter's number
            entry.extra["chapter-number"] = chapter.group(1)
            add("chapter-number", got[1])
            value = ""
        elif many:
            # "2 vols." is how many volumes a work has, not which one.
            entry.extra["number-of-volumes"] = many.group(1)
            add("number-of-volumes", got[1])
            value = ""
        elif issue and not _first(spans, "issue"):
            # MLA's "no. 1" with no volume before it, tagged as the volume: it is the issue.
            entry.issue = issue
            add("issue", got[1])
            value = ""
        elif words and not _first(spans, "issue"):
            value = words.group(1)  # "41, no. 2" in one span
            entry.issue = words.group(2)
            add("issue", got[1])
        elif m:
            value = m.group(1)
            if not _first(spans, "issue"):
                entry.issue = m.group(2).strip()
                add("issue", got[1])
            if m.group(3) and not _first(spans, "pages"):
                entry.page = _PAGE_PREFIX.sub("", m.group(3)).strip(" .,")
        value = value.strip(" ,.;:")
        if value:
            entry.volume = value
            add("volume", got[1])
    got = _joined(spans, "issue")
    if got:
        value = _ISSUE_PREFIX.sub("", _clean(got[0])).strip(" ,.;:")
        if value.count("(") != value.count(")") or (value[:1] == "(" and value[-1:] == ")"):
            value = value.strip(" ,.;:()")  # "(3)", "(3" — but "2 (Suppl)" keeps its brackets
        head, paren, when = value.partition("(")
        if paren and any(w.lower() in MONTHS or w.lower() in _SEASONS for w in _WORDS(when)):
            # Chicago's "no. 6 (November" with the year in the date span: the issue is "6",
            # and a single month or season goes to the date ("2 (Suppl)" stays whole).
            value = head.strip(" ,.;:")
            _date_words(entry, when)
        if value:
            entry.issue = value
            add("issue", got[1])
    got = _joined(spans, "pages")
    if got:
        value = _clean(got[0])
        # (each pattern is tried only when the first character can open a match: "123–145")
        if value[:1] in "HN" and (heft := _HEFT_PAGES(value)):
            # German "H. 2, S. 123–140" in one span: the issue (Heft) and the pages
            if not entry.issue:
                entry.issue = heft.group(1)
                add("issue", got[1])
            value = _clean(heft.group(2))
        if value[:1] in _PAGE_PREFIX_FIRST:
            value = _PAGE_PREFIX.sub("", value)
        value = value.strip(" ,.;:")
        if value:
            entry.page = value
            add("page", got[1])


_HEFT_PAGES = re.compile(r"^(?:H|Heft|Nr|No)\.?\s*(\w+)\s*,\s*((?:S|pp?)\.\s*\S.*)$").match
_CHAPTER = re.compile(r"^(?:ch\.|chap\.?|chapter|kap\.?)\s*(\d{1,4}|[ivxlc]{1,6})[\s,.;:]*$",
                      re.I).match


def _date_words(entry: Entry, text: str) -> None:
    """A month or season written apart from the date's year ("November", "Spring") goes to
    the entry's date when it has none; a range ("November/December") is left out."""
    if entry.issued is None or entry.issued.month or entry.issued.season or "/" in text \
            or "-" in text or "\u2013" in text:
        return
    words = parse_date(text)
    if words.month:
        entry.issued.month = words.month
    elif words.season:
        entry.issued.season = words.season


def _links(entry: Entry, spans: list[Span], note: Callable[[str, float], None]) -> None:
    add = note
    for span in spans:
        if span.label not in ("doi", "url"):
            continue
        raw = span.text.strip()
        m = _DOI.search(raw)
        if span.label == "url":
            url = raw.strip(" <>.,;")
            if url.endswith(")") and url.count("(") < url.count(")"):
                url = url[:-1]
            url = _URL_PREFIX.sub("", url)
            if " " in url:
                # MLA's "JSTOR, www.jstor.org/…" (the database before the link) and "….html.
                # Accessed" (the cue after it): neither is part of the link
                url = _ACCESS_AFTER(url)[0].rstrip(" .,;")
                head = _DATABASE_BEFORE(url)
                if head:
                    entry.extra.setdefault("archive", head.group(1))
                    url = url[head.end():]
                elif (repository := _REPOSITORY_BEFORE(url)) and entry.publisher is None:
                    # Nature's "Zenodo https://doi.org/…": the repository that holds the work
                    entry.publisher = repository.group(1)
                    url = url[repository.end():]
            if (arxiv := _ARXIV_URL(url)) and "number" not in entry.extra:
                # "https://arxiv.org/abs/2005.14165": a preprint (see _ARXIV)
                entry.extra["number"] = arxiv.group(1)
                entry.publisher = entry.publisher or "arXiv"
                entry.extra["_preprint"] = True
            if m and _DOI_LINK(url):
                url = ""  # a doi.org link gives the DOI (below) and no URL
            if url and entry.url is None:
                entry.url = url
                add("URL", span.confidence)
        if m and entry.doi is None:
            doi = m.group(0).rstrip(".,;)]>")
            entry.doi = doi
            add("DOI", span.confidence)


def _quoted_in(text: str, title: str) -> bool:
    """Whether ``title`` stands in quotation marks in the reference ``text``."""
    at = text.find(title)
    return at > 0 and text[at - 1] in "\"\u201c\u2018\u00ab'"


def infer_type(entry: Entry, year_first: bool = False) -> str:
    """Guess the CSL item type from which fields were found (``year_first``: the date was
    written year first, "2018 Mar 15", as NLM writes journals' dates)."""
    genre = str(entry.extra.get("genre", "")).lower()
    container = (entry.container_title or "").lower()
    if (genre or entry.note) and _THESIS_WORD(genre + " " + (entry.note or "").lower()):
        return "thesis"  # (with neither, the text searched would be one space)
    if genre and _REPORT_WORD(genre):
        return "report"
    if container:
        if _EVENT_WORD(container) or (_EVENT_ACRONYM(container)
                                       and not _SERIAL_WORD(container)):
            return "paper-conference"
        if not (entry.editor or entry.publisher or entry.volume or entry.issue or entry.page) \
                and entry.publisher_place and entry.issued and entry.issued.month and \
                is_news(entry.container_title):
            # IEEE's "BBC News, London, U.K., Mar. 3, 2020.": a news outlet, its place and day
            # (other containers so are mostly events: "Paper presented at …, Paris, May 2008")
            return "article-newspaper"
        if entry.editor or entry.publisher or entry.publisher_place:
            return "chapter"
        if not (entry.volume or entry.issue or entry.page) and is_news(entry.container_title):
            return "article-newspaper"
        if entry.volume or entry.issue or entry.page:
            return "article-journal"
        if entry.url or (entry.issued and entry.issued.day and "." not in container
                         and not year_first and not _JOURNAL_WORD(container)):
            # a site's page, or a day's issue of a magazine or paper ("Barron's (July 25,
            # 1966)"; not "IEEE Transactions on Computers, June, 1979" or "Front Oncol.")
            return "webpage" if not (entry.issued and entry.issued.month) else "article-magazine"
        return "article-journal"
    if entry.publisher or entry.publisher_place or entry.extra.get("edition") \
            or entry.extra.get("ISBN"):
        return "book"
    if entry.url:
        return "webpage"
    if entry.title and entry.volume:
        return "article-journal"
    return "document"
