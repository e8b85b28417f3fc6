"""Demo: this year's copy of the 2019 campaign, reopened for the survey so that every demo account has work."""

import datetime

from django.utils import timezone

from reports.models import Campaign, ReportKind
from reports.services import campaign_copy, extension_grant
from unions.models import User

DEMO_EXTENSION_DAYS = 30


def load_demo_campaign():
    """Copy the 2019 campaign to the current year once; if its survey deadline has passed, extend it for all."""
    year = timezone.localdate().year
    source = Campaign.objects.filter(year=2019, name="百人以上企业建会专项行动").first()
    reviewer = User.objects.filter(username="zzb_reviewer").first()
    if source is None or reviewer is None or Campaign.objects.filter(year=year, name=source.name).exists():
        return None
    campaign = campaign_copy(source, year=year, user=reviewer)
    today = timezone.localdate()
    for deadline in campaign.stages.get(report_kind=ReportKind.SURVEY).deadlines.all():
        if deadline.due_on < today:
            for participation in campaign.participations.select_related("unit"):
                extension_grant(
                    deadline,
                    participation.unit,
                    due_on=today + datetime.timedelta(days=DEMO_EXTENSION_DAYS),
                    reason="演示数据：摸底数据延期报送",
                    user=reviewer,
                )
    return campaign
