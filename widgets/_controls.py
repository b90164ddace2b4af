"""One form control per filter control name (``FilterSpec.control``, from the kinds data).

Every control shows the filter's label (its help text as a tooltip), edits a ``value``
in the filter's wire form (``None``: not set) and shows ``error``, the message the schema
gives for it. Controls only convert what was typed (``"50k"`` -> 50000); whether a value
is valid is decided by ``toolkit.filters``, never here.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import Unicode, observe

from toolkit._exceptions import InfluencersClubError
from toolkit.filters import (
    CREATOR_HAS_KEYS,
    KINDS,
    SOURCES,
    DictionaryLookup,
    DictionaryUnreachableError,
    FilterSpec,
    ValueRef,
    example_value,
    range_bounds,
)
from toolkit.filters._values import Checked, run_check

from ._typeahead import TypeaheadTags

__all__ = ["CONTROLS", "FilterControl", "make_control", "parse_number", "unreachable_text"]


def unreachable_text(err: DictionaryUnreachableError) -> str:
    """What a field says when its dictionary could not be reached to check it."""
    return f"not checked: the {err.dictionary} dictionary could not be reached (nothing was sent)"


def parse_number(text: str) -> Any:
    """``"50k"`` -> 50000, ``"1.5M"`` -> 1500000, ``"12,000"`` -> 12000, ``""`` -> None.

    Anything else comes back as typed, so the schema's check names it in its message.
    """
    raw = text.strip().replace(",", "").replace("_", "")
    if not raw:
        return None
    scale = {"k": 1_000, "m": 1_000_000}.get(raw[-1].lower(), 1)
    digits = raw[:-1] if scale != 1 else raw
    try:
        number = float(digits)
    except ValueError:
        return text.strip()
    number *= scale
    return int(number) if number.is_integer() and ("." not in digits or scale != 1) else number


def _fmt(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


class FilterControl(W.VBox):
    """Base: a label row, the inputs (``_inputs()``), the inline error."""

    value = AnyTrait(None)
    error = Unicode("")

    def __init__(self, spec: FilterSpec, *, lookup: DictionaryLookup | None = None,
                 platform: str | None = None, debounce: float = 0.3) -> None:  # fmt: skip
        self.spec = spec
        self._lookup = lookup
        self._platform = platform
        self._debounce = debounce
        self._syncing = False
        self._label = W.HTML(
            f'<span class="ic-label" title="{html.escape(spec.help)}">'
            f"{html.escape(spec.label)}</span>"
        )
        self._error = W.HTML("")
        self._error.add_class("ic-error")
        super().__init__([self._label, *self._inputs(), self._error])
        self.add_class("ic-field")
        self.add_class(f"ic-field-{spec.key.replace('.', '-')}")

    def _inputs(self) -> list[W.Widget]:
        raise NotImplementedError

    def _read(self) -> Any:
        """The value the inputs hold now."""
        raise NotImplementedError

    def _write(self, value: Any) -> None:
        """Show ``value`` in the inputs."""
        raise NotImplementedError

    def _changed(self, _change: Any = None) -> None:
        if not self._syncing:
            self.error = ""
            self.value = self._read()

    @observe("value")
    def _on_value(self, change: dict[str, Any]) -> None:
        if change["new"] != self._read():
            self._syncing = True
            try:
                self._write(change["new"])
            finally:
                self._syncing = False

    @observe("error")
    def _on_error(self, change: dict[str, Any]) -> None:
        msg = change["new"]
        self._error.value = (
            f'<span style="color:#b00020">⚠ {html.escape(msg)}</span>' if msg else ""
        )

    def _watch(self, *widgets: W.Widget) -> None:
        for w in widgets:
            w.observe(self._changed, "value")


class RangeControl(FilterControl):
    """Two number boxes; ``50k`` and ``1.5M`` are understood."""

    def _inputs(self) -> list[W.Widget]:
        box = W.Layout(width="7.5em")
        share = range_bounds(self.spec)[1] == 100
        self._min = W.Text(
            placeholder="min %" if share else "min", layout=box, continuous_update=False
        )
        self._max = W.Text(
            placeholder="max %" if share else "max", layout=box, continuous_update=False
        )
        self._min.add_class("ic-min")
        self._max.add_class("ic-max")
        self._watch(self._min, self._max)
        return [W.HBox([self._min, W.HTML("&nbsp;to&nbsp;"), self._max])]

    def _read(self) -> Any:
        lo, hi = parse_number(self._min.value), parse_number(self._max.value)
        if lo is None and hi is None:
            return None
        return {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}

    def _write(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self._min.value, self._max.value = _fmt(value.get("min")), _fmt(value.get("max"))


class GrowthControl(FilterControl):
    """Growth in percent over 1-12 months."""

    def _inputs(self) -> list[W.Widget]:
        self._pct = W.Text(placeholder="growth %", layout=W.Layout(width="7.5em"))
        self._months = W.Dropdown(
            options=[(f"{m} months", m) for m in range(1, 13)],
            value=3,
            layout=W.Layout(width="9em"),
        )
        self._watch(self._pct, self._months)
        return [W.HBox([self._pct, W.HTML("&nbsp;over&nbsp;"), self._months])]

    def _read(self) -> Any:
        pct = parse_number(self._pct.value)
        return (
            None
            if pct is None
            else {"growth_percentage": pct, "time_range_months": self._months.value}
        )

    def _write(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self._pct.value = _fmt(value.get("growth_percentage"))
        months = value.get("time_range_months", 3)
        self._months.value = months if months in range(1, 13) else 3


class TextControl(FilterControl):
    def _inputs(self) -> list[W.Widget]:
        sample = example_value(self.spec)
        hint = f"e.g. {sample}" if isinstance(sample, str) else KINDS[self.spec.kind].shape
        self._text = W.Text(placeholder=hint, continuous_update=False)
        self._watch(self._text)
        return [self._text]

    def _read(self) -> Any:
        return self._text.value.strip() or None

    def _write(self, value: Any) -> None:
        self._text.value = "" if value is None else str(value)


class NumberControl(TextControl):
    """A number (or whole days): typed text, converted, checked by the schema."""

    def _inputs(self) -> list[W.Widget]:
        placeholder = "days" if self.spec.kind in ("days", "integer") else "number"
        self._text = W.Text(placeholder=placeholder, layout=W.Layout(width="7.5em"))
        self._watch(self._text)
        return [self._text]

    def _read(self) -> Any:
        return parse_number(self._text.value)

    def _write(self, value: Any) -> None:
        self._text.value = _fmt(value)


class TristateControl(FilterControl):
    """Any / yes / no: "any" sends nothing."""

    _MAP: ClassVar[dict[str, bool | None]] = {"any": None, "yes": True, "no": False}

    def _inputs(self) -> list[W.Widget]:
        self._toggle = W.ToggleButtons(options=list(self._MAP), value="any")
        self._toggle.style.button_width = "4em"
        self._watch(self._toggle)
        return [self._toggle]

    def _read(self) -> Any:
        return self._MAP[self._toggle.value]

    def _write(self, value: Any) -> None:
        self._toggle.value = {None: "any", True: "yes", False: "no"}.get(value, "any")


class ChoiceControl(FilterControl):
    """One of the schema's enum values, or any."""

    def _inputs(self) -> list[W.Widget]:
        # "" stands for any: a Dropdown whose value is None shows blank in the browser
        self._pick = W.Dropdown(options=[("any", ""), *((v, v) for v in self.spec.enum)])
        self._watch(self._pick)
        return [self._pick]

    def _read(self) -> Any:
        return self._pick.value or None

    def _write(self, value: Any) -> None:
        self._pick.value = value if value in self.spec.enum else ""


