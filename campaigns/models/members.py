"""What a members campaign (the 2015 plan) measures against: each unit's 2014 baseline and its member targets,
with every change to either kept."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.schedule import Campaign
from unions.models import UnionOrg


class MemberBaseline(models.Model):
    """The unit's migrant-worker members in the year before the campaign (2014 for the 2015 plan), as the
    organisation department entered it, with where the number comes from."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="member_baselines"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    migrant_members = models.PositiveIntegerField(_("migrant-worker members (baseline)"))
    source = models.CharField(_("source of the baseline"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("member baseline")
        verbose_name_plural = _("member baselines")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="member_baseline_one_per_unit")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"

    @property
    def year(self):
        return self.campaign.year - 1


class MemberTarget(models.Model):
    """目标任务分解 of a members campaign: new migrant-worker members, the share of 四要素 enterprises at 80% or
    more, and the share of township unions meeting the 八有 standard. A blank figure sets no target."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="member_targets"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    new_migrant_members = models.PositiveIntegerField(_("new migrant-worker members (target)"), null=True, blank=True)
    eighty_rate = models.DecimalField(
        _("四要素 enterprises at 80 per cent or more (target, per cent)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    eight_haves_rate = models.DecimalField(
        _("township unions meeting 八有 (target, per cent)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("member target")
        verbose_name_plural = _("member targets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="member_target_one_per_unit"),
            models.CheckConstraint(
                condition=(Q(eighty_rate__isnull=True) | (Q(eighty_rate__gte=0) & Q(eighty_rate__lte=100)))
                & (Q(eight_haves_rate__isnull=True) | (Q(eight_haves_rate__gte=0) & Q(eight_haves_rate__lte=100))),
                name="member_target_rates_are_percentages",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"


class MemberFigureChange(models.Model):
    """Every change to a baseline or a member target: which, the values before and after, who, when."""

    class Subject(models.TextChoices):
        BASELINE = "baseline", _("2014 baseline")
        TARGET = "target", _("Member targets")

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("what changed"), max_length=10, choices=Subject.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change to a baseline or member target")
        verbose_name_plural = _("changes to baselines and member targets")

    def __str__(self):
        return f"{self.unit} {self.get_subject_display()} {self.changed_at:%Y-%m-%d}"


class Conclusion(models.TextChoices):
    MET = "met", _("Targets met (达标)")
    MOSTLY = "mostly", _("Targets mostly met (基本达标)")
    NOT_MET = "not_met", _("Targets not met (未达标)")


class Acceptance(models.Model):
    """考核验收: the organisation department's year-end record of one unit in a members campaign. Results and
    timeliness are computed, never typed; approving freezes them with the conclusion, and the record is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="acceptances"
    )
    unit = models.ForeignKey(UnionOrg, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Frozen on approval: each target beside its result, and the timeliness of the unit's reports.
    results = models.JSONField(_("results"), null=True, blank=True)
    timeliness = models.JSONField(_("timeliness of reports"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("acceptance record")
        verbose_name_plural = _("acceptance records")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="acceptance_one_per_unit")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED


class AcceptanceChange(models.Model):
    """Every save and the approval of an acceptance record: what it said before and after, who, when."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("acceptance record"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Acceptance.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Acceptance.Status.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("acceptance record change")
        verbose_name_plural = _("acceptance record changes")

    def __str__(self):
        return f"{self.acceptance} {self.at:%Y-%m-%d}"
