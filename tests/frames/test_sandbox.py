"""The sandbox's responses for every operation convert with their declared schemas, without
a single SchemaWarning (the sandbox follows the contract the frames declare).

One scripted session calls every operation over ``Sandbox.transport()``; each operation is
then its own test case. An operation the sandbox cannot answer (route missing, an error
status) or the session does not call fails with that reason.
"""

from __future__ import annotations

import base64
import hashlib
import warnings
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import polars as pl
import pytest

from toolkit import frames, sandbox

Call = tuple[str, Any, dict[str, Any] | None]  # (operation, body or error text, params)


class Session:
    """Calls the sandbox like a client would and records (operation, body, params)."""

    def __init__(self) -> None:
        self.sb = sandbox.Sandbox(seed=11, creators=600)
        self.http = httpx.Client(
            transport=self.sb.transport(),
            base_url="http://sandbox",
            headers={"Authorization": f"Bearer {self.sb.api_key}"},
            follow_redirects=False,
        )
        self.calls: dict[str, Call] = {}

    def call(
        self,
        op: str,
        method: str,
        path: str,
        params: dict | None = None,
        *,
        json: Any = None,
        query: dict | None = None,
        files: Any = None,
        data: Any = None,
        headers: dict | None = None,
    ) -> Any:
        r = self.http.request(
            method, path, json=json, params=query, files=files, data=data, headers=headers
        )
        if (
            r.status_code == 404
            and r.headers.get("content-type", "").startswith("application/json")
            and r.json() == {"detail": "Not found."}
        ):
            self.calls.setdefault(op, (op, f"route missing: {method} {path}", None))
            return None
        if r.status_code >= 400:
            self.calls.setdefault(op, (op, f"HTTP {r.status_code}: {r.text[:200]}", None))
            return None
        if r.status_code == 302:
            body: Any = {"location": r.headers.get("location")}
        elif not r.content:
            body = None
        elif r.headers.get("content-type", "").startswith("application/json"):
            body = r.json()
        else:
            body = r.text
        self.calls[op] = (op, body, params)
        return body


