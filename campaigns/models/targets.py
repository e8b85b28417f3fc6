"""Targets (目标任务分解) and every change to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.schedule import (
    Campaign,
)
from unions.models import UnionOrg


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
