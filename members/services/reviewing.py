"""The union's review of online join applications: accept, reject, or return for correction.

Accepting makes the applicant a member through `enrol` (the person, the membership and the tallies in one
transaction) and issues the member card number. An applicant who already holds a current membership
elsewhere is not enrolled twice: the application becomes a transfer request, which the old union answers
with a transfer certificate. Every step writes an ApplicationTransition row that the applicant's status
page shows.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    ApplicationStatus,
    ApplicationTransition,
    JoinApplication,
    Membership,
    Person,
    PersonalDataAccess,
    Sex,
)
from members.services import MemberError, StaleMemberEdit, current_membership_of, enrol
from unions.models import Role, UnionOrg

REASON_LENGTH = ApplicationTransition._meta.get_field("reason").max_length
# A card number is tried this many times when another acceptance takes the same one at the same moment.
CARD_NUMBER_TRIES = 5


class ApplicationError(MemberError):
    """A refused step on an application, with a message fit to show the staff."""


def check_may_review(user, application):
    if not user.can_edit(application.union):
        raise ApplicationError(
            _("You may not review the applications of %(union)s.") % {"union": application.union.name}
        )


def _lock(application, version):
    locked = JoinApplication.objects.select_for_update().select_related("union").get(pk=application.pk)
    if locked.version != version:
        raise StaleMemberEdit(
            _("Someone else handled this application after you opened it. Reload the page to see what changed.")
        )
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(
            _("This application is no longer waiting for review (it is now: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def _step(application, user, to_status, reason=""):
    ApplicationTransition.objects.create(
        application=application, from_status=application.status, to_status=to_status, by=user, reason=reason
    )
    application.status = to_status
    application.reason = reason
    application.touched_at = timezone.now()
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db()
    return application


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason: the applicant reads it on the status page."))
    return reason[:REASON_LENGTH]


def application_return(user, application, *, version, reason):
    """Send the application back to the applicant to correct (say a wrong phone number)."""
    check_may_review(user, application)
    reason = _reason(reason)
    with transaction.atomic():
        return _step(_lock(application, version), user, ApplicationStatus.RETURNED, reason)


def application_reject(user, application, *, version, reason):
    check_may_review(user, application)
    reason = _reason(reason)
    with transaction.atomic():
        return _step(_lock(application, version), user, ApplicationStatus.REJECTED, reason)


def current_membership_of_applicant(application):
    """The applicant's current membership, found through the blind index, or None."""
    person = Person.objects.filter(id_index=application.id_index).first()
    return current_membership_of(person) if person else None


def application_accept(user, application, *, version, migrant_worker):
    """Make the applicant a member from today with a new card number, or, when they are already a member of
    another union, turn the application into a transfer request for that union."""
    check_may_review(user, application)
    with transaction.atomic():
        locked = _lock(application, version)
        current = current_membership_of_applicant(locked)
        if current is not None:
            return _already_a_member(user, locked, current)
        membership = _enrol_with_card(user, locked, migrant_worker)
        locked.membership = membership
        locked.card_number = membership.card_number
        return _step(locked, user, ApplicationStatus.ACCEPTED)


def _already_a_member(user, application, current):
    if current.union_id == application.union_id:
        raise ApplicationError(
            _("%(name)s is already a member of this union (card %(card)s): reject the application instead.")
            % {"name": current.person.name, "card": current.card_number or "—"}
        )
    reason = _(
        "Already a member of %(union)s since %(date)s: that union issues a transfer certificate to move the "
        "membership here."
    ) % {"union": current.union.name, "date": current.joined_on.isoformat()}
    return _step(application, user, ApplicationStatus.TRANSFER, reason[:REASON_LENGTH])


def _enrol_with_card(user, application, migrant_worker):
    """Enrol the applicant with the next card number of their county and year; a number taken at the same
    moment by another acceptance is followed by the next one."""
    today = timezone.localdate()
    number = application.id_number
    for _attempt in range(CARD_NUMBER_TRIES):
        card = next_card_number(application.union, today.year)
        try:
            with transaction.atomic():
                return enrol(
                    user,
                    union=application.union,
                    name=application.name,
                    sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
                    ethnicity=application.ethnicity,
                    id_number=number,
                    phone=application.phone,
                    rural_household=application.rural_household,
                    migrant_worker=migrant_worker and application.rural_household,
                    employer=application.employer,
                    joined_on=today,
                    card_number=card,
                )
        except (MemberError, IntegrityError):
            if not Membership.objects.filter(card_number=card).exists():
                raise
    raise ApplicationError(_("No free member card number was found. Try again."))


def card_prefix(union, year):
    """会员证号: the division code of the union's county (or prefecture), the year, then a serial number."""
    codes = [union.code, *(org.code for org in reversed(union.ancestors()))]
    kinds = dict(UnionOrg.objects.filter(code__in=codes).values_list("code", "kind"))
    place_kinds = {UnionOrg.Kind.COUNTY_FEDERATION, UnionOrg.Kind.PREFECTURE_FEDERATION}
    place = next((code for code in codes if kinds.get(code) in place_kinds), "540000")
    return f"{place}{year}"


def next_card_number(union, year):
    """The serial after the highest of the prefix, read off the card numbers' unique index as a range."""
    prefix = card_prefix(union, year)
    taken = (
        Membership.objects.filter(card_number__gte=f"{prefix}000000", card_number__lte=f"{prefix}999999")
        .order_by("-card_number")
        .values_list("card_number", flat=True)[:20]
    )
    serials = [int(card[len(prefix) :]) for card in taken if len(card) == len(prefix) + 6 and card[-6:].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:06d}"


def may_reveal_application(user, application):
    """The data-entry staff of the union taking the application, or of a unit above it, may call the applicant."""
    return (
        user.role == Role.STAFF and user.organisation_id is not None and application.union.is_within(user.organisation)
    )


def application_reveal(user, application, reason):
    """The applicant's full ID and phone numbers, for a logged reason (say, to call them)."""
    if not may_reveal_application(user, application):
        raise ApplicationError(_("Only the staff of the union taking the application may see the full numbers."))
    reason = (reason or "").strip()
    if not reason:
        raise MemberError(_("Say why you need the full numbers."))
    PersonalDataAccess.objects.create(
        kind=PersonalDataAccess.Kind.REVEAL,
        user=user,
        organisation=application.union,
        reason=f"{application.number}: {reason}"[:200],
    )
    return {"id_number": application.id_number, "phone": application.phone}
