"""Model practices (典型经验): the reports whose practices the organisation department holds up as 示范, and every
change to that choice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.submissions import Submission


class PracticeMark(models.Model):
    """A report's practices marked 示范 by the 组织部, under a short headline of its own, for the booklet."""

    submission = models.OneToOneField(
        Submission, verbose_name=_("report"), on_delete=models.CASCADE, related_name="practice_mark"
    )
    title = models.CharField(_("headline"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    # Bumped by every change, so that two reviewers editing one mark cannot both succeed.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-marked_at", "-pk"]
        verbose_name = _("model practice")
        verbose_name_plural = _("model practices")

    def __str__(self):
        return self.title


class PracticeMarkChange(models.Model):
    """Every change to a report's 示范 mark: marked, retitled or unmarked, the headline before and after, who, when.

    It points at the report rather than the mark, so that the history outlives an unmarked practice."""

    class Action(models.TextChoices):
        MARKED = "marked", _("Marked as a model practice")
        RETITLED = "retitled", _("Headline changed")
        UNMARKED = "unmarked", _("Mark removed")

    submission = models.ForeignKey(
        Submission, verbose_name=_("report"), on_delete=models.CASCADE, related_name="practice_mark_changes"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("model practice change")
        verbose_name_plural = _("model practice changes")

    def __str__(self):
        return f"{self.submission} · {self.get_action_display()}"
