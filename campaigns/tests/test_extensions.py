"""Extensions: units ask for more time, the 组织部 grants (until the date it decides) or refuses, and the four words
of timeliness tell a unit that asked in time from one that ignored the deadline."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from campaigns import services
from campaigns.models import (
    SHANGHAI,
    Extension,
    ExtensionRequest,
    ExtensionRequestTransition,
    Submission,
    Timeliness,
)

pytestmark = pytest.mark.django_db
Status = ExtensionRequest.Status


def at(day, hour=12):
    return datetime.datetime(2019, 8, day, hour, tzinfo=SHANGHAI)


def ask(deadline, staff, *, until=20, now=None, reason="统计人员下乡摸排"):
    return services.extension_request_create(
        deadline,
        staff.organisation,
        due_on=datetime.date(2019, 8, until),
        reason=reason,
        user=staff,
        now=now or at(8),
    )


def test_staff_ask_before_the_deadline_and_a_grant_in_time_counts_as_an_approved_extension(
    survey_deadline, lhasa_staff, reviewer
):
    request = ask(survey_deadline, lhasa_staff, now=at(6))
    services.extension_request_grant(
        request, due_on=datetime.date(2019, 8, 18), user=reviewer, version=request.version, now=at(7)
    )
    assert services.effective_due_on(survey_deadline, lhasa_staff.organisation) == datetime.date(2019, 8, 18)
    report = services.report_submit(survey_deadline, lhasa_staff.organisation, user=lhasa_staff, now=at(17))
    assert report.timeliness == Timeliness.EXTENDED
    steps = [(t.from_status, t.to_status, t.actor) for t in ExtensionRequestTransition.objects.order_by("pk")]
    assert steps == [("", Status.PENDING, lhasa_staff), (Status.PENDING, Status.GRANTED, reviewer)]
    assert Extension.objects.get().request == request


def test_staff_may_ask_after_the_deadline_and_that_grant_counts_as_late(survey_deadline, lhasa_staff, reviewer):
    request = ask(survey_deadline, lhasa_staff, now=at(12))
    services.extension_request_grant(
        request, due_on=datetime.date(2019, 8, 20), user=reviewer, version=request.version, now=at(13)
    )
    report = services.report_submit(survey_deadline, lhasa_staff.organisation, user=lhasa_staff, now=at(14))
    assert report.timeliness == Timeliness.LATE


def test_a_refusal_needs_a_reason_keeps_the_deadline_and_is_recorded(survey_deadline, lhasa_staff, reviewer):
    request = ask(survey_deadline, lhasa_staff)
    with pytest.raises(services.WorkflowError):
        services.extension_request_refuse(request, reason="  ", user=reviewer, version=request.version, now=at(9))
    services.extension_request_refuse(request, reason="材料已齐", user=reviewer, version=request.version, now=at(9))
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert services.effective_due_on(survey_deadline, lhasa_staff.organisation) == datetime.date(2019, 8, 10)
    assert ExtensionRequestTransition.objects.filter(to_status=Status.REFUSED, reason="材料已齐").exists()
    assert not Extension.objects.exists()


def test_one_request_at_a_time(survey_deadline, lhasa_staff):
    ask(survey_deadline, lhasa_staff)
    with pytest.raises(services.WorkflowError, match="仍在等待"):
        ask(survey_deadline, lhasa_staff, until=25)
    assert ExtensionRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_viewer", "shigatse_staff", "chengguan_staff"])
def test_only_the_units_own_staff_ask(request, survey_deadline, lhasa_staff, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(services.WorkflowError):
        services.extension_request_create(
            survey_deadline,
            lhasa_staff.organisation,
            due_on=datetime.date(2019, 8, 20),
            reason="x",
            user=user,
            now=at(8),
        )
    assert not ExtensionRequest.objects.exists()


def test_a_report_handed_in_needs_no_extension(survey_deadline, lhasa_submission, lhasa_staff, reviewer):
    with pytest.raises(services.WorkflowError, match="已经报送"):
        ask(survey_deadline, lhasa_staff, now=at(9))
    with pytest.raises(services.WorkflowError, match="已经报送"):
        services.extension_grant(
            survey_deadline,
            lhasa_staff.organisation,
            due_on=datetime.date(2019, 8, 20),
            reason="x",
            user=reviewer,
            now=at(9),
        )
    approved = services.submission_approve(lhasa_submission, user=reviewer, version=lhasa_submission.version)
    with pytest.raises(services.WorkflowError, match="已经报送"):
        services.extension_grant(
            survey_deadline, approved.unit, due_on=datetime.date(2019, 8, 20), reason="x", user=reviewer, now=at(9)
        )
    assert not Extension.objects.exists()


def test_the_date_asked_for_must_move_the_deadline_on(survey_deadline, lhasa_staff):
    with pytest.raises(services.WorkflowError, match="晚于原截止日期"):
        ask(survey_deadline, lhasa_staff, until=10, now=at(1))
    with pytest.raises(services.WorkflowError, match="不能早于今天"):
        ask(survey_deadline, lhasa_staff, until=12, now=at(15))


def test_a_direct_grant_answers_the_units_pending_request(survey_deadline, lhasa_staff, reviewer):
    request = ask(survey_deadline, lhasa_staff)
    services.extension_grant(
        survey_deadline,
        lhasa_staff.organisation,
        due_on=datetime.date(2019, 8, 16),
        reason="同意",
        user=reviewer,
        now=at(9),
    )
    request.refresh_from_db()
    assert request.status == Status.GRANTED
    assert Extension.objects.get().request == request


def test_of_two_reviewers_deciding_at_once_only_the_first_counts(survey_deadline, lhasa_staff, reviewer):
    request = ask(survey_deadline, lhasa_staff)
    seen = request.version
    services.extension_request_grant(request, due_on=datetime.date(2019, 8, 20), user=reviewer, version=seen, now=at(9))
    stale = ExtensionRequest.objects.get(pk=request.pk)
    stale.status = Status.PENDING
    with pytest.raises(services.AlreadyHandled):
        services.extension_request_refuse(stale, reason="不同意", user=reviewer, version=seen, now=at(9))
    assert ExtensionRequest.objects.get(pk=request.pk).status == Status.GRANTED
    assert Extension.objects.count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="an in-memory SQLite database is not shared between threads")
def test_two_reviewers_in_parallel_one_decides_one_is_told(reference_data, survey_campaign, lhasa_staff, reviewer):
    deadline = survey_campaign.stages.get(report_kind="survey").deadlines.get()
    request = ask(deadline, lhasa_staff)
    barrier, outcomes = threading.Barrier(2), []

    def decide(grant):
        try:
            copy = ExtensionRequest.objects.get(pk=request.pk)
            barrier.wait()
            if grant:
                services.extension_request_grant(
                    copy, due_on=datetime.date(2019, 8, 20), user=reviewer, version=copy.version, now=at(9)
                )
            else:
                services.extension_request_refuse(copy, reason="不同意", user=reviewer, version=copy.version, now=at(9))
            outcomes.append("won")
        except services.AlreadyHandled:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(grant,)) for grant in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["told", "won"]
    assert ExtensionRequestTransition.objects.filter(request=request).count() == 2


# -- through the pages ---------------------------------------------------------------------------------


def report_page(client, deadline, unit="540100"):
    return client.get(reverse("campaigns:report", args=[deadline.pk, unit]))


def test_looking_at_a_report_creates_nothing(login, lhasa_staff, reviewer, survey_deadline):
    for user in (lhasa_staff, reviewer):
        assert report_page(login(user), survey_deadline).status_code == 200
    assert login(lhasa_staff).get(reverse("campaigns:submit", args=[survey_deadline.pk, "540100"])).status_code == 200
    assert not Submission.objects.exists()


def test_the_first_save_creates_the_draft(login, lhasa_staff, survey_deadline):
    client = login(lhasa_staff)
    client.post(reverse("campaigns:report", args=[survey_deadline.pk, "540100"]), {})
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_after_the_deadline_the_page_says_so_and_offers_a_request(login, lhasa_staff, survey_deadline):
    page = report_page(login(lhasa_staff), survey_deadline).content.decode()
    banner = page.split('data-testid="past-due-banner"', 1)[1].split("</div>", 1)[0]
    assert "截止日期2019年8月10日已过" in banner
    assert reverse("campaigns:extension_request", args=[survey_deadline.pk, "540100"]) in page
    assert reverse("campaigns:submit", args=[survey_deadline.pk, "540100"]) not in page
    confirm = login(lhasa_staff).get(reverse("campaigns:submit", args=[survey_deadline.pk, "540100"]))
    assert 'data-testid="past-due-banner"' in confirm.content.decode()
    assert 'method="post"' not in confirm.content.decode().split("<main", 1)[1]


def test_staff_ask_in_the_page_and_the_reviewer_decides_there(login, lhasa_staff, reviewer, survey_deadline):
    url = reverse("campaigns:extension_request", args=[survey_deadline.pk, "540100"])
    later = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = login(lhasa_staff).post(url, {"due_on": later, "reason": "牧区道路中断"}, follow=True)
    assert "申请已提交组织部" in response.content.decode()
    request = ExtensionRequest.objects.get()
    page = report_page(login(reviewer), survey_deadline).content.decode()
    assert "牧区道路中断" in page
    assert reverse("campaigns:extension_decide", args=[request.pk]) in page
    tasks = login(reviewer).get(reverse("campaigns:tasks")).content.decode()
    assert 'data-testid="extension-requests"' in tasks
    decide = reverse("campaigns:extension_decide", args=[request.pk])
    refused = login(reviewer).post(decide, {"decision": "refuse", "reason": "", "version": request.version})
    assert "请说明不予批准的原因" in refused.content.decode()
    granted = login(reviewer).post(
        decide, {"decision": "grant", "due_on": later, "reason": "", "version": request.version}, follow=True
    )
    assert "现可报送至" in granted.content.decode()
    request.refresh_from_db()
    assert request.status == Status.GRANTED
    assert Extension.objects.get().due_on.isoformat() == later
    timeline = report_page(login(lhasa_staff), survey_deadline).content.decode().split('data-testid="timeline"')[1]
    assert "申请延期至" in timeline
    assert "延期申请已批准" in timeline


def test_a_decided_request_cannot_be_decided_again_by_a_stale_form(login, reviewer, lhasa_extension_request):
    decide = reverse("campaigns:extension_decide", args=[lhasa_extension_request.pk])
    later = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    form = {"decision": "grant", "due_on": later, "version": lhasa_extension_request.version}
    login(reviewer).post(decide, form)
    again = login(reviewer).post(decide, {**form, "decision": "refuse", "reason": "不同意"}, follow=True)
    assert "该申请已处理" in again.content.decode()
    assert ExtensionRequest.objects.get().status == Status.GRANTED


def test_the_grant_button_is_not_offered_on_a_report_handed_in(login, reviewer, lhasa_submission, survey_deadline):
    page = report_page(login(reviewer), survey_deadline).content.decode()
    assert reverse("campaigns:extension", args=[survey_deadline.pk, "540100"]) not in page
    services.submission_approve(lhasa_submission, user=reviewer, version=lhasa_submission.version)
    page = report_page(login(reviewer), survey_deadline).content.decode()
    assert reverse("campaigns:extension", args=[survey_deadline.pk, "540100"]) not in page
    later = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = login(reviewer).post(
        reverse("campaigns:extension", args=[survey_deadline.pk, "540100"]), {"due_on": later, "reason": "x"}
    )
    assert "已经报送" in response.content.decode()
    assert not Extension.objects.exists()


def test_a_returned_report_shows_the_reason_in_a_banner(login, lhasa_staff, reviewer, lhasa_submission):
    services.submission_return(
        lhasa_submission, user=reviewer, version=lhasa_submission.version, reason="请核对城关区数据", now=at(5)
    )
    page = report_page(login(lhasa_staff), lhasa_submission.deadline).content.decode()
    banner = page.split('data-testid="returned-banner"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "请核对城关区数据" in banner
    assert "原因：" in banner
    assert page.index('data-testid="returned-banner"') < page.index('data-testid="figures"')


@pytest.mark.parametrize("junk", ["9999-12-31", "0001-01-01", "2019-02-30", "x" * 500, "", "1e9"])
def test_out_of_range_dates_get_a_message_not_an_error(login, lhasa_staff, reviewer, survey_deadline, junk):
    url = reverse("campaigns:extension_request", args=[survey_deadline.pk, "540100"])
    response = login(lhasa_staff).post(url, {"due_on": junk, "reason": "x"})
    assert response.status_code == 200
    grant = reverse("campaigns:extension", args=[survey_deadline.pk, "540100"])
    assert login(reviewer).post(grant, {"due_on": junk, "reason": "x"}).status_code == 200
    assert not ExtensionRequest.objects.exists()
    assert not Extension.objects.exists()
