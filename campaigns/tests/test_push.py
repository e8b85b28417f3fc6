"""The push phase's cases: who designates, what a measure records, and how a founding closes the case."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import CaseStatus, CaseStep, OrganisingCase
from campaigns.services.errors import WorkflowError
from campaigns.services.push import (
    campaign_set_key_headcount,
    case_designate,
    case_found_union,
    case_record_founding_step,
    case_record_measure,
    case_withdraw,
    criteria_met,
    key_suggestions,
)
from conftest import make_enterprise
from members.tests.helpers import grassroots_union

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def measure(case, user, grade=2, **fields):
    values = {"happened_on": TODAY, "who": "拉萨市总工会 次仁", "note": "与经营者座谈", "version": case.version}
    return case_record_measure(case, user=user, grade=grade, **{**values, **fields})


def test_the_suggestions_follow_the_campaigns_reading_of_large(survey_campaign, lhasa_staff, reviewer):
    big = make_enterprise("540102", name="大型企业", headcount=320, industry="G")
    make_enterprise("540102", name="中型企业", headcount=200, industry="G")
    assert list(key_suggestions(survey_campaign, lhasa_staff)) == [big]
    campaign_set_key_headcount(survey_campaign, user=reviewer, headcount=150)
    assert {e.name for e in key_suggestions(survey_campaign, lhasa_staff)} == {"大型企业", "中型企业"}


def test_only_the_organisation_department_sets_the_size_and_within_bounds(survey_campaign, lhasa_staff, reviewer):
    with pytest.raises(WorkflowError):
        campaign_set_key_headcount(survey_campaign, user=lhasa_staff, headcount=100)
    with pytest.raises(WorkflowError):
        campaign_set_key_headcount(survey_campaign, user=reviewer, headcount=0)


def test_a_designated_enterprise_leaves_the_suggestions_and_keeps_its_criteria(
    lhasa_case, survey_campaign, lhasa_staff
):
    assert lhasa_case.enterprise not in key_suggestions(survey_campaign, lhasa_staff)
    assert lhasa_case.criteria == ["large"]
    assert criteria_met(lhasa_case.enterprise, survey_campaign) == ["large"]
    assert lhasa_case.steps.get().to_status == CaseStatus.OPEN


def test_an_enterprise_is_key_once_per_campaign(lhasa_case, survey_campaign, reviewer):
    with pytest.raises(WorkflowError, match="已经"):
        case_designate(
            user=reviewer, campaign=survey_campaign, enterprise=lhasa_case.enterprise, responsible_person="甲"
        )


def test_county_staff_and_viewers_do_not_designate(survey_campaign, chengguan_staff, lhasa_viewer):
    enterprise = make_enterprise("540102", headcount=400)
    for user in (chengguan_staff, lhasa_viewer):
        with pytest.raises(WorkflowError):
            case_designate(user=user, campaign=survey_campaign, enterprise=enterprise, responsible_person="甲")


def test_another_prefecture_cannot_designate_lhasas_enterprise(survey_campaign, shigatse_staff):
    enterprise = make_enterprise("540102", headcount=400)
    with pytest.raises(WorkflowError):
        case_designate(user=shigatse_staff, campaign=survey_campaign, enterprise=enterprise, responsible_person="甲")


def test_a_measure_raises_the_highest_grade_and_not_lowers_it(lhasa_case, chengguan_staff):
    measure(lhasa_case, chengguan_staff, grade=3)
    lhasa_case.refresh_from_db()
    measure(lhasa_case, chengguan_staff, grade=1)
    lhasa_case.refresh_from_db()
    assert lhasa_case.highest_grade == 3
    assert lhasa_case.steps.filter(kind=CaseStep.Kind.MEASURE).count() == 2


def test_a_measure_made_on_a_stale_page_is_refused(lhasa_case, chengguan_staff, lhasa_staff):
    seen = lhasa_case.version
    measure(lhasa_case, lhasa_staff)
    with pytest.raises(WorkflowError, match="刷新"):
        measure(lhasa_case, chengguan_staff, version=seen)


def test_a_measure_cannot_be_dated_tomorrow_or_lack_who(lhasa_case, lhasa_staff):
    with pytest.raises(WorkflowError):
        measure(lhasa_case, lhasa_staff, happened_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(WorkflowError):
        measure(lhasa_case, lhasa_staff, who="  ")


def test_another_prefecture_and_viewers_record_nothing(lhasa_case, shigatse_staff, lhasa_viewer):
    for user in (shigatse_staff, lhasa_viewer):
        with pytest.raises(WorkflowError):
            measure(lhasa_case, user)


def test_founding_the_union_closes_the_case_and_changes_the_registry(lhasa_case, chengguan_staff):
    case_record_founding_step(
        lhasa_case, user=chengguan_staff, founding_step="preparatory", happened_on=TODAY, version=lhasa_case.version
    )
    lhasa_case.refresh_from_db()
    union = grassroots_union("540102002", "540102002901", "拉萨雪域物流有限公司工会")
    case_found_union(lhasa_case, user=chengguan_staff, union=union, founded_on=TODAY, version=lhasa_case.version)
    case = OrganisingCase.objects.get(pk=lhasa_case.pk)
    assert (case.status, case.founded_union, case.closed_on) == (CaseStatus.UNIONISED, union, TODAY)
    case.enterprise.refresh_from_db()
    assert case.enterprise.union_status == "own"
    with pytest.raises(WorkflowError, match="结案"):
        measure(case, chengguan_staff)


def test_a_federation_is_not_the_founded_union(lhasa_case, chengguan_staff):
    from unions.models import UnionOrg

    with pytest.raises(WorkflowError):
        case_found_union(
            lhasa_case,
            user=chengguan_staff,
            union=UnionOrg.objects.get(code="540102"),
            founded_on=TODAY,
            version=lhasa_case.version,
        )


def test_withdrawing_needs_a_reason_and_keeps_the_step(lhasa_case, lhasa_staff):
    with pytest.raises(WorkflowError):
        case_withdraw(lhasa_case, user=lhasa_staff, reason=" ", version=lhasa_case.version)
    case_withdraw(lhasa_case, user=lhasa_staff, reason="企业已注销", version=lhasa_case.version)
    step = lhasa_case.steps.latest("pk")
    assert (step.from_status, step.to_status, step.note) == (CaseStatus.OPEN, CaseStatus.WITHDRAWN, "企业已注销")


def test_a_case_without_a_step_for_30_days_reminds_its_unit_once(lhasa_case, lhasa_staff, chengguan_staff):
    from campaigns.models import Notification
    from campaigns.notifications import send_reminders

    OrganisingCase.objects.filter(pk=lhasa_case.pk).update(last_step_at=timezone.now() - datetime.timedelta(days=31))
    send_reminders()
    send_reminders()
    reminders = Notification.objects.filter(kind=Notification.Kind.CASE_STALE)
    assert [n.user for n in reminders] == [lhasa_staff]
    assert "拉萨雪域物流有限公司" in reminders.get().message


def test_a_case_that_moved_lately_reminds_nobody(lhasa_case, lhasa_staff):
    from campaigns.models import Notification
    from campaigns.notifications import send_reminders

    OrganisingCase.objects.filter(pk=lhasa_case.pk).update(last_step_at=timezone.now() - datetime.timedelta(days=29))
    send_reminders()
    assert not Notification.objects.filter(kind=Notification.Kind.CASE_STALE).exists()
