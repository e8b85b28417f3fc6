"""The 2019 plan's push phase (集中推进): key enterprises, their organising cases with graded measures, 一函两书.

The 组织部 or a prefecture designates an enterprise as key for a campaign, with the person responsible; that makes
its organising case. The case is a timeline of steps: measures in the plan's graded order (分类指导), the founding
steps of the union, and its changes of status. It closes when the enterprise's union is founded, through the
grassroots union that then covers the enterprise, so the registry's union status changes through that link.
The letters (工会组建意见函 and the two 法律监督检查 notices) are numbered per issuing unit and year and kept.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.schedule import Campaign

# The plan names no size for "large"; 300 staff or more is today's reading, set per campaign by the 组织部.
DEFAULT_KEY_HEADCOUNT = 300
# A case with no step for this many days reminds its unit.
STALE_CASE_DAYS = 30


def stale_since(now):
    """The moment before which a case's last step leaves it stale."""
    return now - datetime.timedelta(days=STALE_CASE_DAYS)


class KeyCriterion(models.TextChoices):
    """Why an enterprise is key (the 2019 plan, section 三（二）)."""

    LARGE = "large", _("Large")
    LONG_WITHOUT_UNION = "long", _("Long without a union")
    WELL_KNOWN = "known", _("Well known")
    POLITICAL_POST = "political", _("Operator holds a political post")
    INTERNET = "internet", _("Internet industry")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HEADQUARTERS = "headquarters", _("Headquarters type")
    CROSS_PREFECTURE = "cross", _("Operates across prefectures")


class Grade(models.IntegerChoices):
    """The plan's graded measures, mildest first."""

    GUIDANCE = 1, _("Guidance and communication")
    MEETING = 2, _("Meeting with the operator")
    LETTERS = 3, _("One letter and two notices")
    JOIN_FIRST = 4, _("Workers join the township, area or industry union first")
    EXPOSURE = 5, _("Public exposure or the credit platform")
    LEGAL = 6, _("Legal liability")


class FoundingStep(models.TextChoices):
    PREPARATORY = "preparatory", _("Preparatory group formed")
    ASSEMBLY = "assembly", _("Members' assembly held")
    ELECTION = "election", _("Committee elected")
    APPROVAL = "approval", _("Approved by the union above")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Under way")
    UNIONISED = "unionised", _("Union founded")
    WITHDRAWN = "withdrawn", _("No longer key")


class OrganisingCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A case is seen by whoever sees its enterprise (the registry's door)."""
        from enterprises.models import Enterprise

        if user.is_authenticated and user.sees_everything:
            return self
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class OrganisingCase(models.Model):
    """A key enterprise of a campaign and what is done to get it a union."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="cases")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="cases"
    )
    designated_by_unit = models.ForeignKey(
        "unions.UnionOrg", verbose_name=_("designated by"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.CharField(_("person responsible"), max_length=50)
    criteria = models.JSONField(_("why it is key"), default=list, help_text=_("KeyCriterion codes."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    highest_grade = models.PositiveSmallIntegerField(
        _("highest grade reached"), choices=Grade.choices, null=True, blank=True
    )
    # The last step of any kind: a case without one for STALE_CASE_DAYS reminds its unit.
    last_step_at = models.DateTimeField(_("last step at"), db_index=True)
    founded_union = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("union founded"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("designated by (person)"), on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField(_("designated at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = OrganisingCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_at", "-pk"]
        verbose_name = _("organising case")
        verbose_name_plural = _("organising cases")
        indexes = [models.Index(fields=["campaign", "status"], name="case_campaign_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                name="one_case_per_enterprise_and_campaign",
                violation_error_message=_("This enterprise is already a key enterprise of the campaign."),
            ),
            models.CheckConstraint(
                condition=(Q(status="unionised") & Q(founded_union__isnull=False) & Q(closed_on__isnull=False))
                | (~Q(status="unionised") & Q(founded_union__isnull=True)),
                name="case_unionised_iff_union_founded",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.enterprise_id}"


class CaseStep(models.Model):
    """One entry of a case's timeline: a graded measure, a founding step, or a change of the case's status."""

    class Kind(models.TextChoices):
        MEASURE = "measure", _("Measure")
        FOUNDING = "founding", _("Founding step")
        STATUS = "status", _("Change of status")

    case = models.ForeignKey(OrganisingCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices, null=True, blank=True)
    founding_step = models.CharField(_("founding step"), max_length=12, choices=FoundingStep.choices, blank=True)
    from_status = models.CharField(_("from"), max_length=10, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=CaseStatus.choices, blank=True)
    happened_on = models.DateField(_("date"))
    who = models.CharField(_("who"), max_length=100, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "recorded_at", "pk"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="measure") & Q(grade__isnull=False))
                | (Q(kind="founding") & ~Q(founding_step=""))
                | (Q(kind="status") & ~Q(to_status="")),
                name="case_step_says_what_it_is",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()} {self.happened_on}"


def step_file_path(instance, filename):
    # The stored name is ours; the uploader's file name is kept in `original_name` only.
    return f"cases/{instance.step.case_id}/{uuid.uuid4().hex}"


class CaseStepAttachment(models.Model):
    """A file recorded with a step (minutes of a meeting, a photo, a signed notice)."""

    step = models.ForeignKey(CaseStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=step_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("step attachment")
        verbose_name_plural = _("step attachments")

    def __str__(self):
        return self.original_name


class LetterKind(models.TextChoices):
    """一函两书."""

    OPINION = "opinion", _("Letter of opinion on founding a union")
    SUPERVISION_OPINION = "sup_opinion", _("Legal supervision and inspection opinion on founding a union")
    SUPERVISION_PROPOSAL = "sup_proposal", _("Legal supervision and inspection proposal on founding a union")


def letter_file_path(instance, filename):
    return f"letters/{instance.case_id}/{uuid.uuid4().hex}.docx"


class Letter(models.Model):
    """An issued letter, kept as it was issued: re-issuing gives a new number and a new file."""

    case = models.ForeignKey(OrganisingCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=12, choices=LetterKind.choices)
    issuing_unit = models.ForeignKey(
        "unions.UnionOrg", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    # 发文字号, e.g. 拉工函〔2019〕12号
    number = models.CharField(_("document number"), max_length=40)
    issued_on = models.DateField(_("date issued"))
    file = models.FileField(_("file"), upload_to=letter_file_path)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "year", "serial"], name="letter_serial_per_unit_and_year")
        ]

    def __str__(self):
        return self.number


class LetterCounter(models.Model):
    """The last serial number a unit gave its letters in a year; taken under a row lock."""

    unit = models.ForeignKey("unions.UnionOrg", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial number"), default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="letter_counter_per_unit_and_year")]

    def __str__(self):
        return f"{self.unit_id} {self.year}: {self.last_serial}"
