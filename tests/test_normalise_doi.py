"""DOI cleaning, extraction from URLs, validation and the DOI normaliser step."""

from __future__ import annotations

import pytest

from citekit.model import Entry
from citekit.normalise import (
    clean_doi,
    doi_from_url,
    is_doi_fragment,
    is_valid_doi,
    normalise_doi,
    same_doi,
)

WILEY_SICI = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"


@pytest.mark.parametrize(
    "written, doi",
    [
        ("10.1080/13523260.2019.1660483", "10.1080/13523260.2019.1660483"),
        ("doi:10.1080/13523260.2019.1660483", "10.1080/13523260.2019.1660483"),
        ("DOI: 10.1080/13523260.2019.1660483", "10.1080/13523260.2019.1660483"),
        ("https://doi.org/10.1080/13523260.2019.1660483", "10.1080/13523260.2019.1660483"),
        ("http://dx.doi.org/10.1525/as.2024.2113239", "10.1525/as.2024.2113239"),
        ("https://doi.org/10.1525/as.2024.2113239.", "10.1525/as.2024.2113239"),
        ("doi/10.1080/09512748.2022.2090594", "10.1080/09512748.2022.2090594"),
        ("  10.1080/0951 2748.2022.2090594 ", "10.1080/09512748.2022.2090594"),
        ("10.1000%2Fxyz123", "10.1000/xyz123"),
        ("(10.1000/xyz123)", "10.1000/xyz123"),
        ("10.1000/ABC(1)23;", "10.1000/ABC(1)23"),
        ("https://doi.org/10.1002%2F%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4"
         "%3E3.0.CO%3B2-0", WILEY_SICI),
        ("https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594",
         "10.1080/09512748.2022.2090594"),
    ],
)
def test_clean_doi_strips_prefixes_escapes_and_punctuation(written: str, doi: str) -> None:
    assert clean_doi(written) == doi


@pytest.mark.parametrize("text", ["", "   ", "n/a", "ISBN 978-0-12-345678-9", "10.12/x",
                                  "https://example.org/page", "doi:", None])
def test_clean_doi_returns_none_without_a_doi(text: str | None) -> None:
    assert clean_doi(text) is None


def test_clean_doi_keeps_case_as_written() -> None:
    assert clean_doi("doi:10.1525/AS.2024.2113239") == "10.1525/AS.2024.2113239"


@pytest.mark.parametrize(
    "url, doi",
    [
        ("https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594",
         "10.1080/09512748.2022.2090594"),
        ("https://www.tandfonline.com/doi/abs/10.1080/09512748.2022.2090594",
         "10.1080/09512748.2022.2090594"),
        ("https://www.tandfonline.com/doi/pdf/10.1080/09512748.2022.2090594?needAccess=true",
         "10.1080/09512748.2022.2090594"),
        ("https://onlinelibrary.wiley.com/doi/epdf/10.1111/1468-2346.12345",
         "10.1111/1468-2346.12345"),
        ("https://journals.sagepub.com/doi/10.1177/0010414020912281#top",
         "10.1177/0010414020912281"),
        ("https://link.springer.com/content/pdf/10.1007/s11192-020-03456-7.pdf",
         "10.1007/s11192-020-03456-7"),
        ("https://onlinelibrary.wiley.com/doi/10.1002/asi.24567/abstract", "10.1002/asi.24567"),
        ("https://www.jstor.org/stable/10.2307/1234567", "10.2307/1234567"),
        ("https://doi.org/10.1080/13523260.2019.1660483", "10.1080/13523260.2019.1660483"),
        ("https://example.org/resolve?doi=10.1000/xyz123", "10.1000/xyz123"),
        ("https://www.tandfonline.com/doi/full/10.1080/ 09512748.2022.2090594",
         "10.1080/09512748.2022.2090594"),
    ],
)
def test_doi_from_url_finds_publisher_dois(url: str, doi: str) -> None:
    assert doi_from_url(url) == doi


@pytest.mark.parametrize(
    "url",
    [
        "https://www.globalnk.org/commentary/view?cd=COM000135",
        "https://www.38north.org/2023/05/north-koreas-war-against-outside-information/",
        "https://www.worldbank.org/en/country/korea/overview",
        "https://example.org/v10.5/readme",
        "not a url",
        "",
        None,
    ],
)
def test_doi_from_url_returns_none_for_other_links(url: str | None) -> None:
    assert doi_from_url(url) is None


@pytest.mark.parametrize(
    "doi",
    ["10.1080/13523260.2019.1660483", "10.1525/as.2024.2113239", "10.1000/ABC(1)23",
     WILEY_SICI, "10.1002/1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
     "10.1002/(SICI)1099-1409(199908/10)3:6/7<672::AID-JPP192>3.0.CO;2-8",
     "10.1021/ac0354342", "10.1207/S15327965PLI1403&4_21"],
)
def test_valid_dois(doi: str) -> None:
    assert is_valid_doi(doi)


