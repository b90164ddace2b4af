"""The sandbox's own tiny HTTP model: a request, a response, an API error and a router.

The sandbox is the other side of the wire, so it has its own types and imports nothing
of the client. Handlers are plain functions ``(ctx, req, **path_params) -> body`` where
``body`` is JSON-able data (answered 200), or a :class:`Response` for anything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from toolkit._operations import operation


@dataclass
class Request:
    """An incoming request as the sandbox sees it (transport-agnostic)."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # keys lower-case
    body: bytes = b""

    @classmethod
    def build(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
        path, _, qs = target.partition("?")
        return cls(
            method=method.upper(),
            path=path,
            query=parse_qs(qs, keep_blank_values=True),
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
        )

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The JSON body; an empty body is ``{}``; malformed JSON is a 400."""
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, {"detail": f"JSON parse error - {exc}"}) from None

    def json_object(self, *, form: bool = False) -> dict[str, Any]:
        """The body as a JSON object (or form fields when ``form`` and it is multipart);
        anything else is DRF's 400 ``non_field_errors``, worded as DRF words it."""
        data = self.form() if form and self.content_type == "multipart/form-data" else self.json()
        if not isinstance(data, dict):
            raise ApiError(400, {"error": {"non_field_errors": [not_a_dict(data)]}})
        return data

    def form(self) -> dict[str, Any]:
        """Form fields of a urlencoded or multipart body.

        Multipart file parts come back as ``{"filename": str, "content": bytes}``.
        """
        ctype = self.content_type
        if ctype == "application/x-www-form-urlencoded":
            parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            return {k: v[0] for k, v in parsed.items()}
        if ctype == "multipart/form-data":
            raw = f"Content-Type: {self.headers.get('content-type')}\r\n\r\n".encode() + self.body
            msg = BytesParser(policy=HTTP).parsebytes(raw)
            out: dict[str, Any] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not isinstance(name, str):
                    continue  # a part without a name is no form field
                filename = part.get_filename()
                decoded = part.get_payload(decode=True)
                payload = decoded if isinstance(decoded, bytes) else b""
                if filename is not None:
                    out[name] = {"filename": filename, "content": payload}
                else:
                    out[name] = payload.decode("utf-8", "replace")
            return out
        if ctype == "application/json":
            data = self.json()
            return data if isinstance(data, dict) else {}
        return {}

    def bearer(self) -> str | None:
        """The credential from ``Authorization: Bearer ...``, if any."""
        auth = self.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()


@dataclass
class Response:
    """What the sandbox answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        # separators without spaces and sort_keys=False: byte-identical for the same seed
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        h = {"content-type": "application/json"}
        h.update(headers or {})
        return cls(status, payload, h)

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status, b"", {})


class ApiError(Exception):
    """Raise inside a handler to answer with a DRF-style error body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}

    def to_response(self) -> Response:
        return Response.json(self.body, self.status, self.headers)


def field_error(field_name: str, message: str, status: int = 400) -> ApiError:
    """A DRF field error: ``{"error": {field: [message]}}``."""
    return ApiError(status, {"error": {field_name: [message]}})


#: DRF's words for a required field that is missing or empty
REQUIRED = "This field is required."


def not_a_choice(value: Any) -> str:
    """DRF's words for a value outside a choice field's choices."""
    return f'"{value}" is not a valid choice.'


def not_a_dict(value: Any) -> str:
    """DRF's words for a body or nested field that should have been a JSON object."""
    return f"Invalid data. Expected a dictionary, but got {type(value).__name__}."


def iso(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, as DRF writes datetimes (``None`` stays ``None``)."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_datetime(value: Any, field_name: str) -> datetime | None:
    """An ISO 8601 request value (``None`` allowed) or DRF's 400 field error."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise field_error(
            field_name,
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


Handler = Callable[..., Any]


@dataclass
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str
    auth: bool


class Router:
    """Maps ``METHOD /path/{param}/`` templates to handlers.

    >>> r = Router()
    >>> @r.route("GET", "/x/{item_id}/", name="get_x")
    ... def get_x(ctx, req, item_id): return {"id": item_id}
    >>> r.match("GET", "/x/7/")[1]
    {'item_id': '7'}
    """

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self, method: str, template: str, *, name: str, auth: bool = True
    ) -> Callable[[Handler], Handler]:
        """Register a handler; ``name`` is the operation name of endpoints.json."""

        def decorator(fn: Handler) -> Handler:
            regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
            self.routes.append(Route(method, template, re.compile(regex), fn, name, auth))
            return fn

        return decorator

    def op(self, name: str) -> Callable[[Handler], Handler]:
        """Register the handler of operation ``name``: its method, path and whether it takes
        a credential come from its row (``toolkit._operations``), as the client's do."""
        row = operation(name)
        return self.route(row.method, row.path, name=name, auth=row.auth)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for ``method path``; raises 405 when only the method is wrong."""
        path_hit = False
        # literal segments win over parameters (".../default/{platform}/" before "{list_id}")
        for route in sorted(self.routes, key=lambda r: r.template.count("{")):
            m = route.pattern.match(path)
            if not m:
                continue
            path_hit = True
            if route.method == method:
                return route, m.groupdict()
        if path_hit:
            raise ApiError(405, {"detail": f'Method "{method}" not allowed.'})
        return None