class TagsControl(FilterControl):
    """Free tags (keywords, hashtags, handles): Enter adds one."""

    def _inputs(self) -> list[W.Widget]:
        self._tags = self._make_tags()
        self._watch(self._tags)
        return [self._tags]

    def _make_tags(self) -> W.Widget:
        return W.TagsInput(value=[], allow_duplicates=False, placeholder="type, then Enter")

    def _read(self) -> Any:
        return list(self._tags.value) or None

    def _write(self, value: Any) -> None:
        self._tags.value = list(value or [])


class IntegersControl(TagsControl):
    """Whole numbers as tags (exclusion list ids)."""

    def _make_tags(self) -> W.Widget:
        return W.IntsInput(value=[], allow_duplicates=False, placeholder="list id, then Enter")


class FlagsControl(TagsControl):
    """``creator_has``: pick the ``has_<platform>`` keys that must be true."""

    def _make_tags(self) -> W.Widget:
        return W.TagsInput(
            value=[],
            allowed_tags=sorted(CREATOR_HAS_KEYS),
            allow_duplicates=False,
            placeholder="has_youtube, has_patreon…",
        )

    def _read(self) -> Any:
        return {k: True for k in self._tags.value} or None

    def _write(self, value: Any) -> None:
        self._tags.value = [k for k, v in (value or {}).items() if v]


