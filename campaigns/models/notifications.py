"""Messages in people's bells."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's bell: a reminder of a deadline, or a report waiting for review or returned.

    `key` names what the message is about (for example "due-7:<deadline>:<unit>"); it is unique per person,
    so a reminder command run any number of times sends each reminder once.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline approaching")
        OVERDUE = "overdue", _("Overdue")
        TO_REVIEW = "to_review", _("Waiting for review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        EXTENSION_REQUESTED = "ext_requested", _("Extension requested")
        EXTENSION_GRANTED = "ext_granted", _("Extension granted")
        EXTENSION_REFUSED = "ext_refused", _("Extension refused")
        JOIN_WAITING = "join_waiting", _("Join application waiting")
        CASE_STALE = "case_stale", _("Organising case not moving")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=100)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message
