"""The reusable limit per key, counted in the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaign_portal.models import ThrottleHit
from campaign_portal.throttles import Throttle

pytestmark = pytest.mark.django_db

JOIN_FORM = Throttle(scope="join-form", limit=3, window=timedelta(minutes=10))


def test_a_key_is_blocked_once_it_reaches_the_limit():
    for _ in range(2):
        JOIN_FORM.hit("10.0.0.1")
    assert not JOIN_FORM.blocks("10.0.0.1")
    JOIN_FORM.hit("10.0.0.1")
    assert JOIN_FORM.blocks("10.0.0.1")


def test_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        JOIN_FORM.hit("10.0.0.1")
    assert not JOIN_FORM.blocks("10.0.0.2")
    assert not Throttle(scope="other", limit=3, window=timedelta(minutes=10)).blocks("10.0.0.1")


def test_a_block_ends_when_the_oldest_event_leaves_the_window():
    for _ in range(3):
        JOIN_FORM.hit("10.0.0.1")
    oldest = ThrottleHit.objects.order_by("at").first()
    ThrottleHit.objects.filter(pk=oldest.pk).update(at=timezone.now() - timedelta(minutes=9))
    assert 0 < JOIN_FORM.retry_after("10.0.0.1").total_seconds() <= 60
    assert JOIN_FORM.retry_after_minutes("10.0.0.1") == 1
    ThrottleHit.objects.filter(pk=oldest.pk).update(at=timezone.now() - timedelta(minutes=11))
    assert not JOIN_FORM.blocks("10.0.0.1")
    assert JOIN_FORM.retry_after("10.0.0.1") == timedelta(0)


def test_counting_forgets_the_scopes_old_events():
    ThrottleHit.objects.create(scope="join-form", key="10.0.0.9", at=timezone.now() - timedelta(hours=1))
    ThrottleHit.objects.create(scope="other", key="10.0.0.9", at=timezone.now() - timedelta(hours=1))
    JOIN_FORM.hit("10.0.0.1")
    assert list(ThrottleHit.objects.order_by("scope").values_list("scope", "key")) == [
        ("join-form", "10.0.0.1"),
        ("other", "10.0.0.9"),
    ]


def test_clearing_a_key_lifts_its_block():
    for _ in range(3):
        JOIN_FORM.hit("10.0.0.1")
    JOIN_FORM.clear("10.0.0.1")
    assert not JOIN_FORM.blocks("10.0.0.1")
