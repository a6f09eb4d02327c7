"""The operating-time window keeps a running sum; it must equal summing the window."""

import random

from bitrix_client.fake._limits import Limiter, Limits


def test_running_sum_matches_the_window():
    limits = Limits.standard()
    limiter = Limiter(limits)
    rng = random.Random(5)
    now = 1_800_000_000.0
    history: list[tuple[float, float]] = []
    for _ in range(5000):
        now += rng.uniform(0, 1.5)
        cost = rng.uniform(0, 0.3)
        history.append((now, cost))
        used, reset_at = limiter.record("sale.order.list", cost, now)
        live = [(t, c) for t, c in history if t > now - limits.operating_window]
        assert abs(used - sum(c for _, c in live)) < 1e-6
        assert reset_at == int(-(-(live[0][0] + limits.operating_window) // 1))
