"""One API operation to perform, fully described before anything is sent: :class:`Call`.

The bottom of the request core: the cache keys it, the ledger and ``Result.params`` read it,
a page crawl and a create reconciliation yield it, the core sends it. It imports nothing of
the core, so every module above can name it without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from toolkit import _facts
from toolkit._config import NOT_GIVEN

__all__ = ["SECRET_FIELDS", "Call", "Expect", "compact"]

#: What a call's answer is read as: a JSON body, text, or a redirect's ``Location``.
Expect = Literal["json", "text", "redirect"]

#: Request fields whose values never go into ``Result.params``, the ledger or a message
#: (one list for both sides of the wire, in ``toolkit._facts``).
SECRET_FIELDS = _facts.REQUEST_SECRET_FIELDS


def compact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Drop arguments the caller did not give (``NOT_GIVEN``); an explicit ``None`` stays."""
    return {k: v for k, v in fields.items() if v is not NOT_GIVEN}


@dataclass(frozen=True)
class Call:
    """One API operation to perform, fully described before anything is sent."""

    operation: str  # endpoints.json name
    method: str
    template: str  # e.g. "/public/v1/enrichment/batch/{batch_id}/status/"
    path_params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json: Any = NOT_GIVEN  # JSON body (dict/list); NOT_GIVEN = no body
    form: dict[str, Any] | None = None  # urlencoded fields, or the data part of multipart
    files: dict[str, tuple[str, bytes, str]] | None = None  # multipart parts
    auth: bool = True  # the three open OAuth endpoints send no credential
    expect: Expect = "json"
    paid: bool = False
    estimate: float = 0.0
    extra_params: dict[str, Any] = field(default_factory=dict)  # e.g. enrichment mode
    # False for a create the API does not deduplicate: once it may have reached the
    # server it is never re-sent blindly (toolkit._reconcile decides what happens next)
    idempotent: bool = True

    @property
    def path(self) -> str:
        quoted = {k: quote(str(v), safe="") for k, v in self.path_params.items()}
        return self.template.format(**quoted)

    @property
    def params(self) -> dict[str, Any]:
        """What was sent, flattened for ``Result.params`` (secrets masked, files named)."""
        out: dict[str, Any] = dict(self.path_params)
        out.update({k: v for k, v in self.query.items() if v is not None})
        if isinstance(self.json, Mapping):
            out.update(self.json)
        if self.form:
            out.update(self.form)
        for name, (filename, content, _) in (self.files or {}).items():
            out[name] = f"{filename} ({len(content)} bytes)"
        out.update(self.extra_params)
        return {k: ("***" if k in SECRET_FIELDS and v else v) for k, v in out.items()}
