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


def test_two_clerks_receiving_one_certificate_at_once_one_wins_and_the_other_is_told(reference_data):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    from members.models import CertificateStatus, TransferCertificate
    from members.services import transfers

    lhasa = staff_account_create(
        username="ls", organisation=UnionOrg.objects.get(code="540100"), role=Role.STAFF, password="x-2026-pass"
    )
    old_union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    unions = [
        grassroots_union("540103", "540103.G001", "堆龙德庆区某工业园区工会"),
        grassroots_union("540102", "540102.G002", "城关区某物流公司工会"),
    ]
    membership = services.enrol(lhasa, union=old_union, **enrol_values())
    certificate = transfers.certificate_issue(lhasa, membership)
    outcomes = []
    barrier = threading.Barrier(2)

    def receive(union):
        try:
            barrier.wait()
            transfers.certificate_receive(
                lhasa, number=certificate.number, code=certificate.verification_code, union=union
            )
            outcomes.append("won")
        except services.MemberError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(union,)) for union in unions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    new = Membership.objects.current().select_related("union").get()
    assert sorted(outcomes, key=len)[0] == "won"
    assert certificate.number in [outcome for outcome in outcomes if outcome != "won"][0]
    received = TransferCertificate.objects.get(pk=certificate.pk)
    assert (received.status, received.new_membership, received.received_union) == (
        CertificateStatus.RECEIVED,
        new,
        new.union,
    )
    assert Membership.objects.count() == 2
