"""Writes to the member rolls: each checks, runs in one transaction and leaves a history row.

Personal numbers reach the history and the messages only masked.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from members import tallies
from members.models import (
    CURRENT_STATUSES,
    CertificateStatus,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
    PersonalDataAccess,
    PersonChange,
)
from unions.models import Role, UnionOrg

# The unions that hold members: township and street unions and grassroots unions.
MEMBER_HOLDING_KINDS = (UnionOrg.Kind.TOWNSHIP_UNION, UnionOrg.Kind.GRASSROOTS_UNION)
PERSON_FIELDS = ["name", "sex", "ethnicity", "rural_household", "migrant_worker"]


class MemberError(Exception):
    """A refused change, with a message fit to show the user."""


class StaleMemberEdit(MemberError):
    pass


def already_a_member_message(membership):
    return _("%(name)s is already a member of %(union)s (since %(date)s).") % {
        "name": membership.person.name,
        "union": membership.union.name,
        "date": membership.joined_on.isoformat(),
    }


def current_membership_of(person):
    return person.memberships.current().select_related("union", "person").first() if person.pk else None


def check_union_holds_members(union):
    if union.kind not in MEMBER_HOLDING_KINDS:
        raise MemberError(
            _("Members belong to a township, street or grassroots union, not to %(union)s.") % {"union": union.name}
        )


def _check_may_write(user, union):
    if not user.can_edit(union):
        raise MemberError(_("You may not change the members of %(union)s.") % {"union": union.name})


def enrol(
    user,
    *,
    union,
    name,
    sex,
    ethnicity,
    id_number,
    phone="",
    rural_household=False,
    migrant_worker=False,
    employer=None,
    joined_on,
    card_number=None,
):
    """Make a person a member of `union`: a new person, or one known by the blind index with no current membership."""
    _check_may_write(user, union)
    check_union_holds_members(union)
    probe = Person()
    probe.set_id_number(id_number)
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(id_index=probe.id_index).first()
            if person is None:
                person = probe
            current = current_membership_of(person)
            if current is not None:
                raise MemberError(already_a_member_message(current))
            before = _person_snapshot(person) if person.pk else {}
            person.name, person.sex, person.ethnicity = name, sex, ethnicity
            person.rural_household, person.migrant_worker = rural_household, migrant_worker
            person.set_phone(phone)
            person.full_clean(exclude=["id_number", "phone"], validate_unique=False, validate_constraints=True)
            person.save()
            _record_person_change(user, person, before)
            membership = Membership.objects.create(
                person=person, union=union, employer=employer, joined_on=joined_on, card_number=card_number or None
            )
            MembershipChange.objects.create(
                membership=membership,
                action=MembershipChange.Action.JOINED,
                by=user,
                changes=_membership_snapshot(membership, blank=True),
            )
            tallies.recount([union.pk])
    except IntegrityError as exc:
        raise _integrity_message(probe, card_number) from exc
    return membership


def _integrity_message(probe, card_number):
    """Two clerks at once, or a double click: say which rule the database kept."""
    existing = Person.objects.filter(id_index=probe.id_index).first()
    current = current_membership_of(existing) if existing else None
    if current is not None:
        return MemberError(already_a_member_message(current))
    if card_number and Membership.objects.filter(card_number=card_number).exists():
        return MemberError(_("Member card number %(number)s is already in use.") % {"number": card_number})
    return MemberError(_("The member could not be saved because someone changed it at the same time. Try again."))


def _person_snapshot(person):
    snapshot = {field: _shown(person, field) for field in PERSON_FIELDS}
    snapshot["id_number"] = person.id_masked
    snapshot["phone"] = person.phone_masked
    return snapshot


def _shown(obj, field):
    value = getattr(obj, field)
    display = getattr(obj, f"get_{field}_display", None)
    if display:
        return str(display())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    return str(value)


def _record_person_change(user, person, before):
    after = _person_snapshot(person)
    changes = {
        field: [before.get(field, ""), value] for field, value in after.items() if before.get(field, "") != value
    }
    if changes:
        PersonChange.objects.create(person=person, by=user, changes=changes)


MEMBERSHIP_FIELDS = ["union", "employer", "joined_on", "card_number", "status", "ended_on", "end_reason"]


def _membership_snapshot(membership, blank=False):
    return {
        field: (["", _shown(membership, field)] if blank else _shown(membership, field))
        for field in MEMBERSHIP_FIELDS
        if not blank or _shown(membership, field)
    }


def _lock(model, obj, version):
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if locked.version != version:
        raise StaleMemberEdit(
            _("Someone else changed this record after you opened it. Reload the page to see their changes.")
        )
    return locked


def update_person(user, person, *, version, **fields):
    """Change a person's details; `id_number` and `phone`, when given, are typed values."""
    membership = current_membership_of(person) or person.memberships.select_related("union").first()
    if membership is not None:
        _check_may_write(user, membership.union)
    with transaction.atomic():
        locked = _lock(Person, person, version)
        before = _person_snapshot(locked)
        if "id_number" in fields:
            locked.set_id_number(fields.pop("id_number"))
        if "phone" in fields:
            locked.set_phone(fields.pop("phone"))
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.version = F("version") + 1
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise MemberError(_("Another person already has this ID number.")) from exc
        locked.refresh_from_db()
        _record_person_change(user, locked, before)
        tallies.recount(locked.memberships.current().values_list("union_id", flat=True))
    return locked


