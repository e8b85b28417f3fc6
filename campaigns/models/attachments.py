"""Files attached to reports, and the row each addition or removal leaves on the report's timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.submissions import (
    Submission,
)


def attachment_path(instance, filename):
    # The stored name is ours; the uploader's file name is kept in `original_name` only.
    return f"reports/{instance.submission_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a report (pdf, docx, xlsx or an image), its type checked by its content."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class AttachmentChange(models.Model):
    """A file added to or removed from a report, on the report's timeline: who, when, which file."""

    class Action(models.TextChoices):
        ADDED = "added", _("Attached")
        DELETED = "deleted", _("Deleted")

    submission = models.ForeignKey(
        Submission, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachment_changes"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("attachment change")
        verbose_name_plural = _("attachment changes")

    def __str__(self):
        return f"{self.get_action_display()} {self.file_name}"
