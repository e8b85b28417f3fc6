"""The demo's push phase: key enterprises of this year's campaign with cases at several grades, one of them
unionised, one left without a step for over a month, and letters issued where the cases reached that grade.

Everything goes through the services a user's clicks use, so the demo's cases, steps and letters are what the
portal itself would have recorded. Safe to run again: a campaign that already has cases is left alone.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from campaigns.demo import DEMO_NAME
from campaigns.models import Campaign, CaseStep, Grade, LetterKind, OrganisingCase
from campaigns.services import push
from campaigns.services.letters import letter_issue
from unions.models import UnionOrg, User, division_prefix
from unions.services import grassroots_union_create

# (designating account, prefecture or county, responsible person, measures as (grade, days ago, who, note),
#  founding steps as (step, days ago), unionised, days since the last step when left alone)
DEMO_CASES = [
    ("lasa_staff", "540100", "拉萨市总工会组织部 次仁", [
        (Grade.GUIDANCE, 60, "城关区总工会", "上门宣传《工会法》，企业表示考虑"),
        (Grade.MEETING, 45, "拉萨市总工会 次仁", "与企业负责人座谈，同意成立筹备组"),
    ], [("preparatory", 30), ("assembly", 20), ("election", 12), ("approval", 5)], True, None),
    ("lasa_staff", "540100", "拉萨市总工会组织部 卓玛", [
        (Grade.GUIDANCE, 50, "拉萨市总工会", "电话沟通，企业以人员流动大为由推迟"),
        (Grade.MEETING, 40, "拉萨市总工会 卓玛", "约见经营者，未达成一致"),
        (Grade.LETTERS, 25, "拉萨市总工会", "发出工会组建意见函"),
    ], [], False, None),
    ("lasa_staff", "540102", "城关区总工会 扎西", [
        (Grade.GUIDANCE, 20, "城关区总工会", "发放建会指导材料"),
    ], [], False, None),
    ("lasa_staff", "540100", "拉萨市总工会组织部 扎西", [], [], False, 40),
    ("rikaze_staff", "540200", "日喀则市总工会 普布", [
        (Grade.GUIDANCE, 55, "桑珠孜区总工会", "走访企业"),
        (Grade.MEETING, 35, "日喀则市总工会 普布", "与经营者座谈"),
        (Grade.LETTERS, 28, "日喀则市总工会", "发出意见函和法律监督检查意见书"),
        (Grade.JOIN_FIRST, 10, "桑珠孜区总工会", "组织职工先行加入所在乡镇工会"),
    ], [], False, None),
    ("rikaze_staff", "540200", "日喀则市总工会 央金", [
        (Grade.GUIDANCE, 15, "日喀则市总工会", "宣传入会政策"),
    ], [], False, None),
    ("zzb_reviewer", "540100", "自治区总工会组织部 格桑", [
        (Grade.MEETING, 33, "自治区总工会组织部", "会同拉萨市总工会约谈集团负责人"),
    ], [], False, None),
]  # fmt: skip


def _day(campaign, today, days_ago):
    """`days_ago` before today, but not before the campaign's year begins."""
    return max(today - datetime.timedelta(days=days_ago), datetime.date(campaign.year, 1, 1))


def _campaign(today):
    return Campaign.objects.filter(year=today.year, name=DEMO_NAME).first()


@transaction.atomic
def load_demo_push(today=None):
    """Designate the demo's key enterprises and record their cases; returns how many cases were made."""
    today = today or timezone.localdate()
    campaign = _campaign(today)
    if campaign is None or OrganisingCase.objects.filter(campaign=campaign).exists():
        return 0
    made = 0
    taken = set()
    for username, place, person, measures, founding, unionised, left_alone in DEMO_CASES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        enterprise = (
            push.key_suggestions(campaign, user)
            .filter(county__code__startswith=division_prefix(place))
            .exclude(pk__in=taken)
            .first()
        )
        if enterprise is None:
            continue
        taken.add(enterprise.pk)
        case = push.case_designate(user=user, campaign=campaign, enterprise=enterprise, responsible_person=person)
        for grade, days_ago, who, note in measures:
            if grade == Grade.LETTERS:
                _send_letters(case, user, _day(campaign, today, days_ago), note)
                continue
            push.case_record_measure(
                case, user=user, grade=grade, happened_on=_day(campaign, today, days_ago), who=who, note=note,
                version=case.version,
            )  # fmt: skip
            case.refresh_from_db()
        for step, days_ago in founding:
            push.case_record_founding_step(
                case, user=user, founding_step=step, happened_on=_day(campaign, today, days_ago), version=case.version
            )
            case.refresh_from_db()
        _designated_before_its_steps(case)
        if unionised:
            _found(case, user, today)
        if left_alone:
            _leave_alone(case, today, left_alone)
        made += 1
    return made


def _send_letters(case, user, day, note):
    """一函两书: the 意见函, and where the note says so the 法律监督检查意见书 too; each is a numbered letter."""
    kinds = [LetterKind.OPINION]
    if "意见书" in note:
        kinds.append(LetterKind.SUPERVISION_OPINION)
    for kind in kinds:
        letter_issue(case, user=user, kind=kind, version=case.version, issued_on=day)
        case.refresh_from_db()


def _designated_before_its_steps(case):
    """The demo records a case's past measures on the day it loads: date the designation before the first one."""
    first = case.steps.exclude(kind=CaseStep.Kind.STATUS).order_by("happened_on").first()
    if first is None:
        return
    day = first.happened_on - datetime.timedelta(days=3)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    case.steps.filter(kind=CaseStep.Kind.STATUS).update(happened_on=day, recorded_at=moment)
    OrganisingCase.objects.filter(pk=case.pk).update(designated_at=moment)


def _found(case, user, today):
    """The union founded: a new enterprise union under the county's federation, which covers the enterprise."""
    county = UnionOrg.objects.get(kind=UnionOrg.Kind.COUNTY_FEDERATION, division_id=case.enterprise.county_id)
    union = grassroots_union_create(user=user, parent=county, name=f"{case.enterprise.name}工会", form="enterprise")
    push.case_found_union(case, user=user, union=union, founded_on=today - datetime.timedelta(days=3),
                          version=case.version, note="上级工会批复同意")  # fmt: skip


def _leave_alone(case, today, days):
    """A case nobody has moved for `days` days, so that the list and the bell show one that stalls."""
    moment = timezone.now() - datetime.timedelta(days=days)
    CaseStep.objects.filter(case=case).update(happened_on=_day(case.campaign, today, days), recorded_at=moment)
    OrganisingCase.objects.filter(pk=case.pk).update(last_step_at=moment, designated_at=moment)
