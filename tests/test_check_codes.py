"""Every offline finding code: a positive case (it is reported, where and how) and a negative one.

Each case is a small reference list, commentary or CSL-JSON file built here; ``citekit.check`` runs
offline on it. A positive case names the text the finding must point at (its line and column are
computed from that text), the entry key when the finding is about an entry, and the fix. The last
tests make sure no code in ``CODES`` is left without both cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

import citekit
from citekit.check import CODES, Finding, Severity

OFFLINE_CODES = {code for code, info in CODES.items() if not info.network}
NETWORK_CODES = set(CODES) - OFFLINE_CODES

_SUFFIX = {"text": "refs.txt", "commentary": "doc.txt", "csl-json": "refs.json", "bibtex": "refs.bib"}


def run(text: str, fmt: str) -> list[Finding]:
    """Offline findings for ``text`` read as ``fmt``."""
    bib = citekit.loads(text, fmt, _SUFFIX[fmt])
    return list(citekit.check(bib, offline=True))


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle`` in ``text``."""
    idx = text.index(needle)
    line = text.count("\n", 0, idx) + 1
    return line, idx - (text.rfind("\n", 0, idx) + 1) + 1


# ----------------------------------------------------------------------------- inputs


def commentary(body: str, refs: str | None, *, author: str = "Jane DOE",
               bio: str = "Jane DOE is a fellow at the Example Institute.") -> str:
    """A small commentary: title block with date and byline, body, optional References, bio."""
    parts = ["A Test Commentary", "", "  \u2022 Commentary", "  \u2022 March 1, 2024",
             f"  \u2022 {author}", "  \u2022 Fellow, Example Institute", "", body, ""]
    if refs is not None:
        parts += ["References", "", refs, ""]
    parts += [bio, ""]
    return "\n".join(parts)


ADAMS = "Adams, Jane. 2020. Other Book. London: Pub."
LOWY = ("Lowy Institute. 2024. Global Diplomacy Index. "
        "https://globaldiplomacyindex.lowyinstitute.org/")
SMITH_BOOK = "Smith, John. 2021. Book Title. London: Pub."
NUMBERED = ("[1] J. Smith, \"Title one,\" J. Med., vol. 1, pp. 1-2, 2019.\n"
            "[2] B. Adams, \"Title two,\" J. Med., vol. 2, pp. 3-4, 2020.")
MLA = ("Cha, Victor. The Impossible State: North Korea, Past and Future. Ecco, 2012.\n\n"
       'Moon, Katharine H. S. "Protesting America." Korea Journal, vol. 50, no. 2, 2010, '
       "pp. 5-34.\n\nSnyder, Scott A. South Korea at the Crossroads. Columbia UP, 2018.")
MLA_KIM = (MLA.split("\n\n")[0] + "\n\nKim, Sung, and Jae Lee. \u201cVoting.\u201d Asian Survey, "
           "vol. 60, no. 1, 2020, pp. 1-9.")
MLA_CHA2 = ("Cha, Victor. The Impossible State: North Korea, Past and Future. Ecco, 2012.\n\n"
            "Cha, Victor. Korea and the World. Columbia UP, 2019.")
ADAMS_AB = ("Adams, Jane. 2020a. Other Book. London: Pub.\n\n"
            "Adams, Jane. 2020b. Second Book. London: Pub.")
REFS = "\n\n".join([ADAMS, LOWY, SMITH_BOOK])
CLEAN_BODY = "Some text (Adams 2020). More (Lowy Institute 2024) and (Smith 2021)."

JOURNAL = ("Smith, John. 2020. \u201cA Title.\u201d Journal of Things, 3(2): 1-10. "
           "https://doi.org/10.1234/abcd")
PAGE = "Smith, John. 2020. \u201cA Page.\u201d Example News. May 3. "
TANDF = "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594"


def csl(**changes: Any) -> str:
    """A one-item CSL-JSON file of a complete journal article, with fields changed or removed."""
    item: dict[str, Any] = {
        "id": "smith2020", "type": "article-journal", "title": "A Title",
        "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2020]]},
        "container-title": "Journal of Things", "volume": "3", "page": "1-10",
        "DOI": "10.1234/abcd",
    }
    item.update(changes)
    return json.dumps([{k: v for k, v in item.items() if v is not None}], indent=2)


