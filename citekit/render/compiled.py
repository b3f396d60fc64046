"""A loaded style "compiled": one specialised render function per element.

citeproc-py (with citekit's fidelity and speed mixins on top) renders an element through a
chain of methods — the variable counting of the fidelity layer, the speed mixin, citeproc-py's
``render``, ``process`` and ``markup`` with its five formatting steps, affixes, quotes, case
and strip-periods — and each step looks its attributes up again. For the elements rendered
most (``cs:text``, ``cs:group``, ``cs:macro``, ``cs:names``, ``cs:substitute``, ``cs:choose``
and its branches) :func:`compile_style` builds, once per element of a loaded style, a closure
that does what that chain does for the element's fixed attributes: the steps that cannot apply
(no ``text-case``, no ``quotes``, no formatting or affixes) are left out, the ones that can are
bound once, and the children are listed once with their own compiled calls. A compiled call
takes ``(item, context, kwargs, delimiter)`` — the options dict passed along as it is, never
changed — so compiled parents and children do not pack and unpack keywords at every level;
each element's ``render`` (citeproc-py's signature) hands its arguments to it. Whatever is rare
(options other than the usual ones, editor + translator, ``form="count"``, ``disambiguate``
tests) goes down the element's ordinary method chain. ``cs:name`` gets its option lookup
cached per context.

The closures are set on the elements themselves (``element.__dict__["render"]``, which Python
finds before the class's method), so they live as long as the loaded style and never touch
citeproc-py's classes. Each returns what the method chain returns for the same element and
input: ``tests/test_render_fast.py`` renders with and without them (``engine.COMPILED``) and
compares.
"""

from __future__ import annotations

from typing import Any, Callable

from citeproc.model import Choose, ConditionFailed
from citeproc.source import VariableError
from citeproc.string import MixedString, String, join

from . import fidelity as fx
from .fast import (_DYNAMIC_VARIABLES, _STATIC_TESTS, OPTIONS_KEY, conditions_hold,
                   signature_variables, split_tests)

__all__ = ["compile_style", "compile_locale_dates", "compile_initials", "compile_name_process",
           "memo_dates"]

CSL = "{http://purl.org/net/xbiblio/csl}"
_FORMAT_ATTRIBUTES = ("font-style", "font-variant", "font-weight", "text-decoration",
                      "vertical-align")
_MISSING = object()
_RENDERED, _CALLED = fx.RENDERED_KEY, fx.CALLED_KEY


#: What a compiled macro hands its children (never changed by them).
_NO_SORT: dict[str, Any] = {"sort_options": None}

#: Lists of children waiting for their compiled calls (filled in by compile_style).
_Kids = list  # of (child, is_choose, call or None)


def _children(element: Any, pending: list[_Kids]) -> _Kids:
    """The children of an element as (child, is_choose, call); the calls are filled in once
    every element of the style has been compiled."""
    kids: _Kids = [(child, isinstance(child, Choose), None) for child in element.iterchildren()]
    pending.append(kids)
    return kids


def _link(pending: list[_Kids]) -> None:
    """Fill in the compiled calls of the children listed while compiling."""
    for kids in pending:
        kids[:] = [(child, is_choose, child.__dict__.get("_ck_call"))
                   for child, is_choose, _ in kids]


