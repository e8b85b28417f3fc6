"""Online join applications (网上入会): what an applicant sent from the public form, and each step it took.

The applicant has no account. They find their application again with its number, the last four digits of
their ID number and their phone; the number is random, so it tells nothing about any other application.
The ID and phone numbers are kept as on the rolls: encrypted, with a blind index and masks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.ethnicity import ETHNICITIES
from members.fields import EncryptedTextField
from members.models import PersonalNumbers
from unions.models import scoped


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    # The applicant already holds a current membership elsewhere: the old union issues a transfer certificate.
    TRANSFER = "transfer", _("Already a member: transfer requested")


# An ID number has at most one application in these states at a time.
OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.TRANSFER)


class JoinApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The door to applications: the staff of the union that takes one, and of the units above it."""
        return scoped(self, user, "union__path")

    def waiting(self):
        return self.filter(status=ApplicationStatus.SUBMITTED)

    def open(self):
        return self.filter(status__in=OPEN_APPLICATION_STATUSES)

    def without_secrets(self):
        return self.defer("id_number", "phone")


class JoinApplication(PersonalNumbers, models.Model):
    number = models.CharField(_("application number"), max_length=16, unique=True, editable=False)
    union = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("union taking the application"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    employer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    # The workplace as the applicant named it, when it has no union or is not in the registry.
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=50)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES)
    id_number = EncryptedTextField(_("resident ID number"))
    id_index = models.CharField(_("ID number index"), max_length=64, editable=False)
    id_masked = models.CharField(_("resident ID number"), max_length=18, editable=False)
    phone = EncryptedTextField(_("phone"))
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False)
    rural_household = models.BooleanField(
        _("rural household registration"), default=False, help_text=_("Farming or herding household registration.")
    )
    household_place = models.CharField(_("place of household registration"), max_length=100)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("version of the consent text"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    # The reason of the last return or rejection, which the applicant reads on the status page.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    card_number = models.CharField(_("member card number"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # The last time the applicant or the union did anything with it: reminders count from here.
    touched_at = models.DateTimeField(_("last step at"), db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = JoinApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")
        indexes = [models.Index(fields=["union", "status"], name="join_application_union_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_index"],
                condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="one_open_application_per_id",
                violation_error_message=_("An application with this ID number is already being handled."),
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(workplace=""),
                name="join_application_names_a_workplace",
                violation_error_message=_("Choose your employer or name your workplace."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_open(self):
        return self.status in OPEN_APPLICATION_STATUSES


class ApplicationTransition(models.Model):
    """One row per step of an application; `by` is empty where the applicant took the step."""

    application = models.ForeignKey(
        JoinApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self):
        return f"{self.application_id} {self.from_status} → {self.to_status}"
