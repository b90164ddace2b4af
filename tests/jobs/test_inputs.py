"""Inputs: handle and email normalisation, validation, de-duplication with counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.jobs import InputError, normalise_email, normalise_handle, prepare

CHANNEL = "UC" + "aB3_-" * 4 + "xY"  # 22 characters after UC


@pytest.mark.parametrize(
    ("raw", "platform", "canon"),
    [
        ("nasa", "instagram", "nasa"),
        ("@NASA", "instagram", "nasa"),
        ("  @@nasa \t", "instagram", "nasa"),
        ("https://www.instagram.com/NASA/", "instagram", "nasa"),
        ("instagram.com/nasa?igsh=abc", "instagram", "nasa"),
        ("https://m.tiktok.com/@Dancer?lang=en", "tiktok", "dancer"),
        ("https://www.youtube.com/@SomeChannel", "youtube", "somechannel"),
        (f"https://www.youtube.com/channel/{CHANNEL}", "youtube", CHANNEL),
        (CHANNEL, "youtube", CHANNEL),  # a channel id keeps its case
        ("https://x.com/Someone", "twitter", "someone"),
        ("https://twitter.com/someone/status/1", "twitter", "someone"),
        ("https://www.twitch.tv/Streamer", "twitch", "streamer"),
        ("https://onlyfans.com/Creator", "onlyfans", "creator"),
    ],
)
def test_spellings_of_one_creator_become_one_handle(raw: str, platform: str, canon: str) -> None:
    assert normalise_handle(raw, platform) == canon


@pytest.mark.parametrize(
    ("raw", "platform", "reason"),
    [
        ("", "instagram", "empty"),
        ("@", "instagram", "empty"),
        ("two words", "instagram", "contains whitespace"),
        ("x" * 201, "instagram", "longer than 200 characters"),
        ("https://www.tiktok.com/@dancer", "instagram", "a tiktok URL, not instagram"),
        ("https://example.com/nasa", "instagram", "not a profile URL of a known platform"),
        ("https://www.instagram.com/", "instagram", "a site's address, not a profile"),
        ("tiktok.com", "tiktok", "a site's address, not a profile"),
        ("vm.tiktok.com/", "tiktok", "a site's address, not a profile"),
    ],
)
def test_unusable_handles_are_refused_with_a_reason(raw: str, platform: str, reason: str) -> None:
    with pytest.raises(InputError) as err:
        normalise_handle(raw, platform)
    assert err.value.reason.startswith(reason)


def test_emails_are_lowercased_and_checked() -> None:
    assert normalise_email("  Someone@Example.COM ") == "someone@example.com"
    for bad in ("", "someone", "a@b", "a b@c.d", "@example.com"):
        with pytest.raises(InputError):
            normalise_email(bad)


def test_prepare_counts_what_it_merged_and_keeps_every_input() -> None:
    raw = ["@Nike", "nike", "NIKE", "adidas", None, float("nan"), "bad one", "puma"]
    p = prepare(raw, "instagram")
    assert p.values == ["nike", "adidas", "puma"]
    assert p.duplicates == 2
    assert [i.index for i in p.invalid] == [4, 5, 6]
    assert len(p.inputs) == len(raw)
    assert "2 duplicates merged" in p.summary() and "3 invalid" in p.summary()


def test_keeping_duplicates_says_they_are_billed() -> None:
    p = prepare(["a", "A", "b"], "instagram", dedupe=False)
    assert p.values == ["a", "a", "b"]
    assert p.duplicates == 1
    assert "billed again" in p.summary()


def test_handles_need_a_platform() -> None:
    with pytest.raises(ValueError, match="platform"):
        prepare(["a"], None)
    assert prepare(["A@B.CO"], None, kind="email").values == ["a@b.co"]


usernames = st.from_regex(r"[A-Za-z0-9._]{1,30}", fullmatch=True)


@given(usernames, st.sampled_from(["instagram", "tiktok", "twitter", "twitch", "youtube"]))
def test_normalising_is_idempotent_and_ignores_decoration(name: str, platform: str) -> None:
    canon = normalise_handle(name, platform)
    assert normalise_handle(canon, platform) == canon
    assert normalise_handle(f" @{name} ", platform) == canon