def _render_kids(kids: _Kids, item: Any, context: Any, delimiter: str,
                 kwargs: dict[str, Any]) -> Any:
    """render_children(item, context=context, delimiter=delimiter, **kwargs): each child
    renders with the context and options, a cs:choose also with the delimiter; the outputs
    are joined with the delimiter.

    This and the compiled group below repeat ``FastElement.render_children`` and
    ``GroupOverride.process`` on purpose: calling the compiled children positionally, with no
    keyword packing at each level, is the speed-up (``tests/test_render_fast.py`` keeps the
    outputs equal)."""
    output = []
    for child, is_choose, call in kids:
        try:
            if call is not None:
                text = call(item, context, kwargs, delimiter)
            elif is_choose:
                text = child.render(item, delimiter=delimiter, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        if text is not None and text is not SKIP:
            output.append(text)
    if not output:
        return None
    # citeproc-py's join gives back a lone item as it is
    return output[0] if len(output) == 1 else join(output, delimiter)


#: What a compiled call returns where the element's render raises ``VariableError`` (a
#: suppressed group, a missing variable): raising and catching costs more than a return,
#: and the callers of compiled calls (``_render_kids``, the compiled group) skip it as they
#: skip the exception; ``render`` turns it back into the exception for everyone else.
SKIP: Any = object()


def _install(element: Any, call: Callable[..., Any], branch: bool = False) -> None:
    """Set the compiled call on the element, and a render that takes citeproc-py's
    arguments and hands them to it: ``call(item, context, kwargs, delimiter)`` does what
    ``render(item, context=context, **kwargs)`` (for a cs:choose or a branch also
    ``delimiter=delimiter``) does, except that it may return ``SKIP`` where render raises
    ``VariableError``. ``kwargs`` is only read, never changed."""
    if branch:
        def render(item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
            out = call(item, context, kwargs, delimiter)
            if out is SKIP:
                raise VariableError
            return out
    else:
        def render(item: Any, context: Any = None, **kwargs: Any) -> Any:
            out = call(item, context, kwargs, "")
            if out is SKIP:
                raise VariableError
            return out
    element.__dict__["_ck_call"] = call
    element.__dict__["render"] = render


def _finisher(element: Any) -> Callable[[Any], Any]:
    """``wrap(format(text))`` of the element (FastElement's format and wrap), with the
    steps that cannot change anything left out."""
    attrib = element.attrib
    plain = not any(a in attrib for a in _FORMAT_ATTRIBUTES)
    bare = not attrib.get("prefix") and not attrib.get("suffix")
    fmt, wrap = element.format, element.wrap
    if plain and bare:
        def finish(text: Any) -> Any:
            if isinstance(text, (int, float)):
                text = str(text)
            if type(text) is str or isinstance(text, (String, MixedString)):
                return text
            return wrap(text)
    elif plain:
        def finish(text: Any) -> Any:
            return wrap(str(text) if isinstance(text, (int, float)) else text)
    else:
        def finish(text: Any) -> Any:
            return wrap(fmt(text))
    return finish


def _compile_macro(macro: Any, pending: list[_Kids]) -> None:
    """cs:macro: Macro.render (its children with the context and the sort options)."""
    kids = _children(macro, pending)

    def render(item: Any, context: Any = None, sort_options: Any = None) -> Any:
        # Macro.render -> render_children(item, context=, sort_options=) with delimiter ''
        kwargs = _NO_SORT if sort_options is None else {"sort_options": sort_options}
        return _render_kids(kids, item, context, "", kwargs)

    macro.__dict__["render"] = render
    macro.__dict__[_MACRO_KIDS] = kids


#: Key in a compiled cs:macro's ``__dict__`` of its children list: a compiled cs:text calls
#: ``_render_kids`` on it directly, which is what the macro's render does.
_MACRO_KIDS = "_ck_macro_kids"


#: What a group may hold for :func:`_absent_variables` to answer.
_ABSENT_TAGS = frozenset({"group", "choose", "if", "else-if", "else", "text", "date", "date-part",
                          "label", "number", "names"})
#: What a cs:names in such a group may hold (no cs:substitute, no form="count").
_ABSENT_NAMES_KIDS = frozenset({"name", "label", "et-al", "name-part"})
_ABSENT_TESTS = frozenset({"type", "variable", "match", "is-numeric", "is-uncertain-date"})


def _absent_variables(group: Any, macro_memo: dict[int, Any] | None = None,
                      ) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """For a cs:group whose outcome, for an item that lacks the variables it prints, depends
    on the item's type and which of the variables its conditions test the item has:
    (the reference keys it prints or tests the value of, the keys it only tests for,
    whether it holds a cs:names); None for any other group.

    Such a group (its macros included) holds only groups, chooses whose tests read the
    item's type and variables (``variable``, ``is-numeric``, ``is-uncertain-date``), texts
    (variables, terms, values, macros of the same kind), dates, labels, numbers and names
    without a cs:substitute or ``form="count"``, and none of its variables is set while
    rendering or belongs to the cite (year-suffix, locator…). For an item without the
    printed variables every lookup gives nothing, each choose takes the branch the type and
    the tested variables lead to, a term or value prints the same text, and a cs:names
    counts itself and forgets the name text of the last names printed.

    ``macro_memo`` keeps what each macro read gave (the same wherever the macro is called:
    a macro that reaches one being read is in a cycle from any start), for the other groups
    of the style that call it."""
    memo: dict[int, Any] = macro_memo if macro_memo is not None else {}
    keys: list[str] = []  # printed, or tested by value (is-numeric, is-uncertain-date)
    tested: list[str] = []  # tested for presence (variable="…")
    macros: list[Any] = []  # the macros being read (a macro that calls itself: None)
    holds_names = False

    def visit(element: Any) -> bool:
        nonlocal holds_names
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or not tag.startswith(CSL):
                return False
            name = tag[len(CSL):]
            if name not in _ABSENT_TAGS:
                return False
            attrib = child.attrib
            if name == "names":
                roles = (attrib.get("variable") or "").split()
                if not roles:
                    return False
                for part in child.iterchildren():
                    if (not isinstance(part.tag, str) or not part.tag.startswith(CSL)
                            or part.tag[len(CSL):] not in _ABSENT_NAMES_KIDS
                            or part.get("form") == "count"):
                        return False
                holds_names = True
                keys.extend(role.replace("-", "_") for role in roles)
                continue
            variables: list[str] = []
            if name in ("if", "else-if"):
                if not set(attrib) <= _ABSENT_TESTS:
                    return False
                for variable in attrib.get("variable", "").split():
                    if variable in _DYNAMIC_VARIABLES:
                        return False
                    tested.append(variable.replace("-", "_"))
                for test in ("is-numeric", "is-uncertain-date"):
                    variables += attrib.get(test, "").split()
            elif name == "text":
                if "variable" in attrib:
                    variable = attrib["variable"]
                    variables.append(variable)
                    if attrib.get("form") == "short":
                        variables.append(variable + "-short")
                    if variable.startswith("page"):  # citeproc-py reads them from page
                        variables.append("page")
                elif "macro" in attrib:
                    try:
                        macro = child.get_macro(attrib["macro"])
                    except IndexError:
                        return False
                    if any(m is macro for m in macros):
                        return False
                    seen = memo.get(id(macro))
                    if seen is None:
                        start, start_tested, outer_names = len(keys), len(tested), holds_names
                        holds_names = False
                        macros.append(macro)
                        ok = visit(macro)
                        macros.pop()
                        # (the macro, kept alive for its id; what it gave)
                        seen = memo[id(macro)] = (macro, ok, keys[start:],
                                                  tested[start_tested:], holds_names)
                        holds_names = holds_names or outer_names
                    else:
                        keys.extend(seen[2])
                        tested.extend(seen[3])
                        holds_names = holds_names or seen[4]
                    if not seen[1]:
                        return False
                elif "term" not in attrib and "value" not in attrib:
                    return False
            elif name in ("date", "label", "number"):
                if not attrib.get("variable"):
                    return False
                variables.append(attrib["variable"])
                if attrib["variable"] == "page-first":  # citeproc-py's cs:number reads page
                    variables.append("page")
            for variable in variables:
                if variable in _DYNAMIC_VARIABLES:
                    return False
                keys.append(variable.replace("-", "_"))
            if name != "text" and name != "label" and not visit(child):
                return False
        return True

    if not visit(group) or not (keys or tested):
        return None
    printed = tuple(dict.fromkeys(keys))
    return printed, tuple(k for k in dict.fromkeys(tested) if k not in printed), holds_names


#: Key in a compiled cs:group's ``__dict__`` of the (item type, context, tested variables
#: present) it was suppressed for without its printed variables (see ``_compile_group``).
SUPPRESSED = "_ck_suppressed"


def _compile_group(group: Any, root: Any, pending: list[_Kids], skips: bool = True,
                   macro_memo: dict[int, Any] | None = None) -> None:
    """cs:group: GroupOverride.process (suppressed when the variables it looked up are all
    empty) and Group.markup. With ``skips``, a group of :func:`_absent_variables` remembers,
    per item type, context and which of its tested-only variables the item has, that it was
    suppressed for an item without its printed variables, and for the next such item only
    counts what the render counted (a variable looked up or rendered; the group suppression
    outside reads whether the counts grew, never by how much) and is suppressed again. A
    cs:names in it (its variables absent) also drops the name text the last printed names
    left (``fidelity.NAME_TEXT_KEY``): whether the branches taken reach one is remembered
    too, where the render could tell (the text was there to be dropped)."""
    kids = _children(group, pending)
    delimiter = group.get("delimiter", "")
    finish = _finisher(group)
    state = root.__dict__
    get = state.get
    found = _absent_variables(group, macro_memo) if skips else None
    absent, tested, holds_names = found if found is not None else ((), (), False)
    name_text = fx.NAME_TEXT_KEY
    # signature -> (whether it counted a variable looked up, one rendered, whether it
    # dropped the name text: None when unknown)
    suppressed: dict[tuple[Any, ...], tuple[bool, bool, bool | None]] = {}
    if found is not None:
        group.__dict__[SUPPRESSED] = suppressed

    def call(item: Any, context: Any, kwargs: dict[str, Any], _: str) -> Any:
        if found is not None and (not kwargs or kwargs is _NO_SORT):
            reference = item.reference
            for key in absent:
                if key in reference:
                    break
            else:
                signature = (dict.get(reference, "type"), context,
                             *[key in reference for key in tested])
                counted = suppressed.get(signature)
                if counted is not None and (counted[2] is not None or name_text not in state):
                    if counted[0]:
                        state[_CALLED] = get(_CALLED, 0) + 1
                    if counted[1]:
                        state[_RENDERED] = get(_RENDERED, 0) + 1
                    if counted[2]:
                        state.pop(name_text, None)
                    return SKIP
                called, rendered = get(_CALLED, 0), get(_RENDERED, 0)
                had = holds_names and name_text in state
                out = render(item, context, kwargs)
                if out is SKIP:
                    drops = (name_text not in state) if had else (None if holds_names else False)
                    suppressed[signature] = (get(_CALLED, 0) > called,
                                             get(_RENDERED, 0) > rendered, drops)
                return out
        return render(item, context, kwargs)

    def render(item: Any, context: Any, kwargs: dict[str, Any]) -> Any:
        # GroupOverride.process, then Group.markup
        output = []
        rendered = False
        called_before = get(_CALLED, 0)
        before = 0
        for child, is_choose, child_call in kids:
            if not rendered:  # (once the group has content, the counts no longer matter)
                before = get(_RENDERED, 0)
            try:
                if child_call is not None:
                    text = child_call(item, context, kwargs, delimiter)
                    if text is SKIP:
                        continue
                elif is_choose:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text is not None:
                output.append(text)
                if not rendered:
                    if is_choose:
                        rendered = get(_RENDERED, 0) > before
                    else:
                        rendered = child.calls_variable() or get(_RENDERED, 0) > before
        called = get(_CALLED, 0) > called_before
        if output and (rendered or not called):
            state[_RENDERED] = get(_RENDERED, 0) + 1
            if len(output) == 1:  # join gives back a lone item as it is
                text = output[0]
            else:
                try:  # Delimited.join
                    text = join(output, delimiter)
                except Exception:  # citeproc-py's join gives '' whatever went wrong
                    text = String("")
            return finish(text) if text else None
        return SKIP  # GroupOverride.process raises VariableError

    _install(group, call)


def _compile_text(text_el: Any, root: Any, late: list[Callable[[], None]]) -> None:
    """cs:text: _CountsVariables.render, FastText.render, Text.render, TextOverride.process /
    FastText.process and Text.markup for the element's fixed attributes."""
    attrib = text_el.attrib
    kind = next((name for name in ("variable", "macro", "term", "value") if name in attrib), None)
    if kind is None:
        return  # citeproc-py fails on such an element: keep its way of failing
    try:
        macro = text_el.get_macro(attrib["macro"]) if kind == "macro" else None
    except IndexError:
        return  # an undefined macro: fails when rendered, as before
    # FastText's shortcut: a bare <text macro="…"/> called without options is the macro's
    # output as it is
    bare_macro = kind == "macro" and list(attrib) == ["macro"]
    slow = text_el.render  # the whole method chain, for calls the closure does not cover
    state = root.__dict__
    counts = kind == "variable" and attrib["variable"] != "year-suffix"
    variable, term = text_el._variable, text_el._term
    name = attrib.get("variable", "")
    if kind == "variable" and not (name.startswith("page") or name in _SPECIAL_VARIABLES
                                   or name in fx._RANGE_VARIABLES):
        # a variable printed as it is: Text._variable's lookup (after the check for
        # variables a cs:substitute printed already), without TextOverride's special cases
        variable = _plain_variable(text_el, name)
    value = attrib.get("value")
    preformat = text_el.preformat
    strip = attrib.get("strip-periods", "false").lower() == "true"
    strip_periods = text_el.strip_periods
    cased = attrib.get("text-case") is not None
    case = text_el.case
    default_language = root.get("default-locale", "en")[:2]
    quoted = attrib.get("quotes", "false").lower() == "true"
    finish = _finisher(text_el)

    def call(item: Any, context: Any, kwargs: dict[str, Any], _: str) -> Any:
        sort_options = None
        if kwargs:
            if len(kwargs) != 1 or "sort_options" not in kwargs:
                return slow(item, context=context, **kwargs)
            # a sort key: TextOverride.process hands the options to a macro (and the
            # language is the same either way); other kinds ignore them
            sort_options = kwargs["sort_options"]
        if bare_macro and not kwargs:
            if macro_kids is not None:  # the compiled macro's render, without its call
                text = _render_kids(macro_kids, item, context if context is not None else text_el,
                                    "", _NO_SORT)
            else:
                text = macro.render(item, context if context is not None else text_el)
            return text if text else None
        if counts:  # _CountsVariables
            state[_CALLED] = state.get(_CALLED, 0) + 1
        if context is None:
            context = text_el
        if kind == "macro":
            if macro_kids is not None:  # kwargs is {"sort_options": sort_options} then
                text = _render_kids(macro_kids, item, context, "",
                                    _NO_SORT if sort_options is None else kwargs)
            elif sort_options is None:
                text = macro.render(item, context)
            else:
                text = macro.render(item, context, sort_options=sort_options)
        elif kind == "variable":
            text = variable(item, context)
            if text is SKIP:  # a plain variable the item lacks (VariableError)
                return SKIP
        elif kind == "term":
            text = term(item)
        else:
            text = String(preformat(value))
        if not text:  # Text.markup
            return None
        if strip:
            text = strip_periods(text)
        if cased:
            language = dict.get(item.reference, "language", _MISSING)  # FastText.process
            text = case(text, default_language if language is _MISSING else language[:2])
        if quoted:
            text = finish_quoted(text)
        else:
            text = finish(text)
        if counts and text:
            state[_RENDERED] = state.get(_RENDERED, 0) + 1
        return text

    fmt, wrap = text_el.format, text_el.wrap

    def finish_quoted(text: Any) -> Any:
        return wrap(fx.Q_ON + fmt(text) + fx.Q_OFF)

    macro_kids: _Kids | None = None

    def link() -> None:  # once every macro is compiled
        nonlocal macro_kids
        if macro is not None:
            macro_kids = macro.__dict__.get(_MACRO_KIDS)

    late.append(link)
    _install(text_el, call)


def _compile_names(names_el: Any, root: Any, late: list[Callable[[], None]]) -> None:
    """NamesOverride.render over Names.process and Names.markup, for a cs:names whose own
    cs:name (if any) is not form="count" and whose variables are not exactly editor and
    translator. A cs:names without a cs:name takes the one of the cs:names it stands in for
    (``names_context``, or the cs:names around its cs:substitute)."""
    attrib = names_el.attrib
    roles = (attrib.get("variable") or "").split()
    own_name = names_el.name
    if (not roles or (own_name is not None and own_name.get("form") == "count")
            or set(roles) == {"editor", "translator"}):
        return
    outer = None
    if own_name is None:
        found = names_el.xpath_search("./ancestor::cs:substitute[1]")
        outer = found[0].getparent() if found else None
    by_context: dict[Any, Any] = {}
    labels: dict[tuple[int, str, bool], Any] = {}  # (cs:label, role, plural) -> its output

    def parts(names_context: Any) -> Any:
        """(cs:name, cs:label, whether the label comes first) of a names context, or None
        when it has no cs:name (citeproc-py then inserts one: left to it)."""
        try:
            return by_context[names_context]
        except KeyError:
            name_elem = names_context.name
            value = None
            if name_elem is not None:
                label = names_context.label
                kids = names_context.getchildren()
                value = (name_elem, label, label is not None and bool(kids) and label is kids[0])
            by_context[names_context] = value
            return value

    slow = names_el.render
    state = root.__dict__
    tag = names_el.tag
    substitute = names_el.substitute()
    own_delimiter = attrib.get("delimiter")
    parent_delimiter = names_el.get_parent_delimiter
    delimiters: dict[Any, Any] = {}
    prefix, suffix = attrib.get("prefix", ""), attrib.get("suffix", "")
    finish = _finisher(names_el)
    sub_call: Callable[..., Any] | None = None

    def link() -> None:  # the cs:substitute's compiled call, once it is compiled
        nonlocal sub_call
        if substitute is not None:
            sub_call = substitute.__dict__.get("_ck_call")

    late.append(link)

    def call(item: Any, context: Any, kwargs: dict[str, Any], _: str) -> Any:
        if "names_context" in kwargs:  # Names.process takes it apart from the rest
            rest = {k: v for k, v in kwargs.items() if k != "names_context"}
            return call_in(item, context, rest, kwargs["names_context"], kwargs)
        return call_in(item, context, kwargs, None, kwargs)

    def call_in(item: Any, context: Any, kwargs: dict[str, Any], names_context: Any,
                given: dict[str, Any] | None) -> Any:
        """``call`` with the names context apart from the other options (``given``: the
        options as the caller passed them, None when a cs:substitute calls with its
        cs:names as the context)."""
        if names_context is None:
            names_context = outer if outer is not None else names_el
        found = parts(names_context)
        if found is None:
            if given is None:
                given = {**kwargs, "names_context": names_context}
            return slow(item, context=context, **given)
        name_el, label_el, label_first = found
        reference = item.reference
        if substitute is None:
            for role in roles:
                if role in reference:
                    break
            else:  # no names and nothing to stand in for them: counted, then VariableError
                state.pop(fx.NAME_TEXT_KEY, None)
                state[_CALLED] = state.get(_CALLED, 0) + 1
                return SKIP
        ctx = context if context is not None else names_el
        try:
            layout = ctx.get_layout()
        except IndexError:
            layout = None
        repressed = getattr(layout, "repressed", None) if layout is not None else None
        if repressed:  # names already printed by a cs:substitute are not printed again
            done = {v for vs in repressed.get(tag, []) for v in (vs or "").split()}
            present = [r for r in roles if r in reference]
            if present and all(r in done for r in present):
                return None
        state.pop(fx.NAME_TEXT_KEY, None)
        state[_CALLED] = state.get(_CALLED, 0) + 1  # _CountsVariables
        output = []
        for role in roles:  # Names.process
            if role in reference:
                text = name_el.render(item, role, context=ctx, **kwargs)
                plural = len(reference[role]) > 1
                try:
                    if label_el is not None and (not kwargs or kwargs is _NO_SORT):
                        # a role's label is its term, formatted: the same for every item
                        key = (id(label_el), role, plural)  # label_el lives in by_context
                        label = labels.get(key, _MISSING)
                        if label is _MISSING:
                            label = labels[key] = label_el.render(item, role, plural, **kwargs)
                    else:
                        label = label_el.render(item, role, plural, **kwargs)
                    if label is not None:
                        text = label + text if label_first else text + label
                except AttributeError:  # no cs:label (citeproc-py's test, kept as it is)
                    pass
                output.append(text)
        total = None
        if output and any(isinstance(t, int) for t in output):
            # counts: citeproc-py adds them up (without a number, the sum is no int)
            try:
                total = sum(output)
            except TypeError:
                total = None
        if isinstance(total, int):
            text = str(total) if total > 0 else None
        elif output:
            try:
                delimiter = delimiters[ctx]
            except KeyError:
                delimiter = delimiters[ctx] = parent_delimiter(ctx)
            try:  # Delimited.join
                text = join((t for t in output if t is not None),
                            own_delimiter if own_delimiter is not None else delimiter)
            except Exception:
                text = String("")
        elif substitute is not None:
            if sub_call is not None:
                text = sub_call(item, ctx, kwargs, "")
            else:
                text = substitute.render(item, context=ctx, **kwargs)
        else:
            raise VariableError
        out = finish(text) if text else None  # Names.markup
        if out:
            state[_RENDERED] = state.get(_RENDERED, 0) + 1
        capture = state.get(fx.CAPTURE_KEY)
        if capture is not None and not capture and out:
            capture.append((out, prefix, suffix, state.get(fx.NAME_TEXT_KEY) or (None, None)))
        stack = state.get(fx._SUBSTITUTED_KEY)
        if stack and out:
            stack[-1].update(r for r in roles if r in reference)
        return out

    _install(names_el, call)
    names_el.__dict__[_NAMES_IN] = call_in


#: Key in a compiled cs:names' ``__dict__`` of its call with the names context given apart
#: (``call_in(item, context, kwargs, names_context, None)``), for a cs:substitute.
_NAMES_IN = "_ck_names_in"


def _compile_substitute(sub: Any, root: Any, late: list[Callable[[], None]]) -> None:
    """SubstituteOverride.render over Substitute.render. The children's compiled calls are
    called directly: a cs:names without names gives ``SKIP`` instead of raising, and one
    without a cs:name gets the cs:names around the substitute as its context without packing
    it into the options and taking it out again."""
    parent = sub.getparent()
    if parent is None or parent.tag != CSL + "names":
        return
    from citeproc.model import Names

    kids = [(child, isinstance(child, Names) and child.name is None, None)
            for child in sub.getchildren()]
    state = root.__dict__
    names_tag = CSL + "names"
    remember = sub.add_to_repressed_list

    def link() -> None:  # the children's compiled calls, once every element is compiled
        kids[:] = [(child, bare_names, child.__dict__.get(_NAMES_IN if bare_names else "_ck_call"))
                   for child, bare_names, _ in kids]

    late.append(link)

    def call(item: Any, context: Any, kwargs: dict[str, Any], _: str) -> Any:
        stack = state.setdefault(fx._SUBSTITUTED_KEY, [])
        stack.append(set())
        text = None
        direct = "delimiter" not in kwargs  # a choose's render would take it as its own
        try:
            for child, bare_names, child_call in kids:
                try:
                    if child_call is not None and direct:
                        if bare_names:
                            out = child_call(item, context, kwargs, parent, None)
                        else:
                            out = child_call(item, context, kwargs, "")
                        if out is SKIP:  # what raised VariableError: text stays as it was
                            continue
                        text = out
                    elif bare_names:
                        text = child.render(item, context=context,
                                            **{**kwargs, "names_context": parent})
                    else:
                        text = child.render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if text:
                    remember(child, context)
                    break
        finally:
            used = stack.pop()
        if text and used and context is not None:
            try:
                layout = context.get_layout()
            except IndexError:
                return text
            layout.repressed.setdefault(names_tag, []).extend(used)
        return text

    _install(sub, call)


_VALUE_TESTS = {"is-numeric": "_is_numeric", "is-uncertain-date": "_is_uncertain_date"}


def _value_tests(choose: Any) -> tuple[tuple[str, ...], list[Callable[[Any], Any]]] | None:
    """For a cs:choose whose branches test ``type``, ``variable``, ``is-numeric`` and
    ``is-uncertain-date`` only (with or without ``match``), of variables the item holds from
    the start (not names, which disambiguation swaps while rendering, nor the variables of
    the cite or set while rendering): the tested variables and the branches' value tests
    (``If._is_numeric`` / ``_is_uncertain_date``, which read the item's reference alone);
    None otherwise."""
    tested: list[str] = []
    tests: list[Callable[[Any], Any]] = []
    allowed = _STATIC_TESTS | set(_VALUE_TESTS)
    for child in choose.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag.rpartition("}")[2] not in ("if", "else-if", "else"):
            return None
        if not set(child.attrib) <= allowed:
            return None
        for attribute in ("variable", *_VALUE_TESTS):
            for variable in child.attrib.get(attribute, "").split():
                if variable in _DYNAMIC_VARIABLES or (attribute != "variable"
                                                      and variable in fx.NAME_VARIABLES):
                    return None
                if attribute == "variable" and variable.replace("-", "_") not in tested:
                    tested.append(variable.replace("-", "_"))
        tests += [getattr(child, method) for attribute, method in _VALUE_TESTS.items()
                  if attribute in child.attrib]
    return tuple(tested), tests


def _compile_choose(choose: Any, pending: list[_Kids], late: list[Callable[[], None]],
                    value_tests: bool = True) -> None:
    """cs:choose: the branch taken is remembered per signature of the item (its type, which
    tested variables it has and, with ``value_tests``, what its ``is-numeric`` and
    ``is-uncertain-date`` tests give) when the conditions read nothing else; then the
    branch's children render straight away (what the branch's render does once its test
    passed)."""
    branches = [(child, _children(child, pending), None) for child in choose.iterchildren()]

    def link() -> None:  # the branches' compiled calls, once every element is compiled
        branches[:] = [(branch, kids, branch.__dict__.get("_ck_call"))
                       for branch, kids, _ in branches]

    late.append(link)
    tested = signature_variables(choose)
    values: list[Callable[[Any], Any]] = []
    if tested is None and value_tests:
        found = _value_tests(choose)
        if found is not None:
            tested, values = found
    taken: dict[tuple[Any, ...], Any] = {}

    def call(item: Any, context: Any, kwargs: dict[str, Any], delimiter: str) -> Any:
        signature = None
        if tested is not None:
            reference = item.reference
            signature = (dict.get(reference, "type"), *[v in reference for v in tested])
            if values:
                signature += tuple(tuple(bool(r) for r in test(item)) for test in values)
            kids = taken.get(signature, _MISSING)
            if kids is None:
                return None
            if kids is not _MISSING:  # render_children of the branch
                return _render_kids(kids, item, context, delimiter, kwargs)
        for branch, kids, branch_call in branches:
            try:
                if branch_call is not None:
                    out = branch_call(item, context, kwargs, delimiter)
                else:
                    out = branch.render(item, context=context, delimiter=delimiter, **kwargs)
            except ConditionFailed:
                continue
            if signature is not None:
                taken[signature] = kids
            return out
        if signature is not None:
            taken[signature] = None
        return None

    _install(choose, call, branch=True)


def _compile_if(branch: Any, pending: list[_Kids]) -> None:
    """cs:if / cs:else-if without ``disambiguate`` (IfOverride hands those to FastIf, which
    tests like citeproc-py's If): the tests split up once, then the children."""
    attrib = branch.attrib
    if "disambiguate" in attrib:
        return
    types, variables, names, positional, match = split_tests(attrib)
    methods = {"is-numeric": "_is_numeric", "is-uncertain-date": "_is_uncertain_date",
               "locator": "_locator"}
    others = [(name, getattr(branch, methods[name])) for name in names]
    position = branch._position if positional else None
    kids = _children(branch, pending)

    def call(item: Any, context: Any, kwargs: dict[str, Any], delimiter: str) -> Any:
        results: list[Any] = []
        for _, test in others:
            results += test(item)
        if position is not None:
            results += position(item, context)
        if not conditions_hold(item, types, variables, results, match):
            raise ConditionFailed
        return _render_kids(kids, item, context, delimiter, kwargs)

    _install(branch, call, branch=True)


def _compile_else(branch: Any, pending: list[_Kids]) -> None:
    """cs:else: its children."""
    kids = _children(branch, pending)

    def call(item: Any, context: Any, kwargs: dict[str, Any], delimiter: str) -> Any:
        return _render_kids(kids, item, context, delimiter, kwargs)

    _install(branch, call, branch=True)


def _compile_name_options(name_el: Any) -> Callable[..., Any]:
    """cs:name's get_option: an option the sort options do not set is fixed per context
    (what FastName remembers; citeproc-py's Name.get_option reads the sort options first and
    otherwise the element and its cs:citation / cs:bibliography), except the two delimiter
    options NameOverride decides per name list ("after-inverted-name"), which always go the
    whole way. The options are remembered in FastName's cache (one cache: for these options
    NameOverride gives what FastName gives), which the lookup reads first."""
    slow = name_el.get_option
    cache: dict[tuple[str, Any], Any] = name_el.__dict__.setdefault(OPTIONS_KEY, {})

    def get_option(name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name in _PER_LIST_OPTIONS:
            return slow(name, context, sort_options)
        if sort_options is not None:
            if type(sort_options) is dict:  # what citeproc-py and citekit pass
                if name in sort_options:
                    return slow(name, context, sort_options)
            else:
                try:
                    sort_options[name]
                except (TypeError, KeyError):
                    pass  # not set there: as without sort options
                else:
                    return slow(name, context, sort_options)
        key = (name, context)
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = slow(name, context, None)
            return value

    return get_option


_PER_LIST_OPTIONS = frozenset({"delimiter-precedes-last", "delimiter-precedes-et-al"})


def compile_locale_dates(root: Any) -> list[Any]:
    """The cs:date elements of the locales a style uses answer ``is_locale_date`` (an XPath
    query in citeproc-py, asked several times per date rendered) from a remembered value;
    returns the elements, which must be kept alive with the style."""
    kept = []
    for locale in getattr(root, "locales", ()):
        for date in locale.iter(CSL + "date"):
            value = date.is_locale_date()
            date.__dict__["is_locale_date"] = lambda value=value: value
            kept.append(date)
    return kept


def memo_dates(root: Any) -> int:
    """Give the cs:date elements of a loaded style a memo of what citeproc-py renders for a
    date (``fidelity.DateOverride.process``), keyed by the variable, the date parts shown, the
    context and the date's value (a localized date showing the year alone: by the year): the
    same year is rendered for many items, and an item's date again in each pass. Returns how
    many elements got one.

    That output depends on nothing else — the formatter and locale are fixed for the run, and
    a year suffix (the only per-item addition) is put on after the memo, whose key it is not
    part of, or the memo is skipped for the item — with one exception: citeproc-py's
    ``Date_Part.process`` copies the attributes of a style's cs:date-part onto the locale's
    cs:date-part of a localized date (``form="text"`` / ``"numeric"``), so a localized date
    with cs:date-part children changes how later dates render. A style with such a date gets
    no memo at all."""
    dates = [el for child in root.iterchildren() if child.tag != CSL + "locale"
             for el in child.iter(CSL + "date")]
    if any(date.get("form") is not None and date.find(CSL + "date-part") is not None
           for date in dates):
        return 0
    for date in dates:
        date.__dict__[fx.DATE_MEMO] = {}
        date.__dict__[fx.DATE_YEAR_ONLY] = (date.get("form") is not None
                                           and date.get("date-parts") == "year")
    return len(dates)


#: Variables Text._variable or TextOverride._variable treat apart (see _plain_variable).
_SPECIAL_VARIABLES = frozenset({"citation-number", "locator", "citation-label"})


def _plain_variable(text_el: Any, name: str) -> Callable[[Any, Any], Any]:
    tag = text_el.tag
    key = name.replace("-", "_")
    short = text_el.get("form") == "short"
    short_key = (name + "-short").replace("-", "_")

    def variable(item: Any, context: Any) -> Any:
        repressed = context.get_layout().repressed
        if tag in repressed and name in repressed[tag]:
            return None
        reference = item.reference
        if short and short_key in reference:
            value = dict.get(reference, short_key, _MISSING)
        else:
            value = dict.get(reference, key, _MISSING)
        if value is _MISSING:
            return SKIP  # the reference raises VariableError for a variable it lacks
        return value

    return variable


def compile_style(root: Any, value_tests: bool = True, group_skips: bool = True) -> int:
    """Give the elements of a loaded style their compiled render (``cs:macro``,
    ``cs:group``, ``cs:text``, ``cs:names``, ``cs:substitute``, ``cs:choose`` and its
    branches) and ``cs:name`` its option lookup; returns how many elements got one.
    ``value_tests``: a cs:choose also remembers branches per result of its ``is-numeric``
    and ``is-uncertain-date`` tests (see ``_compile_choose``); ``group_skips``: a group whose
    variables an item lacks may skip its children (see ``_compile_group``)."""
    # in-style cs:locale elements hold terms and date formats, rendered the ordinary way
    elements = [el for child in root.iterchildren() if child.tag != CSL + "locale"
                for el in child.iter()]
    pending: list[_Kids] = []
    late: list[Callable[[], None]] = []  # links made once every element is compiled
    macro_memo: dict[int, Any] = {}  # what each macro gave _absent_variables
    done = 0
    for element in elements:
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(CSL):
            continue
        name = tag[len(CSL):]
        if name == "macro":
            _compile_macro(element, pending)
        elif name == "group":
            _compile_group(element, root, pending, group_skips, macro_memo)
        elif name == "choose":
            _compile_choose(element, pending, late, value_tests)
        elif name in ("if", "else-if"):
            _compile_if(element, pending)
        elif name == "else":
            _compile_else(element, pending)
        elif name == "text":
            _compile_text(element, root, late)
        elif name == "names":
            _compile_names(element, root, late)
        elif name == "substitute":
            _compile_substitute(element, root, late)
        elif name == "name":
            element.__dict__["get_option"] = _compile_name_options(element)
        else:
            continue
        done += "render" in element.__dict__ or "get_option" in element.__dict__
    _link(pending)
    for link in late:
        link()
    return done


def compile_initials(root: Any) -> int:
    """Give every ``cs:name`` of a loaded style an ``initialize`` that does what
    ``NameOverride.initialize`` does, with its lookups remembered: the ``initialize`` attribute
    it inherits and ``initialize-with-hyphen`` are fixed per context (the method asks without
    sort options), and the initials of a given name are a pure function of the given name,
    the mark and those two (:func:`fidelity.initialize_given`), so they are remembered per
    style. Returns how many elements got one."""
    done = 0
    initials: dict[tuple[str, str, bool, bool], str] = {}  # shared by the style's names
    for name_el in root.iter(CSL + "name"):
        name_el.__dict__["initialize"] = _initializer(name_el, initials)
        done += 1
    return done


def _initializer(name_el: Any, initials: dict[tuple[str, str, bool, bool], str]
                 ) -> Callable[[str, str, Any], str]:
    settings: dict[Any, tuple[bool, bool]] = {}
    whole = fx.WHOLE
    own = name_el.get("initialize")

    def setting(context: Any) -> tuple[bool, bool]:
        # NameOverride.initialize's lookups, once per context
        value = own
        if value is None:
            anchor = context if context is not None else name_el
            parents = anchor.xpath_search(
                "./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
            if parents:
                value = parents[0].get("initialize")
            if value is None:
                value = name_el.get_root().get("initialize")
        hyphen = str(name_el.get_option("initialize-with-hyphen", context)).lower() != "false"
        found = settings[context] = (hyphen, value != "false")
        return found

    def initialize(given: str, mark: str, context: Any) -> str:
        if given.startswith(whole):
            return given[1:]
        try:
            hyphen, full = settings[context]
        except KeyError:
            hyphen, full = setting(context)
        key = (given, mark, hyphen, full)
        try:
            return initials[key]
        except KeyError:
            text = initials[key] = fx.initialize_given(given, mark, hyphen, initialize=full)
            return text

    return initialize


#: The options citeproc-py's ``Name.process`` reads, in its order, but the two
#: ``delimiter-precedes-*`` options, which ``NameOverride`` decides per name list and which
#: are looked up (lazily) at each call.
_NAME_PROCESS_OPTIONS = ("and", "delimiter", "et-al-min", "et-al-use-first",
                         "et-al-subsequent-min", "et-al-subsequent-use-first", "et-al-use-last",
                         "initialize-with", "name-as-sort-order", "sort-separator", "form",
                         "demote-non-dropping-particle")


def compile_name_process(root: Any) -> int:
    """Give every ``cs:name`` of a loaded style a compiled list rendering
    (``fidelity.NAME_PROCESS``, which ``NameOverride`` calls in place of citeproc-py's
    ``Name.process``): the options are looked up once per context instead of fifteen times
    per call, and those a sort-options dict sets (sort keys, disambiguation's expanded names)
    are put over them, converted as ``Name.get_option`` converts them; the ``cs:name-part``
    children are listed once; the "et al." term and the two per-list delimiter options are
    asked only where the output uses them (asking has no effect on what is rendered). Forms
    other than long and short, and ``and`` values other than text and symbol, go to
    ``Name.process``. Returns how many elements got one."""
    done = 0
    for name_el in root.iter(CSL + "name"):
        if isinstance(name_el, fx.NameOverride):
            name_el.__dict__[fx.NAME_PROCESS] = _name_process(name_el)
            done += 1
    return done


def _name_process(name_el: Any) -> Callable[..., Any]:
    base = super(fx.NameOverride, name_el).process  # citeproc-py's Name.process
    per_context: dict[Any, list[Any]] = {}
    name_parts: list[Any] = list(name_el.findall("cs:name-part", name_el.nsmap))
    space = " ".join

    def process(item: Any, variable: str, context: Any, sort_options: Any = None) -> Any:
        try:
            values = per_context[context]
        except KeyError:
            values = per_context[context] = [name_el.get_option(name, context)
                                             for name in _NAME_PROCESS_OPTIONS]
        if sort_options:  # a dict: its options come first, converted as Name.get_option does
            values = values.copy()
            for index, name in enumerate(_NAME_PROCESS_OPTIONS):
                if name in sort_options:
                    value = sort_options[name]
                    if name == "et-al-use-last":
                        value = value.lower() == "true"
                    elif name.startswith("et-al"):
                        value = int(value)
                    values[index] = value
        (and_, delimiter, et_al_min, use_first, _, _, use_last, mark, order, separator, form,
         demote) = values
        if form == "long":
            long = True
        elif form == "short":
            long = False
        else:
            return base(item, variable, context=context, sort_options=sort_options)
        if and_ not in (None, "text", "symbol"):
            return base(item, variable, context=context, sort_options=sort_options)
        demote = demote in ("never", "sort-only")
        names = item.reference.get(variable, [])
        count = len(names)
        truncate = count > 1 and et_al_min and count >= et_al_min
        last = use_last and use_first <= et_al_min - 2
        if truncate:
            names = names[:use_first] + [names[-1]] if last else names[:use_first]
        initialize = name_el.initialize
        output = []
        for i, name in enumerate(names):
            given, family, dp, ndp, suffix = name.parts()
            if given is not None and mark is not None:
                given = initialize(given, mark, context)
            if long:
                if order == "all" or (order == "first" and i == 0):
                    if demote:
                        family = space([n for n in (ndp, family) if n])
                        given = space([n for n in (given, dp) if n])
                    else:
                        given = space([n for n in (given, dp, ndp) if n])
                    for part in name_parts:
                        given, family = part.format_part(given, family)
                    text = separator.join([n for n in (family, given, suffix) if n])
                else:
                    family = space([n for n in (dp, ndp, family) if n])
                    for part in name_parts:
                        given, family = part.format_part(given, family)
                    text = space([n for n in (given, family, suffix) if n])
            else:
                family = space([n for n in (ndp, family) if n])
                for part in name_parts:
                    given, family = part.format_part(given, family)
                text = family
            output.append(text)
        if truncate:
            et_al = name_el.et_al()
            if et_al:
                if last:
                    output[-1] = (name_el.unicode_character("horizontal ellipsis") + " "
                                  + output[-1])
                    return name_el.join(output, delimiter)
                precedes = name_el.get_option("delimiter-precedes-et-al", context, sort_options)
                if precedes == "always" or (precedes == "contextual" and len(output) >= 2):
                    output.append(et_al)
                    return name_el.join(output, delimiter)
                return name_el.join(output, delimiter) + " " + et_al
        if and_ is not None and len(output) > 1:
            text = name_el.join(output[:-1], ", ")
            precedes = name_el.get_option("delimiter-precedes-last", context, sort_options)
            if precedes == "always" or (precedes == "contextual" and len(output) > 2):
                text = name_el.join([text, ""], ", ")
            else:
                text += " "
            term = (name_el.get_single_term(name="and") if and_ == "text"
                    else name_el.preformat("&"))
            return text + "{} ".format(term) + output[-1]
        return name_el.join(output, delimiter)

    return process
