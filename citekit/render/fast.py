"""Speed for citeproc-py's style interpreter, scoped to the styles citekit loads.

citeproc-py walks the style tree for every entry and cite and, at every node, recomputes things
that never change while a style is in use: the root element (``getroottree().getroot()``), the
output formatter, the enclosing ``cs:layout`` (an XPath query), the children of the node, its
child elements looked up by name (``self.layout``, ``self.name``: a ``find`` each time), how the
node's formatting and affix attributes apply, the split-up attributes of every ``cs:if``, the
kind of each ``cs:text`` and the options of each ``cs:name`` (per context). A ``cs:choose``
whose conditions test only ``type`` and ``variable`` remembers the branch it took per
signature of the item (its type and which tested variables it has), so most chooses go
straight to their branch instead of raising ``ConditionFailed`` for every branch not taken.
The mixins here compute each of these once per element and keep it on the element (the engine
holds every element of a loaded style, so lxml keeps returning the same Python objects and the
caches live exactly as long as that one rendering).

Nothing here changes what is rendered: each override returns what citeproc-py's method returns
for the same element and input, and defers to it wherever a shortcut would not be exact. The
mixins are mixed into citekit's own element classes (see ``engine._element_lookup``) and never
into citeproc-py's classes, so citeproc-py used plainly (``fidelity=False``, the benchmarks'
baseline) runs citeproc-py's code unchanged.
"""

from __future__ import annotations

from typing import Any

from citeproc.model import Choose, ConditionFailed
from citeproc.source import VariableError
from citeproc.string import MixedString, String, join

__all__ = ["FastElement", "FastChoose", "FastIf", "FastName", "FastText", "MIXINS"]

_FORMAT_ATTRIBUTES = ("font-style", "font-variant", "font-weight", "text-decoration",
                      "vertical-align")
_MISSING = object()


class FastElement:
    """Per-element caches for what every CSL element looks up again and again."""

    def get_root(self) -> Any:
        cache = self.__dict__
        try:
            return cache["_ck_root"]
        except KeyError:
            root = cache["_ck_root"] = super().get_root()  # type: ignore[misc]
            return root

    def get_formatter(self) -> Any:
        # set once on the style root before anything renders (formats.formatter_for returns
        # one shared object per format), so it can be remembered on first use
        cache = self.__dict__
        try:
            return cache["_ck_formatter"]
        except KeyError:
            formatter = cache["_ck_formatter"] = super().get_formatter()  # type: ignore[misc]
            return formatter

    def get_layout(self) -> Any:
        cache = self.__dict__
        try:
            return cache["_ck_layout"]
        except KeyError:
            layout = cache["_ck_layout"] = super().get_layout()  # type: ignore[misc]
            return layout

    def __getattr__(self, name: str) -> Any:
        # citeproc-py answers unknown attributes with the first child element of that name
        # (``self.layout``, ``root.bibliography``); the style does not change while it renders
        if name.startswith("_"):
            raise AttributeError(name)
        found = super().__getattr__(name)  # type: ignore[misc]
        self.__dict__[name] = found
        return found

    def get_date(self, form: str) -> Any:
        # the locale's date format of this form: the same for every element of one style
        cache = self.get_root().__dict__.setdefault("_ck_dates", {})
        try:
            return cache[form]
        except KeyError:
            date = cache[form] = super().get_date(form)  # type: ignore[misc]
            return date

    def get_single_term(self, name: str, *args: Any, **kwargs: Any) -> Any:
        # the singular form of a term (a String, immutable): the same for every element of
        # one style and output format, so remembered on the root per format
        root = self.get_root()
        try:
            # formatters are module-level objects (formats.formatter_for): their id is stable
            key = (id(root.__dict__.get("formatter")), name, args, tuple(sorted(kwargs.items())))
            cache = root.__dict__.setdefault("_ck_single_terms", {})
            return cache[key]
        except TypeError:  # an unhashable argument: not remembered
            return super().get_single_term(name, *args, **kwargs)  # type: ignore[misc]
        except KeyError:
            term = cache[key] = super().get_single_term(name, *args, **kwargs)  # type: ignore[misc]
            return term

    def _ck_children(self) -> list[tuple[Any, bool]]:
        """The child elements, each with whether it is a cs:choose."""
        cache = self.__dict__
        try:
            return cache["_ck_kids"]  # type: ignore[no-any-return]
        except KeyError:
            kids = cache["_ck_kids"] = [(child, isinstance(child, Choose))
                                            for child in self.iterchildren()]  # type: ignore[attr-defined]
            return kids

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        # the same walk as citeproc-py's Parent.render_children, over the cached children
        output = []
        for child, is_choose in self._ck_children():
            try:
                if is_choose:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                continue
            if text is not None:
                output.append(text)
        if output:
            return join(output, delimiter)
        return None

    def format(self, string: Any) -> Any:
        # without formatting attributes every step of Formatted.format returns its input
        plain = self.__dict__.get("_ck_plain_format")
        if plain is None:
            plain = self.__dict__["_ck_plain_format"] = not any(
                a in self.attrib for a in _FORMAT_ATTRIBUTES)  # type: ignore[attr-defined]
        if plain:
            return str(string) if isinstance(string, (int, float)) else string
        return super().format(string)  # type: ignore[misc]

    def wrap(self, string: Any) -> Any:
        # without prefix and suffix, Affixed.wrap gives back a string unchanged ('' + s + '')
        bare = self.__dict__.get("_ck_bare")
        if bare is None:
            attrib = self.attrib  # type: ignore[attr-defined]
            bare = self.__dict__["_ck_bare"] = not attrib.get("prefix") and not attrib.get("suffix")
        if bare and (type(string) is str or isinstance(string, (String, MixedString))):
            return string
        return super().wrap(string)  # type: ignore[misc]


