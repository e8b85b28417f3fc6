"""考核验收: the 组织部 writes each unit's year-end conclusion beside its computed results and the timeliness of
its reports, approves it, and the record is then locked; 拉萨 staff read their own."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import SHANGHAI, Acceptance, AcceptanceChange
from campaigns.services import (
    AlreadyHandled,
    WorkflowError,
    acceptance_approve,
    acceptance_save,
    member_targets_set,
    report_save,
    report_submit,
)
from conftest import make_enterprise
from members.services import enrol
from members.tests.helpers import enrol_values, grassroots_union, id_number
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db


@pytest.fixture
def lhasa():
    return UnionOrg.objects.get(code="540100")


@pytest.fixture
def lhasa_results(members_campaign, lhasa, reviewer, chengguan_staff):
    """Three new migrant-worker members against a target of two; one 四要素 enterprise at 100%."""
    union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    employer = make_enterprise(
        "540102", headcount=40, party_org="own", profitable=True, union_status="own", migrant_workers=3
    )
    for serial in range(1, 4):
        enrol(chengguan_staff, union=union, employer=employer, **enrol_values(id_number=id_number(serial=serial)))
    member_targets_set(
        members_campaign,
        {lhasa.pk: ({"new_migrant_members": 2, "eighty_rate": 90, "eight_haves_rate": 50}, 0)},
        user=reviewer,
    )


def test_each_target_stands_beside_its_computed_result(members_campaign, lhasa, reviewer, lhasa_results):
    from campaigns.services import acceptance_results

    results = {row["name"]: row for row in acceptance_results(members_campaign, lhasa)}

    assert results["new_migrant_members"] == {"name": "new_migrant_members", "target": "2", "result": 3, "met": True}
    assert results["eighty_rate"]["result"] == "100.0"
    assert results["eighty_rate"]["met"] is True
    assert results["eight_haves_rate"]["met"] is False  # no township union meets 八有


def test_approval_freezes_results_and_timeliness_and_locks_the_record(
    members_progress_deadline, lhasa, reviewer, lhasa_staff, chengguan_staff, lhasa_results
):
    campaign = members_progress_deadline.stage.campaign
    report_save(members_progress_deadline, lhasa, user=lhasa_staff, content={"results": "进展顺利"})
    report_submit(
        members_progress_deadline, lhasa, user=lhasa_staff, now=datetime.datetime(2026, 5, 20, tzinfo=SHANGHAI)
    )
    record = acceptance_save(campaign, lhasa, user=reviewer, conclusion="mostly", comment="八有尚需加强", version=0)

    record = acceptance_approve(record, user=reviewer, version=record.version)
    union = UnionOrg.objects.get(code="540102.G001")
    enrol(chengguan_staff, union=union, **enrol_values(id_number=id_number(serial=9)))

    assert record.is_locked
    assert {row["name"]: row["result"] for row in record.results}["new_migrant_members"] == 3
    assert record.timeliness["counts"]["on_time"] == 1
    with pytest.raises(WorkflowError):
        acceptance_save(campaign, lhasa, user=reviewer, conclusion="met", comment="", version=record.version)
    assert list(AcceptanceChange.objects.values_list("to_status", flat=True)) == ["draft", "approved"]


def test_a_record_without_a_conclusion_cannot_be_approved(members_campaign, lhasa, reviewer):
    record = acceptance_save(members_campaign, lhasa, user=reviewer, conclusion="", comment="待定", version=0)

    with pytest.raises(WorkflowError):
        acceptance_approve(record, user=reviewer, version=record.version)


def test_two_reviewers_on_one_record_cannot_both_succeed(members_campaign, lhasa, reviewer):
    acceptance_save(members_campaign, lhasa, user=reviewer, conclusion="met", comment="", version=0)

    with pytest.raises(AlreadyHandled):
        acceptance_save(members_campaign, lhasa, user=reviewer, conclusion="not_met", comment="", version=0)
    assert Acceptance.objects.get().conclusion == "met"


def test_unit_staff_cannot_write_a_record(members_campaign, lhasa, lhasa_staff):
    with pytest.raises(WorkflowError):
        acceptance_save(members_campaign, lhasa, user=lhasa_staff, conclusion="met", comment="", version=0)


def test_the_reviewer_saves_and_approves_in_the_browser_and_lhasa_staff_read_the_locked_record(
    client, members_campaign, lhasa, reviewer, lhasa_staff, lhasa_results
):
    client.force_login(reviewer)
    url = reverse("campaigns:acceptance", args=[members_campaign.pk, "540100"])
    client.post(url, {"conclusion": "met", "comment": "完成目标", "version": "0"})
    client.post(reverse("campaigns:acceptance_approve", args=[members_campaign.pk, "540100"]), {"version": "1"})
    again = client.post(reverse("campaigns:acceptance_approve", args=[members_campaign.pk, "540100"]), {"version": "1"})

    assert again.status_code == 302
    client.force_login(lhasa_staff)
    page = client.get(url).content.decode()
    assert Acceptance.objects.get().is_locked
    assert 'text-bg-success" data-testid="acceptance-status"' in page
    assert 'data-testid="result-new_migrant_members">3<' in page
    assert client.post(url, {"conclusion": "not_met", "comment": "", "version": "2"}).status_code == 403
    assert Acceptance.objects.get().conclusion == "met"
