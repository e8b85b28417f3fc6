"""More time for one unit: its requests, the decisions on them, and the extensions granted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.schedule import (
    Deadline,
    end_of_day,
)
from unions.models import UnionOrg


class ExtensionRequest(models.Model):
    """A unit asks the organisation department for more time: the date it wants and why; granted or refused."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("date asked for"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    # Bumped by every change, so that two reviewers deciding at once cannot both succeed.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "unit"],
                condition=Q(status="pending"),
                name="extension_request_one_pending",
                violation_error_message=_("This unit already has a request waiting for a decision."),
            )
        ]

    def __str__(self):
        return f"{self.unit} → {self.due_on}"


class ExtensionRequestTransition(models.Model):
    """One row per change of a request: asked, granted (with the date decided) or refused (with the reason)."""

    request = models.ForeignKey(
        ExtensionRequest, verbose_name=_("extension request"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=ExtensionRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ExtensionRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("extension request transition")
        verbose_name_plural = _("extension request transitions")

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class Extension(models.Model):
    """A later deadline for one unit, granted by the organisation department; the latest grant counts."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("new due date"))
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    # The unit's request this grant answers, when it answers one.
    request = models.OneToOneField(
        ExtensionRequest,
        verbose_name=_("extension request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extension",
    )

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self):
        return f"{self.unit} → {self.due_on}"

    @property
    def closes_at(self):
        return end_of_day(self.due_on)
