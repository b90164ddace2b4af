"""The contract suite: every operation of endpoints.json, answered by the sandbox, checked
against the operation's ``response_fields`` — with plain httpx, in-process and over
loopback HTTP, so the toolkit's client and the sandbox cannot agree on a mistake.

For each operation a scenario builds a valid request (the method and path template come
from endpoints.json; every *required* request field must be in what is sent), sends it,
and checks: a 2xx status, presence of every non-optional response field, and its JSON
type (``number|string``, ``string|null``... allowed; ``a[]`` paths check each element;
``object {a,b}`` types check those keys; ``string: x|y`` types check the value). Arrays
whose elements the contract describes must not be empty (else the check would be
vacuous) unless listed in ``MAY_BE_EMPTY``.

Optional fields (not every response carries them) are decided by rules stated in
:func:`optional`, each citing REFERENCE.md.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from contract import HERE, UPSTREAM, checksums, digests, operations
from toolkit.sandbox import Sandbox

OPERATIONS = operations()
BY_NAME = {op["name"]: op for op in OPERATIONS}
PLATFORM_WORDS = {"instagram", "youtube", "tiktok", "twitter", "twitch", "onlyfans"}

#: Arrays that may legitimately be empty in a valid answer.
MAY_BE_EMPTY = {
    "invalid[]",  # nothing invalid was sent
    "results[].endpoints[]",
    "endpoints[]",
    "creators[]",
    "details[].user.stats[]",
    "result.lookalikes[]",
    "result.instagram.past_sponsors[]",
    "result.instagram.sponsored_posts[]",
    "result.instagram.brand_affinity[]",
    "result.ai_niches[]",
    "result.ai_subniches[]",
    "result.ai_brand_collaborations[]",
    "result.links_in_bio",
}

#: Per-operation optional fields, with the reason.
OPTIONAL: dict[str, dict[str, str]] = {
    # §10.1: "presence varies by platform; in captures IG/X/Twitch returned only the
    # platform block + email fields" — every other top-level key may be absent.
    "enrich_handle_full": {
        name: "§10.1 presence varies by platform"
        for name in (
            "result.first_name",
            "result.gender",
            "result.speaking_language",
            "result.location",
            "result.is_business",
            "result.is_creator",
            "result.has_brand_deals",
            "result.has_link_in_bio",
            "result.creator_has",
            "result.links_in_bio",
            "result.other_links",
            "result.ai_niches[]",
            "result.ai_subniches[]",
            "result.ai_brand_collaborations[]",
            "result.instagram.past_sponsors[]",
            "result.instagram.sponsored_posts[]",
            "result.instagram.brand_affinity[]",
            "result.<platform>.income",
            "result.<platform>.creator_follower_growth",
        )
    },
    # §13.3 introspection: an inactive token answers only {"active": false} (RFC 7662)
    "oauth_introspect": {},
    # §14.2: "stats" only for campaign subscriptions (the scenario uses a handles one)
    "social_listening_subscriptions_get": {"stats": "§14.2 campaign subscriptions only"},
}


def optional(op: dict[str, Any], field: dict[str, Any], platform: str | None) -> str | None:
    """Why ``field`` may be missing from this response, or None when it is required."""
    name, notes, ftype = field["name"], field.get("notes", "").lower(), field["type"]
    if name == "trial_searches_left":
        return "§2: trial accounts only (the contract sandbox is not a trial)"
    if "only when" in notes or "trial" in notes:
        return f"notes: {field['notes']}"
    if ftype == "unknown":
        return "§10.1: shape unknown"
    words = set(re.split(r"[.\[\]]+", name))
    others = (words & PLATFORM_WORDS) - {platform}
    if others:
        return f"another platform's block ({', '.join(sorted(others))}); asked for {platform}"
    if op["name"] == "content_details" and name != "result" and "(ig)" not in notes:
        return "§12.2: fields of another content_type"
    return OPTIONAL.get(op["name"], {}).get(name)


# ============================================================================ type checks
def type_error(value: Any, ftype: str) -> str | None:
    """Why ``value`` does not fit the contract type string ``ftype`` (None if it fits)."""
    t = ftype.strip()
    nullable = "|null" in t or "or null" in t
    if value is None:
        return None if nullable else "is null"
    base = t.replace("|null", "")
    is_num = isinstance(value, int | float) and not isinstance(value, bool)
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if base.startswith("string[]") or base == "array of string":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else f"is {value!r:.60}, not a list of strings"
    if base.startswith("string|string[]"):
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        return None if ok else "is neither a string nor a list of strings"
    if base.startswith("string"):
        if not isinstance(value, str):
            return f"is {type(value).__name__}, not string"
        m = re.match(r"string: ([\w|]+)$", base)
        if m and value not in m.group(1).split("|"):
            return f"is {value!r}, not one of {m.group(1)}"
        return None
    if base.startswith("integer"):
        return None if is_int else f"is {value!r:.40}, not an integer"
    if base == "number|string":
        return None if is_num or isinstance(value, str) else "is neither number nor string"
    m = re.match(r"number\[(\d+)\]", base)
    if m:
        ok = isinstance(value, list) and len(value) == int(m.group(1))
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        return None if ok else f"is {value!r:.60}, not {m.group(1)} numbers"
    if base.startswith("number"):
        return None if is_num else f"is {value!r:.40}, not a number"
    if base.startswith("boolean"):
        return None if isinstance(value, bool) else f"is {value!r:.40}, not a boolean"
    if base.startswith("object"):
        if not isinstance(value, dict):
            return f"is {type(value).__name__}, not an object"
        m = re.match(r"object \{([\w,]+)\}$", base)
        if m:
            missing = [k for k in m.group(1).split(",") if k not in value]
            if missing:
                return f"lacks keys {missing}"
        if base == "object<string,boolean>" and not all(
            isinstance(v, bool) for v in value.values()
        ):
            return "has non-boolean values"
        return None
    if base.startswith("array"):
        return None if isinstance(value, list) else f"is {type(value).__name__}, not an array"
    return None  # "as in list", "subscription creator", ...: presence only


def walk(data: Any, path: str) -> tuple[list[Any], str | None, bool]:
    """Values at ``path`` (``a[].b``), where it went missing, and whether an array was empty.

    Returns ``(values, missing_at, vacuous)``; a null parent yields no values (its own
    nullability is checked on its own field).
    """
    tokens = [t for t in re.split(r"(\[\])|\.", path) if t]
    values = [data]
    for i, tok in enumerate(tokens):
        nxt: list[Any] = []
        if tok == "[]":
            for v in values:
                if isinstance(v, list):
                    nxt.extend(v)
            if values and not nxt and i < len(tokens) - 1:
                return [], None, True
        else:
            for v in values:
                if v is None:
                    continue
                if not isinstance(v, dict) or tok not in v:
                    return [], ".".join(tokens[: i + 1]).replace(".[]", "[]"), False
                nxt.append(v[tok])
        values = nxt
    return values, None, False


def check(op: dict[str, Any], resp: httpx.Response, platform: str | None) -> list[str]:
    """Every contract violation of ``resp`` for ``op``."""
    problems: list[str] = []
    fields = op["response_fields"]
    if fields and fields[0]["name"] in ("(none)", "(empty)"):
        if resp.status_code != 204 or resp.content:
            problems.append(f"expected 204 without a body, got {resp.status_code}")
        return problems
    if fields and fields[0]["name"] == "(redirect)":
        if resp.status_code != 302 or "location" not in resp.headers:
            problems.append(f"expected a 302 redirect, got {resp.status_code}")
        return problems
    if not 200 <= resp.status_code < 300:
        return [f"status {resp.status_code}: {resp.text[:300]}"]
    if fields and fields[0]["type"].startswith("text/csv"):
        header = fields[0]["type"].split(":", 1)[1].strip().split(",")
        if "text/csv" not in resp.headers.get("content-type", ""):
            problems.append(f"content-type {resp.headers.get('content-type')}, not text/csv")
        rows = list(csv.reader(io.StringIO(resp.text)))
        if not rows or rows[0] != header:
            problems.append(f"CSV header {rows[:1]}, not {header}")
        return problems
    try:
        data = resp.json()
    except ValueError:
        return [f"body is not JSON: {resp.text[:200]!r}"]
    if fields and fields[0]["name"] == "(event fields)":  # "as in list": the list's items
        listed = BY_NAME["social_listening_events_list"]["response_fields"]
        fields = [
            {**f, "name": f["name"].removeprefix("results[].")}
            for f in listed
            if f["name"].startswith("results[].")
        ] + fields[1:]
    for field in fields:
        name = field["name"]
        if name == "(body)":
            if err := type_error(data, field["type"]):
                problems.append(f"body {err}")
            continue
        path = name.replace("<platform>", platform or "<platform>")
        why_optional = optional(op, field, platform)
        if path.endswith("[]") and not field["type"].startswith("array"):
            values, missing, vacuous = walk(data, path)  # type applies to each element
            values_are_elements = True
        else:
            values, missing, vacuous = walk(data, path.removesuffix("[]"))
            values_are_elements = False
        if missing:
            if why_optional is None:
                problems.append(f"{name}: missing ({missing})")
            continue
        if vacuous and name not in MAY_BE_EMPTY and why_optional is None:
            problems.append(f"{name}: unchecked, an enclosing array was empty")
            continue
        for value in values:
            if err := type_error(value, field["type"]):
                problems.append(f"{name} {err}")
                break
        if name in MAY_BE_EMPTY or why_optional is not None:
            continue
        if values_are_elements and not values:
            problems.append(f"{name}: empty, so its elements went unchecked")
        elif (
            field["type"].startswith("array")
            and any(v == [] for v in values)
            and any(f["name"].startswith(name + ".") for f in fields)
        ):
            problems.append(f"{name}: empty, so its element fields went unchecked")
    return problems


# ============================================================================ scenarios
class Api:
    """Builds the state a request needs, through the same plain HTTP client."""

    def __init__(self, sb: Sandbox, http: httpx.Client) -> None:
        self.sb, self.http = sb, http
        self.auth = {"Authorization": f"Bearer {sb.api_key}"}
        self._cache: dict[str, Any] = {}

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.auth, **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)

    def ok(self, method: str, path: str, **kw: Any) -> Any:
        resp = self.call(method, path, **kw)
        assert resp.status_code < 300, (method, path, resp.status_code, resp.text[:300])
        return resp.json() if resp.content else None

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # --- world picks (the sandbox's own data, not the client's)
    def creator(self, platform: str, *, email: bool = False, connected: bool = False) -> Any:
        world = self.sb.world
        for c in sorted(world.on(platform), key=lambda c: -c.followers):
            if email and not c.email:
                continue
            if connected and not world.connected(c):
                continue
            return c
        raise AssertionError(f"no {platform} creator fits")

    def handles(self, platform: str, n: int) -> list[str]:
        world = self.sb.world
        return [c.username for c in sorted(world.on(platform), key=lambda c: -c.followers)[:n]]

    # --- state made through the API
    def post_id(self) -> str:
        def make() -> str:
            c = self.creator("instagram")
            body = {"platform": "instagram", "handle": c.username, "count": 12}
            items = self.ok("POST", "/public/v1/creators/content/posts/", json=body)["result"][
                "items"
            ]
            return str(items[0]["pk"])

        return self.once("post_id", make)

    def exclusion_list(self, name: str = "contract") -> int:
        body = {"name": name, "platform": "instagram"}
        return self.once(
            f"xl:{name}",
            lambda: self.ok("POST", "/public/v1/discovery/exclusion-lists/", json=body)["id"],
        )

    def batch(self, *, headers: dict[str, str] | None = None, rows: int = 3) -> str:
        csv_bytes = ("handle\n" + "\n".join(self.handles("instagram", rows)) + "\n").encode()
        files = {"file": ("handles.csv", csv_bytes, "text/csv")}
        data = {"enrichment_mode": "raw", "platform": "instagram", "metadata": '{"run": "c"}'}
        out = self.ok(
            "POST", "/public/v1/enrichment/batch/", files=files, data=data, headers=headers or {}
        )
        return out["batch_id"]

    def finished_batch(self) -> str:
        def make() -> str:
            batch_id = self.batch()
            self.sb.clock.advance(seconds=30)
            return batch_id

        return self.once("batch", make)

    def subscription(self, name: str = "contract subs") -> str:
        body = {
            "name": name,
            "platform": "instagram",
            "handles": self.handles("instagram", 3),
            "endpoints": [{"url": "https://hooks.example.com/ic"}],
            "follower_threshold": 1000,
        }
        return self.once(
            f"sub:{name}",
            lambda: self.ok("POST", "/public/v1/social/listening/subscription/", json=body)["id"],
        )

    def campaign(self, name: str = "contract campaign") -> str:
        body = {
            "name": name,
            "platforms": ["instagram", "tiktok"],
            "start_date": "2026-10-01",
            "budget": 100,
            "handles": {
                "instagram": self.handles("instagram", 3),
                "tiktok": self.handles("tiktok", 2),
            },
        }
        return self.once(
            f"cmp:{name}",
            lambda: self.ok("POST", "/public/v1/social/listening/campaign/", json=body)["id"],
        )

    def event_id(self) -> str:
        def make() -> str:
            sub = self.subscription()  # it has a webhook endpoint, so deliveries exist
            self.sb.clock.advance(days=2)
            page = self.ok(
                "GET", "/public/v1/social/listening/events/", params={"subscription_id": sub}
            )
            return page["results"][0]["id"]

        return self.once("event", make)

    def oauth_client(self, confidential: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "client_name": "Contract app",
            "redirect_uris": ["http://127.0.0.1:9999/callback"],
        }
        if confidential:
            body["token_endpoint_auth_method"] = "client_secret_post"
        return self.once(
            f"client:{confidential}",
            lambda: self.http.post("/public/v1/oauth/register/", json=body).json(),
        )

    def authorize(self, client: dict[str, Any]) -> tuple[str, str]:
        """(code, verifier) via the authorize redirect."""
        verifier = base64.urlsafe_b64encode(hashlib.sha256(b"contract").digest()).decode()
        verifier = verifier.rstrip("=") + "x" * 5
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        params = {
            "client_id": client["client_id"],
            "redirect_uri": client["redirect_uris"][0],
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "xyz",
        }
        resp = self.http.get("/public/v1/oauth/authorize/", params=params)
        code = parse_qs(urlsplit(resp.headers["location"]).query)["code"][0]
        return code, verifier

    def tokens(self, client: dict[str, Any]) -> dict[str, Any]:
        code, verifier = self.authorize(client)
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": client["redirect_uris"][0],
            "client_id": client["client_id"],
        }
        return self.http.post("/public/v1/oauth/token/", data=form).json()


def _ig(api: Api) -> str:
    return api.creator("instagram").username


SCENARIOS: dict[str, Callable[[Api], dict[str, Any]]] = {
    # ---- creator data (§4-§12)
    "discovery_search": lambda a: {
        "json": {"platform": "instagram", "paging": {"limit": 5, "page": 0}}
    },
    "discovery_similar_creators": lambda a: {
        "json": {
            "platform": "instagram",
            "filter_key": "username",
            "filter_value": _ig(a),
            "paging": {"limit": 5, "page": 0},
        }
    },
    "audience_overlap": lambda a: {
        "json": {"platform": "instagram", "creators": a.handles("instagram", 2)}
    },
    "dictionary_languages": lambda a: {},
    "dictionary_locations": lambda a: {"path": {"platform": "instagram"}},
    "dictionary_brands": lambda a: {},
    "dictionary_yt_topics": lambda a: {},
    "dictionary_games": lambda a: {},
    "dictionary_audience_brand_categories": lambda a: {},
    "dictionary_audience_brand_names": lambda a: {},
    "dictionary_audience_interests": lambda a: {},
    "dictionary_audience_locations": lambda a: {},
    "connected_socials": lambda a: {
        "json": {"platform": "instagram", "handle": a.creator("instagram", connected=True).username}
    },
    "enrich_handle_full": lambda a: {
        "json": {
            "handle": _ig(a),
            "platform": "instagram",
            "email_required": "preferred",
            "include_audience_data": True,
            "include_lookalikes": True,
        }
    },
    "enrich_handle_profile": lambda a: {"json": {"handle": _ig(a), "platform": "instagram"}},
    "enrich_handle_analytics": lambda a: {  # §15 #5: the lookalikes default is disputed
        "json": {"handle": _ig(a), "platform": "instagram", "include_lookalikes": True}
    },
    "enrich_handle_raw": lambda a: {"json": {"handle": _ig(a), "platform": "instagram"}},
    "enrich_email": lambda a: {"json": {"email": a.creator("instagram", email=True).email}},
    "content_posts": lambda a: {"json": {"platform": "instagram", "handle": _ig(a), "count": 12}},
    "content_details": lambda a: {
        "json": {"platform": "instagram", "post_id": a.post_id(), "content_type": "data"}
    },
    # ---- exclusion lists (§7)
    "exclusion_lists_list": lambda a: {"before": a.exclusion_list()},
    "exclusion_lists_create": lambda a: {"json": {"name": "fresh", "platform": "tiktok"}},
    "exclusion_lists_get": lambda a: {"path": {"list_id": a.exclusion_list()}},
    "exclusion_lists_rename": lambda a: {
        "path": {"list_id": a.exclusion_list("to rename")},
        "json": {"name": "renamed"},
    },
    "exclusion_lists_delete": lambda a: {"path": {"list_id": a.exclusion_list("to delete")}},
    "exclusion_lists_get_default": lambda a: {"path": {"platform": "instagram"}},
    "exclusion_lists_list_entries_get": lambda a: {
        "path": {"list_id": a.exclusion_list()},
        "before": a.ok(
            "POST",
            f"/public/v1/discovery/exclusion-lists/{a.exclusion_list()}/entries/",
            json={"handles": ["@someone"]},
        ),
        "params": {"offset": 0, "limit": 100},
    },
    "exclusion_lists_list_entries_add": lambda a: {
        "path": {"list_id": a.exclusion_list()},
        "json": {"handles": ["@Nasa", "https://www.instagram.com/spacex/"]},
    },
    "exclusion_lists_list_entries_remove": lambda a: {
        "path": {"list_id": a.exclusion_list()},
        "json": {"handles": ["nasa"]},
    },
    "exclusion_lists_default_entries_get": lambda a: {
        "path": {"platform": "instagram"},
        "before": a.ok(
            "POST",
            "/public/v1/discovery/exclusion-lists/default/instagram/entries/",
            json={"handles": ["someone"]},
        ),
    },
    "exclusion_lists_default_entries_add": lambda a: {
        "path": {"platform": "instagram"},
        "json": {"handles": ["@somebody"]},
    },
    "exclusion_lists_default_entries_remove": lambda a: {
        "path": {"platform": "instagram"},
        "json": {"handles": ["somebody"]},
    },
    # ---- batch (§11)
    "batch_create": lambda a: {
        "files": {"file": ("h.csv", b"handle\n" + _ig(a).encode() + b"\n", "text/csv")},
        "data": {"enrichment_mode": "raw", "platform": "instagram", "metadata": "{}"},
    },
    "batch_status": lambda a: {"path": {"batch_id": a.finished_batch()}},
    "batch_resume": lambda a: _paused_batch(a),
    "batch_download": lambda a: {"path": {"batch_id": a.finished_batch()}},
    "batch_results": lambda a: {
        "path": {"batch_id": a.finished_batch()},
        "params": {"format": "json"},
    },
    # ---- account (§13.1-13.2)
    "account_credits": lambda a: {},
    "api_keys_list": lambda a: {},
    "api_keys_create": lambda a: {"json": {"name": "contract key"}},
    "api_keys_update": lambda a: {"path": {"token_id": _new_key(a)}, "json": {"name": "renamed"}},
    "api_keys_delete": lambda a: {"path": {"token_id": _new_key(a)}},
    # ---- OAuth (§13.3)
    "oauth_register": lambda a: {
        "json": {"client_name": "Registered", "redirect_uris": ["https://app.example.com/cb"]}
    },
    "oauth_authorize": lambda a: _authorize_params(a),
    "oauth_token": lambda a: _token_form(a),
    "oauth_apps_list": lambda a: {"before": a.tokens(a.oauth_client())},
    "oauth_apps_delete": lambda a: {"path": {"app_id": _app_to_delete(a)}},
    "oauth_introspect": lambda a: _introspect_form(a),
    # ---- social listening (§14)
    "social_listening_subscriptions_list": lambda a: {"before": a.subscription()},
    "social_listening_subscriptions_create": lambda a: {
        "json": {"name": "new", "platform": "tiktok", "handles": a.handles("tiktok", 2)}
    },
    "social_listening_subscriptions_get": lambda a: {"path": {"subscription_id": a.subscription()}},
    "social_listening_subscriptions_update": lambda a: {
        "path": {"subscription_id": a.subscription()},
        "json": {"name": "renamed", "status": "active"},
    },
    "social_listening_subscriptions_delete": lambda a: {
        "path": {"subscription_id": a.subscription("to delete")}
    },
    "social_listening_subscription_creators_list": lambda a: {
        "path": {"subscription_id": a.subscription()}
    },
    "social_listening_subscription_creators_add": lambda a: {
        "path": {"subscription_id": a.subscription()},
        "files": {"file": ("c.csv", ("handle\n" + a.handles("instagram", 5)[4]).encode())},
        "data": {},
    },
    "social_listening_subscription_details": lambda a: {
        "path": {"subscription_id": a.subscription()},
        "before": a.event_id(),
    },
    "social_listening_subscription_details_export": lambda a: {
        "path": {"subscription_id": a.subscription()},
        "before": a.event_id(),
    },
    "social_listening_campaigns_list": lambda a: {"before": a.campaign()},
    "social_listening_campaigns_create": lambda a: {
        "json": {"name": "fresh", "platforms": ["youtube"]}
    },
    "social_listening_campaigns_get": lambda a: {"path": {"campaign_id": a.campaign()}},
    "social_listening_campaigns_update": lambda a: {
        "path": {"campaign_id": a.campaign()},
        "json": {"status": "active", "budget": 250, "content_types": ["reel", "video"]},
    },
    "social_listening_campaigns_archive": lambda a: {
        "path": {"campaign_id": a.campaign("to archive")}
    },
    "social_listening_campaign_creators_list": lambda a: {"path": {"campaign_id": a.campaign()}},
    "social_listening_campaign_creators_add": lambda a: {
        "path": {"campaign_id": a.campaign()},
        "json": {"platform": "tiktok", "handles": a.handles("tiktok", 4)[2:]},
    },
    "social_listening_campaign_creators_remove": lambda a: {
        "path": {"campaign_id": a.campaign()},
        "json": {"ids": [_campaign_creator_id(a)]},
    },
    "social_listening_campaign_overview": lambda a: {"path": {"campaign_id": a.campaign()}},
    "social_listening_campaign_content": lambda a: {"path": {"campaign_id": a.campaign()}},
    "social_listening_events_list": lambda a: {"before": a.event_id()},
    "social_listening_events_get": lambda a: {"path": {"event_id": a.event_id()}},
    "social_listening_usage": lambda a: {},
}


def _paused_batch(a: Api) -> dict[str, Any]:
    """A batch on a nearly empty account pauses; after a top-up it can be resumed."""
    other = a.sb.add_account("Contract poor", credits=0.05)
    headers = {"Authorization": f"Bearer {other.api_key}"}
    batch_id = a.batch(headers=headers, rows=5)
    a.sb.clock.advance(seconds=30)
    status = a.ok("GET", f"/public/v1/enrichment/batch/{batch_id}/status/", headers=headers)
    assert status["status"] == "paused_insufficient_credits", status
    a.sb.add_credits(10, other)
    return {"path": {"batch_id": batch_id}, "headers": headers, "json": {}}


def _new_key(a: Api) -> int:
    return a.ok("POST", "/public/v1/accounts/tokens/", json={"name": "temp"})["id"]


def _authorize_params(a: Api) -> dict[str, Any]:
    client = a.oauth_client()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(b"v" * 50).digest()).rstrip(b"=")
    return {
        "params": {
            "client_id": client["client_id"],
            "redirect_uri": client["redirect_uris"][0],
            "response_type": "code",
            "code_challenge": challenge.decode(),
            "code_challenge_method": "S256",
            "state": "s1",
        },
        "auth": False,
    }


def _token_form(a: Api) -> dict[str, Any]:
    client = a.oauth_client()
    code, verifier = a.authorize(client)
    return {
        "data": {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": client["redirect_uris"][0],
            "client_id": client["client_id"],
        },
        "auth": False,
    }


def _app_to_delete(a: Api) -> int:
    client = a.http.post(
        "/public/v1/oauth/register/",
        json={"client_name": "Doomed", "redirect_uris": ["https://doomed.example.com/cb"]},
    ).json()
    a.tokens(client)
    apps = a.ok("GET", "/public/v1/oauth/apps/")
    return next(x["id"] for x in apps if x["client_id"] == client["client_id"])


def _introspect_form(a: Api) -> dict[str, Any]:
    client = a.oauth_client(confidential=True)
    tokens = a.tokens(client)
    return {
        "data": {
            "token": tokens["access_token"],
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
        "auth": False,
    }


def _campaign_creator_id(a: Api) -> str:
    page = a.ok("GET", f"/public/v1/social/listening/campaign/{a.campaign()}/creators/")
    return page["results"][-1]["id"]


def sent_fields(spec: dict[str, Any]) -> set[str]:
    """Dotted names of what a scenario sends (JSON keys, form fields, query params)."""
    names: set[str] = set()

    def visit(obj: Any, prefix: str) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                names.add(prefix + k)
                visit(v, prefix + k + ".")

    visit(spec.get("json") or {}, "")
    names.update((spec.get("data") or {}).keys())
    names.update((spec.get("files") or {}).keys())
    names.update((spec.get("params") or {}).keys())
    return names


# ============================================================================ tests
def test_the_committed_copy_is_the_contract() -> None:
    """contract/ hashes to its SHA256SUMS (no hand edit, no file missing or extra); where
    CI keeps the source beside the clone, that hashes the same (contract/README.md)."""
    assert digests(HERE) == checksums(), "contract/ differs from contract/SHA256SUMS"
    if UPSTREAM.is_dir():
        assert digests(UPSTREAM) == checksums(), (
            f"contract/ drifted from {UPSTREAM}: refresh it as contract/README.md says"
        )


def test_every_operation_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == sorted(BY_NAME)


def test_every_operation_is_routed_with_its_method_and_path() -> None:
    sb = Sandbox(creators=50)
    routed = {(r.name, r.method, r.template) for r in sb.router.routes}
    missing = [
        (op["name"], op["method"], op["path"])
        for op in OPERATIONS
        if (op["name"], op["method"], op["path"]) not in routed
    ]
    assert not missing, f"not routed as the contract says: {missing}"


@pytest.fixture(scope="module")
def api(wire: tuple[Sandbox, httpx.Client]) -> Api:
    """One scenario builder per sandbox, so setup (lists, batches...) is shared."""
    return Api(*wire)


@pytest.mark.parametrize("name", [op["name"] for op in OPERATIONS])
def test_operation_answers_per_contract(name: str, api: Api) -> None:
    http = api.http
    op = BY_NAME[name]
    spec = SCENARIOS[name](api)
    required = {f["name"] for f in op["request_fields"] if f.get("required")}
    required |= {q["name"] for q in op["query_params"] if q.get("required")}
    assert required <= sent_fields(spec), f"scenario omits {required - sent_fields(spec)}"
    path = op["path"].format(**{k: v for k, v in (spec.get("path") or {}).items()})
    headers = dict(api.auth) if spec.get("auth", True) else {}
    headers.update(spec.get("headers") or {})
    resp = http.request(
        op["method"],
        path,
        headers=headers,
        json=spec.get("json"),
        data=spec.get("data"),
        files=spec.get("files"),
        params=spec.get("params"),
    )
    platform = (spec.get("json") or spec.get("data") or {}).get("platform")
    if isinstance(platform, list) or platform is None:
        platform = (spec.get("path") or {}).get("platform")
    problems = check(op, resp, platform)
    assert not problems, f"{name} {op['method']} {path}:\n  " + "\n  ".join(problems)
