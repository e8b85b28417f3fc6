"""Transfer certificates: the member is counted once, at the old union until a union receives the certificate."""

import datetime

import pytest
from django.utils import timezone

from members import tallies
from members.models import (
    ApplicationStatus,
    CertificateStatus,
    JoinApplication,
    Membership,
    MembershipChange,
    MembershipStatus,
)
from members.services import MemberError, set_status
from members.services.transfers import (
    CODE_GUESSES,
    TransferError,
    certificate_cancel,
    certificate_issue,
    certificate_receive,
    certificates_expire,
)
from members.tests.helpers import enrol_values, grassroots_union, id_number
from unions.models import UnionOrg

LEVELS = ("540102", "540103", "540100", "540200", "540000")


@pytest.fixture
def doilungdeqen_union(db):
    """A grassroots union in 堆龙德庆区, another county of 拉萨市."""
    return grassroots_union("540103", "540103.G001", "堆龙德庆区某工业园区工会")


@pytest.fixture
def shigatse_union(db):
    return grassroots_union("540202", "540202.G001", "日喀则某建筑项目工会联合会")


def members_by_level():
    return {code: tallies.figures_of(UnionOrg.objects.get(code=code))["members"] for code in LEVELS}


def assert_each_person_counted_once():
    """The stored tallies equal a fresh count, and every current membership is one person's only one."""
    assert tallies.drift() == []
    current = Membership.objects.current()
    assert current.count() == current.values("person").distinct().count()
    assert tallies.figures_of_region()["members"] == current.count()


def receive(user, certificate, union, code=None):
    return certificate_receive(user, number=certificate.number, code=code or certificate.verification_code, union=union)


def test_a_certificate_has_a_readable_number_a_six_digit_code_and_ninety_days(chengguan_certificate):
    today = timezone.localdate()
    assert chengguan_certificate.number.startswith(f"JZ{today.year}")
    assert len(chengguan_certificate.number) == 14
    assert len(chengguan_certificate.verification_code) == 6
    assert chengguan_certificate.verification_code.isdigit()
    assert chengguan_certificate.expires_on - chengguan_certificate.issued_on == datetime.timedelta(days=90)
    assert [t.to_status for t in chengguan_certificate.transitions.all()] == [CertificateStatus.ISSUED]


def test_the_member_tallies_count_each_person_once_through_issue_and_receipt_within_a_prefecture(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union
):
    before = members_by_level()
    assert before == {"540102": 1, "540103": 0, "540100": 1, "540200": 0, "540000": 1}
    certificate = certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union)
    assert members_by_level() == before
    assert_each_person_counted_once()
    receive(lhasa_staff, certificate, doilungdeqen_union)
    # Each county changes by one; the prefecture and the region not at all.
    assert members_by_level() == {"540102": 0, "540103": 1, "540100": 1, "540200": 0, "540000": 1}
    assert_each_person_counted_once()


def test_a_transfer_between_prefectures_moves_the_member_and_keeps_the_region_total(
    chengguan_membership, chengguan_staff, shigatse_staff, shigatse_union
):
    certificate = certificate_issue(chengguan_staff, chengguan_membership)
    new = receive(shigatse_staff, certificate, shigatse_union)
    assert members_by_level() == {"540102": 0, "540103": 0, "540100": 0, "540200": 1, "540000": 1}
    assert_each_person_counted_once()
    # Not a new member of this year: the date of joining moves with the member.
    assert new.joined_on == chengguan_membership.joined_on
    assert tallies.figures_of(UnionOrg.objects.get(code="540200"))["new_members"] == (
        1 if new.joined_on.year == timezone.localdate().year else 0
    )


def test_receiving_ends_the_old_membership_and_moves_the_card_number(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union
):
    Membership.objects.filter(pk=chengguan_membership.pk).update(card_number="XZ-0001")
    certificate = certificate_issue(chengguan_staff, chengguan_membership)
    new = receive(lhasa_staff, certificate, doilungdeqen_union)
    old = Membership.objects.get(pk=chengguan_membership.pk)
    assert old.status == MembershipStatus.TRANSFERRED
    assert old.ended_on == timezone.localdate()
    assert certificate.number in old.end_reason
    assert old.card_number is None
    assert (new.card_number, new.union, new.status) == ("XZ-0001", doilungdeqen_union, MembershipStatus.MEMBER)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.RECEIVED
    assert (certificate.received_union, certificate.new_membership) == (doilungdeqen_union, new)
    assert MembershipChange.objects.filter(membership=old, action=MembershipChange.Action.ENDED).exists()
    assert MembershipChange.objects.filter(membership=new, action=MembershipChange.Action.JOINED).exists()
    assert [t.to_status for t in certificate.transitions.all()] == ["issued", "received"]


