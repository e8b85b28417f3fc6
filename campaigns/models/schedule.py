"""Campaigns and their schedule: stages, the deadline of each report, the units that take part and the scope
each reports from, with every change of that scope."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from unions.models import UnionOrg

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


class Measure(models.TextChoices):
    """What a campaign counts. The 2019 plan counts enterprises with a union (the four survey figures); the 2015
    plan counts migrant workers enrolled as members (members against 2014, 四要素, the 80% rule, 八有)."""

    ENTERPRISES = "enterprises", _("Enterprises with a union")
    MEMBERS = "members", _("Migrant workers enrolled as members")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    plan_text = models.TextField(_("the plan"), blank=True)
    default_threshold = models.PositiveSmallIntegerField(
        _("scope threshold"), choices=Threshold.choices, default=Threshold.HUNDRED
    )
    measure = models.CharField(
        _("what the campaign counts"), max_length=12, choices=Measure.choices, default=Measure.ENTERPRISES
    )
    # The push phase's reading of "large" (the plan names no size): key-enterprise suggestions start here.
    key_headcount = models.PositiveIntegerField(
        _("staff that make an enterprise large"),
        default=300,
        help_text=_("The plan names no size; the organisation department sets it for each campaign."),
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

    @property
    def counts_members(self):
        return self.measure == Measure.MEMBERS


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


class ThresholdChange(models.Model):
    """Every change of a unit's scope threshold: it changes the unit's survey figures, so who, when and why."""

    participation = models.ForeignKey(
        Participation, verbose_name=_("participating unit"), on_delete=models.CASCADE, related_name="threshold_changes"
    )
    before = models.PositiveSmallIntegerField(_("before"), choices=Threshold.choices)
    after = models.PositiveSmallIntegerField(_("after"), choices=Threshold.choices)
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("scope change")
        verbose_name_plural = _("scope changes")

    def __str__(self):
        return f"{self.participation}: {self.before} → {self.after}"
