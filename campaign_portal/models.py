from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ThrottleHit(models.Model):
    """One counted event of one key in one scope (a failed login from an address, say); see campaign_portal.throttles.

    Kept in the database so that every worker process sees the same counts and they survive a restart."""

    class Scope(models.TextChoices):
        LOGIN_ADDRESS = "login-address", _("Failed logins from one address")

    scope = models.CharField(_("limited action"), max_length=40, choices=Scope.choices)
    key = models.CharField(_("counted for"), max_length=100)
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("throttle record")
        verbose_name_plural = _("throttle records")
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_hit_lookup")]

    def __str__(self):
        return f"{self.get_scope_display()} {self.key} {_when(self.at)}"


def _when(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else ""


# django-axes' records as the admin shows them: the same rows, named in the portal's language. (Axes' own
# models name a row in English, and the admin shows that name on every page about it.)


class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("access attempt")
        verbose_name_plural = _("access attempts")

    def __str__(self):
        return gettext("%(username)s from %(address)s, last at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }


class LoginRecord(AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("access log")
        verbose_name_plural = _("access logs")

    def __str__(self):
        return gettext("%(username)s logged in from %(address)s at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }


class LoginFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("access failure")
        verbose_name_plural = _("access failures")

    def __str__(self):
        return gettext("%(username)s failed to log in from %(address)s at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }
