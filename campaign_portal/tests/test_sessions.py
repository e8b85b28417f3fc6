"""A signed-in session is refreshed at most once a minute, so clicking does not write the database each time."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from campaign_portal import sessions

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_clicks_within_a_minute_leave_the_session_row_alone_and_a_later_one_extends_it(
    client, lhasa_staff, monkeypatch
):
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(sessions.time, "time", lambda: clock["now"])
    client.force_login(lhasa_staff)
    client.get(reverse("home"))
    first = expiry(client)
    clock["now"] += 30
    client.get(reverse("home"))
    assert expiry(client) == first
    clock["now"] += 31
    client.get(reverse("home"))
    assert expiry(client) > first


def test_an_anonymous_visit_makes_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()
