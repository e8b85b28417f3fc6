import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.demo import load_demo_campaign, load_demo_reports
from campaigns.models import Campaign, ExtensionRequest, Submission, Timeliness
from campaigns.seeds import load_campaigns
from enterprises.demo import load_demo_registry
from unions.demo import load_demo_accounts
from unions.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_campaigns()
    load_demo_accounts()
    load_demo_registry(300)


def test_this_years_campaign_is_created_once_around_today(demo):
    campaign = load_demo_campaign()
    assert load_demo_campaign() is None
    today = datetime.date.today()
    assert campaign.year == today.year
    assert Campaign.objects.filter(year=campaign.year).count() == 1
    due = sorted(d.due_on for stage in campaign.stages.all() for d in stage.deadlines.all())
    assert any(day < today for day in due)
    assert any(today <= day <= today + datetime.timedelta(days=7) for day in due)


@pytest.mark.parametrize(
    "today", [datetime.date(2027, 1, 3), datetime.date(2026, 8, 10), datetime.date(2028, 2, 29), datetime.date.today()]
)
def test_every_staff_account_has_a_report_in_every_state_whatever_the_day(demo, today):
    """Due soon, overdue, waiting for review and returned, for each demo staff account, on any day `make run` runs."""
    load_demo_campaign(today)
    assert load_demo_reports(today)
    campaign = Campaign.objects.get(year=today.year, name="百人以上企业建会专项行动")
    for username in ("lasa_staff", "rikaze_staff", "chengguan_staff"):
        unit = User.objects.get(username=username).organisation
        reports = Submission.objects.filter(deadline__stage__campaign=campaign, unit=unit)
        assert reports.filter(status=Submission.Status.RETURNED).exists(), username
        assert reports.filter(status=Submission.Status.SUBMITTED).exists(), username
        deadlines = [d for stage in campaign.stages.all() for d in stage.deadlines.all()]
        handed = set(reports.values_list("deadline_id", flat=True))
        open_ones = [d for d in deadlines if d.pk not in handed]
        assert any(d.due_on < today for d in open_ones), username  # overdue
        assert any(today <= d.due_on <= today + datetime.timedelta(days=7) for d in open_ones), username  # soon
    words = set(Submission.objects.filter(deadline__stage__campaign=campaign).values_list("timeliness", flat=True))
    assert {Timeliness.ON_TIME, Timeliness.EXTENDED, Timeliness.LATE} <= words
    assert ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).exists()


def test_every_demo_account_sees_its_work_on_its_task_list(client, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in ("lasa_staff", "rikaze_staff", "chengguan_staff", "lasa_viewer"):
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("campaigns:tasks")).content.decode()
        for badge in ("已退回", "已报送", "逾期"):
            assert badge in page, (username, badge)
        assert "还剩" in page, username
    client.force_login(User.objects.get(username="zzb_reviewer"))
    page = client.get(reverse("campaigns:tasks")).content.decode()
    assert 'data-testid="waiting"' in page
    assert 'data-testid="extension-requests"' in page
