"""Demo campaigns: the 2019 survey approved for every prefecture, and this year's campaign placed around today.

Whatever the day `make run` runs on, every demo account then finds a report due within days, one overdue, one
waiting for review and one returned for correction; the 组织部 finds reports to review and a request for more time;
the dashboard shows each of the four words of timeliness. This year's reports are written through the workflow's own
services at past moments (`now=`), so they carry the transitions, extensions and bells a real year would.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from campaigns.models import SHANGHAI, Campaign, Deadline, ReportKind, Submission, Target, Transition
from campaigns.services import (
    CONTENT_FIELDS,
    campaign_create,
    default_participants,
    extension_grant,
    extension_request_create,
    extension_request_grant,
    report_save,
    report_submit,
    submission_approve,
    submission_return,
    survey_figures,
    survey_queryset,
    take_snapshot,
    targets_set,
)
from enterprises.models import FIGURES
from unions.models import UnionOrg, User

DEMO_NAME = "百人以上企业建会专项行动"
DEMO_NOTE = "演示数据"
# The units with demo staff accounts (拉萨市, 日喀则市, 城关区): each gets one report in every state.
STAFFED = ("540100", "540200", "540102")
# Days from today of each report's due date in this year's demo campaign.
PLAN_DUE, SURVEY_DUE, PROGRESS_DUE, PROGRESS_NEXT_DUE, SUMMARY_DUE = -40, -10, -5, 3, 60


def _days(today, days):
    return today + datetime.timedelta(days=days)


def _moment(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _stages(today):
    return [
        {"name": "组织动员", "report_kind": ReportKind.PLAN, "due_on": _days(today, PLAN_DUE)},
        {"name": "排查摸底", "report_kind": ReportKind.SURVEY, "due_on": _days(today, SURVEY_DUE)},
        {"name": "集中推进", "report_kind": ReportKind.PROGRESS, "due_on": _days(today, PROGRESS_DUE)},
        {"name": "总结交流", "report_kind": ReportKind.SUMMARY, "due_on": _days(today, SUMMARY_DUE)},
    ]


def load_demo_campaign(today=None):
    """This year's campaign, once, with its deadlines placed around `today` (default: the day it runs)."""
    today = today or timezone.localdate()
    if Campaign.objects.filter(year=today.year, name=DEMO_NAME).exists() or not _reviewer():
        return None
    stages = [
        {**stage, "starts_on": _days(stage["due_on"], -30), "ends_on": _days(stage["due_on"], 5)}
        for stage in _stages(today)
    ]
    participants = [*default_participants(), UnionOrg.objects.get(code="540102")]
    with transaction.atomic():
        campaign = campaign_create(
            name=DEMO_NAME,
            year=today.year,
            plan_text=f"{DEMO_NOTE}：按2019年工作方案，日期随演示当天安排。",
            stages=stages,
            participants=participants,
        )
        _second_progress_period(campaign, today)
    return campaign


def _second_progress_period(campaign, today):
    """The push stage reports twice: the period just ended (overdue) and the current one (due within days)."""
    stage = campaign.stages.get(report_kind=ReportKind.PROGRESS)
    first = stage.deadlines.get()
    Deadline.objects.filter(pk=first.pk).update(
        period_start=_days(today, PROGRESS_DUE - 30), period_end=_days(today, PROGRESS_DUE)
    )
    Deadline.objects.create(
        stage=stage,
        sequence=2,
        period_start=_days(today, PROGRESS_DUE + 1),
        period_end=_days(today, PROGRESS_NEXT_DUE),
        due_on=_days(today, PROGRESS_NEXT_DUE),
    )
    stage.ends_on = _days(today, PROGRESS_NEXT_DUE + 5)
    stage.save(update_fields=["ends_on"])


def _reviewer():
    return User.objects.filter(username="zzb_reviewer").first()


def _staff(unit):
    return User.objects.filter(organisation=unit, role="staff").first() or _demo_staff(unit)


