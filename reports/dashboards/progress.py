"""Completeness and timeliness of a campaign's reports, per deadline and per unit."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.models import Deadline, Participation, Submission, Timeliness
from campaigns.selectors import cells
from reports.dashboards.areas import units_in_area
from reports.dashboards.lines import rate
from unions.models import UnionOrg
from unions.selectors import display_order


@dataclass
class StageProgress:
    """Completeness and timeliness of one deadline: expected, handed in, and each unit's report in the four words
    (campaigns.models.Timeliness), or not yet due."""

    deadline: Deadline
    expected: int = 0
    submitted: int = 0  # submitted or approved now
    approved: int = 0
    on_time: int = 0
    extended: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0  # not handed in, and not yet due
    # The units' cells (campaigns.selectors.Cell), in display order.
    handed_in: list = field(default_factory=list)
    not_handed_in: list = field(default_factory=list)

    @property
    def completeness(self):
        return rate(self.submitted, self.expected)


@dataclass
class UnitTimeliness:
    """One unit's record over the deadlines due so far, in the four words, for the timeliness ranking."""

    unit: UnionOrg
    due: int = 0
    on_time: int = 0
    extended: int = 0
    late: int = 0
    missing: int = 0
    missing_deadlines: list = field(default_factory=list)

    @property
    def missing_titles(self):
        return [deadline.title for deadline in self.missing_deadlines]

    @property
    def on_time_rate(self):
        """按时报送率: reports handed in by the original deadline, of those due."""
        return rate(self.on_time, self.due)

    @property
    def extended_rate(self):
        return rate(self.extended, self.due)

    @property
    def ranking_key(self):
        """On time first, then within an approved extension; then the fewest missing and the fewest late."""
        if self.due == 0:
            return None
        return (-self.on_time_rate, -self.extended_rate, self.missing, self.late)


def participations_for(user, campaign, area):
    units = units_in_area(UnionOrg.objects.visible_to(user), area)
    return sorted(
        Participation.objects.filter(campaign=campaign, unit__in=units).select_related("unit", "campaign"),
        key=lambda participation: display_order(participation.unit),
    )


def progress(campaign, participations, as_of=None):
    """Completeness and timeliness per deadline, and each unit's record over the deadlines due by `as_of`."""
    now = timezone.now() if as_of is None else _end_of(as_of)
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage__campaign"))
    grid = cells(participations, deadlines, now)
    stages = []
    units = {participation.unit_id: UnitTimeliness(participation.unit) for participation in participations}
    for deadline in deadlines:
        stage = StageProgress(deadline)
        for participation in participations:
            cell = grid.get((deadline.pk, participation.unit_id))
            if cell is not None:
                _count(stage, units[participation.unit_id], cell, now)
        stages.append(stage)
    return stages, list(units.values())


def _count(stage, record, cell, now):
    """Add one unit's report to its deadline's progress and to the unit's record."""
    stage.expected += 1
    if handed_in_by(cell, now):
        stage.submitted += 1
        stage.approved += cell.status == Submission.Status.APPROVED
        stage.handed_in.append(cell)
    else:
        stage.not_handed_in.append(cell)
    word = cell.timeliness_at(now)
    if word is None:
        stage.pending += 1
        return
    setattr(stage, word.value, getattr(stage, word.value) + 1)
    record.due += 1
    setattr(record, word.value, getattr(record, word.value) + 1)
    if word == Timeliness.MISSING:
        record.missing_deadlines.append(cell.deadline)


def handed_in_by(cell, moment):
    """Submitted or approved now, and first handed in by `moment` (a report returned since is not in)."""
    first = cell.submission.first_submitted_at if cell.submission else None
    return cell.done and first is not None and first <= moment


def _end_of(day):
    from campaigns.models import end_of_day

    return end_of_day(day) - datetime.timedelta(microseconds=1)
