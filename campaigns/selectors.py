"""Reads for the campaign screens: task lists, the board, a report with everything beside it."""

from django.utils import timezone

from campaigns.models import Deadline, Extension, Participation, Submission, end_of_day
from campaigns.services import survey_figures, survey_queryset
from unions.selectors import display_order


def _latest_extensions(deadlines, units):
    latest = {}
    for extension in Extension.objects.filter(deadline__in=deadlines, unit__in=units).order_by("granted_at", "pk"):
        latest[(extension.deadline_id, extension.unit_id)] = extension
    return latest


class Cell:
    """One unit's report for one deadline, as the task list and the board show it."""

    def __init__(self, deadline, unit, submission, extension, now):
        self.deadline, self.unit, self.submission, self.extension = deadline, unit, submission, extension
        self.due_on = extension.due_on if extension else deadline.due_on
        self.status = submission.status if submission else None
        self.done = self.status in {Submission.Status.SUBMITTED, Submission.Status.APPROVED}
        self.overdue = not self.done and now >= end_of_day(self.due_on)
        self.days_left = (self.due_on - timezone.localdate(now)).days

    @property
    def late(self):
        return bool(self.submission and self.submission.late)


def cells(participations, deadlines, now=None):
    """{(deadline pk, unit pk): Cell} in three queries, whatever the number of units and deadlines."""
    now = now or timezone.now()
    units = [participation.unit for participation in participations]
    submissions = {
        (submission.deadline_id, submission.unit_id): submission
        for submission in Submission.objects.filter(deadline__in=deadlines, unit__in=units)
    }
    extensions = _latest_extensions(deadlines, units)
    return {
        (deadline.pk, unit.pk): Cell(
            deadline, unit, submissions.get((deadline.pk, unit.pk)), extensions.get((deadline.pk, unit.pk)), now
        )
        for deadline in deadlines
        for unit in units
        if participates(deadline, unit, participations)
    }


def participates(deadline, unit, participations):
    return any(p.unit_id == unit.pk and p.campaign_id == deadline.stage.campaign_id for p in participations)


def tasks_for(user, now=None):
    """Every report due from the units the user may see, nearest deadline first, newest campaign first."""
    participations = list(Participation.objects.filter(unit__in=_units_for(user)).select_related("unit", "campaign"))
    campaigns = {participation.campaign_id for participation in participations}
    deadlines = list(
        Deadline.objects.filter(stage__campaign__in=campaigns)
        .select_related("stage__campaign")
        .order_by("-stage__campaign__year", "due_on", "stage__order", "sequence")
    )
    grid = cells(participations, deadlines, now)
    return [grid[key] for deadline in deadlines for key in grid if key[0] == deadline.pk]


def _units_for(user):
    from unions.models import UnionOrg

    return UnionOrg.objects.visible_to(user)


def board(campaign, now=None):
    """The campaign board: every participating unit × every deadline."""
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage__campaign"))
    grid = cells(participations, deadlines, now)
    rows = [(p, [grid[(deadline.pk, p.unit_id)] for deadline in deadlines]) for p in participations]
    return deadlines, rows


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


def live_survey(unit, threshold):
    queryset = survey_queryset(unit, threshold)
    return survey_figures(unit, threshold), list(queryset.hard_cases().order_by("credit_code"))
