"""Type-ahead tags: a text box that asks a suggester after a pause, a short list of
suggestions, and the picked values as tags. Only the suggestions (``limit``, 20 by
default) ever reach the browser, however long the dictionary behind them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from traitlets import Float, List, Unicode, observe

__all__ = ["Debouncer", "TypeaheadTags"]

Option = tuple[str, str]


class Debouncer:
    """Call ``fn`` once input has been quiet for ``delay`` seconds (0: call at once).

    Inside a running event loop (a Jupyter or Voila kernel) it uses ``call_later``;
    elsewhere a timer thread.
    """

    def __init__(self, delay: float, fn: Callable[..., Any]) -> None:
        self.delay = delay
        self.fn = fn
        self._pending: Any = None
        self._args: tuple[Any, ...] | None = None

    def __call__(self, *args: Any) -> None:
        self.cancel()
        if self.delay <= 0:
            self.fn(*args)
            return
        self._args = args
        try:
            self._pending = asyncio.get_running_loop().call_later(self.delay, self._fire)
        except RuntimeError:
            self._pending = threading.Timer(self.delay, self._fire)
            self._pending.daemon = True
            self._pending.start()

    @property
    def pending(self) -> bool:
        """Whether a call is waiting for the input to settle."""
        return self._args is not None

    def _fire(self) -> None:
        args, self._args, self._pending = self._args, None, None
        if args is not None:
            self.fn(*args)

    def flush(self) -> None:
        """Make the waiting call now (tests; or an Enter key that should not wait)."""
        if self._pending is not None:
            self._pending.cancel()
        self._fire()

    def cancel(self) -> None:
        """Drop the waiting call."""
        if self._pending is not None:
            self._pending.cancel()
        self._pending = self._args = None


class TypeaheadTags(W.VBox):
    """Pick values of a long dictionary by typing part of them.

    ``suggest(text) -> [(label, value), ...]`` is called ``debounce`` seconds after the
    last keystroke; picking a suggestion adds its value to ``value``. When nothing matches,
    ``explain(text)`` (if given) says what was probably meant, under the box; Enter calls
    ``enter()`` (the form takes the typed text when it is a value).

    >>> box = TypeaheadTags(lambda text: [("New York", "New York")], debounce=0)
    >>> box.query = "new"
    >>> box.pick("New York")
    >>> box.value
    ['New York']
    """

    value = List(Unicode()).tag(sync=False)
    query = Unicode("")
    debounce = Float(0.3)

    def __init__(
        self,
        suggest: Callable[[str], list[Option]],
        *,
        debounce: float = 0.3,
        placeholder: str = "type 3+ letters…",
        explain: Callable[[str], str] | None = None,
        enter: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self._suggest = suggest
        self._explain = explain
        self._enter = enter
        self._text = W.Text(placeholder=placeholder, continuous_update=True)
        self._text.add_class("ic-typeahead-input")
        self._choices = W.Select(options=[], rows=6, layout=W.Layout(display="none"))
        self._choices.add_class("ic-typeahead-choices")
        self._tags = W.TagsInput(value=[], allowed_tags=[], allow_duplicates=False)
        self._tags.layout.display = "none"  # shown once something is picked
        self._hint = W.HTML("")
        self._labels: dict[str, str] = {}
        self._debouncer = Debouncer(debounce, self._refresh)
        super().__init__([self._text, self._hint, self._choices, self._tags], **kwargs)
        self.debounce = debounce
        self._text.observe(self._on_text, "value")
        self._text.on_msg(self._on_msg)  # Enter (the browser sends a "submit" event)
        self._choices.observe(self._on_choice, "value")
        self._tags.observe(self._on_tags, "value")

    @property
    def options(self) -> list[Option]:
        """The suggestions shown now."""
        return [(label, value) for label, value in self._choices.options]

    @observe("debounce")
    def _on_debounce(self, change: dict[str, Any]) -> None:
        self._debouncer.delay = change["new"]

    @observe("query")
    def _on_query(self, change: dict[str, Any]) -> None:
        if self._text.value != change["new"]:
            self._text.value = change["new"]

    def _on_text(self, change: dict[str, Any]) -> None:
        self.query = change["new"]
        self._debouncer(change["new"])

    def _refresh(self, text: str) -> None:
        if text != self._text.value:  # a newer keystroke is on its way
            return
        options = self._suggest(text)
        self._labels.update({v: label for label, v in options})
        self._choices.unobserve(self._on_choice, "value")
        self._choices.options = options
        self._choices.value = None
        self._choices.observe(self._on_choice, "value")
        self._choices.layout.display = "" if options else "none"
        short = len(text.strip()) < 3
        hint = "" if options or short or self._explain is None else self._explain(text)
        self._hint.value = (
            ""
            if options or short
            else f"<small class='ic-nomatch'>no match for “{_escape(text.strip())}”"
            + (f" — {_escape(hint)}" if hint else "")
            + "</small>"
        )
        self._tags.allowed_tags = _unique([*self.value, *(v for _l, v in options)])

    def _on_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "submit":
            self._debouncer.cancel()
            if self._enter is not None:
                self._enter()

    def clear_hint(self) -> None:
        """Take the "no match" line away (the field's error repeats it)."""
        self._hint.value = ""

    def pick(self, value: str) -> None:
        """Add ``value`` to the tags (what clicking a suggestion does)."""
        if value not in self.value:
            self._tags.allowed_tags = _unique([*self._tags.allowed_tags, value])
            self.value = [*self.value, value]
        self._text.value = ""
        self._choices.options = []
        self._choices.layout.display = "none"

    def _on_choice(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.pick(change["new"])

    def _on_tags(self, change: dict[str, Any]) -> None:
        if list(change["new"]) != self.value:
            self.value = list(change["new"])

    @observe("value")
    def _on_value(self, change: dict[str, Any]) -> None:
        new = list(change["new"])
        self._tags.layout.display = "" if new else "none"
        self._tags.allowed_tags = _unique([*self._tags.allowed_tags, *new])
        if list(self._tags.value) != new:
            self._tags.value = new


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _escape(text: str) -> str:
    import html

    return html.escape(text)
