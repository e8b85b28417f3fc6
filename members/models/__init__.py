"""People on a real-name basis and their memberships.

Every read for a person goes through `visible_to(user)`: a person is seen by the staff of the union
that holds their current (or last) membership and of the units above it. The resident ID number and
the phone are encrypted; `id_index` (a keyed HMAC) makes the number unique and searchable, and
`id_masked`/`phone_masked` are what lists and default exports show.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import crypto
from members.ethnicity import ETHNICITIES
from members.fields import EncryptedTextField
from members.idnumbers import birth_date_of, mask_id, mask_phone, normalise_id, normalise_phone
from unions.models import scoped


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


def id_index_of(value):
    """The blind index of an ID number as typed (normalised first); ValidationError if it is no valid number."""
    return crypto.blind_index(normalise_id(value))


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.sees_everything:
            return self
        memberships = Membership.objects.visible_to(user).filter(person=OuterRef("pk"))
        return self.filter(Exists(memberships))

    def with_id_number(self, value):
        """The person with this exact ID number (typed in any accepted form), through the blind index."""
        return self.filter(id_index=id_index_of(value))

    def without_secrets(self):
        """For lists: the encrypted columns are not read, so nothing is decrypted."""
        return self.defer("id_number", "phone")


class PersonalNumbers:
    """A typed ID number and phone kept as the rolls keep them: normalised and encrypted, with the blind index that
    finds the number and the masks that lists show."""

    def set_id_number(self, value):
        number = normalise_id(value)
        self.id_number = number
        self.id_index = crypto.blind_index(number)
        self.id_masked = mask_id(number)
        return number

    def set_phone(self, value):
        phone = normalise_phone(value)
        self.phone = phone
        self.phone_masked = mask_phone(phone)


class Person(PersonalNumbers, models.Model):
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES)
    id_number = EncryptedTextField(_("resident ID number"))
    id_index = models.CharField(_("ID number index"), max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("resident ID number"), max_length=18, editable=False)
    birth_date = models.DateField(_("date of birth"), editable=False)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, default="", editable=False)
    rural_household = models.BooleanField(
        _("rural household registration"), default=False, help_text=_("Farming or herding household registration.")
    )
    migrant_worker = models.BooleanField(
        _("migrant worker"),
        default=False,
        help_text=_(
            "A worker with a rural (farming or herding) household registration who works in a non-agricultural job."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"], name="person_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(migrant_worker=False) | Q(rural_household=True),
                name="migrant_worker_has_rural_household",
                violation_error_message=_("A migrant worker has a rural household registration."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.id_masked}）"

    def set_id_number(self, value):
        """Store a typed ID number normalised, with its index, mask and birth date."""
        self.birth_date = birth_date_of(super().set_id_number(value))

    @property
    def sex_from_id(self):
        """GB 11643: the 17th digit is odd for men and even for women."""
        return Sex.MALE if int(self.id_masked[-2]) % 2 else Sex.FEMALE


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    KEPT = "kept", _("Membership kept")
    TRANSFERRED = "transferred", _("Transferred out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CURRENT_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.KEPT)


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, "union__path")

    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)


class Membership(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    union = models.ForeignKey(
        "unions.UnionOrg", verbose_name=_("union"), on_delete=models.PROTECT, related_name="memberships"
    )
    employer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_on = models.DateField(_("date joined"))
    card_number = models.CharField(_("member card number"), max_length=30, unique=True, null=True, blank=True)
    status = models.CharField(
        _("membership status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.MEMBER
    )
    ended_on = models.DateField(_("date ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_on", "-pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["union", "status"], name="membership_union_status"),
            # The list's order: its first page is read off the end of this index, not sorted from every row.
            models.Index(fields=["joined_on", "id"], name="membership_joined"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="one_current_membership_per_person",
                violation_error_message=_("This person already holds a current membership."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CURRENT_STATUSES) & Q(ended_on__isnull=True))
                | (~Q(status__in=CURRENT_STATUSES) & Q(ended_on__isnull=False)),
                name="membership_ended_on_iff_ended",
                violation_error_message=_("A membership that has ended has an end date, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("joined_on")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.union}"

    @property
    def is_current(self):
        return self.status in CURRENT_STATUSES


class MemberTally(models.Model):
    """The current memberships counted ahead: how many of one union and employer, migrant workers or not, joined
    in each year. members.tallies recounts the unions every write touches, in the same transaction."""

    union = models.ForeignKey("unions.UnionOrg", verbose_name=_("union"), on_delete=models.CASCADE, related_name="+")
    employer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    migrant_worker = models.BooleanField(_("migrant worker"))
    joined_year = models.PositiveSmallIntegerField(_("year joined"))
    count = models.PositiveIntegerField(_("members"))

    class Meta:
        verbose_name = _("member tally")
        verbose_name_plural = _("member tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "employer", "migrant_worker", "joined_year"],
                name="member_tally_unique",
            )
        ]

    def __str__(self):
        return f"{self.union_id} {self.employer_id} {self.migrant_worker} {self.joined_year}: {self.count}"


class MembershipChange(models.Model):
    """One row per change to a membership: who, when, what it was and what it became."""

    class Action(models.TextChoices):
        JOINED = "joined", _("Joined")
        CHANGED = "changed", _("Changed")
        ENDED = "ended", _("Ended")

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("Field name: [before, after]."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self):
        return f"{self.membership_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class PersonChange(models.Model):
    """One row per change to a person's record; personal numbers appear only masked."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField(_("changes"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("person change")
        verbose_name_plural = _("person changes")

    def __str__(self):
        return f"{self.person_id} {self.at:%Y-%m-%d %H:%M}"


class PersonalDataAccess(models.Model):
    """Who saw full personal numbers, when, of whom and why: every reveal and every unmasked export."""

    class Kind(models.TextChoices):
        REVEAL = "reveal", _("Revealed on screen")
        EXPORT = "export", _("Exported unmasked")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="accesses"
    )
    organisation = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For an export: the unit whose members were exported."),
    )
    rows = models.PositiveIntegerField(_("rows"), default=1)
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="personal_data_access_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class MemberImportBatch(models.Model):
    """An uploaded member list for one union: checked in full at upload, saved all at once on confirmation.

    The checked rows hold full ID and phone numbers, so they are kept encrypted like the rolls themselves,
    and emptied once the rows are saved.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        REFUSED = "refused", _("Refused: the file has errors")
        COMMITTED = "committed", pgettext_lazy("import status", "Imported")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    union = models.ForeignKey(
        "unions.UnionOrg", verbose_name=_("union"), on_delete=models.PROTECT, related_name="member_imports"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    invalid_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [row, column, value, message] for every problem found (up to a cap); values show ID numbers masked.
    errors = models.JSONField(_("errors"), default=list)
    error_total = models.PositiveIntegerField(_("errors"), default=0)
    # The checked rows as JSON, encrypted: see members.imports for their layout.
    rows = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self):
        return self.file_name


# Online join applications and transfer certificates live in their own modules; imported here so that Django
# finds their models.
from members.models.joining import (  # noqa: E402, F401
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    ApplicationTransition,
    JoinApplication,
)
from members.models.transfers import (  # noqa: E402, F401
    CERTIFICATE_VALID_DAYS,
    CertificateStatus,
    CertificateTransition,
    TransferCertificate,
)
