"""Strict readers for settings that come from the environment.

A typo in a deployment's environment should stop the portal at start-up
with a message naming the variable, never fall back to a silent default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name, *, when, why):
    """Return the variable, refusing to start if it is missing while `when` holds."""
    value = env_str(name)
    if when and not value:
        raise ImproperlyConfigured(f"{name} must be set {why}.")
    return value


def client_address_source(behind_proxy, proxy_count):
    """django-axes' (and django-ipware's) header order and proxy count for where a client's address is read.

    Without a proxy only the connection's address counts, so a client cannot choose its own by sending a
    header. Behind `proxy_count` reverse proxies, each appending the address it saw to X-Forwarded-For, the
    client's address is the one the proxies wrote, counted from the right past the proxies before the
    nearest one; the nearest proxy is the connection itself and not in the header, so ipware's count,
    which counts the proxies listed in the header, is one less.
    """
    if not behind_proxy:
        return ("REMOTE_ADDR",), None
    if proxy_count < 1:
        raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 1 or more behind a proxy; got {proxy_count}")
    return ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"), proxy_count - 1
