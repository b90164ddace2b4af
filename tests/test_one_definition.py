"""Facts that were written in several places, and disagreed, now have one definition each:
what an email is, the upload limits, the discovery page limit and result cap, how a count
is abbreviated, the platform check, and the sandbox's prices. Each test checks both that
the callers agree and that the old copies are gone from the source."""

from __future__ import annotations

import ast
import contextlib
import re
from pathlib import Path

import pytest

import toolkit as ic
from toolkit import _facts
from toolkit._checks import check_email, check_platform
from toolkit.charts._theme import compact
from toolkit.filters import filters_for, validate_filters
from toolkit.jobs import InputError, normalise_email, prepare
from widgets._results import human

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "toolkit").rglob("*.py"), *(ROOT / "widgets").rglob("*.py")])


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _grep(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [
        f"{_rel(p)}:{n}"
        for p in SOURCES
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if rx.search(line)
    ]


@pytest.fixture
def client() -> ic.Client:
    c = ic.connect(quiet=True)
    yield c
    c.close()


# ------------------------------------------------------------------------------ email
EMAILS = ["a@b.c", "someone@example.com", "A@B.CO", "a@b", "someone", "", "a@@b.com", "a b@c.d"]


@pytest.mark.parametrize("text", EMAILS)
def test_one_email_rule_for_single_calls_and_jobs(text: str) -> None:
    try:
        check_email(text)
        single = True
    except ValueError:
        single = False
    try:
        normalise_email(text)
        many = True
    except InputError:
        many = False
    assert single == many == bool(re.match(_facts.EMAIL_PATTERN, text.strip()))


def test_an_email_enrich_many_accepts_is_not_refused_by_enrich_email(client) -> None:
    """``a@b.c`` was refused by enrich_email and sent by enrich_many: now both send it."""
    assert prepare(["a@b.c"], None, kind="email").values == ["a@b.c"]
    with contextlib.suppress(ic.APIError):  # the sandbox may know no such person
        client.creators.enrich_email("a@b.c")
    assert [e["operation"] for e in client.ledger.entries] == ["enrich_email"]  # it was asked


def test_the_email_pattern_is_compiled_from_the_facts_only() -> None:
    assert _grep(r"re\.compile\(r?[\"'][^\"']*@\[\^") == []  # name@domain shapes


# ------------------------------------------------------------------- numeric limits
#: The same number standing for another fact (not an upload, page or result limit).
OTHER_FACTS = {
    "toolkit/_ratelimit.py",  # how many grants the limiter remembers
    "toolkit/filters/_fields.py",  # exclude_handles holds up to 10,000 handles (generated)
    "toolkit/filters/_kinds.py",  # MAX_DAYS: the largest "days since" a filter takes
    "toolkit/filters/_meanings.py",  # example filter values
    "toolkit/sandbox/_log.py",  # the sandbox's request log length
    "toolkit/sandbox/routes/exclusion_lists.py",  # the entries page size cap
    "toolkit/sandbox/world/search.py",  # audience data exists from 10k followers
}


def test_upload_limits_and_result_cap_are_written_once() -> None:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            literal = (
                isinstance(node, ast.Constant) and type(node.value) is int and node.value == 10_000
            ) or (isinstance(node, ast.BinOp) and ast.unparse(node) == "10 * 1024 * 1024")
            if literal and _rel(path) not in {"toolkit/_facts.py", *OTHER_FACTS}:
                found.append(f"{_rel(path)}:{node.lineno}")
    assert found == []
    assert ic.jobs.MAX_UPLOAD_ROWS == _facts.MAX_UPLOAD_ROWS == 10_000
    assert ic.jobs.MAX_UPLOAD_BYTES == _facts.MAX_UPLOAD_BYTES == 10 * 2**20


def test_the_discovery_page_limit_is_written_once() -> None:
    assert _grep(r"LIMIT\w*\s*=\s*50\b") == []
    assert ic.estimate("discovery_search") == pytest.approx(0.01 * _facts.DISCOVERY_MAX_LIMIT)


def test_client_and_sandbox_refuse_the_same_page_size(client) -> None:
    limit = _facts.DISCOVERY_MAX_LIMIT
    assert len(client.discovery.search("instagram", limit=limit).rows) == limit
    with pytest.raises(ic.ArgumentError, match=f"1-{limit}"):
        client.discovery.search("instagram", limit=limit + 1)


# --------------------------------------------------------------------- abbreviation
@pytest.mark.parametrize(
    ("n", "text"),
    [(4321, "4.3K"), (12_000, "12K"), (12_345_678, "12.3M"), (999_960, "1M"), (512, "512")],
)
def test_charts_and_widgets_abbreviate_alike(n: float, text: str) -> None:
    assert compact(n) == human(n) == text


def test_abbreviation_is_defined_in_format_only() -> None:
    assert [hit for hit in _grep(r"\(1e[369], \"[kKMB]\"\)") if "_format.py" not in hit] == []


# ------------------------------------------------------------------ platform check
def test_one_platform_check_one_message_one_case_rule(client) -> None:
    assert [f.key for f in filters_for("Instagram")] == [f.key for f in filters_for("instagram")]
    assert validate_filters(" TikTok ", {}) == {}
    messages = []
    for attempt in (
        lambda: client.discovery.search("myspace"),
        lambda: client.discovery.similar("myspace", username="nasa"),
        lambda: validate_filters("myspace", {}),
        lambda: check_platform("myspace", _facts.DISCOVERY_PLATFORMS),
    ):
        with pytest.raises(ic.ArgumentError) as info:
            attempt()
        messages.append(str(info.value))
    assert all(
        re.search(r"platform='myspace' is not available .*; choose one of", m) for m in messages
    )
    assert client.ledger.entries == []  # nothing was sent


def test_the_platform_check_is_defined_once() -> None:
    defined = [hit.split(":")[0] for hit in _grep(r"def \w*check_platform\b")]
    assert defined == ["toolkit/_checks.py"]
    assert _grep(r"unknown platform \{") == []


# ------------------------------------------------------------------- sandbox prices
def test_the_sandbox_charges_the_price_table() -> None:
    """The sandbox's prices are the client's table (``toolkit.credits.Prices``, each
    operation's rule in ``toolkit._operations``): no price is written in the sandbox."""
    assert not (ROOT / "toolkit/sandbox/_prices.py").exists()
    written = [h for h in _grep(r"charge\(ctx, [0-9]") if h.startswith("toolkit/sandbox/")]
    assert written == []
    assert _grep(r"charge\(ctx, price_of\(") != []  # the pattern still finds the charges
