"""Make CSL-JSON items safe for citeproc-py: it crashes on dates, names and fields of the wrong
shape, which arrive from hand-written or converted data. Each repair is reported."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["sanitize_item", "DATE_VARIABLES", "NAME_VARIABLES"]

DATE_VARIABLES = ("issued", "accessed", "original-date", "event-date", "submitted",
                  "available-date")
NAME_VARIABLES = ("author", "editor", "translator", "container-author", "collection-editor",
                  "composer", "director", "editorial-director", "illustrator", "interviewer",
                  "original-author", "recipient", "reviewed-author", "chair", "compiler",
                  "contributor", "curator", "executive-producer", "guest", "host", "narrator",
                  "organizer", "performer", "producer", "script-writer", "series-creator")
_RAW_DATE_RE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_NAME_KEYS = ("family", "given", "literal", "dropping-particle", "non-dropping-particle",
              "suffix", "comma-suffix", "static-ordering", "parse-names")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,5}\s*", value):
        return int(value)
    return None


def _date_parts(parts: Any) -> list[int] | None:
    if not isinstance(parts, list) or not parts:
        return None
    nums = [_int(p) for p in parts[:3]]
    if nums[0] is None or nums[0] == 0 and len(nums) == 1:
        return None
    out = [nums[0]]
    if len(nums) > 1 and nums[1] is not None and 1 <= nums[1] <= 24:
        # 13-24 are seasons (citeproc-js reads 13/17/21 as spring … 16/20/24 as winter);
        # they are kept as 13-16, which fidelity.DatePartOverride prints as season terms
        out.append(nums[1] if nums[1] <= 12 else 12 + (nums[1] - 13) % 4 + 1)
        if len(nums) > 2 and nums[2] is not None and 1 <= nums[2] <= 31 and nums[1] <= 12:
            out.append(nums[2])
    return out  # type: ignore[return-value]


def _date(value: Any) -> tuple[dict[str, Any] | None, bool]:
    """A well-formed CSL date (or None) and whether anything had to change."""
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, dict):
        return None, True
    out = {k: v for k, v in value.items() if k in ("season", "circa", "literal")}
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts:
        first = _date_parts(parts[0])
        if first:
            cleaned = [first]
            if len(parts) > 1:
                end = _date_parts(parts[1])
                if end:
                    cleaned.append(end)
                elif parts[1] in ([], [0], ["0"], [""]):
                    cleaned.append([0])  # an open range: "2000–"
            out["date-parts"] = cleaned
            return out, [[_int(p) for p in x] for x in cleaned] != [
                [_int(p) for p in x] if isinstance(x, list) else x for x in parts[:2]]
        text = " ".join(str(p) for x in parts for p in (x if isinstance(x, list) else [x]))
        out["literal"] = out.get("literal") or text
        return out, True
    raw = value.get("raw")
    if isinstance(raw, str):
        match = _RAW_DATE_RE.match(raw)
        if match:
            nums = [int(g) for g in match.groups() if g]
            out["date-parts"] = [_date_parts(nums) or nums[:1]]
            return out, False
        out["literal"] = out.get("literal") or raw
        return out, False
    if "literal" in out:
        return out, False
    return None, True


def _names(value: Any) -> tuple[list[dict[str, Any]], bool]:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        return [], True
    out, changed = [], False
    for name in value:
        if isinstance(name, str):
            out.append({"literal": name})
            changed = True
        elif isinstance(name, dict):
            clean = {k: (v if isinstance(v, (bool, int)) and k in ("comma-suffix",
                                                                   "static-ordering",
                                                                   "parse-names") else str(v))
                     for k, v in name.items() if k in _NAME_KEYS and v is not None}
            changed = changed or clean != name
            if any(k in clean for k in ("family", "given", "literal")):
                out.append(clean)
            else:
                changed = True
        else:
            changed = True
    return out, changed


def sanitize_item(item: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``item`` citeproc-py can read, and what was repaired (one phrase each)."""
    out: dict[str, Any] = {}
    fixed: list[str] = []
    for key, value in item.items():
        if key in DATE_VARIABLES:
            date, changed = _date(value)
            if changed:
                outcome = ("kept what is valid" if date and "date-parts" in date else
                           "printed as written" if date else "left out")
                fixed.append(f"{key} {value!r} is not a valid date; {outcome}")
            if date:
                out[key] = date
        elif key in NAME_VARIABLES:
            names, changed = _names(value)
            if changed:
                fixed.append(f"{key} is not a list of names; read as well as possible")
            if names:
                out[key] = names
        elif value is None:
            continue
        elif isinstance(value, list) and key not in ("categories",) and all(
                isinstance(v, (str, int, float)) for v in value):
            out[key] = " ".join(str(v) for v in value)
        elif isinstance(value, (dict, list)) and key not in ("custom",):
            fixed.append(f"{key} has an unexpected structure; left out")
        else:
            out[key] = value
    return out, fixed
