"""How a page of creators is shown and exported: a readable HTML table with profile
links, and CSV / Parquet files (written to disk and offered as a browser download)."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from toolkit._format import abbreviate

__all__ = [
    "PROFILE_URL",
    "download_link",
    "export_frame",
    "frame_bytes",
    "handle",
    "human",
    "results_html",
    "styles",
]

#: What the follower-count column is called on each platform (YouTube counts subscribers).
AUDIENCE_WORD: dict[str, str] = {"youtube": "subscribers"}


def handle(username: Any) -> str:
    """``@name`` for a username, whether or not the API sent it with its ``@`` (YouTube's
    usernames come as ``@name``)."""
    return "@" + str(username or "").lstrip("@")


#: Where a creator's profile lives, per platform (YouTube by channel id).
PROFILE_URL: dict[str, str] = {
    "instagram": "https://www.instagram.com/{username}",
    "youtube": "https://www.youtube.com/channel/{user_id}",
    "tiktok": "https://www.tiktok.com/@{username}",
    "twitter": "https://x.com/{username}",
    "twitch": "https://twitch.tv/{username}",
    "onlyfans": "https://onlyfans.com/{username}",
}

_CSS = """
<style>
.ic-results {border-collapse: collapse; font-size: 13px; width: 100%;}
.ic-results th {text-align: left; border-bottom: 2px solid #ccc; padding: 4px 8px;}
.ic-results td {border-bottom: 1px solid #eee; padding: 4px 8px;}
.ic-results td.num, .ic-results th.num {text-align: right; font-variant-numeric: tabular-nums;}
.ic-results a, a.ic-download {color: #1565c0; text-decoration: none;}
.ic-results a:hover, a.ic-download:hover {text-decoration: underline;}
.ic-results thead th {position: sticky; top: 0; background: #fff;}
.ic-results img {width: 28px; height: 28px; border-radius: 50%; vertical-align: middle;}
</style>
"""


def human(n: Any) -> str:
    """``1234567`` -> ``"1.2M"``, ``45200`` -> ``"45.2K"``; missing -> ``"–"`` (the charts
    abbreviate with the same ``toolkit._format.abbreviate``)."""
    return abbreviate(n)


def _is_na(value: Any) -> bool:
    try:
        return bool(value != value) or value is None
    except (TypeError, ValueError):
        return value is None


def results_html(frame: Any, platform: str, *, max_rows: int = 500) -> str:
    """An HTML table of a discovery page (pandas): rank, creator with a profile link,
    name, followers and engagement in readable units."""
    if frame is None or len(frame) == 0:
        return "<p><em>No creators match these filters.</em></p>"
    url = PROFILE_URL.get(platform, "")
    rows = []
    for rec in frame.head(max_rows).to_dict("records"):
        username = str(rec.get("username") or "")
        link = url.format(username=username, user_id=rec.get("user_id") or "")
        pic = rec.get("picture")
        img = (  # a picture that cannot load leaves a blank, not a broken-image icon
            f'<img src="{html.escape(str(pic))}" alt="" onerror="this.style.visibility=\'hidden\'">'
            if not _is_na(pic)
            else ""
        )
        er = rec.get("engagement_percent")
        rows.append(
            "<tr>"
            f'<td class="num">{html.escape(str(rec.get("rank", "")))}</td>'
            f'<td>{img} <a href="{html.escape(link)}" target="_blank" rel="noopener">'
            f"{html.escape(handle(username))}</a></td>"
            f"<td>{html.escape(str(rec.get('full_name') or ''))}</td>"
            f'<td class="num">{human(rec.get("followers"))}</td>'
            f'<td class="num">{"–" if _is_na(er) else f"{float(er):.2f}%"}</td>'
            "</tr>"
        )
    head = (
        '<tr><th class="num">#</th><th>creator</th><th>name</th>'
        f'<th class="num">{AUDIENCE_WORD.get(platform, "followers")}</th>'
        '<th class="num">engagement</th></tr>'
    )
    return f'<table class="ic-results"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def styles() -> str:
    """The table's and the download link's CSS (shown once per form)."""
    return _CSS


def frame_bytes(frame: Any, fmt: str) -> bytes:
    """``frame`` as the bytes of a ``csv`` or ``parquet`` file."""
    if fmt == "csv":  # text a spreadsheet would run as a formula gets a leading ' (as to_csv)
        from pandas.api.types import is_object_dtype, is_string_dtype

        from toolkit.frames._export import guard_cell

        frame = frame.copy()
        for col in frame.columns:
            if is_object_dtype(frame[col].dtype) or is_string_dtype(frame[col].dtype):
                frame[col] = frame[col].map(guard_cell)
        text: str = frame.to_csv(index=False)
        return text.encode("utf-8")
    if fmt == "parquet":
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return buf.getvalue()
    raise ValueError(f"export format must be 'csv' or 'parquet', got {fmt!r}")


def export_frame(frame: Any, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (replacing it: the caller named it); the suffix
    (``.csv`` / ``.parquet``) picks the format."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(frame_bytes(frame, path.suffix.lstrip(".").lower()))
    return path


def download_link(frame: Any, filename: str) -> str:
    """An HTML link that downloads ``frame`` as ``filename`` in the browser (a data URL,
    so it works in Voila too, where the kernel's files are not served)."""
    fmt = Path(filename).suffix.lstrip(".").lower()
    mime = "text/csv" if fmt == "csv" else "application/vnd.apache.parquet"
    data = base64.b64encode(frame_bytes(frame, fmt)).decode("ascii")
    return (
        f'<a class="ic-download" download="{html.escape(filename)}" '
        f'href="data:{mime};base64,{data}">⬇ {html.escape(filename)}</a>'
    )
