"""Completeness and timeliness of a campaign's reports, per deadline and per unit."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.models import Deadline, Participation, Submission
from campaigns.selectors import cells
from reports.dashboards.areas import units_in_area
from reports.dashboards.lines import rate
from unions.models import UnionOrg
from unions.selectors import display_order


@dataclass
class StageProgress:
    """Completeness and timeliness of one deadline: expected, handed in on time or late, still missing."""

    deadline: Deadline
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    overdue: int = 0
    # The units' cells (campaigns.selectors.Cell), in display order.
    handed_in: list = field(default_factory=list)
    not_handed_in: list = field(default_factory=list)

    @property
    def completeness(self):
        return rate(self.submitted, self.expected)


@dataclass
class UnitTimeliness:
    """One unit's record over the deadlines due so far, for the timeliness ranking."""

    unit: UnionOrg
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    missing_deadlines: list = field(default_factory=list)

    @property
    def missing_titles(self):
        return [deadline.title for deadline in self.missing_deadlines]

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.due)


def participations_for(user, campaign, area):
    units = units_in_area(UnionOrg.objects.visible_to(user), area)
    return sorted(
        Participation.objects.filter(campaign=campaign, unit__in=units).select_related("unit", "campaign"),
        key=lambda participation: display_order(participation.unit),
    )


def progress(campaign, participations, as_of=None):
    """Completeness and timeliness per deadline, and each unit's record over the deadlines due by `as_of`."""
    now = timezone.now() if as_of is None else _end_of(as_of)
    today = timezone.localdate(now)
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage__campaign"))
    grid = cells(participations, deadlines, now)
    stages = []
    units = {participation.unit_id: UnitTimeliness(participation.unit) for participation in participations}
    for deadline in deadlines:
        stage = StageProgress(deadline)
        for participation in participations:
            cell = grid.get((deadline.pk, participation.unit_id))
            if cell is None:
                continue
            stage.expected += 1
            record = units[participation.unit_id]
            handed_in = handed_in_by(cell, now)
            (stage.handed_in if handed_in else stage.not_handed_in).append(cell)
            if handed_in:
                stage.submitted += 1
                stage.approved += cell.status == Submission.Status.APPROVED
                stage.late += cell.late
                stage.on_time += not cell.late
            else:
                stage.missing += 1
                stage.overdue += cell.overdue
            if handed_in:
                record.due += 1
                record.late += cell.late
                record.on_time += not cell.late
            elif cell.due_on < today:
                # Past its deadline (an extension's, where one was granted) and still not handed in.
                record.due += 1
                record.missing += 1
                record.missing_deadlines.append(deadline)
        stages.append(stage)
    return stages, list(units.values())


def handed_in_by(cell, moment):
    """Submitted or approved now, and first handed in by `moment` (a report returned since is not in)."""
    first = cell.submission.first_submitted_at if cell.submission else None
    return cell.done and first is not None and first <= moment


def _end_of(day):
    from campaigns.models import end_of_day

    return end_of_day(day) - datetime.timedelta(microseconds=1)
