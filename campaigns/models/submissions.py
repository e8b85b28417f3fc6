"""A unit's report for one deadline, its status with a row for every change, and how punctually it came in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.schedule import (
    Deadline,
    ReportKind,
)
from unions.models import UnionOrg, scoped


class Timeliness(models.TextChoices):
    """How punctually a unit handed a report in: the four words every table, ranking and briefing uses.

    按时报送: first handed in by the original deadline. 经批准延期报送: after it, within an extension the
    organisation department granted before that deadline passed. 逾期补报: within an extension granted after the
    deadline had passed. 未报: nothing handed in by the deadline in force. `timeliness_of` decides the first three
    when a report is first handed in; the fourth belongs to a report that is not.
    """

    ON_TIME = "on_time", _("Submitted on time")
    EXTENDED = "extended", _("Submitted within an approved extension")
    LATE = "late", _("Submitted after the deadline had passed")
    MISSING = "missing", _("Not submitted")


def timeliness_of(deadline, first_submitted_at, extensions):
    """Which of the first three words a report first handed in at `first_submitted_at` earns.

    `extensions` are the unit's grants for this deadline. Only a grant made before the original deadline passed, and
    still open at the moment of handing in, makes a late report one with an approved extension.
    """
    if first_submitted_at < deadline.closes_at:
        return Timeliness.ON_TIME
    timely = [
        extension
        for extension in extensions
        if extension.granted_at < deadline.closes_at and first_submitted_at < extension.closes_at
    ]
    return Timeliness.EXTENDED if timely else Timeliness.LATE


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door to submissions: reviewers see all; others see their unit's and those below it."""
        return scoped(self, user, "unit__path")

    def approved_surveys(self):
        """Survey reports the organisation department has approved: the figures a campaign stands by."""
        return self.filter(deadline__stage__report_kind=ReportKind.SURVEY, status=self.model.Status.APPROVED)


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every change, so that two people acting on one report cannot both succeed.
    version = models.PositiveIntegerField(_("version"), default=1)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    # Set once, when the report is first handed in (see Timeliness); empty until then.
    # 未报 belongs to a report not handed in, so a stored report never carries it.
    timeliness = models.CharField(
        _("timeliness"),
        max_length=10,
        choices=[(word.value, word.label) for word in Timeliness if word != Timeliness.MISSING],
        blank=True,
    )
    # Survey: the figures and enterprises frozen at submission, and a reason for each hard case.
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    # The snapshot's figures alone, so that dashboards read a few numbers per report, not its enterprise list.
    figures = models.JSONField(_("figures"), null=True, blank=True)
    hard_case_reasons = models.JSONField(_("reasons for the hard cases"), default=dict, blank=True)
    # Plan, progress and summary reports.
    results = models.TextField(_("results"), blank=True)
    practices = models.TextField(_("practices and lessons"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["deadline__due_on", "unit__code"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="submission_one_per_unit")]

    def __str__(self):
        return f"{self.unit} · {self.deadline}"

    @property
    def is_locked(self):
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}


class Transition(models.Model):
    """One row per status change: from, to, who, when, why."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Submission.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Submission.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
