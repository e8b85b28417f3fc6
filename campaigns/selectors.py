"""Reads for the campaign screens: task lists, the board, a report with everything beside it."""

from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from campaigns.models import (
    AttachmentChange,
    Campaign,
    Deadline,
    Extension,
    ExtensionRequest,
    ExtensionRequestTransition,
    Participation,
    Submission,
    ThresholdChange,
    Timeliness,
    end_of_day,
)
from campaigns.services import survey_figures, survey_queryset
from unions.models import UnionOrg
from unions.selectors import display_order

HANDED_IN = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}


def _latest_extensions(deadlines, units):
    latest = {}
    for extension in Extension.objects.filter(deadline__in=deadlines, unit__in=units).order_by("granted_at", "pk"):
        latest[(extension.deadline_id, extension.unit_id)] = extension
    return latest


def _pending_requests(deadlines, units):
    return {
        (request.deadline_id, request.unit_id): request
        for request in ExtensionRequest.objects.filter(
            deadline__in=deadlines, unit__in=units, status=ExtensionRequest.Status.PENDING
        )
    }


class Cell:
    """One unit's report for one deadline, as the task list and the board show it."""

    def __init__(self, deadline, unit, submission, extension, now, request=None):
        self.deadline, self.unit, self.submission, self.extension = deadline, unit, submission, extension
        self.request = request  # the unit's extension request waiting for a decision, if any
        self.due_on = extension.due_on if extension else deadline.due_on
        self.status = submission.status if submission else None
        self.done = self.status in HANDED_IN
        self.now = now
        self.overdue = not self.done and now >= end_of_day(self.due_on)
        self.days_left = (self.due_on - timezone.localdate(now)).days

    @property
    def first_submitted_at(self):
        return self.submission.first_submitted_at if self.submission else None

    def timeliness_at(self, moment):
        """The word for this report as of `moment` (Timeliness), or None while it is not yet due and not in."""
        first = self.first_submitted_at
        if first is not None and first <= moment and self.submission.timeliness:
            return Timeliness(self.submission.timeliness)
        if moment >= end_of_day(self.due_on):
            return Timeliness.MISSING
        return None

    @property
    def timeliness(self):
        """The word as of now: set when the report was first handed in, 未报 once the deadline in force passed."""
        return self.timeliness_at(self.now)


def cells(participations, deadlines, now=None):
    """{(deadline pk, unit pk): Cell} in four queries, whatever the number of units and deadlines."""
    now = now or timezone.now()
    units = [participation.unit for participation in participations]
    submissions = {
        (submission.deadline_id, submission.unit_id): submission
        for submission in Submission.objects.filter(deadline__in=deadlines, unit__in=units)
    }
    extensions = _latest_extensions(deadlines, units)
    requests = _pending_requests(deadlines, units)
    taking_part = {(p.campaign_id, p.unit_id) for p in participations}
    return {
        (deadline.pk, unit.pk): Cell(
            deadline,
            unit,
            submissions.get((deadline.pk, unit.pk)),
            extensions.get((deadline.pk, unit.pk)),
            now,
            requests.get((deadline.pk, unit.pk)),
        )
        for deadline in deadlines
        for unit in units
        if (deadline.stage.campaign_id, unit.pk) in taking_part
    }


# -- the task list ------------------------------------------------------------------------------------


# What the task list's status filter offers, and which cells each keeps.
TASK_FILTERS = {
    "todo": lambda cell: not cell.done and cell.status != Submission.Status.RETURNED,
    "overdue": lambda cell: cell.overdue,
    "returned": lambda cell: cell.status == Submission.Status.RETURNED,
    "submitted": lambda cell: cell.status == Submission.Status.SUBMITTED,
    "approved": lambda cell: cell.status == Submission.Status.APPROVED,
}


def campaigns_of(user, *, closed, today=None):
    """The campaigns the user's units take part in (the 组织部: all), newest first; a campaign is closed once its
    last stage has ended."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.annotate(ends_on=Max("stages__ends_on"))
    if not user.sees_everything:
        campaigns = campaigns.filter(participations__unit__in=UnionOrg.objects.visible_to(user)).distinct()
    campaigns = campaigns.filter(ends_on__lt=today) if closed else campaigns.exclude(ends_on__lt=today)
    return campaigns.order_by("-year", "-pk")


def tasks_for(user, now=None, *, campaigns=None, status=""):
    """Every report due from the units the user may see in `campaigns` (default: the current ones), nearest
    deadline first, newest campaign first; `status` keeps only the tasks one of TASK_FILTERS names."""
    now = now or timezone.now()
    if campaigns is None:
        campaigns = campaigns_of(user, closed=False, today=timezone.localdate(now))
    participations = list(
        Participation.objects.filter(unit__in=UnionOrg.objects.visible_to(user), campaign__in=campaigns).select_related(
            "unit", "campaign"
        )
    )
    deadlines = list(
        Deadline.objects.filter(stage__campaign__in={p.campaign_id for p in participations})
        .select_related("stage__campaign")
        .order_by("-stage__campaign__year", "-stage__campaign_id", "due_on", "stage__order", "sequence")
    )
    grid = cells(participations, deadlines, now)
    units = sorted({p.unit for p in participations}, key=display_order)
    tasks = [grid[(d.pk, u.pk)] for d in deadlines for u in units if (d.pk, u.pk) in grid]
    keep = TASK_FILTERS.get(status)
    return [task for task in tasks if keep(task)] if keep else tasks


def waiting_for_review():
    """Reports handed in and waiting for the 组织部, the longest waiting first."""
    return (
        Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .select_related("unit", "deadline__stage__campaign")
        .order_by("submitted_at")
    )


def pending_extension_requests():
    """Units' requests for more time waiting for the 组织部, the oldest first."""
    return (
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        .select_related("unit", "deadline__stage__campaign", "requested_by")
        .order_by("requested_at")
    )


