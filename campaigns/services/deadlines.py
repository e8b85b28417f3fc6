"""Each unit's deadline in force, and the extensions that move it: asked for by the unit, granted or refused by the
organisation department, or granted by it directly. Every request's change of status writes a row, and the people
concerned hear of it in their bell."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from campaigns.models import (
    Extension,
    ExtensionRequest,
    ExtensionRequestTransition,
    Participation,
    Submission,
    end_of_day,
)
from campaigns.notifications import notify_extension_decided, notify_extension_requested
from campaigns.services.errors import AlreadyHandled, WorkflowError

RequestStatus = ExtensionRequest.Status
HANDED_IN = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


def latest_extension(deadline, unit):
    """The grant in force for the unit: the latest one counts, whether it moves the date later or earlier."""
    return Extension.objects.filter(deadline=deadline, unit=unit).first()


def effective_due_on(deadline, unit):
    extension = latest_extension(deadline, unit)
    return extension.due_on if extension else deadline.due_on


def due_on_given(deadline, extensions):
    """The date in force, from the unit's grants for the deadline already read (latest first, as they are kept)."""
    return extensions[0].due_on if extensions else deadline.due_on


def due_dates_in_force(deadlines, unit):
    """{deadline pk: the date in force for the unit} for many deadlines, with one query for all their extensions."""
    due = {deadline.pk: deadline.due_on for deadline in deadlines}
    granted = set()
    for extension in Extension.objects.filter(deadline__in=deadlines, unit=unit):  # the latest grant first
        if extension.deadline_id not in granted:
            granted.add(extension.deadline_id)
            due[extension.deadline_id] = extension.due_on
    return due


def has_passed(due_on, now=None):
    """Whether a day has ended (at 23:59:59, Beijing time)."""
    return (now or timezone.now()) >= end_of_day(due_on)


def is_past_due(deadline, unit, now=None):
    """Whether the deadline in force for the unit has passed (through 23:59:59 of its day, Beijing time)."""
    return has_passed(effective_due_on(deadline, unit), now)


def participation_for(deadline, unit):
    return Participation.objects.filter(campaign_id=deadline.stage.campaign_id, unit=unit).first()


def pending_request(deadline, unit):
    return ExtensionRequest.objects.filter(deadline=deadline, unit=unit, status=RequestStatus.PENDING).first()


def _check_not_handed_in(deadline, unit, message):
    if Submission.objects.filter(deadline=deadline, unit=unit, status__in=HANDED_IN).exists():
        raise WorkflowError(message)


def _check_new_date(deadline, due_on, now):
    if due_on < timezone.localdate(now):
        raise WorkflowError(_("The new date cannot be in the past."))
    if due_on <= deadline.due_on:
        raise WorkflowError(
            _("The new date must be after the original deadline, %(date)s.") % {"date": long_date(deadline.due_on)}
        )


def _record(request, *, to, user, reason="", now):
    """The request's change of status, as a row; `request.status` is still the status it had before."""
    old = "" if to == RequestStatus.PENDING else request.status
    ExtensionRequestTransition.objects.create(
        request=request, from_status=old, to_status=to, actor=user, reason=reason, at=now
    )


@transaction.atomic
def extension_request_create(deadline, unit, *, due_on, reason, user, now=None):
    """The unit's staff ask for more time, before or after the deadline; the organisation department decides."""
    now = now or timezone.now()
    if not user.is_staff_of(unit):
        raise WorkflowError(_("Only the unit's own staff may ask for an extension of its report."))
    if participation_for(deadline, unit) is None:
        raise WorkflowError(_("This unit does not report in this campaign."))
    if not reason.strip():
        raise WorkflowError(_("Say why the unit needs more time."))
    _check_not_handed_in(deadline, unit, _("This report has been handed in: it needs no extension."))
    _check_new_date(deadline, due_on, now)
    if due_on <= effective_due_on(deadline, unit):
        raise WorkflowError(
            _("The unit may already hand the report in until %(date)s: ask for a later date.")
            % {"date": long_date(effective_due_on(deadline, unit))}
        )
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                deadline=deadline, unit=unit, due_on=due_on, reason=reason.strip(), requested_by=user, requested_at=now
            )
    except IntegrityError as exc:
        raise WorkflowError(
            _("The unit's earlier request is still waiting for a decision of the organisation department.")
        ) from exc
    _record(request, to=RequestStatus.PENDING, user=user, reason=request.reason, now=now)
    notify_extension_requested(request)
    return request


def _claim(request, *, to, version, user):
    """Decide a pending request if nobody has acted on it since `version` (what the reviewer saw)."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department decides on extensions."))
    updated = ExtensionRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING, version=version).update(
        status=to, version=F("version") + 1
    )
    if not updated:
        raise AlreadyHandled(
            _("This request has already been decided by someone else. Reload the page to see the decision.")
        )


@transaction.atomic
def extension_request_grant(request, *, due_on, user, version, note="", now=None):
    """Grant a unit's request, with the date the organisation department decides (which may differ from the one
    asked for); the report reopens until then."""
    now = now or timezone.now()
    _check_not_handed_in(request.deadline, request.unit, _("This report has been handed in: it needs no extension."))
    _check_new_date(request.deadline, due_on, now)
    _claim(request, to=RequestStatus.GRANTED, version=version, user=user)
    reason = note.strip() or request.reason
    _record(
        request,
        to=RequestStatus.GRANTED,
        user=user,
        reason=_("Granted until %(date)s. %(note)s") % {"date": long_date(due_on), "note": note.strip()},
        now=now,
    )
    extension = _grant(
        request.deadline, request.unit, due_on=due_on, reason=reason, user=user, now=now, request=request
    )
    request.refresh_from_db()
    notify_extension_decided(request, extension)
    return extension


@transaction.atomic
def extension_request_refuse(request, *, reason, user, version, now=None):
    """Refuse a unit's request, saying why; the deadline in force stays as it is."""
    now = now or timezone.now()
    if not reason.strip():
        raise WorkflowError(_("Say why the request is refused."))
    _claim(request, to=RequestStatus.REFUSED, version=version, user=user)
    _record(request, to=RequestStatus.REFUSED, user=user, reason=reason.strip(), now=now)
    request.refresh_from_db()
    notify_extension_decided(request, None)
    return request


def _grant(deadline, unit, *, due_on, reason, user, now, request=None):
    return Extension.objects.create(
        deadline=deadline,
        unit=unit,
        due_on=due_on,
        reason=reason.strip(),
        granted_by=user,
        granted_at=now,
        request=request,
    )


@transaction.atomic
def extension_grant(deadline, unit, *, due_on, reason, user, now=None):
    """Reopen (or keep open) a unit's report until a later day, unasked or answering its pending request;
    recorded with who, when and why."""
    now = now or timezone.now()
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may grant extensions."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason for the extension."))
    _check_not_handed_in(
        deadline, unit, _("This report has been handed in: return it for correction instead of extending it.")
    )
    _check_new_date(deadline, due_on, now)
    request = pending_request(deadline, unit)
    if request is not None:
        return extension_request_grant(request, due_on=due_on, user=user, version=request.version, note=reason, now=now)
    extension = _grant(deadline, unit, due_on=due_on, reason=reason, user=user, now=now)
    notify_extension_decided(None, extension)
    return extension


def extension_for_correction(deadline, unit, *, due_on, user, now):
    """When a report is returned after its deadline, the unit gets until `due_on` to hand in the correction."""
    return _grant(deadline, unit, due_on=due_on, reason=_("Returned for correction"), user=user, now=now)
