"""Exponential backoff with full jitter, never shorter than Slack's Retry-After."""

from __future__ import annotations

import random

from bot.config import DeliverySettings


def delay(failures: int, settings: DeliverySettings, retry_after: float | None = None) -> float:
    """Seconds to wait after the ``failures``-th failed attempt (1, 2, …)."""
    cap = min(settings.max_backoff_s, settings.backoff_s * (2 ** max(0, failures - 1)))
    wait = cap / 2 + random.uniform(0, cap / 2)  # "equal jitter": spread, yet never close to zero
    if retry_after:
        wait = max(wait, float(retry_after))
    return wait
