"""Figures rolled up county -> prefecture -> region, live from the registry's tallies or from a campaign's
approved survey reports, with the earlier campaign beside them and the trend over the years."""

from functools import cached_property

from django.db.models import Exists, F, OuterRef, Sum

from campaigns.models import Campaign, Submission
from enterprises.models import figure_of
from reports.dashboards.areas import area_of, tallies_for_dashboard, unit_in_area
from reports.dashboards.lines import FIGURE_NAMES, Line, zero_figures
from unions.models import Division, division_prefix
from unions.reference import divisions as kept_divisions
from unions.selectors import display_order


def live_counts(tallies, group_by, bands):
    """The total and the four figures at each threshold in `bands`, grouped, from the registry's tallies.

    The tallies (enterprises.models.FigureTally) are the registry counted ahead by county, responsible unit, band
    and statuses, kept equal to a fresh count on every write; so this reads a few thousand rows, not every
    enterprise. Each group's statuses say which of FIGURES it counts under.
    """
    bands = sorted(bands)
    rows = (
        tallies.in_scope(bands[0])
        .order_by()
        .values(*group_by, "band", "party_org", "union_status")
        .annotate(enterprises=Sum("count"))
    )
    groups = {}
    for row in rows:
        key = tuple(row[column] for column in group_by)
        group = groups.get(key)
        if group is None:
            group = groups[key] = dict(zip(group_by, key, strict=True))
            group.update({f"{name}_{band}": 0 for name in FIGURE_NAMES for band in bands})
        figure = figure_of(row["party_org"], row["union_status"])
        for band in bands:
            if row["band"] >= band:
                group[f"{figure}_{band}"] += row["enterprises"]
                group[f"total_{band}"] += row["enterprises"]
    return list(groups.values())


def at_band(row, band):
    return {name: row[f"{name}_{band}"] for name in FIGURE_NAMES}


def rollup(user, threshold, area=None, rows=None):
    """The area's total line with a line per prefecture (each with its counties), or per county below a prefecture.

    One grouped query by county (or `rows` of live_counts grouped by county and more, read already), whatever the
    number of units; counties without enterprises show zeros.
    """
    area = area or area_of(user)
    if rows is None:
        rows = live_counts(tallies_for_dashboard(user, area), ("county_id",), {threshold})
    by_county = {}
    for row in rows:
        figures = by_county.setdefault(row["county_id"], zero_figures())
        for name, value in at_band(row, threshold).items():
            figures[name] += value
    total = Line(area)
    prefix = division_prefix(area.code)
    divisions = [division for division in kept_divisions() if division.code.startswith(prefix)]
    lines = {}
    if area.level == Division.Level.COUNTY:
        total.add(by_county.get(area.code, zero_figures()))
    for division in divisions:
        if division.level == Division.Level.COUNTY and division.code != area.code:
            line = Line(division)
            line.add(by_county.get(division.code, zero_figures()))
            parent = lines.get(division.parent_id)
            (parent.children if parent else total.children).append(line)
            if parent:
                parent.add(line.figures)
            total.add(line.figures)
        elif division.level == Division.Level.PREFECTURE and division.code != area.code:
            lines[division.code] = line = Line(division)
            total.children.append(line)
    total.check()
    return total


class ApprovedSurveys:
    """Every approved survey report a person may see, with its unit, read once (by the first part that asks) for
    all the parts of a dashboard that show them: the source campaign's lines, the compared campaign, the results
    against targets and the trend. Only the frozen figures are read, never the snapshot's enterprise list."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def reports(self):
        return list(
            Submission.objects.visible_to(self.user)
            .approved_surveys()
            .select_related("unit")
            .annotate(campaign_pk=F("deadline__stage__campaign_id"), year=F("deadline__stage__campaign__year"))
            .defer(*LONG_FIELDS)
        )

    def of(self, campaign, area):
        """(deadline pk, unit, figures) of the campaign's reports from units in the area, in display order."""
        return sorted(
            (
                (report.deadline_id, report.unit, report.figures)
                for report in self.reports
                if report.campaign_pk == campaign.pk and unit_in_area(report.unit, area)
            ),
            key=lambda row: display_order(row[1]),
        )

    def figures_by_unit(self, campaign, units):
        """{unit pk: figures} of the campaign's reports from these units (pks)."""
        units = set(units)
        return {
            report.unit_id: report.figures
            for report in self.reports
            if report.campaign_pk == campaign.pk and report.unit_id in units
        }


# What a report holds besides its figures; none of it is read for the figures.
LONG_FIELDS = ("snapshot", "hard_case_reasons", "results", "practices", "shortcomings", "next_steps")


def approved_surveys(user, campaign, area, surveys=None):
    """The approved survey reports of a campaign the person may see, from units in the area, in display order:
    (deadline pk, unit, figures). `surveys` is the ApprovedSurveys read already, if any."""
    return (surveys or ApprovedSurveys(user)).of(campaign, area)


def snapshot_rollup(user, campaign, area, surveys=None):
    """A campaign's figures as its units reported and the 组织部 approved them: one line per reporting unit."""
    total = Line(area)
    for deadline, unit, figures in approved_surveys(user, campaign, area, surveys):
        line = Line(unit.division, unit=unit, deadline_id=deadline)
        line.add(figures)
        total.children.append(line)
        total.add(figures)
    total.check()
    return total


def with_survey_figures(campaigns):
    """The campaigns marked with whether any of their survey reports has been approved (has_approved_survey)."""
    approved = Submission.objects.approved_surveys().filter(deadline__stage__campaign=OuterRef("pk"))
    return campaigns.annotate(has_approved_survey=Exists(approved))


def previous_campaign(campaign, campaigns=None):
    """The campaign to compare with: the latest earlier one with approved survey figures.

    `campaigns` is a list read already by dashboard_campaigns, newest first, if any."""
    if campaigns is None:
        campaigns = with_survey_figures(Campaign.objects.all()).order_by("-year", "-pk")
    return next(
        (
            earlier
            for earlier in campaigns
            if earlier.has_approved_survey
            and (campaign is None or (earlier.year, earlier.pk) < (campaign.year, campaign.pk))
        ),
        None,
    )


def attach_previous(total, user, previous, area, surveys=None):
    """Put each unit's figures in the compared campaign beside its line (matched by unit, else by place)."""
    if previous is None:
        return
    by_unit, by_division, overall = {}, {}, zero_figures()
    for _deadline, unit, figures in approved_surveys(user, previous, area, surveys):
        by_unit[unit.pk] = figures
        if unit.is_place_federation and unit.division_id:
            by_division[unit.division_id] = figures
        for name in FIGURE_NAMES:
            overall[name] += figures[name]
    total.previous = overall if by_unit else None
    for level, line in total.walk():
        if level == 0:
            continue
        if line.unit is not None:
            line.previous = by_unit.get(line.unit.pk)
        elif line.division is not None:
            line.previous = by_division.get(line.division.code)


def trend(user, area, surveys=None):
    """Figures year by year from every campaign's approved survey reports, oldest first."""
    years = {}
    for report in (surveys or ApprovedSurveys(user)).reports:
        if unit_in_area(report.unit, area):
            line = years.setdefault(report.year, zero_figures())
            for name in FIGURE_NAMES:
                line[name] += report.figures[name]
    return sorted(years.items())
