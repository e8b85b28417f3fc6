"""Small pieces the campaign views share."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def report_url(deadline_id, unit_code):
    return reverse("campaigns:report", kwargs={"deadline": deadline_id, "unit": unit_code})


def local_path(path, fallback="campaigns:tasks"):
    """Where to go back to after an action: a path on this site, never another host."""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return reverse(fallback)
