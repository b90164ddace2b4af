"""StoreError: the store failed, said in the toolkit's words (which store, what, how to fix).

Every backend turns its own errors (``sqlite3``, ``OSError``, ``psycopg``) into one
:class:`StoreError` naming the store (a path, or host/port/database: never a user name or
password), what went wrong and what to do, so a full disk or an unreachable server reads
the same whichever backend holds the cache, the journal and the job registry.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from toolkit._exceptions import InfluencersClubError, mask_credentials

__all__ = ["SCHEMA_VERSION", "StoreError", "guard", "translate"]

#: The layout of the store's one table; a store of another version is refused, not guessed at.
SCHEMA_VERSION = 1
_ELSEWHERE = "or point INFLUENCERS_CLUB_STORE_URL (or Client(store=...)) at another store"


class StoreError(InfluencersClubError):
    """The store (response cache, enrich_many journal, batch job registry) failed or was refused.

    ``store`` names it (path, or host:port/database; never a credential), ``problem`` says
    what went wrong and ``fix`` what to do. Raised by ``enrich_many`` when the store fails
    mid-run, with what it kept in ``partial`` (an ``EnrichMany``).
    """

    def __init__(self, store: str, problem: str, fix: str, *, kept: str = "") -> None:
        self.store, self.problem, self.fix, self.kept = store, problem, fix, kept
        super().__init__(f"store {store}: {problem}. {kept + ' ' if kept else ''}{fix}")

    def keeping(self, kept: str, fix: str | None = None) -> StoreError:
        """The same failure, saying what a caller kept and how to resume (chains self)."""
        err = StoreError(self.store, self.problem, fix or self.fix, kept=kept)
        err.__cause__ = self.__cause__ or self
        return err


def translate(store: str, exc: BaseException, secrets: Sequence[str] = ()) -> StoreError:
    """A backend error as a :class:`StoreError` (the backend error becomes its cause, unless
    its text holds one of ``secrets``: the store's password is never shown)."""
    if isinstance(exc, StoreError):
        return exc
    raw = str(exc)
    text = _clean(raw, secrets)
    low = text.lower()
    code = getattr(exc, "errno", None)
    if "full" in low or code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        problem = f"the disk is full or a file-size limit was reached ({text})"
        fix = f"Free space where the store lives (or raise the limit), {_ELSEWHERE}."
    elif "disk i/o error" in low:  # SQLite's word for a refused write (EFBIG, EIO ...)
        problem = (
            f"a write to its disk failed: the disk is full, a file-size limit was reached "
            f"or the disk is failing ({text})"
        )
        fix = f"Free space where the store lives (or check the disk), {_ELSEWHERE}."
    elif "readonly" in low or "read-only" in low or "read only" in low or code == errno.EROFS:
        problem = f"the store is read-only ({text})"
        fix = f"Make the file and its folder writable by you, {_ELSEWHERE}."
    elif "not a database" in low or "malformed" in low or "corrupt" in low:
        problem = f"the file is not a readable store: damaged, or not SQLite ({text})"
        fix = f"Move the file away (a new, empty store is then created there), {_ELSEWHERE}."
    elif "unable to open" in low or code in (errno.EACCES, errno.EPERM, errno.ENOENT):
        problem = f"the store cannot be opened ({text})"
        fix = f"Check that the path exists and is yours to read and write, {_ELSEWHERE}."
    elif "locked" in low or "busy" in low:
        problem = f"the store stayed locked by another process ({text})"
        fix = "Close the other process (or let it finish), then run the same call again."
    elif _is_connection_error(exc, low):
        problem = f"the PostgreSQL server is unreachable or refused the connection ({text})"
        fix = f"Check that the server runs and the URL's host, port and database, {_ELSEWHERE}."
    else:
        problem = f"{type(exc).__name__}: {text}"
        fix = f"Fix the store, {_ELSEWHERE}."
    err = StoreError(store, problem, fix)
    if any(secret in raw for secret in secrets):  # its traceback would show the password
        err.__suppress_context__ = True
    else:
        err.__cause__ = exc
    return err


@contextmanager
def guard(store: str, *errors: type[BaseException], secrets: Sequence[str] = ()) -> Iterator[None]:
    """Run a block of backend calls; its ``errors`` (and OSError) leave as a StoreError
    with ``secrets`` (the store's password) masked out."""
    try:
        yield
    except StoreError:
        raise
    except (OSError, *errors) as exc:  # type: ignore[misc]  # a tuple of exception classes
        err = translate(store, exc, secrets)  # its cause: exc, unless exc shows a secret
        raise err  # noqa: B904


def _is_connection_error(exc: BaseException, low: str) -> bool:
    if not type(exc).__module__.startswith("psycopg"):
        return False
    return "connect" in low or type(exc).__name__ == "OperationalError"


def _clean(text: str, secrets: Sequence[str] = ()) -> str:
    """A backend message on one line, with any ``user:password@`` of a URL, any
    ``password=`` value and each of ``secrets`` cut out."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = mask_credentials(text.replace(secret, "***"), secret)  # and partial echoes
    text = re.sub(r"(\w+://)[^/@\s]*@", r"\1", text)
    text = re.sub(r"password\s*=\s*\S+", "password=***", text, flags=re.IGNORECASE)
    return " ".join(text.split())[:300]