#: cs:if attributes whose tests read only the item's type and which variables it has
#: (``position``, ``locator`` and ``disambiguate`` depend on the cite or on the state of
#: disambiguation; ``is-numeric`` and ``is-uncertain-date`` on a variable's value).
_STATIC_TESTS = frozenset({"type", "variable", "match"})
#: Variables a ``variable`` test may not read for a choose to take the shortcut: they belong
#: to the cite, or citekit sets them while the style renders (year suffixes).
_DYNAMIC_VARIABLES = frozenset({"locator", "year-suffix", "citation-number",
                                "first-reference-note-number", "citation-label"})


def signature_variables(choose: Any) -> tuple[str, ...] | None:
    """The variables (as reference keys) the branches of a cs:choose test, when they test
    only ``type`` and ``variable``; None when a branch tests anything else."""
    tested: list[str] = []
    for child in choose.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag.rpartition("}")[2] not in ("if", "else-if", "else"):
            return None
        attrib = child.attrib
        if not set(attrib) <= _STATIC_TESTS:
            return None
        for variable in attrib.get("variable", "").split():
            if variable in _DYNAMIC_VARIABLES:
                return None
            if variable.replace("-", "_") not in tested:
                tested.append(variable.replace("-", "_"))
    return tuple(tested)


class FastChoose(FastElement):
    """cs:choose over its cached branches.

    When every condition of the choose tests only ``type`` and ``variable`` (see
    :data:`_STATIC_TESTS`), the branch taken is a function of the item's type and of which of
    the tested variables its reference has; it is remembered per such signature, and later
    items with the same signature go straight to that branch's children without re-testing
    (and raising ``ConditionFailed`` for every branch not taken). That is what the branch's
    own ``render`` does once its test passed: citekit's cs:if and cs:else-if (fidelity's
    IfOverride, which adds only the ``disambiguate`` test, over FastIf) and citeproc-py's
    cs:else all end in ``render_children(item, context=context, delimiter=delimiter,
    **kwargs)``."""

    def _ck_signature_vars(self) -> tuple[str, ...] | None:
        """The variables the conditions test (as reference keys), or None if a condition
        tests something else."""
        return signature_variables(self)  # type: ignore[arg-type]

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        cache = self.__dict__
        tested = cache.get("_ck_tested", _MISSING)
        if tested is _MISSING:
            tested = cache["_ck_tested"] = self._ck_signature_vars()
            cache["_ck_taken"] = {}
        signature = None
        if tested is not None:
            reference = item.reference
            # Reference.type always exists (citeproc-py's Reference sets it)
            signature = (dict.get(reference, "type"), *[v in reference for v in tested])
            taken = cache["_ck_taken"].get(signature, _MISSING)
            if taken is None:
                return None
            if taken is not _MISSING:
                return taken.render_children(item, context=context, delimiter=delimiter, **kwargs)
        for child, _ in self._ck_children():
            try:
                out = child.render(item, context=context, delimiter=delimiter, **kwargs)
            except ConditionFailed:
                continue
            if signature is not None:
                cache["_ck_taken"][signature] = child
            return out
        if signature is not None:
            cache["_ck_taken"][signature] = None
        return None


def split_tests(attrib: Any) -> tuple[list[str] | None, list[str] | None, list[str], bool,
                                       str | None]:
    """A cs:if / cs:else-if's tests: its types, its variables (as reference keys), the names
    of its other tests, whether it tests the position, and its ``match``."""
    types = [t.lower() for t in attrib["type"].split()] if "type" in attrib else None
    variables = ([v.replace("-", "_") for v in attrib["variable"].split()]
                 if "variable" in attrib else None)
    others = [name for name in ("is-numeric", "is-uncertain-date", "locator") if name in attrib]
    return types, variables, others, "position" in attrib, attrib.get("match")


