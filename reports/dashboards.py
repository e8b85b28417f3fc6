"""What the dashboards, the Excel summary and the briefing show: roll-ups, completeness, timeliness, targets.

Live figures roll the registry up county → prefecture → region in one grouped query; every figure is counted with
the same conditions as the survey (enterprises.models.FIGURES) and links to the enterprise list filtered the same
way, so a figure and the rows behind it are always the same number. A campaign's figures are those its units'
approved survey reports froze; they are counted by reporting unit, as the units reported them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from campaigns.models import Campaign, Deadline, Participation, ReportKind, Submission, Target
from campaigns.selectors import cells
from enterprises.models import FIGURES, Enterprise, FigureTally, figure_of
from unions.models import Division, UnionOrg, division_prefix
from unions.selectors import display_order

FIGURE_NAMES = ("total", *FIGURES)
# How many key enterprises without a union the summary and the briefing list, largest first.
KEY_UNUNIONISED = 500


def zero_figures():
    return dict.fromkeys(FIGURE_NAMES, 0)


def union_count(figures):
    return figures["both"] + figures["union_only"]


def party_count(figures):
    return figures["both"] + figures["party_only"]


def _rate(part, total):
    return part / total if total else None


@dataclass
class Line:
    """One row of a roll-up: a county, a prefecture, a reporting unit or the whole area, with its figures.

    `previous` holds the same unit's figures in the campaign compared with, where there are any.
    """

    division: Division | None = None
    unit: UnionOrg | None = None
    figures: dict = field(default_factory=zero_figures)
    children: list = field(default_factory=list)
    previous: dict | None = None
    # A reporting unit's report, for a campaign's figures: its page shows the frozen enterprise list.
    deadline_id: int | None = None

    @property
    def name(self):
        if self.unit is not None:
            return self.unit.name
        return self.division.name if self.division else ""

    @property
    def code(self):
        if self.unit is not None:
            return self.unit.code
        return self.division.code if self.division else ""

    def add(self, figures):
        for name in FIGURE_NAMES:
            self.figures[name] += figures[name]

    @property
    def union_count(self):
        return union_count(self.figures)

    @property
    def party_count(self):
        return party_count(self.figures)

    @property
    def union_rate(self):
        """建会率: enterprises with a union ÷ enterprises in scope."""
        return _rate(self.union_count, self.figures["total"])

    @property
    def party_rate(self):
        return _rate(self.party_count, self.figures["total"])

    @property
    def previous_union_rate(self):
        return _rate(union_count(self.previous), self.previous["total"]) if self.previous else None

    @property
    def union_rate_change(self):
        if self.union_rate is None or self.previous_union_rate is None:
            return None
        return self.union_rate - self.previous_union_rate

    def walk(self, level=0):
        """This line and every line below it, depth first, with its level (0 for the total)."""
        yield level, self
        for child in self.children:
            yield from child.walk(level + 1)

    def check(self):
        assert self.figures["total"] == sum(self.figures[name] for name in FIGURES), self.figures


@dataclass
class StageProgress:
    """Completeness and timeliness of one deadline: expected, handed in on time or late, still missing."""

    deadline: Deadline
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    overdue: int = 0
    # The units' cells (campaigns.selectors.Cell), in display order.
    handed_in: list = field(default_factory=list)
    not_handed_in: list = field(default_factory=list)

    @property
    def completeness(self):
        return _rate(self.submitted, self.expected)


@dataclass
class UnitTimeliness:
    """One unit's record over the deadlines due so far, for the timeliness ranking."""

    unit: UnionOrg
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    missing_deadlines: list = field(default_factory=list)

    @property
    def missing_titles(self):
        return [deadline.title for deadline in self.missing_deadlines]

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.due)


@dataclass
class TargetLine:
    """A unit's target (目标任务分解) beside its result."""

    unit: UnionOrg
    target: Target | None
    figures: dict

    @property
    def union_count(self):
        return union_count(self.figures)

    @property
    def union_rate(self):
        return _rate(self.union_count, self.figures["total"])

    @property
    def progress(self):
        """Share of the target number reached (1.0 = met)."""
        if self.target is None or not self.target.union_count:
            return None
        return self.union_count / self.target.union_count

    @property
    def rate_met(self):
        if self.target is None or self.union_rate is None:
            return None
        return self.union_rate * 100 >= float(self.target.union_rate)


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

    @property
    def is_live(self):
        return self.source is None