# ----------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Pos:
    """A positive case: ``code`` is reported once, at ``at``, with this fix."""

    id: str
    code: str
    fmt: str
    text: str
    at: str  # the text the finding points at (first occurrence)
    key: str | None = None  # the entry key, when the finding is about an entry
    fix_after: Any = None  # expected Fix.after (None: no fix, or a fix without a value)
    automatic: bool = False
    has_fix: bool = True
    message_has: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Neg:
    """A negative case: a similar but clean input, where ``code`` is not reported."""

    id: str
    code: str
    fmt: str
    text: str


POSITIVE = [
    # reading
    Pos("unreadable-no-words", "unreadable-reference", "text",
        "12345 6789\n\n" + SMITH_BOOK + "\n", at="12345", has_fix=False,
        message_has=("no words",)),
    Pos("unreadable-csl-item", "unreadable-reference", "csl-json",
        '[{"id": "a", "type": "book", "title": "T", "author": [{"family": "A"}], '
        '"issued": {"date-parts": [[2020]]}, "publisher": "P"}, 42]', at="42", has_fix=False,
        message_has=("not a CSL-JSON object",)),
    Pos("dash", "repeated-author-dash", "text",
        SMITH_BOOK + "\n\n______. 2022. Other Book. London: Pub.\n", at="______", key="smith2022",
        has_fix=False, message_has=("Smith, John",)),
    Pos("stray-doi", "stray-fragment", "text",
        f"Smith, John. 2020. \u201cA Title.\u201d Pacific Review, 3(2): 1-10. {TANDF}\n\n"
        "doi/10.1080/09512748.2022.2090594\n", at="doi/10.1080", key="smith2020", has_fix=False,
        message_has=("line 3", "line 1")),
    Pos("uncertain", "parse-uncertain", "text",
        "Smith, John. 2020. \u201cA Page. Example News 4. May 2.\n", at="Smith",
        key="smith2020", has_fix=False, message_has=("confidence",)),
    # citations
    Pos("missing-reference", "citation-missing-reference", "commentary",
        commentary("Some text (Adams 2020) and (Brown 2022).", ADAMS), at="Brown 2022",
        message_has=("Brown 2022",)),
    Pos("year-mismatch", "citation-year-mismatch", "commentary",
        commentary("Some text (Adams 2019).", ADAMS), at="Adams 2019", fix_after="Adams 2020",
        message_has=("2019", "2020", "line 8", "line 12")),
    Pos("name-mismatch", "citation-name-mismatch", "commentary",
        commentary("Some text (Adams 2020) and (Lowy 2024).", ADAMS + "\n\n" + LOWY),
        at="Lowy 2024", fix_after="Lowy Institute 2024", automatic=True,
        message_has=("Lowy Institute",)),
    Pos("suffix-mismatch", "citation-suffix-mismatch", "commentary",
        commentary("Some text (Adams 2020a).", ADAMS), at="Adams 2020a", fix_after="Adams 2020",
        message_has=("2020a", "no year letter")),
    Pos("suffix-not-in-list", "citation-suffix-mismatch", "commentary",
        commentary("Some text (Adams 2020a) and (Adams 2020c).", ADAMS_AB), at="Adams 2020c",
        message_has=("2020c", "only", "2020a (line 12)", "2020b (line 14)")),
    Pos("ambiguous", "citation-ambiguous", "commentary",
        commentary("Some text (Adams 2020).", ADAMS_AB), at="Adams 2020",
        message_has=("2 works", "Adams 2020a (line 12)", "Adams 2020b (line 14)")),
    Pos("mla-uncited", "reference-uncited", "commentary",
        commentary("Deterrence held (Cha 45), and so did trust (Moon 12-14).", MLA),
        at="Snyder,", key="snyder2018", message_has=("Snyder 2018",)),
    Pos("title-order", "reference-order", "text",
        "Cha, Victor. Korea and the World. New York: Columbia UP, 2019.\n\n" + MLA_CHA2.split(
            "\n\n")[0] + "\n", at="Cha, Victor. The Impossible", key="cha2012",
        message_has=("Cha, Impossible State should come before Cha, Korea and the World",
                     "author, then title")),
    Pos("notes-missing", "citation-missing-reference", "commentary",
        commentary("Trust moved.1 Older work agrees.2\n\nNotes\n\n1. Victor Cha, The Impossible "
                   "State (New York: Ecco, 2012), 45.\n2. Bruce Cumings, Korea's Place in the "
                   "Sun (New York: Norton, 2005), 12.", MLA), at="Bruce Cumings",
        message_has=("cites Bruce Cumings",)),
    # an APA list with long author lists is still author-date: it wants its year letters
    Pos("apa-many-authors", "year-suffix-missing", "text",
        "".join(f"Adams, A., Brown, B., Clark, C., Davis, D., Evans, E., Fox, F., Gray, G., & "
                f"Hill, H. (2019). Title {t}. Journal of Things, 3(2), 1-10.\n\n" for t in "AB"),
        at="Adams", key="adamsetal2019a", fix_after="a", message_has=("2019a",)),
    Pos("notes-other-work", "citation-missing-reference", "commentary",
        commentary("Trust moved.1\n\nNotes\n\n1. Victor Cha, Powerplay: Origins (Princeton: "
                   "Princeton University Press, 2016), 4.", MLA), at="Cha, Powerplay",
        message_has=("note 1 cites Cha, Powerplay",)),
    Pos("mla-coauthor-alone", "citation-missing-reference", "commentary",
        commentary("Trust moved (Cha 45), held (Cha 50), and voting too (Kim 620).", MLA_KIM),
        at="Kim 620",
        message_has=("cites Kim 620",)),
    Pos("mla-missing", "citation-missing-reference", "commentary",
        commentary("Deterrence held (Cha 45), trust moved (Moon 12-14), words changed "
                   "(Williams 87).", MLA), at="Williams 87",
        message_has=("cites Williams 87", "no entry")),
    Pos("mla-ambiguous", "citation-ambiguous", "commentary",
        commentary("Deterrence held (Cha 45).", MLA_CHA2), at="Cha 45",
        message_has=("2 works", "Cha 2012 (line 12)", "Cha 2019 (line 14)")),
    Pos("numeric-missing", "citation-missing-reference", "commentary",
        commentary("Graphs help [1], and more [2, 3].", NUMBERED), at="3]",
        message_has=("cites 3 (in [2, 3])", "no entry 3", "1\u20132")),
    Pos("numbering", "reference-numbering", "text",
        "1. Smith J. Title one. J Med. 2019;1:1-2.\n2. Adams B. Title two. J Med. 2020;2:3-4.\n"
        "4. Brown C. Title three. J Med. 2021;3:5-6.\n", at="4. Brown", key="brown2021",
        message_has=("[4] follows [2]", "number 3 is missing")),
    Pos("uncited", "reference-uncited", "commentary",
        commentary("Some text (Adams 2020) and (Lowy Institute 2024).", REFS), at="Smith, John",
        key="smith2021", message_has=("Smith 2021",)),
    # the list
    Pos("order", "reference-order", "text", SMITH_BOOK + "\n\n" + ADAMS + "\n",
        at="Adams", key="adams2020", message_has=("Adams 2020", "Smith 2021")),
    Pos("suffix", "year-suffix-missing", "text",
        SMITH_BOOK + "\n\nSmith, John. 2021. Another Book. London: Pub.\n",
        at="Smith, John. 2021. Book", key=None, fix_after="b", message_has=("2021b",)),
    Pos("duplicate-doi", "duplicate-entry", "text",
        JOURNAL + "\n\n" + JOURNAL.replace("A Title", "Another Title").replace("abcd", "ABCD")
        + "\n", at="Smith, John. 2020. \u201cAnother", message_has=("same DOI", "line 1")),
    Pos("duplicate-title", "duplicate-entry", "text",
        SMITH_BOOK + "\n\n" + SMITH_BOOK.replace("Title.", "Title!") + "\n",
        at="Smith, John. 2021. Book Title!", message_has=("same authors, year and title",)),
    # fields
    Pos("no-year", "missing-field", "text",
        "Smith, John. \u201cA Page.\u201d Example News. https://example.com/a\n", at="Smith",
        key="smithnd", fix_after="n.d.", message_has=("n.d.",)),
    Pos("journal-no-volume", "missing-field", "csl-json", csl(volume=None), at="{",
        key="smith2020", has_fix=False, message_has=("volume",)),
    Pos("webpage-no-url", "missing-field", "csl-json", csl(type="webpage", DOI=None), at="{",
        key="smith2020", has_fix=False, message_has=("URL",)),
    Pos("date-invalid-csl", "date-invalid", "csl-json",
        csl(issued={"date-parts": [[2019, 2, 30]]}), at="{", key="smith2020",
        has_fix=False, message_has=("2019-02-30", "not a calendar date")),
    Pos("date-invalid-bibtex", "date-invalid", "bibtex",
        "@misc{web,\n  title = {Page},\n  author = {Smith, John},\n  year = {2020},\n"
        "  url = {https://example.org/a},\n  urldate = {2024-13-45}\n}\n", at="@misc",
        key="web", has_fix=False, message_has=("access date", "'2024-13-45'")),
    Pos("doi-invalid", "doi-invalid", "csl-json", csl(DOI="10.12/abc"), at="10.12/abc",
        key="smith2020", has_fix=False, message_has=("10.12/abc",)),
    Pos("doi-normalised", "doi-normalised", "csl-json", csl(DOI="https://doi.org/10.1234/abcd"),
        at="{", key="smith2020", fix_after="10.1234/abcd", automatic=True),
    Pos("doi-in-url", "doi-in-url", "text",
        f"Smith, John. 2020. \u201cA Title.\u201d Pacific Review, 3(2): 1-10. {TANDF}\n",
        at="https://www.tandfonline", key="smith2020",
        fix_after="https://doi.org/10.1080/09512748.2022.2090594", automatic=True),
    Pos("missing-doi", "missing-doi", "text",
        "Smith, John. 2020. \u201cA Title.\u201d Journal of Things, 3(2): 1-10.\n", at="Smith",
        key="smith2020", has_fix=False),
    Pos("url-whitespace", "url-whitespace", "text", PAGE + "https://example.com /a/b\n",
        at="https://", key="smith2020", fix_after="https://example.com/a/b", automatic=True),
    Pos("url-malformed", "url-malformed", "text", PAGE + "https://bad_host!.com/x\n",
        at="https://", key="smith2020", has_fix=False, message_has=("bad_host!",)),
    Pos("url-text-fragment", "url-text-fragment", "text",
        PAGE + "https://example.com/a#:~:text=hello\n", at="https://", key="smith2020",
        fix_after="https://example.com/a", automatic=True),
    Pos("url-trailing-punctuation", "url-trailing-punctuation", "text",
        PAGE + "https://example.com/a/b.\n", at="https://", key="smith2020",
        fix_after="https://example.com/a/b", automatic=True),
    Pos("url-no-scheme", "url-no-scheme", "text", PAGE + "www.example.com/a/b\n",
        at="www.", key="smith2020", fix_after="https://www.example.com/a/b", automatic=False,
        message_has=("read as https://www.example.com/a/b",)),
    Pos("url-insecure", "url-insecure", "text", PAGE + "http://example.com/a\n",
        at="http://", key="smith2020", fix_after="https://example.com/a", automatic=False),
    Pos("url-date-mismatch", "url-date-mismatch", "text",
        PAGE + "https://example.com/2019/05/a\n", at="https://", key="smith2020",
        has_fix=False, message_has=("2019/05", "May 3 2020")),
    Pos("page-range", "field-normalised", "csl-json", csl(page="1--10"), at="{",
        key="smith2020", fix_after="1-10", automatic=True),
    Pos("title-spaces", "field-normalised", "csl-json", csl(title="A   Title "), at="{",
        key="smith2020", fix_after="A Title", automatic=True),
    # document
    Pos("no-list", "no-reference-list", "commentary",
        commentary("Some text with no sources at all.", None), at="A Test Commentary",
        message_has=("no reference list",)),
    Pos("name-variant", "author-name-variant", "commentary",
        commentary("As Dr. Chang argued (Adams 2020).", ADAMS, author="Seho JANG",
                   bio="Seho JANG is a fellow at the Example Institute."),
        at="Dr. Chang", fix_after="Dr. Jang", message_has=("Seho JANG",)),
]

