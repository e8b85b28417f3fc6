"""Member figures come from tallies that stay equal to a fresh count of the rolls."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members import services, tallies
from members.models import Membership, MembershipStatus, Person
from members.tests.helpers import enrol_values, grassroots_union, id_number
from unions.models import UnionOrg

THIS_YEAR = datetime.date.today().year


@pytest.fixture
def rolls(chengguan_staff, lhasa_enterprise):
    hotel = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    logistics = grassroots_union("540102", "540102.G002", "城关区某物流公司工会")
    people = [
        (hotel, 1, True, datetime.date(THIS_YEAR, 3, 1), lhasa_enterprise),
        (hotel, 2, False, datetime.date(2015, 3, 1), None),
        (logistics, 3, True, datetime.date(2014, 5, 1), lhasa_enterprise),
    ]
    for union, serial, migrant, joined, employer in people:
        values = enrol_values(id_number=id_number(serial=serial), migrant_worker=migrant, joined_on=joined)
        services.enrol(chengguan_staff, union=union, employer=employer, **values)
    return hotel, logistics


def test_figures_roll_up_from_union_to_county_prefecture_and_region(rolls):
    hotel, _logistics = rolls
    expected = {"members": 3, "migrant_members": 2, "new_members": 1, "new_migrant_members": 1}
    for code in ("540102", "540100", "540000"):
        assert tallies.figures_of(UnionOrg.objects.get(code=code)) == expected
    assert tallies.figures_of(hotel)["members"] == 2
    assert tallies.figures_of(UnionOrg.objects.get(code="540200"))["members"] == 0


def test_an_employers_figures_count_its_members_in_every_union(rolls, lhasa_enterprise):
    assert tallies.figures_of_employer(lhasa_enterprise)["migrant_members"] == 2


def test_ending_a_membership_and_editing_a_person_move_the_figures(rolls, chengguan_staff):
    membership = Membership.objects.get(person=Person.objects.with_id_number(id_number(serial=1)).get())
    services.set_status(
        chengguan_staff,
        membership,
        version=membership.version,
        status=MembershipStatus.WITHDRAWN,
        ended_on=datetime.date(THIS_YEAR, 4, 1),
        reason="本人申请",
    )
    person = Person.objects.with_id_number(id_number(serial=3)).get()
    services.update_person(chengguan_staff, person, version=person.version, migrant_worker=False)
    region = tallies.figures_of(UnionOrg.objects.get(code="540000"))
    assert (region["members"], region["migrant_members"], region["new_members"]) == (2, 0, 0)


@pytest.mark.tallies_may_drift
def test_a_write_around_the_services_is_reported_and_repaired(rolls):
    Membership.objects.update(status=MembershipStatus.KEPT)  # status only: the figures still agree
    call_command("check_member_tallies", verbosity=0)
    Membership.objects.filter(union=rolls[0]).update(status=MembershipStatus.WITHDRAWN, ended_on=datetime.date.today())
    with pytest.raises(CommandError, match="recount_member_tallies"):
        call_command("check_member_tallies", verbosity=0)
    call_command("recount_member_tallies", verbosity=0)
    assert tallies.drift() == []


def test_every_recount_of_the_registry_or_the_rolls_raises_the_stamps_and_keeps_one_mark_per_scope(
    lhasa_staff, reviewer
):
    from enterprises import tallies as registry_tallies
    from enterprises.models import TallyStamp
    from enterprises.services import enterprise_create, enterprise_delete
    from enterprises.tests.test_services import new_data

    seen = [registry_tallies.stamps()]
    enterprise, _warnings = enterprise_create(user=lhasa_staff, data=new_data(headcount=150))
    seen.append(registry_tallies.stamps())
    enterprise_delete(enterprise, user=reviewer)  # the county's tallies are left empty: still a new mark
    seen.append(registry_tallies.stamps())
    tallies.recount([UnionOrg.objects.get(code="540102").pk])
    seen.append(registry_tallies.stamps())

    assert seen[0] is None
    assert seen[1] < seen[2] < seen[3]
    assert sorted(TallyStamp.objects.values_list("scope", flat=True)) == [
        f"county:{enterprise.county_id}",
        f"union:{UnionOrg.objects.get(code='540102').pk}",
    ]