def update_membership(user, membership, *, version, employer, joined_on, card_number):
    _check_may_write(user, membership.union)
    with transaction.atomic():
        locked = _lock(Membership, membership, version)
        before = _membership_snapshot(locked)
        locked.employer, locked.joined_on, locked.card_number = employer, joined_on, card_number or None
        locked.version = F("version") + 1
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise MemberError(_("Member card number %(number)s is already in use.") % {"number": card_number}) from exc
        locked.refresh_from_db()
        _record_membership_change(user, locked, before, MembershipChange.Action.CHANGED)
        tallies.recount([locked.union_id])
    return locked


def set_status(user, membership, *, version, status, ended_on=None, reason=""):
    """Keep, end or restore a membership; an ended one carries its date and reason, a kept one (a member who
    retired or lost their job) its reason in the history."""
    _check_may_write(user, membership.union)
    ending = status not in CURRENT_STATUSES
    if ending and not (ended_on and reason.strip()):
        raise MemberError(_("Ending a membership needs the date and the reason."))
    with transaction.atomic():
        locked = _lock(Membership, membership, version)
        if not locked.is_current and status in CURRENT_STATUSES:
            other = current_membership_of(locked.person)
            if other is not None:
                raise MemberError(already_a_member_message(other))
        if ended_on and ended_on < locked.joined_on:
            raise MemberError(_("A membership cannot end before it starts."))
        if ending and locked.certificates.filter(status=CertificateStatus.ISSUED).exists():
            raise MemberError(
                _("A transfer certificate for this membership is waiting to be received: cancel it first.")
            )
        before = _membership_snapshot(locked)
        locked.status = status
        locked.ended_on = ended_on if ending else None
        locked.end_reason = reason.strip() if ending else ""
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        action = MembershipChange.Action.ENDED if ending else MembershipChange.Action.CHANGED
        note = reason.strip() if status == MembershipStatus.KEPT else ""
        _record_membership_change(user, locked, before, action, note=note)
        tallies.recount([locked.union_id])
    return locked


def _record_membership_change(user, membership, before, action, note=""):
    after = _membership_snapshot(membership)
    changes = {field: [before[field], value] for field, value in after.items() if before[field] != value}
    if changes:
        MembershipChange.objects.create(membership=membership, action=action, by=user, changes=changes, note=note[:200])


def may_reveal(user, membership):
    """Only the data-entry staff of the member's union, or of a unit above it, see full numbers."""
    return (
        membership is not None
        and user.role == Role.STAFF
        and user.organisation_id is not None
        and membership.union.is_within(user.organisation)
    )


def reveal(user, person, reason):
    """The full ID and phone numbers, for a logged reason."""
    membership = current_membership_of(person) or person.memberships.select_related("union").first()
    if not may_reveal(user, membership):
        raise MemberError(_("Only the staff of the member's union or of a unit above it may see the full numbers."))
    reason = (reason or "").strip()
    if not reason:
        raise MemberError(_("Say why you need the full numbers."))
    PersonalDataAccess.objects.create(kind=PersonalDataAccess.Kind.REVEAL, user=user, person=person, reason=reason)
    return {"id_number": person.id_number, "phone": person.phone}


__all__ = [
    "MEMBER_HOLDING_KINDS",
    "MemberError",
    "MembershipStatus",
    "StaleMemberEdit",
    "enrol",
    "may_reveal",
    "reveal",
    "set_status",
    "update_membership",
    "update_person",
]
