"""Batch enrichment: multipart CSV in, a job that runs on the sandbox clock.

State machine: ``queued`` for the first second after creation, then ``processing`` at
``settings.batch_rows_per_second`` rows per second of sandbox clock, then ``finished``
(or ``failed`` when no row could be processed at all). With a fixed clock a test moves a
job along with ``sb.clock.advance(seconds=...)``; with a real clock it runs by itself.
Work is done lazily, when the account next makes a request.

Each row is billed when processed, at the single-mode price (raw 0.03, full 1,
basic = ``settings.email_price``, advanced 2), and only when data comes back. A row
that finds nothing is ``not_found`` (0 credits); an unusable value is ``failed``. When the
balance cannot pay the next row the job stops at ``paused_insufficient_credits``;
``resume`` (after ``sb.add_credits``) carries on without billing processed rows again.

The download link points at the sandbox itself: ``/sandbox/files/<token>.csv``
where the token is signed with a seed-derived key and expires after
``settings.download_ttl`` seconds of sandbox clock.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from toolkit._facts import BATCH_PLATFORMS, EMAIL_PATTERN, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS

from .._accounts import Account
from .._accounts import to_credits as _dec
from .._ctx import Ctx
from .._http import REQUIRED, ApiError, Request, Response, Router, field_error, iso, not_a_choice
from ..profiles import email_result, enrich_result
from ._common import batch_row_price

if TYPE_CHECKING:  # pragma: no cover
    from .._app import Sandbox

router = Router()

MAX_BYTES = MAX_UPLOAD_BYTES
MAX_ROWS = MAX_UPLOAD_ROWS
QUEUE_DELAY = timedelta(seconds=1)
MODES = ("raw", "full", "basic", "advanced")
ACTIVE = ("queued", "processing")
_EMAIL = re.compile(EMAIL_PATTERN)


@dataclass
class Batch:
    id: str
    account: Account
    mode: str
    platform: str | None
    metadata: dict[str, Any] | None
    options: dict[str, Any]
    inputs: list[str]
    created_at: datetime
    status: str = "queued"
    results: list[dict[str, Any]] = field(default_factory=list)
    success_count: int = 0
    failed_count: int = 0
    credits_used: Decimal = Decimal(0)
    status_message: str | None = None
    anchor: datetime | None = None  # when the current processing run started
    anchor_done: int = 0  # rows done when it started
    finished_at: datetime | None = None
    #: its rows' data were dropped from a kept sandbox once downloaded (``_persist``); the
    #: results answer 410 rather than rows without data
    payload_dropped: bool = False

    @property
    def processed(self) -> int:
        return len(self.results)

    @property
    def column(self) -> str:
        return "handle" if self.mode in ("raw", "full") else "email"


def install(sb: Sandbox) -> None:
    sb.register_tick(tick)


def _batches(account: Account) -> dict[str, Batch]:
    return account.state.setdefault("batches", {})


def tick(sb: Sandbox, account: Account) -> None:
    """Process every active job of ``account`` up to the sandbox clock."""
    batches = account.state.get("batches")
    if not batches:
        return
    now = sb.clock.now()
    with account.lock:
        for batch in batches.values():
            if batch.status in ACTIVE:
                _advance(sb, batch, now)


def _advance(sb: Sandbox, batch: Batch, now: datetime) -> None:
    if batch.anchor is None or now < batch.anchor:
        return
    batch.status = "processing"
    elapsed = (now - batch.anchor).total_seconds()
    allowed = min(
        len(batch.inputs),
        batch.anchor_done + math.floor(elapsed * sb.settings.batch_rows_per_second),
    )
    while batch.processed < allowed:
        value = batch.inputs[batch.processed]
        status, data, price = _enrich_row(sb, batch, value, now)
        if price > 0:
            if batch.account.balance < price:
                batch.status = "paused_insufficient_credits"
                batch.status_message = (
                    f"Paused after {batch.processed} of {len(batch.inputs)} rows: the account "
                    f"has {float(batch.account.balance)} credits and the next row costs "
                    f"{float(price)}. Add credits, then resume the batch."
                )
                batch.anchor = None
                return
            batch.account.debit(
                price,
                operation="batch_create",
                when=now,
                reference=f"{batch.id}:{batch.processed}",
            )
            batch.credits_used += price
        batch.results.append({"input_value": value, "status": status, "enrichment_data": data})
        if status == "success":
            batch.success_count += 1
        else:
            batch.failed_count += 1
    if batch.processed >= len(batch.inputs):
        all_failed = all(r["status"] == "failed" for r in batch.results)
        batch.status = "failed" if all_failed else "finished"
        batch.status_message = "No row could be processed." if all_failed else None
        rate = sb.settings.batch_rows_per_second
        batch.finished_at = batch.anchor + timedelta(
            seconds=(len(batch.inputs) - batch.anchor_done) / rate
        )
        batch.anchor = None


def _enrich_row(
    sb: Sandbox, batch: Batch, value: str, now: datetime
) -> tuple[str, dict[str, Any] | None, Decimal]:
    """(row status, enrichment_data, price) — the single call's result object and price."""
    world = sb.world
    opts = batch.options
    if batch.column == "handle":
        if not value or len(value) > 200:
            return "failed", None, Decimal(0)
        creator = world.lookup(batch.platform, value) if batch.platform is not None else None
        if creator is None:
            return "not_found", None, Decimal(0)
        data = enrich_result(
            world,
            creator,
            batch.mode,
            now=now,
            include_audience_data=opts["include_audience_data"],
            include_lookalikes=opts["include_lookalikes"],
            email_required=opts["email_required"],
        )
        price = _dec(batch_row_price(sb.settings, batch.mode))
    else:
        if not _EMAIL.match(value):
            return "failed", None, Decimal(0)
        data = email_result(world, value.lower())
        if data is not None and not _passes_email_filters(data, opts):
            data = None
        price = _dec(batch_row_price(sb.settings, batch.mode))
    if not data:
        return "not_found", None, Decimal(0)
    return "success", data, price


