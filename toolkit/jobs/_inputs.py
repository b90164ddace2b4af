"""Inputs of long jobs: handles and emails normalised, validated and de-duplicated.

The API accepts a handle as a username (``@`` optional), a profile URL or a YouTube
channel id (``UC...``), 1-200 characters (docs/jobs.md, "Inputs"). Two spellings of one
creator (``@Nike``, ``nike``, ``https://instagram.com/nike/``) are charged twice, so every
job first reduces its inputs to one canonical value per creator and says how many it
merged. Emails are lower-cased and must look like ``x@y.z``, as the API checks.

>>> p = prepare(["@Nike", "nike", "https://www.instagram.com/nike/", "bad handle"], "instagram")
>>> p.values, p.duplicates, [i.reason for i in p.invalid]
(['nike'], 2, ['contains whitespace'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from toolkit import _facts
from toolkit._checks import is_bare_site, is_email, profile_host

__all__ = [
    "EMAIL_MODES",
    "InputError",
    "Invalid",
    "Prepared",
    "normalise_email",
    "normalise_handle",
    "prepare",
]

#: Batch modes whose rows are emails; the other modes take handles (docs/jobs.md).
EMAIL_MODES = frozenset({"basic", "advanced", "email"})
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


@dataclass(frozen=True)
class Invalid:
    """An input refused before sending: where it was, what it was, and why."""

    index: int
    value: str
    reason: str


@dataclass
class Prepared:
    """Inputs ready to send: one canonical value per creator, plus what was refused.

    ``values``: canonical values, first-seen order. ``inputs``: every input as given, in
    order, with its canonical value (``None`` when invalid), so each input can be accounted
    for in a job's results or failures. ``duplicates``: inputs repeating an earlier one
    (the API bills each again); merged away unless ``deduped`` is False.
    """

    kind: str  # "handle" or "email"
    values: list[str] = field(default_factory=list)
    inputs: list[tuple[str, str | None]] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    duplicates: int = 0
    deduped: bool = True

    def summary(self) -> str:
        """One line for a progress message: how many to send, merged, refused."""
        parts = [f"{len(self.values)} unique {self.kind}s"]
        if self.duplicates and self.deduped:
            parts.append(f"{self.duplicates} duplicates merged (each would be billed again)")
        elif self.duplicates:
            parts.append(f"{self.duplicates} duplicates kept: each is billed again")
        if self.invalid:
            parts.append(f"{len(self.invalid)} invalid skipped")
        return ", ".join(parts)


def prepare(
    values: Iterable[object],
    platform: str | None,
    *,
    kind: str = "handle",
    dedupe: bool = True,
    any_platform: bool = False,
) -> Prepared:
    """Normalise, validate and (unless ``dedupe=False``) de-duplicate ``values``.

    ``kind`` is ``"handle"`` (needs ``platform``, unless ``any_platform``: then a profile
    URL of any known platform is read, as an estimate without a platform needs) or
    ``"email"``. Missing values (``None``, NaN) are refused as empty. With
    ``dedupe=False`` duplicates stay in ``values``: the API bills every row, so that is
    only for when the caller wants that.
    """
    if kind not in ("handle", "email"):
        raise ValueError("kind must be 'handle' or 'email'")
    if kind == "handle" and not platform and not any_platform:
        raise ValueError("handles need a platform")
    out = Prepared(kind=kind, deduped=dedupe)
    seen: set[str] = set()
    for i, raw in enumerate(values):
        text = "" if _missing(raw) else str(raw)
        try:
            canon = normalise_email(text) if kind == "email" else normalise_handle(text, platform)
        except InputError as exc:
            out.invalid.append(Invalid(i, text, exc.reason))
            out.inputs.append((text, None))
            continue
        out.inputs.append((text, canon))
        if canon in seen:
            out.duplicates += 1
            if dedupe:
                continue
        seen.add(canon)
        out.values.append(canon)
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)