def _run(s: Session) -> None:
    P = "/public/v1/"
    ig = {"platform": "instagram", "paging": {"limit": 5, "page": 0}}
    disc = s.call("discovery_search", "POST", P + "discovery/", ig, json=ig)
    handles = [a["profile"]["username"] for a in (disc or {}).get("accounts", [])] or ["x", "y"]
    sim = {
        "platform": "instagram",
        "filter_key": "username",
        "filter_value": handles[0],
        "paging": {"limit": 5, "page": 0},
    }
    s.call("discovery_similar_creators", "POST", P + "discovery/creators/similar/", sim, json=sim)
    ov = {"platform": "instagram", "creators": handles[:2]}
    s.call("audience_overlap", "POST", P + "creators/audience/overlap/", ov, json=ov)
    for op, path in [
        ("dictionary_languages", "languages/"),
        ("dictionary_locations", "locations/instagram/"),
        ("dictionary_brands", "brands/"),
        ("dictionary_yt_topics", "yt-topics/"),
        ("dictionary_games", "games/"),
        ("dictionary_audience_brand_categories", "audience-brand-categories/"),
        ("dictionary_audience_brand_names", "audience-brand-names/"),
        ("dictionary_audience_interests", "audience-interests/"),
        ("dictionary_audience_locations", "audience-locations/"),
    ]:
        s.call(op, "GET", P + "discovery/classifier/" + path, {"platform": "instagram"})

    X = P + "discovery/exclusion-lists/"
    lst = s.call(
        "exclusion_lists_create", "POST", X, None, json={"name": "bench", "platform": "instagram"}
    )
    lid = (lst or {}).get("id", 1)
    s.call("exclusion_lists_list", "GET", X)
    s.call("exclusion_lists_get", "GET", f"{X}{lid}/", {"list_id": lid})
    s.call("exclusion_lists_rename", "PATCH", f"{X}{lid}/", {"list_id": lid}, json={"name": "b2"})
    s.call(
        "exclusion_lists_get_default", "GET", X + "default/instagram/", {"platform": "instagram"}
    )
    body = {"handles": handles[:3]}
    s.call(
        "exclusion_lists_list_entries_add",
        "POST",
        f"{X}{lid}/entries/",
        {"list_id": lid},
        json=body,
    )
    s.call("exclusion_lists_list_entries_get", "GET", f"{X}{lid}/entries/", {"list_id": lid})
    s.call(
        "exclusion_lists_list_entries_remove",
        "DELETE",
        f"{X}{lid}/entries/",
        {"list_id": lid},
        json={"handles": handles[:1]},
    )
    dp = {"platform": "instagram"}
    s.call(
        "exclusion_lists_default_entries_add",
        "POST",
        X + "default/instagram/entries/",
        dp,
        json=body,
    )
    s.call("exclusion_lists_default_entries_get", "GET", X + "default/instagram/entries/", dp)
    s.call(
        "exclusion_lists_default_entries_remove",
        "DELETE",
        X + "default/instagram/entries/",
        dp,
        json={"handles": handles[:1]},
    )
    s.call("exclusion_lists_delete", "DELETE", f"{X}{lid}/", {"list_id": lid})

    who = {"platform": "instagram", "handle": handles[0]}
    s.call("connected_socials", "POST", P + "creators/socials/", who, json=who)
    for mode in ("full", "profile", "analytics", "raw"):
        req = {**who, "include_audience_data": True, "include_lookalikes": True}
        if mode == "raw":
            req = dict(who)
        s.call(
            f"enrich_handle_{mode}",
            "POST",
            f"{P}creators/enrich/handle/{mode}/",
            {**who, "mode": mode},
            json=req,
        )
    email = next((c.email for c in s.sb.world.creators if c.email), "nobody@example.com")
    s.call(
        "enrich_email",
        "POST",
        P + "creators/enrich/email/",
        {"email": email},
        json={"email": email},
    )
    posts = s.call("content_posts", "POST", P + "creators/content/posts/", who, json=who)
    items = ((posts or {}).get("result") or {}).get("items") or [{}]
    post_id = items[0].get("pk") or items[0].get("post_id") or "1"
    for kind in ("transcript", "comments", "data"):  # data last: its call is the one kept
        d = {"platform": "instagram", "post_id": post_id, "content_type": kind}
        s.calls.pop("content_details", None)
        s.call("content_details", "POST", P + "creators/content/details/", d, json=d)

    B = P + "enrichment/batch/"
    csv_text = "handle\n" + "\n".join([*handles[:3], "no_such_creator_zz"]) + "\n"
    job = s.call(
        "batch_create",
        "POST",
        B,
        {"platform": "instagram"},
        files={"file": ("h.csv", csv_text, "text/csv")},
        data={
            "enrichment_mode": "full",
            "platform": "instagram",
            "include_audience_data": "true",
            "metadata": '{"campaign": "Q4"}',
        },
    )
    bid = (job or {}).get("batch_id", "bch_x")
    s.sb.clock.advance(seconds=3600)
    s.call("batch_status", "GET", f"{B}{bid}/status/", {"batch_id": bid})
    # resume needs a paused job: a second account that can pay for one row only
    low = s.sb.add_account("low", credits=1.5)
    auth_low = {"Authorization": f"Bearer {low.api_key}"}
    paused = (
        s.call(
            "batch_create_low",
            "POST",
            B,
            None,
            headers=auth_low,
            files={"file": ("h.csv", csv_text, "text/csv")},
            data={"enrichment_mode": "full", "platform": "instagram"},
        )
        or {}
    )
    s.sb.clock.advance(seconds=3600)
    pid = paused.get("batch_id", "bch_y")
    s.call("batch_status_low", "GET", f"{B}{pid}/status/", None, headers=auth_low)
    s.sb.add_credits(100, low)
    s.call(
        "batch_resume", "POST", f"{B}{pid}/resume/", {"batch_id": pid}, json={}, headers=auth_low
    )
    s.call("batch_download", "GET", f"{B}{bid}/download/", {"batch_id": bid})
    s.call(
        "batch_results",
        "GET",
        f"{B}{bid}/",
        {"batch_id": bid, "format": "json", "platform": "instagram"},
        query={"format": "json"},
    )

    s.call("account_credits", "GET", P + "accounts/credits/")
    key = s.call("api_keys_create", "POST", P + "accounts/tokens/", None, json={"name": "nb"})
    kid = (key or {}).get("id", 1)
    s.call("api_keys_list", "GET", P + "accounts/tokens/")
    s.call(
        "api_keys_update",
        "PATCH",
        f"{P}accounts/tokens/{kid}/",
        {"token_id": kid},
        json={"name": "nb2"},
    )
    s.call("api_keys_delete", "DELETE", f"{P}accounts/tokens/{kid}/", {"token_id": kid})

    OA = P + "oauth/"
    reg = (
        s.call(
            "oauth_register",
            "POST",
            OA + "register/",
            None,
            json={
                "client_name": "nb",
                "redirect_uris": ["http://localhost/cb"],
                "token_endpoint_auth_method": "client_secret_post",
            },
        )
        or {}
    )
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    auth = (
        s.call(
            "oauth_authorize",
            "GET",
            OA + "authorize/",
            None,
            query={
                "client_id": reg.get("client_id"),
                "redirect_uri": "http://localhost/cb",
                "response_type": "code",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "state": "xyz",
            },
        )
        or {}
    )
    code = parse_qs(urlsplit(auth.get("location") or "").query).get("code", [""])[0]
    tok = (
        s.call(
            "oauth_token",
            "POST",
            OA + "token/",
            None,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": verifier,
                "redirect_uri": "http://localhost/cb",
                "client_id": reg.get("client_id"),
                "client_secret": reg.get("client_secret"),
            },
        )
        or {}
    )
    s.call(
        "oauth_introspect",
        "POST",
        OA + "introspect/",
        None,
        data={
            "token": tok.get("access_token", ""),
            "client_id": reg.get("client_id"),
            "client_secret": reg.get("client_secret", ""),
        },
    )
    apps = s.call("oauth_apps_list", "GET", OA + "apps/") or [{}]
    app_id = (apps[0] if isinstance(apps, list) and apps else {}).get("id", 1)
    s.call("oauth_apps_delete", "DELETE", f"{OA}apps/{app_id}/", {"app_id": app_id})

    L = P + "social/listening/"
    sub = (
        s.call(
            "social_listening_subscriptions_create",
            "POST",
            L + "subscription/",
            None,
            json={
                "name": "watch",
                "platform": "instagram",
                "handles": handles[:3],
                "endpoints": [{"url": "https://example.com/hook"}],
            },
        )
        or {}
    )
    sid = sub.get("id", "sub_x")
    sp = {"subscription_id": sid}
    s.sb.clock.advance(days=3)
    s.call("social_listening_subscriptions_list", "GET", L + "subscription/")
    s.call("social_listening_subscriptions_get", "GET", f"{L}subscription/{sid}/", sp)
    s.call(
        "social_listening_subscriptions_update",
        "PATCH",
        f"{L}subscription/{sid}/",
        sp,
        json={"name": "watch2"},
    )
    s.call(
        "social_listening_subscription_creators_list", "GET", f"{L}subscription/{sid}/creators/", sp
    )
    s.call(
        "social_listening_subscription_creators_add",
        "POST",
        f"{L}subscription/{sid}/creators/",
        sp,
        json={"handles": [handles[-1], "???"]},
    )
    s.call("social_listening_subscription_details", "GET", f"{L}subscription/{sid}/details/", sp)
    s.call(
        "social_listening_subscription_details_export",
        "GET",
        f"{L}subscription/{sid}/details/export/",
        sp,
    )
    events = s.call("social_listening_events_list", "GET", L + "events/") or {}
    eid = ((events.get("results") or [{}])[0]).get("id", "evt_x")
    s.call("social_listening_events_get", "GET", f"{L}events/{eid}/", {"event_id": eid})
    s.call("social_listening_subscriptions_delete", "DELETE", f"{L}subscription/{sid}/", sp)

    start = s.sb.clock.now().date().isoformat()
    cmp_ = (
        s.call(
            "social_listening_campaigns_create",
            "POST",
            L + "campaign/",
            None,
            json={
                "name": "summer",
                "platforms": ["instagram"],
                "start_date": start,
                "handles": {"instagram": handles[:3]},
            },
        )
        or {}
    )
    cid = cmp_.get("id", "cmp_x")
    cp = {"campaign_id": cid}
    s.sb.clock.advance(days=5)
    s.call("social_listening_campaigns_list", "GET", L + "campaign/")
    s.call("social_listening_campaigns_get", "GET", f"{L}campaign/{cid}/", cp)
    s.call(
        "social_listening_campaigns_update", "PATCH", f"{L}campaign/{cid}/", cp, json={"budget": 50}
    )
    cr = (
        s.call("social_listening_campaign_creators_list", "GET", f"{L}campaign/{cid}/creators/", cp)
        or {}
    )
    s.call(
        "social_listening_campaign_creators_add",
        "POST",
        f"{L}campaign/{cid}/creators/",
        cp,
        json={"handles": [handles[-1]], "platform": "instagram"},
    )
    rid = ((cr.get("results") or [{}])[0]).get("id", "x")
    s.call(
        "social_listening_campaign_creators_remove",
        "DELETE",
        f"{L}campaign/{cid}/creators/",
        cp,
        json={"ids": [rid]},
    )
    s.call("social_listening_campaign_overview", "GET", f"{L}campaign/{cid}/overview/", cp)
    s.call("social_listening_campaign_content", "GET", f"{L}campaign/{cid}/content/", cp)
    s.call("social_listening_usage", "GET", L + "usage/")
    s.call("social_listening_campaigns_archive", "DELETE", f"{L}campaign/{cid}/", cp)


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session()
    _run(s)
    return s


