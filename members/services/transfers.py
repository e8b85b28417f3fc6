"""Transfer certificates (会员组织关系接转凭证): issue, receive, cancel, expire.

Issuing leaves the membership where it is, so the member is still counted at the old union. Receiving ends the
old membership and starts the new one in one transaction, with the certificate locked first, so two clerks typing
the same number at once end with one new membership; both unions' tallies are recounted in that transaction.
"""

import datetime
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.throttles import Throttle
from members import tallies
from members.models import (
    CERTIFICATE_VALID_DAYS,
    CURRENT_STATUSES,
    ApplicationStatus,
    ApplicationTransition,
    CertificateStatus,
    CertificateTransition,
    JoinApplication,
    Membership,
    MembershipChange,
    MembershipStatus,
    TransferCertificate,
)
from members.services import (
    MemberError,
    StaleMemberEdit,
    check_union_holds_members,
)

NUMBER_PREFIX = "JZ"
NUMBER_ATTEMPTS = 5
# Wrong codes (or unknown numbers) one account may type before it must wait: a six-digit code is not guessed.
CODE_GUESSES = Throttle(scope="transfer_code", limit=10, window=datetime.timedelta(hours=1))


class TransferError(MemberError):
    """A refused step of a transfer certificate, with a message fit to show the user."""


class StaleCertificate(TransferError, StaleMemberEdit):
    """The certificate changed after the page was opened."""


def _unknown_certificate():
    return TransferError(_("No waiting certificate has this number and verification code."))


def new_number(today):
    return f"{NUMBER_PREFIX}{today.year}{secrets.randbelow(10**8):08d}"


def new_verification_code():
    return f"{secrets.randbelow(10**6):06d}"


def _transition(certificate, from_status, user, note=""):
    CertificateTransition.objects.create(
        certificate=certificate, from_status=from_status, to_status=certificate.status, by=user, note=note[:200]
    )


def _membership_note(membership, user, note):
    MembershipChange.objects.create(
        membership=membership, action=MembershipChange.Action.CHANGED, by=user, changes={}, note=note[:200]
    )


def _check_may_edit(user, union):
    if not user.can_edit(union):
        raise TransferError(_("You may not change the members of %(union)s.") % {"union": union.name})


def _check_application(application, membership, to_union):
    if application is None:
        return
    if application.status != ApplicationStatus.TRANSFER or application.id_index != membership.person.id_index:
        raise TransferError(_("This application does not ask for a transfer of this member."))
    if to_union is None or application.union_id != to_union.pk:
        raise TransferError(_("The certificate goes to the union that took the application."))


def certificate_issue(user, membership, *, to_union=None, reason="", application=None):
    """A certificate for a current membership; the member stays counted at their union until it is received."""
    _check_may_edit(user, membership.union)
    if to_union is not None:
        check_union_holds_members(to_union)
        if to_union.pk == membership.union_id:
            raise TransferError(_("The member already belongs to %(union)s.") % {"union": to_union.name})
    _check_application(application, membership, to_union)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            locked = Membership.objects.select_for_update().select_related("person", "union").get(pk=membership.pk)
            if locked.status not in CURRENT_STATUSES:
                raise TransferError(_("Only a current membership can be transferred."))
            if TransferCertificate.objects.waiting().filter(membership=locked).exists():
                raise _already_waiting()
            certificate = TransferCertificate.objects.create(
                number=_free_number(today),
                verification_code=new_verification_code(),
                person=locked.person,
                membership=locked,
                from_union=locked.union,
                to_union=to_union,
                reason=reason.strip()[:200],
                issued_on=today,
                expires_on=today + datetime.timedelta(days=CERTIFICATE_VALID_DAYS),
                issued_by=user,
                application=application,
            )
            _transition(certificate, "", user, certificate.reason)
            _membership_note(
                locked, user, _("Transfer certificate %(number)s issued.") % {"number": certificate.number}
            )
    except IntegrityError as exc:
        raise _already_waiting() from exc
    return certificate


def _already_waiting():
    return TransferError(_("A transfer certificate for this membership is already waiting."))


def _free_number(today):
    for _attempt in range(NUMBER_ATTEMPTS):
        number = new_number(today)
        if not TransferCertificate.objects.filter(number=number).exists():
            return number
    raise TransferError(_("No certificate number could be found. Try again."))


class _WrongCode(Exception):
    pass


def certificate_receive(user, *, number, code, union, employer=None):
    """Receive a certificate at `union`: the old membership ends, the new one starts, in one transaction."""
    _check_may_edit(user, union)
    check_union_holds_members(union)
    key = f"user:{user.pk}"
    if CODE_GUESSES.blocks(key):
        raise TransferError(
            _("Too many wrong certificate numbers or codes. Try again in %(minutes)s minutes.")
            % {"minutes": CODE_GUESSES.retry_after_minutes(key)}
        )
    try:
        with transaction.atomic():
            membership = _receive(user, (number or "").strip().upper(), (code or "").strip(), union, employer)
    except _WrongCode:
        # Counted outside the refused transaction, so that the count stays.
        CODE_GUESSES.hit(key)
        raise _unknown_certificate() from None
    except IntegrityError as exc:
        raise TransferError(
            _("The certificate could not be received because someone changed the member at the same time. Try again.")
        ) from exc
    return membership


