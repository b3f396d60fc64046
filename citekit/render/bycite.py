"""By-cite disambiguation the way citeproc-js runs it (part of the fidelity layer).

CSL leaves much of the disambiguation order to the processor. For styles with
``givenname-disambiguation-rule="by-cite"`` (the default) and added names or given names,
citeproc-js walks each group of cites that read the same through a fixed sequence: more of the
first name's given name (initials, then in full), then one more name, its given name, and so
on; then year suffixes; then ``disambiguate="true"``. A step is kept for the cites it separates
from the first cite of the group; cites that still clash go round again; what no step can
separate keeps the fullest form tried. This module re-implements that walk (written for
citekit from the behaviour, not a port), so that citekit's cites match citeproc-js's (MLA:
``(A. Chun, Nguyen, et al.)``, ``(Emily García, How Identity Shapes China)``).

The walk only needs a way to render one cite under a :class:`AmbigConfig`; the engine passes
it in as ``probe``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

__all__ = ["AmbigConfig", "NameConfig", "ByCiteRun"]


@dataclass(frozen=True)
class NameConfig:
    """How the first name list of a cite prints: ``shown`` names (None: the style's et-al
    setting), and per shown name a given-name level (0 as the style, 1 initials, 2 in full)."""

    shown: int | None
    givens: tuple[int, ...] = ()


@dataclass
class AmbigConfig:
    """One disambiguation state: names shown, given-name levels, the disambiguate condition
    and a year-suffix position."""

    names: int
    givens: list[int] = field(default_factory=list)
    disambiguate: int = 0
    year_suffix: int | None = None

    def clone(self) -> "AmbigConfig":
        """An independent copy."""
        return AmbigConfig(self.names, list(self.givens), self.disambiguate, self.year_suffix)

    def names_config(self) -> NameConfig:
        """The name part, for rendering."""
        return NameConfig(self.names, tuple(self.givens))


class ByCiteRun:
    """Disambiguate one group of cites that read the same.

    ``keys`` are the group's cites, ``order`` gives each a sort key (citeproc-js orders a
    group by its name counts compared as text — "22" before "3" — then by item id; the first
    cite's name count bounds how many names are added), ``total_names`` / ``shown_names`` the size of
    each cite's first name list and how many of those the style shows. ``modes`` is a
    sequence of "names", "years" and "extra" (the disambiguate condition). ``probe(key,
    config)`` renders a cite. After :meth:`run`, :attr:`registered` maps keys to the
    configuration chosen for them.
    """

    def __init__(self, keys: Sequence[str], order: Callable[[str], tuple[str, str]],
                 total_names: dict[str, int], shown_names: dict[str, int],
                 modes: Sequence[str], probe: Callable[[str, AmbigConfig], str],
                 add_names: bool, givens_max: int | None, initials: bool,
                 bib_position: Callable[[str], int]) -> None:
        items = sorted(keys, key=order)
        self.total = total_names
        self.modes = list(modes)
        self.probe = probe
        self.add_names = add_names
        self.givens_max = givens_max
        self.initials = initials
        self.bib_position = bib_position
        start = max((shown_names.get(k, 0) for k in items), default=0)
        self.base = AmbigConfig(start, [0] * start)
        self.better = self.base.clone()
        self.names_max = total_names.get(items[0], 0) if items else 0
        self.lists: list[tuple[AmbigConfig, list[str]]] = [(self.base, items)]
        self.registered: dict[str, AmbigConfig] = {}
        self.mode = 0
        self.gname = 0
        self.clashes = [1, 0]
        self.init_givens = True
        self.partners: list[str] = []
        self.nonpartners: list[str] = []

    # -- the walk ---------------------------------------------------------------------------

    def run(self, limit: int = 10_000) -> dict[str, AmbigConfig]:
        """Walk every list until each cite is settled; returns :attr:`registered`."""
        steps = 0
        while self.lists:
            self.gname = 0
            self.clashes = [1, 0]
            while self.lists and self.lists[0][1]:
                steps += 1
                if steps > limit:  # a guard: the walk always ends, but never hang on bad data
                    return self.registered
                maxed = self._increment()
                self._scan(self.lists[0][1])
                self._evaluate(maxed)
            self.lists = self.lists[1:]
        return self.registered

    def _register(self, key: str, config: AmbigConfig) -> None:
        self.registered[key] = config.clone()

    def _current_given(self) -> int | None:
        return self.base.givens[self.gname] if self.gname < len(self.base.givens) else None

    def _increment(self) -> bool:
        if self.init_givens:
            self.init_givens = False
            return False
        mode = self.modes[self.mode]
        if mode == "names":
            more_names = self.givens_max is None
            if self.givens_max is not None:
                level = self._current_given()
                if level is not None and level < self.givens_max:
                    self.base.givens[self.gname] += 1
                else:
                    more_names = True
            if more_names and self.add_names and self.gname < self.names_max:
                self.base.names += 1
                self.gname += 1
            level = self._current_given()
            return ((not self.add_names or self.gname == self.names_max)
                    and (self.givens_max is None or level is None or level == self.givens_max))
        if mode == "extra":
            self.base.disambiguate += 1
            self.better.disambiguate += 1
        return False

    def _render(self, key: str) -> str:
        text = self.probe(key, self.base)
        # rendering writes back how many names it showed (never more than the cite has) and
        # fills in the level of every name shown (as the style prints it)
        shown = min(self.base.names, self.total.get(key, 0))
        if shown:
            self.base.names = shown
        while len(self.base.givens) < shown:
            self.base.givens.append(0)
        if not self.initials:  # initials without initialize-with print the whole given name
            self.base.givens = [2 if g == 1 else g for g in self.base.givens]
        return text

    def _scan(self, items: list[str]) -> None:
        first = items[0]
        text = self._render(first)
        self.partners, self.nonpartners = [first], []
        for other in items[1:]:
            (self.partners if self._render(other) == text else self.nonpartners).append(other)
        self.clashes = [self.clashes[1], len(self.partners) - 1]

    def _evaluate(self, maxed: bool) -> None:
        mode = self.modes[self.mode]
        if mode == "names":
            self._names(maxed)
        elif mode == "years":
            self._years()
        else:
            self._extra()
        if maxed:
            if self.mode < len(self.modes) - 1:
                self.mode += 1
            elif len(self.lists) > 1:
                self.lists[1] = (self.base, [])
            else:
                self.lists.append((self.base, []))

    def _capture(self) -> None:
        """Keep the step just taken: copy it from the trial state to the kept one."""
        if self.givens_max is not None and self.gname < len(self.base.givens):
            while len(self.better.givens) <= self.gname:
                self.better.givens.append(0)
            self.better.givens[self.gname] = self.base.givens[self.gname]
        self.better.names = self.base.names

    def _names(self, maxed: bool) -> None:
        clashes, partners, nonpartners = self.clashes[1], self.partners, self.nonpartners
        if clashes == 0 and len(nonpartners) == 1:
            self._capture()
            self._register(nonpartners[0], self.better)
            self._register(partners[0], self.better)
            self.lists[0] = (self.better, [])
        elif clashes == 0:
            self._capture()
            self._register(partners[0], self.better)
            self.lists[0] = (self.better, nonpartners)
            if nonpartners:
                self.init_givens = True
        elif len(nonpartners) == 1:
            self._capture()
            self._register(nonpartners[0], self.better)
            self.lists[0] = (self.better, partners)
        elif clashes < self.clashes[0]:
            self._capture()
            self.lists[0] = (self.better, partners)
            self.lists.append((self.better, nonpartners))
        elif maxed:
            self.lists[0] = (self.better, nonpartners)
            self.lists.append((self.better, partners))
            if self.mode == len(self.modes) - 1:
                for key in partners:
                    self._register(key, self.better)
                self.lists[0] = (self.better, [])

    def _years(self) -> None:
        config, items = self.lists[0]
        tokens = sorted(items, key=self.bib_position) if self.clashes[1] else []
        for position, key in enumerate(tokens):
            config.year_suffix = position
            self._register(key, config)
        self.lists[0] = (self.better, [])

    def _extra(self) -> None:
        done = self.clashes[1] == 0 and len(self.nonpartners) < 2
        if not done and not self.base.disambiguate:
            # first time here: go back to the names with the condition switched on
            self.mode = 0
            self.base.disambiguate = self.better.disambiguate = 0
            self.init_givens = True
            self.base.disambiguate = 1
            return
        config, items = self.lists[0]
        for key in items:
            self._register(key, config)
        self.lists[0] = (self.better, [])
