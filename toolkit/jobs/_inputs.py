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

from collections.abc import Iterable
from dataclasses import dataclass, field

# The normalisation of one value lives with the argument checks (``toolkit._checks``),
# below both this module and the checks of a batch upload, which need the same key.
from toolkit._checks import InputError, normalise_email, normalise_handle

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