def test_cancel_and_expiry_leave_the_member_where_they_were(chengguan_membership, chengguan_staff, doilungdeqen_union):
    before = members_by_level()
    certificate = certificate_issue(chengguan_staff, chengguan_membership)
    certificate_cancel(chengguan_staff, certificate, version=certificate.version, reason="本人放弃")
    assert members_by_level() == before
    second = certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union)
    assert certificates_expire(today=second.expires_on + datetime.timedelta(days=1)) == 1
    assert members_by_level() == before
    assert_each_person_counted_once()
    assert Membership.objects.get(pk=chengguan_membership.pk).status == MembershipStatus.MEMBER


def test_it_refuses_a_wrong_code_with_the_message_of_an_unknown_number(
    chengguan_certificate, lhasa_staff, doilungdeqen_union
):
    wrong = "000000" if chengguan_certificate.verification_code != "000000" else "111111"
    with pytest.raises(TransferError) as wrong_code:
        receive(lhasa_staff, chengguan_certificate, doilungdeqen_union, code=wrong)
    with pytest.raises(TransferError) as unknown:
        certificate_receive(lhasa_staff, number="JZ202600000000", code=wrong, union=doilungdeqen_union)
    assert str(wrong_code.value) == str(unknown.value)
    assert Membership.objects.count() == 1


def test_it_stops_an_account_guessing_codes(chengguan_certificate, lhasa_staff, doilungdeqen_union):
    for _attempt in range(CODE_GUESSES.limit):
        with pytest.raises(TransferError):
            certificate_receive(lhasa_staff, number=chengguan_certificate.number, code="x", union=doilungdeqen_union)
    with pytest.raises(TransferError, match="Too many|次数过多|太多"):
        receive(lhasa_staff, chengguan_certificate, doilungdeqen_union)
    chengguan_certificate.refresh_from_db()
    assert chengguan_certificate.status == CertificateStatus.ISSUED


def test_it_refuses_an_expired_certificate_even_before_the_expiry_job_ran(
    chengguan_certificate, lhasa_staff, doilungdeqen_union
):
    type(chengguan_certificate).objects.filter(pk=chengguan_certificate.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=91),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(TransferError, match=chengguan_certificate.number):
        receive(lhasa_staff, chengguan_certificate, doilungdeqen_union)
    assert Membership.objects.count() == 1


def test_it_refuses_a_cancelled_certificate(chengguan_certificate, chengguan_staff, lhasa_staff, doilungdeqen_union):
    certificate_cancel(chengguan_staff, chengguan_certificate, version=chengguan_certificate.version, reason="误开")
    with pytest.raises(TransferError, match=chengguan_certificate.number):
        receive(lhasa_staff, chengguan_certificate, doilungdeqen_union)


def test_it_refuses_to_receive_a_certificate_twice(chengguan_certificate, lhasa_staff, doilungdeqen_union):
    receive(lhasa_staff, chengguan_certificate, doilungdeqen_union)
    with pytest.raises(TransferError, match=doilungdeqen_union.name):
        receive(lhasa_staff, chengguan_certificate, doilungdeqen_union)
    assert Membership.objects.current().count() == 1


def test_it_refuses_a_union_other_than_the_one_addressed_or_the_same_union(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union, lhasa_grassroots_union, chengguan_union
):
    certificate = certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union)
    with pytest.raises(TransferError, match=doilungdeqen_union.name):
        receive(lhasa_staff, certificate, lhasa_grassroots_union)
    certificate_cancel(chengguan_staff, certificate, version=certificate.version, reason="改去向")
    open_certificate = certificate_issue(chengguan_staff, chengguan_membership)
    with pytest.raises(TransferError):
        receive(chengguan_staff, open_certificate, chengguan_union)


def test_it_refuses_a_receiving_union_outside_the_users_area(chengguan_certificate, shigatse_staff, doilungdeqen_union):
    with pytest.raises(TransferError):
        receive(shigatse_staff, chengguan_certificate, doilungdeqen_union)


def test_it_refuses_a_second_waiting_certificate_and_an_ended_membership(chengguan_certificate, chengguan_staff):
    with pytest.raises(TransferError, match="already waiting|已有"):
        certificate_issue(chengguan_staff, chengguan_certificate.membership)
    membership = Membership.objects.get(pk=chengguan_certificate.membership_id)
    withdraw = {"status": MembershipStatus.WITHDRAWN, "ended_on": timezone.localdate(), "reason": "退会"}
    with pytest.raises(MemberError, match="cancel it first|请先"):
        set_status(chengguan_staff, membership, version=membership.version, **withdraw)
    certificate_cancel(chengguan_staff, chengguan_certificate, version=chengguan_certificate.version, reason="退会")
    set_status(chengguan_staff, membership, version=membership.version, **withdraw)
    with pytest.raises(TransferError):
        certificate_issue(chengguan_staff, Membership.objects.get(pk=membership.pk))


