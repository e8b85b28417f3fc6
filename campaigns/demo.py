"""Demo: this year's copy of the 2019 campaign, reopened for the survey so that every demo account has work."""

import datetime

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Deadline, ReportKind, Submission, Target, Transition, timeliness_of
from campaigns.services import (
    campaign_copy,
    extension_grant,
    survey_figures,
    survey_queryset,
    take_snapshot,
    targets_set,
)
from enterprises.models import FIGURES
from unions.models import UnionOrg, User

DEMO_EXTENSION_DAYS = 30


def load_demo_campaign():
    """Copy the 2019 campaign to the current year once; if its survey deadline has passed, extend it for all."""
    year = timezone.localdate().year
    source = Campaign.objects.filter(year=2019, name="百人以上企业建会专项行动").first()
    reviewer = User.objects.filter(username="zzb_reviewer").first()
    if source is None or reviewer is None or Campaign.objects.filter(year=year, name=source.name).exists():
        return None
    campaign = campaign_copy(source, year=year, user=reviewer)
    today = timezone.localdate()
    for deadline in campaign.stages.get(report_kind=ReportKind.SURVEY).deadlines.all():
        if deadline.due_on < today:
            for participation in campaign.participations.select_related("unit"):
                extension_grant(
                    deadline,
                    participation.unit,
                    due_on=today + datetime.timedelta(days=DEMO_EXTENSION_DAYS),
                    reason="演示数据：摸底数据延期报送",
                    user=reviewer,
                )
    return campaign


# -- figures to look at: an approved 2019 survey, this year's reports in every state, targets ----------------------

DEMO_NOTE = "演示数据"
# This year's survey in the demo: approved (林芝、山南), waiting for review (昌都); the rest still to do.
DEMO_SURVEY_STATES = {
    "540400": Submission.Status.APPROVED,
    "540500": Submission.Status.APPROVED,
    "540300": Submission.Status.SUBMITTED,
}
# Progress reports handed in: on time (days before the due date) or late (negative).
DEMO_PROGRESS_DAYS = {"540300": 2, "540400": 5, "540500": -3, "540600": 1}


def _figures_of(rows):
    figures = dict.fromkeys(("total", *FIGURES), 0)
    for _pk, _code, _name, party_org, union_status, _headcount in rows:
        party, union = party_org != "none", union_status != "none"
        name = "both" if party and union else "party_only" if party else "union_only" if union else "neither"
        figures[name] += 1
        figures["total"] += 1
    return figures


def _demo_submission(deadline, unit, *, status, handed_in_at, reviewer, snapshot=None, unionised_then=None):
    """A report written straight into the demo, with the transitions it would have had."""
    participation = deadline.stage.campaign.participations.get(unit=unit)
    reasons = {
        str(pk): f"{DEMO_NOTE}：跨地经营，需区总工会协调"
        for pk in survey_queryset(unit, participation.threshold).hard_cases().values_list("pk", flat=True)
    }
    snapshot = snapshot or take_snapshot(unit, participation.threshold, reasons)
    if unionised_then is not None:
        # The earlier campaign: some enterprises that have a union now had none then.
        for row in snapshot["enterprises"]:
            if row[4] != "none" and not unionised_then(row[0]):
                row[4] = "none"
        snapshot["figures"] = _figures_of(snapshot["enterprises"])
    submission = Submission.objects.create(
        deadline=deadline,
        unit=unit,
        status=status,
        first_submitted_at=handed_in_at,
        submitted_at=handed_in_at,
        timeliness=timeliness_of(deadline, handed_in_at, deadline.extensions.filter(unit=unit)),
        snapshot=snapshot,
        figures=snapshot["figures"],
        hard_case_reasons=reasons if deadline.kind == ReportKind.SURVEY else {},
        results="" if deadline.kind == ReportKind.SURVEY else f"{DEMO_NOTE}：本期组织摸排走访企业，推动新建工会。",
    )
    Transition.objects.create(
        submission=submission, from_status="draft", to_status="submitted", actor=reviewer, reason=DEMO_NOTE
    )
    if status == Submission.Status.APPROVED:
        Transition.objects.create(
            submission=submission, from_status="submitted", to_status="approved", actor=reviewer, reason=DEMO_NOTE
        )
    return submission


def _prefectures(campaign):
    return [
        participation.unit
        for participation in campaign.participations.select_related("unit").order_by("unit__code")
        if participation.unit.kind == UnionOrg.Kind.PREFECTURE_FEDERATION
    ]


@transaction.atomic
def load_demo_reports():
    """Once: the 2019 survey approved for every prefecture, this year's reports in several states, and targets."""
    then = Campaign.objects.filter(year=2019, name="百人以上企业建会专项行动").first()
    now = Campaign.objects.filter(year=timezone.localdate().year, name="百人以上企业建会专项行动").first()
    reviewer = User.objects.filter(username="zzb_reviewer").first()
    if then is None or now is None or reviewer is None or Target.objects.filter(campaign=now).exists():
        return False
    survey_then = Deadline.objects.get(stage__campaign=then, stage__report_kind=ReportKind.SURVEY)
    for index, unit in enumerate(_prefectures(then)):
        handed_in = survey_then.closes_at - datetime.timedelta(days=3 - index % 5)  # the fifth and later: late
        _demo_submission(
            survey_then,
            unit,
            status=Submission.Status.APPROVED,
            handed_in_at=handed_in,
            reviewer=reviewer,
            unionised_then=lambda pk: pk % 4 != 0,
        )
    survey_now = Deadline.objects.get(stage__campaign=now, stage__report_kind=ReportKind.SURVEY)
    moment = timezone.now() - datetime.timedelta(days=1)
    targets = {}
    for unit in _prefectures(now):
        state = DEMO_SURVEY_STATES.get(unit.code)
        if state:
            _demo_submission(survey_now, unit, status=state, handed_in_at=moment, reviewer=reviewer)
        targets[unit.pk] = (max(1, round(survey_figures(unit, 100)["total"] * 0.8)), 80, 0)
    targets_set(now, targets, user=reviewer)
    today = timezone.localdate()
    for deadline in Deadline.objects.filter(
        stage__campaign=now, stage__report_kind=ReportKind.PROGRESS, due_on__lt=today
    ):
        for unit in _prefectures(now):
            days = DEMO_PROGRESS_DAYS.get(unit.code)
            if days is not None:
                handed_in = deadline.closes_at - datetime.timedelta(days=days, hours=12)
                _demo_submission(
                    deadline, unit, status=Submission.Status.APPROVED, handed_in_at=handed_in, reviewer=reviewer
                )
    return True
