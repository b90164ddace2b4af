"""Regenerate the chart gallery (docs/img/charts/*.png) from the offline sandbox.

Run: ``python scripts/gen_charts.py`` (uses kaleido with the system Chromium). Every chart of
``toolkit.charts`` is made from real sandbox answers, the way docs/charts.md shows.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import plotly.graph_objects as go

from toolkit import Client, charts
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox

OUT = Path(__file__).resolve().parents[1] / "docs" / "img" / "charts"
#: Figures fill their container; a picture needs a width (the height is the figure's own).
WIDTH = 1000


def use_system_chromium() -> None:
    """Point kaleido (choreographer) at the system Chromium unless told otherwise."""
    if "BROWSER_PATH" not in os.environ:
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            os.environ["BROWSER_PATH"] = found


def same_niche(sb: Sandbox, platform: str, n: int) -> list[str]:
    """The ``n`` biggest creators of the most common niche: audiences that really overlap."""
    creators = sorted(sb.world.on(platform), key=lambda c: -c.followers)
    niche = Counter(c.niche.name for c in creators[:80]).most_common(1)[0][0]
    return [c.username for c in creators if c.niche.name == niche][:n]


def build() -> dict[str, go.Figure]:
    """Every gallery figure, by file name, from one sandbox session."""
    sb = Sandbox(seed=7, creators=400)
    client = Client(
        api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), store="memory:"
    )
    ig = same_niche(sb, "instagram", 8)
    figs: dict[str, go.Figure] = {}

    figs["overlap"] = charts.overlap(client.creators.overlap("instagram", ig[:5]))
    figs["overlap_venn"] = charts.overlap_venn(client.creators.overlap("instagram", ig[:2]))
    matrix = client.creators.overlap_matrix("instagram", ig[:6], confirm=True)
    figs["overlap_matrix"] = charts.overlap_matrix(matrix, show_cost=True)
    plan = client.creators.plan_reach("instagram", ig, 4, budget=40, confirm=True)
    figs["reach_curve"] = charts.reach_curve(plan)

    page = client.discovery.search("instagram", limit=50)
    figs["followers_vs_er"] = charts.followers_vs_er(page)
    full = client.creators.enrich_handle(ig[0], "instagram", mode="full")
    figs["post_engagement"] = charts.post_engagement(full)
    figs["demographics"] = charts.demographics(full)
    many = client.creators.enrich_many(ig[:3], "instagram", mode="full", progress=False)
    figs["demographics_compared"] = charts.demographics(many)
    figs["follower_growth"] = charts.follower_growth(full)

    tt = [c.username for c in sorted(sb.world.on("tiktok"), key=lambda c: -c.followers)[:2]]
    camp = client.listening.campaigns.create(
        name="Launch",
        platforms=["instagram", "tiktok"],
        start_date=sb.clock.now().date(),
        handles={"instagram": ig[:4], "tiktok": tt},
    )
    cid = camp.data["id"]
    sb.clock.advance(days=45)
    figs["campaign_trends"] = charts.campaign_trends(client.listening.campaigns.overview(cid))
    per_platform = {
        p: client.listening.campaigns.overview(cid, platform=p) for p in ("instagram", "tiktok")
    }
    figs["campaign_trends_by_platform"] = charts.campaign_trends(per_platform, by_platform=True)
    baseline = [client.creators.enrich_handle(h, "instagram", mode="full") for h in ig[1:4]]
    baseline += [client.creators.enrich_handle(h, "tiktok", mode="full") for h in tt]
    figs["leaderboard"] = charts.leaderboard(
        client.listening.campaigns.creators(cid), baseline=[full, *baseline]
    )
    figs["top_content"] = charts.top_content(client, cid)
    figs["spend"] = charts.spend(client.ledger)
    return figs


def main(argv: list[str] | None = None) -> int:
    use_system_chromium()
    import kaleido

    OUT.mkdir(parents=True, exist_ok=True)
    figs = build()
    kaleido.start_sync_server(silence_warnings=True)
    try:
        for name, fig in figs.items():
            path = OUT / f"{name}.png"
            opts = {"format": "png", "width": WIDTH, "height": fig.layout.height or 560}
            path.write_bytes(kaleido.calc_fig_sync(fig, opts=opts))
            print(f"wrote {path.relative_to(OUT.parents[2])}")
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
