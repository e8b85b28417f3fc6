"""Online join applications left untouched remind their union, then its county."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Notification
from campaigns.notifications import send_reminders
from members.models import JoinApplication
from members.services import reviewing as review
from members.tests.applications import make_application
from unions.models import UnionOrg


@pytest.fixture
def barkhor(db):
    return UnionOrg.objects.get(code="540102002")


def test_an_untouched_application_reminds_the_union_and_then_its_county(chengguan_staff, lhasa_staff, barkhor):
    make_application(barkhor, touched_at=timezone.now() - datetime.timedelta(days=16))

    send_reminders()
    send_reminders()

    reminders = Notification.objects.filter(kind=Notification.Kind.JOIN_WAITING)
    # 八廓街道 has no account of its own: the nearest unit above with staff is 城关区.
    assert [n.user for n in reminders] == [chengguan_staff]

    JoinApplication.objects.update(touched_at=timezone.now() - datetime.timedelta(days=31))
    send_reminders()
    assert reminders.filter(key__startswith="join-30").get().user == chengguan_staff


def test_a_handled_application_reminds_nobody(chengguan_staff, barkhor):
    application = make_application(barkhor, touched_at=timezone.now() - datetime.timedelta(days=20))
    review.application_reject(chengguan_staff, application, version=1, reason="重复申请")

    send_reminders()

    assert not Notification.objects.filter(kind=Notification.Kind.JOIN_WAITING).exists()


def test_reminders_of_many_applications_take_a_bounded_number_of_queries(
    chengguan_staff, barkhor, chengguan_union, django_assert_max_num_queries
):
    old = timezone.now() - datetime.timedelta(days=16)
    for serial, union in enumerate([barkhor, chengguan_union] * 5, start=10):
        make_application(union, serial=serial, number=f"RHMANY{serial:05d}", touched_at=old)

    with django_assert_max_num_queries(12):
        run = send_reminders()

    assert run.created == 10
