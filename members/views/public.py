"""What every public join page shares: its language, the limits on what an address may send, and the switch.

The staff pages stay Chinese: no LocaleMiddleware; only the views wrapped in `public_language` speak the
visitor's language, chosen by the switch (a cookie), else the browser's Accept-Language, else Chinese.
The limits are counted in the database (campaign_portal.throttles) for the address as logins count it.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from campaign_portal.logins import client_address
from campaign_portal.models import ThrottleHit
from campaign_portal.throttles import Throttle

PUBLIC_LANGUAGES = ("zh-hans", "bo")
DEFAULT_LANGUAGE = "zh-hans"
LANGUAGE_COOKIE_DAYS = 365


def _accepted_language(header):
    """The first of the public languages the browser's Accept-Language names, in its order of preference."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        code, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, code.strip().lower()))
    for _quality, _position, code in sorted(ranked):
        if code.startswith("bo"):
            return "bo"
        if code.startswith("zh"):
            return "zh-hans"
    return None


def chosen_language(request):
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in PUBLIC_LANGUAGES:
        return cookie
    return _accepted_language(request.headers.get("Accept-Language", "")) or DEFAULT_LANGUAGE


def public_language(view):
    """Run the view, and render its page, in the visitor's public language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = chosen_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


@require_GET
def language_switch(request, code):
    """Remember the chosen language in a cookie and go back to the page the visitor came from."""
    if code not in PUBLIC_LANGUAGES:
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("join:apply")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=LANGUAGE_COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def posts_by_address():
    return Throttle(
        ThrottleHit.Scope.JOIN_ADDRESS,
        max(1, settings.JOIN_ADDRESS_POST_LIMIT),
        timedelta(minutes=settings.JOIN_ADDRESS_WINDOW_MINUTES),
    )


def submissions_by_id():
    return Throttle(
        ThrottleHit.Scope.JOIN_ID,
        max(1, settings.JOIN_ID_SUBMISSION_LIMIT),
        timedelta(hours=settings.JOIN_ID_WINDOW_HOURS),
    )


def lookups_by_address():
    return Throttle(
        ThrottleHit.Scope.JOIN_LOOKUP,
        max(1, settings.JOIN_LOOKUP_LIMIT),
        timedelta(minutes=settings.JOIN_LOOKUP_WINDOW_MINUTES),
    )


def searches_by_address():
    return Throttle(
        ThrottleHit.Scope.JOIN_SEARCH,
        max(1, settings.JOIN_SEARCH_LIMIT),
        timedelta(minutes=settings.JOIN_SEARCH_WINDOW_MINUTES),
    )


def throttled_response(request, throttle, key):
    minutes = throttle.retry_after_minutes(key)
    response = render(request, "join/throttled.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def body_too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.JOIN_MAX_BODY_BYTES


def counted_post(*extra_throttles):
    """Count every POST of the wrapped view against its address (valid or not), and refuse it over a limit or
    with a body far larger than the form's. `extra_throttles` are further per-address limits of this view."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            address = client_address(request)
            for throttle in (posts_by_address(), *(factory() for factory in extra_throttles)):
                if throttle.blocks(address):
                    return throttled_response(request, throttle, address)
                throttle.hit(address)
            if body_too_large(request):
                return render(request, "join/too_large.html", status=413)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
