"""Bad input is refused before it is sent: a catalogue across the whole surface.

Each case is a call with one mistake, the fragment of the message that tells the user
what to fix, and the proof that nothing reached the sandbox (its request log stays
empty, so nothing was paid). Platform names in any case are accepted everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit.sandbox import Sandbox

from .support import client_on

H = ["alice", "bob"]
ELEVEN = [f"creator{i}" for i in range(11)]
BIG = b"handle\n" + b"x" * (10 * 1024 * 1024)

Case = tuple[str, Callable[[Any, Path], Any], str]

CASES: list[Case] = [
    # ---------------------------------------------------------------- discovery
    ("search limit as text", lambda c, p: c.discovery.search("instagram", limit="10"), "integer"),
    ("search page as text", lambda c, p: c.discovery.search("instagram", page="3"), "integer"),
    ("search limit 0", lambda c, p: c.discovery.search("instagram", limit=0), "1-50"),
    ("search limit 51", lambda c, p: c.discovery.search("instagram", limit=51), "1-50"),
    ("search page -1", lambda c, p: c.discovery.search("instagram", page=-1), "page must be"),
    ("search past 10k", lambda c, p: c.discovery.search("instagram", page=500), "10000"),
    ("search unknown platform", lambda c, p: c.discovery.search("myspace"), "choose one of"),
    ("search platform None", lambda c, p: c.discovery.search(None), "platform name"),
    (
        "negative bound",
        lambda c, p: c.discovery.search("instagram", filters={"number_of_followers": {"min": -5}}),
        "min must be >= 0",
    ),
    (
        "absurd percent",
        lambda c, p: c.discovery.search("instagram", filters={"engagement_percent": {"min": 500}}),
        "0-100",
    ),
    (
        "min over max",
        lambda c, p: c.discovery.search(
            "instagram", filters={"number_of_followers": {"min": 10, "max": 5}}
        ),
        "greater than max",
    ),
    (
        "filter typo",
        lambda c, p: c.discovery.search("instagram", filters={"number_of_follower": {"min": 1}}),
        "did you mean",
    ),
    (
        "bound as text",
        lambda c, p: c.discovery.search(
            "instagram", filters={"number_of_followers": {"min": "10"}}
        ),
        "must be a number",
    ),
    (
        "filters as text",
        lambda c, p: c.discovery.search("instagram", filters="followers>10"),
        "mapping",
    ),
    (
        "filter of another platform",
        lambda c, p: c.discovery.search("instagram", filters={"number_of_subscribers": {"min": 1}}),
        "not a filter on instagram",
    ),
    ("sort_by unknown", lambda c, p: c.discovery.search("instagram", sort_by="loud"), "sort_by"),
    ("sort_order up", lambda c, p: c.discovery.search("instagram", sort_order="up"), "asc"),
    ("similar without id", lambda c, p: c.discovery.similar("instagram"), "exactly one"),
    (
        "similar username None",
        lambda c, p: c.discovery.similar("instagram", username=None),
        "must be a string",
    ),
    ("similar blank", lambda c, p: c.discovery.similar("instagram", username="  "), "empty"),
    ("similar on twitter", lambda c, p: c.discovery.similar("twitter", username="a"), "twitter"),
    # ---------------------------------------------------------------- dictionaries
    ("locations unknown platform", lambda c, p: c.dictionary.locations("myspace"), "choose"),
    ("locations platform None", lambda c, p: c.dictionary.locations(None), "platform name"),
    (
        "locations limit text",
        lambda c, p: c.dictionary.locations("instagram", limit="5"),
        "integer",
    ),
    ("brands offset -1", lambda c, p: c.dictionary.brands(offset=-1), "offset must be"),
    # ---------------------------------------------------------------- enrichment
    ("handle None", lambda c, p: c.creators.enrich_handle(None, "instagram"), "must be a string"),
    ("handle empty", lambda c, p: c.creators.enrich_handle("", "instagram"), "empty"),
    ("handle spaces", lambda c, p: c.creators.enrich_handle("   ", "instagram"), "empty"),
    ("handle @ only", lambda c, p: c.creators.enrich_handle("@", "instagram"), "empty"),
    ("handle two words", lambda c, p: c.creators.enrich_handle("a b", "instagram"), "whitespace"),
    (
        "handle is a site, not a profile",
        lambda c, p: c.creators.enrich_handle("https://instagram.com/", "instagram"),
        "no creator in it",
    ),
    (
        "handle is a site without its scheme",
        lambda c, p: c.creators.enrich_handle("www.instagram.com", "instagram"),
        "no creator in it",
    ),
    ("enrich unknown platform", lambda c, p: c.creators.enrich_handle("a", "myspace"), "choose"),
    (
        "full on linkedin",
        lambda c, p: c.creators.enrich_handle("a", "linkedin", mode="full"),
        "not available",
    ),
    (
        "analytics on snapchat",
        lambda c, p: c.creators.enrich_handle("a", "snapchat", mode="analytics"),
        "not available",
    ),
    ("unknown mode", lambda c, p: c.creators.enrich_handle("a", "instagram", mode="deep"), "mode"),
    (
        "option of another mode",
        lambda c, p: c.creators.enrich_handle("a", "instagram", mode="raw", email_required="x"),
        "does not take",
    ),
    (
        "email as handle",
        lambda c, p: c.creators.enrich_handle("someone@example.com", "instagram"),
        "enrich_email",
    ),
    ("email None", lambda c, p: c.creators.enrich_email(None), "must be a string"),
    ("email without @", lambda c, p: c.creators.enrich_email("someone"), "not an email"),
    ("email without domain", lambda c, p: c.creators.enrich_email("a@b"), "not an email"),
    ("email empty", lambda c, p: c.creators.enrich_email(""), "not an email"),
    ("email two @", lambda c, p: c.creators.enrich_email("a@@b.com"), "not an email"),
    ("socials None", lambda c, p: c.creators.socials(None, "instagram"), "must be a string"),
    ("socials platform", lambda c, p: c.creators.socials("a", "snapchatz"), "choose"),
    ("overlap one", lambda c, p: c.creators.overlap("instagram", ["a"]), "2 to 10"),
    ("overlap eleven", lambda c, p: c.creators.overlap("instagram", ELEVEN), "2 to 10"),
    ("overlap None", lambda c, p: c.creators.overlap("instagram", ["a", None]), "handles[1]"),
    ("overlap string", lambda c, p: c.creators.overlap("instagram", "a,b"), "list of handles"),
    ("overlap twice", lambda c, p: c.creators.overlap("instagram", ["a", "@A"]), "twice"),
    ("overlap on twitch", lambda c, p: c.creators.overlap("twitch", H), "choose"),
    ("posts count text", lambda c, p: c.creators.posts("a", "tiktok", count="12"), "integer"),
    ("posts count 0", lambda c, p: c.creators.posts("a", "tiktok", count=0), "count must be"),
    ("posts empty handle", lambda c, p: c.creators.posts("", "tiktok"), "empty"),
    ("posts on twitter", lambda c, p: c.creators.posts("a", "twitter"), "choose"),
    ("post_details empty", lambda c, p: c.creators.post_details("", "instagram"), "post_id"),
    # ---------------------------------------------------------------- batch
    (
        "csv empty",
        lambda c, p: c.batch.create(b"", enrichment_mode="raw", platform="instagram"),
        "empty",
    ),
    (
        "csv headerless",
        lambda c, p: c.batch.create(b"alice\nbob\n", enrichment_mode="raw", platform="instagram"),
        "headed 'handle'",
    ),
    (
        "csv two columns",
        lambda c, p: c.batch.create(
            b"handle,platform\nalice,instagram\n", enrichment_mode="raw", platform="instagram"
        ),
        "2 columns",
    ),
    (
        "csv not utf-8",
        lambda c, p: c.batch.create(
            "handle\nJosé\n".encode("latin-1"), enrichment_mode="raw", platform="instagram"
        ),
        "UTF-8",
    ),
    (
        "csv over 10 MB",
        lambda c, p: c.batch.create(BIG, enrichment_mode="raw", platform="instagram"),
        "10 MB",
    ),
    (
        "csv file over 10 MB",
        lambda c, p: c.batch.create(_write(p, BIG), enrichment_mode="raw", platform="instagram"),
        "10 MB",
    ),
    (
        "csv duplicates",
        lambda c, p: c.batch.create(
            b"handle\nalice\nbob\nalice\n@Alice\n", enrichment_mode="raw", platform="instagram"
        ),
        "dedupe=True",
    ),
    (
        "csv header only",
        lambda c, p: c.batch.create(b"handle\n", enrichment_mode="raw", platform="instagram"),
        "no rows",
    ),
    (
        "handles to an email mode",
        lambda c, p: c.batch.create(handles=H, enrichment_mode="basic"),
        "pass emails=",
    ),
    (
        "emails to a handle mode",
        lambda c, p: c.batch.create(emails=["a@b.com"], enrichment_mode="raw", platform="tiktok"),
        "pass handles=",
    ),
    (
        "batch handle None",
        lambda c, p: c.batch.create(handles=["a", None], enrichment_mode="raw", platform="tiktok"),
        "must be a string",
    ),
    (
        "batch bad email",
        lambda c, p: c.batch.create(emails=["nope"], enrichment_mode="basic"),
        "not an email",
    ),
    (
        "batch unknown mode",
        lambda c, p: c.batch.create(handles=H, enrichment_mode="deep", platform="tiktok"),
        "enrichment_mode",
    ),
    (
        "batch no platform",
        lambda c, p: c.batch.create(handles=H, enrichment_mode="raw"),
        "platform",
    ),
    ("batch id empty", lambda c, p: c.batch.status(""), "batch_id"),
    ("batch id None", lambda c, p: c.batch.status(None), "batch_id"),
    ("batch id blank results", lambda c, p: c.batch.results("  "), "batch_id"),
    ("batch id resume", lambda c, p: c.batch.resume(""), "batch_id"),
    # ---------------------------------------------------------------- exclusion lists
    ("list name empty", lambda c, p: c.exclusion_lists.create("", "instagram"), "name"),
    ("list name None", lambda c, p: c.exclusion_lists.create(None, "instagram"), "name"),
    ("list platform", lambda c, p: c.exclusion_lists.create("x", "myspace"), "choose"),
    ("list id None", lambda c, p: c.exclusion_lists.get(None), "list_id"),
    ("entries as a string", lambda c, p: c.exclusion_lists.add_entries(1, handles="a"), "list of"),
    (
        "no entries",
        lambda c, p: c.exclusion_lists.add_entries(platform="instagram", handles=[]),
        "at least 1",
    ),
    ("entries limit text", lambda c, p: c.exclusion_lists.entries(1, limit="10"), "integer"),
    # ---------------------------------------------------------------- account
    ("key name empty", lambda c, p: c.account.api_keys.create("  "), "name"),
    ("key id None", lambda c, p: c.account.api_keys.delete(None), "token_id"),
    # ---------------------------------------------------------------- listening
    (
        "subscription name empty",
        lambda c, p: c.listening.subscriptions.create(name="", platform="instagram", handles=H),
        "name",
    ),
    (
        "subscription platform",
        lambda c, p: c.listening.subscriptions.create(name="x", platform="twitch", handles=H),
        "choose",
    ),
    (
        "subscription handle None",
        lambda c, p: c.listening.subscriptions.create(
            name="x", platform="instagram", handles=[None]
        ),
        "must be a string",
    ),
    (
        "campaign platform",
        lambda c, p: c.listening.campaigns.create(name="x", platforms=["myspace"]),
        "choose",
    ),
    (
        "campaign handles elsewhere",
        lambda c, p: c.listening.campaigns.create(
            name="x", platforms=["instagram"], handles={"tiktok": H}
        ),
        "handles",
    ),
]


def _write(directory: Path, content: bytes) -> Path:
    path = directory / "handles.csv"
    path.write_bytes(content)
    return path


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({name for name, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "call", "says"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_before_sending(
    sb: Sandbox, tmp_path: Path, name: str, call: Callable[[Any, Path], Any], says: str
) -> None:
    with client_on(sb) as client, pytest.raises(ic.ArgumentError) as info:
        call(client, tmp_path)
    assert says in str(info.value), str(info.value)
    assert isinstance(info.value, ValueError)
    assert len(sb.log) == 0  # nothing reached the sandbox, so nothing was paid
    assert sb.credits == 1000.0


def test_platform_names_are_accepted_in_any_case(sb: Sandbox) -> None:
    creator = max(sb.world.on("youtube"), key=lambda c: c.followers)
    with client_on(sb) as client:
        assert client.discovery.search("Instagram", limit=1).status_code == 200
        assert client.dictionary.locations("TikTok").status_code == 200
        assert client.creators.enrich_handle(creator.username, "YouTube", mode="raw").data
        assert client.exclusion_lists.create("Mine", "INSTAGRAM").data["platform"] == "instagram"
    assert all(e.status == 200 or e.status == 201 for e in sb.log)


def test_duplicates_can_be_sent_once_each(sb: Sandbox) -> None:
    names = [c.username for c in sorted(sb.world.on("tiktok"), key=lambda c: -c.followers)[:2]]
    rows = [names[0], names[1], names[0], "@" + names[0].upper()]
    with client_on(sb) as client:
        result = client.batch.create(
            handles=rows, enrichment_mode="raw", platform="tiktok", dedupe=True
        )
    assert result.params["rows"] == 2


@pytest.mark.parametrize(
    ("handle", "platform"),
    [
        ("https://www.tiktok.com/@khaby.lame", "tiktok"),
        ("https://www.youtube.com/@first.last", "youtube"),
        ("https://www.instagram.com/nasa/", "instagram"),
        ("khaby.lame", "tiktok"),
    ],
)
def test_a_profile_url_or_handle_with_a_dot_is_not_taken_for_an_email(
    handle: str, platform: str
) -> None:
    from toolkit._checks import check_handle

    assert check_handle(handle) == handle  # refused as an email address before the fix