def conditions_hold(item: Any, types: list[str] | None, variables: list[str] | None,
                    results: list[Any], match: str | None) -> bool:
    """Whether a cs:if / cs:else-if passes: its ``type`` and ``variable`` tests on ``item``
    added to the ``results`` of its other tests, combined by ``match`` (all, any, none)."""
    if types is not None:
        kind = item.reference.type
        results += [t == kind for t in types]
    if variables is not None:
        reference = item.reference
        results += [("locator" in item) if v == "locator" else (v in reference)
                    for v in variables]
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


class FastIf(FastElement):
    """cs:if and cs:else-if with their attributes split up once; the type and variable tests
    run inline, the rarer tests through citeproc-py's own methods."""

    def _ck_tests(self) -> tuple[Any, ...]:
        cache = self.__dict__
        try:
            return cache["_ck_if"]  # type: ignore[no-any-return]
        except KeyError:
            tests = cache["_ck_if"] = split_tests(self.attrib)  # type: ignore[attr-defined]
            return tests

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        types, variables, others, position, match = self._ck_tests()
        results: list[Any] = []
        for name in others:
            if name == "is-numeric":
                results += self._is_numeric(item)  # type: ignore[attr-defined]
            elif name == "is-uncertain-date":
                results += self._is_uncertain_date(item)  # type: ignore[attr-defined]
            else:
                results += self._locator(item)  # type: ignore[attr-defined]
        if position:
            results += self._position(item, context)  # type: ignore[attr-defined]
        if not conditions_hold(item, types, variables, results, match):
            raise ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


class FastText(FastElement):
    """cs:text: the item's language without raising and catching an exception per call; a
    bare ``<text macro="…"/>`` (no other attribute) is the macro's output as it is."""

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        cache = self.__dict__
        macro = cache.get("_ck_macro", _MISSING)
        if macro is _MISSING:
            attrib = self.attrib  # type: ignore[attr-defined]
            macro = cache["_ck_macro"] = (self.get_macro(attrib["macro"])  # type: ignore[attr-defined]
                                          if list(attrib) == ["macro"] else None)
        if macro is None or kwargs:
            # with options (sort_options while a sort key renders) the fidelity layer's
            # process() must see them, so only the option-free call takes the shortcut
            return super().render(item, context=context, **kwargs)  # type: ignore[misc]
        # Text.process calls the macro with (item, context) only; markup() of an element
        # without attributes returns any non-empty text unchanged (strip-periods, text-case,
        # formatting, quotes and affixes are all absent) and None for an empty one
        text = macro.render(item, context if context is not None else self)
        return text if text else None

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if context is None:
            context = self
        cache = self.__dict__
        kind = cache.get("_ck_kind")
        if kind is None:
            # which of Text.process's branches this element takes, and the default language
            attrib = self.attrib  # type: ignore[attr-defined]
            kind = cache["_ck_kind"] = (
                next((name for name in ("variable", "macro", "term", "value") if name in attrib),
                     ""),
                self.get_root().get("default-locale", "en")[:2])  # type: ignore[attr-defined]
        what, default_language = kind
        language = dict.get(item.reference, "language", _MISSING)
        language = default_language if language is _MISSING else language[:2]
        if what == "variable":
            text = self._variable(item, context)  # type: ignore[attr-defined]
        elif what == "macro":
            text = self.get_macro(self.attrib["macro"]).render(item, context)  # type: ignore[attr-defined]
        elif what == "term":
            text = self._term(item)  # type: ignore[attr-defined]
        elif what == "value":
            text = String(self.preformat(self.attrib["value"]))  # type: ignore[attr-defined]
        else:
            raise UnboundLocalError("cs:text without variable, macro, term or value")
        return text, language


#: Key in a cs:name's ``__dict__`` of its options per (option, context), without sort options
#: (shared with the compiled option lookup, :func:`.compiled._compile_name_options`).
OPTIONS_KEY = "_ck_options"


class FastName(FastElement):
    """cs:name's options: without sort options, an option is what the element says or else
    what the enclosing cs:citation / cs:bibliography (found from ``context``) says, which does
    not change while the style renders; so it is looked up once per (option, context)."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options is not None:
            return super().get_option(name, context, sort_options)  # type: ignore[misc]
        cache = self.__dict__.get(OPTIONS_KEY)
        if cache is None:
            cache = self.__dict__[OPTIONS_KEY] = {}
        key = (name, context)
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = super().get_option(name, context, sort_options)  # type: ignore[misc]
            return value


#: CSL element name -> the speed mixin for it (every other element gets FastElement).
MIXINS: dict[str, type] = {
    "choose": FastChoose,
    "if": FastIf,
    "else-if": FastIf,
    "text": FastText,
    "name": FastName,
}