class DictionaryControl(FilterControl):
    """Values of a dictionary: the whole list as a multi-select when it is short, else
    type-ahead tags over the endpoint's ``search`` (never the whole list in the browser)."""

    def _source_name(self) -> str:
        return self.spec.dictionary or ""

    def _inputs(self) -> list[W.Widget]:
        name = self._source_name()
        assert self._lookup is not None, "dictionary controls need a DictionaryLookup"
        if SOURCES[name].short:
            options = self._lookup.options(name, platform=self._platform)
            self._box: W.Widget = W.SelectMultiple(options=options, rows=min(5, len(options)))
        else:
            self._box = TypeaheadTags(
                self._suggest, debounce=self._debounce, explain=self._hint, enter=self._on_enter
            )
        self._watch(self._box)
        return [self._box]

    def _suggest(self, text: str) -> list[tuple[str, str]]:
        assert self._lookup is not None
        try:
            return self._lookup.suggest(self._source_name(), text, platform=self._platform)
        except InfluencersClubError:  # an outage: no suggestions; _hint and Search say why
            return []

    def _check(self, text: str) -> Checked:
        """The filters' own value check of ``text``; raises
        :class:`~toolkit.filters.DictionaryUnreachableError`, as a search in code would."""
        assert self._lookup is not None
        ref = ValueRef(self.spec.key, self._source_name(), text)
        return run_check(self._lookup.fetch, self._platform or "", [ref])

    def _hint(self, text: str) -> str:
        """``did you mean 'France'?`` for text no suggestion matches (or that the
        dictionary cannot be reached)."""
        try:
            return self._check(text).hints.get(self.spec.key, "")
        except DictionaryUnreachableError as err:
            return f"the {err.dictionary} dictionary could not be reached to suggest values"
        except InfluencersClubError:  # a refused key: the balance line and Search say so
            return ""

    def _on_enter(self) -> None:
        """Enter in the type-ahead: the typed text becomes a tag if it is a value, else
        the field says what was probably meant."""
        self.error = self.take_typed()

    def take_typed(self) -> str:
        """Text typed into the type-ahead but not picked: taken (in the dictionary's
        spelling) when the dictionary holds it, case and spacing forgiven; otherwise the
        message for the field (``""`` when all is well), and the text stays."""
        box = self.typeahead
        text = " ".join(box.query.split()) if box is not None else ""
        if box is None or not text:
            return ""
        if self._lookup is not None and not self._lookup.checks_values:
            box.pick(text)  # the client sends values unchecked: so does the form
            return ""
        try:
            checked = self._check(text)
        except DictionaryUnreachableError as err:
            return unreachable_text(err)
        if self.spec.key in checked.problems:
            box.clear_hint()  # the field's error says it now, once
            hint = checked.hints.get(self.spec.key)
            return f"no match for “{text}”" + (f" — {hint}" if hint else "")
        box.pick(checked.fixes.get((self.spec.key, text), text))
        return ""

    @property
    def typeahead(self) -> TypeaheadTags | None:
        """The type-ahead box (``None`` for a short list shown whole)."""
        return self._box if isinstance(self._box, TypeaheadTags) else None

    def _values(self) -> list[str]:
        return list(self._box.value)

    def _read(self) -> Any:
        return self._values() or None

    def _write(self, value: Any) -> None:
        values = [
            v for v in (value if isinstance(value, list | tuple) else []) if isinstance(v, str)
        ]
        if isinstance(self._box, W.SelectMultiple):
            known = {v for _l, v in self._box.options}
            values = [v for v in values if v in known]
        self._box.value = tuple(values) if isinstance(self._box, W.SelectMultiple) else values