def _receive(user, number, code, union, employer):
    certificate = TransferCertificate.objects.select_for_update().filter(number=number).first() if number else None
    if certificate is None or not hmac.compare_digest(certificate.verification_code.encode(), code.encode()):
        raise _WrongCode
    _check_receivable(certificate, union)
    today = timezone.localdate()
    old = Membership.objects.select_for_update().select_related("union").get(pk=certificate.membership_id)
    if old.status not in CURRENT_STATUSES:
        raise TransferError(_("The membership on this certificate has already ended."))
    new = _move_membership(user, certificate, old, union, employer, today)
    certificate.status = CertificateStatus.RECEIVED
    certificate.received_union, certificate.received_on, certificate.new_membership = union, today, new
    certificate.version = F("version") + 1
    certificate.save()
    _transition(certificate, CertificateStatus.ISSUED, user)
    if certificate.application_id:
        _accept_application(user, certificate.application_id, new)
    tallies.recount([old.union_id, union.pk])
    return new


def _check_receivable(certificate, union):
    if certificate.status == CertificateStatus.RECEIVED:
        raise TransferError(
            _("Certificate %(number)s has already been received by %(union)s.")
            % {"number": certificate.number, "union": certificate.received_union.name}
        )
    if certificate.status == CertificateStatus.CANCELLED:
        raise TransferError(_("Certificate %(number)s was cancelled.") % {"number": certificate.number})
    if certificate.status == CertificateStatus.EXPIRED or certificate.expires_on < timezone.localdate():
        raise TransferError(
            _("Certificate %(number)s expired on %(date)s. The member asks the old union for a new one.")
            % {"number": certificate.number, "date": certificate.expires_on.isoformat()}
        )
    if certificate.from_union_id == union.pk:
        raise TransferError(_("The member already belongs to %(union)s.") % {"union": union.name})
    if certificate.to_union_id is not None and certificate.to_union_id != union.pk:
        raise TransferError(
            _("Certificate %(number)s is addressed to %(union)s.")
            % {"number": certificate.number, "union": certificate.to_union.name}
        )


def _move_membership(user, certificate, old, union, employer, today):
    card_number = old.card_number
    note = _("Transferred by certificate %(number)s.") % {"number": certificate.number}
    ended = {
        "status": [old.get_status_display(), str(MembershipStatus.TRANSFERRED.label)],
        "ended_on": ["", today.isoformat()],
    }
    if card_number:
        ended["card_number"] = [card_number, ""]
    # The card number is unique: it leaves the old membership before the new one takes it.
    Membership.objects.filter(pk=old.pk).update(
        status=MembershipStatus.TRANSFERRED,
        ended_on=max(today, old.joined_on),
        end_reason=note[:200],
        card_number=None,
        version=F("version") + 1,
    )
    MembershipChange.objects.create(
        membership=old, action=MembershipChange.Action.ENDED, by=user, changes=ended, note=note[:200]
    )
    new = Membership.objects.create(
        person_id=old.person_id, union=union, employer=employer, joined_on=old.joined_on, card_number=card_number
    )
    joined = {"union": ["", union.name], "joined_on": ["", old.joined_on.isoformat()]}
    if card_number:
        joined["card_number"] = ["", card_number]
    if employer is not None:
        joined["employer"] = ["", employer.name]
    received = _("Received by certificate %(number)s from %(union)s.") % {
        "number": certificate.number,
        "union": old.union.name,
    }
    MembershipChange.objects.create(
        membership=new, action=MembershipChange.Action.JOINED, by=user, changes=joined, note=received[:200]
    )
    return new


def _accept_application(user, application_id, membership):
    application = JoinApplication.objects.select_for_update().get(pk=application_id)
    if application.status != ApplicationStatus.TRANSFER:
        return
    application.status = ApplicationStatus.ACCEPTED
    application.membership = membership
    application.card_number = membership.card_number or ""
    application.touched_at = timezone.now()
    application.version = F("version") + 1
    application.save()
    ApplicationTransition.objects.create(
        application=application, from_status=ApplicationStatus.TRANSFER, to_status=ApplicationStatus.ACCEPTED, by=user
    )


def certificate_cancel(user, certificate, *, version, reason):
    """The issuing union withdraws a certificate nobody has received yet."""
    _check_may_edit(user, certificate.from_union)
    reason = (reason or "").strip()
    if not reason:
        raise TransferError(_("Say why the certificate is cancelled."))
    with transaction.atomic():
        locked = TransferCertificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.version != version:
            raise StaleCertificate(
                _("Someone else changed this certificate after you opened it. Reload the page to see their changes.")
            )
        if locked.status != CertificateStatus.ISSUED:
            raise TransferError(
                _("Only a certificate waiting to be received can be cancelled; this one is: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status = CertificateStatus.CANCELLED
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        _transition(locked, CertificateStatus.ISSUED, user, reason)
        _membership_note(
            locked.membership, user, _("Transfer certificate %(number)s cancelled.") % {"number": locked.number}
        )
    return locked


def certificates_expire(today=None):
    """Mark every waiting certificate past its last valid day as expired; running it again does nothing again."""
    today = today or timezone.localdate()
    expired = 0
    for pk in list(TransferCertificate.objects.waiting().filter(expires_on__lt=today).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = TransferCertificate.objects.filter(pk=pk, status=CertificateStatus.ISSUED).update(
                status=CertificateStatus.EXPIRED, version=F("version") + 1
            )
            if claimed:
                certificate = TransferCertificate.objects.get(pk=pk)
                _transition(certificate, CertificateStatus.ISSUED, None)
                expired += 1
    return expired


__all__ = [
    "CODE_GUESSES",
    "StaleCertificate",
    "TransferError",
    "certificate_cancel",
    "certificate_issue",
    "certificate_receive",
    "certificates_expire",
]
