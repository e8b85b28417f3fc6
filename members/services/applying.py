"""What the applicant does with an online join application (网上入会): send it, find it again, correct it.

The applicant has no account: each step is written with `by=None`. The union staff's steps (accept, return,
reject) are members.services.reviewing's.
"""

import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import UnionCoverage
from members import crypto
from members.idnumbers import normalise_phone
from members.models import ApplicationStatus, ApplicationTransition, JoinApplication
from unions.models import UnionOrg

# An application number: a fixed prefix and ten characters drawn at random from an alphabet without the
# look-alikes 0/O and 1/I/L, so that it can be read out and typed back, and tells nothing about others.
NUMBER_PREFIX = "RH"
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_LENGTH = 10
# The version of the consent text the applicant agreed to (templates/join/_consent.html); a change of the text
# gets a new version.
CONSENT_VERSION = "2026-12-v1"

APPLICANT_FIELDS = ["name", "ethnicity", "rural_household", "household_place", "employer", "workplace"]


class ApplicationError(Exception):
    """A refused step, with a message fit to show the applicant."""


class DuplicateApplication(ApplicationError):
    pass


class StaleApplication(ApplicationError):
    pass


def new_application_number():
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def covering_union(employer):
    """The grassroots union that covers the employer now, or None."""
    if employer is None:
        return None
    coverage = UnionCoverage.objects.open().filter(enterprise=employer).select_related("union").first()
    return coverage.union if coverage else None


def union_taking(employer, township_union):
    """Who takes the application: the employer's grassroots union, else the township or street union chosen."""
    union = covering_union(employer)
    if union is not None:
        return union
    if township_union is None or township_union.kind != UnionOrg.Kind.TOWNSHIP_UNION:
        raise ApplicationError(_("Choose the township or street union of the place where you work."))
    return township_union


def _check_workplace(employer, workplace):
    if employer is None and not (workplace or "").strip():
        raise ApplicationError(_("Choose your employer or write the name of your workplace."))


def _duplicate_message():
    return _(
        "An application with this ID number is already being handled. Look it up with its number on the status page."
    )


def application_submit(
    *,
    name,
    id_number,
    phone,
    ethnicity,
    rural_household,
    household_place,
    consent,
    employer=None,
    workplace="",
    township_union=None,
):
    """Store a new application, waiting for review by the union that takes it, with its first step."""
    if not consent:
        raise ApplicationError(_("Agree to the processing of your personal information to send the application."))
    _check_workplace(employer, workplace)
    union = union_taking(employer, township_union)
    now = timezone.now()
    application = JoinApplication(
        union=union,
        employer=employer,
        workplace=(workplace or "").strip(),
        name=name.strip(),
        ethnicity=ethnicity,
        rural_household=rural_household,
        household_place=household_place.strip(),
        consent_at=now,
        consent_version=CONSENT_VERSION,
        status=ApplicationStatus.SUBMITTED,
        touched_at=now,
    )
    application.set_id_number(id_number)
    application.set_phone(phone)
    for _attempt in range(3):
        application.number = new_application_number()
        try:
            with transaction.atomic():
                application.save(force_insert=True)
                ApplicationTransition.objects.create(
                    application=application, from_status="", to_status=ApplicationStatus.SUBMITTED, by=None
                )
            return application
        except IntegrityError:
            application.pk = None
            if JoinApplication.objects.open().filter(id_index=application.id_index).exists():
                raise DuplicateApplication(_duplicate_message()) from None
    raise ApplicationError(_("The application could not be stored. Please send it again."))


# Compared against when no application has the number, so that an unknown number takes as long as a wrong pair.
_NOBODY = "\x00" * 16


def _secret_of(last4, phone):
    return f"{last4}|{phone}".encode()


def application_find(number, id_last4, phone):
    """The application with this number whose ID number ends in `id_last4` and whose phone is `phone`, else None.

    An unknown number and a wrong pair give the same None, after the same work."""
    number = (number or "").strip().upper()
    given_last4 = (id_last4 or "").strip().upper()
    try:
        given_phone = normalise_phone(phone)
    except Exception:  # noqa: BLE001 - a malformed phone is simply not the stored one
        given_phone = (phone or "").strip()
    application = (
        JoinApplication.objects.filter(number=number).select_related("union").first() if len(number) <= 16 else None
    )
    if application is not None:
        expected = _secret_of(application.id_masked[-4:], application.phone)
    else:
        crypto.decrypt(crypto.encrypt(_NOBODY))
        expected = _secret_of(_NOBODY, _NOBODY)
    matches = hmac.compare_digest(expected, _secret_of(given_last4, given_phone))
    return application if application is not None and matches else None


def application_correct(
    application,
    *,
    version,
    name,
    phone,
    ethnicity,
    rural_household,
    household_place,
    employer=None,
    workplace="",
    township_union=None,
):
    """The applicant's corrections to a returned application, which goes back to the union for review."""
    _check_workplace(employer, workplace)
    union = union_taking(employer, township_union)
    with transaction.atomic():
        current = JoinApplication.objects.select_for_update().get(pk=application.pk)
        if current.status != ApplicationStatus.RETURNED:
            raise ApplicationError(_("Only an application returned for correction can be corrected."))
        if current.version != version:
            raise StaleApplication(
                _("The application has changed since you opened it. Look it up again and make your corrections.")
            )
        current.name = name.strip()
        current.ethnicity = ethnicity
        current.rural_household = rural_household
        current.household_place = household_place.strip()
        current.employer = employer
        current.workplace = (workplace or "").strip()
        current.union = union
        current.set_phone(phone)
        current.status = ApplicationStatus.SUBMITTED
        current.reason = ""
        current.touched_at = timezone.now()
        current.version += 1
        current.save()
        ApplicationTransition.objects.create(
            application=current,
            from_status=ApplicationStatus.RETURNED,
            to_status=ApplicationStatus.SUBMITTED,
            by=None,
        )
    return current
