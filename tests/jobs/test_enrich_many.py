"""enrich_many: every input accounted for, concurrency under the limiter, journal and resume.

"Paid twice" is read from the sandbox's request log (what the server charged), never from
the client's own bookkeeping.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest

from toolkit import BudgetExceededError, Client
from toolkit.jobs import FAILURE_REASONS, EnrichMany
from toolkit.jobs._progress import NoBar, progress_bar
from toolkit.sandbox import Sandbox

from .jobs_support import calls, handles, make_async_client, make_client, paid_calls

OP = "enrich_handle_raw"


def _accounted(out: EnrichMany, inputs: list[str]) -> None:
    """Every input is in exactly one of results and failures, in its original spelling."""
    got = sorted(out.results["input"].to_list() + out.failures["input"].to_list())
    assert got == sorted(inputs)
    assert set(out.failures["reason"].to_list()) <= set(FAILURE_REASONS)


def test_every_input_lands_once_and_spellings_are_merged(
    client: Client, sb: Sandbox, store
) -> None:
    names = handles(sb, 12)
    inputs = [
        *names,
        "@" + names[0].upper(),
        f"https://www.instagram.com/{names[1]}/",
        "nobody_at_all_xyz",
        "two words",
        f"https://www.tiktok.com/@{names[2]}",
    ]
    out = client.creators.enrich_many(inputs, "instagram", mode="raw", store=store, progress=False)
    _accounted(out, inputs)
    assert out.merged == 2
    assert out.results.height == 14  # 12 creators + 2 other spellings of them
    assert out.results.filter(~out.results["duplicate"])["value"].n_unique() == 12
    reasons = dict(zip(out.failures["input"], out.failures["reason"], strict=True))
    assert reasons["nobody_at_all_xyz"] == "not_found"
    assert reasons["two words"] == "invalid"
    assert reasons[f"https://www.tiktok.com/@{names[2]}"] == "invalid"
    # one paid request per creator; the merged spellings and the refused inputs cost nothing
    assert paid_calls(sb, OP) == 12
    assert out.credits_spent == pytest.approx(12 * 0.03)
    assert out.tables().creator.height == 12


def test_the_same_call_again_is_free(client: Client, sb: Sandbox, store) -> None:
    names = handles(sb, 10)
    first = client.creators.enrich_many(names, "instagram", mode="raw", store=store, progress=False)
    sent = calls(sb, OP)
    again = client.creators.enrich_many(names, "instagram", mode="raw", store=store, progress=False)
    assert calls(sb, OP) == sent  # nothing sent at all
    assert again.credits_spent == 0
    assert again.results["from_journal"].all()
    assert again.data == first.data


def test_a_different_tier_or_option_is_not_served_from_the_journal(
    client: Client, sb: Sandbox, store
) -> None:
    names = handles(sb, 3)
    client.creators.enrich_many(names, "instagram", mode="raw", store=store, progress=False)
    client.creators.enrich_many(names, "instagram", mode="profile", store=store, progress=False)
    assert paid_calls(sb, "enrich_handle_profile") == 3


class Boom(Exception):
    """Stands for a crash midway (a kernel restart, a bug in the caller's loop)."""


@pytest.mark.parametrize("concurrency", [1, 8])
def test_a_crash_midway_then_the_same_call_pays_nothing_twice(
    client: Client, sb: Sandbox, store, concurrency: int
) -> None:
    names = handles(sb, 40)
    seen = []

    def crash_after_15(value: str, outcome: object) -> None:
        seen.append(value)
        if len(seen) == 15:
            raise Boom("crash")

    with pytest.raises(Boom):
        client.creators.enrich_many(
            names,
            "instagram",
            mode="raw",
            store=store,
            progress=False,
            concurrency=concurrency,
            on_result=crash_after_15,
        )
    paid_before = paid_calls(sb, OP)
    assert 15 <= paid_before < 40  # stopped midway; requests in flight were let finish
    out = client.creators.enrich_many(
        names, "instagram", mode="raw", store=store, progress=False, concurrency=concurrency
    )
    _accounted(out, names)
    assert out.results.height == 40
    assert paid_calls(sb, OP) == 40  # every creator paid exactly once over both runs
    assert out.results["from_journal"].sum() == paid_before


def test_out_of_credits_stops_sending_and_a_rerun_after_a_top_up_finishes() -> None:
    sb = Sandbox(seed=7, creators=300, credits=5)
    names = handles(sb, 10)
    with make_client(sb) as client, _store() as store:
        out = client.creators.enrich_many(
            names, "instagram", mode="full", store=store, progress=False, concurrency=1
        )
        _accounted(out, names)
        assert out.results.height == 5
        assert out.stop_reason and "InsufficientCredits" in out.stop_reason
        reasons = out.failures["reason"].to_list()
        assert reasons.count("insufficient_credits") == 1
        assert reasons.count("not_attempted") == 4
        assert calls(sb, "enrich_handle_full") == 6  # nothing sent after the 402
        sb.add_credits(100)
        again = client.creators.enrich_many(
            names, "instagram", mode="full", store=store, progress=False
        )
        assert again.results.height == 10 and again.failures.height == 0
        assert paid_calls(sb, "enrich_handle_full") == 10


def test_a_budget_smaller_than_the_worst_case_refuses_before_sending(sb: Sandbox, store) -> None:
    with make_client(sb, budget=2.0) as client, pytest.raises(BudgetExceededError):
        client.creators.enrich_many(
            handles(sb, 5), "instagram", mode="full", store=store, progress=False
        )
    assert calls(sb, "enrich_handle_full") == 0


def test_options_a_tier_does_not_take_are_refused_before_sending(
    client: Client, sb: Sandbox, store
) -> None:
    with pytest.raises(TypeError, match="does not take include_lookalikes"):
        client.creators.enrich_many(
            handles(sb, 2), "instagram", mode="raw", include_lookalikes=True, store=store
        )
    with pytest.raises(TypeError, match=r"not one string \(for one: \['nasa'\]\)"):
        client.creators.enrich_many("nasa", "instagram", store=store)
    with pytest.raises(FileNotFoundError, match=r"no such CSV file: missing\.csv"):
        client.creators.enrich_many("missing.csv", "instagram", store=store)
    assert len(sb.log) == 0


def _two_columns(path: Path, header: str, values: list[str]) -> Path:
    """A CSV of a name column and ``header`` holding ``values``."""
    path.write_text(f"name,{header}\n" + "".join(f"N{i},{v}\n" for i, v in enumerate(values)))
    return path


def test_a_csv_path_is_an_input_read_as_batch_run_reads_it(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 3)
    path = _two_columns(tmp_path / "twocols.csv", "handle", [f"@{h}" for h in names])
    by_str = client.creators.enrich_many(
        str(path), "instagram", mode="raw", store=store, progress=False
    )
    by_path = client.creators.enrich_many(
        path, "instagram", mode="raw", store=store, progress=False
    )
    assert by_str.results["value"].to_list() == by_path.results["value"].to_list() == names
    assert paid_calls(sb, "enrich_handle_raw") == 3  # the second read came from the journal
    run = client.batch.run(
        path, mode="raw", platform="instagram", out=tmp_path / "out", store=store, progress=False
    )
    assert sorted(run.read("creator")["username"].to_list()) == sorted(names)


def test_column_picks_the_handles_of_a_csv_file_or_a_frame(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    import polars as pl

    names = handles(sb, 2)
    path = _two_columns(tmp_path / "creators.csv", "ig", names)
    with pytest.raises(ValueError, match="column="):  # neither column is named like handles
        client.creators.enrich_many(path, "instagram", mode="raw", store=store)
    from_file = client.creators.enrich_many(
        path, "instagram", mode="raw", column="ig", store=store, progress=False
    )
    frame = pl.DataFrame({"name": ["a", "b"], "ig": names})
    from_frame = client.creators.enrich_many(
        frame, "instagram", mode="raw", column="ig", store=store, progress=False
    )
    assert from_file.results["value"].to_list() == from_frame.results["value"].to_list() == names


def test_emails_are_lowercased_and_merged(client: Client, sb: Sandbox, store) -> None:
    emails = list(dict.fromkeys(c.email.lower() for c in sb.world.creators if c.email))[:4]
    inputs = [*emails, emails[0].upper(), "not-an-email"]
    out = client.creators.enrich_many(inputs, mode="email", store=store, progress=False)
    _accounted(out, inputs)
    assert out.merged == 1
    assert paid_calls(sb, "enrich_email") == 4
    assert out.tables().height == 4


def test_pandas_and_polars_columns_are_inputs(client: Client, sb: Sandbox, store) -> None:
    import pandas as pd
    import polars as pl

    names = handles(sb, 3)
    a = client.creators.enrich_many(
        pd.Series(names), "instagram", mode="raw", store=store, progress=False
    )
    b = client.creators.enrich_many(
        pl.DataFrame({"handle": names}), "instagram", mode="raw", store=store, progress=False
    )
    assert a.results["value"].to_list() == b.results["value"].to_list() == names
    results, failures = a.to_pandas()
    assert len(results) == 3 and len(failures) == 0


# ------------------------------------------------------------------------- async twin
@pytest.mark.anyio
async def test_async_twin_accounts_for_every_input_and_journals(sb: Sandbox, store) -> None:
    names = handles(sb, 20)
    inputs = [*names, "@" + names[3], "nobody_at_all_xyz"]
    async with make_async_client(sb) as aclient:
        out = await aclient.creators.enrich_many(
            inputs, "instagram", mode="raw", store=store, progress=False, concurrency=6
        )
        _accounted(out, inputs)
        assert paid_calls(sb, OP) == 20
        again = await aclient.creators.enrich_many(
            inputs, "instagram", mode="raw", store=store, progress=False
        )
        assert again.credits_spent == 0 and paid_calls(sb, OP) == 20


@pytest.mark.anyio
async def test_a_cancel_midway_keeps_what_was_paid_for(sb: Sandbox, store) -> None:
    names = handles(sb, 30)
    async with make_async_client(sb) as aclient:
        with anyio.CancelScope() as scope:
            count = 0

            def cancel_after_10(value: str, outcome: object) -> None:
                nonlocal count
                count += 1
                if count == 10:
                    scope.cancel()

            await aclient.creators.enrich_many(
                names,
                "instagram",
                mode="raw",
                store=store,
                progress=False,
                concurrency=5,
                on_result=cancel_after_10,
            )
        assert scope.cancel_called
        assert 10 <= paid_calls(sb, OP) < 30
        out = await aclient.creators.enrich_many(
            names, "instagram", mode="raw", store=store, progress=False
        )
        assert out.results.height == 30
        assert paid_calls(sb, OP) == 30


# ------------------------------------------------------------------------- progress
def test_progress_bar_falls_back_to_text_without_ipywidgets(monkeypatch) -> None:
    from tqdm.std import tqdm as std_tqdm

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    bar = progress_bar(3, "x")
    try:
        assert type(bar) is std_tqdm
    finally:
        bar.close()
    assert isinstance(progress_bar(3, "x", enabled=False), NoBar)


def test_the_bar_counts_every_input(client: Client, sb: Sandbox, store, capsys) -> None:
    client.creators.enrich_many(handles(sb, 4), "instagram", mode="raw", store=store)
    err = capsys.readouterr().err
    assert "enrich raw" in err and "4/4" in err and "4 ok, 0 failed" in err


def _store():
    from .jobs_support import memory_store

    return memory_store()
