"""Campaigns, their stages and deadlines, and the units that take part."""

import calendar
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Deadline,
    Measure,
    Participation,
    Stage,
    ThresholdChange,
)
from campaigns.services.errors import (
    AlreadyHandled,
    WorkflowError,
)
from unions.models import UnionOrg


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _periods(stage):
    """Consecutive windows of `every_months` months from the stage's start; the last one ends with the stage."""
    start = stage.starts_on
    while start <= stage.ends_on:
        following = _add_months(start.replace(day=1), stage.every_months)
        end = min(following - datetime.timedelta(days=1), stage.ends_on)
        yield start, end
        start = following


def stage_schedule(stage):
    """Create the stage's deadlines: one for a single report, one per period for periodic reports."""
    stage.deadlines.all().delete()
    if not stage.report_kind:
        return []
    if not stage.every_months:
        return [Deadline.objects.create(stage=stage, sequence=1, due_on=stage.due_on or stage.ends_on)]
    return [
        Deadline.objects.create(stage=stage, sequence=number, period_start=start, period_end=end, due_on=end)
        for number, (start, end) in enumerate(_periods(stage), start=1)
    ]


def default_participants():
    """The 7 prefecture federations and the reporting units that are not places."""
    return UnionOrg.objects.filter(
        kind__in=[UnionOrg.Kind.PREFECTURE_FEDERATION, UnionOrg.Kind.REPORTING_UNIT]
    ).order_by("code")


@transaction.atomic
def campaign_create(
    *, name, year, plan_text="", stages=(), default_threshold=100, participants=None, measure=Measure.ENTERPRISES
):
    """A campaign with its stages (dicts of Stage fields), their deadlines and its participating units."""
    campaign = Campaign.objects.create(
        name=name, year=year, plan_text=plan_text, default_threshold=default_threshold, measure=measure
    )
    for order, fields in enumerate(stages, start=1):
        stage_schedule(Stage.objects.create(campaign=campaign, order=order, **fields))
    units = participants if participants is not None else default_participants()
    Participation.objects.bulk_create(
        Participation(campaign=campaign, unit=unit, threshold=default_threshold) for unit in units
    )
    return campaign


def _shift_year(day, years):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def campaign_copy(campaign, *, year, user):
    """Next year's campaign: the same stages and participants, every date moved by the difference in years."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may create campaigns."))
    if Campaign.objects.filter(name=campaign.name, year=year).exists():
        raise WorkflowError(
            _("%(year)d already has a campaign named %(name)s.") % {"year": year, "name": campaign.name}
        )
    years = year - campaign.year
    copy = Campaign.objects.create(
        name=campaign.name,
        year=year,
        plan_text=campaign.plan_text,
        default_threshold=campaign.default_threshold,
        key_headcount=campaign.key_headcount,
        measure=campaign.measure,
        copied_from=campaign,
    )
    for stage in campaign.stages.all():
        stage_schedule(
            Stage.objects.create(
                campaign=copy,
                order=stage.order,
                name=stage.name,
                starts_on=_shift_year(stage.starts_on, years),
                ends_on=_shift_year(stage.ends_on, years),
                report_kind=stage.report_kind,
                due_on=_shift_year(stage.due_on, years),
                every_months=stage.every_months,
            )
        )
    Participation.objects.bulk_create(
        Participation(campaign=copy, unit_id=p.unit_id, threshold=p.threshold) for p in campaign.participations.all()
    )
    return copy


@transaction.atomic
def participation_set_threshold(participation, *, threshold, reason, user):
    """The organisation department may widen a unit's scope to 50+ or 25+ staff, as the 2019 plan allows.

    The scope decides the unit's survey figures, so every change keeps who, when, from, to and why; a change made
    on a page someone else has changed since is refused.
    """
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may change a unit's scope."))
    if not reason.strip():
        raise WorkflowError(_("Say why the scope of %(unit)s changes.") % {"unit": participation.unit.name})
    before = participation.threshold
    if threshold == before:
        return None
    updated = Participation.objects.filter(pk=participation.pk, threshold=before).update(threshold=threshold)
    if not updated:
        raise AlreadyHandled(
            _("Someone changed the scope of %(unit)s after you opened the page. Nothing was saved; reload it.")
            % {"unit": participation.unit.name}
        )
    participation.threshold = threshold
    return ThresholdChange.objects.create(
        participation=participation, before=before, after=threshold, reason=reason.strip(), changed_by=user
    )


@transaction.atomic
def participations_set_thresholds(changes, *, reason, user):
    """Several units' scope at once, all or none: [(participation, new threshold)]."""
    return [
        participation_set_threshold(participation, threshold=threshold, reason=reason, user=user)
        for participation, threshold in changes
    ]
