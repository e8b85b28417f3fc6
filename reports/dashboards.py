"""Roll-ups of the registry for the dashboards: counties → prefectures → the region, in one grouped query.

Every figure here is counted with the same conditions as the survey (enterprises.models.FIGURES) and links to
the enterprise list filtered the same way, so a figure and the rows behind it are always the same number.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from enterprises.models import FIGURES, Enterprise
from unions.models import Division, division_prefix

FIGURE_NAMES = ("total", *FIGURES)


@dataclass
class Line:
    """One row of a roll-up: a county, a prefecture or the whole area, with its figures."""

    division: Division | None
    figures: dict = field(default_factory=lambda: dict.fromkeys(FIGURE_NAMES, 0))
    children: list = field(default_factory=list)

    def add(self, figures):
        for name in FIGURE_NAMES:
            self.figures[name] += figures[name]

    @property
    def union_rate(self):
        """建会率: enterprises with a union ÷ enterprises in scope."""
        total = self.figures["total"]
        return (self.figures["both"] + self.figures["union_only"]) / total if total else None

    @property
    def party_rate(self):
        total = self.figures["total"]
        return (self.figures["both"] + self.figures["party_only"]) / total if total else None

    def check(self):
        assert self.figures["total"] == sum(self.figures[name] for name in FIGURES), self.figures


def area_of(user):
    """The division a person's dashboard covers: the region for the 组织部, else their unit's place."""
    if user.sees_everything or user.organisation is None or user.organisation.division_id is None:
        return Division.objects.get(level=Division.Level.PROVINCE)
    return user.organisation.division


def enterprises_for_dashboard(user, area):
    return Enterprise.objects.visible_to(user).in_division(area.code)


def rollup(user, threshold, area=None):
    """The area's total line with a line per prefecture (each with its counties), or per county below a prefecture.

    One grouped query by county, whatever the number of units; counties without enterprises show zeros.
    """
    area = area or area_of(user)
    counts = (
        enterprises_for_dashboard(user, area)
        .in_scope(threshold)
        .order_by()
        .values("county_id")
        .annotate(total=Count("pk"), **{name: Count("pk", filter=condition) for name, condition in FIGURES.items()})
    )
    by_county = {row["county_id"]: row for row in counts}
    total = Line(area)
    divisions = Division.objects.filter(code__startswith=division_prefix(area.code)).order_by("code")
    lines = {}
    for division in divisions:
        if division.level == Division.Level.COUNTY:
            line = Line(division)
            line.add(by_county.get(division.code, dict.fromkeys(FIGURE_NAMES, 0)))
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