@pytest.mark.parametrize(
    "doi",
    ["10.12/abc", "11.1000/abc", "10.1000/", "10.1000/a b", "doi:10.1000/abc",
     "10.1080/abc<def>", "", "https://doi.org/10.1000/abc"],
)
def test_invalid_dois(doi: str) -> None:
    assert not is_valid_doi(doi)


def test_same_doi_ignores_case_and_prefixes() -> None:
    assert same_doi("10.1525/AS.2024.2113239", "https://doi.org/10.1525/as.2024.2113239")
    assert not same_doi("10.1525/as.2024.2113239", "10.1525/as.2024.2113240")
    assert not same_doi(None, None)
    assert not same_doi("n/a", "n/a")


def test_doi_fragment_recognised_only_when_it_is_a_doi() -> None:
    assert is_doi_fragment("doi/10.1080/09512748.2022.2090594")
    assert is_doi_fragment("10.1080/09512748.2022.2090594")
    assert is_doi_fragment("https://doi.org/10.1080/09512748.2022.2090594")
    assert not is_doi_fragment("/www/art/2024/05/398_342391.html")
    assert not is_doi_fragment("doi/full")


def test_doi_step_cleans_a_prefixed_doi_and_records_it() -> None:
    entry = Entry(doi="https://doi.org/10.1080/13523260.2019.1660483")
    changes = normalise_doi(entry)
    assert entry.doi == "10.1080/13523260.2019.1660483"
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("doi-normalised", "DOI", "https://doi.org/10.1080/13523260.2019.1660483",
         "10.1080/13523260.2019.1660483")]
    assert normalise_doi(entry) == []


def test_doi_step_leaves_a_clean_doi_alone() -> None:
    entry = Entry(doi="10.1080/13523260.2019.1660483")
    assert normalise_doi(entry) == []
    assert entry.doi == "10.1080/13523260.2019.1660483"


def test_doi_step_leaves_an_unrecognisable_doi_for_the_checks() -> None:
    entry = Entry(doi="forthcoming")
    assert normalise_doi(entry) == []
    assert entry.doi == "forthcoming"


def test_doi_step_takes_the_doi_out_of_the_tandfonline_url() -> None:
    url = "https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594"
    entry = Entry(type="article-journal", url=url)
    changes = normalise_doi(entry)
    assert entry.doi == "10.1080/09512748.2022.2090594"
    assert entry.url == url, "the URL is kept"
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("doi-in-url", "DOI", None, "10.1080/09512748.2022.2090594")]
    assert normalise_doi(entry) == []


def test_doi_step_does_not_invent_a_doi_from_a_plain_url() -> None:
    entry = Entry(url="https://www.globalnk.org/commentary/view?cd=COM000133")
    assert normalise_doi(entry) == []
    assert entry.doi is None


@pytest.mark.parametrize("url", ["https://doi.org/10.1525/as.2024.2113239",
                                 "doi/10.1525/as.2024.2113239", "doi:10.1525/as.2024.2113239"])
def test_a_url_that_is_only_a_doi_moves_to_the_doi_field(url: str) -> None:
    entry = Entry(type="article-journal", url=url)
    changes = normalise_doi(entry)
    assert (entry.doi, entry.url) == ("10.1525/as.2024.2113239", None)
    assert [(c.code, c.field, c.before, c.after) for c in changes] == [
        ("doi-normalised", "DOI", None, "10.1525/as.2024.2113239"),
        ("doi-normalised", "URL", url, None)]
    assert normalise_doi(entry) == []


def test_a_doi_link_repeating_the_doi_field_is_dropped() -> None:
    entry = Entry(doi="10.1525/AS.2024.2113239", url="https://doi.org/10.1525/as.2024.2113239")
    changes = normalise_doi(entry)
    assert (entry.doi, entry.url) == ("10.1525/AS.2024.2113239", None)
    assert [(c.code, c.field) for c in changes] == [("doi-normalised", "URL")]


def test_a_doi_link_with_a_different_doi_is_left_for_a_person() -> None:
    entry = Entry(doi="10.1000/one", url="https://doi.org/10.1000/two")
    assert normalise_doi(entry) == []
    assert (entry.doi, entry.url) == ("10.1000/one", "https://doi.org/10.1000/two")


def test_a_publisher_url_is_not_consulted_when_the_entry_has_a_doi() -> None:
    entry = Entry(doi="10.1000/one",
                  url="https://www.tandfonline.com/doi/full/10.1080/09512748.2022.2090594")
    assert normalise_doi(entry) == []
    assert entry.doi == "10.1000/one"