def _demo_staff(unit):
    """Units without a demo account hand their reports in through a staff account of their own, one that is
    inactive and has no password: it cannot log in and receives nothing."""
    user, created = User.objects.get_or_create(
        username=f"demo_{unit.code.replace('.', '_').lower()}",
        defaults={
            "organisation": unit,
            "role": "staff",
            "first_name": f"{unit.short_name or unit.name}填报员",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _hand_in(deadline, unit, at):
    """Fill in and submit a unit's report at a past moment, through the workflow."""
    staff = _staff(unit)
    reasons = None
    if deadline.kind == ReportKind.SURVEY:
        participation = deadline.stage.campaign.participations.get(unit=unit)
        cases = survey_queryset(unit, participation.threshold).hard_cases().values_list("pk", flat=True)
        reasons = dict.fromkeys(cases, f"{DEMO_NOTE}：跨地经营，需区总工会协调")
    content = dict.fromkeys(CONTENT_FIELDS, f"{DEMO_NOTE}：本期组织摸排走访企业，推动新建工会。")
    report_save(deadline, unit, user=staff, content=content, hard_case_reasons=reasons)
    return report_submit(deadline, unit, user=staff, now=at)


def _approve(submission):
    """The 组织部 approves a day after the report came in."""
    at = submission.submitted_at + datetime.timedelta(days=1)
    return submission_approve(submission, user=_reviewer(), version=submission.version, now=at)


def _deadlines(campaign):
    by_kind = {}
    for deadline in Deadline.objects.filter(stage__campaign=campaign).select_related("stage").order_by("due_on"):
        by_kind.setdefault(deadline.kind, []).append(deadline)
    return by_kind


def _this_year(campaign, today):
    """Every state a report can be in, and each of the four words of timeliness."""
    reviewer = _reviewer()
    deadlines = _deadlines(campaign)
    plan, survey, progress = deadlines["plan"][0], deadlines["survey"][0], deadlines["progress"][0]
    units = {p.unit.code: p.unit for p in campaign.participations.select_related("unit")}
    plan_in = _moment(_days(today, PLAN_DUE - 2))
    for code, unit in units.items():
        submitted = _hand_in(plan, unit, plan_in)
        if code in STAFFED:
            # Returned after its deadline: the unit has until a few days from now to correct it.
            submission_return(
                submitted,
                user=reviewer,
                version=submitted.version,
                reason=f"{DEMO_NOTE}：请补充各县（区）的工作安排和完成时限",
                correction_due_on=_days(today, 5),
                now=_moment(_days(today, PLAN_DUE + 2)),
            )
        else:
            _approve(submitted)
    for code in STAFFED:  # handed in on time, waiting for the 组织部
        _hand_in(survey, units[code], _moment(_days(today, SURVEY_DUE - 1)))
    _approve(_hand_in(survey, units["540400"], _moment(_days(today, SURVEY_DUE - 3))))  # 林芝: on time
    _approve(_hand_in(progress, units["540400"], _moment(_days(today, PROGRESS_DUE - 1))))
    _extended(survey, units["540500"], today)  # 山南: asked in time, granted in time
    _late(survey, units["540300"], today)  # 昌都: granted after the deadline had passed
    # 阿里 asks after the deadline; the request waits for the 组织部. 那曲 and the others: nothing yet.
    extension_request_create(
        survey,
        units["542500"],
        due_on=_days(today, 10),
        reason=f"{DEMO_NOTE}：牧区大雪封路，部分企业尚未走访",
        user=_staff(units["542500"]),
        now=_moment(_days(today, SURVEY_DUE + 2)),
    )


def _extended(deadline, unit, today):
    asked = extension_request_create(
        deadline,
        unit,
        due_on=_days(today, SURVEY_DUE + 6),
        reason=f"{DEMO_NOTE}：统计人员参加区里培训",
        user=_staff(unit),
        now=_moment(_days(today, SURVEY_DUE - 5)),
    )
    extension_request_grant(
        asked,
        due_on=_days(today, SURVEY_DUE + 5),
        user=_reviewer(),
        version=asked.version,
        now=_moment(_days(today, SURVEY_DUE - 4)),
    )
    _approve(_hand_in(deadline, unit, _moment(_days(today, SURVEY_DUE + 4))))


def _late(deadline, unit, today):
    extension_grant(
        deadline,
        unit,
        due_on=_days(today, SURVEY_DUE + 7),
        reason=f"{DEMO_NOTE}：逾期补报",
        user=_reviewer(),
        now=_moment(_days(today, SURVEY_DUE + 3)),
    )
    _hand_in(deadline, unit, _moment(_days(today, SURVEY_DUE + 6)))


# -- the 2019 survey: approved figures to compare this year's with -----------------------------------------------


def _figures_of(rows):
    figures = dict.fromkeys(("total", *FIGURES), 0)
    for _pk, _code, _name, party_org, union_status, _headcount in rows:
        party, union = party_org != "none", union_status != "none"
        name = "both" if party and union else "party_only" if party else "union_only" if union else "neither"
        figures[name] += 1
        figures["total"] += 1
    return figures


def _approved_2019_survey(deadline, unit, *, handed_in_at, reviewer):
    """A 2019 report written straight in (its figures made lower than today's), with its transitions."""
    participation = deadline.stage.campaign.participations.get(unit=unit)
    cases = survey_queryset(unit, participation.threshold).hard_cases().values_list("pk", flat=True)
    reasons = {str(pk): f"{DEMO_NOTE}：跨地经营，需区总工会协调" for pk in cases}
    snapshot = take_snapshot(unit, participation.threshold, reasons)
    for row in snapshot["enterprises"]:
        if row[4] != "none" and row[0] % 4 == 0:  # some enterprises that have a union now had none then
            row[4] = "none"
    snapshot["figures"] = _figures_of(snapshot["enterprises"])
    on_time = handed_in_at < deadline.closes_at
    submission = Submission.objects.create(
        deadline=deadline,
        unit=unit,
        status=Submission.Status.APPROVED,
        first_submitted_at=handed_in_at,
        submitted_at=handed_in_at,
        timeliness="on_time" if on_time else "late",
        snapshot=snapshot,
        figures=snapshot["figures"],
        hard_case_reasons=reasons,
    )
    for old, new in (("draft", "submitted"), ("submitted", "approved")):
        Transition.objects.create(
            submission=submission, from_status=old, to_status=new, actor=reviewer, reason=DEMO_NOTE
        )


def _prefectures(campaign):
    return [
        participation.unit
        for participation in campaign.participations.select_related("unit").order_by("unit__code")
        if participation.unit.kind == UnionOrg.Kind.PREFECTURE_FEDERATION
    ]


@transaction.atomic
def load_demo_reports(today=None):
    """Once: this year's reports in every state and targets, and the 2019 survey approved for every prefecture."""
    today = today or timezone.localdate()
    now = Campaign.objects.filter(year=today.year, name=DEMO_NAME).first()
    reviewer = _reviewer()
    if now is None or reviewer is None or Target.objects.filter(campaign=now).exists():
        return False
    then = Campaign.objects.filter(year=2019, name=DEMO_NAME).exclude(pk=now.pk).first()
    if then is not None:
        survey_then = Deadline.objects.get(stage__campaign=then, stage__report_kind=ReportKind.SURVEY)
        for index, unit in enumerate(_prefectures(then)):
            handed_in = survey_then.closes_at - datetime.timedelta(days=3 - index % 5)  # the fifth and later: late
            _approved_2019_survey(survey_then, unit, handed_in_at=handed_in, reviewer=reviewer)
    _this_year(now, today)
    targets = {unit.pk: (max(1, round(survey_figures(unit, 100)["total"] * 0.8)), 80, 0) for unit in _prefectures(now)}
    targets_set(now, targets, user=reviewer)
    return True
