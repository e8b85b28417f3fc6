"""A report's life: draft, submitted, returned, approved. Each move checks the state and the actor, runs in one
transaction and writes a Transition row."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.models import (
    Extension,
    ReportKind,
    Submission,
    Transition,
    end_of_day,
    timeliness_of,
)
from campaigns.notifications import notify_transition
from campaigns.services.deadlines import (
    effective_due_on,
    extension_for_correction,
    participation_for,
)
from campaigns.services.errors import (
    AlreadyHandled,
    WorkflowError,
)
from campaigns.services.members import take_member_snapshot
from campaigns.services.survey import (
    survey_queryset,
    take_snapshot,
)

Status = Submission.Status


def submission_for(deadline, unit):
    """The unit's report for a deadline, created as a draft the first time it is written to.

    Only writes call this (saving, submitting, attaching a file): looking at a report never creates one.
    """
    submission, _created = Submission.objects.get_or_create(deadline=deadline, unit=unit)
    return submission


@transaction.atomic
def report_save(deadline, unit, *, user, content=None, hard_case_reasons=None):
    """Save the unit's draft, creating it with this first save."""
    _check_staff(user, unit, _("Only the unit's own staff may fill in its report."))
    return submission_save(
        submission_for(deadline, unit), user=user, content=content, hard_case_reasons=hard_case_reasons
    )


@transaction.atomic
def report_submit(deadline, unit, *, user, now=None):
    """Hand the unit's report in, creating it if nothing was saved before (a plan can be written and sent at once)."""
    _check_staff(user, unit, _("Only the unit's own staff may submit its report."))
    return submission_submit(submission_for(deadline, unit), user=user, now=now)


def _check_staff(user, unit, message):
    if not user.is_staff_of(unit):
        raise WorkflowError(message)


def _move(submission, *, to, user, reason="", expect=None, at=None, **changes):
    """Change the status if nobody has acted since `expect` (the version the actor saw), and log it."""
    expected_version = submission.version if expect is None else expect
    updated = Submission.objects.filter(pk=submission.pk, status=submission.status, version=expected_version).update(
        status=to, version=F("version") + 1, **changes
    )
    if not updated:
        raise AlreadyHandled(
            _("This report has already been handled by someone else. Reload the page to see its state.")
        )
    old = submission.status
    Transition.objects.create(
        submission=submission, from_status=old, to_status=to, actor=user, reason=reason, at=at or timezone.now()
    )
    submission.refresh_from_db()
    notify_transition(submission, old, to)
    return submission


CONTENT_FIELDS = ("results", "practices", "shortcomings", "next_steps")


def submission_save(submission, *, user, content=None, hard_case_reasons=None):
    """Save a draft (or a returned report being corrected)."""
    if not user.is_staff_of(submission.unit):
        raise WorkflowError(_("Only the unit's own staff may fill in its report."))
    if submission.is_locked:
        raise WorkflowError(_("A submitted or approved report cannot be changed."))
    changes = {field: value for field, value in (content or {}).items() if field in CONTENT_FIELDS}
    if hard_case_reasons is not None:
        changes["hard_case_reasons"] = {str(pk): text.strip() for pk, text in hard_case_reasons.items()}
    updated = Submission.objects.filter(pk=submission.pk, status=submission.status).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise AlreadyHandled(
            _("This report has already been handled by someone else. Reload the page to see its state.")
        )
    submission.refresh_from_db()
    return submission


def _check_complete(submission, participation):
    kind = submission.deadline.kind
    if kind == ReportKind.SURVEY:
        missing = [
            name
            for pk, name in survey_queryset(submission.unit, participation.threshold)
            .hard_cases()
            .values_list("pk", "name")
            if not submission.hard_case_reasons.get(str(pk), "").strip()
        ]
        if missing:
            raise WorkflowError(
                _("Give a reason for each headquarters-type hard case before submitting: %(names)s.")
                % {"names": "、".join(missing[:5]) + ("……" if len(missing) > 5 else "")}
            )
    elif kind == ReportKind.SUMMARY:
        if not all(getattr(submission, field).strip() for field in CONTENT_FIELDS):
            raise WorkflowError(_("A summary report needs its results, lessons, shortcomings and next steps."))
    elif not submission.results.strip():
        raise WorkflowError(_("Write the report before submitting it."))


@transaction.atomic
def submission_submit(submission, *, user, now=None):
    """Submit (or resubmit after a return) before the unit's deadline; the survey figures are frozen now."""
    now = now or timezone.now()
    if not user.is_staff_of(submission.unit):
        raise WorkflowError(_("Only the unit's own staff may submit its report."))
    if submission.status not in {Status.DRAFT, Status.RETURNED}:
        raise WorkflowError(_("This report has already been submitted."))
    deadline = submission.deadline
    due_on = effective_due_on(deadline, submission.unit)
    if now >= end_of_day(due_on):
        raise WorkflowError(
            _("The deadline, %(date)s, has passed: ask the organisation department for an extension on this page.")
            % {"date": date_format(due_on, "DATE_FORMAT")}
        )
    participation = participation_for(deadline, submission.unit)
    if participation is None:
        raise WorkflowError(_("This unit does not report in this campaign."))
    _check_complete(submission, participation)
    changes = {"submitted_at": now}
    if submission.first_submitted_at is None:
        extensions = Extension.objects.filter(deadline=deadline, unit=submission.unit)
        changes.update(first_submitted_at=now, timeliness=timeliness_of(deadline, now, extensions))
    # Every report keeps the figures as they were when it was handed in; the survey's are its content. A members
    # campaign (the 2015 plan) freezes its own figures in every report, progress and year-end alike.
    if deadline.stage.campaign.counts_members:
        changes["snapshot"] = take_member_snapshot(deadline.stage.campaign, submission.unit)
    else:
        changes["snapshot"] = take_snapshot(submission.unit, participation.threshold, submission.hard_case_reasons)
    changes["figures"] = changes["snapshot"]["figures"]
    return _move(submission, to=Status.SUBMITTED, user=user, at=now, **changes)


@transaction.atomic
def submission_approve(submission, *, user, version, now=None):
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department approves reports."))
    if submission.status != Status.SUBMITTED:
        raise AlreadyHandled(
            _("This report has already been handled by someone else. Reload the page to see its state.")
        )
    return _move(submission, to=Status.APPROVED, user=user, expect=version, at=now)


@transaction.atomic
def submission_return(submission, *, user, version, reason, correction_due_on=None, now=None):
    """Return for correction with a reason. After the deadline the unit also needs a new date to resubmit by."""
    now = now or timezone.now()
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department returns reports."))
    if not reason.strip():
        raise WorkflowError(_("Say what must be corrected: a return needs a reason."))
    if submission.status != Status.SUBMITTED:
        raise AlreadyHandled(
            _("This report has already been handled by someone else. Reload the page to see its state.")
        )
    deadline = submission.deadline
    if now >= end_of_day(effective_due_on(deadline, submission.unit)):
        if correction_due_on is None or correction_due_on < timezone.localdate(now):
            raise WorkflowError(
                _("The deadline has passed: give the unit a date by which to resubmit the corrected report.")
            )
        extension_for_correction(deadline, submission.unit, due_on=correction_due_on, user=user, now=now)
    return _move(submission, to=Status.RETURNED, user=user, reason=reason.strip(), expect=version, at=now)
