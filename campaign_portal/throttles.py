"""Limits on how often something may happen per key (an address, an account), counted in the database.

A Throttle allows at most `limit` events of one key within any `window`; the next is refused until the
oldest of them is older than the window. Counting in the database keeps every worker process to the
same numbers and keeps them across restarts. Several processes counting at the very same moment may
each let one more event through; a limit is a brake on guessing, not an exact quota.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from campaign_portal.models import ThrottleHit


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int
    window: timedelta

    def _recent(self, key, now):
        return ThrottleHit.objects.filter(scope=self.scope, key=key, at__gt=now - self.window)

    def blocks(self, key):
        """Whether the key has used up its events for now."""
        return self._recent(key, timezone.now()).count() >= self.limit

    def hit(self, key):
        """Count one event of the key, and forget this scope's events that have left the window."""
        now = timezone.now()
        with transaction.atomic():
            ThrottleHit.objects.filter(scope=self.scope, at__lte=now - self.window).delete()
            ThrottleHit.objects.create(scope=self.scope, key=key, at=now)

    def retry_after(self, key):
        """How long until the key may act again (zero when it may now)."""
        now = timezone.now()
        times = list(self._recent(key, now).order_by("-at").values_list("at", flat=True)[: self.limit])
        if len(times) < self.limit:
            return timedelta(0)
        return times[-1] + self.window - now

    def retry_after_minutes(self, key):
        return max(1, math.ceil(self.retry_after(key).total_seconds() / 60))

    def clear(self, key):
        ThrottleHit.objects.filter(scope=self.scope, key=key).delete()
