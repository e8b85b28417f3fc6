"""Writes of the campaign workflow. Each checks the current state and the actor, runs in one transaction
and writes a Transition row for every status change."""

import calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Deadline,
    Extension,
    Participation,
    ReportKind,
    Stage,
    Submission,
    Target,
    TargetChange,
    Transition,
    end_of_day,
)
from campaigns.notifications import notify_transition
from enterprises.models import FIGURES, Enterprise
from unions.models import UnionOrg

Status = Submission.Status
FIGURE_NAMES = ("total", *FIGURES)


class WorkflowError(Exception):
    """A refused action, with a message fit to show the user."""


class AlreadyHandled(WorkflowError):
    pass


# -- schedule ------------------------------------------------------------------------------------------


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
def campaign_create(*, name, year, plan_text="", stages=(), default_threshold=100, participants=None):
    """A campaign with its stages (dicts of Stage fields), their deadlines and its participating units."""
    campaign = Campaign.objects.create(name=name, year=year, plan_text=plan_text, default_threshold=default_threshold)
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


def participation_set_threshold(participation, *, threshold, user):
    """The organisation department may widen a unit's scope to 50+ or 25+ staff, as the 2019 plan allows."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may change a unit's scope."))
    Participation.objects.filter(pk=participation.pk).update(threshold=threshold)


# -- targets -------------------------------------------------------------------------------------------


def _target_figures(count, rate):
    return {"union_count": count, "union_rate": str(Decimal(rate).quantize(Decimal("0.1")))}


@transaction.atomic
def targets_set(campaign, entries, *, user):
    """Set the units' targets (目标任务分解) from {unit pk: (count, rate, version seen)}; return how many changed.

    A target someone else changed since the form was opened is refused, so nobody overwrites a figure unseen.
    Every change keeps a row with the figures before and after.
    """
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may set targets."))
    current = {target.unit_id: target for target in Target.objects.select_for_update().filter(campaign=campaign)}
    changed = 0
    for unit_id, (count, rate, version_seen) in entries.items():
        target = current.get(unit_id)
        if (target.version if target else 0) != version_seen:
            raise WorkflowError(
                _("Someone changed the targets after you opened the form. Nothing was saved; reload and try again.")
            )
        after = _target_figures(count, rate)
        before = _target_figures(target.union_count, target.union_rate) if target else None
        if before == after:
            continue
        if target is None:
            target = Target.objects.create(
                campaign=campaign, unit_id=unit_id, union_count=count, union_rate=rate, set_by=user
            )
        else:
            Target.objects.filter(pk=target.pk).update(
                union_count=count, union_rate=rate, set_by=user, set_at=timezone.now(), version=F("version") + 1
            )
        TargetChange.objects.create(target=target, before=before, after=after, changed_by=user)
        changed += 1
    return changed


# -- deadlines -----------------------------------------------------------------------------------------


def effective_due_on(deadline, unit):
    extension = Extension.objects.filter(deadline=deadline, unit=unit).first()
    return extension.due_on if extension else deadline.due_on


def extension_grant(deadline, unit, *, due_on, reason, user):
    """Reopen (or keep open) a unit's report until a later day; recorded with who, when and why."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may grant extensions."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason for the extension."))
    if due_on <= deadline.due_on:
        raise WorkflowError(_("The new date must be after the original deadline."))
    return Extension.objects.create(deadline=deadline, unit=unit, due_on=due_on, reason=reason.strip(), granted_by=user)


def participation_for(deadline, unit):
    return Participation.objects.filter(campaign_id=deadline.stage.campaign_id, unit=unit).first()


# -- survey figures ------------------------------------------------------------------------------------


def survey_queryset(unit, threshold):
    return Enterprise.objects.reported_by(unit).in_scope(threshold)


def survey_figures(unit, threshold):
    """The four survey figures and the remainder, in one query; the parts always add up to the total."""
    counts = survey_queryset(unit, threshold).aggregate(
        total=Count("pk"), **{name: Count("pk", filter=condition) for name, condition in FIGURES.items()}
    )
    assert counts["total"] == sum(counts[name] for name in FIGURES), counts
    return counts


def take_snapshot(unit, threshold, reasons):
    queryset = survey_queryset(unit, threshold)
    enterprises = list(
        queryset.order_by("credit_code").values_list(
            "pk", "credit_code", "name", "party_org", "union_status", "headcount"
        )
    )
    hard_cases = [
        {"pk": pk, "code": code, "name": name, "reason": reasons.get(str(pk), "")}
        for pk, code, name in queryset.hard_cases().order_by("credit_code").values_list("pk", "credit_code", "name")
    ]
    return {
        "threshold": threshold,
        "taken_at": timezone.now().isoformat(),
        "figures": survey_figures(unit, threshold),
        "enterprises": [list(row) for row in enterprises],
        "hard_cases": hard_cases,
    }


def snapshot_drift(submission):
    """How the live registry now differs from a submitted survey: figures, and enterprises added, gone or changed."""
    snapshot = submission.snapshot
    if not snapshot:
        return None
    live = survey_figures(submission.unit, snapshot["threshold"])
    then = {row[0]: row for row in snapshot["enterprises"]}
    now = {
        row[0]: row
        for row in survey_queryset(submission.unit, snapshot["threshold"]).values_list(
            "pk", "credit_code", "name", "party_org", "union_status", "headcount"
        )
    }
    return {
        "figures": {
            name: (snapshot["figures"][name], live[name])
            for name in FIGURE_NAMES
            if snapshot["figures"][name] != live[name]
        },
        "added": [now[pk] for pk in now.keys() - then.keys()],
        "removed": [then[pk] for pk in then.keys() - now.keys()],
        "changed": [
            (then[pk], now[pk]) for pk in now.keys() & then.keys() if list(now[pk][3:5]) != list(then[pk][3:5])
        ],
    }


# -- the workflow --------------------------------------------------------------------------------------


def submission_for(deadline, unit):
    """The unit's report for a deadline, created as a draft the first time it is asked for."""
    submission, _created = Submission.objects.get_or_create(deadline=deadline, unit=unit)
    return submission


def _move(submission, *, to, user, reason="", expect=None, **changes):
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
    Transition.objects.create(submission=submission, from_status=old, to_status=to, actor=user, reason=reason)
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
            _("The deadline, %(date)s, has passed: ask the organisation department for an extension.")
            % {"date": date_format(due_on, "DATE_FORMAT")}
        )
    participation = participation_for(deadline, submission.unit)
    if participation is None:
        raise WorkflowError(_("This unit does not report in this campaign."))
    _check_complete(submission, participation)
    changes = {"submitted_at": now}
    if submission.first_submitted_at is None:
        changes.update(first_submitted_at=now, late=now >= deadline.closes_at)
    # Every report keeps the registry's figures as they were when it was handed in; the survey's are its content.
    changes["snapshot"] = take_snapshot(submission.unit, participation.threshold, submission.hard_case_reasons)
    changes["figures"] = changes["snapshot"]["figures"]
    return _move(submission, to=Status.SUBMITTED, user=user, **changes)


@transaction.atomic
def submission_approve(submission, *, user, version):
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department approves reports."))
    if submission.status != Status.SUBMITTED:
        raise AlreadyHandled(
            _("This report has already been handled by someone else. Reload the page to see its state.")
        )
    return _move(submission, to=Status.APPROVED, user=user, expect=version)


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
        extension_grant(
            deadline, submission.unit, due_on=correction_due_on, reason=_("Returned for correction"), user=user
        )
    return _move(submission, to=Status.RETURNED, user=user, reason=reason.strip(), expect=version)
