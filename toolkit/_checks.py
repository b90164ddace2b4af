"""Argument checks run before anything is sent: bad input must cost nothing.

The API charges for what it returns, and some bad input still returns something (an
unknown filter is ignored and the unfiltered result billed; a CSV with duplicate rows
bills each copy). Every check raises :class:`~toolkit.ArgumentError` (a ``ValueError``)
or :class:`~toolkit.ArgumentTypeError` (a ``TypeError``) whose message names the argument
and what to send instead. Platform names are accepted in any case and sent lower-case.

Which platforms each area takes (docs/api.md): the constants below, one definition each.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from toolkit import _facts
from toolkit._exceptions import ArgumentError, ArgumentTypeError

__all__ = [
    "ANALYTICS_PLATFORMS",
    "CONTENT_PLATFORMS",
    "DISCOVERY_PLATFORMS",
    "FULL_PLATFORMS",
    "MAX_HANDLE",
    "PROFILE_PLATFORMS",
    "InputError",
    "check_email",
    "check_handle",
    "check_handles",
    "check_id",
    "check_int",
    "check_name",
    "check_platform",
    "is_email",
    "normalise_email",
    "normalise_handle",
    "same_creator",
]

# The platform lists are defined once, in toolkit._facts, which the sandbox reads too.
#: Discovery, dictionaries, exclusion lists, batch.
DISCOVERY_PLATFORMS = _facts.DISCOVERY_PLATFORMS
#: Profile and raw enrichment, connected socials.
PROFILE_PLATFORMS = _facts.ENRICH_PLATFORMS
#: Full enrichment: every profile platform but LinkedIn.
FULL_PLATFORMS = _facts.ENRICH_FULL_PLATFORMS
#: Analytics enrichment.
ANALYTICS_PLATFORMS = _facts.ENRICH_ANALYTICS_PLATFORMS
#: Audience overlap, posts and post details, social listening.
CONTENT_PLATFORMS = _facts.CONTENT_PLATFORMS

_EMAIL = re.compile(_facts.EMAIL_PATTERN)
_URL = re.compile(r"^https?://", re.IGNORECASE)


def _where(operation: str | None, argument: str) -> dict[str, Any]:
    return {"operation": operation, "argument": argument}


def check_platform(
    value: Any, allowed: Sequence[str], *, operation: str | None = None, argument: str = "platform"
) -> str:
    """``value`` stripped and lower-cased if it is one of ``allowed``; else an error listing
    them. The one platform check: resources, filters and jobs all call it."""
    if not isinstance(value, str):
        raise ArgumentTypeError(
            f"{argument} must be a platform name such as 'instagram', not {type(value).__name__}",
            **_where(operation, argument),
        )
    name = value.strip().lower()
    if name not in allowed:
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ArgumentError(
            f"{argument}={value!r} is not available "
            f"{f'for {operation}' if operation else 'here'}; choose one of {', '.join(allowed)}"
            + hint,
            **_where(operation, argument),
        )
    return name


def check_handle(value: Any, *, operation: str | None = None, argument: str = "handle") -> str:
    """A username, ``@name``, profile URL or channel id, stripped; never empty or ``None``."""
    if not isinstance(value, str):
        raise ArgumentTypeError(
            f"{argument} must be a string (a username, @name or profile URL), "
            f"not {type(value).__name__}",
            **_where(operation, argument),
        )
    handle = value.strip()
    if not handle or handle == "@":
        raise ArgumentError(
            f"{argument} is empty; give a username, @name or profile URL",
            **_where(operation, argument),
        )
    if any(ch.isspace() for ch in handle):
        raise ArgumentError(
            f"{argument}={value!r} contains whitespace; a handle is one word or a URL",
            **_where(operation, argument),
        )
    if is_bare_site(handle):
        raise ArgumentError(
            f"{argument}={value!r} is a site address with no creator in it; give the "
            "profile's URL (https://instagram.com/nasa), @name or username",
            **_where(operation, argument),
        )
    if "@" in handle[1:] and "/" not in handle and is_email(handle):
        raise ArgumentError(
            f"{argument}={value!r} is an email address; use enrich_email() or an email mode",
            **_where(operation, argument),
        )
    return handle


def profile_host(host: str) -> str:
    """A URL's host as ``PROFILE_HOSTS`` names it (``www.``, ``m.`` ... stripped)."""
    host = host.lower()
    for prefix in _facts.PROFILE_HOST_PREFIXES:
        host = host.removeprefix(prefix)
    return host