class WeightedControl(DictionaryControl):
    """Audience shares: values (from a dictionary when the schema names one) and a
    minimum percentage applied to each."""

    def _inputs(self) -> list[W.Widget]:
        if self.spec.dictionary:
            inputs = super()._inputs()
        else:  # the declared values (the age bands): all shown, nothing to mistype
            options = [(v, v) for v in self.spec.enum]
            self._box = W.SelectMultiple(options=options, rows=min(6, len(options)))
            self._watch(self._box)
            inputs = [self._box]
        self._pct = W.Text(placeholder="min % of audience", layout=W.Layout(width="11em"))
        self._watch(self._pct)
        return [*inputs, self._pct]

    def _read(self) -> Any:
        field = self.spec.item_fields[0]
        pct = parse_number(self._pct.value)
        items = [{field: v} | ({"min_pct": pct} if pct is not None else {}) for v in self._values()]
        return items or None

    def _write(self, value: Any) -> None:
        items = [i for i in (value if isinstance(value, list) else []) if isinstance(i, dict)]
        field = self.spec.item_fields[0]
        super()._write([i.get(field) for i in items if i.get(field)])
        self._pct.value = _fmt(items[0].get("min_pct")) if items else ""


class WeightedOneControl(FilterControl):
    """One audience share: a type (the gender filter's values) and a minimum percentage."""

    def _inputs(self) -> list[W.Widget]:
        self._type = W.Dropdown(options=[("any", ""), *((g, g) for g in self.spec.enum)])
        self._pct = W.Text(placeholder="min %", layout=W.Layout(width="6em"))
        self._watch(self._type, self._pct)
        return [W.HBox([self._type, self._pct])]

    def _read(self) -> Any:
        if not self._type.value:
            return None
        pct = parse_number(self._pct.value)
        return {"type": self._type.value} | ({"min_pct": pct} if pct is not None else {})

    def _write(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self._type.value = value.get("type") if value.get("type") in self.spec.enum else ""
        self._pct.value = _fmt(value.get("min_pct"))


#: Control name (``FilterSpec.control``) -> the class that edits it.
CONTROLS: dict[str, type[FilterControl]] = {
    "range": RangeControl,
    "growth": GrowthControl,
    "tags": TagsControl,
    "integers": IntegersControl,
    "tristate": TristateControl,
    "flags": FlagsControl,
    "number": NumberControl,
    "days": NumberControl,
    "text": TextControl,
    "choice": ChoiceControl,
    "dictionary": DictionaryControl,
    "weighted": WeightedControl,
    "weighted_one": WeightedOneControl,
}


def make_control(spec: FilterSpec, **context: Any) -> FilterControl:
    """The control for ``spec`` (``context``: ``lookup``, ``platform``, ``debounce``)."""
    return CONTROLS[spec.control](spec, **context)
