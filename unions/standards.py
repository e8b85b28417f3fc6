"""The 八有 checklist of township and street unions (乡镇（街道）工会“八有”标准).

A township union meets the standard when each of the eight items has been assessed and found met.
Every assessment leaves a row in its history; evidence files sit under names nobody can guess and are
downloaded only through the union's scoped page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unions.models import UnionOrg


class EightHave(models.TextChoices):
    STAFF = "staff", _("Staff (1–2 people)")
    SIGN = "sign", _("Sign")
    SEAL = "seal", _("Seal")
    PLAN = "plan", _("Work plan and activity records")
    RULES = "rules", _("Rules")
    VENUE = "venue", _("Venue")
    FUNDS = "funds", _("Funds")
    RECORDS = "records", _("Member records")


# The eight items' codes, in the standard's order (read once: an enum's values are rebuilt on every access).
EIGHT_HAVE_CODES = tuple(EightHave.values)


def meets_eight_haves(met_items):
    """Whether a union whose met items are `met_items` (codes) meets the whole standard."""
    return set(EIGHT_HAVE_CODES) <= set(met_items)


def evidence_path(instance, filename):
    # The stored name is ours and cannot be guessed; the uploader's name is kept in `attachment_name` only.
    return f"eight_haves/{instance.union_id}/{uuid.uuid4().hex}"


class EightHavesItemQuerySet(models.QuerySet):
    def met(self):
        return self.filter(met=True)

    def of_unions(self, unions):
        return self.filter(union__in=unions.order_by().values("pk"))


class EightHavesItem(models.Model):
    """One item of one township union's checklist, as last assessed."""

    union = models.ForeignKey(
        UnionOrg, verbose_name=_("township union"), on_delete=models.CASCADE, related_name="eight_haves"
    )
    item = models.CharField(_("item"), max_length=10, choices=EightHave.choices)
    met = models.BooleanField(_("met"), default=False)
    note = models.TextField(_("evidence"), blank=True)
    attachment = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("file type"), max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("file size"), default=0)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    # Bumped by every assessment so that a form filled in on an old copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EightHavesItemQuerySet.as_manager()

    class Meta:
        ordering = ["union", "item"]
        verbose_name = _("eight-haves item")
        verbose_name_plural = _("eight-haves items")
        constraints = [
            models.UniqueConstraint(fields=["union", "item"], name="one_eight_haves_item_per_union"),
        ]

    def __str__(self):
        return f"{self.union} · {self.get_item_display()}"

    def snapshot(self):
        """What the history keeps of this item: enough to show a change without the file itself."""
        return {
            "met": self.met,
            "note": self.note,
            "attachment": self.attachment_name,
            "assessed_by": self.assessed_by.get_username() if self.assessed_by_id else "",
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else "",
        }


class EightHavesChange(models.Model):
    """An assessment of one item: the item before and after, who and when."""

    union = models.ForeignKey(
        UnionOrg, verbose_name=_("township union"), on_delete=models.CASCADE, related_name="eight_haves_changes"
    )
    item = models.CharField(_("item"), max_length=10, choices=EightHave.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("eight-haves change")
        verbose_name_plural = _("eight-haves changes")

    def __str__(self):
        return f"{self.union} · {self.get_item_display()} · {self.changed_at:%Y-%m-%d}"