NEGATIVE = [
    Neg("all-readable", "unreadable-reference", "text", ADAMS + "\n\n" + SMITH_BOOK + "\n"),
    Neg("csl-all-objects", "unreadable-reference", "csl-json", csl()),
    Neg("names-written-out", "repeated-author-dash", "text",
        SMITH_BOOK + "\n\nSmith, John. 2022. Other Book. London: Pub.\n"),
    Neg("no-stray-line", "stray-fragment", "text",
        f"Smith, John. 2020. \u201cA Title.\u201d Pacific Review, 3(2): 1-10. {TANDF}\n"),
    Neg("certain", "parse-uncertain", "text", JOURNAL + "\n"),
    Neg("all-cited", "citation-missing-reference", "commentary", commentary(CLEAN_BODY, REFS)),
    Neg("years-agree", "citation-year-mismatch", "commentary", commentary(CLEAN_BODY, REFS)),
    Neg("names-agree", "citation-name-mismatch", "commentary", commentary(CLEAN_BODY, REFS)),
    Neg("letters-agree", "citation-suffix-mismatch", "commentary",
        commentary("Some text (Adams 2020a) and (Adams 2020b).",
                   "Adams, Jane. 2020a. Other Book. London: Pub.\n\n"
                   "Adams, Jane. 2020b. Second Book. London: Pub.")),
    Neg("each-letter-cited", "citation-ambiguous", "commentary",
        commentary("Some text (Adams 2020a, 2020b).", ADAMS_AB)),
    # one work listed twice is a duplicate-entry, not two works the citation could mean
    Neg("listed-twice", "citation-ambiguous", "commentary",
        commentary("Some text (Adams 2020).", ADAMS + "\n\n" + ADAMS)),
    # MLA's author-page citations ("(Cha 45)", "(Moon)", "(Cha, Impossible State 12)")
    Neg("mla-all-cited", "reference-uncited", "commentary",
        commentary("Deterrence held (Cha 45), trust moved (Moon 12-14; Snyder), and so on "
                   "(see Snyder 3).", MLA)),
    # an author's works by title in a notes-bibliography or MLA list
    Neg("title-order", "reference-order", "text", MLA_CHA2 + "\n"),
    # Chicago's endnotes cite the list by its authors' names; "Ibid." repeats the note above
    Neg("notes-all-cited", "reference-uncited", "commentary",
        commentary("Trust moved.1 It held.2 Protest grew.3 A last word.4\n\nNotes\n\n"
                   "1. Victor Cha, The Impossible State (New York: Ecco, 2012), 45.\n"
                   "2. Ibid., 50.\n3. Katharine H. S. Moon, \u201cProtesting America,\u201d "
                   "Korea Journal 50, no. 2 (2010): 7.\n4. Snyder, Crossroads, 3.", MLA)),
    # a co-authored work named in a note by its first author; a discursive note with a year
    Neg("notes-coauthors", "reference-uncited", "commentary",
        commentary("Trust moved.1 It held.2\n\nNotes\n\n1. Victor Cha, The Impossible State "
                   "(New York: Ecco, 2012), 45.\n2. Sung Kim and Jae Lee, \u201cVoting,\u201d "
                   "Asian Survey 60 (2020): 3.", MLA_KIM)),
    Neg("notes-discursive", "citation-missing-reference", "commentary",
        commentary("Trust moved.1 It held.2\n\nNotes\n\n1. Victor Cha, The Impossible State "
                   "(New York: Ecco, 2012), 45.\n2. Moreover, Seoul and Washington disagreed "
                   "in 2019.", MLA)),
    # an author-date text with content notes keeps its citations
    Neg("notes-author-date", "reference-uncited", "commentary",
        commentary("Alliances changed (Adams 2020), as did trade (Smith 2021; Lowy Institute "
                   "2024).[^1]\n\nNotes\n\n1. The survey was fielded in 2019.", REFS)),
    # a citation wrapped over two lines
    Neg("wrapped", "reference-uncited", "commentary",
        commentary("Alliances changed (Adams 2020; Smith\n2021) and so did (Lowy Institute\n"
                   "2024).", REFS)),
    # MLA lists tell an author's works apart by title, not by year letters
    Neg("mla-no-year-letters", "year-suffix-missing", "text",
        "Cha, Victor. The Impossible State. Ecco, 2012.\n\nCha, Victor. Weak but Still. "
        "Columbia UP, 2012.\n"),
    # notes numbered "[1]" with "[1]" marks in the body, and a year in a body parenthesis
    Neg("notes-bracketed", "reference-uncited", "commentary",
        commentary("Trust moved.[1] It held (Hwasong-15, 2017).[2]\n\nNotes\n\n[1] Victor "
                   "Cha, The Impossible State (New York: Ecco, 2012), 45.\n[2] Sung Kim and Jae "
                   "Lee, \u201cVoting,\u201d Asian Survey 60 (2020): 3.", MLA_KIM)),
    Neg("notes-places", "citation-missing-reference", "commentary",
        commentary("Trust moved.1 It held.2\n\nNotes\n\n1. Victor Cha, The Impossible State "
                   "(New York: Ecco, 2012), 45.\n2. North Korea, as of 2019, had tested six "
                   "times.", MLA)),
    Neg("notes-not-body", "citation-missing-reference", "commentary",
        commentary("Trust moved.1\n\nNotes\n\n1. Victor Cha, The Impossible State (New York: "
                   "Ecco, 2012), 45.", MLA)),
    Neg("mla-labels", "citation-missing-reference", "commentary",
        commentary("Deterrence held (Cha 45), trust moved (Moon 12-14; Snyder); see the data "
                   "(Figure 3) and (Table 2), on (Route 66), in (Chapter 4), (Figures 2-3), "
                   "(Chapters 3-4), (Windows 10), (Study 2), (Participant 12), (Cha 45; "
                   "Figure 3).", MLA)),
    Neg("mla-short-title", "citation-ambiguous", "commentary",
        commentary("Deterrence held (Cha, Impossible State 45; Cha, Korea 3).", MLA_CHA2)),
    Neg("numeric-all-found", "citation-missing-reference", "commentary",
        commentary("Graphs help [1], and more [1-2].", NUMBERED)),
    # "[3]" beside an author-date list is a note mark, not a citation
    Neg("note-marks", "citation-missing-reference", "commentary",
        commentary("Some text (Adams 2020) [3].", ADAMS)),
    Neg("counting-down", "reference-numbering", "text",
        "2. Adams B. Title two. J Med. 2020;2:3-4.\n1. Smith J. Title one. J Med. 2019;1:1-2.\n"),
    # German slashes between names, in the body and in the list
    Neg("slashes", "citation-name-mismatch", "commentary",
        commentary("Die Lage (Schmidt/Weber 2019; SPD/CDU-Fraktion 2020).",
                   "Schmidt, Anna/Weber, Karl (2019): Die Lage. Berlin: Springer.\n\n"
                   "SPD/CDU-Fraktion (2020): Antrag zur Lage. Berlin: Bundestag.")),
    Neg("et-al-and-pairs", "citation-name-mismatch", "commentary",
        commentary("See (Ha and Kim 2024; Lee, et al. 2023).",
                   "Ha, Young-sun and Yang Gyu Kim. 2024. Book One. Seoul: Pub.\n\n"
                   "Lee, Wootae, et al. 2023. Book Two. Seoul: Pub.")),
    Neg("every-entry-cited", "reference-uncited", "commentary", commentary(CLEAN_BODY, REFS)),
    # A bare list under a heading has no body to cite its entries.
    Neg("no-body", "reference-uncited", "commentary", "References\n\n" + SMITH_BOOK + "\n"),
    Neg("in-order", "reference-order", "text", ADAMS + "\n\n" + SMITH_BOOK + "\n"),
    # A numbered list is in the order the works are cited, not alphabetical.
    Neg("numbered", "reference-order", "text",
        "1. Smith J. Title one. J Med. 2019;1:1-2.\n2. Adams B. Title two. J Med. 2020;2:3-4.\n"),

    Neg("same-author-by-year", "reference-order", "text",
        SMITH_BOOK + "\n\nSmith, John. 2022. Another. London: Pub.\n\n"
        "Smith, John and Jane Adams. 2019. Joint Work. London: Pub.\n"),
    Neg("suffixed", "year-suffix-missing", "text",
        "Smith, John. 2021a. Another Book. London: Pub.\n\n"
        "Smith, John. 2021b. Book Title. London: Pub.\n"),
    Neg("different-years", "year-suffix-missing", "text",
        SMITH_BOOK + "\n\nSmith, John. 2022. Another Book. London: Pub.\n"),
    Neg("different-works", "duplicate-entry", "text",
        "Smith, John. 2021a. Another Book. London: Pub.\n\n"
        "Smith, John. 2021b. Book Title. London: Pub.\n"),
    Neg("complete", "missing-field", "csl-json", csl()),
    Neg("complete-text", "missing-field", "text", JOURNAL + "\n"),
    Neg("webpage-with-url", "missing-field", "text", PAGE + "https://example.com/a\n"),
    Neg("leap-day", "date-invalid", "csl-json", csl(issued={"date-parts": [[2020, 2, 29]]})),
    Neg("season", "date-invalid", "csl-json", csl(issued={"date-parts": [[2020, 21]]})),
    Neg("doi-valid", "doi-invalid", "csl-json", csl()),
    Neg("old-wiley-doi", "doi-invalid", "csl-json",
        csl(DOI="10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0")),
    Neg("doi-bare", "doi-normalised", "csl-json", csl()),
    Neg("doi-given-too", "doi-in-url", "text",
        "Smith, John. 2020. \u201cA Title.\u201d Pacific Review, 3(2): 1-10. "
        "https://doi.org/10.1080/09512748.2022.2090594\n"),
    Neg("doi-field-csl", "doi-in-url", "csl-json", csl(URL=f"{TANDF}")),
    Neg("has-doi", "missing-doi", "text", JOURNAL + "\n"),
    Neg("not-a-journal", "missing-doi", "text", SMITH_BOOK + "\n"),
    Neg("url-whole", "url-whitespace", "text", PAGE + "https://example.com/a/b\n"),
    Neg("url-fine", "url-malformed", "text", PAGE + "https://example.com/a/b\n"),
    Neg("url-with-scheme", "url-no-scheme", "text", PAGE + "https://example.com/a/b\n"),
    Neg("plain-anchor", "url-text-fragment", "text", PAGE + "https://example.com/a#intro\n"),
    Neg("no-punctuation", "url-trailing-punctuation", "text", PAGE + "https://example.com/a/b\n"),
    Neg("https", "url-insecure", "text", PAGE + "https://example.com/a\n"),
    Neg("url-date-agrees", "url-date-mismatch", "text", PAGE + "https://example.com/2020/05/a\n"),
    Neg("url-year-only-agrees", "url-date-mismatch", "text",
        PAGE + "https://example.com/2020/a\n"),
    Neg("tidy", "field-normalised", "csl-json", csl()),
    Neg("has-list", "no-reference-list", "commentary", commentary(CLEAN_BODY, REFS)),
    Neg("reference-list-only", "no-reference-list", "text", ADAMS + "\n"),
    Neg("same-spelling", "author-name-variant", "commentary",
        commentary("As Dr. Jang argued (Adams 2020).", ADAMS, author="Seho JANG",
                   bio="Seho JANG is a fellow at the Example Institute.")),
    Neg("someone-else", "author-name-variant", "commentary",
        commentary("As Dr. Adams argued (Adams 2020).", ADAMS, author="Seho JANG",
                   bio="Seho JANG is a fellow at the Example Institute.")),
]