def area_of(user, code=None):
    """The division a person's dashboard covers: the region for the 组织部, else their unit's place.

    `code` narrows it to a prefecture or county inside what they may see; anything else is refused (None).
    """
    if user.sees_everything or user.organisation is None or user.organisation.division_id is None:
        own = Division.objects.get(level=Division.Level.PROVINCE)
    else:
        own = user.organisation.division
    if not code or code == own.code:
        return own
    area = Division.objects.filter(code=code).exclude(level=Division.Level.PROVINCE).first()
    if area is None or not area.code.startswith(division_prefix(own.code)):
        return None
    return area


def breadcrumb(user, area):
    """The places from the person's own area down to this one, for stepping back up a drill-down."""
    places = [area]
    if area.level == Division.Level.PROVINCE:
        return places
    own = area_of(user)
    while places[-1].code != own.code and places[-1].parent_id:
        places.append(places[-1].parent)
    return places[::-1]


def enterprises_for_dashboard(user, area):
    enterprises = Enterprise.objects.visible_to(user)
    # Every county is in the region: filtering on the region's code would only cost a check per enterprise.
    if area.level == Division.Level.PROVINCE:
        return enterprises
    return enterprises.in_division(area.code)


def tallies_for_dashboard(user, area):
    """The registry's figure tallies the person may see, for the area: the same door and place as the registry's."""
    tallies = FigureTally.objects.visible_to(user)
    if area.level == Division.Level.PROVINCE:
        return tallies  # every county is in the region
    return tallies.in_division(area.code)


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


def _at(row, band):
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
        for name, value in _at(row, threshold).items():
            figures[name] += value
    total = Line(area)
    divisions = Division.objects.filter(code__startswith=division_prefix(area.code)).order_by("code")
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
    units = _units_in_area(UnionOrg.objects.filter(pk__in={row[1] for row in rows}), area).in_bulk()
    return sorted(
        ((deadline, units[unit], figures) for deadline, unit, figures in rows if unit in units),
        key=lambda row: display_order(row[1]),
    )


def _units_in_area(units, area):
    if area.level == Division.Level.PROVINCE:
        return units
    return units.filter(Q(division__code__startswith=division_prefix(area.code)) | Q(path__contains=f"/{area.code}/"))


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
        _units_in_area(UnionOrg.objects.filter(pk__in={row[1] for row in rows}), area).values_list("pk", flat=True)
    )
    years = {}
    for year, unit, figures in rows:
        if unit in units:
            line = years.setdefault(year, zero_figures())
            for name in FIGURE_NAMES:
                line[name] += figures[name]
    return sorted(years.items())


def participations_for(user, campaign, area):
    units = _units_in_area(UnionOrg.objects.visible_to(user), area)
    return sorted(
        Participation.objects.filter(campaign=campaign, unit__in=units).select_related("unit", "campaign"),
        key=lambda participation: display_order(participation.unit),
    )


def progress(campaign, participations, as_of=None):
    """Completeness and timeliness per deadline, and each unit's record over the deadlines due by `as_of`."""
    now = timezone.now() if as_of is None else _end_of(as_of)
    today = timezone.localdate(now)
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage__campaign"))
    grid = cells(participations, deadlines, now)
    stages = []
    units = {participation.unit_id: UnitTimeliness(participation.unit) for participation in participations}
    for deadline in deadlines:
        stage = StageProgress(deadline)
        for participation in participations:
            cell = grid.get((deadline.pk, participation.unit_id))
            if cell is None:
                continue
            stage.expected += 1
            record = units[participation.unit_id]
            handed_in = handed_in_by(cell, now)
            (stage.handed_in if handed_in else stage.not_handed_in).append(cell)
            if handed_in:
                stage.submitted += 1
                stage.approved += cell.status == Submission.Status.APPROVED
                stage.late += cell.late
                stage.on_time += not cell.late
            else:
                stage.missing += 1
                stage.overdue += cell.overdue
            if handed_in:
                record.due += 1
                record.late += cell.late
                record.on_time += not cell.late
            elif cell.due_on < today:
                # Past its deadline (an extension's, where one was granted) and still not handed in.
                record.due += 1
                record.missing += 1
                record.missing_deadlines.append(deadline)
        stages.append(stage)
    return stages, list(units.values())


def handed_in_by(cell, moment):
    """Submitted or approved now, and first handed in by `moment` (a report returned since is not in)."""
    first = cell.submission.first_submitted_at if cell.submission else None
    return cell.done and first is not None and first <= moment


