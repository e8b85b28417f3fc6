"""Targets (目标任务分解) beside results: approved survey figures, else the live registry."""

from dataclasses import dataclass

from campaigns.models import Target
from enterprises.models import FigureTally
from reports.dashboards.lines import rate, union_count, zero_figures
from reports.dashboards.rollups import at_band, live_counts
from unions.models import UnionOrg

# The tallies grouped by responsible unit, its path read in the same query to sum each unit's subtree.
UNIT_PATH = "responsible_unit__path"
BY_UNIT = ("responsible_unit_id", UNIT_PATH)
GROUP_KEYS = frozenset({"county_id", *BY_UNIT})


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
        return rate(self.union_count, self.figures["total"])

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


def approved_figures(campaign, participations, surveys):
    """{unit pk: figures} of the participating units whose survey in the campaign has been approved, from
    `surveys` (rollups.ApprovedSurveys)."""
    return surveys.figures_by_unit(campaign, [participation.unit_id for participation in participations])


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
                    for name, value in at_band(row, participation.threshold).items():
                        figures[name] += value
        lines.append(TargetLine(participation.unit, targets.get(participation.unit_id), figures))
    return lines


def _live_by_unit(user, participations, rows=None):
    """{responsible unit's path: counts at every band} from the live registry the person may see."""
    if rows is None:
        bands = {participation.threshold for participation in participations}
        rows = live_counts(FigureTally.objects.visible_to(user), BY_UNIT, bands)
    by_path = {}
    for row in rows:
        counts = by_path.setdefault(row[UNIT_PATH], {})
        for key, value in row.items():
            if key not in GROUP_KEYS:
                counts[key] = counts.get(key, 0) + value
    return by_path
