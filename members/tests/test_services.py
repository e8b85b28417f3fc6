"""Enrolling, changing and ending memberships, as 城关区 staff do; and who may see full numbers."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from enterprises.models import Enterprise
from members import services
from members.models import Membership, MembershipChange, MembershipStatus, Person, PersonalDataAccess, PersonChange
from members.tests.helpers import enrol_values, grassroots_union, id_number


@pytest.fixture
def hotel_union(db):
    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


@pytest.fixture
def shigatse_union(db):
    return grassroots_union("540202", "540202.G001", "日喀则某建筑项目工会联合会")


@pytest.fixture
def tsering(chengguan_staff, hotel_union):
    return services.enrol(chengguan_staff, union=hotel_union, **enrol_values())


def test_enrolling_makes_a_person_and_a_membership_with_a_history_row(tsering, chengguan_staff):
    assert tsering.status == MembershipStatus.MEMBER
    assert tsering.person.birth_date == datetime.date(1985, 3, 7)
    joined = MembershipChange.objects.get(membership=tsering)
    assert joined.action == MembershipChange.Action.JOINED
    assert joined.by == chengguan_staff
    assert PersonChange.objects.get(person=tsering.person).changes["id_number"][1] == tsering.person.id_masked


def test_a_second_membership_is_refused_naming_the_union_that_holds_the_person(tsering, lhasa_staff):
    other = grassroots_union("540102", "540102.G002", "城关区某物流公司工会")
    with pytest.raises(services.MemberError, match="拉萨某酒店工会"):
        services.enrol(lhasa_staff, union=other, **enrol_values(id_number=tsering.person.id_number.lower()))
    assert Membership.objects.count() == 1


def test_the_database_keeps_one_current_membership_per_person(tsering):
    other = grassroots_union("540102", "540102.G002", "城关区某物流公司工会")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=tsering.person, union=other, joined_on=datetime.date(2026, 6, 1))


def test_a_person_whose_membership_ended_can_join_again(tsering, chengguan_staff, hotel_union):
    services.set_status(
        chengguan_staff,
        tsering,
        version=tsering.version,
        status=MembershipStatus.WITHDRAWN,
        ended_on=datetime.date(2026, 7, 1),
        reason="本人申请退会",
    )
    again = services.enrol(chengguan_staff, union=hotel_union, **enrol_values(joined_on=datetime.date(2026, 8, 1)))
    assert again.person == tsering.person
    assert Person.objects.count() == 1


def test_ending_needs_a_date_and_a_reason_and_is_recorded(tsering, chengguan_staff):
    with pytest.raises(services.MemberError):
        services.set_status(chengguan_staff, tsering, version=tsering.version, status=MembershipStatus.TRANSFERRED)
    ended = services.set_status(
        chengguan_staff,
        tsering,
        version=tsering.version,
        status=MembershipStatus.TRANSFERRED,
        ended_on=datetime.date(2026, 9, 1),
        reason="调往日喀则工作",
    )
    change = ended.changes.get(action=MembershipChange.Action.ENDED)
    assert change.changes["status"] == ["会员", "已转出"]
    assert change.by == chengguan_staff


def test_an_edit_made_on_an_old_copy_is_refused(tsering, chengguan_staff):
    services.update_membership(
        chengguan_staff, tsering, version=tsering.version, employer=None, joined_on=tsering.joined_on, card_number="A1"
    )
    with pytest.raises(services.StaleMemberEdit):
        services.update_membership(
            chengguan_staff,
            tsering,
            version=tsering.version,
            employer=None,
            joined_on=tsering.joined_on,
            card_number="A2",
        )


def test_a_card_number_in_use_is_refused(tsering, chengguan_staff, hotel_union):
    services.update_membership(
        chengguan_staff, tsering, version=tsering.version, employer=None, joined_on=tsering.joined_on, card_number="A1"
    )
    with pytest.raises(services.MemberError, match="A1"):
        services.enrol(
            chengguan_staff, union=hotel_union, **enrol_values(id_number=id_number(serial=2), card_number="A1")
        )


def test_members_belong_to_township_or_grassroots_unions_only(chengguan_staff):
    from unions.models import UnionOrg

    with pytest.raises(services.MemberError):
        services.enrol(chengguan_staff, union=UnionOrg.objects.get(code="540102"), **enrol_values())


def test_staff_cannot_enrol_into_another_units_union(shigatse_staff, hotel_union):
    with pytest.raises(services.MemberError):
        services.enrol(shigatse_staff, union=hotel_union, **enrol_values())


def test_people_are_seen_within_the_unit_and_above_it_only(
    tsering, chengguan_staff, lhasa_staff, shigatse_staff, reviewer
):
    assert list(Person.objects.visible_to(chengguan_staff)) == [tsering.person]
    assert list(Person.objects.visible_to(lhasa_staff)) == [tsering.person]
    assert list(Person.objects.visible_to(reviewer)) == [tsering.person]
    assert not Person.objects.visible_to(shigatse_staff).exists()


def test_a_reveal_needs_a_reason_and_is_logged(tsering, chengguan_staff):
    with pytest.raises(services.MemberError):
        services.reveal(chengguan_staff, tsering.person, "  ")
    shown = services.reveal(chengguan_staff, tsering.person, "核对会员证信息")
    assert shown == {"id_number": tsering.person.id_number, "phone": "13812345678"}
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.person, access.kind) == (chengguan_staff, tsering.person, "reveal")


def test_only_staff_of_the_union_or_above_may_reveal(tsering, lhasa_staff, lhasa_viewer, reviewer, shigatse_staff):
    assert services.reveal(lhasa_staff, tsering.person, "核对")["phone"] == "13812345678"
    for outsider in (lhasa_viewer, reviewer, shigatse_staff):
        with pytest.raises(services.MemberError):
            services.reveal(outsider, tsering.person, "核对")
    assert PersonalDataAccess.objects.count() == 1


def test_an_employer_is_kept_on_the_membership(chengguan_staff, hotel_union, lhasa_enterprise):
    membership = services.enrol(chengguan_staff, union=hotel_union, employer=lhasa_enterprise, **enrol_values())
    assert Enterprise.objects.get(memberships=membership) == lhasa_enterprise
