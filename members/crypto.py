"""Encryption at rest for personal data, and the blind index that finds it.

Keys come from the environment (see README): `MEMBER_ENCRYPTION_KEYS`, newest first, each a Fernet key;
every listed key can still decrypt, only the first encrypts; `rotate_member_keys` re-encrypts old rows.
`MEMBER_INDEX_KEY` is a separate secret for the keyed HMAC used for uniqueness and exact search,
so that the index alone cannot be turned back into numbers by trying every plausible one.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class DecryptionError(Exception):
    """A stored value that none of the listed keys opens: never shown as if it were the value."""


@functools.cache
def _keys():
    raw = list(getattr(settings, "MEMBER_ENCRYPTION_KEYS", None) or [])
    if not raw:
        raise ImproperlyConfigured("MEMBER_ENCRYPTION_KEYS must list at least one key.")
    try:
        return [Fernet(key) for key in raw]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "Each of MEMBER_ENCRYPTION_KEYS must be a Fernet key (32 bytes, urlsafe base64)."
        ) from exc


@functools.cache
def _fernet():
    return MultiFernet(_keys())


@functools.cache
def _index_key():
    key = getattr(settings, "MEMBER_INDEX_KEY", "") or ""
    if len(key) < 32:
        raise ImproperlyConfigured("MEMBER_INDEX_KEY must be a secret of at least 32 characters.")
    return key.encode()


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"MEMBER_ENCRYPTION_KEYS", "MEMBER_INDEX_KEY"}:
        _keys.cache_clear()
        _fernet.cache_clear()
        _index_key.cache_clear()


def check_keys():
    """Raise ImproperlyConfigured now rather than at the first member saved."""
    _fernet()
    _index_key()


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token):
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError("A stored personal value cannot be opened with the listed keys.") from exc


def is_current(token):
    """Whether the newest key encrypted this value (rotation skips those)."""
    try:
        _keys()[0].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate(token):
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def blind_index(normalised):
    """A keyed HMAC-SHA256 of a normalised value: equal values give equal indexes, nothing else can be read off."""
    return hmac.new(_index_key(), normalised.encode(), hashlib.sha256).hexdigest()
