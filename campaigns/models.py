"""Campaigns as workflows: stages with deadlines, the units that report, their submissions and every transition."""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from unions.models import UnionOrg, scoped

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def end_of_day(day):
    """A deadline "due 8月10日" runs through 23:59:59 Asia/Shanghai: this is the first moment after it."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)


class ReportKind(models.TextChoices):
    PLAN = "plan", _("Work plan")
    SURVEY = "survey", _("Survey figures")
    PROGRESS = "progress", _("Progress report")
    SUMMARY = "summary", _("Summary report")


class Threshold(models.IntegerChoices):
    HUNDRED = 100, _("100 or more staff")
    FIFTY = 50, _("50 or more staff")
    TWENTY_FIVE = 25, _("25 or more staff")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    plan_text = models.TextField(_("the plan"), blank=True)
    default_threshold = models.PositiveSmallIntegerField(
        _("scope threshold"), choices=Threshold.choices, default=Threshold.HUNDRED
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="campaign_unique_per_year")]

    def __str__(self):
        return f"{self.year}年{self.name}"


class Stage(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    report_kind = models.CharField(_("report collected"), max_length=10, choices=ReportKind.choices, blank=True)
    # For a single report: its due date. For periodic reports: every so many months within the stage.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("every (months)"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="stage_order_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class Deadline(models.Model):
    """One report due from every participating unit: a stage's single report, or one period of a periodic one."""

    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="deadlines")
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on", "stage__order", "sequence"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [models.UniqueConstraint(fields=["stage", "sequence"], name="deadline_sequence_unique")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        report = self.stage.get_report_kind_display()
        if self.period_start is None:
            return f"{self.stage.name} · {report}"
        return _("%(stage)s · %(report)s no. %(number)d (%(start)s–%(end)s)") % {
            "stage": self.stage.name,
            "report": report,
            "number": self.sequence,
            "start": date_format(self.period_start, "MONTH_DAY_FORMAT"),
            "end": date_format(self.period_end, "MONTH_DAY_FORMAT"),
        }

    @property
    def kind(self):
        return self.stage.report_kind

    @property
    def closes_at(self):
        return end_of_day(self.due_on)


class Participation(models.Model):
    """A unit that reports in a campaign, and the headcount from which its enterprises are in scope."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="participations"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    threshold = models.PositiveSmallIntegerField(_("scope threshold"), choices=Threshold.choices)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="participation_unique")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"


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
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self):
        return f"{self.unit} → {self.due_on}"


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
    late = models.BooleanField(_("late"), default=False)
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
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
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


class Target(models.Model):
    """目标任务分解: what the organisation department expects of one unit in a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    union_count = models.PositiveIntegerField(_("enterprises with a union (target)"))
    union_rate = models.DecimalField(
        _("union coverage (target, %)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="target_one_per_unit"),
            models.CheckConstraint(
                condition=Q(union_rate__gte=0) & Q(union_rate__lte=100), name="target_rate_is_a_percentage"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"


class TargetChange(models.Model):
    """Every change to a target: the figures before and after, who, when."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="changes")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")

    def __str__(self):
        return f"{self.target} {self.changed_at:%Y-%m-%d}"
