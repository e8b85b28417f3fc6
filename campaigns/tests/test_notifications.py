"""Reminders, the bell and email: each message once, to the right people, however often the command runs."""

import datetime
import io
import smtplib
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from campaigns import notifications, services
from campaigns.models import SHANGHAI, Notification
from campaigns.notifications import notify, send_emails, send_reminders
from campaigns.seeds import load_campaigns
from conftest import make_campaign
from unions.models import UnionOrg
from unions.reference import load_reference_data

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def at(month, day, hour=8, minute=0):
    """A moment in 2019, Asia/Shanghai: the reminder command runs at 08:00."""
    return datetime.datetime(2019, month, day, hour, minute, tzinfo=SHANGHAI)


def with_email(user):
    user.email = f"{user.username}@zgh.xz"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def plan_deadline(db):
    """A work plan due 2019年8月10日 from 拉萨 and 日喀则."""
    campaign = make_campaign(
        "提醒测试行动",
        2019,
        ("组织动员", "plan", datetime.date(2019, 7, 1), datetime.date(2019, 8, 31), datetime.date(2019, 8, 10)),
    )
    return campaign.stages.get().deadlines.get()


@pytest.fixture
def staff(lhasa_staff, shigatse_staff):
    return with_email(lhasa_staff), with_email(shigatse_staff)


def submit(deadline, user, when):
    submission = services.submission_for(deadline, user.organisation)
    services.submission_save(submission, user=user, content={"results": "已制定工作方案"})
    return services.submission_submit(submission, user=user, now=when)


def keys_of(user):
    return set(user.notifications.values_list("key", flat=True))


def reminder_keys(deadline, unit, due_on):
    return {
        f"due-7:{deadline.pk}:{unit.pk}:{due_on}",
        f"due-3:{deadline.pk}:{unit.pk}:{due_on}",
        f"due-1:{deadline.pk}:{unit.pk}:{due_on}",
        f"overdue:{deadline.pk}:{unit.pk}:{due_on}",
    }


# -- reminders to unit staff ---------------------------------------------------------------------------


def test_staff_are_reminded_7_3_and_1_days_before_and_once_when_overdue(plan_deadline, staff, mailoutbox):
    lhasa_staff, _shigatse_staff = staff
    created_on = {}
    for day in range(60):
        moment = at(7, 20) + datetime.timedelta(days=day)
        before = keys_of(lhasa_staff)
        send_reminders(now=moment)
        for key in keys_of(lhasa_staff) - before:
            created_on[key.split(":")[0]] = moment.date()
    assert created_on == {
        "due-7": datetime.date(2019, 8, 3),
        "due-3": datetime.date(2019, 8, 7),
        "due-1": datetime.date(2019, 8, 9),
        "overdue": datetime.date(2019, 8, 11),
    }
    assert keys_of(lhasa_staff) == reminder_keys(plan_deadline, lhasa_staff.organisation, "2019-08-10")
    lhasa_mail = [message for message in mailoutbox if message.to == [lhasa_staff.email]]
    assert len(lhasa_mail) == 4


def test_a_reminder_names_the_unit_the_report_and_the_due_date(plan_deadline, staff):
    lhasa_staff, _shigatse_staff = staff
    send_reminders(now=at(8, 3))
    reminder = lhasa_staff.notifications.get()
    assert reminder.kind == Kind.DUE_SOON
    assert "拉萨市总工会" in reminder.message
    assert "组织动员" in reminder.message
    assert "2019年8月10日" in reminder.message


def test_the_overdue_reminder_comes_only_after_the_last_minute_of_the_due_day(plan_deadline, staff):
    lhasa_staff, _shigatse_staff = staff
    send_reminders(now=at(8, 10, 23, 59))
    assert not lhasa_staff.notifications.filter(kind=Kind.OVERDUE).exists()
    send_reminders(now=at(8, 11, 0, 0))
    assert lhasa_staff.notifications.filter(kind=Kind.OVERDUE).count() == 1


