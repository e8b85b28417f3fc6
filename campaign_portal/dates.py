"""Dates as the portal writes them for people to read: 2026年12月20日, whatever language a command runs in."""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format


def long_date(day):
    """A date (or the day of a moment) in the portal's own format, also when stored as text (change histories)."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(day, "DATE_FORMAT")