# -- the board -----------------------------------------------------------------------------------------


def board(campaign, now=None):
    """The campaign board: every participating unit × every deadline."""
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage__campaign"))
    grid = cells(participations, deadlines, now)
    rows = [(p, [grid[(deadline.pk, p.unit_id)] for deadline in deadlines]) for p in participations]
    return deadlines, rows


def threshold_changes(campaign):
    return ThresholdChange.objects.filter(participation__campaign=campaign).select_related(
        "participation__unit", "changed_by"
    )


# -- one report ----------------------------------------------------------------------------------------


def previous_submission(submission):
    """The unit's last earlier report of the same kind that was handed in, to read beside this one."""
    return (
        Submission.objects.filter(
            unit=submission.unit,
            deadline__stage__report_kind=submission.deadline.kind,
            deadline__due_on__lt=submission.deadline.due_on,
        )
        .exclude(status=Submission.Status.DRAFT)
        .select_related("deadline__stage__campaign")
        .order_by("-deadline__due_on")
        .first()
    )


def report_submission(deadline, unit):
    """The unit's report for the deadline, or None before its first save; it knows its deadline and unit."""
    submission = Submission.objects.filter(deadline=deadline, unit=unit).first()
    if submission is not None:
        submission.deadline, submission.unit = deadline, unit
    return submission


def report_transitions(submission):
    """The report's changes of status, oldest first, with who made each."""
    return list(submission.transitions.select_related("actor")) if submission is not None else []


def unit_extensions(deadline, unit):
    """The unit's extensions of the deadline, latest first (the latest is in force), with who granted each."""
    return list(deadline.extensions.filter(unit=unit).select_related("granted_by"))


def live_survey(unit, threshold, *, with_hard_cases=True):
    """The unit's survey figures now, and its headquarters-type hard cases (only a survey report asks for them)."""
    queryset = survey_queryset(unit, threshold)
    hard_cases = list(queryset.hard_cases().order_by("credit_code")) if with_hard_cases else []
    return survey_figures(unit, threshold), hard_cases


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a report's timeline: when, who, what happened, and why."""

    at: object
    actor: object
    text: str
    reason: str = ""
    kind: str = ""


def report_timeline(deadline, unit, submission, *, transitions=None, extensions=None):
    """Everything that happened to one unit's report, oldest first: status changes, requests for more time and the
    decisions on them, extensions granted, files attached and removed.

    `transitions` (report_transitions) and `extensions` (unit_extensions) may bring what the page has already read."""
    entries = []
    if submission is not None:
        if transitions is None:
            transitions = report_transitions(submission)
        for step in transitions:
            text = f"{step.get_from_status_display()} → {step.get_to_status_display()}"
            entries.append(TimelineEntry(step.at, step.actor, text, step.reason, "status"))
        for change in AttachmentChange.objects.filter(submission=submission).select_related("actor"):
            text = f"{change.get_action_display()}：{change.file_name}"
            entries.append(TimelineEntry(change.at, change.actor, text, "", "attachment"))
    for step in ExtensionRequestTransition.objects.filter(
        request__deadline=deadline, request__unit=unit
    ).select_related("actor", "request"):
        entries.append(TimelineEntry(step.at, step.actor, _request_text(step), step.reason, "request"))
    if extensions is None:
        extensions = unit_extensions(deadline, unit)
    for extension in extensions:
        if extension.request_id is not None:
            continue
        text = _("Extension granted until %(date)s") % {"date": long_date(extension.due_on)}
        entries.append(TimelineEntry(extension.granted_at, extension.granted_by, text, extension.reason, "extension"))
    return sorted(entries, key=lambda entry: entry.at)


def _request_text(step):
    if step.to_status == ExtensionRequest.Status.PENDING:
        return _("Asked for an extension until %(date)s") % {"date": long_date(step.request.due_on)}
    if step.to_status == ExtensionRequest.Status.GRANTED:
        return _("Extension request granted")
    return _("Extension request refused")


def practice_campaigns(user):
    """The campaigns whose model practices (典型经验) the user may look through: the 组织部 every one, others those
    their units take part in."""
    campaigns = Campaign.objects.order_by("-year", "-pk")
    if not user.sees_everything:
        campaigns = campaigns.filter(participations__unit__in=UnionOrg.objects.visible_to(user)).distinct()
    return campaigns


def practices_for(user, *, campaign=None, unit="", model_only=False):
    """Every handed-in report with practices in it that the user may see, newest first, with its 示范 mark.

    `unit` keeps the units whose name contains it or whose code starts with it; `model_only` keeps those marked 示范.
    """
    reports = (
        Submission.objects.visible_to(user)
        .filter(status__in=HANDED_IN, deadline__stage__campaign__in=practice_campaigns(user))
        .exclude(practices__regex=r"^\s*$")
        .select_related("deadline__stage__campaign", "unit", "practice_mark")
    )
    if campaign is not None:
        reports = reports.filter(deadline__stage__campaign=campaign)
    if unit:
        reports = reports.filter(Q(unit__name__icontains=unit) | Q(unit__code__startswith=unit))
    if model_only:
        reports = reports.filter(practice_mark__isnull=False)
    return reports.order_by("-submitted_at", "-pk")