def test_it_refuses_issue_by_staff_outside_the_union(chengguan_membership, shigatse_staff, lhasa_viewer):
    for user in (shigatse_staff, lhasa_viewer):
        with pytest.raises(TransferError):
            certificate_issue(user, chengguan_membership)


def test_a_kept_membership_of_a_retired_member_can_be_transferred(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union
):
    kept = set_status(
        chengguan_staff, chengguan_membership, version=chengguan_membership.version, status="kept", reason="退休"
    )
    assert kept.changes.filter(note="退休").exists()
    certificate = certificate_issue(chengguan_staff, kept, to_union=doilungdeqen_union)
    new = receive(lhasa_staff, certificate, doilungdeqen_union)
    assert new.is_current
    assert_each_person_counted_once()


def test_it_refuses_a_stale_cancel(chengguan_certificate, chengguan_staff):
    stale = chengguan_certificate.version
    certificate_cancel(chengguan_staff, chengguan_certificate, version=stale, reason="误开")
    with pytest.raises(TransferError):
        certificate_cancel(chengguan_staff, chengguan_certificate, version=stale, reason="误开")
    assert chengguan_certificate.transitions.count() == 2


def test_expiry_is_idempotent_and_leaves_received_certificates_alone(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union, lhasa_enterprise
):
    other = set_up_second_member(chengguan_staff, chengguan_membership.union, lhasa_enterprise)
    waiting = certificate_issue(chengguan_staff, chengguan_membership)
    received = certificate_issue(chengguan_staff, other)
    receive(lhasa_staff, received, doilungdeqen_union)
    later = waiting.expires_on + datetime.timedelta(days=1)
    assert certificates_expire(today=waiting.expires_on) == 0
    assert certificates_expire(today=later) == 1
    assert certificates_expire(today=later) == 0
    waiting.refresh_from_db()
    received.refresh_from_db()
    assert (waiting.status, received.status) == (CertificateStatus.EXPIRED, CertificateStatus.RECEIVED)
    steps = list(waiting.transitions.values_list("to_status", "by"))
    assert steps == [("issued", chengguan_staff.pk), ("expired", None)]


def set_up_second_member(user, union, employer):
    from members.services import enrol

    return enrol(user, union=union, employer=employer, **enrol_values(name="卓玛", id_number=id_number(serial=2)))


def make_transfer_application(person_id_number, union):
    application = JoinApplication(
        number="SQ20260001",
        union=union,
        workplace="堆龙德庆区某工业园",
        name="次仁",
        ethnicity="04",
        household_place="拉萨市城关区",
        consent_at=timezone.now(),
        consent_version="2026-1",
        status=ApplicationStatus.TRANSFER,
        touched_at=timezone.now() - datetime.timedelta(days=3),
    )
    application.set_id_number(person_id_number)
    application.set_phone("13812345678")
    application.save()
    return application


def test_receiving_a_certificate_for_an_application_accepts_the_application(
    chengguan_membership, chengguan_staff, lhasa_staff, doilungdeqen_union
):
    Membership.objects.filter(pk=chengguan_membership.pk).update(card_number="XZ-0002")
    application = make_transfer_application(id_number(), doilungdeqen_union)
    certificate = certificate_issue(
        chengguan_staff, chengguan_membership, to_union=doilungdeqen_union, application=application
    )
    new = receive(lhasa_staff, certificate, doilungdeqen_union)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert (application.membership, application.card_number) == (new, "XZ-0002")
    assert application.touched_at > timezone.now() - datetime.timedelta(minutes=1)
    step = application.transitions.get()
    assert (step.from_status, step.to_status, step.by) == ("transfer", "accepted", lhasa_staff)


def test_it_refuses_an_application_of_someone_else_or_for_another_union(
    chengguan_membership, chengguan_staff, doilungdeqen_union, lhasa_grassroots_union
):
    someone_else = make_transfer_application(id_number(serial=9), doilungdeqen_union)
    with pytest.raises(TransferError):
        certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union, application=someone_else)
    someone_else.delete()
    application = make_transfer_application(id_number(), doilungdeqen_union)
    with pytest.raises(TransferError):
        certificate_issue(
            chengguan_staff, chengguan_membership, to_union=lhasa_grassroots_union, application=application
        )


def test_the_expiry_command_can_run_twice(chengguan_certificate):
    from django.core.management import call_command

    type(chengguan_certificate).objects.filter(pk=chengguan_certificate.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=91),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    call_command("expire_transfer_certificates", verbosity=0)
    call_command("expire_transfer_certificates", verbosity=0)
    assert list(chengguan_certificate.transitions.values_list("to_status", flat=True)) == ["issued", "expired"]
