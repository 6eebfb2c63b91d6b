"""Pacing of request starts (--rpm)."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Spaces request starts so at most ``per_minute`` begin in any minute."""

    def __init__(self, per_minute: float | None):
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)
