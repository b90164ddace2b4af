"""A timeout says what really happened: it waits to its deadline, and says how long."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit._connect import sandbox_client
from toolkit.cli import cli_terms
from toolkit.sandbox import Sandbox, Settings


def test_the_last_wait_ends_at_the_deadline_and_the_message_says_so(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=50, settings=Settings(batch_rows_per_second=0.01))
    names = [c.username for c in sb.world.on("instagram")[:3]]
    start = sb.clock.now()
    with sandbox_client(sb) as client, pytest.raises(TimeoutError) as info:
        client.batch.run(
            names, mode="raw", platform="instagram", out=tmp_path, poll_interval=30, timeout=45
        )
    assert (sb.clock.now() - start).total_seconds() == pytest.approx(45)  # 30 + 15, not 30
    message = str(info.value)
    assert message.startswith("batch still running after 45 s on the sandbox's clock")
    assert "s of real time" in message
    assert "timeout=" not in cli_terms(message)
