"""Two clerks enrolling one person at the same moment: the database lets one through, the other is told where."""

import threading

import pytest
from django.db import connection

from members import services
from members.models import Membership
from members.tests.helpers import enrol_values, grassroots_union
from unions.models import Role, UnionOrg
from unions.services import staff_account_create


def test_two_unions_enrolling_one_person_at_once_one_wins_and_the_other_is_told(reference_data):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    staff = staff_account_create(
        username="cg", organisation=UnionOrg.objects.get(code="540102"), role=Role.STAFF, password="x-2026-pass"
    )
    unions = [
        grassroots_union("540102", "540102.G001", "拉萨某酒店工会"),
        grassroots_union("540102", "540102.G002", "城关区某物流公司工会"),
    ]
    outcomes = []
    barrier = threading.Barrier(2)

    def enrol(union):
        try:
            barrier.wait()
            services.enrol(staff, union=union, **enrol_values())
            outcomes.append("won")
        except services.MemberError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(union,)) for union in unions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = Membership.objects.select_related("union").get()
    assert sorted(outcomes, key=len)[0] == "won"
    assert winner.union.name in [outcome for outcome in outcomes if outcome != "won"][0]