def is_bare_site(handle: str) -> bool:
    """``https://instagram.com/`` or ``www.tiktok.com``: a site's address, no creator in it."""
    if _URL.match(handle):
        return not urlsplit(handle).path.strip("/")
    return profile_host(handle.strip().rstrip("/")) in _facts.PROFILE_HOSTS


def check_name(value: object, operation: str) -> str:
    """The name of something a create makes (a key, a list, a subscription), stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ArgumentError(
            f"name must be a non-empty string, got {value!r}", operation=operation, argument="name"
        )
    return value.strip()


def is_email(text: str) -> bool:
    """Whether ``text`` has the shape the API takes as an email (``x@y.z``): the one test
    enrich_email, enrich_many and batch uploads apply before sending."""
    return _EMAIL.match(text) is not None


def check_email(value: Any, *, operation: str | None = None, argument: str = "email") -> str:
    """A plausible email address, stripped (the API bills a lookup even when none matches)."""
    if not isinstance(value, str):
        raise ArgumentTypeError(
            f"{argument} must be a string, not {type(value).__name__}",
            **_where(operation, argument),
        )
    email = value.strip()
    if not is_email(email):
        raise ArgumentError(
            f"{argument}={value!r} is not an email address (name@example.com)",
            **_where(operation, argument),
        )
    return email


def check_handles(
    values: Any,
    *,
    lo: int = 1,
    hi: int | None = None,
    operation: str | None = None,
    argument: str = "handles",
) -> list[str]:
    """A list of ``lo``-``hi`` valid, distinct handles (a single string is refused)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ArgumentTypeError(
            f"{argument} must be a list of handles, not {type(values).__name__}",
            **_where(operation, argument),
        )
    out = [
        check_handle(v, operation=operation, argument=f"{argument}[{i}]")
        for i, v in enumerate(values)
    ]
    if len(out) < lo or (hi is not None and len(out) > hi):
        span = f"{lo} to {hi}" if hi is not None else f"at least {lo}"
        raise ArgumentError(
            f"{argument} needs {span} handles, got {len(out)}", **_where(operation, argument)
        )
    seen: set[str] = set()
    dupes = []
    for h in out:
        key = h.lstrip("@").lower()
        if key in seen:
            dupes.append(h)
        seen.add(key)
    if dupes:
        raise ArgumentError(
            f"{argument} names {dupes[0]!r} twice; give each creator once",
            **_where(operation, argument),
        )
    return out


def check_int(
    value: Any,
    argument: str,
    *,
    lo: int | None = None,
    hi: int | None = None,
    operation: str | None = None,
) -> int:
    """An ``int`` (not a bool, float or numeric string) within ``lo``..``hi``."""
    if isinstance(value, bool) or not isinstance(value, int):
        hint = (
            f" (use {int(value)} without quotes)"
            if isinstance(value, str) and value.strip().isdigit()
            else ""
        )
        raise ArgumentTypeError(
            f"{argument} must be an integer, not {type(value).__name__} {value!r}{hint}",
            **_where(operation, argument),
        )
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = (
            f"{lo}-{hi}"
            if lo is not None and hi is not None
            else (f">= {lo}" if lo is not None else f"<= {hi}")
        )
        raise ArgumentError(
            f"{argument} must be {span}, got {value}", **_where(operation, argument)
        )
    return value


