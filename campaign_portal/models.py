from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleHit(models.Model):
    """One counted event of one key in one scope (a failed login from an address, say); see campaign_portal.throttles.

    Kept in the database so that every worker process sees the same counts and they survive a restart."""

    scope = models.CharField(_("limited action"), max_length=40)
    key = models.CharField(_("counted for"), max_length=100)
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("throttle record")
        verbose_name_plural = _("throttle records")
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_hit_lookup")]

    def __str__(self):
        return f"{self.scope} {self.key} {self.at:%Y-%m-%d %H:%M:%S}"