def test_a_run_that_missed_the_seventh_day_still_reminds_once(plan_deadline, staff):
    lhasa_staff, _shigatse_staff = staff
    send_reminders(now=at(8, 5))
    send_reminders(now=at(8, 6))
    assert {key.split(":")[0] for key in keys_of(lhasa_staff)} == {"due-7"}


def test_running_twice_creates_nothing_and_sends_no_second_email(plan_deadline, staff, mailoutbox):
    first = send_reminders(now=at(8, 3))
    second = send_reminders(now=at(8, 3, 9))
    assert first == (2, 2)
    assert second == (0, 0)
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 2


def test_an_extension_brings_fresh_reminders_for_its_new_date(plan_deadline, staff, reviewer):
    lhasa_staff, shigatse_staff = staff
    lhasa = lhasa_staff.organisation
    send_reminders(now=at(8, 11))
    services.extension_grant(
        plan_deadline, lhasa, due_on=datetime.date(2019, 8, 15), reason="雪灾", user=reviewer, now=at(8, 11)
    )
    services.extension_grant(
        plan_deadline, lhasa, due_on=datetime.date(2019, 8, 20), reason="再延", user=reviewer, now=at(8, 11)
    )
    assert services.effective_due_on(plan_deadline, lhasa) == datetime.date(2019, 8, 20)

    for day in range(12, 25):
        send_reminders(now=at(8, day))

    new_keys = {key for key in keys_of(lhasa_staff) if not key.startswith("ext-granted:")}
    new_keys -= {f"overdue:{plan_deadline.pk}:{lhasa.pk}:2019-08-10"}
    assert new_keys == reminder_keys(plan_deadline, lhasa, "2019-08-20")
    assert (
        "2019年8月20日" in lhasa_staff.notifications.get(key__startswith="overdue", key__endswith="2019-08-20").message
    )
    assert keys_of(shigatse_staff) == {f"overdue:{plan_deadline.pk}:{shigatse_staff.organisation_id}:2019-08-10"}


def test_submitted_and_approved_reports_bring_no_reminders(plan_deadline, staff, reviewer):
    lhasa_staff, shigatse_staff = staff
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    send_reminders(now=at(8, 3))
    services.submission_approve(submission, user=reviewer, version=submission.version)
    send_reminders(now=at(8, 11))
    assert not lhasa_staff.notifications.filter(kind__in=[Kind.DUE_SOON, Kind.OVERDUE]).exists()
    assert shigatse_staff.notifications.filter(kind=Kind.DUE_SOON).count() == 1
    assert shigatse_staff.notifications.filter(kind=Kind.OVERDUE).count() == 1


def test_drafts_and_returned_reports_are_still_reminded(plan_deadline, staff, reviewer):
    lhasa_staff, shigatse_staff = staff
    services.submission_save(
        services.submission_for(plan_deadline, shigatse_staff.organisation),
        user=shigatse_staff,
        content={"results": "草稿"},
    )
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    services.submission_return(submission, user=reviewer, version=submission.version, reason="请补充", now=at(8, 2))
    send_reminders(now=at(8, 3))
    assert lhasa_staff.notifications.filter(kind=Kind.DUE_SOON).count() == 1
    assert shigatse_staff.notifications.filter(kind=Kind.DUE_SOON).count() == 1


def test_only_the_units_own_active_staff_are_reminded(plan_deadline, staff, chengguan_staff, lhasa_viewer):
    lhasa_staff, _shigatse_staff = staff
    colleague = with_email(UnionOrg.objects.get(code="540100").staff.create(username="lasa_former", role="staff"))
    colleague.is_active = False
    colleague.save()
    send_reminders(now=at(8, 3))
    assert lhasa_staff.notifications.count() == 1
    assert not chengguan_staff.notifications.exists()
    assert not lhasa_viewer.notifications.exists()
    assert not colleague.notifications.exists()


def test_old_campaigns_bring_no_reminders_today(lhasa_staff, shigatse_staff, reviewer):
    load_campaigns()
    assert send_reminders(now=datetime.datetime(2026, 11, 21, 8, tzinfo=SHANGHAI)) == (0, 0)
    assert not Notification.objects.exists()