def check_id(value: Any, argument: str, *, operation: str | None = None) -> Any:
    """A path id: a non-empty string or a non-negative int (never ``None`` or blank)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip() and "/" not in value:
        return value.strip()
    raise ArgumentError(
        f"{argument} must be the id the API returned, got {value!r}",
        **_where(operation, argument),
    )


# ----------------------------------------------------------------- one creator, one value
# Two spellings of one creator (``@Nike``, ``nike``, ``https://instagram.com/nike/``) are
# charged twice: long jobs and batch uploads reduce each value to its canonical form first
# (docs/jobs.md, "Inputs"); ``toolkit.jobs`` publishes these.

#: The longest handle the API takes (docs/jobs.md, "Inputs").
MAX_HANDLE = 200
#: A YouTube channel id: ``UC`` + 22 characters of base64url. Case matters in these.
_YT_CHANNEL = re.compile(r"^UC[A-Za-z0-9_-]{22}$")

#: Characters no platform allows in a username: a delimiter or an e-mail's ``@`` (a
#: semicolon CSV read as commas gives ``name;123``).
_NOT_IN_HANDLE = frozenset('@,;|<>"\\')

#: Profile URL hosts per platform (``www.``/``m.`` stripped before the lookup).
_HOSTS = _facts.PROFILE_HOSTS
#: Path prefixes that are not a profile name (``/channel/<id>``, ``/c/<name>`` ...).
_PREFIXES = {"channel", "c", "user"}


class InputError(ValueError):
    """One input value that cannot be sent; ``reason`` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_handle(value: str, platform: str | None) -> str:
    """The canonical form of one handle for ``platform``; raises ``InputError`` when unusable.

    ``@`` and surrounding space go, a profile URL becomes its username (or channel id),
    usernames are lower-cased (platforms treat them case-insensitively); a YouTube channel
    id keeps its case. A URL of another platform is refused rather than sent
    (``platform=None``: a URL of any known platform is read).

    >>> normalise_handle(" @Some.Creator ", "instagram")
    'some.creator'
    >>> normalise_handle("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "youtube")
    'UCabcdefghijklmnopqrstuv'
    >>> normalise_handle("https://tiktok.com/@Dancer?lang=en", "tiktok")
    'dancer'
    """
    text = str(value).strip()
    if is_bare_site(text):
        raise InputError("a site's address, not a profile")
    if "://" in text or text.lower().startswith(("www.", *(h + "/" for h in _HOSTS))):
        text = _from_url(text, platform)
    text = text.lstrip("@").strip()
    if not text:
        raise InputError("empty")
    if any(c.isspace() for c in text):
        raise InputError("contains whitespace")
    if is_email(text):
        raise InputError("an e-mail address, not a handle (e-mails need an e-mail mode)")
    stray = next((c for c in text if c in _NOT_IN_HANDLE or not c.isprintable()), None)
    if stray is not None:
        raise InputError(f"contains {stray!r}, which no handle does")
    if len(text) > MAX_HANDLE:
        raise InputError(f"longer than {MAX_HANDLE} characters")
    if platform in ("youtube", None) and _YT_CHANNEL.match(text):
        return text
    return text.lower()


def _from_url(text: str, platform: str | None) -> str:
    url = urlsplit(text if "://" in text else "https://" + text)
    host = profile_host(url.hostname or "")
    owner = _HOSTS.get(host)
    if owner is None:
        raise InputError(f"not a profile URL of a known platform ({host or 'no host'})")
    if platform is not None and owner != platform:
        raise InputError(f"a {owner} URL, not {platform}")
    parts = [unquote(p) for p in url.path.split("/") if p]
    if parts and parts[0].lower() in _PREFIXES and len(parts) > 1:
        parts = parts[1:]
    if not parts:
        raise InputError("URL without a profile name")
    return parts[0]


def normalise_email(value: str) -> str:
    """An email stripped and lower-cased; raises ``InputError`` unless it looks like x@y.z.

    >>> normalise_email(" Someone@Example.COM ")
    'someone@example.com'
    """
    text = str(value).strip().lower()
    if not text:
        raise InputError("empty")
    if not is_email(text):
        raise InputError("not an email address")
    return text


def same_creator(value: str, kind: str, platform: str | None) -> str:
    """The key two rows of one creator share (``@Nike``, ``nike``, its profile URL): the
    canonical form long jobs use (:func:`normalise_handle`), else the value folded."""
    try:
        return normalise_email(value) if kind == "email" else normalise_handle(value, platform)
    except InputError:
        return value.strip().lstrip("@").lower()


def check_choice(
    value: Any,
    allowed: Sequence[str],
    *,
    operation: str | None = None,
    argument: str,
    signed: bool = False,
) -> str:
    """``value`` if it is one of ``allowed`` (with ``signed``, optionally ``-`` first for a
    descending order); else an error naming the closest valid values and every one."""
    import difflib

    if not isinstance(value, str):
        raise ArgumentTypeError(
            f"{argument} must be a string, one of {', '.join(allowed)}; not {type(value).__name__}",
            **_where(operation, argument),
        )
    bare = value.strip()
    sign = "-" if signed and bare.startswith("-") else ""
    bare = bare[len(sign) :]
    if bare in allowed:
        return sign + bare
    close = difflib.get_close_matches(bare.lower(), allowed, n=2, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(sign + c) for c in close)}?" if close else ""
    order = " ('-' first for descending)" if signed else ""
    raise ArgumentError(
        f"{argument}={value!r} is not one of {', '.join(allowed)}{order}{hint}",
        **_where(operation, argument),
    )
