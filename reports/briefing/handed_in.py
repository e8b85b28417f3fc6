"""Which units had handed the latest report in by the date, and which had not, with a note on each."""

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Submission, Timeliness
from reports.briefing.rows import (
    UnitEntry,
    long_date,
)


def latest_due(dashboard):
    """The progress of the latest deadline due on or before the date, or None if nothing was due yet."""
    due = [stage for stage in dashboard.stages if stage.deadline.due_on <= dashboard.as_of]
    if not due:
        return None
    return max(due, key=lambda stage: (stage.deadline.due_on, stage.deadline.stage.order, stage.deadline.sequence))


def handed_in(dashboard, stage):
    """The units that had handed the deadline's report in by the end of the date, and those that had not."""
    submitted = [_submitted_entry(cell.unit, cell.submission) for cell in stage.handed_in]
    missing = [
        _missing_entry(cell.unit, cell.submission, stage.deadline, cell.due_on, dashboard.as_of)
        for cell in stage.not_handed_in
    ]
    return submitted, missing


def _submitted_entry(unit, submission):
    day = timezone.localdate(submission.first_submitted_at)
    word = Timeliness(submission.timeliness) if submission.timeliness else Timeliness.ON_TIME
    note = _("handed in on %(date)s, %(timeliness)s") % {"date": long_date(day), "timeliness": word.label}
    return UnitEntry(unit.name, unit.code, note=note, handed_in_on=day, timeliness=word.value)


def _missing_entry(unit, submission, deadline, due_on, as_of):
    overdue = as_of > due_on
    if submission is not None and submission.status == Submission.Status.RETURNED:
        note = _("Returned for correction")
    elif overdue:
        note = str(Timeliness.MISSING.label)
    elif due_on != deadline.due_on:
        note = _("extended to %(date)s") % {"date": long_date(due_on)}
    else:
        note = ""
    return UnitEntry(unit.name, unit.code, note=note, overdue=overdue)
