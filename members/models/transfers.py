"""Transfer certificates (会员组织关系接转凭证): a member moves from one union to another by a numbered paper.

The old union issues the certificate; the membership stays where it is until a union receives it with the
number and the verification code printed on it. Receiving ends the old membership and starts the new one in
one transaction, so the member is counted in exactly one union at every moment. A certificate not received
within its validity expires, and one not yet received can be cancelled by the union that issued it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unions.models import scoped

# How long a certificate may wait for its receiving union.
CERTIFICATE_VALID_DAYS = 90


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, waiting to be received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class TransferCertificateQuerySet(models.QuerySet):
    def outgoing_for(self, user):
        """Certificates issued by a union in the user's area."""
        return scoped(self, user, "from_union__path")

    def incoming_for(self, user):
        """Certificates addressed to, or received by, a union in the user's area."""
        addressed = scoped(self, user, "to_union__path")
        received = scoped(self, user, "received_union__path")
        return self.filter(Q(pk__in=addressed.values("pk")) | Q(pk__in=received.values("pk")))

    def waiting(self):
        return self.filter(status=CertificateStatus.ISSUED)


class TransferCertificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=20, unique=True, editable=False)
    verification_code = models.CharField(_("verification code"), max_length=8, editable=False)
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="certificates"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("membership transferred"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    from_union = models.ForeignKey(
        "unions.UnionOrg", verbose_name=_("from"), on_delete=models.PROTECT, related_name="certificates_out"
    )
    # May be left blank: the member does not yet know where they will work.
    to_union = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates_in",
    )
    reason = models.CharField(_("reason for the transfer"), max_length=200, blank=True)
    issued_on = models.DateField(_("date issued"))
    expires_on = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ISSUED
    )
    received_union = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates_received",
    )
    received_on = models.DateField(_("date received"), null=True, blank=True)
    new_membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("new membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The online application that asked for this transfer, when there was one.
    application = models.ForeignKey(
        "members.JoinApplication",
        verbose_name=_("join application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = TransferCertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("transfer certificate")
        verbose_name_plural = _("transfer certificates")
        indexes = [models.Index(fields=["status", "expires_on"], name="certificate_status_expiry")]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status="issued"),
                name="one_waiting_certificate_per_membership",
                violation_error_message=_("A transfer certificate for this membership is already waiting."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="received")
                    & Q(received_union__isnull=False)
                    & Q(received_on__isnull=False)
                    & Q(new_membership__isnull=False)
                )
                | (~Q(status="received") & Q(new_membership__isnull=True)),
                name="certificate_received_iff_new_membership",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_waiting(self):
        return self.status == CertificateStatus.ISSUED


class CertificateTransition(models.Model):
    """One row per step of a certificate: issued, received, cancelled, expired (by is empty for expiry)."""

    certificate = models.ForeignKey(
        TransferCertificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=CertificateStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate step")
        verbose_name_plural = _("certificate steps")

    def __str__(self):
        return f"{self.certificate_id} {self.from_status} → {self.to_status}"
