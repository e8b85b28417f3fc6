"""The union reviews online join applications: accept with a card number, return, reject, already a member."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members import tallies
from members.models import (
    ApplicationStatus,
    JoinApplication,
    Membership,
    PersonalDataAccess,
)
from members.services import MemberError, StaleMemberEdit
from members.services import reviewing as review
from members.tests.applications import make_application
from unions.models import UnionOrg

BARKHOR = "540102002"


@pytest.fixture
def barkhor():
    return UnionOrg.objects.get(code=BARKHOR)


@pytest.fixture
def application(barkhor):
    return make_application(barkhor)


def test_accepting_makes_a_member_from_today_with_a_county_card_number(chengguan_staff, application):
    done = review.application_accept(chengguan_staff, application, version=application.version, migrant_worker=True)

    assert done.status == ApplicationStatus.ACCEPTED
    membership = Membership.objects.get(pk=done.membership_id)
    assert membership.union.code == BARKHOR
    assert membership.joined_on == timezone.localdate()
    assert membership.person.migrant_worker
    assert membership.person.sex == "F"
    assert done.card_number == membership.card_number == f"540102{timezone.localdate().year}000001"
    assert [step.to_status for step in done.transitions.all()] == ["submitted", "accepted"]
    assert tallies.figures_of(UnionOrg.objects.get(code="540102"))["members"] == 1


def test_card_numbers_follow_each_other_within_a_county(chengguan_staff, barkhor):
    first = make_application(barkhor, serial=5, number="RHTEST00001")
    second = make_application(barkhor, serial=6, number="RHTEST00002")
    review.application_accept(chengguan_staff, first, version=1, migrant_worker=False)
    done = review.application_accept(chengguan_staff, second, version=1, migrant_worker=False)

    assert done.card_number.endswith("000002")


def test_an_applicant_already_member_elsewhere_becomes_a_transfer_request(chengguan_staff, chengguan_member, barkhor):
    application = make_application(barkhor, id_number=chengguan_member.id_number)

    done = review.application_accept(chengguan_staff, application, version=1, migrant_worker=True)

    assert done.status == ApplicationStatus.TRANSFER
    assert "拉萨某酒店工会" in done.reason
    assert Membership.objects.filter(person=chengguan_member).count() == 1


def test_an_applicant_already_member_of_this_union_is_refused_with_advice_to_reject(
    chengguan_staff, chengguan_member, chengguan_union
):
    application = make_application(chengguan_union, id_number=chengguan_member.id_number)

    with pytest.raises(MemberError, match="不予接收"):
        review.application_accept(chengguan_staff, application, version=1, migrant_worker=True)
    assert JoinApplication.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_returning_needs_a_reason_and_the_applicant_reads_it(chengguan_staff, application):
    with pytest.raises(MemberError):
        review.application_return(chengguan_staff, application, version=1, reason="  ")

    done = review.application_return(chengguan_staff, application, version=1, reason="电话号码打不通，请核对")

    assert done.status == ApplicationStatus.RETURNED
    assert done.reason == "电话号码打不通，请核对"
    step = done.transitions.last()
    assert (step.from_status, step.to_status, step.by) == ("submitted", "returned", chengguan_staff)


def test_a_stale_or_already_handled_application_is_refused(chengguan_staff, application):
    review.application_reject(chengguan_staff, application, version=1, reason="非本单位职工")

    with pytest.raises(StaleMemberEdit):
        review.application_accept(chengguan_staff, application, version=1, migrant_worker=True)
    with pytest.raises(MemberError, match="不再等待审核"):
        review.application_accept(chengguan_staff, application, version=2, migrant_worker=True)
    assert not Membership.objects.exists()


def test_staff_of_another_prefecture_may_not_review(shigatse_staff, application):
    with pytest.raises(MemberError):
        review.application_accept(shigatse_staff, application, version=1, migrant_worker=True)


def test_the_list_shows_waiting_applications_of_the_area_only(client, chengguan_staff, shigatse_staff, application):
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:applications"))
    assert application.number in page.content.decode()
    assert "13900001111" not in page.content.decode()

    client.force_login(shigatse_staff)
    assert application.number not in client.get(reverse("members:applications")).content.decode()
    assert client.get(reverse("members:application", args=[application.pk])).status_code == 404


def test_staff_accept_through_the_page_and_see_the_card_number(client, chengguan_staff, application):
    client.force_login(chengguan_staff)
    url = reverse("members:application_accept", args=[application.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"version": 1, "migrant_worker": "on"}, follow=True)

    assert "会员证号" in response.content.decode()
    assert JoinApplication.objects.get(pk=application.pk).status == ApplicationStatus.ACCEPTED
    # A second click of the same form changes nothing and says why.
    again = client.post(url, {"version": 1, "migrant_worker": "on"}, follow=True)
    assert Membership.objects.count() == 1
    assert "不再等待审核" in again.content.decode()


def test_a_viewer_sees_but_may_not_act(client, lhasa_viewer, application):
    client.force_login(lhasa_viewer)
    assert client.get(reverse("members:application", args=[application.pk])).status_code == 200
    assert client.get(reverse("members:application_reject", args=[application.pk])).status_code == 403


def test_revealing_the_applicants_numbers_is_logged_with_the_reason(client, chengguan_staff, application):
    client.force_login(chengguan_staff)
    url = reverse("members:application_reveal", args=[application.pk])

    response = client.post(url, {"reason": "电话核实"})

    assert "13900001111" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.reason == f"{application.number}: 电话核实"
    assert access.organisation.code == BARKHOR
