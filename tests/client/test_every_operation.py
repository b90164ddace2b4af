"""Every endpoints.json operation has a client method, and calling it over the sandbox sends
the documented method, path, query and body fields and returns a Result named for it.

The expected method/path/fields come from endpoints.json (the contract), never from the
client; the request is the one that went over the wire (recorded at the transport), and
the sandbox, which routes by the same contract, still answers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract import operations_by_name
from toolkit import Client, Result
from toolkit.sandbox import Sandbox

from .client_support import Recorder, handles, requires, top_creator

OPERATIONS = operations_by_name()
OPEN = {"oauth_register", "oauth_authorize", "oauth_token", "oauth_introspect"}
API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"

Thunk = Callable[[], Result]
Scenario = Callable[[Client, Sandbox], Thunk]


def _ig(sb: Sandbox) -> str:
    return top_creator(sb, "instagram").username


def _xl(c: Client, name: str = "mine") -> int:
    return c.exclusion_lists.create(name, "instagram").data["id"]


def _batch(c: Client, sb: Sandbox, *, finished: bool = True) -> str:
    batch_id = c.batch.create(
        handles=handles(sb, "instagram", 3), enrichment_mode="raw", platform="instagram"
    ).data["batch_id"]
    if finished:
        sb.clock.advance(seconds=30)
    return batch_id


def _paused_batch(c: Client, sb: Sandbox) -> Thunk:
    poor = sb.add_account("poor", credits=0.05)
    with Client(api_key=poor.api_key, base_url=c.base_url, transport=sb.transport()) as pc:
        batch_id = _batch(pc, sb)
        assert pc.batch.status(batch_id).data["status"] == "paused_insufficient_credits"
    sb.add_credits(10, poor)
    # the call under test goes through the recorded client, with the poor account's key
    rc = Client(api_key=poor.api_key, base_url=c.base_url, transport=c._http._transport)
    return lambda: rc.batch.resume(batch_id)


def _sub(c: Client, sb: Sandbox, name: str = "watch") -> str:
    return c.listening.subscriptions.create(
        name=name,
        platform="instagram",
        handles=handles(sb, "instagram", 3),
        endpoints=[{"url": "https://hooks.example.com/ic"}],
        follower_threshold=1000,
    ).data["id"]


def _campaign(c: Client, sb: Sandbox, name: str = "launch") -> str:
    return c.listening.campaigns.create(
        name=name,
        platforms=["instagram", "tiktok"],
        start_date="2026-10-01",
        budget=100,
        handles={"instagram": handles(sb, "instagram", 3), "tiktok": handles(sb, "tiktok", 2)},
    ).data["id"]


def _event(c: Client, sb: Sandbox) -> tuple[str, str]:
    """(subscription id, id of one of its events) after two days of sandbox time."""
    sub = _sub(c, sb)
    sb.clock.advance(days=2)
    return sub, next(iter(c.listening.events.iter(subscription_id=sub)))["id"]


def _oauth_client(c: Client, confidential: bool = False) -> dict[str, Any]:
    kw = {"token_endpoint_auth_method": "client_secret_post"} if confidential else {}
    return c.oauth.register("Notebook app", ["http://127.0.0.1:9999/cb"], **kw).data


def _tokens(c: Client, app: dict[str, Any]) -> dict[str, Any]:
    pair = c.oauth.pkce()
    got = c.oauth.authorize(
        app["client_id"], app["redirect_uris"][0], code_challenge=pair.challenge, state=pair.state
    ).data
    assert got["state"] == pair.state
    return c.oauth.exchange_code(
        got["code"],
        client_id=app["client_id"],
        code_verifier=pair.verifier,
        redirect_uri=app["redirect_uris"][0],
    ).data


def _post_id(c: Client, sb: Sandbox) -> str:
    items = c.creators.posts(_ig(sb), "instagram").data["result"]["items"]
    return str(items[0]["pk"])


def _app_id(c: Client) -> Any:
    _tokens(c, _oauth_client(c))
    return c.oauth.apps().data[0]["id"]


def _token_refresh(c: Client, sb: Sandbox) -> Thunk:
    app = _oauth_client(c)
    refresh = _tokens(c, app)["refresh_token"]
    return lambda: c.oauth.refresh(refresh, client_id=app["client_id"])


def _introspect(c: Client, sb: Sandbox) -> Thunk:
    app = _oauth_client(c, confidential=True)
    token = _tokens(c, app)["access_token"]
    return lambda: c.oauth.introspect(
        token, client_id=app["client_id"], client_secret=app["client_secret"]
    )


def _details(c: Client, sb: Sandbox) -> Thunk:
    sub, _ = _event(c, sb)
    return lambda: c.listening.subscriptions.details(sub)


def _export(c: Client, sb: Sandbox) -> Thunk:
    sub, _ = _event(c, sb)
    return lambda: c.listening.subscriptions.export(sub)


def _events_list(c: Client, sb: Sandbox) -> Thunk:
    sub, _ = _event(c, sb)
    return lambda: c.listening.events.list(subscription_id=sub, type="new_post", page_size=5)


def _subs_list(c: Client, sb: Sandbox) -> Thunk:
    _sub(c, sb)
    return lambda: c.listening.subscriptions.list(page=1, page_size=10, type="handles")


def _campaigns_list(c: Client, sb: Sandbox) -> Thunk:
    _campaign(c, sb)
    return lambda: c.listening.campaigns.list(status="active", search="la")


SCENARIOS: dict[str, Scenario] = {
    # ---- discovery and dictionaries (§4, §5, §8)
    "discovery_search": lambda c, sb: (
        lambda: c.discovery.search(
            "instagram",
            filters={"number_of_followers": {"min": 1000}},
            sort_by="engagement_rate",
            limit=5,
        )
    ),
    "discovery_similar_creators": lambda c, sb: (
        lambda: c.discovery.similar("instagram", username=_ig(sb), limit=5)
    ),
    "dictionary_languages": lambda c, sb: c.dictionary.languages,
    "dictionary_locations": lambda c, sb: lambda: c.dictionary.locations("instagram", search="Lo"),
    "dictionary_brands": lambda c, sb: lambda: c.dictionary.brands(search="ni", offset=0),
    "dictionary_yt_topics": lambda c, sb: c.dictionary.yt_topics,
    "dictionary_games": lambda c, sb: c.dictionary.games,
    "dictionary_audience_brand_categories": lambda c, sb: c.dictionary.audience_brand_categories,
    "dictionary_audience_brand_names": lambda c, sb: (
        lambda: c.dictionary.audience_brand_names(search="a")
    ),
    "dictionary_audience_interests": lambda c, sb: c.dictionary.audience_interests,
    "dictionary_audience_locations": lambda c, sb: (
        lambda: c.dictionary.audience_locations(search="Uni", offset=0)
    ),
    # ---- creators (§6, §9, §10, §12)
    "audience_overlap": lambda c, sb: (
        lambda: c.creators.overlap("instagram", handles(sb, "instagram", 2))
    ),
    "connected_socials": lambda c, sb: (
        lambda: c.creators.socials(
            top_creator(sb, "instagram", connected=True).username, "instagram"
        )
    ),
    "enrich_handle_full": lambda c, sb: (
        lambda: c.creators.enrich_handle(
            _ig(sb),
            "instagram",
            email_required="preferred",
            include_audience_data=True,
            include_lookalikes=False,
        )
    ),
    "enrich_handle_profile": lambda c, sb: (
        lambda: c.creators.enrich_profile(_ig(sb), "instagram", email_required="preferred")
    ),
    "enrich_handle_analytics": lambda c, sb: (
        lambda: c.creators.enrich_handle(
            _ig(sb), "instagram", mode="analytics", include_lookalikes=True
        )
    ),
    "enrich_handle_raw": lambda c, sb: lambda: c.creators.enrich_raw(_ig(sb), "instagram"),
    "enrich_email": lambda c, sb: (
        lambda: c.creators.enrich_email(top_creator(sb, "instagram", email=True).email)
    ),
    "content_posts": lambda c, sb: lambda: c.creators.posts(_ig(sb), "instagram", count=12),
    "content_details": lambda c, sb: (
        lambda pid: lambda: c.creators.post_details(pid, "instagram", "data")
    )(_post_id(c, sb)),
    # ---- exclusion lists (§7)
    "exclusion_lists_list": lambda c, sb: (_xl(c), c.exclusion_lists.list)[1],
    "exclusion_lists_create": lambda c, sb: lambda: c.exclusion_lists.create("fresh", "tiktok"),
    "exclusion_lists_get": lambda c, sb: (lambda i: lambda: c.exclusion_lists.get(i))(_xl(c)),
    "exclusion_lists_rename": lambda c, sb: (
        lambda i: lambda: c.exclusion_lists.rename(i, "renamed")
    )(_xl(c)),
    "exclusion_lists_delete": lambda c, sb: (lambda i: lambda: c.exclusion_lists.delete(i))(_xl(c)),
    "exclusion_lists_get_default": lambda c, sb: lambda: c.exclusion_lists.get_default("instagram"),
    "exclusion_lists_list_entries_get": lambda c, sb: (
        lambda i: lambda: c.exclusion_lists.entries(i, offset=0, limit=100)
    )(_xl(c)),
    "exclusion_lists_list_entries_add": lambda c, sb: (
        lambda i: lambda: c.exclusion_lists.add_entries(i, handles=["@Nasa", "spacex"])
    )(_xl(c)),
    "exclusion_lists_list_entries_remove": lambda c, sb: (
        lambda i: lambda: c.exclusion_lists.remove_entries(i, handles=["nasa"])
    )(_xl(c)),
    "exclusion_lists_default_entries_get": lambda c, sb: (
        lambda: c.exclusion_lists.entries(platform="instagram")
    ),
    "exclusion_lists_default_entries_add": lambda c, sb: (
        lambda: c.exclusion_lists.add_entries(platform="instagram", handles=["@somebody"])
    ),
    "exclusion_lists_default_entries_remove": lambda c, sb: (
        lambda: c.exclusion_lists.remove_entries(platform="instagram", handles=["somebody"])
    ),
    # ---- batch (§11)
    "batch_create": lambda c, sb: (
        lambda: c.batch.create(
            handles=handles(sb, "instagram", 2),
            enrichment_mode="raw",
            platform="instagram",
            metadata={"run": "test"},
        )
    ),
    "batch_status": lambda c, sb: (lambda b: lambda: c.batch.status(b))(_batch(c, sb)),
    "batch_resume": _paused_batch,
    "batch_download": lambda c, sb: (lambda b: lambda: c.batch.download_url(b))(_batch(c, sb)),
    "batch_results": lambda c, sb: (lambda b: lambda: c.batch.results(b))(_batch(c, sb)),
    # ---- account (§13.1-13.2)
    "account_credits": lambda c, sb: c.account.credits,
    "api_keys_list": lambda c, sb: c.account.api_keys.list,
    "api_keys_create": lambda c, sb: lambda: c.account.api_keys.create("notebook key"),
    "api_keys_update": lambda c, sb: (
        lambda k: lambda: c.account.api_keys.update(k, name="renamed", expires_at=None)
    )(c.account.api_keys.create("temp").data["id"]),
    "api_keys_delete": lambda c, sb: (lambda k: lambda: c.account.api_keys.delete(k))(
        c.account.api_keys.create("temp").data["id"]
    ),
    # ---- OAuth (§13.3)
    "oauth_register": lambda c, sb: (
        lambda: c.oauth.register("Registered", ["https://app.example.com/cb"])
    ),
    "oauth_authorize": lambda c, sb: (
        lambda app, pair: (
            lambda: c.oauth.authorize(
                app["client_id"], app["redirect_uris"][0], code_challenge=pair.challenge, state="s1"
            )
        )
    )(_oauth_client(c), c.oauth.pkce()),
    "oauth_token": _token_refresh,
    "oauth_apps_list": lambda c, sb: (_tokens(c, _oauth_client(c)), c.oauth.apps)[1],
    "oauth_apps_delete": lambda c, sb: (lambda a: lambda: c.oauth.delete_app(a))(_app_id(c)),
    "oauth_introspect": _introspect,
    # ---- social listening (§14)
    "social_listening_subscriptions_list": _subs_list,
    "social_listening_subscriptions_create": lambda c, sb: (
        lambda: c.listening.subscriptions.create(
            name="new", platform="tiktok", handles=handles(sb, "tiktok", 2)
        )
    ),
    "social_listening_subscriptions_get": lambda c, sb: (
        lambda s: lambda: c.listening.subscriptions.get(s)
    )(_sub(c, sb)),
    "social_listening_subscriptions_update": lambda c, sb: (
        lambda s: lambda: c.listening.subscriptions.update(s, name="renamed", status="active")
    )(_sub(c, sb)),
    "social_listening_subscriptions_delete": lambda c, sb: (
        lambda s: lambda: c.listening.subscriptions.delete(s)
    )(_sub(c, sb)),
    "social_listening_subscription_creators_list": lambda c, sb: (
        lambda s: lambda: c.listening.subscriptions.creators(s, page=1, search="a")
    )(_sub(c, sb)),
    "social_listening_subscription_creators_add": lambda c, sb: (
        lambda s: (
            lambda: c.listening.subscriptions.add_creators(s, file=[handles(sb, "instagram", 5)[4]])
        )
    )(_sub(c, sb)),
    "social_listening_subscription_details": _details,
    "social_listening_subscription_details_export": _export,
    "social_listening_campaigns_list": _campaigns_list,
    "social_listening_campaigns_create": lambda c, sb: (
        lambda: c.listening.campaigns.create(name="fresh", platforms=["youtube"])
    ),
    "social_listening_campaigns_get": lambda c, sb: (
        lambda k: lambda: c.listening.campaigns.get(k)
    )(_campaign(c, sb)),
    "social_listening_campaigns_update": lambda c, sb: (
        lambda k: (
            lambda: c.listening.campaigns.update(
                k, status="active", budget=250, content_types=["reel", "video"]
            )
        )
    )(_campaign(c, sb)),
    "social_listening_campaigns_archive": lambda c, sb: (
        lambda k: lambda: c.listening.campaigns.archive(k)
    )(_campaign(c, sb)),
    "social_listening_campaign_creators_list": lambda c, sb: (
        lambda k: lambda: c.listening.campaigns.creators(k, ordering="-views", platform="instagram")
    )(_campaign(c, sb)),
    "social_listening_campaign_creators_add": lambda c, sb: (
        lambda k: (
            lambda: c.listening.campaigns.add_creators(
                k, platform="tiktok", handles=handles(sb, "tiktok", 4)[2:]
            )
        )
    )(_campaign(c, sb)),
    "social_listening_campaign_creators_remove": lambda c, sb: (
        lambda k: (lambda ids: lambda: c.listening.campaigns.remove_creators(k, ids=ids))(
            [c.listening.campaigns.creators(k).data["results"][0]["id"]]
        )
    )(_campaign(c, sb)),
    "social_listening_campaign_overview": lambda c, sb: (
        lambda k: lambda: c.listening.campaigns.overview(k, platform="instagram")
    )(_campaign(c, sb)),
    "social_listening_campaign_content": lambda c, sb: (
        lambda k: lambda: c.listening.campaigns.content(k, page=1, page_size=5)
    )(_campaign(c, sb)),
    "social_listening_events_list": _events_list,
    "social_listening_events_get": lambda c, sb: (lambda e: lambda: c.listening.events.get(e))(
        _event(c, sb)[1]
    ),
    "social_listening_usage": lambda c, sb: c.listening.usage,
}

#: What each scenario needs the sandbox to route besides the operation under test.
SETUP_NEEDS = {
    "discovery_similar_creators": (),
    "content_details": ("content_posts",),
    # batch rows are enriched by the creators module: without it every row fails
    "batch_download": ("enrich_handle_raw",),
    "batch_resume": ("enrich_handle_raw",),
}


def _path_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")


def test_every_operation_has_a_scenario() -> None:
    """A new operation in endpoints.json fails here until the client covers it."""
    assert set(OPERATIONS) - set(SCENARIOS) == set()
    assert set(SCENARIOS) - set(OPERATIONS) == set()
    assert len(OPERATIONS) == 70


def test_api_map_names_every_operation_and_an_existing_method(client: Client) -> None:
    """docs/api.md maps every operation to a client method that exists."""
    rows = re.findall(
        r"^\|\s*`(\w+)`\s*\|\s*`([A-Z]+) ([^`]+)`\s*\|\s*`client\.([\w.]+)\(",
        API_MD.read_text(),
        re.M,
    )
    mapped = {name: (method, path, attr) for name, method, path, attr in rows}
    assert set(OPERATIONS) - set(mapped) == set(), "operations missing from docs/api.md"
    for name, (method, path, attr) in mapped.items():
        assert (method, path) == (OPERATIONS[name]["method"], OPERATIONS[name]["path"]), name
        target: Any = client
        for part in attr.split("."):
            target = getattr(target, part)
        assert callable(target), attr


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation_sends_the_documented_request(
    name: str, client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    op = OPERATIONS[name]
    requires(sb, name, *SETUP_NEEDS.get(name, ()))
    call = SCENARIOS[name](client, sb)
    recorder.clear()
    result = call()

    assert isinstance(result, Result)
    assert result.operation == name
    assert len(recorder.sent) == 1, [s.path for s in recorder.sent]
    sent = recorder.last
    assert sent.method == op["method"]
    assert _path_regex(op["path"]).match(sent.path), (sent.path, op["path"])
    documented_query = {
        q["name"] if isinstance(q, dict) else q for q in op.get("query_params") or []
    }
    if name == "oauth_authorize":
        documented_query.add("login_hint")  # sandbox-only account picker, never sent unasked
    assert set(sent.query) <= documented_query, set(sent.query) - documented_query
    fields = op.get("request_fields") or []
    top = {f["name"] for f in fields if "." not in f["name"]}
    if name == "oauth_register":
        top.add("token_endpoint_auth_method")  # RFC 7591; how a confidential client registers
    body = sent.fields()
    assert set(body) <= top, set(body) - top
    required = {f["name"] for f in fields if f.get("required") and "." not in f["name"]}
    assert required <= set(body), required - set(body)
    has_auth = "authorization" in sent.headers
    assert has_auth is (name not in OPEN), "open OAuth endpoints take no credential (§1)"
