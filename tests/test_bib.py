"""bib/ holds what citekit produces from the seed list: regenerating it must give the same files."""

from __future__ import annotations

import pytest

from citekit.check.fix import fix
from citekit.check.runner import CheckOptions
from conftest import BIB


@pytest.mark.parametrize("name", ["seed-references.json", "seed-references.bib"])
def test_bib_files_are_reproducible(tmp_path, name):
    out = tmp_path / name
    fix(BIB / "seed-references.txt", output=out,
        options=CheckOptions(offline=True, input_format="text"))
    assert out.read_text(encoding="utf-8") == (BIB / name).read_text(encoding="utf-8")


def test_bib_keys_are_stable():
    import json

    items = json.loads((BIB / "seed-references.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == [
        "chow2019", "chun2024", "easley2017", "easley2023", "easley2024", "fish2023", "ha2024",
        "kelly2024", "kim2024", "kwak2024", "lee2023", "leeetal2023", "lowyinstitute2024",
        "ministryofunification2024", "worldbank2024"]
    urls = {i["id"]: i.get("URL") for i in items}
    assert urls["kwak2024"] == "https://www.koreatimes.co.kr/www/art/2024/05/398_342391.html"
    assert urls["worldbank2024"] == "https://www.worldbank.org/en/country/korea/overview"