def _ops() -> list[str]:
    return sorted(op for op in frames.CONVERTERS if op != "ledger")


@pytest.mark.parametrize("op", _ops())
def test_sandbox_response_converts_cleanly(session: Session, op: str) -> None:
    assert op in session.calls, f"{op}: not called by the scripted session"
    _, body, params = session.calls[op]
    broken = (
        params is None and isinstance(body, str) and body.startswith(("route missing", "HTTP "))
    )
    assert not broken, f"{op}: the sandbox did not answer ({body})"
    with warnings.catch_warnings():
        warnings.simplefilter("error", frames.SchemaWarning)
        result = frames.convert(op, body, params=params)
    parts = dict(result) if isinstance(result, frames.Tables) else {"": result}
    for name, df in parts.items():
        assert isinstance(df, pl.DataFrame)
        assert any(
            list(df.schema.items())[: len(s.columns)] == list(s.columns.items())
            for s in frames.TABLES.values()
        ), f"{op}:{name}"
        frames.to_pandas(df)


def test_sandbox_values_land_in_columns(session: Session) -> None:
    _, body, params = session.calls.get("discovery_search", (None, None, None))
    assert isinstance(body, dict), f"sandbox discovery did not answer: {body}"
    df = frames.convert("discovery_search", body, params=params)
    assert df["username"].to_list() == [a["profile"]["username"] for a in body["accounts"]]
    assert df["followers"].to_list() == [a["profile"]["followers"] for a in body["accounts"]]


def test_sandbox_enrichment_and_batch_agree(session: Session) -> None:
    _, body, params = session.calls.get("enrich_handle_full", (None, None, None))
    _, rows, bparams = session.calls.get("batch_results", (None, None, None))
    assert isinstance(body, dict), f"sandbox enrichment did not answer: {body}"
    assert isinstance(rows, list), f"sandbox batch results did not answer: {rows}"
    t = frames.convert("enrich_handle_full", body, params=params)
    block = body["result"]["instagram"]
    assert t.creator["followers"][0] == block["follower_count"]
    assert t.posts.height == len(block.get("post_data") or [])
    b = frames.convert("batch_results", rows, params=bparams)
    ok = [r for r in rows if r.get("status") == "success"]
    assert b.creator.height == len(ok)
    assert b.failures.height == len(rows) - len(ok)
    assert b.creator["input_value"].to_list() == [r["input_value"] for r in ok]
