"""Throttling logins by address, beside django-axes' lock of one username at one address.

Axes locks a username at an address after a few failures; that alone lets one address try a few
passwords on each of many accounts. Here an address that fails too often, whatever the usernames,
may not log in at all for a while. The address is the one axes reads (see AXES_IPWARE_* in the
settings), so both limits agree on who the client is behind a proxy.

The pieces follow axes' own: a backend refuses the attempt, Django's user_login_failed signal counts
it, and a middleware answers the refused request with a page that says why.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from campaign_portal.models import ThrottleHit
from campaign_portal.throttles import Throttle

BLOCKED_FLAG = "login_address_blocked"


def failures_by_address():
    return Throttle(
        scope=ThrottleHit.Scope.LOGIN_ADDRESS,
        limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        window=timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES),
    )


def client_address(request):
    return get_client_ip_address(request) or "unknown"


class AddressThrottleBackend:
    """Refuses every login from an address that has failed too often lately, even with the right password.

    It logs nobody in and so has no get_user: sessions are never tied to it."""

    def authenticate(self, request, **credentials):
        if request is None or not failures_by_address().blocks(client_address(request)):
            return None
        setattr(request, BLOCKED_FLAG, True)
        raise PermissionDenied


def count_login_failure(sender, credentials, request=None, **kwargs):
    """Receiver of user_login_failed. Attempts refused while blocked are not counted, so a block ends on time."""
    if request is not None and not getattr(request, BLOCKED_FLAG, False):
        failures_by_address().hit(client_address(request))


class AddressThrottleMiddleware:
    """Answers a login refused for its address with 429 and a page saying when to try again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, BLOCKED_FLAG, False):
            return blocked_response(request)
        return response


def blocked_response(request):
    minutes = failures_by_address().retry_after_minutes(client_address(request))
    response = render(request, "registration/address_throttled.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