@pytest.mark.parametrize("case", POSITIVE, ids=lambda c: f"{c.code}:{c.id}")
def test_code_is_reported(case: Pos) -> None:
    """The finding appears once, at the right place, with its default severity and its fix."""
    hits = [f for f in run(case.text, case.fmt) if f.code == case.code]
    if case.code == "year-suffix-missing":  # one finding per entry of the group
        assert len(hits) == 2
        hits = [h for h in hits if h.location.line == position(case.text, case.at)[0]]
    assert len(hits) == 1, [f.message for f in hits]
    f = hits[0]
    line, col = position(case.text, case.at)
    assert (f.location.line, f.location.col) == (line, col)
    assert f.location.path == _SUFFIX[case.fmt]
    if case.key is not None:
        assert f.location.key == case.key
    assert f.severity is CODES[case.code].severity
    for part in case.message_has:
        assert part in f.message
    if not case.has_fix:
        assert f.fix is None or f.fix.after is None
        assert f.fix is None or not f.fix.automatic
    else:
        assert f.fix is not None and f.fix.description
        assert f.fix.after == case.fix_after
        assert f.fix.automatic is case.automatic


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda c: f"{c.code}:{c.id}")
def test_code_is_not_reported_on_clean_input(case: Neg) -> None:
    """A similar input without the problem does not get the finding."""
    found = run(case.text, case.fmt)
    assert case.code not in {f.code for f in found}, [f.message for f in found]