def _end_of(day):
    from campaigns.models import end_of_day

    return end_of_day(day) - datetime.timedelta(microseconds=1)


def approved_figures(campaign, participations):
    """{unit pk: figures} of the participating units whose survey in the campaign has been approved."""
    return dict(
        Submission.objects.approved_surveys()
        .filter(
            deadline__stage__campaign=campaign, unit__in=[participation.unit_id for participation in participations]
        )
        .values_list("unit_id", "figures")
    )


def target_lines(user, campaign, participations, approved, rows=None):
    """Every participating unit's target beside its result: its approved survey figures, else the live registry.

    Live results come from one grouped query by responsible unit (or `rows` read already), summed up each unit's
    subtree at the unit's threshold.
    """
    targets = {target.unit_id: target for target in Target.objects.filter(campaign=campaign)}
    pending = [participation for participation in participations if participation.unit_id not in approved]
    by_unit = _live_by_unit(user, pending, rows) if pending else {}
    lines = []
    for participation in participations:
        figures = approved.get(participation.unit_id)
        if figures is None:
            figures = zero_figures()
            for path, row in by_unit.items():
                if path.startswith(participation.unit.path):
                    for name, value in _at(row, participation.threshold).items():
                        figures[name] += value
        lines.append(TargetLine(participation.unit, targets.get(participation.unit_id), figures))
    return lines


def _live_by_unit(user, participations, rows=None):
    """{responsible unit's path: counts at every band} from the live registry the person may see."""
    if rows is None:
        bands = {participation.threshold for participation in participations}
        rows = live_counts(FigureTally.objects.visible_to(user), ("responsible_unit_id",), bands)
    by_id = {}
    for row in rows:
        counts = by_id.setdefault(row["responsible_unit_id"], dict.fromkeys(row, 0))
        for key, value in row.items():
            if key not in ("county_id", "responsible_unit_id"):
                counts[key] += value
    paths = dict(UnionOrg.objects.filter(pk__in=by_id).values_list("pk", "path"))
    return {paths[pk]: counts for pk, counts in by_id.items()}


def latest_campaign(user):
    """The newest campaign the person's units take part in (the 组织部: the newest of all)."""
    campaigns = Campaign.objects.all()
    if not user.sees_everything:
        campaigns = campaigns.filter(participations__unit__in=UnionOrg.objects.visible_to(user)).distinct()
    return campaigns.order_by("-year", "-pk").first()


def build(user, *, area, threshold=100, source=None, campaign=None, compare=True, as_of=None):
    """Everything the dashboard shows, for one area, from the live registry or a campaign's approved figures."""
    campaign = source or campaign or latest_campaign(user)
    participations = participations_for(user, campaign, area) if campaign else []
    approved = approved_figures(campaign, participations) if campaign else {}
    shared = None
    if source is None and area.level == Division.Level.PROVINCE:
        # The region: one read of the tallies serves both the roll-up (by county) and the live results against
        # targets (by responsible unit), at every threshold either needs.
        bands = {threshold} | {p.threshold for p in participations if p.unit_id not in approved}
        shared = live_counts(tallies_for_dashboard(user, area), ("county_id", "responsible_unit_id"), bands)
    total = snapshot_rollup(user, source, area) if source else rollup(user, threshold, area, rows=shared)
    previous = previous_campaign(source or campaign) if compare else None
    if source is None and previous is None and compare:
        previous = previous_campaign(None)
    attach_previous(total, user, previous, area)
    stages, units, targets = [], [], []
    if campaign is not None:
        stages, units = progress(campaign, participations, as_of)
        targets = target_lines(user, campaign, participations, approved, rows=shared)
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
        trend=trend(user, area),
        as_of=as_of or timezone.localdate(),
    )


def hard_cases(user, area, threshold):
    """Headquarters-type hard cases in the area, for the summary's second sheet."""
    return (
        enterprises_for_dashboard(user, area)
        .in_scope(threshold)
        .hard_cases()
        .select_related("county", "responsible_unit")
        .order_by("county_id", "name")
    )


def key_ununionised(user, area, threshold, limit=KEY_UNUNIONISED):
    """The key enterprises in scope without a union (重点企业), largest first."""
    return (
        enterprises_for_dashboard(user, area)
        .in_scope(threshold)
        .key_ununionised()
        .select_related("county", "responsible_unit")
        .order_by("-headcount", "name")[:limit]
    )