def _passes_email_filters(data: dict[str, Any], opts: dict[str, Any]) -> bool:
    if opts.get("exclude_platforms") and data.get("platform") == opts["exclude_platforms"]:
        return False
    followers = data.get("followers")
    return not (
        opts.get("min_followers")
        and isinstance(followers, int | float)
        and followers < opts["min_followers"]
    )


# ----------------------------------------------------------------------------- create
def _bool(form: dict[str, Any], name: str, default: bool) -> bool:
    raw = form.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "false"):  # strings
        return raw.lower() == "true"
    raise field_error(name, "Must be a valid boolean.")


def _choice(
    form: dict[str, Any], name: str, choices: tuple[str, ...], required: bool
) -> str | None:
    raw = form.get(name)
    if raw is None or raw == "":
        if required:
            raise field_error(name, REQUIRED)
        return None
    if raw not in choices:
        raise field_error(name, not_a_choice(raw))
    return raw


def _read_csv(upload: Any, mode: str) -> list[str]:
    if not isinstance(upload, dict) or "content" not in upload:
        raise field_error("file", "No file was submitted.")
    content: bytes = upload["content"]
    if len(content) > MAX_BYTES:
        raise field_error("file", "The file is larger than 10 MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise field_error("file", "The file must be UTF-8 encoded CSV.") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise field_error("file", "The submitted file is empty.")
    header = [h.strip().lower() for h in rows[0]]
    if len(header) != 1 or header[0] not in ("handle", "email"):
        raise field_error(
            "file", "The CSV must have exactly one column, named 'handle' or 'email'."
        )
    wanted = "handle" if mode in ("raw", "full") else "email"
    if header[0] != wanted:
        raise field_error("file", f"Enrichment mode '{mode}' needs a '{wanted}' column.")
    values = [r[0].strip() for r in rows[1:] if r and r[0].strip()]
    if any(len(r) > 1 for r in rows[1:]):
        raise field_error("file", "The CSV must have exactly one column.")
    if not values:
        raise field_error("file", "The file has no rows.")
    if len(values) > MAX_ROWS:
        raise field_error(
            "file", f"A batch holds at most {MAX_ROWS} rows; this file has {len(values)}."
        )
    return values


@router.op("batch_create")
def batch_create(ctx: Ctx, req: Request) -> dict[str, Any]:
    """Upload a one-column CSV and start a job. Free; rows are billed as processed."""
    form = req.form()
    mode = _choice(form, "enrichment_mode", MODES, True)
    assert mode is not None
    platform = _choice(form, "platform", BATCH_PLATFORMS, mode in ("raw", "full"))
    metadata: dict[str, Any] | None = None
    raw_meta = form.get("metadata")
    if raw_meta not in (None, "", "null"):
        try:
            metadata = json.loads(raw_meta) if isinstance(raw_meta, str) else raw_meta
        except ValueError:
            raise field_error("metadata", "Value must be valid JSON.") from None
        if not isinstance(metadata, dict):
            raise field_error("metadata", "Expected a JSON object.")
    min_followers = form.get("min_followers")
    if min_followers not in (None, ""):
        try:
            min_followers = int(min_followers)
        except (TypeError, ValueError):
            raise field_error("min_followers", "A valid integer is required.") from None
    options = {
        "email_required": _choice(form, "email_required", ("must_have", "preferred"), False)
        or "preferred",
        "include_lookalikes": _bool(form, "include_lookalikes", False),
        "include_audience_data": _bool(form, "include_audience_data", True),
        "exclude_platforms": _choice(form, "exclude_platforms", BATCH_PLATFORMS, False),
        "min_followers": min_followers or None,
    }
    inputs = _read_csv(form.get("file"), mode)
    sb = ctx.sandbox
    now = ctx.now()
    batch = Batch(
        id="bch_" + sb.token_hex("batch", sb.next_id("batch"), 32),
        account=ctx.account,
        mode=mode,
        platform=platform if mode in ("raw", "full") else None,
        metadata=metadata,
        options=options,
        inputs=inputs,
        created_at=now,
        anchor=now + QUEUE_DELAY,
    )
    _batches(ctx.account)[batch.id] = batch
    return {
        "batch_id": batch.id,
        "status": batch.status,
        "created_at": iso(now),
        "platform": batch.platform,
        "metadata": metadata,
        "og_input_number": len(inputs),
        "type_report": "ENRICH_BY_HANDLE" if batch.column == "handle" else "ENRICH_BY_EMAIL",
        "enrichment_mode": mode,
        "message": "Batch created. Poll the status endpoint for progress.",
    }


def _get(ctx: Ctx, batch_id: str) -> Batch:
    batch = _batches(ctx.account).get(batch_id)
    if batch is None:  # unknown, or another account's
        raise ApiError(404, {"detail": "Not found."})
    return batch


def _status(ctx: Ctx, batch: Batch) -> dict[str, Any]:
    estimated = None
    if batch.status in ACTIVE and batch.anchor is not None:
        left = len(batch.inputs) - batch.anchor_done
        estimated = iso(batch.anchor + timedelta(seconds=left / ctx.settings.batch_rows_per_second))
    return {
        "batch_id": batch.id,
        "status": batch.status,
        "total_rows": len(batch.inputs),
        "processed_rows": batch.processed,
        "success_count": batch.success_count,
        "failed_count": batch.failed_count,
        "started_at": iso(batch.created_at),
        "metadata": batch.metadata or {},
        "credits_used": f"{batch.credits_used:.2f}",  # a string, as documented
        "estimated_completion": estimated,
        "status_message": batch.status_message,
        "enrichment_mode": batch.mode,
        "platform": batch.platform,
        "finished_at": iso(batch.finished_at),
    }


@router.op("batch_status")
def batch_status(ctx: Ctx, req: Request, batch_id: str) -> dict[str, Any]:
    """Progress of a job."""
    return _status(ctx, _get(ctx, batch_id))


@router.op("batch_resume")
def batch_resume(ctx: Ctx, req: Request, batch_id: str) -> dict[str, Any]:
    """Continue a ``paused_insufficient_credits`` job; processed rows stay paid."""
    batch = _get(ctx, batch_id)
    if batch.status != "paused_insufficient_credits":
        raise ApiError(
            400, {"error": f"Only a paused batch can be resumed; this one is {batch.status}."}
        )
    with ctx.account.lock:
        batch.status = "processing"
        batch.status_message = None
        batch.anchor = ctx.now()
        batch.anchor_done = batch.processed
    out = _status(ctx, batch)
    out["message"] = "Batch resumed."
    return out


# ----------------------------------------------------------------------------- results
def _flatten(data: Any, prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Scalars of the result object, two levels deep, as CSV columns (lists as JSON)."""
    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if depth < 1:
                out.update(_flatten(value, name + ".", depth + 1))
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def _kept(batch: Batch) -> Batch:
    """``batch`` if its rows' data are still here; else a 410 saying where they went."""
    if batch.payload_dropped:
        raise ApiError(
            410,
            {
                "detail": "The built-in sandbox no longer keeps this batch's results: they were "
                "downloaded (see the job's output folder)."
            },
        )
    return batch


def results_csv(batch: Batch) -> bytes:
    rows = [
        {"input_value": r["input_value"], "status": r["status"], **_flatten(r["enrichment_data"])}
        for r in batch.results
    ]
    columns: dict[str, None] = {"input_value": None, "status": None}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _csv_response(batch: Batch) -> Response:
    return Response(
        200,
        results_csv(batch),
        {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": f'attachment; filename="{batch.id}.csv"',
        },
    )


@router.op("batch_results")
def batch_results(ctx: Ctx, req: Request, batch_id: str) -> Any:
    """Rows processed so far: CSV by default, ``?format=json`` for ``[{input_value, status,
    enrichment_data}]``."""
    batch = _kept(_get(ctx, batch_id))
    fmt = (req.arg("format") or "csv").lower()
    if fmt == "json":
        return batch.results
    if fmt != "csv":
        raise field_error("format", not_a_choice(fmt))
    return _csv_response(batch)


def _signing_key(sb: Sandbox) -> bytes:
    return hashlib.sha256(f"{sb.seed}:download-signing".encode()).digest()


def _sign(sb: Sandbox, payload: str) -> str:
    sig = hmac.new(_signing_key(sb), payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


@router.op("batch_download")
def batch_download(ctx: Ctx, req: Request, batch_id: str) -> dict[str, Any]:
    """A temporary link to the CSV, served by the sandbox itself."""
    batch = _get(ctx, batch_id)
    if batch.status != "finished":
        raise ApiError(400, {"error": f"The batch is {batch.status}; its file is not ready."})
    ttl = ctx.settings.download_ttl
    expires = ctx.now() + timedelta(seconds=ttl)
    payload = f"{ctx.account.id}.{batch.id}.{int(expires.timestamp())}"
    token = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    url = f"{ctx.base_url}/sandbox/files/{token}.{_sign(ctx.sandbox, payload)}.csv"
    return {
        "download_url": url,
        "filename": f"{batch.id}.csv",
        "expires_in": ttl,
        "expires_at": iso(expires),
        "batch_id": batch.id,
        "total_results": batch.success_count,
        "invalid_records": batch.failed_count,
    }


@router.route("GET", "/sandbox/files/{name}", name="sandbox_file", auth=False)
def sandbox_file(ctx: Ctx, req: Request, name: str) -> Response:
    """The presigned-URL stand-in: no bearer needed, the signed token is the permission."""
    forbidden = ApiError(403, {"detail": "Request has expired or the signature is invalid."})
    parts = name.removesuffix(".csv").split(".")
    if len(parts) != 2:
        raise forbidden
    token, sig = parts
    try:
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        account_id, batch_id, expires = payload.split(".")
        expired = ctx.now().timestamp() >= int(expires)
    except (ValueError, UnicodeDecodeError):
        raise forbidden from None
    if expired or not hmac.compare_digest(sig, _sign(ctx.sandbox, payload)):
        raise forbidden
    account = next((a for a in ctx.sandbox.accounts if a.id == account_id), None)
    batch = _batches(account).get(batch_id) if account is not None else None
    if batch is None:
        raise ApiError(404, {"detail": "Not found."})
    return _csv_response(_kept(batch))
