"""Everything one dashboard shows, built once for the page, the Excel summary and the briefing."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from campaign_portal.collation import by_pinyin
from campaigns.models import Campaign, Measure, Participation, ReportKind, Submission
from campaigns.push_selectors import push_progress
from enterprises.models import KEY_HEADCOUNT
from reports.dashboards.areas import enterprises_for_dashboard, tallies_for_dashboard
from reports.dashboards.lines import Line
from reports.dashboards.progress import participations_for, progress
from reports.dashboards.rollups import (
    ApprovedSurveys,
    attach_previous,
    live_counts,
    previous_campaign,
    rollup,
    snapshot_rollup,
    trend,
    with_survey_figures,
)
from reports.dashboards.targets import BY_UNIT, approved_figures, target_lines
from unions.models import Division, UnionOrg

# How many key enterprises without a union the summary and the briefing list, largest first.
KEY_UNUNIONISED = 500


@dataclass
class Dashboard:
    area: Division
    threshold: int
    source: Campaign | None  # None: the live registry
    campaign: Campaign | None  # whose stages, timeliness and targets are shown
    previous: Campaign | None  # compared with
    total: Line
    stages: list
    units: list
    targets: list
    trend: list  # [(year, figures)] from approved snapshots, oldest first
    as_of: datetime.date
    push: dict | None = None  # the push phase's progress in the area, for a campaign that has one

    @property
    def is_live(self):
        return self.source is None


def dashboard_campaigns(user):
    """Every campaign, newest first, read once for a dashboard's choices and its defaults: each marked with whether
    it has approved survey figures (has_approved_survey, for previous_campaign) and whether units the person may
    see take part (takes_part, for latest_campaign)."""
    if user.sees_everything:
        takes_part = Value(True)
    else:
        visible = UnionOrg.objects.visible_to(user)
        takes_part = Exists(Participation.objects.filter(campaign=OuterRef("pk"), unit__in=visible))
    campaigns = with_survey_figures(Campaign.objects.annotate(takes_part=takes_part))
    return list(campaigns.order_by("-year", "-pk"))


def latest_campaign(user, campaigns=None):
    """The newest campaign the person's units take part in (the 组织部: the newest of all); from `campaigns` of
    dashboard_campaigns when read already."""
    if campaigns is None:
        campaigns = dashboard_campaigns(user)
    return next((campaign for campaign in campaigns if campaign.takes_part), None)


def build(user, *, area, threshold=100, source=None, campaign=None, compare=True, as_of=None, campaigns=None):
    """Everything the dashboard shows, for one area, from the live registry or a campaign's approved figures.

    `campaigns` is dashboard_campaigns(user) when the caller has read it already."""
    campaign = source or campaign or latest_campaign(user, campaigns)
    surveys = ApprovedSurveys(user)
    participations = participations_for(user, campaign, area) if campaign else []
    approved = approved_figures(campaign, participations, surveys) if campaign else {}
    shared = None
    if source is None and area.level == Division.Level.PROVINCE:
        # The region: one read of the tallies serves both the roll-up (by county) and the live results against
        # targets (by responsible unit), at every threshold either needs.
        bands = {threshold} | {p.threshold for p in participations if p.unit_id not in approved}
        shared = live_counts(tallies_for_dashboard(user, area), ("county_id", *BY_UNIT), bands)
    total = snapshot_rollup(user, source, area, surveys) if source else rollup(user, threshold, area, rows=shared)
    previous = previous_campaign(source or campaign, campaigns) if compare else None
    if source is None and previous is None and compare:
        previous = previous_campaign(None, campaigns)
    attach_previous(total, user, previous, area, surveys)
    stages, units, targets, push = [], [], [], None
    if campaign is not None:
        stages, units = progress(campaign, participations, as_of)
        targets = target_lines(user, campaign, participations, approved, rows=shared)
        if campaign.measure == Measure.ENTERPRISES:
            area_code = "" if area.level == Division.Level.PROVINCE else area.code
            push = push_progress(user, campaign, area=area_code)
    return Dashboard(
        area=area,
        threshold=threshold,
        source=source,
        campaign=campaign,
        previous=previous,
        total=total,
        stages=stages,
        units=units,
        targets=targets,
        trend=trend(user, area, surveys),
        as_of=as_of or timezone.localdate(),
        push=push,
    )


def hard_cases(user, area, threshold):
    """Headquarters-type hard cases in the area, for the summary's second sheet."""
    return (
        enterprises_for_dashboard(user, area)
        .in_scope(threshold)
        .hard_cases()
        .select_related("county", "responsible_unit")
        .order_by("county_id", by_pinyin("name"), "pk")
    )


def hard_case_reasons(user, campaign):
    """{enterprise pk: the reason its unit gave} from the campaign's survey reports the person may see.

    Units give a reason for each headquarters-type hard case in their survey report (a report cannot be handed in
    without them). Where two reports name the same enterprise, a handed-in report wins over a draft, and a lower
    unit's over the one above it, which reports for the whole subtree."""
    if campaign is None:
        return {}
    reports = (
        Submission.objects.visible_to(user)
        .filter(deadline__stage__campaign=campaign, deadline__stage__report_kind=ReportKind.SURVEY)
        .values_list("status", "unit__path", "hard_case_reasons")
    )
    ranked = sorted(reports, key=lambda row: (row[0] != Submission.Status.DRAFT, len(row[1])))
    reasons = {}
    for _status, _path, given in ranked:
        reasons.update({int(pk): text.strip() for pk, text in given.items() if pk.isdigit() and text.strip()})
    return reasons


def key_headcount_of(campaign):
    """How many staff make an enterprise large: the campaign's own reading, else the portal's default."""
    if campaign is not None and campaign.measure == Measure.ENTERPRISES:
        return campaign.key_headcount
    return KEY_HEADCOUNT


def key_ununionised(user, area, threshold, limit=KEY_UNUNIONISED, headcount=KEY_HEADCOUNT):
    """The key enterprises in scope without a union (重点企业), largest first."""
    return (
        enterprises_for_dashboard(user, area)
        .in_scope(threshold)
        .key_ununionised(headcount)
        .select_related("county", "responsible_unit")
        .order_by("-headcount", by_pinyin("name"), "pk")[:limit]
    )
