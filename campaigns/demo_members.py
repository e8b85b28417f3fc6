"""The demo's 2015 members campaign (农牧民工入会集中行动) with real figures: 2014 baselines taken from the demo
rolls, member targets, the first progress report of 日喀则 and 拉萨 handed in and approved in 2015, and an
extension that lets 拉萨 hand in its last progress report today."""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from campaigns.models import SHANGHAI, Campaign, Deadline, MemberBaseline, ReportKind
from campaigns.services import (
    CONTENT_FIELDS,
    acceptance_approve,
    acceptance_save,
    baselines_set,
    extension_grant,
    member_targets_set,
    report_save,
    report_submit,
    submission_approve,
)
from campaigns.services.members import member_tallies
from unions.models import UnionOrg, User

MEMBERS_CAMPAIGN = "农牧民工入会集中行动"
DEMO_NOTE = "演示数据"
# Who hands its first progress report in (and has it approved) in May 2015.
FIRST_REPORTS = ("540200", "540100")
# Days from today until 拉萨's last progress report of 2015 is due, by an extension.
EXTENDED_DAYS = 14


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _staff(unit):
    return User.objects.filter(organisation=unit, role="staff", is_active=True).first()


def _baseline(unit):
    """The unit's migrant-worker members who joined by the end of 2014, from the demo rolls."""
    return member_tallies(unit, 2014).filter(migrant_worker=True).aggregate(n=Sum("count", default=0))["n"]


@transaction.atomic
def load_demo_members_campaign(today=None):
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(name=MEMBERS_CAMPAIGN, year=2015).first()
    reviewer = User.objects.filter(username="zzb_reviewer").first()
    if campaign is None or reviewer is None or MemberBaseline.objects.filter(campaign=campaign).exists():
        return False
    units = [participation.unit for participation in campaign.participations.select_related("unit")]
    baselines = {unit.pk: (_baseline(unit), f"{DEMO_NOTE}：2014年工会统计年报", 0) for unit in units}
    baselines_set(campaign, baselines, user=reviewer)
    targets = {
        unit.pk: (
            {"new_migrant_members": max(10, baselines[unit.pk][0] // 2), "eighty_rate": 60, "eight_haves_rate": 50},
            0,
        )
        for unit in units
        if unit.kind == UnionOrg.Kind.PREFECTURE_FEDERATION
    }
    member_targets_set(campaign, targets, user=reviewer)
    progress = list(
        Deadline.objects.filter(stage__campaign=campaign, stage__report_kind=ReportKind.PROGRESS).order_by("due_on")
    )
    by_code = {unit.code: unit for unit in units}
    for index, code in enumerate(FIRST_REPORTS):
        unit, staff = by_code.get(code), _staff(by_code.get(code))
        if unit is None or staff is None:
            continue
        report_save(
            progress[0],
            unit,
            user=staff,
            content=dict.fromkeys(CONTENT_FIELDS, f"{DEMO_NOTE}：建筑工地和物流企业集中开展入会宣传，现场登记入会。"),
        )
        handed_in = report_submit(
            progress[0], unit, user=staff, now=_at(progress[0].due_on - datetime.timedelta(days=3 - index))
        )
        submission_approve(
            handed_in, user=reviewer, version=handed_in.version, now=handed_in.submitted_at + datetime.timedelta(days=1)
        )
    if "540200" in by_code:  # 日喀则's year-end acceptance, approved and locked
        record = acceptance_save(
            campaign,
            by_code["540200"],
            user=reviewer,
            conclusion="mostly",
            comment=f"{DEMO_NOTE}：新发展会员完成目标，“八有”达标率仍需提高。",
            version=0,
        )
        acceptance_approve(record, user=reviewer, version=record.version)
    if "540100" in by_code:
        extension_grant(
            progress[-1],
            by_code["540100"],
            due_on=today + datetime.timedelta(days=EXTENDED_DAYS),
            reason=f"{DEMO_NOTE}：补报2015年最后一期进展情况",
            user=reviewer,
        )
    return True
