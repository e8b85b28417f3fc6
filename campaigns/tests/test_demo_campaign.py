import pytest
from django.utils import timezone

from campaigns.demo import load_demo_campaign
from campaigns.models import Campaign, Extension
from campaigns.seeds import load_campaigns
from unions.demo import load_demo_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_copies_the_2019_campaign_to_this_year_once_with_the_survey_reopened():
    load_campaigns()
    load_demo_accounts()
    campaign = load_demo_campaign()
    assert load_demo_campaign() is None
    assert campaign.year == timezone.localdate().year
    assert Campaign.objects.filter(year=campaign.year).count() == 1
    survey_due = campaign.stages.get(report_kind="survey").deadlines.get().due_on
    if survey_due < timezone.localdate():
        assert Extension.objects.filter(deadline__stage__campaign=campaign).count() == campaign.participations.count()