def test_reminders_take_a_bounded_number_of_queries(lhasa_staff, shigatse_staff, django_assert_max_num_queries):
    load_campaigns()  # 2019: eight units; on 31 August the survey is overdue and August's progress report due
    # Two queries more than the deadlines need: the looks for join applications and organising cases left waiting.
    with django_assert_max_num_queries(11):
        run = send_reminders(now=at(8, 31))
    assert run.created == 4  # two deadlines × the two units with staff


# -- reviewers ------------------------------------------------------------------------------------------


def test_reviewers_are_told_of_a_submission(
    plan_deadline, lhasa_staff, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    notification = reviewer.notifications.get()
    assert notification.kind == Kind.TO_REVIEW
    assert "拉萨市总工会" in notification.message
    assert notification.url == notifications.report_url(plan_deadline.pk, lhasa_staff.organisation)
    assert notification.key == f"review:{submission.pk}:{submission.submitted_at:%Y%m%d%H%M%S%f}"
    assert [message.to for message in mailoutbox] == [[reviewer.email]]
    assert not lhasa_staff.notifications.exists()


def test_reviewers_are_reminded_once_of_a_report_waiting_more_than_three_days(plan_deadline, lhasa_staff, reviewer):
    submit(plan_deadline, lhasa_staff, at(8, 1, 10))
    send_reminders(now=at(8, 4, 9))
    assert reviewer.notifications.count() == 1  # only that it was submitted
    send_reminders(now=at(8, 4, 11))
    send_reminders(now=at(8, 6))
    waiting = reviewer.notifications.filter(key__startswith="review-waiting:")
    assert waiting.count() == 1
    assert "2019年8月1日" in waiting.get().message


def test_a_resubmitted_report_is_a_new_round_for_the_reviewers(plan_deadline, lhasa_staff, reviewer):
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    services.submission_return(submission, user=reviewer, version=submission.version, reason="请补充", now=at(8, 2))
    submit(plan_deadline, lhasa_staff, at(8, 3))
    assert reviewer.notifications.filter(kind=Kind.TO_REVIEW).count() == 2


# -- returns and approvals -------------------------------------------------------------------------------


def test_a_return_tells_the_units_staff_with_the_reason(
    plan_deadline, staff, reviewer, chengguan_staff, mailoutbox, django_capture_on_commit_callbacks
):
    lhasa_staff, shigatse_staff = staff
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            submission, user=reviewer, version=submission.version, reason="第二项数字有误\n请核对", now=at(8, 2)
        )
    notification = lhasa_staff.notifications.get()
    assert notification.kind == Kind.RETURNED
    assert "第二项数字有误" in notification.message
    assert not shigatse_staff.notifications.exists()
    assert not chengguan_staff.notifications.exists()
    (email,) = mailoutbox
    assert email.to == [lhasa_staff.email]
    assert "第二项数字有误" in email.body
    assert "\n" not in email.subject


def test_a_long_reason_is_shortened_to_fit_the_bell(plan_deadline, lhasa_staff, reviewer):
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    reason = "请逐项核对" * 100
    services.submission_return(submission, user=reviewer, version=submission.version, reason=reason, now=at(8, 2))
    message = lhasa_staff.notifications.get().message
    assert len(message) <= Notification._meta.get_field("message").max_length
    assert "拉萨市总工会" in message


def test_an_approval_tells_the_units_staff(plan_deadline, staff, reviewer):
    lhasa_staff, shigatse_staff = staff
    submission = submit(plan_deadline, lhasa_staff, at(8, 1))
    services.submission_approve(submission, user=reviewer, version=submission.version)
    assert list(lhasa_staff.notifications.values_list("kind", flat=True)) == [Kind.APPROVED]
    assert not shigatse_staff.notifications.exists()


# -- email -----------------------------------------------------------------------------------------------


def test_notify_creates_a_notification_once_per_person_and_key(lhasa_staff):
    first, created = notify(lhasa_staff, Kind.DUE_SOON, "due-7:1:1:2019-08-10", "提醒")
    again, created_again = notify(lhasa_staff, Kind.DUE_SOON, "due-7:1:1:2019-08-10", "提醒")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk


def test_a_notification_claimed_by_another_run_is_not_emailed_again(lhasa_staff, mailoutbox):
    notification, _created = notify(with_email(lhasa_staff), Kind.DUE_SOON, "k", "提醒")
    Notification.objects.filter(pk=notification.pk).update(emailed_at=at(8, 3))
    assert send_emails() == 0
    assert mailoutbox == []


def test_people_without_an_address_get_no_email(lhasa_staff, mailoutbox):
    notify(lhasa_staff, Kind.DUE_SOON, "k", "提醒")
    assert send_emails() == 0
    assert Notification.objects.get().emailed_at is None


def test_a_failed_email_is_tried_again_by_the_next_run(plan_deadline, staff, mailoutbox, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_mail", refuse)
        assert send_reminders(now=at(8, 3)) == (2, 0)
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert send_reminders(now=at(8, 3, 9)) == (0, 2)
    assert len(mailoutbox) == 2


@pytest.fixture
def committed_reference_data(transactional_db):
    """Real transactions (emptied after each test), so that two connections see the same rows."""
    load_reference_data()


def test_two_runs_at_once_create_and_email_each_reminder_once(committed_reference_data, request, mailoutbox):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    deadline = request.getfixturevalue("plan_deadline")
    lhasa_staff, shigatse_staff = request.getfixturevalue("staff")
    barrier = threading.Barrier(2)
    failures = []

    def run():
        try:
            barrier.wait()
            send_reminders(now=at(8, 3))
        except Exception as exc:  # whatever it is, the test reports it
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert Notification.objects.filter(key__startswith=f"due-7:{deadline.pk}:").count() == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted([lhasa_staff.email, shigatse_staff.email])


def test_the_command_reports_what_it_did_and_can_run_again(plan_deadline, staff, mailoutbox):
    out = io.StringIO()
    call_command("send_reminders", "--now", "2019-08-03T08:00", stdout=out)
    call_command("send_reminders", "--now", "2019-08-03T08:00", stdout=out)
    first, second = out.getvalue().splitlines()
    assert "2019-08-03 08:00" in first
    assert "2 notifications created, 2 emails sent" in first
    assert "0 notifications created, 0 emails sent" in second


# -- the bell --------------------------------------------------------------------------------------------


@pytest.fixture
def two_reminders(plan_deadline, lhasa_staff):
    send_reminders(now=at(8, 3))
    send_reminders(now=at(8, 7))
    return list(lhasa_staff.notifications.all())


def test_the_bell_shows_the_unread_count(login, lhasa_staff, two_reminders):
    page = login(lhasa_staff).get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2</span>' in page


def test_the_bell_shows_no_badge_without_unread_notifications(login, reviewer, two_reminders):
    page = login(reviewer).get(reverse("home")).content.decode()
    assert 'data-testid="bell"' in page
    assert "unread-count" not in page


def test_the_list_shows_ones_own_notifications_newest_first_and_marks_the_unread(
    login, lhasa_staff, shigatse_staff, two_reminders
):
    newest, oldest = two_reminders
    notifications.notification_mark_read(oldest)
    notify(shigatse_staff, Kind.DUE_SOON, "other", "日喀则市总工会的提醒")
    page = login(lhasa_staff).get(reverse("campaigns:notifications")).content.decode()
    assert page.index(newest.message) < page.index(oldest.message)
    assert page.count('data-testid="notification-unread"') == 1
    assert page.count('data-testid="notification-read"') == 1
    assert "日喀则市总工会的提醒" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, lhasa_staff):
    tasks = reverse("campaigns:tasks")
    notification, _created = notify(lhasa_staff, Kind.DUE_SOON, "k", "提醒", url=tasks)
    notify(lhasa_staff, Kind.DUE_SOON, "k2", "提醒")
    client = login(lhasa_staff)
    assert client.get(reverse("campaigns:notification_open", kwargs={"pk": notification.pk})).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None  # looking changes nothing: opening is a POST
    response = client.post(reverse("campaigns:notification_open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    assert response.url == tasks
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count">1</span>' in client.get(reverse("campaigns:notifications")).content.decode()


def test_a_notification_never_leads_off_the_portal(login, lhasa_staff):
    notification, _created = notify(lhasa_staff, Kind.DUE_SOON, "k", "提醒", url="https://example.org/")
    response = login(lhasa_staff).post(reverse("campaigns:notification_open", kwargs={"pk": notification.pk}))
    assert response.url == reverse("campaigns:notifications")


def test_a_notification_without_a_link_leads_back_to_the_list(login, lhasa_staff):
    notification, _created = notify(lhasa_staff, Kind.DUE_SOON, "k", "提醒")
    response = login(lhasa_staff).post(reverse("campaigns:notification_open", kwargs={"pk": notification.pk}))
    assert response.url == reverse("campaigns:notifications")


def test_someone_elses_notification_is_a_404_and_stays_unread(login, shigatse_staff, two_reminders):
    newest, _oldest = two_reminders
    response = login(shigatse_staff).post(reverse("campaigns:notification_open", kwargs={"pk": newest.pk}))
    assert response.status_code == 404
    newest.refresh_from_db()
    assert newest.read_at is None


def test_marking_all_read_clears_the_badge_of_that_person_only(login, lhasa_staff, shigatse_staff, two_reminders):
    notify(shigatse_staff, Kind.DUE_SOON, "other", "提醒")
    client = login(lhasa_staff)
    response = client.post(reverse("campaigns:notifications_read_all"))
    assert response.url == reverse("campaigns:notifications")
    assert not lhasa_staff.notifications.filter(read_at__isnull=True).exists()
    assert shigatse_staff.notifications.filter(read_at__isnull=True).count() == 3  # two reminders and "other"
    assert "unread-count" not in client.get(reverse("campaigns:notifications")).content.decode()


def test_marking_all_read_needs_a_post(login, lhasa_staff, two_reminders):
    assert login(lhasa_staff).get(reverse("campaigns:notifications_read_all")).status_code == 405
    assert lhasa_staff.notifications.filter(read_at__isnull=True).count() == 2


def test_the_list_is_paginated_by_30(login, lhasa_staff):
    for number in range(31):
        notify(lhasa_staff, Kind.DUE_SOON, f"k{number}", f"提醒{number}")
    client = login(lhasa_staff)
    first = client.get(reverse("campaigns:notifications")).content.decode()
    second = client.get(reverse("campaigns:notifications"), {"page": 2}).content.decode()
    assert first.count('data-testid="notification-unread"') == 30
    assert second.count('data-testid="notification-unread"') == 1
    assert "提醒0<" in second


def test_the_notification_pages_carry_no_inline_scripts_or_styles(login, lhasa_staff, two_reminders):
    page = login(lhasa_staff).get(reverse("campaigns:notifications")).content.decode()
    assert "<script>" not in page
    assert "<style" not in page
    assert " style=" not in page


def test_a_request_for_more_time_reaches_the_reviewers_and_the_decision_the_unit(
    plan_deadline, staff, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    lhasa_staff, shigatse_staff = staff
    with_email(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_request_create(
            plan_deadline,
            lhasa_staff.organisation,
            due_on=datetime.date(2019, 8, 20),
            reason="雪灾阻断交通",
            user=lhasa_staff,
            now=at(8, 8),
        )
    asked = reviewer.notifications.get()
    assert asked.kind == Kind.EXTENSION_REQUESTED
    assert "雪灾阻断交通" in asked.message
    assert "2019年8月20日" in asked.message
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_request_refuse(
            request, reason="材料已齐全，请按时报送", user=reviewer, version=request.version
        )
    told = lhasa_staff.notifications.get(kind=Kind.EXTENSION_REFUSED)
    assert "原因：材料已齐全，请按时报送" in told.message
    assert not shigatse_staff.notifications.exists()
    assert len(mailoutbox) == 2  # one to the reviewer, one to 拉萨's staff
