"""Figures rolled up county -> prefecture -> region, live from the registry's tallies or from a campaign's
approved survey reports, with the earlier campaign beside them and the trend over the years."""

from django.db.models import Q, Sum

from campaigns.models import Campaign, ReportKind, Submission
from enterprises.models import figure_of
from reports.dashboards.areas import area_of, tallies_for_dashboard, units_in_area
from reports.dashboards.lines import FIGURE_NAMES, Line, zero_figures
from unions.models import Division, UnionOrg, division_prefix
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


def approved_surveys(user, campaign, area):
    """The approved survey reports of a campaign the person may see, from units in the area, in display order.

    Only the frozen figures are read, never the snapshot's enterprise list.
    """
    rows = list(
        Submission.objects.visible_to(user)
        .approved_surveys()
        .filter(deadline__stage__campaign=campaign)
        .values_list("deadline_id", "unit_id", "figures")
    )
    units = units_in_area(UnionOrg.objects.filter(pk__in={row[1] for row in rows}), area).in_bulk()
    return sorted(
        ((deadline, units[unit], figures) for deadline, unit, figures in rows if unit in units),
        key=lambda row: display_order(row[1]),
    )


def snapshot_rollup(user, campaign, area):
    """A campaign's figures as its units reported and the 组织部 approved them: one line per reporting unit."""
    total = Line(area)
    for deadline, unit, figures in approved_surveys(user, campaign, area):
        line = Line(unit.division, unit=unit, deadline_id=deadline)
        line.add(figures)
        total.children.append(line)
        total.add(figures)
    total.check()
    return total


def previous_campaign(campaign):
    """The campaign to compare with: the latest earlier one with approved survey figures."""
    campaigns = Campaign.objects.filter(
        stages__deadlines__submissions__status=Submission.Status.APPROVED,
        stages__report_kind=ReportKind.SURVEY,
    ).distinct()
    if campaign is not None:
        campaigns = campaigns.filter(Q(year__lt=campaign.year) | Q(year=campaign.year, pk__lt=campaign.pk))
    return campaigns.order_by("-year", "-pk").first()


def attach_previous(total, user, previous, area):
    """Put each unit's figures in the compared campaign beside its line (matched by unit, else by place)."""
    if previous is None:
        return
    by_unit, by_division, overall = {}, {}, zero_figures()
    for _deadline, unit, figures in approved_surveys(user, previous, area):
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


def trend(user, area):
    """Figures year by year from every campaign's approved survey reports, oldest first."""
    rows = (
        Submission.objects.visible_to(user)
        .approved_surveys()
        .values_list("deadline__stage__campaign__year", "unit_id", "figures")
    )
    rows = list(rows)
    units = set(
        units_in_area(UnionOrg.objects.filter(pk__in={row[1] for row in rows}), area).values_list("pk", flat=True)
    )
    years = {}
    for year, unit, figures in rows:
        if unit in units:
            line = years.setdefault(year, zero_figures())
            for name in FIGURE_NAMES:
                line[name] += figures[name]
    return sorted(years.items())