def test_every_offline_code_has_a_positive_and_a_negative_case() -> None:
    """No code in the registry is left untested."""
    assert {c.code for c in POSITIVE} == OFFLINE_CODES
    assert {c.code for c in NEGATIVE} == OFFLINE_CODES


def test_cases_only_use_registered_codes() -> None:
    """A typo in a case's code would otherwise pass as 'not reported'."""
    assert {c.code for c in POSITIVE + NEGATIVE} <= set(CODES)


def test_clean_commentary_has_no_findings_at_all() -> None:
    """The clean inputs used by the negative cases are clean for every code, not just one."""
    assert run(commentary(CLEAN_BODY, REFS), "commentary") == []
    assert run(csl(), "csl-json") == []
    assert run(JOURNAL + "\n", "text") == []


def test_offline_check_reports_no_network_codes_and_opens_no_socket(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """--offline never touches the network, even for links and DOIs it could look up."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline check tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    text = "\n\n".join([JOURNAL, PAGE + "http://example.com/2019/05/a", ADAMS]) + "\n"
    found = run(text, "text")
    assert found  # the list has problems, and they were found offline
    assert not {f.code for f in found} & NETWORK_CODES


def test_network_codes_are_marked_and_documented_as_such() -> None:
    """The registry separates the later network checks from the offline ones."""
    assert NETWORK_CODES >= {"doi-not-found", "url-dead"}
    assert all(CODES[c].summary for c in CODES)
    assert all(c == c.lower() and " " not in c for c in CODES)  # stable kebab-case


def test_severity_counts_and_report_api() -> None:
    """The Report is iterable, sized, counts severities and knows when there are errors."""
    bib = citekit.loads(commentary("Some text (Adams 2019) and (Brown 2022).", ADAMS),
                        "commentary", "doc.txt")
    report = citekit.check(bib, offline=True)
    codes = report.codes()
    assert codes.count("citation-year-mismatch") == 1
    assert codes.count("citation-missing-reference") == 1
    assert len(report) == len(list(report)) == len(codes)
    assert report.count(Severity.ERROR) == 2
    assert report.has_errors
    # findings come in document order
    lines = [f.location.line for f in report]
    assert lines == sorted(lines)


def test_check_leaves_the_given_bibliography_untouched() -> None:
    """check() works on a copy: the caller's entries are not normalised behind its back."""
    bib = citekit.loads(PAGE + "https://example.com /a/b\n", "text", "refs.txt")
    before = bib.entries[0].url
    citekit.check(bib, offline=True)
    assert bib.entries[0].url == before


def test_a_work_without_authors_sorts_by_its_title() -> None:
    from citekit.check.listing import check_order
    from citekit.model import Entry, Name

    def person(family: str) -> Entry:
        return Entry(author=[Name(family=family, given="J.")], title="A Book")

    adams, smith = person("Adams"), person("Smith")
    untitled = Entry(title="The Military Balance")  # sorts under "Military"
    assert list(check_order([adams, untitled, smith])) == []
    assert [f.code for f in check_order([adams, smith, untitled])] == ["reference-order"]


def test_a_duplicate_is_not_asked_for_a_year_suffix() -> None:
    from citekit.check import CheckOptions, check
    from citekit.readers import loads as read_string

    text = ("Adams, Jane. 2020. \u201cCities and Climate.\u201d Urban Studies 57 (3): 100-120.\n\n"
            "Adams, Jane. 2020. \u201cCities and climate.\u201d Urban Studies 57(3): 100-120.\n")
    codes = [f.code for f in check(read_string(text, "text"),
                                   options=CheckOptions(offline=True)).findings]
    assert "duplicate-entry" in codes and "year-suffix-missing" not in codes


def test_a_name_fix_is_automatic_only_where_fix_can_write_it() -> None:
    """After a prefix, with a comma or across a line break the cited text is not where --fix
    would replace it, so the fix is offered, not marked automatic."""
    text = commentary("Some text (see Smyth 2021) and (Smyth, 2021) and (Smyth 2021).", REFS)
    fixes = [f.fix.automatic for f in run(text, "commentary")
             if f.code == "citation-name-mismatch" and f.fix is not None]
    assert fixes == [False, False, True]
